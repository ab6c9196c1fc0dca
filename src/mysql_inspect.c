/*
 * libmariadb adapter of the database checks: fills a struct fx_mysql_facts
 * per pool, one thread per pool (bounded), then lets mysql_facts.c evaluate.
 * See mysql_inspect.h.
 */
#include "mysql_inspect.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <mysql.h>
#include <errmsg.h>

#include "mysql_facts.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/str.h"

/* The variables the checks read.  Absent ones (MySQL-only, MariaDB-only) are fine. */
static const char sql_variables[] =
	"SHOW GLOBAL VARIABLES WHERE Variable_name IN ('log_bin', 'binlog_format', "
	"'binlog_row_image', 'server_id', 'server_uuid', 'binlog_row_value_options', "
	"'log_bin_compress', 'binlog_expire_logs_seconds', 'expire_logs_days', "
	"'binlog_expire_logs_auto_purge', 'lower_case_table_names', 'hostname', 'port', "
	"'version_comment', 'gtid_mode', 'gtid_purged', 'gtid_binlog_state')";

/* One pool's work: what the manifest wants, what the server said. */
struct job {
	const struct fx_mysql_pool *pool;
	struct fx_mysql_target target;
	struct fx_mysql_facts facts;
	int queries;
	int oom;
};

struct queue {
	pthread_mutex_t lock;
	struct job *jobs;
	size_t n, next;
	unsigned timeout_s;
	volatile sig_atomic_t *interrupt;
};

static pthread_once_t inspect_once = PTHREAD_ONCE_INIT;
static int inspect_lib_ok;

static void inspect_lib_init(void)
{
	inspect_lib_ok = mysql_library_init(0, NULL, NULL) == 0;
}

