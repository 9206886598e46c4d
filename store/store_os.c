/*
 * store_os.c - the OS evidence import finds in the logs, kept as facts
 * ("os.version", "os.base", "os.type", "os.language", "os.sp") with the
 * time of the event that showed them.  One row per host, name and value:
 * a value seen again only moves its time forward, so a log with a boot a
 * day adds no rows, and an upgrade shows as a newer value.
 */
#include "store/store.h"
#include "store/store_int.h"

#include <sqlite3.h>

static const char *const os_update_sql =
    "UPDATE facts SET time_us = max(time_us, ?3)"
    " WHERE host_id = ?1 AND name = ?4 AND value = ?5";
static const char *const os_insert_sql =
    "INSERT INTO facts(host_id, run_id, time_us, name, value)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";

int store_note_fact(struct store *st, const char *host, const char *name,
                    const char *value, int64_t time_us)
{
    sqlite3_stmt *s;
    int64_t hid;
    int rc;

    if (!store_run_id(st))
        return STORE_E_SQL;
    if ((rc = store_run_host_id(st, host ? host : "", &hid)) != STORE_OK)
        return rc;
    if (!(s = store_cached_stmt(st, os_update_sql)))
        return STORE_E_SQL;
    sqlite3_bind_int64(s, 1, hid);
    sqlite3_bind_int64(s, 3, time_us);
    sqlite3_bind_text(s, 4, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, value, -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return STORE_E_SQL;
    if (sqlite3_changes(store_db(st)) > 0)
        return STORE_OK;
    if (!(s = store_cached_stmt(st, os_insert_sql)))
        return STORE_E_SQL;
    sqlite3_bind_int64(s, 1, hid);
    sqlite3_bind_int64(s, 2, store_run_id(st));
    sqlite3_bind_int64(s, 3, time_us);
    sqlite3_bind_text(s, 4, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, value, -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? STORE_OK : STORE_E_SQL;
}
