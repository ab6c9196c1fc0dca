/* fluxacdc show FILE: render a saved plan file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_common.h"
#include "plan_json.h"
#include "render_plan.h"
#include "util/buf.h"

/* Reads a whole file (or stdin for "-") into b. */
static int show_read(const char *path, struct fx_buf *b, struct fx_err *err)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	char chunk[65536];
	size_t n;

	if (!f)
		return fx_err_set(err, FX_EXIT_FAILURE, "cannot read plan file '%s': %s (a plan file is written by 'fluxacdc plan --out FILE')", path,
				  strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		fx_buf_add(b, chunk, n);
	if (ferror(f)) {
		if (f != stdin)
			fclose(f);
		return fx_err_set(err, FX_EXIT_FAILURE, "cannot read plan file '%s'", path);
	}
	if (f != stdin)
		fclose(f);
	return fx_buf_ok(b) ? 0 : fx_err_set(err, FX_EXIT_FAILURE, "out of memory");
}

static int cmd_show_run(const struct fx_cmd *self, int argc, char **argv, struct fx_opts *opts)
{
	static const char *const formats[] = { "text", "json", "markdown", "github", NULL };
	struct fx_plan p = FX_PLAN_INIT;
	struct fx_buf b = FX_BUF_INIT;
	struct fx_err err = FX_ERR_INIT;
	struct fx_render_opts rend = FX_RENDER_OPTS_INIT;
	const char *format;
	int first;

	if (fx_cli_parse(argc, argv, self, NULL, NULL, opts, &first, &err) < 0 ||
	    fx_cli_format(opts, formats, "text", &format, &err) < 0)
		return fx_cmd_fail(&err);
	if (first + 1 != argc) {
		fx_err_set(&err, FX_EXIT_USAGE, "show: needs exactly one plan FILE (see 'fluxacdc show --help')");
		return fx_cmd_fail(&err);
	}
	if (show_read(argv[first], &b, &err) < 0 ||
	    fx_plan_from_json(argv[first], fx_buf_str(&b), b.len, &p, &err) < 0) {
		fx_buf_release(&b);
		return fx_cmd_fail(&err);
	}
	fx_buf_release(&b);
	rend.color = fx_cli_use_color(opts, stdout);
	rend.verbose = opts->verbose;
	rend.max_bytes = 60000;
	rend.plan_file = argv[first];
	if (!strcmp(format, "json"))
		fx_plan_write_json(&p, stdout, 0);
	else if (!strcmp(format, "markdown"))
		fx_render_plan_markdown(stdout, &p, &rend);
	else if (!strcmp(format, "github")) {
		fx_render_plan_github(stdout, &p, &rend);
		fx_cmd_github_summary(&p, &rend);
	} else {
		fx_render_plan_text(stdout, &p, &rend);
	}
	fx_plan_release(&p);
	return 0;
}

const struct fx_cmd fx_cmd_show = {
	"show", cmd_show_run, "FILE", "Render a plan file written by plan --out.", NULL,
};
