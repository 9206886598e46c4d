/*
 * test_hostile.c - hostile input end to end (import, then report in every
 * format), for what the other tests do not already cover: NUL bytes in XML
 * and text logs, time stamps out of range (in logs, and in a database that
 * holds any 64-bit time), a 10 MB field, invalid UTF-16 and UTF-8, entity
 * attacks in UTF-16 and behind a comment, and markup in text-log lines
 * (CBS.log, WindowsUpdate.log: URLs, proxies).  Outputs are checked with
 * the fuzzers' checkers (fuzz/fuzz_common.h): valid UTF-8, valid JSON, no
 * markup in the HTML but the renderer's own.  Denial of service: a 40 MiB
 * attribute, comment or tag name and 2 M nested elements are refused fast
 * and in little memory, by the documented limits (16 MiB, depth 64).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#define FUZZ_NO_MAIN
#include "../fuzz/fuzz_common.h"

#include <sys/resource.h>
#include <sys/time.h>
#include <time.h>


#define NS "xmlns='http://schemas.microsoft.com/win/2004/08/events/event'"

/* One WindowsUpdateClient 20 event (install failed, 0x80070422). */
static char *event(const char *time, const char *title, int rec, const char *computer)
{
    return tu_fmt("<Event " NS "><System><Provider Name='Microsoft-Windows-"
                  "WindowsUpdateClient'/><EventID>20</EventID><Level>2</Level>"
                  "<TimeCreated SystemTime='%s'/><EventRecordID>%d</EventRecordID>"
                  "<Channel>System</Channel><Computer>%s</Computer></System><EventData>"
                  "<Data Name='errorCode'>0x80070422</Data><Data Name='updateTitle'>%s"
                  "</Data></EventData></Event>\n", time, rec, computer, title);
}

static char *write_tmp(struct tu_fx *f, const char *name, const void *data, size_t len)
{
    char *p = tu_path(f->dir, name);
    tu_write_file(p, data, len);
    return p;
}

static int import(struct tu_run *r, const char *db, const char *file)
{
    return tu_run(r, "%s --db %s import %s", tu_shq(tu_bin()), tu_shq(db), tu_shq(file));
}

static void one_line(const struct tu_run *r, int want, const char *needle)
{
    if (r->status != want || tu_count_lines(r->err) != 1 ||
        (needle && !strstr(r->err, needle))) {
        tu_run_dump(r);
        fail_msg("expected exit %d and one stderr line with \"%s\"", want,
                 needle ? needle : "");
    }
}

/* Report the whole DB (--each) in every format; each must succeed and be
 * valid.  Returns the text report (malloc'd). */
static char *report_all(const char *db)
{
    static const char *const fmts[] = {"html", "json", "text"};
    char *text = NULL;
    char why[200];

    for (int i = 0; i < 3; i++) {
        struct tu_run r;
        tu_run(&r, "%s --db %s report --each --format %s", tu_shq(tu_bin()), tu_shq(db),
               fmts[i]);
        tu_assert_exit(&r, 0);
        size_t bad = fz_utf8_bad(r.out, r.outlen);
        if (bad != (size_t)-1)
            fail_msg("%s report: invalid UTF-8 at offset %zu", fmts[i], bad);
        if (i == 0 && fz_html_clean(r.out, r.outlen, why, sizeof why) != 0)
            fail_msg("html report: %s", why);
        if (i == 1 && fz_json_valid(r.out, r.outlen) != 0)
            fail_msg("json report does not parse");
        if (i == 2) {
            text = r.out;
            r.out = NULL;
        }
        tu_run_free(&r);
    }
    return text;
}

/* ---- time stamps out of range ------------------------------------------------------ */

