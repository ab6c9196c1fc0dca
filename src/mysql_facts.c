/*
 * Facts about a MySQL/MariaDB server -> SPEC §4 checks.  Pure; see
 * mysql_facts.h.  Every hint says how to fix the finding: the my.cnf line, the
 * SET statement, the GRANT statement, the manifest key.
 */
#include "mysql_facts.h"
#include "snapshot.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "desired.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/str.h"

/* Debezium loses its place when binlogs expire while it is stopped: a day at least. */
#define MIN_RETENTION_S 86400u

/* ------------------------------------------------------------------ facts */

void fx_mysql_facts_release(struct fx_mysql_facts *f)
{
	size_t i;

	free(f->error);
	free(f->version);
	free(f->current_user);
	free(f->current_role);
	for (i = 0; i < f->n_vars; i++) {
		free(f->vars[i].name);
		free(f->vars[i].value);
	}
	free(f->vars);
	for (i = 0; i < f->n_grants; i++)
		free(f->grants[i]);
	free(f->grants);
	free(f->grants_error);
	for (i = 0; i < f->n_tables; i++) {
		free(f->tables[i].name);
		free(f->tables[i].type);
	}
	free(f->tables);
	for (i = 0; i < f->n_schema_tables; i++)
		free(f->schema_tables[i]);
	free(f->schema_tables);
	free(f->replicas);
	free(f->replicas_error);
	fx_binlog_state_release(&f->binlog);
	free(f->binlog_error);
	memset(f, 0, sizeof(*f));
}

int fx_mysql_facts_set(char **field, const char *value)
{
	char *s = value ? fx_strdup(value) : NULL;

	if (value && !s)
		return -1;
	free(*field);
	*field = s;
	return 0;
}

int fx_mysql_facts_add_var(struct fx_mysql_facts *f, const char *name, const char *value)
{
	struct fx_mysql_var v, *a;
	char *p;

	v.name = fx_strdup(name);
	v.value = fx_strdup(value ? value : "");
	a = v.name && v.value ? fx_realloc(f->vars, (f->n_vars + 1) * sizeof(*a)) : NULL;
	if (!a) {
		free(v.name);
		free(v.value);
		return -1;
	}
	for (p = v.name; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	a[f->n_vars++] = v;
	f->vars = a;
	return 0;
}

/* Appends a copy of s to a string array of n items (grown one at a time: lists are short). */
static int strv_push(char ***arr, size_t *n, const char *s)
{
	char **a;
	char *c = fx_strdup(s);

	if (!c)
		return -1;
	a = fx_realloc(*arr, (*n + 1) * sizeof(*a));
	if (!a) {
		free(c);
		return -1;
	}
	a[(*n)++] = c;
	*arr = a;
	return 0;
}

int fx_mysql_facts_add_grant(struct fx_mysql_facts *f, const char *line)
{
	return strv_push(&f->grants, &f->n_grants, line);
}

int fx_mysql_facts_add_schema_table(struct fx_mysql_facts *f, const char *name)
{
	return strv_push(&f->schema_tables, &f->n_schema_tables, name);
}

int fx_mysql_facts_add_table(struct fx_mysql_facts *f, const char *name, const char *type,
			     int has_pk)
{
	struct fx_mysql_table *a, t;

	t.name = fx_strdup(name);
	t.type = fx_strdup(type ? type : "BASE TABLE");
	t.has_pk = has_pk;
	a = t.name && t.type ? fx_realloc(f->tables, (f->n_tables + 1) * sizeof(*a)) : NULL;
	if (!a) {
		free(t.name);
		free(t.type);
		return -1;
	}
	a[f->n_tables++] = t;
	f->tables = a;
	return 0;
}

int fx_mysql_facts_add_replica(struct fx_mysql_facts *f, uint32_t server_id)
{
	uint32_t *a = fx_realloc(f->replicas, (f->n_replicas + 1) * sizeof(*a));

	if (!a)
		return -1;
	a[f->n_replicas++] = server_id;
	f->replicas = a;
	return 0;
}

const char *fx_mysql_facts_var(const struct fx_mysql_facts *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->n_vars; i++)
		if (!strcasecmp(f->vars[i].name, name))
			return f->vars[i].value;
	return NULL;
}

enum fx_flavor fx_mysql_facts_flavor(const struct fx_mysql_facts *f)
{
	const char *comment = fx_mysql_facts_var(f, "version_comment");

	if (!f->version)
		return FX_FLAVOR_AUTO;
	if (fx_str_icontains(f->version, "mariadb") || (comment && fx_str_icontains(comment, "mariadb")))
		return FX_FLAVOR_MARIADB;
	return FX_FLAVOR_MYSQL;
}

/* ----------------------------------------------------------------- target */

void fx_mysql_target_release(struct fx_mysql_target *t)
{
	free(t->tables);
	free(t->ids);
	t->pool = NULL;
	t->tables = NULL;
	t->ids = NULL;
	t->n_tables = t->n_ids = 0;
}

int fx_mysql_connector_server_id(const struct fx_mysql_pool *pool, const char *kafka_pool,
				 uint32_t *id)
{
	uint64_t v;
	size_t i;

	for (i = pool->n_connector; i-- > 0;) {
		if (strcmp(pool->connector[i].key, "database.server.id"))
			continue;
		if (fx_str_to_u64(pool->connector[i].value, 0, UINT32_MAX, &v) < 0)
			return -1;
		*id = (uint32_t)v;
		return 0;
	}
	*id = fx_manifest_server_id(pool, kafka_pool, NULL);
	return 0;
}

int fx_mysql_target_build(const struct fx_manifest *m, size_t pool_index,
			  struct fx_mysql_target *t, struct fx_err *err)
{
	const struct fx_mysql_pool *p = &m->mysql[pool_index];
	size_t i, j;

