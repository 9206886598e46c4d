/*
 * test_outfile.c - output files that cannot be hijacked and outputs that
 * cannot fail silently (issue 17, items 2 and 7):
 *
 *   - `-o FILE` with symlinks planted at the old predictable temporary name
 *     (FILE.tmp.PID), at the new pattern, and at FILE itself (someone
 *     else's link): the link targets are untouched, FILE becomes the report;
 *   - FILE's mode is kept (0600 stays 0600), a new file gets 0666 & ~umask;
 *   - SIGTERM / SIGHUP / SIGINT during `export -o` leave no temporary and
 *     the old FILE; after SIGKILL the next `export -o` removes what was left;
 *   - the temporary helpers themselves (util/fsutil.h): exclusive, mode,
 *     sweep only of dead PIDs' files;
 *   - every command exits non-zero, with one line, when standard output is
 *     /dev/full.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"
#include "util/fsutil.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <time.h>


static const char *bin(void)
{
    return tu_shq(tu_bin());
}

static void import_sample(const char *db, const char *rel)
{
    char *xml = tu_src_file(rel);
    struct tu_run r;
    tu_run(&r, "%s --db %s import %s", bin(), tu_shq(db), tu_shq(xml));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    free(xml);
}

/* Entries of dir whose name starts with prefix. */
static int count_prefixed(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    int n = 0;
    if (!d)
        fail_msg("opendir %s: %s", dir, strerror(errno));
    while ((de = readdir(d)))
        if (strncmp(de->d_name, prefix, strlen(prefix)) == 0)
            n++;
    closedir(d);
    return n;
}

static void assert_file_is(const char *path, const char *want)
{
    size_t n;
    char *got = tu_read_file(path, &n);
    if (n != strlen(want) || memcmp(got, want, n) != 0)
        fail_msg("%s was changed: now \"%.60s\"", path, got);
    free(got);
}

static int mode_of(const char *path)
{
    struct stat sb;
    if (lstat(path, &sb) != 0)
        fail_msg("lstat %s: %s", path, strerror(errno));
    return (int)(sb.st_mode & 07777);
}

/* ---- planted symlinks --------------------------------------------------- */

static void test_planted_symlinks(void **state)
{
    struct tu_fx *f = *state;
    static const char secret[] = "do not overwrite me\n";
    char *victim = tu_path(f->dir, "victim");
    char *out = tu_path(f->dir, "report.txt");
    struct tu_run r;
    struct stat sb;

    import_sample(f->db, "samples/xml/wu-events.xml");
    tu_write_str(victim, secret);
    /* the shell's PID is the one wudiag runs under after exec: plant links
     * at the old name (report.txt.tmp.PID), at the new pattern with a
     * literal suffix, and at the next PIDs, all pointing at the victim */
    tu_run(&r, "cd %s && for i in 0 1 2 3 4 5 6 7 8 9; do p=$(($$ + i)); "
           "ln -s victim report.txt.tmp.$p; ln -s victim report.txt.wudiag-tmp-$p-XXXXXX; "
           "done; exec %s --db %s report -o report.txt", tu_shq(f->dir), bin(),
           tu_shq(f->db));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    assert_file_is(victim, secret);
    assert_int_equal(lstat(out, &sb), 0);
    assert_true(S_ISREG(sb.st_mode));
    char *rep = tu_read_file(out, NULL);
    assert_non_null(strstr(rep, "VERDICT"));
    free(rep);
    /* the planted links are still there, untouched; no temporary of ours */
    assert_int_equal(count_prefixed(f->dir, "report.txt.tmp."), 10);
    assert_int_equal(count_prefixed(f->dir, "report.txt.wudiag-tmp-"), 10);

    /* someone else's symlink at FILE itself: replaced, never followed
     * (needs root to make a link owned by another user) */
    if (geteuid() == 0) {
        char *out2 = tu_path(f->dir, "shared.html");
        assert_int_equal(symlink("victim", out2), 0);
        assert_int_equal(lchown(out2, 65534, 65534), 0);
        tu_run(&r, "%s --db %s report --format html -o %s", bin(), tu_shq(f->db),
               tu_shq(out2));
        tu_assert_exit(&r, 0);
        tu_run_free(&r);
        assert_file_is(victim, secret);
        assert_int_equal(lstat(out2, &sb), 0);
        assert_true(S_ISREG(sb.st_mode));
        assert_int_equal(count_prefixed(f->dir, "shared.html.wudiag-tmp-"), 0);
        free(out2);
    } else {
        print_message("note: not root: the foreign-owned symlink sub-check is skipped\n");
    }
    free(victim);
    free(out);
}

