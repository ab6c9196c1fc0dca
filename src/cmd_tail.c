/*
 * fluxacdc tail: consume and decode the change events of the manifest's
 * entities (SPEC §5).  Glue only: options, manifest -> topics, brokers and
 * librdkafka properties, then tail.c does the work.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "cmd_common.h"
#include "debezium.h"
#include "desired.h"
#include "mysql_inspect.h"
#include "tail.h"
#include "typed.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/duration.h"
#include "util/str.h"

enum {
	TAIL_TOPIC = 1, TAIL_GROUP, TAIL_COMMIT, TAIL_FROM, TAIL_SINCE, TAIL_LAST, TAIL_EXIT,
	TAIL_COUNT, TAIL_OP, TAIL_ID, TAIL_TOMBSTONES, TAIL_PROP, TAIL_UNBUFFERED, TAIL_THREADS,
	TAIL_RAW,
};

static const struct fx_optdef tail_optdefs[] = {
	{ .id = TAIL_TOPIC, .lname = "topic", .sname = 't', .has_arg = 1, .argname = "TOPIC",
	  .help = "tail this topic too (repeatable)" },
	{ .id = TAIL_GROUP, .lname = "group", .sname = 'G', .has_arg = 1, .argname = "NAME",
	  .help = "consume as the manifest's consumer group NAME, its topics" },
	{ .id = TAIL_COMMIT, .lname = "commit",
	  .help = "with --group: commit the offsets of what was printed" },
	{ .id = TAIL_FROM, .lname = "from", .sname = 'o', .has_arg = 1, .argname = "WHERE",
	  .help = "start at: beginning, end (default) or an offset" },
	{ .id = TAIL_SINCE, .lname = "since", .has_arg = 1, .argname = "WHEN",
	  .help = "start at a time: 10m, 2h, 2026-11-24T10:00:00Z" },
	{ .id = TAIL_LAST, .lname = "last", .sname = 'n', .has_arg = 1, .argname = "N",
	  .help = "start with the last N events of each partition" },
	{ .id = TAIL_EXIT, .lname = "exit", .sname = 'e',
	  .help = "stop at the end of the partitions as they were at start" },
	{ .id = TAIL_COUNT, .lname = "count", .sname = 'c', .has_arg = 1, .argname = "N",
	  .help = "stop after N printed events" },
	{ .id = TAIL_OP, .lname = "op", .has_arg = 1, .argname = "OPS",
	  .help = "only these operations: c,u,d,r,t,m (d includes tombstones)" },
	{ .id = TAIL_ID, .lname = "id", .has_arg = 1, .argname = "VALUE",
	  .help = "only the entity with this ID (composite: A=1,B=2)" },
	{ .id = TAIL_TOMBSTONES, .lname = "tombstones", .has_arg = 1, .argname = "show|hide",
	  .help = "show (default) or hide tombstones" },
	{ .id = TAIL_RAW, .lname = "raw",
	  .help = "values exactly as sent: no decoding of dates, decimals, JSON, BIT" },
	{ .id = TAIL_PROP, .lname = "property", .sname = 'X', .has_arg = 1, .argname = "PROP=VALUE",
	  .help = "librdkafka property, after the pool's config (repeatable)" },
	{ .id = TAIL_UNBUFFERED, .lname = "unbuffered", .sname = 'u',
	  .help = "flush after each event, not each batch" },
	{ .id = TAIL_THREADS, .lname = "threads", .has_arg = 1, .argname = "N",
	  .help = "decode threads (default: one per CPU)" },
	{ .id = 0 },
};

struct tail_args {
	const char **topics;
	size_t n_topics;
	const char **props; /* "k=v" from -X */
	size_t n_props;
	const char *group;
	int commit;
	const char *from, *since, *last;
	int exit_at_end;
	uint64_t count;
	unsigned op_mask;
	const char *id;
	int hide_tombstones;
	int raw;
	int unbuffered;
	int threads;
	size_t topics_alloc, props_alloc;
};

static int tail_push(const char ***arr, size_t *n, size_t *alloc, const char *s,
		     struct fx_err *err)
{
	if (fx_grow(arr, alloc, *n + 1, sizeof(**arr)) < 0)
		return fx_err_set(err, FX_EXIT_FAILURE, "out of memory");
	(*arr)[(*n)++] = s;
	return 0;
}

