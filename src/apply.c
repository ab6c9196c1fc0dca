#include "apply.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "connect_json.h"
#include "diff.h"
#include "race.h"
#include "apply_gate.h"
#include "apply_sched.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/clock.h"

#define APPLY_TRACE_LINES 8
#define APPLY_RUNNING_READS 2 /* consecutive all-RUNNING reads that end a wait */

static int apply_interrupted(const struct fx_apply_opts *o)
{
	return o->interrupt && *o->interrupt;
}

/* Sleeps ms unless interrupted; -1 when interrupted. */
static int apply_sleep(const struct fx_apply_opts *o, long ms)
{
	return fx_clock_sleep_ms(ms, o->interrupt);
}

/* One run's options and where it stands, for the progress events. */
struct apply_run_ctx {
	const struct fx_apply_opts *o;
	const struct fx_apply_result *results; /* the run's, in plan order */
	size_t n_total, n_over, n_under_way;
};

static void apply_emit(const struct apply_run_ctx *c, enum fx_apply_event_kind kind,
		       const struct fx_apply_result *r, const char *state, double t0)
{
	struct fx_apply_event ev;

	if (!c->o->progress)
		return;
	ev.kind = kind;
	ev.n_total = c->n_total;
	ev.n_over = c->n_over;
	ev.n_under_way = c->n_under_way;
	ev.result = r;
	ev.change = (size_t)(r - c->results);
	ev.state = state;
	ev.elapsed = fx_clock_now() - t0;
	c->o->progress(c->o->ctx, &ev);
}

static void apply_result_release(struct fx_apply_result *r)
{
	free(r->connector);
	free(r->connect_url);
	free(r->kafka_pool);
	free(r->state);
	free(r->error);
	free(r->trace);
	fx_observed_connector_release(&r->status);
}

void fx_apply_results_release(struct fx_apply_results *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		apply_result_release(&r->items[i]);
	free(r->items);
	r->items = NULL;
	r->n = 0;
	r->interrupted = 0;
	r->plan_unchanged = 0;
}

const char *fx_apply_outcome_name(enum fx_apply_outcome o)
{
	switch (o) {
	case FX_APPLY_APPLIED:
		return "applied";
	case FX_APPLY_UNCHANGED:
		return "unchanged";
	case FX_APPLY_FAILED:
		return "failed";
	case FX_APPLY_INTERRUPTED:
		return "interrupted";
	case FX_APPLY_STALE:
		return "stale";
	default:
		return "skipped";
	}
}

size_t fx_apply_count(const struct fx_apply_results *r, enum fx_apply_outcome o)
{
	size_t i, n = 0;

	for (i = 0; i < r->n; i++)
		n += r->items[i].outcome == o;
	return o == FX_APPLY_UNCHANGED ? n + r->plan_unchanged : n;
}

int fx_apply_exit_code(const struct fx_apply_results *r)
{
	size_t i, done = 0;
	int failed = 0, stale = 0;

	if (r->interrupted)
		return FX_EXIT_INTERRUPTED;
	for (i = 0; i < r->n; i++) {
		if (r->items[i].outcome == FX_APPLY_APPLIED)
			done++;
		if (r->items[i].outcome == FX_APPLY_FAILED ||
		    r->items[i].outcome == FX_APPLY_INTERRUPTED)
			failed = 1;
		stale |= r->items[i].outcome == FX_APPLY_STALE;
	}
	if (!failed && !stale)
		return FX_EXIT_OK;
	if (done)
		return FX_EXIT_PARTIAL;
	/* nothing of this apply landed: a connector that moved since the plan is a stale plan */
	return failed ? FX_EXIT_FAILURE : FX_EXIT_STALE;
}

/* "RUNNING; task 0 RUNNING, task 1 UNASSIGNED" (or "not yet assigned"). */
static char *apply_state_line(const struct fx_observed_connector *s, int found)
{
	struct fx_buf b = FX_BUF_INIT;
	size_t i;

	if (!found)
		return fx_strdup("no status yet");
	fx_buf_adds(&b, s->state ? s->state : "UNKNOWN");
	if (!s->n_tasks)
		fx_buf_adds(&b, "; no tasks yet");
	for (i = 0; i < s->n_tasks; i++)
		fx_buf_addf(&b, "%s task %d %s", i ? "," : ";", s->tasks[i].id,
			    s->tasks[i].state ? s->tasks[i].state : "UNKNOWN");
	if (!fx_buf_ok(&b)) {
		fx_buf_release(&b);
		return NULL;
	}
	return fx_buf_detach(&b);
}

