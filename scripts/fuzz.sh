#!/usr/bin/env bash
# Builds every tests/fuzz/fuzz_*.c with clang (libFuzzer + ASan + UBSan) against
# the project's objects and runs each for FUZZ_SECONDS (default 30), seeded from
# tests/fuzz/corpus/<name>/.  New interesting inputs go to a scratch corpus
# (not committed); a crash, leak or UB report fails the run and leaves the input
# in build/fuzz/<name>/.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
secs=${FUZZ_SECONDS:-30}
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
	mkdir -p "$seeds" "$scratch"
	echo "== fuzz $name for ${secs}s"
	if (cd "$out/$name" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		"$root/$bin" -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=1024 \
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
