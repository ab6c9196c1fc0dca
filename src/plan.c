#include "plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fx_change_release(struct fx_change *c)
{
	size_t i;

	free(c->connector);
	free(c->kafka_pool);
	free(c->mysql_pool);
	free(c->connect_url);
	free(c->connect_version);
	free(c->description);
	for (i = 0; i < c->n_diff; i++) {
		free(c->diff[i].key);
		free(c->diff[i].before);
		free(c->diff[i].after);
	}
	free(c->diff);
	for (i = 0; i < c->n_notes; i++)
		free(c->notes[i]);
	free(c->notes);
	fx_config_release(&c->desired);
	free(c->observed_fp);
	fx_config_release(&c->observed_keys);
	free(c->desired_fp);
	fx_config_release(&c->desired_keys);
}

void fx_plan_release(struct fx_plan *p)
{
	size_t i;

	free(p->manifest_path);
	fx_checks_release(&p->checks);
	for (i = 0; i < p->n_changes; i++)
		fx_change_release(&p->changes[i]);
	free(p->changes);
	for (i = 0; i < p->n_unchanged; i++) {
		free(p->unchanged[i].connector);
		free(p->unchanged[i].connect_url);
		free(p->unchanged[i].observed_fp);
		fx_config_release(&p->unchanged[i].observed_keys);
		free(p->unchanged[i].desired_fp);
		fx_config_release(&p->unchanged[i].desired_keys);
	}
	free(p->unchanged);
	*p = (struct fx_plan)FX_PLAN_INIT;
}

size_t fx_plan_count(const struct fx_plan *p, enum fx_action a)
{
	size_t i, n = 0;

	for (i = 0; i < p->n_changes; i++)
		n += p->changes[i].action == a;
	return n;
}

size_t fx_plan_count_resnapshot(const struct fx_plan *p)
{
	size_t i, n = 0;

	for (i = 0; i < p->n_changes; i++)
		n += p->changes[i].risk == FX_RISK_RESNAPSHOT || p->changes[i].risk == FX_RISK_BREAKING ||
		     p->changes[i].mid_snapshot;
	return n;
}

void fx_plan_apply_command(const struct fx_plan *p, const char *path, char *out, size_t size)
{
	/* quoted for a shell when it holds more than [A-Za-z0-9_./-] ('...' has no escapes) */
	int plain = path[strspn(path, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				      "0123456789_./-")] == '\0' && !strchr(path, '\'');

	snprintf(out, size, "fluxacdc apply%s%s %s%s%s",
		 fx_plan_count(p, FX_ACTION_DELETE) ? " --allow-destroy" : "",
		 fx_plan_count_resnapshot(p) ? " --allow-resnapshot" : "",
		 plain ? "" : "'", path, plain ? "" : "'");
}

int fx_plan_applyable(const struct fx_plan *p)
{
	return fx_checks_count(&p->checks, FX_CHECK_ERROR) == 0;
}

const char *fx_action_name(enum fx_action a)
{
	switch (a) {
	case FX_ACTION_CREATE:
		return "create";
	case FX_ACTION_UPDATE:
		return "update";
	default:
		return "delete";
	}
}

const char *fx_risk_name(enum fx_risk r)
{
	switch (r) {
	case FX_RISK_SAFE:
		return "safe";
	case FX_RISK_RESTART:
		return "restart";
	case FX_RISK_RESNAPSHOT:
		return "resnapshot";
	case FX_RISK_BREAKING:
		return "breaking";
	default:
		return "destroy";
	}
}

const char *fx_diff_op_name(enum fx_diff_op o)
{
	switch (o) {
	case FX_DIFF_ADD:
		return "add";
	case FX_DIFF_CHANGE:
		return "change";
	default:
		return "remove";
	}
}
