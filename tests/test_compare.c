/*
 * test_compare.c - `wudiag compare` end to end on a before/after pair.
 *
 * samples/compare/before.xml (host PC-COMPARE): wuauserv set to disabled
 * (7040 demand -> disabled, 7036 stopped), then scans failing with
 * 0x80070422 on three days and one install failing with it: critical.
 * samples/compare/after.xml is the re-export after the fix: the same
 * events, then wuauserv back to demand start and running, a successful
 * scan and the install of KB5053598.  Imported as run 1 and run 2, the
 * comparison must show the service finding cleared, the start type
 * disabled -> demand, the first successful install, and critical ->
 * healthy, in text (80 columns), JSON (parsed by python3: an independent
 * oracle) and HTML (the cleared row, no markup from the data).  Dates work
 * as points too; one run alone gives the documented error; a worse after
 * point says so and --check exits with its verdict; --redact leaves no host
 * name; bad points are refused with exit 2.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"
#include "util/dispwidth.h"

#define EPOCH "1767225600"                  /* 2026-01-01 00:00:00 UTC */
#define BEFORE_XML "samples/compare/before.xml"
#define AFTER_XML  "samples/compare/after.xml"

static void import_rel(const char *db, const char *rel)
{
    struct tu_run r;
    free(tu_src_file(rel));
    tu_run(&r, "cd %s && %s --db %s import %s", tu_shq(tu_src()), tu_shq(tu_bin()),
           tu_shq(db), tu_shq(rel));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
}

static int setup(void **state)
{
    return tu_fx_setup_named(state, "cmp.db");
}

/* The pair: before.xml as run 1, after.xml as run 2. */
static int setup_pair(void **state)
{
    if (setup(state) != 0)
        return -1;
    struct tu_fx *f = *state;
    import_rel(f->db, BEFORE_XML);
    import_rel(f->db, AFTER_XML);
    return 0;
}


static int compare(struct tu_run *r, const char *db, const char *args)
{
    return tu_run(r, "cd %s && env -u NO_COLOR SOURCE_DATE_EPOCH=" EPOCH
                  " %s --db %s compare %s", tu_shq(tu_src()), tu_shq(tu_bin()),
                  tu_shq(db), args);
}

static void must_have(const struct tu_run *r, const char *what)
{
    if (!strstr(r->out, what)) {
        tu_run_dump(r);
        fail_msg("compare output lacks \"%s\"", what);
    }
}

static void must_not_have(const struct tu_run *r, const char *what)
{
    if (strstr(r->out, what) || strstr(r->err, what)) {
        tu_run_dump(r);
        fail_msg("compare output has \"%s\"", what);
    }
}

/* Every line at most 80 display columns. */
static void assert_80_columns(const char *s)
{
    const char *p = s;
    int line = 1;
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        size_t w = dw_width_n(p, n);
        if (w > 80)
            fail_msg("line %d is %zu columns: %.*s", line, w, (int)n, p);
        if (!e)
            break;
        p = e + 1;
        line++;
    }
}

/* The text of the section starting at heading, up to the next blank line. */
static char *section(const char *s, const char *heading)
{
    const char *p = strstr(s, heading);
    if (!p)
        fail_msg("no section \"%s\" in:\n%s", heading, s);
    const char *e = strstr(p, "\n\n");
    size_t n = e ? (size_t)(e - p) : strlen(p);
    char *out = malloc(n + 1);
    if (!out)
        fail_msg("out of memory");
    memcpy(out, p, n);
    out[n] = '\0';
    return out;
}

static void test_runs_listed(void **state)
{
    struct tu_fx *f = *state;
    struct tu_run r;
    compare(&r, f->db, "--list");
    tu_assert_exit(&r, 0);
    must_have(&r, "Runs of PC-COMPARE");
    must_have(&r, BEFORE_XML);
    must_have(&r, AFTER_XML);
    tu_run_free(&r);
}

