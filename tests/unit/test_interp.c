#include <criterion/criterion.h>
#include <string.h>

#include "interp.h"

static const char *fake_env(const char *name, void *ctx)
{
	(void)ctx;
	if (!strcmp(name, "PW"))
		return "s3cret";
	if (!strcmp(name, "EMPTY"))
		return "";
	if (!strcmp(name, "HOST"))
		return "db";
	return NULL;
}

static const struct {
	const char *in, *out;
} good[] = {
	{ "plain", "plain" },
	{ "${PW}", "s3cret" },
	{ "a${HOST}b", "adbb" },
	{ "${UNSET:-fallback}", "fallback" },
	{ "${EMPTY:-fallback}", "fallback" },
	{ "${PW:-fallback}", "s3cret" },
	{ "${UNSET:-}", "" },
	{ "$$", "$" },
	{ "$${PW}", "${PW}" },
	{ "cost $5", "cost $5" },
	{ "${file:/secrets/db.properties:password}", "${file:/secrets/db.properties:password}" },
	{ "${vault:secret/db:pw} and ${PW}", "${vault:secret/db:pw} and s3cret" },
	{ "${UNSET:-${HOST}}", "db" },
	{ "${PW:?must be set}", "s3cret" },
	{ "trailing $", "trailing $" },
};

Test(interp, expands)
{
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct fx_err err = FX_ERR_INIT;
		char *out = NULL;

		cr_assert_eq(fx_interp_expand(good[i].in, fake_env, NULL, &out, &err), 0, "%s: %s",
			     good[i].in, err.msg);
		cr_expect_str_eq(out, good[i].out, "%s", good[i].in);
		free(out);
	}
}

static const struct {
	const char *in, *msg;
} bad[] = {
	{ "${UNSET}", "environment variable 'UNSET' is not set" },
	{ "x${UNSET}y", "'UNSET' is not set" },
	{ "${UNSET:?give the password}", "'UNSET' is not set: give the password" },
	{ "${EMPTY:?needed}", "'EMPTY' is empty: needed" },
	{ "${PW", "unterminated" },
};

Test(interp, errors_name_the_variable_never_a_value)
{
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct fx_err err = FX_ERR_INIT;
		char *out = NULL;

		cr_assert_eq(fx_interp_expand(bad[i].in, fake_env, NULL, &out, &err), -1, "%s",
			     bad[i].in);
		cr_expect(strstr(err.msg, bad[i].msg), "%s: got '%s'", bad[i].in, err.msg);
		cr_expect_null(strstr(err.msg, "s3cret"));
		cr_expect_null(out);
	}
}

Test(interp, provider_refs)
{
	cr_expect(fx_interp_is_provider_ref("${file:/a:b}"));
	cr_expect(fx_interp_is_provider_ref("${vault:secret/x:y}"));
	cr_expect_not(fx_interp_is_provider_ref("${PW}"));
	cr_expect_not(fx_interp_is_provider_ref("${PW:-x}"));
	cr_expect_not(fx_interp_is_provider_ref("plain"));
	cr_expect_not(fx_interp_is_provider_ref("${file:unterminated"));
}
