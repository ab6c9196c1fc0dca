/*
 * Kafka Connect REST client (libcurl + jansson): observing clusters for plan
 * and status, config validation, and the careful writes of apply (SPEC §4).
 * The bodies are parsed by connect_json.c (pure); this file holds the I/O.
 *
 * One struct fx_connect_client per Connect cluster: one curl easy handle,
 * reused for every request to that cluster (keep-alive), and a request
 * counter.  Never prints: warnings go to the caller's fx_checks, each
 * request's log line to the caller's optional log callback.
 *
 * Ownership:
 *   - fx_connect_client_new gives a client the caller frees with
 *     fx_connect_client_free.  It copies what it needs from the pool; the
 *     struct fx_net (timeout, retry budget, interrupt, log) is lent and must
 *     outlive the client.
 *   - struct fx_connect_clients owns its clients (fx_connect_clients_release);
 *     fx_connect_clients_find lends one.
 *   - Every out struct (fx_observed_cluster, fx_observed_connector,
 *     fx_config, fx_connect_validation) is the caller's: it is released before
 *     being filled and must be released by the caller, also after -1.
 *   - Error messages never hold a secret: Connect's messages are redacted
 *     with every sensitive value of the config the call was given
 *     (fx_connect_redact) and password=...-like patterns.
 *
 * Errors: -1 with err->code 1 (network, HTTP, bad answer) or 130 (interrupted).
 * HTTP errors read "METHOD URL: HTTP 409: message".
 */
#ifndef FX_CONNECT_H
#define FX_CONNECT_H

#include <stddef.h>

#include "check.h"
#include "config.h"
#include "connect_json.h"
#include "manifest.h"
#include "net.h"
#include "observed.h"
#include "util/err.h"

struct fx_connect_client;

/*
 * A client for pool's connect_url, with its basic auth and TLS files.
 * connect_tls.insecure turns certificate checks off and adds a warning check
 * "connect.tls_insecure" to warnings (may be NULL).
 */
int fx_connect_client_new(const struct fx_kafka_pool *pool, const struct fx_net *net,
			  struct fx_connect_client **out, struct fx_checks *warnings,
			  struct fx_err *err);
void fx_connect_client_free(struct fx_connect_client *c);
/* The pool's connect_url as written in the manifest (lent). */
const char *fx_connect_client_url(const struct fx_connect_client *c);
/* The first manifest pool that named this URL (lent). */
const char *fx_connect_client_pool(const struct fx_connect_client *c);
/* HTTP requests made so far (retries included). */
unsigned long fx_connect_client_requests(const struct fx_connect_client *c);

/* One client per distinct Connect URL (trailing '/' ignored), in the order added. */
struct fx_connect_clients {
	struct fx_connect_client **items;
	size_t n;
};

#define FX_CONNECT_CLIENTS_INIT { .items = NULL, .n = 0 }

/* Adds a client for pool unless one for the same URL is there (pools without
 * connect_url are skipped). */
int fx_connect_clients_add(struct fx_connect_clients *cs, const struct fx_kafka_pool *pool,
			   const struct fx_net *net, struct fx_checks *warnings,
			   struct fx_err *err);
/* Every Kafka pool of the manifest that has a connect_url. */
int fx_connect_clients_from_manifest(struct fx_connect_clients *cs, const struct fx_manifest *m,
				     const struct fx_net *net,
				     struct fx_checks *warnings, struct fx_err *err);
struct fx_connect_client *fx_connect_clients_find(const struct fx_connect_clients *cs,
						  const char *connect_url);
void fx_connect_clients_release(struct fx_connect_clients *cs);

/*
 * Observes every cluster of cs at once (curl multi, at most 8 in flight):
 * GET /, GET /connector-plugins, GET /connectors?expand=info&expand=status,
 * then, all at once (at most 256 in flight), GET /connectors/{n}/offsets of
 * every managed connector on clusters whose version has it (3.5+:
 * offsets_supported); a failed offsets read is that connector's
 * offsets_error.  A 401/403 from GET / sets auth_failed.
 * out must have room for cs->n clusters, in the same order; each is filled
 * (connect_url, kafka_pool, requests always).  An unreachable or misbehaving
 * cluster gets reachable = 0 and error, and the others go on: that is still 0.
 * -1 only for OOM, a curl setup failure, or an interrupt (130).
 */
