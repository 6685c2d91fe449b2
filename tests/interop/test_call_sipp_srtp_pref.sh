#!/bin/bash
# test_call_sipp_srtp_pref.sh: to MicroSIP's offer (a=crypto:1 AES-256,
# a=crypto:2 AES-128) phonebox must answer with the first offered suite
# that our SRTP layer runs (DESIGN.md section 4): tag 1 when AES-256 runs
# here (srtppeer --supported says), else tag 2. The media of this short
# call is not looked at (test_call_sipp_srtp.sh does that).
set -u
command -v sipp >/dev/null || { echo "sipp not installed"; exit 77; }
if [ -z "${PB_IN_NETNS:-}" ]; then
	PB_IN_NETNS=1 exec unshare -n bash -c 'ip link set lo up && exec bash "$0"' "$0"
fi
. "$(dirname "$0")/call_lib.sh"
need_tools

pb_script callee --listen udp:127.0.0.1:0 --auto-answer 0
PBPORT=$(pb_port callee udp)
[ -n "$PBPORT" ] || fail "phonebox did not say where it listens"
RTPPORT=$(free_port)
FAIL_LOGS+=("$D/micro.err" "$D/micro.out")
timeout 40 sipp -sf "$DATA/sipp/uac_microsip.xml" -i 127.0.0.1 \
	-p "$(free_port)" -m 1 -d 300 -timeout 30s -timeout_error \
	-key key256 "$(openssl rand -base64 46)" \
	-key key128 "$(openssl rand -base64 30)" \
	-key rtp_port "$RTPPORT" -key rtcp_port $((RTPPORT + 1)) \
	-trace_logs -log_file "$D/micro.log" -trace_err -error_file "$D/micro.err" \
	-nostdin "127.0.0.1:$PBPORT" >"$D/micro.out" 2>&1 ||
	fail "SIPp caller failed (exit $?)"
read -r _ _ _ tag suite _ < <(grep -m1 "^ANSWER " "$D/micro.log")
echo "answered with tag $tag ($suite)"
if "$TOOLS/srtppeer" --supported AES_256_CM_HMAC_SHA1_80; then
	[ "$tag" = 1 ] ||
		fail "AES-256 runs here, yet phonebox chose tag $tag over tag 1"
else
	[ "$tag" = 2 ] ||
		fail "AES-256 does not run here, yet phonebox chose tag $tag"
fi
pb_quit callee
echo "PASS"
