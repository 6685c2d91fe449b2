#!/bin/bash
# test_script_call.sh: two phonebox processes on 127.0.0.1. The callee runs
# in script mode (commands on a fifo, JSON events checked line by line), the
# caller is `phonebox call`. Cases: an answered call with a tone played by
# the caller and detected in the callee's recording (exit 0); `reject` ->
# 603 (exit 3); no answer within --timeout (exit 4); a SIPp far end that
# answers 486 (exit 2); script-mode errors; end of input ends script mode
# with 0; an account registering with a SIPp registrar and unregistering
# at the end; usage errors exit 1.
set -u
. "$(dirname "$0")/call_lib.sh"
export XDG_CONFIG_HOME="$D/xdg"
FAIL_TAIL=25

# wait_line FILE REGEX SECONDS: until a line of FILE matches (bounded)
wait_line() {
	wait_for -t "$3" grep -qsE -- "$2" "$1"
}

# every line of FILE is one JSON object with an "event" member
check_json() {
	python3 - "$1" <<'PY' || fail "$1: not JSON lines"
import json, sys
for n, line in enumerate(open(sys.argv[1]), 1):
    o = json.loads(line)
    assert isinstance(o, dict) and "event" in o, (n, line)
PY
}

# start_callee NAME ARGS...: script-mode phonebox whose stdin is the fifo
# NAME.in (held open on fd NAME_fd); sets PORT to its UDP port
start_callee() {
	local n=$1 fd
	shift
	mkfifo "$D/$n.in"
	FAIL_LOGS+=("$D/$n.out" "$D/$n.err")
	"$PB" --script --config "$D/cfg-$n" --listen udp:127.0.0.1:0 \
		--audio null "$@" <"$D/$n.in" >"$D/$n.out" 2>"$D/$n.err" &
	eval "${n}_pid=$!"
	BG_PIDS+=("$!")
	exec {fd}>"$D/$n.in"
	eval "${n}_fd=$fd"
	wait_line "$D/$n.out" '"event":"ready"' 10 || fail "$n: no ready event"
	PORT=$(sed -n 's/.*"udp":"127\.0\.0\.1:\([0-9]*\)".*/\1/p' \
		"$D/$n.out" | head -1)
	[ -n "$PORT" ] || fail "$n: no UDP port in the ready event"
}

