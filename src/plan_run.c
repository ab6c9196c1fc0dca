#include "plan_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/rand.h>

#include "connect_checks.h"
#include "diff.h"
#include "mysql_inspect.h"
#include "offsets_checks.h"
#include "snapshot_kafka.h"
#include "util/alloc.h"
#include "util/buf.h"

void fx_plan_new_salt(char out[33])
{
	unsigned char r[16];
	static const char hex[] = "0123456789abcdef";
	size_t i;

	if (RAND_bytes(r, sizeof(r)) != 1) {
		FILE *f = fopen("/dev/urandom", "rb");

		if (!f || fread(r, 1, sizeof(r), f) != sizeof(r))
			memset(r, 0x5a, sizeof(r));
		if (f)
			fclose(f);
	}
	for (i = 0; i < sizeof(r); i++) {
		out[2 * i] = hex[r[i] >> 4];
		out[2 * i + 1] = hex[r[i] & 15];
	}
	out[32] = '\0';
}

/*
 * A pool whose flavor is still unknown (database checks skipped, or the
 * server unreachable) keeps the class its live connector has, so that not
 * knowing is never a connector.class change; with no live connector, mysql.
 */
static void run_flavor_from_live(const struct fx_manifest *m, const struct fx_observed_cluster *cl,
				 size_t n_cl, enum fx_flavor *flavors)
{
	size_t i, j;

	for (i = 0; i < m->n_mysql; i++) {
		char name[512];

		if (flavors[i] != FX_FLAVOR_AUTO || m->mysql[i].flavor != FX_FLAVOR_AUTO)
			continue;
		snprintf(name, sizeof(name), "fluxa_%s", m->mysql[i].code);
		for (j = 0; j < n_cl; j++) {
			const struct fx_observed_connector *o = fx_observed_find(&cl[j], name);
			const char *cls = o ? fx_config_get(&o->config, "connector.class") : NULL;

			if (cls && !strcmp(cls, FX_CLASS_MARIADB))
				flavors[i] = FX_FLAVOR_MARIADB;
			else if (cls && !strcmp(cls, FX_CLASS_MYSQL))
				flavors[i] = FX_FLAVOR_MYSQL;
			if (flavors[i] != FX_FLAVOR_AUTO)
				break;
		}
	}
}

/* connect.validate: Connect's own validation of each create/update. */
static int run_validate(const struct fx_plan *p, const struct fx_desired *d,
			const struct fx_connect_clients *cs, const struct fx_observed_cluster *cl,
			size_t n, struct fx_checks *checks, struct fx_err *err)
{
	size_t i, k;

	for (i = 0; i < p->n_changes; i++) {
		const struct fx_change *c = &p->changes[i];
		struct fx_connect_client *client;
		const struct fx_connector *dc = NULL;
		struct fx_connect_validation v = FX_CONNECT_VALIDATION_INIT;
		struct fx_err verr = FX_ERR_INIT;
		const char *cls = fx_config_get(&c->desired, "connector.class");
		char *scope;
		int skip = 0;

		if (c->action == FX_ACTION_DELETE || !cls)
			continue;
		for (k = 0; k < n; k++) /* no validation without the plugin */
			if (!strcmp(cl[k].connect_url, c->connect_url))
				skip = !cl[k].reachable || !fx_observed_plugin(&cl[k], cls);
		for (k = 0; k < d->n; k++)
			if (!strcmp(d->connectors[k].name, c->connector) && d->connectors[k].kafka->connect_url &&
			    !strcmp(d->connectors[k].kafka->connect_url, c->connect_url))
				dc = &d->connectors[k];
		client = fx_connect_clients_find(cs, c->connect_url);
		if (skip || !client || !dc)
			continue;
		scope = fx_asprintf("connect:%s", c->kafka_pool ? c->kafka_pool : c->connect_url);
		if (!scope)
			return fx_err_set(err, 1, "out of memory");
		if (fx_connect_validate(client, cls, c->connector, &c->desired, &v, &verr) < 0) {
			if (verr.code == 130) {
				free(scope);
				*err = verr;
				return -1;
			}
			fx_checks_add(checks, FX_CHECK_WARNING, "connect.validate", scope, NULL, NULL,
				      "rerun with a larger --timeout, or skip with --no-server-validate",
				      "%s: server-side validation did not answer: %s", c->connector, verr.msg);
		}
		if (fx_connect_checks_validation(dc, p->manifest_path, scope, &v, checks) < 0) {
			fx_connect_validation_release(&v);
			free(scope);
			return fx_err_set(err, 1, "out of memory");
		}
		fx_connect_validation_release(&v);
		free(scope);
	}
	return 0;
}

