/*
 * fluxacdc snapshot ENTITY... [--where SQL] [--wait SECONDS]: asks Debezium
 * for an incremental snapshot of the entities' tables (their current rows
 * re-emitted as `r` events) over the connector's Kafka signal topic, and with
 * --wait follows its notifications to the end.  Refuses an entity that is not
 * captured, a connector that is absent or not RUNNING, and a connector whose
 * config cannot take a Kafka signal.  Glue only: snapshot_kafka.c does the work.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "cmd_common.h"
#include "cmd_snapshot.h"
#include "connect.h"
#include "desired.h"
#include "util/alloc.h"
#include "util/str.h"

enum { SNAP_WHERE = 1, SNAP_WAIT };

static const struct fx_optdef snapshot_optdefs[] = {
	{ .id = SNAP_WHERE, .lname = "where", .has_arg = 1, .argname = "SQL",
	  .help = "only the rows matching this condition (Debezium's additional-conditions), e.g. \"ID <= 10\"" },
	{ .id = SNAP_WAIT, .lname = "wait", .has_arg = 1, .argname = "SECONDS",
	  .help = "follow the snapshot to its end, at most this long, progress on stderr (default: send the signal and return)" },
	{ .id = 0 },
};

struct snapshot_args {
	const char *where;
	int wait_s;   /* 0: do not follow */
};

static int snapshot_opt(int id, const char *arg, void *ctx, struct fx_err *err)
{
	struct snapshot_args *a = ctx;
	uint64_t v;

	if (id == SNAP_WHERE) {
		if (!*arg)
			return fx_err_set(err, FX_EXIT_USAGE, "--where needs a condition, e.g. --where \"ID <= 10\"");
		a->where = arg;
	} else if (id == SNAP_WAIT) {
		if (fx_str_to_u64(arg, 1, 86400, &v) < 0)
			return fx_err_set(err, FX_EXIT_USAGE,
					  "--wait takes whole seconds from 1 to 86400, not '%s'", arg);
		a->wait_s = (int)v;
	}
	return 0;
}

/* ------------------------------------------------------------ shared glue */

void fx_cmd_snapshot_kafka(const struct fx_kafka_pool *kp, int timeout_s, struct fx_buf *brokers,
			   struct fx_snap_kafka *k)
{
	size_t i;

	for (i = 0; i < kp->n_brokers; i++)
		fx_buf_addf(brokers, "%s%s", i ? "," : "", kp->brokers[i]);
	k->brokers = fx_buf_str(brokers);
	k->config = kp->config;
	k->n_config = kp->n_config;
	k->timeout_ms = (timeout_s > 0 ? timeout_s : 10) * 1000;
}

const char *fx_cmd_snapshot_status(const struct fx_snap_outcome *o)
{
	const char *s = fx_snapshot_progress_status(&o->progress);

	if (!strcmp(s, "failed") || !strcmp(s, "completed"))
		return s;
	if (o->interrupted)
		return "interrupted";
	if (o->timed_out)
		return "timed out";
	return o->sent ? "sent" : "already sent";
}

void fx_cmd_snapshot_reasons(const struct fx_snap_outcome *o, struct fx_buf *b)
{
	size_t i;
	int first = 1;

	for (i = 0; i < o->progress.n; i++) {
		const struct fx_snap_table *t = &o->progress.tables[i];

		if (t->state != FX_SNAP_FAILED)
			continue;
		fx_buf_addf(b, "%s%s: %s", first ? "" : "; ", t->name, t->reason ? t->reason : "failed");
		first = 0;
	}
}

json_t *fx_cmd_snapshot_json(const struct fx_snap_outcome *o)
{
	json_t *j = json_object(), *tables = json_array();
	long long rows = fx_snapshot_progress_rows(&o->progress);
	size_t i;

	for (i = 0; i < o->progress.n; i++)
		json_array_append_new(tables, json_string(o->progress.tables[i].name));
	json_object_set_new(j, "tables", tables);
	json_object_set_new(j, "status", json_string(fx_cmd_snapshot_status(o)));
	json_object_set_new(j, "rows", rows >= 0 ? json_integer(rows) : json_null());
	json_object_set_new(j, "id", json_string(o->id ? o->id : ""));
	json_object_set_new(j, "sent", json_boolean(o->sent));
	json_object_set_new(j, "elapsed_s", json_real((double)(long long)(o->elapsed_s * 10) / 10));
	if (!strcmp(fx_cmd_snapshot_status(o), "failed")) {
		struct fx_buf b = FX_BUF_INIT;

		fx_cmd_snapshot_reasons(o, &b);
		json_object_set_new(j, "reason", json_string(fx_buf_str(&b)));
		fx_buf_release(&b);
	}
	return j;
}

