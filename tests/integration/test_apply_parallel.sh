#!/usr/bin/env bash
# apply --parallelism: alters under way at once, their waits overlapping, with
# SPEC §4's guarantees kept.
#  (1) six creates, three at a time, the third one's task FAILS: the others
#      under way are followed to their end and reported, none starts after
#      the failure is seen, the rest are "not attempted", exit 5.
#  (2) a plan that deletes two and creates two: every DELETE is answered
#      before the first create's POST (Connect's own access log, in order).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/apply_lib.sh"

R=$FX_RUN # names of this run's own (lib.sh)
M="$FX_TMP/m.yaml"
NG_PW="parallel-ng-$R"
export APPLYTEST_NG_PW="$NG_PW"
trap applytest_cleanup EXIT
applytest_cleanup
wait_cluster_ours
create_nogrant_user "$NG_PW"
BADCFG="{database.user: $NOGRANT_USER, database.password: \"\${APPLYTEST_NG_PW}\"}"
ours() { applytest_connectors | sort | tr '\n' ' ' | sed 's/ $//'; }

# ---- (1) a failure in the middle of a parallel apply ------------------------
# six_creates SUFFIX: a manifest of six new connectors applytest_p{1..6}xSUFFIX, the third failing
six_creates() {
	local i p pools=() ents=()
	for i in 1 2 3 4 5 6; do
		p=applytest_p${i}x$1
		if [ $i = 3 ]; then pools+=("$p:$((7660 + i)):$BADCFG"); else pools+=("$p:$((7660 + i))"); fi
		ents+=("UserEntity:$p")
	done
	write_manifest "$M" "$FLUXACDC_CONNECT_URL" "${pools[@]}" -- "${ents[@]}"
	sed -i '/server_id:/a\    snapshot_new_tables: false' "$M"
}
six_creates "$R"
run_fx "$FX_TMP/1" apply -f "$M" --auto-approve --skip-db-checks --parallelism 3 --wait 90 --format json
assert_eq "(1) a failed task among six creates: partial, exit 5" 5 "$RC"
python3 "$FLUXACDC_ROOT/tests/schema/validate.py" apply-result.schema.json "$FX_TMP/1.out" &&
	ok "(1) JSON matches apply-result.schema.json" || fail "(1) JSON schema"
outcomes=$(jq -r '[.results[] | "\(.connector | sub("fluxa_applytest_p"; "") | sub("x[0-9]+$"; ""))=\(.outcome)"] | join(" ")' "$FX_TMP/1.out")
echo "  .. outcomes: $outcomes"
assert_eq "(1) the third failed" failed "$(jq -r '.results[2].outcome' "$FX_TMP/1.out")"
assert_eq "(1) its task is FAILED" FAILED "$(jq -r '.results[2].state' "$FX_TMP/1.out")"
# under way together with it: the first two (parallelism 3) were followed to RUNNING
assert_eq "(1) those under way with it finished and are reported applied" "applied applied" \
	"$(jq -r '[.results[0,1].outcome] | join(" ")' "$FX_TMP/1.out")"
# every alter is over or never started; what never started is a suffix in plan order
assert_eq "(1) every result is applied, failed or skipped, the skipped last" 1 \
	"$(jq '[.results[].outcome] | . as $o | (map(select(. == "skipped")) | length) as $k
	       | if $k == 0 then 1 else ([$o[-$k:][] | select(. == "skipped")] | length == $k | if . then 1 else 0 end) end' "$FX_TMP/1.out")"
