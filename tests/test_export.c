/*
 * test_export.c - `wudiag export` end to end with the built binary: every
 * NDJSON line parses as JSON (python3's json module) with the ECS-style
 * fields, CSV survives a round trip through python3's csv module with
 * commas, quotes, CR and LF in messages and titles, --since / --host / -o,
 * and the command line.  Golden: the sample logs (hostile strings
 * included) export byte for byte as samples/golden/export.{ndjson,csv} and
 * export-redact.ndjson.  Many events: lines go out in blocks, so thousands
 * of them (times from 1601 to 9999, across days and 1970, out-of-range
 * times clamped, alternating codes) must all come out whole and right, to
 * a file as to a pipe, and a full disk still says "cannot write".
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include <sqlite3.h>


static void assert_contains(const char *hay, const char *needle, const char *what)
{
    if (!hay || !strstr(hay, needle))
        fail_msg("%s \"%s\" does not contain \"%s\"", what, hay ? hay : "(null)", needle);
}

static void import_ok(const char *db, const char *host, const char *file)
{
    struct tu_run r;
    tu_run(&r, "%s --db %s import %s %s %s", tu_shq(tu_bin()), tu_shq(db),
           host ? "--host" : "", host ? tu_shq(host) : "", tu_shq(file));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
}

/* Run a python3 script (written to a file) on a file; it prints "ok". */
static void python_check(const struct tu_fx *f, const char *script, const char *input,
                         const char *arg)
{
    char *py = tu_path(f->dir, "check.py");
    struct tu_run r;
    tu_write_str(py, script);
    tu_run(&r, "python3 %s %s < %s", tu_shq(py), arg ? tu_shq(arg) : "", tu_shq(input));
    if (r.status != 0 || strcmp(r.out, "ok\n") != 0) {
        tu_run_dump(&r);
        fail_msg("python3 check failed");
    }
    tu_run_free(&r);
    free(py);
}

/* ---- NDJSON on the real logs ------------------------------------------------ */

static const char ndjson_check[] =
    "import json, re, sys\n"
    "want = int(sys.argv[1])\n"
    "ts = re.compile(r'^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z$')\n"
    "n = 0\n"
    "for line in sys.stdin:\n"
    "    assert line.endswith('\\n')\n"
    "    e = json.loads(line)\n"
    "    n += 1\n"
    "    assert ts.match(e['@timestamp']), e['@timestamp']\n"
    "    assert e['host']['name']\n"
    "    assert e['event']['code'].isdigit()\n"
    "    assert e['event']['provider']\n"
    "    assert e['winlog']['channel'] == 'System'\n"
    "    assert isinstance(e['winlog']['record_id'], int)\n"
    "    assert e['log']['level'] in ('critical','error','warning','information','verbose')\n"
    "    if 'error' in e:\n"
    "        assert re.match(r'^0x[0-9A-F]{8}$', e['error']['code'])\n"
    "        assert e['wudiag']['category']\n"
    "    else:\n"
    "        assert 'symbol' not in e['wudiag']\n"
    "    if e['event']['provider'] == 'Service Control Manager':\n"
    "        assert e['service']['name']\n"
    "    if e['winlog']['record_id'] == 561 and e['host']['name'] == 'host-a':\n"
    "        assert e['@timestamp'] == '2017-07-23T07:25:41.804504Z'\n"
    "        assert e['error']['code'] == '0x80248007'\n"
    "        assert e['wudiag']['symbol'] == 'WU_E_DS_NODATA'\n"
    "        assert e['wudiag']['category'] == 'install'\n"
    "        assert e['wudiag']['fix']\n"
    "        assert e['wudiag']['kb'] == 'KB4025342'\n"
    "        assert e['event']['outcome'] == 'failure'\n"
    "assert n == want, (n, want)\n"
    "print('ok')\n";

