/*
 * test_crash.c - crash safety: `wudiag import` of the real logs is killed
 * with SIGKILL at random points (fixed seed, delays from 0 to the measured
 * time of a whole import), over and over.  After every kill the database
 * must pass PRAGMA integrity_check and hold only whole files' imports
 * (every run finished, each run's events exactly the count it recorded,
 * a schema either complete or absent); a re-run must then complete the
 * import to exactly what a clean import stores.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include <fcntl.h>
#include <signal.h>
#include <time.h>

#define ITERATIONS 36
#define SEED 20240611u

struct fx {
    char *dir;
    char *files[3];
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->dir = tu_tempdir();
    f->files[0] = tu_data_file("evtx/system-win10-2017.evtx");
    f->files[1] = tu_data_file("evtx/system-win7-2012.evtx");
    f->files[2] = tu_data_file("evtx/corrupt-bad-chunk-magic.evtx");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    tu_rmtree(f->dir);
    free(f->dir);
    for (int i = 0; i < 3; i++)
        free(f->files[i]);
    free(f);
    return 0;
}

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/*
 * Start `wudiag --db db import [--force] FILES...`; after delay_us (or never, when
 * negative) SIGKILL it.  Returns the exit code, or 128 + signal.
 */
static int run_import(struct fx *f, const char *db, int force, int64_t delay_us,
                      int64_t *took_us)
{
    const char *argv[9] = {tu_bin(), "--db", db, "import", f->files[0], f->files[1],
                           f->files[2], NULL, NULL};
    int64_t t0 = now_us();
    int status;
    pid_t pid;

    if (force) {                /* parse again what was imported already */
        memmove(argv + 5, argv + 4, 3 * sizeof *argv);
        argv[4] = "--force";
    }
    fflush(stdout);
    fflush(stderr);
    pid = fork();
    if (pid < 0)
        fail_msg("fork: %s", strerror(errno));
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        if (null >= 0) {
            dup2(null, 0);
            dup2(null, 1);
            dup2(null, 2);
        }
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    if (delay_us >= 0) {
        struct timespec ts = {(time_t)(delay_us / 1000000), (long)(delay_us % 1000000) * 1000};
        nanosleep(&ts, NULL);
        kill(pid, SIGKILL);
    }
    if (waitpid(pid, &status, 0) != pid)
        fail_msg("waitpid: %s", strerror(errno));
    if (took_us)
        *took_us = now_us() - t0;
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

struct counts {
    long long events, runs, hosts, states, files, unrelated;
};

/* Open read-write (as wudiag's next run would: a hot WAL is recovered). */
static sqlite3 *db_open(const char *path)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        char msg[256];
        snprintf(msg, sizeof msg, "%s", db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        fail_msg("cannot open %s after a kill: %s", path, msg);
    }
    sqlite3_busy_timeout(db, 5000);
    return db;
}

/*
 * The invariants after a kill.  Returns 0 when the schema is not there yet
 * (killed before the first commit), 1 when checked.
 */
static int check_db(const char *path, struct counts *c, int iter)
{
    struct stat sb;
    if (stat(path, &sb) != 0 || sb.st_size == 0)
        return 0;
    sqlite3 *db = db_open(path);
    char *ic = tu_db_text(db, "PRAGMA integrity_check");
    if (strcmp(ic, "ok") != 0)
        fail_msg("iteration %d: integrity_check: %s", iter, ic);
    free(ic);
    long long version = tu_db_int(db, "PRAGMA user_version");
    long long tables = tu_db_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table'");
    if (version == 0) {
        /* migration is one transaction: all of the schema or none */
        if (tables != 0)
            fail_msg("iteration %d: user_version 0 but %lld tables", iter, tables);
        sqlite3_close(db);
        return 0;
    }
    long long open_runs = tu_db_int(db, "SELECT count(*) FROM runs WHERE finished_us IS NULL");
    if (open_runs)
        fail_msg("iteration %d: %lld runs without finished_us", iter, open_runs);
    long long torn = tu_db_int(db,
        "SELECT count(*) FROM runs r WHERE r.stored != "
        "(SELECT count(*) FROM events e WHERE e.run_id = r.id)");
    if (torn)
        fail_msg("iteration %d: %lld runs whose events differ from their count", iter, torn);
    long long orphans = tu_db_int(db,
        "SELECT count(*) FROM events WHERE run_id NOT IN (SELECT id FROM runs)");
    if (orphans)
        fail_msg("iteration %d: %lld events of no run", iter, orphans);
    /* a file is remembered as imported only with its whole run */
    long long files = tu_db_int(db,
        "SELECT count(*) FROM imported_files f WHERE NOT EXISTS "
        "(SELECT 1 FROM runs r WHERE r.id = f.run_id AND r.finished_us IS NOT NULL)");
    if (files)
        fail_msg("iteration %d: %lld file fingerprints without a finished run", iter, files);
    if (c) {
        c->events = tu_db_int(db, "SELECT count(*) FROM events");
        c->runs = tu_db_int(db, "SELECT count(*) FROM runs");
        c->hosts = tu_db_int(db, "SELECT count(*) FROM hosts");
        c->states = tu_db_int(db, "SELECT count(*) FROM service_states");
        c->files = tu_db_int(db, "SELECT count(*) FROM imported_files");
        c->unrelated = tu_db_int(db, "SELECT coalesce(sum(count), 0) FROM unrelated_counts");
    }
    sqlite3_close(db);
    return 1;
}

