/*
 * test_strbuf.c - growable buffer, JSON string escaping and UTF-8 checks,
 * and the owned-string helpers (sb_detach, wu_strfmt) (util/strbuf.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"
#include "util/strbuf.h"

/* sb_json_str of s into a fresh buffer; malloc'd result. */
static char *json(const char *s)
{
    struct strbuf sb;
    sb_init(&sb);
    sb_json_str(&sb, s);
    assert_int_equal(sb.oom, 0);
    char *r = tu_strdup(sb.buf ? sb.buf : "");
    assert_int_equal(strlen(r), sb.len);
    sb_free(&sb);
    return r;
}

static void expect_json(const char *in, const char *want)
{
    char *got = json(in);
    if (strcmp(got, want) != 0)
        fail_msg("sb_json_str(\"%s\") = \"%s\", expected \"%s\"", in ? in : "NULL",
                 got, want);
    free(got);
}

static void test_json_plain_and_escapes(void **state)
{
    (void)state;
    expect_json("", "");
    expect_json(NULL, "");
    expect_json("hello world", "hello world");
    expect_json("say \"hi\"", "say \\\"hi\\\"");
    expect_json("C:\\Windows\\servicing\\TrustedInstaller.exe",
                "C:\\\\Windows\\\\servicing\\\\TrustedInstaller.exe");
    expect_json("a\nb\rc\td", "a\\nb\\rc\\td");
    expect_json("\x01", "\\u0001");
    expect_json("x\x1fy", "x\\u001fy");
    expect_json("\x08\x0c", "\\u0008\\u000c");
    expect_json("/ stays", "/ stays");
    /* DEL, C1 and bidi controls are legal in JSON strings, but escaped so
     * a terminal showing the JSON cannot act on them (util/safetext.h) */
    expect_json("\x7f", "\\u007f");
    expect_json("a\xC2\x9B" "2J", "a\\u009b2J");
    expect_json("\xE2\x80\xAEtxt.exe", "\\u202etxt.exe");
    expect_json("\xD8\x9C\xE2\x81\xA6\xE2\x80\x8E", "\\u061c\\u2066\\u200e");
    expect_json("\xC2\xA0\xE2\x80\x94", "\xC2\xA0\xE2\x80\x94");  /* NBSP, em dash kept */
    expect_json("<script>alert(1)</script>", "<script>alert(1)</script>");

    /* appended to what the buffer holds, past its first growth, escapes
     * doubling the length and the slow cases between them */
    struct strbuf sb;
    char in[701], want[2000];
    size_t k = 0;
    sb_init(&sb);
    sb_adds(&sb, "{");
    for (int i = 0; i < 700; i++)
        in[i] = i % 100 == 99 ? '\n' : i % 2 ? '\\' : '"';
    in[700] = '\0';
    want[k++] = '{';
    for (int i = 0; i < 700; i++) {
        want[k++] = '\\';
        want[k++] = in[i] == '\n' ? 'n' : in[i];
    }
    want[k] = '\0';
    sb_json_str(&sb, in);
    assert_int_equal(sb.oom, 0);
    assert_int_equal(sb.len, k);
    assert_string_equal(sb.buf, want);
    sb_free(&sb);
}

