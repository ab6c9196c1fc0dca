#include "snapshot_kafka.h"

#include <librdkafka/rdkafka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/alloc.h"
#include "util/clock.h"

void fx_snap_outcome_release(struct fx_snap_outcome *o)
{
	free(o->id);
	fx_snapshot_progress_release(&o->progress);
	*o = (struct fx_snap_outcome)FX_SNAP_OUTCOME_INIT;
}

static double snapk_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int snapk_set(rd_kafka_conf_t *conf, const char *k, const char *v, struct fx_err *err)
{
	char errstr[512];

	if (rd_kafka_conf_set(conf, k, v, errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK)
		return fx_err_set(err, 1, "kafka config '%s': %s", k, errstr);
	return 0;
}

/*
 * Broker trouble as librdkafka reports it through its error callback, which
 * runs in the thread that calls rd_kafka_poll on the handle (each run has its
 * own handles, so no lock): since when all brokers are down, and the latest
 * complaint.
 */
struct snapk_health {
	double down_since; /* all brokers down, or a connection lost, since; 0 while fine */
	char last[256];
};

static void snapk_error_cb(rd_kafka_t *rk, int e, const char *reason, void *opaque)
{
	struct snapk_health *h = opaque;

	(void)rk;
	if (!h)
		return;
	if ((e == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN || e == RD_KAFKA_RESP_ERR__TRANSPORT) &&
	    !h->down_since)
		h->down_since = snapk_now();
	/* "1/1 brokers are down" follows the error that says why: keep that one */
	if (e == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN && h->last[0])
		return;
	snprintf(h->last, sizeof(h->last), "%s", reason ? reason : rd_kafka_err2str(e));
}

/*
 * A producer (idempotent, acks=all) or a consumer, from the pool.  The
 * consumer has no group: it reads partitions with librdkafka's simple
 * consumer (snapk_reader), so there is no group coordinator to find, join,
 * commit to or leave, all of which need the brokers.  h (may
 * be NULL) gets the broker trouble, through rd_kafka_poll.
 */
static rd_kafka_t *snapk_client(const struct fx_snap_kafka *k, rd_kafka_type_t type,
				struct snapk_health *h, struct fx_err *err)
{
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	char errstr[512];
	rd_kafka_t *rk;
	size_t i;

	if (!conf) {
		fx_err_set(err, 1, "out of memory");
		return NULL;
	}
	if (snapk_set(conf, "client.id", "fluxacdc-snapshot", err) < 0 ||
	    snapk_set(conf, "bootstrap.servers", k->brokers, err) < 0)
		goto fail;
	for (i = 0; i < k->n_config; i++)
		if (snapk_set(conf, k->config[i].key, k->config[i].value, err) < 0)
			goto fail;
	if (type == RD_KAFKA_PRODUCER) {
		if (snapk_set(conf, "enable.idempotence", "true", err) < 0 ||
		    snapk_set(conf, "acks", "all", err) < 0)
			goto fail;
	} else if (snapk_set(conf, "enable.auto.commit", "false", err) < 0 ||
		   /* the simple consumer's own (topic) setting: it would commit by default */
		   snapk_set(conf, "auto.commit.enable", "false", err) < 0 ||
		   snapk_set(conf, "enable.partition.eof", "false", err) < 0 ||
		   snapk_set(conf, "fetch.wait.max.ms", "200", err) < 0) {
		goto fail;
	}
	/* librdkafka's own log lines would go to stderr unredacted: errors come back through calls */
	rd_kafka_conf_set_log_cb(conf, NULL);
	if (h) {
		rd_kafka_conf_set_opaque(conf, h);
		rd_kafka_conf_set_error_cb(conf, snapk_error_cb);
	}
	rk = rd_kafka_new(type, conf, errstr, sizeof(errstr));
	if (!rk) {
		fx_err_set(err, 1, "kafka: %s", errstr);
		goto fail;
	}
	return rk;
fail:
	rd_kafka_conf_destroy(conf);
	return NULL;
}

/*
 * Partitions of one topic read into one queue with the simple consumer, as
 * tail does without a group: nothing joined, nothing committed.
 */
struct snapk_reader {
	rd_kafka_topic_t *rkt;
	rd_kafka_queue_t *q;
	int32_t *started;  /* the partitions started, to stop them */
	int n_started;
};

#define SNAPK_READER_INIT { .rkt = NULL, .q = NULL, .started = NULL, .n_started = 0 }

/* Stops what rd started (each consume_stop is answered by librdkafka's own
 * threads, with or without brokers) and releases it. */
static void snapk_read_stop(struct snapk_reader *rd)
{
	int i;

	for (i = 0; rd->rkt && i < rd->n_started; i++)
		rd_kafka_consume_stop(rd->rkt, rd->started[i]);
	if (rd->q)
		rd_kafka_queue_destroy(rd->q);
	if (rd->rkt)
		rd_kafka_topic_destroy(rd->rkt);
	free(rd->started);
	*rd = (struct snapk_reader)SNAPK_READER_INIT;
}

/* Starts reading each partition of l (one topic) from its offset, after
 * stopping what rd read before. */
static int snapk_read_start(rd_kafka_t *c, struct snapk_reader *rd,
			    const rd_kafka_topic_partition_list_t *l, struct fx_err *err)
{
	int i;

	snapk_read_stop(rd);
	if (!l->cnt)
		return 0;
	rd->rkt = rd_kafka_topic_new(c, l->elems[0].topic, NULL);
	rd->q = rd_kafka_queue_new(c);
	rd->started = fx_calloc((size_t)l->cnt, sizeof(*rd->started));
	if (!rd->rkt || !rd->q || !rd->started) {
		snapk_read_stop(rd);
		return fx_err_set(err, 1, "kafka: reading '%s': %s", l->elems[0].topic,
				  rd_kafka_err2str(rd_kafka_last_error()));
	}
	for (i = 0; i < l->cnt; i++) {
		if (rd_kafka_consume_start_queue(rd->rkt, l->elems[i].partition, l->elems[i].offset,
						 rd->q) < 0) {
			fx_err_set(err, 1, "kafka: reading '%s' [%d]: %s", l->elems[i].topic,
				   (int)l->elems[i].partition, rd_kafka_err2str(rd_kafka_last_error()));
			snapk_read_stop(rd);
			return -1;
		}
		rd->started[rd->n_started++] = l->elems[i].partition;
	}
	return 0;
}

/* The next record (or error) read, waiting at most ms; NULL when none. */
static rd_kafka_message_t *snapk_read(struct snapk_reader *rd, int ms)
{
	return rd->q ? rd_kafka_consume_queue(rd->q, ms) : NULL;
}

/*
 * The end of a handle, bounded: librdkafka's teardown (a reader's stop, a
 * producer's purge, rd_kafka_destroy) runs in a thread of its own and is
 * waited for at most ms, and at most a second once *interrupt is set.  A teardown
 * that does not end in time is left to finish (or not) on its own: the
 * handle is not used again, and the command ends.  An apply was once seen
 * hung in rd_kafka_destroy of the (then group) consumer after Kafka went
 * away, deaf to --wait and SIGTERM (issue 16); with no group it has not
 * happened again (test_snapshot_faults: each teardown took milliseconds),
 * and this bound keeps it so whatever librdkafka does.
 */
struct snapk_teardown {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	rd_kafka_t *rk;
	struct snapk_reader rd;
	int done;
	int abandoned; /* the waiter left: the thread frees this */
};

static void snapk_teardown_free(struct snapk_teardown *t)
{
	pthread_cond_destroy(&t->cv);
	pthread_mutex_destroy(&t->mu);
	free(t);
}

static void *snapk_teardown_run(void *arg)
{
	struct snapk_teardown *t = arg;
	int abandoned;

	snapk_read_stop(&t->rd);
	if (rd_kafka_type(t->rk) == RD_KAFKA_PRODUCER)
		/* what was not delivered is dropped, not waited for */
		rd_kafka_purge(t->rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
	/* no group, nothing to commit: no consumer close */
	rd_kafka_destroy_flags(t->rk, RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
	pthread_mutex_lock(&t->mu);
	t->done = 1;
	abandoned = t->abandoned;
	pthread_cond_signal(&t->cv);
	pthread_mutex_unlock(&t->mu);
	if (abandoned)
		snapk_teardown_free(t);
	return NULL;
}

/* Ends rk (and rd, read from it, may be NULL) within ms; 1 when it had to
 * be left behind. */
static int snapk_close(rd_kafka_t *rk, struct snapk_reader *rd, int ms,
		       const volatile sig_atomic_t *interrupt)
{
	struct snapk_teardown *t;
	double deadline = snapk_now() + ms / 1000.0;
	pthread_t tid;
	int left = 0;

	if (!rk)
		return 0;
	t = fx_calloc(1, sizeof(*t));
	if (t) {
		t->rk = rk;
		if (rd) {
			t->rd = *rd;
			*rd = (struct snapk_reader)SNAPK_READER_INIT;
		}
	}
	if (!t || pthread_mutex_init(&t->mu, NULL) != 0) {
		free(t);
		if (rd)
			snapk_read_stop(rd);
		rd_kafka_destroy_flags(rk, RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
		return 0;
	}
	pthread_cond_init(&t->cv, NULL);
	if (pthread_create(&tid, NULL, snapk_teardown_run, t) != 0) {
		snapk_teardown_run(t);
		snapk_teardown_free(t);
		return 0;
	}
	pthread_mutex_lock(&t->mu);
	while (!t->done) {
		struct timespec ts;

		/* interrupted: a second more at most, then the command goes */
		if (interrupt && *interrupt && snapk_now() + 1 < deadline)
			deadline = snapk_now() + 1;
		if (snapk_now() >= deadline) {
			t->abandoned = 1;
			left = 1;
			break;
		}
		/* the condition variable's clock is CLOCK_REALTIME: wait in short slices */
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 100000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&t->cv, &t->mu, &ts);
	}
	pthread_mutex_unlock(&t->mu);
	if (left) {
		pthread_detach(tid);
		return 1;
	}
	pthread_join(tid, NULL);
	snapk_teardown_free(t);
	return 0;
}

/* Partitions of topic (0 when it does not exist), -1 with err on a broker failure. */
static int snapk_partitions(rd_kafka_t *rk, const char *topic, int timeout_ms, struct fx_err *err)
{
	const struct rd_kafka_metadata *md = NULL;
	rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, topic, NULL);
	rd_kafka_resp_err_t e;
	int n = 0;

	if (!rkt)
		return fx_err_set(err, 1, "kafka: topic '%s': %s", topic,
				  rd_kafka_err2str(rd_kafka_last_error()));
	e = rd_kafka_metadata(rk, 0, rkt, &md, timeout_ms);
	rd_kafka_topic_destroy(rkt);
	if (e != RD_KAFKA_RESP_ERR_NO_ERROR)
		return fx_err_set(err, 1, "kafka: metadata of topic '%s': %s", topic, rd_kafka_err2str(e));
	if (md->topic_cnt == 1 && md->topics[0].err == RD_KAFKA_RESP_ERR_NO_ERROR)
		n = md->topics[0].partition_cnt;
	else if (md->topic_cnt == 1 && md->topics[0].err != RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART &&
		 md->topics[0].err != RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE) {
		e = md->topics[0].err;
		rd_kafka_metadata_destroy(md);
		return fx_err_set(err, 1, "kafka: topic '%s': %s", topic, rd_kafka_err2str(e));
	}
	rd_kafka_metadata_destroy(md);
	return n;
}

/* Creates the signal topic with one partition (Debezium reads partition 0 only). */
static int snapk_create_topic(rd_kafka_t *rk, const char *topic, int timeout_ms,
			      const volatile sig_atomic_t *interrupt, struct fx_err *err)
{
	char errstr[512];
	rd_kafka_NewTopic_t *nt = rd_kafka_NewTopic_new(topic, 1, -1, errstr, sizeof(errstr));
	rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
	rd_kafka_AdminOptions_t *ao = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS);
	rd_kafka_event_t *ev = NULL;
	int ret = -1;

	if (!nt || !q || !ao) {
		fx_err_set(err, 1, "kafka: cannot create topic '%s': %s", topic, nt ? "out of memory" : errstr);
		goto cleanup;
	}
	rd_kafka_AdminOptions_set_operation_timeout(ao, timeout_ms, errstr, sizeof(errstr));
	rd_kafka_AdminOptions_set_request_timeout(ao, timeout_ms, errstr, sizeof(errstr));
	rd_kafka_CreateTopics(rk, &nt, 1, ao, q);
	{
		double deadline = snapk_now() + timeout_ms / 1000.0 + 1;

		while (!ev && snapk_now() < deadline && !(interrupt && *interrupt))
			ev = rd_kafka_queue_poll(q, 200);
	}
	if (!ev && interrupt && *interrupt) {
		fx_err_set(err, FX_EXIT_INTERRUPTED, "interrupted");
		goto cleanup;
	}
	if (!ev) {
		fx_err_set(err, 1, "kafka: creating topic '%s' did not answer in %d ms", topic, timeout_ms);
		goto cleanup;
	}
	if (rd_kafka_event_error(ev)) {
		fx_err_set(err, 1, "kafka: creating topic '%s': %s", topic, rd_kafka_event_error_string(ev));
		goto cleanup;
	}
	{
		const rd_kafka_CreateTopics_result_t *res = rd_kafka_event_CreateTopics_result(ev);
		size_t cnt = 0;
		const rd_kafka_topic_result_t **tr = res ? rd_kafka_CreateTopics_result_topics(res, &cnt) : NULL;
		rd_kafka_resp_err_t e = cnt ? rd_kafka_topic_result_error(tr[0]) : RD_KAFKA_RESP_ERR_NO_ERROR;

		if (e != RD_KAFKA_RESP_ERR_NO_ERROR && e != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
			fx_err_set(err, 1, "kafka: creating topic '%s': %s (create it with one partition, or let fluxacdc's Kafka user create topics)",
				   topic, rd_kafka_topic_result_error_string(tr[0]) ?
				   rd_kafka_topic_result_error_string(tr[0]) : rd_kafka_err2str(e));
			goto cleanup;
		}
	}
	ret = 0;
cleanup:
	if (ev)
		rd_kafka_event_destroy(ev);
	if (ao)
		rd_kafka_AdminOptions_destroy(ao);
	if (q)
		rd_kafka_queue_destroy(q);
	if (nt)
		rd_kafka_NewTopic_destroy(nt);
	return ret;
}

/*
 * Reads the signal topic's partition 0 up to its end and looks for id.
 * *ts_ms gets the found record's timestamp (0 when not found).
 */
static int snapk_find_signal(rd_kafka_t *c, const char *topic, const char *id, int timeout_ms,
			     const volatile sig_atomic_t *interrupt, int64_t *ts_ms,
			     struct fx_err *err)
{
	struct snapk_reader rd = SNAPK_READER_INIT;
	int64_t lo = 0, hi = 0, next;
	rd_kafka_topic_partition_list_t *l = NULL;
	rd_kafka_resp_err_t e;
	double deadline;
	int ret = -1;

	*ts_ms = 0;
	e = rd_kafka_query_watermark_offsets(c, topic, 0, &lo, &hi, timeout_ms);
	if (e != RD_KAFKA_RESP_ERR_NO_ERROR)
		return fx_err_set(err, 1, "kafka: end offsets of '%s': %s", topic, rd_kafka_err2str(e));
	if (hi <= lo)
		return 0;
	l = rd_kafka_topic_partition_list_new(1);
	rd_kafka_topic_partition_list_add(l, topic, 0)->offset = lo;
	if (snapk_read_start(c, &rd, l, err) < 0)
		goto cleanup;
	next = lo;
	deadline = snapk_now() + timeout_ms / 1000.0 + 5;
	while (next < hi && snapk_now() < deadline) {
		rd_kafka_message_t *m;
		char *got;

		if (interrupt && *interrupt) {
			fx_err_set(err, FX_EXIT_INTERRUPTED, "interrupted");
			goto cleanup;
		}
		if (!(m = snapk_read(&rd, 200)))
			continue;
		if (m->err) {
			rd_kafka_message_destroy(m);
			continue;
		}
		next = m->offset + 1;
		got = fx_snapshot_signal_id_of(m->payload, m->len);
		if (got && !strcmp(got, id))
			*ts_ms = rd_kafka_message_timestamp(m, NULL);
		free(got);
		rd_kafka_message_destroy(m);
	}
	if (next < hi) {
		fx_err_set(err, 1, "kafka: could not read signal topic '%s' to its end (offset %lld of %lld)",
			   topic, (long long)next, (long long)hi);
		goto cleanup;
	}
	ret = 0;
cleanup:
	snapk_read_stop(&rd);
	if (l)
		rd_kafka_topic_partition_list_destroy(l);
	return ret;
}

/* Start offsets of every partition of topic: the end now, or the first at ts_ms when set. */
static rd_kafka_topic_partition_list_t *snapk_starts(rd_kafka_t *c, const char *topic, int n,
						     int64_t ts_ms, int timeout_ms, struct fx_err *err)
{
	rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(n > 0 ? n : 1);
	rd_kafka_resp_err_t e;
	int i;

	for (i = 0; i < n; i++) {
		int64_t lo = 0, hi = 0;

		if (ts_ms) {
			rd_kafka_topic_partition_list_add(l, topic, i)->offset = ts_ms;
			continue;
		}
		e = rd_kafka_query_watermark_offsets(c, topic, i, &lo, &hi, timeout_ms);
		if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
			fx_err_set(err, 1, "kafka: end offsets of '%s': %s", topic, rd_kafka_err2str(e));
			rd_kafka_topic_partition_list_destroy(l);
			return NULL;
		}
		rd_kafka_topic_partition_list_add(l, topic, i)->offset = hi;
	}
	if (ts_ms && n > 0) {
		e = rd_kafka_offsets_for_times(c, l, timeout_ms);
		if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
			fx_err_set(err, 1, "kafka: offsets of '%s' by time: %s", topic, rd_kafka_err2str(e));
			rd_kafka_topic_partition_list_destroy(l);
			return NULL;
		}
		for (i = 0; i < l->cnt; i++)
			if (l->elems[i].offset < 0) /* nothing at or after that time yet */
				l->elems[i].offset = RD_KAFKA_OFFSET_END;
	}
	return l;
}

