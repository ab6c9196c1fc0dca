/*
 * libFuzzer target: the manifest loader must neither crash nor leak on any
 * bytes; whatever loads goes on through the pure modules that follow it in
 * every command (desired connectors, topics), which must cope too.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "desired.h"
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

	if (fx_manifest_load_bytes("fuzz.yaml", (const char *)data, size, fuzz_env, NULL, &m, &d,
				   &err) == 0) {
		struct fx_desired want = FX_DESIRED_INIT;
		size_t i;

		(void)fx_desired_build(&m, NULL, &want, &err);
		fx_desired_release(&want);
		for (i = 0; i < m.n_entities; i++)
			if (m.entities[i].kafka_pool)
				free(fx_manifest_topic(&m, &m.entities[i]));
	}
	fx_diags_release(&d);
	fx_manifest_release(&m);
	return 0;
}
