#!/usr/bin/env bash
# make demo: the main job on the local stack, narrated step by step.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
FX=./fluxacdc
step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

step "Starting the local stack (MariaDB, Kafka in KRaft mode, Kafka Connect with Debezium)"
tests/stack/stack.sh up
eval "$(tests/stack/stack.sh env)"
export MYSQL_PASSWORD="$FLUXACDC_MYSQL_PASSWORD"
tests/stack/stack.sh status

step "Checking the manifest (offline)"
run $FX validate -f fluxacdc.yaml.example
step "The topics the captured entities will have"
run $FX topics -f fluxacdc.yaml.example
step "The connector configs fluxacdc will ask Kafka Connect for (secrets masked)"
run $FX render -f fluxacdc.yaml.example --format text

for cmd in plan apply tail; do
	if ! $FX --help | grep -q "^  $cmd "; then
		echo; echo "(fluxacdc $cmd is not built yet: the demo stops here)"
		exit 0
	fi
done
