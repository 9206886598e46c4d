/*
 * test_poison.c - poisoned databases and output that attacks its reader
 * (issue 17, items 5 and 6), end to end with the built binary:
 *
 *   - merge of a host DB poisoned by hand (a NUL byte and terminal escapes
 *     in host names, data that is not JSON, times out of range, unknown
 *     kinds, a bad alias): the bad rows are skipped and counted exactly,
 *     the rest is merged, unknown kinds are classified again, a second
 *     merge adds nothing; an older schema with data that is not JSON is
 *     upgraded and merged without that row;
 *   - a bad host already in a fleet DB: the fleet report exits as the clean
 *     fleet does and names the host as unreadable, --check gives the clean
 *     fleet's verdict, history works, the JSON stays valid;
 *   - OSC title sets, clear screen, C1 CSI/OSC, U+202E and spreadsheet
 *     formulas (=HYPERLINK, =cmd|, @SUM) in a DB and in XML: no text or CSV
 *     output holds them raw (checked byte by byte), CSV formulas get a
 *     leading quote, JSON and HTML stay valid.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#define FUZZ_NO_MAIN
#include "../fuzz/fuzz_common.h"

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

/* Run SQL on the database at path (read-write); fails the test on error. */
static void sql_exec(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    char *msg = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
        fail_msg("cannot open %s", path);
    sqlite3_busy_timeout(db, 5000);
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        char buf[512];
        snprintf(buf, sizeof buf, "%s", msg ? msg : "?");
        sqlite3_free(msg);
        sqlite3_close(db);
        fail_msg("%s: %s\nSQL: %s", path, buf, sql);
    }
    sqlite3_close(db);
}

static void import_ok(const char *db, const char *host, const char *file)
{
    struct tu_run r;
    tu_run(&r, "%s --db %s import %s %s %s", tu_shq(tu_bin()), tu_shq(db),
           host ? "--host" : "", host ? tu_shq(host) : "", tu_shq(file));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
}

static int wudiag(struct tu_run *r, const char *db, const char *args)
{
    return tu_run(r, "%s --db %s %s", tu_shq(tu_bin()), tu_shq(db), args);
}

static void assert_contains(const struct tu_run *r, const char *hay, const char *needle)
{
    if (!hay || !strstr(hay, needle)) {
        tu_run_dump(r);
        fail_msg("output lacks \"%s\"", needle);
    }
}

/* a.db: win10 as host-a, b.db: win7 as host-b. */
static void make_hosts(const struct fx *f, char **a, char **b)
{
    char *win10 = tu_data_file("evtx/system-win10-2017.evtx");
    char *win7 = tu_data_file("evtx/system-win7-2012.evtx");
    *a = tu_path(f->dir, "a.db");
    *b = tu_path(f->dir, "b.db");
    import_ok(*a, "host-a", win10);
    import_ok(*b, "host-b", win7);
    free(win10);
    free(win7);
}

/*
 * Poison b.db (host-b is host 1, its one run is run 1): two hosts with
 * unusable names (a NUL byte; OSC + BEL) with 3 rows between them, 6
 * events whose data is not a JSON object, 2 events and 1 service state
 * with impossible times, 3 events of an unknown kind, 1 bad alias.  The
 * rows picked for data and time are no service-state events; the unknown
 * kinds are service-state events, so after the merge the fleet must hold
 * as many service-state events as before the poisoning.
 */
static const char *const poison_sql =
    "INSERT INTO hosts(id, name) VALUES (2, CAST(X'4556494C00414243' AS TEXT));"
    "INSERT INTO hosts(id, name) VALUES (3, 'PWN' || char(27) || ']0;pwned' || char(7));"
    "INSERT INTO events(host_id, run_id, channel, provider, event_id, time_us,"
    " record_id, data) VALUES"
    " (2, 1, 'System', 'Microsoft-Windows-WindowsUpdateClient', 20, 1500000000000000,"
    "  900001, '{}'),"
    " (3, 1, 'System', 'Microsoft-Windows-WindowsUpdateClient', 20, 1500000000000000,"
    "  900002, '{}');"
    "INSERT INTO service_states(host_id, run_id, time_us, name, state, start_type)"
    " VALUES (2, 1, 1500000000000000, 'wuauserv', 'running', 'auto');"
    "CREATE TEMP TABLE pick AS SELECT id, row_number() OVER (ORDER BY id) AS n"
    " FROM events WHERE host_id = 1 AND kind IS NOT 'service-state';"
    "UPDATE events SET data = 'not json {' WHERE id IN (SELECT id FROM pick WHERE n <= 5);"
    "UPDATE events SET data = '[1,2]' WHERE id = (SELECT id FROM pick WHERE n = 6);"
    "UPDATE events SET time_us = 999999999999999999 WHERE id = (SELECT id FROM pick WHERE n = 7);"
    "UPDATE events SET time_us = 'soon' WHERE id = (SELECT id FROM pick WHERE n = 8);"
    "UPDATE service_states SET time_us = -999999999999999999"
    " WHERE id = (SELECT min(id) FROM service_states WHERE host_id = 1);"
    "UPDATE events SET kind = 'frobnicate' WHERE id IN (SELECT id FROM events"
    " WHERE host_id = 1 AND kind = 'service-state' ORDER BY id LIMIT 3);"
    "INSERT INTO host_aliases VALUES (CAST(X'41001B' AS TEXT), 'host-b', 0);";