void fx_cmd_snapshot_progress(void *ctx, const struct fx_snap_progress *p,
			      const struct fx_snap_tick *t)
{
	struct fx_cmd_snap_ctx *c = ctx;
	char line[512], gist[256];
	size_t i, done = fx_snapshot_progress_count(p, FX_SNAP_DONE);
	const struct fx_snap_table *cur = NULL;
	long long rows = fx_snapshot_progress_rows(p);

	if (c->opts && c->opts->quiet)
		return;
	for (i = 0; i < p->n; i++)
		if (p->tables[i].state == FX_SNAP_RUNNING)
			cur = &p->tables[i];
	if (!p->started) {
		snprintf(gist, sizeof(gist), "waiting");
		snprintf(line, sizeof(line), "waiting for Debezium to pick up signal %s%s", t->id,
			 t->elapsed_s >= 15 ? " (after a task (re)start Debezium's signal reader takes a while: about 40 s on the local stack, 3.2 and 3.5 alike)" : "");
	} else if (cur) {
		snprintf(gist, sizeof(gist), "%s %s", cur->name, cur->last_key ? cur->last_key : "");
		snprintf(line, sizeof(line), "%zu/%zu tables done, reading %s: key %s of %s", done, p->n,
			 cur->name, cur->last_key ? cur->last_key : "?", cur->max_key ? cur->max_key : "?");
	} else {
		snprintf(gist, sizeof(gist), "%zu", done);
		snprintf(line, sizeof(line), "%zu/%zu tables done", done, p->n);
	}
	if (rows >= 0)
		snprintf(line + strlen(line), sizeof(line) - strlen(line), ", %lld rows", rows);
	if (p->started && !fx_snapshot_progress_finished(p) && t->idle_s >= 15)
		snprintf(line + strlen(line), sizeof(line) - strlen(line),
			 "; no progress for %.0f s: a read-only incremental snapshot closes each chunk when the server writes to its binlog, so on an idle database it waits for the next write",
			 t->idle_s);
	/* a new state at once; the same one again every 10 s */
	if (!strcmp(gist, c->last) && t->elapsed_s - c->last_print < 10)
		return;
	snprintf(c->last, sizeof(c->last), "%s", gist);
	c->last_print = t->elapsed_s;
	fprintf(stderr, "fluxacdc: %s: snapshot: %s (%.0f s)\n", c->connector, line, t->elapsed_s);
}

/* ------------------------------------------------------------ the command */

/* One connector's part of the request. */
struct snapshot_group {
	const struct fx_connector *c;
	const char **tables;   /* lent from the manifest */
	size_t n;
};

static int snapshot_in_live_list(const char *list, const char *db, const char *table)
{
	char **added = NULL;
	size_t n = 0;
	int in;
	char *entry = fx_asprintf("%s.%s", db, table);

	/* the table is in the list when "adding" it to the list adds nothing */
	if (!entry)
		return 0;
	if (fx_snapshot_added_tables(list, entry, db, &added, &n) < 0) {
		free(entry);
		return 0;
	}
	in = n == 0;
	fx_snapshot_tables_free(added, n);
	free(entry);
	return in;
}

static int snapshot_running(const struct fx_observed_connector *o, const char **why)
{
	size_t i;

	*why = o->state ? o->state : "in an unknown state";
	if (!o->state || strcmp(o->state, "RUNNING"))
		return 0;
	if (!o->n_tasks) {
		*why = "RUNNING with no task";
		return 0;
	}
	for (i = 0; i < o->n_tasks; i++)
		if (!o->tasks[i].state || strcmp(o->tasks[i].state, "RUNNING")) {
			*why = o->tasks[i].state ? o->tasks[i].state : "in an unknown state";
			return 0;
		}
	return 1;
}

