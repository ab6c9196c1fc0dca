/* offsets_checks.c: the checks from stored offsets, one table row per situation,
 * offsets taken from the recorded answers (tests/fixtures/offsets/). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "helpers.h"
#include "offsets_checks.h"

#define URL "http://connect:8083"
#define NOW 1796034600

static void load_offsets(const char *name, struct fx_offsets *o)
{
	char rel[256];
	struct fx_err err = FX_ERR_INIT;
	size_t len;
	char *s;

	snprintf(rel, sizeof(rel), "tests/fixtures/offsets/%s", name);
	s = fx_test_read(fx_test_path(rel), &len);
	cr_assert_not_null(s, "%s", rel);
	cr_assert_eq(fx_offsets_parse(s, len, o, &err), 0, "%s", err.msg);
	free(s);
}

Test(offsets_checks, situations)
{
	static const struct {
		const char *what;
		const char *fixture;   /* stored offsets; NULL: none read */
		const char *version;   /* Connect's */
		const char *files[3];  /* SHOW BINARY LOGS */
		int update;            /* the plan updates the connector */
		int offsets_error;
		const char *want_id;   /* NULL: no check */
		enum fx_check_level want_level;
		const char *want_text; /* in the message */
	} t[] = {
		{ "streaming, file there", "mariadb-3.2-streaming.json", "3.9.1",
		  { "mariadb-bin.000001", "mariadb-bin.000002", NULL }, 0, 0, NULL, 0, NULL },
		{ "streaming, file purged", "mariadb-3.2-streaming.json", "4.1.1",
		  { "mariadb-bin.000002", NULL, NULL }, 0, 0, "mysql.binlog_position", FX_CHECK_ERROR,
		  "mariadb-bin.000001:3953 (GTID 0-1-18) is no longer on the server" },
		{ "snapshot, file purged: starts over anyway", "mariadb-3.2-snapshot.json", "3.9.1",
		  { "mariadb-bin.000002", NULL, NULL }, 0, 0, NULL, 0, NULL },
		{ "snapshot and an update", "mariadb-3.2-snapshot.json", "3.9.1",
		  { "mariadb-bin.000001", NULL, NULL }, 1, 0, "connect.snapshot", FX_CHECK_WARNING,
		  "still in its initial snapshot" },
		{ "streaming and an update", "mariadb-3.2-streaming.json", "3.9.1",
		  { "mariadb-bin.000001", NULL, NULL }, 1, 0, NULL, 0, NULL },
		{ "Connect 3.4: not shown", NULL, "3.4.1", { "mariadb-bin.000002", NULL, NULL }, 0, 0,
		  "connect.offsets", FX_CHECK_INFO, "needs 3.5" },
		{ "read failed", NULL, "3.9.1", { "mariadb-bin.000002", NULL, NULL }, 0, 1,
		  "connect.offsets", FX_CHECK_WARNING, "not read: GET" },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct fx_kafka_pool kp = { .code = (char *)"default", .connect_url = (char *)URL };
		struct fx_mysql_pool mp = { .code = (char *)"default" };
		struct fx_manifest m = { .mysql = &mp, .n_mysql = 1, .kafka = &kp, .n_kafka = 1 };
		struct fx_connector dc = { .name = (char *)(t[i].fixture && strstr(t[i].fixture, "snapshot") ?
							    "fluxa_snap2" : "fluxa_default"),
					   .kafka = &kp, .mysql = &mp };
		struct fx_desired d = { .connectors = &dc, .n = 1 };
		struct fx_observed_connector oc = { .name = dc.name };
		struct fx_observed_cluster cl = { .connect_url = (char *)URL, .kafka_pool = (char *)"default",
						  .reachable = 1, .version = (char *)t[i].version,
						  .connectors = &oc, .n_connectors = 1 };
		struct fx_mysql_result res = { .inspected = 1, .reachable = 1, .retention_s = 604800 };
		struct fx_change ch = { .action = FX_ACTION_UPDATE, .connector = dc.name,
					.connect_url = (char *)URL };
		struct fx_plan plan = { .changes = &ch, .n_changes = 1 };
		struct fx_checks out = FX_CHECKS_INIT;
		size_t k, found = 0;

		cl.offsets_supported = strcmp(t[i].version, "3.5") >= 0;
		cr_assert_eq(fx_config_set(&oc.config, "topic.prefix", dc.name), 0);
		if (t[i].fixture) {
			load_offsets(t[i].fixture, &oc.offsets);
			oc.offsets_read = 1;
		}
		if (t[i].offsets_error)
			oc.offsets_error = strdup("GET " URL "/connectors/fluxa_default/offsets: HTTP 500");
		for (k = 0; k < 3 && t[i].files[k]; k++)
			cr_assert_eq(fx_binlog_state_add_file(&res.binlog, t[i].files[k], 30000), 0);
		res.binlog.have_files = 1;
		res.binlog.have_current = 1;
		res.binlog.current_file = strdup(res.binlog.files[res.binlog.n_files - 1].name);
		res.binlog.current_pos = 389;

		cr_assert_eq(fx_offsets_checks(&m, &d, &cl, 1, &res, t[i].update ? &plan : NULL, NOW,
					       &out), 0);
		for (k = 0; k < out.n; k++) {
			const struct fx_check *c = &out.items[k];

			if (!t[i].want_id || strcmp(c->id, t[i].want_id)) {
				cr_expect_fail("%s: unexpected %s: %s", t[i].what, c->id, c->message);
				continue;
			}
			found++;
			cr_expect_eq(c->level, t[i].want_level, "%s: level", t[i].what);
			cr_expect(strstr(c->message, t[i].want_text), "%s: %s", t[i].what, c->message);
			if (!strcmp(c->id, "mysql.binlog_position")) {
				cr_expect_str_eq(c->scope, "mysql:default");
				cr_expect(strstr(c->hint, "--reset-offsets"), "%s", c->hint);
				cr_expect(strstr(c->hint, "snapshot.mode: no_data"), "%s", c->hint);
			}
		}
		cr_expect_eq(found, t[i].want_id ? 1 : 0, "%s: %zu checks", t[i].what, found);
		fx_checks_release(&out);
		fx_config_release(&oc.config);
		fx_offsets_release(&oc.offsets);
		free(oc.offsets_error);
		fx_binlog_state_release(&res.binlog);
	}
}

