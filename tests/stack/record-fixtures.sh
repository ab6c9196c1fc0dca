#!/usr/bin/env bash
# Record real Kafka Connect REST responses and real Debezium change events from
# the running local stack (tests/stack/stack.sh up) into tests/fixtures/, for unit
# tests that may use only recorded responses. Re-run it after a version bump in
# tests/stack/pom.xml and review the diff.
#
#   tests/stack/record-fixtures.sh [--force]
#
# It needs a Connect cluster with no connectors (--force: delete what is there),
# and it TRUNCATEs fluxa.UserEntity so that IDs in the events are stable. It leaves
# the stack as it found it: its connectors, their offsets, topics and users are
# removed at the end.
#
# Secrets: the connectors get the stack's real DB passwords (Connect validates
# them against MariaDB); every saved file then has them replaced by the sentinel
# FIXTURE-SECRET-not-real. See tests/fixtures/README.md.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
STACK=$HERE/stack.sh
eval "$("$STACK" env)"

C=$FLUXACDC_CONNECT_URL
B=$FLUXACDC_BROKERS
OUT_CONNECT=${FIXTURES_DIR:-$ROOT/tests/fixtures}/connect
OUT_EVENTS=${FIXTURES_DIR:-$ROOT/tests/fixtures}/events
SENTINEL=FIXTURE-SECRET-not-real
LIMITED_USER=fluxa_limited
LIMITED_PW=fluxa-limited-pw
MARIADB=io.debezium.connector.mariadb.MariaDbConnector
FORCE=${1:-}
OURS=(fluxa_default fluxa_schemas other_conn)

say() { printf 'record: %s\n' "$*" >&2; }
die() { printf 'record: error: %s\n' "$*" >&2; exit 1; }

TMP=$(mktemp -d)
INDEX=$TMP/index.tsv

# http METHOD PATH FILE [BODY] -> saves the body to OUT_CONNECT/FILE, logs the status
http() {
	local method=$1 path=$2 file=$3 body=${4:-} code
	local args=(-s -m 60 -o "$TMP/body" -w '%{http_code}' -X "$method" -H 'Accept: application/json')
	[ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data "$body")
	code=$(curl "${args[@]}" "$C$path")
	case $file in
	'') ;;
	*'{code}'*) file=${file//\{code\}/$code} ;;
	esac
	if [ -n "$file" ]; then
		# bodies are saved as Connect sent them (one line, its key order); an empty body is not saved
		if [ -s "$TMP/body" ]; then cp "$TMP/body" "$OUT_CONNECT/$file"; else file=-; fi
		printf '%s\t%s\t%s\t%s\n' "$file" "$method" "$path" "$code" >>"$INDEX"
		say "$method $path -> $code ($file)"
	fi
	echo "$code"
}
expect() { # expect CODE METHOD PATH FILE [BODY]
	local want=$1 got
	shift
	got=$(http "$@")
	[ "$got" = "$want" ] || die "$1 $2 answered $got, expected $want: $(head -c 600 "$TMP/body")"
}

wait_state() { # wait_state NAME CONNECTOR-STATE TASK-STATE
	local i s
	for i in $(seq 1 240); do
		s=$(curl -fsS -m 5 "$C/connectors/$1/status" 2>/dev/null |
			jq -r '[.connector.state] + [.tasks[]?.state] | join(",")' 2>/dev/null) || s=
		[ "$s" = "$2,$3" ] && return 0
		sleep 0.5
	done
	die "connector $1 never reached $2,$3 (last: $s)"
}

drop_connector() { # stop, forget its offsets (so a re-run snapshots again), delete
	local n=$1
	[ "$(curl -s -o /dev/null -w '%{http_code}' "$C/connectors/$n")" = 200 ] || return 0
	curl -s -o /dev/null -X PUT "$C/connectors/$n/stop" || true
	for _ in $(seq 1 40); do
		[ "$(curl -s "$C/connectors/$n/status" | jq -r .connector.state)" = STOPPED ] && break
		sleep 0.25
	done
	curl -s -o /dev/null -X DELETE "$C/connectors/$n/offsets" || true
	curl -s -o /dev/null -X DELETE "$C/connectors/$n" || true
}

drop_topics() {
	local t
	for t in $(kcat -b "$B" -L -J 2>/dev/null | jq -r '.topics[].topic' | grep -E '^(fluxa_default|fluxa_schemas|other_conn)\.' || true); do
		"$STACK" kafka-topics --delete --topic "$t" >/dev/null 2>&1 || true
	done
}

