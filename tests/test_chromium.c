/*
 * test_chromium.c - the HTML report of the shared sample logs as a browser
 * sees it: headless Chromium (Debian's chromium) dumps the DOM after parsing
 * and takes a screenshot.  Checks that the findings, the fix and the SVG
 * chart are in the DOM, and that nothing from the logs became markup.
 *
 * WUDIAG_SHOT, when set, is where the screenshot is kept (docs/ uses one).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#define CHROMIUM_FLAGS                                                          \
    "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run "      \
    "--disable-background-networking --disable-component-update --disable-sync"

static const char *chromium(void)
{
    static const char *const names[] = {"/usr/bin/chromium", "/usr/bin/chromium-browser"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (tu_exists(names[i]))
            return names[i];
    fail_msg("chromium not installed (apt-get install chromium; tools/deps.sh does)");
    return NULL;
}

static void test_html_in_chromium(void **state)
{
    (void)state;
    const char *browser = chromium();
    char *dir = tu_tempdir();
    char *db = tu_path(dir, "t.db"), *html = tu_path(dir, "r.html");
    char *profile = tu_path(dir, "profile");
    const char *shot_env = getenv("WUDIAG_SHOT");
    char *shot = shot_env && *shot_env ? tu_strdup(shot_env) : tu_path(dir, "shot.png");
    struct tu_run r;

    tu_run(&r, "%s --db %s import %s/evtx/system-win10-2017.evtx", tu_bin(), tu_shq(db),
           tu_shq(tu_data()));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    tu_run(&r, "SOURCE_DATE_EPOCH=1767225600 %s --db %s report --host DESKTOP-2KGM189 "
           "--format html -o %s", tu_bin(), tu_shq(db), tu_shq(html));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);

    tu_run(&r, "timeout 120 %s " CHROMIUM_FLAGS " --user-data-dir=%s --dump-dom "
           "file://%s", browser, tu_shq(profile), html);
    tu_assert_exit(&r, 0);
    /* the parsed DOM: findings with their fix, the chart, the tables */
    assert_non_null(strstr(r.out, "Verdict: critical"));
    assert_non_null(strstr(r.out, "id=\"finding-1\""));
    assert_non_null(strstr(r.out, "0x80248007"));
    assert_non_null(strstr(r.out, "WU_E_DS_NODATA"));
    assert_non_null(strstr(r.out, "SoftwareDistribution.old"));
    assert_non_null(strstr(r.out, "<svg"));
    assert_non_null(strstr(r.out, "class=\"bar\""));
    assert_non_null(strstr(r.out, "id=\"services\""));
    assert_non_null(strstr(r.out, "id=\"coverage\""));
    /* nothing from the logs turned into elements a report must not have */
    assert_null(strstr(r.out, "<script"));
    assert_null(strstr(r.out, "<iframe"));
    assert_null(strstr(r.out, "Spooler"));
    tu_run_free(&r);

    tu_run(&r, "rm -f %s; timeout 120 %s " CHROMIUM_FLAGS " --user-data-dir=%s "
           "--window-size=1100,1800 --screenshot=%s file://%s", tu_shq(shot), browser,
           tu_shq(profile), tu_shq(shot), html);
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    size_t len = 0;
    char *png = tu_read_file(shot, &len);
    assert_true(len > 10000);
    assert_memory_equal(png, "\x89PNG", 4);
    free(png);

    free(db);
    free(html);
    free(profile);
    free(shot);
    tu_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_html_in_chromium),
    };
    return cmocka_run_group_tests_name("chromium", tests, NULL, NULL);
}
