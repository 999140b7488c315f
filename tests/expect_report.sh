#!/usr/bin/env bash
# expect_report.sh TEXT COMMAND...: passes when COMMAND fails (non-zero exit) and its output contains TEXT.
expected="$1"; shift
out="$("$@" 2>&1)"; rc=$?
printf '%s\n' "$out"
[ "$rc" -ne 0 ] || { echo "expect_report: exited 0; expected a failure reporting: $expected" >&2; exit 1; }
grep -qF -- "$expected" <<<"$out" || { echo "expect_report: exit $rc without the report: $expected" >&2; exit 1; }
echo "expect_report: exit $rc with the report"
