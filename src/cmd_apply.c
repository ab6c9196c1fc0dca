/*
 * fluxacdc apply [FILE]: carry out the alters.
 *
 * Without FILE: plan, print it, and on a TTY ask for the exact word yes (no TTY
 * and no --auto-approve: refuse, exit 3).  With FILE (from plan --out): no
 * prompt; the manifest and the live state are read again and the plan is
 * refused (exit 4) when either fingerprint moved.  Check errors block (1);
 * deletes need --allow-destroy (3).  Then apply.c does the writes; the result
 * lines say what was applied, and the exit status is 0, 1, 5 or 130.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "apply.h"
#include "apply_snapshot.h"
#include "apply_gate.h"
#include "cmd_common.h"
#include "cmd_snapshot.h"
#include "plan_run.h"
#include "render_apply.h"
#include "render_plan.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/str.h"

enum {
	APPLY_AUTO_APPROVE = 1, APPLY_ALLOW_DESTROY, APPLY_WAIT, APPLY_NO_WAIT,
	APPLY_RETRY_BUDGET, APPLY_SKIP_DB, APPLY_NO_VALIDATE, APPLY_NO_SNAPSHOT,
	APPLY_ALLOW_RESNAPSHOT, APPLY_RESET_OFFSETS, APPLY_KEEP_OFFSETS, APPLY_PARALLELISM,
};

/* Alters under way at once per Connect cluster unless --parallelism says otherwise. */
#define APPLY_DEFAULT_PARALLELISM 8

static const struct fx_optdef apply_optdefs[] = {
	{ .id = APPLY_AUTO_APPROVE, .lname = "auto-approve",
	  .help = "apply without asking (needed without a TTY)" },
	{ .id = APPLY_ALLOW_DESTROY, .lname = "allow-destroy",
	  .help = "allow deleting managed connectors the manifest no longer wants" },
	{ .id = APPLY_ALLOW_RESNAPSHOT, .lname = "allow-resnapshot",
	  .help = "allow alters of risk resnapshot or breaking (connector starts over)" },
	{ .id = APPLY_RESET_OFFSETS, .lname = "reset-offsets",
	  .help = "a create over offsets Connect still holds: create it STOPPED, delete them, resume (a fresh snapshot; Connect 3.7+)" },
	{ .id = APPLY_KEEP_OFFSETS, .lname = "keep-offsets",
	  .help = "a create over offsets Connect still holds: resume from them (no snapshot)" },
	{ .id = APPLY_WAIT, .lname = "wait", .has_arg = 1, .argname = "SECONDS",
	  .help = "wait at most this long for each connector to be RUNNING (default 120)" },
	{ .id = APPLY_PARALLELISM, .lname = "parallelism", .has_arg = 1, .argname = "N",
	  .help = "alters under way at once per Connect cluster, their waits overlapping "
		  "(default 8; 1: one by one)" },
	{ .id = APPLY_NO_WAIT, .lname = "no-wait",
	  .help = "do not wait for RUNNING after a create or update" },
	{ .id = APPLY_RETRY_BUDGET, .lname = "retry-budget", .has_arg = 1, .argname = "SECONDS",
	  .help = "time each write may spend retrying rebalance answers (default "
		  FX_NET_STR(FX_NET_RETRY_BUDGET_S) ")" },
	{ .id = APPLY_SKIP_DB, .lname = "skip-db-checks",
	  .help = "do not connect to the databases while planning" },
	{ .id = APPLY_NO_VALIDATE, .lname = "no-server-validate",
	  .help = "skip Connect's config validation while planning" },
	{ .id = APPLY_NO_SNAPSHOT, .lname = "no-snapshot",
	  .help = "do not backfill tables an update adds (no incremental snapshot)" },
	{ .id = 0 },
};

struct apply_args {
	int auto_approve;
	int allow_destroy;
	int allow_resnapshot;
	int leftover;       /* FX_APPLY_OFFSETS_* */
	int wait_s;
	int parallelism;
	int retry_budget_s;
	int skip_db;
	int no_validate;
	int no_snapshot;
};