Test(offsets_checks, no_databases_inspected)
{
	struct fx_kafka_pool kp = { .code = (char *)"default", .connect_url = (char *)URL };
	struct fx_mysql_pool mp = { .code = (char *)"default" };
	struct fx_manifest m = { .mysql = &mp, .n_mysql = 1, .kafka = &kp, .n_kafka = 1 };
	struct fx_connector dc = { .name = (char *)"fluxa_default", .kafka = &kp, .mysql = &mp };
	struct fx_desired d = { .connectors = &dc, .n = 1 };
	struct fx_observed_connector oc = { .name = dc.name, .offsets_read = 1 };
	struct fx_observed_cluster cl = { .connect_url = (char *)URL, .reachable = 1,
					  .version = (char *)"3.9.1", .offsets_supported = 1,
					  .connectors = &oc, .n_connectors = 1 };
	struct fx_checks out = FX_CHECKS_INIT;

	load_offsets("mariadb-3.2-streaming.json", &oc.offsets);
	cr_assert_eq(fx_offsets_checks(&m, &d, &cl, 1, NULL, NULL, NOW, &out), 0);
	cr_expect_eq(out.n, 0);
	fx_offsets_release(&oc.offsets);
}

/* kafka.history_topic and connect.offsets from what the brokers said. */
Test(offsets_checks, kafka_side)
{
	static const struct {
		const char *what;
		int live;            /* the connector exists live with offsets */
		int exists, partitions;
		const char *retention_ms;
		int leftover;        /* (not live) Connect holds offsets for the name */
		int reachable;
		const char *want_id;
		enum fx_check_level want_level;
		const char *want_text;
	} t[] = {
		{ "history fine", 1, 1, 1, "-1", 0, 1, NULL, 0, NULL },
		{ "history missing", 1, 0, 0, NULL, 0, 1, "kafka.history_topic", FX_CHECK_ERROR, "is missing" },
		{ "history with 3 partitions", 1, 1, 3, "-1", 0, 1, "kafka.history_topic", FX_CHECK_WARNING, "3 partitions" },
		{ "history expires", 1, 1, 1, "604800000", 0, 1, "kafka.history_topic", FX_CHECK_WARNING, "expires records" },
		{ "history as Debezium creates it: Long.MAX_VALUE never expires", 1, 1, 1, "9223372036854775807", 0, 1,
		  NULL, 0, NULL },
		{ "history a day short of forever still expires", 1, 1, 1, "9223372036768375807", 0, 1,
		  "kafka.history_topic", FX_CHECK_WARNING, "expires records" },
		{ "a create over leftover offsets", 0, 0, 0, NULL, 1, 1, "connect.offsets", FX_CHECK_WARNING,
		  "still holds offsets" },
		{ "a create, nothing left", 0, 0, 0, NULL, 0, 1, NULL, 0, NULL },
		{ "brokers unreachable", 1, 0, 0, NULL, 0, 0, "kafka.history_topic", FX_CHECK_WARNING, "not checked" },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct fx_kafka_pool kp = { .code = (char *)"default", .connect_url = (char *)URL };
		struct fx_mysql_pool mp = { .code = (char *)"default" };
		struct fx_manifest m = { .mysql = &mp, .n_mysql = 1, .kafka = &kp, .n_kafka = 1 };
		struct fx_connector dc = { .name = (char *)"fluxa_default", .kafka = &kp, .mysql = &mp };
		struct fx_desired d = { .connectors = &dc, .n = 1 };
		struct fx_observed_connector oc = { .name = dc.name, .offsets_read = 1 };
		struct fx_observed_cluster cl = { .connect_url = (char *)URL, .reachable = 1,
						  .version = (char *)"3.9.1", .offsets_supported = 1,
						  .connectors = &oc, .n_connectors = t[i].live ? 1 : 0 };
		struct fx_kafka_topic_facts topic = { .name = (char *)"fluxa_default_schema_history",
						     .exists = t[i].exists, .partitions = t[i].partitions,
						     .retention_ms = (char *)t[i].retention_ms };
		struct fx_kafka_leftover lo = { .connector = (char *)"fluxa_default",
						.server = (char *)"fluxa_default", .found = t[i].leftover,
						.topic = (char *)"connect-offsets" };
		struct fx_kafka_facts f = { .reachable = t[i].reachable, .error = (char *)"timed out",
					    .topics = &topic, .n_topics = 1, .leftover = &lo, .n_leftover = 1 };
		struct fx_checks out = FX_CHECKS_INIT;
		int asked = 1;
		size_t k, found = 0;

		cr_assert_eq(fx_config_set(&dc.config, "schema.history.internal.kafka.topic",
					   "fluxa_default_schema_history"), 0);
		load_offsets("mariadb-3.2-streaming.json", &oc.offsets);
		if (t[i].leftover)
			load_offsets("mariadb-3.2-streaming.json", &lo.offsets);
		cr_assert_eq(fx_kafka_offsets_checks(&m, &d, &cl, 1, NULL, &f, &asked, &out), 0);
		for (k = 0; k < out.n; k++) {
			if (!t[i].want_id || strcmp(out.items[k].id, t[i].want_id)) {
				cr_expect_fail("%s: unexpected %s: %s", t[i].what, out.items[k].id, out.items[k].message);
				continue;
			}
			found++;
			cr_expect_eq(out.items[k].level, t[i].want_level, "%s", t[i].what);
			cr_expect(strstr(out.items[k].message, t[i].want_text), "%s: %s", t[i].what,
				  out.items[k].message);
		}
		cr_expect_eq(found, t[i].want_id ? 1 : 0, "%s: %zu checks", t[i].what, found);
		if (t[i].leftover)
			cr_expect(strstr(out.items[0].message, "mariadb-bin.000001:3953"), "%s", out.items[0].message);
		fx_checks_release(&out);
		fx_config_release(&dc.config);
		fx_offsets_release(&oc.offsets);
		fx_offsets_release(&lo.offsets);
	}
}

