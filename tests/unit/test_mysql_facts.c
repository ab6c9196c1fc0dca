/*
 * mysql_facts: grant parsing, variables and every SPEC §4 database check,
 * fed with what real servers printed (tests/fixtures/mysql/, see its README).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "desired.h"
#include "helpers.h"
#include "mysql_facts.h"
#include "util/alloc.h"

#define FIX "tests/fixtures/mysql/"

/* ------------------------------------------------------------ fixtures */

typedef void (*row_fn)(char **fields, size_t n, void *ctx);

/* Calls fn for each row of a recorded `mariadb --batch` output (header skipped). */
static int each_row(const char *file, row_fn fn, void *ctx)
{
	char *data = fx_test_read(fx_test_path(file), NULL), *line, *next;
	int first = 1;

	if (!data)
		return -1;
	for (line = data; line && *line; line = next) {
		char *fields[16];
		size_t n = 0;
		char *p;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (first || !*line) {
			first = 0;
			continue;
		}
		fields[n++] = line;
		for (p = line; *p && n < 16; p++)
			if (*p == '\t') {
				*p = '\0';
				fields[n++] = p + 1;
			}
		fn(fields, n, ctx);
	}
	free(data);
	return 0;
}

static void row_version(char **v, size_t n, void *ctx)
{
	struct fx_mysql_facts *f = ctx;

	cr_assert_eq(n, 3);
	cr_assert_eq(fx_mysql_facts_set(&f->version, v[0]), 0);
	cr_assert_eq(fx_mysql_facts_set(&f->current_user, v[1]), 0);
	cr_assert_eq(fx_mysql_facts_set(&f->current_role, strcmp(v[2], "NULL") ? v[2] : NULL), 0);
}

static void row_var(char **v, size_t n, void *ctx)
{
	cr_assert_eq(n, 2);
	cr_assert_eq(fx_mysql_facts_add_var(ctx, v[0], v[1]), 0);
}

static void row_grant(char **v, size_t n, void *ctx)
{
	cr_assert_eq(n, 1);
	cr_assert_eq(fx_mysql_facts_add_grant(ctx, v[0]), 0);
}

static void row_table(char **v, size_t n, void *ctx)
{
	cr_assert_eq(n, 3);
	cr_assert_eq(fx_mysql_facts_add_table(ctx, v[0], v[1], atoi(v[2]) > 0), 0);
}

static void row_name(char **v, size_t n, void *ctx)
{
	cr_assert_eq(n, 1);
	cr_assert_eq(fx_mysql_facts_add_schema_table(ctx, v[0]), 0);
}

static void row_schema(char **v, size_t n, void *ctx)
{
	struct fx_mysql_facts *f = ctx;

	cr_assert_eq(n, 1);
	f->schema_exists = atoi(v[0]) > 0;
}

static void row_replica(char **v, size_t n, void *ctx)
{
	struct fx_mysql_facts *f = ctx;

	if (n < 2) { /* the client printed an error instead of rows */
		if (!strncmp(v[0], "ERROR", 5))
			cr_assert_eq(fx_mysql_facts_set(&f->replicas_error, v[0]), 0);
		return;
	}
	cr_assert_eq(fx_mysql_facts_add_replica(f, (uint32_t)strtoul(v[0], NULL, 10)), 0);
	f->have_replicas = 1;
}

static const char *fixture(const char *prefix, const char *what)
{
	static char buf[512];

	snprintf(buf, sizeof(buf), FIX "%s-%s.txt", prefix, what);
	return buf;
}

/* Loads every recording of prefix that exists into f, as mysql_inspect would fill it. */
static void load_facts(const char *prefix, struct fx_mysql_facts *f)
{
	f->reachable = 1;
	cr_assert_eq(each_row(fixture(prefix, "version"), row_version, f), 0, "%s", prefix);
	f->have_vars = each_row(fixture(prefix, "variables"), row_var, f) == 0;
	f->have_grants = each_row(fixture(prefix, "grants"), row_grant, f) == 0;
	if (each_row(fixture(prefix, "schema"), row_schema, f) == 0) {
		f->have_tables = 1;
		cr_assert_eq(each_row(fixture(prefix, "tables"), row_table, f), 0);
		cr_assert_eq(each_row(fixture(prefix, "names"), row_name, f), 0);
	}
	(void)each_row(fixture(prefix, "replicas"), row_replica, f);
}

/* Grant lines of FIX/mariadb-10.11-grants-<who>.txt (or another file) into f. */
static void load_grants(const char *file, struct fx_mysql_facts *f)
{
	cr_assert_eq(each_row(file, row_grant, f), 0, "%s", file);
	f->have_grants = 1;
}

static const struct fx_check *find_check(const struct fx_checks *c, const char *id,
					 const char *observed)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (!strcmp(c->items[i].id, id) &&
		    (!observed || (c->items[i].observed && !strcmp(c->items[i].observed, observed))))
			return &c->items[i];
	return NULL;
}

static void no_secret(const struct fx_checks *c, const char *secret)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		const struct fx_check *k = &c->items[i];

		cr_assert_null(strstr(k->message, secret), "%s", k->message);
		cr_assert(!k->observed || !strstr(k->observed, secret), "%s", k->observed);
		cr_assert(!k->expected || !strstr(k->expected, secret));
		cr_assert(!k->hint || !strstr(k->hint, secret), "%s", k->hint);
	}
}

static struct fx_mysql_pool pool_of(const char *code, const char *db)
{
	struct fx_mysql_pool p;

	memset(&p, 0, sizeof(p));
	p.code = (char *)code;
	p.user = (char *)"fluxa_cdc";
	p.password = (char *)"fluxa-cdc-pw";
	p.host = (char *)"127.0.0.1";
	p.port = 13306;
	p.database = (char *)db;
	return p;
}

/* -------------------------------------------------------------- grants */

Test(mysql_facts, grants_recorded_from_mariadb)
{
	static const char *const fluxa_tables[] = { "UserEntity", "OrderEntity" };
	static const char *const user_only[] = { "UserEntity" };
	static const struct {
		const char *file;
		const char *db;
		const char *const *tables;
		size_t n_tables;
		unsigned want;
	} cases[] = {
		/* the stack's fluxa_cdc: every privilege on *.* */
		{ "mariadb-10.11-stack-grants.txt", "fluxa", fluxa_tables, 2, FX_PRIV_REQUIRED },
		/* granted REPLICATION CLIENT, printed BINLOG MONITOR */
		{ "mariadb-10.11-grants-full.txt", "fluxa", fluxa_tables, 2, FX_PRIV_REQUIRED },
		/* SELECT on the database only, no REPLICATION SLAVE */
		{ "mariadb-10.11-grants-limited.txt", "fluxa", fluxa_tables, 2,
		  FX_PRIV_REQUIRED & ~FX_PRIV_REPLICATION_SLAVE },
		/* SELECT on `fluxa`.* does not cover another database */
		{ "mariadb-10.11-grants-limited.txt", "other", fluxa_tables, 2,
		  FX_PRIV_RELOAD | FX_PRIV_SHOW_DATABASES | FX_PRIV_REPLICATION_CLIENT },
		{ "mariadb-10.11-grants-all.txt", "fluxa", fluxa_tables, 2, FX_PRIV_REQUIRED },
		{ "mariadb-10.11-grants-none.txt", "fluxa", fluxa_tables, 2, 0 },
		/* admin privileges but no REPLICATION SLAVE; SELECT on UserEntity and only a
		 * column of OrderEntity: enough for UserEntity alone */
		{ "mariadb-10.11-grants-tbl.txt", "fluxa", fluxa_tables, 2,
		  FX_PRIV_REPLICATION_CLIENT },
		{ "mariadb-10.11-grants-tbl.txt", "fluxa", user_only, 1,
		  FX_PRIV_REPLICATION_CLIENT | FX_PRIV_SELECT },
		/* a default role: SHOW GRANTS lists the role's privileges too */
		{ "mariadb-10.11-grants-roleuser.txt", "fluxa", fluxa_tables, 2, FX_PRIV_REQUIRED },
		/* SELECT on `flux%`.* matches fluxa */
		{ "mariadb-10.11-grants-wild.txt", "fluxa", fluxa_tables, 2,
		  FX_PRIV_REPLICATION_SLAVE | FX_PRIV_SELECT },
		{ "mariadb-10.11-grants-wild.txt", "app", fluxa_tables, 2,
		  FX_PRIV_REPLICATION_SLAVE },
		/* SUPER lets SHOW BINARY LOGS through on MariaDB 10.11 */
		{ "mariadb-10.11-grants-super.txt", "fluxa", fluxa_tables, 2,
		  FX_PRIV_REPLICATION_CLIENT },
		/* root: IDENTIFIED VIA ... WITH GRANT OPTION, and a PROXY line */
		{ "mariadb-10.11-nobin-grants.txt", "fluxa", fluxa_tables, 2, FX_PRIV_REQUIRED },
		{ "mariadb-10.11-bad-grants.txt", "dbtest_app", fluxa_tables, 2, FX_PRIV_REQUIRED },
		/* MySQL reference manual, SHOW GRANTS: SELECT on `db1`.* only */
		{ "mysql-doc-grants-jeffrey.txt", "db1", fluxa_tables, 2, FX_PRIV_SELECT },
		{ "mysql-doc-grants-jeffrey.txt", "db2", fluxa_tables, 2, 0 },
		/* MySQL reference manual, partial revokes: INSERT revoked on world, SELECT kept */
		{ "mysql-doc-grants-partial-revoke.txt", "world", fluxa_tables, 2, FX_PRIV_SELECT },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fx_mysql_facts f = FX_MYSQL_FACTS_INIT;
		char path[256];
		unsigned got;

		snprintf(path, sizeof(path), FIX "%s", cases[i].file);
		load_grants(path, &f);
		got = fx_mysql_grants_privs((const char *const *)f.grants, f.n_grants, cases[i].db,
					    cases[i].tables, cases[i].n_tables);
		cr_expect_eq(got, cases[i].want, "%s on %s: got %#x want %#x", cases[i].file,
			     cases[i].db, got, cases[i].want);
		fx_mysql_facts_release(&f);
	}
}

