/* Not a test suite: the helpers every unit test file shares. */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>

const char *fx_test_path(const char *rel)
{
	static char buf[4096];
	const char *root = getenv("FLUXACDC_TEST_ROOT");

	snprintf(buf, sizeof(buf), "%s/%s", root && *root ? root : ".", rel);
	return buf;
}

char *fx_test_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		data = malloc((size_t)n + 1);
		if (data && fread(data, 1, (size_t)n, f) != (size_t)n) {
			free(data);
			data = NULL;
		} else if (data) {
			data[n] = '\0';
			if (len)
				*len = (size_t)n;
		}
	}
	fclose(f);
	return data;
}
