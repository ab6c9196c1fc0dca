#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "snapshot.h"

static const char *const two[] = { "Customer", "Address" };

Test(snapshot, signal_json_matches_debezium_format)
{
	struct fx_snap_request r = { .connector = "fluxa_default", .database = "app",
				     .tables = two, .n_tables = 2, .token = "t" };
	char *s = fx_snapshot_signal_json(&r, "fluxa-abc");

	cr_assert_not_null(s);
	/* tables sorted and qualified with the database; no conditions without --where */
	cr_assert_str_eq(s, "{\"id\":\"fluxa-abc\",\"type\":\"execute-snapshot\",\"data\":"
			    "{\"data-collections\":[\"app.Address\",\"app.Customer\"],"
			    "\"type\":\"incremental\"}}");
	free(s);
}

Test(snapshot, signal_json_where_gives_one_condition_per_table)
{
	struct fx_snap_request r = { .connector = "c", .database = "app", .tables = two,
				     .n_tables = 2, .where = "ID <= 10 AND Name = \"x\"" };
	char *s = fx_snapshot_signal_json(&r, "i");
	json_t *root, *conds;

	cr_assert_not_null(s);
	root = json_loads(s, 0, NULL);
	cr_assert_not_null(root, "%s", s);
	conds = json_object_get(json_object_get(root, "data"), "additional-conditions");
	cr_assert_eq(json_array_size(conds), 2);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(conds, 0), "data-collection")),
			 "app.Address");
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(conds, 1), "filter")),
			 "ID <= 10 AND Name = \"x\"");
	json_decref(root);
	free(s);
}

Test(snapshot, signal_id_is_deterministic_and_sensitive)
{
	const char *const swapped[] = { "Address", "Customer" };
	const char *const one[] = { "Customer" };
	struct {
		struct fx_snap_request r;
		int same; /* 1: same id as the base */
	} cases[] = {
		{ { .connector = "fluxa_default", .database = "app", .tables = swapped, .n_tables = 2, .token = "t1" }, 1 },
		{ { .connector = "fluxa_other", .database = "app", .tables = two, .n_tables = 2, .token = "t1" }, 0 },
		{ { .connector = "fluxa_default", .database = "app2", .tables = two, .n_tables = 2, .token = "t1" }, 0 },
		{ { .connector = "fluxa_default", .database = "app", .tables = one, .n_tables = 1, .token = "t1" }, 0 },
		{ { .connector = "fluxa_default", .database = "app", .tables = two, .n_tables = 2, .token = "t2" }, 0 },
		{ { .connector = "fluxa_default", .database = "app", .tables = two, .n_tables = 2, .token = "t1", .where = "ID < 3" }, 0 },
	};
	struct fx_snap_request base = { .connector = "fluxa_default", .database = "app",
					.tables = two, .n_tables = 2, .token = "t1" };
	char *b = fx_snapshot_signal_id(&base);
	size_t i;

	cr_assert_not_null(b);
	cr_assert_eq(strlen(b), strlen("fluxa-") + 24);
	cr_assert(strncmp(b, "fluxa-", 6) == 0);
	cr_assert_eq(strspn(b + 6, "0123456789abcdef"), 24, "%s", b);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *id = fx_snapshot_signal_id(&cases[i].r);

		cr_assert_not_null(id);
		cr_assert_eq(!strcmp(id, b), cases[i].same, "case %zu: %s vs %s", i, id, b);
		free(id);
	}
	free(b);
}

Test(snapshot, signal_id_of_record)
{
	const char *v = "{\"id\":\"fluxa-1\",\"type\":\"execute-snapshot\"}";
	char *id = fx_snapshot_signal_id_of(v, strlen(v));

	cr_assert_str_eq(id, "fluxa-1");
	free(id);
	cr_assert_null(fx_snapshot_signal_id_of("not json", 8));
	cr_assert_null(fx_snapshot_signal_id_of("{\"id\":3}", 8));
}

/* Every line of a recorded notification topic, parsed. */
static size_t load_fixture(const char *rel, struct fx_notification *out, size_t max)
{
	size_t len, n = 0;
	char *buf = fx_test_read(fx_test_path(rel), &len), *p, *nl;

	cr_assert_not_null(buf, "%s", rel);
	for (p = buf; *p && n < max; p = nl + 1) {
		struct fx_err err = FX_ERR_INIT;

		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		cr_assert_eq(fx_snapshot_notification_parse(p, (size_t)(nl - p), &out[n], &err), 0,
			     "%s line %zu: %s", rel, n + 1, err.msg);
		n++;
		if (!*nl)
			break;
	}
	free(buf);
	return n;
}

