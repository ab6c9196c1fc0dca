#!/usr/bin/env bash
# fluxacdc plan against the real local stack: creates, no-op, updates with a
# per-key diff, deletes of managed orphans only, an unreachable or stalled
# Connect, and a sentinel password that must never be printed.
. "$(dirname "$0")/lib.sh"
SENT="SENTINEL-plan-$$-pw"
PT=plantest$FX_RUN # a pool name of this run's own (lib.sh)
export PLANTEST_PW="$FLUXACDC_MYSQL_PASSWORD"
M="$FX_TMP/m.yaml"
write_manifest() { # $1: extra entities, $2: connect url
	cat > "$M" <<YAML
version: 1
mysql:
  $PT:
    dsn: "${FLUXACDC_MYSQL_USER}:\${PLANTEST_PW}@tcp(${FLUXACDC_MYSQL_HOST}:${FLUXACDC_MYSQL_PORT})/${FLUXACDC_MYSQL_DATABASE}"
    flavor: mariadb
    server_id: 6601
    connector: {snapshot.mode: no_data}
kafka:
  default:
    brokers: ["${FLUXACDC_BROKERS}"]
    connect_url: "${2:-$FLUXACDC_CONNECT_URL}"
entities:
  UserEntity: {debezium: true, mysql: $PT}
$1
YAML
}
cleanup() {
	for c in fluxa_$PT fluxa_${PT}_orphan ${PT}_unmanaged; do connect_curl DELETE "/connectors/$c" >/dev/null 2>&1; done
	[ -n "${STALL_PID:-}" ] && kill "$STALL_PID" 2>/dev/null
}
trap cleanup EXIT
cleanup

# Other managed connectors may be on the shared worker while developers run
# tests side by side (never in make check, which runs tests one at a time):
# plan rightly lists them as deletes, so assertions select our connector.
CH=".changes[]|select(.connector==\"fluxa_$PT\")"
foreign=$(connect_curl GET /connectors | jq -r --arg p "fluxa_$PT" '[.[]|select(startswith("fluxa_") and (startswith($p)|not))]|length')

# (a) nothing on Connect for us -> one create; validation by Connect runs
write_manifest ""
run_fx "$FX_TMP/a" plan -f "$M" --skip-db-checks --format json --detailed-exitcode
assert_eq "(a) create: exit 2 with --detailed-exitcode" 2 "$RC"
assert_eq "(a) one create" "1 create" "$(jq -r '"\(.summary.create) create"' "$FX_TMP/a.out")"
assert_eq "(a) risk safe" safe "$(jq -r "$CH.risk" "$FX_TMP/a.out")"
assert_eq "(a) server validation found no error" 0 "$(jq '[.checks[]|select(.id=="connect.validate" and .level=="error")]|length' "$FX_TMP/a.out")"
assert_eq "(a) plugin check" info "$(jq -r '[.checks[]|select(.id=="connect.plugin")][0].level' "$FX_TMP/a.out")"
cv=$(connect_curl GET / | jq -r .version)
dv=$(connect_curl GET /connector-plugins | jq -r '.[]|select(.class=="io.debezium.connector.mariadb.MariaDbConnector").version')
reach=$(jq -r '.checks[]|select(.id=="connect.reachable").message' "$FX_TMP/a.out")
case $reach in
"Kafka Connect $cv at "*"Debezium plugins: MariaDbConnector $dv"*) ok "(a) connect.reachable names Connect $cv and MariaDbConnector $dv" ;;
*) fail "(a) connect.reachable: '$reach' names not Connect $cv and MariaDbConnector $dv" ;;
esac
python3 "$FLUXACDC_ROOT/tests/schema/validate.py" plan.schema.json "$FX_TMP/a.out" && ok "(a) JSON matches plan.schema.json" || fail "(a) schema"
run_fx "$FX_TMP/a0" plan -f "$M" --skip-db-checks
assert_eq "(a) without --detailed-exitcode: exit 0" 0 "$RC"
assert_contains "(a) text shows the create" "$FX_TMP/a0.out" "+ fluxa_$PT"

# (b) register exactly the desired config (stopped, so no task runs) -> no changes
"$FLUXACDC" render -f "$M" --show-secrets | jq -c '.[0] + {initial_state: "STOPPED"}' > "$FX_TMP/create.json"
connect_write POST /connectors "$(cat "$FX_TMP/create.json")" >/dev/null
run_fx "$FX_TMP/b" plan -f "$M" --skip-db-checks --detailed-exitcode --format json
if [ "$foreign" -eq 0 ]; then
	assert_eq "(b) no changes: exit 0 with --detailed-exitcode" 0 "$RC"
else
	assert_eq "(b) only others' connectors change: exit 2" 2 "$RC"
	assert_eq "(b) no alter of ours" 0 "$(jq "[$CH]|length" "$FX_TMP/b.out")"
fi
assert_eq "(b) unchanged lists it" fluxa_$PT "$(jq -r '.unchanged[0]' "$FX_TMP/b.out")"

