#include "race.h"

#include <string.h>

static int race_same(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

enum fx_race_verdict fx_race_before(enum fx_action action, int found, const char *live_fp,
				    const char *observed_fp, const char *desired_fp)
{
	switch (action) {
	case FX_ACTION_CREATE:
		if (!found)
			return FX_RACE_WRITE;
		return race_same(live_fp, desired_fp) ? FX_RACE_ALREADY : FX_RACE_STALE;
	case FX_ACTION_UPDATE:
		if (!found)
			return FX_RACE_STALE;
		if (race_same(live_fp, observed_fp))
			return FX_RACE_WRITE;
		return race_same(live_fp, desired_fp) ? FX_RACE_ALREADY : FX_RACE_STALE;
	case FX_ACTION_DELETE:
		if (!found)
			return FX_RACE_ALREADY;
		return race_same(live_fp, observed_fp) ? FX_RACE_WRITE : FX_RACE_STALE;
	}
	return FX_RACE_STALE;
}

enum fx_race_verdict fx_race_after(enum fx_action action, int found, const char *live_fp,
				   const char *desired_fp)
{
	if (action == FX_ACTION_DELETE)
		return found ? FX_RACE_LOST : FX_RACE_HELD;
	return found && race_same(live_fp, desired_fp) ? FX_RACE_HELD : FX_RACE_LOST;
}

const char *fx_race_verdict_name(enum fx_race_verdict v)
{
	switch (v) {
	case FX_RACE_WRITE:
		return "write";
	case FX_RACE_ALREADY:
		return "already";
	case FX_RACE_STALE:
		return "stale";
	case FX_RACE_HELD:
		return "held";
	case FX_RACE_LOST:
		return "lost";
	}
	return "?";
}
