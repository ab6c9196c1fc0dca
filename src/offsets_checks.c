#include "offsets_checks.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connect_json.h"
#include "util/alloc.h"

#define OC_DAY_S 86400

const struct fx_binlog_offset *fx_offsets_of(const struct fx_observed_connector *o)
{
	const char *prefix;

	if (!o || !o->offsets_read)
		return NULL;
	prefix = fx_config_get(&o->config, "topic.prefix");
	return fx_offsets_find(&o->offsets, prefix ? prefix : o->name);
}

/* "3 h", "2 days": a rough duration for messages. */
static void oc_ago(int64_t s, char *out, size_t size)
{
	if (s < 0)
		s = 0;
	if (s < 120)
		snprintf(out, size, "%" PRId64 " s", s);
	else if (s < 2 * 3600)
		snprintf(out, size, "%" PRId64 " min", s / 60);
	else if (s < 2 * OC_DAY_S)
		snprintf(out, size, "%" PRId64 " h", s / 3600);
	else
		snprintf(out, size, "%" PRId64 " days", s / OC_DAY_S);
}

static const struct fx_change *oc_update(const struct fx_plan *p, const char *name,
					 const char *url)
{
	size_t i;

	for (i = 0; p && i < p->n_changes; i++)
		if (p->changes[i].action == FX_ACTION_UPDATE && !strcmp(p->changes[i].connector, name) &&
		    p->changes[i].connect_url && !strcmp(p->changes[i].connect_url, url))
			return &p->changes[i];
	return NULL;
}

/* mysql.binlog_position for one connector. */
static int oc_position(const struct fx_connector *c, const struct fx_binlog_offset *b,
		       const struct fx_mysql_result *r, int64_t now, struct fx_checks *out)
{
	const struct fx_binlog_state *s = &r->binlog;
	char scope[300], where[600], hint[1800], oldest[300];
	int64_t at;
	enum fx_binlog_verdict v = fx_binlog_position_verdict(s, b, r->retention_s, now, &at);

	snprintf(scope, sizeof(scope), "mysql:%s", c->mysql->code);
	if (b->file && b->has_pos)
		snprintf(where, sizeof(where), "%s:%" PRIu64, b->file, b->pos);
	else
		snprintf(where, sizeof(where), "%s", b->file ? b->file : b->gtids ? b->gtids : "?");
	snprintf(oldest, sizeof(oldest), "%s%s%s", s->n_files ? s->files[0].name : "none",
		 s->n_files > 1 ? " .. " : "", s->n_files > 1 ? s->files[s->n_files - 1].name : "");
	snprintf(hint, sizeof(hint),
		 "two ways out, both by fluxacdc restart %s --reset-offsets (stops it, deletes its "
		 "stored offsets, resumes it): as configured it starts over with a fresh snapshot; "
		 "with snapshot.mode: no_data among the pool's connector: keys it skips ahead to the "
		 "server's current position instead, and the changes in between are lost; keep "
		 "binlogs longer than a connector may stay down (binlog_expire_logs_seconds), and "
		 "set heartbeat.interval.ms so that a connector whose tables are idle still moves "
		 "its stored position along with the binlog", c->name);
	switch (v) {
	case FX_BINLOG_FILE_PURGED:
	case FX_BINLOG_GTID_PURGED: {
		char gtid[600] = "";

		if (b->gtids && s->gtid_mode)
			snprintf(gtid, sizeof(gtid), "; gtid_purged %s", s->gtid_purged ? s->gtid_purged : "?");
		else if (b->gtids && s->gtid_list_oldest)
			snprintf(gtid, sizeof(gtid), "; the oldest begins after GTID %s", s->gtid_list_oldest);
		return fx_checks_add(out, FX_CHECK_ERROR, "mysql.binlog_position", scope,
				     b->file ? b->file : b->gtids, oldest, hint,
				     "%s: its stored binlog position %s%s%s%s is no longer on the server "
				     "(binlogs now: %s%s): the connector cannot resume from it, a restart fails",
				     c->name, where, b->gtids ? " (GTID " : "", b->gtids ? b->gtids : "",
				     b->gtids ? ")" : "", oldest, gtid);
	}
	case FX_BINLOG_PURGE_SOON: {
		char in[64];

		oc_ago(at - now, in, sizeof(in));
		return fx_checks_add(out, FX_CHECK_WARNING, "mysql.binlog_position", scope, b->file,
				     NULL,
				     "resume the connector before then, or keep binlogs longer "
				     "(binlog_expire_logs_seconds)",
				     "%s: its stored binlog file %s may be purged %s%s (last event read "
				     "at %" PRId64 ", retention %" PRId64 " s)",
				     c->name, b->file, at <= now ? "any time now" : "in ",
				     at <= now ? "" : in, b->ts_sec, r->retention_s);
	}
	default:
		return 0;
	}
}

