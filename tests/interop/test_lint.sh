#!/usr/bin/env bash
# test_lint.sh: `phonebox lint` verdicts and exit status on RFC 4475 files.
set -u
d=$PB_TESTDATA/rfc4475
fail=0

out=$("$PB_BIN" lint "$d/3.1.1.1-wsinv.dat"); rc=$?
[ "$rc" -eq 0 ] || { echo "valid file: exit $rc"; fail=1; }
[ "$out" = "$d/3.1.1.1-wsinv.dat: ok" ] || { echo "valid file: '$out'"; fail=1; }

out=$("$PB_BIN" lint "$d/3.1.2.2-clerr.dat"); rc=$?
[ "$rc" -eq 1 ] || { echo "invalid file: exit $rc"; fail=1; }
want="$d/3.1.2.2-clerr.dat: 400 Bad Request (Content-Length larger than body)"
[ "$out" = "$want" ] || { echo "invalid file: '$out'"; fail=1; }

out=$("$PB_BIN" lint "$d/3.1.2.16-badvers.dat" "$d/3.3.11-zeromf.dat"); rc=$?
[ "$rc" -eq 1 ] || { echo "mixed: exit $rc"; fail=1; }
echo "$out" | grep -qx "$d/3.1.2.16-badvers.dat: 505 Version Not Supported (Version SIP/7.0 not supported)" \
  || { echo "badvers: '$out'"; fail=1; }
echo "$out" | grep -qx "$d/3.3.11-zeromf.dat: ok" || { echo "zeromf: '$out'"; fail=1; }

out=$("$PB_BIN" lint "$d/3.1.2.19-bigcode.dat"); rc=$?
[ "$rc" -eq 1 ] && echo "$out" | grep -q ": dropped (" \
  || { echo "bigcode: exit $rc '$out'"; fail=1; }

"$PB_BIN" lint "$d/does-not-exist.dat" >/dev/null; rc=$?
[ "$rc" -eq 1 ] || { echo "missing file: exit $rc"; fail=1; }
"$PB_BIN" lint >/dev/null 2>&1; rc=$?
[ "$rc" -eq 2 ] || { echo "no args: exit $rc"; fail=1; }

[ $fail -eq 0 ] && echo "lint: all checks passed"
exit $fail
