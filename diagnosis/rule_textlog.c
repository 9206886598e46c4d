/*
 * rule_textlog.c - rules for what WindowsUpdate.log states that event logs
 * do not: the Automatic Updates setting the agent reads at each start, and
 * Delivery Optimization / BITS downloads the server refused with an HTTP
 * error; and a rule for a feature update whose last install failed (from
 * any log: it reads kind, outcome and the update's title); and DISM runs
 * that failed for a reason other than a failed repair (dism-failures).
 *
 * They read the model only: event IDs of text-log lines (vocab/semantics.h
 * enum tl_event) and kind/outcome through vocab/model.h's accessors.
 */
#include "diagnosis/rule_textlog.h"
#include "vocab/kb.h"
#include "vocab/semantics.h"
#include "util/timeutil.h"

#include <stdio.h>
#include <string.h>

#define COUNT(a) (sizeof (a) / sizeof (a)[0])

static const char *symbol_of(uint32_t code)
{
    const struct kb_code *k = kb_code_find(code);
    return k ? k->symbol : "unknown code";
}

static const char *key_of(const struct m_event *e)
{
    return e->guid ? e->guid : e->kb ? e->kb : e->title;
}

static int same_key(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static void line_evidence(struct finding *f, const struct m_event *e, const char *what)
{
    char when[32];
    finding_add_evidence(f, e->time_us, e->event_id, "%s line %lld (%s): %s",
                         e->channel ? e->channel : "log", (long long)e->record_id,
                         format_time(e->time_us, when, sizeof when), what);
}

/* ---- rule: Automatic Updates turned off ------------------------------------ */

/*
 * The old agent (Windows 7/8.1) writes the Automatic Updates setting at
 * every start of the service: "AU disabled through User preference" (or
 * Policy) when it is "Never check for updates", an approval type otherwise.
 * The last statement is the setting in force.
 */
int rule_automatic_updates(const struct model *m, struct diagnosis *d)
{
    const struct m_event *first = NULL, *last = NULL, *on = NULL;
    long n = 0, total = 0;

    for (size_t i = 0; i < m->nevents; i++) {
        const struct m_event *e = &m->events[i];
        if (model_event_family(e) != EF_WU_LOG)
            continue;
        if (e->event_id == TL_EV_WU_AU_DISABLED) {
            if (!n)
                first = e;
            last = e;
            n++;
            total++;
        } else if (e->event_id == TL_EV_WU_AU_ENABLED) {
            if (n)
                on = e;
            n = 0;
        }
    }
    if (!total)
        return 0;
    struct finding *f = finding_new(d, "automatic-updates-disabled",
                                    n ? SEV_CRITICAL : SEV_INFO, "enable-automatic-updates");
    if (!f)
        return -1;
    f->resolved = n == 0;
    f->root_cause = n > 0;
    f->count = n ? n : total;
    f->confidence = n ? (n >= 3 ? 90 : 80) : 60;
    if (n) {
        finding_set_title(f,
                 "Automatic Updates are turned off (\"never check for updates\"): "
                 "Windows Update does not look for or install updates by itself");
        line_evidence(f, first, "the Windows Update service reads Automatic Updates as "
                      "disabled (AU disabled)");
        if (last != first) {
            char what[96];
            snprintf(what, sizeof what, "still disabled; stated at %ld starts of the "
                     "service", n);
            line_evidence(f, last, what);
        }
    } else {
        finding_set_title(f, "Automatic Updates were turned off earlier and are on again");
        line_evidence(f, on, "Automatic Updates are turned on again");
    }
    return 0;
}

/* ---- rule: Store / Delivery Optimization downloads refused ------------------ */

/* BG_E_HTTP_ERROR_xxx: 0x80190000 | HTTP status */
static int http_status(uint32_t code)
{
    return (code & 0xFFFF0000u) == 0x80190000u ? (int)(code & 0xFFFF) : 0;
}

/*
 * Downloads refused by the server (HTTP 4xx through Delivery Optimization
 * or BITS, the Store's apps and Windows Update content alike): the server
 * was reached, so this is no connectivity failure; a later successful
 * download or install of the same update closes it.
 */
int rule_store_downloads(const struct model *m, struct diagnosis *d)
{
    long open = 0, total = 0, updates = 0;
    const struct m_event *last = NULL, *scan_ok = NULL;
    const char *keys[16];
    size_t nkeys = 0;

    for (size_t i = 0; i < m->nevents; i++) {
        const struct m_event *e = &m->events[i];
        if (model_event_is(e, EK_SCAN, EO_SUCCEEDED))
            scan_ok = e;
        if (model_event_family(e) != EF_WU_LOG || e->event_id != TL_EV_WU_DOWNLOAD_REFUSED ||
            !e->has_code)
            continue;
        total++;
        /* resolved: the same update downloaded or installed later */
        int later = 0;
        for (size_t j = i + 1; j < m->nevents && !later; j++) {
            const struct m_event *x = &m->events[j];
            later = (model_event_is(x, EK_DOWNLOAD, EO_SUCCEEDED) ||
                     model_event_is(x, EK_INSTALL, EO_SUCCEEDED)) &&
                    same_key(key_of(x), key_of(e));
        }
        if (later)
            continue;
        open++;
        last = e;
        size_t k = 0;
        while (k < nkeys && !same_key(keys[k], key_of(e)))
            k++;
        if (k == nkeys && key_of(e)) {
            if (nkeys < COUNT(keys))
                keys[nkeys++] = key_of(e);
            updates++;
        }
    }
    if (!total)
        return 0;
    struct finding *f = finding_new(d, "store-download-failures",
                                    open ? SEV_WARNING : SEV_INFO, "reset-store-cache");
    if (!f)
        return -1;
    f->resolved = open == 0;
    f->count = open ? open : total;
    f->confidence = open ? 80 : 60;
    if (!last) {
        finding_set_title(f, "Downloads refused by the server earlier succeeded later");
        return 0;
    }
    int st = http_status(last->code);
    char status[24] = "";
    if (st)
        snprintf(status, sizeof status, "HTTP %d, ", st);
    finding_set_title(f,
             "Microsoft Store / Delivery Optimization downloads are refused by the "
             "server (%s0x%08X %s)%s%s", status, last->code, symbol_of(last->code),
             open > 1 ? ", repeatedly" : "",
             scan_ok ? "; Windows Update itself reaches its server (scans succeed)" : "");
    for (size_t i = 0; i < m->nevents; i++) {
        const struct m_event *e = &m->events[i];
        if (model_event_family(e) != EF_WU_LOG || e->event_id != TL_EV_WU_DOWNLOAD_REFUSED ||
            !e->has_code)
            continue;
        char what[160];
        finding_add_code(f, e->code);
        snprintf(what, sizeof what, "download of %s refused (0x%08X)",
                 e->title ? e->title : "an update", e->code);
        line_evidence(f, e, what);
    }
    if (updates > 1) {
        char what[64];
        snprintf(what, sizeof what, "%ld different updates refused", updates);
        line_evidence(f, last, what);
    }
    if (scan_ok)
        line_evidence(f, scan_ok, "a scan for updates succeeded: the update server is reachable");
    return 0;
}

/* ---- rule: a feature update fails ---------------------------------------- */

/* Titles of feature updates (new Windows versions), not of monthly updates. */
static const char *const feature_titles[] = {
    "Feature update to Windows",
    "Windows 11, version ",
    "Windows 10, version ",
    "Upgrade to Windows",
};

static int is_feature_update(const struct m_event *e)
{
    if (!e->title || strstr(e->title, "Cumulative"))
        return 0;
    for (size_t i = 0; i < COUNT(feature_titles); i++)
        if (strstr(e->title, feature_titles[i]))
            return 1;
    return 0;
}

/*
 * A feature update whose latest install result is a failure: the machine
 * stays on its version until it installs.  0xC19... codes are Setup's
 * (compatibility blockers: SetupDiag); others follow the code's own fix.
 */
int rule_feature_update(const struct model *m, struct diagnosis *d)
{
    const struct m_event *fail = NULL;
    long fails = 0;

    for (size_t i = 0; i < m->nevents; i++) {
        const struct m_event *e = &m->events[i];
        if (model_event_kind(e) != EK_INSTALL || !is_feature_update(e))
            continue;
        if (model_event_failed(e)) {
            fail = e;
            fails++;
        } else if (model_event_outcome(e) == EO_SUCCEEDED) {
            fail = NULL;
            fails = 0;
        }
    }
    if (!fail)
        return 0;
    const struct kb_code *k = kb_code_find(fail->code);
    const char *fix = (fail->code & 0xFFF00000u) == 0xC1900000u || !k ? "setup-compat"
                      : k->fix_id;
    struct finding *f = finding_new(d, "feature-update-failures", SEV_CRITICAL, fix);
    if (!f)
        return -1;
    f->count = fails;
    f->confidence = 85;
    finding_add_code(f, fail->code);
    finding_set_title(f, "The feature update %s fails with 0x%08X (%s)%s",
                      fail->title, fail->code, symbol_of(fail->code),
                      fails > 1 ? ", repeatedly" : "");
    char what[320];
    snprintf(what, sizeof what, "the last install result of %s: 0x%08X", fail->title,
             fail->code);
    line_evidence(f, fail, what);
    return 0;
}

/* ---- rule: a DISM command failed (other than a repair) --------------------- */

#define E_FAIL_CODE 0x80004005u

/*
 * A DISM run (DISM.log) that ended in failure: its cause is the first
 * specific code of the run - 0x80070020 when another process holds the
 * image's files (offline / WinPE servicing) - never the E_FAIL that
 * "processed the command line but failed" echoes.  Failed /Cleanup-Image
 * repairs are servicing-corruption's; a later successful run closes it.
 */
int rule_dism_failures(const struct model *m, struct diagnosis *d)
{
    const struct m_event *cause = NULL, *end = NULL, *open_cause = NULL, *open_end = NULL;
    int repair = 0, in_use = 0;
    long failed_runs = 0;

    for (size_t i = 0; i < m->nevents; i++) {
        const struct m_event *e = &m->events[i];
        if (model_event_family(e) != EF_SERVICING_LOG || !e->channel ||
            strcmp(e->channel, "DISM.log") != 0)
            continue;
        switch (e->event_id) {
        case TL_EV_DISM_SESSION:
            cause = NULL;
            in_use = 0;
            break;
        case TL_EV_DISM_RUN: case TL_EV_DISM_COMMAND:
            repair = e->event_id == TL_EV_DISM_RUN;
            cause = NULL;
            in_use = 0;
            break;
        case TL_EV_DISM_IN_USE:
            in_use = 1;
            cause = e;
            break;
        case TL_EV_DISM_ERROR:
            if (!cause && e->has_code && e->code != E_FAIL_CODE)
                cause = e;
            break;
        case TL_EV_DISM_FAILED:
            if (repair && !in_use)
                break;              /* servicing-corruption's */
            failed_runs++;
            open_cause = cause ? cause : e;
            open_end = end = e;
            break;
        case TL_EV_DISM_OK: case TL_EV_DISM_RESTORE_OK:
            open_cause = open_end = NULL;
            break;
        default:
            break;
        }
    }
    (void)end;
    if (!open_end)
        return 0;
    const struct kb_code *k = open_cause->has_code ? kb_code_find(open_cause->code) : NULL;
    const char *fix = open_cause->event_id == TL_EV_DISM_IN_USE ? "dism-image-in-use"
                      : k ? k->fix_id : "dism-restorehealth";
    struct finding *f = finding_new(d, "dism-failures", SEV_WARNING, fix);
    if (!f)
        return -1;
    f->count = failed_runs;
    f->confidence = open_cause != open_end ? 80 : 65;
    if (open_cause->has_code)
        finding_add_code(f, open_cause->code);
    if (open_cause->event_id == TL_EV_DISM_IN_USE)
        finding_set_title(f, "DISM could not service the image: another process has its "
                          "files open (0x80070020 sharing violation)");
    else if (open_cause->has_code)
        finding_set_title(f, "A DISM command failed with 0x%08X (%s)", open_cause->code,
                          symbol_of(open_cause->code));
    else
        finding_set_title(f, "A DISM command failed");
    const struct ev_meaning *mn = ev_meaning_find(EF_SERVICING_LOG, open_cause->event_id);
    line_evidence(f, open_cause, mn ? mn->label : "DISM logged an error");
    if (open_end != open_cause)
        line_evidence(f, open_end, "the command ended in failure (its E_FAIL only echoes "
                      "the cause above)");
    return 0;
}
