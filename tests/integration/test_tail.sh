#!/usr/bin/env bash
# fluxacdc tail against the real local stack: a MariaDB connector on a table
# with a column of each common type; snapshot read, insert, update of one
# column, delete and tombstone decoded; filters (--op, --id, --tombstones),
# start positions (--since, -n, -c), records that are not events, a live tail
# stopped by SIGINT, a manifest consumer group, and -e on a topic whose end is
# a transaction marker.  Everything here is named tailtest_<run> so runs and
# other engineers' tests never see each other's connectors, tables or topics.
. "$(dirname "$0")/lib.sh"

RUN=tailtest_$(date +%s)_$$
TABLE=$RUN
POOL=$RUN                      # mysql pool, so the topic is fluxa_$RUN.fluxa.$TABLE
TOPIC=fluxa_$RUN.$FLUXACDC_MYSQL_DATABASE.$TABLE
PLAIN=${RUN}_plain             # a plain topic of the consumer group
TXN=${RUN}_txn                 # ends with a transaction marker
GROUP=${RUN}_cg
M=$FX_TMP/fluxacdc.yaml
B=$FLUXACDC_BROKERS
export TAILTEST_PW=$FLUXACDC_MYSQL_PASSWORD

cleanup() {
	connect_curl DELETE "/connectors/$RUN" >/dev/null 2>&1
	sql_admin "DROP TABLE IF EXISTS \`$TABLE\`" >/dev/null 2>&1
	"$STACK" kafka-topics --delete --topic "fluxa_$RUN.*|$RUN.*" >/dev/null 2>&1
	[ -n "${LIVE_PID:-}" ] && kill "$LIVE_PID" 2>/dev/null
}
trap cleanup EXIT
bail() { fail "$1"; finish; exit 1; }

cat >"$M" <<YAML
version: 1
mysql:
  $POOL:
    host: $FLUXACDC_MYSQL_HOST
    port: $FLUXACDC_MYSQL_PORT
    user: $FLUXACDC_MYSQL_USER
    password: "\${TAILTEST_PW}"
    database: $FLUXACDC_MYSQL_DATABASE
    connector: {decimal.handling.mode: string} # as the connector below
kafka:
  default:
    brokers: ["$B"]
    connect_url: "$FLUXACDC_CONNECT_URL"
entities:
  TailTypes: {debezium: true, mysql: $POOL, table: $TABLE}
consumer_groups:
  $GROUP:
    kafka: default
    debezium_entities: [TailTypes]
    topics: [$PLAIN]
YAML
tailx() { run_fx "$@"; } # tailx OUT_PREFIX ARGS...

# ---- offline: usage errors
run_fx "$FX_TMP/u1" tail -f "$M" TailTypo
assert_eq "unknown entity: exit 64" 64 "$RC"
assert_contains "unknown entity: did you mean" "$FX_TMP/u1.err" "did you mean 'TailTypes'"
run_fx "$FX_TMP/u2" tail -f "$M" --from yesterday
assert_eq "--from yesterday: exit 64" 64 "$RC"
run_fx "$FX_TMP/u3" tail -f "$M" --op c,x
assert_eq "--op c,x: exit 64" 64 "$RC"
run_fx "$FX_TMP/u4" tail -f "$M" -X nonsense.property=1 -e
assert_eq "-X unknown property: exit 64" 64 "$RC"
assert_contains "-X unknown property: named" "$FX_TMP/u4.err" "nonsense.property"

