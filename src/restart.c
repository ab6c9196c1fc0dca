#include "restart.h"

#include <stdlib.h>
#include <string.h>

#include "connect_json.h"
#include "util/alloc.h"

void fx_restart_plan_release(struct fx_restart_plan *p)
{
	free(p->targets);
	*p = (struct fx_restart_plan)FX_RESTART_PLAN_INIT;
}

static int restart_add(struct fx_restart_plan *p, const struct fx_observed_cluster *cl,
		       const struct fx_observed_connector *c, int only_failed, struct fx_err *err)
{
	struct fx_restart_target *grown = fx_realloc(p->targets, (p->n + 1) * sizeof(*grown));

	if (!grown)
		return fx_err_set(err, FX_EXIT_FAILURE, "out of memory");
	p->targets = grown;
	p->targets[p->n].cluster = cl;
	p->targets[p->n].conn = c;
	p->targets[p->n].only_failed = only_failed;
	p->n++;
	return 0;
}

int fx_restart_select(const struct fx_observed_cluster *cl, size_t n_cl,
		      const char *const *names, size_t n_names, int failed_only,
		      enum fx_restart_mode mode, struct fx_restart_plan *out, struct fx_err *err)
{
	size_t i, j;

	fx_restart_plan_release(out);
	out->mode = mode;
	if (mode == FX_RESTART_RESET_OFFSETS && !n_names)
		return fx_err_set(err, FX_EXIT_USAGE,
				  "restart: --reset-offsets needs the connectors named (it starts each over with a new snapshot)");
	if (mode == FX_RESTART_RESET_OFFSETS && failed_only)
		return fx_err_set(err, FX_EXIT_USAGE,
				  "restart: --reset-offsets restarts the whole connector: drop --failed");
	for (i = 0; i < n_names; i++)
		if (!fx_connect_is_managed(names[i]))
			return fx_err_set(err, FX_EXIT_USAGE,
					  "restart: '%s' is not a connector fluxacdc manages (their names start with fluxa_)",
					  names[i]);
	if (!n_names) {
		for (i = 0; i < n_cl; i++)
			for (j = 0; cl[i].reachable && j < cl[i].n_connectors; j++)
				if (fx_connect_is_managed(cl[i].connectors[j].name) &&
				    fx_observed_failed(&cl[i].connectors[j]) &&
				    restart_add(out, &cl[i], &cl[i].connectors[j], 1, err) < 0)
					goto fail;
		return 0;
	}
	for (i = 0; i < n_names; i++) {
		size_t found = 0;

		for (j = 0; j < n_cl; j++) {
			const struct fx_observed_connector *c;

			if (!cl[j].reachable || !(c = fx_observed_find(&cl[j], names[i])))
				continue;
			found++;
			if (mode == FX_RESTART_RESET_OFFSETS &&
			    fx_connect_version_at_least(cl[j].version, 3, 6) != 1) {
				fx_err_set(err, FX_EXIT_FAILURE,
					   "restart: '%s': resetting offsets needs Kafka Connect 3.6 or later "
					   "(DELETE /connectors/{name}/offsets); %s runs %s",
					   names[i], cl[j].connect_url, cl[j].version ? cl[j].version : "an unknown version");
				goto fail;
			}
			if (restart_add(out, &cl[j], c, failed_only, err) < 0)
				goto fail;
		}
		if (!found) {
			fx_err_set(err, FX_EXIT_FAILURE,
				   "restart: no connector '%s' on the manifest's Connect clusters%s", names[i],
				   "");
			for (j = 0; j < n_cl; j++)
				if (!cl[j].reachable) {
					fx_err_set(err, FX_EXIT_FAILURE,
						   "restart: no connector '%s' on the reachable Connect clusters (%s: %s)",
						   names[i], cl[j].connect_url, cl[j].error ? cl[j].error : "unreachable");
					break;
				}
			goto fail;
		}
	}
	return 0;
fail:
	fx_restart_plan_release(out);
	return -1;
}
