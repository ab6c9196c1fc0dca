#include "util/err.h"

#include <stdio.h>
#include <string.h>

void fx_err_init(struct fx_err *err)
{
	err->code = 0;
	err->msg[0] = '\0';
}

int fx_err_set(struct fx_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

int fx_err_prefix(struct fx_err *err, const char *fmt, ...)
{
	char head[FX_ERR_MSG_MAX], old[FX_ERR_MSG_MAX];
	va_list ap;

	if (!err)
		return -1;
	va_start(ap, fmt);
	vsnprintf(head, sizeof(head), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	snprintf(err->msg, sizeof(err->msg), "%.*s: %.*s", (int)(sizeof(head) / 2), head,
		 (int)(sizeof(old) / 2 - 4), old);
	return -1;
}