/* connect.offsets' hint follows the cluster's version: --reset-offsets needs
 * Connect 3.7 (a create STOPPED), so an older one is told what it can do. */
Test(kafka_offsets_checks, leftover_hint_by_connect_version)
{
	static const struct {
		const char *version;
		const char *want, *not_want;
	} t[] = {
		{ "3.9.1", "apply --reset-offsets creates it STOPPED", "needs Kafka Connect 3.7" },
		{ "3.7.0", "apply --reset-offsets creates it STOPPED", "needs Kafka Connect 3.7" },
		{ "3.6.0", "needs Kafka Connect 3.7 (a create with initial_state STOPPED) and " URL " runs 3.6.0", "creates it STOPPED, deletes" },
		{ "3.4.0", "apply --keep-offsets resumes from them", "creates it STOPPED, deletes" },
		{ NULL, "runs an unknown version", "creates it STOPPED, deletes" },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct fx_kafka_pool kp = { .code = (char *)"default", .connect_url = (char *)URL };
		struct fx_mysql_pool mp = { .code = (char *)"default" };
		struct fx_manifest m = { .mysql = &mp, .n_mysql = 1, .kafka = &kp, .n_kafka = 1 };
		struct fx_connector dc = { .name = (char *)"fluxa_default", .kafka = &kp, .mysql = &mp };
		struct fx_desired d = { .connectors = &dc, .n = 1 };
		struct fx_observed_cluster cl = { .connect_url = (char *)URL, .reachable = 1,
						  .version = (char *)t[i].version,
						  .offsets_supported = 1 };
		struct fx_kafka_leftover lo = { .connector = (char *)"fluxa_default",
						.server = (char *)"fluxa_default", .found = 1,
						.topic = (char *)"connect-offsets" };
		struct fx_kafka_facts f = { .reachable = 1, .leftover = &lo, .n_leftover = 1 };
		struct fx_checks out = FX_CHECKS_INIT;
		int asked = 1;

		load_offsets("mariadb-3.2-streaming.json", &lo.offsets);
		cr_assert_eq(fx_kafka_offsets_checks(&m, &d, &cl, 1, NULL, &f, &asked, &out), 0);
		cr_assert_eq(out.n, 1, "%s: %zu checks", t[i].version ? t[i].version : "(null)", out.n);
		cr_expect_str_eq(out.items[0].id, "connect.offsets");
		cr_expect(strstr(out.items[0].hint, t[i].want), "%s", out.items[0].hint);
		cr_expect(!strstr(out.items[0].hint, t[i].not_want), "%s", out.items[0].hint);
		fx_checks_release(&out);
		fx_offsets_release(&lo.offsets);
	}
}
