#!/usr/bin/env bash
# fluxacdc apply under faults, with real components:
#   (1) a connector whose task FAILS (a database user without RELOAD/LOCK
#       TABLES, set through the pool's connector: override): exit 5 after an
#       earlier create, exit 1 alone; the trace shown, the password never;
#   (2) the Connect worker killed -9 in the middle of an apply and restarted:
#       a second apply converges with no duplicate and no error;
#   (3) a second Connect worker joining the group during an apply (a real
#       rebalance), the apply's writes answered 409 by a proxy that speaks
#       Connect's own rebalance messages: the apply retries through them;
#   (4) SIGINT during an apply: the write in flight finishes, exit 130, the
#       output says what was applied.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/apply_lib.sh"

R=$FX_RUN # names of this run's own (lib.sh)
NG_PW="SENTINEL-faults-$$-pw"
export APPLYTEST_NG_PW="$NG_PW"
M="$FX_TMP/m.yaml"
PROXY_PID=
CONNECT2_WAS_UP=0
curl -fsS -m 3 -o /dev/null "$FLUXACDC_CONNECT2_URL/" 2>/dev/null && CONNECT2_WAS_UP=1
cleanup() {
	[ -n "$PROXY_PID" ] && kill "$PROXY_PID" 2>/dev/null
	applytest_cleanup
	if [ "$CONNECT2_WAS_UP" = 0 ]; then "$STACK" stop-connect2 >/dev/null 2>&1; fi
}
trap cleanup EXIT
applytest_cleanup
wait_cluster_ours
create_nogrant_user "$NG_PW"
BADCFG="{database.user: $NOGRANT_USER, database.password: \"\${APPLYTEST_NG_PW}\"}"

# ---- (1) a task that fails -------------------------------------------------
G=applytest_g$R
H=applytest_h$R
write_manifest "$M" "$FLUXACDC_CONNECT_URL" "$G:7631" "$H:7632:$BADCFG" -- UserEntity:$G UserEntity:$H
run_fx "$FX_TMP/1" apply -f "$M" --auto-approve --wait 90
assert_eq "(1) good create then a FAILED task: exit 5" 5 "$RC"
assert_match "(1) the good one: applied, RUNNING" "$FX_TMP/1.out" "fluxa_$G +create +applied +RUNNING"
assert_match "(1) the bad one: failed" "$FX_TMP/1.out" "fluxa_$H +create +failed +FAILED"
assert_contains "(1) the write landed: said" "$FX_TMP/1.out" "(the write landed)"
assert_contains "(1) its trace is shown" "$FX_TMP/1.out" "      | "
assert_contains "(1) stderr names what was applied and what failed" "$FX_TMP/1.err" \
	"applied: fluxa_$G; failed: fluxa_$H"
assert_not_contains "(1) password not on stdout" "$FX_TMP/1.out" "$NG_PW"
assert_not_contains "(1) password not on stderr" "$FX_TMP/1.err" "$NG_PW"
# alone (the good one already there): nothing applied and an error -> 1
curl -sS -o /dev/null -X DELETE "$FLUXACDC_CONNECT_URL/connectors/fluxa_$H"
gone_from_connect() { [ "$(curl -s -o /dev/null -w '%{http_code}' "$FLUXACDC_CONNECT_URL/connectors/$1")" = 404 ]; }
wait_until 60 gone_from_connect "fluxa_$H" || fail "(1) fluxa_$H still there after its DELETE"
# under a name of its own: Connect keeps the deleted one's offsets (Debezium
# 3.2 stores some before the task fails), and a create over them is refused
H=${H}b
write_manifest "$M" "$FLUXACDC_CONNECT_URL" "$G:7631" "$H:7633:$BADCFG" -- UserEntity:$G UserEntity:$H
run_fx "$FX_TMP/1b" apply -f "$M" --auto-approve --wait 90 --format json
assert_eq "(1) only the failing alter: exit 1" 1 "$RC"
assert_eq "(1) JSON: failed, written, FAILED" "failed true FAILED" \
	"$(jq -r '.status + " " + (.results[0].written|tostring) + " " + .results[0].state' "$FX_TMP/1b.out")"
assert_eq "(1) JSON carries the trace" true "$(jq '.results[0].trace | length > 0' "$FX_TMP/1b.out")"
assert_not_contains "(1) password not in JSON" "$FX_TMP/1b.out" "$NG_PW"
python3 "$FLUXACDC_ROOT/tests/schema/validate.py" apply-result.schema.json "$FX_TMP/1b.out" &&
	ok "(1) JSON matches apply-result.schema.json" || fail "(1) schema"
applytest_cleanup

# ---- (2) the worker killed -9 mid-apply ------------------------------------
K1=applytest_k$R
K2=applytest_l$R
write_manifest "$M" "$FLUXACDC_CONNECT_URL" "$K1:7641" "$K2:7642" -- UserEntity:$K1 UserEntity:$K2
"$FLUXACDC" apply -f "$M" --auto-approve --wait 120 -v >"$FX_TMP/2.out" 2>"$FX_TMP/2.err" &
apid=$!
# the kill comes after the first create landed: wait for it (the plan before
# it takes a while on a busy machine), however long, not a fixed time; but
# kill at once when it has (a 50 ms poll): a Debezium 3.5 task killed later,
# some way into its start, was seen (once, under heavy load) to store an
# offset it could not start from again ("Source offset 'file' parameter is
# missing"), and the second apply then found it FAILED
on_connect() { curl -fsS -m 2 -o /dev/null "$FLUXACDC_CONNECT_URL/connectors/$1" 2>/dev/null; }
deadline=$((SECONDS + 120))
until on_connect "fluxa_$K1"; do
	[ $SECONDS -lt $deadline ] || { fail "(2) the apply never created fluxa_$K1"; break; }
	sleep 0.05
