/*
 * The headers together: every public header of src/ in one translation unit
 * (two headers defining the same struct or macro do not compile), and the
 * defaults each designated *_INIT carries, field by field, so that a
 * reordered struct cannot shift a default into the wrong field.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "apply.h"
#include "check.h"
#include "cli.h"
#include "cmd_common.h"
#include "config.h"
#include "connect.h"
#include "connect_checks.h"
#include "connect_json.h"
#include "debezium.h"
#include "desired.h"
#include "diff.h"
#include "dsn.h"
#include "interp.h"
#include "manifest.h"
#include "mysql_facts.h"
#include "mysql_inspect.h"
#include "net.h"
#include "observed.h"
#include "plan.h"
#include "plan_json.h"
#include "plan_run.h"
#include "render_event.h"
#include "render_plan.h"
#include "secret.h"
#include "tail.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/duration.h"
#include "util/err.h"
#include "util/file.h"
#include "util/str.h"
#include "version.h"

Test(headers, version_is_semver)
{
	unsigned a, b, c;
	char rest;

	cr_assert_eq(sscanf(FX_VERSION, "%u.%u.%u%c", &a, &b, &c, &rest), 3, "FX_VERSION '%s'",
		     FX_VERSION);
}

Test(headers, render_opts_are_distinct)
{
	struct fx_render_plan_opts p = FX_RENDER_PLAN_OPTS_INIT;
	struct fx_render_event_opts e = { .format = FX_EVENT_PRETTY, .color = 1 };

	cr_assert_eq(p.color, 0);
	cr_assert_eq(p.verbose, 0);
	cr_assert_eq(p.max_bytes, 0);
	cr_assert_null(p.plan_file);
	cr_assert_eq(e.format, FX_EVENT_PRETTY);
	cr_assert_eq(e.max_value, 0);
}

Test(headers, nonzero_defaults_land_in_their_fields)
{
	struct fx_opts o = FX_OPTS_INIT;
	struct fx_apply_opts a = FX_APPLY_OPTS_INIT;
	struct fx_plan_run_opts r = FX_PLAN_RUN_OPTS_INIT;
	struct fx_net net = FX_NET_INIT;
	struct fx_mysql_inspect_opts m = FX_MYSQL_INSPECT_OPTS_INIT;

	cr_assert_eq(o.color_mode, FX_COLOR_AUTO);
	cr_assert_eq(o.timeout_s, 10);
	cr_assert_eq(o.verbose + o.quiet + o.help + o.version, 0);
	cr_assert_null(o.manifest);
	cr_assert_null(o.commands);
	cr_assert_eq(a.allow_destroy, 0);
	cr_assert_eq(a.wait_s, 120);
	cr_assert_eq(a.poll_ms, 1000);
	cr_assert_null(a.interrupt);
	cr_assert_null(r.net);
	cr_assert_eq(r.skip_db_checks, 0);
	cr_assert_eq(r.server_validate, 1);
	cr_assert_null(r.salt);
	cr_assert_eq(net.timeout_s, 10);
	cr_assert_eq(net.retry_budget_ms, 60000);
	cr_assert_null(net.interrupt);
	cr_assert_null(net.log);
	cr_assert_null(m.net);
	cr_assert_eq(m.max_parallel, 0);
}

Test(headers, empty_inits_are_empty)
{
	struct fx_err err = FX_ERR_INIT;
	struct fx_buf b = FX_BUF_INIT;
	struct fx_plan p = FX_PLAN_INIT;
	struct fx_manifest man = FX_MANIFEST_INIT;
	struct fx_dsn d = FX_DSN_INIT;
	struct fx_mysql_facts f = FX_MYSQL_FACTS_INIT;
	struct fx_tail_stats t = FX_TAIL_STATS_INIT;
	struct fx_apply_results res = FX_APPLY_RESULTS_INIT;

	cr_assert_eq(err.code, 0);
	cr_assert_str_empty(err.msg);
	cr_assert(!b.buf && !b.len && !b.alloc && !b.oom);
	cr_assert(!p.manifest_path && !p.n_changes && !p.checks.n && !p.changes);
	cr_assert(!man.path && !man.n_mysql && !man.n_entities);
	cr_assert(!d.user && !d.host && d.port == 0 && !d.params);
	cr_assert(!f.reachable && !f.error && !f.n_grants);
	cr_assert(!t.consumed && !t.interrupted);
	cr_assert(!res.items && !res.n && !res.interrupted);
}

/* Every command descriptor names itself and runs something. */
extern const struct fx_cmd fx_cmd_apply, fx_cmd_plan, fx_cmd_status, fx_cmd_tail;

Test(headers, command_rows_are_named)
{
	const struct fx_cmd *cmds[] = { &fx_cmd_apply, &fx_cmd_plan, &fx_cmd_status, &fx_cmd_tail };

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		cr_assert_not_null(cmds[i]->name);
		cr_assert_not_null(cmds[i]->run, "%s", cmds[i]->name);
		cr_assert_not_null(cmds[i]->optdefs, "%s", cmds[i]->name);
		cr_assert_not_null(cmds[i]->optdefs[0].lname, "%s", cmds[i]->name);
	}
	cr_assert_str_eq(fx_cmd_apply.name, "apply");
	cr_assert_str_eq(fx_cmd_apply.args, "[FILE]");
}
