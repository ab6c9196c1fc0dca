# Sourced by test_apply*.sh and test_status.sh after lib.sh: manifests with
# pools of their own (connectors fluxa_applytest*), cleanup, and the guards
# that keep them from touching other tests' connectors on a shared worker.
export APPLYTEST_PW="$FLUXACDC_MYSQL_PASSWORD"
STACK_LOGS="${FLUXACDC_STACK_DIR:-$FLUXACDC_ROOT/.stack}/logs"
NOGRANT_USER=fluxa_applytest_ng

# write_manifest FILE CONNECT_URL POOL:SERVER_ID[:EXTRA_YAML_FLOW]... -- ENTITY:POOL...
# Each pool captures the entities named after "--" (table = entity name).
write_manifest() {
	local file=$1 url=$2 p code sid extra
	shift 2
	{
		echo "version: 1"
		echo "mysql:"
		while [ $# -gt 0 ] && [ "$1" != -- ]; do
			IFS=: read -r code sid extra <<<"$1"
			echo "  $code:"
			echo "    dsn: \"${FLUXACDC_MYSQL_USER}:\${APPLYTEST_PW}@tcp(${FLUXACDC_MYSQL_HOST}:${FLUXACDC_MYSQL_PORT})/${FLUXACDC_MYSQL_DATABASE}\""
			echo "    flavor: mariadb"
			echo "    server_id: $sid"
			[ -n "$extra" ] && echo "    connector: $extra"
			shift
		done
		[ "${1:-}" = -- ] && shift
		echo "kafka:"
		echo "  default:"
		echo "    brokers: [\"${FLUXACDC_BROKERS}\"]"
		echo "    connect_url: \"$url\""
		if [ $# -eq 0 ]; then
			echo "entities: {}"
		else
			echo "entities:"
		fi
		for p in "$@"; do
			echo "  ${p%%:*}_${p##*:}: {debezium: true, mysql: ${p##*:}, table: ${p%%:*}}"
		done
	} >"$file"
}

# Our connectors, on the stack's Connect.
applytest_connectors() {
	curl -sS -m 10 "${FLUXACDC_CONNECT_URL}/connectors" | jq -r '.[] | select(startswith("fluxa_applytest"))'
}

applytest_cleanup() {
	local c
	for c in $(applytest_connectors); do
		curl -sS -o /dev/null -m 30 -X DELETE "${FLUXACDC_CONNECT_URL}/connectors/$c"
	done
}

# Managed connectors of other tests make apply plan deletes; wait until they
# are gone (never the case in make check, which runs tests one at a time).
wait_cluster_ours() {
	local i foreign
	for i in $(seq 1 120); do
		foreign=$(curl -sS -m 10 "${FLUXACDC_CONNECT_URL}/connectors" |
			jq -r '[.[] | select(startswith("fluxa_") and (startswith("fluxa_applytest") | not))] | join(" ")')
		[ -z "$foreign" ] && return 0
		[ "$i" = 1 ] && echo "  .. waiting for other tests' connectors to go: $foreign"
		sleep 1
	done
	fail "Connect still holds other tests' managed connectors: $foreign"
	finish
	exit 1
}

# connector_state NAME: "RUNNING,RUNNING" (connector, then tasks) or "absent"
connector_state() {
	curl -sS -m 10 "${FLUXACDC_CONNECT_URL}/connectors/$1/status" |
		jq -r 'if .connector then ([.connector.state] + [.tasks[].state] | join(",")) else "absent" end'
}

# wait_state NAME WANT SECONDS: until connector_state is WANT
wait_state() {
	local i s
	for i in $(seq 1 $((${3:-60} * 2))); do
		s=$(connector_state "$1")
		[ "$s" = "$2" ] && return 0
		sleep 0.5
	done
	return 1
}

# Worker log lines that start a task of NAME (both workers).
task_starts() {
	cat "$STACK_LOGS"/connect*.log 2>/dev/null | grep -c "Starting task $1-0 " || true
}

# A database user that can log in but lacks RELOAD/REPLICATION: validation
# passes, the Debezium task fails.
create_nogrant_user() {
	sql_admin "CREATE USER IF NOT EXISTS '$NOGRANT_USER'@'%' IDENTIFIED BY '$1';
ALTER USER '$NOGRANT_USER'@'%' IDENTIFIED BY '$1';
GRANT SELECT ON ${FLUXACDC_MYSQL_DATABASE}.* TO '$NOGRANT_USER'@'%';" >/dev/null
}

secs_since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }'; }

# assert_match WHAT FILE ERE
assert_match() {
	if grep -qE -- "$3" "$2"; then ok "$1"; else fail "$1: /$3/ not in $2"; sed 's/^/    | /' "$2" | head -40; fi
}
