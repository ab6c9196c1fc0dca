#!/usr/bin/env bash
# No secret in any byte fluxacdc writes.  Sentinel secrets are put in the
# manifest (literal values), in environment variables the manifest reads, in
# the config of a connector on Connect (set behind fluxacdc's back), in
# connect_auth and in the Kafka pool's SASL config; the stack's real
# passwords are watched too.  Then every command runs, in every format, with
# -vvv, through success and error paths: validate, topics, render, plan (text,
# json, markdown, github, plan files), show, apply (create, update, apply
# FILE, refused, stale, Connect rejecting the config), status, tail (SASL,
# a wrong SASL password), manifest and DSN errors, a wrong database password.
# stdout, stderr and every file written under the run directory (the
# commands' working directory, HOME and TMPDIR) are searched for each
# sentinel; control checks prove each sentinel did reach fluxacdc.
# Connectors: fluxa_reltest_l*; topic fluxa_reltest_l*.fluxa.UserEntity.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rel_lib.sh"

rnd() { head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
# each sentinel has a random core with no character that JSON, URLs or shells
# would escape, so that a leak is found in whatever form it takes
S_MAN="LEAKman$(rnd)"      # a literal in the manifest
S_ENV="LEAKenv$(rnd)"      # an environment variable the manifest reads
S_CONNECT="LEAKcon$(rnd)"  # put into Connect's copy of the config by hand
S_AUTH="LEAKauth$(rnd)"    # connect_auth password (Connect ignores it)
S_KAFKA="LEAKkafka$(rnd)"  # a wrong SASL password
S_DB="LEAKdb$(rnd)"        # a wrong database password
S_DSN="LEAKdsn$(rnd)"      # the password of a DSN that does not parse
S_URL="LEAKurl$(rnd)"      # a password written in connect_url / a broker address
S_URLENV="LEAKurlenv$(rnd)" # the same through ${VAR}
SENTINELS=("$S_MAN" "$S_ENV" "$S_CONNECT" "$S_AUTH" "$S_KAFKA" "$S_DB" "$S_DSN" "$S_URL" "$S_URLENV"
	"$FLUXACDC_MYSQL_PASSWORD" "${FLUXACDC_KAFKA_SASL_PASSWORD:-fluxa-tail-pw}")

IN="$FX_TMP/in"   # manifests: they hold sentinels by design, never searched
RUN="$FX_TMP/run" # everything fluxacdc may write: searched
mkdir -p "$IN" "$RUN/home" "$RUN/tmp"
M="$IN/m.yaml"
R=$FX_RUN # names of this run's own (lib.sh)
POOL=reltest_l$R
C=fluxa_$POOL
TOPIC=$C.fluxa.UserEntity
export RELTEST_DB_PW="$FLUXACDC_MYSQL_PASSWORD" RELTEST_SECRET="$S_ENV" RELTEST_AUTH="$S_AUTH"
export RELTEST_KAFKA_PW="${FLUXACDC_KAFKA_SASL_PASSWORD:-}"
cleanup() {
	curl -sS -o /dev/null -m 30 -X DELETE "$FLUXACDC_CONNECT_URL/connectors/$C" 2>/dev/null
	"$STACK" kafka-topics --delete --topic "$C(\\..*|_schema_history)" >/dev/null 2>&1
}
trap cleanup EXIT

# manifest [EXTRA_ENTITY_LINE]: one pool with a literal secret, an env secret,
# connect_auth, SASL for tail
manifest() {
	local brokers=$FLUXACDC_BROKERS kcfg="{}"
	if [ -n "${FLUXACDC_KAFKA_SASL_BROKERS:-}" ]; then
		brokers=$FLUXACDC_KAFKA_SASL_BROKERS
		kcfg="{security.protocol: SASL_PLAINTEXT, sasl.mechanism: PLAIN, sasl.username: $FLUXACDC_KAFKA_SASL_USER, sasl.password: \"\${RELTEST_KAFKA_PW}\"}"
	fi
	cat >"$M" <<YAML
version: 1
mysql:
  $POOL:
    dsn: "${FLUXACDC_MYSQL_USER}:\${RELTEST_DB_PW}@tcp(${FLUXACDC_MYSQL_HOST}:${FLUXACDC_MYSQL_PORT})/${FLUXACDC_MYSQL_DATABASE}"
    flavor: mariadb
    server_id: 7731
    connector:
      snapshot.mode: no_data
      custom.api.token: "$S_MAN"
      database.ssl.truststore.password: "\${RELTEST_SECRET}"
kafka:
  default:
    brokers: ["$brokers"]
    connect_bootstrap_servers: "$FLUXACDC_BROKERS"
    connect_url: "$FLUXACDC_CONNECT_URL"
    connect_auth: {username: reltest, password: "\${RELTEST_AUTH}"}
    config: $kcfg
entities:
  UserEntity: {debezium: true, mysql: $POOL}
${1:-}
YAML
	chmod 600 "$M"
}

N=0
# fx NAME ARGS...: fluxacdc in the run dir, with HOME and TMPDIR there too
fx() {
	local name=$1
	shift
	N=$((N + 1))
	(cd "$RUN" && HOME="$RUN/home" TMPDIR="$RUN/tmp" "$FLUXACDC" "$@" >"$RUN/$name.out" 2>"$RUN/$name.err")
	RC=$?
}

wait_foreign_gone "$C"
cleanup
manifest

# ---- offline commands
for f in text json; do
	fx "validate-$f" validate -f "$M" --format "$f" -vvv
	fx "topics-$f" topics -f "$M" --format "$f" -vvv
	fx "render-$f" render -f "$M" --format "$f" -vvv
done
assert_eq "validate: exit 0" 0 "$(fx v validate -f "$M"; echo "$RC")"
(cd "$RUN" && RELTEST_SECRET="$S_ENV" "$FLUXACDC" render -f "$M" --show-secrets >"$FX_TMP/control-render.json" 2>&1)
assert_contains "control: --show-secrets does show the literal secret" "$FX_TMP/control-render.json" "$S_MAN"
assert_contains "control: and the one from the environment" "$FX_TMP/control-render.json" "$S_ENV"

# ---- plan in every format, plan files, show
for f in text json markdown github; do
	fx "plan-$f" plan -f "$M" --format "$f" -vvv --out "$RUN/plan-$f.json"
	fx "show-$f" show "$RUN/plan-$f.json" --format "$f" -vvv
done
assert_eq "plan: one create" 1 "$(jq '.summary.create' "$RUN/plan-json.out")"

# ---- apply: create (the secrets go to Connect), then status
fx apply-create apply -f "$M" --auto-approve --wait 90 -vvv
assert_eq "apply create: exit 0" 0 "$RC"
live() { curl -sS -m 10 "$FLUXACDC_CONNECT_URL/connectors/$C/config"; }
assert_eq "control: Connect holds the literal secret" "$S_MAN" "$(live | jq -r '."custom.api.token"')"
assert_eq "control: and the one from the environment" "$S_ENV" "$(live | jq -r '."database.ssl.truststore.password"')"
for f in text json; do
	fx "status-$f" status -f "$M" --format "$f" -vvv
done
assert_eq "status: exit 0" 0 "$RC"

# ---- a secret changed behind fluxacdc's back: plan shows it changed, apply FILE puts it back
live | jq -c --arg s "$S_CONNECT" '. + {"database.ssl.truststore.password": $s}' >"$FX_TMP/cfg.json"
curl -sS -o /dev/null -X PUT -H 'Content-Type: application/json' --data @"$FX_TMP/cfg.json" \
	"$FLUXACDC_CONNECT_URL/connectors/$C/config"
assert_eq "control: Connect holds the hand-set secret" "$S_CONNECT" "$(live | jq -r '."database.ssl.truststore.password"')"
for f in text json markdown github; do
	fx "plan-drift-$f" plan -f "$M" --format "$f" -vvv --out "$RUN/plan-drift-$f.json"
done
assert_eq "drift: the secret's change is shown as sensitive" true \
	"$(jq '[.changes[0].diff[]|select(.key=="database.ssl.truststore.password")][0].sensitive' "$RUN/plan-drift-json.out")"
fx status-drift status -f "$M" --format json -vvv
fx apply-file apply "$RUN/plan-drift-json.json" -f "$M" --wait 90 -vvv --format json
assert_eq "apply FILE: exit 0" 0 "$RC"
assert_eq "control: the secret is put back" "$S_ENV" "$(live | jq -r '."database.ssl.truststore.password"')"
fx apply-stale apply "$RUN/plan-drift-text.json" -f "$M" -vvv
assert_eq "apply of a plan already carried out: stale, exit 4" 4 "$RC"

# ---- a second entity and a changed secret: update; a refused delete
export RELTEST_SECRET="$S_ENV-2"
manifest "  OrderEntity: {debezium: true, mysql: $POOL}"
fx apply-update apply -f "$M" --auto-approve --wait 90 --no-snapshot -vvv
assert_eq "apply update: exit 0" 0 "$RC"
export RELTEST_SECRET="$S_ENV"
cat >"$IN/empty.yaml" <<YAML
version: 1
mysql:
  $POOL: {dsn: "${FLUXACDC_MYSQL_USER}:\${RELTEST_DB_PW}@tcp(${FLUXACDC_MYSQL_HOST}:${FLUXACDC_MYSQL_PORT})/${FLUXACDC_MYSQL_DATABASE}"}
kafka:
  default: {brokers: ["$FLUXACDC_BROKERS"], connect_url: "$FLUXACDC_CONNECT_URL", connect_auth: {username: reltest, password: "$S_MAN"}}
entities: {}
YAML
chmod 600 "$IN/empty.yaml"
fx apply-refused apply -f "$IN/empty.yaml" --auto-approve -vvv
assert_eq "delete without --allow-destroy: exit 3" 3 "$RC"

# ---- error paths
# Connect rejects the config: a wrong database password makes validation fail
cat >"$IN/baddb.yaml" <<YAML
version: 1
mysql:
  ${POOL}x:
    dsn: "${FLUXACDC_MYSQL_USER}:\${RELTEST_BAD_DB}@tcp(${FLUXACDC_MYSQL_HOST}:${FLUXACDC_MYSQL_PORT})/${FLUXACDC_MYSQL_DATABASE}"
    flavor: mariadb
    server_id: 7732
kafka:
  default: {brokers: ["$FLUXACDC_BROKERS"], connect_url: "$FLUXACDC_CONNECT_URL"}
entities:
  UserEntity: {debezium: true, mysql: ${POOL}x}
YAML
export RELTEST_BAD_DB="$S_DB"
for f in text json; do
	fx "plan-baddb-$f" plan -f "$IN/baddb.yaml" --format "$f" -vvv
done
assert_eq "wrong database password: plan exit 1" 1 "$RC"
assert_contains "wrong database password: mysql.reachable says so" "$RUN/plan-baddb-json.out" "mysql.reachable"
fx apply-baddb apply -f "$IN/baddb.yaml" --auto-approve --skip-db-checks --no-server-validate -vvv --no-wait
case $RC in 1 | 3 | 5) ok "Connect refusing the config: apply exit $RC" ;; *) fail "apply with a bad password: exit $RC" ;; esac
curl -sS -o /dev/null -X DELETE "$FLUXACDC_CONNECT_URL/connectors/fluxa_${POOL}x"
# a DSN that does not parse, an unset variable, a syntax error
printf 'version: 1\nmysql:\n  p: {dsn: "u:%s@tcp(h:99999)/d"}\nkafka: {}\nentities: {}\n' "$S_DSN" >"$IN/dsn.yaml"
printf 'version: 1\nmysql:\n  p: {dsn: "u:%s@tcp(h:1)/d", flavor: maybe}\nentities: {}\n' "$S_MAN" >"$IN/bad.yaml"
printf 'version: 1\nmysql: {p: {dsn: "u:%s@tcp(h:1)/d"\n' "$S_MAN" >"$IN/syntax.yaml"
chmod 600 "$IN"/*.yaml
for f in dsn bad syntax; do
	for c in validate render plan; do
		fx "err-$f-$c" "$c" -f "$IN/$f.yaml" -vvv
	done
done
assert_eq "a DSN that does not parse: manifest error 65" 65 "$(fx x validate -f "$IN/dsn.yaml"; echo "$RC")"
# credentials in connect_url or a broker address (SPEC §1): a manifest error that
# points to connect_auth / config:, for every command that reads the manifest
host=${FLUXACDC_CONNECT_URL#http://}
cat >"$IN/urlcred.yaml" <<YAML
version: 1
mysql:
  $POOL: {dsn: "${FLUXACDC_MYSQL_USER}:\${RELTEST_DB_PW}@tcp(${FLUXACDC_MYSQL_HOST}:${FLUXACDC_MYSQL_PORT})/${FLUXACDC_MYSQL_DATABASE}", server_id: 7733}
kafka:
  default:
    brokers: ["reltest:$S_URL@$FLUXACDC_BROKERS"]
    connect_url: "http://deployer:$S_URL@$host"
  env:
    brokers: ["$FLUXACDC_BROKERS"]
    connect_url: "http://deployer:\${RELTEST_URL_PW}@$host"
entities:
  UserEntity: {debezium: true, mysql: $POOL}
YAML
chmod 600 "$IN/urlcred.yaml"
export RELTEST_URL_PW="$S_URLENV"
for c in validate topics render plan status apply tail; do
	for f in text json; do
		case $c in tail) fx "urlcred-$c-$f" tail -f "$IN/urlcred.yaml" -e --timeout 5 -vvv ;;
		apply) fx "urlcred-$c-$f" apply -f "$IN/urlcred.yaml" --auto-approve --format "$f" -vvv ;;
		*) fx "urlcred-$c-$f" "$c" -f "$IN/urlcred.yaml" --format "$f" -vvv ;;
		esac
		assert_eq "credentials in a URL: $c ($f) is a manifest error" 65 "$RC"
	done
done
assert_contains "connect_url credentials: points to connect_auth" "$RUN/urlcred-validate-text.err" "give them as connect_auth:"
assert_contains "broker credentials: points to config:" "$RUN/urlcred-validate-text.err" "under config:"
assert_contains "control: the \${VAR} form is found too (kafka pool 'env')" "$RUN/urlcred-validate-text.err" "kafka pool 'env': 'connect_url' holds credentials"
unset RELTEST_URL_PW

# a world-readable manifest with a literal secret: warned about, never echoed
cp "$IN/empty.yaml" "$IN/readable.yaml"
chmod 644 "$IN/readable.yaml"
fx warn-readable validate -f "$IN/readable.yaml" -vvv
assert_contains "world-readable literal secret: warned" "$RUN/warn-readable.err" "literal password"

# ---- tail over SASL, and with a wrong SASL password
printf '%s\t%s\n' "$(cat "$FLUXACDC_ROOT/tests/fixtures/events-tail/plain-types-create.key")" \
	"$(cat "$FLUXACDC_ROOT/tests/fixtures/events-tail/plain-types-create.value")" |
	kcat -P -b "$FLUXACDC_BROKERS" -t "$TOPIC" -K $'\t'
for f in json pretty; do
	fx "tail-$f" tail -f "$M" UserEntity -e --from beginning --format "$f" --timeout 5 -vvv
done
assert_eq "tail over ${FLUXACDC_KAFKA_SASL_BROKERS:+SASL }: exit 0" 0 "$RC"
assert_eq "tail: the event" 1 "$(grep -c '"op"' "$RUN/tail-json.out")"
RELTEST_KAFKA_PW="$S_KAFKA" fx tail-badpw tail -f "$M" UserEntity -e --timeout 3 -vvv
[ -n "${FLUXACDC_KAFKA_SASL_BROKERS:-}" ] && assert_eq "tail with a wrong SASL password: exit 1" 1 "$RC"

# ---- the search
echo "  .. $N runs; searching $(find "$RUN" -type f | wc -l) files ($(du -sh "$RUN" | cut -f1)) for ${#SENTINELS[@]} secrets"
leaked=0
for s in "${SENTINELS[@]}"; do
	[ -n "$s" ] || continue
	if hits=$(grep -rlF -- "$s" "$RUN"); then
		leaked=1
		fail "secret '${s:0:8}...' found in: $(echo "$hits" | sed "s|$RUN/||" | xargs)"
		grep -rhF -- "$s" "$RUN" | head -3 | cut -c1-200 | sed 's/^/    | /'
	fi
done
[ $leaked = 0 ] && ok "no secret in any stdout, stderr, plan file or other file written ($N runs)"
assert_eq "no file written outside the plan files and captured output" "" \
	"$(cd "$RUN" && find . -type f ! -name '*.out' ! -name '*.err' ! -name 'plan-*.json' | xargs)"

finish