int fx_connect_observe(const struct fx_connect_clients *cs, struct fx_observed_cluster *out,
		       struct fx_err *err);
/* The same for one client, into one cluster. */
int fx_connect_observe_one(struct fx_connect_client *c, struct fx_observed_cluster *out,
			   struct fx_err *err);

/*
 * PUT /connector-plugins/{class}/config/validate with config (plus "name" =
 * name when the config has none).  out lists the keys with errors.  Not
 * retried; bounded by the timeout.
 */
int fx_connect_validate(struct fx_connect_client *c, const char *class_name, const char *name,
			const struct fx_config *config, struct fx_connect_validation *out,
			struct fx_err *err);

/* GET /connectors/{name}/status.  *found = 0 (and 0 returned) on 404. */
int fx_connect_get_status(struct fx_connect_client *c, const char *name,
			  struct fx_observed_connector *out, int *found, struct fx_err *err);
/* GET /connectors/{name}/config.  *found = 0 (and 0 returned) on 404. */
int fx_connect_get_config(struct fx_connect_client *c, const char *name, struct fx_config *out,
			  int *found, struct fx_err *err);

/*
 * The writes of apply, each with the retry policy of SPEC §4: 409/500
 * rebalance answers are retried with exponential backoff and jitter within
 * net->retry_budget_ms; after a timeout, a dropped connection or an
 * unknown outcome the connector is re-read before anything is sent again.
 * *noop (may be NULL) is set when nothing had to be written: create found the
 * same config already there, delete found the connector already gone.
 * The config's "name" key, if any, is ignored in comparisons.
 */
/* POST /connectors {name, config}.  "already exists" is never retried: the
 * live config is read; equal is success (noop), different is an error. */
int fx_connect_create(struct fx_connect_client *c, const char *name,
		      const struct fx_config *config, int *noop, struct fx_err *err);
/* PUT /connectors/{name}/config. */
int fx_connect_update(struct fx_connect_client *c, const char *name,
		      const struct fx_config *config, struct fx_err *err);
/* DELETE /connectors/{name}.  404 is success (noop). */
int fx_connect_delete(struct fx_connect_client *c, const char *name, int *noop,
		      struct fx_err *err);
/* GET /connectors/{name}/offsets (3.5+).  *found = 0 (and 0 returned) on 404. */
int fx_connect_get_offsets(struct fx_connect_client *c, const char *name, struct fx_offsets *out,
			   int *found, struct fx_err *err);
/*
 * The operator's writes (Connect versions are the caller's to check): each
 * returns once Connect accepted it (202); the state change that follows is
 * the caller's to wait for.  After an unknown outcome the status (stop,
 * resume) or the offsets (delete) are read before sending again; a restart
 * is simply sent again.
 */
/* POST /connectors {name, config, initial_state: STOPPED} (Connect 3.7+): created
 * without starting, so its stored offsets can be reset first.  As create. */
int fx_connect_create_stopped(struct fx_connect_client *c, const char *name,
			      const struct fx_config *config, int *noop, struct fx_err *err);
/* PUT /connectors/{name}/stop (3.5+): tasks shut down, config and offsets kept. */
int fx_connect_stop(struct fx_connect_client *c, const char *name, struct fx_err *err);
/* PUT /connectors/{name}/resume: a PAUSED or STOPPED connector runs again. */
int fx_connect_resume(struct fx_connect_client *c, const char *name, struct fx_err *err);
/* POST /connectors/{name}/restart?includeTasks=true&onlyFailed=... (3.0+). */
int fx_connect_restart(struct fx_connect_client *c, const char *name, int only_failed,
		       struct fx_err *err);
/* DELETE /connectors/{name}/offsets (3.6+): the connector must be STOPPED. */
int fx_connect_offsets_delete(struct fx_connect_client *c, const char *name, struct fx_err *err);

#endif
