#!/usr/bin/env bash
# Stored offsets against the real local stack (issue 16):
#  (1) a STOPPED connector whose binlog file was purged: plan exits 1 with
#      mysql.binlog_position naming the file; restart refuses (it would fail
#      again) and names --reset-offsets; restart --reset-offsets brings it back
#      RUNNING with a fresh snapshot (the rows are read again);
#  (2) delete + re-create: apply exits 3 with nothing written, naming the
#      leftover offsets; --reset-offsets -> RUNNING with a new snapshot;
#      deleted again, --keep-offsets -> it resumes from them (no snapshot);
#  (3) an update of a PAUSED connector: exit 0, still PAUSED, not waited for;
#  (6) a resnapshot alter (topic.prefix): refused (3) without
#      --allow-resnapshot; with it: stopped, offsets reset, config written,
#      resumed -> RUNNING, a fresh snapshot into the new prefix's topics;
#  (4) a task FAILED by a rotated password: after the password is put back,
#      restart (no name: the failed ones) makes it RUNNING;
#  (5) status: the lag grows while the connector is stopped and rows are
#      written, and comes back to about nothing once it runs again.
# Every wait is on a condition, with a generous bound.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/apply_lib.sh"

R=$FX_RUN # names of this run's own (lib.sh); (2) re-creates C1 on purpose
P1=applytest_p$R
P4=applytest_r$R
P5=applytest_l$R
ROT_USER=fluxa_applytest_rot
ROT_PW="SENTINEL-rot-$$-pw"
export APPLYTEST_ROT_PW="$ROT_PW"
C1=fluxa_$P1 C4=fluxa_$P4 C5=fluxa_$P5
M="$FX_TMP/m.yaml"

cleanup() {
	applytest_cleanup
	sql_admin "DROP USER IF EXISTS '$ROT_USER'@'%'" >/dev/null 2>&1
}
trap cleanup EXIT
cleanup
wait_cluster_ours

sql_admin "CREATE USER '$ROT_USER'@'%' IDENTIFIED BY '$ROT_PW';
GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, BINLOG MONITOR ON *.* TO '$ROT_USER'@'%';" >/dev/null

write_manifest "$M" "$FLUXACDC_CONNECT_URL" "$P1:7631" \
	"$P4:7634:{database.user: $ROT_USER, database.password: \"\${APPLYTEST_ROT_PW}\"}" \
	"$P5:7635" -- UserEntity:$P1 UserEntity:$P4 UserEntity:$P5

# stored_file NAME: the binlog file of the connector's stored offset, or ""
stored_file() {
	connect_curl GET "/connectors/$1/offsets" | jq -r '.offsets[0].offset.file // ""'
}
# wait_until SECONDS CMD...: until CMD succeeds
wait_until() {
	local n=$(($1 * 4)) i
	shift
	for i in $(seq 1 "$n"); do
		"$@" && return 0
		sleep 0.25
	done
	return 1
}
has_offsets() { [ -n "$(stored_file "$1")" ]; }
# snapshot_reads NAME: 'r' events on the connector's UserEntity topic so far
snapshot_reads() {
	kcat -b "$FLUXACDC_BROKERS" -C -t "$1.${FLUXACDC_MYSQL_DATABASE}.UserEntity" -e -q -f '%s\n' 2>/dev/null |
		jq -r 'select(.op == "r") | .op' 2>/dev/null | grep -c r || true
}
more_reads_than() { [ "$(snapshot_reads "$1")" -gt "$2" ]; }
binlog_listed() { "$STACK" sql -N "SHOW BINARY LOGS" | cut -f1 | grep -qx "$1"; }
# purge_through FILE: rotate, then purge every binlog before the new one, until FILE is gone
purge_through() {
	local cur i
	sql_admin "FLUSH BINARY LOGS" >/dev/null
	cur=$("$STACK" sql -N "SHOW MASTER STATUS" | cut -f1)
	for i in $(seq 1 120); do
		sql_admin "PURGE BINARY LOGS TO '$cur'" >/dev/null 2>&1
		binlog_listed "$1" || return 0
		sleep 0.25
	done
	return 1
}
lag_of() { # lag_of NAME: lag_bytes in status JSON, or -1
	"$FLUXACDC" status -f "$M" --connector "$1" --format json 2>/dev/null |
		jq -r '[.clusters[].connectors[] | .offsets.lag_bytes // -1][0] // -1'
}
lag_above() { [ "$(lag_of "$1")" -gt "$2" ]; }
lag_below() { local l; l=$(lag_of "$1"); [ "$l" -ge 0 ] && [ "$l" -lt "$2" ]; }