cleanup() {
	local n
	for n in "${OURS[@]}"; do drop_connector "$n"; done
	drop_topics
	"$STACK" sql "DROP USER IF EXISTS '$LIMITED_USER'@'127.0.0.1'; TRUNCATE TABLE UserEntity" >/dev/null 2>&1 || true
	rm -rf "$TMP"
}

connector_config() { # NAME SERVER_ID SCHEMAS(true|false) USER PASSWORD -> SPEC §3 config
	jq -n --arg name "$1" --arg sid "$2" --arg schemas "$3" --arg user "$4" --arg pw "$5" \
		--arg host "$FLUXACDC_MYSQL_HOST" --arg port "$FLUXACDC_MYSQL_PORT" --arg db "$FLUXACDC_MYSQL_DATABASE" \
		--arg brokers "$B" --arg class "$MARIADB" '{
  "connector.class": $class,
  "tasks.max": "1",
  "database.hostname": $host,
  "database.port": $port,
  "database.user": $user,
  "database.password": $pw,
  "database.server.id": $sid,
  "topic.prefix": $name,
  "database.include.list": $db,
  "table.include.list": ($db + "\\.UserEntity"),
  "schema.history.internal.kafka.bootstrap.servers": $brokers,
  "schema.history.internal.kafka.topic": ($name + ".schema-history"),
  "include.schema.changes": "false",
  "tombstones.on.delete": "true",
  "decimal.handling.mode": "string",
  "key.converter": "org.apache.kafka.connect.json.JsonConverter",
  "value.converter": "org.apache.kafka.connect.json.JsonConverter",
  "key.converter.schemas.enable": $schemas,
  "value.converter.schemas.enable": $schemas
}'
}

# ---------------------------------------------------------------- preconditions
for t in curl jq kcat; do command -v "$t" >/dev/null || die "$t is required"; done
curl -fsS -m 5 -o /dev/null "$C/" || die "Connect is not answering at $C: run tests/stack/stack.sh up"
existing=$(curl -fsS "$C/connectors" | jq -r '.[]')
if [ -n "$existing" ]; then
	[ "$FORCE" = --force ] || die "Connect already has connectors ($(echo $existing)); re-run with --force to delete them"
	for n in $existing; do drop_connector "$n"; done
fi
trap cleanup EXIT
drop_topics

rm -rf "$OUT_CONNECT" "$OUT_EVENTS"
mkdir -p "$OUT_CONNECT" "$OUT_EVENTS/schemaless" "$OUT_EVENTS/schemas"
printf 'file\tmethod\tpath\tstatus\n' >"$INDEX"

good=$(connector_config fluxa_default 5401 false "$FLUXACDC_MYSQL_USER" "$FLUXACDC_MYSQL_PASSWORD")
with_class() { jq --arg n "$1" '. + {name: $n}' <<<"$2"; }

# ---------------------------------------------------------------- cluster, empty
expect 200 GET / root.json
expect 200 GET /connector-plugins connector-plugins.json
expect 200 GET '/connector-plugins?connectorsOnly=false' connector-plugins-all.json
expect 200 GET /connectors connectors-empty.json
expect 200 GET '/connectors?expand=info&expand=status' connectors-expand-empty.json
expect 200 GET /health health.json

# ---------------------------------------------------------------- validation
expect 200 PUT "/connector-plugins/$MARIADB/config/validate" validate-ok.json "$(with_class fluxa_default "$good")"
bad=$(jq '. + {"database.server.id": "not-a-number"} | del(.["topic.prefix"])' <<<"$good")
expect 200 PUT "/connector-plugins/$MARIADB/config/validate" validate-errors.json "$(with_class fluxa_default "$bad")"
# Debezium checks the connection only when the fields are valid: a wrong password alone
bad=$(jq '. + {"database.password": "wrong-password"}' <<<"$good")
expect 200 PUT "/connector-plugins/$MARIADB/config/validate" validate-errors-connection.json "$(with_class fluxa_default "$bad")"
http PUT "/connector-plugins/io.example.NoSuchConnector/config/validate" 'error-{code}-unknown-plugin.json' \
	"$(jq '. + {"connector.class": "io.example.NoSuchConnector"}' <<<"$good")" >/dev/null

