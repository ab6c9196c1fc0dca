#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "desired.h"
#include "util/str.h"

static void load(const char *y, struct fx_manifest *m)
{
	struct fx_diags d = FX_DIAGS_INIT;
	struct fx_err err = FX_ERR_INIT;

	cr_assert_eq(fx_manifest_load_bytes("t.yaml", y, strlen(y), NULL, NULL, m, &d, &err), 0,
		     "%s", d.n ? d.items[0] : err.msg);
	fx_diags_release(&d);
}

static const char manifest[] =
	"version: 1\n"
	"mysql:\n"
	"  default:\n"
	"    dsn: \"app:pw@tcp(localhost:3306)/test\"\n"
	"    connector: {snapshot.mode: never, tasks.max: \"2\"}\n"
	"  users:\n"
	"    host: users-db\n"
	"    user: cdc\n"
	"    password: pw2\n"
	"    database: users\n"
	"    server_id: {default: 5401, events: 5402}\n"
	"    connect_host: mysql-users\n"
	"    connect_port: 3307\n"
	"    flavor: mariadb\n"
	"kafka:\n"
	"  default: {brokers: [\"k1:9092\", \"k2:9092\"], connect_url: \"http://c:8083\"}\n"
	"  events: {brokers: [\"k:9092\"], connect_url: \"http://e:8083\", connect_bootstrap_servers: \"kafka:9092\"}\n"
	"entities:\n"
	"  UserEntity: {debezium: true, mysql: users}\n"
	"  Zed: {debezium: true}\n"
	"  Alpha: {debezium: true, table: \"a.b*c\"}\n"
	"  NotCaptured: {debezium: false}\n"
	"  OrderEntity: {debezium: events, mysql: users}\n";

static const struct fx_connector *find(const struct fx_desired *d, const char *url, const char *name)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (!strcmp(d->connectors[i].kafka->connect_url, url) && !strcmp(d->connectors[i].name, name))
			return &d->connectors[i];
	return NULL;
}

