/*
 * render_apply.c: apply's text (results, summary, closing line, progress,
 * verdict) and its JSON line, written to a memory stream and compared whole.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <jansson.h>

#include "render_apply.h"

/* out's text after fn ran on it (caller frees). */
#define CAPTURE(text, call)                                         \
	do {                                                        \
		size_t len_ = 0;                                    \
		FILE *f = open_memstream(&(text), &len_);           \
		cr_assert_not_null(f);                              \
		call;                                               \
		fclose(f);                                          \
	} while (0)

static void three_results(struct fx_apply_result items[3], struct fx_apply_results *r)
{
	memset(items, 0, 3 * sizeof(*items));
	items[0].connector = (char *)"fluxa_a";
	items[0].connect_url = (char *)"http://c:8083";
	items[0].action = FX_ACTION_UPDATE;
	items[0].outcome = FX_APPLY_APPLIED;
	items[0].written = 1;
	items[0].state = (char *)"RUNNING";
	items[0].seconds = 2.04;
	items[1].connector = (char *)"fluxa_b";
	items[1].connect_url = (char *)"http://c:8083";
	items[1].action = FX_ACTION_CREATE;
	items[1].outcome = FX_APPLY_FAILED;
	items[1].written = 1;
	items[1].state = (char *)"RUNNING; task 0 FAILED";
	items[1].error = (char *)"fluxa_b: task 0 FAILED";
	items[1].trace = (char *)"ConnectException: boom\nCaused by: SQLException: denied";
	items[1].seconds = 10;
	items[2].connector = (char *)"fluxa_c";
	items[2].connect_url = (char *)"http://c:8083";
	items[2].action = FX_ACTION_DELETE;
	items[2].outcome = FX_APPLY_SKIPPED;
	memset(r, 0, sizeof(*r));
	r->items = items;
	r->n = 3;
}

Test(render_apply, text)
{
	struct fx_apply_result items[3];
	struct fx_apply_results r;
	char *text = NULL;

	three_results(items, &r);
	CAPTURE(text, fx_render_apply_text(f, &r, NULL, fx_apply_exit_code(&r), 0));
	cr_expect_str_eq(text,
		"\nApply results:\n"
		"  fluxa_a                      update  applied     RUNNING 2.0 s\n"
		"  fluxa_b                      create  failed      RUNNING; task 0 FAILED (the write landed) 10.0 s\n"
		"      error: fluxa_b: task 0 FAILED\n"
		"      | ConnectException: boom\n"
		"      | Caused by: SQLException: denied\n"
		"  fluxa_c                      delete  skipped     not attempted\n"
		"\nApply partly done: 1 applied, 0 unchanged, 1 failed, 1 not attempted.\n");
	free(text);
	/* colors: the outcome word only */
	CAPTURE(text, fx_render_apply_text(f, &r, NULL, fx_apply_exit_code(&r), 1));
	cr_expect(strstr(text, "\033[32mapplied    \033[0m") != NULL, "%s", text);
	cr_expect(strstr(text, "\033[31mfailed     \033[0m") != NULL, "%s", text);
	cr_expect(strstr(text, "\033[33mskipped    \033[0m") != NULL, "%s", text);
	free(text);
}

Test(render_apply, unchanged_lines)
{
	struct fx_apply_result items[2];
	struct fx_apply_results r = { .items = items, .n = 2, .plan_unchanged = 1 };
	char *text = NULL;

	memset(items, 0, sizeof(items));
	items[0].connector = (char *)"fluxa_a";
	items[0].action = FX_ACTION_CREATE;
	items[0].outcome = FX_APPLY_UNCHANGED;
	items[1].connector = (char *)"fluxa_b";
	items[1].action = FX_ACTION_DELETE;
	items[1].outcome = FX_APPLY_UNCHANGED;
	CAPTURE(text, fx_render_apply_text(f, &r, NULL, fx_apply_exit_code(&r), 0));
	cr_expect(strstr(text, "fluxa_a                      create  unchanged   - (already there with this config) 0.0 s\n") != NULL, "%s", text);
	cr_expect(strstr(text, "fluxa_b                      delete  unchanged   - (already gone) 0.0 s\n") != NULL, "%s", text);
	cr_expect(strstr(text, "\nApply complete: 0 applied, 3 unchanged, 0 failed, 0 not attempted.\n") != NULL, "%s", text);
	free(text);
}

