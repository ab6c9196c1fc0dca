/* connect_json.c on RECORDED Connect answers (tests/fixtures/connect/), the
 * retry classification table, redaction, and garbage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "connect_json.h"
#include "helpers.h"
#include "secret.h"
#include "util/alloc.h"

#define FIX "tests/fixtures/connect/"

static char *load(const char *name, size_t *len)
{
	char rel[256];
	char *s;

	snprintf(rel, sizeof(rel), FIX "%s", name);
	s = fx_test_read(fx_test_path(rel), len);
	cr_assert_not_null(s, "fixture %s", rel);
	return s;
}

Test(connect_json, root)
{
	struct fx_observed_cluster c;
	struct fx_err err = FX_ERR_INIT;
	size_t len;
	char *s = load("root.json", &len);

	memset(&c, 0, sizeof(c));
	cr_assert_eq(fx_connect_parse_root(s, len, &c, &err), 0, "%s", err.msg);
	cr_expect_str_eq(c.version, "3.9.1");
	cr_expect_str_eq(c.commit, "f745dfdcee2b9851");
	cr_expect_not_null(c.kafka_cluster_id);
	fx_observed_cluster_release(&c);
	free(s);
}

Test(connect_json, plugins_sorted_by_class)
{
	struct fx_observed_cluster c;
	struct fx_err err = FX_ERR_INIT;
	size_t len;
	char *s = load("connector-plugins.json", &len);
	const struct fx_plugin *p;

	memset(&c, 0, sizeof(c));
	cr_assert_eq(fx_connect_parse_plugins(s, len, &c, &err), 0, "%s", err.msg);
	cr_expect(c.have_plugins);
	cr_assert_eq(c.n_plugins, 2);
	cr_expect_str_eq(c.plugins[0].class_name, "io.debezium.connector.mariadb.MariaDbConnector");
	cr_expect_str_eq(c.plugins[1].class_name, "io.debezium.connector.mysql.MySqlConnector");
	p = fx_observed_plugin(&c, "io.debezium.connector.mysql.MySqlConnector");
	cr_assert_not_null(p);
	cr_expect_str_eq(p->type, "source");
	cr_expect_str_eq(p->version, "3.2.0.Final");
	fx_observed_cluster_release(&c);
	free(s);
}

Test(connect_json, plugins_all_types)
{
	struct fx_observed_cluster c;
	struct fx_err err = FX_ERR_INIT;
	size_t len, i;
	char *s = load("connector-plugins-all.json", &len);

	memset(&c, 0, sizeof(c));
	cr_assert_eq(fx_connect_parse_plugins(s, len, &c, &err), 0, "%s", err.msg);
	cr_expect_gt(c.n_plugins, 2);
	for (i = 1; i < c.n_plugins; i++)
		cr_expect_leq(strcmp(c.plugins[i - 1].class_name, c.plugins[i].class_name), 0);
	fx_observed_cluster_release(&c);
	free(s);
}

Test(connect_json, expanded_two_connectors)
{
	struct fx_observed_cluster c;
	struct fx_err err = FX_ERR_INIT;
	const struct fx_observed_connector *fd, *other;
	size_t len;
	char *s = load("connectors-expand.json", &len);

	memset(&c, 0, sizeof(c));
	cr_assert_eq(fx_connect_parse_expanded(s, len, &c, &err), 0, "%s", err.msg);
	cr_assert_eq(c.n_connectors, 2);
	cr_expect_str_eq(c.connectors[0].name, "fluxa_default");
	cr_expect_str_eq(c.connectors[1].name, "other_conn");

	fd = fx_observed_find(&c, "fluxa_default");
	cr_assert_not_null(fd);
	cr_expect_str_eq(fd->type, "source");
	cr_expect_str_eq(fx_config_get(&fd->config, "connector.class"),
			 "io.debezium.connector.mariadb.MariaDbConnector");
	cr_expect_str_eq(fx_config_get(&fd->config, "name"), "fluxa_default");
	cr_expect_str_eq(fx_config_get(&fd->config, "database.password"), "FIXTURE-SECRET-not-real");
	cr_expect_str_eq(fx_config_get(&fd->config, "topic.prefix"), "fluxa_default");
	cr_expect_str_eq(fd->state, "RUNNING");
	cr_expect_str_eq(fd->worker_id, "127.0.0.1:18083");
	cr_expect_null(fd->trace);
	cr_assert_eq(fd->n_tasks, 1);
	cr_expect_eq(fd->tasks[0].id, 0);
	cr_expect_str_eq(fd->tasks[0].state, "RUNNING");

	other = fx_observed_find(&c, "other_conn");
	cr_assert_not_null(other);
	cr_assert_eq(other->n_tasks, 1);
	cr_expect_str_eq(other->tasks[0].state, "FAILED");
	cr_assert_not_null(other->tasks[0].trace);
	cr_expect(strstr(other->tasks[0].trace, "ConnectException") != NULL);
	cr_expect(fx_connect_is_managed(fd->name));
	cr_expect(!fx_connect_is_managed(other->name));
	fx_observed_cluster_release(&c);
	free(s);
}

Test(connect_json, expanded_empty_and_status_only)
{
	struct fx_observed_cluster c;
	struct fx_err err = FX_ERR_INIT;
	size_t len;
	char *s = load("connectors-expand-empty.json", &len);

	memset(&c, 0, sizeof(c));
	cr_assert_eq(fx_connect_parse_expanded(s, len, &c, &err), 0, "%s", err.msg);
	cr_expect_eq(c.n_connectors, 0);
	free(s);
	s = load("connectors-expand-status.json", &len);
	cr_assert_eq(fx_connect_parse_expanded(s, len, &c, &err), 0, "%s", err.msg);
	cr_assert_eq(c.n_connectors, 2);
	cr_expect_eq(c.connectors[0].config.n, 0);
	cr_expect_str_eq(c.connectors[0].state, "RUNNING");
	fx_observed_cluster_release(&c);
	free(s);
}

static const struct {
	const char *file;
	const char *name;
	const char *state;
	size_t n_tasks;
	const char *task0;
} statuses[] = {
	{ "connector-status-running.json", "fluxa_default", "RUNNING", 1, "RUNNING" },
	{ "connector-status-failed.json", "other_conn", "RUNNING", 1, "FAILED" },
	{ "connector-status-paused.json", "other_conn", "PAUSED", 1, "PAUSED" },
	{ "connector-status-stopped.json", "other_conn", "STOPPED", 0, NULL },
};

Test(connect_json, status_table)
{
	size_t i;

	for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
		struct fx_observed_connector c;
		struct fx_err err = FX_ERR_INIT;
		size_t len;
		char *s = load(statuses[i].file, &len);

		memset(&c, 0, sizeof(c));
		cr_assert_eq(fx_connect_parse_status(s, len, &c, &err), 0, "%s: %s", statuses[i].file,
			     err.msg);
		cr_expect_str_eq(c.name, statuses[i].name);
		cr_expect_str_eq(c.state, statuses[i].state, "%s", statuses[i].file);
		cr_expect_eq(c.n_tasks, statuses[i].n_tasks, "%s", statuses[i].file);
		if (statuses[i].task0)
			cr_expect_str_eq(c.tasks[0].state, statuses[i].task0);
		fx_observed_connector_release(&c);
		free(s);
	}
}

Test(connect_json, config)
{
	struct fx_config cfg = FX_CONFIG_INIT;
	struct fx_err err = FX_ERR_INIT;
	size_t len;
	char *s = load("connector-config.json", &len);

	cr_assert_eq(fx_connect_parse_config(s, len, &cfg, &err), 0, "%s", err.msg);
	cr_expect_str_eq(fx_config_get(&cfg, "tasks.max"), "1");
	cr_expect_str_eq(fx_config_get(&cfg, "name"), "fluxa_default");
	fx_config_release(&cfg);
	free(s);
	/* Scalars that are not strings are taken as Connect prints them. */
	{
		static const char odd[] = "{\"a\":1,\"b\":true,\"c\":null}";

		cr_assert_eq(fx_connect_parse_config(odd, strlen(odd), &cfg, &err), 0, "%s", err.msg);
	}
	cr_expect_str_eq(fx_config_get(&cfg, "a"), "1");
	cr_expect_str_eq(fx_config_get(&cfg, "b"), "true");
	cr_expect_str_eq(fx_config_get(&cfg, "c"), "");
	fx_config_release(&cfg);
}

