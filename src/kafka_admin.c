#include "kafka_admin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <librdkafka/rdkafka.h>

#include "util/alloc.h"
#include "util/buf.h"
#include "util/clock.h"

#define KA_MAX_TOPICS 16 /* offsets topics read at most */

void fx_kafka_facts_release(struct fx_kafka_facts *f)
{
	size_t i;

	free(f->error);
	for (i = 0; i < f->n_topics; i++) {
		free(f->topics[i].name);
		free(f->topics[i].retention_ms);
		free(f->topics[i].retention_bytes);
		free(f->topics[i].cleanup_policy);
	}
	free(f->topics);
	for (i = 0; i < f->n_offsets_topics; i++)
		free(f->offsets_topics[i]);
	free(f->offsets_topics);
	for (i = 0; i < f->n_leftover; i++) {
		free(f->leftover[i].connector);
		free(f->leftover[i].server);
		free(f->leftover[i].topic);
		fx_offsets_release(&f->leftover[i].offsets);
	}
	free(f->leftover);
	*f = (struct fx_kafka_facts)FX_KAFKA_FACTS_INIT;
}

static void ka_log_cb(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
	const struct fx_net *net = rd_kafka_opaque(rk);
	char line[600];

	if (level > 4) /* errors and warnings only */
		return;
	snprintf(line, sizeof(line), "kafka: %s: %s", fac, buf);
	fx_net_log(net, line);
}

static int ka_set(rd_kafka_conf_t *conf, const char *k, const char *v, struct fx_err *err)
{
	char errstr[512];

	if (rd_kafka_conf_set(conf, k, v, errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK)
		return fx_err_set(err, FX_EXIT_MANIFEST, "kafka pool: %s: %s", k, errstr);
	return 0;
}

static rd_kafka_t *ka_client(const struct fx_kafka_pool *pool, const struct fx_net *net,
			     struct fx_err *err)
{
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	struct fx_buf brokers = FX_BUF_INIT;
	char ms[24], errstr[512];
	rd_kafka_t *rk = NULL;
	size_t i;

	for (i = 0; i < pool->n_brokers; i++)
		fx_buf_addf(&brokers, "%s%s", i ? "," : "", pool->brokers[i]);
	snprintf(ms, sizeof(ms), "%ld", fx_net_timeout_ms(net));
	if (!conf || !fx_buf_ok(&brokers)) {
		fx_err_set(err, FX_EXIT_FAILURE, "out of memory");
		goto fail;
	}
	if (ka_set(conf, "bootstrap.servers", fx_buf_str(&brokers), err) < 0 ||
	    ka_set(conf, "client.id", "fluxacdc", err) < 0 ||
	    ka_set(conf, "socket.timeout.ms", ms, err) < 0 ||
	    ka_set(conf, "enable.partition.eof", "true", err) < 0 ||
	    ka_set(conf, "enable.auto.commit", "false", err) < 0 ||
	    /* a short read of a few partitions: no long polls, no lingering at exit */
	    ka_set(conf, "fetch.wait.max.ms", "10", err) < 0 ||
	    ka_set(conf, "topic.metadata.refresh.interval.ms", "-1", err) < 0)
		goto fail;
	for (i = 0; i < pool->n_config; i++)
		if (ka_set(conf, pool->config[i].key, pool->config[i].value, err) < 0)
			goto fail;
	rd_kafka_conf_set_opaque(conf, (void *)net);
	rd_kafka_conf_set_log_cb(conf, ka_log_cb);
	rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof(errstr));
	if (!rk) {
		fx_err_set(err, FX_EXIT_FAILURE, "kafka pool '%s': %s", pool->code, errstr);
		goto fail;
	}
	fx_buf_release(&brokers);
	return rk;
fail:
	if (conf)
		rd_kafka_conf_destroy(conf);
	fx_buf_release(&brokers);
	return NULL;
}

static const rd_kafka_metadata_topic_t *ka_topic(const struct rd_kafka_metadata *md,
						 const char *name)
{
	int i;

	for (i = 0; i < md->topic_cnt; i++)
		if (!strcmp(md->topics[i].topic, name) && !md->topics[i].err)
			return &md->topics[i];
	return NULL;
}

static int ka_is_offsets_topic(const char *name)
{
	size_t n = strlen(name);

	return n >= 7 && !strcmp(name + n - 7, "offsets") && strcmp(name, "__consumer_offsets");
}

/* DescribeConfigs of the topics of facts that exist: retention.ms, retention.bytes,
 * cleanup.policy.  Not answered is not an error (the checks then say less). */
