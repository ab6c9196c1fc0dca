#include "normalize.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/alloc.h"
#include "util/buf.h"
#include "util/str.h"

enum norm_type { NORM_STRING = 0, NORM_BOOL, NORM_INT, NORM_LIST };

/*
 * Documented defaults, kept small: only keys whose default is written down.
 *  - tasks.max 1: Kafka Connect ConnectorConfig (TASKS_MAX_DEFAULT), and the
 *    Debezium MySQL/MariaDB connector reference, "tasks.max: 1".
 *  - database.port 3306, include.schema.changes true, tombstones.on.delete
 *    true, decimal.handling.mode precise, snapshot.mode initial: the
 *    "Connector properties" tables of the Debezium MySQL and MariaDB
 *    connector reference (debezium.io/documentation/reference/stable/
 *    connectors/mysql.html and mariadb.html), identical for both.
 */
static const struct {
	const char *key;
	const char *def;
	enum norm_type type;
} norm_keys[] = {
	{ "tasks.max", "1", NORM_INT },
	{ "database.port", "3306", NORM_INT },
	{ "database.server.id", NULL, NORM_INT },
	{ "include.schema.changes", "true", NORM_BOOL },
	{ "tombstones.on.delete", "true", NORM_BOOL },
	{ "decimal.handling.mode", "precise", NORM_STRING },
	{ "snapshot.mode", "initial", NORM_STRING },
	{ "key.converter.schemas.enable", NULL, NORM_BOOL },
	{ "value.converter.schemas.enable", NULL, NORM_BOOL },
	{ "database.include.list", NULL, NORM_LIST },
	{ "database.exclude.list", NULL, NORM_LIST },
	{ "table.include.list", NULL, NORM_LIST },
	{ "table.exclude.list", NULL, NORM_LIST },
	{ "column.include.list", NULL, NORM_LIST },
	{ "column.exclude.list", NULL, NORM_LIST },
};

#define MASK_MARK "\001masked"

static int norm_find(const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(norm_keys) / sizeof(norm_keys[0]); i++)
		if (!strcmp(norm_keys[i].key, key))
			return (int)i;
	return -1;
}

static enum norm_type norm_type_of(const char *key)
{
	int i = norm_find(key);

	return i < 0 ? NORM_STRING : norm_keys[i].type;
}

int fx_normalize_ignored_key(const char *key)
{
	return !strcmp(key, "name") || fx_str_has_prefix(key, "__internal.");
}

int fx_normalize_masked(const char *value)
{
	size_t n = 0;

	if (!value)
		return 0;
	if (!strcmp(value, "[hidden]"))
		return 1;
	while (value[n] == '*')
		n++;
	return n >= 3 && !value[n];
}

const char *fx_normalize_default(const char *key)
{
	int i = norm_find(key);

	return i < 0 ? NULL : norm_keys[i].def;
}

int fx_normalize_is_list_key(const char *key)
{
	return norm_type_of(key) == NORM_LIST;
}

/* ---- include lists ---- */

struct norm_item {
	char *canon;   /* literal name, or "\x01" + the regex as written */
	char *shown;   /* literal name, or the regex as written */
};

struct norm_list {
	struct norm_item *items;
	size_t n;
};

static void norm_list_release(struct norm_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->items[i].canon);
		free(l->items[i].shown);
	}
	free(l->items);
	l->items = NULL;
	l->n = 0;
}

/* One item of a regex list: a literal name when it names one, else the regex. */
static int norm_item_make(const char *p, size_t n, struct norm_item *it)
{
	struct fx_buf lit = FX_BUF_INIT;
	size_t i;
	int regex = 0;

	for (i = 0; i < n && !regex; i++) {
		if (p[i] == '\\' && i + 1 < n) {
			if (isalnum((unsigned char)p[i + 1]))
				regex = 1; /* \d, \w, \Q...: a class, not an escaped character */
			else
				fx_buf_addc(&lit, p[++i]);
		} else if (p[i] == '\\' || strchr("^$|?*+()[]{}", p[i])) {
			regex = 1;
		} else {
			fx_buf_addc(&lit, p[i]); /* '.': Debezium users mean the separator */
		}
	}
	if (regex) {
		fx_buf_release(&lit);
		it->shown = fx_malloc(n + 1);
		it->canon = fx_malloc(n + 2);
		if (!it->shown || !it->canon)
			return -1;
		memcpy(it->shown, p, n);
		it->shown[n] = '\0';
		it->canon[0] = '\001';
		memcpy(it->canon + 1, p, n);
		it->canon[n + 1] = '\0';
		return 0;
	}
	fx_buf_adds(&lit, "");
	it->canon = fx_buf_detach(&lit);
	it->shown = it->canon ? fx_strdup(it->canon) : NULL;
	return it->canon && it->shown ? 0 : -1;
}

static int norm_item_cmp(const void *a, const void *b)
{
	return strcmp(((const struct norm_item *)a)->canon, ((const struct norm_item *)b)->canon);
}

