/*
 * libFuzzer target: configs compared by meaning (normalize.h) on values read
 * back from Connect, which fluxacdc does not control.  The input is
 * "key\nvalue-a\nvalue-b" (missing parts: absent values).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "normalize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *key, *a = NULL, *b = NULL, *nl, *out = NULL;
	int skip;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	key = s;
	if ((nl = strchr(key, '\n'))) {
		*nl = '\0';
		a = nl + 1;
		if ((nl = strchr(a, '\n'))) {
			*nl = '\0';
			b = nl + 1;
		}
	}
	(void)fx_normalize_equal(key, a, b);
	(void)fx_normalize_equal(key, b, a);
	/* a list compares equal to itself, whatever its bytes */
	if (a && fx_normalize_equal("table.include.list", a, a) == 0)
		abort();
	free(fx_normalize_canon(key, a ? a : "", &skip));
	free(fx_normalize_canon("table.include.list", b ? b : key, &skip));
	if (fx_normalize_list_added(a, b, &out) == 0)
		free(out);
	(void)fx_normalize_masked(b);
	free(s);
	return 0;
}
