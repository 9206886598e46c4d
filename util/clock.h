/*
 * clock.h - the wall clock in microseconds since 1970 UTC.  One function per
 * platform file (clock_posix.c, clock_win.c).
 */
#ifndef WUDIAG_CLOCK_H
#define WUDIAG_CLOCK_H

#include <stdint.h>

int64_t wu_now_us(void);

#endif
