/*
 * test_safetext.c - the text-safe writer (util/safetext.c) and the CSV
 * field writer that uses it (util/csv.c): every terminal control, C1
 * control and bidi control becomes U+FFFD, TAB/LF stay (or become spaces
 * on one line), invalid UTF-8 is repaired, ordinary text of any script is
 * untouched; CSV fields are quoted per RFC 4180 and formulas defused with
 * a leading quote, plain numbers left alone.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"
#include "util/csv.h"
#include "util/safetext.h"

#define R "\xEF\xBF\xBD"            /* U+FFFD */

static void expect_safe(const char *in, size_t len, unsigned flags, const char *want)
{
    struct strbuf sb;
    sb_init(&sb);
    safetext_add(&sb, in, len, flags);
    assert_int_equal(sb.oom, 0);
    const char *got = sb.buf ? sb.buf : "";
    if (sb.len != strlen(want) || memcmp(got, want, sb.len) != 0)
        fail_msg("safetext(%zu bytes, flags %u) = \"%s\", expected \"%s\"", len, flags,
                 got, want);
    sb_free(&sb);
}

#define SAFE(in, flags, want) expect_safe(in, sizeof in - 1, flags, want)

static void test_attacks_neutralised(void **state)
{
    (void)state;
    /* OSC title set, clear screen, SGR, C1 CSI, bidi override */
    SAFE("\x1b]0;pwned\x07", 0, R "]0;pwned" R);
    SAFE("\x1b[2J\x1b[H", 0, R "[2J" R "[H");
    SAFE("a\xC2\x9B" "31mred", 0, "a" R "31mred");
    SAFE("invoice\xE2\x80\xAEtxt.exe", 0, "invoice" R "txt.exe");
    /* every bidi control of the list, and the NUL byte of a counted string */
    SAFE("\xE2\x80\xAA\xE2\x80\xAB\xE2\x80\xAC\xE2\x80\xAD", 0, R R R R);
    SAFE("\xE2\x81\xA6\xE2\x81\xA7\xE2\x81\xA8\xE2\x81\xA9", 0, R R R R);
    SAFE("\xE2\x80\x8E\xE2\x80\x8F\xD8\x9C", 0, R R R);
    SAFE("a\0b", 0, "a" R "b");
    /* every C0 but TAB and LF, DEL, every C1 */
    for (int c = 1; c < 0x20; c++) {
        char in[2] = {(char)c, 0};
        expect_safe(in, 1, 0, c == '\t' || c == '\n' ? in : R);
    }
    SAFE("\x7f", 0, R);
    for (int c = 0x80; c < 0xA0; c++) {
        char in[3] = {(char)0xC2, (char)c, 0};
        expect_safe(in, 2, 0, R);
    }
    /* invalid UTF-8: one U+FFFD per bad byte; a truncated sequence at the end */
    SAFE("\xff\xfe" "x", 0, R R "x");
    SAFE("\xed\xa0\x80", 0, R R R);             /* a surrogate */
    SAFE("ok\xe2\x82", 0, "ok" R R);
}

static void test_text_kept(void **state)
{
    (void)state;
    SAFE("plain ASCII, punctuation ~!@#$%^&*()", 0, "plain ASCII, punctuation ~!@#$%^&*()");
    SAFE("Mise \xC3\xA0 jour \xE6\x9B\xB4\xE6\x96\xB0 \xD8\xAA\xD8\xAD\xD8\xAF\xD9\x8A\xD8\xAB", 0,
         "Mise \xC3\xA0 jour \xE6\x9B\xB4\xE6\x96\xB0 \xD8\xAA\xD8\xAD\xD8\xAF\xD9\x8A\xD8\xAB");
    SAFE("\xC2\xA0\xE2\x80\x94\xE2\x80\xA6\xF0\x9F\x98\x80", 0,      /* NBSP, dash, ..., emoji */
         "\xC2\xA0\xE2\x80\x94\xE2\x80\xA6\xF0\x9F\x98\x80");
    SAFE("\xE2\x80\x8D\xE2\x80\xAF", 0, "\xE2\x80\x8D\xE2\x80\xAF"); /* ZWJ, narrow NBSP */
    SAFE("a\tb\nc", 0, "a\tb\nc");
    SAFE("a\tb\nc\rd", SAFETEXT_ONELINE, "a b c d");
    SAFE("a\r\nb", SAFETEXT_KEEP_CR, "a\r\nb");
    SAFE("a\r\nb", 0, "a" R "\nb");
}

