#!/usr/bin/env bash
# fluxacdc apply against the real local stack: the approval guard, a create
# that waits for RUNNING, a second apply that is a no-op (proved by the worker
# never restarting the task), an update through a plan file, a stale plan
# file, and a delete that needs --allow-destroy.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/apply_lib.sh"

R=$FX_RUN # names of this run's own (lib.sh)
P=applytest_a$R
C=fluxa_$P
M="$FX_TMP/m.yaml"
trap applytest_cleanup EXIT
applytest_cleanup
wait_cluster_ours

manifest() { write_manifest "$M" "$FLUXACDC_CONNECT_URL" "$P:7611${1:+:$1}" -- "${@:2}"; }
manifest "" UserEntity:$P

# (1) no TTY and no --auto-approve: refused, nothing written
run_fx "$FX_TMP/1" apply -f "$M" </dev/null
assert_eq "(1) no TTY, no --auto-approve: exit 3" 3 "$RC"
assert_contains "(1) the plan is printed first" "$FX_TMP/1.out" "+ $C"
assert_contains "(1) says how to approve" "$FX_TMP/1.err" "--auto-approve"
assert_eq "(1) nothing created" 404 "$(curl -s -o /dev/null -w '%{http_code}' "${FLUXACDC_CONNECT_URL}/connectors/$C")"

# (1b) on a terminal, anything but the exact word yes: refused, nothing written
# (the answer once the question is out; 120 s at most)
{ wait_until 120 grep -q "Enter a value" "$FX_TMP/1b.out"; echo y; } |
	script -qec "'$FLUXACDC' apply -f '$M'" /dev/null >"$FX_TMP/1b.out" 2>&1
RC=$?
assert_eq "(1b) TTY answered 'y': exit 3" 3 "$RC"
assert_contains "(1b) asked for yes" "$FX_TMP/1b.out" "Only 'yes' will be accepted"
assert_eq "(1b) nothing created" 404 "$(curl -s -o /dev/null -w '%{http_code}' "${FLUXACDC_CONNECT_URL}/connectors/$C")"

# (2) create and wait for RUNNING
t0=$(date +%s.%N)
run_fx "$FX_TMP/2" apply -f "$M" --auto-approve -v
took=$(secs_since "$t0")
assert_eq "(2) create: exit 0" 0 "$RC"
assert_contains "(2) result line: applied, RUNNING" "$FX_TMP/2.out" "create  applied     RUNNING"
assert_eq "(2) connector and task RUNNING" RUNNING,RUNNING "$(connector_state "$C")"
assert_contains "(2) one POST" "$FX_TMP/2.err" "POST ${FLUXACDC_CONNECT_URL}/connectors -> 201"
requests=$(sed -n 's/.*fluxacdc: \([0-9]*\) requests to .*/\1/p' "$FX_TMP/2.err")
echo "  .. apply (plan + create + wait for RUNNING) took ${took} s, ${requests} requests to Connect"
assert_not_contains "(2) no password on stderr" "$FX_TMP/2.err" "$APPLYTEST_PW"
assert_not_contains "(2) no password on stdout" "$FX_TMP/2.out" "$APPLYTEST_PW"

# (2b) a second pool: one create, and the summary counts the untouched one
# as the plan did (it said "0 unchanged")
write_manifest "$M" "$FLUXACDC_CONNECT_URL" "$P:7611" "${P}q:7612" -- UserEntity:$P OrderEntity:${P}q
run_fx "$FX_TMP/2b" apply -f "$M" --auto-approve
assert_eq "(2b) create beside an unchanged one: exit 0" 0 "$RC"
assert_contains "(2b) the plan says 1 unchanged" "$FX_TMP/2b.out" "1 to create, 0 to update, 0 to delete, 1 unchanged"
assert_contains "(2b) so does the apply summary" "$FX_TMP/2b.out" "1 applied, 1 unchanged, 0 failed"
connect_curl DELETE "/connectors/${C}q" >/dev/null
manifest "" UserEntity:$P

