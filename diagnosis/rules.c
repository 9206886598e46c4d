/*
 * rules.c - the diagnosis rules, one function and one table row each.
 *
 * Every rule reads the model only.  What a code means, and which fix goes
 * with it, comes from the knowledge base (kb.h); which services matter and
 * how much comes from update_services[] below.  A failure that a later
 * success of the same update (or a later successful scan/download) undid is
 * kept as resolved history and never counts toward the verdict.
 */
#include "diagnose.h"
#include "kb.h"
#include "strset.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY_US        (86400LL * 1000000LL)
#define STALE_DAYS    35      /* no successful install for this long: warning */
#define RESTART_DAYS  7       /* restart pending longer than this: warning */
#define REPEAT_ESCALATES 3    /* the same open failure this often: critical */

/* ---- knowledge: the update services ------------------------------------ */

struct update_service {
    const char *name;
    const char *display;
    enum severity if_disabled;   /* severity when its start type is disabled */
    int must_exist;              /* missing service is a finding */
    const char *fix_id;
};

static const struct update_service update_services[] = {
    {"wuauserv", "Windows Update", SEV_CRITICAL, 1, "enable-wuauserv"},
    {"UsoSvc", "Update Orchestrator Service", SEV_CRITICAL, 0, "enable-usosvc"},
    {"BITS", "Background Intelligent Transfer Service", SEV_CRITICAL, 1, "enable-bits"},
    {"CryptSvc", "Cryptographic Services", SEV_CRITICAL, 1, "enable-cryptsvc"},
    {"TrustedInstaller", "Windows Modules Installer", SEV_CRITICAL, 1,
     "enable-trustedinstaller"},
    {"WaaSMedicSvc", "Windows Update Medic Service", SEV_WARNING, 0,
     "restart-update-services"},
    {"DoSvc", "Delivery Optimization", SEV_WARNING, 0, "restart-update-services"},
    {"msiserver", "Windows Installer", SEV_WARNING, 1, "restart-update-services"},
};

#define COUNT(a) (sizeof (a) / sizeof (a)[0])

/* ---- event helpers ------------------------------------------------------ */

static int is_wu(const struct m_event *e)
{
    return model_event_source(e) == M_SRC_WU;
}

static int is_scm(const struct m_event *e)
{
    return model_event_source(e) == M_SRC_SCM;
}

/* Windows started (a boot) at this event. */
static int is_boot(const struct m_event *e)
{
    return model_event_source(e) == M_SRC_BOOT;
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
    for (size_t i = 0; i < COUNT(update_services); i++) {
        const struct update_service *svc = &update_services[i];
        struct m_service st;
        char when[32];

        if (!model_service_latest(m, svc->name, &st) || !st.start_type ||
            strcmp(st.start_type, "disabled") != 0)
            continue;
        struct finding *f = finding_new(d, "service-disabled", svc->if_disabled,
                                        svc->fix_id);
        if (!f)
            return -1;
        snprintf(f->title, sizeof f->title, "%s service (%s) is disabled",
                 svc->display, svc->name);
        f->confidence = strcmp(st.origin, "live") == 0 ? 95 : 85;
        f->count = 1;
        if (svc == &update_services[0])
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
    for (size_t i = 0; i < COUNT(update_services); i++) {
        const struct update_service *svc = &update_services[i];
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
                     svc->display, svc->name);
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
                 svc->display, svc->name);
        f->confidence = 80;
        f->count = 1;
        finding_add_evidence(f, st.time_us, 0, "%s: %s, start type %s (read at %s UTC)",
                             svc->name, st.state, st.start_type,
                             format_time(st.time_us, when, sizeof when));
    }
    return 0;
}

/* ---- rule: Service Control Manager failures of update services --------- */

static int is_scm_failure(int id)
{
    static const int ids[] = {7000, 7009, 7011, 7022, 7023, 7024, 7031, 7034, 7043};
    for (size_t i = 0; i < COUNT(ids); i++)
        if (ids[i] == id)
            return 1;
    return 0;
}

