/*
 * plan_json.c reading plan files (SPEC §4: "the plan file has the same shape"
 * as plan --format json; apply FILE applies exactly that plan).  A plan file
 * this fluxacdc did not write as it stands is refused with exit 65, the
 * place that is wrong, and the way out; one it wrote reads back whole.
 * Cases edit the golden tests/fixtures/plans/update.json one field at a time.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "plan.h"
#include "plan_json.h"

#define HEX64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

/* The golden plan with the value at path ("a/b/0/c") replaced by the JSON
 * text value, or removed when value is NULL; as JSON text (caller frees). */
static char *edited(const char *path, const char *value)
{
	char *raw = fx_test_read(fx_test_path("tests/fixtures/plans/update.json"), NULL);
	json_t *root, *parent, *v = NULL;
	char buf[256], *tok, *next, *last = NULL, *out;

	cr_assert_not_null(raw);
	root = json_loads(raw, 0, NULL);
	free(raw);
	cr_assert_not_null(root);
	if (!path) {
		out = json_dumps(root, 0);
		json_decref(root);
		return out;
	}
	if (value) {
		v = json_loads(value, JSON_DECODE_ANY, NULL);
		cr_assert_not_null(v, "bad test value %s", value);
	}
	snprintf(buf, sizeof(buf), "%s", path);
	parent = root;
	for (tok = buf; tok; tok = next) {
		next = strchr(tok, '/');
		if (next)
			*next++ = '\0';
		if (!next) {
			last = tok;
			break;
		}
		parent = json_is_array(parent) ? json_array_get(parent, strtoul(tok, NULL, 10)) :
						 json_object_get(parent, tok);
		cr_assert_not_null(parent, "no %s in the golden plan", path);
	}
	if (json_is_array(parent)) {
		size_t i = strtoul(last, NULL, 10);

		if (v)
			json_array_set_new(parent, i, v);
		else
			json_array_remove(parent, i);
	} else if (v) {
		json_object_set_new(parent, last, v);
	} else {
		json_object_del(parent, last);
	}
	out = json_dumps(root, 0);
	json_decref(root);
	return out;
}

static int read_plan(const char *json, struct fx_plan *p, struct fx_err *err)
{
	return fx_plan_from_json("p.json", json, strlen(json), p, err);
}

