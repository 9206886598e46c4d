/*
 * store.c - opening, migrating and writing the wudiag SQLite database.
 *
 * Opening: refuse directories and non-SQLite files with a clear reason,
 * and a database that is not wudiag's (another application's tables, or
 * its application_id) before anything is written to it; turn on WAL and
 * foreign keys, then bring the schema to the latest version inside one
 * IMMEDIATE transaction (a newer schema is refused).  A database that does
 * not exist yet is made whole in a temporary file beside it and renamed
 * into place (create_new), so nobody ever opens one being initialised.  A
 * read-only open where no -shm can be created (read-only mount, or a
 * directory the user cannot write) reads the file as immutable, when no
 * -wal holds commits.
 *
 * Writing: a run is one transaction.  Nothing is visible to readers, and
 * nothing is left behind on failure or a kill, until store_run_end commits.
 */
#include "store/store.h"
#include "store/store_int.h"
#include "util/grow.h"
#include "schema/migrations.h"
#include "util/strbuf.h"
#include "util/version.h"
#include "util/clock.h"
#include "util/fsutil.h"
#include "vocab/semantics.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define BUSY_TIMEOUT_MS 30000
/* PRAGMA application_id of a wudiag database: "WUDG" */
#define WUDIAG_APP_ID 0x57554447
/* store_open, internal: a new temporary file being made a database
 * (create_new): the schema is written before WAL is switched on */
#define STORE_CREATING 0x100

enum stmt_id {
    S_HOST_INSERT, S_HOST_SELECT, S_RUN_INSERT, S_RUN_UPDATE, S_EVENT_INSERT,
    S_FILE_SELECT, S_FILE_INSERT, S_UNRELATED, S_COVERAGE, S_SERVICE_STATE,
    S_COUNT
};

static const char *const stmt_sql[S_COUNT] = {
    [S_HOST_INSERT] = "INSERT OR IGNORE INTO hosts(name) VALUES (?1)",
    [S_HOST_SELECT] = "SELECT id FROM hosts WHERE name = ?1",
    [S_RUN_INSERT] = "INSERT INTO runs(kind, source, started_us, tool_version)"
                     " VALUES (?1, ?2, ?3, ?4)",
    [S_RUN_UPDATE] = "UPDATE runs SET host_id = ?2, finished_us = ?3,"
                     " records_read = ?4, stored = ?5, unrelated = ?6,"
                     " duplicates = ?7, damaged = ?8 WHERE id = ?1",
    [S_EVENT_INSERT] =
        "INSERT OR IGNORE INTO events(host_id, run_id, channel, provider,"
        " event_id, level, time_us, record_id, computer, service, code,"
        " update_title, update_guid, kb, message, data, kind, outcome, detail)"
        " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,"
        "         ?17,?18,?19)",
    [S_FILE_SELECT] = "SELECT run_id FROM imported_files"
                      " WHERE fingerprint = ?1 AND size = ?2",
    [S_FILE_INSERT] = "INSERT OR IGNORE INTO imported_files(fingerprint, size,"
                      " run_id) VALUES (?1, ?2, ?3)",
    [S_UNRELATED] = "INSERT INTO unrelated_counts(run_id, provider, count)"
                    " VALUES (?1, ?2, ?3) ON CONFLICT(run_id, provider)"
                    " DO UPDATE SET count = count + excluded.count",
    [S_COVERAGE] = "INSERT INTO coverage(run_id, source, status, detail)"
                   " VALUES (?1, ?2, ?3, ?4)",
    [S_SERVICE_STATE] =
        "INSERT INTO service_states(host_id, run_id, time_us, name,"
        " display_name, state, start_type, origin)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
};

struct store {
    sqlite3 *db;
    int readonly;
    sqlite3_stmt *stmt[S_COUNT];
    int in_run;
    int64_t run_id;
    int64_t forced_host;        /* host id given to run_begin, or 0 */
    int64_t first_host;         /* first host seen in this run */
    /* the names the run's records carry, with their host and their spans
     * per channel (store_hosts.c decides at run end which are aliases) */
    struct host_seen *seen;
    size_t nseen, capseen, last_seen;
    struct host_span *spans;
    size_t nspans, capspans, last_span;
    int seen_overflow;          /* too many names: one machine it is not */
    struct strbuf resolved;
    struct strbuf over_name;    /* past MAX_SEEN: the last name looked up */
    int64_t over_id;
    struct strbuf json;
    char errbuf[512];
    /* statements of the other store_*.c files, by SQL text address */
    struct cached { const char *sql; sqlite3_stmt *stmt; } cache[16];
    size_t ncache;
    /* unrelated events of the run, counted here and written at run end */
    struct unrelated { char *provider; long count; } *unrel;
    size_t nunrel, capunrel;
};

static void unrelated_clear(struct store *st);
static void seen_clear(struct store *st);

/* More names than this in one run are no single machine's renames: they are
 * filed by their own names (and aliases), and nothing is learned. */
#define MAX_SEEN 64
#define MAX_SPANS 256

/* ---- errors ----------------------------------------------------------- */

