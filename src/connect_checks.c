#include "connect_checks.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diff.h"
#include "secret.h"
#include "util/alloc.h"
#include "util/str.h"

static char *checks_scope(const struct fx_observed_cluster *cl)
{
	return fx_asprintf("connect:%s", cl->kafka_pool ? cl->kafka_pool : cl->connect_url);
}

/* True when a desired connector lives on the cluster at url. */
static int checks_wanted(const struct fx_desired *d, const char *url)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (d->connectors[i].kafka->connect_url && !strcmp(d->connectors[i].kafka->connect_url, url))
			return 1;
	return 0;
}

/* connect.reachable and connect.plugin for each cluster and desired connector. */
static int checks_cluster(const struct fx_desired *d, const struct fx_observed_cluster *cl,
			      size_t n, struct fx_checks *checks)
{
	size_t i, j;
	int bad = 0;

	for (i = 0; i < n; i++) {
		char *scope = checks_scope(&cl[i]);

		if (!scope)
			return -1;
		if (!cl[i].reachable && cl[i].auth_failed)
			/* it answered: not a network problem, the credentials are */
			bad |= fx_checks_add(checks, checks_wanted(d, cl[i].connect_url) ?
					     FX_CHECK_ERROR : FX_CHECK_WARNING, "connect.auth", scope,
					     "refused", "authorized",
					     "set connect_auth: {username: ..., password: \"${CONNECT_PASSWORD}\"} on the kafka pool, with a user Kafka Connect's REST authentication accepts",
					     "Kafka Connect at %s refused our credentials: %s", cl[i].connect_url,
					     cl[i].error ? cl[i].error : "401");
		else if (!cl[i].reachable && checks_wanted(d, cl[i].connect_url))
			bad |= fx_checks_add(checks, FX_CHECK_ERROR, "connect.reachable", scope,
					     "unreachable", "reachable",
					     "check connect_url, the network path from here, and that the Connect worker runs (GET / must answer)",
					     "Kafka Connect at %s: %s", cl[i].connect_url,
					     cl[i].error ? cl[i].error : "unreachable");
		else if (!cl[i].reachable)
			/* nothing is wanted there: only its orphans are unknown, no reason to
			 * block the clusters that are */
			bad |= fx_checks_add(checks, FX_CHECK_WARNING, "connect.reachable", scope,
					     "unreachable", "reachable",
					     "no entity is captured on this pool: managed connectors left there are not seen (and not deleted) until it answers",
					     "Kafka Connect at %s: %s", cl[i].connect_url,
					     cl[i].error ? cl[i].error : "unreachable");
		else {
			/* the versions in use, named where an operator looks first */
			char *dbz = fx_observed_debezium_versions(&cl[i]);

			bad |= fx_checks_add(checks, FX_CHECK_INFO, "connect.reachable", scope,
					     cl[i].version, NULL, NULL,
					     "Kafka Connect %s at %s (Kafka cluster %s), %zu connector%s; Debezium plugins: %s",
					     cl[i].version ? cl[i].version : "?", cl[i].connect_url,
					     cl[i].kafka_cluster_id ? cl[i].kafka_cluster_id : "?",
					     cl[i].n_connectors, cl[i].n_connectors == 1 ? "" : "s",
					     dbz ? dbz : "none");
			free(dbz);
		}
		for (j = 0; cl[i].reachable && j < d->n; j++) {
			const struct fx_connector *c = &d->connectors[j];
			const char *cls = fx_config_get(&c->config, "connector.class");
			const struct fx_plugin *pl;
			size_t k;
			int seen = 0;

			if (!c->kafka->connect_url || strcmp(c->kafka->connect_url, cl[i].connect_url) || !cls)
				continue;
			for (k = 0; k < j; k++) /* one check per class and cluster */
				seen |= d->connectors[k].kafka->connect_url &&
					!strcmp(d->connectors[k].kafka->connect_url, cl[i].connect_url) &&
					!strcmp(fx_config_get(&d->connectors[k].config, "connector.class"), cls);
			if (seen)
				continue;
			pl = fx_observed_plugin(&cl[i], cls);
			if (pl)
				bad |= fx_checks_add(checks, FX_CHECK_INFO, "connect.plugin", scope,
						     pl->version, NULL, NULL, "%s %s is installed", cls,
						     pl->version ? pl->version : "");
			else
				bad |= fx_checks_add(checks, FX_CHECK_ERROR, "connect.plugin", scope,
						     "missing", cls,
						     "install the Debezium connector plugin on every worker's plugin.path and restart the workers",
						     "connector class %s is not installed on %s (needed by %s)",
						     cls, cl[i].connect_url, c->name);
		}
		free(scope);
	}
	return bad ? -1 : 0;
}

