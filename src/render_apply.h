/*
 * Apply's output (pure): the results table and summary line, the progress
 * lines, the closing line of a stop, the verdict's lists, and the apply JSON
 * (schemas/apply-result.schema.json).  Writes to the FILE * or buffer it is
 * given; everything passed in is lent for the call.
 */
#ifndef FX_RENDER_APPLY_H
#define FX_RENDER_APPLY_H

#include <stdio.h>

#include <jansson.h>

#include "apply.h"
#include "apply_gate.h"
#include "apply_snapshot.h"
#include "plan.h"
#include "util/buf.h"

/* "Apply results:" with a line per alter (errors and trace heads under it),
 * the snapshots of added tables (snaps may be NULL), then the summary line
 * for exit status code ("Apply complete: 1 applied, 0 unchanged, ..."). */
void fx_render_apply_text(FILE *out, const struct fx_apply_results *r,
			  const struct fx_apply_snaps *snaps, int code, int color);
/* A stop's closing line (nothing to do; nothing to do but FAILED), if any. */
void fx_render_apply_stop_text(FILE *out, const struct fx_apply_stop *stop);
/*
 * One progress event.  On a TTY, one line rewritten in place (*dirty says a
 * line is showing; DONE clears it); off it, a "fluxacdc: " line per start
 * and state.
 */
void fx_render_apply_progress(FILE *out, const struct fx_apply_event *ev, int tty, int *dirty);
/* The verdict after a failed run with exit status code: "apply partly done
 * (exit 5): applied: a; failed: b; not attempted: c". */
void fx_render_apply_verdict(struct fx_buf *b, const struct fx_apply_results *r, int code);
/* The word for an exit status in the summary line ("partly done"). */
const char *fx_render_apply_word(int code);

/*
 * The results as JSON; new reference, NULL on OOM.  r may be NULL (stopped
 * before any write); p (may be NULL) adds the unchanged connectors; status is
 * the overall word ("applied", "no-changes", "refused", "stale", "blocked",
 * "failed", "partial", "interrupted"), message (may be NULL) says why.
 */
json_t *fx_render_apply_results_json(const struct fx_apply_results *r, const struct fx_plan *p,
				     const char *status, int exit_code, const char *message);
/* The same as one compact line on out, each result with its snapshot of added
 * tables (snaps may be NULL); -1 on OOM or a failed write. */
int fx_render_apply_json(FILE *out, const struct fx_apply_results *r,
			 const struct fx_apply_snaps *snaps, const struct fx_plan *p,
			 const char *status, int exit_code, const char *message);
/* The JSON status of a run's exit status: applied, partial, interrupted, failed. */
const char *fx_render_apply_status(int code);

#endif
