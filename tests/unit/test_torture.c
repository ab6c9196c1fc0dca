/*
 * Allocation-failure ("torture") tests in the spirit of curl's: each
 * allocation of a pure module's run is made to fail in turn.  Every run must
 * either succeed with exactly the result of an unhindered run, or fail with a
 * clean error (code and message) -- never crash, never leak (valgrind-unit and
 * the ASan build check that), never return 0 with a silently truncated result.
 *
 * jansson's allocator is routed through fx_malloc here, so the JSON parsers
 * and writers (Connect answers, plan files) are tortured too.  The manifest
 * loader's own torture test is in test_manifest.c.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connect_json.h"
#include "desired.h"
#include "diff.h"
#include "helpers.h"
#include "manifest.h"
#include "plan_json.h"
#include "util/alloc.h"

#define SALT "0123456789abcdef0123456789abcdef"

/* The recorded fluxa_default (update: password and tables), a new pool
 * (create), and -- added below -- a managed orphan (delete). */
static const char manifest_yaml[] =
	"version: 1\n"
	"mysql:\n"
	"  default:\n"
	"    dsn: \"fluxa_cdc:TORTURE-pw@tcp(127.0.0.1:13306)/fluxa\"\n"
	"    server_id: 5401\n"
	"    flavor: mariadb\n"
	"  second:\n"
	"    dsn: \"u:p@tcp(db2:3306)/shop\"\n"
	"    connector: {snapshot.mode: no_data, topic.prefix: shop}\n"
	"kafka:\n"
	"  default: {brokers: [\"127.0.0.1:19092\"], connect_url: \"http://127.0.0.1:18083\"}\n"
	"entities:\n"
	"  UserEntity: {debezium: true}\n"
	"  OrderEntity: {debezium: true}\n"
	"  Cart: {debezium: true, mysql: second, table: cart.items}\n";

static void *torture_json_malloc(size_t n)
{
	return fx_malloc(n);
}

/*
 * jansson's own allocations go through fx_malloc only where jansson copes
 * with a failure: its writer.  Its parser does not (2.14: lex_save ignores a
 * failed strbuffer_append_byte, so a string silently loses a byte, and
 * json_loadb can crash on a failed allocation), so parsers are tortured on
 * their own allocations only.
 */
static void torture_jansson(int on)
{
	if (on)
		json_set_alloc_funcs(torture_json_malloc, free);
	else
		json_set_alloc_funcs(malloc, free);
}

/* Connect's expanded list, recorded, plus a managed connector no pool wants. */
static char *observed_json(size_t *len)
{
	char *raw = fx_test_read(fx_test_path("tests/fixtures/connect/connectors-expand.json"), NULL);
	json_t *root, *orphan;
	char *out;

	cr_assert_not_null(raw);
	root = json_loads(raw, 0, NULL);
	free(raw);
	cr_assert_not_null(root);
	orphan = json_deep_copy(json_object_get(root, "fluxa_default"));
	cr_assert_not_null(orphan);
	json_object_set_new(json_object_get(json_object_get(orphan, "info"), "config"), "name",
			    json_string("fluxa_gone"));
	json_object_set_new(json_object_get(orphan, "info"), "name", json_string("fluxa_gone"));
	json_object_set_new(json_object_get(orphan, "status"), "name", json_string("fluxa_gone"));
	json_object_set_new(root, "fluxa_gone", orphan);
	out = json_dumps(root, JSON_SORT_KEYS);
	json_decref(root);
	cr_assert_not_null(out);
	*len = strlen(out);
	return out;
}

struct world {
	struct fx_manifest m;
	struct fx_desired d;
	struct fx_observed_cluster cl;
};

