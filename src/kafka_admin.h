/*
 * What plan reads from a Kafka pool's brokers (librdkafka, admin API and a
 * bounded read): the schema history topics of connectors that have offsets
 * (kafka.history_topic: there, one partition, unlimited retention), and the
 * offsets Kafka Connect still keeps in its offsets topic for connectors that
 * are about to be created (connect.offsets: a connector deleted earlier;
 * Connect has no REST call for a connector that does not exist).
 *
 * The offsets topic is the worker's offset.storage.topic, which Connect does
 * not show over REST: every compacted topic whose name ends in "offsets"
 * (connect-offsets, my_connect_offsets, fluxa-connect-offsets, ...) but
 * __consumer_offsets is read, only the partition each key hashes to, from
 * the start to the high watermark taken first.
 *
 * Ownership: struct fx_kafka_facts owns everything in it
 * (fx_kafka_facts_release); the pool, net and the asked names are lent for
 * the call.  Never prints; -1 only for OOM or an interrupt (130): a broker
 * that does not answer is reachable = 0 with error.
 */
#ifndef FX_KAFKA_ADMIN_H
#define FX_KAFKA_ADMIN_H

#include <stddef.h>

#include "manifest.h"
#include "net.h"
#include "offsets.h"
#include "util/err.h"

struct fx_kafka_topic_facts {
	char *name;
	int exists;
	int partitions;
	char *retention_ms;    /* DescribeConfigs, NULL when not read */
	char *retention_bytes;
	char *cleanup_policy;
};

struct fx_kafka_leftover {
	char *connector;
	char *server;          /* the partition's "server" asked for (topic.prefix) */
	int found;             /* a non-null offset is stored under the key */
	char *topic;           /* the offsets topic it was found in */
	struct fx_offsets offsets; /* the stored value, as GET .../offsets would show it */
};

struct fx_kafka_facts {
	int reachable;
	char *error;
	struct fx_kafka_topic_facts *topics; /* the history topics asked about */
	size_t n_topics;
	char **offsets_topics;               /* the Connect offsets topics found and read */
	size_t n_offsets_topics;
	struct fx_kafka_leftover *leftover;  /* one per connector asked about */
	size_t n_leftover;
};

#define FX_KAFKA_FACTS_INIT { .reachable = 0 }

/* What to look at: history topics, and (connector, server) pairs. */
struct fx_kafka_ask {
	const char **topics;
	size_t n_topics;
	const char **connectors;
	const char **servers;    /* parallel to connectors */
	size_t n_connectors;
};

int fx_kafka_inspect(const struct fx_kafka_pool *pool, const struct fx_net *net,
		     const struct fx_kafka_ask *ask, struct fx_kafka_facts *out, struct fx_err *err);
void fx_kafka_facts_release(struct fx_kafka_facts *f);

#endif
