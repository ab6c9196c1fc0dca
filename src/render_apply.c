#include "render_apply.h"

#include <string.h>

#include "util/json.h"
#include "util/str.h"
#include "version.h"

#define RA_GREEN "\033[32m"
#define RA_YELLOW "\033[33m"
#define RA_RED "\033[31m"
#define RA_RESET "\033[0m"

const char *fx_render_apply_word(int code)
{
	return code == 0 ? "complete" : code == FX_EXIT_INTERRUPTED ? "interrupted" :
	       code == FX_EXIT_PARTIAL ? "partly done" :
	       code == FX_EXIT_STALE ? "stopped: the plan is stale" : "failed";
}

const char *fx_render_apply_status(int code)
{
	return code == 0 ? "applied" : code == FX_EXIT_PARTIAL ? "partial" :
	       code == FX_EXIT_INTERRUPTED ? "interrupted" :
	       code == FX_EXIT_STALE ? "stale" : "failed";
}

static const char *ra_color(const struct fx_apply_result *a, int color)
{
	if (!color || a->outcome == FX_APPLY_UNCHANGED)
		return "";
	return a->outcome == FX_APPLY_APPLIED ? RA_GREEN : a->outcome == FX_APPLY_SKIPPED ?
	       RA_YELLOW : RA_RED;
}

static void ra_result(FILE *out, const struct fx_apply_result *a, int color)
{
	fprintf(out, "  %-28s %-7s %s%-11s%s", a->connector, fx_action_name(a->action),
		ra_color(a, color), fx_apply_outcome_name(a->outcome), color ? RA_RESET : "");
	if (a->outcome == FX_APPLY_SKIPPED) {
		fprintf(out, " not attempted\n");
		return;
	}
	fprintf(out, " %s", a->state ? a->state : a->written ? "written" : "-");
	if (a->outcome == FX_APPLY_UNCHANGED)
		fputs(a->action == FX_ACTION_DELETE ? " (already gone)" :
		      " (already there with this config)", out);
	if (a->written && a->outcome != FX_APPLY_APPLIED)
		fputs(" (the write landed)", out);
	fprintf(out, " %.1f s\n", a->seconds);
	if (a->error)
		fx_str_print_indented(out, "      error: ", a->error);
	if (a->trace)
		fx_str_print_indented(out, "      | ", a->trace);
}

static void ra_snaps(FILE *out, const struct fx_apply_snaps *s)
{
	size_t i, j;

	if (!s || !s->n)
		return;
	fprintf(out, "\nSnapshots of added tables:\n");
	for (i = 0; i < s->n; i++) {
		const struct fx_apply_snap *sn = &s->items[i];
		long long rows = sn->ran ? fx_snapshot_progress_rows(&sn->out.progress) : -1;
		json_t *sj = fx_apply_snap_json(sn);
		const char *why = json_string_value(json_object_get(sj, "reason"));

		fprintf(out, "  %-28s %-11s", sn->connector, fx_apply_snap_status(sn));
		for (j = 0; j < sn->n_tables; j++)
			fprintf(out, "%s %s.%s", j ? "," : "", sn->database, sn->tables[j]);
		if (rows >= 0)
			fprintf(out, ", %lld rows", rows);
		if (sn->ran)
			fprintf(out, " %.1f s", sn->out.elapsed_s);
		fprintf(out, "\n");
		if (why)
			fx_str_print_indented(out, "      ", why);
		json_decref(sj);
	}
}

void fx_render_apply_text(FILE *out, const struct fx_apply_results *r,
			  const struct fx_apply_snaps *snaps, int code, int color)
{
	size_t i;

	fprintf(out, "\nApply results:\n");
	for (i = 0; i < r->n; i++)
		ra_result(out, &r->items[i], color);
	ra_snaps(out, snaps);
	fprintf(out, "\nApply %s: %zu applied, %zu unchanged, %zu failed, %zu not attempted.\n",
		fx_render_apply_word(code), fx_apply_count(r, FX_APPLY_APPLIED),
		fx_apply_count(r, FX_APPLY_UNCHANGED),
		fx_apply_count(r, FX_APPLY_FAILED) + fx_apply_count(r, FX_APPLY_INTERRUPTED),
		fx_apply_count(r, FX_APPLY_SKIPPED) + fx_apply_count(r, FX_APPLY_STALE));
}

void fx_render_apply_stop_text(FILE *out, const struct fx_apply_stop *stop)
{
	if (!stop->nothing_to_do)
		return;
	fputs(stop->code ? "\nApply: nothing to change, but a connector the manifest wants is FAILED.\n" :
	      "\nApply complete: nothing to do.\n", out);
}

void fx_render_apply_progress(FILE *out, const struct fx_apply_event *ev, int tty, int *dirty)
{
	const struct fx_apply_result *r = ev->result;

	if (tty) {
		if (ev->kind == FX_APPLY_EV_DONE) {
			if (*dirty)
				fputs("\r\033[K", out);
			*dirty = 0;
			return;
		}
		if (ev->n_total > 1)
			fprintf(out, "\r\033[K[%zu/%zu done, %zu under way] ", ev->n_over, ev->n_total,
				ev->n_under_way);
		else
			fputs("\r\033[K", out);
		fprintf(out, "%s %s: %s (%.0f s)", fx_action_name(r->action), r->connector,
			ev->state ? ev->state : "writing", ev->elapsed);
		*dirty = 1;
		fflush(out);
		return;
	}
	if (ev->kind == FX_APPLY_EV_START)
		fprintf(out, "fluxacdc: %s %s on %s\n", fx_action_name(r->action), r->connector,
			r->connect_url);
	else if (ev->kind == FX_APPLY_EV_STATE)
		fprintf(out, "fluxacdc: %s: %s (%.1f s)\n", r->connector, ev->state, ev->elapsed);
	else if (ev->kind == FX_APPLY_EV_DONE && ev->n_total > 1)
		/* alters overlap: say when each is over, with what */
		fprintf(out, "fluxacdc: %s: %s%s%s (%.1f s)\n", r->connector,
			fx_apply_outcome_name(r->outcome), r->state ? ", " : "", r->state ? r->state : "",
			ev->elapsed);
}