static void world_build(struct world *w)
{
	struct fx_diags dg = FX_DIAGS_INIT;
	struct fx_err err = FX_ERR_INIT;
	size_t len;
	char *json = observed_json(&len);

	memset(w, 0, sizeof(*w));
	cr_assert_eq(fx_manifest_load_bytes("t.yaml", manifest_yaml, strlen(manifest_yaml), NULL,
					    NULL, &w->m, &dg, &err), 0,
		     "%s", dg.n ? dg.items[0] : err.msg);
	fx_diags_release(&dg);
	cr_assert_eq(fx_desired_build(&w->m, NULL, &w->d, &err), 0, "%s", err.msg);
	cr_assert_eq(fx_connect_parse_expanded(json, len, &w->cl, &err), 0, "%s", err.msg);
	free(json);
	w->cl.connect_url = strdup("http://127.0.0.1:18083");
	w->cl.kafka_pool = strdup("default");
	w->cl.reachable = 1;
}

static void world_release(struct world *w)
{
	fx_observed_cluster_release(&w->cl);
	fx_desired_release(&w->d);
	fx_manifest_release(&w->m);
}

/* The plan as canonical JSON, computed with no allocation failing. */
static char *plan_text(struct fx_plan *p)
{
	json_t *j;
	char *s;

	fx_alloc_fail_after(-1);
	if (!p->manifest_path)
		p->manifest_path = strdup("t.yaml");
	j = fx_plan_to_json(p);
	cr_assert_not_null(j);
	s = json_dumps(j, JSON_SORT_KEYS);
	json_decref(j);
	cr_assert_not_null(s);
	return s;
}

/* Runs fn once to count its allocations, then once per allocation with that
 * one (and every later one) failing.  fn returns 0 or -1; on 0 it must give
 * the unhindered result, on -1 a clean error. */
typedef int (*torture_fn)(void *ctx, char **result, struct fx_err *err);

#define TORTURE_ALL 1   /* the n-th and every later allocation fail */
#define TORTURE_ONE 2   /* only the n-th fails: a swallowed failure shows */
#define TORTURE_BOTH (TORTURE_ALL | TORTURE_ONE)

static void torture(const char *what, torture_fn fn, void *ctx, int modes, int code_a, int code_b)
{
	struct fx_err err = FX_ERR_INIT;
	char *want = NULL;
	long n, total, failed = 0;

	fx_alloc_fail_after(-1);
	fx_alloc_count_reset();
	cr_assert_eq(fn(ctx, &want, &err), 0, "%s: %s", what, err.msg);
	total = fx_alloc_count();
	cr_assert_gt(total, 5, "%s: only %ld allocations: is fx_malloc used?", what, total);
	/* each allocation fails in turn: with every later one (mode 0), alone (mode 1) */
	for (n = 0; n < 2 * (total + 1); n++) {
		long k = n % (total + 1);
		int once = n > total;
		char *got = NULL;
		int r;

		if (!(modes & (once ? TORTURE_ONE : TORTURE_ALL)))
			continue;
		fx_err_init(&err);
		fx_alloc_count_reset();
		if (once)
			fx_alloc_fail_once(k);
		else
			fx_alloc_fail_after(k);
		r = fn(ctx, &got, &err);
		fx_alloc_fail_after(-1);
		if (r == 0) {
			const char *g = got ? got : "(null)";
			size_t at = 0;

			while (g[at] && g[at] == want[at])
				at++;
			cr_expect(!g[at] && !want[at],
				  "%s: allocation %ld of %ld failed%s, yet success with a different result at byte %zu:\n got: %.120s\nwant: %.120s",
				  what, k, total, once ? " (alone)" : "", at, g + (at > 40 ? at - 40 : 0),
				  want + (at > 40 ? at - 40 : 0));
		} else {
			failed++;
			cr_expect_eq(r, -1, "%s: n=%ld returned %d", what, k, r);
			cr_expect(err.code == code_a || err.code == code_b,
				  "%s: n=%ld error code %d (%s)", what, k, err.code, err.msg);
			cr_expect(err.msg[0] != '\0', "%s: n=%ld error without a message", what, k);
		}
		free(got);
	}
	cr_expect_gt(failed, 0, "%s: no injected failure was ever reported", what);
	free(want);
}

/* ---- fx_diff_compute */

