#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "manifest.h"
#include "util/alloc.h"

static int load_file(const char *path, struct fx_manifest *m, struct fx_diags *d,
		     struct fx_err *err)
{
	return fx_manifest_load(path, m, d, err);
}

/* Every file under good/ loads with no problem. */
Test(manifest, good_fixtures_load)
{
	const char *dir = fx_test_path("tests/fixtures/manifests/good");
	char dirbuf[4096];
	DIR *dp;
	struct dirent *de;
	int seen = 0;

	snprintf(dirbuf, sizeof(dirbuf), "%s", dir);
	dp = opendir(dirbuf);
	cr_assert_not_null(dp, "cannot open %s", dirbuf);
	while ((de = readdir(dp))) {
		char path[4400];
		struct fx_manifest m = FX_MANIFEST_INIT;
		struct fx_diags d = FX_DIAGS_INIT;
		struct fx_err err = FX_ERR_INIT;

		if (!strstr(de->d_name, ".yaml"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dirbuf, de->d_name);
		cr_expect_eq(load_file(path, &m, &d, &err), 0, "%s: %s %s", de->d_name, err.msg,
			     d.n ? d.items[0] : "");
		fx_diags_release(&d);
		fx_manifest_release(&m);
		seen++;
	}
	closedir(dp);
	cr_expect_geq(seen, 3);
}

/*
 * Every file under bad/ starts with "# expect: LINE:COL text" lines; each must
 * match one reported problem (same position, text contained).
 */
Test(manifest, bad_fixtures_report_line_and_reason)
{
	char dirbuf[4096];
	DIR *dp;
	struct dirent *de;
	int seen = 0;

	snprintf(dirbuf, sizeof(dirbuf), "%s", fx_test_path("tests/fixtures/manifests/bad"));
	dp = opendir(dirbuf);
	cr_assert_not_null(dp);
	while ((de = readdir(dp))) {
		char path[4400], *data, *line;
		struct fx_manifest m = FX_MANIFEST_INIT;
		struct fx_diags d = FX_DIAGS_INIT;
		struct fx_err err = FX_ERR_INIT;
		int expects = 0;

		if (!strstr(de->d_name, ".yaml"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dirbuf, de->d_name);
		data = fx_test_read(path, NULL);
		cr_assert_not_null(data);
		cr_expect_eq(load_file(path, &m, &d, &err), -1, "%s loaded", de->d_name);
		cr_expect_eq(err.code, 65, "%s: code %d", de->d_name, err.code);
		/* each leading "# expect: LINE:COL text" line must match a reported problem */
		for (line = data; !strncmp(line, "# expect: ", 10);) {
			int ln = 0, col = 0, off = 0;
			char want[512], pos[64];
			size_t i, wl;
			int found = 0;
			const char *next;

			cr_assert_geq(sscanf(line + 10, "%d:%d %n", &ln, &col, &off), 2, "%s: bad expect line",
				      de->d_name);
			wl = strcspn(line + 10 + off, "\n");
			snprintf(want, sizeof(want), "%.*s", (int)wl, line + 10 + off);
			snprintf(pos, sizeof(pos), ":%d:%d: ", ln, col);
			for (i = 0; i < d.n; i++)
				if (strstr(d.items[i], pos) && strstr(d.items[i], want))
					found = 1;
			cr_expect(found, "%s: no problem '%s' at %d:%d; got: %s", de->d_name, want, ln,
				  col, d.n ? d.items[0] : "(none)");
			expects++;
			next = strchr(line, '\n');
			if (!next)
				break;
			line = (char *)next + 1;
		}
		for (size_t i = 0; i < d.n; i++)
			cr_expect(!strncmp(d.items[i], path, strlen(path)),
				  "message lacks the file name: %s", d.items[i]);
		cr_expect_gt(expects, 0, "%s has no '# expect:' line", de->d_name);
		free(data);
		fx_diags_release(&d);
		fx_manifest_release(&m);
		seen++;
	}
	closedir(dp);
	cr_expect_geq(seen, 20);
}

static const char *fake_env(const char *name, void *ctx)
{
	(void)ctx;
	return !strcmp(name, "FX_TEST_PW") ? "from-env" : NULL;
}

Test(manifest, model_of_full_fixture)
{
	size_t len;
	char *data = fx_test_read(fx_test_path("tests/fixtures/manifests/good/full.yaml"), &len);
	struct fx_manifest m = FX_MANIFEST_INIT;
	struct fx_diags d = FX_DIAGS_INIT;
	struct fx_err err = FX_ERR_INIT;
	const struct fx_mysql_pool *p;
	const struct fx_kafka_pool *k;
	const struct fx_entity *e;
	const struct fx_consumer_group *g;
	char *topic;

	cr_assert_not_null(data);
	cr_assert_eq(fx_manifest_load_bytes("full.yaml", data, len, fake_env, NULL, &m, &d, &err), 0,
		     "%s", d.n ? d.items[0] : err.msg);
	p = fx_manifest_mysql(&m, "default");
	cr_assert_not_null(p);
	cr_expect_str_eq(p->user, "app");
	cr_expect_str_eq(p->password, "from-env");
	cr_expect_str_eq(p->host, "db.internal");
	cr_expect_eq(p->port, 3307);
	cr_expect_str_eq(p->database, "shop");
	cr_expect_str_eq(p->params, "parseTime=true");
	cr_expect_str_eq(p->connect_host, "mysql");
	cr_expect_eq(p->connect_port, 3306);
	cr_expect_eq(p->flavor, FX_FLAVOR_MARIADB);
	cr_expect_eq(p->n_connector, 2);
	cr_expect_str_eq(p->connector[1].value, "${file:/secrets/db.properties:password}");
	p = fx_manifest_mysql(&m, "users");
	cr_assert_not_null(p);
	cr_expect(p->has_server_id);
	cr_expect_eq(p->server_id, 5401);
	k = fx_manifest_kafka(&m, "kafka");
	cr_assert_not_null(k);
	cr_expect_str_eq(k->connect_url, "http://localhost:8083");
	cr_expect_eq(k->n_brokers, 2);
	cr_expect_str_eq(k->auth_user, "u");
	cr_expect_str_eq(k->tls_ca_file, "ca.pem");
	k = fx_manifest_kafka(&m, "events");
	cr_assert_not_null(k);
	cr_expect_eq(k->n_brokers, 1);
	e = fx_manifest_entity(&m, "OrderEntity");
	cr_assert_not_null(e);
	cr_expect_str_eq(e->kafka_pool, "events");
	cr_expect_str_eq(e->mysql_pool, "default");
	cr_expect_str_eq(e->table, "OrderEntity");
	e = fx_manifest_entity(&m, "UserEntity");
	cr_expect_str_eq(e->kafka_pool, "kafka");
	cr_expect_str_eq(e->mysql_pool, "users");
	e = fx_manifest_entity(&m, "Plain");
	cr_expect_null(e->kafka_pool);
	e = fx_manifest_entity(&m, "Bare");
	cr_assert_not_null(e);
	cr_expect_null(e->kafka_pool);
	e = fx_manifest_entity(&m, "Item");
	topic = fx_manifest_topic(&m, e);
	cr_expect_str_eq(topic, "fluxa_default.shop.items.v2");
	free(topic);
	g = fx_manifest_group(&m, "my_cdc_consumer");
	cr_assert_not_null(g);
	cr_expect_eq(g->n_entities, 2);
	cr_expect_str_eq(g->topics[0], "custom-events");
	cr_expect_str_eq(m.sha256 + 0, m.sha256); /* filled */
	cr_expect(!strncmp(m.sha256, "sha256:", 7));
	fx_manifest_release(&m);
	fx_diags_release(&d);
	free(data);
}

Test(manifest, all_errors_reported_not_just_first)
{
	static const char y[] =
		"version: 1\n"
		"mysql:\n"
		"  a: {dsn: \"u:p@tcp(h:1)/d\", colour: x}\n"
		"kafka:\n"
		"  k: {brokers: [b], connect_url: \"http://c\", extra: 1}\n"
		"entities:\n"
		"  E: {debezium: nope, mysql: zz}\n";
	struct fx_manifest m = FX_MANIFEST_INIT;
	struct fx_diags d = FX_DIAGS_INIT;
	struct fx_err err = FX_ERR_INIT;

	cr_assert_eq(fx_manifest_load_bytes("m.yaml", y, sizeof(y) - 1, NULL, NULL, &m, &d, &err), -1);
	cr_expect_geq(d.n, 4, "only %zu problems", d.n);
	fx_manifest_release(&m);
	fx_diags_release(&d);
}

/* Torture: every allocation made to fail in turn; never a crash, always a clean error. */
Test(manifest, allocation_failures_are_clean)
{
	size_t len;
	char *data = fx_test_read(fx_test_path("tests/fixtures/manifests/good/full.yaml"), &len);
	long n, total;

	cr_assert_not_null(data);
	fx_alloc_count_reset();
	{
		struct fx_manifest m = FX_MANIFEST_INIT;
		struct fx_diags d = FX_DIAGS_INIT;
		struct fx_err err = FX_ERR_INIT;

		cr_assert_eq(fx_manifest_load_bytes("f", data, len, fake_env, NULL, &m, &d, &err), 0);
		fx_manifest_release(&m);
		fx_diags_release(&d);
	}
	total = fx_alloc_count();
	cr_assert_gt(total, 10);
	for (n = 0; n < total; n++) {
		struct fx_manifest m = FX_MANIFEST_INIT;
		struct fx_diags d = FX_DIAGS_INIT;
		struct fx_err err = FX_ERR_INIT;
		int r;

		fx_alloc_count_reset();
		fx_alloc_fail_after(n);
		r = fx_manifest_load_bytes("f", data, len, fake_env, NULL, &m, &d, &err);
		fx_alloc_fail_after(-1);
		if (r != 0)
			cr_expect(err.code == 1 || err.code == 65, "n=%ld code %d", n, err.code);
		fx_manifest_release(&m);
		fx_diags_release(&d);
	}
	free(data);
}

Test(manifest, hostile_bytes_do_not_crash)
{
	static const char *inputs[] = {
		"", "\n", "---\n", "~", "[]", "{}", "version", "version: [1]", "version: 1\nmysql: [1,2]",
		"version: 1\nentities: {E: [x]}", "a: &x [*x]", "version: 1\nmysql: {a: *b}",
		"version: 1\nkafka: {k: {brokers: [[a]]}}", "\xef\xbb\xbfversion: 1\n",
		"version: 1\nmysql: {a: {dsn: \"\\0\"}}", "? [a]\n: b\n", "version: !!binary AAAA",
	};
	size_t i;

	for (i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		struct fx_manifest m = FX_MANIFEST_INIT;
		struct fx_diags d = FX_DIAGS_INIT;
		struct fx_err err = FX_ERR_INIT;

		(void)fx_manifest_load_bytes("x", inputs[i], strlen(inputs[i]), NULL, NULL, &m, &d, &err);
		fx_manifest_release(&m);
		fx_diags_release(&d);
	}
}

/* Lookups by code or name: each finds its own, an unknown name nothing. */
Test(manifest, lookups_by_name)
{
	static const char y[] =
		"version: 1\n"
		"mysql: {m1: {dsn: \"u@tcp(h:1)/d\"}, m2: {dsn: \"u@tcp(h:1)/e\", server_id: 9}}\n"
		"kafka: {k1: {brokers: [b], connect_url: \"http://a\"}, k2: {brokers: [b], connect_url: \"http://b\"}}\n"
		"entities: {E1: {debezium: k1, mysql: m1}, E2: {debezium: k2, mysql: m2}}\n"
		"consumer_groups: {g1: {kafka: k1, topics: [t]}, g2: {kafka: k2, debezium_entities: [E2]}}\n";
	static const char *const names[] = { "1", "2" };
	struct fx_manifest m = FX_MANIFEST_INIT;
	struct fx_diags dg = FX_DIAGS_INIT;
	struct fx_err err = FX_ERR_INIT;
	size_t i;

	cr_assert_eq(fx_manifest_load_bytes("t.yaml", y, strlen(y), NULL, NULL, &m, &dg, &err), 0,
		     "%s", dg.n ? dg.items[0] : err.msg);
	for (i = 0; i < 2; i++) {
		char code[8];
		const struct fx_mysql_pool *mp;
		const struct fx_kafka_pool *kp;
		const struct fx_entity *e;
		const struct fx_consumer_group *g;

		snprintf(code, sizeof(code), "m%s", names[i]);
		mp = fx_manifest_mysql(&m, code);
		cr_expect(mp && !strcmp(mp->code, code), "%s", code);
		snprintf(code, sizeof(code), "k%s", names[i]);
		kp = fx_manifest_kafka(&m, code);
		cr_expect(kp && !strcmp(kp->code, code), "%s", code);
		snprintf(code, sizeof(code), "E%s", names[i]);
		e = fx_manifest_entity(&m, code);
		cr_expect(e && !strcmp(e->name, code), "%s", code);
		snprintf(code, sizeof(code), "g%s", names[i]);
		g = fx_manifest_group(&m, code);
		cr_expect(g && !strcmp(g->name, code), "%s", code);
	}
	cr_expect_null(fx_manifest_mysql(&m, "m3"));
	cr_expect_null(fx_manifest_kafka(&m, "k"));
	cr_expect_null(fx_manifest_entity(&m, "e1"));
	cr_expect_null(fx_manifest_group(&m, "g"));
	fx_manifest_release(&m);
	fx_diags_release(&dg);
}

/* A credential written in a URL or broker address never reaches a message. */
Test(manifest, url_credentials_never_in_messages)
{
	struct fx_manifest m = FX_MANIFEST_INIT;
	struct fx_diags d = FX_DIAGS_INIT;
	struct fx_err err = FX_ERR_INIT;
	size_t i;

	cr_assert_eq(load_file(fx_test_path("tests/fixtures/manifests/bad/url-credentials.yaml"), &m, &d,
			       &err), -1);
	cr_assert_geq(d.n, 3);
	for (i = 0; i < d.n; i++)
		cr_expect_null(strstr(d.items[i], "FIXTURE-CRED"), "%s", d.items[i]);
	cr_expect_null(strstr(err.msg, "FIXTURE-CRED"));
	fx_diags_release(&d);
	fx_manifest_release(&m);
}

/* An unknown key gets a did-you-mean only when a known key is close. */
Test(manifest, unknown_key_hint_only_when_close)
{
	static const struct {
		const char *key;
		const char *hint; /* NULL: none */
	} cases[] = {
		{ "connect_hots", "did you mean 'connect_host'?" },
		{ "databse", "did you mean 'database'?" },
		{ "zzzzzzzzzz", NULL },
		{ "q", NULL },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char y[512];
		struct fx_manifest m = FX_MANIFEST_INIT;
		struct fx_diags dg = FX_DIAGS_INIT;
		struct fx_err err = FX_ERR_INIT;

		snprintf(y, sizeof(y),
			 "version: 1\nmysql:\n  default: {dsn: \"a@tcp(h:1)/db\", %s: x}\n"
			 "kafka:\n  default: {brokers: [b], connect_url: \"http://c\"}\nentities: {}\n",
			 cases[i].key);
		cr_expect_eq(fx_manifest_load_bytes("t.yaml", y, strlen(y), NULL, NULL, &m, &dg, &err), -1);
		cr_assert_eq(dg.n, 1, "%s: %zu problems", cases[i].key, dg.n);
		cr_expect(strstr(dg.items[0], "unknown key"), "%s", dg.items[0]);
		if (cases[i].hint)
			cr_expect(strstr(dg.items[0], cases[i].hint), "%s: %s", cases[i].key, dg.items[0]);
		else
			cr_expect_null(strstr(dg.items[0], "did you mean"), "%s: %s", cases[i].key, dg.items[0]);
		fx_manifest_release(&m);
		fx_diags_release(&dg);
	}
}

/* A relative connect_tls file is beside the manifest, not in the working
 * directory; an absolute one is left alone. */
Test(manifest, connect_tls_files_are_beside_the_manifest)
{
	static const struct {
		const char *path, *ca, *want_ca, *want_cert;
	} cases[] = {
		{ "deploy/prod/fluxacdc.yaml", "ca.pem", "deploy/prod/ca.pem", "deploy/prod/tls/c.pem" },
		{ "/etc/fx/fluxacdc.yaml", "ca.pem", "/etc/fx/ca.pem", "/etc/fx/tls/c.pem" },
		{ "fluxacdc.yaml", "ca.pem", "ca.pem", "tls/c.pem" },
		{ "deploy/fluxacdc.yaml", "/etc/ssl/ca.pem", "/etc/ssl/ca.pem", "deploy/tls/c.pem" },
		{ "deploy/fluxacdc.yaml", "../shared/ca.pem", "deploy/../shared/ca.pem", "deploy/tls/c.pem" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char y[1024];
		struct fx_manifest m = FX_MANIFEST_INIT;
		struct fx_diags d = FX_DIAGS_INIT;
		struct fx_err err = FX_ERR_INIT;
		const struct fx_kafka_pool *k;

		snprintf(y, sizeof(y),
			 "version: 1\n"
			 "kafka:\n"
			 "  k:\n"
			 "    brokers: [b]\n"
			 "    connect_url: \"https://c:8083\"\n"
			 "    connect_tls: {ca_file: \"%s\", cert_file: tls/c.pem, key_file: tls/c.key}\n",
			 cases[i].ca);
		cr_assert_eq(fx_manifest_load_bytes(cases[i].path, y, strlen(y), NULL, NULL, &m, &d, &err), 0,
			     "%s", d.n ? d.items[0] : err.msg);
		k = fx_manifest_kafka(&m, "k");
		cr_assert_not_null(k);
		cr_expect_str_eq(k->tls_ca_file, cases[i].want_ca, "case %zu", i);
		cr_expect_str_eq(k->tls_cert_file, cases[i].want_cert, "case %zu", i);
		fx_manifest_release(&m);
		fx_diags_release(&d);
	}
}
