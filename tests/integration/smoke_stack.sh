#!/usr/bin/env bash
# Smoke test of the local stack (tests/stack/stack.sh), with no fluxacdc code:
# register a Debezium MariaDB connector with curl, change a row, and read the
# change events back with kcat. Proves that MariaDB's binlog, Kafka and Kafka
# Connect with Debezium really work together. Assumes `stack.sh up` was run.
#
# Each run uses its own connector name, topic prefix and server id, so runs
# never see each other's events; the connector and its topics are removed at
# the end. Exit status 0 only when every check passed.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
STACK=$HERE/../stack/stack.sh
eval "$("$STACK" env)"

CONNECT=$FLUXACDC_CONNECT_URL
RUNID=$(date +%s)_$$
NAME=smoke_$RUNID
PREFIX=smoke_$RUNID
TABLE=SmokeEntity
TOPIC=$PREFIX.$FLUXACDC_MYSQL_DATABASE.$TABLE
HISTORY=$PREFIX.schema-history
SERVER_ID=$((6000 + RANDOM))
WAIT=${SMOKE_TIMEOUT:-90}

pass=0
fail=0
ok() { pass=$((pass + 1)); printf 'ok   %s\n' "$*"; }
nok() { fail=$((fail + 1)); printf 'FAIL %s\n' "$*"; }
check() { # check DESCRIPTION COMMAND... (the command's stdout is discarded)
	local what=$1
	shift
	if "$@" >/dev/null; then ok "$what"; else nok "$what"; fi
}
finish() {
	printf '%d passed, %d failed\n' "$pass" "$fail"
	[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
	exit $?
}

cleanup() {
	curl -s -o /dev/null -X DELETE "$CONNECT/connectors/$NAME" || true
	# best effort: topics of this run only
	"$STACK" kafka-topics --delete --topic "$TOPIC" >/dev/null 2>&1 || true
	"$STACK" kafka-topics --delete --topic "$HISTORY" >/dev/null 2>&1 || true
	[ -n "${seed:-}" ] && "$STACK" sql "DELETE FROM $TABLE WHERE ID = $seed" >/dev/null 2>&1
	return 0
}

for tool in curl jq kcat; do
	command -v "$tool" >/dev/null || { nok "tool $tool installed"; finish; }
done

# -- services answer
check "connect REST answers GET /" curl -fsS -m 5 -o /dev/null "$CONNECT/"
check "broker metadata via kcat" bash -c "kcat -b '$FLUXACDC_BROKERS' -L -m 5 >/dev/null"
check "SQL as $FLUXACDC_MYSQL_USER over TCP" mariadb --no-defaults -h "$FLUXACDC_MYSQL_HOST" -P "$FLUXACDC_MYSQL_PORT" \
	-u "$FLUXACDC_MYSQL_USER" -p"$FLUXACDC_MYSQL_PASSWORD" -N -e 'SELECT 1' "$FLUXACDC_MYSQL_DATABASE"
plugins=$(curl -fsS -m 5 "$CONNECT/connector-plugins" 2>/dev/null)
check "MariaDbConnector plugin installed" jq -e '(map(.class) | index("io.debezium.connector.mariadb.MariaDbConnector")) != null' <<<"${plugins:-null}"
# the stack runs the versions of its profile
case $FLUXACDC_STACK_PROFILE in
3.9) want_connect=3.9.1 want_dbz=3.2.0.Final ;;
*) want_connect=4.1.1 want_dbz=3.5.0.Final ;;
esac
check "profile $FLUXACDC_STACK_PROFILE: Kafka Connect $want_connect" \
	jq -e --arg v "$want_connect" '.version == $v' <<<"$(curl -fsS -m 5 "$CONNECT/" 2>/dev/null || echo null)"
check "profile $FLUXACDC_STACK_PROFILE: Debezium MySQL and MariaDB plugins $want_dbz" \
	jq -e --arg v "$want_dbz" '[.[] | select(.class | startswith("io.debezium.")) | .version] == [$v, $v]' <<<"${plugins:-null}"
[ "$fail" -eq 0 ] || finish

trap cleanup EXIT

