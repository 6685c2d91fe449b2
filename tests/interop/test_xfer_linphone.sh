#!/bin/bash
# test_xfer_linphone.sh: Debian's linphonec as the transferee of an
# attended transfer. phonebox A calls linphonec (auto-answer), holds it,
# calls phonebox C (answered by hand), then `xfer 1 2`: linphonec gets a
# REFER whose Refer-To carries Replaces and must call C with a Replaces
# header; C answers at once (no answer command), ends its call with A and
# records linphonec's 1100 Hz; A sees NOTIFY 200 and both its calls end.
# Then linphonec as the transfer target: A calls phonebox B, holds it,
# calls linphonec, `xfer 1 2`: B's INVITE with Replaces must make
# linphonec drop A and talk to B (B records 1100 Hz).
# linphonec setup: linphone_lib.sh.
set -u
. "$(dirname "$0")/call_lib.sh"
. "$(dirname "$0")/linphone_lib.sh"
need linphonec
need_tools

tone tone1100.wav 1100
lp_start "$D/tone1100.wav"

tone a.wav 500
tone c.wav 1300
pb_listen a udp --play "$D/a.wav"
pb_listen c udp --play "$D/c.wav" --record "$D/rc.wav"
CPORT=$PBPORT
echo "record $D/lp_rx.wav" >&$LPIN
pb_cmd a "dial sip:lp@127.0.0.1:$LPPORT"
pb_event a '"event":"answered","call":1' || fail "A-linphonec not answered"
pb_cmd a "hold 1"
pb_event a '"event":"hold","call":1' || fail "A: no hold"
pb_cmd a "dial sip:carol@127.0.0.1:$CPORT"
pb_event c '"event":"incoming","call":1' || fail "C: no incoming call"
pb_cmd c "answer 1"
pb_event a '"event":"answered","call":2' || fail "A-C not answered"
pb_cmd a "xfer 1 2"
pb_event c '"event":"incoming","call":2,.*"replaces":"1"' 20 ||
	fail "C: linphonec's INVITE does not replace call 1"
pb_event c '"event":"answered","call":2' || fail "C: call 2 not answered"
pb_event c '"event":"ended","call":1,.*"cause":"replaced"' ||
	fail "C: call 1 not ended as replaced"
pb_event a '"event":"transfer","call":1,.*"code":200' ||
	fail "A: no NOTIFY 200 from linphonec"
pb_event a '"event":"ended","call":1' || fail "A: call 1 not ended"
pb_event a '"event":"ended","call":2' || fail "A: call 2 not ended"
sleep 3
pb_cmd c "hangup 2"
pb_event c '"event":"ended","call":2' || fail "C: call 2 did not end"
pb_quit c || fail "C: exit status $?"
pb_quit a || fail "A: exit status $?"
heard "$D/rc-2.wav" 1100 1.5

# 2. linphonec is C: phonebox B sends it the INVITE with Replaces
tone b.wav 800
pb_listen b udp --play "$D/b.wav" --record "$D/rb.wav" --auto-answer 0
BPORT=$PBPORT
pb_listen a2 udp --play "$D/a.wav"
pb_cmd a2 "dial sip:bob@127.0.0.1:$BPORT"
pb_event a2 '"event":"answered","call":1' || fail "A2-B not answered"
pb_cmd a2 "hold 1"
pb_event b '"event":"hold","call":1' || fail "B: no hold"
pb_cmd a2 "dial sip:lp@127.0.0.1:$LPPORT"
pb_event a2 '"event":"answered","call":2' || fail "A2-linphonec not answered"
pb_cmd a2 "xfer 1 2"
pb_event b '"event":"answered","call":2' 20 ||
	fail "B: linphonec did not answer the INVITE with Replaces"
pb_event a2 '"event":"ended","call":2,.*"cause":"remote"' ||
	fail "A2: linphonec did not end the replaced call"
pb_event a2 '"event":"transfer","call":1,.*"code":200' ||
	fail "A2: no NOTIFY 200 from B"
pb_event a2 '"event":"ended","call":1' || fail "A2: call 1 not ended"
sleep 3
pb_cmd b "hangup 2"
pb_event b '"event":"ended","call":2' || fail "B: call 2 did not end"
pb_quit a2 || fail "A2: exit status $?"
pb_quit b || fail "B: exit status $?"
heard "$D/rb-2.wav" 1100 1.5
echo quit >&$LPIN
wait_for -t 10 bash -c "! kill -0 $LP_PID 2>/dev/null" ||
	fail "linphonec did not quit"
echo "PASS"
