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
		changes[i].connect_version = (char *)"4.1.1"; /* has every feature apply uses */
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

/*
 * The Connect version decides before any write (SPEC §4): what each alter
 * needs as apply carries it out with its flags, and, for every version a
 * cluster may report, whether that is refused.  --reset-offsets on a create
 * over leftover offsets creates it STOPPED (initial_state: 3.7);
 * --allow-resnapshot on a resnapshot/breaking update stops it and deletes
 * its offsets (3.6).  Anything else needs no particular version.
 */
enum { K_CREATE, K_CREATE_LEFTOVER, K_UPDATE, K_UPDATE_MID_SNAPSHOT, K_RESNAPSHOT, K_BREAKING,
       K_DELETE };

static const struct {
	const char *what;
	int kind;
	int allow_resnapshot, reset_offsets; /* !reset_offsets on K_CREATE_LEFTOVER: --keep-offsets
					      * (or neither: refused by its own guard) */
	enum fx_apply_needs needs;
} need_cases[] = {
	{ "plain create", K_CREATE, 0, 0, FX_APPLY_NEEDS_NOTHING },
	{ "plain create, flags given for others", K_CREATE, 1, 1, FX_APPLY_NEEDS_NOTHING },
	{ "create over leftover offsets, --reset-offsets", K_CREATE_LEFTOVER, 0, 1, FX_APPLY_NEEDS_INITIAL_STATE },
	{ "create over leftover offsets, --reset-offsets --allow-resnapshot", K_CREATE_LEFTOVER, 1, 1, FX_APPLY_NEEDS_INITIAL_STATE },
	{ "create over leftover offsets, --keep-offsets: a plain create", K_CREATE_LEFTOVER, 0, 0, FX_APPLY_NEEDS_NOTHING },
	{ "create over leftover offsets, --keep-offsets --allow-resnapshot", K_CREATE_LEFTOVER, 1, 0, FX_APPLY_NEEDS_NOTHING },
	{ "update (restart)", K_UPDATE, 1, 1, FX_APPLY_NEEDS_NOTHING },
	{ "update during the initial snapshot, --allow-resnapshot: a plain update", K_UPDATE_MID_SNAPSHOT, 1, 0, FX_APPLY_NEEDS_NOTHING },
	{ "resnapshot, --allow-resnapshot", K_RESNAPSHOT, 1, 0, FX_APPLY_NEEDS_OFFSETS_DELETE },
	{ "resnapshot, --allow-resnapshot --reset-offsets", K_RESNAPSHOT, 1, 1, FX_APPLY_NEEDS_OFFSETS_DELETE },
	{ "resnapshot without --allow-resnapshot (refused by its own guard)", K_RESNAPSHOT, 0, 1, FX_APPLY_NEEDS_NOTHING },
	{ "breaking, --allow-resnapshot", K_BREAKING, 1, 0, FX_APPLY_NEEDS_OFFSETS_DELETE },
	{ "breaking without --allow-resnapshot", K_BREAKING, 0, 0, FX_APPLY_NEEDS_NOTHING },
	{ "delete", K_DELETE, 1, 1, FX_APPLY_NEEDS_NOTHING },
};

static const struct {
	const char *version;
	int has_3_6, has_3_7; /* 1 enough, 0 older, -1 unreadable */
	const char *shown;    /* in the message */
} version_cases[] = {
	{ "3.4.0", 0, 0, "it runs 3.4.0" },
	{ "3.5.1", 0, 0, "it runs 3.5.1" },
	{ "3.6.0", 1, 0, "it runs 3.6.0" },
	{ "3.7.0", 1, 1, NULL },
	{ "3.9.1", 1, 1, NULL },
	{ "4.1.1", 1, 1, NULL },
	{ "7.5.3-ccs", 0, 0, "it runs 7.5.3-ccs" },       /* Confluent 7.5 = Kafka 3.5 */
	{ "7.6.0-ccs", 1, 0, "it runs 7.6.0-ccs" },
	{ "8.0.0-ce", 1, 1, NULL },
	{ "", -1, -1, "it did not say which version it runs" },
	{ NULL, -1, -1, "it did not say which version it runs" },
	{ "garbage", -1, -1, "the version it reports, 'garbage', could not be read" },
	{ "v3.9", -1, -1, "the version it reports, 'v3.9', could not be read" },
	{ "4\n\x1b[31m", -1, -1, "the version it reports, '4??[31m', could not be read" },
};

