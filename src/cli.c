#include "cli.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/alloc.h"
#include "util/str.h"

volatile sig_atomic_t fx_interrupted;

static void cli_on_signal(int sig)
{
	fx_interrupted = sig;
}

void fx_cli_catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = cli_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

void fx_cli_log(void *ctx, const char *line)
{
	const struct fx_opts *opts = ctx;

	if (opts && opts->verbose)
		fprintf(stderr, "fluxacdc: %s\n", line);
}

const struct fx_optdef fx_global_optdefs[] = {
	{ .id = FX_GOPT_MANIFEST, .lname = "manifest", .sname = 'f', .has_arg = 1, .argname = "FILE",
	  .help = "manifest file (default $FLUXACDC_MANIFEST, else ./fluxacdc.yaml)" },
	{ .id = FX_GOPT_FORMAT, .lname = "format", .has_arg = 1, .argname = "FORMAT",
	  .help = "output format: text or json; plan, show: also markdown, github; tail: pretty or json" },
	{ .id = FX_GOPT_COLOR, .lname = "color", .has_arg = 1, .argname = "WHEN",
	  .help = "colors: auto, always or never (default auto)" },
	{ .id = FX_GOPT_VERBOSE, .lname = "verbose", .sname = 'v',
	  .help = "say more on stderr (repeatable)" },
	{ .id = FX_GOPT_QUIET, .lname = "quiet", .sname = 'q',
	  .help = "print only errors and data" },
	{ .id = FX_GOPT_TIMEOUT, .lname = "timeout", .has_arg = 1, .argname = "SECONDS",
	  .help = "timeout of each network operation (default " FX_NET_STR(FX_NET_TIMEOUT_S) ")" },
	{ .id = FX_GOPT_HELP, .lname = "help", .sname = 'h',
	  .help = "show help and exit" },
	{ .id = FX_GOPT_VERSION, .lname = "version",
	  .help = "show the version and exit" },
	{ .id = 0 },
};

static void vmsg(const char *kind, const char *fmt, va_list ap)
{
	fputs("fluxacdc: ", stderr);
	if (kind)
		fputs(kind, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void fx_errorf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(NULL, fmt, ap);
	va_end(ap);
}

void fx_warnf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("warning: ", fmt, ap);
	va_end(ap);
}

void fx_notef(const struct fx_opts *opts, const char *fmt, ...)
{
	va_list ap;

	if (opts && opts->quiet)
		return;
	va_start(ap, fmt);
	vmsg(NULL, fmt, ap);
	va_end(ap);
}

int fx_cli_apply_global(int id, const char *arg, struct fx_opts *opts, struct fx_err *err)
{
	uint64_t v;

	switch (id) {
	case FX_GOPT_MANIFEST:
		opts->manifest = arg;
		return 0;
	case FX_GOPT_FORMAT:
		opts->format = arg;
		return 0;
	case FX_GOPT_COLOR:
		if (!strcmp(arg, "auto"))
			opts->color_mode = FX_COLOR_AUTO;
		else if (!strcmp(arg, "always"))
			opts->color_mode = FX_COLOR_ALWAYS;
		else if (!strcmp(arg, "never"))
			opts->color_mode = FX_COLOR_NEVER;
		else
			return fx_err_set(err, FX_EXIT_USAGE,
					  "--color takes auto, always or never, not '%s'", arg);
		return 0;
	case FX_GOPT_VERBOSE:
		opts->verbose++;
		return 0;
	case FX_GOPT_QUIET:
		opts->quiet = 1;
		return 0;
	case FX_GOPT_TIMEOUT:
		if (fx_str_to_u64(arg, 1, 86400, &v) < 0)
			return fx_err_set(err, FX_EXIT_USAGE,
					  "--timeout takes whole seconds from 1 to 86400, not '%s'", arg);
		opts->timeout_s = (int)v;
		return 0;
	case FX_GOPT_HELP:
		opts->help = 1;
		return 0;
	case FX_GOPT_VERSION:
		opts->version = 1;
		return 0;
	default:
		return fx_err_set(err, FX_EXIT_USAGE, "internal: unknown option id %d", id);
	}
}

