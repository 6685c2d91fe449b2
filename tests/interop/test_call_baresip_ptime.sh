#!/bin/bash
# test_call_baresip_ptime.sh: Debian's baresip, its account set to 40 ms
# packets (;ptime=40), calls phonebox: its offer says a=ptime:40; phonebox
# answers a=ptime:40 and sends 40 ms packets; baresip keeps sending 40 ms
# (it logs a change of its packet time if our answer asked for another).
# phonebox plays 700 Hz, baresip 1100 Hz; each tone is heard by the other
# side. Then phonebox calls baresip: our offer says a=ptime:20, and both
# ends use 20 ms; the tones still pass. Loopback-only netns.
set -u
command -v baresip >/dev/null || { echo "baresip not installed"; exit 77; }
if [ -z "${PB_IN_NETNS:-}" ]; then
	PB_IN_NETNS=1 exec unshare -n bash -c 'ip link set lo up && exec bash "$0"' "$0"
fi
here=$(dirname "$0")
. "$here/call_lib.sh"
. "$here/baresip_lib.sh"
need_tools
tone tone700.wav 700
tone tone1100.wav 1100

# 1. baresip (ptime 40) calls phonebox; baresip hangs up after 6 s
pb_script callee --listen "udp:127.0.0.1:0" --auto-answer 0 --sip-trace \
	--play "$D/tone700.wav" --record "$D/pb_rx.wav"
pbport=$(pb_port callee udp)
[ -n "$pbport" ] || fail "phonebox did not say where it listens"
bsport=$(free_port_pair)
bs_config bs "$bsport" "$D/tone1100.wav" \
	"<sip:bs@127.0.0.1:$bsport;transport=udp>;regint=0;audio_codecs=pcmu;ptime=40"
bs_start bs 6 -e "/dial sip:pb@127.0.0.1:$pbport"
pb_event callee "$(ev answered)" || fail "no answered event from phonebox"
pb_event callee "$(ev ended)" 20 || fail "phonebox did not see the hangup"
wait "$BS_PID" 2>/dev/null
pb_quit callee
grep -q "Call established" "$D/bs.log" || fail "baresip: no call established"
grep -q "^a=ptime:40" "$D/bs.log" || fail "baresip's offer has no a=ptime:40"
grep -q "aufile: audio ptime=40" "$D/bs.log" ||
	fail "baresip does not send 40 ms packets"
grep -q "changed ptime_tx" "$D/bs.log" &&
	fail "baresip changed its packet time: $(grep "ptime_tx" "$D/bs.log")"
grep '"dir": *"out"' "$D/callee.ev" | grep "SIP/2.0 200 OK" |
	grep -q 'a=ptime:40' || fail "our answer has no a=ptime:40"
heard "$(bs_rx bs)" 700 2
heard "$D/pb_rx.wav" 1100 2
echo "ok - baresip offered 40 ms, both sides sent 40 ms, tones both ways"

# 2. phonebox calls baresip (ptime 40): we ask 20 ms, baresip follows
mkdir -p "$D/cfg"
echo "Alice <sip:alice@127.0.0.1>;registrar=none;mediaenc=off" \
	>"$D/cfg/accounts"
bsport=$(free_port_pair)
bs_config bsin "$bsport" "$D/tone1100.wav" \
	"<sip:bs@127.0.0.1:$bsport;transport=udp>;regint=0;answermode=auto;audio_codecs=pcmu;ptime=40"
bs_start bsin 30
wait_for udp_bound "$bsport" || fail "baresip not on UDP"
FAIL_LOGS+=("$D/out.pb")
timeout 30 "$PB" call "sip:bs@127.0.0.1:$bsport" --account Alice \
	--config "$D/cfg" --audio null --play "$D/tone700.wav" \
	--record "$D/pb_rx_out.wav" --hangup-after 4 >"$D/out.pb" 2>&1 ||
	fail "phonebox -> baresip: call exit $?"
wait_for grep -q "terminated" "$D/bsin.log" ||
	fail "baresip did not see the hangup"
bs_stop
grep -q "changed ptime_tx 40ms -> 20ms" "$D/bsin.log" ||
	fail "baresip did not take our a=ptime:20"
heard "$(bs_rx bsin)" 700 2
heard "$D/pb_rx_out.wav" 1100 2
echo "ok - phonebox offered 20 ms to a 40 ms baresip, tones both ways"
echo "PASS"
