/*
 * Stored source offsets of Debezium MySQL/MariaDB connectors, and the
 * decisions made from them (SPEC §4: mysql.binlog_position, the mid-snapshot
 * guard, status lag).  Pure: no curl, no libmariadb.
 *
 * Kafka Connect answers GET /connectors/{n}/offsets (Connect >= 3.5) with
 *   {"offsets":[{"partition":{"server":"fluxa_x"},
 *                "offset":{"ts_sec":..,"file":"mariadb-bin.000001","pos":3953,
 *                          "gtids":"0-1-18","row":2,"event":2,"server_id":1}}]}
 * and, while the initial snapshot runs, "snapshot":"INITIAL" (Debezium 3.x;
 * true in older releases) with "snapshot_completed": false on some versions
 * (tests/fixtures/offsets/).
 *
 * struct fx_binlog_state is what the server says about its binlogs (SHOW
 * BINARY LOGS, SHOW MASTER STATUS / SHOW BINARY LOG STATUS, the GTID
 * variables), filled by mysql_inspect.c or by tests.
 *
 * Ownership: every struct here owns its strings and arrays; the _release
 * functions free them and leave the struct empty (safe to call twice).  Parse
 * functions release their out struct first and also on -1.
 */
#ifndef FX_OFFSETS_H
#define FX_OFFSETS_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

enum fx_offsets_phase {
	FX_PHASE_NONE = 0,  /* no stored offset: the connector will snapshot from scratch */
	FX_PHASE_SNAPSHOT,  /* the initial snapshot is in progress */
	FX_PHASE_STREAMING, /* reading the binlog */
};

struct fx_binlog_offset {
	char *server;        /* the partition's "server" (= topic.prefix) */
	char *file;          /* binlog file, NULL when absent */
	uint64_t pos;        /* position in file (the start of the last transaction) */
	int has_pos;
	char *gtids;         /* GTID set (MySQL) or list (MariaDB), NULL when absent */
	uint64_t row, event; /* rows / events of that transaction already seen */
	int64_t ts_sec;      /* source time of the last event, 0 when absent */
	char *snapshot;      /* the raw "snapshot" value ("INITIAL", "true"), NULL when absent */
	int snapshot_completed; /* "snapshot_completed": true */
};

#define FX_BINLOG_OFFSET_INIT { .server = NULL }

struct fx_offsets {
	struct fx_binlog_offset *items; /* one per partition, Connect's order */
	size_t n;
};

#define FX_OFFSETS_INIT { .items = NULL, .n = 0 }

/* GET /connectors/{n}/offsets body -> out.  Partitions that are not
 * {"server": ...} objects (another connector type) are skipped. */
int fx_offsets_parse(const char *json, size_t len, struct fx_offsets *out, struct fx_err *err);
void fx_offsets_release(struct fx_offsets *o);
void fx_binlog_offset_release(struct fx_binlog_offset *o);
/* The partition of server (the connector's topic.prefix), else the only one,
 * else NULL.  Lends. */
const struct fx_binlog_offset *fx_offsets_find(const struct fx_offsets *o, const char *server);
/* Phase from an offset (NULL: FX_PHASE_NONE). */
enum fx_offsets_phase fx_offsets_phase(const struct fx_binlog_offset *o);
const char *fx_offsets_phase_name(enum fx_offsets_phase p);

/* ------------------------------------------------------------ server side */

struct fx_binlog_file {
	char *name;
	uint64_t size;
};

struct fx_binlog_state {
	int have_files;               /* SHOW BINARY LOGS answered */
	struct fx_binlog_file *files; /* oldest first, as the server lists them */
	size_t n_files;
	int have_current;             /* SHOW MASTER STATUS answered with a row */
	char *current_file;
	uint64_t current_pos;
	char *gtid_mode;              /* MySQL @@gtid_mode, NULL elsewhere */
	char *gtid_purged;            /* MySQL @@gtid_purged */
	char *gtid_binlog_state;      /* MariaDB @@gtid_binlog_state */
	char *gtid_list_oldest;       /* MariaDB: the Gtid_list event of the oldest binlog
				       * ("0-1-37", "" when empty; SHOW BINLOG EVENTS): the
				       * GTIDs logged before what the server still has */
};

