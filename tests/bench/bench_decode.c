/*
 * The decode threads' work without Kafka: records as gen_events.py writes
 * them ("key<TAB>value" lines, an empty value a tombstone) decoded and
 * rendered as `tail` does (debezium.c, typed.c, render_event.c), typed with
 * the column types of bench_tail.sh's table, timed on one thread.  Prints
 * one tab-separated line per mode: name, events, ns per event, events/s.
 * Also a driver for callgrind (`valgrind --tool=callgrind build/bench_decode
 * FILE json 1`).
 *
 *   bench_decode FILE [MODE [LOOPS]]   MODE: json, raw (json --raw),
 *   pretty, untyped and untyped-pretty (no table: the 420-byte topic's
 *   case); default all
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "debezium.h"
#include "render_event.h"
#include "typed.h"
#include "util/file.h"

struct rec {
	const char *key, *value; /* value NULL: a tombstone */
	size_t klen, vlen;
};

static int bench_table(struct fx_typed_table *t)
{
	static const struct {
		const char *name, *type, *column_type, *precision, *scale, *dt_precision;
		int json;
	} cols[] = {
		{ "ID", "bigint", "bigint(20) unsigned", "20", "0", NULL, 0 },
		{ "Name", "varchar", "varchar(100)", NULL, NULL, NULL, 0 },
		{ "Email", "varchar", "varchar(200)", NULL, NULL, NULL, 0 },
		{ "Balance", "decimal", "decimal(12,2)", "12", "2", NULL, 0 },
		{ "Active", "tinyint", "tinyint(1)", "3", "0", NULL, 0 },
		{ "CreatedAt", "datetime", "datetime(3)", NULL, NULL, "3", 0 },
		{ "Birthday", "date", "date", NULL, NULL, NULL, 0 },
		{ "UpdatedAt", "timestamp", "timestamp(6)", NULL, NULL, "6", 0 },
		{ "Status", "enum", "enum('new','paid','shipped')", NULL, NULL, NULL, 0 },
		{ "Meta", "longtext", "longtext", NULL, NULL, NULL, 1 }, /* MariaDB's JSON */
	};
	struct fx_typed_modes modes = FX_TYPED_MODES_INIT;
	size_t i;

	for (i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		if (fx_typed_table_add(t, cols[i].name,
				       fx_typed_col_from_mysql(cols[i].type, cols[i].column_type,
							       cols[i].precision, cols[i].scale,
							       cols[i].dt_precision, cols[i].json,
							       &modes)) < 0)
			return -1;
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One mode over every record, loops times; -1 when a record does not decode. */
static int run(const char *mode, const struct rec *recs, size_t n, int loops,
	       const struct fx_typed_table *table)
{
	struct fx_typer *ty = NULL;
	struct fx_event ev = FX_EVENT_INIT;
	struct fx_buf out = FX_BUF_INIT;
	struct fx_err err = FX_ERR_INIT;
	struct fx_render_event_opts o = { .format = FX_EVENT_JSON };
	struct fx_record_meta m = { .topic = "fluxa_bench.fluxa.bench_typed", .partition = 1,
				    .timestamp_ms = 1795514400000LL, .entity = "Bench" };
	size_t i, events = 0;
	double t0;
	int l, ret = 0;

	if (strstr(mode, "pretty"))
		o.format = FX_EVENT_PRETTY;
	if (strcmp(mode, "raw")) {
		ty = fx_typer_new();
		if (!ty)
			return -1;
		fx_typer_set_table(ty, strncmp(mode, "untyped", 7) ? table : NULL);
	}
	t0 = now_s();
	for (l = 0; l < loops && !ret; l++)
		for (i = 0; i < n; i++) {
			const struct rec *r = &recs[i];

			if (fx_debezium_decode_key_typed(&ev, r->key, r->klen, ty, &err) < 0 ||
			    fx_debezium_decode_value_typed(&ev, r->value, r->vlen, ty, &err) < 0) {
				fprintf(stderr, "bench_decode: record %zu: %s\n", i, err.msg);
				ret = -1;
				break;
			}
			m.offset = (int64_t)events++;
			fx_render_event(&out, &o, &m, &ev);
			if (out.len > (1 << 20)) /* a batch written out */
				fx_buf_reset(&out);
		}
	if (!ret) {
		double s = now_s() - t0;

		printf("%s\t%zu\t%.0f\t%.0f\n", mode, events, s * 1e9 / (double)events,
		       (double)events / s);
	}
	fx_event_release(&ev);
	fx_buf_release(&out);
	fx_typer_free(ty);
	return ret;
}

int main(int argc, char **argv)
{
	static const char *const all[] = { "json", "raw", "pretty", "untyped", "untyped-pretty",
					   NULL };
	const char *one[2] = { NULL, NULL }, *const *modes = all;
	struct fx_typed_table table = { 0 };
	struct fx_err err = FX_ERR_INIT;
	struct fx_buf file = FX_BUF_INIT;
	struct rec *recs = NULL;
	size_t n = 0, alloc = 0, k;
	char *p, *end;
	int loops, ret = 1;

	if (argc < 2) {
		fprintf(stderr, "usage: bench_decode FILE [json|raw|pretty|untyped|untyped-pretty [LOOPS]]\n");
		return 64;
	}
	if (argc > 2) {
		one[0] = argv[2];
		modes = one;
	}
	loops = argc > 3 ? atoi(argv[3]) : 3;
	if (fx_file_read(argv[1], 0, &file, &err) < 0) {
		fprintf(stderr, "bench_decode: %s\n", err.msg);
		fx_buf_release(&file);
		return 1;
	}
	for (p = file.buf, end = file.buf + file.len; p < end;) {
		char *nl = memchr(p, '\n', (size_t)(end - p)), *tab;

		if (!nl)
			nl = end;
		tab = memchr(p, '\t', (size_t)(nl - p));
		if (tab) {
			if (n == alloc) {
				struct rec *grown;

				alloc = alloc ? 2 * alloc : 1024;
				grown = realloc(recs, alloc * sizeof(*recs));
				if (!grown)
					goto cleanup;
				recs = grown;
			}
			recs[n].key = p;
			recs[n].klen = (size_t)(tab - p);
			recs[n].value = tab + 1 < nl ? tab + 1 : NULL;
			recs[n].vlen = (size_t)(nl - tab - 1);
			n++;
		}
		p = nl + 1;
	}
	if (!n || bench_table(&table) < 0)
		goto cleanup;
	for (k = 0; modes[k]; k++)
		if (run(modes[k], recs, n, loops, &table) < 0)
			goto cleanup;
	ret = 0;
cleanup:
	for (k = 0; k < table.n_cols; k++)
		free(table.cols[k].name);
	free(table.cols);
	free(recs);
	fx_buf_release(&file);
	return ret;
}
