#!/usr/bin/env bash
# Error messages say what happened, to what, and what to do next: a sample of
# error paths (usage, manifest, interpolation, DSN, references, files), each
# with its exit status, the thing it concerns, and the hint.
# Usage: tests/cli/test_messages.sh ./fluxacdc
set -u
FX=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "  FAIL $*"; }
ex=$root/fluxacdc.yaml.example
export MYSQL_PASSWORD=pw-not-shown
unset FLUXACDC_MANIFEST

# msg NAME RC 'WHAT' 'HINT' CMD...: exit RC, stderr names WHAT and gives HINT
msg() {
	local name=$1 want=$2 what=$3 hint=$4 rc; shift 4
	"$@" >"$tmp/out" 2>"$tmp/err"; rc=$?
	if [ "$rc" != "$want" ]; then bad "$name: exit $rc, want $want"; sed 's/^/    | /' "$tmp/err" | head -3; return; fi
	grep -qF -- "$what" "$tmp/err" && ok || { bad "$name: does not name '$what'"; sed 's/^/    | /' "$tmp/err" | head -3; }
	grep -qF -- "$hint" "$tmp/err" && ok || { bad "$name: no hint '$hint'"; sed 's/^/    | /' "$tmp/err" | head -3; }
	grep -qF -- pw-not-shown "$tmp/err" && bad "$name: prints the password" || ok
}
# manifest NAME: a manifest file from stdin
manifest() { cat >"$tmp/$1.yaml"; chmod 600 "$tmp/$1.yaml"; echo "$tmp/$1.yaml"; }

# usage
msg "option typo" 64 "'--detailed-exitcodes'" "did you mean '--detailed-exitcode'?" "$FX" plan --detailed-exitcodes -f "$ex"
msg "unknown option" 64 "'--bogus'" "see 'fluxacdc render --help'" "$FX" render --bogus
msg "missing value" 64 "'--out'" "(--out FILE)" "$FX" plan -f "$ex" --out
msg "stray argument" 64 "'extra'" "validate takes none; the manifest is -f FILE" "$FX" validate extra
msg "bad format" 64 "'yaml'" "--format takes text or json" "$FX" topics --format yaml -f "$ex"
msg "bad color" 64 "'sometimes'" "auto, always or never" "$FX" --color sometimes validate
msg "unknown command" 64 "'frobnicate'" "see 'fluxacdc --help'" "$FX" frobnicate
msg "command typo" 64 "unknown command 'plna'" "(did you mean 'plan'?)" "$FX" plna
msg "command typo after option" 64 "unknown command 'aplpy'" "(did you mean 'apply'?)" "$FX" -f "$ex" aplpy
msg "completion shell" 64 "'fish'" "use bash or zsh" "$FX" completion fish

# files
msg "no manifest" 65 "$tmp/nope.yaml" "give it with -f FILE or \$FLUXACDC_MANIFEST" "$FX" validate -f "$tmp/nope.yaml"
msg "no plan file" 1 "$tmp/plan.json" "written by 'fluxacdc plan --out FILE'" "$FX" show "$tmp/plan.json"

# interpolation
m=$(manifest unset <<'EOF'
version: 1
mysql:
  default: {dsn: "u:${FX_TEST_UNSET_PW}@tcp(h:3306)/d"}
EOF
)
msg "unset variable" 65 "'FX_TEST_UNSET_PW'" "export it, or give a default: \${FX_TEST_UNSET_PW:-value}" env -u FX_TEST_UNSET_PW "$FX" validate -f "$m"
m=$(manifest unterminated <<'EOF'
version: 1
mysql:
  default: {dsn: "u:${PW@tcp(h:3306)/d"}
EOF
)
msg "unterminated \${" 65 "$m:3:" "close it with '}', or write \$\$ for a literal \$" "$FX" validate -f "$m"