# stop_callee NAME: close its stdin; it must hang up and exit 0 in time
stop_callee() {
	local n=$1 fd pid rc
	fd=$(eval echo "\$${n}_fd")
	pid=$(eval echo "\$${n}_pid")
	exec {fd}>&-
	for ((i = 0; i < 200; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	kill -0 "$pid" 2>/dev/null && fail "$n: still running 10 s after EOF"
	wait "$pid"
	rc=$?
	[ $rc = 0 ] || fail "$n: exit $rc after EOF"
	check_json "$D/$n.out"
}

# caller NAME URI ARGS...: `phonebox call` with JSON events on NAME.out and
# messages on NAME.err; returns its exit status
caller() {
	local n=$1
	shift
	FAIL_LOGS+=("$D/$n.out" "$D/$n.err")
	timeout 40 "$PB" call "$@" --config "$D/cfg-a" \
		--listen udp:127.0.0.1:0 --audio null --json \
		>"$D/$n.out" 2>"$D/$n.err"
}

"$TOOLS/wavtone" --write "$D/tone.wav" 1000 3 >/dev/null ||
	fail "cannot write the tone"

# 1. answered: the caller plays 1000 Hz, the callee records it
start_callee b --auto-answer 0 --record "$D/rec.wav"
caller a1 "sip:bob@127.0.0.1:$PORT" --play "$D/tone.wav" --hangup-after 2 \
	--dtmf '1#'
rc=$?
[ $rc = 0 ] || fail "answered call: exit $rc (want 0)"
check_json "$D/a1.out"
grep -q '"event":"calling","call":1' "$D/a1.out" || fail "no calling event"
grep -q '"event":"answered","call":1,.*"codec":"[A-Za-z0-9]*","srtp":' \
	"$D/a1.out" || fail "no answered event with codec and srtp"
grep -q '"event":"ended","call":1,.*"cause":"local"' "$D/a1.out" ||
	fail "caller: no ended event with cause local"
wait_line "$D/b.out" '"event":"ended","call":1,.*"cause":"remote"' 10 ||
	fail "callee: no ended event with cause remote"
grep -q '"event":"incoming","call":1,.*"from":"sip:phonebox@127.0.0.1' \
	"$D/b.out" || fail "callee: no incoming event from the caller"
grep -q '"event":"answered","call":1' "$D/b.out" ||
	fail "callee: not answered"
# the DTMF the caller sent after the answer arrived, in order
grep -o '"event":"dtmf","call":1,.*"digit":"."' "$D/b.out" |
	sed 's/.*"digit":"\(.\)"/\1/' | tr -d '\n' >"$D/digits"
[ "$(cat "$D/digits")" = "1#" ] ||
	fail "callee: DTMF '$(cat "$D/digits")' (want '1#')"
# without --hangup-after the caller hangs up when its --play file ends
"$TOOLS/wavtone" --write "$D/short.wav" 1000 1 >/dev/null ||
	fail "cannot write the short tone"
start=$(date +%s%N)
caller a1b "sip:bob@127.0.0.1:$PORT" --play "$D/short.wav"
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
[ $rc = 0 ] || fail "call until the file ends: exit $rc (want 0)"
grep -q '"event":"ended","call":1,.*"cause":"local"' "$D/a1b.out" ||
	fail "caller: the call did not end from our side after the file"
[ $ms -lt 15000 ] || fail "call with a 1 s file lasted $ms ms"
wait_line "$D/b.out" '"event":"ended","call":2,.*"cause":"remote"' 10 ||
	fail "callee: call 2 did not end"
# a command while idle gives an error event, and the phone goes on
echo "hangup" >&"$b_fd"
wait_line "$D/b.out" '"event":"error","command":"hangup"' 5 ||
	fail "callee: no error event for hangup without a call"
stop_callee b
"$TOOLS/wavtone" "$D/rec.wav" 1000 1.0 || fail "tone not in the recording"

# 2. rejected: the callee refuses with `reject` (603 Decline): exit 3
start_callee c
FAIL_LOGS+=("$D/a2.out" "$D/a2.err")
caller a2 "sip:carol@127.0.0.1:$PORT" &
cpid=$!
wait_line "$D/c.out" '"event":"incoming","call":1' 10 ||
	fail "callee c: no incoming call"
echo "calls" >&"$c_fd"
wait_line "$D/c.out" '"event":"call","call":1,.*"state":"incoming"' 5 ||
	fail "callee c: calls does not list the ringing call"
echo "reject" >&"$c_fd"
wait "$cpid"
rc=$?
[ $rc = 3 ] || fail "rejected call: exit $rc (want 3)"
grep -q '"event":"ended","call":1,.*"cause":"rejected","code":603' \
	"$D/a2.out" || fail "caller: no ended event with cause rejected 603"
grep -q 'rejected with 603' "$D/a2.err" || fail "caller: code not printed"

# 3. no answer within --timeout: exit 4; the callee sees the CANCEL
caller a3 "sip:carol@127.0.0.1:$PORT" --timeout 1
rc=$?
[ $rc = 4 ] || fail "unanswered call: exit $rc (want 4)"
wait_line "$D/c.out" '"event":"ended","call":2' 10 ||
	fail "callee c: call 2 did not end after the CANCEL"

# 4. script-mode errors: unknown command, over-long line; then quit
echo ":frobnicate" >&"$c_fd"
head -c 5000 /dev/zero | tr '\0' x >&"$c_fd"
echo >&"$c_fd"
echo "help quit" >&"$c_fd"
wait_line "$D/c.out" '"event":"help","command":"quit"' 5 ||
	fail "no help row"
grep -q '"event":"error","command":":frobnicate","reason":"unknown command' \
	"$D/c.out" || fail "no error for an unknown command"
grep -q '"event":"error","reason":"line too long (at most 4095 bytes)"' \
	"$D/c.out" || fail "no error for a long line"
echo "quit" >&"$c_fd"
stop_callee c

# 5. busy: a SIPp far end answers 486 Busy Here: exit 2
if command -v sipp >/dev/null; then
	sipp_uas busy uas_486.xml
	caller a5 "sip:busy@127.0.0.1:$SPORT"
	rc=$?
	[ $rc = 2 ] || fail "busy call: exit $rc (want 2)"
	grep -q '"event":"ended","call":1,.*"cause":"busy","code":486' \
		"$D/a5.out" || fail "caller: no ended event with cause busy 486"
	wait "$UAS_PID" || fail "sipp: busy scenario failed"
fi

# 6. an account from the accounts file registers with a SIPp registrar
# (401 challenge, 200 Expires 30); end of input unregisters (Expires 0)
if command -v sipp >/dev/null; then
	sipp_uas reg "$(dirname "$0")/sipp/uas_register_401.xml"
	mkdir -p "$D/cfg-r"
	echo "Alice <sip:alice@127.0.0.1:$SPORT>;auth_pass=secret;regint=60" \
		>"$D/cfg-r/accounts"
	start_callee r
	wait_line "$D/r.out" \
		'"event":"registered","account":"Alice","expires":30' 10 ||
		fail "account: no registered event"
	echo "accounts" >&"$r_fd"
	wait_line "$D/r.out" \
		'"event":"account","name":"Alice","aor":"sip:alice@127.0.0.1:[0-9]*","state":"registered"' \
		5 || fail "accounts: Alice not listed as registered"
	stop_callee r
	wait "$UAS_PID" || fail "sipp: registration scenario failed (no un-REGISTER?)"
fi

# 7. usage errors exit 1 with a message
"$PB" call 2>"$D/u.err"
[ $? = 1 ] || fail "call without URI: want exit 1"
grep -q "which URI to call" "$D/u.err" || fail "no message for a missing URI"
"$PB" call sip:x@127.0.0.1 --timeout soon 2>"$D/u.err"
[ $? = 1 ] || fail "bad --timeout: want exit 1"
"$PB" --frobnicate 2>"$D/u.err"
[ $? = 1 ] || fail "unknown option: want exit 1"
grep -q "unknown option '--frobnicate'" "$D/u.err" ||
	fail "no message for an unknown option"
echo "PASS"
