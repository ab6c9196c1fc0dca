/*
 * Change events -> pretty text or JSON lines (see render_event.h).  The JSON
 * form copies the record's own before/after/source text (whitespace between
 * tokens dropped when there is any), so it costs a memcpy, not a re-encode.
 */
#include "render_event.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "typed.h"
#include "util/duration.h"
#include "util/str.h"

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_DIM "\033[2m"
#define C_RED "\033[31m"
#define C_GREEN "\033[32m"
#define C_YELLOW "\033[33m"

#define RENDER_MAX_VALUE 200

/* 1 for a byte a JSON string must escape: control characters, '"' and '\\'. */
static const unsigned char json_escaped[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	['"'] = 1, ['\\'] = 1,
};

void fx_render_json_string(struct fx_buf *out, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const char *run = s;

	fx_buf_addc(out, '"');
	for (;;) {
		unsigned char c;
		char esc[6] = { '\\', 'u', '0', '0', 0, 0 };

		while (!json_escaped[(unsigned char)*s]) /* stops at the NUL too */
			s++;
		c = (unsigned char)*s;
		fx_buf_add(out, run, (size_t)(s - run));
		if (!c)
			break;
		run = ++s;
		switch (c) {
		case '"': fx_buf_adds(out, "\\\""); break;
		case '\\': fx_buf_adds(out, "\\\\"); break;
		case '\n': fx_buf_adds(out, "\\n"); break;
		case '\r': fx_buf_adds(out, "\\r"); break;
		case '\t': fx_buf_adds(out, "\\t"); break;
		default:
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			fx_buf_add(out, esc, 6);
			break;
		}
	}
	fx_buf_addc(out, '"');
}

/* Raw JSON, without whitespace between tokens unless the record had none. */
static void put_json(struct fx_buf *out, struct fx_span v, int compact)
{
	size_t i, run = 0;
	int in_str = 0;

	if (!v.p) {
		fx_buf_adds(out, "null");
		return;
	}
	if (compact || (v.n && v.p[0] != '{' && v.p[0] != '[')) {
		/* a scalar has no whitespace between tokens: it is one */
		fx_buf_add(out, v.p, v.n);
		return;
	}
	for (i = 0; i < v.n; i++) {
		char c = v.p[i];

		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = 0;
		} else if (c == '"') {
			in_str = 1;
		} else if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
			fx_buf_add(out, v.p + run, i - run);
			run = i + 1;
		}
	}
	fx_buf_add(out, v.p + run, v.n - run);
}

/*
 * A row: its text as sent, or, when values were decoded, rebuilt from its
 * fields.  In a record without whitespace the rebuilt text is the row's own
 * but for the decoded values: the text between them is copied in runs (a
 * field's value starts right after its name's quote and ':', and ends at the
 * ',' before the next name, or at the closing brace).
 */
static void put_row(struct fx_buf *out, const struct fx_row *r, int compact)
{
	size_t i;

	if (!r->typed) {
		put_json(out, r->raw, compact);
		return;
	}
	if (compact) {
		const char *cur = r->raw.p, *end = r->raw.p + r->raw.n;

		for (i = 0; i < r->n; i++) {
			const struct fx_field *f = &r->fields[i];
			const char *v = f->name.p + f->name.n + 2; /* after '":' */

			if (!f->decoded)
				continue;
			fx_buf_add(out, cur, (size_t)(v - cur));
			fx_buf_add(out, f->value.p, f->value.n);
			cur = i + 1 < r->n ? r->fields[i + 1].name.p - 2 : end - 1;
		}
		fx_buf_add(out, cur, (size_t)(end - cur));
		return;
	}
	fx_buf_addc(out, '{');
	for (i = 0; i < r->n; i++) {
		if (i)
			fx_buf_addc(out, ',');
		fx_buf_addc(out, '"');
		fx_buf_add(out, r->fields[i].name.p, r->fields[i].name.n);
		fx_buf_adds(out, "\":");
		put_json(out, r->fields[i].value, compact);
	}
	fx_buf_addc(out, '}');
}

/* n spaces (the pretty columns' padding). */
static void put_spaces(struct fx_buf *out, size_t n)
{
	static const char sp[] = "                                ";

	while (n > sizeof(sp) - 1) {
		fx_buf_add(out, sp, sizeof(sp) - 1);
		n -= sizeof(sp) - 1;
	}
	fx_buf_add(out, sp, n);
}

