/* fluxacdc render: the desired connectors as Kafka Connect JSON, secrets masked. */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cmd_common.h"
#include "connect_json.h"
#include "desired.h"
#include "secret.h"
#include "util/buf.h"

enum { RENDER_SHOW_SECRETS = 1, RENDER_CONNECTOR };

static const struct fx_optdef render_optdefs[] = {
	{ .id = RENDER_SHOW_SECRETS, .lname = "show-secrets",
	  .help = "print sensitive values instead of masking them" },
	{ .id = RENDER_CONNECTOR, .lname = "connector", .has_arg = 1, .argname = "NAME",
	  .help = "render only this connector" },
	{ .id = 0 },
};

struct render_args {
	int show_secrets;
	const char *connector;
};

static int render_opt(int id, const char *arg, void *ctx, struct fx_err *err)
{
	struct render_args *a = ctx;

	(void)err;
	if (id == RENDER_SHOW_SECRETS)
		a->show_secrets = 1;
	else if (id == RENDER_CONNECTOR)
		a->connector = arg;
	return 0;
}

static int cmd_render_run(const struct fx_cmd *self, int argc, char **argv, struct fx_opts *opts)
{
	static const char *const formats[] = { "json", "text", NULL };
	struct fx_manifest m = FX_MANIFEST_INIT;
	struct fx_desired d = FX_DESIRED_INIT;
	struct fx_err err = FX_ERR_INIT;
	struct render_args a = { 0, NULL };
	const char *format;
	json_t *arr;
	size_t i, j, shown = 0;
	int first, ret;

	if (fx_cli_parse(argc, argv, self, render_opt, &a, opts, &first, &err) < 0 ||
	    fx_cli_format(opts, formats, "json", &format, &err) < 0)
		return fx_cmd_fail(&err);
	if (first < argc) {
		fx_err_set(&err, FX_EXIT_USAGE, "render: unexpected argument '%s' (render takes none; the manifest is -f FILE, one connector --connector NAME)", argv[first]);
		return fx_cmd_fail(&err);
	}
	ret = fx_cmd_load_desired(opts, &m, &d);
	if (ret)
		return ret;
	arr = json_array();
	for (i = 0; i < d.n; i++) {
		const struct fx_connector *c = &d.connectors[i];

		if (a.connector && strcmp(a.connector, c->name))
			continue;
		shown++;
		if (format[0] == 'j') {
			/* the body apply would POST, secrets masked unless asked for */
			if (json_array_append_new(arr, fx_connect_config_body(&c->config, c->name, 1,
									   !a.show_secrets)) < 0)
				ret = FX_EXIT_FAILURE;
			continue;
		}
		printf("%s# connector %s on kafka pool '%s' (%s), mysql pool '%s'\n", i ? "\n" : "",
		       c->name, c->kafka->code, c->kafka->connect_url ? c->kafka->connect_url : "-",
		       c->mysql->code);
		for (j = 0; j < c->config.n; j++) {
			const char *k = c->config.items[j].key, *v = c->config.items[j].value;

			printf("%s = %s\n", k, a.show_secrets ? v : fx_secret_display(k, v));
		}
	}
	if (ret) {
		fx_errorf("render: cannot encode the connector configs as JSON (out of memory, or a value that is not UTF-8)");
	} else if (format[0] == 'j') {
		json_dumpf(arr, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
	}
	json_decref(arr);
	if (a.connector && !shown) {
		struct fx_buf names = FX_BUF_INIT;

		for (i = 0; i < d.n; i++)
			fx_buf_addf(&names, "%s%s", i ? ", " : "", d.connectors[i].name);
		fx_errorf("render: no connector named '%s' in %s; %s%s", a.connector, m.path,
			  d.n ? "its connectors: " : "it defines none (no entity is captured)",
			  fx_buf_str(&names));
		fx_buf_release(&names);
		ret = FX_EXIT_USAGE;
	}
	fx_desired_release(&d);
	fx_manifest_release(&m);
	if (fflush(stdout) != 0)
		ret = FX_EXIT_FAILURE;
	return ret;
}

const struct fx_cmd fx_cmd_render = {
	.name = "render",
	.run = cmd_render_run,
	.args = "",
	.summary = "Print the desired connector configs as Kafka Connect JSON (offline).",
	.optdefs = render_optdefs,
};
