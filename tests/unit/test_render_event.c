/*
 * The event renderers over the recorded real events: the JSON line is checked
 * field by field with jansson against the record's own payload, the pretty
 * text against what a person must see.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "debezium.h"
#include "helpers.h"
#include "render_event.h"

struct rec {
	char *key, *value;
	size_t klen, vlen;
	struct fx_event ev;
};

static void rec_load(const char *name, struct rec *r)
{
	char rel[256];
	struct fx_err err = FX_ERR_INIT;

	snprintf(rel, sizeof(rel), "tests/fixtures/events-tail/%s.key", name);
	r->key = fx_test_read(fx_test_path(rel), &r->klen);
	snprintf(rel, sizeof(rel), "tests/fixtures/events-tail/%s.value", name);
	r->value = fx_test_read(fx_test_path(rel), &r->vlen);
	if (!r->value)
		r->vlen = 0;
	if (!r->key)
		r->klen = 0;
	fx_event_init(&r->ev);
	cr_assert_eq(fx_debezium_decode(&r->ev, r->key, r->klen, r->value, r->vlen, &err), 0,
		     "%s: %s", name, err.msg);
}

static void rec_free(struct rec *r)
{
	fx_event_release(&r->ev);
	free(r->key);
	free(r->value);
}

static char *render(const struct rec *r, enum fx_event_format f, int color, const char *entity)
{
	struct fx_render_event_opts o = { .format = f, .color = color, .max_value = 0 };
	struct fx_record_meta m = { "tailtest.fluxa.tailtest_types", 2, 17, 1795492274230LL, entity };
	struct fx_buf b = FX_BUF_INIT;

	fx_render_event(&b, &o, &m, &r->ev);
	cr_assert(fx_buf_ok(&b));
	return fx_buf_detach(&b);
}

/* The Debezium payload of a recorded value, envelope dropped. */
static json_t *payload_of(const struct rec *r)
{
	json_t *v = json_loadb(r->value, r->vlen, 0, NULL), *p;

	cr_assert(v);
	p = json_object_get(v, "payload");
	if (p && json_object_get(v, "schema")) {
		json_incref(p);
		json_decref(v);
		return p;
	}
	return v;
}

static const char *const spec_fields[] = {
	"topic", "partition", "offset", "timestamp", "entity", "id", "op", "before", "after",
	"changed", "source", "ts_ms",
};

Test(render_event, json_lines_carry_the_spec_fields)
{
	static const char *const names[] = {
		"plain-types-read", "plain-types-create", "plain-types-update", "plain-types-delete",
		"schema-types-read", "schema-types-create", "schema-types-update2", "schema-types-delete",
		"schema-composite-update", "plain-nopk-create",
	};
	size_t i, k;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct rec r;
		char *line;
		json_t *j, *p;
		json_error_t jerr;

		rec_load(names[i], &r);
		line = render(&r, FX_EVENT_JSON, 0, "TypesEntity");
		cr_expect_eq(strchr(line, '\n'), line + strlen(line) - 1, "%s: one line", names[i]);
		j = json_loads(line, 0, &jerr);
		cr_assert(j, "%s: %s in %s", names[i], jerr.text, line);
		for (k = 0; k < sizeof(spec_fields) / sizeof(spec_fields[0]); k++)
			cr_expect(json_object_get(j, spec_fields[k]), "%s: no '%s'", names[i],
				  spec_fields[k]);
		cr_expect_null(json_object_get(j, "schema"), "%s: schema dropped", names[i]);
		cr_expect_str_eq(json_string_value(json_object_get(j, "topic")),
				 "tailtest.fluxa.tailtest_types");
		cr_expect_eq(json_integer_value(json_object_get(j, "partition")), 2);
		cr_expect_eq(json_integer_value(json_object_get(j, "offset")), 17);
		cr_expect_eq(json_integer_value(json_object_get(j, "timestamp")), 1795492274230LL);
		cr_expect_str_eq(json_string_value(json_object_get(j, "entity")), "TypesEntity");
		p = payload_of(&r);
		cr_expect(json_equal(json_object_get(j, "before"), json_object_get(p, "before")),
			  "%s: before", names[i]);
		cr_expect(json_equal(json_object_get(j, "after"), json_object_get(p, "after")),
			  "%s: after", names[i]);
		cr_expect(json_equal(json_object_get(j, "source"), json_object_get(p, "source")),
			  "%s: source", names[i]);
		cr_expect(json_equal(json_object_get(j, "op"), json_object_get(p, "op")), "%s: op",
			  names[i]);
		cr_expect(json_equal(json_object_get(j, "ts_ms"), json_object_get(p, "ts_ms")),
			  "%s: ts_ms", names[i]);
		json_decref(p);
		json_decref(j);
		free(line);
		rec_free(&r);
	}
}