Test(desired, spec_mapping)
{
	struct fx_manifest m = FX_MANIFEST_INIT;
	struct fx_desired d = FX_DESIRED_INIT;
	struct fx_err err = FX_ERR_INIT;
	const struct fx_connector *c;

	load(manifest, &m);
	cr_assert_eq(fx_desired_build(&m, NULL, &d, &err), 0, "%s", err.msg);
	cr_assert_eq(d.n, 3);
	/* sorted by (connect_url, name) */
	cr_expect_str_eq(d.connectors[0].kafka->connect_url, "http://c:8083");
	cr_expect_str_eq(d.connectors[0].name, "fluxa_default");
	cr_expect_str_eq(d.connectors[1].name, "fluxa_users");
	cr_expect_str_eq(d.connectors[2].kafka->connect_url, "http://e:8083");

	c = find(&d, "http://c:8083", "fluxa_default");
	cr_assert_not_null(c);
	cr_expect_str_eq(fx_config_get(&c->config, "connector.class"), FX_CLASS_MYSQL);
	cr_expect_str_eq(fx_config_get(&c->config, "tasks.max"), "2"); /* override wins */
	cr_expect_str_eq(fx_config_get(&c->config, "snapshot.mode"), "never");
	cr_expect_str_eq(fx_config_get(&c->config, "database.hostname"), "localhost");
	cr_expect_str_eq(fx_config_get(&c->config, "database.port"), "3306");
	cr_expect_str_eq(fx_config_get(&c->config, "database.user"), "app");
	cr_expect_str_eq(fx_config_get(&c->config, "database.password"), "pw");
	/* FluxaORM: FNV-1a-32("default") = 2470140894, mod 100000 + 1000 (python3, by hand) */
	cr_expect_str_eq(fx_config_get(&c->config, "database.server.id"), "41894");
	cr_expect_str_eq(fx_config_get(&c->config, "topic.prefix"), "fluxa_default");
	cr_expect_str_eq(fx_config_get(&c->config, "database.include.list"), "test");
	/* regex-escaped, sorted, comma-joined */
	cr_expect_str_eq(fx_config_get(&c->config, "table.include.list"), "test\\.Zed,test\\.a\\.b\\*c");
	cr_expect_str_eq(fx_config_get(&c->config, "schema.history.internal.kafka.bootstrap.servers"),
			 "k1:9092,k2:9092");
	cr_expect_str_eq(fx_config_get(&c->config, "schema.history.internal.kafka.topic"),
			 "fluxa_default_schema_history");
	cr_expect_str_eq(fx_config_get(&c->config, "include.schema.changes"), "false");
	/* SPEC v2 §3: Debezium's and Connect's defaults are left out */
	cr_expect_null(fx_config_get(&c->config, "tombstones.on.delete"));
	cr_expect_null(fx_config_get(&c->config, "decimal.handling.mode"));
	cr_expect_str_eq(fx_config_get(&c->config, "key.converter"), "org.apache.kafka.connect.json.JsonConverter");
	cr_expect_str_eq(fx_config_get(&c->config, "value.converter.schemas.enable"), "false");
	cr_expect_str_eq(fx_config_get(&c->config, "key.converter.schemas.enable"), "false");
	/* snapshot_new_tables (default true): a Kafka signal channel, notifications, read-only */
	cr_expect_str_eq(fx_config_get(&c->config, "signal.enabled.channels"), "source,kafka");
	cr_expect_str_eq(fx_config_get(&c->config, "signal.kafka.topic"), "fluxa_default_signal");
	cr_expect_str_eq(fx_config_get(&c->config, "signal.kafka.bootstrap.servers"), "k1:9092,k2:9092");
	cr_expect_str_eq(fx_config_get(&c->config, "notification.enabled.channels"), "sink");
	cr_expect_str_eq(fx_config_get(&c->config, "notification.sink.topic.name"),
			 "fluxa_default_notifications");
	cr_expect_str_eq(fx_config_get(&c->config, "read.only"), "true");
	cr_expect_eq(c->config.n, 16 + 2 + 6); /* SPEC §3 keys + snapshot.mode, tasks.max + signal keys */

	c = find(&d, "http://c:8083", "fluxa_users");
	cr_assert_not_null(c);
	cr_expect_str_eq(fx_config_get(&c->config, "connector.class"), FX_CLASS_MARIADB);
	cr_expect_str_eq(fx_config_get(&c->config, "database.hostname"), "mysql-users");
	cr_expect_str_eq(fx_config_get(&c->config, "database.port"), "3307");
	cr_expect_str_eq(fx_config_get(&c->config, "database.server.id"), "5401");
	cr_expect_str_eq(fx_config_get(&c->config, "table.include.list"), "users\\.UserEntity");

	c = find(&d, "http://e:8083", "fluxa_users");
	cr_assert_not_null(c);
	cr_expect_str_eq(fx_config_get(&c->config, "schema.history.internal.kafka.bootstrap.servers"),
			 "kafka:9092");
	cr_expect_str_eq(fx_config_get(&c->config, "table.include.list"), "users\\.OrderEntity");
	cr_expect_str_eq(fx_config_get(&c->config, "database.server.id"), "5402");
	fx_desired_release(&d);
	fx_manifest_release(&m);
}

Test(desired, server_id_formula)
{
	/*
	 * FluxaORM's id: FNV-1a-32(pool) mod 100000 + 1000.  Expected values computed
	 * apart from this code (python3: h = 0x811c9dc5; per byte h ^= b,
	 * h = h * 0x01000193 mod 2^32).
	 */
	static const struct {
		const char *pool;
		uint32_t id;
	} cases[] = { { "default", 41894 }, { "users", 36219 }, { "", 37261 }, { "a", 3220 },
		      { "events", 4908 }, { "orders", 60820 } };
	size_t i;

	cr_expect_eq(fx_fnv1a32(""), 2166136261u);
	cr_expect_eq(fx_fnv1a32("a"), 0xe40c292cu);
	cr_expect_eq(fx_fnv1a32("foobar"), 0xbf9cf968u);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_expect_eq(fx_manifest_derived_server_id(cases[i].pool), cases[i].id, "%s",
			     cases[i].pool);
}