	fx_mysql_target_release(t);
	t->pool = p;
	if (m->n_entities) {
		t->tables = fx_calloc(m->n_entities, sizeof(*t->tables));
		t->ids = fx_calloc(m->n_entities, sizeof(*t->ids));
		if (!t->tables || !t->ids) {
			fx_mysql_target_release(t);
			return fx_err_set(err, FX_EXIT_FAILURE, "out of memory");
		}
	}
	for (i = 0; i < m->n_entities; i++) {
		const struct fx_entity *e = &m->entities[i];
		uint32_t id;

		if (!e->kafka_pool || !e->mysql_pool || strcmp(e->mysql_pool, p->code))
			continue;
		for (j = 0; j < t->n_tables && strcmp(t->tables[j], e->table); j++)
			;
		if (j == t->n_tables)
			t->tables[t->n_tables++] = e->table;
		for (j = 0; j < t->n_ids && strcmp(t->ids[j].kafka_pool, e->kafka_pool); j++)
			;
		if (j == t->n_ids && fx_mysql_connector_server_id(p, e->kafka_pool, &id) == 0) {
			t->ids[t->n_ids].kafka_pool = e->kafka_pool;
			t->ids[t->n_ids++].id = id;
		}
	}
	return 0;
}

/* ----------------------------------------------------------------- grants */

static const char *skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* Consumes the keyword kw (case-insensitive, whole word) at *pp. */
static int take_kw(const char **pp, const char *kw)
{
	const char *p = skip_ws(*pp);
	size_t n = strlen(kw);

	if (strncasecmp(p, kw, n) || isalnum((unsigned char)p[n]) || p[n] == '_')
		return 0;
	*pp = p + n;
	return 1;
}

/* An identifier (`quoted`, 'quoted' or bare) or "*" into out; -1 when none. */
static int take_ident(const char **pp, char *out, size_t size)
{
	const char *p = skip_ws(*pp);
	size_t n = 0;

	if (*p == '`' || *p == '\'' || *p == '"') {
		char q = *p++;

		for (;;) {
			if (!*p)
				return -1;
			if (*p == q) {
				if (p[1] != q)
					break;
				p++;
			}
			if (n + 1 < size)
				out[n++] = *p;
			p++;
		}
		p++;
	} else if (*p == '*') {
		out[n++] = *p++;
	} else {
		while (*p && *p != '.' && *p != ' ' && *p != '\t') {
			if (n + 1 < size)
				out[n++] = *p;
			p++;
		}
		if (!n)
			return -1;
	}
	out[n] = '\0';
	*pp = p;
	return 0;
}

static unsigned priv_bits(const char *name)
{
	static const struct {
		const char *name;
		unsigned bits;
	} map[] = {
		{ "ALL", FX_PRIV_REQUIRED },
		{ "ALL PRIVILEGES", FX_PRIV_REQUIRED },
		{ "SELECT", FX_PRIV_SELECT },
		{ "RELOAD", FX_PRIV_RELOAD },
		{ "SHOW DATABASES", FX_PRIV_SHOW_DATABASES },
		{ "REPLICATION SLAVE", FX_PRIV_REPLICATION_SLAVE },
		{ "REPLICATION REPLICA", FX_PRIV_REPLICATION_SLAVE },
		{ "REPLICATION CLIENT", FX_PRIV_REPLICATION_CLIENT },
		{ "BINLOG MONITOR", FX_PRIV_REPLICATION_CLIENT },
		/* SHOW BINARY LOGS / SHOW MASTER STATUS accept SUPER (MySQL; MariaDB 10.11
		 * verified: tests/fixtures/mysql/mariadb-10.11-grants-super.txt) */
		{ "SUPER", FX_PRIV_REPLICATION_CLIENT },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcasecmp(name, map[i].name))
			return map[i].bits;
	return 0;
}

/* Parses "priv[ (cols)][, priv...]" up to the keyword ON; sets *bits, *proxy. */
static int take_privs(const char **pp, unsigned *bits, int *proxy)
{
	const char *p = *pp;
	char name[64];

	*bits = 0;
	*proxy = 0;
	for (;;) {
		size_t n = 0;
		int column = 0;

		/* words of one privilege name */
		for (;;) {
			const char *w;

			p = skip_ws(p);
			if (take_kw(&p, "ON")) {
				if (!n)
					return -1;
				p -= 2; /* leave ON for the caller */
				break;
			}
			w = p;
			while (isalnum((unsigned char)*p) || *p == '_')
				p++;
			if (p == w)
				break;
			if (n + (size_t)(p - w) + 2 >= sizeof(name))
				return -1;
			if (n)
				name[n++] = ' ';
			memcpy(name + n, w, (size_t)(p - w));
			n += (size_t)(p - w);
		}
		if (!n)
			return -1;
		name[n] = '\0';
		p = skip_ws(p);
		if (*p == '(') { /* column list: SELECT (`ID`, `Name`) */
			char q = 0;

			column = 1;
			for (p++; *p && (q || *p != ')'); p++) {
				if (q && *p == q)
					q = 0;
				else if (!q && (*p == '`' || *p == '\'' || *p == '"'))
					q = *p;
			}
			if (*p != ')')
				return -1;
			p = skip_ws(p + 1);
		}
		if (!strcasecmp(name, "PROXY"))
			*proxy = 1;
		if (!column)
			*bits |= priv_bits(name);
		if (*p == ',') {
			p++;
			continue;
		}
		if (take_kw(&p, "ON")) {
			*pp = p;
			return 0;
		}
		return -1;
	}
}

int fx_mysql_grant_parse(const char *line, struct fx_mysql_grant *g)
{
	const char *p = line;
	char db[256], table[256];
	int proxy;

	memset(g, 0, sizeof(*g));
	if (take_kw(&p, "SET")) /* SET DEFAULT ROLE ... FOR ... */
		return 0;
	if (take_kw(&p, "REVOKE"))
		g->revoke = 1;
	else if (!take_kw(&p, "GRANT"))
		return -1;
	p = skip_ws(p);
	if (*p == '`' || *p == '\'' || *p == '"') { /* GRANT `role`[@`host`][, ...] TO ... */
		if (g->revoke || take_ident(&p, g->db, sizeof(g->db)) < 0)
			return -1;
		g->level = FX_GRANT_ROLE;
		return 0;
	}
	if (take_privs(&p, &g->privs, &proxy) < 0)
		return -1;
	if (proxy) { /* GRANT PROXY ON ''@'%' */
		g->privs = 0;
		return 0;
	}
	if (take_kw(&p, "FUNCTION") || take_kw(&p, "PROCEDURE") || take_kw(&p, "PACKAGE")) {
		g->privs = 0;
		return 0;
	}
	(void)take_kw(&p, "TABLE");
	if (take_ident(&p, db, sizeof(db)) < 0 || *p != '.')
		return -1;
	p++;
	if (take_ident(&p, table, sizeof(table)) < 0)
		return -1;
	if (!take_kw(&p, g->revoke ? "FROM" : "TO"))
		return -1;
	if (!strcmp(db, "*") && !strcmp(table, "*")) {
		g->level = FX_GRANT_GLOBAL;
	} else if (!strcmp(table, "*")) {
		g->level = FX_GRANT_DB;
		snprintf(g->db, sizeof(g->db), "%s", db);
	} else {
		g->level = FX_GRANT_TABLE;
		snprintf(g->db, sizeof(g->db), "%s", db);
		snprintf(g->table, sizeof(g->table), "%s", table);
	}
	return 0;
}

