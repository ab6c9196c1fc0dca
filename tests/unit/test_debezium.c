/*
 * The decoder against real events recorded from the local stack
 * (tests/fixtures/events-tail/, see record.sh there), with and without the
 * JsonConverter schema envelope, and against records that are not events.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "debezium.h"
#include "typed.h"
#include "helpers.h"
#include "util/alloc.h"

struct fixture {
	char *key, *value;
	size_t klen, vlen;
};

static void fixture_load(const char *name, struct fixture *fx)
{
	char rel[256];

	snprintf(rel, sizeof(rel), "tests/fixtures/events-tail/%s.key", name);
	fx->key = fx_test_read(fx_test_path(rel), &fx->klen);
	snprintf(rel, sizeof(rel), "tests/fixtures/events-tail/%s.value", name);
	fx->value = fx_test_read(fx_test_path(rel), &fx->vlen);
	if (!fx->value)
		fx->vlen = 0;
	if (!fx->key)
		fx->klen = 0;
	if (!fx->key) { /* a keyless record has a .nokey marker instead */
		char *marker;

		snprintf(rel, sizeof(rel), "tests/fixtures/events-tail/%s.nokey", name);
		marker = fx_test_read(fx_test_path(rel), NULL);
		cr_assert(marker, "fixture %s is missing", name);
		free(marker);
	}
}

static void fixture_free(struct fixture *fx)
{
	free(fx->key);
	free(fx->value);
}

static char *id_text(const struct fx_event *ev)
{
	struct fx_buf b = FX_BUF_INIT;

	fx_debezium_id_text(ev, &b);
	return fx_buf_detach(&b);
}

static int span_eq(struct fx_span s, const char *lit)
{
	return s.p && s.n == strlen(lit) && !memcmp(s.p, lit, s.n);
}

static const char *row_value(const struct fx_row *r, const char *name)
{
	static char out[256];
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->fields[i].name.n == strlen(name) &&
		    !memcmp(r->fields[i].name.p, name, r->fields[i].name.n)) {
			snprintf(out, sizeof(out), "%.*s", (int)r->fields[i].value.n,
				 r->fields[i].value.p);
			return out;
		}
	return NULL;
}

struct real_case {
	const char *name;
	int tombstone;
	char op;
	const char *id;
	int composite;
	const char *changed; /* comma-joined, updates */
	const char *snapshot;
	size_t n_after, n_before;
};

/* Both converter modes carry the same rows, so each case runs for plain- and schema-. */
static const struct real_case real_cases[] = {
	{ "types-read", 0, 'r', "1", 0, NULL, "\"last\"", 12, 0 },
	{ "types-create", 0, 'c', "2", 0, NULL, "\"false\"", 12, 0 },
	{ "types-update", 0, 'u', "2", 0, "Balance", "\"false\"", 12, 12 },
	{ "types-update2", 0, 'u', "2", 0, "Email,Meta", "\"false\"", 12, 12 },
	{ "types-delete", 0, 'd', "2", 0, NULL, "\"false\"", 0, 12 },
	{ "types-tombstone", 1, 0, "2", 0, NULL, NULL, 0, 0 },
	{ "composite-create", 0, 'c', "OrderID=7,Line=1", 1, NULL, "\"false\"", 4, 0 },
	{ "composite-update", 0, 'u', "OrderID=7,Line=1", 1, "Qty", "\"false\"", 4, 4 },
	{ "composite-delete", 0, 'd', "OrderID=7,Line=1", 1, NULL, "\"false\"", 0, 4 },
	{ "composite-tombstone", 1, 0, "OrderID=7,Line=1", 1, NULL, NULL, 0, 0 },
	{ "nopk-create", 0, 'c', "42", 0, NULL, "\"false\"", 2, 0 },
};

static void check_real(const char *mode, const struct real_case *c)
{
	struct fx_event ev = FX_EVENT_INIT;
	struct fx_err err = FX_ERR_INIT;
	struct fixture fx;
	char name[128], *id;

	snprintf(name, sizeof(name), "%s-%s", mode, c->name);
	fixture_load(name, &fx);
	cr_assert_eq(fx_debezium_decode(&ev, fx.key, fx.klen, fx.value, fx.vlen, &err), 0,
		     "%s: %s", name, err.msg);
	cr_expect_eq(ev.tombstone, c->tombstone, "%s: tombstone", name);
	cr_expect_eq((char)ev.op, c->op, "%s: op '%c'", name, ev.op ? ev.op : '-');
	id = id_text(&ev);
	cr_expect_str_eq(id, c->id, "%s: id", name);
	free(id);
	cr_expect_eq(ev.id_composite, c->composite, "%s: composite id", name);
	cr_expect_eq(ev.after.n, c->n_after, "%s: %zu after fields", name, ev.after.n);
	cr_expect_eq(ev.before.n, c->n_before, "%s: %zu before fields", name, ev.before.n);
	if (c->changed) {
		char got[256] = "";
		size_t i;

		for (i = 0; i < ev.n_changed; i++)
			snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%.*s", i ? "," : "",
				 (int)ev.changed[i].name.n, ev.changed[i].name.p);
		cr_expect_str_eq(got, c->changed, "%s: changed", name);
	} else {
		cr_expect_eq(ev.n_changed, 0, "%s: changed only for updates", name);
	}
	if (!c->tombstone) {
		cr_expect(span_eq(ev.source.snapshot, c->snapshot), "%s: snapshot %.*s", name,
			  (int)ev.source.snapshot.n, ev.source.snapshot.p);
		cr_expect(span_eq(ev.source.connector, "\"mariadb\""), "%s: connector", name);
		cr_expect(span_eq(ev.source.db, "\"fluxa\""), "%s: db", name);
		cr_expect(span_eq(ev.source.file, "\"mariadb-bin.000003\"") || ev.source.file.n > 2,
			  "%s: binlog file", name);
		cr_expect(ev.source.pos.p && ev.source.pos.p[0] >= '1', "%s: binlog pos", name);
		cr_expect(ev.has_ts_ms && ev.ts_ms > 1700000000000LL, "%s: ts_ms", name);
		cr_expect(ev.has_source_ts_ms, "%s: source.ts_ms", name);
		cr_expect(ev.compact, "%s: JsonConverter writes compact JSON", name);
		/* the envelope is gone: the payload's own fields are what we see */
		cr_expect(!ev.source.raw.p || ev.source.raw.p[0] == '{', "%s: source", name);
	}
	fx_event_release(&ev);
	fixture_free(&fx);
}