static int snapshot_one(const struct fx_opts *opts, const struct snapshot_args *a,
			const struct snapshot_group *g, const char *token, json_t *results, int *failed)
{
	struct fx_net net = FX_NET_INIT;
	struct fx_connect_client *cl = NULL;
	struct fx_observed_connector st = { 0 };
	struct fx_config live = FX_CONFIG_INIT;
	struct fx_err err = FX_ERR_INIT;
	struct fx_buf brokers = FX_BUF_INIT;
	struct fx_snap_kafka k = { 0 };
	struct fx_snap_run r = { 0 };
	struct fx_snap_outcome out = FX_SNAP_OUTCOME_INIT;
	struct fx_cmd_snap_ctx pc = { 0 };
	const char *why, *db = g->c->mysql->database, *list;
	int found = 0, ret = FX_EXIT_FAILURE;
	size_t i;

	net.timeout_s = opts->timeout_s;
	net.interrupt = &fx_interrupted;
	net.log = fx_cli_log;
	net.log_ctx = (void *)opts;
	if (fx_connect_client_new(g->c->kafka, &net, &cl, NULL, &err) < 0 ||
	    fx_connect_get_status(cl, g->c->name, &st, &found, &err) < 0) {
		fx_errorf("snapshot: %s", err.msg);
		goto cleanup;
	}
	if (!found) {
		fx_errorf("snapshot: connector '%s' does not exist on %s: run 'fluxacdc apply' first",
			  g->c->name, g->c->kafka->connect_url);
		goto cleanup;
	}
	if (!snapshot_running(&st, &why)) {
		fx_errorf("snapshot: connector '%s' is %s, not RUNNING: Debezium reads signals only while its task runs (resume it, or see 'fluxacdc status')",
			  g->c->name, why);
		goto cleanup;
	}
	if (fx_connect_get_config(cl, g->c->name, &live, &found, &err) < 0 || !found) {
		fx_errorf("snapshot: %s", found ? err.msg : "the connector disappeared");
		goto cleanup;
	}
	why = fx_snapshot_unsupported(&live, fx_config_get(&live, "connector.class") &&
						    !strcmp(fx_config_get(&live, "connector.class"), FX_CLASS_MARIADB));
	if (why) {
		fx_errorf("snapshot: connector '%s': %s", g->c->name, why);
		goto cleanup;
	}
	list = fx_config_get(&live, "table.include.list");
	for (i = 0; i < g->n; i++)
		if (!list || !snapshot_in_live_list(list, db, g->tables[i])) {
			fx_errorf("snapshot: table '%s.%s' is not in connector '%s''s table.include.list yet: run 'fluxacdc apply' first",
				  db, g->tables[i], g->c->name);
			goto cleanup;
		}
	fx_cmd_snapshot_kafka(g->c->kafka, opts->timeout_s, &brokers, &k);
	r.req.connector = fx_config_get(&live, "topic.prefix") ? fx_config_get(&live, "topic.prefix") : g->c->name;
	r.req.database = db;
	r.req.tables = g->tables;
	r.req.n_tables = g->n;
	r.req.where = a->where;
	r.req.token = token;
	r.signal_topic = fx_config_get(&live, "signal.kafka.topic");
	r.notification_topic = fx_config_get(&live, "notification.sink.topic.name");
	r.follow = a->wait_s > 0;
	r.wait_s = a->wait_s;
	r.interrupt = &fx_interrupted;
	r.progress = fx_cmd_snapshot_progress;
	pc.opts = opts;
	pc.connector = g->c->name;
	pc.last_print = -100;
	r.progress_ctx = &pc;
	if (fx_snapshot_kafka_run(&k, &r, &out, &err) < 0) {
		fx_errorf("snapshot: connector '%s': %s", g->c->name, err.msg);
		goto cleanup;
	}
	if (results) {
		json_t *j = fx_cmd_snapshot_json(&out);

		json_object_set_new(j, "connector", json_string(g->c->name));
		json_array_append_new(results, j);
	} else {
		long long rows = fx_snapshot_progress_rows(&out.progress);

		printf("%s: snapshot of", g->c->name);
		for (i = 0; i < out.progress.n; i++)
			printf("%s %s", i ? "," : "", out.progress.tables[i].name);
		printf(": %s", fx_cmd_snapshot_status(&out));
		if (rows >= 0)
			printf(", %lld rows", rows);
		printf(" (signal %s, %.1f s)\n", out.id, out.elapsed_s);
	}
	if (!strcmp(fx_cmd_snapshot_status(&out), "failed")) {
		struct fx_buf b = FX_BUF_INIT;

		fx_cmd_snapshot_reasons(&out, &b);
		fx_errorf("snapshot: connector '%s': Debezium did not snapshot %s", g->c->name, fx_buf_str(&b));
		fx_buf_release(&b);
		goto cleanup;
	}
	if (out.interrupted) {
		ret = FX_EXIT_INTERRUPTED;
		goto cleanup;
	}
	if (out.timed_out) {
		fx_errorf("snapshot: connector '%s': not finished after %d s; Debezium goes on with it ('fluxacdc status' shows its progress)",
			  g->c->name, a->wait_s);
		goto cleanup;
	}
	ret = 0;
cleanup:
	if (ret)
		*failed = 1;
	fx_snap_outcome_release(&out);
	fx_buf_release(&brokers);
	fx_config_release(&live);
	fx_observed_connector_release(&st);
	if (cl)
		fx_connect_client_free(cl);
	return ret;
}

