#!/usr/bin/env bash
# Faults between fluxacdc and Kafka Connect, with the real Connect behind a
# fault injector (fault_server.py): for plan, status and apply, a closed
# port, a listener that never answers, slow answers (within and beyond
# --timeout), an answer trickled past the deadline, a 500 with an HTML body,
# bytes that are not HTTP, an answer cut mid-body; then faults on apply's
# writes only: a 500, an answer cut after the write landed, a write that
# lands but is never answered.  Each command must fail within --timeout
# (plus the retry budget for writes) with a clear message and the right exit
# code, never leave a write unreported, and a repeated apply must converge.
# Then a failed alter first, in the middle and last of three (what was
# applied, what failed, nothing attempted after it); a connector shown
# RUNNING with no task (apply's wait must not end on it); a DELETE answered
# 404 by a proxy page, not by Connect (not "already gone").
# Connectors: fluxa_reltest_f*, removed at the end.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rel_lib.sh"
FAULTS="$FLUXACDC_ROOT/tests/integration/fault_server.py"
M="$FX_TMP/m.yaml"
export RELTEST_PW="$FLUXACDC_MYSQL_PASSWORD"
TO=2 # --timeout
SRV_PID=
SRV_URL=

# manifest URL POOL...: one pool per name, each capturing one table
manifest() {
	local url=$1 p sid=7710 tables=(UserEntity OrderEntity) i=0
	shift
	{
		echo "version: 1"
		echo "mysql:"
		for p in "$@"; do
			sid=$((sid + 1))
			cat <<YAML
  $p:
    dsn: "${FLUXACDC_MYSQL_USER}:\${RELTEST_PW}@tcp(${FLUXACDC_MYSQL_HOST}:${FLUXACDC_MYSQL_PORT})/${FLUXACDC_MYSQL_DATABASE}"
    flavor: mariadb
    server_id: $sid
    connector: {snapshot.mode: no_data}
YAML
		done
		echo "kafka:"
		echo "  default: {brokers: [\"${FLUXACDC_BROKERS}\"], connect_url: \"$url\"}"
		if [ $# -eq 0 ]; then echo "entities: {}"; else echo "entities:"; fi
		for p in "$@"; do
			echo "  E_$p: {debezium: true, mysql: $p, table: ${tables[$((i % 2))]}}"
			i=$((i + 1))
		done
	} >"$M"
}

ours() { curl -sS -m 10 "$FLUXACDC_CONNECT_URL/connectors" | jq -r '.[] | select(startswith("fluxa_reltest_f"))' | sort | xargs; }
# Each case of each run gets connector names of its own (GEN, FX_RUN from
# lib.sh): Connect keeps a deleted connector's offsets, and apply refuses a
# create over them (connect.offsets); resumed, Debezium 3.5 would fail
# ("Source offset 'file' parameter is missing").
GEN=0
newgen() { GEN=$((GEN + 1)); F1=reltest_f1g${GEN}r$FX_RUN; F2=reltest_f2g${GEN}r$FX_RUN; F3=reltest_f3g${GEN}r$FX_RUN; }
newgen
reset_ours() {
	local c
	for c in $(ours); do curl -sS -o /dev/null -m 30 -X DELETE "$FLUXACDC_CONNECT_URL/connectors/$c"; done
	newgen
}
stop_srv() {
	if [ -n "$SRV_PID" ]; then kill "$SRV_PID" 2>/dev/null; wait "$SRV_PID" 2>/dev/null; fi
	SRV_PID=
}
# start_srv MODE: a fault server in front of the stack's Connect; sets SRV_URL
start_srv() {
	stop_srv
	rm -f "$FX_TMP/port" "$FX_TMP/srv.log"
	: >"$FX_TMP/srv.log"
	python3 "$FAULTS" "$1" "$FX_TMP/port" "$FX_TMP/srv.log" "$FLUXACDC_CONNECT_URL" &
	SRV_PID=$!
	wait_until 30 test -s "$FX_TMP/port" || fail "fault server did not start"
	SRV_URL="http://127.0.0.1:$(cat "$FX_TMP/port")"
}
cleanup() {
	stop_srv
	reset_ours
	"$STACK" kafka-topics --delete --topic "fluxa_reltest_f[0-9]g[0-9]+r$FX_RUN(\\..*|_schema_history|_signal|_notifications)" >/dev/null 2>&1
}
trap cleanup EXIT

writes_seen() { grep -cE '^(POST|PUT|DELETE) /connectors' "$FX_TMP/srv.log" || true; }

wait_foreign_gone fluxa_reltest_f
reset_ours
LIMIT=$((TO * 1000 + 1500)) # one --timeout, plus process start and the rest

# ---- (1) every read path broken: plan, status, apply fail in time, nothing written
read_fault() { # read_fault LABEL URL EXPECTED_MESSAGE
	local label=$1 url=$2 msg=$3
	manifest "$url" ${F1}
	timed "$FX_TMP/p" plan -f "$M" --skip-db-checks --timeout $TO --format json
	assert_eq "$label: plan exit 1" 1 "$RC"
	assert_eq "$label: plan says connect.reachable error" error \
		"$(jq -r '[.checks[]|select(.id=="connect.reachable")][0].level' "$FX_TMP/p.out")"
	assert_contains "$label: plan message" "$FX_TMP/p.out" "$msg"
	within "$label: plan gave up" "$LIMIT"
	timed "$FX_TMP/s" status -f "$M" --timeout $TO
	assert_eq "$label: status exit 1" 1 "$RC"
	assert_contains "$label: status message" "$FX_TMP/s.err" "$msg"
	within "$label: status gave up" "$LIMIT"
	timed "$FX_TMP/a" apply -f "$M" --skip-db-checks --auto-approve --timeout $TO
	assert_eq "$label: apply exit 1" 1 "$RC"
	assert_contains "$label: apply message" "$FX_TMP/a.out" "$msg"
	within "$label: apply gave up" "$LIMIT"
	[ -n "$SRV_PID" ] && assert_eq "$label: apply wrote nothing" 0 "$(writes_seen)"
	assert_eq "$label: nothing created" "" "$(ours)"
	printf '  .. %-9s plan %s\n' "$label" "$(jq -r '[.checks[]|select(.id=="connect.reachable")][0].message' "$FX_TMP/p.out")"
}

stop_srv
read_fault "closed" "http://127.0.0.1:$(fx_port 7)" "Couldn't connect to server"
start_srv stall
read_fault "stalled" "$SRV_URL" "no answer within $TO s (--timeout)"
start_srv "slow:$((TO + 3))"
read_fault "slow" "$SRV_URL" "no answer within $TO s (--timeout)"
start_srv "trickle:$((TO * 3))"
read_fault "trickle" "$SRV_URL" "within $TO s"
start_srv 500html
read_fault "500-html" "$SRV_URL" "HTTP 500: 500 Internal Server Error"
start_srv garbage
read_fault "garbage" "$SRV_URL" "$SRV_URL/:"
start_srv cut
read_fault "cut" "$SRV_URL" "transfer closed with"

# the same cut through a forward HTTP proxy (libcurl honours http_proxy):
# the request goes to the real Connect URL, the proxy drops the body
start_srv cut
PROXY=$SRV_URL
manifest "$FLUXACDC_CONNECT_URL" ${F1}
http_proxy="$PROXY" no_proxy= NO_PROXY= timed "$FX_TMP/x" plan -f "$M" --skip-db-checks --timeout $TO --format json
assert_eq "forward proxy cuts: plan exit 1" 1 "$RC"
assert_contains "forward proxy cuts: says so" "$FX_TMP/x.out" "transfer closed with"
assert_eq "forward proxy: the request went through it" 1 "$(grep -c '^GET http://127.0.0.1:.*/ -> 200 cut' "$FX_TMP/srv.log")"
within "forward proxy cuts: plan gave up" "$LIMIT"

# slow but within --timeout: works, only slower
start_srv "slow:0.5"
manifest "$SRV_URL" ${F1}
timed "$FX_TMP/s1" plan -f "$M" --skip-db-checks --timeout $TO --format json
assert_eq "slow within --timeout: plan exit 0" 0 "$RC"
assert_eq "slow within --timeout: one create planned" 1 "$(jq '.summary.create' "$FX_TMP/s1.out")"
echo "  .. slow (0.5 s an answer): plan took ${MS} ms"

# ---- (2) faults on apply's writes only (reads pass through to Connect)
manifest_two() { manifest "$SRV_URL" ${F1} ${F2}; }

# a 500 with an HTML body on the first write: exit 1, nothing applied, the rest not attempted
start_srv 500write
manifest_two
timed "$FX_TMP/w1" apply -f "$M" --skip-db-checks --auto-approve --no-wait --timeout $TO
assert_eq "500 on the first write: exit 1" 1 "$RC"
assert_contains "500: the failed alter and why" "$FX_TMP/w1.out" "HTTP 500: 500 Internal Server Error"
assert_contains "500: stderr says none applied, the other not attempted" "$FX_TMP/w1.err" \
	"applied: none; failed: fluxa_${F1}; not attempted: fluxa_${F2}"
assert_eq "500: not retried (not a rebalance answer)" 1 "$(writes_seen)"
assert_eq "500: nothing on Connect" "" "$(ours)"
echo "  .. 500 on write: exit $RC in ${MS} ms: $(grep -m1 'error:' "$FX_TMP/w1.out" | sed 's/^ *//')"

# the second write 500: the first applied, exit 5, the output lists both
start_srv 500write:2
manifest_two
timed "$FX_TMP/w2" apply -f "$M" --skip-db-checks --auto-approve --no-wait --timeout $TO --format json
assert_eq "500 on the second write: partial, exit 5" 5 "$RC"
assert_eq "partial: JSON lists applied (written) then failed (not written)" "applied true failed false" \
	"$(jq -r '[.results[] | "\(.outcome) \(.written)"] | join(" ")' "$FX_TMP/w2.out" 2>/dev/null)"
python3 "$FLUXACDC_ROOT/tests/schema/validate.py" apply-result.schema.json "$FX_TMP/w2.out" &&
	ok "partial: JSON matches apply-result.schema.json" || fail "partial: schema"
assert_eq "partial: exactly the applied one is on Connect" fluxa_${F1} "$(ours)"
stop_srv
manifest "$FLUXACDC_CONNECT_URL" ${F1} ${F2}
run_fx "$FX_TMP/w2b" apply -f "$M" --skip-db-checks --auto-approve --no-wait
assert_eq "partial: a repeated apply completes it: exit 0" 0 "$RC"
assert_eq "partial: both there" "fluxa_${F1} fluxa_${F2}" "$(ours)"
reset_ours

# the answer to each create cut mid-body after Connect took it: re-read, no duplicate, exit 0
start_srv cutwrite
manifest_two
timed "$FX_TMP/c1" apply -f "$M" --skip-db-checks --auto-approve --no-wait --timeout $TO -v
assert_eq "create answers cut: exit 0" 0 "$RC"
assert_eq "cut: each create sent once" 2 "$(grep -c '^POST /connectors -> 201 cut' "$FX_TMP/srv.log")"
assert_contains "cut: the cut is logged" "$FX_TMP/c1.err" "transfer closed with"
# per connector: the re-read after the cut answer, then apply's read-back of what it wrote
# (the re-read before the write finds nothing yet: 404)
assert_eq "cut: re-read each connector before going on, then read it back" 4 "$(grep -cE "GET .*/connectors/fluxa_(${F1}|${F2})/config -> 200" "$FX_TMP/c1.err")"
assert_eq "cut: both on Connect" "fluxa_${F1} fluxa_${F2}" "$(ours)"
echo "  .. create answers cut: exit $RC in ${MS} ms"
# an update whose answer is cut, then a delete whose answer is cut
sed -i 's/table: UserEntity}/table: OrderEntity}/' "$M"
run_fx "$FX_TMP/c2" apply -f "$M" --skip-db-checks --auto-approve --no-wait --timeout $TO -v
assert_eq "update answer cut: exit 0" 0 "$RC"
assert_eq "update: sent once" 1 "$(grep -c "^PUT /connectors/fluxa_$F1/config -> 200 cut" "$FX_TMP/srv.log")"
assert_eq "update: landed" 'fluxa\.OrderEntity' \
	"$(curl -sS "$FLUXACDC_CONNECT_URL/connectors/fluxa_${F1}/config" | jq -r '."table.include.list"')"
manifest "$SRV_URL" ${F1}
sed -i 's/table: UserEntity}/table: OrderEntity}/' "$M"
run_fx "$FX_TMP/c3" apply -f "$M" --skip-db-checks --auto-approve --allow-destroy --no-wait --timeout $TO -v
assert_eq "delete answer cut: exit 0" 0 "$RC"
assert_eq "delete: gone" fluxa_${F1} "$(ours)"
run_fx "$FX_TMP/c4" apply -f "$M" --skip-db-checks --auto-approve --no-wait --timeout $TO
assert_contains "cut: a repeated apply has nothing to do" "$FX_TMP/c4.out" "0 to create, 0 to update, 0 to delete, 1 unchanged"
reset_ours

# a create that lands but is never answered: --timeout, re-read, no duplicate
start_srv stallwrite
manifest "$SRV_URL" ${F1}
timed "$FX_TMP/t1" apply -f "$M" --skip-db-checks --auto-approve --no-wait --timeout $TO --retry-budget 10 -v
case $RC in
0) ok "unanswered create: exit 0 (found it landed)" ;;
*) fail "unanswered create: exit $RC"; sed 's/^/    | /' "$FX_TMP/t1.err" | tail -8 ;;
esac
assert_eq "unanswered: sent once" 1 "$(grep -c '^POST /connectors' "$FX_TMP/srv.log")"
within "unanswered: gave up on the answer and re-read" $((TO * 1000 + 3000))
assert_eq "unanswered: the connector is there, once" fluxa_${F1} "$(ours)"
echo "  .. unanswered create: exit $RC in ${MS} ms: $(grep -m1 -E 'no answer|timed out|timeout' "$FX_TMP/t1.err")"
reset_ours