static int tail_opt(int id, const char *arg, void *ctx, struct fx_err *err)
{
	struct tail_args *a = ctx;
	uint64_t v;

	switch (id) {
	case TAIL_TOPIC:
		return tail_push(&a->topics, &a->n_topics, &a->topics_alloc, arg, err);
	case TAIL_PROP:
		if (!strchr(arg, '=') || arg[0] == '=')
			return fx_err_set(err, FX_EXIT_USAGE, "-X takes PROP=VALUE, not '%s'", arg);
		return tail_push(&a->props, &a->n_props, &a->props_alloc, arg, err);
	case TAIL_GROUP:
		a->group = arg;
		return 0;
	case TAIL_COMMIT:
		a->commit = 1;
		return 0;
	case TAIL_FROM:
		a->from = arg;
		return 0;
	case TAIL_SINCE:
		a->since = arg;
		return 0;
	case TAIL_LAST:
		a->last = arg;
		return 0;
	case TAIL_EXIT:
		a->exit_at_end = 1;
		return 0;
	case TAIL_COUNT:
		if (fx_str_to_u64(arg, 1, UINT64_MAX, &v) < 0)
			return fx_err_set(err, FX_EXIT_USAGE, "--count takes a positive number, not '%s'",
					  arg);
		a->count = v;
		return 0;
	case TAIL_OP:
		return fx_op_parse_mask(arg, &a->op_mask, err);
	case TAIL_ID:
		a->id = arg;
		return 0;
	case TAIL_TOMBSTONES:
		if (strcmp(arg, "show") && strcmp(arg, "hide"))
			return fx_err_set(err, FX_EXIT_USAGE, "--tombstones takes show or hide, not '%s'",
					  arg);
		a->hide_tombstones = arg[0] == 'h';
		return 0;
	case TAIL_UNBUFFERED:
		a->unbuffered = 1;
		return 0;
	case TAIL_RAW:
		a->raw = 1;
		return 0;
	case TAIL_THREADS:
		if (fx_str_to_u64(arg, 1, 64, &v) < 0)
			return fx_err_set(err, FX_EXIT_USAGE, "--threads takes 1 to 64, not '%s'", arg);
		a->threads = (int)v;
		return 0;
	}
	return fx_err_set(err, FX_EXIT_USAGE, "internal: unknown option %d", id);
}

/* --from, --since, -n: one of them, into o->start. */
static int tail_start(const struct tail_args *a, struct fx_tail_opts *o, struct fx_err *err)
{
	struct timeval now;
	uint64_t v;

	if (!!a->from + !!a->since + !!a->last > 1)
		return fx_err_set(err, FX_EXIT_USAGE, "tail: --from, --since and -n exclude each other");
	if (a->from) {
		if (!strcmp(a->from, "beginning")) {
			o->start = FX_TAIL_FROM_BEGINNING;
		} else if (!strcmp(a->from, "end")) {
			o->start = FX_TAIL_FROM_END;
		} else if (fx_str_to_u64(a->from, 0, INT64_MAX, &v) == 0) {
			o->start = FX_TAIL_FROM_OFFSET;
			o->start_value = (int64_t)v;
		} else {
			return fx_err_set(err, FX_EXIT_USAGE,
					  "--from takes beginning, end or an offset, not '%s'", a->from);
		}
	} else if (a->last) {
		if (fx_str_to_u64(a->last, 0, INT64_MAX, &v) < 0)
			return fx_err_set(err, FX_EXIT_USAGE, "-n takes a number of events, not '%s'",
					  a->last);
		o->start = FX_TAIL_FROM_LAST;
		o->start_value = (int64_t)v;
	} else if (a->since) {
		gettimeofday(&now, NULL);
		if (fx_time_parse_since(a->since, (int64_t)now.tv_sec * 1000 + now.tv_usec / 1000,
					&o->start_value, err) < 0)
			return -1;
		o->start = FX_TAIL_FROM_TIME;
	}
	return 0;
}

struct tail_plan {
	struct fx_tail_topic *topics;
	size_t n_topics;
	size_t alloc;
	char **owned; /* topic names made here */
	size_t n_owned;
	size_t owned_alloc;
	const struct fx_kafka_pool *kafka;
};

