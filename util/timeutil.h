/*
 * timeutil.h - times as every source and renderer writes them: microseconds
 * since 1970-01-01 UTC (proleptic Gregorian, no leap seconds), day
 * arithmetic that floors for times before 1970, the event timestamp parser,
 * and the "YYYY-MM-DD HH:MM:SS" / ISO 8601 formatters.  No gmtime/timegm:
 * any int64_t is safe, on every platform.
 */
#ifndef WUDIAG_TIMEUTIL_H
#define WUDIAG_TIMEUTIL_H

#include <stddef.h>
#include <stdint.h>

#define WU_SEC_US 1000000LL
#define WU_DAY_US (86400LL * WU_SEC_US)

/* a / b rounded towards minus infinity (b != 0). */
int64_t wu_floor_div(int64_t a, int64_t b);

/*
 * Days since 1970-01-01 of the date y-m-d (m 1..12, d from 1; a day past
 * the month's end runs on into the next month), and back.
 */
int64_t wu_days_from_civil(int64_t y, int m, int d);
void wu_civil_from_days(int64_t days, int64_t *y, int *m, int *d);

/* The day of us (days since 1970-01-01), and its 00:00 UTC in us; a time
 * before the first whole day int64_t holds gives that day's start. */
int64_t wu_day_number(int64_t us);
int64_t wu_day_start(int64_t us);

/*
 * Parse an event timestamp such as "2017-07-12T17:16:28.214161600Z" (or
 * with ' ' for 'T'; leading blanks, fraction and Z optional, digits past
 * microseconds ignored) into microseconds since the Unix epoch.  Returns 0,
 * or -1 when malformed or outside the years 1601..9999.
 */
int wu_parse_time(const char *s, int64_t *out_us);

/*
 * "2017-07-23 07:25:41" (UTC, the second rounded down) into buf; returns
 * buf.  Like snprintf, a buf shorter than the text gets its first len - 1
 * bytes.  WU_TIME_LEN is enough for any int64_t.
 */
#define WU_TIME_LEN 48
const char *format_time(int64_t time_us, char *buf, size_t len);
/* ISO 8601 UTC: 2017-07-23T07:25:41Z, or with micro 2017-07-23T07:25:41.804504Z */
const char *wu_iso_time(int64_t us, int micro, char *buf, size_t len);
/* The date alone: 2017-07-23 */
const char *wu_date(int64_t us, char *buf, size_t len);

#endif