static void put_int(struct fx_buf *out, int64_t v)
{
	static const char pairs[] =
		"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
		"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
		"8081828384858687888990919293949596979899";
	char tmp[24], *p = tmp + sizeof(tmp);
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	while (u >= 100) { /* two digits a division */
		p -= 2;
		memcpy(p, pairs + 2 * (u % 100), 2);
		u /= 100;
	}
	if (u >= 10) {
		p -= 2;
		memcpy(p, pairs + 2 * u, 2);
	} else {
		*--p = (char)('0' + u);
	}
	if (v < 0)
		*--p = '-';
	fx_buf_add(out, p, (size_t)(tmp + sizeof(tmp) - p));
}

/*
 * The manifest's entity, else (callers try the source block's table first)
 * the topic's last part: Debezium names topics prefix.database.table.
 */
static const char *entity_name(const struct fx_record_meta *m)
{
	const char *dot;

	if (m->entity)
		return m->entity;
	dot = strrchr(m->topic, '.');
	return dot && dot[1] ? dot + 1 : m->topic;
}

static void render_json(struct fx_buf *out, const struct fx_record_meta *m,
			const struct fx_event *ev)
{
	size_t i;

	fx_buf_adds(out, "{\"topic\":");
	fx_render_json_string(out, m->topic);
	fx_buf_adds(out, ",\"partition\":");
	put_int(out, m->partition);
	fx_buf_adds(out, ",\"offset\":");
	put_int(out, m->offset);
	fx_buf_adds(out, ",\"timestamp\":");
	if (m->timestamp_ms >= 0)
		put_int(out, m->timestamp_ms);
	else
		fx_buf_adds(out, "null");
	fx_buf_adds(out, ",\"entity\":");
	if (m->entity || !ev->source.table.p)
		fx_render_json_string(out, entity_name(m));
	else
		put_json(out, ev->source.table, 1);
	fx_buf_adds(out, ",\"id\":");
	put_json(out, ev->id, 0);
	if (ev->tombstone) {
		fx_buf_adds(out, ",\"tombstone\":true}\n");
		return;
	}
	fx_buf_adds(out, ",\"op\":\"");
	fx_buf_addc(out, (char)ev->op);
	fx_buf_adds(out, "\",\"before\":");
	put_row(out, &ev->before, ev->compact);
	fx_buf_adds(out, ",\"after\":");
	put_row(out, &ev->after, ev->compact);
	fx_buf_adds(out, ",\"changed\":");
	if (ev->op == FX_OP_UPDATE) {
		fx_buf_addc(out, '[');
		for (i = 0; i < ev->n_changed; i++) {
			if (i)
				fx_buf_addc(out, ',');
			fx_buf_addc(out, '"');
			fx_buf_add(out, ev->changed[i].name.p, ev->changed[i].name.n);
			fx_buf_addc(out, '"');
		}
		fx_buf_addc(out, ']');
	} else {
		fx_buf_adds(out, "null");
	}
	if (ev->op == FX_OP_MESSAGE) {
		fx_buf_adds(out, ",\"message\":");
		put_json(out, ev->message, ev->compact);
	}
	fx_buf_adds(out, ",\"source\":");
	put_json(out, ev->source.raw, ev->compact);
	fx_buf_adds(out, ",\"ts_ms\":");
	if (ev->has_ts_ms)
		put_int(out, ev->ts_ms);
	else
		fx_buf_adds(out, "null");
	fx_buf_adds(out, "}\n");
}

/* Text for a terminal: control characters (from unescaped strings) become '?'. */
static void put_safe(struct fx_buf *out, const char *s, size_t n)
{
	size_t i, run = 0;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) {
			fx_buf_add(out, s + run, i - run);
			fx_buf_addc(out, '?');
			run = i + 1;
		}
	fx_buf_add(out, s + run, n - run);
}

