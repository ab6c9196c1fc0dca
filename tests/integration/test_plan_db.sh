#!/usr/bin/env bash
# fluxacdc plan, database side (SPEC §4 mysql.* checks) against the stack's
# MariaDB: a healthy server, binlog_format MIXED, a user without REPLICATION
# SLAVE, a wrong password, a closed and a stalled port next to a good pool,
# a missing table, a table without primary key, a server_id conflict, a unix
# socket, --skip-db-checks.  Users and tables are named dbtest_* and dropped.
. "$(dirname "$0")/lib.sh"
SENT="SENTINEL-dbtest-$$-pw"
M="$FX_TMP/m.yaml"
export DBTEST_PW="$FLUXACDC_MYSQL_PASSWORD"
TCP="${FLUXACDC_MYSQL_HOST}:${FLUXACDC_MYSQL_PORT}"
DB="$FLUXACDC_MYSQL_DATABASE"

# manifest POOLS ENTITIES: pools and entities given as YAML lines
manifest() {
	cat >"$M" <<YAML
version: 1
mysql:
$1
kafka:
  default:
    brokers: ["${FLUXACDC_BROKERS}"]
    connect_url: "${FLUXACDC_CONNECT_URL}"
entities:
$2
YAML
}
pool() { # pool CODE USER [ADDR] [extra flow-map keys]
	echo "  $1: {dsn: \"$2:\${DBTEST_PW}@tcp(${3:-$TCP})/$DB\"${4:+, $4}}"
}
# checks OUT JQ-FILTER: the checks matching a filter, one compact object a line
checks() { jq -c ".checks[] | select($2)" "$1"; }
count() { jq "[.checks[] | select($2)] | length" "$1"; }