static int apply_opt(int id, const char *arg, void *ctx, struct fx_err *err)
{
	struct apply_args *a = ctx;
	uint64_t v;

	switch (id) {
	case APPLY_AUTO_APPROVE:
		a->auto_approve = 1;
		break;
	case APPLY_ALLOW_DESTROY:
		a->allow_destroy = 1;
		break;
	case APPLY_ALLOW_RESNAPSHOT:
		a->allow_resnapshot = 1;
		break;
	case APPLY_RESET_OFFSETS:
	case APPLY_KEEP_OFFSETS:
		if (a->leftover && a->leftover != (id == APPLY_RESET_OFFSETS ? FX_APPLY_OFFSETS_RESET :
						     FX_APPLY_OFFSETS_KEEP))
			return fx_err_set(err, FX_EXIT_USAGE,
					  "--reset-offsets and --keep-offsets exclude each other");
		a->leftover = id == APPLY_RESET_OFFSETS ? FX_APPLY_OFFSETS_RESET : FX_APPLY_OFFSETS_KEEP;
		break;
	case APPLY_WAIT:
	case APPLY_RETRY_BUDGET:
		if (fx_str_to_u64(arg, 0, 86400, &v) < 0)
			return fx_err_set(err, FX_EXIT_USAGE, "--%s: '%s' is not a number of seconds (0..86400)",
					  id == APPLY_WAIT ? "wait" : "retry-budget", arg);
		if (id == APPLY_WAIT)
			a->wait_s = (int)v;
		else
			a->retry_budget_s = (int)v;
		break;
	case APPLY_PARALLELISM:
		if (fx_str_to_u64(arg, 1, 64, &v) < 0)
			return fx_err_set(err, FX_EXIT_USAGE, "--parallelism: '%s' is not a number from 1 to 64",
					  arg);
		a->parallelism = (int)v;
		break;
	case APPLY_NO_WAIT:
		a->wait_s = 0;
		break;
	case APPLY_SKIP_DB:
		a->skip_db = 1;
		break;
	case APPLY_NO_SNAPSHOT:
		a->no_snapshot = 1;
		break;
	default:
		a->no_validate = 1;
	}
	return 0;
}

/* Progress on stderr: one rewritten line on a TTY, one line per change off it. */
struct apply_progress {
	const struct fx_opts *opts;
	int tty;
	int dirty; /* a TTY line is showing */
};

static void apply_progress_cb(void *ctx, const struct fx_apply_event *ev)
{
	struct apply_progress *pr = ctx;

	if (!pr->opts->quiet)
		fx_render_apply_progress(stderr, ev, pr->tty, &pr->dirty);
}

/* -v request log that does not tear a TTY progress line. */
static void apply_log(void *ctx, const char *line)
{
	struct apply_progress *pr = ctx;

	if (!pr->opts->verbose)
		return;
	if (pr->dirty) {
		fputs("\r\033[K", stderr);
		pr->dirty = 0;
	}
	fprintf(stderr, "fluxacdc: %s\n", line);
}

/*
 * The snapshot step: each applied update that added tables to a connector now
 * RUNNING gets one incremental snapshot of exactly those tables, followed to
 * its end (bounded by --wait), one after the other, progress on stderr.
 */
/* One backfill of one alter, run by a thread of apply_run_snapshots. */
struct apply_snap_job {
	const struct fx_opts *opts;
	const struct fx_manifest *m;
	const struct fx_plan *p;
	struct fx_apply_snap *sn;
	int wait_s;
};

