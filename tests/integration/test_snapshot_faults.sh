#!/usr/bin/env bash
# A backfill's Kafka handles when the broker goes away under them, on the
# real local stack (stack.sh stop-kafka / start-kafka; Connect waits it out):
#   (a) apply follows the backfill of an added table, Kafka is stopped: apply
#       ends once Kafka has been unreachable past --timeout, well before
#       --wait, exit 1, saying Kafka was unreachable and that Debezium goes
#       on (it used to hang in rd_kafka_destroy, deaf to --wait and SIGTERM);
#   (b) the same with Kafka gone, then SIGTERM: apply ends at once (130).
# No writer makes binlog traffic, so the read-only incremental snapshot
# cannot finish before the outage (Debezium closes a chunk's window on the
# next binlog write); the outage starts once apply says it is waiting for
# Debezium to pick up the signal.  Kafka is back at the end of each part.
. "$(dirname "$0")/lib.sh"

N=$FX_RUN # names of this run's own (lib.sh)
P=snapfault$N
C=fluxa_$P
DB=$FLUXACDC_MYSQL_DATABASE
M="$FX_TMP/m.yaml"
export SNAPFAULT_PW="$FLUXACDC_MYSQL_PASSWORD"
TO=4      # --timeout: how long Kafka may be unreachable before apply gives up
WAIT=600  # --wait: far beyond the bound below, so a wait that runs it out fails
BOUND=90  # generous: --timeout, the broker's shutdown, a loaded 2-core machine
APPLY_PID=

cleanup() {
	[ -n "$APPLY_PID" ] && kill -KILL "$APPLY_PID" 2>/dev/null
	"$STACK" status >/dev/null 2>&1 || "$STACK" start-kafka >/dev/null 2>&1
	curl -sS -o /dev/null -m 30 -X DELETE "${FLUXACDC_CONNECT_URL}/connectors/$C"
	"$STACK" kafka-topics --delete --topic "$C(\\..*|_.*)" >/dev/null 2>&1
	sql_admin "DROP TABLE IF EXISTS SnapFaultBase$N, SnapFaultA$N, SnapFaultB$N" >/dev/null 2>&1
	rm -rf "$FX_TMP"
}
trap cleanup EXIT

# manifest ENTITY...: one pool $P capturing the named tables
manifest() {
	{
		echo "version: 1"
		echo "mysql:"
		echo "  $P:"
		echo "    dsn: \"${FLUXACDC_MYSQL_USER}:\${SNAPFAULT_PW}@tcp(${FLUXACDC_MYSQL_HOST}:${FLUXACDC_MYSQL_PORT})/$DB\""
		echo "    flavor: mariadb"
		echo "    server_id: $((7900 + N % 100))"
		echo "kafka:"
		echo "  default:"
		echo "    brokers: [\"${FLUXACDC_BROKERS}\"]"
		echo "    connect_url: \"${FLUXACDC_CONNECT_URL}\""
		echo "entities:"
		for e in "$@"; do echo "  $e: {debezium: true, mysql: $P}"; done
	} >"$M"
}
state() {
	curl -sS -m 10 "${FLUXACDC_CONNECT_URL}/connectors/$C/status" 2>/dev/null |
		jq -r 'if .connector then ([.connector.state] + [.tasks[].state] | join(",")) else "absent" end' 2>/dev/null
}
running() { [ "$(state)" = RUNNING,RUNNING ]; }
gone() { ! kill -0 "$1" 2>/dev/null; }
following() { grep -qs "snapshot: waiting for Debezium to pick up signal" "$FX_TMP/$1.err"; }
# stuck PID: where a process that should have ended is (its main thread's
# stack, when gdb is there to say), then it is killed
stuck() {
	command -v gdb >/dev/null && gdb -p "$1" -batch -ex 'thread 1' -ex 'bt 12' 2>/dev/null |
		grep -E '^#' | sed 's/^/    | /'
	kill -KILL "$1" 2>/dev/null
}
ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }

# Other tests' managed connectors would become deletes in our plan: wait them out.
for i in $(seq 1 120); do
	foreign=$(curl -sS -m 10 "${FLUXACDC_CONNECT_URL}/connectors" | jq -r --arg c "$C" '[.[] | select(startswith("fluxa_") and . != $c)] | join(" ")')
	[ -z "$foreign" ] && break
	[ "$i" = 1 ] && echo "  .. waiting for other tests' connectors to go: $foreign"
	sleep 1
