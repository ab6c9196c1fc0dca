/*
 * fluxacdc status: every managed (fluxa_*) connector on every Connect cluster
 * of the manifest, its state, each task's state and worker, the first lines
 * of any trace, and whether the manifest wants it (orphans flagged, desired
 * ones not created yet shown as absent), and from the stored offsets the
 * phase (snapshot / streaming), the binlog position and how far it is behind
 * the server's current one (bytes, files).  Exit 1 when a cluster cannot be
 * read or a managed connector or task is FAILED, so it can gate a deploy.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>

#include <jansson.h>

#include "cmd_common.h"
#include "cmd_snapshot.h"
#include "connect.h"
#include "desired.h"
#include "mysql_inspect.h"
#include "offsets_checks.h"
#include "util/alloc.h"
#include "util/str.h"
#include "version.h"

#define STATUS_TRACE_LINES 5

enum { STATUS_CONNECTOR = 1 };

static const struct fx_optdef status_optdefs[] = {
	{ .id = STATUS_CONNECTOR, .lname = "connector", .has_arg = 1, .argname = "NAME",
	  .help = "only this connector" },
	{ .id = 0 },
};

struct status_args {
	const char *connector;
};

static int status_opt(int id, const char *arg, void *ctx, struct fx_err *err)
{
	struct status_args *a = ctx;

	(void)err;
	if (id == STATUS_CONNECTOR)
		a->connector = arg;
	return 0;
}

/* One row: a managed connector seen on a cluster, or a desired one not there. */
struct status_row {
	const char *name;
	const struct fx_observed_connector *live; /* NULL: absent */
	const struct fx_connector *want;          /* NULL: orphan */
	const struct fx_mysql_result *db;         /* its pool's server, NULL: not known */
	/* the newest incremental snapshot on its notification topic (found: 1) */
	int snap_found;
	struct fx_snap_progress snap;
	const char *snap_error;                   /* Kafka could not be asked (lent) */
};

struct status_totals {
	size_t connectors, running, paused, stopped, failed, orphans, absent, unreachable;
};

static const struct fx_connector *status_wanted(const struct fx_desired *d, const char *url,
						 const char *name)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (d->connectors[i].kafka->connect_url && !strcmp(d->connectors[i].name, name) &&
		    !strcmp(d->connectors[i].kafka->connect_url, url))
			return &d->connectors[i];
	return NULL;
}

static int status_row_cmp(const void *a, const void *b)
{
	return strcmp(((const struct status_row *)a)->name, ((const struct status_row *)b)->name);
}

/* The rows of one cluster, sorted by name (caller frees the array). */
static struct status_row *status_rows(const struct fx_observed_cluster *cl,
				      const struct fx_desired *d, const char *only, size_t *n)
{
	struct status_row *rows = fx_calloc(cl->n_connectors + d->n + 1, sizeof(*rows));
	size_t i;

	*n = 0;
	if (!rows)
		return NULL;
	for (i = 0; i < cl->n_connectors; i++) {
		const struct fx_observed_connector *o = &cl->connectors[i];

		if (!fx_connect_is_managed(o->name) || (only && strcmp(only, o->name)))
			continue;
		rows[*n].name = o->name;
		rows[*n].live = o;
		rows[*n].want = status_wanted(d, cl->connect_url, o->name);
		(*n)++;
	}
	for (i = 0; cl->reachable && i < d->n; i++) {
		const struct fx_connector *c = &d->connectors[i];

		if (!c->kafka->connect_url || strcmp(c->kafka->connect_url, cl->connect_url) ||
		    fx_observed_find(cl, c->name) || (only && strcmp(only, c->name)))
			continue;
		rows[*n].name = c->name;
		rows[*n].want = c;
		(*n)++;
	}
	qsort(rows, *n, sizeof(*rows), status_row_cmp);
	return rows;
}

static int status_failed(const struct fx_observed_connector *o)
{
	size_t i;

	if (o->state && !strcmp(o->state, "FAILED"))
		return 1;
	for (i = 0; i < o->n_tasks; i++)
		if (o->tasks[i].state && !strcmp(o->tasks[i].state, "FAILED"))
			return 1;
	return 0;
}

