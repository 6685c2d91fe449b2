#!/bin/bash
# test_call_linphone.sh: phonebox calls Debian's linphonec (auto-answer,
# sound from and to WAV files: "soundcard use files", play, record) twice:
# with PCMU, then with an account that offers only Opus. phonebox plays
# 700 Hz, linphonec 1100 Hz; each tone is detected in the other's
# recording, and phonebox's hangup ends the call in linphonec.
# linphonec needs auto_net_state_mon=0 in a loopback-only namespace (its
# network monitor sees no default route and would open no SIP socket), and
# a HOME of its own for its databases.
set -u
. "$(dirname "$0")/call_lib.sh"
need linphonec
need_tools

tone tone700.wav 700
tone tone1100.wav 1100
LP=$D/lp
LPPORT=$(free_port)
mkdir -p "$LP/.local/share/linphone" "$LP/data" "$LP/cfg"
cat >"$LP/linphonerc" <<EOF2
[sip]
sip_port=$LPPORT
sip_tcp_port=-1
sip_tls_port=-1
default_proxy=-1
ipv6_enabled=0
register_only_when_network_is_up=0
guess_hostname=0
contact=sip:lp@127.0.0.1
[net]
auto_net_state_mon=0
firewall_policy=0
stun_server=
nat_policy_ref=
[rtp]
audio_rtp_port=32000
video_rtp_port=32010
[sound]
echocancellation=0
[video]
enabled=0
capture=0
display=0
automatically_initiate=0
automatically_accept=0
[misc]
enable_basic_to_client_group_chat_room_migration=0
version_check_url_root=
EOF2
mkfifo "$D/lp.in"
FAIL_LOGS+=("$D/lp.out")
# commands come through a fifo; started without bg so that the fifo is
# its stdin (see call_lib.sh)
HOME="$LP" XDG_DATA_HOME="$LP/data" XDG_CONFIG_HOME="$LP/cfg" \
	timeout 60 linphonec -c "$LP/linphonerc" -a -d 4 -l "$D/lp.debug.log" \
	<"$D/lp.in" >"$D/lp.out" 2>&1 &
LP_PID=$!
BG_PIDS+=("$LP_PID")
exec {LPIN}>"$D/lp.in"
echo "soundcard use files" >&$LPIN
echo "play $D/tone1100.wav" >&$LPIN
wait_for udp_bound "$LPPORT" || fail "linphonec did not listen on $LPPORT"

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
