/*
 * libFuzzer target: the precise DECIMAL decoder of typed.c (and the other
 * value decoders behind it).  The first byte picks a scale (-8..119); the
 * rest is used twice: as untrusted base64 text, which must be decoded or
 * refused without harm (and, when it is JSON, as a value of every column
 * kind), and as the unscaled big-endian two's-complement
 * bytes themselves, base64-encoded here, whose decoding must be the number
 * they hold (checked exactly against 64-bit arithmetic up to 8 bytes).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "typed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t b64(const uint8_t *in, size_t n, char *out)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i, o = 0;

	for (i = 0; i + 2 < n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];

		out[o++] = tab[v >> 18];
		out[o++] = tab[(v >> 12) & 63];
		out[o++] = tab[(v >> 6) & 63];
		out[o++] = tab[v & 63];
	}
	if (n - i == 1) {
		out[o++] = tab[in[i] >> 2];
		out[o++] = tab[(in[i] & 3) << 4];
		out[o++] = '=';
		out[o++] = '=';
	} else if (n - i == 2) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;

		out[o++] = tab[v >> 18];
		out[o++] = tab[(v >> 12) & 63];
		out[o++] = tab[(v >> 6) & 63];
		out[o++] = '=';
	}
	return o;
}

/* The decimal text of v with scale (exact), as fx_typed_decimal writes it. */
static void oracle(int64_t v, int scale, char *out, size_t cap)
{
	char digits[32];
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	size_t nd, o = 0, i;

	snprintf(digits, sizeof(digits), "%llu", (unsigned long long)u);
	nd = strlen(digits);
	out[o++] = '"';
	if (v < 0)
		out[o++] = '-';
	if (scale <= 0) {
		memcpy(out + o, digits, nd);
		o += nd;
		for (i = 0; u && i < (size_t)-scale; i++)
			out[o++] = '0';
	} else if (nd <= (size_t)scale) {
		out[o++] = '0';
		out[o++] = '.';
		for (i = nd; i < (size_t)scale; i++)
			out[o++] = '0';
		memcpy(out + o, digits, nd);
		o += nd;
	} else {
		memcpy(out + o, digits, nd - (size_t)scale);
		o += nd - (size_t)scale;
		out[o++] = '.';
		memcpy(out + o, digits + nd - (size_t)scale, (size_t)scale);
		o += (size_t)scale;
	}
	out[o++] = '"';
	out[o] = '\0';
	(void)cap;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fx_buf b = FX_BUF_INIT;
	char *text;
	int scale;
	size_t n;

	if (size < 1)
		return 0;
	scale = (int)data[0] % 128 - 8;
	data++;
	size--;

	/* untrusted text; and, when it is JSON, as a value of each kind */
	(void)fx_typed_decimal((const char *)data, size, scale, &b);
	fx_buf_reset(&b);
	if (fx_json_valid((const char *)data, size)) {
		struct fx_span v = { (const char *)data, size };
		int k;

		for (k = FX_TYPED_AS_SENT; k <= FX_TYPED_BYTES; k++) {
			struct fx_typed_col c = { .kind = (enum fx_typed_kind)k, .scale = scale,
						  .fsp = scale % 8 - 1 };

			(void)fx_typed_decode(&c, v, &b);
			fx_buf_reset(&b);
		}
	}

	/* real bytes: the number they hold */
	text = malloc(size / 3 * 4 + 8);
	if (!text)
		return 0;
	n = b64(data, size, text);
	if (fx_typed_decimal(text, n, scale, &b) == 0) {
		struct fx_span s = { b.buf, b.len };

		if (!fx_typed_same_decimal(s, s))
			abort();
		if (size >= 1 && size <= 8 && scale <= 100) {
			int64_t v = (data[0] & 0x80) ? -1 : 0;
			char want[160];
			size_t i;

			for (i = 0; i < size; i++)
				v = (int64_t)((uint64_t)v << 8 | data[i]);
			oracle(v, scale, want, sizeof(want));
			if (strcmp(want, fx_buf_str(&b)))
				abort();
		}
	} else if (size >= 1 && size <= 128) {
		abort(); /* every byte string up to DECIMAL's size is a number */
	}
	fx_buf_release(&b);
	free(text);
	return 0;
}
