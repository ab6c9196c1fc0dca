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

struct apply_backfills;

/*
 * Progress on stderr: one rewritten line on a TTY, one line per change off
 * it.  The backfills' threads print too: lock serializes the lines and keeps
 * a TTY line from being torn.
 */
struct apply_progress {
	const struct fx_opts *opts;
	int tty;
	int dirty; /* a TTY line is showing */
	pthread_mutex_t lock;
	struct apply_backfills *bf; /* started as alters end (apply_backfill_add) */
};

static void apply_backfill_add(struct apply_backfills *bf, size_t i, const struct fx_apply_result *r,
			       int start);

static void apply_progress_cb(void *ctx, const struct fx_apply_event *ev)
{
	struct apply_progress *pr = ctx;

	pthread_mutex_lock(&pr->lock);
	if (!pr->opts->quiet)
		fx_render_apply_progress(stderr, ev, pr->tty, &pr->dirty);
	pthread_mutex_unlock(&pr->lock);
	if (ev->kind == FX_APPLY_EV_DONE && pr->bf)
		apply_backfill_add(pr->bf, ev->change, ev->result, 1);
}

/* -v request log that does not tear a TTY progress line. */
static void apply_log(void *ctx, const char *line)
{
	struct apply_progress *pr = ctx;

	if (!pr->opts->verbose)
		return;
	pthread_mutex_lock(&pr->lock);
	if (pr->dirty) {
		fputs("\r\033[K", stderr);
		pr->dirty = 0;
	}
	fprintf(stderr, "fluxacdc: %s\n", line);
	pthread_mutex_unlock(&pr->lock);
}

/*
 * The backfills (SPEC §4 "Snapshots of added tables"): each applied update
 * that added tables to a connector now RUNNING gets one incremental snapshot
 * of exactly those tables, followed to its end (bounded by --wait).  Each
 * starts the moment its alter is over, from the scheduler's DONE event, so it
 * overlaps the alters still under way and the other backfills; at most
 * parallelism run at once (a thread waits for a place).  Most of each one's
 * time is Debezium picking up the signal and the server's binlog traffic
 * closing its windows.  Each is a unit of its own (its producer and
 * consumer); one that cannot get a thread runs after the alters, in turn.
 */
struct apply_backfills {
	const struct fx_opts *opts;
	const struct fx_manifest *m;
	const struct fx_plan *p;
	struct apply_progress *pr;
	int no_snapshot, wait_s, parallelism;
	struct fx_apply_snaps snaps;  /* one item per change at most, appended as alters end */
	struct apply_snap_job *jobs;  /* jobs[k] runs snaps.items[k] */
	int failed;                   /* out of memory while starting one */
	pthread_mutex_t lock;         /* running */
	pthread_cond_t room;
	int running;
};

struct apply_snap_job {
	struct apply_backfills *bf;
	struct fx_apply_snap *sn;
	pthread_t tid;
	int threaded, queued;         /* a thread runs it / it runs after the alters */
};

/* A backfill's progress context: the snapshot command's, and apply's own. */
struct apply_snap_pctx {
	struct fx_cmd_snap_ctx pc;
	struct apply_progress *pr;
};

/* Snapshot progress lines, serialized with apply's own (a TTY line is cleared first). */
static void apply_snap_progress(void *ctx, const struct fx_snap_progress *p, const struct fx_snap_tick *t)
{
	struct apply_snap_pctx *pc = ctx;
	struct apply_progress *pr = pc->pr;

	pthread_mutex_lock(&pr->lock);
	if (pr->dirty && !pr->opts->quiet) {
		fputs("\r\033[K", stderr);
		pr->dirty = 0;
	}
	fx_cmd_snapshot_progress(&pc->pc, p, t);
	pthread_mutex_unlock(&pr->lock);
}

