/*
 * test_time.c - the time module (util/timeutil.c): civil dates and day
 * numbers, day floors of negative times, the timestamp parser's bounds
 * (1601..9999, leap years) and the formatters, up to any int64_t.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"
#include "util/timeutil.h"

#define SEC WU_SEC_US
#define DAY WU_DAY_US

/* ---- helpers -------------------------------------------------------------- */

static void expect_civil(int64_t days, int64_t y, int m, int d)
{
    int64_t gy;
    int gm, gd;
    if (wu_days_from_civil(y, m, d) != days)
        fail_msg("wu_days_from_civil(%lld-%02d-%02d) = %lld, expected %lld", (long long)y,
                 m, d, (long long)wu_days_from_civil(y, m, d), (long long)days);
    wu_civil_from_days(days, &gy, &gm, &gd);
    if (gy != y || gm != m || gd != d)
        fail_msg("wu_civil_from_days(%lld) = %lld-%02d-%02d, expected %lld-%02d-%02d",
                 (long long)days, (long long)gy, gm, gd, (long long)y, m, d);
}

/* s parses to want, or (want_ok 0) is refused and leaves *out alone. */
static void check_parse(const char *s, int want_ok, int64_t want)
{
    int64_t got = 12345;
    int rc = wu_parse_time(s, &got);
    if (want_ok ? rc != 0 || got != want : rc != -1 || got != 12345)
        fail_msg("wu_parse_time(\"%s\"): %d, %lld; expected %s %lld", s ? s : "NULL", rc,
                 (long long)got, want_ok ? "0," : "-1, untouched", (long long)want);
}
#define expect_parse(s, want) check_parse(s, 1, want)
#define expect_reject(s) check_parse(s, 0, 12345)

static void expect_text(int64_t us, const char *plain, const char *iso, const char *iso_us,
                        const char *date)
{
    char buf[WU_TIME_LEN];
    assert_string_equal(format_time(us, buf, sizeof buf), plain);
    assert_string_equal(wu_iso_time(us, 0, buf, sizeof buf), iso);
    assert_string_equal(wu_iso_time(us, 1, buf, sizeof buf), iso_us);
    assert_string_equal(wu_date(us, buf, sizeof buf), date);
}

/* ---- day arithmetic ----------------------------------------------------------- */

static void test_floor_div(void **state)
{
    (void)state;
    assert_int_equal(wu_floor_div(7, 2), 3);
    assert_int_equal(wu_floor_div(-7, 2), -4);
    assert_int_equal(wu_floor_div(-8, 2), -4);
    assert_int_equal(wu_floor_div(7, -2), -4);
    assert_int_equal(wu_floor_div(-7, -2), 3);
    assert_int_equal(wu_floor_div(0, 5), 0);
    assert_int_equal(wu_floor_div(-1, 7), -1);
    assert_int_equal(wu_floor_div(INT64_MIN, DAY), -106751992);
    assert_int_equal(wu_floor_div(INT64_MAX, DAY), 106751991);
}

static void test_civil_dates(void **state)
{
    (void)state;
    expect_civil(0, 1970, 1, 1);
    expect_civil(-1, 1969, 12, 31);
    expect_civil(59, 1970, 3, 1);               /* 1970 is no leap year */
    expect_civil(11016, 2000, 2, 29);           /* 400-year leap */
    expect_civil(11017, 2000, 3, 1);
    expect_civil(16860, 2016, 2, 29);           /* 4-year leap */
    expect_civil(-25508, 1900, 3, 1);           /* century: 1900-02-28 is the day before */
    expect_civil(-25509, 1900, 2, 28);
    expect_civil(-134774, 1601, 1, 1);          /* FILETIME 0 */
    expect_civil(2932896, 9999, 12, 31);
    expect_civil(-719468, 0, 3, 1);             /* year 0 (1 BC), a leap year */
    expect_civil(-719469, 0, 2, 29);
    expect_civil(-719528, 0, 1, 1);
    expect_civil(-719529, -1, 12, 31);          /* before year 0 */
    expect_civil(-106751992, -290308, 12, 21);  /* the day of INT64_MIN us */
    expect_civil(106751991, 294247, 1, 10);     /* the day of INT64_MAX us */

    /* a day past the month's end runs on (the text-log parser relies on it) */
    assert_int_equal(wu_days_from_civil(2017, 2, 31), wu_days_from_civil(2017, 3, 3));
    assert_int_equal(wu_days_from_civil(2016, 2, 30), wu_days_from_civil(2016, 3, 1));
    assert_int_equal(wu_days_from_civil(2017, 12, 32), wu_days_from_civil(2018, 1, 1));

    /* every day of 1599..2401 (three centuries, two 400-year leaps) and back */
    int64_t days = wu_days_from_civil(1599, 1, 1);
    for (int64_t y = 1599; y <= 2401; y++)
        for (int m = 1; m <= 12; m++) {
            static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
            int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            int n = mdays[m - 1] + (m == 2 && leap);
            for (int d = 1; d <= n; d++)
                expect_civil(days++, y, m, d);
        }
    /* and a sparse sweep over all int64_t microsecond days */
    for (int64_t d = -106751992; d <= 106751991; d += 99991) {
        int64_t y;
        int m, dd;
        wu_civil_from_days(d, &y, &m, &dd);
        assert_int_equal(wu_days_from_civil(y, m, dd), d);
    }
}

