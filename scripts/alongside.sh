#!/usr/bin/env bash
# alongside.sh LOG BACKGROUND -- FOREGROUND: runs BACKGROUND (its output into
# LOG) while FOREGROUND runs, waits for both, then shows LOG; fails when
# either failed.  make check runs the unit suite under valgrind (CPU bound,
# ~5 min) beside the integration suite (mostly waiting on the stack), so that
# their times overlap instead of adding up on a 2-core CI machine.
set -u
log=$1
shift
bg=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do bg+=("$1"); shift; done
[ "${1:-}" = -- ] || { echo "usage: alongside.sh LOG BACKGROUND... -- FOREGROUND..." >&2; exit 2; }
shift
mkdir -p "$(dirname "$log")"
"${bg[@]}" >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null' INT TERM
"$@"
frc=$?
wait "$pid"
brc=$?
echo "== alongside: ${bg[*]} (output kept in $log)"
cat "$log"
[ "$frc" -eq 0 ] && [ "$brc" -eq 0 ]