Test(snapshot, decodes_recorded_notifications_3_2)
{
	struct fx_notification n[32];
	size_t k = load_fixture("tests/fixtures/notifications/debezium-3.2-mariadb.jsonl", n, 32), i;
	int seen_scan = 0;

	cr_assert_geq(k, 9);
	/* the initial snapshot's, then the SKIPPED of each task start */
	cr_assert_eq(n[0].incremental, 0);
	cr_assert_eq(n[0].type, FX_NOTIF_STARTED);
	for (i = 0; i < k; i++) {
		if (n[i].incremental && n[i].type == FX_NOTIF_TABLE_SCAN_COMPLETED &&
		    !strcmp(n[i].id, "exp-1")) {
			cr_assert_str_eq(n[i].scanned, "fluxa.SnapA");
			cr_assert_str_eq(n[i].status, "SUCCEEDED");
			cr_assert_eq(n[i].rows, 30);
			cr_assert_eq(n[i].n_collections, 1);
			cr_assert_gt(n[i].ts_ms, 1700000000000LL);
			seen_scan = 1;
		}
		if (n[i].incremental && n[i].type == FX_NOTIF_IN_PROGRESS && !strcmp(n[i].id, "exp-1")) {
			cr_assert_str_eq(n[i].current, "fluxa.SnapA");
			cr_assert_str_eq(n[i].max_key, "30");
		}
	}
	cr_assert(seen_scan);
	for (i = 0; i < k; i++)
		fx_notification_release(&n[i]);
}

Test(snapshot, decodes_envelope_and_rejects_others)
{
	const char *env = "{\"schema\":{},\"payload\":{\"id\":\"x\",\"aggregate_type\":\"Incremental Snapshot\","
			  "\"type\":\"ABORTED\",\"additional_data\":{\"data_collections\":\"a.b, a.c\"},"
			  "\"timestamp\":\"12\"}}";
	const char *bad[] = { "", "[]", "{\"id\":\"x\"}", "{\"op\":\"c\",\"after\":{}}" };
	struct fx_notification n;
	struct fx_err err = FX_ERR_INIT;
	size_t i;

	cr_assert_eq(fx_snapshot_notification_parse(env, strlen(env), &n, &err), 0, "%s", err.msg);
	cr_assert_eq(n.type, FX_NOTIF_ABORTED);
	cr_assert_eq(n.n_collections, 2);
	cr_assert_str_eq(n.collections[1], "a.c");
	cr_assert_eq(n.ts_ms, 12);
	fx_notification_release(&n);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_eq(fx_snapshot_notification_parse(bad[i], strlen(bad[i]), &n, &err), -1,
			     "%s", bad[i]);
}

/* Feeds the recorded topic from the line after `after` (0-based, -1 all). */
static void feed_fixture(struct fx_snap_progress *p, long after)
{
	struct fx_notification n[32];
	size_t k = load_fixture("tests/fixtures/notifications/debezium-3.2-mariadb.jsonl", n, 32), i;

	for (i = 0; i < k; i++) {
		if ((long)i > after)
			cr_assert_geq(fx_snapshot_progress_feed(p, &n[i]), 0);
		fx_notification_release(&n[i]);
	}
}

Test(snapshot, progress_follows_recorded_run)
{
	const char *const t[] = { "SnapA" };
	struct fx_snap_progress p;
	struct fx_err err = FX_ERR_INIT;

	cr_assert_eq(fx_snapshot_progress_init(&p, "fluxa", t, 1, &err), 0);
	cr_assert_str_eq(fx_snapshot_progress_status(&p), "waiting");
	/* only the initial snapshot's five lines: nothing about us */
	{
		struct fx_notification n[32];
		size_t k = load_fixture("tests/fixtures/notifications/debezium-3.2-mariadb.jsonl", n, 32), i;

		for (i = 0; i < k; i++) {
			if (i < 5)
				cr_assert_eq(fx_snapshot_progress_feed(&p, &n[i]), 0, "line %zu", i + 1);
			fx_notification_release(&n[i]);
		}
	}
	cr_assert_str_eq(fx_snapshot_progress_status(&p), "waiting");
	feed_fixture(&p, 4);
	cr_assert_str_eq(fx_snapshot_progress_status(&p), "completed");
	cr_assert_eq(fx_snapshot_progress_rows(&p), 30, "first completed scan wins");
	cr_assert_eq(fx_snapshot_progress_count(&p, FX_SNAP_DONE), 1);
	fx_snapshot_progress_release(&p);
}