static void apply_snap_job_do(struct apply_snap_job *j)
{
	struct apply_backfills *bf = j->bf;
	struct fx_apply_snap *sn = j->sn;
	const struct fx_change *c = &bf->p->changes[sn->change];
	const struct fx_kafka_pool *kp = fx_manifest_kafka(bf->m, c->kafka_pool);
	struct fx_buf brokers = FX_BUF_INIT;
	struct fx_snap_kafka k = { 0 };
	struct fx_snap_run r = { 0 };
	struct apply_snap_pctx pc = { .pc = { .opts = bf->opts, .connector = c->connector,
					      .last_print = -100 },
				      .pr = bf->pr };
	struct fx_err err = FX_ERR_INIT;
	const char *prefix = fx_config_get(&c->desired, "topic.prefix");

	if (!kp) {
		sn->error = fx_strdup("its kafka pool is not in the manifest");
		return;
	}
	fx_cmd_snapshot_kafka(kp, bf->opts->timeout_s, &brokers, &k);
	r.req.connector = prefix ? prefix : c->connector;
	r.req.database = sn->database;
	r.req.tables = (const char *const *)sn->tables;
	r.req.n_tables = sn->n_tables;
	r.req.token = sn->token;
	r.signal_topic = fx_config_get(&c->desired, "signal.kafka.topic");
	r.notification_topic = fx_config_get(&c->desired, "notification.sink.topic.name");
	r.follow = 1;
	r.wait_s = bf->wait_s;
	r.interrupt = &fx_interrupted;
	r.progress = apply_snap_progress;
	r.progress_ctx = &pc;
	sn->ran = 1;
	if (fx_snapshot_kafka_run(&k, &r, &sn->out, &err) < 0) {
		sn->ran = 0;
		sn->error = fx_strdup(err.msg);
	}
	fx_buf_release(&brokers);
}

/* A backfill's thread: waits for a place among the parallelism, runs, frees it. */
static void *apply_snap_job_thread(void *arg)
{
	struct apply_snap_job *j = arg;
	struct apply_backfills *bf = j->bf;

	pthread_mutex_lock(&bf->lock);
	while (bf->running >= bf->parallelism && !fx_interrupted) {
		struct timespec until;

		/* a signal does not wake a condition wait: look at fx_interrupted now and then */
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 200 * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&bf->room, &bf->lock, &until);
	}
	bf->running++;
	pthread_mutex_unlock(&bf->lock);
	apply_snap_job_do(j);
	pthread_mutex_lock(&bf->lock);
	bf->running--;
	pthread_cond_signal(&bf->room);
	pthread_mutex_unlock(&bf->lock);
	return NULL;
}

/* bf's lock and room are initialized by the caller (statically). */
static int apply_backfills_init(struct apply_backfills *bf, const struct fx_opts *opts,
				const struct fx_manifest *m, const struct fx_plan *p,
				struct apply_progress *pr, int no_snapshot, int wait_s, int parallelism)
{
	size_t n = p->n_changes ? p->n_changes : 1;

	bf->opts = opts;
	bf->m = m;
	bf->p = p;
	bf->pr = pr;
	bf->no_snapshot = no_snapshot;
	bf->wait_s = wait_s;
	bf->parallelism = parallelism > 1 ? parallelism : 1;
	bf->snaps.items = fx_calloc(n, sizeof(*bf->snaps.items));
	bf->jobs = fx_calloc(n, sizeof(*bf->jobs));
	return bf->snaps.items && bf->jobs ? 0 : -1;
}

