#include "snapshot.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/alloc.h"
#include "util/buf.h"
#include "util/str.h"

static int snapshot_cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The tables sorted, lent pointers in a new array (caller frees the array). */
static const char **snapshot_sorted(const struct fx_snap_request *r)
{
	const char **t = fx_calloc(r->n_tables ? r->n_tables : 1, sizeof(*t));

	if (!t)
		return NULL;
	if (r->n_tables)
		memcpy(t, r->tables, r->n_tables * sizeof(*t));
	qsort(t, r->n_tables, sizeof(*t), snapshot_cmp_str);
	return t;
}

char *fx_snapshot_signal_id(const struct fx_snap_request *r)
{
	struct fx_buf b = FX_BUF_INIT;
	const char **t = snapshot_sorted(r);
	char hex[72], *id = NULL;
	size_t i;

	if (!t)
		return NULL;
	/* fields separated by a byte none of them holds */
	fx_buf_addf(&b, "%s%c%s%c", r->connector ? r->connector : "", 0,
		    r->database ? r->database : "", 0);
	for (i = 0; i < r->n_tables; i++)
		fx_buf_addf(&b, "%s%c", t[i], 1);
	fx_buf_addf(&b, "%c%s%c%s", 0, r->where ? r->where : "", 0, r->token ? r->token : "");
	if (fx_buf_ok(&b)) {
		fx_sha256_hex(fx_buf_str(&b), b.len, hex);
		id = fx_asprintf("fluxa-%.24s", hex + (strncmp(hex, "sha256:", 7) ? 0 : 7));
	}
	fx_buf_release(&b);
	free(t);
	return id;
}

char *fx_snapshot_signal_json(const struct fx_snap_request *r, const char *id)
{
	json_t *root = json_object(), *data = json_object(), *cols = json_array();
	json_t *conds = r->where ? json_array() : NULL;
	const char **t = snapshot_sorted(r);
	char *out = NULL, *s = NULL;
	size_t i;
	int bad = !root || !data || !cols || (r->where && !conds) || !t;

	for (i = 0; !bad && i < r->n_tables; i++) {
		s = fx_asprintf("%s.%s", r->database, t[i]);
		bad = !s || json_array_append_new(cols, json_string(s)) < 0;
		if (!bad && conds) {
			json_t *c = json_pack("{s:s, s:s}", "data-collection", s, "filter", r->where);

			bad = !c || json_array_append_new(conds, c) < 0;
		}
		free(s);
		s = NULL;
	}
	if (!bad) {
		bad = json_object_set_new(root, "id", json_string(id)) < 0 ||
		      json_object_set_new(root, "type", json_string("execute-snapshot")) < 0 ||
		      json_object_set(data, "data-collections", cols) < 0 ||
		      json_object_set_new(data, "type", json_string("incremental")) < 0 ||
		      (conds && json_object_set(data, "additional-conditions", conds) < 0) ||
		      json_object_set(root, "data", data) < 0;
	}
	if (!bad)
		out = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(conds);
	json_decref(cols);
	json_decref(data);
	json_decref(root);
	free(t);
	return out;
}

char *fx_snapshot_signal_id_of(const char *value, size_t len)
{
	json_t *root = value ? json_loadb(value, len, 0, NULL) : NULL;
	const char *id = json_string_value(json_object_get(root, "id"));
	char *out = id ? fx_strdup(id) : NULL;

	json_decref(root);
	return out;
}

static const struct {
	const char *name;
	enum fx_notif_type type;
} snapshot_types[] = {
	{ "STARTED", FX_NOTIF_STARTED },
	{ "IN_PROGRESS", FX_NOTIF_IN_PROGRESS },
	{ "TABLE_SCAN_COMPLETED", FX_NOTIF_TABLE_SCAN_COMPLETED },
	{ "COMPLETED", FX_NOTIF_COMPLETED },
	{ "ABORTED", FX_NOTIF_ABORTED },
	{ "PAUSED", FX_NOTIF_PAUSED },
	{ "RESUMED", FX_NOTIF_RESUMED },
	{ "SKIPPED", FX_NOTIF_SKIPPED },
};

void fx_notification_release(struct fx_notification *n)
{
	size_t i;

	free(n->id);
	free(n->type_name);
	for (i = 0; i < n->n_collections; i++)
		free(n->collections[i]);
	free(n->collections);
	free(n->scanned);
	free(n->status);
	free(n->current);
	free(n->last_key);
	free(n->max_key);
	*n = (struct fx_notification)FX_NOTIFICATION_INIT;
}