Test(connect_json, validate)
{
	struct fx_connect_validation v = FX_CONNECT_VALIDATION_INIT;
	struct fx_err err = FX_ERR_INIT;
	size_t len;
	char *s = load("validate-ok.json", &len);

	cr_assert_eq(fx_connect_parse_validate(s, len, &v, &err), 0, "%s", err.msg);
	cr_expect_eq(v.error_count, 0);
	cr_expect_eq(v.n, 0);
	free(s);

	s = load("validate-errors.json", &len);
	cr_assert_eq(fx_connect_parse_validate(s, len, &v, &err), 0, "%s", err.msg);
	cr_expect_eq(v.error_count, 3);
	cr_assert_eq(v.n, 2);
	cr_expect_str_eq(v.items[0].key, "topic.prefix");
	cr_expect_str_eq(v.items[1].key, "database.server.id");
	cr_expect(strstr(v.items[1].message, "; ") != NULL, "both errors joined");
	free(s);

	s = load("validate-errors-connection.json", &len);
	cr_assert_eq(fx_connect_parse_validate(s, len, &v, &err), 0, "%s", err.msg);
	cr_assert_eq(v.n, 1);
	cr_expect_str_eq(v.items[0].key, "database.hostname");
	cr_expect(strstr(v.items[0].message, "Access denied") != NULL);
	fx_connect_validation_release(&v);
	free(s);
}

