/*
 * Debezium record bytes -> struct fx_event (see debezium.h).  The JSON scanner
 * here validates and measures; it never copies nor allocates.
 */
#include "debezium.h"

#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "typed.h"
#include "util/alloc.h"

#define SCAN_MAX_DEPTH 128

struct scan {
	const unsigned char *start;
	const unsigned char *p;
	const unsigned char *end;
	int depth;
	int spaced;        /* whitespace was skipped between tokens */
	const char *why;   /* first error */
	size_t at;         /* its byte offset */
	int oom;           /* why is that a row could not grow */
};

static void scan_init(struct scan *s, const char *p, size_t n)
{
	s->start = s->p = (const unsigned char *)p;
	s->end = s->start + n;
	s->depth = 0;
	s->spaced = 0;
	s->why = NULL;
	s->at = 0;
	s->oom = 0;
}

static int scan_fail(struct scan *s, const char *why)
{
	if (!s->why) {
		s->why = why;
		s->at = (size_t)(s->p - s->start);
	}
	return -1;
}

static inline void scan_ws(struct scan *s)
{
	const unsigned char *p = s->p;

	if (p < s->end && *p > ' ') /* the common case: a token, not a space */
		return;
	while (p < s->end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
		p++;
	if (p != s->p)
		s->spaced = 1;
	s->p = p;
}

/* One UTF-8 sequence at p (first byte >= 0x80); its length, 0 when invalid. */
static size_t scan_utf8(const unsigned char *p, const unsigned char *end)
{
	unsigned c = p[0], cp, min;
	size_t len, k;

	if (c >= 0xC2 && c <= 0xDF) {
		len = 2, cp = c & 0x1F, min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		len = 3, cp = c & 0x0F, min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4, cp = c & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if ((size_t)(end - p) < len)
		return 0;
	for (k = 1; k < len; k++) {
		if ((p[k] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[k] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

static int hexval(unsigned c)
{
	if (c >= '0' && c <= '9')
		return (int)(c - '0');
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return (int)(c - 'a' + 10);
	return -1;
}

/* The code unit of a \uXXXX escape at p, -1 when incomplete or not hex. */
static int scan_u4(const unsigned char *p, const unsigned char *end)
{
	int v = 0, k, h;

	if (end - p < 6)
		return -1;
	for (k = 2; k < 6; k++) {
		h = hexval(p[k]);
		if (h < 0)
			return -1;
		v = v << 4 | h;
	}
	return v;
}

/* 1 for a byte that may stand for itself in a string: printable ASCII but '"' and '\\'. */
static const unsigned char plain_byte[256] = {
	[0x20] = 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x22 '"' */
	[0x30] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	[0x40] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	[0x50] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, /* 0x5c '\\' */
	[0x60] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	[0x70] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

/*
 * The length of the run of plain string bytes at p (printable ASCII, no
 * quote nor backslash), eight at a time.  In each word, a byte's high bit in
 * bad is set when the byte is < 0x20, '"', '\\' or >= 0x80 -- exactly for
 * the first such byte: a borrow only reaches the bytes above it, so the
 * lowest set bit (the words are read little-endian) says where the run ends.
 */
static inline size_t plain_run(const unsigned char *p, const unsigned char *end)
{
	const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
	const unsigned char *q = p;

#ifdef __SSE2__
	/* sixteen at a time: a signed compare with 0x20 flags the bytes < 0x20
	 * and >= 0x80 at once */
	while (end - q >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)q);
		__m128i bad = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
							_mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
					   _mm_cmplt_epi8(v, _mm_set1_epi8(0x20)));
		int mask = _mm_movemask_epi8(bad);

		if (mask)
			return (size_t)(q - p) + (size_t)__builtin_ctz((unsigned)mask);
		q += 16;
	}
#endif
	while (end - q >= 8) {
		uint64_t w, quote, bslash, bad;

		memcpy(&w, q, 8);
		quote = w ^ (ones * '"');
		bslash = w ^ (ones * '\\');
		bad = (((w - ones * 0x20) & ~w) |        /* a byte < 0x20 */
		       ((quote - ones) & ~quote) |       /* a '"' */
		       ((bslash - ones) & ~bslash) |     /* a backslash */
		       w) & high;                        /* a byte >= 0x80 */
		if (bad) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			return (size_t)(q - p) + (size_t)(__builtin_ctzll(bad) >> 3);
#else
			break;
#endif
		}
		q += 8;
	}
	while (q < end && plain_byte[*q])
		q++;
	return (size_t)(q - p);
}

/* scan_string past a run of plain bytes: escapes, UTF-8, the errors. */
static int scan_string_rest(struct scan *s, const unsigned char *p, struct fx_span *out)
{
	const unsigned char *end = s->end;

	for (;;) {
		/* the common case: plain ASCII */
		p += plain_run(p, end);
		if (p >= end) {
			s->p = p;
			return scan_fail(s, "unterminated string");
		}
		if (*p == '"')
			break;
		if (*p == '\\') {
			if (p + 1 >= end) {
				s->p = p;
				return scan_fail(s, "unterminated string");
			}
			switch (p[1]) {
			case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
				p += 2;
				break;
			case 'u': {
				int cp = scan_u4(p, end);

				if (cp < 0) {
					s->p = p;
					return scan_fail(s, "bad \\u escape");
				}
				p += 6;
				/* surrogates only in pairs, as UTF-8 can carry nothing else */
				if (cp >= 0xDC00 && cp <= 0xDFFF) {
					s->p = p - 6;
					return scan_fail(s, "lone surrogate in \\u escape");
				}
				if (cp >= 0xD800 && cp <= 0xDBFF) {
					int lo = p + 1 < end && p[0] == '\\' && p[1] == 'u' ?
						 scan_u4(p, end) : -1;

					if (lo < 0xDC00 || lo > 0xDFFF) {
						s->p = p - 6;
						return scan_fail(s, "lone surrogate in \\u escape");
					}
					p += 6;
				}
				break;
			}
			default:
				s->p = p;
				return scan_fail(s, "bad escape in string");
			}
		} else if (*p < 0x20) {
			s->p = p;
			return scan_fail(s, "control character in string");
		} else {
			size_t len = scan_utf8(p, end);

			if (!len) {
				s->p = p;
				return scan_fail(s, "invalid UTF-8");
			}
			p += len;
		}
	}
	out->p = (const char *)s->p;
	out->n = (size_t)(p + 1 - s->p);
	s->p = p + 1;
	return 0;
}

/*
 * A string at s->p (on its opening quote); out spans it with the quotes.
 * Inline: most strings (names, short values) are plain bytes up to their
 * closing quote, a test or two of sixteen bytes.
 */
static inline int scan_string(struct scan *s, struct fx_span *out)
{
	const unsigned char *p = s->p + 1;

	p += plain_run(p, s->end);
	if (p < s->end && *p == '"') {
		out->p = (const char *)s->p;
		out->n = (size_t)(p + 1 - s->p);
		s->p = p + 1;
		return 0;
	}
	return scan_string_rest(s, p, out);
}

static inline int scan_digits(struct scan *s)
{
	const unsigned char *p = s->p, *q = p;

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	/* eight at a time: a byte is a digit when its high nibble is 3 and
	 * adding 6 leaves it 3 (no carry crosses a digit, so the lowest flagged
	 * byte is the first that is not one) */
	while (s->end - q >= 8) {
		const uint64_t f0 = 0xF0F0F0F0F0F0F0F0ULL, d = 0x3030303030303030ULL;
		uint64_t w, bad;

		memcpy(&w, q, 8);
		bad = ((w & f0) ^ d) | (((w + 0x0606060606060606ULL) & f0) ^ d);
		if (bad) {
			q += __builtin_ctzll(bad) >> 3;
			goto done;
		}
		q += 8;
	}
#endif
	while (q < s->end && *q >= '0' && *q <= '9')
		q++;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
done:
#endif
	s->p = q;
	return q == p ? scan_fail(s, "bad number") : 0;
}

static int scan_number(struct scan *s)
{
	if (*s->p == '-')
		s->p++;
	if (s->p < s->end && *s->p == '0')
		s->p++;
	else if (scan_digits(s) < 0)
		return -1;
	if (s->p < s->end && *s->p == '.') {
		s->p++;
		if (scan_digits(s) < 0)
			return -1;
	}
	if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
		s->p++;
		if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
			s->p++;
		if (scan_digits(s) < 0)
			return -1;
	}
	return 0;
}

static int scan_word(struct scan *s, const char *w, size_t n)
{
	if ((size_t)(s->end - s->p) < n || memcmp(s->p, w, n))
		return scan_fail(s, "unexpected character");
	s->p += n;
	return 0;
}

static int scan_value(struct scan *s, struct fx_span *out);

/* After '{' or '[' has been consumed. */
static int scan_container(struct scan *s, unsigned char close)
{
	struct fx_span ignored;

	if (++s->depth > SCAN_MAX_DEPTH)
		return scan_fail(s, "nested too deeply");
	scan_ws(s);
	if (s->p < s->end && *s->p == close) {
		s->p++;
		s->depth--;
		return 0;
	}
	for (;;) {
		if (close == '}') {
			if (s->p >= s->end || *s->p != '"')
				return scan_fail(s, "expected a field name");
			if (scan_string(s, &ignored) < 0)
				return -1;
			scan_ws(s);
			if (s->p >= s->end || *s->p != ':')
				return scan_fail(s, "expected ':'");
			s->p++;
			scan_ws(s);
		}
		if (scan_value(s, &ignored) < 0)
			return -1;
		scan_ws(s);
		if (s->p < s->end && *s->p == ',') {
			s->p++;
			scan_ws(s);
			continue;
		}
		if (s->p < s->end && *s->p == close) {
			s->p++;
			s->depth--;
			return 0;
		}
		return scan_fail(s, close == '}' ? "expected ',' or '}'" : "expected ',' or ']'");
	}
}

/* A value at s->p (no leading whitespace); out spans it. */
static int scan_value(struct scan *s, struct fx_span *out)
{
	const unsigned char *begin = s->p;
	int ret;

	if (s->p >= s->end)
		return scan_fail(s, "unexpected end");
	switch (*s->p) {
	case '"':
		return scan_string(s, out);
	case '{':
		s->p++;
		ret = scan_container(s, '}');
		break;
	case '[':
		s->p++;
		ret = scan_container(s, ']');
		break;
	case 't':
		ret = scan_word(s, "true", 4);
		break;
	case 'f':
		ret = scan_word(s, "false", 5);
		break;
	case 'n':
		ret = scan_word(s, "null", 4);
		break;
	default:
		if (*s->p == '-' || (*s->p >= '0' && *s->p <= '9'))
			ret = scan_number(s);
		else
			ret = scan_fail(s, "unexpected character");
		break;
	}
	out->p = (const char *)begin;
	out->n = (size_t)(s->p - begin);
	return ret;
}

/* A whole document: one value, only whitespace around it. */
static int scan_document(struct scan *s, struct fx_span *out)
{
	scan_ws(s);
	if (scan_value(s, out) < 0)
		return -1;
	scan_ws(s);
	if (s->p != s->end)
		return scan_fail(s, "trailing bytes after the JSON value");
	return 0;
}

static int span_is(struct fx_span v, const char *lit)
{
	size_t n = strlen(lit);

	return v.p && v.n == n && !memcmp(v.p, lit, n);
}

static int span_is_null(struct fx_span v)
{
	return span_is(v, "null");
}

/* A field name span (with quotes) equals the plain ASCII name. */
static int name_is(struct fx_span name, const char *lit)
{
	size_t n = strlen(lit);

	return name.n == n && !memcmp(name.p, lit, n);
}

/*
 * Skipping over JSON that scan_document validated already: no grammar, no
 * UTF-8 to check, only where each value ends.  Walking the members of the
 * record and of its rows this way costs a fraction of validating them again.
 */
static const unsigned char *skip_string(const unsigned char *p, const unsigned char *end)
{
	p++; /* the opening quote; most strings are short: a loop beats memchr's call */
	while (p < end && *p != '"')
		p += *p == '\\' ? 2 : 1;
	return p < end ? p + 1 : end;
}

static const unsigned char *skip_value(const unsigned char *p, const unsigned char *end)
{
	int depth = 0;

	if (p >= end)
		return end;
	if (*p == '"')
		return skip_string(p, end);
	if (*p != '{' && *p != '[') {
		while (p < end && *p != ',' && *p != '}' && *p != ']' && *p != ' ' && *p != '\n' &&
		       *p != '\r' && *p != '\t')
			p++;
		return p;
	}
	while (p < end) {
		switch (*p) {
		case '"':
			p = skip_string(p, end);
			continue;
		case '{': case '[':
			depth++;
			break;
		case '}': case ']':
			if (--depth == 0)
				return p + 1;
			break;
		}
		p++;
	}
	return end;
}

/*
 * Iterates the fields of an object that scan_document validated: each call
 * gives the next field (name without quotes), 1; 0 at the end.
 */
struct obj_iter {
	struct scan s;
};

static void obj_iter_init(struct obj_iter *it, struct fx_span obj)
{
	scan_init(&it->s, obj.p, obj.n);
	it->s.p++; /* '{' */
	scan_ws(&it->s);
}

static int obj_iter_next(struct obj_iter *it, struct fx_field *f)
{
	struct scan *s = &it->s;

	if (s->p >= s->end || *s->p == '}')
		return 0;
	if (*s->p == ',') {
		s->p++;
		scan_ws(s);
	}
	if (s->p >= s->end || *s->p != '"')
		return 0;
	f->kind = 0;
	f->decoded = 0;
	f->name.p = (const char *)s->p + 1;
	s->p = skip_string(s->p, s->end);
	f->name.n = (size_t)((const char *)s->p - 1 - f->name.p);
	scan_ws(s);
	s->p++; /* ':' */
	scan_ws(s);
	f->value.p = (const char *)s->p;
	s->p = skip_value(s->p, s->end);
	f->value.n = (size_t)((const char *)s->p - f->value.p);
	scan_ws(s);
	return 1;
}

void fx_json_iter_init(struct fx_json_iter *it, struct fx_span c)
{
	struct scan s;

	it->p = it->end = NULL;
	it->array = 0;
	if (!c.p || c.n < 2 || (c.p[0] != '{' && c.p[0] != '['))
		return;
	scan_init(&s, c.p, c.n - 1); /* without the closing bracket */
	s.p++;
	scan_ws(&s);
	it->p = (const char *)s.p;
	it->end = (const char *)s.end;
	it->array = c.p[0] == '[';
}

int fx_json_iter_next(struct fx_json_iter *it, struct fx_field *f)
{
	struct scan s;

	if (!it->p)
		return 0;
	scan_init(&s, it->p, (size_t)(it->end - it->p));
	if (s.p < s.end && *s.p == ',') {
		s.p++;
		scan_ws(&s);
	}
	if (s.p >= s.end)
		return 0;
	f->kind = 0;
	f->decoded = 0;
	f->name.p = NULL;
	f->name.n = 0;
	if (!it->array) {
		if (*s.p != '"')
			return 0;
		f->name.p = (const char *)s.p + 1;
		s.p = skip_string(s.p, s.end);
		f->name.n = (size_t)((const char *)s.p - 1 - f->name.p);
		scan_ws(&s);
		if (s.p >= s.end || *s.p != ':')
			return 0;
		s.p++;
		scan_ws(&s);
	}
	f->value.p = (const char *)s.p;
	s.p = skip_value(s.p, s.end);
	f->value.n = (size_t)((const char *)s.p - f->value.p);
	if (!f->value.n)
		return 0;
	scan_ws(&s);
	it->p = (const char *)s.p;
	return 1;
}

int fx_json_valid_spaced(const char *p, size_t n, int *spaced)
{
	struct scan s;
	struct fx_span doc;

	*spaced = 0;
	if (!n)
		return 0;
	scan_init(&s, p, n);
	if (scan_document(&s, &doc) < 0)
		return 0;
	*spaced = s.spaced;
	return 1;
}

int fx_json_valid(const char *p, size_t n)
{
	int spaced;

	return fx_json_valid_spaced(p, n, &spaced);
}

void fx_event_init(struct fx_event *ev)
{
	memset(ev, 0, sizeof(*ev));
}

void fx_event_release(struct fx_event *ev)
{
	free(ev->key_fields.fields);
	free(ev->before.fields);
	free(ev->after.fields);
	free(ev->changed);
	fx_buf_release(&ev->typed);
	free(ev->fix);
	fx_event_init(ev);
}

/* Clears what a decode fills, keeping the arrays. */
static void event_reset(struct fx_event *ev)
{
	struct fx_row kf = ev->key_fields, b = ev->before, a = ev->after;
	struct fx_field_change *ch = ev->changed;
	size_t ch_alloc = ev->changed_alloc;
	struct fx_buf typed = ev->typed;
	struct fx_typed_fix *fix = ev->fix;
	size_t fix_alloc = ev->fix_alloc;

	memset(ev, 0, sizeof(*ev));
	ev->typed = typed;
	fx_buf_reset(&ev->typed);
	ev->fix = fix;
	ev->fix_alloc = fix_alloc;
	ev->key_fields.fields = kf.fields;
	ev->key_fields.alloc = kf.alloc;
	ev->before.fields = b.fields;
	ev->before.alloc = b.alloc;
	ev->after.fields = a.fields;
	ev->after.alloc = a.alloc;
	ev->changed = ch;
	ev->changed_alloc = ch_alloc;
}

static int row_fill(struct fx_row *row, struct fx_span obj, struct fx_err *err)
{
	struct obj_iter it;
	struct fx_field f;

	row->n = 0;
	row->raw = obj;
	row->present = obj.p && obj.n && obj.p[0] == '{';
	if (!row->present)
		return 0;
	obj_iter_init(&it, obj);
	while (obj_iter_next(&it, &f)) {
		if (fx_grow(&row->fields, &row->alloc, row->n + 1, sizeof(*row->fields)) < 0)
			return fx_err_set(err, FX_EXIT_FAILURE, "out of memory");
		row->fields[row->n++] = f;
	}
	return 0;
}

/*
 * row_fill for the object at p (validated) found while walking the record:
 * its fields are taken on the way, so the row is gone over once.  Returns
 * where the object ends, NULL on OOM.
 */
static const unsigned char *row_walk(struct fx_row *row, const unsigned char *p,
				     const unsigned char *end, struct fx_err *err)
{
	struct obj_iter it;
	struct fx_field f;

	row->n = 0;
	row->present = 1;
	scan_init(&it.s, (const char *)p, (size_t)(end - p));
	it.s.p++; /* '{' */
	scan_ws(&it.s);
	while (obj_iter_next(&it, &f)) {
		if (row->n == row->alloc &&
		    fx_grow(&row->fields, &row->alloc, row->n + 1, sizeof(*row->fields)) < 0) {
			fx_err_set(err, FX_EXIT_FAILURE, "out of memory");
			return NULL;
		}
		row->fields[row->n++] = f;
	}
	/* obj_iter_next stops on the closing brace */
	row->raw.p = (const char *)p;
	row->raw.n = (size_t)(it.s.p + 1 - p);
	return it.s.p + 1;
}

/* The payload of a JsonConverter envelope {"schema":..,"payload":..}, else the value. */
static struct fx_span unwrap(struct fx_span doc, int *is_envelope, struct fx_span *schema)
{
	struct obj_iter it;
	struct fx_field f;
	struct fx_span payload = { NULL, 0 };
	int has_schema = 0, others = 0;

	*is_envelope = 0;
	schema->p = NULL;
	schema->n = 0;
	if (doc.p[0] != '{')
		return doc;
	obj_iter_init(&it, doc);
	/* an envelope has two members, "schema" and "payload": when the first is
	 * neither, the record is no envelope, and is not walked to find out */
	{
		const char *q = (const char *)it.s.p;
		size_t left = (size_t)((const char *)it.s.end - q);

		if (!(left > 8 && !memcmp(q, "\"schema\"", 8)) &&
		    !(left > 9 && !memcmp(q, "\"payload\"", 9)))
			return doc;
	}
	while (obj_iter_next(&it, &f)) {
		if (name_is(f.name, "schema")) {
			has_schema = 1;
			*schema = f.value;
		}
		else if (name_is(f.name, "payload"))
			payload = f.value;
		else
			others = 1;
	}
	if (!has_schema || !payload.p || others) {
		schema->p = NULL;
		schema->n = 0;
		return doc;
	}
	*is_envelope = 1;
	return payload;
}

static int scan_error(struct fx_err *err, const char *what, const struct scan *s)
{
	return fx_err_set(err, FX_EXIT_FAILURE, "%s is not JSON: %s at byte %zu", what, s->why,
			  s->at);
}

/* ------------------------------------------------------------ typed values */

/* Points every decoded value's span into ev->typed (after it stopped growing). */
static void fix_spans(struct fx_event *ev)
{
	size_t i;

	for (i = 0; i < ev->n_fix; i++)
		ev->fix[i].span->p = ev->typed.buf + ev->fix[i].off;
}

/* a == b for n bytes: names are short, a call to memcmp costs more than comparing them. */
static inline int same_bytes(const char *a, const char *b, size_t n)
{
	uint64_t x, y;

	if (n >= 8) {
		while (n > 8) {
			memcpy(&x, a, 8);
			memcpy(&y, b, 8);
			if (x != y)
				return 0;
			a += 8, b += 8, n -= 8;
		}
		memcpy(&x, a + n - 8, 8); /* the last eight, overlapping */
		memcpy(&y, b + n - 8, 8);
		return x == y;
	}
	if (n >= 4) { /* the first four and the last four */
		uint32_t u, v, w, z;

		memcpy(&u, a, 4);
		memcpy(&v, b, 4);
		memcpy(&w, a + n - 4, 4);
		memcpy(&z, b + n - 4, 4);
		return u == v && w == z;
	}
	for (; n; n--)
		if (*a++ != *b++)
			return 0;
	return 1;
}

/*
 * The row typed before this one (an update's before, while typing its
 * after), in a record without whitespace: a value sent the same in both is
 * not decoded twice.
 */
struct type_prev {
	const struct fx_row *row;
	const struct fx_typed_col *cols; /* the columns it was typed with */
	size_t fix_from, fix_to;         /* its entries in ev->fix, in field order */
	size_t next;                     /* where to look for the next one */
};

/* Field i's value as the (compact) record sent it, though it was decoded since. */
static struct fx_span sent_value(const struct fx_row *row, size_t i)
{
	const struct fx_field *f = &row->fields[i];
	struct fx_span v;

	v.p = f->name.p + f->name.n + 2; /* after '":' */
	v.n = (size_t)((i + 1 < row->n ? row->fields[i + 1].name.p - 2 :
			row->raw.p + row->raw.n - 1) - v.p);
	return v;
}

/* The offset in ev->typed of prev's field i when it was sent as v and decoded; -1 if not. */
static long prev_decoded(struct fx_event *ev, struct type_prev *prev, size_t i,
			 const struct fx_field *f)
{
	const struct fx_field *b;
	struct fx_span was;

	if (!prev || i >= prev->row->n)
		return -1;
	b = &prev->row->fields[i];
	if (!b->decoded || b->name.n != f->name.n || !same_bytes(b->name.p, f->name.p, f->name.n))
		return -1;
	was = sent_value(prev->row, i);
	if (was.n != f->value.n || !same_bytes(was.p, f->value.p, was.n))
		return -1;
	while (prev->next < prev->fix_to && ev->fix[prev->next].span != &b->value)
		prev->next++;
	if (prev->next == prev->fix_to)
		return -1;
	return (long)ev->fix[prev->next++].off;
}

/*
 * Decodes the fields of row whose columns need it.  Field i is column i when
 * the names agree (Debezium writes the columns in table order: one compare,
 * no search); otherwise, a table changed since the types were read, by name.
 */
static int type_row(struct fx_event *ev, struct fx_row *row, const struct fx_typed_col *cols,
		    size_t n_cols, struct type_prev *prev, struct fx_err *err)
{
	size_t i;

	if (prev && prev->cols != cols)
		prev = NULL; /* other columns (a schema's before and after differ) */
	for (i = 0; i < row->n; i++) {
		struct fx_field *f = &row->fields[i];
		const struct fx_typed_col *c = NULL;
		size_t off, n;
		long was;
		int r;

		if (i < n_cols && cols[i].name_len == f->name.n &&
		    same_bytes(cols[i].name, f->name.p, f->name.n)) {
			c = &cols[i];
		} else {
			size_t k;

			for (k = 0; k < n_cols && !c; k++)
				if (cols[k].name_len == f->name.n &&
				    same_bytes(cols[k].name, f->name.p, f->name.n))
					c = &cols[k];
		}
		if (!c || c->kind == FX_TYPED_AS_SENT)
			continue;
		f->kind = c->kind;
		if (f->value.p[0] == 'n') /* null */
			continue;
		if (c->kind == FX_TYPED_UNSIGNED64 && f->value.p[0] != '-')
			continue; /* only a negative long is a wrapped one */
		was = prev_decoded(ev, prev, i, f);
		if (was >= 0) {
			off = (size_t)was;
			n = prev->row->fields[i].value.n;
		} else {
			off = ev->typed.len;
			r = fx_typed_decode(c, f->value, &ev->typed);
			if (!fx_buf_ok(&ev->typed))
				return fx_err_set(err, FX_EXIT_FAILURE, "out of memory");
			if (r <= 0) { /* as sent */
				ev->typed.len = off;
				if (ev->typed.buf)
					ev->typed.buf[off] = '\0';
				continue;
			}
			n = ev->typed.len - off;
		}
		if (ev->n_fix == ev->fix_alloc &&
		    fx_grow(&ev->fix, &ev->fix_alloc, ev->n_fix + 1, sizeof(*ev->fix)) < 0)
			return fx_err_set(err, FX_EXIT_FAILURE, "out of memory");
		ev->fix[ev->n_fix].span = &f->value;
		ev->fix[ev->n_fix].off = off;
		ev->n_fix++;
		f->value.n = n;
		f->decoded = 1;
		row->typed = 1;
	}
	return 0;
}

static int type_fields(struct fx_event *ev, struct fx_row *row, struct fx_typer *ty,
		       struct fx_span schema, int which, struct type_prev *prev,
		       const struct fx_typed_col **used, struct fx_err *err)
{
	const struct fx_typed_col *cols;
	size_t n;

	if (used)
		*used = NULL;
	if (!row->n)
		return 0;
	cols = fx_typer_cols(ty, schema, which, &n);
	if (used)
		*used = cols;
	return cols ? type_row(ev, row, cols, n, prev, err) : 0;
}

int fx_debezium_decode_key(struct fx_event *ev, const void *key, size_t len, struct fx_err *err)
{
	return fx_debezium_decode_key_typed(ev, key, len, NULL, err);
}

static int scan_row(struct scan *s, struct fx_row *row);
static int plain_record(const char *p, size_t n);

int fx_debezium_decode_key_typed(struct fx_event *ev, const void *key, size_t len,
				 struct fx_typer *ty, struct fx_err *err)
{
	struct scan s;
	struct fx_span doc, schema = { NULL, 0 };
	int env;

	event_reset(ev);
	if (!key)
		return 0;
	if (!len)
		return fx_err_set(err, FX_EXIT_FAILURE, "key is empty bytes");
	scan_init(&s, key, len);
	if (plain_record(key, len)) {
		/* an object, no envelope: its fields taken as it is validated */
		scan_ws(&s);
		if (scan_row(&s, &ev->key_fields) == 0) {
			scan_ws(&s);
			if (s.p != s.end)
				scan_fail(&s, "trailing bytes after the JSON value");
		}
		if (s.oom)
			return fx_err_set(err, FX_EXIT_FAILURE, "out of memory");
		if (s.why)
			return scan_error(err, "key", &s);
		ev->key = ev->key_fields.raw;
		goto fields;
	}
	if (scan_document(&s, &doc) < 0)
		return scan_error(err, "key", &s);
	ev->key = unwrap(doc, &env, &schema);
	if (span_is_null(ev->key)) {
		ev->key.p = NULL;
		ev->key.n = 0;
		return 0;
	}
	if (ev->key.p[0] != '{') {
		/* not a Debezium struct key, but a usable ID all the same */
		ev->id = ev->key;
		return 0;
	}
	if (row_fill(&ev->key_fields, ev->key, err) < 0)
		return -1;
fields:
	if (ty) {
		if (type_fields(ev, &ev->key_fields, ty, schema, 0, NULL, NULL, err) < 0)
			return -1;
		fix_spans(ev);
	}
	if (ev->key_fields.n == 1) {
		ev->id = ev->key_fields.fields[0].value;
	} else if (ev->key_fields.n > 1) {
		ev->id = ev->key;
		ev->id_composite = 1;
	}
	return 0;
}

/* A member of the source block, if it is one that matters (name without quotes). */
static void source_take(struct fx_source *src, struct fx_span name, struct fx_span value)
{
	const char *n = name.p;

	switch (name.n) {
	case 2:
		if (!memcmp(n, "db", 2))
			src->db = value;
		break;
	case 3:
		if (!memcmp(n, "pos", 3))
			src->pos = value;
		break;
	case 4:
		if (!memcmp(n, "file", 4))
			src->file = value;
		else if (!memcmp(n, "gtid", 4))
			src->gtid = value;
		else if (!memcmp(n, "name", 4))
			src->name = value;
		break;
	case 5:
		if (!memcmp(n, "table", 5))
			src->table = value;
		else if (!memcmp(n, "ts_ms", 5))
			src->ts_ms = value;
		break;
	case 8:
		if (!memcmp(n, "snapshot", 8))
			src->snapshot = value;
		break;
	case 9:
		if (!memcmp(n, "connector", 9))
			src->connector = value;
		break;
	}
}

/* The source object at p (validated): its fields; returns where it ends. */
static const unsigned char *source_walk(struct fx_source *src, const unsigned char *p,
					const unsigned char *end)
{
	struct obj_iter it;
	struct fx_field f;

	memset(src, 0, sizeof(*src));
	scan_init(&it.s, (const char *)p, (size_t)(end - p));
	it.s.p++; /* '{' */
	scan_ws(&it.s);
	while (obj_iter_next(&it, &f))
		source_take(src, f.name, f.value);
	src->raw.p = (const char *)p;
	src->raw.n = (size_t)(it.s.p + 1 - p);
	return it.s.p + 1;
}

static int source_fill(struct fx_source *src, struct fx_span obj)
{
	memset(src, 0, sizeof(*src));
	src->raw = obj;
	if (obj.p[0] != '{')
		return span_is_null(obj) ? 0 : -1;
	source_walk(src, (const unsigned char *)obj.p, (const unsigned char *)obj.p + obj.n);
	return 0;
}

int fx_debezium_span_int(struct fx_span s, int64_t *out)
{
	size_t i = 0;
	int neg = 0;
	uint64_t v = 0;

	if (!s.p || !s.n)
		return -1;
	if (s.p[0] == '-') {
		neg = 1;
		i = 1;
	}
	if (i == s.n || s.n - i > 19)
		return -1;
	for (; i < s.n; i++) {
		if (s.p[i] < '0' || s.p[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(s.p[i] - '0');
	}
	if (v > (uint64_t)INT64_MAX)
		return -1;
	*out = neg ? -(int64_t)v : (int64_t)v;
	return 0;
}

static int add_change(struct fx_event *ev, struct fx_span name, struct fx_span before,
		      struct fx_span after, unsigned kind, struct fx_err *err)
{
	if (fx_grow(&ev->changed, &ev->changed_alloc, ev->n_changed + 1, sizeof(*ev->changed)) < 0)
		return fx_err_set(err, FX_EXIT_FAILURE, "out of memory");
	ev->changed[ev->n_changed].name = name;
	ev->changed[ev->n_changed].before = before;
	ev->changed[ev->n_changed].after = after;
	ev->changed[ev->n_changed].kind = kind;
	ev->n_changed++;
	return 0;
}

static int same_name(struct fx_span a, struct fx_span b)
{
	return a.n == b.n && !memcmp(a.p, b.p, a.n);
}

/* Fields that differ between before and after, in after's order, then before-only ones. */
static int diff_rows(struct fx_event *ev, struct fx_err *err)
{
	const struct fx_row *b = &ev->before, *a = &ev->after;
	struct fx_span none = { NULL, 0 };
	size_t i, j;

	for (i = 0; i < a->n; i++) {
		const struct fx_field *fa = &a->fields[i];
		const struct fx_field *fb = NULL;

		/* Debezium writes before and after in the same column order */
		if (i < b->n && same_name(b->fields[i].name, fa->name))
			fb = &b->fields[i];
		for (j = 0; !fb && j < b->n; j++)
			if (same_name(b->fields[j].name, fa->name))
				fb = &b->fields[j];
		if (!fb) {
			if (add_change(ev, fa->name, none, fa->value, fa->kind, err) < 0)
				return -1;
		} else if (!fx_debezium_same_value(fb->value, fa->value) &&
			   !(fa->kind == FX_TYPED_DECIMAL && fx_typed_same_decimal(fb->value, fa->value))) {
			if (add_change(ev, fa->name, fb->value, fa->value, fa->kind, err) < 0)
				return -1;
		}
	}
	for (j = 0; j < b->n; j++) {
		int found = j < a->n && same_name(a->fields[j].name, b->fields[j].name);

		for (i = 0; !found && i < a->n; i++)
			found = same_name(a->fields[i].name, b->fields[j].name);
		if (!found && add_change(ev, b->fields[j].name, b->fields[j].value, none,
					 b->fields[j].kind, err) < 0)
			return -1;
	}
	return 0;
}

/* FluxaORM's ID column, when the key did not give the ID. */
static void id_from_row(struct fx_event *ev)
{
	const struct fx_row *row = ev->after.present ? &ev->after : &ev->before;
	size_t i;

	for (i = 0; i < row->n; i++)
		if (name_is(row->fields[i].name, "ID")) {
			ev->id = row->fields[i].value;
			return;
		}
}

static int not_debezium(struct fx_err *err, const char *why)
{
	return fx_err_set(err, FX_EXIT_FAILURE, "not a Debezium change event: %s", why);
}

int fx_debezium_decode_value(struct fx_event *ev, const void *value, size_t len,
			     struct fx_err *err)
{
	return fx_debezium_decode_value_typed(ev, value, len, NULL, err);
}

/* The members of a change event that decoding looks at, as raw JSON. */
struct rec_parts {
	struct fx_span op, before, after, source, ts;
	int walked_before, walked_after, walked_source; /* their fields were taken */
};

#define REC_PARTS_INIT { .walked_before = 0 } /* the rest zero */

/* A member of the event's root object; walked: its object's fields were taken. */
static void rec_take(struct fx_event *ev, struct rec_parts *r, struct fx_span name,
		     struct fx_span value, int walked)
{
	if (name_is(name, "op"))
		r->op = value;
	else if (name_is(name, "before"))
		r->before = value, r->walked_before = walked;
	else if (name_is(name, "after"))
		r->after = value, r->walked_after = walked;
	else if (name_is(name, "source"))
		r->source = value, r->walked_source = walked;
	else if (name_is(name, "ts_ms"))
		r->ts = value;
	else if (name_is(name, "message"))
		ev->message = value;
}

/*
 * The one pass over a record: the scanner that validates the JSON takes the
 * fields of the rows and of the source block as it goes, instead of a walk
 * over text validated before.
 *
 * scan_member: between the members of an object whose '{' scan_open read,
 * as scan_container goes.  Returns 1 with the next member's name (without
 * quotes) and s->p on its value, 0 after the closing brace, -1 on an error.
 */
static int scan_open(struct scan *s)
{
	s->p++; /* '{' */
	if (++s->depth > SCAN_MAX_DEPTH)
		return scan_fail(s, "nested too deeply");
	scan_ws(s);
	return 0;
}

static inline __attribute__((always_inline)) int scan_member(struct scan *s, int first,
								struct fx_span *name)
{
	if (!first) {
		scan_ws(s);
		if (s->p < s->end && *s->p == ',') {
			s->p++;
			scan_ws(s);
		} else if (s->p < s->end && *s->p == '}') {
			s->p++;
			s->depth--;
			return 0;
		} else {
			return scan_fail(s, "expected ',' or '}'");
		}
	} else if (s->p < s->end && *s->p == '}') {
		s->p++;
		s->depth--;
		return 0;
	}
	if (s->p >= s->end || *s->p != '"')
		return scan_fail(s, "expected a field name");
	if (scan_string(s, name) < 0)
		return -1;
	name->p++;
	name->n -= 2;
	scan_ws(s);
	if (s->p >= s->end || *s->p != ':')
		return scan_fail(s, "expected ':'");
	s->p++;
	scan_ws(s);
	return 1;
}

/* scan_value, the strings and numbers of a row inline (most of its values). */
static inline int scan_row_value(struct scan *s, struct fx_span *out)
{
	const unsigned char *begin = s->p;
	int ret;

	if (s->p < s->end && *s->p == '"')
		return scan_string(s, out);
	if (s->p < s->end && (*s->p == '-' || (*s->p >= '0' && *s->p <= '9'))) {
		ret = scan_number(s);
		out->p = (const char *)begin;
		out->n = (size_t)(s->p - begin);
		return ret;
	}
	return scan_value(s, out);
}

/* A row object at s->p: validated, its fields into row. */
static int scan_row(struct scan *s, struct fx_row *row)
{
	const unsigned char *begin = s->p;
	struct fx_field f;
	int r, first = 1;

	row->n = 0;
	row->present = 1;
	if (scan_open(s) < 0)
		return -1;
	f.kind = 0;
	f.decoded = 0;
	while ((r = scan_member(s, first, &f.name)) > 0) {
		first = 0;
		if (scan_row_value(s, &f.value) < 0)
			return -1;
		if (row->n == row->alloc &&
		    fx_grow(&row->fields, &row->alloc, row->n + 1, sizeof(*row->fields)) < 0) {
			s->oom = 1;
			return scan_fail(s, "out of memory");
		}
		row->fields[row->n++] = f;
	}
	if (r < 0)
		return -1;
	row->raw.p = (const char *)begin;
	row->raw.n = (size_t)(s->p - begin);
	return 0;
}

/* The source object at s->p: validated, the fields that matter into src. */
static int scan_source(struct scan *s, struct fx_source *src)
{
	const unsigned char *begin = s->p;
	struct fx_span name, value;
	int r, first = 1;

	memset(src, 0, sizeof(*src));
	if (scan_open(s) < 0)
		return -1;
	while ((r = scan_member(s, first, &name)) > 0) {
		first = 0;
		if (scan_row_value(s, &value) < 0)
			return -1;
		source_take(src, name, value);
	}
	if (r < 0)
		return -1;
	src->raw.p = (const char *)begin;
	src->raw.n = (size_t)(s->p - begin);
	return 0;
}

/* The event's root object at s->p: validated, its members into ev and r. */
static int scan_record(struct scan *s, struct fx_event *ev, struct rec_parts *r)
{
	struct fx_span name, value;
	int k, first = 1;

	if (scan_open(s) < 0)
		return -1;
	while ((k = scan_member(s, first, &name)) > 0) {
		const unsigned char *v = s->p;
		int obj = v < s->end && *v == '{', walked = 0;

		first = 0;
		if (obj && name_is(name, "before"))
			walked = 1, k = scan_row(s, &ev->before);
		else if (obj && name_is(name, "after"))
			walked = 1, k = scan_row(s, &ev->after);
		else if (obj && name_is(name, "source"))
			walked = 1, k = scan_source(s, &ev->source);
		else
			k = scan_value(s, &value);
		if (k < 0)
			return -1;
		value.p = (const char *)v;
		value.n = (size_t)(s->p - v);
		rec_take(ev, r, name, value, walked);
	}
	return k;
}

/*
 * A record that is an object whose first member is neither "schema" nor
 * "payload" (no JsonConverter envelope): read in one pass.
 */
static int plain_record(const char *p, size_t n)
{
	const char *end = p + n;

	while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
		p++;
	if (p == end || *p != '{')
		return 0;
	p++;
	while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
		p++;
	n = (size_t)(end - p);
	return !(n > 8 && !memcmp(p, "\"schema\"", 8)) && !(n > 9 && !memcmp(p, "\"payload\"", 9));
}

int fx_debezium_decode_value_typed(struct fx_event *ev, const void *value, size_t len,
				   struct fx_typer *ty, struct fx_err *err)
{
	struct scan s;
	struct fx_span schema = { NULL, 0 }, doc, root;
	struct rec_parts rp = REC_PARTS_INIT;
	struct obj_iter it;
	struct fx_field f;
	int env;

	if (!value) {
		ev->tombstone = 1;
		return 0;
	}
	if (!len)
		return fx_err_set(err, FX_EXIT_FAILURE, "value is empty bytes (not null, not JSON)");
	scan_init(&s, value, len);
	if (plain_record(value, len)) {
		scan_ws(&s);
		if (scan_record(&s, ev, &rp) == 0) {
			scan_ws(&s);
			if (s.p != s.end)
				scan_fail(&s, "trailing bytes after the JSON value");
		}
		if (s.oom)
			return fx_err_set(err, FX_EXIT_FAILURE, "out of memory");
		if (s.why)
			return scan_error(err, "value", &s);
		ev->compact = !s.spaced;
		goto parts;
	}
	if (scan_document(&s, &doc) < 0)
		return scan_error(err, "value", &s);
	ev->compact = !s.spaced;
	root = unwrap(doc, &env, &schema);
	if (env && span_is_null(root)) {
		ev->tombstone = 1;
		return 0;
	}
	if (root.p[0] != '{')
		return not_debezium(err, env ? "the payload is not an object" :
				    "the value is not a JSON object");
	obj_iter_init(&it, root);
	for (;;) {
		struct scan *sc = &it.s;
		const unsigned char *v, *vend;
		struct fx_row *row = NULL;
		int walked = 0;

		/* obj_iter_next, but a row is walked into instead of skipped over */
		if (sc->p >= sc->end || *sc->p == '}')
			break;
		if (*sc->p == ',') {
			sc->p++;
			scan_ws(sc);
		}
		if (sc->p >= sc->end || *sc->p != '"')
			break;
		f.name.p = (const char *)sc->p + 1;
		sc->p = skip_string(sc->p, sc->end);
		f.name.n = (size_t)((const char *)sc->p - 1 - f.name.p);
		scan_ws(sc);
		sc->p++; /* ':' */
		scan_ws(sc);
		v = sc->p;
		if (*v == '{' && name_is(f.name, "before"))
			row = &ev->before;
		else if (*v == '{' && name_is(f.name, "after"))
			row = &ev->after;
		if (row) {
			vend = row_walk(row, v, sc->end, err);
			walked = 1;
		} else if (*v == '{' && name_is(f.name, "source")) {
			vend = source_walk(&ev->source, v, sc->end);
			walked = 1;
		} else {
			vend = skip_value(v, sc->end);
		}
		if (!vend)
			return -1;
		f.value.p = (const char *)v;
		f.value.n = (size_t)(vend - v);
		sc->p = vend;
		scan_ws(sc);
		rec_take(ev, &rp, f.name, f.value, walked);
	}
parts:
	if (!rp.op.p)
		return not_debezium(err, "no \"op\" field");
	if (rp.op.n != 3 || rp.op.p[0] != '"' || !strchr("cudrtm", rp.op.p[1]) || !rp.op.p[1])
		return not_debezium(err, "unknown \"op\"");
	ev->op = (enum fx_op)rp.op.p[1];
	if (rp.before.p && rp.before.p[0] != '{' && !span_is_null(rp.before))
		return not_debezium(err, "\"before\" is neither an object nor null");
	if (rp.after.p && rp.after.p[0] != '{' && !span_is_null(rp.after))
		return not_debezium(err, "\"after\" is neither an object nor null");
	if (rp.source.p && !rp.walked_source && source_fill(&ev->source, rp.source) < 0)
		return not_debezium(err, "\"source\" is not an object");
	if ((ev->op == FX_OP_CREATE || ev->op == FX_OP_READ) && !(rp.after.p && rp.after.p[0] == '{'))
		return not_debezium(err, "a create without \"after\"");
	if (ev->op == FX_OP_DELETE && !(rp.before.p && rp.before.p[0] == '{'))
		return not_debezium(err, "a delete without \"before\"");
	if (ev->op == FX_OP_UPDATE && !(rp.after.p && rp.after.p[0] == '{'))
		return not_debezium(err, "an update without \"after\"");
	if (rp.before.p && !rp.walked_before && row_fill(&ev->before, rp.before, err) < 0)
		return -1;
	if (rp.after.p && !rp.walked_after && row_fill(&ev->after, rp.after, err) < 0)
		return -1;
	if (ty) {
		struct type_prev prev = { .row = &ev->before, .fix_from = ev->n_fix };

		if (type_fields(ev, &ev->before, ty, schema, 1, NULL, &prev.cols, err) < 0)
			return -1;
		prev.fix_to = ev->n_fix;
		prev.next = prev.fix_from;
		if (type_fields(ev, &ev->after, ty, schema, 2,
				ev->compact && ev->before.typed ? &prev : NULL, NULL, err) < 0)
			return -1;
		fix_spans(ev); /* the key's too: the buffer may have moved */
		if (ev->key_fields.n == 1 && !ev->id_composite && ev->key.p && ev->key.p[0] == '{')
			ev->id = ev->key_fields.fields[0].value;
	}
	ev->has_ts_ms = rp.ts.p && fx_debezium_span_int(rp.ts, &ev->ts_ms) == 0;
	ev->has_source_ts_ms = fx_debezium_span_int(ev->source.ts_ms, &ev->source_ts_ms) == 0;
	if (!ev->id.p)
		id_from_row(ev);
	if (ev->op == FX_OP_UPDATE && diff_rows(ev, err) < 0)
		return -1;
	return 0;
}

int fx_debezium_decode(struct fx_event *ev, const void *key, size_t klen, const void *value,
		       size_t vlen, struct fx_err *err)
{
	if (fx_debezium_decode_key(ev, key, klen, err) < 0)
		return -1;
	return fx_debezium_decode_value(ev, value, vlen, err);
}

static void put_utf8(struct fx_buf *out, unsigned cp)
{
	char b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = (char)cp, n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | (cp >> 6)), b[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xE0 | (cp >> 12)), b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F)), n = 3;
	} else {
		b[0] = (char)(0xF0 | (cp >> 18)), b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), b[3] = (char)(0x80 | (cp & 0x3F)), n = 4;
	}
	fx_buf_add(out, b, n);
}

