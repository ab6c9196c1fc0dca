/*
 * Checks about the Connect clusters (SPEC §4), from what was observed: pure,
 * no I/O.  connect.reachable (error: no answer; info: version), connect.auth
 * (error: a 401/403 answer, naming connect_auth), connect.plugin
 * (the connector class is installed), connect.connector_state (warning: a
 * connector the manifest wants is FAILED or PAUSED live: what this plan's
 * apply does about it, and the call that does the rest).  connect.validate needs a request per connector: plan_run.c.
 * Appends copies to out; lends from d and clusters.
 */
#ifndef FX_CONNECT_CHECKS_H
#define FX_CONNECT_CHECKS_H

#include "check.h"
#include "connect_json.h"
#include "desired.h"
#include "observed.h"
#include "plan.h"

/*
 * plan (may be NULL: no alters) tells connect.connector_state whether this
 * plan updates the connector (the update restarts it) or leaves it as it is.
 * 0, or -1 when out of memory.
 */
int fx_connect_checks(const struct fx_desired *d, const struct fx_observed_cluster *clusters,
		      size_t n, const struct fx_plan *plan, struct fx_checks *out);

/*
 * connect.validate: one error per key Connect's validation v found wrong in
 * connector c's config, each starting with the manifest place that set the key
 * (manifest_path:line:col: the `connector:` entry, else the pool the key is
 * derived from), observed = the value sent (no value for a secret).  0, or -1
 * when out of memory.
 */
int fx_connect_checks_validation(const struct fx_connector *c, const char *manifest_path,
				 const char *scope, const struct fx_connect_validation *v,
				 struct fx_checks *out);

/*
 * connect.auth_plaintext: a pool with connect_auth whose connect_url is plain
 * http:// to a host other than loopback sends its password readable on the
 * way (basic auth is base64, no secret): a warning with the way out.
 * 0, or -1 when out of memory.
 */
int fx_connect_checks_pool(const struct fx_kafka_pool *pool, struct fx_checks *out);

/*
 * Failures a restart alone does not cure, known by Debezium's or the
 * server's own words in a FAILED trace: why (static text) and the fluxacdc
 * command that cures it once the cause is dealt with ("restart
 * --reset-offsets": a new snapshot; "restart --failed").  0 when the trace
 * (may be NULL) is none of them.
 */
struct fx_trace_remedy {
	const char *why;
	const char *command;
};
int fx_connect_trace_remedy(const char *trace, struct fx_trace_remedy *out);

#endif
