#include "connect_json.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "secret.h"
#include "interp.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/str.h"

/* A JSON body into a jansson value (new reference), or NULL with err set. */
static json_t *cj_load(const char *json, size_t len, const char *what, struct fx_err *err)
{
	json_error_t jerr;
	json_t *v;

	if (!json) {
		fx_err_set(err, 1, "%s: empty answer", what);
		return NULL;
	}
	v = json_loadb(json, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
	if (!v)
		fx_err_set(err, 1, "%s: not JSON (%s at byte %d)", what, jerr.text, jerr.position);
	return v;
}

/* A copy of a JSON scalar as text: strings as is, numbers and booleans as
 * Connect would print them, null as NULL.  *bad is set for arrays/objects. */
static char *cj_scalar(const json_t *v, int *bad)
{
	char tmp[64];

	switch (json_typeof(v)) {
	case JSON_STRING:
		return fx_strndup(json_string_value(v), json_string_length(v));
	case JSON_INTEGER:
		snprintf(tmp, sizeof(tmp), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return fx_strdup(tmp);
	case JSON_REAL:
		snprintf(tmp, sizeof(tmp), "%.17g", json_real_value(v));
		return fx_strdup(tmp);
	case JSON_TRUE:
		return fx_strdup("true");
	case JSON_FALSE:
		return fx_strdup("false");
	case JSON_NULL:
		return NULL;
	default:
		*bad = 1;
		return NULL;
	}
}

/* An optional string member: 0 with *out a copy (NULL when absent or null),
 * -1 when it is present but not a string, or on OOM. */
static int cj_opt_string(const json_t *obj, const char *key, char **out)
{
	const json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return -1;
	*out = fx_strndup(json_string_value(v), json_string_length(v));
	return *out ? 0 : -1;
}

int fx_connect_parse_root(const char *json, size_t len, struct fx_observed_cluster *out,
			  struct fx_err *err)
{
	char *version = NULL, *commit = NULL, *cluster = NULL;
	json_t *root;
	int ret = -1;

	root = cj_load(json, len, "GET /", err);
	if (!root)
		return -1;
	if (!json_is_object(root)) {
		fx_err_set(err, 1, "GET /: expected an object");
		goto cleanup;
	}
	if (cj_opt_string(root, "version", &version) < 0 ||
	    cj_opt_string(root, "commit", &commit) < 0 ||
	    cj_opt_string(root, "kafka_cluster_id", &cluster) < 0) {
		fx_err_set(err, 1, "GET /: version, commit and kafka_cluster_id must be strings");
		goto cleanup;
	}
	if (!version) {
		fx_err_set(err, 1, "GET /: no 'version' (is this a Kafka Connect REST URL?)");
		goto cleanup;
	}
	free(out->version);
	free(out->commit);
	free(out->kafka_cluster_id);
	out->version = version;
	out->commit = commit;
	out->kafka_cluster_id = cluster;
	version = commit = cluster = NULL;
	ret = 0;
cleanup:
	free(version);
	free(commit);
	free(cluster);
	json_decref(root);
	return ret;
}

static int cj_plugin_cmp(const void *a, const void *b)
{
	const struct fx_plugin *x = a, *y = b;

	return strcmp(x->class_name, y->class_name);
}

static void cj_plugins_free(struct fx_plugin *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(p[i].class_name);
		free(p[i].type);
		free(p[i].version);
	}
	free(p);
}

int fx_connect_parse_plugins(const char *json, size_t len, struct fx_observed_cluster *out,
			     struct fx_err *err)
{
	struct fx_plugin *plugins = NULL;
	size_t i, n = 0;
	json_t *root, *item;
	int ret = -1;

	root = cj_load(json, len, "GET /connector-plugins", err);
	if (!root)
		return -1;
	if (!json_is_array(root)) {
		fx_err_set(err, 1, "GET /connector-plugins: expected an array");
		goto cleanup;
	}
	plugins = fx_calloc(json_array_size(root) + 1, sizeof(*plugins));
	if (!plugins) {
		fx_err_set(err, 1, "out of memory");
		goto cleanup;
	}
	json_array_foreach(root, i, item) {
		struct fx_plugin *p = &plugins[n];

		if (!json_is_object(item) || cj_opt_string(item, "class", &p->class_name) < 0 ||
		    !p->class_name) {
			free(p->class_name);
			p->class_name = NULL;
			fx_err_set(err, 1, "GET /connector-plugins: item %zu has no 'class' string", i);
			goto cleanup;
		}
		n++;
		if (cj_opt_string(item, "type", &p->type) < 0 ||
		    cj_opt_string(item, "version", &p->version) < 0) {
			fx_err_set(err, 1, "GET /connector-plugins: '%s': type and version must be strings",
				   p->class_name);
			goto cleanup;
		}
	}
	qsort(plugins, n, sizeof(*plugins), cj_plugin_cmp);
	cj_plugins_free(out->plugins, out->n_plugins);
	out->plugins = plugins;
	out->n_plugins = n;
	out->have_plugins = 1;
	plugins = NULL;
	ret = 0;
cleanup:
	if (plugins)
		cj_plugins_free(plugins, n);
	json_decref(root);
	return ret;
}

/* A flat object of scalars into cfg; -1 with err on anything else. */
static int cj_config(const json_t *obj, struct fx_config *cfg, const char *what,
		     struct fx_err *err)
{
	const char *key;
	json_t *v;

	if (!json_is_object(obj))
		return fx_err_set(err, 1, "%s: the config is not an object", what);
	json_object_foreach((json_t *)obj, key, v) {
		int bad = 0;
		char *s = cj_scalar(v, &bad);

		if (bad)
			return fx_err_set(err, 1, "%s: config key '%s' is not a scalar", what, key);
		if ((!s && !json_is_null(v)) || fx_config_set(cfg, key, s ? s : "") < 0) {
			free(s);
			return fx_err_set(err, 1, "out of memory");
		}
		free(s);
	}
	return 0;
}

static int cj_task_cmp(const void *a, const void *b)
{
	const struct fx_task_status *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

/* A status object ({"name", "connector": {...}, "tasks": [...], "type"}) into c. */
static int cj_status(const json_t *st, struct fx_observed_connector *c, const char *what,
		     struct fx_err *err)
{
	const json_t *conn, *tasks, *t;
	size_t i;

	if (!json_is_object(st))
		return fx_err_set(err, 1, "%s: the status is not an object", what);
	if (!c->type && cj_opt_string(st, "type", &c->type) < 0)
		return fx_err_set(err, 1, "%s: 'type' is not a string", what);
	conn = json_object_get(st, "connector");
	if (conn && !json_is_null(conn)) {
		if (!json_is_object(conn))
			return fx_err_set(err, 1, "%s: 'connector' is not an object", what);
		free(c->state);
		free(c->worker_id);
		free(c->trace);
		c->state = c->worker_id = c->trace = NULL;
		if (cj_opt_string(conn, "state", &c->state) < 0 ||
		    cj_opt_string(conn, "worker_id", &c->worker_id) < 0 ||
		    cj_opt_string(conn, "trace", &c->trace) < 0)
			return fx_err_set(err, 1, "%s: connector state, worker_id and trace must be strings",
					  what);
	}
	tasks = json_object_get(st, "tasks");
	if (!tasks || json_is_null(tasks))
		return 0;
	if (!json_is_array(tasks))
		return fx_err_set(err, 1, "%s: 'tasks' is not an array", what);
	if (json_array_size(tasks) > 100000)
		return fx_err_set(err, 1, "%s: too many tasks", what);
	c->tasks = fx_calloc(json_array_size(tasks) + 1, sizeof(*c->tasks));
	if (!c->tasks)
		return fx_err_set(err, 1, "out of memory");
	json_array_foreach(tasks, i, t) {
		struct fx_task_status *ts = &c->tasks[c->n_tasks];
		const json_t *id = json_object_get(t, "id");

		if (!json_is_object(t) || !json_is_integer(id) || json_integer_value(id) < 0 ||
		    json_integer_value(id) > 1000000)
			return fx_err_set(err, 1, "%s: task %zu has no integer 'id'", what, i);
		ts->id = (int)json_integer_value(id);
		c->n_tasks++;
		if (cj_opt_string(t, "state", &ts->state) < 0 ||
		    cj_opt_string(t, "worker_id", &ts->worker_id) < 0 ||
		    cj_opt_string(t, "trace", &ts->trace) < 0)
			return fx_err_set(err, 1, "%s: task %d: state, worker_id and trace must be strings",
					  what, ts->id);
	}
	qsort(c->tasks, c->n_tasks, sizeof(*c->tasks), cj_task_cmp);
	return 0;
}

static int cj_connector_cmp(const void *a, const void *b)
{
	const struct fx_observed_connector *x = a, *y = b;

	return strcmp(x->name, y->name);
}

static void cj_connectors_free(struct fx_observed_connector *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		fx_observed_connector_release(&c[i]);
	free(c);
}

int fx_connect_parse_expanded(const char *json, size_t len, struct fx_observed_cluster *out,
			      struct fx_err *err)
{
	static const char what[] = "GET /connectors?expand=info&expand=status";
	struct fx_observed_connector *list = NULL;
	size_t n = 0;
	const char *name;
	json_t *root, *v;
	int ret = -1;

	root = cj_load(json, len, what, err);
	if (!root)
		return -1;
	if (!json_is_object(root)) {
		fx_err_set(err, 1, "%s: expected an object keyed by connector name", what);
		goto cleanup;
	}
	list = fx_calloc(json_object_size(root) + 1, sizeof(*list));
	if (!list) {
		fx_err_set(err, 1, "out of memory");
		goto cleanup;
	}
	json_object_foreach(root, name, v) {
		struct fx_observed_connector *c = &list[n];
		const json_t *info, *status;

		if (!json_is_object(v)) {
			fx_err_set(err, 1, "%s: connector '%s' is not an object", what, name);
			goto cleanup;
		}
		c->name = fx_strdup(name);
		if (!c->name) {
			fx_err_set(err, 1, "out of memory");
			goto cleanup;
		}
		n++;
		info = json_object_get(v, "info");
		status = json_object_get(v, "status");
		if (info && !json_is_null(info)) {
			if (!json_is_object(info)) {
				fx_err_set(err, 1, "%s: connector '%s': 'info' is not an object", what, name);
				goto cleanup;
			}
			if (cj_opt_string(info, "type", &c->type) < 0) {
				fx_err_set(err, 1, "%s: connector '%s': 'type' is not a string", what, name);
				goto cleanup;
			}
			if (json_object_get(info, "config") &&
			    cj_config(json_object_get(info, "config"), &c->config, what, err) < 0) {
				fx_err_prefix(err, "connector '%s'", name);
				goto cleanup;
			}
		}
		if (status && !json_is_null(status) && cj_status(status, c, what, err) < 0)
			goto cleanup;
	}
	qsort(list, n, sizeof(*list), cj_connector_cmp);
	cj_connectors_free(out->connectors, out->n_connectors);
	out->connectors = list;
	out->n_connectors = n;
	list = NULL;
	ret = 0;
cleanup:
	if (list)
		cj_connectors_free(list, n);
	json_decref(root);
	return ret;
}

int fx_connect_parse_status(const char *json, size_t len, struct fx_observed_connector *out,
			    struct fx_err *err)
{
	struct fx_observed_connector c;
	json_t *root;
	int ret = -1;

	memset(&c, 0, sizeof(c));
	root = cj_load(json, len, "connector status", err);
	if (!root)
		return -1;
	if (!json_is_object(root)) {
		fx_err_set(err, 1, "connector status: expected an object");
		goto cleanup;
	}
	if (cj_opt_string(root, "name", &c.name) < 0) {
		fx_err_set(err, 1, "connector status: 'name' is not a string");
		goto cleanup;
	}
	if (cj_status(root, &c, "connector status", err) < 0)
		goto cleanup;
	fx_observed_connector_release(out);
	*out = c;
	memset(&c, 0, sizeof(c));
	ret = 0;
cleanup:
	fx_observed_connector_release(&c);
	json_decref(root);
	return ret;
}

int fx_connect_parse_config(const char *json, size_t len, struct fx_config *out,
			    struct fx_err *err)
{
	struct fx_config cfg = FX_CONFIG_INIT;
	json_t *root;
	int ret = -1;

	root = cj_load(json, len, "connector config", err);
	if (!root)
		return -1;
	if (cj_config(root, &cfg, "connector config", err) < 0)
		goto cleanup;
	fx_config_release(out);
	*out = cfg;
	fx_config_init(&cfg);
	ret = 0;
cleanup:
	fx_config_release(&cfg);
	json_decref(root);
	return ret;
}

void fx_connect_validation_release(struct fx_connect_validation *v)
{
	size_t i;

	for (i = 0; i < v->n; i++) {
		free(v->items[i].key);
		free(v->items[i].message);
	}
	free(v->items);
	v->items = NULL;
	v->n = 0;
	v->error_count = 0;
}

int fx_connect_parse_validate(const char *json, size_t len, struct fx_connect_validation *out,
			      struct fx_err *err)
{
	static const char what[] = "config/validate";
	struct fx_connect_validation v = FX_CONNECT_VALIDATION_INIT;
	const json_t *configs, *item, *count;
	struct fx_buf msg = FX_BUF_INIT;
	json_t *root;
	size_t i;
	int ret = -1;

	root = cj_load(json, len, what, err);
	if (!root)
		return -1;
	count = json_object_get(root, "error_count");
	configs = json_object_get(root, "configs");
	if (!json_is_object(root) || !json_is_integer(count) || !json_is_array(configs)) {
		fx_err_set(err, 1, "%s: expected {\"error_count\": N, \"configs\": [...]}", what);
		goto cleanup;
	}
	v.error_count = (long)json_integer_value(count);
	v.items = fx_calloc(json_array_size(configs) + 1, sizeof(*v.items));
	if (!v.items) {
		fx_err_set(err, 1, "out of memory");
		goto cleanup;
	}
	json_array_foreach(configs, i, item) {
		const json_t *val = json_object_get(item, "value"), *errs, *e;
		const json_t *name;
		size_t k;

		if (!json_is_object(val)) {
			fx_err_set(err, 1, "%s: configs[%zu] has no 'value' object", what, i);
			goto cleanup;
		}
		errs = json_object_get(val, "errors");
		name = json_object_get(val, "name");
		if (!errs || json_is_null(errs) || (json_is_array(errs) && !json_array_size(errs)))
			continue;
		if (!json_is_array(errs) || !json_is_string(name)) {
			fx_err_set(err, 1, "%s: configs[%zu]: 'name' and 'errors' malformed", what, i);
			goto cleanup;
		}
		fx_buf_reset(&msg);
		json_array_foreach(errs, k, e) {
			if (!json_is_string(e))
				continue;
			if (msg.len)
				fx_buf_adds(&msg, "; ");
			fx_buf_add(&msg, json_string_value(e), json_string_length(e));
		}
		v.items[v.n].key = fx_strndup(json_string_value(name), json_string_length(name));
		v.items[v.n].message = fx_strdup(fx_buf_str(&msg));
		if (!v.items[v.n].key || !v.items[v.n].message || !fx_buf_ok(&msg)) {
			free(v.items[v.n].key);
			free(v.items[v.n].message);
			v.items[v.n].key = v.items[v.n].message = NULL;
			fx_err_set(err, 1, "out of memory");
			goto cleanup;
		}
		v.n++;
	}
	fx_connect_validation_release(out);
	*out = v;
	memset(&v, 0, sizeof(v));
	ret = 0;
cleanup:
	fx_connect_validation_release(&v);
	fx_buf_release(&msg);
	json_decref(root);
	return ret;
}

int fx_connect_parse_error(const char *json, size_t len, long *error_code, char **message,
			   struct fx_err *err)
{
	json_t *root;
	const json_t *code, *msg;
	int ret = -1;

	*message = NULL;
	*error_code = 0;
	root = json ? json_loadb(json, len, 0, NULL) : NULL;
	if (!root)
		return fx_err_set(err, 1, "not a Connect error body");
	code = json_object_get(root, "error_code");
	msg = json_object_get(root, "message");
	if (!json_is_object(root) || !json_is_string(msg)) {
		fx_err_set(err, 1, "not a Connect error body");
		goto cleanup;
	}
	if (json_is_integer(code))
		*error_code = (long)json_integer_value(code);
	*message = fx_strndup(json_string_value(msg), json_string_length(msg));
	if (!*message) {
		fx_err_set(err, 1, "out of memory");
		goto cleanup;
	}
	ret = 0;
cleanup:
	json_decref(root);
	return ret;
}

json_t *fx_connect_config_body(const struct fx_config *config, const char *name, int wrap,
			       int mask)
{
	json_t *obj = json_object(), *root = NULL;
	size_t i;

	if (!obj)
		return NULL;
	for (i = 0; i < config->n; i++) {
		const char *k = config->items[i].key, *v = config->items[i].value;

		if (json_object_set_new(obj, k, json_string(mask ? fx_secret_display(k, v) : v)) < 0)
			goto cleanup;
	}
	if (wrap) {
		root = wrap == 2 ? json_pack("{s:s, s:O, s:s}", "name", name, "config", obj,
					     "initial_state", "STOPPED") :
				   json_pack("{s:s, s:O}", "name", name, "config", obj);
	} else {
		if (name && !fx_config_get(config, "name") &&
		    json_object_set_new(obj, "name", json_string(name)) < 0)
			goto cleanup;
		root = json_incref(obj);
	}
cleanup:
	json_decref(obj);
	return root;
}

enum fx_connect_verdict fx_connect_classify(long http_status, const char *message)
{
	static const char *const rebalance[] = {
		"rebalance", "stale configuration", "conflicting operation", "no known leader",
	};
	const char *m = message ? message : "";
	size_t i;

	if (http_status == 409 && fx_str_icontains(m, "already exists"))
		return FX_CONNECT_EXISTS;
	if (http_status == 409 || http_status == 500) {
		for (i = 0; i < sizeof(rebalance) / sizeof(rebalance[0]); i++)
			if (fx_str_icontains(m, rebalance[i]))
				return FX_CONNECT_RETRY;
	}
	/* Connect gave up waiting for its herder: the request may still complete. */
	if (http_status == 500 && fx_str_icontains(m, "request timed out"))
		return FX_CONNECT_REREAD;
	/* A follower could not reach the leader: it may or may not have got it. */
	if (http_status == 500 && fx_str_icontains(m, "trying to forward"))
		return FX_CONNECT_REREAD;
	if (http_status == 502 || http_status == 503 || http_status == 504)
		return FX_CONNECT_REREAD;
	return FX_CONNECT_FAIL;
}

const char *fx_connect_verdict_name(enum fx_connect_verdict v)
{
	switch (v) {
	case FX_CONNECT_RETRY:
		return "retry";
	case FX_CONNECT_REREAD:
		return "reread";
	case FX_CONNECT_EXISTS:
		return "exists";
	default:
		return "fail";
	}
}

int fx_connect_version_at_least(const char *version, int major, int minor)
{
	int ma, mi, n = 0;

	if (!version || sscanf(version, "%d.%d%n", &ma, &mi, &n) != 2 || ma < 0 || mi < 0)
		return -1;
	if (strstr(version + n, "-ccs") || strstr(version + n, "-ce")) {
		/* Confluent Platform 7.x ships Kafka 3.x, 8.x Kafka 4.x */
		if (ma < 7)
			return 0;
		ma -= 4;
	}
	return ma > major || (ma == major && mi >= minor);
}

int fx_connect_is_managed(const char *name)
{
	return name && fx_str_has_prefix(name, "fluxa_");
}

/* Length of the sensitive word (password, secret, token, credential) at s, or 0. */
static size_t cj_sensitive_word(const char *s)
{
	static const char *const words[] = { "password", "secret", "token", "credential" };
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strncasecmp(s, words[i], strlen(words[i])))
			return strlen(words[i]);
	return 0;
}

static int cj_keychar(char c)
{
	return isalnum((unsigned char)c) || c == '.' || c == '_' || c == '-';
}

/*
 * At s (where a sensitive word starts, inside a key): if the key is followed
 * by = or : and a value, sets [*vstart, *vend) to the value and returns 1.
 */
static int cj_pattern_value(const char *s, size_t *vstart, size_t *vend)
{
	size_t i = 0, v;
	char quote = 0;

	while (cj_keychar(s[i]))
		i++;
	if (s[i] == '"' || s[i] == '\'')
		i++;
	while (s[i] == ' ' || s[i] == '\t')
		i++;
	if (s[i] != '=' && s[i] != ':')
		return 0;
	i++;
	while (s[i] == ' ' || s[i] == '\t')
		i++;
	if (s[i] == '"' || s[i] == '\'')
		quote = s[i++];
	v = i;
	if (quote) {
		while (s[i] && s[i] != quote && s[i] != '\n') {
			if (s[i] == '\\' && s[i + 1])
				i++;
			i++;
		}
	} else {
		while (s[i] && !strchr(" \t\r\n,;&)}\"'", s[i]))
			i++;
	}
	if (i == v)
		return 0;
	/* MySQL's "(using password: YES)" says nothing secret. */
	if (!quote && ((i - v == 3 && !strncmp(s + v, "YES", 3)) ||
		       (i - v == 2 && !strncmp(s + v, "NO", 2))))
		return 0;
	/* A config-provider reference is not a secret. */
	if (s[v] == '$' && s[v + 1] == '{')
		return 0;
	*vstart = v;
	*vend = i;
	return 1;
}

char *fx_connect_redact(const char *msg, const struct fx_config *secrets)
{
	struct fx_buf out = FX_BUF_INIT, pass = FX_BUF_INIT;
	const char *s;
	size_t i, k;

	if (!msg)
		return NULL;
	/* Pass 1: every occurrence of each known secret value. */
	fx_buf_adds(&pass, msg);
	for (k = 0; secrets && k < secrets->n; k++) {
		const char *key = secrets->items[k].key, *val = secrets->items[k].value;
		size_t vlen = val ? strlen(val) : 0;
		const char *hit;

		if (!val || vlen < 3 || !fx_secret_key_is_sensitive(key) ||
		    fx_interp_is_provider_ref(val))
			continue;
		fx_buf_reset(&out);
		s = fx_buf_str(&pass);
		while ((hit = strstr(s, val)) != NULL) {
			fx_buf_add(&out, s, (size_t)(hit - s));
			fx_buf_adds(&out, FX_SECRET_MASK);
			s = hit + vlen;
		}
		fx_buf_adds(&out, s);
		fx_buf_reset(&pass);
		fx_buf_add(&pass, out.buf ? out.buf : "", out.len);
	}
	/* Pass 2: key=value patterns. */
	fx_buf_reset(&out);
	s = fx_buf_str(&pass);
	for (i = 0; s[i];) {
		size_t w = cj_sensitive_word(s + i), vs, ve;

		if (w && cj_pattern_value(s + i, &vs, &ve)) {
			fx_buf_add(&out, s + i, vs);
			fx_buf_adds(&out, FX_SECRET_MASK);
			i += ve;
			continue;
		}
		fx_buf_addc(&out, s[i]);
		i++;
	}
	fx_buf_release(&pass);
	if (!fx_buf_ok(&out)) {
		fx_buf_release(&out);
		return NULL;
	}
	if (!out.buf)
		return fx_strdup("");
	return fx_buf_detach(&out);
}

char *fx_connect_trace_head(const char *trace, size_t max_lines, const struct fx_config *secrets)
{
	struct fx_buf out = FX_BUF_INIT;
	const char **keep = NULL;
	size_t *lens = NULL, n = 0, alloc_k = 0, alloc_l = 0, i;
	const char *p = trace;
	char *head = NULL, *red = NULL;

	if (!trace || !max_lines)
		return NULL;
	/* The exception lines: the first, and each "Caused by:"; not the frames. */
	while (*p) {
		size_t len = strcspn(p, "\n");

		while (len && p[len - 1] == '\r')
			len--;
		if (len && (n == 0 || (p[0] != '\t' && p[0] != ' '))) {
			if (fx_grow(&keep, &alloc_k, n + 1, sizeof(*keep)) < 0 ||
			    fx_grow(&lens, &alloc_l, n + 1, sizeof(*lens)) < 0)
				goto cleanup;
			keep[n] = p;
			lens[n++] = len;
		}
		p += strcspn(p, "\n");
		if (*p)
			p++;
	}
	/* Too many: the first line and the last ones (the root cause is last). */
	for (i = 0; i < n; i++) {
		if (n > max_lines && i > 0 && i < n - (max_lines - 1))
			continue;
		if (out.len)
			fx_buf_addc(&out, '\n');
		fx_buf_add(&out, keep[i], lens[i]);
	}
	if (!fx_buf_ok(&out))
		goto cleanup;
	head = out.buf ? fx_buf_detach(&out) : fx_strdup("");
	if (head)
		red = fx_connect_redact(head, secrets);
cleanup:
	free(keep);
	free(lens);
	free(head);
	fx_buf_release(&out);
	return red;
}
