/*
 * The database side of `fluxacdc plan` (SPEC §4 checks), pure half.
 *
 * struct fx_mysql_facts is what fluxacdc learned from one MySQL or MariaDB
 * server: version, binlog variables, the grants of the connecting user, the
 * captured tables, the known replicas.  mysql_inspect.c fills it from the
 * wire; the unit tests fill it from recorded server output
 * (tests/fixtures/mysql/).  fx_mysql_evaluate turns facts into checks.  No
 * libmariadb here, no I/O.
 *
 * Ownership: struct fx_mysql_facts owns every string and array in it
 * (fx_mysql_facts_add_* copy what they are given; fx_mysql_facts_release
 * frees).  struct fx_mysql_target lends its pool, table names and Kafka pool
 * names from the manifest and owns only its two arrays
 * (fx_mysql_target_release).  Evaluation adds copies to struct fx_checks.
 */
#ifndef FX_MYSQL_FACTS_H
#define FX_MYSQL_FACTS_H

#include <stddef.h>
#include <stdint.h>

#include "check.h"
#include "manifest.h"
#include "offsets.h"
#include "util/err.h"

struct fx_mysql_var {
	char *name;  /* lower case, as SHOW GLOBAL VARIABLES prints it */
	char *value;
};

struct fx_mysql_table {
	char *name;  /* as information_schema.TABLES spells it */
	char *type;  /* "BASE TABLE", "VIEW", "SYSTEM VERSIONED", ... */
	int has_pk;
};

struct fx_mysql_facts {
	int reachable;          /* connected and authenticated */
	char *error;            /* why not, or the query that failed ("ERROR 1045 (28000): ...");
				 * never holds the password */
	unsigned error_code;    /* client or server error number of error, 0 when none */
	int query_failed;       /* connected, but a query needed for the checks failed (error) */

	char *version;          /* SELECT VERSION() */
	char *current_user;     /* CURRENT_USER(): "user@host" */
	char *current_role;     /* CURRENT_ROLE(), NULL when none */

	struct fx_mysql_var *vars;
	size_t n_vars;
	int have_vars;

	char **grants;          /* SHOW GRANTS lines, as printed (they may hold password hashes:
				 * never copied into a check) */
	size_t n_grants;
	int have_grants;
	char *grants_error;

	int have_tables;        /* the table queries ran */
	int schema_exists;
	struct fx_mysql_table *tables; /* rows found among the captured tables */
	size_t n_tables;
	char **schema_tables;   /* every table of the database: filled only when some
				 * captured table is missing, for "did you mean" */
	size_t n_schema_tables;

	uint32_t *replicas;     /* server ids of SHOW SLAVE HOSTS / SHOW REPLICAS */
	size_t n_replicas;
	int have_replicas;      /* 0: not listed (needs privileges): not an error */
	char *replicas_error;

	struct fx_binlog_state binlog; /* SHOW BINARY LOGS, SHOW MASTER STATUS, GTID variables;
				 * not listed (no privilege, no binlog) is not an error */
	char *binlog_error;     /* why the binlogs were not listed, or NULL */

	long elapsed_ms;        /* wall time spent on this server */
};

#define FX_MYSQL_FACTS_INIT { .reachable = 0 } /* the rest zero */

void fx_mysql_facts_release(struct fx_mysql_facts *f);
/* Each copies its arguments; 0, or -1 on OOM. */
int fx_mysql_facts_set(char **field, const char *value);
int fx_mysql_facts_add_var(struct fx_mysql_facts *f, const char *name, const char *value);
int fx_mysql_facts_add_grant(struct fx_mysql_facts *f, const char *line);
int fx_mysql_facts_add_table(struct fx_mysql_facts *f, const char *name, const char *type,
			     int has_pk);
int fx_mysql_facts_add_schema_table(struct fx_mysql_facts *f, const char *name);
int fx_mysql_facts_add_replica(struct fx_mysql_facts *f, uint32_t server_id);
/* The value of a global variable, NULL when the server has no such variable. Lends. */
const char *fx_mysql_facts_var(const struct fx_mysql_facts *f, const char *name);
/* The flavor VERSION() (and version_comment) reveal: mariadb or mysql; AUTO when unknown. */
enum fx_flavor fx_mysql_facts_flavor(const struct fx_mysql_facts *f);

/* One connector reading the pool: its Kafka pool and its database.server.id. */
struct fx_mysql_sid {
	const char *kafka_pool; /* lent from the manifest */
	uint32_t id;
};

/* What the manifest wants from one MySQL pool. */
struct fx_mysql_target {
	const struct fx_mysql_pool *pool; /* lent */
	const char **tables;              /* captured tables, names lent; array owned */
	size_t n_tables;
	struct fx_mysql_sid *ids;         /* one per connector (Kafka pool) reading the pool;
					   * array owned; ids whose value is a config-provider
					   * reference are left out */
	size_t n_ids;
};

#define FX_MYSQL_TARGET_INIT { .pool = NULL, .tables = NULL, .n_tables = 0, .ids = NULL, .n_ids = 0 }

