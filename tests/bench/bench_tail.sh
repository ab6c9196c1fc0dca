#!/usr/bin/env bash
# Benchmark of `fluxacdc tail` (not a test: it prints figures, never fails a
# build).  Fills a topic of several partitions on the local broker with N
# realistic schemaless Debezium events of ~400 bytes (creates, updates,
# deletes and tombstones of a FluxaORM-like table), then reads it all back
# with -e from the beginning, beside what people do today: kcat raw bytes,
# kcat -J, and kcat piped to jq -c.  Prints events/s and peak RSS for each.
#
#   BENCH_EVENTS (500000)  BENCH_PARTITIONS (4)  BENCH_RUNS (3)
#   BENCH_QUICK=1: 50000 events, 1 run
# Run through tests/bench/run.sh (make bench), or alone with the stack up.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
stack="$root/tests/stack/stack.sh"
FLUXACDC=${FLUXACDC:-$root/fluxacdc}
[ -n "${FLUXACDC_BROKERS:-}" ] || eval "$("$stack" env)"
N=${BENCH_EVENTS:-500000}
PARTS=${BENCH_PARTITIONS:-4}
RUNS=${BENCH_RUNS:-3}
if [ "${BENCH_QUICK:-0}" = 1 ]; then N=50000 RUNS=1; fi
B=$FLUXACDC_BROKERS
TOPIC=tailtest_bench_$$
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench_tail.XXXXXX")
cleanup() {
	"$stack" kafka-topics --delete --topic "$TOPIC" >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT

for tool in kcat jq python3; do
	command -v $tool >/dev/null || { echo "bench_tail: $tool is missing"; exit 1; }
done
"$stack" kafka-topics --create --topic "$TOPIC" --partitions "$PARTS" --replication-factor 1 \
	>/dev/null || { echo "bench_tail: cannot create $TOPIC"; exit 1; }

# N records as "key<TAB>value" lines; kcat -Z turns an empty value into a tombstone.
python3 - "$N" >"$tmp/records.tsv" <<'PY'
import json, random, sys
n = int(sys.argv[1])
rnd = random.Random(42)
names = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"]
def row(i, v):
    return {"ID": i, "Name": names[i % 8] + str(i), "Balance": "%d.%02d" % (v, i % 100),
            "Active": i % 2, "CreatedAt": 1795514400000 + i}
src = {"version": "3.2.0.Final", "connector": "mariadb", "name": "fluxa_default",
       "ts_ms": 0, "snapshot": "false", "db": "fluxa", "table": "UserEntity",
       "server_id": 1, "gtid": None, "file": "mariadb-bin.000003", "pos": 0, "row": 0}
out = sys.stdout
k = 0
while k < n:
    i = rnd.randrange(1, 100000)
    r = rnd.random()
    key = '{"ID":%d}' % i
    src["ts_ms"] = 1795514400000 + k
    src["pos"] = 4 + k * 400
    if r < 0.7:
        ev = {"before": row(i, 10), "after": row(i, 11), "op": "u"}
    elif r < 0.9:
        ev = {"before": None, "after": row(i, 10), "op": "c"}
    else:
        ev = {"before": row(i, 11), "after": None, "op": "d"}
    ev["source"] = src
    ev["transaction"] = None
    ev["ts_ms"] = src["ts_ms"] + 7
    out.write(key + "\t" + json.dumps(ev, separators=(",", ":")) + "\n")
    k += 1
    if ev["op"] == "d" and k < n:
        out.write(key + "\t\n")
        k += 1
PY
size=$(wc -c <"$tmp/records.tsv")
kcat -P -b "$B" -t "$TOPIC" -K $'\t' -Z -X linger.ms=20 -X batch.num.messages=10000 \
	<"$tmp/records.tsv" || { echo "bench_tail: producing failed"; exit 1; }

cat >"$tmp/fluxacdc.yaml" <<YAML
version: 1
mysql:
  default: {host: 127.0.0.1, database: fluxa}
kafka:
  default: {brokers: ["$B"], connect_url: "http://127.0.0.1:1"}
entities: {}
YAML

tail_cmd=("$FLUXACDC" -q -f "$tmp/fluxacdc.yaml" tail --topic "$TOPIC" -e --from beginning --format json)
got=$("${tail_cmd[@]}" | wc -l)
printf 'bench_tail: %d events (%d MB) in %d partitions; fluxacdc printed %d lines\n' \
	"$N" $((size / 1000000)) "$PARTS" "$got"

measure() { # NAME CMD: one tab-separated row
	local name=$1 js
	shift
	js=$(python3 "$root/tests/bench/measure.py" -n "$RUNS" --warmup 1 -- "$@")
	jq -r --arg name "$name" --argjson n "$N" \
		'"\($name)\t\(($n / (.median_ms / 1000)) | floor)\t\(.median_ms / 1000 * 100 | round / 100)\t\(.rss_kib / 1024 * 10 | round / 10)"' <<<"$js"
}
rows=$(
	measure "fluxacdc tail -e --from beginning --format json" "${tail_cmd[@]}"
	measure "fluxacdc tail -e --from beginning --format pretty" "${tail_cmd[@]:0:${#tail_cmd[@]}-1}" pretty
	measure "kcat -C -e -o beginning -q (raw bytes)" kcat -C -b "$B" -t "$TOPIC" -e -o beginning -q
	measure "kcat -C -e -o beginning -q -J" kcat -C -b "$B" -t "$TOPIC" -e -o beginning -q -J
	measure "kcat -C -e -o beginning -q | jq -c ." bash -c "kcat -C -b '$B' -t '$TOPIC' -e -o beginning -q | jq -c ."
)
jq_rate=$(awk -F'\t' '/jq -c/ { print $2 }' <<<"$rows")
{
	printf 'command\tevents/s\ts (median of %d)\tpeak RSS MiB\tvs kcat|jq\n' "$RUNS"
	awk -F'\t' -v base="$jq_rate" '{ printf "%s\t%s\t%s\t%s\t%.1fx\n", $1, $2, $3, $4, $2 / base }' <<<"$rows"
} | column -t -s $'\t'
