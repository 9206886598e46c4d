/*
 * test_import.c - `wudiag import` end to end: runs the built binary
 * (WUDIAG_BIN) on the real logs in WUDIAG_DATA and the fixtures in
 * samples/xml, each test with its own database in a temporary directory,
 * and checks exit codes, messages and exactly what landed in the database.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

/* Error codes as the events table stores them (unsigned 32-bit). */
#define C_80248007 2149875719LL
#define C_80246013 2149867539LL
#define C_80070422 2147943458LL
#define C_8024402C 2149859372LL
#define C_80240022 2149842978LL


/* wudiag --db DB import [opt] FILE */
static int import(struct tu_run *r, const char *db, const char *opt, const char *file)
{
    return tu_run(r, "%s --db %s import %s %s", tu_shq(tu_bin()), tu_shq(db),
                  opt ? opt : "", tu_shq(file));
}

static long long db_int(const char *db, const char *sql)
{
    return tu_sql_int(db, sql);
}

static void expect_db(const char *db, const char *sql, long long want)
{
    long long got = tu_sql_int(db, sql);
    if (got != want)
        fail_msg("%s -> %lld, expected %lld", sql, got, want);
}

static void assert_integrity(const char *db)
{
    char *s = tu_sql_text(db, "PRAGMA integrity_check");
    if (strcmp(s, "ok") != 0)
        fail_msg("integrity_check of %s: %s", db, s);
    free(s);
}

static void assert_contains(const char *hay, const char *needle, const char *what)
{
    if (!hay || !strstr(hay, needle))
        fail_msg("%s \"%s\" does not contain \"%s\"", what, hay ? hay : "(null)", needle);
}

/* Exactly one line on stderr, and it names `name`. */
static void assert_one_error_line(const struct tu_run *r, const char *name)
{
    if (tu_count_lines(r->err) != 1) {
        tu_run_dump(r);
        fail_msg("expected exactly one line on stderr, got %d", tu_count_lines(r->err));
    }
    if (!strstr(r->err, name)) {
        tu_run_dump(r);
        fail_msg("stderr does not name %s", name);
    }
}

static void import_ok(const char *db, const char *opt, const char *file)
{
    struct tu_run r;
    import(&r, db, opt, file);
    tu_assert_exit(&r, 0);
    if (r.errlen != 0) {
        tu_run_dump(&r);
        fail_msg("a clean import wrote to stderr");
    }
    assert_int_equal(tu_count_lines(r.out), 1);
    tu_run_free(&r);
}

/* ---- the real logs -------------------------------------------------------- */

#define WU "provider = 'Microsoft-Windows-WindowsUpdateClient'"
#define SCM "provider = 'Service Control Manager'"

static void check_win10_rows(const char *db)
{
    expect_db(db, "SELECT count(*) FROM events WHERE " WU " AND event_id = 20", 5);
    expect_db(db, "SELECT count(*) FROM events WHERE " WU " AND event_id = 20 AND "
                  "code = 2149875719", 4);
    expect_db(db, "SELECT count(*) FROM events WHERE " WU " AND event_id = 20 AND "
                  "code = 2149867539", 1);
    expect_db(db, "SELECT count(*) FROM events WHERE " WU " AND event_id = 20 AND "
                  "code IS NULL", 0);
    expect_db(db, "SELECT count(*) FROM events WHERE " WU " AND event_id = 19", 116);
    expect_db(db, "SELECT count(*) FROM events WHERE " WU " AND event_id = 43", 119);
    expect_db(db, "SELECT count(*) FROM events WHERE " WU " AND event_id = 44", 137);
    expect_db(db, "SELECT count(*) FROM events WHERE " WU, 377);
    expect_db(db, "SELECT count(*) FROM events WHERE " SCM " AND event_id = 7040 AND "
                  "service = 'BITS'", 7);
    expect_db(db, "SELECT count(*) FROM events WHERE " SCM " AND event_id = 7040 AND "
                  "service = 'TrustedInstaller'", 15);
    /* the two unrelated 7040s are not stored */
    expect_db(db, "SELECT count(*) FROM events WHERE " SCM " AND event_id = 7040", 22);
    expect_db(db, "SELECT count(*) FROM events WHERE " SCM " AND service IS NULL", 0);
    /* 7023 x12: Interactive Services Detection, Print Spooler, IP Helper */
    expect_db(db, "SELECT count(*) FROM events WHERE " SCM " AND event_id = 7023", 0);
    expect_db(db, "SELECT count(*) FROM events WHERE data LIKE '%Spooler%'", 0);
    expect_db(db, "SELECT count(*) FROM events WHERE data LIKE '%Print Spooler%'", 0);
    expect_db(db, "SELECT count(*) FROM events WHERE provider = 'e1iexpress'", 0);
    expect_db(db, "SELECT count(*) FROM hosts WHERE name = 'DESKTOP-2KGM189'", 1);
    /* the KB of the failed cumulative update */
    expect_db(db, "SELECT count(*) FROM events WHERE " WU " AND event_id = 20 AND "
                  "kb = 'KB4025342' AND record_id = 561 AND "
                  "time_us = 1500794741804504", 1);
    expect_db(db, "SELECT count(*) FROM events WHERE NOT json_valid(data)", 0);
}

