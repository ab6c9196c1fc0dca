/*
 * Checks from the connectors' stored offsets (SPEC §4), pure: what Connect
 * keeps for each managed connector (observed.h, read by connect.c) against
 * what its server says about its binlogs (mysql_inspect's results).
 *
 *   mysql.binlog_position  error: the stored binlog file (or, MySQL in GTID
 *                          mode, GTIDs) is purged: a restart would fail; the
 *                          hint gives the two ways out.  warning: retention
 *                          purges it within a day.
 *   connect.snapshot       warning: an update restarts a connector whose
 *                          initial snapshot is in progress: it starts over.
 *   connect.offsets        info: Connect too old to show offsets (3.5+);
 *                          warning: the offsets of a connector could not be read.
 *
 * Appends copies to out; everything else is lent for the call.
 */
#ifndef FX_OFFSETS_CHECKS_H
#define FX_OFFSETS_CHECKS_H

#include <stdint.h>

#include "check.h"
#include "desired.h"
#include "kafka_admin.h"
#include "mysql_inspect.h"
#include "observed.h"
#include "plan.h"

/*
 * res: one per manifest MySQL pool (same index as m->mysql), or NULL when
 * the databases were not inspected (only the Connect-side checks then).
 * plan: the changes (for connect.snapshot), may be NULL.  now: UNIX seconds.
 * 0, or -1 on OOM.
 */
int fx_offsets_checks(const struct fx_manifest *m, const struct fx_desired *d,
		      const struct fx_observed_cluster *cl, size_t n_cl,
		      const struct fx_mysql_result *res, const struct fx_plan *plan, int64_t now,
		      struct fx_checks *out);

/*
 * From what each Kafka pool's brokers said (facts: one per manifest Kafka
 * pool, same index; asked: whether anything was asked of it):
 *   kafka.history_topic  error: a connector with stored offsets whose schema
 *                        history topic is missing (Debezium fails at start);
 *                        warning: more than one partition, or a limited retention.
 *   connect.offsets      warning: a create for a name Connect still holds
 *                        offsets for (in its offsets topic): created as is it
 *                        resumes from there, without a snapshot.
 * 0, or -1 on OOM.
 */
int fx_kafka_offsets_checks(const struct fx_manifest *m, const struct fx_desired *d,
			    const struct fx_observed_cluster *cl, size_t n_cl,
			    const struct fx_plan *plan, const struct fx_kafka_facts *facts,
			    const int *asked, struct fx_checks *out);

/* The history topic a live connector uses (its config, else the desired one). */
const char *fx_offsets_history_topic(const struct fx_observed_connector *o,
				     const struct fx_connector *c);

/* What status shows of a connector's stored position (pure). */
struct fx_position_view {
	int read;                        /* offsets were read (else the rest is unset) */
	enum fx_offsets_phase phase;
	const struct fx_binlog_offset *b; /* lent from the connector; NULL: none stored */
	enum fx_binlog_verdict verdict;  /* against the server; UNKNOWN without its facts */
	int have_lag;
	uint64_t lag_bytes;
	unsigned lag_files;
};

/* r may be NULL (database not inspected). */
void fx_position_view(const struct fx_observed_connector *o, const struct fx_mysql_result *r,
		      int64_t now, struct fx_position_view *out);

/* The live connector's stored offset (its topic.prefix's partition), or NULL. */
const struct fx_binlog_offset *fx_offsets_of(const struct fx_observed_connector *o);

#endif
