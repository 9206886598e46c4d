/*
 * compare.c - the difference between two diagnoses of one host (see
 * compare.h): findings cleared, new and still open by key, the update
 * services whose state or start type changed, the first successful install
 * and scan after the before point, and the verdicts.  Reads only the two
 * models and diagnoses; no SQL, no output.
 */
#include "diagnosis/compare.h"
#include "util/grow.h"
#include "util/strbuf.h"
#include "vocab/services.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *cmp_change_name(enum cmp_change ch)
{
    switch (ch) {
    case CMP_CLEARED: return "cleared";
    case CMP_NEW: return "new";
    case CMP_STILL_OPEN: return "still-open";
    }
    return "?";
}

const char *compare_trend(const struct comparison *c)
{
    if (c->worse)
        return "worse";
    if (c->ncleared ||
        (c->verdict_before != VERDICT_UNKNOWN && c->verdict_after < c->verdict_before))
        return "better";
    return "unchanged";
}

int cmp_finding_open(const struct finding *f)
{
    return !f->resolved && f->severity != SEV_INFO;
}

/* s contains word w (ASCII case-insensitive) with no letter, digit or '_'
 * on either side. */
static int has_word(const char *s, const char *w)
{
    size_t n = strlen(w);
    for (const char *p = s; p && *p; p++) {
        if (strncasecmp(p, w, n) != 0)
            continue;
        int before = p > s ? (unsigned char)p[-1] : ' ';
        int after = (unsigned char)p[n];
        int wb = !((before >= '0' && before <= '9') || (before >= 'A' && before <= 'Z') ||
                   (before >= 'a' && before <= 'z') || before == '_');
        int wa = !((after >= '0' && after <= '9') || (after >= 'A' && after <= 'Z') ||
                   (after >= 'a' && after <= 'z') || after == '_');
        if (wb && wa)
            return 1;
    }
    return 0;
}

/* "rule~subject": the update service the title names, else the first code. */
static char *finding_key(const struct finding *f)
{
    struct strbuf sb;
    sb_init(&sb);
    sb_adds(&sb, f->rule ? f->rule : "?");
    for (size_t i = 0; i < wu_services_len; i++)
        if (f->title && has_word(f->title, wu_services[i].name)) {
            sb_printf(&sb, "~%s", wu_services[i].name);
            return sb_detach(&sb);
        }
    if (f->ncodes)
        sb_printf(&sb, "~0x%08X", f->codes[0]);
    return sb_detach(&sb);
}

static struct cmp_finding *add_finding(struct comparison *c, size_t *cap)
{
    if (wu_grow(&c->findings, c->nfindings, cap, sizeof *c->findings) != 0)
        return NULL;
    struct cmp_finding *x = &c->findings[c->nfindings++];
    memset(x, 0, sizeof *x);
    return x;
}