static int ka_describe(rd_kafka_t *rk, const struct fx_net *net,
		       struct fx_kafka_topic_facts *out, size_t n_out, struct fx_err *err)
{
	char *names[64];
	size_t n = 0;
	rd_kafka_ConfigResource_t **res = NULL;
	rd_kafka_queue_t *q = NULL;
	rd_kafka_event_t *ev = NULL;
	rd_kafka_AdminOptions_t *opt = NULL;
	const rd_kafka_ConfigResource_t **got;
	size_t i, j, n_got = 0;
	int ret = -1;

	for (i = 0; i < n_out && n < 64; i++)
		if (out[i].exists)
			names[n++] = out[i].name;
	if (!n)
		return 0;
	res = fx_calloc(n, sizeof(*res));
	q = rd_kafka_queue_new(rk);
	opt = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS);
	if (!res || !q || !opt) {
		fx_err_set(err, FX_EXIT_FAILURE, "out of memory");
		goto cleanup;
	}
	rd_kafka_AdminOptions_set_request_timeout(opt, (int)fx_net_timeout_ms(net), NULL, 0);
	for (i = 0; i < n; i++)
		res[i] = rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, names[i]);
	rd_kafka_DescribeConfigs(rk, res, n, opt, q);
	ev = rd_kafka_queue_poll(q, (int)fx_net_timeout_ms(net) + 1000);
	if (!ev || rd_kafka_event_error(ev)) {
		ret = 0; /* configs unknown: not an error, the checks say less */
		goto cleanup;
	}
	got = rd_kafka_DescribeConfigs_result_resources(rd_kafka_event_DescribeConfigs_result(ev),
							 &n_got);
	for (i = 0; i < n_got; i++) {
		const rd_kafka_ConfigEntry_t **entries;
		size_t n_e, k;

		for (j = 0; j < n_out && strcmp(out[j].name, rd_kafka_ConfigResource_name(got[i])); j++)
			;
		if (j == n_out || rd_kafka_ConfigResource_error(got[i]))
			continue;
		entries = rd_kafka_ConfigResource_configs(got[i], &n_e);
		for (k = 0; k < n_e; k++) {
			const char *name = rd_kafka_ConfigEntry_name(entries[k]);
			const char *value = rd_kafka_ConfigEntry_value(entries[k]);
			char **dst = !strcmp(name, "retention.ms") ? &out[j].retention_ms :
				     !strcmp(name, "retention.bytes") ? &out[j].retention_bytes :
				     !strcmp(name, "cleanup.policy") ? &out[j].cleanup_policy : NULL;

			if (dst && value && !*dst && !(*dst = fx_strdup(value))) {
				fx_err_set(err, FX_EXIT_FAILURE, "out of memory");
				goto cleanup;
			}
		}
	}
	ret = 0;
cleanup:
	if (ev)
		rd_kafka_event_destroy(ev);
	for (i = 0; res && i < n; i++)
		if (res[i])
			rd_kafka_ConfigResource_destroy(res[i]);
	free(res);
	if (opt)
		rd_kafka_AdminOptions_destroy(opt);
	if (q)
		rd_kafka_queue_destroy(q);
	return ret;
}

/* The stored value of a key read from an offsets topic into l (NULL/empty: deleted). */
static int ka_leftover_value(struct fx_kafka_leftover *l, const char *topic, const char *v,
			     size_t len)
{
	struct fx_buf b = FX_BUF_INIT;
	struct fx_err e = FX_ERR_INIT;

	fx_offsets_release(&l->offsets);
	free(l->topic);
	l->topic = NULL;
	l->found = 0;
	if (!v || !len || (len == 4 && !memcmp(v, "null", 4)))
		return 0;
	fx_buf_adds(&b, "{\"offsets\":[{\"partition\":{\"server\":");
	{
		char *k = fx_offsets_topic_key("", l->server); /* ["",{"server":"..."}]: take its quoted server */
		const char *p = k ? strstr(k, "\"server\":") : NULL;

		if (!p) {
			free(k);
			fx_buf_release(&b);
			return -1;
		}
		fx_buf_add(&b, p + 9, strlen(p + 9) - 2);
		free(k);
	}
	fx_buf_adds(&b, "},\"offset\":");
	fx_buf_add(&b, v, len);
	fx_buf_adds(&b, "}]}");
	if (!fx_buf_ok(&b)) {
		fx_buf_release(&b);
		return -1;
	}
	/* a value that does not parse is still leftover offsets, shown as found */
	fx_offsets_parse(fx_buf_str(&b), b.len, &l->offsets, &e);
	fx_buf_release(&b);
	l->found = 1;
	l->topic = fx_strdup(topic);
	return l->topic ? 0 : -1;
}

