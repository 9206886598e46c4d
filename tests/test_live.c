/*
 * test_live.c - the portable parts of live collection, on Linux: the XPath
 * filters EvtQuery gets, service start-type and state decoding, REG_MULTI_SZ
 * counting, bookmarks and facts kept in the store, and `collect` refusing
 * politely where there is no Windows.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"
#include "collector/live.h"
#include "vocab/model.h"
#include "store/store.h"
#include "vocab/event.h"

static void test_xpath_system(void **state)
{
    char buf[2048];
    (void)state;
    assert_int_equal(live_build_xpath(buf, sizeof buf, &live_channels[0], 30), 0);
    assert_string_equal(live_channels[0].channel, "System");
    assert_non_null(strstr(buf, "*[System[Provider[@Name='Microsoft-Windows-WindowsUpdateClient'"
                                " or @Name='Service Control Manager'"));
    assert_non_null(strstr(buf, " and TimeCreated[timediff(@SystemTime) <= 2592000000]]]"));
    /* balanced brackets */
    int depth = 0;
    for (const char *p = buf; *p; p++) {
        depth += *p == '[';
        depth -= *p == ']';
        assert_true(depth >= 0);
    }
    assert_int_equal(depth, 0);
}

static void test_xpath_no_bound(void **state)
{
    char buf[2048];
    const struct live_channel all = {"Microsoft-Windows-Bits-Client/Operational", 0};
    (void)state;
    assert_int_equal(live_build_xpath(buf, sizeof buf, &all, 0), 0);
    assert_string_equal(buf, "*");
    assert_int_equal(live_build_xpath(buf, sizeof buf, &all, 7), 0);
    assert_string_equal(buf, "*[System[TimeCreated[timediff(@SystemTime) <= 604800000]]]");
    /* providers without a time bound (a bookmark takes over) */
    assert_int_equal(live_build_xpath(buf, sizeof buf, &live_channels[0], 0), 0);
    assert_null(strstr(buf, "TimeCreated"));
    assert_int_equal(buf[strlen(buf) - 1], ']');
}

static void test_xpath_too_small(void **state)
{
    char buf[40];
    (void)state;
    assert_int_equal(live_build_xpath(buf, sizeof buf, &live_channels[0], 30), -1);
    assert_int_equal(live_build_xpath(buf, 0, &live_channels[0], 30), -1);
}

static void test_start_types(void **state)
{
    (void)state;
    assert_string_equal(live_start_type(2, 0, 0), "auto");
    assert_string_equal(live_start_type(2, 1, 0), "delayed-auto");
    assert_string_equal(live_start_type(3, 0, 0), "demand");
    assert_string_equal(live_start_type(3, 0, 1), "demand-trigger");
    assert_string_equal(live_start_type(4, 0, 0), "disabled");
    assert_string_equal(live_start_type(0, 0, 0), "boot");
    assert_string_equal(live_start_type(1, 0, 0), "system");
    assert_string_equal(live_start_type(99, 0, 0), "unknown");
    assert_string_equal(live_state(1), "stopped");
    assert_string_equal(live_state(4), "running");
    assert_string_equal(live_state(7), "paused");
    assert_string_equal(live_state(0), "unknown");
    assert_string_equal(live_state(1000), "unknown");
}

static void test_multi_sz(void **state)
{
    /* "\??\C:\a" "" "b" "\0" in UTF-16LE: two strings then the end */
    static const unsigned char two[] = {'a', 0, 0, 0, 'b', 0, 'c', 0, 0, 0, 0, 0};
    static const unsigned char none[] = {0, 0};
    static const unsigned char unterminated[] = {'x', 0, 'y', 0};
    (void)state;
    assert_int_equal(live_multi_sz_count(two, sizeof two), 2);
    assert_int_equal(live_multi_sz_count(none, sizeof none), 0);
    assert_int_equal(live_multi_sz_count(none, 0), 0);
    assert_int_equal(live_multi_sz_count(unterminated, sizeof unterminated), 1);
    assert_int_equal(live_multi_sz_count(two, 3), 1);   /* odd length: cut */
}

