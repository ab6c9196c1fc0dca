/*
 * apply's snapshot step (SPEC §4 "Snapshots of added tables"), the pure
 * half: as each alter of fx_apply_run ends, whether it is an applied update
 * that added tables to a live connector, and if so whether its incremental
 * snapshot can be requested
 * now (RUNNING, a config that takes a Kafka signal, no --no-snapshot) or what
 * the user must do instead.  The caller runs each requested one as a unit
 * (fx_snapshot_kafka_run) and fills its outcome; the verdict and the JSON come
 * back from here.  No I/O.
 *
 * Ownership: struct fx_apply_snaps owns its items, their strings and
 * outcomes (fx_apply_snaps_release); the plan and results are lent.
 */
#ifndef FX_APPLY_SNAPSHOT_H
#define FX_APPLY_SNAPSHOT_H

#include <jansson.h>
#include <stddef.h>

#include "apply.h"
#include "plan.h"
#include "snapshot_kafka.h"
#include "util/err.h"

struct fx_apply_snap {
	size_t change;          /* index in the plan's changes (and the results) */
	char *connector;
	char *database;
	char **tables;          /* table names added, sorted as in the include list */
	size_t n_tables;
	char *token;            /* the change: table.include.list before and after */
	const char *skip;       /* static: why it is not requested now; NULL: request it */
	const char *skip_status; /* "skipped", "pending" or "unsupported" with skip */
	int ran;                /* the request was made (out is filled) */
	char *error;            /* Kafka failed: why */
	struct fx_snap_outcome out;
};

struct fx_apply_snaps {
	struct fx_apply_snap *items;
	size_t n;
};

#define FX_APPLY_SNAPS_INIT { NULL, 0 }

/*
 * The item of plan change i, from that change's result (final: its alter is
 * over), for an applied update that adds tables to a connector whose desired
 * config has a Kafka signal channel (snapshot_new_tables false gives no item:
 * the plan said so); no_snapshot: --no-snapshot; waited: apply waited for
 * RUNNING (not --no-wait).  1 with s filled (the caller's, released with the
 * others by fx_apply_snaps_release), 0 when the change gets none, -1 on OOM
 * (err).  apply calls it as each alter ends, to start its backfill while
 * other alters are still under way.
 */
int fx_apply_snapshot_item(const struct fx_plan *p, size_t i, const struct fx_apply_result *res,
			   int no_snapshot, int waited, struct fx_apply_snap *s, struct fx_err *err);
void fx_apply_snaps_release(struct fx_apply_snaps *s);
/* The item of change i, or NULL. */
const struct fx_apply_snap *fx_apply_snaps_find(const struct fx_apply_snaps *s, size_t change);
/* "completed", "failed", "timed out", "interrupted", "error", or the skip status. */
const char *fx_apply_snap_status(const struct fx_apply_snap *s);
/* 0 when every requested snapshot completed; 1 when one failed, timed out or
 * could not be requested from Kafka; 130 interrupted.  Skips are not failures. */
int fx_apply_snapshot_exit(const struct fx_apply_snaps *s);
/* {"tables":["db.T"],"status":..,"rows":..[,"id","reason"]}: new reference. */
json_t *fx_apply_snap_json(const struct fx_apply_snap *s);

#endif