static void test_day_floor(void **state)
{
    (void)state;
    assert_int_equal(wu_day_number(0), 0);
    assert_int_equal(wu_day_number(DAY - 1), 0);
    assert_int_equal(wu_day_number(DAY), 1);
    assert_int_equal(wu_day_number(-1), -1);
    assert_int_equal(wu_day_number(-DAY), -1);
    assert_int_equal(wu_day_number(-DAY - 1), -2);
    assert_int_equal(wu_day_number(-11644473600LL * SEC), -134774);

    assert_int_equal(wu_day_start(0), 0);
    assert_int_equal(wu_day_start(DAY + 5), DAY);
    assert_int_equal(wu_day_start(-1), -DAY);                  /* 1969-12-31 */
    assert_int_equal(wu_day_start(-DAY), -DAY);
    assert_int_equal(wu_day_start(-DAY - 1), -2 * DAY);
    assert_int_equal(wu_day_start(-11644473600LL * SEC + 1), -11644473600LL * SEC);
    assert_int_equal(wu_day_start(253402300799999999LL), 253402214400LL * SEC);
    /* the ends of int64_t: no overflow; before the first whole day, that day */
    assert_int_equal(wu_day_start(INT64_MAX), 106751991 * DAY);
    assert_int_equal(wu_day_start(INT64_MIN), -106751991 * DAY);
    assert_int_equal(wu_day_start(-106751991 * DAY), -106751991 * DAY);
    for (int64_t t = -3 * DAY; t <= 3 * DAY; t += 3600 * SEC + 7) {
        int64_t s = wu_day_start(t);
        assert_true(s <= t && t - s < DAY && s % DAY == 0);
        assert_int_equal(s, wu_day_number(t) * DAY);
    }
}

/* ---- parsing ------------------------------------------------------------------ */

static void test_parse(void **state)
{
    (void)state;
    expect_parse("2017-07-23T07:25:41.804504600Z", 1500794741804504LL);
    expect_parse("2017-07-23 07:25:41.804504Z", 1500794741804504LL);    /* ' ' for T */
    expect_parse("  2017-07-23T07:25:41Z\r\n", 1500794741000000LL);     /* blanks */
    expect_parse("2017-07-23T07:25:41.1", 1500794741100000LL);
    expect_parse("2017-07-23T07:25:41.123456789", 1500794741123456LL); /* cut, not rounded */
    expect_parse("2017-07-23T07:25:60Z", 1500794760000000LL);           /* leap second */
    /* leap years */
    expect_parse("2016-02-29T00:00:00Z", 1456704000LL * SEC);
    expect_parse("2000-02-29T00:00:00Z", 951782400LL * SEC);
    expect_parse("2400-02-29T00:00:00Z", 13574563200LL * SEC);
    expect_reject("2017-02-29T00:00:00Z");
    expect_reject("1900-02-29T00:00:00Z");
    expect_reject("2100-02-29T00:00:00Z");
    expect_reject("2017-04-31T00:00:00Z");
    /* pre-1970 and the bounds 1601..9999 */
    expect_parse("1969-12-31T23:59:59.999999Z", -1);
    expect_parse("1969-12-31T00:00:00Z", -DAY);
    expect_parse("1601-01-01T00:00:00Z", -11644473600LL * SEC);
    expect_parse("1604-02-29T12:00:00Z", (wu_days_from_civil(1604, 2, 29) * 86400 + 43200) * SEC);
    expect_parse("9999-12-31T23:59:59.999999Z", 253402300799999999LL);
    expect_reject("1600-12-31T23:59:59Z");
    expect_reject("0000-01-01T00:00:00Z");
    expect_reject("10000-01-01T00:00:00Z");
    expect_reject("-001-01-01T00:00:00Z");
    /* malformed */
    expect_reject(NULL);
    expect_reject("");
    expect_reject("2017-07-23");
    expect_reject("2017-07-23T07:25:41.");
    expect_reject("2017-07-23T07:25:41+02:00");
    expect_reject("2017-07-23T07:25:41Zjunk");
    expect_reject("2017/07/23T07:25:41Z");
    expect_reject("2017-07-23T24:00:00Z");
    expect_reject("2017-07-23T07:60:00Z");
    expect_reject("2017-07-23T07:25:61Z");
    expect_reject("2017-7-23T07:25:41Z");
}

