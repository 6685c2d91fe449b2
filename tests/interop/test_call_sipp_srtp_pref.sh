#!/bin/bash
# test_call_sipp_srtp_pref.sh: to MicroSIP's offer (a=crypto:1 AES-256,
# a=crypto:2 AES-128) phonebox must answer with the first offered suite
# that our SRTP layer runs (DESIGN.md section 4): tag 1 when AES-256 runs
# here (srtppeer --supported says), else tag 2. The media of this short
# call is not looked at (test_call_sipp_srtp.sh does that).
set -u
. "$(dirname "$0")/call_lib.sh"
need sipp
need_tools

pb_listen callee udp --auto-answer 0
RTPPORT=$(free_port)
KEY256=$(openssl rand -base64 46)
KEY128=$(openssl rand -base64 30)
sdes_uac micro uac_microsip.xml 300
wait "$UAC_PID" || fail "SIPp caller failed (exit $?)"
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
