/*
 * What `fluxacdc restart` does to which connectors (SPEC §2), decided from
 * the observed clusters: pure, no I/O, table-tested.  cmd_restart.c carries
 * the decision out through connect.c.
 *
 * Ownership: fx_restart_select fills a struct fx_restart_plan whose targets
 * array is the caller's (fx_restart_plan_release); each target lends its
 * connector and cluster from the observed clusters passed in.
 */
#ifndef FX_RESTART_H
#define FX_RESTART_H

#include <stddef.h>

#include "observed.h"
#include "util/err.h"

enum fx_restart_mode {
	FX_RESTART_TASKS = 0,     /* POST /restart?includeTasks=true&onlyFailed=... */
	FX_RESTART_RESET_OFFSETS, /* stop, DELETE /offsets, resume: a fresh snapshot */
};

struct fx_restart_target {
	const struct fx_observed_cluster *cluster; /* lent */
	const struct fx_observed_connector *conn;  /* lent */
	int only_failed;                           /* FX_RESTART_TASKS: onlyFailed=true */
};

struct fx_restart_plan {
	enum fx_restart_mode mode;
	struct fx_restart_target *targets;
	size_t n;
};

#define FX_RESTART_PLAN_INIT { .mode = FX_RESTART_TASKS, .targets = NULL, .n = 0 }

/*
 * names (n_names may be 0): the connectors asked for.  None: every managed
 * connector with a FAILED connector or task (onlyFailed=true); named ones
 * restart all their tasks unless failed_only.  FX_RESTART_RESET_OFFSETS
 * needs names (never every connector at once) and Connect 3.6 on their
 * cluster.  Errors: 64 (a name that is not managed, --reset-offsets without a
 * name), 1 (a name on no reachable cluster, Connect too old: the message
 * names the version needed).  An empty plan (nothing FAILED) is 0.
 */
int fx_restart_select(const struct fx_observed_cluster *cl, size_t n_cl,
		      const char *const *names, size_t n_names, int failed_only,
		      enum fx_restart_mode mode, struct fx_restart_plan *out, struct fx_err *err);
void fx_restart_plan_release(struct fx_restart_plan *p);


#endif
