#!/usr/bin/env bash
# Adopting what FluxaORM's GetDebeziumAlters created, and protecting neighbours:
#  (a) FluxaORM's exact MySqlConnector config (unescaped table names, its server
#      id and history topic, no extra keys), registered STOPPED with curl:
#      plan is empty with snapshot_new_tables: false, and with the default any
#      update only adds keys, risk restart;
#  (b) the same as a live MariaDbConnector: apply keeps its offsets (no `r`
#      event emitted again, new rows still arrive) and it stays RUNNING;
#  (c) an unmanaged connector's server id reused in the manifest: plan exits 1
#      with mysql.server_id_conflict naming it, apply refuses.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/apply_lib.sh"

R=$FX_RUN # names of this run's own (lib.sh)
POOL=adopttest$R
C=fluxa_$POOL
T1=AdoptUser$R T2=AdoptOrder$R
DB=$FLUXACDC_MYSQL_DATABASE
NEIGHBOUR=adopttest_neighbour$R
M="$FX_TMP/m.yaml"
export ADOPTTEST_PW="$FLUXACDC_MYSQL_PASSWORD"

cleanup() {
	for c in "$C" "$NEIGHBOUR" fluxa_adoptclash$R; do
		curl -sS -o /dev/null -m 30 -X DELETE "$FLUXACDC_CONNECT_URL/connectors/$c" 2>/dev/null
	done
	"$STACK" kafka-topics --delete --topic "(fluxa_$POOL|fluxa_adoptclash$R)(\\..*|_schema_history|_signal|_notifications)" >/dev/null 2>&1
	sql_admin "DROP TABLE IF EXISTS \`$DB\`.\`$T1\`, \`$DB\`.\`$T2\`" >/dev/null 2>&1
}
trap cleanup EXIT
cleanup

