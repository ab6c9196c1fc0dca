#!/usr/bin/env bash
# Shell completion: the generated bash script is sourced and driven through
# COMP_WORDS/COMP_CWORD; the zsh one is syntax-checked and, when zsh has its
# zpty module, driven through a real interactive zsh.  Also checks that the
# completion's options and --format values are those --help and the commands
# themselves accept (the tables cannot drift).
# Usage: tests/cli/test_completion.sh ./fluxacdc
set -u
FX=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "  FAIL $*"; }

cd "$root" || exit 1
ex=fluxacdc.yaml.example
unset MYSQL_PASSWORD CONNECT_PASSWORD FLUXACDC_MANIFEST

"$FX" completion bash >"$tmp/fluxacdc.bash" && ok || bad "completion bash exits 0"
"$FX" completion zsh >"$tmp/_fluxacdc" && ok || bad "completion zsh exits 0"
bash -n "$tmp/fluxacdc.bash" && ok || bad "bash script parses"
"$FX" completion fish >/dev/null 2>"$tmp/err"; [ $? = 64 ] && ok || bad "unknown shell: want 64"
grep -q "use bash or zsh" "$tmp/err" && ok || bad "unknown shell says what to use"
"$FX" completion >/dev/null 2>&1; [ $? = 64 ] && ok || bad "no shell: want 64"

# comp WORD... : the candidates bash offers for the last word, sorted, one line
comp() {
	bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _fluxacdc
		printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " " | sed "s/ $//"' \
		_ "$tmp/fluxacdc.bash" "$FX" "$@"
}
# expect "WANT" WORD... : exact candidate list
expect() {
	local want=$1 got; shift
	got=$(comp "$@")
	if [ "$got" = "$want" ]; then ok; else bad "complete '$*': got '$got', want '$want'"; fi
}
# expect_has WORD WORD... : the candidates include WORD
expect_has() {
	local w=$1 got; shift
	got=" $(comp "$@") "
	case $got in *" $w "*) ok;; *) bad "complete '$*': '$w' not in '$got'";; esac
}

cmds=$("$FX" --help | awk '/^commands:/{f=1;next} /^$/{f=0} f{print $1}')
want_cmds=$(printf '%s\n' $cmds help | sort | tr '\n' ' ' | sed 's/ $//')
expect "$want_cmds" ''
expect "plan" pl
expect "completion" compl
expect "bash zsh" completion ''
expect "" completion bash ''
expect "github json markdown text" plan --format ''
expect "github json markdown text" show --format ''
expect "markdown" plan --format = m
expect "--format=json" plan --format=j
expect "always auto never" --color ''
expect "$want_cmds" help ''
expect "plan" -v --timeout 5 pl
expect "" plan --timeout ''
expect "entities" completion --list e
expect "fluxacdc.yaml.example" show fluxacdc.yaml.ex
expect "fluxacdc.yaml.example" plan -o fluxacdc.yaml.ex
expect "fluxacdc.yaml.example" -f fluxacdc.yaml.ex
expect "fluxacdc.yaml.example" --manifest = fluxacdc.yaml.ex
# names from the manifest: -f on the line, --manifest=, or $FLUXACDC_MANIFEST,
# with the manifest's variables unset (MYSQL_PASSWORD is)
expect "fluxa_default" -f "$ex" render --connector ''
expect "fluxa_default" --manifest = "$ex" render --connector ''
FLUXACDC_MANIFEST=$ex expect "fluxa_default" render --connector ''
"$FX" completion --list topics -f "$ex" >"$tmp/out" 2>&1 && grep -qx fluxa_default.fluxa.UserEntity "$tmp/out" && ok ||
	bad "--list topics"
"$FX" completion --list groups -f "$ex" >"$tmp/out" 2>&1 && grep -qx cdc_demo "$tmp/out" && ok || bad "--list groups"
"$FX" completion --list nope -f "$ex" >/dev/null 2>&1; [ $? = 64 ] && ok || bad "--list nope: want 64"
if grep -qx tail <<<"$cmds"; then
	expect "OrderEntity UserEntity" -f "$ex" tail ''
	expect "OrderEntity" -f "$ex" tail UserEntity O
	expect_has "pretty" tail --format ''
fi
if grep -qx apply <<<"$cmds"; then
	expect "fluxacdc.yaml.example" apply fluxacdc.yaml.ex
fi

# every option --help lists is completed, for every command
for c in $cmds; do
	got=" $(comp "$c" -) $(comp "$c" --) "
	for o in $("$FX" "$c" --help | grep -E '^ +-' | grep -oE -- '(^| )--?[a-zA-Z][a-z-]*' | tr -d ' ' | sort -u); do
		case $got in *" $o "*) ok;; *) bad "$c: option $o of --help is not completed";; esac
	done
	# and no option that --help does not list
	for o in $got; do
		"$FX" "$c" --help | grep -E '^ +-' | grep -qE -- "(^| )$o([ ,]|$)" && ok || bad "$c: completes $o, which --help does not list"
	done
done

# --format values: exactly those the command accepts (its own error lists them)
for c in $cmds; do
	"$FX" "$c" -f "$ex" --format @bogus >/dev/null 2>"$tmp/err"
	accepted=$(sed -n "s/.*--format takes \(.*\), not '@bogus'.*/\1/p" "$tmp/err" | sed 's/,/ /g; s/ or / /g' |
		tr -s ' ' '\n' | grep . | sort | tr '\n' ' ' | sed 's/ $//')
	got=$(comp "$c" --format '')
	if [ "$got" = "$accepted" ]; then ok; else bad "$c --format: completion offers '$got', the command takes '$accepted'"; fi