Test(render_apply, words_and_statuses)
{
	static const struct {
		int code;
		const char *word, *status;
	} cases[] = {
		{ 0, "complete", "applied" }, { 1, "failed", "failed" },
		{ 5, "partly done", "partial" }, { 130, "interrupted", "interrupted" },
		{ 4, "stopped: the plan is stale", "stale" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cr_expect_str_eq(fx_render_apply_word(cases[i].code), cases[i].word);
		cr_expect_str_eq(fx_render_apply_status(cases[i].code), cases[i].status);
	}
}

Test(render_apply, verdict)
{
	struct fx_apply_result items[3];
	struct fx_apply_results r;
	struct fx_buf b = FX_BUF_INIT;

	three_results(items, &r);
	fx_render_apply_verdict(&b, &r, 5);
	cr_expect_str_eq(fx_buf_str(&b), "apply partly done (exit 5): applied: fluxa_a; failed: fluxa_b; not attempted: fluxa_c");
	fx_buf_reset(&b);
	items[0].outcome = FX_APPLY_INTERRUPTED;
	items[1].outcome = FX_APPLY_SKIPPED;
	fx_render_apply_verdict(&b, &r, 130);
	cr_expect_str_eq(fx_buf_str(&b),
			 "apply interrupted (exit 130): applied: none; failed: none; interrupted: fluxa_a; not attempted: fluxa_b, fluxa_c");
	fx_buf_reset(&b);
	items[0].outcome = FX_APPLY_STALE;
	fx_render_apply_verdict(&b, &r, 4);
	cr_expect_str_eq(fx_buf_str(&b),
			 "apply stopped, the plan is stale (exit 4): applied: none; failed: none; changed since the plan, not written: fluxa_a; not attempted: fluxa_b, fluxa_c");
	fx_buf_release(&b);
}

Test(render_apply, progress)
{
	struct fx_apply_result item = { .connector = (char *)"fluxa_a",
					.connect_url = (char *)"http://c:8083",
					.action = FX_ACTION_CREATE };
	struct fx_apply_event start = { .kind = FX_APPLY_EV_START, .result = &item };
	struct fx_apply_event state = { .kind = FX_APPLY_EV_STATE, .result = &item,
					.state = "RUNNING; task 0 UNASSIGNED", .elapsed = 1.26 };
	struct fx_apply_event done = { .kind = FX_APPLY_EV_DONE, .result = &item };
	char *text = NULL;
	int dirty = 0;

	CAPTURE(text, (fx_render_apply_progress(f, &start, 0, &dirty),
		       fx_render_apply_progress(f, &state, 0, &dirty),
		       fx_render_apply_progress(f, &done, 0, &dirty)));
	cr_expect_str_eq(text, "fluxacdc: create fluxa_a on http://c:8083\n"
			       "fluxacdc: fluxa_a: RUNNING; task 0 UNASSIGNED (1.3 s)\n");
	cr_expect_eq(dirty, 0);
	free(text);
	CAPTURE(text, (fx_render_apply_progress(f, &start, 1, &dirty),
		       fx_render_apply_progress(f, &state, 1, &dirty)));
	cr_expect_str_eq(text, "\r\033[Kcreate fluxa_a: writing (0 s)"
			       "\r\033[Kcreate fluxa_a: RUNNING; task 0 UNASSIGNED (1 s)");
	cr_expect_eq(dirty, 1);
	free(text);
	CAPTURE(text, fx_render_apply_progress(f, &done, 1, &dirty));
	cr_expect_str_eq(text, "\r\033[K");
	cr_expect_eq(dirty, 0);
	free(text);
}

/* One compact line that parses back to the builder's object. */
Test(render_apply, json_line)
{
	struct fx_apply_result items[3];
	struct fx_apply_results r;
	char *text = NULL;
	json_t *j;
	json_error_t jerr;

	three_results(items, &r);
	CAPTURE(text, cr_assert_eq(fx_render_apply_json(f, &r, NULL, NULL, "partial", 5, NULL), 0));
	cr_assert_eq(strchr(text, '\n'), text + strlen(text) - 1, "one line: %s", text);
	j = json_loads(text, 0, &jerr);
	cr_assert_not_null(j, "%s", jerr.text);
	cr_expect_str_eq(json_string_value(json_object_get(j, "status")), "partial");
	cr_expect_eq(json_integer_value(json_object_get(j, "exit_code")), 5);
	cr_expect_eq(json_array_size(json_object_get(j, "results")), 3);
	cr_expect(json_is_null(json_object_get(j, "message")));
	json_decref(j);
	free(text);
}