# (c) a key added behind fluxacdc's back, and a table added to the manifest
cfg=$(connect_curl GET /connectors/fluxa_$PT/config | jq -c '. + {"poll.interval.ms": "999"}')
connect_write PUT /connectors/fluxa_$PT/config "$cfg" >/dev/null
write_manifest "  OrderEntity: {debezium: true, mysql: $PT}"
run_fx "$FX_TMP/c" plan -f "$M" --skip-db-checks --no-server-validate --format json --detailed-exitcode
assert_eq "(c) changes: exit 2" 2 "$RC"
assert_eq "(c) one update" update "$(jq -r "$CH.action" "$FX_TMP/c.out")"
assert_eq "(c) the key added by hand is removed" remove "$(jq -r "$CH.diff[]|select(.key==\"poll.interval.ms\").op" "$FX_TMP/c.out")"
assert_eq "(c) table list change" 'fluxa\.OrderEntity,fluxa\.UserEntity' "$(jq -r "$CH.diff[]|select(.key==\"table.include.list\").after" "$FX_TMP/c.out")"
assert_eq "(c) exactly those two keys" 2 "$(jq "$CH.diff|length" "$FX_TMP/c.out")"
assert_eq "(c) backfill note (snapshot_new_tables defaults to true)" 1 "$(jq "[$CH.notes[]|select(test(\"backfills\"))]|length" "$FX_TMP/c.out")"
assert_eq "(c) risk restart" restart "$(jq -r "$CH.risk" "$FX_TMP/c.out")"

# (d) a managed connector no entity needs -> delete; an unmanaged one is never mentioned
orphan=$(jq -c --arg n "fluxa_${PT}_orphan" '.config |= (. + {"topic.prefix": $n, "database.server.id": "6602"}) | .name = $n' "$FX_TMP/create.json")
connect_write POST /connectors "$orphan" >/dev/null
unmanaged=$(jq -c --arg n "${PT}_unmanaged" '.config |= (. + {"topic.prefix": $n, "database.server.id": "6603"}) | .name = $n' "$FX_TMP/create.json")
connect_write POST /connectors "$unmanaged" >/dev/null
run_fx "$FX_TMP/d" plan -f "$M" --skip-db-checks --no-server-validate --format json
assert_eq "(d) orphan deleted" "delete destroy" "$(jq -r --arg n "fluxa_${PT}_orphan" '.changes[]|select(.connector==$n)|"\(.action) \(.risk)"' "$FX_TMP/d.out")"
assert_not_contains "(d) unmanaged never mentioned (json)" "$FX_TMP/d.out" "${PT}_unmanaged"
run_fx "$FX_TMP/d2" plan -f "$M" --skip-db-checks --no-server-validate -v
assert_not_contains "(d) unmanaged never mentioned (text)" "$FX_TMP/d2.out" "${PT}_unmanaged"
assert_contains "(d) -v logs the one list request" "$FX_TMP/d2.err" "expand=info"

# (g) Connect unreachable (closed port) and stalled (accepts, never answers): errors within --timeout
write_manifest "" "http://127.0.0.1:$(fx_port 9)"
start=$(date +%s%N)
run_fx "$FX_TMP/g" plan -f "$M" --skip-db-checks --timeout 2 --format json
ms=$(( ($(date +%s%N) - start) / 1000000 ))
assert_eq "(g) closed port: exit 1" 1 "$RC"
assert_eq "(g) connect.reachable error" error "$(jq -r '.checks[]|select(.id=="connect.reachable").level' "$FX_TMP/g.out")"
[ "$ms" -lt 3000 ] && ok "(g) closed port answered in ${ms} ms" || fail "(g) closed port took ${ms} ms"
fx_stall_listener "$(fx_port 8)"
write_manifest "" "http://127.0.0.1:$(fx_port 8)"
start=$(date +%s%N)
run_fx "$FX_TMP/g2" plan -f "$M" --skip-db-checks --timeout 2 --format json
ms=$(( ($(date +%s%N) - start) / 1000000 ))
assert_eq "(g) stalled listener: exit 1" 1 "$RC"
assert_eq "(g) stalled: connect.reachable error" error "$(jq -r '.checks[]|select(.id=="connect.reachable").level' "$FX_TMP/g2.out")"
[ "$ms" -lt 5000 ] && ok "(g) stalled listener gave up in ${ms} ms (--timeout 2)" || fail "(g) stalled listener took ${ms} ms"
kill "$STALL_PID" 2>/dev/null; STALL_PID=

# (h) a sentinel password appears in no output format, log or plan file
export PLANTEST_PW="$SENT"
write_manifest "  OrderEntity: {debezium: true, mysql: $PT}"
for fmt in text json markdown; do
	run_fx "$FX_TMP/h-$fmt" plan -f "$M" --skip-db-checks --format "$fmt" -vvv --out "$FX_TMP/plan-$fmt.json"
done
run_fx "$FX_TMP/h-show" show "$FX_TMP/plan-text.json"
run_fx "$FX_TMP/h-render" render -f "$M"
if grep -rlF -- "$SENT" "$FX_TMP"/h-* "$FX_TMP"/plan-*.json; then fail "(h) sentinel leaked"; else ok "(h) sentinel in no output, log or plan file"; fi
assert_contains "(h) password change shown as sensitive" "$FX_TMP/h-text.out" "sensitive value changed"
assert_eq "(h) plan file is private" 600 "$(stat -c %a "$FX_TMP/plan-json.json")"
run_fx "$FX_TMP/h-md" show "$FX_TMP/plan-json.json" --format markdown
assert_contains "(h) show renders a plan file" "$FX_TMP/h-md.out" "fluxacdc plan:"

# (i) Connect's validation rejects a value set under connector: -> the error
# names the manifest line and column of that key, and the value sent
export PLANTEST_PW="$FLUXACDC_MYSQL_PASSWORD"
write_manifest ""
sed -i 's/snapshot.mode: no_data/snapshot.mode: sometimes/' "$M"
run_fx "$FX_TMP/i" plan -f "$M" --skip-db-checks
assert_eq "(i) validation error: exit 1" 1 "$RC"
assert_contains "(i) points at the key's line:col" "$FX_TMP/i.out" "connect.validate: $M:7:17: connector 'fluxa_$PT': key 'snapshot.mode': "
assert_contains "(i) shows the value sent" "$FX_TMP/i.out" "observed sometimes"
assert_not_contains "(i) no placeholder for the missing expected value" "$FX_TMP/i.out" "expected -"
finish
