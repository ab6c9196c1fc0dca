#!/usr/bin/env bash
# Backfills on the real local stack (SPEC §4 "Snapshots of added tables", §2
# snapshot): a table with R existing rows added to a live connector is
# backfilled by one apply (exactly R distinct ids as r events, no r event on
# the other table's topic, one signal), a second apply sends no signal;
# `snapshot E --where` re-emits exactly the matching rows; a STOPPED
# connector and an entity that is not captured are refused.  A second
# connector adds the same table in the same apply: its backfill starts from
# apply's scheduler as its update ends and runs at the same time as the first
# (each signal is sent before the other backfill completes), both exact.
#
# Traffic: a read-only incremental snapshot closes each chunk's window when
# the server writes to its binlog (Debezium 3.2 waits on an idle database).
# Like an application would, a writer updates a heartbeat table that no
# connector captures for as long as the test runs.
. "$(dirname "$0")/lib.sh"

R=${SNAPTEST_ROWS:-250}
N=$FX_RUN # names of this run's own (lib.sh)
P=snaptest$N
C=fluxa_$P
P2=${P}b  # the second connector, backfilled in the same apply
C2=fluxa_$P2
DB=$FLUXACDC_MYSQL_DATABASE
M="$FX_TMP/m.yaml"
export SNAPTEST_PW="$FLUXACDC_MYSQL_PASSWORD"
HB_PID=

cleanup() {
	[ -n "$HB_PID" ] && kill "$HB_PID" 2>/dev/null
	curl -sS -o /dev/null -m 30 -X DELETE "${FLUXACDC_CONNECT_URL}/connectors/$C"
	curl -sS -o /dev/null -m 30 -X DELETE "${FLUXACDC_CONNECT_URL}/connectors/$C2"
	"$STACK" kafka-topics --delete --topic "$C(\\..*|_.*)" >/dev/null 2>&1
	"$STACK" kafka-topics --delete --topic "$C2(\\..*|_.*)" >/dev/null 2>&1
	rm -rf "$FX_TMP"
}
trap cleanup EXIT

# manifest ENTITY...: pool $P capturing the named tables; pool $P2 captures
# SnapTestBase, and SnapTestNew too once P2_NEW=1
P2_NEW=0
manifest() {
	{
		echo "version: 1"
		echo "mysql:"
		echo "  $P:"
		echo "    dsn: \"${FLUXACDC_MYSQL_USER}:\${SNAPTEST_PW}@tcp(${FLUXACDC_MYSQL_HOST}:${FLUXACDC_MYSQL_PORT})/$DB\""
		echo "    flavor: mariadb"
		echo "    server_id: $((7800 + N % 100))"
		echo "  $P2:"
		echo "    dsn: \"${FLUXACDC_MYSQL_USER}:\${SNAPTEST_PW}@tcp(${FLUXACDC_MYSQL_HOST}:${FLUXACDC_MYSQL_PORT})/$DB\""
		echo "    flavor: mariadb"
		echo "    server_id: $((7900 + N % 100))"
		echo "kafka:"
		echo "  default:"
		echo "    brokers: [\"${FLUXACDC_BROKERS}\"]"
		echo "    connect_url: \"${FLUXACDC_CONNECT_URL}\""
		echo "entities:"
		echo "  SnapTestNotCaptured: {mysql: $P}"
		for e in "$@"; do echo "  $e: {debezium: true, mysql: $P}"; done
		echo "  SnapTestBase2: {debezium: true, mysql: $P2, table: SnapTestBase}"
		[ "$P2_NEW" = 1 ] && echo "  SnapTestNew2: {debezium: true, mysql: $P2, table: SnapTestNew}"
	} >"$M"
}

