#include "plan_json.h"

#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/json.h"
#include "version.h"

static json_t *json_str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

/*
 * The writer checks every jansson call: a failed allocation anywhere must not
 * leave a plan file that silently lacks a member.  These set *bad on a
 * failure; both steal v whatever happens (jansson's _new calls do), and a NULL
 * v (a failed json_string, json_pack, ...) is a failure too.
 */
static void jset(json_t *o, const char *key, json_t *v, int *bad)
{
	if (json_object_set_new(o, key, v) < 0)
		*bad = 1;
}

static void jappend(json_t *a, json_t *v, int *bad)
{
	if (json_array_append_new(a, v) < 0)
		*bad = 1;
}

/* o, or NULL (o released) when something failed while building it. */
static json_t *jdone(json_t *o, int bad)
{
	if (!bad && o)
		return o;
	json_decref(o);
	return NULL;
}

static json_t *plan_checks_json(const struct fx_checks *c)
{
	json_t *arr = json_array();
	size_t i;
	int bad = !arr;

	for (i = 0; !bad && i < c->n; i++) {
		const struct fx_check *k = &c->items[i];

		jappend(arr, json_pack("{s:s, s:s, s:s, s:o, s:o, s:s, s:o}", "id", k->id,
				       "level", fx_check_level_name(k->level), "scope",
				       k->scope, "observed", json_str_or_null(k->observed),
				       "expected", json_str_or_null(k->expected),
				       "message", k->message, "hint",
				       json_str_or_null(k->hint)), &bad);
	}
	return jdone(arr, bad);
}

static json_t *plan_change_json(const struct fx_change *c)
{
	json_t *o = json_object(), *diff = json_array(), *notes = json_array();
	size_t i;
	int bad = !o;

	jset(o, "action", json_string(fx_action_name(c->action)), &bad);
	jset(o, "connector", json_string(c->connector), &bad);
	jset(o, "kafka_pool", json_str_or_null(c->kafka_pool), &bad);
	jset(o, "mysql_pool", json_str_or_null(c->mysql_pool), &bad);
	jset(o, "connect_url", json_string(c->connect_url), &bad);
	jset(o, "risk", json_string(fx_risk_name(c->risk)), &bad);
	jset(o, "description", json_string(c->description ? c->description : ""), &bad);
	for (i = 0; diff && i < c->n_diff; i++) {
		const struct fx_diff_item *d = &c->diff[i];
		json_t *it = json_pack("{s:s, s:s}", "key", d->key, "op", fx_diff_op_name(d->op));
		int ibad = !it;

		if (d->sensitive) {
			jset(it, "sensitive", json_true(), &ibad);
		} else {
			if (d->before)
				jset(it, "before", json_string(d->before), &ibad);
			if (d->after)
				jset(it, "after", json_string(d->after), &ibad);
		}
		jappend(diff, jdone(it, ibad), &bad);
	}
	jset(o, "diff", diff, &bad);
	for (i = 0; notes && i < c->n_notes; i++)
		jappend(notes, json_string(c->notes[i]), &bad);
	jset(o, "notes", notes, &bad);
	return jdone(o, bad);
}

/* One fingerprint.connectors entry: observed, and the per-key fingerprints. */
static json_t *plan_fp_json(const char *url, const char *name, const char *observed,
			    const struct fx_config *observed_keys, const char *desired,
			    const struct fx_config *desired_keys)
{
	json_t *e = json_pack("{s:s, s:s, s:o}", "connect_url", url, "connector", name, "observed",
			      json_str_or_null(observed));
	const struct fx_config *keys[2] = { observed_keys, desired_keys };
	static const char *const fields[2] = { "observed_keys", "desired_keys" };
	size_t i, k;
	int bad = !e;

	if (desired)
		jset(e, "desired", json_string(desired), &bad);
	for (k = 0; !bad && k < 2; k++) {
		json_t *o;

		if (!keys[k]->n)
			continue;
		o = json_object();
		for (i = 0; o && i < keys[k]->n; i++)
			jset(o, keys[k]->items[i].key, json_string(keys[k]->items[i].value), &bad);
		jset(e, fields[k], o, &bad);
	}
	return jdone(e, bad);
}