static const struct {
	const char *file;
	long code;
	const char *needle;
	enum fx_connect_verdict verdict;
} errors[] = {
	{ "error-404.json", 404, "not found", FX_CONNECT_FAIL },
	{ "error-404-status.json", 404, "No status found", FX_CONNECT_FAIL },
	{ "error-404-delete.json", 404, "not found", FX_CONNECT_FAIL },
	{ "error-409-exists.json", 409, "already exists", FX_CONNECT_EXISTS },
	{ "error-400-invalid-config.json", 400, "Access denied", FX_CONNECT_FAIL },
	{ "error-400-put-invalid.json", 400, "Access denied", FX_CONNECT_FAIL },
	{ "error-500-malformed-json.json", 500, "end-of-input", FX_CONNECT_FAIL },
	{ "error-500-no-config.json", 500, "connectorConfig", FX_CONNECT_FAIL },
	{ "error-500-unknown-plugin.json", 500, "Failed to find any class", FX_CONNECT_FAIL },
	{ "error-500-forward-to-dead-leader.json", 500, "forward", FX_CONNECT_REREAD },
};

Test(connect_json, recorded_error_bodies)
{
	size_t i;

	for (i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
		size_t len;
		char *s = load(errors[i].file, &len), *msg = NULL;
		long code = 0;

		cr_assert_eq(fx_connect_parse_error(s, len, &code, &msg, NULL), 0, "%s", errors[i].file);
		cr_expect_eq(code, errors[i].code, "%s", errors[i].file);
		cr_expect(strstr(msg, errors[i].needle) != NULL, "%s: %s", errors[i].file, msg);
		cr_expect_eq(fx_connect_classify(code, msg), errors[i].verdict, "%s: %s",
			     errors[i].file, fx_connect_verdict_name(fx_connect_classify(code, msg)));
		free(msg);
		free(s);
	}
}

/* Which answers are retried: Connect 3.9's own messages (DistributedHerder,
 * HerderRequestHandler, ConnectRestServer), and near misses. */
static const struct {
	long status;
	const char *message;
	enum fx_connect_verdict verdict;
} classify[] = {
	{ 409, "Cannot complete request momentarily due to stale configuration (typically caused by a concurrent config change)", FX_CONNECT_RETRY },
	{ 409, "Cannot complete request because of a conflicting operation (e.g. worker rebalance)", FX_CONNECT_RETRY },
	{ 409, "Request cannot be completed because a rebalance is expected", FX_CONNECT_RETRY },
	{ 409, "Cannot complete request momentarily due to no known leader URL, likely because a rebalance was underway.", FX_CONNECT_RETRY },
	{ 500, "Cannot complete request momentarily due to no known leader URL, likely because a rebalance was underway.", FX_CONNECT_RETRY },
	{ 500, "REBALANCE in progress", FX_CONNECT_RETRY },
	{ 409, "Connector fluxa_default already exists", FX_CONNECT_EXISTS },
	{ 409, "Connector fluxa_x ALREADY EXISTS after a rebalance", FX_CONNECT_EXISTS },
	{ 500, "Request timed out. The worker is currently ensuring membership in the cluster", FX_CONNECT_REREAD },
	{ 500, "IO Error trying to forward REST request: java.net.ConnectException: Connection refused", FX_CONNECT_REREAD },
	{ 503, "", FX_CONNECT_REREAD },
	{ 502, NULL, FX_CONNECT_REREAD },
	{ 504, "Gateway Timeout", FX_CONNECT_REREAD },
	{ 400, "rebalance", FX_CONNECT_FAIL },
	{ 404, "Connector fluxa_x not found", FX_CONNECT_FAIL },
	{ 500, "Cannot invoke \"java.util.Map.get(Object)\" because \"connectorConfig\" is null", FX_CONNECT_FAIL },
	{ 409, "Connector fluxa_x is being deleted", FX_CONNECT_FAIL },
	{ 401, "Unauthorized", FX_CONNECT_FAIL },
	{ 200, "rebalance", FX_CONNECT_FAIL },
};

Test(connect_json, classify_table)
{
	size_t i;

	for (i = 0; i < sizeof(classify) / sizeof(classify[0]); i++)
		cr_expect_eq(fx_connect_classify(classify[i].status, classify[i].message),
			     classify[i].verdict, "%ld %s -> %s", classify[i].status,
			     classify[i].message ? classify[i].message : "(null)",
			     fx_connect_verdict_name(fx_connect_classify(classify[i].status,
									  classify[i].message)));
}

