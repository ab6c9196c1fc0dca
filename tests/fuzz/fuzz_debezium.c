/*
 * libFuzzer target: the Debezium record decoder and the event renderers.
 * Input: one flags byte (bit 0: no key, bit 1: null value), one key length
 * byte, the key, then the value.  Whatever decodes must render to one line
 * of valid JSON (checked with jansson) and to pretty text.
 */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "debezium.h"
#include "render_event.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fx_event ev = FX_EVENT_INIT;
	struct fx_err err = FX_ERR_INIT;
	struct fx_record_meta m = { "fuzz.topic", 3, 77, 1700000000000LL, NULL };
	struct fx_render_event_opts json = { .format = FX_EVENT_JSON },
				    pretty = { .format = FX_EVENT_PRETTY, .color = 1, .max_value = 16 };
	struct fx_buf out = FX_BUF_INIT;
	char *key = NULL, *value = NULL;
	size_t klen, vlen;
	unsigned flags;

	if (size < 2)
		return 0;
	flags = data[0];
	klen = data[1];
	if (klen > size - 2)
		klen = size - 2;
	vlen = size - 2 - klen;
	/* exact-size copies so that any read past the end is caught */
	if (!(flags & 1)) {
		key = malloc(klen ? klen : 1);
		memcpy(key, data + 2, klen);
	}
	if (!(flags & 2)) {
		value = malloc(vlen ? vlen : 1);
		memcpy(value, data + 2 + klen, vlen);
	}
	if (fx_debezium_decode(&ev, key, klen, value, vlen, &err) == 0) {
		json_error_t jerr;
		json_t *j;

		fx_render_event(&out, &json, &m, &ev);
		if (!fx_buf_ok(&out) || out.len < 2 || out.buf[out.len - 1] != '\n' ||
		    memchr(out.buf, '\n', out.len - 1))
			abort();
		/*
		 * jansson refuses what JSON allows but it cannot hold: numbers
		 * beyond a double, \u0000 in a field name
		 */
		j = json_loadb(out.buf, out.len, JSON_DECODE_INT_AS_REAL | JSON_ALLOW_NUL, &jerr);
		if (j ? !json_is_object(j) :
		    !strstr(jerr.text, "overflow") && !strstr(jerr.text, "NUL byte in object key"))
			abort();
		json_decref(j);
		fx_buf_reset(&out);
		fx_render_event(&out, &pretty, &m, &ev);
		fx_debezium_id_text(&ev, &out);
	}
	fx_buf_release(&out);
	fx_event_release(&ev);
	free(key);
	free(value);
	return 0;
}
