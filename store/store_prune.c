/*
 * store_prune.c - bound the growth of an audit database (`wudiag prune`):
 * delete what is older than a cutoff, in one transaction, but never the
 * latest run of a host nor its rows, and never the latest known state and
 * start type of a service nor the latest value of a fact (the report's
 * "current state" must not change because old evidence went away).
 * VACUUM gives the space back.
 */
#include "store/store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

enum counter {
    C_NONE, C_EVENTS, C_STATES, C_FACTS, C_COVERAGE, C_UNRELATED, C_FILES, C_RUNS, C_HOSTS,
    C_KEPT
};

/* In order; ?1 is the cutoff (microseconds). */
static const struct {
    enum counter counter;
    const char *sql;
} prune_steps[] = {
    {C_NONE, "CREATE TEMP TABLE IF NOT EXISTS prune_keep(run_id INTEGER PRIMARY KEY)"},
    {C_NONE, "CREATE TEMP TABLE IF NOT EXISTS prune_keep_states(id INTEGER PRIMARY KEY)"},
    {C_NONE, "CREATE TEMP TABLE IF NOT EXISTS prune_keep_facts(id INTEGER PRIMARY KEY)"},
    {C_NONE, "CREATE TEMP TABLE IF NOT EXISTS prune_used(run_id INTEGER PRIMARY KEY)"},
    {C_NONE, "CREATE TEMP TABLE IF NOT EXISTS prune_runs(run_id INTEGER PRIMARY KEY)"},
    {C_NONE, "DELETE FROM temp.prune_keep"},
    {C_NONE, "DELETE FROM temp.prune_keep_states"},
    {C_NONE, "DELETE FROM temp.prune_keep_facts"},
    {C_NONE, "DELETE FROM temp.prune_used"},
    {C_NONE, "DELETE FROM temp.prune_runs"},
    /* the latest run of each host: runs filed under it, or holding its rows */
    {C_KEPT,
     "INSERT OR IGNORE INTO temp.prune_keep(run_id)"
     " SELECT run_id FROM (SELECT hr.run_id, row_number() OVER"
     "   (PARTITION BY hr.host_id ORDER BY r.started_us DESC, r.id DESC) AS rn"
     "   FROM (SELECT host_id, id AS run_id FROM runs WHERE host_id IS NOT NULL"
     "         UNION SELECT host_id, run_id FROM events"
     "         UNION SELECT host_id, run_id FROM service_states"
     "         UNION SELECT host_id, run_id FROM facts) hr"
     "   JOIN runs r ON r.id = hr.run_id)"
     " WHERE rn = 1"},
    /* and the latest run of all, even one that found nothing */
    {C_KEPT,
     "INSERT OR IGNORE INTO temp.prune_keep(run_id)"
     " SELECT id FROM runs ORDER BY started_us DESC, id DESC LIMIT 1"},
    /* the latest state and the latest start type of each host's services */
    {C_NONE,
     "INSERT OR IGNORE INTO temp.prune_keep_states(id)"
     " SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY host_id,"
     "   lower(name) ORDER BY time_us DESC, id DESC) AS rn"
     "   FROM service_states WHERE state IS NOT NULL) WHERE rn = 1"},
    {C_NONE,
     "INSERT OR IGNORE INTO temp.prune_keep_states(id)"
     " SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY host_id,"
     "   lower(name) ORDER BY time_us DESC, id DESC) AS rn"
     "   FROM service_states WHERE start_type IS NOT NULL) WHERE rn = 1"},
    /* and the latest value of each host's facts */
    {C_NONE,
     "INSERT OR IGNORE INTO temp.prune_keep_facts(id)"
     " SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY host_id, name"
     "   ORDER BY time_us DESC, id DESC) AS rn FROM facts) WHERE rn = 1"},
    {C_EVENTS,
     "DELETE FROM events WHERE time_us < ?1"
     " AND run_id NOT IN (SELECT run_id FROM temp.prune_keep)"},
    {C_STATES,
     "DELETE FROM service_states WHERE time_us < ?1"
     " AND run_id NOT IN (SELECT run_id FROM temp.prune_keep)"
     " AND id NOT IN (SELECT id FROM temp.prune_keep_states)"},
    {C_FACTS,
     "DELETE FROM facts WHERE time_us < ?1"
     " AND run_id NOT IN (SELECT run_id FROM temp.prune_keep)"
     " AND id NOT IN (SELECT id FROM temp.prune_keep_facts)"},
    /* runs from before the cutoff that hold no rows any more */
    {C_NONE,
     "INSERT OR IGNORE INTO temp.prune_used(run_id)"
     " SELECT run_id FROM events UNION SELECT run_id FROM service_states"
     " UNION SELECT run_id FROM facts"},
    {C_NONE,
     "INSERT INTO temp.prune_runs(run_id) SELECT id FROM runs"
     " WHERE started_us < ?1"
     " AND id NOT IN (SELECT run_id FROM temp.prune_keep)"
     " AND id NOT IN (SELECT run_id FROM temp.prune_used)"},
    {C_COVERAGE,
     "DELETE FROM coverage WHERE run_id IN (SELECT run_id FROM temp.prune_runs)"},
    {C_UNRELATED,
     "DELETE FROM unrelated_counts"
     " WHERE run_id IN (SELECT run_id FROM temp.prune_runs)"},
    {C_FILES,
     "DELETE FROM imported_files WHERE run_id IN (SELECT run_id FROM temp.prune_runs)"},
    {C_NONE,
     "DELETE FROM merged_runs WHERE run_id IN (SELECT run_id FROM temp.prune_runs)"},
    {C_RUNS, "DELETE FROM runs WHERE id IN (SELECT run_id FROM temp.prune_runs)"},
    /* hosts left with nothing */
    {C_HOSTS,
     "DELETE FROM hosts WHERE NOT EXISTS (SELECT 1 FROM events e"
     "   WHERE e.host_id = hosts.id)"
     " AND NOT EXISTS (SELECT 1 FROM service_states s WHERE s.host_id = hosts.id)"
     " AND NOT EXISTS (SELECT 1 FROM facts f WHERE f.host_id = hosts.id)"
     " AND NOT EXISTS (SELECT 1 FROM bookmarks b WHERE b.host_id = hosts.id)"
     " AND id NOT IN (SELECT host_id FROM runs WHERE host_id IS NOT NULL)"},
};

