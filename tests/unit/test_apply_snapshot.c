#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "apply_snapshot.h"
#include "desired.h"

/* One change of a plan and its apply result, as fx_apply_run leaves them. */
struct row {
	enum fx_action action;
	const char *before, *after;  /* table.include.list diff; after NULL: no such diff */
	int signal;                   /* desired config has the signal and notification keys */
	const char *read_only;        /* desired read.only, or NULL */
	enum fx_apply_outcome outcome;
	const char *state;
};

static void build(const struct row *rows, size_t n, struct fx_plan *p, struct fx_apply_results *r)
{
	size_t i;

	memset(p, 0, sizeof(*p));
	memset(r, 0, sizeof(*r));
	p->changes = calloc(n, sizeof(*p->changes));
	r->items = calloc(n, sizeof(*r->items));
	p->n_changes = r->n = n;
	for (i = 0; i < n; i++) {
		struct fx_change *c = &p->changes[i];

		c->action = rows[i].action;
		c->connector = strdup("fluxa_app");
		if (rows[i].after) {
			c->diff = calloc(1, sizeof(*c->diff));
			c->diff[0].key = strdup("table.include.list");
			c->diff[0].before = rows[i].before ? strdup(rows[i].before) : NULL;
			c->diff[0].after = strdup(rows[i].after);
			c->n_diff = 1;
		}
		fx_config_set(&c->desired, "connector.class", FX_CLASS_MARIADB);
		fx_config_set(&c->desired, "database.include.list", "app");
		if (rows[i].signal) {
			fx_config_set(&c->desired, "signal.enabled.channels", "source,kafka");
			fx_config_set(&c->desired, "signal.kafka.topic", "fluxa_app_signal");
			fx_config_set(&c->desired, "notification.sink.topic.name", "fluxa_app_notifications");
		}
		if (rows[i].read_only)
			fx_config_set(&c->desired, "read.only", rows[i].read_only);
		r->items[i].outcome = rows[i].outcome;
		r->items[i].state = rows[i].state ? strdup(rows[i].state) : NULL;
	}
}

static void release(struct fx_plan *p, struct fx_apply_results *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->items[i].state);
	free(r->items);
	r->items = NULL;
	r->n = 0;
	fx_plan_release(p);
}

/* Every change's item, in plan order, as apply ends up with them. */
static int snaps_of(const struct fx_plan *p, const struct fx_apply_results *r, int no_snapshot,
		    int waited, struct fx_apply_snaps *out, struct fx_err *err)
{
	size_t i;
	int got;

	*out = (struct fx_apply_snaps)FX_APPLY_SNAPS_INIT;
	out->items = calloc(p->n_changes ? p->n_changes : 1, sizeof(*out->items));
	cr_assert_not_null(out->items);
	for (i = 0; i < p->n_changes && i < r->n; i++) {
		got = fx_apply_snapshot_item(p, i, &r->items[i], no_snapshot, waited, &out->items[out->n], err);
		if (got < 0) {
			fx_apply_snaps_release(out);
			return -1;
		}
		out->n += (size_t)got;
	}
	return 0;
}

