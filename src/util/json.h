/* Writing a jansson value out: one helper, so every JSON output ends the same way. */
#ifndef FX_UTIL_JSON_H
#define FX_UTIL_JSON_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

/*
 * Writes j to out with jansson's flags, then a newline; takes j (decref'd,
 * NULL allowed: the build ran out of memory).  -1 when j is NULL or a write
 * failed, else 0.
 */
int fx_json_write(FILE *out, json_t *j, size_t flags);

#endif
