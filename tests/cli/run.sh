#!/usr/bin/env bash
# Offline command-line tests: exit codes, messages, formats, secrets.
# Usage: tests/cli/run.sh ./fluxacdc
set -u
FX=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "  FAIL $*"; }
# expect_rc NAME RC CMD...
expect_rc() {
	local name=$1 want=$2; shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?
	if [ "$rc" = "$want" ]; then ok; else bad "$name: exit $rc, want $want"; sed 's/^/    | /' "$tmp/err" | head -5; fi
}
has() { if grep -qF -- "$2" "$tmp/$1"; then ok; else bad "$3: '$2' not in $1"; sed 's/^/    | /' "$tmp/$1" | head -5; fi; }
hasnt() { if grep -qF -- "$2" "$tmp/$1"; then bad "$3: '$2' in $1"; else ok; fi; }

ex="$root/fluxacdc.yaml.example"
export MYSQL_PASSWORD=SENTINEL-pw-4711 CONNECT_PASSWORD=SENTINEL-cp-4711

expect_rc "validate example" 0 "$FX" validate -f "$ex"
has out "valid:" "validate summary"
expect_rc "global option after command" 0 "$FX" validate --manifest "$ex" --format json
has out '"valid":true' "validate json"
expect_rc "env manifest" 0 env FLUXACDC_MANIFEST="$ex" "$FX" validate
(cd "$tmp" && cp "$ex" fluxacdc.yaml && "$FX" validate >/dev/null 2>&1) && ok || bad "./fluxacdc.yaml default"
expect_rc "unknown flag" 64 "$FX" validate --bogus
has err "unknown option '--bogus'" "unknown flag message"
expect_rc "unknown command" 64 "$FX" frobnicate
expect_rc "no command" 64 "$FX"
expect_rc "missing value" 64 "$FX" validate --format
expect_rc "bad format" 64 "$FX" topics -f "$ex" --format yaml
expect_rc "bad color" 64 "$FX" --color sometimes validate -f "$ex"
expect_rc "bad timeout" 64 "$FX" --timeout 0 validate -f "$ex"
expect_rc "help" 0 "$FX" --help
has out "commands:" "main help"
expect_rc "command help" 0 "$FX" render --help
has out "--show-secrets" "render help"
expect_rc "help command" 0 "$FX" help topics
expect_rc "version" 0 "$FX" --version
has out "fluxacdc " "version line"
expect_rc "version cmd" 0 "$FX" version
has out "librdkafka" "library versions"
expect_rc "missing manifest" 65 "$FX" validate -f "$tmp/nope.yaml"
has err "nope.yaml" "missing manifest names file"

# every bad fixture: exit 65 and a FILE:LINE:COL message
for f in "$root"/tests/fixtures/manifests/bad/*.yaml; do
	expect_rc "$(basename "$f")" 65 "$FX" validate -f "$f"
	has err "$f:" "$(basename "$f") names the file"
done

# topics / render on the example
expect_rc "topics" 0 "$FX" topics -f "$ex"
has out "fluxa_default.fluxa.UserEntity" "topic name"
expect_rc "topics json" 0 "$FX" topics -f "$ex" --format json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d and all("topic" in x for x in d)' "$tmp/out" && ok || bad "topics json parses"
expect_rc "render" 0 "$FX" render -f "$ex"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert all(set(x)=={"name","config"} for x in d); assert all(isinstance(v,str) for x in d for v in x["config"].values())' "$tmp/out" && ok || bad "render is Kafka Connect JSON of strings"
hasnt out SENTINEL "render masks secrets"
has out '"database.password": "********"' "render shows masked password"
expect_rc "render text" 0 "$FX" render -f "$ex" --format text
hasnt out SENTINEL "render text masks secrets"
expect_rc "render show-secrets" 0 "$FX" render -f "$ex" --show-secrets
has out SENTINEL-pw-4711 "show-secrets shows"
expect_rc "render one connector" 0 "$FX" render -f "$ex" --connector fluxa_default
expect_rc "render unknown connector" 64 "$FX" render -f "$ex" --connector nope

# an unset variable is named, no value is printed
expect_rc "unset var" 65 env -u MYSQL_PASSWORD "$FX" validate -f "$ex"
has err "'MYSQL_PASSWORD'" "unset var named"

# world-readable literal password warns
printf 'version: 1\nmysql:\n  default: {dsn: "u:literal-pw@tcp(h:1)/d"}\n' > "$tmp/lit.yaml"; chmod 644 "$tmp/lit.yaml"
expect_rc "literal password" 0 "$FX" validate -f "$tmp/lit.yaml"
has err "literal password" "literal password warning"
hasnt err "literal-pw" "warning does not print it"
chmod 600 "$tmp/lit.yaml"
expect_rc "literal password private" 0 "$FX" validate -f "$tmp/lit.yaml"
hasnt err "literal password" "no warning for a private file"

# a connector: password from ${VAR} is not a literal one; a written one is
printf 'version: 1\nmysql:\n  default: {host: h, user: u, database: d, connector: {database.password: "${FX_CONN_PW}"}}\n' > "$tmp/cpw.yaml"; chmod 644 "$tmp/cpw.yaml"
expect_rc "connector password from env" 0 env FX_CONN_PW=x "$FX" validate -f "$tmp/cpw.yaml"
hasnt err "literal password" "no literal-password warning for \${VAR}"
printf 'version: 1\nmysql:\n  default: {host: h, user: u, database: d, connector: {database.password: written-pw}}\n' > "$tmp/cpw2.yaml"; chmod 644 "$tmp/cpw2.yaml"
expect_rc "connector password written" 0 "$FX" validate -f "$tmp/cpw2.yaml"
has err "literal password" "literal-password warning for a connector: password"

# plan files that are not plans: exit 65 and the way out
echo '{"x":1}' > "$tmp/notplan.json"
expect_rc "show non-plan" 65 "$FX" show "$tmp/notplan.json"
has err "fluxacdc plan --out FILE" "non-plan names the remedy"
echo 'garbage' > "$tmp/garbage.json"
expect_rc "show garbage" 65 "$FX" show "$tmp/garbage.json"
has err "garbage.json:1:" "garbage plan names file and line"
expect_rc "show missing" 1 "$FX" show "$tmp/none.json"
# output that cannot be written is an error that says so
expect_rc "full disk" 1 sh -c "\"$FX\" render -f \"$ex\" > /dev/full"
has err "cannot write output" "full disk message"

# no crash on hostile files
head -c 4096 /dev/urandom > "$tmp/rand.yaml"
"$FX" validate -f "$tmp/rand.yaml" >/dev/null 2>&1; rc=$?
[ "$rc" = 65 ] && ok || bad "random bytes: exit $rc, want 65"
"$FX" validate -f /dev/null >/dev/null 2>&1; [ $? = 65 ] && ok || bad "/dev/null: want 65"
"$FX" validate -f / >/dev/null 2>&1; [ $? = 65 ] && ok || bad "directory: want 65"

echo "cli: $pass passed, $fail failed"
# the other CLI suites (completion, install, messages, ...): each prints its own tally
for t in "$root"/tests/cli/test_*.sh; do
	[ -x "$t" ] || continue
	"$t" "$FX" || fail=$((fail + 1))
done
[ "$fail" -eq 0 ]