done

# ---- zsh ----
if command -v zsh >/dev/null 2>&1; then
	zsh -n "$tmp/_fluxacdc" && ok || bad "zsh script parses"
	if zsh -fc 'zmodload zsh/zpty' 2>/dev/null; then
		mkdir -p "$tmp/zfunc" && cp "$tmp/_fluxacdc" "$tmp/zfunc/"
		mkdir -p "$tmp/bin" && ln -s "$FX" "$tmp/bin/fluxacdc"
		cat >"$tmp/zcomp.zsh" <<'EOF'
# Drives an interactive zsh: types each line of stdin then TAB, prints
# "LINE<TAB>candidates" (sorted) as compadd saw them.  Each line is typed
# only once the prompt is out (zle reads then): typed earlier, on a busy
# machine, zsh may drop it as typeahead.  Everything read from the
# terminal also goes to $ZLOG, for the failure report.
zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z "PS1='<fx-prompt>' RPS1=''; unset zle_bracketed_paste; fpath=($ZFUNC \$fpath); autoload -U compinit; compinit -u -D; cd $ROOT; PATH=$ZBIN:\$PATH"
zpty -w z 'compadd() { if [[ " $* " == *" -"[OAD]" "* ]]; then builtin compadd "$@"; return; fi; local -a h; builtin compadd -O h "$@"; local r=$?; (( $#h )) && print -l -- "HIT:"${^h} >&2; builtin compadd "$@"; return r; }'
zpty -w z 'zstyle ":completion:*" list-prompt ""; zstyle ":completion:*" menu no; bindkey "^I" complete-word; echo READY-$((6*7))'
while zpty -r z l; do print -r -- "$l" >>$ZLOG; [[ $l == *READY-42* ]] && break; done
n=0
one() {
	local l; local -a out
	n=$((n + 1))
	zpty -r z l '*<fx-prompt>*'   # wait for the prompt (no time bound here: the caller's timeout)
	print -r -- "$l" >>$ZLOG
	zpty -n -w z "$1"$'\t'
	zpty -n -w z $'\C-u'
	zpty -w z "echo END-$n-\$((1+1))"
	while zpty -r z l; do
		print -r -- "$l" >>$ZLOG
		[[ $l == *END-$n-2* ]] && break
		[[ $l == *HIT:* ]] && out+=("${${l#*HIT:}%%$'\r'*}")
	done
	print -r -- "$1"$'\t'"${(j: :)${(ou)out}}"
}
one 'fluxacdc --version ' >/dev/null   # warm up: compinit, autoload
while IFS= read -r line; do
	one "$line"
done
zpty -d z
EOF
		zexpect() { printf '%s\t%s\n' "$1" "$2" >>"$tmp/zwant"; echo "$1" >>"$tmp/zin"; }
		: >"$tmp/zwant"; : >"$tmp/zin"
		zexpect "fluxacdc " "$want_cmds"
		zexpect "fluxacdc pl" "plan"
		zexpect "fluxacdc plan --format " "github json markdown text"
		zexpect "fluxacdc --color " "always auto never"
		zexpect "fluxacdc completion " "bash zsh"
		zexpect "fluxacdc show fluxacdc.yaml.ex" "fluxacdc.yaml.example"
		zexpect "fluxacdc -f $ex render --connector " "fluxa_default"
		zexpect "fluxacdc render --manifest=$ex --connector " "fluxa_default"
		zexpect "fluxacdc plan --detailed" "--detailed-exitcode"
		if grep -qx tail <<<"$cmds"; then
			zexpect "fluxacdc -f $ex tail " "OrderEntity UserEntity"
		fi
		# 120 s for what takes a second: bounds a hang, not a busy machine
		zs=$SECONDS
		ZFUNC=$tmp/zfunc ZBIN=$tmp/bin ROOT=$root ZLOG=$tmp/zlog timeout 120 zsh -f "$tmp/zcomp.zsh" \
			<"$tmp/zin" >"$tmp/zgot" 2>"$tmp/zerr"
		zrc=$? zfail=$fail
		while IFS=$'\t' read -r line want; do
			got=$(awk -F'\t' -v l="$line" '$1 == l { print $2; exit }' "$tmp/zgot" | tr ' ' '\n' | grep . | sort -u |
				tr '\n' ' ' | sed 's/ $//')
			if [ "$got" = "$want" ]; then ok; else bad "zsh: complete '$line': got '$got', want '$want'"; fi
		done <"$tmp/zwant"
		if [ "$fail" != "$zfail" ]; then # what zsh did, to tell a slow machine from a lost key
			echo "  zsh driver: exit $zrc$([ "$zrc" = 124 ] && echo ' (timed out)') after $((SECONDS - zs)) s; its stderr and the terminal's last lines:"
			{ cat "$tmp/zerr"; tail -n 25 "$tmp/zlog"; } | cat -v | sed 's/^/    | /'
		fi
	else
		echo "  (zsh has no zpty module: zsh checked for syntax only)"
	fi
else
	echo "  (zsh not installed: zsh completion not checked)"
fi

echo "completion: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
