/*
 * Values as the database has them (SPEC §5), pure: Debezium's JSON encodings
 * of MySQL/MariaDB columns (precise DECIMAL as base64 bytes, DATE as epoch
 * days, DATETIME as epoch ms or µs, TIME as µs, BIT as little-endian bytes,
 * JSON inside a string, BIGINT UNSIGNED wrapped into a signed long) turned
 * back into the text the database shows.
 *
 * The column types come from information_schema, read once at start
 * (fx_typed_col_from_mysql), or from a JsonConverter envelope's schema, per
 * record (struct fx_typer caches what it parsed, keyed by the schema bytes).
 * debezium.c applies them to the fields of a decoded event.
 *
 * Ownership: a struct fx_typed_table owns its columns and names
 * (fx_typed_tables_free); a struct fx_typer owns its cache and lends the
 * tables it is given (they must outlive it).  One typer per thread.
 */
#ifndef FX_TYPED_H
#define FX_TYPED_H

#include <stddef.h>
#include <stdint.h>

#include "debezium.h"
#include "util/buf.h"

enum fx_typed_kind {
	FX_TYPED_AS_SENT = 0,     /* shown as sent (numbers, text, ENUM, SET, YEAR, BIT(1)) */
	FX_TYPED_DECIMAL,         /* precise: base64 of the unscaled big-endian two's complement */
	FX_TYPED_DATE,            /* days since 1970-01-01 */
	FX_TYPED_TIME_MICROS,     /* µs, may be negative or over 24 h (TIME is -838..838 h) */
	FX_TYPED_TIME_MILLIS,     /* ms (time.precision.mode adaptive TIME(0-3), connect) */
	FX_TYPED_DATETIME_MILLIS, /* ms since the epoch, read as UTC: the local date and time */
	FX_TYPED_DATETIME_MICROS, /* µs since the epoch */
	FX_TYPED_ZONED,           /* TIMESTAMP: already an ISO-8601 string in UTC */
	FX_TYPED_BITS,            /* BIT(n > 1): base64 of little-endian bytes -> the number */
	FX_TYPED_JSON,            /* a string holding JSON -> the JSON */
	FX_TYPED_UNSIGNED64,      /* BIGINT UNSIGNED sent as a signed long: a negative + 2^64 */
	FX_TYPED_BYTES,           /* BLOB, BINARY: base64 (or hex) as sent; pretty says so */
};

struct fx_typed_col {
	char *name;               /* as the event names the field */
	size_t name_len;
	enum fx_typed_kind kind;
	int scale;                /* DECIMAL */
	int fsp;                  /* TIME/DATETIME/TIMESTAMP fractional digits; -1 unknown */
	int bits;                 /* BIT(n) */
};

struct fx_typed_table {
	char *name;
	struct fx_typed_col *cols; /* in ordinal order, as Debezium writes them */
	size_t n_cols;
	size_t alloc;
};

/* The connector settings that decide the encodings (SPEC §3 defaults). */
enum fx_typed_time_mode {
	FX_TIME_ADAPTIVE_MICROS = 0, /* adaptive_time_microseconds, Debezium's default for MySQL */
	FX_TIME_ADAPTIVE,
	FX_TIME_CONNECT,
	FX_TIME_OTHER,               /* a mode fluxacdc does not know: temporal values as sent */
};

struct fx_typed_modes {
	int decimal_precise;         /* decimal.handling.mode precise (the default) */
	enum fx_typed_time_mode time;
	int bigint_precise;          /* bigint.unsigned.handling.mode precise */
	const char *binary;          /* binary.handling.mode: "base64" (bytes, the default), "hex", ... */
};

#define FX_TYPED_MODES_INIT { 1, FX_TIME_ADAPTIVE_MICROS, 0, "base64" }

/*
 * Sets modes from connector config values (NULL: absent, the default).
 * Returns 0, or -1 when a value is one fluxacdc does not know (its values
 * are then shown as sent).
 */
int fx_typed_modes_set(struct fx_typed_modes *m, const char *decimal, const char *time,
		       const char *bigint, const char *binary);

/*
 * A column from information_schema.COLUMNS: DATA_TYPE, COLUMN_TYPE,
 * NUMERIC_PRECISION, NUMERIC_SCALE, DATETIME_PRECISION (NULL when SQL NULL);
 * json: MariaDB's JSON is a LONGTEXT with a json_valid() check.
 */
struct fx_typed_col fx_typed_col_from_mysql(const char *data_type, const char *column_type,
					    const char *precision, const char *scale,
					    const char *dt_precision, int json,
					    const struct fx_typed_modes *modes);

/* Appends a column (name copied); -1 on OOM. */
int fx_typed_table_add(struct fx_typed_table *t, const char *name, struct fx_typed_col col);
void fx_typed_tables_free(struct fx_typed_table *t, size_t n);
/* The column named name (length n), or NULL. */
const struct fx_typed_col *fx_typed_table_col(const struct fx_typed_table *t, const char *name,
					      size_t n);

/*
 * Appends the value v (raw JSON, not null) as the database shows it, as JSON
 * text: decimals, dates and times as strings ("1234.50", "2026-11-30",
 * "10:11:12.345", "2026-11-30T10:11:12.345"), BIT(n) and unsigned longs as
 * numbers, JSON as itself without whitespace between tokens.  Returns 1 when
 * it appended, 0 when v stays as sent (kind AS_SENT, BYTES; a non-negative
 * unsigned), -1 when v is not what the kind expects (nothing appended).
 */
int fx_typed_decode(const struct fx_typed_col *c, struct fx_span v, struct fx_buf *out);
/* DECIMAL: b64 (n bytes, no quotes) and scale -> a JSON string; -1 when not base64 or too big. */
int fx_typed_decimal(const char *b64, size_t n, int scale, struct fx_buf *out);
/* Two decoded DECIMAL strings name the same number ("1234.50" and "1234.5"). */
int fx_typed_same_decimal(struct fx_span a, struct fx_span b);

/*
 * Per decode thread: the table of the records being decoded and what the
 * envelope schemas seen so far say.
 */
struct fx_typer;

struct fx_typer *fx_typer_new(void);
void fx_typer_free(struct fx_typer *ty);
/* The database columns of the next records' table (NULL: not known). */
void fx_typer_set_table(struct fx_typer *ty, const struct fx_typed_table *table);

/*
 * The columns of a row: from schema (the envelope's struct schema of the
 * row: {"type":"struct","fields":[...]}, p NULL when none), merged with the
 * table's; else the table's.  which: 0 key, 1 before, 2 after — schema is
 * then the whole key or value schema.  *n gets their count; NULL when
 * nothing is known.  Lent until the next call.
 */
const struct fx_typed_col *fx_typer_cols(struct fx_typer *ty, struct fx_span schema, int which,
					 size_t *n);

#endif