/* The status with its traces dropped (kept in the result for JSON). */
static void apply_keep_status(struct fx_apply_result *r, struct fx_observed_connector *s)
{
	size_t i;

	fx_observed_connector_release(&r->status);
	free(s->trace);
	s->trace = NULL;
	for (i = 0; i < s->n_tasks; i++) {
		free(s->tasks[i].trace);
		s->tasks[i].trace = NULL;
	}
	fx_config_release(&s->config);
	r->status = *s;
	memset(s, 0, sizeof(*s));
}

static int apply_set(char **dst, char *val)
{
	free(*dst);
	*dst = val;
	return val ? 0 : -1;
}

/* An alter written and waited for: its wait's progress between status reads. */
struct apply_waiter {
	double t0;        /* when the alter began */
	double deadline;  /* t0's wait start + --wait */
	double due;       /* the next status read: a poll after the write or the last read */
	int streak;       /* consecutive all-RUNNING reads */
	char *last;       /* the last state line shown */
};

static void apply_waiter_release(struct apply_waiter *w)
{
	free(w->last);
	w->last = NULL;
}

/*
 * One status read of a connector being waited for (never right after the
 * write: the caller sleeps a poll first, Connect may still show the old
 * state).  Done when the connector and every task are RUNNING in two
 * consecutive reads.  Fills r (state, and on failure error/trace).  Returns
 * 0 RUNNING, 1 failed or timed out, 2 interrupted, 3 not yet, -1 OOM.
 */
static int apply_wait_step(struct fx_connect_client *client, const struct fx_change *ch,
			   const struct apply_run_ctx *c, struct fx_apply_result *r,
			   struct apply_waiter *w)
{
	const struct fx_apply_opts *o = c->o;
	struct fx_observed_connector s;
	struct fx_err err = FX_ERR_INIT;
	char *line;
	int found = 0;

	r->waited = 1;
	memset(&s, 0, sizeof(s));
	if (fx_connect_get_status(client, ch->connector, &s, &found, &err) < 0) {
		fx_observed_connector_release(&s);
		if (err.code == FX_EXIT_INTERRUPTED)
			return 2;
		line = fx_connect_redact(err.msg, &ch->desired);
		w->streak = 0;
	} else {
		const char *trace = NULL;
		enum fx_run_verdict v = found ? fx_observed_run_verdict(&s, &trace) : FX_RUN_PENDING;

		w->streak = v == FX_RUN_RUNNING ? w->streak + 1 : 0;
		line = apply_state_line(&s, found);
		if (v == FX_RUN_FAILED) {
			if (apply_set(&r->state, fx_strdup("FAILED")) < 0 ||
			    apply_set(&r->error, fx_asprintf("%s: %s", ch->connector, line ? line : "FAILED")) < 0 ||
			    (trace && apply_set(&r->trace, fx_connect_trace_head(trace, APPLY_TRACE_LINES,
										 &ch->desired)) < 0)) {
				fx_observed_connector_release(&s);
				free(line);
				return -1;
			}
			apply_keep_status(r, &s);
			free(line);
			return 1;
		}
		if (found)
			apply_keep_status(r, &s);
		fx_observed_connector_release(&s);
	}
	if (!line)
		return -1;
	if (!w->last || strcmp(w->last, line)) {
		free(w->last);
		w->last = line;
		apply_emit(c, FX_APPLY_EV_STATE, r, w->last, w->t0);
	} else {
		free(line);
		apply_emit(c, FX_APPLY_EV_TICK, r, w->last, w->t0);
	}
	if (w->streak >= APPLY_RUNNING_READS)
		return apply_set(&r->state, fx_strdup("RUNNING")) < 0 ? -1 : 0;
	if (fx_clock_now() >= w->deadline) {
		if (apply_set(&r->state, fx_strdup(r->status.state ? r->status.state : "UNKNOWN")) < 0 ||
		    apply_set(&r->error, fx_asprintf("%s: not RUNNING after %d s (--wait): %s",
						      ch->connector, o->wait_s, w->last)) < 0)
			return -1;
		return 1;
	}
	return 3;
}

