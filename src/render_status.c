#include "render_status.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "connect_json.h"
#include "offsets_checks.h"
#include "util/json.h"
#include "util/str.h"
#include "version.h"

#define STATUS_TRACE_LINES 5

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

static void status_text_state(FILE *out, int color, const char *what, const char *state, const char *worker)
{
	fprintf(out, "%s%s%-11s%s", what, status_paint(color, state), state ? state : "UNKNOWN",
	       color ? "\033[0m" : "");
	if (worker)
		fprintf(out, " worker %s", worker);
}

/* "12.3 KiB" */
static void status_bytes(uint64_t b, char *buf, size_t size)
{
	if (b < 1024)
		snprintf(buf, size, "%" PRIu64 " bytes", b);
	else if (b < 1024 * 1024)
		snprintf(buf, size, "%.1f KiB", (double)b / 1024.0);
	else
		snprintf(buf, size, "%.1f MiB", (double)b / (1024.0 * 1024.0));
}

static void status_text_position(FILE *out, const struct fx_status_row *r, int color,
				 int64_t now)
{
	struct fx_position_view v;
	const struct fx_binlog_offset *b;
	char lag[64];

	fx_position_view(r->live, r->db, now, &v);
	if (r->live->offsets_error) {
		fprintf(out, "    offsets not read: %s\n", r->live->offsets_error);
		return;
	}
	if (!v.read)
		return;
	b = v.b;
	if (!b || v.phase == FX_PHASE_NONE) {
		fprintf(out, "    no stored offsets: it starts with a snapshot\n");
		return;
	}
	fprintf(out, "    phase %s, %s %s:%" PRIu64, fx_offsets_phase_name(v.phase),
	       v.phase == FX_PHASE_SNAPSHOT ? "initial snapshot started at binlog" : "stored position",
	       b->file ? b->file : "?", b->pos);
	if (b->gtids)
		fprintf(out, " (GTID %s)", b->gtids);
	if (v.verdict == FX_BINLOG_FILE_PURGED || v.verdict == FX_BINLOG_GTID_PURGED)
		fprintf(out, "; %sPURGED on the server%s: it cannot resume (see fluxacdc plan)",
		       color ? "\033[31m" : "", color ? "\033[0m" : "");
	else if (v.have_lag) {
		status_bytes(v.lag_bytes, lag, sizeof(lag));
		fprintf(out, "; %s", lag);
		if (v.lag_files)
			fprintf(out, " and %u binlog file%s", v.lag_files, v.lag_files == 1 ? "" : "s");
		fprintf(out, " behind the server (%s:%" PRIu64 ")", r->db->binlog.current_file,
		       r->db->binlog.current_pos);
	}
	fprintf(out, "\n");
}

/* "incremental snapshot: running, 1/2 tables done, reading db.T: key 5000 of 10000" */
static void status_text_snapshot(FILE *out, const struct fx_status_row *r)
{
	const struct fx_snap_progress *p = &r->snap;
	size_t i;
	long long rows = fx_snapshot_progress_rows(p);

	if (r->snap_error) {
		fprintf(out, "    incremental snapshot: unknown (%s)\n", r->snap_error);
		return;
	}
	if (!r->snap_found)
		return;
	fprintf(out, "    incremental snapshot: %s, %zu/%zu table%s done", fx_snapshot_progress_status(p),
	       fx_snapshot_progress_count(p, FX_SNAP_DONE), p->n, p->n == 1 ? "" : "s");
	for (i = 0; i < p->n; i++)
		if (p->tables[i].state == FX_SNAP_RUNNING)
			fprintf(out, ", reading %s: key %s of %s", p->tables[i].name,
			       p->tables[i].last_key ? p->tables[i].last_key : "?",
			       p->tables[i].max_key ? p->tables[i].max_key : "?");
	if (rows >= 0)
		fprintf(out, ", %lld rows", rows);
	fprintf(out, " (");
	for (i = 0; i < p->n; i++)
		fprintf(out, "%s%s", i ? ", " : "", p->tables[i].name);
	fprintf(out, ")\n");
}

static void status_text_row(FILE *out, const struct fx_status_row *r, int color, int64_t now)
{
	const struct fx_observed_connector *o = r->live;
	size_t i;

	if (!o) {
		fprintf(out, "  %-28s %s%-11s%s manifest wants it: not created yet (run fluxacdc apply)\n",
		       r->name, color ? "\033[33m" : "", "ABSENT", color ? "\033[0m" : "");
		return;
	}
	fprintf(out, "  %-28s ", r->name);
	status_text_state(out, color, "", o->state, o->worker_id);
	if (!r->want)
		fprintf(out, "  %sORPHAN%s: not in the manifest (apply --allow-destroy deletes it)",
		       color ? "\033[33m" : "", color ? "\033[0m" : "");
	fprintf(out, "\n");
	if (o->trace) {
		char *t = status_trace(o->trace, o);

		fx_str_print_indented(out, "      | ", t);
		free(t);
	}
	status_text_position(out, r, color, now);
	status_text_snapshot(out, r);
	for (i = 0; i < o->n_tasks; i++) {
		char what[64];

		snprintf(what, sizeof(what), "    task %-21d ", o->tasks[i].id);
		status_text_state(out, color, what, o->tasks[i].state, o->tasks[i].worker_id);
		fprintf(out, "\n");
		if (o->tasks[i].trace) {
			char *t = status_trace(o->tasks[i].trace, o);

			fx_str_print_indented(out, "      | ", t);
			free(t);
		}
	}
	if (!o->n_tasks && o->state && !strcmp(o->state, "RUNNING"))
		fprintf(out, "    (no tasks)\n");
}

