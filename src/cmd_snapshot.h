/*
 * Glue that cmd_snapshot.c and cmd_apply.c share to run one incremental
 * snapshot and tell about it: the Kafka pool as snapshot_kafka wants it, the
 * progress lines on stderr, and the outcome as text and JSON.
 */
#ifndef FX_CMD_SNAPSHOT_H
#define FX_CMD_SNAPSHOT_H

#include <jansson.h>
#include <stdio.h>

#include "cli.h"
#include "config.h"
#include "snapshot_kafka.h"
#include "util/buf.h"

/* Progress printer state; one per snapshot. */
struct fx_cmd_snap_ctx {
	const struct fx_opts *opts;
	const char *connector;
	double last_print;      /* elapsed_s of the last line */
	char last[256];         /* the last line's gist, not repeated */
};

/* The callback of struct fx_snap_run (ctx: struct fx_cmd_snap_ctx). */
void fx_cmd_snapshot_progress(void *ctx, const struct fx_snap_progress *p,
			      const struct fx_snap_tick *t);
/* Fills k from the pool (brokers joined into *brokers, which the caller releases). */
void fx_cmd_snapshot_kafka(const struct fx_kafka_pool *kp, int timeout_s, struct fx_buf *brokers,
			   struct fx_snap_kafka *k);
/* {"tables":[...],"status":..,"rows":..,"id":..,"sent":..,"elapsed_s":..[,"reason":..]} */
json_t *fx_cmd_snapshot_json(const struct fx_snap_outcome *o);
/* The outcome's status word: completed, failed, timed out, interrupted, ... */
const char *fx_cmd_snapshot_status(const struct fx_snap_outcome *o);
/* "fluxa.A: ABORTED (...); fluxa.B: NO_PRIMARY_KEY" for the failed tables, into b. */
void fx_cmd_snapshot_reasons(const struct fx_snap_outcome *o, struct fx_buf *b);

#endif
