#include "cmd_common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render_plan.h"

int fx_cmd_fail(const struct fx_err *err)
{
	fx_errorf("%s", err->msg[0] ? err->msg : "failed");
	return err->code ? err->code : FX_EXIT_FAILURE;
}

int fx_cmd_load_manifest(const struct fx_opts *opts, struct fx_manifest *m)
{
	struct fx_diags diags = FX_DIAGS_INIT;
	struct fx_err err = FX_ERR_INIT;
	const char *path = fx_manifest_default_path(opts->manifest);
	size_t i;

	if (fx_manifest_load(path, m, &diags, &err) < 0) {
		/* the first ones are what to fix; a flood helps nobody (-v shows all) */
		for (i = 0; i < diags.n && (i < 25 || opts->verbose); i++)
			fx_errorf("%s", diags.items[i]);
		if (i < diags.n)
			fx_errorf("%s: %zu more errors not shown (-v shows them all)", path, diags.n - i);
		if (!diags.n || opts->verbose)
			fx_errorf("%s", err.msg);
		fx_diags_release(&diags);
		fx_manifest_release(m);
		return err.code ? err.code : FX_EXIT_MANIFEST;
	}
	fx_diags_release(&diags);
	if (m->world_readable_secret && !opts->quiet)
		fx_warnf("%s: holds a literal password and other users can read it; use ${VAR} or a config provider (${file:...}), or chmod o-r",
			 path);
	return 0;
}

int fx_cmd_github_summary(const struct fx_plan *p, const struct fx_render_opts *o)
{
	const char *path = getenv("GITHUB_STEP_SUMMARY");
	struct fx_render_opts md = *o;
	FILE *f;

	if (!path || !*path)
		return 0;
	f = fopen(path, "a");
	if (!f) {
		fx_warnf("cannot append the plan to $GITHUB_STEP_SUMMARY '%s': %s; the plan is in the log",
			 path, strerror(errno));
		return -1;
	}
	md.color = 0;
	fx_render_plan_markdown(f, p, &md);
	if (fclose(f) != 0) {
		fx_warnf("cannot append the plan to $GITHUB_STEP_SUMMARY '%s': %s; the plan is in the log",
			 path, strerror(errno));
		return -1;
	}
	return 0;
}
