/*
 * Debezium's JSON encodings -> what the database shows (see typed.h).
 */
#include "typed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/alloc.h"

#define TYPED_MAX_DECIMAL_BYTES 128 /* DECIMAL(65) needs 28 */
#define TYPED_MAX_SCALE 1000
#define TYPED_CACHE 16              /* envelope schemas remembered per thread */

int fx_typed_modes_set(struct fx_typed_modes *m, const char *decimal, const char *time,
		       const char *bigint, const char *binary)
{
	int ret = 0;

	m->decimal_precise = !decimal || !strcmp(decimal, "precise");
	if (decimal && strcmp(decimal, "precise") && strcmp(decimal, "string") &&
	    strcmp(decimal, "double"))
		ret = -1;
	if (!time || !strcmp(time, "adaptive_time_microseconds"))
		m->time = FX_TIME_ADAPTIVE_MICROS;
	else if (!strcmp(time, "adaptive"))
		m->time = FX_TIME_ADAPTIVE;
	else if (!strcmp(time, "connect"))
		m->time = FX_TIME_CONNECT;
	else
		m->time = FX_TIME_OTHER, ret = -1;
	m->bigint_precise = bigint && !strcmp(bigint, "precise");
	if (bigint && strcmp(bigint, "precise") && strcmp(bigint, "long"))
		ret = -1;
	if (!binary || !strcmp(binary, "bytes") || !strcmp(binary, "base64"))
		m->binary = "base64";
	else if (!strcmp(binary, "base64-url-safe"))
		m->binary = "base64url";
	else
		m->binary = !strcmp(binary, "hex") ? "hex" : "encoded";
	return ret;
}

static int to_int(const char *s, int dflt)
{
	char *end;
	long v;

	if (!s || !*s)
		return dflt;
	v = strtol(s, &end, 10);
	return *end || v < -100000 || v > 100000 ? dflt : (int)v;
}

struct fx_typed_col fx_typed_col_from_mysql(const char *data_type, const char *column_type,
					    const char *precision, const char *scale,
					    const char *dt_precision, int json,
					    const struct fx_typed_modes *modes)
{
	struct fx_typed_col c = { .kind = FX_TYPED_AS_SENT, .fsp = -1 };
	const char *t = data_type ? data_type : "";
	int fsp = to_int(dt_precision, 0);
	int temporal = modes->time != FX_TIME_OTHER;

	if (!strcasecmp(t, "decimal") || !strcasecmp(t, "numeric")) {
		if (modes->decimal_precise) {
			c.kind = FX_TYPED_DECIMAL;
			c.scale = to_int(scale, 0);
		}
	} else if (!strcasecmp(t, "date")) {
		if (temporal)
			c.kind = FX_TYPED_DATE;
	} else if (!strcasecmp(t, "time")) {
		c.fsp = fsp;
		if (modes->time == FX_TIME_ADAPTIVE_MICROS)
			c.kind = FX_TYPED_TIME_MICROS;
		else if (modes->time == FX_TIME_ADAPTIVE)
			c.kind = fsp <= 3 ? FX_TYPED_TIME_MILLIS : FX_TYPED_TIME_MICROS;
		else if (modes->time == FX_TIME_CONNECT)
			c.kind = FX_TYPED_TIME_MILLIS;
	} else if (!strcasecmp(t, "datetime")) {
		c.fsp = fsp;
		if (modes->time == FX_TIME_CONNECT)
			c.kind = FX_TYPED_DATETIME_MILLIS;
		else if (temporal)
			c.kind = fsp <= 3 ? FX_TYPED_DATETIME_MILLIS : FX_TYPED_DATETIME_MICROS;
	} else if (!strcasecmp(t, "timestamp")) {
		c.fsp = fsp;
		c.kind = FX_TYPED_ZONED; /* whatever the time mode */
	} else if (!strcasecmp(t, "bit")) {
		c.bits = to_int(precision, 1);
		if (c.bits > 1)
			c.kind = FX_TYPED_BITS; /* BIT(1) is a boolean */
	} else if (!strcasecmp(t, "json")) {
		c.kind = FX_TYPED_JSON;
	} else if (!strcasecmp(t, "bigint")) {
		if (column_type && strstr(column_type, "unsigned")) {
			if (modes->bigint_precise) {
				c.kind = FX_TYPED_DECIMAL;
				c.scale = 0;
			} else {
				c.kind = FX_TYPED_UNSIGNED64;
			}
		}
	} else if (strstr(t, "blob") || !strcasecmp(t, "binary") || !strcasecmp(t, "varbinary")) {
		c.kind = FX_TYPED_BYTES;
	} else if (json && strstr(t, "text")) {
		c.kind = FX_TYPED_JSON;
	}
	return c;
}

