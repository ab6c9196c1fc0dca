/*
 * struct fx_config: a connector config, string keys to string values, kept
 * sorted by key (Kafka Connect configs are maps of strings).  The config owns
 * its keys and values; fx_config_get lends.
 */
#ifndef FX_CONFIG_H
#define FX_CONFIG_H

#include <stddef.h>

struct fx_config_item {
	char *key;
	char *value;
};

struct fx_config {
	struct fx_config_item *items;
	size_t n;
	size_t alloc;
};

#define FX_CONFIG_INIT { .items = NULL, .n = 0, .alloc = 0 }

void fx_config_init(struct fx_config *c);
void fx_config_release(struct fx_config *c);
/* Sets key to value (copies both); -1 on OOM. */
int fx_config_set(struct fx_config *c, const char *key, const char *value);
const char *fx_config_get(const struct fx_config *c, const char *key);
void fx_config_remove(struct fx_config *c, const char *key);
int fx_config_copy(struct fx_config *dst, const struct fx_config *src);
int fx_config_equal(const struct fx_config *a, const struct fx_config *b);

#endif