static void test_win10(void **state)
{
    struct tu_fx *f = *state;
    char *evtx = tu_data_file("evtx/system-win10-2017.evtx");
    struct tu_run r;

    import(&r, f->db, NULL, evtx);
    tu_assert_exit(&r, 0);
    assert_int_equal(r.errlen, 0);
    assert_int_equal(tu_count_lines(r.out), 1);
    assert_contains(r.out, "1881 read", "summary");
    assert_contains(r.out, " 0 damaged", "summary");
    tu_run_free(&r);

    check_win10_rows(f->db);
    long long n = db_int(f->db, "SELECT count(*) FROM events");
    assert_true(n >= 377 + 22);
    expect_db(f->db, "SELECT count(*) FROM runs", 1);
    expect_db(f->db, "SELECT records_read FROM runs", 1881);
    expect_db(f->db, "SELECT damaged FROM runs", 0);
    expect_db(f->db, "SELECT duplicates FROM runs", 0);
    expect_db(f->db, "SELECT stored FROM runs", n);
    expect_db(f->db, "SELECT stored + unrelated FROM runs", 1881);
    expect_db(f->db, "SELECT count(*) FROM imported_files", 1);
    assert_integrity(f->db);

    /* again: same content, nothing added, exit 0 */
    import(&r, f->db, NULL, evtx);
    tu_assert_exit(&r, 0);
    assert_int_equal(r.errlen, 0);
    assert_int_equal(tu_count_lines(r.out), 1);
    tu_run_free(&r);
    expect_db(f->db, "SELECT count(*) FROM events", n);

    /* --force parses it again: every stored event is a duplicate */
    import(&r, f->db, "--force", evtx);
    tu_assert_exit(&r, 0);
    assert_int_equal(r.errlen, 0);
    char *dups = tu_fmt("%lld duplicates", n);
    assert_contains(r.out, dups, "--force summary");
    assert_contains(r.out, " 0 stored", "--force summary");
    assert_contains(r.out, "1881 read", "--force summary");
    free(dups);
    tu_run_free(&r);
    expect_db(f->db, "SELECT count(*) FROM events", n);
    check_win10_rows(f->db);
    assert_integrity(f->db);
    free(evtx);
}

static void test_win7(void **state)
{
    struct tu_fx *f = *state;
    char *evtx = tu_data_file("evtx/system-win7-2012.evtx");
    struct tu_run r;

    import(&r, f->db, NULL, evtx);
    tu_assert_exit(&r, 0);
    assert_int_equal(r.errlen, 0);
    assert_contains(r.out, "1601 read", "summary");
    tu_run_free(&r);

    const char *db = f->db;
    expect_db(db, "SELECT count(*) FROM events WHERE " SCM " AND event_id = 7036 AND "
                  "service = 'wuauserv'", 8);
    expect_db(db, "SELECT count(*) FROM events WHERE " SCM " AND event_id = 7036 AND "
                  "service = 'BITS'", 2);
    expect_db(db, "SELECT count(*) FROM events WHERE " SCM " AND event_id = 7040 AND "
                  "service = 'BITS'", 10);
    expect_db(db, "SELECT count(*) FROM events WHERE " SCM " AND event_id = 7040 AND "
                  "service = 'TrustedInstaller'", 92);
    expect_db(db, "SELECT count(*) FROM events WHERE " WU " AND event_id = 18", 8);
    expect_db(db, "SELECT count(*) FROM events WHERE " WU " AND event_id = 19", 8);
    expect_db(db, "SELECT count(*) FROM events WHERE " WU " AND event_id = 22", 1);
    expect_db(db, "SELECT count(*) FROM events WHERE " WU " AND event_id = 27", 3);
    expect_db(db, "SELECT count(*) FROM events WHERE " WU, 20);
    /* 7036 Print Spooler x5 is not update-related */
    expect_db(db, "SELECT count(*) FROM events WHERE data LIKE '%Spooler%'", 0);
    expect_db(db, "SELECT count(*) FROM events WHERE " SCM " AND service IS NULL", 0);
    expect_db(db, "SELECT count(*) FROM hosts WHERE name = "
                  "'WKS-WIN764BITB.shieldbase.local'", 1);
    expect_db(db, "SELECT records_read FROM runs", 1601);
    assert_integrity(db);
    free(evtx);
}

