/*
 * test_concurrency.c - two imports and a report at once on one database.
 *
 * Several rounds, each on a fresh database: round 0 lets two imports race
 * to create and migrate it; the others start from a database that already
 * holds evidence and run two imports of different files and a report (all
 * three formats in turn) at the same time.  Then three imports race to
 * create one database, twenty times, and eight writers share one.  Every process must succeed
 * (exit 0, or 1 for the damaged log), none may say "locked" or "busy",
 * and the database must end up exactly as after the same imports run one
 * after the other.  A slow file (stdin fed bit by bit) is parsed without
 * the write lock: while it is read, another process holds the lock and a
 * second import of a small file succeeds at once; killed mid-file it
 * leaves the database as it was.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <time.h>

#define ROUNDS 6

struct fx {
    char *dir;
    char *win10, *win7, *corrupt, *xml;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->dir = tu_tempdir();
    f->win10 = tu_data_file("evtx/system-win10-2017.evtx");
    f->win7 = tu_data_file("evtx/system-win7-2012.evtx");
    f->corrupt = tu_data_file("evtx/corrupt-bad-chunk-magic.evtx");
    f->xml = tu_src_file("samples/xml/wu-events.xml");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    tu_rmtree(f->dir);
    free(f->dir);
    free(f->win10);
    free(f->win7);
    free(f->corrupt);
    free(f->xml);
    free(f);
    return 0;
}

struct proc {
    pid_t pid;
    char *out, *err;        /* paths of the captured output */
    int status;
    const char *what;
};

/* Start argv (NULL-terminated) with stdin from infd (-1: /dev/null) and
 * stdout/stderr to files in dir. */