json_t *fx_plan_to_json(const struct fx_plan *p)
{
	json_t *o = json_object(), *changes = json_array(), *unchanged = json_array();
	json_t *fps = json_array();
	size_t i;
	int bad = !o;

	jset(o, "format_version", json_string(FX_PLAN_FORMAT_VERSION), &bad);
	jset(o, "fluxacdc_version", json_string(FX_VERSION), &bad);
	jset(o, "manifest", json_pack("{s:s, s:s}", "path", p->manifest_path ? p->manifest_path : "",
				      "sha256", p->manifest_sha256), &bad);
	jset(o, "db_checks_skipped", json_boolean(p->db_checks_skipped), &bad);
	jset(o, "checks", plan_checks_json(&p->checks), &bad);
	for (i = 0; changes && fps && i < p->n_changes; i++) {
		jappend(changes, plan_change_json(&p->changes[i]), &bad);
		jappend(fps, plan_fp_json(p->changes[i].connect_url, p->changes[i].connector,
					  p->changes[i].observed_fp, &p->changes[i].observed_keys,
					  p->changes[i].desired_fp, &p->changes[i].desired_keys), &bad);
	}
	jset(o, "changes", changes, &bad);
	for (i = 0; unchanged && fps && i < p->n_unchanged; i++) {
		jappend(unchanged, json_string(p->unchanged[i].connector), &bad);
		jappend(fps, plan_fp_json(p->unchanged[i].connect_url, p->unchanged[i].connector,
					  p->unchanged[i].observed_fp, &p->unchanged[i].observed_keys,
					  p->unchanged[i].desired_fp, &p->unchanged[i].desired_keys), &bad);
	}
	jset(o, "unchanged", unchanged, &bad);
	jset(o, "summary", json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}",
				     "create", (json_int_t)fx_plan_count(p, FX_ACTION_CREATE),
				     "update", (json_int_t)fx_plan_count(p, FX_ACTION_UPDATE),
				     "delete", (json_int_t)fx_plan_count(p, FX_ACTION_DELETE),
				     "unchanged", (json_int_t)p->n_unchanged,
				     "errors", (json_int_t)fx_checks_count(&p->checks, FX_CHECK_ERROR),
				     "warnings", (json_int_t)fx_checks_count(&p->checks, FX_CHECK_WARNING)),
	     &bad);
	jset(o, "applyable", json_boolean(fx_plan_applyable(p)), &bad);
	jset(o, "fingerprint", json_pack("{s:s, s:s, s:s, s:o}", "desired", p->desired_fp, "observed",
					 p->observed_fp, "salt", p->salt, "connectors", fps), &bad);
	return jdone(o, bad);
}

int fx_plan_write_json(const struct fx_plan *p, FILE *out, int pretty)
{
	return fx_json_write(out, fx_plan_to_json(p), pretty ? JSON_INDENT(2) | JSON_PRESERVE_ORDER :
							       JSON_COMPACT | JSON_PRESERVE_ORDER);
}

/* ---- reading ---- */

/* A copy of o's string member key; NULL when absent, or (setting *oom) when
 * out of memory, so that a failed copy never passes for a missing field. */
static char *get_str(json_t *o, const char *key, int *oom)
{
	json_t *v = json_object_get(o, key);
	char *s;

	if (!json_is_string(v))
		return NULL;
	s = fx_strdup(json_string_value(v));
	if (!s)
		*oom = 1;
	return s;
}

static char *dup_or_null(const char *s, int *oom)
{
	char *d;

	if (!s)
		return NULL;
	d = fx_strdup(s);
	if (!d)
		*oom = 1;
	return d;
}

static int enum_of(const char *s, const char *const *names, size_t n)
{
	size_t i;

	for (i = 0; s && i < n; i++)
		if (!strcmp(s, names[i]))
			return (int)i;
	return -1;
}