Test(render_event, json_ids_and_changed)
{
	static const struct {
		const char *name, *id, *changed;
	} cases[] = {
		{ "plain-types-update", "2", "[\"Balance\"]" },
		{ "plain-types-update2", "2", "[\"Email\",\"Meta\"]" },
		{ "plain-types-create", "2", "null" },
		{ "plain-composite-update", "{\"OrderID\":7,\"Line\":1}", "[\"Qty\"]" },
		{ "plain-nopk-create", "42", "null" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct rec r;
		char *line, *got;
		json_t *j;

		rec_load(cases[i].name, &r);
		line = render(&r, FX_EVENT_JSON, 0, NULL);
		j = json_loads(line, 0, NULL);
		cr_assert(j);
		got = json_dumps(json_object_get(j, "id"), JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
		cr_expect_str_eq(got, cases[i].id, "%s: id", cases[i].name);
		free(got);
		got = json_dumps(json_object_get(j, "changed"), JSON_COMPACT | JSON_ENCODE_ANY);
		cr_expect_str_eq(got, cases[i].changed, "%s: changed", cases[i].name);
		free(got);
		/* without a manifest entity, the table names the event */
		cr_expect_str_eq(json_string_value(json_object_get(j, "entity")),
				 strstr(cases[i].name, "composite") ? "tailtest_composite" :
				 strstr(cases[i].name, "nopk") ? "tailtest_nopk" : "tailtest_types");
		json_decref(j);
		free(line);
		rec_free(&r);
	}
}

Test(render_event, json_tombstone)
{
	struct rec r;
	char *line;

	rec_load("schema-types-tombstone", &r);
	line = render(&r, FX_EVENT_JSON, 0, "TypesEntity");
	cr_expect_str_eq(line, "{\"topic\":\"tailtest.fluxa.tailtest_types\",\"partition\":2,"
			       "\"offset\":17,\"timestamp\":1795492274230,\"entity\":\"TypesEntity\","
			       "\"id\":2,\"tombstone\":true}\n");
	free(line);
	rec_free(&r);
}

Test(render_event, json_is_compacted_when_the_record_is_not)
{
	const char *v = "{ \"op\": \"c\", \"after\": { \"ID\": 1, \"S\": \"a b\" },\n \"source\": {} }";
	struct rec r = { NULL, NULL, 0, 0, FX_EVENT_INIT };
	struct fx_err err = FX_ERR_INIT;
	char *line;

	cr_assert_eq(fx_debezium_decode(&r.ev, "{\"ID\":1}", 8, v, strlen(v), &err), 0);
	line = render(&r, FX_EVENT_JSON, 0, "E");
	cr_expect(strstr(line, "\"after\":{\"ID\":1,\"S\":\"a b\"},\"changed\":null,\"source\":{}"),
		  "%s", line);
	free(line);
	fx_event_release(&r.ev);
}

Test(render_event, pretty_update_shows_only_the_change)
{
	struct rec r;
	char *text;

	rec_load("plain-types-update", &r);
	text = render(&r, FX_EVENT_PRETTY, 0, "TypesEntity");
	cr_expect_str_eq(text, "2026-11-24T03:51:14.000Z update TypesEntity#2 "
			       "tailtest.fluxa.tailtest_types[2]@17 gtid=0-1-78 mariadb-bin.000003:15552\n"
			       "    Balance  \"12.50\" → \"99.99\"\n");
	free(text);
	rec_free(&r);
}

Test(render_event, pretty_create_lists_fields_delete_shows_id)
{
	struct rec r;
	char *text;

	rec_load("schema-types-read", &r);
	text = render(&r, FX_EVENT_PRETTY, 0, NULL);
	cr_expect(strstr(text, " read tailtest_types#1 "), "%s", text);
	cr_expect(strstr(text, " snapshot=last"), "%s", text);
	cr_expect(strstr(text, "\n    Name       \"snap \\\"quoted\\\" Zoë\"\n"), "%s", text);
	cr_expect(strstr(text, "\n    Email      null\n"), "%s", text);
	cr_expect(strstr(text, "\n    Avatar     \"AP8Q\"\n"), "%s", text);
	free(text);
	rec_free(&r);

	rec_load("plain-composite-delete", &r);
	text = render(&r, FX_EVENT_PRETTY, 0, "Line");
	cr_expect(strstr(text, " delete Line#OrderID=7,Line=1 "), "%s", text);
	cr_expect_eq(strchr(text, '\n'), text + strlen(text) - 1, "a delete is one line: %s", text);
	free(text);
	rec_free(&r);

	rec_load("plain-types-tombstone", &r);
	text = render(&r, FX_EVENT_PRETTY, 0, "TypesEntity");
	cr_expect(strstr(text, " tombstone TypesEntity#2 tailtest.fluxa.tailtest_types[2]@17\n"),
		  "%s", text);
	cr_expect(!strncmp(text, "2026-11-24T", 11), "tombstones use the record's time: %s", text);
	free(text);
	rec_free(&r);
}

Test(render_event, pretty_colors)
{
	static const struct {
		const char *name, *colored;
	} cases[] = {
		{ "plain-types-create", "\033[32mcreate\033[0m" },
		{ "plain-types-update", "\033[33mupdate\033[0m" },
		{ "plain-types-delete", "\033[31mdelete\033[0m" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct rec r;
		char *text;

		rec_load(cases[i].name, &r);
		text = render(&r, FX_EVENT_PRETTY, 1, "E");
		cr_expect(strstr(text, cases[i].colored), "%s: %s", cases[i].name, text);
		free(text);
		text = render(&r, FX_EVENT_PRETTY, 0, "E");
		cr_expect_null(strchr(text, '\033'), "%s: no color", cases[i].name);
		free(text);
		rec_free(&r);
	}
}

Test(render_event, pretty_cuts_long_values_and_hides_control_characters)
{
	struct fx_buf v = FX_BUF_INIT;
	struct rec r = { NULL, NULL, 0, 0, FX_EVENT_INIT };
	struct fx_err err = FX_ERR_INIT;
	char *text;
	int i;

	fx_buf_adds(&v, "{\"op\":\"c\",\"after\":{\"ID\":\"a\\u001b[31mb\",\"Blob\":\"");
	for (i = 0; i < 1000; i++)
		fx_buf_adds(&v, "é");
	fx_buf_adds(&v, "\"}}");
	cr_assert_eq(fx_debezium_decode(&r.ev, NULL, 0, v.buf, v.len, &err), 0, "%s", err.msg);
	text = render(&r, FX_EVENT_PRETTY, 0, "E");
	cr_expect(strstr(text, " create E#a?[31mb "), "%s", text);
	cr_expect(strstr(text, "… (2002 bytes)"), "%s", text);
	cr_expect_null(strchr(text, '\033'));
	free(text);
	fx_event_release(&r.ev);
	fx_buf_release(&v);
}

Test(render_event, json_string_escapes)
{
	struct fx_buf b = FX_BUF_INIT;

	fx_render_json_string(&b, "a\"b\\c\n\x01é");
	cr_expect_str_eq(fx_buf_str(&b), "\"a\\\"b\\\\c\\n\\u0001é\"");
	fx_buf_release(&b);
}

/* Numbers printed two digits a division: each length, each sign, the extremes. */
Test(render_event, json_numbers_at_every_length)
{
	static const struct {
		int64_t offset, ts;
		const char *want;
	} cases[] = {
		{ 0, 0, "\"offset\":0,\"timestamp\":0," },
		{ 9, -1, "\"offset\":9,\"timestamp\":null," },
		{ 10, 99, "\"offset\":10,\"timestamp\":99," },
		{ 100, 101, "\"offset\":100,\"timestamp\":101," },
		{ 999, 1000, "\"offset\":999,\"timestamp\":1000," },
		{ 12345, 1795514400007, "\"offset\":12345,\"timestamp\":1795514400007," },
		{ INT64_MAX, 9000000000000000000, "\"offset\":9223372036854775807,\"timestamp\":9000000000000000000," },
		{ -1, 5, "\"offset\":-1,\"timestamp\":5," },
		{ -10, 5, "\"offset\":-10,\"timestamp\":5," },
		{ INT64_MIN, 5, "\"offset\":-9223372036854775808,\"timestamp\":5," },
	};
	struct fx_render_event_opts o = { .format = FX_EVENT_JSON };
	struct fx_event ev = FX_EVENT_INIT;
	size_t i;

	ev.tombstone = 1;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fx_record_meta m = { "t", 0, cases[i].offset, cases[i].ts, "E" };
		struct fx_buf b = FX_BUF_INIT;

		fx_render_event(&b, &o, &m, &ev);
		cr_expect(strstr(fx_buf_str(&b), cases[i].want), "case %zu: %s", i, fx_buf_str(&b));
		fx_buf_release(&b);
	}
}
