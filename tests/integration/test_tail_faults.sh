#!/usr/bin/env bash
# fluxacdc tail while the Kafka broker goes away, with the stack's real broker
# (stack.sh stop-kafka / start-kafka; Connect waits it out):
#   (a) a live tail says the broker is gone, keeps running, and prints the
#       next event once the broker is back; SIGINT then ends it with 0;
#   (b) with the broker down, tail and tail -e fail at start within
#       --timeout, saying why;
#   (c) tail -e stopped halfway by the outage: it ends with a clear error
#       once Kafka has been unreachable past --timeout, not wait forever
#       (the issue: "exits with a clear error if -e was given"), having
#       printed whole events only.
# Recorded Debezium events (tests/fixtures/events-tail) are produced with kcat
# to topics fluxa_reltest_k<FX_RUN>.* and fluxa_reltest_kb<FX_RUN>.*, deleted at the end.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rel_lib.sh"
M="$FX_TMP/m.yaml"
MB="$FX_TMP/mbig.yaml"
R=$FX_RUN # topics of this run's own (lib.sh)
T1=fluxa_reltest_k$R.fluxa.UserEntity
T2=fluxa_reltest_kb$R.fluxa.UserEntity
TO=3
LIVE_PID=
BIG_PID=
export RELTEST_PW=unused
cleanup() {
	[ -n "$LIVE_PID" ] && kill "$LIVE_PID" 2>/dev/null
	[ -n "$BIG_PID" ] && kill "$BIG_PID" 2>/dev/null
	"$STACK" status >/dev/null 2>&1 || "$STACK" start-kafka >/dev/null 2>&1
	"$STACK" kafka-topics --delete --topic "fluxa_reltest_kb?$R(\\..*|_schema_history)" >/dev/null 2>&1
}
trap cleanup EXIT

for f in "$M:reltest_k$R" "$MB:reltest_kb$R"; do
	cat >"${f%%:*}" <<YAML
