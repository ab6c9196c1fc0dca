/*
 * Durations ("10m", "2h", "1h30m", "90s", "500ms", "3d") and RFC 3339 times
 * ("2026-11-24T10:00:00Z", "2026-11-24T10:00:00.250+01:00"), both in
 * milliseconds.  Nothing here allocates; output strings go to caller buffers.
 */
#ifndef FX_UTIL_DURATION_H
#define FX_UTIL_DURATION_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/* A positive duration into *ms.  -1 with err (usage) when not one. */
int fx_duration_parse(const char *s, int64_t *ms, struct fx_err *err);
/* An RFC 3339 date-time with a zone (Z or +hh:mm) into ms since the epoch. */
int fx_time_parse_rfc3339(const char *s, int64_t *ms, struct fx_err *err);
/*
 * --since: a duration before now_ms, or an RFC 3339 time, into ms since the
 * epoch.  -1 with err (usage) when it is neither.
 */
int fx_time_parse_since(const char *s, int64_t now_ms, int64_t *ms, struct fx_err *err);
/* ms since the epoch as "2026-11-24T10:00:00.123Z" (UTC); out holds 32 bytes. */
void fx_time_format_ms(int64_t ms, char out[32]);

#endif