static unsigned hex4(const char *p)
{
	return (unsigned)(hexval((unsigned char)p[0]) << 12 | hexval((unsigned char)p[1]) << 8 |
			  hexval((unsigned char)p[2]) << 4 | hexval((unsigned char)p[3]));
}

void fx_debezium_unescape(struct fx_span s, struct fx_buf *out)
{
	size_t i, end;

	if (!s.p || !s.n)
		return;
	if (s.p[0] != '"' || s.n < 2) {
		fx_buf_add(out, s.p, s.n);
		return;
	}
	end = s.n - 1;
	for (i = 1; i < end; i++) {
		size_t run = i;
		char c;

		while (run < end && s.p[run] != '\\')
			run++;
		if (run > i) {
			fx_buf_add(out, s.p + i, run - i);
			i = run - 1;
			continue;
		}
		/* validated by the scanner: an escape is complete */
		c = s.p[++i];
		switch (c) {
		case 'b': fx_buf_addc(out, '\b'); break;
		case 'f': fx_buf_addc(out, '\f'); break;
		case 'n': fx_buf_addc(out, '\n'); break;
		case 'r': fx_buf_addc(out, '\r'); break;
		case 't': fx_buf_addc(out, '\t'); break;
		case 'u': {
			unsigned cp = hex4(s.p + i + 1);

			i += 4;
			if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 < end && s.p[i + 1] == '\\' &&
			    s.p[i + 2] == 'u') {
				unsigned lo = hex4(s.p + i + 3);

				if (lo >= 0xDC00 && lo <= 0xDFFF) {
					cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
					i += 6;
				}
			}
			if (cp >= 0xD800 && cp <= 0xDFFF)
				cp = 0xFFFD; /* a lone surrogate */
			put_utf8(out, cp);
			break;
		}
		default:
			fx_buf_addc(out, c);
			break;
		}
	}
}