static int map_rc(int rc)
{
    switch (rc & 0xFF) {
    case SQLITE_OK: case SQLITE_DONE: case SQLITE_ROW: return STORE_OK;
    case SQLITE_NOTADB: case SQLITE_CORRUPT: return STORE_E_NOTDB;
    case SQLITE_READONLY: return STORE_E_READONLY;
    case SQLITE_FULL: return STORE_E_FULL;
    case SQLITE_BUSY: case SQLITE_LOCKED: return STORE_E_BUSY;
    case SQLITE_NOMEM: return STORE_E_NOMEM;
    case SQLITE_CANTOPEN: case SQLITE_PERM: case SQLITE_AUTH: return STORE_E_OPEN;
    default: return STORE_E_SQL;
    }
}

static const char *reason(int status)
{
    switch (status) {
    case STORE_E_NOTDB: return "not an SQLite database, or damaged";
    case STORE_E_READONLY: return "database is read-only";
    case STORE_E_FULL: return "disk full";
    case STORE_E_BUSY: return "database is locked by another process";
    case STORE_E_NOMEM: return "out of memory";
    case STORE_E_OPEN: return "cannot open database";
    default: return "database error";
    }
}

/*
 * Why a write failed when SQLite only says "disk I/O error": a write that
 * fails outright with EFBIG (file-size limit, ulimit -f) or ENOSPC is
 * SQLITE_IOERR_WRITE, and the errno is gone by then.  Returns the text to
 * show, or NULL when neither limit is in sight.
 */
static const char *write_limit(struct store *st)
{
    return wu_write_limit(sqlite3_db_filename(st->db, "main"));
}

static int fail(struct store *st, int rc, const char *what)
{
    int status = map_rc(rc);
    const char *why = reason(status);
    if ((rc & 0xFF) == SQLITE_IOERR && (why = write_limit(st)) != NULL)
        status = STORE_E_FULL;
    else
        why = reason(status);
    snprintf(st->errbuf, sizeof st->errbuf, "%s (%s: %s)", why, what,
             sqlite3_errmsg(st->db));
    return status;
}

int store_fail(struct store *st, int rc, const char *what)
{
    return fail(st, rc, what);
}

const char *store_errmsg(struct store *st)
{
    return st->errbuf;
}

static int64_t now_us(void)
{
    return wu_now_us();
}

/* ---- open / migrate --------------------------------------------------- */

int store_latest_version(void)
{
    return migrations[migrations_len - 1].version;
}

static int exec(struct store *st, const char *sql)
{
    int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? STORE_OK : fail(st, rc, "exec");
}

/*
 * Switch to WAL.  On a new database that another process is switching at
 * the same moment SQLite answers "locked" at once - it does not ask the
 * busy handler where waiting could deadlock - so wait and retry here, up to
 * the busy timeout.
 */
static int set_wal(struct store *st)
{
    int rc;
    for (int waited = 0;; waited += 10) {
        rc = exec(st, "PRAGMA journal_mode = WAL");
        if (rc != STORE_E_BUSY || waited >= BUSY_TIMEOUT_MS)
            return rc;
        sqlite3_sleep(10);
    }
}

static int read_version(struct store *st, int *version)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *version = sqlite3_column_int(s, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(s);
    return rc == SQLITE_OK ? STORE_OK : fail(st, rc, "reading schema version");
}

/* Bind v as text, or NULL when it is NULL or empty. */
static void bind_opt(sqlite3_stmt *s, int i, const char *v)
{
    if (v && *v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, i);
}

/*
 * Version 6 stores what each event means.  Rows stored before it get kind
 * and outcome here, from the same classifier import uses, inside the
 * migration's transaction: a database is either wholly at version 6 or
 * untouched.
 */
