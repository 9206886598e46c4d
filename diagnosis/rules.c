/*
 * rules.c - the diagnosis rules, one function and one table row each.
 *
 * Every rule reads the model only.  What a code means, and which fix goes
 * with it, comes from the knowledge base (kb.h); what an event means from
 * the semantics table (vocab/semantics.h: kind and outcome, stored at
 * import); which services matter and how much from vocab/services.h.  A failure that a later
 * success of the same update (or a later successful scan/download) undid is
 * kept as resolved history and never counts toward the verdict.
 */
#include "diagnosis/diagnose.h"
#include "diagnosis/rule_patch.h"
#include "diagnosis/rule_textlog.h"
#include "vocab/kb.h"
#include "util/strset.h"
#include "util/grow.h"
#include "util/strbuf.h"
#include "vocab/semantics.h"
#include "vocab/services.h"
#include "vocab/updates.h"
#include "util/timeutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STALE_DAYS    35      /* no successful install for this long: warning */
#define RESTART_DAYS  7       /* restart pending longer than this: warning */
#define REPEAT_ESCALATES 3    /* the same open failure this often: critical */

#define COUNT(a) (sizeof (a) / sizeof (a)[0])

/* ---- event helpers ------------------------------------------------------ */

static int is_boot(const struct m_event *e)
{
    return model_event_kind(e) == EK_BOOT;
}

/* A service failure of the named service: it failed to start, hung,
 * crashed, ended with an error or did not stop in time. */
static int is_service_failure(const struct m_event *e, const char *service)
{
    enum ev_kind k = model_event_kind(e);
    return (k == EK_SERVICE_FAILURE || k == EK_SERVICE_START_FAILED ||
            k == EK_SERVICE_SLOW_STOP) &&
           e->service && strcmp(e->service, service) == 0;
}

static enum severity if_disabled(const struct wu_service_info *svc)
{
    return svc->critical ? SEV_CRITICAL : SEV_WARNING;
}

/* What identifies an update across events: GUID, else KB, else title. */
static const char *update_key(const struct m_event *e)
{
    return e->guid ? e->guid : e->kb ? e->kb : e->title;
}

static const char *update_name(const struct m_event *e)
{
    if (e->title)
        return e->title;
    if (e->kb)
        return e->kb;
    return "an update";
}

static const char *code_symbol(uint32_t code)
{
    const struct kb_code *k = kb_code_find(code);
    return k ? k->symbol : "unknown code";
}

static enum kb_category code_category(uint32_t code)
{
    const struct kb_code *k = kb_code_find(code);
    return k ? k->cat : KB_CAT_UNKNOWN;
}

static const char *code_fix(uint32_t code, const char *fallback)
{
    const struct kb_code *k = kb_code_find(code);
    return k && k->fix_id ? k->fix_id : fallback;
}

/* ---- rule: update service disabled --------------------------------------- */

static int rule_service_disabled(const struct model *m, struct diagnosis *d)
{
    for (size_t i = 0; i < wu_services_len; i++) {
        const struct wu_service_info *svc = &wu_services[i];
        struct m_service st;
        char when[32];

        if (!model_service_latest(m, svc->name, &st) || !st.start_type ||
            strcmp(st.start_type, "disabled") != 0)
            continue;
        struct finding *f = finding_new(d, "service-disabled", if_disabled(svc),
                                        svc->fix_id);
        if (!f)
            return -1;
        f->root_cause = 1;
        finding_set_title(f, "%s service (%s) is disabled",
                 svc->display[0], svc->name);
        f->confidence = strcmp(st.origin, "live") == 0 ? 95 : 85;
        f->count = 1;
        if (strcmp(svc->name, "wuauserv") == 0)
            finding_add_code(f, 0x80070422);
        finding_add_evidence(f, st.time_us, strcmp(st.origin, "live") ? 7040 : 0,
                             "%s: start type is disabled (%s, %s UTC)", svc->name,
                             strcmp(st.origin, "live") == 0 ? "read from the service"
                                                            : "start-type change event",
                             format_time(st.time_us, when, sizeof when));
    }
    return 0;
}

/*
 * 0x80070422 (ERROR_SERVICE_DISABLED) in update events says Windows Update
 * could not start its service.  Unless something later shows wuauserv
 * enabled, that is the service-disabled problem even without a 7040.
 */
static int rule_service_disabled_inferred(const struct model *m, struct diagnosis *d)
{
    const struct m_event *last = NULL;
    long n = 0;
    struct m_service st;
    char when[32];

    for (size_t i = 0; i < m->nevents; i++)
        if (m->events[i].has_code && m->events[i].code == 0x80070422) {
            last = &m->events[i];
            n++;
        }
    if (!last)
        return 0;
    if (model_service_latest(m, "wuauserv", &st) && st.start_type) {
        if (strcmp(st.start_type, "disabled") == 0)
            return 0;               /* rule_service_disabled reports it */
        if (st.time_us > last->time_us)
            return 0;               /* enabled since */
    }
    struct finding *f = finding_new(d, "service-disabled-inferred", SEV_CRITICAL,
                                    "enable-wuauserv");
    if (!f)
        return -1;
    f->root_cause = 1;
    finding_set_title(f,
             "Windows Update service (wuauserv) is disabled: updates fail with "
             "0x80070422");
    f->confidence = 75;
    f->count = n;
    finding_add_code(f, 0x80070422);
    for (size_t i = 0; i < m->nevents; i++) {
        const struct m_event *e = &m->events[i];
        if (e->has_code && e->code == 0x80070422)
            finding_add_evidence(f, e->time_us, e->event_id,
                                 "%s event %d: 0x80070422 at %s UTC", e->provider,
                                 e->event_id, format_time(e->time_us, when, sizeof when));
    }
    return 0;
}

/* ---- rule: service stopped although automatic, or missing -------------- */

static int rule_service_state(const struct model *m, struct diagnosis *d)
{
    for (size_t i = 0; i < wu_services_len; i++) {
        const struct wu_service_info *svc = &wu_services[i];
        struct m_service st;
        char when[32];

        if (!model_service_latest(m, svc->name, &st) || strcmp(st.origin, "live") != 0)
            continue;           /* only a live reading tells the state now */
        if (st.state && strcmp(st.state, "not-installed") == 0) {
            if (!svc->must_exist)
                continue;
            struct finding *f = finding_new(d, "service-missing", SEV_CRITICAL,
                                            "repair-install");
            if (!f)
                return -1;
            f->root_cause = 1;
            finding_set_title(f, "%s service (%s) is not installed",
                     svc->display[0], svc->name);
            f->confidence = 90;
            f->count = 1;
            finding_add_evidence(f, st.time_us, 0, "%s: not installed (read at %s UTC)",
                                 svc->name, format_time(st.time_us, when, sizeof when));
            continue;
        }
        if (!st.state || strcmp(st.state, "stopped") != 0 || !st.start_type ||
            (strcmp(st.start_type, "auto") != 0 &&
             strcmp(st.start_type, "delayed-auto") != 0))
            continue;
        struct finding *f = finding_new(d, "service-stopped", SEV_WARNING, svc->fix_id);
        if (!f)
            return -1;
        finding_set_title(f,
                 "%s service (%s) is set to start automatically but is stopped",
                 svc->display[0], svc->name);
        f->confidence = 80;
        f->count = 1;
        finding_add_evidence(f, st.time_us, 0, "%s: %s, start type %s (read at %s UTC)",
                             svc->name, st.state, st.start_type,
                             format_time(st.time_us, when, sizeof when));
    }
    return 0;
}

