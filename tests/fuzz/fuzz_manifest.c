/* libFuzzer target: the manifest loader must neither crash nor leak on any bytes. */
#include <stddef.h>
#include <stdint.h>

#include "manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *fuzz_env(const char *name, void *ctx)
{
	(void)ctx;
	return name[0] == 'S' ? "value" : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fx_manifest m = FX_MANIFEST_INIT;
	struct fx_diags d = FX_DIAGS_INIT;
	struct fx_err err = FX_ERR_INIT;

	(void)fx_manifest_load_bytes("fuzz.yaml", (const char *)data, size, fuzz_env, NULL, &m, &d,
				     &err);
	fx_diags_release(&d);
	fx_manifest_release(&m);
	return 0;
}