static int backfill_semantics(struct store *st)
{
    sqlite3_stmt *sel = NULL, *upd = NULL;
    int rc;

    rc = sqlite3_prepare_v2(st->db, "SELECT id, provider, event_id, level FROM events"
                            " WHERE kind IS NULL AND outcome IS NULL", -1, &sel, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(st->db, "UPDATE events SET kind = ?2, outcome = ?3"
                                " WHERE id = ?1", -1, &upd, NULL);
    while (rc == SQLITE_OK && (rc = sqlite3_step(sel)) == SQLITE_ROW) {
        enum ev_kind k;
        enum ev_outcome o;
        ev_classify((const char *)sqlite3_column_text(sel, 1), sqlite3_column_int(sel, 2),
                    sqlite3_column_int(sel, 3), &k, &o);
        if (k == EK_NONE && o == EO_NONE)
            continue;
        sqlite3_bind_int64(upd, 1, sqlite3_column_int64(sel, 0));
        bind_opt(upd, 2, ev_kind_name(k));
        bind_opt(upd, 3, ev_outcome_name(o));
        rc = sqlite3_step(upd);
        sqlite3_reset(upd);
        if (rc == SQLITE_DONE)
            rc = SQLITE_OK;
    }
    if (rc == SQLITE_DONE)
        rc = SQLITE_OK;
    sqlite3_finalize(sel);
    sqlite3_finalize(upd);
    return rc == SQLITE_OK ? STORE_OK : fail(st, rc, "classifying stored events");
}

static int migrate(struct store *st, int from)
{
    int rc;
    char sql[128];

    rc = exec(st, "BEGIN IMMEDIATE");
    if (rc)
        return rc;
    /* re-read inside the lock: another process may have migrated already */
    rc = read_version(st, &from);
    if (rc)
        goto rollback;
    for (int i = 0; i < migrations_len; i++) {
        if (migrations[i].version <= from)
            continue;
        rc = exec(st, migrations[i].sql);
        if (!rc && migrations[i].version == 6)
            rc = backfill_semantics(st);
        if (!rc && migrations[i].version == 7)
            rc = store_hosts_backfill(st);
        if (rc) {
            char tmp[sizeof st->errbuf];
            memcpy(tmp, st->errbuf, sizeof tmp);
            snprintf(st->errbuf, sizeof st->errbuf, "migration %s failed: %.400s",
                     migrations[i].name, tmp);
            goto rollback;
        }
    }
    snprintf(sql, sizeof sql, "PRAGMA application_id = %d; PRAGMA user_version = %d",
             WUDIAG_APP_ID, store_latest_version());
    rc = exec(st, sql);
    if (rc)
        goto rollback;
    rc = exec(st, "COMMIT");
    if (rc)
        goto rollback;
    return STORE_OK;
rollback:
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

/* One integer from sql; STORE_OK or a status. */
static int query_int(struct store *st, const char *sql, long long *v)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        *v = sqlite3_column_int64(s, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(s);
    return rc == SQLITE_OK ? STORE_OK : fail(st, rc, "reading the schema");
}

/*
 * Is this wudiag's database?  Yes when it carries wudiag's application_id,
 * when it is empty (no schema, version 0: new), or when it is a wudiag
 * database from before the application_id (a version and wudiag's hosts,
 * runs and events tables).  Anything else belongs to another application:
 * STORE_E_NOTDB with the reason in err, before anything is written.
 */
static int check_identity(struct store *st, const char *path, int version,
                          char *err, size_t errlen)
{
    long long app = 0, ntables = 0, ours = 0;
    int rc;

    if ((rc = query_int(st, "PRAGMA application_id", &app)) ||
        (rc = query_int(st, "SELECT count(*) FROM sqlite_master", &ntables)) ||
        (rc = query_int(st, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                        " AND name IN ('hosts', 'runs', 'events')", &ours))) {
        snprintf(err, errlen, "%s: %s", path, st->errbuf);
        return rc;
    }
    if (app == WUDIAG_APP_ID || (app == 0 && ntables == 0 && version == 0) ||
        (app == 0 && version > 0 && ours == 3))
        return STORE_OK;
    if (app != 0)
        snprintf(err, errlen, "%s: not a wudiag database (application_id 0x%08llX "
                 "is another application's); left untouched", path,
                 (unsigned long long)app & 0xFFFFFFFFu);
    else
        snprintf(err, errlen, "%s: not a wudiag database (another application's "
                 "schema, %lld entries); left untouched", path, ntables);
    return STORE_E_NOTDB;
}

/*
 * Reopen a database on a read-only file system, or in a directory the user
 * cannot write, as immutable.  In WAL mode SQLite needs a -shm file beside
 * the database even to read, and cannot create one there.  On a read-only
 * mount nothing can write the file either, so reading it as immutable is
 * exact.  In a locked directory its owner could: but with no -wal file no
 * writer has it open (a writer in WAL mode keeps one), and the read is one
 * snapshot of a file written by whole transactions; a -wal that holds
 * commits only SQLite with a -shm could apply: then give up.  (A -wal and
 * -shm that exist are read by plain SQLITE_OPEN_READONLY since SQLite 3.22,
 * so this is only tried when that failed.)
 */
static int reopen_immutable(struct store *st, const char *path)
{
    struct stat sb;
    struct strbuf uri;
    char *wal;
    int rc, busy = 0;

    if (!(wal = malloc(strlen(path) + 5)))
        return STORE_E_NOMEM;
    sprintf(wal, "%s-wal", path);
    busy = stat(wal, &sb) == 0 && sb.st_size > 0;
    free(wal);
    if (busy)
        return STORE_E_OPEN;
    sb_init(&uri);
    sb_adds(&uri, "file:");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
            (*p >= '0' && *p <= '9') || strchr("/-._~", *p))
            sb_addc(&uri, (char)*p);
        else
            sb_printf(&uri, "%%%02X", *p);
    }
    sb_adds(&uri, "?immutable=1");
    if (uri.oom) {
        sb_free(&uri);
        return STORE_E_NOMEM;
    }
    sqlite3_close(st->db);
    st->db = NULL;
    rc = sqlite3_open_v2(uri.buf, &st->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI |
                         SQLITE_OPEN_NOMUTEX, NULL);
    sb_free(&uri);
    if (rc != SQLITE_OK)
        return st->db ? STORE_E_OPEN : STORE_E_NOMEM;
    sqlite3_extended_result_codes(st->db, 0);
    return STORE_OK;
}

/*
 * A database that does not exist yet: make it whole in a temporary file
 * beside path (schema written, then WAL switched on, closed with nothing in
 * a -wal), then rename it to path unless someone made path meanwhile.  A
 * reader racing the first import sees no file or a whole database, never
 * an empty one; a failure (full disk) leaves nothing.  STORE_OK when path
 * exists afterwards (made here or by another process).
 */