sql_admin "INSERT INTO UserEntity (Name, Email) VALUES ('offsets-$R', 'o$R@example.com')" >/dev/null

run_fx "$FX_TMP/a" apply -f "$M" --auto-approve --wait 120
assert_eq "set-up: three connectors created and RUNNING" 0 "$RC"
for c in $C1 $C4 $C5; do
	wait_until 60 has_offsets "$c" || fail "set-up: $c stored no offsets"
done

# ---------------------------------------------------------------- (1)
before=$(snapshot_reads "$C1")
[ "$before" -ge 1 ] && ok "(1) the first snapshot read the rows ($before)" || fail "(1) no snapshot read: $before"
connect_curl PUT "/connectors/$C1/stop" >/dev/null
wait_state "$C1" STOPPED 60 || fail "(1) $C1 did not stop: $(connector_state "$C1")"
file=$(stored_file "$C1")
sql_admin "INSERT INTO UserEntity (Name, Email) VALUES ('while-stopped-$R', 's$R@example.com')" >/dev/null
purge_through "$file" && ok "(1) $file purged" || fail "(1) $file still listed"
# The running connectors stored their last position in the purged file too:
# on an idle database they could not restart either (MariaDB 1236) until they
# read something in the new file.  Give them a row and wait until they have.
current=$("$STACK" sql -N "SHOW MASTER STATUS" | cut -f1)
sql_admin "INSERT INTO UserEntity (Name, Email) VALUES ('after-purge-$R', 'p$R@example.com')" >/dev/null
stored_in_current() { [ "$(stored_file "$1")" = "$current" ]; }
for c in $C4 $C5; do
	wait_until 60 stored_in_current "$c" || fail "(1) $c stayed at $(stored_file "$c"), not $current"
done

run_fx "$FX_TMP/1" plan -f "$M" --format json
assert_eq "(1) plan: exit 1" 1 "$RC"
assert_eq "(1) mysql.binlog_position error naming the stored file" "error $file" \
	"$(jq -r --arg c "$C1" '.checks[] | select(.id == "mysql.binlog_position" and (.message | startswith($c))) | "\(.level) \(.observed)"' "$FX_TMP/1.out")"
assert_contains "(1) the hint gives the way out" "$FX_TMP/1.out" "fluxacdc restart $C1 --reset-offsets"
assert_eq "(1) the other connectors' positions are fine" "" \
	"$(jq -r --arg c "$C1" '.checks[] | select(.id == "mysql.binlog_position" and (.message | startswith($c) | not)) | .message' "$FX_TMP/1.out")"

run_fx "$FX_TMP/1r" restart -f "$M" "$C1"
assert_eq "(1) a plain restart is refused: exit 1" 1 "$RC"
assert_contains "(1) ... and names --reset-offsets" "$FX_TMP/1r.err" "--reset-offsets"
assert_eq "(1) ... and wrote nothing: still STOPPED" STOPPED "$(connector_state "$C1")"

run_fx "$FX_TMP/1s" restart -f "$M" "$C1" --reset-offsets --wait 120
assert_eq "(1) restart --reset-offsets: exit 0" 0 "$RC"
assert_contains "(1) ... RUNNING" "$FX_TMP/1s.out" "RUNNING"
assert_eq "(1) RUNNING with its task" RUNNING,RUNNING "$(connector_state "$C1")"
wait_until 120 more_reads_than "$C1" "$before" && ok "(1) a fresh snapshot read the rows again" ||
	fail "(1) no new snapshot: $(snapshot_reads "$C1") reads, $before before"
wait_until 60 has_offsets "$C1" || fail "(1) no offsets stored after the reset"
run_fx "$FX_TMP/1p" plan -f "$M" --format json
assert_eq "(1) plan afterwards: no mysql.binlog_position" "" \
	"$(jq -r '.checks[] | select(.id == "mysql.binlog_position") | .message' "$FX_TMP/1p.out")"

# ---------------------------------------------------------------- (2)
# delete C1 by hand (its offsets stay with Connect) and let apply re-create it
wait_until 60 has_offsets "$C1" || fail "(2) $C1 has no offsets to leave behind"
connect_curl DELETE "/connectors/$C1" >/dev/null
wait_until 60 sh -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' '$FLUXACDC_CONNECT_URL/connectors/$C1')\" = 404 ]" ||
	fail "(2) $C1 not deleted"
