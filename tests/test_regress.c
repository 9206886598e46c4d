/*
 * test_regress.c - replay every input the fuzzers ever failed on (the
 * files in tests/regress/TARGET/) and every fuzz seed (fuzz/corpus/TARGET/)
 * through the same entry points and checks as `make fuzz`: the fuzz
 * targets are compiled in here with FUZZ_NO_MAIN, so a failed check is a
 * test failure and ASan/UBSan (make SANITIZE=1 test) catch what the
 * fuzzer caught.  The real .evtx logs go through fuzz_evtx too.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include <dirent.h>

#define FUZZ_NO_MAIN
#include "../fuzz/fuzz_code.c"
#include "../fuzz/fuzz_evtx.c"
#include "../fuzz/fuzz_html.c"
#include "../fuzz/fuzz_peek.c"
#include "../fuzz/fuzz_script.c"
#include "../fuzz/fuzz_redact.c"
#include "../fuzz/fuzz_textlog.c"
#include "../fuzz/fuzz_xml.c"

typedef int (*fuzz_fn)(const uint8_t *data, size_t size);

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Run fn on every regular file in dir (sorted); returns how many. */
static int replay_dir(const char *dir, fuzz_fn fn)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char **names = NULL;
    size_t n = 0, cap = 0;

    if (!d)
        return 0;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            names = realloc(names, cap * sizeof *names);
            if (!names)
                fail_msg("out of memory");
        }
        names[n++] = tu_path(dir, de->d_name);
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, by_name);
    int count = 0;
    for (size_t i = 0; i < n; i++) {
        struct stat sb;
        if (stat(names[i], &sb) != 0 || !S_ISREG(sb.st_mode)) {
            free(names[i]);
            continue;
        }
        size_t len;
        char *data = tu_read_file(names[i], &len);
        print_message("  %s (%zu bytes)\n", names[i], len);
        fn((const uint8_t *)data, len);
        free(data);
        free(names[i]);
        count++;
    }
    free(names);
    return count;
}

/* The kept crashes and the seeds of one target; at least one input. */
static void replay(const char *target, fuzz_fn fn)
{
    char *regress = tu_fmt("%s/tests/regress/%s", tu_src(), target);
    char *corpus = tu_fmt("%s/fuzz/corpus/%s", tu_src(), target);
    int n = replay_dir(regress, fn) + replay_dir(corpus, fn);
    if (n == 0)
        fail_msg("no inputs for %s in %s or %s", target, regress, corpus);
    free(regress);
    free(corpus);
}

static void test_code(void **state)
{
    (void)state;
    replay("fuzz_code", fuzz_code);
}

static void test_xml(void **state)
{
    (void)state;
    replay("fuzz_xml", fuzz_xml);
    /* and the XML fixtures of the other tests */
    char *xml = tu_fmt("%s/samples/xml", tu_src());
    char *rep = tu_fmt("%s/samples/report", tu_src());
    assert_true(replay_dir(xml, fuzz_xml) > 0);
    assert_true(replay_dir(rep, fuzz_xml) > 0);
    free(xml);
    free(rep);
}

static void test_textlog(void **state)
{
    (void)state;
    replay("fuzz_textlog", fuzz_textlog);
    char *tl = tu_fmt("%s/samples/textlog", tu_src());
    replay_dir(tl, fuzz_textlog);
    free(tl);
}

static void test_redact(void **state)
{
    (void)state;
    replay("fuzz_redact", fuzz_redact);
    char *rd = tu_fmt("%s/samples/redact", tu_src());
    assert_true(replay_dir(rd, fuzz_redact) > 0);
    free(rd);
}

static void test_html(void **state)
{
    (void)state;
    replay("fuzz_html", fuzz_html);
}

static void test_script(void **state)
{
    (void)state;
    replay("fuzz_script", fuzz_script);
}

static void test_evtx(void **state)
{
    (void)state;
    replay("fuzz_evtx", fuzz_evtx);
    /* the real logs, through the same checks */
    char *dir = tu_path(tu_data(), "evtx");
    long events = 0;
    char *p = tu_path(dir, "system-win10-2017.evtx");
    assert_int_equal(fe_read_file(p, &events), SRC_OK);
    assert_true(events > 0);
    free(p);
    p = tu_path(dir, "corrupt-bad-chunk-magic.evtx");
    assert_int_equal(fe_read_file(p, &events), SRC_PARTIAL);
    free(p);
    free(dir);
}

static void test_peek(void **state)
{
    static const char *const logs[] = {
        "system-win10-2017.evtx", "system-win7-2012.evtx",
    };
    (void)state;
    replay("fuzz_peek", fuzz_peek);
    /* the first chunks of the real logs, through the same checks */
    for (size_t i = 0; i < sizeof logs / sizeof logs[0]; i++) {
        char *p = tu_fmt("%s/evtx/%s", tu_data(), logs[i]);
        FILE *fp = fopen(p, "rb");
        unsigned char *buf = malloc(4096 + 2 * 65536);
        assert_non_null(fp);
        assert_non_null(buf);
        assert_int_equal(fread(buf, 1, 4096 + 2 * 65536, fp), 4096 + 2 * 65536);
        fuzz_peek(buf + 4096, 65536);
        fuzz_peek(buf + 4096 + 65536, 65536);
        fclose(fp);
        free(buf);
        free(p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_code),
        cmocka_unit_test(test_xml),
        cmocka_unit_test(test_textlog),
        cmocka_unit_test(test_html),
        cmocka_unit_test(test_script),
        cmocka_unit_test(test_redact),
        cmocka_unit_test(test_evtx),
        cmocka_unit_test(test_peek),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