Test(snapshot, progress_by_table_not_id)
{
	/* The recorded exp-2 (--where ID <= 10) joined by exp-3 while running: its
	 * scan was reported under exp-3's id.  Following from after exp-1 finds it. */
	const char *const t[] = { "SnapA" };
	struct fx_snap_progress p;
	struct fx_err err = FX_ERR_INIT;

	cr_assert_eq(fx_snapshot_progress_init(&p, "fluxa", t, 1, &err), 0);
	feed_fixture(&p, 8); /* lines 1-9: the initial snapshot, SKIPPED, exp-1 */
	cr_assert_str_eq(fx_snapshot_progress_status(&p), "completed");
	cr_assert_eq(fx_snapshot_progress_rows(&p), 10);
	fx_snapshot_progress_release(&p);
}

Test(snapshot, progress_failures_and_aborts)
{
	const char *const t[] = { "A", "B" };
	struct {
		const char *json;
		const char *status; /* after feeding this line */
	} steps[] = {
		{ "{\"id\":\"i\",\"aggregate_type\":\"Initial Snapshot\",\"type\":\"TABLE_SCAN_COMPLETED\",\"additional_data\":{\"scanned_collection\":\"d.A\",\"status\":\"SUCCEEDED\"}}", "waiting" },
		{ "{\"id\":\"i\",\"aggregate_type\":\"Incremental Snapshot\",\"type\":\"STARTED\",\"additional_data\":{\"data_collections\":\"d.A,d.B\"}}", "running" },
		{ "{\"id\":\"i\",\"aggregate_type\":\"Incremental Snapshot\",\"type\":\"TABLE_SCAN_COMPLETED\",\"additional_data\":{\"scanned_collection\":\"d.A\",\"total_rows_scanned\":\"7\",\"status\":\"EMPTY\"}}", "running" },
		{ "{\"id\":\"i\",\"aggregate_type\":\"Incremental Snapshot\",\"type\":\"TABLE_SCAN_COMPLETED\",\"additional_data\":{\"scanned_collection\":\"d.Z\",\"status\":\"SUCCEEDED\"}}", "running" },
		{ "{\"id\":\"i\",\"aggregate_type\":\"Incremental Snapshot\",\"type\":\"ABORTED\",\"additional_data\":{\"data_collections\":\"d.B\"}}", "failed" },
	};
	struct fx_snap_progress p;
	struct fx_err err = FX_ERR_INIT;
	size_t i;

	cr_assert_eq(fx_snapshot_progress_init(&p, "d", t, 2, &err), 0);
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		struct fx_notification n;

		cr_assert_eq(fx_snapshot_notification_parse(steps[i].json, strlen(steps[i].json), &n, &err), 0);
		cr_assert_geq(fx_snapshot_progress_feed(&p, &n), 0);
		fx_notification_release(&n);
		cr_assert_str_eq(fx_snapshot_progress_status(&p), steps[i].status, "step %zu", i);
	}
	cr_assert_eq(p.tables[0].state, FX_SNAP_DONE);
	cr_assert_eq(p.tables[1].state, FX_SNAP_FAILED);
	cr_assert(strstr(p.tables[1].reason, "ABORTED") != NULL);
	cr_assert(fx_snapshot_progress_finished(&p));
	fx_snapshot_progress_release(&p);

	/* a scan that ends in an error status fails the table with that reason */
	cr_assert_eq(fx_snapshot_progress_init(&p, "d", t, 1, &err), 0);
	{
		const char *j = "{\"id\":\"i\",\"aggregate_type\":\"Incremental Snapshot\",\"type\":\"TABLE_SCAN_COMPLETED\",\"additional_data\":{\"scanned_collection\":\"d.A\",\"status\":\"NO_PRIMARY_KEY\"}}";
		struct fx_notification n;

		cr_assert_eq(fx_snapshot_notification_parse(j, strlen(j), &n, &err), 0);
		cr_assert_eq(fx_snapshot_progress_feed(&p, &n), 1);
		fx_notification_release(&n);
	}
	cr_assert_str_eq(fx_snapshot_progress_status(&p), "failed");
	cr_assert_str_eq(p.tables[0].reason, "NO_PRIMARY_KEY");
	fx_snapshot_progress_release(&p);
}