int fx_mysql_like(const char *pat, const char *s)
{
	for (; *pat; pat++, s++) {
		if (*pat == '%') {
			while (pat[1] == '%')
				pat++;
			if (!pat[1])
				return 1;
			for (; *s; s++)
				if (fx_mysql_like(pat + 1, s))
					return 1;
			return 0;
		}
		if (!*s)
			return 0;
		if (*pat == '\\' && pat[1]) {
			pat++;
			if (*pat != *s)
				return 0;
		} else if (*pat != '_' && *pat != *s) {
			return 0;
		}
	}
	return !*s;
}

unsigned fx_mysql_grants_privs(const char *const *lines, size_t n, const char *db,
			       const char *const *tables, size_t n_tables)
{
	struct fx_mysql_grant g;
	unsigned held = 0, revoked = 0;
	size_t i, t;

	for (i = 0; i < n; i++) {
		if (fx_mysql_grant_parse(lines[i], &g) < 0)
			continue;
		if (g.revoke) {
			if (g.level == FX_GRANT_DB && db && !strcmp(g.db, db))
				revoked |= g.privs & FX_PRIV_SELECT;
		} else if (g.level == FX_GRANT_GLOBAL) {
			held |= g.privs;
		} else if (g.level == FX_GRANT_DB && db && fx_mysql_like(g.db, db)) {
			held |= g.privs & FX_PRIV_SELECT; /* the others only count on *.* */
		}
	}
	held &= ~revoked;
	if (held & FX_PRIV_SELECT || !db || !n_tables)
		return held;
	/* table-level SELECT on every captured table is enough too */
	for (t = 0; t < n_tables; t++) {
		int ok = 0;

		for (i = 0; i < n && !ok; i++)
			ok = fx_mysql_grant_parse(lines[i], &g) == 0 && !g.revoke &&
			     g.level == FX_GRANT_TABLE && g.privs & FX_PRIV_SELECT &&
			     !strcmp(g.db, db) && !strcmp(g.table, tables[t]);
		if (!ok)
			return held;
	}
	return held | FX_PRIV_SELECT;
}

/* -------------------------------------------------------------- variables */

int fx_mysql_retention(const struct fx_mysql_facts *f, uint64_t *seconds)
{
	const char *purge = fx_mysql_facts_var(f, "binlog_expire_logs_auto_purge");
	const char *secs = fx_mysql_facts_var(f, "binlog_expire_logs_seconds");
	const char *days = fx_mysql_facts_var(f, "expire_logs_days");
	uint64_t s;
	double d;
	char *end;

	if (purge && !strcasecmp(purge, "OFF")) { /* MySQL 8.0.29+: never purges */
		*seconds = 0;
		return 1;
	}
	if (secs && fx_str_to_u64(secs, 0, UINT64_MAX, &s) == 0 && s > 0) {
		*seconds = s;
		return 1;
	}
	if (days) {
		d = strtod(days, &end);
		if (end != days && d > 0) { /* MariaDB prints days as a decimal: 0.041667 */
			*seconds = (uint64_t)(d * 86400.0 + 0.5);
			return 1;
		}
	}
	if (!secs && !days)
		return 0;
	*seconds = 0;
	return 1;
}

enum fx_mysql_tls fx_mysql_tls_mode(const char *params)
{
	const char *p = params;

	while (p && *p) {
		const char *amp = strchr(p, '&');
		size_t len = amp ? (size_t)(amp - p) : strlen(p);

		if (len >= 4 && !strncmp(p, "tls=", 4)) {
			const char *v = p + 4;
			size_t vl = len - 4;

			if ((vl == 4 && !strncasecmp(v, "true", 4)) || (vl == 1 && *v == '1'))
				return FX_MYSQL_TLS_VERIFY;
			if (vl == 11 && !strncasecmp(v, "skip-verify", 11))
				return FX_MYSQL_TLS_SKIP_VERIFY;
			if (vl == 9 && !strncasecmp(v, "preferred", 9))
				return FX_MYSQL_TLS_PREFERRED;
			if ((vl == 5 && !strncasecmp(v, "false", 5)) || (vl == 1 && *v == '0') || !vl)
				return FX_MYSQL_TLS_OFF;
			return FX_MYSQL_TLS_VERIFY; /* a custom registered config: verify */
		}
		p = amp ? amp + 1 : NULL;
	}
	return FX_MYSQL_TLS_OFF;
}

/* ------------------------------------------------------------- evaluation */

struct eval {
	const struct fx_mysql_facts *f;
	const struct fx_mysql_target *t;
	const struct fx_mysql_pool *p;
	enum fx_flavor flavor; /* detected */
	char scope[300];
	struct fx_checks *out;
	int oom;
};

