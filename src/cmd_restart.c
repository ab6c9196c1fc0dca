/*
 * fluxacdc restart [CONNECTOR...]: restarts managed connectors and their
 * tasks (by default every one with a FAILED task, only those tasks), or with
 * --reset-offsets starts the named ones over (stop, delete the stored
 * offsets, resume: a new snapshot), then waits until each is RUNNING and
 * shows the trace of any that fails again.  What is restarted is decided by
 * restart.c; the writes are connect.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd_common.h"
#include "connect.h"
#include "connect_checks.h"
#include "desired.h"
#include "mysql_inspect.h"
#include "offsets_checks.h"
#include "restart.h"
#include "util/alloc.h"
#include "util/clock.h"
#include "util/str.h"

#define RESTART_TRACE_LINES 6
#define RESTART_POLL_MS 500
/* RUNNING must hold this many reads in a row (10 s): a task restarted on a
 * cause that is still there (a purged binlog, a wrong password) shows RUNNING
 * for several seconds before Connect marks it FAILED again. */
#define RESTART_RUNNING_READS 20

enum { RESTART_FAILED = 1, RESTART_RESET, RESTART_WAIT, RESTART_NO_WAIT };

static const struct fx_optdef restart_optdefs[] = {
	{ .id = RESTART_FAILED, .lname = "failed",
	  .help = "restart only the failed tasks (the default when no CONNECTOR is named)" },
	{ .id = RESTART_RESET, .lname = "reset-offsets",
	  .help = "start the named connectors over: stop, delete their stored offsets, resume (a new snapshot; Connect 3.6+)" },
	{ .id = RESTART_WAIT, .lname = "wait", .has_arg = 1, .argname = "SECONDS",
	  .help = "wait at most this long for RUNNING (default 120)" },
	{ .id = RESTART_NO_WAIT, .lname = "no-wait", .help = "do not wait for RUNNING" },
	{ .id = 0 },
};

struct restart_args {
	int failed;
	int reset;
	int wait_s;
};

static int restart_opt(int id, const char *arg, void *ctx, struct fx_err *err)
{
	struct restart_args *a = ctx;
	uint64_t v;

	switch (id) {
	case RESTART_FAILED:
		a->failed = 1;
		break;
	case RESTART_RESET:
		a->reset = 1;
		break;
	case RESTART_WAIT:
		if (fx_str_to_u64(arg, 0, 86400, &v) < 0)
			return fx_err_set(err, FX_EXIT_USAGE,
					  "restart: --wait wants whole seconds (0..86400), not '%s'", arg);
		a->wait_s = (int)v;
		break;
	case RESTART_NO_WAIT:
		a->wait_s = 0;
		break;
	}
	return 0;
}

/*
 * Polls the status until want (a state; NULL: RUNNING with every task
 * RUNNING in RESTART_RUNNING_READS reads in a row) or FAILED or the deadline.  0 reached,
 * 1 failed or timed out (*why, *trace set: new strings), -1 interrupted.
 */
static int restart_wait(struct fx_connect_client *client, const char *name, const char *want,
			int wait_s, const struct fx_config *secrets, char **why, char **trace)
{
	double deadline = fx_clock_now() + wait_s;
	char last[256] = "no status yet";
	int streak = 0;

	*why = NULL;
	*trace = NULL;
	for (;;) {
		struct fx_observed_connector s;
		struct fx_err err = FX_ERR_INIT;
		int found = 0;

		if (fx_clock_sleep_ms(RESTART_POLL_MS, &fx_interrupted) < 0)
			return -1;
		memset(&s, 0, sizeof(s));
		if (fx_connect_get_status(client, name, &s, &found, &err) < 0) {
			if (err.code == FX_EXIT_INTERRUPTED) {
				fx_observed_connector_release(&s);
				return -1;
			}
			snprintf(last, sizeof(last), "%.*s", (int)sizeof(last) - 1, err.msg);
		} else if (found) {
			const char *tr = NULL;
			enum fx_run_verdict v = fx_observed_run_verdict(&s, &tr);
			size_t i, n;

			n = (size_t)snprintf(last, sizeof(last), "%s", s.state ? s.state : "UNKNOWN");
			for (i = 0; i < s.n_tasks && n < sizeof(last); i++)
				n += (size_t)snprintf(last + n, sizeof(last) - n, "%s task %d %s",
						      i ? "," : ";", s.tasks[i].id,
						      s.tasks[i].state ? s.tasks[i].state : "?");
			if (want) {
				streak = s.state && !strcmp(s.state, want) ? RESTART_RUNNING_READS : 0;
			} else if (v == FX_RUN_FAILED) {
				*why = fx_asprintf("%s FAILED again: %s", name, last);
				*trace = tr ? fx_connect_trace_head(tr, RESTART_TRACE_LINES, secrets) : NULL;
				fx_observed_connector_release(&s);
				return 1;
			} else {
				streak = v == FX_RUN_RUNNING ? streak + 1 : 0;
			}
		}
		fx_observed_connector_release(&s);
		if (streak >= RESTART_RUNNING_READS)
			return 0;
		if (fx_clock_now() >= deadline) {
			*why = fx_asprintf("%s: not %s after %d s (--wait): %s", name, want ? want : "RUNNING",
					   wait_s, last);
			return 1;
		}
	}
}

