/*
 * libFuzzer target: plan files (`show FILE`, `apply FILE`), which come from
 * disk and CI artifacts, not from this process.  Whatever loads must render
 * in every format, and must survive a round trip: written back and read
 * again, it loads and writes the same bytes.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan_json.h"
#include "render_plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *plan_bytes(const struct fx_plan *p, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		abort();
	if (fx_plan_write_json(p, f, 0) < 0)
		abort(); /* a plan that loaded must be writable */
	fclose(f);
	return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	struct fx_plan p = FX_PLAN_INIT, again = FX_PLAN_INIT;
	struct fx_render_plan_opts o = FX_RENDER_PLAN_OPTS_INIT;
	struct fx_err err = FX_ERR_INIT;
	char *one, *two;
	size_t n1, n2;

	if (!sink && !(sink = fopen("/dev/null", "w")))
		abort();
	if (fx_plan_from_json("fuzz.plan", (const char *)data, size, &p, &err) < 0)
		return 0;
	fx_render_plan_text(sink, &p, &o);
	o.verbose = 1;
	o.color = 1;
	fx_render_plan_text(sink, &p, &o);
	o.max_bytes = 300;
	o.plan_file = "plan.json";
	fx_render_plan_markdown(sink, &p, &o);
	fx_render_plan_github(sink, &p, &o);
	fx_render_plan_summary(sink, &p, &o);

	one = plan_bytes(&p, &n1);
	if (fx_plan_from_json("fuzz.plan", one, n1, &again, &err) < 0)
		abort(); /* what we wrote we must read */
	two = plan_bytes(&again, &n2);
	if (n1 != n2 || memcmp(one, two, n1))
		abort(); /* and it must say the same thing */
	free(one);
	free(two);
	fx_plan_release(&again);
	fx_plan_release(&p);
	return 0;
}