static void test_ndjson(void **state)
{
    struct tu_fx *f = *state;
    char *win10 = tu_data_file("evtx/system-win10-2017.evtx");
    char *win7 = tu_data_file("evtx/system-win7-2012.evtx");
    char *out = tu_path(f->dir, "out.ndjson"), *n;
    struct tu_run r;

    import_ok(f->db, "host-a", win10);
    import_ok(f->db, "host-b", win7);
    long long events = tu_sql_int(f->db, "SELECT count(*) FROM events");

    tu_run(&r, "%s --db %s export > %s", tu_shq(tu_bin()), tu_shq(f->db), tu_shq(out));
    tu_assert_exit(&r, 0);
    assert_int_equal(r.errlen, 0);
    tu_run_free(&r);
    n = tu_fmt("%lld", events);
    python_check(f, ndjson_check, out, n);
    free(n);

    /* the exact validity check of the issue */
    tu_run(&r, "python3 -c 'import json,sys; [json.loads(l) for l in sys.stdin]' < %s",
           tu_shq(out));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);

    /* host by host, each in time order */
    tu_run(&r, "python3 -c 'import json,sys\n"
               "k=[(e[\"host\"][\"name\"].lower(), e[\"@timestamp\"]) for e in map(json.loads, sys.stdin)]\n"
               "assert k == sorted(k); print(\"ok\")' < %s", tu_shq(out));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);

    /* --host, --since */
    tu_run(&r, "%s --db %s export --host HOST-B | wc -l", tu_shq(tu_bin()), tu_shq(f->db));
    tu_assert_exit(&r, 0);
    assert_int_equal(atoll(r.out), tu_sql_int(f->db, "SELECT count(*) FROM events e"
                                                     " JOIN hosts h ON h.id = e.host_id"
                                                     " WHERE h.name = 'host-b'"));
    tu_run_free(&r);
    tu_run(&r, "%s --db %s export --since 2017-07-24 | wc -l", tu_shq(tu_bin()),
           tu_shq(f->db));
    tu_assert_exit(&r, 0);
    assert_int_equal(atoll(r.out), tu_sql_int(f->db, "SELECT count(*) FROM events"
                                                     " WHERE time_us >= 1500854400000000"));
    tu_run_free(&r);

    /* -o: the same bytes, written atomically */
    char *o = tu_path(f->dir, "o.ndjson");
    tu_run(&r, "%s --db %s export -o %s && cmp %s %s", tu_shq(tu_bin()), tu_shq(f->db),
           tu_shq(o), tu_shq(o), tu_shq(out));
    tu_assert_exit(&r, 0);
    assert_int_equal(r.outlen, 0);
    tu_run_free(&r);

    free(o);
    free(out);
    free(win10);
    free(win7);
}

/* ---- CSV quoting -------------------------------------------------------------- */

/* Two WindowsUpdateClient failures whose message and title need quoting. */
static const char quoting_xml[] =
    "<Events>"
    "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>"
    "<Provider Name='Microsoft-Windows-WindowsUpdateClient'/><EventID>20</EventID>"
    "<Level>2</Level><TimeCreated SystemTime='2023-05-09T10:15:30.1234567Z'/>"
    "<EventRecordID>5001</EventRecordID><Channel>System</Channel>"
    "<Computer>LAB,\"ONE\"</Computer></System><EventData>"
    "<Data Name='errorCode'>0x80070422</Data>"
    "<Data Name='updateTitle'>Update, \"quoted\" (KB5026361)</Data>"
    "<Data Name='updateGuid'>{2A7E6A2B-4C1F-4A63-9A8B-6D4C1E2F3B5A}</Data></EventData>"
    "<RenderingInfo Culture='en-US'><Message>Failure: a, b \"c\"\nsecond line&#13;\n"
    "third, \"x\"</Message></RenderingInfo></Event>"
    "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>"
    "<Provider Name='Microsoft-Windows-WindowsUpdateClient'/><EventID>19</EventID>"
    "<Level>4</Level><TimeCreated SystemTime='2023-05-10T11:00:00Z'/>"
    "<EventRecordID>5002</EventRecordID><Channel>System</Channel>"
    "<Computer>LAB,\"ONE\"</Computer></System><EventData>"
    "<Data Name='updateTitle'>Plain title (KB5026362)</Data></EventData>"
    "<RenderingInfo Culture='en-US'><Message>plain</Message></RenderingInfo></Event>"
    "</Events>\n";

static const char csv_check[] =
    "import csv, io, sys\n"
    "data = sys.stdin.buffer.read().decode('utf-8')\n"
    "rows = list(csv.reader(io.StringIO(data, newline='')))\n"
    "assert len(rows) == 3, rows\n"
    "h = rows[0]\n"
    "for k in ('@timestamp','host.name','event.code','event.provider','winlog.channel',\n"
    "          'winlog.record_id','error.code','service.name','wudiag.symbol',\n"
    "          'wudiag.category','wudiag.fix','message'):\n"
    "    assert k in h, k\n"
    "assert all(len(r) == len(h) for r in rows)\n"
    "d = [dict(zip(h, r)) for r in rows[1:]]\n"
    "a, b = d\n"
    "assert a['message'] == 'Failure: a, b \"c\"\\nsecond line\\r\\nthird, \"x\"', repr(a['message'])\n"
    "assert a['host.name'] == 'LAB,\"ONE\"', a['host.name']\n"
    "assert a['wudiag.update_title'] == 'Update, \"quoted\" (KB5026361)'\n"
    "assert a['@timestamp'] == '2023-05-09T10:15:30.123456Z'\n"
    "assert a['error.code'] == '0x80070422'\n"
    "assert a['wudiag.symbol'] and a['wudiag.category'] == 'service' and a['wudiag.fix']\n"
    "assert a['event.code'] == '20' and a['winlog.record_id'] == '5001'\n"
    "assert a['event.outcome'] == 'failure' and b['event.outcome'] == 'success'\n"
    "assert b['message'] == 'plain' and b['error.code'] == '' and b['wudiag.symbol'] == ''\n"
    "assert data.count('\\r\\n') >= 3\n"
    "print('ok')\n";