static void tail_plan_release(struct tail_plan *p)
{
	size_t i;

	for (i = 0; i < p->n_owned; i++)
		free(p->owned[i]);
	free(p->owned);
	free(p->topics);
	memset(p, 0, sizeof(*p));
}

/* Adds topic (entity may be NULL) once; records the Kafka pool it needs. */
static int tail_add(struct tail_plan *p, const char *topic, const char *entity,
		    const struct fx_kafka_pool *kafka, struct fx_err *err)
{
	size_t i;

	if (kafka && p->kafka && p->kafka != kafka)
		return fx_err_set(err, FX_EXIT_USAGE,
				  "tail: the topics are on two Kafka pools ('%s' and '%s'): tail one pool at a time",
				  p->kafka->code, kafka->code);
	if (kafka)
		p->kafka = kafka;
	for (i = 0; i < p->n_topics; i++)
		if (!strcmp(p->topics[i].topic, topic)) {
			if (!p->topics[i].entity)
				p->topics[i].entity = entity;
			return 0;
		}
	if (fx_grow(&p->topics, &p->alloc, p->n_topics + 1, sizeof(*p->topics)) < 0)
		return fx_err_set(err, FX_EXIT_FAILURE, "out of memory");
	p->topics[p->n_topics].topic = topic;
	p->topics[p->n_topics].entity = entity;
	p->topics[p->n_topics].types = NULL;
	p->n_topics++;
	return 0;
}

static int tail_add_entity(const struct fx_manifest *m, struct tail_plan *p,
			   const struct fx_entity *e, struct fx_err *err)
{
	char *topic = fx_manifest_topic(m, e);

	if (!topic || fx_grow(&p->owned, &p->owned_alloc, p->n_owned + 1, sizeof(*p->owned)) < 0) {
		free(topic);
		return fx_err_set(err, FX_EXIT_FAILURE, "out of memory");
	}
	p->owned[p->n_owned++] = topic;
	return tail_add(p, topic, e->name, fx_manifest_kafka(m, e->kafka_pool), err);
}

/* The captured entity named name, or a usage error with a suggestion. */
static const struct fx_entity *tail_entity(const struct fx_manifest *m, const char *name,
					   struct fx_err *err)
{
	const struct fx_entity *e = fx_manifest_entity(m, name);
	const char **names;
	const char *near;
	size_t i, n = 0;

