#!/usr/bin/env bash
# The man pages must be mandoc-lint clean (style warnings included), and every
# option that --help lists must appear in fluxacdc.1 and the other way round.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
fail=0 pass=0
for m in man/fluxacdc.1 man/fluxacdc.yaml.5; do
	out=$(mandoc -T lint -W style "$m" 2>&1 | grep -v 'referenced manual not found')
	if [ -n "$out" ]; then echo "  FAIL $m:"; echo "$out" | sed 's/^/    /'; fail=$((fail + 1)); else pass=$((pass + 1)); fi
done
# options from --help of every command vs the man page
cmds=$(./fluxacdc --help | awk '/^commands:/{f=1;next} /^$/{f=0} f{print $1}')
help_opts=$( { ./fluxacdc --help; for c in $cmds; do ./fluxacdc "$c" --help; done; } |
	grep -oE -- '--[a-z][a-z-]+' | sort -u)
man_opts=$(mandoc -T ascii man/fluxacdc.1 | col -b | grep -oE -- '--[a-z][a-z-]+' | sort -u)
for o in $help_opts; do
	if ! grep -qx -- "$o" <<<"$man_opts"; then echo "  FAIL $o is in --help but not in fluxacdc.1"; fail=$((fail + 1)); else pass=$((pass + 1)); fi
done
for o in $man_opts; do
	if ! grep -qx -- "$o" <<<"$help_opts"; then echo "  FAIL $o is in fluxacdc.1 but in no --help"; fail=$((fail + 1)); else pass=$((pass + 1)); fi
done
for c in $cmds; do
	if mandoc -T ascii man/fluxacdc.1 | col -b | grep -qE "^ {5,}$c( |$)"; then pass=$((pass + 1)); else echo "  FAIL command '$c' is not described in fluxacdc.1"; fail=$((fail + 1)); fi
done
echo "man: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
