/*
 * Allocation wrappers.  They return NULL on failure like malloc(); callers
 * check.  In test builds fx_alloc_fail_after(n) makes the n-th allocation from
 * now fail (curl-style torture), so error paths can be proven clean.
 * fx_strdup/fx_strndup/fx_asprintf give ownership of the returned string.
 */
#ifndef FX_UTIL_ALLOC_H
#define FX_UTIL_ALLOC_H

#include <stddef.h>

void *fx_malloc(size_t n);
void *fx_calloc(size_t nmemb, size_t size);
void *fx_realloc(void *p, size_t n);
char *fx_strdup(const char *s);
char *fx_strndup(const char *s, size_t n);
char *fx_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Torture control: -1 disables; n >= 0 fails the allocation after n more succeed. */
void fx_alloc_fail_after(long n);
/* The same, but only that one allocation fails: later ones succeed again, so
 * an out-of-memory error that is swallowed shows as a wrong result. */
void fx_alloc_fail_once(long n);
/* How many allocations fx_* made since the counter was last reset. */
long fx_alloc_count(void);
void fx_alloc_count_reset(void);
/* True when an injected failure happened since the last reset. */
int fx_alloc_failed(void);

/* Grows *arr (of *alloc elements of size elem) to hold at least need; -1 on OOM. */
int fx_grow(void *arrp, size_t *alloc, size_t need, size_t elem);

#endif