static int plan_read_change(json_t *jc, struct fx_change *c, struct fx_err *err, size_t idx)
{
	static const char *const actions[] = { "create", "update", "delete" };
	static const char *const risks[] = { "safe", "restart", "resnapshot", "destroy", "breaking" };
	static const char *const ops[] = { "add", "change", "remove" };
	json_t *diff, *notes, *v;
	size_t i;
	int a, r, oom = 0;

	memset(c, 0, sizeof(*c));
	if (!json_is_object(jc))
		return fx_err_set(err, 65, "changes[%zu] is not an object", idx);
	a = enum_of(json_string_value(json_object_get(jc, "action")), actions, 3);
	r = enum_of(json_string_value(json_object_get(jc, "risk")), risks, 5);
	c->connector = get_str(jc, "connector", &oom);
	c->connect_url = get_str(jc, "connect_url", &oom);
	if (oom)
		return fx_err_set(err, 1, "out of memory reading changes[%zu]", idx);
	if (a < 0 || r < 0 || !c->connector || !c->connect_url)
		return fx_err_set(err, 65, "changes[%zu]: missing or bad action, risk, connector or connect_url", idx);
	c->action = (enum fx_action)a;
	c->risk = (enum fx_risk)r;
	c->kafka_pool = get_str(jc, "kafka_pool", &oom);
	c->mysql_pool = get_str(jc, "mysql_pool", &oom);
	c->description = get_str(jc, "description", &oom);
	diff = json_object_get(jc, "diff");
	if (json_is_array(diff) && json_array_size(diff)) {
		c->diff = fx_calloc(json_array_size(diff), sizeof(*c->diff));
		if (!c->diff)
			return fx_err_set(err, 1, "out of memory");
		json_array_foreach(diff, i, v) {
			struct fx_diff_item *d = &c->diff[c->n_diff];
			int op = enum_of(json_string_value(json_object_get(v, "op")), ops, 3);

			d->key = get_str(v, "key", &oom);
			if (oom) {
				free(d->key);
				d->key = NULL;
				return fx_err_set(err, 1, "out of memory reading changes[%zu]", idx);
			}
			if (!d->key || op < 0) {
				free(d->key);
				return fx_err_set(err, 65, "changes[%zu].diff[%zu]: missing key or op", idx, i);
			}
			d->op = (enum fx_diff_op)op;
			d->sensitive = json_is_true(json_object_get(v, "sensitive"));
			d->before = get_str(v, "before", &oom);
			d->after = get_str(v, "after", &oom);
			c->n_diff++;
		}
	}
	notes = json_object_get(jc, "notes");
	if (json_is_array(notes) && json_array_size(notes)) {
		c->notes = fx_calloc(json_array_size(notes), sizeof(*c->notes));
		if (!c->notes)
			return fx_err_set(err, 1, "out of memory");
		json_array_foreach(notes, i, v)
			if (json_is_string(v) && (c->notes[c->n_notes] = dup_or_null(json_string_value(v), &oom)))
				c->n_notes++;
	}
	if (oom)
		return fx_err_set(err, 1, "out of memory reading changes[%zu]", idx);
	return 0;
}

static json_t *fp_of(json_t *fps, const char *url, const char *name)
{
	size_t i;
	json_t *v;

	json_array_foreach(fps, i, v) {
		const char *u = json_string_value(json_object_get(v, "connect_url"));
		const char *n = json_string_value(json_object_get(v, "connector"));

		if (u && n && !strcmp(u, url) && !strcmp(n, name))
			return v;
	}
	return NULL;
}

