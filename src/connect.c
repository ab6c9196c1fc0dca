#include "connect.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>

#include "connect_checks.h"
#include "connect_write.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/clock.h"
#include "version.h"

#define CC_MAX_BODY (64ul << 20)  /* a Connect answer larger than this is refused */
#define CC_MAX_PARALLEL 8         /* clusters observed at once */

struct fx_connect_client {
	CURL *easy;
	struct curl_slist *headers;
	char *url;    /* as the manifest wrote it */
	char *base;   /* without trailing '/' */
	char *shown;  /* base without user:password@, for messages */
	char *pool;
	const struct fx_net *net; /* lent: timeout, retry budget, interrupt, log */
	long timeout_ms;
	unsigned long requests;
	unsigned int seed;
	/* the request in flight */
	const char *method;
	char *path;
	char *req_body;
	int abortable;
	struct fx_buf resp;
	int too_big;
	double t0;
	char errbuf[CURL_ERROR_SIZE];
};

/* The outcome of one request. */
struct cc_resp {
	long status;     /* 0: no HTTP answer */
	const char *body; /* lent from the client until its next request */
	size_t len;
};

static pthread_once_t cc_once = PTHREAD_ONCE_INIT;
static int cc_init_ok;

static void cc_global_init(void)
{
	cc_init_ok = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
}

static int cc_interrupted(const struct fx_connect_client *c)
{
	return fx_net_interrupted(c->net);
}

