/*
 * apply_gate.c: whether apply may write, in the order of its gates — a stale
 * plan file, check errors, nothing to change, deletes, approval — with the
 * exit status, the JSON status, what stderr says and the closing line of
 * each stop.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "apply_gate.h"
#include "render_apply.h"

#define GO FX_APPLY_GO
#define ASK FX_APPLY_ASK
#define STOP FX_APPLY_STOP

enum { NO_FILE = 0, FRESH_FILE, STALE_FILE };

static const struct {
	const char *what;
	int errors;           /* check errors in the plan */
	int file;             /* NO_FILE, FRESH_FILE, STALE_FILE */
	const char *actions;  /* c, u, d: the plan's changes */
	int failed_unchanged; /* a wanted connector FAILED, left alone */
	int allow_destroy, auto_approve, can_ask;
	enum fx_apply_approval approval;
	/* expected */
	enum fx_apply_gate_step step;
	int code;
	const char *status;
	size_t n_said;
	const char *first_said;
	int plan_to_stderr;
	const char *text;
} cases[] = {
	{ "one check error", 1, NO_FILE, "c", 0, 0, 1, 0, 0,
	  STOP, 1, "blocked", 1, "apply: the plan has 1 check error: nothing applied", 0, NULL },
	{ "check errors in a plan file: the plan on stderr too", 2, FRESH_FILE, "c", 0, 0, 0, 0, 0,
	  STOP, 1, "blocked", 1, "apply: the plan has 2 check errors: nothing applied", 1, NULL },
	{ "a stale plan file comes before its check errors (a changed secret fails a check too)",
	  1, STALE_FILE, "c", 0, 0, 0, 0, 0,
	  STOP, 4, "stale", 2, "p.json: stale plan: the manifest (or the environment it reads) changed since the plan: desired connectors differ", 0, NULL },
	{ "stale plan file: each drift, then what to do", 0, STALE_FILE, "c", 0, 0, 0, 0, 0,
	  STOP, 4, "stale", 2, "p.json: stale plan: the manifest (or the environment it reads) changed since the plan: desired connectors differ", 0, NULL },
	{ "nothing to change", 0, NO_FILE, "", 0, 0, 0, 0, 0,
	  STOP, 0, "no-changes", 0, NULL, 0, "\nApply complete: nothing to do.\n" },
	{ "nothing to change in a fresh plan file", 0, FRESH_FILE, "", 0, 0, 0, 0, 0,
	  STOP, 0, "no-changes", 0, NULL, 0, "\nApply complete: nothing to do.\n" },
	{ "nothing to change, but a wanted connector is FAILED", 0, NO_FILE, "", 1, 0, 0, 0, 0,
	  STOP, 1, "failed", 1, "apply: fluxa_x on http://c:8083 is FAILED and unchanged by this apply: see 'fluxacdc status' for the trace, then restart it: fluxacdc restart --failed fluxa_x", 0,
	  "\nApply: nothing to change, but a connector the manifest wants is FAILED.\n" },
	{ "a delete without --allow-destroy", 0, NO_FILE, "cd", 0, 0, 1, 1, 0,
	  STOP, 3, "refused", 1, "apply: the plan deletes 1 connector: rerun with --allow-destroy to allow it; nothing applied", 0, NULL },
	{ "two deletes in a plan file without --allow-destroy", 0, FRESH_FILE, "dd", 0, 0, 0, 0, 0,
	  STOP, 3, "refused", 1, "apply: the plan deletes 2 connectors: rerun with --allow-destroy to allow it; nothing applied", 0, NULL },
	{ "deletes allowed, auto-approved", 0, NO_FILE, "dcu", 0, 1, 1, 0, 0, GO, 0, NULL, 0, NULL, 0, NULL },
	{ "a fresh plan file needs no question", 0, FRESH_FILE, "u", 0, 0, 0, 0, 0, GO, 0, NULL, 0, NULL, 0, NULL },
	{ "a terminal: ask", 0, NO_FILE, "c", 0, 0, 0, 1, FX_APPLY_NOT_ASKED, ASK, 0, NULL, 0, NULL, 0, NULL },
	{ "no terminal, no --auto-approve", 0, NO_FILE, "c", 0, 0, 0, 0, FX_APPLY_NOT_ASKED,
	  STOP, 3, "refused", 1, "apply: no terminal to ask for approval: rerun with --auto-approve, or apply a plan file (plan --out FILE); nothing applied", 0, NULL },
	{ "answered yes", 0, NO_FILE, "c", 0, 0, 0, 1, FX_APPLY_APPROVED, GO, 0, NULL, 0, NULL, 0, NULL },
	{ "answered something else", 0, NO_FILE, "c", 0, 0, 0, 1, FX_APPLY_DECLINED,
	  STOP, 3, "refused", 1, "apply: not approved; nothing applied", 0, NULL },
	{ "interrupted at the question", 0, NO_FILE, "c", 0, 0, 0, 1, FX_APPLY_ASK_INTERRUPTED,
	  STOP, 130, "refused", 1, "apply: interrupted; nothing applied", 0, NULL },
	{ "a FAILED unchanged one does not stop the alters", 0, NO_FILE, "u", 1, 0, 1, 0, 0, GO, 0, NULL, 0, NULL, 0, NULL },
};