static int create_new(const char *path, char *err, size_t errlen)
{
    struct store *t = NULL;
    struct stat sb;
    char *tmp = NULL, *side = NULL;
    FILE *fp;
    int status;

    wu_temp_sweep(path);
    if (!(fp = wu_temp_create(path, &tmp))) {
        int e = errno;
        snprintf(err, errlen, "%s: cannot create database: %s", path, strerror(e));
        return e == ENOSPC ? STORE_E_FULL : e == EROFS ? STORE_E_READONLY
             : e == ENOMEM ? STORE_E_NOMEM : STORE_E_OPEN;
    }
    fclose(fp);
    status = store_open(tmp, STORE_CREATING, &t, err, errlen);
    store_close(t);
    if (status == STORE_OK && !(side = malloc(strlen(tmp) + 5)))
        status = STORE_E_NOMEM;
    if (status == STORE_OK) {
        sprintf(side, "%s-wal", tmp);
        if (stat(side, &sb) == 0 && sb.st_size > 0) {
            snprintf(err, errlen, "%s: cannot create database: its new schema "
                     "could not be written (disk full?)", path);
            status = STORE_E_FULL;
        }
    }
    if (status == STORE_OK && wu_rename_new(tmp, path) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "%s: cannot create database: %s", path, strerror(errno));
        status = STORE_E_OPEN;
    } else if (status != STORE_OK) {
        /* the message names the temporary: name the database asked for */
        char msg[512];
        size_t n = strlen(tmp);
        snprintf(msg, sizeof msg, "%s", strncmp(err, tmp, n) == 0 && err[n] == ':'
                 ? err + n + 2 : err);
        snprintf(err, errlen, "%s: %s", path, msg);
    }
    remove(tmp);                /* gone already when renamed */
    if (side) {
        sprintf(side, "%s-wal", tmp);
        remove(side);
        sprintf(side, "%s-shm", tmp);
        remove(side);
    }
    wu_temp_on_signal(NULL);
    free(side);
    free(tmp);
    return status;
}

int store_open(const char *path, int flags, struct store **out, char *err,
               size_t errlen)
{
    struct store *st = NULL;
    struct stat sbuf;
    int rc, status = STORE_OK, version = 0;
    int oflags;

    *out = NULL;
    if (stat(path, &sbuf) == 0 && S_ISDIR(sbuf.st_mode)) {
        snprintf(err, errlen, "%s: is a directory, not a database file", path);
        return STORE_E_OPEN;
    }
    if ((flags & STORE_READONLY) && stat(path, &sbuf) != 0) {
        snprintf(err, errlen, "%s: no such database (run 'wudiag import' first)",
                 path);
        return STORE_E_OPEN;
    }
    /* SQLite would quietly open it read-only, then fail for want of a
     * -shm file: say what it is */
    if (!(flags & STORE_READONLY) && stat(path, &sbuf) == 0 && wu_on_readonly_fs(path)) {
        snprintf(err, errlen, "%s: database is read-only (read-only file system)", path);
        return STORE_E_READONLY;
    }
    /* a new file (not SQLite's ":memory:", "" or a "file:" URI) */
    if (!(flags & (STORE_READONLY | STORE_CREATING)) && *path &&
        strcmp(path, ":memory:") != 0 && strncmp(path, "file:", 5) != 0 &&
        stat(path, &sbuf) != 0 && errno == ENOENT &&
        (status = create_new(path, err, errlen)) != STORE_OK)
        return status;
    st = calloc(1, sizeof *st);
    if (!st) {
        snprintf(err, errlen, "%s: out of memory", path);
        return STORE_E_NOMEM;
    }
    sb_init(&st->json);
    sb_init(&st->resolved);
    sb_init(&st->over_name);
    st->readonly = (flags & STORE_READONLY) != 0;
    /* one connection per thread in wudiag: no SQLite mutexes needed */
    oflags = (st->readonly ? SQLITE_OPEN_READONLY
                           : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
             SQLITE_OPEN_NOMUTEX;
    rc = sqlite3_open_v2(path, &st->db, oflags, NULL);
    if (rc != SQLITE_OK) {
        status = st->db ? fail(st, rc, "open") : STORE_E_NOMEM;
        if (status == STORE_E_SQL)
            status = STORE_E_OPEN;
        snprintf(err, errlen, "%s: cannot open database: %s", path,
                 st->db ? sqlite3_errmsg(st->db) : "out of memory");
        goto cleanup;
    }
    sqlite3_extended_result_codes(st->db, 0);
    sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
    status = read_version(st, &version);
    if ((status == STORE_E_OPEN || status == STORE_E_READONLY) && st->readonly &&
        (wu_on_readonly_fs(path) || !wu_dir_writable(path)) &&
        (status = reopen_immutable(st, path)) == STORE_OK)
        status = read_version(st, &version);
    if (status) {
        snprintf(err, errlen, "%s: %s", path, reason(status));
        goto cleanup;
    }
    if ((status = check_identity(st, path, version, err, errlen)) != STORE_OK)
        goto cleanup;
    if (version > store_latest_version()) {
        snprintf(err, errlen,
                 "%s: database schema version %d is newer than this wudiag "
                 "supports (%d); use a newer wudiag", path, version,
                 store_latest_version());
        status = STORE_E_NEWER;
        goto cleanup;
    }
    if (!st->readonly) {
        if (sqlite3_db_readonly(st->db, "main") == 1) {
            snprintf(err, errlen, "%s: database is read-only", path);
            status = STORE_E_READONLY;
            goto cleanup;
        }
        /* a new file's schema goes in before WAL (create_new) */
        status = (flags & STORE_CREATING) ? STORE_OK : set_wal(st);
        if (!status)
            status = exec(st, "PRAGMA synchronous = NORMAL");
        if (!status && version < store_latest_version())
            status = migrate(st, version);
        if (!status && (flags & STORE_CREATING))
            status = set_wal(st);
        if (status) {
            snprintf(err, errlen, "%s: %s", path, st->errbuf);
            goto cleanup;
        }
    } else if (version < store_latest_version()) {
        if (version > 0 && !(flags & STORE_NO_UPGRADE)) {
            /* an older wudiag DB: upgrade it through a read-write open, then
             * open it read-only again as asked */
            struct store *rw = NULL;
            store_close(st);
            st = NULL;
            status = store_open(path, 0, &rw, err, errlen);
            if (status != STORE_OK) {
                if (status == STORE_E_READONLY)
                    snprintf(err, errlen, "%s: database schema is older and the file "
                             "is read-only, so it cannot be upgraded", path);
                return status;
            }
            store_close(rw);
            return store_open(path, flags | STORE_NO_UPGRADE, out, err, errlen);
        }
        snprintf(err, errlen, "%s: %s", path, version == 0
                 ? "not a wudiag database (empty schema)"
                 : "database schema is older and could not be upgraded");
        status = version == 0 ? STORE_E_NOTDB : STORE_E_READONLY;
        goto cleanup;
    }
    status = exec(st, "PRAGMA foreign_keys = ON");
    if (status) {
        snprintf(err, errlen, "%s: %s", path, st->errbuf);
        goto cleanup;
    }
    *out = st;
    return STORE_OK;
cleanup:
    store_close(st);
    return status;
}

void store_close(struct store *st)
{
    if (!st)
        return;
    if (st->in_run)
        store_run_abort(st);
    for (int i = 0; i < S_COUNT; i++)
        sqlite3_finalize(st->stmt[i]);
    for (size_t i = 0; i < st->ncache; i++)
        sqlite3_finalize(st->cache[i].stmt);
    sqlite3_close(st->db);
    sb_free(&st->json);
    sb_free(&st->resolved);
    sb_free(&st->over_name);
    unrelated_clear(st);
    free(st->unrel);
    seen_clear(st);
    free(st->seen);
    free(st->spans);
    free(st);
}

int store_checkpoint(struct store *st)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db, "PRAGMA wal_checkpoint(TRUNCATE)", -1, &s, NULL);
    int busy = 0;
    if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        busy = sqlite3_column_int(s, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(s);
    if (rc == SQLITE_OK && busy)
        rc = SQLITE_BUSY;
    return rc == SQLITE_OK ? STORE_OK : fail(st, rc, "checkpoint");
}