static int status_running(const struct fx_observed_connector *o)
{
	size_t i;

	if (!o->state || strcmp(o->state, "RUNNING") || !o->n_tasks)
		return 0;
	for (i = 0; i < o->n_tasks; i++)
		if (!o->tasks[i].state || strcmp(o->tasks[i].state, "RUNNING"))
			return 0;
	return 1;
}

static void status_count(const struct status_row *r, struct status_totals *t)
{
	t->connectors++;
	if (!r->live) {
		t->absent++;
		return;
	}
	if (!r->want)
		t->orphans++;
	if (status_failed(r->live))
		t->failed++;
	else if (status_running(r->live))
		t->running++;
	else if (r->live->state && !strcmp(r->live->state, "PAUSED"))
		t->paused++;
	else if (r->live->state && !strcmp(r->live->state, "STOPPED"))
		t->stopped++;
}

/* A trace's first lines, redacted with the secrets of the live config. */
static char *status_trace(const char *trace, const struct fx_observed_connector *o)
{
	return trace ? fx_connect_trace_head(trace, STATUS_TRACE_LINES, &o->config) : NULL;
}

static const char *status_paint(int color, const char *state)
{
	if (!color || !state)
		return "";
	if (!strcmp(state, "RUNNING"))
		return "\033[32m";
	if (!strcmp(state, "FAILED"))
		return "\033[31m";
	return "\033[33m";
}

static void status_text_state(int color, const char *what, const char *state, const char *worker)
{
	printf("%s%s%-11s%s", what, status_paint(color, state), state ? state : "UNKNOWN",
	       color ? "\033[0m" : "");
	if (worker)
		printf(" worker %s", worker);
}

/* "12.3 KiB" */
static void status_bytes(uint64_t b, char *out, size_t size)
{
	if (b < 1024)
		snprintf(out, size, "%" PRIu64 " bytes", b);
	else if (b < 1024 * 1024)
		snprintf(out, size, "%.1f KiB", (double)b / 1024.0);
	else
		snprintf(out, size, "%.1f MiB", (double)b / (1024.0 * 1024.0));
}

static void status_text_position(const struct status_row *r, int color)
{
	struct fx_position_view v;
	const struct fx_binlog_offset *b;
	char lag[64];

	fx_position_view(r->live, r->db, (int64_t)time(NULL), &v);
	if (r->live->offsets_error) {
		printf("    offsets not read: %s\n", r->live->offsets_error);
		return;
	}
	if (!v.read)
		return;
	b = v.b;
	if (!b || v.phase == FX_PHASE_NONE) {
		printf("    no stored offsets: it starts with a snapshot\n");
		return;
	}
	printf("    phase %s, %s %s:%" PRIu64, fx_offsets_phase_name(v.phase),
	       v.phase == FX_PHASE_SNAPSHOT ? "initial snapshot started at binlog" : "stored position",
	       b->file ? b->file : "?", b->pos);
	if (b->gtids)
		printf(" (GTID %s)", b->gtids);
	if (v.verdict == FX_BINLOG_FILE_PURGED || v.verdict == FX_BINLOG_GTID_PURGED)
		printf("; %sPURGED on the server%s: it cannot resume (see fluxacdc plan)",
		       color ? "\033[31m" : "", color ? "\033[0m" : "");
	else if (v.have_lag) {
		status_bytes(v.lag_bytes, lag, sizeof(lag));
		printf("; %s", lag);
		if (v.lag_files)
			printf(" and %u binlog file%s", v.lag_files, v.lag_files == 1 ? "" : "s");
		printf(" behind the server (%s:%" PRIu64 ")", r->db->binlog.current_file,
		       r->db->binlog.current_pos);
	}
	printf("\n");
}

