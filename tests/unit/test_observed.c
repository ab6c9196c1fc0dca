/*
 * observed.c: what one status read means to apply's wait for RUNNING
 * (SPEC §4: "after each create/update it waits until the connector and all
 * its tasks are RUNNING (FAILED: print the task trace)"), as Connect's
 * GET /connectors/NAME/status shows them while a connector starts.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "observed.h"

#define MAX_TASKS 3

struct task_case {
	const char *state, *trace;
};

static const struct {
	const char *what;
	const char *state, *trace;
	struct task_case tasks[MAX_TASKS];
	size_t n_tasks;
	enum fx_run_verdict want;
	const char *want_trace;
} cases[] = {
	{ "connector and its one task RUNNING", "RUNNING", NULL, { { "RUNNING", NULL } }, 1,
	  FX_RUN_RUNNING, NULL },
	{ "connector and both tasks RUNNING", "RUNNING", NULL,
	  { { "RUNNING", NULL }, { "RUNNING", NULL } }, 2, FX_RUN_RUNNING, NULL },
	/* Connect shows the connector RUNNING before it has started any task */
	{ "RUNNING with no task yet: not done", "RUNNING", NULL, { { NULL, NULL } }, 0,
	  FX_RUN_PENDING, NULL },
	{ "a task still UNASSIGNED", "RUNNING", NULL, { { "RUNNING", NULL }, { "UNASSIGNED", NULL } },
	  2, FX_RUN_PENDING, NULL },
	{ "the first task UNASSIGNED", "RUNNING", NULL, { { "UNASSIGNED", NULL }, { "RUNNING", NULL } },
	  2, FX_RUN_PENDING, NULL },
	{ "a task RESTARTING", "RUNNING", NULL, { { "RESTARTING", NULL } }, 1, FX_RUN_PENDING, NULL },
	{ "connector UNASSIGNED, task RUNNING", "UNASSIGNED", NULL, { { "RUNNING", NULL } }, 1,
	  FX_RUN_PENDING, NULL },
	{ "connector state not shown", NULL, NULL, { { "RUNNING", NULL } }, 1, FX_RUN_PENDING, NULL },
	{ "task state not shown", "RUNNING", NULL, { { NULL, NULL } }, 1, FX_RUN_PENDING, NULL },
	{ "PAUSED is not RUNNING", "PAUSED", NULL, { { "PAUSED", NULL } }, 1, FX_RUN_PENDING, NULL },
	{ "connector FAILED, no task", "FAILED", "conn trace", { { NULL, NULL } }, 0, FX_RUN_FAILED,
	  "conn trace" },
	{ "connector RUNNING, a task FAILED", "RUNNING", NULL,
	  { { "RUNNING", NULL }, { "FAILED", "task 1 trace" } }, 2, FX_RUN_FAILED, "task 1 trace" },
	{ "a FAILED task wins over an UNASSIGNED one", "RUNNING", NULL,
	  { { "UNASSIGNED", NULL }, { "FAILED", "t1" } }, 2, FX_RUN_FAILED, "t1" },
	{ "the first failed task's trace", "RUNNING", NULL,
	  { { "FAILED", "t0" }, { "FAILED", "t1" } }, 2, FX_RUN_FAILED, "t0" },
	{ "a failed task with no trace: the next one's", "RUNNING", NULL,
	  { { "FAILED", NULL }, { "FAILED", "t1" } }, 2, FX_RUN_FAILED, "t1" },
	{ "the connector's trace before the tasks'", "FAILED", "conn",
	  { { "FAILED", "t0" } }, 1, FX_RUN_FAILED, "conn" },
	{ "connector FAILED without a trace: the task's", "FAILED", NULL,
	  { { "RUNNING", NULL }, { "FAILED", "t1" } }, 2, FX_RUN_FAILED, "t1" },
	{ "FAILED with no trace anywhere", "RUNNING", NULL, { { "FAILED", NULL } }, 1, FX_RUN_FAILED,
	  NULL },
	{ "a RUNNING connector's trace is not shown", "RUNNING", "stale", { { "RUNNING", NULL } }, 1,
	  FX_RUN_RUNNING, NULL },
	{ "a RUNNING connector's stale trace is not the failed task's", "RUNNING", "stale",
	  { { "FAILED", "t0" } }, 1, FX_RUN_FAILED, "t0" },
};

