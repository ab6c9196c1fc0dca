#include "manifest.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <yaml.h>

#include "dsn.h"
#include "secret.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/file.h"
#include "util/str.h"

#define MANIFEST_MAX_BYTES (16u * 1024 * 1024)

/* Loader state: one per load, lives on the stack of fx_manifest_load_bytes. */
struct ld {
	const char *path;
	yaml_document_t *doc;
	struct fx_diags *diags;
	fx_getenv_fn getenv_fn;
	void *env_ctx;
	struct fx_manifest *m;
	int literal_secret;
	int oom;
};

static const char *const top_keys[] = {
	"version", "defaults", "mysql", "kafka", "entities", "consumer_groups",
};
static const char *const defaults_keys[] = { "mysql_pool", "kafka_pool", "connector" };
static const char *const mysql_keys[] = {
	"dsn", "host", "port", "user", "password", "database", "connect_host",
	"connect_port", "server_id", "flavor", "snapshot_new_tables", "connector",
};
static const char *const kafka_keys[] = {
	"brokers", "connect_url", "connect_bootstrap_servers", "connect_auth",
	"connect_tls", "config",
};
static const char *const auth_keys[] = { "username", "password" };
static const char *const tls_keys[] = { "ca_file", "cert_file", "key_file", "insecure" };
static const char *const entity_keys[] = { "debezium", "mysql", "table", "orm" };
static const char *const group_keys[] = { "kafka", "debezium_entities", "topics" };

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* ---- diagnostics ---- */

void fx_diags_release(struct fx_diags *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		free(d->items[i]);
	free(d->items);
	d->items = NULL;
	d->n = d->alloc = 0;
}

static void diags_vadd(struct fx_diags *d, int *oom, const char *path, int line, int col,
		       const char *fmt, va_list ap)
{
	struct fx_buf b = FX_BUF_INIT;
	char *s;

	if (line > 0)
		fx_buf_addf(&b, "%s:%d:%d: ", path, line, col);
	else
		fx_buf_addf(&b, "%s: ", path);
	fx_buf_vaddf(&b, fmt, ap);
	s = fx_buf_detach(&b);
	if (!s || fx_grow(&d->items, &d->alloc, d->n + 1, sizeof(*d->items)) < 0) {
		free(s);
		*oom = 1;
		return;
	}
	d->items[d->n++] = s;
}

static struct fx_pos ld_pos(const yaml_node_t *n)
{
	struct fx_pos p = { 0, 0 };

	if (n) {
		p.line = (int)n->start_mark.line + 1;
		p.col = (int)n->start_mark.column + 1;
	}
	return p;
}

__attribute__((format(printf, 3, 4)))
static void ld_diag_at(struct ld *ld, struct fx_pos pos, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diags_vadd(ld->diags, &ld->oom, ld->path, pos.line, pos.col, fmt, ap);
	va_end(ap);
}

/* ---- node helpers ---- */

static yaml_node_t *ld_node(struct ld *ld, int id)
{
	return yaml_document_get_node(ld->doc, id);
}

static const char *node_type_name(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_SCALAR_NODE:
		return "a scalar";
	case YAML_SEQUENCE_NODE:
		return "a list";
	case YAML_MAPPING_NODE:
		return "a mapping";
	default:
		return "empty";
	}
}

static int scalar_is_null(const yaml_node_t *n)
{
	const char *v;

	if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return 0;
	v = (const char *)n->data.scalar.value;
	return !*v || !strcmp(v, "~") || !strcmp(v, "null") || !strcmp(v, "Null") ||
	       !strcmp(v, "NULL");
}

static const char *scalar_raw(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

static int scalar_has_nul(const yaml_node_t *n)
{
	return strlen(scalar_raw(n)) != n->data.scalar.length;
}

struct key_ref {
	const char *key;
	size_t index;  /* position in the mapping: ties keep document order */
	struct fx_pos pos;
};

static int key_ref_cmp(const void *a, const void *b)
{
	const struct key_ref *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : (x->index > y->index) - (x->index < y->index);
}

/*
 * Checks a mapping's keys: each a scalar, none twice, each one of allowed
 * (when allowed is not NULL).  ctx names the mapping in messages.  Duplicates
 * are found by sorting (manifests with thousands of entities stay linear-ish).
 */
static void ld_check_keys(struct ld *ld, yaml_node_t *map, const char *ctx,
			  const char *const *allowed, size_t n_allowed)
{
	yaml_node_pair_t *p;
	size_t n = (size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start), nk = 0, i;
	struct key_ref *keys = fx_calloc(n ? n : 1, sizeof(*keys));

	if (!keys) {
		ld->oom = 1;
		return;
	}
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = ld_node(ld, p->key);
		const char *key;
		int ok = 0;

		if (!k || k->type != YAML_SCALAR_NODE) {
			ld_diag_at(ld, ld_pos(k), "%s: keys must be scalars, not %s; write the key as plain text", ctx,
				   k ? node_type_name(k) : "empty");
			continue;
		}
		key = scalar_raw(k);
		keys[nk].key = key;
		keys[nk].index = nk;
		keys[nk].pos = ld_pos(k);
		nk++;
		if (!allowed)
			continue;
		for (i = 0; i < n_allowed; i++)
			if (!strcmp(allowed[i], key))
				ok = 1;
		if (!ok) {
			const char *hint = fx_str_suggest(key, allowed, n_allowed);

			if (!strcmp(key, "<<"))
				ld_diag_at(ld, ld_pos(k), "%s: YAML merge keys ('<<') are not supported; write the keys out",
					   ctx);
			else if (hint)
				ld_diag_at(ld, ld_pos(k), "%s: unknown key '%s' (did you mean '%s'?)",
					   ctx, key, hint);
			else
				ld_diag_at(ld, ld_pos(k), "%s: unknown key '%s'", ctx, key);
		}
	}
	qsort(keys, nk, sizeof(*keys), key_ref_cmp);
	for (i = 1; i < nk; i++) {
		size_t first = i - 1;

		if (strcmp(keys[i].key, keys[first].key))
			continue;
		while (first > 0 && !strcmp(keys[first - 1].key, keys[i].key))
			first--;
		ld_diag_at(ld, keys[i].pos, "%s: duplicate key '%s' (first at line %d)", ctx,
			   keys[i].key, keys[first].pos.line);
	}
	free(keys);
}

/* The value node of key in map (first occurrence), or NULL. */
static yaml_node_t *ld_get(struct ld *ld, yaml_node_t *map, const char *key)
{
	yaml_node_pair_t *p;

	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = ld_node(ld, p->key);

		if (k && k->type == YAML_SCALAR_NODE && !strcmp(scalar_raw(k), key))
			return ld_node(ld, p->value);
	}
	return NULL;
}

static int ld_expect(struct ld *ld, yaml_node_t *n, yaml_node_type_t type, const char *ctx,
		     const char *key)
{
	static const char *const want[] = { "", "a scalar", "a list", "a mapping" };

	if (n->type == type)
		return 0;
	ld_diag_at(ld, ld_pos(n), "%s: '%s' must be %s, not %s", ctx, key, want[type],
		   node_type_name(n));
	return -1;
}

/*
 * Reads a scalar value, interpolated, into *out (owned).  Returns 1 when a
 * value was set, 0 when the node is null, -1 on a reported problem.
 */
static int ld_string(struct ld *ld, yaml_node_t *n, const char *ctx, const char *key,
		     char **out)
{
	struct fx_err err = FX_ERR_INIT;

	*out = NULL;
	if (!n || scalar_is_null(n))
		return 0;
	if (ld_expect(ld, n, YAML_SCALAR_NODE, ctx, key) < 0)
		return -1;
	if (scalar_has_nul(n)) {
		ld_diag_at(ld, ld_pos(n), "%s: '%s' holds a NUL character; remove it", ctx, key);
		return -1;
	}
	if (fx_interp_expand(scalar_raw(n), ld->getenv_fn, ld->env_ctx, out, &err) < 0) {
		if (err.code == 1)
			ld->oom = 1;
		else
			ld_diag_at(ld, ld_pos(n), "%s: '%s': %s", ctx, key, err.msg);
		return -1;
	}
	return 1;
}

static int ld_uint(struct ld *ld, yaml_node_t *n, const char *ctx, const char *key,
		   uint64_t min, uint64_t max, uint64_t *out)
{
	char *s = NULL;
	int r = ld_string(ld, n, ctx, key, &s);

	if (r <= 0)
		return r;
	if (fx_str_to_u64(s, min, max, out) < 0) {
		ld_diag_at(ld, ld_pos(n), "%s: '%s' must be a whole number from %llu to %llu, not '%s'",
			   ctx, key, (unsigned long long)min, (unsigned long long)max, s);
		free(s);
		return -1;
	}
	free(s);
	return 1;
}

