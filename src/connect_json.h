/*
 * Kafka Connect REST bodies -> our structs, and the rules about Connect's
 * answers (which errors to retry, how to keep secrets out of its messages).
 * Pure: no curl, no I/O, so unit tests feed recorded responses and a fuzz
 * target feeds garbage.  Nothing here trusts its input: any shape that is not
 * what Connect sends is a -1 with a message, never a crash.
 *
 * Ownership: every parse function fills a struct the caller owns and
 * releases (fx_observed_cluster_release, fx_observed_connector_release,
 * fx_config_release, fx_connect_validation_release).  On -1 whatever was
 * filled is released again, so the struct is left empty.  Functions that
 * return char * give ownership of a new string (caller frees); NULL on OOM.
 */
#ifndef FX_CONNECT_JSON_H
#define FX_CONNECT_JSON_H

#include <stddef.h>

#include <jansson.h>

#include "config.h"
#include "observed.h"
#include "util/err.h"

/*
 * The one encoder of a connector's config as Connect takes it (new
 * reference; NULL on OOM or a value that is not UTF-8), by wrap:
 *   0  {...}, with "name": name added when name is given and the config has
 *      no "name" key  (PUT /connectors/{name}/config, validate)
 *   1  {"name": name, "config": {...}}  (POST /connectors, and render)
 *   2  that with "initial_state": "STOPPED"  (a create that must not start, 3.7+)
 * mask: each sensitive value as fx_secret_display shows it (render without
 * --show-secrets); never for a body sent to Connect.  Keys in config order.
 */
json_t *fx_connect_config_body(const struct fx_config *config, const char *name, int wrap,
			       int mask);

/* GET /: version, commit, kafka_cluster_id into out (other fields untouched). */
int fx_connect_parse_root(const char *json, size_t len, struct fx_observed_cluster *out,
			  struct fx_err *err);
/* GET /connector-plugins: out->plugins (sorted by class), have_plugins = 1. */
int fx_connect_parse_plugins(const char *json, size_t len, struct fx_observed_cluster *out,
			     struct fx_err *err);
/* GET /connectors?expand=info&expand=status: out->connectors, sorted by name. */
int fx_connect_parse_expanded(const char *json, size_t len, struct fx_observed_cluster *out,
			      struct fx_err *err);
/* GET /connectors/{name}/status: name, type, state, worker, trace, tasks (by id). */
int fx_connect_parse_status(const char *json, size_t len, struct fx_observed_connector *out,
			    struct fx_err *err);
/* GET /connectors/{name}/config: a flat object of strings. */
int fx_connect_parse_config(const char *json, size_t len, struct fx_config *out,
			    struct fx_err *err);

/* PUT /connector-plugins/{class}/config/validate: the keys that have errors. */
struct fx_connect_key_error {
	char *key;
	char *message; /* Connect's error text for that key (the first one joined "; ") */
};

struct fx_connect_validation {
	long error_count;                /* Connect's own count */
	struct fx_connect_key_error *items; /* in Connect's order */
	size_t n;
};

#define FX_CONNECT_VALIDATION_INIT { .error_count = 0, .items = NULL, .n = 0 }

int fx_connect_parse_validate(const char *json, size_t len, struct fx_connect_validation *out,
			      struct fx_err *err);
void fx_connect_validation_release(struct fx_connect_validation *v);

/*
 * An error body {"error_code": N, "message": "..."}: *message gets a new
 * string (caller frees).  Returns 0, or -1 when the body is not one (then
 * *message is NULL); err may be NULL.
 */
int fx_connect_parse_error(const char *json, size_t len, long *error_code, char **message,
			   struct fx_err *err);

/*
 * What to do with a failed answer (SPEC §4).  Classified by status and message:
 *   RETRY       409/500 whose message says rebalance, stale configuration,
 *               conflicting operation or no known leader (any case): back off, again
 *   REREAD      the outcome is unknown (Connect's own "Request timed out" 500,
 *               a follower's 500 "IO Error trying to forward REST request", a
 *               502/503/504 from a proxy): the write may have landed, re-read first
 *   EXISTS      409 "already exists": never retried blindly, re-read and decide
 *   FAIL        anything else
 * Transport errors (timeouts, dropped connections) are REREAD by the caller.
 */
enum fx_connect_verdict {
	FX_CONNECT_FAIL = 0,
	FX_CONNECT_RETRY,
	FX_CONNECT_REREAD,
	FX_CONNECT_EXISTS,
};

enum fx_connect_verdict fx_connect_classify(long http_status, const char *message);
const char *fx_connect_verdict_name(enum fx_connect_verdict v);

/*
 * A copy of msg safe to print: every value of a sensitive key of secrets
 * (may be NULL; provider references and values under 3 bytes are left
 * alone) is replaced by FX_SECRET_MASK, and so is the value in any
 * `password=...`, `"token": "..."`-like pattern (key contains password,
 * secret, token or credential; ends at a quote, blank, comma, ; & ) or }).
 */
char *fx_connect_redact(const char *msg, const struct fx_config *secrets);
/*
 * What to show of a Java stack trace: its first line and each "Caused by:"
 * line (frames left out), at most max_lines (then the first and the last
 * ones: the root cause comes last), redacted as above, joined by "\n".
 */
char *fx_connect_trace_head(const char *trace, size_t max_lines, const struct fx_config *secrets);

/*
 * 1 when a Connect version string from GET / is at least major.minor of
 * Apache Kafka: "3.9.1", "4.1.1", "3.5.0-SNAPSHOT"; Confluent Platform's
 * "7.6.0-ccs" / "7.6.0-ce" are Kafka 3.6, "8.0.0-ccs" is Kafka 4.0.  0 when
 * older, -1 when the string is not a version (NULL included).
 */
int fx_connect_version_at_least(const char *version, int major, int minor);

/* A connector is managed (ours to write) when its name starts with "fluxa_". */
int fx_connect_is_managed(const char *name);

#endif