	if (e && e->kafka_pool)
		return e;
	if (e) {
		fx_err_set(err, FX_EXIT_USAGE, "tail: entity '%s' is not captured (debezium is off)",
			   name);
		return NULL;
	}
	names = fx_calloc(m->n_entities + 1, sizeof(*names));
	for (i = 0; names && i < m->n_entities; i++)
		if (m->entities[i].kafka_pool)
			names[n++] = m->entities[i].name;
	near = names ? fx_str_suggest(name, names, n) : NULL;
	fx_err_set(err, FX_EXIT_USAGE, "tail: no entity '%s' in %s%s%s%s", name, m->path,
		   near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
	free(names);
	return NULL;
}

/* Manifest + arguments -> the topics, their entities and the Kafka pool. */
static int tail_resolve(const struct fx_manifest *m, const struct tail_args *a, char **names,
			size_t n_names, struct tail_plan *p, struct fx_err *err)
{
	size_t i, k;

	if (a->group) {
		const struct fx_consumer_group *g = fx_manifest_group(m, a->group);

		if (!g) {
			const char **cands = fx_calloc(m->n_groups + 1, sizeof(*cands));
			const char *near;

			for (i = 0; cands && i < m->n_groups; i++)
				cands[i] = m->groups[i].name;
			near = cands ? fx_str_suggest(a->group, cands, m->n_groups) : NULL;
			fx_err_set(err, FX_EXIT_USAGE, "tail: no consumer group '%s' in %s%s%s%s",
				   a->group, m->path, near ? " (did you mean '" : "",
				   near ? near : "", near ? "'?)" : "");
			free(cands);
			return -1;
		}
		if (n_names || a->n_topics)
			return fx_err_set(err, FX_EXIT_USAGE,
					  "tail: --group takes its topics from the manifest; drop the ENTITY and --topic arguments");
		p->kafka = fx_manifest_kafka(m, g->kafka);
		for (i = 0; i < g->n_entities; i++) {
			const struct fx_entity *e = tail_entity(m, g->entities[i], err);

			if (!e || tail_add_entity(m, p, e, err) < 0)
				return -1;
		}
		for (i = 0; i < g->n_topics; i++)
			if (tail_add(p, g->topics[i], NULL, NULL, err) < 0)
				return -1;
		return 0;
	}
	if (a->commit)
		return fx_err_set(err, FX_EXIT_USAGE, "tail: --commit needs --group");
	for (i = 0; i < n_names; i++) {
		const struct fx_entity *e = tail_entity(m, names[i], err);

		if (!e || tail_add_entity(m, p, e, err) < 0)
			return -1;
	}
	if (!n_names && !a->n_topics)
		for (i = 0; i < m->n_entities; i++)
			if (m->entities[i].kafka_pool &&
			    tail_add_entity(m, p, &m->entities[i], err) < 0)
				return -1;
	for (i = 0; i < a->n_topics; i++) {
		const char *entity = NULL;
		const struct fx_kafka_pool *kafka = NULL;

		/* a topic of a captured entity keeps its entity name */
		for (k = 0; k < m->n_entities && !entity; k++) {
			char *t = m->entities[k].kafka_pool ? fx_manifest_topic(m, &m->entities[k]) : NULL;

			if (t && !strcmp(t, a->topics[i])) {
				entity = m->entities[k].name;
				kafka = fx_manifest_kafka(m, m->entities[k].kafka_pool);
			}
			free(t);
		}
		if (tail_add(p, a->topics[i], entity, kafka, err) < 0)
			return -1;
	}
	if (!p->n_topics)
		return fx_err_set(err, FX_EXIT_USAGE,
				  "tail: no captured entity in %s; name a --topic", m->path);
	if (!p->kafka) {
		p->kafka = fx_manifest_kafka(m, m->default_kafka_pool ? m->default_kafka_pool : "default");
		if (!p->kafka && m->n_kafka == 1)
			p->kafka = &m->kafka[0];
		if (!p->kafka)
			return fx_err_set(err, FX_EXIT_USAGE,
					  "tail: which Kafka pool has these topics? Give an entity, or -X bootstrap.servers=...");
	}
	return 0;
}

/* The column types read per MySQL pool (index as in the manifest). */
struct tail_types {
	struct fx_typed_table **tables;
	size_t *n;
	size_t n_pools;
};

static void tail_types_release(struct tail_types *tt)
{
	size_t i;

	for (i = 0; i < tt->n_pools; i++)
		if (tt->tables)
			fx_typed_tables_free(tt->tables[i], tt->n[i]);
	free(tt->tables);
	free(tt->n);
	memset(tt, 0, sizeof(*tt));
}

/* The encodings the pool's connector is configured with (SPEC §3 and the manifest's keys). */
static void tail_modes(const struct fx_desired *d, const struct fx_mysql_pool *pool,
		       struct fx_typed_modes *modes)
{
	static const char *const keys[] = { "decimal.handling.mode", "time.precision.mode",
		"bigint.unsigned.handling.mode", "binary.handling.mode" };
	const struct fx_config *cfg = NULL;
	const char *v[4] = { NULL, NULL, NULL, NULL };
	size_t i;

