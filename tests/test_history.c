/*
 * test_history.c - `wudiag history` end to end with the built binary on the
 * shared sample logs: the JSON totals checked against the database by an
 * independent python3 oracle (failures, installs, events, service changes,
 * last successful install so far), weeks from Monday, --since keeps the
 * last install from before the range, CSV and text, the command line.
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

static void import_ok(const char *db, const char *host, const char *file)
{
    struct tu_run r;
    tu_run(&r, "%s --db %s import %s %s %s", tu_shq(tu_bin()), tu_shq(db),
           host ? "--host" : "", host ? tu_shq(host) : "", tu_shq(file));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
}

static void import_samples(const struct tu_fx *f)
{
    char *win10 = tu_data_file("evtx/system-win10-2017.evtx");
    char *win7 = tu_data_file("evtx/system-win7-2012.evtx");
    import_ok(f->db, "host-a", win10);
    import_ok(f->db, "host-b", win7);
    free(win10);
    free(win7);
}

/* python3 SCRIPT DB FILE [ARG] must print "ok". */
static void python_check(const struct tu_fx *f, const char *script, const char *file,
                         const char *arg)
{
    char *py = tu_path(f->dir, "check.py");
    struct tu_run r;
    tu_write_str(py, script);
    tu_run(&r, "python3 %s %s %s %s", tu_shq(py), tu_shq(f->db), tu_shq(file),
           arg ? tu_shq(arg) : "");
    if (r.status != 0 || strcmp(r.out, "ok\n") != 0) {
        tu_run_dump(&r);
        fail_msg("python3 check failed");
    }
    tu_run_free(&r);
    free(py);
}

/* The oracle: recompute from the database what each host's history says. */
static const char json_check[] =
    "import json, sqlite3, sys, datetime\n"
    "db = sqlite3.connect(sys.argv[1])\n"
    "doc = json.load(open(sys.argv[2]))\n"
    "week = len(sys.argv) > 3 and sys.argv[3] == 'week'\n"
    "assert doc['schema'] == 'wudiag.history/1'\n"
    "assert doc['period'] == ('week' if week else 'day')\n"
    "WU = \"provider COLLATE NOCASE IN ('Microsoft-Windows-WindowsUpdateClient',"
    " 'Windows Update Agent', 'WindowsUpdateAgent-History')\"\n"
    "FAIL = ('code IS NOT NULL AND CASE WHEN ' + WU + ' THEN event_id IN (16,20,25,31)'\n"
    "        ' ELSE level IN (1,2) END')\n"
    "def iso(us):\n"
    "    t = datetime.datetime.fromtimestamp(us // 1000000, datetime.timezone.utc)\n"
    "    return t.strftime('%Y-%m-%dT%H:%M:%SZ')\n"
    "names = [r[0] for r in db.execute('SELECT name FROM hosts ORDER BY name')]\n"
    "assert [h['host'] for h in doc['hosts']] == names, names\n"
    "for h in doc['hosts']:\n"
    "    hid = db.execute('SELECT id FROM hosts WHERE name = ?', (h['host'],)).fetchone()[0]\n"
    "    q = lambda w: db.execute('SELECT count(*) FROM events WHERE host_id = ? AND ' + w,\n"
    "                             (hid,)).fetchone()[0]\n"
    "    P = h['periods']\n"
    "    starts = [p['start'] for p in P]\n"
    "    assert starts == sorted(starts) and len(set(starts)) == len(starts)\n"
    "    for p in P:\n"
    "        d0 = datetime.date.fromisoformat(p['start'])\n"
    "        d1 = datetime.date.fromisoformat(p['end'])\n"
    "        assert (d1 - d0).days == (7 if week else 1)\n"
    "        if week: assert d0.weekday() == 0, p['start']\n"
    "        assert sum(p['failures_by_category'].values()) == p['failures']\n"
    "        assert sum(c['count'] for c in p['failures_by_code']) == p['failures']\n"
    "        cs = [c['count'] for c in p['failures_by_code']]\n"
    "        assert cs == sorted(cs, reverse=True)\n"
    "    assert sum(p['events'] for p in P) == q('1')\n"
    "    assert sum(p['failures'] for p in P) == q(FAIL)\n"
    "    assert sum(p['installs'] for p in P) == q(WU + ' AND event_id = 19')\n"
    "    last = db.execute('SELECT max(time_us) FROM events WHERE host_id = ? AND ' + WU +\n"
    "                      ' AND event_id = 19', (hid,)).fetchone()[0]\n"
    "    if last:\n"
    "        assert P[-1]['last_successful_install']['time'] == iso(last)\n"
    "    seen = [p['last_successful_install']['time'] for p in P if p['last_successful_install']]\n"
    "    assert seen == sorted(seen)\n"
    "    # service changes, recomputed\n"
    "    n, cur = 0, {}\n"
    "    for name, st, sty in db.execute('SELECT name, state, start_type FROM service_states'\n"
    "            ' WHERE host_id = ? ORDER BY name COLLATE NOCASE, time_us, id', (hid,)):\n"
    "        c = cur.setdefault(name.lower(), [None, None])\n"
    "        for i, v in enumerate((st, sty)):\n"
    "            if v:\n"
    "                if c[i] and c[i] != v: n += 1\n"
    "                c[i] = v\n"
    "    assert sum(len(p['service_changes']) for p in P) == n, (n,)\n"
    "    for p in P:\n"
    "        for c in p['service_changes']:\n"
    "            assert c['from'] != c['to'] and c['what'] in ('state', 'start_type')\n"
    "            assert c['time'][:10] >= p['start'] and c['time'][:10] < p['end']\n"
    "print('ok')\n";