/* True when plan updates connector name on cluster url. */
static int checks_updated(const struct fx_plan *plan, const char *url, const char *name)
{
	size_t i;

	for (i = 0; plan && i < plan->n_changes; i++)
		if (plan->changes[i].action == FX_ACTION_UPDATE && !strcmp(plan->changes[i].connector, name) &&
		    plan->changes[i].connect_url && !strcmp(plan->changes[i].connect_url, url))
			return 1;
	return 0;
}

/*
 * connect.connector_state: a managed connector the manifest wants that is
 * FAILED or PAUSED live.  What apply does about it depends on the plan: an
 * update rewrites the config, which restarts the connector and its tasks (a
 * PAUSED one stays PAUSED); with no alter nothing is sent, so nothing restarts
 * it.  The message says which, the hint gives the command for the rest
 * (fluxacdc restart; Connect's resume call for a PAUSED one).
 */
static int checks_state(const struct fx_desired *d, const struct fx_observed_cluster *cl,
			size_t n, const struct fx_plan *plan, struct fx_checks *checks)
{
	size_t i, j, t;
	int bad = 0;

	for (i = 0; i < n; i++) {
		for (j = 0; cl[i].reachable && j < d->n; j++) {
			const struct fx_connector *c = &d->connectors[j];
			const struct fx_observed_connector *o;
			const char *state, *failed_task = NULL, *what;
			char *scope, hint[600];
			int paused, updated;

			if (!c->kafka->connect_url || strcmp(c->kafka->connect_url, cl[i].connect_url))
				continue;
			o = fx_observed_find(&cl[i], c->name);
			if (!o)
				continue;
			for (t = 0; t < o->n_tasks; t++)
				if (o->tasks[t].state && !strcmp(o->tasks[t].state, "FAILED"))
					failed_task = "FAILED";
			state = o->state && (!strcmp(o->state, "FAILED") || !strcmp(o->state, "PAUSED")) ?
				o->state : failed_task;
			if (!state)
				continue;
			paused = !strcmp(state, "PAUSED");
			updated = checks_updated(plan, cl[i].connect_url, c->name);
			scope = checks_scope(&cl[i]);
			if (!scope)
				return -1;
			if (paused) {
				what = updated ? "this plan updates its config and apply leaves it PAUSED" :
						 "this plan has no change for it and apply does not resume it";
				snprintf(hint, sizeof(hint), "resume it: curl -X PUT %s/connectors/%s/resume",
					 cl[i].connect_url, c->name);
			} else if (updated) {
				what = "the update in this plan restarts it and its tasks with the new config";
				snprintf(hint, sizeof(hint), "apply waits for RUNNING and shows the trace if it fails again; 'fluxacdc status' shows the current trace");
			} else {
				const char *trace = NULL;
				struct fx_trace_remedy rem;

				what = "this plan has no change for it and apply does not restart it";
				fx_observed_run_verdict(o, &trace);
				if (fx_connect_trace_remedy(trace, &rem))
					snprintf(hint, sizeof(hint), "%s: fluxacdc %s %s", rem.why, rem.command,
						 c->name);
				else
					snprintf(hint, sizeof(hint), "see 'fluxacdc status' for the trace; after fixing the cause: fluxacdc restart --failed %s",
						 c->name);
			}
			bad |= fx_checks_add(checks, FX_CHECK_WARNING, "connect.connector_state", scope, state,
					     "RUNNING", hint, "%s is %s%s on %s; %s", c->name,
					     o->state ? o->state : "?",
					     failed_task && (!o->state || strcmp(o->state, "FAILED")) ? " (a task FAILED)" : "",
					     cl[i].connect_url, what);
			free(scope);
		}
	}
	return bad ? -1 : 0;
}

