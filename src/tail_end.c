#include "tail_end.h"

int64_t fx_tail_start_offset(enum fx_tail_start start, int64_t value, int group, int64_t lo,
			     int64_t hi, int64_t time_offset)
{
	switch (start) {
	case FX_TAIL_FROM_DEFAULT:
		return group ? FX_TAIL_OFFSET_COMMITTED : hi;
	case FX_TAIL_FROM_END:
		return hi;
	case FX_TAIL_FROM_BEGINNING:
		return lo;
	case FX_TAIL_FROM_OFFSET:
		return value < lo ? lo : value > hi ? hi : value;
	case FX_TAIL_FROM_LAST:
		return hi - value < lo ? lo : hi - value;
	case FX_TAIL_FROM_TIME:
	default:
		return time_offset < 0 ? hi : time_offset;
	}
}

int fx_tail_at_end(int known, int64_t stop_at, int64_t offset)
{
	return known && offset >= 0 && offset >= stop_at;
}