static void cc_logf(struct fx_connect_client *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void cc_logf(struct fx_connect_client *c, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	if (!c->net || !c->net->log)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fx_net_log(c->net, line);
}

static size_t cc_write_cb(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct fx_connect_client *c = userdata;
	size_t n = size * nmemb;

	if (c->resp.len + n > CC_MAX_BODY) {
		c->too_big = 1;
		return 0;
	}
	fx_buf_add(&c->resp, ptr, n);
	return fx_buf_ok(&c->resp) ? n : 0;
}

static int cc_xferinfo_cb(void *userdata, curl_off_t dltotal, curl_off_t dlnow,
			  curl_off_t ultotal, curl_off_t ulnow)
{
	struct fx_connect_client *c = userdata;

	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	return c->abortable && cc_interrupted(c);
}

/* base without a "user:password@" part, for messages. */
static char *cc_shown_url(const char *base)
{
	const char *scheme = strstr(base, "://"), *host, *at, *slash;

	if (!scheme)
		return fx_strdup(base);
	host = scheme + 3;
	slash = strchr(host, '/');
	at = strchr(host, '@');
	if (!at || (slash && at > slash))
		return fx_strdup(base);
	return fx_asprintf("%.*s%s", (int)(host - base), base, at + 1);
}

void fx_connect_client_free(struct fx_connect_client *c)
{
	if (!c)
		return;
	if (c->easy)
		curl_easy_cleanup(c->easy);
	curl_slist_free_all(c->headers);
	free(c->url);
	free(c->base);
	free(c->shown);
	free(c->pool);
	free(c->path);
	free(c->req_body);
	fx_buf_release(&c->resp);
	free(c);
}

int fx_connect_client_new(const struct fx_kafka_pool *pool, const struct fx_net *net,
			  struct fx_connect_client **out, struct fx_checks *warnings,
			  struct fx_err *err)
{
	struct fx_connect_client *c = NULL;
	struct curl_slist *h;
	size_t n;
	int ret = -1;

	*out = NULL;
	if (!pool->connect_url || !*pool->connect_url)
		return fx_err_set(err, 1, "kafka pool '%s' has no connect_url", pool->code);
	pthread_once(&cc_once, cc_global_init);
	if (!cc_init_ok)
		return fx_err_set(err, 1, "cannot initialise libcurl");
	c = fx_calloc(1, sizeof(*c));
	if (!c)
		return fx_err_set(err, 1, "out of memory");
	c->url = fx_strdup(pool->connect_url);
	c->base = fx_strdup(pool->connect_url);
	c->pool = fx_strdup(pool->code);
	if (!c->url || !c->base || !c->pool) {
		fx_err_set(err, 1, "out of memory");
		goto cleanup;
	}
	n = strlen(c->base);
	while (n > 0 && c->base[n - 1] == '/')
		c->base[--n] = '\0';
	c->shown = cc_shown_url(c->base);
	if (!c->shown) {
		fx_err_set(err, 1, "out of memory");
		goto cleanup;
	}
	c->net = net;
	c->timeout_ms = fx_net_timeout_ms(net);
	c->seed = (unsigned int)time(NULL) ^ (unsigned int)getpid() ^ (unsigned int)(size_t)c;
	c->easy = curl_easy_init();
	if (!c->easy) {
		fx_err_set(err, 1, "cannot initialise libcurl");
		goto cleanup;
	}
	h = curl_slist_append(NULL, "Content-Type: application/json");
	if (h)
		c->headers = h;
	h = h ? curl_slist_append(c->headers, "Accept: application/json") : NULL;
	h = h ? curl_slist_append(c->headers, "Expect:") : NULL;
	if (!h) {
		fx_err_set(err, 1, "out of memory");
		goto cleanup;
	}
	curl_easy_setopt(c->easy, CURLOPT_HTTPHEADER, c->headers);
	curl_easy_setopt(c->easy, CURLOPT_USERAGENT, "fluxacdc/" FX_VERSION);
	curl_easy_setopt(c->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c->easy, CURLOPT_TIMEOUT_MS, c->timeout_ms);
	curl_easy_setopt(c->easy, CURLOPT_CONNECTTIMEOUT_MS, c->timeout_ms);
	curl_easy_setopt(c->easy, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(c->easy, CURLOPT_WRITEFUNCTION, cc_write_cb);
	curl_easy_setopt(c->easy, CURLOPT_WRITEDATA, c);
	curl_easy_setopt(c->easy, CURLOPT_XFERINFOFUNCTION, cc_xferinfo_cb);
	curl_easy_setopt(c->easy, CURLOPT_XFERINFODATA, c);
	curl_easy_setopt(c->easy, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c->easy, CURLOPT_ERRORBUFFER, c->errbuf);
	curl_easy_setopt(c->easy, CURLOPT_PRIVATE, c);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(c->easy, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(c->easy, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	if (pool->auth_user) {
		curl_easy_setopt(c->easy, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(c->easy, CURLOPT_USERNAME, pool->auth_user);
		curl_easy_setopt(c->easy, CURLOPT_PASSWORD,
				 pool->auth_password ? pool->auth_password : "");
	}
	if (pool->tls_ca_file)
		curl_easy_setopt(c->easy, CURLOPT_CAINFO, pool->tls_ca_file);
	if (pool->tls_cert_file)
		curl_easy_setopt(c->easy, CURLOPT_SSLCERT, pool->tls_cert_file);
	if (pool->tls_key_file)
		curl_easy_setopt(c->easy, CURLOPT_SSLKEY, pool->tls_key_file);
	if (warnings && fx_connect_checks_pool(pool, warnings) < 0) {
		fx_err_set(err, 1, "out of memory");
		goto cleanup;
	}
	if (pool->tls_insecure) {
		curl_easy_setopt(c->easy, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(c->easy, CURLOPT_SSL_VERIFYHOST, 0L);
		char scope[256];

		snprintf(scope, sizeof(scope), "connect:%s", pool->code);
		if (warnings &&
		    fx_checks_add(warnings, FX_CHECK_WARNING, "connect.tls_insecure", scope, NULL, NULL,
				  "set connect_tls.ca_file to the CA that signed the Connect certificate",
				  "TLS certificate checks are off for %s (connect_tls.insecure)",
				  c->shown) < 0) {
			fx_err_set(err, 1, "out of memory");
			goto cleanup;
		}
	}
	*out = c;
	c = NULL;
	ret = 0;
cleanup:
	fx_connect_client_free(c);
	return ret;
}

const char *fx_connect_client_url(const struct fx_connect_client *c)
{
	return c->url;
}

const char *fx_connect_client_pool(const struct fx_connect_client *c)
{
	return c->pool;
}

unsigned long fx_connect_client_requests(const struct fx_connect_client *c)
{
	return c->requests;
}

/* Same URL, trailing slashes ignored. */
static int cc_same_url(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);

	while (na > 0 && a[na - 1] == '/')
		na--;
	while (nb > 0 && b[nb - 1] == '/')
		nb--;
	return na == nb && !strncmp(a, b, na);
}

struct fx_connect_client *fx_connect_clients_find(const struct fx_connect_clients *cs,
						  const char *connect_url)
{
	size_t i;

	for (i = 0; connect_url && i < cs->n; i++)
		if (cc_same_url(cs->items[i]->url, connect_url))
			return cs->items[i];
	return NULL;
}

int fx_connect_clients_add(struct fx_connect_clients *cs, const struct fx_kafka_pool *pool,
			   const struct fx_net *net, struct fx_checks *warnings,
			   struct fx_err *err)
{
	struct fx_connect_client *c, **grown;

	if (!pool->connect_url || !*pool->connect_url ||
	    fx_connect_clients_find(cs, pool->connect_url))
		return 0;
	if (fx_connect_client_new(pool, net, &c, warnings, err) < 0)
		return -1;
	grown = fx_realloc(cs->items, (cs->n + 1) * sizeof(*grown));
	if (!grown) {
		fx_connect_client_free(c);
		return fx_err_set(err, 1, "out of memory");
	}
	cs->items = grown;
	cs->items[cs->n++] = c;
	return 0;
}

int fx_connect_clients_from_manifest(struct fx_connect_clients *cs, const struct fx_manifest *m,
				     const struct fx_net *net,
				     struct fx_checks *warnings, struct fx_err *err)
{
	size_t i;

	for (i = 0; i < m->n_kafka; i++)
		if (fx_connect_clients_add(cs, &m->kafka[i], net, warnings, err) < 0)
			return -1;
	return 0;
}

void fx_connect_clients_release(struct fx_connect_clients *cs)
{
	size_t i;

	for (i = 0; i < cs->n; i++)
		fx_connect_client_free(cs->items[i]);
	free(cs->items);
	cs->items = NULL;
	cs->n = 0;
}

/*
 * Sets up the easy handle for METHOD base+path with body (taken over; may be
 * NULL).  abortable: an interrupt aborts the transfer.
 */
static int cc_prepare(struct fx_connect_client *c, const char *method, const char *path,
		      char *body, int abortable, struct fx_err *err)
{
	char *url;

	free(c->path);
	free(c->req_body);
	c->path = fx_strdup(path);
	c->req_body = body;
	url = fx_asprintf("%s%s", c->base, path);
	if (!c->path || !url) {
		free(url);
		return fx_err_set(err, 1, "out of memory");
	}
	c->method = method;
	c->abortable = abortable;
	c->too_big = 0;
	c->errbuf[0] = '\0';
	fx_buf_reset(&c->resp);
	curl_easy_setopt(c->easy, CURLOPT_URL, url);
	free(url); /* libcurl copies string options */
	if (body) {
		curl_easy_setopt(c->easy, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c->easy, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
		curl_easy_setopt(c->easy, CURLOPT_CUSTOMREQUEST, method);
	} else {
		curl_easy_setopt(c->easy, CURLOPT_HTTPGET, 1L);
		curl_easy_setopt(c->easy, CURLOPT_CUSTOMREQUEST,
				 strcmp(method, "GET") ? method : NULL);
	}
	c->requests++;
	c->t0 = fx_clock_now();
	return 0;
}

/* After a transfer: 0 with r filled when an HTTP answer came, else -1 with err. */
static int cc_finish(struct fx_connect_client *c, CURLcode cc, struct cc_resp *r,
		     struct fx_err *err)
{
	long ms = (long)((fx_clock_now() - c->t0) * 1000);

	memset(r, 0, sizeof(*r));
	if (cc == CURLE_OK) {
		curl_easy_getinfo(c->easy, CURLINFO_RESPONSE_CODE, &r->status);
		r->body = fx_buf_str(&c->resp);
		r->len = c->resp.len;
		cc_logf(c, "%s %s%s -> %ld (%ld ms)", c->method, c->shown, c->path, r->status, ms);
		return 0;
	}
	if (cc == CURLE_ABORTED_BY_CALLBACK && cc_interrupted(c))
		fx_err_set(err, FX_EXIT_INTERRUPTED, "%s %s%s: interrupted", c->method, c->shown,
			   c->path);
	else if (cc == CURLE_OPERATION_TIMEDOUT)
		fx_err_set(err, 1, "%s %s%s: no answer within %ld s (--timeout)", c->method,
			   c->shown, c->path, c->timeout_ms / 1000);
	else if (c->too_big)
		fx_err_set(err, 1, "%s %s%s: answer larger than %lu bytes", c->method, c->shown,
			   c->path, CC_MAX_BODY);
	else
		fx_err_set(err, 1, "%s %s%s: %s", c->method, c->shown, c->path,
			   c->errbuf[0] ? c->errbuf : curl_easy_strerror(cc));
	cc_logf(c, "%s (%ld ms)", err->msg, ms);
	return -1;
}

static int cc_perform(struct fx_connect_client *c, const char *method, const char *path,
		      char *body, int abortable, struct cc_resp *r, struct fx_err *err)
{
	if (cc_prepare(c, method, path, body, abortable, err) < 0)
		return -1;
	if (abortable && cc_interrupted(c))
		return fx_err_set(err, FX_EXIT_INTERRUPTED, "%s %s%s: interrupted", method, c->shown,
				  path);
	return cc_finish(c, curl_easy_perform(c->easy), r, err);
}

/*
 * err <- "METHOD URL: HTTP 409: message", Connect's message redacted with the
 * secrets of config (may be NULL).  *message (may be NULL) gets the raw message
 * for classification (caller frees).  Returns -1.
 */
static int cc_http_error(struct fx_connect_client *c, const struct cc_resp *r,
			 const struct fx_config *config, char **message, struct fx_err *err)
{
	char *msg = NULL, *red;
	long code;

	if (message)
		*message = NULL;
	if (fx_connect_parse_error(r->body, r->len, &code, &msg, NULL) < 0) {
		/* Not Connect's error body (a proxy?): an HTML page's <title> (nginx:
		 * "400 No required SSL certificate was sent"), else its first
		 * non-empty line, shortened. */
		const char *b = r->body ? r->body : "";
		const char *title = strcasestr(b, "<title>");
		size_t n = title ? strcspn(title + 7, "<\r\n") : 0;

		if (n) {
			b = title + 7;
		} else {
			b += strspn(b, " \t\r\n");
			n = strcspn(b, "\r\n");
		}
		msg = fx_strndup(b, n > 200 ? 200 : n);
	}
	red = fx_connect_redact(msg ? msg : "", config);
	fx_err_set(err, 1, "%s %s%s: HTTP %ld%s%s", c->method, c->shown, c->path, r->status,
		   red && *red ? ": " : "", red ? red : "");
	free(red);
	if (message)
		*message = msg;
	else
		free(msg);
	return -1;
}

/*
 * A 404 that Connect itself gave ("Connector x not found"): its JSON error
 * body.  A worker that is still starting answers 404 with no such body before
 * its REST resources exist; that one says nothing about the connector.
 */
static int cc_not_found(const struct cc_resp *r)
{
	long code;
	char *msg = NULL;
	int ok;

	if (r->status != 404)
		return 0;
	ok = fx_connect_parse_error(r->body, r->len, &code, &msg, NULL) == 0 && code == 404;
	free(msg);
	return ok;
}

/* A failed read worth another try: a rebalance answer, an unknown outcome,
 * or a 404 from a worker whose REST resources are not up yet. */
static int cc_read_retryable(const struct cc_resp *r)
{
	char *msg = NULL;
	long code;
	enum fx_connect_verdict v;

	if (r->status == 404)
		return !cc_not_found(r);
	if (fx_connect_parse_error(r->body, r->len, &code, &msg, NULL) < 0)
		msg = NULL;
	v = fx_connect_classify(r->status, msg);
	free(msg);
	return v == FX_CONNECT_RETRY || v == FX_CONNECT_REREAD;
}

static int cc_sleep_ms(struct fx_connect_client *c, long ms);
static char *cc_connector_path(struct fx_connect_client *c, const char *name, const char *suffix);

/* -------------------------------------------------------------- observing */

#define CC_READ_ATTEMPTS 4 /* each observe request: tries on rebalance answers */

static const char *const cc_observe_paths[] = {
	"/", "/connector-plugins", "/connectors?expand=info&expand=status",
};

#define CC_OBSERVE_STEPS (sizeof(cc_observe_paths) / sizeof(cc_observe_paths[0]))

/* Fills the cluster with the answer of step; -1 with err when it is not good. */
static int cc_observe_step(struct fx_connect_client *c, size_t step, const struct cc_resp *r,
			   struct fx_observed_cluster *out, struct fx_err *err)
{
	int rc;

	if (r->status == 401 || r->status == 403)
		out->auth_failed = 1;
	if (r->status != 200)
		return cc_http_error(c, r, NULL, NULL, err);
	if (step == 0)
		rc = fx_connect_parse_root(r->body, r->len, out, err);
	else if (step == 1)
		rc = fx_connect_parse_plugins(r->body, r->len, out, err);
	else
		rc = fx_connect_parse_expanded(r->body, r->len, out, err);
	if (rc < 0)
		fx_err_prefix(err, "%s %s%s", c->method, c->shown, c->path);
	return rc;
}

static int cc_cluster_start(struct fx_connect_client *c, struct fx_observed_cluster *out,
			    struct fx_err *err)
{
	fx_observed_cluster_release(out);
	out->connect_url = fx_strdup(c->url);
	out->kafka_pool = fx_strdup(c->pool);
	if (!out->connect_url || !out->kafka_pool)
		return fx_err_set(err, 1, "out of memory");
	return 0;
}

static int cc_cluster_fail(struct fx_observed_cluster *out, const struct fx_err *why,
			   struct fx_err *err)
{
	out->reachable = 0;
	free(out->error);
	out->error = fx_strdup(why->msg);
	return out->error ? 0 : fx_err_set(err, 1, "out of memory");
}

/* ---------------------------------------------------------- offsets */

#define CC_OFFSETS_PARALLEL 256 /* offsets requests in flight, all clusters together: one round trip up to 256 connectors */

/* One GET /connectors/{n}/offsets on its own easy handle (a copy of the
 * cluster's: same auth and TLS; the multi handle shares connections). */
struct cc_offreq {
	struct fx_connect_client *c;
	struct fx_observed_connector *conn;
	CURL *easy;
	char *path;
	struct fx_buf resp;
	int too_big;
	double t0;
	char errbuf[CURL_ERROR_SIZE];
};

static size_t cc_off_write_cb(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct cc_offreq *q = userdata;
	size_t n = size * nmemb;

	if (q->resp.len + n > CC_MAX_BODY) {
		q->too_big = 1;
		return 0;
	}
	fx_buf_add(&q->resp, ptr, n);
	return fx_buf_ok(&q->resp) ? n : 0;
}

static void cc_off_release(struct cc_offreq *q)
{
	if (q->easy)
		curl_easy_cleanup(q->easy);
	free(q->path);
	fx_buf_release(&q->resp);
	memset(q, 0, sizeof(*q));
}

static int cc_off_start(struct cc_offreq *q, CURLM *multi, struct fx_err *err)
{
	char *url;

	q->path = cc_connector_path(q->c, q->conn->name, "/offsets");
	url = q->path ? fx_asprintf("%s%s", q->c->base, q->path) : NULL;
	q->easy = curl_easy_duphandle(q->c->easy);
	if (!url || !q->easy) {
		free(url);
		return fx_err_set(err, 1, "out of memory");
	}
	curl_easy_setopt(q->easy, CURLOPT_URL, url);
	free(url);
	curl_easy_setopt(q->easy, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(q->easy, CURLOPT_CUSTOMREQUEST, NULL);
	curl_easy_setopt(q->easy, CURLOPT_WRITEFUNCTION, cc_off_write_cb);
	curl_easy_setopt(q->easy, CURLOPT_WRITEDATA, q);
	curl_easy_setopt(q->easy, CURLOPT_ERRORBUFFER, q->errbuf);
	curl_easy_setopt(q->easy, CURLOPT_PRIVATE, q);
	q->c->requests++;
	q->t0 = fx_clock_now();
	if (curl_multi_add_handle(multi, q->easy) != CURLM_OK)
		return fx_err_set(err, 1, "cannot start a request to %s", q->c->shown);
	return 0;
}

/* The answer of q into its connector: offsets, or why not (never fatal). */
static int cc_off_finish(struct cc_offreq *q, CURLcode cc)
{
	struct fx_observed_connector *o = q->conn;
	struct fx_connect_client *c = q->c;
	long ms = (long)((fx_clock_now() - q->t0) * 1000), status = 0;
	struct fx_err why = FX_ERR_INIT;
	struct cc_resp r;

	if (cc != CURLE_OK) {
		if (cc == CURLE_OPERATION_TIMEDOUT)
			fx_err_set(&why, 1, "GET %s%s: no answer within %ld s (--timeout)", c->shown,
				   q->path, c->timeout_ms / 1000);
		else if (q->too_big)
			fx_err_set(&why, 1, "GET %s%s: answer larger than %lu bytes", c->shown, q->path,
				   CC_MAX_BODY);
		else
			fx_err_set(&why, cc == CURLE_ABORTED_BY_CALLBACK ? FX_EXIT_INTERRUPTED : 1,
				   "GET %s%s: %s", c->shown, q->path,
				   q->errbuf[0] ? q->errbuf : curl_easy_strerror(cc));
		cc_logf(c, "%s (%ld ms)", why.msg, ms);
		goto failed;
	}
	curl_easy_getinfo(q->easy, CURLINFO_RESPONSE_CODE, &status);
	cc_logf(c, "GET %s%s -> %ld (%ld ms)", c->shown, q->path, status, ms);
	r.status = status;
	r.body = fx_buf_str(&q->resp);
	r.len = q->resp.len;
	if (cc_not_found(&r)) { /* deleted since the list: nothing stored under it to check */
		o->offsets_read = 1;
		return 0;
	}
	if (status != 200) {
		long code;
		char *msg = NULL;

		fx_connect_parse_error(r.body, r.len, &code, &msg, NULL);
		fx_err_set(&why, 1, "GET %s%s: HTTP %ld%s%s", c->shown, q->path, status,
			   msg ? ": " : "", msg ? msg : "");
		free(msg);
		goto failed;
	}
	if (fx_offsets_parse(r.body, r.len, &o->offsets, &why) < 0) {
		fx_err_prefix(&why, "GET %s%s", c->shown, q->path);
		goto failed;
	}
	o->offsets_read = 1;
	return 0;
failed:
	free(o->offsets_error);
	o->offsets_error = fx_strdup(why.msg);
	return o->offsets_error ? (why.code == FX_EXIT_INTERRUPTED ? 1 : 0) : -1;
}

/*
 * GET /connectors/{n}/offsets for every managed connector of every reachable
 * cluster whose version has it, all at once (at most CC_OFFSETS_PARALLEL in
 * flight): one more round trip, however many connectors.  A failed read is
 * the connector's offsets_error, not a failure.
 */
static int cc_observe_offsets(const struct fx_connect_clients *cs, struct fx_observed_cluster *out,
			      struct fx_err *err)
{
	struct cc_offreq *reqs = NULL;
	size_t n = 0, next = 0, active = 0, i, j;
	CURLM *multi = NULL;
	int ret = -1, interrupted = 0;

	for (i = 0; i < cs->n; i++) {
		out[i].offsets_supported = out[i].reachable &&
					   fx_connect_version_at_least(out[i].version, 3, 5) == 1;
		for (j = 0; out[i].offsets_supported && j < out[i].n_connectors; j++)
			n += fx_connect_is_managed(out[i].connectors[j].name);
	}
	if (!n)
		return 0;
	reqs = fx_calloc(n, sizeof(*reqs));
	multi = curl_multi_init();
	if (!reqs || !multi) {
		fx_err_set(err, 1, "out of memory");
		goto cleanup;
	}
	for (i = 0, n = 0; i < cs->n; i++)
		for (j = 0; out[i].offsets_supported && j < out[i].n_connectors; j++)
			if (fx_connect_is_managed(out[i].connectors[j].name)) {
				reqs[n].c = cs->items[i];
				reqs[n++].conn = &out[i].connectors[j];
			}
	while (next < n || active) {
		struct CURLMsg *msg;
		int running, left;

		while (next < n && active < CC_OFFSETS_PARALLEL && !interrupted) {
			if (cc_off_start(&reqs[next++], multi, err) < 0)
				goto cleanup;
			active++;
		}
		if (!active)
			break;
		if (curl_multi_perform(multi, &running) != CURLM_OK) {
			fx_err_set(err, 1, "libcurl multi interface failed");
			goto cleanup;
		}
		while ((msg = curl_multi_info_read(multi, &left)) != NULL) {
			struct cc_offreq *q = NULL;
			char *priv = NULL;
			int rc;

			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
			q = (struct cc_offreq *)(void *)priv;
			curl_multi_remove_handle(multi, msg->easy_handle);
			rc = cc_off_finish(q, msg->data.result);
			if (rc < 0) {
				fx_err_set(err, 1, "out of memory");
				goto cleanup;
			}
			interrupted |= rc == 1 || cc_interrupted(q->c);
			curl_easy_cleanup(q->easy);
			q->easy = NULL;
			active--;
		}
		if (active && curl_multi_poll(multi, NULL, 0, 100, NULL) != CURLM_OK) {
			fx_err_set(err, 1, "libcurl multi interface failed");
			goto cleanup;
		}
	}
	if (interrupted) {
		fx_err_set(err, FX_EXIT_INTERRUPTED, "interrupted");
		goto cleanup;
	}
	ret = 0;
cleanup:
	for (i = 0; reqs && i < n; i++) {
		if (reqs[i].easy && multi)
			curl_multi_remove_handle(multi, reqs[i].easy);
		cc_off_release(&reqs[i]);
	}
	free(reqs);
	if (multi)
		curl_multi_cleanup(multi);
	for (i = 0; i < cs->n; i++)
		out[i].requests = cs->items[i]->requests;
	return ret;
}

int fx_connect_observe_one(struct fx_connect_client *c, struct fx_observed_cluster *out,
			   struct fx_err *err)
{
	struct fx_connect_clients one = { &c, 1 };

	return fx_connect_observe(&one, out, err);
}

int fx_connect_observe(const struct fx_connect_clients *cs, struct fx_observed_cluster *out,
		       struct fx_err *err)
{
	struct cc_obs {
		size_t step;      /* next of cc_observe_paths */
		unsigned tries;   /* of this step */
		double start_at;  /* 0: not waiting; else start the step then */
		int state;        /* 0 pending, 1 in flight or waiting, 2 done */
	} *st = NULL;
	CURLM *multi = NULL;
	size_t active = 0, i;
	int ret = -1, interrupted = 0;

	for (i = 0; i < cs->n; i++)
		if (cc_cluster_start(cs->items[i], &out[i], err) < 0)
			return -1;
	if (!cs->n)
		return 0;
	st = fx_calloc(cs->n, sizeof(*st));
	multi = curl_multi_init();
	if (!st || !multi) {
		fx_err_set(err, 1, "out of memory");
		goto cleanup;
	}
	for (;;) {
		struct CURLMsg *msg;
		double now = fx_clock_now();
		int running, left, timeout_ms = 100;

		/* Start clusters while there is room, and steps whose wait is over. */
		for (i = 0; i < cs->n; i++) {
			struct fx_connect_client *c = cs->items[i];

			if (st[i].state == 0 && active < CC_MAX_PARALLEL) {
				st[i].state = 1;
				st[i].start_at = now;
				active++;
			}
			if (st[i].state != 1 || st[i].start_at == 0 || st[i].start_at > now)
				continue;
			st[i].start_at = 0;
			if (cc_prepare(c, "GET", cc_observe_paths[st[i].step], NULL, 1, err) < 0 ||
			    curl_multi_add_handle(multi, c->easy) != CURLM_OK) {
				fx_err_set(err, 1, "cannot start a request to %s", c->shown);
				goto cleanup;
			}
		}
		if (!active)
			break;
		if (curl_multi_perform(multi, &running) != CURLM_OK) {
			fx_err_set(err, 1, "libcurl multi interface failed");
			goto cleanup;
		}
		while ((msg = curl_multi_info_read(multi, &left)) != NULL) {
			struct fx_connect_client *c = NULL;
			struct fx_err why = FX_ERR_INIT;
			struct cc_resp r;
			CURL *easy = msg->easy_handle;
			CURLcode cc = msg->data.result;
			char *priv = NULL;
			int rc;

			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(easy, CURLINFO_PRIVATE, &priv);
			c = (struct fx_connect_client *)(void *)priv;
			curl_multi_remove_handle(multi, easy);
			for (i = 0; i < cs->n && cs->items[i] != c; i++)
				;
			if (i == cs->n)
				continue;
			rc = cc_finish(c, cc, &r, &why);
			if (rc == 0 && r.status != 200 && cc_read_retryable(&r) &&
			    ++st[i].tries < CC_READ_ATTEMPTS && !cc_interrupted(c)) {
				/* a rebalance or a starting worker: the same request again soon */
				cc_http_error(c, &r, NULL, NULL, &why);
				cc_logf(c, "retrying in %.1f s: %s", 0.5 * st[i].tries, why.msg);
				st[i].start_at = fx_clock_now() + 0.5 * st[i].tries;
				continue;
			}
			if (rc < 0 || cc_observe_step(c, st[i].step, &r, &out[i], &why) < 0) {
				if (why.code == FX_EXIT_INTERRUPTED)
					interrupted = 1;
				if (cc_cluster_fail(&out[i], &why, err) < 0)
					goto cleanup;
				st[i].state = 2;
				active--;
				continue;
			}
			st[i].tries = 0;
			if (++st[i].step == CC_OBSERVE_STEPS) {
				out[i].reachable = 1;
				st[i].state = 2;
				active--;
				continue;
			}
			st[i].start_at = fx_clock_now();
		}
		if (!active)
			break;
		for (i = 0; i < cs->n; i++)
			if (st[i].state == 1 && st[i].start_at > 0) {
				double w = (st[i].start_at - fx_clock_now()) * 1000;

				if (w < timeout_ms)
					timeout_ms = w < 0 ? 0 : (int)w;
			}
		if (curl_multi_poll(multi, NULL, 0, timeout_ms, NULL) != CURLM_OK) {
			fx_err_set(err, 1, "libcurl multi interface failed");
			goto cleanup;
		}
	}
	if (interrupted) {
		fx_err_set(err, FX_EXIT_INTERRUPTED, "interrupted");
		goto cleanup;
	}
	ret = 0;
cleanup:
	for (i = 0; i < cs->n; i++) {
		out[i].requests = cs->items[i]->requests;
		if (multi)
			curl_multi_remove_handle(multi, cs->items[i]->easy);
	}
	if (multi)
		curl_multi_cleanup(multi);
	free(st);
	if (ret == 0 && cs->n)
		ret = cc_observe_offsets(cs, out, err);
	return ret;
}

/* ---------------------------------------------------------------- reading */

/*
 * GET path, tried again (after 0.5, 1, 1.5 s) on a rebalance answer or a
 * starting worker's 404.  0 with r for any final HTTP answer.
 */
static int cc_read(struct fx_connect_client *c, const char *path, struct cc_resp *r,
		   struct fx_err *err)
{
	unsigned tries = 0;

	for (;;) {
		struct fx_err why = FX_ERR_INIT;

		if (cc_perform(c, "GET", path, NULL, 1, r, err) < 0)
			return -1;
		if (r->status == 200 || !cc_read_retryable(r) || ++tries >= CC_READ_ATTEMPTS)
			return 0;
		cc_http_error(c, r, NULL, NULL, &why);
		cc_logf(c, "retrying in %.1f s: %s", 0.5 * tries, why.msg);
		if (cc_sleep_ms(c, 500L * tries) < 0)
			return fx_err_set(err, FX_EXIT_INTERRUPTED, "GET %s%s: interrupted", c->shown, path);
	}
}

/* base path + "/connectors/<escaped name>" + suffix, new string. */
static char *cc_connector_path(struct fx_connect_client *c, const char *name, const char *suffix)
{
	char *esc = curl_easy_escape(c->easy, name, 0);
	char *p;

	if (!esc)
		return NULL;
	p = fx_asprintf("/connectors/%s%s", esc, suffix);
	curl_free(esc);
	return p;
}

/* A config as the JSON body of a request (new string); wrap as
 * fx_connect_config_body takes it. */
static char *cc_config_json(const struct fx_config *config, const char *name, int wrap)
{
	json_t *root = fx_connect_config_body(config, name, wrap, 0);
	char *s = root ? json_dumps(root, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	char *out = s ? fx_strdup(s) : NULL;

	free(s);
	json_decref(root);
	return out;
}

/* A parser of one connector sub-resource (status, config) into out. */
typedef int (*cc_parse_fn)(const char *json, size_t len, void *out, struct fx_err *err);

static int cc_parse_status(const char *json, size_t len, void *out, struct fx_err *err)
{
	return fx_connect_parse_status(json, len, out, err);
}

static int cc_parse_config(const char *json, size_t len, void *out, struct fx_err *err)
{
	return fx_connect_parse_config(json, len, out, err);
}

static int cc_parse_offsets(const char *json, size_t len, void *out, struct fx_err *err)
{
	return fx_offsets_parse(json, len, out, err);
}

/* GET /connectors/{name}{suffix} parsed into out; *found = 0 (and 0) on 404. */
static int cc_get_connector(struct fx_connect_client *c, const char *name, const char *suffix,
			    cc_parse_fn parse, void *out, int *found, struct fx_err *err)
{
	char *path = cc_connector_path(c, name, suffix);
	struct cc_resp r;
	int ret = -1;

	*found = 0;
	if (!path)
		return fx_err_set(err, 1, "out of memory");
	if (cc_read(c, path, &r, err) < 0)
		goto cleanup;
	if (cc_not_found(&r)) {
		ret = 0;
		goto cleanup;
	}
	if (r.status != 200) {
		cc_http_error(c, &r, NULL, NULL, err);
		goto cleanup;
	}
	if (parse(r.body, r.len, out, err) < 0) {
		fx_err_prefix(err, "GET %s%s", c->shown, path);
		goto cleanup;
	}
	*found = 1;
	ret = 0;
cleanup:
	free(path);
	return ret;
}

int fx_connect_get_status(struct fx_connect_client *c, const char *name,
			  struct fx_observed_connector *out, int *found, struct fx_err *err)
{
	return cc_get_connector(c, name, "/status", cc_parse_status, out, found, err);
}

int fx_connect_get_config(struct fx_connect_client *c, const char *name, struct fx_config *out,
			  int *found, struct fx_err *err)
{
	return cc_get_connector(c, name, "/config", cc_parse_config, out, found, err);
}

int fx_connect_get_offsets(struct fx_connect_client *c, const char *name, struct fx_offsets *out,
			   int *found, struct fx_err *err)
{
	return cc_get_connector(c, name, "/offsets", cc_parse_offsets, out, found, err);
}

int fx_connect_validate(struct fx_connect_client *c, const char *class_name, const char *name,
			const struct fx_config *config, struct fx_connect_validation *out,
			struct fx_err *err)
{
	char *esc = curl_easy_escape(c->easy, class_name, 0);
	char *path = esc ? fx_asprintf("/connector-plugins/%s/config/validate", esc) : NULL;
	char *body = cc_config_json(config, name, 0);
	struct cc_resp r;
	int ret = -1;

	curl_free(esc);
	if (!path || !body) {
		free(body);
		fx_err_set(err, 1, "out of memory");
		goto cleanup;
	}
	if (cc_perform(c, "PUT", path, body, 1, &r, err) < 0)
		goto cleanup;
	if (r.status != 200) {
		cc_http_error(c, &r, config, NULL, err);
		goto cleanup;
	}
	if (fx_connect_parse_validate(r.body, r.len, out, err) < 0) {
		fx_err_prefix(err, "PUT %s%s", c->shown, path);
		goto cleanup;
	}
	/* Connect's messages may quote values: keep secrets out of them. */
	{
		size_t i;

		for (i = 0; i < out->n; i++) {
			char *red = fx_connect_redact(out->items[i].message, config);

			if (!red) {
				fx_err_set(err, 1, "out of memory");
				goto cleanup;
			}
			free(out->items[i].message);
			out->items[i].message = red;
		}
	}
	ret = 0;
cleanup:
	free(path);
	return ret;
}

/* ---------------------------------------------------------------- writing */

/* Equal configs, Connect's "name" key ignored on both sides. */
static int cc_config_same(const struct fx_config *a, const struct fx_config *b, int *same)
{
	struct fx_config x = FX_CONFIG_INIT, y = FX_CONFIG_INIT;
	int ret = -1;

	if (fx_config_copy(&x, a) < 0 || fx_config_copy(&y, b) < 0)
		goto cleanup;
	fx_config_remove(&x, "name");
	fx_config_remove(&y, "name");
	*same = fx_config_equal(&x, &y);
	ret = 0;
cleanup:
	fx_config_release(&x);
	fx_config_release(&y);
	return ret;
}

/* Sleeps ms in slices, stopping early on an interrupt; 0, or -1 when interrupted. */
static int cc_sleep_ms(struct fx_connect_client *c, long ms)
{
	return fx_clock_sleep_ms(ms, c->net ? c->net->interrupt : NULL);
}

/* One write in progress: what connect_write.c's steps are carried out on. */
struct cc_write_op {
	const struct fx_connect_write_rule *rule;
	const char *name;
	const struct fx_config *config;
	char *path;
	char *body;          /* NULL when the rule sends none */
	char *message;       /* the last answer's raw error message */
	struct fx_err last;  /* the last failure, an answer's or a read's */
};

/* SEND: the write once; st gets the ANSWER or NO_ANSWER event.  -1 only for OOM. */
static int cc_write_send(struct fx_connect_client *c, struct cc_write_op *w,
			 struct fx_connect_write_state *st, struct fx_err *err)
{
	char *copy = w->body ? fx_strdup(w->body) : NULL;
	struct cc_resp r;

	if (w->body && !copy)
		return fx_err_set(err, 1, "out of memory");
	free(w->message);
	w->message = NULL;
	st->attempts++;
	st->message = NULL;
	if (cc_perform(c, w->rule->method, w->path, copy, 0, &r, &w->last) < 0) {
		st->event = FX_CONNECT_EV_NO_ANSWER;
		return 0;
	}
	st->event = FX_CONNECT_EV_ANSWER;
	st->status = r.status;
	st->connect_404 = cc_not_found(&r);
	if (r.status < 200 || r.status >= 300) {
		cc_http_error(c, &r, w->config, &w->message, &w->last);
		st->message = w->message;
	}
	return 0;
}

/* READ for the state and offsets writes: the connector's status or offsets. */
static int cc_write_read_other(struct fx_connect_client *c, struct cc_write_op *w,
			       struct fx_connect_write_state *st)
{
	struct fx_observed_connector s;
	struct fx_offsets o = FX_OFFSETS_INIT;
	int found = 0, rc, matches = 0;
	size_t i;

	memset(&s, 0, sizeof(s));
	if (w->rule->readback == FX_CONNECT_RB_STATE) {
		rc = fx_connect_get_status(c, w->name, &s, &found, &w->last);
		if (rc == 0 && found && s.state)
			matches = w->rule->want_state ? !strcmp(s.state, w->rule->want_state) :
				  strcmp(s.state, "PAUSED") && strcmp(s.state, "STOPPED");
	} else {
		rc = fx_connect_get_offsets(c, w->name, &o, &found, &w->last);
		matches = 1;
		for (i = 0; i < o.n; i++)
			matches &= fx_offsets_phase(&o.items[i]) == FX_PHASE_NONE;
	}
	if (rc < 0)
		st->read = w->last.code == FX_EXIT_INTERRUPTED ? FX_CONNECT_READ_INTERRUPTED :
			   FX_CONNECT_READ_FAILED;
	else if (!found)
		st->read = FX_CONNECT_READ_ABSENT;
	else
		st->read = matches ? FX_CONNECT_READ_MATCHES : FX_CONNECT_READ_DIFFERS;
	fx_observed_connector_release(&s);
	fx_offsets_release(&o);
	return 0;
}

/* READ: what is live now; st gets the READ event.  -1 only for OOM. */
static int cc_write_read(struct fx_connect_client *c, struct cc_write_op *w,
			 struct fx_connect_write_state *st, struct fx_err *err)
{
	struct fx_config live = FX_CONFIG_INIT;
	int found, same = 0, ret = -1;

	st->event = FX_CONNECT_EV_READ;
	if (w->rule->readback == FX_CONNECT_RB_STATE || w->rule->readback == FX_CONNECT_RB_OFFSETS)
		return cc_write_read_other(c, w, st);
	if (fx_connect_get_config(c, w->name, &live, &found, &w->last) < 0)
		st->read = w->last.code == FX_EXIT_INTERRUPTED ? FX_CONNECT_READ_INTERRUPTED :
			   FX_CONNECT_READ_FAILED;
	else if (!found)
		st->read = FX_CONNECT_READ_ABSENT;
	else if (w->rule->body == FX_CONNECT_BODY_NONE)
		st->read = FX_CONNECT_READ_PRESENT;
	else if (cc_config_same(&live, w->config, &same) < 0)
		goto cleanup;
	else
		st->read = same ? FX_CONNECT_READ_MATCHES : FX_CONNECT_READ_DIFFERS;
	ret = 0;
cleanup:
	fx_config_release(&live);
	return ret < 0 ? fx_err_set(err, 1, "out of memory") : 0;
}

/* The method, path and body of w, from its rule. */
static int cc_write_prepare(struct fx_connect_client *c, struct cc_write_op *w)
{
	const struct fx_connect_write_rule *rule = w->rule;

	w->path = rule->on_collection ? fx_strdup("/connectors") :
		  cc_connector_path(c, w->name, rule->suffix ? rule->suffix : "");
	if (rule->body != FX_CONNECT_BODY_NONE)
		w->body = cc_config_json(w->config, w->name, rule->body == FX_CONNECT_BODY_NAMED ? 1 :
					 rule->body == FX_CONNECT_BODY_NAMED_STOPPED ? 2 : 0);
	return w->path && (rule->body == FX_CONNECT_BODY_NONE || w->body) ? 0 : -1;
}

/* Carries out fx_connect_write_next's steps until one ends the write. */
static int cc_write(struct fx_connect_client *c, enum fx_connect_write_kind kind,
		    const char *name, const struct fx_config *config, int *noop,
		    struct fx_err *err)
{
	static const struct fx_config empty = FX_CONFIG_INIT;
	struct cc_write_op w = {
		.rule = &fx_connect_write_rules[kind], .name = name,
		.config = config ? config : &empty, .last = FX_ERR_INIT,
	};
	struct fx_connect_write_state st = FX_CONNECT_WRITE_STATE_INIT;
	double start = fx_clock_now();
	int ret = -1;

	if (noop)
		*noop = 0;
	if (cc_write_prepare(c, &w) < 0) {
		fx_err_set(err, 1, "out of memory");
		goto cleanup;
	}
	st.kind = kind;
	st.budget_ms = fx_net_retry_budget_ms(c->net);
	for (;;) {
		struct fx_connect_write_decision d;

		st.elapsed_ms = (long)((fx_clock_now() - start) * 1000.0);
		st.jitter = (unsigned)rand_r(&c->seed);
		d = fx_connect_write_next(&st);
		if (d.resend)
			cc_logf(c, "%s %s%s: outcome unknown (%s) and not in effect: sending again",
				w.rule->method, c->shown, w.path, w.last.msg);
		switch (d.step) {
		case FX_CONNECT_STEP_SEND:
			if (cc_write_send(c, &w, &st, err) < 0)
				goto cleanup;
			break;
		case FX_CONNECT_STEP_READ:
			if (cc_write_read(c, &w, &st, err) < 0)
				goto cleanup;
			break;
		case FX_CONNECT_STEP_WAIT:
			cc_logf(c, "retrying in %.1f s: %s", (double)d.wait_ms / 1000.0, w.last.msg);
			if (cc_sleep_ms(c, d.wait_ms) < 0) {
				fx_err_set(err, FX_EXIT_INTERRUPTED, "interrupted while retrying: %s",
					   w.last.msg);
				goto cleanup;
			}
			st.event = FX_CONNECT_EV_READY;
			break;
		case FX_CONNECT_STEP_DONE:
			if (noop)
				*noop = d.noop;
			ret = 0;
			goto cleanup;
		case FX_CONNECT_STEP_CONFLICT:
			fx_err_set(err, 1, "%s %s%s: connector '%s' %s", w.rule->method, c->shown,
				   w.path, name, w.rule->conflict);
			goto cleanup;
		case FX_CONNECT_STEP_SPENT:
			fx_err_set(err, 1, "%s (gave up after %u attempts in %.0f s)", w.last.msg,
				   st.attempts, fx_clock_now() - start);
			goto cleanup;
		default:
			*err = w.last;
			goto cleanup;
		}
	}
cleanup:
	free(w.message);
	free(w.path);
	free(w.body);
	return ret;
}

int fx_connect_create(struct fx_connect_client *c, const char *name,
		      const struct fx_config *config, int *noop, struct fx_err *err)
{
	return cc_write(c, FX_CONNECT_WRITE_CREATE, name, config, noop, err);
}

int fx_connect_update(struct fx_connect_client *c, const char *name,
		      const struct fx_config *config, struct fx_err *err)
{
	return cc_write(c, FX_CONNECT_WRITE_UPDATE, name, config, NULL, err);
}

int fx_connect_delete(struct fx_connect_client *c, const char *name, int *noop,
		      struct fx_err *err)
{
	return cc_write(c, FX_CONNECT_WRITE_DELETE, name, NULL, noop, err);
}

int fx_connect_create_stopped(struct fx_connect_client *c, const char *name,
			      const struct fx_config *config, int *noop, struct fx_err *err)
{
	return cc_write(c, FX_CONNECT_WRITE_CREATE_STOPPED, name, config, noop, err);
}

int fx_connect_stop(struct fx_connect_client *c, const char *name, struct fx_err *err)
{
	return cc_write(c, FX_CONNECT_WRITE_STOP, name, NULL, NULL, err);
}

int fx_connect_resume(struct fx_connect_client *c, const char *name, struct fx_err *err)
{
	return cc_write(c, FX_CONNECT_WRITE_RESUME, name, NULL, NULL, err);
}

int fx_connect_restart(struct fx_connect_client *c, const char *name, int only_failed,
		       struct fx_err *err)
{
	return cc_write(c, only_failed ? FX_CONNECT_WRITE_RESTART_FAILED : FX_CONNECT_WRITE_RESTART,
			name, NULL, NULL, err);
}

int fx_connect_offsets_delete(struct fx_connect_client *c, const char *name, struct fx_err *err)
{
	return cc_write(c, FX_CONNECT_WRITE_OFFSETS_DELETE, name, NULL, NULL, err);
}