/*
 * Reads the connector as it is now: *found, and its salted fingerprint in fp
 * (the plan's salt), the config itself in live (the caller's, released).
 * -1 with err when it cannot be read.
 */
static int apply_read_live(struct fx_connect_client *client, const char *salt,
			   const struct fx_change *ch, int *found, char fp[72],
			   struct fx_config *live, struct fx_err *err)
{
	fp[0] = '\0';
	if (fx_connect_get_config(client, ch->connector, live, found, err) < 0)
		return -1;
	if (*found)
		fx_diff_config_fp(salt, live, fp);
	return 0;
}

/* "connector 'x' on URL changed since the plan (keys ...): WHAT", into r->error. */
static int apply_race_error(const char *salt, const struct fx_change *ch, int found,
			    const struct fx_config *live, const char *what,
			    struct fx_apply_result *r)
{
	const struct fx_config *keys = ch->action == FX_ACTION_CREATE ? &ch->desired_keys :
				       &ch->observed_keys;
	struct fx_buf b = FX_BUF_INIT;

	fx_buf_addf(&b, "connector '%s' on %s changed since the plan (", ch->connector,
		    ch->connect_url);
	if (!found)
		fx_buf_adds(&b, "it is gone");
	else if (ch->action == FX_ACTION_CREATE)
		fx_buf_adds(&b, "another writer created it");
	else if (fx_diff_describe_live(salt, keys, live, &b) < 0)
		fx_buf_adds(&b, "its config differs");
	fx_buf_addf(&b, "): %s", what);
	if (!fx_buf_ok(&b)) {
		fx_buf_release(&b);
		return -1;
	}
	return apply_set(&r->error, fx_buf_detach(&b));
}

/* "lost update: ..." into r->error: another writer replaced what this alter wrote. */
static int apply_lost_error(const char *salt, const struct fx_change *ch, int found,
			    const struct fx_config *live, const char *when,
			    struct fx_apply_result *r)
{
	struct fx_buf b = FX_BUF_INIT;

	fx_buf_addf(&b, "lost update: connector '%s' on %s is not what this apply wrote %s (",
		    ch->connector, ch->connect_url, when);
	if (ch->action == FX_ACTION_DELETE)
		fx_buf_adds(&b, "it exists again");
	else if (!found)
		fx_buf_adds(&b, "it is gone");
	else if (fx_diff_describe_live(salt, &ch->desired_keys, live, &b) < 0)
		fx_buf_adds(&b, "its config differs");
	fx_buf_adds(&b, "): another writer came in between; plan again");
	if (!fx_buf_ok(&b)) {
		fx_buf_release(&b);
		return -1;
	}
	return apply_set(&r->error, fx_buf_detach(&b));
}

/*
 * Reads the connector back and checks that what this alter wrote is live.
 * 0 held, 1 lost (r->error says so), 2 unreadable (r->error), 3 interrupted
 * (SIGINT: the write landed, the check was cut short), -1 OOM.
 */
static int apply_read_back(struct fx_connect_client *client, const char *salt,
			   const struct fx_change *ch, const char *when, struct fx_apply_result *r)
{
	struct fx_config live = FX_CONFIG_INIT;
	struct fx_err err = FX_ERR_INIT;
	char fp[72];
	int found = 0, ret;

	if (apply_read_live(client, salt, ch, &found, fp, &live, &err) < 0) {
		if (err.code == FX_EXIT_INTERRUPTED) {
			ret = 3;
			goto cleanup;
		}
		ret = apply_set(&r->error, fx_asprintf("%s: written, but could not be read back %s: %s",
							ch->connector, when, err.msg)) < 0 ? -1 : 2;
		goto cleanup;
	}
	if (fx_race_after(ch->action, found, found ? fp : NULL, ch->desired_fp) == FX_RACE_HELD) {
		ret = 0;
		goto cleanup;
	}
	ret = apply_lost_error(salt, ch, found, &live, when, r) < 0 ? -1 : 1;
cleanup:
	fx_config_release(&live);
	return ret;
}