/* A string member (a number is taken as its text), copied; 0, or -1 on out of memory. */
static int snapshot_dup(json_t *obj, const char *key, char **out)
{
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (json_is_string(v))
		*out = fx_strdup(json_string_value(v));
	else if (json_is_integer(v))
		*out = fx_asprintf("%lld", (long long)json_integer_value(v));
	else
		return 0;
	return *out ? 0 : -1;
}

static int snapshot_split(const char *list, struct fx_notification *n)
{
	const char *p = list;

	while (p && *p) {
		size_t len = strcspn(p, ",");
		const char *s = p, *e = p + len;

		while (s < e && *s == ' ')
			s++;
		while (e > s && e[-1] == ' ')
			e--;
		if (e > s) {
			char **grown = realloc(n->collections, (n->n_collections + 1) * sizeof(*grown));

			if (!grown)
				return -1;
			n->collections = grown;
			n->collections[n->n_collections] = fx_strndup(s, (size_t)(e - s));
			if (!n->collections[n->n_collections])
				return -1;
			n->n_collections++;
		}
		p += len + (p[len] == ',');
	}
	return 0;
}

int fx_snapshot_notification_parse(const char *value, size_t len, struct fx_notification *out,
				   struct fx_err *err)
{
	json_t *root = value ? json_loadb(value, len, 0, NULL) : NULL, *v, *ad, *ts;
	const char *agg, *type;
	char *rows = NULL, *list = NULL;
	size_t i;
	int ret = -1;

	*out = (struct fx_notification)FX_NOTIFICATION_INIT;
	v = root;
	if (json_is_object(json_object_get(root, "payload")) && json_object_get(root, "schema"))
		v = json_object_get(root, "payload");
	agg = json_string_value(json_object_get(v, "aggregate_type"));
	type = json_string_value(json_object_get(v, "type"));
	if (!json_is_object(v) || !agg || !type) {
		fx_err_set(err, 1, "not a Debezium notification (no aggregate_type and type)");
		goto cleanup;
	}
	ad = json_object_get(v, "additional_data");
	out->incremental = !strcmp(agg, "Incremental Snapshot");
	for (i = 0; i < sizeof(snapshot_types) / sizeof(snapshot_types[0]); i++)
		if (!strcmp(type, snapshot_types[i].name))
			out->type = snapshot_types[i].type;
	ts = json_object_get(v, "timestamp");
	if (json_is_integer(ts))
		out->ts_ms = (int64_t)json_integer_value(ts);
	else if (json_is_string(ts))
		out->ts_ms = strtoll(json_string_value(ts), NULL, 10);
	if (snapshot_dup(v, "id", &out->id) < 0 || !(out->type_name = fx_strdup(type)) ||
	    snapshot_dup(ad, "scanned_collection", &out->scanned) < 0 ||
	    snapshot_dup(ad, "status", &out->status) < 0 ||
	    snapshot_dup(ad, "current_collection_in_progress", &out->current) < 0 ||
	    snapshot_dup(ad, "last_processed_key", &out->last_key) < 0 ||
	    snapshot_dup(ad, "maximum_key", &out->max_key) < 0 ||
	    snapshot_dup(ad, "total_rows_scanned", &rows) < 0 ||
	    snapshot_dup(ad, "data_collections", &list) < 0 || snapshot_split(list, out) < 0) {
		fx_err_set(err, 1, "out of memory");
		goto cleanup;
	}
	if (rows)
		out->rows = strtoll(rows, NULL, 10);
	ret = 0;
cleanup:
	free(rows);
	free(list);
	json_decref(root);
	if (ret < 0)
		fx_notification_release(out);
	return ret;
}

int fx_snapshot_progress_init(struct fx_snap_progress *p, const char *database,
			      const char *const *tables, size_t n, struct fx_err *err)
{
	size_t i;

	*p = (struct fx_snap_progress)FX_SNAP_PROGRESS_INIT;
	p->tables = fx_calloc(n ? n : 1, sizeof(*p->tables));
	if (!p->tables)
		return fx_err_set(err, 1, "out of memory");
	for (i = 0; i < n; i++) {
		p->tables[i].name = database ? fx_asprintf("%s.%s", database, tables[i]) :
					       fx_strdup(tables[i]);
		p->tables[i].rows = -1;
		p->n++;
		if (!p->tables[i].name) {
			fx_snapshot_progress_release(p);
			return fx_err_set(err, 1, "out of memory");
		}
	}
	return 0;
}