Test(debezium, real_events_plain_and_schema)
{
	size_t i;

	for (i = 0; i < sizeof(real_cases) / sizeof(real_cases[0]); i++) {
		check_real("plain", &real_cases[i]);
		check_real("schema", &real_cases[i]);
	}
}

Test(debezium, column_types_as_debezium_writes_them)
{
	struct fx_event ev = FX_EVENT_INIT;
	struct fx_err err = FX_ERR_INIT;
	struct fixture fx;

	fixture_load("plain-types-create", &fx);
	cr_assert_eq(fx_debezium_decode(&ev, fx.key, fx.klen, fx.value, fx.vlen, &err), 0, "%s",
		     err.msg);
	cr_expect_str_eq(row_value(&ev.after, "Balance"), "\"12.50\"");   /* DECIMAL as string */
	cr_expect_str_eq(row_value(&ev.after, "CreatedAt"), "1795514400123"); /* DATETIME(3): ms */
	cr_expect_str_eq(row_value(&ev.after, "Meta"), "\"{\\\"plan\\\":\\\"pro\\\",\\\"n\\\":1}\"");
	cr_expect_str_eq(row_value(&ev.after, "Avatar"), "\"iVBORw0KGgo=\""); /* BLOB: base64 */
	cr_expect_str_eq(row_value(&ev.after, "Birthday"), "null");
	cr_expect_str_eq(row_value(&ev.after, "Score"), "-3.25E10");
	fx_event_release(&ev);
	fixture_free(&fx);

	/* the snapshot row has a quoted, non-ASCII name */
	fixture_load("schema-types-read", &fx);
	cr_assert_eq(fx_debezium_decode(&ev, fx.key, fx.klen, fx.value, fx.vlen, &err), 0, "%s",
		     err.msg);
	cr_expect_str_eq(row_value(&ev.after, "Name"), "\"snap \\\"quoted\\\" Zoë\"");
	fx_event_release(&ev);
	fixture_free(&fx);
}

Test(debezium, update_changes_carry_both_sides)
{
	struct fx_event ev = FX_EVENT_INIT;
	struct fx_err err = FX_ERR_INIT;
	struct fixture fx;

	fixture_load("schema-types-update2", &fx);
	cr_assert_eq(fx_debezium_decode(&ev, fx.key, fx.klen, fx.value, fx.vlen, &err), 0, "%s",
		     err.msg);
	cr_assert_eq(ev.n_changed, 2);
	cr_expect(span_eq(ev.changed[0].before, "\"alice@example.com\""));
	cr_expect(span_eq(ev.changed[0].after, "null"));
	cr_expect(span_eq(ev.changed[1].after, "\"{\\\"plan\\\":\\\"team\\\",\\\"n\\\":2}\""));
	fx_event_release(&ev);
	fixture_free(&fx);
}

