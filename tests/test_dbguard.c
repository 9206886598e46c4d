/*
 * test_dbguard.c - the database and the inputs against a hostile or
 * unlucky environment (issue 17, item 7):
 *
 *   - another application's SQLite database is refused by every command
 *     (one line naming it, exit 4) and left byte for byte as it was: no
 *     table added, journal_mode not switched to WAL; a wudiag database made
 *     before the application_id still opens;
 *   - a report racing the very first import of a new database never says
 *     "not a wudiag database";
 *   - merge into a new FILE on a full disk leaves no file (tmpfs, root);
 *   - a database in a directory the user cannot write is still reported,
 *     exported and listed (run as nobody when root);
 *   - import of a pipe or FIFO reads it; /dev/zero returns at once with a
 *     clear error; an .evtx from a pipe is refused with a reason.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"
#include "store/store.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/statvfs.h>
#include <time.h>

struct fx {
    char *dir;
    char *db;
    char *mnt;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->dir = tu_tempdir();
    f->db = tu_path(f->dir, "wudiag.db");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    if (f->mnt) {
        char *cmd = tu_fmt("umount %s 2>/dev/null || umount -l %s", tu_shq(f->mnt),
                           tu_shq(f->mnt));
        if (system(cmd) != 0)
            print_message("warning: could not unmount %s\n", f->mnt);
        free(cmd);
        free(f->mnt);
    }
    tu_rmtree(f->dir);
    free(f->dir);
    free(f->db);
    free(f);
    return 0;
}

static const char *bin(void)
{
    return tu_shq(tu_bin());
}

static int count_prefixed(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    int n = 0;
    if (!d)
        return 0;
    while ((de = readdir(d)))
        if (strncmp(de->d_name, prefix, strlen(prefix)) == 0)
            n++;
    closedir(d);
    return n;
}

static void one_line(const struct tu_run *r, int want, const char *n1, const char *n2)
{
    if (r->status != want || tu_count_lines(r->err) != 1 ||
        (n1 && !strstr(r->err, n1)) || (n2 && !strstr(r->err, n2))) {
        tu_run_dump(r);
        fail_msg("expected exit %d and one stderr line with \"%s\" / \"%s\"", want,
                 n1 ? n1 : "", n2 ? n2 : "");
    }
}

static void exec_sql(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    char *msg = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", path, msg);
    sqlite3_close(db);
}

/* ---- another application's database ------------------------------------- */

static void foreign_refused(const char *db, const char *other_db)
{
    char *xml = tu_src_file("samples/xml/wu-events.xml");
    size_t n0, n1;
    char *before = tu_read_file(db, &n0);
    struct tu_run r;
    const char *cmds[] = {"import", "report", "report --format json", "history",
                          "export", "prune --keep-days 30"};

    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        tu_run(&r, "%s --db %s %s %s", bin(), tu_shq(db), cmds[i],
               strcmp(cmds[i], "import") == 0 ? tu_shq(xml) : "");
        one_line(&r, 4, db, "not a wudiag database");
        tu_run_free(&r);
    }
    tu_run(&r, "%s --db %s report --check", bin(), tu_shq(db));
    assert_int_equal(r.status, 3);
    assert_non_null(strstr(r.out, "not a wudiag database"));
    tu_run_free(&r);
    tu_run(&r, "%s merge -o %s %s", bin(), tu_shq(db), tu_shq(other_db));
    one_line(&r, 4, db, "not a wudiag database");
    tu_run_free(&r);

    /* byte for byte, no side files, still in its own journal mode */
    char *after = tu_read_file(db, &n1);
    assert_int_equal(n0, n1);
    assert_memory_equal(before, after, n0);
    char *side = tu_fmt("%s-wal", db);
    assert_false(tu_exists(side));
    free(side);
    char *jm = tu_sql_text(db, "PRAGMA journal_mode");
    assert_string_equal(jm, "delete");
    free(jm);
    free(before);
    free(after);
    free(xml);
}