/* ---- rule: Service Control Manager failures of update services --------- */

/*
 * A service failure that a shutdown explains: a shutdown or a start of
 * Windows follows within minutes, or a restart or shutdown began just
 * before.  Services that do not stop in time or end with an error while
 * Windows goes down (7043, 7023, 7031 at shutdown) are routine on Windows
 * 10 and 11, not faults.
 */
#define SHUTDOWN_WINDOW_US (10 * 60 * 1000000LL)

static int at_shutdown(const struct model *m, size_t i)
{
    int64_t t = m->events[i].time_us;
    for (size_t j = i + 1; j < m->nevents && m->events[j].time_us - t <= SHUTDOWN_WINDOW_US;
         j++) {
        enum ev_kind k = model_event_kind(&m->events[j]);
        if (k == EK_SHUTDOWN || k == EK_BOOT)
            return 1;
    }
    for (size_t j = i; j-- > 0 && t - m->events[j].time_us <= SHUTDOWN_WINDOW_US;) {
        enum ev_kind k = model_event_kind(&m->events[j]);
        if (k == EK_SHUTDOWN || k == EK_RESTART_INITIATED)
            return 1;
    }
    return 0;
}

/* A scan, download or install that failed with a code, from any log. */
static int is_update_failure(const struct m_event *e)
{
    enum ev_kind k = model_event_kind(e);
    return model_event_failed(e) && (k == EK_INSTALL || k == EK_SCAN || k == EK_DOWNLOAD);
}

/* Routine: a slow stop at shutdown (7043) always, any failure at shutdown. */
static int routine_service_event(const struct model *m, size_t i)
{
    return model_event_kind(&m->events[i]) == EK_SERVICE_SLOW_STOP || at_shutdown(m, i);
}

/* The service is seen working at e: the update activity it carries
 * started or succeeded (services.h: proves). */
static int shows_working(const struct wu_service_info *svc, const struct m_event *e)
{
    enum ev_kind k = model_event_kind(e);
    enum ev_outcome o = model_event_outcome(e);
    return k < 32 && (svc->proves & WU_PROVES(k)) && (o == EO_SUCCEEDED || o == EO_STARTED);
}

/*
 * Service Control Manager failures of the update services.  A finding is
 * open only when the service is needed and does not run: start failures or
 * crashes that repeat, or one of them followed by update failures with a
 * service code, with no sign of the service working since (a 7036
 * "running", or a scan, download or install it carries).  Routine
 * failures at shutdown are left out; a failure the service recovered from
 * is history.
 */
/* What rule_scm_failures counts of one service, in one pass over the events. */
struct scm_tally {
    long total, routine, open_starts, open_stops, blocked;
    const struct m_event *last_fail;
    int64_t last_working;
};

/* The update service whose failure e is (is_service_failure), or -1. */
static long failing_service(const struct m_event *e)
{
    enum ev_kind k = model_event_kind(e);
    if ((k != EK_SERVICE_FAILURE && k != EK_SERVICE_START_FAILED &&
         k != EK_SERVICE_SLOW_STOP) || !e->service)
        return -1;
    for (size_t s = 0; s < wu_services_len; s++)
        if (strcmp(e->service, wu_services[s].name) == 0)
            return (long)s;
    return -1;
}

/*
 * The tallies of every update service at once: one pass for the last sign
 * of each working, one for the failures and the update failures with a
 * service code since (the same counts one pass per service and count gave).
 */
static void scm_tally(const struct model *m, struct scm_tally *t)
{
    for (size_t s = 0; s < wu_services_len; s++) {
        t[s].last_working = INT64_MIN;
        /* the last sign of the service working */
        for (size_t i = 0; i < m->nobservations; i++) {
            const struct m_service *o = &m->observations[i];
            if (strcmp(o->name, wu_services[s].name) == 0 && o->state &&
                strcmp(o->state, "running") == 0 && o->time_us > t[s].last_working)
                t[s].last_working = o->time_us;
        }
    }
    for (size_t i = 0; i < m->nevents; i++) {
        const struct m_event *e = &m->events[i];
        enum ev_kind k = model_event_kind(e);
        enum ev_outcome o = model_event_outcome(e);
        if (k >= 32 || (o != EO_SUCCEEDED && o != EO_STARTED))
            continue;
        for (size_t s = 0; s < wu_services_len; s++)
            if (shows_working(&wu_services[s], e) && e->time_us > t[s].last_working)
                t[s].last_working = e->time_us;
    }
    for (size_t i = 0; i < m->nevents; i++) {
        const struct m_event *e = &m->events[i];
        long s = failing_service(e);
        if (s >= 0) {
            struct scm_tally *ts = &t[s];
            if (routine_service_event(m, i)) {
                ts->routine++;
                continue;
            }
            ts->total++;
            ts->last_fail = e;
            if (e->time_us > ts->last_working) {
                if (model_event_kind(e) == EK_SERVICE_START_FAILED)
                    ts->open_starts++;
                else
                    ts->open_stops++;
            }
        } else if (is_update_failure(e) && code_category(e->code) == KB_CAT_SERVICE) {
            /* update failures with a service code since it last worked */
            for (size_t j = 0; j < wu_services_len; j++)
                if (e->time_us > t[j].last_working)
                    t[j].blocked++;
        }
    }
}

/*
 * Service Control Manager failures of the update services.  A finding is
 * open only when the service is needed and does not run: start failures or
 * crashes that repeat, or one of them followed by update failures with a
 * service code, with no sign of the service working since (a 7036
 * "running", or a scan, download or install it carries).  Routine
 * failures at shutdown are left out; a failure the service recovered from
 * is history.
 */
