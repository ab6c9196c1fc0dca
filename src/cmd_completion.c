/*
 * fluxacdc completion bash|zsh: prints a shell completion script generated
 * from the command table and the option tables that --help prints, so the
 * two cannot drift.  `--list WHAT` prints names from the manifest (entities,
 * connectors, topics, consumer groups) for the scripts to offer.
 *
 * What the tables do not say (the values an option takes) is in the two
 * small tables below; tests/cli/test_completion.sh checks them against the
 * commands' own error messages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_common.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "version.h"

enum { COMPLETION_LIST = 1 };

static const struct fx_optdef completion_optdefs[] = {
	{ .id = COMPLETION_LIST, .lname = "list", .has_arg = 1, .argname = "WHAT",
	  .help = "print the manifest's entities, connectors, topics or groups, one a line" },
	{ .id = 0 },
};

/* --format values per command; a command not listed takes text and json. */
static const struct {
	const char *cmd;
	const char *formats;
} completion_formats[] = {
	{ "plan", "text json markdown github" },
	{ "show", "text json markdown github" },
	{ "tail", "pretty json" },
	{ "version", "" },
	{ "restart", "" },
	{ "completion", "" },
	{ "help", "" },
};

enum completion_kind { COMP_NONE, COMP_FILE, COMP_DIR, COMP_WORDS, COMP_LIST, COMP_COMMANDS };

/* Values of options that take one; cmd NULL: any command.  Else by argname. */
static const struct {
	const char *cmd;
	const char *opt;
	enum completion_kind kind;
	const char *arg;
} completion_values[] = {
	{ NULL, "color", COMP_WORDS, "auto always never" },
	{ NULL, "connector", COMP_LIST, "connectors" },
	{ NULL, "topic", COMP_LIST, "topics" },
	{ NULL, "group", COMP_LIST, "groups" },
	{ "tail", "from", COMP_WORDS, "beginning end" },
	{ "tail", "tombstones", COMP_WORDS, "show hide" },
	{ "tail", "op", COMP_WORDS, "c u d r t m" },
	{ "completion", "list", COMP_WORDS, "entities connectors topics groups" },
};

struct completion_value {
	enum completion_kind kind;
	const char *arg;  /* words or list name; lent from the tables */
	char words[128];  /* COMP_WORDS built from a command's args ("bash|zsh") */
};

static const char *completion_formats_of(const char *cmd)
{
	size_t i;

	for (i = 0; i < sizeof(completion_formats) / sizeof(completion_formats[0]); i++)
		if (!strcmp(completion_formats[i].cmd, cmd))
			return completion_formats[i].formats;
	return "text json";
}

/* The formats any command takes, for --format given before the command. */
static void completion_all_formats(struct fx_buf *b, const struct fx_cmd *const *cmds)
{
	const struct fx_cmd *const *c;

	for (c = cmds; *c; c++) {
		const char *f = completion_formats_of((*c)->name);

		while (*f) {
			size_t n = strcspn(f, " ");
			char w[32];

			snprintf(w, sizeof(w), " %.*s ", (int)n, f);
			if (!strstr(fx_buf_str(b), w)) {
				if (!b->len)
					fx_buf_addc(b, ' ');
				fx_buf_add(b, w + 1, strlen(w) - 1);
			}
			f += n;
			f += strspn(f, " ");
		}
	}
	/* drop the spaces around the words */
	while (b->len && b->buf[b->len - 1] == ' ')
		b->buf[--b->len] = '\0';
	if (b->len && b->buf[0] == ' ') {
		memmove(b->buf, b->buf + 1, b->len);
		b->len--;
	}
}

static void completion_value_of(const char *cmd, const struct fx_optdef *d,
				struct completion_value *v)
{
	size_t i;

	v->kind = COMP_NONE;
	v->arg = "";
	for (i = 0; i < sizeof(completion_values) / sizeof(completion_values[0]); i++) {
		if (strcmp(completion_values[i].opt, d->lname))
			continue;
		if (completion_values[i].cmd && (!cmd || strcmp(completion_values[i].cmd, cmd)))
			continue;
		v->kind = completion_values[i].kind;
		v->arg = completion_values[i].arg;
		return;
	}
	if (d->argname && (strstr(d->argname, "FILE") || strstr(d->argname, "PATH")))
		v->kind = COMP_FILE;
	else if (d->argname && strstr(d->argname, "DIR"))
		v->kind = COMP_DIR;
}

