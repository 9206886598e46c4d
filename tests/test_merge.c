/*
 * test_merge.c - `wudiag merge` end to end with the built binary
 * (WUDIAG_BIN): the shared sample logs (WUDIAG_DATA) imported as separate
 * hosts' databases, merged into a fleet database twice (same row counts),
 * overlapping inputs, damaged / foreign / newer / older inputs, the
 * command line.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

struct fx {
    char *dir;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->dir = tu_tempdir();
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    tu_rmtree(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

/* The tables merge fills, and their row counts. */
static const char *const tables[] = {
    "hosts", "runs", "events", "service_states", "coverage", "unrelated_counts",
    "imported_files",
};
#define NTABLES (sizeof tables / sizeof tables[0])

struct counts {
    long long n[NTABLES];
};

static struct counts counts_of(const char *db)
{
    struct counts c;
    for (size_t i = 0; i < NTABLES; i++) {
        char *sql = tu_fmt("SELECT count(*) FROM %s", tables[i]);
        c.n[i] = tu_sql_int(db, sql);
        free(sql);
    }
    return c;
}

static void expect_counts(const char *db, const struct counts *want)
{
    struct counts got = counts_of(db);
    for (size_t i = 0; i < NTABLES; i++)
        if (got.n[i] != want->n[i])
            fail_msg("%s: %s has %lld rows, expected %lld", db, tables[i], got.n[i],
                     want->n[i]);
}

static void assert_sound(const char *db)
{
    char *s = tu_sql_text(db, "PRAGMA integrity_check");
    if (strcmp(s, "ok") != 0)
        fail_msg("integrity_check of %s: %s", db, s);
    free(s);
    long long fk = tu_sql_int(db, "SELECT count(*) FROM pragma_foreign_key_check");
    if (fk)
        fail_msg("%s: %lld foreign key violations", db, fk);
}

static void assert_contains(const char *hay, const char *needle, const char *what)
{
    if (!hay || !strstr(hay, needle))
        fail_msg("%s \"%s\" does not contain \"%s\"", what, hay ? hay : "(null)", needle);
}

/* wudiag --db DB import [--host HOST] FILE, which must succeed */
static void import_ok(const char *db, const char *host, const char *file)
{
    struct tu_run r;
    tu_run(&r, "%s --db %s import %s %s %s", tu_shq(tu_bin()), tu_shq(db),
           host ? "--host" : "", host ? tu_shq(host) : "", tu_shq(file));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
}

/* a.db: win10 as host-a; b.db: win7 as host-b; c.db: win10 under its own
 * Computer names (two hosts). */
static void make_hosts(const struct fx *f, char **a, char **b, char **c)
{
    char *win10 = tu_data_file("evtx/system-win10-2017.evtx");
    char *win7 = tu_data_file("evtx/system-win7-2012.evtx");
    *a = tu_path(f->dir, "a.db");
    *b = tu_path(f->dir, "b.db");
    *c = tu_path(f->dir, "c.db");
    import_ok(*a, "host-a", win10);
    import_ok(*b, "host-b", win7);
    import_ok(*c, NULL, win10);
    free(win10);
    free(win7);
}

static struct counts sum3(const char *a, const char *b, const char *c)
{
    struct counts s = counts_of(a), t = counts_of(b), u = counts_of(c);
    for (size_t i = 0; i < NTABLES; i++)
        s.n[i] += t.n[i] + u.n[i];
    return s;
}

static long long host_events(const char *db, const char *host)
{
    char *sql = tu_fmt("SELECT count(*) FROM events e JOIN hosts h ON h.id = e.host_id"
                       " WHERE h.name = '%s'", host);
    long long n = tu_sql_int(db, sql);
    free(sql);
    return n;
}

/* ---- the sample logs as three hosts, merged twice ------------------------ */