/* What a FAILED trace says that a restart alone does not cure (fx_connect_trace_remedy). */
static const struct {
	const char *needle;
	struct fx_trace_remedy remedy;
} checks_remedies[] = {
	/* Debezium: stored offsets without a binlog file (a task killed around its
	 * first offset commit, a name re-created over other offsets) */
	{ "Source offset 'file' parameter is missing",
	  { "its stored offsets hold no binlog position Debezium can start from, so a restart fails the same way; a new snapshot from the current position",
	    "restart --reset-offsets" } },
	/* Debezium: the stored binlog file was purged (see mysql.binlog_position) */
	{ "no longer available on the server",
	  { "the binlog position it stored was purged from the server (mysql.binlog_position), so a restart fails the same way; a new snapshot from the current position",
	    "restart --reset-offsets" } },
	/* MariaDB error 1236: the stored GTID is older than every binlog */
	{ "Could not find GTID state requested by slave",
	  { "the GTID position it stored was purged from the server (mysql.binlog_position), so a restart fails the same way; a new snapshot from the current position",
	    "restart --reset-offsets" } },
	{ "Access denied for user",
	  { "the database refused its login: fix the user's password or grants in the manifest or the server, then",
	    "restart --failed" } },
};

int fx_connect_trace_remedy(const char *trace, struct fx_trace_remedy *out)
{
	size_t i;

	for (i = 0; trace && i < sizeof(checks_remedies) / sizeof(checks_remedies[0]); i++)
		if (strstr(trace, checks_remedies[i].needle)) {
			*out = checks_remedies[i].remedy;
			return 1;
		}
	return 0;
}

/* The host part of an http(s) URL, into host (lowercased, no brackets). */
static void checks_url_host(const char *url, char *host, size_t size)
{
	const char *h = strstr(url, "://"), *end;
	size_t n, i;

	h = h ? h + 3 : url;
	if (*h == '[') {
		h++;
		end = strchr(h, ']');
	} else {
		end = h + strcspn(h, ":/?#");
	}
	n = end ? (size_t)(end - h) : strlen(h);
	if (n >= size)
		n = size - 1;
	for (i = 0; i < n; i++)
		host[i] = (char)tolower((unsigned char)h[i]);
	host[n] = '\0';
}

static int checks_loopback(const char *host)
{
	return !strcmp(host, "localhost") || !strcmp(host, "::1") ||
	       (!strncmp(host, "127.", 4) && host[strspn(host, "0123456789.")] == '\0');
}

int fx_connect_checks_pool(const struct fx_kafka_pool *pool, struct fx_checks *out)
{
	char host[256], scope[300], hint[400];

	if (!pool->auth_user || !pool->connect_url || strncasecmp(pool->connect_url, "http://", 7))
		return 0;
	checks_url_host(pool->connect_url, host, sizeof(host));
	if (checks_loopback(host))
		return 0;
	snprintf(scope, sizeof(scope), "connect:%s", pool->code);
	snprintf(hint, sizeof(hint), "give kafka pool '%s' an https:// connect_url (connect_tls.ca_file for a private CA), or reach Connect through a tunnel to localhost",
		 pool->code);
	return fx_checks_add(out, FX_CHECK_WARNING, "connect.auth_plaintext", scope, "http://",
			     "https://",
			     hint, "connect_auth sends the password of '%s' unencrypted to %s (HTTP basic auth over plain http://: anyone on the way can read it)",
			     pool->auth_user, host) < 0 ? -1 : 0;
}

/* Keys fluxacdc derives from the Kafka pool rather than the MySQL pool. */
static int checks_kafka_key(const char *key)
{
	return !strncmp(key, "schema.history.internal.kafka.", 30) || strstr(key, "bootstrap.servers");
}

int fx_connect_checks_validation(const struct fx_connector *c, const char *manifest_path,
				 const char *scope, const struct fx_connect_validation *v,
				 struct fx_checks *out)
{
	size_t j;
	int bad = 0;

	for (j = 0; j < v->n; j++) {
		const char *key = v->items[j].key;
		const char *value = fx_config_get(&c->config, key);
		struct fx_pos pos = fx_desired_key_pos(c, key);
		int kafka = !pos.line && checks_kafka_key(key);
		char hint[600];

		if (pos.line)
			snprintf(hint, sizeof(hint), "fix the value of '%s' at this line", key);
		else if (kafka)
			snprintf(hint, sizeof(hint), "fix kafka pool '%s' (brokers or connect_bootstrap_servers), or set '%s' under the mysql pool's connector:",
				 c->kafka->code, key);
		else
			snprintf(hint, sizeof(hint), "fix mysql pool '%s' (its dsn or host/port/user/database, connect_host/connect_port), or set '%s' under its connector:",
				 c->mysql->code, key);
		if (!pos.line)
			pos = kafka ? c->kafka->pos : c->mysql->pos;
		if (value && fx_secret_key_is_sensitive(key) && !strcmp(fx_secret_display(key, value), FX_SECRET_MASK))
			value = NULL;
		bad |= fx_checks_add(out, FX_CHECK_ERROR, "connect.validate", scope, value, NULL, hint,
				     "%s:%d:%d: connector '%s': key '%s': %s", manifest_path, pos.line,
				     pos.col, c->name, key, v->items[j].message);
	}
	return bad ? -1 : 0;
}

