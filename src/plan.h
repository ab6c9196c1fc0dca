/*
 * The plan (SPEC §4): checks, and the alters that bring the observed
 * connectors in line with the desired ones.  Computing it is pure (diff.c);
 * rendering is render_plan.c; JSON in and out is plan_json.c.
 *
 * struct fx_plan owns everything in it.  A change's desired config holds
 * secrets in memory only: it is never serialized (the plan file holds the
 * per-key diff with sensitive values left out, and salted fingerprints).
 */
#ifndef FX_PLAN_H
#define FX_PLAN_H

#include <stddef.h>

#include "check.h"
#include "config.h"
#include "desired.h"
#include "observed.h"
#include "util/err.h"

enum fx_action { FX_ACTION_CREATE = 0, FX_ACTION_UPDATE, FX_ACTION_DELETE };
enum fx_risk { FX_RISK_SAFE = 0, FX_RISK_RESTART, FX_RISK_RESNAPSHOT, FX_RISK_DESTROY,
	       FX_RISK_BREAKING };
enum fx_diff_op { FX_DIFF_ADD = 0, FX_DIFF_CHANGE, FX_DIFF_REMOVE };

struct fx_diff_item {
	char *key;
	enum fx_diff_op op;
	char *before;  /* NULL for add, and always NULL when sensitive */
	char *after;   /* NULL for remove, and always NULL when sensitive */
	int sensitive;
};

struct fx_change {
	enum fx_action action;
	char *connector;
	char *kafka_pool;
	char *mysql_pool;   /* NULL for a delete of an orphan */
	char *connect_url;
	enum fx_risk risk;
	char *description;  /* FluxaORM alter.Description style, one line */
	struct fx_diff_item *diff;
	size_t n_diff;
	char **notes;       /* e.g. tables added get no snapshot */
	size_t n_notes;
	struct fx_config desired; /* create/update: the full desired config (secrets!) */
	char *observed_fp;  /* "sha256:..." of the observed config (update/delete), salted */
	int leftover_offsets; /* create: Kafka Connect still holds offsets for the name
			       * (connect.offsets); set by plan_run, not serialized */
	int mid_snapshot;     /* update: the live connector's initial snapshot is in
			       * progress (connect.snapshot); set by plan_run, not serialized */
	char *connect_version; /* what GET / of connect_url reported when planned (NULL: did
				* not say); set by plan_run, not serialized: apply plans again
				* and checks the version it reads itself (apply_gate.h) */
	struct fx_config observed_keys; /* key -> salted fingerprint of its observed value */
	char *desired_fp;   /* create/update: salted fingerprint of the desired config */
	struct fx_config desired_keys;  /* create/update: key -> salted fingerprint (fx_diff_key_fps) */
};

struct fx_unchanged {
	char *connector;
	char *connect_url;
	char *observed_fp;
	struct fx_config observed_keys; /* as in struct fx_change */
	char *desired_fp;
	struct fx_config desired_keys;
	int failed;        /* live: the connector or one of its tasks is FAILED (not serialized) */
};

struct fx_plan {
	char *manifest_path;
	char manifest_sha256[72];
	char salt[33];          /* per-plan random hex salt of the fingerprints */
	struct fx_checks checks;
	int db_checks_skipped;
	struct fx_change *changes; /* apply order: deletes, updates, creates; by url, name */
	size_t n_changes;
	struct fx_unchanged *unchanged;
	size_t n_unchanged;
	char desired_fp[72];
	char observed_fp[72];
};

#define FX_PLAN_INIT { .manifest_path = NULL } /* the rest zero */

void fx_plan_release(struct fx_plan *p);
/* Frees what one change owns (the struct itself is the caller's). */
void fx_change_release(struct fx_change *c);
size_t fx_plan_count(const struct fx_plan *p, enum fx_action a);
/*
 * The command that applies plan file path as it stands: "fluxacdc apply PATH",
 * plus each flag a guard of apply would ask for (--allow-destroy when the plan
 * deletes, --allow-resnapshot when fx_plan_count_resnapshot says so).  Into out (always terminated, truncated to size).
 */
void fx_plan_apply_command(const struct fx_plan *p, const char *path, char *out, size_t size);
/* The alters apply refuses without --allow-resnapshot: resnapshot or breaking
 * risk, or an update while the initial snapshot runs. */
size_t fx_plan_count_resnapshot(const struct fx_plan *p);
/* True when no check error blocks an apply. */
int fx_plan_applyable(const struct fx_plan *p);
const char *fx_action_name(enum fx_action a);
const char *fx_risk_name(enum fx_risk r);
const char *fx_diff_op_name(enum fx_diff_op o);

#endif
