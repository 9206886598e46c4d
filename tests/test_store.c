/*
 * test_store.c - opening, migrating and writing the database (store/store.c).
 *
 * Every test gets its own temporary directory.  The v1 fixture
 * (samples/v1.sql, found through WUDIAG_SRC) is schema/001_init.sql plus a
 * few rows; opening it must migrate it to the latest version and keep them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"
#include "store/store.h"
#include "vocab/model.h"

#include <sys/stat.h>
#include <unistd.h>

static int setup(void **state)
{
    return tu_fx_setup_named(state, "test.db");
}


static struct store *open_ok(const char *path, int flags)
{
    struct store *st = (struct store *)1;
    char err[512] = "";
    int rc = store_open(path, flags, &st, err, sizeof err);
    if (rc != STORE_OK)
        fail_msg("store_open(%s, %d) = %d: %s", path, flags, rc, err);
    assert_non_null(st);
    return st;
}

/* store_open that must fail with want; returns the message (static). */
static const char *open_fails(const char *path, int flags, int want)
{
    static char err[512];
    struct store *st = (struct store *)1;
    err[0] = '\0';
    int rc = store_open(path, flags, &st, err, sizeof err);
    if (rc != want) {
        if (rc == STORE_OK)
            store_close(st);
        fail_msg("store_open(%s, %d) = %d (\"%s\"), expected %d", path, flags, rc,
                 err, want);
    }
    assert_null(st);
    assert_true(err[0] != '\0');
    return err;
}

static long long q(struct store *st, const char *sql)
{
    return tu_db_int(store_db(st), sql);
}

/* Run a SQL script on a plain connection (fixture loading, tampering). */
static void exec_file_sql(const char *dbpath, const char *sql)
{
    sqlite3 *db = NULL;
    char *msg = NULL;
    if (sqlite3_open(dbpath, &db) != SQLITE_OK)
        fail_msg("sqlite3_open(%s): %s", dbpath, sqlite3_errmsg(db));
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        char copy[512];
        snprintf(copy, sizeof copy, "%s", msg ? msg : "?");
        sqlite3_free(msg);
        sqlite3_close(db);
        fail_msg("sqlite3_exec on %s: %s", dbpath, copy);
    }
    sqlite3_close(db);
}

static int table_exists(struct store *st, const char *name)
{
    char *sql = tu_fmt("SELECT count(*) FROM sqlite_master WHERE type='table' AND "
                       "name='%s'", name);
    long long n = q(st, sql);
    free(sql);
    return n == 1;
}

/* A classified Windows Update install failure. */
static struct wu_event wu20(int64_t record_id, int64_t time_us)
{
    struct wu_event ev;
    memset(&ev, 0, sizeof ev);
    ev.channel = "System";
    ev.provider = "Microsoft-Windows-WindowsUpdateClient";
    ev.computer = "DESKTOP-2KGM189";
    ev.event_id = 20;
    ev.level = 2;
    ev.time_us = time_us;
    ev.record_id = record_id;
    ev.ndata = 3;
    ev.data[0].name = "errorCode";
    ev.data[0].value = "0x80070422";
    ev.data[1].name = "updateTitle";
    ev.data[1].value = "2023-05 Cumulative Update for Windows 10 Version 22H2 "
                       "for x64-based Systems (KB5026361)";
    ev.data[2].name = "path";
    ev.data[2].value = "C:\\Windows \"quoted\"\n\x01";
    ev.binary = "00FF";
    ev.has_code = 1;
    ev.code = 0x80070422u;
    ev.update_title = ev.data[1].value;
    strcpy(ev.kb, "KB5026361");
    return ev;
}

static void begin(struct store *st, const char *host)
{
    char err[512] = "";
    int rc = store_run_begin(st, "import", "test.xml", host, err, sizeof err);
    if (rc != STORE_OK)
        fail_msg("store_run_begin = %d: %s", rc, err);
}

static void end(struct store *st, struct wu_stats *stats, const char *fp,
                int64_t size)
{
    char err[512] = "";
    int rc = store_run_end(st, stats, fp, size, err, sizeof err);
    if (rc != STORE_OK)
        fail_msg("store_run_end = %d: %s", rc, err);
}

