/*
 * wine_test.c - the Windows build, run for real under Wine (Debian wine64)
 * in a fresh temporary WINEPREFIX: `collect` reads Wine's Service Control
 * Manager, the report shows the services with the states `sc query` gives,
 * UsoSvc is "not installed" until the test creates it, and a wuauserv with
 * Start=4 yields a critical "disabled" finding with the fix to enable it.
 * Sources Wine does not have (event log API, Windows Update Agent) must show
 * up in coverage as failed while the report is still produced.  `import` of
 * the shared .evtx logs must give what the Linux binary gives (WUDIAG_BIN).
 *
 * Built and run by `make test-windows` (part of `make check`); needs
 * WUDIAG_EXE (the .exe) and the WUDIAG_* variables of the other tests.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include <sys/stat.h>
#include <sys/time.h>

static off_t tu_file_size(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? sb.st_size : -1;
}

struct wine {
    char *prefix;       /* WINEPREFIX */
    char *dir;          /* scratch dir (DB, outputs) */
    char *db;
    const char *exe;
};

static const char *exe_path(void)
{
    const char *e = getenv("WUDIAG_EXE");
    if (!e || !tu_exists(e))
        fail_msg("WUDIAG_EXE is not set or missing (run `make test-windows`)");
    return e;
}

/* Run a command line with the Wine environment of w. */
#define WRUN(r, w, fmt, ...)                                                      \
    tu_run((r), "export WINEPREFIX=%s WINEDEBUG=-all WINEARCH=win64; " fmt,       \
           tu_shq((w)->prefix), __VA_ARGS__)

static int setup(void **state)
{
    struct wine *w = calloc(1, sizeof *w);
    struct tu_run r;
    if (!w)
        return -1;
    w->exe = exe_path();
    w->dir = tu_tempdir();
    w->prefix = tu_path(w->dir, "prefix");
    w->db = tu_path(w->dir, "wine.db");
    WRUN(&r, w, "timeout 300 wineboot -i >/dev/null 2>&1; echo %s", "booted");
    tu_run_free(&r);
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    struct wine *w = *state;
    struct tu_run r;
    WRUN(&r, w, "wineserver -k >/dev/null 2>&1; echo %s", "stopped");
    tu_run_free(&r);
    tu_rmtree(w->dir);
    free(w->dir);
    free(w->prefix);
    free(w->db);
    free(w);
    return 0;
}

static double now_s(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (double)tv.tv_sec + tv.tv_usec / 1e6;
}

static void collect(struct wine *w)
{
    struct tu_run r;
    double t0 = now_s();
    WRUN(&r, w, "timeout 300 wine %s --db %s collect --days 7", tu_shq(w->exe),
         tu_shq(w->db));
    tu_assert_exit(&r, 0);
    assert_non_null(strstr(r.out, "collected"));
    print_message("collect under Wine: %.2f s\n", now_s() - t0);
    tu_run_free(&r);
}

/* A python3 expression evaluated on the JSON report: it must print "ok". */
static void check_json(struct wine *w, const char *expr)
{
    struct tu_run r;
    char *json = tu_path(w->dir, "r.json");
    WRUN(&r, w, "wine %s --db %s report --format json -o %s", tu_shq(w->exe),
         tu_shq(w->db), tu_shq(json));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    char *prog = tu_fmt("import json,sys\n"
                        "d=json.load(open(sys.argv[1]))\n"
                        "if 'reports' in d: d=d['reports'][0]\n"
                        "svc={s['name']:s for s in d['services']}\n"
                        "cov={c['source']:c for c in d['coverage']}\n"
                        "rules=[(f['rule'],f['severity'],(f['fix'] or {}).get('id'))"
                        " for f in d['findings']]\n"
                        "ok=(%s)\n"
                        "print('ok' if ok else 'FAILED: ' + json.dumps({'services':svc,"
                        "'coverage':cov,'rules':rules,'verdict':d['verdict']}))\n", expr);
    tu_run(&r, "python3 -c %s %s", tu_shq(prog), tu_shq(json));
    if (strncmp(r.out, "ok", 2) != 0) {
        tu_run_dump(&r);
        fail_msg("report check failed: %s", expr);
    }
    tu_run_free(&r);
    free(prog);
    free(json);
}