static void add(struct eval *e, enum fx_check_level level, const char *id, const char *observed,
		const char *expected, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

static void add(struct eval *e, enum fx_check_level level, const char *id, const char *observed,
		const char *expected, const char *hint, const char *fmt, ...)
{
	struct fx_buf msg = FX_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	fx_buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	if (!fx_buf_ok(&msg) ||
	    fx_checks_add(e->out, level, id, e->scope, observed, expected, hint, "%s",
			  fx_buf_str(&msg)) < 0)
		e->oom = 1;
	fx_buf_release(&msg);
}

/* "host:port", or "unix socket PATH" */
static void pool_addr(const struct fx_mysql_pool *p, char *out, size_t size)
{
	if (p->socket)
		snprintf(out, size, "unix socket %s", p->socket);
	else if (p->host && strchr(p->host, ':'))
		snprintf(out, size, "[%s]:%u", p->host, p->port);
	else
		snprintf(out, size, "%s:%u", p->host ? p->host : "localhost", p->port);
}

static const char *reach_hint(unsigned code)
{
	switch (code) {
	case 1045: /* ER_ACCESS_DENIED_ERROR */
	case 1698: /* ER_ACCESS_DENIED_NO_PASSWORD_ERROR */
		return "check the user and password of the pool (dsn, or user/password) and that "
		       "the account exists for the host fluxacdc connects from";
	case 1130: /* ER_HOST_NOT_PRIVILEGED */
		return "create the account for the host fluxacdc connects from (CREATE USER "
		       "'user'@'host' ...), or connect from a host the account allows";
	case 1129: /* ER_HOST_IS_BLOCKED */
		return "run FLUSH HOSTS on the server (or raise max_connect_errors)";
	case 1040: /* ER_CON_COUNT_ERROR */
		return "the server has no free connections: raise max_connections or close some";
	case 2026: /* CR_SSL_CONNECTION_ERROR */
		return "check tls= in the dsn (true, skip-verify, preferred, false) and the "
		       "server's TLS set-up";
	case 2005: /* CR_UNKNOWN_HOST */
		return "check the host name of the pool: it does not resolve from here";
	default:
		return "check host and port (or socket) of the pool, that the server runs and "
		       "that it is reachable from here (firewall, bind-address); --timeout sets "
		       "how long fluxacdc waits";
	}
}

static int is_on(const char *v)
{
	return v && (!strcasecmp(v, "ON") || !strcmp(v, "1"));
}

/* How to set a dynamic variable for good: my.cnf line plus the runtime statement. */
static void set_hint(struct eval *e, struct fx_buf *b, const char *var, const char *cnf_value,
		     const char *sql_value)
{
	if (e->flavor == FX_FLAVOR_MYSQL)
		fx_buf_addf(b, "SET PERSIST %s = %s; (or %s = %s under [mysqld] in my.cnf, then "
			    "restart)", var, sql_value, var, cnf_value);
	else
		fx_buf_addf(b, "set %s = %s under [mysqld] in my.cnf, and run SET GLOBAL %s = %s "
			    "for the running server", var, cnf_value, var, sql_value);
}

static void check_reachable(struct eval *e)
{
	const struct fx_mysql_pool *p = e->p;
	char addr[600];

	pool_addr(p, addr, sizeof(addr));
	add(e, FX_CHECK_ERROR, "mysql.reachable", e->f->error ? e->f->error : "unreachable",
	    "connected", reach_hint(e->f->error_code), "cannot connect to %s as '%s': %s", addr,
	    p->user ? p->user : "", e->f->error ? e->f->error : "unknown error");
}

static void check_flavor(struct eval *e)
{
	const struct fx_mysql_pool *p = e->p;
	const char *name = e->flavor == FX_FLAVOR_MARIADB ? "MariaDB" : "MySQL";
	char observed[400], hint[300];

	snprintf(observed, sizeof(observed), "%s %s", fx_flavor_name(e->flavor), e->f->version);
	if (p->flavor != FX_FLAVOR_AUTO && p->flavor != e->flavor) {
		snprintf(hint, sizeof(hint), "set flavor: %s (or auto) on mysql pool '%s'",
			 fx_flavor_name(e->flavor), p->code);
		add(e, FX_CHECK_WARNING, "mysql.flavor", observed, fx_flavor_name(p->flavor), hint,
		    "the manifest says %s but the server is %s %s: connector class %s may not "
		    "read its binlog", fx_flavor_name(p->flavor), name, e->f->version,
		    fx_desired_class(p->flavor));
		return;
	}
	add(e, FX_CHECK_INFO, "mysql.flavor", observed, fx_flavor_name(p->flavor), NULL,
	    "%s %s; connector class %s", name, e->f->version, fx_desired_class(e->flavor));
}

static void check_variables(struct eval *e)
{
	const struct fx_mysql_facts *f = e->f;
	const char *v;
	struct fx_buf h = FX_BUF_INIT;
	uint64_t secs, id;

	v = fx_mysql_facts_var(f, "log_bin");
	if (v && !is_on(v))
		add(e, FX_CHECK_ERROR, "mysql.log_bin", v, "ON",
		    "add log_bin = mysql-bin (with server_id and binlog_format = ROW) under "
		    "[mysqld] in my.cnf and restart the server: log_bin cannot be set at runtime",
		    "the binary log is off: Debezium has nothing to read");

	v = fx_mysql_facts_var(f, "binlog_format");
	if (v && strcasecmp(v, "ROW")) {
		fx_buf_reset(&h);
		set_hint(e, &h, "binlog_format", "ROW", "'ROW'");
		fx_buf_adds(&h, "; sessions opened before keep their format until they reconnect");
		add(e, FX_CHECK_ERROR, "mysql.binlog_format", v, "ROW", fx_buf_str(&h),
		    "binlog_format is %s: Debezium reads row events only and misses changes "
		    "logged as statements", v);
	}

	v = fx_mysql_facts_var(f, "binlog_row_image");
	if (v && strcasecmp(v, "FULL")) {
		fx_buf_reset(&h);
		set_hint(e, &h, "binlog_row_image", "FULL", "'FULL'");
		add(e, FX_CHECK_ERROR, "mysql.binlog_row_image", v, "FULL", fx_buf_str(&h),
		    "binlog_row_image is %s: change events would lack the columns an update "
		    "did not touch", v);
	}

	v = fx_mysql_facts_var(f, "server_id");
	if (v && fx_str_to_u64(v, 0, UINT32_MAX, &id) == 0 && id == 0)
		add(e, FX_CHECK_ERROR, "mysql.server_id", v, "non-zero",
		    "set server_id = 1 (any id unique among the servers and connectors of the "
		    "replication topology) under [mysqld] in my.cnf and restart the server",
		    "server_id is 0: the server refuses binlog clients");

	v = fx_mysql_facts_var(f, "binlog_row_value_options");
	if (v && fx_str_icontains(v, "PARTIAL_JSON")) {
		fx_buf_reset(&h);
		set_hint(e, &h, "binlog_row_value_options", "''", "''");
		add(e, FX_CHECK_ERROR, "mysql.binlog_row_value_options", v, "not PARTIAL_JSON",
		    fx_buf_str(&h),
		    "binlog_row_value_options is %s: JSON updates are logged as partial diffs "
		    "that Debezium cannot apply", v);
	}

	v = fx_mysql_facts_var(f, "log_bin_compress");
	if (v && is_on(v)) {
		fx_buf_reset(&h);
		set_hint(e, &h, "log_bin_compress", "OFF", "OFF");
		add(e, FX_CHECK_ERROR, "mysql.log_bin_compress", v, "OFF", fx_buf_str(&h),
		    "log_bin_compress is ON: Debezium cannot read compressed binlog events");
	}

	v = fx_mysql_facts_var(f, "gtid_mode");
	if (v && fx_gtid_mode_permissive(v)) {
		fx_buf_reset(&h);
		fx_buf_addf(&h, "finish the GTID migration: SET PERSIST gtid_mode = %s (or back to "
			    "%s); a connector cannot read a binlog that mixes anonymous and GTID "
			    "transactions", !strcasecmp(v, "ON_PERMISSIVE") ? "ON" : "OFF_PERMISSIVE, then ON_PERMISSIVE, then ON",
			    !strcasecmp(v, "ON_PERMISSIVE") ? "OFF_PERMISSIVE, then OFF" : "OFF");
		add(e, FX_CHECK_ERROR, "mysql.gtid_mode", v, "ON or OFF", fx_buf_str(&h),
		    "gtid_mode is %s, a transitional mode: Debezium stops on it", v);
	}

	if (fx_mysql_retention(f, &secs) && secs > 0 && secs < MIN_RETENTION_S) {
		char obs[64], msg[64];

		snprintf(obs, sizeof(obs), "%llu s", (unsigned long long)secs);
		if (secs % 3600 == 0)
			snprintf(msg, sizeof(msg), "%llu h", (unsigned long long)(secs / 3600));
		else if (secs >= 3600)
			snprintf(msg, sizeof(msg), "%.1f h", (double)secs / 3600.0);
		else
			snprintf(msg, sizeof(msg), "%llu min", (unsigned long long)(secs / 60));
		fx_buf_reset(&h);
		set_hint(e, &h, "binlog_expire_logs_seconds", "604800", "604800");
		add(e, FX_CHECK_WARNING, "mysql.binlog_retention", obs,
		    ">= 86400 s (24 h), or 0 (never expire)", fx_buf_str(&h),
		    "binary logs expire after %s: a connector stopped longer than that loses its "
		    "position and has to snapshot again", msg);
	}
	if (!fx_buf_ok(&h))
		e->oom = 1;
	fx_buf_release(&h);
}

/* "'user'@'host'" from CURRENT_USER()'s "user@host", SQL-quoted. */
static void grantee(const char *current_user, const char *fallback_user, struct fx_buf *b)
{
	const char *at = current_user ? strrchr(current_user, '@') : NULL;
	const char *u = current_user ? current_user : fallback_user ? fallback_user : "";
	size_t ulen = at ? (size_t)(at - u) : strlen(u), i;

	fx_buf_addc(b, '\'');
	for (i = 0; i < ulen; i++) {
		if (u[i] == '\'')
			fx_buf_addc(b, '\'');
		fx_buf_addc(b, u[i]);
	}
	fx_buf_adds(b, "'@'");
	for (i = 0; at && at[1 + i]; i++) {
		if (at[1 + i] == '\'')
			fx_buf_addc(b, '\'');
		fx_buf_addc(b, at[1 + i]);
	}
	fx_buf_adds(b, at ? "'" : "%'");
}

static void priv_names(unsigned bits, enum fx_flavor flavor, struct fx_buf *b)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {
		{ FX_PRIV_SELECT, "SELECT" },
		{ FX_PRIV_RELOAD, "RELOAD" },
		{ FX_PRIV_SHOW_DATABASES, "SHOW DATABASES" },
		{ FX_PRIV_REPLICATION_SLAVE, "REPLICATION SLAVE" },
		{ FX_PRIV_REPLICATION_CLIENT, NULL },
	};
	size_t i, n = 0;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!(bits & names[i].bit))
			continue;
		fx_buf_adds(b, n++ ? ", " : "");
		fx_buf_adds(b, names[i].name ? names[i].name :
			       flavor == FX_FLAVOR_MARIADB ? "BINLOG MONITOR" : "REPLICATION CLIENT");
	}
}

