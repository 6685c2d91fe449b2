#!/bin/bash
# test_call_sipp_badsdp.sh: INVITEs whose SDP is broken (no c= line, bad
# base64 in the only crypto line of an RTP/SAVP offer, port 99999, an
# unknown transport profile) are refused by phonebox with 488 or 400 and a
# reason (a Warning header or a reason phrase that says more than the
# default), and phonebox keeps running: it answers OPTIONS afterwards.
set -u
. "$(dirname "$0")/call_lib.sh"
need sipp

pb_listen callee udp --auto-answer 0
FAIL_LOGS+=("$D/bad.err" "$D/bad.out" "$D/bad.msg")
timeout 40 sipp -sf "$DATA/sipp/uac_bad_sdp.xml" \
	-inf "$DATA/sipp/bad_sdp.csv" -i 127.0.0.1 -p "$(free_port)" \
	-m 4 -l 1 -timeout 30s -timeout_error \
	-trace_logs -log_file "$D/bad.log" -trace_err -error_file "$D/bad.err" \
	-trace_msg -message_file "$D/bad.msg" \
	-nostdin "127.0.0.1:$PBPORT" >"$D/bad.out" 2>&1 ||
	fail "a bad offer was not refused with 488/400 (SIPp exit $?)"
cat "$D/bad.log"
for what in no-c-line bad-base64 port-99999 unknown-profile; do
	line=$(grep "^REFUSED $what " "$D/bad.log") ||
		fail "$what: no refusal logged"
	code=$(echo "$line" | cut -d' ' -f3)
	case "$code" in 400 | 488) ;; *) fail "$what: answered $code" ;; esac
	# a reason beyond the bare status: a Warning, or a phrase of its own
	if echo "$line" | grep -q "WARNING *$" &&
		echo "$line" | grep -qE " (400 Bad Request|488 Not Acceptable Here) WARNING"; then
		fail "$what: $code without a reason (no Warning, default phrase)"
	fi
done
kill -0 "$PB_PID_callee" 2>/dev/null || fail "phonebox died"
FAIL_LOGS+=("$D/opt.err" "$D/opt.out")
timeout 20 sipp -sf "$DATA/sipp/uac_options.xml" -i 127.0.0.1 \
	-p "$(free_port)" -m 1 -timeout 10s -timeout_error \
	-trace_err -error_file "$D/opt.err" -nostdin "127.0.0.1:$PBPORT" \
	>"$D/opt.out" 2>&1 || fail "OPTIONS after the bad offers: SIPp exit $?"
pb_quit callee
echo "PASS"
