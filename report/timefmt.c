/*
 * timefmt.c - UTC day starts, ISO 8601 times and dates for the history and
 * export renderers (moved as they were from src/cli_util.c).
 */
#include "report/timefmt.h"
#include "diagnosis/diagnose.h"

#include <stdio.h>
#include <string.h>

#define DAY_US (86400LL * 1000000LL)

int64_t cli_day_start(int64_t us)
{
    int64_t d = us / DAY_US;
    if (us < 0 && us % DAY_US)
        d--;
    if (d < INT64_MIN / DAY_US)     /* a time no log holds: do not overflow */
        d = INT64_MIN / DAY_US;
    return d * DAY_US;
}

const char *cli_iso_time(int64_t us, int micro, char *buf, size_t len)
{
    char t[40];
    int64_t frac = us % 1000000;
    if (frac < 0)
        frac += 1000000;
    format_time(us, t, sizeof t);      /* "YYYY-MM-DD HH:MM:SS" */
    char *sp = strchr(t, ' ');
    if (sp)
        *sp = 'T';
    if (micro)
        snprintf(buf, len, "%s.%06lldZ", t, (long long)frac);
    else
        snprintf(buf, len, "%sZ", t);
    return buf;
}

const char *cli_date(int64_t us, char *buf, size_t len)
{
    char t[40];
    format_time(us, t, sizeof t);
    char *sp = strchr(t, ' ');
    if (sp)
        *sp = '\0';
    snprintf(buf, len, "%s", t);
    return buf;
}
