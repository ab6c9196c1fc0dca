/*
 * Incremental snapshots (SPEC §2 `snapshot`, §4 "Snapshots of added tables"):
 * the pure half.  Builds Debezium's `execute-snapshot` signal, derives its id,
 * decodes the notifications Debezium writes to the sink channel's topic, and
 * follows them to an outcome per table.  No librdkafka here (snapshot_kafka.c
 * carries the records), no printing.
 *
 * What Debezium does (checked in 3.2.0.Final's classes and on the stack):
 * - the Kafka signal channel takes a record whose key is the connector's
 *   topic.prefix and whose value is {"id","type":"execute-snapshot","data":
 *   {"data-collections":[..],"type":"incremental","additional-conditions":
 *   [{"data-collection","filter"}]}};
 * - notifications have {"id","aggregate_type","type","additional_data",
 *   "timestamp"}; an incremental snapshot's carry aggregate_type
 *   "Incremental Snapshot" and the signal's id, EXCEPT that a signal arriving
 *   while a snapshot runs joins it and the rest of the run reports the newest
 *   signal's id.  So progress is followed by table (scanned_collection), from
 *   the notification offset taken before the signal was sent, not by id.
 * - TABLE_SCAN_COMPLETED's status: SUCCEEDED or EMPTY (done), NO_PRIMARY_KEY,
 *   SKIPPED, SQL_EXCEPTION, UNKNOWN_SCHEMA (failed, that is the reason).
 *
 * Ownership: structs here own their strings; *_release frees them.  Request
 * fields are lent by the caller.
 */
#ifndef FX_SNAPSHOT_H
#define FX_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "util/err.h"

/* What a snapshot asks for.  Everything lent. */
struct fx_snap_request {
	const char *connector;     /* name = topic.prefix: the signal's key */
	const char *database;
	const char *const *tables; /* table names (no database) */
	size_t n_tables;
	const char *where;         /* --where: one filter for every table, or NULL */
	const char *token;         /* what identifies this change (see fx_snapshot_signal_id) */
};

/*
 * The signal id: "fluxa-" and 24 hex digits of SHA-256 over the connector,
 * the sorted tables, the filter and the token.  The same change asked twice
 * gives the same id, so a retry finds its own signal already in the signal
 * topic and sends nothing.  NULL on out of memory.
 */
char *fx_snapshot_signal_id(const struct fx_snap_request *r);
/* The signal's value (compact JSON).  NULL on out of memory. */
char *fx_snapshot_signal_json(const struct fx_snap_request *r, const char *id);
/* The id of a signal record's value, or NULL when it is not a JSON object
 * with a string "id" (new string, caller frees). */
char *fx_snapshot_signal_id_of(const char *value, size_t len);

/*
 * The tables a table.include.list change adds, as table names of database
 * (entries "db\\.Table" or "db.Table"; entries of other databases, and
 * entries that are real regexes, are not names and are left out).  The names
 * are new strings in a new array (*out, *n); free with fx_snapshot_tables_free.
 * -1 on out of memory.
 */
int fx_snapshot_added_tables(const char *before, const char *after, const char *database,
			     char ***out, size_t *n);
void fx_snapshot_tables_free(char **tables, size_t n);

enum fx_notif_type {
	FX_NOTIF_OTHER = 0,
	FX_NOTIF_STARTED,
	FX_NOTIF_IN_PROGRESS,
	FX_NOTIF_TABLE_SCAN_COMPLETED,
	FX_NOTIF_COMPLETED,
	FX_NOTIF_ABORTED,
	FX_NOTIF_PAUSED,
	FX_NOTIF_RESUMED,
	FX_NOTIF_SKIPPED,
};

struct fx_notification {
	char *id;
	int incremental;           /* aggregate_type "Incremental Snapshot" */
	enum fx_notif_type type;
	char *type_name;           /* as sent */
	char **collections;        /* additional_data.data_collections, split on ',' */
	size_t n_collections;
	char *scanned;             /* scanned_collection (TABLE_SCAN_COMPLETED) */
	char *status;              /* its status */
	long long rows;            /* total_rows_scanned; -1 when absent */
	char *current;             /* current_collection_in_progress (IN_PROGRESS) */
	char *last_key;            /* last_processed_key */
	char *max_key;             /* maximum_key */
	int64_t ts_ms;             /* timestamp; 0 when absent */
};

