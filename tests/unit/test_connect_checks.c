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
	cr_assert_eq(fx_connect_checks(&w.d, &w.cl, 1, NULL, &w.checks), 0);
	k = find(&w.checks, "connect.reachable", NULL);
	cr_assert_not_null(k);
	cr_expect_eq(k->level, FX_CHECK_INFO);
	k = find(&w.checks, "connect.plugin", "MariaDbConnector");
	cr_assert_not_null(k);
	cr_expect_eq(k->level, FX_CHECK_INFO);
	cr_expect_str_eq(k->observed, "3.2.0.Final");
	/* the versions in use are named: Connect's and each Debezium plugin's */
	k = find(&w.checks, "connect.reachable", NULL);
	cr_expect(strstr(k->message, "Kafka Connect 3.9.1 at http://127.0.0.1:18083") != NULL, "%s", k->message);
	cr_expect(strstr(k->message, "; Debezium plugins: MariaDbConnector 3.2.0.Final, MySqlConnector 3.2.0.Final") != NULL,
		  "%s", k->message);
	world_release(&w);
}

/* GET /connector-plugins answers -> the Debezium part of the versions line */
Test(connect_checks, debezium_versions_of_the_plugin_list)
{
	static const struct {
		const char *plugins;
		const char *want; /* NULL: none listed */
	} cases[] = {
		{ "[]", NULL },
		{ "[{\"class\":\"org.apache.kafka.connect.mirror.MirrorSourceConnector\",\"type\":\"source\",\"version\":\"4.1.1\"}]",
		  NULL },
		{ "[{\"class\":\"io.debezium.connector.mariadb.MariaDbConnector\",\"type\":\"source\",\"version\":\"3.5.0.Final\"},"
		  "{\"class\":\"org.apache.kafka.connect.mirror.MirrorSourceConnector\",\"type\":\"source\",\"version\":\"4.1.1\"},"
		  "{\"class\":\"io.debezium.connector.mysql.MySqlConnector\",\"type\":\"source\",\"version\":\"3.5.0.Final\"}]",
		  "MariaDbConnector 3.5.0.Final, MySqlConnector 3.5.0.Final" },
		{ "[{\"class\":\"io.debezium.connector.mysql.MySqlConnector\",\"type\":\"source\"}]", "MySqlConnector ?" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fx_observed_cluster cl;
		struct fx_err err = FX_ERR_INIT;
		char *got;

		memset(&cl, 0, sizeof(cl));
		cr_assert_eq(fx_connect_parse_plugins(cases[i].plugins, strlen(cases[i].plugins), &cl, &err), 0,
			     "case %zu: %s", i, err.msg);
		got = fx_observed_debezium_versions(&cl);
		if (cases[i].want)
			cr_expect(got && !strcmp(got, cases[i].want), "case %zu: got '%s', want '%s'", i,
				  got ? got : "(null)", cases[i].want);
		else
			cr_expect_null(got, "case %zu: got '%s'", i, got);
		free(got);
		fx_observed_cluster_release(&cl);
	}
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
	cr_assert_eq(fx_connect_checks(&w.d, &w.cl, 1, NULL, &w.checks), 0);
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
	cr_assert_eq(fx_connect_checks(&w.d, &w.cl, 1, NULL, &w.checks), 0);
	k = find(&w.checks, "connect.connector_state", "fluxa_other");
	cr_assert_not_null(k, "no state check");
	cr_expect_eq(k->level, FX_CHECK_WARNING);
	cr_expect(strstr(k->hint, "fluxacdc restart --failed fluxa_other"), "%s", k->hint);
	/* fluxa_default is RUNNING: nothing said about it */
	cr_expect_null(find(&w.checks, "connect.connector_state", "fluxa_default"));
	world_release(&w);
}

/*
 * connect.connector_state: a wanted connector that is FAILED or PAUSED, or has
 * a FAILED task, gets a warning (apply changes only configs and does not
 * restart it) with the call that helps: resume for PAUSED, restart of the
 * failed tasks otherwise.  RUNNING, UNASSIGNED, STOPPED with healthy tasks:
 * nothing to say.
 */
Test(connect_checks, connector_state_table)
{
#define NT 3
	static const struct {
		const char *state;
		const char *tasks[NT];
		size_t n_tasks;
		const char *observed; /* NULL: no check */
		int task_note;        /* message says "(a task FAILED)" */
		const char *hint;
	} cases[] = {
		{ "RUNNING", { "RUNNING" }, 1, NULL, 0, NULL },
		{ "RUNNING", { NULL }, 0, NULL, 0, NULL },
		{ "UNASSIGNED", { "UNASSIGNED" }, 1, NULL, 0, NULL },
		{ "STOPPED", { NULL }, 0, NULL, 0, NULL },
		{ "RUNNING", { "RUNNING", "RUNNING", "RUNNING" }, 3, NULL, 0, NULL },
		{ "FAILED", { NULL }, 0, "FAILED", 0, "fluxacdc restart --failed fluxa_default" },
		{ "FAILED", { "FAILED" }, 1, "FAILED", 0, "fluxacdc restart --failed fluxa_default" },
		{ "PAUSED", { "PAUSED" }, 1, "PAUSED", 0, "/resume" },
		{ "RUNNING", { "FAILED" }, 1, "FAILED", 1, "fluxacdc restart --failed fluxa_default" },
		{ "RUNNING", { "RUNNING", "RUNNING", "FAILED" }, 3, "FAILED", 1, "fluxacdc restart --failed fluxa_default" },
		{ "RUNNING", { "FAILED", "RUNNING" }, 2, "FAILED", 1, "fluxacdc restart --failed fluxa_default" },
		{ NULL, { "FAILED" }, 1, "FAILED", 1, "fluxacdc restart --failed fluxa_default" },
		{ "PAUSED", { "FAILED" }, 1, "PAUSED", 1, "/resume" },
	};
	size_t i, j;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct world w;
		struct fx_observed_connector *o = NULL;
		const struct fx_check *k;

		world_build(&w, "tests/fixtures/connect/connectors-expand.json");
		for (j = 0; j < w.cl.n_connectors; j++)
			if (!strcmp(w.cl.connectors[j].name, "fluxa_default"))
				o = &w.cl.connectors[j];
		cr_assert_not_null(o);
		free(o->state);
		o->state = cases[i].state ? strdup(cases[i].state) : NULL;
		for (j = 0; j < o->n_tasks; j++) {
			free(o->tasks[j].state);
			free(o->tasks[j].worker_id);
			free(o->tasks[j].trace);
		}
		free(o->tasks);
		/* one more task than n_tasks, FAILED: never read */
		o->tasks = calloc(NT + 1, sizeof(*o->tasks));
		cr_assert_not_null(o->tasks);
		o->n_tasks = cases[i].n_tasks;
		for (j = 0; j < NT; j++)
			o->tasks[j].state = cases[i].tasks[j] ? strdup(cases[i].tasks[j]) : NULL;
		if (!o->tasks[cases[i].n_tasks].state)
			o->tasks[cases[i].n_tasks].state = strdup("FAILED");
		o->n_tasks = cases[i].n_tasks;
		cr_assert_eq(fx_connect_checks(&w.d, &w.cl, 1, NULL, &w.checks), 0);
		k = find(&w.checks, "connect.connector_state", "fluxa_default");
		if (!cases[i].observed) {
			cr_expect_null(k, "case %zu (%s): %s", i, cases[i].state,
				       k ? k->message : "");
		} else if (!k) {
			cr_expect_not_null(k, "case %zu (%s): no check", i, cases[i].state);
		} else {
			cr_expect_eq(k->level, FX_CHECK_WARNING);
			cr_expect_str_eq(k->observed, cases[i].observed, "case %zu", i);
			cr_expect_str_eq(k->expected, "RUNNING");
			cr_expect_eq(!!strstr(k->message, "(a task FAILED)"), cases[i].task_note,
				     "case %zu: %s", i, k->message);
			cr_expect(strstr(k->message, "on http://127.0.0.1:18083"), "%s", k->message);
			cr_expect(strstr(k->hint, cases[i].hint), "case %zu: %s", i, k->hint);
			cr_expect(strstr(k->hint, "fluxa_default"), "%s", k->hint);
			cr_expect_str_eq(k->scope, "connect:default");
		}
		/* tasks past n_tasks (the extra FAILED one) are freed by the release */
		o->n_tasks = NT + 1;
		world_release(&w);
	}
#undef NT
}