static void test_json_utf8(void **state)
{
    (void)state;
    /* valid multi-byte sequences are kept as they are */
    expect_json("\xC3\xBC", "\xC3\xBC");                          /* ü */
    expect_json("\xE2\x82\xAC 5", "\xE2\x82\xAC 5");              /* € */
    expect_json("\xF0\x9F\x98\x80!", "\xF0\x9F\x98\x80!");        /* U+1F600 */
    expect_json("\xD0\xA6\xD0\xB5\xD0\xBD\xD1\x82\xD1\x80",
                "\xD0\xA6\xD0\xB5\xD0\xBD\xD1\x82\xD1\x80");
    expect_json("\xF4\x8F\xBF\xBF", "\xF4\x8F\xBF\xBF");          /* U+10FFFF */

    /* invalid bytes become U+FFFD, one per bad byte, the rest is kept */
    expect_json("a\xFF" "b", "a\xEF\xBF\xBD" "b");
    expect_json("\x80", "\xEF\xBF\xBD");                           /* lone continuation */
    expect_json("\xC3", "\xEF\xBF\xBD");                           /* truncated at end */
    expect_json("\xC3x", "\xEF\xBF\xBDx");                         /* truncated mid-text */
    expect_json("\xC0\xAF", "\xEF\xBF\xBD\xEF\xBF\xBD");           /* overlong '/' */
    expect_json("\xE0\x80\xAF", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"); /* overlong */
    expect_json("\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"); /* surrogate */
    expect_json("\xF4\x90\x80\x80",                                 /* > U+10FFFF */
                "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    expect_json("\xE2\x82", "\xEF\xBF\xBD\xEF\xBF\xBD");           /* € cut short */
    /* an escape right after a bad byte still works */
    expect_json("\xFE\"", "\xEF\xBF\xBD\\\"");
}

/* The output of sb_json_str is always valid UTF-8 with no raw controls. */
static void test_json_output_always_valid(void **state)
{
    unsigned char in[512];
    unsigned seed = 12345;
    (void)state;
    for (int round = 0; round < 2000; round++) {
        size_t n = (size_t)(round % 64) + 1;
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            unsigned char c = (unsigned char)(seed >> 16);
            in[i] = c ? c : 'x';
        }
        in[n] = '\0';
        char *out = json((const char *)in);
        const unsigned char *p = (const unsigned char *)out;
        size_t len = strlen(out);
        for (size_t i = 0; i < len;) {
            size_t k = utf8_seq_len(p + i, len - i);
            if (k == 0)
                fail_msg("round %d: invalid UTF-8 in output at %zu", round, i);
            if (p[i] < 0x20)
                fail_msg("round %d: raw control 0x%02x in output", round, p[i]);
            if (p[i] == '"' && (i == 0 || p[i - 1] != '\\'))
                fail_msg("round %d: unescaped quote in output", round);
            i += k;
        }
        free(out);
    }
}

static void test_utf8_seq_len(void **state)
{
    (void)state;
#define L(s, avail) utf8_seq_len((const unsigned char *)(s), (avail))
    assert_int_equal(L("A", 1), 1);
    assert_int_equal(L("\x7f", 1), 1);
    assert_int_equal(L("\xC2\x80", 2), 2);          /* U+0080, smallest 2-byte */
    assert_int_equal(L("\xDF\xBF", 2), 2);
    assert_int_equal(L("\xE0\xA0\x80", 3), 3);      /* U+0800 */
    assert_int_equal(L("\xEF\xBF\xBF", 3), 3);      /* U+FFFF */
    assert_int_equal(L("\xED\x9F\xBF", 3), 3);      /* U+D7FF, just below surrogates */
    assert_int_equal(L("\xEE\x80\x80", 3), 3);      /* U+E000, just above */
    assert_int_equal(L("\xF0\x90\x80\x80", 4), 4);  /* U+10000 */
    assert_int_equal(L("\xF4\x8F\xBF\xBF", 4), 4);  /* U+10FFFF */

    /* overlong forms */
    assert_int_equal(L("\xC0\x80", 2), 0);
    assert_int_equal(L("\xC1\xBF", 2), 0);
    assert_int_equal(L("\xE0\x80\x80", 3), 0);
    assert_int_equal(L("\xE0\x9F\xBF", 3), 0);
    assert_int_equal(L("\xF0\x80\x80\x80", 4), 0);
    assert_int_equal(L("\xF0\x8F\xBF\xBF", 4), 0);
    /* UTF-16 surrogates encoded in UTF-8 (CESU) */
    assert_int_equal(L("\xED\xA0\x80", 3), 0);
    assert_int_equal(L("\xED\xBF\xBF", 3), 0);
    /* beyond U+10FFFF, and bytes that never start a sequence */
    assert_int_equal(L("\xF4\x90\x80\x80", 4), 0);
    assert_int_equal(L("\xF5\x80\x80\x80", 4), 0);
    assert_int_equal(L("\xF8\x88\x80\x80\x80", 5), 0);
    assert_int_equal(L("\xFF", 1), 0);
    assert_int_equal(L("\x80", 1), 0);
    assert_int_equal(L("\xBF", 1), 0);
    /* bad continuation bytes */
    assert_int_equal(L("\xC3\x41", 2), 0);
    assert_int_equal(L("\xE2\x82\x41", 3), 0);
    assert_int_equal(L("\xE2\xC2\xAC", 3), 0);
    /* not enough bytes available */
    assert_int_equal(L("\xC3\xBC", 1), 0);
    assert_int_equal(L("\xE2\x82\xAC", 2), 0);
    assert_int_equal(L("\xF0\x9F\x98\x80", 3), 0);
#undef L
}

static void test_buffer_basics(void **state)
{
    struct strbuf sb;
    (void)state;
    sb_init(&sb);
    assert_int_equal(sb.len, 0);
    sb_adds(&sb, "abc");
    sb_addc(&sb, '-');
    sb_add(&sb, "xyz123", 3);
    sb_printf(&sb, "[%d:%s]", 42, "q");
    assert_string_equal(sb.buf, "abc-xyz[42:q]");
    assert_int_equal(sb.len, 13);
    sb_reset(&sb);
    assert_int_equal(sb.len, 0);
    assert_string_equal(sb.buf, "");
    /* growth across many appends keeps every byte */
    for (int i = 0; i < 100000; i++)
        sb_addc(&sb, (char)('a' + i % 26));
    assert_int_equal(sb.len, 100000);
    assert_int_equal(sb.oom, 0);
    for (int i = 0; i < 100000; i += 997)
        assert_int_equal(sb.buf[i], 'a' + i % 26);
    assert_int_equal(sb.buf[100000], '\0');
    sb_printf(&sb, "%s", "");
    assert_int_equal(sb.len, 100000);
    sb_free(&sb);
    assert_null(sb.buf);
    assert_int_equal(sb.len, 0);
}

/* A huge request sets the sticky oom flag instead of overflowing. */
static void test_oom_is_sticky(void **state)
{
    struct strbuf sb;
    (void)state;
    sb_init(&sb);
    sb_adds(&sb, "ok");
    sb_add(&sb, "x", (size_t)-1 / 2);
    assert_int_equal(sb.oom, 1);
    sb_adds(&sb, "more");
    assert_int_equal(sb.oom, 1);
    assert_int_equal(sb.len, 2);
    assert_string_equal(sb.buf, "ok");
    sb_free(&sb);
}

/* wu_strfmt: whole whatever the length; sb_detach hands the string over. */
static void test_strfmt_whole(void **state)
{
    enum { BIG = 10 * 1024 };
    char *big = malloc(BIG + 1), *s;
    struct strbuf sb;
    (void)state;

    assert_non_null(big);
    for (size_t i = 0; i < BIG; i++)
        big[i] = (char)('a' + i % 26);
    big[BIG] = '\0';
    s = wu_strfmt("<%s|%d>", big, 7);
    assert_non_null(s);
    assert_int_equal(strlen(s), BIG + 4);
    assert_memory_equal(s + 1, big, BIG);
    assert_string_equal(s + 1 + BIG, "|7>");
    free(s);
    s = wu_strfmt("%s", "");
    assert_non_null(s);
    assert_string_equal(s, "");
    free(s);

    sb_init(&sb);
    s = sb_detach(&sb);             /* nothing appended: a malloc'd "" */
    assert_non_null(s);
    assert_string_equal(s, "");
    free(s);
    sb_printf(&sb, "%s-%s", big, big);
    s = sb_detach(&sb);
    assert_non_null(s);
    assert_int_equal(strlen(s), 2 * BIG + 1);
    assert_null(sb.buf);            /* left empty, as after sb_init */
    assert_int_equal(sb.len, 0);
    free(s);
    /* out of memory: NULL, and the buffer freed */
    sb_adds(&sb, "x");
    sb_add(&sb, "x", (size_t)-1 / 2);
    assert_null(sb_detach(&sb));
    assert_null(sb.buf);
    assert_int_equal(sb.oom, 0);
    /* vsnprintf failing (a wide character the C locale cannot encode) is
     * an error too, never a silently shorter string */
    assert_null(wu_strfmt("%ls", L"\xe9"));
    sb_adds(&sb, "keep");
    sb_printf(&sb, "%s%ls", "more", L"\xe9");
    assert_int_equal(sb.oom, 1);
    assert_string_equal(sb.buf, "keep");
    sb_free(&sb);
    free(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_plain_and_escapes),
        cmocka_unit_test(test_json_utf8),
        cmocka_unit_test(test_json_output_always_valid),
        cmocka_unit_test(test_utf8_seq_len),
        cmocka_unit_test(test_buffer_basics),
        cmocka_unit_test(test_oom_is_sticky),
        cmocka_unit_test(test_strfmt_whole),
    };
    return cmocka_run_group_tests_name("strbuf", tests, NULL, NULL);
}