# ---------------------------------------------------------------- errors
expect 404 GET /connectors/no_such_connector error-404.json
expect 404 GET /connectors/no_such_connector/status error-404-status.json
expect 404 DELETE /connectors/no_such_connector error-404-delete.json
expect 400 POST /connectors error-400-invalid-config.json \
	"$(jq -n --argjson c "$(jq '. + {"database.password": "wrong-password"}' <<<"$good")" '{name: "fluxa_default", config: $c}')"
# status codes that differ between Connect versions: the file name carries the code seen
http POST /connectors 'error-{code}-malformed-json.json' '{"name": "x", "config": {' >/dev/null
http POST /connectors 'error-{code}-no-config.json' '{"name": "fluxa_nothing"}' >/dev/null

# ---------------------------------------------------------------- fluxa_default (managed, RUNNING)
# a row that exists before the connectors start, for the snapshot read (op r)
"$STACK" sql "TRUNCATE TABLE UserEntity;
INSERT INTO UserEntity (ID, Name, Email, Balance, CreatedAt, Meta, Avatar) VALUES
  (1, 'Ada Lovelace', 'ada@example.com', 1234.56, '2026-11-24 10:00:00.123', '{\"plan\": \"pro\", \"tags\": [\"a\", \"b\"]}', x'89504E470D0A1A0A')"

expect 201 POST /connectors connector-create-201.json "$(jq -n --argjson c "$good" '{name: "fluxa_default", config: $c}')"
wait_state fluxa_default RUNNING RUNNING
expect 409 POST /connectors error-409-exists.json "$(jq -n --argjson c "$good" '{name: "fluxa_default", config: $c}')"

# ---------------------------------------------------------------- other_conn (unmanaged, task FAILED)
# A user that can log in (so validation passes) but lacks the snapshot/replication grants.
"$STACK" sql "CREATE USER IF NOT EXISTS '$LIMITED_USER'@'127.0.0.1' IDENTIFIED BY '$LIMITED_PW';
GRANT SELECT ON fluxa.* TO '$LIMITED_USER'@'127.0.0.1'"
other=$(connector_config other_conn 5499 false "$LIMITED_USER" "$LIMITED_PW" |
	jq '. + {"table.include.list": "fluxa\\.OrderEntity"}')
expect 201 POST /connectors '' "$(jq -n --argjson c "$other" '{name: "other_conn", config: $c}')"
wait_state other_conn RUNNING FAILED

# ---------------------------------------------------------------- listings and single connectors
expect 200 GET /connectors connectors.json
expect 200 GET '/connectors?expand=info&expand=status' connectors-expand.json
expect 200 GET '/connectors?expand=status' connectors-expand-status.json
expect 200 GET /connectors/fluxa_default connector-info.json
expect 200 GET /connectors/fluxa_default/config connector-config.json
expect 200 GET /connectors/fluxa_default/status connector-status-running.json
expect 200 GET /connectors/fluxa_default/tasks connector-tasks.json
expect 200 GET /connectors/fluxa_default/topics connector-topics.json
expect 200 GET /connectors/other_conn/status connector-status-failed.json
# same config again: Connect answers 200 and keeps it (no restart)
expect 200 PUT /connectors/fluxa_default/config connector-put-config-unchanged.json "$good"
# a changed config: 200 with the new config
changed=$(jq '. + {"snapshot.mode": "initial"}' <<<"$good")
expect 200 PUT /connectors/fluxa_default/config connector-put-config-200.json "$changed"
wait_state fluxa_default RUNNING RUNNING
# a PUT that creates: 201
expect 201 PUT /connectors/fluxa_schemas/config connector-put-config-201.json \
	"$(connector_config fluxa_schemas 5402 true "$FLUXACDC_MYSQL_USER" "$FLUXACDC_MYSQL_PASSWORD")"
expect 400 PUT /connectors/fluxa_default/config error-400-put-invalid.json \
	"$(jq '. + {"database.password": "wrong-password"}' <<<"$good")"
expect 202 POST '/connectors/other_conn/restart?includeTasks=true&onlyFailed=true' connector-restart-202.json
expect 202 PUT /connectors/other_conn/pause connector-pause-202.json
sleep 1
expect 200 GET /connectors/other_conn/status connector-status-paused.json
expect 204 PUT /connectors/other_conn/stop connector-stop-204.json
for _ in $(seq 1 40); do
	[ "$(curl -s "$C/connectors/other_conn/status" | jq -r .connector.state)" = STOPPED ] && break
	sleep 0.25