/* Booleans: plain true/false (any case), after interpolation. */
static int ld_bool(struct ld *ld, yaml_node_t *n, const char *ctx, const char *key, int *out)
{
	char *s = NULL;
	int r = ld_string(ld, n, ctx, key, &s);

	if (r <= 0)
		return r;
	if (!strcasecmp(s, "true")) {
		*out = 1;
	} else if (!strcasecmp(s, "false")) {
		*out = 0;
	} else {
		ld_diag_at(ld, ld_pos(n), "%s: '%s' must be true or false, not '%s'", ctx, key, s);
		r = -1;
	}
	free(s);
	return r;
}

static int name_is_code(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}

static void ld_check_code(struct ld *ld, yaml_node_t *k, const char *what)
{
	if (!name_is_code(scalar_raw(k)))
		ld_diag_at(ld, ld_pos(k), "%s '%s': name must match [A-Za-z0-9_]+; rename it (letters, digits, _)", what,
			   scalar_raw(k));
}

/* A list of scalars (or one comma-separated scalar when allow_csv). */
static void ld_string_list(struct ld *ld, yaml_node_t *n, const char *ctx, const char *key,
			   int allow_csv, char ***out, size_t *count)
{
	yaml_node_item_t *it;
	size_t alloc = 0;

	*out = NULL;
	*count = 0;
	if (!n || scalar_is_null(n))
		return;
	if (allow_csv && n->type == YAML_SCALAR_NODE) {
		char *s = NULL, *p, *tok;

		if (ld_string(ld, n, ctx, key, &s) <= 0)
			return;
		for (p = s; p; p = tok) {
			char *end;

			tok = strchr(p, ',');
			if (tok)
				*tok++ = '\0';
			while (isspace((unsigned char)*p))
				p++;
			end = p + strlen(p);
			while (end > p && isspace((unsigned char)end[-1]))
				*--end = '\0';
			if (!*p)
				continue;
			if (fx_grow(out, &alloc, *count + 1, sizeof(**out)) < 0 ||
			    !((*out)[*count] = fx_strdup(p))) {
				ld->oom = 1;
				break;
			}
			(*count)++;
		}
		free(s);
		return;
	}
	if (ld_expect(ld, n, YAML_SEQUENCE_NODE, ctx, key) < 0)
		return;
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *v = ld_node(ld, *it);
		char *s = NULL;

		if (!v || ld_string(ld, v, ctx, key, &s) <= 0) {
			if (v && scalar_is_null(v))
				ld_diag_at(ld, ld_pos(v), "%s: '%s' has an empty item; remove it or fill it in", ctx, key);
			continue;
		}
		if (fx_grow(out, &alloc, *count + 1, sizeof(**out)) < 0) {
			free(s);
			ld->oom = 1;
			return;
		}
		(*out)[(*count)++] = s;
	}
}

/* A mapping of scalar values (connector overrides, librdkafka config). */
static void ld_kv_map(struct ld *ld, yaml_node_t *n, const char *ctx, const char *key,
		      struct fx_kv **out, size_t *count)
{
	yaml_node_pair_t *p;
	size_t alloc = 0;

	*out = NULL;
	*count = 0;
	if (!n || scalar_is_null(n))
		return;
	if (ld_expect(ld, n, YAML_MAPPING_NODE, ctx, key) < 0)
		return;
	ld_check_keys(ld, n, ctx, NULL, 0);
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = ld_node(ld, p->key), *v = ld_node(ld, p->value);
		struct fx_kv kv = { NULL, NULL, { 0, 0 }, 0 };
		char sub[512];

		if (!k || k->type != YAML_SCALAR_NODE || !v)
			continue;
		snprintf(sub, sizeof(sub), "%s.%s", key, scalar_raw(k));
		if (!*scalar_raw(k)) {
			ld_diag_at(ld, ld_pos(k), "%s: '%s' has an empty key; name it or remove it", ctx, key);
			continue;
		}
		if (ld_string(ld, v, ctx, sub, &kv.value) < 0)
			continue;
		if (!kv.value && !(kv.value = fx_strdup(""))) {
			ld->oom = 1;
			return;
		}
		kv.key = fx_strdup(scalar_raw(k));
		kv.pos = ld_pos(k);
		kv.literal = v->type == YAML_SCALAR_NODE && !strchr(scalar_raw(v), '$');
		if (!kv.key || fx_grow(out, &alloc, *count + 1, sizeof(**out)) < 0) {
			free(kv.key);
			free(kv.value);
			ld->oom = 1;
			return;
		}
		(*out)[(*count)++] = kv;
	}
}

static void note_literal_secret(struct ld *ld, yaml_node_t *n)
{
	if (n && n->type == YAML_SCALAR_NODE && !scalar_is_null(n) &&
	    !strchr(scalar_raw(n), '$'))
		ld->literal_secret = 1;
}

/* A sensitive key (SPEC §3: password, secret, token, credential, *.jaas.config)
 * written with a literal value, in connector: or a Kafka pool's config:. */
static void note_literal_secrets(struct ld *ld, const struct fx_kv *kv, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (kv[i].literal && *kv[i].value && fx_secret_key_is_sensitive(kv[i].key))
			ld->literal_secret = 1;
}

/* ---- sections ---- */

/* server_id: {kafkaPool: N, ...}: one id per Kafka pool the MySQL pool is captured on. */
static void ld_server_id_map(struct ld *ld, yaml_node_t *n, const char *ctx,
			     struct fx_mysql_pool *pool)
{
	yaml_node_pair_t *p;
	size_t alloc = 0;
	char sub[512];

	ld_check_keys(ld, n, ctx, NULL, 0);
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = ld_node(ld, p->key), *v = ld_node(ld, p->value);
		struct fx_server_id_for e = { NULL, 0, { 0, 0 } };
		uint64_t u;

		if (!k || k->type != YAML_SCALAR_NODE || !v)
			continue;
		snprintf(sub, sizeof(sub), "server_id.%s", scalar_raw(k));
		if (ld_uint(ld, v, ctx, sub, 1, 4294967295u, &u) <= 0) {
			if (scalar_is_null(v))
				ld_diag_at(ld, ld_pos(v), "%s: '%s' needs an id (1 to 4294967295)", ctx, sub);
			continue;
		}
		e.kafka_pool = fx_strdup(scalar_raw(k));
		e.id = (uint32_t)u;
		e.pos = ld_pos(v);
		if (!e.kafka_pool || fx_grow(&pool->server_ids, &alloc, pool->n_server_ids + 1,
					     sizeof(*pool->server_ids)) < 0) {
			free(e.kafka_pool);
			ld->oom = 1;
			return;
		}
		pool->server_ids[pool->n_server_ids++] = e;
	}
}

static void ld_mysql_pool(struct ld *ld, yaml_node_t *k, yaml_node_t *v,
			  struct fx_mysql_pool *pool)
{
	char ctx[300], *s = NULL;
	yaml_node_t *n, *dsn;
	uint64_t u;
	static const char *const structured[] = { "host", "port", "user", "password", "database" };
	size_t i;

	snprintf(ctx, sizeof(ctx), "mysql pool '%s'", scalar_raw(k));
	pool->code = fx_strdup(scalar_raw(k));
	pool->pos = ld_pos(k);
	if (!pool->code) {
		ld->oom = 1;
		return;
	}
	ld_check_code(ld, k, "mysql pool");
	if (ld_expect(ld, v, YAML_MAPPING_NODE, ctx, "mysql") < 0)
		return;
	ld_check_keys(ld, v, ctx, mysql_keys, N_OF(mysql_keys));