static void test_text_pair(void **state)
{
    struct tu_fx *f = *state;
    struct tu_run r;
    compare(&r, f->db, "");             /* default: the last two runs */
    tu_assert_exit(&r, 0);
    must_have(&r, "Host:       PC-COMPARE");
    must_have(&r, "Before:     run 1 (import, " BEFORE_XML);
    must_have(&r, "After:      run 2 (import, " AFTER_XML);
    must_have(&r, "VERDICT: CRITICAL -> HEALTHY - better: 3 cleared, 0 new, 0 still open");
    char *cleared = section(r.out, "CLEARED");
    if (!strstr(cleared, "Windows Update service (wuauserv) is disabled") ||
        !strstr(cleared, "service-disabled~wuauserv") ||
        !strstr(cleared, "scan-failures~0x80070422"))
        fail_msg("the cleared section lacks the service finding:\n%s", cleared);
    free(cleared);
    char *fresh = section(r.out, "NEW (");
    if (!strstr(fresh, "None."))
        fail_msg("nothing is new after the fix:\n%s", fresh);
    free(fresh);
    char *svc = section(r.out, "UPDATE SERVICES");
    if (!strstr(svc, "* wuauserv") || !strstr(svc, "stopped -> running") ||
        !strstr(svc, "disabled -> demand"))
        fail_msg("the service section lacks wuauserv's changes:\n%s", svc);
    free(svc);
    must_have(&r, "events after 2026-03-13 09:00:00 UTC");
    must_have(&r, "First successful install: 2026-03-14 10:40:00 UTC, 2026-03 Cumulative");
    must_have(&r, "First successful scan:    2026-03-14 10:05:00 UTC");
    must_have(&r, "5 events, 0 failures, 1 successful install");
    assert_80_columns(r.out);
    if (strchr(r.out, '\033'))
        fail_msg("escape sequence in text written to a file");
    tu_run_free(&r);

    /* the same points named explicitly give the same output */
    struct tu_run r2, r3;
    compare(&r2, f->db, "--before 1 --after 2");
    compare(&r3, f->db, "");
    tu_assert_exit(&r2, 0);
    assert_string_equal(r2.out, r3.out);
    tu_run_free(&r2);
    tu_run_free(&r3);
}

static void test_json_pair(void **state)
{
    struct tu_fx *f = *state;
    struct tu_run r;
    char *json = tu_path(f->dir, "cmp.json");
    /* -o through a quoted path */
    tu_run(&r, "cd %s && SOURCE_DATE_EPOCH=" EPOCH " %s --db %s compare --format json -o %s",
           tu_shq(tu_src()), tu_shq(tu_bin()), tu_shq(f->db), tu_shq(json));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    tu_run(&r, "python3 -c %s %s", tu_shq(
        "import json,sys\n"
        "d=json.load(open(sys.argv[1]))\n"
        "assert d['schema']=='wudiag.compare/1', d['schema']\n"
        "assert d['host']=='PC-COMPARE'\n"
        "assert d['generated_at']=='2026-01-01T00:00:00Z'\n"
        "assert d['before']['run']==1 and d['after']['run']==2\n"
        "assert d['before']['verdict']=='critical' and d['after']['verdict']=='healthy'\n"
        "assert d['verdict']=={'before':'critical','after':'healthy','trend':'better'}\n"
        "assert d['counts']=={'cleared':3,'new':0,'still_open':0}, d['counts']\n"
        "f={x['key']:x for x in d['findings']}\n"
        "s=f['service-disabled~wuauserv']\n"
        "assert s['change']=='cleared' and s['rule']=='service-disabled'\n"
        "assert s['before']['severity']=='critical' and s['after'] is None\n"
        "assert s['before']['codes']==['0x80070422'] and s['before']['fix']=='enable-wuauserv'\n"
        "sc=f['scan-failures~0x80070422']\n"
        "assert sc['change']=='cleared' and sc['after']['resolved'] is True\n"
        "w=[x for x in d['services'] if x['name']=='wuauserv'][0]\n"
        "assert w=={'name':'wuauserv','state_before':'stopped','state_after':'running',"
        "'start_type_before':'disabled','start_type_after':'demand','changed':True}, w\n"
        "a=d['since_before']\n"
        "assert a['since']=='2026-03-13T09:00:00Z' and a['events']==5\n"
        "assert a['failures']==0 and a['installs']==1\n"
        "assert a['first_install']['time']=='2026-03-14T10:40:00Z'\n"
        "assert a['first_install']['kb']=='KB5053598'\n"
        "assert a['first_scan']['time']=='2026-03-14T10:05:00Z'\n"
        "print('ok')\n"), tu_shq(json));
    tu_assert_exit(&r, 0);
    must_have(&r, "ok");
    tu_run_free(&r);
    free(json);
}