int fx_offsets_checks(const struct fx_manifest *m, const struct fx_desired *d,
		      const struct fx_observed_cluster *cl, size_t n_cl,
		      const struct fx_mysql_result *res, const struct fx_plan *plan, int64_t now,
		      struct fx_checks *out)
{
	size_t i, j;
	int bad = 0;

	for (i = 0; i < n_cl; i++) {
		char scope[300];
		int wanted = 0;

		snprintf(scope, sizeof(scope), "connect:%s",
			 cl[i].kafka_pool ? cl[i].kafka_pool : cl[i].connect_url);
		for (j = 0; j < d->n; j++)
			wanted |= d->connectors[j].kafka->connect_url &&
				  !strcmp(d->connectors[j].kafka->connect_url, cl[i].connect_url);
		if (!cl[i].reachable || !wanted)
			continue;
		if (!cl[i].offsets_supported) {
			bad |= fx_checks_add(out, FX_CHECK_INFO, "connect.offsets", scope, cl[i].version,
					     ">= 3.5", "upgrade Kafka Connect to 3.5 or later",
					     "Kafka Connect %s does not show stored offsets (GET "
					     "/connectors/{name}/offsets needs 3.5): binlog positions and "
					     "snapshot progress are not checked",
					     cl[i].version ? cl[i].version : "?");
			continue;
		}
		for (j = 0; j < d->n; j++) {
			const struct fx_connector *c = &d->connectors[j];
			const struct fx_observed_connector *o;
			const struct fx_binlog_offset *b;
			const struct fx_change *upd;
			size_t idx;

			if (!c->kafka->connect_url || strcmp(c->kafka->connect_url, cl[i].connect_url))
				continue;
			o = fx_observed_find(&cl[i], c->name);
			if (!o)
				continue;
			if (o->offsets_error) {
				bad |= fx_checks_add(out, FX_CHECK_WARNING, "connect.offsets", scope, NULL,
						     NULL, "rerun plan; with -v each request is shown",
						     "%s: stored offsets not read: %s", c->name,
						     o->offsets_error);
				continue;
			}
			b = fx_offsets_of(o);
			if (!b)
				continue;
			upd = oc_update(plan, c->name, cl[i].connect_url);
			if (upd && fx_offsets_phase(b) == FX_PHASE_SNAPSHOT) {
				char ago[64];

				oc_ago(b->ts_sec ? now - b->ts_sec : 0, ago, sizeof(ago));
				bad |= fx_checks_add(out, FX_CHECK_WARNING, "connect.snapshot", scope,
						     "snapshot", "streaming",
						     "apply it once the snapshot is done (fluxacdc status shows "
						     "the phase), or with --allow-resnapshot to start over now",
						     "%s is still in its initial snapshot (started %s ago, at "
						     "binlog %s): the update restarts it and the snapshot starts "
						     "over from the first row", c->name, ago,
						     b->file ? b->file : "?");
			}
			idx = (size_t)(c->mysql - m->mysql);
			/* a snapshot in progress starts over at a new position: nothing to lose */
			if (!res || idx >= m->n_mysql || !res[idx].inspected || !res[idx].reachable ||
			    fx_offsets_phase(b) != FX_PHASE_STREAMING)
				continue;
			bad |= oc_position(c, b, &res[idx], now, out);
		}
	}
	return bad ? -1 : 0;
}