static void spawn_in(struct proc *p, const char *dir, const char *tag, const char **argv,
                     int infd)
{
    p->out = tu_fmt("%s/%s.out", dir, tag);
    p->err = tu_fmt("%s/%s.err", dir, tag);
    p->what = tag;
    fflush(stdout);
    fflush(stderr);
    p->pid = fork();
    if (p->pid < 0)
        fail_msg("fork: %s", strerror(errno));
    if (p->pid == 0) {
        int in = infd >= 0 ? infd : open("/dev/null", O_RDONLY);
        int o = open(p->out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int e = open(p->err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (in < 0 || o < 0 || e < 0)
            _exit(126);
        dup2(in, 0);
        dup2(o, 1);
        dup2(e, 2);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
}

static void spawn(struct proc *p, const char *dir, const char *tag, const char **argv)
{
    spawn_in(p, dir, tag, argv, -1);
}

/* Wait for p; it must exit with one of the allowed codes and say nothing
 * about locks. */
static void reap(struct proc *p, int ok1, int ok2, int round)
{
    int st;
    if (waitpid(p->pid, &st, 0) != p->pid)
        fail_msg("waitpid: %s", strerror(errno));
    p->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
    char *err = tu_read_file(p->err, NULL);
    if ((p->status != ok1 && p->status != ok2) || strstr(err, "locked") ||
        strstr(err, "busy")) {
        char *out = tu_read_file(p->out, NULL);
        fail_msg("round %d, %s: exit %d\n--- stdout ---\n%s--- stderr ---\n%s",
                 round, p->what, p->status, out, err);
    }
    free(err);
    free(p->out);
    free(p->err);
}

struct counts {
    long long events, runs, hosts, states, files, unrelated, coverage;
};

static struct counts counts_of(const char *db)
{
    struct counts c;
    char *ic = tu_sql_text(db, "PRAGMA integrity_check");
    if (strcmp(ic, "ok") != 0)
        fail_msg("%s: integrity_check: %s", db, ic);
    free(ic);
    c.events = tu_sql_int(db, "SELECT count(*) FROM events");
    c.runs = tu_sql_int(db, "SELECT count(*) FROM runs WHERE finished_us IS NOT NULL");
    c.hosts = tu_sql_int(db, "SELECT count(*) FROM hosts");
    c.states = tu_sql_int(db, "SELECT count(*) FROM service_states");
    c.files = tu_sql_int(db, "SELECT count(*) FROM imported_files");
    c.unrelated = tu_sql_int(db, "SELECT coalesce(sum(count), 0) FROM unrelated_counts");
    c.coverage = tu_sql_int(db, "SELECT count(*) FROM coverage");
    return c;
}

static void expect_same(const struct counts *got, const struct counts *want, int round)
{
    if (got->events != want->events || got->runs != want->runs ||
        got->hosts != want->hosts || got->states != want->states ||
        got->files != want->files || got->unrelated != want->unrelated ||
        got->coverage != want->coverage)
        fail_msg("round %d: events %lld runs %lld hosts %lld states %lld files %lld "
                 "unrelated %lld coverage %lld; one after the other: %lld %lld %lld "
                 "%lld %lld %lld %lld", round, got->events, got->runs, got->hosts,
                 got->states, got->files, got->unrelated, got->coverage, want->events,
                 want->runs, want->hosts, want->states, want->files, want->unrelated,
                 want->coverage);
}

static void import_seq(const char *db, const char *file, int want)
{
    struct tu_run r;
    tu_run(&r, "%s --db %s import %s", tu_shq(tu_bin()), tu_shq(db), tu_shq(file));
    tu_assert_exit(&r, want);
    tu_run_free(&r);
}

static void test_two_imports_and_a_report(void **state)
{
    struct fx *f = *state;
    const char *bin = tu_bin();
    static const char *const formats[] = {"text", "html", "json"};

    /* the reference: the same imports one after the other */
    char *ref0 = tu_path(f->dir, "ref0.db"), *ref = tu_path(f->dir, "ref.db");
    import_seq(ref0, f->win10, 0);
    import_seq(ref0, f->corrupt, 1);
    import_seq(ref0, f->win7, 0);
    import_seq(ref, f->xml, 0);
    import_seq(ref, f->win10, 0);
    import_seq(ref, f->corrupt, 1);
    import_seq(ref, f->win7, 0);
    struct counts want0 = counts_of(ref0), want = counts_of(ref);

    for (int round = 0; round < ROUNDS; round++) {
        char *rdir = tu_fmt("%s/round%d", f->dir, round);
        assert_int_equal(mkdir(rdir, 0755), 0);
        char *db = tu_path(rdir, "wudiag.db");
        char *out = tu_fmt("%s/report.%s", rdir, formats[round % 3]);
        struct proc a, b, r;
        int swap = round & 1;

        if (round > 0)
            import_seq(db, f->xml, 0);      /* evidence for the report */
        /* import 1: win10 + the damaged log; import 2: win7 */
        const char *argv_a[] = {bin, "--db", db, "import", swap ? f->corrupt : f->win10,
                                swap ? f->win10 : f->corrupt, NULL};
        const char *argv_b[] = {bin, "--db", db, "import", f->win7, NULL};
        const char *argv_r[] = {bin, "--db", db, "report", "--each", "--format",
                                formats[round % 3], "-o", out, NULL};
        spawn(swap ? &b : &a, rdir, swap ? "import2" : "import1", swap ? argv_b : argv_a);
        spawn(swap ? &a : &b, rdir, swap ? "import1" : "import2", swap ? argv_a : argv_b);
        if (round > 0)
            spawn(&r, rdir, "report", argv_r);
        reap(&a, 1, 1, round);              /* the damaged log: 1 */
        reap(&b, 0, 0, round);
        if (round > 0) {
            reap(&r, 0, 0, round);
            assert_true(tu_exists(out));
        }
        struct counts got = counts_of(db);
        expect_same(&got, round ? &want : &want0, round);
        free(db);
        free(out);
        free(rdir);
    }
    free(ref0);
    free(ref);
}

/* Three imports racing to create the same new database (WAL switch and
 * migration): every one succeeds, the rows are those of all three. */
static void test_creation_race(void **state)
{
    struct fx *f = *state;
    const char *bin = tu_bin();
    char *ref = tu_path(f->dir, "ref.db");
    import_seq(ref, f->xml, 0);
    import_seq(ref, f->win7, 0);
    import_seq(ref, f->win10, 0);
    struct counts want = counts_of(ref);

    for (int round = 0; round < 20; round++) {
        char *rdir = tu_fmt("%s/race%d", f->dir, round);
        assert_int_equal(mkdir(rdir, 0755), 0);
        char *db = tu_path(rdir, "wudiag.db");
        const char *files[3] = {f->xml, f->win7, f->win10};
        struct proc p[3];
        for (int i = 0; i < 3; i++) {
            char tag[32];
            snprintf(tag, sizeof tag, "import%d", i);
            const char *argv[] = {bin, "--db", db, "import", files[(i + round) % 3], NULL};
            spawn(&p[i], rdir, tag, argv);
        }
        for (int i = 0; i < 3; i++)
            reap(&p[i], 0, 0, round);
        struct counts got = counts_of(db);
        expect_same(&got, &want, round);
        free(db);
        free(rdir);
    }
    free(ref);
}

/* Many short writers at once on one database: nobody fails with a lock. */
static void test_many_writers(void **state)
{
    struct fx *f = *state;
    char *db = tu_path(f->dir, "many.db");
    char *dir = tu_path(f->dir, "many");
    struct proc p[8];
    const char *bin = tu_bin();

    assert_int_equal(mkdir(dir, 0755), 0);
    for (int i = 0; i < 8; i++) {
        char tag[32];
        snprintf(tag, sizeof tag, "w%d", i);
        const char *argv[] = {bin, "--db", db, "import", "--force", i & 1 ? f->win7 : f->xml,
                              NULL};
        spawn(&p[i], dir, tag, argv);
    }
    for (int i = 0; i < 8; i++)
        reap(&p[i], 0, 0, i);
    assert_int_equal(tu_sql_int(db, "SELECT count(*) FROM runs WHERE finished_us IS NOT NULL"),
                     8);
    free(db);
    free(dir);
}

/* ---- a slow file holds no lock -------------------------------------------- */

#define NS "xmlns='http://schemas.microsoft.com/win/2004/08/events/event'"

/* n WindowsUpdateClient 20 events from record first on (about 560 bytes
 * each, so 12000 stage more than INGEST_CHUNK and reach the TEMP table). */
static char *events_xml(int first, int n)
{
    size_t cap = (size_t)n * 640 + 1, len = 0;
    char *s = malloc(cap);
    assert_non_null(s);
    for (int i = first; i < first + n; i++) {
        int w = snprintf(s + len, cap - len,
            "<Event " NS "><System><Provider Name='Microsoft-Windows-WindowsUpdateClient'/>"
            "<EventID>20</EventID><Level>2</Level><TimeCreated SystemTime='2024-%02d-%02dT"
            "%02d:%02d:%02dZ'/><EventRecordID>%d</EventRecordID><Channel>System</Channel>"
            "<Computer>SLOWHOST</Computer></System><EventData><Data Name='errorCode'>"
            "0x80070422</Data><Data Name='updateTitle'>2024-01 Cumulative Update for "
            "Windows 10 Version 22H2 for x64-based Systems (KB5034122) try %d</Data>"
            "<Data Name='updateGuid'>{AAAA0000-0000-0000-0000-%012d}</Data></EventData>"
            "</Event>\n", 1 + i / 100000 % 12, 1 + i / 3600 % 28, i / 60 % 24, i % 60,
            i % 59, i + 1, i, i);
        assert_true(w > 0 && (size_t)w < cap - len);
        len += (size_t)w;
    }
    return s;
}

/* Write all of buf to fd; fail when the reader takes no byte for 20 s. */
static void write_all(int fd, const char *buf, size_t len, const char *what)
{
    while (len > 0) {
        struct pollfd pfd = {fd, POLLOUT, 0};
        int rc = poll(&pfd, 1, 20000);
        if (rc == 0)
            fail_msg("%s: the import stopped reading its input for 20 s", what);
        if (rc < 0 && errno != EINTR)
            fail_msg("poll: %s", strerror(errno));
        if (rc <= 0)
            continue;
        ssize_t w = write(fd, buf, len);
        if (w < 0 && errno != EINTR && errno != EAGAIN)
            fail_msg("%s: write: %s", what, strerror(errno));
        if (w > 0) {
            buf += w;
            len -= (size_t)w;
        }
    }
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* A pipe whose write end is non-blocking (poll decides) and not inherited. */
static void slow_pipe(int fds[2])
{
    assert_int_equal(pipe(fds), 0);
    assert_int_equal(fcntl(fds[1], F_SETFL, O_NONBLOCK), 0);
    assert_int_equal(fcntl(fds[1], F_SETFD, FD_CLOEXEC), 0);
}

static void test_slow_file_holds_no_lock(void **state)
{
    struct fx *f = *state;
    const char *bin = tu_bin();
    char *dir = tu_path(f->dir, "slow");
    char *db = tu_path(dir, "wudiag.db");
    char *ref = tu_path(f->dir, "slowref.db");
    char *small = tu_src_file("samples/xml/forwarded-events.xml");
    char *part1 = events_xml(0, 12000), *part2 = events_xml(12000, 10);
    char *whole = tu_path(f->dir, "slow-whole.xml");
    int fds[2];
    struct proc a, b;
    sqlite3 *lock = NULL;

    assert_int_equal(mkdir(dir, 0755), 0);
    /* the reference: the same three imports one after the other */
    char *both = tu_fmt("%s%s", part1, part2);
    tu_write_str(whole, both);
    free(both);
    import_seq(ref, f->xml, 0);
    import_seq(ref, small, 0);
    struct tu_run r;
    tu_run(&r, "%s --db %s import - < %s", tu_shq(bin), tu_shq(ref), tu_shq(whole));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    struct counts want = counts_of(ref);

    import_seq(db, f->xml, 0);
    slow_pipe(fds);
    const char *argv_a[] = {bin, "--db", db, "import", "-", NULL};
    spawn_in(&a, dir, "slow", argv_a, fds[0]);
    close(fds[0]);

    /* another process holds the write lock while the slow file is read:
     * the import keeps reading (and staging, past INGEST_CHUNK into its
     * TEMP table) all the same */
    assert_int_equal(sqlite3_open(db, &lock), SQLITE_OK);
    assert_int_equal(sqlite3_exec(lock, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    write_all(fds[1], part1, strlen(part1), "slow import, lock held elsewhere");
    assert_int_equal(sqlite3_exec(lock, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(lock);

    /* the slow import is mid-file: a second import is not kept waiting */
    const char *argv_b[] = {bin, "--db", db, "import", small, NULL};
    double t0 = now_s();
    spawn(&b, dir, "small", argv_b);
    reap(&b, 0, 0, 0);
    double took = now_s() - t0;
    if (took > 5)
        fail_msg("the small import took %.1f s while a slow file was parsed", took);

    write_all(fds[1], part2, strlen(part2), "slow import, end");
    close(fds[1]);
    reap(&a, 0, 0, 0);
    struct counts got = counts_of(db);
    expect_same(&got, &want, 0);

    free(part1);
    free(part2);
    free(whole);
    free(small);
    free(ref);
    free(db);
    free(dir);
}

/* Killed while its staged records fill the TEMP table: the database is as
 * before, and nothing is left beside it. */
static void test_slow_file_killed(void **state)
{
    struct fx *f = *state;
    const char *bin = tu_bin();
    char *dir = tu_path(f->dir, "killed");
    char *db = tu_path(dir, "wudiag.db");
    char *part1 = events_xml(0, 12000);
    int fds[2];
    struct proc a;

    assert_int_equal(mkdir(dir, 0755), 0);
    import_seq(db, f->xml, 0);
    struct counts before = counts_of(db);

    slow_pipe(fds);
    const char *argv_a[] = {bin, "--db", db, "import", "-", NULL};
    spawn_in(&a, f->dir, "killed", argv_a, fds[0]);
    close(fds[0]);
    write_all(fds[1], part1, strlen(part1), "import to be killed");
    assert_int_equal(kill(a.pid, SIGKILL), 0);
    int st;
    assert_int_equal(waitpid(a.pid, &st, 0), a.pid);
    assert_true(WIFSIGNALED(st));
    close(fds[1]);

    struct counts after = counts_of(db);
    expect_same(&after, &before, 0);
    struct tu_run r;
    tu_run(&r, "ls -A %s", tu_shq(dir));
    tu_assert_exit(&r, 0);
    for (char *line = strtok(r.out, "\n"); line; line = strtok(NULL, "\n"))
        if (strcmp(line, "wudiag.db") != 0 && strcmp(line, "wudiag.db-wal") != 0 &&
            strcmp(line, "wudiag.db-shm") != 0)
            fail_msg("left beside the database: %s", line);
    tu_run_free(&r);
    free(a.out);
    free(a.err);
    free(part1);
    free(db);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_two_imports_and_a_report, setup, teardown),
        cmocka_unit_test_setup_teardown(test_creation_race, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_writers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_slow_file_holds_no_lock, setup, teardown),
        cmocka_unit_test_setup_teardown(test_slow_file_killed, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