done
expect 200 GET /connectors/other_conn/status connector-status-stopped.json
expect 204 DELETE /connectors/other_conn connector-delete-204.json
wait_state fluxa_schemas RUNNING RUNNING

# ---------------------------------------------------------------- events
topic_default=fluxa_default.fluxa.UserEntity
topic_schemas=fluxa_schemas.fluxa.UserEntity
records() { # TOPIC -> one kcat -J object per record, with .value parsed (null for a tombstone)
	kcat -b "$B" -C -t "$1" -o beginning -e -q -J 2>/dev/null |
		jq -c '. + {value: (if .payload == null then null else (.payload | fromjson) end)}'
}
wait_tombstone() { # TOPIC: until the delete's tombstone has arrived
	for _ in $(seq 1 240); do
		records "$1" | jq -e 'select(.value == null)' >/dev/null 2>&1 && return 0
		sleep 0.5
	done
	die "no tombstone in $1"
}
wait_read() { # TOPIC: until the snapshot read of row 1 has arrived
	for _ in $(seq 1 240); do
		records "$1" | jq -e 'select((.value.payload // .value).op == "r")' >/dev/null 2>&1 && return 0
		sleep 0.5
	done
	die "no snapshot read in $1"
}
wait_read "$topic_default"
wait_read "$topic_schemas"

"$STACK" sql "INSERT INTO UserEntity (ID, Name, Email, Balance, CreatedAt, Meta, Avatar)
  VALUES (2, 'Grace Hopper', NULL, 0.10, '2026-11-24 10:05:00.456', NULL, NULL)"
"$STACK" sql "UPDATE UserEntity SET Balance = 99.90 WHERE ID = 2"
"$STACK" sql "DELETE FROM UserEntity WHERE ID = 2"
wait_tombstone "$topic_default"
wait_tombstone "$topic_schemas"

save_events() { # TOPIC DIR: one file per key and per value, exact bytes as Kafka holds them
	local topic=$1 dir=$2 all name sel off
	all=$(records "$topic")
	printf 'name\ttopic\tpartition\toffset\ttimestamp_ms\n' >"$dir/index.tsv"
	for name in read create update delete tombstone; do
		case $name in
		read) sel='(.value.payload // .value).op == "r"' ;;
		create) sel='(.value.payload // .value).op == "c"' ;;
		update) sel='(.value.payload // .value).op == "u"' ;;
		delete) sel='(.value.payload // .value).op == "d"' ;;
		tombstone) sel='.value == null' ;;
		esac
		off=$(jq -s -r "map(select($sel)) | first | .offset // empty" <<<"$all")
		[ -n "$off" ] || die "no $name record in $topic"
		kcat -b "$B" -C -t "$topic" -p 0 -o "$off" -c 1 -e -q -f '%k' >"$dir/$name.key.json"
		if [ "$name" = tombstone ]; then
			# the value of a tombstone is null: kcat -f %s prints nothing, the file is empty
			kcat -b "$B" -C -t "$topic" -p 0 -o "$off" -c 1 -e -q -f '%s' >"$dir/$name.value.bin"
		else
			kcat -b "$B" -C -t "$topic" -p 0 -o "$off" -c 1 -e -q -f '%s' >"$dir/$name.value.json"
		fi
		kcat -b "$B" -C -t "$topic" -p 0 -o "$off" -c 1 -e -q -f "$name\t%t\t%p\t%o\t%T\n" >>"$dir/index.tsv"
	done
}
# offsets are flushed every offset.flush.interval.ms (2 s in this stack)
for _ in $(seq 1 60); do
	[ "$(curl -fsS "$C/connectors/fluxa_default/offsets" | jq '.offsets | length')" -gt 0 ] && break
	sleep 0.5
done
expect 200 GET /connectors/fluxa_default/offsets connector-offsets.json

save_events "$topic_default" "$OUT_EVENTS/schemaless"
save_events "$topic_schemas" "$OUT_EVENTS/schemas"

# check the files are what their names say
check_op() { # DIR NAME OP ENVELOPE-PATH
	local got
	got=$(jq -r "$4.op" "$1/$2.value.json") || die "$1/$2.value.json is not JSON"
	[ "$got" = "$3" ] || die "$1/$2.value.json has op '$got', expected '$3'"
}
for op in read:r create:c update:u delete:d; do
	check_op "$OUT_EVENTS/schemaless" "${op%%:*}" "${op##*:}" ''
	check_op "$OUT_EVENTS/schemas" "${op%%:*}" "${op##*:}" '.payload'