Test(connect_checks, unreachable_cluster_is_one_error)
{
	struct world w;
	const struct fx_check *k;

	world_build(&w, "tests/fixtures/connect/connectors-expand.json");
	w.cl.reachable = 0;
	w.cl.error = strdup("GET http://127.0.0.1:18083/: Couldn't connect to server");
	cr_assert_eq(fx_connect_checks(&w.d, &w.cl, 1, NULL, &w.checks), 0);
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
	cr_assert_eq(fx_connect_checks(&w.d, &w.cl, 1, NULL, &w.checks), 0);
	cr_assert_eq(w.checks.n, 1);
	cr_expect_str_eq(w.checks.items[0].id, "connect.reachable");
	cr_expect_eq(w.checks.items[0].level, FX_CHECK_WARNING);
	world_release(&w);
}

/*
 * connect.validate: each key Connect found wrong points at the manifest place
 * that set it (the connector: entry, defaults.connector, else the pool the
 * key comes from); observed is the value sent, never a secret's.
 */
Test(connect_checks, validation_points_at_the_manifest_line)
{
	static const char yaml[] =
		"version: 1\n"                                           /* 1 */
		"defaults:\n"                                            /* 2 */
		"  connector:\n"                                         /* 3 */
		"    poll.interval.ms: nope\n"                           /* 4 */
		"mysql:\n"                                               /* 5 */
		"  default:\n"                                           /* 6 */
		"    dsn: \"u:${PW}@tcp(h:1)/fluxa\"\n"                  /* 7 */
		"    connector:\n"                                       /* 8 */
		"      snapshot.mode: sometimes\n"                       /* 9 */
		"kafka:\n"                                               /* 10 */
		"  events: {brokers: [b], connect_url: \"http://c:8083\"}\n" /* 11 */
		"entities:\n"
		"  UserEntity: {debezium: events}\n";
	static const struct {
		const char *key, *msg;
		const char *want_msg, *want_observed, *want_hint;
	} cases[] = {
		{ "snapshot.mode", "Value must be one of initial, never",
		  "t.yaml:9:7: connector 'fluxa_default': key 'snapshot.mode': Value must be one of initial, never",
		  "sometimes", "at this line" },
		{ "poll.interval.ms", "Invalid value nope",
		  "t.yaml:4:5: connector 'fluxa_default': key 'poll.interval.ms': Invalid value nope",
		  "nope", "at this line" },
		{ "database.hostname", "Unable to connect",
		  "t.yaml:6:3: connector 'fluxa_default': key 'database.hostname': Unable to connect",
		  "h", "fix mysql pool 'default'" },
		{ "database.password", "Access denied",
		  "t.yaml:6:3: connector 'fluxa_default': key 'database.password': Access denied",
		  NULL, "fix mysql pool 'default'" },
		{ "schema.history.internal.kafka.bootstrap.servers", "No resolvable bootstrap urls",
		  "t.yaml:11:3: connector 'fluxa_default': key 'schema.history.internal.kafka.bootstrap.servers': No resolvable bootstrap urls",
		  "b", "fix kafka pool 'events'" },
	};
	struct fx_manifest m = FX_MANIFEST_INIT;
	struct fx_desired d = FX_DESIRED_INIT;
	struct fx_diags dg = FX_DIAGS_INIT;
	struct fx_err err = FX_ERR_INIT;
	struct fx_connect_key_error items[sizeof(cases) / sizeof(cases[0])];
	struct fx_connect_validation v = FX_CONNECT_VALIDATION_INIT;
	struct fx_checks checks = { 0 };
	size_t i;

	setenv("PW", "SENTINEL-pw", 1);
	cr_assert_eq(fx_manifest_load_bytes("t.yaml", yaml, strlen(yaml), NULL, NULL, &m, &dg, &err), 0, "%s", err.msg);
	cr_assert_eq(fx_desired_build(&m, NULL, &d, &err), 0, "%s", err.msg);
	cr_assert_eq(d.n, 1);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		items[i].key = (char *)cases[i].key;
		items[i].message = (char *)cases[i].msg;
	}
	v.items = items;
	v.n = sizeof(cases) / sizeof(cases[0]);
	cr_assert_eq(fx_connect_checks_validation(&d.connectors[0], "t.yaml", "connect:events", &v, &checks), 0);
	cr_assert_eq(checks.n, v.n);
	for (i = 0; i < v.n; i++) {
		const struct fx_check *k = &checks.items[i];

		cr_expect_str_eq(k->id, "connect.validate");
		cr_expect_eq(k->level, FX_CHECK_ERROR);
		cr_expect_str_eq(k->message, cases[i].want_msg);
		if (cases[i].want_observed)
			cr_expect(k->observed && !strcmp(k->observed, cases[i].want_observed),
				  "%s: observed %s, want %s", cases[i].key, k->observed, cases[i].want_observed);
		else
			cr_expect_null(k->observed, "%s: observed %s", cases[i].key, k->observed);
		cr_expect_null(k->expected, "%s: no expected value", cases[i].key);
		cr_expect(k->hint && strstr(k->hint, cases[i].want_hint), "%s: hint %s", cases[i].key, k->hint);
		cr_expect_null(strstr(k->message, "SENTINEL"));
	}
	fx_checks_release(&checks);
	fx_desired_release(&d);
	fx_manifest_release(&m);
	fx_diags_release(&dg);
	unsetenv("PW");
}