void fx_position_view(const struct fx_observed_connector *o, const struct fx_mysql_result *r,
		      int64_t now, struct fx_position_view *out)
{
	memset(out, 0, sizeof(*out));
	if (!o || !o->offsets_read)
		return;
	out->read = 1;
	out->b = fx_offsets_of(o);
	out->phase = fx_offsets_phase(out->b);
	if (!out->b || !r || !r->inspected || !r->reachable)
		return;
	if (out->phase == FX_PHASE_STREAMING)
		out->verdict = fx_binlog_position_verdict(&r->binlog, out->b, r->retention_s, now, NULL);
	out->have_lag = fx_binlog_lag(&r->binlog, out->b, &out->lag_bytes, &out->lag_files) == 0;
}

#define OC_HISTORY_KEY "schema.history.internal.kafka.topic"

const char *fx_offsets_history_topic(const struct fx_observed_connector *o,
				     const struct fx_connector *c)
{
	const char *t = o ? fx_config_get(&o->config, OC_HISTORY_KEY) : NULL;

	return t ? t : c ? fx_config_get(&c->config, OC_HISTORY_KEY) : NULL;
}

static const struct fx_kafka_topic_facts *oc_topic(const struct fx_kafka_facts *f, const char *name)
{
	size_t i;

	for (i = 0; name && i < f->n_topics; i++)
		if (!strcmp(f->topics[i].name, name))
			return &f->topics[i];
	return NULL;
}

static const struct fx_kafka_leftover *oc_leftover(const struct fx_kafka_facts *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->n_leftover; i++)
		if (!strcmp(f->leftover[i].connector, name))
			return &f->leftover[i];
	return NULL;
}

/* A retention that is not unlimited ("-1"), or NULL. */
/*
 * A retention that expires records: not -1, and not Long.MAX_VALUE (what
 * Debezium itself sets on the history topic it creates, retention.ms
 * 9223372036854775807: Kafka never deletes by it).
 */
static int oc_limited(const char *v)
{
	char *end;
	long long n;

	if (!v || !strcmp(v, "-1"))
		return 0;
	errno = 0;
	n = strtoll(v, &end, 10);
	if (end != v && !*end && (n == LLONG_MAX || errno == ERANGE) && n > 0)
		return 0;
	return 1;
}

static int oc_history(const struct fx_connector *c, const struct fx_observed_connector *o,
		      const struct fx_kafka_facts *f, const char *scope, struct fx_checks *out)
{
	const char *name = fx_offsets_history_topic(o, c);
	const struct fx_kafka_topic_facts *t = oc_topic(f, name);
	char obs[64];
	int bad = 0;

	if (!t)
		return 0;
	if (!t->exists)
		return fx_checks_add(out, FX_CHECK_ERROR, "kafka.history_topic", scope, "missing", name,
				     "start it over with a new snapshot, which writes the history anew: "
				     "fluxacdc restart --reset-offsets (or restore the topic)",
				     "%s has stored offsets but its schema history topic %s is missing: "
				     "Debezium fails at start (\"The db history topic is missing\")",
				     c->name, name);
	if (t->partitions != 1) {
		snprintf(obs, sizeof(obs), "%d partitions", t->partitions);
		bad |= fx_checks_add(out, FX_CHECK_WARNING, "kafka.history_topic", scope, obs,
				     "1 partition",
				     "recreate it with one partition (Debezium creates it so when it is absent)",
				     "%s: schema history topic %s has %d partitions: Debezium needs the "
				     "history in order", c->name, name, t->partitions);
	}
	if (oc_limited(t->retention_ms) || oc_limited(t->retention_bytes)) {
		snprintf(obs, sizeof(obs), "retention.ms %s, retention.bytes %s",
			 t->retention_ms ? t->retention_ms : "?", t->retention_bytes ? t->retention_bytes : "?");
		bad |= fx_checks_add(out, FX_CHECK_WARNING, "kafka.history_topic", scope, obs,
				     "retention.ms -1, retention.bytes -1",
				     "kafka-configs --alter --entity-type topics --entity-name <topic> "
				     "--add-config retention.ms=-1,retention.bytes=-1",
				     "%s: schema history topic %s expires records: once the oldest DDL is "
				     "gone, a restart cannot rebuild the table schemas", c->name, name);
	}
	return bad;
}

