/*
 * Command-line plumbing shared by main.c and cmd_*.c: one declarative option
 * table per command (and one of global options) drives getopt_long, --help
 * and the shell completions, so they cannot drift apart.
 */
#ifndef FX_CLI_H
#define FX_CLI_H

#include <signal.h>
#include <stdio.h>

#include "net.h"
#include "util/err.h"

enum fx_color_mode { FX_COLOR_AUTO = 0, FX_COLOR_ALWAYS, FX_COLOR_NEVER };

struct fx_cmd;

/* Settings resolved once and passed down read-only. Strings are lent from argv/env. */
struct fx_opts {
	const char *manifest;  /* -f: explicit path, else NULL */
	const char *format;    /* --format as given, else NULL */
	enum fx_color_mode color_mode;
	int verbose;
	int quiet;
	int timeout_s;
	int help;
	int version;
	const struct fx_cmd *const *commands; /* main.c's command table, NULL-terminated (completion) */
};

#define FX_OPTS_INIT { .manifest = NULL, .format = NULL, .color_mode = FX_COLOR_AUTO, \
		       .verbose = 0, .quiet = 0, .timeout_s = FX_NET_TIMEOUT_S, .help = 0, .version = 0, \
		       .commands = NULL }

struct fx_optdef {
	int id;             /* returned to the command's callback; >= 1000 for globals */
	const char *lname;  /* long name without "--" */
	int sname;          /* short letter or 0 */
	int has_arg;        /* 0 none, 1 required */
	const char *argname;
	const char *help;
};

enum fx_global_opt {
	FX_GOPT_MANIFEST = 1000, FX_GOPT_FORMAT, FX_GOPT_COLOR, FX_GOPT_VERBOSE,
	FX_GOPT_QUIET, FX_GOPT_TIMEOUT, FX_GOPT_HELP, FX_GOPT_VERSION,
};

extern const struct fx_optdef fx_global_optdefs[]; /* terminated by id 0 */

/*
 * One descriptor per command, defined in its cmd_<name>.c as
 * `const struct fx_cmd fx_cmd_<name>`, listed in main.c's table.  run gets
 * argv with argv[0] the command name.
 */
struct fx_cmd {
	const char *name;
	int (*run)(const struct fx_cmd *self, int argc, char **argv, struct fx_opts *opts);
	const char *args;     /* positional synopsis, e.g. "[FILE]" */
	const char *summary;
	const struct fx_optdef *optdefs; /* the command's own options, id 0 terminated */
};

/* Called for each of a command's own options; returns 0 or -1 with err (usage). */
typedef int (*fx_opt_fn)(int id, const char *arg, void *ctx, struct fx_err *err);

/*
 * Parses argv (argv[0] is the command name) with the command's options and the
 * global ones; positional arguments are left in argv[*first_arg .. argc-1].
 * Returns 0, or -1 with err->code 64.
 */
int fx_cli_parse(int argc, char **argv, const struct fx_cmd *cmd, fx_opt_fn fn, void *ctx,
		 struct fx_opts *opts, int *first_arg, struct fx_err *err);
/* Applies one global option to opts (used by main before the command, too). */
int fx_cli_apply_global(int id, const char *arg, struct fx_opts *opts, struct fx_err *err);
void fx_cli_help(FILE *out, const struct fx_cmd *cmd);
void fx_cli_help_main(FILE *out, const struct fx_cmd *const *commands);
/* Colors on stdout: --color, else a TTY with NO_COLOR unset/empty and TERM not dumb. */
int fx_cli_use_color(const struct fx_opts *opts, FILE *stream);
/* --format checked against the allowed names (NULL-terminated); *out gets the
 * format to use (the given one, else dflt). -1 with err (usage) when not allowed. */
int fx_cli_format(const struct fx_opts *opts, const char *const *allowed, const char *dflt,
		  const char **out, struct fx_err *err);

/* The one global: set by the SIGINT/SIGTERM handler, checked by loops. */
extern volatile sig_atomic_t fx_interrupted;
/* Installs the handler that only sets fx_interrupted (no SA_RESTART). */
void fx_cli_catch_signals(void);
/* -v logging of requests: prints line on stderr when opts->verbose (ctx is opts). */
void fx_cli_log(void *opts, const char *line);

/* Messages on stderr, "fluxacdc: " first (curl's warnf/errorf). */
void fx_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fx_warnf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fx_notef(const struct fx_opts *opts, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
