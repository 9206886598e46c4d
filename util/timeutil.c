/*
 * timeutil.c - civil dates from and to day numbers (Howard Hinnant's
 * algorithms, valid for any int64_t day count a time in microseconds
 * gives), the event timestamp parser and the formatters.  The formatters
 * do without printf for the years 0..9999: export writes one timestamp per
 * event.
 */
#include "util/timeutil.h"

#include <stdio.h>
#include <string.h>

int64_t wu_floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q--;
    return q;
}

int64_t wu_days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void wu_civil_from_days(int64_t days, int64_t *y, int *m, int *d)
{
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

int64_t wu_day_number(int64_t us)
{
    return wu_floor_div(us, WU_DAY_US);
}

int64_t wu_day_start(int64_t us)
{
    int64_t d = wu_day_number(us);
    if (d < INT64_MIN / WU_DAY_US)  /* a time no log holds: do not overflow */
        d = INT64_MIN / WU_DAY_US;
    return d * WU_DAY_US;
}

/* ---- parsing --------------------------------------------------------------- */

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int wu_parse_time(const char *s, int64_t *out_us)
{
    int y, mo, d, h, mi, se;
    int64_t frac = 0;
    static const unsigned char mdays[] = {31,29,31,30,31,30,31,31,30,31,30,31};

    if (!s)
        return -1;
    while (*s == ' ')
        s++;
    if (strlen(s) < 19 || digits(s, 4, &y) || s[4] != '-' ||
        digits(s + 5, 2, &mo) || s[7] != '-' || digits(s + 8, 2, &d) ||
        (s[10] != 'T' && s[10] != ' ') || digits(s + 11, 2, &h) ||
        s[13] != ':' || digits(s + 14, 2, &mi) || s[16] != ':' ||
        digits(s + 17, 2, &se))
        return -1;
    if (y < 1601 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
        h > 23 || mi > 59 || se > 60)
        return -1;
    if (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return -1;
    s += 19;
    if (*s == '.') {
        int n = 0;
        s++;
        while (*s >= '0' && *s <= '9') {
            if (n < 6) {
                frac = frac * 10 + (*s - '0');
                n++;
            }
            s++;
        }
        if (n == 0)
            return -1;
        while (n < 6) {
            frac *= 10;
            n++;
        }
    }
    if (*s == 'Z')
        s++;
    while (*s == ' ' || *s == '\r' || *s == '\n')
        s++;
    if (*s)
        return -1;
    int64_t days = wu_days_from_civil(y, mo, d);
    *out_us = ((days * 86400 + h * 3600 + mi * 60 + se) * WU_SEC_US) + frac;
    return 0;
}

/* ---- formatting ------------------------------------------------------------ */

/* v (0 <= v < 10^n) as exactly n digits at o; returns the end. */
static char *digits_at(char *o, int64_t v, int n)
{
    for (int i = n - 1; i >= 0; i--, v /= 10)
        o[i] = (char)('0' + v % 10);
    return o + n;
}

/*
 * The text of us into out (WU_TIME_LEN bytes): "YYYY-MM-DD", then sep and
 * "HH:MM:SS" unless sep is 0, then ".ffffff" with micro and "Z" with zulu.
 * Returns its length.
 */
static size_t civil_text(int64_t us, char sep, int micro, int zulu, char *out)
{
    int64_t secs = wu_floor_div(us, WU_SEC_US);  /* divide first: no overflow */
    int64_t frac = us % WU_SEC_US;
    if (frac < 0)
        frac += WU_SEC_US;
    int64_t days = wu_floor_div(secs, 86400), rem = secs - days * 86400;
    int64_t y;
    int m, d;
    char *o = out;

    wu_civil_from_days(days, &y, &m, &d);
    if (y >= 0 && y <= 9999)    /* every time a log holds */
        o = digits_at(o, y, 4);
    else                        /* any other int64_t, as printf writes it */
        o += snprintf(o, 16, "%04lld", (long long)y);
    *o++ = '-';
    o = digits_at(o, m, 2);
    *o++ = '-';
    o = digits_at(o, d, 2);
    if (sep) {
        *o++ = sep;
        o = digits_at(o, rem / 3600, 2);
        *o++ = ':';
        o = digits_at(o, rem / 60 % 60, 2);
        *o++ = ':';
        o = digits_at(o, rem % 60, 2);
        if (micro) {
            *o++ = '.';
            o = digits_at(o, frac, 6);
        }
        if (zulu)
            *o++ = 'Z';
    }
    *o = '\0';
    return (size_t)(o - out);
}

/* text (n bytes) into buf as snprintf would put it; returns buf. */
static const char *put_text(const char *text, size_t n, char *buf, size_t len)
{
    if (len == 0)
        return buf;
    if (n >= len)
        n = len - 1;
    memcpy(buf, text, n);
    buf[n] = '\0';
    return buf;
}

const char *format_time(int64_t time_us, char *buf, size_t len)
{
    char t[WU_TIME_LEN];
    return put_text(t, civil_text(time_us, ' ', 0, 0, t), buf, len);
}

const char *wu_iso_time(int64_t us, int micro, char *buf, size_t len)
{
    char t[WU_TIME_LEN];
    return put_text(t, civil_text(us, 'T', micro, 1, t), buf, len);
}

const char *wu_date(int64_t us, char *buf, size_t len)
{
    char t[WU_TIME_LEN];
    return put_text(t, civil_text(us, 0, 0, 0, t), buf, len);
}