Test(desired, flavors_from_detection)
{
	static const char y[] =
		"version: 1\n"
		"mysql: {a: {dsn: \"u:p@tcp(h:1)/d\"}, b: {dsn: \"u:p@tcp(h:1)/e\", flavor: mysql}}\n"
		"kafka: {default: {brokers: [b], connect_url: \"http://c\"}}\n"
		"entities: {A: {debezium: true, mysql: a}, B: {debezium: true, mysql: b}}\n";
	struct fx_manifest m = FX_MANIFEST_INIT;
	struct fx_desired d = FX_DESIRED_INIT;
	struct fx_err err = FX_ERR_INIT;
	enum fx_flavor detected[2] = { FX_FLAVOR_MARIADB, FX_FLAVOR_MARIADB };

	load(y, &m);
	cr_assert_eq(fx_desired_build(&m, NULL, &d, &err), 0);
	cr_expect_str_eq(fx_config_get(&d.connectors[0].config, "connector.class"), FX_CLASS_MYSQL);
	fx_desired_release(&d);
	cr_assert_eq(fx_desired_build(&m, detected, &d, &err), 0);
	cr_expect_str_eq(fx_config_get(&d.connectors[0].config, "connector.class"), FX_CLASS_MARIADB);
	/* an explicit flavor is not overridden by detection */
	cr_expect_str_eq(fx_config_get(&d.connectors[1].config, "connector.class"), FX_CLASS_MYSQL);
	fx_desired_release(&d);
	fx_manifest_release(&m);
}

Test(desired, regex_escape)
{
	char *s = fx_desired_regex_escape("a.b$c(d)[e]{f}|g?h*i+j^k\\l");

	cr_expect_str_eq(s, "a\\.b\\$c\\(d\\)\\[e\\]\\{f\\}\\|g\\?h\\*i\\+j\\^k\\\\l");
	free(s);
}

/* defaults.connector first, then the pool's connector:; each key knows its manifest line. */
Test(desired, defaults_connector_then_pool)
{
	static const char y[] =
		"version: 1\n"
		"defaults:\n"
		"  connector:\n"
		"    decimal.handling.mode: string\n"
		"    snapshot.locking.mode: none\n"
		"mysql:\n"
		"  a:\n"
		"    dsn: \"u:p@tcp(h:1)/d\"\n"
		"    snapshot_new_tables: false\n"
		"    connector: {decimal.handling.mode: double}\n"
		"  b: {dsn: \"u:p@tcp(h:1)/e\"}\n"
		"kafka: {default: {brokers: [b], connect_url: \"http://c\"}}\n"
		"entities: {A: {debezium: true, mysql: a}, B: {debezium: true, mysql: b}}\n";
	struct fx_manifest m = FX_MANIFEST_INIT;
	struct fx_desired d = FX_DESIRED_INIT;
	struct fx_err err = FX_ERR_INIT;
	const struct fx_connector *a, *b;
	struct fx_pos p;

	load(y, &m);
	cr_expect_eq(fx_manifest_mysql(&m, "a")->snapshot_new_tables, 0);
	cr_expect_eq(fx_manifest_mysql(&m, "b")->snapshot_new_tables, 1); /* the default */
	cr_expect_eq(fx_manifest_mysql(&m, "a")->snapshot_new_tables_pos.line, 9);
	cr_assert_eq(fx_desired_build(&m, NULL, &d, &err), 0, "%s", err.msg);
	a = find(&d, "http://c", "fluxa_a");
	b = find(&d, "http://c", "fluxa_b");
	cr_assert(a && b);
	cr_expect_str_eq(fx_config_get(&a->config, "decimal.handling.mode"), "double");
	cr_expect_str_eq(fx_config_get(&b->config, "decimal.handling.mode"), "string");
	cr_expect_str_eq(fx_config_get(&a->config, "snapshot.locking.mode"), "none");
	cr_expect_str_eq(fx_config_get(&b->config, "snapshot.locking.mode"), "none");
	/* snapshot_new_tables false: none of the signal keys */
	cr_expect_null(fx_config_get(&a->config, "signal.kafka.topic"));
	cr_expect_null(fx_config_get(&a->config, "notification.enabled.channels"));
	cr_expect_null(fx_config_get(&a->config, "read.only"));
	cr_expect_str_eq(fx_config_get(&b->config, "signal.kafka.topic"), "fluxa_b_signal");
	p = fx_desired_key_pos(a, "decimal.handling.mode");
	cr_expect(p.line == 10 && p.col == 17, "%d:%d", p.line, p.col);
	p = fx_desired_key_pos(b, "decimal.handling.mode");
	cr_expect(p.line == 4 && p.col == 5, "%d:%d", p.line, p.col);
	p = fx_desired_key_pos(b, "snapshot.locking.mode");
	cr_expect_eq(p.line, 5);
	p = fx_desired_key_pos(b, "topic.prefix");
	cr_expect_eq(p.line, 0);
	fx_desired_release(&d);
	fx_manifest_release(&m);
}

