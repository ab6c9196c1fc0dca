/*
 * What `fluxacdc status` shows (pure): for each observed Connect cluster the
 * rows of its managed (fluxa_*) connectors and of the desired ones not
 * created yet, sorted by name, each with the manifest's connector (NULL: an
 * orphan) and its pool's server facts; and the totals that decide the exit
 * status.  render_status.c prints it.
 *
 * Ownership: struct fx_status owns its arrays and each row's snap
 * (fx_status_release); every row lends from the clusters, the desired state and the server results it
 * was built from, which must outlive it.
 */
#ifndef FX_STATUS_H
#define FX_STATUS_H

#include <stddef.h>
#include <stdint.h>

#include "desired.h"
#include "mysql_inspect.h"
#include "observed.h"
#include "snapshot.h"
#include "util/err.h"

struct fx_status_row {
	const char *name;
	const struct fx_observed_connector *live; /* NULL: absent (wanted, not created yet) */
	const struct fx_connector *want;          /* NULL: orphan */
	const struct fx_mysql_result *db;         /* its pool's server, NULL: not known */
	/* the newest incremental snapshot on its notification topic (found: 1),
	 * filled in by the command (it reads Kafka); owned by the row */
	int snap_found;
	struct fx_snap_progress snap;
	const char *snap_error;                   /* Kafka could not be asked (lent) */
};

struct fx_status_cluster {
	const struct fx_observed_cluster *cl;
	struct fx_status_row *rows;
	size_t n;
};

struct fx_status_totals {
	size_t connectors, running, paused, stopped, failed, orphans, absent, unreachable;
};

struct fx_status {
	struct fx_status_cluster *clusters;
	size_t n;
	struct fx_status_totals totals;
	int64_t now; /* seconds since the epoch, for the positions' age */
};

#define FX_STATUS_INIT { .clusters = NULL, .n = 0, .totals = { 0 }, .now = 0 }

/*
 * The rows of n clusters.  db (may be NULL) has one result per manifest
 * MySQL pool, in m's order; only (may be NULL) keeps the rows of that
 * connector name.  -1 with err on OOM.
 */
int fx_status_build(const struct fx_observed_cluster *cl, size_t n, const struct fx_desired *d,
		    const struct fx_manifest *m, const struct fx_mysql_result *db,
		    const char *only, int64_t now, struct fx_status *out, struct fx_err *err);
void fx_status_release(struct fx_status *s);
/* 1 when a cluster is unreadable or a managed connector or task is FAILED, else 0. */
int fx_status_exit_code(const struct fx_status *s);

#endif