static void test_csv_quoting(void **state)
{
    struct tu_fx *f = *state;
    char *xml = tu_path(f->dir, "quoting.xml"), *out = tu_path(f->dir, "out.csv");
    struct tu_run r;

    tu_write_str(xml, quoting_xml);
    import_ok(f->db, NULL, xml);
    assert_int_equal(tu_sql_int(f->db, "SELECT count(*) FROM events"), 2);

    tu_run(&r, "%s --db %s export --format csv > %s", tu_shq(tu_bin()), tu_shq(f->db),
           tu_shq(out));
    tu_assert_exit(&r, 0);
    assert_int_equal(r.errlen, 0);
    tu_run_free(&r);
    python_check(f, csv_check, out, NULL);

    /* the same event as NDJSON keeps the same message */
    tu_run(&r, "%s --db %s export | python3 -c 'import json,sys\n"
               "e=[json.loads(l) for l in sys.stdin]\n"
               "assert e[0][\"message\"]==\"Failure: a, b \\\"c\\\"\\nsecond line\\r\\nthird, \\\"x\\\"\"\n"
               "print(\"ok\")'", tu_shq(tu_bin()), tu_shq(f->db));
    if (r.status != 0)
        tu_run_dump(&r);
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    free(xml);
    free(out);
}

/* ---- golden: byte for byte ------------------------------------------------------ */

static void expect_golden(const struct tu_fx *f, const char *args, const char *golden)
{
    char *out = tu_path(f->dir, "golden.out"), *want_path = tu_src_file(golden);
    size_t glen = 0, olen = 0;
    struct tu_run r;

    tu_run(&r, "%s --db %s export %s > %s", tu_shq(tu_bin()), tu_shq(f->db), args,
           tu_shq(out));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    char *want = tu_read_file(want_path, &glen), *got = tu_read_file(out, &olen);
    if (glen != olen || memcmp(want, got, glen) != 0)
        fail_msg("export %s differs from %s (%zu bytes, expected %zu)", args, golden,
                 olen, glen);
    free(want);
    free(got);
    free(want_path);
    free(out);
}

static void test_export_golden(void **state)
{
    struct tu_fx *f = *state;
    static const char *const logs[] = {"samples/report/golden.xml",
        "samples/report/hostile.xml", "samples/xml/wu-events.xml",
        "samples/xml/two-machines.xml"};

    for (size_t i = 0; i < sizeof logs / sizeof logs[0]; i++) {
        char *x = tu_src_file(logs[i]);
        import_ok(f->db, NULL, x);
        free(x);
    }
    expect_golden(f, "", "samples/golden/export.ndjson");
    expect_golden(f, "--format csv", "samples/golden/export.csv");
    expect_golden(f, "--redact", "samples/golden/export-redact.ndjson");
}

/* ---- many events: the block writer --------------------------------------------- */

#define MANY 6000

/* record_id i: its time (before the clamp), in SQL and in python alike */
static const char many_sql[] =
    "INSERT INTO hosts(name) VALUES ('many');"
    "INSERT INTO runs(host_id, kind, source, started_us, finished_us, tool_version)"
    "  SELECT id, 'import', 'gen', 0, 0, 'test' FROM hosts WHERE name = 'many';"
    "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 5999)"
    " INSERT INTO events(host_id, run_id, channel, provider, event_id, level, time_us,"
    "   record_id, computer, service, code, update_title, kb, message)"
    " SELECT h.id, r.id, 'System', 'Microsoft-Windows-WindowsUpdateClient', 20, 2,"
    "   CASE WHEN i = 5999 THEN 9223372036854775807"
    "        WHEN i = 5998 THEN -9223372036854775807 - 1"
    "        WHEN i % 3 = 0 THEN -11644473600000000 + (i / 3) * 131000000000000"
    "        WHEN i % 3 = 1 THEN 1641600000000000 + i * 3599999999"
    "        ELSE -86400000000 + i * 61000001 END,"
    "   i, 'many-pc', NULL, CASE i % 4 WHEN 0 THEN 2149842967 WHEN 1 THEN 2147943458"
    "   WHEN 2 THEN 2149842967 END, 'Update \"' || i || '\", a, b', 'KB' || (5000000 + i),"
    "   'line ' || i || char(10) || 'tab' || char(9) || char(8238) || '=x'"
    " FROM n, hosts h, runs r WHERE h.name = 'many' AND r.host_id = h.id;";