# r events (distinct ids) of an entity's topic, from the beginning, via tail
r_ids() {
	"$FLUXACDC" tail -f "$M" -e --from beginning --op r --format json "$1" 2>"$FX_TMP/tail.err" |
		jq -r '.id' | sort -un
}
# records on a topic (all partitions), via kcat
topic_count() { kcat -C -b "$FLUXACDC_BROKERS" -t "$1" -e -q 2>/dev/null | wc -l; }
state() {
	curl -sS -m 10 "${FLUXACDC_CONNECT_URL}/connectors/$C/status" |
		jq -r 'if .connector then ([.connector.state] + [.tasks[].state] | join(",")) else "absent" end'
}

# Other tests' managed connectors would become deletes in our plan: wait them out.
for i in $(seq 1 120); do
	foreign=$(curl -sS -m 10 "${FLUXACDC_CONNECT_URL}/connectors" | jq -r --arg c "$C" --arg c2 "$C2" '[.[] | select(startswith("fluxa_") and . != $c and . != $c2)] | join(" ")')
	[ -z "$foreign" ] && break
	[ "$i" = 1 ] && echo "  .. waiting for other tests' connectors to go: $foreign"
	sleep 1
done

sql_admin "DROP TABLE IF EXISTS SnapTestBase, SnapTestNew, SnapTestHb, SnapTestNotCaptured;
CREATE TABLE SnapTestBase (ID bigint unsigned PRIMARY KEY, Name varchar(40));
CREATE TABLE SnapTestNew (ID bigint unsigned PRIMARY KEY, Name varchar(40), Amount decimal(10,2));
CREATE TABLE SnapTestHb (ID int PRIMARY KEY, N bigint);
CREATE TABLE SnapTestNotCaptured (ID int PRIMARY KEY);
INSERT INTO SnapTestBase SELECT seq, CONCAT('base', seq) FROM seq_1_to_5;
INSERT INTO SnapTestNew SELECT seq, CONCAT('new', seq), seq / 4 FROM seq_1_to_$R;" ||
	{ fail "set-up SQL"; exit 1; }

# the writer: one small write a second, until the test ends
(n=0; while :; do n=$((n + 1)); "$STACK" sql "REPLACE INTO SnapTestHb VALUES (1, $n)" >/dev/null 2>&1; sleep 1; done) &
HB_PID=$!

# (1) the connector with one table: its initial snapshot has the 5 base rows
manifest SnapTestBase
run_fx "$FX_TMP/1" apply -f "$M" --auto-approve --wait 120
assert_eq "(1) create: exit 0" 0 "$RC"
base_done() { [ "$(r_ids SnapTestBase | wc -l)" -eq 5 ] && [ "$(r_ids SnapTestBase2 | wc -l)" -eq 5 ]; }
wait_until 120 base_done && ok "(1) initial snapshot: 5 rows" ||
	fail "(1) initial snapshot: $(r_ids SnapTestBase | wc -l) rows"
# and their stored offsets say so (the update below is refused before that)
for c in "$C" "$C2"; do
	wait_until 120 offsets_streaming "$c" || fail "(1) $c: its offsets still say snapshot: $(connect_curl GET "/connectors/$c/offsets")"
done
base_before=$(topic_count "$C.$DB.SnapTestBase")

# (2) the plan says which table will be backfilled
P2_NEW=1
manifest SnapTestBase SnapTestNew
run_fx "$FX_TMP/2" plan -f "$M" --format json
assert_eq "(2) plan: exit 0" 0 "$RC"
assert_eq "(2) the update's note names the table and the backfill" 1 \
	"$(jq --arg c "$C" '[.changes[] | select(.connector == $c) | .notes[] | select(test("SnapTestNew") and test("backfills"))] | length' "$FX_TMP/2.out")"
assert_eq "(2) two updates, one per connector" "$C $C2" "$(jq -r '[.changes[] | select(.action == "update") | .connector] | join(" ")' "$FX_TMP/2.out")"