# (3) the same manifest again: no write at all, the task is not restarted
starts=$(task_starts "$C")
worker=$(connect_curl GET "/connectors/$C/status" | jq -r '.tasks[0].worker_id')
run_fx "$FX_TMP/3" apply -f "$M" --auto-approve -v --format json
assert_eq "(3) no-op: exit 0" 0 "$RC"
assert_eq "(3) status no-changes" no-changes "$(jq -r .status "$FX_TMP/3.out")"
assert_eq "(3) the connector is listed unchanged" "$C" "$(jq -r '.unchanged[0]' "$FX_TMP/3.out")"
assert_eq "(3) the summary counts it unchanged" 1 "$(jq -r '.summary.unchanged' "$FX_TMP/3.out")"
if grep -qE '(PUT|POST|DELETE) .*/connectors' "$FX_TMP/3.err"; then
	fail "(3) a write was sent"; grep -E '(PUT|POST|DELETE)' "$FX_TMP/3.err"
else
	ok "(3) only reads were sent (no PUT/POST/DELETE)"
fi
sleep 3
assert_eq "(3) the worker log shows no task restart" "$starts" "$(task_starts "$C")"
assert_eq "(3) the task kept its worker and state" "$worker RUNNING" \
	"$(connect_curl GET "/connectors/$C/status" | jq -r '"\(.tasks[0].worker_id) \(.tasks[0].state)"')"
python3 "$FLUXACDC_ROOT/tests/schema/validate.py" apply-result.schema.json "$FX_TMP/3.out" &&
	ok "(3) JSON matches apply-result.schema.json" || fail "(3) schema"

# (4) a table added: plan --out, apply FILE (no prompt), one PUT, RUNNING again
manifest "" UserEntity:$P OrderEntity:$P
run_fx "$FX_TMP/4p" plan -f "$M" --out "$FX_TMP/plan4.json"
assert_eq "(4) plan --out: exit 0" 0 "$RC"
run_fx "$FX_TMP/4" apply "$FX_TMP/plan4.json" --format json --no-snapshot -v </dev/null
assert_eq "(4) apply FILE without a TTY: exit 0" 0 "$RC"
assert_eq "(4) --no-snapshot: the added table's backfill is skipped" "skipped fluxa.OrderEntity" \
	"$(jq -r '.results[0].snapshot | "\(.status) \(.tables | join(","))"' "$FX_TMP/4.out")"
assert_eq "(4) one update applied" "update applied RUNNING" \
	"$(jq -r '.results[] | "\(.action) \(.outcome) \(.state)"' "$FX_TMP/4.out")"
assert_eq "(4) the live config has both tables" 'fluxa\.OrderEntity,fluxa\.UserEntity' \
	"$(connect_curl GET "/connectors/$C/config" | jq -r '."table.include.list"')"
assert_eq "(4) exactly one PUT" 1 "$(grep -c "PUT ${FLUXACDC_CONNECT_URL}/connectors/$C/config" "$FX_TMP/4.err")"
assert_eq "(4) the update restarted the task (the log measure works)" 1 \
	"$([ "$(task_starts "$C")" -gt "$starts" ] && echo 1 || echo 0)"
python3 "$FLUXACDC_ROOT/tests/schema/validate.py" apply-result.schema.json "$FX_TMP/4.out" &&
	ok "(4) JSON matches apply-result.schema.json" || fail "(4) schema"

# (4b) on a terminal: yes, then a progress line (connector, state, elapsed) while waiting
manifest "{poll.interval.ms: \"500\"}" UserEntity:$P OrderEntity:$P
{ wait_until 120 grep -q "Enter a value" "$FX_TMP/4b.out"; echo yes; } |
	script -qec "'$FLUXACDC' apply -f '$M' --color never" /dev/null >"$FX_TMP/4b.out" 2>&1
RC=$?
assert_eq "(4b) TTY answered yes: exit 0" 0 "$RC"
assert_contains "(4b) progress names the connector, its state and the time" "$FX_TMP/4b.out" "update $C: RUNNING; task 0"
assert_contains "(4b) progress rewrites one line" "$FX_TMP/4b.out" $'\r\033[K'
assert_match "(4b) result line" "$FX_TMP/4b.out" "$C +update +applied +RUNNING"

