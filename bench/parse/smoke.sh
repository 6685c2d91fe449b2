#!/usr/bin/env bash
# smoke.sh: bench/parse still builds, runs and prints every figure it
# promises (tiny measurement time, one round). Never checks speed.
# Usage: smoke.sh RUN_SCRIPT BUILD_DIR [nocallgrind]
set -euo pipefail
# With valgrind present, the instruction-count path (-c) is exercised too
# (not in sanitizer builds: valgrind cannot run them).
cflag=
if [ "${3:-}" != nocallgrind ] && command -v valgrind >/dev/null; then
	cflag=-c
fi
out=$("$1" -r 1 -t 2 $cflag "$2")
echo "$out"
fail=0
num='[0-9]+(\.[0-9]+)?'
want=(
	"^parse_ours=$num ns/msg$"
	"^parse_libre=$num ns/msg ratio_ours_vs_libre=$num$"
	"^parse_osip2=$num ns/msg ratio_ours_vs_osip2=$num$"
	"^parse_ratio_vs_fastest=$num target<=0\.50$"
	"^allocs_ours=$num allocs/msg libre=$num osip2=$num$"
)
for t in invite_sdp register_auth ringing_3via_rr; do
	want+=("^parse_ours_$t=$num ns/msg libre=$num osip2=$num ratio_vs_fastest=$num target<=0\.50$")
	want+=("^allocs_ours_$t=$num allocs/msg libre=$num osip2=$num$")
done
if [ -n "$cflag" ]; then
	want+=("^instr_ours=$num instr/msg libre=$num osip2=$num ratio_vs_fastest=$num target<=0\.50$")
	for t in invite_sdp register_auth ringing_3via_rr; do
		want+=("^instr_ours_$t=$num instr/msg libre=$num osip2=$num ratio_vs_fastest=$num target<=0\.50$")
	done
fi
for re in "${want[@]}"; do
	if ! grep -Eq "$re" <<<"$out"; then
		echo "smoke: no line matching: $re" >&2
		fail=1
	fi
done
# Every line is name=value unit.
if grep -Evq '^[a-z0-9_]+=[^ ]+( [^ =]+)?( [a-z0-9_]+(=|<=)[^ ]+)*$' <<<"$out"; then
	echo "smoke: malformed lines:" >&2
	grep -Ev '^[a-z0-9_]+=[^ ]+( [^ =]+)?( [a-z0-9_]+(=|<=)[^ ]+)*$' <<<"$out" >&2
	fail=1
fi
exit $fail