	dsn = ld_get(ld, v, "dsn");
	if (dsn && !scalar_is_null(dsn)) {
		for (i = 0; i < N_OF(structured); i++) {
			n = ld_get(ld, v, structured[i]);
			if (n)
				ld_diag_at(ld, ld_pos(n),
					   "%s: '%s' cannot be given with 'dsn' (use one form or the other)",
					   ctx, structured[i]);
		}
		if (ld_string(ld, dsn, ctx, "dsn", &s) < 0)
			pool->broken = 1;
		if (s) {
			struct fx_dsn d = FX_DSN_INIT;
			struct fx_err err = FX_ERR_INIT;

			if (fx_dsn_parse(s, &d, &err) < 0) {
				if (err.code == 1)
					ld->oom = 1;
				else
					ld_diag_at(ld, ld_pos(dsn),
						   "%s: %s (the form is user:password@tcp(host:port)/database)",
						   ctx, err.msg);
				pool->broken = 1;
			} else {
				pool->user = d.user;
				pool->password = d.password;
				pool->host = d.host;
				pool->port = d.port;
				pool->socket = d.socket;
				pool->database = d.database;
				pool->params = d.params;
				free(d.net);
			}
			/* A password written in the DSN itself, not through ${VAR}. */
			if (d.password && *d.password) {
				const char *raw = scalar_raw(dsn), *at = strrchr(raw, '@');
				const char *colon = strchr(raw, ':');

				if (!(colon && at && colon < at && memchr(colon, '$', (size_t)(at - colon))))
					ld->literal_secret = 1;
			}
		}
		free(s);
	} else {
		n = ld_get(ld, v, "host");
		int r = ld_string(ld, n, ctx, "host", &pool->host);

		if (r == 0)
			ld_diag_at(ld, ld_pos(v), "%s: needs 'dsn' (user:password@tcp(host:port)/database) or 'host' with port, user, password, database", ctx);
		pool->broken = r <= 0;
		pool->port = 3306;
		if (ld_uint(ld, ld_get(ld, v, "port"), ctx, "port", 1, 65535, &u) > 0)
			pool->port = (unsigned)u;
		n = ld_get(ld, v, "password");
		note_literal_secret(ld, n);
		if (ld_string(ld, n, ctx, "password", &pool->password) < 0 ||
		    ld_string(ld, ld_get(ld, v, "database"), ctx, "database", &pool->database) < 0 ||
		    ld_string(ld, ld_get(ld, v, "user"), ctx, "user", &pool->user) < 0)
			pool->broken = 1;
	}
	ld_string(ld, ld_get(ld, v, "connect_host"), ctx, "connect_host", &pool->connect_host);
	if (ld_uint(ld, ld_get(ld, v, "connect_port"), ctx, "connect_port", 1, 65535, &u) > 0)
		pool->connect_port = (unsigned)u;
	n = ld_get(ld, v, "server_id");
	if (n && !scalar_is_null(n)) {
		pool->server_id_pos = ld_pos(n);
		if (n->type == YAML_MAPPING_NODE)
			ld_server_id_map(ld, n, ctx, pool);
		else if (ld_uint(ld, n, ctx, "server_id", 1, 4294967295u, &u) > 0) {
			pool->has_server_id = 1;
			pool->server_id = (uint32_t)u;
		}
	}
	n = ld_get(ld, v, "flavor");
	if (ld_string(ld, n, ctx, "flavor", &s) > 0) {
		if (!strcmp(s, "auto"))
			pool->flavor = FX_FLAVOR_AUTO;
		else if (!strcmp(s, "mysql"))
			pool->flavor = FX_FLAVOR_MYSQL;
		else if (!strcmp(s, "mariadb"))
			pool->flavor = FX_FLAVOR_MARIADB;
		else
			ld_diag_at(ld, ld_pos(n), "%s: 'flavor' must be auto, mysql or mariadb, not '%s'",
				   ctx, s);
		free(s);
	}
	pool->snapshot_new_tables = 1;
	n = ld_get(ld, v, "snapshot_new_tables");
	if (n && ld_bool(ld, n, ctx, "snapshot_new_tables", &pool->snapshot_new_tables) > 0)
		pool->snapshot_new_tables_pos = ld_pos(n);
	n = ld_get(ld, v, "connector");
	ld_kv_map(ld, n, ctx, "connector", &pool->connector, &pool->n_connector);
	note_literal_secrets(ld, pool->connector, pool->n_connector);
}

/*
 * Removes credentials ("user:password@", "user@") from a URL's authority
 * (url: after "://") or from each comma-separated host:port entry, in place.
 * Returns 1 when there were any: the caller reports it, never the value.
 */
static int strip_userinfo(char *s, int url)
{
	char *p = s, *end, *at;
	int found = 0;

	if (url) {
		p = strstr(s, "://");
		if (!p)
			return 0;
		p += 3;
		end = p + strcspn(p, "/?#");
		at = memchr(p, '@', (size_t)(end - p));
		while (at && memchr(at + 1, '@', (size_t)(end - at - 1)))
			at = memchr(at + 1, '@', (size_t)(end - at - 1));
		if (!at)
			return 0;
		memmove(p, at + 1, strlen(at + 1) + 1);
		return 1;
	}
	while (*p) {
		char *comma = strchr(p, ',');

		end = comma ? comma : p + strlen(p);
		at = NULL;
		for (char *q = p; q < end; q++)
			if (*q == '@')
				at = q;
		if (at) {
			found = 1;
			memmove(p, at + 1, strlen(at + 1) + 1);
			comma = strchr(p, ',');
		}
		if (!comma)
			break;
		p = comma + 1;
	}
	return found;
}

/* The position of item i of sequence n, else of n itself. */
static struct fx_pos item_pos(struct ld *ld, yaml_node_t *n, size_t i)
{
	if (n && n->type == YAML_SEQUENCE_NODE &&
	    i < (size_t)(n->data.sequence.items.top - n->data.sequence.items.start))
		return ld_pos(ld_node(ld, n->data.sequence.items.start[i]));
	return ld_pos(n);
}

/*
 * A relative file name in the manifest (connect_tls) names a file beside the
 * manifest, wherever fluxacdc runs from, as a CI job checks it out: prefix
 * the manifest's directory.
 */
static void ld_beside_manifest(struct ld *ld, char **file)
{
	const char *slash = strrchr(ld->path, '/');
	char *joined;

	if (!*file || !**file || **file == '/' || !slash)
		return;
	joined = fx_asprintf("%.*s/%s", (int)(slash - ld->path), ld->path, *file);
	if (!joined) {
		ld->oom = 1;
		return;
	}
	free(*file);
	*file = joined;
}

static void ld_kafka_pool(struct ld *ld, yaml_node_t *k, yaml_node_t *v,
			  struct fx_kafka_pool *pool)
{
	char ctx[300], sub[320], **list = NULL;
	yaml_node_t *n;
	size_t nlist = 0, i;