int store_schema_version(struct store *st)
{
    int v = -1;
    read_version(st, &v);
    return v;
}

struct sqlite3 *store_db(struct store *st)
{
    return st->db;
}

/* Prepared statement, reset and with bindings cleared, or NULL. */
static sqlite3_stmt *stmt(struct store *st, enum stmt_id id)
{
    if (!st->stmt[id]) {
        int rc = sqlite3_prepare_v3(st->db, stmt_sql[id], -1,
                                    SQLITE_PREPARE_PERSISTENT, &st->stmt[id], NULL);
        if (rc != SQLITE_OK) {
            fail(st, rc, "prepare");
            return NULL;
        }
    } else {
        sqlite3_reset(st->stmt[id]);
        sqlite3_clear_bindings(st->stmt[id]);
    }
    return st->stmt[id];
}

/* Step a write statement to completion; STORE_OK or a status. */
static int step_done(struct store *st, sqlite3_stmt *s, const char *what)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? STORE_OK : fail(st, rc, what);
}

/* ---- hosts ------------------------------------------------------------ */

int store_host_literal_id(struct store *st, const char *name, int64_t *id)
{
    sqlite3_stmt *s;
    int rc;

    if (!(s = stmt(st, S_HOST_INSERT)))
        return STORE_E_SQL;
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    if ((rc = step_done(st, s, "adding host")))
        return rc;
    if (!(s = stmt(st, S_HOST_SELECT)))
        return STORE_E_SQL;
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        rc = fail(st, rc, "looking up host");
        sqlite3_reset(s);
        return rc ? rc : STORE_E_SQL;
    }
    *id = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    return STORE_OK;
}

static void seen_clear(struct store *st)
{
    for (size_t i = 0; i < st->nseen; i++)
        free(st->seen[i].name);
    for (size_t i = 0; i < st->nspans; i++)
        free(st->spans[i].channel);
    st->nseen = st->nspans = 0;
    st->last_seen = st->last_span = 0;
    st->seen_overflow = 0;
    st->over_id = 0;
}

/*
 * Id of the host the records of name go to in this run: the host of its
 * final name when it is a known alias (store_hosts.c), else its own.  *idx
 * is its place among the run's names, or (size_t)-1 when there are too many.
 */
