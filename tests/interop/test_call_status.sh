#!/bin/bash
# test_call_status.sh: `phonebox call` tells by its exit status how a call
# ended: 486 Busy Here -> 2, 603 Decline -> 3 (with the code printed).
set -u
. "$(dirname "$0")/call_lib.sh"
need sipp

# reject NAME CODE: SIPp refuses the call with CODE (uas_CODE.xml)
reject() {
	sipp_uas "$1" "uas_$2.xml"
	pb_call "$1" "sip:bob@127.0.0.1:$SPORT"
	wait "$UAS_PID" || fail "$1: SIPp scenario failed"
}

reject busy 486
[ "$PBRC" = 2 ] || fail "486: exit $PBRC, want 2 (busy)"
echo "ok 1 - 486 Busy Here: exit 2"
reject decline 603
[ "$PBRC" = 3 ] || fail "603: exit $PBRC, want 3 (rejected)"
grep -q "603" "$D/decline.pb" || fail "603: the code is not printed"
echo "ok 2 - 603 Decline: exit 3, code printed"

echo "PASS"