/* What pretty adds after a value of this kind: the encoding of bytes, a BIT's bits. */
static void put_note(struct fx_buf *out, struct fx_span v, unsigned kind, int color)
{
	const char *dim = color ? C_DIM : "", *reset = color ? C_RESET : "";

	if (v.n < 1 || v.p[0] == 'n')
		return;
	if (kind == FX_TYPED_BYTES && v.p[0] == '"') {
		size_t n = v.n - 2, pad = n && v.p[v.n - 2] == '=' ? 1 + (n > 1 && v.p[v.n - 3] == '=') : 0;

		fx_buf_addf(out, " %s(base64, %zu byte%s)%s", dim, n / 4 * 3 - pad,
			    n / 4 * 3 - pad == 1 ? "" : "s", reset);
	} else if (kind == FX_TYPED_BITS && v.p[0] >= '0' && v.p[0] <= '9') {
		unsigned long long x = strtoull(v.p, NULL, 10);
		char bits[65];
		int k = 64;

		bits[k] = '\0';
		do {
			bits[--k] = (char)('0' + (x & 1));
			x >>= 1;
		} while (x);
		fx_buf_addf(out, " %s(b'%s')%s", dim, bits + k, reset);
	}
}

/* A value as JSON text (a decimal without quotes), cut after max bytes (on a character boundary). */
static void put_value(struct fx_buf *out, struct fx_span v, unsigned kind, size_t max, int color)
{
	size_t n;

	if (!v.p) {
		fx_buf_adds(out, color ? C_DIM "(absent)" C_RESET : "(absent)");
		return;
	}
	if (kind == FX_TYPED_DECIMAL && v.n > 2 && v.p[0] == '"') {
		v.p++;
		v.n -= 2;
	}
	if (v.n <= max) {
		put_json(out, v, 0);
		put_note(out, v, kind, color);
		return;
	}
	n = fx_str_utf8_prefix(v.p, max);
	fx_buf_add(out, v.p, n);
	fx_buf_addf(out, "%s… (%zu bytes)%s", color ? C_DIM : "", v.n, color ? C_RESET : "");
}

static const char *op_color(const struct fx_event *ev)
{
	if (ev->tombstone)
		return C_DIM;
	switch (ev->op) {
	case FX_OP_CREATE: return C_GREEN;
	case FX_OP_READ: return C_GREEN; /* a snapshot read inserts, as far as a consumer knows */
	case FX_OP_UPDATE: return C_YELLOW;
	case FX_OP_DELETE: return C_RED;
	case FX_OP_TRUNCATE: return C_RED;
	default: return C_BOLD;
	}
}

static int64_t event_time(const struct fx_record_meta *m, const struct fx_event *ev)
{
	if (ev->has_source_ts_ms && ev->source_ts_ms > 0)
		return ev->source_ts_ms;
	if (ev->has_ts_ms && ev->ts_ms > 0)
		return ev->ts_ms;
	return m->timestamp_ms;
}

static int span_is(struct fx_span v, const char *lit)
{
	return v.n == strlen(lit) && !memcmp(v.p, lit, v.n);
}

/* What put_safe does, to the bytes appended to out since from. */
static void make_safe(struct fx_buf *out, size_t from)
{
	size_t i;

	for (i = from; i < out->len; i++)
		if ((unsigned char)out->buf[i] < 0x20 || out->buf[i] == 0x7f)
			out->buf[i] = '?';
}

static void put_unquoted(struct fx_buf *out, struct fx_span s)
{
	size_t from = out->len;

	fx_debezium_unescape(s, out);
	make_safe(out, from);
}

/* Where the change came from in the database: binlog position, GTID, snapshot. */
static void put_source(struct fx_buf *out, const struct fx_source *src)
{
	if (src->snapshot.p && !span_is(src->snapshot, "\"false\"") &&
	    !span_is(src->snapshot, "false") && !span_is(src->snapshot, "null")) {
		fx_buf_adds(out, " snapshot=");
		put_unquoted(out, src->snapshot);
	}
	if (src->gtid.p && src->gtid.p[0] == '"') {
		fx_buf_adds(out, " gtid=");
		put_unquoted(out, src->gtid);
	}
	if (src->file.p && src->file.p[0] == '"' && src->file.n > 2) {
		fx_buf_addc(out, ' ');
		put_unquoted(out, src->file);
		if (src->pos.p) {
			fx_buf_addc(out, ':');
			put_unquoted(out, src->pos);
		}
	}
}

