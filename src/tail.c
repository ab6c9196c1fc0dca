/*
 * tail: the consume loop over librdkafka (see tail.h).
 *
 * Threads: this file's consume loop runs on the caller's thread and is the
 * only one that talks to librdkafka (poll, assignment, offsets, callbacks)
 * and the only one that writes output.  Workers only decode and render the
 * batches it hands them.  Batches live in a ring and are numbered: `head`
 * batches were handed out, workers took `next_work`, `tail` were written;
 * a batch is written only when all before it were, so output keeps the
 * order in which records were consumed.
 */
#include "tail.h"

#include <errno.h>
#include <inttypes.h>
#include <librdkafka/rdkafka.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "debezium.h"
#include "tail_end.h"
#include "typed.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/clock.h"

_Static_assert(FX_TAIL_OFFSET_COMMITTED == RD_KAFKA_OFFSET_INVALID,
	       "tail_end.c speaks librdkafka's offset for 'the committed one'");

#define TAIL_BATCH_MAX 512  /* records per batch */
#define TAIL_BATCH_BYTES (1 << 20) /* or this much key and value: big records, small batches */
#define TAIL_MAX_WORKERS 64
#define TAIL_IDLE_MS 100    /* poll wait with nothing to do: the SIGINT latency */
#define TAIL_WAKE_LOW 1024  /* records left in librdkafka's queue: fetch more */
#define TAIL_WAKE_MS 10     /* at most one fetcher wake-up per this, at first */

struct tail_part {
	int64_t stop_at;  /* -e: the high watermark when it was assigned */
	int known;        /* stop_at was taken */
	int assigned;
	int started;      /* without a group: consume_start was called */
	int done;         /* -e: nothing more to print from it */
	int64_t next;     /* offset after the last record polled; -1 unknown */
};

/* A partition led by a broker: asking its offsets wakes that broker's thread. */
struct tail_nudge {
	const char *topic;
	int32_t partition;
	int32_t leader;
};

struct tail_topic {
	const char *name;
	const char *entity;
	const struct fx_typed_table *types;
	const rd_kafka_topic_t *rkt; /* the handle its messages carry, once seen */
	rd_kafka_topic_t *own;       /* without a group: the handle partitions started on */
	struct tail_part *parts;
	size_t n_parts;
	size_t alloc;
};

struct tail_mark {
	size_t end; /* output length after the event */
	size_t msg; /* its record in the batch */
};

struct tail_batch {
	rd_kafka_message_t *msgs[TAIL_BATCH_MAX];
	const char *entity[TAIL_BATCH_MAX];
	const struct fx_typed_table *types[TAIL_BATCH_MAX];
	size_t n;
	size_t bytes;
	struct fx_buf out;
	struct fx_buf errs;
	struct tail_mark *marks;  /* per printed event */
	size_t n_marks;
	size_t marks_alloc;
	struct tail_mark *bads;   /* per bad record, into errs */
	size_t n_bads;
	size_t bads_alloc;
	uint64_t filtered;
	int oom;
	int done; /* under tail.mu */
};

struct tail {
	const struct fx_tail_opts *o;
	int timeout_ms;     /* o->net's, for metadata and offset queries */
	struct fx_tail_stats *st;
	rd_kafka_t *rk;
	rd_kafka_queue_t *queue; /* without a group: where every partition's records go */
	struct tail_topic *topics;
	size_t n_topics;
	size_t parts_open;  /* assigned partitions not done (-e) */
	int assigned_once;
	int finished;       /* -c reached, or output failed */
	int write_failed;
	int fatal;
	double down_since;  /* all brokers down since (monotonic s); 0 while up */
	struct fx_err setup_err; /* from the rebalance callback */
	int setup_failed;
	char last_error[512];
	char shown_error[512];

	pthread_mutex_t mu;
	pthread_cond_t work_cv;
	pthread_cond_t done_cv;
	struct tail_batch *ring;  /* batches in flight: two per worker, and some */
	size_t n_ring;
	uint64_t head;
	uint64_t next_work;
	uint64_t tail;
	int quit;
	pthread_t *threads;
	int n_threads;
	int sync_ready;

	/* the fetcher's wake-up (see tail_waker) */
	struct tail_nudge *nudges;
	size_t n_nudges;
	size_t nudges_alloc;
	rd_kafka_queue_t *consumer_queue; /* with a group: what rd_kafka_consumer_poll reads */
	pthread_t waker;
	int waker_started;
	pthread_cond_t wake_cv;
	int wake_req;
	struct timespec last_wake;
	long wake_every_ms;
	uint64_t consumed_at_wake;
};

/*
 * librdkafka ends a connection error with "(after Nms in state S)": the state
 * the connection was in and for how long.  0 when absent.
 */
