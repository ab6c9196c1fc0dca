#!/usr/bin/env bash
# Builds every tests/fuzz/fuzz_*.c with clang (libFuzzer + ASan + UBSan) against
# the project's objects and runs each, seeded from tests/fuzz/corpus/<name>/.
#
#   FUZZ_MODE=check (make check's fuzz-check): a gate that gives the same
#     verdict for the same commit: first every committed corpus input once
#     (-runs=0), then FUZZ_RUNS (default 10000) inputs from the fixed seed
#     FUZZ_SEED (default 1), starting from the committed corpus and an emptied
#     scratch corpus.
#   FUZZ_MODE=long (make fuzz): FUZZ_SECONDS (default 300) each from a random
#     seed, keeping the scratch corpus between runs.  What it finds goes into
#     tests/fuzz/corpus/<name>/ with its fix.
#
# New interesting inputs go to build/fuzz/<name>/corpus (not committed); a
# crash, leak or UB report fails the run and leaves the input in build/fuzz/<name>/.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
mode=${FUZZ_MODE:-check}
secs=${FUZZ_SECONDS:-300}
runs=${FUZZ_RUNS:-10000}
seed=${FUZZ_SEED:-1}
case $mode in check | long) ;; *) echo "fuzz: FUZZ_MODE=$mode: want check or long" >&2; exit 64 ;; esac
out=build/fuzz
mkdir -p "$out/obj"
pkgs="libcurl jansson yaml-0.1 rdkafka libmariadb libcrypto"
cflags="-std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -Isrc $(pkg-config --cflags $pkgs)"
libs="$(pkg-config --libs $pkgs) -lpthread -lm"
objs=()
for c in $(ls src/*.c src/util/*.c | grep -v '^src/main.c$'); do
	o="$out/obj/$(echo "$c" | tr / _).o"
	if [ ! -f "$o" ] || [ "$c" -nt "$o" ] || [ -n "$(find src -name '*.h' -newer "$o" | head -1)" ]; then
		clang $cflags -c "$c" -o "$o" || exit 1
	fi
	objs+=("$o")
done
pass=0 fail=0
for t in tests/fuzz/fuzz_*.c; do
	[ -f "$t" ] || continue
	name=$(basename "$t" .c); name=${name#fuzz_}
	bin="$out/fuzz_$name"
	clang $cflags -fsanitize=fuzzer "$t" "${objs[@]}" $libs -o "$bin" || { fail=$((fail + 1)); continue; }
	seeds="tests/fuzz/corpus/$name"; scratch="$out/$name/corpus"
	[ "$mode" = check ] && rm -rf "$scratch"
	mkdir -p "$seeds" "$scratch"
	if [ "$mode" = check ]; then
		n=$runs
		# connect_json's inputs are whole Connect answers (up to 64 KiB): ~50
		# runs a second, against thousands for the others; a fifth of the runs
		# keeps its share of the gate near the others'
		[ "$name" = connect_json ] && n=$((runs / 5))
		echo "== fuzz $name: replay tests/fuzz/corpus/$name ($(ls "$seeds" | wc -l) inputs), then $n runs from seed $seed"
		how=(-seed="$seed" -runs="$n")
	else
		echo "== fuzz $name for ${secs}s"
		how=(-max_total_time="$secs")
	fi
	if (cd "$out/$name" && export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 &&
		{ [ "$mode" != check ] || "$root/$bin" -runs=0 -max_len=65536 -timeout=10 -rss_limit_mb=1024 \
			"$root/$seeds" >replay.log 2>&1 || { cat replay.log >log; false; }; } &&
		"$root/$bin" "${how[@]}" -max_len=65536 -timeout=10 -rss_limit_mb=1024 \
		-print_final_stats=1 corpus "$root/$seeds" >log 2>&1); then
		grep -E '^stat::(number_of_executed_units|peak_rss_mb)|cov: ' "$out/$name/log" | tail -3 | sed 's/^/   /'
		pass=$((pass + 1))
	else
		echo "  FAIL fuzz $name: see $out/$name/log"; grep -E 'ERROR|SUMMARY|runtime error' "$out/$name/log" | head -5
		fail=$((fail + 1))
	fi
done
echo "fuzz: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