/* One target; 0 done (and RUNNING when waited for), 1 failed, -1 interrupted. */
static int restart_one(struct fx_connect_clients *clients, enum fx_restart_mode mode,
		       const struct fx_restart_target *t, int wait_s, const struct fx_opts *opts)
{
	struct fx_connect_client *client = fx_connect_clients_find(clients, t->cluster->connect_url);
	const char *name = t->conn->name;
	struct fx_err err = FX_ERR_INIT;
	char *why = NULL, *trace = NULL;
	struct fx_trace_remedy rem;
	double t0 = fx_clock_now();
	int rc;

	if (!client) {
		fx_errorf("%s: no client for %s", name, t->cluster->connect_url);
		return 1;
	}
	if (mode == FX_RESTART_RESET_OFFSETS) {
		fx_notef(opts, "%s: stopping", name);
		if (fx_connect_stop(client, name, &err) < 0)
			goto write_failed;
		rc = restart_wait(client, name, "STOPPED", wait_s ? wait_s : 120, &t->conn->config,
				  &why, &trace);
		if (rc)
			goto waited;
		fx_notef(opts, "%s: deleting its stored offsets", name);
		if (fx_connect_offsets_delete(client, name, &err) < 0)
			goto write_failed;
		fx_notef(opts, "%s: resuming: it starts with a new snapshot", name);
		if (fx_connect_resume(client, name, &err) < 0)
			goto write_failed;
	} else {
		fx_notef(opts, "%s: restarting %s", name,
			 t->only_failed ? "its failed tasks" : "it and all its tasks");
		if (fx_connect_restart(client, name, t->only_failed, &err) < 0)
			goto write_failed;
	}
	if (!wait_s) {
		printf("%-28s %-15s (not waited for)\n", name,
		       mode == FX_RESTART_RESET_OFFSETS ? "offsets reset" : "restarted");
		return 0;
	}
	rc = restart_wait(client, name, NULL, wait_s, &t->conn->config, &why, &trace);
waited:
	if (rc < 0) {
		fx_errorf("%s: interrupted", name);
		return -1;
	}
	if (rc == 0) {
		printf("%-28s %-15s RUNNING %.1f s\n", name,
		       mode == FX_RESTART_RESET_OFFSETS ? "offsets reset" : "restarted", fx_clock_now() - t0);
		return 0;
	}
	printf("%-28s %-15s FAILED\n", name,
	       mode == FX_RESTART_RESET_OFFSETS ? "offsets reset" : "restarted");
	fx_errorf("%s", why ? why : "failed");
	if (trace)
		fx_str_print_indented(stderr, "  | ", trace);
	if (mode != FX_RESTART_RESET_OFFSETS && fx_connect_trace_remedy(trace, &rem))
		fx_errorf("%s: %s: fluxacdc %s %s", name, rem.why, rem.command, name);
	free(why);
	free(trace);
	return 1;
write_failed:
	if (err.code == FX_EXIT_INTERRUPTED)
		return -1;
	printf("%-28s %-15s FAILED\n", name, "not restarted");
	fx_errorf("%s", err.msg);
	return 1;
}

/*
 * A restart that would fail: the connector's stored binlog position is gone
 * from its server.  Says so with the way out; 1 when refused.
 */
static int restart_refused(const struct fx_manifest *m, const struct fx_desired *d,
			   const struct fx_mysql_result *res, const struct fx_restart_target *t)
{
	struct fx_position_view v;
	size_t i;

	for (i = 0; i < d->n; i++) {
		const struct fx_connector *c = &d->connectors[i];

		if (strcmp(c->name, t->conn->name) || !c->kafka->connect_url ||
		    strcmp(c->kafka->connect_url, t->cluster->connect_url))
			continue;
		fx_position_view(t->conn, &res[c->mysql - m->mysql], (int64_t)time(NULL), &v);
		if (v.verdict != FX_BINLOG_FILE_PURGED && v.verdict != FX_BINLOG_GTID_PURGED)
			return 0;
		printf("%-28s %-15s FAILED\n", t->conn->name, "not restarted");
		fx_errorf("%s: its stored binlog position %s:%llu is no longer on mysql pool '%s': a "
			  "restart would fail again; start it over with a new snapshot: fluxacdc restart "
			  "%s --reset-offsets", t->conn->name, v.b->file ? v.b->file : "?",
			  (unsigned long long)v.b->pos, c->mysql->code, t->conn->name);
		return 1;
	}
	return 0;
}

