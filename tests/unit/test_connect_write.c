/*
 * connect_write.c: the next step of apply's careful writes (SPEC §4), one
 * decision at a time (a table of events), then whole writes played against
 * scripted Connect answers (a table of scenarios).
 */
#include <string.h>

#include <criterion/criterion.h>

#include "connect_write.h"

#define CREATE FX_CONNECT_WRITE_CREATE
#define UPDATE FX_CONNECT_WRITE_UPDATE
#define DELETE FX_CONNECT_WRITE_DELETE

#define READY FX_CONNECT_EV_READY
#define ANSWER FX_CONNECT_EV_ANSWER
#define NO_ANSWER FX_CONNECT_EV_NO_ANSWER
#define READ FX_CONNECT_EV_READ

#define R_FAILED FX_CONNECT_READ_FAILED
#define R_INTR FX_CONNECT_READ_INTERRUPTED
#define R_ABSENT FX_CONNECT_READ_ABSENT
#define R_PRESENT FX_CONNECT_READ_PRESENT
#define R_MATCH FX_CONNECT_READ_MATCHES
#define R_DIFF FX_CONNECT_READ_DIFFERS

#define S_SEND FX_CONNECT_STEP_SEND
#define S_READ FX_CONNECT_STEP_READ
#define S_WAIT FX_CONNECT_STEP_WAIT
#define S_DONE FX_CONNECT_STEP_DONE
#define S_FAIL FX_CONNECT_STEP_FAIL
#define S_CONFLICT FX_CONNECT_STEP_CONFLICT
#define S_SPENT FX_CONNECT_STEP_SPENT

#define REBALANCE "Request cannot be completed because a rebalance is expected"
#define EXISTS "Connector fluxa_default already exists"
#define TIMED_OUT "Request timed out. The worker is currently ensuring membership in the cluster"
#define NOT_FOUND "Connector fluxa_default not found"