	for (i = 0; d && i < d->n && !cfg; i++)
		if (d->connectors[i].mysql == pool)
			cfg = &d->connectors[i].config;
	for (i = 0; cfg && i < 4; i++)
		v[i] = fx_config_get(cfg, keys[i]);
	if (fx_typed_modes_set(modes, v[0], v[1], v[2], v[3]) < 0)
		fx_warnf("tail: mysql pool '%s': a connector setting fluxacdc does not know (%s=%s, %s=%s, %s=%s): such values are shown as sent",
			 pool->code, keys[0], v[0] ? v[0] : "precise", keys[1],
			 v[1] ? v[1] : "adaptive_time_microseconds", keys[2], v[2] ? v[2] : "long");
}

/*
 * Values as the database has them (SPEC §5): the column types of every tailed
 * entity's table, one query per MySQL pool, attached to its topic.  What
 * cannot be read is said once here; those values are shown as sent.
 */
static void tail_types_read(const struct fx_manifest *m, struct tail_plan *p,
			    const struct fx_opts *opts, struct tail_types *tt)
{
	struct fx_desired d = FX_DESIRED_INIT;
	struct fx_err err = FX_ERR_INIT;
	const char **tables = NULL;
	size_t *topic_of = NULL, i, k;
	int have_desired;

	tt->tables = fx_calloc(m->n_mysql + 1, sizeof(*tt->tables));
	tt->n = fx_calloc(m->n_mysql + 1, sizeof(*tt->n));
	tables = fx_calloc(p->n_topics + 1, sizeof(*tables));
	topic_of = fx_calloc(p->n_topics + 1, sizeof(*topic_of));
	if (!tt->tables || !tt->n || !tables || !topic_of) {
		fx_warnf("tail: out of memory: values are shown as sent");
		goto cleanup;
	}
	tt->n_pools = m->n_mysql;
	have_desired = fx_desired_build(m, NULL, &d, &err) == 0;
	for (i = 0; i < m->n_mysql; i++) {
		const struct fx_mysql_pool *pool = &m->mysql[i];
		struct fx_typed_modes modes = FX_TYPED_MODES_INIT;
		size_t n = 0;

		for (k = 0; k < p->n_topics; k++) {
			const struct fx_entity *e = p->topics[k].entity ?
				fx_manifest_entity(m, p->topics[k].entity) : NULL;

			if (e && e->kafka_pool && e->mysql_pool && !strcmp(e->mysql_pool, pool->code)) {
				tables[n] = e->table;
				topic_of[n++] = k;
			}
		}
		if (!n)
			continue;
		tail_modes(have_desired ? &d : NULL, pool, &modes);
		err = (struct fx_err)FX_ERR_INIT;
		if (fx_mysql_column_types(pool, tables, n, &modes, opts->timeout_s, &tt->tables[i],
					  &err) < 0) {
			fx_warnf("tail: cannot read the column types of mysql pool '%s': %s\n"
				 "hint: its tables' values are shown as sent (events with a schema are still decoded); --raw always shows them as sent",
				 pool->code, err.msg);
			continue;
		}
		tt->n[i] = n;
		for (k = 0; k < n; k++) {
			if (!tt->tables[i][k].n_cols) {
				fx_warnf("tail: mysql pool '%s': table '%s' shows no columns (missing, or no privilege on it): its values are shown as sent",
					 pool->code, tables[k]);
				continue;
			}
			p->topics[topic_of[k]].types = &tt->tables[i][k];
		}
	}
cleanup:
	fx_desired_release(&d);
	free(tables);
	free(topic_of);
}

/*
 * A topic that is no manifest entity's has no table to read types from:
 * said once per topic (not with -q), as an unreadable table is.
 */
static void tail_untyped_note(const struct tail_plan *p, const struct fx_opts *opts)
{
	size_t i;

	for (i = 0; i < p->n_topics; i++)
		if (!p->topics[i].entity)
			fx_notef(opts, "tail: topic '%s' is no manifest entity's: its column types are unknown, its values are shown as sent (events with a schema are still decoded)",
				 p->topics[i].topic);
}

static int cmd_tail_run(const struct fx_cmd *self, int argc, char **argv, struct fx_opts *opts)
{
	static const char *const formats[] = { "pretty", "json", NULL };
	struct fx_manifest m = FX_MANIFEST_INIT;
	struct fx_err err = FX_ERR_INIT;
	struct tail_args a;
	struct tail_plan plan;
	struct fx_tail_opts o;
	struct fx_net net;
	struct fx_tail_stats st = FX_TAIL_STATS_INIT;
	struct fx_tail_prop *props = NULL;
	struct fx_buf brokers = FX_BUF_INIT;
	struct tail_types types;
	char *props_mem = NULL;
	const char *format;
	size_t i, n = 0, mem = 0;
	int first, ret = 0;

	memset(&a, 0, sizeof(a));
	memset(&plan, 0, sizeof(plan));
	memset(&o, 0, sizeof(o));
	memset(&types, 0, sizeof(types));
	if (fx_cli_parse(argc, argv, self, tail_opt, &a, opts, &first, &err) < 0 ||
	    fx_cli_format(opts, formats, isatty(fileno(stdout)) ? "pretty" : "json", &format,
			  &err) < 0 ||
	    tail_start(&a, &o, &err) < 0) {
		ret = fx_cmd_fail(&err);
		goto cleanup;
	}
	ret = fx_cmd_load_manifest(opts, &m);
	if (ret)
		goto cleanup;
	if (tail_resolve(&m, &a, argv + first, (size_t)(argc - first), &plan, &err) < 0) {
		ret = fx_cmd_fail(&err);
		goto cleanup;
	}
	for (i = 0; i < plan.kafka->n_brokers; i++)
		fx_buf_addf(&brokers, "%s%s", i ? "," : "", plan.kafka->brokers[i]);
	/* the pool's config, then -X: later ones win */
	for (i = 0; i < a.n_props; i++)
		mem += strlen(a.props[i]) + 1;
	props = fx_calloc(plan.kafka->n_config + a.n_props + 1, sizeof(*props));
	props_mem = fx_malloc(mem + 1);
	if (!props || !props_mem || !fx_buf_ok(&brokers)) {
		fx_err_set(&err, FX_EXIT_FAILURE, "out of memory");
		ret = fx_cmd_fail(&err);
		goto cleanup;
	}
	for (i = 0; i < plan.kafka->n_config; i++, n++) {
		props[n].key = plan.kafka->config[i].key;
		props[n].value = plan.kafka->config[i].value;
	}
	for (i = 0, mem = 0; i < a.n_props; i++, n++) {
		char *kv = props_mem + mem;
		size_t len = strlen(a.props[i]);

		memcpy(kv, a.props[i], len + 1);
		mem += len + 1;
		*strchr(kv, '=') = '\0';
		props[n].key = kv;
		props[n].value = kv + strlen(kv) + 1;
		props[n].from_cli = 1;
	}
	o.brokers = fx_buf_str(&brokers);
	o.props = props;
	o.n_props = n;
	o.topics = plan.topics;
	o.n_topics = plan.n_topics;
	o.group = a.group;
	o.commit = a.commit;
	o.exit_at_end = a.exit_at_end;
	o.max_events = a.count;
	o.op_mask = a.op_mask;
	o.id = a.id;
	o.hide_tombstones = a.hide_tombstones;
	o.raw = a.raw;
	o.render.format = strcmp(format, "json") ? FX_EVENT_PRETTY : FX_EVENT_JSON;
	o.render.color = o.render.format == FX_EVENT_PRETTY && fx_cli_use_color(opts, stdout);
	o.unbuffered = a.unbuffered;
	o.workers = a.threads;
	fx_cmd_net(opts, &net);
	o.net = &net;
	o.verbose = opts->verbose;
	o.out = stdout;
	o.errs = stderr;
	if (!plan.kafka->n_brokers && !a.n_props) {
		fx_err_set(&err, FX_EXIT_MANIFEST, "tail: kafka pool '%s' has no brokers",
			   plan.kafka->code);
		ret = fx_cmd_fail(&err);
		goto cleanup;
	}
	if (!a.raw) {
		tail_types_read(&m, &plan, opts, &types);
		tail_untyped_note(&plan, opts);
	}
	if (a.group)
		fx_notef(opts, "tail: joining consumer group '%s' (its members rebalance)%s", a.group,
			 a.commit ? "" : "; offsets are not committed without --commit");
	/* whole batches per write; never a write per line unless --unbuffered */
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	fx_cli_catch_signals();
	if (fx_tail_run(&o, &st, &err) < 0) {
		ret = fx_cmd_fail(&err);
		goto cleanup;
	}
	if (st.bad)
		fx_warnf("tail: %" PRIu64 " record%s not a Debezium change event (skipped)", st.bad,
			 st.bad == 1 ? " was" : "s were");
	if (opts->verbose)
		fx_notef(opts, "tail: %" PRIu64 " records read, %" PRIu64 " printed, %" PRIu64
			 " filtered out, %" PRIu64 " not events%s", st.consumed, st.printed,
			 st.filtered, st.bad, st.interrupted ? " (interrupted)" : "");
cleanup:
	tail_types_release(&types);
	tail_plan_release(&plan);
	fx_manifest_release(&m);
	fx_buf_release(&brokers);
	free(props);
	free(props_mem);
	free(a.topics);
	free(a.props);
	return ret;
}

const struct fx_cmd fx_cmd_tail = {
	.name = "tail",
	.run = cmd_tail_run,
	.args = "[ENTITY...]",
	.summary = "Consume and decode the change events of the entities' topics.",
	.optdefs = tail_optdefs,
};
