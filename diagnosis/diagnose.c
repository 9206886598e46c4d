/*
 * diagnose.c - run the rule table, order the findings, derive the verdict;
 * the findings' owned strings (title, evidence, summary).
 */
#include "diagnosis/diagnose.h"
#include "vocab/kb.h"
#include "util/grow.h"
#include "util/strbuf.h"

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

void finding_set_title(struct finding *f, const char *fmt, ...)
{
    va_list ap;
    char *t;

    va_start(ap, fmt);
    t = wu_strvfmt(fmt, ap);
    va_end(ap);
    if (!t) {
        f->oom = 1;
        return;
    }
    free(f->title);
    f->title = t;
}

void finding_add_evidence(struct finding *f, int64_t time_us, int event_id,
                          const char *fmt, ...)
{
    va_list ap;
    struct evidence *e;
    char *text;

    va_start(ap, fmt);
    text = wu_strvfmt(fmt, ap);
    va_end(ap);
    if (!text) {
        f->oom = 1;
        return;
    }
    if (f->nevidence == FINDING_MAX_EVIDENCE) {
        /* keep the latest: drop the oldest, and count it */
        free(f->evidence[0].text);
        memmove(&f->evidence[0], &f->evidence[1],
                (FINDING_MAX_EVIDENCE - 1) * sizeof f->evidence[0]);
        f->nevidence--;
        f->evidence_more++;
    }
    e = &f->evidence[f->nevidence++];
    e->time_us = time_us;
    e->event_id = event_id;
    e->text = text;
    if (!f->first_us || time_us < f->first_us)
        f->first_us = time_us;
    if (time_us > f->last_us)
        f->last_us = time_us;
}

/* An open root cause: it outranks the failures it causes. */
static int is_open_cause(const struct finding *f)
{
    return f->root_cause && !f->resolved && f->severity > SEV_INFO;
}

static int cmp_findings(const void *a, const void *b)
{
    const struct finding *x = a, *y = b;
    if (x->resolved != y->resolved)
        return x->resolved - y->resolved;
    if (is_open_cause(x) != is_open_cause(y))
        return is_open_cause(y) - is_open_cause(x);
    if (x->severity != y->severity)
        return (int)y->severity - (int)x->severity;
    if (x->confidence != y->confidence)
        return y->confidence - x->confidence;
    if (x->last_us != y->last_us)
        return x->last_us < y->last_us ? 1 : -1;
    return strcmp(x->title ? x->title : "", y->title ? y->title : "");
}

int diagnose(const struct model *m, struct diagnosis *d)
{
    size_t open = 0;

    memset(d, 0, sizeof *d);
    for (size_t i = 0; i < rules_len; i++)
        if (rules[i].fn(m, d) != 0)
            return -1;
    for (size_t i = 0; i < d->n; i++) {
        struct finding *f = &d->findings[i];
        if (!f->title)              /* a rule that set none: its id */
            finding_set_title(f, "%s", f->rule);
        if (f->oom)
            return -1;
    }
    /* a critical finding carries exact commands: one whose fix has none
     * ("wait and retry") gets the component reset instead */
    for (size_t i = 0; i < d->n; i++) {
        struct finding *f = &d->findings[i];
        const struct kb_fix *fx = f->fix_id ? kb_fix_find(f->fix_id) : NULL;
        if (f->severity == SEV_CRITICAL && !f->resolved && (!fx || !fx->commands[0]))
            f->fix_id = "reset-wu-components";
    }
    os_fix_apply(m, d);         /* the fixes that exist on this OS */
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
        d->summary = wu_strfmt("no update-related evidence stored for this host");
    } else if (open == 0) {
        d->summary = wu_strfmt("no open Windows Update problem in the evidence "
                               "(%zu events)", m->nevents);
    } else if (open == 1) {
        d->summary = wu_strfmt("%s", d->findings[0].title);
    } else {
        d->summary = wu_strfmt("%s (and %zu more)", d->findings[0].title, open - 1);
    }
    return d->summary ? 0 : -1;
}

void diagnosis_free(struct diagnosis *d)
{
    for (size_t i = 0; i < d->n; i++) {
        struct finding *f = &d->findings[i];
        free(f->title);
        for (size_t k = 0; k < f->nevidence; k++)
            free(f->evidence[k].text);
    }
    free(d->summary);
    free(d->findings);
    memset(d, 0, sizeof *d);
}