/* A 401/403 is not a network problem: connect.auth, naming connect_auth. */
Test(connect_checks, refused_credentials_are_connect_auth)
{
	struct world w;
	const struct fx_check *k;

	world_build(&w, "tests/fixtures/connect/connectors-expand.json");
	w.cl.reachable = 0;
	w.cl.auth_failed = 1;
	w.cl.error = strdup("GET http://127.0.0.1:18083/: HTTP 401: Unauthorized");
	cr_assert_eq(fx_connect_checks(&w.d, &w.cl, 1, NULL, &w.checks), 0);
	cr_assert_eq(w.checks.n, 1);
	k = &w.checks.items[0];
	cr_expect_str_eq(k->id, "connect.auth");
	cr_expect_eq(k->level, FX_CHECK_ERROR);
	cr_expect(strstr(k->hint, "connect_auth"), "%s", k->hint);
	cr_expect_null(strstr(k->message, "unreachable"), "%s", k->message);
	world_release(&w);
}

/*
 * connect.connector_state says what this plan's apply does about a FAILED or
 * PAUSED connector: an update restarts it (a PAUSED one stays PAUSED); with no
 * alter, nothing restarts or resumes it, and the hint gives the call.
 */
Test(connect_checks, state_wording_follows_the_plan)
{
	static const struct {
		int paused, updated;
		const char *says, *not_says, *hint;
	} cases[] = {
		{ 0, 0, "no change for it and apply does not restart it", "restarts it",
		  "fluxacdc restart --failed fluxa_other" },
		{ 0, 1, "the update in this plan restarts it and its tasks", "does not restart",
		  "apply waits for RUNNING" },
		{ 1, 0, "no change for it and apply does not resume it", "restarts", "/resume" },
		{ 1, 1, "updates its config and apply leaves it PAUSED", "does not resume", "/resume" },
	};
	size_t c, i, t;

	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct world w;
		struct fx_plan p = FX_PLAN_INIT;
		struct fx_change ch;
		const struct fx_check *k;

		world_build(&w, "tests/fixtures/connect/connectors-expand.json");
		for (i = 0; i < w.cl.n_connectors; i++)
			if (!strcmp(w.cl.connectors[i].name, "other_conn")) {
				free(w.cl.connectors[i].name);
				w.cl.connectors[i].name = strdup("fluxa_other");
				if (cases[c].paused) {
					free(w.cl.connectors[i].state);
					w.cl.connectors[i].state = strdup("PAUSED");
					for (t = 0; t < w.cl.connectors[i].n_tasks; t++) {
						free(w.cl.connectors[i].tasks[t].state);
						w.cl.connectors[i].tasks[t].state = strdup("PAUSED");
					}
				}
			}
		memset(&ch, 0, sizeof(ch));
		ch.action = FX_ACTION_UPDATE;
		ch.connector = (char *)"fluxa_other";
		ch.connect_url = (char *)"http://127.0.0.1:18083";
		p.changes = &ch;
		p.n_changes = cases[c].updated;
		cr_assert_eq(fx_connect_checks(&w.d, &w.cl, 1, &p, &w.checks), 0);
		k = find(&w.checks, "connect.connector_state", "fluxa_other");
		cr_assert_not_null(k, "case %zu: no state check", c);
		cr_expect(strstr(k->message, cases[c].says), "case %zu: %s", c, k->message);
		cr_expect_null(strstr(k->message, cases[c].not_says), "case %zu: %s", c, k->message);
		cr_expect(k->hint && strstr(k->hint, cases[c].hint), "case %zu: hint %s", c, k->hint);
		cr_expect_str_eq(k->observed, cases[c].paused ? "PAUSED" : "FAILED");
		world_release(&w);
	}
}