int fx_kafka_offsets_checks(const struct fx_manifest *m, const struct fx_desired *d,
			    const struct fx_observed_cluster *cl, size_t n_cl,
			    const struct fx_plan *plan, const struct fx_kafka_facts *facts,
			    const int *asked, struct fx_checks *out)
{
	size_t i, j, k;
	int bad = 0;

	for (k = 0; k < m->n_kafka; k++) {
		const struct fx_kafka_facts *f = &facts[k];
		char scope[300];

		if (!asked[k])
			continue;
		snprintf(scope, sizeof(scope), "kafka:%s", m->kafka[k].code);
		if (!f->reachable) {
			bad |= fx_checks_add(out, FX_CHECK_WARNING, "kafka.history_topic", scope,
					     "unreachable", NULL,
					     "check the kafka pool's brokers and config:",
					     "history topics and leftover offsets not checked: %s",
					     f->error ? f->error : "the brokers did not answer");
			continue;
		}
		for (i = 0; i < d->n; i++) {
			const struct fx_connector *c = &d->connectors[i];
			const struct fx_observed_connector *o = NULL;
			const struct fx_kafka_leftover *l;
			const struct fx_observed_cluster *at = NULL;

			if (c->kafka != &m->kafka[k])
				continue;
			for (j = 0; j < n_cl && !o; j++)
				if (c->kafka->connect_url && !strcmp(cl[j].connect_url, c->kafka->connect_url)) {
					at = &cl[j];
					o = fx_observed_find(&cl[j], c->name);
				}
			if (o && fx_offsets_phase(fx_offsets_of(o)) != FX_PHASE_NONE)
				bad |= oc_history(c, o, f, scope, out);
			l = o ? NULL : oc_leftover(f, c->name);
			if (l && l->found) {
				const struct fx_binlog_offset *b = fx_offsets_find(&l->offsets, l->server);
				char where[600], hint[1024];

				snprintf(where, sizeof(where), "%s%s%" PRIu64 "%s%s", b && b->file ? b->file : "?",
					 ":", b ? b->pos : 0, b && b->gtids ? ", GTID " : "",
					 b && b->gtids ? b->gtids : "");
				/* --reset-offsets creates it STOPPED: initial_state, Connect 3.7 (apply_gate.h) */
				if (!at || fx_connect_version_at_least(at->version, 3, 7) == 1)
					snprintf(hint, sizeof(hint), "%s",
						 "apply --reset-offsets creates it STOPPED, deletes them and "
						 "resumes it: a fresh snapshot; apply --keep-offsets resumes "
						 "from them; without either apply refuses (exit 3)");
				else
					snprintf(hint, sizeof(hint),
						 "apply --reset-offsets needs Kafka Connect 3.7 (a create with "
						 "initial_state STOPPED) and %.200s runs %.40s: apply refuses it "
						 "(exit 3); apply --keep-offsets resumes from them; for a fresh "
						 "snapshot delete them first (a tombstone for their key in %.200s) "
						 "or upgrade Connect",
						 at->connect_url, at->version ? at->version : "an unknown version",
						 l->topic ? l->topic : "the offsets topic");
				bad |= fx_checks_add(out, FX_CHECK_WARNING, "connect.offsets", scope, where, "none",
						     hint,
						     "%s is to be created, but Kafka Connect still holds offsets "
						     "for that name (binlog %s, in topic %s, from a connector "
						     "deleted earlier): created as is it resumes from there, "
						     "without a snapshot", c->name, where, l->topic ? l->topic : "?");
			}
		}
	}
	(void)plan;
	return bad ? -1 : 0;
}