int fx_typed_table_add(struct fx_typed_table *t, const char *name, struct fx_typed_col col)
{
	if (fx_grow(&t->cols, &t->alloc, t->n_cols + 1, sizeof(*t->cols)) < 0)
		return -1;
	col.name = fx_strdup(name);
	if (!col.name)
		return -1;
	col.name_len = strlen(name);
	t->cols[t->n_cols++] = col;
	return 0;
}

void fx_typed_tables_free(struct fx_typed_table *t, size_t n)
{
	size_t i, k;

	for (i = 0; t && i < n; i++) {
		for (k = 0; k < t[i].n_cols; k++)
			free(t[i].cols[k].name);
		free(t[i].cols);
		free(t[i].name);
	}
	free(t);
}

static const struct fx_typed_col *cols_find(const struct fx_typed_col *cols, size_t n,
					    const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (cols[i].name_len == len && !memcmp(cols[i].name, name, len))
			return &cols[i];
	return NULL;
}

const struct fx_typed_col *fx_typed_table_col(const struct fx_typed_table *t, const char *name,
					      size_t n)
{
	return t ? cols_find(t->cols, t->n_cols, name, n) : NULL;
}

/* ------------------------------------------------------------ values */

/* Each base64 digit's value + 1, standard and URL-safe alphabets; 0: none. */
static const unsigned char b64_digit[256] = {
	['A'] = 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
	24, 25, 26,
	['a'] = 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47,
	48, 49, 50, 51, 52,
	['0'] = 53, 54, 55, 56, 57, 58, 59, 60, 61, 62,
	['+'] = 63, ['-'] = 63, ['/'] = 64, ['_'] = 64,
};

static int b64val(unsigned char c)
{
	return (int)b64_digit[c] - 1;
}

