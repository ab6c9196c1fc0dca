#!/usr/bin/env bash
# The build asks pkg-config for its flags only after `make deps` has run.
# A bare machine is simulated with a pkg-config that fails until a fake deps
# step has "installed" the -dev packages (a marker file): `make all` must stop
# with a clear message, `make build` (deps, then the build) must succeed on
# the first try.  Runs on a copy of the tracked sources, so the checkout's
# own build/ is never touched.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 pass=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); printf 'FAIL: %s\n' "$*"; }

(cd "$root" && git ls-files -z src Makefile scripts | xargs -0 tar cf - 2>/dev/null) | tar xf - -C "$tmp"
mkdir -p "$tmp/bin"
marker=$tmp/deps-installed
cat > "$tmp/bin/pkg-config" <<PC
#!/bin/sh
[ -e "$marker" ] || exit 1
exec /usr/bin/pkg-config "\$@"
PC
cat > "$tmp/bin/fake-deps" <<DP
#!/bin/sh
touch "$marker"
DP
chmod +x "$tmp/bin/pkg-config" "$tmp/bin/fake-deps"
mk() { make -C "$tmp" --no-print-directory PKG_CONFIG="$tmp/bin/pkg-config" \
	DEPS_SCRIPT="$tmp/bin/fake-deps" CFLAGS=-O0 SANITIZE= "$@"; }

# 1. Before deps: a clear error naming the remedy, no compiler run with empty flags.
if out=$(mk all 2>&1); then bad "make all succeeded without the -dev packages"; else
	if grep -q "run 'make deps'" <<<"$out" && ! grep -q 'fatal error' <<<"$out"; then ok
	else bad "make all without -dev packages: unexpected output: $(tail -3 <<<"$out")"; fi
fi
[ ! -e "$marker" ] && ok || bad "make all ran the deps step"

# 2. make build: deps first, then a build that sees the flags.
if out=$(mk -j2 build 2>&1); then ok; else bad "make build failed on a bare machine: $(tail -5 <<<"$out")"; fi
[ -x "$tmp/fluxacdc" ] && "$tmp/fluxacdc" version >/dev/null && ok || bad "no working ./fluxacdc after make build"

printf 'build: %d passed, %d failed\n' "$pass" "$fail"
[ "$fail" -eq 0 ]