static int rule_scm_failures(const struct model *m, struct diagnosis *d)
{
    struct scm_tally *tally = calloc(wu_services_len, sizeof *tally);
    int rc = -1;

    if (!tally)
        return -1;
    scm_tally(m, tally);
    for (size_t s = 0; s < wu_services_len; s++) {
        const struct wu_service_info *svc = &wu_services[s];
        const struct scm_tally *t = &tally[s];
        long total = t->total, routine = t->routine, open_starts = t->open_starts,
             open_stops = t->open_stops, blocked = t->blocked;
        const struct m_event *last_fail = t->last_fail;
        int64_t last_working = t->last_working;
        char when[32];

        if (!total)
            continue;               /* nothing, or only routine stops at shutdown */
        long open = open_starts + open_stops;
        int is_open = open_starts >= 2 || open_stops >= 2 || (open && blocked);
        enum severity sev = SEV_INFO;
        if (is_open)
            sev = svc->critical && (blocked || open >= REPEAT_ESCALATES)
                      ? SEV_CRITICAL : SEV_WARNING;
        struct finding *f = finding_new(d, "service-failures", sev,
                                        last_fail->has_code
                                            ? code_fix(last_fail->code,
                                                       "restart-update-services")
                                            : "restart-update-services");
        if (!f)
            goto cleanup;
        f->resolved = !open;
        f->count = total;
        f->confidence = is_open ? (blocked ? 85 : 75) : 60;
        if (!open)
            finding_set_title(f,
                     "%s service (%s) failed %ld time%s, then ran again", svc->display[0],
                     svc->name, total, total == 1 ? "" : "s");
        else if (!is_open)
            finding_set_title(f,
                     "%s service (%s) failed once and nothing shows it running since",
                     svc->display[0], svc->name);
        else if (open_starts)
            finding_set_title(f,
                     "%s service (%s) does not start: %ld failed start%s since it last "
                     "ran%s", svc->display[0], svc->name, open_starts,
                     open_starts == 1 ? "" : "s",
                     blocked ? ", and updates fail because of it" : "");
        else
            finding_set_title(f,
                     "%s service (%s) keeps stopping with an error (%ld times since it "
                     "last ran)%s", svc->display[0], svc->name, open_stops,
                     blocked ? ", and updates fail because of it" : "");
        for (size_t i = 0; i < m->nevents; i++) {
            const struct m_event *e = &m->events[i];
            if (!is_service_failure(e, svc->name) || routine_service_event(m, i))
                continue;
            if (e->has_code)
                finding_add_code(f, e->code);
            finding_add_evidence(f, e->time_us, e->event_id,
                                 "SCM event %d for %s at %s UTC%s%s%s", e->event_id,
                                 svc->name, format_time(e->time_us, when, sizeof when),
                                 e->has_code ? ": " : "",
                                 e->has_code ? code_symbol(e->code) : "",
                                 e->time_us <= last_working ? " (ran again later)" : "");
        }
        if (routine)
            finding_add_evidence(f, last_fail->time_us, 0,
                                 "%ld more at shutdown (routine, not counted)", routine);
    }
    rc = 0;
cleanup:
    free(tally);
    return rc;
}

/* ---- rules: failures grouped by code ------------------------------------ */

enum failure_kind { FK_INSTALL, FK_SCAN, FK_DOWNLOAD };

/* An install, scan or download that failed with a code, from any log. */
static int failure_kind_of(const struct m_event *e, enum failure_kind *k)
{
    if (!e->has_code || model_event_outcome(e) != EO_FAILED)
        return 0;
    switch (model_event_kind(e)) {
    case EK_INSTALL: *k = FK_INSTALL; return 1;
    case EK_SCAN: *k = FK_SCAN; return 1;
    case EK_DOWNLOAD: *k = FK_DOWNLOAD; return 1;
    default: return 0;
    }
}

/*
 * Mark each failure event that a later success undid, in one backward pass:
 * an install failure by a later successful install of the same update; a
 * scan failure by any later successful scan or anything a scan must precede
 * (download/install activity); a download failure by a later download or
 * install of the same update, or of any update when the failure names none.  Returns a malloc'd array of nevents flags, NULL on OOM.
 */
static unsigned char *failures_resolved(const struct model *m)
{
    unsigned char *res = calloc(m->nevents ? m->nevents : 1, 1);
    struct strset installed, downloaded;
    int scan_ok = 0, any_download = 0;

    if (!res)
        return NULL;
    strset_init(&installed);
    strset_init(&downloaded);
    for (size_t i = m->nevents; i-- > 0;) {
        const struct m_event *e = &m->events[i];
        const char *key = update_key(e);
        enum ev_kind k = model_event_kind(e);
        enum ev_outcome o = model_event_outcome(e);
        if (k != EK_INSTALL && k != EK_SCAN && k != EK_DOWNLOAD)
            continue;
        if (o == EO_FAILED) {
            res[i] = k == EK_INSTALL ? key && strset_has(&installed, key)
                     : k == EK_SCAN  ? (unsigned char)scan_ok
                     : key           ? strset_has(&downloaded, key) : any_download;
        } else if (o == EO_SUCCEEDED && k != EK_SCAN) {
            if (key && ((k == EK_INSTALL && strset_add(&installed, key)) ||
                        strset_add(&downloaded, key)))
                goto nomem;
            scan_ok = any_download = 1;
        } else if (o == EO_SUCCEEDED || o == EO_STARTED) {
            scan_ok = 1;        /* a scan succeeded, or what follows one began */
        }
    }
    strset_free(&installed);
    strset_free(&downloaded);
    return res;
nomem:
    strset_free(&installed);
    strset_free(&downloaded);
    free(res);
    return NULL;
}

static const char *kind_verb(enum failure_kind k)
{
    switch (k) {
    case FK_INSTALL: return "install";
    case FK_SCAN: return "scan for updates";
    default: return "download";
    }
}

/* qsort: failure events by update key, then time (their index). */
static int cmp_by_update(const void *a, const void *b)
{
    const struct m_event *x = *(const struct m_event *const *)a;
    const struct m_event *y = *(const struct m_event *const *)b;
    int c = strcmp(update_key(x), update_key(y));
    return c ? c : (x > y) - (x < y);
}

/*
 * The update that failed with code most often (open failures of this
 * kind), if it did so at least REPEAT_ESCALATES times on at least two
 * days: *stuck gets its last failure, with the count and the days.
 * Returns 0, or -1 on out of memory.
 */
static int persistent_failure(const struct model *m, enum failure_kind kind, uint32_t code,
                              const unsigned char *resolved, const struct m_event **stuck,
                              long *count, long *days)
{
    const struct m_event **v = NULL;
    size_t n = 0, cap = 0;

    *stuck = NULL;
    *count = *days = 0;
    for (size_t i = 0; i < m->nevents; i++) {
        enum failure_kind fk;
        const struct m_event *e = &m->events[i];
        if (!failure_kind_of(e, &fk) || fk != kind || e->code != code || resolved[i] ||
            !update_key(e))
            continue;
        if (wu_grow(&v, n, &cap, sizeof *v) != 0) {
            free(v);
            return -1;
        }
        v[n++] = e;
    }
    if (n > 1)
        qsort(v, n, sizeof *v, cmp_by_update);
    for (size_t i = 0, j; i < n; i = j) {
        long nd = 0;
        int64_t day = INT64_MIN;
        for (j = i; j < n && strcmp(update_key(v[j]), update_key(v[i])) == 0; j++)
            if (wu_day_start(v[j]->time_us) != day) {   /* in time order: a new day */
                day = wu_day_start(v[j]->time_us);
                nd++;
            }
        if ((long)(j - i) >= REPEAT_ESCALATES && nd >= 2 && (long)(j - i) > *count) {
            *stuck = v[j - 1];
            *count = (long)(j - i);
            *days = nd;
        }
    }
    free(v);
    return 0;
}

