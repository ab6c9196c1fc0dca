/*
 * The diff and the plan renderers, on connectors recorded from the real
 * stack's Connect (tests/fixtures/connect/connectors-expand.json).  Renders
 * are compared with golden files under tests/fixtures/plans/; run with
 * FLUXACDC_UPDATE_GOLDEN=1 to rewrite them (then review the change).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connect_json.h"
#include "desired.h"
#include "diff.h"
#include "helpers.h"
#include "plan_json.h"
#include "render_plan.h"
#include "util/alloc.h"
#include "util/buf.h"

#define SALT "0123456789abcdef0123456789abcdef"

/* The manifest that produced the recorded fluxa_default connector. */
static const char base_manifest[] =
	"version: 1\n"
	"mysql:\n"
	"  default:\n"
	"    dsn: \"fluxa_cdc:%s@tcp(127.0.0.1:13306)/fluxa\"\n"
	"    server_id: 5401\n"
	"    flavor: mariadb\n"
	"%s" /* snapshot_new_tables: false: recorded before the signal keys existed */
	"%s"
	"kafka:\n"
	"  default: {brokers: [\"127.0.0.1:19092\"], connect_url: \"http://127.0.0.1:18083\"}\n"
	"entities:\n"
	"%s";

struct world {
	struct fx_manifest m;
	struct fx_desired d;
	struct fx_observed_cluster cl;
	struct fx_plan p;
};

/*
 * The recording was made with fluxacdc's first desired config (history topic
 * fluxa_default.schema-history, decimal.handling.mode string, tasks.max and
 * tombstones.on.delete written out).  as_v2 moves it to SPEC v2's config the
 * way a connector created by this fluxacdc reads back: the two keys at their
 * documented defaults stay (Connect keeps what it was given), so every world
 * also checks that those are equal by meaning.
 */
static void world_build_ex(struct world *w, const char *password, const char *extra_pool_keys,
			   const char *entities, int snapshot_new_tables, int as_v2)
{
	char y[4096];
	struct fx_diags dg = FX_DIAGS_INIT;
	struct fx_err err = FX_ERR_INIT;
	size_t len;
	char *json = fx_test_read(fx_test_path("tests/fixtures/connect/connectors-expand.json"), &len);

	memset(w, 0, sizeof(*w));
	snprintf(y, sizeof(y), base_manifest, password,
		 snapshot_new_tables ? "" : "    snapshot_new_tables: false\n", extra_pool_keys, entities);
	cr_assert_eq(fx_manifest_load_bytes("t.yaml", y, strlen(y), NULL, NULL, &w->m, &dg, &err), 0,
		     "%s", dg.n ? dg.items[0] : err.msg);
	fx_diags_release(&dg);
	cr_assert_eq(fx_desired_build(&w->m, NULL, &w->d, &err), 0, "%s", err.msg);
	cr_assert_not_null(json);
	cr_assert_eq(fx_connect_parse_expanded(json, len, &w->cl, &err), 0, "%s", err.msg);
	free(json);
	w->cl.connect_url = strdup("http://127.0.0.1:18083");
	w->cl.kafka_pool = strdup("default");
	w->cl.reachable = 1;
	if (as_v2) {
		struct fx_observed_connector *o = (struct fx_observed_connector *)fx_observed_find(&w->cl, "fluxa_default");

		cr_assert_not_null(o);
		fx_config_set(&o->config, "schema.history.internal.kafka.topic", "fluxa_default_schema_history");
		fx_config_remove(&o->config, "decimal.handling.mode");
	}
	cr_assert_eq(fx_diff_compute(&w->d, &w->cl, 1, SALT, &w->p, &err), 0, "%s", err.msg);
	w->p.manifest_path = strdup(w->m.path);
	memcpy(w->p.manifest_sha256, w->m.sha256, sizeof(w->p.manifest_sha256));
}

static void world_build_snap(struct world *w, const char *password, const char *extra_pool_keys,
			     const char *entities, int snapshot_new_tables)
{
	world_build_ex(w, password, extra_pool_keys, entities, snapshot_new_tables, 1);
}

static void world_build(struct world *w, const char *password, const char *extra_pool_keys,
			const char *entities)
{
	world_build_ex(w, password, extra_pool_keys, entities, 0, 1);
}

static void world_release(struct world *w)
{
	fx_plan_release(&w->p);
	fx_observed_cluster_release(&w->cl);
	fx_desired_release(&w->d);
	fx_manifest_release(&w->m);
}

static const struct fx_diff_item *item(const struct fx_change *c, const char *key)
{
	size_t i;

	for (i = 0; i < c->n_diff; i++)
		if (!strcmp(c->diff[i].key, key))
			return &c->diff[i];
	return NULL;
}

Test(diff, identical_config_is_no_alter)
{
	struct world w;

	world_build(&w, "FIXTURE-SECRET-not-real", "", "  UserEntity: {debezium: true}\n");
	cr_expect_eq(w.p.n_changes, 0, "changes: %zu (%s)", w.p.n_changes,
		     w.p.n_changes ? w.p.changes[0].description : "");
	cr_assert_eq(w.p.n_unchanged, 1);
	cr_expect_str_eq(w.p.unchanged[0].connector, "fluxa_default");
	cr_expect(!strncmp(w.p.desired_fp, "sha256:", 7));
	world_release(&w);
}

Test(diff, table_added_is_update_with_note)
{
	struct world w;
	const struct fx_change *c;
	const struct fx_diff_item *it;

	world_build(&w, "FIXTURE-SECRET-not-real", "", "  UserEntity: {debezium: true}\n  OrderEntity: {debezium: true}\n");
	cr_assert_eq(w.p.n_changes, 1);
	c = &w.p.changes[0];
	cr_expect_eq(c->action, FX_ACTION_UPDATE);
	cr_expect_eq(c->risk, FX_RISK_RESTART);
	cr_expect_eq(c->n_diff, 1);
	it = item(c, "table.include.list");
	cr_assert_not_null(it);
	cr_expect_eq(it->op, FX_DIFF_CHANGE);
	cr_expect_str_eq(it->before, "fluxa\\.UserEntity");
	cr_expect_str_eq(it->after, "fluxa\\.OrderEntity,fluxa\\.UserEntity");
	cr_assert_eq(c->n_notes, 1);
	/* the added table named as the user wrote it, unescaped; the kept one not named */
	cr_expect(strstr(c->notes[0], "not snapshotted") && strstr(c->notes[0], ": fluxa.OrderEntity;"),
		  "%s", c->notes[0]);
	cr_expect_null(strstr(c->notes[0], "UserEntity"), "%s", c->notes[0]);
	/* the desired config (with its secret) travels in memory for apply */
	cr_expect_str_eq(fx_config_get(&c->desired, "database.password"), "FIXTURE-SECRET-not-real");
	world_release(&w);
}

