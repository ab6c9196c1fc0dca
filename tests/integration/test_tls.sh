#!/usr/bin/env bash
# fluxacdc to Kafka Connect over HTTPS, against a real TLS endpoint: nginx
# (Debian nginx-light) on loopback terminating TLS in front of the stack's
# Connect, with a CA, server and client certificates made by openssl at test
# time (tls_lib.sh).  Verification on by default (no CA, a rogue CA, a wrong
# host name, an expired certificate all fail); insecure: true works with a
# warning; client certificates required (none, a rogue one, a key that does
# not match all fail); basic auth (right, wrong, missing); everything at once
# for plan, status and apply; the basic-auth password never printed.
# Connector: fluxa_reltest_t<FX_RUN> (a name of this run's own, lib.sh), removed at the end.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tls_lib.sh"
. "$(dirname "$0")/rel_lib.sh"
M="$FX_TMP/m.yaml"
SENT="SENTINEL-tls-$$-pw"
export RELTEST_PW="$FLUXACDC_MYSQL_PASSWORD" RELTEST_CONNECT_PW="$SENT"
TO=3
P=reltest_t$FX_RUN
cleanup() {
	tls_nginx_stop
	curl -sS -o /dev/null -m 30 -X DELETE "$FLUXACDC_CONNECT_URL/connectors/fluxa_$P" 2>/dev/null
	"$STACK" kafka-topics --delete --topic "fluxa_$P(\\..*|_schema_history|_signal|_notifications)" >/dev/null 2>&1
}
trap cleanup EXIT

# manifest URL [CONNECT_TLS_FLOW] [CONNECT_AUTH_FLOW]
manifest() {
	cat >"$M" <<YAML
version: 1
mysql:
  $P:
    dsn: "${FLUXACDC_MYSQL_USER}:\${RELTEST_PW}@tcp(${FLUXACDC_MYSQL_HOST}:${FLUXACDC_MYSQL_PORT})/${FLUXACDC_MYSQL_DATABASE}"
    flavor: mariadb
    server_id: 7721
    connector: {snapshot.mode: no_data}
kafka:
  default:
    brokers: ["${FLUXACDC_BROKERS}"]
    connect_url: "$1"
${2:+    connect_tls: $2}
${3:+    connect_auth: $3}
entities:
  UserEntity: {debezium: true, mysql: $P}
YAML
	chmod 600 "$M"
}
CA="ca_file: $TLS/ca.pem"
CLIENT="cert_file: $TLS/client.pem, key_file: $TLS/client.key"
AUTH="{username: reltest, password: \"\${RELTEST_CONNECT_PW}\"}"

# works LABEL: plan and status succeed through the endpoint of the manifest
works() {
	run_fx "$FX_TMP/w" plan -f "$M" --skip-db-checks --timeout $TO --format json
	assert_eq "$1: plan exit 0" 0 "$RC"
	assert_eq "$1: Connect reached through TLS" info \
		"$(jq -r '[.checks[]|select(.id=="connect.reachable")][0].level' "$FX_TMP/w.out")"
	run_fx "$FX_TMP/ws" status -f "$M" --timeout $TO
	assert_eq "$1: status exit 0" 0 "$RC"
}
# refused LABEL MESSAGE: plan and status fail (exit 1) with MESSAGE, in time
refused() {
	local s ms
	s=$(date +%s%N)
	run_fx "$FX_TMP/r" plan -f "$M" --skip-db-checks --timeout $TO --format json
	ms=$((($(date +%s%N) - s) / 1000000))
	assert_eq "$1: plan exit 1" 1 "$RC"
	# connect.auth when Connect answered 401/403, connect.reachable otherwise
	assert_eq "$1: connect.reachable (or connect.auth) error" error \
		"$(jq -r '[.checks[]|select(.id=="connect.reachable" or .id=="connect.auth")][0].level' "$FX_TMP/r.out")"
	assert_contains "$1: says why" "$FX_TMP/r.out" "$2"
	# within --timeout, with room for a busy machine: a hang or retries would take far longer
	[ "$ms" -lt $((TO * 1000 + 10000)) ] && ok "$1: in ${ms} ms" || fail "$1: took ${ms} ms"
	run_fx "$FX_TMP/rs" status -f "$M" --timeout $TO
	assert_eq "$1: status exit 1" 1 "$RC"
	assert_contains "$1: status says why" "$FX_TMP/rs.err" "$2"
	printf '  .. %-28s %s\n' "$1" "$(jq -r '[.checks[]|select(.id=="connect.reachable" or .id=="connect.auth")][0].message' "$FX_TMP/r.out" | sed 's/.*: GET [^ ]*: //')"
}

wait_foreign_gone fluxa_$P # status counts every managed connector
tls_pki || { fail "openssl could not make the test PKI"; cat "$TLS/openssl.log"; finish; exit 1; }
tls_nginx_start "$SENT" || { fail "nginx did not start"; finish; exit 1; }
ok "test PKI and nginx (TLS $PORT_TLS, mTLS $PORT_MTLS, auth $PORT_AUTH, all $PORT_ALL)"
H=https://127.0.0.1