static void test_corrupt_evtx(void **state)
{
    struct tu_fx *f = *state;
    char *evtx = tu_data_file("evtx/corrupt-bad-chunk-magic.evtx");
    struct tu_run r;

    import(&r, f->db, NULL, evtx);
    tu_assert_exit(&r, 1);
    assert_one_error_line(&r, "corrupt-bad-chunk-magic.evtx");
    assert_contains(r.err, "damaged", "stderr");
    assert_int_equal(tu_count_lines(r.out), 1);
    /* libevtx alone returns 267 records, but only chunk 8's 129 verify:
     * chunks 0, 7 and 9 fail their records checksum (zeroed sectors in the
     * middle), so none of their records is kept */
    assert_contains(r.out, "129 read", "summary");
    assert_contains(r.err, "chunk 0: records checksum mismatch", "stderr");
    tu_run_free(&r);

    /* the run is committed with what could be read */
    expect_db(f->db, "SELECT count(*) FROM runs", 1);
    expect_db(f->db, "SELECT records_read FROM runs", 129);
    assert_true(db_int(f->db, "SELECT damaged FROM runs") > 0);
    expect_db(f->db, "SELECT count(*) FROM coverage WHERE status = 'partial'", 1);
    assert_integrity(f->db);

    /* not read in full, so not remembered as imported: importing it again
     * reads it again and reports the damage again (exit 1, not 0) */
    expect_db(f->db, "SELECT count(*) FROM imported_files", 0);
    import(&r, f->db, NULL, evtx);
    tu_assert_exit(&r, 1);
    assert_one_error_line(&r, "corrupt-bad-chunk-magic.evtx");
    tu_run_free(&r);
    free(evtx);
}

/* ---- the XML fixtures ------------------------------------------------------- */

static void check_wu_events_rows(const char *db, const char *host)
{
    char *sql;
    expect_db(db, "SELECT count(*) FROM events", 10);
    expect_db(db, "SELECT count(*) FROM events WHERE code = 2147943458", 3);
    expect_db(db, "SELECT count(*) FROM events WHERE event_id = 20 AND code = 2147943458", 3);
    expect_db(db, "SELECT count(*) FROM events WHERE code = 2149859372", 2);
    expect_db(db, "SELECT count(*) FROM events WHERE event_id IN (25, 31) AND "
                  "code = 2149859372", 2);
    expect_db(db, "SELECT count(*) FROM events WHERE " WU " AND event_id = 19 AND "
                  "code IS NULL AND kb = 'KB5026037'", 1);
    expect_db(db, "SELECT count(*) FROM events WHERE " SCM " AND service = 'wuauserv'", 3);
    expect_db(db, "SELECT count(*) FROM events WHERE " SCM " AND event_id IN "
                  "(7036, 7040, 7031)", 3);
    expect_db(db, "SELECT count(*) FROM events WHERE event_id = 7023", 0);
    expect_db(db, "SELECT count(*) FROM events WHERE data LIKE '%Spooler%'", 0);
    expect_db(db, "SELECT count(*) FROM events WHERE provider = 'User32'", 1);
    expect_db(db, "SELECT count(*) FROM events WHERE provider = 'User32' AND "
                  "record_id = 5011", 1);
    expect_db(db, "SELECT time_us FROM events WHERE record_id = 5001", 1683627330123456LL);
    expect_db(db, "SELECT count(*) FROM events WHERE record_id = 5001 AND "
                  "kb = 'KB5026361' AND message LIKE 'Installation Failure:%0x80070422%'", 1);
    expect_db(db, "SELECT count(*) FROM events WHERE record_id = 5003 AND kb = 'KB2267602'", 1);
    expect_db(db, "SELECT count(*) FROM events WHERE record_id = 5007 AND "
                  "json_extract(data, '$.Binary') = "
                  "'770075006100750073006500720076002F0031000000'", 1);
    expect_db(db, "SELECT count(*) FROM events WHERE record_id = 5008 AND "
                  "json_extract(data, '$.param3') = 'disabled'", 1);
    sql = tu_fmt("SELECT count(*) FROM events e JOIN hosts h ON h.id = e.host_id "
                 "WHERE h.name = '%s'", host);
    expect_db(db, sql, 10);
    free(sql);
}

static void test_xml_wevtutil(void **state)
{
    struct tu_fx *f = *state;
    char *xml = tu_src_file("samples/xml/wu-events.xml");
    struct tu_run r;
    import(&r, f->db, NULL, xml);
    tu_assert_exit(&r, 0);
    assert_int_equal(r.errlen, 0);
    assert_contains(r.out, "12 read, 10 stored, 2 unrelated, 0 duplicates, 0 damaged",
                    "summary");
    tu_run_free(&r);
    check_wu_events_rows(f->db, "WIN10-LAB");
    expect_db(f->db, "SELECT sum(count) FROM unrelated_counts", 2);
    assert_integrity(f->db);
    free(xml);
}