# Connect gone right after the create was answered, while apply waits for
# RUNNING: the write is reported as landed, the wait as failed, in time
start_srv stallafter
manifest "$SRV_URL" ${F1}
timed "$FX_TMP/g1" apply -f "$M" --skip-db-checks --auto-approve --wait 8 --timeout $TO --format json
assert_eq "gone while waiting: exit 1" 1 "$RC"
assert_eq "gone while waiting: the write is reported as landed" "failed true" \
	"$(jq -r '.results[0] | "\(.outcome) \(.written)"' "$FX_TMP/g1.out" 2>/dev/null)"
assert_contains "gone while waiting: says Connect did not answer" "$FX_TMP/g1.out" "no answer within $TO s"
within "gone while waiting: gave up within --wait plus one --timeout" $((8000 + TO * 1000 + 2000))
assert_eq "gone while waiting: the connector is there" fluxa_${F1} "$(ours)"
echo "  .. gone while waiting: exit $RC in ${MS} ms: $(jq -r '.results[0].error' "$FX_TMP/g1.out" 2>/dev/null)"
stop_srv
reset_ours

# ---- (3) a failed alter first, in the middle and last of three: every alter
# before it applied, it reported failed, none after it attempted (SPEC §2:
# exit 1 when nothing was applied, 5 when some were)
manifest_three() { manifest "$SRV_URL" ${F1} ${F2} ${F3}; }
for at in 1 2 3; do
	reset_ours
	start_srv "500write:$at"
	manifest_three
	run_fx "$FX_TMP/m$at" apply -f "$M" --skip-db-checks --auto-approve --no-wait --timeout $TO --format json
	case $at in
	1) want_rc=1 want="failed false skipped false skipped false" want_on="" ;;
	2) want_rc=5 want="applied true failed false skipped false" want_on="fluxa_${F1}" ;;
	3) want_rc=5 want="applied true applied true failed false" want_on="fluxa_${F1} fluxa_${F2}" ;;
	esac
	assert_eq "failed alter $at of 3: exit $want_rc" "$want_rc" "$RC"
	assert_eq "failed alter $at of 3: outcomes in plan order" "$want" \
		"$(jq -r '[.results[] | "\(.outcome) \(.written)"] | join(" ")' "$FX_TMP/m$at.out" 2>/dev/null)"
	assert_eq "failed alter $at of 3: no write after the failed one" "$at" "$(writes_seen)"
	assert_eq "failed alter $at of 3: on Connect exactly what was applied" "$want_on" "$(ours)"
	assert_eq "failed alter $at of 3: summary" "$((at - 1)) 1 $((3 - at))" \
		"$(jq -r '"\(.summary.applied) \(.summary.failed) \(.summary.skipped)"' "$FX_TMP/m$at.out" 2>/dev/null)"