static void test_foreign_db(void **state)
{
    struct fx *f = *state;
    char *xml = tu_src_file("samples/xml/wu-events.xml");
    char *other = tu_path(f->dir, "notes.db");
    char *appid = tu_path(f->dir, "app.db");
    char *versioned = tu_path(f->dir, "versioned.db");
    struct tu_run r;

    tu_run(&r, "%s --db %s import %s", bin(), tu_shq(f->db), tu_shq(xml));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);

    /* tables of its own */
    exec_sql(other, "CREATE TABLE notes(id INTEGER PRIMARY KEY, t TEXT);"
                    "INSERT INTO notes(t) VALUES ('hello');");
    foreign_refused(other, f->db);
    assert_int_equal(tu_sql_int(other, "SELECT count(*) FROM sqlite_master"), 1);
    assert_int_equal(tu_sql_int(other, "SELECT count(*) FROM notes"), 1);

    /* no tables, but another application's id */
    exec_sql(appid, "PRAGMA application_id = 1234; PRAGMA user_version = 3;");
    foreign_refused(appid, f->db);

    /* a user_version like ours and tables that are not ours */
    exec_sql(versioned, "CREATE TABLE runs(x); PRAGMA user_version = 2;");
    foreign_refused(versioned, f->db);

    /* ours carries the id; one made before the id (0) still opens */
    assert_int_equal(tu_sql_int(f->db, "PRAGMA application_id"), 0x57554447);
    exec_sql(f->db, "PRAGMA application_id = 0;");
    tu_run(&r, "%s --db %s import --force %s && %s --db %s report --check",
           bin(), tu_shq(f->db), tu_shq(xml), bin(), tu_shq(f->db));
    assert_true(r.status <= 2);
    tu_run_free(&r);
    free(xml);
    free(other);
    free(appid);
    free(versioned);
}

/* ---- first import racing a report ------------------------------------------ */

static void test_first_import_race(void **state)
{
    struct fx *f = *state;
    char *evtx = tu_data_file("evtx/system-win10-2017.evtx");
    struct tu_run r;
    int reports = 0;

    for (int round = 0; round < 10; round++) {
        char *db = tu_fmt("%s/race-%d.db", f->dir, round);
        /* a report loop while the first import creates the database */
        tu_run(&r, "%s --db %s import %s >/dev/null & imp=$!; i=0; "
               "while [ $i -lt 400 ]; do %s --db %s report --check 2>&1; "
               "if ! kill -0 $imp 2>/dev/null; then break; fi; i=$((i+1)); done; "
               "wait $imp", bin(), tu_shq(db), tu_shq(evtx), bin(), tu_shq(db));
        if (r.status != 0 || strstr(r.out, "not a wudiag") || strstr(r.out, "empty")) {
            tu_run_dump(&r);
            fail_msg("round %d: a report saw the database being created", round);
        }
        reports += tu_count_lines(r.out);
        tu_run_free(&r);
        assert_true(tu_sql_int(db, "SELECT count(*) FROM events") > 0);
        char *tmpname = tu_fmt("race-%d.db.wudiag-tmp-", round);
        assert_int_equal(count_prefixed(f->dir, tmpname), 0);   /* no temporaries */
        free(tmpname);
        free(db);
    }
    print_message("note: %d reports raced 10 first imports\n", reports);
    free(evtx);
}

/* ---- merge on a full disk ----------------------------------------------------- */

static void test_merge_full_disk(void **state)
{
    struct fx *f = *state;
    char *xml = tu_src_file("samples/xml/wu-events.xml");
    char *evtx = tu_data_file("evtx/system-win10-2017.evtx");
    struct tu_run r;

    tu_run(&r, "%s --db %s import %s %s", bin(), tu_shq(f->db), tu_shq(xml), tu_shq(evtx));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    char *mnt = tu_path(f->dir, "small");
    assert_int_equal(mkdir(mnt, 0755), 0);
    tu_run(&r, "mount -t tmpfs -o size=200k tmpfs %s", tu_shq(mnt));
    if (r.status != 0) {
        print_message("note: cannot mount a tmpfs here (not root?): skipped\n");
        tu_run_free(&r);
        free(mnt);
        free(xml);
        free(evtx);
        return;
    }
    tu_run_free(&r);
    f->mnt = mnt;
    char *fleet = tu_path(mnt, "fleet.db");
    tu_run(&r, "%s merge -o %s %s", bin(), tu_shq(fleet), tu_shq(f->db));
    one_line(&r, 4, "fleet.db", "full");
    tu_run_free(&r);
    /* nothing left: no empty database that report would refuse, no temp */
    assert_int_equal(count_prefixed(mnt, ""), 2);       /* "." and ".." */
    tu_run(&r, "%s --db %s report", bin(), tu_shq(fleet));
    one_line(&r, 4, "no such database", NULL);
    tu_run_free(&r);

    /* a schema that does not fit either: import leaves nothing */
    char *filler = tu_path(mnt, "filler");
    struct statvfs vs;
    assert_int_equal(statvfs(mnt, &vs), 0);
    long long avail = (long long)vs.f_bavail * (long long)vs.f_frsize;
    char *zeros = calloc(1, (size_t)avail);
    assert_non_null(zeros);
    FILE *fp = fopen(filler, "wb");
    assert_non_null(fp);
    fwrite(zeros, 1, (size_t)avail - 16 * 1024, fp);
    fclose(fp);
    free(zeros);
    char *newdb = tu_path(mnt, "new.db");
    tu_run(&r, "%s --db %s import %s", bin(), tu_shq(newdb), tu_shq(xml));
    one_line(&r, 4, "new.db", NULL);
    tu_run_free(&r);
    assert_int_equal(count_prefixed(mnt, ""), 3);       /* ".", "..", filler */
    free(newdb);
    free(filler);
    free(fleet);
    free(xml);
    free(evtx);
}