	snprintf(ctx, sizeof(ctx), "kafka pool '%s'", scalar_raw(k));
	pool->code = fx_strdup(scalar_raw(k));
	pool->pos = ld_pos(k);
	if (!pool->code) {
		ld->oom = 1;
		return;
	}
	ld_check_code(ld, k, "kafka pool");
	if (ld_expect(ld, v, YAML_MAPPING_NODE, ctx, "kafka") < 0)
		return;
	ld_check_keys(ld, v, ctx, kafka_keys, N_OF(kafka_keys));
	ld_string_list(ld, ld_get(ld, v, "brokers"), ctx, "brokers", 1, &pool->brokers,
		       &pool->n_brokers);
	for (i = 0; i < pool->n_brokers; i++)
		if (strip_userinfo(pool->brokers[i], 0)) {
			n = ld_get(ld, v, "brokers");
			ld_diag_at(ld, item_pos(ld, n, i), "%s: 'brokers' entry %zu holds credentials (user:password@); give them as librdkafka properties under config: (sasl.username, sasl.password: \"${VAR}\") and list the broker as host:port",
				   ctx, i + 1);
		}
	n = ld_get(ld, v, "connect_url");
	if (ld_string(ld, n, ctx, "connect_url", &pool->connect_url) > 0) {
		size_t len = strlen(pool->connect_url);

		while (len > 0 && pool->connect_url[len - 1] == '/')
			pool->connect_url[--len] = '\0';
		if (strip_userinfo(pool->connect_url, 1))
			ld_diag_at(ld, ld_pos(n), "%s: 'connect_url' holds credentials (user:password@); give them as connect_auth: {username: USER, password: \"${VAR}\"} and write the URL without them",
				   ctx);
		else if (!fx_str_has_prefix(pool->connect_url, "http://") &&
		    !fx_str_has_prefix(pool->connect_url, "https://"))
			ld_diag_at(ld, ld_pos(n),
				   "%s: 'connect_url' must start with http:// or https://, not '%s'", ctx,
				   pool->connect_url);
		else if (strchr(":/", strstr(pool->connect_url, "://")[3]))
			ld_diag_at(ld, ld_pos(n), "%s: 'connect_url' has no host; give the Kafka Connect REST URL, e.g. http://connect:8083", ctx);
	}
	n = ld_get(ld, v, "connect_bootstrap_servers");
	if (n && n->type == YAML_SEQUENCE_NODE) {
		struct fx_buf b = FX_BUF_INIT;

		ld_string_list(ld, n, ctx, "connect_bootstrap_servers", 0, &list, &nlist);
		for (i = 0; i < nlist; i++) {
			fx_buf_addf(&b, "%s%s", i ? "," : "", list[i]);
			free(list[i]);
		}
		free(list);
		pool->connect_bootstrap_servers = fx_buf_detach(&b);
		if (!pool->connect_bootstrap_servers)
			ld->oom = 1;
	} else {
		ld_string(ld, n, ctx, "connect_bootstrap_servers", &pool->connect_bootstrap_servers);
	}
	if (pool->connect_bootstrap_servers && strip_userinfo(pool->connect_bootstrap_servers, 0))
		ld_diag_at(ld, ld_pos(n), "%s: 'connect_bootstrap_servers' holds credentials (user:password@); give Connect's Kafka credentials as schema.history.internal.producer./consumer. properties under the pool's connector: keys, with ${VAR} or a config provider",
			   ctx);
	n = ld_get(ld, v, "connect_auth");
	if (n && !scalar_is_null(n) && ld_expect(ld, n, YAML_MAPPING_NODE, ctx, "connect_auth") == 0) {
		yaml_node_t *pw = ld_get(ld, n, "password");

		snprintf(sub, sizeof(sub), "%s: connect_auth", ctx);
		ld_check_keys(ld, n, sub, auth_keys, N_OF(auth_keys));
		if (ld_string(ld, ld_get(ld, n, "username"), sub, "username", &pool->auth_user) == 0)
			ld_diag_at(ld, ld_pos(n), "%s: 'username' is required; add it, or remove connect_auth", sub);
		note_literal_secret(ld, pw);
		ld_string(ld, pw, sub, "password", &pool->auth_password);
	}
	n = ld_get(ld, v, "connect_tls");
	if (n && !scalar_is_null(n) && ld_expect(ld, n, YAML_MAPPING_NODE, ctx, "connect_tls") == 0) {
		snprintf(sub, sizeof(sub), "%s: connect_tls", ctx);
		ld_check_keys(ld, n, sub, tls_keys, N_OF(tls_keys));
		ld_string(ld, ld_get(ld, n, "ca_file"), sub, "ca_file", &pool->tls_ca_file);
		ld_string(ld, ld_get(ld, n, "cert_file"), sub, "cert_file", &pool->tls_cert_file);
		ld_string(ld, ld_get(ld, n, "key_file"), sub, "key_file", &pool->tls_key_file);
		ld_beside_manifest(ld, &pool->tls_ca_file);
		ld_beside_manifest(ld, &pool->tls_cert_file);
		ld_beside_manifest(ld, &pool->tls_key_file);
		ld_bool(ld, ld_get(ld, n, "insecure"), sub, "insecure", &pool->tls_insecure);
		if (!pool->tls_cert_file != !pool->tls_key_file)
			ld_diag_at(ld, ld_pos(n), "%s: 'cert_file' and 'key_file' go together; give both or neither", sub);
	}
	ld_kv_map(ld, ld_get(ld, v, "config"), ctx, "config", &pool->config, &pool->n_config);
	note_literal_secrets(ld, pool->config, pool->n_config);
}

/* FluxaORM ID-field tag string: "redisCache;debezium=events;mysql=users". */
static void ld_orm_tags(struct ld *ld, yaml_node_t *n, const char *ctx, char **debezium,
			int *captured, char **mysql, char **table)
{
	char *s = NULL, *p, *next;

	if (ld_string(ld, n, ctx, "orm", &s) <= 0)
		return;
	for (p = s; p; p = next) {
		char *eq, *val;

		next = strchr(p, ';');
		if (next)
			*next++ = '\0';
		while (isspace((unsigned char)*p))
			p++;
		eq = strchr(p, '=');
		if (eq)
			*eq = '\0';
		val = eq ? eq + 1 : NULL;
		if (!strcmp(p, "debezium")) {
			if (!val || !strcmp(val, "true")) {
				*captured = 1;
			} else if (!strcmp(val, "false")) {
				*captured = 0;
			} else if (!*val) {
				ld_diag_at(ld, ld_pos(n), "%s: orm tag 'debezium=' has an empty pool; write 'debezium' alone for the default kafka pool", ctx);
			} else {
				*captured = 1;
				free(*debezium);
				*debezium = fx_strdup(val);
				if (!*debezium) /* never read as 'not given' */
					ld->oom = 1;
			}
		} else if (!strcmp(p, "mysql") && val) {
			free(*mysql);
			*mysql = fx_strdup(val);
			if (!*mysql) /* never read as 'not given' */
				ld->oom = 1;
		} else if (!strcmp(p, "table") && val) {
			free(*table);
			*table = fx_strdup(val);
			if (!*table) /* never read as 'not given' */
				ld->oom = 1;
		} else {
			/* other FluxaORM tags (redisCache, localCache, ...) are not ours,
			 * but a near miss of ours silently un-captures an entity */
			static const char *const ours[] = { "debezium", "mysql" };
			size_t o;

			for (o = 0; o < 2; o++)
				if (*p && strcmp(p, ours[o]) && fx_str_distance(p, ours[o], 2) <= 2) {
					ld_diag_at(ld, ld_pos(n), "%s: orm tag '%s' is not one fluxacdc knows (did you mean '%s'?); FluxaORM would ignore it too",
						   ctx, p, ours[o]);
					break;
				}
		}
	}
	free(s);
}

static int ld_is_entity_key(const char *name)
{
	size_t i;

	for (i = 0; i < N_OF(entity_keys); i++)
		if (!strcmp(name, entity_keys[i]))
			return 1;
	return 0;
}

/* "Customer:" alone or "Customer: {}": no key at all. */
static int ld_entity_empty(const yaml_node_t *v)
{
	return scalar_is_null(v) ||
	       (v->type == YAML_MAPPING_NODE && v->data.mapping.pairs.top == v->data.mapping.pairs.start);
}

/*
 * The shape of the entities mapping, before each entity is read: a key of an
 * entity (debezium, mysql, table, orm) with a scalar or list value right
 * under 'entities' was meant to be indented under the entity above it; an
 * entity with no key at all is not captured, which nobody writes on purpose.
 */
static void ld_entities_layout(struct ld *ld, yaml_node_t *entities)
{
	yaml_node_pair_t *p, *start = entities->data.mapping.pairs.start;

	for (p = start; p < entities->data.mapping.pairs.top; p++) {
		yaml_node_t *k = ld_node(ld, p->key), *v = ld_node(ld, p->value);
		yaml_node_t *nk = p + 1 < entities->data.mapping.pairs.top ? ld_node(ld, p[1].key) : NULL;
		yaml_node_t *nv = nk ? ld_node(ld, p[1].value) : NULL;
		yaml_node_t *pk = p > start ? ld_node(ld, p[-1].key) : NULL;

		if (!k || k->type != YAML_SCALAR_NODE || !v)
			continue;
		if (ld_is_entity_key(scalar_raw(k)) && v->type != YAML_MAPPING_NODE) {
			if (pk && pk->type == YAML_SCALAR_NODE)
				ld_diag_at(ld, ld_pos(k), "key '%s' is not indented under an entity: it sits where entity names go; indent it under '%s' (line %d)",
					   scalar_raw(k), scalar_raw(pk), ld_pos(pk).line);
			else
				ld_diag_at(ld, ld_pos(k), "key '%s' is not indented under an entity: it sits where entity names go; indent it under its entity",
					   scalar_raw(k));
			continue;
		}
		/* the next key was meant to be inside this one: that says it all */
		if (ld_entity_empty(v) && !(nk && nk->type == YAML_SCALAR_NODE && nv &&
					   ld_is_entity_key(scalar_raw(nk)) && nv->type != YAML_MAPPING_NODE))
			ld_diag_at(ld, ld_pos(k), "entity '%s' is empty, so it is not captured: give it 'debezium: true' (or a kafka pool) to capture it, 'debezium: false' to list it uncaptured on purpose, or remove it",
				   scalar_raw(k));
	}
}

