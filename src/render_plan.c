#include "render_plan.h"

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_RED "\033[31m"
#define C_GREEN "\033[32m"
#define C_YELLOW "\033[33m"
#define C_CYAN "\033[36m"
#define C_DIM "\033[2m"

static const char *col(const struct fx_render_plan_opts *o, const char *c)
{
	return o && o->color ? c : "";
}

static const char *level_color(enum fx_check_level l)
{
	return l == FX_CHECK_ERROR ? C_RED : l == FX_CHECK_WARNING ? C_YELLOW : C_CYAN;
}

static const char *action_sign(enum fx_action a)
{
	return a == FX_ACTION_CREATE ? "+" : a == FX_ACTION_UPDATE ? "~" : "-";
}

static const char *action_color(enum fx_action a)
{
	return a == FX_ACTION_CREATE ? C_GREEN : a == FX_ACTION_UPDATE ? C_YELLOW : C_RED;
}

static const char *op_sign(enum fx_diff_op op)
{
	return op == FX_DIFF_ADD ? "+" : op == FX_DIFF_CHANGE ? "~" : "-";
}

static const char *op_color(enum fx_diff_op op)
{
	return op == FX_DIFF_ADD ? C_GREEN : op == FX_DIFF_CHANGE ? C_YELLOW : C_RED;
}

