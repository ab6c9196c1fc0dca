/* libFuzzer target: the Go-driver DSN parser. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dsn.h"
#include "interp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *out = NULL;
	struct fx_dsn d = FX_DSN_INIT;
	struct fx_err err = FX_ERR_INIT;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	(void)fx_dsn_parse(s, &d, &err);
	fx_dsn_release(&d);
	if (fx_interp_expand(s, NULL, NULL, &out, &err) == 0)
		free(out);
	(void)fx_interp_is_provider_ref(s);
	free(s);
	return 0;
}