static void test_merge_skips_and_counts(void **state)
{
    struct fx *f = *state;
    char *a, *b, *fleet = tu_path(f->dir, "fleet.db");
    struct tu_run r;

    make_hosts(f, &a, &b);
    long long ev_a = tu_sql_int(a, "SELECT count(*) FROM events");
    long long ev_b = tu_sql_int(b, "SELECT count(*) FROM events");
    long long st_a = tu_sql_int(a, "SELECT count(*) FROM service_states");
    long long st_b = tu_sql_int(b, "SELECT count(*) FROM service_states");
    long long ss = tu_sql_int(a, "SELECT count(*) FROM events WHERE kind = 'service-state'") +
                   tu_sql_int(b, "SELECT count(*) FROM events WHERE kind = 'service-state'");
    sql_exec(b, poison_sql);
    assert_int_equal(tu_sql_int(b, "SELECT count(*) FROM events WHERE kind = 'frobnicate'"), 3);

    tu_run(&r, "%s merge -o %s %s %s", tu_shq(tu_bin()), tu_shq(fleet), tu_shq(a),
           tu_shq(b));
    tu_assert_exit(&r, 1);                  /* rows skipped: the rest merged */
    assert_contains(&r, r.out, "b.db: 1 runs, ");
    assert_contains(&r, r.out, "; 13 rows skipped: 2 hosts with an unusable name "
                    "(host #2: a NUL byte) and their 3 rows, 1 host alias with an "
                    "unusable name, 6 events whose data is not a JSON object, 3 rows "
                    "with a time outside 1601..9999; 3 events of unknown kind "
                    "classified again\n");
    assert_contains(&r, r.out, "merged 2 of 2 databases");
    assert_contains(&r, r.out, "; 13 rows skipped\n");
    if (tu_count_lines(r.err) != 1 || !strstr(r.err, "b.db: 13 rows skipped: "))
        fail_msg("expected one stderr line for b.db, got: %s", r.err);
    tu_run_free(&r);

    /* exactly the good rows, nothing poisoned, kinds classified again */
    assert_int_equal(tu_sql_int(fleet, "SELECT count(*) FROM events"), ev_a + ev_b - 8);
    assert_int_equal(tu_sql_int(fleet, "SELECT count(*) FROM service_states"),
                     st_a + st_b - 1);
    assert_int_equal(tu_sql_int(fleet, "SELECT count(*) FROM hosts"), 2);
    assert_int_equal(tu_sql_int(fleet, "SELECT count(*) FROM hosts WHERE"
                                " instr(CAST(name AS BLOB), X'00') > 0"
                                " OR instr(name, char(27)) > 0"), 0);
    assert_int_equal(tu_sql_int(fleet, "SELECT count(*) FROM host_aliases WHERE"
                                " instr(CAST(alias AS BLOB), X'00') > 0"), 0);
    assert_int_equal(tu_sql_int(fleet, "SELECT count(*) FROM events WHERE NOT"
                                " json_valid(data) OR json_type(data) <> 'object'"), 0);
    assert_int_equal(tu_sql_int(fleet, "SELECT count(*) FROM events WHERE"
                                " typeof(time_us) <> 'integer' OR time_us > 253402300800000000"),
                     0);
    assert_int_equal(tu_sql_int(fleet, "SELECT count(*) FROM events WHERE kind = 'frobnicate'"),
                     0);
    assert_int_equal(tu_sql_int(fleet, "SELECT count(*) FROM events WHERE"
                                " kind = 'service-state'"), ss);
    char *ic = tu_sql_text(fleet, "PRAGMA integrity_check");
    assert_string_equal(ic, "ok");
    free(ic);

    /* again: nothing new (the bad alias is counted again, nothing else) */
    tu_run(&r, "%s merge -q -o %s %s %s", tu_shq(tu_bin()), tu_shq(fleet), tu_shq(a),
           tu_shq(b));
    tu_assert_exit(&r, 1);
    assert_contains(&r, r.out, " 0 runs, 0 events, 0 service states added; 2 runs");
    assert_contains(&r, r.out, "; 1 rows skipped\n");
    tu_run_free(&r);
    assert_int_equal(tu_sql_int(fleet, "SELECT count(*) FROM events"), ev_a + ev_b - 8);

    /* the fleet of the merged rows reports like any fleet */
    wudiag(&r, fleet, "report");
    tu_assert_exit(&r, 0);
    assert_null(strstr(r.err, "unreadable"));
    tu_run_free(&r);
    free(a);
    free(b);
    free(fleet);
}

