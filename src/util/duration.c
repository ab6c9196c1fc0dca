#include "util/duration.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* Units longest first so "ms" is not read as "m" followed by "s". */
static const struct {
	const char *name;
	int64_t ms;
} duration_units[] = {
	{ "ms", 1 }, { "s", 1000 }, { "m", 60000 }, { "h", 3600000 }, { "d", 86400000 },
	{ "w", 7 * 86400000LL },
};

#define DURATION_MAX_MS (100LL * 365 * 86400000) /* a century is plenty */

int fx_duration_parse(const char *s, int64_t *ms, struct fx_err *err)
{
	const char *p = s;
	int64_t total = 0;

	if (!*p)
		goto bad;
	while (*p) {
		int64_t n = 0;
		size_t k, best = 0, best_len = 0;

		if (*p < '0' || *p > '9')
			goto bad;
		while (*p >= '0' && *p <= '9') {
			n = n * 10 + (*p++ - '0');
			if (n > DURATION_MAX_MS)
				goto bad;
		}
		for (k = 0; k < sizeof(duration_units) / sizeof(duration_units[0]); k++) {
			size_t len = strlen(duration_units[k].name);

			if (!strncmp(p, duration_units[k].name, len) && len > best_len) {
				best = k;
				best_len = len;
			}
		}
		if (!best_len)
			goto bad;
		p += best_len;
		if (n > DURATION_MAX_MS / duration_units[best].ms)
			goto bad;
		total += n * duration_units[best].ms;
		if (total > DURATION_MAX_MS)
			goto bad;
	}
	if (total <= 0)
		goto bad;
	*ms = total;
	return 0;
bad:
	return fx_err_set(err, FX_EXIT_USAGE,
			  "'%s' is not a duration (like 90s, 10m, 2h, 1h30m, 3d)", s);
}

static int digits(const char **p, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if ((*p)[i] < '0' || (*p)[i] > '9')
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int fx_time_parse_rfc3339(const char *s, int64_t *ms, struct fx_err *err)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	const char *p = s;
	int y, mo, d, h, mi, sec, frac = 0, scale = 1000, zh = 0, zm = 0, sign = 0;
	struct tm tm;
	time_t t;

	if (digits(&p, 4, &y) < 0 || *p++ != '-' || digits(&p, 2, &mo) < 0 || *p++ != '-' ||
	    digits(&p, 2, &d) < 0 || (*p != 'T' && *p != 't' && *p != ' '))
		goto bad;
	p++;
	if (digits(&p, 2, &h) < 0 || *p++ != ':' || digits(&p, 2, &mi) < 0 || *p++ != ':' ||
	    digits(&p, 2, &sec) < 0)
		goto bad;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			goto bad;
		for (; *p >= '0' && *p <= '9'; p++)
			if (scale > 1) {
				scale /= 10;
				frac += (*p - '0') * scale;
			}
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p++ == '-' ? -1 : 1;
		if (digits(&p, 2, &zh) < 0 || *p++ != ':' || digits(&p, 2, &zm) < 0 || zh > 23 ||
		    zm > 59)
			goto bad;
	} else {
		goto bad;
	}
	if (*p || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 60 ||
	    d > mdays[mo - 1] + (mo == 2 && is_leap(y)))
		goto bad;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	t = timegm(&tm);
	*ms = (int64_t)t * 1000 + frac - (int64_t)sign * (zh * 3600 + zm * 60) * 1000;
	return 0;
bad:
	return fx_err_set(err, FX_EXIT_USAGE,
			  "'%s' is not an RFC 3339 time (like 2026-11-24T10:00:00Z)", s);
}

int fx_time_parse_since(const char *s, int64_t now_ms, int64_t *ms, struct fx_err *err)
{
	int64_t d;

	if (fx_duration_parse(s, &d, err) == 0) {
		*ms = now_ms - d;
		return 0;
	}
	if (fx_time_parse_rfc3339(s, ms, err) == 0)
		return 0;
	return fx_err_set(err, FX_EXIT_USAGE,
			  "--since takes a duration (10m, 2h) or an RFC 3339 time (2026-11-24T10:00:00Z), not '%s'",
			  s);
}

static char *put_digits(char *p, long v, int width)
{
	int i;

	for (i = width - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + width;
}

void fx_time_format_ms(int64_t ms, char out[32])
{
	time_t t = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
	int frac = (int)(ms - (int64_t)t * 1000);
	struct tm tm;
	char *p = out;

	if (!gmtime_r(&t, &tm) || tm.tm_year + 1900 < 0 || tm.tm_year + 1900 > 9999) {
		snprintf(out, 32, "%lld", (long long)ms);
		return;
	}
	p = put_digits(p, tm.tm_year + 1900L, 4);
	*p++ = '-';
	p = put_digits(p, tm.tm_mon + 1, 2);
	*p++ = '-';
	p = put_digits(p, tm.tm_mday, 2);
	*p++ = 'T';
	p = put_digits(p, tm.tm_hour, 2);
	*p++ = ':';
	p = put_digits(p, tm.tm_min, 2);
	*p++ = ':';
	p = put_digits(p, tm.tm_sec, 2);
	*p++ = '.';
	p = put_digits(p, frac, 3);
	*p++ = 'Z';
	*p = '\0';
}
