/*
 * Which alter apply starts next when it carries out a plan with bounded
 * concurrency (fluxacdc apply --parallelism N): a pure decision over the
 * plan's alters and what became of each, so that the rules are one
 * table-tested function and apply.c only carries them out.
 *
 * The rules (SPEC §4 and issue "apply at scale"):
 *   - alters start in plan order (deletes, updates, creates; by cluster, then name);
 *   - phase barriers per cluster: an update starts only once every delete of
 *     its cluster is over, a create only once every delete and update is;
 *   - at most `parallelism` alters of one cluster are under way at once
 *     (being written, or written and not yet seen RUNNING); < 1 counts as 1;
 *   - an alter seen RUNNING once is settling: its second, confirming read a
 *     poll later is still to come.  With parallelism > 1 it leaves the
 *     window, so that the waits overlap (N alters take about N / parallelism
 *     first reads plus one confirming read, not N / parallelism whole waits);
 *     with parallelism 1 it keeps its place: one alter at a time, each
 *     confirmed before the next is written, as before --parallelism;
 *   - a settling alter is not over: phase barriers wait for it;
 *   - after the first failure (stop) nothing new starts: the alters under way
 *     are followed to their end, the others are never attempted.
 * Nothing here allocates, owns or does I/O.
 */
#ifndef FX_APPLY_SCHED_H
#define FX_APPLY_SCHED_H

#include <stddef.h>

#include "plan.h"

enum fx_sched_state {
	FX_SCHED_PENDING = 0, /* not started */
	FX_SCHED_RUNNING,     /* written, or being written; not yet seen RUNNING */
	FX_SCHED_SETTLING,    /* seen RUNNING once; its confirming read is to come */
	FX_SCHED_OVER,        /* over, whatever its outcome */
};

struct fx_sched_item {
	enum fx_action action;
	const char *cluster;  /* the Connect URL (lent) */
	enum fx_sched_state state;
};

#define FX_SCHED_NONE ((size_t)-1)

/* Started and not over: under way or settling (its wait goes on). */
static inline int fx_sched_active(enum fx_sched_state st)
{
	return st == FX_SCHED_RUNNING || st == FX_SCHED_SETTLING;
}

/*
 * The index of the next alter to start now, or FX_SCHED_NONE when none may
 * start (wait for one under way to end; when none is under way either, the
 * run is over: see fx_sched_done).  items are in plan order.
 */
size_t fx_sched_next(const struct fx_sched_item *items, size_t n, int parallelism, int stop);

/* True when nothing is under way and nothing more will start. */
int fx_sched_done(const struct fx_sched_item *items, size_t n, int parallelism, int stop);

#endif