Test(apply_snapshot, which_updates_get_a_snapshot)
{
	static const struct {
		struct row row;
		int no_snapshot, waited;
		const char *want; /* NULL: no item; else "status tables" */
	} c[] = {
		/* the case of the feature: one table added, RUNNING */
		{ { FX_ACTION_UPDATE, "app\\.A", "app\\.A,app\\.B", 1, "true", FX_APPLY_APPLIED, "RUNNING" }, 0, 1, "request B" },
		{ { FX_ACTION_UPDATE, "app\\.A", "app\\.A,app\\.B,app\\.C", 1, "true", FX_APPLY_APPLIED, "RUNNING" }, 0, 1, "request B,C" },
		/* removed only, or other keys: nothing to backfill */
		{ { FX_ACTION_UPDATE, "app\\.A,app\\.B", "app\\.A", 1, "true", FX_APPLY_APPLIED, "RUNNING" }, 0, 1, NULL },
		{ { FX_ACTION_UPDATE, NULL, NULL, 1, "true", FX_APPLY_APPLIED, "RUNNING" }, 0, 1, NULL },
		/* a create snapshots by itself (initial snapshot) */
		{ { FX_ACTION_CREATE, NULL, "app\\.A", 1, "true", FX_APPLY_APPLIED, "RUNNING" }, 0, 1, NULL },
		/* snapshot_new_tables false: no signal keys, the plan said what to do */
		{ { FX_ACTION_UPDATE, "app\\.A", "app\\.A,app\\.B", 0, NULL, FX_APPLY_APPLIED, "RUNNING" }, 0, 1, NULL },
		{ { FX_ACTION_UPDATE, "app\\.A", "app\\.A,app\\.B", 1, "true", FX_APPLY_APPLIED, "RUNNING" }, 1, 1, "skipped B" },
		{ { FX_ACTION_UPDATE, "app\\.A", "app\\.A,app\\.B", 1, "true", FX_APPLY_FAILED, "FAILED" }, 0, 1, "skipped B" },
		{ { FX_ACTION_UPDATE, "app\\.A", "app\\.A,app\\.B", 1, "true", FX_APPLY_APPLIED, "PAUSED" }, 0, 1, "pending B" },
		{ { FX_ACTION_UPDATE, "app\\.A", "app\\.A,app\\.B", 1, "true", FX_APPLY_APPLIED, NULL }, 0, 0, "pending B" },
		/* signal keys but no watermarking (read.only overridden false, no signal table) */
		{ { FX_ACTION_UPDATE, "app\\.A", "app\\.A,app\\.B", 1, "false", FX_APPLY_APPLIED, "RUNNING" }, 0, 1, "unsupported B" },
	};
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct fx_plan p;
		struct fx_apply_results r;
		struct fx_apply_snaps s;
		struct fx_err err = FX_ERR_INIT;
		char got[128] = "";

		build(&c[i].row, 1, &p, &r);
		cr_assert_eq(snaps_of(&p, &r, c[i].no_snapshot, c[i].waited, &s, &err), 0);
		if (!c[i].want) {
			cr_expect_eq(s.n, 0, "case %zu", i);
		} else {
			size_t j;

			cr_assert_eq(s.n, 1, "case %zu", i);
			snprintf(got, sizeof(got), "%s ", s.items[0].skip ? s.items[0].skip_status : "request");
			for (j = 0; j < s.items[0].n_tables; j++)
				snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s", j ? "," : "",
					 s.items[0].tables[j]);
			cr_expect_str_eq(got, c[i].want, "case %zu", i);
			cr_expect_eq(fx_apply_snaps_find(&s, 0), &s.items[0]);
			/* skips never fail apply; a request not made does */
			cr_expect_eq(fx_apply_snapshot_exit(&s), s.items[0].skip ? 0 : 1, "case %zu", i);
		}
		fx_apply_snaps_release(&s);
		release(&p, &r);
	}
}

Test(apply_snapshot, the_token_is_the_change)
{
	struct row rows[] = {
		{ FX_ACTION_UPDATE, "app\\.A", "app\\.A,app\\.B", 1, "true", FX_APPLY_APPLIED, "RUNNING" },
		{ FX_ACTION_UPDATE, "app\\.C", "app\\.B,app\\.C", 1, "true", FX_APPLY_APPLIED, "RUNNING" },
	};
	struct fx_plan p;
	struct fx_apply_results r;
	struct fx_apply_snaps s;
	struct fx_err err = FX_ERR_INIT;

	build(rows, 2, &p, &r);
	cr_assert_eq(snaps_of(&p, &r, 0, 1, &s, &err), 0);
	cr_assert_eq(s.n, 2);
	/* the same table added by two different changes: two different signals */
	cr_expect_str_eq(s.items[0].tables[0], "B");
	cr_expect_str_eq(s.items[1].tables[0], "B");
	cr_expect_str_neq(s.items[0].token, s.items[1].token);
	fx_apply_snaps_release(&s);
	release(&p, &r);
}