static void test_merge_twice(void **state)
{
    struct fx *f = *state;
    char *a, *b, *c, *fleet = tu_path(f->dir, "fleet.db"), *args;
    struct tu_run r;

    make_hosts(f, &a, &b, &c);
    struct counts want = sum3(a, b, c);
    assert_true(want.n[2] > 1000);      /* events */
    args = tu_fmt("%s %s %s", tu_shq(a), tu_shq(b), tu_shq(c));

    tu_run(&r, "%s merge -o %s %s", tu_shq(tu_bin()), tu_shq(fleet), args);
    tu_assert_exit(&r, 0);
    assert_int_equal(r.errlen, 0);
    assert_int_equal(tu_count_lines(r.out), 4);     /* one per DB + total */
    assert_contains(r.out, "merged 3 of 3 databases", "stdout");
    tu_run_free(&r);
    expect_counts(fleet, &want);
    assert_int_equal(tu_sql_int(fleet, "SELECT count(*) FROM merged_runs"), 3);
    assert_sound(fleet);

    /* each host's rows stay its own */
    assert_int_equal(host_events(fleet, "host-a"), tu_sql_int(a, "SELECT count(*) FROM events"));
    assert_int_equal(host_events(fleet, "host-b"), tu_sql_int(b, "SELECT count(*) FROM events"));
    assert_int_equal(host_events(fleet, "DESKTOP-2KGM189"), host_events(c, "DESKTOP-2KGM189"));
    assert_int_equal(tu_sql_int(fleet, "SELECT count(*) FROM runs r JOIN hosts h"
                                       " ON h.id = r.host_id WHERE h.name = 'host-b'"), 1);
    /* an event never changes run or host: its run's host is its host, or the
     * run is c.db's (two Computer names in one file) */
    assert_int_equal(tu_sql_int(fleet, "SELECT count(*) FROM events e JOIN runs r"
                                       " ON r.id = e.run_id JOIN hosts h ON h.id = e.host_id"
                                       " WHERE r.host_id <> e.host_id AND h.name IN"
                                       " ('host-a', 'host-b')"), 0);

    /* the same databases again: nothing added */
    tu_run(&r, "%s merge -o %s %s", tu_shq(tu_bin()), tu_shq(fleet), args);
    tu_assert_exit(&r, 0);
    assert_int_equal(r.errlen, 0);
    assert_contains(r.out, "0 hosts, 0 runs, 0 events, 0 service states added; "
                    "3 runs", "second merge");
    tu_run_free(&r);
    expect_counts(fleet, &want);

    /* in another order, one at a time, and through a merged database: still
     * the same rows */
    char *fleet2 = tu_path(f->dir, "fleet2.db");
    tu_run(&r, "%s merge -o %s %s", tu_shq(tu_bin()), tu_shq(fleet2), tu_shq(c));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    tu_run(&r, "%s merge -q -o %s %s %s %s", tu_shq(tu_bin()), tu_shq(fleet2),
           tu_shq(fleet), tu_shq(b), tu_shq(a));
    tu_assert_exit(&r, 0);
    assert_int_equal(tu_count_lines(r.out), 1);     /* -q: only the total */
    tu_run_free(&r);
    expect_counts(fleet2, &want);
    assert_sound(fleet2);

    /* the report of a host is the same from its own DB and from the fleet */
    char *ra = NULL;
    tu_run(&r, "%s --db %s report --check --host host-a", tu_shq(tu_bin()), tu_shq(a));
    ra = tu_strdup(r.out);
    int rca = r.status;
    tu_run_free(&r);
    tu_run(&r, "%s --db %s report --check --host host-a", tu_shq(tu_bin()), tu_shq(fleet));
    assert_int_equal(r.status, rca);
    assert_string_equal(r.out, ra);
    tu_run_free(&r);
    free(ra);

    /* the inputs were only read */
    assert_int_equal(tu_sql_int(a, "SELECT count(*) FROM runs"), 1);
    free(args);
    free(fleet);
    free(fleet2);
    free(a);
    free(b);
    free(c);
}

/* Two databases holding the same host and events: stored once, both runs kept. */
static void test_merge_overlap(void **state)
{
    struct fx *f = *state;
    char *win10 = tu_data_file("evtx/system-win10-2017.evtx");
    char *c = tu_path(f->dir, "c.db"), *d = tu_path(f->dir, "d.db");
    char *fleet = tu_path(f->dir, "fleet.db");
    struct tu_run r;

    import_ok(c, NULL, win10);
    import_ok(d, NULL, win10);
    long long ev = tu_sql_int(c, "SELECT count(*) FROM events");
    tu_run(&r, "%s merge -o %s %s %s", tu_shq(tu_bin()), tu_shq(fleet), tu_shq(c),
           tu_shq(d));
    tu_assert_exit(&r, 0);
    char *line = tu_fmt("0 events, %lld service states added; 0 runs and %lld events "
                        "already there", tu_sql_int(d, "SELECT count(*) FROM service_states"),
                        ev);
    assert_contains(r.out, line, "stdout");
    free(line);
    tu_run_free(&r);
    assert_int_equal(tu_sql_int(fleet, "SELECT count(*) FROM events"), ev);
    assert_int_equal(tu_sql_int(fleet, "SELECT count(*) FROM runs"), 2);
    assert_int_equal(tu_sql_int(fleet, "SELECT count(*) FROM hosts"),
                     tu_sql_int(c, "SELECT count(*) FROM hosts"));
    assert_sound(fleet);
    free(win10);
    free(c);
    free(d);
    free(fleet);
}

