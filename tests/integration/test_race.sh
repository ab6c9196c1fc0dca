#!/usr/bin/env bash
# Two deploys at once never lose an update silently (fluxacdc(1), CONCURRENT
# APPLIES).  Connector fluxa_applytest_race captures RaceT1; two plans are
# made from the same live state, one adding RaceT2, the other RaceT3, and
# both plan files are applied at the same moment.  Whatever the interleaving
# (one apply stopped by its plan-file check, by its re-read just before the
# write, or by its read-back after it), exactly one wins: it exits 0 and its
# table is live; the other exits 4 (stale) or 1 (lost update) and says which
# connector and key moved.  Never both 0.  Ten rounds.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/apply_lib.sh"

P=applytest_race$FX_RUN # a name of its own (lib.sh): Connect keeps a deleted one's offsets
C=fluxa_$P
ROUNDS=${RACE_ROUNDS:-10}
trap applytest_cleanup EXIT
applytest_cleanup
wait_cluster_ours
sql_admin "CREATE TABLE IF NOT EXISTS ${FLUXACDC_MYSQL_DATABASE}.RaceT1 (ID BIGINT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS ${FLUXACDC_MYSQL_DATABASE}.RaceT2 (ID BIGINT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS ${FLUXACDC_MYSQL_DATABASE}.RaceT3 (ID BIGINT PRIMARY KEY);" >/dev/null

# no initial rows to read, and no backfill of the added table: the race is the point
manifest() {
	write_manifest "$1" "$FLUXACDC_CONNECT_URL" "$P:7655:{snapshot.mode: no_data}" -- "${@:2}"
	sed -i '/server_id:/a\    snapshot_new_tables: false' "$1"
}
manifest "$FX_TMP/base.yaml" RaceT1:$P
manifest "$FX_TMP/a.yaml" RaceT1:$P RaceT2:$P
manifest "$FX_TMP/b.yaml" RaceT1:$P RaceT3:$P
# what each side's table looks like in table.include.list (escaped or not)
live_tables() {
	curl -sS -m 10 "${FLUXACDC_CONNECT_URL}/connectors/$C/config" | jq -r '."table.include.list" // ""'
}
has_table() { grep -qE "(^|,)${FLUXACDC_MYSQL_DATABASE}\\\\?\\.$1(,|$)" <<<"$2"; }

run_fx "$FX_TMP/base" apply -f "$FX_TMP/base.yaml" --auto-approve
assert_eq "the connector capturing RaceT1 is created" 0 "$RC"

wins_a=0 wins_b=0 stale=0 lost=0
for round in $(seq 1 "$ROUNDS"); do
	# back to RaceT1 alone, RUNNING
	run_fx "$FX_TMP/reset" apply -f "$FX_TMP/base.yaml" --auto-approve
	if [ "$RC" != 0 ]; then fail "round $round: reset to RaceT1 (exit $RC)"; sed 's/^/    | /' "$FX_TMP/reset.err" | head; continue; fi
	# both plans see the same live state
	run_fx "$FX_TMP/pa" plan -f "$FX_TMP/a.yaml" --out "$FX_TMP/a.plan" --skip-db-checks
	run_fx "$FX_TMP/pb" plan -f "$FX_TMP/b.yaml" --out "$FX_TMP/b.plan" --skip-db-checks
	# and are applied at the same moment
	"$FLUXACDC" apply -f "$FX_TMP/a.yaml" "$FX_TMP/a.plan" >"$FX_TMP/a.out" 2>"$FX_TMP/a.err" &
	pa=$!
	"$FLUXACDC" apply -f "$FX_TMP/b.yaml" "$FX_TMP/b.plan" >"$FX_TMP/b.out" 2>"$FX_TMP/b.err" &
	pb=$!
	wait "$pa"; ra=$?
	wait "$pb"; rb=$?
	live=$(live_tables)
	why="round $round: exits $ra/$rb, live '$live'"
	if [ "$ra" = 0 ] && [ "$rb" = 0 ]; then
		fail "$why: both applies exited 0"
		continue
	fi
	if [ "$ra" = 0 ]; then winner=a loser=b rl=$rb table=RaceT2 other=RaceT3
	elif [ "$rb" = 0 ]; then winner=b loser=a rl=$ra table=RaceT3 other=RaceT2
	else
		fail "$why: no apply won"; sed 's/^/    a| /' "$FX_TMP/a.err" | head -5; sed 's/^/    b| /' "$FX_TMP/b.err" | head -5
		continue
	fi
	if has_table "$table" "$live" && ! has_table "$other" "$live"; then ok "$why: the winner's table is live, the loser's is not"
	else fail "$why: the winner ($winner) exited 0 but its change is not what is live"; fi
	case $rl in
	4) stale=$((stale + 1))
	   if grep -q "changed since the plan" "$FX_TMP/$loser.err" && grep -q "$C" "$FX_TMP/$loser.err"; then
		ok "round $round: the loser is stale (exit 4) and names $C"
	   else fail "round $round: the loser exited 4 without naming $C changed since the plan"; sed 's/^/    | /' "$FX_TMP/$loser.err" | head; fi ;;
	1|5) lost=$((lost + 1))
	   if grep -q "lost update" "$FX_TMP/$loser.out" "$FX_TMP/$loser.err"; then
		ok "round $round: the loser reports a lost update (exit $rl)"
	   else fail "round $round: the loser exited $rl without saying the update was lost"; sed 's/^/    | /' "$FX_TMP/$loser.err" | head; fi ;;
	*) fail "round $round: the loser exited $rl, not 4 (stale) or 1/5 (lost update)" ;;
	esac
	[ $winner = a ] && wins_a=$((wins_a + 1)) || wins_b=$((wins_b + 1))
done
echo "  .. $ROUNDS rounds: a won $wins_a, b won $wins_b; losers stale $stale, lost update $lost"
# the message names the key that moved, when the re-read caught it
cat "$FX_TMP"/[ab].err >"$FX_TMP/errs"
if grep -q "changed since the plan (key" "$FX_TMP/errs"; then
	assert_contains "a stale message names the key that moved" "$FX_TMP/errs" "table.include.list"
fi
finish
