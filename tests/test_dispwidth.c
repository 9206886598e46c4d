/*
 * test_dispwidth.c - cmocka tests for util/dispwidth (display columns of
 * UTF-8 text), its generated table (regenerated from Debian's unicode-data
 * and compared, skipped with a message when the data files are missing),
 * and the text report of a Japanese machine: no line with a wide character
 * is wider than 80 columns (only a single unbreakable ASCII token, a URL or
 * a path, may be).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"
#include "util/dispwidth.h"

static void test_widths(void **state)
{
    (void)state;
    assert_int_equal(dw_width("hello"), 5);
    assert_int_equal(dw_width(""), 0);
    assert_int_equal(dw_width(NULL), 0);
    assert_int_equal(dw_width("\xC3\xA9"), 1);                 /* é */
    assert_int_equal(dw_width("e\xCC\x81"), 1);                /* e + U+0301 */
    assert_int_equal(dw_width("\xE6\x97\xA5\xE6\x9C\xAC"), 4); /* 日本 */
    assert_int_equal(dw_width("\xEF\xBD\xB1"), 1);             /* ｱ U+FF71 */
    assert_int_equal(dw_width("\xEF\xBC\xA1"), 2);             /* Ａ U+FF21 */
    assert_int_equal(dw_width("\xF0\x9F\x98\x80"), 2);         /* U+1F600 */
    assert_int_equal(dw_width("\xED\x95\x9C"), 2);             /* 한 U+D55C */
    assert_int_equal(dw_width("\xE3\x81\x82\xE3\x82\xA2"), 4); /* あア */
    assert_int_equal(dw_width("\xE2\x80\xA6"), 1);             /* … */
    assert_int_equal(dw_width("a\xE2\x80\x8D" "b"), 2);        /* ZWJ */
    assert_int_equal(dw_width("\xFF" "a"), 2);                 /* bad byte: 1 */
    assert_int_equal(dw_char_width(0x1B), 0);
    assert_int_equal(dw_char_width(0x9FFF), 2);
    assert_int_equal(dw_char_width(0x20000), 2);
    assert_int_equal(dw_char_width(0x00AD), 1);
}

static void test_prefix(void **state)
{
    const char *s = "a\xE6\x97\xA5\xE6\x9C\xAC" "b";   /* a日本b: 6 columns */
    size_t w;
    (void)state;
    assert_int_equal(dw_prefix(s, strlen(s), 6, &w), strlen(s));
    assert_int_equal(w, 6);
    assert_int_equal(dw_prefix(s, strlen(s), 2, &w), 1);   /* 日 does not fit */
    assert_int_equal(w, 1);
    assert_int_equal(dw_prefix(s, strlen(s), 3, &w), 4);
    assert_int_equal(w, 3);
    assert_int_equal(dw_prefix("e\xCC\x81x", 4, 1, &w), 3); /* mark stays */
    assert_int_equal(w, 1);
    assert_int_equal(dw_prefix(s, strlen(s), 0, NULL), 0);
}

static void test_tables_sorted(void **state)
{
    (void)state;
    assert_true(dw_wide_len > 50 && dw_zero_len > 50);
    for (size_t i = 0; i < dw_wide_len; i++) {
        assert_true(dw_wide[i].lo <= dw_wide[i].hi);
        if (i > 0)
            assert_true(dw_wide[i - 1].hi + 1 < dw_wide[i].lo);
    }
    for (size_t i = 0; i < dw_zero_len; i++) {
        assert_true(dw_zero[i].lo <= dw_zero[i].hi);
        if (i > 0)
            assert_true(dw_zero[i - 1].hi + 1 < dw_zero[i].lo);
    }
}

/* util/dispwidth_table.c is what tools/gen_dispwidth.sh makes from the
 * installed Unicode data. */
static void test_table_current(void **state)
{
    const char *ucd = getenv("UNICODE_DATA");
    struct tu_run r;
    char *want;
    size_t len;
    (void)state;
    if (ucd == NULL || *ucd == '\0')
        ucd = "/usr/share/unicode";
    char *eaw = tu_path(ucd, "EastAsianWidth.txt");
    int have = tu_exists(eaw);
    free(eaw);
    if (!have) {
        print_message("SKIP: no EastAsianWidth.txt under %s (sh tools/deps.sh "
                      "--test installs unicode-data); width table not checked\n", ucd);
        skip();
    }
    char *path = tu_path(tu_src(), "util/dispwidth_table.c");
    want = tu_read_file(path, &len);
    free(path);
    assert_non_null(want);
    tu_run(&r, "sh %s/tools/gen_dispwidth.sh %s -", tu_shq(tu_src()), tu_shq(ucd));
    assert_int_equal(r.status, 0);
    if (strcmp(want, r.out) != 0)
        fail_msg("util/dispwidth_table.c is stale: run sh tools/gen_dispwidth.sh");
    free(want);
    tu_run_free(&r);
}

/* The text report of a Japanese Windows 11: wide titles wrap and cut in
 * display columns. */
static void test_japanese_report(void **state)
{
    struct tu_run r;
    (void)state;
    char *dir = tu_fmt("%s/cases/fukusuket-win11-ja", tu_data());
    char *probe = tu_path(dir, "WindowsUpdateClient-Operational.evtx");
    if (!tu_exists(probe)) {
        print_message("SKIP: no %s\n", probe);
        free(probe);
        free(dir);
        skip();
    }
    free(probe);
    char *tmp = tu_tempdir();
    char *db = tu_path(tmp, "ja.db");
    tu_run(&r, "%s --db %s import %s/*.evtx", tu_shq(tu_bin()), tu_shq(db), dir);
    assert_true(r.status <= 1);
    tu_run_free(&r);
    tu_run(&r, "%s --db %s report --each", tu_shq(tu_bin()), tu_shq(db));
    assert_int_equal(r.status, 0);

    int wide_lines = 0;
    for (char *line = r.out; line && *line;) {
        char *nl = strchr(line, '\n');
        size_t n = nl ? (size_t)(nl - line) : strlen(line);
        size_t w = dw_width_n(line, n);
        int has_wide = 0, words = 0, in_word = 0;
        for (size_t i = 0; i < n;) {
            uint32_t cp;
            i += dw_decode(line + i, n - i, &cp);
            if (dw_char_width(cp) == 2)
                has_wide = 1;
            if (cp == ' ')
                in_word = 0;
            else if (!in_word) {
                in_word = 1;
                words++;
            }
        }
        wide_lines += has_wide;
        if (w > 80 && (has_wide || words > 2))
            fail_msg("%zu columns: %.*s", w, (int)n, line);
        line = nl ? nl + 1 : NULL;
    }
    assert_true(wide_lines >= 5);
    tu_run_free(&r);
    tu_rmtree(tmp);
    free(db);
    free(tmp);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_widths),
        cmocka_unit_test(test_prefix),
        cmocka_unit_test(test_tables_sorted),
        cmocka_unit_test(test_table_current),
        cmocka_unit_test(test_japanese_report),
    };
    return cmocka_run_group_tests_name("dispwidth", tests, NULL, NULL);
}
