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
void fx_buf_add(struct fx_buf *b, const void *data, size_t n);
void fx_buf_adds(struct fx_buf *b, const char *s);
void fx_buf_addc(struct fx_buf *b, char c);
void fx_buf_addf(struct fx_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void fx_buf_vaddf(struct fx_buf *b, const char *fmt, va_list ap);
/* The contents as a string ("" when empty). */
const char *fx_buf_str(const struct fx_buf *b);
int fx_buf_ok(const struct fx_buf *b);

#endif
