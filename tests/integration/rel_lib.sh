# Sourced by the reliability tests (test_faults.sh, test_tls.sh, test_leaks.sh,
# test_tail_faults.sh) after lib.sh.

# wait_foreign_gone PREFIX: other tests' managed connectors on the shared
# Connect would be planned as deletes (apply then refuses, exit 3); wait until
# the only fluxa_* connectors are ours (PREFIX...).  make check runs one test
# at a time, so this only ever waits when tests run side by side by hand.
wait_foreign_gone() {
	local i foreign
	for i in $(seq 1 180); do
		foreign=$(curl -sS -m 10 "$FLUXACDC_CONNECT_URL/connectors" |
			jq -r --arg p "$1" '[.[] | select(startswith("fluxa_") and (startswith($p) | not))] | join(" ")')
		[ -z "$foreign" ] && return 0
		[ "$i" = 1 ] && echo "  .. waiting for other tests' connectors to go: $foreign"
		sleep 1
	done
	echo "  .. still there after 180 s: $foreign"
	return 1
}

# timed OUT_PREFIX ARGS...: run_fx, and MS = elapsed milliseconds
timed() {
	local s
	s=$(date +%s%N)
	run_fx "$@"
	MS=$((($(date +%s%N) - s) / 1000000))
}

# within WHAT MAX_MS: MS (from timed) is at most MAX_MS
within() {
	if [ "$MS" -le "$2" ]; then ok "$1 in ${MS} ms"; else fail "$1 took ${MS} ms (> $2)"; fi
}