Test(debezium, key_alone_gives_the_id)
{
	struct fx_event ev = FX_EVENT_INIT;
	struct fx_err err = FX_ERR_INIT;
	static const struct {
		const char *key, *id;
	} cases[] = {
		{ "{\"ID\":42}", "42" },
		{ "{\"schema\":{\"type\":\"struct\"},\"payload\":{\"ID\":42}}", "42" },
		{ "{\"Code\":\"a\\\"b\\u00e9\\ud83d\\ude00\"}", "a\"bé😀" },
		{ "{\"A\":1,\"B\":\"x\"}", "A=1,B=x" },
		{ "\"plain-string-key\"", "plain-string-key" },
		{ "null", "" },
		{ "{}", "" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *id;

		cr_assert_eq(fx_debezium_decode_key(&ev, cases[i].key, strlen(cases[i].key), &err), 0,
			     "%s: %s", cases[i].key, err.msg);
		id = id_text(&ev);
		cr_expect_str_eq(id, cases[i].id, "key %s", cases[i].key);
		free(id);
	}
	fx_event_release(&ev);
}

Test(debezium, other_ops_and_spacing)
{
	struct fx_event ev = FX_EVENT_INIT;
	struct fx_err err = FX_ERR_INIT;
	const char *t = "{\"before\":null,\"after\":null,\"source\":{\"table\":\"T\"},\"op\":\"t\",\"ts_ms\":5}";
	const char *m = "{\"op\":\"m\",\"ts_ms\":5,\"message\":{\"prefix\":\"p\",\"content\":\"eA==\"}}";
	const char *spaced = "{ \"op\" : \"u\",\n \"before\": {\"ID\": 1, \"N\": [1, 2]},\n"
			     " \"after\": {\"ID\":1,\"N\":[1,2], \"M\": 3}, \"source\": null }";

	cr_assert_eq(fx_debezium_decode(&ev, NULL, 0, t, strlen(t), &err), 0, "%s", err.msg);
	cr_expect_eq(ev.op, FX_OP_TRUNCATE);
	cr_expect_null(ev.id.p);
	cr_expect(ev.has_ts_ms && ev.ts_ms == 5);
	cr_assert_eq(fx_debezium_decode(&ev, NULL, 0, m, strlen(m), &err), 0, "%s", err.msg);
	cr_expect_eq(ev.op, FX_OP_MESSAGE);
	cr_expect(ev.message.p && ev.message.p[0] == '{');
	cr_assert_eq(fx_debezium_decode(&ev, "{\"ID\":1}", 8, spaced, strlen(spaced), &err), 0,
		     "%s", err.msg);
	cr_expect_not(ev.compact);
	cr_assert_eq(ev.n_changed, 1, "[1, 2] and [1,2] are the same value");
	cr_expect(span_eq(ev.changed[0].name, "M"));
	cr_expect_null(ev.changed[0].before.p);
	fx_event_release(&ev);
}

/* Records that are not Debezium change events: each is an error with a reason. */
Test(debezium, not_events)
{
	static const struct {
		const char *key, *value;
		size_t vlen;
		const char *why;
	} cases[] = {
		{ "{\"ID\":1}", "", 0, "empty bytes" },
		{ "{\"ID\":1}", "\x01\x02garbage", 9, "not JSON" },
		{ "{\"ID\":1}", "hello", 5, "not JSON" },
		{ "{\"ID\":1}", "{\"a\":1}", 7, "no \"op\"" },
		{ "{\"ID\":1}", "[1,2]", 5, "not a JSON object" },
		{ "{\"ID\":1}", "42", 2, "not a JSON object" },
		{ "{\"ID\":1}", "{\"op\":\"x\"}", 10, "unknown \"op\"" },
		{ "{\"ID\":1}", "{\"op\":1}", 8, "unknown \"op\"" },
		{ "{\"ID\":1}", "{\"op\":\"c\"}", 10, "create without" },
		{ "{\"ID\":1}", "{\"op\":\"c\",\"after\":null}", 23, "create without" },
		{ "{\"ID\":1}", "{\"op\":\"r\",\"after\":null}", 23, "create without" },
		{ "{\"ID\":1}", "{\"op\":\"c\",\"after\":\"{}\"}", 23, "neither an object" },
		{ "{\"ID\":1}", "{\"op\":\"d\",\"before\":null}", 24, "delete without" },
		{ "{\"ID\":1}", "{\"op\":\"u\",\"after\":5}", 20, "neither an object" },
		{ "{\"ID\":1}", "{\"op\":\"c\",\"after\":{}} x", 24, "trailing bytes" },
		{ "{\"ID\":1}", "{\"op\":\"c\",\"after\":{\"a\":\"\xff\"}}", 28, "invalid UTF-8" },
		{ "{\"ID\":1}", "{\"op\":\"c\",\"after\":{\"a\":\"\xc0\xaf\"}}", 29, "invalid UTF-8" },
		{ "{\"ID\":1}", "{\"op\":\"c\",\"after\":{\"a\":\"x\ny\"}}", 28, "control character" },
		{ "{\"ID\":1}", "{\"op\":\"c\",\"after\":{\"a\":01}}", 26, "expected ','" },
		{ "{\"ID\":1}", "{\"op\":\"c\",\"after\":{\"a\":1.}}", 26, "bad number" },
		{ "{\"ID\":1}", "{\"op\":\"c\",\"after\":{\"a\":\"\\x\"}}", 28, "bad escape" },
		{ "{\"ID\":1}", "{\"op\":\"c\",\"after\":{\"a\":\"\\u12\"}}", 30, "bad \\u escape" },
		{ "{\"ID\":1}", "{\"op\":\"c\",\"after\":{\"a\":tru}}", 26, "unexpected" },
		{ "{\"ID\":1}", "{\"op\":\"c\",\"after\":{\"a\":\"\\udc00\"}}", 32, "lone surrogate" },
		{ "{\"ID\":1}", "{\"op\":\"c\",\"after\":{\"a\":\"\\ud800x\"}}", 33, "lone surrogate" },
		{ "{\"ID\":1}", "{\"op\":\"c\",\"after\":{\"a\":1,}}", 26, "field name" },
		{ "{\"ID\":1}", "{\"op\":\"c\",\"after\":{\"a\" 1}}", 25, "expected ':'" },
		{ "{\"ID\":1}", "{\"op\":\"c\",\"after\":{\"a\":1}", 24, "expected ',' or '}'" },
		{ "{\"ID\":1}", "{\"op\":\"c\",\"after\":{\"a\":\"1}}", 25, "unterminated" },
		{ "{\"ID\":1}", "{\"op\":\"c\",\"after\":{\"a\":1}}\0", 27, "trailing" },
		{ "not json", "{\"op\":\"c\",\"after\":{}}", 21, "key is not JSON" },
		{ "", "{\"op\":\"c\",\"after\":{}}", 21, "key is empty" },
	};
	struct fx_event ev = FX_EVENT_INIT;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fx_err err = FX_ERR_INIT;
		int ret = fx_debezium_decode(&ev, cases[i].key, strlen(cases[i].key), cases[i].value,
					     cases[i].vlen, &err);

		cr_expect_eq(ret, -1, "case %zu decoded", i);
		cr_expect(strstr(err.msg, cases[i].why), "case %zu: '%s' does not say '%s'", i,
			  err.msg, cases[i].why);
	}
	fx_event_release(&ev);
}

