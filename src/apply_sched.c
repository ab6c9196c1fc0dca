#include "apply_sched.h"

#include <string.h>

/* Phase rank: deletes, then updates, then creates. */
static int sched_phase(enum fx_action a)
{
	return a == FX_ACTION_DELETE ? 0 : a == FX_ACTION_UPDATE ? 1 : 2;
}

static int sched_same_cluster(const struct fx_sched_item *a, const struct fx_sched_item *b)
{
	return a->cluster && b->cluster && !strcmp(a->cluster, b->cluster);
}

/* Does an alter in this state take a place in its cluster's window? */
static int sched_in_window(enum fx_sched_state st, int parallelism)
{
	return st == FX_SCHED_RUNNING || (st == FX_SCHED_SETTLING && parallelism <= 1);
}

/* May items[i] start: no earlier phase of its cluster unfinished, room in its cluster? */
static int sched_may_start(const struct fx_sched_item *items, size_t n, size_t i, int parallelism)
{
	size_t j, running = 0;

	for (j = 0; j < n; j++) {
		if (j == i || !sched_same_cluster(&items[j], &items[i]))
			continue;
		if (items[j].state != FX_SCHED_OVER &&
		    sched_phase(items[j].action) < sched_phase(items[i].action))
			return 0;
		running += sched_in_window(items[j].state, parallelism);
	}
	return running < (size_t)(parallelism < 1 ? 1 : parallelism);
}

size_t fx_sched_next(const struct fx_sched_item *items, size_t n, int parallelism, int stop)
{
	size_t i;

	if (stop)
		return FX_SCHED_NONE;
	for (i = 0; i < n; i++)
		if (items[i].state == FX_SCHED_PENDING && sched_may_start(items, n, i, parallelism))
			return i;
	return FX_SCHED_NONE;
}

int fx_sched_done(const struct fx_sched_item *items, size_t n, int parallelism, int stop)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (fx_sched_active(items[i].state))
			return 0;
	return fx_sched_next(items, n, parallelism, stop) == FX_SCHED_NONE;
}