static const struct {
	const char *in;
	const char *out;
} redactions[] = {
	{ "Access denied for user 'u'@'h' (using password: YES)", "Access denied for user 'u'@'h' (using password: YES)" },
	{ "bad config: database.password=hunter22, user=app", "bad config: database.password=" FX_SECRET_MASK ", user=app" },
	{ "{\"database.password\":\"p@ss w0rd\",\"x\":1}", "{\"database.password\":\"" FX_SECRET_MASK "\",\"x\":1}" },
	{ "sasl token: abcdef;", "sasl token: " FX_SECRET_MASK ";" },
	{ "Secret='x y z' ok", "Secret='" FX_SECRET_MASK "' ok" },
	{ "password=${file:/s.properties:pw}", "password=${file:/s.properties:pw}" },
	{ "the real one s3cr3t-v@lue leaked", "the real one " FX_SECRET_MASK " leaked" },
	{ "twice: s3cr3t-v@lue/s3cr3t-v@lue", "twice: " FX_SECRET_MASK "/" FX_SECRET_MASK },
	{ "no secrets here", "no secrets here" },
	{ "password", "password" },
	{ "password=", "password=" },
	{ "", "" },
	/* the value after a sensitive key, however it is written */
	{ "password-file=abc", "password-file=" FX_SECRET_MASK },
	{ "db_password\t=\tabc x", "db_password\t=\t" FX_SECRET_MASK " x" },
	{ "password :abc", "password :" FX_SECRET_MASK },
	{ "password: \"abc\\", "password: \"" FX_SECRET_MASK },
	{ "password: \"a\\\"b\" tail", "password: \"" FX_SECRET_MASK "\" tail" },
	{ "token='abc\nnext", "token='" FX_SECRET_MASK "\nnext" },
	/* MySQL's "(using password: YES)" / NO is not a secret; longer words are */
	{ "(using password: NO)", "(using password: NO)" },
	{ "password=YESMAN", "password=" FX_SECRET_MASK },
	{ "password=NOPE", "password=" FX_SECRET_MASK },
	{ "password=\"YES\"", "password=\"" FX_SECRET_MASK "\"" },
	{ "password=${env:PW}", "password=${env:PW}" },
	{ "password=$notref", "password=" FX_SECRET_MASK },
	{ "password=a,user=b", "password=" FX_SECRET_MASK ",user=b" },
};

Test(connect_json, redact_table)
{
	struct fx_config secrets = FX_CONFIG_INIT;
	size_t i;

	fx_config_set(&secrets, "database.password", "s3cr3t-v@lue");
	fx_config_set(&secrets, "database.user", "app");       /* not sensitive: kept */
	fx_config_set(&secrets, "other.token", "ab");          /* too short to hunt */
	for (i = 0; i < sizeof(redactions) / sizeof(redactions[0]); i++) {
		char *r = fx_connect_redact(redactions[i].in, &secrets);

		cr_assert_not_null(r);
		cr_expect_str_eq(r, redactions[i].out, "in: %s", redactions[i].in);
		free(r);
	}
	fx_config_release(&secrets);
}

Test(connect_json, trace_head_redacted)
{
	struct fx_config secrets = FX_CONFIG_INIT;
	size_t len;
	char *s = load("connector-status-failed.json", &len), *head;
	struct fx_observed_connector c;
	struct fx_err err = FX_ERR_INIT;

	memset(&c, 0, sizeof(c));
	cr_assert_eq(fx_connect_parse_status(s, len, &c, &err), 0, "%s", err.msg);
	head = fx_connect_trace_head(c.tasks[0].trace, 3, NULL);
	cr_assert_not_null(head);
	cr_expect(strstr(head, "ConnectException") < strchr(head, '\n'), "first line first: %s", head);
	cr_expect(strstr(head, "LOCK TABLES") != NULL, "the root cause: %s", head);
	cr_expect(strstr(head, "\tat ") == NULL, "no frames: %s", head);
	free(head);
	head = fx_connect_trace_head(c.tasks[0].trace, 2, NULL);
	cr_expect_eq(strchr(strchr(head, '\n') + 1, '\n'), NULL, "2 lines: %s", head);
	cr_expect(strstr(head, "LOCK TABLES") != NULL, "keeps the root cause: %s", head);
	free(head);
	fx_config_set(&secrets, "database.password", "hunter2-long");
	head = fx_connect_trace_head("line one hunter2-long\n\tat x.y(Z.java:1)\nline two\n\n", 5, &secrets);
	cr_expect_str_eq(head, "line one " FX_SECRET_MASK "\nline two");
	free(head);
	fx_config_release(&secrets);
	fx_observed_connector_release(&c);
	free(s);
}