static void ld_entity(struct ld *ld, yaml_node_t *k, yaml_node_t *v, struct fx_entity *e)
{
	char ctx[300];
	yaml_node_t *orm, *dbz, *my, *tb;
	char *debezium = NULL, *mysql = NULL, *table = NULL;
	int captured = 0, b;

	snprintf(ctx, sizeof(ctx), "entity '%s'", scalar_raw(k));
	e->name = fx_strdup(scalar_raw(k));
	e->pos = e->mysql_pos = e->kafka_pos = e->table_pos = ld_pos(k);
	if (!e->name) {
		ld->oom = 1;
		return;
	}
	/* an under-indented entity key (ld_entities_layout said so) is no entity */
	if (ld_is_entity_key(e->name) && v->type != YAML_MAPPING_NODE)
		return;
	ld_check_code(ld, k, "entity");
	if (scalar_is_null(v))
		goto resolve; /* "UserEntity:" alone: an error (ld_entities_layout), read as not captured */
	if (ld_expect(ld, v, YAML_MAPPING_NODE, ctx, "entities") < 0)
		return;
	ld_check_keys(ld, v, ctx, entity_keys, N_OF(entity_keys));
	orm = ld_get(ld, v, "orm");
	dbz = ld_get(ld, v, "debezium");
	my = ld_get(ld, v, "mysql");
	tb = ld_get(ld, v, "table");
	if (orm && (dbz || my || tb)) {
		yaml_node_t *other = dbz ? dbz : my ? my : tb;

		ld_diag_at(ld, ld_pos(other),
			   "%s: give 'orm' or the keys debezium/mysql/table, not both", ctx);
	}
	if (orm) {
		ld_orm_tags(ld, orm, ctx, &debezium, &captured, &mysql, &table);
		e->mysql_pos = e->kafka_pos = e->table_pos = ld_pos(orm);
	} else {
		if (dbz && !scalar_is_null(dbz)) {
			e->kafka_pos = ld_pos(dbz);
			if (ld_expect(ld, dbz, YAML_SCALAR_NODE, ctx, "debezium") == 0) {
				if (dbz->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
				    (!strcasecmp(scalar_raw(dbz), "true") ||
				     !strcasecmp(scalar_raw(dbz), "false"))) {
					ld_bool(ld, dbz, ctx, "debezium", &b);
					captured = b;
				} else if (ld_string(ld, dbz, ctx, "debezium", &debezium) > 0) {
					captured = 1;
					if (!*debezium)
						ld_diag_at(ld, ld_pos(dbz),
							   "%s: 'debezium' names an empty kafka pool; use true, false or a kafka pool code", ctx);
				}
			}
		}
		if (my)
			e->mysql_pos = ld_pos(my);
		ld_string(ld, my, ctx, "mysql", &mysql);
		if (tb)
			e->table_pos = ld_pos(tb);
		if (ld_string(ld, tb, ctx, "table", &table) == 0 && tb)
			ld_diag_at(ld, ld_pos(tb), "%s: 'table' must not be empty; remove it to use the entity name", ctx);
	}
resolve:
	if (captured)
		e->kafka_pool = debezium ? debezium : fx_strdup(ld->m->default_kafka_pool);
	else
		free(debezium);
	e->mysql_pool = mysql ? mysql : fx_strdup(ld->m->default_mysql_pool);
	e->table = table ? table : fx_strdup(e->name);
	if ((captured && !e->kafka_pool) || !e->mysql_pool || !e->table)
		ld->oom = 1;
	else if (!*e->table)
		ld_diag_at(ld, e->table_pos, "%s: table name must not be empty; give 'table' or remove it to use the entity name", ctx);
}

static void ld_group(struct ld *ld, yaml_node_t *k, yaml_node_t *v, struct fx_consumer_group *g)
{
	char ctx[300];
	int kafka;
	yaml_node_t *n;

	snprintf(ctx, sizeof(ctx), "consumer group '%s'", scalar_raw(k));
	g->name = fx_strdup(scalar_raw(k));
	g->pos = ld_pos(k);
	if (!g->name) {
		ld->oom = 1;
		return;
	}
	if (ld_expect(ld, v, YAML_MAPPING_NODE, ctx, "consumer_groups") < 0)
		return;
	ld_check_keys(ld, v, ctx, group_keys, N_OF(group_keys));
	/* a bad 'kafka' was reported and leaves it NULL; absent: the default pool */
	kafka = ld_string(ld, ld_get(ld, v, "kafka"), ctx, "kafka", &g->kafka);
	if (kafka == 0 && !(g->kafka = fx_strdup(ld->m->default_kafka_pool)))
		ld->oom = 1;
	n = ld_get(ld, v, "kafka");
	g->kafka_pos = n ? ld_pos(n) : g->pos;
	n = ld_get(ld, v, "debezium_entities");
	ld_string_list(ld, n, ctx, "debezium_entities", 0, &g->entities, &g->n_entities);
	if (g->n_entities) {
		size_t i, j = 0;

		g->entity_pos = fx_calloc(g->n_entities, sizeof(*g->entity_pos));
		if (!g->entity_pos) {
			ld->oom = 1;
			return;
		}
		/* the items kept by ld_string_list, in order: the non-empty ones */
		for (i = 0; n && n->type == YAML_SEQUENCE_NODE && j < g->n_entities &&
			    i < (size_t)(n->data.sequence.items.top - n->data.sequence.items.start); i++) {
			yaml_node_t *it = ld_node(ld, n->data.sequence.items.start[i]);

			if (it && it->type == YAML_SCALAR_NODE && !scalar_is_null(it))
				g->entity_pos[j++] = ld_pos(it);
		}
		for (; j < g->n_entities; j++)
			g->entity_pos[j] = ld_pos(n);
	}
	ld_string_list(ld, ld_get(ld, v, "topics"), ctx, "topics", 0, &g->topics, &g->n_topics);
	if (!g->n_entities && !g->n_topics && !ld->oom)
		ld_diag_at(ld, g->pos, "%s: names no debezium_entities and no topics, so it would consume nothing; add one, or remove the group",
			   ctx);
}

/* Walks a mapping section (mysql, kafka, entities, consumer_groups). */
#define LD_SECTION(ld, node, arr, count, elem_fn, what)                                    \
	do {                                                                               \
		yaml_node_pair_t *p_;                                                      \
		size_t n_ = (size_t)((node)->data.mapping.pairs.top -                      \
				     (node)->data.mapping.pairs.start);                    \
		ld_check_keys(ld, node, what, NULL, 0);                                    \
		(arr) = fx_calloc(n_ ? n_ : 1, sizeof(*(arr)));                           \
		if (!(arr)) {                                                              \
			(ld)->oom = 1;                                                     \
			break;                                                             \
		}                                                                          \
		for (p_ = (node)->data.mapping.pairs.start;                                \
		     p_ < (node)->data.mapping.pairs.top; p_++) {                          \
			yaml_node_t *k_ = ld_node(ld, p_->key), *v_ = ld_node(ld, p_->value); \
			if (!k_ || k_->type != YAML_SCALAR_NODE || !v_)                    \
				continue;                                                  \
			elem_fn(ld, k_, v_, &(arr)[(count)++]);                            \
		}                                                                          \
	} while (0)

/* ---- cross-reference rules ---- */

static const struct fx_manifest *sort_m; /* qsort has no context argument */

static int entity_table_cmp(const void *a, const void *b)
{
	const struct fx_entity *x = &sort_m->entities[*(const size_t *)a];
	const struct fx_entity *y = &sort_m->entities[*(const size_t *)b];
	int c = strcmp(x->mysql_pool, y->mysql_pool);

	if (!c)
		c = strcmp(x->table, y->table);
	return c ? c : (*(const size_t *)a > *(const size_t *)b) - (*(const size_t *)a < *(const size_t *)b);
}

/* Two entities may not map to one (MySQL pool, table): sorted, then adjacent. */
static void ld_rule_same_table(struct ld *ld)
{
	const struct fx_manifest *m = ld->m;
	size_t *idx = fx_calloc(m->n_entities ? m->n_entities : 1, sizeof(*idx));
	size_t i, n = 0, first = 0;

	if (!idx) {
		ld->oom = 1;
		return;
	}
	for (i = 0; i < m->n_entities; i++)
		if (m->entities[i].mysql_pool && m->entities[i].table)
			idx[n++] = i;
	sort_m = m;
	qsort(idx, n, sizeof(*idx), entity_table_cmp);
	for (i = 1; i < n; i++) {
		const struct fx_entity *e = &m->entities[idx[i]], *o = &m->entities[idx[first]];

		if (strcmp(e->mysql_pool, o->mysql_pool) || strcmp(e->table, o->table)) {
			first = i;
			continue;
		}
		ld_diag_at(ld, e->table_pos,
			   "entity '%s': table '%s' of mysql pool '%s' is already entity '%s' (line %d); one table, one entity: remove one or give it another 'table'",
			   e->name, e->table, e->mysql_pool, o->name, o->pos.line);
	}
	free(idx);
}

