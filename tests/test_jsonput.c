/*
 * test_jsonput.c - the in-place writers export uses: json_put_str
 * (util/jsonput.c) must write byte for byte what sb_json_str appends, and
 * csv_put_field (util/csv.c) what csv_field appends, for every input, and
 * stay within their bounds (JSON_PUT_MAX, CSV_PUT_MAX); sb_room/sb_setend
 * keep the buffer's rules (NUL end, sticky out of memory).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"
#include "util/csv.h"
#include "util/jsonput.h"
#include "util/strbuf.h"

/* Pieces a hostile or odd string is made of: the cases of both writers. */
static const char *const pieces[] = {
    "a", "Z", "0", "9", " ", ".", "abcdefgh", "System", "KB5030000",
    "abcdefghijklmnopqrstuvwxyz0123456789", "Microsoft-Windows-WindowsUpdateClient",
    "\"", "\\", ",", "\r", "\n", "\t", "\r\n", "\x01", "\x1b", "\x1f", "\x7f",
    "=", "+", "-", "@", "'",
    "\xc2\x80", "\xc2\x85", "\xc2\x9f", "\xc2\xa0", "\xc3\xa9",       /* C1, NBSP, e acute */
    "\xd8\x9c", "\xd8\xa7",                                           /* ALM, alef */
    "\xe2\x80\x8e", "\xe2\x80\x8f", "\xe2\x80\xaa", "\xe2\x80\xae",   /* bidi */
    "\xe2\x81\xa6", "\xe2\x81\xa9", "\xe2\x80\x8d", "\xe2\x82\xac",   /* bidi, ZWJ, euro */
    "\xe6\x97\xa5", "\xf0\x9f\x98\x80",                               /* CJK, emoji */
    "\xff", "\xc0\xaf", "\xc2", "\xe2\x80", "\xf0\x9f\x98", "\xed\xa0\x80", /* bad */
    "\xf4\x90\x80\x80", "\x80", "\xbf",
};

static uint32_t rnd(uint32_t *s)
{
    *s = *s * 1103515245u + 12345u;
    return *s >> 8;
}

/* A random string of pieces into buf (NUL-terminated). */
static void random_text(uint32_t *seed, char *buf, size_t cap)
{
    size_t len = 0, want = rnd(seed) % 48;
    buf[0] = '\0';
    while (len < want) {
        const char *p = pieces[rnd(seed) % (sizeof pieces / sizeof pieces[0])];
        size_t n = strlen(p);
        if (len + n + 1 > cap)
            break;
        memcpy(buf + len, p, n + 1);
        len += n;
    }
}

static void check_json(const char *s)
{
    struct strbuf want;
    size_t n = strlen(s);
    char *got = malloc(JSON_PUT_MAX(n) + 1), *end;

    assert_non_null(got);
    sb_init(&want);
    sb_json_str(&want, s);
    assert_int_equal(want.oom, 0);
    end = json_put_str(got, s, n);
    assert_true((size_t)(end - got) <= JSON_PUT_MAX(n));
    if ((size_t)(end - got) != want.len || memcmp(got, want.buf ? want.buf : "", want.len))
        fail_msg("json_put_str differs from sb_json_str for a %zu-byte string", n);
    sb_free(&want);
    free(got);
}

static void check_csv(const char *s)
{
    struct strbuf want;
    size_t n = strlen(s);
    char *got = malloc(CSV_PUT_MAX(n) + 1), *end;

    assert_non_null(got);
    sb_init(&want);
    csv_field(&want, s);
    assert_int_equal(want.oom, 0);
    end = csv_put_field(got, s, n);
    assert_true((size_t)(end - got) <= CSV_PUT_MAX(n));
    if ((size_t)(end - got) != want.len || memcmp(got, want.buf ? want.buf : "", want.len))
        fail_msg("csv_put_field differs from csv_field for \"%s\"", s);
    sb_free(&want);
    free(got);
}

static void test_json_same_as_sb_json_str(void **state)
{
    static const char *const fixed[] = {
        "", "plain ASCII text longer than eight bytes", "12345678", "1234567\"",
        "\"1234567", "abcdefg\\hijklmno", "tab\there", "\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f",
        "abcdefgh\xe2\x80\xae", "abcdefg\xc2", "abcdefgh\xf0\x9f\x98", "\x01\x02\x03\x1f",
    };
    char buf[256];
    uint32_t seed = 19;
    (void)state;
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        check_json(fixed[i]);
    for (int i = 0; i < 20000; i++) {
        random_text(&seed, buf, sizeof buf);
        check_json(buf);
    }
}

static void test_csv_same_as_csv_field(void **state)
{
    static const char *const fixed[] = {
        "", "plain", "a,b", "say \"hi\"", "=1+2", "+3", "-5", "-0.25", "@SUM(A1)",
        "\tx", "\rx", "line\r\nbreak", "-", "+", "1.", "=\"x\"", "\x1b[31m",
        "\xe2\x80\xae" "evil", "\xff\xfe", "caf\xc3\xa9",
    };
    char buf[256];
    uint32_t seed = 4180;
    (void)state;
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        check_csv(fixed[i]);
    for (int i = 0; i < 20000; i++) {
        random_text(&seed, buf, sizeof buf);
        check_csv(buf);
    }
}

static void test_room_and_setend(void **state)
{
    struct strbuf sb;
    char *o;
    (void)state;

    sb_init(&sb);
    assert_non_null(o = sb_room(&sb, 5));
    memcpy(o, "hello", 5);
    sb_setend(&sb, o + 5);
    assert_int_equal(sb.len, 5);
    assert_string_equal(sb.buf, "hello");
    /* many small writes, then a big one: it grows */
    for (int i = 0; i < 1000; i++) {
        assert_non_null(o = sb_room(&sb, 1));
        *o = 'x';
        sb_setend(&sb, o + 1);
    }
    assert_non_null(o = sb_room(&sb, 100000));
    assert_true(sb.cap - sb.len > 100000);
    sb_setend(&sb, o);
    assert_int_equal(sb.len, 1005);
    assert_int_equal(sb.buf[sb.len], '\0');
    /* out of memory: sticky, no room given */
    assert_null(sb_room(&sb, (size_t)-1 / 2));
    assert_int_equal(sb.oom, 1);
    assert_null(sb_room(&sb, 1));
    sb_free(&sb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_same_as_sb_json_str),
        cmocka_unit_test(test_csv_same_as_csv_field),
        cmocka_unit_test(test_room_and_setend),
    };
    return cmocka_run_group_tests_name("jsonput", tests, NULL, NULL);
}