static int run_diff(void *ctx, char **result, struct fx_err *err)
{
	struct world *w = ctx;
	struct fx_plan p = FX_PLAN_INIT;
	int r = fx_diff_compute(&w->d, &w->cl, 1, SALT, &p, err);

	if (r == 0)
		*result = plan_text(&p);
	fx_plan_release(&p);
	return r;
}

Test(torture, diff_compute)
{
	struct world w;
	char *baseline = NULL;
	struct fx_err err = FX_ERR_INIT;
	json_t *j;

	world_build(&w);
	/* the world really holds a create, an update and a delete */
	cr_assert_eq(run_diff(&w, &baseline, &err), 0, "%s", err.msg);
	j = json_loads(baseline, 0, NULL);
	cr_assert_not_null(j);
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(j, "summary"), "create")), 1);
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(j, "summary"), "update")), 1);
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(j, "summary"), "delete")), 1);
	json_decref(j);
	free(baseline);
	torture("fx_diff_compute", run_diff, &w, TORTURE_BOTH, 1, 1);
	world_release(&w);
}

/* ---- fx_desired_build */

static int run_desired(void *ctx, char **result, struct fx_err *err)
{
	struct world *w = ctx;
	struct fx_desired d = FX_DESIRED_INIT;
	struct fx_buf b = FX_BUF_INIT;
	size_t i, k;
	int r = fx_desired_build(&w->m, NULL, &d, err);

	if (r == 0) {
		fx_alloc_fail_after(-1);
		for (i = 0; i < d.n; i++) {
			fx_buf_addf(&b, "%s\n", d.connectors[i].name);
			for (k = 0; k < d.connectors[i].config.n; k++)
				fx_buf_addf(&b, " %s=%s\n", d.connectors[i].config.items[k].key,
					    d.connectors[i].config.items[k].value);
		}
		*result = fx_buf_detach(&b);
	}
	fx_desired_release(&d);
	return r;
}

Test(torture, desired_build)
{
	struct world w;

	world_build(&w);
	torture("fx_desired_build", run_desired, &w, TORTURE_BOTH, 1, 1);
	world_release(&w);
}

/* ---- plan files: writing and reading back */

struct plan_ctx {
	struct fx_plan p;
	char *file; /* the plan file's bytes */
};

static int run_plan_write(void *ctx, char **result, struct fx_err *err)
{
	struct plan_ctx *pc = ctx;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int r;

	cr_assert_not_null(f);
	r = fx_plan_write_json(&pc->p, f, 1);
	fclose(f);
	if (r == 0)
		*result = buf;
	else {
		free(buf);
		fx_err_set(err, 1, "plan not written");
	}
	return r;
}

static int run_plan_read(void *ctx, char **result, struct fx_err *err)
{
	struct plan_ctx *pc = ctx;
	struct fx_plan p = FX_PLAN_INIT;
	int r = fx_plan_from_json("plan.json", pc->file, strlen(pc->file), &p, err);

	if (r == 0)
		*result = plan_text(&p);
	fx_plan_release(&p);
	return r;
}

static void plan_ctx_build(struct world *w, struct plan_ctx *pc)
{
	struct fx_err err = FX_ERR_INIT;

	world_build(w);
	cr_assert_eq(fx_diff_compute(&w->d, &w->cl, 1, SALT, &pc->p, &err), 0, "%s", err.msg);
	pc->p.manifest_path = strdup(w->m.path);
	memcpy(pc->p.manifest_sha256, w->m.sha256, sizeof(pc->p.manifest_sha256));
}

static void plan_ctx_release(struct world *w, struct plan_ctx *pc)
{
	free(pc->file);
	fx_plan_release(&pc->p);
	world_release(w);
}

