/*
 * test_rules.c - cmocka tests for the diagnosis rules (diagnosis/rules.c)
 * and diagnose() (diagnosis/diagnose.c), on report models built in memory.
 *
 * Every row of rules[] has at least one test that fires it and one where it
 * must stay silent; test_rule_table_is_covered fails when a row is added or
 * renamed, so that the new rule gets tests too.
 */
#include "testutil.h"

#include <inttypes.h>

#include "diagnosis/diagnose.h"
#include "vocab/kb.h"
#include "vocab/model.h"

#define SEC_US  1000000LL
#define HOUR_US (3600LL * SEC_US)
#define DAY_US  (86400LL * SEC_US)
/* 2017-07-23 07:25:41 UTC */
#define T0      (1500794741LL * SEC_US)

#define WU      "Microsoft-Windows-WindowsUpdateClient"
#define SCM     "Service Control Manager"
#define KERNEL  "Microsoft-Windows-Kernel-General"

/* ---- building models ---------------------------------------------------- */

static struct model *mk(void)
{
    struct model *m = model_new();
    assert_non_null(m);
    return m;
}

static const char *sdup(struct model *m, const char *s)
{
    const char *p = model_strdup(m, s);
    if (s)
        assert_non_null(p);
    return p;
}

/* Events and observations must be added in ascending time order. */
static struct m_event *add_ev(struct model *m, int64_t t, const char *provider,
                              int id, const char *service)
{
    struct m_event *e = model_add_event(m);
    assert_non_null(e);
    if (m->nevents > 1)
        assert_true(m->events[m->nevents - 2].time_us <= t);
    e->time_us = t;
    e->record_id = (int64_t)m->nevents;
    e->event_id = id;
    e->level = 4;
    e->provider = sdup(m, provider);
    /* left unclassified: the model's accessors work the meaning out from
     * provider, ID and level, as for any hand-built model */
    e->channel = sdup(m, strcmp(provider, WU) == 0
                            ? "Microsoft-Windows-WindowsUpdateClient/Operational"
                            : "System");
    e->service = sdup(m, service);
    return e;
}

/* A WindowsUpdateClient event; code 0 = no code. */
static struct m_event *wu(struct model *m, int64_t t, int id, uint32_t code,
                          const char *guid)
{
    struct m_event *e = add_ev(m, t, WU, id, NULL);
    if (code) {
        e->has_code = 1;
        e->code = code;
        e->level = 2;
    }
    e->guid = sdup(m, guid);
    if (guid)
        e->title = sdup(m, "2017-07 Cumulative Update for Windows 10 (KB4025342)");
    return e;
}

static struct m_event *scm(struct model *m, int64_t t, int id, const char *service)
{
    return add_ev(m, t, SCM, id, service);
}

static struct m_event *boot(struct model *m, int64_t t)
{
    return add_ev(m, t, KERNEL, 12, NULL);
}

static struct m_service *obs(struct model *m, int64_t t, const char *name,
                             const char *state, const char *start,
                             const char *origin)
{
    struct m_service *o = model_add_observation(m);
    assert_non_null(o);
    if (m->nobservations > 1)
        assert_true(m->observations[m->nobservations - 2].time_us <= t);
    o->name = sdup(m, name);
    o->state = sdup(m, state);
    o->start_type = sdup(m, start);
    o->origin = sdup(m, origin);
    o->time_us = t;
    return o;
}

/* ---- running the diagnosis ------------------------------------------------ */

/* Fill first/last (from the events, as the store does) and "now" when unset. */
static void finish(struct model *m)
{
    m->first_us = m->last_us = 0;
    for (size_t i = 0; i < m->nevents; i++) {
        int64_t t = m->events[i].time_us;
        if (!m->first_us || t < m->first_us)
            m->first_us = t;
        if (t > m->last_us)
            m->last_us = t;
    }
    if (!m->generated_us)
        m->generated_us = (m->last_us ? m->last_us : T0) + HOUR_US;
}

static int sev_rank(const struct finding *f)
{
    /* position in the required order: open critical, warning, info, resolved */
    return f->resolved ? 3 : 2 - (int)f->severity;
}

static void dump(const struct diagnosis *d)
{
    print_message("verdict %s: %s\n", verdict_name(d->verdict), d->summary);
    for (size_t i = 0; i < d->n; i++) {
        const struct finding *f = &d->findings[i];
        print_message("  [%zu] %s %s%s fix=%s count=%ld codes=%zu: %s\n", i, f->rule,
                      severity_name(f->severity), f->resolved ? " (resolved)" : "",
                      f->fix_id ? f->fix_id : "-", f->count, f->ncodes, f->title);
    }
}

/* diagnose() plus the invariants every diagnosis must keep. */
static void run(struct model *m, struct diagnosis *d)
{
    finish(m);
    assert_int_equal(diagnose(m, d), 0);
    assert_true(d->n <= d->cap);
    assert_true(d->summary[0] != '\0');
    for (size_t i = 0; i < d->n; i++) {
        const struct finding *f = &d->findings[i];
        assert_non_null(f->rule);
        assert_true(f->severity >= SEV_INFO && f->severity <= SEV_CRITICAL);
        assert_true(f->title[0] != '\0');
        assert_true(f->count >= 1);
        assert_true(f->ncodes <= FINDING_MAX_CODES);
        assert_true(f->nevidence >= 1 && f->nevidence <= FINDING_MAX_EVIDENCE);
        /* owned, whole strings; dropped evidence only past a full cap */
        for (size_t k = 0; k < f->nevidence; k++)
            assert_non_null(f->evidence[k].text);
        assert_true(f->evidence_more == 0 || f->nevidence == FINDING_MAX_EVIDENCE);
        assert_int_equal(f->oom, 0);
        assert_true(f->confidence >= 0 && f->confidence <= 100);
        if (f->fix_id && !kb_fix_find(f->fix_id))
            fail_msg("finding %s names fix '%s', which is not in the catalog",
                     f->rule, f->fix_id);
        /* open root causes first, then by severity; history last */
        if (i > 0 && !(d->findings[i - 1].root_cause && !d->findings[i - 1].resolved &&
                       d->findings[i - 1].severity > SEV_INFO) &&
            sev_rank(&d->findings[i - 1]) > sev_rank(f)) {
            dump(d);
            fail_msg("findings out of order at %zu", i);
        }
    }
}

static const struct finding *find(const struct diagnosis *d, const char *rule)
{
    for (size_t i = 0; i < d->n; i++)
        if (strcmp(d->findings[i].rule, rule) == 0)
            return &d->findings[i];
    return NULL;
}

static size_t count_rule(const struct diagnosis *d, const char *rule)
{
    size_t n = 0;
    for (size_t i = 0; i < d->n; i++)
        if (strcmp(d->findings[i].rule, rule) == 0)
            n++;
    return n;
}

static int has_code(const struct finding *f, uint32_t code)
{
    for (size_t i = 0; i < f->ncodes; i++)
        if (f->codes[i] == code)
            return 1;
    return 0;
}

/* The finding of `rule`, which must exist exactly once. */
static const struct finding *expect(const struct diagnosis *d, const char *rule)
{
    if (count_rule(d, rule) != 1) {
        dump(d);
        fail_msg("expected exactly one '%s' finding, got %zu", rule, count_rule(d, rule));
    }
    return find(d, rule);
}

static void expect_none(const struct diagnosis *d, const char *rule)
{
    if (find(d, rule)) {
        dump(d);
        fail_msg("unexpected '%s' finding", rule);
    }
}

static void expect_no_findings(const struct diagnosis *d)
{
    if (d->n) {
        dump(d);
        fail_msg("expected no findings, got %zu", d->n);
    }
}

static void expect_verdict(const struct diagnosis *d, enum verdict v)
{
    if (d->verdict != v) {
        dump(d);
        fail_msg("verdict %s, expected %s", verdict_name(d->verdict), verdict_name(v));
    }
}

static void expect_finding(const struct finding *f, enum severity sev, int resolved,
                           const char *fix_id, long count)
{
    assert_non_null(f);
    if (f->severity != sev || (f->resolved != 0) != (resolved != 0))
        fail_msg("%s: severity %s%s, expected %s%s", f->rule, severity_name(f->severity),
                 f->resolved ? " (resolved)" : "", severity_name(sev),
                 resolved ? " (resolved)" : "");
    assert_non_null(f->fix_id);
    assert_string_equal(f->fix_id, fix_id);
    assert_int_equal(f->count, count);
}

/* The fix the knowledge base gives for a code. */
static const char *kb_fix_of(uint32_t code)
{
    const struct kb_code *k = kb_code_find(code);
    if (!k)
        fail_msg("0x%08" PRIX32 " is not in the knowledge base", code);
    return k->fix_id;
}

/* ---- the table itself ------------------------------------------------------ */