/* Not what Connect sends: each parser says so and leaves its output empty. */
static const char *const garbage[] = {
	"", "null", "[]", "{}", "[1,2]", "\"x\"", "{\"a\":", "{\"a\":1}", "{\"x\":[]}",
	"{\"x\":{\"info\":[]}}", "{\"x\":{\"info\":{\"config\":{\"a\":[1]}}}}",
	"{\"x\":{\"status\":{\"tasks\":[{\"id\":\"0\"}]}}}",
	"{\"x\":{\"status\":{\"tasks\":{}}}}", "{\"x\":{\"status\":{\"connector\":{\"state\":1}}}}",
	"{\"error_count\":\"1\",\"configs\":[]}", "{\"error_count\":1,\"configs\":[{\"value\":{\"name\":1,\"errors\":[\"e\"]}}]}",
	"[{\"class\":1}]", "[{}]", "{\"version\":1}", "{\"a\":1,\"a\":2}",
};

Test(connect_json, garbage_is_refused)
{
	size_t i;

	for (i = 0; i < sizeof(garbage) / sizeof(garbage[0]); i++) {
		const char *g = garbage[i];
		size_t n = strlen(g);
		struct fx_observed_cluster c;
		struct fx_observed_connector oc;
		struct fx_config cfg = FX_CONFIG_INIT;
		struct fx_connect_validation v = FX_CONNECT_VALIDATION_INIT;
		struct fx_err err = FX_ERR_INIT;
		int ok = 0;

		memset(&c, 0, sizeof(c));
		memset(&oc, 0, sizeof(oc));
		ok += fx_connect_parse_root(g, n, &c, &err) == 0;
		ok += fx_connect_parse_plugins(g, n, &c, &err) == 0;
		ok += fx_connect_parse_expanded(g, n, &c, &err) == 0;
		ok += fx_connect_parse_status(g, n, &oc, &err) == 0;
		ok += fx_connect_parse_config(g, n, &cfg, &err) == 0;
		ok += fx_connect_parse_validate(g, n, &v, &err) == 0;
		/* At most the lenient ones accept a plain object ({} is an empty
		 * listing, an empty config, an empty status). */
		cr_expect_leq(ok, 3, "%s accepted by %d parsers", g, ok);
		fx_observed_cluster_release(&c);
		fx_observed_connector_release(&oc);
		fx_config_release(&cfg);
		fx_connect_validation_release(&v);
	}
}

/* curl-style torture: every allocation of a parse fails in turn; no crash,
 * a clean -1, nothing half-filled (leaks show under SANITIZE=address). */
Test(connect_json, torture_expanded)
{
	size_t len;
	char *s = load("connectors-expand.json", &len);
	long n, total;

	fx_alloc_count_reset();
	{
		struct fx_observed_cluster c;
		struct fx_err err = FX_ERR_INIT;

		memset(&c, 0, sizeof(c));
		cr_assert_eq(fx_connect_parse_expanded(s, len, &c, &err), 0);
		fx_observed_cluster_release(&c);
	}
	total = fx_alloc_count();
	for (n = 0; n < total; n++) {
		struct fx_observed_cluster c;
		struct fx_err err = FX_ERR_INIT;
		int rc;

		memset(&c, 0, sizeof(c));
		fx_alloc_fail_after(n);
		rc = fx_connect_parse_expanded(s, len, &c, &err);
		fx_alloc_fail_after(-1);
		cr_expect_eq(rc, -1, "allocation %ld failing must fail the parse", n);
		cr_expect_eq(c.n_connectors, 0);
		fx_observed_cluster_release(&c);
	}
	free(s);
}

