/*
 * fluxacdc status: every managed (fluxa_*) connector on every Connect cluster
 * of the manifest, its state, each task's state and worker, the first lines
 * of any trace, and whether the manifest wants it (orphans flagged, desired
 * ones not created yet shown as absent), and from the stored offsets the
 * phase (snapshot / streaming), the binlog position and how far it is behind
 * the server's current one (bytes, files).  Exit 1 when a cluster cannot be
 * read or a managed connector or task is FAILED, so it can gate a deploy.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "cmd_common.h"
#include "cmd_snapshot.h"
#include "connect.h"
#include "desired.h"
#include "mysql_inspect.h"
#include "render_status.h"
#include "status.h"
#include "util/alloc.h"

enum { STATUS_CONNECTOR = 1 };

static const struct fx_optdef status_optdefs[] = {
	{ .id = STATUS_CONNECTOR, .lname = "connector", .has_arg = 1, .argname = "NAME",
	  .help = "only this connector" },
	{ .id = 0 },
};

struct status_args {
	const char *connector;
};

static int status_opt(int id, const char *arg, void *ctx, struct fx_err *err)
{
	struct status_args *a = ctx;

	(void)err;
	if (id == STATUS_CONNECTOR)
		a->connector = arg;
	return 0;
}

/* Kafka pools that could not be asked, and why (one try each). */
struct status_snap_errs {
	const struct fx_kafka_pool *pool[16];
	char why[16][256];
	size_t n;
};

/*
 * The newest incremental snapshot of a live connector, from its notification
 * topic (the last 200 records of each partition): status shows it when one
 * is running or was the last.  A Kafka pool that cannot be asked is tried once.
 */
static void status_snapshot_of(struct fx_status_row *r, const struct fx_opts *opts,
			       struct status_snap_errs *errs)
{
	const char *topic = r->live ? fx_config_get(&r->live->config, "notification.sink.topic.name") : NULL;
	const struct fx_kafka_pool *kp = r->want ? r->want->kafka : NULL;
	struct fx_buf brokers = FX_BUF_INIT;
	struct fx_snap_kafka k = { 0 };
	struct fx_err err = FX_ERR_INIT;
	size_t i;

	if (!topic || !kp || !kp->n_brokers)
		return;
	for (i = 0; i < errs->n; i++)
		if (errs->pool[i] == kp) {
			r->snap_error = errs->why[i];
			return;
		}
	fx_cmd_snapshot_kafka(kp, opts->timeout_s, &brokers, &k);
	if (fx_snapshot_kafka_latest(&k, topic, 200, &r->snap, &r->snap_found, &err) < 0 &&
	    errs->n < sizeof(errs->pool) / sizeof(errs->pool[0])) {
		errs->pool[errs->n] = kp;
		snprintf(errs->why[errs->n], sizeof(errs->why[0]), "kafka: %.*s",
			 (int)sizeof(errs->why[0]) - 8, err.msg);
		r->snap_error = errs->why[errs->n++];
	}
	fx_buf_release(&brokers);
}

static int cmd_status_run(const struct fx_cmd *self, int argc, char **argv, struct fx_opts *opts)
{
	struct status_snap_errs snap_errs = { .n = 0 };
	static const char *const formats[] = { "text", "json", NULL };
	struct fx_manifest m = FX_MANIFEST_INIT;
	struct fx_desired d = FX_DESIRED_INIT;
	struct fx_connect_clients clients = FX_CONNECT_CLIENTS_INIT;
	struct fx_net net;
	struct fx_checks warnings = FX_CHECKS_INIT;
	struct fx_observed_cluster *cl = NULL;
	struct fx_mysql_result *db = NULL;
	struct fx_checks db_checks = FX_CHECKS_INIT;
	struct fx_status st = FX_STATUS_INIT;
	struct fx_err err = FX_ERR_INIT;
	struct status_args a = { .connector = NULL };
	const char *format;
	size_t i, j;
	int first, ret;

	if (fx_cli_parse(argc, argv, self, status_opt, &a, opts, &first, &err) < 0 ||
	    fx_cli_format(opts, formats, "text", &format, &err) < 0)
		return fx_cmd_fail(&err);
	if (first < argc) {
		fx_err_set(&err, FX_EXIT_USAGE, "status: unexpected argument '%s'", argv[first]);
		return fx_cmd_fail(&err);
	}
	ret = fx_cmd_load_manifest(opts, &m);
	if (ret)
		return ret;
	fx_cli_catch_signals();
	fx_cmd_net(opts, &net);
	if (fx_desired_build(&m, NULL, &d, &err) < 0 ||
	    fx_connect_clients_from_manifest(&clients, &m, &net, &warnings, &err) < 0) {
		ret = fx_cmd_fail(&err);
		goto cleanup;
	}
	for (i = 0; i < warnings.n && !opts->quiet; i++)
		fx_warnf("%s: %s", warnings.items[i].scope, warnings.items[i].message);
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
	/* the servers' binlog positions, for the lag; an unreachable one leaves it unknown */
	db = fx_calloc(m.n_mysql ? m.n_mysql : 1, sizeof(*db));
	if (db) {
		struct fx_mysql_inspect_opts mo = FX_MYSQL_INSPECT_OPTS_INIT;

		mo.net = &net;
		if (fx_mysql_inspect(&m, &mo, db, NULL, &db_checks, &err) < 0) {
			ret = fx_cmd_fail(&err);
			goto cleanup;
		}
	}
	if (fx_status_build(cl, clients.n, &d, &m, db, a.connector, (int64_t)time(NULL), &st,
			    &err) < 0) {
		ret = fx_cmd_fail(&err);
		goto cleanup;
	}
	for (i = 0; i < st.n; i++)
		for (j = 0; j < st.clusters[i].n; j++)
			status_snapshot_of(&st.clusters[i].rows[j], opts, &snap_errs);
	for (i = 0; i < clients.n; i++)
		if (!cl[i].reachable)
			fx_errorf("Kafka Connect of pool '%s' unreadable: %s", cl[i].kafka_pool,
				  cl[i].error ? cl[i].error : "unreachable");
	if (format[0] == 'j')
		fx_render_status_json(stdout, &st);
	else
		fx_render_status_text(stdout, &st, fx_cli_use_color(opts, stdout));
	ret = fx_status_exit_code(&st);
	if (opts->verbose)
		for (i = 0; i < clients.n; i++)
			fx_notef(opts, "%lu requests to %s", fx_connect_client_requests(clients.items[i]),
				 fx_connect_client_url(clients.items[i]));
	if (a.connector && !st.totals.connectors && !st.totals.unreachable) {
		fx_errorf("status: no managed connector named '%s' on the manifest's clusters",
			  a.connector);
		ret = FX_EXIT_FAILURE;
	}
cleanup:
	fx_status_release(&st);
	for (i = 0; cl && i < clients.n; i++)
		fx_observed_cluster_release(&cl[i]);
	free(cl);
	if (db)
		fx_mysql_results_release(db, m.n_mysql);
	free(db);
	fx_checks_release(&db_checks);
	fx_checks_release(&warnings);
	fx_connect_clients_release(&clients);
	fx_desired_release(&d);
	fx_manifest_release(&m);
	return ret;
}

const struct fx_cmd fx_cmd_status = {
	.name = "status",
	.run = cmd_status_run,
	.args = "",
	.summary = "Show each managed connector's state, tasks and failure trace; exit 1 when any is FAILED.",
	.optdefs = status_optdefs,
};
