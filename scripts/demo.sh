#!/usr/bin/env bash
# make demo: the main job on the local stack, narrated step by step.
#   stack up -> validate/topics/render -> plan -> apply -> status -> row
#   changes -> tail -> plan again (no changes).
# The stack is left running for you to try things; `make stack-down` stops it.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
FX=./fluxacdc
M=fluxacdc.yaml.example
bold=$(printf '\033[1m') reset=$(printf '\033[0m')
[ -t 1 ] || { bold=; reset=; }
step() { printf '\n%s==> %s%s\n' "$bold" "$*" "$reset"; }
show() { printf '$ %s\n' "$*"; }
run() { show "$*"; "$@"; }

step "1. Start the local stack: MariaDB (binlog ROW), Kafka (KRaft), Kafka Connect with Debezium"
tests/stack/stack.sh up
eval "$(tests/stack/stack.sh env)"
export MYSQL_PASSWORD="$FLUXACDC_MYSQL_PASSWORD"
show "export MYSQL_PASSWORD=...   # the manifest reads the password from the environment"

step "2. Check the manifest, offline"
run $FX validate -f $M
run $FX topics -f $M

step "3. The connector configs fluxacdc wants (secrets masked)"
run $FX render -f $M --connector fluxa_default --format text

step "4. Plan: database checks, the live Connect cluster, the alters"
set +e
run $FX plan -f $M --out "$FLUXACDC_STACK_DIR/demo-plan.json"
rc=$?
set -e
[ $rc -eq 0 ] || { echo "plan failed (exit $rc)"; exit $rc; }

step "5. Apply exactly that plan, and wait until the connector and its task run"
run $FX apply "$FLUXACDC_STACK_DIR/demo-plan.json"

step "6. Status of the managed connectors"
run $FX status -f $M

step "7. Change some rows in MariaDB"
id=$(( $(date +%s) % 1000000 + 1000 ))
sql="INSERT INTO fluxa.UserEntity (ID, Name, Email, Balance) VALUES ($id, 'Ada', 'ada@example.com', 10.50);
UPDATE fluxa.UserEntity SET Balance = 99.95 WHERE ID = $id;
DELETE FROM fluxa.UserEntity WHERE ID = $id;"
printf '%s\n' "$sql"
tests/stack/stack.sh sql "$sql" >/dev/null

step "8. Tail the change events of UserEntity (the row's create, update, delete and tombstone)"
# Debezium publishes asynchronously: wait (up to 30 s) until the delete is on the topic.
for _ in $(seq 60); do
	$FX tail UserEntity -f $M -e --from beginning --id "$id" --format json 2>/dev/null | grep -q '"op":"d"' && break
	sleep 0.5
done
run $FX tail UserEntity -f $M -e --from beginning --id "$id" --format pretty --color always

step "9. Plan again: nothing to do, and apply would write nothing"
run $FX plan -f $M --detailed-exitcode

printf '\n%sDone.%s The stack is still running (%s); stop it with: make stack-down\n' "$bold" "$reset" "$FLUXACDC_CONNECT_URL"
