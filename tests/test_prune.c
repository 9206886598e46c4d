/*
 * test_prune.c - `wudiag prune` end to end with the built binary on small
 * event XML fixtures (two hosts, four imports): old rows go, the latest run
 * of each host and its rows stay whatever their age, the latest start type
 * of a service stays, emptied runs go with their coverage / unrelated
 * counts / fingerprints, --dry-run changes nothing, --vacuum, the command
 * line.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"


static void assert_contains(const char *hay, const char *needle, const char *what)
{
    if (!hay || !strstr(hay, needle))
        fail_msg("%s \"%s\" does not contain \"%s\"", what, hay ? hay : "(null)", needle);
}

#define EV_HEAD "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>"
#define WU "<Provider Name='Microsoft-Windows-WindowsUpdateClient'/>"
#define SCM "<Provider Name='Service Control Manager'/>"
#define SYS(id, lvl, time, rec, host) "<EventID>" id "</EventID><Level>" lvl "</Level>" \
    "<TimeCreated SystemTime='" time "'/><EventRecordID>" rec "</EventRecordID>"        \
    "<Channel>System</Channel><Computer>" host "</Computer></System>"
/* SCM 7036 Binary: "wuauserv/1" (stopped), "wuauserv/4" (running), UTF-16LE */
#define WUAUSERV_STOPPED "<Binary>770075006100750073006500720076002F0031000000</Binary>"
#define WUAUSERV_RUNNING "<Binary>770075006100750073006500720076002F0034000000</Binary>"

/* PC1, 2016-06-01: a failure, a success, wuauserv disabled, wuauserv stopped */
static const char old_xml[] = "<Events>"
    EV_HEAD WU SYS("20", "2", "2016-06-01T10:00:00Z", "100", "PC1")
    "<EventData><Data Name='errorCode'>0x80070422</Data>"
    "<Data Name='updateTitle'>Update (KB100)</Data></EventData></Event>"
    EV_HEAD WU SYS("19", "4", "2016-06-01T11:00:00Z", "101", "PC1")
    "<EventData><Data Name='updateTitle'>Update (KB101)</Data></EventData></Event>"
    EV_HEAD SCM SYS("7040", "4", "2016-06-01T12:00:00Z", "102", "PC1")
    "<EventData><Data Name='param1'>Windows Update</Data><Data Name='param2'>demand start"
    "</Data><Data Name='param3'>disabled</Data><Data Name='param4'>wuauserv</Data>"
    "</EventData></Event>"
    EV_HEAD SCM SYS("7036", "4", "2016-06-01T12:00:01Z", "103", "PC1")
    "<EventData><Data Name='param1'>Windows Update</Data><Data Name='param2'>stopped"
    "</Data>" WUAUSERV_STOPPED "</EventData></Event>"
    "</Events>\n";

/* PC2, 2016-05-01: its only import */
static const char pc2_xml[] = "<Events>"
    EV_HEAD WU SYS("20", "2", "2016-05-01T10:00:00Z", "300", "PC2")
    "<EventData><Data Name='errorCode'>0x80070422</Data></EventData></Event>"
    "</Events>\n";

/* PC1, 2016-09-01: one success and one unrelated event */
static const char mid_xml[] = "<Events>"
    EV_HEAD WU SYS("19", "4", "2016-09-01T10:00:00Z", "150", "PC1")
    "<EventData><Data Name='updateTitle'>Update (KB150)</Data></EventData></Event>"
    EV_HEAD "<Provider Name='Unrelated-Thing'/>" SYS("1", "4", "2016-09-01T10:00:01Z",
                                                     "151", "PC1")
    "</Event>"
    "</Events>\n";

/* PC1, 2017-01-10: the latest import: a success, wuauserv running */
static const char new_xml[] = "<Events>"
    EV_HEAD WU SYS("19", "4", "2017-01-10T10:00:00Z", "200", "PC1")
    "<EventData><Data Name='updateTitle'>Update (KB200)</Data></EventData></Event>"
    EV_HEAD SCM SYS("7036", "4", "2017-01-10T10:00:01Z", "201", "PC1")
    "<EventData><Data Name='param1'>Windows Update</Data><Data Name='param2'>running"
    "</Data>" WUAUSERV_RUNNING "</EventData></Event>"
    "</Events>\n";