Test(plan_json, refused_with_the_place_and_the_way_out)
{
	static const struct {
		const char *path, *value; /* value NULL: the key removed */
		const char *msg;
	} cases[] = {
		{ "format_version", NULL, "not a fluxacdc plan (no format_version)" },
		{ "format_version", "1", "not a fluxacdc plan (no format_version)" },
		{ "format_version", "\"2\"", "plan format_version '2' is not one this fluxacdc reads (1)" },
		{ "manifest/sha256", "\"sha256:xyz\"", "manifest.sha256 is not sha256:<64 hex digits>" },
		{ "manifest/sha256", "\"sha256:" HEX64 "0\"", "manifest.sha256 is not sha256" },
		{ "manifest/sha256", "\"sha256:" "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\"",
		  "manifest.sha256 is not sha256" },
		{ "manifest/sha256", "\"sha256:" "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef\"",
		  "manifest.sha256 is not sha256" },
		{ "manifest/sha256", "\"sha512:" HEX64 "\"", "manifest.sha256 is not sha256" },
		{ "fingerprint", NULL, "plan has no fingerprint (desired, observed, salt)" },
		{ "fingerprint", "[]", "plan has no fingerprint" },
		{ "fingerprint/desired", NULL, "plan has no fingerprint" },
		{ "fingerprint/observed", "7", "plan has no fingerprint" },
		{ "fingerprint/salt", NULL, "plan has no fingerprint" },
		{ "fingerprint/desired", "\"sha256:12\"", "fingerprint.desired is not sha256:<64 hex digits>" },
		{ "fingerprint/observed", "\"sha256:" HEX64 "g\"", "fingerprint.observed is not sha256" },
		{ "fingerprint/observed", "\"" HEX64 "\"", "fingerprint.observed is not sha256" },
		{ "fingerprint/salt", "\"0123456789abcdef0123456789abcde\"", "fingerprint.salt is not 32 hex digits" },
		{ "fingerprint/salt", "\"0123456789abcdef0123456789abcdef0\"", "fingerprint.salt is not 32 hex digits" },
		{ "fingerprint/salt", "\"0123456789abcdef0123456789abcdeg\"", "fingerprint.salt is not 32 hex digits" },
		{ "fingerprint/salt", "\"0123456789ABCDEF0123456789abcdef\"", "fingerprint.salt is not 32 hex digits" },
		{ "fingerprint/connectors/0/observed", "\"sha256:1\"",
		  "fingerprint.connectors[0].observed is not null or sha256:<64 hex digits>" },
		{ "fingerprint/connectors/0/observed", "3", "fingerprint.connectors[0].observed is not null" },
		{ "fingerprint/connectors/0/connector", NULL,
		  "fingerprint.connectors[0]: missing connect_url or connector" },
		{ "fingerprint/connectors/0/connect_url", "1", "fingerprint.connectors[0]: missing connect_url" },
		{ "checks/0/level", "\"fatal\"", "checks[0]: missing id, level, scope or message" },
		{ "checks/0/level", NULL, "checks[0]: missing id, level, scope or message" },
		{ "checks/0/id", NULL, "checks[0]: missing id" },
		{ "checks/0/scope", "2", "checks[0]: missing id" },
		{ "checks/0/message", NULL, "checks[0]: missing id" },
		{ "changes", NULL, "plan has no changes array" },
		{ "changes", "{}", "plan has no changes array" },
		{ "changes/0", "3", "changes[0] is not an object" },
		{ "changes/0/action", "\"upsert\"", "changes[0]: missing or bad action, risk, connector or connect_url" },
		{ "changes/0/action", NULL, "changes[0]: missing or bad action" },
		{ "changes/0/risk", "\"maybe\"", "changes[0]: missing or bad action" },
		{ "changes/0/risk", NULL, "changes[0]: missing or bad action" },
		{ "changes/0/connector", NULL, "changes[0]: missing or bad action" },
		{ "changes/0/connect_url", "false", "changes[0]: missing or bad action" },
		{ "changes/0/diff/0/key", NULL, "changes[0].diff[0]: missing key or op" },
		{ "changes/0/diff/1/op", "\"replace\"", "changes[0].diff[1]: missing key or op" },
		{ "changes/0/diff/1/op", NULL, "changes[0].diff[1]: missing key or op" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *json = edited(cases[i].path, cases[i].value);
		struct fx_plan p;
		struct fx_err err = FX_ERR_INIT;

		cr_expect_eq(read_plan(json, &p, &err), -1, "%s = %s: read", cases[i].path,
			     cases[i].value ? cases[i].value : "(removed)");
		cr_expect_eq(err.code, 65, "%s: code %d", cases[i].path, err.code);
		cr_expect(!strncmp(err.msg, "p.json", 6), "%s: '%s' does not name the file", cases[i].path,
			  err.msg);
		cr_expect(strstr(err.msg, cases[i].msg), "%s = %s: '%s' lacks '%s'", cases[i].path,
			  cases[i].value ? cases[i].value : "(removed)", err.msg, cases[i].msg);
		cr_expect(strstr(err.msg, "make a plan file with this fluxacdc: fluxacdc plan --out FILE"),
			  "%s: no way out in '%s'", cases[i].path, err.msg);
		cr_expect_eq(p.n_changes, 0, "%s: a refused plan is released", cases[i].path);
		fx_plan_release(&p);
		free(json);
	}
}

Test(plan_json, not_json_and_not_an_object)
{
	static const char *const bad[] = { "{", "", "[]", "\"plan\"", "{\"a\":1,\"a\":2}" };
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct fx_plan p;
		struct fx_err err = FX_ERR_INIT;

		cr_expect_eq(read_plan(bad[i], &p, &err), -1, "'%s'", bad[i]);
		cr_expect_eq(err.code, 65);
		cr_expect(!strncmp(err.msg, "p.json", 6), "%s", err.msg);
		cr_expect(strstr(err.msg, "not a JSON plan file") || strstr(err.msg, "not a fluxacdc plan"),
			  "'%s': %s", bad[i], err.msg);
		fx_plan_release(&p);
	}
}

