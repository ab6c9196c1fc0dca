/* fluxacdc validate: offline parse and check of the manifest, one-line summary. */
#include <stdio.h>

#include <jansson.h>

#include "cmd_common.h"
#include "desired.h"

static int cmd_validate_run(const struct fx_cmd *self, int argc, char **argv, struct fx_opts *opts)
{
	static const char *const formats[] = { "text", "json", NULL };
	struct fx_manifest m = FX_MANIFEST_INIT;
	struct fx_desired d = FX_DESIRED_INIT;
	struct fx_err err = FX_ERR_INIT;
	const char *format;
	size_t i, captured = 0;
	int first, ret;

	if (fx_cli_parse(argc, argv, self, NULL, NULL, opts, &first, &err) < 0 ||
	    fx_cli_format(opts, formats, "text", &format, &err) < 0)
		return fx_cmd_fail(&err);
	if (first < argc) {
		fx_err_set(&err, FX_EXIT_USAGE, "validate: unexpected argument '%s' (validate takes none; the manifest is -f FILE)", argv[first]);
		return fx_cmd_fail(&err);
	}
	ret = fx_cmd_load_desired(opts, &m, &d);
	if (ret)
		return ret;
	for (i = 0; i < m.n_entities; i++)
		captured += m.entities[i].kafka_pool != NULL;
	if (format[0] == 'j') {
		json_t *o = json_pack("{s:b, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I}", "valid", 1,
				      "manifest", m.path, "sha256", m.sha256, "mysql_pools",
				      (json_int_t)m.n_mysql, "kafka_pools", (json_int_t)m.n_kafka,
				      "entities", (json_int_t)m.n_entities, "captured",
				      (json_int_t)captured, "consumer_groups", (json_int_t)m.n_groups,
				      "connectors", (json_int_t)d.n);

		if (o) {
			json_dumpf(o, stdout, JSON_COMPACT);
			fputc('\n', stdout);
			json_decref(o);
		}
	} else {
		printf("%s: valid: %zu mysql pool%s, %zu kafka pool%s, %zu entit%s (%zu captured), %zu consumer group%s, %zu connector%s\n",
		       m.path, m.n_mysql, m.n_mysql == 1 ? "" : "s", m.n_kafka,
		       m.n_kafka == 1 ? "" : "s", m.n_entities, m.n_entities == 1 ? "y" : "ies",
		       captured, m.n_groups, m.n_groups == 1 ? "" : "s", d.n, d.n == 1 ? "" : "s");
	}
	fx_desired_release(&d);
	fx_manifest_release(&m);
	return fflush(stdout) == 0 ? 0 : FX_EXIT_FAILURE;
}

const struct fx_cmd fx_cmd_validate = {
	.name = "validate",
	.run = cmd_validate_run,
	.args = "",
	.summary = "Parse and check the manifest (offline); print a one-line summary.",
};
