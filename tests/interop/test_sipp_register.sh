#!/bin/bash
# test_sipp_register.sh: phonebox against SIPp registrar scenarios: a 401
# digest challenge then 200, and 423 Interval Too Brief with Min-Expires.
set -u
command -v sipp >/dev/null || { echo "sipp not installed"; exit 77; }
if [ -z "${PB_IN_NETNS:-}" ]; then
	PB_IN_NETNS=1 exec unshare -n bash -c 'ip link set lo up && exec bash "$0"' "$0"
fi
here=$(cd "$(dirname "$0")" && pwd)
PB=${PB_BIN:?PB_BIN not set}
D=$(mktemp -d /tmp/pbsipp.XXXXXX)
SPID=""
trap '[ -n "$SPID" ] && kill "$SPID" 2>/dev/null; rm -rf "$D"' EXIT
fail() { echo "FAIL: $*"; tail -30 "$D"/*errors* "$D"/sipp.out 2>/dev/null; exit 1; }
free_port() {
	python3 -c 'import socket;s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);s.bind(("127.0.0.1",0));print(s.getsockname()[1])'
}

# run_case SCENARIO PHONEBOX-ARGS...: SIPp UAS for one call, phonebox --once
run_case() {
	local scen=$1 port; shift
	port=$(free_port)
	(cd "$D" && exec timeout 30 sipp -sf "$here/sipp/$scen" -i 127.0.0.1 \
		-p "$port" -m 1 -timeout 20s -timeout_error -trace_err \
		-nostdin >"$D/sipp.out" 2>&1) &
	SPID=$!
	# SIPp is ready when its UDP port is bound
	for i in $(seq 100); do
		ss -lun 2>/dev/null | grep -q "127.0.0.1:$port " && break
		sleep 0.05
	done
	OUT=$("$PB" register "sip:alice@127.0.0.1:$port" "$@" --once)
	PBRC=$?
	wait "$SPID"; SRC=$?; SPID=""
	echo "$OUT"
}

run_case uas_register_401.xml --password secret --expires 60
[ $PBRC = 0 ] || fail "401 case: phonebox exit $PBRC"
[ $SRC = 0 ] || fail "401 case: sipp exit $SRC"
echo "$OUT" | grep -q "^registered sip:alice@127.0.0.1:[0-9]* expires=30$" ||
	fail "401 case: no registered line"

run_case uas_register_423.xml --expires 60
[ $PBRC = 0 ] || fail "423 case: phonebox exit $PBRC"
[ $SRC = 0 ] || fail "423 case: sipp exit $SRC (retry without Min-Expires?)"
echo "$OUT" | grep -q "^registered sip:alice@127.0.0.1:[0-9]* expires=120$" ||
	fail "423 case: no registered line with 120"
echo "PASS"
