/*
 * fluxacdc: the command table, global options and the exit status.
 * Every command lives in its own cmd_<name>.c and is one row here.
 */
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "util/str.h"

extern const struct fx_cmd fx_cmd_validate;
extern const struct fx_cmd fx_cmd_topics;
extern const struct fx_cmd fx_cmd_render;
extern const struct fx_cmd fx_cmd_version;
extern const struct fx_cmd fx_cmd_plan;
extern const struct fx_cmd fx_cmd_show;
extern const struct fx_cmd fx_cmd_status;
extern const struct fx_cmd fx_cmd_apply;
extern const struct fx_cmd fx_cmd_restart;
extern const struct fx_cmd fx_cmd_tail;
extern const struct fx_cmd fx_cmd_snapshot;
extern const struct fx_cmd fx_cmd_completion;

/* The command table: a new command is one file and one row here. */
static const struct fx_cmd *const commands[] = {
	&fx_cmd_validate,
	&fx_cmd_topics,
	&fx_cmd_render,
	&fx_cmd_plan,
	&fx_cmd_show,
	&fx_cmd_status,
	&fx_cmd_apply,
	&fx_cmd_restart,
	&fx_cmd_snapshot,
	&fx_cmd_tail,
	&fx_cmd_version,
	&fx_cmd_completion,
	NULL,
};

static const struct fx_cmd *main_find(const char *name)
{
	const struct fx_cmd *const *c;

	for (c = commands; *c; c++)
		if (!strcmp((*c)->name, name))
			return *c;
	return NULL;
}

/* The command name closest to a mistyped one, or NULL. */
static const char *main_suggest(const char *name)
{
	const char *names[sizeof(commands) / sizeof(commands[0])];
	size_t n = 0;

	for (n = 0; commands[n]; n++)
		names[n] = commands[n]->name;
	return fx_str_suggest(name, names, n);
}

int main(int argc, char **argv)
{
	struct fx_opts opts = FX_OPTS_INIT;
	struct fx_err err = FX_ERR_INIT;
	const struct fx_cmd *cmd;
	int i, ret;

	setlocale(LC_CTYPE, "");
	opts.commands = commands;
	/* Global options before the command: scan up to the first non-option. */
	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const struct fx_optdef *d;
		const char *a = argv[i], *val = NULL;
		size_t nlen;

		if (!strcmp(a, "--"))
			break;
		for (d = fx_global_optdefs; d->id; d++) {
			if (a[1] == '-') {
				nlen = strcspn(a + 2, "=");
				if (strlen(d->lname) != nlen || strncmp(d->lname, a + 2, nlen))
					continue;
				if (d->has_arg)
					val = a[2 + nlen] == '=' ? a + 3 + nlen : (i + 1 < argc ? argv[++i] : NULL);
				else if (a[2 + nlen] == '=')
					d = NULL;
				break;
			}
			if (d->sname && a[1] == d->sname) {
				if (d->has_arg)
					val = a[2] ? a + 2 : (i + 1 < argc ? argv[++i] : NULL);
				else if (a[2]) {
					/* -vv: count each v */
					size_t k;

					for (k = 1; a[k] == d->sname; k++)
						if (fx_cli_apply_global(d->id, NULL, &opts, &err) < 0)
							goto usage;
					if (a[k])
						d = NULL;
					else
						goto next;
				}
				break;
			}
		}
		if (!d || !d->id) {
			fx_err_set(&err, FX_EXIT_USAGE,
				   "unknown option '%s' before the command (see 'fluxacdc --help')", a);
			goto usage;
		}
		if (d->has_arg && !val) {
			fx_err_set(&err, FX_EXIT_USAGE, "option '%s' needs a value", a);
			goto usage;
		}
		if (fx_cli_apply_global(d->id, val, &opts, &err) < 0)
			goto usage;
next:
		;
	}
	if (i >= argc) {
		if (opts.version)
			return fx_cmd_version.run(NULL, 0, NULL, &opts);
		fx_cli_help_main(opts.help ? stdout : stderr, commands);
		return opts.help ? 0 : FX_EXIT_USAGE;
	}
	if (!strcmp(argv[i], "help")) {
		cmd = i + 1 < argc ? main_find(argv[i + 1]) : NULL;
		if (cmd)
			fx_cli_help(stdout, cmd);
		else
			fx_cli_help_main(stdout, commands);
		return 0;
	}
	cmd = main_find(argv[i]);
	if (!cmd) {
		const char *near = main_suggest(argv[i]);

		if (near)
			fx_err_set(&err, FX_EXIT_USAGE, "unknown command '%s' (did you mean '%s'?)",
				   argv[i], near);
		else
			fx_err_set(&err, FX_EXIT_USAGE, "unknown command '%s' (see 'fluxacdc --help')",
				   argv[i]);
		goto usage;
	}
	/* --help anywhere after the command shows that command's help. */
	{
		int k;

		for (k = i + 1; k < argc && strcmp(argv[k], "--"); k++)
			if (!strcmp(argv[k], "--help") || !strcmp(argv[k], "-h")) {
				fx_cli_help(stdout, cmd);
				return 0;
			}
	}
	if (opts.help) {
		fx_cli_help(stdout, cmd);
		return 0;
	}
	ret = cmd->run(cmd, argc - i, argv + i, &opts);
	/* a command may have seen the failed write already: ferror stays set */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fx_errorf("cannot write output: %s (a closed pipe or a full disk?)", strerror(errno));
		if (ret == 0)
			ret = FX_EXIT_FAILURE;
	}
	return ret;
usage:
	fx_errorf("%s", err.msg);
	return FX_EXIT_USAGE;
}
