# Sourced by tests/integration/test_*.sh.  The runner exported the stack's
# addresses (tests/stack/stack.sh env) and FLUXACDC (absolute path of the
# binary).  Each test script counts its own assertions and exits non-zero
# when any failed.
set -u
FX_PASS=0
FX_FAIL=0
FX_TEST_NAME=$(basename "$0" .sh)
FX_TMP=$(mktemp -d "${TMPDIR:-/tmp}/fx-${FX_TEST_NAME}.XXXXXX")
STACK="${FLUXACDC_ROOT}/tests/stack/stack.sh"
# FX_RUN: digits of this run's own, for the names of the pools (so
# connectors) a test creates: NAME$FX_RUN, and a letter after it for each
# case that needs a name again.  Connect keeps a deleted connector's source
# offsets in its offsets topic, and apply refuses to create a name over them
# (connect.offsets, exit 3), so a name must never come back on a stack, even
# one kept between runs (FLUXACDC_KEEP_STACK=1).  The clock's seconds never
# come back; $RANDOM (one in 9000) and $$ (pids wrap at 32768) do.  Two runs
# of one test never start in the same second: each takes longer than that.
FX_RUN=$(date +%s)

ok()   { FX_PASS=$((FX_PASS + 1)); printf '  ok   %s\n' "$*"; }
fail() { FX_FAIL=$((FX_FAIL + 1)); printf '  FAIL %s\n' "$*"; }

# assert_eq WHAT EXPECTED ACTUAL
assert_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else fail "$1: expected '$2', got '$3'"; fi
}
# assert_contains WHAT FILE NEEDLE
assert_contains() {
	if grep -qF -- "$3" "$2"; then ok "$1"; else fail "$1: '$3' not in $2"; sed 's/^/    | /' "$2" | head -40; fi
}
# assert_not_contains WHAT FILE NEEDLE
assert_not_contains() {
	if grep -qF -- "$3" "$2"; then fail "$1: '$3' found in $2"; else ok "$1"; fi
}
# run_fx OUT_PREFIX ARGS...: runs fluxacdc, stdout to $OUT_PREFIX.out, stderr to .err, sets RC
run_fx() {
	local p=$1; shift
	"$FLUXACDC" "$@" >"$p.out" 2>"$p.err"
	RC=$?
}
# connect_curl METHOD PATH [BODY]: a raw request to the stack's Connect
connect_curl() {
	if [ $# -ge 3 ]; then
		curl -sS -X "$1" -H 'Content-Type: application/json' --data "$3" "${FLUXACDC_CONNECT_URL}$2"
	else
		curl -sS -X "$1" "${FLUXACDC_CONNECT_URL}$2"
	fi
}
# connect_write METHOD PATH BODY: a write a test sets up state with; it must
# take.  A worker that just started or is rebalancing answers 409 (or 5xx)
# for a while: retried for up to 60 s.  Then, for a create (POST
# /connectors) or a config PUT, waits (60 s at most) until a read sees it:
# the connector's status answers, or its config has every key written.
# Prints Connect's answer; a write that never takes is a failed assertion.
connect_write() {
	local method=$1 path=$2 body=$3 code name deadline=$((SECONDS + 60))
	while :; do
		code=$(curl -sS -o "$FX_TMP/cw.out" -w '%{http_code}' -X "$method" -H 'Content-Type: application/json' \
			--data "$body" "${FLUXACDC_CONNECT_URL}$path" 2>/dev/null) || code=000
		case $code in
		2??) break ;;
		409 | 5?? | 000) [ $SECONDS -lt $deadline ] && { sleep 0.5; continue; } ;;
		esac
		fail "$method $path: HTTP $code: $(cat "$FX_TMP/cw.out" 2>/dev/null)"
		return 1
	done
	cat "$FX_TMP/cw.out"
	case $method:$path in
	POST:/connectors)
		name=$(jq -r .name <<<"$body")
		wait_until 60 connect_sees_status "$name" || { fail "$name: created, but its status never answered"; return 1; } ;;
	PUT:/connectors/*/config)
		name=${path#/connectors/}; name=${name%/config}
		wait_until 60 connect_sees_config "$name" "$body" || { fail "$name: config written, but never read back"; return 1; } ;;
	esac
}
connect_sees_status() { curl -fsS -o /dev/null "${FLUXACDC_CONNECT_URL}/connectors/$1/status" 2>/dev/null; }
connect_sees_config() {
	curl -fsS "${FLUXACDC_CONNECT_URL}/connectors/$1/config" 2>/dev/null |
		jq -e --argjson want "$2" '. as $got | $want | to_entries | all(.value == $got[.key])' >/dev/null 2>&1
}

# Deletes every connector on the stack's Connect (tests start from a clean cluster).
connect_reset() {
	local c
	for c in $(curl -sS "${FLUXACDC_CONNECT_URL}/connectors" | jq -r '.[]'); do
		curl -sS -o /dev/null -X DELETE "${FLUXACDC_CONNECT_URL}/connectors/$c"
	done
}
sql_admin() { "$STACK" sql "$1"; }

# wait_until SECONDS CMD...: runs CMD every 0.2 s until it succeeds; fails
# after SECONDS.  Tests wait on a condition like this, never a fixed sleep:
# give a bound generous enough for a busy 2-core machine.
wait_until() {
	local bound=$1 deadline
	shift
	deadline=$((SECONDS + bound))
	until "$@"; do
		[ $SECONDS -lt $deadline ] || return 1
		sleep 0.2
	done
}

# offsets_streaming NAME: the connector's source offsets, as Connect stores
# them, say its initial snapshot is over (apply refuses to update a connector
# whose stored offsets say it is still snapshotting: it would start over).
# Its last `r` event on a topic comes first: the offsets follow at the next
# flush (offset.flush.interval.ms), so a test that updates a connector right
# after its snapshot waits for this.
offsets_streaming() {
	curl -fsS -m 10 "${FLUXACDC_CONNECT_URL}/connectors/$1/offsets" 2>/dev/null | jq -e '
		(.offsets | length) > 0 and all(.offsets[].offset;
			((.snapshot // false) | tostring) == "false" or (.snapshot_completed | tostring) == "true")' >/dev/null 2>&1
}

# fx_port N (N = 0..9): a port for a test's own listener, or one nobody
# listens on: the stack's MySQL port + 50 + N (13356.. for make demo's stack,
# 14356.. for make check's, 2k356.. for engineer k's), so that stacks side by
# side never share one.
fx_port() { echo $((FLUXACDC_MYSQL_PORT + 50 + $1)); }

# fx_stall_listener PORT: starts a listener on 127.0.0.1:PORT that accepts and
# never answers (for 120 s), and returns once it listens; its pid in STALL_PID.
fx_stall_listener() {
	local ready="$FX_TMP/stall-$1.ready"
	rm -f "$ready"
	python3 -c 'import socket,sys,time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(8); open(sys.argv[2], "w").close()
c = [s.accept() for _ in range(8)]; time.sleep(120)' "$1" "$ready" &
	STALL_PID=$!
	wait_until 30 test -e "$ready" || { fail "stalled listener on port $1 did not start"; return 1; }
}

finish() {
	rm -rf "$FX_TMP"
	printf '%s: %d passed, %d failed\n' "$FX_TEST_NAME" "$FX_PASS" "$FX_FAIL"
	[ "$FX_FAIL" -eq 0 ]
}