static void test_rule_table_is_covered(void **state)
{
    /*
     * The rows this file has tests for (the three failure rules may also be
     * one row, "update-failures", that emits all three finding ids).  A row
     * not listed here fails this test: give the new rule its tests.
     */
    static const char *const tested[] = {
        "service-disabled", "service-disabled-inferred", "service-state",
        "service-failures", "install-failures", "scan-failures",
        "download-failures", "update-failures", "no-recent-success",
        "restart-pending", "restart-pending-registry", "low-disk-space",
        "wsus-policy",
        /* the text-log rules have their tests in test_textlog.c */
        "servicing-corruption", "sfc-result", "update-connectivity",
        /* patch-state (quality-updates-stale) has its tests in test_patch.c */
        "patch-state",
        "automatic-updates-disabled", "store-download-failures",
        "feature-update-failures", "dism-failures",
    };
    (void)state;
    assert_true(rules_len >= 7);
    for (size_t i = 0; i < rules_len; i++) {
        size_t j;
        assert_non_null(rules[i].id);
        assert_non_null(rules[i].fn);
        assert_non_null(rules[i].description);
        assert_true(rules[i].description[0] != '\0');
        for (j = 0; j < sizeof tested / sizeof tested[0]; j++)
            if (strcmp(rules[i].id, tested[j]) == 0)
                break;
        if (j == sizeof tested / sizeof tested[0])
            fail_msg("rule '%s' has no tests in test_rules.c", rules[i].id);
        for (j = i + 1; j < rules_len; j++)
            assert_string_not_equal(rules[i].id, rules[j].id);
    }
}

static void test_empty_model_unknown(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    (void)state;
    run(m, &d);
    expect_no_findings(&d);
    expect_verdict(&d, VERDICT_UNKNOWN);
    assert_int_equal(VERDICT_UNKNOWN, 3);
    assert_string_equal(verdict_name(d.verdict), "unknown");
    diagnosis_free(&d);
    model_free(m);
}

/* Evidence without any problem: healthy, not unknown. */
static void test_quiet_model_healthy(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    (void)state;
    boot(m, T0);
    wu(m, T0 + HOUR_US, 44, 0, "G1");
    wu(m, T0 + 2 * HOUR_US, 43, 0, "G1");
    wu(m, T0 + 3 * HOUR_US, 19, 0, "G1");
    obs(m, T0, "wuauserv", "running", "demand", "live");
    run(m, &d);
    expect_no_findings(&d);
    expect_verdict(&d, VERDICT_HEALTHY);
    assert_non_null(strstr(d.summary, "no open"));
    diagnosis_free(&d);
    model_free(m);
}

/* ---- service-disabled ------------------------------------------------------- */

static void test_disabled_live(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    const struct finding *f;
    (void)state;
    obs(m, T0, "wuauserv", "stopped", "disabled", "live");
    run(m, &d);
    f = expect(&d, "service-disabled");
    expect_finding(f, SEV_CRITICAL, 0, "enable-wuauserv", 1);
    assert_true(has_code(f, 0x80070422));
    assert_int_equal(f->nevidence, 1);
    assert_int_equal(f->evidence[0].event_id, 0);
    assert_true(f->evidence[0].time_us == T0);
    assert_int_equal(d.n, 1);
    expect_verdict(&d, VERDICT_CRITICAL);
    assert_string_equal(d.findings[0].title, d.summary);
    diagnosis_free(&d);
    model_free(m);
}

static void test_disabled_by_7040_event(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    const struct finding *f;
    (void)state;
    scm(m, T0, 7040, "wuauserv");
    obs(m, T0 - DAY_US, "wuauserv", "running", "demand", "live");
    obs(m, T0, "wuauserv", NULL, "disabled", "event");
    run(m, &d);
    f = expect(&d, "service-disabled");
    expect_finding(f, SEV_CRITICAL, 0, "enable-wuauserv", 1);
    assert_int_equal(f->evidence[0].event_id, 7040);
    expect_none(&d, "service-failures");
    expect_verdict(&d, VERDICT_CRITICAL);
    diagnosis_free(&d);
    model_free(m);
}

/* Severity and fix come from the service: BITS critical, DoSvc a warning. */
static void test_disabled_other_services(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    (void)state;
    obs(m, T0, "BITS", "stopped", "disabled", "live");
    run(m, &d);
    expect_finding(expect(&d, "service-disabled"), SEV_CRITICAL, 0, "enable-bits", 1);
    expect_verdict(&d, VERDICT_CRITICAL);
    diagnosis_free(&d);
    model_free(m);

    m = mk();
    obs(m, T0, "DoSvc", "stopped", "disabled", "live");
    run(m, &d);
    expect_finding(expect(&d, "service-disabled"), SEV_WARNING, 0,
                   "restart-update-services", 1);
    expect_verdict(&d, VERDICT_WARNING);
    diagnosis_free(&d);
    model_free(m);
}

/* BITS / TrustedInstaller switching between demand and auto is normal. */
static void test_start_type_changes_no_finding(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    (void)state;
    scm(m, T0, 7040, "BITS");
    scm(m, T0 + HOUR_US, 7040, "TrustedInstaller");
    scm(m, T0 + 2 * HOUR_US, 7040, "BITS");
    scm(m, T0 + 3 * HOUR_US, 7040, "TrustedInstaller");
    obs(m, T0, "BITS", NULL, "auto", "event");
    obs(m, T0 + HOUR_US, "TrustedInstaller", NULL, "auto", "event");
    obs(m, T0 + 2 * HOUR_US, "BITS", NULL, "demand", "event");
    obs(m, T0 + 3 * HOUR_US, "TrustedInstaller", NULL, "demand", "event");
    obs(m, T0 + 4 * HOUR_US, "BITS", "stopped", NULL, "event");
    obs(m, T0 + 5 * HOUR_US, "TrustedInstaller", "stopped", NULL, "event");
    run(m, &d);
    expect_no_findings(&d);
    expect_verdict(&d, VERDICT_HEALTHY);
    diagnosis_free(&d);
    model_free(m);
}

/* Disabled, then enabled again: the latest start type counts. */
static void test_disabled_then_enabled(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    (void)state;
    obs(m, T0, "wuauserv", NULL, "disabled", "event");
    obs(m, T0 + HOUR_US, "wuauserv", NULL, "demand", "event");
    run(m, &d);
    expect_no_findings(&d);
    diagnosis_free(&d);
    model_free(m);

    m = mk();
    obs(m, T0, "wuauserv", NULL, "disabled", "event");
    obs(m, T0 + HOUR_US, "wuauserv", "stopped", "demand", "live");
    run(m, &d);
    expect_no_findings(&d);
    diagnosis_free(&d);
    model_free(m);

    /* a later state-only event keeps the start type: still disabled */
    m = mk();
    obs(m, T0, "CryptSvc", NULL, "disabled", "event");
    obs(m, T0 + HOUR_US, "CryptSvc", "stopped", NULL, "event");
    run(m, &d);
    expect_finding(expect(&d, "service-disabled"), SEV_CRITICAL, 0, "enable-cryptsvc", 1);
    diagnosis_free(&d);
    model_free(m);
}

static void test_disabled_unrelated_service(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    (void)state;
    obs(m, T0, "Spooler", "stopped", "disabled", "live");
    obs(m, T0 + HOUR_US, "Fax", NULL, "disabled", "event");
    run(m, &d);
    expect_no_findings(&d);
    expect_verdict(&d, VERDICT_HEALTHY);
    diagnosis_free(&d);
    model_free(m);
}

/* ---- service-disabled-inferred ----------------------------------------------- */

static void test_inferred_from_80070422(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    const struct finding *f;
    (void)state;
    obs(m, T0 - DAY_US, "wuauserv", "running", "demand", "live");   /* before */
    wu(m, T0, 20, 0x80070422, "G1");
    run(m, &d);
    f = expect(&d, "service-disabled-inferred");
    expect_finding(f, SEV_CRITICAL, 0, "enable-wuauserv", 1);
    assert_true(has_code(f, 0x80070422));
    assert_int_equal(f->evidence[0].event_id, 20);
    /* the failure itself is an open install failure too */
    expect_finding(expect(&d, "install-failures"), SEV_WARNING, 0,
                   kb_fix_of(0x80070422), 1);
    expect_none(&d, "service-disabled");
    expect_verdict(&d, VERDICT_CRITICAL);
    assert_string_equal(d.findings[0].rule, "service-disabled-inferred");
    diagnosis_free(&d);
    model_free(m);
}

static void test_inferred_counts_every_event(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    const struct finding *f;
    (void)state;
    wu(m, T0, 20, 0x80070422, "G1");
    wu(m, T0 + HOUR_US, 25, 0x80070422, NULL);
    wu(m, T0 + 2 * HOUR_US, 20, 0x80070422, "G2");
    run(m, &d);
    f = expect(&d, "service-disabled-inferred");
    expect_finding(f, SEV_CRITICAL, 0, "enable-wuauserv", 3);
    assert_int_equal(f->nevidence, 3);
    assert_true(f->first_us == T0 && f->last_us == T0 + 2 * HOUR_US);
    diagnosis_free(&d);
    model_free(m);
}

static void test_inferred_enabled_later(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    (void)state;
    wu(m, T0, 20, 0x80070422, "G1");
    obs(m, T0 + HOUR_US, "wuauserv", "stopped", "demand", "live");
    run(m, &d);
    expect_none(&d, "service-disabled-inferred");
    expect_none(&d, "service-disabled");
    /* the install failure itself stays open */
    expect_finding(expect(&d, "install-failures"), SEV_WARNING, 0,
                   kb_fix_of(0x80070422), 1);
    expect_verdict(&d, VERDICT_WARNING);
    diagnosis_free(&d);
    model_free(m);

    /* a 7040 back to auto counts as well */
    m = mk();
    wu(m, T0, 20, 0x80070422, "G1");
    scm(m, T0 + HOUR_US, 7040, "wuauserv");
    obs(m, T0 + HOUR_US, "wuauserv", NULL, "auto", "event");
    run(m, &d);
    expect_none(&d, "service-disabled-inferred");
    diagnosis_free(&d);
    model_free(m);
}