/* The UTF-16 "Save as XML" file holds the same events: identical rows. */
static void test_xml_saved_utf16(void **state)
{
    struct tu_fx *f = *state;
    char *u8 = tu_src_file("samples/xml/wu-events.xml");
    char *u16 = tu_src_file("samples/xml/wu-events-saved-utf16.xml");
    char *db2 = tu_path(f->dir, "second.db");
    const char *rows = "SELECT group_concat(x, char(10)) FROM (SELECT provider || '|' || "
                       "event_id || '|' || level || '|' || record_id || '|' || time_us || "
                       "'|' || computer || '|' || ifnull(service, '') || '|' || "
                       "ifnull(code, '') || '|' || ifnull(kb, '') || '|' || "
                       "ifnull(message, '') || '|' || data AS x FROM events "
                       "ORDER BY record_id)";
    struct tu_run r;

    size_t len;
    char *raw = tu_read_file(u16, &len);
    assert_true(len > 2);
    assert_int_equal((unsigned char)raw[0], 0xFF);
    assert_int_equal((unsigned char)raw[1], 0xFE);
    free(raw);

    import_ok(f->db, NULL, u8);
    import(&r, db2, NULL, u16);
    tu_assert_exit(&r, 0);
    assert_contains(r.out, "12 read, 10 stored, 2 unrelated", "summary");
    tu_run_free(&r);
    check_wu_events_rows(db2, "WIN10-LAB");

    char *a = tu_sql_text(f->db, rows);
    char *b = tu_sql_text(db2, rows);
    if (strcmp(a, b) != 0)
        fail_msg("UTF-8 and UTF-16 imports differ:\n--- UTF-8 ---\n%s\n--- UTF-16 ---\n%s",
                 a, b);
    free(a);
    free(b);

    /* both into one database: the second adds nothing */
    import(&r, f->db, NULL, u16);
    tu_assert_exit(&r, 0);
    assert_contains(r.out, "0 stored", "summary");
    assert_contains(r.out, "10 duplicates", "summary");
    tu_run_free(&r);
    expect_db(f->db, "SELECT count(*) FROM events", 10);
    free(db2);
    free(u8);
    free(u16);
}

static void test_xml_stdin(void **state)
{
    struct tu_fx *f = *state;
    char *xml = tu_src_file("samples/xml/wu-events.xml");
    char *u16 = tu_src_file("samples/xml/wu-events-saved-utf16.xml");
    struct tu_run r;

    tu_run(&r, "%s --db %s import - < %s", tu_shq(tu_bin()), tu_shq(f->db), tu_shq(xml));
    tu_assert_exit(&r, 0);
    assert_int_equal(r.errlen, 0);
    assert_contains(r.out, "12 read, 10 stored, 2 unrelated, 0 duplicates", "summary");
    tu_run_free(&r);
    check_wu_events_rows(f->db, "WIN10-LAB");
    expect_db(f->db, "SELECT count(*) FROM runs WHERE source = '<stdin>' OR source = '-'", 1);

    /* stdin has no fingerprint: it is parsed again, all duplicates */
    tu_run(&r, "cat %s | %s --db %s import -", tu_shq(u16), tu_shq(tu_bin()),
           tu_shq(f->db));
    tu_assert_exit(&r, 0);
    assert_contains(r.out, "0 stored, 2 unrelated, 10 duplicates", "summary");
    tu_run_free(&r);
    expect_db(f->db, "SELECT count(*) FROM events", 10);

    /* an .evtx cannot be read from a pipe, but it must fail cleanly */
    char *evtx = tu_data_file("evtx/system-win10-2017.evtx");
    long long runs = db_int(f->db, "SELECT count(*) FROM runs");
    tu_run(&r, "cat %s | %s --db %s import -", tu_shq(evtx), tu_shq(tu_bin()),
           tu_shq(f->db));
    if (r.status != 0) {
        assert_true(r.status == 1 || r.status == 3);
        assert_int_equal(tu_count_lines(r.err), 1);
        assert_contains(r.err, "stdin", "stderr");
    }
    assert_true(r.status < 128);    /* no crash */
    tu_run_free(&r);
    assert_true(db_int(f->db, "SELECT count(*) FROM runs") >= runs);
    assert_integrity(f->db);
    free(evtx);
    free(xml);
    free(u16);
}