/* One connector as the server-id rules see it: (mysql pool, kafka pool) and its id. */
struct sid_conn {
	const struct fx_mysql_pool *pool;
	const char *kafka;
	uint32_t id;
	int explicit_id;   /* server_id or connector: database.server.id gave it */
	int from_map;      /* a server_id mapping entry gave it */
	char server[300];  /* host:port as Connect reaches it; "" when unknown */
};

static uint32_t sid_effective(const struct fx_mysql_pool *p, const char *kafka, int *explicit_id)
{
	uint64_t v;
	size_t i;

	for (i = p->n_connector; i-- > 0;) {
		if (strcmp(p->connector[i].key, "database.server.id"))
			continue;
		*explicit_id = 1;
		/* a config-provider reference: unknown until Connect reads it (0) */
		return fx_str_to_u64(p->connector[i].value, 1, UINT32_MAX, &v) == 0 ? (uint32_t)v : 0;
	}
	return fx_manifest_server_id(p, kafka, explicit_id);
}

/*
 * SPEC §1 and §3 server-id rules: explicit ids distinct; a MySQL pool captured
 * on two Kafka pools needs an id per Kafka pool (FluxaORM would give both
 * connectors the same one); two pools reading one server (host:port as Connect
 * reaches it) may not end up with the same id.
 */
static void ld_rule_server_ids(struct ld *ld)
{
	const struct fx_manifest *m = ld->m;
	struct sid_conn *c = fx_calloc(m->n_entities ? m->n_entities : 1, sizeof(*c));
	size_t n = 0, i, j, k;

	if (!c) {
		ld->oom = 1;
		return;
	}
	/* explicit ids: scalars and mapping entries, distinct across the manifest */
	for (i = 0; i < m->n_mysql; i++) {
		const struct fx_mysql_pool *p = &m->mysql[i];

		for (k = 0; k <= p->n_server_ids; k++) {
			uint32_t id = k < p->n_server_ids ? p->server_ids[k].id : p->server_id;
			struct fx_pos pos = k < p->n_server_ids ? p->server_ids[k].pos : p->server_id_pos;
			const char *dup = NULL;
			size_t q, r;

			if (k == p->n_server_ids && !p->has_server_id)
				continue;
			for (q = 0; q <= i && !dup; q++)
				for (r = 0; r <= m->mysql[q].n_server_ids && !dup; r++) {
					const struct fx_mysql_pool *o = &m->mysql[q];

					if (q == i && r >= k)
						break;
					if (r == o->n_server_ids ? o->has_server_id && o->server_id == id :
					    o->server_ids[r].id == id)
						dup = o->code;
				}
			if (dup && dup == p->code)
				ld_diag_at(ld, pos,
					   "mysql pool '%s': server_id %u is given to two of its kafka pools; each connector needs its own id",
					   p->code, id);
			else if (dup)
				ld_diag_at(ld, pos,
					   "mysql pool '%s': server_id %u is already used by mysql pool '%s'; give each pool its own, or remove it to have one derived",
					   p->code, id, dup);
		}
	}
	for (i = 0; i < m->n_entities; i++) {
		const struct fx_entity *e = &m->entities[i];
		const struct fx_mysql_pool *p;

		if (!e->kafka_pool || !e->mysql_pool || !(p = fx_manifest_mysql(m, e->mysql_pool)) ||
		    !fx_manifest_kafka(m, e->kafka_pool))
			continue;
		for (j = 0; j < n && !(c[j].pool == p && !strcmp(c[j].kafka, e->kafka_pool)); j++)
			;
		if (j < n)
			continue;
		c[n].pool = p;
		c[n].kafka = e->kafka_pool;
		c[n].id = sid_effective(p, e->kafka_pool, &c[n].explicit_id);
		for (k = 0; k < p->n_server_ids; k++)
			c[n].from_map |= !strcmp(p->server_ids[k].kafka_pool, e->kafka_pool);
		if (p->connect_host || p->host)
			snprintf(c[n].server, sizeof(c[n].server), "%s:%u",
				 p->connect_host ? p->connect_host : p->host,
				 p->connect_port ? p->connect_port : p->port);
		for (k = 0; c[n].server[k]; k++)
			c[n].server[k] = (char)tolower((unsigned char)c[n].server[k]);
		n++;
	}
	/* a server_id mapping names Kafka pools the MySQL pool is captured on */
	for (i = 0; i < m->n_mysql; i++) {
		const struct fx_mysql_pool *p = &m->mysql[i];

		for (k = 0; k < p->n_server_ids; k++) {
			const char *kp = p->server_ids[k].kafka_pool;

			for (j = 0; j < n && !(c[j].pool == p && !strcmp(c[j].kafka, kp)); j++)
				;
			if (j < n)
				continue;
			if (!fx_manifest_kafka(m, kp))
				ld_diag_at(ld, p->server_ids[k].pos,
					   "mysql pool '%s': server_id names kafka pool '%s', which is not defined; key each id by a kafka pool the pool is captured on",
					   p->code, kp);
			else
				ld_diag_at(ld, p->server_ids[k].pos,
					   "mysql pool '%s': server_id names kafka pool '%s', but no entity of the pool is captured on it; remove the entry",
					   p->code, kp);
		}
	}
	for (i = 0; i < n; i++)
		for (j = 0; j < i; j++) {
			if (!c[i].id || c[i].id != c[j].id || (c[i].from_map && c[j].from_map))
				continue; /* two equal mapping entries: reported above */
			if (c[i].pool == c[j].pool) {
				ld_diag_at(ld, c[i].pool->server_id_pos.line ? c[i].pool->server_id_pos : c[i].pool->pos,
					   "mysql pool '%s': is captured on kafka pools '%s' and '%s', and both connectors would use database.server.id %u (the server drops one of two binlog clients with the same id); give each its own: server_id: {%s: ID1, %s: ID2}",
					   c[i].pool->code, c[j].kafka, c[i].kafka, c[i].id, c[j].kafka,
					   c[i].kafka);
			} else if (c[i].server[0] && !strcmp(c[i].server, c[j].server) &&
				   !(c[i].explicit_id && c[j].explicit_id)) {
				ld_diag_at(ld, c[i].pool->pos,
					   "mysql pool '%s': reads server %s like mysql pool '%s', and both connectors would use database.server.id %u (derived from the pool name, as FluxaORM does); set server_id on one of them",
					   c[i].pool->code, c[i].server, c[j].pool->code, c[i].id);
			}
		}
	free(c);
}

/* The closest kafka pool / entity name, for a did-you-mean; lends. */
static const char *suggest_kafka(const struct fx_manifest *m, const char *name)
{
	const char *cands[64];
	size_t n = 0, i;

	for (i = 0; i < m->n_kafka && n < 64; i++)
		cands[n++] = m->kafka[i].code;
	return fx_str_suggest(name, cands, n);
}

static const char *suggest_entity(const struct fx_manifest *m, const char *name)
{
	const char *best = NULL;
	size_t i, lo = 0;

	/* in chunks: a manifest may have thousands of entities */
	for (i = 0; i < m->n_entities; i += 64) {
		const char *cands[64], *pick;
		size_t n = 0, j;

		for (j = i; j < m->n_entities && n < 64; j++)
			cands[n++] = m->entities[j].name;
		pick = fx_str_suggest(name, cands, n);
		if (pick && (!best || fx_str_distance(name, pick, 8) < lo)) {
			best = pick;
			lo = fx_str_distance(name, pick, 8);
		}
	}
	return best;
}

