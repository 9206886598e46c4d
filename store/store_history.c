/*
 * store_history.c - the history of one host per day or ISO week (`wudiag
 * history`): events, failures by code, successful installs and the last
 * one so far, and every change of an update service's state or start type.
 *
 * SQL groups by UTC day; weeks are summed from days here.  A failure is
 * what the report's chart counts: a WindowsUpdateClient scan, download or
 * install failure (16, 25, 31, 20) with a code, or an error-level event of
 * another provider with a code.  Service changes come from service_states
 * in time order per service: a state (or start type) that differs from the
 * previous one seen for that service, whatever the run that recorded it.
 */
#include "store/store.h"
#include "store/store_int.h"
#include "util/grow.h"
#include "util/timeutil.h"
#include "vocab/model.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct history_pool {
    char **v;
    size_t n, cap;
};

/* The stored meaning of an event (vocab/semantics.h): a failure as
 * ev_is_failure() says, and a successful install. */
#define IS_FAILURE "(code IS NOT NULL AND outcome = 'failed')"
#define IS_INSTALL "(kind = 'install' AND outcome = 'succeeded')"
#define DAY_OF "(CASE WHEN time_us >= 0 THEN time_us / 86400000000" \
    " ELSE (time_us + 1) / 86400000000 - 1 END)"
#define IN_RANGE "host_id = ?1 AND time_us >= ?2 AND time_us <= ?3"

static const char *const days_sql =
    "SELECT " DAY_OF " AS day, count(*), sum(" IS_FAILURE "), sum(" IS_INSTALL ")"
    " FROM events WHERE " IN_RANGE " GROUP BY day ORDER BY day";

static const char *const codes_sql =
    "SELECT " DAY_OF " AS day, code, count(*) FROM events"
    " WHERE " IN_RANGE " AND " IS_FAILURE " GROUP BY day, code";

/* bare columns take their values from the row of max(time_us) */
static const char *const installs_sql =
    "SELECT " DAY_OF " AS day, max(time_us), coalesce(kb, update_title, update_guid)"
    " FROM events WHERE " IN_RANGE " AND " IS_INSTALL " GROUP BY day";

static const char *const install_before_sql =
    "SELECT time_us, coalesce(kb, update_title, update_guid) FROM events"
    " WHERE host_id = ?1 AND time_us < ?2 AND " IS_INSTALL
    " ORDER BY time_us DESC LIMIT 1";

static const char *const states_sql =
    "SELECT time_us, name, state, start_type FROM service_states"
    " WHERE host_id = ?1 AND time_us <= ?3"
    " ORDER BY name COLLATE NOCASE, time_us, id";

/* ---- allocation --------------------------------------------------------- */

static const char *pool_dup(struct history *h, const char *s)
{
    struct history_pool *p = h->pool;
    char *c;

    if (!s)
        return NULL;
    if (wu_grow(&p->v, p->n, &p->cap, sizeof *p->v) != 0)
        return NULL;
    if (!(c = strdup(s)))
        return NULL;
    return p->v[p->n++] = c;
}

/* Room for one more element in an array whose capacity is implied by n:
 * it grows at 0 and at every power of two. */
static int grow(void **arr, size_t n, size_t size)
{
    if (n == 0 || (n & (n - 1)) == 0) {
        size_t nc = n ? n * 2 : 4;
        void *a = realloc(*arr, nc * size);
        if (!a)
            return -1;
        *arr = a;
    }
    return 0;
}

void store_history_free(struct history *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->nperiods; i++) {
        free(h->periods[i].codes);
        free(h->periods[i].changes);
    }
    free(h->periods);
    if (h->pool) {
        for (size_t i = 0; i < h->pool->n; i++)
            free(h->pool->v[i]);
        free(h->pool->v);
        free(h->pool);
    }
    free(h);
}

/* ---- periods -------------------------------------------------------------- */

/* First day (days since 1970-01-01) of the period holding day. */
static int64_t period_day(int64_t day, int period_days)
{
    if (period_days == 7)   /* 1970-01-01 was a Thursday: Monday is day 4 */
        return wu_floor_div(day + 3, 7) * 7 - 3;
    return day;
}

/* The period starting at start_us, added (zeroed) when missing; NULL on OOM.
 * Periods stay sorted; there are few (one per day at most). */
static struct history_period *period_at(struct history *h, int64_t start_us,
                                        size_t *cap)
{
    size_t lo = 0, hi = h->nperiods;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (h->periods[mid].start_us < start_us)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < h->nperiods && h->periods[lo].start_us == start_us)
        return &h->periods[lo];
    if (wu_grow(&h->periods, h->nperiods, cap, sizeof *h->periods) != 0)
        return NULL;
    memmove(&h->periods[lo + 1], &h->periods[lo],
            (h->nperiods - lo) * sizeof *h->periods);
    h->nperiods++;
    memset(&h->periods[lo], 0, sizeof h->periods[lo]);
    h->periods[lo].start_us = start_us;
    return &h->periods[lo];
}