Test(diff, table_added_with_snapshot_new_tables_says_backfill)
{
	struct world w;
	const struct fx_change *c;
	size_t i;
	int note = 0;

	world_build_snap(&w, "FIXTURE-SECRET-not-real", "",
			 "  UserEntity: {debezium: true}\n  OrderEntity: {debezium: true}\n", 1);
	cr_assert_eq(w.p.n_changes, 1);
	c = &w.p.changes[0];
	/* the update also brings the signal and notification keys */
	cr_expect_not_null(item(c, "signal.kafka.topic"));
	cr_expect_not_null(item(c, "read.only"));
	for (i = 0; i < c->n_notes; i++)
		if (strstr(c->notes[i], ": fluxa.OrderEntity;") && strstr(c->notes[i], "backfills") &&
		    strstr(c->notes[i], "fluxa_default_signal"))
			note = 1;
	cr_expect(note, "no backfill note: %s", c->n_notes ? c->notes[0] : "(none)");
	world_release(&w);
}

Test(diff, secret_change_is_shown_without_values)
{
	struct world w;
	const struct fx_diff_item *it;
	struct fx_buf b = FX_BUF_INIT;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	world_build(&w, "NEW-SENTINEL-pw", "", "  UserEntity: {debezium: true}\n");
	cr_assert_eq(w.p.n_changes, 1);
	it = item(&w.p.changes[0], "database.password");
	cr_assert_not_null(it);
	cr_expect(it->sensitive);
	cr_expect_null(it->before);
	cr_expect_null(it->after);
	/* no renderer prints either password */
	f = open_memstream(&text, &len);
	fx_render_plan_text(f, &w.p, NULL);
	fx_render_plan_markdown(f, &w.p, NULL);
	fx_plan_write_json(&w.p, f, 1);
	fclose(f);
	cr_expect_null(strstr(text, "NEW-SENTINEL-pw"));
	cr_expect_null(strstr(text, "FIXTURE-SECRET-not-real"));
	cr_expect(strstr(text, "sensitive value changed"));
	free(text);
	fx_buf_release(&b);
	world_release(&w);
}

Test(diff, orphan_managed_deleted_unmanaged_never_mentioned)
{
	struct world w;
	size_t i;

	world_build(&w, "x", "", "  UserEntity: {debezium: false}\n");
	cr_assert_eq(w.p.n_changes, 1);
	cr_expect_eq(w.p.changes[0].action, FX_ACTION_DELETE);
	cr_expect_eq(w.p.changes[0].risk, FX_RISK_DESTROY);
	cr_expect_str_eq(w.p.changes[0].connector, "fluxa_default");
	for (i = 0; i < w.p.n_changes; i++)
		cr_expect_neq(strcmp(w.p.changes[i].connector, "other_conn"), 0);
	for (i = 0; i < w.p.changes[0].n_diff; i++)
		cr_expect_neq(strcmp(w.p.changes[0].diff[i].key, "name"), 0);
	world_release(&w);
}

Test(diff, resnapshot_and_removed_keys_and_order)
{
	struct world w;
	const struct fx_change *c;

	/* a second pool makes a create; topic.prefix override makes a resnapshot */
	world_build(&w, "FIXTURE-SECRET-not-real", "    connector: {topic.prefix: other_prefix}\n  zz:\n    dsn: \"u:p@tcp(h:1)/db\"\n",
		    "  UserEntity: {debezium: true}\n  Z: {debezium: true, mysql: zz}\n");
	cr_assert_eq(w.p.n_changes, 2);
	c = &w.p.changes[0];
	cr_expect_eq(c->action, FX_ACTION_UPDATE, "updates before creates");
	cr_expect_eq(c->risk, FX_RISK_RESNAPSHOT);
	cr_expect_eq(w.p.changes[1].action, FX_ACTION_CREATE);
	cr_expect_eq(w.p.changes[1].risk, FX_RISK_SAFE);
	cr_expect_str_eq(w.p.changes[1].connector, "fluxa_zz");
	world_release(&w);
}

/* SPEC §4: an update's risk is "resnapshot" when it changes topic.prefix,
 * connector.class or database.include.list (the stored offsets no longer
 * fit), "restart" for any other key; a plan shows each changed key. */
Test(diff, risk_of_each_changed_key)
{
	static const struct {
		const char *pool_keys;
		const char *key;
		enum fx_risk want;
	} cases[] = {
		{ "    connector: {topic.prefix: other_prefix}\n", "topic.prefix", FX_RISK_RESNAPSHOT },
		{ "    connector: {connector.class: io.debezium.connector.mysql.MySqlConnector}\n",
		  "connector.class", FX_RISK_RESNAPSHOT },
		{ "    connector: {database.include.list: fluxa_other}\n", "database.include.list",
		  FX_RISK_RESNAPSHOT },
		{ "    connector: {snapshot.mode: no_data}\n", "snapshot.mode", FX_RISK_RESTART },
		{ "    connector: {database.hostname: elsewhere}\n", "database.hostname", FX_RISK_RESTART },
		{ "    connector: {max.batch.size: \"4096\"}\n", "max.batch.size", FX_RISK_RESTART },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct world w;
		const struct fx_change *c;

		world_build(&w, "FIXTURE-SECRET-not-real", cases[i].pool_keys,
			    "  UserEntity: {debezium: true}\n");
		cr_assert_eq(w.p.n_changes, 1, "%s: %zu changes", cases[i].key, w.p.n_changes);
		c = &w.p.changes[0];
		cr_expect_eq(c->action, FX_ACTION_UPDATE, "%s", cases[i].key);
		cr_expect_eq(c->risk, cases[i].want, "%s: risk %s, want %s", cases[i].key,
			     fx_risk_name(c->risk), fx_risk_name(cases[i].want));
		cr_expect_not_null(item(c, cases[i].key), "%s: not in the diff", cases[i].key);
		cr_expect(strstr(c->description, cases[i].key), "%s: not in '%s'", cases[i].key,
			  c->description);
		if (cases[i].want == FX_RISK_RESNAPSHOT)
			cr_expect(c->n_notes && strstr(c->notes[c->n_notes - 1], "start over"),
				  "%s: a resnapshot says Debezium starts over", cases[i].key);
		else
			cr_expect_eq(c->n_notes, 0, "%s: %s", cases[i].key, c->n_notes ? c->notes[0] : "");
		world_release(&w);
	}
}