/* Splits on unescaped commas, trims, drops empty items, sorts, removes duplicates. */
static int norm_list_parse(const char *s, struct norm_list *l)
{
	size_t alloc = 0, i, j;
	const char *p = s ? s : "";

	l->items = NULL;
	l->n = 0;
	while (*p) {
		const char *e = p, *b, *t;

		while (*e && *e != ',') {
			if (*e == '\\' && e[1])
				e++;
			e++;
		}
		for (b = p; b < e && isspace((unsigned char)*b); b++)
			;
		for (t = e; t > b && isspace((unsigned char)t[-1]); t--)
			;
		if (t > b) {
			if (fx_grow(&l->items, &alloc, l->n + 1, sizeof(*l->items)) < 0)
				goto oom;
			memset(&l->items[l->n], 0, sizeof(l->items[l->n]));
			l->n++;
			if (norm_item_make(b, (size_t)(t - b), &l->items[l->n - 1]) < 0)
				goto oom;
		}
		p = *e ? e + 1 : e;
	}
	if (l->n > 1)
		qsort(l->items, l->n, sizeof(*l->items), norm_item_cmp);
	for (i = j = 0; i < l->n; i++) {
		if (j && !strcmp(l->items[j - 1].canon, l->items[i].canon)) {
			free(l->items[i].canon);
			free(l->items[i].shown);
			continue;
		}
		l->items[j++] = l->items[i];
	}
	l->n = j;
	return 0;
oom:
	norm_list_release(l);
	return -1;
}

/* 1 equal, 0 not, -1 out of memory. */
static int norm_list_equal(const char *a, const char *b)
{
	struct norm_list x, y;
	size_t i;
	int eq;

	if (norm_list_parse(a, &x) < 0)
		return -1;
	if (norm_list_parse(b, &y) < 0) {
		norm_list_release(&x);
		return -1;
	}
	eq = x.n == y.n;
	for (i = 0; eq && i < x.n; i++)
		eq = !strcmp(x.items[i].canon, y.items[i].canon);
	norm_list_release(&x);
	norm_list_release(&y);
	return eq;
}

int fx_normalize_list_added(const char *before, const char *after, char **added)
{
	struct norm_list x, y;
	struct fx_buf out = FX_BUF_INIT;
	size_t i, j;

	*added = NULL;
	if (norm_list_parse(before, &x) < 0)
		return -1;
	if (norm_list_parse(after, &y) < 0) {
		norm_list_release(&x);
		return -1;
	}
	for (i = j = 0; i < y.n; i++) {
		while (j < x.n && strcmp(x.items[j].canon, y.items[i].canon) < 0)
			j++;
		if (j < x.n && !strcmp(x.items[j].canon, y.items[i].canon))
			continue;
		fx_buf_addf(&out, "%s%s", out.len ? ", " : "", y.items[i].shown);
	}
	norm_list_release(&x);
	norm_list_release(&y);
	if (!fx_buf_ok(&out)) {
		fx_buf_release(&out);
		return -1;
	}
	if (out.len)
		*added = fx_buf_detach(&out);
	else
		fx_buf_release(&out);
	return 0;
}

/* ---- scalars ---- */

static int norm_is_bool(const char *v)
{
	return !strcasecmp(v, "true") || !strcasecmp(v, "false");
}

/* A whole decimal integer, spaces around allowed (Connect trims them). */
static int norm_int(const char *v, long long *out)
{
	char *end;

	while (isspace((unsigned char)*v))
		v++;
	if (!*v)
		return -1;
	*out = strtoll(v, &end, 10);
	while (isspace((unsigned char)*end))
		end++;
	return *end ? -1 : 0;
}

int fx_normalize_equal(const char *key, const char *desired, const char *observed)
{
	enum norm_type t = norm_type_of(key);
	const char *def = fx_normalize_default(key);
	long long a, b;

	if (fx_normalize_ignored_key(key) || fx_normalize_masked(observed))
		return 1;
	if (!desired)
		desired = def;
	if (!observed)
		observed = def;
	if (!desired || !observed)
		return !desired && !observed;
	switch (t) {
	case NORM_LIST:
		return norm_list_equal(desired, observed);
	case NORM_BOOL:
		if (norm_is_bool(desired) && norm_is_bool(observed))
			return !strcasecmp(desired, observed);
		break;
	case NORM_INT:
		if (norm_int(desired, &a) == 0 && norm_int(observed, &b) == 0)
			return a == b;
		break;
	default:
		break;
	}
	return !strcmp(desired, observed);
}

char *fx_normalize_canon(const char *key, const char *value, int *skip)
{
	enum norm_type t = norm_type_of(key);
	const char *def = fx_normalize_default(key);
	long long n;

	*skip = 0;
	if (fx_normalize_ignored_key(key) || (def && !fx_normalize_masked(value) &&
					      fx_normalize_equal(key, def, value) == 1)) {
		*skip = 1;
		return NULL;
	}
	if (fx_normalize_masked(value))
		return fx_strdup(MASK_MARK);
	if (t == NORM_LIST) {
		struct norm_list l;
		struct fx_buf b = FX_BUF_INIT;
		size_t i;

		if (norm_list_parse(value, &l) < 0)
			return NULL;
		fx_buf_adds(&b, "");
		for (i = 0; i < l.n; i++)
			fx_buf_addf(&b, "%s%s", i ? "\n" : "", l.items[i].canon);
		norm_list_release(&l);
		return fx_buf_detach(&b);
	}
	if (t == NORM_BOOL && norm_is_bool(value))
		return fx_strdup(!strcasecmp(value, "true") ? "true" : "false");
	if (t == NORM_INT && norm_int(value, &n) == 0)
		return fx_asprintf("%lld", n);
	return fx_strdup(value);
}