static void test_times_out_of_range(void **state)
{
    struct tu_fx *f = *state;
    static const char *const times[] = {
        "2023-05-09T10:15:30.1234567Z", "1600-12-31T23:59:59Z", "10000-01-01T00:00:00Z",
        "2023-13-01T00:00:00Z", "2023-02-30T00:00:00Z", "2023-05-09T24:00:00Z",
        "2023-00-10T00:00:00Z", "-2023-05-09T00:00:00Z", "99999999999999999999",
        "1601-01-01T00:00:00Z", "9999-12-31T23:59:59.9999999Z",
    };
    size_t n = sizeof times / sizeof times[0];
    char *xml = tu_strdup("");

    for (size_t i = 0; i < n; i++) {
        char *e = event(times[i], "Update (KB5026361)", (int)i + 1, "HOST");
        char *x = tu_fmt("%s%s", xml, e);
        free(xml);
        free(e);
        xml = x;
    }
    char *p = write_tmp(f, "times.xml", xml, strlen(xml));
    struct tu_run r;
    import(&r, f->db, p);
    one_line(&r, 1, "8 events");        /* the 8 bad ones: skipped, said once */
    assert_non_null(strstr(r.out, "3 stored"));
    tu_run_free(&r);
    assert_int_equal(tu_sql_int(f->db, "SELECT count(*) FROM events"), 3);
    assert_int_equal(tu_sql_int(f->db, "SELECT min(time_us) FROM events"),
                     -11644473600000000LL);
    assert_int_equal(tu_sql_int(f->db, "SELECT max(time_us) FROM events"),
                     253402300799999999LL);
    char *text = report_all(f->db);
    assert_non_null(strstr(text, "1601-01-01"));
    assert_non_null(strstr(text, "9999-12-31"));
    free(text);
    free(p);
    free(xml);
}

/* A database (damaged, or written by something else) may hold any 64-bit
 * time: every reader must cope (the store clamps the report model). */
static void test_db_with_any_time(void **state)
{
    struct tu_fx *f = *state;
    char *xml = event("2023-05-09T10:15:30Z", "Update (KB5026361)", 1, "HOST");
    char *p = write_tmp(f, "one.xml", xml, strlen(xml));
    struct tu_run r;
    sqlite3 *db = NULL;

    import(&r, f->db, p);
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
    static const char *const sql[] = {
        "INSERT INTO events(host_id, run_id, channel, provider, event_id, level, time_us,"
        " record_id, computer, code, update_title, data) SELECT host_id, run_id, channel,"
        " provider, event_id, level, v, record_id + v % 1000 + 1000, computer, code,"
        " update_title, data FROM events, (SELECT -9223372036854775807 - 1 AS v"
        " UNION ALL SELECT 9223372036854775807 UNION ALL SELECT -1"
        " UNION ALL SELECT 0) LIMIT 4",
        "INSERT INTO service_states(host_id, run_id, time_us, name, state, start_type,"
        " origin) SELECT host_id, run_id, 9223372036854775807, 'wuauserv', 'stopped',"
        " 'disabled', 'event' FROM events LIMIT 1",
        "INSERT INTO service_states(host_id, run_id, time_us, name, state, start_type,"
        " origin) SELECT host_id, run_id, -9223372036854775807 - 1, 'BITS', 'running',"
        " 'auto', 'event' FROM events LIMIT 1",
        "UPDATE runs SET started_us = -9223372036854775807 - 1",
    };
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
        char *err = NULL;
        if (sqlite3_exec(db, sql[i], NULL, NULL, &err) != SQLITE_OK)
            fail_msg("%s: %s", sql[i], err);
    }
    sqlite3_close(db);
    assert_int_equal(tu_sql_int(f->db, "SELECT count(*) FROM events"), 5);

    char *text = report_all(f->db);
    free(text);
    static const char *const cmds[] = {
        "report --check", "report --redact --format html", "export", "export --format csv",
        "history", "history --week --format json", "history --format csv",
        "report --days 30", "export --days 30",
    };
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        tu_run(&r, "%s --db %s %s", tu_shq(tu_bin()), tu_shq(f->db), cmds[i]);
        if (r.status >= 4 || (strncmp(cmds[i], "report --check", 14) != 0 && r.status)) {
            tu_run_dump(&r);
            fail_msg("%s on a database with extreme times: exit %d", cmds[i], r.status);
        }
        tu_run_free(&r);
    }
    free(p);
    free(xml);
}

/* ---- NUL bytes ----------------------------------------------------------------------------- */

