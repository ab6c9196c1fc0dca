/*
 * `fluxacdc status` for people (text) and for scripts (one JSON line), from
 * the rows status.c built.  Pure: writes to the FILE * it is given; lends
 * from the status.  Traces are cut to their first lines and redacted with
 * the secrets of the live config.
 */
#ifndef FX_RENDER_STATUS_H
#define FX_RENDER_STATUS_H

#include <stdio.h>

#include <jansson.h>

#include "status.h"

/* A block per cluster (a line per connector, its trace head, position, tasks),
 * then the totals line. */
void fx_render_status_text(FILE *out, const struct fx_status *s, int color);
/* The status document (format_version 1); new reference, NULL on OOM. */
json_t *fx_render_status_json_new(const struct fx_status *s);
/* The same as one compact line on out; -1 on OOM or a failed write. */
int fx_render_status_json(FILE *out, const struct fx_status *s);

#endif
