# baresip_lib.sh: Debian's baresip (1.0) as a headless peer for the call
# tests (sources call_lib.sh; skips the test when baresip or the test tools
# are absent). No sound card: the source is a WAV
# (aufile, at the codec's rate, longer than the call, since aufile ends the
# call at the end of the file), the player is aubridge (no device), and
# the sndfile module dumps what was decoded to NAME/snd/dump-*-dec.wav.
# baresip 1.0 ignores loopback when it guesses its address, hence
# net_interface; it listens for TLS on the SIP port + 1 and does not verify
# certificates. Call logs: "Call established", "... terminated".
. "$(dirname "${BASH_SOURCE[0]}")/call_lib.sh"
need baresip
need_tools

# bs_config NAME SIPPORT TONE.wav ACCOUNT-LINE: write $D/NAME/{config,...}
bs_config() {
	local d=$D/$1 cert=""
	mkdir -p "$d/snd"
	[ -f "$D/keycert.pem" ] && cert="sip_certificate		$D/keycert.pem
sip_cafile		$D/ca.pem"
	cat >"$d/config" <<EOF
poll_method		epoll
dns_server		127.0.0.1:53
net_interface		127.0.0.1
sip_listen		127.0.0.1:$2
$cert
call_local_timeout	30
audio_player		aubridge,$1-nil
audio_source		aufile,$3
audio_alert		aubridge,$1-alert
audio_level		no
ausrc_format		s16
auplay_format		s16
auenc_format		s16
audec_format		s16
rtp_ports		31000-31999
rtcp_mux		no
jitter_buffer_delay	5-10
module_path		/usr/lib/baresip/modules
module			g711.so
module			aufile.so
module			aubridge.so
module			sndfile.so
module			srtp.so
module_tmp		uuid.so
module_tmp		account.so
module_app		menu.so
snd_path		$d/snd
EOF
	echo "$4" >"$d/accounts"
	: >"$d/contacts"
	FAIL_LOGS+=("$D/$1.log")
}

# bs_start NAME LIFETIME [ARGS...]: run baresip with its SIP trace for at
# most LIFETIME s (it hangs up its calls when it quits); pid in BS_PID
bs_start() {
	local name=$1 life=$2
	shift 2
	bg baresip -f "$D/$name" -s -v -t "$life" "$@" </dev/null \
		>"$D/$name.log" 2>&1
	BS_PID=$BG_PID
}

# bs_stop: end baresip (SIGTERM: it quits cleanly, closing its dumps)
bs_stop() {
	kill "$BS_PID" 2>/dev/null
	wait "$BS_PID" 2>/dev/null
}

# bs_rx NAME: the WAV baresip NAME decoded from the call
bs_rx() {
	ls "$D/$1"/snd/dump-*-dec.wav 2>/dev/null | head -1
}

# free_port_pair: P such that P and P+1 are free (TCP and UDP)
free_port_pair() {
	python3 -c '
import socket
def ok(p):
    try:
        for t in (socket.SOCK_STREAM, socket.SOCK_DGRAM):
            s = socket.socket(socket.AF_INET, t); s.bind(("127.0.0.1", p)); s.close()
        return True
    except OSError:
        return False
while True:
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close()
    if p < 65535 and ok(p) and ok(p + 1):
        print(p); break'
}