static void test_html_pair(void **state)
{
    struct tu_fx *f = *state;
    struct tu_run r;
    compare(&r, f->db, "--format html");
    tu_assert_exit(&r, 0);
    must_have(&r, "<!DOCTYPE html>");
    must_have(&r, "<h2>Verdict: critical &rarr; healthy (better)</h2>");
    /* the cleared finding: its row (green), before column, cleared badge */
    const char *row = strstr(r.out, "<tr class=\"c-cleared\" data-change=\"cleared\" "
                                    "data-key=\"service-disabled~wuauserv\">");
    if (!row) {
        tu_run_dump(&r);
        fail_msg("no cleared row for service-disabled~wuauserv");
    }
    const char *end = strstr(row, "</tr>");
    assert_non_null(end);
    char *tr = tu_fmt("%.*s", (int)(end - row), row);
    if (!strstr(tr, "Windows Update service (wuauserv) is disabled") ||
        !strstr(tr, "b-cleared"))
        fail_msg("the cleared row says: %s", tr);
    free(tr);
    must_have(&r, "tr.c-cleared td,li.c-cleared{background:#e8f5e9}");
    must_have(&r, "tr.c-new td,li.c-new{background:#fdecea}");
    must_have(&r, "<td class=\"chg\">demand</td>");
    must_have(&r, "id=\"first-install\">First successful install: 2026-03-14 10:40:00 UTC");
    must_not_have(&r, "<script");
    must_not_have(&r, "http://");       /* self-contained: no external resource */
    tu_run_free(&r);
}

/* Dates as points: the end of 2026-03-12 (disabled) and of 2026-03-14. */
static void test_dates(void **state)
{
    struct tu_fx *f = *state;
    struct tu_run r;
    compare(&r, f->db, "--before 2026-03-12 --after 2026-03-14 --format json");
    tu_assert_exit(&r, 0);
    must_have(&r, "\"before\":{\"run\":null");
    must_have(&r, "\"time\":\"2026-03-12T23:59:59Z\"");
    must_have(&r, "\"key\":\"service-disabled~wuauserv\"");
    must_have(&r, "\"verdict\":{\"before\":\"critical\",\"after\":\"healthy\"");
    tu_run_free(&r);
    /* a run and a time between: up to 2026-03-14 10:03 the service is back
     * (7040 at 10:00) but no scan or install has succeeded yet: the service
     * finding is cleared, the failures still open */
    compare(&r, f->db, "--before 1 --after 2026-03-14T10:03:00Z --check");
    tu_assert_exit(&r, 2);
    assert_string_equal(r.out, "critical -> critical (better): 1 cleared, 0 new, 2 still open\n");
    tu_run_free(&r);
}

static void test_check(void **state)
{
    struct tu_fx *f = *state;
    struct tu_run r;
    compare(&r, f->db, "--check");
    tu_assert_exit(&r, 0);
    assert_string_equal(r.out, "critical -> healthy (better): 3 cleared, 0 new, 0 still open\n");
    tu_run_free(&r);
}

/* One run: no default before point (exit 3); dates still compare, and a
 * worse after point (nothing before 08:00, then the disabled service) is
 * "worse" with --check exiting 2 (critical). */