static int tail_conn_state(const char *msg, long *ms, char *state, size_t size)
{
	const char *p = strstr(msg, "(after ");
	char *end;
	size_t n;

	if (!p)
		return 0;
	*ms = strtol(p + 7, &end, 10);
	if (end == p + 7 || strncmp(end, "ms in state ", 12))
		return 0;
	end += 12;
	n = strspn(end, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_");
	if (!n || n >= size)
		return 0;
	memcpy(state, end, n);
	state[n] = '\0';
	return 1;
}

#define TAIL_HINT_PROTOCOL "the broker may expect TLS or SASL: check security.protocol in the kafka pool's config or with -X"
#define TAIL_HINT_DOWN "check the kafka pool's brokers in the manifest (or -X bootstrap.servers=...) and that the broker is up"

const char *fx_tail_hint(const char *msg)
{
	char state[32];
	long ms = 0;
	int has_state = tail_conn_state(msg, &ms, state, sizeof(state));
	int closed = strstr(msg, "Disconnected") || strstr(msg, "Broken pipe") ||
		     strstr(msg, "reset by peer");

	if (strstr(msg, "SASL") || strstr(msg, "uthentication"))
		return "check security.protocol, sasl.mechanism, sasl.username and sasl.password in the kafka pool's config or with -X";
	/* a broker's SASL listener closes a connection that sends requests
	 * unauthenticated: Kafka 3.9 right at ApiVersion ("Disconnected while
	 * requesting ApiVersion"), Kafka 4.1 after it, at the first request
	 * ("Send failed: Broken pipe", or a reset, moments into state UP) */
	if (strstr(msg, "ApiVersion") || strstr(msg, "security.protocol"))
		return TAIL_HINT_PROTOCOL;
	if (strstr(msg, "SSL handshake") &&
	    (strstr(msg, "unexpected eof") || strstr(msg, "wrong version number")))
		return "the broker does not seem to speak TLS on this port: check security.protocol (PLAINTEXT or SASL_PLAINTEXT?) and the port of the kafka pool's brokers";
	if (strstr(msg, "SSL") || strstr(msg, "certificate"))
		return "check ssl.ca.location (and ssl.certificate.location, ssl.key.location) and security.protocol=SSL or SASL_SSL in the kafka pool's config or with -X";
	/* nothing listens there, or no such host: the broker is down or misnamed */
	if (strstr(msg, "refused") || strstr(msg, "resolve") || strstr(msg, "not known") ||
	    strstr(msg, "brokers are down") || strstr(msg, "timed out") || strstr(msg, "Timed out"))
		return TAIL_HINT_DOWN;
	if (!closed)
		return NULL;
	if (has_state && strcmp(state, "UP"))
		return TAIL_HINT_PROTOCOL;    /* closed while being set up */
	if (has_state && ms >= 1000)          /* a working connection lost: a shutdown */
		return "the broker closed a working connection: it was stopped or restarted, or the network dropped; tail reconnects by itself (tail -e gives up after --timeout); check that the broker is up";
	if (has_state)
		return "the broker closed the connection as soon as it was up: it may expect SASL (check security.protocol in the kafka pool's config or with -X), or it is shutting down";
	return "the connection to the broker was closed: check that it is up; if this happens at every start, it may expect TLS or SASL (security.protocol)";
}

static void tail_error_cb(rd_kafka_t *rk, int e, const char *reason, void *opaque)
{
	struct tail *t = opaque;

	(void)rk;
	/* called from the polling thread (rd_kafka_poll in tail_poll) */
	/* trouble since: librdkafka says "all brokers down" once per outage, or
	 * not at all while a broker flaps between reconnects; a lost connection
	 * counts too */
	if ((e == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN || e == RD_KAFKA_RESP_ERR__TRANSPORT) &&
	    !t->down_since)
		t->down_since = fx_clock_now();
	/* "1/1 brokers are down" follows the error that says why: keep that one */
	if (e == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN && t->last_error[0])
		return;
	snprintf(t->last_error, sizeof(t->last_error), "%s", reason);
	if (e == RD_KAFKA_RESP_ERR__FATAL)
		t->fatal = 1;
}

static void tail_log_cb(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
	struct tail *t = rd_kafka_opaque(rk);

	if (t && t->o->verbose >= 2 && level <= 6)
		fprintf(t->o->errs, "fluxacdc: librdkafka: %s: %s\n", fac, buf);
}

/* Reports librdkafka's latest complaint once, with a hint. */
static void tail_show_error(struct tail *t)
{
	const char *hint;

	if (!t->last_error[0] || !strcmp(t->last_error, t->shown_error))
		return;
	snprintf(t->shown_error, sizeof(t->shown_error), "%s", t->last_error);
	hint = fx_tail_hint(t->last_error);
	fprintf(t->o->errs, "fluxacdc: warning: kafka: %s%s%s\n", t->last_error,
		hint ? "\nhint: " : "", hint ? hint : "");
	fflush(t->o->errs);
}

static int tail_kafka_error(struct tail *t, struct fx_err *err, const char *what,
			    const char *detail)
{
	const char *msg = t->last_error[0] ? t->last_error : detail;
	const char *hint = fx_tail_hint(msg);

	return fx_err_set(err, FX_EXIT_FAILURE, "tail: %s (brokers %s): %s%s%s", what,
			  t->o->brokers, msg, hint ? "\nhint: " : "", hint ? hint : "");
}

static struct tail_topic *tail_topic_named(struct tail *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->n_topics; i++)
		if (!strcmp(t->topics[i].name, name))
			return &t->topics[i];
	return NULL;
}

static struct tail_part *tail_part_at(struct tail_topic *tp, int32_t partition)
{
	size_t n = (size_t)partition + 1, i;

	if (partition < 0)
		return NULL;
	if (n > tp->n_parts) {
		if (fx_grow(&tp->parts, &tp->alloc, n, sizeof(*tp->parts)) < 0)
			return NULL;
		for (i = tp->n_parts; i < n; i++) {
			memset(&tp->parts[i], 0, sizeof(tp->parts[i]));
			tp->parts[i].next = -1;
		}
		tp->n_parts = n;
	}
	return &tp->parts[partition];
}

/* The partition state of a message (the topic handle is cached). */
static struct tail_part *tail_part_of(struct tail *t, const rd_kafka_message_t *m,
				      struct tail_topic **tpp)
{
	size_t i;

	*tpp = NULL;
	for (i = 0; i < t->n_topics; i++)
		if (t->topics[i].rkt == m->rkt)
			break;
	if (i == t->n_topics) {
		struct tail_topic *tp = tail_topic_named(t, rd_kafka_topic_name(m->rkt));

		if (!tp)
			return NULL;
		tp->rkt = m->rkt;
		i = (size_t)(tp - t->topics);
	}
	*tpp = &t->topics[i];
	return tail_part_at(&t->topics[i], m->partition);
}

static void tail_pause(struct tail *t, const char *topic, int32_t partition)
{
	rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(1);

	rd_kafka_topic_partition_list_add(l, topic, partition);
	rd_kafka_pause_partitions(t->rk, l);
	rd_kafka_topic_partition_list_destroy(l);
}

static void tail_part_done(struct tail *t, struct tail_part *p, const char *topic,
			   int32_t partition)
{
	if (p->done)
		return;
	p->done = 1;
	if (p->assigned) {
		t->parts_open--;
		tail_pause(t, topic, partition);
	}
}

/*
 * Sets each partition's start offset in list as asked, and takes its high
 * watermark for -e.  Returns 0 or -1 with err.
 */
static int tail_prepare(struct tail *t, rd_kafka_topic_partition_list_t *list,
			struct fx_err *err)
{
	const struct fx_tail_opts *o = t->o;
	rd_kafka_topic_partition_list_t *times = NULL;
	rd_kafka_resp_err_t e;
	int i, ret = 0;

