#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

void fx_config_init(struct fx_config *c)
{
	c->items = NULL;
	c->n = c->alloc = 0;
}

void fx_config_release(struct fx_config *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->items[i].key);
		free(c->items[i].value);
	}
	free(c->items);
	fx_config_init(c);
}

/* Index of key, or of where it would go (found tells which). */
static size_t config_find(const struct fx_config *c, const char *key, int *found)
{
	size_t lo = 0, hi = c->n;

	*found = 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = strcmp(c->items[mid].key, key);

		if (cmp == 0) {
			*found = 1;
			return mid;
		}
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int fx_config_set(struct fx_config *c, const char *key, const char *value)
{
	int found;
	size_t i = config_find(c, key, &found);
	char *v = fx_strdup(value), *k;

	if (!v)
		return -1;
	if (found) {
		free(c->items[i].value);
		c->items[i].value = v;
		return 0;
	}
	k = fx_strdup(key);
	if (!k || fx_grow(&c->items, &c->alloc, c->n + 1, sizeof(*c->items)) < 0) {
		free(k);
		free(v);
		return -1;
	}
	memmove(&c->items[i + 1], &c->items[i], (c->n - i) * sizeof(*c->items));
	c->items[i].key = k;
	c->items[i].value = v;
	c->n++;
	return 0;
}

const char *fx_config_get(const struct fx_config *c, const char *key)
{
	int found;
	size_t i = config_find(c, key, &found);

	return found ? c->items[i].value : NULL;
}

void fx_config_remove(struct fx_config *c, const char *key)
{
	int found;
	size_t i = config_find(c, key, &found);

	if (!found)
		return;
	free(c->items[i].key);
	free(c->items[i].value);
	memmove(&c->items[i], &c->items[i + 1], (c->n - i - 1) * sizeof(*c->items));
	c->n--;
}

int fx_config_copy(struct fx_config *dst, const struct fx_config *src)
{
	size_t i;

	fx_config_init(dst);
	for (i = 0; i < src->n; i++)
		if (fx_config_set(dst, src->items[i].key, src->items[i].value) < 0) {
			fx_config_release(dst);
			return -1;
		}
	return 0;
}

int fx_config_equal(const struct fx_config *a, const struct fx_config *b)
{
	size_t i;

	if (a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->items[i].key, b->items[i].key) ||
		    strcmp(a->items[i].value, b->items[i].value))
			return 0;
	return 1;
}