/* What the golden plan says, read back field by field. */
Test(plan_json, reads_every_field)
{
	char *json = edited(NULL, NULL);
	struct fx_plan p;
	struct fx_err err = FX_ERR_INIT;
	const struct fx_change *c;

	cr_assert_eq(read_plan(json, &p, &err), 0, "%s", err.msg);
	free(json);
	cr_expect_str_eq(p.manifest_path, "t.yaml");
	cr_expect_str_eq(p.manifest_sha256,
			 "sha256:debd66c3aa4824ef7e9b5f8a54b19355496d4696b151e1bc97e8782d2b4ce4b9");
	cr_expect_str_eq(p.salt, "0123456789abcdef0123456789abcdef");
	cr_expect_str_eq(p.desired_fp,
			 "sha256:eb75e677a0c7e85bea51f030d2a873faf9c9f8297ae3dfe9a72a39fac5c50164");
	cr_expect_str_eq(p.observed_fp,
			 "sha256:c4b886122b01e6c3b666fb7ed48b228aa0c722937f422cf06fc0fea369ad2718");
	cr_expect_eq(p.db_checks_skipped, 0);
	cr_assert_eq(p.checks.n, 1);
	cr_expect_eq(p.checks.items[0].level, FX_CHECK_ERROR);
	cr_expect_str_eq(p.checks.items[0].id, "mysql.binlog_format");
	cr_expect_str_eq(p.checks.items[0].observed, "MIXED");
	cr_expect_str_eq(p.checks.items[0].expected, "ROW");
	cr_assert_eq(p.n_changes, 1);
	c = &p.changes[0];
	cr_expect_eq(c->action, FX_ACTION_UPDATE);
	cr_expect_eq(c->risk, FX_RISK_RESTART);
	cr_expect_str_eq(c->connector, "fluxa_default");
	cr_expect_str_eq(c->kafka_pool, "default");
	cr_expect_str_eq(c->mysql_pool, "default");
	cr_expect_str_eq(c->connect_url, "http://127.0.0.1:18083");
	cr_expect_str_eq(c->observed_fp,
			 "sha256:f2ed52fcca398127dfd2672b94b0aa2a6759bbd5334f7c00d98a06819289282e");
	cr_assert_eq(c->n_diff, 2);
	cr_expect_str_eq(c->diff[0].key, "database.password");
	cr_expect_eq(c->diff[0].op, FX_DIFF_CHANGE);
	cr_expect(c->diff[0].sensitive);
	cr_expect_null(c->diff[0].before);
	cr_expect_null(c->diff[0].after);
	cr_expect_eq(c->diff[1].sensitive, 0);
	cr_expect_str_eq(c->diff[1].before, "fluxa\\.UserEntity");
	cr_expect_str_eq(c->diff[1].after, "fluxa\\.OrderEntity,fluxa\\.UserEntity");
	cr_expect_eq(c->n_notes, 1);
	cr_expect_eq(p.n_unchanged, 0, "the fingerprinted connector is the change");
	fx_plan_release(&p);
}

/* Each action, risk and diff op by name; fingerprinted connectors that are
 * not changes are the unchanged ones; db_checks_skipped and an empty sha256. */
