#!/bin/bash
# test_call_sipp_srtp.sh: phonebox as callee (script mode, auto-answer)
# gets the SDES offer MicroSIP sends: RTP/AVP with a=crypto:1 AES-256 then
# a=crypto:2 AES-128. SIPp checks that the 200 answers RTP/AVP with exactly
# one a=crypto carrying the tag of the line chosen, with that line's suite.
# SIPp cannot do SRTP media, so tests/tools/srtppeer is the media end of
# the SIPp caller: it encrypts a 1100 Hz tone with the offered key of the
# chosen line and decrypts phonebox's 700 Hz tone with the answered key;
# each tone must be heard in the other side's recording. A second offer
# with tags 3 (unknown suite) and 7 must be answered with tag 7. Which of
# tags 1 and 2 must win is test_call_sipp_srtp_pref.sh.
set -u
. "$(dirname "$0")/call_lib.sh"
need sipp
need_tools

tone tone700.wav 700
pb_listen callee udp --auto-answer 0 \
	--play "$D/tone700.wav" --record "$D/pb_rx.wav"

# the media end: prints its port, then reads the far end's address and
# keys from a fifo (no coproc: bash drops a coproc's pid and fds as soon
# as it exits, which races with reading its last line)
mkfifo "$D/peer.in"
FAIL_LOGS+=("$D/srtppeer.err" "$D/srtppeer.out")
"$TOOLS/srtppeer" --freq 1100 --seconds 3 --record "$D/peer_rx.wav" \
	<"$D/peer.in" >"$D/srtppeer.out" 2>"$D/srtppeer.err" &
PEER_PID=$!
BG_PIDS+=("$PEER_PID")
exec {PEER_IN}>"$D/peer.in"
wait_for -t 10 grep -qs "^port " "$D/srtppeer.out" || fail "srtppeer did not start"
read -r _ RTPPORT < <(grep -m1 "^port " "$D/srtppeer.out")

KEY256=$(openssl rand -base64 46)
KEY128=$(openssl rand -base64 30)

# 1. MicroSIP's offer; the call lasts 5 s, the tool sends for 3 s of it
sdes_uac micro uac_microsip.xml 5000
wait_for grep -qs "^ANSWER " "$D/micro.log" ||
	fail "no answer logged by SIPp (200 missing or failed a check)"
read -r _ raddr rport tag suite rxkey < <(grep -m1 "^ANSWER " "$D/micro.log")
echo "answer: $raddr:$rport tag $tag $suite"
case "$tag" in
1) txkey=$KEY256 ;;
2) txkey=$KEY128 ;;
*) fail "answered with crypto tag '$tag', offered 1 and 2" ;;
esac
echo "$raddr $rport $suite inline:$txkey $rxkey" >&"$PEER_IN"
exec {PEER_IN}>&-
wait "$PEER_PID" || fail "SRTP from phonebox not received or not authentic"
echo "srtppeer: $(grep -v "^port " "$D/srtppeer.out")"
wait "$UAC_PID" || fail "SIPp caller failed (exit $?)"
pb_event callee "$(ev ended)" || fail "phonebox did not report the end"
grep -E "$(ev answered)" "$D/callee.ev" | grep -q "\"srtp\": *\"$suite\"" ||
	fail "answered event does not name suite $suite"
heard "$D/peer_rx.wav" 700 2
heard "$D/pb_rx.wav" 1100 2
echo "ok 1 - MicroSIP offer answered with tag $tag ($suite), audio both ways"

# 2. tags 3 (SEED, unsupported) and 7 (AES_CM_128_HMAC_SHA1_80|2^31)
sdes_uac tags uac_crypto_tags.xml 300
wait "$UAC_PID" || fail "tags 3/7: SIPp caller failed (exit $?)"
echo "ok 2 - crypto tags 3 and 7: answered with tag 7"
pb_quit callee
echo "PASS"