/* A command's operands, from its synopsis: FILE, ENTITY..., CONNECTOR..., a|b, COMMAND. */
static void completion_operand_of(const struct fx_cmd *c, struct completion_value *v, int *many)
{
	const char *a = c->args ? c->args : "";

	v->kind = COMP_NONE;
	v->arg = "";
	*many = strstr(a, "...") != NULL;
	if (strstr(a, "FILE")) {
		v->kind = COMP_FILE;
	} else if (strstr(a, "ENTITY")) {
		v->kind = COMP_LIST;
		v->arg = "entities";
	} else if (strstr(a, "CONNECTOR")) {
		v->kind = COMP_LIST;
		v->arg = "connectors";
	} else if (strstr(a, "COMMAND")) {
		v->kind = COMP_COMMANDS;
	} else if (strchr(a, '|')) {
		size_t i, k = 0;

		for (i = 0; a[i] && k + 1 < sizeof(v->words); i++) {
			if (a[i] == '[' || a[i] == ']')
				continue;
			v->words[k++] = a[i] == '|' ? ' ' : a[i];
		}
		v->words[k] = '\0';
		v->kind = COMP_WORDS;
		v->arg = v->words;
	}
}

/* "help" is main.c's, not a table row: it completes command names. */
static const struct fx_cmd completion_help = {
	.name = "help",
	.args = "[COMMAND]",
	.summary = "Show help, or a command's help.",
};

/* ---- bash ---- */

static void bash_opts(FILE *out, const struct fx_optdef *d, int with_arg)
{
	for (; d && d->id; d++) {
		if (!d->has_arg != !with_arg)
			continue;
		fprintf(out, " --%s", d->lname);
		if (d->sname)
			fprintf(out, " -%c", d->sname);
	}
}

static void bash_value(FILE *out, const struct completion_value *v)
{
	switch (v->kind) {
	case COMP_FILE:
		fputs("file", out);
		break;
	case COMP_DIR:
		fputs("dir", out);
		break;
	case COMP_WORDS:
		fprintf(out, "words %s", v->arg);
		break;
	case COMP_LIST:
		fprintf(out, "list %s", v->arg);
		break;
	case COMP_COMMANDS:
		fputs("commands", out);
		break;
	default:
		fputs("none", out);
	}
}

/* One case pattern per option of the command that takes a value. */
static void bash_values(FILE *out, const char *cmd, const struct fx_optdef *d)
{
	for (; d && d->id; d++) {
		struct completion_value v;

		if (!d->has_arg || !strcmp(d->lname, "format"))
			continue;
		completion_value_of(cmd, d, &v);
		fprintf(out, "\t'%s --%s'", cmd ? cmd : "", d->lname);
		if (d->sname)
			fprintf(out, "|'%s -%c'", cmd ? cmd : "", d->sname);
		fputs(") echo '", out);
		bash_value(out, &v);
		fputs("';;\n", out);
	}
}

static void bash_spec(FILE *out, const struct fx_cmd *c)
{
	struct completion_value v;
	int many;

	completion_operand_of(c, &v, &many);
	fprintf(out, "\t%s)\n\t\t_fx_flags='", c->name);
	bash_opts(out, c->optdefs, 0);
	fputs("'\n\t\t_fx_argopts='", out);
	bash_opts(out, c->optdefs, 1);
	fprintf(out, "'\n\t\t_fx_formats='%s'\n\t\t_fx_operand='", completion_formats_of(c->name));
	bash_value(out, &v);
	fprintf(out, "'\n\t\t_fx_many=%d;;\n", many);
}

