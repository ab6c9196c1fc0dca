#!/usr/bin/env bash
# fluxacdc status against the real local stack: a RUNNING connector, an
# orphan (managed, not in the manifest), a connector whose task FAILED (a
# database user without RELOAD/LOCK TABLES: Connect validates the login, the
# Debezium snapshot then fails), and one the manifest wants that is absent.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/apply_lib.sh"

R=$FX_RUN # names of this run's own (lib.sh)
OK=applytest_s$R
BAD=applytest_f$R
ABS=applytest_x$R
ORPH=fluxa_applytest_o$R
NG_PW="SENTINEL-status-$$-pw"
export APPLYTEST_NG_PW="$NG_PW"
M="$FX_TMP/m.yaml"
trap applytest_cleanup EXIT
applytest_cleanup
wait_cluster_ours
create_nogrant_user "$NG_PW"

write_manifest "$M" "$FLUXACDC_CONNECT_URL" "$OK:7621" \
	"$BAD:7622:{database.user: $NOGRANT_USER, database.password: \"\${APPLYTEST_NG_PW}\"}" \
	"$ABS:7623" -- UserEntity:$OK UserEntity:$BAD UserEntity:$ABS

connect_lists() { connect_curl GET /connectors | jq -e --arg n "$1" 'index($n)' >/dev/null; }
# Register fluxa_<pool> exactly as rendered, by hand (status does not care who).
register() { # POOL [NAME SERVER_ID]
	"$FLUXACDC" render -f "$M" --show-secrets --connector "fluxa_$1" 2>/dev/null |
		jq -c --arg n "${2:-fluxa_$1}" --arg sid "${3:-}" \
			'.[0] | .name = $n | .config["topic.prefix"] = $n |
			 if $sid != "" then .config["database.server.id"] = $sid else . end' >"$FX_TMP/c.json"
	connect_write POST /connectors "$(cat "$FX_TMP/c.json")" >/dev/null
	# Connect lists a new connector once its herder has read the config back
	wait_until 60 connect_lists "${2:-fluxa_$1}"
}

# (1) one RUNNING, the others absent
register "$OK"
wait_state "fluxa_$OK" RUNNING,RUNNING 60 || fail "(1) fluxa_$OK did not start"
run_fx "$FX_TMP/1" status -f "$M" --format json
assert_eq "(1) RUNNING and absent only: exit 0" 0 "$RC"
assert_eq "(1) RUNNING with its task and worker" "RUNNING 0 RUNNING true" \
	"$(jq -r ".clusters[0].connectors[] | select(.name==\"fluxa_$OK\") | \"\(.state) \(.tasks[0].id) \(.tasks[0].state) \(.tasks[0].worker_id != null)\"" "$FX_TMP/1.out")"
assert_eq "(1) wanted by the manifest" true "$(jq -r ".clusters[0].connectors[] | select(.name==\"fluxa_$OK\") | .wanted" "$FX_TMP/1.out")"
assert_eq "(1) absent ones flagged" "ABSENT false true" \
	"$(jq -r ".clusters[0].connectors[] | select(.name==\"fluxa_$ABS\") | \"\(.state) \(.present) \(.wanted)\"" "$FX_TMP/1.out")"
python3 "$FLUXACDC_ROOT/tests/schema/validate.py" status.schema.json "$FX_TMP/1.out" &&
	ok "(1) JSON matches status.schema.json" || fail "(1) JSON does not match status.schema.json"

# (2) an orphan: managed name, no pool wants it
register "$OK" "$ORPH" 7624
run_fx "$FX_TMP/2" status -f "$M"
assert_eq "(2) an orphan alone does not fail: exit 0" 0 "$RC"
assert_contains "(2) orphan flagged in text" "$FX_TMP/2.out" "ORPHAN"
assert_contains "(2) the orphan is named" "$FX_TMP/2.out" "$ORPH"
cv=$(connect_curl GET / | jq -r .version)
dv=$(connect_curl GET /connector-plugins | jq -r '[.[]|select(.class|startswith("io.debezium."))|"\(.class|split(".")|last) \(.version)"]|join(", ")')
assert_contains "(2) names the Connect and Debezium versions" "$FX_TMP/2.out" "version $cv; Debezium plugins: $dv)"
run_fx "$FX_TMP/2j" status -f "$M" --format json
assert_eq "(2) orphan in JSON" "true false" \
	"$(jq -r ".clusters[0].connectors[] | select(.name==\"$ORPH\") | \"\(.orphan) \(.wanted)\"" "$FX_TMP/2j.out")"
assert_eq "(2) summary counts the orphan" 1 "$(jq -r .summary.orphans "$FX_TMP/2j.out")"
assert_eq "(2) versions in JSON" "$cv $dv" "$(jq -r '.clusters[0] | "\(.version) \(.debezium_plugins)"' "$FX_TMP/2j.out")"
python3 "$FLUXACDC_ROOT/tests/schema/validate.py" status.schema.json "$FX_TMP/2j.out" &&
	ok "(2) JSON matches status.schema.json" || fail "(2) JSON does not match status.schema.json"

# (3) a FAILED task: exit 1, its trace head shown, the password never
register "$BAD"
for i in $(seq 1 120); do
	case $(connector_state "fluxa_$BAD") in *FAILED*) break ;; esac
	sleep 0.5
done
assert_contains "(3) the task did fail" <(connector_state "fluxa_$BAD") FAILED
run_fx "$FX_TMP/3" status -f "$M"
assert_eq "(3) a FAILED task: exit 1" 1 "$RC"
assert_contains "(3) task state FAILED shown" "$FX_TMP/3.out" "FAILED"
assert_contains "(3) trace head shown" "$FX_TMP/3.out" "      | "
assert_contains "(3) the trace says why" "$FX_TMP/3.out" "Exception"
[ "$(grep -c '      | ' "$FX_TMP/3.out")" -le 15 ] && ok "(3) only the first lines of the trace" || fail "(3) whole trace printed"
assert_not_contains "(3) password not on stdout" "$FX_TMP/3.out" "$NG_PW"
assert_not_contains "(3) password not on stderr" "$FX_TMP/3.err" "$NG_PW"
run_fx "$FX_TMP/3j" status -f "$M" --format json
assert_eq "(3) JSON: exit 1" 1 "$RC"
assert_eq "(3) JSON summary (the orphan runs too)" "1 2 false" "$(jq -r '"\(.summary.failed) \(.summary.running) \(.healthy)"' "$FX_TMP/3j.out")"
assert_not_contains "(3) password not in JSON" "$FX_TMP/3j.out" "$NG_PW"
python3 "$FLUXACDC_ROOT/tests/schema/validate.py" status.schema.json "$FX_TMP/3j.out" &&
	ok "(3) JSON matches status.schema.json" || fail "(3) JSON does not match status.schema.json"
run_fx "$FX_TMP/3c" status -f "$M" --connector "fluxa_$OK"
assert_eq "(3) --connector on the healthy one: exit 0" 0 "$RC"

# (4) an unreachable cluster fails status
write_manifest "$FX_TMP/dead.yaml" "http://127.0.0.1:1" "$OK:7621" -- UserEntity:$OK
run_fx "$FX_TMP/4" status -f "$FX_TMP/dead.yaml" --timeout 2
assert_eq "(4) unreachable Connect: exit 1" 1 "$RC"
assert_contains "(4) says so" "$FX_TMP/4.out" "UNREACHABLE"

finish
