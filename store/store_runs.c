/*
 * store_runs.c - the runs that stored evidence for one host, in the order
 * they started, with how many rows of that host each stored: the points
 * `wudiag compare` can compare (the evidence as of a run:
 * store_load_model_as_of).
 *
 * A run belongs to a host when it stored an event, a service state or a
 * fact of it (a run of a multi-host import belongs to each of its hosts);
 * one grouped scan per table counts the rows, whatever the number of runs.
 */
#include "store/store.h"
#include "store/store_int.h"
#include "util/grow.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const runs_sql =
    "SELECT r.id, r.kind, r.source, r.started_us, coalesce(r.finished_us, 0)"
    " FROM runs r WHERE r.id IN (SELECT run_id FROM events WHERE host_id = ?1"
    "   UNION SELECT run_id FROM service_states WHERE host_id = ?1"
    "   UNION SELECT run_id FROM facts WHERE host_id = ?1)"
    " ORDER BY r.started_us, r.id";

/* Per table: rows of the host per run. */
static const char *const count_sql[3] = {
    "SELECT run_id, count(*) FROM events WHERE host_id = ?1 GROUP BY run_id",
    "SELECT run_id, count(*) FROM service_states WHERE host_id = ?1 GROUP BY run_id",
    "SELECT run_id, count(*) FROM facts WHERE host_id = ?1 GROUP BY run_id",
};

void store_free_runs(struct store_run *runs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(runs[i].kind);
        free(runs[i].source);
    }
    free(runs);
}

static char *dup_col(sqlite3_stmt *s, int i)
{
    const char *v = (const char *)sqlite3_column_text(s, i);
    return strdup(v ? v : "");
}

int store_list_runs(struct store *st, const char *host, struct store_run **out,
                    size_t *nout, char *err, size_t errlen)
{
    sqlite3 *db = store_db(st);
    sqlite3_stmt *s = NULL;
    struct store_run *v = NULL;
    size_t n = 0, cap = 0;
    sqlite3_int64 hid;
    int rc, status = STORE_E_SQL;

    *out = NULL;
    *nout = 0;
    if (sqlite3_prepare_v2(db, "SELECT id FROM hosts WHERE name = ?1", -1, &s,
                           NULL) != SQLITE_OK)
        goto sqlfail;
    sqlite3_bind_text(s, 1, host, -1, SQLITE_STATIC);
    if ((rc = sqlite3_step(s)) != SQLITE_ROW) {
        if (rc != SQLITE_DONE)
            goto sqlfail;
        snprintf(err, errlen, "no host named '%s' in the database", host);
        goto cleanup;
    }
    hid = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    s = NULL;

    if (sqlite3_prepare_v2(db, runs_sql, -1, &s, NULL) != SQLITE_OK)
        goto sqlfail;
    sqlite3_bind_int64(s, 1, hid);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (wu_grow(&v, n, &cap, sizeof *v) != 0)
            goto nomem;
        struct store_run *r = &v[n];
        memset(r, 0, sizeof *r);
        n++;
        r->id = sqlite3_column_int64(s, 0);
        r->kind = dup_col(s, 1);
        r->source = dup_col(s, 2);
        r->started_us = sqlite3_column_int64(s, 3);
        r->finished_us = sqlite3_column_int64(s, 4);
        if (!r->kind || !r->source)
            goto nomem;
    }
    if (rc != SQLITE_DONE)
        goto sqlfail;
    sqlite3_finalize(s);
    s = NULL;

    for (int t = 0; t < 3; t++) {
        if (sqlite3_prepare_v2(db, count_sql[t], -1, &s, NULL) != SQLITE_OK)
            goto sqlfail;
        sqlite3_bind_int64(s, 1, hid);
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            int64_t id = sqlite3_column_int64(s, 0);
            long c = (long)sqlite3_column_int64(s, 1);
            for (size_t i = 0; i < n; i++) {
                if (v[i].id != id)
                    continue;
                if (t == 0)
                    v[i].events = c;
                else if (t == 1)
                    v[i].service_states = c;
                else
                    v[i].facts = c;
                break;
            }
        }
        if (rc != SQLITE_DONE)
            goto sqlfail;
        sqlite3_finalize(s);
        s = NULL;
    }
    *out = v;
    *nout = n;
    return STORE_OK;

nomem:
    snprintf(err, errlen, "out of memory listing the runs");
    status = STORE_E_NOMEM;
    goto cleanup;
sqlfail:
    snprintf(err, errlen, "reading the runs: %s", sqlite3_errmsg(db));
    status = STORE_E_SQL;
cleanup:
    sqlite3_finalize(s);
    store_free_runs(v, n);
    return status;
}