run_fx "$FX_TMP/2p" plan -f "$M" --format json
assert_eq "(2) plan: connect.offsets warning for the create" "warning" \
	"$(jq -r --arg c "$C1" '.checks[] | select(.id == "connect.offsets" and (.message | startswith($c))) | .level' "$FX_TMP/2p.out")"
run_fx "$FX_TMP/2" apply -f "$M" --auto-approve
assert_eq "(2) apply without a flag: exit 3" 3 "$RC"
assert_contains "(2) ... names both flags" "$FX_TMP/2.err" "--reset-offsets"
assert_contains "(2) ... names both flags" "$FX_TMP/2.err" "--keep-offsets"
assert_eq "(2) ... and wrote nothing" 404 "$(curl -s -o /dev/null -w '%{http_code}' "$FLUXACDC_CONNECT_URL/connectors/$C1")"
before=$(snapshot_reads "$C1")
run_fx "$FX_TMP/2r" apply -f "$M" --auto-approve --reset-offsets
assert_eq "(2) apply --reset-offsets: exit 0" 0 "$RC"
assert_eq "(2) RUNNING with its task" RUNNING,RUNNING "$(connector_state "$C1")"
wait_until 120 more_reads_than "$C1" "$before" && ok "(2) a new snapshot read the rows" ||
	fail "(2) no new snapshot: $(snapshot_reads "$C1") reads, $before before"
wait_until 60 has_offsets "$C1" || fail "(2) no offsets stored after the reset"
before=$(snapshot_reads "$C1")
connect_curl DELETE "/connectors/$C1" >/dev/null
wait_until 60 sh -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' '$FLUXACDC_CONNECT_URL/connectors/$C1')\" = 404 ]" ||
	fail "(2) $C1 not deleted again"
run_fx "$FX_TMP/2k" apply -f "$M" --auto-approve --keep-offsets
assert_eq "(2) apply --keep-offsets: exit 0" 0 "$RC"
assert_eq "(2) RUNNING with its task" RUNNING,RUNNING "$(connector_state "$C1")"
sql_admin "INSERT INTO UserEntity (Name, Email) VALUES ('kept-$R', 'k$R@example.com')" >/dev/null
creates_of() { # the 'c' events for a name on the connector's topic
	kcat -b "$FLUXACDC_BROKERS" -C -t "$1.${FLUXACDC_MYSQL_DATABASE}.UserEntity" -e -q -f '%s\n' 2>/dev/null |
		jq -r --arg n "$2" 'select(.op == "c" and .after.Name == $n) | .op' 2>/dev/null | grep -c c || true
}
seen_kept() { [ "$(creates_of "$C1" "kept-$R")" -ge 1 ]; }
wait_until 120 seen_kept && ok "(2) it resumed from the kept offsets: a new row arrived" || fail "(2) the new row never arrived"
assert_eq "(2) ... without a snapshot" "$before" "$(snapshot_reads "$C1")"

# ---------------------------------------------------------------- (4)
sql_admin "ALTER USER '$ROT_USER'@'%' IDENTIFIED BY 'rotated-$ROT_PW'" >/dev/null
connect_curl POST "/connectors/$C4/restart?includeTasks=true&onlyFailed=false" >/dev/null
wait_state "$C4" RUNNING,FAILED 90 && ok "(4) the task FAILED on the rotated password" ||
	fail "(4) task not FAILED: $(connector_state "$C4")"
run_fx "$FX_TMP/4s" status -f "$M" --connector "$C4"
assert_eq "(4) status: exit 1" 1 "$RC"
sql_admin "ALTER USER '$ROT_USER'@'%' IDENTIFIED BY '$ROT_PW'" >/dev/null
run_fx "$FX_TMP/4" restart -f "$M" --wait 120
assert_eq "(4) restart (the failed ones) after the fix: exit 0" 0 "$RC"
assert_contains "(4) ... names it RUNNING" "$FX_TMP/4.out" "$C4"
assert_eq "(4) RUNNING with its task" RUNNING,RUNNING "$(connector_state "$C4")"
assert_not_contains "(4) no password on stdout" "$FX_TMP/4.out" "$ROT_PW"
assert_not_contains "(4) no password on stderr" "$FX_TMP/4.err" "$ROT_PW"
run_fx "$FX_TMP/4n" restart -f "$M"
assert_eq "(4) nothing FAILED any more: exit 0" 0 "$RC"
assert_contains "(4) ... says so" "$FX_TMP/4n.out" "nothing to restart"

