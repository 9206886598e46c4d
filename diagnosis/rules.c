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
#include "vocab/kb.h"
#include "util/strset.h"
#include "vocab/semantics.h"
#include "vocab/services.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY_US        (86400LL * 1000000LL)
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
        snprintf(f->title, sizeof f->title, "%s service (%s) is disabled",
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
    snprintf(f->title, sizeof f->title,
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
            snprintf(f->title, sizeof f->title, "%s service (%s) is not installed",
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
        snprintf(f->title, sizeof f->title,
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

static int rule_scm_failures(const struct model *m, struct diagnosis *d)
{
    for (size_t s = 0; s < wu_services_len; s++) {
        const struct wu_service_info *svc = &wu_services[s];
        long total = 0, open = 0;
        const struct m_event *last_fail = NULL;
        int64_t last_running = 0;
        char when[32];

        for (size_t i = 0; i < m->nevents; i++) {
            const struct m_event *e = &m->events[i];
            if (is_service_failure(e, svc->name)) {
                total++;
                last_fail = e;
            }
        }
        /* 7036 "running" events are observations too (stored at import) */
        for (size_t i = 0; i < m->nobservations; i++) {
            const struct m_service *o = &m->observations[i];
            if (strcmp(o->name, svc->name) == 0 && o->state &&
                strcmp(o->state, "running") == 0 && o->time_us > last_running)
                last_running = o->time_us;
        }
        if (!total)
            continue;
        for (size_t i = 0; i < m->nevents; i++) {
            const struct m_event *e = &m->events[i];
            if (is_service_failure(e, svc->name) && e->time_us > last_running)
                open++;
        }
        enum severity sev = SEV_INFO;
        int resolved = 0;
        if (open > 0)
            sev = (svc->critical &&
                   (open >= REPEAT_ESCALATES ||
                    model_event_kind(last_fail) == EK_SERVICE_START_FAILED))
                      ? SEV_CRITICAL : SEV_WARNING;
        else if (total >= REPEAT_ESCALATES)
            sev = SEV_WARNING;      /* keeps failing, even if it comes back */
        else
            resolved = 1;
        struct finding *f = finding_new(d, "service-failures", sev,
                                        last_fail->has_code
                                            ? code_fix(last_fail->code,
                                                       "restart-update-services")
                                            : "restart-update-services");
        if (!f)
            return -1;
        f->resolved = resolved;
        f->count = total;
        f->confidence = open ? 80 : 60;
        if (resolved)
            snprintf(f->title, sizeof f->title,
                     "%s service (%s) failed %ld time%s, then ran again", svc->display[0],
                     svc->name, total, total == 1 ? "" : "s");
        else if (open)
            snprintf(f->title, sizeof f->title,
                     "%s service (%s) fails to start or stops with an error",
                     svc->display[0], svc->name);
        else
            snprintf(f->title, sizeof f->title,
                     "%s service (%s) keeps failing (%ld times)", svc->display[0],
                     svc->name, total);
        for (size_t i = 0; i < m->nevents; i++) {
            const struct m_event *e = &m->events[i];
            if (!is_service_failure(e, svc->name))
                continue;
            if (e->has_code)
                finding_add_code(f, e->code);
            finding_add_evidence(f, e->time_us, e->event_id,
                                 "SCM event %d for %s at %s UTC%s%s", e->event_id,
                                 svc->name, format_time(e->time_us, when, sizeof when),
                                 e->has_code ? ": " : "",
                                 e->has_code ? code_symbol(e->code) : "");
        }
    }
    return 0;
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
        enum severity sev;
        if (cat == KB_CAT_BENIGN)
            sev = SEV_INFO;
        else if (open >= REPEAT_ESCALATES)
            sev = SEV_CRITICAL;
        else if (open > 0)
            sev = SEV_WARNING;
        else
            sev = SEV_INFO;
        struct finding *f = finding_new(d, rule_id, sev,
                                        code_fix(code, "run-troubleshooter"));
        if (!f) {
            rc = -1;
            break;
        }
        f->resolved = open == 0;
        f->count = total;
        f->confidence = cat == KB_CAT_BENIGN ? 50
                        : open >= REPEAT_ESCALATES ? 90 : open ? 75 : 60;
        finding_add_code(f, code);
        if (open == 0)
            snprintf(f->title, sizeof f->title,
                     "Earlier %s failure%s with 0x%08X (%s) resolved by a later success",
                     kind_verb(kind), total == 1 ? "" : "s", code,
                     k ? k->symbol : "unknown code");
        else if (cat == KB_CAT_BENIGN)
            snprintf(f->title, sizeof f->title,
                     "Windows Update reported 0x%08X (%s) during %s: transient, no "
                     "action needed", code, k->symbol, kind_verb(kind));
        else
            snprintf(f->title, sizeof f->title, "%s fails with 0x%08X (%s)%s",
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

static int rule_no_recent_success(const struct model *m, struct diagnosis *d)
{
    int64_t ref = m->last_us, last_ok = 0, window = STALE_DAYS * DAY_US;
    long attempts = 0;
    const struct m_event *last_attempt = NULL;
    char when[32], when2[32];

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
    snprintf(f->title, sizeof f->title,
             "No update installed successfully in the %d days before the newest "
             "evidence, although Windows Update tried", STALE_DAYS);
    if (last_ok)
        finding_add_evidence(f, last_ok, 19, "last successful install at %s UTC",
                             format_time(last_ok, when, sizeof when));
    finding_add_evidence(f, last_attempt->time_us, last_attempt->event_id,
                         "%ld attempts since; last at %s UTC", attempts,
                         format_time(last_attempt->time_us, when2, sizeof when2));
    return 0;
}

/* ---- rule: restart pending ---------------------------------------------- */

static int rule_pending_restart(const struct model *m, struct diagnosis *d)
{
    const struct m_event *req = NULL;
    char when[32];

    for (size_t i = 0; i < m->nevents; i++) {
        const struct m_event *e = &m->events[i];
        if (model_event_kind(e) == EK_RESTART_REQUIRED)
            req = e;
        else if (req && is_boot(e))
            req = NULL;         /* restarted since */
    }
    if (!req)
        return 0;
    /* age against the newest evidence, or the report time if earlier */
    int64_t ref = m->generated_us > 0 && m->generated_us < m->last_us
                      ? m->generated_us : m->last_us;
    int long_ago = ref - req->time_us > RESTART_DAYS * DAY_US;
    struct finding *f = finding_new(d, "restart-pending",
                                    long_ago ? SEV_WARNING : SEV_INFO,
                                    "restart-pending");
    if (!f)
        return -1;
    f->confidence = 70;
    f->count = 1;
    snprintf(f->title, sizeof f->title,
             "A restart is pending to finish installing updates%s",
             long_ago ? " (for more than a week)" : "");
    finding_add_evidence(f, req->time_us, req->event_id,
                         "restart required since %s UTC; no start of Windows logged after it",
                         format_time(req->time_us, when, sizeof when));
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
    char code[64] = "";

    if (e->has_code)
        snprintf(code, sizeof code, " (0x%08X %s)", e->code, code_symbol(e->code));
    finding_add_evidence(f, e->time_us, e->event_id, "%s line %lld: %s%s",
                         e->channel, (long long)e->record_id,
                         what ? what : "logged an error", code);
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

    for (size_t i = 0; i < m->nevents; i++) {
        const struct m_event *e = &m->events[i];
        if (!is_servicing_log(e))
            continue;
        if (store_clean(e)) {
            if (open)
                clean = e;
            open = corrupt = source = 0;
            scanned = 0;
        } else if (store_corrupt(e) || source_missing(e) || repair_failed(e)) {
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
        snprintf(f->title, sizeof f->title,
                 "Earlier component store problems were repaired or a later scan "
                 "found no corruption");
    else if (corrupt && source)
        snprintf(f->title, sizeof f->title,
                 "The component store (WinSxS) is corrupt and the repair could not "
                 "find source files (0x800F081F): repair it from installation media");
    else if (corrupt)
        snprintf(f->title, sizeof f->title,
                 "The component store (WinSxS) is corrupt: updates cannot install "
                 "until DISM repairs it");
    else if (source)
        snprintf(f->title, sizeof f->title,
                 "Servicing could not find the source files it needs (0x800F081F)");
    else
        snprintf(f->title, sizeof f->title,
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
        for (size_t i = from; i < m->nevents; i++) {
            const struct m_event *e = &m->events[i];
            if (!is_servicing_log(e) || e->time_us > until)
                continue;
            if (store_corrupt(e) || source_missing(e) || repair_failed(e)) {
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
        snprintf(f->title, sizeof f->title,
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
        snprintf(f->title, sizeof f->title, total
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
        if (e->event_id == TL_EV_WU_EXIT_OK) {
            if (open) {
                ok = e;
                from = i + 1;
            }
            open = calls = 0;
        } else if (e->has_code && connectivity_code(e->code)) {
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
        snprintf(f->title, sizeof f->title,
                 "Windows Update cannot reach its update server%s: 0x%08X (%s)%s",
                 wsus ? " (WSUS)" : "", last->code, code_symbol(last->code),
                 calls > 1 ? ", repeatedly" : "");
    else
        snprintf(f->title, sizeof f->title,
                 "Earlier failures to reach the update server (0x%08X %s) ended with "
                 "a successful call", last->code, code_symbol(last->code));
    for (size_t i = open ? from : 0; i < m->nevents; i++) {
        const struct m_event *e = &m->events[i];
        if (!is_wu_log(e) || !e->has_code || !connectivity_code(e->code) ||
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
    snprintf(fd->title, sizeof fd->title,
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
    fd->confidence = 85;
    fd->count = 1;
    snprintf(fd->title, sizeof fd->title,
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
        if ((c == KB_CAT_NETWORK || c == KB_CAT_POLICY) && e->time_us >= f->time_us - 30 * DAY_US) {
            n++;
            last = e;
        }
    }
    if (!last)
        return 0;
    struct finding *fd = finding_new(d, "wsus-policy", SEV_WARNING, "check-wsus-policy");
    if (!fd)
        return -1;
    fd->confidence = 70;
    fd->count = n;
    snprintf(fd->title, sizeof fd->title,
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
     "Service Control Manager failures of update services: failed or hung "
     "starts, crashes, errors, slow stops at shutdown"},
    {"update-failures", rule_update_failures,
     "install, scan and download failures with a code, grouped by code; findings install-failures, scan-failures, "
     "download-failures"},
    {"no-recent-success", rule_no_recent_success,
     "attempts but no successful install in the last 35 days of evidence"},
    {"patch-state", rule_patch_state,
     "no cumulative (quality) update installed for 35 days by update class "
     "(vocab/updates.h); Defender/Store successes do not count (rule_patch.c)"},
    {"restart-pending", rule_pending_restart,
     "restart required with no start of Windows after it"},
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
