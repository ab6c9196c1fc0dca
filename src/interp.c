#include "interp.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/buf.h"

#define INTERP_MAX_DEPTH 8

static const char *interp_env(const char *name, void *ctx)
{
	(void)ctx;
	return getenv(name);
}

static size_t interp_name_len(const char *s)
{
	size_t n = 0;

	if (!(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return 0;
	while (isalnum((unsigned char)s[n]) || s[n] == '_')
		n++;
	return n;
}

/* Index of the '}' closing the "${" that starts at s (s points after "${"), or -1. */
static long interp_close(const char *s)
{
	long depth = 1, i;

	for (i = 0; s[i]; i++) {
		if (s[i] == '$' && s[i + 1] == '$') {
			i++;
		} else if (s[i] == '$' && s[i + 1] == '{') {
			depth++;
			i++;
		} else if (s[i] == '}' && --depth == 0) {
			return i;
		}
	}
	return -1;
}

static int interp_run(const char *in, size_t len, fx_getenv_fn get, void *ctx,
		      struct fx_buf *out, int depth, struct fx_err *err)
{
	size_t i = 0;

	if (depth > INTERP_MAX_DEPTH)
		return fx_err_set(err, 65, "interpolation nested too deeply");
	while (i < len) {
		const char *p = in + i;
		size_t nlen;
		long close;
		char name[256];
		const char *val;

		if (p[0] != '$' || i + 1 >= len) {
			fx_buf_addc(out, p[0]);
			i++;
			continue;
		}
		if (p[1] == '$') {
			fx_buf_addc(out, '$');
			i += 2;
			continue;
		}
		if (p[1] != '{') {
			fx_buf_addc(out, '$');
			i++;
			continue;
		}
		close = interp_close(p + 2);
		if (close < 0 || (size_t)close + 2 >= len - i)
			return fx_err_set(err, 65, "unterminated '${' in value; close it with '}', or write $$ for a literal $");
		nlen = interp_name_len(p + 2);
		if (nlen == 0 || nlen >= sizeof(name) ||
		    (p[2 + nlen] != '}' && p[2 + nlen] != ':') ||
		    (p[2 + nlen] == ':' && p[3 + nlen] != '-' && p[3 + nlen] != '?')) {
			/* Not ours (a config provider reference): keep it verbatim. */
			fx_buf_add(out, p, (size_t)close + 3);
			i += (size_t)close + 3;
			continue;
		}
		memcpy(name, p + 2, nlen);
		name[nlen] = '\0';
		val = get(name, ctx);
		if (p[2 + nlen] == '}') {
			if (!val)
				return fx_err_set(err, 65, "environment variable '%s' is not set; export it, or give a default: ${%s:-value}", name, name);
			fx_buf_adds(out, val);
		} else {
			const char *arg = p + 4 + nlen;
			size_t arglen = (size_t)close - nlen - 2;

			if (val && *val) {
				fx_buf_adds(out, val);
			} else if (p[3 + nlen] == '-') {
				if (interp_run(arg, arglen, get, ctx, out, depth + 1, err) < 0)
					return -1;
			} else {
				struct fx_buf msg = FX_BUF_INIT;
				/* The message is expanded too, but never with a secret value:
				 * it names only what the author wrote. */
				fx_buf_add(&msg, arg, arglen);
				fx_err_set(err, 65, "environment variable '%s' is %s%s%s", name,
					   val ? "empty" : "not set", arglen ? ": " : "; export it",
					   fx_buf_str(&msg));
				fx_buf_release(&msg);
				return -1;
			}
		}
		i += (size_t)close + 3;
	}
	return 0;
}

int fx_interp_expand(const char *in, fx_getenv_fn getenv_fn, void *ctx,
		     char **out, struct fx_err *err)
{
	struct fx_buf b = FX_BUF_INIT;

	*out = NULL;
	if (!getenv_fn)
		getenv_fn = interp_env;
	fx_buf_adds(&b, "");
	if (interp_run(in, strlen(in), getenv_fn, ctx, &b, 0, err) < 0) {
		fx_buf_release(&b);
		return -1;
	}
	*out = fx_buf_detach(&b);
	if (!*out)
		return fx_err_set(err, 1, "out of memory");
	return 0;
}

int fx_interp_is_provider_ref(const char *v)
{
	size_t n;

	if (!v || v[0] != '$' || v[1] != '{')
		return 0;
	n = interp_name_len(v + 2);
	if (n == 0 || v[2 + n] != ':' || v[3 + n] == '-' || v[3 + n] == '?')
		return 0;
	return strchr(v + 3 + n, '}') != NULL;
}
