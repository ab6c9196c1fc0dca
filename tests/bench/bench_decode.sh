#!/usr/bin/env bash
# Benchmark of tail's decoding alone (not a test: it prints figures): the
# records bench_tail.sh sends, decoded and rendered by one thread without
# Kafka (tests/bench/bench_decode.c).  What tail's CPU is made of besides
# librdkafka; a driver for callgrind too.  Needs no stack.
#
#   BENCH_EVENTS (100000)  BENCH_QUICK=1: 20000 events, 1 loop
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
N=${BENCH_EVENTS:-100000}
LOOPS=3
if [ "${BENCH_QUICK:-0}" = 1 ]; then N=20000 LOOPS=1; fi
make -s -C "$root" build/bench_decode || { echo "bench_decode: cannot build the driver"; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench_decode.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
for size in 420 670; do
	python3 "$root/tests/bench/gen_events.py" "$N" "$size" >"$tmp/records.tsv" ||
		{ echo "bench_decode: cannot generate events"; exit 1; }
	if [ "$size" = 420 ]; then modes="untyped untyped-pretty"; else modes="json raw pretty"; fi
	{
		printf 'decode + render, %d-byte events\tevents\tns/event\tevents/s\n' "$size"
		for m in $modes; do
			"$root/build/bench_decode" "$tmp/records.tsv" "$m" "$LOOPS" || exit 1
		done
	} | column -t -s $'\t'
	echo "(one thread, no Kafka: $LOOPS passes over $N events each)"
	echo
done