/* Reads, for every asked key, its partition of topic up to the high watermark
 * (librdkafka's simple consumer: no group, nothing committed).  0 read, 1 not
 * read to the end (unknown), -1 OOM or interrupt. */
static int ka_read_offsets(rd_kafka_t *rk, const struct fx_net *net, const char *topic,
			   int partitions, char **keys, struct fx_kafka_facts *out, struct fx_err *err)
{
	rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, topic, NULL);
	rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
	int64_t *high = fx_calloc((size_t)partitions, sizeof(*high));
	int *want = fx_calloc((size_t)partitions, sizeof(*want));
	int *started = fx_calloc((size_t)partitions, sizeof(*started));
	double deadline = fx_clock_now() + 4.0 * (double)fx_net_timeout_ms(net) / 1000.0;
	size_t i, left = 0;
	int ret = -1;

	if (!rkt || !q || !high || !want || !started) {
		fx_err_set(err, FX_EXIT_FAILURE, "out of memory");
		goto cleanup;
	}
	for (i = 0; i < out->n_leftover; i++)
		want[fx_kafka_partition(keys[i], strlen(keys[i]), partitions)] = 1;
	for (i = 0; i < (size_t)partitions; i++) {
		int64_t lo = 0, hi = 0;
		rd_kafka_resp_err_t we;

		if (!want[i])
			continue;
		we = rd_kafka_query_watermark_offsets(rk, topic, (int32_t)i, &lo, &hi,
						      (int)fx_net_timeout_ms(net));
		if (we != RD_KAFKA_RESP_ERR_NO_ERROR) {
			char line[300];

			snprintf(line, sizeof(line), "kafka: %s [%zu]: watermarks: %s", topic, i,
				 rd_kafka_err2str(we));
			fx_net_log(net, line);
			ret = 1;
			goto cleanup;
		}
		high[i] = hi;
		want[i] = hi > lo;
		if (!want[i])
			continue;
		if (rd_kafka_consume_start_queue(rkt, (int32_t)i, RD_KAFKA_OFFSET_BEGINNING, q) < 0) {
			ret = 1;
			goto cleanup;
		}
		started[i] = 1;
		left++;
	}
	while (left && fx_clock_now() < deadline && !fx_net_interrupted(net)) {
		rd_kafka_message_t *msg = rd_kafka_consume_queue(q, 100);
		int32_t p;

		if (!msg)
			continue;
		p = msg->partition;
		if (msg->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
			if (p >= 0 && p < partitions && want[p]) {
				want[p] = 0;
				left--;
			}
		} else if (!msg->err && p >= 0 && p < partitions) {
			for (i = 0; i < out->n_leftover; i++)
				if (msg->key && msg->key_len == strlen(keys[i]) &&
				    !memcmp(msg->key, keys[i], msg->key_len) &&
				    ka_leftover_value(&out->leftover[i], topic, msg->payload, msg->len) < 0) {
					rd_kafka_message_destroy(msg);
					fx_err_set(err, FX_EXIT_FAILURE, "out of memory");
					goto cleanup;
				}
			if (want[p] && msg->offset + 1 >= high[p]) {
				want[p] = 0;
				left--;
			}
		}
		rd_kafka_message_destroy(msg);
	}
	if (fx_net_interrupted(net)) {
		fx_err_set(err, FX_EXIT_INTERRUPTED, "interrupted");
		goto cleanup;
	}
	ret = left ? 1 : 0;
cleanup:
	for (i = 0; started && i < (size_t)partitions; i++)
		if (started[i])
			rd_kafka_consume_stop(rkt, (int32_t)i);
	if (q)
		rd_kafka_queue_destroy(q);
	if (rkt)
		rd_kafka_topic_destroy(rkt);
	free(high);
	free(want);
	free(started);
	return ret;
}