sql_admin "CREATE TABLE \`$DB\`.\`$T1\` (ID bigint unsigned NOT NULL PRIMARY KEY, Name varchar(50) NOT NULL);
CREATE TABLE \`$DB\`.\`$T2\` (ID bigint unsigned NOT NULL PRIMARY KEY, Total int NOT NULL);
INSERT INTO \`$DB\`.\`$T1\` VALUES (1,'a'),(2,'b'),(3,'c');
INSERT INTO \`$DB\`.\`$T2\` VALUES (1,10),(2,20);" >/dev/null || { fail "tables not created"; finish; exit 1; }

# adopt_manifest FLAVOR [SNAPSHOT_NEW_TABLES]
adopt_manifest() {
	cat > "$M" <<YAML
version: 1
mysql:
  $POOL:
    dsn: "${FLUXACDC_MYSQL_USER}:\${ADOPTTEST_PW}@tcp(${FLUXACDC_MYSQL_HOST}:${FLUXACDC_MYSQL_PORT})/${DB}"
    flavor: $1
${2:+    snapshot_new_tables: $2}
kafka:
  default:
    brokers: ["${FLUXACDC_BROKERS}"]
    connect_url: "${FLUXACDC_CONNECT_URL}"
entities:
  $T1: {debezium: true, mysql: $POOL}
  $T2: {orm: "redisCache;debezium;mysql=$POOL"}
YAML
}

# FluxaORM's server id, computed here apart from fluxacdc: FNV-1a-32 mod 100000 + 1000
SID=$(python3 -c '
import sys
h = 0x811c9dc5
for b in sys.argv[1].encode():
    h = ((h ^ b) * 0x01000193) & 0xffffffff
print(h % 100000 + 1000)' "$POOL")
# sanity of that computation on the value the issue gives for pool "default"
assert_eq "independent FNV: pool 'default' -> 41894" 41894 "$(python3 -c '
h = 0x811c9dc5
for b in b"default":
    h = ((h ^ b) * 0x01000193) & 0xffffffff
print(h % 100000 + 1000)')"

# fluxaorm_config CLASS STATE: the JSON GetDebeziumAlters sends (+ initial_state)
fluxaorm_config() {
	jq -n --arg name "$C" --arg cls "$1" --arg state "$2" --arg host "$FLUXACDC_MYSQL_HOST" \
		--arg port "$FLUXACDC_MYSQL_PORT" --arg user "$FLUXACDC_MYSQL_USER" \
		--arg pw "$FLUXACDC_MYSQL_PASSWORD" --arg sid "$SID" --arg db "$DB" \
		--arg tables "$(printf '%s\n' "$DB.$T1" "$DB.$T2" | sort | paste -sd,)" \
		--arg brokers "$FLUXACDC_BROKERS" --arg pool "$POOL" '{
  name: $name,
  config: {
    "connector.class": $cls,
    "database.hostname": $host, "database.port": $port,
    "database.user": $user, "database.password": $pw,
    "database.server.id": $sid,
    "topic.prefix": ("fluxa_" + $pool),
    "database.include.list": $db,
    "table.include.list": $tables,
    "include.schema.changes": "false",
    "key.converter": "org.apache.kafka.connect.json.JsonConverter",
    "value.converter": "org.apache.kafka.connect.json.JsonConverter",
    "key.converter.schemas.enable": "false",
    "value.converter.schemas.enable": "false",
    "schema.history.internal.kafka.bootstrap.servers": $brokers,
    "schema.history.internal.kafka.topic": ("fluxa_" + $pool + "_schema_history")
  }} + (if $state == "" then {} else {initial_state: $state} end)'
}

CH=".changes[]|select(.connector==\"$C\")"

# (a) the exact MySqlConnector config, STOPPED (no MySQL server here)
resp=$(connect_curl POST /connectors "$(fluxaorm_config io.debezium.connector.mysql.MySqlConnector STOPPED)")
assert_eq "(a) FluxaORM's MySqlConnector config registered STOPPED" "$C" "$(jq -r '.name // .message' <<<"$resp")"
wait_state "$C" STOPPED 60 || fail "(a) not STOPPED: $(connector_state "$C")"
# the table list as FluxaORM writes it: unescaped
assert_eq "(a) Connect holds the unescaped table list" "$DB.$T2,$DB.$T1" \
	"$(connect_curl GET "/connectors/$C/config" | jq -r '."table.include.list"')"

adopt_manifest mysql false
run_fx "$FX_TMP/a1" plan -f "$M" --skip-db-checks --detailed-exitcode --format json
assert_eq "(a) snapshot_new_tables false: plan --detailed-exitcode exits 0" 0 "$RC"
[ "$RC" = 0 ] || { sed 's/^/    | /' "$FX_TMP/a1.err"; jq -c "$CH" "$FX_TMP/a1.out"; }
assert_eq "(a) it is listed unchanged" 1 "$(jq "[.unchanged[]|select(.==\"$C\")]|length" "$FX_TMP/a1.out")"
"$FLUXACDC" render -f "$M" | jq -r ".[]|select(.name==\"$C\").config[\"database.server.id\"]" > "$FX_TMP/a1.sid"
assert_eq "(a) render derives FluxaORM's server id" "$SID" "$(cat "$FX_TMP/a1.sid")"

# check_adds_only PREFIX WHAT: if there is an update of ours, it only adds keys, risk restart
check_adds_only() {
	local n
	n=$(jq "[$CH]|length" "$1.out")
	if [ "$n" = 0 ]; then
		assert_eq "$2: no change: exit 0" 0 "$RC"
		return
	fi
	assert_eq "$2: one update" "1 update" "$(jq -r "[$CH]|\"\(length) \(.[0].action)\"" "$1.out")"
	assert_eq "$2: risk restart" restart "$(jq -r "$CH.risk" "$1.out")"
	assert_eq "$2: the diff only adds keys" "add" "$(jq -r "[$CH.diff[].op]|unique|join(\",\")" "$1.out")"
	assert_eq "$2: no note about added tables" 0 "$(jq "[$CH.notes[]|select(test(\"tables added\"))]|length" "$1.out")"
	assert_eq "$2: changes: exit 2" 2 "$RC"
}
adopt_manifest mysql
run_fx "$FX_TMP/a2" plan -f "$M" --skip-db-checks --no-server-validate --detailed-exitcode --format json
check_adds_only "$FX_TMP/a2" "(a) snapshot_new_tables default"
connect_curl DELETE "/connectors/$C" >/dev/null

# (b) live, as a FluxaORM user on MariaDB has it: MariaDbConnector, RUNNING
wait_state "$C" absent 60 || fail "(b) old connector still there"
resp=$(connect_curl POST /connectors "$(fluxaorm_config io.debezium.connector.mariadb.MariaDbConnector "")")
assert_eq "(b) FluxaORM's config registered with MariaDbConnector" "$C" "$(jq -r '.name // .message' <<<"$resp")"
wait_state "$C" RUNNING,RUNNING 120 || fail "(b) not RUNNING: $(connector_state "$C")"

# r_count: snapshot (`r`) events on the two topics, to the end
r_count() {
	"$FLUXACDC" tail -f "$M" -e --from beginning --op r --format json --timeout 30 2>"$FX_TMP/tail.err" | wc -l
}
for i in $(seq 1 120); do
	n=$(r_count)
	[ "$n" -ge 5 ] && break
	sleep 1
done
assert_eq "(b) the initial snapshot emitted 5 r events" 5 "$n"
# and its stored offsets say so (apply refuses to update it before that)
wait_until 120 offsets_streaming "$C" || fail "(b) its offsets still say snapshot: $(connect_curl GET "/connectors/$C/offsets")"

adopt_manifest mariadb false
run_fx "$FX_TMP/b1" plan -f "$M" --detailed-exitcode --format json -v
assert_eq "(b) snapshot_new_tables false, with database checks: exit 0" 0 "$RC"
# the stack's fluxa_cdc has Debezium's grants only: -v says the replicas were not compared, and why
assert_contains "(b) -v: replicas not compared" "$FX_TMP/b1.err" "replicas NOT compared with the connectors' server ids"
assert_contains "(b) -v: the grant that allows it" "$FX_TMP/b1.err" "GRANT REPLICATION MASTER ADMIN ON *.* TO '${FLUXACDC_MYSQL_USER}'"
[ "$RC" = 0 ] && ok "(b) plan: nothing to change" || { jq -c "$CH" "$FX_TMP/b1.out"; jq -c '.checks[]|select(.level=="error")' "$FX_TMP/b1.out"; }

adopt_manifest mariadb
run_fx "$FX_TMP/b2" plan -f "$M" --detailed-exitcode --format json
check_adds_only "$FX_TMP/b2" "(b) snapshot_new_tables default"
run_fx "$FX_TMP/b3" apply -f "$M" --auto-approve --wait 120
assert_eq "(b) apply: exit 0" 0 "$RC"
[ "$RC" = 0 ] || sed 's/^/    | /' "$FX_TMP/b3.err"
assert_eq "(b) the connector is RUNNING after apply" RUNNING,RUNNING "$(connector_state "$C")"
sql_admin "INSERT INTO \`$DB\`.\`$T1\` VALUES (4,'d')" >/dev/null
# the new row arrives as a c event: streaming went on from the stored offsets
for i in $(seq 1 120); do
	c=$("$FLUXACDC" tail -f "$M" "$T1" -e --from beginning --op c --format json --timeout 30 2>/dev/null | jq -r '.id' | tr -d '\n')
	[ "$c" = 4 ] && break
	sleep 1
done
assert_eq "(b) a row inserted after apply arrives as a c event" 4 "$c"
assert_eq "(b) no r event emitted again (offsets kept)" 5 "$(r_count)"
run_fx "$FX_TMP/b4" plan -f "$M" --detailed-exitcode --format json
assert_eq "(b) plan after apply: nothing to change" 0 "$RC"

# (c) an unmanaged neighbour's server id reused in the manifest
NSID=777001
neighbour=$(fluxaorm_config io.debezium.connector.mariadb.MariaDbConnector STOPPED |
	jq -c --arg n "$NEIGHBOUR" --arg sid "$NSID" \
		'.name = $n | .config["database.server.id"] = $sid | .config["topic.prefix"] = $n |
		 .config["schema.history.internal.kafka.topic"] = ($n + "_history")')
assert_eq "(c) unmanaged neighbour registered" "$NEIGHBOUR" "$(connect_curl POST /connectors "$neighbour" | jq -r '.name // .message')"
cat > "$FX_TMP/c.yaml" <<YAML
version: 1
mysql:
  adoptclash$R:
    dsn: "${FLUXACDC_MYSQL_USER}:\${ADOPTTEST_PW}@tcp(${FLUXACDC_MYSQL_HOST}:${FLUXACDC_MYSQL_PORT})/${DB}"
    flavor: mariadb
    server_id: $NSID
kafka:
  default: {brokers: ["${FLUXACDC_BROKERS}"], connect_url: "${FLUXACDC_CONNECT_URL}"}
entities:
  $T1: {debezium: true, mysql: adoptclash$R}
YAML
run_fx "$FX_TMP/c1" plan -f "$FX_TMP/c.yaml" --format json
assert_eq "(c) plan: exit 1" 1 "$RC"
assert_eq "(c) mysql.server_id_conflict names the neighbour" 1 \
	"$(jq "[.checks[]|select(.id==\"mysql.server_id_conflict\" and .level==\"error\" and (.message|contains(\"$NEIGHBOUR\")))]|length" "$FX_TMP/c1.out")"
run_fx "$FX_TMP/c2" apply -f "$FX_TMP/c.yaml" --auto-approve
assert_eq "(c) apply refuses: exit 1" 1 "$RC"
assert_contains "(c) apply says nothing was applied" "$FX_TMP/c2.err" "nothing applied"
assert_eq "(c) no connector was created" absent "$(connector_state fluxa_adoptclash$R)"
assert_eq "(c) the neighbour is untouched" STOPPED "$(connector_state "$NEIGHBOUR")"

finish
