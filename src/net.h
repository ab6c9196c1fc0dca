/*
 * How fluxacdc talks over the network, settled once by the command from the
 * options (fx_cmd_net in cmd_common.c) and lent read-only to the three
 * adapters: connect.c (libcurl), mysql_inspect.c (libmariadb) and tail.c
 * (librdkafka).  Each keeps the pointer, not a copy: the struct and the
 * log_ctx it lends must outlive every client made with it.
 */
#ifndef FX_NET_H
#define FX_NET_H

#include <signal.h>

#define FX_NET_TIMEOUT_S 10       /* --timeout's default */
#define FX_NET_RETRY_BUDGET_S 60  /* --retry-budget's default */
#define FX_NET_RETRY_BUDGET_MS (FX_NET_RETRY_BUDGET_S * 1000L)
/* The defaults as string literals, for --help. */
#define FX_NET_STR_(x) #x
#define FX_NET_STR(x) FX_NET_STR_(x)

struct fx_net {
	/* Each network operation: a Connect request (connect included), a
	 * database's connect, read and write, a Kafka metadata or offset query
	 * and librdkafka's socket.timeout.ms.  < 1 means FX_NET_TIMEOUT_S. */
	int timeout_s;
	/* Connect writes: the total time for retries (< 0: FX_NET_RETRY_BUDGET_MS). */
	long retry_budget_ms;
	/* Optional: once *interrupt is non-zero, reads and waits stop (130); a
	 * Connect write already sent is finished, not abandoned. */
	volatile sig_atomic_t *interrupt;
	/* Optional: one line per request, retry and server ("GET URL -> 200 (3 ms)"). */
	void (*log)(void *ctx, const char *line);
	void *log_ctx;
};

#define FX_NET_INIT { .timeout_s = FX_NET_TIMEOUT_S, .retry_budget_ms = FX_NET_RETRY_BUDGET_MS, \
		      .interrupt = NULL, .log = NULL, .log_ctx = NULL }

/* The timeout in ms, the default applied (net may be NULL). */
long fx_net_timeout_ms(const struct fx_net *net);
/* The retry budget in ms, the default applied (net may be NULL). */
long fx_net_retry_budget_ms(const struct fx_net *net);
/* Logs line through net's callback, if any (net may be NULL). */
void fx_net_log(const struct fx_net *net, const char *line);
/* Whether *net->interrupt is set (net may be NULL). */
int fx_net_interrupted(const struct fx_net *net);

#endif