done
for d in schemaless schemas; do
	[ ! -s "$OUT_EVENTS/$d/tombstone.value.bin" ] || die "$d tombstone value is not empty"
	jq -e '.' "$OUT_EVENTS/$d/tombstone.key.json" >/dev/null || die "$d tombstone key is not JSON"
done
jq -e '.schema and .payload' "$OUT_EVENTS/schemas/create.value.json" >/dev/null || die "schemas/create has no envelope"

# ---------------------------------------------------------------- rebalance errors
# What a client sees while the group leader dies: worker 2 forwards writes to the
# leader (worker 1), we kill -9 worker 1 and keep writing through worker 2 until it
# has taken over. Each distinct error body is saved once.
rebalance_errors() {
	local put i code msg file n=0 seen=" " saw_error=
	put=$(jq '. + {"snapshot.mode": "initial"}' <<<"$good")
	"$STACK" start-connect2 >/dev/null
	for _ in $(seq 1 40); do # worker 2 must know worker 1 as its leader
		grep -q "leaderUrl='http://$FLUXACDC_MYSQL_HOST:${FLUXACDC_CONNECT_URL##*:}/'" \
			"$FLUXACDC_STACK_DIR/logs/connect2.log" && break
		sleep 0.25
	done
	kill -9 "$(cat "$FLUXACDC_STACK_DIR/run/connect.pid")"
	for i in $(seq 1 300); do
		code=$(curl -s -m 20 -o "$TMP/body" -w '%{http_code}' -X PUT -H 'Content-Type: application/json' \
			--data "$put" "$FLUXACDC_CONNECT2_URL/connectors/fluxa_default/config")
		if [ "$code" = 200 ]; then
			[ -n "$saw_error" ] && break
			sleep 0.1
			continue
		fi
		saw_error=1
		msg=$(jq -r '.message // empty' "$TMP/body" 2>/dev/null | head -c 60)
		case $msg in
		"IO Error trying to forward REST request"*) file=error-$code-forward-to-dead-leader.json ;;
		*"conflicting operation"*) file=error-$code-rebalance-conflict.json ;;
		*"stale configuration"*) file=error-$code-stale-config.json ;;
		*"leader"*) file=error-$code-no-leader.json ;;
		*"timed out"*) file=error-$code-timeout.json ;;
		*) n=$((n + 1)); file=error-$code-during-rebalance-$n.json ;;
		esac
		case $seen in *" $file "*) ;; *)
			seen="$seen$file "
			[ -s "$TMP/body" ] && cp "$TMP/body" "$OUT_CONNECT/$file" || file=-
			printf '%s\t%s\t%s\t%s\n' "$file" PUT "/connectors/fluxa_default/config (via worker 2, leader killed)" "$code" >>"$INDEX"
			say "PUT via worker 2 while its leader is dead -> $code ($file)"
			;;
		esac
		sleep 0.1
	done
	"$STACK" start-connect >/dev/null
	"$STACK" stop-connect2 >/dev/null
}
rebalance_errors

# ---------------------------------------------------------------- masking
mv "$INDEX" "$OUT_CONNECT/index.tsv"
grep -rlF -e "$FLUXACDC_MYSQL_PASSWORD" -e "$LIMITED_PW" "$OUT_CONNECT" "$OUT_EVENTS" 2>/dev/null |
	while read -r f; do
		sed -i -e "s/$FLUXACDC_MYSQL_PASSWORD/$SENTINEL/g" -e "s/$LIMITED_PW/$SENTINEL/g" "$f"
	done
# the run dir shows up in plugin locations: make it machine-independent
grep -rlF "$FLUXACDC_STACK_DIR" "$OUT_CONNECT" 2>/dev/null | while read -r f; do
	sed -i "s|$FLUXACDC_STACK_DIR|/fluxacdc-stack|g" "$f"
done
if grep -rqF -e "$FLUXACDC_MYSQL_PASSWORD" -e "$LIMITED_PW" -e "$FLUXACDC_MYSQL_ADMIN_PASSWORD" "$OUT_CONNECT" "$OUT_EVENTS"; then
	die "a password survived masking"
fi

say "recorded $(find "$OUT_CONNECT" -type f | wc -l) files in $OUT_CONNECT and $(find "$OUT_EVENTS" -type f | wc -l) in $OUT_EVENTS"