Test(torture, plan_file_write_and_read)
{
	struct world w;
	struct plan_ctx pc = { FX_PLAN_INIT, NULL };
	struct fx_err err = FX_ERR_INIT;

	plan_ctx_build(&w, &pc);
	/* a plan file whose last allocations fail is never reported as written */
	torture_jansson(1);
	torture("fx_plan_write_json", run_plan_write, &pc, TORTURE_ALL, 1, 1);
	torture_jansson(0);
	cr_assert_eq(run_plan_write(&pc, &pc.file, &err), 0);
	/* reading: a failed copy is an error, never a field read as absent;
	 * jansson's own failures read as a bad file (65) */
	torture("fx_plan_from_json", run_plan_read, &pc, TORTURE_BOTH, 1, 65);
	plan_ctx_release(&w, &pc);
}

/*
 * Only the n-th allocation fails: fx_plan_to_json checks what every
 * json_object_set_new / json_array_append_new / json_pack returns, so a
 * failure in the middle is an error, never a plan file lacking a member.
 */
Test(torture, plan_file_write_single_failure)
{
	struct world w;
	struct plan_ctx pc = { FX_PLAN_INIT, NULL };

	plan_ctx_build(&w, &pc);
	torture_jansson(1);
	torture("fx_plan_write_json", run_plan_write, &pc, TORTURE_ONE, 1, 1);
	torture_jansson(0);
	plan_ctx_release(&w, &pc);
}

/* ---- Connect's answers */

static int run_connect_parse(void *ctx, char **result, struct fx_err *err)
{
	const char *json = ctx;
	struct fx_observed_cluster c;
	struct fx_buf b = FX_BUF_INIT;
	size_t i, k;
	int r;

	memset(&c, 0, sizeof(c));
	r = fx_connect_parse_expanded(json, strlen(json), &c, err);
	if (r == 0) {
		fx_alloc_fail_after(-1);
		for (i = 0; i < c.n_connectors; i++) {
			const struct fx_observed_connector *oc = &c.connectors[i];

			fx_buf_addf(&b, "%s %s %s tasks=%zu\n", oc->name, oc->state ? oc->state : "-",
				    oc->worker_id ? oc->worker_id : "-", oc->n_tasks);
			for (k = 0; k < oc->config.n; k++)
				fx_buf_addf(&b, " %s=%s\n", oc->config.items[k].key,
					    oc->config.items[k].value);
		}
		*result = fx_buf_detach(&b);
	}
	fx_observed_cluster_release(&c);
	return r;
}

Test(torture, connect_parse_expanded)
{
	size_t len;
	char *json = observed_json(&len);

	torture("fx_connect_parse_expanded", run_connect_parse, json, TORTURE_BOTH, 1, 1);
	free(json);
}

/* ---- the manifest loader, alone-failure mode too (test_manifest.c has the
 * every-later-one mode): a swallowed failure must not drop a pool, a key or
 * a diagnostic */

static const char *torture_env(const char *name, void *ctx)
{
	(void)ctx;
	return !strcmp(name, "FX_TEST_PW") ? "from-env" : NULL;
}

static void dump_kvs(struct fx_buf *b, const char *what, const struct fx_kv *kv, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		fx_buf_addf(b, "  %s %s=%s @%d:%d\n", what, kv[i].key, kv[i].value, kv[i].pos.line,
			    kv[i].pos.col);
}

#define S(x) ((x) ? (x) : "-")

