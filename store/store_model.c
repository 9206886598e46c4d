/*
 * store_model.c - read the report model of one host out of the database.
 *
 * The SQL that shapes events for the diagnosis lives here and only here:
 * events in the range, every service observation up to the range's end (the
 * state before the range still counts), and the coverage of the host's runs;
 * optionally only what the runs up to one run had stored (store_load_model_as_of: the
 * evidence as it stood then, for `wudiag compare`).
 */
#include "store/store.h"
#include "vocab/model.h"
#include "store/store_int.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define END_OF_TIME INT64_MAX

static const char *col(sqlite3_stmt *s, int i)
{
    return (const char *)sqlite3_column_text(s, i);
}

/* Append a copy of v to the list *v of *cnt (capacity *cap); 0 or -1. */
static int list_add(char ***v, size_t *cnt, size_t *cap, const char *s)
{
    if (*cnt == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        char **r = realloc(*v, nc * sizeof **v);
        if (!r)
            return -1;
        *v = r;
        *cap = nc;
    }
    if (!((*v)[*cnt] = strdup(s)))
        return -1;
    (*cnt)++;
    return 0;
}

int store_list_hosts_checked(struct store *st, char ***names, size_t *n,
                             char ***badp, size_t *nbadp)
{
    sqlite3_stmt *s = NULL;
    char **v = NULL, **bad = NULL;
    size_t cnt = 0, cap = 0, nbad = 0, capbad = 0;
    int rc;

    *names = NULL;
    *n = 0;
    if (badp) {
        *badp = NULL;
        *nbadp = 0;
    }
    rc = sqlite3_prepare_v2(store_db(st),
        "SELECT id, name FROM hosts h WHERE EXISTS (SELECT 1 FROM events e"
        " WHERE e.host_id = h.id) OR EXISTS (SELECT 1 FROM service_states s"
        " WHERE s.host_id = h.id) ORDER BY name", -1, &s, NULL);
    if (rc != SQLITE_OK)
        goto fail;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *name = col(s, 1);
        int bytes = sqlite3_column_bytes(s, 1);
        if (name && strlen(name) == (size_t)bytes) {
            if (list_add(&v, &cnt, &cap, name))
                goto nomem;
            continue;
        }
        /* "EVIL\0X" would be looked up as "EVIL": another host, or none */
        if (badp) {
            char why[96];
            snprintf(why, sizeof why, "host #%lld: %s", (long long)sqlite3_column_int64(s, 0),
                     name ? "its name holds a NUL byte" : "it has no name");
            if (list_add(&bad, &nbad, &capbad, why))
                goto nomem;
        }
    }
    if (rc != SQLITE_DONE)
        goto fail;
    sqlite3_finalize(s);
    *names = v;
    *n = cnt;
    if (badp) {
        *badp = bad;
        *nbadp = nbad;
    }
    return STORE_OK;
nomem:
    sqlite3_finalize(s);
    store_free_list(v, cnt);
    store_free_list(bad, nbad);
    return STORE_E_NOMEM;
fail:
    sqlite3_finalize(s);
    store_free_list(v, cnt);
    store_free_list(bad, nbad);
    return STORE_E_SQL;
}

int store_list_hosts(struct store *st, char ***names, size_t *n)
{
    return store_list_hosts_checked(st, names, n, NULL, NULL);
}