/* With a known disabled start type only service-disabled reports it. */
static void test_inferred_not_duplicated(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    (void)state;
    obs(m, T0 - HOUR_US, "wuauserv", NULL, "disabled", "event");
    wu(m, T0, 20, 0x80070422, "G1");
    run(m, &d);
    expect_finding(expect(&d, "service-disabled"), SEV_CRITICAL, 0, "enable-wuauserv", 1);
    expect_none(&d, "service-disabled-inferred");
    diagnosis_free(&d);
    model_free(m);
}

/* ---- service-state: service-missing / service-stopped ---------------------------- */

static void test_service_missing(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    const struct finding *f;
    (void)state;
    obs(m, T0, "wuauserv", "not-installed", NULL, "live");
    run(m, &d);
    f = expect(&d, "service-missing");
    expect_finding(f, SEV_CRITICAL, 0, "repair-install", 1);
    assert_int_equal(f->evidence[0].event_id, 0);
    expect_verdict(&d, VERDICT_CRITICAL);
    diagnosis_free(&d);
    model_free(m);
}

/* UsoSvc and DoSvc need not exist (older Windows); unknown services never. */
static void test_service_missing_optional(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    (void)state;
    obs(m, T0, "UsoSvc", "not-installed", NULL, "live");
    obs(m, T0, "DoSvc", "not-installed", NULL, "live");
    obs(m, T0, "WaaSMedicSvc", "not-installed", NULL, "live");
    obs(m, T0, "Spooler", "not-installed", NULL, "live");
    run(m, &d);
    expect_no_findings(&d);
    expect_verdict(&d, VERDICT_HEALTHY);
    diagnosis_free(&d);
    model_free(m);
}

static void test_service_stopped_auto(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    const struct finding *f;
    (void)state;
    obs(m, T0, "CryptSvc", "stopped", "auto", "live");
    run(m, &d);
    f = expect(&d, "service-stopped");
    expect_finding(f, SEV_WARNING, 0, "enable-cryptsvc", 1);
    expect_verdict(&d, VERDICT_WARNING);
    diagnosis_free(&d);
    model_free(m);

    m = mk();
    obs(m, T0, "BITS", "stopped", "delayed-auto", "live");
    run(m, &d);
    expect_finding(expect(&d, "service-stopped"), SEV_WARNING, 0, "enable-bits", 1);
    diagnosis_free(&d);
    model_free(m);
}

static void test_service_stopped_not_a_problem(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    (void)state;
    /* demand-start services are stopped most of the time */
    obs(m, T0, "wuauserv", "stopped", "demand", "live");
    obs(m, T0, "TrustedInstaller", "stopped", "demand", "live");
    /* automatic and running */
    obs(m, T0, "CryptSvc", "running", "auto", "live");
    /* stopped according to an event: only a live reading tells the state now */
    obs(m, T0, "BITS", "stopped", "auto", "event");
    /* a live "stopped" that a later event shows running again */
    obs(m, T0, "msiserver", "stopped", "auto", "live");
    obs(m, T0 + HOUR_US, "msiserver", "running", NULL, "event");
    run(m, &d);
    expect_no_findings(&d);
    expect_verdict(&d, VERDICT_HEALTHY);
    diagnosis_free(&d);
    model_free(m);
}

/* ---- service-failures ------------------------------------------------------------- */

static void test_scm_failure_then_running_resolved(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    const struct finding *f;
    (void)state;
    scm(m, T0, 7031, "wuauserv");
    scm(m, T0 + HOUR_US, 7036, "wuauserv");
    obs(m, T0 + HOUR_US, "wuauserv", "running", NULL, "event");
    run(m, &d);
    f = expect(&d, "service-failures");
    assert_true(f->resolved);
    assert_int_equal(f->count, 1);
    assert_int_equal(f->evidence[0].event_id, 7031);
    expect_verdict(&d, VERDICT_HEALTHY);
    diagnosis_free(&d);
    model_free(m);
}

/* One start failure and nothing since: a note, not an open problem (a
 * single start timeout at boot is common); two are open, three critical. */
static void test_scm_bits_7000_open_critical(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    const struct finding *f;
    (void)state;
    obs(m, T0 - HOUR_US, "BITS", "running", NULL, "event");     /* before: no help */
    scm(m, T0, 7000, "BITS");
    run(m, &d);
    f = expect(&d, "service-failures");
    expect_finding(f, SEV_INFO, 0, "restart-update-services", 1);
    expect_verdict(&d, VERDICT_HEALTHY);
    diagnosis_free(&d);
    model_free(m);

    m = mk();
    scm(m, T0, 7000, "BITS");
    scm(m, T0 + HOUR_US, 7009, "BITS");
    run(m, &d);
    expect_finding(expect(&d, "service-failures"), SEV_WARNING, 0,
                   "restart-update-services", 2);
    diagnosis_free(&d);
    model_free(m);

    m = mk();
    for (int i = 0; i < 3; i++)
        scm(m, T0 + i * HOUR_US, 7000, "BITS");
    run(m, &d);
    expect_finding(expect(&d, "service-failures"), SEV_CRITICAL, 0,
                   "restart-update-services", 3);
    expect_verdict(&d, VERDICT_CRITICAL);
    diagnosis_free(&d);
    model_free(m);
}

/* One start failure, then updates fail with a service code: the service is
 * needed and does not run - critical.  A later scan closes it. */
static void test_scm_blocks_updates(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    const struct finding *f;
    (void)state;
    scm(m, T0, 7000, "wuauserv");
    wu(m, T0 + HOUR_US, 25, 0x80240001, NULL);      /* WU_E_NO_SERVICE */
    run(m, &d);
    f = expect(&d, "service-failures");
    expect_finding(f, SEV_CRITICAL, 0, "restart-update-services", 1);
    assert_non_null(strstr(f->title, "does not start"));
    diagnosis_free(&d);
    model_free(m);

    m = mk();
    scm(m, T0, 7000, "wuauserv");
    scm(m, T0 + HOUR_US, 7000, "wuauserv");
    wu(m, T0 + DAY_US, 26, 0, NULL);                /* a scan succeeded since */
    run(m, &d);
    expect_finding(expect(&d, "service-failures"), SEV_INFO, 1,
                   "restart-update-services", 2);
    expect_verdict(&d, VERDICT_HEALTHY);
    diagnosis_free(&d);
    model_free(m);
}

/* A single crash the service recovers from is history; crashes that repeat
 * with no sign of the service working since are open. */
static void test_scm_open_counts(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    (void)state;
    scm(m, T0, 7031, "wuauserv");
    obs(m, T0 + 60 * 1000000LL, "wuauserv", "running", NULL, "event");
    run(m, &d);
    expect_finding(expect(&d, "service-failures"), SEV_INFO, 1,
                   "restart-update-services", 1);
    expect_verdict(&d, VERDICT_HEALTHY);
    diagnosis_free(&d);
    model_free(m);

    m = mk();
    scm(m, T0, 7031, "wuauserv");
    scm(m, T0 + HOUR_US, 7034, "wuauserv");
    run(m, &d);
    expect_finding(expect(&d, "service-failures"), SEV_WARNING, 0,
                   "restart-update-services", 2);
    diagnosis_free(&d);
    model_free(m);

    m = mk();
    scm(m, T0, 7031, "wuauserv");
    scm(m, T0 + HOUR_US, 7034, "wuauserv");
    scm(m, T0 + 2 * HOUR_US, 7031, "wuauserv");
    run(m, &d);
    expect_finding(expect(&d, "service-failures"), SEV_CRITICAL, 0,
                   "restart-update-services", 3);
    diagnosis_free(&d);
    model_free(m);

    /* DoSvc is not critical to updates: a warning even when it cannot start */
    m = mk();
    scm(m, T0, 7000, "DoSvc");
    scm(m, T0 + HOUR_US, 7000, "DoSvc");
    scm(m, T0 + 2 * HOUR_US, 7000, "DoSvc");
    run(m, &d);
    expect_finding(expect(&d, "service-failures"), SEV_WARNING, 0,
                   "restart-update-services", 3);
    diagnosis_free(&d);
    model_free(m);
}

/* Failing again and again, though it comes back each time: history. */
static void test_scm_keeps_failing(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    const struct finding *f;
    (void)state;
    for (int i = 0; i < 3; i++) {
        scm(m, T0 + i * DAY_US, 7031, "wuauserv");
        obs(m, T0 + i * DAY_US + HOUR_US, "wuauserv", "running", NULL, "event");
    }
    run(m, &d);
    f = expect(&d, "service-failures");
    expect_finding(f, SEV_INFO, 1, "restart-update-services", 3);
    expect_verdict(&d, VERDICT_HEALTHY);
    diagnosis_free(&d);
    model_free(m);
}

/* Stops at shutdown are routine on Windows 10/11: 7043 always, and a 7023
 * or 7031 within minutes of a shutdown or a start of Windows. */
