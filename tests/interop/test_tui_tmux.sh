#!/bin/bash
# test_tui_tmux.sh: the terminal UI driven in tmux (send-keys, capture-pane)
# against a script-mode phonebox: dial, see ringing, the far end answers,
# the call shows active with its codec and media, the duration counts,
# hold/resume, DTMF by key, hang up by key; then an incoming call prompted and answered with 'a', ended by the
# far end; a call through two forwards (SIPp 181s) shows both notes in
# order; then q q quits with status 0 and the terminal restored, and so
# does SIGTERM.
set -u
command -v tmux >/dev/null || { echo "tmux not installed"; exit 77; }
if [ -z "${PB_IN_NETNS:-}" ]; then
	PB_IN_NETNS=1 exec unshare -n bash -c 'ip link set lo up && exec bash "$0"' "$0"
fi
PB=${PB_BIN:?PB_BIN not set}
D=$(mktemp -d /tmp/pbtui.XXXXXX)
SOCK=pbtui$$
T() { tmux -L "$SOCK" "$@"; }
CPID=""
SIPP=""
cleanup() {
	T kill-server 2>/dev/null
	[ -n "$CPID" ] && kill "$CPID" 2>/dev/null
	[ -n "$SIPP" ] && kill "$SIPP" 2>/dev/null
	exec 3>&- 2>/dev/null
	rm -rf "$D"
}
trap cleanup EXIT
fail() {
	echo "FAIL: $*"
	echo "--- screen:"; T capture-pane -p -t tui 2>/dev/null
	echo "--- callee events:"; cat "$D/callee.json" 2>/dev/null
	echo "--- callee stderr:"; tail -20 "$D/callee.err" 2>/dev/null
	exit 1
}
free_port() {
	python3 -c 'import socket;s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);s.bind(("127.0.0.1",0));print(s.getsockname()[1])'
}
screen() { T capture-pane -p -t tui 2>/dev/null; }
# wait_for WHAT SECONDS COMMAND...: poll COMMAND every 50 ms until it
# succeeds, or fail after SECONDS.
wait_for() {
	local what=$1 secs=$2 i; shift 2
	for ((i = 0; i < secs * 20; i++)); do
		"$@" && return 0
		sleep 0.05
	done
	fail "timed out waiting for $what"
}
on_screen() { screen | grep -Eq -- "$1"; }
callee_has() { grep -Eq -- "$1" "$D/callee.json" 2>/dev/null; }
# the value of "KEY" in the first callee event matching PATTERN
callee_field() {
	grep -E -- "$1" "$D/callee.json" | head -1 |
		python3 -c 'import json,sys; v=json.loads(sys.stdin.readline()).get(sys.argv[1]); print("null" if v is None else v)' "$2"
}

P1=$(free_port)
P2=$(free_port)
mkdir -p "$D/c1" "$D/c2"

# the far end: script mode, commands through a fifo kept open on fd 3
mkfifo "$D/fifo"
exec 3<>"$D/fifo"
"$PB" --script --listen "udp:127.0.0.1:$P1" --audio null --config "$D/c2" \
	<"$D/fifo" >"$D/callee.json" 2>"$D/callee.err" &
CPID=$!
callee_up() { ss -lun 2>/dev/null | grep -q "127.0.0.1:$P1 "; }
wait_for "the callee to listen on $P1" 10 callee_up

# start_tui SESSION NAME: the TUI in a fixed-size terminal of our own tmux
# server; when it exits, the terminal's modes go to NAME.stty and its exit
# status to NAME.exit.
start_tui() {
	T -f /dev/null new-session -d -s "$1" -x 120 -y 50 \
		"'$PB' --config '$D/c1' --audio null --listen udp:127.0.0.1:$3; rc=\$?; stty -a >'$D/$2.stty'; echo \$rc >'$D/$2.exit'; sleep 600"
}
# the terminal is back in canonical mode with echo
tty_sane() {
	grep -Eq '(^|[ ;])icanon( |;|$)' "$D/$1.stty" &&
		grep -Eq '(^|[ ;])echo( |;|$)' "$D/$1.stty"
}
start_tui tui tui "$P2"
wait_for "the TUI to start" 10 on_screen '^phonebox '

# 1. outgoing call: dial, ringing, answered by the far end
T send-keys -t tui ":dial sip:x@127.0.0.1:$P1" Enter
wait_for "ringing on the screen" 10 on_screen "^ +1 out .*sip:x@127\.0\.0\.1:$P1.* ringing "
wait_for "the callee's incoming event" 10 callee_has '"event": *"incoming"'
echo "answer" >&3
wait_for "the callee's answered event" 10 callee_has '"event": *"answered"'
codec=$(callee_field '"event": *"answered"' codec)
srtp=$(callee_field '"event": *"answered"' srtp)
if [ "$srtp" = null ]; then media="plain RTP"; else media="SRTP $srtp"; fi
line="^ +1 out .*sip:x@127\.0\.0\.1:$P1.* active +[0-9]+:[0-9]{2} +$codec +$media\$"
wait_for "call 1 active with $codec / $media" 10 on_screen "$line"
wait_for "the answered line in the log" 5 on_screen "call 1: answered, $codec, $media"
# the 1 s tick moves the duration on without any key
wait_for "the call duration to count" 5 on_screen "^ +1 out .* active +0:0[1-9] "