static void gate_plan(struct fx_plan *p, int errors, const char *actions, int failed,
		      struct fx_change *changes, struct fx_unchanged *un)
{
	size_t i;

	*p = (struct fx_plan)FX_PLAN_INIT;
	for (i = 0; i < (size_t)errors; i++)
		cr_assert_eq(fx_checks_add(&p->checks, FX_CHECK_ERROR, "mysql.binlog_format",
					   "mysql:default", "STATEMENT", "ROW", NULL, "bad %zu", i), 0);
	fx_checks_add(&p->checks, FX_CHECK_WARNING, "connect.tls_insecure", "connect:k", NULL,
		      NULL, NULL, "a warning blocks nothing");
	for (i = 0; actions[i]; i++) {
		memset(&changes[i], 0, sizeof(changes[i]));
		changes[i].action = actions[i] == 'c' ? FX_ACTION_CREATE :
				    actions[i] == 'u' ? FX_ACTION_UPDATE : FX_ACTION_DELETE;
		changes[i].connector = (char *)"fluxa_a";
		changes[i].connect_url = (char *)"http://c:8083";
	}
	p->changes = changes;
	p->n_changes = i;
	memset(un, 0, sizeof(*un));
	un->connector = (char *)"fluxa_x";
	un->connect_url = (char *)"http://c:8083";
	un->failed = failed;
	p->unchanged = un;
	p->n_unchanged = 1;
	snprintf(p->desired_fp, sizeof(p->desired_fp), "sha256:1");
	snprintf(p->observed_fp, sizeof(p->observed_fp), "sha256:2");
}

Test(apply_gate, table)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fx_change changes[4];
		struct fx_unchanged un;
		struct fx_plan p, saved;
		struct fx_apply_gate_in in = { .plan = &p };
		struct fx_apply_stop stop = FX_APPLY_STOP_INIT;
		enum fx_apply_gate_step step;
		const char *s;
		size_t n = 0;

		gate_plan(&p, cases[i].errors, cases[i].actions, cases[i].failed_unchanged, changes, &un);
		saved = p;
		if (cases[i].file == STALE_FILE)
			snprintf(saved.desired_fp, sizeof(saved.desired_fp), "sha256:0");
		if (cases[i].file != NO_FILE) {
			in.saved = &saved;
			in.file = "p.json";
		}
		in.allow_destroy = cases[i].allow_destroy;
		in.auto_approve = cases[i].auto_approve;
		in.can_ask = cases[i].can_ask;
		in.approval = cases[i].approval;
		step = fx_apply_gate(&in, &stop);
		cr_expect_eq(step, cases[i].step, "%s: step %d", cases[i].what, step);
		for (s = fx_apply_said(&stop.says, NULL); s; s = fx_apply_said(&stop.says, s))
			n++;
		cr_expect_eq(n, cases[i].n_said, "%s: %zu messages", cases[i].what, n);
		if (step == STOP) {
			cr_expect_eq(stop.code, cases[i].code, "%s: code %d", cases[i].what, stop.code);
			cr_expect_str_eq(stop.status, cases[i].status, "%s", cases[i].what);
			cr_expect_eq(stop.plan_to_stderr, cases[i].plan_to_stderr, "%s", cases[i].what);
		}
		if (cases[i].first_said)
			cr_expect_str_eq(fx_apply_said(&stop.says, NULL), cases[i].first_said, "%s",
					 cases[i].what);
		{
			char *text = NULL;
			size_t len = 0;
			FILE *f = open_memstream(&text, &len);

			cr_assert_not_null(f);
			fx_render_apply_stop_text(f, &stop);
			fclose(f);
			cr_expect_str_eq(text, cases[i].text ? cases[i].text : "", "%s: closing line",
					 cases[i].what);
			free(text);
		}
		fx_apply_stop_release(&stop);
		fx_checks_release(&p.checks);
	}
}

