#!/usr/bin/env bash
# Runs every integration test against the real local stack: brings the stack
# up once, runs tests/integration/test_*.sh (or those named as arguments), and
# always brings the stack down (unless FLUXACDC_KEEP_STACK=1).
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
stack="$root/tests/stack/stack.sh"
export FLUXACDC_ROOT="$root"
export FLUXACDC="$root/fluxacdc"

if [ "${FLUXACDC_KEEP_STACK:-0}" != 1 ]; then
	trap '"$stack" down >/dev/null 2>&1 || true' EXIT
fi
"$stack" up || { echo "integration: the local stack did not come up"; exit 1; }
eval "$("$stack" env)"

if [ $# -gt 0 ]; then tests=("$@"); else tests=("$root"/tests/integration/smoke_stack.sh "$root"/tests/integration/test_*.sh); fi
pass=0 fail=0 failed=() took=()
for t in "${tests[@]}"; do
	[ -f "$t" ] || continue
	echo "== $(basename "$t")"
	t0=$(date +%s)
	if bash "$t"; then pass=$((pass + 1)); else fail=$((fail + 1)); failed+=("$(basename "$t")"); fi
	took+=("$(basename "$t" .sh) $(($(date +%s) - t0))s")
done
# what each script cost, for keeping make check's time in bounds
echo "integration: took ${took[*]}"
[ ${#failed[@]} -eq 0 ] || echo "integration: failed: ${failed[*]}"
echo "integration: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