#define FX_NOTIFICATION_INIT { NULL, 0, FX_NOTIF_OTHER, NULL, NULL, 0, NULL, NULL, -1, NULL, NULL, NULL, 0 }

/*
 * Decodes one notification record's value: plain JSON, or JsonConverter's
 * {"schema","payload"} envelope.  -1 with err when it is not one.
 */
int fx_snapshot_notification_parse(const char *value, size_t len, struct fx_notification *out,
				   struct fx_err *err);
void fx_notification_release(struct fx_notification *n);

enum fx_snap_state {
	FX_SNAP_WAITING = 0,   /* Debezium has not started this table */
	FX_SNAP_RUNNING,
	FX_SNAP_DONE,
	FX_SNAP_FAILED,
};

struct fx_snap_table {
	char *name;            /* "db.table", as Debezium names it */
	enum fx_snap_state state;
	long long rows;        /* rows scanned, when done; -1 unknown */
	char *reason;          /* failed: Debezium's status or the abort */
	char *last_key;        /* running: the last key read, and the table's maximum */
	char *max_key;
};

/* What the notifications said so far about the tables of one request. */
struct fx_snap_progress {
	struct fx_snap_table *tables;
	size_t n;
	int started;           /* an incremental STARTED naming one of them was seen */
	int64_t started_ms;
	int64_t last_ms;       /* timestamp of the last notification that concerned us */
};

#define FX_SNAP_PROGRESS_INIT { NULL, 0, 0, 0, 0 }

/* database NULL: tables are "db.table" already. */
int fx_snapshot_progress_init(struct fx_snap_progress *p, const char *database,
			      const char *const *tables, size_t n, struct fx_err *err);
void fx_snapshot_progress_release(struct fx_snap_progress *p);
/*
 * Feeds one notification read after the signal was sent (or after the point
 * that decides what "already snapshotted" means).  Returns 1 when it changed
 * the progress, 0 when it did not concern these tables, -1 out of memory.
 */
int fx_snapshot_progress_feed(struct fx_snap_progress *p, const struct fx_notification *n);
/* 1 when every table is done or failed. */
int fx_snapshot_progress_finished(const struct fx_snap_progress *p);
/* Tables in a state, and the rows of the done ones (-1 when none known). */
size_t fx_snapshot_progress_count(const struct fx_snap_progress *p, enum fx_snap_state s);
long long fx_snapshot_progress_rows(const struct fx_snap_progress *p);
/* "completed", "failed" (some table failed or was aborted), "running", "waiting". */
const char *fx_snapshot_progress_status(const struct fx_snap_progress *p);

/*
 * The "already snapshotted" rule for a re-run: given the ids of the signals
 * already in the connector's signal topic, whether this request's id is among
 * them (then nothing is sent: the notifications since that signal tell how it
 * went).  Returns the index of the match, or -1.
 */
long fx_snapshot_already_sent(const char *id, const char *const *ids, size_t n);

/*
 * Which watermarking mode Debezium can use, from what the plan knows.
 * MariaDB always has GTIDs (Debezium's MariaDbConnection.isGtidModeEnabled()
 * is true), so read-only works; MySQL needs gtid_mode ON (and so
 * enforce_gtid_consistency ON); otherwise a signal table.
 */
enum fx_snap_mode { FX_SNAP_MODE_NONE = 0, FX_SNAP_MODE_READ_ONLY, FX_SNAP_MODE_SIGNAL_TABLE };
/* mariadb: flavor; gtid_mode: the server's gtid_mode (NULL unknown); read_only and
 * signal_collection: the connector config's values (NULL when absent). */
enum fx_snap_mode fx_snapshot_mode(int mariadb, const char *gtid_mode, const char *read_only,
				   const char *signal_collection);
const char *fx_snapshot_mode_name(enum fx_snap_mode m);
/*
 * Whether a connector config (live or desired) can take a Kafka signal and
 * report progress: NULL when it can, else what the user must do (static).
 */
const char *fx_snapshot_unsupported(const struct fx_config *cfg, int mariadb);

#endif