static void test_host_option(void **state)
{
    struct tu_fx *f = *state;
    char *xml = tu_src_file("samples/xml/wu-events.xml");
    char *evtx = tu_data_file("evtx/system-win10-2017.evtx");
    struct tu_run r;

    import_ok(f->db, "--host LAB-7", xml);
    check_wu_events_rows(f->db, "LAB-7");
    expect_db(f->db, "SELECT count(*) FROM hosts", 1);
    /* Computer keeps what the log said */
    expect_db(f->db, "SELECT count(*) FROM events WHERE computer = 'WIN10-LAB'", 10);

    /* two computers in one log, one host given */
    import_ok(f->db, "--host=LAB-7", evtx);
    expect_db(f->db, "SELECT count(*) FROM hosts", 1);
    expect_db(f->db, "SELECT count(*) FROM events e JOIN hosts h ON h.id = e.host_id "
                     "WHERE h.name <> 'LAB-7'", 0);
    expect_db(f->db, "SELECT count(*) FROM events WHERE " WU " AND event_id = 20 AND "
                     "code = 2149875719", 4);
    expect_db(f->db, "SELECT count(*) FROM runs WHERE host_id = (SELECT id FROM hosts "
                     "WHERE name = 'LAB-7')", 2);

    /* the same file under another host is other evidence, not a duplicate */
    char *db2 = tu_path(f->dir, "hosts.db");
    import_ok(db2, "--host A", xml);
    import_ok(db2, "--host B --force", xml);
    expect_db(db2, "SELECT count(*) FROM events", 20);
    expect_db(db2, "SELECT count(*) FROM hosts", 2);

    tu_run(&r, "%s --db %s import --host '' %s", tu_shq(tu_bin()), tu_shq(f->db),
           tu_shq(xml));
    tu_assert_exit(&r, 2);
    assert_int_equal(tu_count_lines(r.err), 1);
    tu_run_free(&r);
    free(db2);
    free(xml);
    free(evtx);
}

/* --host files all events under NAME: the same file given for a second
 * host is new evidence for that host, not "already imported". */
static void test_host_option_same_file_two_hosts(void **state)
{
    struct tu_fx *f = *state;
    char *xml = tu_src_file("samples/xml/wu-events.xml");
    import_ok(f->db, "--host A", xml);
    import_ok(f->db, "--host B", xml);
    expect_db(f->db, "SELECT count(*) FROM events e JOIN hosts h ON h.id = e.host_id "
                     "WHERE h.name = 'A'", 10);
    long long b = db_int(f->db, "SELECT count(*) FROM events e JOIN hosts h ON "
                                "h.id = e.host_id WHERE h.name = 'B'");
    if (b != 10)
        fail_msg("import --host B of a file imported before with --host A stored %lld "
                 "events under B, expected 10 (the content fingerprint ignores the "
                 "host)", b);
    free(xml);
}

static void test_two_good_then_garbage(void **state)
{
    struct tu_fx *f = *state;
    char *xml = tu_src_file("samples/xml/two-then-garbage.xml");
    struct tu_run r;
    import(&r, f->db, NULL, xml);
    tu_assert_exit(&r, 1);
    assert_one_error_line(&r, "two-then-garbage.xml");
    assert_contains(r.err, "line 3", "stderr");
    assert_contains(r.out, "2 read, 2 stored", "summary");
    tu_run_free(&r);
    expect_db(f->db, "SELECT count(*) FROM events", 2);
    expect_db(f->db, "SELECT count(*) FROM events e JOIN hosts h ON h.id = e.host_id "
                     "WHERE h.name = 'DAMAGED-PC'", 2);
    expect_db(f->db, "SELECT count(*) FROM events WHERE code = 2149842978 AND "
                     "kb = 'KB5026372'", 1);
    expect_db(f->db, "SELECT count(*) FROM coverage WHERE status = 'partial'", 1);
    assert_integrity(f->db);
    /* not read in full: not remembered as imported */
    expect_db(f->db, "SELECT count(*) FROM imported_files", 0);
    free(xml);
}

static void test_hostile_fixture(void **state)
{
    struct tu_fx *f = *state;
    char *xml = tu_src_file("samples/xml/hostile.xml");
    import_ok(f->db, NULL, xml);
    expect_db(f->db, "SELECT count(*) FROM events", 2);
    /* stored decoded, as text: escaping is the renderers' job */
    expect_db(f->db, "SELECT count(*) FROM hosts WHERE name = "
                     "'XSS-<img src=x onerror=alert(2)>'", 1);
    expect_db(f->db, "SELECT count(*) FROM events WHERE update_title = "
                     "'<script>alert(1)</script> \"quoted\" & ''apos'' &amp; (KB5026361)'", 1);
    expect_db(f->db, "SELECT count(*) FROM events WHERE kb = 'KB5026361'", 1);
    expect_db(f->db, "SELECT count(*) FROM events WHERE service = 'wuauserv' AND "
                     "json_extract(data, '$.param1') = "
                     "'Windows Update\"><script>alert(3)</script>'", 1);
    expect_db(f->db, "SELECT count(*) FROM events WHERE NOT json_valid(data)", 0);
    free(xml);
}

/* ---- bad inputs leave a filled database alone --------------------------------- */

struct snapshot {
    long long events, runs, hosts;
};