/* SPEC §4: "Alters, in this order when applied (deletes, then updates, then
 * creates; by cluster, then name)"; unchanged connectors likewise by cluster
 * and name.  Two clusters, each with a create, an update, deletes and an
 * unchanged connector, listed out of order. */
Test(diff, apply_order_across_clusters)
{
	static const char y[] =
		"version: 1\n"
		"mysql:\n"
		"  p1: {dsn: \"u:pw@tcp(h:3306)/d1\", server_id: 11}\n"
		"  p2: {dsn: \"u:pw@tcp(h:3306)/d2\", server_id: 12}\n"
		"  p3: {dsn: \"u:pw@tcp(h:3306)/d3\", server_id: 13}\n"
		"  p4: {dsn: \"u:pw@tcp(h:3306)/d4\", server_id: 14}\n"
		"  p5: {dsn: \"u:pw@tcp(h:3306)/d5\", server_id: 15}\n"
		"kafka:\n"
		"  kb: {brokers: [\"k:9092\"], connect_url: \"http://b:8083\"}\n"
		"  ka: {brokers: [\"k:9092\"], connect_url: \"http://a:8083\"}\n"
		"entities:\n"
		"  E4: {debezium: kb, mysql: p4}\n"
		"  E1: {debezium: ka, mysql: p1}\n"
		"  E2: {debezium: kb, mysql: p2}\n"
		"  E3: {debezium: ka, mysql: p3}\n"
		"  E5: {debezium: ka, mysql: p5}\n";
	/* a: p3 to update, zz and aa to delete, p5 unchanged (filled below), other_x not ours;
	 * b: p2 to update, old to delete */
	static const char *const a_json =
		"{\"fluxa_zz\": {\"info\": {\"name\": \"fluxa_zz\", \"config\": {\"k\": \"v\"}}},"
		" \"other_x\": {\"info\": {\"name\": \"other_x\", \"config\": {\"k\": \"v\"}}},"
		" \"fluxa_p3\": {\"info\": {\"name\": \"fluxa_p3\", \"config\": {\"k\": \"v\"}}},"
		" \"fluxa_aa\": {\"info\": {\"name\": \"fluxa_aa\", \"config\": {\"k\": \"v\"}}}}";
	static const char *const b_json =
		"{\"fluxa_p2\": {\"info\": {\"name\": \"fluxa_p2\", \"config\": {\"k\": \"v\"}}},"
		" \"fluxa_old\": {\"info\": {\"name\": \"fluxa_old\", \"config\": {\"k\": \"v\"}}}}";
	static const struct {
		enum fx_action action;
		const char *url, *name;
	} want[] = {
		{ FX_ACTION_DELETE, "http://a:8083", "fluxa_aa" },
		{ FX_ACTION_DELETE, "http://a:8083", "fluxa_zz" },
		{ FX_ACTION_DELETE, "http://b:8083", "fluxa_old" },
		{ FX_ACTION_UPDATE, "http://a:8083", "fluxa_p3" },
		{ FX_ACTION_UPDATE, "http://b:8083", "fluxa_p2" },
		{ FX_ACTION_CREATE, "http://a:8083", "fluxa_p1" },
		{ FX_ACTION_CREATE, "http://b:8083", "fluxa_p4" },
	};
	struct fx_manifest m = FX_MANIFEST_INIT;
	struct fx_desired d = FX_DESIRED_INIT;
	struct fx_observed_cluster cl[2];
	struct fx_plan p = FX_PLAN_INIT;
	struct fx_diags dg = FX_DIAGS_INIT;
	struct fx_err err = FX_ERR_INIT;
	struct fx_buf same = FX_BUF_INIT;
	char *json;
	size_t i;

	cr_assert_eq(fx_manifest_load_bytes("t.yaml", y, strlen(y), NULL, NULL, &m, &dg, &err), 0,
		     "%s", dg.n ? dg.items[0] : err.msg);
	cr_assert_eq(fx_desired_build(&m, NULL, &d, &err), 0, "%s", err.msg);
	/* fluxa_p5 on a: exactly its desired config, so unchanged */
	for (i = 0; i < d.n; i++) {
		size_t k;

		if (strcmp(d.connectors[i].name, "fluxa_p5"))
			continue;
		fx_buf_adds(&same, "{\"fluxa_p5\": {\"info\": {\"name\": \"fluxa_p5\", \"config\": {");
		for (k = 0; k < d.connectors[i].config.n; k++) {
			const char *v;

			fx_buf_addf(&same, "%s\"%s\": \"", k ? ", " : "", d.connectors[i].config.items[k].key);
			for (v = d.connectors[i].config.items[k].value; *v; v++) {
				if (*v == '\\' || *v == '"')
					fx_buf_addc(&same, '\\');
				fx_buf_addc(&same, *v);
			}
			fx_buf_adds(&same, "\"");
		}
		fx_buf_adds(&same, "}}}, ");
	}
	cr_assert(*fx_buf_str(&same));
	json = fx_asprintf("%s%s", fx_buf_str(&same), a_json + 1);
	memset(cl, 0, sizeof(cl));
	cr_assert_eq(fx_connect_parse_expanded(b_json, strlen(b_json), &cl[0], &err), 0, "%s", err.msg);
	cr_assert_eq(fx_connect_parse_expanded(json, strlen(json), &cl[1], &err), 0, "%s", err.msg);
	free(json);
	fx_buf_release(&same);
	cl[0].connect_url = strdup("http://b:8083");
	cl[1].connect_url = strdup("http://a:8083");
	cl[0].reachable = cl[1].reachable = 1;
	cr_assert_eq(fx_diff_compute(&d, cl, 2, SALT, &p, &err), 0, "%s", err.msg);
	cr_assert_eq(p.n_changes, sizeof(want) / sizeof(want[0]), "%zu changes", p.n_changes);
	for (i = 0; i < p.n_changes; i++) {
		cr_expect_eq(p.changes[i].action, want[i].action, "change %zu: %s %s", i,
			     fx_action_name(p.changes[i].action), p.changes[i].connector);
		cr_expect_str_eq(p.changes[i].connect_url, want[i].url, "change %zu", i);
		cr_expect_str_eq(p.changes[i].connector, want[i].name, "change %zu", i);
	}
	cr_assert_eq(p.n_unchanged, 1);
	cr_expect_str_eq(p.unchanged[0].connector, "fluxa_p5");
	fx_plan_release(&p);
	fx_observed_cluster_release(&cl[0]);
	fx_observed_cluster_release(&cl[1]);
	fx_desired_release(&d);
	fx_manifest_release(&m);
	fx_diags_release(&dg);
}

