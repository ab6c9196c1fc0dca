/*
 * Manifest interpolation (SPEC §1): ${VAR}, ${VAR:-default}, ${VAR:?message},
 * $$ for a literal $. Other ${a:b} forms (Kafka Connect config providers such
 * as ${file:/path:key}) pass through untouched.
 */
#ifndef FX_INTERP_H
#define FX_INTERP_H

#include "util/err.h"

/* Looks a variable up; returns NULL when unset. Lends the value. */
typedef const char *(*fx_getenv_fn)(const char *name, void *ctx);

/*
 * Expands in into a new string (*out, owned by the caller).  On failure
 * returns -1 and err says which variable; the message never holds a value.
 * getenv_fn may be NULL for the process environment.
 */
int fx_interp_expand(const char *in, fx_getenv_fn getenv_fn, void *ctx,
		     char **out, struct fx_err *err);

/* True when value is a config-provider reference: "${provider:...}" with a
 * provider name that is not an interpolation form. */
int fx_interp_is_provider_ref(const char *value);

#endif