static const char bash_main[] =
"# _fluxacdc_list WHAT MANIFEST BIN: names from the manifest, one a line.\n"
"_fluxacdc_list() {\n"
"\tlocal bin=$3 m=$2\n"
"\tlocal -a a=(completion --list \"$1\")\n"
"\t[[ $bin == '~/'* ]] && bin=$HOME/${bin#'~/'}\n"
"\t[[ $m == '~/'* ]] && m=$HOME/${m#'~/'}\n"
"\t[[ -n $m ]] && a+=(-f \"$m\")\n"
"\t\"$bin\" \"${a[@]}\" 2>/dev/null\n"
"}\n"
"\n"
"# _fluxacdc_reply: COMPREPLY from standard input, one candidate a line.\n"
"_fluxacdc_reply() {\n"
"\tlocal l\n"
"\tCOMPREPLY=()\n"
"\twhile IFS= read -r l; do COMPREPLY+=(\"$l\"); done\n"
"}\n"
"\n"
"# _fluxacdc_complete KIND CUR MANIFEST BIN: sets COMPREPLY.\n"
"_fluxacdc_complete() {\n"
"\tlocal kind=$1 cur=$2\n"
"\tcase $kind in\n"
"\tfile) compopt -o filenames 2>/dev/null; _fluxacdc_reply < <(compgen -f -- \"$cur\");;\n"
"\tdir) compopt -o filenames 2>/dev/null; _fluxacdc_reply < <(compgen -d -- \"$cur\");;\n"
"\tcommands) _fluxacdc_reply < <(compgen -W \"$_fluxacdc_commands\" -- \"$cur\");;\n"
"\t'words '*) _fluxacdc_reply < <(compgen -W \"${kind#words }\" -- \"$cur\");;\n"
"\t'list '*) _fluxacdc_reply < <(compgen -W \"$(_fluxacdc_list \"${kind#list }\" \"$3\" \"$4\")\" -- \"$cur\");;\n"
"\t*) COMPREPLY=();;\n"
"\tesac\n"
"}\n"
"\n"
"_fluxacdc() {\n"
"\tlocal cur=${COMP_WORDS[COMP_CWORD]} cword=$COMP_CWORD\n"
"\tlocal -a words=(\"${COMP_WORDS[@]}\")\n"
"\tlocal cmd='' manifest='' opt='' pre='' dashdash='' w i=1 last nops=0\n"
"\tlocal _fx_flags _fx_argopts _fx_formats _fx_operand _fx_many\n"
"\tCOMPREPLY=()\n"
"\tlast=$cword\n"
"\t# bash splits --opt=value at '=' (COMP_WORDBREAKS): find the option\n"
"\tif [[ $cur == = && $cword -ge 2 && ${words[cword-1]} == -* ]]; then\n"
"\t\topt=${words[cword-1]} cur='' last=$((cword - 1))\n"
"\telif [[ $cword -ge 3 && ${words[cword-1]} == = && ${words[cword-2]} == -* ]]; then\n"
"\t\topt=${words[cword-2]} last=$((cword - 2))\n"
"\telif [[ $cur == --*=* ]]; then\n"
"\t\topt=${cur%%=*} pre=${cur%%=*}= cur=${cur#*=}\n"
"\tfi\n"
"\twhile ((i < last)); do\n"
"\t\tw=${words[i]}\n"
"\t\tif [[ ${words[i+1]} == = ]] && ((i + 2 < last)); then\n"
"\t\t\tw+==${words[i+2]} i=$((i + 2))\n"
"\t\tfi\n"
"\t\tif [[ -n $dashdash ]]; then\n"
"\t\t\tnops=$((nops + 1))\n"
"\t\t\ti=$((i + 1))\n"
"\t\t\tcontinue\n"
"\t\tfi\n"
"\t\tcase $w in\n"
"\t\t--) dashdash=1;;\n"
"\t\t--manifest=*) manifest=${w#*=};;\n"
"\t\t-f?*) manifest=${w#-f};;\n"
"\t\t--*=*) ;;\n"
"\t\t-*)\n"
"\t\t\t_fluxacdc_spec \"$cmd\"\n"
"\t\t\tif [[ \" $_fx_argopts \" == *\" $w \"* ]]; then\n"
"\t\t\t\tif ((i + 1 < last)); then\n"
"\t\t\t\t\t[[ $w == -f || $w == --manifest ]] && manifest=${words[i+1]}\n"
"\t\t\t\t\ti=$((i + 1))\n"
"\t\t\t\telse\n"
"\t\t\t\t\topt=$w\n"
"\t\t\t\tfi\n"
"\t\t\tfi;;\n"
"\t\t*) if [[ -z $cmd ]]; then cmd=$w; else nops=$((nops + 1)); fi;;\n"
"\t\tesac\n"
"\t\ti=$((i + 1))\n"
"\tdone\n"
"\t_fluxacdc_spec \"$cmd\"\n"
"\tif [[ -n $opt ]]; then\n"
"\t\tif [[ $opt == --format ]]; then\n"
"\t\t\t_fluxacdc_complete \"words $_fx_formats\" \"$cur\"\n"
"\t\telse\n"
"\t\t\t_fluxacdc_complete \"$(_fluxacdc_value \"$cmd\" \"$opt\")\" \"$cur\" \"$manifest\" \"${words[0]}\"\n"
"\t\tfi\n"
"\t\t[[ -n $pre ]] && COMPREPLY=(\"${COMPREPLY[@]/#/$pre}\")\n"
"\t\treturn 0\n"
"\tfi\n"
"\tif [[ $cur == -* && -z $dashdash ]]; then\n"
"\t\t_fluxacdc_reply < <(compgen -W \"$_fx_flags $_fx_argopts\" -- \"$cur\")\n"
"\t\treturn 0\n"
"\tfi\n"
"\tif [[ -z $cmd ]]; then\n"
"\t\t_fluxacdc_complete commands \"$cur\"\n"
"\telif [[ $_fx_many == 1 || $nops == 0 ]]; then\n"
"\t\t_fluxacdc_complete \"$_fx_operand\" \"$cur\" \"$manifest\" \"${words[0]}\"\n"
"\tfi\n"
"\treturn 0\n"
"}\n"
"\n"
"complete -F _fluxacdc fluxacdc\n";

