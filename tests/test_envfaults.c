/*
 * test_envfaults.c - what wudiag does when the machine is against it: a
 * full disk (a file-size limit, and a small tmpfs), a read-only database
 * (immutable file, read-only mount), a database that is a directory, not
 * SQLite, damaged or of a newer schema, and an output path that cannot be
 * written (or is a FIFO or device, to be written through, not replaced).  Each must give exactly one line on stderr, the documented exit
 * code (README: 3 input/output, 4 database), and leave the database as it
 * was (same rows, integrity_check ok) and no partial output file.
 *
 * The tmpfs, read-only mount and chattr sub-checks need root; where they
 * cannot run they are skipped with a printed reason, never failed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include <dirent.h>
#include <sys/statvfs.h>

struct fx {
    char *dir;
    char *db;
    char *mnt;          /* a tmpfs mounted here, or NULL */
    char *immutable;    /* a path made immutable with chattr, or NULL */
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
    char *cmd;
    if (f->immutable) {
        cmd = tu_fmt("chattr -i %s 2>/dev/null", tu_shq(f->immutable));
        if (system(cmd) != 0)
            print_message("warning: chattr -i %s failed\n", f->immutable);
        free(cmd);
        free(f->immutable);
    }
    if (f->mnt) {
        cmd = tu_fmt("umount %s 2>/dev/null || umount -l %s", tu_shq(f->mnt),
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

/* ---- helpers ------------------------------------------------------------ */

static const char *bin(void)
{
    return tu_shq(tu_bin());
}

static void import_ok(const char *db, const char *file)
{
    struct tu_run r;
    tu_run(&r, "%s --db %s import %s", bin(), tu_shq(db), tu_shq(file));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
}

static void fill(const char *db)
{
    char *xml = tu_src_file("samples/xml/wu-events.xml");
    import_ok(db, xml);
    free(xml);
}

struct snapshot {
    long long events, runs, hosts, states, files, version;
};

static struct snapshot snap(const char *db)
{
    struct snapshot s;
    char *ic = tu_sql_text(db, "PRAGMA integrity_check");
    if (strcmp(ic, "ok") != 0)
        fail_msg("%s: integrity_check: %s", db, ic);
    free(ic);
    s.events = tu_sql_int(db, "SELECT count(*) FROM events");
    s.runs = tu_sql_int(db, "SELECT count(*) FROM runs");
    s.hosts = tu_sql_int(db, "SELECT count(*) FROM hosts");
    s.states = tu_sql_int(db, "SELECT count(*) FROM service_states");
    s.files = tu_sql_int(db, "SELECT count(*) FROM imported_files");
    s.version = tu_sql_int(db, "PRAGMA user_version");
    return s;
}

static void same(const struct snapshot *a, const struct snapshot *b, const char *what)
{
    if (a->events != b->events || a->runs != b->runs || a->hosts != b->hosts ||
        a->states != b->states || a->files != b->files || a->version != b->version)
        fail_msg("%s changed the database: events %lld -> %lld, runs %lld -> %lld, "
                 "hosts %lld -> %lld, states %lld -> %lld, files %lld -> %lld, "
                 "version %lld -> %lld", what, a->events, b->events, a->runs, b->runs,
                 a->hosts, b->hosts, a->states, b->states, a->files, b->files,
                 a->version, b->version);
}

/* Exit `want`, exactly one line on stderr, containing each needle. */
static void one_line(const struct tu_run *r, int want, const char *n1, const char *n2)
{
    if (r->status != want || tu_count_lines(r->err) != 1 ||
        (n1 && !strstr(r->err, n1)) || (n2 && !strstr(r->err, n2))) {
        tu_run_dump(r);
        fail_msg("expected exit %d and one stderr line with \"%s\"%s%s%s", want,
                 n1 ? n1 : "", n2 ? " and \"" : "", n2 ? n2 : "", n2 ? "\"" : "");
    }
}

/* Files in dir whose name starts with prefix (an output or its temp). */
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

/* Mount a tmpfs of `kb` KiB at dir/name; 0 (with a printed reason) when
 * this machine does not allow it. */
static int mount_tmpfs(struct fx *f, const char *name, int kb)
{
    char *mnt = tu_path(f->dir, name);
    struct tu_run r;
    assert_int_equal(mkdir(mnt, 0755), 0);
    tu_run(&r, "mount -t tmpfs -o size=%dk tmpfs %s", kb, tu_shq(mnt));
    if (r.status != 0) {
        print_message("note: cannot mount a tmpfs here (%s): skipping this "
                      "sub-check\n", r.errlen ? strtok(r.err, "\n") : "not root?");
        tu_run_free(&r);
        free(mnt);
        return 0;
    }
    tu_run_free(&r);
    f->mnt = mnt;
    return 1;
}

/* Fill the file system holding dir up to `leave` bytes free. */
static void fill_fs(const char *dir, long long leave)
{
    struct statvfs vs;
    char *p = tu_path(dir, "filler");
    assert_int_equal(statvfs(dir, &vs), 0);
    long long avail = (long long)vs.f_bavail * (long long)vs.f_frsize;
    FILE *fp = fopen(p, "ab");
    static char zeros[4096];
    assert_non_null(fp);
    for (long long n = 0; n + (long long)sizeof zeros <= avail - leave; n += sizeof zeros)
        if (fwrite(zeros, 1, sizeof zeros, fp) != sizeof zeros)
            break;
    fclose(fp);
    free(p);
}

static int try_chattr(struct fx *f, const char *path)
{
    char *cmd = tu_fmt("chattr +i %s 2>/dev/null", tu_shq(path));
    int ok = system(cmd) == 0;
    free(cmd);
    if (!ok) {
        print_message("note: chattr +i is not available here: skipping this "
                      "sub-check\n");
        return 0;
    }
    f->immutable = tu_strdup(path);
    return 1;
}

static void undo_chattr(struct fx *f)
{
    char *cmd = tu_fmt("chattr -i %s", tu_shq(f->immutable));
    if (system(cmd) != 0)
        fail_msg("chattr -i %s failed", f->immutable);
    free(cmd);
    free(f->immutable);
    f->immutable = NULL;
}

/* ---- disk full ------------------------------------------------------------- */

/* `ulimit -f`: without handling, SIGXFSZ would kill wudiag mid-write with no
 * word (exit 153).  It must say "disk full", exit 4 and keep the DB. */
static void test_file_size_limit(void **state)
{
    struct fx *f = *state;
    char *evtx = tu_data_file("evtx/system-win10-2017.evtx");
    struct tu_run r;

    fill(f->db);
    struct snapshot before = snap(f->db);
    tu_run(&r, "ulimit -f 300 && exec %s --db %s import %s", bin(), tu_shq(f->db),
           tu_shq(evtx));
    one_line(&r, 4, "disk full", "ulimit -f");
    assert_int_equal(r.outlen, 0);
    tu_run_free(&r);
    struct snapshot after = snap(f->db);
    same(&before, &after, "an import past the file-size limit");

    /* nothing lost: with room again the same import completes */
    import_ok(f->db, evtx);
    assert_true(tu_sql_int(f->db, "SELECT count(*) FROM events") > before.events);
    free(evtx);
}

static void test_disk_full_tmpfs(void **state)
{
    struct fx *f = *state;
    char *evtx = tu_data_file("evtx/system-win10-2017.evtx");
    struct tu_run r;

    if (!mount_tmpfs(f, "small", 1024)) {
        free(evtx);
        return;
    }
    char *db = tu_path(f->mnt, "wudiag.db");
    fill(db);
    struct snapshot before = snap(db);
    fill_fs(f->mnt, 48 * 1024);

    /* an import that does not fit */
    tu_run(&r, "%s --db %s import %s", bin(), tu_shq(db), tu_shq(evtx));
    one_line(&r, 4, "disk full", "nothing from");
    tu_run_free(&r);
    struct snapshot after = snap(db);
    same(&before, &after, "an import onto a full disk");

    /* the report still reads; -o onto the full disk says so, leaves nothing */
    tu_run(&r, "%s --db %s report --format json", bin(), tu_shq(db));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    fill_fs(f->mnt, 0);
    char *out = tu_path(f->mnt, "report.html");
    tu_run(&r, "%s --db %s report --format html -o %s", bin(), tu_shq(db), tu_shq(out));
    one_line(&r, 3, "report.html", "cannot write");
    tu_run_free(&r);
    assert_int_equal(count_prefixed(f->mnt, "report.html"), 0);

    /* room again: the import completes */
    char *filler = tu_path(f->mnt, "filler");
    assert_int_equal(unlink(filler), 0);
    import_ok(db, evtx);
    assert_true(tu_sql_int(db, "SELECT count(*) FROM events") > before.events);
    free(filler);
    free(out);
    free(db);
    free(evtx);
}

/* ---- read-only database ---------------------------------------------------------- */

static void test_readonly_db(void **state)
{
    struct fx *f = *state;
    char *evtx = tu_data_file("evtx/system-win7-2012.evtx");
    struct tu_run r;

    fill(f->db);
    struct snapshot before = snap(f->db);

    /* an immutable file (root writes through chmod 0444) */
    if (try_chattr(f, f->db)) {
        tu_run(&r, "%s --db %s import %s", bin(), tu_shq(f->db), tu_shq(evtx));
        one_line(&r, 4, "wudiag.db", "read-only");
        tu_run_free(&r);
        tu_run(&r, "%s --db %s report", bin(), tu_shq(f->db));
        tu_assert_exit(&r, 0);          /* reading needs no write */
        tu_run_free(&r);
        undo_chattr(f);
        struct snapshot after = snap(f->db);
        same(&before, &after, "an import into an immutable file");
    }

    /* a read-only file system: import refuses; report, --check, export read */
    if (mount_tmpfs(f, "ro", 1024)) {
        char *db = tu_path(f->mnt, "wudiag.db");
        struct tu_run c;
        tu_run(&c, "cp %s %s && mount -o remount,ro %s", tu_shq(f->db), tu_shq(db),
               tu_shq(f->mnt));
        tu_assert_exit(&c, 0);
        tu_run_free(&c);
        tu_run(&r, "%s --db %s import %s", bin(), tu_shq(db), tu_shq(evtx));
        one_line(&r, 4, "read-only", NULL);
        tu_run_free(&r);
        tu_run(&r, "%s --db %s report --format html", bin(), tu_shq(db));
        tu_assert_exit(&r, 0);
        assert_int_equal(r.errlen, 0);
        tu_run_free(&r);
        tu_run(&r, "%s --db %s report --check", bin(), tu_shq(db));
        assert_true(r.status <= 2);     /* a verdict, not "could not decide" */
        tu_run_free(&r);
        tu_run(&r, "%s --db %s export", bin(), tu_shq(db));
        tu_assert_exit(&r, 0);
        assert_int_equal(tu_count_lines(r.out), (int)before.events);
        tu_run_free(&r);
        /* byte for byte the copy it was (a read-only mount could not
         * change; this checks nothing failed half-way before that) */
        tu_run(&c, "cmp %s %s", tu_shq(f->db), tu_shq(db));
        tu_assert_exit(&c, 0);
        tu_run_free(&c);
        free(db);
    }
    free(evtx);
}

/* ---- a database that is not one ------------------------------------------------ */

/* Every command that opens the database: exit 4 (report --check: 3, the
 * reason on stdout), one line, nothing changed. */
static void db_refused(const char *db, const char *needle)
{
    char *xml = tu_src_file("samples/xml/wu-events.xml");
    const char *cmds[] = {"import", "report", "report --format html", "export",
                          "history", "prune --keep-days 30"};
    struct tu_run r;

    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        tu_run(&r, "%s --db %s %s %s", bin(), tu_shq(db), cmds[i],
               strcmp(cmds[i], "import") == 0 ? tu_shq(xml) : "");
        one_line(&r, 4, needle, NULL);
        tu_run_free(&r);
    }
    tu_run(&r, "%s --db %s report --check", bin(), tu_shq(db));
    if (r.status != 3 || r.errlen != 0 || strncmp(r.out, "unknown: ", 9) != 0 ||
        tu_count_lines(r.out) != 1) {
        tu_run_dump(&r);
        fail_msg("report --check on an unusable database: want exit 3, one "
                 "\"unknown: ...\" line on stdout");
    }
    tu_run_free(&r);
    free(xml);
}

static void test_db_not_a_database(void **state)
{
    struct fx *f = *state;
    size_t n;

    /* a directory */
    char *dir = tu_path(f->dir, "dir.db");
    assert_int_equal(mkdir(dir, 0755), 0);
    db_refused(dir, "is a directory");
    assert_int_equal(count_prefixed(dir, ""), 2);       /* "." and ".." only */

    /* a text file, and binary garbage: not touched */
    static const char text[] = "these are my notes, not a database\n";
    char *txt = tu_path(f->dir, "notes.db");
    tu_write_str(txt, text);
    db_refused(txt, "not an SQLite database");
    char *back = tu_read_file(txt, &n);
    assert_int_equal(n, sizeof text - 1);
    assert_memory_equal(back, text, n);
    free(back);

    unsigned char junk[8192];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (unsigned char)(i * 7919u >> 3);
    char *bin_db = tu_path(f->dir, "junk.db");
    tu_write_file(bin_db, junk, sizeof junk);
    db_refused(bin_db, "junk.db");
    back = tu_read_file(bin_db, &n);
    assert_int_equal(n, sizeof junk);
    assert_memory_equal(back, junk, n);
    free(back);

    /* a real database cut in half */
    fill(f->db);
    char *whole = tu_read_file(f->db, &n);
    char *cut = tu_path(f->dir, "cut.db");
    tu_write_file(cut, whole, n / 2);
    free(whole);
    db_refused(cut, "cut.db");

    free(dir);
    free(txt);
    free(bin_db);
    free(cut);
}

static void test_db_newer_schema(void **state)
{
    struct fx *f = *state;
    sqlite3 *db = NULL;

    fill(f->db);
    long long v = tu_sql_int(f->db, "PRAGMA user_version");
    assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
    char *sql = tu_fmt("PRAGMA user_version = %lld", v + 1);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    free(sql);
    sqlite3_close(db);
    struct snapshot before = snap(f->db);
    db_refused(f->db, "newer");
    struct snapshot after = snap(f->db);
    same(&before, &after, "commands on a newer schema");
}

/* ---- output that cannot be written ----------------------------------------------- */

static void test_output_unwritable(void **state)
{
    struct fx *f = *state;
    struct tu_run r;

    fill(f->db);
    struct snapshot before = snap(f->db);

    /* a missing directory, a directory, /dev/full, standard output full */
    char *missing = tu_path(f->dir, "no/such/dir/report.html");
    tu_run(&r, "%s --db %s report --format html -o %s", bin(), tu_shq(f->db),
           tu_shq(missing));
    one_line(&r, 3, missing, "cannot write");
    tu_run_free(&r);

    tu_run(&r, "%s --db %s report -o %s", bin(), tu_shq(f->db), tu_shq(f->dir));
    one_line(&r, 3, "cannot write", NULL);
    tu_run_free(&r);

    if (tu_exists("/dev/full")) {
        tu_run(&r, "%s --db %s report --format json -o /dev/full", bin(), tu_shq(f->db));
        one_line(&r, 3, "/dev/full", "cannot write");
        tu_run_free(&r);
        struct stat sb;
        assert_int_equal(stat("/dev/full", &sb), 0);
        assert_true(S_ISCHR(sb.st_mode));       /* written to, not replaced */
        tu_run(&r, "%s --db %s report --each >/dev/full", bin(), tu_shq(f->db));
        one_line(&r, 3, "standard output", "cannot write");
        tu_run_free(&r);
        tu_run(&r, "%s --db %s export >/dev/full", bin(), tu_shq(f->db));
        one_line(&r, 3, "cannot write", NULL);
        tu_run_free(&r);
    }

    /* a directory nobody may create files in (root: immutable) */
    char *locked = tu_path(f->dir, "locked");
    assert_int_equal(mkdir(locked, 0555), 0);
    int can = geteuid() != 0 || try_chattr(f, locked);
    if (can) {
        char *out = tu_path(locked, "report.txt");
        tu_run(&r, "%s --db %s report -o %s", bin(), tu_shq(f->db), tu_shq(out));
        one_line(&r, 3, "report.txt", "cannot write");
        tu_run_free(&r);
        if (f->immutable)
            undo_chattr(f);
        assert_int_equal(count_prefixed(locked, "report"), 0);
        free(out);
    }
    struct snapshot after = snap(f->db);
    same(&before, &after, "reports that could not be written");
    free(locked);
    free(missing);
}

/* -o onto a FIFO (or /dev/stdout, a device): written through, never
 * replaced by a regular file, which the temp-file-and-rename would do. */
static void test_output_special_file(void **state)
{
    struct fx *f = *state;
    char *fifo = tu_path(f->dir, "pipe");
    char *got = tu_path(f->dir, "got.json");
    struct tu_run r;
    struct stat sb;

    fill(f->db);
    assert_int_equal(mkfifo(fifo, 0644), 0);
    /* timeout: were the FIFO replaced, nothing would ever open it for writing */
    tu_run(&r, "timeout 20 cat %s >%s & %s --db %s report --format json -o %s; rc=$?; "
           "wait; exit $rc",
           tu_shq(fifo), tu_shq(got), bin(), tu_shq(f->db), tu_shq(fifo));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    assert_int_equal(lstat(fifo, &sb), 0);
    assert_true(S_ISFIFO(sb.st_mode));
    size_t n;
    char *json = tu_read_file(got, &n);
    assert_true(n > 100 && json[0] == '{');
    assert_non_null(strstr(json, "\"schema\":\"wudiag.report/1\""));
    free(json);
    assert_int_equal(count_prefixed(f->dir, "pipe.tmp"), 0);
    free(fifo);
    free(got);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_file_size_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_disk_full_tmpfs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_readonly_db, setup, teardown),
        cmocka_unit_test_setup_teardown(test_db_not_a_database, setup, teardown),
        cmocka_unit_test_setup_teardown(test_db_newer_schema, setup, teardown),
        cmocka_unit_test_setup_teardown(test_output_unwritable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_output_special_file, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
