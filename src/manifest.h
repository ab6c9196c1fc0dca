/*
 * The manifest (SPEC §1): fluxacdc.yaml parsed with libyaml into a
 * struct fx_manifest, interpolated, validated.  Every item keeps the line and
 * column it came from.  The manifest owns every string and array in it;
 * fx_manifest_release frees them all.  Lookup functions lend.
 */
#ifndef FX_MANIFEST_H
#define FX_MANIFEST_H

#include <stddef.h>
#include <stdint.h>

#include "interp.h"
#include "util/err.h"

struct fx_pos {
	int line; /* 1-based; 0 when unknown */
	int col;
};

struct fx_kv {
	char *key;
	char *value;
	struct fx_pos pos;
	int literal;   /* the value was written as is, with no ${...} in it */
};

enum fx_flavor { FX_FLAVOR_AUTO = 0, FX_FLAVOR_MYSQL, FX_FLAVOR_MARIADB };

/* One entry of a server_id mapping: the id of the pool's connector on one Kafka pool. */
struct fx_server_id_for {
	char *kafka_pool;
	uint32_t id;
	struct fx_pos pos;
};

struct fx_mysql_pool {
	char *code;
	struct fx_pos pos;
	char *user;
	char *password;   /* secret: never printed */
	char *host;       /* NULL for a unix socket */
	unsigned port;
	char *socket;     /* unix socket path, or NULL */
	char *database;   /* NULL or "" when none */
	char *params;     /* DSN query string, or NULL */
	char *connect_host; /* NULL: the DSN's */
	unsigned connect_port; /* 0: the DSN's */
	int has_server_id;        /* server_id: N (one id for the pool) */
	uint32_t server_id;
	struct fx_pos server_id_pos;
	struct fx_server_id_for *server_ids; /* server_id: {kafkaPool: N, ...} */
	size_t n_server_ids;
	enum fx_flavor flavor;
	int snapshot_new_tables;  /* default 1: backfill tables added to a live connector */
	struct fx_pos snapshot_new_tables_pos; /* {0,0} when not written */
	struct fx_kv *connector; /* overrides, in manifest order */
	size_t n_connector;
	int broken;       /* its connection settings had an error already reported */
};

struct fx_kafka_pool {
	char *code;
	struct fx_pos pos;
	char **brokers;
	size_t n_brokers;
	char *connect_url;
	char *connect_bootstrap_servers;
	char *auth_user;
	char *auth_password; /* secret */
	char *tls_ca_file;
	char *tls_cert_file;
	char *tls_key_file;
	int tls_insecure;
	struct fx_kv *config; /* librdkafka properties for tail */
	size_t n_config;
};

struct fx_entity {
	char *name;
	struct fx_pos pos;
	char *kafka_pool; /* NULL: not captured */
	char *mysql_pool;
	char *table;
	struct fx_pos mysql_pos; /* where the pool / table / debezium came from */
	struct fx_pos kafka_pos;
	struct fx_pos table_pos;
};

struct fx_consumer_group {
	char *name;
	struct fx_pos pos;
	char *kafka;
	struct fx_pos kafka_pos;
	char **entities;
	struct fx_pos *entity_pos; /* one per entity: its list item */
	size_t n_entities;
	char **topics;
	size_t n_topics;
};

struct fx_manifest {
	char *path;
	char sha256[72];          /* "sha256:<hex>" of the file's bytes */
	int world_readable_secret; /* a literal password in a file others can read */
	char *default_mysql_pool;
	char *default_kafka_pool;
	struct fx_kv *default_connector; /* defaults.connector, in manifest order */
	size_t n_default_connector;
	struct fx_mysql_pool *mysql;
	size_t n_mysql;
	struct fx_kafka_pool *kafka;
	size_t n_kafka;
	struct fx_entity *entities;
	size_t n_entities;
	struct fx_consumer_group *groups;
	size_t n_groups;
};

#define FX_MANIFEST_INIT { .path = NULL } /* the rest zero */

/* Every problem found, each a full "FILE:LINE:COL: context: problem" line. */
struct fx_diags {
	char **items;
	size_t n;
	size_t alloc;
};

#define FX_DIAGS_INIT { .items = NULL, .n = 0, .alloc = 0 }

void fx_diags_release(struct fx_diags *d);

/*
 * Loads path (or the bytes given, when data is not NULL) into m.  Returns 0, or
 * -1 with every problem in diags and a summary in err (code 65; 1 when the file
 * cannot be read).  getenv_fn may be NULL (process environment).
 */
int fx_manifest_load(const char *path, struct fx_manifest *m, struct fx_diags *diags,
		     struct fx_err *err);
int fx_manifest_load_bytes(const char *path, const char *data, size_t len,
			   fx_getenv_fn getenv_fn, void *env_ctx, struct fx_manifest *m,
			   struct fx_diags *diags, struct fx_err *err);
void fx_manifest_release(struct fx_manifest *m);

const struct fx_mysql_pool *fx_manifest_mysql(const struct fx_manifest *m, const char *code);
const struct fx_kafka_pool *fx_manifest_kafka(const struct fx_manifest *m, const char *code);
const struct fx_entity *fx_manifest_entity(const struct fx_manifest *m, const char *name);
const struct fx_consumer_group *fx_manifest_group(const struct fx_manifest *m,
						  const char *name);
/* The entity's topic fluxa_{pool}.{db}.{table} into a new string (caller frees). */
char *fx_manifest_topic(const struct fx_manifest *m, const struct fx_entity *e);
/* Resolves the manifest path: explicit, else $FLUXACDC_MANIFEST, else ./fluxacdc.yaml. */
const char *fx_manifest_default_path(const char *explicit_path);
const char *fx_flavor_name(enum fx_flavor f);

/* FluxaORM's database.server.id: FNV-1a-32(mysql_pool) mod 100000 + 1000 ("default": 41894). */
uint32_t fx_manifest_derived_server_id(const char *mysql_pool);
/*
 * database.server.id of pool's connector on kafka_pool from the manifest's
 * server_id (mapping entry, else scalar), else derived.  *explicit_id (may be
 * NULL) says whether the manifest gave it.  A connector: database.server.id
 * override is not looked at here (see fx_mysql_connector_server_id).
 */
uint32_t fx_manifest_server_id(const struct fx_mysql_pool *pool, const char *kafka_pool,
			       int *explicit_id);

#endif