static void test_scm_routine_at_shutdown(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    (void)state;
    scm(m, T0, 7043, "wuauserv");
    scm(m, T0 + DAY_US, 7043, "UsoSvc");
    scm(m, T0 + 2 * DAY_US, 7043, "wuauserv");
    scm(m, T0 + 3 * DAY_US, 7023, "TrustedInstaller");
    add_ev(m, T0 + 3 * DAY_US + 60 * 1000000LL, "EventLog", 6006, NULL);
    scm(m, T0 + 4 * DAY_US, 7023, "BITS");
    boot(m, T0 + 4 * DAY_US + 3 * 60 * 1000000LL);
    add_ev(m, T0 + 5 * DAY_US, "User32", 1074, NULL);    /* restart began before */
    scm(m, T0 + 5 * DAY_US + 2 * 60 * 1000000LL, 7031, "wuauserv");
    run(m, &d);
    assert_null(find(&d, "service-failures"));
    expect_verdict(&d, VERDICT_HEALTHY);
    diagnosis_free(&d);
    model_free(m);

    /* the same 7023s in the middle of the day, with nothing working since */
    m = mk();
    scm(m, T0, 7023, "BITS");
    scm(m, T0 + DAY_US, 7023, "BITS");
    run(m, &d);
    expect_finding(expect(&d, "service-failures"), SEV_WARNING, 0,
                   "restart-update-services", 2);
    diagnosis_free(&d);
    model_free(m);
}

static void test_scm_unrelated_service(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    (void)state;
    scm(m, T0, 7031, NULL);               /* e.g. Spooler: no update service */
    scm(m, T0 + HOUR_US, 7000, NULL);
    scm(m, T0 + 2 * HOUR_US, 7034, "Spooler");
    scm(m, T0 + 3 * HOUR_US, 7036, "wuauserv");   /* state change, no failure */
    scm(m, T0 + 4 * HOUR_US, 7040, "BITS");
    /* a failure id from another provider is not an SCM failure */
    add_ev(m, T0 + 5 * HOUR_US, "Microsoft-Windows-Something", 7000, "wuauserv");
    run(m, &d);
    expect_no_findings(&d);
    expect_verdict(&d, VERDICT_HEALTHY);
    diagnosis_free(&d);
    model_free(m);
}

/* ---- install-failures ------------------------------------------------------------- */

/* A transient code that persists: the same app failing with 0x80073D02
 * (in use) on several days is a warning with the fix for that situation;
 * once, or a burst on one day, or later fixed, stays a note. */
static void test_transient_code_persists(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    const struct finding *f;
    (void)state;
    for (int i = 0; i < 4; i++)
        wu(m, T0 + i * DAY_US, 20, 0x80073D02, "G-SKYPE");
    run(m, &d);
    f = expect(&d, "install-failures");
    expect_finding(f, SEV_WARNING, 0, "store-app-in-use", 4);
    assert_non_null(strstr(f->title, "4 times on 4 days"));
    expect_verdict(&d, VERDICT_WARNING);
    diagnosis_free(&d);
    model_free(m);

    /* three times within one hour: a busy moment, not a situation */
    m = mk();
    for (int i = 0; i < 3; i++)
        wu(m, T0 + i * 60 * 1000000LL, 20, 0x80073D02, "G-SKYPE");
    run(m, &d);
    expect_finding(expect(&d, "install-failures"), SEV_INFO, 0, "retry-later", 3);
    expect_verdict(&d, VERDICT_HEALTHY);
    diagnosis_free(&d);
    model_free(m);

    /* different apps once each: transient each time */
    m = mk();
    wu(m, T0, 20, 0x80240016, "G-A");
    wu(m, T0 + DAY_US, 20, 0x80240016, "G-B");
    wu(m, T0 + 2 * DAY_US, 20, 0x80240016, "G-C");
    run(m, &d);
    expect_finding(expect(&d, "install-failures"), SEV_INFO, 0, "retry-later", 3);
    diagnosis_free(&d);
    model_free(m);

    /* it installed in the end: history */
    m = mk();
    for (int i = 0; i < 3; i++)
        wu(m, T0 + i * DAY_US, 20, 0x80240016, "G-LCU");
    wu(m, T0 + 4 * DAY_US, 19, 0, "G-LCU");
    run(m, &d);
    expect_finding(expect(&d, "install-failures"), SEV_INFO, 1, "retry-later", 3);
    diagnosis_free(&d);
    model_free(m);
}

static void test_install_failure_resolved(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    const struct finding *f;
    (void)state;
    wu(m, T0, 20, 0x80248007, "G");
    wu(m, T0 + DAY_US, 19, 0, "G");
    run(m, &d);
    f = expect(&d, "install-failures");
    expect_finding(f, SEV_INFO, 1, kb_fix_of(0x80248007), 1);
    assert_true(has_code(f, 0x80248007));
    assert_int_equal(f->ncodes, 1);
    expect_verdict(&d, VERDICT_HEALTHY);
    diagnosis_free(&d);
    model_free(m);
}

/* A success of another update, or an earlier success, resolves nothing. */
static void test_install_failure_other_success(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    (void)state;
    wu(m, T0 - DAY_US, 19, 0, "G");
    wu(m, T0, 20, 0x80248007, "G");
    wu(m, T0 + DAY_US, 19, 0, "OTHER");
    run(m, &d);
    expect_finding(expect(&d, "install-failures"), SEV_WARNING, 0,
                   kb_fix_of(0x80248007), 1);
    expect_verdict(&d, VERDICT_WARNING);
    diagnosis_free(&d);
    model_free(m);
}

static void test_install_failures_repeat_critical(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    const struct finding *f;
    (void)state;
    wu(m, T0, 20, 0x80248007, "G1");
    wu(m, T0 + DAY_US, 20, 0x80248007, "G1");
    wu(m, T0 + 2 * DAY_US, 20, 0x80248007, "G2");
    run(m, &d);
    f = expect(&d, "install-failures");
    expect_finding(f, SEV_CRITICAL, 0, kb_fix_of(0x80248007), 3);
    assert_int_equal(f->nevidence, 3);
    expect_verdict(&d, VERDICT_CRITICAL);
    diagnosis_free(&d);
    model_free(m);

    /* two open ones: still a warning */
    m = mk();
    wu(m, T0, 20, 0x80248007, "G1");
    wu(m, T0 + DAY_US, 20, 0x80248007, "G2");
    run(m, &d);
    expect_finding(expect(&d, "install-failures"), SEV_WARNING, 0,
                   kb_fix_of(0x80248007), 2);
    diagnosis_free(&d);
    model_free(m);
}

static void test_install_failure_one_open_warning(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    (void)state;
    wu(m, T0, 20, 0x80248007, "G1");
    run(m, &d);
    expect_finding(expect(&d, "install-failures"), SEV_WARNING, 0,
                   kb_fix_of(0x80248007), 1);
    assert_int_equal(d.n, 1);
    expect_verdict(&d, VERDICT_WARNING);
    diagnosis_free(&d);
    model_free(m);
}

/* Three failures, two later succeeded: one open is a warning, not critical. */
static void test_install_failures_partly_resolved(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    (void)state;
    wu(m, T0, 20, 0x80248007, "G1");
    wu(m, T0 + HOUR_US, 20, 0x80248007, "G2");
    wu(m, T0 + 2 * HOUR_US, 20, 0x80248007, "G3");
    wu(m, T0 + 3 * HOUR_US, 19, 0, "G1");
    wu(m, T0 + 4 * HOUR_US, 19, 0, "G2");
    run(m, &d);
    expect_finding(expect(&d, "install-failures"), SEV_WARNING, 0,
                   kb_fix_of(0x80248007), 3);
    diagnosis_free(&d);
    model_free(m);
}

static void test_install_failure_benign(void **state)
{
    static const uint32_t benign[] = {0x8024001E, 0x80240016};
    (void)state;
    for (size_t i = 0; i < 2; i++) {
        struct model *m = mk();
        struct diagnosis d;
        const struct finding *f;
        wu(m, T0, 20, benign[i], "G1");
        run(m, &d);
        f = expect(&d, "install-failures");
        expect_finding(f, SEV_INFO, 0, kb_fix_of(benign[i]), 1);
        assert_true(has_code(f, benign[i]));
        expect_verdict(&d, VERDICT_HEALTHY);
        diagnosis_free(&d);
        model_free(m);
    }
}

static void test_install_failure_not_counted(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    struct m_event *e;
    (void)state;
    wu(m, T0, 20, 0, "G1");                                /* no code */
    e = add_ev(m, T0 + HOUR_US, "Some-Other-Provider", 20, NULL);
    e->has_code = 1;
    e->code = 0x80248007;
    wu(m, T0 + 2 * HOUR_US, 19, 0, "G1");
    wu(m, T0 + 3 * HOUR_US, 43, 0, "G2");
    run(m, &d);
    expect_none(&d, "install-failures");
    expect_no_findings(&d);
    diagnosis_free(&d);
    model_free(m);
}

/* One finding per code; the legacy provider name counts too. */
static void test_install_failures_grouped_by_code(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    struct m_event *e;
    (void)state;
    wu(m, T0, 20, 0x80248007, "G1");
    wu(m, T0 + HOUR_US, 20, 0x80240022, "G2");
    e = add_ev(m, T0 + 2 * HOUR_US, "Windows Update Agent", 20, NULL);
    e->has_code = 1;
    e->code = 0x80240022;
    run(m, &d);
    assert_int_equal(count_rule(&d, "install-failures"), 2);
    for (size_t i = 0; i < d.n; i++) {
        const struct finding *f = &d.findings[i];
        assert_int_equal(f->ncodes, 1);
        assert_int_equal(f->count, f->codes[0] == 0x80240022 ? 2 : 1);
    }
    diagnosis_free(&d);
    model_free(m);
}