static size_t count_defs(const struct fx_optdef *d)
{
	size_t n = 0;

	while (d && d[n].id)
		n++;
	return n;
}

/* Builds the getopt tables of a command's options plus the global ones. */
static int cli_tables(const struct fx_optdef *cmd_defs, struct option **longopts,
		      char **shortopts, const struct fx_optdef ***by_index)
{
	size_t nc = count_defs(cmd_defs), ng = count_defs(fx_global_optdefs), i, k = 0;
	char *sp;

	*longopts = fx_calloc(nc + ng + 1, sizeof(**longopts));
	*shortopts = fx_calloc(2 * (nc + ng) + 3, 1);
	*by_index = fx_calloc(nc + ng + 1, sizeof(**by_index));
	if (!*longopts || !*shortopts || !*by_index)
		return -1;
	sp = *shortopts;
	*sp++ = ':';
	for (i = 0; i < nc + ng; i++) {
		const struct fx_optdef *d = i < nc ? &cmd_defs[i] : &fx_global_optdefs[i - nc];

		(*longopts)[k].name = d->lname;
		(*longopts)[k].has_arg = d->has_arg ? required_argument : no_argument;
		(*longopts)[k].flag = NULL;
		(*longopts)[k].val = 256 + (int)k;
		(*by_index)[k] = d;
		k++;
		if (d->sname) {
			*sp++ = (char)d->sname;
			if (d->has_arg)
				*sp++ = ':';
		}
	}
	return 0;
}

/*
 * What to do about a bad option: for a missing value, the option's synopsis
 * ("--out FILE"); for an unknown one, the closest option of the command (or
 * the global ones), else where the options are listed.
 */
static void cli_hint(const struct fx_cmd *cmd, int missing, int shortopt, const char *bad,
		     char *out, size_t size)
{
	const struct fx_optdef *tables[2] = { cmd ? cmd->optdefs : NULL, fx_global_optdefs };
	const char *names[128];
	char name[64] = "";
	const char *near;
	size_t t, n = 0;

	out[0] = '\0';
	if (!shortopt && bad && bad[0] == '-' && bad[1] == '-')
		snprintf(name, sizeof(name), "%.*s", (int)strcspn(bad + 2, "="), bad + 2);
	for (t = 0; t < 2; t++) {
		const struct fx_optdef *d;

		for (d = tables[t]; d && d->id; d++) {
			if (missing && d->has_arg &&
			    ((shortopt && shortopt == d->sname) || (!shortopt && !strcmp(name, d->lname)))) {
				snprintf(out, size, " (--%s %s)", d->lname, d->argname ? d->argname : "VALUE");
				return;
			}
			if (n < sizeof(names) / sizeof(names[0]))
				names[n++] = d->lname;
		}
	}
	if (missing)
		return;
	near = name[0] ? fx_str_suggest(name, names, n) : NULL;
	if (near)
		snprintf(out, size, " (did you mean '--%s'?)", near);
	else
		snprintf(out, size, " (see 'fluxacdc %s%s--help')", cmd ? cmd->name : "", cmd ? " " : "");
}

int fx_cli_parse(int argc, char **argv, const struct fx_cmd *cmd, fx_opt_fn fn, void *ctx,
		 struct fx_opts *opts, int *first_arg, struct fx_err *err)
{
	struct option *longopts = NULL;
	char *shortopts = NULL;
	const struct fx_optdef **by_index = NULL;
	int c, ret = 0, longind;