static int status_of(int rc)
{
    switch (rc & 0xFF) {
    case SQLITE_OK: case SQLITE_DONE: return STORE_OK;
    case SQLITE_NOTADB: case SQLITE_CORRUPT: return STORE_E_NOTDB;
    case SQLITE_READONLY: return STORE_E_READONLY;
    case SQLITE_FULL: return STORE_E_FULL;
    case SQLITE_BUSY: case SQLITE_LOCKED: return STORE_E_BUSY;
    case SQLITE_NOMEM: return STORE_E_NOMEM;
    default: return STORE_E_SQL;
    }
}

int store_prune(struct store *st, int64_t cutoff_us, int dry_run,
                struct prune_stats *ps, char *err, size_t errlen)
{
    sqlite3 *db = store_db(st);
    sqlite3_stmt *s = NULL;
    int rc;

    memset(ps, 0, sizeof *ps);
    /*
     * Enforced foreign keys would scan events (no index on run_id) once
     * per deleted run.  The steps only delete runs nothing refers to, and
     * PRAGMA foreign_key_check proves it before COMMIT (one pass, primary
     * key lookups).  The pragma works only outside a transaction.
     */
    sqlite3_exec(db, "PRAGMA foreign_keys = OFF", NULL, NULL, NULL);
    if ((rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL)) != SQLITE_OK)
        goto fail;
    for (size_t i = 0; i < sizeof prune_steps / sizeof prune_steps[0]; i++) {
        long n;
        if ((rc = sqlite3_prepare_v2(db, prune_steps[i].sql, -1, &s, NULL)) != SQLITE_OK)
            goto fail;
        if (sqlite3_bind_parameter_count(s) >= 1)
            sqlite3_bind_int64(s, 1, cutoff_us);
        if ((rc = sqlite3_step(s)) != SQLITE_DONE)
            goto fail;
        sqlite3_finalize(s);
        s = NULL;
        n = (long)sqlite3_changes(db);
        switch (prune_steps[i].counter) {
        case C_EVENTS: ps->events = n; break;
        case C_STATES: ps->service_states = n; break;
        case C_FACTS: ps->facts = n; break;
        case C_COVERAGE: ps->coverage = n; break;
        case C_UNRELATED: ps->unrelated = n; break;
        case C_FILES: ps->files = n; break;
        case C_RUNS: ps->runs = n; break;
        case C_HOSTS: ps->hosts = n; break;
        case C_KEPT: ps->kept_runs += n; break;
        case C_NONE: break;
        }
    }
    if ((rc = sqlite3_prepare_v2(db, "PRAGMA foreign_key_check", -1, &s, NULL))
        != SQLITE_OK)
        goto fail;
    if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        snprintf(err, errlen, "pruning failed: it would leave rows of %s without "
                 "their %s", (const char *)sqlite3_column_text(s, 0),
                 (const char *)sqlite3_column_text(s, 2));
        sqlite3_finalize(s);
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
        return STORE_E_SQL;
    }
    if (rc != SQLITE_DONE)
        goto fail;
    sqlite3_finalize(s);
    s = NULL;
    rc = sqlite3_exec(db, dry_run ? "ROLLBACK" : "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        goto fail;
    sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
    return STORE_OK;
fail:
    snprintf(err, errlen, "pruning failed: %s", sqlite3_errmsg(db));
    sqlite3_finalize(s);
    if (!sqlite3_get_autocommit(db))
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
    return status_of(rc) ? status_of(rc) : STORE_E_SQL;
}

static int db_bytes(sqlite3 *db, int64_t *bytes)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(db, "SELECT page_count * page_size"
                                " FROM pragma_page_count(), pragma_page_size()",
                                -1, &s, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        *bytes = sqlite3_column_int64(s, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(s);
    return rc;
}

int store_vacuum(struct store *st, int64_t *before, int64_t *after, char *err,
                 size_t errlen)
{
    sqlite3 *db = store_db(st);
    int rc;

    *before = *after = 0;
    if ((rc = db_bytes(db, before)) != SQLITE_OK ||
        (rc = sqlite3_exec(db, "VACUUM", NULL, NULL, NULL)) != SQLITE_OK ||
        /* in WAL mode the file shrinks only at a checkpoint */
        (rc = sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL,
                           NULL)) != SQLITE_OK ||
        (rc = db_bytes(db, after)) != SQLITE_OK) {
        snprintf(err, errlen, "vacuum failed: %s", sqlite3_errmsg(db));
        return status_of(rc) ? status_of(rc) : STORE_E_SQL;
    }
    return STORE_OK;
}