static struct snapshot snap(const char *db)
{
    struct snapshot s;
    s.events = db_int(db, "SELECT count(*) FROM events");
    s.runs = db_int(db, "SELECT count(*) FROM runs");
    s.hosts = db_int(db, "SELECT count(*) FROM hosts");
    return s;
}

static void fill(const char *db)
{
    char *xml = tu_src_file("samples/xml/wu-events.xml");
    import_ok(db, NULL, xml);
    free(xml);
}

/* Import `path` into the filled db: exit `want`, one stderr line naming
 * `name`, and the database exactly as before. */
static void bad_input(const char *db, const char *path, const char *name, int want)
{
    struct snapshot before = snap(db), after;
    struct tu_run r;
    import(&r, db, NULL, path);
    if (r.status != want) {
        tu_run_dump(&r);
        fail_msg("import of %s: exit %d, expected %d", name, r.status, want);
    }
    assert_one_error_line(&r, name);
    tu_run_free(&r);
    after = snap(db);
    if (after.events != before.events || after.runs != before.runs ||
        after.hosts != before.hosts)
        fail_msg("import of %s changed the database: events %lld -> %lld, runs %lld -> "
                 "%lld, hosts %lld -> %lld", name, before.events, after.events,
                 before.runs, after.runs, before.hosts, after.hosts);
    assert_integrity(db);
}

static void test_bad_inputs(void **state)
{
    struct tu_fx *f = *state;
    fill(f->db);

    char *missing = tu_path(f->dir, "no-such-file.evtx");
    bad_input(f->db, missing, "no-such-file.evtx", 3);

    char *dir = tu_path(f->dir, "a-directory.evtx");
    assert_int_equal(mkdir(dir, 0755), 0);
    bad_input(f->db, dir, "a-directory.evtx", 3);

    char *text = tu_path(f->dir, "hello.evtx");
    tu_write_str(text, "hello world\n");
    bad_input(f->db, text, "hello.evtx", 3);

    char *empty = tu_path(f->dir, "empty.xml");
    tu_write_str(empty, "");
    bad_input(f->db, empty, "empty.xml", 3);

    char *blank = tu_path(f->dir, "blank.xml");
    tu_write_str(blank, "   \r\n\r\n  \n");
    bad_input(f->db, blank, "blank.xml", 3);

    char *mal = tu_src_file("samples/xml/malformed.xml");
    bad_input(f->db, mal, "malformed.xml", 3);

    char *lol = tu_src_file("samples/xml/billion-laughs.xml");
    bad_input(f->db, lol, "billion-laughs.xml", 3);

    char *xxe = tu_src_file("samples/xml/xxe.xml");
    bad_input(f->db, xxe, "xxe.xml", 3);

    /* well-formed XML that holds no events */
    char *noev = tu_path(f->dir, "no-events.xml");
    tu_write_str(noev, "<?xml version=\"1.0\"?>\n<Events>\n</Events>\n");
    bad_input(f->db, noev, "no-events.xml", 3);

    /* something else starting with '<' */
    char *html = tu_path(f->dir, "page.xml");
    tu_write_str(html, "<html><body><p>not a log</p></body></html>\n");
    bad_input(f->db, html, "page.xml", 3);

    /* an .evtx header followed by nothing */
    char *hdr = tu_path(f->dir, "header-only.evtx");
    tu_write_file(hdr, "ElfFile\0", 8);
    bad_input(f->db, hdr, "header-only.evtx", 3);

    free(missing);
    free(dir);
    free(text);
    free(empty);
    free(blank);
    free(mal);
    free(lol);
    free(xxe);
    free(noev);
    free(html);
    free(hdr);
}

/* A copy of the first 5000 bytes of a real log: the file header and a few
 * hundred bytes of the first chunk.  No record can be read, so this is an
 * unreadable input (3: "nothing stored from it"), not a damaged file with
 * readable records kept (1). */
static void test_truncated_evtx(void **state)
{
    struct tu_fx *f = *state;
    char *src = tu_data_file("evtx/system-win10-2017.evtx");
    size_t len;
    char *all = tu_read_file(src, &len);
    assert_true(len > 5000);
    char *cut = tu_path(f->dir, "truncated.evtx");
    tu_write_file(cut, all, 5000);
    free(all);
    fill(f->db);

    struct snapshot before = snap(f->db);
    struct tu_run r;
    import(&r, f->db, NULL, cut);
    assert_true(r.status < 128);
    assert_one_error_line(&r, "truncated.evtx");
    if (r.status != 3) {
        tu_run_dump(&r);
        fail_msg("truncated .evtx with no readable record: exit %d, expected 3", r.status);
    }
    tu_run_free(&r);
    struct snapshot after = snap(f->db);
    assert_int_equal(after.events, before.events);
    assert_int_equal(after.runs, before.runs);
    assert_integrity(f->db);
    free(cut);
    free(src);
}

