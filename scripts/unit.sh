#!/usr/bin/env bash
# Runs the Criterion unit suite and fails on any memory error or leak, which
# Criterion alone does not: its tests run in child processes that report a
# test's result before LeakSanitizer or valgrind look at the heap at exit.
#
#   scripts/unit.sh BIN [criterion options]             (plain or SANITIZE= build)
#   scripts/unit.sh --valgrind BIN [criterion options]  (plain build only)
#
# Sanitizer and valgrind reports go to a scratch directory, one file per
# process; any report at all fails the run and is printed.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
vg=0
if [ "${1:-}" = --valgrind ]; then vg=1; shift; fi
bin=${1:?usage: scripts/unit.sh [--valgrind] BIN [criterion options]}
shift
logs=$(mktemp -d "${TMPDIR:-/tmp}/fx-unit.XXXXXX")
trap 'rm -rf "$logs"' EXIT
export FLUXACDC_TEST_ROOT="$root"

if [ $vg = 1 ]; then
	command -v valgrind >/dev/null || { echo "unit: valgrind is not installed (scripts/deps.sh)"; exit 1; }
	if nm -D "$bin" 2>/dev/null | grep -q __asan_init; then
		echo "unit: $bin is built with ASan; valgrind needs a plain build (make valgrind-unit does that)"
		exit 1
	fi
	# --trace-children: Criterion re-executes itself for every test.  Only
	# definite and indirect leaks count: "possibly lost" and "still reachable"
	# blocks are Criterion's and libraries' one-time allocations.
	valgrind -q --trace-children=yes --leak-check=full --show-leak-kinds=definite,indirect \
		--errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
		--log-file="$logs/valgrind.%p" "$bin" "$@"
	rc=$?
else
	# last, so that they win over a caller's log_path (make check's)
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$logs/asan:detect_leaks=1" \
	UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$logs/ubsan:print_stacktrace=1" \
		"$bin" "$@"
	rc=$?
fi

reports=0
for f in "$logs"/*; do
	[ -s "$f" ] || continue
	reports=$((reports + 1))
	echo "== $(basename "$f")"
	head -n 60 "$f"
done
if [ $reports -gt 0 ]; then
	echo "unit: $reports process(es) reported memory errors or leaks"
	exit 1
fi
exit $rc