"$STACK" sql "CREATE TABLE IF NOT EXISTS $TABLE (
  ID bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY,
  Name varchar(100) NULL,
  Balance decimal(12,2) NULL,
  CreatedAt datetime(3) NULL
) ENGINE=InnoDB" || { nok "create table $TABLE"; finish; }
# A row the connector's snapshot reads: its "r" event on the topic says the
# snapshot has fixed its binlog position, so the changes made after it are
# streamed ("RUNNING" comes before the snapshot starts: changes made then may
# be read by the snapshot or missed altogether).
seed=$("$STACK" sql -N "INSERT INTO $TABLE (Name) VALUES ('seed-$RUNID'); SELECT LAST_INSERT_ID();") || seed=
[[ "$seed" =~ ^[0-9]+$ ]] || { nok "insert seed row (got '$seed')"; finish; }

# -- register the connector
config=$(jq -n --arg name "$NAME" --arg prefix "$PREFIX" --arg sid "$SERVER_ID" \
	--arg host "$FLUXACDC_MYSQL_HOST" --arg port "$FLUXACDC_MYSQL_PORT" \
	--arg user "$FLUXACDC_MYSQL_USER" --arg pw "$FLUXACDC_MYSQL_PASSWORD" \
	--arg db "$FLUXACDC_MYSQL_DATABASE" --arg table "$TABLE" \
	--arg brokers "$FLUXACDC_BROKERS" --arg history "$HISTORY" '{
  name: $name,
  config: {
    "connector.class": "io.debezium.connector.mariadb.MariaDbConnector",
    "tasks.max": "1",
    "database.hostname": $host, "database.port": $port,
    "database.user": $user, "database.password": $pw,
    "database.server.id": $sid,
    "topic.prefix": $prefix,
    "database.include.list": $db,
    "table.include.list": ($db + "\\." + $table),
    "schema.history.internal.kafka.bootstrap.servers": $brokers,
    "schema.history.internal.kafka.topic": $history,
    "include.schema.changes": "false",
    "tombstones.on.delete": "true",
    "decimal.handling.mode": "string",
    "key.converter": "org.apache.kafka.connect.json.JsonConverter",
    "key.converter.schemas.enable": "false",
    "value.converter": "org.apache.kafka.connect.json.JsonConverter",
    "value.converter.schemas.enable": "false"
  }}')
code=$(curl -s -o /tmp/smoke_post.$$ -w '%{http_code}' -m 30 -X POST -H 'Content-Type: application/json' \
	--data "$config" "$CONNECT/connectors")
if [ "$code" = 201 ]; then ok "POST /connectors $NAME -> 201"; else
	nok "POST /connectors $NAME -> $code: $(cat /tmp/smoke_post.$$)"
	rm -f /tmp/smoke_post.$$
	finish
fi
rm -f /tmp/smoke_post.$$

# -- wait until connector and task are RUNNING
state=
deadline=$((SECONDS + WAIT))
while [ $SECONDS -lt $deadline ]; do
	status=$(curl -fsS -m 5 "$CONNECT/connectors/$NAME/status" 2>/dev/null) || status='{}'
	state=$(jq -r '[.connector.state // "?"] + [.tasks[]?.state] | join(",")' <<<"$status")
	case $state in
	RUNNING,RUNNING) break ;;
	*FAILED*) break ;;
	esac
	sleep 0.5
done
if [ "$state" = RUNNING,RUNNING ]; then ok "connector and task RUNNING"; else
	nok "connector and task RUNNING (got $state)"
	jq -r '.tasks[]?.trace // empty' <<<"$status" | head -20
	finish
fi

