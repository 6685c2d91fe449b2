#!/bin/bash
# test_call_unreachable.sh: `phonebox call` fails fast, with exit status 5
# and the reason, when the far end cannot be reached: a TCP connection
# refused, a TLS server whose certificate is not trusted. A transport error
# ends the INVITE transaction at once (RFC 3261 8.1.3.1: as a 503), not
# after the 32 s INVITE timeout.
set -u
if [ -z "${PB_IN_NETNS:-}" ]; then
	PB_IN_NETNS=1 exec unshare -n bash -c 'ip link set lo up && exec bash "$0"' "$0"
fi
. "$(dirname "$0")/call_lib.sh"
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

# nobody listens on this TCP port: the connection is refused at once
port=$(free_port)
call refused "sip:bob@127.0.0.1:$port;transport=tcp"
[ "$PBRC" = 5 ] || fail "TCP refused: exit $PBRC after $SECS s, want 5"
[ "$SECS" -le 5 ] || fail "TCP refused: took $SECS s"
echo "ok 1 - TCP connection refused: exit 5 in $SECS s"

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
echo "ok 2 - untrusted TLS certificate: exit 5 in $SECS s"
echo "PASS"
