#include "cmd_common.h"
#include "util/file.h"
#include "desired.h"
#include "plan.h"
#include "plan_json.h"

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

int fx_cmd_github_summary(const struct fx_plan *p, const struct fx_render_plan_opts *o)
{
	const char *path = getenv("GITHUB_STEP_SUMMARY");
	struct fx_render_plan_opts md = *o;
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

const char *const fx_plan_formats[] = { "text", "json", "markdown", "github", NULL };

void fx_cmd_print_plan(const struct fx_opts *opts, const struct fx_plan *p, const char *format,
		       const char *plan_file)
{
	struct fx_render_plan_opts rend = FX_RENDER_PLAN_OPTS_INIT;

	rend.color = fx_cli_use_color(opts, stdout);
	rend.verbose = opts->verbose;
	rend.max_bytes = 60000;
	rend.plan_file = plan_file;
	if (!strcmp(format, "json")) {
		fx_plan_write_json(p, stdout, 0);
	} else if (!strcmp(format, "markdown")) {
		fx_render_plan_markdown(stdout, p, &rend);
	} else if (!strcmp(format, "github")) {
		fx_render_plan_github(stdout, p, &rend);
		fx_cmd_github_summary(p, &rend);
	} else {
		fx_render_plan_text(stdout, p, &rend);
	}
}

int fx_cmd_read_plan(const char *path, struct fx_plan *p, struct fx_err *err)
{
	struct fx_buf b = FX_BUF_INIT;
	int r;

	/* a plan of thousands of connectors is a few MiB; 256 MiB is not a plan */
	if (fx_file_read(path, 256u << 20, &b, err) < 0) {
		fx_buf_release(&b);
		size_t n = strlen(err->msg);

		snprintf(err->msg + n, sizeof(err->msg) - n,
			 " (a plan file is written by 'fluxacdc plan --out FILE')");
		return -1;
	}
	r = fx_plan_from_json(path, fx_buf_str(&b), b.len, p, err);
	fx_buf_release(&b);
	return r;
}

int fx_cmd_load_desired(const struct fx_opts *opts, struct fx_manifest *m, struct fx_desired *d)
{
	struct fx_err err = FX_ERR_INIT;
	int ret = fx_cmd_load_manifest(opts, m);

	if (ret)
		return ret;
	if (fx_desired_build(m, NULL, d, &err) < 0) {
		fx_manifest_release(m);
		return fx_cmd_fail(&err);
	}
	return 0;
}

void fx_cmd_net(const struct fx_opts *opts, struct fx_net *net)
{
	*net = (struct fx_net)FX_NET_INIT;
	net->timeout_s = opts->timeout_s;
	net->interrupt = &fx_interrupted;
	net->log = fx_cli_log;
	net->log_ctx = (void *)opts;
}