/* connect.plugin: one check per connector class and cluster, however many
 * connectors need it there. */
Test(connect_checks, one_plugin_check_per_class_and_cluster)
{
	static const char y[] =
		"version: 1\n"
		"mysql:\n"
		"  a: {dsn: \"u:p@tcp(h:1)/fluxa\", flavor: mariadb, server_id: 1}\n"
		"  b: {dsn: \"u:p@tcp(h:1)/fluxa\", flavor: mariadb, server_id: 2}\n"
		"  c: {dsn: \"u:p@tcp(h:1)/fluxa\", flavor: mysql, server_id: 3}\n"
		"  d: {dsn: \"u:p@tcp(h:1)/fluxa\", flavor: mariadb, server_id: 4}\n"
		"kafka:\n"
		"  default: {brokers: [b], connect_url: \"http://127.0.0.1:18083\"}\n"
		"  other: {brokers: [b], connect_url: \"http://127.0.0.1:18099\"}\n"
		"entities:\n"
		"  A: {debezium: true, mysql: a}\n"
		"  B: {debezium: true, mysql: b}\n"
		"  C: {debezium: true, mysql: c}\n"
		"  D: {debezium: other, mysql: d}\n";
	struct fx_manifest m = FX_MANIFEST_INIT;
	struct fx_desired d = FX_DESIRED_INIT;
	struct fx_observed_cluster cl[2];
	struct fx_checks checks = FX_CHECKS_INIT;
	struct fx_diags dg = FX_DIAGS_INIT;
	struct fx_err err = FX_ERR_INIT;
	size_t i, maria[2] = { 0, 0 }, mysql[2] = { 0, 0 };
	char *json;
	size_t len;

	cr_assert_eq(fx_manifest_load_bytes("t.yaml", y, strlen(y), NULL, NULL, &m, &dg, &err), 0,
		     "%s", dg.n ? dg.items[0] : err.msg);
	cr_assert_eq(fx_desired_build(&m, NULL, &d, &err), 0, "%s", err.msg);
	memset(cl, 0, sizeof(cl));
	json = fx_test_read(fx_test_path("tests/fixtures/connect/connector-plugins.json"), &len);
	cr_assert_not_null(json);
	for (i = 0; i < 2; i++) {
		cr_assert_eq(fx_connect_parse_plugins(json, len, &cl[i], &err), 0, "%s", err.msg);
		cl[i].reachable = 1;
		cl[i].version = strdup("3.9.1");
	}
	free(json);
	cl[0].connect_url = strdup("http://127.0.0.1:18083");
	cl[0].kafka_pool = strdup("default");
	cl[1].connect_url = strdup("http://127.0.0.1:18099");
	cl[1].kafka_pool = strdup("other");
	cr_assert_eq(fx_connect_checks(&d, cl, 2, NULL, &checks), 0);
	for (i = 0; i < checks.n; i++) {
		size_t at = !strcmp(checks.items[i].scope, "connect:other");

		if (strcmp(checks.items[i].id, "connect.plugin"))
			continue;
		if (strstr(checks.items[i].message, "MariaDbConnector"))
			maria[at]++;
		if (strstr(checks.items[i].message, "MySqlConnector"))
			mysql[at]++;
	}
	cr_expect_eq(maria[0], 1, "MariaDB class on default: %zu checks", maria[0]);
	cr_expect_eq(mysql[0], 1, "MySQL class on default: %zu checks", mysql[0]);
	cr_expect_eq(maria[1], 1, "MariaDB class on other: %zu checks", maria[1]);
	cr_expect_eq(mysql[1], 0, "no MySQL connector on other: %zu checks", mysql[1]);
	fx_checks_release(&checks);
	fx_observed_cluster_release(&cl[0]);
	fx_observed_cluster_release(&cl[1]);
	fx_desired_release(&d);
	fx_manifest_release(&m);
	fx_diags_release(&dg);
}