/* The pool's connector: override of key, or NULL. */
static const char *pool_override(const struct fx_mysql_pool *p, const char *key)
{
	size_t i;
	const char *v = NULL;

	for (i = 0; i < p->n_connector; i++)
		if (!strcmp(p->connector[i].key, key))
			v = p->connector[i].value;
	return v;
}

/* Whether a grant line gives INSERT on db.table (or all privileges above it). */
static int grants_insert(const struct fx_mysql_facts *f, const char *db, const char *table)
{
	size_t i;

	for (i = 0; i < f->n_grants; i++) {
		struct fx_mysql_grant g;
		const char *l = f->grants[i], *on = strstr(l, " ON ");
		int ins;

		if (!on || fx_mysql_grant_parse(l, &g) < 0 || g.revoke)
			continue;
		ins = (strstr(l, "INSERT") && strstr(l, "INSERT") < on) ||
		      (strstr(l, "ALL PRIVILEGES") && strstr(l, "ALL PRIVILEGES") < on);
		if (!ins)
			continue;
		if (g.level == FX_GRANT_GLOBAL || (g.level == FX_GRANT_DB && fx_mysql_like(g.db, db)) ||
		    (g.level == FX_GRANT_TABLE && !strcmp(g.db, db) && !strcmp(g.table, table)))
			return 1;
	}
	return 0;
}

/*
 * snapshot_new_tables: what the chosen watermarking mode needs on the server
 * (see SNAPSHOTS in fluxacdc.yaml(5)).  Read-only: MariaDB always has GTIDs;
 * MySQL needs gtid_mode ON (with read.only=true and GTIDs off, the task fails
 * at start).  A signal table: the connector user's INSERT on it.
 */