/* The state `sc query NAME` reports under Wine, lower-case ("stopped"). */
static char *sc_state(struct wine *w, const char *name)
{
    struct tu_run r;
    WRUN(&r, w, "wine sc query %s | tr -d '\\r' | sed -n 's/.*STATE *: *[0-9] *//p'"
         " | tr 'A-Z_' 'a-z-'", name);
    char *s = tu_strdup(r.out);
    s[strcspn(s, "\n ")] = '\0';
    tu_run_free(&r);
    return s;
}

static void test_collect_services(void **state)
{
    struct wine *w = *state;
    char *wu = sc_state(w, "wuauserv"), *bits = sc_state(w, "BITS");
    char *expr;

    assert_true(strlen(wu) > 0);
    assert_true(strlen(bits) > 0);
    collect(w);
    expr = tu_fmt("svc['wuauserv']['origin']=='live' and svc['wuauserv']['state']=='%s'"
                  " and svc['BITS']['origin']=='live' and svc['BITS']['state']=='%s'"
                  " and svc['wuauserv']['start_type'] is not None"
                  " and svc['UsoSvc']['state']=='not-installed'", wu, bits);
    check_json(w, expr);
    free(expr);
    /* what Wine lacks is in coverage as failed, and the report exists anyway */
    check_json(w, "cov['services']['status']=='ok'"
                  " and cov['update history']['status']=='failed'"
                  " and all(cov[c]['status']!='ok' or 'events' in (cov[c]['detail'] or '')"
                  "         for c in ['System','Setup'])"
                  " and any(cov[c]['status']=='failed' for c in cov if c not in"
                  "         ('services','registry and disk facts'))");
    free(wu);
    free(bits);
}

static void test_usosvc_created(void **state)
{
    struct wine *w = *state;
    struct tu_run r;
    WRUN(&r, w, "wine sc create UsoSvc binpath= %s start= auto >/dev/null 2>&1; "
         "wine sc query UsoSvc >/dev/null 2>&1; echo $?",
         tu_shq("C:\\windows\\system32\\svchost.exe -k netsvcs"));
    tu_run_free(&r);
    collect(w);
    check_json(w, "svc['UsoSvc']['state']!='not-installed'"
                  " and svc['UsoSvc']['start_type']=='auto'");
}

/* After a registry change the server is killed so services read it anew;
 * `wineserver -w` then waits until it is gone, so the next wine starts a new
 * server instead of meeting the old one on its way out (a double-click run
 * right after such a kill once exited 1 with no output in CI). */
static void test_wuauserv_disabled(void **state)
{
    struct wine *w = *state;
    struct tu_run r;
    WRUN(&r, w, "wine reg add %s /v Start /t REG_DWORD /d 4 /f >/dev/null 2>&1 && "
         "wineserver -k; wineserver -w; echo done",
         tu_shq("HKLM\\System\\CurrentControlSet\\Services\\wuauserv"));
    tu_run_free(&r);
    collect(w);
    check_json(w, "svc['wuauserv']['start_type']=='disabled' and d['verdict']=='critical'"
                  " and ('service-disabled','critical','enable-wuauserv') in rules");
    WRUN(&r, w, "wine %s --db %s report --format text", tu_shq(w->exe), tu_shq(w->db));
    tu_assert_exit(&r, 0);
    assert_non_null(strstr(r.out, "Windows Update service (wuauserv) is disabled"));
    assert_non_null(strstr(r.out, "sc.exe config wuauserv start= "));
    tu_run_free(&r);
    WRUN(&r, w, "wine %s --db %s report --check", tu_shq(w->exe), tu_shq(w->db));
    tu_assert_exit(&r, 2);
    tu_run_free(&r);
}

/*
 * The before/after pair of issue 18, made by the collector itself: the
 * previous test collected with wuauserv disabled (Start=4); re-enable it
 * (Start=3, demand), collect again, and `compare` (default: the last two
 * runs) must show the service finding cleared and the start type
 * disabled -> demand; --check exits with the after verdict (which Wine's
 * other missing services may keep critical).  wuauserv is disabled again
 * afterwards, as the later tests found it.
 */