Test(snapshot, already_sent_rule)
{
	const char *const ids[] = { "fluxa-a", NULL, "fluxa-b" };

	cr_assert_eq(fx_snapshot_already_sent("fluxa-b", ids, 3), 2);
	cr_assert_eq(fx_snapshot_already_sent("fluxa-c", ids, 3), -1);
	cr_assert_eq(fx_snapshot_already_sent("fluxa-a", ids, 0), -1);
	cr_assert_eq(fx_snapshot_already_sent(NULL, ids, 3), -1);
}

Test(snapshot, mode_table)
{
	struct {
		int mariadb;
		const char *gtid, *ro, *table;
		enum fx_snap_mode want;
	} c[] = {
		{ 1, NULL, "true", NULL, FX_SNAP_MODE_READ_ONLY },
		{ 1, "OFF", "true", NULL, FX_SNAP_MODE_READ_ONLY },   /* MariaDB: GTIDs always */
		{ 0, "ON", "true", NULL, FX_SNAP_MODE_READ_ONLY },
		{ 0, "OFF", "true", NULL, FX_SNAP_MODE_NONE },
		{ 0, "ON_PERMISSIVE", "true", NULL, FX_SNAP_MODE_NONE },
		{ 0, NULL, "true", NULL, FX_SNAP_MODE_READ_ONLY },    /* unknown: the check says */
		{ 0, "OFF", "false", "app.debezium_signal", FX_SNAP_MODE_SIGNAL_TABLE },
		{ 0, "OFF", NULL, "app.debezium_signal", FX_SNAP_MODE_SIGNAL_TABLE },
		{ 0, "ON", NULL, NULL, FX_SNAP_MODE_NONE },
		{ 1, NULL, "false", "", FX_SNAP_MODE_NONE },
	};
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		cr_assert_eq(fx_snapshot_mode(c[i].mariadb, c[i].gtid, c[i].ro, c[i].table), c[i].want,
			     "case %zu", i);
}

Test(snapshot, added_tables_from_include_lists)
{
	struct {
		const char *before, *after;
		const char *want; /* names joined by ' ' */
	} c[] = {
		{ "app\\.A", "app\\.A,app\\.B", "B" },
		{ "app.A", "app\\.A,app\\.B_c", "B_c" },        /* escaped or not: one table */
		{ "", "app\\.A,app\\.B", "A B" },
		{ "app\\.A,app\\.B", "app\\.A", "" },           /* removed only */
		{ "app\\.A", "app\\.A,other\\.B,app\\.C.*", "" }, /* another db; a regex */
		{ NULL, "app\\.x\\$y", "x$y" },
	};
	size_t i, j;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		char **t = NULL, got[256] = "";
		size_t n = 0;

		cr_assert_eq(fx_snapshot_added_tables(c[i].before, c[i].after, "app", &t, &n), 0);
		for (j = 0; j < n; j++) {
			strcat(got, j ? " " : "");
			strcat(got, t[j]);
		}
		cr_expect_str_eq(got, c[i].want, "case %zu", i);
		fx_snapshot_tables_free(t, n);
	}
}

Test(snapshot, follows_recorded_run_3_5)
{
	/* Debezium 3.5.0 on Connect 4.1.1: 10 chunks of 1024 keys, then the scan */
	const char *const t[] = { "MeasureNew" };
	struct fx_notification n[32];
	size_t k = load_fixture("tests/fixtures/notifications/debezium-3.5-mariadb.jsonl", n, 32), i;
	struct fx_snap_progress p;
	struct fx_err err = FX_ERR_INIT;
	int running_seen = 0;

	cr_assert_geq(k, 8);
	cr_assert_eq(fx_snapshot_progress_init(&p, "fluxa", t, 1, &err), 0);
	for (i = 0; i < k; i++) {
		cr_assert_geq(fx_snapshot_progress_feed(&p, &n[i]), 0);
		if (p.tables[0].state == FX_SNAP_RUNNING) {
			running_seen = 1;
			cr_assert_str_eq(p.tables[0].max_key, "10000");
		}
		fx_notification_release(&n[i]);
	}
	cr_assert(running_seen);
	cr_assert_str_eq(fx_snapshot_progress_status(&p), "completed");
	cr_assert_eq(fx_snapshot_progress_rows(&p), 10000);
	fx_snapshot_progress_release(&p);
}