Test(diff, unreachable_cluster_yields_no_alters)
{
	struct world w;
	struct fx_plan p2 = FX_PLAN_INIT;
	struct fx_err err = FX_ERR_INIT;

	world_build(&w, "x", "", "  UserEntity: {debezium: true}\n");
	w.cl.reachable = 0;
	cr_assert_eq(fx_diff_compute(&w.d, &w.cl, 1, SALT, &p2, &err), 0);
	cr_expect_eq(p2.n_changes, 0);
	cr_expect_eq(p2.n_unchanged, 0);
	fx_plan_release(&p2);
	world_release(&w);
}

Test(diff, drift_names_the_connector_and_the_manifest)
{
	struct world a, b;
	struct fx_buf why = FX_BUF_INIT;
	size_t n;

	world_build(&a, "FIXTURE-SECRET-not-real", "", "  UserEntity: {debezium: true}\n");
	world_build(&b, "FIXTURE-SECRET-not-real", "", "  UserEntity: {debezium: true}\n");
	cr_expect_eq(fx_diff_drift(&a.p, &b.p, &why), 0, "%s", fx_buf_str(&why));
	world_release(&b);
	/* the live config changed behind our back */
	world_build(&b, "FIXTURE-SECRET-not-real", "", "  UserEntity: {debezium: true}\n");
	fx_plan_release(&b.p);
	fx_config_set(&b.cl.connectors[0].config, "snapshot.mode", "never");
	{
		struct fx_err err = FX_ERR_INIT;

		cr_assert_eq(fx_diff_compute(&b.d, &b.cl, 1, SALT, &b.p, &err), 0);
	}
	n = fx_diff_drift(&a.p, &b.p, &why);
	cr_expect_eq(n, 1, "%s", fx_buf_str(&why));
	cr_expect(strstr(fx_buf_str(&why), "connector 'fluxa_default'"), "%s", fx_buf_str(&why));
	world_release(&b);
	fx_buf_reset(&why);
	/* the manifest changed */
	world_build(&b, "FIXTURE-SECRET-not-real", "", "  UserEntity: {debezium: true}\n  OrderEntity: {debezium: true}\n");
	cr_expect_geq(fx_diff_drift(&a.p, &b.p, &why), 1);
	cr_expect(strstr(fx_buf_str(&why), "manifest"), "%s", fx_buf_str(&why));
	world_release(&b);
	world_release(&a);
	fx_buf_release(&why);
}

/* "k=v;k2=v2" -> config (a test helper). */
static void cfg_of(struct fx_config *c, const char *spec)
{
	char buf[512], *save = NULL, *kv;

	fx_config_init(c);
	snprintf(buf, sizeof(buf), "%s", spec);
	for (kv = strtok_r(buf, ";", &save); kv; kv = strtok_r(NULL, ";", &save)) {
		char *eq = strchr(kv, '=');

		cr_assert_not_null(eq);
		*eq = '\0';
		cr_assert_eq(fx_config_set(c, kv, eq + 1), 0);
	}
}