static json_t *status_json_snapshot(const struct fx_status_row *r)
{
	const struct fx_snap_progress *p = &r->snap;
	json_t *t;
	size_t i;

	if (r->snap_error)
		return json_pack("{s:s}", "error", r->snap_error);
	if (!r->snap_found)
		return json_null();
	t = json_array();
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
static json_t *status_json_position(const struct fx_status_row *r, int64_t now)
{
	struct fx_position_view v;
	const struct fx_binlog_offset *b;
	json_t *j;

	if (!r->live)
		return json_null();
	fx_position_view(r->live, r->db, now, &v);
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

static json_t *status_json_row(const struct fx_status_row *r, int64_t now)
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
		json_object_set_new(row, "offsets", status_json_position(r, now));
		json_object_set_new(row, "incremental_snapshot", status_json_snapshot(r));
	}
	free(trace);
	return row;
}

static void status_text_cluster(FILE *out, const struct fx_status_cluster *c, size_t i,
				const struct fx_status *s, int color)
{
	const struct fx_observed_cluster *cl = c->cl;
	char *dbz = fx_observed_debezium_versions(cl);
	size_t j;

	if (cl->reachable)
		fprintf(out, "%sKafka Connect %s (pool %s, version %s; Debezium plugins: %s)%s\n",
			i ? "\n" : "", cl->connect_url, cl->kafka_pool,
			cl->version ? cl->version : "?", dbz ? dbz : "none",
			c->n ? "" : ": no managed connectors");
	else
		fprintf(out, "%sKafka Connect %s (pool %s): UNREACHABLE\n", i ? "\n" : "",
			cl->connect_url, cl->kafka_pool);
	free(dbz);
	for (j = 0; j < c->n; j++)
		status_text_row(out, &c->rows[j], color, s->now);
}

void fx_render_status_text(FILE *out, const struct fx_status *s, int color)
{
	const struct fx_status_totals *t = &s->totals;
	size_t i;

	for (i = 0; i < s->n; i++)
		status_text_cluster(out, &s->clusters[i], i, s, color);
	fprintf(out, "\n%zu managed connector%s: %zu running, %zu paused, %zu stopped, %zu failed, "
		"%zu orphaned, %zu absent", t->connectors, t->connectors == 1 ? "" : "s", t->running,
		t->paused, t->stopped, t->failed, t->orphans, t->absent);
	if (t->unreachable)
		fprintf(out, "; %zu cluster%s unreachable", t->unreachable,
			t->unreachable == 1 ? "" : "s");
	fprintf(out, "\n");
}

static json_t *status_json_cluster(const struct fx_status_cluster *c, int64_t now)
{
	const struct fx_observed_cluster *cl = c->cl;
	json_t *rows = json_array(), *j;
	char *dbz = fx_observed_debezium_versions(cl);
	size_t k;

	for (k = 0; k < c->n; k++)
		json_array_append_new(rows, status_json_row(&c->rows[k], now));
	j = json_pack("{s:s, s:s, s:b, s:o, s:o, s:o, s:o, s:I}", "connect_url", cl->connect_url,
		      "kafka_pool", cl->kafka_pool, "reachable", cl->reachable,
		      "error", status_json_str(cl->error), "version", status_json_str(cl->version),
		      "debezium_plugins", status_json_str(dbz), "connectors", rows,
		      "requests", (json_int_t)cl->requests);
	free(dbz);
	return j;
}

json_t *fx_render_status_json_new(const struct fx_status *s)
{
	const struct fx_status_totals *t = &s->totals;
	json_t *clusters = json_array();
	size_t i;

	for (i = 0; i < s->n; i++)
		json_array_append_new(clusters, status_json_cluster(&s->clusters[i], s->now));
	return json_pack("{s:s, s:s, s:o, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}, s:b}",
			 "format_version", "1", "fluxacdc_version", FX_VERSION,
			 "clusters", clusters, "summary",
			 "connectors", (json_int_t)t->connectors,
			 "running", (json_int_t)t->running,
			 "paused", (json_int_t)t->paused,
			 "stopped", (json_int_t)t->stopped,
			 "failed", (json_int_t)t->failed,
			 "orphans", (json_int_t)t->orphans,
			 "absent", (json_int_t)t->absent,
			 "unreachable_clusters", (json_int_t)t->unreachable,
			 "healthy", fx_status_exit_code(s) == 0);
}

int fx_render_status_json(FILE *out, const struct fx_status *s)
{
	return fx_json_write(out, fx_render_status_json_new(s), JSON_COMPACT);
}
