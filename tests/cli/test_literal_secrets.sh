#!/usr/bin/env bash
# A world-readable manifest holding a literal secret anywhere one can be
# written (DSN, password:, connect_auth, a sensitive connector: key, a
# sensitive librdkafka property of a Kafka pool's config:) earns the warning
# that suggests ${VAR} or a config provider, and never prints the secret;
# ${VAR}, ${provider:...} and a private file earn none.
# Usage: tests/cli/test_literal_secrets.sh ./fluxacdc
set -u
FX=$1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
SECRET=LITERALsecret4242
# case NAME WANT(warn|quiet) MODE YAML_BODY
case_() {
	local name=$1 want=$2 mode=$3 body=$4 f="$tmp/m.yaml"
	printf 'version: 1\n%s\n' "$body" >"$f"
	chmod "$mode" "$f"
	FX_ENV_PW=x "$FX" validate -f "$f" >"$tmp/out" 2>"$tmp/err"
	local rc=$? got=quiet
	grep -q "literal password" "$tmp/err" && got=warn
	if [ "$rc" != 0 ]; then
		fail=$((fail + 1)); echo "  FAIL $name: exit $rc"; sed 's/^/    | /' "$tmp/err" | head -3
	elif [ "$got" != "$want" ]; then
		fail=$((fail + 1)); echo "  FAIL $name: $got, want $want"
	elif grep -qF "$SECRET" "$tmp/out" "$tmp/err"; then
		fail=$((fail + 1)); echo "  FAIL $name: the secret was printed"
	else
		pass=$((pass + 1))
	fi
}
K='kafka:\n  k: {brokers: ["b:1"], connect_url: "http://c:1"'
M='mysql:\n  p: {dsn: "u:${FX_ENV_PW}@tcp(h:1)/d"'
body() { printf "$1" "$SECRET"; }

case_ "dsn" warn 644 "$(body 'mysql:\n  p: {dsn: "u:%s@tcp(h:1)/d"}')"
case_ "password:" warn 644 "$(body 'mysql:\n  p: {host: h, user: u, password: %s, database: d}')"
case_ "connect_auth" warn 644 "$(body "$M}\n$K, connect_auth: {username: u, password: %s}}")"
case_ "connector: database.password" warn 644 "$(body "$M, connector: {database.password: %s}}")"
case_ "connector: a token" warn 644 "$(body "$M, connector: {custom.api.token: %s}}")"
case_ "connector: a jaas config" warn 644 "$(body "$M, connector: {schema.history.internal.producer.sasl.jaas.config: \"x required password=%s;\"}}")"
case_ "kafka config: sasl.password" warn 644 "$(body "$M}\n$K, config: {sasl.password: %s}}")"
case_ "kafka config: ssl.key.password" warn 644 "$(body "$M}\n$K, config: {ssl.key.password: %s}}")"
case_ "kafka config: a client secret" warn 644 "$(body "$M}\n$K, config: {sasl.oauthbearer.client.secret: %s}}")"
case_ "private file" quiet 600 "$(body "$M}\n$K, config: {sasl.password: %s}, connect_auth: {username: u, password: %s}}")"
case_ "\${VAR} everywhere" quiet 644 "$(body "$M, connector: {custom.api.token: \"\${FX_ENV_PW}\"}}\n$K, config: {sasl.password: \"\${FX_ENV_PW}\"}}")"
case_ "config provider" quiet 644 "$(body "$M, connector: {database.password: \"\${file:/run/secrets/db.properties:password}\"}}")"
case_ "no secret at all" quiet 644 "$(body "$M}\n$K, config: {security.protocol: SASL_SSL, sasl.mechanism: PLAIN}}")"

echo "literal-secrets: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
