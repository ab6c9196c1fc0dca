/*
 * The database side of `fluxacdc plan` (SPEC §4), libmariadb half: connects to
 * every MySQL pool that has captured entities, a thread per pool and at most
 * FX_MYSQL_MAX_PARALLEL at once, asks what mysql_facts.h needs (VERSION(),
 * SHOW GLOBAL VARIABLES, SHOW GRANTS, information_schema, SHOW SLAVE HOSTS /
 * SHOW REPLICAS) and turns the answers into checks.  Works on MySQL 8.x and
 * MariaDB 10.6+; a variable one of them lacks is not an error.
 *
 * A server that cannot be reached (refused, timed out, wrong password) is a
 * mysql.reachable error check in that pool's scope, not a failure: the other
 * pools are still checked.  Passwords never appear in a check or an error.
 *
 * Ownership: the caller owns res (fx_mysql_results_release frees what the
 * entries hold), flavors and checks (items are appended).  The manifest is
 * lent for the duration of the call.
 */
#ifndef FX_MYSQL_INSPECT_H
#define FX_MYSQL_INSPECT_H

#include <stddef.h>
#include <stdint.h>

#include "check.h"
#include "manifest.h"
#include "net.h"
#include "offsets.h"
#include "typed.h"
#include "util/err.h"

#define FX_MYSQL_MAX_PARALLEL 8

struct fx_mysql_inspect_opts {
	/* Lent, may be NULL: net->timeout_s is each server's connect, read and
	 * write timeout; net->interrupt is checked before each pool and query;
	 * net->log gets one -v line per server ("mysql 'default': MariaDB
	 * 10.11.19 as ... in 4 ms"), from the calling thread only. */
	const struct fx_net *net;
	int max_parallel;    /* <= 0: FX_MYSQL_MAX_PARALLEL */
};

#define FX_MYSQL_INSPECT_OPTS_INIT { .net = NULL, .max_parallel = 0 }

/* What one pool's inspection found, beside its checks. */
struct fx_mysql_result {
	int inspected;          /* the pool has captured entities and was checked */
	int reachable;
	enum fx_flavor flavor;  /* detected from the server; FX_FLAVOR_AUTO when unknown */
	char *version;          /* VERSION(), or NULL */
	long elapsed_ms;        /* wall time for this pool */
	struct fx_binlog_state binlog; /* the server's binlogs and GTID state (owned) */
	int64_t retention_s;    /* binlog retention: 0 never expires, -1 unknown */
};

/*
 * Checks every pool of m with captured entities; appends the checks (manifest
 * pool order, each pool's in a fixed order) to checks.  res, when not NULL,
 * has m->n_mysql entries (same index as m->mysql).  flavors, when not NULL,
 * has m->n_mysql entries and gets the flavor for fx_desired_build: the pool's
 * explicit flavor, else the detected one, else FX_FLAVOR_AUTO (not inspected
 * or unreachable: the caller decides, e.g. keeps the live connector's class).
 * Returns 0, or -1 on OOM (err code 1) or interrupt (err code 130).
 */
int fx_mysql_inspect(const struct fx_manifest *m, const struct fx_mysql_inspect_opts *o,
		     struct fx_mysql_result *res, enum fx_flavor *flavors,
		     struct fx_checks *checks, struct fx_err *err);
void fx_mysql_results_release(struct fx_mysql_result *res, size_t n);

/*
 * For `tail` (SPEC §5): the column types of tables (in pool->database), read
 * with one information_schema.COLUMNS query for all of them (and on MariaDB
 * one more, for the json_valid() checks that make a LONGTEXT its JSON).
 * *out gets n tables, same order as tables, each column in ordinal order; a
 * table the server shows no column of (missing, or no privilege on it) has
 * none.  Free with fx_typed_tables_free(*out, n).  Returns 0, or -1 with err
 * saying why (unreachable, refused, the query failed), never the password.
 */
int fx_mysql_column_types(const struct fx_mysql_pool *pool, const char *const *tables, size_t n,
			  const struct fx_typed_modes *modes, int timeout_s,
			  struct fx_typed_table **out, struct fx_err *err);

#endif