# bs_calls udp|tls: the two calls between phonebox (700 Hz) and baresip
# (1100 Hz): phonebox calls and hangs up, then baresip calls and hangs up.
# Over TLS both ends use SDES-SRTP (baresip mediaenc=srtp: RTP/AVP with
# a=crypto; phonebox mediaenc=optional) and phonebox checks baresip's
# certificate against the test CA. Each tone must be heard by the other.
bs_calls() {
	local tp=$1 bsport uri enc="" param="" ca=""
	tone tone700.wav 700
	tone tone1100.wav 1100
	if [ "$tp" = tls ]; then
		make_certs
		enc=";mediaenc=srtp"
		param=";transport=tls"
		ca=";ca=$D/ca.pem"
	fi
	mkdir -p "$D/cfg"
	cat >"$D/cfg/accounts" <<EOT
Alice <sip:alice@127.0.0.1$param>;registrar=none;mediaenc=optional$ca
EOT

	# 1. phonebox calls baresip, baresip answers, phonebox hangs up
	bsport=$(free_port_pair)
	bs_config bsin "$bsport" "$D/tone1100.wav" \
		"<sip:bs@127.0.0.1:$bsport;transport=$tp>;regint=0;answermode=auto;audio_codecs=pcmu$enc"
	bs_start bsin 30
	if [ "$tp" = tls ]; then
		wait_for tcp_bound $((bsport + 1)) || fail "baresip not on TLS"
		uri="sip:bs@127.0.0.1:$((bsport + 1));transport=tls"
	else
		wait_for udp_bound "$bsport" || fail "baresip not on UDP"
		uri="sip:bs@127.0.0.1:$bsport"
	fi
	pb_call out "$uri" --account Alice --play "$D/tone700.wav" \
		--record "$D/pb_rx_out.wav" --hangup-after 4
	[ "$PBRC" = 0 ] || fail "$tp: phonebox -> baresip: call exit $PBRC"
	wait_for grep -q "Call established" "$D/bsin.log" ||
		fail "$tp: baresip never had the call established"
	wait_for grep -q "terminated" "$D/bsin.log" ||
		fail "$tp: baresip did not see the hangup"
	grep -q "^call 1: ended: local" "$D/out.pb" ||
		fail "$tp: phonebox does not say it hung up"
	if [ "$tp" = tls ]; then
		grep -q "SRTP is Enabled" "$D/bsin.log" ||
			fail "$tp: baresip did not turn SRTP on"
		grep -q "^call 1: answered, PCMU, SRTP AES_" "$D/out.pb" ||
			fail "$tp: phonebox reports no SRTP suite"
	fi
	bs_stop
	heard "$(bs_rx bsin)" 700 2
	heard "$D/pb_rx_out.wav" 1100 2
	echo "ok - $tp: phonebox called baresip, tones both ways, hangup ended both"

	# 2. baresip calls phonebox, phonebox auto-answers, baresip hangs up
	#    (its lifetime ends 6 s after the start)
	pb_listen callee "$tp" --auto-answer 0 \
		--play "$D/tone700.wav" --record "$D/pb_rx_in.wav"
	bsport=$(free_port_pair)
	bs_config bsout "$bsport" "$D/tone1100.wav" \
		"<sip:bs@127.0.0.1:$bsport;transport=$tp>;regint=0;audio_codecs=pcmu$enc"
	bs_start bsout 6 -e "/dial sip:pb@127.0.0.1:$PBPORT"
	pb_event callee "$(ev answered)" ||
		fail "$tp: no answered event from phonebox (baresip:" \
			"$(grep -h "session closed" "$D/bsout.log"))"
	pb_event callee "$(ev ended).*\"cause\": *\"remote\"" 20 ||
		fail "$tp: phonebox did not see baresip's hangup"
	wait "$BS_PID" 2>/dev/null
	grep -q "Call established" "$D/bsout.log" ||
		fail "$tp: baresip never had the call established"
	if [ "$tp" = tls ]; then
		grep -q "SRTP is Enabled" "$D/bsout.log" ||
			fail "$tp: baresip did not turn SRTP on"
		grep -E "$(ev answered)" "$D/callee.ev" |
			grep -q '"srtp": *"AES_' ||
			fail "$tp: phonebox reports no SRTP suite"
	fi
	pb_quit callee
	heard "$(bs_rx bsout)" 700 2
	heard "$D/pb_rx_in.wav" 1100 2
	echo "ok - $tp: baresip called phonebox, tones both ways, hangup ended both"
}