Test(diff, changed_keys_table)
{
	static const struct {
		const char *before, *after, *want;
	} cases[] = {
		{ "a=1;b=2", "a=1;b=2", "" },
		{ "a=1;b=2", "a=1;b=3", "b (changed)" },
		{ "a=1", "a=1;c=3", "c (added)" },
		{ "a=1;c=3", "a=1", "c (removed)" },
		{ "a=1;database.password=x", "a=2;database.password=y",
		  "a (changed), database.password (sensitive, changed)" },
		{ "name=n1;a=1", "name=n2;a=1", "" },                 /* Connect's own key */
		{ "b=1;x.jaas.config=s", "a=0;b=1", "a (added), x.jaas.config (sensitive, removed)" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fx_config b, a;
		struct fx_diff_key_changes kc = FX_DIFF_KEY_CHANGES_INIT;
		struct fx_buf out = FX_BUF_INIT;

		cfg_of(&b, cases[i].before);
		cfg_of(&a, cases[i].after);
		cr_assert_eq(fx_diff_changed_keys(&b, &a, &kc), 0);
		fx_buf_adds(&out, "");
		fx_diff_describe_keys(&kc, &out);
		cr_expect_str_eq(fx_buf_str(&out), cases[i].want, "case %zu", i);
		cr_expect_null(strstr(fx_buf_str(&out), "=y"), "a value in %s", fx_buf_str(&out));
		fx_diff_key_changes_release(&kc);
		fx_buf_release(&out);
		fx_config_release(&b);
		fx_config_release(&a);
	}
}

/* The plan as a plan file reads it back (what apply FILE compares with). */
static void through_file(struct fx_plan *p)
{
	struct fx_plan back = FX_PLAN_INIT;
	struct fx_err err = FX_ERR_INIT;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	cr_assert_not_null(f);
	cr_assert_eq(fx_plan_write_json(p, f, 0), 0);
	fclose(f);
	cr_assert_eq(fx_plan_from_json("p.json", text, len, &back, &err), 0, "%s", err.msg);
	free(text);
	fx_plan_release(p);
	*p = back;
}

/* A stale plan file names the keys that moved; a secret only as "changed". */
Test(diff, drift_names_the_keys)
{
	static const struct {
		const char *what, *key, *value, *pw_now, *want, *not_want;
	} cases[] = {
		{ "live key added", "snapshot.mode", "never", NULL,
		  "connector 'fluxa_default' on http://127.0.0.1:18083 changed since the plan (key snapshot.mode (added))", NULL },
		{ "live key changed", "database.port", "13307", NULL, "(key database.port (changed))", NULL },
		{ "tasks.max 1 is its default (as if absent): 7 reads as added", "tasks.max", "7", NULL, "(key tasks.max (added))", NULL },
		{ "live secret changed", "database.password", "OTHER-SECRET", NULL,
		  "(key database.password (sensitive, changed))", "OTHER-SECRET" },
		{ "manifest secret changed", NULL, NULL, "NEW-SECRET-not-real",
		  "the manifest (or the environment it reads) changed since the plan: connector 'fluxa_default' on http://127.0.0.1:18083: key database.password (sensitive, changed)",
		  "NEW-SECRET" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct world a, b;
		struct fx_buf why = FX_BUF_INIT;
		struct fx_err err = FX_ERR_INIT;

		world_build(&a, "FIXTURE-SECRET-not-real", "", "  UserEntity: {debezium: true}\n");
		through_file(&a.p);
		world_build(&b, cases[i].pw_now ? cases[i].pw_now : "FIXTURE-SECRET-not-real", "",
			    "  UserEntity: {debezium: true}\n");
		if (cases[i].key) {
			fx_plan_release(&b.p);
			cr_assert_eq(fx_config_set(&b.cl.connectors[0].config, cases[i].key, cases[i].value), 0);
			cr_assert_eq(fx_diff_compute(&b.d, &b.cl, 1, SALT, &b.p, &err), 0);
		}
		cr_expect_eq(fx_diff_drift(&a.p, &b.p, &why), 1, "%s: %s", cases[i].what, fx_buf_str(&why));
		cr_expect(strstr(fx_buf_str(&why), cases[i].want), "%s: %s", cases[i].what, fx_buf_str(&why));
		if (cases[i].not_want)
			cr_expect_null(strstr(fx_buf_str(&why), cases[i].not_want), "%s: %s", cases[i].what,
				       fx_buf_str(&why));
		world_release(&b);
		world_release(&a);
		fx_buf_release(&why);
	}
}

/* Renders and compares with (or writes) a golden file. */
static void golden(const char *name, const char *got)
{
	char rel[256];
	const char *path;
	char *want;

	snprintf(rel, sizeof(rel), "tests/fixtures/plans/%s", name);
	path = fx_test_path(rel);
	if (getenv("FLUXACDC_UPDATE_GOLDEN")) {
		FILE *f = fopen(path, "w");

		cr_assert_not_null(f);
		fputs(got, f);
		fclose(f);
		return;
	}
	want = fx_test_read(path, NULL);
	cr_assert_not_null(want, "no golden file %s (FLUXACDC_UPDATE_GOLDEN=1 writes it)", path);
	cr_expect_str_eq(got, want, "%s differs from its golden file", name);
	free(want);
}

Test(diff, golden_renders_and_json_round_trip)
{
	struct world w;
	struct fx_render_plan_opts ro = FX_RENDER_PLAN_OPTS_INIT;
	struct fx_plan back = FX_PLAN_INIT;
	struct fx_err err = FX_ERR_INIT;
	char *text = NULL, *json = NULL, *json2 = NULL;
	size_t len = 0, jlen = 0, j2len = 0;
	FILE *f;

	world_build(&w, "NEW-SENTINEL-pw", "", "  UserEntity: {debezium: true}\n  OrderEntity: {debezium: true}\n");
	fx_checks_add(&w.p.checks, FX_CHECK_ERROR, "mysql.binlog_format", "mysql:default", "MIXED", "ROW",
		      "SET GLOBAL binlog_format = 'ROW' and binlog_format = ROW in my.cnf",
		      "binlog_format is MIXED; Debezium needs ROW");
	f = open_memstream(&text, &len);
	fx_render_plan_text(f, &w.p, &ro);
	fclose(f);
	golden("update.txt", text);
	free(text);
	f = open_memstream(&text, &len);
	fx_render_plan_markdown(f, &w.p, &ro);
	fclose(f);
	golden("update.md", text);
	free(text);
	f = open_memstream(&json, &jlen);
	fx_plan_write_json(&w.p, f, 1);
	fclose(f);
	golden("update.json", json);
	/* a plan file reads back to the same JSON */
	cr_assert_eq(fx_plan_from_json("update.json", json, jlen, &back, &err), 0, "%s", err.msg);
	f = open_memstream(&json2, &j2len);
	fx_plan_write_json(&back, f, 1);
	fclose(f);
	cr_expect_str_eq(json2, json);
	free(json);
	free(json2);
	fx_plan_release(&back);
	world_release(&w);
}

Test(diff, markdown_truncates_with_pointer)
{
	struct world w;
	struct fx_render_plan_opts ro = FX_RENDER_PLAN_OPTS_INIT;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	world_build(&w, "x", "", "  UserEntity: {debezium: false}\n");
	ro.max_bytes = 300;
	ro.plan_file = "plan.json";
	f = open_memstream(&text, &len);
	fx_render_plan_markdown(f, &w.p, &ro);
	fclose(f);
	cr_expect_lt(len, 600);
	cr_expect(strstr(text, "Truncated") && strstr(text, "plan.json"), "%s", text);
	free(text);
	world_release(&w);
}

/*
 * SPEC §4: "apply FILE re-reads live state and the manifest and exits 4,
 * naming what drifted, when either fingerprint no longer matches."  Plans
 * built by hand: each connector as (name, url, observed fingerprint or NULL
 * for a create), in the plan's changes or its unchanged list.
 */
struct drift_conn {
	const char *name, *url, *fp;
	int unchanged;
};

#define DMAX 3

static void drift_plan(struct fx_plan *p, struct fx_change *ch, struct fx_unchanged *un,
		       const struct drift_conn *cs, const char *dfp, const char *ofp)
{
	size_t i;

	memset(p, 0, sizeof(*p));
	memset(ch, 0, DMAX * sizeof(*ch));
	memset(un, 0, DMAX * sizeof(*un));
	snprintf(p->desired_fp, sizeof(p->desired_fp), "%s", dfp);
	snprintf(p->observed_fp, sizeof(p->observed_fp), "%s", ofp);
	p->changes = ch;
	p->unchanged = un;
	for (i = 0; i < DMAX && cs[i].name; i++) {
		if (cs[i].unchanged) {
			un[p->n_unchanged].connector = (char *)cs[i].name;
			un[p->n_unchanged].connect_url = (char *)cs[i].url;
			un[p->n_unchanged++].observed_fp = (char *)cs[i].fp;
		} else {
			ch[p->n_changes].connector = (char *)cs[i].name;
			ch[p->n_changes].connect_url = (char *)cs[i].url;
			ch[p->n_changes++].observed_fp = (char *)cs[i].fp;
		}
	}
}

Test(diff, drift_table)
{
#define U1 "http://a:8083"
#define U2 "http://b:8083"
	static const struct {
		const char *what;
		const char *dfp[2], *ofp[2]; /* saved, now */
		struct drift_conn saved[DMAX], now[DMAX];
		size_t want_n;
		const char *want[2]; /* lines expected in why (NULL: none) */
	} cases[] = {
		{ "nothing moved", { "d", "d" }, { "o", "o" },
		  { { "fluxa_a", U1, "f1", 0 }, { "fluxa_b", U1, "f2", 1 } },
		  { { "fluxa_a", U1, "f1", 0 }, { "fluxa_b", U1, "f2", 1 } }, 0, { NULL } },
		{ "the manifest changed", { "d", "d2" }, { "o", "o" },
		  { { "fluxa_a", U1, "f1", 0 } }, { { "fluxa_a", U1, "f1", 0 } }, 1,
		  { "the manifest (or the environment it reads) changed" } },
		{ "an update's connector changed", { "d", "d" }, { "o", "o2" },
		  { { "fluxa_a", U1, "f1", 0 }, { "fluxa_b", U1, "f2", 1 } },
		  { { "fluxa_a", U1, "f1x", 0 }, { "fluxa_b", U1, "f2", 1 } }, 1,
		  { "connector 'fluxa_a' on " U1 " changed since the plan (its config differs)" } },
		{ "an unchanged connector changed", { "d", "d" }, { "o", "o2" },
		  { { "fluxa_a", U1, "f1", 0 }, { "fluxa_b", U1, "f2", 1 } },
		  { { "fluxa_a", U1, "f1", 0 }, { "fluxa_b", U1, "f2x", 1 } }, 1,
		  { "connector 'fluxa_b' on " U1 " changed since the plan (its config differs)" } },
		{ "a planned create now exists", { "d", "d" }, { "o", "o2" },
		  { { "fluxa_a", U1, NULL, 0 } }, { { "fluxa_a", U1, "f1", 0 } }, 1,
		  { "connector 'fluxa_a' on " U1 " changed since the plan (it now exists)" } },
		{ "a planned update is gone (now a create)", { "d", "d" }, { "o", "o2" },
		  { { "fluxa_a", U1, "f1", 0 } }, { { "fluxa_a", U1, NULL, 0 } }, 1,
		  { "connector 'fluxa_a' on " U1 " changed since the plan (it is gone)" } },
		{ "a planned delete is gone entirely", { "d", "d" }, { "o", "o2" },
		  { { "fluxa_a", U1, "f1", 0 }, { "fluxa_z", U1, "f9", 0 } },
		  { { "fluxa_a", U1, "f1", 0 } }, 1,
		  { "connector 'fluxa_z' on " U1 " changed since the plan (it is gone)" } },
		{ "a connector the plan did not know", { "d", "d" }, { "o", "o2" },
		  { { "fluxa_a", U1, "f1", 0 } },
		  { { "fluxa_a", U1, "f1", 0 }, { "fluxa_n", U1, "f5", 0 } }, 1,
		  { "connector 'fluxa_n' on " U1 " changed since the plan (it now exists)" } },
		{ "the same name on another cluster is another connector", { "d", "d" }, { "o", "o2" },
		  { { "fluxa_a", U1, "f1", 0 } }, { { "fluxa_a", U2, "f1", 0 } }, 2,
		  { "connector 'fluxa_a' on " U2 " changed since the plan (it now exists)",
		    "connector 'fluxa_a' on " U1 " changed since the plan (it is gone)" } },
		{ "moved between changes and unchanged, same config: no drift of its own",
		  { "d", "d" }, { "o", "o2" },
		  { { "fluxa_a", U1, "f1", 0 }, { "fluxa_b", U1, "f2", 1 } },
		  { { "fluxa_a", U1, "f1", 1 }, { "fluxa_b", U1, "f2", 0 } }, 1,
		  { "the live Connect state changed since the plan" } },
		{ "both fingerprints", { "d", "d2" }, { "o", "o2" },
		  { { "fluxa_a", U1, "f1", 0 } }, { { "fluxa_a", U1, "f1x", 0 } }, 2,
		  { "desired connectors differ", "connector 'fluxa_a' on " U1 " changed since the plan (its config differs)" } },
	};
	size_t i, k;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fx_change ch[2][DMAX];
		struct fx_unchanged un[2][DMAX];
		struct fx_plan saved, now;
		struct fx_buf why = FX_BUF_INIT;
		size_t n;

		drift_plan(&saved, ch[0], un[0], cases[i].saved, cases[i].dfp[0], cases[i].ofp[0]);
		drift_plan(&now, ch[1], un[1], cases[i].now, cases[i].dfp[1], cases[i].ofp[1]);
		n = fx_diff_drift(&saved, &now, &why);
		cr_expect_eq(n, cases[i].want_n, "%s: %zu reasons: %s", cases[i].what, n,
			     fx_buf_str(&why));
		for (k = 0; k < 2 && cases[i].want[k]; k++)
			cr_expect(strstr(fx_buf_str(&why), cases[i].want[k]), "%s: '%s' not in '%s'",
				  cases[i].what, cases[i].want[k], fx_buf_str(&why));
		if (!cases[i].want_n)
			cr_expect_str_eq(fx_buf_str(&why), "", "%s", cases[i].what);
		fx_buf_release(&why);
	}
#undef U1
#undef U2
}

/* A wanted connector whose config needs nothing is unchanged; the plan still
 * marks it failed when it or a task is FAILED (apply is not green over it). */
Test(diff, unchanged_failed_connector_is_marked)
{
	static const struct {
		const char *state, *task;
		int failed;
	} cases[] = {
		{ "RUNNING", "RUNNING", 0 }, { "FAILED", "RUNNING", 1 }, { "RUNNING", "FAILED", 1 },
		{ "PAUSED", "PAUSED", 0 },   { NULL, NULL, 0 },          { "UNASSIGNED", "FAILED", 1 },
	};
	size_t i, j;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct world w;
		struct fx_err err = FX_ERR_INIT;
		struct fx_observed_connector *o = NULL;

		world_build(&w, "FIXTURE-SECRET-not-real", "", "  UserEntity: {debezium: true}\n");
		for (j = 0; j < w.cl.n_connectors; j++)
			if (!strcmp(w.cl.connectors[j].name, "fluxa_default"))
				o = &w.cl.connectors[j];
		cr_assert_not_null(o);
		free(o->state);
		o->state = cases[i].state ? strdup(cases[i].state) : NULL;
		for (j = 0; j < o->n_tasks; j++) {
			free(o->tasks[j].state);
			o->tasks[j].state = cases[i].task ? strdup(cases[i].task) : NULL;
		}
		cr_assert_gt(o->n_tasks, 0);
		fx_plan_release(&w.p);
		cr_assert_eq(fx_diff_compute(&w.d, &w.cl, 1, SALT, &w.p, &err), 0, "%s", err.msg);
		cr_assert_eq(w.p.n_changes, 0);
		cr_assert_eq(w.p.n_unchanged, 1);
		cr_expect_eq(w.p.unchanged[0].failed, cases[i].failed, "%s/%s", cases[i].state,
			     cases[i].task);
		world_release(&w);
	}
}