static void completion_bash(FILE *out, const struct fx_cmd *const *cmds)
{
	const struct fx_cmd *const *c;
	struct fx_buf all = FX_BUF_INIT;

	fprintf(out, "# bash completion for fluxacdc, generated by 'fluxacdc completion bash' (fluxacdc %s)\n"
		"# from the option tables that --help prints: regenerate it, do not edit it.\n"
		"# Install: fluxacdc completion bash > ~/.local/share/bash-completion/completions/fluxacdc\n"
		"#      or: source <(fluxacdc completion bash)\n\n", FX_VERSION);
	fputs("_fluxacdc_commands='", out);
	for (c = cmds; *c; c++)
		fprintf(out, "%s ", (*c)->name);
	fputs("help'\n\n", out);

	fputs("# _fluxacdc_spec CMD: the options of CMD (and the global ones) that take no\n"
	      "# value and that take one, its --format values, what its operands are.\n"
	      "_fluxacdc_spec() {\n\tcase $1 in\n", out);
	for (c = cmds; *c; c++)
		bash_spec(out, *c);
	bash_spec(out, &completion_help);
	completion_all_formats(&all, cmds);
	fprintf(out, "\t*)\n\t\t_fx_flags='' _fx_argopts='' _fx_formats='%s' _fx_operand=none _fx_many=0;;\n"
		"\tesac\n\t_fx_flags+='", fx_buf_str(&all));
	fx_buf_release(&all);
	bash_opts(out, fx_global_optdefs, 0);
	fputs("'\n\t_fx_argopts+='", out);
	bash_opts(out, fx_global_optdefs, 1);
	fputs("'\n}\n\n", out);

	fputs("# _fluxacdc_value CMD OPTION: what the option's value is (file, dir,\n"
	      "# words W..., list WHAT, none).\n"
	      "_fluxacdc_value() {\n\tcase \"$1 $2\" in\n", out);
	for (c = cmds; *c; c++)
		bash_values(out, (*c)->name, (*c)->optdefs);
	{
		const struct fx_optdef *d;

		for (d = fx_global_optdefs; d->id; d++) {
			struct completion_value v;

			if (!d->has_arg || !strcmp(d->lname, "format"))
				continue;
			completion_value_of(NULL, d, &v);
			fprintf(out, "\t*' --%s'", d->lname);
			if (d->sname)
				fprintf(out, "|*' -%c'", d->sname);
			fputs(") echo '", out);
			bash_value(out, &v);
			fputs("';;\n", out);
		}
	}
	fputs("\t*) echo none;;\n\tesac\n}\n\n", out);
	fputs(bash_main, out);
}

/* ---- zsh ---- */

/* s inside a single-quoted zsh word, with _arguments' [ ] \ escaped when brackets. */
static void zsh_quoted(FILE *out, const char *s, int brackets)
{
	for (; *s; s++) {
		if (*s == '\'')
			fputs("'\\''", out);
		else if (brackets && (*s == '[' || *s == ']' || *s == '\\' || *s == ':'))
			fprintf(out, "\\%c", *s);
		else
			fputc(*s, out);
	}
}