/* Until the connector shows STOPPED (after a create with initial_state). */
static int apply_wait_stopped(struct fx_connect_client *client, const char *name,
			      const struct fx_apply_opts *o, struct fx_err *err)
{
	double deadline = fx_clock_now() + (o->wait_s > 0 ? o->wait_s : 120);

	for (;;) {
		struct fx_observed_connector s;
		int found = 0, stopped;

		memset(&s, 0, sizeof(s));
		if (fx_connect_get_status(client, name, &s, &found, err) < 0) {
			fx_observed_connector_release(&s);
			return -1;
		}
		stopped = found && s.state && !strcmp(s.state, "STOPPED");
		fx_observed_connector_release(&s);
		if (stopped)
			return 0;
		if (fx_clock_now() >= deadline)
			return fx_err_set(err, FX_EXIT_FAILURE,
					  "%s: not STOPPED after %d s (a create with initial_state needs Kafka Connect 3.7, a stop 3.5)",
					  name, o->wait_s > 0 ? o->wait_s : 120);
		if (apply_sleep(o, 250) < 0)
			return fx_err_set(err, FX_EXIT_INTERRUPTED, "interrupted");
	}
}

/* The alter is over: its time, and the DONE event. */
static void apply_over(const struct apply_run_ctx *c, struct fx_apply_result *r, double t0)
{
	r->seconds = fx_clock_now() - t0;
	apply_emit(c, FX_APPLY_EV_DONE, r, r->state, t0);
}

/*
 * An alter's start: the re-read, the write, the read-back.  Returns 0 when
 * the alter is over (DONE emitted), 1 when it is to be waited for (w is set
 * up: poll it with apply_wait_step, then apply_finish), -1 only on OOM.
 */
static int apply_start(struct fx_connect_client *client, const char *salt,
		       const struct fx_change *ch, const struct apply_run_ctx *c,
		       struct fx_apply_result *r, struct fx_apply_results *out,
		       struct apply_waiter *wt)
{
	const struct fx_apply_opts *o = c->o;
	struct fx_err werr = FX_ERR_INIT;
	struct fx_config live = FX_CONFIG_INIT;
	double t0 = fx_clock_now();
	char fp[72], kept[16] = "";
	int noop = 0, found = 0, rc, w;

	wt->t0 = t0;