/* Without GUIDs an update is matched by KB, else by title; never by nothing. */
static void test_install_failure_matching(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    struct m_event *e;
    (void)state;
    e = wu(m, T0, 20, 0x80248007, NULL);
    e->kb = sdup(m, "KB4025342");
    e->title = sdup(m, "Update for Windows (KB4025342)");
    e = wu(m, T0 + HOUR_US, 19, 0, NULL);
    e->kb = sdup(m, "KB4025342");
    e->title = sdup(m, "Update for Windows 10 Version 1703 (KB4025342)");
    run(m, &d);
    expect_finding(expect(&d, "install-failures"), SEV_INFO, 1,
                   kb_fix_of(0x80248007), 1);
    diagnosis_free(&d);
    model_free(m);

    m = mk();
    e = wu(m, T0, 20, 0x80248007, NULL);
    e->title = sdup(m, "Definition Update for Windows Defender");
    e = wu(m, T0 + HOUR_US, 19, 0, NULL);
    e->title = sdup(m, "Definition Update for Windows Defender");
    run(m, &d);
    expect_finding(expect(&d, "install-failures"), SEV_INFO, 1,
                   kb_fix_of(0x80248007), 1);
    diagnosis_free(&d);
    model_free(m);

    /* a success that names no update resolves no particular failure */
    m = mk();
    wu(m, T0, 20, 0x80248007, NULL);
    wu(m, T0 + HOUR_US, 19, 0, NULL);
    run(m, &d);
    expect_finding(expect(&d, "install-failures"), SEV_WARNING, 0,
                   kb_fix_of(0x80248007), 1);
    diagnosis_free(&d);
    model_free(m);
}

/* A scan failure is undone by anything a scan must precede. */
static void test_scan_failure_resolved_by_activity(void **state)
{
    static const int later[] = {19, 41, 43, 44};
    (void)state;
    for (size_t i = 0; i < sizeof later / sizeof later[0]; i++) {
        struct model *m = mk();
        struct diagnosis d;
        wu(m, T0, 25, 0x8024402C, NULL);
        wu(m, T0 + HOUR_US, later[i], 0, "G1");
        run(m, &d);
        expect_finding(expect(&d, "scan-failures"), SEV_INFO, 1, kb_fix_of(0x8024402C), 1);
        diagnosis_free(&d);
        model_free(m);
    }
    /* ... but not by an earlier success, nor by a boot */
    struct model *m = mk();
    struct diagnosis d;
    wu(m, T0 - HOUR_US, 26, 0, NULL);
    wu(m, T0, 25, 0x8024402C, NULL);
    boot(m, T0 + HOUR_US);
    run(m, &d);
    expect_finding(expect(&d, "scan-failures"), SEV_WARNING, 0, kb_fix_of(0x8024402C), 1);
    diagnosis_free(&d);
    model_free(m);
}

/* A download failure that names no update is undone by any later download. */
static void test_download_failure_unnamed(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    (void)state;
    wu(m, T0, 31, 0x80246007, NULL);
    wu(m, T0 + HOUR_US, 41, 0, "G9");
    run(m, &d);
    expect_finding(expect(&d, "download-failures"), SEV_INFO, 1,
                   kb_fix_of(0x80246007), 1);
    diagnosis_free(&d);
    model_free(m);

    /* an install (19) of the same update proves the download too */
    m = mk();
    wu(m, T0, 31, 0x80246007, "G1");
    wu(m, T0 + HOUR_US, 19, 0, "G1");
    run(m, &d);
    expect_finding(expect(&d, "download-failures"), SEV_INFO, 1,
                   kb_fix_of(0x80246007), 1);
    diagnosis_free(&d);
    model_free(m);
}

/* The rule API's strings: owned, whole, replaced without a leak, dropped
 * evidence counted, and a failed allocation sticky in the finding. */
static void test_finding_strings(void **state)
{
    struct diagnosis d;
    struct finding *f;
    char big[10 * 1024 + 1];
    (void)state;

    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    memset(&d, 0, sizeof d);
    f = finding_new(&d, "test", SEV_WARNING, NULL);
    assert_non_null(f);
    finding_set_title(f, "first");
    finding_set_title(f, "<%s>", big);          /* replaces, frees "first" */
    assert_int_equal(strlen(f->title), sizeof big + 1);
    for (int i = 0; i < FINDING_MAX_EVIDENCE + 3; i++)
        finding_add_evidence(f, T0 + i, 0, "%d %s", i, big);
    assert_int_equal(f->nevidence, FINDING_MAX_EVIDENCE);
    assert_int_equal(f->evidence_more, 3);
    assert_true(strncmp(f->evidence[0].text, "3 xxx", 5) == 0);
    assert_int_equal(strlen(f->evidence[0].text), 2 + sizeof big - 1);
    assert_int_equal(f->oom, 0);
    /* a string that cannot be made (here: a wide character the C locale
     * cannot encode) sets oom and leaves the finding as it was */
    finding_set_title(f, "%ls", L"\xe9");
    assert_int_equal(f->oom, 1);
    assert_int_equal(f->title[0], '<');
    finding_add_evidence(f, T0, 0, "%ls", L"\xe9");
    assert_int_equal(f->nevidence, FINDING_MAX_EVIDENCE);
    assert_int_equal(f->evidence_more, 3);
    diagnosis_free(&d);
    assert_null(d.findings);
}

/* Many occurrences: count all, keep the latest evidence, bounded codes. */
static void test_finding_limits(void **state)
{
    static const uint32_t codes[] = {
        0x80070002, 0x80070003, 0x8007000D, 0x80070005, 0x8007045B, 0x80070BC9,
        0x800F081F, 0x800F0922, 0x80073712, 0x80246007,
    };
    struct model *m = mk();
    struct diagnosis d;
    const struct finding *f;
    (void)state;
    for (int i = 0; i < 15; i++)
        wu(m, T0 + i * HOUR_US, 20, 0x80248007, "G1");
    run(m, &d);
    f = expect(&d, "install-failures");
    expect_finding(f, SEV_CRITICAL, 0, kb_fix_of(0x80248007), 15);
    assert_int_equal(f->nevidence, FINDING_MAX_EVIDENCE);
    assert_true(f->evidence[FINDING_MAX_EVIDENCE - 1].time_us == T0 + 14 * HOUR_US);
    assert_true(f->evidence[0].time_us == T0 + 5 * HOUR_US);
    assert_int_equal(f->evidence_more, 15 - FINDING_MAX_EVIDENCE);   /* counted */
    diagnosis_free(&d);
    model_free(m);

    /* ten different codes in SCM failures of one service: at most 8 kept */
    m = mk();
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        struct m_event *e = scm(m, T0 + (int64_t)i * HOUR_US, 7023, "BITS");
        e->has_code = 1;
        e->code = codes[i];
    }
    run(m, &d);
    f = expect(&d, "service-failures");
    assert_int_equal(f->severity, SEV_CRITICAL);
    assert_int_equal(f->count, 10);
    assert_int_equal(f->ncodes, FINDING_MAX_CODES);
    /* the fix follows the code of the last failure */
    assert_string_equal(f->fix_id, kb_fix_of(codes[9]));
    diagnosis_free(&d);
    model_free(m);
}

/* ---- scan-failures ------------------------------------------------------------------ */

static void test_scan_failure_resolved(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    const struct finding *f;
    (void)state;
    wu(m, T0, 25, 0x8024402C, NULL);
    wu(m, T0 + HOUR_US, 26, 0, NULL);
    run(m, &d);
    f = expect(&d, "scan-failures");
    expect_finding(f, SEV_INFO, 1, kb_fix_of(0x8024402C), 1);
    assert_true(has_code(f, 0x8024402C));
    expect_none(&d, "install-failures");
    expect_verdict(&d, VERDICT_HEALTHY);
    diagnosis_free(&d);
    model_free(m);
}

static void test_scan_failures_open_warning(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    const struct finding *f;
    (void)state;
    wu(m, T0 - DAY_US, 26, 0, NULL);              /* an earlier success */
    wu(m, T0, 25, 0x80072EE2, NULL);
    wu(m, T0 + HOUR_US, 25, 0x80072EE2, NULL);
    run(m, &d);
    f = expect(&d, "scan-failures");
    expect_finding(f, SEV_WARNING, 0, "check-proxy", 2);
    assert_string_equal(kb_fix_of(0x80072EE2), "check-proxy");
    expect_verdict(&d, VERDICT_WARNING);
    diagnosis_free(&d);
    model_free(m);

    /* event 16 is a scan failure as well */
    m = mk();
    wu(m, T0, 16, 0x80072EE2, NULL);
    run(m, &d);
    expect_finding(expect(&d, "scan-failures"), SEV_WARNING, 0, "check-proxy", 1);
    diagnosis_free(&d);
    model_free(m);
}

/* ---- download-failures ---------------------------------------------------------------- */