static long inspect_ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (long)(t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

static int inspect_interrupted(const struct queue *q)
{
	return q->interrupt && *q->interrupt;
}

/*
 * f->error = "ERROR <n> (<sqlstate>): <message>" with the password, should the
 * library ever echo it, replaced by "***".
 */
static void inspect_set_error(struct job *j, MYSQL *c, const char *what)
{
	struct fx_mysql_facts *f = &j->facts;
	const char *pw = j->pool->password;
	struct fx_buf b = FX_BUF_INIT;
	const char *msg = mysql_error(c), *hit;
	char *s;

	f->error_code = mysql_errno(c);
	if (what)
		fx_buf_addf(&b, "%s: ", what);
	fx_buf_addf(&b, "ERROR %u (%s): ", f->error_code, mysql_sqlstate(c));
	if (pw && strlen(pw) >= 4) {
		while ((hit = strstr(msg, pw))) {
			fx_buf_add(&b, msg, (size_t)(hit - msg));
			fx_buf_adds(&b, "***");
			msg = hit + strlen(pw);
		}
	}
	fx_buf_adds(&b, msg);
	s = fx_buf_detach(&b);
	if (!s) {
		j->oom = 1;
		return;
	}
	free(f->error);
	f->error = s;
}

/* Says that the error came from waiting the whole --timeout. */
static void inspect_note_timeout(struct job *j, unsigned timeout_s)
{
	char *s = fx_asprintf("%s (no answer within --timeout %u s)",
			      j->facts.error ? j->facts.error : "timed out", timeout_s);

	if (!s) {
		j->oom = 1;
		return;
	}
	free(j->facts.error);
	j->facts.error = s;
}

/* Client-side errors (2000..2999: lost connection, timeout): the session is gone. */
static int inspect_conn_lost(MYSQL *c)
{
	unsigned e = mysql_errno(c);

	return e >= CR_MIN_ERROR && e <= CR_MAX_ERROR;
}

typedef int (*row_fn)(struct job *j, MYSQL_ROW row, unsigned n_fields);

/* Runs sql and calls fn per row.  0, or -1 with the server's answer left in c. */
static int inspect_query(struct job *j, MYSQL *c, const char *sql, row_fn fn)
{
	MYSQL_RES *res;
	MYSQL_ROW row;
	unsigned n;
	int ret = 0;

	j->queries++;
	if (mysql_real_query(c, sql, (unsigned long)strlen(sql)))
		return -1;
	res = mysql_store_result(c);
	if (!res)
		return mysql_field_count(c) ? -1 : 0;
	n = mysql_num_fields(res);
	while ((row = mysql_fetch_row(res)))
		if (fn && fn(j, row, n) < 0) {
			j->oom = 1;
			ret = -1;
			break;
		}
	mysql_free_result(res);
	return ret;
}

static int row_version(struct job *j, MYSQL_ROW r, unsigned n)
{
	struct fx_mysql_facts *f = &j->facts;

	if (n < 3)
		return 0;
	return fx_mysql_facts_set(&f->version, r[0]) | fx_mysql_facts_set(&f->current_user, r[1]) |
	       fx_mysql_facts_set(&f->current_role, r[2]);
}

static int row_var(struct job *j, MYSQL_ROW r, unsigned n)
{
	return n < 2 || !r[0] ? 0 : fx_mysql_facts_add_var(&j->facts, r[0], r[1] ? r[1] : "");
}

static int row_grant(struct job *j, MYSQL_ROW r, unsigned n)
{
	return n < 1 || !r[0] ? 0 : fx_mysql_facts_add_grant(&j->facts, r[0]);
}

static int row_schema(struct job *j, MYSQL_ROW r, unsigned n)
{
	j->facts.schema_exists = n >= 1 && r[0] && atoi(r[0]) > 0;
	return 0;
}

static int row_table(struct job *j, MYSQL_ROW r, unsigned n)
{
	if (n < 3 || !r[0])
		return 0;
	return fx_mysql_facts_add_table(&j->facts, r[0], r[1], r[2] && atoi(r[2]) > 0);
}

static int row_name(struct job *j, MYSQL_ROW r, unsigned n)
{
	return n < 1 || !r[0] ? 0 : fx_mysql_facts_add_schema_table(&j->facts, r[0]);
}

static int row_replica(struct job *j, MYSQL_ROW r, unsigned n)
{
	uint64_t id;

	if (n < 1 || fx_str_to_u64(r[0], 0, UINT32_MAX, &id) < 0)
		return 0;
	return fx_mysql_facts_add_replica(&j->facts, (uint32_t)id);
}

static int row_binlog(struct job *j, MYSQL_ROW r, unsigned n)
{
	uint64_t size = 0;

	if (n < 2 || !r[0])
		return 0;
	if (r[1])
		fx_str_to_u64(r[1], 0, UINT64_MAX, &size);
	return fx_binlog_state_add_file(&j->facts.binlog, r[0], size);
}

static int row_master(struct job *j, MYSQL_ROW r, unsigned n)
{
	struct fx_binlog_state *b = &j->facts.binlog;
	uint64_t pos = 0;

	if (n < 2 || !r[0])
		return 0;
	if (r[1])
		fx_str_to_u64(r[1], 0, UINT64_MAX, &pos);
	b->have_current = 1;
	b->current_pos = pos;
	return fx_mysql_facts_set(&b->current_file, r[0]);
}

static void inspect_quote(MYSQL *c, struct fx_buf *b, const char *s);

/* SHOW BINLOG EVENTS: Log_name, Pos, Event_type, Server_id, End_log_pos, Info */
static int row_gtid_list(struct job *j, MYSQL_ROW r, unsigned n)
{
	if (n < 6 || !r[2] || strcmp(r[2], "Gtid_list") || j->facts.binlog.gtid_list_oldest)
		return 0;
	return fx_mysql_facts_set(&j->facts.binlog.gtid_list_oldest, r[5] ? r[5] : "");
}

/*
 * The binlog files and the current position (mysql.binlog_position, status
 * lag): REPLICATION CLIENT / BINLOG MONITOR.  MySQL 8.4 renamed SHOW MASTER
 * STATUS to SHOW BINARY LOG STATUS.  Refused or absent is not an error.
 */
static void inspect_binlogs(struct job *j, MYSQL *c)
{
	struct fx_mysql_facts *f = &j->facts;
	static const char *const gtid_vars[] = { "gtid_mode", "gtid_purged", "gtid_binlog_state" };
	char **dst[] = { &f->binlog.gtid_mode, &f->binlog.gtid_purged, &f->binlog.gtid_binlog_state };
	size_t i;

	for (i = 0; i < sizeof(gtid_vars) / sizeof(gtid_vars[0]); i++) {
		const char *v = fx_mysql_facts_var(f, gtid_vars[i]);

		if (v && fx_mysql_facts_set(dst[i], v) < 0)
			j->oom = 1;
	}
	if (inspect_query(j, c, "SHOW BINARY LOGS", row_binlog) == 0) {
		f->binlog.have_files = 1;
	} else {
		fx_mysql_facts_set(&f->binlog_error, mysql_error(c));
		return;
	}
	if (inspect_query(j, c, "SHOW MASTER STATUS", row_master) < 0 && !inspect_conn_lost(c) &&
	    inspect_query(j, c, "SHOW BINARY LOG STATUS", row_master) < 0)
		fx_mysql_facts_set(&f->binlog_error, mysql_error(c));
	/* MariaDB: the GTIDs before the oldest binlog, from its Gtid_list event */
	if (!f->binlog.gtid_mode && f->binlog.n_files && !inspect_conn_lost(c)) {
		struct fx_buf sql = FX_BUF_INIT;

		fx_buf_adds(&sql, "SHOW BINLOG EVENTS IN ");
		inspect_quote(c, &sql, f->binlog.files[0].name);
		fx_buf_adds(&sql, " LIMIT 4");
		if (!fx_buf_ok(&sql))
			j->oom = 1;
		else if (inspect_query(j, c, fx_buf_str(&sql), row_gtid_list) < 0)
			fx_mysql_facts_set(&f->binlog_error, mysql_error(c));
		fx_buf_release(&sql);
	}
}

/* 'escaped' into b (mysql_real_escape_string: the connection's charset). */
static void inspect_quote(MYSQL *c, struct fx_buf *b, const char *s)
{
	size_t n = strlen(s);
	char *tmp = fx_malloc(2 * n + 1);

	if (!tmp) {
		b->oom = 1;
		return;
	}
	fx_buf_addc(b, '\'');
	fx_buf_add(b, tmp, mysql_real_escape_string(c, tmp, s, (unsigned long)n));
	fx_buf_addc(b, '\'');
	free(tmp);
}

/* The captured tables: does each exist, is it a view, has it a primary key. */
static int inspect_tables(struct job *j, MYSQL *c)
{
	const struct fx_mysql_target *t = &j->target;
	const char *db = j->pool->database;
	struct fx_buf sql = FX_BUF_INIT, in = FX_BUF_INIT;
	size_t i, found = 0;
	int ret = -1;

	for (i = 0; i < t->n_tables; i++) {
		if (i)
			fx_buf_adds(&in, ", ");
		inspect_quote(c, &in, t->tables[i]);
	}
	fx_buf_adds(&sql, "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ");
	inspect_quote(c, &sql, db);
	if (!fx_buf_ok(&sql) || !fx_buf_ok(&in)) {
		j->oom = 1;
		goto cleanup;
	}
	if (inspect_query(j, c, fx_buf_str(&sql), row_schema) < 0)
		goto cleanup;
	/* STATISTICS, not TABLE_CONSTRAINTS: MariaDB shows the latter's primary keys only
	 * to users with more than SELECT (tests/fixtures/mysql/README.md).  Every
	 * information_schema condition is a literal (schema and table names): a
	 * correlated subquery made MariaDB open every table of every schema for
	 * each row (337 ms instead of 29 ms for 20 tables among 1000). */
	fx_buf_reset(&sql);
	fx_buf_adds(&sql, "SELECT t.TABLE_NAME, t.TABLE_TYPE, COUNT(s.INDEX_NAME) FROM "
		    "information_schema.TABLES t LEFT JOIN (SELECT TABLE_NAME, INDEX_NAME FROM "
		    "information_schema.STATISTICS WHERE TABLE_SCHEMA = ");
	inspect_quote(c, &sql, db);
	fx_buf_addf(&sql, " AND TABLE_NAME IN (%s) AND INDEX_NAME = 'PRIMARY') s "
		    "ON s.TABLE_NAME = t.TABLE_NAME WHERE t.TABLE_SCHEMA = ", fx_buf_str(&in));
	inspect_quote(c, &sql, db);
	fx_buf_addf(&sql, " AND t.TABLE_NAME IN (%s) GROUP BY t.TABLE_NAME, t.TABLE_TYPE",
		    fx_buf_str(&in));
	if (!fx_buf_ok(&sql)) {
		j->oom = 1;
		goto cleanup;
	}
	if (inspect_query(j, c, fx_buf_str(&sql), row_table) < 0)
		goto cleanup;
	for (i = 0; i < t->n_tables; i++) {
		size_t k;

		for (k = 0; k < j->facts.n_tables; k++)
			if (!strcmp(j->facts.tables[k].name, t->tables[i]))
				break;
		found += k < j->facts.n_tables;
	}
	if (found < t->n_tables && j->facts.schema_exists) { /* names for "did you mean" */
		fx_buf_reset(&sql);
		fx_buf_adds(&sql, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE "
			    "TABLE_SCHEMA = ");
		inspect_quote(c, &sql, db);
		fx_buf_adds(&sql, " LIMIT 10000");
		if (!fx_buf_ok(&sql) || inspect_query(j, c, fx_buf_str(&sql), row_name) < 0)
			goto cleanup;
	}
	j->facts.have_tables = 1;
	ret = 0;
cleanup:
	fx_buf_release(&sql);
	fx_buf_release(&in);
	return ret;
}

/* SHOW GRANTS, and on MySQL the active roles' grants too (MariaDB lists them itself). */
static int inspect_grants(struct job *j, MYSQL *c, enum fx_flavor flavor)
{
	struct fx_mysql_facts *f = &j->facts;
	struct fx_buf sql = FX_BUF_INIT;
	size_t i;

	if (inspect_query(j, c, "SHOW GRANTS", row_grant) < 0)
		return -1;
	f->have_grants = 1;
	if (flavor != FX_FLAVOR_MYSQL || !f->current_role || !*f->current_role ||
	    !strcmp(f->current_role, "NONE"))
		return 0;
	/* CURRENT_ROLE() prints `r1`@`%`,`r2`@`%`: already quoted for USING */
	fx_buf_addf(&sql, "SHOW GRANTS FOR CURRENT_USER() USING %s", f->current_role);
	if (!fx_buf_ok(&sql)) {
		j->oom = 1;
		return 0;
	}
	for (i = 0; i < f->n_grants; i++)
		free(f->grants[i]);
	f->n_grants = 0;
	if (inspect_query(j, c, fx_buf_str(&sql), row_grant) < 0) {
		/* keep going without the roles: the first answer is gone, ask again */
		f->n_grants = 0;
		if (inspect_query(j, c, "SHOW GRANTS", row_grant) < 0)
			f->have_grants = 0;
	}
	fx_buf_release(&sql);
	return f->have_grants ? 0 : -1;
}

static void inspect_tls(MYSQL *c, enum fx_mysql_tls mode)
{
	my_bool on = 1, off = 0;

	if (mode == FX_MYSQL_TLS_OFF)
		return;
	mysql_optionsv(c, MYSQL_OPT_SSL_VERIFY_SERVER_CERT,
		       mode == FX_MYSQL_TLS_VERIFY ? &on : &off);
	mysql_optionsv(c, MYSQL_OPT_SSL_ENFORCE, &on);
}

static MYSQL *inspect_connect(struct job *j, unsigned timeout_s, enum fx_mysql_tls tls)
{
	const struct fx_mysql_pool *p = j->pool;
	unsigned proto = p->socket ? MYSQL_PROTOCOL_SOCKET : MYSQL_PROTOCOL_TCP;
	MYSQL *c = mysql_init(NULL);

	if (!c) {
		j->oom = 1;
		return NULL;
	}
	mysql_optionsv(c, MYSQL_OPT_CONNECT_TIMEOUT, &timeout_s);
	mysql_optionsv(c, MYSQL_OPT_READ_TIMEOUT, &timeout_s);
	mysql_optionsv(c, MYSQL_OPT_WRITE_TIMEOUT, &timeout_s);
	/* the Go driver's tcp(localhost) is TCP; libmariadb would take the socket */
	mysql_optionsv(c, MYSQL_OPT_PROTOCOL, &proto);
	mysql_optionsv(c, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	inspect_tls(c, tls);
	if (!mysql_real_connect(c, p->socket ? NULL : p->host, p->user ? p->user : "",
				p->password ? p->password : "", NULL, p->socket ? 0 : p->port,
				p->socket, 0)) {
		inspect_set_error(j, c, NULL);
		mysql_close(c);
		return NULL;
	}
	/* without certificate verification libmariadb falls back to plain text when the
	 * server offers no TLS; tls=skip-verify means encrypted or nothing (not over a
	 * unix socket, where libmariadb never uses TLS) */
	if (tls == FX_MYSQL_TLS_SKIP_VERIFY && !p->socket && !mysql_get_ssl_cipher(c)) {
		j->facts.error_code = CR_SSL_CONNECTION_ERROR;
		if (fx_mysql_facts_set(&j->facts.error, "ERROR 2026 (HY000): TLS/SSL error: the "
				       "dsn asks for tls=skip-verify, but the server does not "
				       "support TLS") < 0)
			j->oom = 1;
		mysql_close(c);
		return NULL;
	}
	return c;
}

static void inspect_pool(struct job *j, const struct queue *q)
{
	struct fx_mysql_facts *f = &j->facts;
	enum fx_mysql_tls tls = fx_mysql_tls_mode(j->pool->params);
	enum fx_flavor flavor;
	struct timespec t0;
	MYSQL *c;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	c = inspect_connect(j, q->timeout_s, tls);
	if (!c) {
		if (inspect_ms_since(&t0) + 50 >= (long)q->timeout_s * 1000)
			inspect_note_timeout(j, q->timeout_s);
		goto done;
	}
	f->reachable = 1;
	free(f->error);
	f->error = NULL;
	f->error_code = 0;

	if (inspect_interrupted(q))
		goto done;
	/* CURRENT_ROLE() is MySQL 8.0+ and MariaDB 10.0.5+: without it, ask for less */
	if (inspect_query(j, c, "SELECT VERSION(), CURRENT_USER(), CURRENT_ROLE()", row_version) < 0 &&
	    (inspect_conn_lost(c) ||
	     inspect_query(j, c, "SELECT VERSION(), CURRENT_USER(), NULL", row_version) < 0)) {
		inspect_set_error(j, c, "SELECT VERSION()");
		f->query_failed = 1;
		goto done;
	}
	if (inspect_query(j, c, sql_variables, row_var) < 0) {
		inspect_set_error(j, c, "SHOW GLOBAL VARIABLES");
		f->query_failed = 1;
		goto done;
	}
	f->have_vars = 1;
	flavor = fx_mysql_facts_flavor(f);

	if (inspect_interrupted(q))
		goto done;
	if (inspect_grants(j, c, flavor) < 0) {
		if (inspect_conn_lost(c)) {
			inspect_set_error(j, c, "SHOW GRANTS");
			f->query_failed = 1;
			goto done;
		}
		fx_mysql_facts_set(&f->grants_error, mysql_error(c));
	}

	if (j->target.n_tables && j->pool->database && *j->pool->database &&
	    !inspect_interrupted(q) && inspect_tables(j, c) < 0 && !j->oom) {
		inspect_set_error(j, c, "information_schema.TABLES");
		f->query_failed = 1;
		goto done;
	}

	if (inspect_interrupted(q))
		goto done;
	inspect_binlogs(j, c);
	if (inspect_conn_lost(c)) {
		inspect_set_error(j, c, "SHOW BINARY LOGS");
		f->query_failed = 1;
		goto done;
	}

	/* replicas: may need REPLICATION MASTER ADMIN (MariaDB) or REPLICATION SLAVE;
	 * refused is not an error.  MySQL 8.4 dropped SHOW SLAVE HOSTS. */
	if (inspect_interrupted(q))
		goto done;
	if (flavor == FX_FLAVOR_MYSQL && inspect_query(j, c, "SHOW REPLICAS", row_replica) == 0) {
		f->have_replicas = 1;
	} else if (!inspect_conn_lost(c) &&
		   inspect_query(j, c, "SHOW SLAVE HOSTS", row_replica) == 0) {
		f->have_replicas = 1;
	} else {
		fx_mysql_facts_set(&f->replicas_error, mysql_error(c));
	}
done:
	if (c)
		mysql_close(c);
	f->elapsed_ms = inspect_ms_since(&t0);
}

static void *inspect_worker(void *arg)
{
	struct queue *q = arg;

	mysql_thread_init();
	for (;;) {
		struct job *j = NULL;

		pthread_mutex_lock(&q->lock);
		if (q->next < q->n && !inspect_interrupted(q))
			j = &q->jobs[q->next++];
		pthread_mutex_unlock(&q->lock);
		if (!j)
			break;
		inspect_pool(j, q);
	}
	mysql_thread_end();
	return NULL;
}

static void inspect_log(const struct fx_mysql_inspect_opts *o, const struct job *j)
{
	const struct fx_mysql_facts *f = &j->facts;
	char line[1200];

	if (!o->net || !o->net->log)
		return;
	if (!f->reachable)
		snprintf(line, sizeof(line), "mysql '%s': unreachable after %ld ms: %s",
			 j->pool->code, f->elapsed_ms, f->error ? f->error : "?");
	else
		snprintf(line, sizeof(line), "mysql '%s': %s as %s, %d queries in %ld ms",
			 j->pool->code, f->version ? f->version : "?",
			 f->current_user ? f->current_user : "?", j->queries, f->elapsed_ms);
	fx_net_log(o->net, line);
	if (f->reachable && !f->query_failed) {
		char note[900];

		fx_mysql_replicas_note(f, j->pool->user, note, sizeof(note));
		snprintf(line, sizeof(line), "mysql '%s': %s", j->pool->code, note);
		fx_net_log(o->net, line);
	}
}

void fx_mysql_results_release(struct fx_mysql_result *res, size_t n)
{
	size_t i;

	for (i = 0; res && i < n; i++) {
		free(res[i].version);
		fx_binlog_state_release(&res[i].binlog);
		memset(&res[i], 0, sizeof(res[i]));
	}
}

int fx_mysql_inspect(const struct fx_manifest *m, const struct fx_mysql_inspect_opts *o,
		     struct fx_mysql_result *res, enum fx_flavor *flavors,
		     struct fx_checks *checks, struct fx_err *err)
{
	static const struct fx_mysql_inspect_opts dflt = FX_MYSQL_INSPECT_OPTS_INIT;
	struct queue q;
	struct fx_checks out = FX_CHECKS_INIT;
	struct fx_mysql_facts *facts = NULL;
	struct fx_mysql_target *targets = NULL;
	pthread_t threads[64];
	size_t i, n_threads = 0, max;
	int ret = -1, lock_ok = 0;

	if (!o)
		o = &dflt;
	memset(&q, 0, sizeof(q));
	q.timeout_s = (unsigned)(fx_net_timeout_ms(o->net) / 1000);
	q.interrupt = o->net ? o->net->interrupt : NULL;
	for (i = 0; i < m->n_mysql; i++) {
		if (res) {
			memset(&res[i], 0, sizeof(res[i]));
			res[i].retention_s = -1;
		}
		if (flavors)
			flavors[i] = m->mysql[i].flavor;
	}
	if (!m->n_mysql)
		return 0;
	q.jobs = fx_calloc(m->n_mysql, sizeof(*q.jobs));
	if (!q.jobs) {
		fx_err_set(err, FX_EXIT_FAILURE, "out of memory");
		goto cleanup;
	}
	for (i = 0; i < m->n_mysql; i++) {
		struct job *j = &q.jobs[q.n];

		j->pool = &m->mysql[i];
		if (fx_mysql_target_build(m, i, &j->target, err) < 0)
			goto cleanup;
		if (j->target.n_tables)
			q.n++;
		else
			fx_mysql_target_release(&j->target);
	}
	if (!q.n) {
		ret = 0;
		goto cleanup;
	}
	pthread_once(&inspect_once, inspect_lib_init);
	if (!inspect_lib_ok) {
		fx_err_set(err, FX_EXIT_FAILURE, "cannot initialise the MySQL client library");
		goto cleanup;
	}
	if (pthread_mutex_init(&q.lock, NULL)) {
		fx_err_set(err, FX_EXIT_FAILURE, "cannot create a mutex");
		goto cleanup;
	}
	lock_ok = 1;
	max = o->max_parallel > 0 ? (size_t)o->max_parallel : FX_MYSQL_MAX_PARALLEL;
	if (max > sizeof(threads) / sizeof(threads[0]))
		max = sizeof(threads) / sizeof(threads[0]);
	while (n_threads < max && n_threads < q.n &&
	       pthread_create(&threads[n_threads], NULL, inspect_worker, &q) == 0)
		n_threads++;
	if (!n_threads) /* no thread to be had: do the work here */
		inspect_worker(&q);
	for (i = 0; i < n_threads; i++)
		pthread_join(threads[i], NULL);

	if (inspect_interrupted(&q)) {
		fx_err_set(err, FX_EXIT_INTERRUPTED, "interrupted");
		goto cleanup;
	}
	facts = fx_calloc(q.n, sizeof(*facts));
	targets = fx_calloc(q.n, sizeof(*targets));
	if (!facts || !targets) {
		fx_err_set(err, FX_EXIT_FAILURE, "out of memory");
		goto cleanup;
	}
	for (i = 0; i < q.n; i++) {
		struct job *j = &q.jobs[i];
		size_t idx = (size_t)(j->pool - m->mysql);
		enum fx_flavor detected = fx_mysql_facts_flavor(&j->facts);

		if (j->oom) {
			fx_err_set(err, FX_EXIT_FAILURE, "out of memory inspecting mysql pool '%s'",
				   j->pool->code);
			goto cleanup;
		}
		inspect_log(o, j);
		if (fx_mysql_evaluate(&j->facts, &j->target, &out, err) < 0)
			goto cleanup;
		if (flavors && j->pool->flavor == FX_FLAVOR_AUTO)
			flavors[idx] = detected;
		if (res) {
			res[idx].inspected = 1;
			res[idx].reachable = j->facts.reachable;
			res[idx].flavor = detected;
			res[idx].elapsed_ms = j->facts.elapsed_ms;
			if (j->facts.version && !(res[idx].version = fx_strdup(j->facts.version))) {
				fx_err_set(err, FX_EXIT_FAILURE, "out of memory");
				goto cleanup;
			}
			{
				uint64_t secs;

				res[idx].retention_s = fx_mysql_retention(&j->facts, &secs) ? (int64_t)secs : -1;
			}
			res[idx].binlog = j->facts.binlog; /* moved */
			j->facts.binlog = (struct fx_binlog_state)FX_BINLOG_STATE_INIT;
		}
		facts[i] = j->facts;
		targets[i] = j->target;
	}
	if (fx_mysql_evaluate_shared(facts, targets, q.n, &out, err) < 0 ||
	    fx_checks_move(checks, &out) < 0) {
		fx_err_set(err, FX_EXIT_FAILURE, "out of memory");
		goto cleanup;
	}
	ret = 0;
cleanup:
	if (ret < 0 && res)
		fx_mysql_results_release(res, m->n_mysql);
	fx_checks_release(&out);
	free(facts);   /* shallow copies: the jobs own the contents */
	free(targets);
	for (i = 0; q.jobs && i < m->n_mysql; i++) {
		fx_mysql_facts_release(&q.jobs[i].facts);
		fx_mysql_target_release(&q.jobs[i].target);
	}
	free(q.jobs);
	if (lock_ok)
		pthread_mutex_destroy(&q.lock);
	return ret;
}

/* ------------------------------------------------------------ tail's column types */

/* Runs sql; the result (NULL with err set on failure). */
static MYSQL_RES *types_query(struct job *j, MYSQL *c, const char *sql, const char *what,
			      struct fx_err *err)
{
	MYSQL_RES *res;

	if (mysql_real_query(c, sql, (unsigned long)strlen(sql)) || !(res = mysql_store_result(c))) {
		inspect_set_error(j, c, what);
		fx_err_set(err, FX_EXIT_FAILURE, "%s", j->facts.error ? j->facts.error : "query failed");
		return NULL;
	}
	return res;
}

static size_t types_table_index(const char *const *tables, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(tables[i], name))
			return i;
	for (i = 0; i < n; i++) /* lower_case_table_names */
		if (!strcasecmp(tables[i], name))
			return i;
	return n;
}

int fx_mysql_column_types(const struct fx_mysql_pool *pool, const char *const *tables, size_t n,
			  const struct fx_typed_modes *modes, int timeout_s,
			  struct fx_typed_table **out, struct fx_err *err)
{
	struct job j;
	struct fx_buf sql = FX_BUF_INIT, in = FX_BUF_INIT, json = FX_BUF_INIT;
	struct fx_typed_table *t = fx_calloc(n ? n : 1, sizeof(*t));
	MYSQL *c = NULL;
	MYSQL_RES *res = NULL;
	MYSQL_ROW row;
	const char *server;
	size_t i;
	int ret = -1;

	memset(&j, 0, sizeof(j));
	j.pool = pool;
	*out = NULL;
	pthread_once(&inspect_once, inspect_lib_init);
	if (!t) {
		fx_err_set(err, FX_EXIT_FAILURE, "out of memory");
		goto cleanup;
	}
	for (i = 0; i < n; i++)
		if (!(t[i].name = fx_strdup(tables[i]))) {
			fx_err_set(err, FX_EXIT_FAILURE, "out of memory");
			goto cleanup;
		}
	if (!inspect_lib_ok) {
		fx_err_set(err, FX_EXIT_FAILURE, "cannot initialise the MySQL client library");
		goto cleanup;
	}
	if (!pool->database || !*pool->database) {
		fx_err_set(err, FX_EXIT_FAILURE, "the pool names no database");
		goto cleanup;
	}
	c = inspect_connect(&j, timeout_s > 0 ? (unsigned)timeout_s : 10,
			    fx_mysql_tls_mode(pool->params));
	if (!c) {
		fx_err_set(err, FX_EXIT_FAILURE, "%s", j.facts.error ? j.facts.error :
			   j.oom ? "out of memory" : "cannot connect");
		goto cleanup;
	}
	for (i = 0; i < n; i++) {
		if (i)
			fx_buf_adds(&in, ", ");
		inspect_quote(c, &in, tables[i]);
	}
	/* MariaDB's JSON: a LONGTEXT with a column check json_valid(`col`), as
	 * "table\tcolumn\n" lines; any failure only means no JSON is known */
	server = mysql_get_server_info(c);
	if (server && strstr(server, "MariaDB") && n) {
		fx_buf_adds(&sql, "SELECT TABLE_NAME, CONSTRAINT_NAME FROM "
			    "information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ");
		inspect_quote(c, &sql, pool->database);
		fx_buf_addf(&sql, " AND TABLE_NAME IN (%s) AND LEVEL = 'Column' AND "
			    "CHECK_CLAUSE LIKE 'json\\_valid(%%'", fx_buf_str(&in));
		if (fx_buf_ok(&sql) && !mysql_real_query(c, sql.buf, (unsigned long)sql.len) &&
		    (res = mysql_store_result(c))) {
			while ((row = mysql_fetch_row(res)))
				if (row[0] && row[1])
					fx_buf_addf(&json, "%s%s\t%s\n", json.len ? "" : "\n",
						    row[0], row[1]);
			mysql_free_result(res);
			res = NULL;
		}
		fx_buf_reset(&sql);
	}
	fx_buf_adds(&sql, "SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, NUMERIC_PRECISION, "
		    "NUMERIC_SCALE, DATETIME_PRECISION FROM information_schema.COLUMNS WHERE "
		    "TABLE_SCHEMA = ");
	inspect_quote(c, &sql, pool->database);
	fx_buf_addf(&sql, " AND TABLE_NAME IN (%s) ORDER BY TABLE_NAME, ORDINAL_POSITION",
		    n ? fx_buf_str(&in) : "NULL");
	if (!fx_buf_ok(&sql) || !fx_buf_ok(&in) || !fx_buf_ok(&json)) {
		fx_err_set(err, FX_EXIT_FAILURE, "out of memory");
		goto cleanup;
	}
	res = types_query(&j, c, fx_buf_str(&sql), "information_schema.COLUMNS", err);
	if (!res)
		goto cleanup;
	while ((row = mysql_fetch_row(res))) {
		size_t k;
		int is_json = 0;

		if (mysql_num_fields(res) < 7 || !row[0] || !row[1])
			continue;
		k = types_table_index(tables, n, row[0]);
		if (k == n)
			continue;
		if (json.len) {
			char *line = fx_asprintf("\n%s\t%s\n", row[0], row[1]);

			if (!line) {
				fx_err_set(err, FX_EXIT_FAILURE, "out of memory");
				goto cleanup;
			}
			is_json = strstr(json.buf, line) != NULL;
			free(line);
		}
		if (fx_typed_table_add(&t[k], row[1],
				       fx_typed_col_from_mysql(row[2], row[3], row[4], row[5], row[6],
							       is_json, modes)) < 0) {
			fx_err_set(err, FX_EXIT_FAILURE, "out of memory");
			goto cleanup;
		}
	}
	*out = t;
	t = NULL;
	ret = 0;
cleanup:
	if (res)
		mysql_free_result(res);
	if (c)
		mysql_close(c);
	fx_typed_tables_free(t, n);
	fx_mysql_facts_release(&j.facts);
	fx_buf_release(&sql);
	fx_buf_release(&in);
	fx_buf_release(&json);
	return ret;
}