static void zsh_action(FILE *out, const struct completion_value *v)
{
	switch (v->kind) {
	case COMP_FILE:
		fputs("_files", out);
		break;
	case COMP_DIR:
		fputs("_files -/", out);
		break;
	case COMP_WORDS:
		fprintf(out, "(%s)", v->arg);
		break;
	case COMP_LIST:
		fprintf(out, "_fluxacdc_list %s", v->arg);
		break;
	case COMP_COMMANDS:
		fputs("_fluxacdc_commands", out);
		break;
	default:
		fputs(" ", out);
	}
}

/* One _arguments spec, e.g. '(-o --out)'{-o+,--out=}'[help]:FILE:_files'. */
static void zsh_spec(FILE *out, const char *cmd, const struct fx_optdef *d, const char *formats)
{
	int repeat = d->help && strstr(d->help, "repeatable");

	fputs(cmd ? " \\\n\t\t\t\t" : " \\\n\t\t", out);
	if (repeat)
		fputs("'*'", out);
	else if (d->sname)
		fprintf(out, "'(-%c --%s)'", d->sname, d->lname);
	if (d->sname)
		fprintf(out, "{-%c%s,--%s%s}'", d->sname, d->has_arg ? "+" : "", d->lname,
			d->has_arg ? "=" : "");
	else
		fprintf(out, "'--%s%s", d->lname, d->has_arg ? "=" : "");
	fputc('[', out);
	zsh_quoted(out, d->help ? d->help : "", 1);
	fputc(']', out);
	if (d->has_arg) {
		struct completion_value v;

		if (!strcmp(d->lname, "format")) {
			v.kind = formats && *formats ? COMP_WORDS : COMP_NONE;
			v.arg = formats ? formats : "";
		} else {
			completion_value_of(cmd, d, &v);
		}
		fputc(':', out);
		zsh_quoted(out, d->argname ? d->argname : "VALUE", 1);
		fputc(':', out);
		zsh_action(out, &v);
	}
	fputc('\'', out);
}

static void zsh_command(FILE *out, const struct fx_cmd *c)
{
	const struct fx_optdef *d;
	struct completion_value v;
	int many;
	const char *a = c->args ? c->args : "";

	fprintf(out, "\t\t(%s)\n\t\t\t_arguments -s -S", c->name);
	for (d = c->optdefs; d && d->id; d++)
		zsh_spec(out, c->name, d, NULL);
	for (d = fx_global_optdefs; d->id; d++)
		zsh_spec(out, c->name, d, completion_formats_of(c->name));
	completion_operand_of(c, &v, &many);
	if (v.kind != COMP_NONE) {
		const char *what = v.kind == COMP_FILE ? "FILE" :
				   v.kind == COMP_LIST ? (strstr(a, "CONNECTOR") ? "CONNECTOR" : "ENTITY") :
				   v.kind == COMP_COMMANDS ? "COMMAND" : "SHELL";

		fprintf(out, " \\\n\t\t\t\t'%s:%s:", many ? "*" : a[0] == '[' ? "1:" : "1", what);
		zsh_action(out, &v);
		fputc('\'', out);
	}
	fputs(" && ret=0 ;;\n", out);
}

static const char zsh_helpers[] =
"# _fluxacdc_list [compadd options] WHAT: names from the manifest (-f on the\n"
"# line, else the default).\n"
"_fluxacdc_list() {\n"
"\tlocal what=${@[-1]} bin=${(Q)_fluxacdc_line[1]} m= w i\n"
"\tlocal -a items fa\n"
"\tfor (( i = 2; i < $#_fluxacdc_line; i++ )); do\n"
"\t\tw=${_fluxacdc_line[i]}\n"
"\t\tcase $w in\n"
"\t\t(-f|--manifest) m=${(Q)_fluxacdc_line[i+1]} ;;\n"
"\t\t(--manifest=*) m=${(Q)w#*=} ;;\n"
"\t\t(-f?*) m=${(Q)w#-f} ;;\n"
"\t\tesac\n"
"\tdone\n"
"\t[[ $bin == '~/'* ]] && bin=$HOME/${bin#'~/'}\n"
"\t[[ $m == '~/'* ]] && m=$HOME/${m#'~/'}\n"
"\t[[ -n $m ]] && fa=(-f \"$m\")\n"
"\titems=( ${(f)\"$(\"$bin\" completion --list $what $fa 2>/dev/null)\"} )\n"
"\t_describe -t $what ${what%s} items \"${@[1,-2]}\"\n"
"}\n"
"\n"
"_fluxacdc_commands() {\n"
"\t_describe -t commands 'fluxacdc command' _fluxacdc_cmds\n"
"}\n"
"\n";