int fx_kafka_inspect(const struct fx_kafka_pool *pool, const struct fx_net *net,
		     const struct fx_kafka_ask *ask, struct fx_kafka_facts *out, struct fx_err *err)
{
	const struct rd_kafka_metadata *md = NULL;
	struct fx_kafka_topic_facts *cand = NULL;
	char **keys = NULL;
	rd_kafka_t *rk = NULL;
	rd_kafka_resp_err_t e;
	size_t i, n_cand = 0;
	int ret = -1;

	fx_kafka_facts_release(out);
	out->topics = fx_calloc(ask->n_topics + 1, sizeof(*out->topics));
	out->leftover = fx_calloc(ask->n_connectors + 1, sizeof(*out->leftover));
	keys = fx_calloc(ask->n_connectors + 1, sizeof(*keys));
	if (!out->topics || !out->leftover || !keys)
		goto oom;
	for (i = 0; i < ask->n_topics; i++, out->n_topics++)
		if (!(out->topics[i].name = fx_strdup(ask->topics[i])))
			goto oom;
	for (i = 0; i < ask->n_connectors; i++, out->n_leftover++)
		if (!(out->leftover[i].connector = fx_strdup(ask->connectors[i])) ||
		    !(out->leftover[i].server = fx_strdup(ask->servers[i])) ||
		    !(keys[i] = fx_offsets_topic_key(ask->connectors[i], ask->servers[i])))
			goto oom;
	if (!ask->n_topics && !ask->n_connectors) {
		ret = 0;
		goto cleanup;
	}
	rk = ka_client(pool, net, err);
	if (!rk)
		goto cleanup;
	e = rd_kafka_metadata(rk, 1, NULL, &md, (int)fx_net_timeout_ms(net));
	if (e) {
		out->error = fx_asprintf("kafka pool '%s': metadata: %s", pool->code, rd_kafka_err2str(e));
		ret = out->error ? 0 : -1;
		if (ret < 0)
			goto oom;
		goto cleanup;
	}
	out->reachable = 1;
	cand = fx_calloc(KA_MAX_TOPICS + 1, sizeof(*cand));
	if (!cand)
		goto oom;
	for (i = 0; i < out->n_topics; i++) {
		const rd_kafka_metadata_topic_t *t = ka_topic(md, out->topics[i].name);

		out->topics[i].exists = t != NULL;
		out->topics[i].partitions = t ? t->partition_cnt : 0;
	}
	if (ka_describe(rk, net, out->topics, out->n_topics, err) < 0)
		goto cleanup;
	if (ask->n_connectors) {
		for (i = 0; i < (size_t)md->topic_cnt && n_cand < KA_MAX_TOPICS; i++)
			if (!md->topics[i].err && ka_is_offsets_topic(md->topics[i].topic)) {
				cand[n_cand].partitions = md->topics[i].partition_cnt;
				cand[n_cand].exists = 1;
				if (!(cand[n_cand++].name = fx_strdup(md->topics[i].topic)))
					goto oom;
			}
		if (ka_describe(rk, net, cand, n_cand, err) < 0)
			goto cleanup;
		for (i = 0; i < n_cand; i++) {
			char **grown;
			int rc;

			if (cand[i].cleanup_policy && !strstr(cand[i].cleanup_policy, "compact"))
				continue;
			rc = ka_read_offsets(rk, net, cand[i].name, cand[i].partitions, keys, out, err);
			{
				char line[400];

				snprintf(line, sizeof(line), "kafka '%s': offsets topic %s (%d partitions, cleanup.policy %s): %s",
					 pool->code, cand[i].name, cand[i].partitions,
					 cand[i].cleanup_policy ? cand[i].cleanup_policy : "?",
					 rc == 0 ? "read" : rc > 0 ? "not read to its end" : "failed");
				fx_net_log(net, line);
			}
			if (rc < 0)
				goto cleanup;
			if (rc > 0)
				continue;
			grown = fx_realloc(out->offsets_topics, (out->n_offsets_topics + 1) * sizeof(*grown));
			if (!grown)
				goto oom;
			out->offsets_topics = grown;
			if (!(out->offsets_topics[out->n_offsets_topics++] = fx_strdup(cand[i].name)))
				goto oom;
		}
	}
	{
		char line[200];
		size_t found = 0;

		for (i = 0; i < out->n_leftover; i++)
			found += out->leftover[i].found;
		snprintf(line, sizeof(line), "kafka '%s': %zu history topics asked, %zu offsets topics read, %zu of %zu new connectors have leftover offsets",
			 pool->code, out->n_topics, out->n_offsets_topics, found, out->n_leftover);
		fx_net_log(net, line);
	}
	ret = 0;
	goto cleanup;
oom:
	fx_err_set(err, FX_EXIT_FAILURE, "out of memory");
cleanup:
	for (i = 0; cand && i < n_cand; i++) {
		free(cand[i].name);
		free(cand[i].retention_ms);
		free(cand[i].retention_bytes);
		free(cand[i].cleanup_policy);
	}
	free(cand);
	for (i = 0; keys && i < ask->n_connectors; i++)
		free(keys[i]);
	free(keys);
	if (md)
		rd_kafka_metadata_destroy(md);
	if (rk)
		rd_kafka_destroy_flags(rk, RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
	return ret;
}