/* Standard or URL-safe base64, padding optional; bytes into out (max). -1 when not base64. */
static long b64_decode(const char *s, size_t n, unsigned char *out, size_t max)
{
	size_t i, len = 0;
	unsigned acc = 0;
	int bits = 0;

	while (n && s[n - 1] == '=')
		n--;
	if (n % 4 == 1)
		return -1;
	for (i = 0; i < n; i++) {
		int v = b64val((unsigned char)s[i]);

		if (v < 0)
			return -1;
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (len == max)
				return -1;
			out[len++] = (unsigned char)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	return (long)len;
}

/* A JSON string span without escapes: its content; -1 otherwise. */
static int plain_string(struct fx_span v, const char **p, size_t *n)
{
	if (v.n < 2 || v.p[0] != '"' || memchr(v.p + 1, '\\', v.n - 2))
		return -1;
	*p = v.p + 1;
	*n = v.n - 2;
	return 0;
}

int fx_typed_decimal(const char *b64, size_t n, int scale, struct fx_buf *out)
{
	unsigned char bytes[TYPED_MAX_DECIMAL_BYTES];
	uint32_t limbs[TYPED_MAX_DECIMAL_BYTES / 3 + 2]; /* base 10^9, least significant first */
	char digits[TYPED_MAX_DECIMAL_BYTES * 3 + 16];
	size_t n_limbs = 0, nd = 0, i, k;
	long len;
	int neg;

	if (scale > TYPED_MAX_SCALE || scale < -TYPED_MAX_SCALE)
		return -1;
	len = b64_decode(b64, n, bytes, sizeof(bytes));
	if (len <= 0)
		return -1;
	neg = bytes[0] & 0x80;
	if (neg) { /* two's complement: the magnitude is ~x + 1 */
		int carry = 1;

		for (k = (size_t)len; k-- > 0;) {
			unsigned v = (unsigned)(unsigned char)~bytes[k] + (unsigned)carry;

			bytes[k] = (unsigned char)v;
			carry = v >> 8;
		}
	}
	if (len <= 8) { /* the common case: the magnitude fits a word */
		uint64_t v = 0;

		for (k = 0; k < (size_t)len; k++)
			v = v << 8 | bytes[k];
		for (; v; v /= 10) /* digits, least significant first */
			digits[nd++] = (char)('0' + v % 10);
	}
	for (k = 0; len > 8 && k < (size_t)len; k++) { /* limbs = limbs * 256 + byte */
		uint64_t carry = bytes[k];

		for (i = 0; i < n_limbs; i++) {
			uint64_t v = (uint64_t)limbs[i] * 256 + carry;

			limbs[i] = (uint32_t)(v % 1000000000u);
			carry = v / 1000000000u;
		}
		if (carry)
			limbs[n_limbs++] = (uint32_t)carry;
	}
	/* digits, least significant first */
	for (i = 0; i < n_limbs; i++) {
		uint32_t v = limbs[i];

		for (k = 0; k < 9 && (v || i + 1 < n_limbs); k++) {
			digits[nd++] = (char)('0' + v % 10);
			v /= 10;
		}
	}
	{
		char t[sizeof(digits) + TYPED_MAX_SCALE + 8]; /* digits, zeros, "-0.", quotes */
		size_t o = 0;

		t[o++] = '"';
		if (neg && nd)
			t[o++] = '-';
		if (scale <= 0) {
			if (!nd)
				t[o++] = '0';
			for (k = nd; k-- > 0;)
				t[o++] = digits[k];
			for (i = 0; nd && i < (size_t)-scale; i++)
				t[o++] = '0';
		} else {
			size_t sc = (size_t)scale;

			if (nd <= sc) {
				t[o++] = '0';
				t[o++] = '.';
				for (i = nd; i < sc; i++)
					t[o++] = '0';
				for (k = nd; k-- > 0;)
					t[o++] = digits[k];
			} else {
				for (k = nd; k-- > sc;)
					t[o++] = digits[k];
				t[o++] = '.';
				for (k = sc; k-- > 0;)
					t[o++] = digits[k];
			}
		}
		t[o++] = '"';
		fx_buf_add(out, t, o);
	}
	return 0;
}

/* A decimal's sign, integer digits without leading zeros, fraction without trailing ones. */
struct dec_parts {
	int neg;
	const char *ip, *fp;
	size_t in, fn;
};

static int dec_split(struct fx_span v, struct dec_parts *d)
{
	const char *p = v.p, *end = v.p + v.n, *dot;

	if (v.n >= 2 && p[0] == '"') {
		p++;
		end--;
	}
	d->neg = p < end && *p == '-';
	p += d->neg;
	dot = memchr(p, '.', (size_t)(end - p));
	d->ip = p;
	d->in = (size_t)((dot ? dot : end) - p);
	d->fp = dot ? dot + 1 : end;
	d->fn = dot ? (size_t)(end - dot - 1) : 0;
	while (d->in && *d->ip == '0')
		d->ip++, d->in--;
	while (d->fn && d->fp[d->fn - 1] == '0')
		d->fn--;
	if (!d->in && !d->fn)
		d->neg = 0; /* -0.00 is 0 */
	for (p = d->ip; p < d->ip + d->in; p++)
		if (*p < '0' || *p > '9')
			return -1;
	for (p = d->fp; p < d->fp + d->fn; p++)
		if (*p < '0' || *p > '9')
			return -1;
	return 0;
}

int fx_typed_same_decimal(struct fx_span a, struct fx_span b)
{
	struct dec_parts x, y;

	if (!a.p || !b.p || dec_split(a, &x) < 0 || dec_split(b, &y) < 0)
		return 0;
	return x.neg == y.neg && x.in == y.in && x.fn == y.fn && !memcmp(x.ip, y.ip, x.in) &&
	       !memcmp(x.fp, y.fp, x.fn);
}

/* Howard Hinnant's days_from_civil inverse: days since 1970-01-01 -> y, m, d. */
static void civil(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	yoe = z - era * 146097;
	yoe = (yoe - yoe / 1460 + yoe / 36524 - yoe / 146096) / 365;
	doy = z - era * 146097 - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int64_t floordiv(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/*
 * Formatting without printf: these run for every decoded value in the hot
 * loop, where vsnprintf cost more than the whole JSON scan.
 */
static char *put_2(char *p, unsigned v)
{
	p[0] = (char)('0' + v / 10 % 10);
	p[1] = (char)('0' + v % 10);
	return p + 2;
}

/* v in decimal, at least width digits. */
static char *put_u(char *p, uint64_t v, int width)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n < width)
		tmp[n++] = '0';
	while (n)
		*p++ = tmp[--n];
	return p;
}

static char *put_date_at(char *p, int64_t days)
{
	int64_t y;
	unsigned m, d;

	civil(days, &y, &m, &d);
	if (y >= 0 && y <= 9999) { /* the common case, without put_u's loop */
		p = put_2(p, (unsigned)(y / 100));
		p = put_2(p, (unsigned)(y % 100));
		*p++ = '-';
		p = put_2(p, m);
		*p++ = '-';
		return put_2(p, d);
	}
	if (y < 0)
		*p++ = '-';
	p = put_u(p, (uint64_t)(y < 0 ? -y : y), 4);
	*p++ = '-';
	p = put_2(p, m);
	*p++ = '-';
	return put_2(p, d);
}

/* ".ffffff" cut to fsp digits; unknown fsp: unit digits (3 or 6) when not zero. */
static char *put_fraction(char *p, int64_t us, int fsp, int unit_digits)
{
	char f[6];

	if (fsp < 0)
		fsp = us ? unit_digits : 0;
	if (fsp > 6)
		fsp = 6;
	if (!fsp)
		return p;
	put_2(put_2(put_2(f, (unsigned)(us / 10000)), (unsigned)(us / 100 % 100)),
	      (unsigned)(us % 100)); /* 0 <= us < 10^6 */
	*p++ = '.';
	memcpy(p, f, (size_t)fsp);
	return p + fsp;
}

#define MAX_DAYS 100000000LL /* ± 270,000 years */

static int put_datetime(struct fx_buf *out, int64_t v, int64_t per_s, int fsp, int unit_digits)
{
	int64_t secs = floordiv(v, per_s), frac = v - secs * per_s;
	int64_t days = floordiv(secs, 86400), sod = secs - days * 86400;
	char buf[64], *p = buf;

	if (days > MAX_DAYS || days < -MAX_DAYS)
		return -1;
	*p++ = '"';
	p = put_date_at(p, days);
	*p++ = 'T';
	p = put_2(p, (unsigned)(sod / 3600));
	*p++ = ':';
	p = put_2(p, (unsigned)(sod / 60 % 60));
	*p++ = ':';
	p = put_2(p, (unsigned)(sod % 60));
	p = put_fraction(p, frac * (1000000 / per_s), fsp, unit_digits);
	*p++ = '"';
	fx_buf_add(out, buf, (size_t)(p - buf));
	return 0;
}

static int put_time(struct fx_buf *out, int64_t v, int64_t per_s, int fsp, int unit_digits)
{
	uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	uint64_t secs = a / (uint64_t)per_s, frac = a % (uint64_t)per_s;
	char buf[64], *p = buf;

	if (secs / 3600 > 100000000ULL)
		return -1;
	*p++ = '"';
	if (v < 0)
		*p++ = '-';
	p = put_u(p, secs / 3600, 2);
	*p++ = ':';
	p = put_2(p, (unsigned)(secs / 60 % 60));
	*p++ = ':';
	p = put_2(p, (unsigned)(secs % 60));
	p = put_fraction(p, (int64_t)frac * (1000000 / per_s), fsp, unit_digits);
	*p++ = '"';
	fx_buf_add(out, buf, (size_t)(p - buf));
	return 0;
}

static void put_uint(struct fx_buf *out, uint64_t v)
{
	char buf[24];

	fx_buf_add(out, buf, (size_t)(put_u(buf, v, 1) - buf));
}

/* "YYYY-MM-DDTHH:MM:SS[.f]Z" with the fraction as fsp digits (unknown: as sent). */
static int put_zoned(struct fx_buf *out, struct fx_span v, int fsp)
{
	const char *p, *frac, *zone, *end;
	size_t n, fn;
	int k;

	if (fsp < 0 || plain_string(v, &p, &n) < 0 || n < 20 || p[10] != 'T' || p[19] == ' ')
		return 0;
	end = p + n;
	frac = p + 19;
	zone = frac;
	if (*frac == '.')
		for (zone = frac + 1; zone < end && *zone >= '0' && *zone <= '9'; zone++)
			;
	fn = *frac == '.' ? (size_t)(zone - frac - 1) : 0;
	if ((int)fn == fsp)
		return 0;
	if ((int)fn > fsp && fsp > 0) /* more digits than the column has: keep them */
		return 0;
	fx_buf_addc(out, '"');
	fx_buf_add(out, p, 19);
	if (fsp) {
		fx_buf_addc(out, '.');
		fx_buf_add(out, frac + 1, fn);
		for (k = (int)fn; k < fsp; k++)
			fx_buf_addc(out, '0');
	}
	fx_buf_add(out, zone, (size_t)(end - zone));
	fx_buf_addc(out, '"');
	return 1;
}

static int put_bits(struct fx_buf *out, struct fx_span v)
{
	unsigned char b[8];
	const char *p;
	size_t n;
	long len, k;
	uint64_t x = 0;

	if (plain_string(v, &p, &n) < 0)
		return -1;
	len = b64_decode(p, n, b, sizeof(b));
	if (len < 0)
		return -1;
	for (k = len; k-- > 0;) /* little-endian */
		x = x << 8 | b[k];
	put_uint(out, x);
	return 0;
}

/*
 * A JSON string's content unescaped, appended to out: in place after a
 * copy (unescaping never lengthens), but for \\u escapes, which
 * fx_debezium_unescape decodes.  v was validated by the scanner.
 */
static void put_unescaped(struct fx_buf *out, struct fx_span v)
{
	size_t start = out->len;
	char *b, *r, *w, *end;

	fx_buf_add(out, v.p + 1, v.n - 2);
	if (!fx_buf_ok(out))
		return;
	b = r = w = out->buf + start;
	end = b + (v.n - 2);
	while (r < end) {
		if (*r != '\\') {
			*w++ = *r++;
			continue;
		}
		switch (r[1]) {
		case 'b': *w++ = '\b'; break;
		case 'f': *w++ = '\f'; break;
		case 'n': *w++ = '\n'; break;
		case 'r': *w++ = '\r'; break;
		case 't': *w++ = '\t'; break;
		case 'u':
			out->len = start;
			out->buf[start] = '\0';
			fx_debezium_unescape(v, out);
			return;
		default: *w++ = r[1]; break; /* '"', '\\', '/' */
		}
		r += 2;
	}
	out->len = start + (size_t)(w - b);
	out->buf[out->len] = '\0';
}

static int put_json_column(struct fx_buf *out, struct fx_span v)
{
	size_t start = out->len, n;
	int spaced;

	if (v.n < 2 || v.p[0] != '"')
		return -1;
	put_unescaped(out, v);
	if (!fx_buf_ok(out))
		return -1;
	n = out->len - start;
	if (!n || !fx_json_valid_spaced(out->buf + start, n, &spaced)) {
		out->len = start;
		if (out->buf)
			out->buf[start] = '\0';
		return -1;
	}
	if (!spaced) /* compact already: MariaDB keeps JSON as written */
		return 0;
	/* compact in place: never longer than what it reads */
	{
		char *p = out->buf + start;
		size_t i, w = 0;
		int in_str = 0;

		for (i = 0; i < n; i++) {
			char c = p[i];

			if (in_str) {
				if (c == '\\') {
					p[w++] = c;
					c = p[++i];
				} else if (c == '"') {
					in_str = 0;
				}
			} else if (c == '"') {
				in_str = 1;
			} else if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
				continue;
			}
			p[w++] = c;
		}
		out->len = start + w;
		out->buf[out->len] = '\0';
	}
	return 0;
}