	apply_emit(c, FX_APPLY_EV_START, r, NULL, t0);
	/* Re-read just before the write: another apply may have written since the plan. */
	if (apply_read_live(client, salt, ch, &found, fp, &live, &werr) < 0) {
		rc = -1;
		goto attempted;
	}
	switch (fx_race_before(ch->action, found, found ? fp : NULL, ch->observed_fp, ch->desired_fp)) {
	case FX_RACE_WRITE:
		break;
	case FX_RACE_ALREADY:
		noop = 1;
		rc = 0;
		goto attempted;
	default:
		rc = apply_race_error(salt, ch, found, &live, "not written; plan again", r);
		fx_config_release(&live);
		if (rc < 0)
			return -1;
		r->outcome = FX_APPLY_STALE;
		goto done;
	}
	switch (ch->action) {
	case FX_ACTION_CREATE:
		if (ch->leftover_offsets && o->leftover == FX_APPLY_OFFSETS_RESET) {
			/* created STOPPED, its old offsets deleted, then resumed: a fresh snapshot */
			rc = fx_connect_create_stopped(client, ch->connector, &ch->desired, &noop, &werr);
			if (rc == 0)
				rc = apply_wait_stopped(client, ch->connector, o, &werr);
			if (rc == 0)
				rc = fx_connect_offsets_delete(client, ch->connector, &werr);
			if (rc == 0)
				rc = fx_connect_resume(client, ch->connector, &werr);
			noop = 0;
		} else {
			rc = fx_connect_create(client, ch->connector, &ch->desired, &noop, &werr);
		}
		break;
	case FX_ACTION_UPDATE:
		/* a PAUSED or STOPPED connector keeps that state: no wait for RUNNING */
		if (o->wait_s > 0) {
			struct fx_observed_connector s;
			struct fx_err serr = FX_ERR_INIT;
			int sfound = 0;

			memset(&s, 0, sizeof(s));
			if (fx_connect_get_status(client, ch->connector, &s, &sfound, &serr) == 0 && sfound &&
			    s.state && (!strcmp(s.state, "PAUSED") || !strcmp(s.state, "STOPPED")))
				snprintf(kept, sizeof(kept), "%s", s.state);
			fx_observed_connector_release(&s);
		}
		if ((ch->risk == FX_RISK_RESNAPSHOT || ch->risk == FX_RISK_BREAKING) && o->allow_resnapshot) {
			/* the stored offsets do not fit the new config: stop, reset them (Connect
			 * 3.6+), write the config, resume: it starts over with a fresh snapshot */
			rc = fx_connect_stop(client, ch->connector, &werr);
			if (rc == 0)
				rc = apply_wait_stopped(client, ch->connector, o, &werr);
			if (rc == 0)
				rc = fx_connect_offsets_delete(client, ch->connector, &werr);
			if (rc == 0)
				rc = fx_connect_update(client, ch->connector, &ch->desired, &werr);
			if (rc == 0)
				rc = fx_connect_resume(client, ch->connector, &werr);
			kept[0] = '\0';
			break;
		}
		rc = fx_connect_update(client, ch->connector, &ch->desired, &werr);
		break;
	default:
		rc = fx_connect_delete(client, ch->connector, &noop, &werr);
		break;
	}
attempted:
	fx_config_release(&live);
	if (rc < 0) {
		/* connect.c already redacted with the desired config; once more for patterns */
		if (apply_set(&r->error, fx_connect_redact(werr.msg, &ch->desired)) < 0)
			return -1;
		r->outcome = werr.code == FX_EXIT_INTERRUPTED ? FX_APPLY_INTERRUPTED : FX_APPLY_FAILED;
		if (werr.code == FX_EXIT_INTERRUPTED)
			out->interrupted = 1;
		goto done;
	}
	r->written = !noop;
	r->outcome = noop ? FX_APPLY_UNCHANGED : FX_APPLY_APPLIED;
	/* Read back: another writer may have come in right after ours. */
	if (!noop) {
		w = apply_read_back(client, salt, ch, "right after the write", r);
		if (w < 0)
			return -1;
		if (w == 3) {
			out->interrupted = 1;
			goto done;
		}
		if (w) {
			r->outcome = FX_APPLY_FAILED;
			goto done;
		}
	}
	if (ch->action == FX_ACTION_DELETE) {
		if (apply_set(&r->state, fx_strdup("deleted")) < 0)
			return -1;
		goto done;
	}
	if (o->wait_s <= 0 || apply_interrupted(o)) {
		if (apply_interrupted(o))
			out->interrupted = 1;
		goto done;
	}
	if (kept[0]) { /* updated, still PAUSED (or STOPPED): nothing to wait for */
		if (apply_set(&r->state, fx_asprintf("updated, still %s", kept)) < 0)
			return -1;
		goto done;
	}
	wt->t0 = t0;
	wt->deadline = fx_clock_now() + o->wait_s;
	wt->streak = 0;
	return 1;
done:
	apply_over(c, r, t0);
	return 0;
}

/*
 * The end of an alter's wait: step is apply_wait_step's 0 (RUNNING), 1
 * (failed or timed out) or 2 (interrupted).  A RUNNING connector is read
 * back once more: is it still what this apply wrote?  -1 only on OOM.
 */
static int apply_finish(struct fx_connect_client *client, const char *salt,
			const struct fx_change *ch, const struct apply_run_ctx *c,
			struct fx_apply_result *r, struct fx_apply_results *out,
			const struct apply_waiter *wt, int step)
{
	int w;

	if (step == 1)
		r->outcome = FX_APPLY_FAILED;
	if (step == 0 && r->written) {
		w = apply_read_back(client, salt, ch, "once it was RUNNING", r);
		if (w < 0)
			return -1;
		if (w == 3)
			out->interrupted = 1;
		else if (w)
			r->outcome = FX_APPLY_FAILED;
	}
	if (step == 2) {
		/* the write landed; only the wait was cut short */
		out->interrupted = 1;
		if (!r->error && apply_set(&r->error, fx_strdup("interrupted while waiting for RUNNING")) < 0)
			return -1;
	}
	apply_over(c, r, wt->t0);
	return 0;
}

/* After this alter, does nothing new start (SPEC §4: the first failure stops the run)? */
static int apply_stops(const struct fx_apply_result *r, const struct fx_apply_results *res)
{
	return r->outcome == FX_APPLY_FAILED || r->outcome == FX_APPLY_INTERRUPTED ||
	       r->outcome == FX_APPLY_STALE || res->interrupted;
}

/* Counts for the progress line of a TTY. */
static void apply_count_progress(const struct fx_sched_item *items, size_t n,
				 struct apply_run_ctx *counted)
{
	size_t i;

