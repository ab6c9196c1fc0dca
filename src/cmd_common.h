/* Glue shared by the cmd_*.c files: loading the manifest and printing its problems. */
#ifndef FX_CMD_COMMON_H
#define FX_CMD_COMMON_H

#include <stdio.h>

#include "cli.h"
#include "manifest.h"
#include "net.h"

struct fx_desired; /* desired.h */
struct fx_plan; /* plan.h: not included, debezium.h users include this too */

struct fx_plan;
struct fx_render_plan_opts;

/*
 * Loads the manifest named by opts, prints every problem (and the literal
 * secret warning) on stderr.  Returns 0, or the exit status to use (65 or 1).
 */
int fx_cmd_load_manifest(const struct fx_opts *opts, struct fx_manifest *m);
/*
 * --format github: appends the markdown plan to $GITHUB_STEP_SUMMARY when it
 * is set.  A failure is a warning only (the plan is in the log); returns -1.
 */
int fx_cmd_github_summary(const struct fx_plan *p, const struct fx_render_plan_opts *o);
/* The formats plan and show print a plan in. */
extern const char *const fx_plan_formats[];
/* Prints p in format on stdout (github: also the step summary); plan_file may be NULL. */
void fx_cmd_print_plan(const struct fx_opts *opts, const struct fx_plan *p, const char *format,
		       const char *plan_file);
/* Reads and parses a plan file (path "-": stdin) into p (caller releases). */
int fx_cmd_read_plan(const char *path, struct fx_plan *p, struct fx_err *err);
/* Loads the manifest and builds the desired connectors (offline: auto flavors as
 * mysql).  Returns 0, or the exit status to use; on 0 the caller releases both. */
int fx_cmd_load_desired(const struct fx_opts *opts, struct fx_manifest *m,
			struct fx_desired *d);
/*
 * The network settings of every command, from the options: --timeout, the
 * signal flag, -v logging (fx_cli_log, ctx opts, which must outlive net).
 * A command changes what it does differently (apply: its retry budget, its log).
 */
void fx_cmd_net(const struct fx_opts *opts, struct fx_net *net);
/* Prints err on stderr and returns its code (1 when unset). */
int fx_cmd_fail(const struct fx_err *err);

#endif