static void test_compare_reenabled(void **state)
{
    struct wine *w = *state;
    struct tu_run r;
    const char *key = "HKLM\\System\\CurrentControlSet\\Services\\wuauserv";
    char *json = tu_path(w->dir, "cmp.json");

    WRUN(&r, w, "wine reg add %s /v Start /t REG_DWORD /d 3 /f >/dev/null 2>&1 && "
         "wineserver -k; wineserver -w; echo done", tu_shq(key));
    tu_run_free(&r);
    collect(w);
    WRUN(&r, w, "wine %s --db %s compare --format json -o %s", tu_shq(w->exe),
         tu_shq(w->db), tu_shq(json));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    tu_run(&r, "python3 -c %s %s", tu_shq(
        "import json,sys\n"
        "d=json.load(open(sys.argv[1]))\n"
        "f={x['key']:x for x in d['findings']}\n"
        "w=[s for s in d['services'] if s['name']=='wuauserv'][0]\n"
        "ok=(d['schema']=='wudiag.compare/1' and d['before']['kind']=='collect'"
        " and d['after']['kind']=='collect' and d['verdict']['before']=='critical'"
        " and f['service-disabled~wuauserv']['change']=='cleared'"
        " and w['start_type_before']=='disabled' and w['start_type_after']=='demand')\n"
        "print('ok' if ok else 'FAILED: '+json.dumps(d))\n"), tu_shq(json));
    if (strncmp(r.out, "ok", 2) != 0) {
        tu_run_dump(&r);
        fail_msg("compare after re-enabling wuauserv");
    }
    tu_run_free(&r);
    /* Wine lacks other update services, so the after verdict may stay
     * critical; --check must exit with whatever it is */
    WRUN(&r, w, "wine %s --db %s compare --check", tu_shq(w->exe), tu_shq(w->db));
    static const char *const verdicts[] = {"healthy", "warning", "critical", "unknown"};
    const char *arrow = strstr(r.out, "-> ");
    int code = -1;
    for (int i = 0; arrow && i < 4; i++)
        if (strncmp(arrow + 3, verdicts[i], strlen(verdicts[i])) == 0)
            code = i;
    if (strncmp(r.out, "critical -> ", 12) != 0 || !strstr(r.out, "(better): 1 cleared, 0 new") ||
        r.status != code) {
        tu_run_dump(&r);
        fail_msg("compare --check: critical before, the service finding cleared, "
                 "exit = the after verdict");
    }
    tu_run_free(&r);
    WRUN(&r, w, "wine reg add %s /v Start /t REG_DWORD /d 4 /f >/dev/null 2>&1 && "
         "wineserver -k; wineserver -w; echo done", tu_shq(key));
    tu_run_free(&r);
    free(json);
}


static void test_non_ascii_paths(void **state)
{
    struct wine *w = *state;
    struct tu_run r;
    char *sub = tu_path(w->dir, "d\xc3\xafr \xc3\xbc");          /* "dïr ü" */
    char *db = tu_path(sub, "t\xc3\xabst.db");                       /* "tëst.db" */
    char *html = tu_path(sub, "r\xc3\xa9p\xc3\xb6rt.html");        /* "répört.html" */
    char *xml = tu_src_file("samples/xml/wu-events.xml");

    tu_run(&r, "mkdir -p %s", tu_shq(sub));
    tu_run_free(&r);
    WRUN(&r, w, "wine %s --db %s import %s", tu_shq(w->exe), tu_shq(db), tu_shq(xml));
    tu_assert_exit(&r, 0);
    assert_non_null(strstr(r.out, "10 stored"));
    tu_run_free(&r);
    WRUN(&r, w, "wine %s --db %s report --format html -o %s", tu_shq(w->exe), tu_shq(db),
         tu_shq(html));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    assert_true(tu_exists(db));
    assert_true(tu_exists(html));
    /* the Linux build reads the same database */
    tu_run(&r, "%s --db %s report --check", tu_bin(), tu_shq(db));
    assert_true(r.status >= 0 && r.status <= 2);
    tu_run_free(&r);
    print_message("wudiag.exe size: %ld bytes\n", (long)tu_file_size(w->exe));
    free(sub);
    free(db);
    free(html);
    free(xml);
}