/* ---- unusable inputs: skipped, one line each, the rest merged ------------ */

static void corrupt_table_root(const char *db, const char *table)
{
    char *sql = tu_fmt("SELECT rootpage FROM sqlite_master WHERE name = '%s'", table);
    long long root = tu_sql_int(db, sql);
    long long psize = tu_sql_int(db, "PRAGMA page_size");
    free(sql);
    FILE *fp = fopen(db, "r+b");
    if (!fp)
        fail_msg("cannot open %s", db);
    fseek(fp, (long)((root - 1) * psize), SEEK_SET);
    fwrite("\x0d\xff\xff\xff\xff\xff\xff\xff", 1, 8, fp);
    fclose(fp);
}

static void test_merge_bad_inputs(void **state)
{
    struct fx *f = *state;
    char *a, *b, *c, *fleet = tu_path(f->dir, "fleet.db");
    struct tu_run r;

    make_hosts(f, &a, &b, &c);
    struct counts want = counts_of(a);

    char *notdb = tu_path(f->dir, "notes.db");
    tu_write_str(notdb, "hello, this is not a database\n");
    char *empty = tu_path(f->dir, "empty.db");
    tu_write_str(empty, "");
    char *newer = tu_path(f->dir, "newer.db");
    char *trunc = tu_path(f->dir, "trunc.db");
    char *damaged = tu_path(f->dir, "damaged.db");
    char *foreign = tu_path(f->dir, "foreign.db");
    char *missing = tu_path(f->dir, "missing.db");
    /* (tu_shq has 8 buffers: at most 8 quoted arguments per command) */
    tu_run(&r, "cp %s %s && cp %s %s", tu_shq(b), tu_shq(newer), tu_shq(b),
           tu_shq(damaged));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    tu_run(&r, "head -c 12288 %s > %s && sqlite3 %s 'PRAGMA user_version = 999' && "
           "sqlite3 %s 'CREATE TABLE t(x); PRAGMA user_version = 2'", tu_shq(b),
           tu_shq(trunc), tu_shq(newer), tu_shq(foreign));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    /* the current version, but an events table without a column merge copies */
    tu_run(&r, "cd %s && cp b.db odd.db && sqlite3 odd.db "
           "'DROP INDEX events_service; ALTER TABLE events DROP COLUMN service'",
           tu_shq(f->dir));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    corrupt_table_root(damaged, "events");

    tu_run(&r, "cd %s && %s merge -o fleet.db notes.db empty.db newer.db trunc.db a.db "
           "damaged.db foreign.db missing.db . fleet.db odd.db", tu_shq(f->dir),
           tu_shq(tu_bin()));
    tu_assert_exit(&r, 1);
    if (tu_count_lines(r.err) != 10) {
        tu_run_dump(&r);
        fail_msg("expected one stderr line per skipped input (10)");
    }
    const char *names[] = {"notes.db: skipped: not an SQLite database",
                           "empty.db: skipped: not a wudiag database",
                           "newer.db: skipped: schema version 999 is newer",
                           "trunc.db: skipped:", "damaged.db: skipped: damaged",
                           "foreign.db: skipped: not a wudiag database",
                           "missing.db: skipped: cannot open",
                           "skipped: is a directory",
                           "fleet.db: skipped: it is the output database",
                           "odd.db: skipped: does not fit this wudiag's schema"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        assert_contains(r.err, names[i], "stderr");
    assert_contains(r.out, "merged 1 of 11 databases", "stdout");
    assert_contains(r.out, "(10 skipped)", "stdout");
    tu_run_free(&r);
    expect_counts(fleet, &want);
    assert_sound(fleet);
    /* inputs untouched */
    assert_int_equal(tu_sql_int(newer, "PRAGMA user_version"), 999);
    char *back = tu_read_file(notdb, NULL);
    assert_string_equal(back, "hello, this is not a database\n");
    free(back);
    assert_false(tu_exists(missing));

    free(notdb);
    free(empty);
    free(newer);
    free(trunc);
    free(damaged);
    free(foreign);
    free(missing);
    free(fleet);
    free(a);
    free(b);
    free(c);
}

/* A version 1 database is upgraded in a temporary copy; itself untouched. */
static void test_merge_older_schema(void **state)
{
    struct fx *f = *state;
    char *v1 = tu_path(f->dir, "v1.db"), *fleet = tu_path(f->dir, "fleet.db");
    char *fixture = tu_src_file("samples/v1.sql");
    struct tu_run r;

    tu_run(&r, "sqlite3 %s < %s", tu_shq(v1), tu_shq(fixture));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    assert_int_equal(tu_sql_int(v1, "PRAGMA user_version"), 1);

    tu_run(&r, "%s merge -o %s %s", tu_shq(tu_bin()), tu_shq(fleet), tu_shq(v1));
    tu_assert_exit(&r, 0);
    assert_int_equal(r.errlen, 0);
    tu_run_free(&r);
    assert_int_equal(tu_sql_int(fleet, "SELECT count(*) FROM events"),
                     tu_sql_int(v1, "SELECT count(*) FROM events"));
    assert_int_equal(tu_sql_int(fleet, "SELECT count(*) FROM runs"), 1);
    assert_int_equal(tu_sql_int(fleet, "SELECT count(*) FROM service_states"),
                     tu_sql_int(v1, "SELECT count(*) FROM service_states"));
    assert_sound(fleet);
    /* the input is still version 1, and no temporary copy is left */
    assert_int_equal(tu_sql_int(v1, "PRAGMA user_version"), 1);
    tu_run(&r, "ls %s | grep -c tmp", tu_shq(f->dir));
    assert_string_equal(r.out, "0\n");
    tu_run_free(&r);

    /* and again: nothing added */
    tu_run(&r, "%s merge -o %s %s", tu_shq(tu_bin()), tu_shq(fleet), tu_shq(v1));
    tu_assert_exit(&r, 0);
    assert_contains(r.out, "0 runs, 0 events", "stdout");
    tu_run_free(&r);
    assert_int_equal(tu_sql_int(fleet, "SELECT count(*) FROM runs"), 1);
    free(fixture);
    free(v1);
    free(fleet);
}

/* ---- the command line ------------------------------------------------------ */

static void test_merge_cli(void **state)
{
    struct fx *f = *state;
    char *a = tu_path(f->dir, "a.db"), *xml = tu_src_file("samples/xml/wu-events.xml");
    struct tu_run r;

    import_ok(a, NULL, xml);
    tu_run(&r, "%s merge %s", tu_shq(tu_bin()), tu_shq(a));
    tu_assert_exit(&r, 2);
    assert_contains(r.err, "-o FILE", "stderr");
    tu_run_free(&r);
    tu_run(&r, "%s merge -o %s/x.db", tu_shq(tu_bin()), tu_shq(f->dir));
    tu_assert_exit(&r, 2);
    tu_run_free(&r);
    tu_run(&r, "%s merge --bogus -o x.db %s", tu_shq(tu_bin()), tu_shq(a));
    tu_assert_exit(&r, 2);
    assert_contains(r.err, "--bogus", "stderr");
    tu_run_free(&r);
    tu_run(&r, "%s merge -o", tu_shq(tu_bin()));
    tu_assert_exit(&r, 2);
    tu_run_free(&r);
    /* the output cannot be opened: 4, one line */
    tu_run(&r, "%s merge -o %s %s", tu_shq(tu_bin()), tu_shq(f->dir), tu_shq(a));
    tu_assert_exit(&r, 4);
    assert_int_equal(tu_count_lines(r.err), 1);
    tu_run_free(&r);
    /* help names the exit codes */
    tu_run(&r, "%s help merge", tu_shq(tu_bin()));
    tu_assert_exit(&r, 0);
    assert_contains(r.out, "Exit: 0", "help");
    tu_run_free(&r);
    free(a);
    free(xml);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_merge_twice),
        T(test_merge_overlap),
        T(test_merge_bad_inputs),
        T(test_merge_older_schema),
        T(test_merge_cli),
    };
#undef T
    return cmocka_run_group_tests_name("merge", tests, NULL, NULL);
}
