/*
 * test_keyset.c - cmocka tests for util/keyset.c: keys at the start and
 * the end of a range, across case, longer than the range, sharing their
 * last two bytes, ranges that are not NUL-ended, groups, and the answer of
 * ks_any / ks_groups against mem_find_ci of every key on random text.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "util/keyset.h"
#include "util/memfind.h"

static void test_basic(void **state)
{
    const char *keys[] = {"HRESULT", "Session:", "tz: +", "[SR] Cannot repair"};
    const unsigned groups[] = {1, 1, 2, 4};
    struct keyset *ks = ks_new(keys, groups, 4);
    const char *s;
    (void)state;

    assert_non_null(ks);
    s = "Failed [hresult = 0x800f081f]";
    assert_int_equal(ks_any(ks, s, strlen(s)), 1);
    assert_int_equal(ks_groups(ks, s, strlen(s)), 1);
    s = "HRESULT";                              /* the whole range */
    assert_int_equal(ks_any(ks, s, strlen(s)), 1);
    assert_int_equal(ks_any(ks, s, 6), 0);      /* the range ends inside it */
    s = "build 7.6, tz: +0530 Session: x";
    assert_int_equal(ks_groups(ks, s, strlen(s)), 3);
    s = "tz: 0530 and tz: -0100";               /* "tz: -" is no key */
    assert_int_equal(ks_any(ks, s, strlen(s)), 0);
    s = "00000334 [SR] Cannot repair member file";
    assert_int_equal(ks_groups(ks, s, strlen(s)), 4);
    s = "[SR] Cannot repai";
    assert_int_equal(ks_any(ks, s, strlen(s)), 0);
    assert_int_equal(ks_any(ks, "", 0), 0);
    assert_int_equal(ks_any(ks, "abc", 3), 0);
    /* not NUL-ended: nothing past the range is read as part of it */
    char buf[8] = {'x', 'H', 'R', 'E', 'S', 'U', 'L', 'T'};
    assert_int_equal(ks_any(ks, buf, 7), 0);
    assert_int_equal(ks_any(ks, buf, 8), 1);
    ks_free(ks);

    /* a key shorter than 2 bytes, or none at all, is refused */
    const char *bad[] = {"ab", "x"};
    assert_null(ks_new(bad, NULL, 2));
    assert_null(ks_new(bad, NULL, 0));
    ks_free(NULL);
}

static void test_shared_tails(void **state)
{
    /* keys whose first m bytes end alike are compared one after another */
    const char *keys[] = {"800f0805", "800f080d", "800f081f", "800f0906", "80073712"};
    const unsigned groups[] = {1, 2, 4, 8, 16};
    struct keyset *ks = ks_new(keys, groups, 5);
    const char *s = "codes 800F0906 then 800f080D, not 800f0807";
    (void)state;
    assert_non_null(ks);
    assert_int_equal(ks_groups(ks, s, strlen(s)), 2 | 8);
    ks_free(ks);
}

/* random text over a small alphabet, so keys occur often */
static void test_against_memfind(void **state)
{
    static const char alpha[] = "abAB: +-0";
    char text[64], key[8][8];
    const char *keys[8];
    unsigned groups[8];
    (void)state;

    srand(19);
    for (int round = 0; round < 3000; round++) {
        size_t nk = 1 + (size_t)rand() % 8, n = (size_t)rand() % sizeof text;
        for (size_t k = 0; k < nk; k++) {
            size_t len = 2 + (size_t)rand() % 5;
            for (size_t i = 0; i < len; i++)
                key[k][i] = alpha[rand() % (int)(sizeof alpha - 1)];
            key[k][len] = '\0';
            keys[k] = key[k];
            groups[k] = 1u << k;
        }
        for (size_t i = 0; i < n; i++)
            text[i] = alpha[rand() % (int)(sizeof alpha - 1)];
        struct keyset *ks = ks_new(keys, groups, nk);
        assert_non_null(ks);
        unsigned want = 0;
        for (size_t k = 0; k < nk; k++)
            if (mem_find_ci(text, n, keys[k]))
                want |= groups[k];
        assert_int_equal(ks_any(ks, text, n), want != 0);
        assert_int_equal(ks_groups(ks, text, n), want);
        ks_free(ks);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic),
        cmocka_unit_test(test_shared_tails),
        cmocka_unit_test(test_against_memfind),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