/* An older schema with data that is not JSON: the upgrade in the temporary
 * copy (migration 006 reads data) no longer fails the whole DB; merge
 * skips the row and counts it. */
static void test_older_schema_poisoned(void **state)
{
    struct fx *f = *state;
    char *v1 = tu_path(f->dir, "v1.db"), *fleet = tu_path(f->dir, "fleet.db");
    char *fixture = tu_src_file("samples/v1.sql");
    struct tu_run r;

    tu_run(&r, "sqlite3 %s < %s", tu_shq(v1), tu_shq(fixture));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    long long n = tu_sql_int(v1, "SELECT count(*) FROM events");
    assert_true(n >= 2);
    sql_exec(v1, "UPDATE events SET data = 'oops' WHERE id ="
                 " (SELECT id FROM events WHERE provider = 'Service Control Manager'"
                 " LIMIT 1)");
    tu_run(&r, "%s merge -o %s %s", tu_shq(tu_bin()), tu_shq(fleet), tu_shq(v1));
    tu_assert_exit(&r, 1);
    assert_contains(&r, r.out, "v1.db: 1 runs, ");
    assert_contains(&r, r.out, "; 1 row skipped: 1 event whose data is not a JSON object\n");
    tu_run_free(&r);
    assert_int_equal(tu_sql_int(fleet, "SELECT count(*) FROM events"), n - 1);
    assert_int_equal(tu_sql_int(v1, "PRAGMA user_version"), 1);     /* input untouched */
    free(fixture);
    free(v1);
    free(fleet);
}

/* The verdict word of --check (first line) and its exit code. */
static void check_verdict(const char *db, char *word, size_t len, int *code)
{
    struct tu_run r;
    *code = wudiag(&r, db, "report --check");
    snprintf(word, len, "%.*s", (int)strcspn(r.out, "\n"), r.out);
    tu_run_free(&r);
}

