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

/* Fingerprint of one config by its meaning (normalize.h: "name", __internal.*,
 * defaults, list order and masking do not count), salted.  -1 on OOM. */
int fx_diff_config_fp(const char *salt, const struct fx_config *c, char out[72]);

/*
 * Per-key fingerprints of c into out (released first): each key (Connect's
 * "name" left out) -> the salted fingerprint of its value; a sensitive key ->
 * "sensitive", so that no hash of a single secret lands in a plan file (a
 * changed secret is found from the whole-config fingerprint instead).
 * 0, or -1 when out of memory.
 */
int fx_diff_key_fps(const char *salt, const struct fx_config *c, struct fx_config *out);

/* A key that differs between two configs; key is lent from them. */
struct fx_diff_key_change {
	const char *key;
	enum fx_diff_op op;  /* add: only in after; remove: only in before; change */
	int sensitive;       /* fx_secret_key_is_sensitive(key): never show a value */
};

struct fx_diff_key_changes {
	struct fx_diff_key_change *items; /* in key order */
	size_t n;
};

#define FX_DIFF_KEY_CHANGES_INIT { .items = NULL, .n = 0 }

/*
 * The keys whose values differ between before and after (Connect's "name"
 * ignored), compared as strings: what changed since the plan, for a stale
 * plan file and for apply's re-read before a write.  out is released first;
 * it lends keys from the configs.  0, or -1 when out of memory.
 */
int fx_diff_changed_keys(const struct fx_config *before, const struct fx_config *after,
			 struct fx_diff_key_changes *out);
void fx_diff_key_changes_release(struct fx_diff_key_changes *c);
/*
 * "poll.interval.ms (added), snapshot.mode (changed), database.password
 * (sensitive, changed)": names and what happened, never a value.
 */
void fx_diff_describe_keys(const struct fx_diff_key_changes *c, struct fx_buf *out);

/*
 * Compares a saved plan with one computed now with the same salt.  Appends a
 * line per drift to why ("manifest changed", "connector 'x' on URL changed
 * since the plan: keys ...", naming the keys from the per-key fingerprints)
 * and returns how many; 0 when the plan still holds.
 */
size_t fx_diff_drift(const struct fx_plan *saved, const struct fx_plan *now, struct fx_buf *why);

/*
 * The keys of live that differ from a plan's per-key fingerprints (keys,
 * made by fx_diff_key_fps with the same salt), described into why as
 * fx_diff_drift does ("keys a (added), b (changed)"; secrets named, never
 * shown); "its config differs" when nothing finer can be said.  For apply's
 * re-read before a write and read-back after it.  0, or -1 when out of memory.
 */
int fx_diff_describe_live(const char *salt, const struct fx_config *keys,
			  const struct fx_config *live, struct fx_buf *why);

#endif