done
# the same in the middle, as text: stderr names all three fates
reset_ours
start_srv "500write:2"
manifest_three
run_fx "$FX_TMP/m2t" apply -f "$M" --skip-db-checks --auto-approve --no-wait --timeout $TO
assert_eq "failed alter 2 of 3 (text): exit 5" 5 "$RC"
assert_contains "failed alter 2 of 3 (text): stderr names each fate" "$FX_TMP/m2t.err" \
	"applied: fluxa_${F1}; failed: fluxa_${F2}; not attempted: fluxa_${F3}"
stop_srv
reset_ours

# ---- (4) a connector that Connect shows RUNNING with no task at all: the
# wait for "the connector and all its tasks RUNNING" does not end on it
start_srv notasks
manifest "$SRV_URL" ${F1}
timed "$FX_TMP/n1" apply -f "$M" --skip-db-checks --auto-approve --wait 6 --timeout $TO --format json
assert_eq "RUNNING with no task: not a success, exit 1" 1 "$RC"
assert_eq "RUNNING with no task: written, then failed waiting" "failed true" \
	"$(jq -r '.results[0] | "\(.outcome) \(.written)"' "$FX_TMP/n1.out" 2>/dev/null)"
assert_contains "RUNNING with no task: says why" "$FX_TMP/n1.out" "not RUNNING after 6 s (--wait): RUNNING; no tasks yet"
assert_eq "RUNNING with no task: the status reads were rewritten" yes \
	"$(grep -q 'shown RUNNING with no task' "$FX_TMP/srv.log" && echo yes)"