# H holds and H resumes; the far end is told both times
T send-keys -t tui H
wait_for "call 1 held" 10 on_screen "^ +1 out .* held +[0-9]+:[0-9]{2} "
wait_for "the callee's hold event" 10 callee_has '"event": *"hold"'
T send-keys -t tui H
wait_for "call 1 active again" 10 on_screen "^ +1 out .* active +[0-9]+:[0-9]{2} "
wait_for "the callee's resumed event" 10 callee_has '"event": *"resumed"'

# a digit key sends DTMF on the active call
T send-keys -t tui 5
wait_for "the callee to receive DTMF 5" 10 callee_has '"event": *"dtmf".*"digit": *"5"'

# hang up with the key
T send-keys -t tui h
wait_for "ended on the screen" 10 on_screen "call 1: ended, local\$"
wait_for "the callee's ended event" 10 callee_has '"event": *"ended"'

# 2. incoming call: the prompt, 'a' answers, the far end hangs up
echo "dial sip:tui@127.0.0.1:$P2" >&3
wait_for "the incoming call prompt" 10 on_screen \
	"^Incoming call from .*sip:.*  \[a\]nswer \[r\]eject\$"
wait_for "call 2 incoming in the list" 5 on_screen "^ +2 in +.* incoming "
T send-keys -t tui a
wait_for "call 2 active" 10 on_screen "^ +2 in +.* active +[0-9]+:[0-9]{2} +[A-Za-z0-9]+ +(plain RTP|SRTP [A-Z0-9_]+)\$"
on_screen "Incoming call from" && fail "the prompt stayed after answering"
wait_for "the callee's second answered event" 10 \
	sh -c "grep -c '\"event\": *\"answered\"' '$D/callee.json' | grep -qx 2"
echo "hangup" >&3
wait_for "call 2 ended by the far end" 10 on_screen "call 2: ended, remote"

# 3. forwarding notes: a SIPp callee behind two forwards (two 181s)
if command -v sipp >/dev/null; then
	SP=$(free_port)
	MP=$(free_port)
	timeout 40 sipp -sf "$PB_TESTDATA/sipp/uas_181.xml" -i 127.0.0.1 \
		-p "$SP" -mp "$MP" -rtp_echo -m 1 -timeout 30s -timeout_error \
		-trace_err -error_file "$D/sipp.err" -nostdin >"$D/sipp.out" 2>&1 &
	SIPP=$!
	sipp_up() { ss -lun 2>/dev/null | grep -q "127.0.0.1:$SP "; }
	wait_for "SIPp to listen on $SP" 10 sipp_up
	T send-keys -t tui ":dial sip:bob@127.0.0.1:$SP" Enter
	wait_for "call 3 active" 10 on_screen "^ +3 out .* active "
	screen | grep -E "call 3: .*forwarded" >"$D/fwd.lines"
	grep -qE ' call 3: userb forwarded to userc$' <(sed -n 1p "$D/fwd.lines") ||
		fail "first forwarding note is not 'userb forwarded to userc'"
	grep -qE ' call 3: userc forwarded to userd$' <(sed -n 2p "$D/fwd.lines") ||
		fail "second forwarding note is not 'userc forwarded to userd'"
	[ "$(wc -l <"$D/fwd.lines")" = 2 ] || fail "expected two forwarding notes"
	T send-keys -t tui h
	wait_for "call 3 ended" 10 on_screen "call 3: ended, local\$"
	wait "$SIPP" || { tail -20 "$D/sipp.err" "$D/sipp.out"; fail "SIPp scenario failed"; }
	SIPP=""
else
	echo "sipp not installed: forwarding notes not checked"
fi

# 4. q q quits, with exit status 0
T send-keys -t tui q
wait_for "the quit question" 5 on_screen "press q again to quit"
T send-keys -t tui q
wait_for "phonebox to exit" 15 test -s "$D/tui.exit"
[ "$(cat "$D/tui.exit")" = 0 ] || fail "TUI exit status $(cat "$D/tui.exit")"
on_screen '^phonebox ' && fail "the UI is still on the screen after quitting"
tty_sane tui || fail "terminal modes after quitting: $(cat "$D/tui.stty")"

# 5. SIGTERM (e.g. at logout) also gives the terminal back
P3=$(free_port)
start_tui tui2 tui2 "$P3"
on_screen2() { T capture-pane -p -t tui2 2>/dev/null | grep -Eq -- "$1"; }
wait_for "the second TUI to start" 10 on_screen2 '^phonebox '
wrapper=$(T list-panes -t tui2 -F '#{pane_pid}')
pbpid=$(pgrep -P "$wrapper" | head -1)
[ -n "$pbpid" ] || fail "no phonebox process under the tmux pane"
kill -TERM "$pbpid"
wait_for "phonebox to exit on SIGTERM" 15 test -s "$D/tui2.exit"
tty_sane tui2 || fail "terminal modes after SIGTERM: $(cat "$D/tui2.stty")"

echo "quit" >&3
callee_gone() { ! kill -0 "$CPID" 2>/dev/null; }
wait_for "the callee to quit" 10 callee_gone
wait "$CPID" || fail "callee exit status $?"
CPID=""
echo "PASS"
