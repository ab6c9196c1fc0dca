/*
 * net.c and fx_cmd_net: the one set of network settings every command builds
 * from its options and lends to the three adapters, defaults applied once.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "cmd_common.h"
#include "net.h"

Test(net, defaults_applied_once)
{
	static const struct {
		int timeout_s;
		long budget_ms;
		long want_timeout_ms, want_budget_ms;
	} cases[] = {
		{ 10, 60000, 10000, 60000 },
		{ 1, 0, 1000, 0 },        /* --retry-budget 0: no retries */
		{ 0, -1, FX_NET_TIMEOUT_S * 1000L, FX_NET_RETRY_BUDGET_MS },
		{ -5, 1500, FX_NET_TIMEOUT_S * 1000L, 1500 },
		{ 86400, 60000, 86400000L, 60000 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fx_net net = FX_NET_INIT;

		net.timeout_s = cases[i].timeout_s;
		net.retry_budget_ms = cases[i].budget_ms;
		cr_expect_eq(fx_net_timeout_ms(&net), cases[i].want_timeout_ms, "case %zu", i);
		cr_expect_eq(fx_net_retry_budget_ms(&net), cases[i].want_budget_ms, "case %zu", i);
	}
	cr_expect_eq(fx_net_timeout_ms(NULL), FX_NET_TIMEOUT_S * 1000L);
	cr_expect_eq(fx_net_retry_budget_ms(NULL), FX_NET_RETRY_BUDGET_MS);
	cr_expect_str_eq(FX_NET_STR(FX_NET_TIMEOUT_S), "10");
	cr_expect_str_eq(FX_NET_STR(FX_NET_RETRY_BUDGET_S), "60");
}

static void net_test_log(void *ctx, const char *line)
{
	char *last = ctx;

	snprintf(last, 64, "%s", line);
}

Test(net, log_and_interrupt)
{
	struct fx_net net = FX_NET_INIT;
	volatile sig_atomic_t flag = 0;
	char last[64] = "";

	cr_assert_not(fx_net_interrupted(&net));
	cr_assert_not(fx_net_interrupted(NULL));
	fx_net_log(&net, "nobody listens");
	fx_net_log(NULL, "nobody listens");
	net.interrupt = &flag;
	cr_assert_not(fx_net_interrupted(&net));
	flag = 2;
	cr_assert(fx_net_interrupted(&net));
	net.log = net_test_log;
	net.log_ctx = last;
	fx_net_log(&net, "GET / -> 200 (3 ms)");
	cr_assert_str_eq(last, "GET / -> 200 (3 ms)");
}

/* Every command's net comes from its options: --timeout, the signal flag, -v. */
Test(net, from_the_options)
{
	struct fx_opts opts = FX_OPTS_INIT;
	struct fx_net net;

	cr_assert_eq(opts.timeout_s, FX_NET_TIMEOUT_S);
	opts.timeout_s = 3;
	memset(&net, 0xa5, sizeof(net));
	fx_cmd_net(&opts, &net);
	cr_assert_eq(net.timeout_s, 3);
	cr_assert_eq(net.retry_budget_ms, FX_NET_RETRY_BUDGET_MS);
	cr_assert_eq(net.interrupt, &fx_interrupted);
	cr_assert_eq(net.log, fx_cli_log);
	cr_assert_eq(net.log_ctx, (void *)&opts);
}
