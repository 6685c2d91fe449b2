#!/bin/bash
# test_call_status.sh: `phonebox call` tells by its exit status how a call
# ended: 486 Busy Here -> 2, 603 Decline -> 3 (with the code printed).
set -u
command -v sipp >/dev/null || { echo "sipp not installed"; exit 77; }
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

echo "PASS"