static const char many_check[] =
    "import csv, datetime, io, json, sys\n"
    "fmt, n = sys.argv[1], int(sys.argv[2])\n"
    "def when(i):\n"
    "    if i == 5999: t = 9223372036854775807\n"
    "    elif i == 5998: t = -9223372036854775808\n"
    "    elif i % 3 == 0: t = -11644473600000000 + (i // 3) * 131000000000000\n"
    "    elif i % 3 == 1: t = 1641600000000000 + i * 3599999999\n"
    "    else: t = -86400000000 + i * 61000001\n"
    "    t = max(-11644473600 * 1000000, min(253402300800 * 1000000 - 1, t))\n"
    "    d = datetime.datetime(1970, 1, 1) + datetime.timedelta(microseconds=t)\n"
    "    return '%04d-%02d-%02dT%02d:%02d:%02d.%06dZ' % (d.year, d.month, d.day,\n"
    "        d.hour, d.minute, d.second, d.microsecond)\n"
    "seen, last = set(), ''\n"
    "data = sys.stdin.buffer.read().decode('utf-8')\n"
    "if fmt == 'csv':\n"
    "    rows = list(csv.DictReader(io.StringIO(data, newline='')))\n"
    "    recs = [(int(r['winlog.record_id']), r['@timestamp'], r['error.code'],\n"
    "             r['wudiag.update_title'], r['message']) for r in rows]\n"
    "    msg = lambda i: 'line %d\\ntab\\t\\ufffd=x' % i\n"
    "    title = lambda i: 'Update \"%d\", a, b' % i\n"
    "else:\n"
    "    assert data.endswith('\\n')\n"
    "    recs = []\n"
    "    for line in data.split('\\n')[:-1]:\n"
    "        e = json.loads(line)\n"
    "        recs.append((e['winlog']['record_id'], e['@timestamp'],\n"
    "                     e.get('error', {}).get('code', ''), e['wudiag']['update_title'],\n"
    "                     e['message']))\n"
    "    msg = lambda i: 'line %d\\ntab\\t\\u202e=x' % i\n"
    "    title = lambda i: 'Update \"%d\", a, b' % i\n"
    "for i, ts, code, ti, m in recs:\n"
    "    assert ts == when(i), (i, ts, when(i))\n"
    "    assert code == ['0x80240017', '0x80070422', '0x80240017', ''][i % 4], (i, code)\n"
    "    assert ti == title(i), (i, ti)\n"
    "    assert m == msg(i), (i, m)\n"
    "    assert ts >= last, (i, ts, last)\n"
    "    last = ts\n"
    "    seen.add(i)\n"
    "assert len(seen) == n, (len(seen), n)\n"
    "print('ok')\n";

