/*
 * status.c and render_status.c: which rows `fluxacdc status` shows (managed
 * connectors, orphans, wanted ones not created yet, sorted, --connector), the
 * totals and the exit status; then the text and JSON of one status.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <jansson.h>

#include "render_status.h"
#include "status.h"

#define URL "http://c:8083"

static struct fx_task_status tasks_ok[] = { { .id = 0, .state = (char *)"RUNNING", .worker_id = (char *)"w1:8083" } };
static struct fx_task_status tasks_failed[] = {
	{ .id = 0, .state = (char *)"RUNNING", .worker_id = (char *)"w1:8083" },
	{ .id = 1, .state = (char *)"FAILED", .worker_id = (char *)"w2:8083",
	  .trace = (char *)"org.apache.kafka.connect.errors.ConnectException: boom\n\tat x.y(Z.java:1)\nCaused by: java.sql.SQLException: Access denied" },
};

/* Live, sorted by name as Connect observe gives them. */
static struct fx_observed_connector live[] = {
	{ .name = (char *)"fluxa_a", .state = (char *)"RUNNING", .worker_id = (char *)"w1:8083",
	  .tasks = tasks_ok, .n_tasks = 1 },
	{ .name = (char *)"fluxa_c", .state = (char *)"RUNNING", .worker_id = (char *)"w1:8083",
	  .tasks = tasks_failed, .n_tasks = 2 },
	{ .name = (char *)"fluxa_orphan", .state = (char *)"PAUSED", .worker_id = (char *)"w2:8083" },
	{ .name = (char *)"other_app", .state = (char *)"FAILED" },
};

static struct fx_kafka_pool kpool = { .code = (char *)"default", .connect_url = (char *)URL };
static struct fx_mysql_pool mpools[3] = {
	{ .code = (char *)"a" }, { .code = (char *)"b" }, { .code = (char *)"c" },
};

static void status_fixture(struct fx_observed_cluster cl[2], struct fx_connector want[3],
			   struct fx_desired *d, struct fx_manifest *m)
{
	static const char *const names[] = { "fluxa_a", "fluxa_b", "fluxa_c" };

	memset(cl, 0, 2 * sizeof(*cl));
	cl[0].connect_url = (char *)URL;
	cl[0].kafka_pool = (char *)"default";
	cl[0].reachable = 1;
	cl[0].version = (char *)"3.9.1";
	cl[0].connectors = live;
	cl[0].n_connectors = 4;
	cl[1].connect_url = (char *)"http://gone:8083";
	cl[1].kafka_pool = (char *)"other";
	cl[1].error = (char *)"connection refused";
	memset(want, 0, 3 * sizeof(*want));
	for (size_t i = 0; i < 3; i++) {
		want[i].name = (char *)names[i];
		want[i].kafka = &kpool;
		want[i].mysql = &mpools[i];
	}
	*d = (struct fx_desired){ .connectors = want, .n = 3 };
	*m = (struct fx_manifest)FX_MANIFEST_INIT;
	m->mysql = mpools;
	m->n_mysql = 3;
}

Test(status, rows_totals_exit)
{
	struct fx_observed_cluster cl[2];
	struct fx_connector want[3];
	struct fx_desired d;
	struct fx_manifest m;
	struct fx_mysql_result db[3];
	struct fx_status s;
	struct fx_err err = FX_ERR_INIT;
	const struct fx_status_row *r;

	status_fixture(cl, want, &d, &m);
	memset(db, 0, sizeof(db));
	cr_assert_eq(fx_status_build(cl, 2, &d, &m, db, NULL, 0, &s, &err), 0, "%s", err.msg);
	cr_assert_eq(s.n, 2);
	cr_assert_eq(s.clusters[0].n, 4, "fluxa_a, fluxa_b (absent), fluxa_c, fluxa_orphan");
	r = s.clusters[0].rows;
	cr_expect_str_eq(r[0].name, "fluxa_a");
	cr_expect(r[0].live && r[0].want == &want[0] && r[0].db == &db[0]);
	cr_expect_str_eq(r[1].name, "fluxa_b");
	cr_expect(!r[1].live && r[1].want == &want[1] && r[1].db == &db[1], "absent");
	cr_expect_str_eq(r[2].name, "fluxa_c");
	cr_expect_str_eq(r[3].name, "fluxa_orphan");
	cr_expect(r[3].live && !r[3].want && !r[3].db, "orphan");
	cr_expect_eq(s.clusters[1].n, 0, "an unreachable cluster lists no absent ones");
	cr_expect_eq(s.totals.connectors, 4);
	cr_expect_eq(s.totals.running, 1);
	cr_expect_eq(s.totals.failed, 1);
	cr_expect_eq(s.totals.paused, 1);
	cr_expect_eq(s.totals.orphans, 1);
	cr_expect_eq(s.totals.absent, 1);
	cr_expect_eq(s.totals.unreachable, 1);
	cr_expect_eq(fx_status_exit_code(&s), 1);
	fx_status_release(&s);

	/* --connector, and a healthy cluster alone */
	cr_assert_eq(fx_status_build(cl, 1, &d, &m, NULL, "fluxa_a", 0, &s, &err), 0);
	cr_assert_eq(s.clusters[0].n, 1);
	cr_expect_null(s.clusters[0].rows[0].db);
	cr_expect_eq(s.totals.running, 1);
	cr_expect_eq(fx_status_exit_code(&s), 0);
	fx_status_release(&s);
	cr_assert_eq(fx_status_build(cl, 1, &d, &m, NULL, "fluxa_nope", 0, &s, &err), 0);
	cr_expect_eq(s.totals.connectors, 0);
	fx_status_release(&s);
	cr_expect_null(s.clusters);
}