static int add(struct store *st, const struct wu_event *ev)
{
    int inserted = -1;
    int rc = store_add_event(st, ev, &inserted);
    if (rc != STORE_OK)
        fail_msg("store_add_event = %d: %s", rc, store_errmsg(st));
    assert_true(inserted == 0 || inserted == 1);
    return inserted;
}

/* ---- opening ------------------------------------------------------------- */

static void test_new_db_is_latest(void **state)
{
    struct tu_fx *f = *state;
    assert_false(tu_exists(f->db));
    struct store *st = open_ok(f->db, 0);
    assert_true(tu_exists(f->db));
    assert_true(store_latest_version() >= 2);
    assert_int_equal(store_schema_version(st), store_latest_version());
    assert_int_equal(q(st, "PRAGMA user_version"), store_latest_version());
    char *jm = tu_db_text(store_db(st), "PRAGMA journal_mode");
    assert_string_equal(jm, "wal");
    free(jm);
    assert_int_equal(q(st, "PRAGMA foreign_keys"), 1);
    const char *tables[] = {"hosts", "runs", "events", "service_states", "coverage",
                            "imported_files", "unrelated_counts"};
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
        if (!table_exists(st, tables[i]))
            fail_msg("table %s missing in a new database", tables[i]);
    assert_int_equal(q(st, "SELECT count(*) FROM pragma_table_info('service_states') "
                           "WHERE name = 'origin'"), 1);
    assert_int_equal(q(st, "SELECT count(*) FROM events"), 0);
    store_close(st);

    /* seen from outside: the version is on disk */
    assert_int_equal(tu_sql_int(f->db, "PRAGMA user_version"), store_latest_version());

    /* reopening is a no-op */
    st = open_ok(f->db, 0);
    assert_int_equal(store_schema_version(st), store_latest_version());
    store_close(st);
    st = open_ok(f->db, STORE_READONLY);
    assert_int_equal(store_schema_version(st), store_latest_version());
    store_close(st);
}