static void test_nul_bytes(void **state)
{
    struct tu_fx *f = *state;
    char *e1 = event("2023-05-09T10:15:30Z", "first", 1, "HOST");
    char *e2 = event("2023-05-09T10:15:31Z", "a@b", 2, "HOST");
    char *e3 = event("2023-05-09T10:15:32Z", "third", 3, "HOST");
    struct tu_run r;

    /* a raw NUL in the text of the second event: the first is kept */
    char *all = tu_fmt("%s%s%s", e1, e2, e3);
    size_t len = strlen(all);
    *strchr(all, '@') = '\0';
    char *p = write_tmp(f, "nul.xml", all, len);
    import(&r, f->db, p);
    one_line(&r, 1, "nul.xml");
    tu_run_free(&r);
    assert_int_equal(tu_sql_int(f->db, "SELECT count(*) FROM events"), 1);

    /* in the first event: not an event log, nothing stored */
    char *only = tu_fmt("%s%s", e2, e3);
    len = strlen(only);
    *strchr(only, '@') = '\0';
    char *q = write_tmp(f, "nul-first.xml", only, len);
    import(&r, f->db, q);
    one_line(&r, 3, "nul-first.xml");
    tu_run_free(&r);
    assert_int_equal(tu_sql_int(f->db, "SELECT count(*) FROM runs"), 1);

    /* a UTF-16 file with a NUL character in a value */
    char *u8 = tu_fmt("%s", e1);
    size_t n8 = strlen(u8), n16 = 2 + 2 * n8;
    unsigned char *u16 = malloc(n16);
    assert_non_null(u16);
    u16[0] = 0xFF;
    u16[1] = 0xFE;
    for (size_t i = 0; i < n8; i++) {
        u16[2 + 2 * i] = (unsigned char)(u8[i] == '!' ? 0 : u8[i]);
        u16[3 + 2 * i] = 0;
    }
    char *fs = strstr(u8, "first");
    u16[2 + 2 * (size_t)(fs - u8) + 2] = 0;     /* "f\0rst" */
    char *w = write_tmp(f, "nul-utf16.xml", u16, n16);
    import(&r, f->db, w);
    one_line(&r, 3, "nul-utf16.xml");
    tu_run_free(&r);

    /* a text log with a NUL run (what a crash leaves in CBS.log) and a NUL
     * inside a line, after the head the format is recognised by */
#define CBS_LINE "2023-05-10 09:12:03, Info                  CBS    Starting\r\n"
    static const char cbs[] =
        CBS_LINE CBS_LINE CBS_LINE CBS_LINE CBS_LINE CBS_LINE CBS_LINE CBS_LINE
        CBS_LINE CBS_LINE CBS_LINE CBS_LINE
        "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"
        "2023-05-10 09:12:04, Error                 CBS    Failed\0with a NUL "
        "[HRESULT = 0x800f081f - CBS_E_SOURCE_MISSING]\r\n";
#undef CBS_LINE
    char *c = write_tmp(f, "CBS.log", cbs, sizeof cbs - 1);
    tu_run(&r, "%s --db %s import --host NULHOST %s", tu_shq(tu_bin()), tu_shq(f->db),
           tu_shq(c));
    assert_true(r.status == 0 || r.status == 1);
    tu_run_free(&r);
    assert_true(tu_sql_int(f->db, "SELECT count(*) FROM events WHERE provider = 'CBS'") >= 1);
    char *text = report_all(f->db);
    free(text);

    free(e1); free(e2); free(e3); free(all); free(only); free(u8); free(u16);
    free(p); free(q); free(w); free(c);
}

/* ---- a 10 MB field ------------------------------------------------------------------------- */

static void test_ten_megabyte_field(void **state)
{
    struct tu_fx *f = *state;
    size_t big = 10u * 1024 * 1024;
    static const char piece[] = "<script>alert(1)</script>&amp;\"'";
    /* escaped in the XML: &lt;script&gt;... so that it is one text value */
    static const char esc[] = "&lt;script&gt;alert(1)&lt;/script&gt;&amp;amp;&quot;&apos;";
    size_t reps = big / (sizeof piece - 1);
    char *title = malloc(reps * (sizeof esc - 1) + 32);
    assert_non_null(title);
    char *o = title;
    for (size_t i = 0; i < reps; i++, o += sizeof esc - 1)
        memcpy(o, esc, sizeof esc - 1);
    strcpy(o, " (KB5026361)");
    char *xml = event("2023-05-09T10:15:30Z", title, 1, "BIGHOST");
    free(title);
    char *p = write_tmp(f, "big.xml", xml, strlen(xml));
    free(xml);

    struct tu_run r;
    import(&r, f->db, p);
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    assert_true(tu_sql_int(f->db, "SELECT length(update_title) FROM events") >=
                (long long)(reps * (sizeof piece - 1)));
    assert_int_equal(tu_sql_int(f->db, "SELECT json_valid(data) FROM events"), 1);
    char *text = report_all(f->db);
    assert_non_null(strstr(text, "KB5026361"));
    assert_true(strlen(text) < 64 * 1024);      /* the text report stays readable */
    free(text);
    tu_run(&r, "%s --db %s export", tu_shq(tu_bin()), tu_shq(f->db));
    tu_assert_exit(&r, 0);
    assert_int_equal(fz_json_valid(r.out, r.outlen), 0);
    tu_run_free(&r);
    free(p);
}

