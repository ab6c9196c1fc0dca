/*
 * plan --format github: GitHub Actions workflow commands.  The plan is the
 * golden update.json (a check error, a restart update) plus, added here, a
 * warning whose text needs escaping, a resnapshot update and a delete; the
 * render is compared with tests/fixtures/plans/update.github
 * (FLUXACDC_UPDATE_GOLDEN=1 rewrites it).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "plan_json.h"
#include "render_plan.h"
#include "util/alloc.h"
#include "util/str.h"

static void gh_load(struct fx_plan *p)
{
	struct fx_err err = FX_ERR_INIT;
	size_t len;
	char *json = fx_test_read(fx_test_path("tests/fixtures/plans/update.json"), &len);

	cr_assert_not_null(json);
	cr_assert_eq(fx_plan_from_json("update.json", json, len, p, &err), 0, "%s", err.msg);
	free(json);
}

static void gh_add_change(struct fx_plan *p, enum fx_action a, enum fx_risk r, const char *name,
			  const char *desc, const char *note)
{
	struct fx_change *c;

	p->changes = fx_realloc(p->changes, (p->n_changes + 1) * sizeof(*p->changes));
	cr_assert_not_null(p->changes);
	c = &p->changes[p->n_changes++];
	memset(c, 0, sizeof(*c));
	c->action = a;
	c->risk = r;
	c->connector = fx_strdup(name);
	c->kafka_pool = fx_strdup("default");
	c->connect_url = fx_strdup("http://127.0.0.1:18083");
	c->description = fx_strdup(desc);
	if (note) {
		c->notes = fx_calloc(1, sizeof(*c->notes));
		c->notes[0] = fx_strdup(note);
		c->n_notes = 1;
	}
}

/* The render into *text (the caller frees it). */
static void gh_render(const struct fx_plan *p, char **text)
{
	struct fx_render_plan_opts ro = FX_RENDER_PLAN_OPTS_INIT;
	size_t len = 0;
	FILE *f;

	*text = NULL;
	f = open_memstream(text, &len);
	cr_assert_not_null(f);
	fx_render_plan_github(f, p, &ro);
	fclose(f);
}

static void gh_risky(struct fx_plan *p)
{
	gh_load(p);
	fx_checks_add(&p->checks, FX_CHECK_WARNING, "mysql.binlog_retention", "mysql:default", "3600",
		      ">= 86400", "raise binlog_expire_logs_seconds, e.g. to 604800 (7 days)",
		      "binlogs are kept 1 h: 50%% of a day's outage, a:b,\r\nand more");
	fx_checks_add(&p->checks, FX_CHECK_INFO, "connect.reachable", "connect:default", NULL, NULL,
		      NULL, "Kafka Connect 3.9.1 (not annotated)");
	gh_add_change(p, FX_ACTION_UPDATE, FX_RISK_RESNAPSHOT, "fluxa_users",
		      "update connector fluxa_users on kafka pool 'default': 1 key changed (topic.prefix)",
		      "this change makes Debezium start over: new topics or schema history, and a new snapshot");
	gh_add_change(p, FX_ACTION_DELETE, FX_RISK_DESTROY, "fluxa_old",
		      "delete connector fluxa_old on kafka pool 'default' (no entity of the manifest uses it)",
		      NULL);
	gh_add_change(p, FX_ACTION_CREATE, FX_RISK_SAFE, "fluxa_new",
		      "create connector fluxa_new on kafka pool 'default' (not annotated)", NULL);
}

Test(render_github, golden)
{
	struct fx_plan p = FX_PLAN_INIT;
	const char *path;
	char *got, *want;

	gh_risky(&p);
	path = fx_test_path("tests/fixtures/plans/update.github");
	gh_render(&p, &got);
	if (getenv("FLUXACDC_UPDATE_GOLDEN")) {
		FILE *f = fopen(path, "w");

		cr_assert_not_null(f);
		fputs(got, f);
		fclose(f);
	}
	want = fx_test_read(path, NULL);
	cr_assert_not_null(want, "no golden file %s (FLUXACDC_UPDATE_GOLDEN=1 writes it)", path);
	cr_expect_str_eq(got, want, "update.github differs from its golden file");
	free(want);
	free(got);
	fx_plan_release(&p);
}

/* Every line before ::stop-commands:: is a workflow command. */
Test(render_github, annotations_and_escaping)
{
	struct fx_plan p = FX_PLAN_INIT;
	char *got, *line, *save = NULL, *stop;
	int errors = 0, warnings = 0, notices = 0;

	gh_risky(&p);
	gh_render(&p, &got);
	stop = strstr(got, "::stop-commands::fluxacdc-");
	cr_assert_not_null(stop, "%s", got);
	/* the token closes the block at the end */
	{
		char token[128], end[160];

		cr_assert_eq(sscanf(stop, "::stop-commands::%100s", token), 1);
		snprintf(end, sizeof(end), "\n::%s::\n", token);
		cr_expect(fx_str_has_suffix(got, end), "block not closed by %s: %s", end, got);
	}
	*stop = '\0';
	for (line = strtok_r(got, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		cr_expect_eq(strncmp(line, "::", 2), 0, "not a workflow command: %s", line);
		errors += !strncmp(line, "::error ", 8);
		warnings += !strncmp(line, "::warning ", 10);
		notices += !strncmp(line, "::notice ", 9);
		cr_expect_null(strchr(line, '\r'), "raw CR in %s", line);
	}
	cr_expect_eq(errors, 1, "one check error");
	cr_expect_eq(warnings, 3, "a check warning, a resnapshot, a delete");
	cr_expect_eq(notices, 1, "the summary");
	free(got);
	gh_render(&p, &got);
	/* message: % CR LF escaped; property: also : and , */
	cr_expect(strstr(got, "50%25 of a day's outage, a:b,%0D%0Aand more"), "%s", got);
	cr_expect(strstr(got, "title=fluxacdc%3A mysql.binlog_retention (mysql%3Adefault)::"), "%s", got);
	cr_expect(strstr(got, "::warning file=t.yaml,title=fluxacdc%3A delete fluxa_old (risk destroy)::"), "%s", got);
	cr_expect(strstr(got, "--allow-destroy"), "%s", got);
	cr_expect_null(strstr(got, "not annotated)::"), "%s", got);
	cr_expect_null(strstr(got, "NEW-SENTINEL"), "no secret");
	free(got);
	fx_plan_release(&p);
}