static struct history_period *period_of_day(struct history *h, int64_t day,
                                            int period_days, size_t *cap)
{
    /* a damaged DB may hold any time: keep to the days a log can (model.h) */
    if (day < MODEL_TIME_MIN / WU_DAY_US)
        day = MODEL_TIME_MIN / WU_DAY_US;
    else if (day > MODEL_TIME_MAX / WU_DAY_US)
        day = MODEL_TIME_MAX / WU_DAY_US;
    return period_at(h, period_day(day, period_days) * WU_DAY_US, cap);
}

static int add_code(struct history_period *p, uint32_t code, long count)
{
    for (size_t i = 0; i < p->ncodes; i++)
        if (p->codes[i].code == code) {
            p->codes[i].count += count;
            return 0;
        }
    if (grow((void **)&p->codes, p->ncodes, sizeof *p->codes))
        return -1;
    p->codes[p->ncodes].code = code;
    p->codes[p->ncodes].count = count;
    p->ncodes++;
    return 0;
}

static int cmp_change(const void *a, const void *b)
{
    const struct history_change *x = a, *y = b;
    if (x->time_us != y->time_us)
        return x->time_us < y->time_us ? -1 : 1;
    return strcasecmp(x->service, y->service);
}

static int cmp_code(const void *a, const void *b)
{
    const struct history_code *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return x->code < y->code ? -1 : x->code > y->code;
}

/* ---- service changes --------------------------------------------------- */

struct svc_track {
    char *name;
    char *state;
    char *start;
};

static int set_str(char **dst, const char *v)
{
    char *c = strdup(v);
    if (!c)
        return -1;
    free(*dst);
    *dst = c;
    return 0;
}

static int add_change(struct history *h, struct history_period *p, int64_t t,
                      const char *svc, const char *what, const char *from,
                      const char *to)
{
    struct history_change *c;
    if (grow((void **)&p->changes, p->nchanges, sizeof *p->changes))
        return -1;
    c = &p->changes[p->nchanges];
    c->time_us = t;
    c->what = what;
    if (!(c->service = pool_dup(h, svc)) || !(c->from = pool_dup(h, from)) ||
        !(c->to = pool_dup(h, to)))
        return -1;
    p->nchanges++;
    return 0;
}

/* ---- loading ------------------------------------------------------------ */

static int prep(sqlite3 *db, const char *sql, sqlite3_int64 hid, int64_t since,
                int64_t until, sqlite3_stmt **s)
{
    int rc = sqlite3_prepare_v2(db, sql, -1, s, NULL);
    if (rc != SQLITE_OK)
        return rc;
    store_bind_host_range(*s, hid, since, until);
    return SQLITE_OK;
}

static const char *col(sqlite3_stmt *s, int i)
{
    return (const char *)sqlite3_column_text(s, i);
}

int store_load_history(struct store *st, const struct history_query *q,
                       struct history **out, char *err, size_t errlen)
{
    sqlite3 *db = store_db(st);
    sqlite3_stmt *s = NULL;
    struct history *h = NULL;
    struct history_period *p;
    struct svc_track tr = {NULL, NULL, NULL};
    sqlite3_int64 hid;
    int64_t since = q->since_us ? q->since_us : INT64_MIN;
    int64_t until = q->until_us ? q->until_us : INT64_MAX;
    int64_t last_us = 0;
    const char *last_what = NULL;
    int pd = q->period_days == 7 ? 7 : 1;
    size_t cap = 0;
    int rc, status = STORE_E_SQL;

    *out = NULL;
    rc = sqlite3_prepare_v2(db, "SELECT id, name FROM hosts WHERE name = ?1", -1,
                            &s, NULL);
    if (rc != SQLITE_OK)
        goto sqlfail;
    sqlite3_bind_text(s, 1, q->host, -1, SQLITE_STATIC);
    if ((rc = sqlite3_step(s)) != SQLITE_ROW) {
        if (rc != SQLITE_DONE)
            goto sqlfail;
        snprintf(err, errlen, "no host named '%s' in the database", q->host);
        goto cleanup;
    }
    hid = sqlite3_column_int64(s, 0);
    if (!(h = calloc(1, sizeof *h)) || !(h->pool = calloc(1, sizeof *h->pool)) ||
        !(h->host = pool_dup(h, col(s, 1) ? col(s, 1) : q->host)))
        goto nomem;
    sqlite3_finalize(s);
    s = NULL;

