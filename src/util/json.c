#include "util/json.h"

int fx_json_write(FILE *out, json_t *j, size_t flags)
{
	int r;

	if (!j)
		return -1;
	r = json_dumpf(j, out, flags);
	json_decref(j);
	if (r == 0 && fputc('\n', out) == EOF)
		r = -1;
	return r < 0 ? -1 : 0;
}
