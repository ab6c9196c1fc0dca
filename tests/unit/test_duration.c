#include <criterion/criterion.h>
#include <string.h>

#include "util/duration.h"

Test(duration, good)
{
	static const struct {
		const char *in;
		int64_t ms;
	} cases[] = {
		{ "10m", 600000 }, { "2h", 7200000 }, { "90s", 90000 }, { "500ms", 500 },
		{ "1h30m", 5400000 }, { "3d", 259200000 }, { "1w", 604800000 }, { "1m30s", 90000 },
		{ "1ms", 1 }, { "1s500ms", 1500 }, { "0s1ms", 1 }, { "1d0h", 86400000 },
		/* up to a century */
		{ "36500d", 36500LL * 86400000 }, { "5214w", 5214LL * 7 * 86400000 },
		{ "876000h", 876000LL * 3600000 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fx_err err = FX_ERR_INIT;
		int64_t ms = -1;

		cr_expect_eq(fx_duration_parse(cases[i].in, &ms, &err), 0, "%s: %s", cases[i].in,
			     err.msg);
		cr_expect_eq(ms, cases[i].ms, "%s: %lld", cases[i].in, (long long)ms);
	}
}

Test(duration, bad)
{
	static const char *const cases[] = { "", "10", "m", "10x", "-5m", "0s", "1.5h", "10 m",
					     "99999999999999999999h", "5m3", "0ms", "36501d", "5215w",
					     "36500d1ms", "3153600000001ms", "s", "1ms2" };
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fx_err err = FX_ERR_INIT;
		int64_t ms;

		cr_expect_eq(fx_duration_parse(cases[i], &ms, &err), -1, "'%s' parsed", cases[i]);
		cr_expect_eq(err.code, FX_EXIT_USAGE);
	}
}

Test(duration, rfc3339)
{
	static const struct {
		const char *in;
		int64_t ms;
	} good[] = {
		{ "2026-11-24T10:00:00Z", 1795514400000LL },
		{ "2026-11-24T10:00:00.123Z", 1795514400123LL },
		{ "2026-11-24T11:00:00+01:00", 1795514400000LL },
		{ "2026-11-24T09:30:00.5-00:30", 1795514400500LL },
		{ "1970-01-01T00:00:00Z", 0 },
		{ "2024-02-29T00:00:00z", 1709164800000LL },
		{ "2000-02-29T00:00:00Z", 951782400000LL },
		{ "2026-11-24 10:00:00Z", 1795514400000LL },
		{ "2026-11-24t10:00:00Z", 1795514400000LL },
		{ "2026-11-24T10:00:00.1239Z", 1795514400123LL },
		{ "2026-11-24T10:00:00.000000001Z", 1795514400000LL },
		{ "2026-11-24T10:00:00.9Z", 1795514400900LL },
		{ "2026-11-24T10:00:00.09Z", 1795514400090LL },
		{ "2026-11-24T09:59:60Z", 1795514400000LL },
		{ "2026-11-24T10:00:00-01:00", 1795518000000LL },
		{ "2026-11-24T10:00:00+23:59", 1795514400000LL - (23 * 3600 + 59 * 60) * 1000LL },
		{ "2026-12-31T23:59:59Z", 1798761599000LL },
		{ "2026-01-31T00:00:00Z", 1769817600000LL },
		{ "2026-04-30T00:00:00Z", 1777507200000LL },
	};
	static const char *const bad[] = {
		"2026-11-24", "2026-11-24T10:00:00", "2026-13-01T00:00:00Z", "2025-02-29T00:00:00Z",
		"2026-11-24T25:00:00Z", "2026-11-24T10:00:00+1:00", "2026-11-24T10:00:00Zjunk",
		"2026-11-24T10:00:00.Z", "2026-04-31T00:00:00Z", "1900-02-29T00:00:00Z",
		"2026-00-10T00:00:00Z", "2026-11-00T00:00:00Z", "2026-11-24T10:60:00Z",
		"2026-11-24T10:00:61Z", "2026-11-24T10:00:00+24:00", "2026-11-24T10:00:00+01:60",
		"2026-11-24X10:00:00Z", "2026/11/24T10:00:00Z", "2026-11-24T10-00:00Z",
		"2026-11-24T10:00:00+01-00", "2026-11-24T10:00:00+0100", "2026-11-32T00:00:00Z",
		"2026-11-24T10:00Z", "",
	};
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct fx_err err = FX_ERR_INIT;
		int64_t ms = -1;

		cr_expect_eq(fx_time_parse_rfc3339(good[i].in, &ms, &err), 0, "%s: %s", good[i].in,
			     err.msg);
		cr_expect_eq(ms, good[i].ms, "%s: %lld", good[i].in, (long long)ms);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct fx_err err = FX_ERR_INIT;
		int64_t ms;

		cr_expect_eq(fx_time_parse_rfc3339(bad[i], &ms, &err), -1, "'%s' parsed", bad[i]);
	}
}

Test(duration, since)
{
	struct fx_err err = FX_ERR_INIT;
	int64_t ms;

	cr_assert_eq(fx_time_parse_since("10m", 1000000000, &ms, &err), 0);
	cr_expect_eq(ms, 1000000000 - 600000);
	cr_assert_eq(fx_time_parse_since("2026-11-24T10:00:00Z", 5, &ms, &err), 0);
	cr_expect_eq(ms, 1795514400000LL);
	cr_expect_eq(fx_time_parse_since("yesterday", 5, &ms, &err), -1);
	cr_expect(strstr(err.msg, "--since"), "%s", err.msg);
	cr_expect_eq(err.code, FX_EXIT_USAGE);
	cr_assert_eq(fx_time_parse_since("1w", 604800000LL + 7, &ms, &err), 0);
	cr_expect_eq(ms, 7);
}

Test(duration, format)
{
	char out[32];

	fx_time_format_ms(1795514400123LL, out);
	cr_expect_str_eq(out, "2026-11-24T10:00:00.123Z");
	fx_time_format_ms(0, out);
	cr_expect_str_eq(out, "1970-01-01T00:00:00.000Z");
	fx_time_format_ms(-1, out);
	cr_expect_str_eq(out, "1969-12-31T23:59:59.999Z");
	fx_time_format_ms(1500, out);
	cr_expect_str_eq(out, "1970-01-01T00:00:01.500Z");
	fx_time_format_ms(-1000, out);
	cr_expect_str_eq(out, "1969-12-31T23:59:59.000Z");
	fx_time_format_ms(-1001, out);
	cr_expect_str_eq(out, "1969-12-31T23:59:58.999Z");
	/* years 0000 to 9999; a time outside them is printed as its number */
	fx_time_format_ms(-62167219200000LL, out);
	cr_expect_str_eq(out, "0000-01-01T00:00:00.000Z");
	fx_time_format_ms(-62167219200001LL, out);
	cr_expect_str_eq(out, "-62167219200001");
	fx_time_format_ms(253402300799999LL, out);
	cr_expect_str_eq(out, "9999-12-31T23:59:59.999Z");
	fx_time_format_ms(253402300800000LL, out);
	cr_expect_str_eq(out, "253402300800000");
}
