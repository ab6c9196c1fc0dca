#include "util/alloc.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Torture bookkeeping.  Production never arms it, and then an allocation
 * reads one relaxed flag and touches nothing shared; tests arm it (count
 * reset, fail-after) and the counters are atomic, since tail allocates from
 * several decode threads.
 */
static atomic_int alloc_tracking;
static atomic_long alloc_fail_left = -1;
static atomic_int alloc_fail_once; /* only that one allocation fails, later ones succeed */
static atomic_long alloc_counter;
static atomic_int alloc_injected;

static int alloc_should_fail(void)
{
	long left;

	if (!atomic_load_explicit(&alloc_tracking, memory_order_relaxed))
		return 0;
	atomic_fetch_add_explicit(&alloc_counter, 1, memory_order_relaxed);
	left = atomic_load(&alloc_fail_left);
	while (left >= 0) {
		if (left == 0) {
			atomic_store(&alloc_injected, 1);
			if (atomic_load(&alloc_fail_once))
				atomic_store(&alloc_fail_left, -1);
			return 1;
		}
		if (atomic_compare_exchange_weak(&alloc_fail_left, &left, left - 1))
			return 0;
	}
	return 0;
}

void fx_alloc_fail_after(long n)
{
	atomic_store(&alloc_fail_left, n);
	atomic_store(&alloc_fail_once, 0);
	atomic_store(&alloc_injected, 0);
	atomic_store(&alloc_tracking, 1);
}

void fx_alloc_fail_once(long n)
{
	atomic_store(&alloc_fail_left, n);
	atomic_store(&alloc_fail_once, 1);
	atomic_store(&alloc_injected, 0);
	atomic_store(&alloc_tracking, 1);
}

long fx_alloc_count(void)
{
	return atomic_load(&alloc_counter);
}

void fx_alloc_count_reset(void)
{
	atomic_store(&alloc_counter, 0);
	atomic_store(&alloc_injected, 0);
	atomic_store(&alloc_tracking, 1);
}

int fx_alloc_failed(void)
{
	return atomic_load(&alloc_injected);
}

void *fx_malloc(size_t n)
{
	if (alloc_should_fail())
		return NULL;
	return malloc(n ? n : 1);
}

void *fx_calloc(size_t nmemb, size_t size)
{
	if (alloc_should_fail())
		return NULL;
	return calloc(nmemb ? nmemb : 1, size ? size : 1);
}

void *fx_realloc(void *p, size_t n)
{
	if (alloc_should_fail())
		return NULL;
	return realloc(p, n ? n : 1);
}

char *fx_strndup(const char *s, size_t n)
{
	char *d;

	if (!s)
		return NULL;
	d = fx_malloc(n + 1);
	if (!d)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *fx_strdup(const char *s)
{
	return s ? fx_strndup(s, strlen(s)) : NULL;
}

char *fx_asprintf(const char *fmt, ...)
{
	va_list ap, ap2;
	int n;
	char *s;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		va_end(ap2);
		return NULL;
	}
	s = fx_malloc((size_t)n + 1);
	if (s)
		vsnprintf(s, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	return s;
}

int fx_grow(void *arrp, size_t *alloc, size_t need, size_t elem)
{
	void **arr = arrp;
	size_t n;
	void *p;

	if (need <= *alloc)
		return 0;
	n = *alloc ? *alloc * 2 : 8;
	while (n < need)
		n *= 2;
	p = fx_realloc(*arr, n * elem);
	if (!p)
		return -1;
	*arr = p;
	*alloc = n;
	return 0;
}
