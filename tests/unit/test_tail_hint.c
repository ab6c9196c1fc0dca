/*
 * tail's hint for librdkafka's complaints: it must fit the cause.  A broker
 * that was shut down is not a security.protocol problem; a listener that
 * wants SASL is.  The messages are librdkafka 2.0's, as seen against the
 * local stack's brokers (PLAINTEXT, SASL_PLAINTEXT, SASL_SSL).
 */
#include <criterion/criterion.h>
#include <string.h>

#include "tail.h"

Test(tail, hint_fits_the_cause)
{
	static const struct {
		const char *msg;
		const char *want;     /* a substring of the hint, or NULL: no hint */
		const char *not_want; /* a substring the hint must not have */
	} cases[] = {
		/* the broker is gone: brokers and whether it is up, never SASL */
		{ "127.0.0.1:26092/1: Connect to ipv4#127.0.0.1:26092 failed: Connection refused (after 12ms in state CONNECT)",
		  "that the broker is up", "security.protocol" },
		{ "1/1 brokers are down", "that the broker is up", "SASL" },
		{ "127.0.0.1:26092/1: Disconnected (after 31266ms in state UP)",
		  "stopped or restarted", "security.protocol" },
		{ "127.0.0.1:26092/1: Receive failed: Connection reset by peer (after 5012ms in state UP, 1 identical error(s) suppressed)",
		  "stopped or restarted", "SASL" },
		{ "GroupCoordinator: 127.0.0.1:26092: Disconnected (after 120000ms in state UP)",
		  "stopped or restarted", "security.protocol" },
		{ "kafka.invalid:9092/bootstrap: Failed to resolve 'kafka.invalid:9092': Name or service not known (after 3ms in state CONNECT)",
		  "bootstrap.servers", "SASL" },
		/* a listener that wants something else */
		{ "127.0.0.1:26094/bootstrap: Disconnected while requesting ApiVersion: might be caused by incorrect security.protocol configuration (connecting to a SSL listener?) or broker version is < 0.10 (see api.version.request) (after 1ms in state APIVERSION_QUERY)",
		  "check security.protocol", "ssl.ca.location" },
		{ "127.0.0.1:26094/bootstrap: Send failed: Broken pipe (after 2ms in state UP)",
		  "may expect SASL", NULL },
		{ "127.0.0.1:26094/bootstrap: Disconnected (after 4ms in state AUTH_REQ)",
		  "security.protocol", NULL },
		{ "sasl_plaintext://127.0.0.1:26094/bootstrap: SASL authentication error: Authentication failed: Invalid username or password (after 12ms in state AUTH_REQ)",
		  "sasl.username and sasl.password", NULL },
		{ "ssl://127.0.0.1:26092/bootstrap: SSL handshake failed: error:0A00010B:SSL routines::wrong version number (after 3ms in state SSL_HANDSHAKE)",
		  "does not seem to speak TLS", NULL },
		{ "ssl://127.0.0.1:26095/bootstrap: SSL handshake failed: error:0A000086:SSL routines::certificate verify failed (after 5ms in state SSL_HANDSHAKE)",
		  "ssl.ca.location", NULL },
		/* closed, and nothing says when: both causes named */
		{ "127.0.0.1:26092/1: Disconnected", "check that it is up", NULL },
		/* nothing to add */
		{ "Local: Broker handle destroyed", NULL, NULL },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *h = fx_tail_hint(cases[i].msg);

		if (!cases[i].want) {
			cr_expect_null(h, "case %zu: %s", i, h);
			continue;
		}
		cr_expect(h && strstr(h, cases[i].want), "case %zu (%s): hint %s", i, cases[i].msg,
			  h ? h : "(none)");
		if (h && cases[i].not_want)
			cr_expect_null(strstr(h, cases[i].not_want), "case %zu (%s): hint %s", i,
				       cases[i].msg, h);
	}
}