static void test_check(void **state)
{
    (void)state;
    assert_int_equal(safetext_check("DESKTOP-2KGM189", 15), SAFETEXT_OK);
    assert_int_equal(safetext_check("h\xC3\xB4te.corp", 10), SAFETEXT_OK);
    assert_int_equal(safetext_check("EVIL\0ABC", 8), SAFETEXT_NUL);
    assert_int_equal(safetext_check("a\x1b]0;x", 6), SAFETEXT_CONTROL);
    assert_int_equal(safetext_check("a\tb", 3), SAFETEXT_CONTROL);
    assert_int_equal(safetext_check("a\xC2\x9B", 3), SAFETEXT_CONTROL);
    assert_int_equal(safetext_check("a\xE2\x80\xAE", 4), SAFETEXT_BIDI);
    assert_int_equal(safetext_check("a\xff", 2), SAFETEXT_BAD_UTF8);
    assert_string_equal(safetext_problem_name(SAFETEXT_NUL), "a NUL byte");
}

static void test_printf_and_write(void **state)
{
    (void)state;
    char *dir = tu_tempdir(), *p = tu_path(dir, "out.txt");
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    assert_int_equal(safetext_printf(f, "%s: %d\n", "host\x1b[2J", 7), 0);
    assert_int_equal(safetext_write(f, "x\xE2\x80\xAEy\n", 6, 0), 0);
    assert_int_equal(fclose(f), 0);
    char *got = tu_read_file(p, NULL);
    assert_string_equal(got, "host" R "[2J: 7\nx" R "y\n");
    free(got);
    tu_rmtree(dir);
    free(p);
    free(dir);
}

static void expect_csv(const char *in, const char *want)
{
    struct strbuf sb;
    sb_init(&sb);
    csv_field(&sb, in);
    assert_int_equal(sb.oom, 0);
    const char *got = sb.buf ? sb.buf : "";
    if (strcmp(got, want) != 0)
        fail_msg("csv_field(\"%s\") = [%s], expected [%s]", in ? in : "NULL", got, want);
    sb_free(&sb);
}

static void test_csv(void **state)
{
    (void)state;
    expect_csv(NULL, "");
    expect_csv("", "");
    expect_csv("plain", "plain");
    expect_csv("a,b", "\"a,b\"");
    expect_csv("say \"hi\"", "\"say \"\"hi\"\"\"");
    expect_csv("two\r\nlines", "\"two\r\nlines\"");
    expect_csv("\xff" "x", R "x");
    /* formulas (OWASP CSV injection): a leading quote, inside the quotes */
    expect_csv("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"");
    expect_csv("=cmd|'/c calc'!A1", "'=cmd|'/c calc'!A1");
    expect_csv("@SUM(A1)", "'@SUM(A1)");
    expect_csv("+1+1", "'+1+1");
    expect_csv("-2+3", "'-2+3");
    expect_csv("\tTAB", "'\tTAB");
    expect_csv("\r=1", "\"'\r=1\"");
    expect_csv("-", "'-");
    expect_csv("a=b", "a=b");               /* only a leading sign counts */
    /* plain numbers stay numbers */
    expect_csv("-5", "-5");
    expect_csv("+3", "+3");
    expect_csv("-0.25", "-0.25");
    expect_csv("42", "42");
    expect_csv("-1e5", "'-1e5");            /* not a plain number */
    expect_csv("-5.", "'-5.");
    assert_int_equal(csv_is_formula("=1"), 1);
    assert_int_equal(csv_is_formula("-12"), 0);
    assert_int_equal(csv_is_formula(""), 0);
    assert_int_equal(csv_is_formula(NULL), 0);
    /* terminal and bidi controls in a field */
    expect_csv("a\x1b]0;pwned\x07z", "a" R "]0;pwned" R "z");
    expect_csv("\xE2\x80\xAE" "exe", R "exe");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_attacks_neutralised),
        cmocka_unit_test(test_text_kept),
        cmocka_unit_test(test_check),
        cmocka_unit_test(test_printf_and_write),
        cmocka_unit_test(test_csv),
    };
    return cmocka_run_group_tests_name("safetext", tests, NULL, NULL);
}
