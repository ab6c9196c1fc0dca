#!/usr/bin/env bash
# scripts/alongside.sh, which make check uses to run valgrind-unit beside the
# integration suite: the check fails when either side fails, the background
# side's output is shown after the foreground's, and both always run to the end.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
al="$root/scripts/alongside.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
check() { # NAME WANT_RC BG_RC FG_RC
	local out rc
	out=$("$al" "$tmp/sub/bg.log" bash -c "echo bg-said; touch '$tmp/bg.ran'; exit $3" -- \
		bash -c "echo fg-said; touch '$tmp/fg.ran'; exit $4" 2>&1)
	rc=$?
	if [ "$rc" -ne 0 ]; then rc=1; fi
	if [ "$rc" = "$2" ] && [ -e "$tmp/bg.ran" ] && [ -e "$tmp/fg.ran" ] &&
		[ "$(printf '%s\n' "$out" | grep -nx -e fg-said -e bg-said | cut -d: -f2 | paste -sd' ')" = "fg-said bg-said" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "  FAIL alongside: $1: exit $rc (want $2)"
		printf '%s\n' "$out" | sed 's/^/    | /'
	fi
	rm -f "$tmp/bg.ran" "$tmp/fg.ran"
}
check "both pass" 0 0 0
check "the background side fails" 1 3 0
check "the foreground side fails" 1 0 4
check "both fail" 1 5 6
echo "alongside: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