void fx_snapshot_progress_release(struct fx_snap_progress *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		free(p->tables[i].name);
		free(p->tables[i].reason);
		free(p->tables[i].last_key);
		free(p->tables[i].max_key);
	}
	free(p->tables);
	*p = (struct fx_snap_progress)FX_SNAP_PROGRESS_INIT;
}

static struct fx_snap_table *snapshot_table(struct fx_snap_progress *p, const char *name)
{
	size_t i;

	for (i = 0; name && i < p->n; i++)
		if (!strcmp(p->tables[i].name, name))
			return &p->tables[i];
	return NULL;
}

static int snapshot_set(char **dst, const char *src)
{
	char *s = src ? fx_strdup(src) : NULL;

	if (src && !s)
		return -1;
	free(*dst);
	*dst = s;
	return 0;
}

/* A status of TABLE_SCAN_COMPLETED that means the table's rows were all read. */
static int snapshot_status_ok(const char *status)
{
	return !status || !strcmp(status, "SUCCEEDED") || !strcmp(status, "EMPTY");
}

int fx_snapshot_progress_feed(struct fx_snap_progress *p, const struct fx_notification *n)
{
	struct fx_snap_table *t;
	size_t i;
	int changed = 0;

	if (!n->incremental)
		return 0;
	switch (n->type) {
	case FX_NOTIF_STARTED:
		for (i = 0; i < n->n_collections; i++) {
			t = snapshot_table(p, n->collections[i]);
			if (t && t->state != FX_SNAP_DONE && t->state != FX_SNAP_FAILED) {
				if (!p->started)
					p->started_ms = n->ts_ms;
				p->started = changed = 1;
			}
		}
		break;
	case FX_NOTIF_IN_PROGRESS:
		t = snapshot_table(p, n->current);
		if (t && t->state != FX_SNAP_DONE && t->state != FX_SNAP_FAILED) {
			if (snapshot_set(&t->last_key, n->last_key) < 0 ||
			    snapshot_set(&t->max_key, n->max_key) < 0)
				return -1;
			t->state = FX_SNAP_RUNNING;
			if (!p->started)
				p->started_ms = n->ts_ms;
			p->started = changed = 1;
		}
		break;
	case FX_NOTIF_TABLE_SCAN_COMPLETED:
		t = snapshot_table(p, n->scanned);
		if (t && t->state != FX_SNAP_DONE && t->state != FX_SNAP_FAILED) {
			t->rows = n->rows;
			if (snapshot_status_ok(n->status)) {
				t->state = FX_SNAP_DONE;
			} else {
				t->state = FX_SNAP_FAILED;
				if (snapshot_set(&t->reason, n->status) < 0)
					return -1;
			}
			p->started = changed = 1;
		}
		break;
	case FX_NOTIF_ABORTED:
		/* names the tables it dropped; none named: the whole run */
		for (i = 0; i < p->n; i++) {
			size_t j;
			int hit = !n->n_collections;

			t = &p->tables[i];
			for (j = 0; j < n->n_collections && !hit; j++)
				hit = !strcmp(n->collections[j], t->name);
			if (!hit || t->state == FX_SNAP_DONE || t->state == FX_SNAP_FAILED)
				continue;
			/* an abort of a run that had not reached us yet only matters once started */
			if (!p->started && n->n_collections == 0)
				continue;
			t->state = FX_SNAP_FAILED;
			if (snapshot_set(&t->reason, "ABORTED (a stop-snapshot signal, or the connector stopped it)") < 0)
				return -1;
			changed = 1;
		}
		break;
	default:
		break;
	}
	if (changed)
		p->last_ms = n->ts_ms;
	return changed;
}

int fx_snapshot_progress_finished(const struct fx_snap_progress *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->tables[i].state != FX_SNAP_DONE && p->tables[i].state != FX_SNAP_FAILED)
			return 0;
	return 1;
}

size_t fx_snapshot_progress_count(const struct fx_snap_progress *p, enum fx_snap_state s)
{
	size_t i, k = 0;

	for (i = 0; i < p->n; i++)
		k += p->tables[i].state == s;
	return k;
}

long long fx_snapshot_progress_rows(const struct fx_snap_progress *p)
{
	long long rows = -1;
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->tables[i].rows >= 0)
			rows = (rows < 0 ? 0 : rows) + p->tables[i].rows;
	return rows;
}

const char *fx_snapshot_progress_status(const struct fx_snap_progress *p)
{
	if (fx_snapshot_progress_count(p, FX_SNAP_FAILED))
		return "failed";
	if (fx_snapshot_progress_finished(p))
		return "completed";
	return p->started ? "running" : "waiting";
}