static void check_snapshot_mode(struct eval *e)
{
	const struct fx_mysql_pool *p = e->p;
	const char *ro = pool_override(p, "read.only");
	const char *sig = pool_override(p, "signal.data.collection");
	const char *gtid = fx_mysql_facts_var(e->f, "gtid_mode");
	const char *cons = fx_mysql_facts_var(e->f, "enforce_gtid_consistency");
	int mariadb = e->flavor == FX_FLAVOR_MARIADB;
	enum fx_snap_mode mode;
	char obs[128];

	if (!p->snapshot_new_tables || !e->f->have_vars)
		return;
	mode = fx_snapshot_mode(mariadb, gtid ? gtid : "OFF", ro ? ro : "true", sig);
	if (mode == FX_SNAP_MODE_READ_ONLY) {
		add(e, FX_CHECK_INFO, "mysql.snapshot_mode", mariadb ? "MariaDB GTIDs" : "gtid_mode=ON",
		    "read-only", NULL,
		    "tables added to a live connector are backfilled by read-only incremental snapshots "
		    "(watermarks from the server's GTID position: no signal table, no write grant)");
		if (!mariadb && cons && !is_on(cons))
			add(e, FX_CHECK_WARNING, "mysql.snapshot_mode", "enforce_gtid_consistency=OFF",
			    "enforce_gtid_consistency=ON",
			    "SET PERSIST enforce_gtid_consistency = ON",
			    "gtid_mode is ON but enforce_gtid_consistency is %s", cons);
		return;
	}
	if (mode == FX_SNAP_MODE_SIGNAL_TABLE) {
		char db[256], table[256];
		const char *dot = strchr(sig, '.');

		snprintf(db, sizeof(db), "%.*s", dot ? (int)(dot - sig) : 0, sig);
		snprintf(table, sizeof(table), "%s", dot ? dot + 1 : sig);
		if (!e->f->have_grants || grants_insert(e->f, db, table)) {
			add(e, FX_CHECK_INFO, "mysql.snapshot_mode", sig, "signal table", NULL,
			    "tables added to a live connector are backfilled by incremental snapshots "
			    "watermarked in the signal table %s", sig);
			return;
		}
		snprintf(obs, sizeof(obs), "no INSERT on %s", sig);
		{
			struct fx_buf h = FX_BUF_INIT;

			fx_buf_addf(&h, "GRANT INSERT ON %s TO the connector user (%s); create the table "
				    "first if needed: CREATE TABLE %s (id VARCHAR(42) PRIMARY KEY, "
				    "type VARCHAR(32) NOT NULL, data VARCHAR(2048))", sig,
				    p->user ? p->user : "?", sig);
			add(e, FX_CHECK_ERROR, "mysql.snapshot_mode", obs, "INSERT on the signal table",
			    fx_buf_str(&h),
			    "Debezium writes its incremental snapshot watermarks into %s, but '%s' may "
			    "not insert there", sig, p->user ? p->user : "");
			fx_buf_release(&h);
		}
		return;
	}
	if (!mariadb && (!ro || !strcasecmp(ro, "true"))) {
		snprintf(obs, sizeof(obs), "gtid_mode=%s", gtid ? gtid : "OFF");
		add(e, FX_CHECK_ERROR, "mysql.snapshot_mode", obs, "gtid_mode=ON",
		    "enable GTIDs (SET PERSIST enforce_gtid_consistency = ON, then gtid_mode "
		    "OFF_PERMISSIVE, ON_PERMISSIVE, ON), or use a signal table (CREATE TABLE "
		    "db.debezium_signal (id VARCHAR(42) PRIMARY KEY, type VARCHAR(32) NOT NULL, data "
		    "VARCHAR(2048)), GRANT INSERT on it, and under the pool's connector: read.only: "
		    "\"false\", signal.data.collection: db.debezium_signal), or set snapshot_new_tables: "
		    "false",
		    "snapshot_new_tables uses read-only incremental snapshots, which need GTIDs on "
		    "MySQL: with read.only=true and gtid_mode %s the connector's task fails at start "
		    "(\"Read only connection requires GTID_MODE to be ON\")", gtid ? gtid : "OFF");
		return;
	}
	add(e, FX_CHECK_WARNING, "mysql.snapshot_mode", "read.only=false, no signal table",
	    "read-only or a signal table",
	    "remove the read.only override (MariaDB, or MySQL with GTIDs), or set "
	    "signal.data.collection to a signal table the connector user may insert into",
	    "tables added to a live connector cannot be backfilled: the connector has neither "
	    "read-only mode nor a signal table");
}

static void check_grants(struct eval *e)
{
	const struct fx_mysql_facts *f = e->f;
	struct fx_buf obs = FX_BUF_INIT, exp = FX_BUF_INIT, hint = FX_BUF_INIT, who = FX_BUF_INIT;
	unsigned held, missing;
	size_t i;
	int roles = 0;
	struct fx_mysql_grant g;

	if (!f->have_grants) {
		if (f->grants_error)
			add(e, FX_CHECK_WARNING, "mysql.grants", f->grants_error, NULL,
			    "make sure the user has SELECT, RELOAD, SHOW DATABASES, REPLICATION "
			    "SLAVE and REPLICATION CLIENT (MariaDB: BINLOG MONITOR) on *.*",
			    "could not read the user's grants: %s", f->grants_error);
		return;
	}
	held = fx_mysql_grants_privs((const char *const *)f->grants, f->n_grants,
				     e->p->database, e->t->tables, e->t->n_tables);
	missing = FX_PRIV_REQUIRED & ~held;
	if (!missing)
		return;
	for (i = 0; i < f->n_grants; i++)
		roles |= fx_mysql_grant_parse(f->grants[i], &g) == 0 && g.level == FX_GRANT_ROLE;
	priv_names(held, e->flavor, &obs);
	if (!held)
		fx_buf_adds(&obs, "none");
	priv_names(FX_PRIV_REQUIRED, e->flavor, &exp);
	grantee(f->current_user, e->p->user, &who);
	fx_buf_adds(&hint, "GRANT ");
	priv_names(missing, e->flavor, &hint);
	if (missing == FX_PRIV_SELECT && e->p->database) {
		fx_buf_adds(&hint, " ON `");
		for (i = 0; e->p->database[i]; i++) {
			if (e->p->database[i] == '`')
				fx_buf_addc(&hint, '`');
			fx_buf_addc(&hint, e->p->database[i]);
		}
		fx_buf_adds(&hint, "`.* TO ");
	} else {
		fx_buf_adds(&hint, " ON *.* TO ");
	}
	fx_buf_addf(&hint, "%s;", fx_buf_str(&who));
	{
		struct fx_buf m = FX_BUF_INIT;

		priv_names(missing, e->flavor, &m);
		add(e, FX_CHECK_ERROR, "mysql.grants", fx_buf_str(&obs), fx_buf_str(&exp),
		    fx_buf_str(&hint), "user %s lacks %s%s%s", fx_buf_str(&who), fx_buf_str(&m),
		    missing & ~FX_PRIV_SELECT ? " on *.*" : " on the database",
		    roles ? " (privileges of roles count only when active at login: "
			    "SET DEFAULT ROLE)" : "");
		if (!fx_buf_ok(&m))
			e->oom = 1;
		fx_buf_release(&m);
	}
	if (!fx_buf_ok(&obs) || !fx_buf_ok(&exp) || !fx_buf_ok(&hint) || !fx_buf_ok(&who))
		e->oom = 1;
	fx_buf_release(&obs);
	fx_buf_release(&exp);
	fx_buf_release(&hint);
	fx_buf_release(&who);
}