void store_free_list(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

static const char *const host_sql = "SELECT id, name FROM hosts WHERE name = ?1";

static const char *const events_sql =
    "SELECT time_us, record_id, event_id, level, provider, channel, service,"
    " code, update_title, update_guid, kb, detail, kind, outcome"
    " FROM events WHERE host_id = ?1 AND time_us >= ?2 AND time_us <= ?3"
    " ORDER BY time_us, id";

static const char *const obs_sql =
    "SELECT name, display_name, state, start_type, origin, time_us"
    " FROM service_states WHERE host_id = ?1 AND time_us <= ?3"
    " ORDER BY time_us, id";

static const char *const facts_sql =
    "SELECT name, value, time_us FROM facts WHERE host_id = ?1 AND time_us <= ?3"
    " ORDER BY time_us, id";

/*
 * The runs of a host's coverage: its own runs and every run that stored one
 * of its events.  The second set is a skip scan of events_host_run
 * (migration 008): each step seeks the smallest run id after the last one,
 * so it costs one seek per run, not one row per event.
 */
#define HOST_RUNS \
    " WHERE r.id IN (SELECT id FROM runs WHERE host_id = ?1" \
    "   UNION ALL SELECT run_id FROM (WITH RECURSIVE x(run_id) AS" \
    "     (SELECT (SELECT min(run_id) FROM events WHERE host_id = ?1)" \
    "      UNION ALL SELECT (SELECT min(run_id) FROM events" \
    "                        WHERE host_id = ?1 AND run_id > x.run_id)" \
    "      FROM x WHERE x.run_id IS NOT NULL)" \
    "   SELECT run_id FROM x WHERE run_id IS NOT NULL))"

static const char *const cov_sql =
    "SELECT c.run_id, r.started_us, c.source, c.status, c.detail"
    " FROM runs r JOIN coverage c ON c.run_id = r.id"
    HOST_RUNS " ORDER BY c.id";

/*
 * The same four, as of a run (store_load_model_as_of): only rows stored by
 * that run or one started before it (?4 its start time, ?5 its id).
 */
#define UP_TO_RUN(col) " AND " col " IN (SELECT id FROM runs WHERE started_us < ?4" \
    " OR (started_us = ?4 AND id <= ?5))"

static const char *const events_asof_sql =
    "SELECT time_us, record_id, event_id, level, provider, channel, service,"
    " code, update_title, update_guid, kb, detail, kind, outcome"
    " FROM events WHERE host_id = ?1 AND time_us >= ?2 AND time_us <= ?3"
    UP_TO_RUN("run_id") " ORDER BY time_us, id";

static const char *const obs_asof_sql =
    "SELECT name, display_name, state, start_type, origin, time_us"
    " FROM service_states WHERE host_id = ?1 AND time_us <= ?3"
    UP_TO_RUN("run_id") " ORDER BY time_us, id";

static const char *const facts_asof_sql =
    "SELECT name, value, time_us FROM facts WHERE host_id = ?1 AND time_us <= ?3"
    UP_TO_RUN("run_id") " ORDER BY time_us, id";

static const char *const cov_asof_sql =
    "SELECT c.run_id, r.started_us, c.source, c.status, c.detail"
    " FROM runs r JOIN coverage c ON c.run_id = r.id"
    HOST_RUNS UP_TO_RUN("r.id") " ORDER BY c.id";

static const char *const run_start_sql = "SELECT started_us FROM runs WHERE id = ?1";

/* The cached statement for sql, with ?1 host id, ?2 since, ?3 until bound
 * (those it uses).  Not finalized by the caller: the store keeps it. */
static int prep(struct store *st, const char *sql, sqlite3_int64 hid,
                int64_t since, int64_t until, sqlite3_stmt **s)
{
    if (!(*s = store_cached_stmt(st, sql)))
        return SQLITE_ERROR;
    store_bind_host_range(*s, hid, since, until);
    return SQLITE_OK;
}

/* The run a model is loaded as of: its start time and id. */
struct asof {
    int64_t run_id, started_us;
};

/* prep() of plain (no run limit) or limited (?4 ?5: the run) SQL. */
static int prep_q(struct store *st, const char *plain, const char *limited,
                  const struct asof *a, sqlite3_int64 hid, int64_t since,
                  int64_t until, sqlite3_stmt **s)
{
    int rc = prep(st, a->run_id ? limited : plain, hid, since, until, s);
    if (rc == SQLITE_OK && a->run_id) {
        sqlite3_bind_int64(*s, 4, a->started_us);
        sqlite3_bind_int64(*s, 5, a->run_id);
    }
    return rc;
}

/*
 * Copy a column that repeats from row to row (provider, channel, service,
 * an update's title, GUID and KB): reuse the previous copy when the text is
 * the same.  *oom is set when a copy could not be made.
 */
static const char *dup_repeat(struct model *m, sqlite3_stmt *s, int i,
                              const char **prev, int *oom)
{
    const char *v = col(s, i);
    if (!v)
        return NULL;
    if (*prev && strcmp(*prev, v) == 0)
        return *prev;
    if (!(*prev = model_strdup(m, v)))
        *oom = 1;
    return *prev;
}

static int load_model(struct store *st, const struct model_query *q, int64_t as_of_run,
                      struct model **out, char *err, size_t errlen);

int store_load_model(struct store *st, const struct model_query *q,
                     struct model **out, char *err, size_t errlen)
{
    return load_model(st, q, 0, out, err, errlen);
}

int store_load_model_as_of(struct store *st, const struct model_query *q, int64_t run_id,
                           struct model **out, char *err, size_t errlen)
{
    return load_model(st, q, run_id, out, err, errlen);
}

static int load_model(struct store *st, const struct model_query *q, int64_t as_of_run,
                      struct model **out, char *err, size_t errlen)
{
    const char *prev_provider = NULL, *prev_channel = NULL, *prev_service = NULL;
    const char *prev_title = NULL, *prev_guid = NULL, *prev_kb = NULL, *prev_detail = NULL;
    const char *family_of = NULL;       /* the provider prev_family is of */
    enum ev_family prev_family = EF_OTHER;
    int oom = 0;
    sqlite3 *db = store_db(st);
    sqlite3_stmt *s = NULL;
    struct model *m = NULL;
    sqlite3_int64 hid = 0;
    /* 0 = from the beginning: that includes times before 1970 (1601 is
     * what a zero FILETIME reads as) */
    int64_t since = q->since_us ? q->since_us : INT64_MIN;
    int64_t until = q->until_us ? q->until_us : END_OF_TIME;
    int rc, status = STORE_E_SQL;
    struct asof asof = {0, 0};

    *out = NULL;
    if (as_of_run) {
        if (!(s = store_cached_stmt(st, run_start_sql)))
            goto sqlfail;
        sqlite3_bind_int64(s, 1, as_of_run);
        rc = sqlite3_step(s);
        if (rc != SQLITE_ROW) {
            if (rc != SQLITE_DONE)
                goto sqlfail;
            snprintf(err, errlen, "no run %lld in the database", (long long)as_of_run);
            status = STORE_E_SQL;
            goto cleanup;
        }
        asof.run_id = as_of_run;
        asof.started_us = sqlite3_column_int64(s, 0);
        sqlite3_reset(s);
        s = NULL;
    }
    if (!(s = store_cached_stmt(st, host_sql)))
        goto sqlfail;
    sqlite3_bind_text(s, 1, q->host, -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        if (rc != SQLITE_DONE)
            goto sqlfail;
        snprintf(err, errlen, "no host named '%s' in the database", q->host);
        status = STORE_E_SQL;
        goto cleanup;
    }
    hid = sqlite3_column_int64(s, 0);
    if (!(m = model_new()))
        goto nomem;
    if (!(m->host = model_strdup(m, col(s, 1))))
        goto nomem;
    sqlite3_reset(s);
    s = NULL;
    m->generated_us = model_clamp_time(q->now_us);
    m->from_us = q->since_us;
    m->to_us = q->until_us;

    if ((rc = prep_q(st, events_sql, events_asof_sql, &asof, hid, since, until, &s)) != SQLITE_OK)
        goto sqlfail;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct m_event *e = model_add_event(m);
        if (!e)
            goto nomem;
        e->time_us = model_clamp_time(sqlite3_column_int64(s, 0));
        e->record_id = sqlite3_column_int64(s, 1);
        e->event_id = sqlite3_column_int(s, 2);
        e->level = sqlite3_column_int(s, 3);
        e->provider = dup_repeat(m, s, 4, &prev_provider, &oom);
        e->channel = dup_repeat(m, s, 5, &prev_channel, &oom);
        e->service = dup_repeat(m, s, 6, &prev_service, &oom);
        if (e->provider != family_of) {
            prev_family = ev_family_of(e->provider);
            family_of = e->provider;
        }
        e->family = prev_family;
        e->kind = ev_kind_parse(col(s, 12));
        e->outcome = ev_outcome_parse(col(s, 13));
        e->classified = 1;
        if (sqlite3_column_type(s, 7) != SQLITE_NULL) {
            e->has_code = 1;
            e->code = (uint32_t)sqlite3_column_int64(s, 7);
        }
        /* an update's events follow each other: title, GUID, KB repeat */
        e->title = dup_repeat(m, s, 8, &prev_title, &oom);
        e->guid = dup_repeat(m, s, 9, &prev_guid, &oom);
        e->kb = dup_repeat(m, s, 10, &prev_kb, &oom);
        e->detail = dup_repeat(m, s, 11, &prev_detail, &oom);
        if (!e->provider || !e->channel || oom)
            goto nomem;
        if (!m->first_us || e->time_us < m->first_us)
            m->first_us = e->time_us;
        if (e->time_us > m->last_us)
            m->last_us = e->time_us;
    }
    if (rc != SQLITE_DONE)
        goto sqlfail;
    sqlite3_reset(s);
    s = NULL;

    if ((rc = prep_q(st, obs_sql, obs_asof_sql, &asof, hid, since, until, &s)) != SQLITE_OK)
        goto sqlfail;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct m_service *o = model_add_observation(m);
        if (!o)
            goto nomem;
        o->name = model_strdup(m, col(s, 0));
        o->display = model_strdup(m, col(s, 1));
        o->state = model_strdup(m, col(s, 2));
        o->start_type = model_strdup(m, col(s, 3));
        o->origin = model_strdup(m, col(s, 4));
        o->time_us = model_clamp_time(sqlite3_column_int64(s, 5));
        if (!o->name || !o->origin)
            goto nomem;
    }
    if (rc != SQLITE_DONE)
        goto sqlfail;
    sqlite3_reset(s);
    s = NULL;

    if ((rc = prep_q(st, facts_sql, facts_asof_sql, &asof, hid, since, until, &s)) != SQLITE_OK)
        goto sqlfail;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct m_fact *f = model_add_fact(m);
        if (!f)
            goto nomem;
        f->name = model_strdup(m, col(s, 0));
        f->value = model_strdup(m, col(s, 1));
        f->time_us = model_clamp_time(sqlite3_column_int64(s, 2));
        if (!f->name)
            goto nomem;
    }
    if (rc != SQLITE_DONE)
        goto sqlfail;
    sqlite3_reset(s);
    s = NULL;
    {
        const struct m_fact *os = model_fact(m, "os");
        if (os)
            m->os = os->value;
    }

    if ((rc = prep_q(st, cov_sql, cov_asof_sql, &asof, hid, since, until, &s)) != SQLITE_OK)
        goto sqlfail;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct m_coverage *c = model_add_coverage(m);
        if (!c)
            goto nomem;
        c->run_id = sqlite3_column_int64(s, 0);
        c->time_us = model_clamp_time(sqlite3_column_int64(s, 1));
        c->source = model_strdup(m, col(s, 2));
        c->status = model_strdup(m, col(s, 3));
        c->detail = model_strdup(m, col(s, 4));
        if (!c->source || !c->status)
            goto nomem;
    }
    if (rc != SQLITE_DONE)
        goto sqlfail;
    sqlite3_reset(s);
    if (model_detect_os(m))
        goto nomem;
    *out = m;
    return STORE_OK;

nomem:
    snprintf(err, errlen, "out of memory loading the report model");
    status = STORE_E_NOMEM;
    goto cleanup;
sqlfail:
    snprintf(err, errlen, "reading the database: %s", sqlite3_errmsg(db));
    status = STORE_E_SQL;
cleanup:
    if (s)
        sqlite3_reset(s);
    model_free(m);
    return status;
}