/* ---- a directory the user cannot write ------------------------------------------- */

static void test_unwritable_dir(void **state)
{
    struct fx *f = *state;
    char *xml = tu_src_file("samples/xml/wu-events.xml");
    char *locked = tu_path(f->dir, "locked");
    char *db = tu_path(locked, "wudiag.db");
    const char *as = "";
    struct tu_run r;

    assert_int_equal(mkdir(locked, 0755), 0);
    tu_run(&r, "%s --db %s import %s", bin(), tu_shq(db), tu_shq(xml));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    long long events = tu_sql_int(db, "SELECT count(*) FROM events");
    /* the case that failed: no -shm beside it, and none can be created (the
     * import left an empty -wal and its -shm: no connection is open now) */
    char *wal = tu_fmt("%s-wal", db), *shm = tu_fmt("%s-shm", db);
    struct stat sb;
    if (stat(wal, &sb) == 0) {
        assert_int_equal(sb.st_size, 0);
        assert_int_equal(unlink(wal), 0);
    }
    unlink(shm);
    free(wal);
    free(shm);
    if (geteuid() == 0) {
        /* root writes anywhere: run the reads as nobody */
        tu_run(&r, "command -v setpriv");
        int have = r.status == 0;
        tu_run_free(&r);
        if (!have) {
            print_message("note: root without setpriv: skipped\n");
            goto cleanup;
        }
        assert_int_equal(chmod(f->dir, 0755), 0);
        assert_int_equal(chmod(db, 0644), 0);
        as = "setpriv --reuid=65534 --regid=65534 --clear-groups ";
    } else {
        assert_int_equal(chmod(locked, 0555), 0);
    }
    size_t n0, n1;
    char *before = tu_read_file(db, &n0);
    tu_run(&r, "%s%s --db %s report --check", as, bin(), tu_shq(db));
    if (r.status > 2 || r.errlen) {
        tu_run_dump(&r);
        fail_msg("report --check on a database in a locked directory: no verdict");
    }
    tu_run_free(&r);
    tu_run(&r, "%s%s --db %s report --format json", as, bin(), tu_shq(db));
    tu_assert_exit(&r, 0);
    assert_true(r.out[0] == '{');
    tu_run_free(&r);
    tu_run(&r, "%s%s --db %s export", as, bin(), tu_shq(db));
    tu_assert_exit(&r, 0);
    assert_int_equal(tu_count_lines(r.out), (int)events);
    tu_run_free(&r);
    tu_run(&r, "%s%s --db %s history", as, bin(), tu_shq(db));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    /* merged from there into a fleet database elsewhere (read as immutable) */
    char *outdir = tu_path(f->dir, "fleet"), *fleet = tu_path(outdir, "fleet.db");
    assert_int_equal(mkdir(outdir, 0777), 0);
    assert_int_equal(chmod(outdir, 0777), 0);
    tu_run(&r, "%s%s merge -o %s %s", as, bin(), tu_shq(fleet), tu_shq(db));
    if (r.status != 0) {
        tu_run_dump(&r);
        fail_msg("merge of a database in a locked directory failed");
    }
    tu_run_free(&r);
    assert_int_equal(tu_sql_int(fleet, "SELECT count(*) FROM events"), events);
    free(fleet);
    free(outdir);
    /* an import there is refused, and says why */
    tu_run(&r, "%s%s --db %s import --force %s", as, bin(), tu_shq(db), tu_shq(xml));
    assert_int_equal(r.status, 4);
    tu_run_free(&r);
    char *after = tu_read_file(db, &n1);
    assert_int_equal(n0, n1);
    assert_memory_equal(before, after, n0);
    assert_int_equal(count_prefixed(locked, ""), 3);     /* ".", "..", the DB */
    free(before);
    free(after);
cleanup:
    chmod(locked, 0755);
    free(xml);
    free(locked);
    free(db);
}

