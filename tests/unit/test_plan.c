/* plan: the apply command a plan file is handed back with. */
#include <criterion/criterion.h>
#include <string.h>

#include "plan.h"

Test(plan, apply_command_names_the_flags_the_guards_want)
{
	static const struct {
		enum fx_action actions[3];
		enum fx_risk risks[3];
		int mid[3];
		size_t n;
		const char *path, *want;
	} cases[] = {
		{ .n = 0, .path = "p.json", .want = "fluxacdc apply p.json" },
		{ .actions = { FX_ACTION_CREATE, FX_ACTION_UPDATE }, .n = 2, .path = "p.json",
		  .want = "fluxacdc apply p.json" },
		{ .actions = { FX_ACTION_DELETE }, .n = 1, .path = "p.json",
		  .want = "fluxacdc apply --allow-destroy p.json" },
		{ .actions = { FX_ACTION_UPDATE, FX_ACTION_DELETE, FX_ACTION_CREATE }, .n = 3,
		  .path = "out/plan-1.json", .want = "fluxacdc apply --allow-destroy out/plan-1.json" },
		{ .n = 0, .path = "my plan.json", .want = "fluxacdc apply 'my plan.json'" },
		{ .actions = { FX_ACTION_UPDATE }, .risks = { FX_RISK_RESNAPSHOT }, .n = 1,
		  .path = "p.json", .want = "fluxacdc apply --allow-resnapshot p.json" },
		{ .actions = { FX_ACTION_UPDATE, FX_ACTION_DELETE }, .risks = { FX_RISK_BREAKING }, .n = 2,
		  .path = "p.json", .want = "fluxacdc apply --allow-destroy --allow-resnapshot p.json" },
		{ .actions = { FX_ACTION_UPDATE }, .risks = { FX_RISK_RESTART }, .mid = { 1 }, .n = 1,
		  .path = "p.json", .want = "fluxacdc apply --allow-resnapshot p.json" },
		{ .actions = { FX_ACTION_UPDATE }, .risks = { FX_RISK_RESTART }, .n = 1,
		  .path = "p.json", .want = "fluxacdc apply p.json" },
	};
	size_t i, j;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fx_change ch[3];
		struct fx_plan p = FX_PLAN_INIT;
		char got[256];

		memset(ch, 0, sizeof(ch));
		for (j = 0; j < cases[i].n; j++) {
			ch[j].action = cases[i].actions[j];
			ch[j].risk = cases[i].risks[j];
			ch[j].mid_snapshot = cases[i].mid[j];
		}
		p.changes = ch;
		p.n_changes = cases[i].n;
		fx_plan_apply_command(&p, cases[i].path, got, sizeof(got));
		cr_expect_str_eq(got, cases[i].want, "case %zu", i);
	}
}
