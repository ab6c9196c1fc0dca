/*
 * Change events -> text (pure): one decoded struct fx_event and where its
 * record came from -> a `pretty` block or one `json` line (SPEC §5), appended
 * to an fx_buf.  The caller owns the buffer and writes it out; everything
 * passed in is lent for the call only.
 */
#ifndef FX_RENDER_EVENT_H
#define FX_RENDER_EVENT_H

#include <stdint.h>
#include <stdio.h>

#include "debezium.h"
#include "util/buf.h"

enum fx_event_format { FX_EVENT_JSON = 0, FX_EVENT_PRETTY };

struct fx_render_event_opts {
	enum fx_event_format format;
	int color;        /* ANSI colors in pretty */
	size_t max_value; /* pretty: longer values are cut (0: 200 bytes) */
};

/* Where a record came from. */
struct fx_record_meta {
	const char *topic;
	int32_t partition;
	int64_t offset;
	int64_t timestamp_ms; /* the record's timestamp; < 0 when it has none */
	const char *entity;   /* the manifest's entity of the topic, or NULL */
};

/* Appends the event (a line in json; a header and field lines in pretty). */
void fx_render_event(struct fx_buf *out, const struct fx_render_event_opts *o,
		     const struct fx_record_meta *m, const struct fx_event *ev);
/* The same, written to f; -1 when the write failed. */
int fx_render_event_file(FILE *f, const struct fx_render_event_opts *o,
			 const struct fx_record_meta *m, const struct fx_event *ev);
/* Appends s as a JSON string (quotes and escapes). */
void fx_render_json_string(struct fx_buf *out, const char *s);

#endif