/* A port as Connect reads database.port: absent is 3306; -1 when not a number. */
static long checks_port(const char *v)
{
	uint64_t p;

	if (!v)
		return 3306;
	return fx_str_to_u64(v, 1, 65535, &p) < 0 ? -1 : (long)p;
}

/* True when the desired connector named name lives on the cluster at url. */
static int checks_is_desired(const struct fx_desired *d, const char *url, const char *name)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (d->connectors[i].kafka->connect_url && !strcmp(d->connectors[i].kafka->connect_url, url) &&
		    !strcmp(d->connectors[i].name, name))
			return 1;
	return 0;
}

/*
 * mysql.server_id_conflict against neighbours: every connector, managed or
 * not, on every observed cluster, that reads the same server (database.hostname
 * and database.port as Connect sees them) with the same database.server.id.
 * Desired connectors are left to the manifest's own rules (they take their
 * desired id at apply).
 */
static int checks_server_ids(const struct fx_desired *d, const struct fx_observed_cluster *cl,
			     size_t n, struct fx_checks *out)
{
	size_t i, j, k;
	int bad = 0;

	for (i = 0; i < d->n; i++) {
		const struct fx_connector *c = &d->connectors[i];
		const char *host = fx_config_get(&c->config, "database.hostname");
		const char *sid = fx_config_get(&c->config, "database.server.id");
		long port = checks_port(fx_config_get(&c->config, "database.port"));
		uint64_t id;

		if (!host || !*host || port < 0 || !sid || fx_str_to_u64(sid, 0, UINT32_MAX, &id) < 0)
			continue; /* a config-provider reference: unknown here */
		for (j = 0; j < n; j++) {
			if (!cl[j].reachable)
				continue;
			for (k = 0; k < cl[j].n_connectors; k++) {
				const struct fx_observed_connector *o = &cl[j].connectors[k];
				const char *oh = fx_config_get(&o->config, "database.hostname");
				const char *os = fx_config_get(&o->config, "database.server.id");
				uint64_t oid;
				char scope[300], obs[32], exp[400], hint[400];

				if (checks_is_desired(d, cl[j].connect_url, o->name) || !oh || !os ||
				    strcasecmp(oh, host) ||
				    checks_port(fx_config_get(&o->config, "database.port")) != port ||
				    fx_str_to_u64(os, 0, UINT32_MAX, &oid) < 0 || oid != id)
					continue;
				snprintf(scope, sizeof(scope), "mysql:%s", c->mysql->code);
				snprintf(obs, sizeof(obs), "%s", sid);
				snprintf(exp, sizeof(exp), "an id no other client of %s:%ld uses", host, port);
				snprintf(hint, sizeof(hint),
					 "set server_id: on mysql pool '%s' to an id no other connector or replica of %s:%ld uses (connector '%s' on %s%s has %s)",
					 c->mysql->code, host, port, o->name, cl[j].connect_url,
					 fx_diff_is_managed(o->name) ? "" : ", not managed by fluxacdc", os);
				bad |= fx_checks_add(out, FX_CHECK_ERROR, "mysql.server_id_conflict", scope,
						     obs, exp, hint,
						     "connector %s (Kafka pool '%s') would use database.server.id %s, the id of connector '%s' on %s that reads the same server %s:%ld: the server drops one of two binlog clients with the same id",
						     c->name, c->kafka->code, sid, o->name, cl[j].connect_url,
						     host, port);
			}
		}
	}
	return bad ? -1 : 0;
}

int fx_connect_checks(const struct fx_desired *d, const struct fx_observed_cluster *clusters,
		      size_t n, const struct fx_plan *plan, struct fx_checks *out)
{
	if (checks_cluster(d, clusters, n, out) < 0 || checks_state(d, clusters, n, plan, out) < 0 ||
	    checks_server_ids(d, clusters, n, out) < 0)
		return -1;
	return 0;
}
