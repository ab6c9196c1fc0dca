#!/usr/bin/env bash
# Benchmark of `fluxacdc tail` (not a test: it prints figures, never fails a
# build).  For each event size, fills a topic of several partitions on the
# local broker with N realistic schemaless Debezium events, then reads it all
# back with -e from the beginning, beside what people do today: kcat raw
# bytes, kcat -J, and kcat piped to jq -c.  Prints events/s, wall and CPU
# seconds (median), peak RSS, and the ratios to kcat|jq and to kcat raw.
#
#   420 bytes: creates, updates, deletes and tombstones of a FluxaORM-like
#       table with decimal.handling.mode=string (nothing to decode).
#   670 bytes: creates and updates of a table with a column of each type
#       Debezium encodes (precise DECIMAL, DATETIME(3), DATE, TIMESTAMP(6),
#       ENUM, JSON), as SPEC v2's default connector config sends them; the
#       table exists in the stack's database, so tail reads its column types
#       and decodes every value (a --raw row shows the same without).
#
#   BENCH_EVENTS (500000)  BENCH_PARTITIONS (4)  BENCH_RUNS (3)
#   BENCH_SIZES ("420 670")  BENCH_QUICK=1: 50000 events, 1 run
# Run through tests/bench/run.sh (make bench), or alone with the stack up.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
stack="$root/tests/stack/stack.sh"
FLUXACDC=${FLUXACDC:-$root/fluxacdc}
[ -n "${FLUXACDC_BROKERS:-}" ] || eval "$("$stack" env)"
N=${BENCH_EVENTS:-500000}
PARTS=${BENCH_PARTITIONS:-4}
RUNS=${BENCH_RUNS:-3}
SIZES=${BENCH_SIZES:-420 670}
if [ "${BENCH_QUICK:-0}" = 1 ]; then N=50000 RUNS=1; fi
B=$FLUXACDC_BROKERS
DB=${FLUXACDC_MYSQL_DATABASE:-fluxa}
TABLE=bench_typed_$$
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench_tail.XXXXXX")
topics=()
cleanup() {
	local t
	for t in "${topics[@]}"; do
		"$stack" kafka-topics --delete --topic "$t" >/dev/null 2>&1 || true
	done
	"$stack" sql "DROP TABLE IF EXISTS $TABLE" >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT

for tool in kcat jq python3; do
	command -v $tool >/dev/null || { echo "bench_tail: $tool is missing"; exit 1; }
done

# N records as "key<TAB>value" lines; kcat -Z turns an empty value into a tombstone.
gen() { # SIZE
	python3 "$root/tests/bench/gen_events.py" "$N" "$1"
}

"$stack" sql "CREATE TABLE $TABLE (ID bigint unsigned NOT NULL PRIMARY KEY, Name varchar(100),
  Email varchar(200), Balance decimal(12,2), Active tinyint(1), CreatedAt datetime(3),
  Birthday date, UpdatedAt timestamp(6) NULL, Status enum('new','paid','shipped'), Meta json)" ||
	{ echo "bench_tail: cannot create table $TABLE"; exit 1; }

cat >"$tmp/fluxacdc.yaml" <<YAML
version: 1
mysql:
  bench: {dsn: "$FLUXACDC_MYSQL_DSN", connector: {decimal.handling.mode: precise}}
kafka:
  default: {brokers: ["$B"], connect_url: "http://127.0.0.1:1"}
entities:
  Bench: {debezium: true, mysql: bench, table: $TABLE}
YAML

measure() { # NAME CMD: one tab-separated row
	local name=$1 js
	shift
	js=$(python3 "$root/tests/bench/measure.py" -n "$RUNS" --warmup 1 -- "$@")
	jq -r --arg name "$name" --argjson n "$N" \
		'"\($name)\t\(($n / (.median_ms / 1000)) | floor)\t\(.median_ms / 1000 * 100 | round / 100)\t\(.cpu_ms / 1000 * 100 | round / 100)\t\(.rss_kib / 1024 * 10 | round / 10)"' <<<"$js"
}

for size in $SIZES; do
	if [ "$size" = 420 ]; then
		TOPIC=tailtest_bench_$$
		sel=(--topic "$TOPIC")
	else
		TOPIC=fluxa_bench.$DB.$TABLE # the entity's topic: tail knows its table
		sel=(Bench)
	fi
	topics+=("$TOPIC")
	"$stack" kafka-topics --create --topic "$TOPIC" --partitions "$PARTS" --replication-factor 1 \
		>/dev/null || { echo "bench_tail: cannot create $TOPIC"; exit 1; }
	gen "$size" >"$tmp/records.tsv"
	bytes=$(wc -c <"$tmp/records.tsv")
	kcat -P -b "$B" -t "$TOPIC" -K $'\t' -Z -X linger.ms=20 -X batch.num.messages=10000 \
		<"$tmp/records.tsv" || { echo "bench_tail: producing failed"; exit 1; }
	rm -f "$tmp/records.tsv"
	# the broker writes back what it was just sent; whichever command ran first
	# paid for it (typed json showed 1.13 s wall at 0.93 or 1.84 s CPU alike):
	# let the writeback finish, then read the topic once so every command starts
	# from the same warm page cache
	sync
	kcat -C -b "$B" -t "$TOPIC" -e -o beginning -q >/dev/null 2>&1

	tail_cmd=("$FLUXACDC" -q -f "$tmp/fluxacdc.yaml" tail "${sel[@]}" -e --from beginning --format json)
	got=$("${tail_cmd[@]}" | wc -l)
	printf 'bench_tail: %d events of ~%d bytes (%d MB) in %d partitions; fluxacdc printed %d lines\n' \
		"$N" $((bytes / N)) $((bytes / 1000000)) "$PARTS" "$got"
	rows=$(
		measure "fluxacdc tail -e --from beginning --format json" "${tail_cmd[@]}"
		measure "fluxacdc tail -e --from beginning --format pretty" "${tail_cmd[@]:0:${#tail_cmd[@]}-1}" pretty
		if [ "$size" != 420 ] && "$FLUXACDC" tail --help 2>&1 | grep -q -- --raw; then
			measure "fluxacdc tail -e --from beginning --format json --raw" "${tail_cmd[@]}" --raw
		fi
		measure "kcat -C -e -o beginning -q (raw bytes)" kcat -C -b "$B" -t "$TOPIC" -e -o beginning -q
		measure "kcat -C -e -o beginning -q -J" kcat -C -b "$B" -t "$TOPIC" -e -o beginning -q -J
		measure "kcat -C -e -o beginning -q | jq -c ." bash -c "kcat -C -b '$B' -t '$TOPIC' -e -o beginning -q | jq -c ."
	)
	jq_rate=$(awk -F'\t' '/jq -c/ { print $2 }' <<<"$rows")
	raw_wall=$(awk -F'\t' '/raw bytes/ { print $3 }' <<<"$rows")
	{
		printf 'command (%d-byte events)\tevents/s\twall s\tCPU s\tpeak RSS MiB\tvs kcat|jq\twall vs kcat raw\n' "$size"
		awk -F'\t' -v base="$jq_rate" -v raw="$raw_wall" \
			'{ printf "%s\t%s\t%s\t%s\t%s\t%.1fx\t%.2fx\n", $1, $2, $3, $4, $5, $2 / base, $3 / raw }' <<<"$rows"
	} | column -t -s $'\t'
	echo "(median of $RUNS runs each)"
	echo
done