static int host_id(struct store *st, const char *name, int64_t *id, size_t *idx)
{
    int how, rc;

    if (!name || !*name)
        name = "unknown";
    *idx = (size_t)-1;
    if (st->last_seen < st->nseen &&
        store_name_cmp(st->seen[st->last_seen].name, name) == 0) {
        *idx = st->last_seen;
        *id = st->seen[*idx].host_id;
        return STORE_OK;
    }
    for (size_t i = 0; i < st->nseen; i++)
        if (store_name_cmp(st->seen[i].name, name) == 0) {
            *idx = st->last_seen = i;
            *id = st->seen[i].host_id;
            return STORE_OK;
        }
    if (st->over_id && store_name_cmp(st->over_name.buf, name) == 0) {
        *id = st->over_id;
        return STORE_OK;
    }
    if ((rc = store_host_resolve(st, name, &st->resolved, &how)) ||
        (rc = store_host_literal_id(st, st->resolved.buf, id)))
        return rc;
    if (st->nseen >= MAX_SEEN) {
        st->seen_overflow = 1;
        sb_reset(&st->over_name);
        sb_adds(&st->over_name, name);
        st->over_id = st->over_name.oom ? 0 : *id;
        return STORE_OK;
    }
    if (wu_grow(&st->seen, st->nseen, &st->capseen, sizeof *st->seen) != 0 ||
        !(st->seen[st->nseen].name = strdup(name)))
        return STORE_E_NOMEM;
    st->seen[st->nseen].host_id = *id;
    st->seen[st->nseen].how = how;
    *idx = st->last_seen = st->nseen++;
    return STORE_OK;
}

/* Widen the span of name idx in the event's channel. */
static int note_span(struct store *st, size_t idx, const struct wu_event *ev)
{
    const char *channel = ev->channel ? ev->channel : "";
    struct host_span *sp = NULL;

    if (idx == (size_t)-1 || st->seen_overflow)
        return STORE_OK;
    if (st->last_span < st->nspans && st->spans[st->last_span].name == idx &&
        strcmp(st->spans[st->last_span].channel, channel) == 0)
        sp = &st->spans[st->last_span];
    for (size_t i = 0; !sp && i < st->nspans; i++)
        if (st->spans[i].name == idx && strcmp(st->spans[i].channel, channel) == 0) {
            st->last_span = i;
            sp = &st->spans[i];
        }
    if (!sp) {
        if (st->nspans >= MAX_SPANS) {
            st->seen_overflow = 1;
            return STORE_OK;
        }
        if (wu_grow(&st->spans, st->nspans, &st->capspans, sizeof *st->spans) != 0 ||
            !(st->spans[st->nspans].channel = strdup(channel)))
            return STORE_E_NOMEM;
        sp = &st->spans[st->nspans];
        sp->name = idx;
        sp->min_t = sp->max_t = ev->time_us;
        sp->min_rec = sp->max_rec = ev->record_id;
        st->last_span = st->nspans++;
        return STORE_OK;
    }
    if (ev->time_us < sp->min_t)
        sp->min_t = ev->time_us;
    if (ev->time_us > sp->max_t)
        sp->max_t = ev->time_us;
    if (ev->record_id < 0 || sp->min_rec < 0) {
        sp->min_rec = sp->max_rec = -1;     /* no order to check */
    } else {
        if (ev->record_id < sp->min_rec)
            sp->min_rec = ev->record_id;
        if (ev->record_id > sp->max_rec)
            sp->max_rec = ev->record_id;
    }
    return STORE_OK;
}

/* ---- runs ------------------------------------------------------------- */

int store_run_begin(struct store *st, const char *kind, const char *source,
                    const char *host, char *err, size_t errlen)
{
    sqlite3_stmt *s;
    int rc;

    if (st->readonly || st->in_run) {
        snprintf(err, errlen, "%s", st->readonly ? "database opened read-only"
                                                 : "a run is already open");
        return STORE_E_SQL;
    }
    if ((rc = exec(st, "BEGIN IMMEDIATE")))
        goto fail;
    st->in_run = 1;
    st->forced_host = 0;
    st->first_host = 0;
    seen_clear(st);
    /* --host NAME files everything under NAME, as given */
    if (host && (rc = store_host_literal_id(st, host, &st->forced_host)))
        goto fail;
    if (!(s = stmt(st, S_RUN_INSERT))) {
        rc = STORE_E_SQL;
        goto fail;
    }
    sqlite3_bind_text(s, 1, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, source, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, now_us());
    sqlite3_bind_text(s, 4, WUDIAG_VERSION, -1, SQLITE_STATIC);
    if ((rc = step_done(st, s, "starting run")))
        goto fail;
    st->run_id = sqlite3_last_insert_rowid(st->db);
    return STORE_OK;
fail:
    snprintf(err, errlen, "%s", st->errbuf);
    store_run_abort(st);
    return rc;
}

void store_run_abort(struct store *st)
{
    unrelated_clear(st);
    seen_clear(st);             /* host rows may have been rolled back */
    if (st->in_run)
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    st->in_run = 0;
}

int store_file_known(struct store *st, const char *fingerprint, int64_t size,
                     int64_t *run_id)
{
    sqlite3_stmt *s = stmt(st, S_FILE_SELECT);
    int found = 0;
    if (!s)
        return 0;
    sqlite3_bind_text(s, 1, fingerprint, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, size);
    if (sqlite3_step(s) == SQLITE_ROW) {
        found = 1;
        if (run_id)
            *run_id = sqlite3_column_int64(s, 0);
    }
    sqlite3_reset(s);
    return found;
}