int fx_typed_decode(const struct fx_typed_col *c, struct fx_span v, struct fx_buf *out)
{
	const char *p;
	size_t n;
	int64_t x;
	int ret = 0;

	switch (c->kind) {
	case FX_TYPED_AS_SENT:
	case FX_TYPED_BYTES:
		return 0;
	case FX_TYPED_DECIMAL:
		if (plain_string(v, &p, &n) < 0)
			return -1;
		ret = fx_typed_decimal(p, n, c->scale, out);
		break;
	case FX_TYPED_DATE:
		if (fx_debezium_span_int(v, &x) < 0 || x > MAX_DAYS || x < -MAX_DAYS)
			return -1;
		{
			char buf[32], *q = buf;

			*q++ = '"';
			q = put_date_at(q, x);
			*q++ = '"';
			fx_buf_add(out, buf, (size_t)(q - buf));
		}
		break;
	case FX_TYPED_TIME_MICROS:
	case FX_TYPED_TIME_MILLIS:
		if (fx_debezium_span_int(v, &x) < 0)
			return -1;
		ret = c->kind == FX_TYPED_TIME_MICROS ? put_time(out, x, 1000000, c->fsp, 6) :
			put_time(out, x, 1000, c->fsp, 3);
		break;
	case FX_TYPED_DATETIME_MILLIS:
	case FX_TYPED_DATETIME_MICROS:
		if (fx_debezium_span_int(v, &x) < 0)
			return -1;
		ret = c->kind == FX_TYPED_DATETIME_MICROS ? put_datetime(out, x, 1000000, c->fsp, 6) :
			put_datetime(out, x, 1000, c->fsp, 3);
		break;
	case FX_TYPED_ZONED:
		return put_zoned(out, v, c->fsp);
	case FX_TYPED_BITS:
		ret = put_bits(out, v);
		break;
	case FX_TYPED_JSON:
		ret = put_json_column(out, v);
		break;
	case FX_TYPED_UNSIGNED64:
		if (fx_debezium_span_int(v, &x) < 0)
			return -1;
		if (x >= 0)
			return 0;
		put_uint(out, (uint64_t)x);
		break;
	}
	return ret < 0 ? -1 : 1;
}

