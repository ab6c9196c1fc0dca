#include "util/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

void fx_buf_init(struct fx_buf *b)
{
	b->buf = NULL;
	b->len = 0;
	b->alloc = 0;
	b->oom = 0;
}

void fx_buf_release(struct fx_buf *b)
{
	free(b->buf);
	fx_buf_init(b);
}

void fx_buf_reset(struct fx_buf *b)
{
	b->len = 0;
	if (b->buf)
		b->buf[0] = '\0';
}

char *fx_buf_detach(struct fx_buf *b)
{
	char *s;

	if (b->oom) {
		fx_buf_release(b);
		return NULL;
	}
	s = b->buf ? b->buf : fx_strdup("");
	fx_buf_init(b);
	return s;
}

static int buf_reserve(struct fx_buf *b, size_t extra)
{
	size_t need;

	if (b->oom)
		return -1;
	need = b->len + extra + 1;
	if (need <= b->alloc)
		return 0;
	if (fx_grow(&b->buf, &b->alloc, need, 1) < 0) {
		b->oom = 1;
		return -1;
	}
	return 0;
}

void fx_buf_grow_add(struct fx_buf *b, const void *data, size_t n)
{
	if (buf_reserve(b, n) < 0)
		return;
	memcpy(b->buf + b->len, data, n);
	b->len += n;
	b->buf[b->len] = '\0';
}

void fx_buf_vaddf(struct fx_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	if (b->oom)
		return;
	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0 || buf_reserve(b, (size_t)n) < 0)
		return;
	vsnprintf(b->buf + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void fx_buf_addf(struct fx_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fx_buf_vaddf(b, fmt, ap);
	va_end(ap);
}

const char *fx_buf_str(const struct fx_buf *b)
{
	return b->buf ? b->buf : "";
}
