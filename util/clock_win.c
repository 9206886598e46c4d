/* clock_win.c - wu_now_us() with GetSystemTimeAsFileTime. */
#include "util/clock.h"

#include <windows.h>

int64_t wu_now_us(void)
{
    FILETIME ft;
    ULARGE_INTEGER u;
    GetSystemTimeAsFileTime(&ft);
    u.LowPart = ft.dwLowDateTime;
    u.HighPart = ft.dwHighDateTime;
    /* 100 ns ticks since 1601 -> microseconds since 1970 */
    return (int64_t)(u.QuadPart / 10) - 11644473600000000LL;
}