/* ------------------------------------------------------------ envelope schemas */

struct typer_entry {
	char *schema;             /* the key or value schema's bytes */
	size_t n;
	const struct fx_typed_table *table;
	int key;                  /* a key schema: cols[0] */
	struct fx_typed_col *cols[3]; /* key; before, after */
	size_t n_cols[3];
	uint64_t used;
};

struct fx_typer {
	const struct fx_typed_table *table;
	struct typer_entry cache[TYPED_CACHE];
	uint64_t tick;
	struct typer_entry *last[2]; /* the last hit for a key and for a value */
};

struct fx_typer *fx_typer_new(void)
{
	return fx_calloc(1, sizeof(struct fx_typer));
}

static void entry_clear(struct typer_entry *e)
{
	size_t w, i;

	free(e->schema);
	for (w = 0; w < 3; w++) {
		for (i = 0; i < e->n_cols[w]; i++)
			free(e->cols[w][i].name);
		free(e->cols[w]);
	}
	memset(e, 0, sizeof(*e));
}

void fx_typer_free(struct fx_typer *ty)
{
	size_t i;

	if (!ty)
		return;
	for (i = 0; i < TYPED_CACHE; i++)
		entry_clear(&ty->cache[i]);
	free(ty);
}

void fx_typer_set_table(struct fx_typer *ty, const struct fx_typed_table *table)
{
	ty->table = table;
}

