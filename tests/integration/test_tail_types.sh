#!/usr/bin/env bash
# fluxacdc tail shows values as the database has them (SPEC §5): a table with
# a column of each type Debezium encodes (DECIMAL as precise bytes, DATE as
# days, TIME as µs, DATETIME(3) as ms, DATETIME(6) as µs, TIMESTAMP, YEAR,
# BIT, JSON, ENUM, SET, BLOB, BIGINT UNSIGNED), captured by two connectors on
# the config `fluxacdc render` gives (SPEC v2 §3 defaults: precise decimals,
# adaptive_time_microseconds), one schemaless and one with
# value.converter.schemas.enable=true set under the pool's connector: map.
# tail -e --format json must print each value as `SELECT` prints it; --raw
# as sent; an unreachable database: as sent, said once on stderr.
. "$(dirname "$0")/lib.sh"

RUN=typestest_$(date +%s)_$$
TABLE=$RUN
P1=${RUN}_p                     # schemaless pool; topic fluxa_$P1.fluxa.$TABLE
P2=${RUN}_s                     # the same table, schemas.enable=true
DB=$FLUXACDC_MYSQL_DATABASE
M=$FX_TMP/fluxacdc.yaml
export TYPESTEST_PW=$FLUXACDC_MYSQL_PASSWORD

cleanup() {
	connect_curl DELETE "/connectors/fluxa_$P1" >/dev/null 2>&1
	connect_curl DELETE "/connectors/fluxa_$P2" >/dev/null 2>&1
	sql_admin "DROP TABLE IF EXISTS \`$TABLE\`" >/dev/null 2>&1
	"$STACK" kafka-topics --delete --topic "fluxa_$RUN.*" >/dev/null 2>&1
}
trap cleanup EXIT
bail() { fail "$1"; finish; exit 1; }

pool() { # NAME PORT EXTRA-CONNECTOR-KEYS
	cat <<YAML
  $1:
    host: $FLUXACDC_MYSQL_HOST
    port: $2
    user: $FLUXACDC_MYSQL_USER
    password: "\${TYPESTEST_PW}"
    database: $DB
    flavor: mariadb
    connector:
      # SPEC v2 §3: Debezium's defaults, whatever this build's desired.c still adds
      decimal.handling.mode: precise
      schema.history.internal.kafka.topic: fluxa_$1_schema_history$3
YAML
}
manifest() { # MYSQL-PORT
	{
		echo "version: 1"
		echo "mysql:"
		pool "$P1" "$1" ""
		pool "$P2" "$1" $'\n      value.converter.schemas.enable: "true"\n      key.converter.schemas.enable: "true"'
		cat <<YAML
kafka:
  default:
    brokers: ["$FLUXACDC_BROKERS"]
    connect_url: "$FLUXACDC_CONNECT_URL"
entities:
  Plain: {debezium: true, mysql: $P1, table: $TABLE}
  Schema: {debezium: true, mysql: $P2, table: $TABLE}
YAML
	}
}
manifest "$FLUXACDC_MYSQL_PORT" >"$M"
manifest 1 >"$FX_TMP/nodb.yaml" # nothing listens on port 1