static void test_one_run_and_worse(void **state)
{
    struct tu_fx *f = *state;
    struct tu_run r;
    import_rel(f->db, BEFORE_XML);
    compare(&r, f->db, "");
    tu_assert_exit(&r, 3);
    if (!strstr(r.err, "has no run before run 1")) {
        tu_run_dump(&r);
        fail_msg("no clear message for a single run");
    }
    tu_run_free(&r);
    compare(&r, f->db, "--before 2026-03-10T07:59:59Z --after 1");
    tu_assert_exit(&r, 0);
    must_have(&r, "VERDICT: UNKNOWN -> CRITICAL - worse: 0 cleared, 3 new");
    char *fresh = section(r.out, "NEW (");
    if (!strstr(fresh, "! CRITICAL Windows Update service (wuauserv) is disabled") ||
        !strstr(fresh, "Fix: Re-enable the Windows Update service"))
        fail_msg("the new section lacks the service finding and its fix:\n%s", fresh);
    free(fresh);
    must_have(&r, "First successful install: none yet");
    tu_run_free(&r);
    compare(&r, f->db, "--before 2026-03-10T07:59:59Z --after 1 --check");
    tu_assert_exit(&r, 2);
    assert_string_equal(r.out, "unknown -> critical (worse): 0 cleared, 3 new, 0 still open\n");
    tu_run_free(&r);
}

static void test_redact(void **state)
{
    struct tu_fx *f = *state;
    const char *fmts[] = {"text", "html", "json"};
    for (size_t i = 0; i < 3; i++) {
        struct tu_run r;
        char *args = tu_fmt("--redact --format %s", fmts[i]);
        compare(&r, f->db, args);
        tu_assert_exit(&r, 0);
        must_not_have(&r, "PC-COMPARE");
        must_not_have(&r, BEFORE_XML);
        must_have(&r, "host-1");
        tu_run_free(&r);
        free(args);
    }
}

static void test_bad_points(void **state)
{
    struct tu_fx *f = *state;
    struct tu_run r;
    static const struct { const char *args, *says; int rc; } cases[] = {
        {"--before 2 --after 1", "must be earlier", 2},
        {"--before 1 --after 1", "must be earlier", 2},
        {"--before 99", "has no run 99", 2},
        {"--after 0", "wants a run id or a date", 2},
        {"--before yesterday", "wants a run id or a date", 2},
        {"--after 2026-03-14", "--after DATE needs --before", 2},
        {"--format pdf", "unknown format", 2},
        {"--host NOPE", "no evidence for host 'NOPE'", 3},
        {"extra", "", 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        compare(&r, f->db, cases[i].args);
        tu_assert_exit(&r, cases[i].rc);
        if (!strstr(r.err, cases[i].says) || strchr(r.err, '\n') != r.err + r.errlen - 1) {
            tu_run_dump(&r);
            fail_msg("'%s' should say \"%s\" in one line", cases[i].args, cases[i].says);
        }
        if (*r.out) {
            tu_run_dump(&r);
            fail_msg("'%s' wrote output", cases[i].args);
        }
        tu_run_free(&r);
    }
    /* no database at all */
    char *missing = tu_path(f->dir, "none.db");
    compare(&r, missing, "");
    tu_assert_exit(&r, 4);
    tu_run_free(&r);
    free(missing);
}

/* Two hosts and no --host: say so (exit 2); --host picks one. */
static void test_two_hosts(void **state)
{
    struct tu_fx *f = *state;
    struct tu_run r;
    import_rel(f->db, "samples/xml/two-machines.xml");
    compare(&r, f->db, "");
    tu_assert_exit(&r, 2);
    if (!strstr(r.err, "name one with --host")) {
        tu_run_dump(&r);
        fail_msg("no --host hint");
    }
    tu_run_free(&r);
    compare(&r, f->db, "--host pc-compare --check");
    tu_assert_exit(&r, 0);
    assert_string_equal(r.out, "critical -> healthy (better): 3 cleared, 0 new, 0 still open\n");
    tu_run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_runs_listed, setup_pair, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_text_pair, setup_pair, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_json_pair, setup_pair, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_html_pair, setup_pair, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_dates, setup_pair, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_check, setup_pair, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_one_run_and_worse, setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_redact, setup_pair, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_bad_points, setup_pair, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_two_hosts, setup_pair, tu_fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