within "RUNNING with no task: gave up after --wait" $((6000 + TO * 1000 + 3000))
stop_srv
reset_ours

# ---- (5) a DELETE answered 404 by something that is not Connect (a proxy's
# HTML page): not "already gone", so not a success; the connector stays
manifest "$FLUXACDC_CONNECT_URL" ${F1}
run_fx "$FX_TMP/d0" apply -f "$M" --skip-db-checks --auto-approve --no-wait
assert_eq "404 on delete: set-up create" "0 fluxa_${F1}" "$RC $(ours)"
start_srv 404write
manifest "$SRV_URL"
timed "$FX_TMP/d1" apply -f "$M" --skip-db-checks --auto-approve --allow-destroy --no-wait --timeout $TO \
	--retry-budget 3 --format json
assert_eq "404 (not Connect's) on delete: exit 1" 1 "$RC"
assert_eq "404 (not Connect's) on delete: reported failed" "delete failed" \
	"$(jq -r '.results[0] | "\(.action) \(.outcome)"' "$FX_TMP/d1.out" 2>/dev/null)"
assert_contains "404 (not Connect's) on delete: names the answer" "$FX_TMP/d1.out" "HTTP 404: 404 Not Found"
assert_eq "404 (not Connect's) on delete: the connector is still there" fluxa_${F1} "$(ours)"
within "404 (not Connect's) on delete: gave up within the retry budget" $((3000 + TO * 1000 + 3000))
echo "  .. 404 html on delete: exit $RC in ${MS} ms: $(jq -r '.results[0].error' "$FX_TMP/d1.out" 2>/dev/null)"
stop_srv
reset_ours

finish
