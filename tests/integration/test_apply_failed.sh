#!/usr/bin/env bash
# A connector the manifest wants whose config is unchanged but whose task is
# FAILED live: plan warns (connect.connector_state) and apply must not report
# success (exit 1 naming it), even from a runner without database access.
# The failure is real: the connector's own database user gets a new password
# in MariaDB and the task is restarted, so Debezium cannot log in.
. "$(dirname "$0")/lib.sh"
U=$FLUXACDC_CONNECT_URL
# a fresh pool (so connector) name per run (lib.sh): Connect keeps a deleted
# connector's offsets, and apply refuses to create a name over them (connect.offsets)
FT=failtest$FX_RUN
M="$FX_TMP/m.yaml"
cleanup() {
	connect_curl DELETE /connectors/fluxa_$FT >/dev/null 2>&1
	sql_admin "DROP USER IF EXISTS 'failtest_u'@'%'" >/dev/null 2>&1
}
trap cleanup EXIT
cleanup
sql_admin "CREATE USER 'failtest_u'@'%' IDENTIFIED BY 'failtest-pw-1'; GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, BINLOG MONITOR ON *.* TO 'failtest_u'@'%';" >/dev/null
cat > "$M" <<YAML
version: 1
mysql:
  $FT:
    dsn: "failtest_u:\${FAILTEST_PW}@tcp(${FLUXACDC_MYSQL_HOST}:${FLUXACDC_MYSQL_PORT})/${FLUXACDC_MYSQL_DATABASE}"
    flavor: mariadb
    server_id: 6801
    connector: {snapshot.mode: no_data}
kafka:
  default: {brokers: ["${FLUXACDC_BROKERS}"], connect_url: "$U"}
entities:
  UserEntity: {debezium: true, mysql: $FT}
YAML
export FAILTEST_PW=failtest-pw-1
# apply would plan to delete any other fluxa_* connector: on a worker shared by
# developers, wait (60 s at most) for theirs to go; in make check there are none,
# and one left behind by an earlier test is a failure of that test, shown here.
for _ in $(seq 120); do
	extra=$(connect_curl GET /connectors | jq -r --arg me "fluxa_$FT" '[.[]|select(startswith("fluxa_") and . != $me)]|join(" ")')
	[ -z "$extra" ] && break
	sleep 0.5
done
assert_eq "no other fluxa_* connector on the worker" "" "$extra"

run_fx "$FX_TMP/a" apply -f "$M" --auto-approve
assert_eq "created and RUNNING: exit 0" 0 "$RC"

sql_admin "ALTER USER 'failtest_u'@'%' IDENTIFIED BY 'failtest-pw-2'" >/dev/null
connect_curl POST "/connectors/fluxa_$FT/restart?includeTasks=true" >/dev/null
state=""
for _ in $(seq 60); do
	state=$(connect_curl GET /connectors/fluxa_$FT/status | jq -r '.tasks[0].state // empty')
	[ "$state" = FAILED ] && break
	sleep 0.5
done
assert_eq "the task FAILED for real (wrong password in MariaDB)" FAILED "$state"

run_fx "$FX_TMP/p" plan -f "$M" --skip-db-checks --no-server-validate --format json
assert_eq "plan: no alter (the config is the same)" 0 "$(jq '.changes|length' "$FX_TMP/p.out")"
assert_eq "plan: connect.connector_state warning" warning "$(jq -r '.checks[]|select(.id=="connect.connector_state")|.level' "$FX_TMP/p.out")"
assert_contains "plan: says apply does not restart it (no change for it)" "$FX_TMP/p.out" "no change for it and apply does not restart it"
run_fx "$FX_TMP/b" apply -f "$M" --auto-approve --skip-db-checks --no-server-validate
assert_eq "apply with nothing to change but a FAILED task: exit 1" 1 "$RC"
assert_contains "apply names the FAILED connector" "$FX_TMP/b.err" "fluxa_$FT"
assert_contains "apply says how to restart it" "$FX_TMP/b.err" "fluxacdc restart --failed fluxa_$FT"
assert_not_contains "no success line" "$FX_TMP/b.out" "Apply complete"
run_fx "$FX_TMP/j" apply -f "$M" --auto-approve --skip-db-checks --no-server-validate --format json
assert_eq "apply --format json: exit 1" 1 "$RC"
python3 "$FLUXACDC_ROOT/tests/schema/validate.py" apply-result.schema.json "$FX_TMP/j.out" && ok "json result matches apply-result.schema.json" || fail "json result schema"
# with the database reachable, plan itself finds the bad login: blocked, exit 1
run_fx "$FX_TMP/c" apply -f "$M" --auto-approve
assert_eq "apply with database checks: blocked by mysql.reachable, exit 1" 1 "$RC"
# the manifest gets the new password: the plan updates the connector, and
# says the update restarts it (it does: the task comes back RUNNING)
export FAILTEST_PW=failtest-pw-2
run_fx "$FX_TMP/u" plan -f "$M" --skip-db-checks --no-server-validate
assert_contains "plan with the fix: an update" "$FX_TMP/u.out" "~ fluxa_$FT"
assert_contains "plan with the fix: the update restarts it" "$FX_TMP/u.out" "the update in this plan restarts it and its tasks"
assert_not_contains "plan with the fix: no 'does not restart'" "$FX_TMP/u.out" "does not restart"
run_fx "$FX_TMP/ua" apply -f "$M" --auto-approve --skip-db-checks --no-server-validate
assert_eq "apply with the fix: exit 0" 0 "$RC"
assert_eq "apply with the fix: the task is RUNNING again" RUNNING \
	"$(connect_curl GET /connectors/fluxa_$FT/status | jq -r '.tasks[0].state')"
if grep -rqF -- failtest-pw "$FX_TMP"/*.out "$FX_TMP"/*.err; then fail "a password was printed"; else ok "no password printed"; fi
finish