/* A connector's flavor is resolved, never "auto": the pool's, else the one
 * detected, else mysql (SPEC §1: auto = detected by plan; render/offline: mysql). */
Test(desired, flavor_is_resolved)
{
	static const char y[] =
		"version: 1\n"
		"mysql: {a: {dsn: \"u:p@tcp(h:1)/d\"}, b: {dsn: \"u:p@tcp(h:1)/e\", flavor: mariadb}}\n"
		"kafka: {default: {brokers: [b], connect_url: \"http://c\"}}\n"
		"entities: {A: {debezium: true, mysql: a}, B: {debezium: true, mysql: b}}\n";
	static const struct {
		int detect;
		enum fx_flavor detected, want_a;
	} cases[] = {
		{ 0, FX_FLAVOR_AUTO, FX_FLAVOR_MYSQL },
		{ 1, FX_FLAVOR_AUTO, FX_FLAVOR_MYSQL }, /* detection failed */
		{ 1, FX_FLAVOR_MYSQL, FX_FLAVOR_MYSQL },
		{ 1, FX_FLAVOR_MARIADB, FX_FLAVOR_MARIADB },
	};
	struct fx_manifest m = FX_MANIFEST_INIT;
	size_t i;

	load(y, &m);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fx_desired d = FX_DESIRED_INIT;
		struct fx_err err = FX_ERR_INIT;
		enum fx_flavor detected[2] = { cases[i].detected, FX_FLAVOR_MYSQL };

		cr_assert_eq(fx_desired_build(&m, cases[i].detect ? detected : NULL, &d, &err), 0);
		cr_assert_eq(d.n, 2);
		cr_expect_eq(d.connectors[0].flavor, cases[i].want_a, "case %zu", i);
		cr_expect_str_eq(fx_config_get(&d.connectors[0].config, "connector.class"),
				 cases[i].want_a == FX_FLAVOR_MARIADB ? FX_CLASS_MARIADB : FX_CLASS_MYSQL);
		/* the pool's own flavor wins over detection */
		cr_expect_eq(d.connectors[1].flavor, FX_FLAVOR_MARIADB, "case %zu", i);
		fx_desired_release(&d);
	}
	fx_manifest_release(&m);
}

/* One MySQL pool captured on two Kafka pools: two connectors of one name,
 * fine on two Connect clusters, an error (65, naming both) on one. */
Test(desired, one_pool_on_two_kafka_pools)
{
	static const struct {
		const char *url_b;
		int ok;
	} cases[] = { { "http://other:8083", 1 }, { "http://c:8083", 0 } };
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char y[1024];
		struct fx_manifest m = FX_MANIFEST_INIT;
		struct fx_desired d = FX_DESIRED_INIT;
		struct fx_err err = FX_ERR_INIT;

		snprintf(y, sizeof(y),
			 "version: 1\n"
			 "mysql: {p: {dsn: \"u:p@tcp(h:1)/d\", server_id: {ka: 7, kb: 8}}}\n"
			 "kafka: {ka: {brokers: [b], connect_url: \"http://c:8083\"},"
			 " kb: {brokers: [b], connect_url: \"%s\"}}\n"
			 "entities: {A: {debezium: ka, mysql: p}, B: {debezium: kb, mysql: p, table: T}}\n",
			 cases[i].url_b);
		load(y, &m);
		if (cases[i].ok) {
			cr_expect_eq(fx_desired_build(&m, NULL, &d, &err), 0, "%s", err.msg);
			cr_expect_eq(d.n, 2);
		} else {
			cr_expect_eq(fx_desired_build(&m, NULL, &d, &err), -1);
			cr_expect_eq(err.code, 65);
			cr_expect(strstr(err.msg, "kafka pools 'ka' and 'kb'") &&
				  strstr(err.msg, "connector 'fluxa_p' would be defined twice"), "%s", err.msg);
			cr_expect_eq(d.n, 0);
		}
		fx_desired_release(&d);
		fx_manifest_release(&m);
	}
}
