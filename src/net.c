#include "net.h"

#include <stddef.h>

long fx_net_timeout_ms(const struct fx_net *net)
{
	return (net && net->timeout_s > 0 ? net->timeout_s : FX_NET_TIMEOUT_S) * 1000L;
}

long fx_net_retry_budget_ms(const struct fx_net *net)
{
	return net && net->retry_budget_ms >= 0 ? net->retry_budget_ms : FX_NET_RETRY_BUDGET_MS;
}

void fx_net_log(const struct fx_net *net, const char *line)
{
	if (net && net->log)
		net->log(net->log_ctx, line);
}

int fx_net_interrupted(const struct fx_net *net)
{
	return net && net->interrupt && *net->interrupt;
}
