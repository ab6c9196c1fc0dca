/* apply.c's accounting: which exit status a set of per-alter results gives
 * (SPEC §2: 0 all applied, 1 nothing applied and an error, 5 some applied
 * then an error, 130 interrupted), and the JSON result's shape. */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "apply.h"
#include "render_apply.h"

#define A FX_APPLY_APPLIED
#define U FX_APPLY_UNCHANGED
#define F FX_APPLY_FAILED
#define S FX_APPLY_SKIPPED
#define I FX_APPLY_INTERRUPTED

static const struct {
	const char *what;
	enum fx_apply_outcome o[4];
	size_t n;
	int interrupted;
	int code;
} cases[] = {
	{ "nothing to do", { 0 }, 0, 0, 0 },
	{ "all applied", { A, A, A }, 3, 0, 0 },
	{ "applied and unchanged", { A, U }, 2, 0, 0 },
	{ "only unchanged (already there)", { U, U }, 2, 0, 0 },
	{ "first fails, rest skipped", { F, S, S }, 3, 0, 1 },
	{ "unchanged then a failure: nothing applied", { U, F, S }, 3, 0, 1 },
	{ "one applied then a failure", { A, F, S }, 3, 0, 5 },
	{ "two applied then a failure", { A, A, F }, 3, 0, 5 },
	{ "interrupted during a write", { A, I, S }, 3, 1, 130 },
	{ "interrupted while waiting", { A, A }, 2, 1, 130 },
	/* an alter cut short counts as failed even when the run's flag is not set */
	{ "an alter cut short after one applied", { A, I }, 2, 0, 5 },
	{ "an alter cut short, nothing applied", { I, S }, 2, 0, 1 },
};

Test(apply, exit_code_table)
{
	size_t i, j;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fx_apply_result items[4];
		struct fx_apply_results r = { .items = items, .n = cases[i].n,
					       .interrupted = cases[i].interrupted };

		memset(items, 0, sizeof(items));
		for (j = 0; j < cases[i].n; j++)
			items[j].outcome = cases[i].o[j];
		/* past the last result: never counted */
		items[cases[i].n].outcome = cases[i].code ? A : F;
		cr_expect_eq(fx_apply_exit_code(&r), cases[i].code, "%s: got %d", cases[i].what,
			     fx_apply_exit_code(&r));
	}
}

/* The summary line and JSON "summary" count each outcome over every alter,
 * the first and the last included. */
Test(apply, count_each_outcome)
{
	static const enum fx_apply_outcome all[] = { A, U, F, S, I };
	size_t i, j, k;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fx_apply_result items[5];
		struct fx_apply_results r = { .items = items, .n = cases[i].n };

		/* one item past the end that must not be counted */
		memset(items, 0, sizeof(items));
		for (j = 0; j < cases[i].n; j++)
			items[j].outcome = cases[i].o[j];
		items[cases[i].n].outcome = A;
		for (k = 0; k < sizeof(all) / sizeof(all[0]); k++) {
			size_t want = 0;

			for (j = 0; j < cases[i].n; j++)
				want += cases[i].o[j] == all[k];
			cr_expect_eq(fx_apply_count(&r, all[k]), want, "%s: %s counted %zu, want %zu",
				     cases[i].what, fx_apply_outcome_name(all[k]), fx_apply_count(&r, all[k]),
				     want);
		}
	}
}

Test(apply, outcome_names)
{
	cr_expect_str_eq(fx_apply_outcome_name(FX_APPLY_APPLIED), "applied");
	cr_expect_str_eq(fx_apply_outcome_name(FX_APPLY_UNCHANGED), "unchanged");
	cr_expect_str_eq(fx_apply_outcome_name(FX_APPLY_FAILED), "failed");
	cr_expect_str_eq(fx_apply_outcome_name(FX_APPLY_SKIPPED), "skipped");
	cr_expect_str_eq(fx_apply_outcome_name(FX_APPLY_INTERRUPTED), "interrupted");
}