static void completion_zsh(FILE *out, const struct fx_cmd *const *cmds)
{
	const struct fx_cmd *const *c;
	const struct fx_optdef *d;
	struct fx_buf all = FX_BUF_INIT;

	fprintf(out, "#compdef fluxacdc\n"
		"# zsh completion for fluxacdc, generated by 'fluxacdc completion zsh' (fluxacdc %s)\n"
		"# from the option tables that --help prints: regenerate it, do not edit it.\n"
		"# Install: fluxacdc completion zsh > \"${fpath[1]}/_fluxacdc\"   (a directory in $fpath)\n"
		"#      or: source <(fluxacdc completion zsh)   (after compinit)\n\n", FX_VERSION);
	fputs(zsh_helpers, out);
	fputs("_fluxacdc() {\n"
	      "\tlocal curcontext=$curcontext state state_descr line ret=1\n"
	      "\tlocal -A opt_args\n"
	      "\tlocal -a _fluxacdc_line _fluxacdc_cmds\n"
	      "\t_fluxacdc_line=(\"${words[@]}\")\n"
	      "\t_fluxacdc_cmds=(", out);
	for (c = cmds; *c; c++) {
		fprintf(out, "\n\t\t'%s:", (*c)->name);
		zsh_quoted(out, (*c)->summary, 0);
		fputc('\'', out);
	}
	fputs("\n\t\t'help:", out);
	zsh_quoted(out, completion_help.summary, 0);
	fputs("'\n\t)\n\t_arguments -C -A '-*'", out);
	completion_all_formats(&all, cmds);
	for (d = fx_global_optdefs; d->id; d++)
		zsh_spec(out, NULL, d, fx_buf_str(&all));
	fx_buf_release(&all);
	fputs(" \\\n\t\t'1: :_fluxacdc_commands' \\\n\t\t'*:: :->args' && ret=0\n"
	      "\t[[ $state == args ]] || return ret\n"
	      "\tcurcontext=${curcontext%:*:*}:fluxacdc-$words[1]:\n"
	      "\tcase $words[1] in\n", out);
	for (c = cmds; *c; c++)
		zsh_command(out, *c);
	zsh_command(out, &completion_help);
	fputs("\t\t(*) _default && ret=0 ;;\n"
	      "\tesac\n"
	      "\treturn ret\n"
	      "}\n\n"
	      "if [[ $zsh_eval_context[-1] == loadautofunc ]]; then\n"
	      "\t_fluxacdc \"$@\"\n"
	      "else\n"
	      "\tcompdef _fluxacdc fluxacdc\n"
	      "fi\n", out);
}

/* ---- --list ---- */

/* Unset variables read as "1" so that names can be listed without secrets. */
static const char *completion_getenv(const char *name, void *ctx)
{
	const char *v = getenv(name);

	(void)ctx;
	return v ? v : "1";
}

static int completion_read(const char *path, struct fx_buf *b)
{
	FILE *f = fopen(path, "rb");
	char chunk[65536];
	size_t n;

	if (!f)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0 && b->len < (64u << 20))
		fx_buf_add(b, chunk, n);
	fclose(f);
	return fx_buf_ok(b) ? 0 : -1;
}

static int completion_seen(char **seen, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(seen[i], s))
			return 1;
	return 0;
}

