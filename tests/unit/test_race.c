/*
 * race.c: what apply's re-read before a write and read-back after it mean
 * when another apply writes the same connector (two deploys at once).
 * Fingerprints stand for configs: O the one the plan observed, D the one
 * this alter wants, X a third one (another writer's).
 */
#include <criterion/criterion.h>

#include "race.h"

#define O "sha256:observed"
#define D "sha256:desired"
#define X "sha256:another-writer"

struct before_case {
	const char *what;
	enum fx_action action;
	int found;
	const char *live, *observed, *desired;
	enum fx_race_verdict want;
};

static const struct before_case before_cases[] = {
	{ "create, still absent: write", FX_ACTION_CREATE, 0, NULL, NULL, D, FX_RACE_WRITE },
	{ "create, someone created ours meanwhile: nothing to write", FX_ACTION_CREATE, 1, D, NULL, D,
	  FX_RACE_ALREADY },
	{ "create, someone created another config: stale", FX_ACTION_CREATE, 1, X, NULL, D, FX_RACE_STALE },
	{ "update, as the plan saw it: write", FX_ACTION_UPDATE, 1, O, O, D, FX_RACE_WRITE },
	{ "update, another writer changed it: stale", FX_ACTION_UPDATE, 1, X, O, D, FX_RACE_STALE },
	{ "update, another writer wrote the same as we want: nothing to write", FX_ACTION_UPDATE, 1, D, O,
	  D, FX_RACE_ALREADY },
	{ "update, deleted since the plan: stale, never re-created by an update", FX_ACTION_UPDATE, 0, NULL,
	  O, D, FX_RACE_STALE },
	{ "update, unknown live fingerprint: stale", FX_ACTION_UPDATE, 1, NULL, O, D, FX_RACE_STALE },
	{ "delete, as the plan saw it: write", FX_ACTION_DELETE, 1, O, O, NULL, FX_RACE_WRITE },
	{ "delete, already gone: nothing to write", FX_ACTION_DELETE, 0, NULL, O, NULL, FX_RACE_ALREADY },
	{ "delete, changed since the plan: stale, not deleted", FX_ACTION_DELETE, 1, X, O, NULL,
	  FX_RACE_STALE },
};

Test(race, before_a_write)
{
	size_t i;

	for (i = 0; i < sizeof(before_cases) / sizeof(before_cases[0]); i++) {
		const struct before_case *c = &before_cases[i];
		enum fx_race_verdict got = fx_race_before(c->action, c->found, c->live, c->observed,
							  c->desired);

		cr_expect_eq(got, c->want, "%s: got %s, want %s", c->what, fx_race_verdict_name(got),
			     fx_race_verdict_name(c->want));
	}
}

struct after_case {
	const char *what;
	enum fx_action action;
	int found;
	const char *live, *desired;
	enum fx_race_verdict want;
};

static const struct after_case after_cases[] = {
	{ "update read back as written: held", FX_ACTION_UPDATE, 1, D, D, FX_RACE_HELD },
	{ "update replaced by another writer: lost", FX_ACTION_UPDATE, 1, X, D, FX_RACE_LOST },
	{ "update, then deleted by another writer: lost", FX_ACTION_UPDATE, 0, NULL, D, FX_RACE_LOST },
	{ "create read back as written: held", FX_ACTION_CREATE, 1, D, D, FX_RACE_HELD },
	{ "create replaced by another writer: lost", FX_ACTION_CREATE, 1, X, D, FX_RACE_LOST },
	{ "create, fingerprint unknown: lost, never assumed held", FX_ACTION_CREATE, 1, NULL, D,
	  FX_RACE_LOST },
	{ "delete, gone: held", FX_ACTION_DELETE, 0, NULL, NULL, FX_RACE_HELD },
	{ "delete, brought back by another writer: lost", FX_ACTION_DELETE, 1, X, NULL, FX_RACE_LOST },
};

Test(race, after_a_write)
{
	size_t i;

	for (i = 0; i < sizeof(after_cases) / sizeof(after_cases[0]); i++) {
		const struct after_case *c = &after_cases[i];
		enum fx_race_verdict got = fx_race_after(c->action, c->found, c->live, c->desired);

		cr_expect_eq(got, c->want, "%s: got %s, want %s", c->what, fx_race_verdict_name(got),
			     fx_race_verdict_name(c->want));
	}
}