static const struct {
	const char *what;
	enum fx_connect_write_kind kind;
	unsigned attempts;
	int uncertain;
	enum fx_connect_write_event event;
	long status;
	const char *message;
	int connect_404;
	enum fx_connect_read read;
	long elapsed_ms;
	/* expected */
	enum fx_connect_write_step step;
	int noop;
	int uncertain_after;
	int resend;
} steps[] = {
	{ "first of all: send", CREATE, 0, 0, READY, 0, NULL, 0, 0, 0, S_SEND, 0, 0, 0 },
	{ "after a wait: send", UPDATE, 2, 1, READY, 0, NULL, 0, 0, 0, S_SEND, 0, 1, 0 },
	{ "create 201", CREATE, 1, 0, ANSWER, 201, NULL, 0, 0, 0, S_DONE, 0, 0, 0 },
	{ "update 200", UPDATE, 1, 0, ANSWER, 200, NULL, 0, 0, 0, S_DONE, 0, 0, 0 },
	{ "delete 204", DELETE, 1, 0, ANSWER, 204, NULL, 0, 0, 0, S_DONE, 0, 0, 0 },
	{ "2xx after an unknown outcome: done, not noop", CREATE, 2, 1, ANSWER, 201, NULL, 0, 0, 0, S_DONE, 0, 1, 0 },
	{ "delete: Connect's 404 is success, nothing to do", DELETE, 1, 0, ANSWER, 404, NOT_FOUND, 1, 0, 0, S_DONE, 1, 0, 0 },
	{ "delete: 404 after an unknown outcome: done, maybe ours", DELETE, 2, 1, ANSWER, 404, NOT_FOUND, 1, 0, 0, S_DONE, 0, 1, 0 },
	{ "update: Connect's 404 is an error", UPDATE, 1, 0, ANSWER, 404, NOT_FOUND, 1, 0, 0, S_FAIL, 0, 0, 0 },
	{ "create: Connect's 404 is an error", CREATE, 1, 0, ANSWER, 404, NOT_FOUND, 1, 0, 0, S_FAIL, 0, 0, 0 },
	{ "a starting worker's bare 404: read first", DELETE, 1, 0, ANSWER, 404, NULL, 0, 0, 0, S_READ, 0, 1, 0 },
	{ "bare 404 on update: read first", UPDATE, 1, 0, ANSWER, 404, "Not Found", 0, 0, 0, S_READ, 0, 1, 0 },
	{ "409 rebalance: wait and send again", CREATE, 1, 0, ANSWER, 409, REBALANCE, 0, 0, 0, S_WAIT, 0, 0, 0 },
	{ "500 no known leader: wait", DELETE, 1, 0, ANSWER, 500, "no known leader URL", 0, 0, 0, S_WAIT, 0, 0, 0 },
	{ "rebalance past the budget: spent", UPDATE, 1, 0, ANSWER, 409, REBALANCE, 0, 0, 59800, S_SPENT, 0, 0, 0 },
	{ "create: already exists is read, never resent", CREATE, 1, 0, ANSWER, 409, EXISTS, 0, 0, 0, S_READ, 0, 0, 0 },
	{ "update: already exists is an error", UPDATE, 1, 0, ANSWER, 409, EXISTS, 0, 0, 0, S_FAIL, 0, 0, 0 },
	{ "delete: already exists is an error", DELETE, 1, 0, ANSWER, 409, EXISTS, 0, 0, 0, S_FAIL, 0, 0, 0 },
	{ "500 request timed out: read first", CREATE, 1, 0, ANSWER, 500, TIMED_OUT, 0, 0, 0, S_READ, 0, 1, 0 },
	{ "503 from a proxy: read first", UPDATE, 1, 0, ANSWER, 503, NULL, 0, 0, 0, S_READ, 0, 1, 0 },
	{ "400 bad config: give up", CREATE, 1, 0, ANSWER, 400, "Connector configuration is invalid", 0, 0, 0, S_FAIL, 0, 0, 0 },
	{ "401: give up", DELETE, 1, 0, ANSWER, 401, "Unauthorized", 0, 0, 0, S_FAIL, 0, 0, 0 },
	{ "no answer: read first", CREATE, 1, 0, NO_ANSWER, 0, NULL, 0, 0, 0, S_READ, 0, 1, 0 },
	{ "no answer on delete: read first", DELETE, 1, 0, NO_ANSWER, 0, NULL, 0, 0, 0, S_READ, 0, 1, 0 },
	{ "read interrupted: give up", CREATE, 1, 1, READ, 0, NULL, 0, R_INTR, 0, S_FAIL, 0, 1, 0 },
	{ "read failed: wait, send again", UPDATE, 1, 1, READ, 0, NULL, 0, R_FAILED, 0, S_WAIT, 0, 1, 0 },
	{ "read failed past the budget: spent", UPDATE, 3, 1, READ, 0, NULL, 0, R_FAILED, 60000, S_SPENT, 0, 1, 0 },
	{ "create: same config there after exists: noop", CREATE, 1, 0, READ, 0, NULL, 0, R_MATCH, 0, S_DONE, 1, 0, 0 },
	{ "create: same config there after a timeout: done, ours", CREATE, 1, 1, READ, 0, NULL, 0, R_MATCH, 0, S_DONE, 0, 1, 0 },
	{ "create: another config there: conflict", CREATE, 1, 0, READ, 0, NULL, 0, R_DIFF, 0, S_CONFLICT, 0, 0, 0 },
	{ "create: not there after a timeout: send again", CREATE, 1, 1, READ, 0, NULL, 0, R_ABSENT, 0, S_WAIT, 0, 1, 1 },
	{ "create: gone again after exists: send again", CREATE, 1, 0, READ, 0, NULL, 0, R_ABSENT, 0, S_WAIT, 0, 0, 1 },
	{ "update: new config live: done", UPDATE, 1, 1, READ, 0, NULL, 0, R_MATCH, 0, S_DONE, 0, 1, 0 },
	{ "update: old config live: send again", UPDATE, 1, 1, READ, 0, NULL, 0, R_DIFF, 0, S_WAIT, 0, 1, 1 },
	{ "update: connector missing: send again", UPDATE, 1, 1, READ, 0, NULL, 0, R_ABSENT, 0, S_WAIT, 0, 1, 1 },
	{ "delete: gone: done", DELETE, 1, 1, READ, 0, NULL, 0, R_ABSENT, 0, S_DONE, 0, 1, 0 },
	{ "delete: still there: send again", DELETE, 1, 1, READ, 0, NULL, 0, R_PRESENT, 0, S_WAIT, 0, 1, 1 },
	{ "delete: still there past the budget: spent", DELETE, 4, 1, READ, 0, NULL, 0, R_PRESENT, 59000, S_SPENT, 0, 1, 1 },
	{ "a check before the first write that finds nothing: send now", UPDATE, 0, 0, READ, 0, NULL, 0, R_DIFF, 0, S_SEND, 0, 0, 0 },
	{ "a check before the first write that finds it in effect: noop", UPDATE, 0, 0, READ, 0, NULL, 0, R_MATCH, 0, S_DONE, 1, 0, 0 },
	/* the operator's writes (restart, offsets) */
	{ "stop 202", FX_CONNECT_WRITE_STOP, 1, 0, ANSWER, 202, NULL, 0, 0, 0, S_DONE, 0, 0, 0 },
	{ "stop: no answer: read the state", FX_CONNECT_WRITE_STOP, 1, 0, NO_ANSWER, 0, NULL, 0, 0, 0, S_READ, 0, 1, 0 },
	{ "stop: STOPPED after a timeout: done", FX_CONNECT_WRITE_STOP, 1, 1, READ, 0, NULL, 0, R_MATCH, 0, S_DONE, 0, 1, 0 },
	{ "stop: still RUNNING after a timeout: send again", FX_CONNECT_WRITE_STOP, 1, 1, READ, 0, NULL, 0, R_DIFF, 0, S_WAIT, 0, 1, 1 },
	{ "stop: Connect's 404 is an error", FX_CONNECT_WRITE_STOP, 1, 0, ANSWER, 404, NOT_FOUND, 1, 0, 0, S_FAIL, 0, 0, 0 },
	{ "resume 202", FX_CONNECT_WRITE_RESUME, 1, 0, ANSWER, 202, NULL, 0, 0, 0, S_DONE, 0, 0, 0 },
	{ "resume: rebalance: wait", FX_CONNECT_WRITE_RESUME, 1, 0, ANSWER, 409, REBALANCE, 0, 0, 0, S_WAIT, 0, 0, 0 },
	{ "restart 202", FX_CONNECT_WRITE_RESTART_FAILED, 1, 0, ANSWER, 202, NULL, 0, 0, 0, S_DONE, 0, 0, 0 },
	{ "restart: no answer, nothing tells: send again", FX_CONNECT_WRITE_RESTART, 1, 1, READ, 0, NULL, 0, R_PRESENT, 0, S_WAIT, 0, 1, 1 },
	{ "offsets delete 200", FX_CONNECT_WRITE_OFFSETS_DELETE, 1, 0, ANSWER, 200, NULL, 0, 0, 0, S_DONE, 0, 0, 0 },
	{ "offsets delete: not STOPPED (400): give up", FX_CONNECT_WRITE_OFFSETS_DELETE, 1, 0, ANSWER, 400,
	  "Connectors must be in the STOPPED state before their offsets can be modified", 0, 0, 0, S_FAIL, 0, 0, 0 },
	{ "offsets delete: none left after a timeout: done", FX_CONNECT_WRITE_OFFSETS_DELETE, 1, 1, READ, 0, NULL, 0, R_MATCH, 0, S_DONE, 0, 1, 0 },
};