/* ---- modes ------------------------------------------------------------------ */

static void test_mode_kept(void **state)
{
    struct tu_fx *f = *state;
    char *priv = tu_path(f->dir, "private.json");
    char *grp = tu_path(f->dir, "group.csv");
    char *fresh = tu_path(f->dir, "fresh.txt");
    struct tu_run r;

    import_sample(f->db, "samples/xml/wu-events.xml");
    tu_write_str(priv, "old\n");
    assert_int_equal(chmod(priv, 0600), 0);
    tu_write_str(grp, "old\n");
    assert_int_equal(chmod(grp, 0640), 0);

    tu_run(&r, "%s --db %s report --format json -o %s", bin(), tu_shq(f->db), tu_shq(priv));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    assert_int_equal(mode_of(priv), 0600);
    tu_run(&r, "%s --db %s export --format csv -o %s", bin(), tu_shq(f->db), tu_shq(grp));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    assert_int_equal(mode_of(grp), 0640);
    tu_run(&r, "umask 027 && %s --db %s history -o %s", bin(), tu_shq(f->db), tu_shq(fresh));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    assert_int_equal(mode_of(fresh), 0640);
    tu_run(&r, "umask 002 && rm -f %s && %s --db %s history -o %s", tu_shq(fresh), bin(),
           tu_shq(f->db), tu_shq(fresh));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    assert_int_equal(mode_of(fresh), 0664);
    char *json = tu_read_file(priv, NULL);
    assert_true(json[0] == '{');
    free(json);
    free(priv);
    free(grp);
    free(fresh);
}

/* ---- the helpers ------------------------------------------------------------ */

static void test_temp_helpers(void **state)
{
    struct tu_fx *f = *state;
    char *target = tu_path(f->dir, "out.txt");
    char *tmp = NULL, *tmp2 = NULL;
    FILE *fp, *fp2;

    tu_write_str(target, "x");
    assert_int_equal(chmod(target, 0604), 0);
    fp = wu_temp_create(target, &tmp);
    assert_non_null(fp);
    fp2 = wu_temp_create(target, &tmp2);
    assert_non_null(fp2);
    assert_string_not_equal(tmp, tmp2);         /* never the same file */
    assert_int_equal(mode_of(tmp), 0604);
    char *want = tu_fmt("%s.wudiag-tmp-%ld-", target, (long)getpid());
    assert_int_equal(strncmp(tmp, want, strlen(want)), 0);
    free(want);

    /* the sweep leaves live PIDs' files (ours) and removes a dead PID's */
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0)
        _exit(0);
    assert_int_equal(waitpid(child, NULL, 0), child);
    char *dead = tu_fmt("%s.wudiag-tmp-%ld-AbC123", target, (long)child);
    char *dead_wal = tu_fmt("%s-wal", dead);
    char *other = tu_fmt("%s.wudiag-tmp-notapid", target);
    char *init = tu_fmt("%s.wudiag-tmp-1-AbC123", target);   /* PID 1 lives */
    tu_write_str(dead, "left by a SIGKILL");
    tu_write_str(dead_wal, "");
    tu_write_str(other, "not ours");
    tu_write_str(init, "alive");
    wu_temp_sweep(target);
    assert_false(tu_exists(dead));
    assert_false(tu_exists(dead_wal));
    assert_true(tu_exists(other));
    assert_true(tu_exists(init));
    assert_true(tu_exists(tmp));
    assert_true(tu_exists(tmp2));
    fclose(fp);
    fclose(fp2);
    unlink(tmp);
    unlink(tmp2);
    wu_temp_on_signal(NULL);

    /* a missing directory: NULL with errno, nothing made */
    char *nodir = tu_path(f->dir, "no/such/out.txt");
    free(tmp);
    tmp = NULL;
    errno = 0;
    assert_null(wu_temp_create(nodir, &tmp));
    assert_null(tmp);
    assert_int_equal(errno, ENOENT);
    free(nodir);
    free(tmp);
    free(tmp2);
    free(dead);
    free(dead_wal);
    free(other);
    free(init);
    free(target);
}