Test(apply, results_json)
{
	struct fx_apply_result items[2];
	struct fx_apply_results r = { .items = items, .n = 2 };
	struct fx_task_status task = { 0, (char *)"FAILED", (char *)"w1:8083", NULL };
	json_t *j, *res;

	memset(items, 0, sizeof(items));
	items[0].connector = (char *)"fluxa_a";
	items[0].connect_url = (char *)"http://c:8083";
	items[0].action = FX_ACTION_CREATE;
	items[0].outcome = FX_APPLY_FAILED;
	items[0].written = 1;
	items[0].state = (char *)"FAILED";
	items[0].error = (char *)"fluxa_a: RUNNING; task 0 FAILED";
	items[0].trace = (char *)"ConnectException: boom";
	items[0].status.tasks = &task;
	items[0].status.n_tasks = 1;
	items[0].seconds = 1.23456;
	items[1].connector = (char *)"fluxa_b";
	items[1].connect_url = (char *)"http://c:8083";
	items[1].action = FX_ACTION_DELETE;
	items[1].outcome = FX_APPLY_SKIPPED;

	j = fx_render_apply_results_json(&r, NULL, "failed", fx_apply_exit_code(&r), NULL);
	cr_assert_not_null(j);
	cr_expect_str_eq(json_string_value(json_object_get(j, "status")), "failed");
	cr_expect_eq(json_integer_value(json_object_get(j, "exit_code")), 1);
	res = json_object_get(j, "results");
	cr_assert_eq(json_array_size(res), 2);
	cr_expect_str_eq(json_string_value(json_object_get(json_array_get(res, 0), "outcome")), "failed");
	cr_expect(json_is_true(json_object_get(json_array_get(res, 0), "written")));
	cr_expect_str_eq(json_string_value(json_object_get(
				 json_array_get(json_object_get(json_array_get(res, 0), "tasks"), 0), "state")),
			 "FAILED");
	cr_expect(json_is_null(json_object_get(json_array_get(res, 1), "state")));
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(j, "summary"), "skipped")), 1);
	cr_expect(json_real_value(json_object_get(json_array_get(res, 0), "seconds")) < 1.2346);
	json_decref(j);
}

/* The summary's "unchanged" is what the plan said: its unchanged connectors
 * plus alters found already done, in text (fx_apply_count) and JSON alike. */
Test(apply, unchanged_counts_the_plans_unchanged)
{
	struct fx_unchanged un[2];
	struct fx_plan p = FX_PLAN_INIT;
	struct fx_connect_clients cs = FX_CONNECT_CLIENTS_INIT;
	struct fx_apply_opts o = FX_APPLY_OPTS_INIT;
	struct fx_apply_results r = FX_APPLY_RESULTS_INIT;
	struct fx_err err = FX_ERR_INIT;
	struct fx_apply_result items[1];
	struct fx_apply_results r2 = FX_APPLY_RESULTS_INIT;
	json_t *j;

	memset(un, 0, sizeof(un));
	un[0].connector = (char *)"fluxa_a";
	un[1].connector = (char *)"fluxa_b";
	p.unchanged = un;
	p.n_unchanged = 2;
	cr_assert_eq(fx_apply_run(&p, &cs, &o, &r, &err), 0, "%s", err.msg);
	cr_expect_eq(fx_apply_count(&r, FX_APPLY_UNCHANGED), 2);
	cr_expect_eq(fx_apply_count(&r, FX_APPLY_APPLIED), 0);
	j = fx_render_apply_results_json(&r, &p, "no-changes", 0, NULL);
	cr_assert_not_null(j);
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(j, "summary"), "unchanged")), 2);
	cr_expect_eq(json_array_size(json_object_get(j, "unchanged")), 2);
	json_decref(j);
	/* before any run (refused, blocked): the plan's count */
	j = fx_render_apply_results_json(NULL, &p, "refused", 3, "no approval");
	cr_assert_not_null(j);
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(j, "summary"), "unchanged")), 2);
	json_decref(j);
	/* an alter found already done adds to it */
	memset(items, 0, sizeof(items));
	items[0].outcome = FX_APPLY_UNCHANGED;
	r2.items = items;
	r2.n = 1;
	r2.plan_unchanged = 2;
	cr_expect_eq(fx_apply_count(&r2, FX_APPLY_UNCHANGED), 3);
	fx_apply_results_release(&r);
}

/* A create over offsets Connect still holds: refused (3) before any write
 * unless --reset-offsets or --keep-offsets says what to do with them. */