static void test_history_json(void **state)
{
    struct tu_fx *f = *state;
    char *out = tu_path(f->dir, "h.json");
    struct tu_run r;

    import_samples(f);
    tu_run(&r, "%s --db %s history --format json -o %s", tu_shq(tu_bin()), tu_shq(f->db),
           tu_shq(out));
    tu_assert_exit(&r, 0);
    assert_int_equal(r.errlen, 0);
    assert_int_equal(r.outlen, 0);
    tu_run_free(&r);
    python_check(f, json_check, out, NULL);

    /* the failures of the Windows 10 log: 4 x 0x80248007, 1 x 0x80246013 */
    char *s = tu_read_file(out, NULL);
    assert_contains(s, "\"code\":\"0x80248007\",\"symbol\":\"WU_E_DS_NODATA\","
                    "\"category\":\"install\",\"count\":1", "history");
    assert_contains(s, "\"what\":\"start_type\",\"from\":\"auto\",\"to\":\"demand\"",
                    "history");
    free(s);

    tu_run(&r, "%s --db %s history --week --format json > %s", tu_shq(tu_bin()),
           tu_shq(f->db), tu_shq(out));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    python_check(f, json_check, out, "week");
    free(out);
}

/* --since: periods from then on; the last install so far comes from before. */
static void test_history_since(void **state)
{
    struct tu_fx *f = *state;
    struct tu_run r;

    import_samples(f);
    tu_run(&r, "%s --db %s history --host HOST-B --since 2012-03-26 --format json "
           "| python3 -c 'import json,sys\n"
           "d=json.load(sys.stdin); P=d[\"hosts\"][0][\"periods\"]\n"
           "assert d[\"since\"]==\"2012-03-26T00:00:00Z\"\n"
           "assert all(p[\"start\"]>=\"2012-03-26\" for p in P)\n"
           "assert P[0][\"start\"]==\"2012-03-26\" and P[0][\"installs\"]==0\n"
           "assert P[0][\"last_successful_install\"][\"time\"].startswith(\"2012-03-20\")\n"
           "print(\"ok\")'", tu_shq(tu_bin()), tu_shq(f->db));
    if (r.status != 0)
        tu_run_dump(&r);
    tu_assert_exit(&r, 0);
    assert_string_equal(r.out, "ok\n");
    tu_run_free(&r);

    /* --days N counts back from SOURCE_DATE_EPOCH (2012-04-01), today included */
    tu_run(&r, "SOURCE_DATE_EPOCH=1333238400 %s --db %s history --host host-b --days 7 "
           "--format csv", tu_shq(tu_bin()), tu_shq(f->db));
    tu_assert_exit(&r, 0);
    assert_contains(r.out, "host-b,day,2012-03-26,", "csv");
    if (strstr(r.out, "2012-03-25"))
        fail_msg("--days 7 reaches back too far:\n%s", r.out);
    tu_run_free(&r);
}