static int span_eq(struct fx_span s, const char *lit)
{
	size_t n = strlen(lit);

	return s.n == n && !memcmp(s.p, lit, n);
}

/* A member of an object span by name (no quotes); p NULL when absent. */
static struct fx_span member(struct fx_span obj, const char *name)
{
	struct fx_json_iter it;
	struct fx_field f;
	struct fx_span none = { NULL, 0 };

	if (!obj.p || obj.p[0] != '{')
		return none;
	fx_json_iter_init(&it, obj);
	while (fx_json_iter_next(&it, &f))
		if (span_eq(f.name, name))
			return f.value;
	return none;
}

/* A schema parameter given as a JSON string of digits ("2"). */
static int param_int(struct fx_span field, const char *name, int dflt)
{
	struct fx_span v = member(member(field, "parameters"), name);
	char tmp[16];

	if (!v.p || v.n < 3 || v.n > sizeof(tmp) || v.p[0] != '"')
		return dflt;
	memcpy(tmp, v.p + 1, v.n - 2);
	tmp[v.n - 2] = '\0';
	return to_int(tmp, dflt);
}

/* One field's schema -> its column type, the database's column (may be NULL) filling in. */
static struct fx_typed_col schema_col(struct fx_span field, const struct fx_typed_col *db)
{
	struct fx_typed_col c = { .kind = FX_TYPED_AS_SENT, .fsp = db ? db->fsp : -1 };
	struct fx_span name = member(field, "name"), type = member(field, "type");

