/*
 * snapshot_kafka: the librdkafka adapter of incremental snapshots.  One call,
 * fx_snapshot_kafka_run, is the whole unit: find whether this request's
 * signal is already in the connector's signal topic, else send it
 * (idempotent producer, acks=all, flushed with a bound), then follow the
 * notification topic from the offset taken before the signal until every
 * table's scan is done or failed, the wait bound passes, or the interrupt
 * flag is set.  It prints nothing: progress goes to a callback, the outcome
 * to struct fx_snap_outcome.  Self-contained (its own Kafka handles), so a
 * scheduler may run several at once.
 *
 * Ownership: everything in the option structs is lent for the call;
 * struct fx_snap_outcome owns its strings and progress
 * (fx_snap_outcome_release).
 */
#ifndef FX_SNAPSHOT_KAFKA_H
#define FX_SNAPSHOT_KAFKA_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "manifest.h"
#include "snapshot.h"
#include "util/err.h"

/* How to reach the Kafka pool: its brokers and its librdkafka config:, as tail uses them. */
struct fx_snap_kafka {
	const char *brokers;          /* comma-joined */
	const struct fx_kv *config;   /* the pool's config: (SASL, TLS), may be NULL */
	size_t n_config;
	int timeout_ms;               /* each metadata, offset or produce operation */
};

/* What the callback is told besides the progress. */
struct fx_snap_tick {
	const char *id;
	int sent;                     /* 1: this call sent the signal; 0: it was there already */
	double elapsed_s;             /* since the call started */
	double idle_s;                /* since the last notification that concerned us */
	int notification_topic_missing;
};

struct fx_snap_run {
	struct fx_snap_request req;
	const char *signal_topic;
	const char *notification_topic;
	int follow;                   /* 0: send and return */
	int wait_s;                   /* bound on following; <= 0: none */
	const volatile sig_atomic_t *interrupt;
	/* called after each change and about once a second while waiting; may be NULL */
	void (*progress)(void *ctx, const struct fx_snap_progress *p, const struct fx_snap_tick *t);
	void *progress_ctx;
};

struct fx_snap_outcome {
	char *id;
	int sent;
	int timed_out;
	int interrupted;
	double elapsed_s;
	struct fx_snap_progress progress;
};

#define FX_SNAP_OUTCOME_INIT { NULL, 0, 0, 0, 0, FX_SNAP_PROGRESS_INIT }

/*
 * 0 (also on a timeout or interrupt: see out), -1 with err when Kafka failed:
 * a metadata, offset or produce operation that did not answer within
 * timeout_ms, or, while following, Kafka unreachable for longer than
 * timeout_ms (as tail -e decides).  Every handle ends within timeout_ms
 * (its teardown is abandoned after that, or a second after an interrupt):
 * no group is joined, nothing is committed, a signal not acknowledged is
 * purged.
 */
int fx_snapshot_kafka_run(const struct fx_snap_kafka *k, const struct fx_snap_run *r,
			  struct fx_snap_outcome *out, struct fx_err *err);
void fx_snap_outcome_release(struct fx_snap_outcome *o);

/* Partitions of topic into *n (0: it does not exist). -1 with err when Kafka fails. */
int fx_snapshot_kafka_partitions(const struct fx_snap_kafka *k, const char *topic, int *n,
				 struct fx_err *err);

/*
 * The latest incremental snapshot reported on a notification topic (for
 * status): reads the last `tail` records of each partition and follows the
 * tables named by the newest STARTED.  *found 0 when there is none.
 */
int fx_snapshot_kafka_latest(const struct fx_snap_kafka *k, const char *topic, int64_t tail,
			     struct fx_snap_progress *out, int *found, struct fx_err *err);

#endif