/* ---- signals and SIGKILL during export -o ------------------------------------- */

#define BIG_EVENTS 300000

/* A database with BIG_EVENTS events, so that `export -o` runs long enough
 * to be caught with its temporary file open. */
static void make_big_db(const char *db)
{
    sqlite3 *h = NULL;
    char *errmsg = NULL;
    import_sample(db, "samples/xml/wu-events.xml");
    char *sql = tu_fmt(
        "BEGIN;"
        "INSERT INTO hosts(name) VALUES ('big-host');"
        "INSERT INTO runs(host_id, kind, source, started_us, finished_us, tool_version)"
        " VALUES ((SELECT id FROM hosts WHERE name = 'big-host'), 'import', 'gen', 1, 1, 't');"
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < %d)"
        " INSERT INTO events(host_id, run_id, channel, provider, event_id, level, time_us,"
        " record_id, computer, data) SELECT (SELECT id FROM hosts WHERE name = 'big-host'),"
        " (SELECT max(id) FROM runs), 'System', 'Microsoft-Windows-WindowsUpdateClient',"
        " 19, 4, 1704067200000000 + i * 1000000, i, 'big-host', '{\"updateTitle\":\"x\"}'"
        " FROM n;"
        "COMMIT;", BIG_EVENTS - 1);
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    if (sqlite3_exec(h, sql, NULL, NULL, &errmsg) != SQLITE_OK)
        fail_msg("generating events: %s", errmsg);
    sqlite3_close(h);
    free(sql);
}

/* Start `export -o out` (stdout, stderr to /dev/null), wait until its
 * temporary exists, send sig; returns the wait status, or -1 when the
 * export finished before its temporary was seen. */
static int export_and_signal(const char *db, const char *dir, const char *out, int sig)
{
    const char *base = strrchr(out, '/') + 1;
    char *prefix = tu_fmt("%s.wudiag-tmp-", base);
    struct timespec ts = {0, 200000};
    int st = 0, seen = 0;
    pid_t pid;

    fflush(stdout);
    fflush(stderr);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int fd = open("/dev/null", O_RDWR);
        dup2(fd, 1);
        dup2(fd, 2);
        signal(SIGINT, SIG_DFL);
        signal(SIGHUP, SIG_DFL);
        execl(tu_bin(), "wudiag", "--db", db, "export", "-o", out, (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 100000 && !seen; i++) {
        if (count_prefixed(dir, prefix) > 0)
            seen = 1;
        else if (waitpid(pid, &st, WNOHANG) == pid)
            break;
        else
            nanosleep(&ts, NULL);
    }
    free(prefix);
    if (!seen) {
        if (waitpid(pid, &st, WNOHANG) == 0) {
            kill(pid, SIGKILL);
            waitpid(pid, &st, 0);
        }
        return -1;
    }
    kill(pid, sig);
    assert_int_equal(waitpid(pid, &st, 0), pid);
    return st;
}

static void test_signals_leave_nothing(void **state)
{
    struct tu_fx *f = *state;
    char *out = tu_path(f->dir, "events.ndjson");
    static const int sigs[] = {SIGTERM, SIGHUP, SIGINT};
    struct tu_run r;

    make_big_db(f->db);
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        tu_write_str(out, "previous export\n");
        int st = export_and_signal(f->db, f->dir, out, sigs[i]);
        if (st == -1)
            fail_msg("export of %d events finished before its temporary was seen",
                     BIG_EVENTS);
        assert_true(WIFSIGNALED(st));
        assert_int_equal(WTERMSIG(st), sigs[i]);    /* died of it, as asked */
        assert_int_equal(count_prefixed(f->dir, "events.ndjson.wudiag-tmp-"), 0);
        assert_file_is(out, "previous export\n");
    }

    /* SIGKILL cannot be caught: the temporary stays, under a name the next
     * export -o of the same file removes */
    int st = export_and_signal(f->db, f->dir, out, SIGKILL);
    if (st == -1)
        fail_msg("export finished before its temporary was seen");
    assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
    assert_int_equal(count_prefixed(f->dir, "events.ndjson.wudiag-tmp-"), 1);
    assert_file_is(out, "previous export\n");
    tu_run(&r, "%s --db %s export -o %s", bin(), tu_shq(f->db), tu_shq(out));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    assert_int_equal(count_prefixed(f->dir, "events.ndjson.wudiag-tmp-"), 0);
    char *all = tu_read_file(out, NULL);
    assert_true(tu_count_lines(all) >= BIG_EVENTS);
    free(all);
    free(out);
}