/* What fluxacdc writes: "sha256:" and 64 lowercase hex digits. */
static int is_sha256(const char *s)
{
	size_t i;

	if (!s || strncmp(s, "sha256:", 7))
		return 0;
	for (i = 7; i < 7 + 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return s[i] == '\0';
}

/* The salt: 32 lowercase hex digits (fx_plan_new_salt). */
static int is_salt(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return i == 32;
}

/*
 * Fingerprints and the salt are read in the form they are written, or not at
 * all: anything else (other bytes, a longer string cut to fit) would load,
 * then be written as a file this reader refuses.
 */
static int plan_read_fingerprint(json_t *fp, struct fx_plan *p, struct fx_err *err)
{
	static const char *const keys[] = { "desired", "observed" };
	json_t *fps = json_object_get(fp, "connectors"), *v;
	const char *s;
	size_t i;

	for (i = 0; i < 2; i++) {
		s = json_string_value(json_object_get(fp, keys[i]));
		if (!is_sha256(s))
			return fx_err_set(err, 65, "fingerprint.%s is not sha256:<64 hex digits>", keys[i]);
	}
	s = json_string_value(json_object_get(fp, "salt"));
	if (!is_salt(s))
		return fx_err_set(err, 65, "fingerprint.salt is not 32 hex digits");
	json_array_foreach(fps, i, v) {
		json_t *o = json_object_get(v, "observed");

		if (o && !json_is_null(o) && !is_sha256(json_string_value(o)))
			return fx_err_set(err, 65, "fingerprint.connectors[%zu].observed is not null or "
					  "sha256:<64 hex digits>", i);
		o = json_object_get(v, "desired");
		if (o && !is_sha256(json_string_value(o)))
			return fx_err_set(err, 65, "fingerprint.connectors[%zu].desired is not "
					  "sha256:<64 hex digits>", i);
	}
	snprintf(p->desired_fp, sizeof(p->desired_fp), "%s", json_string_value(json_object_get(fp, "desired")));
	snprintf(p->observed_fp, sizeof(p->observed_fp), "%s", json_string_value(json_object_get(fp, "observed")));
	snprintf(p->salt, sizeof(p->salt), "%s", s);
	return 0;
}

/* {"key": "sha256:..." | "sensitive"} into out; absent: left empty.  -1 with
 * err: a value in another form (65) or out of memory (1). */
static int keys_read(json_t *entry, const char *field, struct fx_config *out, struct fx_err *err)
{
	json_t *o = json_object_get(entry, field), *v;
	const char *k;

	json_object_foreach(o, k, v) {
		const char *s = json_string_value(v);

		if (!s || (!is_sha256(s) && strcmp(s, "sensitive")))
			return fx_err_set(err, 65, "fingerprint.connectors[].%s.%s is not sha256:<64 hex digits> or \"sensitive\"",
					  field, k);
		if (fx_config_set(out, k, s) < 0)
			return fx_err_set(err, 1, "out of memory");
	}
	return 0;
}

static int plan_read(json_t *root, struct fx_plan *p, struct fx_err *err)
{
	static const char *const levels[] = { "info", "warning", "error" };
	json_t *checks, *changes, *fp, *fps, *v, *man;
	const char *s;
	size_t i;
	int oom = 0;

	if (!json_is_object(root))
		return fx_err_set(err, 65, "not a fluxacdc plan (the top level is not an object)");
	s = json_string_value(json_object_get(root, "format_version"));
	if (!s)
		return fx_err_set(err, 65, "not a fluxacdc plan (no format_version)");
	if (strcmp(s, FX_PLAN_FORMAT_VERSION))
		return fx_err_set(err, 65, "plan format_version '%s' is not one this fluxacdc reads (%s)",
				  s, FX_PLAN_FORMAT_VERSION);
	man = json_object_get(root, "manifest");
	p->manifest_path = get_str(man, "path", &oom);
	s = json_string_value(json_object_get(man, "sha256"));
	if (s && *s && !is_sha256(s))
		return fx_err_set(err, 65, "manifest.sha256 is not sha256:<64 hex digits>");
	snprintf(p->manifest_sha256, sizeof(p->manifest_sha256), "%s", s ? s : "");
	p->db_checks_skipped = json_is_true(json_object_get(root, "db_checks_skipped"));
	fp = json_object_get(root, "fingerprint");
	if (!json_is_object(fp) || !json_is_string(json_object_get(fp, "desired")) ||
	    !json_is_string(json_object_get(fp, "observed")) ||
	    !json_is_string(json_object_get(fp, "salt")))
		return fx_err_set(err, 65, "plan has no fingerprint (desired, observed, salt)");
	if (plan_read_fingerprint(fp, p, err) < 0)
		return -1;
	fps = json_object_get(fp, "connectors");
	if (!json_is_array(fps))
		fps = NULL;
	checks = json_object_get(root, "checks");
	json_array_foreach(checks, i, v) {
		int lv = enum_of(json_string_value(json_object_get(v, "level")), levels, 3);
		const char *id = json_string_value(json_object_get(v, "id"));
		const char *scope = json_string_value(json_object_get(v, "scope"));
		const char *msg = json_string_value(json_object_get(v, "message"));

		if (lv < 0 || !id || !scope || !msg)
			return fx_err_set(err, 65, "checks[%zu]: missing id, level, scope or message", i);
		if (fx_checks_add(&p->checks, (enum fx_check_level)lv, id, scope,
				  json_string_value(json_object_get(v, "observed")),
				  json_string_value(json_object_get(v, "expected")),
				  json_string_value(json_object_get(v, "hint")), "%s", msg) < 0)
			return fx_err_set(err, 1, "out of memory");
	}
	changes = json_object_get(root, "changes");
	if (!json_is_array(changes))
		return fx_err_set(err, 65, "plan has no changes array");
	if (json_array_size(changes)) {
		p->changes = fx_calloc(json_array_size(changes), sizeof(*p->changes));
		if (!p->changes)
			return fx_err_set(err, 1, "out of memory");
	}
	json_array_foreach(changes, i, v) {
		struct fx_change *c = &p->changes[p->n_changes];
		json_t *e;

		p->n_changes++;
		if (plan_read_change(v, c, err, i) < 0)
			return -1;
		e = fps ? fp_of(fps, c->connect_url, c->connector) : NULL;
		c->observed_fp = dup_or_null(json_string_value(json_object_get(e, "observed")), &oom);
		c->desired_fp = dup_or_null(json_string_value(json_object_get(e, "desired")), &oom);
		if (keys_read(e, "observed_keys", &c->observed_keys, err) < 0 ||
		    keys_read(e, "desired_keys", &c->desired_keys, err) < 0)
			return -1;
	}
	/* unchanged: every fingerprinted connector that is not a change */
	if (fps && json_array_size(fps)) {
		p->unchanged = fx_calloc(json_array_size(fps), sizeof(*p->unchanged));
		if (!p->unchanged)
			return fx_err_set(err, 1, "out of memory");
		json_array_foreach(fps, i, v) {
			const char *u = json_string_value(json_object_get(v, "connect_url"));
			const char *n = json_string_value(json_object_get(v, "connector"));
			const char *f = json_string_value(json_object_get(v, "observed"));
			size_t k;
			int is_change = 0;

			if (!u || !n)
				return fx_err_set(err, 65, "fingerprint.connectors[%zu]: missing connect_url or connector", i);
			for (k = 0; k < p->n_changes; k++)
				is_change |= !strcmp(p->changes[k].connector, n) &&
					     !strcmp(p->changes[k].connect_url, u);
			if (is_change)
				continue;
			p->unchanged[p->n_unchanged].connector = dup_or_null(n, &oom);
			p->unchanged[p->n_unchanged].connect_url = dup_or_null(u, &oom);
			p->unchanged[p->n_unchanged].observed_fp = dup_or_null(f, &oom);
			p->unchanged[p->n_unchanged].desired_fp =
				dup_or_null(json_string_value(json_object_get(v, "desired")), &oom);
			p->n_unchanged++;
			if (keys_read(v, "observed_keys", &p->unchanged[p->n_unchanged - 1].observed_keys, err) < 0 ||
			    keys_read(v, "desired_keys", &p->unchanged[p->n_unchanged - 1].desired_keys, err) < 0)
				return -1;
		}
	}
	if (oom)
		return fx_err_set(err, 1, "out of memory reading the plan");
	return 0;
}

/* Every unreadable plan file gets the same way out. */
static void plan_hint(struct fx_err *err)
{
	size_t n = strlen(err->msg);

	snprintf(err->msg + n, sizeof(err->msg) - n,
		 "; make a plan file with this fluxacdc: fluxacdc plan --out FILE");
}

static int plan_hint_ret(struct fx_err *err, int ret)
{
	plan_hint(err);
	return ret;
}

int fx_plan_from_json(const char *path, const char *data, size_t len, struct fx_plan *out,
		      struct fx_err *err)
{
	json_error_t jerr;
	json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	int r;

	*out = (struct fx_plan)FX_PLAN_INIT;
	if (!root)
		return plan_hint_ret(err, fx_err_set(err, 65, "%s:%d:%d: not a JSON plan file: %s", path, jerr.line,
				  jerr.column, jerr.text));
	r = plan_read(root, out, err);
	json_decref(root);
	if (r < 0) {
		fx_err_prefix(err, "%s", path);
		if (err->code == 65)
			plan_hint(err);
		fx_plan_release(out);
	}
	return r;
}
