#include "util/alloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long alloc_fail_left = -1;
static int alloc_fail_once; /* only that one allocation fails, later ones succeed */
static long alloc_counter;
static int alloc_injected;

static int alloc_should_fail(void)
{
	alloc_counter++;
	if (alloc_fail_left < 0)
		return 0;
	if (alloc_fail_left == 0) {
		alloc_injected = 1;
		if (alloc_fail_once)
			alloc_fail_left = -1;
		return 1;
	}
	alloc_fail_left--;
	return 0;
}

void fx_alloc_fail_after(long n)
{
	alloc_fail_left = n;
	alloc_fail_once = 0;
	alloc_injected = 0;
}

void fx_alloc_fail_once(long n)
{
	alloc_fail_left = n;
	alloc_fail_once = 1;
	alloc_injected = 0;
}

long fx_alloc_count(void)
{
	return alloc_counter;
}

void fx_alloc_count_reset(void)
{
	alloc_counter = 0;
	alloc_injected = 0;
}

int fx_alloc_failed(void)
{
	return alloc_injected;
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