Test(debezium, deep_nesting_is_refused_not_recursed)
{
	struct fx_event ev = FX_EVENT_INIT;
	struct fx_err err = FX_ERR_INIT;
	size_t n = 100000, i;
	char *v = malloc(2 * n + 1);

	for (i = 0; i < n; i++) {
		v[i] = '[';
		v[n + i] = ']';
	}
	cr_expect_eq(fx_debezium_decode(&ev, NULL, 0, v, 2 * n, &err), -1);
	cr_expect(strstr(err.msg, "nested too deeply"), "%s", err.msg);
	free(v);
	fx_event_release(&ev);
}

Test(debezium, envelope_with_null_payload_is_a_tombstone)
{
	struct fx_event ev = FX_EVENT_INIT;
	struct fx_err err = FX_ERR_INIT;
	const char *v = "{\"schema\":null,\"payload\":null}";

	cr_assert_eq(fx_debezium_decode(&ev, "{\"ID\":3}", 8, v, strlen(v), &err), 0, "%s", err.msg);
	cr_expect(ev.tombstone);
	fx_event_release(&ev);
}

Test(debezium, unescape)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "\"plain\"", "plain" },
		{ "\"a\\nb\\t\\\\\\/\\\"\"", "a\nb\t\\/\"" },
		{ "\"\\u00e9\\u20ac\"", "é€" },
		{ "\"\\ud83d\\ude00\"", "😀" },
		{ "\"\\ud83d\"", "\xef\xbf\xbd" },
		{ "\"\"", "" },
		{ "12.5", "12.5" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fx_buf b = FX_BUF_INIT;
		struct fx_span s = { cases[i].in, strlen(cases[i].in) };

		fx_debezium_unescape(s, &b);
		cr_expect_str_eq(fx_buf_str(&b), cases[i].out, "unescape %s", cases[i].in);
		fx_buf_release(&b);
	}
}

Test(debezium, op_masks)
{
	struct fx_err err = FX_ERR_INIT;
	unsigned m;

	cr_assert_eq(fx_op_parse_mask("c,u,d", &m, &err), 0);
	cr_expect_eq(m, FX_OP_MASK('c') | FX_OP_MASK('u') | FX_OP_MASK('d'));
	cr_assert_eq(fx_op_parse_mask("update,r,t", &m, &err), 0);
	cr_expect_eq(m, FX_OP_MASK('u') | FX_OP_MASK('r') | FX_OP_MASK('t'));
	cr_expect_eq(fx_op_parse_mask("c,x", &m, &err), -1);
	cr_expect(strstr(err.msg, "'x'"), "%s", err.msg);
	cr_expect_eq(err.code, FX_EXIT_USAGE);
	cr_expect_eq(fx_op_parse_mask("", &m, &err), -1);
	cr_expect_eq(fx_op_parse_mask("cu", &m, &err), -1);
}

Test(debezium, span_int)
{
	struct fx_span s;
	int64_t v;

	s.p = "1795492274220", s.n = 13;
	cr_expect(fx_debezium_span_int(s, &v) == 0 && v == 1795492274220LL);
	s.p = "-5", s.n = 2;
	cr_expect(fx_debezium_span_int(s, &v) == 0 && v == -5);
	s.p = "1.5", s.n = 3;
	cr_expect_eq(fx_debezium_span_int(s, &v), -1);
	s.p = "99999999999999999999", s.n = 20;
	cr_expect_eq(fx_debezium_span_int(s, &v), -1);
	s.p = "\"1\"", s.n = 3;
	cr_expect_eq(fx_debezium_span_int(s, &v), -1);
}

