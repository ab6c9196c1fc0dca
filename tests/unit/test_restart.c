/* restart.c: which connectors `fluxacdc restart` touches, and when it refuses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "restart.h"

static struct fx_task_status failed_task = { .id = 0, .state = (char *)"FAILED" };
static struct fx_task_status running_task = { .id = 0, .state = (char *)"RUNNING" };

Test(restart, select)
{
	struct fx_observed_connector conns[] = { /* sorted by name */
		{ .name = (char *)"fluxa_a", .state = (char *)"RUNNING", .tasks = &failed_task, .n_tasks = 1 },
		{ .name = (char *)"fluxa_b", .state = (char *)"RUNNING", .tasks = &running_task, .n_tasks = 1 },
		{ .name = (char *)"fluxa_c", .state = (char *)"FAILED" },
		{ .name = (char *)"other", .state = (char *)"FAILED" },
	};
	struct fx_observed_cluster cl[] = {
		{ .connect_url = (char *)"http://new:8083", .reachable = 1, .version = (char *)"3.9.1",
		  .connectors = conns, .n_connectors = 4 },
		{ .connect_url = (char *)"http://old:8083", .reachable = 1, .version = (char *)"3.5.2",
		  .connectors = conns + 1, .n_connectors = 1 },
		{ .connect_url = (char *)"http://down:8083", .reachable = 0, .error = (char *)"refused" },
	};
	static const struct {
		const char *what;
		const char *names[3];
		int failed_only;
		enum fx_restart_mode mode;
		int rc, code;
		const char *want;     /* "name:only_failed@cluster index, ..." */
		const char *msg;      /* in the error */
	} t[] = {
		{ "default: the failed managed ones, failed tasks only", { NULL }, 0, FX_RESTART_TASKS, 0, 0,
		  "fluxa_a:1@0,fluxa_c:1@0", NULL },
		{ "a name: all its tasks", { "fluxa_b" }, 0, FX_RESTART_TASKS, 0, 0, "fluxa_b:0@0,fluxa_b:0@1", NULL },
		{ "a name with --failed", { "fluxa_a" }, 1, FX_RESTART_TASKS, 0, 0, "fluxa_a:1@0", NULL },
		{ "not managed", { "other" }, 0, FX_RESTART_TASKS, -1, 64, "", "not a connector fluxacdc manages" },
		{ "nowhere", { "fluxa_zz" }, 0, FX_RESTART_TASKS, -1, 1, "", "no connector 'fluxa_zz'" },
		{ "reset needs names", { NULL }, 0, FX_RESTART_RESET_OFFSETS, -1, 64, "", "needs the connectors named" },
		{ "reset and --failed", { "fluxa_a" }, 1, FX_RESTART_RESET_OFFSETS, -1, 64, "", "drop --failed" },
		{ "reset on 3.9", { "fluxa_c" }, 0, FX_RESTART_RESET_OFFSETS, 0, 0, "fluxa_c:0@0", NULL },
		{ "reset on 3.5: the version needed", { "fluxa_b" }, 0, FX_RESTART_RESET_OFFSETS, -1, 1, "",
		  "needs Kafka Connect 3.6" },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct fx_restart_plan p = FX_RESTART_PLAN_INIT;
		struct fx_err err = FX_ERR_INIT;
		size_t n = 0, k;
		char got[256] = "";
		int rc;

		while (n < 3 && t[i].names[n])
			n++;
		rc = fx_restart_select(cl, 3, t[i].names, n, t[i].failed_only, t[i].mode, &p, &err);
		cr_expect_eq(rc, t[i].rc, "%s: rc %d (%s)", t[i].what, rc, err.msg);
		if (rc < 0) {
			cr_expect_eq(err.code, t[i].code, "%s: code %d", t[i].what, err.code);
			cr_expect(strstr(err.msg, t[i].msg), "%s: %s", t[i].what, err.msg);
		}
		for (k = 0; k < p.n; k++) {
			size_t len = strlen(got);

			snprintf(got + len, sizeof(got) - len, "%s%s:%d@%d", k ? "," : "", p.targets[k].conn->name,
				 p.targets[k].only_failed, (int)(p.targets[k].cluster - cl));
		}
		cr_expect_str_eq(got, t[i].want, "%s", t[i].what);
		fx_restart_plan_release(&p);
	}
}