sql_admin "CREATE TABLE \`$TABLE\` (
  ID bigint unsigned NOT NULL PRIMARY KEY,
  Amount decimal(12,2) NULL,
  Dt datetime(3) NULL,
  Dt6 datetime(6) NULL,
  D date NULL,
  T time NULL,
  T6 time(6) NULL,
  Ts timestamp(3) NULL,
  Y year NULL,
  B1 bit(1) NULL,
  B3 bit(3) NULL,
  Doc json NULL,
  E enum('new','paid','shipped') NULL,
  S set('a','b','c') NULL,
  Bl blob NULL,
  U bigint unsigned NULL
) ENGINE=InnoDB;
INSERT INTO \`$TABLE\` VALUES (1, 1234.50, '2026-11-30 10:11:12.345', '2026-11-30 10:11:12.000001',
  '1969-07-20', '-12:30:05', '838:59:59.999999', '2026-11-30 10:11:12.340', 2026, 1, b'101',
  '{\"a\": [1, 2.5, \"x\"], \"b\": {\"c\": null}}', 'paid', 'a,c', x'00ff10', 18446744073709551615);" ||
	bail "create table"

# the connectors exactly as fluxacdc would create them
run_fx "$FX_TMP/render" -f "$M" render --show-secrets --format json
assert_eq "render: exit 0" 0 "$RC"
for p in "$P1" "$P2"; do
	cfg=$(jq -c --arg n "fluxa_$p" '(if type == "array" then .[] else . end) | select(.name == $n)' "$FX_TMP/render.out")
	[ -n "$cfg" ] || bail "render gave no connector fluxa_$p"
	assert_eq "fluxa_$p: no decimal.handling.mode other than Debezium's default" precise \
		"$(jq -r '.config["decimal.handling.mode"] // "precise"' <<<"$cfg")"
	assert_eq "fluxa_$p: time.precision.mode left at Debezium's default" null \
		"$(jq -r '.config["time.precision.mode"]' <<<"$cfg")"
	# retried through a rebalance's 409 (an earlier test may have restarted a worker)
	connect_write POST /connectors "$cfg" >/dev/null
done
for p in "$P1" "$P2"; do
	state=
	for _ in $(seq 120); do
		state=$(connect_curl GET "/connectors/fluxa_$p/status" 2>/dev/null | jq -r '[.connector.state] + [.tasks[]?.state] | join(",")' 2>/dev/null)
		case $state in RUNNING,RUNNING | *FAILED*) break ;; esac
		sleep 0.5
	done
	assert_eq "fluxa_$p RUNNING" RUNNING,RUNNING "$state"
done

# wait_events ENTITY N: tail -e until it prints N events (Debezium is asynchronous)
wait_events() {
	local n=0
	for _ in $(seq 90); do
		"$FLUXACDC" -q -f "$M" tail "$1" -e --from beginning --format json --raw >"$FX_TMP/w.out" 2>/dev/null
		n=$(wc -l <"$FX_TMP/w.out")
		[ "$n" -ge "$2" ] && return 0
		sleep 0.5
	done
	fail "$1: waited for $2 events, saw $n"
	return 1
}
wait_events Plain 1 && wait_events Schema 1 || bail "the snapshot reads"

sql_admin "INSERT INTO \`$TABLE\` VALUES (2, -99.99, '1970-01-01 00:00:00.000', '1960-06-15 08:00:00.500000',
  '2000-02-29', '100:00:00', '00:00:00.000250', '1999-12-31 23:59:59.999', 1901, 0, b'010',
  '[]', 'new', '', x'89504e470d0a1a0a', 0);
UPDATE \`$TABLE\` SET Amount = 1234.5, Dt = '2026-11-30 10:11:12.345', Doc = '{\"k\": \"v\"}', B3 = b'111', S = 'b' WHERE ID = 2;
INSERT INTO \`$TABLE\` (ID) VALUES (3);" || bail "changes"
wait_events Plain 4 && wait_events Schema 4 || bail "the changes"

# What the database prints, one row per line, columns tab-separated, in the
# forms tail uses: DATETIME with a T, TIMESTAMP in UTC with a Z (the stack's
# server runs in UTC), BIT(1) as a boolean, BIT(n) as its number, JSON compact,
# BLOB in base64 as Debezium sends it, NULL as null.
COLS="ID Amount Dt Dt6 D T T6 Ts Y B1 B3 Doc E S Bl U"
sql_admin "SELECT ID, IFNULL(CAST(Amount AS CHAR), 'null'),
  IFNULL(REPLACE(CAST(Dt AS CHAR), ' ', 'T'), 'null'), IFNULL(REPLACE(CAST(Dt6 AS CHAR), ' ', 'T'), 'null'),
  IFNULL(CAST(D AS CHAR), 'null'), IFNULL(CAST(T AS CHAR), 'null'), IFNULL(CAST(T6 AS CHAR), 'null'),
  IFNULL(CONCAT(REPLACE(CAST(Ts AS CHAR), ' ', 'T'), 'Z'), 'null'), IFNULL(Y, 'null'),
  IF(B1 IS NULL, 'null', IF(B1, 'true', 'false')), IFNULL(B3 + 0, 'null'), IFNULL(JSON_COMPACT(Doc), 'null'),
  IFNULL(E, 'null'), IFNULL(S, 'null'), IFNULL(TO_BASE64(Bl), 'null'), IFNULL(U, 'null')
  FROM \`$TABLE\` ORDER BY ID" | tail -n +2 >"$FX_TMP/db.tsv"
assert_eq "the database has three rows" 3 "$(wc -l <"$FX_TMP/db.tsv")"

# tail's last image of each row, the same columns (python: exact big integers)
rows() { # FILE
	python3 - "$1" $COLS <<'PY'
import json, sys
last = {}
for line in open(sys.argv[1]):
    ev = json.loads(line)
    row = ev.get("after")
    if row is not None:
        last[str(row["ID"])] = row
def text(v):
    if v is None: return "null"
    if v is True: return "true"
    if v is False: return "false"
    if isinstance(v, (dict, list)): return json.dumps(v, separators=(",", ":"))
    return str(v)
for k in sorted(last, key=int):
    print("\t".join(text(last[k][c]) for c in sys.argv[2:]))
PY
}
for e in Plain Schema; do
	run_fx "$FX_TMP/$e" -f "$M" tail "$e" -e --from beginning --format json
	assert_eq "$e: exit 0" 0 "$RC"
	assert_eq "$e: r c u c" "r c u c" "$(jq -r .op "$FX_TMP/$e.out" | xargs)"
	assert_eq "$e: nothing on stderr" "" "$(cat "$FX_TMP/$e.err")"
	rows "$FX_TMP/$e.out" >"$FX_TMP/$e.tsv"
	if diff -u "$FX_TMP/db.tsv" "$FX_TMP/$e.tsv" >"$FX_TMP/$e.diff"; then
		ok "$e: every value as SELECT prints it"
	else
		fail "$e: values differ from SELECT (- database, + tail)"
		sed 's/^/    | /' "$FX_TMP/$e.diff"
	fi
	assert_eq "$e: the update changed what the database changed" '["Amount","Dt","B3","Doc","S"]' \
		"$(jq -c 'select(.op == "u") | .changed' "$FX_TMP/$e.out")"
	assert_eq "$e: the update's before, as the database had it" '"-99.99" "1970-01-01T00:00:00.000" 2 []' \
		"$(jq -c 'select(.op == "u") | .before | [.Amount, .Dt, .B3, .Doc] | .[]' "$FX_TMP/$e.out" | xargs -d '\n' | sed 's/\\"/"/g')"
	run_fx "$FX_TMP/$e-raw" -f "$M" tail "$e" -e --from beginning --format json --raw
	assert_eq "$e --raw: the precise decimal as sent" '"AeI6"' \
		"$(jq -c 'select(.op == "r") | .after.Amount' "$FX_TMP/$e-raw.out")"
	assert_eq "$e --raw: DATETIME(3) as epoch ms" 1796033472345 \
		"$(jq -c 'select(.op == "r") | .after.Dt' "$FX_TMP/$e-raw.out")"
	run_fx "$FX_TMP/$e-id" -f "$M" tail "$e" -e --from beginning --format json --id 2
	assert_eq "$e --id 2" "c u" "$(jq -r .op "$FX_TMP/$e-id.out" | xargs)"
	run_fx "$FX_TMP/$e-pretty" -f "$M" tail "$e" -e --from beginning --format pretty --color never
	assert_contains "$e pretty: a decimal change" "$FX_TMP/$e-pretty.out" '    Amount  -99.99 → 1234.50'
	assert_contains "$e pretty: a DATETIME(3) change" "$FX_TMP/$e-pretty.out" '"1970-01-01T00:00:00.000" → "2026-11-30T10:11:12.345"'
	assert_contains "$e pretty: BIT(3) with its bits" "$FX_TMP/$e-pretty.out" "2 (b'10') → 7 (b'111')"
	assert_contains "$e pretty: a BLOB says it is base64" "$FX_TMP/$e-pretty.out" '"AP8Q" (base64, 3 bytes)'
done

# the database cannot be reached: values as sent, said once, and still 0
run_fx "$FX_TMP/nodb" -f "$FX_TMP/nodb.yaml" tail Plain -e --from beginning --format json --timeout 3
assert_eq "no database: exit 0, every event" "0 4" "$RC $(wc -l <"$FX_TMP/nodb.out")"
assert_eq "no database: the reason said once" 1 "$(grep -c "cannot read the column types of mysql pool '$P1'" "$FX_TMP/nodb.err")"
assert_not_contains "no database: never the password" "$FX_TMP/nodb.err" "$FLUXACDC_MYSQL_PASSWORD"
assert_eq "no database: the decimal as sent" '"AeI6"' "$(jq -c 'select(.op == "r") | .after.Amount' "$FX_TMP/nodb.out")"
# ... while events with a schema are decoded from it
run_fx "$FX_TMP/nodb2" -f "$FX_TMP/nodb.yaml" tail Schema -e --from beginning --format json --timeout 3
assert_eq "no database, schema envelope: decoded from the schema" '"1234.50" "2026-11-30T10:11:12.345" "1969-07-20"' \
	"$(jq -c 'select(.op == "r") | .after | [.Amount, .Dt, .D] | .[]' "$FX_TMP/nodb2.out" | xargs -d '\n' | sed 's/\\"/"/g')"
# --raw reads no types at all: nothing said
run_fx "$FX_TMP/nodb3" -f "$FX_TMP/nodb.yaml" tail Plain -e --from beginning --format json --raw --timeout 3
assert_eq "--raw: no database needed, nothing said" "0 " "$RC $(cat "$FX_TMP/nodb3.err")"

# a topic that is no entity's: no types to read; said once per topic, not with -q
{
	echo "version: 1"
	echo "mysql:"
	pool "$P1" "$FLUXACDC_MYSQL_PORT" ""
	cat <<YAML
kafka:
  default:
    brokers: ["$FLUXACDC_BROKERS"]
    connect_url: "$FLUXACDC_CONNECT_URL"
entities:
  Other: {debezium: true, mysql: $P1, table: ${TABLE}_other}
YAML
} >"$FX_TMP/notopic.yaml"
T1=fluxa_$P1.$DB.$TABLE
run_fx "$FX_TMP/nt" -f "$FX_TMP/notopic.yaml" tail --topic "$T1" -e --from beginning --format json
assert_eq "--topic of no entity: exit 0, every event" "0 4" "$RC $(wc -l <"$FX_TMP/nt.out")"
assert_eq "--topic of no entity: said once" 1 \
	"$(grep -c "topic '$T1' is no manifest entity's: its column types are unknown, its values are shown as sent" "$FX_TMP/nt.err")"
assert_eq "--topic of no entity: the decimal as sent" '"AeI6"' "$(jq -c 'select(.op == "r") | .after.Amount' "$FX_TMP/nt.out")"
run_fx "$FX_TMP/nt2" -q -f "$FX_TMP/notopic.yaml" tail --topic "$T1" -e --from beginning --format json
assert_eq "--topic of no entity, -q: nothing said" "0 " "$RC $(cat "$FX_TMP/nt2.err")"
run_fx "$FX_TMP/nt3" -f "$FX_TMP/notopic.yaml" tail --topic "$T1" -e --from beginning --format json --raw
assert_eq "--topic of no entity, --raw: nothing said" "0 " "$RC $(cat "$FX_TMP/nt3.err")"
# the entity's own topic named with --topic keeps its types: nothing said
run_fx "$FX_TMP/nt4" -f "$M" tail --topic "$T1" -e --from beginning --format json
assert_eq "--topic of an entity: decoded, nothing said" '0 "1234.50"' \
	"$RC $(jq -c 'select(.op == "r") | .after.Amount' "$FX_TMP/nt4.out")$(cat "$FX_TMP/nt4.err")"

finish