/* Integers (ts_ms and the like) up to int64, nothing else. */
Test(debezium, span_int_table)
{
	static const struct {
		const char *in;
		int ok;
		int64_t v;
	} cases[] = {
		{ "0", 1, 0 }, { "-0", 1, 0 }, { "7", 1, 7 }, { "-7", 1, -7 },
		{ "9223372036854775807", 1, INT64_MAX }, { "-9223372036854775807", 1, -INT64_MAX },
		{ "0000000000000000001", 1, 1 },
		{ "9223372036854775808", 0, 0 }, { "18446744073709551615", 0, 0 },
		{ "00000000000000000001", 0, 0 }, { "", 0, 0 }, { "-", 0, 0 }, { "+1", 0, 0 },
		{ "12a", 0, 0 }, { " 1", 0, 0 }, { "1 ", 0, 0 }, { "1e3", 0, 0 }, { "--1", 0, 0 },
		{ "null", 0, 0 },
	};
	struct fx_span none = { NULL, 0 };
	int64_t v;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n = strlen(cases[i].in);
		char *exact = malloc(n ? n : 1);
		struct fx_span s;

		cr_assert_not_null(exact);
		memcpy(exact, cases[i].in, n);
		s.p = exact;
		s.n = n;
		v = 42;
		cr_expect_eq(fx_debezium_span_int(s, &v), cases[i].ok ? 0 : -1, "'%s'", cases[i].in);
		if (cases[i].ok)
			cr_expect_eq(v, cases[i].v, "'%s': %lld", cases[i].in, (long long)v);
		free(exact);
	}
	cr_expect_eq(fx_debezium_span_int(none, &v), -1);
}

/* Every allocation failing in turn: an error, never a crash or a leak (ASan run). */
Test(debezium, allocation_failures)
{
	struct fixture fx;
	long n;

	fixture_load("plain-types-update", &fx);
	for (n = 0; n < 10; n++) {
		struct fx_event ev = FX_EVENT_INIT;
		struct fx_err err = FX_ERR_INIT;
		int ret;

		fx_alloc_fail_after(n);
		ret = fx_debezium_decode(&ev, fx.key, fx.klen, fx.value, fx.vlen, &err);
		fx_alloc_fail_after(-1);
		cr_expect(ret == 0 || strstr(err.msg, "out of memory"), "after %ld: %s", n, err.msg);
		fx_event_release(&ev);
	}
	fixture_free(&fx);
}

/*
 * The decoder's JSON scanner on one value at a time, each copied into a
 * buffer of exactly its size (a Kafka record is not NUL-terminated): RFC 8259
 * JSON with valid UTF-8 is accepted, anything else refused, and nothing past
 * the record's last byte is read (the ASan build checks that).
 */
