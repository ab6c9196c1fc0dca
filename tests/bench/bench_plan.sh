#!/usr/bin/env bash
# Plan and apply at scale (issue 7): P MySQL pools x 20 entities against a
# Connect worker holding the matching connectors STOPPED, a few of them
# different from the manifest, a few orphans. Prints one table:
#   plan wall time and peak RSS per P, beside the floor (the same HTTP
#   requests made with curl), requests per cluster counted from Connect's own
#   access log, database checks of P=50 pools vs one, and an apply that
#   updates 20 of 200 connectors (with proof the others got no request).
set -u
root=${FLUXACDC_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
FX=${FLUXACDC:-$root/fluxacdc}
stack="$root/tests/stack/stack.sh"
eval "$("$stack" env)"
URL=$FLUXACDC_CONNECT_URL
RUNS=${BENCH_RUNS:-7}
SIZES=${BENCH_SIZES:-10 50 200}
[ "${BENCH_QUICK:-0}" = 1 ] && { RUNS=2; SIZES="10"; }
LOG="$FLUXACDC_STACK_DIR/logs/connect.log"
tmp=$(mktemp -d); trap 'cleanup; rm -rf "$tmp"' EXIT
export BENCH_PW=$FLUXACDC_MYSQL_PASSWORD
M="python3 $root/tests/bench/measure.py"

cleanup() {
	curl -s "$URL/connectors" | jq -r '.[]|select(startswith("fluxa_bench"))' |
		xargs -r -P 4 -I{} curl -s -o /dev/null -X DELETE "$URL/connectors/{}"
}
row() { printf '%-44s %-34s %s\n' "$1" "$2" "$3"; }
fmt() { jq -r '"\(.median_ms) ms (\(.min_ms)–\(.max_ms)), \(.rss_kib/1024|floor) MiB"' <<<"$1"; }
med() { jq -r .median_ms <<<"$1"; }
# fluxacdc requests in Connect's access log since line $1
requests_since() { tail -n +"$(( $1 + 1 ))" "$LOG" | grep -c '"fluxacdc/'; }

# register: the manifest's connectors, STOPPED; every 17th differs, every 29th is missing; 3 orphans
register() {
	"$FX" render -f "$1" --show-secrets |
		jq -c 'to_entries[] | select(.key % 29 != 28)
		       | if .key % 17 == 16 then .value.config["poll.interval.ms"] = "1234" else . end
		       | .value + {initial_state: "STOPPED"}' > "$tmp/post.jsonl"
	for i in 1 2 3; do
		head -1 "$tmp/post.jsonl" | jq -c --arg n "fluxa_bench_orphan$i" '.name = $n | .config["topic.prefix"] = $n'
	done >> "$tmp/post.jsonl"
	post_all "$tmp/post.jsonl"
}
post_all() {
	tr '\n' '\0' < "$1" | xargs -0 -P 4 -I{} curl -s -o /dev/null -X POST -H 'Content-Type: application/json' --data '{}' "$URL/connectors"
}

printf '%-44s %-34s %s\n' "benchmark (plan at scale)" "figure: median (min–max), peak RSS" "compared with"
cleanup
for P in $SIZES; do
	python3 "$root/tests/bench/gen_manifest.py" "$P" 20 "$FLUXACDC_MYSQL_HOST" "$FLUXACDC_MYSQL_PORT" "$FLUXACDC_BROKERS" "$URL" > "$tmp/m$P.yaml"
	cleanup
	register "$tmp/m$P.yaml"
	n=$(curl -s "$URL/connectors" | jq '[.[]|select(startswith("fluxa_bench"))]|length')
	before=$(wc -l < "$LOG")
	"$FX" plan -f "$tmp/m$P.yaml" --skip-db-checks --no-server-validate --format json > "$tmp/plan$P.json"
	sleep 0.5
	reqs=$(requests_since "$before")
	plan=$($M -n "$RUNS" -- "$FX" plan -f "$tmp/m$P.yaml" --skip-db-checks --no-server-validate --format json)
	# the floor: the same three requests, one curl process, one keep-alive connection
	floor=$($M -n "$RUNS" -- curl -s -o /dev/null -o /dev/null -o /dev/null "$URL/" "$URL/connector-plugins" "$URL/connectors?expand=info&expand=status")
	ratio=$(python3 -c "print(f'{$(med "$plan")/$(med "$floor"):.2f}')")
	summary=$(jq -r '.summary|"\(.create)c/\(.update)u/\(.delete)d/\(.unchanged)="' "$tmp/plan$P.json")
	row "plan P=$P ($n connectors; $summary)" "$(fmt "$plan")" "floor (one curl, 3 GETs): $(med "$floor") ms -> ${ratio}x"
	# since issue 16 plan also reads every managed connector's stored offsets, all at once
	managed=$(jq '([.changes[] | select(.action != "create")] | length) + (.unchanged | length)' "$tmp/plan$P.json")
	row "  HTTP requests per cluster (Connect log)" "$reqs" "3 listing GETs + $managed GET .../offsets (one per managed connector, in one round trip)"
	curl -s "$URL/connectors" | jq -r --arg u "$URL" '.[] | select(startswith("fluxa_bench")) | "url = \"\($u)/connectors/\(.)/offsets\"\noutput = /dev/null"' > "$tmp/offsets$P.curl"
	offl=$($M -n "$RUNS" -- curl -s --parallel --parallel-max 256 -K "$tmp/offsets$P.curl")
	row "  the offsets round trip alone (curl --parallel)" "$(fmt "$offl")" "what plan adds to the listing floor above"
done

# database checks: 50 pools on one MariaDB vs one pool (checks run concurrently, at most 8 at once)
if [ "${BENCH_QUICK:-0}" != 1 ]; then
	sql=""
	for p in $(seq 0 49); do
		sql+="CREATE DATABASE IF NOT EXISTS fxbench_$p;"
		for e in $(seq 0 19); do sql+="CREATE TABLE IF NOT EXISTS fxbench_$p.Entity$e (ID bigint unsigned primary key, Name varchar(50));"; done
	done
	"$stack" sql "$sql" >/dev/null
	python3 "$root/tests/bench/gen_manifest.py" 50 20 "$FLUXACDC_MYSQL_HOST" "$FLUXACDC_MYSQL_PORT" "$FLUXACDC_BROKERS" "$URL" > "$tmp/db50.yaml"
	python3 "$root/tests/bench/gen_manifest.py" 1 20 "$FLUXACDC_MYSQL_HOST" "$FLUXACDC_MYSQL_PORT" "$FLUXACDC_BROKERS" "$URL" > "$tmp/db1.yaml"
	one=$($M -n "$RUNS" -- "$FX" plan -f "$tmp/db1.yaml" --no-server-validate --format json)
	fifty=$($M -n "$RUNS" -- "$FX" plan -f "$tmp/db50.yaml" --no-server-validate --format json)
	skip50=$($M -n "$RUNS" -- "$FX" plan -f "$tmp/db50.yaml" --skip-db-checks --no-server-validate --format json)
	errs=$("$FX" plan -f "$tmp/db50.yaml" --no-server-validate --format json | jq '[.checks[]|select(.level=="error")]|length')
	row "plan with db checks, P=50 on one MariaDB" "$(fmt "$fifty")" "P=1: $(med "$one") ms; P=50 without checks: $(med "$skip50") ms ($errs check errors)"
	row "  db checks cost per pool, P=50" "$(python3 -c "print(f'{($(med "$fifty")-$(med "$skip50"))/50:.2f} ms')")" "serial would be 50 x P=1 cost"
	drop=""; for p in $(seq 0 49); do drop+="DROP DATABASE IF EXISTS fxbench_$p;"; done
	"$stack" sql "$drop" >/dev/null
fi

# apply: update 20 of 200 connectors; the 180 others must get no request beyond the list
if [ "${BENCH_QUICK:-0}" != 1 ]; then
	P=200
	python3 "$root/tests/bench/gen_manifest.py" $P 20 "$FLUXACDC_MYSQL_HOST" "$FLUXACDC_MYSQL_PORT" "$FLUXACDC_BROKERS" "$URL" > "$tmp/a.yaml"
	cleanup
	"$FX" render -f "$tmp/a.yaml" --show-secrets |
		jq -c 'to_entries[] | if .key % 10 == 9 then .value.config["tombstones.on.delete"] = "false" else . end
		       | .value + {initial_state: "STOPPED"}' > "$tmp/a.jsonl"
	post_all "$tmp/a.jsonl"
	changed=$("$FX" plan -f "$tmp/a.yaml" --skip-db-checks --no-server-validate --format json | jq -r '.changes[].connector' | sort)
	before=$(wc -l < "$LOG")
	t0=$(date +%s%N)
	"$FX" apply -f "$tmp/a.yaml" --skip-db-checks --no-server-validate --auto-approve --no-wait >"$tmp/apply.out" 2>&1
	arc=$?
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	sleep 0.5
	tail -n +"$((before + 1))" "$LOG" | grep '"fluxacdc/' > "$tmp/apply.log"
	touched=$(grep -oE '"[A-Z]+ /connectors/fluxa_bench[0-9]+' "$tmp/apply.log" | awk '{print $2}' | sed 's|/connectors/||' | sort -u)
	extra=$(comm -13 <(printf '%s\n' "$changed") <(printf '%s\n' "$touched") | grep -c . )
	row "apply: update $(grep -c . <<<"$changed") of $P (--no-wait), exit $arc" "$ms ms" "$(grep -c . "$tmp/apply.log") requests in all"
	row "  unchanged connectors that got a request" "$extra" "must be 0 (only the one list call covers them)"
	cleanup
fi
