/*
 * store_export.c - stream stored events out one by one (`wudiag export`).
 *
 * One prepared statement walks the hosts by name and each host's events
 * through the events_host_time index, so rows come out in order without a
 * sort and memory stays constant however many events there are.  A host
 * whose name holds a NUL byte (a poisoned database) is left out, as from
 * every listing (store_list_hosts_checked names it).  The
 * caller formats each flat struct export_event; no SQL leaves this file.
 */
#include "store/store.h"
#include "vocab/model.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct store_export {
    sqlite3 *db;
    sqlite3_stmt *s;
    char err[512];
};

static const char *const export_sql =
    "SELECT e.id, e.time_us, h.name, e.channel, e.provider, e.event_id, e.level,"
    " e.record_id, e.computer, e.service, e.code, e.update_title, e.update_guid,"
    " e.kb, e.message, e.run_id, e.kind, e.outcome"
    " FROM hosts h JOIN events e ON e.host_id = h.id"
    " WHERE (?1 IS NULL OR h.name = ?1) AND e.time_us >= ?2 AND e.time_us <= ?3"
    /* a host whose name holds a NUL byte is left out, as store_list_hosts does */
    "   AND instr(CAST(h.name AS BLOB), X'00') = 0"
    " ORDER BY h.name, e.time_us, e.id";

int store_export_begin(struct store *st, const struct export_query *q,
                       struct store_export **out, char *err, size_t errlen)
{
    struct store_export *x = calloc(1, sizeof *x);
    int rc;

    *out = NULL;
    if (!x) {
        snprintf(err, errlen, "out of memory");
        return STORE_E_NOMEM;
    }
    x->db = store_db(st);
    rc = sqlite3_prepare_v2(x->db, export_sql, -1, &x->s, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "reading the database: %s", sqlite3_errmsg(x->db));
        free(x);
        return (rc & 0xFF) == SQLITE_NOMEM ? STORE_E_NOMEM : STORE_E_SQL;
    }
    if (q->host)
        sqlite3_bind_text(x->s, 1, q->host, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(x->s, 2, q->since_us ? q->since_us : INT64_MIN);
    sqlite3_bind_int64(x->s, 3, q->until_us ? q->until_us : INT64_MAX);
    *out = x;
    return STORE_OK;
}

static const char *text(sqlite3_stmt *s, int i)
{
    return (const char *)sqlite3_column_text(s, i);
}

int store_export_next(struct store_export *x, struct export_event *ev)
{
    sqlite3_stmt *s = x->s;
    int rc = sqlite3_step(s);

    if (rc == SQLITE_DONE)
        return 0;
    if (rc != SQLITE_ROW) {
        snprintf(x->err, sizeof x->err, "reading the database: %s",
                 sqlite3_errmsg(x->db));
        return -1;
    }
    memset(ev, 0, sizeof *ev);
    ev->id = sqlite3_column_int64(s, 0);
    /* a damaged DB may hold any time: keep to what a log can (model.h) */
    ev->time_us = model_clamp_time(sqlite3_column_int64(s, 1));
    ev->host = text(s, 2);
    ev->channel = text(s, 3);
    ev->provider = text(s, 4);
    ev->event_id = sqlite3_column_int(s, 5);
    ev->level = sqlite3_column_int(s, 6);
    ev->record_id = sqlite3_column_int64(s, 7);
    ev->computer = text(s, 8);
    ev->service = text(s, 9);
    if (sqlite3_column_type(s, 10) != SQLITE_NULL) {
        ev->has_code = 1;
        ev->code = (uint32_t)sqlite3_column_int64(s, 10);
    }
    ev->update_title = text(s, 11);
    ev->update_guid = text(s, 12);
    ev->kb = text(s, 13);
    ev->message = text(s, 14);
    ev->run_id = sqlite3_column_int64(s, 15);
    ev->kind = ev_kind_parse(text(s, 16));
    ev->outcome = ev_outcome_parse(text(s, 17));
    if (!ev->host || !ev->provider) {
        /* NOT NULL columns: NULL here means sqlite could not allocate */
        snprintf(x->err, sizeof x->err, "out of memory reading the database");
        return -1;
    }
    return 1;
}

const char *store_export_error(struct store_export *x)
{
    return x->err;
}

void store_export_end(struct store_export *x)
{
    if (!x)
        return;
    sqlite3_finalize(x->s);
    free(x);
}