long fx_snapshot_already_sent(const char *id, const char *const *ids, size_t n)
{
	size_t i;

	for (i = 0; id && i < n; i++)
		if (ids[i] && !strcmp(ids[i], id))
			return (long)i;
	return -1;
}

enum fx_snap_mode fx_snapshot_mode(int mariadb, const char *gtid_mode, const char *read_only,
				   const char *signal_collection)
{
	if (read_only && !strcasecmp(read_only, "true")) {
		if (mariadb || !gtid_mode || !strcasecmp(gtid_mode, "ON"))
			return FX_SNAP_MODE_READ_ONLY;
		return FX_SNAP_MODE_NONE; /* Debezium: "Read only connection requires GTID_MODE to be ON" */
	}
	if (signal_collection && *signal_collection)
		return FX_SNAP_MODE_SIGNAL_TABLE;
	return FX_SNAP_MODE_NONE;
}

const char *fx_snapshot_mode_name(enum fx_snap_mode m)
{
	switch (m) {
	case FX_SNAP_MODE_READ_ONLY:
		return "read-only";
	case FX_SNAP_MODE_SIGNAL_TABLE:
		return "signal table";
	default:
		return "none";
	}
}

/* One include-list entry as a literal "db.table", or NULL when it is a regex. */
static char *snapshot_unescape(const char *p, size_t n)
{
	char *out = fx_malloc(n + 1), *o = out;
	size_t i;

	if (!out)
		return NULL;
	for (i = 0; i < n; i++) {
		if (p[i] == '\\' && i + 1 < n && strchr("\\.^$|?*+()[]{}", p[i + 1])) {
			*o++ = p[++i];
			continue;
		}
		if (strchr("\\^$|?*+()[]{}", p[i])) { /* a regex, not a name */
			free(out);
			return fx_strdup("");
		}
		*o++ = p[i];
	}
	*o = 0;
	return out;
}

static int snapshot_in_list(const char *list, const char *name)
{
	const char *p = list;
	int found = 0;

	while (p && *p && !found) {
		size_t len = strcspn(p, ",");
		char *e = snapshot_unescape(p, len);

		found = e && !strcmp(e, name);
		free(e);
		p += len + (p[len] == ',');
	}
	return found;
}

void fx_snapshot_tables_free(char **tables, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(tables[i]);
	free(tables);
}

int fx_snapshot_added_tables(const char *before, const char *after, const char *database,
			     char ***out, size_t *n)
{
	const char *p = after;
	size_t dlen = database ? strlen(database) : 0;

	*out = NULL;
	*n = 0;
	while (p && *p) {
		size_t len = strcspn(p, ",");
		char *e = snapshot_unescape(p, len);

		if (!e)
			goto oom;
		if (dlen && !strncmp(e, database, dlen) && e[dlen] == '.' && e[dlen + 1] &&
		    !snapshot_in_list(before, e)) {
			char **grown = realloc(*out, (*n + 1) * sizeof(**out));

			if (!grown) {
				free(e);
				goto oom;
			}
			*out = grown;
			(*out)[*n] = fx_strdup(e + dlen + 1);
			if (!(*out)[*n]) {
				free(e);
				goto oom;
			}
			(*n)++;
		}
		free(e);
		p += len + (p[len] == ',');
	}
	return 0;
oom:
	fx_snapshot_tables_free(*out, *n);
	*out = NULL;
	*n = 0;
	return -1;
}

const char *fx_snapshot_unsupported(const struct fx_config *cfg, int mariadb)
{
	const char *ch = fx_config_get(cfg, "signal.enabled.channels");

	if (!fx_config_get(cfg, "signal.kafka.topic") || !ch || !strstr(ch, "kafka"))
		return "the connector has no Kafka signal channel (signal.enabled.channels with kafka, signal.kafka.topic): set snapshot_new_tables: true on its MySQL pool and run apply";
	if (!fx_config_get(cfg, "notification.sink.topic.name"))
		return "the connector has no notification topic (notification.sink.topic.name): set snapshot_new_tables: true on its MySQL pool and run apply";
	if (fx_snapshot_mode(mariadb, NULL, fx_config_get(cfg, "read.only"),
			     fx_config_get(cfg, "signal.data.collection")) == FX_SNAP_MODE_NONE)
		return "the connector has neither read.only=true nor a signal table (signal.data.collection): Debezium has no way to watermark an incremental snapshot (see SNAPSHOTS in fluxacdc.yaml(5))";
	return NULL;
}
