#include "apply_gate.h"

#include <stdarg.h>
#include <string.h>

#include "connect_json.h"
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

enum fx_apply_needs fx_apply_needs(const struct fx_change *ch, int allow_resnapshot,
				   int reset_offsets)
{
	if (ch->action == FX_ACTION_CREATE && ch->leftover_offsets && reset_offsets)
		return FX_APPLY_NEEDS_INITIAL_STATE;
	if (ch->action == FX_ACTION_UPDATE && allow_resnapshot &&
	    (ch->risk == FX_RISK_RESNAPSHOT || ch->risk == FX_RISK_BREAKING))
		return FX_APPLY_NEEDS_OFFSETS_DELETE;
	return FX_APPLY_NEEDS_NOTHING;
}

/* The connector's offsets key in Connect's offsets topic holds this server
 * name: the topic.prefix its stored offsets were written under. */
static const char *gate_offsets_server(const struct fx_change *ch)
{
	const char *prefix = fx_config_get(&ch->desired, "topic.prefix");
	size_t i;

	for (i = 0; i < ch->n_diff; i++)
		if (!strcmp(ch->diff[i].key, "topic.prefix") && ch->diff[i].before)
			return ch->diff[i].before;
	return prefix ? prefix : ch->connector;
}

/* What Connect reported, as it may be shown: at most 40 printable characters. */
static void gate_version_shown(const char *v, char out[48])
{
	size_t i;

	for (i = 0; v && v[i] && i < 40; i++)
		out[i] = v[i] >= 0x20 && v[i] < 0x7f ? v[i] : '?';
	out[i] = '\0';
	if (v && v[i])
		snprintf(out + i, 48 - i, "...");
}

int fx_apply_version_refuses(const struct fx_change *ch, int allow_resnapshot, int reset_offsets,
			     struct fx_buf *why)
{
	enum fx_apply_needs need = fx_apply_needs(ch, allow_resnapshot, reset_offsets);
	int major = 3, minor = need == FX_APPLY_NEEDS_INITIAL_STATE ? 7 : 6, has;
	const char *v = ch->connect_version;
	char shown[48];

	if (need == FX_APPLY_NEEDS_NOTHING)
		return 0;
	has = fx_connect_version_at_least(v, major, minor);
	if (has == 1)
		return 0;
	gate_version_shown(v, shown);
	fx_buf_addf(why, "connector '%s' on %s: ", ch->connector, ch->connect_url);
	if (need == FX_APPLY_NEEDS_INITIAL_STATE)
		fx_buf_adds(why, "--reset-offsets creates it STOPPED (initial_state) to delete the offsets Connect still holds for it");
	else
		fx_buf_addf(why, "--allow-resnapshot carries out this %s alter by stopping it and deleting its offsets (DELETE /connectors/{name}/offsets)",
			    fx_risk_name(ch->risk));
	fx_buf_addf(why, ", which needs Kafka Connect %d.%d or later, ", major, minor);
	if (has == 0)
		fx_buf_addf(why, "and it runs %s", shown);
	else if (!v || !*v)
		fx_buf_adds(why, "and it did not say which version it runs (GET / had no version): the version could not be read");
	else
		fx_buf_addf(why, "and the version it reports, '%s', could not be read", shown);
	fx_buf_addf(why, ": nothing applied; instead upgrade Connect to %d.%d or later", major, minor);
	if (need == FX_APPLY_NEEDS_INITIAL_STATE)
		fx_buf_addf(why, "; or apply with --keep-offsets (it resumes from them, no snapshot); or delete them yourself (a tombstone, a null value, for the key [\"%s\",{\"server\":\"%s\"}] in Connect's offsets topic) and plan again; or rename its mysql pool (a new connector name holds no offsets)",
			    ch->connector, gate_offsets_server(ch));
	else
		fx_buf_addf(why, "; or by hand: delete the connector (curl -X DELETE %s/connectors/%s), write a tombstone, a null value, for the key [\"%s\",{\"server\":\"%s\"}] in Connect's offsets topic, then plan and apply again (a create with no offsets left: a fresh snapshot)",
			    ch->connect_url, ch->connector, ch->connector, gate_offsets_server(ch));
	return 1;
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
	size_t i, n;

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
		size_t k = 0;

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
	/* what the alters need of Connect, before the question: a stop after "yes" wastes it */
	for (i = n = 0; i < p->n_changes; i++) {
		struct fx_buf why = FX_BUF_INIT;

		if (fx_apply_version_refuses(&p->changes[i], in->allow_resnapshot, in->reset_offsets,
					     &why)) {
			fx_apply_say(&stop->says, "apply: %s", fx_buf_str(&why));
			n++;
		}
		fx_buf_release(&why);
	}
	if (n)
		return gate_stop(stop, FX_EXIT_REFUSED, "refused",
				 "Kafka Connect is older than an alter needs");
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
