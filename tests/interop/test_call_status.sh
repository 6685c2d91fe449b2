#!/bin/bash
# test_call_status.sh: `phonebox call` tells by its exit status how a call
# ended, and fails fast when the far end cannot be reached: 486 Busy Here
# -> 2, 603 Decline -> 3 (with the code printed), a TCP connection refused
# and a TLS server whose certificate is not trusted -> 5 (failed), each
# within a few seconds and naming the reason, not after the 32 s INVITE
# timeout.
set -u
command -v sipp >/dev/null || { echo "sipp not installed"; exit 77; }
if [ -z "${PB_IN_NETNS:-}" ]; then
	PB_IN_NETNS=1 exec unshare -n bash -c 'ip link set lo up && exec bash "$0"' "$0"
fi
. "$(dirname "$0")/call_lib.sh"
need_phone
mkdir -p "$D/cfg"

# call NAME URI: phonebox call with a 10 s answer timeout; PBRC, SECS
call() {
	local t0=$SECONDS
	FAIL_LOGS+=("$D/$1.pb")
	timeout 40 "$PB" call "$2" --config "$D/cfg" --audio null \
		--timeout 10 --sip-trace >"$D/$1.pb" 2>&1
	PBRC=$?
	SECS=$((SECONDS - t0))
	grep -E "^call [0-9]+: (ended|failed)|^phonebox" "$D/$1.pb"
}

# reject NAME CODE: SIPp refuses the call with CODE (uas_CODE.xml)
reject() {
	local port
	port=$(free_port)
	FAIL_LOGS+=("$D/$1.sipp")
	bg timeout 30 sipp -sf "$DATA/sipp/uas_$2.xml" -i 127.0.0.1 \
		-p "$port" -m 1 -timeout 20s -timeout_error -nostdin \
		>"$D/$1.sipp" 2>&1
	wait_for udp_bound "$port" || fail "$1: sipp did not start"
	call "$1" "sip:bob@127.0.0.1:$port"
	wait "$BG_PID" || fail "$1: SIPp scenario failed"
}

reject busy 486
[ "$PBRC" = 2 ] || fail "486: exit $PBRC, want 2 (busy)"
echo "ok 1 - 486 Busy Here: exit 2"
reject decline 603
[ "$PBRC" = 3 ] || fail "603: exit $PBRC, want 3 (rejected)"
grep -q "603" "$D/decline.pb" || fail "603: the code is not printed"
echo "ok 2 - 603 Decline: exit 3, code printed"

# nobody listens on this TCP port: the connection is refused at once
port=$(free_port)
call refused "sip:bob@127.0.0.1:$port;transport=tcp"
[ "$PBRC" = 5 ] || fail "TCP refused: exit $PBRC after $SECS s, want 5"
[ "$SECS" -le 5 ] || fail "TCP refused: took $SECS s"
echo "ok 3 - TCP connection refused: exit 5 in $SECS s"

# a TLS server with a self-signed certificate phonebox does not trust
make_certs
port=$(free_port)
bg openssl s_server -accept "127.0.0.1:$port" -cert "$D/cert.pem" \
	-key "$D/key.pem" -quiet </dev/null >"$D/s_server.log" 2>&1
wait_for tcp_bound "$port" || fail "openssl s_server did not start"
call untrusted "sip:bob@127.0.0.1:$port;transport=tls"
[ "$PBRC" = 5 ] || fail "untrusted TLS: exit $PBRC after $SECS s, want 5"
[ "$SECS" -le 5 ] || fail "untrusted TLS: took $SECS s"
grep -qi "certificate" "$D/untrusted.pb" ||
	fail "untrusted TLS: the reason does not name the certificate"
echo "ok 4 - untrusted TLS certificate: exit 5 in $SECS s"
echo "PASS"