# (3) one apply: update, then the incremental snapshot of exactly that table
t0=$(date +%s.%N)
run_fx "$FX_TMP/3" apply -f "$M" --auto-approve --wait 240 --format json
took=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
assert_eq "(3) apply: exit 0" 0 "$RC"
[ "$RC" = 0 ] || sed 's/^/    | /' "$FX_TMP/3.err" | tail -20
# rows is Debezium's own total_rows_scanned: at least the table's rows (3.5 has
# been seen to count a chunk read again twice: 500 for 250); the rows that
# reached the topic are counted exactly below
for c in "$C" "$C2"; do
	assert_eq "(3) $c: the result says completed, that table, at least $R rows scanned" "completed $DB.SnapTestNew 1" \
		"$(jq -r --arg c "$c" --argjson r "$R" '.results[] | select(.connector == $c) | .snapshot | "\(.status) \(.tables | join(",")) \(if .rows >= $r then 1 else .rows end)"' "$FX_TMP/3.out")"
done
python3 "$FLUXACDC_ROOT/tests/schema/validate.py" apply-result.schema.json "$FX_TMP/3.out" &&
	ok "(3) JSON matches apply-result.schema.json" || fail "(3) schema"
assert_contains "(3) progress on stderr says what it waits for or reads" "$FX_TMP/3.err" "snapshot:"
echo "  .. apply with the backfill of $R rows took $took s"
ids=$(r_ids SnapTestNew)
assert_eq "(3) tail -e --from beginning --op r: exactly $R distinct ids" "$R" "$(printf '%s\n' "$ids" | grep -c .)"
assert_eq "(3) ids 1..$R" "1 $R" "$(printf '%s\n' "$ids" | sed -n '1p;$p' | paste -sd' ')"
assert_eq "(3) the other table's topic got nothing new" "$base_before" "$(topic_count "$C.$DB.SnapTestBase")"
assert_eq "(3) one signal sent" 1 "$(topic_count "${C}_signal")"
ids2=$(r_ids SnapTestNew2)
assert_eq "(3) the second connector: exactly $R distinct ids, 1..$R" "$R 1 $R" \
	"$(printf '%s\n' "$ids2" | grep -c .) $(printf '%s\n' "$ids2" | sed -n '1p;$p' | paste -sd' ')"
assert_eq "(3) the second connector: one signal sent" 1 "$(topic_count "${C2}_signal")"
# the backfills overlapped: each signal was sent before the other's last notification
# (kcat's %T: the broker's record timestamp, ms)
last_ts() { kcat -C -b "$FLUXACDC_BROKERS" -t "$1" -e -q -f '%T\n' 2>/dev/null | sort -n | tail -1; }
sig1=$(last_ts "${C}_signal") sig2=$(last_ts "${C2}_signal")
done1=$(last_ts "${C}_notifications") done2=$(last_ts "${C2}_notifications")
if [ -n "$sig1" ] && [ -n "$done2" ] && [ "$sig1" -lt "$done2" ] && [ -n "$sig2" ] && [ -n "$done1" ] && [ "$sig2" -lt "$done1" ]; then
	ok "(3) the two backfills ran at the same time"
else
	fail "(3) the two backfills did not overlap: signals $sig1 $sig2, last notifications $done1 $done2"
fi

# (3b) status shows the incremental snapshot from the notification topic
run_fx "$FX_TMP/3b" status -f "$M" --format json
assert_eq "(3b) status: the last incremental snapshot, completed, at least $R rows scanned" "completed $DB.SnapTestNew done 1" \
	"$(jq -r --arg c "$C" --argjson r "$R" '.clusters[].connectors[] | select(.name == $c) | .incremental_snapshot |
		"\(.status) \(.tables[0].name) \(.tables[0].state) \(if .tables[0].rows >= $r then 1 else .tables[0].rows end)"' "$FX_TMP/3b.out")"

# (4) a second apply: nothing to change, no signal
run_fx "$FX_TMP/4" apply -f "$M" --auto-approve
assert_eq "(4) second apply: exit 0" 0 "$RC"
assert_contains "(4) nothing to do" "$FX_TMP/4.out" "nothing to do"
assert_eq "(4) still one signal" 1 "$(topic_count "${C}_signal")"

