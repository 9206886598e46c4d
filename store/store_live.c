/*
 * store_live.c - bookmarks and facts of live collection.  Both are written
 * inside the collect run's transaction, so a bookmark never moves past
 * events that were not stored.
 */
#include "store/store.h"
#include "store/store_int.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

char *store_get_bookmark(struct store *st, const char *host, const char *channel)
{
    sqlite3_stmt *s = NULL;
    char *out = NULL;

    if (sqlite3_prepare_v2(store_db(st),
            "SELECT b.bookmark FROM bookmarks b JOIN hosts h ON h.id = b.host_id"
            " WHERE h.name = ?1 AND b.channel = ?2", -1, &s, NULL) != SQLITE_OK)
        goto cleanup;
    sqlite3_bind_text(s, 1, host, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, channel, -1, SQLITE_STATIC);
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
        out = strdup((const char *)sqlite3_column_text(s, 0));
cleanup:
    sqlite3_finalize(s);
    return out;
}

int store_set_bookmark(struct store *st, const char *host, const char *channel,
                       const char *bookmark)
{
    sqlite3_stmt *s = NULL;
    int64_t hid;
    int rc;

    if (!store_run_id(st))
        return STORE_E_SQL;
    if ((rc = store_run_host_id(st, host, &hid)) != STORE_OK)
        return rc;
    rc = sqlite3_prepare_v2(store_db(st),
            "INSERT INTO bookmarks(host_id, channel, bookmark, updated_us)"
            " VALUES (?1, ?2, ?3, ?4) ON CONFLICT(host_id, channel) DO UPDATE"
            " SET bookmark = excluded.bookmark, updated_us = excluded.updated_us",
            -1, &s, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(s, 1, hid);
        sqlite3_bind_text(s, 2, channel, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 3, bookmark, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 4, store_now_us());
        rc = sqlite3_step(s);
    }
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? STORE_OK : STORE_E_SQL;
}

int store_add_fact(struct store *st, const char *host, const char *name,
                   const char *value)
{
    sqlite3_stmt *s = NULL;
    int64_t hid;
    int rc;

    if (!store_run_id(st))
        return STORE_E_SQL;
    if ((rc = store_run_host_id(st, host, &hid)) != STORE_OK)
        return rc;
    rc = sqlite3_prepare_v2(store_db(st),
            "INSERT INTO facts(host_id, run_id, time_us, name, value)"
            " VALUES (?1, ?2, ?3, ?4, ?5)", -1, &s, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(s, 1, hid);
        sqlite3_bind_int64(s, 2, store_run_id(st));
        sqlite3_bind_int64(s, 3, store_now_us());
        sqlite3_bind_text(s, 4, name, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 5, value, -1, SQLITE_STATIC);
        rc = sqlite3_step(s);
    }
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? STORE_OK : STORE_E_SQL;
}