	if (o->start == FX_TAIL_FROM_TIME) {
		times = rd_kafka_topic_partition_list_copy(list);
		for (i = 0; i < times->cnt; i++)
			times->elems[i].offset = o->start_value;
		e = rd_kafka_offsets_for_times(t->rk, times, t->timeout_ms);
		if (e) {
			ret = tail_kafka_error(t, err, "cannot look offsets up by time",
					       rd_kafka_err2str(e));
			goto cleanup;
		}
	}
	for (i = 0; i < list->cnt; i++) {
		rd_kafka_topic_partition_t *el = &list->elems[i];
		struct tail_topic *tp = tail_topic_named(t, el->topic);
		struct tail_part *p = tp ? tail_part_at(tp, el->partition) : NULL;
		int64_t lo = 0, hi = 0, start;

		if (!p) {
			ret = fx_err_set(err, FX_EXIT_FAILURE, "tail: out of memory");
			goto cleanup;
		}
		e = rd_kafka_query_watermark_offsets(t->rk, el->topic, el->partition, &lo, &hi,
						     t->timeout_ms);
		if (e) {
			char what[300];

			snprintf(what, sizeof(what), "cannot read the offsets of %s[%" PRId32 "]",
				 el->topic, el->partition);
			ret = tail_kafka_error(t, err, what, rd_kafka_err2str(e));
			goto cleanup;
		}
		start = fx_tail_start_offset(o->start, o->start_value, o->group != NULL, lo, hi,
					     times && !times->elems[i].err ? times->elems[i].offset : -1);
		el->offset = start;
		if (start >= 0)
			p->next = start;
		if (!p->known) {
			p->known = 1;
			p->stop_at = hi;
		}
		if (o->verbose)
			fprintf(o->errs, "fluxacdc: tail: %s[%" PRId32 "] offsets %" PRId64 "..%" PRId64
				", start %s%" PRId64 "\n", el->topic, el->partition, lo, hi,
				start == RD_KAFKA_OFFSET_INVALID ? "at the committed offset " : "",
				start == RD_KAFKA_OFFSET_INVALID ? (int64_t)0 : start);
		if (!p->assigned) {
			p->assigned = 1;
			if (!p->done)
				t->parts_open++;
		}
		/* an empty range is done at once: low == high, or starting at the end */
		if (o->exit_at_end && fx_tail_at_end(p->known, p->stop_at, start) && !p->done) {
			p->done = 1;
			t->parts_open--;
		}
	}
	t->assigned_once = 1;
cleanup:
	if (times)
		rd_kafka_topic_partition_list_destroy(times);
	return ret;
}

/* -e: no fetching for partitions with nothing left to print. */
static void tail_pause_done(struct tail *t, const rd_kafka_topic_partition_list_t *parts)
{
	int i;

	for (i = 0; i < parts->cnt; i++) {
		struct tail_topic *tp = tail_topic_named(t, parts->elems[i].topic);
		struct tail_part *p = tp ? tail_part_at(tp, parts->elems[i].partition) : NULL;

		if (p && p->done)
			tail_pause(t, parts->elems[i].topic, parts->elems[i].partition);
	}
}

static void tail_rebalance_cb(rd_kafka_t *rk, rd_kafka_resp_err_t e,
			      rd_kafka_topic_partition_list_t *parts, void *opaque)
{
	struct tail *t = opaque;
	int cooperative = !strcmp(rd_kafka_rebalance_protocol(rk), "COOPERATIVE"), i;

	if (e == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
		if (tail_prepare(t, parts, &t->setup_err) < 0)
			t->setup_failed = 1;
		if (cooperative)
			rd_kafka_error_destroy(rd_kafka_incremental_assign(rk, parts));
		else
			rd_kafka_assign(rk, parts);
		tail_pause_done(t, parts);
		return;
	}
	for (i = 0; i < parts->cnt; i++) {
		struct tail_topic *tp = tail_topic_named(t, parts->elems[i].topic);
		struct tail_part *p = tp ? tail_part_at(tp, parts->elems[i].partition) : NULL;

		if (p && p->assigned) {
			if (!p->done)
				t->parts_open--;
			p->assigned = 0;
		}
	}
	if (cooperative)
		rd_kafka_error_destroy(rd_kafka_incremental_unassign(rk, parts));
	else
		rd_kafka_assign(rk, NULL);
}