static int failures_by_code(const struct model *m, struct diagnosis *d,
                            enum failure_kind kind, const char *rule_id,
                            const unsigned char *resolved)
{
    /* distinct codes of this kind, in order of first appearance */
    uint32_t *codes = NULL;
    size_t ncodes = 0;
    int rc = 0;
    char when[32];

    for (size_t i = 0; i < m->nevents; i++) {
        enum failure_kind k;
        size_t c;
        if (!failure_kind_of(&m->events[i], &k) || k != kind)
            continue;
        for (c = 0; c < ncodes && codes[c] != m->events[i].code; c++)
            ;
        if (c == ncodes) {
            uint32_t *nc = realloc(codes, (ncodes + 1) * sizeof *codes);
            if (!nc) {
                free(codes);
                return -1;
            }
            codes = nc;
            codes[ncodes++] = m->events[i].code;
        }
    }
    for (size_t c = 0; c < ncodes; c++) {
        uint32_t code = codes[c];
        long total = 0, open = 0;
        const struct kb_code *k = kb_code_find(code);
        enum kb_category cat = code_category(code);

        for (size_t i = 0; i < m->nevents; i++) {
            enum failure_kind fk;
            if (!failure_kind_of(&m->events[i], &fk) || fk != kind ||
                m->events[i].code != code)
                continue;
            total++;
            if (!resolved[i])
                open++;
        }
        /* a transient code that persists: the same update failing with it
         * again and again, on several days, is a situation, not noise */
        const struct m_event *stuck = NULL;
        long stuck_n = 0, stuck_days = 0;
        if (cat == KB_CAT_BENIGN && open >= REPEAT_ESCALATES &&
            persistent_failure(m, kind, code, resolved, &stuck, &stuck_n, &stuck_days) < 0) {
            rc = -1;
            break;
        }
        enum severity sev;
        if (stuck)
            sev = SEV_WARNING;
        else if (cat == KB_CAT_BENIGN)
            sev = SEV_INFO;
        else if (open >= REPEAT_ESCALATES)
            sev = SEV_CRITICAL;
        else if (open > 0)
            sev = SEV_WARNING;
        else
            sev = SEV_INFO;
        struct finding *f = finding_new(d, rule_id, sev,
                                        stuck ? kb_persist_fix(code)
                                              : code_fix(code, "run-troubleshooter"));
        if (!f) {
            rc = -1;
            break;
        }
        f->resolved = open == 0;
        f->count = total;
        f->confidence = stuck ? 70 : cat == KB_CAT_BENIGN ? 50
                        : open >= REPEAT_ESCALATES ? 90 : open ? 75 : 60;
        finding_add_code(f, code);
        if (stuck)
            finding_set_title(f,
                     "%s keeps failing to %s with 0x%08X (%s): %ld times on %ld days, "
                     "so the usually transient cause persists", update_name(stuck),
                     kind_verb(kind), code, k ? k->symbol : "unknown code", stuck_n,
                     stuck_days);
        else if (open == 0)
            finding_set_title(f,
                     "Earlier %s failure%s with 0x%08X (%s) resolved by a later success",
                     kind_verb(kind), total == 1 ? "" : "s", code,
                     k ? k->symbol : "unknown code");
        else if (cat == KB_CAT_BENIGN)
            finding_set_title(f,
                     "Windows Update reported 0x%08X (%s) during %s: transient, no "
                     "action needed", code, k->symbol, kind_verb(kind));
        else
            finding_set_title(f, "%s fails with 0x%08X (%s)%s",
                     kind == FK_INSTALL ? "Update installation"
                     : kind == FK_SCAN ? "Scanning for updates" : "Update download",
                     code, k ? k->symbol : "unknown code",
                     open > 1 ? ", repeatedly" : "");
        for (size_t i = 0; i < m->nevents; i++) {
            const struct m_event *e = &m->events[i];
            enum failure_kind fk;
            if (!failure_kind_of(e, &fk) || fk != kind || e->code != code)
                continue;
            finding_add_evidence(f, e->time_us, e->event_id, "%s: %s%s",
                                 format_time(e->time_us, when, sizeof when),
                                 update_name(e),
                                 resolved[i] ? " (succeeded later)" : "");
        }
    }
    free(codes);
    return rc;
}

/* Install (20), scan (16/25) and download (31) failures, each grouped by
 * code; one pass decides which of them a later success resolved. */
static int rule_update_failures(const struct model *m, struct diagnosis *d)
{
    unsigned char *resolved = failures_resolved(m);
    int rc;

    if (!resolved)
        return -1;
    rc = failures_by_code(m, d, FK_INSTALL, "install-failures", resolved);
    if (!rc)
        rc = failures_by_code(m, d, FK_SCAN, "scan-failures", resolved);
    if (!rc)
        rc = failures_by_code(m, d, FK_DOWNLOAD, "download-failures", resolved);
    free(resolved);
    return rc;
}

/* ---- rule: no successful install for a long time ------------------------ */

/*
 * No update of any kind installed in the last STALE_DAYS of the evidence
 * although Windows Update tried.  Only for hosts whose updates cannot be
 * told apart by class: where cumulative or feature updates are named,
 * patch-state (rule_patch.c) judges by class, and a Defender or Store
 * success must not count as patched.
 */
