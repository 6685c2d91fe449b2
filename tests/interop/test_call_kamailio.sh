#!/bin/bash
# test_call_kamailio.sh: phonebox and baresip both register with Debian's
# Kamailio (digest auth; INVITEs are challenged with 407 too), phonebox
# calls bob by his AOR and Kamailio finds baresip in its location table.
# phonebox plays 700 Hz, baresip 1100 Hz; each tone is detected in the
# other's recording; phonebox hangs up and baresip sees the BYE through
# the proxy (record-routed). Loopback-only netns.
set -u
here=$(dirname "$0")
. "$here/kamailio_lib.sh"
. "$here/baresip_lib.sh"

KPORT=$(free_port)
kam_proxy_config "$D" "$KPORT"
kam_start
# registered AOR $1 (usrloc keeps the user part only)
bound() { kam_has "AoR: $1\$"; }

tone tone700.wav 700
tone tone1100.wav 1100
bs_config bob "$(free_port_pair)" "$D/tone1100.wav" \
	"<sip:bob@127.0.0.1:$KPORT;transport=udp>;auth_pass=secret;regint=60;answermode=auto;audio_codecs=pcmu"
bs_start bob 40
wait_for bound bob || fail "baresip did not register"

mkdir -p "$D/caller.cfg"
echo "Alice <sip:alice@127.0.0.1:$KPORT>;auth_pass=secret;regint=60" \
	>"$D/caller.cfg/accounts"
pb_script caller --listen udp:127.0.0.1:0 \
	--play "$D/tone700.wav" --record "$D/pb_rx.wav"
pb_event caller "$(ev registered)" || fail "phonebox did not register"
bound alice || fail "Kamailio has no binding for alice"
pb_cmd caller "dial sip:bob@127.0.0.1:$KPORT"
pb_event caller "$(ev answered)" 20 || fail "call to bob not answered"
grep -q "Call established" "$D/bob.log" || fail "baresip has no call"
# let the tones flow for 4 s (hold time, not synchronisation)
sleep 4
pb_cmd caller "hangup"
pb_event caller "$(ev ended)" || fail "call did not end"
wait_for grep -q "terminated" "$D/bob.log" || fail "baresip did not see BYE"
pb_quit caller
bs_stop
grep -E "$(ev registered)|$(ev answered)|$(ev ended)" "$D/caller.ev"
heard "$(bs_rx bob)" 700 2
heard "$D/pb_rx.wav" 1100 2
echo "PASS"