/* A key the live connector has and the manifest does not is a change
 * (removed); Connect's own "name" key is not. */
Test(diff, live_only_key_is_removed_but_not_name)
{
	struct world w;
	struct fx_err err = FX_ERR_INIT;
	const struct fx_diff_item *it;
	size_t j;

	world_build(&w, "FIXTURE-SECRET-not-real", "", "  UserEntity: {debezium: true}\n");
	cr_assert_eq(w.p.n_changes, 0);
	for (j = 0; j < w.cl.n_connectors; j++)
		if (!strcmp(w.cl.connectors[j].name, "fluxa_default")) {
			cr_assert_eq(fx_config_set(&w.cl.connectors[j].config, "name", "fluxa_default"), 0);
			cr_assert_eq(fx_config_set(&w.cl.connectors[j].config, "aaa.first", "x"), 0);
			cr_assert_eq(fx_config_set(&w.cl.connectors[j].config, "zzz.last", "y"), 0);
		}
	fx_plan_release(&w.p);
	cr_assert_eq(fx_diff_compute(&w.d, &w.cl, 1, SALT, &w.p, &err), 0, "%s", err.msg);
	cr_assert_eq(w.p.n_changes, 1);
	cr_expect_eq(w.p.changes[0].n_diff, 2);
	it = item(&w.p.changes[0], "aaa.first");
	cr_assert_not_null(it);
	cr_expect_eq(it->op, FX_DIFF_REMOVE);
	cr_expect_str_eq(it->before, "x");
	cr_expect_null(it->after);
	it = item(&w.p.changes[0], "zzz.last");
	cr_assert_not_null(it);
	cr_expect_eq(it->op, FX_DIFF_REMOVE);
	cr_expect_null(item(&w.p.changes[0], "name"));
	cr_expect(strstr(w.p.changes[0].description, "2 keys changed (aaa.first, zzz.last)"), "%s",
		  w.p.changes[0].description);
	world_release(&w);
}