static int rule_no_recent_success(const struct model *m, struct diagnosis *d)
{
    int64_t ref = model_reference_time(m), last_ok = 0, window = STALE_DAYS * WU_DAY_US;
    long attempts = 0;
    const struct m_event *last_attempt = NULL;
    char when[32], when2[32];

    for (size_t i = 0; i < m->nevents; i++) {
        const struct m_event *e = &m->events[i];
        enum upd_class c;
        if (model_event_kind(e) == EK_INSTALL &&
            ((c = upd_classify(e->title, e->kb)) == UC_QUALITY || c == UC_FEATURE))
            return 0;           /* classes known: patch-state's to judge */
    }
    for (size_t i = 0; i < m->nevents; i++) {
        const struct m_event *e = &m->events[i];
        enum ev_kind k = model_event_kind(e);
        enum ev_outcome o = model_event_outcome(e);
        if (k == EK_INSTALL && o == EO_SUCCEEDED)
            last_ok = e->time_us;
        else if (((k == EK_INSTALL && (o == EO_FAILED || o == EO_STARTED)) ||
                  ((k == EK_DOWNLOAD || k == EK_SCAN) && o == EO_FAILED)) &&
                 e->time_us >= ref - window) {
            attempts++;
            last_attempt = e;
        }
    }
    if (!attempts || (last_ok && last_ok >= ref - window))
        return 0;
    /* the span of evidence must be long enough to tell */
    if (last_ok == 0 && m->last_us - m->first_us < window)
        return 0;
    struct finding *f = finding_new(d, "no-recent-success", SEV_WARNING,
                                    "run-troubleshooter");
    if (!f)
        return -1;
    f->confidence = 65;
    f->count = attempts;
    finding_set_title(f,
             "No update of any kind installed successfully in the %d days before the "
             "newest evidence, although Windows Update tried", STALE_DAYS);
    if (last_ok)
        finding_add_evidence(f, last_ok, 19, "last successful install at %s UTC",
                             format_time(last_ok, when, sizeof when));
    finding_add_evidence(f, last_attempt->time_us, last_attempt->event_id,
                         "%ld attempts since; last at %s UTC", attempts,
                         format_time(last_attempt->time_us, when2, sizeof when2));
    return 0;
}

/* ---- rule: restart pending ---------------------------------------------- */

/* Do two events name the same update?  By GUID when both carry one, else
 * by KB (servicing names packages by KB, the update client by GUID). */
static int same_update(const struct m_event *a, const struct m_event *b)
{
    if (a->guid && b->guid)
        return strcmp(a->guid, b->guid) == 0;
    if (a->kb && b->kb)
        return strcmp(a->kb, b->kb) == 0;
    return a->title && b->title && strcmp(a->title, b->title) == 0;
}

/* Did an install of req's update start after event index from and report
 * no result since? */
static int install_unfinished(const struct model *m, size_t from, const struct m_event *req)
{
    int started = 0;
    for (size_t i = from; i < m->nevents; i++) {
        const struct m_event *e = &m->events[i];
        if (model_event_kind(e) != EK_INSTALL || !same_update(e, req))
            continue;
        if (model_event_outcome(e) == EO_STARTED)
            started = 1;
        else if (model_event_outcome(e) == EO_SUCCEEDED || model_event_outcome(e) == EO_FAILED)
            started = 0;
    }
    return started;
}

/*
 * Restart pending: an update (Windows Update 21/22, servicing's "a reboot
 * is necessary", ...) asked for a restart and no start of Windows is
 * logged after it.  The first request since the last boot is the one that
 * has waited longest; the finding names the updates waiting.
 */
static int rule_pending_restart(const struct model *m, struct diagnosis *d)
{
    size_t first = 0, nreq = 0, last_boot = 0;
    char when[32], end[32];

    for (size_t i = 0; i < m->nevents; i++) {
        const struct m_event *e = &m->events[i];
        if (is_boot(e)) {
            nreq = 0;           /* restarted since */
            last_boot = i + 1;
        } else if (model_event_kind(e) == EK_RESTART_REQUIRED && nreq++ == 0) {
            first = i;
        }
    }
    if (!nreq)
        return 0;
    const struct m_event *req = &m->events[first];
    int64_t ref = model_reference_time(m);
    int64_t waited = ref > req->time_us ? ref - req->time_us : 0;
    long days = (long)(waited / WU_DAY_US);
    int long_ago = waited > RESTART_DAYS * WU_DAY_US;
    struct finding *f = finding_new(d, "restart-pending",
                                    long_ago ? SEV_WARNING : SEV_INFO,
                                    "restart-pending");
    if (!f)
        return -1;
    f->confidence = 75;
    f->count = (long)nreq;

    /* the updates waiting, in order, each once */
    struct strbuf names;
    size_t nnames = 0;
    sb_init(&names);
    for (size_t i = first; i < m->nevents; i++) {
        const struct m_event *e = &m->events[i];
        const char *name = e->kb ? e->kb : e->title;
        if (model_event_kind(e) != EK_RESTART_REQUIRED || !name)
            continue;
        int seen = 0;
        for (size_t j = first; j < i && !seen; j++) {
            const struct m_event *p = &m->events[j];
            const char *pn = p->kb ? p->kb : p->title;
            seen = model_event_kind(p) == EK_RESTART_REQUIRED && pn && strcmp(pn, name) == 0;
        }
        if (seen)
            continue;
        if (nnames < 3)
            sb_printf(&names, "%s%s", nnames ? ", " : "", name);
        nnames++;
    }
    if (nnames > 3)
        sb_printf(&names, " and %zu more", nnames - 3);
    format_time(req->time_us, when, sizeof when);
    finding_set_title(f, "A restart is pending to finish installing %s since %.10s (%ld day%s "
                      "without a restart)", nnames ? names.buf : "updates", when, days,
                      days == 1 ? "" : "s");
    sb_free(&names);

    for (size_t i = first; i < m->nevents; i++) {
        const struct m_event *e = &m->events[i];
        if (model_event_kind(e) != EK_RESTART_REQUIRED)
            continue;
        const struct ev_meaning *mn = ev_meaning_find(model_event_family(e), e->event_id);
        finding_add_evidence(f, e->time_us, e->event_id, "%s UTC: %s%s%s",
                             format_time(e->time_us, when, sizeof when),
                             mn ? mn->label : "restart required",
                             e->kb || e->title ? ": " : "", e->kb ? e->kb : e->title ? e->title : "");
        if (install_unfinished(m, last_boot, e))
            finding_add_evidence(f, e->time_us, 0, "the install of %s started and reported "
                                 "no result since", update_name(e));
    }
    finding_add_evidence(f, ref, 0, "no start of Windows logged after %.16s UTC; the evidence "
                         "ends %s UTC", format_time(req->time_us, when, sizeof when),
                         format_time(m->last_us, end, sizeof end));
    return 0;
}

/* ---- rules over text logs (CBS.log, DISM.log, WindowsUpdate.log) -------- */

/* Their event IDs are the pattern table's (textlog.h). */

static int is_servicing_log(const struct m_event *e)
{
    return model_event_family(e) == EF_SERVICING_LOG;
}

static int is_wu_log(const struct m_event *e)
{
    return model_event_family(e) == EF_WU_LOG;
}

/* "CBS.log line 52: <what the line means> (0x800F081F CBS_E_SOURCE_MISSING)" */
static void textlog_evidence(struct finding *f, const struct m_event *e)
{
    const struct ev_meaning *mn = ev_meaning_find(model_event_family(e), e->event_id);
    const char *what = mn ? mn->label : NULL;

    if (e->has_code)
        finding_add_evidence(f, e->time_us, e->event_id, "%s line %lld: %s (0x%08X %s)",
                             e->channel, (long long)e->record_id,
                             what ? what : "logged an error", e->code,
                             code_symbol(e->code));
    else
        finding_add_evidence(f, e->time_us, e->event_id, "%s line %lld: %s",
                             e->channel, (long long)e->record_id,
                             what ? what : "logged an error");
}

