/*
 * Plans for people: text (Terraform-style) and markdown (a pull-request
 * comment).  Pure: writes to the FILE * it is given; lends from the plan.
 */
#ifndef FX_RENDER_PLAN_H
#define FX_RENDER_PLAN_H

#include <stdio.h>

#include "plan.h"

struct fx_render_plan_opts {
	int color;
	int verbose;          /* text: show unchanged keys of updates too */
	size_t max_bytes;     /* markdown: truncate past this (0: no limit) */
	const char *plan_file; /* markdown: where the full plan is, for the truncation note */
};

#define FX_RENDER_PLAN_OPTS_INIT { .color = 0, .verbose = 0, .max_bytes = 0, .plan_file = NULL }

void fx_render_plan_text(FILE *out, const struct fx_plan *p, const struct fx_render_plan_opts *o);
void fx_render_plan_markdown(FILE *out, const struct fx_plan *p, const struct fx_render_plan_opts *o);
/*
 * GitHub Actions: workflow commands (::error, ::warning with the manifest as
 * file) for check errors and warnings, deletes and resnapshot risks, a
 * ::notice with the summary, then the text plan between ::stop-commands::
 * markers so that no value in it is taken for a command.
 */
void fx_render_plan_github(FILE *out, const struct fx_plan *p, const struct fx_render_plan_opts *o);
/* The one-line summary: "Plan: 1 to create, ...". */
void fx_render_plan_summary(FILE *out, const struct fx_plan *p, const struct fx_render_plan_opts *o);

#endif