static void test_export_many(void **state)
{
    struct tu_fx *f = *state;
    char *xml = tu_src_file("samples/xml/wu-events.xml");
    char *out = tu_path(f->dir, "many.out"), *file = tu_path(f->dir, "many-o.out");
    char *py = tu_path(f->dir, "many.py"), *err = NULL;
    sqlite3 *db = NULL;
    struct tu_run r;

    import_ok(f->db, NULL, xml);
    assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
    if (sqlite3_exec(db, many_sql, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("generating events: %s", err ? err : "?");
    sqlite3_close(db);
    assert_int_equal(tu_sql_int(f->db, "SELECT count(*) FROM events e JOIN hosts h"
                                       " ON h.id = e.host_id WHERE h.name = 'many'"), MANY);
    tu_write_str(py, many_check);

    static const char *const fmts[] = {"ndjson", "csv"};
    for (int k = 0; k < 2; k++) {
        /* through a pipe, and whole: many blocks of EXPORT_BLOCK bytes */
        tu_run(&r, "%s --db %s export --host many --format %s | tee %s | python3 %s %s %d",
               tu_shq(tu_bin()), tu_shq(f->db), fmts[k], tu_shq(out), tu_shq(py), fmts[k],
               MANY);
        if (r.status != 0 || strcmp(r.out, "ok\n") != 0) {
            tu_run_dump(&r);
            fail_msg("export --format %s of %d events", fmts[k], MANY);
        }
        tu_run_free(&r);
        size_t plen = 0, olen = 0;
        char *piped = tu_read_file(out, &plen);
        assert_true(plen > 4 * 64 * 1024);
        /* -o FILE writes the same bytes */
        tu_run(&r, "%s --db %s export --host many --format %s -o %s", tu_shq(tu_bin()),
               tu_shq(f->db), fmts[k], tu_shq(file));
        tu_assert_exit(&r, 0);
        tu_run_free(&r);
        char *written = tu_read_file(file, &olen);
        assert_int_equal(plen, olen);
        assert_memory_equal(piped, written, plen);
        free(piped);
        free(written);
        /* a full disk, blocks in: 3 and one "cannot write" */
        if (tu_exists("/dev/full")) {
            tu_run(&r, "%s --db %s export --format %s > /dev/full", tu_shq(tu_bin()),
                   tu_shq(f->db), fmts[k]);
            tu_assert_exit(&r, 3);
            assert_int_equal(tu_count_lines(r.err), 1);
            assert_contains(r.err, "cannot write", "stderr");
            tu_run_free(&r);
        }
    }
    free(xml);
    free(out);
    free(file);
    free(py);
}

/* ---- edges and the command line ---------------------------------------------- */

static void test_export_edges(void **state)
{
    struct tu_fx *f = *state;
    char *xml = tu_src_file("samples/xml/wu-events.xml");
    struct tu_run r;

    /* missing database: 4, and it is not created */
    tu_run(&r, "%s --db %s export", tu_shq(tu_bin()), tu_shq(f->db));
    tu_assert_exit(&r, 4);
    tu_run_free(&r);
    assert_false(tu_exists(f->db));

    import_ok(f->db, NULL, xml);
    tu_run(&r, "%s --db %s export --format xml", tu_shq(tu_bin()), tu_shq(f->db));
    tu_assert_exit(&r, 2);
    assert_contains(r.err, "xml", "stderr");
    tu_run_free(&r);
    tu_run(&r, "%s --db %s export --since yesterday", tu_shq(tu_bin()), tu_shq(f->db));
    tu_assert_exit(&r, 2);
    tu_run_free(&r);
    tu_run(&r, "%s --db %s export --host nosuch", tu_shq(tu_bin()), tu_shq(f->db));
    tu_assert_exit(&r, 3);
    assert_int_equal(tu_count_lines(r.err), 1);
    tu_run_free(&r);

    /* nothing in range: NDJSON empty, CSV only the header */
    tu_run(&r, "%s --db %s export --since 2099-01-01", tu_shq(tu_bin()), tu_shq(f->db));
    tu_assert_exit(&r, 0);
    assert_int_equal(r.outlen, 0);
    tu_run_free(&r);
    tu_run(&r, "%s --db %s export --format csv --since 2099-01-01", tu_shq(tu_bin()),
           tu_shq(f->db));
    tu_assert_exit(&r, 0);
    assert_int_equal(tu_count_lines(r.out), 1);
    assert_contains(r.out, "@timestamp,host.name,", "csv header");
    tu_run_free(&r);

    /* --days 2 on 2023-05-11 (SOURCE_DATE_EPOCH): from 2023-05-10 00:00 */
    tu_run(&r, "SOURCE_DATE_EPOCH=1683763200 %s --db %s export --days 2 | wc -l",
           tu_shq(tu_bin()), tu_shq(f->db));
    tu_assert_exit(&r, 0);
    assert_int_equal(atoll(r.out), tu_sql_int(f->db, "SELECT count(*) FROM events"
                                                     " WHERE time_us >= 1683676800000000"));
    tu_run_free(&r);

    /* an unwritable -o: 3, nothing left behind */
    tu_run(&r, "%s --db %s export -o %s/no/such/dir/x.ndjson", tu_shq(tu_bin()),
           tu_shq(f->db), tu_shq(f->dir));
    tu_assert_exit(&r, 3);
    tu_run_free(&r);
    free(xml);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, tu_fx_setup, tu_fx_teardown)
    const struct CMUnitTest tests[] = {
        T(test_ndjson),
        T(test_csv_quoting),
        T(test_export_edges),
        T(test_export_golden),
        T(test_export_many),
    };
#undef T
    return cmocka_run_group_tests_name("export", tests, NULL, NULL);
}