/* A value quoted for display, control characters escaped. */
static void put_value(FILE *out, const char *v)
{
	fputc('"', out);
	for (; *v; v++) {
		unsigned char c = (unsigned char)*v;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			fprintf(out, "\\x%02x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static void text_checks(FILE *out, const struct fx_plan *p, const struct fx_render_plan_opts *o)
{
	size_t i;
	const char *scope = NULL;

	if (p->db_checks_skipped)
		fprintf(out, "%snote:%s database checks skipped (--skip-db-checks)\n\n", col(o, C_CYAN),
			col(o, C_RESET));
	if (!p->checks.n)
		return;
	fprintf(out, "%sChecks%s\n", col(o, C_BOLD), col(o, C_RESET));
	for (i = 0; i < p->checks.n; i++) {
		const struct fx_check *k = &p->checks.items[i];

		if (!scope || strcmp(scope, k->scope)) {
			scope = k->scope;
			fprintf(out, "  %s\n", scope);
		}
		fprintf(out, "    %s%-7s%s %s: %s\n", col(o, level_color(k->level)),
			fx_check_level_name(k->level), col(o, C_RESET), k->id, k->message);
		if (k->level != FX_CHECK_INFO && (k->observed || k->expected))
			fprintf(out, "            %s%s%s%s%s\n", k->observed ? "observed " : "",
				k->observed ? k->observed : "", k->observed && k->expected ? ", " : "",
				k->expected ? "expected " : "", k->expected ? k->expected : "");
		if (k->hint)
			fprintf(out, "            %shint:%s %s\n", col(o, C_DIM), col(o, C_RESET), k->hint);
	}
	fputc('\n', out);
}

static void text_change(FILE *out, const struct fx_change *c, const struct fx_render_plan_opts *o)
{
	size_t i, width = 0;

	fprintf(out, "  %s%s %s%s %s(%s, %s on %s)%s\n", col(o, action_color(c->action)),
		action_sign(c->action), c->connector, col(o, C_RESET), col(o, C_DIM),
		fx_action_name(c->action), fx_risk_name(c->risk), c->connect_url, col(o, C_RESET));
	if (c->description)
		fprintf(out, "      # %s\n", c->description);
	for (i = 0; i < c->n_diff; i++)
		if (strlen(c->diff[i].key) > width)
			width = strlen(c->diff[i].key);
	if (c->action == FX_ACTION_DELETE && !(o && o->verbose)) {
		fprintf(out, "      %s(%zu keys removed with the connector)%s\n", col(o, C_DIM), c->n_diff,
			col(o, C_RESET));
	} else {
		for (i = 0; i < c->n_diff; i++) {
			const struct fx_diff_item *d = &c->diff[i];

			fprintf(out, "      %s%s %-*s%s ", col(o, op_color(d->op)), op_sign(d->op), (int)width,
				d->key, col(o, C_RESET));
			if (d->sensitive) {
				fputs(d->op == FX_DIFF_CHANGE ? "(sensitive value changed)" :
				      d->op == FX_DIFF_ADD ? "(sensitive value)" : "(sensitive value removed)", out);
			} else if (d->op == FX_DIFF_CHANGE) {
				put_value(out, d->before ? d->before : "");
				fputs(" → ", out);
				put_value(out, d->after ? d->after : "");
			} else {
				put_value(out, d->op == FX_DIFF_ADD ? (d->after ? d->after : "") :
					  (d->before ? d->before : ""));
			}
			fputc('\n', out);
		}
	}
	for (i = 0; i < c->n_notes; i++)
		fprintf(out, "      %snote:%s %s\n", col(o, C_YELLOW), col(o, C_RESET), c->notes[i]);
	fputc('\n', out);
}

/* Connect clusters the plan could not read: their connectors have no alters. */
static size_t plan_unreachable(const struct fx_plan *p)
{
	size_t i, n = 0;

	for (i = 0; i < p->checks.n; i++)
		n += p->checks.items[i].level != FX_CHECK_INFO &&
		     !strcmp(p->checks.items[i].id, "connect.reachable");
	return n;
}

void fx_render_plan_summary(FILE *out, const struct fx_plan *p, const struct fx_render_plan_opts *o)
{
	size_t errors = fx_checks_count(&p->checks, FX_CHECK_ERROR);
	size_t warnings = fx_checks_count(&p->checks, FX_CHECK_WARNING);

	fprintf(out, "%sPlan:%s %zu to create, %zu to update, %zu to delete, %zu unchanged; %s%zu error%s%s, %zu warning%s.%s\n",
		col(o, C_BOLD), col(o, C_RESET), fx_plan_count(p, FX_ACTION_CREATE),
		fx_plan_count(p, FX_ACTION_UPDATE), fx_plan_count(p, FX_ACTION_DELETE), p->n_unchanged,
		errors ? col(o, C_RED) : "", errors, errors == 1 ? "" : "s", errors ? col(o, C_RESET) : "",
		warnings, warnings == 1 ? "" : "s",
		errors ? " Check errors block apply." : "");
}

void fx_render_plan_text(FILE *out, const struct fx_plan *p, const struct fx_render_plan_opts *o)
{
	size_t i;

	text_checks(out, p, o);
	if (p->n_changes) {
		fprintf(out, "%sAlters%s (in apply order)\n", col(o, C_BOLD), col(o, C_RESET));
		for (i = 0; i < p->n_changes; i++)
			text_change(out, &p->changes[i], o);
	} else {
		size_t unread = plan_unreachable(p);

		if (unread)
			fprintf(out, "No alters computed for %zu Connect cluster%s that could not be read (see connect.reachable): nothing is known of %s.\n\n",
				unread, unread == 1 ? "" : "s", unread == 1 ? "it" : "them");
		else
			fputs("No changes: the Connect clusters match the manifest.\n\n", out);
	}
	if (p->n_unchanged && o && o->verbose) {
		fputs("Unchanged:", out);
		for (i = 0; i < p->n_unchanged; i++)
			fprintf(out, " %s", p->unchanged[i].connector);
		fputs("\n\n", out);
	}
	fx_render_plan_summary(out, p, o);
}

/* ---- markdown ---- */

static void md_cell(struct fx_buf *b, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '|')
			fx_buf_adds(b, "\\|");
		else if (*s == '\n')
			fx_buf_addc(b, ' ');
		else
			fx_buf_addc(b, *s);
	}
}

void fx_render_plan_markdown(FILE *out, const struct fx_plan *p, const struct fx_render_plan_opts *o)
{
	struct fx_buf b = FX_BUF_INIT;
	size_t i, j, errors = fx_checks_count(&p->checks, FX_CHECK_ERROR);
	size_t limit = o && o->max_bytes ? o->max_bytes : 0;

	fx_buf_addf(&b, "### fluxacdc plan: %zu to create, %zu to update, %zu to delete, %zu unchanged%s\n\n",
		    fx_plan_count(p, FX_ACTION_CREATE), fx_plan_count(p, FX_ACTION_UPDATE),
		    fx_plan_count(p, FX_ACTION_DELETE), p->n_unchanged,
		    errors ? " — **check errors block apply**" : "");
	if (p->db_checks_skipped)
		fx_buf_adds(&b, "_Database checks skipped (`--skip-db-checks`)._\n\n");
	if (p->checks.n) {
		fx_buf_adds(&b, "| level | check | scope | observed | expected | message |\n|---|---|---|---|---|---|\n");
		for (i = 0; i < p->checks.n; i++) {
			const struct fx_check *k = &p->checks.items[i];

			fx_buf_addf(&b, "| %s | `%s` | %s | ", k->level == FX_CHECK_ERROR ? "❌ error" :
				    k->level == FX_CHECK_WARNING ? "⚠️ warning" : "ℹ️ info", k->id, k->scope);
			md_cell(&b, k->observed ? k->observed : "");
			fx_buf_adds(&b, " | ");
			md_cell(&b, k->expected ? k->expected : "");
			fx_buf_adds(&b, " | ");
			md_cell(&b, k->message);
			if (k->hint) {
				fx_buf_adds(&b, " — hint: ");
				md_cell(&b, k->hint);
			}
			fx_buf_adds(&b, " |\n");
		}
		fx_buf_addc(&b, '\n');
	}
	for (i = 0; i < p->n_changes; i++) {
		const struct fx_change *c = &p->changes[i];

		fx_buf_addf(&b, "<details%s><summary><code>%s %s</code> — %s, risk <b>%s</b> (%s)</summary>\n\n",
			    c->risk >= FX_RISK_RESNAPSHOT ? " open" : "", action_sign(c->action),
			    c->connector, fx_action_name(c->action), fx_risk_name(c->risk), c->connect_url);
		if (c->description)
			fx_buf_addf(&b, "%s\n\n", c->description);
		fx_buf_adds(&b, "```diff\n");
		for (j = 0; j < c->n_diff; j++) {
			const struct fx_diff_item *d = &c->diff[j];
			const char *sign = d->op == FX_DIFF_REMOVE ? "-" : "+";

			if (d->sensitive) {
				fx_buf_addf(&b, "! %s: (sensitive value %s)\n", d->key,
					    d->op == FX_DIFF_CHANGE ? "changed" : d->op == FX_DIFF_ADD ? "set" : "removed");
			} else if (d->op == FX_DIFF_CHANGE) {
				fx_buf_addf(&b, "- %s: %s\n+ %s: %s\n", d->key, d->before ? d->before : "",
					    d->key, d->after ? d->after : "");
			} else {
				fx_buf_addf(&b, "%s %s: %s\n", sign, d->key,
					    d->op == FX_DIFF_ADD ? (d->after ? d->after : "") :
					    (d->before ? d->before : ""));
			}
		}
		fx_buf_adds(&b, "```\n");
		for (j = 0; j < c->n_notes; j++)
			fx_buf_addf(&b, "\n> **Note:** %s\n", c->notes[j]);
		fx_buf_adds(&b, "\n</details>\n\n");
	}
	if (limit && b.len > limit) {
		/* cut at a line boundary, close any open block, say where the rest is */
		size_t cut = limit;

		while (cut > 0 && b.buf[cut - 1] != '\n')
			cut--;
		fwrite(b.buf, 1, cut, out);
		fprintf(out, "\n```\n\n</details>\n\n_Truncated: the plan is %zu characters; the full plan is in %s._\n",
			b.len, o->plan_file ? o->plan_file : "the plan file (`fluxacdc plan --out FILE`, `fluxacdc show FILE`)");
	} else {
		fwrite(fx_buf_str(&b), 1, b.len, out);
	}
	fx_buf_release(&b);
}

/* ---- GitHub Actions workflow commands ---- */

/* A workflow command's message: %, CR and LF escaped (GitHub's rules); a
 * property value (prop) also ':' and ','. */
static void gh_escape(FILE *out, const char *s, int prop)
{
	for (; s && *s; s++) {
		if (*s == '%')
			fputs("%25", out);
		else if (*s == '\r')
			fputs("%0D", out);
		else if (*s == '\n')
			fputs("%0A", out);
		else if (prop && *s == ':')
			fputs("%3A", out);
		else if (prop && *s == ',')
			fputs("%2C", out);
		else
			fputc(*s, out);
	}
}

static void gh_data(FILE *out, const char *s)
{
	gh_escape(out, s, 0);
}

static void gh_prop(FILE *out, const char *s)
{
	gh_escape(out, s, 1);
}

/* "::LEVEL file=F,title=T::" then the caller writes the message and '\n'. */
static void gh_start(FILE *out, const char *level, const struct fx_plan *p, const char *title)
{
	fprintf(out, "::%s ", level);
	if (p->manifest_path && *p->manifest_path) {
		fputs("file=", out);
		gh_prop(out, p->manifest_path);
		fputc(',', out);
	}
	fputs("title=", out);
	gh_prop(out, title);
	fputs("::", out);
}

static void gh_check(FILE *out, const struct fx_plan *p, const struct fx_check *k)
{
	struct fx_buf t = FX_BUF_INIT;

	fx_buf_addf(&t, "fluxacdc: %s (%s)", k->id, k->scope);
	gh_start(out, k->level == FX_CHECK_ERROR ? "error" : "warning", p, fx_buf_str(&t));
	gh_data(out, k->message);
	if (k->observed) {
		fputs("%0Aobserved ", out);
		gh_data(out, k->observed);
	}
	if (k->expected) {
		fputs(k->observed ? ", expected " : "%0Aexpected ", out);
		gh_data(out, k->expected);
	}
	if (k->hint) {
		fputs("%0Ahint: ", out);
		gh_data(out, k->hint);
	}
	fputc('\n', out);
	fx_buf_release(&t);
}

static void gh_change(FILE *out, const struct fx_plan *p, const struct fx_change *c)
{
	struct fx_buf t = FX_BUF_INIT;
	size_t i;

	fx_buf_addf(&t, "fluxacdc: %s %s (risk %s)", fx_action_name(c->action), c->connector,
		    fx_risk_name(c->risk));
	gh_start(out, "warning", p, fx_buf_str(&t));
	gh_data(out, c->description ? c->description : c->connector);
	fputs(" on ", out);
	gh_data(out, c->connect_url);
	for (i = 0; i < c->n_notes; i++) {
		fputs("%0Anote: ", out);
		gh_data(out, c->notes[i]);
	}
	if (c->action == FX_ACTION_DELETE)
		fputs("%0Aapply deletes it only with --allow-destroy", out);
	fputc('\n', out);
	fx_buf_release(&t);
}

void fx_render_plan_github(FILE *out, const struct fx_plan *p, const struct fx_render_plan_opts *o)
{
	struct fx_buf line = FX_BUF_INIT;
	struct fx_render_plan_opts plain = FX_RENDER_PLAN_OPTS_INIT;
	size_t i;
	char *text = NULL, *nl;
	size_t len = 0;
	FILE *mem;

	for (i = 0; i < p->checks.n; i++)
		if (p->checks.items[i].level != FX_CHECK_INFO)
			gh_check(out, p, &p->checks.items[i]);
	for (i = 0; i < p->n_changes; i++)
		if (p->changes[i].action == FX_ACTION_DELETE || p->changes[i].risk >= FX_RISK_RESNAPSHOT)
			gh_change(out, p, &p->changes[i]);
	/* the summary as a notice, then the text plan for the log, with workflow
	 * commands off so that no value in it can be taken for one */
	mem = open_memstream(&text, &len);
	if (mem) {
		fx_render_plan_summary(mem, p, &plain);
		fclose(mem);
		if (text && (nl = strchr(text, '\n')))
			*nl = '\0';
	}
	fputs("::notice title=fluxacdc plan::", out);
	gh_data(out, text ? text : "");
	fputc('\n', out);
	free(text);
	fx_buf_addf(&line, "fluxacdc-%s", p->salt[0] ? p->salt : "plan");
	fprintf(out, "::stop-commands::%s\n", fx_buf_str(&line));
	fx_render_plan_text(out, p, o);
	fprintf(out, "::%s::\n", fx_buf_str(&line));
	fx_buf_release(&line);
}