# -- wait until the snapshot has read the seed row
snapshot_read() {
	kcat -b "$FLUXACDC_BROKERS" -C -t "$TOPIC" -o beginning -e -J -q -m 5 2>/dev/null |
		jq -s -e --argjson id "$seed" 'any(.[]; (.key // "null" | fromjson | .ID) == $id and
			(.payload // "null" | fromjson | .op) == "r")' >/dev/null 2>&1
}
deadline=$((SECONDS + WAIT))
until snapshot_read; do
	[ $SECONDS -lt $deadline ] || { nok "snapshot read the seed row within ${WAIT}s"; finish; }
	sleep 0.5
done
ok "snapshot read the seed row"

# -- change a row
marker="smoke-$RUNID"
id=$("$STACK" sql -N "INSERT INTO $TABLE (Name, Balance, CreatedAt) VALUES ('$marker', 12.50, '2026-11-24 10:00:00.123');
SELECT LAST_INSERT_ID();") || id=
if [[ "$id" =~ ^[0-9]+$ ]]; then ok "insert row ID $id"; else nok "insert row (got '$id')"; finish; fi
"$STACK" sql "UPDATE $TABLE SET Balance = 99.99 WHERE ID = $id" && ok "update row" || nok "update row"
"$STACK" sql "DELETE FROM $TABLE WHERE ID = $id" && ok "delete row" || nok "delete row"

# -- read the events back (Debezium is asynchronous: poll until all four arrive)
events='[]'
deadline=$((SECONDS + WAIT))
while [ $SECONDS -lt $deadline ]; do
	events=$(kcat -b "$FLUXACDC_BROKERS" -C -t "$TOPIC" -o beginning -e -J -q -m 5 2>/dev/null |
		jq -s --argjson id "$id" '[ .[] | select((.key // "null" | fromjson | .ID) == $id) ]' 2>/dev/null) || events='[]'
	n=$(jq '[ .[] | select(.payload == null) ] | length' <<<"$events")
	[ "$n" -ge 1 ] && break
	sleep 1
done
op_ok() { # op_ok OP JQ-CONDITION-ON-VALUE
	jq -e --arg op "$1" "[ .[] | select(.payload != null) | .payload | fromjson | select(.op == \$op) | $2 ] | length == 1" \
		<<<"$events"
}
check "c event: after.Name is the marker, Balance '12.50' (decimal as string)" \
	op_ok c '.after.Name == "'"$marker"'" and .after.Balance == "12.50" and .before == null'
check "u event: Balance 12.50 -> 99.99" op_ok u '.before.Balance == "12.50" and .after.Balance == "99.99"'
check "d event: before set, after null" op_ok d '.before.ID == '"$id"' and .after == null'
check "source block names the table and MariaDB" \
	op_ok c '.source.connector == "mariadb" and .source.table == "'"$TABLE"'" and .source.db == "'"$FLUXACDC_MYSQL_DATABASE"'"'
check "tombstone (null value) after the delete, with the row key" \
	jq -e '[ .[] | select(.payload == null) ] | length == 1' <<<"$events"
check "event order c, u, d, tombstone" jq -e \
	'[ .[] | if .payload == null then "t" else (.payload | fromjson | .op) end ] == ["c","u","d","t"]' <<<"$events"

# -- stop it, forget its source offsets (Kafka Connect keeps them after a delete), delete it
code=$(curl -s -o /dev/null -w '%{http_code}' -m 30 -X PUT "$CONNECT/connectors/$NAME/stop")
[ "$code" = 204 ] && ok "PUT /connectors/$NAME/stop -> 204" || nok "PUT /connectors/$NAME/stop -> $code"
# (offsets can only be deleted once it is STOPPED: up to WAIT seconds)
deadline=$((SECONDS + WAIT))
until [ "$(curl -fsS -m 5 "$CONNECT/connectors/$NAME/status" 2>/dev/null | jq -r .connector.state 2>/dev/null)" = STOPPED ]; do
	[ $SECONDS -lt $deadline ] || { nok "connector STOPPED within ${WAIT}s"; break; }
	sleep 0.25
done
code=$(curl -s -o /dev/null -w '%{http_code}' -m 30 -X DELETE "$CONNECT/connectors/$NAME/offsets")
[ "$code" = 200 ] && ok "DELETE /connectors/$NAME/offsets -> 200" || nok "DELETE /connectors/$NAME/offsets -> $code"
code=$(curl -s -o /dev/null -w '%{http_code}' -m 30 -X DELETE "$CONNECT/connectors/$NAME")
[ "$code" = 204 ] && ok "DELETE /connectors/$NAME -> 204" || nok "DELETE /connectors/$NAME -> $code"
# a worker may still list it for a moment after the DELETE: up to WAIT seconds
deadline=$((SECONDS + WAIT))
until code=$(curl -s -o /dev/null -w '%{http_code}' -m 10 "$CONNECT/connectors/$NAME"); [ "$code" = 404 ]; do
	[ $SECONDS -lt $deadline ] || break
	sleep 0.25
done
[ "$code" = 404 ] && ok "connector gone (404)" || nok "connector gone (got $code)"

finish