/*
 * Fills t for m->mysql[pool_index]: its captured tables (manifest order, no
 * duplicates) and the database.server.id of each of its connectors.  A pool
 * with no captured entity gets n_tables == 0 and is not inspected.  -1 on OOM.
 */
int fx_mysql_target_build(const struct fx_manifest *m, size_t pool_index,
			  struct fx_mysql_target *t, struct fx_err *err);
void fx_mysql_target_release(struct fx_mysql_target *t);

/*
 * database.server.id of the connector for (kafka_pool, pool), as desired.c
 * builds it: the pool's connector: override, else fx_manifest_server_id().  Returns 0 and sets *id, or -1 when the override is
 * not a number (a config-provider reference: unknown before Connect reads it).
 */
int fx_mysql_connector_server_id(const struct fx_mysql_pool *pool, const char *kafka_pool,
				 uint32_t *id);

/*
 * Every check of SPEC §4 for one pool, in scope "mysql:<pool>": reachable,
 * flavor (info), log_bin, binlog_format, binlog_row_image, server_id,
 * binlog_row_value_options (MySQL), log_bin_compress (MariaDB),
 * binlog_retention, grants, table, primary_key, server_id_conflict.
 * An unreachable server gives one mysql.reachable error and nothing else.
 * Returns 0, or -1 on OOM (err set).
 */
int fx_mysql_evaluate(const struct fx_mysql_facts *f, const struct fx_mysql_target *t,
		      struct fx_checks *out, struct fx_err *err);

/*
 * Checks across pools: two pools reaching the same server (same server_uuid,
 * else same hostname, port and server_id) whose connectors share a
 * database.server.id give a mysql.server_id_conflict error on the later pool.
 * facts and targets are parallel arrays of n (unreachable pools are skipped).
 */
int fx_mysql_evaluate_shared(const struct fx_mysql_facts *facts,
			     const struct fx_mysql_target *targets, size_t n,
			     struct fx_checks *out, struct fx_err *err);

/*
 * For -v: whether the server's replicas were compared with the connectors'
 * server ids, and when not, why and which grant lets them be (MariaDB 10.5.2+:
 * REPLICATION MASTER ADMIN for SHOW REPLICA HOSTS; MySQL: REPLICATION SLAVE for
 * SHOW REPLICAS).  Writes one line into buf.
 */
void fx_mysql_replicas_note(const struct fx_mysql_facts *f, const char *user, char *buf,
			    size_t size);

/* ---- pieces, public for the unit tests ---- */

/* Required privileges, as bits. */
enum {
	FX_PRIV_SELECT = 1 << 0,
	FX_PRIV_RELOAD = 1 << 1,
	FX_PRIV_SHOW_DATABASES = 1 << 2,
	FX_PRIV_REPLICATION_SLAVE = 1 << 3,
	FX_PRIV_REPLICATION_CLIENT = 1 << 4, /* MariaDB: BINLOG MONITOR */
	FX_PRIV_REQUIRED = (1 << 5) - 1
};

enum fx_grant_level {
	FX_GRANT_OTHER = 0, /* routine, proxy, SET DEFAULT ROLE, unknown: ignored */
	FX_GRANT_GLOBAL,    /* ON *.* */
	FX_GRANT_DB,        /* ON `db`.* (db may hold LIKE wildcards) */
	FX_GRANT_TABLE,     /* ON `db`.`table` */
	FX_GRANT_ROLE       /* GRANT `role` TO ...: a role membership */
};

struct fx_mysql_grant {
	enum fx_grant_level level;
	int revoke;         /* a partial revoke line (MySQL partial_revokes) */
	unsigned privs;     /* FX_PRIV_* held at this level; column-level ones not counted */
	char db[256];       /* unquoted; FX_GRANT_ROLE: the (first) role's name */
	char table[256];
};

/* Parses one SHOW GRANTS line. Returns 0, or -1 when the line is not understood. */
int fx_mysql_grant_parse(const char *line, struct fx_mysql_grant *g);
/* The FX_PRIV_* bits the grant lines give on database db (and its tables). */
unsigned fx_mysql_grants_privs(const char *const *lines, size_t n, const char *db,
			       const char *const *tables, size_t n_tables);
/* MySQL LIKE pattern match (% _ and \ escapes), as db-level grants use it. */
int fx_mysql_like(const char *pattern, const char *s);
/*
 * Binlog retention in seconds: 1 with *seconds set (0 = never expires), or 0
 * when the server reports neither binlog_expire_logs_seconds nor
 * expire_logs_days.
 */
int fx_mysql_retention(const struct fx_mysql_facts *f, uint64_t *seconds);

/* TLS as the Go driver's DSN parameter tls= asks for it. */
enum fx_mysql_tls { FX_MYSQL_TLS_OFF = 0, FX_MYSQL_TLS_PREFERRED, FX_MYSQL_TLS_SKIP_VERIFY,
		    FX_MYSQL_TLS_VERIFY };
/* From a DSN query string ("a=b&tls=skip-verify"); NULL or no tls= is OFF. */
enum fx_mysql_tls fx_mysql_tls_mode(const char *params);

#endif