Test(connect_json, version_at_least)
{
	static const struct {
		const char *v;
		int major, minor, want;
	} t[] = {
		{ "3.9.1", 3, 5, 1 },  { "3.5.0", 3, 5, 1 },      { "3.4.1", 3, 5, 0 },
		{ "4.1.1", 3, 7, 1 },  { "3.6.2", 3, 7, 0 },      { "3.7.0-SNAPSHOT", 3, 7, 1 },
		{ "7.6.0-ccs", 3, 6, 1 }, { "7.5.3-ce", 3, 6, 0 }, { "8.0.0-ccs", 3, 7, 1 },
		{ "6.2.0-ccs", 3, 5, 0 }, { "x", 3, 5, -1 },      { NULL, 3, 5, -1 },
		{ "3.9.1", 4, 0, 0 },  { "2.8.2", 3, 5, 0 },      { "4.0.0", 3, 9, 1 },
		{ "3.7.0", 3, 7, 1 },  { "3.6.9", 3, 7, 0 },      { "-1.5", 3, 5, -1 },
		{ "3", 3, 5, -1 },     { "7.0.0-ccs", 3, 0, 1 },  { "6.9.0-ce", 2, 9, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		cr_expect_eq(fx_connect_version_at_least(t[i].v, t[i].major, t[i].minor), t[i].want,
			     "case %zu (%s)", i, t[i].v ? t[i].v : "NULL");
}

/* Each answer Connect (or something in its place) may give that is not what
 * the request returns: refused, as a runtime failure (exit 1), saying what
 * was wrong and which request it answered. */
enum cj_parser { P_ROOT, P_PLUGINS, P_EXPANDED, P_STATUS, P_CONFIG, P_VALIDATE, P_ERROR };

static int cj_parse(enum cj_parser p, const char *g, struct fx_err *err)
{
	struct fx_observed_cluster c;
	struct fx_observed_connector oc;
	struct fx_config cfg = FX_CONFIG_INIT;
	struct fx_connect_validation v = FX_CONNECT_VALIDATION_INIT;
	size_t n = strlen(g);
	long code;
	char *msg = NULL;
	int rc = -2;

	memset(&c, 0, sizeof(c));
	memset(&oc, 0, sizeof(oc));
	switch (p) {
	case P_ROOT: rc = fx_connect_parse_root(g, n, &c, err); break;
	case P_PLUGINS:
		rc = fx_connect_parse_plugins(g, n, &c, err);
		cr_expect_eq(c.have_plugins, rc == 0, "%s: have_plugins", g);
		break;
	case P_EXPANDED: rc = fx_connect_parse_expanded(g, n, &c, err); break;
	case P_STATUS: rc = fx_connect_parse_status(g, n, &oc, err); break;
	case P_CONFIG: rc = fx_connect_parse_config(g, n, &cfg, err); break;
	case P_VALIDATE: rc = fx_connect_parse_validate(g, n, &v, err); break;
	case P_ERROR:
		rc = fx_connect_parse_error(g, n, &code, &msg, err);
		if (rc < 0)
			cr_expect_null(msg, "%s", g);
		free(msg);
		break;
	}
	fx_observed_cluster_release(&c);
	fx_observed_connector_release(&oc);
	fx_config_release(&cfg);
	fx_connect_validation_release(&v);
	return rc;
}

Test(connect_json, each_parser_refuses_with_a_message)
{
	static const struct {
		enum cj_parser p;
		const char *in, *msg;
	} cases[] = {
		{ P_ROOT, "", "GET /: not JSON" },
		{ P_ROOT, "<html>", "GET /: not JSON" },
		{ P_ROOT, "[]", "GET /: expected an object" },
		{ P_ROOT, "{\"version\": 3}", "must be strings" },
		{ P_ROOT, "{\"commit\": \"x\"}", "no 'version' (is this a Kafka Connect REST URL?)" },
		{ P_PLUGINS, "", "GET /connector-plugins: not JSON" },
		{ P_PLUGINS, "not json", "GET /connector-plugins: not JSON" },
		{ P_PLUGINS, "{}", "GET /connector-plugins: expected an array" },
		{ P_PLUGINS, "[{\"class\": 1}]", "item 0 has no 'class' string" },
		{ P_PLUGINS, "[\"io.x.C\"]", "item 0 has no 'class' string" },
		{ P_PLUGINS, "[{\"class\": \"a\"}, {}]", "item 1 has no 'class' string" },
		{ P_PLUGINS, "[{\"class\": \"a.B\", \"version\": 3}]", "'a.B': type and version must be strings" },
		{ P_PLUGINS, "[{\"class\": \"a.B\", \"type\": []}]", "'a.B': type and version must be strings" },
		{ P_EXPANDED, "[]", "expected an object keyed by connector name" },
		{ P_EXPANDED, "{\"x\": 1}", "connector 'x' is not an object" },
		{ P_EXPANDED, "{\"x\": {\"info\": []}}", "connector 'x': 'info' is not an object" },
		{ P_EXPANDED, "{\"x\": {\"info\": {\"config\": {\"a\": [1]}}}}", "config key 'a' is not a scalar" },
		{ P_EXPANDED, "{\"x\": {\"info\": {\"config\": []}}}", "the config is not an object" },
		{ P_EXPANDED, "{\"x\": {\"status\": []}}", "the status is not an object" },
		{ P_EXPANDED, "{\"x\": {\"status\": {\"tasks\": {}}}}", "'tasks' is not an array" },
		{ P_EXPANDED, "{\"x\": {\"status\": {\"tasks\": [{\"id\": \"0\"}]}}}", "task 0 has no integer 'id'" },
		{ P_EXPANDED, "{\"x\": {\"status\": {\"tasks\": [{\"id\": 0}, 7]}}}", "task 1 has no integer 'id'" },
		{ P_EXPANDED, "{\"x\": {\"status\": {\"tasks\": [{\"id\": -1}]}}}", "task 0 has no integer 'id'" },
		{ P_EXPANDED, "{\"x\": {\"status\": {\"tasks\": [{\"id\": 1000001}]}}}", "task 0 has no integer 'id'" },
		{ P_EXPANDED, "{\"x\": {\"status\": {\"tasks\": [{\"id\": 2, \"state\": 1}]}}}", "task 2: state, worker_id and trace must be strings" },
		{ P_EXPANDED, "{\"x\": {\"status\": {\"connector\": []}}}", "'connector' is not an object" },
		{ P_EXPANDED, "{\"x\": {\"status\": {\"tasks\": [{\"id\": 2, \"worker_id\": 1}]}}}", "task 2: state, worker_id and trace must be strings" },
		{ P_EXPANDED, "{\"x\": {\"status\": {\"tasks\": [{\"id\": 2, \"trace\": {}}]}}}", "task 2: state, worker_id and trace must be strings" },
		{ P_EXPANDED, "{\"x\": {\"status\": {\"connector\": {\"worker_id\": 1}}}}", "connector state, worker_id and trace must be strings" },
		{ P_EXPANDED, "{\"x\": {\"status\": {\"connector\": {\"trace\": []}}}}", "connector state, worker_id and trace must be strings" },
		{ P_EXPANDED, "{\"x\": {\"status\": {\"connector\": {\"state\": 1}}}}", "connector state, worker_id and trace must be strings" },
		{ P_EXPANDED, "{\"x\": {\"status\": {\"type\": 1}}}", "'type' is not a string" },
		{ P_STATUS, "[]", "connector status: expected an object" },
		{ P_STATUS, "{\"name\": 1}", "connector status: 'name' is not a string" },
		{ P_STATUS, "{\"name\": \"x\", \"tasks\": 3}", "'tasks' is not an array" },
		{ P_CONFIG, "[]", "the config is not an object" },
		{ P_CONFIG, "{\"a\": {}}", "config key 'a' is not a scalar" },
		{ P_VALIDATE, "{}", "expected {\"error_count\": N, \"configs\": [...]}" },
		{ P_VALIDATE, "{\"error_count\": \"1\", \"configs\": []}", "expected {\"error_count\"" },
		{ P_VALIDATE, "{\"error_count\": 1, \"configs\": {}}", "expected {\"error_count\"" },
		{ P_VALIDATE, "[]", "expected {\"error_count\"" },
		{ P_VALIDATE, "{\"error_count\": 1, \"configs\": [{\"definition\": {}}]}", "configs[0] has no 'value' object" },
		{ P_VALIDATE, "{\"error_count\": 1, \"configs\": [{\"value\": {\"name\": 1, \"errors\": [\"e\"]}}]}", "configs[0]: 'name' and 'errors' malformed" },
		{ P_VALIDATE, "{\"error_count\": 1, \"configs\": [{\"value\": {\"name\": \"k\", \"errors\": \"e\"}}]}", "configs[0]: 'name' and 'errors' malformed" },
		{ P_ERROR, "", "not a Connect error body" },
		{ P_ERROR, "<html><title>502</title></html>", "not a Connect error body" },
		{ P_ERROR, "[\"message\"]", "not a Connect error body" },
		{ P_ERROR, "{\"error_code\": 404}", "not a Connect error body" },
		{ P_ERROR, "{\"error_code\": 404, \"message\": 7}", "not a Connect error body" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fx_err err = FX_ERR_INIT;

		cr_expect_eq(cj_parse(cases[i].p, cases[i].in, &err), -1, "%s accepted", cases[i].in);
		cr_expect_eq(err.code, 1, "%s: code %d", cases[i].in, err.code);
		cr_expect(strstr(err.msg, cases[i].msg), "%s: '%s' lacks '%s'", cases[i].in, err.msg,
			  cases[i].msg);
	}
}

/* What each parser accepts at its edges. */
Test(connect_json, parsers_accept_edges)
{
	static const struct {
		enum cj_parser p;
		const char *in;
	} cases[] = {
		{ P_ROOT, "{\"version\": \"4.1.1\"}" },
		{ P_PLUGINS, "[]" },
		{ P_PLUGINS, "[{\"class\": \"a.B\"}]" },
		{ P_PLUGINS, "[{\"class\": \"a.B\", \"type\": null, \"version\": \"1\"}]" },
		{ P_EXPANDED, "{}" },
		{ P_EXPANDED, "{\"x\": {\"status\": {\"tasks\": null, \"connector\": null}}}" },
		{ P_EXPANDED, "{\"x\": {\"status\": {\"tasks\": [{\"id\": 1000000}]}}}" },
		{ P_EXPANDED, "{\"x\": {\"status\": {\"tasks\": [{\"id\": 0}]}}}" },
		{ P_STATUS, "{\"name\": \"x\"}" },
		{ P_CONFIG, "{\"a\": 1, \"b\": true, \"c\": null, \"d\": \"s\"}" },
		{ P_VALIDATE, "{\"error_count\": 0, \"configs\": []}" },
		{ P_VALIDATE, "{\"error_count\": 0, \"configs\": [{\"value\": {\"name\": 1, \"errors\": []}}]}" },
		{ P_ERROR, "{\"message\": \"Connector x not found\"}" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fx_err err = FX_ERR_INIT;

		cr_expect_eq(cj_parse(cases[i].p, cases[i].in, &err), 0, "%s: %s", cases[i].in, err.msg);
	}
}

/* Connect's validation answer: the errors of each key joined, whatever else
 * the list holds (a non-string is skipped, not printed). */
Test(connect_json, validation_errors_joined)
{
	static const char j[] =
		"{\"error_count\": 2, \"configs\": ["
		"{\"value\": {\"name\": \"a\", \"errors\": [\"bad\", 3, null, \"worse\"]}},"
		"{\"value\": {\"name\": \"ok\", \"errors\": []}},"
		"{\"value\": {\"name\": \"b\", \"errors\": [\"only\"]}}]}";
	struct fx_connect_validation v = FX_CONNECT_VALIDATION_INIT;
	struct fx_err err = FX_ERR_INIT;

	cr_assert_eq(fx_connect_parse_validate(j, strlen(j), &v, &err), 0, "%s", err.msg);
	cr_expect_eq(v.error_count, 2);
	cr_assert_eq(v.n, 2);
	cr_expect_str_eq(v.items[0].key, "a");
	cr_expect_str_eq(v.items[0].message, "bad; worse");
	cr_expect_str_eq(v.items[1].key, "b");
	cr_expect_str_eq(v.items[1].message, "only");
	fx_connect_validation_release(&v);
	cr_expect_eq(v.n, 0);
	cr_expect_eq(v.error_count, 0);
}

/* The one config-body encoder: what apply sends and what render prints. */
Test(connect_json, config_body_table)
{
	static const struct {
		const char *what;
		int with_name_key; /* the config has its own "name" */
		const char *name;
		int wrap, mask;
		const char *want; /* JSON_COMPACT | JSON_SORT_KEYS */
	} cases[] = {
		{ "create: {name, config}", 0, "fluxa_a", 1, 0,
		  "{\"config\":{\"connector.class\":\"C\",\"database.password\":\"s3cret\"},\"name\":\"fluxa_a\"}" },
		{ "render: masked", 0, "fluxa_a", 1, 1,
		  "{\"config\":{\"connector.class\":\"C\",\"database.password\":\"" FX_SECRET_MASK "\"},\"name\":\"fluxa_a\"}" },
		{ "update/validate: name added", 0, "fluxa_a", 0, 0,
		  "{\"connector.class\":\"C\",\"database.password\":\"s3cret\",\"name\":\"fluxa_a\"}" },
		{ "the config's own name is kept", 1, "fluxa_a", 0, 0,
		  "{\"connector.class\":\"C\",\"database.password\":\"s3cret\",\"name\":\"mine\"}" },
		{ "no name: none added", 0, NULL, 0, 0,
		  "{\"connector.class\":\"C\",\"database.password\":\"s3cret\"}" },
		{ "create stopped: initial_state", 0, "fluxa_a", 2, 0,
		  "{\"config\":{\"connector.class\":\"C\",\"database.password\":\"s3cret\"},\"initial_state\":\"STOPPED\",\"name\":\"fluxa_a\"}" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fx_config c = FX_CONFIG_INIT;
		json_t *j;
		char *s;

		cr_assert_eq(fx_config_set(&c, "connector.class", "C"), 0);
		cr_assert_eq(fx_config_set(&c, "database.password", "s3cret"), 0);
		if (cases[i].with_name_key)
			cr_assert_eq(fx_config_set(&c, "name", "mine"), 0);
		j = fx_connect_config_body(&c, cases[i].name, cases[i].wrap, cases[i].mask);
		cr_assert_not_null(j, "%s", cases[i].what);
		s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
		cr_expect_str_eq(s, cases[i].want, "%s", cases[i].what);
		free(s);
		json_decref(j);
		fx_config_release(&c);
	}
}

/* Keys in config order (render keeps it), and a value that is not UTF-8 is
 * refused rather than dropped. */
Test(connect_json, config_body_order_and_bad_utf8)
{
	struct fx_config c = FX_CONFIG_INIT;
	json_t *j;
	char *s;

	cr_assert_eq(fx_config_set(&c, "z.last", "1"), 0);
	cr_assert_eq(fx_config_set(&c, "a.first", "2"), 0);
	j = fx_connect_config_body(&c, "fluxa_a", 1, 0);
	s = json_dumps(json_object_get(j, "config"), JSON_COMPACT | JSON_PRESERVE_ORDER);
	cr_expect_str_eq(s, c.items[0].key[0] == 'a' ? "{\"a.first\":\"2\",\"z.last\":\"1\"}" :
			    "{\"z.last\":\"1\",\"a.first\":\"2\"}");
	free(s);
	json_decref(j);
	cr_assert_eq(fx_config_set(&c, "bad", "\xff\xfe"), 0);
	cr_expect_null(fx_connect_config_body(&c, "fluxa_a", 1, 0));
	cr_expect_null(fx_connect_config_body(&c, "fluxa_a", 0, 0));
	fx_config_release(&c);
}