static void test_bad_host_in_fleet(void **state)
{
    struct fx *f = *state;
    char *a, *b, *fleet = tu_path(f->dir, "fleet.db");
    char clean_word[64], word[64];
    int clean_code, code;
    struct tu_run r;

    make_hosts(f, &a, &b);
    tu_run(&r, "%s merge -o %s %s %s", tu_shq(tu_bin()), tu_shq(fleet), tu_shq(a),
           tu_shq(b));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    check_verdict(fleet, clean_word, sizeof clean_word, &clean_code);
    assert_true(clean_code >= 0 && clean_code <= 2);

    /* a host put there by hand: NUL in its name, data that is not JSON */
    sql_exec(fleet,
             "INSERT INTO hosts(name) VALUES (CAST(X'4556494C00414243' AS TEXT));"
             "INSERT INTO events(host_id, run_id, channel, provider, event_id, time_us,"
             " record_id, data, code, kind, outcome) VALUES ((SELECT max(id) FROM hosts),"
             " 1, 'System', 'Microsoft-Windows-WindowsUpdateClient', 20, 1500000000000000,"
             " 99999, 'not json', 2147942402, 'install', 'failed');"
             "INSERT INTO service_states(host_id, run_id, time_us, name, state)"
             " VALUES ((SELECT max(id) FROM hosts), 1, 1500000000000000, 'wuauserv',"
             " 'stopped');"
             "UPDATE events SET data = '{broken' WHERE id IN (SELECT id FROM events"
             " WHERE host_id = 1 LIMIT 3);");

    wudiag(&r, fleet, "report");
    tu_assert_exit(&r, 0);
    assert_contains(&r, r.out, "fleet report");
    assert_contains(&r, r.out, "  unreadable: host #3: its name holds a NUL byte\n");
    assert_contains(&r, r.out, "host-a");
    assert_contains(&r, r.out, "host-b");
    if (tu_count_lines(r.err) != 1 ||
        !strstr(r.err, "unreadable host #3: its name holds a NUL byte; left out"))
        fail_msg("expected one stderr line naming host #3, got: %s", r.err);
    tu_run_free(&r);

    check_verdict(fleet, word, sizeof word, &code);
    assert_string_equal(word, clean_word);
    assert_int_equal(code, clean_code);

    wudiag(&r, fleet, "report --format json");
    tu_assert_exit(&r, 0);
    assert_int_equal(fz_json_valid(r.out, r.outlen), 0);
    assert_contains(&r, r.out, "\"unreadable_hosts\":[\"host #3: its name holds a NUL byte\"]");
    tu_run_free(&r);

    wudiag(&r, fleet, "report --format html");
    tu_assert_exit(&r, 0);
    assert_contains(&r, r.out, "Unreadable: host #3: its name holds a NUL byte");
    tu_run_free(&r);

    wudiag(&r, fleet, "history");
    tu_assert_exit(&r, 0);
    assert_contains(&r, r.out, "host-a: history per day");
    assert_contains(&r, r.out, "host-b: history per day");
    assert_contains(&r, r.err, "unreadable host #3");
    tu_run_free(&r);

    wudiag(&r, fleet, "history --format json");
    tu_assert_exit(&r, 0);
    assert_int_equal(fz_json_valid(r.out, r.outlen), 0);
    tu_run_free(&r);

    wudiag(&r, fleet, "report --each");
    tu_assert_exit(&r, 0);
    tu_run_free(&r);

    /* export: every event but the bad host's (it used to come out as "EVIL") */
    wudiag(&r, fleet, "export");
    tu_assert_exit(&r, 0);
    assert_int_equal(tu_count_lines(r.out),
                     tu_sql_int(fleet, "SELECT count(*) FROM events e JOIN hosts h"
                                " ON h.id = e.host_id WHERE h.name IN ('host-a', 'host-b')"));
    assert_null(strstr(r.out, "EVIL"));
    assert_contains(&r, r.err, "unreadable host #3");
    tu_run_free(&r);
    free(a);
    free(b);
    free(fleet);
}

/* ---- output that attacks its reader ------------------------------------ */

#define NS "xmlns='http://schemas.microsoft.com/win/2004/08/events/event'"

/* One WindowsUpdateClient event (19 installed / 20 failed). */
static char *xml_event(int id, const char *time, int rec, const char *computer,
                       const char *title)
{
    return tu_fmt("<Event " NS "><System><Provider Name='Microsoft-Windows-"
                  "WindowsUpdateClient'/><EventID>%d</EventID><Level>%d</Level>"
                  "<TimeCreated SystemTime='%s'/><EventRecordID>%d</EventRecordID>"
                  "<Channel>System</Channel><Computer>%s</Computer></System><EventData>"
                  "<Data Name='errorCode'>0x80070422</Data><Data Name='updateTitle'>%s"
                  "</Data></EventData></Event>\n", id, id == 20 ? 2 : 4, time, rec,
                  computer, title);
}

/*
 * What must not reach a reader raw: ESC, BEL and every other C0 control
 * but LF (and CR, TAB where allowed), DEL, C1 controls, bidi controls.
 */