static int cmd_snapshot_run(const struct fx_cmd *self, int argc, char **argv, struct fx_opts *opts)
{
	static const char *const formats[] = { "text", "json", NULL };
	struct snapshot_args a = { 0 };
	struct fx_manifest m = FX_MANIFEST_INIT;
	struct fx_desired d = FX_DESIRED_INIT;
	struct fx_err err = FX_ERR_INIT;
	struct snapshot_group *groups = NULL;
	const char *format;
	json_t *results = NULL;
	size_t ng = 0, i, j;
	int first, ret, failed = 0;
	char token[64];
	struct timespec ts;

	if (fx_cli_parse(argc, argv, self, snapshot_opt, &a, opts, &first, &err) < 0 ||
	    fx_cli_format(opts, formats, "text", &format, &err) < 0)
		return fx_cmd_fail(&err);
	if (first >= argc) {
		fx_err_set(&err, FX_EXIT_USAGE, "snapshot: name at least one entity (see 'fluxacdc topics')");
		return fx_cmd_fail(&err);
	}
	ret = fx_cmd_load_desired(opts, &m, &d);
	if (ret)
		return ret;
	groups = fx_calloc(d.n ? d.n : 1, sizeof(*groups));
	for (i = 0; groups && i < d.n; i++) {
		groups[i].c = &d.connectors[i];
		groups[i].tables = fx_calloc((size_t)(argc - first), sizeof(*groups[i].tables));
		if (!groups[i].tables)
			break;
	}
	if (!groups || i < d.n) {
		fx_errorf("out of memory");
		ret = FX_EXIT_FAILURE;
		goto cleanup;
	}
	ng = d.n;
	for (j = (size_t)first; j < (size_t)argc; j++) {
		const struct fx_entity *e = fx_manifest_entity(&m, argv[j]);
		const struct fx_kafka_pool *kp;
		const struct fx_mysql_pool *mp;

		if (!e) {
			const char **names = fx_calloc(m.n_entities ? m.n_entities : 1, sizeof(*names));
			const char *close = NULL;

			for (i = 0; names && i < m.n_entities; i++)
				names[i] = m.entities[i].name;
			if (names)
				close = fx_str_suggest(argv[j], names, m.n_entities);
			fx_errorf("snapshot: no entity '%s' in %s%s%s%s", argv[j], m.path,
				  close ? " (did you mean '" : "", close ? close : "", close ? "'?)" : "");
			free(names);
			ret = FX_EXIT_FAILURE;
			goto cleanup;
		}
		if (!e->kafka_pool) {
			fx_errorf("snapshot: entity '%s' is not captured (no debezium tag): Debezium has no connector reading table '%s'",
				  e->name, e->table);
			ret = FX_EXIT_FAILURE;
			goto cleanup;
		}
		kp = fx_manifest_kafka(&m, e->kafka_pool);
		mp = fx_manifest_mysql(&m, e->mysql_pool);
		for (i = 0; i < ng; i++)
			if (groups[i].c->kafka == kp && groups[i].c->mysql == mp)
				break;
		if (i == ng) {
			fx_errorf("snapshot: entity '%s': no connector captures it", e->name);
			ret = FX_EXIT_FAILURE;
			goto cleanup;
		}
		groups[i].tables[groups[i].n++] = e->table;
	}
	/* an on-demand snapshot is a new one each time: the id's token is this run */
	clock_gettime(CLOCK_REALTIME, &ts);
	snprintf(token, sizeof(token), "snapshot %lld.%09ld %ld", (long long)ts.tv_sec, ts.tv_nsec,
		 (long)getpid());
	fx_cli_catch_signals();
	if (format[0] == 'j')
		results = json_array();
	for (i = 0; i < ng && !fx_interrupted; i++)
		if (groups[i].n) {
			int r = snapshot_one(opts, &a, &groups[i], token, results, &failed);

			if (r)
				ret = r;
		}
	if (results) {
		json_t *root = json_pack("{s:o}", "snapshots", results);

		json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
		json_decref(root);
	}
	if (failed && !ret)
		ret = FX_EXIT_FAILURE;
cleanup:
	for (i = 0; groups && i < d.n; i++)
		free(groups[i].tables);
	free(groups);
	fx_desired_release(&d);
	fx_manifest_release(&m);
	return ret;
}

const struct fx_cmd fx_cmd_snapshot = {
	.name = "snapshot",
	.run = cmd_snapshot_run,
	.args = "ENTITY...",
	.summary = "Re-emit the entities' current rows as r events (a Debezium incremental snapshot).",
	.optdefs = snapshot_optdefs,
};
