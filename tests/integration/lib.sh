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
# Deletes every connector on the stack's Connect (tests start from a clean cluster).
connect_reset() {
	local c
	for c in $(curl -sS "${FLUXACDC_CONNECT_URL}/connectors" | jq -r '.[]'); do
		curl -sS -o /dev/null -X DELETE "${FLUXACDC_CONNECT_URL}/connectors/$c"
	done
}
sql_admin() { "$STACK" sql "$1"; }

finish() {
	rm -rf "$FX_TMP"
	printf '%s: %d passed, %d failed\n' "$FX_TEST_NAME" "$FX_PASS" "$FX_FAIL"
	[ "$FX_FAIL" -eq 0 ]
}