static void render_pretty(struct fx_buf *out, const struct fx_render_event_opts *o,
			  const struct fx_record_meta *m, const struct fx_event *ev)
{
	const char *dim = o->color ? C_DIM : "", *reset = o->color ? C_RESET : "";
	size_t max = o->max_value ? o->max_value : RENDER_MAX_VALUE;
	size_t i, width = 0, idlen;
	char when[32];
	int64_t t = event_time(m, ev);

	if (t >= 0)
		fx_time_format_ms(t, when);
	else
		memcpy(when, "-", 2);
	fx_buf_adds(out, when);
	fx_buf_addc(out, ' ');
	if (o->color)
		fx_buf_adds(out, op_color(ev));
	fx_buf_adds(out, ev->tombstone ? "tombstone" : fx_op_name(ev->op));
	fx_buf_adds(out, reset);
	fx_buf_addc(out, ' ');
	if (o->color)
		fx_buf_adds(out, C_BOLD);
	if (m->entity || !ev->source.table.p)
		put_safe(out, entity_name(m), strlen(entity_name(m)));
	else
		put_unquoted(out, ev->source.table);
	if (ev->id.p) {
		size_t from;

		fx_buf_addc(out, '#');
		from = out->len;
		fx_debezium_id_text(ev, out);
		make_safe(out, from);
	}
	fx_buf_adds(out, reset);
	fx_buf_addc(out, ' ');
	fx_buf_adds(out, dim);
	put_safe(out, m->topic, strlen(m->topic));
	fx_buf_addc(out, '[');
	put_int(out, m->partition);
	fx_buf_adds(out, "]@");
	put_int(out, m->offset);
	put_source(out, &ev->source);
	fx_buf_adds(out, reset);
	fx_buf_addc(out, '\n');
	if (ev->tombstone)
		return;
	if (ev->op == FX_OP_UPDATE && ev->before.present) {
		for (i = 0; i < ev->n_changed; i++)
			if (ev->changed[i].name.n > width)
				width = ev->changed[i].name.n;
		for (i = 0; i < ev->n_changed; i++) {
			const struct fx_field_change *c = &ev->changed[i];

			fx_buf_adds(out, "    ");
			fx_buf_add(out, c->name.p, c->name.n);
			put_spaces(out, width - c->name.n + 2);
			put_value(out, c->before, c->kind, max, o->color);
			fx_buf_addc(out, ' ');
			fx_buf_adds(out, dim);
			fx_buf_adds(out, "→");
			fx_buf_adds(out, reset);
			fx_buf_addc(out, ' ');
			put_value(out, c->after, c->kind, max, o->color);
			fx_buf_addc(out, '\n');
		}
		if (!ev->n_changed)
			fx_buf_addf(out, "    %s(no column changed)%s\n", dim, reset);
		return;
	}
	if (ev->op == FX_OP_DELETE)
		return; /* the header names the row */
	if (ev->op == FX_OP_MESSAGE) {
		fx_buf_adds(out, "    ");
		put_value(out, ev->message, 0, max, o->color);
		fx_buf_addc(out, '\n');
		return;
	}
	for (i = 0; i < ev->after.n; i++)
		if (ev->after.fields[i].name.n > width)
			width = ev->after.fields[i].name.n;
	for (i = 0; i < ev->after.n; i++) {
		const struct fx_field *f = &ev->after.fields[i];

		idlen = f->name.n;
		fx_buf_adds(out, "    ");
		fx_buf_add(out, f->name.p, idlen);
		put_spaces(out, width - idlen + 2);
		put_value(out, f->value, f->kind, max, o->color);
		fx_buf_addc(out, '\n');
	}
}

void fx_render_event(struct fx_buf *out, const struct fx_render_event_opts *o,
		     const struct fx_record_meta *m, const struct fx_event *ev)
{
	if (o->format == FX_EVENT_PRETTY)
		render_pretty(out, o, m, ev);
	else
		render_json(out, m, ev);
}

int fx_render_event_file(FILE *f, const struct fx_render_event_opts *o,
			 const struct fx_record_meta *m, const struct fx_event *ev)
{
	struct fx_buf b = FX_BUF_INIT;
	int ret = 0;

	fx_render_event(&b, o, m, ev);
	if (!fx_buf_ok(&b) || fwrite(b.buf, 1, b.len, f) != b.len)
		ret = -1;
	fx_buf_release(&b);
	return ret;
}
