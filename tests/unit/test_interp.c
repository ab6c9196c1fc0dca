#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
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
	{ "$", "$" },
	{ "$x", "$x" },
	{ "${HOST}$", "db$" },
	{ "a$$b$$", "a$b$" },
	{ "${HOST}${PW}", "dbs3cret" },
	{ "${EMPTY}", "" },
	{ "${_U_1:-u}", "u" },
	{ "${UNSET:-a}b", "ab" },
	{ "${UNSET:-$$}", "$" },
	{ "${UNSET:-}}", "}" },
	{ "${UNSET:-${UNSET2:-deep}}", "deep" },
	{ "${UNSET:-${HOST}-${PW}}!", "db-s3cret!" },
	/* not a variable name, or not :- / :? after it: someone else's, kept as written */
	{ "${1BAD}", "${1BAD}" },
	{ "${}", "${}" },
	{ "${HOST:x}", "${HOST:x}" },
	{ "${HOST-x}", "${HOST-x}" },
	/* only ${ opens a nested reference: a plain { in a default is text */
	{ "${UNSET:-a{b}", "a{b" },
	{ "${UNSET:-{}}", "{}" },
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
	{ "${", "unterminated" },
	{ "a${UNSET:-${PW}", "unterminated" },
	{ "${UNSET:?}", "'UNSET' is not set; export it" },
	{ "${EMPTY:?}", "'EMPTY' is empty" },
	{ "${UNSET:-${UNSET2}}", "'UNSET2' is not set" },
	{ "${HOST}${UNSET}", "'UNSET' is not set" },
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
		cr_expect_eq(err.code, 65, "%s: a manifest error", bad[i].in);
		cr_expect_null(out);
	}
}

/* Defaults nest up to 8 deep; deeper is an error, not a recursion without end. */
Test(interp, nesting_bound)
{
	static const struct {
		int levels;
		int ok;
	} cases[] = { { 1, 1 }, { 8, 1 }, { 9, 0 }, { 40, 0 } };
	size_t i;
	int k;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char in[512] = "";
		struct fx_err err = FX_ERR_INIT;
		char *out = NULL;

		for (k = 0; k < cases[i].levels; k++)
			strcat(in, "${UNSET:-");
		strcat(in, "x");
		for (k = 0; k < cases[i].levels; k++)
			strcat(in, "}");
		if (cases[i].ok) {
			cr_expect_eq(fx_interp_expand(in, fake_env, NULL, &out, &err), 0, "%d: %s",
				     cases[i].levels, err.msg);
			cr_expect_str_eq(out ? out : "", "x");
		} else {
			cr_expect_eq(fx_interp_expand(in, fake_env, NULL, &out, &err), -1, "%d",
				     cases[i].levels);
			cr_expect(strstr(err.msg, "nested too deeply"), "%s", err.msg);
		}
		free(out);
	}
}

/* A variable name up to 255 characters is looked up; a longer one is not ours. */
Test(interp, long_names)
{
	char name[300], in[320];
	struct fx_err err = FX_ERR_INIT;
	char *out = NULL;

	memset(name, 'V', 255);
	name[255] = '\0';
	snprintf(in, sizeof(in), "${%s}", name);
	cr_expect_eq(fx_interp_expand(in, fake_env, NULL, &out, &err), -1);
	cr_expect(strstr(err.msg, "is not set"), "%s", err.msg);
	memset(name, 'V', 256);
	name[256] = '\0';
	snprintf(in, sizeof(in), "${%s}", name);
	cr_expect_eq(fx_interp_expand(in, fake_env, NULL, &out, &err), 0);
	cr_expect_str_eq(out ? out : "", in);
	free(out);
}

Test(interp, provider_refs)
{
	cr_expect(fx_interp_is_provider_ref("${file:}"));
	cr_expect(fx_interp_is_provider_ref("${env:PW}"));
	cr_expect_not(fx_interp_is_provider_ref(NULL));
	cr_expect_not(fx_interp_is_provider_ref("$"));
	cr_expect_not(fx_interp_is_provider_ref("$file:a}"));
	cr_expect_not(fx_interp_is_provider_ref("${:x}"));
	cr_expect_not(fx_interp_is_provider_ref("${x-y:z}"));
	cr_expect_not(fx_interp_is_provider_ref("${PW:?x}"));
	cr_expect_not(fx_interp_is_provider_ref("x${file:a:b}"));
	cr_expect(fx_interp_is_provider_ref("${file:/a:b}"));
	cr_expect(fx_interp_is_provider_ref("${vault:secret/x:y}"));
	cr_expect_not(fx_interp_is_provider_ref("${PW}"));
	cr_expect_not(fx_interp_is_provider_ref("${PW:-x}"));
	cr_expect_not(fx_interp_is_provider_ref("plain"));
	cr_expect_not(fx_interp_is_provider_ref("${file:unterminated"));
}