/*
 * mysql.server_id_conflict against neighbours: the recorded unmanaged
 * connector other_conn given each address and id in turn.
 */
Test(connect_checks, server_id_of_a_neighbour_reading_the_same_server)
{
	static const struct {
		const char *what, *host, *port, *id; /* port NULL: absent (3306) */
		int conflict;
	} cases[] = {
		{ "same server, same id", "h", "1", "41894", 1 },
		{ "hostname in another case", "H", "1", "41894", 1 },
		{ "port written with a leading zero", "h", "01", "41894", 1 },
		{ "another id", "h", "1", "41895", 0 },
		{ "another port", "h", "2", "41894", 0 },
		{ "port absent means 3306", "h", NULL, "41894", 0 },
		{ "another host", "h2", "1", "41894", 0 },
		{ "id from a config provider", "h", "1", "${file:/s:id}", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct world w;
		struct fx_observed_connector *o;
		const struct fx_check *k;

		world_build(&w, "tests/fixtures/connect/connectors-expand.json");
		o = (struct fx_observed_connector *)fx_observed_find(&w.cl, "other_conn");
		cr_assert_not_null(o);
		fx_config_set(&o->config, "database.hostname", cases[i].host);
		if (cases[i].port)
			fx_config_set(&o->config, "database.port", cases[i].port);
		else
			fx_config_remove(&o->config, "database.port");
		fx_config_set(&o->config, "database.server.id", cases[i].id);
		cr_assert_eq(fx_connect_checks(&w.d, &w.cl, 1, NULL, &w.checks), 0);
		k = find(&w.checks, "mysql.server_id_conflict", "other_conn");
		if (cases[i].conflict) {
			cr_assert_not_null(k, "%s: no conflict", cases[i].what);
			cr_expect_eq(k->level, FX_CHECK_ERROR);
			cr_expect_str_eq(k->scope, "mysql:default");
			cr_expect_str_eq(k->observed, "41894");
			cr_expect(strstr(k->message, "fluxa_default") && strstr(k->hint, "not managed by fluxacdc"),
				  "%s | %s", k->message, k->hint);
		} else {
			cr_expect_null(k, "%s: %s", cases[i].what, k ? k->message : "");
		}
		world_release(&w);
	}
}

/* The connector a desired one will become is not its own neighbour. */
Test(connect_checks, a_desired_connector_is_not_a_neighbour)
{
	struct world w;
	struct fx_observed_connector *o;

	world_build(&w, "tests/fixtures/connect/connectors-expand.json");
	o = (struct fx_observed_connector *)fx_observed_find(&w.cl, "fluxa_default");
	cr_assert_not_null(o);
	fx_config_set(&o->config, "database.hostname", "h");
	fx_config_set(&o->config, "database.port", "1");
	fx_config_set(&o->config, "database.server.id", "41894");
	cr_assert_eq(fx_connect_checks(&w.d, &w.cl, 1, NULL, &w.checks), 0);
	cr_expect_null(find(&w.checks, "mysql.server_id_conflict", NULL));
	world_release(&w);
}

/* connect.validate for keys the manifest does not set: the schema history's
 * and signal's Kafka keys point at the kafka pool, the others at the mysql
 * pool; a value that only looks like the mask is shown as it is. */
Test(connect_checks, validation_of_derived_keys)
{
	static const char y[] =
		"version: 1\n"                                                   /* 1 */
		"mysql:\n"                                                       /* 2 */
		"  default:\n"                                                   /* 3 */
		"    dsn: \"u:${PW}@tcp(h:1)/fluxa\"\n"                          /* 4 */
		"    connector: {database.user: \"********\"}\n"                 /* 5 */
		"kafka:\n"                                                       /* 6 */
		"  events: {brokers: [b], connect_url: \"http://c:8083\"}\n"     /* 7 */
		"entities:\n"
		"  UserEntity: {debezium: events}\n";
	static const struct {
		const char *key, *where, *hint, *observed;
	} cases[] = {
		{ "schema.history.internal.kafka.topic", "t.yaml:7:3:", "fix kafka pool 'events'", NULL },
		{ "schema.history.internal.kafka.bootstrap.servers", "t.yaml:7:3:", "fix kafka pool 'events'", "b" },
		{ "topic.prefix", "t.yaml:3:3:", "fix mysql pool 'default'", "fluxa_default" },
		{ "database.user", "t.yaml:5:", "at this line", "********" },
	};
	struct fx_manifest m = FX_MANIFEST_INIT;
	struct fx_desired d = FX_DESIRED_INIT;
	struct fx_diags dg = FX_DIAGS_INIT;
	struct fx_err err = FX_ERR_INIT;
	struct fx_connect_key_error items[sizeof(cases) / sizeof(cases[0])];
	struct fx_connect_validation v = FX_CONNECT_VALIDATION_INIT;
	struct fx_checks checks = FX_CHECKS_INIT;
	size_t i;

	setenv("PW", "pw-for-the-test", 1);
	cr_assert_eq(fx_manifest_load_bytes("t.yaml", y, strlen(y), NULL, NULL, &m, &dg, &err), 0,
		     "%s", dg.n ? dg.items[0] : err.msg);
	cr_assert_eq(fx_desired_build(&m, NULL, &d, &err), 0, "%s", err.msg);
	memset(items, 0, sizeof(items));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		items[i].key = (char *)cases[i].key;
		items[i].message = (char *)"bad";
	}
	v.items = items;
	v.n = sizeof(cases) / sizeof(cases[0]);
	cr_assert_eq(fx_connect_checks_validation(&d.connectors[0], "t.yaml", "connect:events", &v,
						  &checks), 0);
	cr_assert_eq(checks.n, v.n);
	for (i = 0; i < checks.n; i++) {
		const struct fx_check *k = &checks.items[i];

		cr_expect(strstr(k->message, cases[i].where) == k->message, "%s: %s", cases[i].key,
			  k->message);
		cr_expect(k->hint && strstr(k->hint, cases[i].hint), "%s: hint %s", cases[i].key, k->hint);
		if (cases[i].observed)
			cr_expect_str_eq(k->observed ? k->observed : "(null)", cases[i].observed, "%s",
					 cases[i].key);
	}
	v.items = NULL;
	v.n = 0;
	fx_checks_release(&checks);
	fx_desired_release(&d);
	fx_manifest_release(&m);
	fx_diags_release(&dg);
}

