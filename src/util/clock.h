/* Monotonic time and an interruptible sleep, shared by the waits of apply and
 * the retries of the Connect client. */
#ifndef FX_UTIL_CLOCK_H
#define FX_UTIL_CLOCK_H

#include <signal.h>

/* Seconds on the monotonic clock. */
double fx_clock_now(void);
/* Sleeps ms in slices of at most 50 ms, stopping early once *interrupt (may be
 * NULL) is set; 0, or -1 when interrupted. */
int fx_clock_sleep_ms(long ms, volatile sig_atomic_t *interrupt);

#endif