/* A create's description counts the tables it captures (FluxaORM style). */
Test(diff, create_description_counts_tables)
{
	static const struct {
		const char *entities;
		const char *want;
	} cases[] = {
		{ "  Z: {debezium: true, mysql: zz}\n",
		  "create connector fluxa_zz on kafka pool 'default' capturing 1 table of mysql pool 'zz'" },
		{ "  Z: {debezium: true, mysql: zz}\n  Y: {debezium: true, mysql: zz}\n",
		  "create connector fluxa_zz on kafka pool 'default' capturing 2 tables of mysql pool 'zz'" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct world w;
		char ents[256];

		snprintf(ents, sizeof(ents), "  UserEntity: {debezium: true}\n%s", cases[i].entities);
		world_build(&w, "FIXTURE-SECRET-not-real", "  zz:\n    dsn: \"u:p@tcp(h:1)/db\"\n", ents);
		cr_assert_eq(w.p.n_changes, 1);
		cr_expect_eq(w.p.changes[0].action, FX_ACTION_CREATE);
		cr_expect_str_eq(w.p.changes[0].description, cases[i].want);
		world_release(&w);
	}
}

/* A connector FluxaORM-era fluxacdc v1 created: its history topic differs and it has offsets. */
Test(diff, history_topic_change_with_offsets_is_breaking)
{
	struct world w;
	const struct fx_change *c;
	const struct fx_diff_item *it;
	size_t i;

	world_build_ex(&w, "FIXTURE-SECRET-not-real", "", "  UserEntity: {debezium: true}\n", 0, 0);
	cr_assert_eq(w.p.n_changes, 1);
	c = &w.p.changes[0];
	cr_expect_eq(c->risk, FX_RISK_BREAKING);
	cr_expect_str_eq(fx_risk_name(c->risk), "breaking");
	it = item(c, "schema.history.internal.kafka.topic");
	cr_assert_not_null(it);
	cr_expect_str_eq(it->before, "fluxa_default.schema-history");
	cr_expect_str_eq(it->after, "fluxa_default_schema_history");
	it = item(c, "decimal.handling.mode"); /* "string" is not the default (precise) */
	cr_assert_not_null(it);
	cr_expect_eq(it->op, FX_DIFF_REMOVE);
	/* at their documented defaults: no diff */
	cr_expect_null(item(c, "tasks.max"));
	cr_expect_null(item(c, "tombstones.on.delete"));
	cr_expect_eq(c->n_diff, 2);
	for (i = 0; i < c->n_notes; i++)
		if (strstr(c->notes[i], "db history topic is missing"))
			break;
	cr_expect_lt(i, c->n_notes, "no note explains the breaking risk");
	world_release(&w);

	/* the same change on a connector known to hold no offsets: a plain restart */
	world_build_ex(&w, "FIXTURE-SECRET-not-real", "", "  UserEntity: {debezium: true}\n", 0, 0);
	{
		struct fx_observed_connector *o = (struct fx_observed_connector *)fx_observed_find(&w.cl, "fluxa_default");
		struct fx_err err = FX_ERR_INIT;

		o->offsets_read = 1; /* and none stored */
		fx_plan_release(&w.p);
		cr_assert_eq(fx_diff_compute(&w.d, &w.cl, 1, SALT, &w.p, &err), 0);
	}
	cr_assert_eq(w.p.n_changes, 1);
	cr_expect_eq(w.p.changes[0].risk, FX_RISK_RESTART);
	world_release(&w);
}

/*
 * Each read-back quirk of Connect and Confluent Platform: no alter, and the
 * same observed fingerprint as the plain read-back (a plan stays current).
 */
Test(diff, connect_quirks_are_no_alter_and_not_stale)
{
	static const struct {
		const char *what, *key, *value; /* value NULL: remove the key */
	} quirks[] = {
		{ "Confluent Platform 8 adds __internal.config.version", "__internal.config.version", "1" },
		{ "another __internal key", "__internal.foo", "bar" },
		{ "password masked [hidden]", "database.password", "[hidden]" },
		{ "password masked ****", "database.password", "********" },
		{ "FluxaORM's unescaped table name", "table.include.list", "fluxa.UserEntity" },
		{ "spaces around list items", "table.include.list", " fluxa\\.UserEntity " },
		{ "duplicate list items", "table.include.list", "fluxa\\.UserEntity,fluxa.UserEntity" },
		{ "tasks.max at its default, absent", "tasks.max", NULL },
		{ "tombstones.on.delete at its default, absent", "tombstones.on.delete", NULL },
		{ "boolean in another case", "include.schema.changes", "FALSE" },
		{ "snapshot.mode written at its default", "snapshot.mode", "initial" },
		{ "decimal.handling.mode written at its default", "decimal.handling.mode", "precise" },
		{ "integer with a leading zero", "database.port", "013306" },
		{ "Connect's name key removed", "name", NULL },
	};
	struct world base;
	size_t i;

	world_build(&base, "FIXTURE-SECRET-not-real", "", "  UserEntity: {debezium: true}\n");
	cr_assert_eq(base.p.n_changes, 0);
	for (i = 0; i < sizeof(quirks) / sizeof(quirks[0]); i++) {
		struct world w;
		struct fx_observed_connector *o;
		struct fx_err err = FX_ERR_INIT;
		struct fx_buf why = FX_BUF_INIT;

		world_build(&w, "FIXTURE-SECRET-not-real", "", "  UserEntity: {debezium: true}\n");
		o = (struct fx_observed_connector *)fx_observed_find(&w.cl, "fluxa_default");
		if (quirks[i].value)
			fx_config_set(&o->config, quirks[i].key, quirks[i].value);
		else
			fx_config_remove(&o->config, quirks[i].key);
		fx_plan_release(&w.p);
		cr_assert_eq(fx_diff_compute(&w.d, &w.cl, 1, SALT, &w.p, &err), 0);
		cr_expect_eq(w.p.n_changes, 0, "%s: %s", quirks[i].what,
			     w.p.n_changes ? w.p.changes[0].description : "");
		/* masking is the one quirk a fingerprint may see: unknown is not equal */
		if (!strstr(quirks[i].what, "masked"))
			cr_expect_eq(fx_diff_drift(&base.p, &w.p, &why), 0, "%s: %s", quirks[i].what,
				     fx_buf_str(&why));
		fx_buf_release(&why);
		world_release(&w);
	}
	world_release(&base);
}

/* A real change still is one, next to a quirk. */
Test(diff, real_changes_survive_normalization)
{
	struct world w;
	struct fx_observed_connector *o;
	struct fx_err err = FX_ERR_INIT;
	const struct fx_diff_item *it;

	world_build(&w, "FIXTURE-SECRET-not-real", "", "  UserEntity: {debezium: true}\n");
	o = (struct fx_observed_connector *)fx_observed_find(&w.cl, "fluxa_default");
	fx_config_set(&o->config, "__internal.config.version", "1");
	fx_config_set(&o->config, "tasks.max", "2");           /* not the default */
	fx_config_set(&o->config, "table.include.list", "fluxa.UserEntity,fluxa.Gone");
	fx_plan_release(&w.p);
	cr_assert_eq(fx_diff_compute(&w.d, &w.cl, 1, SALT, &w.p, &err), 0);
	cr_assert_eq(w.p.n_changes, 1);
	cr_expect_eq(w.p.changes[0].risk, FX_RISK_RESTART);
	it = item(&w.p.changes[0], "tasks.max");
	cr_assert_not_null(it);
	cr_expect_eq(it->op, FX_DIFF_REMOVE);
	cr_expect_not_null(item(&w.p.changes[0], "table.include.list"));
	cr_expect_null(item(&w.p.changes[0], "__internal.config.version"));
	cr_expect_eq(w.p.changes[0].n_notes, 0, "no table was added");
	cr_expect_eq(w.p.changes[0].n_diff, 2);
	world_release(&w);
}
