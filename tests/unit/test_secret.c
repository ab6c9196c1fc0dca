#include <criterion/criterion.h>

#include "secret.h"

static const struct {
	const char *key;
	int sensitive;
} keys[] = {
	{ "database.password", 1 },
	{ "database.ssl.keystore.password", 1 },
	{ "PASSWORD", 1 },
	{ "oauth.client.secret", 1 },
	{ "api.token", 1 },
	{ "aws.credentials.provider", 1 },
	{ "schema.history.internal.producer.sasl.jaas.config", 1 },
	{ "sasl.jaas.config", 1 },
	{ "database.user", 0 },
	{ "database.hostname", 0 },
	{ "jaas.config.file", 0 },
	{ "tokenizer", 1 },
	{ "topic.prefix", 0 },
	{ "Client.Secret.Name", 1 },
	{ "my.CREDENTIAL", 1 },
	{ "database.passwd", 0 },
	{ "x.jaas.config.y", 0 },
};

Test(secret, sensitive_keys)
{
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		cr_expect_eq(fx_secret_key_is_sensitive(keys[i].key), keys[i].sensitive, "%s",
			     keys[i].key);
}

Test(secret, display_masks_values_but_not_provider_refs)
{
	cr_expect_str_eq(fx_secret_display("database.password", "hunter2"), FX_SECRET_MASK);
	cr_expect_str_eq(fx_secret_display("database.password", "${file:/s.properties:pw}"),
			 "${file:/s.properties:pw}");
	cr_expect_str_eq(fx_secret_display("database.user", "app"), "app");
	/* an absent value stays absent: a diff shows the key as added or removed */
	cr_expect_null(fx_secret_display("database.password", NULL));
	cr_expect_null(fx_secret_display("database.user", NULL));
	cr_expect_str_eq(fx_secret_display("sasl.jaas.config", "org.x required password=\"p\";"),
			 FX_SECRET_MASK);
	/* an interpolation default is not a provider reference: masked */
	cr_expect_str_eq(fx_secret_display("database.password", "${PW:-x}"), FX_SECRET_MASK);
	cr_expect_str_eq(fx_secret_display("database.password", ""), FX_SECRET_MASK);
}