Test(status, failed_and_running)
{
	static const struct {
		const char *state;
		const char *task_states[3];
		size_t n;
		int failed, running;
	} cases[] = {
		{ "RUNNING", { "RUNNING" }, 1, 0, 1 },
		{ "RUNNING", { "RUNNING", "RUNNING" }, 2, 0, 1 },
		{ "RUNNING", { 0 }, 0, 0, 0 },   /* no task: not running */
		{ "RUNNING", { "RUNNING", "UNASSIGNED" }, 2, 0, 0 },
		{ "RUNNING", { "RUNNING", "FAILED" }, 2, 1, 0 },
		{ "FAILED", { 0 }, 0, 1, 0 },
		{ NULL, { "RUNNING" }, 1, 0, 0 },
		{ "PAUSED", { "PAUSED" }, 1, 0, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fx_task_status t[3];
		struct fx_observed_connector o = { .name = (char *)"fluxa_x",
						   .state = (char *)cases[i].state, .tasks = t,
						   .n_tasks = cases[i].n };

		memset(t, 0, sizeof(t));
		for (size_t j = 0; j < cases[i].n; j++)
			t[j].state = (char *)cases[i].task_states[j];
		cr_expect_eq(fx_observed_failed(&o), cases[i].failed, "case %zu", i);
		cr_expect_eq(fx_observed_running(&o), cases[i].running, "case %zu", i);
	}
}

Test(render_status, text)
{
	struct fx_observed_cluster cl[2];
	struct fx_connector want[3];
	struct fx_desired d;
	struct fx_manifest m;
	struct fx_status s;
	struct fx_err err = FX_ERR_INIT;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	status_fixture(cl, want, &d, &m);
	cr_assert_eq(fx_status_build(cl, 2, &d, &m, NULL, NULL, 0, &s, &err), 0);
	f = open_memstream(&text, &len);
	fx_render_status_text(f, &s, 0);
	fclose(f);
	cr_expect_str_eq(text,
		"Kafka Connect " URL " (pool default, version 3.9.1; Debezium plugins: none)\n"
		"  fluxa_a                      RUNNING     worker w1:8083\n"
		"    task 0                     RUNNING     worker w1:8083\n"
		"  fluxa_b                      ABSENT      manifest wants it: not created yet (run fluxacdc apply)\n"
		"  fluxa_c                      RUNNING     worker w1:8083\n"
		"    task 0                     RUNNING     worker w1:8083\n"
		"    task 1                     FAILED      worker w2:8083\n"
		"      | org.apache.kafka.connect.errors.ConnectException: boom\n"
		"      | Caused by: java.sql.SQLException: Access denied\n"
		"  fluxa_orphan                 PAUSED      worker w2:8083  ORPHAN: not in the manifest (apply --allow-destroy deletes it)\n"
		"\n"
		"Kafka Connect http://gone:8083 (pool other): UNREACHABLE\n"
		"\n"
		"4 managed connectors: 1 running, 1 paused, 0 stopped, 1 failed, 1 orphaned, 1 absent; 1 cluster unreachable\n");
	free(text);
	fx_status_release(&s);
}

Test(render_status, json)
{
	struct fx_observed_cluster cl[2];
	struct fx_connector want[3];
	struct fx_desired d;
	struct fx_manifest m;
	struct fx_status s;
	struct fx_err err = FX_ERR_INIT;
	json_t *j, *rows;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	status_fixture(cl, want, &d, &m);
	cr_assert_eq(fx_status_build(cl, 2, &d, &m, NULL, NULL, 0, &s, &err), 0);
	f = open_memstream(&text, &len);
	cr_assert_eq(fx_render_status_json(f, &s), 0);
	fclose(f);
	cr_assert_eq(strchr(text, '\n'), text + len - 1, "one line");
	j = json_loads(text, 0, NULL);
	cr_assert_not_null(j);
	cr_expect(json_is_false(json_object_get(j, "healthy")));
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(j, "summary"), "absent")), 1);
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(j, "summary"),
							 "unreachable_clusters")), 1);
	rows = json_object_get(json_array_get(json_object_get(j, "clusters"), 0), "connectors");
	cr_assert_eq(json_array_size(rows), 4);
	cr_expect_str_eq(json_string_value(json_object_get(json_array_get(rows, 1), "state")), "ABSENT");
	cr_expect(json_is_false(json_object_get(json_array_get(rows, 1), "present")));
	cr_expect(json_is_true(json_object_get(json_array_get(rows, 3), "orphan")));
	cr_expect_str_eq(json_string_value(json_object_get(json_array_get(rows, 0), "mysql_pool")), "a");
	cr_expect_str_eq(json_string_value(json_object_get(
				 json_array_get(json_object_get(json_array_get(rows, 2), "tasks"), 1), "trace")),
			 "org.apache.kafka.connect.errors.ConnectException: boom\nCaused by: java.sql.SQLException: Access denied");
	cr_expect(json_is_false(json_object_get(json_array_get(json_object_get(j, "clusters"), 1),
						"reachable")));
	json_decref(j);
	free(text);
	fx_status_release(&s);
}