/* Asked, then answered: the second call decides; nothing is said twice. */
Test(apply_gate, ask_then_answer)
{
	struct fx_change changes[1];
	struct fx_unchanged un;
	struct fx_plan p;
	struct fx_apply_gate_in in = { .plan = &p, .can_ask = 1 };
	struct fx_apply_stop stop = FX_APPLY_STOP_INIT;

	gate_plan(&p, 0, "c", 0, changes, &un);
	cr_assert_eq(fx_apply_gate(&in, &stop), ASK);
	cr_assert_eq(stop.says.len, 0);
	in.approval = FX_APPLY_DECLINED;
	cr_assert_eq(fx_apply_gate(&in, &stop), STOP);
	cr_assert_str_eq(fx_apply_said(&stop.says, NULL), "apply: not approved; nothing applied");
	cr_assert_null(fx_apply_said(&stop.says, fx_apply_said(&stop.says, NULL)));
	fx_apply_stop_release(&stop);
	fx_checks_release(&p.checks);
}

/* A message may span lines; the list keeps each whole. */
Test(apply_gate, said_keeps_messages_whole)
{
	struct fx_buf b = FX_BUF_INIT;
	const char *s;

	cr_assert_null(fx_apply_said(&b, NULL));
	fx_apply_say(&b, "first %d", 1);
	fx_apply_say(&b, "second\nline two");
	fx_apply_say(&b, "%s", "");
	s = fx_apply_said(&b, NULL);
	cr_assert_str_eq(s, "first 1");
	s = fx_apply_said(&b, s);
	cr_assert_str_eq(s, "second\nline two");
	s = fx_apply_said(&b, s);
	cr_assert_str_eq(s, "");
	cr_assert_null(fx_apply_said(&b, s));
	fx_buf_release(&b);
}

/* Resnapshot and breaking alters, and an update during the initial snapshot,
 * need --allow-resnapshot (apply then stops, resets offsets, writes, resumes). */
Test(apply_gate, resnapshot_and_breaking_are_refused)
{
	static const struct {
		enum fx_risk risk;
		int allow;
		enum fx_apply_gate_step step;
		const char *says;
	} rs[] = {
		{ FX_RISK_RESTART, 0, GO, NULL },
		{ FX_RISK_RESNAPSHOT, 0, STOP, "apply: update fluxa_a (risk resnapshot): the connector would start over (resnapshot) or fail at start (breaking); rerun with --allow-resnapshot" },
		{ FX_RISK_BREAKING, 0, STOP, "apply: update fluxa_a (risk breaking): the connector would start over" },
		{ FX_RISK_BREAKING, 1, GO, NULL },
		{ FX_RISK_RESNAPSHOT, 1, GO, NULL },
		{ 99, 0, STOP, "apply: update fluxa_a (its initial snapshot is in progress: it would start over)" },
		{ 99, 1, GO, NULL },
	};

	for (size_t i = 0; i < sizeof(rs) / sizeof(rs[0]); i++) {
		struct fx_change changes[4];
		struct fx_unchanged un;
		struct fx_plan p;
		struct fx_apply_gate_in in = { .plan = &p, .auto_approve = 1 };
		struct fx_apply_stop stop = FX_APPLY_STOP_INIT;
		enum fx_apply_gate_step step;

		gate_plan(&p, 0, "u", 0, changes, &un);
		changes[0].risk = rs[i].risk == 99 ? FX_RISK_RESTART : rs[i].risk;
		changes[0].mid_snapshot = rs[i].risk == 99;
		in.allow_resnapshot = rs[i].allow;
		step = fx_apply_gate(&in, &stop);
		cr_expect_eq(step, rs[i].step, "case %zu: step %d", i, step);
		if (rs[i].says) {
			const char *s = fx_apply_said(&stop.says, NULL);

			cr_expect_eq(stop.code, 3, "case %zu", i);
			cr_expect_str_eq(stop.status, "refused");
			cr_expect(s && !strncmp(s, rs[i].says, strlen(rs[i].says)), "case %zu: %s", i, s);
			cr_expect(s && strstr(s, "nothing applied"), "case %zu: %s", i, s);
		}
		fx_apply_stop_release(&stop);
		fx_checks_release(&p.checks);
	}
}
