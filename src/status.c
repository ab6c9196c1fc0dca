#include "status.h"

#include <stdlib.h>
#include <string.h>

#include "connect_json.h"
#include "util/alloc.h"

static const struct fx_connector *status_wanted(const struct fx_desired *d, const char *url,
						 const char *name)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (d->connectors[i].kafka->connect_url && !strcmp(d->connectors[i].name, name) &&
		    !strcmp(d->connectors[i].kafka->connect_url, url))
			return &d->connectors[i];
	return NULL;
}

static int status_row_cmp(const void *a, const void *b)
{
	return strcmp(((const struct fx_status_row *)a)->name,
		      ((const struct fx_status_row *)b)->name);
}

/* The rows of one cluster, sorted by name. */
static int status_rows(const struct fx_observed_cluster *cl, const struct fx_desired *d,
		       const char *only, struct fx_status_cluster *out)
{
	struct fx_status_row *rows = fx_calloc(cl->n_connectors + d->n + 1, sizeof(*rows));
	size_t i, n = 0;

	if (!rows)
		return -1;
	for (i = 0; i < cl->n_connectors; i++) {
		const struct fx_observed_connector *o = &cl->connectors[i];

		if (!fx_connect_is_managed(o->name) || (only && strcmp(only, o->name)))
			continue;
		rows[n].name = o->name;
		rows[n].live = o;
		rows[n].want = status_wanted(d, cl->connect_url, o->name);
		n++;
	}
	for (i = 0; cl->reachable && i < d->n; i++) {
		const struct fx_connector *c = &d->connectors[i];

		if (!c->kafka->connect_url || strcmp(c->kafka->connect_url, cl->connect_url) ||
		    fx_observed_find(cl, c->name) || (only && strcmp(only, c->name)))
			continue;
		rows[n].name = c->name;
		rows[n].want = c;
		n++;
	}
	qsort(rows, n, sizeof(*rows), status_row_cmp);
	out->cl = cl;
	out->rows = rows;
	out->n = n;
	return 0;
}

static void status_count(const struct fx_status_row *r, struct fx_status_totals *t)
{
	t->connectors++;
	if (!r->live) {
		t->absent++;
		return;
	}
	if (!r->want)
		t->orphans++;
	if (fx_observed_failed(r->live))
		t->failed++;
	else if (fx_observed_running(r->live))
		t->running++;
	else if (r->live->state && !strcmp(r->live->state, "PAUSED"))
		t->paused++;
	else if (r->live->state && !strcmp(r->live->state, "STOPPED"))
		t->stopped++;
}

int fx_status_build(const struct fx_observed_cluster *cl, size_t n, const struct fx_desired *d,
		    const struct fx_manifest *m, const struct fx_mysql_result *db,
		    const char *only, int64_t now, struct fx_status *out, struct fx_err *err)
{
	size_t i, j;

	*out = (struct fx_status)FX_STATUS_INIT;
	out->now = now;
	out->clusters = fx_calloc(n ? n : 1, sizeof(*out->clusters));
	if (!out->clusters)
		return fx_err_set(err, FX_EXIT_FAILURE, "out of memory");
	for (i = 0; i < n; i++) {
		struct fx_status_cluster *c = &out->clusters[i];

		if (!cl[i].reachable)
			out->totals.unreachable++;
		if (status_rows(&cl[i], d, only, c) < 0) {
			fx_status_release(out);
			return fx_err_set(err, FX_EXIT_FAILURE, "out of memory");
		}
		out->n++;
		for (j = 0; j < c->n; j++) {
			if (db && c->rows[j].want)
				c->rows[j].db = &db[c->rows[j].want->mysql - m->mysql];
			status_count(&c->rows[j], &out->totals);
		}
	}
	return 0;
}

void fx_status_release(struct fx_status *s)
{
	size_t i;

	size_t j;

	for (i = 0; s->clusters && i < s->n; i++) {
		for (j = 0; j < s->clusters[i].n; j++)
			fx_snapshot_progress_release(&s->clusters[i].rows[j].snap);
		free(s->clusters[i].rows);
	}
	free(s->clusters);
	*s = (struct fx_status)FX_STATUS_INIT;
}

int fx_status_exit_code(const struct fx_status *s)
{
	return s->totals.failed || s->totals.unreachable ? FX_EXIT_FAILURE : FX_EXIT_OK;
}