static void test_download_failure_open(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    const struct finding *f;
    (void)state;
    wu(m, T0, 31, 0x80246007, "G1");
    wu(m, T0 + HOUR_US, 41, 0, "OTHER");      /* another update downloaded */
    run(m, &d);
    f = expect(&d, "download-failures");
    expect_finding(f, SEV_WARNING, 0, kb_fix_of(0x80246007), 1);
    assert_true(has_code(f, 0x80246007));
    expect_none(&d, "install-failures");
    expect_none(&d, "scan-failures");
    expect_verdict(&d, VERDICT_WARNING);
    diagnosis_free(&d);
    model_free(m);
}

static void test_download_failure_resolved(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    (void)state;
    wu(m, T0, 31, 0x80246007, "G1");
    wu(m, T0 + HOUR_US, 41, 0, "G1");
    run(m, &d);
    expect_finding(expect(&d, "download-failures"), SEV_INFO, 1,
                   kb_fix_of(0x80246007), 1);
    expect_verdict(&d, VERDICT_HEALTHY);
    diagnosis_free(&d);
    model_free(m);

    /* no download failures at all */
    m = mk();
    wu(m, T0, 31, 0, "G1");                   /* no code */
    wu(m, T0 + HOUR_US, 44, 0, "G1");
    run(m, &d);
    expect_none(&d, "download-failures");
    diagnosis_free(&d);
    model_free(m);
}

/*
 * Property check of the grouping by code against a straightforward
 * reference: for random sequences of update events, every (kind, code)
 * finding has the count, resolved flag and severity that a forward scan for
 * a later success gives.
 */
static uint32_t lcg(uint32_t *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return (*seed >> 16) & 0x7FFF;
}

static int ref_kind(const struct m_event *e)
{
    if (!e->has_code)
        return -1;
    switch (e->event_id) {
    case 20: return 0;
    case 16: case 25: return 1;
    case 31: return 2;
    default: return -1;
    }
}

static int ref_resolved(const struct model *m, size_t i)
{
    const struct m_event *f = &m->events[i];
    int k = ref_kind(f);
    for (size_t j = i + 1; j < m->nevents; j++) {
        const struct m_event *e = &m->events[j];
        int same = f->guid && e->guid && strcmp(f->guid, e->guid) == 0;
        if (k == 0 && e->event_id == 19 && same)
            return 1;
        if (k == 1 && (e->event_id == 26 || e->event_id == 19 || e->event_id == 41 ||
                       e->event_id == 43 || e->event_id == 44))
            return 1;
        if (k == 2 && (e->event_id == 41 || e->event_id == 19) && (!f->guid || same))
            return 1;
    }
    return 0;
}

static void test_failures_match_reference(void **state)
{
    static const int ids[] = {16, 19, 20, 20, 25, 26, 31, 41, 43, 44};
    static const uint32_t codes[] = {0x80248007, 0x8024402C, 0x8024001E, 0x80246007};
    static const char *const guids[] = {"G1", "G2", "G3", NULL};
    static const char *const rule_of[] = {"install-failures", "scan-failures",
                                          "download-failures"};
    uint32_t seed = 20170723;
    (void)state;

    for (int round = 0; round < 300; round++) {
        struct model *m = mk();
        struct diagnosis d;
        int n = (int)(lcg(&seed) % 25);

        for (int i = 0; i < n; i++) {
            int id = ids[lcg(&seed) % 10];
            int failing = id == 16 || id == 20 || id == 25 || id == 31;
            wu(m, T0 + i * HOUR_US, id, failing ? codes[lcg(&seed) % 4] : 0,
               guids[lcg(&seed) % 4]);
        }
        run(m, &d);
        for (int k = 0; k < 3; k++) {
            for (size_t c = 0; c < 4; c++) {
                long total = 0, open = 0;
                const struct finding *f = NULL;
                for (size_t i = 0; i < m->nevents; i++) {
                    if (ref_kind(&m->events[i]) != k || m->events[i].code != codes[c])
                        continue;
                    total++;
                    open += !ref_resolved(m, i);
                }
                for (size_t i = 0; i < d.n; i++)
                    if (strcmp(d.findings[i].rule, rule_of[k]) == 0 &&
                        d.findings[i].ncodes == 1 && d.findings[i].codes[0] == codes[c])
                        f = &d.findings[i];
                if (!total) {
                    assert_null(f);
                    continue;
                }
                if (!f) {
                    dump(&d);
                    fail_msg("round %d: no %s finding for 0x%08" PRIX32, round,
                             rule_of[k], codes[c]);
                }
                enum severity want = codes[c] == 0x8024001E ? SEV_INFO
                                     : open >= 3 ? SEV_CRITICAL
                                     : open ? SEV_WARNING : SEV_INFO;
                if (f->count != total || f->resolved != (open == 0) ||
                    f->severity != want) {
                    dump(&d);
                    fail_msg("round %d: %s 0x%08" PRIX32 ": count %ld resolved %d %s, "
                             "expected count %ld resolved %d %s", round, rule_of[k],
                             codes[c], f->count, f->resolved, severity_name(f->severity),
                             total, open == 0, severity_name(want));
                }
            }
        }
        diagnosis_free(&d);
        model_free(m);
    }
}

/* ---- no-recent-success ------------------------------------------------------------------ */

/* Updates of no known class (no cumulative or feature update named): the
 * class-blind rule judges; where a cumulative update is named, patch-state
 * does instead, and this rule stands down. */
static struct m_event *unclassed(struct model *m, int64_t t, int id, uint32_t code,
                                 const char *guid)
{
    struct m_event *e = wu(m, t, id, code, guid);
    e->title = sdup(m, "Contoso Device Agent 5.2");
    return e;
}

static void test_no_recent_success_stale(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    const struct finding *f;
    (void)state;
    unclassed(m, T0, 19, 0, "G0");
    unclassed(m, T0 + 40 * DAY_US, 20, 0x80248007, "G1");
    run(m, &d);
    f = expect(&d, "no-recent-success");
    assert_int_equal(f->severity, SEV_WARNING);
    assert_false(f->resolved);
    assert_int_equal(f->count, 1);
    expect_none(&d, "quality-updates-stale");
    diagnosis_free(&d);
    model_free(m);

    /* the failing update is a cumulative one: patch-state, critical */
    m = mk();
    wu(m, T0, 19, 0, "G0");
    wu(m, T0 + 40 * DAY_US, 20, 0x80248007, "G1");
    run(m, &d);
    expect_none(&d, "no-recent-success");
    assert_int_equal(expect(&d, "quality-updates-stale")->severity, SEV_CRITICAL);
    expect_verdict(&d, VERDICT_CRITICAL);
    diagnosis_free(&d);
    model_free(m);
}

/* Never a success, but evidence spanning more than 35 days. */
static void test_no_recent_success_never(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    (void)state;
    boot(m, T0);
    unclassed(m, T0 + 37 * DAY_US, 43, 0, "G1");
    unclassed(m, T0 + 38 * DAY_US, 20, 0x80248007, "G1");
    run(m, &d);
    expect_finding(expect(&d, "no-recent-success"), SEV_WARNING, 0,
                   "run-troubleshooter", 2);
    diagnosis_free(&d);
    model_free(m);
}

static void test_no_recent_success_silent(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    (void)state;
    /* a success within the window */
    wu(m, T0, 19, 0, "G0");
    wu(m, T0 + 38 * DAY_US, 19, 0, "G1");
    wu(m, T0 + 40 * DAY_US, 20, 0x80248007, "G2");
    run(m, &d);
    expect_none(&d, "no-recent-success");
    diagnosis_free(&d);
    model_free(m);

    /* never a success, but too little evidence to tell */
    m = mk();
    wu(m, T0, 43, 0, "G1");
    wu(m, T0 + 20 * DAY_US, 20, 0x80248007, "G1");
    run(m, &d);
    expect_none(&d, "no-recent-success");
    diagnosis_free(&d);
    model_free(m);

    /* an old success and no attempt since */
    m = mk();
    wu(m, T0, 19, 0, "G0");
    boot(m, T0 + 40 * DAY_US);
    run(m, &d);
    expect_none(&d, "no-recent-success");
    /* but 40 days of evidence after the last cumulative update (patch-state) */
    assert_int_equal(expect(&d, "quality-updates-stale")->severity, SEV_WARNING);
    assert_int_equal(d.n, 1);
    diagnosis_free(&d);
    model_free(m);
}

/* ---- restart-pending ------------------------------------------------------------------- */

static void test_restart_pending_recent_info(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    const struct finding *f;
    (void)state;
    wu(m, T0, 19, 0, "G1");
    wu(m, T0, 21, 0, "G1");
    wu(m, T0 + 2 * DAY_US, 26, 0, NULL);
    m->generated_us = T0 + 400 * DAY_US;      /* report made much later */
    run(m, &d);
    f = expect(&d, "restart-pending");
    expect_finding(f, SEV_INFO, 0, "restart-pending", 1);
    assert_int_equal(f->evidence[0].event_id, 21);
    expect_verdict(&d, VERDICT_HEALTHY);
    diagnosis_free(&d);
    model_free(m);
}