static char *manifest_text(const struct fx_manifest *m, const struct fx_diags *d)
{
	struct fx_buf b = FX_BUF_INIT;
	size_t i, k;

	fx_alloc_fail_after(-1);
	fx_buf_addf(&b, "%s %s ro=%d defaults=%s,%s\n", S(m->path), m->sha256, m->world_readable_secret,
		    S(m->default_mysql_pool), S(m->default_kafka_pool));
	for (i = 0; i < m->n_mysql; i++) {
		const struct fx_mysql_pool *p = &m->mysql[i];

		fx_buf_addf(&b, "mysql %s %s:%s@%s:%u sock=%s db=%s params=%s connect=%s:%u sid=%d/%u flavor=%d broken=%d\n",
			    p->code, S(p->user), S(p->password), S(p->host), p->port, S(p->socket),
			    S(p->database), S(p->params), S(p->connect_host), p->connect_port,
			    p->has_server_id, p->server_id, p->flavor, p->broken);
		dump_kvs(&b, "connector", p->connector, p->n_connector);
	}
	for (i = 0; i < m->n_kafka; i++) {
		const struct fx_kafka_pool *p = &m->kafka[i];

		fx_buf_addf(&b, "kafka %s url=%s bs=%s auth=%s:%s tls=%s,%s,%s,%d brokers=", p->code,
			    S(p->connect_url), S(p->connect_bootstrap_servers), S(p->auth_user),
			    S(p->auth_password), S(p->tls_ca_file), S(p->tls_cert_file),
			    S(p->tls_key_file), p->tls_insecure);
		for (k = 0; k < p->n_brokers; k++)
			fx_buf_addf(&b, "%s,", p->brokers[k]);
		fx_buf_addc(&b, '\n');
		dump_kvs(&b, "config", p->config, p->n_config);
	}
	for (i = 0; i < m->n_entities; i++) {
		const struct fx_entity *e = &m->entities[i];

		fx_buf_addf(&b, "entity %s kafka=%s mysql=%s table=%s\n", e->name, S(e->kafka_pool),
			    S(e->mysql_pool), S(e->table));
	}
	for (i = 0; i < m->n_groups; i++) {
		const struct fx_consumer_group *g = &m->groups[i];

		fx_buf_addf(&b, "group %s kafka=%s", g->name, S(g->kafka));
		for (k = 0; k < g->n_entities; k++)
			fx_buf_addf(&b, " e:%s", g->entities[k]);
		for (k = 0; k < g->n_topics; k++)
			fx_buf_addf(&b, " t:%s", g->topics[k]);
		fx_buf_addc(&b, '\n');
	}
	for (i = 0; d && i < d->n; i++)
		fx_buf_addf(&b, "diag %s\n", d->items[i]);
	return fx_buf_detach(&b);
}

struct yaml_ctx {
	char *data;
	size_t len;
};

/* 0 with the model (or, for a manifest with errors, the diagnostics) as text;
 * -1 only for an out-of-memory error. */
static int run_manifest(void *ctx, char **result, struct fx_err *err)
{
	struct yaml_ctx *y = ctx;
	struct fx_manifest m = FX_MANIFEST_INIT;
	struct fx_diags d = FX_DIAGS_INIT;
	int r = fx_manifest_load_bytes("t.yaml", y->data, y->len, torture_env, NULL, &m, &d, err);

	if (r == 0 || err->code == 65) {
		*result = manifest_text(&m, &d);
		r = 0;
	}
	fx_manifest_release(&m);
	fx_diags_release(&d);
	return r;
}

Test(torture, manifest_load_full)
{
	struct yaml_ctx y;

	y.data = fx_test_read(fx_test_path("tests/fixtures/manifests/good/full.yaml"), &y.len);
	cr_assert_not_null(y.data);
	torture("fx_manifest_load_bytes (full.yaml)", run_manifest, &y, TORTURE_BOTH, 1, 1);
	free(y.data);
}

Test(torture, manifest_load_with_errors)
{
	static const char bad[] =
		"version: 1\n"
		"defaults: {mysql_pool: nope}\n"
		"mysql:\n"
		"  a: {dsn: \"u:p@tcp(h:99999)/d\", flavr: mariadb}\n"
		"  b: {host: h, user: u, password: \"${UNSET_ONE}\", database: d, server_id: 0}\n"
		"  b: {host: h}\n"
		"kafka:\n"
		"  k: {brokers: [b], connect_url: \"ftp://c\", connect_tls: {cert_file: c.pem}}\n"
		"entities:\n"
		"  E: {debezium: nope, mysql: zz}\n"
		"  F: {orm: \"debezium;mysql=a\", table: x}\n"
		"consumer_groups:\n"
		"  g: {kafka: missing, debezium_entities: [E, Q]}\n";
	struct yaml_ctx y = { (char *)bad, sizeof(bad) - 1 };

	torture("fx_manifest_load_bytes (errors)", run_manifest, &y, TORTURE_BOTH, 1, 1);
}
