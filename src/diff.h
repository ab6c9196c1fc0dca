/*
 * desired + observed -> plan (SPEC §4).  Pure: no I/O.
 *
 * Fingerprints are SHA-256 over a canonical form of the configs with a
 * per-plan salt in front, so a plan file can prove that nothing changed
 * without holding a secret (the salt keeps equal passwords from giving equal,
 * guessable hashes across plans).
 */
#ifndef FX_DIFF_H
#define FX_DIFF_H

#include "plan.h"
#include "util/buf.h"

/*
 * Fills out's changes, unchanged list and fingerprints (out's checks are left
 * alone).  clusters are the observed Connect clusters, one per distinct
 * connect_url of the manifest; unreachable ones (reachable == 0) yield no
 * alters: nothing is known of them.  salt is copied into the plan.
 * The plan owns copies of everything; d and clusters stay the caller's.
 */
int fx_diff_compute(const struct fx_desired *d, const struct fx_observed_cluster *clusters,
		    size_t n_clusters, const char *salt, struct fx_plan *out, struct fx_err *err);

/* True when a connector name is one fluxacdc manages ("fluxa_" prefix). */
int fx_diff_is_managed(const char *name);

/* Fingerprint of one config (Connect's "name" key ignored), salted. */
void fx_diff_config_fp(const char *salt, const struct fx_config *c, char out[72]);

/*
 * Compares a saved plan with one computed now with the same salt.  Appends a
 * line per drift to why ("manifest changed", "connector 'x' on URL changed
 * since the plan") and returns how many; 0 when the plan still holds.
 */
size_t fx_diff_drift(const struct fx_plan *saved, const struct fx_plan *now, struct fx_buf *why);

#endif
