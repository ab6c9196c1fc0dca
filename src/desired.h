/*
 * The desired state (SPEC §3): manifest -> one connector per (Kafka pool,
 * MySQL pool) with at least one captured entity.  Pure: no I/O.
 * struct fx_desired owns its connectors; fx_desired_release frees them.
 */
#ifndef FX_DESIRED_H
#define FX_DESIRED_H

#include <stdint.h>

#include "config.h"
#include "manifest.h"
#include "util/err.h"

struct fx_connector {
	char *name;       /* fluxa_{mysqlPool} */
	const struct fx_kafka_pool *kafka;  /* lent from the manifest */
	const struct fx_mysql_pool *mysql;  /* lent from the manifest */
	const struct fx_kv *defaults;       /* lent: the manifest's defaults.connector */
	size_t n_defaults;
	enum fx_flavor flavor;              /* resolved: mysql or mariadb */
	char **tables;    /* captured table names, sorted */
	size_t n_tables;
	struct fx_config config;
};

struct fx_desired {
	struct fx_connector *connectors; /* sorted by (connect_url, name) */
	size_t n;
};

#define FX_DESIRED_INIT { .connectors = NULL, .n = 0 }

#define FX_CLASS_MYSQL "io.debezium.connector.mysql.MySqlConnector"
#define FX_CLASS_MARIADB "io.debezium.connector.mariadb.MariaDbConnector"

/*
 * Builds the desired connectors.  flavors, when not NULL, has one entry per
 * manifest MySQL pool (same index) giving the flavor detected for auto pools;
 * FX_FLAVOR_AUTO there (or flavors NULL) means mysql, as render does offline.
 */
int fx_desired_build(const struct fx_manifest *m, const enum fx_flavor *flavors,
		     struct fx_desired *out, struct fx_err *err);
void fx_desired_release(struct fx_desired *d);
/* Appends s with regex metacharacters escaped to a new string (caller frees). */
char *fx_desired_regex_escape(const char *s);
const char *fx_desired_class(enum fx_flavor f);
/* fluxa_{pool}_signal and fluxa_{pool}_notifications for connector fluxa_{pool}
 * (new strings, caller frees; NULL on out of memory). */
char *fx_desired_signal_topic(const char *connector);
char *fx_desired_notification_topic(const char *connector);
/*
 * Where the manifest set config key `key` of c: the pool's `connector:` entry,
 * else the `defaults.connector:` entry (the one that won), else {0, 0} (a key
 * fluxacdc derives itself).
 */
struct fx_pos fx_desired_key_pos(const struct fx_connector *c, const char *key);

#endif