# ---- server certificate verification, on by default
manifest "$H:$PORT_TLS" "{$CA}"
works "ca_file"
# a relative ca_file is beside the manifest, wherever fluxacdc runs from
cp "$TLS/ca.pem" "$(dirname "$M")/ca-beside.pem"
manifest "$H:$PORT_TLS" "{ca_file: ca-beside.pem}"
pushd / >/dev/null
works "relative ca_file, run from /"
popd >/dev/null
manifest "$H:$PORT_TLS"
refused "no ca_file (system CAs)" "SSL certificate problem: unable to get local issuer certificate"
manifest "$H:$PORT_TLS" "{ca_file: $TLS/rogue-ca.pem}"
refused "another CA" "SSL certificate problem"
manifest "$H:$PORT_WRONGHOST" "{$CA}"
refused "certificate for another host" "no alternative certificate subject name matches target host name '127.0.0.1'"
manifest "$H:$PORT_EXPIRED" "{$CA}"
refused "expired certificate" "certificate has expired"
manifest "$H:$PORT_TLS" "{ca_file: $TLS/missing-ca.pem}"
refused "ca_file missing" "missing-ca.pem"
manifest "http://127.0.0.1:$PORT_TLS" "{$CA}"
refused "http:// to a TLS port" "HTTP 400: 400 The plain HTTP request was sent to HTTPS port"
manifest "$H:${FLUXACDC_CONNECT_URL##*:}" "{$CA}"
refused "https:// to a plain port" "wrong version number"

# insecure: true must be explicit; it works, and says so
manifest "$H:$PORT_TLS" "{insecure: true}"
works "insecure: true"
assert_eq "insecure: plan warns (connect.tls_insecure)" warning \
	"$(jq -r '[.checks[]|select(.id=="connect.tls_insecure")][0].level' "$FX_TMP/w.out")"
assert_contains "insecure: status warns on stderr" "$FX_TMP/ws.err" "TLS certificate checks are off"
run_fx "$FX_TMP/iv" validate -f "$M"
assert_eq "insecure: validate accepts it" 0 "$RC"
manifest "$H:$PORT_EXPIRED" "{insecure: true}"
works "insecure: true, even expired"

# ---- client certificates required
manifest "$H:$PORT_MTLS" "{$CA, $CLIENT}"
works "client certificate"
manifest "$H:$PORT_MTLS" "{$CA}"
refused "no client certificate" "HTTP 400: 400 No required SSL certificate was sent"
manifest "$H:$PORT_MTLS" "{$CA, cert_file: $TLS/rogue-client.pem, key_file: $TLS/rogue-client.key}"
refused "client certificate of another CA" "HTTP 400: 400 The SSL certificate error"
manifest "$H:$PORT_MTLS" "{$CA, cert_file: $TLS/client.pem, key_file: $TLS/server.key}"
refused "client key that does not match" "private key"
manifest "$H:$PORT_MTLS" "{$CA, cert_file: $TLS/missing.pem, key_file: $TLS/client.key}"
refused "client certificate missing" "missing.pem"
manifest "$H:$PORT_MTLS" "{$CA, cert_file: $TLS/client.pem}"
run_fx "$FX_TMP/ck" validate -f "$M"
assert_eq "cert_file without key_file: manifest error 65" 65 "$RC"
assert_contains "cert_file without key_file: says so" "$FX_TMP/ck.err" "'cert_file' and 'key_file' go together"

# ---- basic auth
manifest "$H:$PORT_AUTH" "{$CA}" "$AUTH"
works "basic auth"
manifest "$H:$PORT_AUTH" "{$CA}" "{username: reltest, password: \"\${RELTEST_WRONG_PW}\"}"
RELTEST_WRONG_PW="$SENT-wrong" refused "wrong password" "HTTP 401: 401 Authorization Required"
assert_not_contains "wrong password: not printed" "$FX_TMP/r.out" "$SENT"
manifest "$H:$PORT_AUTH" "{$CA}"
refused "no credentials" "HTTP 401: 401 Authorization Required"

# ---- all at once: CA, client certificate, basic auth; plan, apply, status
wait_foreign_gone fluxa_$P
manifest "$H:$PORT_ALL" "{$CA, $CLIENT}" "$AUTH"
works "CA + client certificate + basic auth"
run_fx "$FX_TMP/ap" apply -f "$M" --skip-db-checks --auto-approve --timeout $TO --wait 90 -vvv
assert_eq "all: apply through TLS + auth: exit 0" 0 "$RC"
assert_eq "all: the connector is on Connect" 200 \
	"$(curl -s -o /dev/null -w '%{http_code}' "$FLUXACDC_CONNECT_URL/connectors/fluxa_$P")"
run_fx "$FX_TMP/st" status -f "$M" --timeout $TO --format json
assert_eq "all: status exit 0" 0 "$RC"
assert_contains "all: status shows it" "$FX_TMP/st.out" "fluxa_$P"
run_fx "$FX_TMP/ap2" apply -f "$M" --skip-db-checks --auto-approve --timeout $TO --format json
assert_eq "all: a repeated apply: exit 0" 0 "$RC"
assert_eq "all: and nothing to do" "unchanged" \
	"$(jq -r --arg c "fluxa_$P" '[.results[]|select(.connector==$c)] | if length == 0 then "unchanged" else .[0].outcome end' "$FX_TMP/ap2.out")"
if grep -rlF -- "$SENT" "$FX_TMP"/*.out "$FX_TMP"/*.err; then
	fail "the basic-auth password was printed"
else
	ok "the basic-auth password in no output (-vvv included)"
fi

finish