/* Grant lines as SHOW GRANTS prints them -> what Debezium may do on database
 * "app" capturing app.T (and app.U): only *.* carries RELOAD, SHOW DATABASES
 * and the replication privileges; SELECT may come from *.*, the database (or
 * a LIKE pattern of it), or every captured table (SPEC §4, mysql.grants). */
Test(mysql_facts, privileges_held_from_grant_lines)
{
#define U "TO `cdc`@`%`"
#define REPL (FX_PRIV_REPLICATION_SLAVE | FX_PRIV_REPLICATION_CLIENT)
	static const char *const t1[] = { "T" }, *const t2[] = { "T", "U" };
	static const struct {
		const char *what;
		const char *lines[4];
		const char *db;
		const char *const *tables;
		size_t n_tables;
		unsigned want;
	} cases[] = {
		{ "ALL PRIVILEGES on *.*: everything", { "GRANT ALL PRIVILEGES ON *.* " U }, "app", t1, 1,
		  FX_PRIV_REQUIRED },
		{ "ALL on *.*: everything", { "GRANT ALL ON *.* " U }, "app", t1, 1, FX_PRIV_REQUIRED },
		{ "ALL PRIVILEGES on the database: SELECT only, no global privilege",
		  { "GRANT ALL PRIVILEGES ON `app`.* " U }, "app", t1, 1, FX_PRIV_SELECT },
		{ "ALL on the database, unquoted", { "GRANT ALL ON app.* " U }, "app", t1, 1, FX_PRIV_SELECT },
		{ "ALL PRIVILEGES on the database plus REPLICATION on *.*: still no RELOAD",
		  { "GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* " U,
		    "GRANT ALL PRIVILEGES ON `app`.* " U }, "app", t1, 1, REPL | FX_PRIV_SELECT },
		{ "ALL PRIVILEGES on another database: nothing", { "GRANT ALL PRIVILEGES ON `other`.* " U },
		  "app", t1, 1, 0 },
		{ "ALL PRIVILEGES on a table: SELECT on it, nothing global",
		  { "GRANT ALL PRIVILEGES ON `app`.`T` " U }, "app", t1, 1, FX_PRIV_SELECT },
		{ "each named privilege on *.*",
		  { "GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT ON *.* " U },
		  "app", t1, 1, FX_PRIV_REQUIRED },
		{ "MySQL 8.4 names: REPLICATION REPLICA", { "GRANT REPLICATION REPLICA ON *.* " U }, "app",
		  t1, 1, FX_PRIV_REPLICATION_SLAVE },
		{ "MariaDB names: BINLOG MONITOR", { "GRANT BINLOG MONITOR ON *.* " U }, "app", t1, 1,
		  FX_PRIV_REPLICATION_CLIENT },
		{ "lower case", { "grant select, reload on *.* to `cdc`@`%`" }, "app", t1, 1,
		  FX_PRIV_SELECT | FX_PRIV_RELOAD },
		{ "tabs between words", { "GRANT\tSELECT,\tRELOAD\tON\t*.*\tTO `cdc`@`%`" }, "app", t1, 1,
		  FX_PRIV_SELECT | FX_PRIV_RELOAD },
		{ "RELOAD on the database does not count", { "GRANT RELOAD, SELECT ON `app`.* " U }, "app",
		  t1, 1, FX_PRIV_SELECT },
		{ "USAGE: nothing", { "GRANT USAGE ON *.* " U }, "app", t1, 1, 0 },
		{ "SELECT on one of two captured tables", { "GRANT SELECT ON `app`.`T` " U }, "app", t2, 2,
		  0 },
		{ "SELECT on both captured tables", { "GRANT SELECT ON `app`.`T` " U,
						     "GRANT SELECT ON `app`.`U` " U }, "app", t2, 2,
		  FX_PRIV_SELECT },
		{ "SELECT on the table of another database", { "GRANT SELECT ON `other`.`T` " U }, "app",
		  t1, 1, 0 },
		{ "SELECT on a column only", { "GRANT SELECT (`id`) ON `app`.`T` " U }, "app", t1, 1, 0 },
		{ "SELECT on a table, no table captured", { "GRANT SELECT ON `app`.`T` " U }, "app", t2, 0,
		  0 },
		{ "LIKE pattern of the database", { "GRANT SELECT ON `ap%`.* " U }, "app", t1, 1,
		  FX_PRIV_SELECT },
		{ "escaped _ in the pattern is literal", { "GRANT SELECT ON `app\\_x`.* " U }, "appax", t1,
		  1, 0 },
		{ "partial revoke of SELECT on the database",
		  { "GRANT SELECT, RELOAD ON *.* " U, "REVOKE SELECT ON `app`.* FROM `cdc`@`%`" }, "app",
		  t1, 1, FX_PRIV_RELOAD },
		{ "partial revoke on another database", { "GRANT SELECT ON *.* " U,
							   "REVOKE SELECT ON `other`.* FROM `cdc`@`%`" },
		  "app", t1, 1, FX_PRIV_SELECT },
		{ "revoke of another privilege keeps SELECT",
		  { "GRANT SELECT ON *.* " U, "REVOKE INSERT ON `app`.* FROM `cdc`@`%`" }, "app", t1, 1,
		  FX_PRIV_SELECT },
		{ "PROXY grants nothing", { "GRANT PROXY ON ''@'%' " U }, "app", t1, 1, 0 },
		{ "EXECUTE on a procedure grants nothing",
		  { "GRANT EXECUTE ON PROCEDURE `app`.`p` " U }, "app", t1, 1, 0 },
		{ "a role grants nothing by itself", { "GRANT `cdc_role` " U }, "app", t1, 1, 0 },
		{ "a line not understood is skipped", { "GRANT SELECT ON", "GRANT RELOAD ON *.* " U }, "app",
		  t1, 1, FX_PRIV_RELOAD },
		{ "SUPER allows SHOW BINARY LOGS", { "GRANT SUPER ON *.* " U }, "app", t1, 1,
		  FX_PRIV_REPLICATION_CLIENT },
		{ "no database: the global privileges only", { "GRANT SELECT ON `app`.* " U,
							      "GRANT RELOAD ON *.* " U }, NULL, t1, 1,
		  FX_PRIV_RELOAD },
	};
	size_t i, n;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned got;

		for (n = 0; n < 4 && cases[i].lines[n]; n++)
			;
		got = fx_mysql_grants_privs(cases[i].lines, n, cases[i].db, cases[i].tables,
					    cases[i].n_tables);
		cr_expect_eq(got, cases[i].want, "%s: got %#x want %#x", cases[i].what, got,
			     cases[i].want);
	}