static int rule_scm_failures(const struct model *m, struct diagnosis *d)
{
    for (size_t s = 0; s < COUNT(update_services); s++) {
        const struct update_service *svc = &update_services[s];
        long total = 0, open = 0;
        const struct m_event *last_fail = NULL;
        int64_t last_running = 0;
        char when[32];

        for (size_t i = 0; i < m->nevents; i++) {
            const struct m_event *e = &m->events[i];
            if (!is_scm(e) || !e->service || strcmp(e->service, svc->name) != 0)
                continue;
            if (is_scm_failure(e->event_id)) {
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
            if (is_scm(e) && e->service && strcmp(e->service, svc->name) == 0 &&
                is_scm_failure(e->event_id) && e->time_us > last_running)
                open++;
        }
        enum severity sev = SEV_INFO;
        int resolved = 0;
        if (open > 0)
            sev = (svc->if_disabled == SEV_CRITICAL &&
                   (open >= REPEAT_ESCALATES || last_fail->event_id == 7000 ||
                    last_fail->event_id == 7009 || last_fail->event_id == 7024))
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
                     "%s service (%s) failed %ld time%s, then ran again", svc->display,
                     svc->name, total, total == 1 ? "" : "s");
        else if (open)
            snprintf(f->title, sizeof f->title,
                     "%s service (%s) fails to start or stops with an error",
                     svc->display, svc->name);
        else
            snprintf(f->title, sizeof f->title,
                     "%s service (%s) keeps failing (%ld times)", svc->display,
                     svc->name, total);
        for (size_t i = 0; i < m->nevents; i++) {
            const struct m_event *e = &m->events[i];
            if (!is_scm(e) || !e->service || strcmp(e->service, svc->name) != 0 ||
                !is_scm_failure(e->event_id))
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

static int failure_kind_of(const struct m_event *e, enum failure_kind *k)
{
    if (!is_wu(e) || !e->has_code)
        return 0;
    switch (e->event_id) {
    case 20: *k = FK_INSTALL; return 1;
    case 16: case 25: *k = FK_SCAN; return 1;
    case 31: *k = FK_DOWNLOAD; return 1;
    default: return 0;
    }
}

/*
 * Mark each failure event that a later success undid, in one backward pass:
 * an install failure by a later install (19) of the same update; a scan
 * failure by any later successful scan (26) or anything a scan must precede
 * (download/install activity); a download failure by a later download (41)
 * or install (19) of the same update, or of any update when the failure
 * names none.  Returns a malloc'd array of nevents flags, NULL on OOM.
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
        if (!is_wu(e))
            continue;
        switch (e->event_id) {
        case 20:
            res[i] = key && strset_has(&installed, key);
            break;
        case 16: case 25:
            res[i] = (unsigned char)scan_ok;
            break;
        case 31:
            res[i] = key ? strset_has(&downloaded, key) : any_download;
            break;
        case 19:
            if (key && (strset_add(&installed, key) || strset_add(&downloaded, key)))
                goto nomem;
            scan_ok = any_download = 1;
            break;
        case 41:
            if (key && strset_add(&downloaded, key))
                goto nomem;
            scan_ok = any_download = 1;
            break;
        case 26: case 43: case 44:
            scan_ok = 1;
            break;
        default:
            break;
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
        if (!is_wu(e))
            continue;
        if (e->event_id == 19)
            last_ok = e->time_us;
        else if ((e->event_id == 20 || e->event_id == 43 || e->event_id == 31 ||
                  e->event_id == 25 || e->event_id == 16) &&
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
        if (is_wu(e) && (e->event_id == 21 || e->event_id == 22))
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

/* ---- the table ----------------------------------------------------------- */

const struct rule rules[] = {
    {"service-disabled", rule_service_disabled,
     "an update service's start type is disabled (live reading or 7040 event)"},
    {"service-disabled-inferred", rule_service_disabled_inferred,
     "0x80070422 in update events while nothing shows wuauserv enabled since"},
    {"service-state", rule_service_state,
     "an automatic update service is stopped, or a required one is missing"},
    {"service-failures", rule_scm_failures,
     "Service Control Manager failures (7000, 7009, 7011, 7022-7024, 7031, 7034, "
     "7043) of update services"},
    {"update-failures", rule_update_failures,
     "WindowsUpdateClient install (20), scan (16/25) and download (31) failures "
     "grouped by code; findings install-failures, scan-failures, "
     "download-failures"},
    {"no-recent-success", rule_no_recent_success,
     "attempts but no successful install in the last 35 days of evidence"},
    {"restart-pending", rule_pending_restart,
     "restart required (21/22) with no start of Windows after it"},
};
const size_t rules_len = sizeof rules / sizeof rules[0];