/* A partly cut .evtx keeps the records of its intact chunks. */
static void test_cut_evtx_keeps_intact_chunks(void **state)
{
    struct tu_fx *f = *state;
    char *src = tu_data_file("evtx/system-win10-2017.evtx");
    size_t len;
    char *all = tu_read_file(src, &len);
    /* header + 3 whole chunks + half of the fourth */
    size_t keep = 4096 + 3 * 65536 + 32768;
    assert_true(len > keep);
    char *cut = tu_path(f->dir, "cut.evtx");
    tu_write_file(cut, all, keep);
    free(all);

    struct tu_run r;
    import(&r, f->db, NULL, cut);
    assert_true(r.status < 128);
    tu_assert_exit(&r, 1);
    assert_one_error_line(&r, "cut.evtx");
    assert_contains(r.err, "damaged", "stderr");
    tu_run_free(&r);
    long long read = db_int(f->db, "SELECT records_read FROM runs");
    assert_true(read > 0 && read < 1881);
    assert_true(db_int(f->db, "SELECT damaged FROM runs") > 0);
    assert_integrity(f->db);
    free(cut);
    free(src);
}

/* One bad file among good ones: the good ones are stored, the exit code is
 * the worst one. */
static void test_several_files(void **state)
{
    struct tu_fx *f = *state;
    char *good = tu_src_file("samples/xml/wu-events.xml");
    char *garbage = tu_src_file("samples/xml/two-then-garbage.xml");
    char *missing = tu_path(f->dir, "missing.xml");
    struct tu_run r;
    tu_run(&r, "%s --db %s import %s %s %s", tu_shq(tu_bin()), tu_shq(f->db),
           tu_shq(good), tu_shq(missing), tu_shq(garbage));
    tu_assert_exit(&r, 3);
    assert_int_equal(tu_count_lines(r.err), 2);     /* missing + damaged */
    assert_int_equal(tu_count_lines(r.out), 2);     /* the two files read */
    tu_run_free(&r);
    expect_db(f->db, "SELECT count(*) FROM events", 12);
    expect_db(f->db, "SELECT count(*) FROM runs", 2);
    free(good);
    free(garbage);
    free(missing);
}

/* ---- database problems: exit 4, one line naming the database ---------------------- */

static void test_db_errors(void **state)
{
    struct tu_fx *f = *state;
    char *xml = tu_src_file("samples/xml/wu-events.xml");
    struct tu_run r;

    /* a directory */
    import(&r, f->dir, NULL, xml);
    tu_assert_exit(&r, 4);
    assert_one_error_line(&r, f->dir);
    tu_run_free(&r);

    /* a text file: refused and left untouched */
    char *txt = tu_path(f->dir, "notes.db");
    tu_write_str(txt, "hello, this is not a database\n");
    import(&r, txt, NULL, xml);
    tu_assert_exit(&r, 4);
    assert_one_error_line(&r, "notes.db");
    tu_run_free(&r);
    char *back = tu_read_file(txt, NULL);
    assert_string_equal(back, "hello, this is not a database\n");
    free(back);

    /* a newer schema: refused, says so, left untouched */
    fill(f->db);
    struct snapshot before = snap(f->db);
    long long v = db_int(f->db, "PRAGMA user_version");
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
    char *sql = tu_fmt("PRAGMA user_version = %lld", v + 1);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    free(sql);
    sqlite3_close(db);
    import(&r, f->db, NULL, xml);
    tu_assert_exit(&r, 4);
    assert_one_error_line(&r, "wudiag.db");
    assert_contains(r.err, "newer", "stderr");
    tu_run_free(&r);
    struct snapshot after = snap(f->db);
    assert_int_equal(after.events, before.events);
    assert_int_equal(after.runs, before.runs);
    expect_db(f->db, "PRAGMA user_version", v + 1);
    assert_integrity(f->db);

    free(txt);
    free(xml);
}

/* ---- the command line ------------------------------------------------------------- */