# ---- the table, one row before the connector (its snapshot read), the connector
sql_admin "CREATE TABLE \`$TABLE\` (
  ID bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY,
  Name varchar(100) NOT NULL, Email varchar(200) NULL, Balance decimal(12,2) NULL,
  Score double NULL, Active tinyint(1) NOT NULL DEFAULT 0, CreatedAt datetime(3) NULL,
  Birthday date NULL, Meta json NULL, Avatar blob NULL, Status enum('new','paid') NULL
) ENGINE=InnoDB;
INSERT INTO \`$TABLE\` (Name, Balance, CreatedAt, Meta, Avatar, Status)
  VALUES ('snap', 1.00, '2026-11-24 09:00:00.001', '{\"a\":1}', x'00ff', 'new');" ||
	bail "create table"
SNAP_ID=$(sql_admin "SELECT MAX(ID) FROM \`$TABLE\`" | tail -1)

cfg=$(jq -n --arg name "$RUN" --arg prefix "fluxa_$RUN" --arg sid "$((7000 + RANDOM % 20000))" \
	--arg host "$FLUXACDC_MYSQL_HOST" --arg port "$FLUXACDC_MYSQL_PORT" \
	--arg user "$FLUXACDC_MYSQL_USER" --arg pw "$FLUXACDC_MYSQL_PASSWORD" \
	--arg db "$FLUXACDC_MYSQL_DATABASE" --arg table "$TABLE" --arg brokers "$B" '{
  name: $name,
  config: {
    "connector.class": "io.debezium.connector.mariadb.MariaDbConnector", "tasks.max": "1",
    "database.hostname": $host, "database.port": $port,
    "database.user": $user, "database.password": $pw, "database.server.id": $sid,
    "topic.prefix": $prefix, "database.include.list": $db,
    "table.include.list": ($db + "\\." + $table),
    "schema.history.internal.kafka.bootstrap.servers": $brokers,
    "schema.history.internal.kafka.topic": ($prefix + ".schema-history"),
    "include.schema.changes": "false", "tombstones.on.delete": "true",
    "decimal.handling.mode": "string",
    "key.converter": "org.apache.kafka.connect.json.JsonConverter",
    "value.converter": "org.apache.kafka.connect.json.JsonConverter",
    "key.converter.schemas.enable": "false", "value.converter.schemas.enable": "false"
  }}')
connect_write POST /connectors "$cfg" >/dev/null
state=
for _ in $(seq 120); do
	state=$(connect_curl GET "/connectors/$RUN/status" 2>/dev/null | jq -r '[.connector.state] + [.tasks[]?.state] | join(",")' 2>/dev/null)
	case $state in RUNNING,RUNNING | *FAILED*) break ;; esac
	sleep 0.5
done
assert_eq "connector RUNNING" RUNNING,RUNNING "$state"

# wait_lines N ARGS...: runs tail -e until it prints N lines (Debezium is asynchronous)
wait_lines() {
	local want=$1 n=0
	shift
	for _ in $(seq 60); do
		"$FLUXACDC" -q -f "$M" tail "$@" -e --from beginning --format json >"$FX_TMP/w.out" 2>/dev/null
		n=$(wc -l <"$FX_TMP/w.out")
		[ "$n" -ge "$want" ] && return 0
		sleep 0.5
	done
	fail "waited for $want events, saw $n"
	return 1
}
wait_lines 1 TailTypes || bail "the snapshot read"
# --since below falls between the snapshot read and the changes: once the
# clock is past the snapshot record's timestamp
clock_past() { [ "$(date +%s%3N)" -gt "$1" ]; }
snap_ts=$(jq -r 'select(.op=="r") | .timestamp' "$FX_TMP/w.out" | sort -n | tail -1)
wait_until 30 clock_past "${snap_ts:-0}" || fail "the clock never passed the snapshot's timestamp ($snap_ts)"
SINCE=$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)

# ---- insert, update one column, delete
ID=$("$STACK" sql -N "INSERT INTO \`$TABLE\` (Name, Email, Balance, Score, Active, CreatedAt, Birthday, Meta, Avatar, Status)
  VALUES ('alice', 'alice@example.com', 12.50, -3.5, 1, '2026-11-24 10:00:00.123', '1990-02-28', '{\"plan\":\"pro\"}', x'89504e47', 'paid');
SELECT LAST_INSERT_ID();")
sql_admin "UPDATE \`$TABLE\` SET Balance = 99.99 WHERE ID = $ID" &&
	sql_admin "DELETE FROM \`$TABLE\` WHERE ID = $ID" || fail "insert/update/delete"
wait_lines 5 TailTypes || bail "the changes"

# ---- every event, exactly, in order
tailx "$FX_TMP/all" -f "$M" tail TailTypes -e --from beginning --format json
assert_eq "all: exit 0" 0 "$RC"
assert_eq "all: r c u d and a tombstone" "r c u d tombstone" \
	"$(jq -r 'if .tombstone then "tombstone" else .op end' "$FX_TMP/all.out" | xargs)"
assert_eq "all: ids" "$SNAP_ID $ID $ID $ID $ID" "$(jq -r .id "$FX_TMP/all.out" | xargs)"
assert_eq "all: entity from the manifest" TailTypes "$(jq -r .entity "$FX_TMP/all.out" | sort -u)"
assert_eq "all: topic and offsets" "$TOPIC 0 1 2 3 4" \
	"$(jq -r '"\(.topic) \(.offset)"' "$FX_TMP/all.out" | awk '{t=$1; o=o" "$2} END {print t o}')"
assert_eq "update: changed is Balance only" '["Balance"]' "$(jq -c 'select(.op=="u") | .changed' "$FX_TMP/all.out")"
assert_eq "update: before/after Balance" "12.50 99.99" \
	"$(jq -r 'select(.op=="u") | "\(.before.Balance) \(.after.Balance)"' "$FX_TMP/all.out")"
assert_eq "create: every column as the database has it" \
	'{"Name":"alice","Email":"alice@example.com","Balance":"12.50","Score":-3.5,"Active":1,"CreatedAt":"2026-11-24T10:00:00.123","Birthday":"1990-02-28","Meta":{"plan":"pro"},"Avatar":"iVBORw==","Status":"paid"}' \
	"$(jq -c 'select(.op=="c") | .after | del(.ID)' "$FX_TMP/all.out")"
tailx "$FX_TMP/raw" -f "$M" tail TailTypes -e --from beginning --format json --raw
assert_eq "--raw: every column as Debezium writes it" \
	'{"Name":"alice","Email":"alice@example.com","Balance":"12.50","Score":-3.5,"Active":1,"CreatedAt":1795514400123,"Birthday":7363,"Meta":"{\"plan\":\"pro\"}","Avatar":"iVBORw==","Status":"paid"}' \
	"$(jq -c 'select(.op=="c") | .after | del(.ID)' "$FX_TMP/raw.out")"
assert_eq "snapshot read: source.snapshot is the string enum" '"last"' "$(jq -c 'select(.op=="r") | .source.snapshot' "$FX_TMP/all.out")"
assert_eq "delete: after null, before has the row" 'null alice' "$(jq -r 'select(.op=="d") | "\(.after) \(.before.Name)"' "$FX_TMP/all.out")"
assert_eq "source: binlog file and table" "$TABLE" "$(jq -r 'select(.op=="c") | .source.table' "$FX_TMP/all.out")"
assert_eq "all: no schema envelope, no stderr" "" "$(grep -l schema "$FX_TMP/all.err")"

tailx "$FX_TMP/hide" -f "$M" tail TailTypes -e --from beginning --format json --tombstones hide
assert_eq "--tombstones hide" "r c u d" "$(jq -r '.op' "$FX_TMP/hide.out" | xargs)"
tailx "$FX_TMP/opu" -f "$M" tail TailTypes -e --from beginning --format json --op u
assert_eq "--op u" "u" "$(jq -r '.op' "$FX_TMP/opu.out" | xargs)"
tailx "$FX_TMP/id" -f "$M" tail TailTypes -e --from beginning --format json --id "$ID"
assert_eq "--id: that row's events" "c u d tombstone" "$(jq -r 'if .tombstone then "tombstone" else .op end' "$FX_TMP/id.out" | xargs)"
tailx "$FX_TMP/since" -f "$M" tail TailTypes -e --since "$SINCE" --format json
assert_eq "--since skips the older snapshot read" "c u d tombstone" \
	"$(jq -r 'if .tombstone then "tombstone" else .op end' "$FX_TMP/since.out" | xargs)"
tailx "$FX_TMP/last" -f "$M" tail TailTypes -e -n 1 --format json
assert_eq "-n 1: the last record" "4 true" "$(jq -r '"\(.offset) \(.tombstone)"' "$FX_TMP/last.out")"
tailx "$FX_TMP/cnt" -f "$M" tail TailTypes --from beginning -c 2 --format json
assert_eq "-c 2 stops after two events (without -e)" "0 1" "$(jq -r .offset "$FX_TMP/cnt.out" | xargs)"
tailx "$FX_TMP/end" -f "$M" tail -e --format json
assert_eq "-e from the end: nothing, at once" "0 0" "$RC $(wc -l <"$FX_TMP/end.out")"

tailx "$FX_TMP/pretty" -f "$M" tail TailTypes -e --from beginning --format pretty --color never
assert_contains "pretty: update header" "$FX_TMP/pretty.out" " update TailTypes#$ID $TOPIC[0]@2"
assert_contains "pretty: only the changed column" "$FX_TMP/pretty.out" '    Balance  "12.50" → "99.99"'
assert_eq "pretty: update has one field line" 1 \
	"$(awk '/ update /{u=1; next} / (delete|create|read|tombstone) /{u=0} u' "$FX_TMP/pretty.out" | wc -l)"
assert_contains "pretty: tombstone" "$FX_TMP/pretty.out" " tombstone TailTypes#$ID $TOPIC[0]@4"
tailx "$FX_TMP/color" -f "$M" tail TailTypes -e --from beginning --format pretty --color always
assert_contains "pretty: updates yellow" "$FX_TMP/color.out" $'\033[33mupdate'

# ---- the Kafka pool's config carries librdkafka's security settings: SASL/PLAIN
# over TLS with the stack's CA; wrong settings fail with a hint, no secret shown
if [ -n "${FLUXACDC_KAFKA_SASL_SSL_BROKERS:-}" ]; then
	export TAILTEST_SASL_PW=$FLUXACDC_KAFKA_SASL_PASSWORD
	sed -e "s|brokers: \[\"$B\"\]|brokers: [\"$FLUXACDC_KAFKA_SASL_SSL_BROKERS\"]\n    config:\n      security.protocol: SASL_SSL\n      sasl.mechanism: PLAIN\n      sasl.username: $FLUXACDC_KAFKA_SASL_USER\n      sasl.password: \"\${TAILTEST_SASL_PW}\"\n      ssl.ca.location: $FLUXACDC_KAFKA_CA|" \
		"$M" >"$FX_TMP/secure.yaml"
	tailx "$FX_TMP/tls" -f "$FX_TMP/secure.yaml" tail TailTypes -e --from beginning --format json
	assert_eq "SASL_SSL from the pool's config: every event" "0 5" "$RC $(wc -l <"$FX_TMP/tls.out")"
	TAILTEST_SASL_PW=sentinel-wrong-pw-$$ run_fx "$FX_TMP/tls2" -f "$FX_TMP/secure.yaml" tail TailTypes -e --timeout 2
	assert_eq "SASL: wrong password: exit 1" 1 "$RC"
	assert_contains "SASL: wrong password: hint" "$FX_TMP/tls2.err" "hint: check security.protocol, sasl.mechanism, sasl.username and sasl.password"
	assert_not_contains "SASL: the password is never printed" "$FX_TMP/tls2.err" "sentinel-wrong-pw"
	tailx "$FX_TMP/tls3" -f "$FX_TMP/secure.yaml" tail TailTypes -e --timeout 2 -X ssl.ca.location=/etc/ssl/certs/ca-certificates.crt
	assert_contains "TLS: unknown CA: hint" "$FX_TMP/tls3.err" "hint: check ssl.ca.location"
	tailx "$FX_TMP/tls4" -f "$FX_TMP/secure.yaml" tail TailTypes -e --timeout 2 -X security.protocol=SASL_PLAINTEXT
	assert_contains "TLS port spoken to in clear: hint" "$FX_TMP/tls4.err" "hint: "
	tailx "$FX_TMP/tls5" -f "$M" tail TailTypes -e --timeout 2 -X bootstrap.servers="$FLUXACDC_KAFKA_SASL_BROKERS"
	assert_contains "SASL port spoken to without SASL: security.protocol hint" "$FX_TMP/tls5.err" "security.protocol"
else
	echo "  (skipped: this stack has no SASL listeners)"
fi

# ---- a live tail sees a new change, and SIGINT stops it cleanly
"$FLUXACDC" -v -f "$M" tail TailTypes --format json >"$FX_TMP/live.out" 2>"$FX_TMP/live.err" &
LIVE_PID=$!
# the change once tail has its start offset (-v says so): what comes after is its to read
wait_until 60 grep -q "tail: $TOPIC\[0\] offsets .*, start " "$FX_TMP/live.err" ||
	fail "live: tail never said where it starts: $(cat "$FX_TMP/live.err")"
sql_admin "UPDATE \`$TABLE\` SET Name = 'snap2' WHERE ID = $SNAP_ID"
wait_until 60 test -s "$FX_TMP/live.out"
kill -INT "$LIVE_PID"
wait "$LIVE_PID"
assert_eq "live: SIGINT exits 0" 0 "$?"
LIVE_PID=
assert_eq "live: the new update, flushed per batch" "u snap2" "$(jq -r '"\(.op) \(.after.Name)"' "$FX_TMP/live.out")"

# ---- records that are not Debezium events: reported with where they are, skipped
printf 'k1\t\001\002garbage\377\nk2\t{"hello":"world"}\n' |
	kcat -P -b "$B" -t "$TOPIC" -p 0 -K $'\t'
tailx "$FX_TMP/bad" -f "$M" tail TailTypes -e --from beginning --format json
assert_eq "bad records: exit 0" 0 "$RC"
assert_eq "bad records: the events are all still there" 6 "$(wc -l <"$FX_TMP/bad.out")"
assert_contains "bad records: garbage located" "$FX_TMP/bad.err" "$TOPIC[0]@6: key is not JSON"
assert_contains "bad records: other JSON located" "$FX_TMP/bad.err" "$TOPIC[0]@7: "
assert_contains "bad records: counted at exit" "$FX_TMP/bad.err" "2 records were not a Debezium change event"

# ---- a manifest consumer group: its entity's topic and its plain topic
printf '{"ID":1}\t{"op":"c","after":{"ID":1,"X":"plain"},"source":{"table":"custom"}}\n' |
	kcat -P -b "$B" -t "$PLAIN" -K $'\t'
wait_until 60 kcat -b "$B" -C -t "$PLAIN" -e -q -o beginning -c 1 >/dev/null 2>&1
tailx "$FX_TMP/grp" -f "$M" tail --group "$GROUP" --commit -e --from beginning --format json
assert_eq "--group: exit 0" 0 "$RC"
assert_eq "--group: both resolved topics" "$(printf '%s\n' "$PLAIN" "$TOPIC" | sort | xargs)" \
	"$(jq -r .topic "$FX_TMP/grp.out" | sort -u | xargs)"
assert_eq "--group: every event (6 of the entity, 1 plain)" 7 "$(wc -l <"$FX_TMP/grp.out")"
printf '{"ID":2}\t{"op":"c","after":{"ID":2},"source":{}}\n' | kcat -P -b "$B" -t "$PLAIN" -K $'\t'
tailx "$FX_TMP/grp2" -f "$M" tail --group "$GROUP" -e --format json
assert_eq "--group --commit: the next run starts at the committed offsets" '2' "$(jq -r .id "$FX_TMP/grp2.out" | xargs)"

# ---- -e ends on a transaction marker (a read_committed consumer never sees a
# record at high watermark - 1): three records in a committed transaction,
# then two in an aborted one.  The high watermark is 7 (3 + marker + 2 + marker)
# while the last visible record has offset 2.
cat >"$FX_TMP/txn.c" <<'C'
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <string.h>
static int txn(rd_kafka_t *rk, const char *topic, int n, int commit)
{
	rd_kafka_error_t *e = rd_kafka_begin_transaction(rk);
	int i;

	if (e) return fprintf(stderr, "%s\n", rd_kafka_error_string(e)), 1;
	for (i = 0; i < n; i++) {
		char v[200];
		snprintf(v, sizeof(v), "{\"op\":\"c\",\"after\":{\"ID\":%d},\"source\":{}}", i + 10 * commit);
		rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_PARTITION(0),
				  RD_KAFKA_V_KEY("{\"ID\":1}", 8), RD_KAFKA_V_VALUE(v, strlen(v)), RD_KAFKA_V_END);
	}
	rd_kafka_flush(rk, 10000); /* on the broker before the abort, so they take offsets */
	e = commit ? rd_kafka_commit_transaction(rk, 10000) : rd_kafka_abort_transaction(rk, 10000);
	if (e) return fprintf(stderr, "%s\n", rd_kafka_error_string(e)), 1;
	return 0;
}
int main(int argc, char **argv)
{
	char err[512];
	rd_kafka_conf_t *c = rd_kafka_conf_new();
	rd_kafka_t *rk;
	rd_kafka_error_t *e;

	rd_kafka_conf_set(c, "bootstrap.servers", argv[1], err, sizeof(err));
	rd_kafka_conf_set(c, "transactional.id", argv[2], err, sizeof(err));
	rk = rd_kafka_new(RD_KAFKA_PRODUCER, c, err, sizeof(err));
	if (!rk || (e = rd_kafka_init_transactions(rk, 20000)))
		return fprintf(stderr, "init: %s\n", rk ? rd_kafka_error_string(e) : err), 1;
	if (txn(rk, argv[2], 3, 1) || txn(rk, argv[2], 2, 0))
		return 1;
	rd_kafka_destroy(rk);
	(void)argc;
	return 0;
}
C
if cc -o "$FX_TMP/txn" "$FX_TMP/txn.c" $(pkg-config --cflags --libs rdkafka) &&
	"$FX_TMP/txn" "$B" "$TXN" 2>"$FX_TMP/txnprod.err"; then
	start=$SECONDS
	timeout 20 "$FLUXACDC" -v -f "$M" tail --topic "$TXN" -e --from beginning --format json \
		>"$FX_TMP/txn.out" 2>"$FX_TMP/txn.err"
	RC=$?
	assert_eq "-e on a transactional topic: exits 0 (not stuck at the marker)" 0 "$RC"
	assert_contains "txn topic: high watermark 7, past the last visible record" "$FX_TMP/txn.err" "$TXN[0] offsets 0..7"
	assert_eq "-e on a transactional topic: the committed records only" "0 1 2" "$(jq -r .offset "$FX_TMP/txn.out" | xargs)"
	[ $((SECONDS - start)) -lt 5 ] && ok "-e on a transactional topic: promptly" || fail "-e took $((SECONDS - start)) s"
else
	fail "transactional producer: $(cat "$FX_TMP/txnprod.err" 2>/dev/null)"
fi
finish
