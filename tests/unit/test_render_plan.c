/* render_plan: the observed/expected line of a check says only what is known. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render_plan.h"

static char *render(const struct fx_plan *p, int github)
{
	struct fx_render_plan_opts ro = FX_RENDER_PLAN_OPTS_INIT;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	cr_assert_not_null(f);
	if (github)
		fx_render_plan_github(f, p, &ro);
	else
		fx_render_plan_text(f, p, &ro);
	fclose(f);
	return text;
}

Test(render_plan, observed_expected_line)
{
	static const struct {
		const char *observed, *expected, *want_text, *want_gh;
	} cases[] = {
		{ "MIXED", "ROW", "observed MIXED, expected ROW", "%0Aobserved MIXED, expected ROW" },
		{ "sometimes", NULL, "observed sometimes\n", "%0Aobserved sometimes%0Ahint" },
		{ NULL, "ROW", "expected ROW\n", "%0Aexpected ROW%0Ahint" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fx_plan p = FX_PLAN_INIT;
		char *text, *gh;

		p.manifest_path = strdup("t.yaml");
		cr_assert_eq(fx_checks_add(&p.checks, FX_CHECK_ERROR, "connect.validate", "connect:k",
					   cases[i].observed, cases[i].expected, "fix it", "bad"), 0);
		text = render(&p, 0);
		gh = render(&p, 1);
		cr_expect(strstr(text, cases[i].want_text), "case %zu: '%s' not in %s", i, cases[i].want_text, text);
		cr_expect_null(strstr(text, " -\n"), "case %zu: a '-' placeholder in %s", i, text);
		cr_expect_null(strstr(text, "expected -"), "case %zu: %s", i, text);
		cr_expect(strstr(gh, cases[i].want_gh), "case %zu: '%s' not in %s", i, cases[i].want_gh, gh);
		cr_expect_null(strstr(gh, "expected -"), "case %zu: %s", i, gh);
		free(text);
		free(gh);
		fx_plan_release(&p);
	}
}
