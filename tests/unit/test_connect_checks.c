/* connect.* checks from observed clusters recorded on the real stack. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "connect_checks.h"
#include "connect_json.h"
#include "helpers.h"

static const char manifest[] =
	"version: 1\n"
	"mysql:\n"
	"  default: {dsn: \"u:p@tcp(h:1)/fluxa\", flavor: mariadb}\n"
	"  other: {dsn: \"u:p@tcp(h:1)/fluxa\", flavor: mysql}\n"
	"kafka:\n"
	"  default: {brokers: [b], connect_url: \"http://127.0.0.1:18083\"}\n"
	"entities:\n"
	"  UserEntity: {debezium: true}\n"
	"  Other: {debezium: true, mysql: other, table: T}\n";

struct world {
	struct fx_manifest m;
	struct fx_desired d;
	struct fx_observed_cluster cl;
	struct fx_checks checks;
};

static void world_build(struct world *w, const char *expand_fixture)
{
	struct fx_diags dg = FX_DIAGS_INIT;
	struct fx_err err = FX_ERR_INIT;
	size_t len;
	char *json;

	memset(w, 0, sizeof(*w));
	cr_assert_eq(fx_manifest_load_bytes("t.yaml", manifest, strlen(manifest), NULL, NULL, &w->m, &dg, &err), 0);
	cr_assert_eq(fx_desired_build(&w->m, NULL, &w->d, &err), 0);
	json = fx_test_read(fx_test_path(expand_fixture), &len);
	cr_assert_not_null(json);
	cr_assert_eq(fx_connect_parse_expanded(json, len, &w->cl, &err), 0, "%s", err.msg);
	free(json);
	json = fx_test_read(fx_test_path("tests/fixtures/connect/connector-plugins.json"), &len);
	cr_assert_not_null(json);
	cr_assert_eq(fx_connect_parse_plugins(json, len, &w->cl, &err), 0, "%s", err.msg);
	free(json);
	w->cl.connect_url = strdup("http://127.0.0.1:18083");
	w->cl.kafka_pool = strdup("default");
	w->cl.version = strdup("3.9.1");
	w->cl.reachable = 1;
	fx_diags_release(&dg);
}

static void world_release(struct world *w)
{
	fx_checks_release(&w->checks);
	fx_observed_cluster_release(&w->cl);
	fx_desired_release(&w->d);
	fx_manifest_release(&w->m);
}

static const struct fx_check *find(const struct fx_checks *c, const char *id, const char *needle)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (!strcmp(c->items[i].id, id) && (!needle || strstr(c->items[i].message, needle)))
			return &c->items[i];
	return NULL;
}

Test(connect_checks, plugins_and_reachable)
{
	struct world w;
	const struct fx_check *k;

	world_build(&w, "tests/fixtures/connect/connectors-expand.json");
	cr_assert_eq(fx_connect_checks(&w.d, &w.cl, 1, &w.checks), 0);
	k = find(&w.checks, "connect.reachable", NULL);
	cr_assert_not_null(k);
	cr_expect_eq(k->level, FX_CHECK_INFO);
	k = find(&w.checks, "connect.plugin", "MariaDbConnector");
	cr_assert_not_null(k);
	cr_expect_eq(k->level, FX_CHECK_INFO);
	cr_expect_str_eq(k->observed, "3.2.0.Final");
	world_release(&w);
}

Test(connect_checks, missing_plugin_is_an_error)
{
	struct world w;
	const struct fx_check *k;
	size_t i;

	world_build(&w, "tests/fixtures/connect/connectors-expand.json");
	/* the recorded worker has both classes: take the MySQL one away */
	for (i = 0; i < w.cl.n_plugins; i++)
		if (!strcmp(w.cl.plugins[i].class_name, FX_CLASS_MYSQL))
			w.cl.plugins[i].class_name[0] = 'X';
	cr_assert_eq(fx_connect_checks(&w.d, &w.cl, 1, &w.checks), 0);
	k = find(&w.checks, "connect.plugin", "MySqlConnector");
	cr_assert_not_null(k);
	cr_expect_eq(k->level, FX_CHECK_ERROR);
	cr_expect(strstr(k->message, "fluxa_other"), "%s", k->message);
	cr_expect_not_null(k->hint);
	world_release(&w);
}

Test(connect_checks, failed_task_of_a_wanted_connector_warns)
{
	struct world w;
	const struct fx_check *k;
	size_t i;

	world_build(&w, "tests/fixtures/connect/connectors-expand.json");
	/* other_conn's task FAILED on the real stack: pretend the manifest wants it */
	for (i = 0; i < w.cl.n_connectors; i++)
		if (!strcmp(w.cl.connectors[i].name, "other_conn")) {
			free(w.cl.connectors[i].name);
			w.cl.connectors[i].name = strdup("fluxa_other");
		}
	cr_assert_eq(fx_connect_checks(&w.d, &w.cl, 1, &w.checks), 0);
	k = find(&w.checks, "connect.connector_state", "fluxa_other");
	cr_assert_not_null(k, "no state check");
	cr_expect_eq(k->level, FX_CHECK_WARNING);
	cr_expect(strstr(k->hint, "restart?includeTasks=true&onlyFailed=true"), "%s", k->hint);
	/* fluxa_default is RUNNING: nothing said about it */
	cr_expect_null(find(&w.checks, "connect.connector_state", "fluxa_default"));
	world_release(&w);
}

Test(connect_checks, unreachable_cluster_is_one_error)
{
	struct world w;
	const struct fx_check *k;

	world_build(&w, "tests/fixtures/connect/connectors-expand.json");
	w.cl.reachable = 0;
	w.cl.error = strdup("GET http://127.0.0.1:18083/: Couldn't connect to server");
	cr_assert_eq(fx_connect_checks(&w.d, &w.cl, 1, &w.checks), 0);
	cr_assert_eq(w.checks.n, 1);
	k = &w.checks.items[0];
	cr_expect_str_eq(k->id, "connect.reachable");
	cr_expect_eq(k->level, FX_CHECK_ERROR);
	cr_expect_str_eq(k->scope, "connect:default");
	cr_expect(strstr(k->message, "Couldn't connect"));
	world_release(&w);
}

Test(connect_checks, unreachable_cluster_nobody_uses_is_a_warning)
{
	struct world w;

	world_build(&w, "tests/fixtures/connect/connectors-expand.json");
	w.cl.reachable = 0;
	free(w.cl.connect_url);
	w.cl.connect_url = strdup("http://127.0.0.1:18099"); /* no desired connector there */
	cr_assert_eq(fx_connect_checks(&w.d, &w.cl, 1, &w.checks), 0);
	cr_assert_eq(w.checks.n, 1);
	cr_expect_str_eq(w.checks.items[0].id, "connect.reachable");
	cr_expect_eq(w.checks.items[0].level, FX_CHECK_WARNING);
	world_release(&w);
}