static void need_change(struct fx_change *ch, struct fx_diff_item *d, int kind, const char *version)
{
	memset(ch, 0, sizeof(*ch));
	ch->connector = (char *)"fluxa_x";
	ch->connect_url = (char *)"http://c:8083";
	ch->connect_version = (char *)version;
	ch->action = kind == K_DELETE ? FX_ACTION_DELETE :
		     kind <= K_CREATE_LEFTOVER ? FX_ACTION_CREATE : FX_ACTION_UPDATE;
	ch->risk = kind == K_RESNAPSHOT ? FX_RISK_RESNAPSHOT : kind == K_BREAKING ? FX_RISK_BREAKING :
		   kind == K_DELETE ? FX_RISK_DESTROY : ch->action == FX_ACTION_CREATE ? FX_RISK_SAFE :
		   FX_RISK_RESTART;
	ch->leftover_offsets = kind == K_CREATE_LEFTOVER;
	ch->mid_snapshot = kind == K_UPDATE_MID_SNAPSHOT;
	cr_assert_eq(fx_config_set(&ch->desired, "topic.prefix", "shop2"), 0);
	if (kind == K_RESNAPSHOT) { /* the stored offsets were written under the old prefix */
		*d = (struct fx_diff_item){ .key = (char *)"topic.prefix", .op = FX_DIFF_CHANGE,
					    .before = (char *)"shop", .after = (char *)"shop2" };
		ch->diff = d;
		ch->n_diff = 1;
	}
}

Test(apply_gate, connect_version_table)
{
	size_t i, j;

	for (i = 0; i < sizeof(need_cases) / sizeof(need_cases[0]); i++)
		for (j = 0; j < sizeof(version_cases) / sizeof(version_cases[0]); j++) {
			struct fx_change ch;
			struct fx_diff_item d;
			struct fx_buf why = FX_BUF_INIT;
			enum fx_apply_needs needs;
			int has, refused;
			const char *v = version_cases[j].version;

			need_change(&ch, &d, need_cases[i].kind, v);
			needs = fx_apply_needs(&ch, need_cases[i].allow_resnapshot,
					       need_cases[i].reset_offsets);
			cr_expect_eq(needs, need_cases[i].needs, "%s: needs %d", need_cases[i].what, needs);
			has = needs == FX_APPLY_NEEDS_INITIAL_STATE ? version_cases[j].has_3_7 :
			      version_cases[j].has_3_6;
			refused = fx_apply_version_refuses(&ch, need_cases[i].allow_resnapshot,
							   need_cases[i].reset_offsets, &why);
			cr_expect_eq(refused, needs != FX_APPLY_NEEDS_NOTHING && has != 1,
				     "%s on '%s': refused %d", need_cases[i].what, v ? v : "(null)", refused);
			if (!refused) {
				cr_expect_eq(why.len, 0, "%s on '%s': said %s", need_cases[i].what,
					     v ? v : "(null)", fx_buf_str(&why));
			} else {
				const char *s = fx_buf_str(&why);
				const char *need = needs == FX_APPLY_NEEDS_INITIAL_STATE ?
						   "needs Kafka Connect 3.7 or later" :
						   "needs Kafka Connect 3.6 or later";

				cr_expect(strstr(s, "connector 'fluxa_x' on http://c:8083: ") == s, "%s", s);
				cr_expect(strstr(s, need), "%s", s);
				cr_expect(strstr(s, version_cases[j].shown), "'%s': %s", v ? v : "(null)", s);
				cr_expect(strstr(s, "nothing applied"), "%s", s);
				cr_expect(!strchr(s, '\n') && !strchr(s, '\x1b'), "%s", s);
				if (needs == FX_APPLY_NEEDS_INITIAL_STATE) {
					cr_expect(strstr(s, "--keep-offsets"), "%s", s);
					cr_expect(strstr(s, "[\"fluxa_x\",{\"server\":\"shop2\"}]"), "%s", s);
				} else {
					cr_expect(strstr(s, "curl -X DELETE http://c:8083/connectors/fluxa_x"), "%s", s);
					/* a resnapshot changing topic.prefix: the key of the stored offsets */
					cr_expect(strstr(s, need_cases[i].kind == K_RESNAPSHOT ?
							 "[\"fluxa_x\",{\"server\":\"shop\"}]" :
							 "[\"fluxa_x\",{\"server\":\"shop2\"}]"), "%s", s);
				}
			}
			fx_buf_release(&why);
			fx_config_release(&ch.desired);
		}
}