# DSN and pools
m=$(manifest dsn <<'EOF'
version: 1
mysql:
  default: {dsn: "u:p@tcp(h:99999)/d"}
EOF
)
msg "bad DSN" 65 "mysql pool 'default'" "the form is user:password@tcp(host:port)/database" "$FX" validate -f "$m"
m=$(manifest nodb <<'EOF'
version: 1
mysql:
  default: {dsn: "u:${MYSQL_PASSWORD}@tcp(h:3306)/"}
kafka:
  default: {brokers: [k:9092], connect_url: "http://c:8083"}
entities:
  UserEntity: {debezium: true}
EOF
)
msg "no database" 65 "mysql pool 'default': names no database" "end the DSN with /DATABASE or add 'database'" "$FX" validate -f "$m"
m=$(manifest nourl <<'EOF'
version: 1
mysql:
  default: {dsn: "u:${MYSQL_PASSWORD}@tcp(h:3306)/d"}
kafka:
  default: {brokers: [k:9092]}
entities:
  UserEntity: {debezium: true}
EOF
)
msg "no connect_url" 65 "kafka pool 'default': 'connect_url' is required" "e.g. connect_url: http://connect:8083" "$FX" validate -f "$m"
m=$(manifest serverid <<'EOF'
version: 1
mysql:
  a: {dsn: "u:${MYSQL_PASSWORD}@tcp(h:3306)/d", server_id: 7}
  b: {dsn: "u:${MYSQL_PASSWORD}@tcp(h:3306)/e", server_id: 7}
EOF
)
msg "server_id twice" 65 "server_id 7 is already used by mysql pool 'a'" "give each pool its own" "$FX" validate -f "$m"
m=$(manifest twokafka <<'EOF'
version: 1
mysql:
  a: {dsn: "u:${MYSQL_PASSWORD}@tcp(h:3306)/d"}
kafka:
  k1: {brokers: [k:9092], connect_url: "http://c1:8083"}
  k2: {brokers: [k:9092], connect_url: "http://c2:8083"}
entities:
  A: {debezium: k1, mysql: a}
  B: {debezium: k2, mysql: a}
EOF
)
msg "one pool on two kafka pools, one derived id" 65 "mysql pool 'a': is captured on kafka pools 'k1' and 'k2'" "server_id: {k1: ID1, k2: ID2}" "$FX" validate -f "$m"
m=$(manifest urlcred <<'EOF'
version: 1
mysql:
  a: {dsn: "u:${MYSQL_PASSWORD}@tcp(h:3306)/d"}
kafka:
  default: {brokers: [k:9092], connect_url: "http://deploy:pw-not-shown@connect:8083"}
entities:
  A: {debezium: true, mysql: a}
EOF
)
msg "credentials in connect_url" 65 "'connect_url' holds credentials" "give them as connect_auth:" "$FX" plan -f "$m"
m=$(manifest ormtypo <<'EOF'
version: 1
mysql:
  default: {dsn: "u:${MYSQL_PASSWORD}@tcp(h:3306)/d"}
entities:
  A: {orm: "redisCache;debezum=default"}
EOF
)
msg "orm tag near miss" 65 "orm tag 'debezum' is not one fluxacdc knows" "(did you mean 'debezium'?)" "$FX" validate -f "$m"

# references
m=$(manifest refs <<'EOF'
version: 1
mysql:
  default: {dsn: "u:${MYSQL_PASSWORD}@tcp(h:3306)/d"}
kafka:
  events: {brokers: [k:9092], connect_url: "http://c:8083"}
entities:
  UserEntity: {debezium: event}
  OrderEntity: {}
  Copy: {table: OrderEntity}
consumer_groups:
  g: {kafka: events, debezium_entities: [OrderEntity]}
EOF
)
msg "kafka pool typo" 65 "entity 'UserEntity': kafka pool 'event' is not defined" "did you mean 'events'?" "$FX" validate -f "$m"
msg "group entity not captured" 65 "consumer group 'g': entity 'OrderEntity' is not captured" "capture it (debezium: true) or remove it from debezium_entities" "$FX" validate -f "$m"
msg "one table, two entities" 65 "table 'OrderEntity' of mysql pool 'default'" "one table, one entity" "$FX" validate -f "$m"
msg "unknown key" 65 "unknown key 'debezum'" "did you mean 'debezium'?" "$FX" validate -f "$root/tests/fixtures/manifests/bad/unknown-key.yaml"
m=$(manifest version <<'EOF'
version: 2
EOF
)
msg "version 2" 65 "unsupported version 2" "write version: 1" "$FX" validate -f "$m"
msg "render connector" 64 "no connector named 'nope'" "its connectors: fluxa_default" "$FX" render -f "$ex" --connector nope

echo "messages: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