static void build_data_json(struct strbuf *sb, const struct wu_event *ev)
{
    sb_reset(sb);
    sb_addc(sb, '{');
    for (size_t i = 0; i < ev->ndata; i++) {
        if (i)
            sb_addc(sb, ',');
        sb_addc(sb, '"');
        sb_json_str(sb, ev->data[i].name);
        sb_adds(sb, "\":\"");
        sb_json_str(sb, ev->data[i].value);
        sb_addc(sb, '"');
    }
    if (ev->binary && *ev->binary) {
        if (ev->ndata)
            sb_addc(sb, ',');
        sb_adds(sb, "\"Binary\":\"");
        sb_json_str(sb, ev->binary);
        sb_addc(sb, '"');
    }
    sb_addc(sb, '}');
}


int store_add_event(struct store *st, const struct wu_event *ev, int *inserted)
{
    sqlite3_stmt *s;
    int64_t hid;
    size_t idx;
    int rc;

    *inserted = 0;
    if (st->forced_host)
        hid = st->forced_host;
    else if ((rc = host_id(st, ev->computer, &hid, &idx)) ||
             (ev->computer && *ev->computer && (rc = note_span(st, idx, ev))))
        return rc;
    if (!st->first_host)
        st->first_host = hid;
    build_data_json(&st->json, ev);
    if (st->json.oom)
        return STORE_E_NOMEM;
    if (!(s = stmt(st, S_EVENT_INSERT)))
        return STORE_E_SQL;
    sqlite3_bind_int64(s, 1, hid);
    sqlite3_bind_int64(s, 2, st->run_id);
    sqlite3_bind_text(s, 3, ev->channel ? ev->channel : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, ev->provider, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 5, ev->event_id);
    sqlite3_bind_int(s, 6, ev->level);
    sqlite3_bind_int64(s, 7, ev->time_us);
    sqlite3_bind_int64(s, 8, ev->record_id);
    sqlite3_bind_text(s, 9, ev->computer ? ev->computer : "", -1, SQLITE_STATIC);
    bind_opt(s, 10, ev->service);
    if (ev->has_code)
        sqlite3_bind_int64(s, 11, (int64_t)ev->code);
    bind_opt(s, 12, ev->update_title);
    bind_opt(s, 13, ev->update_guid);
    bind_opt(s, 14, ev->kb);
    bind_opt(s, 15, ev->message);
    sqlite3_bind_text(s, 16, st->json.buf, (int)st->json.len, SQLITE_STATIC);
    bind_opt(s, 17, ev_kind_name(ev->kind));
    bind_opt(s, 18, ev_outcome_name(ev->outcome));
    bind_opt(s, 19, ev->detail);
    if ((rc = step_done(st, s, "storing event")))
        return rc;
    *inserted = sqlite3_changes(st->db) > 0;
    return STORE_OK;
}

static void unrelated_clear(struct store *st)
{
    for (size_t i = 0; i < st->nunrel; i++)
        free(st->unrel[i].provider);
    st->nunrel = 0;
}

int store_count_unrelated(struct store *st, const char *provider)
{
    if (!provider || !*provider)
        provider = "(none)";
    /* few providers per file, and they repeat: the last one first */
    for (size_t i = st->nunrel; i-- > 0;)
        if (strcmp(st->unrel[i].provider, provider) == 0) {
            st->unrel[i].count++;
            return STORE_OK;
        }
    if (wu_grow(&st->unrel, st->nunrel, &st->capunrel, sizeof *st->unrel) != 0)
        return STORE_E_NOMEM;
    if (!(st->unrel[st->nunrel].provider = strdup(provider)))
        return STORE_E_NOMEM;
    st->unrel[st->nunrel++].count = 1;
    return STORE_OK;
}

/* Write the run's unrelated counts (inside its transaction). */
static int unrelated_flush(struct store *st)
{
    for (size_t i = 0; i < st->nunrel; i++) {
        sqlite3_stmt *s = stmt(st, S_UNRELATED);
        int rc;
        if (!s)
            return STORE_E_SQL;
        sqlite3_bind_int64(s, 1, st->run_id);
        sqlite3_bind_text(s, 2, st->unrel[i].provider, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 3, st->unrel[i].count);
        if ((rc = step_done(st, s, "counting unrelated events")))
            return rc;
    }
    unrelated_clear(st);
    return STORE_OK;
}

int store_add_coverage(struct store *st, const char *source, const char *status,
                       const char *detail)
{
    sqlite3_stmt *s = stmt(st, S_COVERAGE);
    if (!s)
        return STORE_E_SQL;
    sqlite3_bind_int64(s, 1, st->run_id);
    sqlite3_bind_text(s, 2, source, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, status, -1, SQLITE_STATIC);
    bind_opt(s, 4, detail);
    return step_done(st, s, "recording coverage");
}

int store_add_service_state(struct store *st, const char *host, int64_t time_us,
                            const char *name, const char *display,
                            const char *state, const char *start_type,
                            const char *origin)
{
    sqlite3_stmt *s;
    int64_t hid;
    size_t idx;
    int rc;

    if (st->forced_host)
        hid = st->forced_host;
    else if ((rc = host_id(st, host, &hid, &idx)))
        return rc;
    if (!st->first_host)
        st->first_host = hid;
    if (!(s = stmt(st, S_SERVICE_STATE)))
        return STORE_E_SQL;
    sqlite3_bind_int64(s, 1, hid);
    sqlite3_bind_int64(s, 2, st->run_id);
    sqlite3_bind_int64(s, 3, time_us);
    sqlite3_bind_text(s, 4, name, -1, SQLITE_STATIC);
    bind_opt(s, 5, display);
    bind_opt(s, 6, state);
    bind_opt(s, 7, start_type);
    sqlite3_bind_text(s, 8, origin ? origin : "live", -1, SQLITE_STATIC);
    return step_done(st, s, "storing service state");
}