/*
 * kafka.signal_topic: for each update that adds tables apply will backfill,
 * the connector's signal topic must have one partition (Debezium reads
 * partition 0 only).  Asked of Kafka only then: a plan without a backfill
 * never needs the brokers.
 */
static int run_signal_topics(const struct fx_manifest *m, struct fx_plan *plan, long timeout_ms)
{
	size_t i, j;

	for (i = 0; i < plan->n_changes; i++) {
		const struct fx_change *c = &plan->changes[i];
		const char *topic = fx_config_get(&c->desired, "signal.kafka.topic");
		const char *db = fx_config_get(&c->desired, "database.include.list");
		const struct fx_kafka_pool *kp = c->kafka_pool ? fx_manifest_kafka(m, c->kafka_pool) : NULL;
		const struct fx_diff_item *d = NULL;
		struct fx_buf brokers = FX_BUF_INIT;
		struct fx_snap_kafka k = { 0 };
		struct fx_err err = FX_ERR_INIT;
		char **added = NULL, scope[300], obs[32];
		size_t n = 0;
		int parts = 0, rc = 0;

		for (j = 0; j < c->n_diff; j++)
			if (!strcmp(c->diff[j].key, "table.include.list"))
				d = &c->diff[j];
		if (c->action != FX_ACTION_UPDATE || !topic || !db || !kp || !d || !d->after)
			continue;
		if (fx_snapshot_added_tables(d->before ? d->before : "", d->after, db, &added, &n) < 0)
			return -1;
		fx_snapshot_tables_free(added, n);
		if (!n)
			continue;
		snprintf(scope, sizeof(scope), "kafka:%s", kp->code);
		k.timeout_ms = (int)timeout_ms;
		for (j = 0; j < kp->n_brokers; j++)
			fx_buf_addf(&brokers, "%s%s", j ? "," : "", kp->brokers[j]);
		k.brokers = fx_buf_str(&brokers);
		k.config = kp->config;
		k.n_config = kp->n_config;
		if (fx_snapshot_kafka_partitions(&k, topic, &parts, &err) < 0)
			rc = fx_checks_add(&plan->checks, FX_CHECK_WARNING, "kafka.signal_topic", scope,
					   "unknown", "1 partition",
					   "check the kafka pool's brokers and config: (apply needs them to send the signal)",
					   "%s: could not ask Kafka about signal topic %s: %s", c->connector, topic,
					   err.msg);
		else if (parts == 0)
			rc = fx_checks_add(&plan->checks, FX_CHECK_INFO, "kafka.signal_topic", scope,
					   "absent", "1 partition", NULL,
					   "%s: signal topic %s does not exist yet: apply creates it with one partition",
					   c->connector, topic);
		else if (parts > 1) {
			snprintf(obs, sizeof(obs), "%d partitions", parts);
			rc = fx_checks_add(&plan->checks, FX_CHECK_ERROR, "kafka.signal_topic", scope,
					   obs, "1 partition",
					   "delete the topic and let apply create it, or create it with --partitions 1",
					   "%s: signal topic %s has %d partitions; Debezium reads partition 0 only, so a signal may never be seen",
					   c->connector, topic, parts);
		}
		fx_buf_release(&brokers);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/*
 * kafka.history_topic and connect.offsets: per Kafka pool, the history
 * topics of its connectors that have offsets and the offsets topic entries
 * of the connectors to create, read from its brokers (kafka_admin.c).
 */
static int run_kafka(const struct fx_manifest *m, const struct fx_desired *d,
		     const struct fx_observed_cluster *cl, size_t n_cl, struct fx_plan *plan,
		     const struct fx_net *net, struct fx_err *err)
{
	struct fx_kafka_facts *facts = fx_calloc(m->n_kafka + 1, sizeof(*facts));
	int *asked = fx_calloc(m->n_kafka + 1, sizeof(*asked));
	const char **topics = fx_calloc(d->n + 1, sizeof(*topics));
	const char **names = fx_calloc(d->n + 1, sizeof(*names));
	const char **servers = fx_calloc(d->n + 1, sizeof(*servers));
	size_t i, j, k;
	int ret = -1;

	if (!facts || !asked || !topics || !names || !servers) {
		fx_err_set(err, 1, "out of memory");
		goto cleanup;
	}
	for (k = 0; k < m->n_kafka; k++) {
		struct fx_kafka_ask ask = { .topics = topics, .connectors = names, .servers = servers };

		for (i = 0; i < d->n; i++) {
			const struct fx_connector *c = &d->connectors[i];
			const struct fx_observed_connector *o = NULL;
			int reachable = 0;

			if (c->kafka != &m->kafka[k] || !c->kafka->connect_url)
				continue;
			for (j = 0; j < n_cl; j++)
				if (!strcmp(cl[j].connect_url, c->kafka->connect_url)) {
					reachable = cl[j].reachable;
					o = fx_observed_find(&cl[j], c->name);
				}
			if (o && fx_offsets_phase(fx_offsets_of(o)) != FX_PHASE_NONE &&
			    fx_offsets_history_topic(o, c))
				topics[ask.n_topics++] = fx_offsets_history_topic(o, c);
			if (!o && reachable) {
				const char *prefix = fx_config_get(&c->config, "topic.prefix");

				names[ask.n_connectors] = c->name;
				servers[ask.n_connectors++] = prefix ? prefix : c->name;
			}
		}
		if (!ask.n_topics && !ask.n_connectors)
			continue;
		asked[k] = 1;
		if (fx_kafka_inspect(&m->kafka[k], net, &ask, &facts[k], err) < 0)
			goto cleanup;
	}
	for (i = 0; i < plan->n_changes; i++) { /* apply refuses these without a flag */
		struct fx_change *ch = &plan->changes[i];

		for (k = 0; ch->action == FX_ACTION_CREATE && k < m->n_kafka; k++)
			for (j = 0; j < facts[k].n_leftover; j++)
				if (facts[k].leftover[j].found && ch->kafka_pool &&
				    !strcmp(ch->kafka_pool, m->kafka[k].code) &&
				    !strcmp(facts[k].leftover[j].connector, ch->connector))
					ch->leftover_offsets = 1;
	}
	if (fx_kafka_offsets_checks(m, d, cl, n_cl, plan, facts, asked, &plan->checks) < 0) {
		fx_err_set(err, 1, "out of memory");
		goto cleanup;
	}
	ret = 0;
cleanup:
	for (k = 0; facts && k < m->n_kafka; k++)
		fx_kafka_facts_release(&facts[k]);
	free(facts);
	free(asked);
	free(topics);
	free(names);
	free(servers);
	return ret;
}

/* Each alter carries the version its cluster reported (apply_gate.h decides with it). */
static int run_versions(const struct fx_observed_cluster *cl, size_t n_cl, struct fx_plan *plan)
{
	size_t i, j;

	for (i = 0; i < plan->n_changes; i++) {
		struct fx_change *ch = &plan->changes[i];

		for (j = 0; j < n_cl && !ch->connect_version; j++)
			if (cl[j].version && !strcmp(cl[j].connect_url, ch->connect_url) &&
			    !(ch->connect_version = fx_strdup(cl[j].version)))
				return -1;
	}
	return 0;
}

int fx_plan_run(const struct fx_manifest *m, const struct fx_plan_run_opts *o,
		struct fx_plan *plan, struct fx_desired *desired, struct fx_connect_clients *clients,
		struct fx_err *err)
{
	struct fx_desired d = FX_DESIRED_INIT;
	struct fx_observed_cluster *cl = NULL;
	enum fx_flavor *flavors = NULL;
	struct fx_mysql_result *res = NULL;
	char salt[33];
	size_t i;
	int ret = -1;

	*plan = (struct fx_plan)FX_PLAN_INIT;
	plan->manifest_path = fx_strdup(m->path);
	if (!plan->manifest_path)
		return fx_err_set(err, 1, "out of memory");
	memcpy(plan->manifest_sha256, m->sha256, sizeof(plan->manifest_sha256));
	if (o->salt)
		snprintf(salt, sizeof(salt), "%s", o->salt);
	else
		fx_plan_new_salt(salt);

	if (fx_connect_clients_from_manifest(clients, m, o->net, &plan->checks, err) < 0)
		goto cleanup;
	cl = fx_calloc(clients->n ? clients->n : 1, sizeof(*cl));
	flavors = fx_calloc(m->n_mysql ? m->n_mysql : 1, sizeof(*flavors));
	res = fx_calloc(m->n_mysql ? m->n_mysql : 1, sizeof(*res));
	if (!cl || !flavors || !res) {
		fx_err_set(err, 1, "out of memory");
		goto cleanup;
	}
	if (o->skip_db_checks) {
		plan->db_checks_skipped = 1;
		for (i = 0; i < m->n_mysql; i++)
			flavors[i] = m->mysql[i].flavor;
	} else {
		struct fx_mysql_inspect_opts mo = FX_MYSQL_INSPECT_OPTS_INIT;

		mo.net = o->net;
		if (fx_mysql_inspect(m, &mo, res, flavors, &plan->checks, err) < 0)
			goto cleanup;
	}
	if (fx_connect_observe(clients, cl, err) < 0)
		goto cleanup;
	run_flavor_from_live(m, cl, clients->n, flavors);
	if (fx_desired_build(m, flavors, &d, err) < 0)
		goto cleanup;
	if (fx_diff_compute(&d, cl, clients->n, salt, plan, err) < 0)
		goto cleanup;
	if (run_versions(cl, clients->n, plan) < 0) {
		fx_err_set(err, 1, "out of memory");
		goto cleanup;
	}
	if (fx_connect_checks(&d, cl, clients->n, plan, &plan->checks) < 0 ||
	    fx_offsets_checks(m, &d, cl, clients->n, o->skip_db_checks ? NULL : res, plan,
			      (int64_t)time(NULL), &plan->checks) < 0) {
		fx_err_set(err, 1, "out of memory");
		goto cleanup;
	}
	for (i = 0; i < plan->n_changes; i++) { /* apply refuses these without --allow-resnapshot */
		struct fx_change *ch = &plan->changes[i];
		size_t j;

		for (j = 0; ch->action == FX_ACTION_UPDATE && j < clients->n; j++)
			if (!strcmp(cl[j].connect_url, ch->connect_url) &&
			    fx_offsets_phase(fx_offsets_of(fx_observed_find(&cl[j], ch->connector))) ==
			    FX_PHASE_SNAPSHOT)
				ch->mid_snapshot = 1;
	}
	if (o->server_validate && run_validate(plan, &d, clients, cl, clients->n, &plan->checks, err) < 0)
		goto cleanup;
	if (run_kafka(m, &d, cl, clients->n, plan, o->net, err) < 0)
		goto cleanup;
	if (!o->skip_db_checks && run_signal_topics(m, plan, fx_net_timeout_ms(o->net)) < 0) {
		fx_err_set(err, 1, "out of memory");
		goto cleanup;
	}
	fx_checks_sort(&plan->checks);
	ret = 0;
cleanup:
	for (i = 0; cl && i < clients->n; i++)
		fx_observed_cluster_release(&cl[i]);
	free(cl);
	free(flavors);
	fx_mysql_results_release(res, m->n_mysql);
	free(res);
	if (ret == 0 && desired)
		*desired = d;
	else
		fx_desired_release(&d);
	return ret;
}
