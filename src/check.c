#include "check.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/buf.h"

static void check_release(struct fx_check *k)
{
	free(k->id);
	free(k->scope);
	free(k->observed);
	free(k->expected);
	free(k->message);
	free(k->hint);
}

void fx_checks_release(struct fx_checks *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		check_release(&c->items[i]);
	free(c->items);
	c->items = NULL;
	c->n = c->alloc = 0;
}

int fx_checks_add(struct fx_checks *c, enum fx_check_level level, const char *id,
		  const char *scope, const char *observed, const char *expected, const char *hint,
		  const char *fmt, ...)
{
	struct fx_check k;
	struct fx_buf msg = FX_BUF_INIT;
	va_list ap;

	memset(&k, 0, sizeof(k));
	va_start(ap, fmt);
	fx_buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	k.level = level;
	k.id = fx_strdup(id);
	k.scope = fx_strdup(scope);
	k.observed = observed ? fx_strdup(observed) : NULL;
	k.expected = expected ? fx_strdup(expected) : NULL;
	k.hint = hint ? fx_strdup(hint) : NULL;
	k.message = fx_buf_detach(&msg);
	if (!k.id || !k.scope || !k.message || (observed && !k.observed) ||
	    (expected && !k.expected) || (hint && !k.hint) ||
	    fx_grow(&c->items, &c->alloc, c->n + 1, sizeof(*c->items)) < 0) {
		check_release(&k);
		return -1;
	}
	c->items[c->n++] = k;
	return 0;
}

int fx_checks_move(struct fx_checks *dst, struct fx_checks *src)
{
	if (fx_grow(&dst->items, &dst->alloc, dst->n + src->n, sizeof(*dst->items)) < 0)
		return -1;
	if (src->n)
		memcpy(dst->items + dst->n, src->items, src->n * sizeof(*src->items));
	dst->n += src->n;
	free(src->items);
	src->items = NULL;
	src->n = src->alloc = 0;
	return 0;
}

static int check_cmp(const struct fx_check *a, const struct fx_check *b)
{
	int c = strcmp(a->scope, b->scope);

	if (c)
		return c;
	if (a->level != b->level)
		return a->level > b->level ? -1 : 1;
	return strcmp(a->id, b->id);
}

void fx_checks_sort(struct fx_checks *c)
{
	size_t i, j;

	/* insertion sort: stable, and check lists are short */
	for (i = 1; i < c->n; i++) {
		struct fx_check k = c->items[i];

		for (j = i; j > 0 && check_cmp(&c->items[j - 1], &k) > 0; j--)
			c->items[j] = c->items[j - 1];
		c->items[j] = k;
	}
}

size_t fx_checks_count(const struct fx_checks *c, enum fx_check_level level)
{
	size_t i, n = 0;

	for (i = 0; i < c->n; i++)
		n += c->items[i].level == level;
	return n;
}

const char *fx_check_level_name(enum fx_check_level l)
{
	switch (l) {
	case FX_CHECK_ERROR:
		return "error";
	case FX_CHECK_WARNING:
		return "warning";
	default:
		return "info";
	}
}