static int cmd_restart_run(const struct fx_cmd *self, int argc, char **argv, struct fx_opts *opts)
{
	struct fx_manifest m = FX_MANIFEST_INIT;
	struct fx_connect_clients clients = FX_CONNECT_CLIENTS_INIT;
	struct fx_net net;
	struct fx_checks warnings = FX_CHECKS_INIT;
	struct fx_restart_plan plan = FX_RESTART_PLAN_INIT;
	struct fx_observed_cluster *cl = NULL;
	struct fx_desired d = FX_DESIRED_INIT;
	struct fx_mysql_result *res = NULL;
	struct fx_checks db_checks = FX_CHECKS_INIT;
	struct fx_err err = FX_ERR_INIT;
	struct restart_args a = { .failed = 0, .reset = 0, .wait_s = 120 };
	size_t i, failed = 0;
	int first, ret;

	if (fx_cli_parse(argc, argv, self, restart_opt, &a, opts, &first, &err) < 0)
		return fx_cmd_fail(&err);
	ret = fx_cmd_load_manifest(opts, &m);
	if (ret)
		return ret;
	fx_cli_catch_signals();
	fx_cmd_net(opts, &net);
	if (fx_connect_clients_from_manifest(&clients, &m, &net, &warnings, &err) < 0) {
		ret = fx_cmd_fail(&err);
		goto cleanup;
	}
	if (!clients.n) {
		fx_err_set(&err, FX_EXIT_FAILURE, "%s: no Kafka pool has a connect_url", m.path);
		ret = fx_cmd_fail(&err);
		goto cleanup;
	}
	cl = calloc(clients.n, sizeof(*cl));
	if (!cl || fx_connect_observe(&clients, cl, &err) < 0) {
		if (!cl)
			fx_err_set(&err, FX_EXIT_FAILURE, "out of memory");
		ret = fx_cmd_fail(&err);
		goto cleanup;
	}
	for (i = 0; i < clients.n; i++)
		if (!cl[i].reachable)
			fx_warnf("Kafka Connect of pool '%s' unreadable: %s", cl[i].kafka_pool,
				 cl[i].error ? cl[i].error : "unreachable");
	if (fx_restart_select(cl, clients.n, (const char *const *)argv + first, (size_t)(argc - first),
			      a.failed, a.reset ? FX_RESTART_RESET_OFFSETS : FX_RESTART_TASKS, &plan,
			      &err) < 0) {
		ret = fx_cmd_fail(&err);
		goto cleanup;
	}
	if (!plan.n) {
		printf("nothing to restart: no managed connector has a FAILED task\n");
		ret = FX_EXIT_OK;
		goto cleanup;
	}
	/* the servers' binlogs: a restart from a purged position would only fail again */
	if (plan.mode == FX_RESTART_TASKS) {
		struct fx_mysql_inspect_opts mo = FX_MYSQL_INSPECT_OPTS_INIT;

		mo.net = &net;
		res = calloc(m.n_mysql ? m.n_mysql : 1, sizeof(*res));
		if (!res || fx_desired_build(&m, NULL, &d, &err) < 0 ||
		    fx_mysql_inspect(&m, &mo, res, NULL, &db_checks, &err) < 0) {
			if (!res)
				fx_err_set(&err, FX_EXIT_FAILURE, "out of memory");
			ret = fx_cmd_fail(&err);
			goto cleanup;
		}
	}
	for (i = 0; i < plan.n; i++) {
		int rc = res && restart_refused(&m, &d, res, &plan.targets[i]) ? 1 :
			 restart_one(&clients, plan.mode, &plan.targets[i], a.wait_s, opts);

		if (rc < 0) {
			ret = FX_EXIT_INTERRUPTED;
			goto cleanup;
		}
		failed += rc;
	}
	ret = failed ? FX_EXIT_FAILURE : FX_EXIT_OK;
cleanup:
	fx_restart_plan_release(&plan);
	if (res)
		fx_mysql_results_release(res, m.n_mysql);
	free(res);
	fx_checks_release(&db_checks);
	fx_desired_release(&d);
	for (i = 0; cl && i < clients.n; i++)
		fx_observed_cluster_release(&cl[i]);
	free(cl);
	fx_checks_release(&warnings);
	fx_connect_clients_release(&clients);
	fx_manifest_release(&m);
	return ret;
}

const struct fx_cmd fx_cmd_restart = {
	.name = "restart",
	.run = cmd_restart_run,
	.args = "[CONNECTOR...]",
	.summary = "Restart managed connectors (default: those with a FAILED task) and wait until RUNNING.",
	.optdefs = restart_optdefs,
};
