/*
 * report.c - derive the report tables from the model, once, for all
 * renderers: the update services' latest state, error codes with counts,
 * and the newest update attempts.
 */
#include "report/report.h"
#include "util/grow.h"
#include "vocab/services.h"
#include "vocab/semantics.h"
#include "util/timeutil.h"

#include <stdlib.h>
#include <string.h>

/* What an update-client event says happened to an update ("installed",
 * "download failed", ...): its label in the semantics table; NULL for
 * events that are no attempt (scans, restarts, services, ...). */
static const char *attempt_result(const struct m_event *e)
{
    const struct ev_meaning *mn;
    enum ev_kind k = model_event_kind(e);

    /* the client's events, and WindowsUpdate.log's results of attempts */
    if ((model_event_family(e) != EF_WU && model_event_family(e) != EF_WU_LOG) ||
        (k != EK_INSTALL && k != EK_DOWNLOAD && k != EK_UNINSTALL))
        return NULL;
    mn = ev_meaning_find(model_event_family(e), e->event_id);
    return mn ? mn->label : NULL;
}

static int build_buckets(struct report *r, const struct model *m)
{
    int64_t first = 0, last = 0;
    for (size_t i = 0; i < m->nevents; i++) {
        if (!model_event_failed(&m->events[i]))
            continue;
        if (!first)
            first = m->events[i].time_us;
        last = m->events[i].time_us;
    }
    if (!first)
        return 0;
    /* the chart spans the whole evidence range, not only the failures */
    first = wu_day_start(m->first_us < first ? m->first_us : first);
    last = wu_day_start(m->last_us > last ? m->last_us : last);
    int64_t days = (last - first) / WU_DAY_US + 1;
    int64_t per = (days + REPORT_MAX_BUCKETS - 1) / REPORT_MAX_BUCKETS;
    r->bucket_us = per * WU_DAY_US;
    r->nbuckets = (size_t)((days + per - 1) / per);
    r->buckets = calloc(r->nbuckets, sizeof *r->buckets);
    if (!r->buckets)
        return -1;
    for (size_t b = 0; b < r->nbuckets; b++)
        r->buckets[b].start_us = first + (int64_t)b * r->bucket_us;
    for (size_t i = 0; i < m->nevents; i++) {
        const struct m_event *e = &m->events[i];
        if (!model_event_failed(e))
            continue;
        size_t b = (size_t)((e->time_us - first) / r->bucket_us);
        if (b >= r->nbuckets)
            b = r->nbuckets - 1;
        const struct kb_code *k = kb_code_find(e->code);
        r->buckets[b].count[k ? k->cat : KB_CAT_UNKNOWN]++;
        if (++r->buckets[b].total > r->max_bucket)
            r->max_bucket = r->buckets[b].total;
        r->failures++;
    }
    return 0;
}

static int cmp_errors(const void *a, const void *b)
{
    const struct report_error *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return x->code < y->code ? -1 : x->code > y->code;
}

int report_build(struct report *r, const struct model *m, const struct diagnosis *d)
{
    memset(r, 0, sizeof *r);
    r->model = m;
    r->diag = d;

    r->services = calloc(wu_services_len, sizeof *r->services);
    if (!r->services)
        goto nomem;
    for (size_t i = 0; i < wu_services_len; i++) {
        struct report_service *s = &r->services[r->nservices++];
        struct m_service st;
        s->name = wu_services[i].name;
        s->display = wu_services[i].display[0];
        if (model_service_latest(m, s->name, &st)) {
            if (st.display)
                s->display = st.display;
            s->state = st.state;
            s->start_type = st.start_type;
            s->origin = st.origin;
            s->time_us = st.time_us;
        }
    }

    size_t cap = 0;
    for (size_t i = 0; i < m->nevents; i++) {
        const struct m_event *e = &m->events[i];
        size_t j;
        if (!e->has_code)
            continue;
        for (j = 0; j < r->nerrors && r->errors[j].code != e->code; j++)
            ;
        if (j == r->nerrors) {
            if (wu_grow(&r->errors, r->nerrors, &cap, sizeof *r->errors) != 0)
                goto nomem;
            r->errors[j].code = e->code;
            r->errors[j].count = 0;
            r->errors[j].first_us = e->time_us;
            r->nerrors++;
        }
        r->errors[j].count++;
        r->errors[j].last_us = e->time_us;
    }
    if (r->nerrors > 1)
        qsort(r->errors, r->nerrors, sizeof *r->errors, cmp_errors);

    r->attempts = calloc(REPORT_MAX_ATTEMPTS, sizeof *r->attempts);
    if (!r->attempts)
        goto nomem;
    for (size_t i = m->nevents; i-- > 0 && r->nattempts < REPORT_MAX_ATTEMPTS;) {
        const struct m_event *e = &m->events[i];
        const char *res;
        if (!(res = attempt_result(e)))
            continue;
        struct report_attempt *a = &r->attempts[r->nattempts++];
        a->time_us = e->time_us;
        a->update = e->title ? e->title : e->kb ? e->kb : "(no title)";
        a->kb = e->kb;
        a->result = res;
        a->has_code = e->has_code;
        a->code = e->code;
    }
    if (build_buckets(r, m) != 0)
        goto nomem;
    return 0;
nomem:
    report_free(r);
    return -1;
}

void report_free(struct report *r)
{
    free(r->services);
    free(r->errors);
    free(r->attempts);
    free(r->buckets);
    r->buckets = NULL;
    r->services = NULL;
    r->errors = NULL;
    r->attempts = NULL;
}