/* The output of the .exe with Wine's CRs removed, malloc'd. */
static char *strip_cr(const char *s)
{
    char *t = tu_strdup(s), *o = t;
    for (; *s; s++)
        if (*s != '\r')
            *o++ = *s;
    *o = '\0';
    return t;
}

/* The "wudiag: ..." lines of stderr (Wine may add its own), malloc'd. */
static char *wudiag_lines(const char *err)
{
    char *s = strip_cr(err), *out = tu_strdup("");
    for (char *line = strtok(s, "\n"); line; line = strtok(NULL, "\n")) {
        if (strncmp(line, "wudiag: ", 8) == 0) {
            char *t = tu_fmt("%s%s\n", out, line);
            free(out);
            out = t;
        }
    }
    free(s);
    return out;
}

/* Import FILE (as named, from directory CWD) with the Linux binary into
 * LDB and with the .exe into WDB: same exit code, summary line and
 * messages.  Returns the Linux summary, malloc'd. */
static char *import_both(struct wine *w, const char *cwd, const char *file,
                         const char *ldb, const char *wdb, int want_exit)
{
    struct tu_run lr, wr;
    tu_run(&lr, "cd %s && %s --db %s import %s", tu_shq(cwd), tu_bin(), tu_shq(ldb),
           tu_shq(file));
    tu_assert_exit(&lr, want_exit);
    WRUN(&wr, w, "cd %s && wine %s --db %s import %s", tu_shq(cwd), tu_shq(w->exe),
         tu_shq(wdb), tu_shq(file));
    char *wout = strip_cr(wr.out), *werr = wudiag_lines(wr.err), *lerr = wudiag_lines(lr.err);
    if (wr.status != want_exit || strcmp(wout, lr.out) != 0 || strcmp(werr, lerr) != 0) {
        tu_run_dump(&lr);
        tu_run_dump(&wr);
        fail_msg("wudiag.exe import %s differs from the Linux build", file);
    }
    print_message("import under Wine: %s", wout);
    char *summary = tu_strdup(lr.out);
    free(wout);
    free(werr);
    free(lerr);
    tu_run_free(&lr);
    tu_run_free(&wr);
    return summary;
}

/* .evtx files are read by the same code in both builds (evtx_source.c and
 * libevtx, compiled from Debian's source for the .exe): each shared log
 * gives the Linux binary's summary, exit code and damage message, a copy
 * under a non-ASCII name reached by a relative path with ".." too, and the
 * two databases give the same JSON report (import times aside). */
static void test_import_evtx_like_linux(void **state)
{
    struct wine *w = *state;
    static const struct { const char *file; int exit; } logs[] = {
        {"evtx/system-win10-2017.evtx", 0},
        {"evtx/system-win7-2012.evtx", 0},
        {"evtx/corrupt-bad-chunk-magic.evtx", 1},   /* readable records kept */
    };
    char *ldb = tu_path(w->dir, "evtx-linux.db"), *wdb = tu_path(w->dir, "evtx-wine.db");
    char *sub = tu_path(w->dir, "\xc3\xa9vtx d\xc3\xafr");        /* "évtx dïr" */
    char *cwd = tu_path(sub, "cwd");
    struct tu_run r;

    for (size_t i = 0; i < sizeof logs / sizeof logs[0]; i++) {
        char *path = tu_data_file(logs[i].file);
        char *summary = import_both(w, w->dir, path, ldb, wdb, logs[i].exit);
        assert_null(strstr(summary, ": 0 read"));
        if (logs[i].exit == 1)
            assert_null(strstr(summary, " 0 damaged"));
        free(summary);
        free(path);
    }
    char *win7 = tu_data_file("evtx/system-win7-2012.evtx");
    tu_run(&r, "mkdir -p %s && cp %s %s/s\xc3\xbfst\xc3\xabm.evtx", tu_shq(cwd),
           tu_shq(win7), tu_shq(sub));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    char *ldb2 = tu_path(w->dir, "evtx-linux2.db"), *wdb2 = tu_path(w->dir, "evtx-wine2.db");
    free(import_both(w, cwd, "../s\xc3\xbfst\xc3\xabm.evtx", ldb2, wdb2, 0));

    char *lj = tu_path(w->dir, "evtx-linux.json"), *wj = tu_path(w->dir, "evtx-wine.json");
    tu_run(&r, "SOURCE_DATE_EPOCH=1767225600 %s --db %s report --each --format json -o %s",
           tu_bin(), tu_shq(ldb), tu_shq(lj));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    WRUN(&r, w, "SOURCE_DATE_EPOCH=1767225600 wine %s --db %s report --each --format json "
         "-o %s", tu_shq(w->exe), tu_shq(wdb), tu_shq(wj));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    tu_run(&r, "python3 -c %s %s %s",
           tu_shq("import json,sys\n"
                  "def load(p):\n"
                  "    d=json.load(open(p))\n"
                  "    for h in d['reports']:\n"
                  "        for c in h['coverage']: c.pop('time')\n"
                  "    return d\n"
                  "l,w=load(sys.argv[1]),load(sys.argv[2])\n"
                  "print('ok' if l==w and l['reports'] else 'FAILED')\n"),
           tu_shq(lj), tu_shq(wj));
    if (strncmp(r.out, "ok", 2) != 0) {
        tu_run_dump(&r);
        fail_msg("the report from the Wine-imported database differs from Linux's");
    }
    tu_run_free(&r);
    free(lj);
    free(wj);
    free(ldb2);
    free(wdb2);
    free(win7);
    free(cwd);
    free(sub);
    free(ldb);
    free(wdb);
}