/* ---- invalid UTF-16 and UTF-8 ---------------------------------------------------------------- */

static void test_invalid_utf16(void **state)
{
    struct tu_fx *f = *state;
    char *xml = event("2023-05-09T10:15:30Z", "Q1Q2Q3 (KB5026361)", 1, "HOST");
    size_t n8 = strlen(xml);
    unsigned char *u = malloc(2 + 2 * n8);
    size_t n = 0;
    assert_non_null(u);
    u[n++] = 0xFF;
    u[n++] = 0xFE;
    for (size_t i = 0; i < n8; i++) {
        /* Q1: a high surrogate and a letter; Q2: a lone low surrogate;
         * Q3: a high surrogate followed by another high surrogate */
        if (xml[i] == 'Q' && xml[i + 1] >= '1' && xml[i + 1] <= '3') {
            static const unsigned char bad[3][4] = {
                {0x3D, 0xD8, 'A', 0}, {0x00, 0xDC, 'B', 0}, {0x3D, 0xD8, 0x3D, 0xD8}};
            memcpy(u + n, bad[xml[i + 1] - '1'], 4);
            n += 4;
            i++;
            continue;
        }
        u[n++] = (unsigned char)xml[i];
        u[n++] = 0;
    }
    char *p = write_tmp(f, "surrogates.xml", u, n);
    struct tu_run r;
    import(&r, f->db, p);
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    /* each broken unit became U+FFFD; stored text is valid UTF-8 */
    char *t = tu_sql_text(f->db, "SELECT update_title FROM events");
    assert_int_equal(fz_utf8_bad(t, strlen(t)), (size_t)-1);
    assert_non_null(strstr(t, "\xEF\xBF\xBD" "A"));
    assert_non_null(strstr(t, "\xEF\xBF\xBD" "B"));
    free(t);
    char *text = report_all(f->db);
    free(text);

    /* a UTF-16 file cut in the middle of a surrogate pair */
    static const unsigned char cut[] = {0xFF, 0xFE, '<', 0, 'a', 0, '>', 0, 0x3D, 0xD8};
    char *c = write_tmp(f, "cut16.xml", cut, sizeof cut);
    import(&r, f->db, c);
    one_line(&r, 3, "cut16.xml");
    tu_run_free(&r);

    /* invalid UTF-8 in a UTF-8 file: refused by the XML parser */
    char *u8 = event("2023-05-09T10:15:31Z", "bad \xC0\xAF \xFF utf8", 2, "HOST");
    char *b = write_tmp(f, "bad-utf8.xml", u8, strlen(u8));
    import(&r, f->db, b);
    one_line(&r, 3, "bad-utf8.xml");
    tu_run_free(&r);
    assert_int_equal(tu_sql_int(f->db, "SELECT count(*) FROM events"), 1);
    free(xml); free(u); free(p); free(c); free(u8); free(b);
}

/* ---- entity attacks that dodge the obvious check ------------------------------------------------ */

