/* fluxacdc topics: each captured entity with its topic (FluxaORM DebeziumTopicName). */
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "cmd_common.h"

static int cmd_topics_run(const struct fx_cmd *self, int argc, char **argv, struct fx_opts *opts)
{
	static const char *const formats[] = { "text", "json", NULL };
	struct fx_manifest m = FX_MANIFEST_INIT;
	struct fx_err err = FX_ERR_INIT;
	const char *format;
	json_t *arr = NULL;
	size_t i;
	int first, ret;

	if (fx_cli_parse(argc, argv, self, NULL, NULL, opts, &first, &err) < 0 ||
	    fx_cli_format(opts, formats, "text", &format, &err) < 0)
		return fx_cmd_fail(&err);
	if (first < argc) {
		fx_err_set(&err, FX_EXIT_USAGE, "topics: unexpected argument '%s' (topics takes none; the manifest is -f FILE)", argv[first]);
		return fx_cmd_fail(&err);
	}
	ret = fx_cmd_load_manifest(opts, &m);
	if (ret)
		return ret;
	if (format[0] == 'j')
		arr = json_array();
	for (i = 0; i < m.n_entities; i++) {
		const struct fx_entity *e = &m.entities[i];
		char *topic;

		if (!e->kafka_pool)
			continue;
		topic = fx_manifest_topic(&m, e);
		if (!topic) {
			ret = FX_EXIT_FAILURE;
			break;
		}
		if (arr)
			json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:s}", "entity",
							     e->name, "topic", topic, "kafka_pool",
							     e->kafka_pool, "mysql_pool", e->mysql_pool,
							     "table", e->table));
		else
			printf("%s\t%s\n", e->name, topic);
		free(topic);
	}
	if (arr) {
		json_dumpf(arr, stdout, JSON_COMPACT);
		fputc('\n', stdout);
		json_decref(arr);
	}
	fx_manifest_release(&m);
	if (fflush(stdout) != 0)
		ret = FX_EXIT_FAILURE;
	return ret;
}

const struct fx_cmd fx_cmd_topics = {
	.name = "topics",
	.run = cmd_topics_run,
	.args = "",
	.summary = "List each captured entity with its topic (offline).",
};