int store_run_end(struct store *st, struct wu_stats *stats,
                  const char *fingerprint, int64_t size, char *err, size_t errlen)
{
    sqlite3_stmt *s;
    int64_t hid = st->forced_host ? st->forced_host : st->first_host;
    long dups = 0;
    int rc;

    /* one machine, one host: earlier names of the run's machine move */
    if (!st->forced_host && !st->seen_overflow && st->nseen > 1) {
        if ((rc = store_hosts_settle(st, st->run_id, st->seen, st->nseen, st->spans,
                                     st->nspans, &hid, &dups)))
            goto fail;
        if (dups > stats->stored)
            dups = stats->stored;
        stats->stored -= dups;
        stats->duplicates += dups;
    }
    seen_clear(st);
    if (!(s = stmt(st, S_RUN_UPDATE))) {
        rc = STORE_E_SQL;
        goto fail;
    }
    sqlite3_bind_int64(s, 1, st->run_id);
    if (hid)
        sqlite3_bind_int64(s, 2, hid);
    sqlite3_bind_int64(s, 3, now_us());
    sqlite3_bind_int64(s, 4, stats->read);
    sqlite3_bind_int64(s, 5, stats->stored);
    sqlite3_bind_int64(s, 6, stats->unrelated);
    sqlite3_bind_int64(s, 7, stats->duplicates);
    sqlite3_bind_int64(s, 8, stats->damaged);
    if ((rc = step_done(st, s, "finishing run")) || (rc = unrelated_flush(st)))
        goto fail;
    if (fingerprint) {
        if (!(s = stmt(st, S_FILE_INSERT))) {
            rc = STORE_E_SQL;
            goto fail;
        }
        sqlite3_bind_text(s, 1, fingerprint, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 2, size);
        sqlite3_bind_int64(s, 3, st->run_id);
        if ((rc = step_done(st, s, "recording file")))
            goto fail;
    }
    if ((rc = exec(st, "COMMIT")))
        goto fail;
    st->in_run = 0;
    return STORE_OK;
fail:
    snprintf(err, errlen, "%s", st->errbuf);
    store_run_abort(st);
    return rc;
}

/* ---- for the other store_*.c files -------------------------------------- */

int store_run_host_id(struct store *st, const char *name, int64_t *id)
{
    size_t idx;
    int rc;
    if (st->forced_host) {
        *id = st->forced_host;
        return STORE_OK;
    }
    if ((rc = host_id(st, name, id, &idx)) == STORE_OK && !st->first_host)
        st->first_host = *id;
    return rc;
}

struct sqlite3_stmt *store_cached_stmt(struct store *st, const char *sql)
{
    sqlite3_stmt *s = NULL;
    for (size_t i = 0; i < st->ncache; i++)
        if (st->cache[i].sql == sql) {
            sqlite3_reset(st->cache[i].stmt);
            sqlite3_clear_bindings(st->cache[i].stmt);
            return st->cache[i].stmt;
        }
    if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) !=
        SQLITE_OK) {
        sqlite3_finalize(s);
        return NULL;
    }
    if (st->ncache < sizeof st->cache / sizeof st->cache[0]) {
        st->cache[st->ncache].sql = sql;
        st->cache[st->ncache++].stmt = s;
    }
    /* a full cache never happens with the store's fixed set of queries; if it
     * did, the statement would leak, so refuse instead */
    else {
        sqlite3_finalize(s);
        return NULL;
    }
    return s;
}

void store_bind_host_range(sqlite3_stmt *s, int64_t host_id, int64_t since,
                           int64_t until)
{
    if (sqlite3_bind_parameter_index(s, "?1"))
        sqlite3_bind_int64(s, 1, host_id);
    if (sqlite3_bind_parameter_index(s, "?2"))
        sqlite3_bind_int64(s, 2, since);
    if (sqlite3_bind_parameter_index(s, "?3"))
        sqlite3_bind_int64(s, 3, until);
}

int64_t store_run_id(struct store *st)
{
    return st->in_run ? st->run_id : 0;
}

int64_t store_now_us(void)
{
    return now_us();
}

/* ---- summary ---------------------------------------------------------- */

static long count_of(struct store *st, const char *sql)
{
    sqlite3_stmt *s = NULL;
    long n = -1;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        n = (long)sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return n;
}

int store_totals(struct store *st, struct store_totals *t)
{
    t->hosts = count_of(st, "SELECT count(*) FROM hosts");
    t->runs = count_of(st, "SELECT count(*) FROM runs");
    t->events = count_of(st, "SELECT count(*) FROM events");
    t->events_with_code = count_of(st, "SELECT count(*) FROM events WHERE code IS NOT NULL");
    t->service_states = count_of(st, "SELECT count(*) FROM service_states");
    return (t->hosts < 0 || t->events < 0) ? STORE_E_SQL : STORE_OK;
}