#undef U
#undef REPL
}

Test(mysql_facts, grant_line_shapes)
{
	/* (fixture, row) -> parse result: every shape MariaDB printed */
	static const struct {
		const char *file;
		size_t row;
		enum fx_grant_level level;
		unsigned privs;
		int revoke;
		const char *db, *table;
	} cases[] = {
		{ "mariadb-10.11-grants-roleuser.txt", 0, FX_GRANT_ROLE, 0, 0, "dbtest_role", "" },
		{ "mariadb-10.11-grants-roleuser.txt", 1, FX_GRANT_GLOBAL, 0, 0, "", "" },
		{ "mariadb-10.11-grants-roleuser.txt", 2, FX_GRANT_GLOBAL, FX_PRIV_REQUIRED, 0, "", "" },
		{ "mariadb-10.11-grants-roleuser.txt", 3, FX_GRANT_OTHER, 0, 0, "", "" },
		{ "mariadb-10.11-grants-tbl.txt", 1, FX_GRANT_TABLE, 0, 0, "fluxa", "OrderEntity" },
		{ "mariadb-10.11-grants-tbl.txt", 2, FX_GRANT_TABLE, FX_PRIV_SELECT, 0, "fluxa",
		  "UserEntity" },
		{ "mariadb-10.11-grants-wild.txt", 1, FX_GRANT_DB, FX_PRIV_SELECT, 0, "flux%", "" },
		{ "mariadb-10.11-nobin-grants.txt", 1, FX_GRANT_OTHER, 0, 0, "", "" },
		{ "mysql-doc-grants-partial-revoke.txt", 1, FX_GRANT_DB, 0, 1, "world", "" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fx_mysql_facts f = FX_MYSQL_FACTS_INIT;
		struct fx_mysql_grant g;
		char path[256];

		snprintf(path, sizeof(path), FIX "%s", cases[i].file);
		load_grants(path, &f);
		cr_assert_lt(cases[i].row, f.n_grants);
		cr_expect_eq(fx_mysql_grant_parse(f.grants[cases[i].row], &g), 0, "%s",
			     f.grants[cases[i].row]);
		cr_expect_eq(g.level, cases[i].level, "%s", f.grants[cases[i].row]);
		cr_expect_eq(g.privs, cases[i].privs, "%s: %#x", f.grants[cases[i].row], g.privs);
		cr_expect_eq(g.revoke, cases[i].revoke);
		cr_expect_str_eq(g.db, cases[i].db);
		cr_expect_str_eq(g.table, cases[i].table);
		fx_mysql_facts_release(&f);
	}
}

Test(mysql_facts, grant_lines_not_understood)
{
	static const char *const bad[] = {
		"", "GRANT", "GRANT SELECT", "GRANT SELECT ON", "GRANT SELECT ON `x",
		"GRANT SELECT ON `a`.`b`", "GRANT SELECT (`a` ON `a`.* TO `u`", "Grants for x@y",
		"REVOKE `r` FROM `u`", "GRANT , ON *.* TO `u`",
		"GRANT SELECT ON .* TO `u`", "GRANT SELECT ON `a`. TO `u`",
	};
	struct fx_mysql_grant g;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_expect_eq(fx_mysql_grant_parse(bad[i], &g), -1, "'%s'", bad[i]);
}

Test(mysql_facts, like_patterns)
{
	static const struct {
		const char *pat, *s;
		int want;
	} cases[] = {
		{ "fluxa", "fluxa", 1 },   { "flux%", "fluxa", 1 },   { "flux%", "flux", 1 },
		{ "%", "", 1 },            { "f_uxa", "fluxa", 1 },   { "fluxa\\_db", "fluxa_db", 1 },
		{ "fluxa\\_db", "fluxaXdb", 0 }, { "fluxa_db", "fluxaXdb", 1 }, { "flux", "fluxa", 0 },
		{ "%a%b", "xaxxb", 1 },    { "%a%b", "xaxx", 0 },     { "Fluxa", "fluxa", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_expect_eq(fx_mysql_like(cases[i].pat, cases[i].s), cases[i].want, "%s ~ %s",
			     cases[i].pat, cases[i].s);
}

/* ----------------------------------------------------------- variables */

Test(mysql_facts, retention)
{
	static const struct {
		const char *prefix;
		uint64_t want;
	} cases[] = {
		{ "mariadb-10.11-stack", 604800 }, /* binlog_expire_logs_seconds=604800 */
		{ "mariadb-10.11-bad", 3600 },     /* 3600, expire_logs_days 0.041667 */
		{ "mariadb-10.11-nobin", 0 },      /* both 0: never expire */
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fx_mysql_facts f = FX_MYSQL_FACTS_INIT;
		uint64_t s = 1;

		load_facts(cases[i].prefix, &f);
		cr_expect_eq(fx_mysql_retention(&f, &s), 1);
		cr_expect_eq(s, cases[i].want, "%s: %llu", cases[i].prefix, (unsigned long long)s);
		fx_mysql_facts_release(&f);
	}
	{
		struct fx_mysql_facts f = FX_MYSQL_FACTS_INIT;
		uint64_t s;

		cr_expect_eq(fx_mysql_retention(&f, &s), 0); /* neither variable: unknown */
	}
}

Test(mysql_facts, flavor_from_version)
{
	struct fx_mysql_facts f = FX_MYSQL_FACTS_INIT;

	cr_expect_eq(fx_mysql_facts_flavor(&f), FX_FLAVOR_AUTO);
	load_facts("mariadb-10.11-stack", &f);
	cr_expect_eq(fx_mysql_facts_flavor(&f), FX_FLAVOR_MARIADB);
	cr_expect_str_eq(fx_mysql_facts_var(&f, "BINLOG_FORMAT"), "ROW");
	cr_expect_null(fx_mysql_facts_var(&f, "binlog_row_value_options")); /* MySQL only */
	fx_mysql_facts_release(&f);
}

Test(mysql_facts, tls_param)
{
	static const struct {
		const char *params;
		enum fx_mysql_tls want;
	} cases[] = {
		{ NULL, FX_MYSQL_TLS_OFF },
		{ "", FX_MYSQL_TLS_OFF },
		{ "parseTime=true", FX_MYSQL_TLS_OFF },
		{ "tls=true", FX_MYSQL_TLS_VERIFY },
		{ "charset=utf8mb4&tls=skip-verify", FX_MYSQL_TLS_SKIP_VERIFY },
		{ "tls=preferred&x=1", FX_MYSQL_TLS_PREFERRED },
		{ "tls=false", FX_MYSQL_TLS_OFF },
		{ "tls=custom", FX_MYSQL_TLS_VERIFY },
		{ "xtls=true", FX_MYSQL_TLS_OFF },
		{ "tls=1", FX_MYSQL_TLS_VERIFY },
		{ "tls=TRUE", FX_MYSQL_TLS_VERIFY },
		{ "tls=0", FX_MYSQL_TLS_OFF },
		{ "tls=", FX_MYSQL_TLS_OFF },
		{ "tls=FALSE&a=b", FX_MYSQL_TLS_OFF },
		{ "tls=Skip-Verify", FX_MYSQL_TLS_SKIP_VERIFY },
		{ "tls=PREFERRED", FX_MYSQL_TLS_PREFERRED },
		/* any other name is a registered TLS config: verified */
		{ "tls=mycfg", FX_MYSQL_TLS_VERIFY },
		{ "tls=falsey", FX_MYSQL_TLS_VERIFY },
		{ "tls=01", FX_MYSQL_TLS_VERIFY },
		{ "tls=skip-verifyx", FX_MYSQL_TLS_VERIFY },
		{ "tls=preferre", FX_MYSQL_TLS_VERIFY },
		/* the first tls= counts; a bare "tls" is not one */
		{ "a=b&tls=0&tls=true", FX_MYSQL_TLS_OFF },
		{ "tls&x=1", FX_MYSQL_TLS_OFF },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_expect_eq(fx_mysql_tls_mode(cases[i].params), cases[i].want, "%s",
			     cases[i].params ? cases[i].params : "(null)");
}

/* ---------------------------------------------------------- evaluation */

struct want {
	const char *id;
	enum fx_check_level level;
	const char *observed; /* NULL: any */
};

static void expect_exactly(const struct fx_checks *c, const struct want *w, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct fx_check *k = find_check(c, w[i].id, w[i].observed);

		cr_expect_not_null(k, "missing %s (%s)", w[i].id, w[i].observed ? w[i].observed : "");
		if (k)
			cr_expect_eq(k->level, w[i].level, "%s: level %d", w[i].id, k->level);
	}
	if (c->n != n)
		for (i = 0; i < c->n; i++)
			fprintf(stderr, "  got %s %s %s: %s\n", fx_check_level_name(c->items[i].level),
				c->items[i].id, c->items[i].observed ? c->items[i].observed : "",
				c->items[i].message);
	cr_expect_eq(c->n, n, "got %zu checks, want %zu", c->n, n);
}

Test(mysql_facts, good_stack_gives_only_the_flavor)
{
	static const char *const tables[] = { "UserEntity", "OrderEntity" };
	struct fx_mysql_sid ids[] = { { "kafka", 5477 } };
	struct fx_mysql_pool p = pool_of("default", "fluxa");
	struct fx_mysql_target t = { &p, (const char **)tables, 2, ids, 1 };
	struct fx_mysql_facts f = FX_MYSQL_FACTS_INIT;
	struct fx_checks c = FX_CHECKS_INIT;
	struct fx_err err = FX_ERR_INIT;
	static const struct want w[] = {
		{ "mysql.flavor", FX_CHECK_INFO, "mariadb 10.11.19-MariaDB-0+deb12u1-log" },
	};

	load_facts("mariadb-10.11-stack", &f);
	cr_assert_not_null(f.replicas_error); /* fluxa_cdc may not list replicas */
	cr_assert_eq(f.have_replicas, 0);
	cr_assert_eq(fx_mysql_evaluate(&f, &t, &c, &err), 0);
	expect_exactly(&c, w, 1);
	cr_expect_str_eq(c.items[0].scope, "mysql:default");
	cr_expect(strstr(c.items[0].message, "io.debezium.connector.mariadb.MariaDbConnector"));
	fx_checks_release(&c);
	fx_mysql_facts_release(&f);
}

Test(mysql_facts, bad_server_every_finding)
{
	static const char *const tables[] = { "WithPK", "NoPK", "AView", "Missing", "withpk" };
	struct fx_mysql_sid ids[] = { { "kafka", 7 }, { "events", 42 }, { "other", 1234567 } };
	struct fx_mysql_pool p = pool_of("app", "dbtest_app");
	struct fx_mysql_target t = { &p, (const char **)tables, 5, ids, 3 };
	struct fx_mysql_facts f = FX_MYSQL_FACTS_INIT;
	struct fx_checks c = FX_CHECKS_INIT;
	struct fx_err err = FX_ERR_INIT;
	const struct fx_check *k;
	static const struct want w[] = {
		{ "mysql.flavor", FX_CHECK_INFO, NULL },
		{ "mysql.binlog_format", FX_CHECK_ERROR, "MIXED" },
		{ "mysql.binlog_row_image", FX_CHECK_ERROR, "MINIMAL" },
		{ "mysql.log_bin_compress", FX_CHECK_ERROR, "ON" },
		{ "mysql.binlog_retention", FX_CHECK_WARNING, "3600 s" },
		{ "mysql.server_id_conflict", FX_CHECK_ERROR, "7" },  /* the server's own */
		{ "mysql.server_id_conflict", FX_CHECK_ERROR, "42" }, /* its replica */
		{ "mysql.primary_key", FX_CHECK_WARNING, "none" },
		{ "mysql.table", FX_CHECK_WARNING, "VIEW" },
		{ "mysql.table", FX_CHECK_WARNING, "missing" },
		{ "mysql.table", FX_CHECK_WARNING, "missing" },
	};

	load_facts("mariadb-10.11-bad", &f);
	cr_assert_eq(f.n_replicas, 1);
	cr_assert_eq(fx_mysql_evaluate(&f, &t, &c, &err), 0);
	expect_exactly(&c, w, sizeof(w) / sizeof(w[0]));

	k = find_check(&c, "mysql.binlog_format", NULL);
	cr_expect(strstr(k->hint, "binlog_format = ROW under [mysqld]"), "%s", k->hint);
	cr_expect(strstr(k->hint, "SET GLOBAL binlog_format = 'ROW'"), "%s", k->hint);
	cr_expect_str_eq(k->expected, "ROW");
	k = find_check(&c, "mysql.primary_key", NULL);
	cr_expect(strstr(k->message, "`dbtest_app`.`NoPK`"), "%s", k->message);
	cr_expect(strstr(k->hint, "ALTER TABLE `dbtest_app`.`NoPK` ADD PRIMARY KEY"), "%s", k->hint);
	k = find_check(&c, "mysql.server_id_conflict", "42");
	cr_expect(strstr(k->message, "replicas"), "%s", k->message);
	cr_expect(strstr(k->hint, "set server_id: "), "%s", k->hint);
	cr_expect_null(strstr(k->hint, "server_id: 42 "), "%s", k->hint);
	{
		size_t i, did_you_mean = 0;

		for (i = 0; i < c.n; i++)
			did_you_mean += c.items[i].hint && strstr(c.items[i].hint, "did you mean 'WithPK'");
		cr_expect_eq(did_you_mean, 1); /* withpk: the case differs */
	}
	no_secret(&c, "ECF704BA55F581FCAAD72D9370859818B5A12868");
	fx_checks_release(&c);
	fx_mysql_facts_release(&f);
}

Test(mysql_facts, binlog_off)
{
	static const char *const tables[] = { "T" };
	struct fx_mysql_pool p = pool_of("nobin", "x");
	struct fx_mysql_target t = { &p, (const char **)tables, 1, NULL, 0 };
	struct fx_mysql_facts f = FX_MYSQL_FACTS_INIT;
	struct fx_checks c = FX_CHECKS_INIT;
	struct fx_err err = FX_ERR_INIT;
	const struct fx_check *k;
	static const struct want w[] = {
		{ "mysql.flavor", FX_CHECK_INFO, NULL },
		{ "mysql.log_bin", FX_CHECK_ERROR, "OFF" },
		{ "mysql.binlog_format", FX_CHECK_ERROR, "MIXED" },
	};

	load_facts("mariadb-10.11-nobin", &f); /* retention 0: never expires, fine */
	cr_assert_eq(fx_mysql_evaluate(&f, &t, &c, &err), 0);
	expect_exactly(&c, w, 3);
	k = find_check(&c, "mysql.log_bin", NULL);
	cr_expect(strstr(k->hint, "log_bin = mysql-bin"), "%s", k->hint);
	fx_checks_release(&c);
	fx_mysql_facts_release(&f);
}

Test(mysql_facts, server_id_zero)
{
	struct fx_mysql_pool p = pool_of("default", "fluxa");
	struct fx_mysql_target t = { &p, NULL, 0, NULL, 0 };
	struct fx_mysql_facts f = FX_MYSQL_FACTS_INIT;
	struct fx_checks c = FX_CHECKS_INIT;
	struct fx_err err = FX_ERR_INIT;
	size_t i;

	/* MariaDB 10.11 turns server_id=0 into 1 (README); MySQL keeps 0: the stack's
	 * recording with that one value changed */
	load_facts("mariadb-10.11-stack", &f);
	for (i = 0; i < f.n_vars; i++)
		if (!strcmp(f.vars[i].name, "server_id"))
			cr_assert_eq(fx_mysql_facts_set(&f.vars[i].value, "0"), 0);
	cr_assert_eq(fx_mysql_evaluate(&f, &t, &c, &err), 0);
	cr_expect_not_null(find_check(&c, "mysql.server_id", "0"));
	cr_expect_eq(fx_checks_count(&c, FX_CHECK_ERROR), 1);
	fx_checks_release(&c);
	fx_mysql_facts_release(&f);
}

/* mysql.gtid_mode: the two transitional modes stop Debezium; ON and OFF are fine,
 * and MariaDB has no such variable. */
Test(mysql_facts, gtid_mode)
{
	static const struct {
		const char *mode;
		int error;
	} t[] = { { "ON_PERMISSIVE", 1 }, { "OFF_PERMISSIVE", 1 }, { "ON", 0 }, { "OFF", 0 },
		  { NULL, 0 } };
	struct fx_mysql_pool p = pool_of("default", "fluxa");
	struct fx_mysql_target tg = { &p, NULL, 0, NULL, 0 };
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct fx_mysql_facts f = FX_MYSQL_FACTS_INIT;
		struct fx_checks c = FX_CHECKS_INIT;
		struct fx_err err = FX_ERR_INIT;
		const struct fx_check *k;

		load_facts("mariadb-10.11-stack", &f);
		if (t[i].mode)
			cr_assert_eq(fx_mysql_facts_add_var(&f, "gtid_mode", t[i].mode), 0);
		cr_assert_eq(fx_mysql_evaluate(&f, &tg, &c, &err), 0);
		k = find_check(&c, "mysql.gtid_mode", NULL);
		cr_expect_eq(k != NULL, t[i].error, "case %zu", i);
		if (k) {
			cr_expect_eq(k->level, FX_CHECK_ERROR);
			cr_expect_str_eq(k->observed, t[i].mode);
			cr_expect(strstr(k->hint, "SET PERSIST gtid_mode = "), "%s", k->hint);
		}
		fx_checks_release(&c);
		fx_mysql_facts_release(&f);
	}
}

Test(mysql_facts, missing_grants_name_the_privilege_and_the_grant)
{
	static const char *const tables[] = { "UserEntity" };
	struct fx_mysql_pool p = pool_of("default", "fluxa");
	struct fx_mysql_target t = { &p, (const char **)tables, 1, NULL, 0 };
	static const struct {
		const char *who;
		const char *observed;
		const char *hint;
	} cases[] = {
		{ "limited", "SELECT, RELOAD, SHOW DATABASES, BINLOG MONITOR",
		  "GRANT REPLICATION SLAVE ON *.* TO 'dbtest_limited'@'127.0.0.1';" },
		{ "none", "none",
		  "GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, BINLOG MONITOR ON *.* "
		  "TO 'dbtest_none'@'127.0.0.1';" },
		{ "wild", "SELECT, REPLICATION SLAVE",
		  "GRANT RELOAD, SHOW DATABASES, BINLOG MONITOR ON *.* TO 'dbtest_wild'@'127.0.0.1';" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fx_mysql_facts f = FX_MYSQL_FACTS_INIT;
		struct fx_checks c = FX_CHECKS_INIT;
		struct fx_err err = FX_ERR_INIT;
		const struct fx_check *k;
		char path[256], user[64];

		load_facts("mariadb-10.11-stack", &f);
		for (; f.n_grants; f.n_grants--)
			free(f.grants[f.n_grants - 1]);
		snprintf(path, sizeof(path), FIX "mariadb-10.11-grants-%s.txt", cases[i].who);
		load_grants(path, &f);
		snprintf(user, sizeof(user), "dbtest_%s@127.0.0.1", cases[i].who);
		cr_assert_eq(fx_mysql_facts_set(&f.current_user, user), 0);
		cr_assert_eq(fx_mysql_evaluate(&f, &t, &c, &err), 0);
		k = find_check(&c, "mysql.grants", NULL);
		cr_assert_not_null(k, "%s", cases[i].who);
		cr_expect_eq(k->level, FX_CHECK_ERROR);
		cr_expect_str_eq(k->observed, cases[i].observed);
		cr_expect_str_eq(k->expected,
				 "SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, BINLOG MONITOR");
		cr_expect_str_eq(k->hint, cases[i].hint);
		no_secret(&c, "ECF704BA55F581FCAAD72D9370859818B5A12868");
		fx_checks_release(&c);
		fx_mysql_facts_release(&f);
	}
}

Test(mysql_facts, select_on_the_database_only_is_missing)
{
	static const char *const tables[] = { "UserEntity", "OrderEntity" };
	struct fx_mysql_pool p = pool_of("default", "fluxa");
	struct fx_mysql_target t = { &p, (const char **)tables, 2, NULL, 0 };
	struct fx_mysql_facts f = FX_MYSQL_FACTS_INIT;
	struct fx_checks c = FX_CHECKS_INIT;
	struct fx_err err = FX_ERR_INIT;
	const struct fx_check *k;

	/* dbtest_tbl: SELECT on UserEntity, one column of OrderEntity, and BINLOG MONITOR */
	load_grants(FIX "mariadb-10.11-grants-tbl.txt", &f);
	f.reachable = 1;
	cr_assert_eq(fx_mysql_facts_set(&f.current_user, "dbtest_tbl@127.0.0.1"), 0);
	cr_assert_eq(fx_mysql_evaluate(&f, &t, &c, &err), 0);
	k = find_check(&c, "mysql.grants", NULL);
	cr_assert_not_null(k);
	cr_expect_str_eq(k->observed, "REPLICATION CLIENT"); /* no version: MySQL names */
	fx_checks_release(&c);
	fx_mysql_facts_release(&f);
}

Test(mysql_facts, unreachable_gives_one_error_with_a_hint)
{
	static const struct {
		const char *file;
		unsigned code;
		const char *hint_has;
	} cases[] = {
		{ FIX "mariadb-10.11-error-password.txt", 1045, "password" },
		{ FIX "mariadb-10.11-error-refused.txt", 2002, "host and port" },
		{ FIX "mariadb-10.11-error-timeout.txt", 2013, "--timeout" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		static const char *const tables[] = { "UserEntity" };
		struct fx_mysql_sid ids[] = { { "kafka", 1 } };
		struct fx_mysql_pool p = pool_of("default", "fluxa");
		struct fx_mysql_target t = { &p, (const char **)tables, 1, ids, 1 };
		struct fx_mysql_facts f = FX_MYSQL_FACTS_INIT;
		struct fx_checks c = FX_CHECKS_INIT;
		struct fx_err err = FX_ERR_INIT;
		char *text = fx_test_read(fx_test_path(cases[i].file), NULL), *nl;

		cr_assert_not_null(text);
		nl = strchr(text, '\n');
		if (nl)
			*nl = '\0';
		f.error = text;
		f.error_code = cases[i].code;
		cr_assert_eq(fx_mysql_evaluate(&f, &t, &c, &err), 0);
		cr_assert_eq(c.n, 1);
		cr_expect_str_eq(c.items[0].id, "mysql.reachable");
		cr_expect_eq(c.items[0].level, FX_CHECK_ERROR);
		cr_expect_str_eq(c.items[0].observed, text);
		cr_expect(strstr(c.items[0].message, "127.0.0.1:13306"), "%s", c.items[0].message);
		cr_expect(strstr(c.items[0].hint, cases[i].hint_has), "%s", c.items[0].hint);
		no_secret(&c, "fluxa-cdc-pw");
		fx_checks_release(&c);
		fx_mysql_facts_release(&f);
	}
}

Test(mysql_facts, missing_database)
{
	static const char *const tables[] = { "WithPK" };
	struct fx_mysql_pool p = pool_of("app", "dbtest_nodb");
	struct fx_mysql_target t = { &p, (const char **)tables, 1, NULL, 0 };
	struct fx_mysql_facts f = FX_MYSQL_FACTS_INIT;
	struct fx_checks c = FX_CHECKS_INIT;
	struct fx_err err = FX_ERR_INIT;
	const struct fx_check *k;

	f.reachable = 1;
	f.have_tables = 1;
	cr_assert_eq(each_row(FIX "mariadb-10.11-nodb-schema.txt", row_schema, &f), 0);
	cr_assert_eq(each_row(FIX "mariadb-10.11-nodb-tables.txt", row_table, &f), 0);
	cr_assert_eq(fx_mysql_evaluate(&f, &t, &c, &err), 0);
	k = find_check(&c, "mysql.table", "missing");
	cr_assert_not_null(k);
	cr_expect(strstr(k->message, "database `dbtest_nodb` does not exist"), "%s", k->message);
	fx_checks_release(&c);
	fx_mysql_facts_release(&f);
}

Test(mysql_facts, two_pools_on_one_server_share_an_id)
{
	static const char *const t1[] = { "UserEntity" };
	static const char *const t2[] = { "OrderEntity" };
	struct fx_mysql_sid a[] = { { "kafka", 5401 } }, b[] = { { "events", 5401 } };
	struct fx_mysql_sid c2[] = { { "events", 5402 } };
	struct fx_mysql_pool p1 = pool_of("users", "fluxa"), p2 = pool_of("orders", "fluxa");
	struct fx_mysql_target t[2] = { { &p1, (const char **)t1, 1, a, 1 },
					{ &p2, (const char **)t2, 1, b, 1 } };
	struct fx_mysql_facts f[2] = { FX_MYSQL_FACTS_INIT, FX_MYSQL_FACTS_INIT };
	struct fx_checks c = FX_CHECKS_INIT;
	struct fx_err err = FX_ERR_INIT;

	load_facts("mariadb-10.11-stack", &f[0]);
	load_facts("mariadb-10.11-stack", &f[1]);
	cr_assert_eq(fx_mysql_evaluate_shared(f, t, 2, &c, &err), 0);
	cr_assert_eq(c.n, 1);
	cr_expect_str_eq(c.items[0].id, "mysql.server_id_conflict");
	cr_expect_str_eq(c.items[0].scope, "mysql:orders");
	cr_expect_str_eq(c.items[0].observed, "5401");
	fx_checks_release(&c);

	t[1].ids = c2;
	cr_assert_eq(fx_mysql_evaluate_shared(f, t, 2, &c, &err), 0);
	cr_expect_eq(c.n, 0);
	/* another server (the bad one): same id is fine */
	t[1].ids = b;
	fx_mysql_facts_release(&f[1]);
	load_facts("mariadb-10.11-bad", &f[1]);
	cr_assert_eq(fx_mysql_evaluate_shared(f, t, 2, &c, &err), 0);
	cr_expect_eq(c.n, 0);
	fx_mysql_facts_release(&f[0]);
	fx_mysql_facts_release(&f[1]);
}

/* --------------------------------------------------------------- target */

static const char manifest[] =
	"version: 1\n"
	"defaults: {kafka_pool: kafka}\n"
	"mysql:\n"
	"  default: {dsn: \"u:p@tcp(h:3306)/db\", server_id: {kafka: 6001, events: 6002}}\n"
	"  fixed: {dsn: \"u:p@tcp(h:3306)/db\", server_id: 5401}\n"
	"  over: {dsn: \"u:p@tcp(h:3306)/db\", server_id: 5402, connector: {database.server.id: \"777\"}}\n"
	"  prov: {dsn: \"u:p@tcp(h:3306)/db\", connector: {database.server.id: \"${file:/s:id}\"}}\n"
	"  idle: {dsn: \"u:p@tcp(h:3306)/db\"}\n"
	"kafka:\n"
	"  kafka: {brokers: [\"k:9092\"], connect_url: \"http://c:8083\"}\n"
	"  events: {brokers: [\"k:9092\"], connect_url: \"http://e:8083\"}\n"
	"entities:\n"
	"  A: {debezium: true}\n"
	"  B: {debezium: events}\n"
	"  C: {debezium: true, mysql: fixed}\n"
	"  E: {debezium: true, mysql: over}\n"
	"  F: {debezium: true, mysql: prov}\n"
	"  G: {mysql: idle}\n";

Test(mysql_facts, target_from_manifest)
{
	struct fx_manifest m = FX_MANIFEST_INIT;
	struct fx_diags d = FX_DIAGS_INIT;
	struct fx_err err = FX_ERR_INIT;
	struct fx_mysql_target t = FX_MYSQL_TARGET_INIT;
	size_t i;

	cr_assert_eq(fx_manifest_load_bytes("t.yaml", manifest, strlen(manifest), NULL, NULL, &m,
					    &d, &err), 0, "%s", d.n ? d.items[0] : err.msg);
	for (i = 0; i < m.n_mysql; i++) {
		const char *code = m.mysql[i].code;

		cr_assert_eq(fx_mysql_target_build(&m, i, &t, &err), 0);
		if (!strcmp(code, "default")) {
			cr_assert_eq(t.n_tables, 2);
			cr_expect_str_eq(t.tables[0], "A");
			cr_assert_eq(t.n_ids, 2);
			cr_expect_str_eq(t.ids[0].kafka_pool, "kafka");
			cr_expect_eq(t.ids[0].id, 6001);
			cr_expect_eq(t.ids[1].id, 6002);
		} else if (!strcmp(code, "fixed")) {
			cr_assert_eq(t.n_ids, 1);
			cr_expect_eq(t.ids[0].id, 5401);
		} else if (!strcmp(code, "over")) {
			cr_assert_eq(t.n_ids, 1);
			cr_expect_eq(t.ids[0].id, 777);
		} else if (!strcmp(code, "prov")) {
			cr_expect_eq(t.n_tables, 1);
			cr_expect_eq(t.n_ids, 0); /* unknown until Connect resolves it */
		} else {
			cr_expect_eq(t.n_tables, 0);
		}
	}
	fx_mysql_target_release(&t);
	fx_manifest_release(&m);
}

Test(mysql_facts, one_pool_two_connect_clusters_same_explicit_id)
{
	static const char *const tables[] = { "UserEntity" };
	struct fx_mysql_sid ids[] = { { "kafka", 5401 }, { "events", 5401 } };
	struct fx_mysql_pool p = pool_of("fixed", "fluxa");
	struct fx_mysql_target t = { &p, (const char **)tables, 1, ids, 2 };
	struct fx_mysql_facts f = FX_MYSQL_FACTS_INIT;
	struct fx_checks c = FX_CHECKS_INIT;
	struct fx_err err = FX_ERR_INIT;
	const struct fx_check *k;

	p.has_server_id = 1;
	p.server_id = 5401;
	load_facts("mariadb-10.11-stack", &f);
	cr_assert_eq(fx_mysql_evaluate(&f, &t, &c, &err), 0);
	k = find_check(&c, "mysql.server_id_conflict", "5401");
	cr_assert_not_null(k);
	cr_expect(strstr(k->hint, "server_id: {events: ID1, kafka: ID2}"), "%s", k->hint);
	fx_checks_release(&c);
	fx_mysql_facts_release(&f);
}

/* Every allocation failing in turn: -1 or 0, never a crash or a leak (ASan build). */
Test(mysql_facts, torture)
{
	static const char *const tables[] = { "WithPK", "NoPK", "AView", "Missing", "withpk" };
	struct fx_mysql_sid ids[] = { { "kafka", 7 }, { "events", 42 } };
	struct fx_mysql_pool p = pool_of("app", "dbtest_app");
	struct fx_mysql_target t = { &p, (const char **)tables, 5, ids, 2 };
	struct fx_mysql_facts f = FX_MYSQL_FACTS_INIT;
	long n, total;

	load_facts("mariadb-10.11-bad", &f);
	fx_alloc_count_reset();
	{
		struct fx_checks c = FX_CHECKS_INIT;
		struct fx_err err = FX_ERR_INIT;

		cr_assert_eq(fx_mysql_evaluate(&f, &t, &c, &err), 0);
		fx_checks_release(&c);
	}
	total = fx_alloc_count();
	cr_assert_gt(total, 10);
	for (n = 0; n < total; n++) {
		struct fx_checks c = FX_CHECKS_INIT;
		struct fx_err err = FX_ERR_INIT;

		fx_alloc_count_reset();
		fx_alloc_fail_after(n);
		(void)fx_mysql_evaluate(&f, &t, &c, &err);
		fx_alloc_fail_after(-1);
		fx_checks_release(&c);
	}
	fx_mysql_facts_release(&f);
}

/*
 * SPEC §4 database checks from the server's variables, one variable at a
 * time on an otherwise good server: which check it gives (none, or the id,
 * level and observed value), and a hint in the flavor's own words (MySQL:
 * SET PERSIST; MariaDB: my.cnf and SET GLOBAL).
 */
Test(mysql_facts, each_variable_gives_its_check)
{
#define MY "8.0.36"
#define MA "10.11.9-MariaDB"
	static const struct {
		const char *version, *var, *value;
		const char *id;       /* NULL: no check but mysql.flavor */
		enum fx_check_level level;
		const char *observed, *in_msg, *in_hint;
	} cases[] = {
		{ MY, "log_bin", "ON", NULL, 0, NULL, NULL, NULL },
		{ MY, "log_bin", "1", NULL, 0, NULL, NULL, NULL },
		{ MY, "log_bin", "on", NULL, 0, NULL, NULL, NULL },
		{ MY, "log_bin", "OFF", "mysql.log_bin", FX_CHECK_ERROR, "OFF", "binary log is off", "log_bin = mysql-bin" },
		{ MY, "log_bin", "0", "mysql.log_bin", FX_CHECK_ERROR, "0", NULL, NULL },
		{ MY, "binlog_format", "row", NULL, 0, NULL, NULL, NULL },
		{ MY, "binlog_format", "MIXED", "mysql.binlog_format", FX_CHECK_ERROR, "MIXED", "binlog_format is MIXED", "SET PERSIST binlog_format = 'ROW'" },
		{ MA, "binlog_format", "STATEMENT", "mysql.binlog_format", FX_CHECK_ERROR, "STATEMENT", NULL, "SET GLOBAL binlog_format = 'ROW'" },
		{ MY, "binlog_row_image", "full", NULL, 0, NULL, NULL, NULL },
		{ MY, "binlog_row_image", "MINIMAL", "mysql.binlog_row_image", FX_CHECK_ERROR, "MINIMAL", "binlog_row_image is MINIMAL", "SET PERSIST binlog_row_image = 'FULL'" },
		{ MA, "binlog_row_image", "NOBLOB", "mysql.binlog_row_image", FX_CHECK_ERROR, "NOBLOB", NULL, "binlog_row_image = FULL under [mysqld]" },
		{ MY, "server_id", "1", NULL, 0, NULL, NULL, NULL },
		{ MY, "server_id", "4294967295", NULL, 0, NULL, NULL, NULL },
		{ MY, "server_id", "0", "mysql.server_id", FX_CHECK_ERROR, "0", "server_id is 0", "set server_id = 1" },
		{ MY, "binlog_row_value_options", "", NULL, 0, NULL, NULL, NULL },
		{ MY, "binlog_row_value_options", "PARTIAL_JSON", "mysql.binlog_row_value_options", FX_CHECK_ERROR, "PARTIAL_JSON", "partial diffs", "SET PERSIST binlog_row_value_options = ''" },
		{ MA, "log_bin_compress", "OFF", NULL, 0, NULL, NULL, NULL },
		{ MA, "log_bin_compress", "ON", "mysql.log_bin_compress", FX_CHECK_ERROR, "ON", "compressed", "SET GLOBAL log_bin_compress = OFF" },
		{ MY, "gtid_mode", "ON", NULL, 0, NULL, NULL, NULL },
		{ MY, "gtid_mode", "OFF", NULL, 0, NULL, NULL, NULL },
		{ MY, "gtid_mode", "ON_PERMISSIVE", "mysql.gtid_mode", FX_CHECK_ERROR, "ON_PERMISSIVE", "transitional", "SET PERSIST gtid_mode = ON (or back to OFF_PERMISSIVE, then OFF)" },
		{ MY, "gtid_mode", "OFF_PERMISSIVE", "mysql.gtid_mode", FX_CHECK_ERROR, "OFF_PERMISSIVE", NULL, "gtid_mode = OFF_PERMISSIVE, then ON_PERMISSIVE, then ON (or back to OFF)" },
		/* retention: a warning under 24 h, none at 24 h or when logs never expire */
		{ MY, "binlog_expire_logs_seconds", "86400", NULL, 0, NULL, NULL, NULL },
		{ MY, "binlog_expire_logs_seconds", "0", NULL, 0, NULL, NULL, NULL },
		{ MY, "binlog_expire_logs_seconds", "86399", "mysql.binlog_retention", FX_CHECK_WARNING, "86399 s", "expire after 24.0 h", "SET PERSIST binlog_expire_logs_seconds = 604800" },
		{ MY, "binlog_expire_logs_seconds", "3600", "mysql.binlog_retention", FX_CHECK_WARNING, "3600 s", "expire after 1 h:", NULL },
		{ MY, "binlog_expire_logs_seconds", "5400", "mysql.binlog_retention", FX_CHECK_WARNING, "5400 s", "expire after 1.5 h", NULL },
		{ MY, "binlog_expire_logs_seconds", "1800", "mysql.binlog_retention", FX_CHECK_WARNING, "1800 s", "expire after 30 min", NULL },
		{ MA, "expire_logs_days", "0.041667", "mysql.binlog_retention", FX_CHECK_WARNING, "3600 s", "expire after 1 h:", "SET GLOBAL binlog_expire_logs_seconds = 604800" },
		{ MA, "expire_logs_days", "1", NULL, 0, NULL, NULL, NULL },
		{ MA, "expire_logs_days", "0", NULL, 0, NULL, NULL, NULL },
	};
	static const char *const tables[] = { "UserEntity" };
	static const char *const ids[] = { "log_bin", "binlog_format", "binlog_row_image", "server_id",
					   "binlog_row_value_options", "log_bin_compress", "gtid_mode",
					   "binlog_retention" };
	size_t i, k;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fx_mysql_pool p = pool_of("default", "fluxa");
		struct fx_mysql_target t = { &p, (const char **)tables, 1, NULL, 0 };
		struct fx_mysql_facts f = FX_MYSQL_FACTS_INIT;
		struct fx_checks c = FX_CHECKS_INIT;
		struct fx_err err = FX_ERR_INIT;
		const struct fx_check *hit = NULL;
		size_t n_hits = 0;

		f.reachable = 1;
		f.have_vars = 1;
		cr_assert_eq(fx_mysql_facts_set(&f.version, cases[i].version), 0);
		cr_assert_eq(fx_mysql_facts_add_var(&f, cases[i].var, cases[i].value), 0);
		cr_assert_eq(fx_mysql_evaluate(&f, &t, &c, &err), 0, "%s", err.msg);
		for (k = 0; k < c.n; k++) {
			size_t j;

			for (j = 0; j < sizeof(ids) / sizeof(ids[0]); j++) {
				char id[64];

				snprintf(id, sizeof(id), "mysql.%s", ids[j]);
				if (!strcmp(c.items[k].id, id)) {
					hit = &c.items[k];
					n_hits++;
				}
			}
		}
		if (!cases[i].id) {
			cr_expect_eq(n_hits, 0, "%s=%s: %s", cases[i].var, cases[i].value,
				     hit ? hit->message : "");
		} else if (!hit) {
			cr_expect_not_null(hit, "%s=%s: no %s", cases[i].var, cases[i].value, cases[i].id);
		} else {
			cr_expect_eq(n_hits, 1, "%s=%s", cases[i].var, cases[i].value);
			cr_expect_str_eq(hit->id, cases[i].id);
			cr_expect_eq(hit->level, cases[i].level, "%s=%s", cases[i].var, cases[i].value);
			cr_expect_str_eq(hit->observed, cases[i].observed, "%s=%s", cases[i].var,
					 cases[i].value);
			cr_expect_str_eq(hit->scope, "mysql:default");
			if (cases[i].in_msg)
				cr_expect(strstr(hit->message, cases[i].in_msg), "%s=%s: '%s' lacks '%s'",
					  cases[i].var, cases[i].value, hit->message, cases[i].in_msg);
			if (cases[i].in_hint)
				cr_expect(hit->hint && strstr(hit->hint, cases[i].in_hint),
					  "%s=%s: '%s' lacks '%s'", cases[i].var, cases[i].value,
					  hit->hint ? hit->hint : "(none)", cases[i].in_hint);
		}
		fx_checks_release(&c);
		fx_mysql_facts_release(&f);
	}
#undef MY
#undef MA
}

/* How long the server keeps binary logs, from whichever variables it has:
 * (returns 1, seconds; 0 = never expires) or 0 when it says nothing. */
Test(mysql_facts, retention_table)
{
	static const struct {
		const char *purge, *secs, *days;
		int ret;
		uint64_t seconds;
	} cases[] = {
		{ NULL, NULL, NULL, 0, 0 },
		{ NULL, "2592000", NULL, 1, 2592000 },
		{ NULL, "1", NULL, 1, 1 },
		{ NULL, "0", NULL, 1, 0 },
		{ NULL, "0", "7", 1, 7 * 86400 },
		{ NULL, "3600", "7", 1, 3600 },
		{ NULL, "x", "2", 1, 2 * 86400 },
		{ NULL, NULL, "0.5", 1, 43200 },
		{ NULL, NULL, "0.041667", 1, 3600 },
		{ NULL, NULL, "0", 1, 0 },
		{ NULL, NULL, "-1", 1, 0 },
		{ NULL, NULL, "days", 1, 0 },
		{ "OFF", "3600", NULL, 1, 0 },
		{ "off", "3600", NULL, 1, 0 },
		{ "ON", "3600", NULL, 1, 3600 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fx_mysql_facts f = FX_MYSQL_FACTS_INIT;
		uint64_t s = 12345;
		int r;

		if (cases[i].purge)
			cr_assert_eq(fx_mysql_facts_add_var(&f, "binlog_expire_logs_auto_purge", cases[i].purge), 0);
		if (cases[i].secs)
			cr_assert_eq(fx_mysql_facts_add_var(&f, "binlog_expire_logs_seconds", cases[i].secs), 0);
		if (cases[i].days)
			cr_assert_eq(fx_mysql_facts_add_var(&f, "expire_logs_days", cases[i].days), 0);
		r = fx_mysql_retention(&f, &s);
		cr_expect_eq(r, cases[i].ret, "case %zu: %d", i, r);
		if (cases[i].ret)
			cr_expect_eq(s, cases[i].seconds, "case %zu: %llu s", i, (unsigned long long)s);
		fx_mysql_facts_release(&f);
	}
}

Test(mysql_facts, snapshot_mode)
{
	/* snapshot_new_tables: the watermarking mode and what the server must give it */
	static const struct {
		int mysql;               /* a MySQL server (else the recorded MariaDB) */
		const char *gtid;        /* gtid_mode set on the facts, or NULL */
		const char *ro, *sig;    /* the pool's connector: overrides */
		const char *grant;       /* an extra grant line, or NULL */
		enum fx_check_level level;
		const char *observed;    /* NULL: no check at all */
	} t[] = {
		{ 0, NULL, NULL, NULL, NULL, FX_CHECK_INFO, "MariaDB GTIDs" },
		{ 1, "ON", NULL, NULL, NULL, FX_CHECK_INFO, "gtid_mode=ON" },
		{ 1, "OFF", NULL, NULL, NULL, FX_CHECK_ERROR, "gtid_mode=OFF" },
		{ 1, "OFF", "false", "fluxa.debezium_signal", NULL, FX_CHECK_ERROR, "no INSERT on fluxa.debezium_signal" },
		{ 1, "OFF", "false", "fluxa.debezium_signal",
		  "GRANT INSERT ON `fluxa`.`debezium_signal` TO `fluxa_cdc`@`%`", FX_CHECK_INFO, "fluxa.debezium_signal" },
		{ 1, "OFF", "false", "fluxa.debezium_signal",
		  "GRANT SELECT, INSERT ON `fluxa`.* TO `fluxa_cdc`@`%`", FX_CHECK_INFO, "fluxa.debezium_signal" },
		{ 1, "OFF", "false", NULL, NULL, FX_CHECK_WARNING, "read.only=false, no signal table" },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct fx_mysql_pool p = pool_of("default", "fluxa");
		struct fx_mysql_target tg = { &p, NULL, 0, NULL, 0 };
		struct fx_mysql_facts f = FX_MYSQL_FACTS_INIT;
		struct fx_checks c = FX_CHECKS_INIT;
		struct fx_err err = FX_ERR_INIT;
		struct fx_kv kv[2];
		const struct fx_check *k;

		memset(kv, 0, sizeof(kv));
		p.snapshot_new_tables = 1;
		if (t[i].ro) {
			kv[p.n_connector].key = (char *)"read.only";
			kv[p.n_connector++].value = (char *)t[i].ro;
		}
		if (t[i].sig) {
			kv[p.n_connector].key = (char *)"signal.data.collection";
			kv[p.n_connector++].value = (char *)t[i].sig;
		}
		p.connector = kv;
		load_facts("mariadb-10.11-stack", &f);
		if (t[i].mysql) {
			p.flavor = FX_FLAVOR_MYSQL;
			cr_assert_eq(fx_mysql_facts_set(&f.version, "8.4.3"), 0);
		}
		if (t[i].gtid)
			cr_assert_eq(fx_mysql_facts_add_var(&f, "gtid_mode", t[i].gtid), 0);
		if (t[i].grant)
			cr_assert_eq(fx_mysql_facts_add_grant(&f, t[i].grant), 0);
		cr_assert_eq(fx_mysql_evaluate(&f, &tg, &c, &err), 0);
		k = find_check(&c, "mysql.snapshot_mode", NULL);
		cr_assert_not_null(k, "case %zu", i);
		cr_expect_eq(k->level, t[i].level, "case %zu: %s", i, k->message);
		cr_expect_str_eq(k->observed, t[i].observed, "case %zu", i);
		if (k->level != FX_CHECK_INFO)
			cr_expect_not_null(k->hint, "case %zu", i);
		fx_checks_release(&c);
		fx_mysql_facts_release(&f);
	}
	/* snapshot_new_tables false: no such check */
	{
		struct fx_mysql_pool p = pool_of("default", "fluxa");
		struct fx_mysql_target tg = { &p, NULL, 0, NULL, 0 };
		struct fx_mysql_facts f = FX_MYSQL_FACTS_INIT;
		struct fx_checks c = FX_CHECKS_INIT;
		struct fx_err err = FX_ERR_INIT;

		load_facts("mariadb-10.11-stack", &f);
		cr_assert_eq(fx_mysql_evaluate(&f, &tg, &c, &err), 0);
		cr_expect_null(find_check(&c, "mysql.snapshot_mode", NULL));
		fx_checks_release(&c);
		fx_mysql_facts_release(&f);
	}
}

/* MySQL 8: SHOW REPLICAS as the manual prints it; a connector on a replica's id conflicts. */
Test(mysql_facts, mysql8_show_replicas_from_the_manual)
{
	static const char *const tables[] = { "UserEntity" };
	struct fx_mysql_sid ids[] = { { "kafka", 21 }, { "events", 5401 } };
	struct fx_mysql_pool p = pool_of("app", "fluxa");
	struct fx_mysql_target t = { &p, (const char **)tables, 1, ids, 2 };
	struct fx_mysql_facts f = FX_MYSQL_FACTS_INIT;
	struct fx_checks c = FX_CHECKS_INIT;
	struct fx_err err = FX_ERR_INIT;
	const struct fx_check *k;
	char note[900];

	load_facts("mysql-doc-8.0", &f);
	cr_assert_eq(fx_mysql_facts_flavor(&f), FX_FLAVOR_MYSQL);
	cr_assert_eq(f.n_replicas, 2);
	cr_expect_eq(f.replicas[0], 10);
	cr_expect_eq(f.replicas[1], 21);
	cr_assert_eq(fx_mysql_evaluate(&f, &t, &c, &err), 0);
	k = find_check(&c, "mysql.server_id_conflict", "21");
	cr_assert_not_null(k);
	cr_expect(strstr(k->message, "replicas"), "%s", k->message);
	cr_expect_null(find_check(&c, "mysql.server_id_conflict", "5401"));
	fx_mysql_replicas_note(&f, "cdc", note, sizeof(note));
	cr_expect(strstr(note, "2 replicas listed"), "%s", note);
	fx_checks_release(&c);
	fx_mysql_facts_release(&f);
}

/* -v says plainly when replicas were not compared, and which grant lets them be. */
Test(mysql_facts, replicas_not_listed_is_said_with_the_grant)
{
	struct fx_mysql_facts f = FX_MYSQL_FACTS_INIT;
	char note[900];

	load_facts("mariadb-10.11-stack", &f); /* fluxa_cdc: error 1227 recorded */
	cr_assert_eq(f.have_replicas, 0);
	fx_mysql_replicas_note(&f, "fluxa_cdc", note, sizeof(note));
	cr_expect(strstr(note, "NOT compared"), "%s", note);
	cr_expect(strstr(note, "GRANT REPLICATION MASTER ADMIN ON *.* TO 'fluxa_cdc'"), "%s", note);
	cr_expect(strstr(note, "1227"), "%s", note);
	fx_mysql_facts_release(&f);

	load_facts("mysql-doc-8.0", &f);
	f.have_replicas = 0;
	fx_mysql_facts_set(&f.replicas_error, "ERROR 1227 (42000): Access denied");
	fx_mysql_replicas_note(&f, "cdc", note, sizeof(note));
	cr_expect(strstr(note, "SHOW REPLICAS") && strstr(note, "REPLICATION SLAVE"), "%s", note);
	fx_mysql_facts_release(&f);
}