static void test_entities_elsewhere(void **state)
{
    struct tu_fx *f = *state;
    static const char lol[] =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE Events [\n"
        " <!ENTITY lol \"lol\">\n"
        " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
        " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
        " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
        " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
        " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
        " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
        " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
        " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
        " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
        "]>\n<Events><Event " NS "><System><Provider Name='&lol9;'/><EventID>20</EventID>"
        "<TimeCreated SystemTime='2023-05-09T10:15:30Z'/><Computer>&lol9;</Computer>"
        "</System></Event></Events>\n";
    static const char xxe[] =
        "<!DOCTYPE x [<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;"
        " <!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
        "<Event " NS "><System><Provider Name='x'/><EventID>20</EventID>"
        "<TimeCreated SystemTime='2023-05-09T10:15:30Z'/><Computer>&e;</Computer>"
        "</System></Event>";
    struct tu_run r;

    /* the billion laughs in UTF-16 (the check runs after transcoding) */
    size_t n8 = sizeof lol - 1;
    unsigned char *u = malloc(2 + 2 * n8);
    assert_non_null(u);
    u[0] = 0xFF;
    u[1] = 0xFE;
    for (size_t i = 0; i < n8; i++) {
        u[2 + 2 * i] = (unsigned char)lol[i];
        u[3 + 2 * i] = 0;
    }
    char *p16 = write_tmp(f, "lol16.xml", u, 2 + 2 * n8);
    free(u);
    /* behind a comment and blanks, with a UTF-8 BOM */
    char *behind = tu_fmt("\xEF\xBB\xBF<?xml version='1.0'?>\n<!-- harmless -->\n\n%s",
                          strstr(lol, "<!DOCTYPE"));
    char *pc = write_tmp(f, "lol-comment.xml", behind, strlen(behind));
    char *px = write_tmp(f, "xxe-param.xml", xxe, sizeof xxe - 1);
    /* the DOCTYPE inside the root element: not a DTD at all to XML */
    char *inside = tu_fmt("<Events>%s</Events>", strstr(lol, "<!DOCTYPE"));
    char *pi = write_tmp(f, "lol-inside.xml", inside, strlen(inside));

    const char *files[] = {p16, pc, px, pi};
    for (size_t i = 0; i < 4; i++) {
        time_t t0 = time(NULL);
        import(&r, f->db, files[i]);
        one_line(&r, 3, strrchr(files[i], '/') + 1);
        assert_null(strstr(r.err, "root:"));
        assert_null(strstr(r.out, "root:"));
        tu_run_free(&r);
        assert_true(time(NULL) - t0 < 10);
    }
    assert_false(tu_exists(f->db) &&
                 tu_sql_int(f->db, "SELECT count(*) FROM events") != 0);
    free(p16); free(behind); free(pc); free(px); free(inside); free(pi);
}

/* ---- markup in text logs -------------------------------------------------------------------------- */

static void test_xss_in_text_logs(void **state)
{
    struct tu_fx *f = *state;
    static const char cbs[] =
        "2023-05-10 09:12:03, Info                  CBS    Starting <b>bold</b>\r\n"
        "2023-05-10 09:12:04, Error                 CBS    Failed <script>alert(1)</script>"
        " \"><img src=x onerror=alert(2)> [HRESULT = 0x800f081f - CBS_E_SOURCE_MISSING]\r\n"
        "2023-05-10 09:12:05, Info                  CSI    [SR] Cannot repair member file"
        " [l:10]'<svg onload=alert(3)>.dll' of Microsoft-Windows\r\n";
    static const char wu[] =
        "2023/05/10 08:59:31.5401234 1312  5140  Agent           WSUS server: "
        "http://wsus.corp:8530/\"><script>alert(4)</script>\n"
        "2023/05/10 08:59:32.5401234 1312  5140  ProtocolTalker  *FAILED* [8024401C] "
        "Method failed <iframe src=javascript:alert(5)> Proxy List used: "
        "<\"><img src=x onerror=alert(6)>> Bypass List used : <(null)>\n"
        "2023/05/10 08:59:33.5401234 1312  5140  ProtocolTalker  Server URL = "
        "https://evil.example/'onmouseover='alert(7)\n"
        "2023/05/10 08:59:34.5401234 1312  5140  Agent           *FAILED* [80244022] "
        "error communicating with the endpoint at http://x/<script>alert(8)</script>\n";
    char *c = write_tmp(f, "CBS.log", cbs, sizeof cbs - 1);
    char *w = write_tmp(f, "WindowsUpdate.log", wu, sizeof wu - 1);
    struct tu_run r;

    tu_run(&r, "%s --db %s import --host '<script>alert(9)</script>' %s %s",
           tu_shq(tu_bin()), tu_shq(f->db), tu_shq(c), tu_shq(w));
    if (r.status != 0 && r.status != 1) {
        tu_run_dump(&r);
        fail_msg("importing hostile text logs: exit %d", r.status);
    }
    tu_run_free(&r);
    assert_true(tu_sql_int(f->db, "SELECT count(*) FROM events") >= 3);
    char *text = report_all(f->db);
    free(text);
    tu_run(&r, "%s --db %s report --redact --format html", tu_shq(tu_bin()), tu_shq(f->db));
    tu_assert_exit(&r, 0);
    char why[200];
    if (fz_html_clean(r.out, r.outlen, why, sizeof why) != 0)
        fail_msg("redacted html report: %s", why);
    tu_run_free(&r);
    free(c);
    free(w);
}

/* ---- denial of service: token size and nesting depth --------------------------- */

struct measured {
    int status;
    double secs;
    long max_rss_kb;
    char *err;
};

/*
 * Run wudiag --db db import file alone (wait4: its time and peak RSS).  A
 * child's peak RSS includes what it had before exec, a copy of this test
 * process (large under ASan), so limits are checked against the peak of
 * importing a small file the same way (rss_base).
 */
static struct measured import_measured(struct tu_fx *f, const char *file)
{
    struct measured m;
    struct rusage ru;
    struct timespec t0, t1;
    char *errp = tu_path(f->dir, "measured.err");
    int st;

    clock_gettime(CLOCK_MONOTONIC, &t0);
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0)
        fail_msg("fork: %s", strerror(errno));
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stdout) || !freopen(errp, "w", stderr))
            _exit(126);
        execl(tu_bin(), tu_bin(), "--db", f->db, "import", file, (char *)NULL);
        _exit(127);
    }
    if (wait4(pid, &st, 0, &ru) != pid)
        fail_msg("wait4: %s", strerror(errno));
    clock_gettime(CLOCK_MONOTONIC, &t1);
    m.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128;
    m.secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    m.max_rss_kb = ru.ru_maxrss;
    m.err = tu_read_file(errp, NULL);
    free(errp);
    return m;
}