# ---------------------------------------------------------------- (5)
wait_until 60 lag_below "$C5" 4096 || fail "(5) lag not small to begin with: $(lag_of "$C5")"
lag0=$(lag_of "$C5")
connect_curl PUT "/connectors/$C5/stop" >/dev/null
wait_state "$C5" STOPPED 60 || fail "(5) $C5 did not stop"
for i in $(seq 1 40); do
	echo "INSERT INTO UserEntity (Name, Email) VALUES ('lag-$R-$i', 'lag-$R-$i@example.com');"
done | "$STACK" sql >/dev/null
lag1=$(lag_of "$C5")
if [ "$lag1" -gt $((lag0 + 4000)) ]; then ok "(5) lag grew while stopped: $lag0 -> $lag1 bytes"; else fail "(5) lag did not grow: $lag0 -> $lag1"; fi
run_fx "$FX_TMP/5" status -f "$M" --connector "$C5"
assert_contains "(5) status says how far behind" "$FX_TMP/5.out" "behind the server"
assert_contains "(5) status counts it STOPPED" "$FX_TMP/5.out" "1 stopped"
connect_curl PUT "/connectors/$C5/resume" >/dev/null
wait_until 120 lag_below "$C5" 4096 && ok "(5) back to about nothing after resume: $(lag_of "$C5") bytes" ||
	fail "(5) lag stayed: $(lag_of "$C5") bytes"

# ---------------------------------------------------------------- (3)
M3="$FX_TMP/m3.yaml"
write_manifest "$M3" "$FLUXACDC_CONNECT_URL" "$P1:7631" \
	"$P4:7634:{database.user: $ROT_USER, database.password: \"\${APPLYTEST_ROT_PW}\"}" \
	"$P5:7635:{poll.interval.ms: \"700\"}" -- UserEntity:$P1 UserEntity:$P4 UserEntity:$P5
connect_curl PUT "/connectors/$C5/pause" >/dev/null
wait_state "$C5" PAUSED,PAUSED 60 || fail "(3) $C5 did not pause: $(connector_state "$C5")"
t0=$(date +%s.%N)
run_fx "$FX_TMP/3" apply -f "$M3" --auto-approve --wait 120
took=$(secs_since "$t0")
assert_eq "(3) update of a PAUSED connector: exit 0" 0 "$RC"
assert_contains "(3) ... reported as updated, still PAUSED" "$FX_TMP/3.out" "updated, still PAUSED"
assert_eq "(3) ... the config is the new one" 700 \
	"$(connect_curl GET "/connectors/$C5/config" | jq -r '."poll.interval.ms"')"
assert_eq "(3) ... and it is still PAUSED" PAUSED "$(connector_state "$C5" | cut -d, -f1)"
echo "  .. apply (plan + update of a PAUSED connector) took ${took} s"

# ---------------------------------------------------------------- (6)
M6="$FX_TMP/m6.yaml"
write_manifest "$M6" "$FLUXACDC_CONNECT_URL" "$P1:7631:{topic.prefix: ${C1}_v2}" \
	"$P4:7634:{database.user: $ROT_USER, database.password: \"\${APPLYTEST_ROT_PW}\"}" \
	"$P5:7635:{poll.interval.ms: \"700\"}" -- UserEntity:$P1 UserEntity:$P4 UserEntity:$P5
run_fx "$FX_TMP/6" apply -f "$M6" --auto-approve
assert_eq "(6) resnapshot alter without --allow-resnapshot: exit 3" 3 "$RC"
assert_eq "(6) ... nothing written: the old prefix" "$C1" \
	"$(connect_curl GET "/connectors/$C1/config" | jq -r '."topic.prefix"')"
run_fx "$FX_TMP/6a" apply -f "$M6" --auto-approve --allow-resnapshot
assert_eq "(6) with --allow-resnapshot: exit 0" 0 "$RC"
assert_eq "(6) RUNNING with its task" RUNNING,RUNNING "$(connector_state "$C1")"
wait_until 120 more_reads_than "${C1}_v2" 0 && ok "(6) a fresh snapshot into ${C1}_v2's topics" ||
	fail "(6) no snapshot under the new prefix"
new_server() { connect_curl GET "/connectors/$C1/offsets" | jq -e --arg s "${C1}_v2" '[.offsets[].partition.server] == [$s]' >/dev/null; }
wait_until 60 new_server && ok "(6) only the new prefix's offsets are stored" ||
	fail "(6) offsets: $(connect_curl GET "/connectors/$C1/offsets")"

finish
