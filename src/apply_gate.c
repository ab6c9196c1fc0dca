#include "apply_gate.h"

#include <stdarg.h>
#include <string.h>

#include "diff.h"
#include "util/err.h"

void fx_apply_say(struct fx_buf *says, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fx_buf_vaddf(says, fmt, ap);
	va_end(ap);
	fx_buf_addc(says, '\0');
}

const char *fx_apply_said(const struct fx_buf *says, const char *prev)
{
	const char *next = prev ? prev + strlen(prev) + 1 : says->buf;

	return next && next < says->buf + says->len ? next : NULL;
}

size_t fx_apply_failed_unchanged(const struct fx_plan *p, struct fx_buf *says)
{
	size_t i, n = 0;

	for (i = 0; i < p->n_unchanged; i++) {
		const struct fx_unchanged *u = &p->unchanged[i];

		if (!u->failed)
			continue;
		fx_apply_say(says, "apply: %s on %s is FAILED and unchanged by this apply: see 'fluxacdc status' for the trace, then restart it: fluxacdc restart --failed %s",
			     u->connector, u->connect_url, u->connector);
		n++;
	}
	return n;
}

void fx_apply_stop_release(struct fx_apply_stop *stop)
{
	fx_buf_release(&stop->says);
}

static enum fx_apply_gate_step gate_stop(struct fx_apply_stop *stop, int code, const char *status,
					 const char *why)
{
	stop->code = code;
	stop->status = status;
	stop->why = why;
	return FX_APPLY_STOP;
}

/* A stale plan file: a message per drift. */
static int gate_stale(const struct fx_apply_gate_in *in, struct fx_apply_stop *stop)
{
	struct fx_buf drift = FX_BUF_INIT;
	const char *s;
	size_t n = fx_diff_drift(in->saved, in->plan, &drift);

	for (s = fx_buf_str(&drift); n && *s;) {
		size_t len = strcspn(s, "\n");

		fx_apply_say(&stop->says, "%s: stale plan: %.*s", in->file, (int)len, s);
		s += len + (s[len] == '\n');
	}
	if (n)
		fx_apply_say(&stop->says, "%s: nothing applied; run plan again", in->file);
	fx_buf_release(&drift);
	return n > 0;
}

enum fx_apply_gate_step fx_apply_gate(const struct fx_apply_gate_in *in, struct fx_apply_stop *stop)
{
	const struct fx_plan *p = in->plan;
	size_t n;

	/* stale first: a stale plan file's checks are of a state it was not made for */
	if (in->saved && gate_stale(in, stop))
		return gate_stop(stop, FX_EXIT_STALE, "stale", "the plan file is stale");
	if (!fx_plan_applyable(p)) {
		n = fx_checks_count(&p->checks, FX_CHECK_ERROR);
		stop->plan_to_stderr = in->saved != NULL;
		fx_apply_say(&stop->says, "apply: the plan has %zu check error%s: nothing applied", n,
			     n == 1 ? "" : "s");
		return gate_stop(stop, FX_EXIT_FAILURE, "blocked", "check errors block apply");
	}
	if (!p->n_changes) {
		stop->nothing_to_do = 1;
		if (fx_apply_failed_unchanged(p, &stop->says))
			return gate_stop(stop, FX_EXIT_FAILURE, "failed",
					 "a connector the manifest wants is FAILED");
		return gate_stop(stop, 0, "no-changes", NULL);
	}
	n = fx_plan_count(p, FX_ACTION_DELETE);
	if (n && !in->allow_destroy) {
		fx_apply_say(&stop->says, "apply: the plan deletes %zu connector%s: rerun with --allow-destroy to allow it; nothing applied",
			     n, n == 1 ? "" : "s");
		return gate_stop(stop, FX_EXIT_REFUSED, "refused", "deletes need --allow-destroy");
	}
	n = fx_plan_count_resnapshot(p);
	if (n && !in->allow_resnapshot) {
		struct fx_buf names = FX_BUF_INIT;
		size_t i, k = 0;

		for (i = 0; i < p->n_changes; i++)
			if (p->changes[i].risk == FX_RISK_RESNAPSHOT || p->changes[i].risk == FX_RISK_BREAKING)
				fx_buf_addf(&names, "%s%s %s (risk %s)", k++ ? ", " : "",
					    fx_action_name(p->changes[i].action), p->changes[i].connector,
					    fx_risk_name(p->changes[i].risk));
			else if (p->changes[i].mid_snapshot)
				fx_buf_addf(&names, "%s%s %s (its initial snapshot is in progress: it would start over)",
					    k++ ? ", " : "", fx_action_name(p->changes[i].action),
					    p->changes[i].connector);
		fx_apply_say(&stop->says, "apply: %s: the connector would start over (resnapshot) or fail at start (breaking); rerun with --allow-resnapshot to allow it (it is then stopped, its offsets reset, its config written and it is resumed: a fresh snapshot); nothing applied",
			     fx_buf_str(&names));
		fx_buf_release(&names);
		return gate_stop(stop, FX_EXIT_REFUSED, "refused",
				 "resnapshot or breaking alters need --allow-resnapshot");
	}
	/* a plan file was approved when it was reviewed */
	if (in->saved || in->auto_approve)
		return FX_APPLY_GO;
	switch (in->approval) {
	case FX_APPLY_APPROVED:
		return FX_APPLY_GO;
	case FX_APPLY_NOT_ASKED:
		if (in->can_ask)
			return FX_APPLY_ASK;
		fx_apply_say(&stop->says, "apply: no terminal to ask for approval: rerun with --auto-approve, or apply a plan file (plan --out FILE); nothing applied");
		return gate_stop(stop, FX_EXIT_REFUSED, "refused", "no approval");
	case FX_APPLY_ASK_INTERRUPTED:
		fx_apply_say(&stop->says, "apply: interrupted; nothing applied");
		return gate_stop(stop, FX_EXIT_INTERRUPTED, "refused", "not approved");
	default:
		fx_apply_say(&stop->says, "apply: not approved; nothing applied");
		return gate_stop(stop, FX_EXIT_REFUSED, "refused", "not approved");
	}
}