# (4b) the same change applied again (the table taken out behind fluxacdc's
# back, as if the first update had not landed): the signal of that change is
# found in the signal topic, its notifications say the table was done, and
# no second snapshot runs
manifest SnapTestBase
"$FLUXACDC" render -f "$M" --show-secrets --connector "$C" 2>/dev/null | jq -c '.[0].config' >"$FX_TMP/old.json"
connect_curl PUT "/connectors/$C/config" "$(cat "$FX_TMP/old.json")" >/dev/null
running() { [ "$(state)" = RUNNING,RUNNING ]; }
wait_until 60 running || fail "(4b) not RUNNING again: $(state)"
manifest SnapTestBase SnapTestNew
new_before=$(topic_count "$C.$DB.SnapTestNew")
run_fx "$FX_TMP/4b" apply -f "$M" --auto-approve --wait 240 --format json
assert_eq "(4b) apply of the same change again: exit 0" 0 "$RC"
assert_eq "(4b) the snapshot is the first one's: completed, the same rows scanned, not sent again" \
	"completed $(jq -r --arg c "$C" '.results[] | select(.connector == $c) | .snapshot.rows' "$FX_TMP/3.out")" \
	"$(jq -r '.results[0].snapshot | "\(.status) \(.rows)"' "$FX_TMP/4b.out")"
assert_eq "(4b) still one signal" 1 "$(topic_count "${C}_signal")"
assert_eq "(4b) no r event re-emitted" 0 "$(kcat -C -b "$FLUXACDC_BROKERS" -t "$C.$DB.SnapTestNew" -o "$new_before" -e -q 2>/dev/null | jq -c 'select(.op == "r")' | wc -l)"

# (5) snapshot --where re-emits exactly the matching rows
new_before=$(topic_count "$C.$DB.SnapTestNew")
run_fx "$FX_TMP/5" snapshot -f "$M" SnapTestNew --where "ID <= 10" --wait 240
assert_eq "(5) snapshot --where: exit 0" 0 "$RC"
[ "$RC" = 0 ] || sed 's/^/    | /' "$FX_TMP/5.err" | tail -20
assert_contains "(5) says completed with 10 rows" "$FX_TMP/5.out" "completed, 10 rows"
kcat -C -b "$FLUXACDC_BROKERS" -t "$C.$DB.SnapTestNew" -o "$new_before" -e -q 2>/dev/null |
	jq -r 'select(.op == "r") | .after.ID' | sort -n >"$FX_TMP/5.ids"
assert_eq "(5) exactly ids 1..10 re-emitted" "$(seq 1 10 | paste -sd' ')" "$(paste -sd' ' "$FX_TMP/5.ids")"
assert_eq "(5) a second signal" 2 "$(topic_count "${C}_signal")"

# (6) refusals: an entity that is not captured; a STOPPED connector
run_fx "$FX_TMP/6a" snapshot -f "$M" SnapTestNotCaptured --wait 10
assert_eq "(6a) not captured: exit 1" 1 "$RC"
assert_contains "(6a) says so" "$FX_TMP/6a.err" "not captured"
connect_curl PUT "/connectors/$C/stop" >/dev/null
stopped() { [ "$(state)" = STOPPED ]; }
wait_until 60 stopped && ok "(6b) connector STOPPED" || fail "(6b) state: $(state)"
run_fx "$FX_TMP/6b" snapshot -f "$M" SnapTestNew --wait 10
assert_eq "(6b) STOPPED: exit 1" 1 "$RC"
assert_contains "(6b) says it is not RUNNING" "$FX_TMP/6b.err" "is STOPPED, not RUNNING"
assert_eq "(6b) no signal sent" 2 "$(topic_count "${C}_signal")"

echo "$FX_PASS passed, $FX_FAIL failed"
[ "$FX_FAIL" -eq 0 ]