Test(plan_json, names_and_unchanged)
{
	static const struct {
		const char *path, *value;
		int action, risk, op;
	} cases[] = {
		{ "changes/0/action", "\"create\"", FX_ACTION_CREATE, -1, -1 },
		{ "changes/0/action", "\"update\"", FX_ACTION_UPDATE, -1, -1 },
		{ "changes/0/action", "\"delete\"", FX_ACTION_DELETE, -1, -1 },
		{ "changes/0/risk", "\"safe\"", -1, FX_RISK_SAFE, -1 },
		{ "changes/0/risk", "\"restart\"", -1, FX_RISK_RESTART, -1 },
		{ "changes/0/risk", "\"resnapshot\"", -1, FX_RISK_RESNAPSHOT, -1 },
		{ "changes/0/risk", "\"destroy\"", -1, FX_RISK_DESTROY, -1 },
		{ "changes/0/diff/1/op", "\"add\"", -1, -1, FX_DIFF_ADD },
		{ "changes/0/diff/1/op", "\"change\"", -1, -1, FX_DIFF_CHANGE },
		{ "changes/0/diff/1/op", "\"remove\"", -1, -1, FX_DIFF_REMOVE },
	};
	static const char *const levels[] = { "info", "warning", "error" };
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *json = edited(cases[i].path, cases[i].value);
		struct fx_plan p;
		struct fx_err err = FX_ERR_INIT;

		cr_assert_eq(read_plan(json, &p, &err), 0, "%s: %s", cases[i].value, err.msg);
		if (cases[i].action >= 0)
			cr_expect_eq(p.changes[0].action, (enum fx_action)cases[i].action, "%s", cases[i].value);
		if (cases[i].risk >= 0)
			cr_expect_eq(p.changes[0].risk, (enum fx_risk)cases[i].risk, "%s", cases[i].value);
		if (cases[i].op >= 0)
			cr_expect_eq(p.changes[0].diff[1].op, (enum fx_diff_op)cases[i].op, "%s", cases[i].value);
		fx_plan_release(&p);
		free(json);
	}
	for (i = 0; i < 3; i++) {
		char v[32], *json;
		struct fx_plan p;
		struct fx_err err = FX_ERR_INIT;

		snprintf(v, sizeof(v), "\"%s\"", levels[i]);
		json = edited("checks/0/level", v);
		cr_assert_eq(read_plan(json, &p, &err), 0, "%s", err.msg);
		cr_expect_eq(p.checks.items[0].level, (enum fx_check_level)i, "%s", levels[i]);
		fx_plan_release(&p);
		free(json);
	}
	{
		char *json = edited("fingerprint/connectors/1",
				    "{\"connect_url\": \"http://127.0.0.1:18083\", \"connector\": \"fluxa_users\","
				    " \"observed\": \"sha256:" HEX64 "\"}");
		char *json2;
		struct fx_plan p;
		struct fx_err err = FX_ERR_INIT;
		json_t *root = json_loads(json, 0, NULL);

		/* json_array_set_new past the end does nothing: append instead */
		free(json);
		cr_assert_not_null(root);
		{
			json_t *o = json_object();

			json_object_set_new(o, "connect_url", json_string("http://other:8083"));
			json_object_set_new(o, "connector", json_string("fluxa_new"));
			json_object_set_new(o, "observed", json_null());
			json_array_append_new(json_object_get(json_object_get(root, "fingerprint"), "connectors"), o);
		}
		json_array_append_new(json_object_get(json_object_get(root, "fingerprint"), "connectors"),
				      json_pack("{s:s, s:s, s:s}", "connect_url", "http://127.0.0.1:18083",
						"connector", "fluxa_users", "observed", "sha256:" HEX64));
		json_object_set_new(root, "db_checks_skipped", json_true());
		json_object_set_new(json_object_get(root, "manifest"), "sha256", json_string(""));
		json2 = json_dumps(root, 0);
		json_decref(root);
		cr_assert_eq(read_plan(json2, &p, &err), 0, "%s", err.msg);
		free(json2);
		cr_expect_eq(p.db_checks_skipped, 1);
		cr_expect_str_eq(p.manifest_sha256, "");
		cr_assert_eq(p.n_unchanged, 2, "unchanged: %zu (%s)", p.n_unchanged, p.n_unchanged ? p.unchanged[0].connector : "");
		cr_expect_str_eq(p.unchanged[0].connector, "fluxa_new");
		cr_expect_str_eq(p.unchanged[0].connect_url, "http://other:8083");
		cr_expect_null(p.unchanged[0].observed_fp);
		cr_expect_str_eq(p.unchanged[1].connector, "fluxa_users");
		cr_expect_str_eq(p.unchanged[1].observed_fp, "sha256:" HEX64);
		fx_plan_release(&p);
	}
}