Test(apply, leftover_offsets_guard)
{
	static const struct {
		int leftover_offsets;
		int mode;
		int code;      /* of the -1 from fx_apply_run */
		const char *msg;
	} t[] = {
		{ 1, FX_APPLY_OFFSETS_REFUSE, FX_EXIT_REFUSED, "--keep-offsets" },
		/* past the guard: the next one (no client here) answers */
		{ 1, FX_APPLY_OFFSETS_RESET, FX_EXIT_FAILURE, "no Connect client" },
		{ 1, FX_APPLY_OFFSETS_KEEP, FX_EXIT_FAILURE, "no Connect client" },
		{ 0, FX_APPLY_OFFSETS_REFUSE, FX_EXIT_FAILURE, "no Connect client" },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct fx_change ch = { .action = FX_ACTION_CREATE, .connector = (char *)"fluxa_x",
					.connect_url = (char *)"http://c:8083", .risk = FX_RISK_SAFE,
					.leftover_offsets = t[i].leftover_offsets,
					.connect_version = (char *)"3.9.1" };
		struct fx_plan p = { .changes = &ch, .n_changes = 1 };
		struct fx_connect_clients cs = FX_CONNECT_CLIENTS_INIT;
		struct fx_apply_opts o = FX_APPLY_OPTS_INIT;
		struct fx_apply_results r = FX_APPLY_RESULTS_INIT;
		struct fx_err err = FX_ERR_INIT;

		o.leftover = t[i].mode;
		cr_expect_eq(fx_apply_run(&p, &cs, &o, &r, &err), -1, "case %zu", i);
		cr_expect_eq(err.code, t[i].code, "case %zu: %d %s", i, err.code, err.msg);
		cr_expect(strstr(err.msg, t[i].msg), "case %zu: %s", i, err.msg);
		fx_apply_results_release(&r);
	}
}

/* fx_apply_run's own guard, before any write, whoever calls it: an alter its
 * cluster's Connect is too old for (the plan's connect_version) is refused
 * (3) with the version named; a Connect that has the feature goes on to the
 * next guard (no client here, so nothing can be written either way). */
Test(apply, connect_version_guard)
{
	static const struct {
		const char *version;
		int leftover_offsets, mode, risk, allow_resnapshot;
		int code;
		const char *msg;
	} t[] = {
		{ "3.6.0", 1, FX_APPLY_OFFSETS_RESET, FX_RISK_SAFE, 0, FX_EXIT_REFUSED,
		  "needs Kafka Connect 3.7 or later, and it runs 3.6.0" },
		{ "3.7.0", 1, FX_APPLY_OFFSETS_RESET, FX_RISK_SAFE, 0, FX_EXIT_FAILURE, "no Connect client" },
		{ "3.4.0", 1, FX_APPLY_OFFSETS_KEEP, FX_RISK_SAFE, 0, FX_EXIT_FAILURE, "no Connect client" },
		{ NULL, 1, FX_APPLY_OFFSETS_RESET, FX_RISK_SAFE, 0, FX_EXIT_REFUSED,
		  "did not say which version it runs" },
		{ "3.5.1", 0, FX_APPLY_OFFSETS_REFUSE, FX_RISK_RESNAPSHOT, 1, FX_EXIT_REFUSED,
		  "needs Kafka Connect 3.6 or later, and it runs 3.5.1" },
		{ "3.6.0", 0, FX_APPLY_OFFSETS_REFUSE, FX_RISK_BREAKING, 1, FX_EXIT_FAILURE, "no Connect client" },
		{ "3.4.0", 0, FX_APPLY_OFFSETS_REFUSE, FX_RISK_RESTART, 1, FX_EXIT_FAILURE, "no Connect client" },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct fx_change ch = { .action = t[i].risk == FX_RISK_SAFE ? FX_ACTION_CREATE :
						  FX_ACTION_UPDATE,
					.connector = (char *)"fluxa_x",
					.connect_url = (char *)"http://c:8083", .risk = t[i].risk,
					.leftover_offsets = t[i].leftover_offsets,
					.connect_version = (char *)t[i].version };
		struct fx_plan p = { .changes = &ch, .n_changes = 1 };
		struct fx_connect_clients cs = FX_CONNECT_CLIENTS_INIT;
		struct fx_apply_opts o = FX_APPLY_OPTS_INIT;
		struct fx_apply_results r = FX_APPLY_RESULTS_INIT;
		struct fx_err err = FX_ERR_INIT;

		o.leftover = t[i].mode;
		o.allow_resnapshot = t[i].allow_resnapshot;
		cr_expect_eq(fx_apply_run(&p, &cs, &o, &r, &err), -1, "case %zu", i);
		cr_expect_eq(err.code, t[i].code, "case %zu: %d %s", i, err.code, err.msg);
		cr_expect(strstr(err.msg, t[i].msg), "case %zu: %s", i, err.msg);
		cr_expect_eq(r.n, 0, "case %zu: no result, nothing attempted", i);
		fx_apply_results_release(&r);
	}
}