static long rss_base(struct tu_fx *f, const char *small)
{
    struct measured m = import_measured(f, small);
    free(m.err);
    return m.max_rss_kb;
}

/* What must not change when a file is refused. */
static void expect_db_unchanged(struct tu_fx *f, long long events, long long runs)
{
    char *ic = tu_sql_text(f->db, "PRAGMA integrity_check");
    assert_string_equal(ic, "ok");
    free(ic);
    assert_int_equal(tu_sql_int(f->db, "SELECT count(*) FROM events"), events);
    assert_int_equal(tu_sql_int(f->db, "SELECT count(*) FROM runs"), runs);
}

/* head + n bytes of c + tail, written to dir/name. */
static char *write_big(struct tu_fx *f, const char *name, const char *head, char c,
                       size_t n, const char *tail)
{
    char *p = tu_path(f->dir, name);
    FILE *fp = fopen(p, "wb");
    char buf[65536];
    assert_non_null(fp);
    memset(buf, c, sizeof buf);
    fputs(head, fp);
    for (size_t left = n; left > 0;) {
        size_t k = left < sizeof buf ? left : sizeof buf;
        assert_int_equal(fwrite(buf, 1, k, fp), k);
        left -= k;
    }
    fputs(tail, fp);
    assert_int_equal(fclose(fp), 0);
    return p;
}

/*
 * A 40 MiB attribute, comment or tag name in the first event: expat 2.5
 * rescans such a token on every 64 KiB read (minutes); now refused at the
 * 16 MiB limit in well under the time that took, one line naming the file,
 * exit 3, nothing stored, the database intact.  After a good event it is
 * damage: exit 1 and the event before it kept.
 */