static void assert_inert(const char *what, const char *buf, size_t len, int csv)
{
    const unsigned char *p = (const unsigned char *)buf;
    size_t bad = fz_utf8_bad(buf, len);
    if (bad != (size_t)-1)
        fail_msg("%s: invalid UTF-8 at offset %zu", what, bad);
    for (size_t i = 0; i < len; i++) {
        unsigned c = p[i];
        if ((c < 0x20 && c != '\n' && !(csv && (c == '\r' || c == '\t'))) || c == 0x7F)
            fail_msg("%s: raw control 0x%02X at offset %zu: \"%.40s\"", what, c, i,
                     buf + (i > 20 ? i - 20 : 0));
        if (c == 0xC2 && i + 1 < len && p[i + 1] < 0xA0)
            fail_msg("%s: raw C1 control U+00%02X at offset %zu", what, p[i + 1], i);
        if (c == 0xE2 && i + 2 < len && p[i + 1] == 0x80 &&
            (p[i + 2] == 0x8E || p[i + 2] == 0x8F || (p[i + 2] >= 0xAA && p[i + 2] <= 0xAE)))
            fail_msg("%s: raw bidi control at offset %zu", what, i);
        if (c == 0xE2 && i + 2 < len && p[i + 1] == 0x81 && p[i + 2] >= 0xA6 &&
            p[i + 2] <= 0xA9)
            fail_msg("%s: raw bidi isolate at offset %zu", what, i);
        if (c == 0xD8 && i + 1 < len && p[i + 1] == 0x9C)
            fail_msg("%s: raw U+061C at offset %zu", what, i);
    }
}

/* 1 when p starts a CSV field of csv (after a separator, a line end, or
 * the opening quote of a quoted field). */
static int field_start(const char *csv, const char *p)
{
    if (p == csv || p[-1] == ',' || p[-1] == '\n')
        return 1;
    return p[-1] == '"' && (p - 1 == csv || p[-2] == ',' || p[-2] == '\n');
}

/* No field of csv starts with formula; with must, at least one field
 * starts with it defused ("'" first, OWASP's rule). */
static void assert_defused(const char *what, const char *csv, const char *formula, int must)
{
    int defused = 0;
    for (const char *p = csv; (p = strstr(p, formula)); p++) {
        if (field_start(csv, p))
            fail_msg("%s: a field starts with \"%s\" at offset %zu: \"%.60s\"", what,
                     formula, (size_t)(p - csv), p > csv + 10 ? p - 10 : csv);
        if (p[-1] == '\'' && field_start(csv, p - 1))
            defused++;
    }
    if (must && !defused)
        fail_msg("%s: no field \"'%s\" (the test did not reach the output)", what, formula);
}