/* "incremental snapshot: running, 1/2 tables done, reading db.T: key 5000 of 10000" */
static void status_text_snapshot(const struct status_row *r)
{
	const struct fx_snap_progress *p = &r->snap;
	size_t i;
	long long rows = fx_snapshot_progress_rows(p);

	if (r->snap_error) {
		printf("    incremental snapshot: unknown (%s)\n", r->snap_error);
		return;
	}
	if (!r->snap_found)
		return;
	printf("    incremental snapshot: %s, %zu/%zu table%s done", fx_snapshot_progress_status(p),
	       fx_snapshot_progress_count(p, FX_SNAP_DONE), p->n, p->n == 1 ? "" : "s");
	for (i = 0; i < p->n; i++)
		if (p->tables[i].state == FX_SNAP_RUNNING)
			printf(", reading %s: key %s of %s", p->tables[i].name,
			       p->tables[i].last_key ? p->tables[i].last_key : "?",
			       p->tables[i].max_key ? p->tables[i].max_key : "?");
	if (rows >= 0)
		printf(", %lld rows", rows);
	printf(" (");
	for (i = 0; i < p->n; i++)
		printf("%s%s", i ? ", " : "", p->tables[i].name);
	printf(")\n");
}

static void status_text_row(const struct status_row *r, int color)
{
	const struct fx_observed_connector *o = r->live;
	size_t i;

	if (!o) {
		printf("  %-28s %s%-11s%s manifest wants it: not created yet (run fluxacdc apply)\n",
		       r->name, color ? "\033[33m" : "", "ABSENT", color ? "\033[0m" : "");
		return;
	}
	printf("  %-28s ", r->name);
	status_text_state(color, "", o->state, o->worker_id);
	if (!r->want)
		printf("  %sORPHAN%s: not in the manifest (apply --allow-destroy deletes it)",
		       color ? "\033[33m" : "", color ? "\033[0m" : "");
	printf("\n");
	if (o->trace) {
		char *t = status_trace(o->trace, o);

		fx_str_print_indented(stdout, "      | ", t);
		free(t);
	}
	status_text_position(r, color);
	status_text_snapshot(r);
	for (i = 0; i < o->n_tasks; i++) {
		char what[64];

		snprintf(what, sizeof(what), "    task %-21d ", o->tasks[i].id);
		status_text_state(color, what, o->tasks[i].state, o->tasks[i].worker_id);
		printf("\n");
		if (o->tasks[i].trace) {
			char *t = status_trace(o->tasks[i].trace, o);

			fx_str_print_indented(stdout, "      | ", t);
			free(t);
		}
	}
	if (!o->n_tasks && o->state && !strcmp(o->state, "RUNNING"))
		printf("    (no tasks)\n");
}

static json_t *status_json_snapshot(const struct status_row *r)
{
	const struct fx_snap_progress *p = &r->snap;
	json_t *t = json_array();
	size_t i;

	if (r->snap_error)
		return json_pack("{s:s}", "error", r->snap_error);
	if (!r->snap_found)
		return json_null();
	for (i = 0; i < p->n; i++) {
		const struct fx_snap_table *tb = &p->tables[i];
		static const char *const names[] = { "waiting", "running", "done", "failed" };

		json_array_append_new(t, json_pack("{s:s, s:s, s:o, s:o, s:o}", "name", tb->name,
						   "state", names[tb->state],
						   "rows", tb->rows >= 0 ? json_integer(tb->rows) : json_null(),
						   "last_key", tb->last_key ? json_string(tb->last_key) : json_null(),
						   "max_key", tb->max_key ? json_string(tb->max_key) : json_null()));
	}
	return json_pack("{s:s, s:o}", "status", fx_snapshot_progress_status(p), "tables", t);
}

