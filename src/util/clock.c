#include "util/clock.h"

#include <time.h>

double fx_clock_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int fx_clock_sleep_ms(long ms, volatile sig_atomic_t *interrupt)
{
	double end = fx_clock_now() + (double)ms / 1000.0;

	while (!(interrupt && *interrupt)) {
		double left = end - fx_clock_now();
		struct timespec ts;

		if (left <= 0)
			return 0;
		if (left > 0.05)
			left = 0.05;
		ts.tv_sec = 0;
		ts.tv_nsec = (long)(left * 1e9);
		nanosleep(&ts, NULL);
	}
	return -1;
}
