#include "apply_snapshot.h"

#include <stdlib.h>
#include <string.h>

#include "desired.h"
#include "util/alloc.h"
#include "util/buf.h"

static void apply_snap_release(struct fx_apply_snap *s)
{
	free(s->connector);
	free(s->database);
	fx_snapshot_tables_free(s->tables, s->n_tables);
	free(s->token);
	free(s->error);
	fx_snap_outcome_release(&s->out);
}

void fx_apply_snaps_release(struct fx_apply_snaps *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		apply_snap_release(&s->items[i]);
	free(s->items);
	s->items = NULL;
	s->n = 0;
}

static const struct fx_diff_item *apply_snap_item(const struct fx_change *c, const char *key)
{
	size_t i;

	for (i = 0; i < c->n_diff; i++)
		if (!strcmp(c->diff[i].key, key))
			return &c->diff[i];
	return NULL;
}

int fx_apply_snapshot_item(const struct fx_plan *p, size_t i, const struct fx_apply_result *res,
			   int no_snapshot, int waited, struct fx_apply_snap *s, struct fx_err *err)
{
	const struct fx_change *c = &p->changes[i];
	const struct fx_diff_item *d = apply_snap_item(c, "table.include.list");
	const char *db = fx_config_get(&c->desired, "database.include.list");
	const char *cls = fx_config_get(&c->desired, "connector.class");
	char **tables = NULL;
	size_t n = 0;

	memset(s, 0, sizeof(*s));
	if (c->action != FX_ACTION_UPDATE || !d || !d->after || !db ||
	    !fx_config_get(&c->desired, "signal.kafka.topic"))
		return 0;
	if (fx_snapshot_added_tables(d->before ? d->before : "", d->after, db, &tables, &n) < 0)
		return fx_err_set(err, 1, "out of memory");
	if (!n) {
		free(tables);
		return 0;
	}
	s->change = i;
	s->tables = tables;
	s->n_tables = n;
	s->connector = fx_strdup(c->connector);
	s->database = fx_strdup(db);
	s->token = fx_asprintf("apply\n%s\n%s", d->before ? d->before : "", d->after);
	if (!s->connector || !s->database || !s->token) {
		apply_snap_release(s);
		memset(s, 0, sizeof(*s));
		return fx_err_set(err, 1, "out of memory");
	}
	if (fx_snapshot_unsupported(&c->desired, cls && !strcmp(cls, FX_CLASS_MARIADB))) {
		s->skip = fx_snapshot_unsupported(&c->desired, cls && !strcmp(cls, FX_CLASS_MARIADB));
		s->skip_status = "unsupported";
	} else if (no_snapshot) {
		s->skip = "--no-snapshot: the added tables' existing rows are not backfilled; 'fluxacdc snapshot' does it later";
		s->skip_status = "skipped";
	} else if (res->outcome != FX_APPLY_APPLIED) {
		s->skip = "the update was not applied: no snapshot requested";
		s->skip_status = "skipped";
	} else if (!waited) {
		s->skip = "--no-wait: the connector was not seen RUNNING with its new config, so no snapshot was requested; run 'fluxacdc snapshot' for the added entities once it runs";
		s->skip_status = "pending";
	} else if (!res->state || strcmp(res->state, "RUNNING")) {
		s->skip = "the connector is not RUNNING (it kept its PAUSED or STOPPED state): Debezium reads signals only while its task runs; run 'fluxacdc snapshot' for the added entities after resuming it";
		s->skip_status = "pending";
	}
	return 1;
}

const struct fx_apply_snap *fx_apply_snaps_find(const struct fx_apply_snaps *s, size_t change)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->items[i].change == change)
			return &s->items[i];
	return NULL;
}

const char *fx_apply_snap_status(const struct fx_apply_snap *s)
{
	const char *st;

	if (s->skip)
		return s->skip_status;
	if (s->error)
		return "error";
	if (!s->ran)
		return "not requested";
	st = fx_snapshot_progress_status(&s->out.progress);
	if (!strcmp(st, "failed") || !strcmp(st, "completed"))
		return st;
	if (s->out.interrupted)
		return "interrupted";
	return "timed out";
}

int fx_apply_snapshot_exit(const struct fx_apply_snaps *s)
{
	size_t i;
	int ret = 0;

	for (i = 0; i < s->n; i++) {
		const char *st = fx_apply_snap_status(&s->items[i]);

		if (!strcmp(st, "interrupted"))
			return 130;
		if (!strcmp(st, "failed") || !strcmp(st, "timed out") || !strcmp(st, "error") ||
		    !strcmp(st, "not requested"))
			ret = 1;
	}
	return ret;
}

json_t *fx_apply_snap_json(const struct fx_apply_snap *s)
{
	json_t *j = json_object(), *t = json_array();
	long long rows = s->ran ? fx_snapshot_progress_rows(&s->out.progress) : -1;
	struct fx_buf why = FX_BUF_INIT;
	size_t i;

	for (i = 0; i < s->n_tables; i++) {
		char *q = fx_asprintf("%s.%s", s->database, s->tables[i]);

		json_array_append_new(t, json_string(q ? q : ""));
		free(q);
	}
	json_object_set_new(j, "tables", t);
	json_object_set_new(j, "status", json_string(fx_apply_snap_status(s)));
	json_object_set_new(j, "rows", rows >= 0 ? json_integer(rows) : json_null());
	if (s->ran && s->out.id)
		json_object_set_new(j, "id", json_string(s->out.id));
	if (s->skip)
		fx_buf_adds(&why, s->skip);
	else if (s->error)
		fx_buf_adds(&why, s->error);
	else if (s->ran)
		for (i = 0; i < s->out.progress.n; i++) {
			const struct fx_snap_table *tb = &s->out.progress.tables[i];

			if (tb->state == FX_SNAP_FAILED)
				fx_buf_addf(&why, "%s%s: %s", why.len ? "; " : "", tb->name,
					    tb->reason ? tb->reason : "failed");
		}
	if (why.len)
		json_object_set_new(j, "reason", json_string(fx_buf_str(&why)));
	fx_buf_release(&why);
	return j;
}
