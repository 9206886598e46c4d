/*
 * testutil.h - small helpers shared by the cmocka test programs.
 *
 * Include after <stdarg.h>, <stddef.h>, <setjmp.h>, <stdint.h>, <cmocka.h>
 * (this header includes them itself, so the order does not matter).
 *
 *   tu_tempdir()        a fresh private directory (mkdtemp under $TMPDIR
 *                       or /tmp); tu_rmtree() removes it again
 *   tu_path(dir, name)  "dir/name" (malloc'd)
 *   tu_run(&r, fmt...)  run a shell command, capture exit code, stdout and
 *                       stderr into buffers
 *   tu_bin(), tu_data(), tu_src()
 *                       WUDIAG_BIN / WUDIAG_DATA / WUDIAG_SRC; the first two
 *                       FAIL the test (never skip) when unset or missing
 *   tu_sql_int(db, sql) one integer from a query (fails the test on error)
 *   tu_write_file / tu_read_file / tu_count_lines / tu_shq
 *
 * Every helper that cannot do its job calls fail_msg(), so a test never
 * continues on a broken premise.
 */
#ifndef WUDIAG_TESTUTIL_H
#define WUDIAG_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- memory / strings ------------------------------------------------ */

static inline char *tu_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (!p)
        fail_msg("out of memory");
    memcpy(p, s, n);
    return p;
}

