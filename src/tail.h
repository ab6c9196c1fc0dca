/*
 * tail: the librdkafka adapter behind `fluxacdc tail` (SPEC §5).
 *
 * One thread consumes: it assigns partitions at the asked start (or joins a
 * consumer group), keeps the end-of-partition accounting for -e, and cuts the
 * records it polls into batches.  Decode workers turn each batch into text
 * (debezium.c, render_event.c); batches are written out strictly in the order
 * they were consumed, so each partition's order is kept while all cores
 * decode.  Memory is bounded: librdkafka's prefetch queue is capped and a
 * fixed ring of batches is in flight.
 *
 * Everything in struct fx_tail_opts is lent for the duration of fx_tail_run.
 * Bad records and broker trouble are reported on opts->errs as they happen;
 * the call's own failure comes back in err.
 */
#ifndef FX_TAIL_H
#define FX_TAIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "net.h"
#include "render_event.h"
#include "util/err.h"

struct fx_typed_table;

/* A topic and the manifest entity it carries (NULL: none, use the table). */
struct fx_tail_topic {
	const char *topic;
	const char *entity;
	const struct fx_typed_table *types; /* its table's columns from the database, or NULL */
};

/* A librdkafka property; pool config first, then -X, later ones win. */
struct fx_tail_prop {
	const char *key;
	const char *value;
	int from_cli; /* -X (a bad one is a usage error) or the manifest (65) */
};

enum fx_tail_start {
	FX_TAIL_FROM_DEFAULT = 0, /* the end; a group's committed offsets */
	FX_TAIL_FROM_END,
	FX_TAIL_FROM_BEGINNING,
	FX_TAIL_FROM_OFFSET,      /* start_value: an absolute offset */
	FX_TAIL_FROM_LAST,        /* start_value: the last N of each partition */
	FX_TAIL_FROM_TIME,        /* start_value: ms since the epoch */
};

struct fx_tail_opts {
	const char *brokers;
	const struct fx_tail_prop *props;
	size_t n_props;
	const struct fx_tail_topic *topics;
	size_t n_topics;
	const char *group;          /* NULL: direct assignment, no group, no commits */
	int commit;                 /* with group: commit the offsets of what was written */
	enum fx_tail_start start;
	int64_t start_value;
	int exit_at_end;            /* -e: stop at the high watermarks taken at start */
	uint64_t max_events;        /* -c: stop after this many printed; 0 none */
	unsigned op_mask;           /* FX_OP_MASK bits; 0 all */
	const char *id;             /* --id; NULL all */
	int hide_tombstones;
	int raw;                    /* --raw: values exactly as sent, no typed decoding */
	struct fx_render_event_opts render;
	int unbuffered;             /* flush after each event, not each batch */
	int workers;                /* decode threads; 0: one per CPU */
	int verbose;
	FILE *out;                  /* events */
	FILE *errs;                 /* bad records, broker errors */
	/* net->timeout_s: metadata and offset queries, librdkafka's socket.timeout.ms;
	 * *net->interrupt non-zero: stop cleanly (the SIGINT flag).  May be NULL. */
	const struct fx_net *net;
};

struct fx_tail_stats {
	uint64_t consumed;          /* records read */
	uint64_t printed;
	uint64_t filtered;          /* hidden by --op, --id, --tombstones */
	uint64_t bad;               /* not Debezium change events */
	int interrupted;            /* stopped by SIGINT/SIGTERM */
};

#define FX_TAIL_STATS_INIT { .consumed = 0, .printed = 0, .filtered = 0, .bad = 0, .interrupted = 0 }

/*
 * Runs until -e is satisfied, -c events were printed, or *o->net->interrupt is set
 * by a signal handler (a clean stop: returns 0 with stats->interrupted).  Returns -1 with err on
 * a configuration error (code 64 or 65) or when Kafka cannot be used (1).
 */
int fx_tail_run(const struct fx_tail_opts *o, struct fx_tail_stats *stats, struct fx_err *err);

/*
 * What to look at when librdkafka reports msg (pure; its wording, not the
 * broker's address): a refused or lost connection points at the brokers and
 * whether they are up; a connection closed while it was being set up, at
 * security.protocol; TLS and SASL failures at their settings.  A static
 * string, or NULL when there is nothing useful to add.
 */
const char *fx_tail_hint(const char *msg);

#endif
