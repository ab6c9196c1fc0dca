#include "observed.h"

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

void fx_observed_connector_release(struct fx_observed_connector *c)
{
	size_t i;

	free(c->name);
	free(c->type);
	fx_config_release(&c->config);
	free(c->state);
	free(c->worker_id);
	free(c->trace);
	for (i = 0; i < c->n_tasks; i++) {
		free(c->tasks[i].state);
		free(c->tasks[i].worker_id);
		free(c->tasks[i].trace);
	}
	free(c->tasks);
	fx_offsets_release(&c->offsets);
	free(c->offsets_error);
	memset(c, 0, sizeof(*c));
}

static int observed_is(const char *state, const char *want)
{
	return state && !strcmp(state, want);
}

enum fx_run_verdict fx_observed_run_verdict(const struct fx_observed_connector *c,
					    const char **trace)
{
	const char *why = NULL;
	int failed = observed_is(c->state, "FAILED"), running = observed_is(c->state, "RUNNING");
	size_t i;

	if (failed)
		why = c->trace;
	for (i = 0; i < c->n_tasks; i++) {
		if (observed_is(c->tasks[i].state, "FAILED")) {
			if (!why)
				why = c->tasks[i].trace;
			failed = 1;
		}
		running &= observed_is(c->tasks[i].state, "RUNNING");
	}
	if (trace)
		*trace = failed ? why : NULL;
	if (failed)
		return FX_RUN_FAILED;
	return running && c->n_tasks > 0 ? FX_RUN_RUNNING : FX_RUN_PENDING;
}

void fx_observed_cluster_release(struct fx_observed_cluster *c)
{
	size_t i;

	free(c->connect_url);
	free(c->kafka_pool);
	free(c->error);
	free(c->version);
	free(c->commit);
	free(c->kafka_cluster_id);
	for (i = 0; i < c->n_plugins; i++) {
		free(c->plugins[i].class_name);
		free(c->plugins[i].type);
		free(c->plugins[i].version);
	}
	free(c->plugins);
	for (i = 0; i < c->n_connectors; i++)
		fx_observed_connector_release(&c->connectors[i]);
	free(c->connectors);
	memset(c, 0, sizeof(*c));
}

const struct fx_observed_connector *fx_observed_find(const struct fx_observed_cluster *c,
						     const char *name)
{
	size_t lo = 0, hi = c->n_connectors;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = strcmp(c->connectors[mid].name, name);

		if (!cmp)
			return &c->connectors[mid];
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct fx_plugin *fx_observed_plugin(const struct fx_observed_cluster *c,
					   const char *class_name)
{
	size_t i;

	for (i = 0; i < c->n_plugins; i++)
		if (c->plugins[i].class_name && !strcmp(c->plugins[i].class_name, class_name))
			return &c->plugins[i];
	return NULL;
}

char *fx_observed_debezium_versions(const struct fx_observed_cluster *c)
{
	static const char prefix[] = "io.debezium.";
	struct fx_buf b = FX_BUF_INIT;
	size_t i;
	int n = 0;

	for (i = 0; i < c->n_plugins; i++) {
		const char *cls = c->plugins[i].class_name, *dot;

		if (!cls || strncmp(cls, prefix, sizeof(prefix) - 1))
			continue;
		dot = strrchr(cls, '.');
		fx_buf_addf(&b, "%s%s %s", n++ ? ", " : "", dot + 1,
			    c->plugins[i].version ? c->plugins[i].version : "?");
	}
	if (!n || !fx_buf_ok(&b)) {
		fx_buf_release(&b);
		return NULL;
	}
	return fx_buf_detach(&b);
}

int fx_observed_failed(const struct fx_observed_connector *o)
{
	size_t i;

	if (o->state && !strcmp(o->state, "FAILED"))
		return 1;
	for (i = 0; i < o->n_tasks; i++)
		if (o->tasks[i].state && !strcmp(o->tasks[i].state, "FAILED"))
			return 1;
	return 0;
}

int fx_observed_running(const struct fx_observed_connector *o)
{
	size_t i;

	if (!o->state || strcmp(o->state, "RUNNING") || !o->n_tasks)
		return 0;
	for (i = 0; i < o->n_tasks; i++)
		if (!o->tasks[i].state || strcmp(o->tasks[i].state, "RUNNING"))
			return 0;
	return 1;
}
