/*
 * Connector configs compared by meaning (SPEC §4), pure: no I/O.
 *
 * Two configs are equal by meaning when they would make Debezium and Connect
 * do the same thing:
 *  - include/exclude lists are sets: order, spaces and duplicates do not
 *    count, and a literal name written `db.table` or `db\.table` is one name;
 *  - a key absent on one side equals the default that Debezium or Connect
 *    documents for it (a small table, see normalize.c for the sources);
 *  - keys Connect adds itself (`name`, Confluent Platform's `__internal.*`)
 *    are not config at all;
 *  - a value read back masked (`[hidden]`, `****`) is unknown: never a change;
 *  - booleans compare without case, integers by value.
 *
 * Every function lends nothing and keeps no state; returned strings belong to
 * the caller.
 */
#ifndef FX_NORMALIZE_H
#define FX_NORMALIZE_H

#include "config.h"

/* Keys that are not the connector's config: "name", "__internal.*". */
int fx_normalize_ignored_key(const char *key);
/* A value Connect or a platform read back masked ("[hidden]", "****"). */
int fx_normalize_masked(const char *value);
/* The documented default of key, or NULL when fluxacdc knows none. */
const char *fx_normalize_default(const char *key);
/* Keys whose value is a comma-separated list of regular expressions. */
int fx_normalize_is_list_key(const char *key);
/*
 * 1 when a desired value and an observed one (either NULL: absent) mean the
 * same for key, 0 when not; a masked observed value is always 1 (unknown, not
 * a change).  -1 when out of memory.
 */
int fx_normalize_equal(const char *key, const char *desired, const char *observed);
/*
 * The canonical form of key's value for fingerprints (caller frees): lists
 * sorted as literal names, booleans lower case, integers without leading
 * zeros, masked values a fixed marker.  *skip is set (and NULL returned) for a
 * key to leave out: ignored, or equal to its documented default.  NULL with
 * *skip == 0 is out of memory.
 */
char *fx_normalize_canon(const char *key, const char *value, int *skip);
/*
 * The items of list after that list before lacks, by meaning, comma-joined
 * and unescaped (`db.table`) into *added; *added NULL when none.  -1 on OOM.
 */
int fx_normalize_list_added(const char *before, const char *after, char **added);

#endif