/* ---- formatting --------------------------------------------------------------- */

static void test_format(void **state)
{
    (void)state;
    expect_text(0, "1970-01-01 00:00:00", "1970-01-01T00:00:00Z",
                "1970-01-01T00:00:00.000000Z", "1970-01-01");
    expect_text(1500794741804504LL, "2017-07-23 07:25:41", "2017-07-23T07:25:41Z",
                "2017-07-23T07:25:41.804504Z", "2017-07-23");
    /* negative times round down, to the second and to the day */
    expect_text(-1, "1969-12-31 23:59:59", "1969-12-31T23:59:59Z",
                "1969-12-31T23:59:59.999999Z", "1969-12-31");
    expect_text(-SEC, "1969-12-31 23:59:59", "1969-12-31T23:59:59Z",
                "1969-12-31T23:59:59.000000Z", "1969-12-31");
    expect_text(-DAY, "1969-12-31 00:00:00", "1969-12-31T00:00:00Z",
                "1969-12-31T00:00:00.000000Z", "1969-12-31");
    expect_text(951825600LL * SEC, "2000-02-29 12:00:00", "2000-02-29T12:00:00Z",
                "2000-02-29T12:00:00.000000Z", "2000-02-29");
    expect_text(-11644473600LL * SEC, "1601-01-01 00:00:00", "1601-01-01T00:00:00Z",
                "1601-01-01T00:00:00.000000Z", "1601-01-01");
    expect_text(253402300799999999LL, "9999-12-31 23:59:59", "9999-12-31T23:59:59Z",
                "9999-12-31T23:59:59.999999Z", "9999-12-31");
    /* years before 0 and past 9999, as printf's %04lld would write them */
    expect_text(wu_days_from_civil(-1, 12, 31) * DAY, "-001-12-31 00:00:00",
                "-001-12-31T00:00:00Z", "-001-12-31T00:00:00.000000Z", "-001-12-31");
    expect_text(INT64_MAX, "294247-01-10 04:00:54", "294247-01-10T04:00:54Z",
                "294247-01-10T04:00:54.775807Z", "294247-01-10");
    expect_text(INT64_MIN, "-290308-12-21 19:59:05", "-290308-12-21T19:59:05Z",
                "-290308-12-21T19:59:05.224192Z", "-290308-12-21");
}

static void test_format_short_buffer(void **state)
{
    char small[8], none[1] = {'x'};
    (void)state;
    /* cut like snprintf: the first len - 1 bytes, always terminated */
    memset(small, 'x', sizeof small);
    assert_ptr_equal(format_time(0, small, sizeof small), small);
    assert_string_equal(small, "1970-01");
    memset(small, 'x', sizeof small);
    assert_string_equal(wu_iso_time(0, 1, small, sizeof small), "1970-01");
    assert_string_equal(wu_date(0, small, 1), "");
    assert_ptr_equal(format_time(0, none, 0), none);        /* len 0: nothing written */
    assert_int_equal(none[0], 'x');
}

static void test_round_trip(void **state)
{
    char buf[WU_TIME_LEN];
    int64_t back;
    (void)state;
    /* every formatted time in 1601..9999 parses back to itself */
    for (int64_t t = -11644473600LL * SEC; t <= 253402300799999999LL;
         t += 86399LL * 3571 * SEC + 123457) {
        assert_int_equal(wu_parse_time(wu_iso_time(t, 1, buf, sizeof buf), &back), 0);
        assert_int_equal(back, t);
        assert_int_equal(wu_parse_time(format_time(t, buf, sizeof buf), &back), 0);
        assert_int_equal(back, wu_floor_div(t, SEC) * SEC);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_floor_div),
        cmocka_unit_test(test_civil_dates),
        cmocka_unit_test(test_day_floor),
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_format_short_buffer),
        cmocka_unit_test(test_round_trip),
    };
    return cmocka_run_group_tests_name("time", tests, NULL, NULL);
}