static void import_xml(const struct tu_fx *f, const char *name, const char *xml)
{
    char *p = tu_path(f->dir, name);
    struct tu_run r;
    tu_write_str(p, xml);
    tu_run(&r, "%s --db %s import %s", tu_shq(tu_bin()), tu_shq(f->db), tu_shq(p));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    free(p);
}

/* Runs 1 old (PC1), 2 pc2 (PC2), 3 mid (PC1), 4 new (PC1). */
static void fill(const struct tu_fx *f)
{
    import_xml(f, "old.xml", old_xml);
    import_xml(f, "pc2.xml", pc2_xml);
    import_xml(f, "mid.xml", mid_xml);
    import_xml(f, "new.xml", new_xml);
    assert_int_equal(tu_sql_int(f->db, "SELECT count(*) FROM runs"), 4);
    assert_int_equal(tu_sql_int(f->db, "SELECT count(*) FROM events"), 8);
    assert_int_equal(tu_sql_int(f->db, "SELECT count(*) FROM service_states"), 3);
    assert_int_equal(tu_sql_int(f->db, "SELECT count(*) FROM service_states"
                                       " WHERE state = 'running'"), 1);
    assert_int_equal(tu_sql_int(f->db, "SELECT count(*) FROM unrelated_counts"
                                       " WHERE run_id = 3"), 1);
}

static long long q(const struct tu_fx *f, const char *sql)
{
    return tu_sql_int(f->db, sql);
}

