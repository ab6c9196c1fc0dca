/* util/str: edit distance and the did-you-mean pick. */
#include <criterion/criterion.h>

#include "util/str.h"

struct dist_case {
	const char *a, *b;
	size_t max, want;
};

Test(str, distance_table)
{
	static const struct dist_case cases[] = {
		{ .a = "plan", .b = "plan", .max = 2, .want = 0 },
		{ .a = "plna", .b = "plan", .max = 2, .want = 1 },   /* adjacent swap: one edit */
		{ .a = "aplpy", .b = "apply", .max = 2, .want = 1 },
		{ .a = "PLAN", .b = "plan", .max = 2, .want = 0 },   /* case-insensitive */
		{ .a = "debezum", .b = "debezium", .max = 2, .want = 1 },
		{ .a = "stauts", .b = "status", .max = 2, .want = 1 },
		{ .a = "ab", .b = "ba", .max = 2, .want = 1 },
		{ .a = "abc", .b = "ca", .max = 3, .want = 3 },      /* OSA, not full Damerau */
		{ .a = "kitten", .b = "sitting", .max = 5, .want = 3 },
		{ .a = "x", .b = "xyzw", .max = 1, .want = 2 },      /* capped at max+1 */
		{ .a = "", .b = "", .max = 1, .want = 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_expect_eq(fx_str_distance(cases[i].a, cases[i].b, cases[i].max), cases[i].want,
			     "distance('%s', '%s') = %zu, want %zu", cases[i].a, cases[i].b,
			     fx_str_distance(cases[i].a, cases[i].b, cases[i].max), cases[i].want);
}

Test(str, suggest_picks_closest_command)
{
	static const char *const names[] = { "validate", "topics", "render", "plan", "show",
					     "status", "apply", "tail", "version" };
	static const struct {
		const char *word, *want;
	} cases[] = {
		{ "plna", "plan" }, { "aply", "apply" }, { "stauts", "status" },
		{ "tial", "tail" }, { "frobnicate", NULL }, { "xyz", NULL },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = fx_str_suggest(cases[i].word, names, sizeof(names) / sizeof(names[0]));

		if (cases[i].want)
			cr_expect(got && !strcmp(got, cases[i].want), "suggest('%s') = %s, want %s",
				  cases[i].word, got ? got : "NULL", cases[i].want);
		else
			cr_expect_null(got, "suggest('%s') = %s, want none", cases[i].word, got);
	}
}
