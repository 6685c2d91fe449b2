#!/bin/bash
# test_sipp_register.sh: phonebox against SIPp registrar scenarios: a 401
# digest challenge then 200, and 423 Interval Too Brief with Min-Expires.
set -u
. "$(dirname "$0")/call_lib.sh"
need sipp

# run_case SCENARIO PHONEBOX-ARGS...: SIPp UAS for one call, phonebox --once;
# sets OUT (its output), PBRC and SRC (the two exit statuses)
run_case() {
	local scen=$1
	shift
	sipp_uas "${scen%.xml}" "$(dirname "$0")/sipp/$scen"
	OUT=$("$PB" register "sip:alice@127.0.0.1:$SPORT" "$@" --once)
	PBRC=$?
	wait "$UAS_PID"
	SRC=$?
	echo "$OUT"
}

run_case uas_register_401.xml --password secret --expires 60
[ $PBRC = 0 ] || fail "401 case: phonebox exit $PBRC"
[ $SRC = 0 ] || fail "401 case: sipp exit $SRC"
echo "$OUT" | grep -q "^registered sip:alice@127.0.0.1:[0-9]* expires=30$" ||
	fail "401 case: no registered line"

run_case uas_register_423.xml --expires 60
[ $PBRC = 0 ] || fail "423 case: phonebox exit $PBRC"
[ $SRC = 0 ] || fail "423 case: sipp exit $SRC (retry without Min-Expires?)"
echo "$OUT" | grep -q "^registered sip:alice@127.0.0.1:[0-9]* expires=120$" ||
	fail "423 case: no registered line with 120"
echo "PASS"