static void *apply_snap_job_run(void *arg)
{
	struct apply_snap_job *j = arg;
	struct fx_apply_snap *sn = j->sn;
	const struct fx_change *c = &j->p->changes[sn->change];
	const struct fx_kafka_pool *kp = fx_manifest_kafka(j->m, c->kafka_pool);
	struct fx_buf brokers = FX_BUF_INIT;
	struct fx_snap_kafka k = { 0 };
	struct fx_snap_run r = { 0 };
	struct fx_cmd_snap_ctx pc = { 0 };
	struct fx_err err = FX_ERR_INIT;
	const char *prefix = fx_config_get(&c->desired, "topic.prefix");

	if (!kp) {
		sn->error = fx_strdup("its kafka pool is not in the manifest");
		return NULL;
	}
	fx_cmd_snapshot_kafka(kp, j->opts->timeout_s, &brokers, &k);
	r.req.connector = prefix ? prefix : c->connector;
	r.req.database = sn->database;
	r.req.tables = (const char *const *)sn->tables;
	r.req.n_tables = sn->n_tables;
	r.req.token = sn->token;
	r.signal_topic = fx_config_get(&c->desired, "signal.kafka.topic");
	r.notification_topic = fx_config_get(&c->desired, "notification.sink.topic.name");
	r.follow = 1;
	r.wait_s = j->wait_s;
	r.interrupt = &fx_interrupted;
	r.progress = fx_cmd_snapshot_progress;
	pc.opts = j->opts;
	pc.connector = c->connector;
	pc.last_print = -100;
	r.progress_ctx = &pc;
	sn->ran = 1;
	if (fx_snapshot_kafka_run(&k, &r, &sn->out, &err) < 0) {
		sn->ran = 0;
		sn->error = fx_strdup(err.msg);
	}
	fx_buf_release(&brokers);
	return NULL;
}

/*
 * The backfills of the alters that added tables, at most parallelism at
 * once: most of each one's time is Debezium picking up the signal and the
 * server's binlog traffic closing its windows, so they overlap as the waits
 * for RUNNING do.  Each is a unit of its own (its producer and consumer);
 * one that cannot get a thread runs here, in turn.
 */
static void apply_run_snapshots(const struct fx_opts *opts, const struct fx_manifest *m,
				const struct fx_plan *p, struct fx_apply_snaps *s, int wait_s,
				int parallelism)
{
	size_t i = 0, j, batch = parallelism > 1 ? (size_t)parallelism : 1;

	while (i < s->n && !fx_interrupted) {
		struct apply_snap_job jobs[64];
		pthread_t tids[64];
		int started[64];
		size_t n = 0;

		for (; i < s->n && n < batch && n < 64; i++) {
			if (s->items[i].skip)
				continue;
			jobs[n] = (struct apply_snap_job){ .opts = opts, .m = m, .p = p,
							   .sn = &s->items[i], .wait_s = wait_s };
			n++;
		}
		for (j = 0; j < n; j++)
			started[j] = n > 1 && pthread_create(&tids[j], NULL, apply_snap_job_run, &jobs[j]) == 0;
		for (j = 0; j < n; j++) {
			if (started[j])
				pthread_join(tids[j], NULL);
			else
				apply_snap_job_run(&jobs[j]);
		}
	}
}

/* Asks for "yes" on the terminal. */
static enum fx_apply_approval apply_confirm(size_t n_changes)
{
	char line[64];

	if (n_changes == 1)
		fprintf(stderr, "\nDo you want to apply this alter to Kafka Connect?\n");
	else
		fprintf(stderr, "\nDo you want to apply these %zu alters to Kafka Connect?\n", n_changes);
	fprintf(stderr, "  Only 'yes' will be accepted to approve.\n\n  Enter a value: ");
	fflush(stderr);
	if (!fgets(line, sizeof(line), stdin)) {
		fputc('\n', stderr);
		return fx_interrupted ? FX_APPLY_ASK_INTERRUPTED : FX_APPLY_DECLINED;
	}
	line[strcspn(line, "\r\n")] = '\0';
	return strcmp(line, "yes") ? FX_APPLY_DECLINED : FX_APPLY_APPROVED;
}

/* What one apply reports from. */
struct apply_run {
	const struct fx_opts *opts;
	const struct fx_plan *plan;
	const struct fx_render_plan_opts *rend;
	int json;
};

/* Prints the messages of says on stderr. */
static void apply_said(const struct fx_buf *says)
{
	const char *s;

	for (s = fx_apply_said(says, NULL); s; s = fx_apply_said(says, s))
		fx_errorf("%s", s);
}

/* The one place a stop is reported: stderr, then the JSON or the closing line. */
static int apply_report_stop(const struct apply_run *r, const struct fx_apply_stop *stop)
{
	if (stop->plan_to_stderr)
		fx_render_plan_text(stderr, r->plan, r->rend);
	apply_said(&stop->says);
	if (r->json)
		fx_render_apply_json(stdout, NULL, NULL, r->plan, stop->status, stop->code, stop->why);
	else if (!r->opts->quiet)
		fx_render_apply_stop_text(stdout, stop);
	return stop->code;
}