cleanup() {
	sql_admin "SET GLOBAL binlog_format = 'ROW'" >/dev/null 2>&1
	sql_admin "DROP USER IF EXISTS 'dbtest_norepl'@'127.0.0.1', 'dbtest_norepl'@'localhost';
		DROP TABLE IF EXISTS \`$DB\`.dbtest_nopk" >/dev/null 2>&1
	[ -n "${STALL_PID:-}" ] && kill "$STALL_PID" 2>/dev/null
	true
}
trap cleanup EXIT
cleanup

plan() { # plan OUT-PREFIX [args]: json plan of $M, DB checks on, Connect validation off
	local p=$1
	shift
	run_fx "$p" plan -f "$M" --no-server-validate --format json "$@"
}

# (a) a healthy server: no mysql error or warning, the flavor detected, the class follows
manifest "$(pool good "$FLUXACDC_MYSQL_USER")" "  UserEntity: {debezium: true, mysql: good}
  OrderEntity: {debezium: true, mysql: good}"
plan "$FX_TMP/a"
assert_eq "(a) healthy: exit 0" 0 "$RC"
assert_eq "(a) no mysql error or warning" 0 "$(count "$FX_TMP/a.out" '(.id|startswith("mysql.")) and .level != "info"')"
assert_eq "(a) flavor info: mariadb" "info mariadb" \
	"$(jq -r '.checks[]|select(.id=="mysql.flavor" and .scope=="mysql:good")|"\(.level) \(.observed|split(" ")[0])"' "$FX_TMP/a.out")"
assert_eq "(a) auto flavor -> MariaDbConnector" io.debezium.connector.mariadb.MariaDbConnector \
	"$(jq -r '.changes[]|select(.connector=="fluxa_good").diff[]|select(.key=="connector.class")|.after' "$FX_TMP/a.out")"
python3 "$FLUXACDC_ROOT/tests/schema/validate.py" plan.schema.json "$FX_TMP/a.out" && ok "(a) JSON matches plan.schema.json" || fail "(a) schema"
run_fx "$FX_TMP/a-text" plan -f "$M" --no-server-validate -v
assert_contains "(a) -v says what the server is" "$FX_TMP/a-text.err" "mysql 'good': 10.11"

# (e) binlog_format MIXED -> mysql.binlog_format error, exit 1 (restored at once)
sql_admin "SET GLOBAL binlog_format = 'MIXED'"
plan "$FX_TMP/e"
sql_admin "SET GLOBAL binlog_format = 'ROW'"
assert_eq "(e) MIXED: exit 1" 1 "$RC"
assert_eq "(e) mysql.binlog_format error MIXED -> ROW" "error MIXED ROW" \
	"$(jq -r '.checks[]|select(.id=="mysql.binlog_format")|"\(.level) \(.observed) \(.expected)"' "$FX_TMP/e.out")"
assert_contains "(e) hint gives the my.cnf line" "$FX_TMP/e.out" "binlog_format = ROW under [mysqld]"
assert_eq "(e) not applyable" false "$(jq '.applyable' "$FX_TMP/e.out")"
assert_eq "(e) restored" ROW "$(sql_admin 'SELECT @@GLOBAL.binlog_format' | tail -n 1)"

# (f) a user without REPLICATION SLAVE -> mysql.grants error with the GRANT to run
sql_admin "CREATE USER 'dbtest_norepl'@'127.0.0.1' IDENTIFIED BY '$SENT';
	GRANT SELECT, RELOAD, SHOW DATABASES, BINLOG MONITOR ON *.* TO 'dbtest_norepl'@'127.0.0.1'"
export DBTEST_PW="$SENT"
manifest "$(pool norepl dbtest_norepl)" "  UserEntity: {debezium: true, mysql: norepl}"
plan "$FX_TMP/f" -vv
assert_eq "(f) missing grant: exit 1" 1 "$RC"
assert_eq "(f) mysql.grants error" error "$(jq -r '.checks[]|select(.id=="mysql.grants").level' "$FX_TMP/f.out")"
assert_contains "(f) message names REPLICATION SLAVE" "$FX_TMP/f.out" "lacks REPLICATION SLAVE on *.*"
assert_eq "(f) hint is the GRANT statement" "GRANT REPLICATION SLAVE ON *.* TO 'dbtest_norepl'@'127.0.0.1';" \
	"$(jq -r '.checks[]|select(.id=="mysql.grants").hint' "$FX_TMP/f.out")"
if grep -qF -- "$SENT" "$FX_TMP/f.out" "$FX_TMP/f.err"; then fail "(f) password printed"; else ok "(f) password in no output"; fi

# wrong password -> mysql.reachable error, the password nowhere
export DBTEST_PW="wrong-$SENT"
manifest "$(pool badpw "$FLUXACDC_MYSQL_USER")" "  UserEntity: {debezium: true, mysql: badpw}"
plan "$FX_TMP/w" -vvv
assert_eq "(w) wrong password: exit 1" 1 "$RC"
assert_eq "(w) mysql.reachable error 1045" "error ERROR 1045" \
	"$(jq -r '.checks[]|select(.id=="mysql.reachable")|"\(.level) \(.observed|.[0:10])"' "$FX_TMP/w.out")"
assert_contains "(w) hint: check the password" "$FX_TMP/w.out" "check the user and password"
assert_eq "(w) nothing else checked on that pool" 1 "$(count "$FX_TMP/w.out" '.scope=="mysql:badpw"')"
if grep -qF -- "$SENT" "$FX_TMP/w.out" "$FX_TMP/w.err"; then fail "(w) password printed"; else ok "(w) password in no output"; fi
export DBTEST_PW="$FLUXACDC_MYSQL_PASSWORD"

# unreachable: a closed port and a stalled one, each next to a good pool, within --timeout
fx_stall_listener "$(fx_port 1)"
manifest "$(pool good "$FLUXACDC_MYSQL_USER")
$(pool closed "$FLUXACDC_MYSQL_USER" 127.0.0.1:$(fx_port 9))
$(pool stalled "$FLUXACDC_MYSQL_USER" 127.0.0.1:$(fx_port 1))" "  UserEntity: {debezium: true, mysql: good}
  A: {debezium: true, mysql: closed, table: UserEntity}
  B: {debezium: true, mysql: stalled, table: UserEntity}"
start=$(date +%s%N)
plan "$FX_TMP/u" --timeout 2
ms=$(( ($(date +%s%N) - start) / 1000000 ))
kill "$STALL_PID" 2>/dev/null; STALL_PID=
assert_eq "(u) unreachable: exit 1" 1 "$RC"
assert_eq "(u) closed port: mysql.reachable error" error "$(jq -r '.checks[]|select(.id=="mysql.reachable" and .scope=="mysql:closed").level' "$FX_TMP/u.out")"
assert_eq "(u) stalled port: mysql.reachable error" error "$(jq -r '.checks[]|select(.id=="mysql.reachable" and .scope=="mysql:stalled").level' "$FX_TMP/u.out")"
assert_contains "(u) stalled: says it waited --timeout" "$FX_TMP/u.out" "no answer within --timeout 2 s"
assert_eq "(u) the good pool was still checked (its flavor; snapshot_new_tables: its snapshot mode)" "mysql.flavor mysql.snapshot_mode" \
	"$(jq -r '[.checks[]|select(.scope=="mysql:good").id]|sort|join(" ")' "$FX_TMP/u.out")"
[ "$ms" -lt 4500 ] && ok "(u) gave up in ${ms} ms (--timeout 2, pools in parallel)" || fail "(u) took ${ms} ms"

# missing table, table without primary key, server_id equal to the server's own
sql_admin "CREATE TABLE \`$DB\`.dbtest_nopk (Name varchar(20)) ENGINE=InnoDB"
manifest "$(pool tables "$FLUXACDC_MYSQL_USER")
$(pool clash "$FLUXACDC_MYSQL_USER" "$TCP" "server_id: 1")" "  UserEntity: {debezium: true, mysql: tables}
  Gone: {debezium: true, mysql: tables, table: dbtest_missing}
  NoPK: {debezium: true, mysql: tables, table: dbtest_nopk}
  Case: {debezium: true, mysql: tables, table: userentity}
  Clash: {debezium: true, mysql: clash, table: UserEntity}"
plan "$FX_TMP/t"
assert_eq "(t) missing table: mysql.table warning" "warning missing" \
	"$(jq -r '.checks[]|select(.id=="mysql.table" and (.expected|endswith("`dbtest_missing`")))|"\(.level) \(.observed)"' "$FX_TMP/t.out")"
assert_eq "(t) no primary key: mysql.primary_key warning" warning \
	"$(jq -r '.checks[]|select(.id=="mysql.primary_key" and (.message|contains("dbtest_nopk"))).level' "$FX_TMP/t.out")"
assert_contains "(t) primary key hint" "$FX_TMP/t.out" "ALTER TABLE \`$DB\`.\`dbtest_nopk\` ADD PRIMARY KEY"
assert_contains "(t) wrong case: did you mean" "$FX_TMP/t.out" "did you mean 'UserEntity'?"
assert_eq "(t) UserEntity itself is fine" 0 "$(count "$FX_TMP/t.out" '(.message|contains("`UserEntity`"))')"
assert_eq "(t) server_id 1 = the server's: conflict error" "error 1" \
	"$(jq -r '.checks[]|select(.id=="mysql.server_id_conflict" and .scope=="mysql:clash")|"\(.level) \(.observed)"' "$FX_TMP/t.out")"
assert_eq "(t) warnings alone do not fail; the conflict does: exit 1" 1 "$RC"

# a unix socket pool
manifest "  sock: {dsn: \"${FLUXACDC_MYSQL_USER}:\${DBTEST_PW}@unix(${FLUXACDC_MYSQL_SOCKET})/$DB\", connect_host: \"${FLUXACDC_MYSQL_HOST}\", connect_port: ${FLUXACDC_MYSQL_PORT}}" \
	"  UserEntity: {debezium: true, mysql: sock}"
plan "$FX_TMP/s"
assert_eq "(s) unix socket: flavor detected (and the snapshot mode)" "mysql.flavor mysql.snapshot_mode" \
	"$(jq -r '[.checks[]|select(.scope=="mysql:sock").id]|sort|join(" ")' "$FX_TMP/s.out")"

# --skip-db-checks: no database contacted, no mysql.* check
manifest "$(pool closed "$FLUXACDC_MYSQL_USER" 127.0.0.1:$(fx_port 9))" "  UserEntity: {debezium: true, mysql: closed}"
plan "$FX_TMP/k" --skip-db-checks
assert_eq "(k) --skip-db-checks: no mysql check" 0 "$(count "$FX_TMP/k.out" '.id|startswith("mysql.")')"
assert_eq "(k) marked as skipped" true "$(jq '.db_checks_skipped' "$FX_TMP/k.out")"

finish