static int completion_list(const struct fx_opts *opts, const char *what)
{
	struct fx_manifest m = FX_MANIFEST_INIT;
	struct fx_diags dg = FX_DIAGS_INIT;
	struct fx_err err = FX_ERR_INIT;
	struct fx_buf b = FX_BUF_INIT;
	const char *path = fx_manifest_default_path(opts->manifest);
	char **seen = NULL;
	size_t i, n_seen = 0;
	int ret = 0;

	if (strcmp(what, "entities") && strcmp(what, "connectors") && strcmp(what, "topics") &&
	    strcmp(what, "groups")) {
		fx_err_set(&err, FX_EXIT_USAGE,
			   "completion: --list takes entities, connectors, topics or groups, not '%s'", what);
		return fx_cmd_fail(&err);
	}
	if (completion_read(path, &b) < 0) {
		fx_buf_release(&b);
		fx_err_set(&err, FX_EXIT_MANIFEST, "completion: cannot read manifest '%s' (give it with -f FILE)", path);
		return fx_cmd_fail(&err);
	}
	/* the real environment first; unset variables only matter for secrets */
	if (fx_manifest_load_bytes(path, fx_buf_str(&b), b.len, NULL, NULL, &m, &dg, &err) < 0) {
		fx_manifest_release(&m);
		fx_diags_release(&dg);
		if (fx_manifest_load_bytes(path, fx_buf_str(&b), b.len, completion_getenv, NULL, &m,
					   &dg, &err) < 0) {
			for (i = 0; i < dg.n; i++)
				fx_errorf("%s", dg.items[i]);
			ret = FX_EXIT_MANIFEST;
			goto cleanup;
		}
	}
	seen = fx_calloc(m.n_entities + m.n_groups + 1, sizeof(*seen));
	if (!seen) {
		ret = FX_EXIT_FAILURE;
		goto cleanup;
	}
	if (!strcmp(what, "groups")) {
		for (i = 0; i < m.n_groups; i++)
			printf("%s\n", m.groups[i].name);
		goto cleanup;
	}
	for (i = 0; i < m.n_entities; i++) {
		const struct fx_entity *e = &m.entities[i];
		char *s;

		if (!e->kafka_pool)
			continue;
		if (!strcmp(what, "entities"))
			s = fx_strdup(e->name);
		else if (!strcmp(what, "topics"))
			s = fx_manifest_topic(&m, e);
		else
			s = e->mysql_pool ? fx_asprintf("fluxa_%s", e->mysql_pool) : NULL;
		if (!s) {
			ret = FX_EXIT_FAILURE;
			goto cleanup;
		}
		if (completion_seen(seen, n_seen, s)) {
			free(s);
			continue;
		}
		printf("%s\n", s);
		seen[n_seen++] = s;
	}
cleanup:
	for (i = 0; i < n_seen; i++)
		free(seen[i]);
	free(seen);
	fx_diags_release(&dg);
	fx_manifest_release(&m);
	fx_buf_release(&b);
	return ret;
}

/* ---- the command ---- */

static int completion_opt(int id, const char *arg, void *ctx, struct fx_err *err)
{
	(void)err;
	if (id == COMPLETION_LIST)
		*(const char **)ctx = arg;
	return 0;
}

static int cmd_completion_run(const struct fx_cmd *self, int argc, char **argv, struct fx_opts *opts)
{
	struct fx_err err = FX_ERR_INIT;
	const char *list = NULL;
	int first;

	if (fx_cli_parse(argc, argv, self, completion_opt, &list, opts, &first, &err) < 0)
		return fx_cmd_fail(&err);
	if (list) {
		if (first < argc) {
			fx_err_set(&err, FX_EXIT_USAGE, "completion: --list takes no shell argument, not '%s'",
				   argv[first]);
			return fx_cmd_fail(&err);
		}
		return completion_list(opts, list);
	}
	if (first + 1 != argc) {
		fx_err_set(&err, FX_EXIT_USAGE,
			   "completion: name the shell, bash or zsh (e.g. 'source <(fluxacdc completion bash)')");
		return fx_cmd_fail(&err);
	}
	if (!opts->commands) {
		fx_err_set(&err, FX_EXIT_FAILURE, "completion: internal: no command table");
		return fx_cmd_fail(&err);
	}
	if (!strcmp(argv[first], "bash")) {
		completion_bash(stdout, opts->commands);
	} else if (!strcmp(argv[first], "zsh")) {
		completion_zsh(stdout, opts->commands);
	} else {
		fx_err_set(&err, FX_EXIT_USAGE, "completion: no completion for shell '%s'; use bash or zsh",
			   argv[first]);
		return fx_cmd_fail(&err);
	}
	return 0;
}

const struct fx_cmd fx_cmd_completion = {
	.name = "completion",
	.run = cmd_completion_run,
	.args = "bash|zsh",
	.summary = "Print the bash or zsh completion script (generated from these option tables).",
	.optdefs = completion_optdefs,
};