/* A code whose fix is DISM with a /Source: the repair files are missing. */
static int source_missing(const struct m_event *e)
{
    return e->event_id == TL_EV_SOURCE_MISSING ||
           (e->has_code &&
            strcmp(code_fix(e->code, ""), "dism-restorehealth-source") == 0);
}

static int store_corrupt(const struct m_event *e)
{
    static const uint32_t codes[] = {
        0x80073712,     /* ERROR_SXS_COMPONENT_STORE_CORRUPT */
        0x800F0831,     /* CBS_E_STORE_CORRUPTION */
        0x800F0832,     /* CBS_E_STORE_TOO_MUCH_CORRUPTION */
    };
    switch (e->event_id) {
    case TL_EV_STORE_CORRUPT: case TL_EV_PAYLOAD_CORRUPT:
    case TL_EV_PAYLOAD_MISSING: case TL_EV_CORRUPTION_FOUND:
        return 1;
    default:
        break;
    }
    for (size_t i = 0; e->has_code && i < COUNT(codes); i++)
        if (e->code == codes[i])
            return 1;
    return 0;
}

static int repair_failed(const struct m_event *e)
{
    return e->event_id == TL_EV_DISM_RESTORE_FAILED ||
           e->event_id == TL_EV_DISM_FAILED || e->event_id == TL_EV_OPERATION_FAILED;
}

/*
 * Which DISM run a line belongs to: "processed the command line but failed"
 * is a failed repair only after a /Cleanup-Image command line, and no
 * repair failure at all when the run could not open the image's files
 * (0x80070020: its E_FAIL only echoes that; dism-failures reports it).
 */
struct dism_run {
    int repair;         /* the current run is /Cleanup-Image */
    int in_use;         /* it hit a sharing violation */
};

static void dism_run_step(struct dism_run *r, const struct m_event *e)
{
    switch (e->event_id) {
    case TL_EV_DISM_SESSION: r->repair = r->in_use = 0; break;
    case TL_EV_DISM_COMMAND: r->repair = 0; r->in_use = 0; break;
    case TL_EV_DISM_RUN: r->repair = 1; r->in_use = 0; break;
    case TL_EV_DISM_IN_USE: r->in_use = 1; break;
    default: break;
    }
}

static int run_repair_failed(const struct dism_run *r, const struct m_event *e)
{
    if (!repair_failed(e) || r->in_use)
        return 0;
    return e->event_id != TL_EV_DISM_FAILED || r->repair ||
           model_event_family(e) != EF_SERVICING_LOG || e->channel == NULL ||
           strcmp(e->channel, "DISM.log") != 0;
}

/* A later scan or repair says the store is healthy. */
static int store_clean(const struct m_event *e)
{
    return e->event_id == TL_EV_NO_CORRUPTION ||
           e->event_id == TL_EV_CORRUPTION_REPAIRED ||
           e->event_id == TL_EV_DISM_RESTORE_OK;
}

/* ---- rule: component store corruption / repair source missing ---------- */

static int rule_servicing_corruption(const struct model *m, struct diagnosis *d)
{
    long total = 0, open = 0, corrupt = 0, source = 0;
    int scanned = 0;
    const struct m_event *clean = NULL, *last = NULL;

    struct dism_run run = {0, 0};

    for (size_t i = 0; i < m->nevents; i++) {
        const struct m_event *e = &m->events[i];
        if (!is_servicing_log(e))
            continue;
        dism_run_step(&run, e);
        if (store_clean(e)) {
            if (open)
                clean = e;
            open = corrupt = source = 0;
            scanned = 0;
        } else if (store_corrupt(e) || source_missing(e) || run_repair_failed(&run, e)) {
            total++;
            open++;
            corrupt += store_corrupt(e);
            source += source_missing(e);
            scanned |= e->event_id == TL_EV_CORRUPTION_FOUND;
            last = e;
        }
    }
    if (!total)
        return 0;
    const char *fix = source ? "dism-restorehealth-source"
                      : corrupt ? "dism-restorehealth"
                      : open && last->has_code ? code_fix(last->code, "dism-restorehealth")
                                               : "dism-restorehealth";
    enum severity sev = !open ? SEV_INFO : corrupt ? SEV_CRITICAL : SEV_WARNING;
    struct finding *f = finding_new(d, "servicing-corruption", sev, fix);
    if (!f)
        return -1;
    f->resolved = open == 0;
    f->count = open ? open : total;
    f->confidence = !open ? 60 : scanned ? 90 : corrupt ? 85 : 75;
    if (!open)
        finding_set_title(f,
                 "Earlier component store problems were repaired or a later scan "
                 "found no corruption");
    else if (corrupt && source)
        finding_set_title(f,
                 "The component store (WinSxS) is corrupt and the repair could not "
                 "find source files (0x800F081F): repair it from installation media");
    else if (corrupt)
        finding_set_title(f,
                 "The component store (WinSxS) is corrupt: updates cannot install "
                 "until DISM repairs it");
    else if (source)
        finding_set_title(f,
                 "Servicing could not find the source files it needs (0x800F081F)");
    else
        finding_set_title(f,
                 "DISM could not repair the component store");
    /* the evidence: the open problems, or everything up to the clean scan */
    {
        size_t from = 0;
        int64_t until = clean && !open ? clean->time_us : INT64_MAX;
        if (open) {
            /* start after the last clean signal */
            for (size_t i = 0; i < m->nevents; i++)
                if (is_servicing_log(&m->events[i]) && store_clean(&m->events[i]))
                    from = i + 1;
        }
        struct dism_run run2 = {0, 0};
        for (size_t i = 0; i < m->nevents; i++) {
            const struct m_event *e = &m->events[i];
            if (!is_servicing_log(e))
                continue;
            dism_run_step(&run2, e);
            if (i < from || e->time_us > until)
                continue;
            if (store_corrupt(e) || source_missing(e) || run_repair_failed(&run2, e)) {
                if (e->has_code)
                    finding_add_code(f, e->code);
                textlog_evidence(f, e);
            }
        }
        if (clean && !open)
            textlog_evidence(f, clean);
    }
    return 0;
}

/* ---- rule: System File Checker results ------------------------------------ */

