/* libFuzzer target: every parser of Kafka Connect answers (connect_json.c),
 * and redaction of whatever message Connect might send. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "connect_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *json = (const char *)data;
	struct fx_observed_cluster c;
	struct fx_observed_connector oc;
	struct fx_config cfg = FX_CONFIG_INIT, secrets = FX_CONFIG_INIT;
	struct fx_connect_validation v = FX_CONNECT_VALIDATION_INIT;
	struct fx_err err = FX_ERR_INIT;
	char *msg = NULL, *s, *red;
	long code;

	memset(&c, 0, sizeof(c));
	memset(&oc, 0, sizeof(oc));
	(void)fx_connect_parse_root(json, size, &c, &err);
	(void)fx_connect_parse_plugins(json, size, &c, &err);
	(void)fx_connect_parse_expanded(json, size, &c, &err);
	(void)fx_connect_parse_status(json, size, &oc, &err);
	(void)fx_connect_parse_config(json, size, &cfg, &err);
	(void)fx_connect_parse_validate(json, size, &v, &err);
	if (fx_connect_parse_error(json, size, &code, &msg, &err) == 0) {
		(void)fx_connect_classify(code, msg);
		free(msg);
	}
	s = malloc(size + 1);
	if (s) {
		memcpy(s, data, size);
		s[size] = '\0';
		fx_config_set(&secrets, "database.password", "FIXTURE-SECRET-not-real");
		red = fx_connect_redact(s, &secrets);
		if (red && strstr(red, "FIXTURE-SECRET-not-real"))
			abort(); /* a known secret survived redaction */
		free(red);
		red = fx_connect_trace_head(s, 5, &secrets);
		free(red);
		(void)fx_connect_classify(409, s);
		free(s);
	}
	fx_config_release(&secrets);
	fx_observed_cluster_release(&c);
	fx_observed_connector_release(&oc);
	fx_config_release(&cfg);
	fx_connect_validation_release(&v);
	return 0;
}
