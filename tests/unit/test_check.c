/*
 * check.c: the list of findings that plan prints (SPEC §4 "Checks, each with
 * an id, a level, the pool it concerns, observed and expected values and a
 * hint"), in the order a reader wants them: by pool, errors first, then by id.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

#define E FX_CHECK_ERROR
#define W FX_CHECK_WARNING
#define I FX_CHECK_INFO

static void add(struct fx_checks *c, enum fx_check_level l, const char *id, const char *scope,
		const char *msg)
{
	cr_assert_eq(fx_checks_add(c, l, id, scope, NULL, NULL, NULL, "%s", msg), 0);
}

Test(check, add_keeps_every_field)
{
	struct fx_checks c = FX_CHECKS_INIT;
	char observed[] = "MIXED";

	cr_assert_eq(fx_checks_add(&c, E, "mysql.binlog_format", "mysql:default", observed, "ROW",
				   "SET GLOBAL binlog_format = ROW", "binlog_format is %s, not %s",
				   observed, "ROW"), 0);
	cr_assert_eq(fx_checks_add(&c, W, "mysql.table", "mysql:default", NULL, NULL, NULL,
				   "table '%s' is missing", "T"), 0);
	observed[0] = 'X'; /* copied, not borrowed */
	cr_assert_eq(c.n, 2);
	cr_expect_eq(c.items[0].level, E);
	cr_expect_str_eq(c.items[0].id, "mysql.binlog_format");
	cr_expect_str_eq(c.items[0].scope, "mysql:default");
	cr_expect_str_eq(c.items[0].observed, "MIXED");
	cr_expect_str_eq(c.items[0].expected, "ROW");
	cr_expect_str_eq(c.items[0].hint, "SET GLOBAL binlog_format = ROW");
	cr_expect_str_eq(c.items[0].message, "binlog_format is MIXED, not ROW");
	cr_expect_eq(c.items[1].level, W);
	cr_expect_null(c.items[1].observed);
	cr_expect_null(c.items[1].expected);
	cr_expect_null(c.items[1].hint);
	cr_expect_str_eq(c.items[1].message, "table 'T' is missing");
	fx_checks_release(&c);
	cr_expect_eq(c.n, 0);
	cr_expect_null(c.items);
}

Test(check, move_appends_and_empties_the_source)
{
	static const struct {
		size_t dst, src;
	} cases[] = { { 0, 0 }, { 0, 2 }, { 2, 0 }, { 1, 3 }, { 3, 1 } };
	size_t i, j;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fx_checks dst = FX_CHECKS_INIT, src = FX_CHECKS_INIT;
		char id[32];

		for (j = 0; j < cases[i].dst; j++) {
			snprintf(id, sizeof(id), "d%zu", j);
			add(&dst, I, id, "s", "m");
		}
		for (j = 0; j < cases[i].src; j++) {
			snprintf(id, sizeof(id), "s%zu", j);
			add(&src, W, id, "s", "m");
		}
		cr_assert_eq(fx_checks_move(&dst, &src), 0);
		cr_expect_eq(dst.n, cases[i].dst + cases[i].src, "case %zu: %zu", i, dst.n);
		cr_expect_eq(src.n, 0);
		cr_expect_null(src.items);
		for (j = 0; j < dst.n; j++) {
			snprintf(id, sizeof(id), j < cases[i].dst ? "d%zu" : "s%zu",
				 j < cases[i].dst ? j : j - cases[i].dst);
			cr_expect_str_eq(dst.items[j].id, id, "case %zu item %zu", i, j);
		}
		/* the source can be filled again */
		add(&src, E, "again", "s", "m");
		cr_expect_eq(src.n, 1);
		fx_checks_release(&src);
		fx_checks_release(&dst);
	}
}

Test(check, sorted_by_scope_then_errors_first_then_id_stable)
{
	static const struct {
		enum fx_check_level l;
		const char *id, *scope, *msg;
	} in[] = {
		{ I, "mysql.flavor", "mysql:b", "1" },
		{ W, "mysql.table", "mysql:a", "2" },
		{ E, "mysql.log_bin", "mysql:a", "3" },
		{ E, "mysql.grants", "mysql:a", "4" },
		{ W, "connect.plugin", "connect:k", "5" },
		{ W, "mysql.table", "mysql:a", "6" }, /* same key as "2": stays after it */
		{ I, "mysql.binlog_retention", "mysql:a", "7" },
		{ E, "mysql.server_id", "mysql:b", "8" },
	};
	static const char *const want[] = { "5", "4", "3", "2", "6", "7", "8", "1" };
	struct fx_checks c = FX_CHECKS_INIT;
	size_t i;

	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		add(&c, in[i].l, in[i].id, in[i].scope, in[i].msg);
	fx_checks_sort(&c);
	cr_assert_eq(c.n, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < c.n; i++)
		cr_expect_str_eq(c.items[i].message, want[i], "position %zu: %s %s", i, c.items[i].scope,
				 c.items[i].id);
	fx_checks_release(&c);
}

Test(check, count_and_level_names)
{
	static const enum fx_check_level levels[] = { E, W, W, I, E, E };
	struct fx_checks c = FX_CHECKS_INIT;
	size_t i;

	cr_expect_eq(fx_checks_count(&c, E), 0);
	for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		add(&c, levels[i], "x", "s", "m");
	cr_expect_eq(fx_checks_count(&c, E), 3);
	cr_expect_eq(fx_checks_count(&c, W), 2);
	cr_expect_eq(fx_checks_count(&c, I), 1);
	cr_expect_str_eq(fx_check_level_name(E), "error");
	cr_expect_str_eq(fx_check_level_name(W), "warning");
	cr_expect_str_eq(fx_check_level_name(I), "info");
	fx_checks_release(&c);
}
