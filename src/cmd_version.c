/* fluxacdc version: our version and the linked libraries'. */
#include <stdio.h>

#include <curl/curl.h>
#include <jansson.h>
#include <librdkafka/rdkafka.h>
#include <mysql.h>
#include <openssl/crypto.h>
#include <yaml.h>

#include "cmd_common.h"
#include "version.h"

static int cmd_version_run(const struct fx_cmd *self, int argc, char **argv, struct fx_opts *opts)
{
	struct fx_err err = FX_ERR_INIT;
	int first;

	if (argc > 0 && self && fx_cli_parse(argc, argv, self, NULL, NULL, opts, &first, &err) < 0)
		return fx_cmd_fail(&err);
	printf("fluxacdc %s\n", FX_VERSION);
	if (opts->quiet)
		return 0;
	printf("libcurl %s\n", curl_version_info(CURLVERSION_NOW)->version);
	printf("jansson %s\n", jansson_version_str());
	printf("libyaml %s\n", yaml_get_version_string());
	printf("librdkafka %s\n", rd_kafka_version_str());
	printf("libmariadb %s\n", mysql_get_client_info());
	printf("%s\n", OpenSSL_version(OPENSSL_VERSION));
	return fflush(stdout) == 0 ? 0 : FX_EXIT_FAILURE;
}

const struct fx_cmd fx_cmd_version = {
	.name = "version",
	.run = cmd_version_run,
	.args = "",
	.summary = "Print the version of fluxacdc and of its libraries.",
};