static const struct fx_mysql_table *find_table(const struct fx_mysql_facts *f, const char *name)
{
	const char *lctn = fx_mysql_facts_var(f, "lower_case_table_names");
	int fold = lctn && strcmp(lctn, "0");
	size_t i;

	for (i = 0; i < f->n_tables; i++)
		if (fold ? !strcasecmp(f->tables[i].name, name) : !strcmp(f->tables[i].name, name))
			return &f->tables[i];
	return NULL;
}

static void check_tables(struct eval *e)
{
	const struct fx_mysql_facts *f = e->f;
	const char *db = e->p->database ? e->p->database : "";
	char hint[1200], obj[600];
	size_t i;

	if (!f->have_tables)
		return;
	for (i = 0; i < e->t->n_tables; i++) {
		const char *name = e->t->tables[i];
		const struct fx_mysql_table *tb = find_table(f, name);

		snprintf(obj, sizeof(obj), "`%s`.`%s`", db, name);
		if (!f->schema_exists) {
			snprintf(hint, sizeof(hint), "create database `%s`, or fix the database of "
				 "mysql pool '%s'; the user needs SHOW DATABASES to see it", db,
				 e->p->code);
			add(e, FX_CHECK_WARNING, "mysql.table", "missing", obj, hint,
			    "database `%s` does not exist (or is not visible to the user): table "
			    "%s cannot be captured", db, obj);
			continue;
		}
		if (!tb) {
			const char *near = fx_str_suggest(name,
							  (const char *const *)f->schema_tables,
							  f->n_schema_tables);

			if (near)
				snprintf(hint, sizeof(hint), "did you mean '%s'? set table: %s on "
					 "the entity (table names are case-sensitive here)", near,
					 near);
			else
				snprintf(hint, sizeof(hint), "create the table, or fix the entity's "
					 "table: name in the manifest");
			add(e, FX_CHECK_WARNING, "mysql.table", "missing", obj, hint,
			    "table %s does not exist (or is not visible to the user): the connector "
			    "captures nothing from it", obj);
			continue;
		}
		if (tb->type && fx_str_icontains(tb->type, "VIEW")) {
			add(e, FX_CHECK_WARNING, "mysql.table", tb->type, "BASE TABLE",
			    "capture the view's base tables instead",
			    "%s is a view: the binlog has no row events for views", obj);
			continue;
		}
		if (!tb->has_pk) {
			snprintf(hint, sizeof(hint), "ALTER TABLE %s ADD PRIMARY KEY (...); or set "
				 "message.key.columns under the connector: keys of mysql pool '%s'",
				 obj, e->p->code);
			add(e, FX_CHECK_WARNING, "mysql.primary_key", "none", "a primary key", hint,
			    "table %s has no primary key: its events get a null key, so a "
			    "compacted topic keeps no history and tail cannot show an ID", obj);
		}
	}
}

static int id_used(const struct fx_mysql_facts *f, const struct fx_mysql_target *t, uint32_t own,
		   int have_own, uint32_t id)
{
	size_t i;

	if (have_own && id == own)
		return 1;
	for (i = 0; i < f->n_replicas; i++)
		if (f->replicas[i] == id)
			return 1;
	for (i = 0; i < t->n_ids; i++)
		if (t->ids[i].id == id)
			return 1;
	return 0;
}

/* A database.server.id free on this server: the derived default if free, else the next free. */
static uint32_t free_id(const struct fx_mysql_facts *f, const struct fx_mysql_target *t,
			uint32_t own, int have_own, const char *kafka_pool)
{
	uint32_t id = fx_manifest_server_id(t->pool, kafka_pool, NULL);
	int n;

	for (n = 0; n < 1000 && id_used(f, t, own, have_own, id); n++)
		id = id == UINT32_MAX ? 1000000 : id + 1;
	return id;
}

static void check_server_ids(struct eval *e)
{
	const struct fx_mysql_facts *f = e->f;
	const struct fx_mysql_target *t = e->t;
	const char *v = fx_mysql_facts_var(f, "server_id");
	uint64_t own64 = 0;
	uint32_t own;
	int have_own = v && fx_str_to_u64(v, 0, UINT32_MAX, &own64) == 0;
	char obs[32], exp[200], hint[400];
	size_t i, j;

	own = (uint32_t)own64;
	for (i = 0; i < t->n_ids; i++) {
		const struct fx_mysql_sid *s = &t->ids[i];
		const char *what = NULL;
		char whatbuf[200];
		int twin = 0;

		if (have_own && s->id == own)
			what = "the server's own server_id";
		for (j = 0; !what && j < f->n_replicas; j++)
			if (f->replicas[j] == s->id)
				what = "the server_id of one of its replicas (SHOW SLAVE HOSTS)";
		for (j = 0; !what && j < i; j++)
			if (t->ids[j].id == s->id) {
				snprintf(whatbuf, sizeof(whatbuf),
					 "the id of the connector on Kafka pool '%s'",
					 t->ids[j].kafka_pool);
				what = whatbuf;
				twin = 1;
			}
		if (!what)
			continue;
		snprintf(obs, sizeof(obs), "%u", s->id);
		snprintf(exp, sizeof(exp), "an id not used by the server (%s) or its replicas",
			 have_own ? v : "?");
		if (twin)
			snprintf(hint, sizeof(hint), "give each Kafka pool's connector of mysql pool "
				 "'%s' its own id: server_id: {%s: ID1, %s: ID2}", t->pool->code,
				 s->kafka_pool, what == whatbuf ? t->ids[j - 1].kafka_pool : "");
		else
			snprintf(hint, sizeof(hint), "set server_id: %u on mysql pool '%s' in the "
				 "manifest (any id unique in the replication topology)",
				 free_id(f, t, own, have_own, s->kafka_pool), t->pool->code);
		add(e, FX_CHECK_ERROR, "mysql.server_id_conflict", obs, exp, hint,
		    "connector fluxa_%s (Kafka pool '%s') would use database.server.id %u, %s: "
		    "the server drops one of two binlog clients with the same id",
		    t->pool->code, s->kafka_pool, s->id, what);
	}
}