done

sql_admin "CREATE TABLE SnapFaultBase$N (ID bigint unsigned PRIMARY KEY, Name varchar(40));
CREATE TABLE SnapFaultA$N (ID bigint unsigned PRIMARY KEY, Name varchar(40));
CREATE TABLE SnapFaultB$N (ID bigint unsigned PRIMARY KEY, Name varchar(40));
INSERT INTO SnapFaultBase$N SELECT seq, CONCAT('base', seq) FROM seq_1_to_5;
INSERT INTO SnapFaultA$N SELECT seq, CONCAT('a', seq) FROM seq_1_to_3000;
INSERT INTO SnapFaultB$N SELECT seq, CONCAT('b', seq) FROM seq_1_to_3000;" ||
	{ fail "set-up SQL"; exit 1; }

manifest SnapFaultBase$N
run_fx "$FX_TMP/0" apply -f "$M" --auto-approve --wait 120
assert_eq "set-up: the connector is created: exit 0" 0 "$RC"
[ "$RC" = 0 ] || sed 's/^/    | /' "$FX_TMP/0.err" | tail -20
# each part updates it: apply refuses while its stored offsets say snapshot
wait_until 120 offsets_streaming "$C" || fail "set-up: its offsets still say snapshot: $(connect_curl GET "/connectors/$C/offsets")"

# part NAME ENTITIES...: apply adding a table in the background; returns once
# it follows the backfill and Kafka is stopped (down_at: when it was)
part() {
	local name=$1
	shift
	manifest "$@"
	"$FLUXACDC" apply -f "$M" --auto-approve --wait $WAIT --timeout $TO >"$FX_TMP/$name.out" 2>"$FX_TMP/$name.err" &
	APPLY_PID=$!
	if wait_until 240 following "$name"; then
		ok "($name) apply follows the backfill"
	else
		fail "($name) apply never said it follows the backfill"
		sed 's/^/    | /' "$FX_TMP/$name.err" | tail -20
	fi
	gone "$APPLY_PID" && fail "($name) apply ended before the outage (rc $(wait "$APPLY_PID"; echo $?))"
	down_at=$(date +%s%N)
	"$STACK" stop-kafka >/dev/null 2>&1 && ok "($name) broker stopped" || fail "($name) stop-kafka"
}

# (a) the outage outlasts --timeout: apply gives up, with why
part a SnapFaultBase$N SnapFaultA$N
if wait_until $BOUND gone "$APPLY_PID"; then
	ok "(a) apply ended $(ms_since "$down_at") ms after the broker was stopped (--timeout $TO, --wait $WAIT)"
else
	fail "(a) apply still running $BOUND s after the broker was stopped"
	stuck "$APPLY_PID"
fi
wait "$APPLY_PID"
RC=$?
APPLY_PID=
assert_eq "(a) exit 1 (the update applied, its backfill not followed to the end)" 1 "$RC"
assert_contains "(a) says Kafka was unreachable past --timeout" "$FX_TMP/a.err" "unreachable for longer than --timeout"
assert_contains "(a) names the connector and the snapshot" "$FX_TMP/a.err" "apply: $C: the snapshot of the added tables"
assert_contains "(a) says Debezium goes on" "$FX_TMP/a.err" "Debezium goes on"
echo "  .. (a) $(grep -m1 'unreachable for longer' "$FX_TMP/a.err")"
"$STACK" start-kafka >/dev/null 2>&1 && ok "(a) broker back" || fail "(a) start-kafka"
wait_until 180 running && ok "(a) the connector RUNNING again" || fail "(a) connector: $(state)"

# (b) SIGTERM while Kafka is gone: apply ends at once, interrupted
part b SnapFaultBase$N SnapFaultA$N SnapFaultB$N
term_at=$(date +%s%N)
kill -TERM "$APPLY_PID"
if wait_until 30 gone "$APPLY_PID"; then
	ok "(b) SIGTERM: apply ended $(ms_since "$term_at") ms after it"
else
	fail "(b) apply still running 30 s after SIGTERM"
	stuck "$APPLY_PID"
fi
wait "$APPLY_PID"
RC=$?
APPLY_PID=
assert_eq "(b) exit 130 (interrupted)" 130 "$RC"
"$STACK" start-kafka >/dev/null 2>&1 && ok "(b) broker back" || fail "(b) start-kafka"
wait_until 180 running && ok "(b) the connector RUNNING again" || fail "(b) connector: $(state)"

finish