Test(connect_write, step_table)
{
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		struct fx_connect_write_state st = FX_CONNECT_WRITE_STATE_INIT;
		struct fx_connect_write_decision d;

		st.kind = steps[i].kind;
		st.attempts = steps[i].attempts;
		st.uncertain = steps[i].uncertain;
		st.event = steps[i].event;
		st.status = steps[i].status;
		st.message = steps[i].message;
		st.connect_404 = steps[i].connect_404;
		st.read = steps[i].read;
		st.elapsed_ms = steps[i].elapsed_ms;
		st.budget_ms = 60000;
		st.jitter = 0;
		d = fx_connect_write_next(&st);
		cr_expect_eq(d.step, steps[i].step, "%s: %s, want %s", steps[i].what,
			     fx_connect_write_step_name(d.step),
			     fx_connect_write_step_name(steps[i].step));
		cr_expect_eq(d.noop, steps[i].noop, "%s: noop %d", steps[i].what, d.noop);
		cr_expect_eq(st.uncertain, steps[i].uncertain_after, "%s: uncertain %d",
			     steps[i].what, st.uncertain);
		cr_expect_eq(d.resend, steps[i].resend, "%s: resend %d", steps[i].what, d.resend);
	}
}

/* Full exponential backoff, capped, jitter between half and all of it. */
Test(connect_write, backoff)
{
	static const struct {
		unsigned attempts, jitter;
		long ms;
	} cases[] = {
		{ 1, 0, 250 }, { 1, 250, 500 }, { 1, 251, 250 }, { 2, 0, 500 }, { 2, 500, 1000 },
		{ 3, 0, 1000 }, { 4, 0, 2000 }, { 5, 4000, 8000 }, { 6, 0, 4000 },
		{ 6, 4000, 8000 }, { 40, 0, 4000 }, { 40, 4000, 8000 }, { 0, 0, 250 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_expect_eq(fx_connect_write_backoff_ms(cases[i].attempts, cases[i].jitter),
			     cases[i].ms, "attempts %u jitter %u: %ld", cases[i].attempts,
			     cases[i].jitter,
			     fx_connect_write_backoff_ms(cases[i].attempts, cases[i].jitter));
}

/* The wait that fits the budget is taken; one that passes it ends the write. */
Test(connect_write, budget_edge)
{
	struct fx_connect_write_state st = FX_CONNECT_WRITE_STATE_INIT;
	struct fx_connect_write_decision d;

	st.kind = UPDATE;
	st.attempts = 1;
	st.event = ANSWER;
	st.status = 409;
	st.message = REBALANCE;
	st.budget_ms = 1000;
	st.elapsed_ms = 750; /* + 250 = 1000: fits */
	d = fx_connect_write_next(&st);
	cr_assert_eq(d.step, S_WAIT);
	cr_assert_eq(d.wait_ms, 250);
	st.elapsed_ms = 751;
	d = fx_connect_write_next(&st);
	cr_assert_eq(d.step, S_SPENT);
	st.budget_ms = 0; /* --retry-budget 0: never wait */
	st.elapsed_ms = 0;
	d = fx_connect_write_next(&st);
	cr_assert_eq(d.step, S_SPENT);
}

/* One scripted thing Connect does: the answer to a write or to a read. */
struct script_item {
	enum fx_connect_write_event event; /* ANSWER, NO_ANSWER or READ */
	long status;
	const char *message;
	int connect_404;
	enum fx_connect_read read;
};

#define END { 0, 0, NULL, 0, 0 }

static const struct {
	const char *what;
	enum fx_connect_write_kind kind;
	struct script_item script[8];
	const char *steps;  /* the steps taken, one letter each */
	enum fx_connect_write_step last;
	int noop;
} scenarios[] = {
	{ "create at once", CREATE, { { ANSWER, 201, NULL, 0, 0 }, END }, "S", S_DONE, 0 },
	{ "create through two rebalances", CREATE,
	  { { ANSWER, 409, REBALANCE, 0, 0 }, { ANSWER, 409, REBALANCE, 0, 0 },
	    { ANSWER, 201, NULL, 0, 0 }, END },
	  "SWSWS", S_DONE, 0 },
	{ "create times out, landed anyway: not resent", CREATE,
	  { { NO_ANSWER, 0, NULL, 0, 0 }, { READ, 0, NULL, 0, R_MATCH }, END }, "SR", S_DONE, 0 },
	{ "create times out, did not land: resent once", CREATE,
	  { { NO_ANSWER, 0, NULL, 0, 0 }, { READ, 0, NULL, 0, R_ABSENT },
	    { ANSWER, 201, NULL, 0, 0 }, END },
	  "SRWS", S_DONE, 0 },
	{ "create: already there with our config", CREATE,
	  { { ANSWER, 409, EXISTS, 0, 0 }, { READ, 0, NULL, 0, R_MATCH }, END }, "SR", S_DONE, 1 },
	{ "create: already there with another config", CREATE,
	  { { ANSWER, 409, EXISTS, 0, 0 }, { READ, 0, NULL, 0, R_DIFF }, END }, "SR", S_CONFLICT, 0 },
	{ "create: a rebalance, then exists after it (ours landed)", CREATE,
	  { { ANSWER, 500, TIMED_OUT, 0, 0 }, { READ, 0, NULL, 0, R_FAILED },
	    { ANSWER, 409, EXISTS, 0, 0 }, { READ, 0, NULL, 0, R_MATCH }, END },
	  "SRWSR", S_DONE, 0 },
	{ "update: the old worker answers 502, new config live", UPDATE,
	  { { ANSWER, 502, NULL, 0, 0 }, { READ, 0, NULL, 0, R_MATCH }, END }, "SR", S_DONE, 0 },
	{ "update: 400 invalid", UPDATE, { { ANSWER, 400, "invalid", 0, 0 }, END }, "S", S_FAIL, 0 },
	{ "delete: already gone", DELETE, { { ANSWER, 404, NOT_FOUND, 1, 0 }, END }, "S", S_DONE, 1 },
	{ "delete: starting worker, then gone", DELETE,
	  { { ANSWER, 404, NULL, 0, 0 }, { READ, 0, NULL, 0, R_ABSENT }, END }, "SR", S_DONE, 0 },
	{ "delete: dropped, still there, resent", DELETE,
	  { { NO_ANSWER, 0, NULL, 0, 0 }, { READ, 0, NULL, 0, R_PRESENT },
	    { ANSWER, 204, NULL, 0, 0 }, END },
	  "SRWS", S_DONE, 0 },
	{ "read interrupted", UPDATE,
	  { { NO_ANSWER, 0, NULL, 0, 0 }, { READ, 0, NULL, 0, R_INTR }, END }, "SR", S_FAIL, 0 },
};

Test(connect_write, scenarios)
{
	static const char letters[] = { [S_SEND] = 'S', [S_READ] = 'R', [S_WAIT] = 'W' };

	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		struct fx_connect_write_state st = FX_CONNECT_WRITE_STATE_INIT;
		struct fx_connect_write_decision d;
		const struct script_item *next = scenarios[i].script;
		char taken[32] = "";
		size_t n = 0;

		st.kind = scenarios[i].kind;
		st.budget_ms = 60000;
		for (;;) {
			d = fx_connect_write_next(&st);
			if (d.step > S_WAIT || n + 1 >= sizeof(taken))
				break;
			taken[n++] = letters[d.step];
			if (d.step == S_WAIT) {
				st.event = READY;
				st.elapsed_ms += d.wait_ms;
				continue;
			}
			cr_assert_neq(next->event, READY, "%s: script ran out after %s",
				      scenarios[i].what, taken);
			if (d.step == S_SEND)
				st.attempts++;
			cr_assert_eq(d.step == S_READ, next->event == READ,
				     "%s: step %s but the script has %s next (after %s)",
				     scenarios[i].what, fx_connect_write_step_name(d.step),
				     next->event == READ ? "a read" : "an answer", taken);
			st.event = next->event;
			st.status = next->status;
			st.message = next->message;
			st.connect_404 = next->connect_404;
			st.read = next->read;
			next++;
		}
		taken[n] = '\0';
		cr_expect_str_eq(taken, scenarios[i].steps, "%s", scenarios[i].what);
		cr_expect_eq(d.step, scenarios[i].last, "%s: ended %s", scenarios[i].what,
			     fx_connect_write_step_name(d.step));
		cr_expect_eq(d.noop, scenarios[i].noop, "%s: noop", scenarios[i].what);
		cr_expect_eq(next->event, READY, "%s: script not used up", scenarios[i].what);
	}
}

/* Every kind has a method and says where it goes. */
Test(connect_write, rules)
{
	for (int k = 0; k < FX_CONNECT_WRITE_KINDS; k++) {
		const struct fx_connect_write_rule *r = &fx_connect_write_rules[k];

		cr_assert_not_null(r->method, "kind %d", k);
		cr_assert(r->on_collection || r->suffix, "kind %d has no path", k);
		cr_assert(!r->differs_conflicts || r->conflict, "kind %d: conflict without message", k);
	}
	cr_assert_str_eq(fx_connect_write_rules[CREATE].method, "POST");
	cr_assert_str_eq(fx_connect_write_rules[UPDATE].method, "PUT");
	cr_assert_str_eq(fx_connect_write_rules[DELETE].method, "DELETE");
}

/* Each step by its name (what -v and the tests print), an unknown one as "?". */
Test(connect_write, step_names)
{
	static const struct {
		enum fx_connect_write_step s;
		const char *name;
	} names[] = {
		{ FX_CONNECT_STEP_SEND, "send" }, { FX_CONNECT_STEP_READ, "read" },
		{ FX_CONNECT_STEP_WAIT, "wait" }, { FX_CONNECT_STEP_DONE, "done" },
		{ FX_CONNECT_STEP_FAIL, "fail" }, { FX_CONNECT_STEP_CONFLICT, "conflict" },
		{ FX_CONNECT_STEP_SPENT, "spent" },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		cr_expect_str_eq(fx_connect_write_step_name(names[i].s), names[i].name);
	cr_expect_str_eq(fx_connect_write_step_name((enum fx_connect_write_step)99), "?");
}