/* After the writes: the results, the verdict on stderr, the exit status. */
static int apply_report_results(const struct apply_run *r, const struct fx_apply_results *res,
				const struct fx_apply_snaps *snaps)
{
	struct fx_buf b = FX_BUF_INIT, failed = FX_BUF_INIT;
	int code = fx_apply_exit_code(res);
	size_t i;

	/* the alters went well, a backfill did not: exit 1 with Debezium's reason */
	if (!code && fx_apply_snapshot_exit(snaps)) {
		code = fx_apply_snapshot_exit(snaps);
		for (i = 0; i < snaps->n; i++) {
			json_t *sj = fx_apply_snap_json(&snaps->items[i]);
			const char *st = fx_apply_snap_status(&snaps->items[i]);
			const char *why = json_string_value(json_object_get(sj, "reason"));

			if (strcmp(st, "completed") && strcmp(st, "skipped") && strcmp(st, "pending") &&
			    strcmp(st, "unsupported"))
				fx_errorf("apply: %s: the snapshot of the added tables %s%s%s",
					  snaps->items[i].connector, st, why ? ": " : "", why ? why : "");
			json_decref(sj);
		}
	}
	if (r->json)
		fx_render_apply_json(stdout, res, snaps, r->plan, fx_render_apply_status(code), code,
				     !fx_apply_exit_code(res) && code ?
				     "the snapshot of added tables did not complete" : NULL);
	else
		fx_render_apply_text(stdout, res, snaps, code, r->rend->color);
	if (code && fx_apply_exit_code(res)) {
		fflush(stdout); /* the results first, then the verdict */
		fx_render_apply_verdict(&b, res, code);
		fx_errorf("%s", fx_buf_str(&b));
	}
	/* green only when everything wanted runs: an untouched FAILED connector too */
	if (fx_apply_failed_unchanged(r->plan, &failed) && !code)
		code = FX_EXIT_FAILURE;
	apply_said(&failed);
	fx_buf_release(&failed);
	fx_buf_release(&b);
	return code;
}

