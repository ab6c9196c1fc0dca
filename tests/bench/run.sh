#!/usr/bin/env bash
# make bench: brings the local stack up, runs every tests/bench/bench_*.sh and
# prints their tables. Benchmarks print figures; they never pass or fail a build.
# BENCH_QUICK=1 runs a short smoke version of each (used by nothing in check).
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
stack="$root/tests/stack/stack.sh"
export FLUXACDC_ROOT="$root" FLUXACDC="$root/fluxacdc"
"$stack" up >/dev/null || { echo "bench: the local stack did not come up"; exit 1; }
eval "$("$stack" env)"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(uname -sr)"
echo "stack: Kafka Connect $(curl -s "$FLUXACDC_CONNECT_URL/" | jq -r .version), Debezium $(curl -s "$FLUXACDC_CONNECT_URL/connector-plugins" | jq -r '[.[]|select(.class|test("debezium"))][0].version'), $("$stack" sql 'SELECT VERSION()' 2>/dev/null | tail -1)"
echo "fluxacdc: $("$FLUXACDC" version | head -1)"
echo
rc=0
for b in "$root"/tests/bench/bench_*.sh; do
	[ -f "$b" ] || continue
	[ $# -gt 0 ] && ! printf '%s\n' "$@" | grep -qx "$(basename "$b" .sh)" && continue
	bash "$b" || rc=1
	echo
done
exit $rc
