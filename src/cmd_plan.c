/* fluxacdc plan: inspect databases and Connect clusters, print checks and alters. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd_common.h"
#include "plan_json.h"
#include "plan_run.h"
#include "render_plan.h"

enum { PLAN_DETAILED = 1, PLAN_OUT, PLAN_SKIP_DB, PLAN_NO_VALIDATE };

static const struct fx_optdef plan_optdefs[] = {
	{ .id = PLAN_DETAILED, .lname = "detailed-exitcode",
	  .help = "exit 2 when there are changes (0: none, 1: errors)" },
	{ .id = PLAN_OUT, .lname = "out", .sname = 'o', .has_arg = 1, .argname = "FILE",
	  .help = "also write the plan file (JSON, no secrets) for apply FILE" },
	{ .id = PLAN_SKIP_DB, .lname = "skip-db-checks",
	  .help = "do not connect to the databases (CI without database access)" },
	{ .id = PLAN_NO_VALIDATE, .lname = "no-server-validate",
	  .help = "skip Connect's config validation of creates and updates" },
	{ .id = 0 },
};

struct plan_args {
	int detailed;
	const char *out;
	int skip_db;
	int no_validate;
};

static int plan_opt(int id, const char *arg, void *ctx, struct fx_err *err)
{
	struct plan_args *a = ctx;

	(void)err;
	switch (id) {
	case PLAN_DETAILED:
		a->detailed = 1;
		break;
	case PLAN_OUT:
		a->out = arg;
		break;
	case PLAN_SKIP_DB:
		a->skip_db = 1;
		break;
	default:
		a->no_validate = 1;
	}
	return 0;
}

/* Writes the plan file next to its final name, then renames: never half a file. */
static int plan_write_file(const struct fx_plan *p, const char *path, struct fx_err *err)
{
	char tmp[4096];
	FILE *f;
	int fd;

	snprintf(tmp, sizeof(tmp), "%s.tmpXXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0)
		return fx_err_set(err, FX_EXIT_FAILURE, "cannot write plan file '%s': %s; check that its directory exists and is writable", path,
				  strerror(errno));
	fchmod(fd, 0600);
	f = fdopen(fd, "w");
	if (!f || fx_plan_write_json(p, f, 1) < 0 || fflush(f) != 0 || fsync(fd) != 0) {
		int e = errno;

		if (f)
			fclose(f);
		else
			close(fd);
		unlink(tmp);
		return fx_err_set(err, FX_EXIT_FAILURE, "cannot write plan file '%s': %s; check that its directory exists and is writable", path, strerror(e));
	}
	fclose(f);
	if (rename(tmp, path) < 0) {
		int e = errno;

		unlink(tmp);
		return fx_err_set(err, FX_EXIT_FAILURE, "cannot write plan file '%s': %s; check that its directory exists and is writable", path, strerror(e));
	}
	return 0;
}

static int cmd_plan_run(const struct fx_cmd *self, int argc, char **argv, struct fx_opts *opts)
{
	struct fx_manifest m = FX_MANIFEST_INIT;
	struct fx_plan p = FX_PLAN_INIT;
	struct fx_connect_clients clients = FX_CONNECT_CLIENTS_INIT;
	struct fx_plan_run_opts ro = FX_PLAN_RUN_OPTS_INIT;
	struct fx_net net;
	struct fx_err err = FX_ERR_INIT;
	struct plan_args a = { 0, NULL, 0, 0 };
	const char *format;
	int first, ret;

	if (fx_cli_parse(argc, argv, self, plan_opt, &a, opts, &first, &err) < 0 ||
	    fx_cli_format(opts, fx_plan_formats, "text", &format, &err) < 0)
		return fx_cmd_fail(&err);
	if (first < argc) {
		fx_err_set(&err, FX_EXIT_USAGE, "plan: unexpected argument '%s' (plan takes none; the manifest is -f FILE, the plan file --out FILE)", argv[first]);
		return fx_cmd_fail(&err);
	}
	ret = fx_cmd_load_manifest(opts, &m);
	if (ret)
		return ret;
	fx_cli_catch_signals();
	fx_cmd_net(opts, &net);
	ro.net = &net;
	ro.skip_db_checks = a.skip_db;
	ro.server_validate = !a.no_validate;
	if (fx_plan_run(&m, &ro, &p, NULL, &clients, &err) < 0) {
		ret = fx_cmd_fail(&err);
		goto cleanup;
	}
	if (a.out && plan_write_file(&p, a.out, &err) < 0) {
		ret = fx_cmd_fail(&err);
		goto cleanup;
	}
	fx_cmd_print_plan(opts, &p, format, a.out);
	if (!fx_plan_applyable(&p))
		ret = FX_EXIT_FAILURE;
	else if (a.detailed && p.n_changes)
		ret = FX_EXIT_CHANGES;
	if (a.out && !opts->quiet) {
		char how[4200];

		fx_plan_apply_command(&p, a.out, how, sizeof(how));
		fx_notef(opts, "plan written to %s (apply it with: %s)", a.out, how);
	}
cleanup:
	fx_connect_clients_release(&clients);
	fx_plan_release(&p);
	fx_manifest_release(&m);
	return ret;
}

const struct fx_cmd fx_cmd_plan = {
	.name = "plan",
	.run = cmd_plan_run,
	.args = "",
	.summary = "Check the databases and Connect clusters and print the alters apply would make.",
	.optdefs = plan_optdefs,
};
