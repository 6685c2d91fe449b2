#!/bin/bash
# test_call_linphone.sh: phonebox calls Debian's linphonec (auto-answer,
# sound from and to WAV files: "soundcard use files", play, record) twice:
# with PCMU, then with an account that offers only Opus. phonebox plays
# 700 Hz, linphonec 1100 Hz; each tone is detected in the other's
# recording, and phonebox's hangup ends the call in linphonec.
# linphonec setup: linphone_lib.sh.
set -u
. "$(dirname "$0")/call_lib.sh"
. "$(dirname "$0")/linphone_lib.sh"
need linphonec
need_tools

tone tone700.wav 700
tone tone1100.wav 1100
lp_start "$D/tone1100.wav"

mkdir -p "$D/cfg"
echo "Opus <sip:alice@127.0.0.1>;registrar=none;codecs=opus" \
	>"$D/cfg/accounts"
# lpcall N CODEC [ARGS...]: call N to linphonec, which must end up with
# CODEC; recordings $D/pb_rxN.wav and $D/lp_rxN.wav
lpcall() {
	local n=$1 codec=$2
	shift 2
	echo "record $D/lp_rx$n.wav" >&$LPIN
	pb_call "call$n" "sip:lp@127.0.0.1:$LPPORT" --play "$D/tone700.wav" \
		--record "$D/pb_rx$n.wav" --hangup-after 4 "$@"
	[ "$PBRC" = 0 ] || fail "call $n: phonebox -> linphonec: exit $PBRC"
	grep "^call 1: answered" "$D/call$n.pb"
	grep -q "^call 1: answered, $codec," "$D/call$n.pb" ||
		fail "call $n: not answered with $codec"
	wait_for grep -q "Call $n with .* connected" "$D/lp.out" ||
		fail "call $n: linphonec never connected the call"
	wait_for grep -q "Call $n with .* ended" "$D/lp.out" ||
		fail "call $n: linphonec did not see the hangup"
	heard "$D/lp_rx$n.wav" 700 2
	heard "$D/pb_rx$n.wav" 1100 2
}
# 1. the direct call's first codec (PCMU); 2. an account that offers
# only Opus (RFC 7587, 48 kHz)
lpcall 1 PCMU
lpcall 2 opus --account Opus
echo quit >&$LPIN
wait_for -t 10 bash -c "! kill -0 $LP_PID 2>/dev/null" ||
	fail "linphonec did not quit"
grep -E "connected|ended" "$D/lp.out"
echo "PASS"
