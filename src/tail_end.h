/*
 * tail's offset arithmetic (pure): where each partition starts for --from,
 * and -e's end-of-partition rule against the high watermark taken at
 * assignment.  tail.c (the librdkafka adapter) only carries them out.
 */
#ifndef FX_TAIL_END_H
#define FX_TAIL_END_H

#include <stdint.h>

#include "tail.h"

/* librdkafka's RD_KAFKA_OFFSET_INVALID: start at the group's committed offset. */
#define FX_TAIL_OFFSET_COMMITTED (-1001)

/*
 * The start offset of a partition whose log holds [lo, hi): --from as start
 * (value: the offset, the count of last records, or unused), with a group
 * the default is its committed offset.  FROM_TIME: time_offset is the first
 * offset at or after the time, < 0 when there is none (then the end).
 * Always within [lo, hi], or FX_TAIL_OFFSET_COMMITTED.
 */
int64_t fx_tail_start_offset(enum fx_tail_start start, int64_t value, int group, int64_t lo,
			     int64_t hi, int64_t time_offset);
/*
 * -e: a partition is over once something at or past the watermark taken
 * at its assignment (stop_at; known says it was taken) is seen — a record,
 * the end of the log (compacted topics and transaction markers leave gaps,
 * so never offset + 1), or a start already there (an empty range).
 */
int fx_tail_at_end(int known, int64_t stop_at, int64_t offset);

#endif