/* printf into a fresh malloc'd string. */
static inline char *tu_fmt(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
static inline char *tu_fmt(const char *fmt, ...)
{
    va_list ap;
    int n;
    char *p;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        fail_msg("vsnprintf failed");
    p = malloc((size_t)n + 1);
    if (!p)
        fail_msg("out of memory");
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

static inline char *tu_path(const char *dir, const char *name)
{
    return tu_fmt("%s/%s", dir, name);
}

/*
 * Quote s for /bin/sh: 'it'\''s'.  Returns a pointer into one of a few
 * rotating static buffers, so several can appear in one tu_run() call.
 */
static inline const char *tu_shq(const char *s)
{
    static char bufs[8][4096];
    static int next;
    char *o = bufs[next++ & 7];
    size_t n = 0;

    o[n++] = '\'';
    for (; *s; s++) {
        if (n + 6 >= sizeof bufs[0])
            fail_msg("tu_shq: argument too long");
        if (*s == '\'') {
            memcpy(o + n, "'\\''", 4);
            n += 4;
        } else {
            o[n++] = *s;
        }
    }
    o[n++] = '\'';
    o[n] = '\0';
    return o;
}

/* Number of lines in s (a last line without '\n' counts too). */
static inline int tu_count_lines(const char *s)
{
    int n = 0;
    if (!s)
        return 0;
    for (const char *p = s; *p; p++)
        if (*p == '\n')
            n++;
    if (*s && s[strlen(s) - 1] != '\n')
        n++;
    return n;
}

/* ---- files ------------------------------------------------------------ */

static inline void tu_write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        fail_msg("cannot create %s: %s", path, strerror(errno));
    if (len && fwrite(data, 1, len, f) != len) {
        fclose(f);
        fail_msg("cannot write %s: %s", path, strerror(errno));
    }
    if (fclose(f) != 0)
        fail_msg("cannot close %s: %s", path, strerror(errno));
}

static inline void tu_write_str(const char *path, const char *s)
{
    tu_write_file(path, s, strlen(s));
}

/* Whole file, NUL-terminated (binary-safe: *len gets the byte count). */
static inline char *tu_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t n = 0, cap = 0, got;

    if (!f)
        fail_msg("cannot open %s: %s", path, strerror(errno));
    do {
        if (cap - n < 65536) {
            cap = cap ? cap * 2 : 65536;
            char *b = realloc(buf, cap + 1);
            if (!b) {
                fclose(f);
                free(buf);
                fail_msg("out of memory reading %s", path);
            }
            buf = b;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
    } while (got > 0);
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

static inline int tu_exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* ---- temp directories -------------------------------------------------- */

/* A new private directory; free() the result after tu_rmtree(). */
static inline char *tu_tempdir(void)
{
    const char *base = getenv("TMPDIR");
    char *tmpl;

    if (!base || !*base)
        base = "/tmp";
    tmpl = tu_fmt("%s/wudiag-test-XXXXXX", base);
    if (!mkdtemp(tmpl)) {
        int e = errno;
        free(tmpl);
        fail_msg("mkdtemp under %s: %s", base, strerror(e));
    }
    return tmpl;
}

static inline void tu_rmtree(const char *dir)
{
    char *cmd;
    if (!dir || !*dir || strcmp(dir, "/") == 0)
        return;
    cmd = tu_fmt("chmod -R u+rwx %s 2>/dev/null; rm -rf %s", tu_shq(dir),
                 tu_shq(dir));
    if (system(cmd) != 0)
        print_message("warning: could not remove %s\n", dir);
    free(cmd);
}

/* ---- running commands ---------------------------------------------------- */

struct tu_run {
    int status;         /* exit code, or 128 + signal number */
    char *out;          /* captured stdout, NUL-terminated */
    size_t outlen;
    char *err;          /* captured stderr, NUL-terminated */
    size_t errlen;
    char *cmd;          /* the command as run */
};

static inline void tu_run_free(struct tu_run *r)
{
    free(r->out);
    free(r->err);
    free(r->cmd);
    memset(r, 0, sizeof *r);
}

/*
 * Run a /bin/sh command line (built with printf-style fmt); stdin is
 * /dev/null unless the command redirects it.  Returns r->status.
 */
static inline int tu_run(struct tu_run *r, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static inline int tu_run(struct tu_run *r, const char *fmt, ...)
{
    va_list ap;
    int n, st;
    char *cmd, *full, *dir, *outp, *errp;

    memset(r, 0, sizeof *r);
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        fail_msg("tu_run: bad format");
    cmd = malloc((size_t)n + 1);
    if (!cmd)
        fail_msg("out of memory");
    va_start(ap, fmt);
    vsnprintf(cmd, (size_t)n + 1, fmt, ap);
    va_end(ap);

    dir = tu_tempdir();
    outp = tu_path(dir, "stdout");
    errp = tu_path(dir, "stderr");
    full = tu_fmt("( %s ) </dev/null >%s 2>%s", cmd, tu_shq(outp), tu_shq(errp));
    fflush(stdout);
    fflush(stderr);
    st = system(full);
    if (st == -1)
        fail_msg("system(%s): %s", cmd, strerror(errno));
    if (WIFEXITED(st))
        r->status = WEXITSTATUS(st);
    else if (WIFSIGNALED(st))
        r->status = 128 + WTERMSIG(st);
    else
        r->status = -1;
    r->out = tu_read_file(outp, &r->outlen);
    r->err = tu_read_file(errp, &r->errlen);
    r->cmd = cmd;
    free(full);
    free(outp);
    free(errp);
    tu_rmtree(dir);
    free(dir);
    return r->status;
}

/* Print what a command did, for a failing assertion's context. */
static inline void tu_run_dump(const struct tu_run *r)
{
    print_message("command: %s\nexit: %d\n--- stdout ---\n%s--- stderr ---\n%s"
                  "--------------\n", r->cmd ? r->cmd : "?", r->status,
                  r->out ? r->out : "", r->err ? r->err : "");
}

/* Assert the exit code, dumping the output when it is wrong. */
#define tu_assert_exit(r, want) do {                                       \
        if ((r)->status != (want)) {                                        \
            tu_run_dump(r);                                                 \
            fail_msg("exit code %d, expected %d", (r)->status, (want));     \
        }                                                                   \
    } while (0)

/* ---- environment --------------------------------------------------------- */

/* The value of an environment variable naming an existing path; FAILS
 * (not skips) the test when it is unset, empty or missing. */
static inline const char *tu_env_path(const char *var, int want_dir)
{
    const char *v = getenv(var);
    struct stat sb;

    if (!v || !*v)
        fail_msg("%s is not set (run the tests with `make test`)", var);
    if (stat(v, &sb) != 0)
        fail_msg("%s=%s does not exist: %s", var, v, strerror(errno));
    if (want_dir && !S_ISDIR(sb.st_mode))
        fail_msg("%s=%s is not a directory", var, v);
    if (!want_dir && !S_ISREG(sb.st_mode))
        fail_msg("%s=%s is not a regular file", var, v);
    return v;
}

/* Absolute path of the built wudiag binary. */
static inline const char *tu_bin(void)
{
    const char *b = tu_env_path("WUDIAG_BIN", 0);
    if (access(b, X_OK) != 0)
        fail_msg("WUDIAG_BIN=%s is not executable", b);
    return b;
}

/* Absolute path of ../shared/data (the real logs). */
static inline const char *tu_data(void)
{
    return tu_env_path("WUDIAG_DATA", 1);
}

/* Repository root (for samples/); "." when unset. */
static inline const char *tu_src(void)
{
    const char *v = getenv("WUDIAG_SRC");
    struct stat sb;
    if (!v || !*v)
        v = ".";
    if (stat(v, &sb) != 0 || !S_ISDIR(sb.st_mode))
        fail_msg("WUDIAG_SRC=%s is not a directory", v);
    return v;
}

/* "$WUDIAG_DATA/rel" / "$WUDIAG_SRC/rel", malloc'd; the file must exist. */
static inline char *tu_data_file(const char *rel)
{
    char *p = tu_path(tu_data(), rel);
    if (!tu_exists(p))
        fail_msg("test data %s is missing", p);
    return p;
}

static inline char *tu_src_file(const char *rel)
{
    char *p = tu_path(tu_src(), rel);
    if (!tu_exists(p))
        fail_msg("fixture %s is missing", p);
    return p;
}

/* ---- sqlite ---------------------------------------------------------------- */

/* One integer from sql on an open connection; fails the test on error or
 * when there is no row. */
static inline long long tu_db_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s = NULL;
    long long v;
    int rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);

    if (rc != SQLITE_OK)
        fail_msg("prepare \"%s\": %s", sql, sqlite3_errmsg(db));
    rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        char msg[256];
        snprintf(msg, sizeof msg, "%s", rc == SQLITE_DONE ? "no row" : sqlite3_errmsg(db));
        sqlite3_finalize(s);
        fail_msg("query \"%s\": %s", sql, msg);
    }
    v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