static const char csv_check[] =
    "import csv, json, sys\n"
    "rows = list(csv.reader(open(sys.argv[2], newline='')))\n"
    "doc = json.load(open(sys.argv[3]))\n"
    "h = rows[0]\n"
    "assert h[:6] == ['host','period','start','events','installs','failures'], h\n"
    "assert all(len(r) == len(h) for r in rows)\n"
    "P = [(x['host'], p) for x in doc['hosts'] for p in x['periods']]\n"
    "assert len(rows) - 1 == len(P)\n"
    "for r, (host, p) in zip(rows[1:], P):\n"
    "    d = dict(zip(h, r))\n"
    "    assert d['host'] == host and d['start'] == p['start']\n"
    "    assert int(d['failures']) == p['failures'] and int(d['events']) == p['events']\n"
    "    assert sum(int(d[k]) for k in h if k.startswith('failures.')) == p['failures']\n"
    "    assert int(d['service_changes']) == len(p['service_changes'])\n"
    "print('ok')\n";

static void test_history_csv_text(void **state)
{
    struct tu_fx *f = *state;
    char *csvf = tu_path(f->dir, "h.csv"), *json = tu_path(f->dir, "h.json");
    struct tu_run r;

    import_samples(f);
    tu_run(&r, "%s --db %s history --format csv > %s && %s --db %s history --format json > %s",
           tu_shq(tu_bin()), tu_shq(f->db), tu_shq(csvf), tu_shq(tu_bin()), tu_shq(f->db),
           tu_shq(json));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    python_check(f, csv_check, csvf, json);

    tu_run(&r, "%s --db %s history --host host-a", tu_shq(tu_bin()), tu_shq(f->db));
    tu_assert_exit(&r, 0);
    assert_contains(r.out, "host-a: history per day (UTC), 2017-07-12 .. ", "text");
    assert_contains(r.out, "last successful install", "text");
    assert_contains(r.out, "install 1; 0x80248007 (WU_E_DS_NODATA) x1", "text");
    assert_contains(r.out, "BITS start type: auto -> ", "text");
    assert_int_equal(r.errlen, 0);
    tu_run_free(&r);

    tu_run(&r, "%s --db %s history --week", tu_shq(tu_bin()), tu_shq(f->db));
    tu_assert_exit(&r, 0);
    assert_contains(r.out, "host-b: history per week (UTC)", "text");
    assert_contains(r.out, "week of", "text");
    tu_run_free(&r);
    free(csvf);
    free(json);
}

static void test_history_cli(void **state)
{
    struct tu_fx *f = *state;
    struct tu_run r;

    tu_run(&r, "%s --db %s history", tu_shq(tu_bin()), tu_shq(f->db));
    tu_assert_exit(&r, 4);
    tu_run_free(&r);
    assert_false(tu_exists(f->db));

    /* a database without evidence: 3 */
    tu_run(&r, "printf '%%s' '<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/"
           "events/event\"><System><Provider Name=\"x\"/><EventID>1</EventID>"
           "<TimeCreated SystemTime=\"2024-01-01T00:00:00Z\"/></System></Event>' | "
           "%s --db %s import -", tu_shq(tu_bin()), tu_shq(f->db));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    tu_run(&r, "%s --db %s history", tu_shq(tu_bin()), tu_shq(f->db));
    tu_assert_exit(&r, 3);
    assert_int_equal(tu_count_lines(r.err), 1);
    tu_run_free(&r);

    import_samples(f);
    tu_run(&r, "%s --db %s history --host nosuch", tu_shq(tu_bin()), tu_shq(f->db));
    tu_assert_exit(&r, 3);
    assert_contains(r.err, "nosuch", "stderr");
    tu_run_free(&r);
    tu_run(&r, "%s --db %s history --format yaml", tu_shq(tu_bin()), tu_shq(f->db));
    tu_assert_exit(&r, 2);
    tu_run_free(&r);
    tu_run(&r, "%s --db %s history --days -3", tu_shq(tu_bin()), tu_shq(f->db));
    tu_assert_exit(&r, 2);
    tu_run_free(&r);
    tu_run(&r, "%s --db %s history extra", tu_shq(tu_bin()), tu_shq(f->db));
    tu_assert_exit(&r, 2);
    tu_run_free(&r);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, tu_fx_setup, tu_fx_teardown)
    const struct CMUnitTest tests[] = {
        T(test_history_json),
        T(test_history_since),
        T(test_history_csv_text),
        T(test_history_cli),
    };
#undef T
    return cmocka_run_group_tests_name("history", tests, NULL, NULL);
}