static int tail_set(rd_kafka_conf_t *conf, const char *k, const char *v, int code,
		    const char *where, struct fx_err *err)
{
	char errstr[512];

	if (rd_kafka_conf_set(conf, k, v, errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK)
		return fx_err_set(err, code, "tail: %s%s: %s", where, k, errstr);
	return 0;
}

static int tail_configure(struct tail *t, rd_kafka_conf_t *conf, struct fx_err *err)
{
	const struct fx_tail_opts *o = t->o;
	static const char *const defaults[][2] = {
		{ "client.id", "fluxacdc" },
		/* a responsive live tail: the broker answers a fetch within 100 ms */
		{ "fetch.wait.max.ms", "100" },
		/* bounded memory: prefetch at most 8 MB, fetch at most 4 MB at once */
		{ "queued.max.messages.kbytes", "8192" },
		{ "fetch.max.bytes", "4194304" },
	};
	size_t i;

	char socket_ms[24];

	for (i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
		if (tail_set(conf, defaults[i][0], defaults[i][1], FX_EXIT_FAILURE, "", err) < 0)
			return -1;
	/* a broker request unanswered for --timeout fails (librdkafka's default: 60 s) */
	snprintf(socket_ms, sizeof(socket_ms), "%d", t->timeout_ms);
	if (tail_set(conf, "socket.timeout.ms", socket_ms, FX_EXIT_FAILURE, "", err) < 0)
		return -1;
	if (tail_set(conf, "auto.offset.reset",
		     o->start == FX_TAIL_FROM_BEGINNING ? "earliest" : "latest", FX_EXIT_FAILURE,
		     "", err) < 0 ||
	    tail_set(conf, "bootstrap.servers", o->brokers, FX_EXIT_MANIFEST, "kafka pool ", err) < 0)
		return -1;
	for (i = 0; i < o->n_props; i++)
		if (tail_set(conf, o->props[i].key, o->props[i].value,
			     o->props[i].from_cli ? FX_EXIT_USAGE : FX_EXIT_MANIFEST,
			     o->props[i].from_cli ? "-X " : "kafka pool config ", err) < 0)
			return -1;
	/* what the loop relies on, whatever the user set */
	if (tail_set(conf, "enable.partition.eof", "true", FX_EXIT_FAILURE, "", err) < 0 ||
	    tail_set(conf, "enable.auto.offset.store", "false", FX_EXIT_FAILURE, "", err) < 0 ||
	    tail_set(conf, "enable.auto.commit", o->group && o->commit ? "true" : "false",
		     FX_EXIT_FAILURE, "", err) < 0 ||
	    tail_set(conf, "log.queue", "true", FX_EXIT_FAILURE, "", err) < 0)
		return -1;
	if (o->group && tail_set(conf, "group.id", o->group, FX_EXIT_FAILURE, "", err) < 0)
		return -1;
	rd_kafka_conf_set_opaque(conf, t);
	rd_kafka_conf_set_error_cb(conf, tail_error_cb);
	rd_kafka_conf_set_log_cb(conf, tail_log_cb);
	if (o->group)
		rd_kafka_conf_set_rebalance_cb(conf, tail_rebalance_cb);
	return 0;
}

/* Remembers one partition of each leader broker (see tail_waker). */
static int tail_nudge_add(struct tail *t, const char *topic,
			  const rd_kafka_metadata_partition_t *mp)
{
	size_t i;

	for (i = 0; i < t->n_nudges; i++)
		if (t->nudges[i].leader == mp->leader)
			return 0;
	if (fx_grow(&t->nudges, &t->nudges_alloc, t->n_nudges + 1, sizeof(*t->nudges)) < 0)
		return -1;
	t->nudges[t->n_nudges].topic = topic;
	t->nudges[t->n_nudges].partition = mp->id;
	t->nudges[t->n_nudges].leader = mp->leader;
	t->n_nudges++;
	return 0;
}

/*
 * Looks every topic up; those that do not exist are reported and dropped.
 * Fills list (assign mode: every partition) and counts the topics kept.
 */
static int tail_metadata(struct tail *t, rd_kafka_topic_partition_list_t *list, size_t *kept,
			 struct fx_err *err)
{
	size_t i;

	*kept = 0;
	for (i = 0; i < t->n_topics; i++) {
		rd_kafka_topic_t *rkt = rd_kafka_topic_new(t->rk, t->topics[i].name, NULL);
		const struct rd_kafka_metadata *md = NULL;
		rd_kafka_resp_err_t e;
		int k;

		if (!rkt)
			return fx_err_set(err, FX_EXIT_FAILURE, "tail: topic '%s': %s",
					  t->topics[i].name, rd_kafka_err2str(rd_kafka_last_error()));
		e = rd_kafka_metadata(t->rk, 0, rkt, &md, t->timeout_ms);
		rd_kafka_topic_destroy(rkt);
		if (e) {
			rd_kafka_poll(t->rk, 0); /* serve the error callbacks: they say why */
			return tail_kafka_error(t, err, "cannot reach Kafka", rd_kafka_err2str(e));
		}
		if (md->topic_cnt != 1 || md->topics[0].err || !md->topics[0].partition_cnt) {
			fprintf(t->o->errs,
				"fluxacdc: warning: tail: topic '%s' does not exist (yet): skipped; Debezium creates it with the table's first event\n",
				t->topics[i].name);
			t->topics[i].name = NULL;
		} else {
			(*kept)++;
			for (k = 0; list && k < md->topics[0].partition_cnt; k++)
				rd_kafka_topic_partition_list_add(list, t->topics[i].name,
								  md->topics[0].partitions[k].id);
			for (k = 0; k < md->topics[0].partition_cnt; k++)
				if (tail_nudge_add(t, t->topics[i].name, &md->topics[0].partitions[k]) < 0) {
					rd_kafka_metadata_destroy(md);
					return fx_err_set(err, FX_EXIT_FAILURE, "tail: out of memory");
				}
		}
		rd_kafka_metadata_destroy(md);
	}
	/* drop the missing ones */
	for (i = 0; i < t->n_topics;) {
		if (t->topics[i].name) {
			i++;
			continue;
		}
		memmove(&t->topics[i], &t->topics[i + 1], (t->n_topics - i - 1) * sizeof(*t->topics));
		t->n_topics--;
	}
	return 0;
}

/* ------------------------------------------------------------ decode workers */

static int tail_keep(const struct fx_tail_opts *o, const struct fx_event *ev)
{
	if (ev->tombstone)
		return !o->hide_tombstones && (!o->op_mask || (o->op_mask & FX_OP_MASK('d')));
	return !o->op_mask || (o->op_mask & FX_OP_MASK(ev->op));
}

static int tail_id_matches(const struct fx_tail_opts *o, const struct fx_event *ev,
			   struct fx_buf *scratch)
{
	fx_buf_reset(scratch);
	fx_debezium_id_text(ev, scratch);
	return scratch->len == strlen(o->id) && !memcmp(fx_buf_str(scratch), o->id, scratch->len);
}

static void tail_decode(const struct fx_tail_opts *o, struct tail_batch *b, struct fx_event *ev,
			struct fx_typer *ty, struct fx_buf *scratch)
{
	struct fx_err err = FX_ERR_INIT;
	size_t i;

	for (i = 0; i < b->n; i++) {
		const rd_kafka_message_t *m = b->msgs[i];
		struct fx_record_meta meta;
		rd_kafka_timestamp_type_t tstype;

		meta.topic = rd_kafka_topic_name(m->rkt);
		meta.partition = m->partition;
		meta.offset = m->offset;
		meta.timestamp_ms = rd_kafka_message_timestamp(m, &tstype);
		meta.entity = b->entity[i];
		if (ty)
			fx_typer_set_table(ty, b->types[i]);
		if (fx_debezium_decode_key_typed(ev, m->key, m->key_len, ty, &err) < 0)
			goto bad;
		/* --id on the key first: most records need no value parsing */
		if (o->id && ev->id.p && !tail_id_matches(o, ev, scratch)) {
			b->filtered++;
			continue;
		}
		if (fx_debezium_decode_value_typed(ev, m->payload, m->len, ty, &err) < 0)
			goto bad;
		if (!tail_keep(o, ev) || (o->id && !tail_id_matches(o, ev, scratch))) {
			b->filtered++;
			continue;
		}
		fx_render_event(&b->out, &o->render, &meta, ev);
		if (fx_grow(&b->marks, &b->marks_alloc, b->n_marks + 1, sizeof(*b->marks)) < 0) {
			b->oom = 1;
			return;
		}
		b->marks[b->n_marks].end = b->out.len;
		b->marks[b->n_marks].msg = i;
		b->n_marks++;
		continue;
bad:
		fx_buf_addf(&b->errs, "fluxacdc: tail: %s[%" PRId32 "]@%" PRId64 ": %s\n", meta.topic,
			    meta.partition, meta.offset, err.msg);
		if (fx_grow(&b->bads, &b->bads_alloc, b->n_bads + 1, sizeof(*b->bads)) < 0) {
			b->oom = 1;
			return;
		}
		b->bads[b->n_bads].end = b->errs.len;
		b->bads[b->n_bads].msg = i;
		b->n_bads++;
	}
	if (!fx_buf_ok(&b->out) || !fx_buf_ok(&b->errs))
		b->oom = 1;
}

static void *tail_worker(void *arg)
{
	struct tail *t = arg;
	struct fx_event ev = FX_EVENT_INIT;
	struct fx_buf scratch = FX_BUF_INIT;
	/* no memory for it: values as sent, which is still correct output */
	struct fx_typer *ty = t->o->raw ? NULL : fx_typer_new();

	pthread_mutex_lock(&t->mu);
	for (;;) {
		struct tail_batch *b;

		while (!t->quit && t->next_work == t->head)
			pthread_cond_wait(&t->work_cv, &t->mu);
		if (t->quit)
			break;
		b = &t->ring[t->next_work++ % t->n_ring];
		pthread_mutex_unlock(&t->mu);
		tail_decode(t->o, b, &ev, ty, &scratch);
		pthread_mutex_lock(&t->mu);
		b->done = 1;
		pthread_cond_signal(&t->done_cv);
	}
	pthread_mutex_unlock(&t->mu);
	fx_event_release(&ev);
	fx_buf_release(&scratch);
	fx_typer_free(ty);
	return NULL;
}

/* ------------------------------------------------------------ output */

static void tail_batch_reset(struct tail_batch *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		rd_kafka_message_destroy(b->msgs[i]);
	b->n = 0;
	b->bytes = 0;
	fx_buf_reset(&b->out);
	fx_buf_reset(&b->errs);
	b->n_marks = 0;
	b->n_bads = 0;
	b->filtered = 0;
	b->oom = 0;
	b->done = 0;
}

/* Stores the offsets of msgs[0..upto] for the group's next commit. */
static void tail_store(struct tail *t, struct tail_batch *b, size_t upto)
{
	rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(8);
	size_t i;

	for (i = 0; i <= upto && i < b->n; i++) {
		const rd_kafka_message_t *m = b->msgs[i];
		const char *topic = rd_kafka_topic_name(m->rkt);
		rd_kafka_topic_partition_t *el = rd_kafka_topic_partition_list_find(l, topic,
										    m->partition);

		if (!el)
			el = rd_kafka_topic_partition_list_add(l, topic, m->partition);
		el->offset = m->offset + 1;
	}
	if (l->cnt)
		rd_kafka_offsets_store(t->rk, l); /* a partition just revoked: nothing to keep */
	rd_kafka_topic_partition_list_destroy(l);
}

static int tail_put(struct tail *t, const char *p, size_t n)
{
	if (n && fwrite(p, 1, n, t->o->out) != n)
		return -1;
	return 0;
}

/* Writes a decoded batch; stops the run at -c or when the output fails. */
static void tail_write(struct tail *t, struct tail_batch *b)
{
	const struct fx_tail_opts *o = t->o;
	size_t events = b->n_marks, upto = b->out.len, last = b->n ? b->n - 1 : 0, i, from = 0;
	size_t bads = b->n_bads;
	int failed = 0;

	if (o->max_events && t->st->printed + events >= o->max_events) {
		/* -c: up to the last event wanted, and the bad records before it */
		events = (size_t)(o->max_events - t->st->printed);
		upto = events ? b->marks[events - 1].end : 0;
		last = events ? b->marks[events - 1].msg : 0;
		while (bads && (!events || b->bads[bads - 1].msg > last))
			bads--;
		t->finished = 1;
	}
	if (bads) {
		fwrite(b->errs.buf, 1, b->bads[bads - 1].end, o->errs);
		fflush(o->errs);
	}
	t->st->bad += bads;
	if (b->oom) {
		fprintf(o->errs, "fluxacdc: tail: out of memory: %zu records skipped\n", b->n);
		t->st->bad += b->n;
	}
	if (o->unbuffered) {
		for (i = 0; i < events && !failed; i++) {
			failed = tail_put(t, b->out.buf + from, b->marks[i].end - from) < 0 ||
				 fflush(o->out) != 0;
			from = b->marks[i].end;
		}
	} else {
		failed = tail_put(t, b->out.buf, upto) < 0 || fflush(o->out) != 0;
	}
	t->st->printed += events;
	t->st->filtered += b->filtered;
	if (failed) {
		t->write_failed = errno ? errno : EIO;
		t->finished = 1;
		return;
	}
	if (o->group && o->commit && b->n && (events || !t->finished))
		tail_store(t, b, last);
}

/* Writes every batch that is ready, in order; with wait_ms, waits for the next one first. */
static void tail_drain(struct tail *t, int wait_ms)
{
	pthread_mutex_lock(&t->mu);
	if (wait_ms && t->tail < t->head && !t->ring[t->tail % t->n_ring].done) {
		struct timespec ts;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_nsec += (long)wait_ms * 1000000L;
		ts.tv_sec += ts.tv_nsec / 1000000000L;
		ts.tv_nsec %= 1000000000L;
		pthread_cond_timedwait(&t->done_cv, &t->mu, &ts);
	}
	while (!t->finished && t->tail < t->head && t->ring[t->tail % t->n_ring].done) {
		struct tail_batch *b = &t->ring[t->tail % t->n_ring];

		pthread_mutex_unlock(&t->mu);
		tail_write(t, b);
		tail_batch_reset(b);
		pthread_mutex_lock(&t->mu);
		t->tail++;
	}
	pthread_mutex_unlock(&t->mu);
}

static void tail_dispatch(struct tail *t)
{
	pthread_mutex_lock(&t->mu);
	t->head++;
	pthread_cond_signal(&t->work_cv);
	pthread_mutex_unlock(&t->mu);
}

/* ------------------------------------------------------------ consume loop */

/* An event that is not a record: end of partition, or an error. */
static void tail_event(struct tail *t, const rd_kafka_message_t *m)
{
	struct tail_topic *tp;
	struct tail_part *p;

	if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
		/*
		 * The fetch position passed the end of the log: the only sure sign
		 * with compacted topics and transaction markers, where the last
		 * record's offset + 1 need not be the high watermark.
		 */
		p = m->rkt ? tail_part_of(t, m, &tp) : NULL;
		if (p && m->offset > p->next)
			p->next = m->offset;
		if (t->o->exit_at_end && p && fx_tail_at_end(p->known, p->stop_at, m->offset))
			tail_part_done(t, p, tp->name, m->partition);
		return;
	}
	snprintf(t->last_error, sizeof(t->last_error), "%s%s%s",
		 m->rkt ? rd_kafka_topic_name(m->rkt) : "", m->rkt ? ": " : "",
		 rd_kafka_message_errstr(m));
	tail_show_error(t);
}

/*
 * The fetcher's wake-up.  librdkafka 2.0 stops fetching a partition while
 * its queue is over queued.max.messages.kbytes and looks again only when
 * something wakes the broker's thread, else after a second: with a queue
 * small enough to keep memory bounded, a tail faster than that would wait
 * a second each time it emptied the queue (2.1 made that wait
 * fetch.queue.backoff.ms).  Asking a broker for a partition's offsets is a
 * request through that broker's thread, which then fetches again: this
 * thread does that, for one partition of each leader, when the loop finds
 * the queue nearly empty while the brokers hold more.
 */
static void *tail_waker(void *arg)
{
	struct tail *t = arg;
	size_t i;

	pthread_mutex_lock(&t->mu);
	for (;;) {
		while (!t->quit && !t->wake_req)
			pthread_cond_wait(&t->wake_cv, &t->mu);
		if (t->quit)
			break;
		t->wake_req = 0;
		pthread_mutex_unlock(&t->mu);
		/* offsets_for_times, not query_watermark_offsets: librdkafka before
		 * 2.3.0 waits in the latter without end while the broker is down
		 * (librdkafka #2588), and tail's exit joins this thread */
		for (i = 0; i < t->n_nudges; i++) {
			rd_kafka_topic_partition_list_t *one = rd_kafka_topic_partition_list_new(1);

			if (!one)
				continue;
			rd_kafka_topic_partition_list_add(one, t->nudges[i].topic,
							  t->nudges[i].partition)->offset =
				RD_KAFKA_OFFSET_END;
			rd_kafka_offsets_for_times(t->rk, one, 1000);
			rd_kafka_topic_partition_list_destroy(one);
		}
		pthread_mutex_lock(&t->mu);
	}
	pthread_mutex_unlock(&t->mu);
	return NULL;
}

/* Some partition has records on the broker past what was polled. */
static int tail_fetch_pending(struct tail *t)
{
	size_t i, k;

	for (i = 0; i < t->n_topics; i++)
		for (k = 0; k < t->topics[i].n_parts; k++) {
			const struct tail_part *p = &t->topics[i].parts[k];
			int64_t lo, hi;

			if (p->assigned && !p->done && p->next >= 0 &&
			    !rd_kafka_get_watermark_offsets(t->rk, t->topics[i].name, (int32_t)k,
							    &lo, &hi) && hi > p->next)
				return 1;
		}
	return 0;
}

static void tail_maybe_wake(struct tail *t)
{
	rd_kafka_queue_t *q = t->queue ? t->queue : t->consumer_queue;
	struct timespec now;
	long ms;

	if (!t->waker_started || !q || rd_kafka_queue_length(q) >= TAIL_WAKE_LOW)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (now.tv_sec - t->last_wake.tv_sec) * 1000 +
	     (now.tv_nsec - t->last_wake.tv_nsec) / 1000000;
	if (ms < t->wake_every_ms || !tail_fetch_pending(t))
		return;
	/*
	 * Nothing came since the last wake-up (records the broker cannot hand
	 * out yet, such as an open transaction's): ask less and less often.
	 */
	if (t->st->consumed == t->consumed_at_wake)
		t->wake_every_ms = t->wake_every_ms * 2 > 1000 ? 1000 : t->wake_every_ms * 2;
	else
		t->wake_every_ms = TAIL_WAKE_MS;
	t->consumed_at_wake = t->st->consumed;
	t->last_wake = now;
	pthread_mutex_lock(&t->mu);
	t->wake_req = 1;
	pthread_cond_signal(&t->wake_cv);
	pthread_mutex_unlock(&t->mu);
}

/*
 * Up to max records (or events) into msgs: what is ready now, else waits
 * up to timeout_ms for one.
 */
static size_t tail_poll(struct tail *t, rd_kafka_message_t **msgs, size_t max, int timeout_ms)
{
	rd_kafka_message_t *m;
	ssize_t n;

	if (!t->queue) {
		m = rd_kafka_consumer_poll(t->rk, timeout_ms); /* serves the callbacks too */
		if (!m)
			return 0;
		msgs[0] = m;
		return 1;
	}
	rd_kafka_poll(t->rk, 0); /* error and log callbacks */
	n = rd_kafka_consume_batch_queue(t->queue, 0, msgs, max);
	if (n > 0)
		return (size_t)n;
	if (!timeout_ms)
		return 0;
	m = rd_kafka_consume_queue(t->queue, timeout_ms);
	if (!m)
		return 0;
	msgs[0] = m;
	return 1;
}

/*
 * Keeps the records of msgs[0..n) that are to be printed, in order, and
 * handles the rest (events, records past the -e watermark).  Returns how
 * many were kept.
 */
static size_t tail_sift(struct tail *t, struct tail_batch *b, size_t from, size_t n)
{
	size_t i, kept = from;

	for (i = from; i < from + n; i++) {
		rd_kafka_message_t *m = b->msgs[i];
		struct tail_topic *tp;
		struct tail_part *p;

		if (m->err) {
			tail_event(t, m);
			rd_kafka_message_destroy(m);
			continue;
		}
		p = tail_part_of(t, m, &tp);
		if (p)
			p->next = m->offset + 1;
		if (t->o->exit_at_end && p && p->known &&
		    (p->done || fx_tail_at_end(p->known, p->stop_at, m->offset))) {
			/* past the watermark taken at start */
			tail_part_done(t, p, tp->name, m->partition);
			rd_kafka_message_destroy(m);
			continue;
		}
		t->st->consumed++;
		b->bytes += m->len + m->key_len;
		b->entity[kept] = tp ? tp->entity : NULL;
		b->types[kept] = tp ? tp->types : NULL;
		b->msgs[kept++] = m;
	}
	return kept - from;
}

/* Kafka answers a metadata request (brokers, known topics) within --timeout. */
static int tail_kafka_answers(struct tail *t)
{
	const struct rd_kafka_metadata *md = NULL;
	rd_kafka_resp_err_t e = rd_kafka_metadata(t->rk, 0, NULL, &md, t->timeout_ms);

	if (md)
		rd_kafka_metadata_destroy(md);
	return e == RD_KAFKA_RESP_ERR_NO_ERROR;
}

static int tail_loop(struct tail *t, struct fx_err *err)
{
	const struct fx_tail_opts *o = t->o;
	struct tail_batch *b = NULL;

	for (;;) {
		uint64_t inflight;
		size_t n;

		if (fx_net_interrupted(o->net)) {
			t->st->interrupted = 1;
			break;
		}
		tail_show_error(t); /* broker trouble while tailing: once per distinct message */
		tail_drain(t, 0);
		if (t->finished)
			break;
		if (t->fatal)
			return tail_kafka_error(t, err, "fatal Kafka error", "fatal error");
		/* -e promises an end: trouble for longer than --timeout, then no
		 * answer to a metadata request within --timeout, is one, with the
		 * reason.  (Records still coming prove nothing: they may have been
		 * fetched before the outage.)  Without -e tail says so once and goes
		 * on when Kafka returns. */
		if (o->exit_at_end && t->down_since &&
		    fx_clock_now() - t->down_since > t->timeout_ms / 1000.0) {
			if (!tail_kafka_answers(t))
				return tail_kafka_error(t, err,
							"Kafka unreachable for longer than --timeout before tail -e reached the end",
							"all brokers are down");
			t->down_since = 0;
		}
		if (t->setup_failed) {
			*err = t->setup_err;
			return -1;
		}
		inflight = t->head - t->tail;
		if (o->exit_at_end && t->assigned_once && !t->parts_open && !(b && b->n)) {
			if (!inflight)
				break;
			tail_drain(t, TAIL_IDLE_MS);
			continue;
		}
		if (!b) {
			if (inflight >= t->n_ring) {
				tail_drain(t, TAIL_IDLE_MS);
				continue;
			}
			b = &t->ring[t->head % t->n_ring];
		}
		n = tail_poll(t, b->msgs + b->n, TAIL_BATCH_MAX - b->n,
			      b->n || inflight ? 0 : TAIL_IDLE_MS);
		tail_maybe_wake(t);
		if (!n) {
			if (b->n) {
				tail_dispatch(t);
				b = NULL;
			} else if (inflight) {
				tail_drain(t, 5);
			}
			continue;
		}
		b->n += tail_sift(t, b, b->n, n);
		if (b->n == TAIL_BATCH_MAX || b->bytes >= TAIL_BATCH_BYTES) {
			tail_dispatch(t);
			b = NULL;
		}
	}
	if (b)
		tail_batch_reset(b); /* polled, never handed out */
	if (fx_net_interrupted(o->net))
		t->st->interrupted = 1; /* a write cut short by the signal is no error */
	else if (t->write_failed && t->write_failed != EPIPE)
		return fx_err_set(err, FX_EXIT_FAILURE, "tail: cannot write the events: %s",
				  strerror(t->write_failed));
	return 0;
}

/*
 * Without a group: every partition read from its start offset into one
 * queue (librdkafka's simple consumer: no group id, nothing committed).
 */
static int tail_start_partitions(struct tail *t, rd_kafka_topic_partition_list_t *list,
				 struct fx_err *err)
{
	int i;

	if (tail_prepare(t, list, err) < 0)
		return -1;
	t->queue = rd_kafka_queue_new(t->rk);
	for (i = 0; i < list->cnt; i++) {
		const rd_kafka_topic_partition_t *el = &list->elems[i];
		struct tail_topic *tp = tail_topic_named(t, el->topic);
		struct tail_part *p = tail_part_at(tp, el->partition);

		if (!tp->own) {
			rd_kafka_topic_conf_t *tc = rd_kafka_topic_conf_new();
			char errstr[256];

			/* the simple consumer would commit by default */
			rd_kafka_topic_conf_set(tc, "auto.commit.enable", "false", errstr,
						sizeof(errstr));
			tp->own = rd_kafka_topic_new(t->rk, el->topic, tc);
			if (!tp->own)
				return tail_kafka_error(t, err, "cannot open a topic",
							rd_kafka_err2str(rd_kafka_last_error()));
			tp->rkt = tp->own;
		}
		if (p->done)
			continue; /* -e with nothing to read */
		if (rd_kafka_consume_start_queue(tp->own, el->partition, el->offset, t->queue) < 0)
			return tail_kafka_error(t, err, "cannot start consuming",
						rd_kafka_err2str(rd_kafka_last_error()));
		p->started = 1;
	}
	return 0;
}

static void tail_stop_partitions(struct tail *t)
{
	size_t i, k;

	for (i = 0; i < t->n_topics; i++) {
		struct tail_topic *tp = &t->topics[i];

		for (k = 0; tp->own && k < tp->n_parts; k++)
			if (tp->parts[k].started)
				rd_kafka_consume_stop(tp->own, (int32_t)k);
		if (tp->own)
			rd_kafka_topic_destroy(tp->own);
		tp->own = NULL;
	}
	if (t->queue)
		rd_kafka_queue_destroy(t->queue);
	t->queue = NULL;
}

static int tail_workers(const struct fx_tail_opts *o)
{
	long n = o->workers;

	if (n <= 0)
		n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		n = 1;
	return n > TAIL_MAX_WORKERS ? TAIL_MAX_WORKERS : (int)n;
}

static int tail_start_workers(struct tail *t, struct fx_err *err)
{
	pthread_condattr_t ca;
	int i, e, n = tail_workers(t->o);

	t->n_ring = 2 * (size_t)n + 4;
	t->ring = fx_calloc(t->n_ring, sizeof(*t->ring));
	t->threads = fx_calloc((size_t)n, sizeof(*t->threads));
	if (!t->ring || !t->threads)
		return fx_err_set(err, FX_EXIT_FAILURE, "tail: out of memory");
	pthread_mutex_init(&t->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&t->done_cv, &ca);
	pthread_condattr_destroy(&ca);
	pthread_cond_init(&t->work_cv, NULL);
	pthread_cond_init(&t->wake_cv, NULL);
	t->sync_ready = 1;
	if (pthread_create(&t->waker, NULL, tail_waker, t) == 0)
		t->waker_started = 1;
	for (i = 0; i < n; i++) {
		e = pthread_create(&t->threads[i], NULL, tail_worker, t);
		if (e)
			return fx_err_set(err, FX_EXIT_FAILURE, "tail: cannot start a decode thread: %s",
					  strerror(e));
		t->n_threads++;
	}
	return 0;
}

static void tail_stop_workers(struct tail *t)
{
	size_t i;
	int k;

	if (!t->sync_ready) {
		free(t->ring);
		free(t->threads);
		return;
	}
	pthread_mutex_lock(&t->mu);
	t->quit = 1;
	pthread_cond_broadcast(&t->work_cv);
	pthread_cond_broadcast(&t->wake_cv);
	pthread_mutex_unlock(&t->mu);
	for (k = 0; k < t->n_threads; k++)
		pthread_join(t->threads[k], NULL);
	if (t->waker_started)
		pthread_join(t->waker, NULL);
	for (i = 0; i < t->n_ring; i++) {
		tail_batch_reset(&t->ring[i]);
		fx_buf_release(&t->ring[i].out);
		fx_buf_release(&t->ring[i].errs);
		free(t->ring[i].marks);
		free(t->ring[i].bads);
	}
	free(t->ring);
	free(t->threads);
	pthread_cond_destroy(&t->work_cv);
	pthread_cond_destroy(&t->done_cv);
	pthread_cond_destroy(&t->wake_cv);
	pthread_mutex_destroy(&t->mu);
}

int fx_tail_run(const struct fx_tail_opts *o, struct fx_tail_stats *stats, struct fx_err *err)
{
	struct tail t;
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	rd_kafka_topic_partition_list_t *list = NULL;
	char errstr[512];
	size_t i, kept;
	int ret = -1;

	memset(&t, 0, sizeof(t));
	t.o = o;
	t.timeout_ms = (int)fx_net_timeout_ms(o->net);
	t.st = stats;
	t.wake_every_ms = TAIL_WAKE_MS;
	t.topics = fx_calloc(o->n_topics, sizeof(*t.topics));
	if (!t.topics || !conf) {
		fx_err_set(err, FX_EXIT_FAILURE, "tail: out of memory");
		goto cleanup;
	}
	for (i = 0; i < o->n_topics; i++) {
		t.topics[i].name = o->topics[i].topic;
		t.topics[i].entity = o->topics[i].entity;
		t.topics[i].types = o->topics[i].types;
	}
	t.n_topics = o->n_topics;
	if (tail_configure(&t, conf, err) < 0)
		goto cleanup;
	t.rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof(errstr));
	if (!t.rk) {
		fx_err_set(err, FX_EXIT_FAILURE, "tail: cannot create the Kafka consumer: %s", errstr);
		goto cleanup;
	}
	conf = NULL; /* the handle owns it now */
	rd_kafka_set_log_queue(t.rk, NULL);
	if (o->group) {
		rd_kafka_poll_set_consumer(t.rk);
		t.consumer_queue = rd_kafka_queue_get_consumer(t.rk);
	}

	list = rd_kafka_topic_partition_list_new(16);
	if (tail_metadata(&t, o->group ? NULL : list, &kept, err) < 0)
		goto cleanup;
	if (!kept) {
		fx_err_set(err, FX_EXIT_FAILURE,
			   "tail: none of the topics exists; is the connector running? (fluxacdc status)");
		goto cleanup;
	}
	if (tail_start_workers(&t, err) < 0)
		goto cleanup;
	if (o->group) {
		rd_kafka_topic_partition_list_t *sub = rd_kafka_topic_partition_list_new((int)t.n_topics);
		rd_kafka_resp_err_t e;

		for (i = 0; i < t.n_topics; i++)
			rd_kafka_topic_partition_list_add(sub, t.topics[i].name, RD_KAFKA_PARTITION_UA);
		e = rd_kafka_subscribe(t.rk, sub);
		rd_kafka_topic_partition_list_destroy(sub);
		if (e) {
			tail_kafka_error(&t, err, "cannot subscribe", rd_kafka_err2str(e));
			goto cleanup;
		}
	} else if (tail_start_partitions(&t, list, err) < 0) {
		goto cleanup;
	}
	ret = tail_loop(&t, err);
cleanup:
	tail_stop_workers(&t);
	if (list)
		rd_kafka_topic_partition_list_destroy(list);
	if (t.rk) {
		tail_stop_partitions(&t);
		if (t.consumer_queue)
			rd_kafka_queue_destroy(t.consumer_queue);
		if (o->group)
			rd_kafka_consumer_close(t.rk); /* commits what was stored, leaves the group */
		rd_kafka_destroy(t.rk);
	}
	if (conf)
		rd_kafka_conf_destroy(conf);
	for (i = 0; i < o->n_topics; i++)
		if (i < t.n_topics)
			free(t.topics[i].parts);
	free(t.topics);
	free(t.nudges);
	return ret;
}