Test(apply_snapshot, outcome_status_exit_and_json)
{
	struct row row = { FX_ACTION_UPDATE, "app\\.A", "app\\.A,app\\.B", 1, "true", FX_APPLY_APPLIED, "RUNNING" };
	const char *const t[] = { "B" };
	struct fx_plan p;
	struct fx_apply_results r;
	struct fx_apply_snaps s;
	struct fx_err err = FX_ERR_INIT;
	struct fx_notification n;
	const char *done = "{\"id\":\"x\",\"aggregate_type\":\"Incremental Snapshot\",\"type\":\"TABLE_SCAN_COMPLETED\",\"additional_data\":{\"scanned_collection\":\"app.B\",\"total_rows_scanned\":\"250\",\"status\":\"SUCCEEDED\"}}";
	const char *bad = "{\"id\":\"x\",\"aggregate_type\":\"Incremental Snapshot\",\"type\":\"ABORTED\",\"additional_data\":{}}";
	json_t *j;

	build(&row, 1, &p, &r);
	cr_assert_eq(snaps_of(&p, &r, 0, 1, &s, &err), 0);
	cr_assert_eq(s.n, 1);
	/* not run yet */
	cr_expect_str_eq(fx_apply_snap_status(&s.items[0]), "not requested");
	s.items[0].ran = 1;
	cr_assert_eq(fx_snapshot_progress_init(&s.items[0].out.progress, "app", t, 1, &err), 0);
	/* run, nothing heard before --wait passed */
	cr_expect_str_eq(fx_apply_snap_status(&s.items[0]), "timed out");
	cr_expect_eq(fx_apply_snapshot_exit(&s), 1);
	s.items[0].out.interrupted = 1;
	cr_expect_eq(fx_apply_snapshot_exit(&s), 130);
	s.items[0].out.interrupted = 0;
	cr_assert_eq(fx_snapshot_notification_parse(done, strlen(done), &n, &err), 0);
	cr_assert_eq(fx_snapshot_progress_feed(&s.items[0].out.progress, &n), 1);
	fx_notification_release(&n);
	cr_expect_str_eq(fx_apply_snap_status(&s.items[0]), "completed");
	cr_expect_eq(fx_apply_snapshot_exit(&s), 0);
	j = fx_apply_snap_json(&s.items[0]);
	cr_expect_str_eq(json_string_value(json_object_get(j, "status")), "completed");
	cr_expect_eq(json_integer_value(json_object_get(j, "rows")), 250);
	cr_expect_str_eq(json_string_value(json_array_get(json_object_get(j, "tables"), 0)), "app.B");
	cr_expect_null(json_object_get(j, "reason"));
	json_decref(j);
	/* an abort of a started run fails it, with the reason */
	fx_snapshot_progress_release(&s.items[0].out.progress);
	cr_assert_eq(fx_snapshot_progress_init(&s.items[0].out.progress, "app", t, 1, &err), 0);
	s.items[0].out.progress.started = 1;
	cr_assert_eq(fx_snapshot_notification_parse(bad, strlen(bad), &n, &err), 0);
	cr_assert_eq(fx_snapshot_progress_feed(&s.items[0].out.progress, &n), 1);
	fx_notification_release(&n);
	cr_expect_str_eq(fx_apply_snap_status(&s.items[0]), "failed");
	cr_expect_eq(fx_apply_snapshot_exit(&s), 1);
	j = fx_apply_snap_json(&s.items[0]);
	cr_expect(strstr(json_string_value(json_object_get(j, "reason")), "ABORTED") != NULL);
	json_decref(j);
	fx_apply_snaps_release(&s);
	release(&p, &r);
}

/* apply makes each item as its alter ends, in whatever order they end: the same items as in plan order. */
Test(apply_snapshot, one_item_as_each_alter_ends)
{
	struct row rows[] = {
		{ FX_ACTION_UPDATE, "app\\.A", "app\\.A,app\\.B", 1, "true", FX_APPLY_APPLIED, "RUNNING" },
		{ FX_ACTION_CREATE, NULL, "app\\.A", 1, "true", FX_APPLY_APPLIED, "RUNNING" },
		{ FX_ACTION_UPDATE, "app\\.C", "app\\.B,app\\.C", 1, "true", FX_APPLY_FAILED, "FAILED" },
	};
	struct fx_plan p;
	struct fx_apply_results r;
	struct fx_apply_snaps s;
	struct fx_apply_snap one[3];
	struct fx_err err = FX_ERR_INIT;
	size_t order[] = { 2, 1, 0 }, i;

	build(rows, 3, &p, &r);
	cr_assert_eq(snaps_of(&p, &r, 0, 1, &s, &err), 0);
	cr_assert_eq(s.n, 2);
	for (i = 0; i < 3; i++) {
		size_t k = order[i];
		const struct fx_apply_snap *want = fx_apply_snaps_find(&s, k);
		int got = fx_apply_snapshot_item(&p, k, &r.items[k], 0, 1, &one[i], &err);

		cr_assert_eq(got, want ? 1 : 0, "change %zu", k);
		if (!want)
			continue;
		cr_expect_eq(one[i].change, k);
		cr_expect_str_eq(one[i].token, want->token);
		cr_expect_eq(one[i].n_tables, want->n_tables);
		cr_expect_str_eq(one[i].tables[0], want->tables[0]);
		cr_expect_eq(one[i].skip, want->skip, "change %zu: the same skip reason", k);
		cr_expect_eq(one[i].skip_status, want->skip_status);
	}
	{ /* the items made one by one are released as a set, as apply does */
		struct fx_apply_snaps mine = { .items = calloc(2, sizeof(*mine.items)), .n = 0 };

		cr_assert(mine.items);
		mine.items[mine.n++] = one[0];
		mine.items[mine.n++] = one[2];
		cr_expect_str_eq(fx_apply_snap_status(&mine.items[0]), "skipped");
		fx_apply_snaps_release(&mine);
	}
	fx_apply_snaps_release(&s);
	release(&p, &r);
}