# (5) stale plan: planned, then changed with curl behind fluxacdc's back -> 4, nothing changed
manifest "{snapshot.mode: no_data}" UserEntity:$P OrderEntity:$P
run_fx "$FX_TMP/5p" plan -f "$M" --out "$FX_TMP/plan5.json"
cfg=$(connect_curl GET "/connectors/$C/config" | jq -c '. + {"poll.interval.ms": "999"}')
starts=$(task_starts "$C")
connect_curl PUT "/connectors/$C/config" "$cfg" >/dev/null
for i in $(seq 1 60); do [ "$(task_starts "$C")" -gt "$starts" ] && break; sleep 0.5; done
wait_state "$C" RUNNING,RUNNING 60
starts=$(task_starts "$C")
run_fx "$FX_TMP/5" apply "$FX_TMP/plan5.json" </dev/null
assert_eq "(5) stale plan file: exit 4" 4 "$RC"
assert_contains "(5) names the connector that drifted" "$FX_TMP/5.err" "connector '$C'"
assert_contains "(5) names the key that drifted" "$FX_TMP/5.err" "key poll.interval.ms (changed)"
assert_contains "(5) says nothing was applied" "$FX_TMP/5.err" "nothing applied"
assert_eq "(5) the hand-made change is still there" 999 \
	"$(connect_curl GET "/connectors/$C/config" | jq -r '."poll.interval.ms"')"
assert_eq "(5) nothing written: no restart" "$starts" "$(task_starts "$C")"
# ... and a manifest edited after the plan
run_fx "$FX_TMP/5q" plan -f "$M" --out "$FX_TMP/plan5b.json"
manifest "{snapshot.mode: initial}" UserEntity:$P OrderEntity:$P
run_fx "$FX_TMP/5b" apply "$FX_TMP/plan5b.json" </dev/null
assert_eq "(5) manifest changed after the plan: exit 4" 4 "$RC"
assert_contains "(5) names the manifest" "$FX_TMP/5b.err" "manifest"
# ... and a secret changed after the plan, which also fails the database
# check: stale first (exit 4, naming the key, no value), not "check errors"
run_fx "$FX_TMP/5r" plan -f "$M" --out "$FX_TMP/plan5c.json"
APPLYTEST_PW=not-the-password-5c run_fx "$FX_TMP/5c" apply "$FX_TMP/plan5c.json" </dev/null
assert_eq "(5c) secret changed since the plan, checks fail too: exit 4" 4 "$RC"
assert_contains "(5c) names the sensitive key" "$FX_TMP/5c.err" "key database.password (sensitive, changed)"
assert_not_contains "(5c) no value of it" "$FX_TMP/5c.err" "not-the-password-5c"
assert_not_contains "(5c) not reported as check errors" "$FX_TMP/5c.err" "check error"

# (6) the pool loses its entities: delete refused without --allow-destroy, then done
manifest ""
run_fx "$FX_TMP/6p" plan -f "$M" --out "$FX_TMP/plan6.json"
assert_contains "(6) plan --out: the apply line has --allow-destroy" "$FX_TMP/6p.err" \
	"apply it with: fluxacdc apply --allow-destroy $FX_TMP/plan6.json"
run_fx "$FX_TMP/6" apply -f "$M" --auto-approve
assert_eq "(6) delete without --allow-destroy: exit 3" 3 "$RC"
assert_contains "(6) the whole plan is printed" "$FX_TMP/6.out" "- $C"
assert_contains "(6) says --allow-destroy" "$FX_TMP/6.err" "--allow-destroy"
assert_eq "(6) still there" RUNNING "$(connector_state "$C" | cut -d, -f1)"
run_fx "$FX_TMP/6b" apply -f "$M" --auto-approve --allow-destroy
assert_eq "(6) with --allow-destroy: exit 0" 0 "$RC"
assert_contains "(6) result line: deleted" "$FX_TMP/6b.out" "delete  applied     deleted"
assert_eq "(6) gone" 404 "$(curl -s -o /dev/null -w '%{http_code}' "${FLUXACDC_CONNECT_URL}/connectors/$C")"
run_fx "$FX_TMP/6c" apply -f "$M" --auto-approve --allow-destroy
assert_eq "(6) again: nothing to do, exit 0" 0 "$RC"

finish
