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
 * after the other.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include <fcntl.h>

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

/* Start argv (NULL-terminated) with stdout/stderr to files in dir. */
static void spawn(struct proc *p, const char *dir, const char *tag, const char **argv)
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
        int in = open("/dev/null", O_RDONLY);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_two_imports_and_a_report, setup, teardown),
        cmocka_unit_test_setup_teardown(test_creation_race, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_writers, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