/* One text value (malloc'd, "" for NULL) on an open connection. */
static inline char *tu_db_text(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s = NULL;
    char *v;
    int rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);

    if (rc != SQLITE_OK)
        fail_msg("prepare \"%s\": %s", sql, sqlite3_errmsg(db));
    rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        char msg[256];
        snprintf(msg, sizeof msg, "%s", rc == SQLITE_DONE ? "no row" : sqlite3_errmsg(db));
        sqlite3_finalize(s);
        fail_msg("query \"%s\": %s", sql, msg);
    }
    v = tu_strdup(sqlite3_column_text(s, 0) ? (const char *)sqlite3_column_text(s, 0) : "");
    sqlite3_finalize(s);
    return v;
}

static inline sqlite3 *tu_db_open_ro(const char *path)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        char msg[256];
        snprintf(msg, sizeof msg, "%s", db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        fail_msg("cannot open %s: %s", path, msg);
    }
    sqlite3_busy_timeout(db, 5000);
    return db;
}

/* One integer from sql on the database file at path (opened read-only). */
static inline long long tu_sql_int(const char *dbpath, const char *sql)
{
    sqlite3 *db = tu_db_open_ro(dbpath);
    sqlite3_stmt *s = NULL;
    long long v = 0;
    int rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);
    char msg[512] = "";

    if (rc == SQLITE_OK) {
        rc = sqlite3_step(s);
        if (rc == SQLITE_ROW)
            v = sqlite3_column_int64(s, 0);
        else
            snprintf(msg, sizeof msg, "%s", rc == SQLITE_DONE ? "no row"
                                                               : sqlite3_errmsg(db));
    } else {
        snprintf(msg, sizeof msg, "%s", sqlite3_errmsg(db));
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    if (msg[0])
        fail_msg("%s: query \"%s\": %s", dbpath, sql, msg);
    return v;
}

/* Text of the first column of the first row, malloc'd. */
static inline char *tu_sql_text(const char *dbpath, const char *sql)
{
    sqlite3 *db = tu_db_open_ro(dbpath);
    char *v = tu_db_text(db, sql);
    sqlite3_close(db);
    return v;
}

/* The fixture most end-to-end tests share (cmocka setup/teardown): a new
 * temporary directory and the path of a database in it, not yet created. */
struct tu_fx {
    char *dir;
    char *db;
};

/* ... with the database named dbname (a test whose output shows it) */
static inline int tu_fx_setup_named(void **state, const char *dbname)
{
    struct tu_fx *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->dir = tu_tempdir();
    f->db = tu_path(f->dir, dbname);
    *state = f;
    return 0;
}

static inline int tu_fx_setup(void **state)
{
    return tu_fx_setup_named(state, "wudiag.db");
}

static inline int tu_fx_teardown(void **state)
{
    struct tu_fx *f = *state;
    tu_rmtree(f->dir);
    free(f->dir);
    free(f->db);
    free(f);
    return 0;
}

#endif
