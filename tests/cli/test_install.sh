#!/usr/bin/env bash
# make install / make uninstall into a scratch DESTDIR: exactly the expected
# files, with the expected modes; the installed completions load; uninstall
# removes exactly what install put there and nothing else.
# Usage: tests/cli/test_install.sh ./fluxacdc   (the argument is not used:
# make install installs the ./fluxacdc it builds)
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "  FAIL $*"; }

d=$tmp/dest
if make --no-print-directory -C "$root" install DESTDIR="$d" PREFIX=/opt/fx >"$tmp/log" 2>&1; then ok; else
	bad "make install failed"; sed 's/^/    | /' "$tmp/log" | tail -5
fi
schemas=$(cd "$root/schemas" && ls *.json)
{
	echo "755 opt/fx/bin/fluxacdc"
	echo "644 opt/fx/share/bash-completion/completions/fluxacdc"
	for s in $schemas; do echo "644 opt/fx/share/fluxacdc/schemas/$s"; done
	echo "644 opt/fx/share/man/man1/fluxacdc.1"
	echo "644 opt/fx/share/man/man5/fluxacdc.yaml.5"
	echo "644 opt/fx/share/zsh/site-functions/_fluxacdc"
} | sort >"$tmp/want"
(cd "$d" && find . -type f -printf '%m %P\n' | sort) >"$tmp/got"
if diff -u "$tmp/want" "$tmp/got" >"$tmp/diff"; then ok; else bad "installed files differ:"; sed 's/^/    | /' "$tmp/diff"; fi

# what was installed works
"$d/opt/fx/bin/fluxacdc" --version >/dev/null && ok || bad "installed binary runs"
bash -c 'source "$1" && complete -p fluxacdc' _ "$d/opt/fx/share/bash-completion/completions/fluxacdc" 2>&1 |
	grep -q -- '-F _fluxacdc fluxacdc' && ok || bad "installed bash completion registers _fluxacdc"
head -1 "$d/opt/fx/share/zsh/site-functions/_fluxacdc" | grep -qx '#compdef fluxacdc' && ok || bad "zsh file starts with #compdef"
if command -v zsh >/dev/null 2>&1; then
	zsh -n "$d/opt/fx/share/zsh/site-functions/_fluxacdc" && ok || bad "installed zsh completion parses"
fi
if command -v mandoc >/dev/null 2>&1; then
	mandoc -T ascii "$d/opt/fx/share/man/man1/fluxacdc.1" | col -b | grep -q 'EXIT STATUS' && ok || bad "installed fluxacdc.1 renders"
fi
cmp -s "$root/schemas/plan.schema.json" "$d/opt/fx/share/fluxacdc/schemas/plan.schema.json" && ok || bad "schema copied as is"

# uninstall: exactly those files; a file of someone else's stays
echo keep >"$d/opt/fx/share/bash-completion/completions/other-tool"
if make --no-print-directory -C "$root" uninstall DESTDIR="$d" PREFIX=/opt/fx >"$tmp/log" 2>&1; then ok; else
	bad "make uninstall failed"; sed 's/^/    | /' "$tmp/log" | tail -5
fi
left=$(cd "$d" && find . -type f -printf '%P\n')
[ "$left" = "opt/fx/share/bash-completion/completions/other-tool" ] && ok || bad "after uninstall, left: $left"
[ ! -e "$d/opt/fx/share/fluxacdc" ] && ok || bad "uninstall leaves share/fluxacdc"
make --no-print-directory -C "$root" uninstall DESTDIR="$d" PREFIX=/opt/fx >/dev/null 2>&1 && ok || bad "uninstall twice fails"

echo "install: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