static void test_output_neutralised(void **state)
{
    struct fx *f = *state;
    char *db = tu_path(f->dir, "evil.db"), *xml = tu_path(f->dir, "evil.xml");
    struct tu_run r;

    /* from XML: C1 CSI (clear screen), C1 OSC (title) ... ST, U+202E, formulas
     * (ESC itself cannot be written in XML 1.0) */
    char *e1 = xml_event(19, "2025-12-01T10:00:00.000Z", 1,
                         "XMLHOST&#x9B;2J&#x9D;0;pwned&#x9C;&#x202E;gnp.exe",
                         "=HYPERLINK(&quot;http://x&quot;,&quot;click&quot;) (KB5000001)");
    char *e2 = xml_event(20, "2025-12-02T10:00:00.000Z", 2,
                         "XMLHOST&#x9B;2J&#x9D;0;pwned&#x9C;&#x202E;gnp.exe",
                         "&#x202E;=cmd|'/c calc'!A1 (KB5000002)");
    char *doc = tu_fmt("<Events>\n%s%s</Events>\n", e1, e2);
    tu_write_str(xml, doc);
    import_ok(db, NULL, xml);
    free(e1);
    free(e2);
    free(doc);

    /* from the DB: ESC sequences (OSC title with BEL, clear screen, SGR),
     * C1 CSI, bidi override and formulas in host, service, title, KB, message */
    sql_exec(db,
             "INSERT INTO hosts(name) VALUES ('TERM' || char(27) || ']0;pwned' || char(7)"
             " || char(27) || '[2J' || char(155) || '31m' || char(8238) || 'x');"
             "INSERT INTO events(host_id, run_id, channel, provider, event_id, level,"
             " time_us, record_id, update_title, kb, message, code, kind, outcome, data)"
             " VALUES ((SELECT max(id) FROM hosts), 1, 'System',"
             " 'Microsoft-Windows-WindowsUpdateClient', 19, 4, 1764583200000000, 10,"
             " '=HYPERLINK(\"http://x\")' || char(27) || '[2J', '@SUM(A1)',"
             " '-2+3' || char(27) || ']0;pwned' || char(7), NULL, 'install', 'succeeded',"
             " '{}'),"
             " ((SELECT max(id) FROM hosts), 1, 'System',"
             " 'Microsoft-Windows-WindowsUpdateClient', 20, 2, 1764669600000000, 11,"
             " '=cmd|''/c calc''!A1', '+1+1', '@SUM(A1)' || char(8238), 2147942402,"
             " 'install', 'failed', '{}');"
             "INSERT INTO service_states(host_id, run_id, time_us, name, state, start_type)"
             " VALUES ((SELECT max(id) FROM hosts), 1, 1764583200000000,"
             "  'wuauserv' || char(27) || '[2J', 'running' || char(155) || '2J', 'auto'),"
             " ((SELECT max(id) FROM hosts), 1, 1764669600000000,"
             "  'wuauserv' || char(27) || '[2J', 'stopped' || char(8238), 'disabled');");

    static const char *const text_cmds[] = {
        "report", "report --each", "history", "history --week",
    };
    for (size_t i = 0; i < sizeof text_cmds / sizeof text_cmds[0]; i++) {
        wudiag(&r, db, text_cmds[i]);
        tu_assert_exit(&r, 0);
        assert_inert(text_cmds[i], r.out, r.outlen, 0);
        assert_inert(text_cmds[i], r.err, r.errlen, 0);
        /* the data is there, neutralised: U+FFFD where the controls were */
        assert_contains(&r, r.out, "TERM\xEF\xBF\xBD]0;pwned\xEF\xBF\xBD");
        tu_run_free(&r);
    }
    wudiag(&r, db, "history");
    assert_contains(&r, r.out, "wuauserv\xEF\xBF\xBD[2J state: running\xEF\xBF\xBD"
                    "2J -> stopped\xEF\xBF\xBD");
    tu_run_free(&r);

    static const char *const csv_cmds[] = {
        "export --format csv", "history --format csv", "history --week --format csv",
    };
    for (size_t i = 0; i < sizeof csv_cmds / sizeof csv_cmds[0]; i++) {
        wudiag(&r, db, csv_cmds[i]);
        tu_assert_exit(&r, 0);
        assert_inert(csv_cmds[i], r.out, r.outlen, 1);
        /* export has every field; history the last install (its KB) */
        int exp = i == 0;
        assert_defused(csv_cmds[i], r.out, "=HYPERLINK(", exp);
        assert_defused(csv_cmds[i], r.out, "=cmd|", exp);
        assert_defused(csv_cmds[i], r.out, "@SUM(A1)", 1);
        assert_defused(csv_cmds[i], r.out, "+1+1", exp);
        assert_defused(csv_cmds[i], r.out, "-2+3", exp);
        tu_run_free(&r);
    }

    /* JSON: valid, the controls escaped (so the data survives, inert) */
    static const char *const json_cmds[] = {
        "report --format json", "report --each --format json", "history --format json",
    };
    for (size_t i = 0; i < sizeof json_cmds / sizeof json_cmds[0]; i++) {
        wudiag(&r, db, json_cmds[i]);
        tu_assert_exit(&r, 0);
        if (fz_json_valid(r.out, r.outlen) != 0) {
            tu_run_dump(&r);
            fail_msg("%s: invalid JSON", json_cmds[i]);
        }
        assert_inert(json_cmds[i], r.out, r.outlen, 0);
        assert_contains(&r, r.out, "TERM\\u001b]0;pwned\\u0007");
        assert_contains(&r, r.out, "\\u009b2J\\u009d0;pwned\\u009c\\u202e");
        tu_run_free(&r);
    }
    wudiag(&r, db, "export");
    tu_assert_exit(&r, 0);
    assert_inert("export", r.out, r.outlen, 0);
    for (const char *line = r.out; *line;) {
        const char *nl = strchr(line, '\n');
        size_t n = nl ? (size_t)(nl - line) : strlen(line);
        if (fz_json_valid(line, n) != 0)
            fail_msg("export: invalid JSON line: %.*s", (int)n, line);
        line += n + (nl != NULL);
    }
    assert_contains(&r, r.out, "\"=HYPERLINK(\\\"http://x\\\")\\u001b[2J\"");
    tu_run_free(&r);

    wudiag(&r, db, "report --each --format html");
    tu_assert_exit(&r, 0);
    char why[160];
    if (fz_html_clean(r.out, r.outlen, why, sizeof why) != 0)
        fail_msg("html: %s", why);
    assert_inert("html", r.out, r.outlen, 1);       /* no raw C1 or bidi either */
    tu_run_free(&r);
    free(db);
    free(xml);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_merge_skips_and_counts),
        T(test_older_schema_poisoned),
        T(test_bad_host_in_fleet),
        T(test_output_neutralised),
    };
    return cmocka_run_group_tests_name("poison", tests, NULL, NULL);
}