Test(debezium, json_values_at_their_edges)
{
	static const struct {
		const char *in;
		int ok;
	} cases[] = {
		/* UTF-8: the first and last code point of each length */
		{ "\"\xc2\x80\"", 1 }, { "\"\xdf\xbf\"", 1 }, { "\"\xe0\xa0\x80\"", 1 },
		{ "\"\xef\xbf\xbf\"", 1 }, { "\"\xed\x9f\xbf\"", 1 }, { "\"\xee\x80\x80\"", 1 },
		{ "\"\xf0\x90\x80\x80\"", 1 }, { "\"\xf4\x8f\xbf\xbf\"", 1 },
		{ "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"", 1 },
		/* overlong, surrogates, past U+10FFFF, bad lead or continuation, cut */
		{ "\"\xc0\x80\"", 0 }, { "\"\xc1\xbf\"", 0 }, { "\"\xe0\x9f\xbf\"", 0 },
		{ "\"\xf0\x8f\xbf\xbf\"", 0 }, { "\"\xed\xa0\x80\"", 0 }, { "\"\xed\xbf\xbf\"", 0 },
		{ "\"\xf4\x90\x80\x80\"", 0 }, { "\"\xf5\x80\x80\x80\"", 0 }, { "\"\xf8\x88\x80\x80\x80\"", 0 },
		{ "\"\x80\"", 0 }, { "\"\xe2\x28\xa1\"", 0 }, { "\"\xe2\x82\"", 0 }, { "\"\xf0\x9f\x98\"", 0 },
		{ "\"\xc3", 0 }, { "\"\xf0\x9f", 0 },
		/* escapes */
		{ "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", 1 }, { "\"\\u00e9\\u20AC\"", 1 },
		{ "\"\\ud83d\\ude00\"", 1 }, { "\"\\uDBFF\\uDFFF\"", 1 }, { "\"\\ud7ff\\ue000\"", 1 },
		{ "\"\\ud800\"", 0 }, { "\"\\udbff\\ud800\"", 0 }, { "\"\\ud800\\u00e9\"", 0 },
		{ "\"\\ud800\\", 0 }, { "\"\\u12g4\"", 0 }, { "\"\\u123", 0 }, { "\"\\", 0 },
		{ "\"\\a\"", 0 }, { "\"\t\"", 0 }, { "\"\x1f\"", 0 }, { "\"\x7f\"", 1 }, { "\"", 0 },
		/* numbers */
		{ "0", 1 }, { "-0", 1 }, { "9", 1 }, { "-9.9e9", 1 }, { "123", 1 }, { "0.5", 1 },
		{ "1E-2", 1 }, { "1e+10", 1 }, { "-1.5E+10", 1 }, { "1e5", 1 },
		{ "-", 0 }, { "+1", 0 }, { "1e", 0 }, { "1e+", 0 }, { "1.e3", 0 }, { ".5", 0 },
		{ "--1", 0 }, { "0x1", 0 }, { "01", 0 }, { "-a", 0 }, { "1.", 0 },
		/* literals, containers, space */
		{ "true", 1 }, { "false", 1 }, { "null", 1 }, { "tru", 0 }, { "nul", 0 }, { "True", 0 },
		{ "[]", 1 }, { "{}", 1 }, { "[1,[2,{}]]", 1 }, { " \t\r\n[ 1 , 2 ] \t\r\n", 1 },
		{ "{\"a\":{\"b\":[true,null]}}", 1 }, { "[1,]", 0 }, { "[,1]", 0 }, { "[1 2]", 0 },
		{ "{\"a\"}", 0 }, { "{\"a\":}", 0 }, { "{1:2}", 0 }, { "{\"a\":1,}", 0 }, { "[", 0 },
		{ "{", 0 }, { "]", 0 }, { "", 0 }, { " ", 0 }, { "1 2", 0 }, { "[] x", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n = strlen(cases[i].in);
		char *exact = malloc(n ? n : 1);

		cr_assert_not_null(exact);
		memcpy(exact, cases[i].in, n);
		cr_expect_eq(fx_json_valid(exact, n), cases[i].ok, "case %zu: '%s' should be %s", i,
			     cases[i].in, cases[i].ok ? "valid" : "refused");
		free(exact);
	}
}

/*
 * The string scanner goes sixteen and eight bytes at a time: a byte that
 * ends a run of plain ones (a quote, an escape, a control character, UTF-8,
 * a byte that is not UTF-8) is found at every position of a string of every
 * length around those widths, and the string is cut there when it is the
 * closing quote.
 */
Test(debezium, strings_of_every_length_with_a_special_byte_anywhere)
{
	static const struct {
		const char *special; /* at position k of a run of 'a' */
		int ok;
	} specials[] = {
		{ "\\\"", 1 }, { "\\n", 1 }, { "\\u00e9", 1 }, { "\xc3\xa9", 1 },
		{ "\xf0\x9f\x98\x80", 1 }, { "\x01", 0 }, { "\x1f", 0 }, { "\x80", 0 },
		{ "\xff", 0 }, { "\\x", 0 }, { "~", 1 }, { " ", 1 }, { "\x7f", 1 },
	};
	size_t len, k, i;

	for (i = 0; i < sizeof(specials) / sizeof(specials[0]); i++)
		for (len = 0; len <= 40; len++)
			for (k = 0; k <= len; k++) {
				size_t sl = strlen(specials[i].special), n = 0;
				char doc[64];
				struct fx_event ev = FX_EVENT_INIT;
				struct fx_err err = FX_ERR_INIT;
				char *exact;

				doc[n++] = '"';
				memset(doc + n, 'a', k);
				n += k;
				memcpy(doc + n, specials[i].special, sl);
				n += sl;
				memset(doc + n, 'a', len - k);
				n += len - k;
				doc[n++] = '"';
				exact = malloc(n);
				cr_assert_not_null(exact);
				memcpy(exact, doc, n);
				cr_expect_eq(fx_json_valid(exact, n), specials[i].ok,
					     "special %zu at %zu of %zu", i, k, len);
				/* and as a key, whose ID is the string */
				if (specials[i].ok) {
					cr_expect_eq(fx_debezium_decode_key(&ev, exact, n, &err), 0,
						     "special %zu at %zu of %zu: %s", i, k, len, err.msg);
					cr_expect_eq(ev.id.n, n, "special %zu at %zu of %zu", i, k, len);
				}
				/* a closing quote at k: the rest is trailing bytes */
				doc[k + 1] = '"';
				memcpy(exact, doc, n);
				cr_expect_eq(fx_json_valid(exact, k + 2), 1, "quote at %zu", k);
				cr_expect_eq(fx_json_valid(exact, n), k + 2 == n, "quote at %zu of %zu", k, n);
				fx_event_release(&ev);
				free(exact);
			}
}

/*
 * Numbers are scanned eight digits at a time: every length from 1 to 24
 * digits, followed by each kind of byte (the end of the value, an exponent,
 * a fraction, bytes next to '0' and '9' in ASCII, a high byte), as a row's
 * value: valid or not, and the value's span ends where the number does.
 */
Test(debezium, numbers_of_every_length_then_any_byte)
{
	static const struct {
		const char *after; /* right after the digits */
		size_t extra;      /* of it, what is still the number */
		int ok;
	} nexts[] = {
		{ "}", 0, 1 }, { ",\"b\":1}", 0, 1 }, { "e5}", 2, 1 }, { ".25}", 3, 1 }, { " }", 0, 1 },
		{ "/}", 0, 0 }, { ":}", 0, 0 }, { "x}", 0, 0 }, { "\xff}", 0, 0 }, { "\x3a}", 0, 0 },
		{ "\x2f}", 0, 0 }, { "@}", 0, 0 }, { "`}", 0, 0 },
	};
	size_t len, i;

	for (i = 0; i < sizeof(nexts) / sizeof(nexts[0]); i++)
		for (len = 1; len <= 24; len++) {
			char doc[96], digits[32];
			struct fx_event ev = FX_EVENT_INIT;
			struct fx_err err = FX_ERR_INIT;
			size_t k;
			int r;

			for (k = 0; k < len; k++)
				digits[k] = (char)('1' + (k * 7 + len) % 9);
			digits[len] = '\0';
			snprintf(doc, sizeof(doc), "{\"a\":%s%s", digits, nexts[i].after);
			r = fx_debezium_decode_key(&ev, doc, strlen(doc), &err);
			cr_expect_eq(r, nexts[i].ok ? 0 : -1, "%s: %s", doc, err.msg);
			if (!r) {
				cr_expect_eq(ev.key_fields.n, 1 + (nexts[i].after[0] == ','), "%s", doc);
				cr_expect_eq(ev.key_fields.fields[0].value.n, len + nexts[i].extra, "%s", doc);
			}
			fx_event_release(&ev);
		}
}

/* A column's type is used for the field of that name only: a column of
 * another name at the same position (the table changed since its types were
 * read) is not, even when the names are as long. */
Test(debezium, typed_column_of_another_name_is_not_used)
{
	struct fx_typed_modes modes = FX_TYPED_MODES_INIT;
	struct fx_typed_table t = { 0 };
	struct fx_typer *ty = fx_typer_new();
	struct fx_event ev = FX_EVENT_INIT;
	struct fx_err err = FX_ERR_INIT;
	static const char value[] = "{\"before\":null,\"after\":{\"ID\":1,\"Dt\":20000},\"op\":\"c\"}";
	size_t i;

	cr_assert_not_null(ty);
	t.name = strdup("x");
	/* position 0: "XY", a date, where the event has "ID"; "Dt" is a date too */
	cr_assert_eq(fx_typed_table_add(&t, "XY", fx_typed_col_from_mysql("date", "date", NULL, NULL,
									   NULL, 0, &modes)), 0);
	cr_assert_eq(fx_typed_table_add(&t, "Dt", fx_typed_col_from_mysql("date", "date", NULL, NULL,
									   NULL, 0, &modes)), 0);
	fx_typer_set_table(ty, &t);
	cr_assert_eq(fx_debezium_decode_key_typed(&ev, "{\"ID\":1}", 8, ty, &err), 0);
	cr_assert_eq(fx_debezium_decode_value_typed(&ev, value, strlen(value), ty, &err), 0, "%s",
		     err.msg);
	cr_assert_eq(ev.after.n, 2);
	cr_expect_eq(ev.after.fields[0].kind, FX_TYPED_AS_SENT, "ID typed as XY's date");
	cr_expect(span_eq(ev.after.fields[0].value, "1"));
	cr_expect_eq(ev.after.fields[1].kind, FX_TYPED_DATE, "Dt found by name");
	fx_event_release(&ev);
	fx_typer_free(ty);
	for (i = 0; i < t.n_cols; i++)
		free(t.cols[i].name);
	free(t.cols);
	free(t.name);
}

/* An update's changed fields: a JSON value written with other spacing is the
 * same value; anything else in it (a byte inside a string included) is not.
 * Exact-size buffers: no byte past either value is read. */
Test(debezium, same_value_table)
{
	static const struct {
		const char *a, *b;
		int same;
	} cases[] = {
		{ "1", "1", 1 }, { "1", "1.0", 0 }, { "\"a\"", "\"a\"", 1 }, { "\"a\"", "\"b\"", 0 },
		{ "\"a b\"", "\"ab\"", 0 }, { "null", "null", 1 }, { "1", " 1", 0 },
		{ "[1,2]", "[1, 2]", 1 }, { "[1,2]", "[1,\t2]", 1 }, { "[1,2]", "[1,\r\n2]", 1 },
		{ "[1,2]", "[ 1,2 ]", 1 }, { "[1,2]", "[1,2] ", 1 }, { "[1,2] ", "[1,2]", 1 },
		{ "[1,2]", "[1,2", 0 }, { "[1,2", "[1,2]", 0 }, { "[1,2]", "[1,3]", 0 },
		{ "{\"a\":1}", "{ \"a\" : 1 }", 1 }, { "{\"a\":1}", "{\"b\":1}", 0 },
		{ "[\"a b\"]", "[\"ab\"]", 0 }, { "[\"a b\"]", "[\"a  b\"]", 0 },
		{ "[\"a\\\"b\"]", "[\"a\\\"b\"]", 1 }, { "[\"a\\\"b\"]", "[\"a\\\"c\"]", 0 },
		{ "[\"a\\\" b\"]", "[\"a\\\"b\"]", 0 }, { "[\"\\n\"]", "[\"\\t\"]", 0 },
		{ "[\"\\\\\", 1]", "[\"\\\\\",1]", 1 }, { "[\"x\\\\\"]", "[\"x\\\\\" ]", 1 },
		{ "[\"\\", "[\"\\\"", 0 }, { "[\"\\\"", "[\"\\", 0 },
		{ "{}", "[]", 0 }, { "[]", "[ ]", 1 }, { "[\t]", "[]", 1 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t na = strlen(cases[i].a), nb = strlen(cases[i].b);
		char *a = malloc(na), *b = malloc(nb);
		struct fx_span sa, sb;

		cr_assert(a && b);
		memcpy(a, cases[i].a, na);
		memcpy(b, cases[i].b, nb);
		sa.p = a, sa.n = na;
		sb.p = b, sb.n = nb;
		cr_expect_eq(fx_debezium_same_value(sa, sb), cases[i].same, "'%s' vs '%s'", cases[i].a,
			     cases[i].b);
		cr_expect_eq(fx_debezium_same_value(sb, sa), cases[i].same, "'%s' vs '%s'", cases[i].b,
			     cases[i].a);
		free(a);
		free(b);
	}
}

/* An update's changed fields: a field whose value differs, one only after
 * (added: no before), one only before (dropped: no after); the order the
 * columns come in does not matter. */
Test(debezium, update_changed_fields_table)
{
	static const struct {
		const char *before, *after;
		const char *want; /* "name:before>after;" per change, in order; "-" for none */
	} cases[] = {
		{ "{\"ID\":1,\"A\":1}", "{\"ID\":1,\"A\":1}", "" },
		{ "{\"ID\":1,\"A\":1}", "{\"ID\":1,\"A\":2}", "A:1>2;" },
		{ "{\"ID\":1}", "{\"ID\":1,\"N\":5}", "N:->5;" },
		{ "{\"ID\":1,\"O\":5}", "{\"ID\":1}", "O:5>-;" },
		{ "{\"ID\":1,\"A\":1,\"B\":2}", "{\"B\":2,\"ID\":1,\"A\":1}", "" },
		{ "{\"ID\":1,\"A\":1,\"B\":2}", "{\"B\":3,\"A\":1,\"ID\":1}", "B:2>3;" },
		{ "{\"A\":1,\"B\":2,\"C\":3}", "{\"C\":3,\"A\":1}", "B:2>-;" },
		{ "{\"A\":1,\"B\":2}", "{\"B\":2,\"C\":3}", "C:->3;A:1>-;" },
		{ "{\"A\":\"x\",\"B\":[1, 2]}", "{\"A\":\"y\",\"B\":[1,2]}", "A:\"x\">\"y\";" },
	};
	size_t i, k;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fx_event ev = FX_EVENT_INIT;
		struct fx_err err = FX_ERR_INIT;
		struct fx_buf got = FX_BUF_INIT;
		char *v = fx_asprintf("{\"op\":\"u\",\"before\":%s,\"after\":%s}", cases[i].before,
				      cases[i].after);

		cr_assert_not_null(v);
		cr_assert_eq(fx_debezium_decode(&ev, "{\"ID\":1}", 8, v, strlen(v), &err), 0, "%s: %s", v,
			     err.msg);
		for (k = 0; k < ev.n_changed; k++) {
			const struct fx_field_change *c = &ev.changed[k];

			fx_buf_add(&got, c->name.p, c->name.n);
			fx_buf_addc(&got, ':');
			if (c->before.p)
				fx_buf_add(&got, c->before.p, c->before.n);
			else
				fx_buf_addc(&got, '-');
			fx_buf_addc(&got, '>');
			if (c->after.p)
				fx_buf_add(&got, c->after.p, c->after.n);
			else
				fx_buf_addc(&got, '-');
			fx_buf_addc(&got, ';');
		}
		cr_expect_str_eq(fx_buf_str(&got), cases[i].want, "%s", v);
		fx_buf_release(&got);
		fx_event_release(&ev);
		free(v);
	}
}

/*
 * Names are compared a word (or half of one) at a time: a column whose name
 * differs from the field's in any one byte, at every length from 1 to 20,
 * is not the field's column; the same name is.
 */
Test(debezium, typed_column_names_differing_in_one_byte)
{
	struct fx_typed_modes modes = FX_TYPED_MODES_INIT;
	size_t len, k;

	for (len = 1; len <= 20; len++)
		for (k = 0; k <= len; k++) { /* k == len: the same name */
			struct fx_typed_table t = { 0 };
			struct fx_typer *ty = fx_typer_new();
			struct fx_event ev = FX_EVENT_INIT;
			struct fx_err err = FX_ERR_INIT;
			char name[24], col[24], value[96];
			size_t i;

			for (i = 0; i < len; i++)
				name[i] = (char)('a' + (i * 5 + len) % 26);
			name[len] = '\0';
			memcpy(col, name, len + 1);
			if (k < len)
				col[k] = (char)(col[k] == 'Z' ? 'Y' : 'Z');
			snprintf(value, sizeof(value), "{\"after\":{\"%s\":20000},\"op\":\"c\"}", name);
			t.name = strdup("x");
			cr_assert_eq(fx_typed_table_add(&t, col, fx_typed_col_from_mysql(
				"date", "date", NULL, NULL, NULL, 0, &modes)), 0);
			fx_typer_set_table(ty, &t);
			cr_assert_eq(fx_debezium_decode_key_typed(&ev, NULL, 0, ty, &err), 0);
			cr_assert_eq(fx_debezium_decode_value_typed(&ev, value, strlen(value), ty,
								    &err), 0, "%s", err.msg);
			cr_expect_eq(ev.after.fields[0].kind, k == len ? FX_TYPED_DATE : FX_TYPED_AS_SENT,
				     "'%s' against column '%s'", name, col);
			fx_event_release(&ev);
			fx_typer_free(ty);
			free(t.cols[0].name);
			free(t.cols);
			free(t.name);
		}
}