/* Makes change i's item, if it gets one, and with start its backfill's thread. */
static void apply_backfill_add(struct apply_backfills *bf, size_t i, const struct fx_apply_result *r,
			       int start)
{
	struct fx_err err = FX_ERR_INIT;
	struct apply_snap_job *j;
	int got;

	if (i >= bf->p->n_changes || fx_apply_snaps_find(&bf->snaps, i))
		return;
	got = fx_apply_snapshot_item(bf->p, i, r, bf->no_snapshot, bf->wait_s > 0,
				     &bf->snaps.items[bf->snaps.n], &err);
	if (got < 0)
		bf->failed = 1;
	if (got <= 0)
		return;
	j = &bf->jobs[bf->snaps.n];
	*j = (struct apply_snap_job){ .bf = bf, .sn = &bf->snaps.items[bf->snaps.n] };
	bf->snaps.n++;
	if (j->sn->skip)
		return;
	j->threaded = start && pthread_create(&j->tid, NULL, apply_snap_job_thread, j) == 0;
	j->queued = !j->threaded;
}

static int apply_snap_by_change(const void *a, const void *b)
{
	const struct fx_apply_snap *x = a, *y = b;

	return (x->change > y->change) - (x->change < y->change);
}

/*
 * After the alters: waits for the backfills under way, runs those that got
 * no thread, adds the items of alters that never ended (not attempted), and
 * puts the items in plan order.  -1 on OOM.
 */
static int apply_backfills_finish(struct apply_backfills *bf, const struct fx_apply_results *res)
{
	size_t i, n;

	for (i = 0; i < bf->snaps.n; i++)
		if (bf->jobs[i].threaded)
			pthread_join(bf->jobs[i].tid, NULL);
	for (i = 0; i < bf->snaps.n && !fx_interrupted; i++)
		if (bf->jobs[i].queued)
			apply_snap_job_do(&bf->jobs[i]);
	n = res->n < bf->p->n_changes ? res->n : bf->p->n_changes;
	for (i = 0; i < n; i++)
		apply_backfill_add(bf, i, &res->items[i], 0);
	qsort(bf->snaps.items, bf->snaps.n, sizeof(*bf->snaps.items), apply_snap_by_change);
	return bf->failed ? -1 : 0;
}

static void apply_backfills_release(struct apply_backfills *bf)
{
	fx_apply_snaps_release(&bf->snaps);
	free(bf->jobs);
	bf->jobs = NULL;
	pthread_mutex_destroy(&bf->lock);
	pthread_cond_destroy(&bf->room);
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
	struct apply_backfills bf = { .snaps = FX_APPLY_SNAPS_INIT, .lock = PTHREAD_MUTEX_INITIALIZER,
				      .room = PTHREAD_COND_INITIALIZER };
	struct apply_args a = {
		.wait_s = 120, .parallelism = APPLY_DEFAULT_PARALLELISM,
		.retry_budget_s = FX_NET_RETRY_BUDGET_S,
	};
	struct apply_progress pr = { .opts = opts, .lock = PTHREAD_MUTEX_INITIALIZER, .bf = &bf };
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
	if (apply_backfills_init(&bf, opts, &m, &p, &pr, a.no_snapshot, a.wait_s, a.parallelism) < 0) {
		fx_err_set(&err, 1, "out of memory");
		ret = fx_cmd_fail(&err);
		goto cleanup;
	}
	if (fx_apply_run(&p, &clients, &ao, &res, &err) < 0) {
		fx_apply_say(&stop.says, "%s", err.msg[0] ? err.msg : "failed");
		stop.code = err.code ? err.code : FX_EXIT_FAILURE;
		stop.status = err.code == FX_EXIT_REFUSED ? "refused" : "failed";
		stop.why = err.msg;
		ret = apply_report_stop(&run, &stop);
		goto cleanup;
	}
	if (apply_backfills_finish(&bf, &res) < 0) {
		fx_err_set(&err, 1, "out of memory");
		ret = fx_cmd_fail(&err);
		goto cleanup;
	}
	ret = apply_report_results(&run, &res, &bf.snaps);
	if (opts->verbose)
		for (i = 0; i < clients.n; i++)
			fx_notef(opts, "%lu requests to %s", fx_connect_client_requests(clients.items[i]),
				 fx_connect_client_url(clients.items[i]));
cleanup:
	apply_backfills_release(&bf);
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