/* "fluxa_a, fluxa_b" of the results with outcome o (or "none"). */
static void ra_names(struct fx_buf *b, const struct fx_apply_results *r, enum fx_apply_outcome o)
{
	size_t i, n = 0;

	for (i = 0; i < r->n; i++)
		if (r->items[i].outcome == o)
			fx_buf_addf(b, "%s%s", n++ ? ", " : "", r->items[i].connector);
	if (!n)
		fx_buf_adds(b, "none");
}

void fx_render_apply_verdict(struct fx_buf *b, const struct fx_apply_results *r, int code)
{
	fx_buf_addf(b, "apply %s (exit %d): ", code == FX_EXIT_INTERRUPTED ? "interrupted" :
		    code == FX_EXIT_PARTIAL ? "partly done" :
		    code == FX_EXIT_STALE ? "stopped, the plan is stale" : "failed", code);
	fx_buf_adds(b, "applied: ");
	ra_names(b, r, FX_APPLY_APPLIED);
	fx_buf_adds(b, "; failed: ");
	ra_names(b, r, FX_APPLY_FAILED);
	if (fx_apply_count(r, FX_APPLY_INTERRUPTED)) {
		fx_buf_adds(b, "; interrupted: ");
		ra_names(b, r, FX_APPLY_INTERRUPTED);
	}
	if (fx_apply_count(r, FX_APPLY_STALE)) {
		fx_buf_adds(b, "; changed since the plan, not written: ");
		ra_names(b, r, FX_APPLY_STALE);
	}
	fx_buf_adds(b, "; not attempted: ");
	ra_names(b, r, FX_APPLY_SKIPPED);
}

static json_t *ra_str(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *fx_render_apply_results_json(const struct fx_apply_results *r, const struct fx_plan *p,
				     const char *status, int exit_code, const char *message)
{
	json_t *root = json_object(), *items = json_array(), *unchanged = json_array();
	size_t i, j;

	if (!root || !items || !unchanged) {
		json_decref(root);
		json_decref(items);
		json_decref(unchanged);
		return NULL;
	}
	for (i = 0; r && i < r->n; i++) {
		const struct fx_apply_result *a = &r->items[i];
		json_t *tasks = json_array(), *item;

		for (j = 0; j < a->status.n_tasks; j++)
			json_array_append_new(tasks, json_pack("{s:i, s:o, s:o}", "id", a->status.tasks[j].id,
							       "state", ra_str(a->status.tasks[j].state),
							       "worker_id", ra_str(a->status.tasks[j].worker_id)));
		item = json_pack("{s:s, s:s, s:o, s:s, s:s, s:b, s:o, s:o, s:o, s:o, s:o, s:f}",
				 "connector", a->connector, "connect_url", a->connect_url,
				 "kafka_pool", ra_str(a->kafka_pool),
				 "action", fx_action_name(a->action),
				 "outcome", fx_apply_outcome_name(a->outcome),
				 "written", a->written,
				 "state", ra_str(a->state),
				 "worker_id", ra_str(a->status.worker_id),
				 "tasks", tasks,
				 "error", ra_str(a->error),
				 "trace", ra_str(a->trace),
				 "seconds", (double)(long)(a->seconds * 1000) / 1000.0);
		json_array_append_new(items, item);
	}
	for (i = 0; p && i < p->n_unchanged; i++)
		json_array_append_new(unchanged, json_string(p->unchanged[i].connector));
	json_object_set_new(root, "format_version", json_string("1"));
	json_object_set_new(root, "fluxacdc_version", json_string(FX_VERSION));
	json_object_set_new(root, "status", json_string(status));
	json_object_set_new(root, "exit_code", json_integer(exit_code));
	json_object_set_new(root, "message", ra_str(message));
	json_object_set_new(root, "results", items);
	json_object_set_new(root, "unchanged", unchanged);
	json_object_set_new(root, "summary",
			    json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}",
				      "applied", (json_int_t)(r ? fx_apply_count(r, FX_APPLY_APPLIED) : 0),
				      "unchanged", (json_int_t)(r ? fx_apply_count(r, FX_APPLY_UNCHANGED) :
							     p ? p->n_unchanged : 0),
				      "failed", (json_int_t)(r ? fx_apply_count(r, FX_APPLY_FAILED) : 0),
				      "skipped", (json_int_t)(r ? fx_apply_count(r, FX_APPLY_SKIPPED) : 0),
				      "interrupted", (json_int_t)(r ? fx_apply_count(r, FX_APPLY_INTERRUPTED) : 0),
				      "stale", (json_int_t)(r ? fx_apply_count(r, FX_APPLY_STALE) : 0)));
	return root;
}

int fx_render_apply_json(FILE *out, const struct fx_apply_results *r,
			 const struct fx_apply_snaps *snaps, const struct fx_plan *p,
			 const char *status, int exit_code, const char *message)
{
	json_t *j = fx_render_apply_results_json(r, p, status, exit_code, message);
	json_t *items = json_object_get(j, "results");
	size_t i;

	for (i = 0; snaps && i < json_array_size(items); i++) {
		const struct fx_apply_snap *sn = fx_apply_snaps_find(snaps, i);

		if (sn)
			json_object_set_new(json_array_get(items, i), "snapshot", fx_apply_snap_json(sn));
	}
	return fx_json_write(out, j, JSON_COMPACT);
}