/* One whole message, as stderr shows it. */
Test(apply_gate, connect_version_message)
{
	struct fx_change ch;
	struct fx_diff_item d;
	struct fx_buf why = FX_BUF_INIT;

	need_change(&ch, &d, K_CREATE_LEFTOVER, "3.6.0");
	cr_assert_eq(fx_apply_version_refuses(&ch, 0, 1, &why), 1);
	cr_expect_str_eq(fx_buf_str(&why),
			 "connector 'fluxa_x' on http://c:8083: --reset-offsets creates it STOPPED (initial_state) to delete the offsets Connect still holds for it, which needs Kafka Connect 3.7 or later, and it runs 3.6.0: nothing applied; instead upgrade Connect to 3.7 or later; or apply with --keep-offsets (it resumes from them, no snapshot); or delete them yourself (a tombstone, a null value, for the key [\"fluxa_x\",{\"server\":\"shop2\"}] in Connect's offsets topic) and plan again; or rename its mysql pool (a new connector name holds no offsets)");
	fx_buf_release(&why);
	fx_config_release(&ch.desired);
}

/* In the gate: a stop (3, refused) before the question, one message per alter
 * Connect is too old for; a version that has it goes on to the question. */
Test(apply_gate, connect_version_stops_before_the_question)
{
	static const struct {
		const char *version_a, *version_b;
		enum fx_apply_gate_step step;
		size_t n_said;
	} t[] = {
		{ "3.5.1", "3.4.0", STOP, 2 },
		{ "3.5.1", "3.9.1", STOP, 1 },
		{ "garbage", "4.1.1", STOP, 1 },
		{ "3.6.0", "4.1.1", ASK, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct fx_change changes[2];
		struct fx_diff_item d[2];
		struct fx_plan p = FX_PLAN_INIT;
		struct fx_apply_gate_in in = { .plan = &p, .can_ask = 1, .allow_resnapshot = 1 };
		struct fx_apply_stop stop = FX_APPLY_STOP_INIT;
		enum fx_apply_gate_step step;
		const char *s;
		size_t n = 0;

		need_change(&changes[0], &d[0], K_RESNAPSHOT, t[i].version_a);
		need_change(&changes[1], &d[1], K_BREAKING, t[i].version_b);
		changes[1].connector = (char *)"fluxa_y";
		p.changes = changes;
		p.n_changes = 2;
		step = fx_apply_gate(&in, &stop);
		cr_expect_eq(step, t[i].step, "case %zu: step %d", i, step);
		for (s = fx_apply_said(&stop.says, NULL); s; s = fx_apply_said(&stop.says, s)) {
			cr_expect(strstr(s, "apply: connector 'fluxa_") == s, "%s", s);
			n++;
		}
		cr_expect_eq(n, t[i].n_said, "case %zu: %zu said", i, n);
		if (step == STOP) {
			cr_expect_eq(stop.code, FX_EXIT_REFUSED);
			cr_expect_str_eq(stop.status, "refused");
		}
		fx_apply_stop_release(&stop);
		fx_config_release(&changes[0].desired);
		fx_config_release(&changes[1].desired);
	}
}
