/*
 * diagnose.c - run the rule table, order the findings, derive the verdict.
 */
#include "diagnosis/diagnose.h"
#include "util/grow.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *severity_name(enum severity s)
{
    switch (s) {
    case SEV_CRITICAL: return "critical";
    case SEV_WARNING: return "warning";
    default: return "info";
    }
}

const char *verdict_name(enum verdict v)
{
    switch (v) {
    case VERDICT_HEALTHY: return "healthy";
    case VERDICT_WARNING: return "warning";
    case VERDICT_CRITICAL: return "critical";
    default: return "unknown";
    }
}

struct finding *finding_new(struct diagnosis *d, const char *rule,
                            enum severity sev, const char *fix_id)
{
    if (wu_grow(&d->findings, d->n, &d->cap, sizeof *d->findings) != 0)
        return NULL;
    struct finding *f = &d->findings[d->n++];
    memset(f, 0, sizeof *f);
    f->rule = rule;
    f->severity = sev;
    f->fix_id = fix_id;
    f->confidence = 50;
    return f;
}

void finding_add_code(struct finding *f, uint32_t code)
{
    for (size_t i = 0; i < f->ncodes; i++)
        if (f->codes[i] == code)
            return;
    if (f->ncodes < FINDING_MAX_CODES)
        f->codes[f->ncodes++] = code;
}

void finding_add_evidence(struct finding *f, int64_t time_us, int event_id,
                          const char *fmt, ...)
{
    va_list ap;
    struct evidence *e;

    if (f->nevidence == FINDING_MAX_EVIDENCE) {
        /* keep the latest: drop the oldest */
        memmove(&f->evidence[0], &f->evidence[1],
                (FINDING_MAX_EVIDENCE - 1) * sizeof f->evidence[0]);
        f->nevidence--;
    }
    e = &f->evidence[f->nevidence++];
    e->time_us = time_us;
    e->event_id = event_id;
    va_start(ap, fmt);
    vsnprintf(e->text, sizeof e->text, fmt, ap);
    va_end(ap);
    if (!f->first_us || time_us < f->first_us)
        f->first_us = time_us;
    if (time_us > f->last_us)
        f->last_us = time_us;
}

static int cmp_findings(const void *a, const void *b)
{
    const struct finding *x = a, *y = b;
    if (x->resolved != y->resolved)
        return x->resolved - y->resolved;
    if (x->severity != y->severity)
        return (int)y->severity - (int)x->severity;
    if (x->confidence != y->confidence)
        return y->confidence - x->confidence;
    if (x->last_us != y->last_us)
        return x->last_us < y->last_us ? 1 : -1;
    return strcmp(x->title, y->title);
}

int diagnose(const struct model *m, struct diagnosis *d)
{
    size_t open = 0;

    memset(d, 0, sizeof *d);
    for (size_t i = 0; i < rules_len; i++)
        if (rules[i].fn(m, d) != 0)
            return -1;
    if (d->n > 1)
        qsort(d->findings, d->n, sizeof *d->findings, cmp_findings);

    d->verdict = VERDICT_HEALTHY;
    for (size_t i = 0; i < d->n; i++) {
        const struct finding *f = &d->findings[i];
        if (f->resolved || f->severity == SEV_INFO)
            continue;
        open++;
        if (f->severity == SEV_CRITICAL)
            d->verdict = VERDICT_CRITICAL;
        else if (d->verdict != VERDICT_CRITICAL)
            d->verdict = VERDICT_WARNING;
    }
    if (m->nevents == 0 && m->nobservations == 0) {
        d->verdict = VERDICT_UNKNOWN;
        snprintf(d->summary, sizeof d->summary,
                 "no update-related evidence stored for this host");
    } else if (open == 0) {
        snprintf(d->summary, sizeof d->summary,
                 "no open Windows Update problem in the evidence (%zu events)",
                 m->nevents);
    } else if (open == 1) {
        snprintf(d->summary, sizeof d->summary, "%s", d->findings[0].title);
    } else {
        snprintf(d->summary, sizeof d->summary, "%.200s (and %zu more)",
                 d->findings[0].title, open - 1);
    }
    return 0;
}

void diagnosis_free(struct diagnosis *d)
{
    free(d->findings);
    memset(d, 0, sizeof *d);
}