/* A 401/403 from a cluster nobody captures on: a warning, not an error. */
Test(connect_checks, refused_credentials_on_an_unused_cluster_warn)
{
	struct world w;

	world_build(&w, "tests/fixtures/connect/connectors-expand.json");
	w.cl.reachable = 0;
	w.cl.auth_failed = 1;
	w.cl.error = strdup("GET http://127.0.0.1:18099/: HTTP 403: Forbidden");
	free(w.cl.connect_url);
	w.cl.connect_url = strdup("http://127.0.0.1:18099");
	cr_assert_eq(fx_connect_checks(&w.d, &w.cl, 1, NULL, &w.checks), 0);
	cr_assert_eq(w.checks.n, 1);
	cr_expect_str_eq(w.checks.items[0].id, "connect.auth");
	cr_expect_eq(w.checks.items[0].level, FX_CHECK_WARNING);
	world_release(&w);
}

/* connect.auth_plaintext: a password over plain http:// to another host. */
Test(connect_checks, auth_over_plain_http_warns)
{
	static const struct {
		const char *url, *user;
		int warns;
	} cases[] = {
		{ "http://connect.internal:8083", "deploy", 1 },
		{ "HTTP://10.0.0.5:8083/", "deploy", 1 },
		{ "http://[fd00::5]:8083", "deploy", 1 },
		{ "https://connect.internal:8083", "deploy", 0 },
		{ "http://connect.internal:8083", NULL, 0 },      /* no connect_auth */
		{ "http://localhost:8083", "deploy", 0 },         /* loopback: never on a wire */
		{ "http://127.0.0.1:18083", "deploy", 0 },
		{ "http://[::1]:8083", "deploy", 0 },
		{ "http://127.example.com:8083", "deploy", 1 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fx_kafka_pool pool;
		struct fx_checks c = { 0 };

		memset(&pool, 0, sizeof(pool));
		pool.code = (char *)"k";
		pool.connect_url = (char *)cases[i].url;
		pool.auth_user = (char *)cases[i].user;
		pool.auth_password = (char *)"SENTINEL-pw";
		cr_assert_eq(fx_connect_checks_pool(&pool, &c), 0);
		cr_expect_eq(c.n, (size_t)cases[i].warns, "case %zu (%s): %zu checks", i, cases[i].url, c.n);
		if (c.n) {
			cr_expect_str_eq(c.items[0].id, "connect.auth_plaintext");
			cr_expect_eq(c.items[0].level, FX_CHECK_WARNING);
			cr_expect_str_eq(c.items[0].scope, "connect:k");
			cr_expect(strstr(c.items[0].message, "'deploy'"), "%s", c.items[0].message);
			cr_expect(strstr(c.items[0].hint, "https://"), "%s", c.items[0].hint);
			cr_expect_null(strstr(c.items[0].message, "SENTINEL"));
		}
		fx_checks_release(&c);
	}
}

/*
 * A FAILED trace a restart alone does not cure: the hint names the command
 * that does (Debezium's and the server's own words, as Connect returns them).
 */
Test(connect_checks, trace_remedies)
{
	static const struct {
		const char *trace, *command; /* command NULL: no remedy */
	} cases[] = {
		{ "org.apache.kafka.connect.errors.ConnectException: Source offset 'file' parameter is missing\n\tat io.debezium.connector.binlog.BinlogSourceTask.getOffsetContext",
		  "restart --reset-offsets" },
		{ "io.debezium.DebeziumException: The connector is trying to read binlog starting at Struct{version=3.5.0.Final,connector=mariadb,name=fluxa_x,ts_ms=1796040000000,db=,server_id=0,file=mariadb-bin.000001,pos=4,row=0}, but this is no longer available on the server. Reconfigure the connector to use a snapshot when needed.",
		  "restart --reset-offsets" },
		{ "io.debezium.DebeziumException: Could not find GTID state requested by slave in any binlog files. Probably the slave state is too old and required binlog files have been purged. Error code: 1236; SQLSTATE: HY000.",
		  "restart --reset-offsets" },
		{ "java.sql.SQLException: Access denied for user 'failtest_u'@'localhost' (using password: YES)",
		  "restart --failed" },
		{ "org.apache.kafka.connect.errors.ConnectException: An exception occurred in the change event producer.", NULL },
		{ "", NULL },
		{ NULL, NULL },
	};
	size_t c, i, t;

	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct fx_trace_remedy rem = { NULL, NULL };
		int got = fx_connect_trace_remedy(cases[c].trace, &rem);

		cr_expect_eq(got, cases[c].command != NULL, "case %zu", c);
		if (got)
			cr_expect_str_eq(rem.command, cases[c].command, "case %zu", c);
	}
	/* in the plan: a FAILED task of a connector this plan leaves alone */
	for (c = 0; c < 2; c++) {
		struct world w;
		struct fx_plan p = FX_PLAN_INIT;
		const struct fx_check *k;
		const char *want = c ? "fluxacdc restart --reset-offsets fluxa_other" :
				       "fluxacdc restart --failed fluxa_other";

		world_build(&w, "tests/fixtures/connect/connectors-expand.json");
		for (i = 0; i < w.cl.n_connectors; i++)
			if (!strcmp(w.cl.connectors[i].name, "other_conn")) {
				free(w.cl.connectors[i].name);
				w.cl.connectors[i].name = strdup("fluxa_other");
				cr_assert(w.cl.connectors[i].n_tasks > 0);
				for (t = 0; t < w.cl.connectors[i].n_tasks; t++) {
					free(w.cl.connectors[i].tasks[t].state);
					free(w.cl.connectors[i].tasks[t].trace);
					w.cl.connectors[i].tasks[t].state = strdup("FAILED");
					w.cl.connectors[i].tasks[t].trace = strdup(c ? cases[0].trace : cases[4].trace);
				}
			}
		cr_assert_eq(fx_connect_checks(&w.d, &w.cl, 1, &p, &w.checks), 0);
		k = find(&w.checks, "connect.connector_state", "fluxa_other");
		cr_assert_not_null(k, "case %zu: no state check", c);
		cr_expect(k->hint && strstr(k->hint, want), "case %zu: hint %s", c, k->hint);
		world_release(&w);
	}
}