static void ld_rules(struct ld *ld)
{
	struct fx_manifest *m = ld->m;
	size_t i, j;

	for (i = 0; i < m->n_entities; i++) {
		struct fx_entity *e = &m->entities[i];
		const struct fx_mysql_pool *mp;
		const struct fx_kafka_pool *kp;

		if (!e->mysql_pool)
			continue;
		mp = fx_manifest_mysql(m, e->mysql_pool);
		if (!mp) {
			const char *cands[64];
			size_t n = 0;
			const char *hint;

			for (j = 0; j < m->n_mysql && n < 64; j++)
				cands[n++] = m->mysql[j].code;
			hint = fx_str_suggest(e->mysql_pool, cands, n);
			ld_diag_at(ld, e->mysql_pos, "entity '%s': mysql pool '%s' is not defined%s%s%s",
				   e->name, e->mysql_pool, hint ? " (did you mean '" : "",
				   hint ? hint : "", hint ? "'?)" : "; define it under 'mysql'");
		}
		if (!e->kafka_pool)
			continue;
		kp = fx_manifest_kafka(m, e->kafka_pool);
		if (!kp) {
			const char *cands[64];
			size_t n = 0;
			const char *hint;

			for (j = 0; j < m->n_kafka && n < 64; j++)
				cands[n++] = m->kafka[j].code;
			hint = fx_str_suggest(e->kafka_pool, cands, n);
			ld_diag_at(ld, e->kafka_pos, "entity '%s': kafka pool '%s' is not defined%s%s%s",
				   e->name, e->kafka_pool, hint ? " (did you mean '" : "",
				   hint ? hint : "", hint ? "'?)" : "; define it under 'kafka'");
		} else {
			if (!kp->connect_url)
				ld_diag_at(ld, kp->pos,
					   "kafka pool '%s': 'connect_url' is required (entity '%s' is captured on it); add the Kafka Connect REST URL, e.g. connect_url: http://connect:8083",
					   kp->code, e->name);
			if (!kp->n_brokers)
				ld_diag_at(ld, kp->pos,
					   "kafka pool '%s': 'brokers' is required (entity '%s' is captured on it); add e.g. brokers: [\"kafka:9092\"]",
					   kp->code, e->name);
		}
		if (mp && mp->broken)
			mp = NULL; /* its own error was reported: no follow-on noise */
		if (mp && (!mp->database || !*mp->database))
			ld_diag_at(ld, mp->pos,
				   "mysql pool '%s': names no database (entity '%s' is captured from it); end the DSN with /DATABASE or add 'database'",
				   mp->code, e->name);
		if (mp && !mp->host && !mp->connect_host)
			ld_diag_at(ld, mp->pos,
				   "mysql pool '%s': a unix socket DSN needs 'connect_host' (and 'connect_port'): the address Kafka Connect workers reach the server at",
				   mp->code);
		if (mp && (!mp->user || !*mp->user))
			ld_diag_at(ld, mp->pos, "mysql pool '%s': names no user (entity '%s' is captured from it); start the DSN with USER:PASSWORD@ or add 'user'",
				   mp->code, e->name);
	}
	ld_rule_same_table(ld);
	ld_rule_server_ids(ld);
	for (i = 0; i < m->n_groups; i++) {
		struct fx_consumer_group *g = &m->groups[i];

		if (g->kafka && !fx_manifest_kafka(m, g->kafka)) {
			const char *hint = suggest_kafka(m, g->kafka);

			ld_diag_at(ld, g->kafka_pos, "consumer group '%s': kafka pool '%s' is not defined%s%s%s",
				   g->name, g->kafka, hint ? " (did you mean '" : "", hint ? hint : "",
				   hint ? "'?)" : "; define it under 'kafka' or fix the name");
		}
		for (j = 0; j < g->n_entities; j++) {
			const struct fx_entity *e = fx_manifest_entity(m, g->entities[j]);
			struct fx_pos at = g->entity_pos ? g->entity_pos[j] : g->pos;

			if (!e) {
				const char *hint = suggest_entity(m, g->entities[j]);

				ld_diag_at(ld, at, "consumer group '%s': entity '%s' is not defined%s%s%s",
					   g->name, g->entities[j], hint ? " (did you mean '" : "",
					   hint ? hint : "", hint ? "'?)" : "; fix the name or remove it from debezium_entities");
			} else if (!e->kafka_pool)
				ld_diag_at(ld, at, "consumer group '%s': entity '%s' is not captured; capture it (debezium: true) or remove it from debezium_entities",
					   g->name, g->entities[j]);
			else if (g->kafka && strcmp(e->kafka_pool, g->kafka))
				ld_diag_at(ld, at,
					   "consumer group '%s': entity '%s' is captured on kafka pool '%s', not '%s'; set the group's 'kafka' to it or capture the entity on '%s'",
					   g->name, g->entities[j], e->kafka_pool, g->kafka, g->kafka);
		}
	}
}

/* ---- the document ---- */

static void ld_root(struct ld *ld, yaml_node_t *root)
{
	struct fx_manifest *m = ld->m;
	yaml_node_t *n, *d;
	uint64_t version;

	if (root->type != YAML_MAPPING_NODE) {
		ld_diag_at(ld, ld_pos(root), "manifest: the top level must be a mapping, not %s; start with 'version: 1' (see fluxacdc.yaml(5))",
			   node_type_name(root));
		return;
	}
	ld_check_keys(ld, root, "manifest", top_keys, N_OF(top_keys));
	n = ld_get(ld, root, "version");
	if (!n)
		ld_diag_at(ld, ld_pos(root), "manifest: 'version' is required (version: 1)");
	else if (ld_uint(ld, n, "manifest", "version", 0, 1000000, &version) > 0 && version != 1)
		ld_diag_at(ld, ld_pos(n), "manifest: unsupported version %llu (this fluxacdc reads 1); write version: 1, or use a fluxacdc that reads this version",
			   (unsigned long long)version);

	d = ld_get(ld, root, "defaults");
	if (d && !scalar_is_null(d) && ld_expect(ld, d, YAML_MAPPING_NODE, "manifest", "defaults") == 0) {
		ld_check_keys(ld, d, "defaults", defaults_keys, N_OF(defaults_keys));
		ld_string(ld, ld_get(ld, d, "mysql_pool"), "defaults", "mysql_pool",
			  &m->default_mysql_pool);
		ld_string(ld, ld_get(ld, d, "kafka_pool"), "defaults", "kafka_pool",
			  &m->default_kafka_pool);
		ld_kv_map(ld, ld_get(ld, d, "connector"), "defaults", "connector",
			  &m->default_connector, &m->n_default_connector);
		note_literal_secrets(ld, m->default_connector, m->n_default_connector);
		for (size_t i = 0; i < m->n_default_connector; i++)
			if (!strcmp(m->default_connector[i].key, "database.server.id"))
				ld_diag_at(ld, m->default_connector[i].pos,
					   "defaults: 'connector.database.server.id' would give every connector the same id; set server_id on each mysql pool instead");
	}
	if (!m->default_mysql_pool)
		m->default_mysql_pool = fx_strdup("default");
	if (!m->default_kafka_pool)
		m->default_kafka_pool = fx_strdup("default");
	if (!m->default_mysql_pool || !m->default_kafka_pool) {
		ld->oom = 1;
		return;
	}

	n = ld_get(ld, root, "mysql");
	if (n && !scalar_is_null(n) && ld_expect(ld, n, YAML_MAPPING_NODE, "manifest", "mysql") == 0)
		LD_SECTION(ld, n, m->mysql, m->n_mysql, ld_mysql_pool, "mysql");
	n = ld_get(ld, root, "kafka");
	if (n && !scalar_is_null(n) && ld_expect(ld, n, YAML_MAPPING_NODE, "manifest", "kafka") == 0)
		LD_SECTION(ld, n, m->kafka, m->n_kafka, ld_kafka_pool, "kafka");
	n = ld_get(ld, root, "entities");
	if (n && !scalar_is_null(n) && ld_expect(ld, n, YAML_MAPPING_NODE, "manifest", "entities") == 0) {
		ld_entities_layout(ld, n);
		LD_SECTION(ld, n, m->entities, m->n_entities, ld_entity, "entities");
	}
	n = ld_get(ld, root, "consumer_groups");
	if (n && !scalar_is_null(n) &&
	    ld_expect(ld, n, YAML_MAPPING_NODE, "manifest", "consumer_groups") == 0)
		LD_SECTION(ld, n, m->groups, m->n_groups, ld_group, "consumer_groups");
	if (!ld->oom)
		ld_rules(ld);
}

static void ld_yaml_error(struct ld *ld, const yaml_parser_t *parser)
{
	struct fx_pos pos;
	const yaml_mark_t *mark = parser->problem ? &parser->problem_mark : &parser->context_mark;

	pos.line = (int)mark->line + 1;
	pos.col = (int)mark->column + 1;
	if (parser->error == YAML_MEMORY_ERROR)
		ld->oom = 1;
	else if (parser->context)
		ld_diag_at(ld, pos, "YAML syntax error: %s %s", parser->problem ? parser->problem : "",
			   parser->context);
	else
		ld_diag_at(ld, pos, "YAML syntax error: %s",
			   parser->problem ? parser->problem : "malformed document");
}

