/*
 * Computing a plan end to end: manifest -> database checks (mysql_inspect) ->
 * observed Connect clusters (connect) -> desired connectors -> diff ->
 * Connect checks (reachable, plugin, server-side validation).  Used by plan
 * and apply.  The caller owns everything filled in: the plan
 * (fx_plan_release), the desired state (fx_desired_release, when asked for)
 * and the clients (fx_connect_clients_release), which apply reuses.
 */
#ifndef FX_PLAN_RUN_H
#define FX_PLAN_RUN_H

#include "connect.h"
#include "desired.h"
#include "manifest.h"
#include "net.h"
#include "plan.h"

struct fx_plan_run_opts {
	const struct fx_net *net; /* lent to the clients, which keep it: must outlive them */
	int skip_db_checks;
	int server_validate;
	const char *salt;        /* NULL: a new random salt */
};

#define FX_PLAN_RUN_OPTS_INIT { .net = NULL, .skip_db_checks = 0, .server_validate = 1, \
				.salt = NULL }

/*
 * Fills plan (and desired when not NULL, and clients).  Problems with the
 * databases or clusters are checks in the plan, not failures: -1 only for
 * OOM, an interrupt (130) or a manifest that yields no desired state (65).
 */
int fx_plan_run(const struct fx_manifest *m, const struct fx_plan_run_opts *o,
		struct fx_plan *plan, struct fx_desired *desired, struct fx_connect_clients *clients,
		struct fx_err *err);

/* 32 random hex characters. */
void fx_plan_new_salt(char out[33]);

#endif