	if (cli_tables(cmd ? cmd->optdefs : NULL, &longopts, &shortopts, &by_index) < 0) {
		ret = fx_err_set(err, FX_EXIT_FAILURE, "out of memory");
		goto cleanup;
	}
	optind = 0; /* GNU: reinitialise, argv[0] is the command */
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, &longind)) != -1) {
		const struct fx_optdef *d = NULL;
		size_t i;

		if (c == '?' || c == ':') {
			const char *bad = argv[optind - 1];
			char hint[160];

			cli_hint(cmd, c == ':', optopt < 256 ? optopt : 0, bad, hint, sizeof(hint));
			if (optopt && optopt < 256)
				ret = fx_err_set(err, FX_EXIT_USAGE, c == ':' ?
						 "option '-%c' needs a value%s" : "unknown option '-%c'%s",
						 optopt, hint);
			else
				ret = fx_err_set(err, FX_EXIT_USAGE, c == ':' ?
						 "option '%s' needs a value%s" : "unknown option '%s'%s",
						 bad ? bad : "?", hint);
			goto cleanup;
		}
		if (c >= 256) {
			d = by_index[c - 256];
		} else {
			for (i = 0; by_index[i]; i++)
				if (by_index[i]->sname == c)
					d = by_index[i];
		}
		if (!d) {
			ret = fx_err_set(err, FX_EXIT_USAGE, "unknown option '-%c'", c);
			goto cleanup;
		}
		if (d->id >= 1000)
			ret = fx_cli_apply_global(d->id, optarg, opts, err);
		else if (fn)
			ret = fn(d->id, optarg, ctx, err);
		else
			ret = fx_err_set(err, FX_EXIT_USAGE, "unknown option '--%s'", d->lname);
		if (ret < 0)
			goto cleanup;
	}
	*first_arg = optind;
cleanup:
	if (ret < 0 && cmd)
		fx_err_prefix(err, "%s", cmd->name);
	free(longopts);
	free(shortopts);
	free(by_index);
	return ret;
}

static void help_defs(FILE *out, const struct fx_optdef *d)
{
	for (; d && d->id; d++) {
		char left[64];

		if (d->sname)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", d->sname, d->lname,
				 d->has_arg ? " " : "", d->has_arg ? d->argname : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", d->lname, d->has_arg ? " " : "",
				 d->has_arg ? d->argname : "");
		fprintf(out, "  %-28s %s\n", left, d->help);
	}
}

void fx_cli_help(FILE *out, const struct fx_cmd *cmd)
{
	fprintf(out, "usage: fluxacdc %s [options]%s%s\n\n%s\n", cmd->name, cmd->args[0] ? " " : "",
		cmd->args, cmd->summary);
	if (cmd->optdefs && cmd->optdefs[0].id) {
		fputs("\noptions:\n", out);
		help_defs(out, cmd->optdefs);
	}
	fputs("\nglobal options:\n", out);
	help_defs(out, fx_global_optdefs);
	fputs("\nSee fluxacdc(1) and fluxacdc.yaml(5).\n", out);
}

void fx_cli_help_main(FILE *out, const struct fx_cmd *const *commands)
{
	const struct fx_cmd *const *c;

	fputs("usage: fluxacdc [global options] COMMAND [options]\n\n"
	      "Keeps Debezium CDC connectors for MySQL/MariaDB in line with fluxacdc.yaml.\n\n"
	      "commands:\n", out);
	for (c = commands; *c; c++)
		fprintf(out, "  %-10s %s\n", (*c)->name, (*c)->summary);
	fputs("\nglobal options:\n", out);
	help_defs(out, fx_global_optdefs);
	fputs("\n'fluxacdc COMMAND --help' shows a command's options. See fluxacdc(1).\n", out);
}

int fx_cli_use_color(const struct fx_opts *opts, FILE *stream)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	if (opts->color_mode == FX_COLOR_ALWAYS)
		return 1;
	if (opts->color_mode == FX_COLOR_NEVER)
		return 0;
	if (!isatty(fileno(stream)))
		return 0;
	if (nc && *nc)
		return 0;
	if (term && !strcmp(term, "dumb"))
		return 0;
	return 1;
}

int fx_cli_format(const struct fx_opts *opts, const char *const *allowed, const char *dflt,
		  const char **out, struct fx_err *err)
{
	size_t i;
	char list[256] = "";

	if (!opts->format) {
		*out = dflt;
		return 0;
	}
	for (i = 0; allowed[i]; i++) {
		if (!strcmp(allowed[i], opts->format)) {
			*out = allowed[i];
			return 0;
		}
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
			 i ? (allowed[i + 1] ? ", " : " or ") : "", allowed[i]);
	}
	return fx_err_set(err, FX_EXIT_USAGE, "--format takes %s, not '%s'", list, opts->format);
}