done
"$STACK" restart-connect >/dev/null 2>&1 && ok "(2) worker killed -9 after the first POST, restarted" ||
	fail "(2) restart-connect"
wait "$apid"
RC=$?
case $RC in 0 | 1 | 5) ok "(2) the interrupted apply ended by itself (exit $RC)" ;;
*) fail "(2) the interrupted apply: exit $RC"; tail -20 "$FX_TMP/2.err" ;; esac
grep -E 'retrying|outcome unknown' "$FX_TMP/2.err" | head -3 | sed 's/^/  .. /'
run_fx "$FX_TMP/2b" apply -f "$M" --auto-approve --wait 120
assert_eq "(2) a second apply converges: exit 0" 0 "$RC"
assert_not_contains "(2) with no error" "$FX_TMP/2b.err" "error"
assert_eq "(2) no duplicate: exactly our two connectors" "fluxa_$K1 fluxa_$K2" "$(applytest_connectors | sort | xargs)"
wait_state "fluxa_$K1" RUNNING,RUNNING 60 && wait_state "fluxa_$K2" RUNNING,RUNNING 60 &&
	ok "(2) both RUNNING" || fail "(2) both RUNNING: $(connector_state "fluxa_$K1") $(connector_state "fluxa_$K2")"
run_fx "$FX_TMP/2c" apply -f "$M" --auto-approve
assert_contains "(2) and then nothing to do" "$FX_TMP/2c.out" "0 to create, 0 to update, 0 to delete, 2 unchanged"
applytest_cleanup

# ---- (3) a rebalance: a second worker joins during the apply ----------------
B1=applytest_b$R
B2=applytest_c$R
python3 "$FLUXACDC_ROOT/tests/integration/connect_409_proxy.py" "$FX_TMP/proxy.port" \
	"$FLUXACDC_CONNECT_URL" 3 "$FX_TMP/proxy.count" &
PROXY_PID=$!
wait_until 30 test -s "$FX_TMP/proxy.port" || fail "the 409 proxy did not start"
PROXY_URL="http://127.0.0.1:$(cat "$FX_TMP/proxy.port")"
write_manifest "$M" "$PROXY_URL" "$B1:7651" "$B2:7652" -- UserEntity:$B1 UserEntity:$B2
[ "$CONNECT2_WAS_UP" = 1 ] && "$STACK" stop-connect2 >/dev/null 2>&1
"$STACK" start-connect2 >"$FX_TMP/c2.log" 2>&1 &
c2pid=$!
# the second JVM is up and joining the group (its REST port listens)
c2_listens() { (exec 3<>/dev/tcp/127.0.0.1/"${FLUXACDC_CONNECT2_URL##*:}") 2>/dev/null; }
wait_until 120 c2_listens || fail "(3) the second worker never listened"
run_fx "$FX_TMP/3" apply -f "$M" --auto-approve --wait 120 -v
assert_eq "(3) apply through the rebalance: exit 0" 0 "$RC"
wait "$c2pid" && ok "(3) the second worker joined the group" || fail "(3) connect2 did not start: $(tail -3 "$FX_TMP/c2.log")"
assert_eq "(3) 409s answered to the apply's writes" 3 "$(cat "$FX_TMP/proxy.count")"
assert_eq "(3) each 409 was retried" 3 "$(grep -c 'retrying in .*HTTP 409' "$FX_TMP/3.err")"
assert_not_contains "(3) never 'already exists' retried" "$FX_TMP/3.err" "already exists"
assert_eq "(3) each connector created once" 2 "$(grep -c 'POST .*/connectors -> 201' "$FX_TMP/3.err")"
wait_state "fluxa_$B1" RUNNING,RUNNING 60 && wait_state "fluxa_$B2" RUNNING,RUNNING 60 &&
	ok "(3) both RUNNING after the rebalance" || fail "(3) RUNNING: $(connector_state "fluxa_$B1") $(connector_state "fluxa_$B2")"
echo "  .. Connect's own answers during the rebalance: $(grep -oE -- '-> [0-9]{3}' "$FX_TMP/3.err" | sort | uniq -c | xargs)"
kill "$PROXY_PID" 2>/dev/null
PROXY_PID=
applytest_cleanup

# ---- (4) SIGINT during the wait ----------------------------------------------
S=applytest_i$R
write_manifest "$M" "$FLUXACDC_CONNECT_URL" "$S:7661" -- UserEntity:$S
"$FLUXACDC" apply -f "$M" --auto-approve --wait 60 >"$FX_TMP/4.out" 2>"$FX_TMP/4.err" &
apid=$!
# SIGINT once the create landed (apply then reads it back and waits for
# RUNNING): however long the plan before it takes, not a fixed time
wait_until 120 on_connect "fluxa_$S" || fail "(4) the apply never created fluxa_$S"
kill -INT "$apid"
wait "$apid"
RC=$?
assert_eq "(4) SIGINT: exit 130" 130 "$RC"
assert_match "(4) says the create was applied" "$FX_TMP/4.out" "fluxa_$S +create +applied"
assert_contains "(4) says it was interrupted" "$FX_TMP/4.err" "apply interrupted (exit 130): applied: fluxa_$S"
assert_eq "(4) the connector is there" 200 "$(curl -s -o /dev/null -w '%{http_code}' "$FLUXACDC_CONNECT_URL/connectors/fluxa_$S")"

finish