    /* events, failures and installs per day */
    if ((rc = prep(db, days_sql, hid, since, until, &s)) != SQLITE_OK)
        goto sqlfail;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (!(p = period_of_day(h, sqlite3_column_int64(s, 0), pd, &cap)))
            goto nomem;
        p->events += (long)sqlite3_column_int64(s, 1);
        p->failures += (long)sqlite3_column_int64(s, 2);
        p->installs += (long)sqlite3_column_int64(s, 3);
    }
    if (rc != SQLITE_DONE)
        goto sqlfail;
    sqlite3_finalize(s);
    s = NULL;

    if ((rc = prep(db, codes_sql, hid, since, until, &s)) != SQLITE_OK)
        goto sqlfail;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (!(p = period_of_day(h, sqlite3_column_int64(s, 0), pd, &cap)) ||
            add_code(p, (uint32_t)sqlite3_column_int64(s, 1),
                     (long)sqlite3_column_int64(s, 2)))
            goto nomem;
    }
    if (rc != SQLITE_DONE)
        goto sqlfail;
    sqlite3_finalize(s);
    s = NULL;

    /* the latest install of each period (cumulated below) */
    if ((rc = prep(db, installs_sql, hid, since, until, &s)) != SQLITE_OK)
        goto sqlfail;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t t = sqlite3_column_int64(s, 1);
        if (!(p = period_of_day(h, sqlite3_column_int64(s, 0), pd, &cap)))
            goto nomem;
        if (t >= p->last_install_us || !p->last_install_us) {
            p->last_install_us = t;
            p->last_install = pool_dup(h, col(s, 2));
            if (col(s, 2) && !p->last_install)
                goto nomem;
        }
    }
    if (rc != SQLITE_DONE)
        goto sqlfail;
    sqlite3_finalize(s);
    s = NULL;

    if (q->since_us) {
        if ((rc = prep(db, install_before_sql, hid, since, until, &s)) != SQLITE_OK)
            goto sqlfail;
        rc = sqlite3_step(s);
        if (rc == SQLITE_ROW) {
            last_us = sqlite3_column_int64(s, 0);
            if (col(s, 1) && !(last_what = pool_dup(h, col(s, 1))))
                goto nomem;
        } else if (rc != SQLITE_DONE) {
            goto sqlfail;
        }
        sqlite3_finalize(s);
        s = NULL;
    }

    /* service changes: every observation up to the end, so the state before
     * the range is the baseline of the first change in it */
    if ((rc = prep(db, states_sql, hid, since, until, &s)) != SQLITE_OK)
        goto sqlfail;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t t = sqlite3_column_int64(s, 0);
        const char *name = col(s, 1), *state = col(s, 2), *start = col(s, 3);
        if (!name)
            continue;
        if (!tr.name || strcasecmp(tr.name, name) != 0) {
            free(tr.state);
            free(tr.start);
            tr.state = tr.start = NULL;
            if (set_str(&tr.name, name))
                goto nomem;
        }
        for (int k = 0; k < 2; k++) {
            const char *v = k ? start : state;
            char **last = k ? &tr.start : &tr.state;
            if (!v || !*v)
                continue;
            if (*last && strcmp(*last, v) != 0 && t >= since) {
                if (!(p = period_of_day(h, wu_day_number(t), pd, &cap)) ||
                    add_change(h, p, t, name, k ? "start_type" : "state", *last, v))
                    goto nomem;
            }
            if (!*last || strcmp(*last, v) != 0)
                if (set_str(last, v))
                    goto nomem;
        }
    }
    if (rc != SQLITE_DONE)
        goto sqlfail;
    sqlite3_finalize(s);
    s = NULL;

    for (size_t i = 0; i < h->nperiods; i++) {
        p = &h->periods[i];
        if (p->ncodes > 1)
            qsort(p->codes, p->ncodes, sizeof *p->codes, cmp_code);
        if (p->nchanges > 1)
            qsort(p->changes, p->nchanges, sizeof *p->changes, cmp_change);
        if (p->last_install_us && p->last_install_us >= last_us) {
            last_us = p->last_install_us;
            last_what = p->last_install;
        }
        p->last_install_us = last_us;
        p->last_install = last_what;
    }
    *out = h;
    h = NULL;
    status = STORE_OK;
    goto cleanup;

nomem:
    snprintf(err, errlen, "out of memory loading the history");
    status = STORE_E_NOMEM;
    goto cleanup;
sqlfail:
    snprintf(err, errlen, "reading the database: %s", sqlite3_errmsg(db));
    status = STORE_E_SQL;
cleanup:
    sqlite3_finalize(s);
    free(tr.name);
    free(tr.state);
    free(tr.start);
    store_history_free(h);
    return status;
}
