/*
 * test_memfind.c - cmocka tests for util/memfind.c: matches at the start,
 * the end and across case, needles longer than the range, ranges that are
 * not NUL-ended, and a case-insensitive scan whose two first-letter
 * streams leapfrog each other.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "util/memfind.h"

static void test_exact(void **state)
{
    const char s[] = "abcabcabd";
    (void)state;
    assert_ptr_equal(mem_find(s, 9, "abd"), s + 6);
    assert_ptr_equal(mem_find(s, 9, "abc"), s);
    assert_ptr_equal(mem_find(s, 9, ""), s);
    assert_null(mem_find(s, 8, "abd"));         /* the range ends before the match */
    assert_null(mem_find(s, 2, "abc"));
    assert_null(mem_find(s, 9, "ABD"));
    assert_null(mem_find(s, 0, "a"));
    /* not NUL-ended: the byte after the range is never read as part of it */
    char buf[4] = {'x', 'y', 'z', 'q'};
    assert_null(mem_find(buf, 3, "zq"));
    assert_ptr_equal(mem_find(buf, 4, "zq"), buf + 2);
}

static void test_ignoring_case(void **state)
{
    const char s[] = "Loaded Servicing Stack v10.0";
    (void)state;
    assert_ptr_equal(mem_find_ci(s, strlen(s), "servicing stack"), s + 7);
    assert_ptr_equal(mem_find_ci(s, strlen(s), "LOADED"), s);
    assert_ptr_equal(mem_find_ci(s, strlen(s), "V10.0"), s + 23);
    assert_null(mem_find_ci(s, strlen(s), "v10.1"));
    assert_null(mem_find_ci(s, 5, "loaded"));
    /* first letters of both cases that fail, in turn, before the match */
    const char t[] = "sSsSsStack sTaCk";
    assert_ptr_equal(mem_find_ci(t, strlen(t), "stack"), t + 5);
    assert_ptr_equal(mem_find_ci(t + 6, strlen(t) - 6, "stack"), t + 11);
    /* a first byte that is no letter, and bytes above ASCII matched exactly */
    const char u[] = "x [SR] y";
    assert_ptr_equal(mem_find_ci(u, 8, "[sr]"), u + 2);
    const char w[] = "gr\xc3\xbc\xc3\x9f";
    assert_ptr_equal(mem_find_ci(w, strlen(w), "\xc3\xbc"), w + 2);
    assert_null(mem_find_ci(w, strlen(w), "\xc3\x9c"));
}

/* A long range of near misses: both streams restart past each candidate. */
static void test_long_near_misses(void **state)
{
    static char s[1 << 16];
    (void)state;
    for (size_t i = 0; i < sizeof s; i++)
        s[i] = (i % 2) ? 'h' : 'H';
    memcpy(s + sizeof s - 5, "hTtP:", 5);
    assert_ptr_equal(mem_find_ci(s, sizeof s, "http:"), s + sizeof s - 5);
    assert_null(mem_find_ci(s, sizeof s - 1, "http:"));
    assert_ptr_equal(mem_find(s, sizeof s, "hTtP:"), s + sizeof s - 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact),
        cmocka_unit_test(test_ignoring_case),
        cmocka_unit_test(test_long_near_misses),
    };
    return cmocka_run_group_tests_name("memfind", tests, NULL, NULL);
}