int fx_manifest_load_bytes(const char *path, const char *data, size_t len,
			   fx_getenv_fn getenv_fn, void *env_ctx, struct fx_manifest *m,
			   struct fx_diags *diags, struct fx_err *err)
{
	yaml_parser_t parser;
	yaml_document_t doc, extra;
	struct ld ld;
	yaml_node_t *root;
	int have_doc = 0, ret = -1;
	struct fx_pos first = { 1, 1 };

	memset(m, 0, sizeof(*m));
	memset(&ld, 0, sizeof(ld));
	ld.path = path;
	ld.doc = &doc;
	ld.diags = diags;
	ld.getenv_fn = getenv_fn;
	ld.env_ctx = env_ctx;
	ld.m = m;
	m->path = fx_strdup(path);
	if (!m->path)
		return fx_err_set(err, 1, "out of memory");
	fx_sha256_hex(data, len, m->sha256);

	if (!fx_str_is_utf8(data, len)) {
		size_t bad = fx_str_utf8_prefix(data, len), i;
		const char *nl = NULL;

		first.line = 1;
		for (i = 0; i < bad; i++)
			if (data[i] == '\n') {
				first.line++;
				nl = data + i;
			}
		first.col = (int)(data + bad - (nl ? nl + 1 : data)) + 1;
		ld_diag_at(&ld, first, "manifest is not valid UTF-8 (byte 0x%02x); save it as UTF-8",
			   (unsigned char)data[bad]);
		goto out;
	}
	if (!yaml_parser_initialize(&parser)) {
		fx_err_set(err, 1, "out of memory");
		return -1;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	if (!yaml_parser_load(&parser, &doc)) {
		ld_yaml_error(&ld, &parser);
		yaml_parser_delete(&parser);
		goto out;
	}
	have_doc = 1;
	root = yaml_document_get_root_node(&doc);
	if (!root) {
		ld_diag_at(&ld, first, "manifest is empty (expected at least 'version: 1')");
		yaml_parser_delete(&parser);
		goto out;
	}
	if (!yaml_parser_load(&parser, &extra)) {
		ld_yaml_error(&ld, &parser);
	} else {
		yaml_node_t *r2 = yaml_document_get_root_node(&extra);

		if (r2)
			ld_diag_at(&ld, ld_pos(r2), "manifest holds more than one YAML document; keep one (remove this '---' and what follows)");
		yaml_document_delete(&extra);
	}
	yaml_parser_delete(&parser);
	ld_root(&ld, root);
out:
	if (have_doc)
		yaml_document_delete(&doc);
	if (ld.oom)
		return fx_err_set(err, 1, "out of memory reading '%s'", path);
	if (diags->n)
		return fx_err_set(err, 65, "%s: %zu error%s in manifest", path, diags->n,
				  diags->n == 1 ? "" : "s");
	m->world_readable_secret = ld.literal_secret;
	ret = 0;
	return ret;
}

int fx_manifest_load(const char *path, struct fx_manifest *m, struct fx_diags *diags,
		     struct fx_err *err)
{
	struct fx_buf b = FX_BUF_INIT;
	struct stat st;
	int ret, others_read;

	memset(m, 0, sizeof(*m));
	if (fx_file_read(path, MANIFEST_MAX_BYTES, &b, err) < 0) {
		int missing = errno == ENOENT && stat(path, &st) < 0;

		fx_buf_release(&b);
		err->code = 65;
		return fx_err_prefix(err, missing ? "manifest (give it with -f FILE or $FLUXACDC_MANIFEST)" :
				     "manifest");
	}
	others_read = stat(path, &st) == 0 && (st.st_mode & S_IROTH);
	ret = fx_manifest_load_bytes(path, b.buf ? b.buf : "", b.len, NULL, NULL, m, diags, err);
	fx_buf_release(&b);
	if (ret == 0)
		m->world_readable_secret = m->world_readable_secret && others_read;
	return ret;
}

static void free_list(char **l, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(l[i]);
	free(l);
}

static void free_kv(struct fx_kv *kv, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(kv[i].key);
		free(kv[i].value);
	}
	free(kv);
}

void fx_manifest_release(struct fx_manifest *m)
{
	size_t i, j;

	for (i = 0; m->mysql && i < m->n_mysql; i++) {
		struct fx_mysql_pool *p = &m->mysql[i];

		free(p->code);
		free(p->user);
		free(p->password);
		free(p->host);
		free(p->socket);
		free(p->database);
		free(p->params);
		free(p->connect_host);
		free_kv(p->connector, p->n_connector);
		for (j = 0; j < p->n_server_ids; j++)
			free(p->server_ids[j].kafka_pool);
		free(p->server_ids);
	}
	free(m->mysql);
	for (i = 0; m->kafka && i < m->n_kafka; i++) {
		struct fx_kafka_pool *p = &m->kafka[i];

		free(p->code);
		free_list(p->brokers, p->n_brokers);
		free(p->connect_url);
		free(p->connect_bootstrap_servers);
		free(p->auth_user);
		free(p->auth_password);
		free(p->tls_ca_file);
		free(p->tls_cert_file);
		free(p->tls_key_file);
		free_kv(p->config, p->n_config);
	}
	free(m->kafka);
	for (i = 0; m->entities && i < m->n_entities; i++) {
		free(m->entities[i].name);
		free(m->entities[i].kafka_pool);
		free(m->entities[i].mysql_pool);
		free(m->entities[i].table);
	}
	free(m->entities);
	for (i = 0; m->groups && i < m->n_groups; i++) {
		free(m->groups[i].name);
		free(m->groups[i].kafka);
		free_list(m->groups[i].entities, m->groups[i].n_entities);
		free_list(m->groups[i].topics, m->groups[i].n_topics);
		free(m->groups[i].entity_pos);
	}
	free(m->groups);
	free(m->path);
	free(m->default_mysql_pool);
	free(m->default_kafka_pool);
	free_kv(m->default_connector, m->n_default_connector);
	memset(m, 0, sizeof(*m));
}

const struct fx_mysql_pool *fx_manifest_mysql(const struct fx_manifest *m, const char *code)
{
	size_t i;

	for (i = 0; i < m->n_mysql; i++)
		if (m->mysql[i].code && !strcmp(m->mysql[i].code, code))
			return &m->mysql[i];
	return NULL;
}

const struct fx_kafka_pool *fx_manifest_kafka(const struct fx_manifest *m, const char *code)
{
	size_t i;

	for (i = 0; i < m->n_kafka; i++)
		if (m->kafka[i].code && !strcmp(m->kafka[i].code, code))
			return &m->kafka[i];
	return NULL;
}

const struct fx_entity *fx_manifest_entity(const struct fx_manifest *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->n_entities; i++)
		if (m->entities[i].name && !strcmp(m->entities[i].name, name))
			return &m->entities[i];
	return NULL;
}

const struct fx_consumer_group *fx_manifest_group(const struct fx_manifest *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->n_groups; i++)
		if (m->groups[i].name && !strcmp(m->groups[i].name, name))
			return &m->groups[i];
	return NULL;
}

char *fx_manifest_topic(const struct fx_manifest *m, const struct fx_entity *e)
{
	const struct fx_mysql_pool *p = fx_manifest_mysql(m, e->mysql_pool);

	if (!p)
		return NULL;
	return fx_asprintf("fluxa_%s.%s.%s", p->code, p->database ? p->database : "", e->table);
}

const char *fx_manifest_default_path(const char *explicit_path)
{
	const char *env;

	if (explicit_path)
		return explicit_path;
	env = getenv("FLUXACDC_MANIFEST");
	if (env && *env)
		return env;
	return "fluxacdc.yaml";
}

uint32_t fx_manifest_derived_server_id(const char *mysql_pool)
{
	return fx_fnv1a32(mysql_pool) % 100000u + 1000u;
}

uint32_t fx_manifest_server_id(const struct fx_mysql_pool *pool, const char *kafka_pool,
			       int *explicit_id)
{
	size_t i;

	if (explicit_id)
		*explicit_id = 1;
	for (i = 0; kafka_pool && i < pool->n_server_ids; i++)
		if (!strcmp(pool->server_ids[i].kafka_pool, kafka_pool))
			return pool->server_ids[i].id;
	if (pool->has_server_id)
		return pool->server_id;
	if (explicit_id)
		*explicit_id = 0;
	return fx_manifest_derived_server_id(pool->code);
}

const char *fx_flavor_name(enum fx_flavor f)
{
	switch (f) {
	case FX_FLAVOR_MYSQL:
		return "mysql";
	case FX_FLAVOR_MARIADB:
		return "mariadb";
	default:
		return "auto";
	}
}