static void eval_init(struct eval *e, const struct fx_mysql_facts *f,
		      const struct fx_mysql_target *t, struct fx_checks *out)
{
	memset(e, 0, sizeof(*e));
	e->f = f;
	e->t = t;
	e->p = t->pool;
	e->out = out;
	e->flavor = fx_mysql_facts_flavor(f);
	snprintf(e->scope, sizeof(e->scope), "mysql:%s", t->pool->code);
}

int fx_mysql_evaluate(const struct fx_mysql_facts *f, const struct fx_mysql_target *t,
		      struct fx_checks *out, struct fx_err *err)
{
	struct eval e;

	eval_init(&e, f, t, out);
	if (!f->reachable) {
		check_reachable(&e);
		goto done;
	}
	if (f->query_failed) {
		char addr[600];

		pool_addr(t->pool, addr, sizeof(addr));
		add(&e, FX_CHECK_ERROR, "mysql.reachable", f->error ? f->error : "query failed",
		    "connected", reach_hint(f->error_code), "connected to %s, then %s", addr,
		    f->error ? f->error : "a query failed");
	}
	if (f->version)
		check_flavor(&e);
	if (f->have_vars)
		check_variables(&e);
	check_grants(&e);
	check_snapshot_mode(&e);
	check_tables(&e);
	if (f->have_vars)
		check_server_ids(&e);
done:
	if (e.oom)
		return fx_err_set(err, FX_EXIT_FAILURE, "out of memory evaluating mysql pool '%s'",
				  t->pool->code);
	return 0;
}

/* Identity of the server behind a pool, so two pools on one server are found. */
static void server_key(const struct fx_mysql_facts *f, char *out, size_t size)
{
	const char *uuid = fx_mysql_facts_var(f, "server_uuid");
	const char *host = fx_mysql_facts_var(f, "hostname");
	const char *port = fx_mysql_facts_var(f, "port");
	const char *sid = fx_mysql_facts_var(f, "server_id");

	if (uuid && *uuid)
		snprintf(out, size, "uuid:%s", uuid);
	else if (host && port && sid)
		snprintf(out, size, "%s:%s:%s", host, port, sid);
	else
		*out = '\0';
}

int fx_mysql_evaluate_shared(const struct fx_mysql_facts *facts,
			     const struct fx_mysql_target *targets, size_t n,
			     struct fx_checks *out, struct fx_err *err)
{
	char ki[400], kj[400], obs[32], hint[400];
	size_t i, j, a, b;
	struct eval e;

	for (j = 0; j < n; j++) {
		if (!facts[j].reachable || !facts[j].have_vars)
			continue;
		server_key(&facts[j], kj, sizeof(kj));
		if (!*kj)
			continue;
		eval_init(&e, &facts[j], &targets[j], out);
		for (i = 0; i < j; i++) {
			if (!facts[i].reachable || !facts[i].have_vars)
				continue;
			server_key(&facts[i], ki, sizeof(ki));
			if (strcmp(ki, kj))
				continue;
			for (b = 0; b < targets[j].n_ids; b++)
				for (a = 0; a < targets[i].n_ids; a++) {
					const struct fx_mysql_sid *sb = &targets[j].ids[b];

					if (targets[i].ids[a].id != sb->id)
						continue;
					snprintf(obs, sizeof(obs), "%u", sb->id);
					snprintf(hint, sizeof(hint), "set server_id: on mysql pool "
						 "'%s' or '%s' so the two differ",
						 targets[i].pool->code, targets[j].pool->code);
					add(&e, FX_CHECK_ERROR, "mysql.server_id_conflict", obs,
					    "an id no other connector on this server uses", hint,
					    "connectors fluxa_%s (Kafka pool '%s') and fluxa_%s "
					    "(Kafka pool '%s') read the same server with "
					    "database.server.id %u: the server drops one of them",
					    targets[j].pool->code, sb->kafka_pool,
					    targets[i].pool->code, targets[i].ids[a].kafka_pool,
					    sb->id);
				}
		}
		if (e.oom)
			return fx_err_set(err, FX_EXIT_FAILURE, "out of memory");
	}
	return 0;
}

void fx_mysql_replicas_note(const struct fx_mysql_facts *f, const char *user, char *buf,
			    size_t size)
{
	enum fx_flavor fl = fx_mysql_facts_flavor(f);

	if (f->have_replicas) {
		snprintf(buf, size, "%zu replica%s listed, compared with the connectors' server ids",
			 f->n_replicas, f->n_replicas == 1 ? "" : "s");
		return;
	}
	if (fl == FX_FLAVOR_MARIADB)
		snprintf(buf, size,
			 "replicas NOT compared with the connectors' server ids: SHOW SLAVE HOSTS was refused (%s); "
			 "on MariaDB 10.5.2 and later it needs GRANT REPLICATION MASTER ADMIN ON *.* TO '%s' "
			 "(see fluxacdc.yaml(5), Server ids and neighbours)",
			 f->replicas_error ? f->replicas_error : "no answer", user ? user : "USER");
	else
		snprintf(buf, size,
			 "replicas NOT compared with the connectors' server ids: SHOW REPLICAS was refused (%s); "
			 "it needs GRANT REPLICATION SLAVE ON *.* TO '%s', which Debezium needs too "
			 "(see fluxacdc.yaml(5), Server ids and neighbours)",
			 f->replicas_error ? f->replicas_error : "no answer", user ? user : "USER");
}
