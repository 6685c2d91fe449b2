#!/bin/bash
# test_call_sipp_uas.sh: phonebox calls SIPp callees that test its caller
# side: a reliable 183 that must be PRACKed, a callee without PRACK (an
# account with 100rel=off must not offer 100rel), two 181 forwarding hops
# that must come out as two "forwarded" events in order, and a 302 whose
# Contact must be followed to a second callee. Every call is answered and
# ended by phonebox with BYE; SIPp checks each message it expects.
set -u
. "$(dirname "$0")/call_lib.sh"
need sipp

# uas NAME SCENARIO [SIPP-ARGS...]: SIPp callee for one call on port
# SPORT, echoing RTP
uas() {
	sipp_uas "$@" -mp "$(free_port)" -rtp_echo
}

# call NAME URI [ARGS...]: one-shot phonebox call, hung up 1 s after the
# answer; exit status in PBRC, output in $D/NAME.pb
call() {
	pb_call "$@" --hangup-after 1
}

# sipp_done NAME: the SIPp callee finished its scenario without error
sipp_done() {
	wait "$UAS_PID" || fail "$1: SIPp scenario failed (exit $?)"
}

mkdir -p "$D/cfg"
# accounts: the default one, and one that must not use 100rel at all
cat >"$D/cfg/accounts" <<EOF
Alice <sip:alice@127.0.0.1>;registrar=none
NoRel <sip:norel@127.0.0.1>;registrar=none;100rel=off
EOF

# 1. 183 with Require: 100rel and RSeq: phonebox PRACKs, then 200/ACK/BYE
uas rel uas_100rel.xml
call rel "sip:bob@127.0.0.1:$SPORT"
[ "$PBRC" = 0 ] || fail "100rel: phonebox call exit $PBRC"
sipp_done 100rel
grep -q "^PRACK sip:" "$D/rel.sipp.msg" || fail "100rel: no PRACK seen"
echo "ok 1 - reliable 183 PRACKed, call completed"

# 2. the callee answers PRACK with 405; account 100rel=off offers no 100rel
uas norel uas_no100rel.xml
call norel "sip:bob@127.0.0.1:$SPORT" --account NoRel
[ "$PBRC" = 0 ] || fail "100rel=off: phonebox call exit $PBRC"
sipp_done norel
echo "ok 2 - 100rel=off: no 100rel in the INVITE, call completed"

# 3. two 181 hops (userb -> userc, userc -> userd) seen as two events
uas fwd uas_181.xml
pb_script caller --listen udp:127.0.0.1:0
pb_cmd caller "dial sip:bob@127.0.0.1:$SPORT"
pb_event caller "$(ev answered)" || fail "181: call not answered"
pb_cmd caller "hangup"
pb_event caller "$(ev ended)" || fail "181: call did not end"
sipp_done fwd
grep -E "$(ev forwarded)" "$D/caller.ev" >"$D/fwd.lines"
cat "$D/fwd.lines"
[ "$(wc -l <"$D/fwd.lines")" = 2 ] || fail "181: expected 2 forwarded events"
sed -n 1p "$D/fwd.lines" | grep -qE '"from": *"userb".*"to": *"userc"' ||
	fail "181: first hop is not userb -> userc"
sed -n 2p "$D/fwd.lines" | grep -qE '"from": *"userc".*"to": *"userd"' ||
	fail "181: second hop is not userc -> userd"
pb_quit caller
echo "ok 3 - two 181 forwarding hops reported in order"

# 4. 302 to a second callee: the call follows the Contact and completes
uas target uas_answer.xml
TPORT=$SPORT
TARGET_PID=$UAS_PID
uas redir uas_302.xml -key target_port "$TPORT"
call redir "sip:bob@127.0.0.1:$SPORT"
[ "$PBRC" = 0 ] || fail "302: phonebox call exit $PBRC"
sipp_done redirect
grep -q "redirected (302) to sip:carol@127.0.0.1:$TPORT" "$D/redir.pb" ||
	fail "302: phonebox did not tell that it follows the redirect"
UAS_PID=$TARGET_PID
sipp_done "redirect target"
echo "ok 4 - 302 followed to the Contact, call completed"
echo "PASS"
