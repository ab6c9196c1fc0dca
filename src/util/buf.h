/*
 * struct fx_buf: a growable NUL-terminated byte buffer (git's strbuf).
 * The buffer owns buf; fx_buf_release frees it, fx_buf_detach hands it over.
 * An allocation failure is sticky: the buffer keeps what it had, sets oom,
 * and later appends are ignored, so a caller checks fx_buf_ok() once at the end.
 */
#ifndef FX_UTIL_BUF_H
#define FX_UTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

struct fx_buf {
	char *buf;
	size_t len;
	size_t alloc;
	int oom;
};

#define FX_BUF_INIT { .buf = NULL, .len = 0, .alloc = 0, .oom = 0 }

void fx_buf_init(struct fx_buf *b);
void fx_buf_release(struct fx_buf *b);
void fx_buf_reset(struct fx_buf *b);
/* Returns the buffer's string and leaves b empty; the caller frees it. NULL on oom. */
char *fx_buf_detach(struct fx_buf *b);
/* The appends; fx_buf_grow_add is their slow path (the buffer must grow, or oom). */
void fx_buf_grow_add(struct fx_buf *b, const void *data, size_t n);

/*
 * Inline: tail's decode threads append a few bytes at a time, millions of
 * times a second, where a call each cost more than the copy.
 */
static inline void fx_buf_add(struct fx_buf *b, const void *data, size_t n)
{
	if (n < b->alloc - b->len && !b->oom) { /* room for n bytes and the NUL */
		memcpy(b->buf + b->len, data, n);
		b->len += n;
		b->buf[b->len] = '\0';
		return;
	}
	fx_buf_grow_add(b, data, n);
}

static inline void fx_buf_adds(struct fx_buf *b, const char *s)
{
	fx_buf_add(b, s, strlen(s));
}

static inline void fx_buf_addc(struct fx_buf *b, char c)
{
	fx_buf_add(b, &c, 1);
}

void fx_buf_addf(struct fx_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void fx_buf_vaddf(struct fx_buf *b, const char *fmt, va_list ap);
/* The contents as a string ("" when empty). */
const char *fx_buf_str(const struct fx_buf *b);
static inline int fx_buf_ok(const struct fx_buf *b)
{
	return !b->oom;
}

#endif
