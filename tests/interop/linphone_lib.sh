# linphone_lib.sh: start Debian's linphonec for a test (source after
# call_lib.sh). linphonec needs auto_net_state_mon=0 in a loopback-only
# namespace (its network monitor sees no default route and would open no
# SIP socket), and a HOME of its own for its databases. It auto-answers
# (-a) and takes sound from and to WAV files ("soundcard use files").
#
# lp_start PLAYWAV: linphonec on free ports playing PLAYWAV; sets LP (its
# folder), LPPORT (SIP over UDP), LPIN (fd of its command fifo), LP_PID.
# lp_cmd LINE: one linphonec command.

lp_start() {
	local play=$1 rtp
	LP=$D/lp
	LPPORT=$(free_port)
	# an even free port for RTP; RTCP takes the next one
	rtp=$(python3 -c "
import socket
for p in range(20000, 60000, 2):
    try:
        a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        a.bind(('127.0.0.1', p))
        b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        b.bind(('127.0.0.1', p + 1))
        print(p)
        break
    except OSError:
        pass")
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
audio_rtp_port=$rtp
video_rtp_port=$((rtp + 10))
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
	# commands come through a fifo; started without bg so that the fifo
	# is its stdin (see call_lib.sh)
	HOME="$LP" XDG_DATA_HOME="$LP/data" XDG_CONFIG_HOME="$LP/cfg" \
		timeout 60 linphonec -c "$LP/linphonerc" -a -d 4 \
		-l "$D/lp.debug.log" <"$D/lp.in" >"$D/lp.out" 2>&1 &
	LP_PID=$!
	BG_PIDS+=("$LP_PID")
	exec {LPIN}>"$D/lp.in"
	lp_cmd "soundcard use files"
	lp_cmd "play $play"
	wait_for udp_bound "$LPPORT" ||
		fail "linphonec did not listen on $LPPORT"
}

lp_cmd() { echo "$1" >&"$LPIN"; }