static void test_huge_tokens(void **state)
{
    struct tu_fx *f = *state;
    const size_t big = 40u * 1024 * 1024;
    char *good = event("2023-05-09T10:15:30Z", "KB5026361 first", 1, "HOST");
    char *p = write_tmp(f, "good.xml", good, strlen(good));
    struct tu_run r;
    import(&r, f->db, p);
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    long base = rss_base(f, p);         /* the same content: a quick no-op */
    free(p);

    static const struct { const char *name, *head, *tail; } atk[] = {
        {"attr.xml", "<Event " NS "><System><Provider Name='", "'/></System></Event>\n"},
        {"comment.xml", "<Event " NS "><!--", "--></Event>\n"},
        {"tag.xml", "<Event " NS "><System><T", "/></System></Event>\n"},
    };
    for (size_t i = 0; i < sizeof atk / sizeof atk[0]; i++) {
        p = write_big(f, atk[i].name, atk[i].head, 'A', big, atk[i].tail);
        struct measured m = import_measured(f, p);
        if (m.status != 3 || tu_count_lines(m.err) != 1 || !strstr(m.err, atk[i].name) ||
            !strstr(m.err, "longer than 16 MiB") || m.secs > 10 ||
            m.max_rss_kb > base + 64 * 1024)
            fail_msg("%s: exit %d in %.1f s, %ld KB peak RSS (a small file: %ld): %s",
                     atk[i].name, m.status, m.secs, m.max_rss_kb, base, m.err);
        free(m.err);
        expect_db_unchanged(f, 1, 1);
        unlink(p);
        free(p);
    }

    /* after a good event: damage, the event before it kept */
    char *second = event("2023-05-09T10:15:31Z", "KB5026361 second", 2, "HOST");
    char *head = tu_fmt("%s<Event " NS "><System><Provider Name='", second);
    p = write_big(f, "late.xml", head, 'B', big, "'/></System></Event>\n");
    struct measured m = import_measured(f, p);
    if (m.status != 1 || tu_count_lines(m.err) != 1 || !strstr(m.err, "late.xml") ||
        !strstr(m.err, "after 1 events") || !strstr(m.err, "longer than 16 MiB") ||
        m.secs > 10)
        fail_msg("late.xml: exit %d in %.1f s: %s", m.status, m.secs, m.err);
    free(m.err);
    expect_db_unchanged(f, 2, 2);
    unlink(p);
    free(p);
    free(head);
    free(second);
    free(good);
}

/* 2 M nested elements took 286 MB; now the 65th level stops the parse. */
static void test_deep_nesting(void **state)
{
    struct tu_fx *f = *state;
    const size_t n = 2000000;
    char *p = tu_path(f->dir, "deep.xml");
    FILE *fp = fopen(p, "wb");
    assert_non_null(fp);
    fputs("<Event " NS ">", fp);
    for (size_t i = 0; i < n; i++)
        fputs("<a>", fp);
    for (size_t i = 0; i < n; i++)
        fputs("</a>", fp);
    fputs("</Event>\n", fp);
    assert_int_equal(fclose(fp), 0);

    char *ev = event("2023-05-09T10:15:30Z", "KB5026361 deep", 1, "HOST");
    char *small = write_tmp(f, "small.xml", "<Events></Events>", 17);
    long base = rss_base(f, small);     /* refused too: nothing stored */
    struct measured m = import_measured(f, p);
    if (m.status != 3 || tu_count_lines(m.err) != 1 || !strstr(m.err, "deep.xml") ||
        !strstr(m.err, "nested deeper than 64") || m.secs > 10 ||
        m.max_rss_kb > base + 32 * 1024)
        fail_msg("deep.xml: exit %d in %.1f s, %ld KB peak RSS (a small file: %ld): %s",
                 m.status, m.secs, m.max_rss_kb, base, m.err);
    free(m.err);
    assert_int_equal(tu_sql_int(f->db, "SELECT count(*) FROM events"), 0);

    /* the limit itself: Events(1) Event(2) EventData(3), x levels, Data:
     * with 60 x levels Data is at 64 and passes, with 61 it is refused */
    char *at = strstr(ev, "<Data Name='errorCode'>");
    assert_non_null(at);
    for (int levels = 60; levels <= 61; levels++) {
        char *inner = tu_strdup("<Data Name='x'>v</Data>");
        for (int i = 0; i < levels; i++) {
            char *t = tu_fmt("<x>%s</x>", inner);
            free(inner);
            inner = t;
        }
        char *doc = tu_fmt("<Events>%.*s%s%s</Events>", (int)(at - ev), ev, inner, at);
        char *q = write_tmp(f, "deep64.xml", doc, strlen(doc));
        struct tu_run r;
        import(&r, f->db, q);
        if (levels == 60) {
            tu_assert_exit(&r, 0);
        } else {
            one_line(&r, 3, "nested deeper than 64");
        }
        tu_run_free(&r);
        assert_int_equal(tu_sql_int(f->db, "SELECT count(*) FROM events"), 1);
        free(q);
        free(doc);
        free(inner);
    }
    free(ev);
    free(small);
    unlink(p);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_times_out_of_range, tu_fx_setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_db_with_any_time, tu_fx_setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_nul_bytes, tu_fx_setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_ten_megabyte_field, tu_fx_setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_invalid_utf16, tu_fx_setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_entities_elsewhere, tu_fx_setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_xss_in_text_logs, tu_fx_setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_huge_tokens, tu_fx_setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_deep_nesting, tu_fx_setup, tu_fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