	if (name.p && name.p[0] == '"') {
		name.p++;
		name.n -= 2;
	} else {
		name.n = 0;
	}
	if (span_eq(name, "org.apache.kafka.connect.data.Decimal")) {
		c.kind = FX_TYPED_DECIMAL;
		c.scale = param_int(field, "scale", 0);
	} else if (span_eq(name, "io.debezium.time.Date") ||
		   span_eq(name, "org.apache.kafka.connect.data.Date")) {
		c.kind = FX_TYPED_DATE;
	} else if (span_eq(name, "io.debezium.time.MicroTime")) {
		c.kind = FX_TYPED_TIME_MICROS;
	} else if (span_eq(name, "io.debezium.time.Time") ||
		   span_eq(name, "org.apache.kafka.connect.data.Time")) {
		c.kind = FX_TYPED_TIME_MILLIS;
	} else if (span_eq(name, "io.debezium.time.Timestamp") ||
		   span_eq(name, "org.apache.kafka.connect.data.Timestamp")) {
		c.kind = FX_TYPED_DATETIME_MILLIS;
	} else if (span_eq(name, "io.debezium.time.MicroTimestamp")) {
		c.kind = FX_TYPED_DATETIME_MICROS;
	} else if (span_eq(name, "io.debezium.time.ZonedTimestamp")) {
		c.kind = FX_TYPED_ZONED;
	} else if (span_eq(name, "io.debezium.data.Json")) {
		c.kind = FX_TYPED_JSON;
	} else if (span_eq(name, "io.debezium.data.Bits")) {
		c.kind = FX_TYPED_BITS;
		c.bits = param_int(field, "length", 0);
	} else if (!name.n && span_eq(type, "\"bytes\"")) {
		c.kind = FX_TYPED_BYTES;
	} else if (!name.n && db && (db->kind == FX_TYPED_JSON || db->kind == FX_TYPED_UNSIGNED64)) {
		/* MariaDB's JSON is a plain string in the schema; a long is a long */
		if ((db->kind == FX_TYPED_JSON && span_eq(type, "\"string\"")) ||
		    (db->kind == FX_TYPED_UNSIGNED64 && span_eq(type, "\"int64\"")))
			c.kind = db->kind;
	}
	return c;
}