static int rule_sfc_result(const struct model *m, struct diagnosis *d)
{
    long total = 0, open = 0, repaired = 0;
    int store_bad = 0, source = 0;
    const struct m_event *ok = NULL;
    size_t from = 0;

    for (size_t i = 0; i < m->nevents; i++) {
        const struct m_event *e = &m->events[i];
        if (!is_servicing_log(e))
            continue;
        source |= source_missing(e);
        switch (e->event_id) {
        case TL_EV_SFC_CANNOT_REPAIR: case TL_EV_SFC_STORE_CORRUPT:
        case TL_EV_SFC_UNABLE:
            total++;
            open++;
            store_bad |= e->event_id == TL_EV_SFC_STORE_CORRUPT;
            break;
        case TL_EV_SFC_REPAIRED_FILE: case TL_EV_SFC_REPAIRED:
            repaired++;
            break;
        case TL_EV_SFC_CLEAN:
            if (open || total) {
                ok = e;
                from = i + 1;
            }
            open = 0;
            store_bad = 0;
            break;
        default:
            break;
        }
    }
    if (!total && !repaired)
        return 0;
    struct finding *f;
    if (open) {
        f = finding_new(d, "sfc-result", SEV_WARNING,
                        source ? "dism-restorehealth-source" : "dism-restorehealth");
        if (!f)
            return -1;
        f->count = open;
        f->confidence = store_bad ? 85 : 75;
        finding_set_title(f,
                 "System File Checker found corrupt system files it could not "
                 "repair%s", store_bad ? " (their copies in the component store "
                                         "are corrupt too)" : "");
    } else {
        f = finding_new(d, "sfc-result", SEV_INFO, "sfc-scannow");
        if (!f)
            return -1;
        f->resolved = 1;
        f->count = total ? total : repaired;
        f->confidence = 60;
        finding_set_title(f, total
                 ? "System File Checker could not repair some files earlier; a later "
                   "scan found no integrity violations"
                 : "System File Checker found corrupt system files and repaired them");
    }
    for (size_t i = open ? from : 0; i < m->nevents; i++) {
        const struct m_event *e = &m->events[i];
        if (!is_servicing_log(e) || (ok && !open && e->time_us > ok->time_us))
            continue;
        if (e->event_id == TL_EV_SFC_CANNOT_REPAIR || e->event_id == TL_EV_SFC_STORE_CORRUPT ||
            e->event_id == TL_EV_SFC_UNABLE || e->event_id == TL_EV_SFC_REPAIRED ||
            (e->event_id == TL_EV_SFC_REPAIRED_FILE && !total))
            textlog_evidence(f, e);
    }
    if (ok && !open)
        textlog_evidence(f, ok);
    return 0;
}

/* ---- rule: Windows Update cannot reach its server (proxy, DNS, WSUS) ----- */

/* Network codes, WinHTTP errors and the update protocol's HTTP/SOAP errors. */
static int connectivity_code(uint32_t code)
{
    enum kb_category cat = code_category(code);
    if (cat == KB_CAT_BENIGN)
        return 0;
    if (cat == KB_CAT_NETWORK)
        return 1;
    if (code >= 0x80072EE0 && code <= 0x80072FFF)      /* WinHTTP 12000-12287 */
        return 1;
    return (code & 0xFFFFF000) == 0x80244000 && cat == KB_CAT_POLICY;
}

static int rule_update_connectivity(const struct model *m, struct diagnosis *d)
{
    long total = 0, open = 0, calls = 0;
    const struct m_event *wsus = NULL, *ok = NULL, *last = NULL;
    size_t from = 0;
    char when[32];

    for (size_t i = 0; i < m->nevents; i++) {
        const struct m_event *e = &m->events[i];
        if (!is_wu_log(e))
            continue;
        if (e->event_id == TL_EV_WU_WSUS_SERVER || e->event_id == TL_EV_WU_ENDPOINT_WSUS)
            wsus = e;
        else if (e->event_id == TL_EV_WU_ENDPOINT_MS)
            wsus = NULL;            /* it talks to Microsoft Update since */
        if (e->event_id == TL_EV_WU_EXIT_OK || e->event_id == TL_EV_WU_SCAN_OK) {
            if (open) {
                ok = e;
                from = i + 1;
            }
            open = calls = 0;
        } else if (e->has_code && connectivity_code(e->code) &&
                   e->event_id != TL_EV_WU_DOWNLOAD_REFUSED) {
            /* (a refused download reached its server: store-download-failures) */
            total++;
            open++;
            last = e;
            calls += e->event_id == TL_EV_WU_EXIT_ERROR;
        }
    }
    if (!total)
        return 0;
    const char *fix = wsus ? "check-wsus-policy" : code_fix(last->code, "check-proxy");
    enum severity sev = !open ? SEV_INFO : calls >= REPEAT_ESCALATES ? SEV_CRITICAL
                                                                     : SEV_WARNING;
    struct finding *f = finding_new(d, "update-connectivity", sev, fix);
    if (!f)
        return -1;
    f->resolved = open == 0;
    f->count = open ? (calls ? calls : open) : total;
    f->confidence = !open ? 60 : calls >= REPEAT_ESCALATES ? 90 : 80;
    if (open)
        finding_set_title(f,
                 "Windows Update cannot reach its update server%s: 0x%08X (%s)%s",
                 wsus ? " (WSUS)" : "", last->code, code_symbol(last->code),
                 calls > 1 ? ", repeatedly" : "");
    else
        finding_set_title(f,
                 "Earlier failures to reach the update server (0x%08X %s) ended with "
                 "a successful call", last->code, code_symbol(last->code));
    for (size_t i = open ? from : 0; i < m->nevents; i++) {
        const struct m_event *e = &m->events[i];
        if (!is_wu_log(e) || !e->has_code || !connectivity_code(e->code) ||
            e->event_id == TL_EV_WU_DOWNLOAD_REFUSED ||
            (!open && ok && e->time_us > ok->time_us))
            continue;
        finding_add_code(f, e->code);
        textlog_evidence(f, e);
    }
    if (wsus)
        finding_add_evidence(f, wsus->time_us, wsus->event_id,
                             "%s line %lld: the update server is WSUS%s%s (seen %s UTC); "
                             "check its URL in policy and that it is reachable",
                             wsus->channel, (long long)wsus->record_id,
                             wsus->detail ? " at " : "", wsus->detail ? wsus->detail : "",
                             format_time(wsus->time_us, when, sizeof when));
    if (ok && !open)
        textlog_evidence(f, ok);
    return 0;
}

/* ---- rules over facts read live (collect) ------------------------------- */

/* Windows itself says a restart is pending (registry, read by collect). */
static int rule_reboot_pending_fact(const struct model *m, struct diagnosis *d)
{
    const struct m_fact *f = model_fact(m, "reboot_pending");
    char when[32];

    if (!f || !f->value || strncmp(f->value, "yes", 3) != 0)
        return 0;
    /* a start of Windows after the reading means it has been done */
    for (size_t i = 0; i < m->nevents; i++)
        if (is_boot(&m->events[i]) && m->events[i].time_us > f->time_us)
            return 0;
    struct finding *fd = finding_new(d, "restart-pending-registry", SEV_WARNING,
                                     "restart-pending");
    if (!fd)
        return -1;
    fd->confidence = 90;
    fd->count = 1;
    finding_set_title(fd,
             "Windows is waiting for a restart to finish installing updates");
    finding_add_evidence(fd, f->time_us, 0, "registry at %s UTC: %s",
                         format_time(f->time_us, when, sizeof when), f->value + 3);
    return 0;
}