	counted->n_total = n;
	counted->n_over = counted->n_under_way = 0;
	for (i = 0; i < n; i++) {
		counted->n_over += items[i].state == FX_SCHED_OVER;
		counted->n_under_way += fx_sched_active(items[i].state);
	}
}

/* When the earliest read of an alter under way or settling is due. */
static double apply_next_due(const struct fx_sched_item *items, const struct apply_waiter *wts, size_t n)
{
	double due = 0;
	size_t i;
	int any = 0;

	for (i = 0; i < n; i++) {
		if (!fx_sched_active(items[i].state))
			continue;
		if (!any || wts[i].due < due)
			due = wts[i].due;
		any = 1;
	}
	return due;
}

/*
 * Carries out the plan's alters with at most o->parallelism under way per
 * cluster (apply_sched.h): each is written, then the waits for RUNNING of
 * all those under way are polled together, one status read each per poll.
 * An alter seen RUNNING once gives its place to the next while its
 * confirming read is to come (parallelism > 1), so that N alters take about
 * N / parallelism polls plus one, not N / parallelism whole waits.  The
 * first failure stops new starts; those under way or settling are followed
 * to their end.  -1 on OOM.
 */
static int apply_schedule(const struct fx_plan *p, const struct fx_connect_clients *cs,
			  const struct fx_apply_opts *o, struct fx_apply_results *res)
{
	struct fx_sched_item *items = fx_calloc(p->n_changes + 1, sizeof(*items));
	struct apply_waiter *wts = fx_calloc(p->n_changes + 1, sizeof(*wts));
	long poll = o->poll_ms > 0 ? o->poll_ms : 1000;
	struct apply_run_ctx oc = { .o = o, .results = res->items };
	int stop = 0, ret = -1, step;
	size_t i, n = p->n_changes;
	double due, now;

	if (!items || !wts)
		goto cleanup;
	for (i = 0; i < n; i++)
		items[i] = (struct fx_sched_item){ .action = p->changes[i].action,
						   .cluster = p->changes[i].connect_url,
						   .state = FX_SCHED_PENDING };
	for (;;) {
		while ((i = fx_sched_next(items, n, o->parallelism, stop)) != FX_SCHED_NONE) {
			if (apply_interrupted(o)) {
				res->interrupted = 1;
				stop = 1;
				break;
			}
			items[i].state = FX_SCHED_RUNNING;
			apply_count_progress(items, n, &oc);
			step = apply_start(fx_connect_clients_find(cs, p->changes[i].connect_url), p->salt,
					   &p->changes[i], &oc, &res->items[i], res, &wts[i]);
			if (step < 0)
				goto cleanup;
			if (step == 0) {
				items[i].state = FX_SCHED_OVER;
				stop |= apply_stops(&res->items[i], res);
			} else {
				/* Never read right after a write: Connect may still show the old state. */
				wts[i].due = fx_clock_now() + poll / 1000.0;
			}
		}
		if (fx_sched_done(items, n, o->parallelism, stop))
			break;
		/* Each alter is read a poll after its own write or last read, so a
		 * wave's later writes do not delay the reads of its first ones. */
		due = apply_next_due(items, wts, n);
		now = fx_clock_now();
		if (due > now && apply_sleep(o, (long)((due - now) * 1000.0) + 1) < 0)
			stop = 1;
		now = fx_clock_now();
		for (i = 0; i < n; i++) {
			struct fx_connect_client *client = fx_connect_clients_find(cs, p->changes[i].connect_url);

			if (!fx_sched_active(items[i].state) ||
			    (wts[i].due > now && !apply_interrupted(o)))
				continue;
			wts[i].due = now + poll / 1000.0;
			apply_count_progress(items, n, &oc);
			step = apply_interrupted(o) ? 2 : apply_wait_step(client, &p->changes[i], &oc,
									  &res->items[i], &wts[i]);
			if (step < 0)
				goto cleanup;
			if (step == 3) {
				/* seen RUNNING, to be confirmed: its place may go to the next */
				items[i].state = wts[i].streak > 0 ? FX_SCHED_SETTLING : FX_SCHED_RUNNING;
				continue;
			}
			if (apply_finish(client, p->salt, &p->changes[i], &oc, &res->items[i], res,
					 &wts[i], step) < 0)
				goto cleanup;
			items[i].state = FX_SCHED_OVER;
			stop |= apply_stops(&res->items[i], res);
		}
	}
	ret = 0;
cleanup:
	for (i = 0; wts && i < n; i++)
		apply_waiter_release(&wts[i]);
	free(items);
	free(wts);
	return ret;
}