static int same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static int build_findings(struct comparison *c)
{
    const struct diagnosis *db = c->before.diag, *da = c->after.diag;
    char **akeys = calloc(da->n ? da->n : 1, sizeof *akeys);
    char *used = calloc(da->n ? da->n : 1, 1);
    struct cmp_finding *stills = NULL;
    size_t cap = 0, nstill = 0, capstill = 0;
    int rc = -1;

    if (!akeys || !used)
        goto cleanup;
    for (size_t j = 0; j < da->n; j++)
        if (!(akeys[j] = finding_key(&da->findings[j])))
            goto cleanup;
    /* open before: still open (the first unmatched open one with its key
     * after), else cleared */
    for (size_t i = 0; i < db->n; i++) {
        const struct finding *f = &db->findings[i];
        if (!cmp_finding_open(f))
            continue;
        char *key = finding_key(f);
        if (!key)
            goto cleanup;
        size_t hit = da->n, resolved = da->n;
        for (size_t j = 0; j < da->n; j++) {
            if (used[j] || strcmp(akeys[j], key) != 0)
                continue;
            if (cmp_finding_open(&da->findings[j])) {
                hit = j;
                break;
            }
            if (resolved == da->n)
                resolved = j;
        }
        struct cmp_finding *x;
        if (hit < da->n) {
            if (wu_grow(&stills, nstill, &capstill, sizeof *stills) != 0) {
                free(key);
                goto cleanup;
            }
            x = &stills[nstill++];
            memset(x, 0, sizeof *x);
            x->change = CMP_STILL_OPEN;
            x->after = &da->findings[hit];
            used[hit] = 1;
        } else {
            if (!(x = add_finding(c, &cap))) {
                free(key);
                goto cleanup;
            }
            x->change = CMP_CLEARED;
            x->resolved_after = resolved < da->n ? &da->findings[resolved] : NULL;
            c->ncleared++;
        }
        x->key = key;
        x->before = f;
    }
    /* open after and not matched: new */
    for (size_t j = 0; j < da->n; j++) {
        if (used[j] || !cmp_finding_open(&da->findings[j]))
            continue;
        struct cmp_finding *x = add_finding(c, &cap);
        if (!x)
            goto cleanup;
        x->change = CMP_NEW;
        x->key = akeys[j];
        akeys[j] = NULL;
        x->after = &da->findings[j];
        c->nnew++;
    }
    for (size_t k = 0; k < nstill; k++) {
        struct cmp_finding *x = add_finding(c, &cap);
        if (!x)
            goto cleanup;
        *x = stills[k];
        stills[k].key = NULL;
        c->nstill++;
    }
    rc = 0;
cleanup:
    for (size_t k = 0; k < nstill; k++)
        free(stills[k].key);
    free(stills);
    if (akeys)
        for (size_t j = 0; j < da->n; j++)
            free(akeys[j]);
    free(akeys);
    free(used);
    return rc;
}

static int build_services(struct comparison *c)
{
    c->services = calloc(wu_services_len, sizeof *c->services);
    if (!c->services)
        return -1;
    for (size_t i = 0; i < wu_services_len; i++) {
        struct m_service b, a;
        int hb = model_service_latest(c->before.model, wu_services[i].name, &b);
        int ha = model_service_latest(c->after.model, wu_services[i].name, &a);
        if (!hb && !ha)
            continue;
        struct cmp_service *s = &c->services[c->nservices++];
        s->name = wu_services[i].name;
        if (hb) {
            s->state_before = b.state;
            s->start_before = b.start_type;
        }
        if (ha) {
            s->state_after = a.state;
            s->start_after = a.start_type;
        }
        s->state_changed = !same(s->state_before, s->state_after);
        s->start_changed = !same(s->start_before, s->start_after);
        if (s->state_changed || s->start_changed)
            c->nservices_changed++;
    }
    return 0;
}

static void build_after(struct comparison *c)
{
    const struct model *m = c->after.model;
    for (size_t i = 0; i < m->nevents; i++) {
        const struct m_event *e = &m->events[i];
        if (e->time_us <= c->since_us)
            continue;
        c->events_after++;
        if (model_event_failed(e))
            c->failures_after++;
        if (model_event_is(e, EK_INSTALL, EO_SUCCEEDED)) {
            c->installs_after++;
            if (!c->first_install)
                c->first_install = e;
        }
        if (model_event_is(e, EK_SCAN, EO_SUCCEEDED) && !c->first_scan)
            c->first_scan = e;
    }
}

int compare_build(struct comparison *c, const struct cmp_point *before,
                  const struct cmp_point *after)
{
    memset(c, 0, sizeof *c);
    c->before = *before;
    c->after = *after;
    c->host = after->model->host;
    c->verdict_before = before->diag->verdict;
    c->verdict_after = after->diag->verdict;
    /* after the before point: past its evidence, and past its date */
    c->since_us = before->model->last_us;
    if (!before->run_id && before->time_us > c->since_us)
        c->since_us = before->time_us;
    if (build_findings(c) != 0 || build_services(c) != 0) {
        compare_free(c);
        return -1;
    }
    build_after(c);
    c->worse = c->nnew > 0 ||
               (c->verdict_after != VERDICT_UNKNOWN && c->verdict_before != VERDICT_UNKNOWN &&
                c->verdict_after > c->verdict_before);
    return 0;
}

void compare_free(struct comparison *c)
{
    for (size_t i = 0; i < c->nfindings; i++)
        free(c->findings[i].key);
    free(c->findings);
    free(c->services);
    c->findings = NULL;
    c->services = NULL;
    c->nfindings = c->nservices = 0;
}
