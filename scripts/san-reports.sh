#!/usr/bin/env bash
# scripts/san-reports.sh DIR: fails, printing them, when ASan/LSan/UBSan left
# reports in DIR.  make check with SANITIZE= points every sanitized process
# there (ASAN_OPTIONS/UBSAN_OPTIONS log_path), because a test that expects a
# command to fail cannot tell a sanitizer's exit status from the expected one.
set -u
dir=${1:?usage: scripts/san-reports.sh DIR}
n=0
for f in "$dir"/*; do
	[ -s "$f" ] || continue
	n=$((n + 1))
	echo "== $f"
	head -n 40 "$f"
done
if [ $n -gt 0 ]; then
	echo "sanitizers: $n report(s) in $dir"
	exit 1
fi
echo "sanitizers: no report"