static void test_migrate_v1(void **state)
{
    struct tu_fx *f = *state;
    char *fixture = tu_src_file("samples/v1.sql");
    char *sql = tu_read_file(fixture, NULL);
    exec_file_sql(f->db, sql);
    free(sql);
    free(fixture);
    assert_int_equal(tu_sql_int(f->db, "PRAGMA user_version"), 1);
    assert_int_equal(tu_sql_int(f->db, "SELECT count(*) FROM sqlite_master WHERE "
                                       "name = 'imported_files'"), 0);

    /* read-only without upgrading refuses it, and leaves it alone */
    const char *msg = open_fails(f->db, STORE_READONLY | STORE_NO_UPGRADE,
                                 STORE_E_READONLY);
    assert_non_null(strstr(msg, "older"));
    assert_int_equal(tu_sql_int(f->db, "PRAGMA user_version"), 1);

    /* a plain read-only open (what `report` does) upgrades it first */
    struct store *ro = open_ok(f->db, STORE_READONLY);
    assert_int_equal(store_schema_version(ro), store_latest_version());
    store_close(ro);

    struct store *st = open_ok(f->db, 0);
    assert_int_equal(store_schema_version(st), store_latest_version());
    assert_int_equal(q(st, "PRAGMA user_version"), store_latest_version());

    /* the rows are still there, unchanged */
    assert_int_equal(q(st, "SELECT count(*) FROM hosts"), 2);
    assert_int_equal(q(st, "SELECT count(*) FROM runs"), 1);
    assert_int_equal(q(st, "SELECT count(*) FROM events"), 3);
    assert_int_equal(q(st, "SELECT code FROM events WHERE id = 1"), 2149875719LL);
    assert_int_equal(q(st, "SELECT count(*) FROM events WHERE service = 'BITS' AND "
                           "event_id = 7040 AND record_id = 242"), 1);
    assert_int_equal(q(st, "SELECT records_read FROM runs WHERE id = 1"), 1881);
    assert_int_equal(q(st, "SELECT count(*) FROM coverage"), 1);
    char *kb = tu_db_text(store_db(st), "SELECT kb FROM events WHERE id = 3");
    assert_string_equal(kb, "KB2267602");
    free(kb);

    /* version 6: what each stored event means, backfilled by the classifier
     * import uses, and the detail derived as reports used to */
    char *v = tu_db_text(store_db(st), "SELECT kind || '/' || outcome FROM events WHERE id = 1");
    assert_string_equal(v, "install/failed");
    free(v);
    v = tu_db_text(store_db(st), "SELECT kind || '/' || coalesce(outcome, '-') || '/' || detail"
                                 " FROM events WHERE id = 2");
    assert_string_equal(v, "service-config/-/auto start");
    free(v);
    v = tu_db_text(store_db(st), "SELECT kind || '/' || outcome FROM events WHERE id = 3");
    assert_string_equal(v, "install/succeeded");
    free(v);
    assert_int_equal(q(st, "SELECT count(*) FROM events WHERE kind IS NULL"), 0);

    /* version 8: the runs of a host's events and its observations in time order
     * are found through indexes */
    assert_int_equal(q(st, "SELECT count(*) FROM sqlite_master WHERE type = 'index'"
                           " AND name IN ('events_host_run', 'service_states_host_time')"), 2);

    /* the version 2 additions exist */
    assert_true(table_exists(st, "imported_files"));
    assert_true(table_exists(st, "unrelated_counts"));
    assert_int_equal(q(st, "SELECT count(*) FROM imported_files"), 0);
    assert_int_equal(q(st, "SELECT count(*) FROM pragma_table_info('service_states') "
                           "WHERE name = 'origin'"), 1);
    char *origin = tu_db_text(store_db(st), "SELECT origin FROM service_states WHERE id = 1");
    assert_string_equal(origin, "live");
    free(origin);
    char *ic = tu_db_text(store_db(st), "PRAGMA integrity_check");
    assert_string_equal(ic, "ok");
    free(ic);
    assert_int_equal(q(st, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    char *jm = tu_db_text(store_db(st), "PRAGMA journal_mode");
    assert_string_equal(jm, "wal");
    free(jm);

    /* the migrated database takes new runs; the old rows count as duplicates */
    struct wu_event old;
    memset(&old, 0, sizeof old);
    old.channel = "System";
    old.provider = "Microsoft-Windows-WindowsUpdateClient";
    old.computer = "desktop-2kgm189";      /* host names compare without case */
    old.event_id = 20;
    old.level = 2;
    old.time_us = INT64_C(1500794741804504);
    old.record_id = 561;
    begin(st, NULL);
    assert_int_equal(add(st, &old), 0);
    struct wu_event fresh = wu20(9000, INT64_C(1683627330000000));
    assert_int_equal(add(st, &fresh), 1);
    struct wu_stats stats = {2, 1, 0, 1, 0};
    end(st, &stats, "0123456789abcdef", 4242);
    assert_int_equal(q(st, "SELECT count(*) FROM events"), 4);
    assert_int_equal(q(st, "SELECT count(*) FROM hosts"), 2);
    assert_int_equal(q(st, "SELECT count(*) FROM imported_files"), 1);
    store_close(st);
}

/* The run id of each coverage entry of a model's coverage, comma-separated (static). */
static const char *coverage_runs(struct store *st, const char *host, int64_t since,
                                 int64_t as_of)
{
    static char buf[256];
    struct model_query mq = {host, since, 0, INT64_C(1767225600000000)};
    struct model *m = NULL;
    char err[512] = "";
    int rc = as_of ? store_load_model_as_of(st, &mq, as_of, &m, err, sizeof err)
                   : store_load_model(st, &mq, &m, err, sizeof err);
    if (rc != STORE_OK)
        fail_msg("loading the model of %s: %s", host, err);
    buf[0] = '\0';
    for (size_t i = 0; i < m->ncoverage; i++)
        snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%lld", i ? "," : "",
                 (long long)m->coverage[i].run_id);
    model_free(m);
    return buf;
}

/*
 * A host's coverage is that of its own runs and of every run that stored
 * one of its events (a merge or a host alias files them under another
 * host's run), whatever the report's range; the skip scan of migration 008
 * finds the same runs the scan of every event did.
 */
static void test_model_coverage_runs(void **state)
{
    struct tu_fx *f = *state;
    store_close(open_ok(f->db, 0));
    exec_file_sql(f->db,
        "INSERT INTO hosts(id, name) VALUES (1, 'A'), (2, 'B'), (3, 'C');"
        "INSERT INTO runs(id, host_id, kind, source, started_us, tool_version) VALUES"
        " (1, 1, 'import', 'a1', 100, 't'), (2, 2, 'import', 'b1', 200, 't'),"
        " (3, 1, 'import', 'a2', 300, 't'), (4, 3, 'import', 'c1', 400, 't'),"
        " (5, 2, 'import', 'b2', 500, 't'), (6, 3, 'import', 'c2', 600, 't');"
        "INSERT INTO coverage(id, run_id, source, status) VALUES"
        " (1, 6, 'c2', 'ok'), (2, 5, 'b2', 'ok'), (3, 4, 'c1', 'ok'), (4, 3, 'a2', 'ok'),"
        " (5, 2, 'b1', 'partial'), (6, 1, 'a1', 'ok'), (7, 5, 'b2 again', 'ok');"
        /* A's events: under its run 1, under B's runs 2 and 5 (aliases), and
         * many under run 5 long before the range asked for below */
        "INSERT INTO events(host_id, run_id, channel, provider, event_id, time_us, record_id)"
        " VALUES (1, 1, 'System', 'p', 1, 1000, 1), (1, 2, 'System', 'p', 1, 2000, 2),"
        " (2, 2, 'System', 'p', 1, 2500, 3), (3, 4, 'System', 'p', 1, 3000, 4);"
        "WITH RECURSIVE n(i) AS (SELECT 10 UNION ALL SELECT i + 1 FROM n WHERE i < 500)"
        " INSERT INTO events(host_id, run_id, channel, provider, event_id, time_us, record_id)"
        " SELECT 1, 5, 'System', 'p', 1, i, i FROM n;");
    struct store *st = open_ok(f->db, STORE_READONLY);
    assert_string_equal(coverage_runs(st, "A", 0, 0), "5,3,2,1,5");
    assert_string_equal(coverage_runs(st, "A", 900, 0), "5,3,2,1,5");
    assert_string_equal(coverage_runs(st, "B", 0, 0), "5,2,5");
    assert_string_equal(coverage_runs(st, "C", 0, 0), "6,4");
    /* as of run 3 (started 300): runs 1, 2 and 3 only */
    assert_string_equal(coverage_runs(st, "A", 0, 3), "3,2,1");
    assert_string_equal(coverage_runs(st, "C", 0, 3), "");
    assert_int_equal(q(st, "SELECT count(*) FROM (WITH RECURSIVE x(r) AS"
                           " (SELECT (SELECT min(run_id) FROM events WHERE host_id = 1)"
                           "  UNION ALL SELECT (SELECT min(run_id) FROM events"
                           "  WHERE host_id = 1 AND run_id > x.r) FROM x WHERE x.r IS NOT NULL)"
                           " SELECT r FROM x WHERE r IS NOT NULL)"), 3);
    store_close(st);
}

static void test_newer_schema_refused(void **state)
{
    struct tu_fx *f = *state;
    struct store *st = open_ok(f->db, 0);
    store_close(st);
    char *sql = tu_fmt("PRAGMA user_version = %d", store_latest_version() + 1);
    exec_file_sql(f->db, sql);
    free(sql);

    const char *msg = open_fails(f->db, 0, STORE_E_NEWER);
    assert_non_null(strstr(msg, "newer"));
    msg = open_fails(f->db, STORE_READONLY, STORE_E_NEWER);
    assert_non_null(strstr(msg, "newer"));
    /* and it was left alone */
    assert_int_equal(tu_sql_int(f->db, "PRAGMA user_version"), store_latest_version() + 1);
}

static void test_directory_refused(void **state)
{
    struct tu_fx *f = *state;
    const char *msg = open_fails(f->dir, 0, STORE_E_OPEN);
    assert_non_null(strstr(msg, f->dir));
    open_fails(f->dir, STORE_READONLY, STORE_E_OPEN);
}

static void test_text_file_refused(void **state)
{
    struct tu_fx *f = *state;
    tu_write_str(f->db, "hello");
    open_fails(f->db, 0, STORE_E_NOTDB);
    open_fails(f->db, STORE_READONLY, STORE_E_NOTDB);
    /* a larger text file too */
    char *big = malloc(8192);
    assert_non_null(big);
    for (int i = 0; i < 8192; i++)
        big[i] = (char)('a' + i % 26);
    char *p2 = tu_path(f->dir, "big.txt");
    tu_write_file(p2, big, 8192);
    open_fails(p2, 0, STORE_E_NOTDB);
    /* the files were not touched */
    size_t len;
    char *back = tu_read_file(f->db, &len);
    assert_int_equal(len, 5);
    assert_string_equal(back, "hello");
    free(back);
    back = tu_read_file(p2, &len);
    assert_int_equal(len, 8192);
    assert_memory_equal(back, big, 8192);
    free(back);
    free(big);
    char *wal = tu_fmt("%s-wal", f->db);
    assert_false(tu_exists(wal));
    free(wal);
    free(p2);
}

static void test_missing_for_readonly(void **state)
{
    struct tu_fx *f = *state;
    open_fails(f->db, STORE_READONLY, STORE_E_OPEN);
    assert_false(tu_exists(f->db));
    /* a missing directory cannot be created into */
    char *p = tu_path(f->dir, "no/such/dir/x.db");
    open_fails(p, 0, STORE_E_OPEN);
    free(p);
}

static void test_readonly(void **state)
{
    struct tu_fx *f = *state;
    char err[512] = "";
    struct store *st = open_ok(f->db, 0);
    begin(st, NULL);
    struct wu_event ev = wu20(1, INT64_C(1683627330000000));
    assert_int_equal(add(st, &ev), 1);
    struct wu_stats stats = {1, 1, 0, 0, 0};
    end(st, &stats, NULL, 0);
    store_close(st);

    /* STORE_READONLY: reads work, a run cannot start */
    st = open_ok(f->db, STORE_READONLY);
    assert_int_equal(q(st, "SELECT count(*) FROM events"), 1);
    int rc = store_run_begin(st, "import", "x", NULL, err, sizeof err);
    assert_int_not_equal(rc, STORE_OK);
    assert_true(err[0] != '\0');
    store_close(st);
    assert_int_equal(tu_sql_int(f->db, "SELECT count(*) FROM runs"), 1);

    /* a file the process may not write */
    assert_int_equal(chmod(f->db, 0444), 0);
    int immutable = 0;
    if (geteuid() == 0) {
        /* root writes through 0444; make the file immutable instead */
        char *cmd = tu_fmt("chattr +i %s 2>/dev/null", tu_shq(f->db));
        immutable = system(cmd) == 0;
        free(cmd);
        if (!immutable) {
            print_message("note: running as root and chattr +i is not available: "
                          "skipping the read-only file sub-check\n");
            chmod(f->db, 0644);
            return;
        }
    }
    st = (struct store *)1;
    err[0] = '\0';
    rc = store_open(f->db, 0, &st, err, sizeof err);
    if (immutable) {
        char *cmd = tu_fmt("chattr -i %s", tu_shq(f->db));
        if (system(cmd) != 0)
            print_message("warning: chattr -i %s failed\n", f->db);
        free(cmd);
    }
    chmod(f->db, 0644);
    if (rc == STORE_OK)
        store_close(st);
    if (rc != STORE_E_READONLY)
        fail_msg("store_open of a read-only file = %d (\"%s\"), expected "
                 "STORE_E_READONLY (%d)", rc, err, STORE_E_READONLY);
    assert_null(st);
    assert_non_null(strstr(err, "read-only"));
    assert_int_equal(tu_sql_int(f->db, "SELECT count(*) FROM events"), 1);
}

/* ---- writing runs ------------------------------------------------------------- */

static void test_aborted_run_leaves_nothing(void **state)
{
    struct tu_fx *f = *state;
    struct store *st = open_ok(f->db, 0);
    begin(st, NULL);
    struct wu_event ev = wu20(100, INT64_C(1683627330000000));
    assert_int_equal(add(st, &ev), 1);
    assert_int_equal(store_count_unrelated(st, "e1iexpress"), STORE_OK);
    assert_int_equal(store_add_coverage(st, "test.xml", "ok", "xml"), STORE_OK);
    assert_int_equal(store_add_service_state(st, "DESKTOP-2KGM189",
                                             INT64_C(1683627330000000), "wuauserv",
                                             "Windows Update", "stopped", "disabled",
                                             "event"), STORE_OK);
    /* inside the run the rows exist ... */
    assert_int_equal(q(st, "SELECT count(*) FROM events"), 1);
    /* ... but another connection sees nothing yet */
    assert_int_equal(tu_sql_int(f->db, "SELECT count(*) FROM events"), 0);
    assert_int_equal(tu_sql_int(f->db, "SELECT count(*) FROM runs"), 0);
    store_run_abort(st);

    assert_int_equal(q(st, "SELECT count(*) FROM events"), 0);
    assert_int_equal(q(st, "SELECT count(*) FROM runs"), 0);
    assert_int_equal(q(st, "SELECT count(*) FROM hosts"), 0);
    assert_int_equal(q(st, "SELECT count(*) FROM coverage"), 0);
    assert_int_equal(q(st, "SELECT count(*) FROM unrelated_counts"), 0);
    assert_int_equal(q(st, "SELECT count(*) FROM service_states"), 0);

    /* a new run after the abort works and re-creates the host */
    begin(st, NULL);
    assert_int_equal(add(st, &ev), 1);
    struct wu_stats stats = {1, 1, 0, 0, 0};
    end(st, &stats, NULL, 0);
    assert_int_equal(q(st, "SELECT count(*) FROM events"), 1);
    assert_int_equal(q(st, "SELECT count(*) FROM hosts"), 1);
    assert_int_equal(q(st, "SELECT count(*) FROM events e JOIN hosts h ON "
                           "h.id = e.host_id"), 1);

    /* closing with a run still open rolls it back */
    begin(st, NULL);
    struct wu_event ev2 = wu20(101, INT64_C(1683627331000000));
    assert_int_equal(add(st, &ev2), 1);
    store_close(st);
    assert_int_equal(tu_sql_int(f->db, "SELECT count(*) FROM events"), 1);
    assert_int_equal(tu_sql_int(f->db, "SELECT count(*) FROM runs"), 1);
}

static void test_duplicates_ignored(void **state)
{
    struct tu_fx *f = *state;
    struct store *st = open_ok(f->db, 0);
    const int64_t t = INT64_C(1683627330000000);

    begin(st, NULL);
    struct wu_event ev = wu20(561, t);
    assert_int_equal(add(st, &ev), 1);
    assert_int_equal(add(st, &ev), 0);                 /* same run */
    struct wu_event other_time = wu20(561, t + 1);
    assert_int_equal(add(st, &other_time), 1);         /* record ids wrap: time differs */
    struct wu_event other_chan = wu20(561, t);
    other_chan.channel = "Setup";
    assert_int_equal(add(st, &other_chan), 1);
    struct wu_event other_host = wu20(561, t);
    other_host.computer = "WIN-P4SIAA0SQCO";
    assert_int_equal(add(st, &other_host), 1);
    struct wu_event case_host = wu20(561, t);
    case_host.computer = "desktop-2kgm189";
    assert_int_equal(add(st, &case_host), 0);          /* same host, other case */
    struct wu_stats stats = {6, 4, 0, 2, 0};
    end(st, &stats, NULL, 0);

    /* a later run: all duplicates */
    begin(st, NULL);
    assert_int_equal(add(st, &ev), 0);
    assert_int_equal(add(st, &other_time), 0);
    struct wu_stats s2 = {2, 0, 0, 2, 0};
    end(st, &s2, NULL, 0);

    assert_int_equal(q(st, "SELECT count(*) FROM events"), 4);
    assert_int_equal(q(st, "SELECT count(*) FROM hosts"), 2);
    assert_int_equal(q(st, "SELECT count(*) FROM runs"), 2);
    /* the first stored copy is kept */
    assert_int_equal(q(st, "SELECT run_id FROM events WHERE record_id = 561 AND "
                           "time_us = 1683627330000000 AND channel = 'System' AND "
                           "computer = 'DESKTOP-2KGM189'"), 1);
    store_close(st);
}

static void test_event_columns(void **state)
{
    struct tu_fx *f = *state;
    struct store *st = open_ok(f->db, 0);
    begin(st, NULL);
    struct wu_event ev = wu20(561, INT64_C(1500794741804504));
    assert_int_equal(add(st, &ev), 1);

    struct wu_event scm;
    memset(&scm, 0, sizeof scm);
    scm.channel = "System";
    scm.provider = "Service Control Manager";
    scm.computer = "DESKTOP-2KGM189";
    scm.event_id = 7040;
    scm.level = 4;
    scm.time_us = INT64_C(1499844003875567);
    scm.record_id = 242;
    scm.ndata = 2;
    scm.data[0].name = "param1";
    scm.data[0].value = "Background Intelligent Transfer Service";
    scm.data[1].name = "param4";
    scm.data[1].value = "bad \xFF utf8";
    scm.service = "BITS";
    scm.message = "The start type of the Background Intelligent Transfer Service "
                  "service was changed from demand start to auto start.";
    assert_int_equal(add(st, &scm), 1);
    struct wu_stats stats = {5, 2, 3, 0, 0};
    end(st, &stats, "00112233aabbccdd", 1118208);

    sqlite3 *db = store_db(st);
    assert_int_equal(q(st, "SELECT code FROM events WHERE event_id = 20"), 2147943458LL);
    char *s = tu_db_text(db, "SELECT kb FROM events WHERE event_id = 20");
    assert_string_equal(s, "KB5026361");
    free(s);
    s = tu_db_text(db, "SELECT update_title FROM events WHERE event_id = 20");
    assert_string_equal(s, "2023-05 Cumulative Update for Windows 10 Version 22H2 "
                           "for x64-based Systems (KB5026361)");
    free(s);
    assert_int_equal(q(st, "SELECT time_us FROM events WHERE event_id = 20"),
                     1500794741804504LL);
    assert_int_equal(q(st, "SELECT level FROM events WHERE event_id = 20"), 2);
    assert_int_equal(q(st, "SELECT service IS NULL FROM events WHERE event_id = 20"), 1);
    assert_int_equal(q(st, "SELECT message IS NULL FROM events WHERE event_id = 20"), 1);
    assert_int_equal(q(st, "SELECT code IS NULL FROM events WHERE event_id = 7040"), 1);
    assert_int_equal(q(st, "SELECT kb IS NULL FROM events WHERE event_id = 7040"), 1);
    s = tu_db_text(db, "SELECT service FROM events WHERE event_id = 7040");
    assert_string_equal(s, "BITS");
    free(s);
    s = tu_db_text(db, "SELECT message FROM events WHERE event_id = 7040");
    assert_non_null(strstr(s, "demand start to auto start"));
    free(s);

    /* data is a JSON object of the EventData, Binary included */
    assert_int_equal(q(st, "SELECT count(*) FROM events WHERE json_valid(data)"), 2);
    s = tu_db_text(db, "SELECT data FROM events WHERE event_id = 20");
    assert_string_equal(s, "{\"errorCode\":\"0x80070422\",\"updateTitle\":\"2023-05 "
                           "Cumulative Update for Windows 10 Version 22H2 for x64-based "
                           "Systems (KB5026361)\",\"path\":\"C:\\\\Windows "
                           "\\\"quoted\\\"\\n\\u0001\",\"Binary\":\"00FF\"}");
    free(s);
    s = tu_db_text(db, "SELECT json_extract(data, '$.path') FROM events WHERE event_id = 20");
    assert_string_equal(s, "C:\\Windows \"quoted\"\n\x01");
    free(s);
    s = tu_db_text(db, "SELECT json_extract(data, '$.param4') FROM events WHERE "
                       "event_id = 7040");
    assert_string_equal(s, "bad \xEF\xBF\xBD utf8");
    free(s);

    /* the run row, host and fingerprint */
    assert_int_equal(q(st, "SELECT records_read FROM runs"), 5);
    assert_int_equal(q(st, "SELECT stored FROM runs"), 2);
    assert_int_equal(q(st, "SELECT unrelated FROM runs"), 3);
    assert_int_equal(q(st, "SELECT finished_us IS NOT NULL FROM runs"), 1);
    s = tu_db_text(db, "SELECT h.name FROM runs r JOIN hosts h ON h.id = r.host_id");
    assert_string_equal(s, "DESKTOP-2KGM189");
    free(s);
    int64_t run = 0;
    assert_int_equal(store_file_known(st, "00112233aabbccdd", 1118208, &run), 1);
    assert_int_equal(run, q(st, "SELECT id FROM runs"));
    assert_int_equal(store_file_known(st, "00112233aabbccdd", 1118209, NULL), 0);
    assert_int_equal(store_file_known(st, "ffffffffffffffff", 1118208, NULL), 0);

    struct store_totals tot;
    assert_int_equal(store_totals(st, &tot), STORE_OK);
    assert_int_equal(tot.hosts, 1);
    assert_int_equal(tot.runs, 1);
    assert_int_equal(tot.events, 2);
    assert_int_equal(tot.events_with_code, 1);
    assert_int_equal(tot.service_states, 0);
    store_close(st);
}

static void test_forced_host_and_unrelated(void **state)
{
    struct tu_fx *f = *state;
    struct store *st = open_ok(f->db, 0);
    begin(st, "LAB-PC-07");
    struct wu_event a = wu20(1, INT64_C(1683627330000000));
    struct wu_event b = wu20(2, INT64_C(1683627331000000));
    b.computer = "SOMETHING-ELSE";
    assert_int_equal(add(st, &a), 1);
    assert_int_equal(add(st, &b), 1);
    assert_int_equal(store_count_unrelated(st, "e1iexpress"), STORE_OK);
    assert_int_equal(store_count_unrelated(st, "e1iexpress"), STORE_OK);
    assert_int_equal(store_count_unrelated(st, "Microsoft-Windows-DNS-Client"), STORE_OK);
    assert_int_equal(store_count_unrelated(st, ""), STORE_OK);
    assert_int_equal(store_add_service_state(st, "ignored", INT64_C(1683627330000000),
                                             "wuauserv", NULL, "running", NULL, NULL),
                     STORE_OK);
    struct wu_stats stats = {6, 2, 4, 0, 0};
    end(st, &stats, NULL, 0);

    assert_int_equal(q(st, "SELECT count(*) FROM hosts"), 1);
    char *s = tu_db_text(store_db(st), "SELECT name FROM hosts");
    assert_string_equal(s, "LAB-PC-07");
    free(s);
    assert_int_equal(q(st, "SELECT count(DISTINCT host_id) FROM events"), 1);
    /* Computer is still recorded as the log wrote it */
    assert_int_equal(q(st, "SELECT count(*) FROM events WHERE computer = "
                           "'SOMETHING-ELSE'"), 1);
    assert_int_equal(q(st, "SELECT count FROM unrelated_counts WHERE provider = "
                           "'e1iexpress'"), 2);
    assert_int_equal(q(st, "SELECT count FROM unrelated_counts WHERE provider = "
                           "'Microsoft-Windows-DNS-Client'"), 1);
    assert_int_equal(q(st, "SELECT sum(count) FROM unrelated_counts"), 4);
    s = tu_db_text(store_db(st), "SELECT origin FROM service_states");
    assert_string_equal(s, "live");
    free(s);
    assert_int_equal(q(st, "SELECT count(*) FROM imported_files"), 0);
    store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_new_db_is_latest, setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_migrate_v1, setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_model_coverage_runs, setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_newer_schema_refused, setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_directory_refused, setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_text_file_refused, setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_missing_for_readonly, setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_readonly, setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_aborted_run_leaves_nothing, setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_duplicates_ignored, setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_event_columns, setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_forced_host_and_unrelated, setup, tu_fx_teardown),
    };
    return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