void fx_debezium_id_text(const struct fx_event *ev, struct fx_buf *out)
{
	size_t i;

	if (!ev->id.p)
		return;
	if (!ev->id_composite) {
		fx_debezium_unescape(ev->id, out);
		return;
	}
	for (i = 0; i < ev->key_fields.n; i++) {
		if (i)
			fx_buf_addc(out, ',');
		fx_buf_add(out, ev->key_fields.fields[i].name.p, ev->key_fields.fields[i].name.n);
		fx_buf_addc(out, '=');
		fx_debezium_unescape(ev->key_fields.fields[i].value, out);
	}
}

static int is_ws(char c)
{
	return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

int fx_debezium_same_value(struct fx_span a, struct fx_span b)
{
	size_t i = 0, j = 0;
	int in_str = 0;

	if (a.n == b.n && !memcmp(a.p, b.p, a.n))
		return 1;
	if (a.p[0] != '{' && a.p[0] != '[')
		return 0; /* scalars: the bytes decide */
	/* containers: compare outside strings without whitespace */
	for (;;) {
		if (!in_str) {
			while (i < a.n && is_ws(a.p[i]))
				i++;
			while (j < b.n && is_ws(b.p[j]))
				j++;
		}
		if (i == a.n || j == b.n)
			return i == a.n && j == b.n;
		if (a.p[i] != b.p[j])
			return 0;
		if (in_str && a.p[i] == '\\') {
			if (i + 1 >= a.n || j + 1 >= b.n || a.p[i + 1] != b.p[j + 1])
				return 0;
			i += 2;
			j += 2;
			continue;
		}
		if (a.p[i] == '"')
			in_str = !in_str;
		i++;
		j++;
	}
}

const char *fx_op_name(enum fx_op op)
{
	switch (op) {
	case FX_OP_CREATE: return "create";
	case FX_OP_UPDATE: return "update";
	case FX_OP_DELETE: return "delete";
	case FX_OP_READ: return "read";
	case FX_OP_TRUNCATE: return "truncate";
	case FX_OP_MESSAGE: return "message";
	case FX_OP_NONE: break;
	}
	return "tombstone";
}

int fx_op_parse_mask(const char *list, unsigned *mask, struct fx_err *err)
{
	static const char letters[] = "cudrtm";
	const char *p = list;

	*mask = 0;
	while (*p) {
		size_t n = strcspn(p, ","), k;
		int found = 0;

		for (k = 0; letters[k] && !found; k++) {
			const char *word = fx_op_name((enum fx_op)letters[k]);

			if ((n == 1 && p[0] == letters[k]) ||
			    (n == strlen(word) && !strncmp(p, word, n))) {
				*mask |= FX_OP_MASK(letters[k]);
				found = 1;
			}
		}
		if (!found)
			return fx_err_set(err, FX_EXIT_USAGE,
					  "--op takes a list of c, u, d, r, t, m (or create, update, delete, read, truncate, message), not '%.*s'",
					  (int)n, p);
		p += n;
		if (*p == ',')
			p++;
	}
	if (!*mask)
		return fx_err_set(err, FX_EXIT_USAGE, "--op needs at least one operation");
	return 0;
}
