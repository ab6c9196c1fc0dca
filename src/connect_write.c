#include "connect_write.h"

#include <stddef.h>

#define CW_BACKOFF_BASE_MS 500
#define CW_BACKOFF_CAP_MS 8000

const struct fx_connect_write_rule fx_connect_write_rules[FX_CONNECT_WRITE_KINDS] = {
	[FX_CONNECT_WRITE_CREATE] = {
		.method = "POST",
		.on_collection = 1,
		.body = FX_CONNECT_BODY_NAMED,
		.exists_rereads = 1,
		.differs_conflicts = 1,
		.conflict = "already exists with another config (changed since the plan? run plan again)",
	},
	[FX_CONNECT_WRITE_UPDATE] = {
		.method = "PUT",
		.suffix = "/config",
		.body = FX_CONNECT_BODY_CONFIG,
	},
	[FX_CONNECT_WRITE_DELETE] = {
		.method = "DELETE",
		.suffix = "",
		.gone_is_done = 1,
		.want_absent = 1,
	},
	[FX_CONNECT_WRITE_STOP] = {
		.method = "PUT",
		.suffix = "/stop",
		.readback = FX_CONNECT_RB_STATE,
		.want_state = "STOPPED",
	},
	[FX_CONNECT_WRITE_RESUME] = {
		.method = "PUT",
		.suffix = "/resume",
		.readback = FX_CONNECT_RB_STATE,
	},
	[FX_CONNECT_WRITE_RESTART] = {
		.method = "POST",
		.suffix = "/restart?includeTasks=true&onlyFailed=false",
		.readback = FX_CONNECT_RB_NONE,
	},
	[FX_CONNECT_WRITE_RESTART_FAILED] = {
		.method = "POST",
		.suffix = "/restart?includeTasks=true&onlyFailed=true",
		.readback = FX_CONNECT_RB_NONE,
	},
	[FX_CONNECT_WRITE_CREATE_STOPPED] = {
		.method = "POST",
		.on_collection = 1,
		.body = FX_CONNECT_BODY_NAMED_STOPPED,
		.exists_rereads = 1,
		.differs_conflicts = 1,
		.conflict = "already exists with another config (changed since the plan? run plan again)",
	},
	[FX_CONNECT_WRITE_OFFSETS_DELETE] = {
		.method = "DELETE",
		.suffix = "/offsets",
		.readback = FX_CONNECT_RB_OFFSETS,
	},
};

long fx_connect_write_backoff_ms(unsigned attempts, unsigned jitter)
{
	long d = CW_BACKOFF_BASE_MS;
	unsigned i;

	for (i = 1; i < attempts && d < CW_BACKOFF_CAP_MS; i++)
		d *= 2;
	if (d > CW_BACKOFF_CAP_MS)
		d = CW_BACKOFF_CAP_MS;
	return d / 2 + (long)(jitter % (unsigned)(d / 2 + 1));
}

static struct fx_connect_write_decision cw_step(enum fx_connect_write_step step)
{
	struct fx_connect_write_decision d = { .step = step };

	return d;
}

/* In effect without a write of ours being known to have landed. */
static struct fx_connect_write_decision cw_done(const struct fx_connect_write_state *st,
						int in_effect_before)
{
	struct fx_connect_write_decision d = { .step = FX_CONNECT_STEP_DONE };

	d.noop = in_effect_before && !st->uncertain;
	return d;
}

/* Wait and send again, if the wait fits in what is left of the budget. */
static struct fx_connect_write_decision cw_wait(const struct fx_connect_write_state *st,
						int resend)
{
	struct fx_connect_write_decision d = { .step = FX_CONNECT_STEP_WAIT, .resend = resend };

	d.wait_ms = fx_connect_write_backoff_ms(st->attempts, st->jitter);
	if (st->elapsed_ms + d.wait_ms > st->budget_ms)
		d.step = FX_CONNECT_STEP_SPENT;
	return d;
}

static struct fx_connect_write_decision cw_answer(const struct fx_connect_write_rule *rule,
						  struct fx_connect_write_state *st)
{
	if (st->status >= 200 && st->status < 300)
		return cw_done(st, 0);
	if (st->status == 404 && !st->connect_404) {
		/* a starting worker's bare 404: it does not know yet, ask again */
		st->uncertain = 1;
		return cw_step(FX_CONNECT_STEP_READ);
	}
	if (st->status == 404 && rule->gone_is_done)
		return cw_done(st, 1);
	switch (fx_connect_classify(st->status, st->message)) {
	case FX_CONNECT_RETRY:
		return cw_wait(st, 0);
	case FX_CONNECT_REREAD:
		st->uncertain = 1;
		return cw_step(FX_CONNECT_STEP_READ);
	case FX_CONNECT_EXISTS:
		return cw_step(rule->exists_rereads ? FX_CONNECT_STEP_READ : FX_CONNECT_STEP_FAIL);
	default:
		return cw_step(FX_CONNECT_STEP_FAIL);
	}
}

static struct fx_connect_write_decision cw_read(const struct fx_connect_write_rule *rule,
						const struct fx_connect_write_state *st)
{
	int in_effect;

	switch (st->read) {
	case FX_CONNECT_READ_INTERRUPTED:
		return cw_step(FX_CONNECT_STEP_FAIL);
	case FX_CONNECT_READ_FAILED:
		/* what is live is unknown still: back off, then send again */
		return cw_wait(st, 0);
	default:
		break;
	}
	in_effect = rule->want_absent ? st->read == FX_CONNECT_READ_ABSENT :
		    st->read == FX_CONNECT_READ_MATCHES;
	if (in_effect)
		return cw_done(st, 1);
	if (st->read == FX_CONNECT_READ_DIFFERS && rule->differs_conflicts)
		return cw_step(FX_CONNECT_STEP_CONFLICT);
	if (st->attempts == 0) /* a check before the first write: nothing to back off from */
		return cw_step(FX_CONNECT_STEP_SEND);
	return cw_wait(st, 1);
}

struct fx_connect_write_decision fx_connect_write_next(struct fx_connect_write_state *st)
{
	const struct fx_connect_write_rule *rule;

	if ((unsigned)st->kind >= FX_CONNECT_WRITE_KINDS)
		return cw_step(FX_CONNECT_STEP_FAIL);
	rule = &fx_connect_write_rules[st->kind];
	switch (st->event) {
	case FX_CONNECT_EV_ANSWER:
		return cw_answer(rule, st);
	case FX_CONNECT_EV_NO_ANSWER:
		st->uncertain = 1;
		return cw_step(FX_CONNECT_STEP_READ);
	case FX_CONNECT_EV_READ:
		return cw_read(rule, st);
	default:
		return cw_step(FX_CONNECT_STEP_SEND);
	}
}

const char *fx_connect_write_step_name(enum fx_connect_write_step s)
{
	static const char *const names[] = {
		[FX_CONNECT_STEP_SEND] = "send",     [FX_CONNECT_STEP_READ] = "read",
		[FX_CONNECT_STEP_WAIT] = "wait",     [FX_CONNECT_STEP_DONE] = "done",
		[FX_CONNECT_STEP_FAIL] = "fail",     [FX_CONNECT_STEP_CONFLICT] = "conflict",
		[FX_CONNECT_STEP_SPENT] = "spent",
	};

	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}
