/*
 * Carrying out a plan (SPEC §4): its alters in the plan's order (deletes,
 * updates, creates; by cluster, then name) through connect.c, then, after each
 * create and update, waiting until the connector and all its tasks are RUNNING
 * in two consecutive reads.  The first failure stops the run: later alters
 * are left untouched ("skipped") so the output can say exactly what was done.
 *
 * Never prints: progress goes to the caller's callback, results into struct
 * fx_apply_results, which owns everything in it (fx_apply_results_release).
 * Strings in results are safe to print: errors and traces are redacted with
 * the change's own config (its secrets) and password=...-like patterns.
 * The plan and the clients are lent for the duration of the call.
 */
#ifndef FX_APPLY_H
#define FX_APPLY_H

#include <signal.h>
#include <stddef.h>

#include "connect.h"
#include "observed.h"
#include "plan.h"
#include "util/err.h"

enum fx_apply_outcome {
	FX_APPLY_SKIPPED = 0, /* not attempted: an earlier alter failed, or interrupted */
	FX_APPLY_APPLIED,     /* written and (unless --no-wait) RUNNING */
	FX_APPLY_UNCHANGED,   /* nothing to write: already so (same config there, already gone) */
	FX_APPLY_FAILED,      /* the write failed, or the connector/a task FAILED, or the wait timed out */
	FX_APPLY_INTERRUPTED, /* SIGINT while this alter was under way */
	FX_APPLY_STALE,       /* not written: the connector changed since the plan (race.h) */
};

struct fx_apply_result {
	char *connector;
	char *connect_url;
	char *kafka_pool;
	enum fx_action action;
	enum fx_apply_outcome outcome;
	int written;       /* our write landed (so a failure after it is not "nothing applied") */
	int waited;        /* a wait for RUNNING took place */
	char *state;       /* final connector state (RUNNING, FAILED, ..., "deleted", "updated,
			    * still PAUSED" / "... STOPPED": kept, not waited for), or NULL */
	char *error;       /* why it failed, redacted; NULL on success */
	char *trace;       /* first lines of the failing task's trace, redacted; or NULL */
	struct fx_observed_connector status; /* the last status read (traces dropped) */
	double seconds;    /* write + wait */
};

struct fx_apply_results {
	struct fx_apply_result *items; /* one per plan change, in plan order */
	size_t n;
	int interrupted;
	size_t plan_unchanged; /* connectors the plan had nothing to change on */
};

#define FX_APPLY_RESULTS_INIT { .items = NULL, .n = 0, .interrupted = 0, .plan_unchanged = 0 }

enum fx_apply_event_kind {
	FX_APPLY_EV_START,  /* an alter begins */
	FX_APPLY_EV_STATE,  /* the connector's state line changed while waiting */
	FX_APPLY_EV_TICK,   /* waiting, nothing changed (for a TTY's elapsed time) */
	FX_APPLY_EV_DONE,   /* the alter is over: see result */
};

struct fx_apply_event {
	enum fx_apply_event_kind kind;
	const struct fx_apply_result *result; /* lent */
	size_t change;      /* the alter's index in the plan's changes (and the results) */
	const char *state;  /* "RUNNING; task 0 UNASSIGNED", or NULL */
	double elapsed;     /* seconds since the alter began */
	size_t n_total;     /* alters in the plan */
	size_t n_over;      /* of them, over (whatever their outcome) */
	size_t n_under_way; /* of them, written or being written and not over (--parallelism) */
};

struct fx_apply_opts {
	int allow_destroy;  /* deletes are refused (code 3, nothing written) without it */
	int allow_resnapshot; /* resnapshot/breaking alters: refused without it (3); with it
			       * stopped, offsets deleted, written, resumed (Connect 3.6+) */
	/* a create over leftover offsets (fx_change.leftover_offsets): refused (3) unless
	 * RESET (created STOPPED, offsets deleted, resumed: a fresh snapshot; Connect 3.7+)
	 * or KEEP */
	enum { FX_APPLY_OFFSETS_REFUSE = 0, FX_APPLY_OFFSETS_RESET, FX_APPLY_OFFSETS_KEEP } leftover;
	int wait_s;         /* wait for RUNNING at most this long; 0: do not wait */
	int poll_ms;        /* between status reads; <= 0 means 1000 */
	int parallelism;    /* alters under way at once per cluster (--parallelism); < 1 means 1 */
	volatile sig_atomic_t *interrupt; /* lent; stops between requests */
	void (*progress)(void *ctx, const struct fx_apply_event *ev);
	void *ctx;
};

#define FX_APPLY_OPTS_INIT { .allow_destroy = 0, .allow_resnapshot = 0, \
			    .leftover = FX_APPLY_OFFSETS_REFUSE, .wait_s = 120, \
			    .poll_ms = 1000, .parallelism = 1, .interrupt = NULL, \
			    .progress = NULL, .ctx = NULL }

/*
 * Applies p's changes.  Returns 0 when the run took place, whatever its
 * outcome (see the results and fx_apply_exit_code); -1 with err before any
 * write when the plan cannot be applied (a delete without allow_destroy: 3;
 * a resnapshot or breaking alter without allow_resnapshot: 3; a create over
 * leftover offsets without leftover RESET or KEEP: 3; an alter its cluster's
 * Connect is too old for as these options carry it out (the change's
 * connect_version, fx_apply_version_refuses): 3;
 * a connector that is not fluxa_*: 3; no client for a change's cluster: 1) or
 * on OOM.
 */
int fx_apply_run(const struct fx_plan *p, const struct fx_connect_clients *cs,
		 const struct fx_apply_opts *o, struct fx_apply_results *out, struct fx_err *err);
void fx_apply_results_release(struct fx_apply_results *r);

/* 0 all done, 1 nothing applied and an error, 4 nothing applied and a
 * connector changed since the plan (stale), 5 some applied then an error or
 * a stale connector, 130 interrupted. */
int fx_apply_exit_code(const struct fx_apply_results *r);
/* The alters with outcome o; FX_APPLY_UNCHANGED also counts the plan's
 * unchanged connectors, so the summary says what the plan said. */
size_t fx_apply_count(const struct fx_apply_results *r, enum fx_apply_outcome o);
const char *fx_apply_outcome_name(enum fx_apply_outcome o);

#endif