static void test_restart_pending_old_warning(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    (void)state;
    wu(m, T0, 19, 0, "G1");
    wu(m, T0, 21, 0, "G1");
    wu(m, T0 + 10 * DAY_US, 26, 0, NULL);
    run(m, &d);
    expect_finding(expect(&d, "restart-pending"), SEV_WARNING, 0, "restart-pending", 1);
    expect_verdict(&d, VERDICT_WARNING);
    diagnosis_free(&d);
    model_free(m);

    /* event 22 (restart scheduled) as well */
    m = mk();
    wu(m, T0, 22, 0, "G1");
    wu(m, T0 + 10 * DAY_US, 26, 0, NULL);
    run(m, &d);
    expect_finding(expect(&d, "restart-pending"), SEV_WARNING, 0, "restart-pending", 1);
    diagnosis_free(&d);
    model_free(m);
}

/* Servicing's "a reboot is necessary" (Setup log 4) is a pending restart
 * too, named by its package; an install that started for it and reported
 * nothing since is evidence; the first request since the last boot sets
 * how long it has waited. */
static void test_restart_pending_servicing(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    const struct finding *f;
    struct m_event *e;
    (void)state;
    boot(m, T0 - DAY_US);
    e = wu(m, T0, 43, 0, "G-LCU");
    e->kb = sdup(m, "KB5016138");
    e = add_ev(m, T0 + HOUR_US, "Microsoft-Windows-Servicing", 4, NULL);
    e->kb = sdup(m, "KB5016138");
    e->title = sdup(m, "KB5016138");
    e = add_ev(m, T0 + 2 * HOUR_US, "Microsoft-Windows-Servicing", 4, NULL);
    e->kb = sdup(m, "KB5013889");
    wu(m, T0 + 9 * DAY_US, 26, 0, NULL);
    run(m, &d);
    f = expect(&d, "restart-pending");
    expect_finding(f, SEV_WARNING, 0, "restart-pending", 2);
    assert_non_null(strstr(f->title, "KB5016138, KB5013889"));
    assert_non_null(strstr(f->title, "(8 days without a restart)"));
    int unfinished = 0;
    for (size_t i = 0; i < f->nevidence; i++)
        unfinished |= strstr(f->evidence[i].text, "started and reported no result") != NULL;
    assert_true(unfinished);
    diagnosis_free(&d);
    model_free(m);
}

/* Imported logs are measured against their end; a live collection (facts,
 * live service readings) against now. */
static void test_restart_pending_reference_time(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    (void)state;
    wu(m, T0, 21, 0, "G1");
    wu(m, T0 + 2 * DAY_US, 26, 0, NULL);
    m->generated_us = T0 + 30 * DAY_US;         /* an old log, reported today */
    run(m, &d);
    expect_finding(expect(&d, "restart-pending"), SEV_INFO, 0, "restart-pending", 1);
    diagnosis_free(&d);
    model_free(m);

    m = mk();
    wu(m, T0, 21, 0, "G1");
    wu(m, T0 + 2 * DAY_US, 26, 0, NULL);
    obs(m, T0 + 30 * DAY_US, "wuauserv", "running", "demand", "live");
    m->generated_us = T0 + 30 * DAY_US;         /* collected now */
    run(m, &d);
    expect_finding(expect(&d, "restart-pending"), SEV_WARNING, 0, "restart-pending", 1);
    diagnosis_free(&d);
    model_free(m);
}

static void test_restart_done(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    (void)state;
    wu(m, T0, 19, 0, "G1");
    wu(m, T0, 21, 0, "G1");
    boot(m, T0 + HOUR_US);
    wu(m, T0 + 10 * DAY_US, 26, 0, NULL);
    run(m, &d);
    expect_none(&d, "restart-pending");
    expect_no_findings(&d);
    diagnosis_free(&d);
    model_free(m);

    /* the EventLog service starting (6005) is a boot too */
    m = mk();
    wu(m, T0, 21, 0, "G1");
    add_ev(m, T0 + HOUR_US, "EventLog", 6005, NULL);
    run(m, &d);
    expect_none(&d, "restart-pending");
    diagnosis_free(&d);
    model_free(m);

    /* other Kernel-General events (13 = shutdown) are no boot */
    m = mk();
    wu(m, T0, 21, 0, "G1");
    add_ev(m, T0 + HOUR_US, KERNEL, 13, NULL);
    run(m, &d);
    expect(&d, "restart-pending");
    diagnosis_free(&d);
    model_free(m);

    /* a new request after the boot is pending again */
    m = mk();
    wu(m, T0, 21, 0, "G1");
    boot(m, T0 + HOUR_US);
    wu(m, T0 + 2 * HOUR_US, 21, 0, "G2");
    run(m, &d);
    expect(&d, "restart-pending");
    diagnosis_free(&d);
    model_free(m);
}

/* ---- ordering and verdict ---------------------------------------------------------------- */

static void test_findings_order(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    (void)state;
    wu(m, T0, 25, 0x8024402C, NULL);              /* resolved scan failure */
    wu(m, T0 + HOUR_US, 26, 0, NULL);
    wu(m, T0 + 2 * HOUR_US, 20, 0x8024001E, "G0"); /* benign: info */
    wu(m, T0 + 3 * HOUR_US, 20, 0x80248007, "G1"); /* one open: warning */
    obs(m, T0 + 4 * HOUR_US, "wuauserv", "stopped", "disabled", "live"); /* critical */
    run(m, &d);
    if (d.n != 4) {
        dump(&d);
        fail_msg("expected 4 findings, got %zu", d.n);
    }
    assert_string_equal(d.findings[0].rule, "service-disabled");
    assert_int_equal(d.findings[0].severity, SEV_CRITICAL);
    assert_string_equal(d.findings[1].rule, "install-failures");
    assert_int_equal(d.findings[1].severity, SEV_WARNING);
    assert_string_equal(d.findings[2].rule, "install-failures");
    assert_int_equal(d.findings[2].severity, SEV_INFO);
    assert_false(d.findings[2].resolved);
    assert_string_equal(d.findings[3].rule, "scan-failures");
    assert_true(d.findings[3].resolved);
    expect_verdict(&d, VERDICT_CRITICAL);
    /* two open problems: the summary names the first and counts the other */
    assert_non_null(strstr(d.summary, "(and 1 more)"));
    diagnosis_free(&d);
    model_free(m);
}

/* Warnings only: verdict warning; a resolved critical-looking history is ignored. */
static void test_verdict_ignores_history(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    (void)state;
    wu(m, T0, 20, 0x80248007, "G1");
    wu(m, T0 + HOUR_US, 20, 0x80248007, "G1");
    wu(m, T0 + 2 * HOUR_US, 20, 0x80248007, "G1");
    wu(m, T0 + 3 * HOUR_US, 19, 0, "G1");
    wu(m, T0 + 4 * HOUR_US, 31, 0x80246007, "G2");
    run(m, &d);
    expect_finding(expect(&d, "install-failures"), SEV_INFO, 1,
                   kb_fix_of(0x80248007), 3);
    expect_finding(expect(&d, "download-failures"), SEV_WARNING, 0,
                   kb_fix_of(0x80246007), 1);
    expect_verdict(&d, VERDICT_WARNING);
    assert_string_equal(d.findings[0].rule, "download-failures");
    diagnosis_free(&d);
    model_free(m);
}

/* ---- format_time ------------------------------------------------------------------------ */

static void test_format_time(void **state)
{
    char buf[64];
    (void)state;
    assert_string_equal(format_time(0, buf, sizeof buf), "1970-01-01 00:00:00");
    assert_string_equal(format_time(T0, buf, sizeof buf), "2017-07-23 07:25:41");
    assert_string_equal(format_time(T0 + 999999, buf, sizeof buf), "2017-07-23 07:25:41");
    assert_string_equal(format_time(1456747200LL * SEC_US, buf, sizeof buf),
                        "2016-02-29 12:00:00");
    assert_string_equal(format_time(951782400LL * SEC_US, buf, sizeof buf),
                        "2000-02-29 00:00:00");
    assert_string_equal(format_time(-1, buf, sizeof buf), "1969-12-31 23:59:59");
    assert_string_equal(format_time(-SEC_US, buf, sizeof buf), "1969-12-31 23:59:59");
    assert_string_equal(format_time(-DAY_US, buf, sizeof buf), "1969-12-31 00:00:00");
    /* the Windows FILETIME epoch, 1601-01-01 */
    assert_string_equal(format_time(-11644473600LL * SEC_US, buf, sizeof buf),
                        "1601-01-01 00:00:00");
    assert_string_equal(format_time(253402300799LL * SEC_US, buf, sizeof buf),
                        "9999-12-31 23:59:59");
    /* the extremes: no crash, some NUL-terminated text */
    assert_ptr_equal(format_time(INT64_MAX, buf, sizeof buf), buf);
    assert_true(strlen(buf) > 0 && strlen(buf) < sizeof buf);
    assert_ptr_equal(format_time(INT64_MIN, buf, sizeof buf), buf);
    assert_true(strlen(buf) > 0 && strlen(buf) < sizeof buf);
    /* a short buffer is truncated, not overrun */
    {
        char small[8];
        memset(small, 'x', sizeof small);
        format_time(T0, small, sizeof small);
        assert_string_equal(small, "2017-07");
    }
}


/* ---- rules over facts read by collect ------------------------------------ */

static void fact(struct model *m, int64_t t, const char *name, const char *value)
{
    struct m_fact *f = model_add_fact(m);
    assert_non_null(f);
    f->name = sdup(m, name);
    f->value = sdup(m, value);
    f->time_us = t;
}

