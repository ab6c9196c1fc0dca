/*
 * Two applies at once (SPEC §4, issue "two deploys at once"): Kafka Connect
 * has no compare-and-set, so apply re-reads a connector just before each
 * write and reads it back after the write (and again once it is RUNNING),
 * and these pure verdicts say what each read means.  Fingerprints are the
 * plan's salted ones (fx_diff_config_fp with the plan's salt); nothing here
 * allocates, owns or prints.
 *
 * What this guarantees (fluxacdc(1), CONCURRENT APPLIES): an apply never
 * writes over a connector that changed since its plan (it stops: stale,
 * exit 4), and never reports as applied a write that another writer
 * replaced before the apply's last read-back (lost update, exit 1 or 5).
 * What it cannot do: stop a second writer whose own re-read came before our
 * write from landing after our last read-back; that writer reports success
 * and ours already has.  The window is one request long for a writer whose
 * re-read and write are back to back (each resend is re-read too).
 */
#ifndef FX_RACE_H
#define FX_RACE_H

#include "plan.h"

enum fx_race_verdict {
	FX_RACE_WRITE = 0, /* before: live is what the plan observed: write */
	FX_RACE_ALREADY,   /* before: live is already what this alter wants: nothing to write */
	FX_RACE_STALE,     /* before: changed since the plan (another writer): do not write */
	FX_RACE_HELD,      /* after: what this alter wrote is what is live */
	FX_RACE_LOST,      /* after: another writer replaced it (or brought it back) */
};

/*
 * Before a write.  found: the re-read found the connector; live_fp its
 * fingerprint (NULL when not found); observed_fp / desired_fp the change's
 * (NULL where the action has none: a create observed nothing, a delete
 * desires nothing).  A delete of a connector already gone is ALREADY.
 */
enum fx_race_verdict fx_race_before(enum fx_action action, int found, const char *live_fp,
				    const char *observed_fp, const char *desired_fp);

/* After a write: HELD when live is what was written (a delete: gone). */
enum fx_race_verdict fx_race_after(enum fx_action action, int found, const char *live_fp,
				   const char *desired_fp);

const char *fx_race_verdict_name(enum fx_race_verdict v);

#endif