static void test_cli(void **state)
{
    struct tu_fx *f = *state;
    const char *bin = tu_bin();
    struct tu_run r;

    tu_run(&r, "%s --help", tu_shq(bin));
    tu_assert_exit(&r, 0);
    assert_contains(r.out, "usage: wudiag", "--help");
    assert_contains(r.out, "import", "--help");
    assert_int_equal(r.errlen, 0);
    tu_run_free(&r);

    tu_run(&r, "%s --version", tu_shq(bin));
    tu_assert_exit(&r, 0);
    assert_true(strncmp(r.out, "wudiag ", 7) == 0);
    assert_true(r.out[7] >= '0' && r.out[7] <= '9');
    assert_int_equal(tu_count_lines(r.out), 1);
    tu_run_free(&r);

    tu_run(&r, "%s help import", tu_shq(bin));
    tu_assert_exit(&r, 0);
    assert_contains(r.out, "usage: wudiag import", "help import");
    assert_contains(r.out, "--host", "help import");
    assert_contains(r.out, "--force", "help import");
    tu_run_free(&r);

    tu_run(&r, "%s import --help", tu_shq(bin));
    tu_assert_exit(&r, 0);
    assert_contains(r.out, "usage: wudiag import", "import --help");
    tu_run_free(&r);

    tu_run(&r, "cd %s && %s frobnicate", tu_shq(f->dir), tu_shq(bin));
    tu_assert_exit(&r, 2);
    assert_int_equal(tu_count_lines(r.err), 1);
    assert_contains(r.err, "frobnicate", "stderr");
    tu_run_free(&r);

    tu_run(&r, "%s --db %s import --frobnicate x.xml", tu_shq(bin), tu_shq(f->db));
    tu_assert_exit(&r, 2);
    assert_int_equal(tu_count_lines(r.err), 1);
    assert_contains(r.err, "--frobnicate", "stderr");
    tu_run_free(&r);

    tu_run(&r, "%s --db %s import", tu_shq(bin), tu_shq(f->db));
    tu_assert_exit(&r, 2);
    assert_int_equal(tu_count_lines(r.err), 1);
    tu_run_free(&r);

    tu_run(&r, "%s help frobnicate", tu_shq(bin));
    tu_assert_exit(&r, 2);
    tu_run_free(&r);

    tu_run(&r, "%s", tu_shq(bin));
    tu_assert_exit(&r, 2);
    tu_run_free(&r);

    tu_run(&r, "%s import x.xml --db", tu_shq(bin));
    tu_assert_exit(&r, 2);
    tu_run_free(&r);

    /* --db after the command and --db=FILE work too */
    char *xml = tu_src_file("samples/xml/wu-events.xml");
    tu_run(&r, "%s import %s --db %s", tu_shq(bin), tu_shq(xml), tu_shq(f->db));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    expect_db(f->db, "SELECT count(*) FROM events", 10);
    char *db2 = tu_path(f->dir, "eq.db");
    char *arg = tu_fmt("--db=%s", db2);
    tu_run(&r, "%s %s import %s", tu_shq(bin), tu_shq(arg), tu_shq(xml));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    expect_db(db2, "SELECT count(*) FROM events", 10);
    free(arg);
    free(db2);
    free(xml);
}


/*
 * Windows Event Forwarding: a collector's ForwardedEvents export holds many
 * computers; every event is filed under its own host, and the unrelated
 * service (Print Spooler) is still left out.
 */
static void test_forwarded_events(void **state)
{
    struct tu_fx *f = *state;
    struct tu_run r;
    char *xml = tu_src_file("samples/xml/forwarded-events.xml");

    import(&r, f->db, NULL, xml);
    tu_assert_exit(&r, 0);
    assert_contains(r.out, "8 read, 7 stored, 1 unrelated", "summary");
    tu_run_free(&r);
    expect_db(f->db, "SELECT count(*) FROM hosts", 3);
    expect_db(f->db, "SELECT count(*) FROM events e JOIN hosts h ON h.id = e.host_id"
                     " WHERE h.name = 'ws01.corp.example'", 3);
    expect_db(f->db, "SELECT count(*) FROM events e JOIN hosts h ON h.id = e.host_id"
                     " WHERE h.name = 'srv-db.corp.example'", 2);
    expect_db(f->db, "SELECT count(*) FROM events WHERE channel = 'ForwardedEvents'", 7);
    expect_db(f->db, "SELECT count(*) FROM events WHERE data LIKE '%Spooler%'", 0);
    /* the fleet report sees three hosts, two of them with wuauserv disabled */
    tu_run(&r, "%s --db %s report --format json", tu_shq(tu_bin()), tu_shq(f->db));
    tu_assert_exit(&r, 0);
    assert_contains(r.out, "\"schema\":\"wudiag.fleet/1\"", "fleet schema");
    assert_contains(r.out, "\"by_verdict\":{\"critical\":2,\"warning\":0,\"healthy\":1",
                    "verdicts");
    tu_run_free(&r);
    free(xml);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, tu_fx_setup, tu_fx_teardown)
    const struct CMUnitTest tests[] = {
        T(test_win10),
        T(test_forwarded_events),
        T(test_win7),
        T(test_corrupt_evtx),
        T(test_xml_wevtutil),
        T(test_xml_saved_utf16),
        T(test_xml_stdin),
        T(test_host_option),
        T(test_host_option_same_file_two_hosts),
        T(test_two_good_then_garbage),
        T(test_hostile_fixture),
        T(test_bad_inputs),
        T(test_truncated_evtx),
        T(test_cut_evtx_keeps_intact_chunks),
        T(test_several_files),
        T(test_db_errors),
        T(test_cli),
    };
#undef T
    return cmocka_run_group_tests_name("import", tests, NULL, NULL);
}
