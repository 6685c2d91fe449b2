#!/bin/bash
# test_xfer_attended.sh: attended transfer (RFC 5589 / RFC 3891) between
# three phonebox phones in script mode on 127.0.0.1. A calls B, holds it,
# calls C (C answers by hand: no auto-answer), then `xfer 1 2`: A sends
# REFER with Refer-To <C?Replaces=...> to B, B calls C with Replaces, C
# answers that INVITE at once (no 180, no answer command) and ends its
# call with A, B reports 200 by NOTIFY and leaves A. Each phone plays its
# own tone: B's recording of its new call holds C's tone and C's holds
# B's. Then an INVITE whose Replaces names no dialog, and one naming an
# early dialog the phone did not originate, both get 481 (SIPp callers).
set -u
. "$(dirname "$0")/call_lib.sh"
need_tools
FAIL_TAIL=30

tone a.wav 500
tone b.wav 800
tone c.wav 1300
pb_listen a udp --play "$D/a.wav" --record "$D/ra.wav"
pb_listen b udp --play "$D/b.wav" --record "$D/rb.wav" --auto-answer 0
BPORT=$PBPORT
pb_listen c udp --play "$D/c.wav" --record "$D/rc.wav"
CPORT=$PBPORT

# A -> B (B answers by itself), A holds B
pb_cmd a "dial sip:bob@127.0.0.1:$BPORT"
pb_event a '"event":"answered","call":1' || fail "A-B not answered"
pb_cmd a "hold 1"
pb_event b '"event":"hold","call":1' || fail "B: no hold event"
# A -> C, answered on C by hand
pb_cmd a "dial sip:carol@127.0.0.1:$CPORT"
pb_event c '"event":"incoming","call":1' || fail "C: no incoming call"
pb_cmd c "answer 1"
pb_event a '"event":"answered","call":2' || fail "A-C not answered"
pb_event c '"event":"answered","call":1' || fail "C: call 1 not answered"

# a bad xfer is refused with a reason, and nothing is sent
pb_cmd a "xfer 1 1"
pb_event a '"event":"error","command":"xfer 1 1","reason":"cannot transfer call 1 to itself"' 5 ||
	fail "A: no error for xfer 1 1"
pb_cmd a "xfer 1 to 2"

# B: REFER accepted, new call 2 to C answered without ringing
pb_event b '"event":"transfer","call":1,.*"code":0' ||
	fail "B: no transfer request"
pb_event b '"event":"answered","call":2' || fail "B: call 2 not answered"
grep -q '"event":"ringing","call":2' "$D/b.ev" &&
	fail "B: C rang for the INVITE with Replaces"
grep -q '"event":"calling","call":2,.*"to":"sip:carol@127.0.0.1:'"$CPORT"'"' \
	"$D/b.ev" || fail "B: call 2 did not go to C"
# C: the new call replaces call 1, answered with no answer command
pb_event c '"event":"incoming","call":2,.*"replaces":"1"' ||
	fail "C: call 2 does not say it replaces call 1"
pb_event c '"event":"answered","call":2' || fail "C: call 2 not answered"
pb_event c '"event":"ended","call":1,.*"cause":"replaced"' ||
	fail "C: call 1 (with A) not ended as replaced"
[ "$(grep -c '"command":"answer' "$D/c.ev")" = 0 ] ||
	fail "C: an answer command failed"
# A: NOTIFY 200 seen, both calls ended
pb_event a '"event":"transfer","call":1,.*"code":200' ||
	fail "A: no NOTIFY 200 for the transfer"
pb_event a '"event":"ended","call":1' || fail "A: call 1 not ended"
pb_event a '"event":"ended","call":2' || fail "A: call 2 not ended"
pb_event b '"event":"ended","call":1' || fail "B: call 1 not ended"
# B and C still talk: media flows both ways for a while
sleep 2.5
grep -q '"event":"ended","call":2' "$D/b.ev" "$D/c.ev" &&
	fail "the B-C call ended early"
pb_cmd b "hangup 2"
pb_event c '"event":"ended","call":2,.*"cause":"remote"' ||
	fail "C: call 2 did not end by B's BYE"
pb_cmd a calls
pb_event a '"event":"info","text":"no calls"' 5 || fail "A: calls left over"
# newest first: a phone started later holds the fifos of earlier ones
pb_quit c || fail "C: exit status $?"
pb_quit b || fail "B: exit status $?"
pb_quit a || fail "A: exit status $?"
heard "$D/rb-2.wav" 1300 1.0
heard "$D/rc-2.wav" 800 1.0

# 481: Replaces naming no dialog, and naming an early dialog we did not
# originate (SIPp rings phone D, a second SIPp names that dialog)
command -v sipp >/dev/null || { echo "PASS (sipp absent: 481 cases not run)"; exit 0; }
pb_listen d udp
sipp_uac bogus uac_replaces_481.xml 0 \
	-key replaces "nosuchcall@127.0.0.1;to-tag=x1;from-tag=y2"
wait "$UAC_PID" || fail "sipp: no 481 for a Replaces naming no dialog"
sipp_uac ring uac_ring_decline.xml 0 -cid_str "early-dialog@127.0.0.1"
RING_PID=$UAC_PID
pb_event d '"event":"incoming","call":1' || fail "D: the SIPp call did not ring"
wait_for grep -qs "SIP/2.0 180" "$D/ring.msg" || fail "sipp: no 180 logged"
TT=$(grep -A20 "SIP/2.0 180" "$D/ring.msg" | grep -m1 -iE "^(To|t):" |
	sed -n 's/.*;tag=\([^;> \r]*\).*/\1/p' | tr -d '\r')
[ -n "$TT" ] || fail "no To tag in the 180"
sipp_uac early uac_replaces_481.xml 0 \
	-key replaces "early-dialog@127.0.0.1;to-tag=$TT;from-tag=early1"
wait "$UAC_PID" || fail "sipp: no 481 for a Replaces naming an early incoming dialog"
grep -q '"event":"incoming","call":2' "$D/d.ev" &&
	fail "D: an INVITE with a bad Replaces made a call"
pb_cmd d "hangup 1"
wait "$RING_PID" || fail "sipp: the ringing call did not end with 603"
pb_quit d || fail "D: exit status $?"
echo "PASS"
