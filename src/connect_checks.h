/*
 * Checks about the Connect clusters (SPEC §4), from what was observed: pure,
 * no I/O.  connect.reachable (error: no answer; info: version), connect.plugin
 * (the connector class is installed), connect.connector_state (warning: a
 * connector the manifest wants is FAILED or PAUSED live, which apply does not
 * change).  connect.validate needs a request per connector: plan_run.c.
 * Appends copies to out; lends from d and clusters.
 */
#ifndef FX_CONNECT_CHECKS_H
#define FX_CONNECT_CHECKS_H

#include "check.h"
#include "desired.h"
#include "observed.h"

/* 0, or -1 when out of memory. */
int fx_connect_checks(const struct fx_desired *d, const struct fx_observed_cluster *clusters,
		      size_t n, struct fx_checks *out);

#endif