Test(observed, run_verdict_table)
{
	size_t i, j;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fx_task_status tasks[MAX_TASKS];
		struct fx_observed_connector c;
		const char *trace = "untouched";
		enum fx_run_verdict v;

		memset(&c, 0, sizeof(c));
		memset(tasks, 0, sizeof(tasks));
		c.name = (char *)"fluxa_default";
		c.state = (char *)cases[i].state;
		c.trace = (char *)cases[i].trace;
		for (j = 0; j < cases[i].n_tasks; j++) {
			tasks[j].id = (int)j;
			tasks[j].state = (char *)cases[i].tasks[j].state;
			tasks[j].trace = (char *)cases[i].tasks[j].trace;
		}
		c.tasks = tasks;
		c.n_tasks = cases[i].n_tasks;
		v = fx_observed_run_verdict(&c, &trace);
		cr_expect_eq(v, cases[i].want, "%s: verdict %d, want %d", cases[i].what, v, cases[i].want);
		if (cases[i].want_trace)
			cr_expect_str_eq(trace ? trace : "(null)", cases[i].want_trace, "%s", cases[i].what);
		else
			cr_expect_null(trace, "%s: trace '%s'", cases[i].what, trace);
		/* the trace is optional */
		cr_expect_eq(fx_observed_run_verdict(&c, NULL), cases[i].want, "%s", cases[i].what);
	}
}

/* Connectors are looked up by name in the cluster's sorted list: first, last,
 * middle, and names before, between and after them are absent. */
Test(observed, find_in_the_sorted_list)
{
	static const char *const names[] = { "fluxa_a", "fluxa_c", "fluxa_e", "fluxa_g", "fluxa_i" };
	static const char *const absent[] = { "fluxa_", "fluxa_b", "fluxa_d", "fluxa_h", "fluxa_j", "" };
	struct fx_observed_connector cs[5];
	struct fx_observed_cluster cl;
	size_t i, n;

	memset(&cl, 0, sizeof(cl));
	memset(cs, 0, sizeof(cs));
	for (i = 0; i < 5; i++)
		cs[i].name = (char *)names[i];
	cl.connectors = cs;
	for (n = 0; n <= 5; n++) {
		cl.n_connectors = n;
		for (i = 0; i < 5; i++) {
			const struct fx_observed_connector *o = fx_observed_find(&cl, names[i]);

			if (i < n)
				cr_expect(o == &cs[i], "%zu of %zu: %s", i, n, names[i]);
			else
				cr_expect_null(o, "%s past the %zu listed", names[i], n);
		}
		for (i = 0; i < sizeof(absent) / sizeof(absent[0]); i++)
			cr_expect_null(fx_observed_find(&cl, absent[i]), "%s in %zu", absent[i], n);
	}
}

/* Plugins by class: a plugin listed without a class is skipped, and only the
 * n_plugins listed count. */
Test(observed, plugin_by_class)
{
	struct fx_plugin ps[4];
	struct fx_observed_cluster cl;

	memset(&cl, 0, sizeof(cl));
	memset(ps, 0, sizeof(ps));
	ps[1].class_name = (char *)"io.debezium.connector.mysql.MySqlConnector";
	ps[2].class_name = (char *)"io.debezium.connector.mariadb.MariaDbConnector";
	ps[3].class_name = (char *)"org.example.Hidden"; /* past n_plugins */
	cl.plugins = ps;
	cl.n_plugins = 3;
	cr_expect(fx_observed_plugin(&cl, "io.debezium.connector.mysql.MySqlConnector") == &ps[1]);
	cr_expect(fx_observed_plugin(&cl, "io.debezium.connector.mariadb.MariaDbConnector") == &ps[2]);
	cr_expect_null(fx_observed_plugin(&cl, "org.example.Hidden"));
	cr_expect_null(fx_observed_plugin(&cl, "io.debezium.connector.mysql"));
}
