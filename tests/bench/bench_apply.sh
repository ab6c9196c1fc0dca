#!/usr/bin/env bash
# apply at scale (issue "apply at scale"): an apply that creates P live
# connectors (P MySQL pools on the stack's MariaDB, one table each, no
# initial snapshot) and waits until each is RUNNING, with the default
# --parallelism and with --parallelism 1 (one at a time, as before).  Prints
# wall time, HTTP requests to Connect (its own access log) and the 409/500
# rebalance answers fluxacdc saw and retried.  Figures only: never a verdict.
set -u
root=${FLUXACDC_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
FX=${FLUXACDC:-$root/fluxacdc}
stack="$root/tests/stack/stack.sh"
eval "$("$stack" env)"
URL=$FLUXACDC_CONNECT_URL
SIZES=${BENCH_APPLY_SIZES:-1 10 20}
[ "${BENCH_QUICK:-0}" = 1 ] && SIZES="1 5"
LOG="$FLUXACDC_STACK_DIR/logs/connect.log"
tmp=$(mktemp -d)
export BENCH_PW=$FLUXACDC_MYSQL_PASSWORD

ours() { curl -s "$URL/connectors" | jq -r '.[]|select(startswith("fluxa_benchap"))'; }
cleanup() {
	ours | xargs -r -P 4 -I{} curl -s -o /dev/null -X DELETE "$URL/connectors/{}"
	# their stored offsets would make the next create resume: let Connect forget them
	local i
	for i in $(seq 120); do [ -z "$(ours)" ] && break; sleep 0.5; done
}
trap 'cleanup; rm -rf "$tmp"' EXIT

manifest() { # P RUN -> a manifest of P pools, each capturing UserEntity, new names per run
	local p=$1 run=$2 i
	{
		echo "version: 1"
		echo "mysql:"
		for i in $(seq 1 "$p"); do
			cat <<YAML
  benchap${run}p$i:
    dsn: "${FLUXACDC_MYSQL_USER}:\${BENCH_PW}@tcp(${FLUXACDC_MYSQL_HOST}:${FLUXACDC_MYSQL_PORT})/${FLUXACDC_MYSQL_DATABASE}"
    flavor: mariadb
    server_id: $((880000 + run * 100 + i))
    snapshot_new_tables: false
    connector: {snapshot.mode: no_data}
YAML
		done
		echo "kafka:"
		echo "  default: {brokers: [\"$FLUXACDC_BROKERS\"], connect_url: \"$URL\"}"
		echo "entities:"
		for i in $(seq 1 "$p"); do
			echo "  U$i: {debezium: true, mysql: benchap${run}p$i, table: UserEntity}"
		done
	} >"$tmp/m.yaml"
}

row() { printf '%-34s %10s %10s %10s %10s\n' "$@"; }
echo "apply: create P connectors and wait until each is RUNNING (--wait 120)"
row "case" "wall s" "requests" "409/500" "exit"
run=0
for p in $SIZES; do
	for par in 8 1; do
		run=$((run + 1))
		cleanup
		manifest "$p" "$((RANDOM % 90 + 10))$run"
		from=$(wc -l <"$LOG")
		t0=$(date +%s.%N)
		"$FX" apply -f "$tmp/m.yaml" --auto-approve --skip-db-checks --no-server-validate \
			--parallelism "$par" -v >"$tmp/out" 2>"$tmp/err"
		rc=$?
		wall=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
		reqs=$(tail -n +"$((from + 1))" "$LOG" | grep -c '"fluxacdc/')
		rebal=$(grep -cE -- '-> (409|500)' "$tmp/err")
		row "P=$p --parallelism $par" "$wall" "$reqs" "$rebal" "$rc"
		[ "$rc" = 0 ] || sed 's/^/    | /' "$tmp/err" | tail -5
	done
done