static void assert_sound(const struct tu_fx *f)
{
    char *s = tu_sql_text(f->db, "PRAGMA integrity_check");
    assert_string_equal(s, "ok");
    free(s);
    assert_int_equal(q(f, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
}

static int prune(struct tu_run *r, const struct tu_fx *f, const char *env, const char *args)
{
    return tu_run(r, "%s %s --db %s prune %s", env ? env : "", tu_shq(tu_bin()),
                  tu_shq(f->db), args);
}

static void test_prune_by_age(void **state)
{
    struct tu_fx *f = *state;
    struct tu_run r;

    fill(f);
    /* on 2017-01-15, keep 30 days: the 2016 rows go, except the latest run
     * of each host (PC2's only one) and wuauserv's latest start type */
    prune(&r, f, "SOURCE_DATE_EPOCH=1484438400", "--keep-days 30");
    tu_assert_exit(&r, 0);
    assert_int_equal(r.errlen, 0);
    assert_contains(r.out, "pruned", "stdout");
    assert_contains(r.out, "everything before 2016-12-16 00:00:00 UTC: 5 events, "
                    "1 service states, 0 facts, 0 runs", "stdout");
    tu_run_free(&r);
    assert_int_equal(q(f, "SELECT count(*) FROM events"), 3);
    assert_int_equal(q(f, "SELECT count(*) FROM events WHERE run_id = 4"), 2);
    assert_int_equal(q(f, "SELECT count(*) FROM events WHERE run_id = 2"), 1);
    assert_int_equal(q(f, "SELECT count(*) FROM service_states WHERE start_type ="
                          " 'disabled'"), 1);
    assert_int_equal(q(f, "SELECT count(*) FROM service_states WHERE state = 'stopped'"), 0);
    assert_int_equal(q(f, "SELECT count(*) FROM runs"), 4);  /* imported after then */
    assert_sound(f);

    /* the report still knows wuauserv is disabled */
    tu_run(&r, "%s --db %s report --format json --host PC1", tu_shq(tu_bin()),
           tu_shq(f->db));
    assert_contains(r.out, "\"start_type\":\"disabled\"", "report");
    tu_run_free(&r);

    /* again: nothing more */
    prune(&r, f, "SOURCE_DATE_EPOCH=1484438400", "--keep-days 30");
    tu_assert_exit(&r, 0);
    assert_contains(r.out, ": 0 events, 0 service states, 0 facts, 0 runs", "stdout");
    tu_run_free(&r);
}

static void test_prune_runs(void **state)
{
    struct tu_fx *f = *state;
    struct tu_run r;

    fill(f);
    /* --dry-run: counts, nothing deleted */
    prune(&r, f, NULL, "--keep-days 0 --dry-run");
    tu_assert_exit(&r, 0);
    assert_contains(r.out, "would prune", "stdout");
    assert_contains(r.out, "5 events, 1 service states, 0 facts, 1 runs (with 1 coverage "
                    "rows, 1 unrelated counts, 1 file fingerprints), 0 hosts", "stdout");
    tu_run_free(&r);
    assert_int_equal(q(f, "SELECT count(*) FROM events"), 8);
    assert_int_equal(q(f, "SELECT count(*) FROM runs"), 4);

    /* now (the imports are older than 0 days): the emptied mid run goes with
     * its coverage, unrelated counts and fingerprint; run 1 keeps the
     * baseline start type, so it stays; the latest runs stay whole */
    prune(&r, f, NULL, "--keep-days 0 --vacuum");
    tu_assert_exit(&r, 0);
    assert_contains(r.out, "pruned", "stdout");
    assert_contains(r.out, "1 runs (with 1 coverage rows, 1 unrelated counts, 1 file "
                    "fingerprints)", "stdout");
    assert_contains(r.out, "vacuum: ", "stdout");
    tu_run_free(&r);
    assert_int_equal(q(f, "SELECT count(*) FROM runs WHERE id = 3"), 0);
    assert_int_equal(q(f, "SELECT count(*) FROM runs"), 3);
    assert_int_equal(q(f, "SELECT count(*) FROM coverage WHERE run_id = 3"), 0);
    assert_int_equal(q(f, "SELECT count(*) FROM unrelated_counts WHERE run_id = 3"), 0);
    assert_int_equal(q(f, "SELECT count(*) FROM imported_files WHERE run_id = 3"), 0);
    assert_int_equal(q(f, "SELECT count(*) FROM events WHERE run_id IN (2, 4)"), 3);
    assert_int_equal(q(f, "SELECT count(*) FROM hosts"), 2);
    assert_sound(f);

    /* what was pruned can be imported again (its fingerprint went with it) */
    import_xml(f, "mid.xml", mid_xml);
    assert_int_equal(q(f, "SELECT count(*) FROM events WHERE record_id = 150"), 1);
}

static void test_prune_cli(void **state)
{
    struct tu_fx *f = *state;
    struct tu_run r;

    prune(&r, f, NULL, "--keep-days 30");
    tu_assert_exit(&r, 4);
    assert_int_equal(tu_count_lines(r.err), 1);
    tu_run_free(&r);
    assert_false(tu_exists(f->db));

    fill(f);
    prune(&r, f, NULL, "");
    tu_assert_exit(&r, 2);
    assert_contains(r.err, "--keep-days", "stderr");
    tu_run_free(&r);
    prune(&r, f, NULL, "--keep-days ten");
    tu_assert_exit(&r, 2);
    tu_run_free(&r);
    prune(&r, f, NULL, "--keep-days -1");
    tu_assert_exit(&r, 2);
    tu_run_free(&r);
    prune(&r, f, NULL, "--keep-days 3 extra");
    tu_assert_exit(&r, 2);
    tu_run_free(&r);
    assert_int_equal(q(f, "SELECT count(*) FROM events"), 8);

    /* a read-only database: 4, nothing deleted */
    tu_run(&r, "chmod a-w %s %s", tu_shq(f->db), tu_shq(f->dir));
    tu_run_free(&r);
    if (access(f->db, W_OK) != 0) {     /* not root */
        prune(&r, f, NULL, "--keep-days 0");
        tu_assert_exit(&r, 4);
        tu_run_free(&r);
    }
    tu_run(&r, "chmod u+w %s %s", tu_shq(f->db), tu_shq(f->dir));
    tu_run_free(&r);
    assert_int_equal(q(f, "SELECT count(*) FROM events"), 8);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, tu_fx_setup, tu_fx_teardown)
    const struct CMUnitTest tests[] = {
        T(test_prune_by_age),
        T(test_prune_runs),
        T(test_prune_cli),
    };
#undef T
    return cmocka_run_group_tests_name("prune", tests, NULL, NULL);
}
