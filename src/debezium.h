/*
 * Debezium change events (pure): the key and value bytes of one Kafka record
 * -> struct fx_event.  No Kafka client headers here; tail.c hands the bytes in.
 *
 * Keys and values are read with or without the JsonConverter
 * {"schema": ..., "payload": ...} envelope.  The record is validated whole
 * (RFC 8259 grammar, UTF-8, nesting depth) by a small scanner that keeps
 * spans into the caller's bytes instead of building a tree: decoding a record
 * allocates nothing once the event's arrays have grown, and the JSON output
 * can copy before/after/source verbatim.  That is what lets `tail` keep up
 * with a busy topic; jansson, which allocates a node per value, cannot.
 *
 * Ownership: an fx_event owns only its arrays.  Every fx_span lends from the
 * key and value bytes given to the last decode call: they must outlive any use
 * of the event.  Reuse one event for many records; fx_event_release frees it.
 */
#ifndef FX_DEBEZIUM_H
#define FX_DEBEZIUM_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/err.h"

/* Raw JSON text inside a record; p == NULL when absent. */
struct fx_span {
	const char *p;
	size_t n;
};

/*
 * One field of a row or key: name still escaped, without its quotes; value raw
 * JSON, or, when typed decoding replaced it, the database's form (typed.h).
 */
struct fx_field {
	struct fx_span name;
	struct fx_span value;
	unsigned kind;        /* enum fx_typed_kind of its column; 0 when not known */
	unsigned decoded;     /* value is the database's form, not the record's text */
};

struct fx_row {
	int present;          /* 1: an object; 0: null or absent */
	int typed;            /* some value was decoded: show the fields, not raw */
	struct fx_span raw;   /* the object's text, as sent */
	struct fx_field *fields;
	size_t n;
	size_t alloc;
};

/* A field that differs between before and after (either side may be absent). */
struct fx_field_change {
	struct fx_span name;
	struct fx_span before;
	struct fx_span after;
	unsigned kind;        /* as in struct fx_field */
};

enum fx_op {
	FX_OP_NONE = 0,
	FX_OP_CREATE = 'c',
	FX_OP_UPDATE = 'u',
	FX_OP_DELETE = 'd',
	FX_OP_READ = 'r',     /* snapshot read */
	FX_OP_TRUNCATE = 't',
	FX_OP_MESSAGE = 'm',
};

/* The source block's fields that matter when debugging (raw JSON each). */
struct fx_source {
	struct fx_span raw;
	struct fx_span connector, name, db, table;
	struct fx_span file, pos, gtid; /* binlog position, or the GTID */
	struct fx_span snapshot;        /* "true", "false", "first", "last", ... */
	struct fx_span ts_ms;
};

struct fx_event {
	int tombstone;            /* null value: the key's last word after a delete */
	enum fx_op op;
	int compact;              /* the value has no whitespace between tokens */
	struct fx_span key;       /* the key's payload (envelope dropped), or absent */
	struct fx_row key_fields; /* when the key is an object */
	struct fx_span id;        /* the entity ID as raw JSON (composite: the key object) */
	int id_composite;         /* id is an object of several key fields */
	struct fx_row before;
	struct fx_row after;
	struct fx_source source;
	struct fx_span message;   /* op m: the message block */
	int has_ts_ms;
	int64_t ts_ms;            /* when the connector processed the change */
	int has_source_ts_ms;
	int64_t source_ts_ms;     /* when the change happened in the database */
	struct fx_field_change *changed; /* updates: fields whose value changed */
	size_t n_changed;
	size_t changed_alloc;
	/* typed decoding: the decoded values, and which spans point into them */
	struct fx_buf typed;
	struct fx_typed_fix *fix;
	size_t n_fix;
	size_t fix_alloc;
};

struct fx_typed_fix {
	struct fx_span *span;
	size_t off;
};

#define FX_EVENT_INIT { .tombstone = 0 } /* the rest zero */

void fx_event_init(struct fx_event *ev);
void fx_event_release(struct fx_event *ev);

/*
 * Resets ev and reads the key (NULL: no key).  Enough to match --id before the
 * value is looked at.  Returns 0, or -1 with err saying why the key is not
 * a Debezium key.
 */
int fx_debezium_decode_key(struct fx_event *ev, const void *key, size_t len, struct fx_err *err);
/*
 * Reads the value into ev (after fx_debezium_decode_key).  value NULL is a
 * tombstone; empty bytes, text that is not JSON and JSON that is not a
 * Debezium change event are errors (-1, err says why, ev is unusable).
 */
int fx_debezium_decode_value(struct fx_event *ev, const void *value, size_t len,
			     struct fx_err *err);
/*
 * The same, with values decoded as the database has them (typed.h): ty gives
 * the columns of the record's table and caches envelope schemas.  Spans of
 * decoded values lend from the event, the others from the record's bytes.
 * ty NULL: as above.
 */
struct fx_typer;
int fx_debezium_decode_key_typed(struct fx_event *ev, const void *key, size_t len,
				 struct fx_typer *ty, struct fx_err *err);
int fx_debezium_decode_value_typed(struct fx_event *ev, const void *value, size_t len,
				   struct fx_typer *ty, struct fx_err *err);
/* Both of the above. */
int fx_debezium_decode(struct fx_event *ev, const void *key, size_t klen, const void *value,
		       size_t vlen, struct fx_err *err);

/*
 * Appends the entity ID as text: a string unescaped, a number as written, a
 * composite key as "Field=value,Field=value".  Nothing when there is no ID.
 */
void fx_debezium_id_text(const struct fx_event *ev, struct fx_buf *out);
/* Appends a JSON string span's content unescaped (other values as written). */
void fx_debezium_unescape(struct fx_span s, struct fx_buf *out);
/* Byte-exact equality of two values, ignoring whitespace between tokens. */
int fx_debezium_same_value(struct fx_span a, struct fx_span b);
/* Parses a whole JSON integer span; -1 when it is not one. */
int fx_debezium_span_int(struct fx_span s, int64_t *out);

/*
 * Walks a container span the decoder validated: an object's members, or an
 * array's items (name empty).  Returns 1 per item, 0 at the end.
 */
struct fx_json_iter {
	const char *p;
	const char *end;
	int array;
};

void fx_json_iter_init(struct fx_json_iter *it, struct fx_span container);
int fx_json_iter_next(struct fx_json_iter *it, struct fx_field *f);
/* n bytes at p are one whole JSON document (RFC 8259, UTF-8). */
int fx_json_valid(const char *p, size_t n);
/* The same; *spaced gets whether it has whitespace between tokens. */
int fx_json_valid_spaced(const char *p, size_t n, int *spaced);

/* "create", "update", "delete", "read", "truncate", "message"; "tombstone" for NONE. */
const char *fx_op_name(enum fx_op op);
/*
 * Parses an --op list ("c,u,d", also the words "create,update", and "t" for
 * truncate) into a mask of FX_OP_MASK(op) bits.  -1 with err (usage) on an
 * unknown name.
 */
#define FX_OP_MASK(op) (1u << ((unsigned)(op) & 31u))
int fx_op_parse_mask(const char *list, unsigned *mask, struct fx_err *err);

#endif
