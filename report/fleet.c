/*
 * fleet.c - fold per-host diagnoses into the fleet summary (see fleet.h).
 */
#include "report/fleet.h"
#include "util/grow.h"
#include "vocab/updates.h"
#include "util/timeutil.h"

#include <stdlib.h>
#include <string.h>

void fleet_init(struct fleet *f, int64_t now_us, int stale_days, const char *version)
{
    memset(f, 0, sizeof *f);
    f->generated_us = now_us;
    f->stale_days = stale_days;
    f->version = version;
}

void fleet_free(struct fleet *f)
{
    for (size_t i = 0; i < f->nhosts; i++) {
        free(f->hosts[i].host);
        free(f->hosts[i].summary);
        free(f->hosts[i].fix_id);
    }
    free(f->hosts);
    free(f->codes);
    free(f->days);
    memset(f, 0, sizeof *f);
}

static struct fleet_day *day_slot(struct fleet *f, int64_t day)
{
    size_t lo = 0, hi = f->ndays;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (f->days[mid].day_us < day)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < f->ndays && f->days[lo].day_us == day)
        return &f->days[lo];
    if (wu_grow(&f->days, f->ndays, &f->cap_days, sizeof *f->days))
        return NULL;
    memmove(&f->days[lo + 1], &f->days[lo], (f->ndays - lo) * sizeof *f->days);
    memset(&f->days[lo], 0, sizeof *f->days);
    f->days[lo].day_us = day;
    f->ndays++;
    return &f->days[lo];
}

int fleet_add(struct fleet *f, const struct model *m, const struct diagnosis *d)
{
    struct fleet_host *h;

    if (wu_grow(&f->hosts, f->nhosts, &f->cap_hosts, sizeof *f->hosts))
        return -1;
    h = &f->hosts[f->nhosts];
    memset(h, 0, sizeof *h);
    if (!(h->host = strdup(m->host ? m->host : "unknown")))
        return -1;
    f->nhosts++;
    h->verdict = d->verdict;
    if (!(h->summary = strdup(d->summary ? d->summary : "")))
        return -1;
    for (size_t i = 0; i < d->n; i++)
        if (!d->findings[i].resolved && d->findings[i].severity != SEV_INFO) {
            if (d->findings[i].fix_id && !(h->fix_id = strdup(d->findings[i].fix_id)))
                return -1;
            break;
        }
    h->nevents = m->nevents;
    h->last_us = m->last_us;
    f->by_verdict[d->verdict]++;

    /* the last successful install that patches Windows (a cumulative or
     * feature update, vocab/updates.h) - a Defender or Store success does
     * not make a host current; a host whose updates name no such class is
     * judged by its last install of any kind */
    int classed = 0;
    int64_t any_ok = 0;
    for (size_t i = 0; i < m->nevents; i++) {
        const struct m_event *e = &m->events[i];
        enum upd_class c;
        if (model_event_kind(e) != EK_INSTALL)
            continue;
        c = upd_classify(e->title, e->kb);
        classed |= c == UC_QUALITY || c == UC_FEATURE;
        if (model_event_outcome(e) != EO_SUCCEEDED)
            continue;
        any_ok = e->time_us;
        if (c == UC_QUALITY || c == UC_FEATURE)
            h->last_success_us = e->time_us;
    }
    if (!classed)
        h->last_success_us = any_ok;

    for (size_t i = 0; i < m->nevents; i++) {
        const struct m_event *e = &m->events[i];
        if (!e->has_code)
            continue;
        /* codes: count events; a host counts once per code */
        size_t c;
        for (c = 0; c < f->ncodes && f->codes[c].code != e->code; c++)
            ;
        if (c == f->ncodes) {
            if (wu_grow(&f->codes, f->ncodes, &f->cap_codes, sizeof *f->codes))
                return -1;
            memset(&f->codes[c], 0, sizeof *f->codes);
            f->codes[c].code = e->code;
            f->ncodes++;
        }
        f->codes[c].events++;
        if (f->codes[c].seen_by != f->nhosts) {     /* first time on this host */
            f->codes[c].seen_by = f->nhosts;
            f->codes[c].hosts++;
        }
        if (e->time_us > f->codes[c].last_us)
            f->codes[c].last_us = e->time_us;
        if (model_event_failed(e)) {
            const struct kb_code *k = kb_code_find(e->code);
            struct fleet_day *day = day_slot(f, wu_day_start(e->time_us));
            if (!day)
                return -1;
            day->count[k ? k->cat : KB_CAT_UNKNOWN]++;
            f->failures++;
        }
    }
    /* stale: attempts or evidence, but no successful install for stale_days */
    int64_t ref = f->generated_us;
    if (m->nevents && (!h->last_success_us ||
                       ref - h->last_success_us > (int64_t)f->stale_days * WU_DAY_US)) {
        h->stale = 1;
        f->nstale++;
    }
    return 0;
}

static int cmp_hosts(const void *a, const void *b)
{
    const struct fleet_host *x = a, *y = b;
    /* critical, warning, unknown, healthy */
    static const int rank[4] = {3, 1, 0, 2};
    if (rank[x->verdict] != rank[y->verdict])
        return rank[x->verdict] - rank[y->verdict];
    return strcmp(x->host, y->host);
}

static int cmp_codes(const void *a, const void *b)
{
    const struct fleet_code *x = a, *y = b;
    if (x->hosts != y->hosts)
        return y->hosts - x->hosts;
    if (x->events != y->events)
        return x->events < y->events ? 1 : -1;
    return x->code < y->code ? -1 : x->code > y->code;
}

void fleet_finish(struct fleet *f)
{
    if (f->nhosts > 1)
        qsort(f->hosts, f->nhosts, sizeof *f->hosts, cmp_hosts);
    if (f->ncodes > 1)
        qsort(f->codes, f->ncodes, sizeof *f->codes, cmp_codes);
    f->max_day = 0;
    for (size_t i = 0; i < f->ndays; i++) {
        int t = 0;
        for (int c = 0; c < KB_CAT_COUNT; c++)
            t += f->days[i].count[c];
        if (t > f->max_day)
            f->max_day = t;
    }
}

enum verdict fleet_worst(const struct fleet *f)
{
    if (f->by_verdict[VERDICT_CRITICAL])
        return VERDICT_CRITICAL;
    if (f->by_verdict[VERDICT_WARNING])
        return VERDICT_WARNING;
    if (f->by_verdict[VERDICT_HEALTHY])
        return VERDICT_HEALTHY;
    return VERDICT_UNKNOWN;
}
