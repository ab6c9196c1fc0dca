#!/usr/bin/env bash
# The man pages as a reader sees them (mandoc -T utf8): no mdoc macro name
# left in the text (a macro that landed mid-line, e.g. "fluxa_ Ns Ar pool"),
# no quote left open or eaten by mdoc's argument quoting, no check id
# described twice in CHECKS.
# Usage: tests/cli/test_man_render.sh [./fluxacdc]  (the binary is not used)
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "  FAIL $*"; }
# Macros whose names are no English word; "It", "No", "Ed" are left out.
macros='Ns|Ar|Fl|Cm|Ql|Pq|Pf|Ic|Li|Dq|Sq|Xr|Ev|Pa|Va|Oo|Oc|Op|Sx|Nm|Bl|El|Dl|Bd|Ss|Sh|Qo|Qc|Dv|Er|Fn|Fa|Ft|Sy|Ta|Cd|Dd|Dt|Os|Nd|Aq|Bq|Brq|Xo|Xc'
for m in man/fluxacdc.1 man/fluxacdc.yaml.5; do
	text=$(mandoc -T utf8 "$root/$m" | col -b) || { bad "$m: mandoc failed"; continue; }
	left=$(grep -nE "(^|[[:space:]])($macros)([[:space:]]|$)" <<<"$text")
	if [ -n "$left" ]; then bad "$m: macro names in the rendered text:"; echo "$left" | sed 's/^/    | /'; else ok; fi
	# quotes, per paragraph (a quote may wrap to the next line)
	unbalanced=$(awk '
		function check() {
			if (para == "") return
			n = split(para, a, "\""); dq = n - 1
			o1 = gsub(/‘/, "&", para); c1 = gsub(/’/, "&", para)
			o2 = gsub(/“/, "&", para); c2 = gsub(/”/, "&", para)
			# and never one quote opened inside another of its kind
			nest = 0; t = para
			while (match(t, /[‘’]/)) {
				nest += substr(t, RSTART, RLENGTH) == "‘" ? 1 : -1
				if (nest > 1 || nest < 0) break
				t = substr(t, RSTART + RLENGTH)
			}
			if (dq % 2 || o1 != c1 || o2 != c2 || nest > 1 || nest < 0) print start ": " substr(para, 1, 120)
			para = ""
		}
		/^[[:space:]]*$/ { check(); next }
		{ if (para == "") start = NR; para = para " " $0 }
		END { check() }' <<<"$text")
	if [ -n "$unbalanced" ]; then bad "$m: a quote left open:"; echo "$unbalanced" | sed 's/^/    | /'; else ok; fi
	# in the source: a literal " inside a macro line's word (mandoc takes
	# it, or the next one, as argument quoting and drops it): use \(dq
	src=$(grep -nE '^\..*[^[:space:]]"[^[:space:]]' "$root/$m")
	if [ -n "$src" ]; then bad "$m: a literal \" on a macro line (write \\(dq):"; echo "$src" | sed 's/^/    | /'; else ok; fi
	# an enclosure (Pq, Dq, ...) runs to the end of its line: one that goes
	# on past a comma into the next item swallows it ("port (default 3306,
	# user, password)"): end it with its own line or Pc/Dc
	src=$(grep -nE '^\..*(^| )(Pq|Dq|Sq|Qq) [^,]* , (Ic|Ar|Cm|Fl|Ql|Li) ' "$root/$m")
	if [ -n "$src" ]; then bad "$m: an enclosure swallows the next item:"; echo "$src" | sed 's/^/    | /'; else ok; fi
done
# each check id once in fluxacdc(1)'s CHECKS
dups=$(mandoc -T utf8 "$root/man/fluxacdc.1" | col -b |
	awk '/^CHECKS/{f=1;next} /^[A-Z]/{f=0} f && /^     [a-z]+\.[a-z_]+$/{print $1}' | sort | uniq -d)
if [ -n "$dups" ]; then bad "fluxacdc.1 CHECKS lists twice: $(echo $dups)"; else ok; fi
echo "man-render: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
