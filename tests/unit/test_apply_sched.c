/*
 * apply_sched.c: which alter apply starts next with --parallelism N.
 * Each row is a plan (in plan order) with what became of each alter so far,
 * and the alter that may start now (or none).
 */
#include <criterion/criterion.h>

#include "apply_sched.h"

#define D FX_ACTION_DELETE
#define U FX_ACTION_UPDATE
#define C FX_ACTION_CREATE
#define P FX_SCHED_PENDING
#define R FX_SCHED_RUNNING
#define S FX_SCHED_SETTLING
#define O FX_SCHED_OVER
#define NONE FX_SCHED_NONE
#define A "http://a:8083"
#define B "http://b:8083"

struct sched_case {
	const char *what;
	int parallelism, stop;
	size_t n;
	struct fx_sched_item items[6];
	size_t want;
	int done;
};

static const struct sched_case cases[] = {
	{ "nothing started: the first alter", 4, 0, 3,
	  { { C, A, P }, { C, A, P }, { C, A, P } }, 0, 0 },
	{ "creates overlap up to the bound", 4, 0, 3,
	  { { C, A, R }, { C, A, P }, { C, A, P } }, 1, 0 },
	{ "the bound reached: wait", 2, 0, 3,
	  { { C, A, R }, { C, A, R }, { C, A, P } }, NONE, 0 },
	{ "one over: the next may start", 2, 0, 3,
	  { { C, A, O }, { C, A, R }, { C, A, P } }, 2, 0 },
	{ "parallelism 1 is one by one", 1, 0, 2,
	  { { C, A, R }, { C, A, P } }, NONE, 0 },
	{ "parallelism 0 counts as 1", 0, 0, 2,
	  { { C, A, R }, { C, A, P } }, NONE, 0 },
	{ "deletes before updates: an update waits for a delete under way", 4, 0, 2,
	  { { D, A, R }, { U, A, P } }, NONE, 0 },
	{ "updates before creates: a create waits for an update under way", 4, 0, 3,
	  { { D, A, O }, { U, A, R }, { C, A, P } }, NONE, 0 },
	{ "a create waits for a delete not yet started", 1, 0, 3,
	  { { D, A, R }, { D, A, P }, { C, A, P } }, NONE, 0 },
	{ "phases over: the create starts", 4, 0, 3,
	  { { D, A, O }, { U, A, O }, { C, A, P } }, 2, 0 },
	{ "barriers are per cluster: B's create does not wait for A's delete", 4, 0, 2,
	  { { D, A, R }, { C, B, P } }, 1, 0 },
	{ "the bound is per cluster", 1, 0, 3,
	  { { C, A, R }, { C, A, P }, { C, B, P } }, 2, 0 },
	{ "after a failure nothing new starts", 4, 1, 3,
	  { { C, A, O }, { C, A, R }, { C, A, P } }, NONE, 0 },
	{ "after a failure, once nothing is under way, the run is over", 4, 1, 3,
	  { { C, A, O }, { C, A, O }, { C, A, P } }, NONE, 1 },
	{ "a settling alter leaves the window: the next starts", 2, 0, 3,
	  { { C, A, S }, { C, A, R }, { C, A, P } }, 2, 0 },
	{ "settling alters never fill the window", 2, 0, 4,
	  { { C, A, S }, { C, A, S }, { C, A, S }, { C, A, P } }, 3, 0 },
	{ "parallelism 1: a settling alter keeps its place (one by one, confirmed)", 1, 0, 2,
	  { { C, A, S }, { C, A, P } }, NONE, 0 },
	{ "parallelism 0 counts as 1 for settling too", 0, 0, 2,
	  { { C, A, S }, { C, A, P } }, NONE, 0 },
	{ "a settling update still holds the creates back (barrier)", 4, 0, 2,
	  { { U, A, S }, { C, A, P } }, NONE, 0 },
	{ "a settling delete still holds the updates back (barrier)", 4, 0, 2,
	  { { D, A, S }, { U, A, P } }, NONE, 0 },
	{ "settling is per cluster: B's window is B's", 2, 0, 4,
	  { { C, A, R }, { C, A, R }, { C, B, S }, { C, A, P } }, NONE, 0 },
	{ "after a failure a settling alter is followed to its end", 4, 1, 3,
	  { { C, A, O }, { C, A, S }, { C, A, P } }, NONE, 0 },
	{ "settling, nothing left to start: not done yet", 4, 0, 2,
	  { { C, A, O }, { C, A, S } }, NONE, 0 },
	{ "all over: done", 4, 0, 2,
	  { { U, A, O }, { C, B, O } }, NONE, 1 },
	{ "an empty plan is done", 4, 0, 0, { { C, A, P } }, NONE, 1 },
};

Test(apply_sched, next_alter)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct sched_case *c = &cases[i];
		size_t got = fx_sched_next(c->items, c->n, c->parallelism, c->stop);

		cr_expect_eq(got, c->want, "%s: next %zd, want %zd", c->what, (ssize_t)got,
			     (ssize_t)c->want);
		cr_expect_eq(fx_sched_done(c->items, c->n, c->parallelism, c->stop), c->done,
			     "%s: done should be %d", c->what, c->done);
	}
}
