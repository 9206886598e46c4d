/*
 * store_stage.c - where `import` keeps a file's records between parsing
 * them and writing them (src/ingest.c serialises them into chunks).
 *
 * The chunks go to a TEMP table of this connection.  SQLite keeps the temp
 * schema in its own private file (deleted on open, so a killed process
 * leaves nothing) and writing it takes no lock on the database file: a
 * slow or huge file is parsed while other processes write as usual, and
 * only the short replay inside store_run_begin/store_run_end holds the
 * write lock.  The temp file spills to disk past SQLite's page cache, so
 * staging a multi-GB log costs disk, not memory.
 */
#include "store/store.h"
#include "store/store_int.h"

#include <sqlite3.h>

static const char *const stage_create_sql =
    "CREATE TEMP TABLE IF NOT EXISTS run_stage(id INTEGER PRIMARY KEY,"
    " data BLOB NOT NULL)";
static const char *const stage_put_sql = "INSERT INTO temp.run_stage(data) VALUES (?1)";
static const char *const stage_get_sql = "SELECT data FROM temp.run_stage ORDER BY id";
static const char *const stage_clear_sql = "DELETE FROM temp.run_stage";

static int stage_ready(struct store *st)
{
    int rc = sqlite3_exec(store_db(st), stage_create_sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? STORE_OK : store_fail(st, rc, "creating the staging table");
}

int store_stage_put(struct store *st, const void *data, size_t len)
{
    sqlite3_stmt *s;
    int rc;

    if ((rc = stage_ready(st)))
        return rc;
    if (!(s = store_cached_stmt(st, stage_put_sql)))
        return store_fail(st, sqlite3_errcode(store_db(st)), "staging records");
    sqlite3_bind_blob64(s, 1, data, (sqlite3_uint64)len, SQLITE_STATIC);
    rc = sqlite3_step(s);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return rc == SQLITE_DONE ? STORE_OK : store_fail(st, rc, "staging records");
}

int store_stage_each(struct store *st,
                     int (*fn)(void *ctx, const void *data, size_t len), void *ctx)
{
    sqlite3_stmt *s;
    int rc, status = STORE_OK;

    if ((rc = stage_ready(st)))
        return rc;
    if (!(s = store_cached_stmt(st, stage_get_sql)))
        return store_fail(st, sqlite3_errcode(store_db(st)), "reading staged records");
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const void *p = sqlite3_column_blob(s, 0);
        size_t n = (size_t)sqlite3_column_bytes(s, 0);
        if (!p && n) {
            status = STORE_E_NOMEM;
            break;
        }
        if ((status = fn(ctx, p, n)) != STORE_OK)
            break;
    }
    if (status == STORE_OK && rc != SQLITE_DONE)
        status = store_fail(st, rc, "reading staged records");
    sqlite3_reset(s);
    return status;
}

void store_stage_clear(struct store *st)
{
    sqlite3_stmt *s;
    if (stage_ready(st) != STORE_OK || !(s = store_cached_stmt(st, stage_clear_sql)))
        return;
    sqlite3_step(s);
    sqlite3_reset(s);
}