# what Connect holds is exactly what was written: applied and failed, none of the skipped
want=$(jq -r '[.results[] | select(.written) | .connector] | sort | join(" ")' "$FX_TMP/1.out")
assert_eq "(1) on Connect: exactly the alters that were written" "$want" "$(ours)"
# none started after the failure was seen: the -v progress lines, in order
applytest_cleanup
for _ in $(seq 120); do [ -z "$(ours)" ] && break; sleep 0.5; done
# new names: Connect keeps the deleted connectors' offsets once it has flushed
# them, and apply refuses to create a name over them (connect.offsets)
six_creates "${R}v"
run_fx "$FX_TMP/1v" apply -f "$M" --auto-approve --skip-db-checks --parallelism 3 --wait 90
assert_eq "(1v) again, with progress lines: exit 5" 5 "$RC"
first_fail=$(grep -n "^fluxacdc: fluxa_applytest_p3x${R}v: failed" "$FX_TMP/1v.err" | head -1 | cut -d: -f1)
last_start=$(grep -n "^fluxacdc: create fluxa_" "$FX_TMP/1v.err" | tail -1 | cut -d: -f1)
if [ -n "$first_fail" ] && [ -n "$last_start" ] && [ "$last_start" -lt "$first_fail" ]; then
	ok "(1v) no create started after the failure was seen (last start line $last_start, failure line $first_fail)"
else
	fail "(1v) a create started after the failure (last start line ${last_start:-?}, failure line ${first_fail:-?})"
	sed 's/^/    | /' "$FX_TMP/1v.err" | head -30
fi
# each alter either started (a start line) or is reported not attempted, never both
started=$(grep -c "^fluxacdc: create fluxa_" "$FX_TMP/1v.err")
skipped=$(grep -c "not attempted$" "$FX_TMP/1v.out")
assert_eq "(1v) alters started + not attempted = all six ($started + $skipped)" 6 "$((started + skipped))"
applytest_cleanup
for _ in $(seq 120); do [ -z "$(ours)" ] && break; sleep 0.5; done

# ---- (2) deletes answered before any create starts --------------------------
D1=applytest_d1x$R D2=applytest_d2x$R C1=applytest_c1x$R C2=applytest_c2x$R
write_manifest "$M" "$FLUXACDC_CONNECT_URL" "$D1:7671" "$D2:7672" -- UserEntity:$D1 UserEntity:$D2
sed -i '/server_id:/a\    snapshot_new_tables: false' "$M"
run_fx "$FX_TMP/2a" apply -f "$M" --auto-approve --skip-db-checks --no-wait
assert_eq "(2) two connectors to delete later: created" 0 "$RC"
write_manifest "$M" "$FLUXACDC_CONNECT_URL" "$C1:7673" "$C2:7674" -- UserEntity:$C1 UserEntity:$C2
sed -i '/server_id:/a\    snapshot_new_tables: false' "$M"
from=$(wc -l < "$STACK_LOGS/connect.log")
run_fx "$FX_TMP/2" apply -f "$M" --auto-approve --allow-destroy --skip-db-checks --parallelism 4 --wait 90
assert_eq "(2) two deletes and two creates: exit 0" 0 "$RC"
tail -n +"$((from + 1))" "$STACK_LOGS/connect.log" | grep '"fluxacdc/' |
	grep -nE '"(DELETE|POST) /connectors(/fluxa_applytest_d[12]x[0-9]+)? HTTP' > "$FX_TMP/2.order"
last_delete=$(grep '"DELETE' "$FX_TMP/2.order" | tail -1 | cut -d: -f1)
first_post=$(grep '"POST' "$FX_TMP/2.order" | head -1 | cut -d: -f1)
assert_eq "(2) Connect answered two DELETEs and two POSTs" "2 2" \
	"$(grep -c '"DELETE' "$FX_TMP/2.order") $(grep -c '"POST' "$FX_TMP/2.order")"
if [ -n "$last_delete" ] && [ -n "$first_post" ] && [ "$last_delete" -lt "$first_post" ]; then
	ok "(2) every DELETE was answered before the first POST (Connect's log)"
else
	fail "(2) a create was sent before the deletes were over"; sed 's/^/    | /' "$FX_TMP/2.order"
fi
assert_eq "(2) on Connect: the two creates" "fluxa_$C1 fluxa_$C2" "$(ours)"
finish
