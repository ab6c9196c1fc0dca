/*
 * The plan as JSON (SPEC §4), for --format json and for plan files; and back.
 * Pure (jansson only).  No secret value is ever written: sensitive diff items
 * carry "sensitive": true and no values, and a change's desired config is
 * never serialized.  fx_plan_to_json gives a new reference (caller decrefs);
 * fx_plan_from_json fills a plan the caller releases.
 */
#ifndef FX_PLAN_JSON_H
#define FX_PLAN_JSON_H

#include <stdio.h>

#include <jansson.h>

#include "plan.h"

#define FX_PLAN_FORMAT_VERSION "1"

/* NULL when an allocation failed anywhere: never a plan missing a member. */
json_t *fx_plan_to_json(const struct fx_plan *p);
/* Writes the plan to out (compact, one line, when pretty is 0). -1 on error. */
int fx_plan_write_json(const struct fx_plan *p, FILE *out, int pretty);
/* Parses a plan file's bytes.  path names the file in errors. */
int fx_plan_from_json(const char *path, const char *data, size_t len, struct fx_plan *out,
		      struct fx_err *err);

#endif
