/* clock_posix.c - wu_now_us() with clock_gettime. */
#include "util/clock.h"

#include <time.h>

int64_t wu_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}
