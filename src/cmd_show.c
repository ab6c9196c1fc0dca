/* fluxacdc show FILE: render a saved plan file. */
#include <stdio.h>
#include <string.h>

#include "cmd_common.h"
#include "plan.h"

static int cmd_show_run(const struct fx_cmd *self, int argc, char **argv, struct fx_opts *opts)
{
	struct fx_plan p = FX_PLAN_INIT;
	struct fx_err err = FX_ERR_INIT;
	const char *format;
	int first;

	if (fx_cli_parse(argc, argv, self, NULL, NULL, opts, &first, &err) < 0 ||
	    fx_cli_format(opts, fx_plan_formats, "text", &format, &err) < 0)
		return fx_cmd_fail(&err);
	if (first + 1 != argc) {
		fx_err_set(&err, FX_EXIT_USAGE, "show: needs exactly one plan FILE (see 'fluxacdc show --help')");
		return fx_cmd_fail(&err);
	}
	if (fx_cmd_read_plan(argv[first], &p, &err) < 0)
		return fx_cmd_fail(&err);
	fx_cmd_print_plan(opts, &p, format, argv[first]);
	fx_plan_release(&p);
	return 0;
}

const struct fx_cmd fx_cmd_show = {
	.name = "show",
	.run = cmd_show_run,
	.args = "FILE",
	.summary = "Render a plan file written by plan --out.",
};