/* Root cause first: a disabled service or a full disk is named before the
 * failures it causes, whatever their severity; and every critical finding
 * carries commands (a command-less "wait and retry" becomes the reset). */
static void test_root_cause_first(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    (void)state;
    for (int i = 0; i < 3; i++)
        wu(m, T0 + i * DAY_US, 20, 0x80070070, "G1");      /* disk full */
    fact(m, T0 + 3 * DAY_US, "free_space_mb", "5000");      /* low: a warning */
    run(m, &d);
    assert_true(d.n >= 2);
    assert_string_equal(d.findings[0].rule, "low-disk-space");
    assert_int_equal(d.findings[0].severity, SEV_WARNING);
    assert_string_equal(d.findings[1].rule, "install-failures");
    expect_verdict(&d, VERDICT_CRITICAL);
    diagnosis_free(&d);
    model_free(m);

    m = mk();
    for (int i = 0; i < 3; i++)
        wu(m, T0 + i * HOUR_US, 20, 0x80070422, "G1");
    obs(m, T0 + DAY_US, "wuauserv", "stopped", "disabled", "live");
    run(m, &d);
    assert_string_equal(d.findings[0].rule, "service-disabled");
    diagnosis_free(&d);
    model_free(m);
}

static void test_critical_has_commands(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    (void)state;
    for (int i = 0; i < 5; i++)     /* a code whose own fix is "wait and retry" */
        wu(m, T0 + i * HOUR_US, 20, 0x80240002, "G1");
    run(m, &d);
    const struct finding *f = expect(&d, "install-failures");
    assert_int_equal(f->severity, SEV_CRITICAL);
    assert_string_equal(kb_fix_of(0x80240002), "retry-later");
    assert_string_equal(f->fix_id, "reset-wu-components");
    for (size_t i = 0; i < d.n; i++)
        if (d.findings[i].severity == SEV_CRITICAL && !d.findings[i].resolved)
            assert_non_null(kb_fix_find(d.findings[i].fix_id)->commands[0]);
    diagnosis_free(&d);
    model_free(m);
}

static void test_reboot_pending_fact(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    (void)state;
    wu(m, T0, 19, 0, "{G1}");
    fact(m, T0 + HOUR_US, "reboot_pending", "yes CBS-RebootPending");
    run(m, &d);
    const struct finding *f = expect(&d, "restart-pending-registry");
    expect_finding(f, SEV_WARNING, 0, "restart-pending", 1);
    assert_non_null(strstr(f->evidence[0].text, "CBS-RebootPending"));
    expect_verdict(&d, VERDICT_WARNING);
    diagnosis_free(&d);
    model_free(m);
}

static void test_reboot_pending_fact_no(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    (void)state;
    wu(m, T0, 19, 0, "{G1}");
    fact(m, T0, "reboot_pending", "no");
    run(m, &d);
    expect_none(&d, "restart-pending-registry");
    diagnosis_free(&d);
    model_free(m);

    /* pending, but Windows started after the reading */
    m = mk();
    wu(m, T0, 19, 0, "{G1}");
    fact(m, T0 + HOUR_US, "reboot_pending", "yes PendingFileRenameOperations");
    boot(m, T0 + 2 * HOUR_US);
    run(m, &d);
    expect_none(&d, "restart-pending-registry");
    diagnosis_free(&d);
    model_free(m);
}

static void test_low_disk(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    (void)state;
    wu(m, T0, 19, 0, "{G1}");
    fact(m, T0, "free_space_mb", "5000");
    run(m, &d);
    const struct finding *f = expect(&d, "low-disk-space");
    expect_finding(f, SEV_WARNING, 0, "free-disk-space", 1);
    assert_true(has_code(f, 0x80070070));
    diagnosis_free(&d);
    model_free(m);

    m = mk();
    wu(m, T0, 19, 0, "{G1}");
    fact(m, T0, "free_space_mb", "900");
    run(m, &d);
    expect_finding(expect(&d, "low-disk-space"), SEV_CRITICAL, 0, "free-disk-space", 1);
    expect_verdict(&d, VERDICT_CRITICAL);
    diagnosis_free(&d);
    model_free(m);
}

static void test_low_disk_not(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    (void)state;
    wu(m, T0, 19, 0, "{G1}");
    fact(m, T0, "free_space_mb", "50000");
    run(m, &d);
    expect_none(&d, "low-disk-space");
    diagnosis_free(&d);
    model_free(m);
    m = mk();
    wu(m, T0, 19, 0, "{G1}");
    fact(m, T0, "free_space_mb", "lots");      /* unreadable value: no guess */
    run(m, &d);
    expect_none(&d, "low-disk-space");
    diagnosis_free(&d);
    model_free(m);
}

static void test_wsus_policy(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    (void)state;
    fact(m, T0, "wsus_server", "http://wsus.example.test:8530");
    wu(m, T0 + HOUR_US, 25, 0x8024402C, NULL);
    run(m, &d);
    const struct finding *f = expect(&d, "wsus-policy");
    expect_finding(f, SEV_WARNING, 0, "check-wsus-policy", 1);   /* one failure */
    assert_true(has_code(f, 0x8024402C));
    diagnosis_free(&d);
    model_free(m);
}

static void test_wsus_policy_not(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    (void)state;
    /* WSUS set, but nothing fails for network/policy reasons */
    fact(m, T0, "wsus_server", "http://wsus.example.test:8530");
    wu(m, T0 + HOUR_US, 20, 0x80248007, "{G1}");
    run(m, &d);
    expect_none(&d, "wsus-policy");
    diagnosis_free(&d);
    model_free(m);
    /* failures, but no WSUS */
    m = mk();
    wu(m, T0, 25, 0x8024402C, NULL);
    run(m, &d);
    expect_none(&d, "wsus-policy");
    diagnosis_free(&d);
    model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rule_table_is_covered),
        cmocka_unit_test(test_reboot_pending_fact),
        cmocka_unit_test(test_root_cause_first),
        cmocka_unit_test(test_critical_has_commands),
        cmocka_unit_test(test_reboot_pending_fact_no),
        cmocka_unit_test(test_low_disk),
        cmocka_unit_test(test_low_disk_not),
        cmocka_unit_test(test_wsus_policy),
        cmocka_unit_test(test_wsus_policy_not),
        cmocka_unit_test(test_empty_model_unknown),
        cmocka_unit_test(test_quiet_model_healthy),
        cmocka_unit_test(test_disabled_live),
        cmocka_unit_test(test_disabled_by_7040_event),
        cmocka_unit_test(test_disabled_other_services),
        cmocka_unit_test(test_start_type_changes_no_finding),
        cmocka_unit_test(test_disabled_then_enabled),
        cmocka_unit_test(test_disabled_unrelated_service),
        cmocka_unit_test(test_inferred_from_80070422),
        cmocka_unit_test(test_inferred_counts_every_event),
        cmocka_unit_test(test_inferred_enabled_later),
        cmocka_unit_test(test_inferred_not_duplicated),
        cmocka_unit_test(test_service_missing),
        cmocka_unit_test(test_service_missing_optional),
        cmocka_unit_test(test_service_stopped_auto),
        cmocka_unit_test(test_service_stopped_not_a_problem),
        cmocka_unit_test(test_scm_failure_then_running_resolved),
        cmocka_unit_test(test_scm_bits_7000_open_critical),
        cmocka_unit_test(test_scm_open_counts),
        cmocka_unit_test(test_scm_keeps_failing),
        cmocka_unit_test(test_scm_blocks_updates),
        cmocka_unit_test(test_scm_routine_at_shutdown),
        cmocka_unit_test(test_scm_unrelated_service),
        cmocka_unit_test(test_install_failure_resolved),
        cmocka_unit_test(test_install_failure_other_success),
        cmocka_unit_test(test_install_failures_repeat_critical),
        cmocka_unit_test(test_install_failure_one_open_warning),
        cmocka_unit_test(test_install_failures_partly_resolved),
        cmocka_unit_test(test_install_failure_benign),
        cmocka_unit_test(test_install_failure_not_counted),
        cmocka_unit_test(test_install_failures_grouped_by_code),
        cmocka_unit_test(test_install_failure_matching),
        cmocka_unit_test(test_scan_failure_resolved),
        cmocka_unit_test(test_scan_failure_resolved_by_activity),
        cmocka_unit_test(test_download_failure_unnamed),
        cmocka_unit_test(test_finding_limits),
        cmocka_unit_test(test_finding_strings),
        cmocka_unit_test(test_scan_failures_open_warning),
        cmocka_unit_test(test_download_failure_open),
        cmocka_unit_test(test_download_failure_resolved),
        cmocka_unit_test(test_failures_match_reference),
        cmocka_unit_test(test_no_recent_success_stale),
        cmocka_unit_test(test_no_recent_success_never),
        cmocka_unit_test(test_no_recent_success_silent),
        cmocka_unit_test(test_restart_pending_recent_info),
        cmocka_unit_test(test_restart_pending_old_warning),
        cmocka_unit_test(test_restart_done),
        cmocka_unit_test(test_transient_code_persists),
        cmocka_unit_test(test_restart_pending_servicing),
        cmocka_unit_test(test_restart_pending_reference_time),
        cmocka_unit_test(test_findings_order),
        cmocka_unit_test(test_verdict_ignores_history),
        cmocka_unit_test(test_format_time),
    };
    return cmocka_run_group_tests_name("rules", tests, NULL, NULL);
}