int fx_apply_run(const struct fx_plan *p, const struct fx_connect_clients *cs,
		 const struct fx_apply_opts *o, struct fx_apply_results *out, struct fx_err *err)
{
	struct fx_apply_results res = FX_APPLY_RESULTS_INIT;
	struct fx_buf why = FX_BUF_INIT;
	size_t i;
	int ret = -1;

	/* Every guard before the first write: all or nothing. */
	for (i = 0; i < p->n_changes; i++) {
		const struct fx_change *ch = &p->changes[i];

		if (!fx_connect_is_managed(ch->connector))
			return fx_err_set(err, FX_EXIT_REFUSED,
					  "connector '%s' is not managed by fluxacdc (no fluxa_ prefix): refusing to write it",
					  ch->connector);
		if (ch->action == FX_ACTION_DELETE && !o->allow_destroy)
			return fx_err_set(err, FX_EXIT_REFUSED,
					  "the plan deletes connector '%s' on %s: rerun with --allow-destroy",
					  ch->connector, ch->connect_url);
		if ((ch->risk == FX_RISK_RESNAPSHOT || ch->risk == FX_RISK_BREAKING) && !o->allow_resnapshot)
			return fx_err_set(err, FX_EXIT_REFUSED,
					  "the plan %ss connector '%s' on %s with risk %s: rerun with --allow-resnapshot",
					  fx_action_name(ch->action), ch->connector, ch->connect_url,
					  fx_risk_name(ch->risk));
		if (ch->mid_snapshot && !o->allow_resnapshot)
			return fx_err_set(err, FX_EXIT_REFUSED,
					  "the plan updates connector '%s' on %s while its initial snapshot is in progress: it would start over; apply once the snapshot is done (fluxacdc status shows the phase), or rerun with --allow-resnapshot",
					  ch->connector, ch->connect_url);
		if (ch->action == FX_ACTION_CREATE && ch->leftover_offsets &&
		    o->leftover == FX_APPLY_OFFSETS_REFUSE)
			return fx_err_set(err, FX_EXIT_REFUSED,
					  "the plan creates connector '%s' on %s, but Kafka Connect still holds offsets for that name (connect.offsets): rerun with --reset-offsets (a fresh snapshot) or --keep-offsets (resume from them)",
					  ch->connector, ch->connect_url);
		if (fx_apply_version_refuses(ch, o->allow_resnapshot,
					     o->leftover == FX_APPLY_OFFSETS_RESET, &why)) {
			fx_err_set(err, FX_EXIT_REFUSED, "%s", fx_buf_ok(&why) ? fx_buf_str(&why) :
				   "Kafka Connect is older than an alter needs");
			fx_buf_release(&why);
			return -1;
		}
		if (!fx_connect_clients_find(cs, ch->connect_url))
			return fx_err_set(err, FX_EXIT_FAILURE, "no Connect client for %s (connector '%s')",
					  ch->connect_url, ch->connector);
	}
	res.plan_unchanged = p->n_unchanged;
	res.items = fx_calloc(p->n_changes + 1, sizeof(*res.items));
	if (!res.items)
		return fx_err_set(err, 1, "out of memory");
	for (i = 0; i < p->n_changes; i++) {
		const struct fx_change *ch = &p->changes[i];
		struct fx_apply_result *r = &res.items[i];

		res.n++;
		r->action = ch->action;
		r->connector = fx_strdup(ch->connector);
		r->connect_url = fx_strdup(ch->connect_url);
		r->kafka_pool = ch->kafka_pool ? fx_strdup(ch->kafka_pool) : NULL;
		if (!r->connector || !r->connect_url || (ch->kafka_pool && !r->kafka_pool)) {
			fx_err_set(err, 1, "out of memory");
			goto cleanup;
		}
	}
	if (apply_schedule(p, cs, o, &res) < 0) {
		fx_err_set(err, 1, "out of memory");
		goto cleanup;
	}
	fx_apply_results_release(out);
	*out = res;
	memset(&res, 0, sizeof(res));
	ret = 0;
cleanup:
	fx_apply_results_release(&res);
	return ret;
}