/* ---- standard output that cannot be written ------------------------------------ */

static void test_stdout_full_every_command(void **state)
{
    struct tu_fx *f = *state;
    char *healthy = tu_path(f->dir, "healthy.db");
    char *warn = tu_path(f->dir, "warn.db");
    char *fleet = tu_path(f->dir, "fleet.db");
    char *xml = tu_src_file("samples/xml/wu-events.xml");
    struct tu_run r;

    if (!tu_exists("/dev/full")) {
        print_message("note: no /dev/full here: skipped\n");
        free(healthy);
        free(warn);
        free(fleet);
        free(xml);
        return;
    }
    import_sample(f->db, "samples/xml/wu-events.xml");
    import_sample(healthy, "samples/xml/two-machines.xml");
    /* two-then-garbage is damaged on purpose: its import exits 1 */
    char *tg = tu_src_file("samples/xml/two-then-garbage.xml");
    tu_run(&r, "%s --db %s import %s", bin(), tu_shq(warn), tu_shq(tg));
    tu_run_free(&r);
    free(tg);

    /* what each prints to stdout, and the code it would give otherwise */
    struct { const char *db; const char *args; int want; } cmds[] = {
        {NULL, "explain 0x80070422", 3},
        {NULL, "explain --help", 3},
        {NULL, "help", 3},
        {NULL, "help report", 3},
        {NULL, "--help", 3},
        {NULL, "--version", 3},
        {NULL, "import --help", 3},
        {"db", "import XML", 3},
        {"db", "import --force XML", 3},
        {"db", "report", 3},
        {"db", "report --format json", 3},
        {"db", "report --format html", 3},
        {"healthy", "report --check", 3},       /* 0 healthy -> 3 */
        {"warn", "report --check", 3},          /* 1 warning -> 3 */
        {"db", "report --check", 2},            /* critical stays critical */
        {"db", "history", 3},
        {"db", "history --format json", 3},
        {"db", "export", 3},
        {"db", "export --format csv", 3},
        {"db", "prune --keep-days 36500", 3},
        {"fleet", "merge -o FLEET DB", 3},
    };
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        const char *db = !cmds[i].db ? f->db
                       : strcmp(cmds[i].db, "healthy") == 0 ? healthy
                       : strcmp(cmds[i].db, "warn") == 0 ? warn : f->db;
        /* operands: XML, FLEET, DB */
        char *args = tu_strdup(cmds[i].args), *line;
        if (strstr(args, "XML")) {
            char *a = tu_fmt("%.*s%s", (int)(strstr(args, "XML") - args), args, tu_shq(xml));
            free(args);
            args = a;
        }
        if (strstr(args, "FLEET DB")) {
            char *a = tu_fmt("merge -o %s %s", tu_shq(fleet), tu_shq(f->db));
            free(args);
            args = a;
        }
        line = tu_fmt("%s --db %s %s >/dev/full", bin(), tu_shq(db), args);
        tu_run(&r, "%s", line);
        if (r.status != cmds[i].want || tu_count_lines(r.err) != 1 ||
            !strstr(r.err, "cannot write")) {
            tu_run_dump(&r);
            fail_msg("%s: want exit %d and one \"cannot write\" line", cmds[i].args,
                     cmds[i].want);
        }
        tu_run_free(&r);
        free(line);
        free(args);
    }
    /* a closed standard output too */
    tu_run(&r, "%s explain 0x80070422 >&-", bin());
    assert_int_equal(r.status, 3);
    tu_run_free(&r);
    /* and the same commands with a working stdout still exit 0 */
    tu_run(&r, "%s explain 0x80070422 && %s help >/dev/null && %s --db %s report --check",
           bin(), bin(), bin(), tu_shq(healthy));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    free(healthy);
    free(warn);
    free(fleet);
    free(xml);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_planted_symlinks, tu_fx_setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_mode_kept, tu_fx_setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_temp_helpers, tu_fx_setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_signals_leave_nothing, tu_fx_setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_stdout_full_every_command, tu_fx_setup, tu_fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