/* CBS.log in the prefix's C:\windows\Logs is read by collect and gives the
 * servicing-store finding (with lines dated today, inside --days). */
static void test_cbs_log_collected(void **state)
{
    struct wine *w = *state;
    struct tu_run r;
    char *logdir = tu_path(w->prefix, "drive_c/windows/Logs/CBS");
    char *log = tu_path(logdir, "CBS.log");
    char *cmd = tu_fmt("mkdir -p %s && d=$(date -u '+%%Y-%%m-%%d %%H:%%M:%%S') && "
                       "printf '%%s, Info                  CBS    Starting TrustedInstaller "
                       "initialization.\r\n%%s, Error                 CBS    Failed to "
                       "resolve package [HRESULT = 0x80073712 - "
                       "ERROR_SXS_COMPONENT_STORE_CORRUPT]\r\n' \"$d\" \"$d\" > %s",
                       tu_shq(logdir), tu_shq(log));
    tu_run(&r, "%s", cmd);
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    collect(w);
    check_json(w, "cov['CBS.log']['status']=='ok'"
                  " and any(r[0]=='servicing-corruption' for r in rules)"
                  " and cov['DISM.log']['status']=='failed'");
    free(cmd);
    free(log);
    free(logdir);
}


/* Started with no arguments (double-clicked): collect into
 * %ProgramData%\wudiag, write the dated HTML report there, say where, and
 * wait for Enter (stdin is /dev/null here, so it returns at once). */
static void test_double_click(void **state)
{
    struct wine *w = *state;
    struct tu_run r;
    char *dir = tu_path(w->prefix, "drive_c/ProgramData/wudiag");

    WRUN(&r, w, "wine %s", tu_shq(w->exe));
    tu_assert_exit(&r, 0);
    assert_non_null(strstr(r.out, "Report written to:"));
    assert_non_null(strstr(r.out, "wudiag-report-"));
    assert_non_null(strstr(r.out, "Press Enter to close."));
    tu_run_free(&r);
    tu_run(&r, "ls %s | grep -c '^wudiag-report-.*-[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"
           "\\.html$'; test -s %s/wudiag.db", tu_shq(dir), tu_shq(dir));
    tu_assert_exit(&r, 0);
    assert_int_equal(atoi(r.out), 1);
    tu_run_free(&r);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_collect_services),
        cmocka_unit_test(test_usosvc_created),
        cmocka_unit_test(test_wuauserv_disabled),
        cmocka_unit_test(test_compare_reenabled),
        cmocka_unit_test(test_non_ascii_paths),
        cmocka_unit_test(test_import_evtx_like_linux),
        cmocka_unit_test(test_cbs_log_collected),
        cmocka_unit_test(test_double_click),
    };
    return cmocka_run_group_tests_name("wine", tests, setup, teardown);
}