static int cmd_apply_run(const struct fx_cmd *self, int argc, char **argv, struct fx_opts *opts)
{
	static const char *const formats[] = { "text", "json", NULL };
	struct fx_manifest m = FX_MANIFEST_INIT;
	struct fx_plan saved = FX_PLAN_INIT, p = FX_PLAN_INIT;
	struct fx_connect_clients clients = FX_CONNECT_CLIENTS_INIT;
	struct fx_plan_run_opts ro = FX_PLAN_RUN_OPTS_INIT;
	struct fx_net net;
	struct fx_render_plan_opts rend = FX_RENDER_PLAN_OPTS_INIT;
	struct fx_apply_opts ao = FX_APPLY_OPTS_INIT;
	struct fx_apply_results res = FX_APPLY_RESULTS_INIT;
	struct fx_apply_snaps snaps = FX_APPLY_SNAPS_INIT;
	struct apply_args a = {
		.wait_s = 120, .parallelism = APPLY_DEFAULT_PARALLELISM,
		.retry_budget_s = FX_NET_RETRY_BUDGET_S,
	};
	struct apply_progress pr = { .opts = opts };
	struct apply_run run = { .opts = opts, .plan = &p, .rend = &rend };
	struct fx_apply_gate_in gate = { .plan = &p };
	struct fx_apply_stop stop = FX_APPLY_STOP_INIT;
	struct fx_opts mopts = *opts;
	struct fx_err err = FX_ERR_INIT;
	enum fx_apply_gate_step step;
	const char *format, *file;
	size_t i;
	int first, ret;

	if (fx_cli_parse(argc, argv, self, apply_opt, &a, opts, &first, &err) < 0 ||
	    fx_cli_format(opts, formats, "text", &format, &err) < 0)
		return fx_cmd_fail(&err);
	if (first + 1 < argc) {
		fx_err_set(&err, FX_EXIT_USAGE, "apply: unexpected argument '%s'", argv[first + 1]);
		return fx_cmd_fail(&err);
	}
	file = first < argc ? argv[first] : NULL;
	mopts = *opts; /* with the global options given after the command */
	run.json = !strcmp(format, "json");
	if (file) {
		if (fx_cmd_read_plan(file, &saved, &err) < 0) {
			ret = fx_cmd_fail(&err);
			goto cleanup;
		}
		/* The manifest the plan was made from, unless -f says otherwise. */
		if (!mopts.manifest && saved.manifest_path)
			mopts.manifest = saved.manifest_path;
	}
	ret = fx_cmd_load_manifest(&mopts, &m);
	if (ret)
		goto cleanup;
	fx_cli_catch_signals();
	pr.tty = isatty(STDERR_FILENO);
	fx_cmd_net(opts, &net);
	net.retry_budget_ms = a.retry_budget_s * 1000L;
	net.log = apply_log;
	net.log_ctx = &pr;
	ro.net = &net;
	ro.skip_db_checks = a.skip_db || (file && saved.db_checks_skipped);
	ro.server_validate = !a.no_validate;
	ro.salt = file ? saved.salt : NULL;
	if (fx_plan_run(&m, &ro, &p, NULL, &clients, &err) < 0) {
		ret = fx_cmd_fail(&err);
		goto cleanup;
	}
	rend.color = fx_cli_use_color(opts, stdout);
	rend.verbose = opts->verbose;
	if (!run.json) {
		if (file)
			fx_render_plan_summary(stdout, &p, &rend);
		else
			fx_render_plan_text(stdout, &p, &rend);
	}
	gate.saved = file ? &saved : NULL;
	gate.file = file;
	gate.allow_destroy = a.allow_destroy;
	gate.allow_resnapshot = a.allow_resnapshot;
	gate.reset_offsets = a.leftover == FX_APPLY_OFFSETS_RESET;
	gate.auto_approve = a.auto_approve;
	gate.can_ask = isatty(STDIN_FILENO);
	step = fx_apply_gate(&gate, &stop);
	if (step == FX_APPLY_ASK) {
		fflush(stdout);
		gate.approval = apply_confirm(p.n_changes);
		step = fx_apply_gate(&gate, &stop);
	}
	if (step == FX_APPLY_STOP) {
		ret = apply_report_stop(&run, &stop);
		goto cleanup;
	}
	fflush(stdout);
	ao.allow_destroy = a.allow_destroy;
	ao.allow_resnapshot = a.allow_resnapshot;
	ao.leftover = a.leftover;
	ao.wait_s = a.wait_s;
	ao.parallelism = a.parallelism;
	ao.interrupt = &fx_interrupted;
	ao.progress = apply_progress_cb;
	ao.ctx = &pr;
	if (fx_apply_run(&p, &clients, &ao, &res, &err) < 0) {
		fx_apply_say(&stop.says, "%s", err.msg[0] ? err.msg : "failed");
		stop.code = err.code ? err.code : FX_EXIT_FAILURE;
		stop.status = err.code == FX_EXIT_REFUSED ? "refused" : "failed";
		stop.why = err.msg;
		ret = apply_report_stop(&run, &stop);
		goto cleanup;
	}
	if (fx_apply_snapshot_plan(&p, &res, a.no_snapshot, a.wait_s > 0, &snaps, &err) < 0) {
		ret = fx_cmd_fail(&err);
		goto cleanup;
	}
	apply_run_snapshots(opts, &m, &p, &snaps, a.wait_s, a.parallelism);
	ret = apply_report_results(&run, &res, &snaps);
	if (opts->verbose)
		for (i = 0; i < clients.n; i++)
			fx_notef(opts, "%lu requests to %s", fx_connect_client_requests(clients.items[i]),
				 fx_connect_client_url(clients.items[i]));
cleanup:
	fx_apply_snaps_release(&snaps);
	fx_apply_stop_release(&stop);
	fx_apply_results_release(&res);
	fx_connect_clients_release(&clients);
	fx_plan_release(&p);
	fx_plan_release(&saved);
	fx_manifest_release(&m);
	return ret;
}

const struct fx_cmd fx_cmd_apply = {
	.name = "apply",
	.run = cmd_apply_run,
	.args = "[FILE]",
	.summary = "Carry out the alters (asks for yes on a TTY); with FILE, exactly that plan, refusing if stale.",
	.optdefs = apply_optdefs,
};