static void test_bookmarks_and_facts(void **state)
{
    char *dir = tu_tempdir(), *db = tu_path(dir, "b.db");
    struct store *st = NULL;
    struct wu_stats stats = {0, 0, 0, 0, 0};
    char err[256];
    (void)state;

    assert_int_equal(store_open(db, 0, &st, err, sizeof err), STORE_OK);
    assert_null(store_get_bookmark(st, "PC1", "System"));
    /* outside a run nothing is written */
    assert_int_not_equal(store_set_bookmark(st, "PC1", "System", "<x/>"), STORE_OK);

    assert_int_equal(store_run_begin(st, "collect", "live", "PC1", err, sizeof err), 0);
    assert_int_equal(store_set_bookmark(st, "PC1", "System", "<BookmarkList>1</BookmarkList>"), 0);
    assert_int_equal(store_add_fact(st, "PC1", "os", "Windows 11 Pro 23H2, build 22631.4460"), 0);
    assert_int_equal(store_add_fact(st, "PC1", "reboot_pending", "no"), 0);
    /* an aborted run takes its bookmark with it */
    store_run_abort(st);
    assert_null(store_get_bookmark(st, "PC1", "System"));

    assert_int_equal(store_run_begin(st, "collect", "live", "PC1", err, sizeof err), 0);
    assert_int_equal(store_set_bookmark(st, "PC1", "System", "<BookmarkList>1</BookmarkList>"), 0);
    assert_int_equal(store_add_fact(st, "PC1", "os", "Windows 11 Pro 23H2, build 22631.4460"), 0);
    assert_int_equal(store_run_end(st, &stats, NULL, 0, err, sizeof err), 0);
    char *bm = store_get_bookmark(st, "PC1", "System");
    assert_non_null(bm);
    assert_string_equal(bm, "<BookmarkList>1</BookmarkList>");
    free(bm);

    /* a later run moves it */
    assert_int_equal(store_run_begin(st, "collect", "live", "PC1", err, sizeof err), 0);
    assert_int_equal(store_set_bookmark(st, "PC1", "System", "<BookmarkList>2</BookmarkList>"), 0);
    assert_int_equal(store_run_end(st, &stats, NULL, 0, err, sizeof err), 0);
    bm = store_get_bookmark(st, "PC1", "System");
    assert_string_equal(bm, "<BookmarkList>2</BookmarkList>");
    free(bm);
    assert_null(store_get_bookmark(st, "PC2", "System"));
    store_close(st);

    assert_int_equal(tu_sql_int(db, "SELECT count(*) FROM bookmarks"), 1);
    assert_int_equal(tu_sql_int(db, "SELECT count(*) FROM facts WHERE name = 'os'"), 1);
    free(db);
    tu_rmtree(dir);
    free(dir);
}

static void test_collect_not_windows(void **state)
{
    struct tu_run r;
    char *dir = tu_tempdir(), *db = tu_path(dir, "c.db");
    (void)state;
    tu_run(&r, "%s --db %s collect", tu_bin(), tu_shq(db));
    tu_assert_exit(&r, 2);
    assert_non_null(strstr(r.err, "only on Windows"));
    assert_int_equal(tu_count_lines(r.err), 1);
    tu_run_free(&r);
    tu_run(&r, "%s --db %s collect --days x", tu_bin(), tu_shq(db));
    tu_assert_exit(&r, 2);
    tu_run_free(&r);
    /* no arguments: usage (the double-click mode is Windows-only) */
    tu_run(&r, "%s", tu_bin());
    tu_assert_exit(&r, 2);
    assert_non_null(strstr(r.err, "usage:"));
    tu_run_free(&r);
    free(db);
    tu_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xpath_system),
        cmocka_unit_test(test_xpath_no_bound),
        cmocka_unit_test(test_xpath_too_small),
        cmocka_unit_test(test_start_types),
        cmocka_unit_test(test_multi_sz),
        cmocka_unit_test(test_bookmarks_and_facts),
        cmocka_unit_test(test_collect_not_windows),
    };
    return cmocka_run_group_tests_name("live", tests, NULL, NULL);
}