/* Sends the signal and waits, at most timeout_ms and not past an interrupt,
 * until the broker acknowledged it. */
static int snapk_produce(rd_kafka_t *p, const struct fx_snap_run *r, const char *json,
			 int timeout_ms, struct fx_err *err)
{
	rd_kafka_resp_err_t e;
	double deadline = snapk_now() + timeout_ms / 1000.0;

	e = rd_kafka_producev(p, RD_KAFKA_V_TOPIC(r->signal_topic), RD_KAFKA_V_PARTITION(0),
			      RD_KAFKA_V_KEY(r->req.connector, strlen(r->req.connector)),
			      RD_KAFKA_V_VALUE((void *)json, strlen(json)),
			      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
	if (e != RD_KAFKA_RESP_ERR_NO_ERROR)
		return fx_err_set(err, 1, "kafka: sending the signal to '%s': %s", r->signal_topic,
				  rd_kafka_err2str(e));
	/* flushed in slices: an interrupt is seen within 200 ms */
	while (rd_kafka_outq_len(p) > 0 && snapk_now() < deadline) {
		if (r->interrupt && *r->interrupt)
			return fx_err_set(err, FX_EXIT_INTERRUPTED,
					  "interrupted before the signal to '%s' was acknowledged (it may still arrive)",
					  r->signal_topic);
		rd_kafka_flush(p, 200);
	}
	if (rd_kafka_outq_len(p) > 0)
		return fx_err_set(err, 1, "kafka: the signal to '%s' was not acknowledged within %d ms",
				  r->signal_topic, timeout_ms);
	return 0;
}

static void snapk_tick(const struct fx_snap_run *r, const struct fx_snap_outcome *out, double t0,
		       double last_change, int missing)
{
	struct fx_snap_tick t;

	if (!r->progress)
		return;
	t.id = out->id;
	t.sent = out->sent;
	t.elapsed_s = snapk_now() - t0;
	t.idle_s = snapk_now() - last_change;
	t.notification_topic_missing = missing;
	r->progress(r->progress_ctx, &out->progress, &t);
}

/*
 * Kafka has been unreachable (librdkafka's error callback) for longer than
 * timeout_ms and a metadata request within timeout_ms gets no answer either:
 * -1 with err.  Trouble that passed resets the clock.  As tail -e decides.
 */
static int snapk_outage(rd_kafka_t *c, struct snapk_health *h, const char *topic, int timeout_ms,
			const char *brokers, struct fx_err *err)
{
	struct fx_err probe = FX_ERR_INIT;

	rd_kafka_poll(c, 0); /* serves the error callback */
	if (!h->down_since || snapk_now() - h->down_since <= timeout_ms / 1000.0)
		return 0;
	if (snapk_partitions(c, topic, timeout_ms, &probe) >= 0) {
		h->down_since = 0;
		return 0;
	}
	return fx_err_set(err, 1,
			  "kafka: unreachable for longer than --timeout (%d s) while following the snapshot (brokers %s: %s); Debezium goes on with it once Kafka is back: 'fluxacdc status' shows its progress",
			  timeout_ms / 1000, brokers, h->last[0] ? h->last : probe.msg);
}

int fx_snapshot_kafka_run(const struct fx_snap_kafka *k, const struct fx_snap_run *r,
			  struct fx_snap_outcome *out, struct fx_err *err)
{
	struct snapk_health hc = { 0 }, hp = { 0 };
	struct snapk_reader rd = SNAPK_READER_INIT;
	rd_kafka_t *c = NULL, *p = NULL;
	rd_kafka_topic_partition_list_t *starts = NULL;
	char *json = NULL;
	double t0 = snapk_now(), last_change, last_tick = 0;
	int64_t sent_ts = 0;
	int nsig, nnote, ret = -1, tmo = k->timeout_ms > 0 ? k->timeout_ms : 10000;

	*out = (struct fx_snap_outcome)FX_SNAP_OUTCOME_INIT;
	last_change = t0;
	out->id = fx_snapshot_signal_id(&r->req);
	if (!out->id || fx_snapshot_progress_init(&out->progress, r->req.database, r->req.tables,
						  r->req.n_tables, err) < 0) {
		if (!out->id)
			fx_err_set(err, 1, "out of memory");
		goto cleanup;
	}
	c = snapk_client(k, RD_KAFKA_CONSUMER, &hc, err);
	if (!c)
		goto cleanup;
	nsig = snapk_partitions(c, r->signal_topic, tmo, err);
	if (nsig < 0)
		goto cleanup;
	if (nsig > 1) {
		fx_err_set(err, 1, "signal topic '%s' has %d partitions: Debezium reads partition 0 only; recreate it with one partition",
			   r->signal_topic, nsig);
		goto cleanup;
	}
	if (nsig == 1 && snapk_find_signal(c, r->signal_topic, out->id, tmo, r->interrupt, &sent_ts,
					   err) < 0)
		goto cleanup;
	/* where "since the signal" starts: the end now, or the old signal's time */
	nnote = snapk_partitions(c, r->notification_topic, tmo, err);
	if (nnote < 0)
		goto cleanup;
	starts = snapk_starts(c, r->notification_topic, nnote, sent_ts, tmo, err);
	if (!starts)
		goto cleanup;
	if (!sent_ts) {
		p = snapk_client(k, RD_KAFKA_PRODUCER, &hp, err);
		if (!p)
			goto cleanup;
		if (nsig == 0 && snapk_create_topic(p, r->signal_topic, tmo, r->interrupt, err) < 0)
			goto cleanup;
		json = fx_snapshot_signal_json(&r->req, out->id);
		if (!json) {
			fx_err_set(err, 1, "out of memory");
			goto cleanup;
		}
		if (snapk_produce(p, r, json, tmo, err) < 0)
			goto cleanup;
		out->sent = 1;
		/* the producer's part is over: end it now, not after the follow */
		snapk_close(p, NULL, tmo, r->interrupt);
		p = NULL;
	}
	if (!r->follow) {
		ret = 0;
		goto cleanup;
	}
	if (nnote > 0 && snapk_read_start(c, &rd, starts, err) < 0)
		goto cleanup;
	snapk_tick(r, out, t0, last_change, nnote == 0);
	while (!fx_snapshot_progress_finished(&out->progress)) {
		rd_kafka_message_t *m;
		double now = snapk_now();

		if (r->interrupt && *r->interrupt) {
			out->interrupted = 1;
			break;
		}
		if (r->wait_s > 0 && now - t0 >= r->wait_s) {
			out->timed_out = 1;
			break;
		}
		if (snapk_outage(c, &hc, r->notification_topic, tmo, k->brokers, err) < 0)
			goto cleanup;
		if (nnote == 0 && now - last_tick >= 1) {
			/* Debezium creates the topic with its first notification */
			nnote = snapk_partitions(c, r->notification_topic, tmo, err);
			if (nnote < 0)
				goto cleanup;
			if (nnote > 0) {
				int i;

				rd_kafka_topic_partition_list_destroy(starts);
				starts = rd_kafka_topic_partition_list_new(nnote);
				for (i = 0; i < nnote; i++)
					rd_kafka_topic_partition_list_add(starts, r->notification_topic, i)->offset =
						RD_KAFKA_OFFSET_BEGINNING;
				if (snapk_read_start(c, &rd, starts, err) < 0)
					goto cleanup;
			}
		}
		if (now - last_tick >= 1) {
			snapk_tick(r, out, t0, last_change, nnote == 0);
			last_tick = now;
		}
		if (!rd.q) { /* no notification topic yet: nothing to read */
			rd_kafka_poll(c, 250);
			continue;
		}
		m = snapk_read(&rd, 250);
		if (!m)
			continue;
		if (!m->err) {
			struct fx_notification n;
			struct fx_err perr = FX_ERR_INIT;

			if (fx_snapshot_notification_parse(m->payload, m->len, &n, &perr) == 0) {
				int ch = fx_snapshot_progress_feed(&out->progress, &n);

				fx_notification_release(&n);
				if (ch < 0) {
					rd_kafka_message_destroy(m);
					fx_err_set(err, 1, "out of memory");
					goto cleanup;
				}
				if (ch > 0) {
					last_change = snapk_now();
					snapk_tick(r, out, t0, last_change, 0);
				}
			}
		}
		rd_kafka_message_destroy(m);
	}
	ret = 0;
cleanup:
	/* an interrupt is an outcome, whatever it cut short (a probe of the brokers too) */
	if (ret < 0 && (err->code == FX_EXIT_INTERRUPTED || (r->interrupt && *r->interrupt))) {
		out->interrupted = 1;
		ret = 0;
	}
	out->elapsed_s = snapk_now() - t0;
	free(json);
	if (starts)
		rd_kafka_topic_partition_list_destroy(starts);
	snapk_close(c, &rd, tmo, r->interrupt);
	snapk_close(p, NULL, tmo, r->interrupt);
	return ret;
}

int fx_snapshot_kafka_latest(const struct fx_snap_kafka *k, const char *topic, int64_t tail,
			     struct fx_snap_progress *out, int *found, struct fx_err *err)
{
	rd_kafka_t *c = NULL;
	struct snapk_reader rd = SNAPK_READER_INIT;
	rd_kafka_topic_partition_list_t *l = NULL;
	struct fx_notification *notes = NULL;
	size_t n_notes = 0, alloc = 0, want = 0, i, start = 0;
	int64_t *ends = NULL;
	int np, j, ret = -1, tmo = k->timeout_ms > 0 ? k->timeout_ms : 10000;
	double deadline;

	*found = 0;
	*out = (struct fx_snap_progress)FX_SNAP_PROGRESS_INIT;
	c = snapk_client(k, RD_KAFKA_CONSUMER, NULL, err);
	if (!c)
		return -1;
	np = snapk_partitions(c, topic, tmo, err);
	if (np <= 0) {
		ret = np < 0 ? -1 : 0;
		goto cleanup;
	}
	l = rd_kafka_topic_partition_list_new(np);
	ends = fx_calloc((size_t)np, sizeof(*ends));
	if (!ends) {
		fx_err_set(err, 1, "out of memory");
		goto cleanup;
	}
	for (j = 0; j < np; j++) {
		int64_t lo = 0, hi = 0;
		rd_kafka_resp_err_t e = rd_kafka_query_watermark_offsets(c, topic, j, &lo, &hi, tmo);

		if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
			fx_err_set(err, 1, "kafka: end offsets of '%s': %s", topic, rd_kafka_err2str(e));
			goto cleanup;
		}
		ends[j] = hi;
		rd_kafka_topic_partition_list_add(l, topic, j)->offset = hi - tail > lo ? hi - tail : lo;
		if (hi > (hi - tail > lo ? hi - tail : lo))
			want++;
	}
	if (!want) {
		ret = 0;
		goto cleanup;
	}
	if (snapk_read_start(c, &rd, l, err) < 0)
		goto cleanup;
	deadline = snapk_now() + tmo / 1000.0;
	for (;;) {
		rd_kafka_message_t *m;
		int done = 1;

		for (j = 0; j < l->cnt; j++)
			if (l->elems[j].offset < ends[j])
				done = 0;
		if (done || snapk_now() > deadline)
			break;
		m = snapk_read(&rd, 200);
		if (!m)
			continue;
		if (!m->err && m->partition < np) {
			struct fx_notification n;
			struct fx_err perr = FX_ERR_INIT;

			l->elems[m->partition].offset = m->offset + 1;
			if (fx_snapshot_notification_parse(m->payload, m->len, &n, &perr) == 0) {
				if (n_notes == alloc &&
				    fx_grow(&notes, &alloc, n_notes + 1, sizeof(*notes)) < 0) {
					fx_notification_release(&n);
					rd_kafka_message_destroy(m);
					fx_err_set(err, 1, "out of memory");
					goto cleanup;
				}
				notes[n_notes++] = n;
			}
		}
		rd_kafka_message_destroy(m);
	}
	/* the newest incremental STARTED, then everything after it */
	for (i = n_notes; i-- > 0;)
		if (notes[i].incremental && notes[i].type == FX_NOTIF_STARTED) {
			start = i;
			*found = 1;
			break;
		}
	if (*found) {
		if (fx_snapshot_progress_init(out, NULL, (const char *const *)notes[start].collections,
					      notes[start].n_collections, err) < 0)
			goto cleanup;
		for (i = start; i < n_notes; i++)
			if (fx_snapshot_progress_feed(out, &notes[i]) < 0) {
				fx_err_set(err, 1, "out of memory");
				goto cleanup;
			}
	}
	ret = 0;
cleanup:
	for (i = 0; i < n_notes; i++)
		fx_notification_release(&notes[i]);
	free(notes);
	free(ends);
	if (l)
		rd_kafka_topic_partition_list_destroy(l);
	snapk_close(c, &rd, tmo, NULL);
	if (ret < 0)
		fx_snapshot_progress_release(out);
	return ret;
}

int fx_snapshot_kafka_partitions(const struct fx_snap_kafka *k, const char *topic, int *n,
				 struct fx_err *err)
{
	rd_kafka_t *c = snapk_client(k, RD_KAFKA_CONSUMER, NULL, err);
	int tmo = k->timeout_ms > 0 ? k->timeout_ms : 10000;

	*n = 0;
	if (!c)
		return -1;
	*n = snapk_partitions(c, topic, tmo, err);
	snapk_close(c, NULL, tmo, NULL);
	if (*n < 0) {
		*n = 0;
		return -1;
	}
	return 0;
}
