/*
 * tail_end.c: where each partition starts for --from, and -e's end rule
 * against the high watermark taken at assignment.
 */
#include <criterion/criterion.h>

#include "tail_end.h"

#define C FX_TAIL_OFFSET_COMMITTED

Test(tail_end, start_offset_table)
{
	static const struct {
		const char *what;
		enum fx_tail_start start;
		int64_t value;
		int group;
		int64_t lo, hi, time_offset, want;
	} cases[] = {
		{ "default: the end", FX_TAIL_FROM_DEFAULT, 0, 0, 10, 50, -1, 50 },
		{ "default with a group: its committed offset", FX_TAIL_FROM_DEFAULT, 0, 1, 10, 50, -1, C },
		{ "--from end", FX_TAIL_FROM_END, 0, 1, 10, 50, -1, 50 },
		{ "--from beginning: the low watermark, not 0", FX_TAIL_FROM_BEGINNING, 0, 0, 10, 50, -1, 10 },
		{ "--from offset inside", FX_TAIL_FROM_OFFSET, 20, 0, 10, 50, -1, 20 },
		{ "--from offset below the log: its start", FX_TAIL_FROM_OFFSET, 3, 0, 10, 50, -1, 10 },
		{ "--from offset past the end: the end", FX_TAIL_FROM_OFFSET, 90, 0, 10, 50, -1, 50 },
		{ "--from offset at the end", FX_TAIL_FROM_OFFSET, 50, 0, 10, 50, -1, 50 },
		{ "--last 5", FX_TAIL_FROM_LAST, 5, 0, 10, 50, -1, 45 },
		{ "--last more than there are", FX_TAIL_FROM_LAST, 100, 0, 10, 50, -1, 10 },
		{ "--last 0", FX_TAIL_FROM_LAST, 0, 0, 10, 50, -1, 50 },
		{ "--from a time with records after it", FX_TAIL_FROM_TIME, 0, 0, 10, 50, 33, 33 },
		{ "--from a time after every record: the end", FX_TAIL_FROM_TIME, 0, 0, 10, 50, -1, 50 },
		{ "an empty log", FX_TAIL_FROM_BEGINNING, 0, 0, 0, 0, -1, 0 },
		{ "an empty compacted-away log", FX_TAIL_FROM_LAST, 3, 0, 70, 70, -1, 70 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_expect_eq(fx_tail_start_offset(cases[i].start, cases[i].value, cases[i].group,
						  cases[i].lo, cases[i].hi, cases[i].time_offset),
			     cases[i].want, "%s: %lld", cases[i].what,
			     (long long)fx_tail_start_offset(cases[i].start, cases[i].value,
							     cases[i].group, cases[i].lo, cases[i].hi,
							     cases[i].time_offset));
}

Test(tail_end, at_end_table)
{
	static const struct {
		const char *what;
		int known;
		int64_t stop_at, offset;
		int want;
	} cases[] = {
		{ "a record before the watermark", 1, 50, 49, 0 },
		{ "the record at the watermark (written since)", 1, 50, 50, 1 },
		{ "end of log past the watermark (a gap)", 1, 50, 57, 1 },
		{ "end of log at the watermark", 1, 50, 50, 1 },
		{ "watermark not taken yet", 0, 50, 80, 0 },
		{ "an empty range: start at the watermark", 1, 0, 0, 1 },
		{ "a group's committed offset is not an end", 1, 0, C, 0 },
		{ "empty partition, reading from the start", 1, 10, 10, 1 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_expect_eq(fx_tail_at_end(cases[i].known, cases[i].stop_at, cases[i].offset),
			     cases[i].want, "%s", cases[i].what);
}