#define FX_BINLOG_STATE_INIT { .have_files = 0 }

void fx_binlog_state_release(struct fx_binlog_state *s);
/* Copies its arguments; -1 on OOM. */
int fx_binlog_state_add_file(struct fx_binlog_state *s, const char *name, uint64_t size);

/* ------------------------------------------------------------ decisions */

enum fx_binlog_verdict {
	FX_BINLOG_UNKNOWN = 0,   /* not enough facts (no offset, files not listed) */
	FX_BINLOG_OK,            /* the stored position is on the server */
	FX_BINLOG_PURGE_SOON,    /* on the server, but retention removes it within a day */
	FX_BINLOG_FILE_PURGED,   /* the stored file is not among SHOW BINARY LOGS */
	FX_BINLOG_GTID_PURGED,   /* MySQL GTID mode: gtid_purged holds GTIDs the offset lacks;
				  * MariaDB: the oldest binlog starts after the stored GTID */
};

const char *fx_binlog_verdict_name(enum fx_binlog_verdict v);

/*
 * Can a connector resume from o on a server in state s?  As the server
 * decides when Debezium asks for its position: with GTIDs in the offset and
 * MySQL gtid_mode ON, by GTIDs (every purged GTID must be in the offset's
 * set); with GTIDs on MariaDB, by the oldest binlog's Gtid_list (for each
 * domain in both, the stored sequence number must not be below the list's:
 * MariaDB error 1236 "Could not find GTID state requested by slave in any
 * binlog files" otherwise), the stored file then does not matter; otherwise
 * by the stored file being listed.  retention_s (0: never expires; < 0 unknown) and now (UNIX seconds)
 * give PURGE_SOON: a file that is not the current one was last written at
 * o->ts_sec or later, so it may be purged from ts_sec + retention on; within
 * 24 h of now is soon.  *purge_at (may be NULL) gets that time, or 0.
 */
enum fx_binlog_verdict fx_binlog_position_verdict(const struct fx_binlog_state *s,
						  const struct fx_binlog_offset *o,
						  int64_t retention_s, int64_t now, int64_t *purge_at);

/*
 * How far o is behind the server's current position: bytes (rest of the
 * stored file, the whole files after it, the current file up to its
 * position) and files (how many rotations).  A stored file older than every
 * listed one (purged, though resumable by GTID) counts from the oldest
 * listed file: an upper bound.  0 when computed, -1 when the current file is
 * not listed or the stored one is newer than it.
 */
int fx_binlog_lag(const struct fx_binlog_state *s, const struct fx_binlog_offset *o,
		  uint64_t *bytes, unsigned *files);

/*
 * MySQL GTID sets ("uuid:1-5:7,uuid2:1-3", blanks and newlines allowed, as
 * @@gtid_purged prints them; a tagged "uuid:tag:1-5" is accepted): 1 when
 * every transaction of sub is in super, 0 when not, -1 when either does not
 * parse.  Empty sets are fine.
 */
int fx_gtid_set_contains(const char *super, const char *sub);

/*
 * MariaDB GTID lists ("0-1-37,1-2-5", as offsets and Gtid_list events print
 * them; "[0-1-37]" accepted): 1 when a connector at stored can resume on a
 * server whose oldest binlog begins after oldest (each domain of both: the
 * stored sequence number >= oldest's), 0 when not, -1 when either does not
 * parse.
 */
int fx_mariadb_gtid_resumable(const char *stored, const char *oldest);

/*
 * Where Kafka Connect keeps a connector's source offsets in its offsets
 * topic: the record key (JsonConverter without schemas, as the worker writes
 * it) `["<connector>",{"server":"<server>"}]` (new string, caller frees; NULL
 * on OOM), and the partition Kafka's default partitioner gives it
 * (murmur2 of the key, positive, modulo the partition count).
 */
char *fx_offsets_topic_key(const char *connector, const char *server);
int fx_kafka_partition(const char *key, size_t len, int partitions);

/* 1 for a MySQL gtid_mode under which Debezium stops (OFF_PERMISSIVE, ON_PERMISSIVE). */
int fx_gtid_mode_permissive(const char *mode);

#endif