/* ---- pipes and devices ---------------------------------------------------------- */

static void test_import_pipe_and_devices(void **state)
{
    struct fx *f = *state;
    char *xml = tu_src_file("samples/xml/wu-events.xml");
    char *evtx = tu_data_file("evtx/system-win10-2017.evtx");
    char *fifo = tu_path(f->dir, "events.fifo");
    struct tu_run r;

    /* a FIFO (what bash's <(cat f.xml) is): read, not "empty file" */
    assert_int_equal(mkfifo(fifo, 0600), 0);
    tu_run(&r, "cat %s > %s & %s --db %s import %s; rc=$?; wait; exit $rc",
           tu_shq(xml), tu_shq(fifo), bin(), tu_shq(f->db), tu_shq(fifo));
    tu_assert_exit(&r, 0);
    assert_non_null(strstr(r.out, "12 read, 10 stored"));
    tu_run_free(&r);
    /* a pipe by its /dev/fd name */
    tu_run(&r, "cat %s | %s --db %s import --force /dev/stdin", tu_shq(xml), bin(),
           tu_shq(f->db));
    tu_assert_exit(&r, 0);
    assert_non_null(strstr(r.out, "12 read, 0 stored, 2 unrelated, 10 duplicates"));
    tu_run_free(&r);
    assert_int_equal(tu_sql_int(f->db, "SELECT count(*) FROM events"), 10);

    /* an .evtx through a pipe: one clear line, nothing stored */
    long long runs = tu_sql_int(f->db, "SELECT count(*) FROM runs");
    tu_run(&r, "cat %s | %s --db %s import /dev/stdin", tu_shq(evtx), bin(), tu_shq(f->db));
    one_line(&r, 3, "/dev/stdin", "pipe");
    tu_run_free(&r);
    assert_int_equal(tu_sql_int(f->db, "SELECT count(*) FROM runs"), runs);

    /* /dev/zero never ends: refused at once */
    time_t t0 = time(NULL);
    tu_run(&r, "timeout 20 %s --db %s import /dev/zero", bin(), tu_shq(f->db));
    one_line(&r, 3, "/dev/zero", "device");
    tu_run_free(&r);
    assert_true(time(NULL) - t0 < 5);
    /* as standard input it is no log either */
    t0 = time(NULL);
    tu_run(&r, "timeout 20 %s --db %s import - </dev/zero", bin(), tu_shq(f->db));
    one_line(&r, 3, "not an event log", NULL);
    tu_run_free(&r);
    assert_true(time(NULL) - t0 < 5);
    assert_int_equal(tu_sql_int(f->db, "SELECT count(*) FROM runs"), runs);
    free(xml);
    free(evtx);
    free(fifo);
}

/* SQLite's own names are no files to create under a temporary name */
static void test_memory_db_makes_no_file(void **state)
{
    struct fx *f = *state;
    struct store *st = NULL;
    char err[512], cwd[4096];

    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(f->dir), 0);
    assert_int_equal(store_open(":memory:", 0, &st, err, sizeof err), STORE_OK);
    assert_int_equal(store_schema_version(st), store_latest_version());
    store_close(st);
    assert_int_equal(count_prefixed(".", ":memory:"), 0);
    assert_int_equal(chdir(cwd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_foreign_db, setup, teardown),
        cmocka_unit_test_setup_teardown(test_first_import_race, setup, teardown),
        cmocka_unit_test_setup_teardown(test_merge_full_disk, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unwritable_dir, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_pipe_and_devices, setup, teardown),
        cmocka_unit_test_setup_teardown(test_memory_db_makes_no_file, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