/* The fields array of a struct schema -> columns; -1 on OOM. */
static int parse_struct(const struct fx_typed_table *table, struct fx_span schema,
			struct fx_typed_col **out, size_t *n_out)
{
	struct fx_span fields = member(schema, "fields");
	struct fx_json_iter it;
	struct fx_field f;
	struct fx_typed_table tmp = { 0 };

	*out = NULL;
	*n_out = 0;
	if (!fields.p || fields.p[0] != '[')
		return 0;
	fx_json_iter_init(&it, fields);
	while (fx_json_iter_next(&it, &f)) {
		struct fx_span name = member(f.value, "field");
		const struct fx_typed_col *db;
		struct fx_typed_col c;
		char *nm;

		if (!name.p || name.n < 2 || name.p[0] != '"')
			continue;
		db = fx_typed_table_col(table, name.p + 1, name.n - 2);
		c = schema_col(f.value, db);
		nm = fx_strndup(name.p + 1, name.n - 2);
		if (!nm || fx_typed_table_add(&tmp, nm, c) < 0) {
			free(nm);
			*out = tmp.cols;
			*n_out = tmp.n_cols;
			return -1;
		}
		free(nm);
	}
	*out = tmp.cols;
	*n_out = tmp.n_cols;
	return 0;
}

static int entry_fill(struct typer_entry *e, const struct fx_typed_table *table,
		      struct fx_span schema, int key)
{
	struct fx_span fields;
	struct fx_json_iter it;
	struct fx_field f;
	size_t i;

	e->schema = fx_malloc(schema.n ? schema.n : 1);
	if (!e->schema)
		return -1;
	memcpy(e->schema, schema.p, schema.n);
	e->n = schema.n;
	e->table = table;
	e->key = key;
	if (key)
		return parse_struct(table, schema, &e->cols[0], &e->n_cols[0]);
	fields = member(schema, "fields");
	if (!fields.p || fields.p[0] != '[')
		return 0;
	fx_json_iter_init(&it, fields);
	while (fx_json_iter_next(&it, &f)) {
		struct fx_span name = member(f.value, "field");
		int w = span_eq(name, "\"before\"") ? 1 : span_eq(name, "\"after\"") ? 2 : 0;

		if (!w)
			continue;
		/* a schema that names "before" twice: the last one, as the payload's */
		for (i = 0; i < e->n_cols[w]; i++)
			free(e->cols[w][i].name);
		free(e->cols[w]);
		if (parse_struct(table, f.value, &e->cols[w], &e->n_cols[w]) < 0)
			return -1;
	}
	return 0;
}

const struct fx_typed_col *fx_typer_cols(struct fx_typer *ty, struct fx_span schema, int which,
					 size_t *n)
{
	struct typer_entry *e = ty->last[which != 0], *victim;
	size_t i;

	*n = 0;
	if (!schema.p || schema.p[0] != '{') {
		if (!ty->table)
			return NULL;
		*n = ty->table->n_cols;
		return ty->table->cols;
	}
	if (!(e && e->schema && e->key == !which && e->n == schema.n && e->table == ty->table &&
	      !memcmp(e->schema, schema.p, schema.n))) {
		e = NULL;
		victim = &ty->cache[0];
		for (i = 0; i < TYPED_CACHE && !e; i++) {
			struct typer_entry *c = &ty->cache[i];

			if (c->schema && c->key == !which && c->n == schema.n && c->table == ty->table &&
			    !memcmp(c->schema, schema.p, schema.n))
				e = c;
			else if (c->used < victim->used)
				victim = c;
		}
		if (!e) {
			entry_clear(victim);
			if (entry_fill(victim, ty->table, schema, which == 0) < 0) {
				entry_clear(victim);
				return NULL;
			}
			e = victim;
		}
		ty->last[which != 0] = e;
	}
	e->used = ++ty->tick;
	*n = e->n_cols[which];
	return e->cols[which];
}
