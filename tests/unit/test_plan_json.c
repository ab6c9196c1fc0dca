/*
 * plan_json: what the plan reader accepts it can write and read back.  The
 * golden update.json is loaded with one field replaced; a fingerprint, the
 * salt or the manifest's hash in any other form than fluxacdc writes is
 * refused with exit code 65 and the key's name (libFuzzer found a plan whose
 * fingerprint.observed held other bytes: it loaded, and the file written
 * back was refused).
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "plan_json.h"

#define HEX64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

struct fp_case {
	const char *what;
	const char *pointer; /* "fingerprint.observed", "fingerprint.connectors.0.observed", ... */
	json_t *(*value)(void);
	const char *literal; /* the value, when value is NULL */
	const char *want;    /* NULL: loads and round-trips; else in the error message */
};

static json_t *null_value(void) { return json_null(); }
static json_t *number_value(void) { return json_integer(7); }

static const struct fp_case fp_cases[] = {
	{ .what = "valid observed", .pointer = "fingerprint.observed", .literal = "sha256:" HEX64 },
	{ .what = "observed with a non-hex byte", .pointer = "fingerprint.observed",
	  .literal = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\xc3\xa9",
	  .want = "fingerprint.observed is not sha256:<64 hex digits>" },
	{ .what = "observed too long", .pointer = "fingerprint.observed", .literal = "sha256:" HEX64 "00",
	  .want = "fingerprint.observed" },
	{ .what = "observed too short", .pointer = "fingerprint.observed", .literal = "sha256:abc",
	  .want = "fingerprint.observed" },
	{ .what = "observed upper-case hex", .pointer = "fingerprint.observed",
	  .literal = "sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
	  .want = "fingerprint.observed" },
	{ .what = "observed without prefix", .pointer = "fingerprint.observed", .literal = HEX64 "0000000",
	  .want = "fingerprint.observed" },
	{ .what = "desired with spaces", .pointer = "fingerprint.desired",
	  .literal = "sha256: 123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	  .want = "fingerprint.desired is not" },
	{ .what = "connector observed non-hex", .pointer = "fingerprint.connectors.0.observed",
	  .literal = "sha256:zz23456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	  .want = "fingerprint.connectors[0].observed is not null or sha256" },
	{ .what = "connector observed a number", .pointer = "fingerprint.connectors.0.observed",
	  .value = number_value, .want = "fingerprint.connectors[0].observed" },
	{ .what = "connector observed null (absent connector)", .pointer = "fingerprint.connectors.0.observed",
	  .value = null_value },
	{ .what = "salt not hex", .pointer = "fingerprint.salt", .literal = "0123456789abcdef0123456789abcdeX",
	  .want = "fingerprint.salt is not 32 hex digits" },
	{ .what = "salt too long", .pointer = "fingerprint.salt", .literal = "0123456789abcdef0123456789abcdef0",
	  .want = "fingerprint.salt" },
	{ .what = "manifest sha256 non-hex", .pointer = "manifest.sha256", .literal = "sha256:\x01" HEX64,
	  .want = "manifest.sha256 is not" },
};

/* json_t at "a.b.0.c" (object keys and array indexes), borrowed */
static json_t *parent_of(json_t *root, const char *pointer, char *last, size_t lastsz)
{
	char buf[128], *tok, *save = NULL, *next;
	json_t *cur = root;

	snprintf(buf, sizeof(buf), "%s", pointer);
	tok = strtok_r(buf, ".", &save);
	while (tok) {
		next = strtok_r(NULL, ".", &save);
		if (!next) {
			snprintf(last, lastsz, "%s", tok);
			return cur;
		}
		cur = json_is_array(cur) ? json_array_get(cur, strtoul(tok, NULL, 10)) : json_object_get(cur, tok);
		tok = next;
	}
	return NULL;
}

static char *write_plan(const struct fx_plan *p, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	cr_assert_not_null(f);
	cr_assert_eq(fx_plan_write_json(p, f, 0), 0);
	fclose(f);
	return buf;
}

Test(plan_json, fingerprints_are_read_in_the_form_they_are_written)
{
	size_t len, i;
	char *golden = fx_test_read(fx_test_path("tests/fixtures/plans/update.json"), &len);

	cr_assert_not_null(golden);
	for (i = 0; i < sizeof(fp_cases) / sizeof(fp_cases[0]); i++) {
		const struct fp_case *tc = &fp_cases[i];
		struct fx_plan p = FX_PLAN_INIT, back = FX_PLAN_INIT;
		struct fx_err err = FX_ERR_INIT;
		json_error_t jerr;
		json_t *root = json_loadb(golden, len, 0, &jerr), *parent;
		char last[64], *text, *one, *two;
		size_t n1, n2;
		int rc;

		cr_assert_not_null(root, "%s", jerr.text);
		parent = parent_of(root, tc->pointer, last, sizeof(last));
		cr_assert_not_null(parent, "%s: no parent of %s", tc->what, tc->pointer);
		/* literal bytes, valid UTF-8 or not: what a file on disk may hold */
		json_object_set_new(parent, last, tc->value ? tc->value() : json_stringn_nocheck(tc->literal, strlen(tc->literal)));
		text = json_dumps(root, JSON_ENSURE_ASCII);
		json_decref(root);
		cr_assert_not_null(text, "%s", tc->what);
		rc = fx_plan_from_json("p.json", text, strlen(text), &p, &err);
		free(text);
		if (tc->want) {
			cr_expect_eq(rc, -1, "%s: loaded", tc->what);
			cr_expect_eq(err.code, 65, "%s: exit code %d", tc->what, err.code);
			cr_expect(strstr(err.msg, tc->want) != NULL, "%s: message '%s' lacks '%s'", tc->what, err.msg,
				  tc->want);
			cr_expect(strstr(err.msg, "p.json") != NULL, "%s: message '%s' names no file", tc->what, err.msg);
		} else {
			cr_assert_eq(rc, 0, "%s: %s", tc->what, err.msg);
			one = write_plan(&p, &n1);
			cr_assert_eq(fx_plan_from_json("p.json", one, n1, &back, &err), 0, "%s: written back, refused: %s",
				     tc->what, err.msg);
			two = write_plan(&back, &n2);
			cr_expect(n1 == n2 && !memcmp(one, two, n1), "%s: round trip differs", tc->what);
			free(one);
			free(two);
		}
		fx_plan_release(&p);
		fx_plan_release(&back);
	}
	free(golden);
}
