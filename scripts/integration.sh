#!/usr/bin/env bash
# make integration (part of make check): the integration suite once per stack
# profile (current first), each on a stack of make check's own: run dir
# $CHECK_STACK_DIR and ports $CHECK_*_PORT (set by the Makefile), never the
# demo's and never what the caller's FLUXACDC_STACK_* point at.  Each profile
# starts from wiped data (jars are kept) and its stack is always brought down.
# Arguments: test scripts to run instead of all (as for tests/integration/run.sh).
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
# the caller's stack settings do not leak in
for v in $(compgen -e | grep '^FLUXACDC_STACK_\|^FLUXACDC_KEEP_STACK$'); do unset "$v"; done
export FLUXACDC_STACK_DIR=${CHECK_STACK_DIR:-$root/.stack-check}
export FLUXACDC_STACK_MYSQL_PORT=${CHECK_MYSQL_PORT:-14306}
export FLUXACDC_STACK_KAFKA_PORT=${CHECK_KAFKA_PORT:-19192}
export FLUXACDC_STACK_CONTROLLER_PORT=${CHECK_CONTROLLER_PORT:-19193}
export FLUXACDC_STACK_CONNECT_PORT=${CHECK_CONNECT_PORT:-18183}
export FLUXACDC_STACK_CONNECT2_PORT=${CHECK_CONNECT2_PORT:-18184}
rc=0 times=()
for p in ${CHECK_PROFILES:-current 3.9}; do
	echo "== integration on stack profile $p (run dir $FLUXACDC_STACK_DIR)"
	t0=$(date +%s)
	FLUXACDC_STACK_PROFILE=$p "$root/tests/stack/stack.sh" clean >/dev/null 2>&1
	if FLUXACDC_STACK_PROFILE=$p "$root/tests/integration/run.sh" "$@"; then r=passed; else r=FAILED; rc=1; fi
	times+=("$p $r in $(($(date +%s) - t0)) s")
done
printf 'integration: profile %s\n' "${times[@]}"
exit $rc
