/* The sensitive-key rule of SPEC §3, shared by every renderer. Pure. */
#ifndef FX_SECRET_H
#define FX_SECRET_H

#define FX_SECRET_MASK "********"

/* True when a config key names a secret: contains password, secret, token or
 * credential (any case), or ends with .jaas.config. */
int fx_secret_key_is_sensitive(const char *key);
/* What may be shown of (key, value): the value, or FX_SECRET_MASK when the key is
 * sensitive and the value is not a config-provider reference. Lends. */
const char *fx_secret_display(const char *key, const char *value);

#endif