version: 1
mysql:
  ${f##*:}: {dsn: "u:\${RELTEST_PW}@tcp(127.0.0.1:1)/fluxa"}
kafka:
  default: {brokers: ["$FLUXACDC_BROKERS"], connect_url: "http://127.0.0.1:1"}
entities:
  UserEntity: {debezium: true, mysql: ${f##*:}}
YAML
done
F="$FLUXACDC_ROOT/tests/fixtures/events-tail"
for n in plain-types-create plain-types-update plain-types-delete; do
	printf '%s\t%s\n' "$(cat "$F/$n.key")" "$(cat "$F/$n.value")"
done >"$FX_TMP/events.tsv"
produce() { # produce TOPIC FILE
	kcat -P -b "$FLUXACDC_BROKERS" -t "$1" -K $'\t' -z lz4 <"$2"
}
lines() { wc -l <"$1" | tr -d ' '; }
has_lines() { [ "$(lines "$1")" -ge "$2" ]; } # has_lines FILE N
gone() { ! kill -0 "$1" 2>/dev/null; }        # gone PID
# wait_until SECONDS COMMAND...: poll every 0.2 s
wait_until() {
	local n=$(($1 * 5))
	shift
	while [ $n -gt 0 ]; do
		"$@" && return 0
		sleep 0.2
		n=$((n - 1))
	done
	return 1
}
produce "$T1" "$FX_TMP/events.tsv"

# ---- (a) a live tail across an outage
"$FLUXACDC" -v tail -f "$M" --format json -u --timeout $TO >"$FX_TMP/a.out" 2>"$FX_TMP/a.err" &
LIVE_PID=$!
# the new event once tail has its start offset (-v says so)
wait_until 60 grep -q "tail: $T1\[0\] offsets .*, start " "$FX_TMP/a.err" ||
	fail "(a) tail never said where it starts: $(cat "$FX_TMP/a.err")"
head -n 1 "$FX_TMP/events.tsv" >"$FX_TMP/one.tsv"
produce "$T1" "$FX_TMP/one.tsv"
wait_until 60 has_lines "$FX_TMP/a.out" 1 && ok "(a) live tail prints a new event" ||
	fail "(a) live tail: no event"
down_at=$(date +%s%N)
"$STACK" stop-kafka >/dev/null 2>&1 && ok "(a) broker stopped" || fail "(a) stop-kafka"
if wait_until 60 grep -q "warning: kafka:" "$FX_TMP/a.err"; then
	ok "(a) tail says the broker is gone, after $((($(date +%s%N) - down_at) / 1000000)) ms"
else
	fail "(a) tail said nothing of the outage in 60 s"
fi
assert_contains "(a) with a hint" "$FX_TMP/a.err" "hint: "
# the hint given when the outage is first seen (a working connection lost);
# reconnects during the broker's shutdown may later quote librdkafka's own
# "incorrect security.protocol" guess, which says nothing of this hint
grep -m1 "hint: " "$FX_TMP/a.err" >"$FX_TMP/a.hint"
assert_not_contains "(a) the first hint fits a stopped broker (no security.protocol, no SASL)" "$FX_TMP/a.hint" "security.protocol"
kill -0 "$LIVE_PID" 2>/dev/null && ok "(a) and keeps running" || fail "(a) tail ended during the outage"
echo "  .. (a) $(grep -m1 'warning: kafka:' "$FX_TMP/a.err")"

# ---- (b) while the broker is down: tail fails at start, within --timeout
for mode in "-e" ""; do
	timed "$FX_TMP/b" tail -f "$M" --format json --timeout $TO $mode
	assert_eq "(b) broker down, tail ${mode:-(live)}: exit 1" 1 "$RC"
	assert_contains "(b) tail ${mode:-(live)}: says it cannot reach Kafka" "$FX_TMP/b.err" "cannot reach Kafka"
	assert_contains "(b) tail ${mode:-(live)}: names the brokers" "$FX_TMP/b.err" "$FLUXACDC_BROKERS"
	within "(b) tail ${mode:-(live)}: gave up" $((TO * 1000 + 2000))
done
echo "  .. (b) $(head -n 1 "$FX_TMP/b.err")"

"$STACK" start-kafka >/dev/null 2>&1 && ok "(a) broker back" || fail "(a) start-kafka"
up_at=$(date +%s%N)
produce "$T1" "$FX_TMP/one.tsv"
if wait_until 60 has_lines "$FX_TMP/a.out" 2; then
	ok "(a) the live tail prints the next event $((($(date +%s%N) - up_at) / 1000000)) ms after the broker is back"
else
	fail "(a) no event within 60 s of the broker's return"
fi
kill -INT "$LIVE_PID"
wait "$LIVE_PID"
assert_eq "(a) SIGINT after the outage: exit 0" 0 "$?"
LIVE_PID=
assert_eq "(a) every line is an event" 2 "$(jq -r '.op' "$FX_TMP/a.out" | grep -c .)"

# ---- (c) tail -e cut off halfway by the outage
awk '{ for (i = 0; i < 20000; i++) print }' "$FX_TMP/events.tsv" >"$FX_TMP/big.tsv"
produce "$T2" "$FX_TMP/big.tsv"
WANT=$(lines "$FX_TMP/big.tsv")
# small fetches, so that the broker is needed until the very end
SLOW=(-X queued.max.messages.kbytes=256 -X fetch.max.bytes=1000000 -X message.max.bytes=100000
	-X max.partition.fetch.bytes=16384)
"$FLUXACDC" tail -f "$MB" --format json -e --from beginning --timeout $TO "${SLOW[@]}" \
	>"$FX_TMP/c.out" 2>"$FX_TMP/c.err" &
BIG_PID=$!
wait_until 60 has_lines "$FX_TMP/c.out" 1000 || fail "(c) tail -e printed no 1000 events in 60 s"
"$STACK" stop-kafka >/dev/null 2>&1
at_stop=$(lines "$FX_TMP/c.out")
if [ "$at_stop" -lt "$WANT" ]; then
	ok "(c) broker stopped halfway ($at_stop of $WANT events read)"
else
	fail "(c) tail -e was done before the broker stopped: make the topic bigger"
fi
t_stop=$(date +%s)
# a bound for "not forever", generous for a busy machine
if wait_until $((TO + 60)) gone "$BIG_PID"; then
	wait "$BIG_PID"
	RC=$?
	BIG_PID=
	ok "(c) tail -e gave up $(($(date +%s) - t_stop)) s into the outage (--timeout $TO)"
	assert_eq "(c) tail -e cut off: exit 1" 1 "$RC"
	assert_contains "(c) tail -e cut off: says Kafka is unreachable" "$FX_TMP/c.err" "unreachable for longer than --timeout"
	assert_contains "(c) tail -e cut off: names the brokers" "$FX_TMP/c.err" "$FLUXACDC_BROKERS"
	assert_eq "(c) what was printed are whole events" "$(lines "$FX_TMP/c.out")" "$(jq -r '.op' "$FX_TMP/c.out" | grep -c .)"
else
	fail "(c) tail -e still waiting for the broker $((TO + 60)) s into the outage"
	sed 's/^/    | /' "$FX_TMP/c.err" | tail -8
	kill "$BIG_PID" 2>/dev/null
	BIG_PID=
fi
"$STACK" start-kafka >/dev/null 2>&1 && ok "(c) broker back" || fail "(c) start-kafka"
# Connect came through the outage (later tests need it)
curl -fsS -m 10 -o /dev/null "$FLUXACDC_CONNECT_URL/connectors" && ok "Connect answers after the outages" ||
	fail "Connect does not answer after the outages"

finish