static void remove_db(const char *db)
{
    char *p;
    unlink(db);
    p = tu_fmt("%s-wal", db);
    unlink(p);
    free(p);
    p = tu_fmt("%s-shm", db);
    unlink(p);
    free(p);
    p = tu_fmt("%s-journal", db);
    unlink(p);
    free(p);
}

static void test_kill_import_at_random_points(void **state)
{
    struct fx *f = *state;
    char *clean = tu_path(f->dir, "clean.db");
    char *db = tu_path(f->dir, "killed.db");
    struct counts want, got;
    int64_t took = 0;
    int killed = 0, finished = 0, checked = 0;

    /* a clean import: what a completed import holds, and how long it takes
     * at the fastest of three (a loaded machine makes single timings long,
     * and kills drawn past the real duration only find finished imports) */
    int rc = 0;
    for (int k = 0; k < 3; k++) {
        int64_t t = 0;
        remove_db(clean);
        rc = run_import(f, clean, 0, -1, &t);
        assert_int_equal(rc, 1);        /* the damaged file: readable records kept */
        if (k == 0 || t < took)
            took = t;
    }
    took = took * 3 / 4;                /* the kills land inside the import */
    assert_int_equal(check_db(clean, &want, -1), 1);
    assert_true(want.events > 600);
    print_message("clean import: %lld events; %d kills from 0 to %.2f s\n",
                  want.events, ITERATIONS, took / 1e6);

    srand(SEED);
    for (int i = 0; i < ITERATIONS; i++) {
        /* rounds of three: from no database (creation, migration, first
         * writes), then on whatever the kill left, then --force (every
         * event again, as duplicates) */
        if (i % 3 == 0)
            remove_db(db);
        int64_t delay = (int64_t)((double)rand() / RAND_MAX * (double)took);
        rc = run_import(f, db, i % 3 == 2, delay, NULL);
        if (rc == 128 + SIGKILL)
            killed++;
        else if (rc == 0 || rc == 1)
            finished++;
        else
            fail_msg("iteration %d: import exited %d before the kill", i, rc);
        checked += check_db(db, NULL, i);

        /* before a fresh start, and at the end: a re-run completes it */
        if (i % 6 == 5 || i == ITERATIONS - 1) {
            rc = run_import(f, db, 0, -1, NULL);
            if (rc != 0 && rc != 1)
                fail_msg("iteration %d: the re-run exited %d", i, rc);
            assert_int_equal(check_db(db, &got, i), 1);
            if (got.events != want.events || got.hosts != want.hosts ||
                got.states != want.states || got.files != want.files)
                fail_msg("iteration %d: after the re-run: %lld events, %lld hosts, "
                         "%lld service states, %lld files; a clean import has "
                         "%lld, %lld, %lld, %lld", i, got.events, got.hosts, got.states,
                         got.files, want.events, want.hosts, want.states, want.files);
        }
    }
    print_message("%d imports killed, %d finished before the kill, %d databases "
                  "checked after a kill\n", killed, finished, checked);
    assert_true(killed >= ITERATIONS / 2);
    free(clean);
    free(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_kill_import_at_random_points, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