static json_t *status_json_str(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* The stored position and the lag, or null when offsets were not read. */
static json_t *status_json_position(const struct status_row *r)
{
	struct fx_position_view v;
	const struct fx_binlog_offset *b;
	json_t *j;

	if (!r->live)
		return json_null();
	fx_position_view(r->live, r->db, (int64_t)time(NULL), &v);
	if (!v.read)
		return r->live->offsets_error ?
		       json_pack("{s:s}", "error", r->live->offsets_error) : json_null();
	b = v.b;
	j = json_pack("{s:s, s:o, s:o, s:o, s:o, s:s}", "phase", fx_offsets_phase_name(v.phase),
		      "file", status_json_str(b ? b->file : NULL),
		      "pos", b && b->has_pos ? json_integer((json_int_t)b->pos) : json_null(),
		      "gtids", status_json_str(b ? b->gtids : NULL),
		      "ts_sec", b && b->ts_sec ? json_integer((json_int_t)b->ts_sec) : json_null(),
		      "on_server", fx_binlog_verdict_name(v.verdict));
	if (j && v.have_lag) {
		json_object_set_new(j, "lag_bytes", json_integer((json_int_t)v.lag_bytes));
		json_object_set_new(j, "lag_files", json_integer((json_int_t)v.lag_files));
		json_object_set_new(j, "server_file", json_string(r->db->binlog.current_file));
		json_object_set_new(j, "server_pos",
				    json_integer((json_int_t)r->db->binlog.current_pos));
	}
	return j ? j : json_null();
}

static json_t *status_json_row(const struct status_row *r)
{
	const struct fx_observed_connector *o = r->live;
	json_t *tasks = json_array();
	char *trace = o ? status_trace(o->trace, o) : NULL;
	json_t *row;
	size_t i;

	for (i = 0; o && i < o->n_tasks; i++) {
		char *t = status_trace(o->tasks[i].trace, o);

		json_array_append_new(tasks, json_pack("{s:i, s:o, s:o, s:o}", "id", o->tasks[i].id,
						       "state", status_json_str(o->tasks[i].state),
						       "worker_id", status_json_str(o->tasks[i].worker_id),
						       "trace", status_json_str(t)));
		free(t);
	}
	row = json_pack("{s:s, s:b, s:b, s:b, s:o, s:o, s:o, s:o, s:o, s:o}", "name", r->name,
			"present", o != NULL, "wanted", r->want != NULL, "orphan", o && !r->want,
			"mysql_pool", status_json_str(r->want ? r->want->mysql->code : NULL),
			"type", status_json_str(o ? o->type : NULL),
			"state", status_json_str(o ? o->state : "ABSENT"),
			"worker_id", status_json_str(o ? o->worker_id : NULL),
			"trace", status_json_str(trace), "tasks", tasks);
	if (row) {
		json_object_set_new(row, "offsets", status_json_position(r));
		json_object_set_new(row, "incremental_snapshot", status_json_snapshot(r));
	}
	free(trace);
	return row;
}

/* Kafka pools that could not be asked, and why (one try each). */
struct status_snap_errs {
	const struct fx_kafka_pool *pool[16];
	char why[16][256];
	size_t n;
};

/*
 * The newest incremental snapshot of a live connector, from its notification
 * topic (the last 200 records of each partition): status shows it when one
 * is running or was the last.  A Kafka pool that cannot be asked is tried once.
 */
static void status_snapshot_of(struct status_row *r, const struct fx_opts *opts,
			       struct status_snap_errs *errs)
{
	const char *topic = r->live ? fx_config_get(&r->live->config, "notification.sink.topic.name") : NULL;
	const struct fx_kafka_pool *kp = r->want ? r->want->kafka : NULL;
	struct fx_buf brokers = FX_BUF_INIT;
	struct fx_snap_kafka k = { 0 };
	struct fx_err err = FX_ERR_INIT;
	size_t i;

	if (!topic || !kp || !kp->n_brokers)
		return;
	for (i = 0; i < errs->n; i++)
		if (errs->pool[i] == kp) {
			r->snap_error = errs->why[i];
			return;
		}
	fx_cmd_snapshot_kafka(kp, opts->timeout_s, &brokers, &k);
	if (fx_snapshot_kafka_latest(&k, topic, 200, &r->snap, &r->snap_found, &err) < 0 &&
	    errs->n < sizeof(errs->pool) / sizeof(errs->pool[0])) {
		errs->pool[errs->n] = kp;
		snprintf(errs->why[errs->n], sizeof(errs->why[0]), "kafka: %s", err.msg);
		r->snap_error = errs->why[errs->n++];
	}
	fx_buf_release(&brokers);
}

static int cmd_status_run(const struct fx_cmd *self, int argc, char **argv, struct fx_opts *opts)
{
	struct status_snap_errs snap_errs = { .n = 0 };
	static const char *const formats[] = { "text", "json", NULL };
	struct fx_manifest m = FX_MANIFEST_INIT;
	struct fx_desired d = FX_DESIRED_INIT;
	struct fx_connect_clients clients = FX_CONNECT_CLIENTS_INIT;
	struct fx_net net;
	struct fx_checks warnings = FX_CHECKS_INIT;
	struct fx_observed_cluster *cl = NULL;
	struct fx_mysql_result *db = NULL;
	struct fx_checks db_checks = FX_CHECKS_INIT;
	struct fx_err err = FX_ERR_INIT;
	struct status_args a = { NULL };
	struct status_totals t;
	json_t *jclusters = NULL;
	const char *format;
	size_t i, j;
	int first, ret, color;

	memset(&t, 0, sizeof(t));
	if (fx_cli_parse(argc, argv, self, status_opt, &a, opts, &first, &err) < 0 ||
	    fx_cli_format(opts, formats, "text", &format, &err) < 0)
		return fx_cmd_fail(&err);
	if (first < argc) {
		fx_err_set(&err, FX_EXIT_USAGE, "status: unexpected argument '%s'", argv[first]);
		return fx_cmd_fail(&err);
	}
	ret = fx_cmd_load_manifest(opts, &m);
	if (ret)
		return ret;
	fx_cli_catch_signals();
	fx_cmd_net(opts, &net);
	if (fx_desired_build(&m, NULL, &d, &err) < 0 ||
	    fx_connect_clients_from_manifest(&clients, &m, &net, &warnings, &err) < 0) {
		ret = fx_cmd_fail(&err);
		goto cleanup;
	}
	for (i = 0; i < warnings.n && !opts->quiet; i++)
		fx_warnf("%s: %s", warnings.items[i].scope, warnings.items[i].message);
	if (!clients.n) {
		fx_err_set(&err, FX_EXIT_FAILURE, "%s: no Kafka pool has a connect_url", m.path);
		ret = fx_cmd_fail(&err);
		goto cleanup;
	}
	cl = calloc(clients.n, sizeof(*cl));
	if (!cl || fx_connect_observe(&clients, cl, &err) < 0) {
		if (!cl)
			fx_err_set(&err, FX_EXIT_FAILURE, "out of memory");
		ret = fx_cmd_fail(&err);
		goto cleanup;
	}
	/* the servers' binlog positions, for the lag; an unreachable one leaves it unknown */
	db = fx_calloc(m.n_mysql ? m.n_mysql : 1, sizeof(*db));
	if (db) {
		struct fx_mysql_inspect_opts mo = FX_MYSQL_INSPECT_OPTS_INIT;

		mo.net = &net;
		if (fx_mysql_inspect(&m, &mo, db, NULL, &db_checks, &err) < 0) {
			ret = fx_cmd_fail(&err);
			goto cleanup;
		}
	}
	color = fx_cli_use_color(opts, stdout);
	if (format[0] == 'j')
		jclusters = json_array();
	for (i = 0; i < clients.n; i++) {
		struct status_row *rows;
		size_t n;
		json_t *jrows = NULL;
		char *dbz = fx_observed_debezium_versions(&cl[i]);

		if (!cl[i].reachable) {
			t.unreachable++;
			fx_errorf("Kafka Connect of pool '%s' unreadable: %s", cl[i].kafka_pool,
				  cl[i].error ? cl[i].error : "unreachable");
		}
		rows = status_rows(&cl[i], &d, a.connector, &n);
		if (!rows) {
			free(dbz);
			fx_err_set(&err, FX_EXIT_FAILURE, "out of memory");
			ret = fx_cmd_fail(&err);
			goto cleanup;
		}
		if (jclusters)
			jrows = json_array();
		else if (cl[i].reachable)
			printf("%sKafka Connect %s (pool %s, version %s; Debezium plugins: %s)%s\n", i ? "\n" : "",
			       cl[i].connect_url, cl[i].kafka_pool, cl[i].version ? cl[i].version : "?",
			       dbz ? dbz : "none", n ? "" : ": no managed connectors");
		else
			printf("%sKafka Connect %s (pool %s): UNREACHABLE\n", i ? "\n" : "",
			       cl[i].connect_url, cl[i].kafka_pool);
		for (j = 0; j < n; j++) {
			if (db && rows[j].want)
				rows[j].db = &db[rows[j].want->mysql - m.mysql];
			status_snapshot_of(&rows[j], opts, &snap_errs);
			status_count(&rows[j], &t);
			if (jrows)
				json_array_append_new(jrows, status_json_row(&rows[j]));
			else
				status_text_row(&rows[j], color);
		}
		if (jclusters)
			json_array_append_new(jclusters,
					      json_pack("{s:s, s:s, s:b, s:o, s:o, s:o, s:o, s:I}",
							"connect_url", cl[i].connect_url,
							"kafka_pool", cl[i].kafka_pool,
							"reachable", cl[i].reachable,
							"error", status_json_str(cl[i].error),
							"version", status_json_str(cl[i].version),
							"debezium_plugins", status_json_str(dbz),
							"connectors", jrows,
							"requests", (json_int_t)cl[i].requests));
		for (j = 0; j < n; j++)
			fx_snapshot_progress_release(&rows[j].snap);
		free(rows);
		free(dbz);
	}
	ret = t.failed || t.unreachable ? FX_EXIT_FAILURE : FX_EXIT_OK;
	if (jclusters) {
		json_t *root = json_pack("{s:s, s:s, s:o, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}, s:b}",
					 "format_version", "1", "fluxacdc_version", FX_VERSION,
					 "clusters", jclusters, "summary",
					 "connectors", (json_int_t)t.connectors,
					 "running", (json_int_t)t.running,
					 "paused", (json_int_t)t.paused,
					 "stopped", (json_int_t)t.stopped,
					 "failed", (json_int_t)t.failed,
					 "orphans", (json_int_t)t.orphans,
					 "absent", (json_int_t)t.absent,
					 "unreachable_clusters", (json_int_t)t.unreachable,
					 "healthy", ret == 0);

		jclusters = NULL;
		json_dumpf(root, stdout, JSON_COMPACT);
		fputc('\n', stdout);
		json_decref(root);
	} else {
		printf("\n%zu managed connector%s: %zu running, %zu paused, %zu stopped, %zu failed, "
		       "%zu orphaned, %zu absent", t.connectors, t.connectors == 1 ? "" : "s", t.running,
		       t.paused, t.stopped, t.failed, t.orphans, t.absent);
		if (t.unreachable)
			printf("; %zu cluster%s unreachable", t.unreachable, t.unreachable == 1 ? "" : "s");
		printf("\n");
	}
	if (opts->verbose)
		for (i = 0; i < clients.n; i++)
			fx_notef(opts, "%lu requests to %s", fx_connect_client_requests(clients.items[i]),
				 fx_connect_client_url(clients.items[i]));
	if (a.connector && !t.connectors && !t.unreachable) {
		fx_errorf("status: no managed connector named '%s' on the manifest's clusters",
			  a.connector);
		ret = FX_EXIT_FAILURE;
	}
cleanup:
	json_decref(jclusters);
	for (i = 0; cl && i < clients.n; i++)
		fx_observed_cluster_release(&cl[i]);
	free(cl);
	if (db)
		fx_mysql_results_release(db, m.n_mysql);
	free(db);
	fx_checks_release(&db_checks);
	fx_checks_release(&warnings);
	fx_connect_clients_release(&clients);
	fx_desired_release(&d);
	fx_manifest_release(&m);
	return ret;
}

const struct fx_cmd fx_cmd_status = {
	.name = "status",
	.run = cmd_status_run,
	.args = "",
	.summary = "Show each managed connector's state, tasks and failure trace; exit 1 when any is FAILED.",
	.optdefs = status_optdefs,
};