#define LOW_DISK_MB      10240   /* below this, updates start to fail */
#define CRITICAL_DISK_MB 2048

static int rule_low_disk(const struct model *m, struct diagnosis *d)
{
    const struct m_fact *f = model_fact(m, "free_space_mb");
    char *end, when[32];
    long long mb;

    if (!f || !f->value)
        return 0;
    mb = strtoll(f->value, &end, 10);
    if (*end || mb < 0 || mb >= LOW_DISK_MB)
        return 0;
    struct finding *fd = finding_new(d, "low-disk-space",
                                     mb < CRITICAL_DISK_MB ? SEV_CRITICAL : SEV_WARNING,
                                     "free-disk-space");
    if (!fd)
        return -1;
    fd->root_cause = 1;
    fd->confidence = 85;
    fd->count = 1;
    finding_set_title(fd,
             "Only %lld MB free on the system drive: updates need several GB",
             mb);
    finding_add_code(fd, 0x80070070);
    finding_add_evidence(fd, f->time_us, 0, "free space %lld MB (read at %s UTC)", mb,
                         format_time(f->time_us, when, sizeof when));
    return 0;
}

/*
 * A WSUS server set by policy matters when scans or downloads fail for
 * network or policy reasons: the fix is then on the WSUS side or the policy.
 */
static int rule_wsus_policy(const struct model *m, struct diagnosis *d)
{
    const struct m_fact *f = model_fact(m, "wsus_server");
    const struct m_event *last = NULL;
    char when[32];
    long n = 0;

    if (!f || !f->value || !*f->value)
        return 0;
    for (size_t i = 0; i < m->nevents; i++) {
        const struct m_event *e = &m->events[i];
        enum kb_category c;
        if (model_event_family(e) != EF_WU || !e->has_code)
            continue;
        c = code_category(e->code);
        if ((c == KB_CAT_NETWORK || c == KB_CAT_POLICY) && e->time_us >= f->time_us - 30 * WU_DAY_US) {
            n++;
            last = e;
        }
    }
    if (!last)
        return 0;
    struct finding *fd = finding_new(d, "wsus-policy", SEV_WARNING, "check-wsus-policy");
    if (!fd)
        return -1;
    fd->root_cause = 1;
    fd->confidence = 70;
    fd->count = n;
    finding_set_title(fd,
             "Updates come from a WSUS server set by policy, and reaching it fails");
    finding_add_code(fd, last->code);
    finding_add_evidence(fd, f->time_us, 0, "policy WUServer = %s", f->value);
    finding_add_evidence(fd, last->time_us, last->event_id, "%ld network/policy failures; "
                         "last at %s UTC", n, format_time(last->time_us, when, sizeof when));
    return 0;
}

/* ---- the table ----------------------------------------------------------- */

const struct rule rules[] = {
    {"service-disabled", rule_service_disabled,
     "an update service's start type is disabled (live reading or 7040 event)"},
    {"service-disabled-inferred", rule_service_disabled_inferred,
     "0x80070422 in update events while nothing shows wuauserv enabled since"},
    {"service-state", rule_service_state,
     "an automatic update service is stopped, or a required one is missing"},
    {"service-failures", rule_scm_failures,
     "Service Control Manager failures of update services (failed or hung "
     "starts, crashes, errors): open while they repeat, or updates fail with "
     "a service code, and nothing shows the service working since; routine "
     "stops at shutdown (7043, errors within minutes of a shutdown) left out"},
    {"update-failures", rule_update_failures,
     "install, scan and download failures with a code, grouped by code; findings install-failures, scan-failures, "
     "download-failures"},
    {"no-recent-success", rule_no_recent_success,
     "attempts but no successful install of any kind in the last 35 days of "
     "evidence, for hosts whose updates name no cumulative or feature update "
     "(those are patch-state's)"},
    {"patch-state", rule_patch_state,
     "no cumulative (quality) update installed for 35 days by update class "
     "(vocab/updates.h); Defender/Store successes do not count (rule_patch.c)"},
    {"restart-pending", rule_pending_restart,
     "an update asked for a restart (Windows Update 21/22, servicing 'a reboot "
     "is necessary', ...) and no start of Windows is logged after it; names the "
     "updates and how long they have waited"},
    {"servicing-corruption", rule_servicing_corruption,
     "CBS.log/DISM.log: component store corruption, missing payload or manifest, "
     "or missing repair source (0x800F081F), unless a later scan or repair was "
     "clean; DISM /RestoreHealth, with /Source and /LimitAccess when the source "
     "is missing"},
    {"sfc-result", rule_sfc_result,
     "CBS.log [SR] lines and sfc output: files System File Checker could not "
     "repair, unless a later scan found no integrity violations"},
    {"update-connectivity", rule_update_connectivity,
     "WindowsUpdate.log: the agent cannot reach its update server (0x8024402C, "
     "0x80072EE2, 0x80072EE7 and other network codes) until a later call "
     "succeeds; WinHTTP proxy check, or the WSUS policy when a WSUS server is "
     "configured"},
    {"automatic-updates-disabled", rule_automatic_updates,
     "WindowsUpdate.log: the agent reads Automatic Updates as disabled ('AU "
     "disabled through User preference' or Policy) at its last start"},
    {"store-download-failures", rule_store_downloads,
     "WindowsUpdate.log: Delivery Optimization / BITS downloads refused by the "
     "server with an HTTP error (0x80190193 403) and not downloaded since"},
    {"feature-update-failures", rule_feature_update,
     "a feature update (Windows 10/11, version ...) whose latest install result "
     "is a failure"},
    {"dism-failures", rule_dism_failures,
     "DISM.log: a DISM command other than a repair failed (offline/WinPE "
     "servicing, /Enable-Feature, /Add-Package ...); named by the run's first "
     "specific code (0x80070020: files in use), not the E_FAIL that follows"},
    {"restart-pending-registry", rule_reboot_pending_fact,
     "collect read a pending restart in the registry (RebootRequired, CBS "
     "RebootPending, PendingFileRenameOperations)"},
    {"low-disk-space", rule_low_disk,
     "less than 10 GB free on the system drive (collect)"},
    {"wsus-policy", rule_wsus_policy,
     "a WSUS server set by policy while scans/downloads fail for network or "
     "policy reasons"},
};
const size_t rules_len = sizeof rules / sizeof rules[0];
