#include "secret.h"

#include "interp.h"
#include "util/str.h"

int fx_secret_key_is_sensitive(const char *key)
{
	return fx_str_icontains(key, "password") || fx_str_icontains(key, "secret") ||
	       fx_str_icontains(key, "token") || fx_str_icontains(key, "credential") ||
	       fx_str_has_suffix(key, ".jaas.config");
}

const char *fx_secret_display(const char *key, const char *value)
{
	if (value && fx_secret_key_is_sensitive(key) && !fx_interp_is_provider_ref(value))
		return FX_SECRET_MASK;
	return value;
}
