/*
 * test_patch.c - cmocka tests for update classes (vocab/updates.c) and the
 * patch-state rule (diagnosis/rule_patch.c, finding quality-updates-stale):
 * the classifier on real titles in several languages and the tricky ones
 * (.NET cumulative, Defender "security intelligence", Store product IDs,
 * driver titles); the rule on small models built in memory (stale quality
 * with Defender successes, failing quality, current quality, a restart
 * pending, live vs imported reference time); and the binary on the real
 * system-win10-2017.evtx and two healthy cases.
 */
#include "testutil.h"

#include "diagnosis/diagnose.h"
#include "diagnosis/rule_patch.h"
#include "vocab/kb.h"
#include "vocab/model.h"
#include "vocab/updates.h"

#define SEC_US  1000000LL
#define HOUR_US (3600LL * SEC_US)
#define DAY_US  (86400LL * SEC_US)
/* 2017-07-23 07:25:41 UTC */
#define T0      (1500794741LL * SEC_US)

#define WU      "Microsoft-Windows-WindowsUpdateClient"
#define KERNEL  "Microsoft-Windows-Kernel-General"

/* Real titles (the logs named in vocab/updates.c) and Microsoft's. */
#define CU_EN  "2017-07 Cumulative Update for Windows 10 Version 1703 for x64-based Systems (KB4025342)"
#define CU_EN2 "2017-10 Cumulative Update for Windows 10 Version 1703 for x64-based Systems (KB4041676)"
#define DEF_EN "Definition Update for Windows Defender Antivirus - KB2267602 (Definition 1.259.809.0)"
#define NET_EN "2022-01 Cumulative Update for .NET Framework 3.5 and 4.8 for Windows 10 Version 21H2 for x64 (KB5009467)"
#define STORE  "9WZDNCRFJ3Q2-Microsoft.BingWeather"

/* ---- the classifier --------------------------------------------------------- */

struct title_case {
    const char *title, *kb;
    enum upd_class want;
};

static void check_titles(const struct title_case *t, size_t n)
{
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        enum upd_class got = upd_classify(t[i].title, t[i].kb);
        if (got != t[i].want) {
            print_message("%s [%s]: %s, want %s\n", t[i].title ? t[i].title : "(null)",
                          t[i].kb ? t[i].kb : "-", upd_class_name(got),
                          upd_class_name(t[i].want));
            bad++;
        }
    }
    if (bad)
        fail_msg("%d title(s) misclassified", bad);
}

static void test_quality_titles(void **state)
{
    static const struct title_case t[] = {
        /* logs here */
        {CU_EN, NULL, UC_QUALITY},
        {"2020-06 Kumulatives Update für Windows 10 Version 1909 für x64-basierte Systeme (KB4560960)", "KB4560960", UC_QUALITY},
        {"2020-07 Vorschau auf kumulatives Update für Windows 10 Version 1909 für x64-basierte Systeme (KB4559004)", NULL, UC_QUALITY},
        {"2022-06 arm64 ベース システム用 Windows 11 の累積更新プログラム (KB5016138)", "KB5016138", UC_QUALITY},
        {"Security Update for Windows 7 for x64-based Systems (KB2641653)", NULL, UC_QUALITY},
        /* Microsoft's titles in other languages */
        {"2020-06 适用于基于 x64 的系统的 Windows 10 Version 1909 的累积更新 (KB4560960)", NULL, UC_QUALITY},
        {"2020-06 適用於 x64 型系統 Windows 10 Version 1909 的累積更新 (KB4560960)", NULL, UC_QUALITY},
        {"2020-06 x64 기반 시스템용 Windows 10 Version 1909 누적 업데이트 (KB4560960)", NULL, UC_QUALITY},
        {"2020-06 Накопительное обновление для Windows 10 Version 1909 для систем на базе процессоров x64 (KB4560960)", NULL, UC_QUALITY},
        {"2020-06 Mise à jour cumulative pour Windows 10 Version 1909 pour les systèmes x64 (KB4560960)", NULL, UC_QUALITY},
        {"2020-06 Actualización acumulativa para Windows 10 Version 1909 para sistemas basados en x64 (KB4560960)", NULL, UC_QUALITY},
        {"2020-06 Aggiornamento cumulativo per Windows 10 Version 1909 per sistemi basati su x64 (KB4560960)", NULL, UC_QUALITY},
        {"2020-06 Atualização Cumulativa para Windows 10 Version 1909 para sistemas baseados em x64 (KB4560960)", NULL, UC_QUALITY},
        {"2020-06 Aktualizacja zbiorcza dla systemu Windows 10 Version 1909 dla systemów opartych na procesorach x64 (KB4560960)", NULL, UC_QUALITY},
        {"x64 tabanlı sistemler için Windows 10 Version 1909 2020-06 Toplu Güncelleştirmesi (KB4560960)", NULL, UC_QUALITY},
        {"2020-06 Cumulatieve update voor Windows 10 Version 1909 voor x64-systemen (KB4560960)", NULL, UC_QUALITY},
        {"2019-08 Security Monthly Quality Rollup for Windows 7 for x64-based Systems (KB4512506)", NULL, UC_QUALITY},
        {"2019-08 Security Only Quality Update for Windows 7 for x64-based Systems (KB4512486)", NULL, UC_QUALITY},
        {"2020-06 Servicing Stack Update for Windows 10 Version 1909 for x64-based Systems (KB4560959)", NULL, UC_QUALITY},
        {"2022-04 Cumulative Update for Microsoft server operating system version 21H2 for x64-based Systems (KB5012604)", NULL, UC_QUALITY},
        /* a monthly title that happens to write the comma */
        {"2024-10 Cumulative Update for Windows 11, version 24H2 for x64-based Systems (KB5044284)", NULL, UC_QUALITY},
    };
    (void)state;
    check_titles(t, sizeof t / sizeof t[0]);
}

static void test_other_classes(void **state)
{
    static const struct title_case t[] = {
        /* .NET cumulative updates are .NET, not quality */
        {NET_EN, NULL, UC_DOTNET},
        {"2022-06 .NET Framework 3.5 および 4.8 の累積的な更新プログラム (ARM64 向け Windows 11 用) (KB5013889)", "KB5013889", UC_DOTNET},
        {"2020-05 Kumulatives Update für .NET Framework 3.5 und 4.8 für Windows 10 Version 1909 für x64 (KB4552931)", NULL, UC_DOTNET},
        {"Update for Microsoft .NET Framework 4 on XP, Server 2003, Vista, Windows 7, Server 2008, Server 2008 R2 for x64 (KB2600217)", NULL, UC_DOTNET},
        /* Defender "security intelligence" is Defender, not security */
        {"Security Intelligence Update for Microsoft Defender Antivirus - KB2267602 (Version 1.371.99.0)", NULL, UC_DEFENDER},
        {"Microsoft Defender Antivirus のセキュリティ インテリジェンス更新プログラム - KB2267602 (バージョン 1.367.1261.0)", "KB2267602", UC_DEFENDER},
        {"Security Intelligence-Update für Microsoft Defender Antivirus - KB2267602 (Version 1.317.1849.0)", NULL, UC_DEFENDER},
        {"Update für Microsoft Defender Antivirus-Antischadsoftwareplattform – KB4052623 (Version 4.18.2005.5)", NULL, UC_DEFENDER},
        {DEF_EN, NULL, UC_DEFENDER},
        {"Definition Update for Windows Defender - KB915597 (Definition 1.141.3676.0)", NULL, UC_DEFENDER},
        {NULL, "KB2267602", UC_DEFENDER},            /* a KB alone */
        /* MSRT in any language */
        {"Windows-Tool zum Entfernen bösartiger Software x64 - v5.82 (KB890830)", NULL, UC_MSRT},
        {"Windows Malicious Software Removal Tool x64 - March 2012 (KB890830)", NULL, UC_MSRT},
        /* Store apps: product ID + package name, package family name */
        {STORE, NULL, UC_STORE},
        {"9NBLGGH4RV3K-Microsoft.VCLibs.140.00.UWPDesktop", NULL, UC_STORE},
        {"9WZDNCRFJ3P2-MICROSOFT.ZUNEVIDEO", NULL, UC_STORE},
        {"9MW2LKJ0TPJF-Microsoft.NET.Native.Framework.2.2", NULL, UC_STORE},
        {"Microsoft.BingWeather_8wekyb3d8bbwe", NULL, UC_STORE},
        {"Microsoft .Net Native Framework Package 1.6", NULL, UC_STORE},
        /* drivers */
        {"Intel - System - 10.1.1.42", NULL, UC_DRIVER},
        {"Realtek Semiconductor Corp. - Extension - 10.0.19041.31", NULL, UC_DRIVER},
        {"NVIDIA - Display - 31.0.15.1659", NULL, UC_DRIVER},
        /* feature updates */
        {"Feature update to Windows 10, version 20H2", NULL, UC_FEATURE},
        {"Windows 11, version 24H2", NULL, UC_FEATURE},
        {"Funktionsupdate für Windows 10, Version 20H2", NULL, UC_FEATURE},
        {"Windows 10, version 20H2 の機能更新プログラム", NULL, UC_FEATURE},
        /* other products, also when they say "security update" */
        {"2017-07 Security Update for Adobe Flash Player for Windows 10 Version 1703 for x64-based Systems (KB4025376)", NULL, UC_OTHER},
        {"2020-06 Sicherheitsupdate für Adobe Flash Player für Windows 10 Version 1909 für x64-basierte Systeme (KB4561600)", NULL, UC_OTHER},
        {"Security Update for Microsoft Office 2016 (KB4484103) 64-Bit Edition", NULL, UC_OTHER},
        /* nothing to tell: unknown, never quality */
        {"Update for Windows 7 for x64-based Systems (KB2639308)", NULL, UC_UNKNOWN},
        {"2020-01 Update für Windows 10 Version 1909 für x64-basierte Systeme (KB4497165)", NULL, UC_UNKNOWN},
        {"MSN News", NULL, UC_UNKNOWN},
        {"", NULL, UC_UNKNOWN},
        {NULL, NULL, UC_UNKNOWN},
    };
    (void)state;
    check_titles(t, sizeof t / sizeof t[0]);
}

static void test_shapes(void **state)
{
    char kb[16];
    (void)state;
    assert_true(upd_is_store_title(STORE));
    assert_false(upd_is_store_title("ABCDEFGHIJKL-Microsoft.Thing"));   /* no digit */
    assert_false(upd_is_store_title("9WZDNCRFJ3Q2-"));
    assert_false(upd_is_store_title(CU_EN));
    assert_false(upd_is_store_title("KB4025342"));
    assert_true(upd_is_driver_title("Intel - System - 10.1.1.42"));
    assert_false(upd_is_driver_title(DEF_EN));
    assert_false(upd_is_driver_title("A -  - B"));
    assert_false(upd_is_driver_title("Vendor - Class - "));
    assert_string_equal(upd_kb_in(CU_EN, kb, sizeof kb), "KB4025342");
    assert_string_equal(upd_kb_in("kb890830", kb, sizeof kb), "KB890830");
    assert_null(upd_kb_in("XKB4025342", kb, sizeof kb));
    assert_null(upd_kb_in("KB12", kb, sizeof kb));
    assert_null(upd_kb_in(NULL, kb, sizeof kb));
}

static void test_tables(void **state)
{
    const struct upd_phrase *tabs[] = {upd_cues, upd_phrases};
    const size_t lens[] = {upd_cues_len, upd_phrases_len};
    (void)state;
    for (size_t t = 0; t < 2; t++)
        for (size_t i = 0; i < lens[t]; i++) {
            assert_non_null(tabs[t][i].text);
            assert_true(tabs[t][i].text[0] != '\0');
            assert_true(tabs[t][i].cls > UC_UNKNOWN && tabs[t][i].cls < UC_COUNT);
            assert_non_null(tabs[t][i].lang);
        }
    for (size_t i = 0; i < upd_kbs_len; i++) {
        assert_int_equal(strncmp(upd_kbs[i].kb, "KB", 2), 0);
        assert_true(upd_kbs[i].cls > UC_UNKNOWN && upd_kbs[i].cls < UC_COUNT);
    }
    for (int a = 0; a < UC_COUNT; a++)
        for (int b = a + 1; b < UC_COUNT; b++)
            assert_string_not_equal(upd_class_name(a), upd_class_name(b));
    assert_true(upd_phrases_len >= 60);
}

/* ---- models ------------------------------------------------------------------ */

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

/* A WindowsUpdateClient event (19 installed, 20 failed, 43 started) for an
 * update; code 0 = none.  Left unclassified: the accessors work it out. */
static struct m_event *upd(struct model *m, int64_t t, int id, uint32_t code,
                           const char *title, const char *guid)
{
    char kb[16];
    struct m_event *e = model_add_event(m);
    assert_non_null(e);
    if (m->nevents > 1)
        assert_true(m->events[m->nevents - 2].time_us <= t);
    e->time_us = t;
    e->record_id = (int64_t)m->nevents;
    e->event_id = id;
    e->level = code ? 2 : 4;
    e->provider = sdup(m, WU);
    e->channel = sdup(m, "System");
    e->title = sdup(m, title);
    e->kb = sdup(m, upd_kb_in(title, kb, sizeof kb));
    e->guid = sdup(m, guid);
    if (code) {
        e->has_code = 1;
        e->code = code;
    }
    return e;
}

static void boot(struct model *m, int64_t t)
{
    struct m_event *e = model_add_event(m);
    assert_non_null(e);
    e->time_us = t;
    e->event_id = 12;
    e->level = 4;
    e->provider = sdup(m, KERNEL);
    e->channel = sdup(m, "System");
}

/* Defender definitions installed every day from..to (inclusive). */
static void defender_daily(struct model *m, int64_t from, int64_t to)
{
    for (int64_t t = from; t <= to; t += DAY_US)
        upd(m, t, 19, 0, DEF_EN, "GDEF");
}

/* first/last from the events; "now" an hour after the last unless set. */
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
        m->generated_us = m->last_us + HOUR_US;
}

static void dump(const struct diagnosis *d)
{
    for (size_t i = 0; i < d->n; i++)
        print_message("  %s %s fix=%s: %s\n", d->findings[i].rule,
                      severity_name(d->findings[i].severity),
                      d->findings[i].fix_id ? d->findings[i].fix_id : "-",
                      d->findings[i].title);
}

/* Run the rule alone; the finding or NULL. */
static const struct finding *run_patch(struct model *m, struct diagnosis *d)
{
    finish(m);
    memset(d, 0, sizeof *d);
    assert_int_equal(rule_patch_state(m, d), 0);
    assert_true(d->n <= 1);
    if (!d->n)
        return NULL;
    const struct finding *f = &d->findings[0];
    assert_string_equal(f->rule, "quality-updates-stale");
    assert_non_null(f->fix_id);
    if (!kb_fix_find(f->fix_id))
        fail_msg("fix %s is not in the catalog", f->fix_id);
    assert_true(f->nevidence >= 1 && f->nevidence <= FINDING_MAX_EVIDENCE);
    assert_true(f->count >= 1);
    return f;
}

static int evidence_has(const struct finding *f, const char *text)
{
    for (size_t i = 0; i < f->nevidence; i++)
        if (strstr(f->evidence[i].text, text))
            return 1;
    return 0;
}

/* ---- the rule ------------------------------------------------------------------- */

/* A cumulative update installed, then only Defender for 60 days, and the
 * next cumulative update started 45 days in but never finished (Windows
 * started since): warning, not current because of Defender. */
static void test_stale_with_defender_successes(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    const struct finding *f;
    (void)state;
    upd(m, T0, 19, 0, CU_EN, "GCU1");
    defender_daily(m, T0 + DAY_US, T0 + 44 * DAY_US);
    upd(m, T0 + 45 * DAY_US, 43, 0, CU_EN2, "GCU2");
    boot(m, T0 + 46 * DAY_US);
    defender_daily(m, T0 + 47 * DAY_US, T0 + 60 * DAY_US);
    f = run_patch(m, &d);
    if (!f)
        fail_msg("no finding although the last cumulative update is 60 days old");
    assert_int_equal(f->severity, SEV_WARNING);
    assert_string_equal(f->fix_id, "reset-wu-components");   /* started, never finished */
    assert_non_null(strstr(f->title, "for 60 days"));
    assert_non_null(strstr(f->title, "last: KB4025342 on 2017-07-23"));
    assert_true(evidence_has(f, "KB4041676"));
    assert_true(evidence_has(f, "no result logged"));
    assert_true(evidence_has(f, "Defender update: last installed"));
    diagnosis_free(&d);

    /* the whole diagnosis: the class-blind no-recent-success stays silent
     * (Defender succeeded yesterday); patch-state is what says it */
    assert_int_equal(diagnose(m, &d), 0);
    assert_int_equal(d.verdict, VERDICT_WARNING);
    assert_string_equal(d.findings[0].rule, "quality-updates-stale");
    diagnosis_free(&d);
    model_free(m);

    /* nothing tried since, but 40 days of evidence after it: warning, check
     * for updates */
    m = mk();
    upd(m, T0, 19, 0, CU_EN, "GCU1");
    defender_daily(m, T0 + DAY_US, T0 + 40 * DAY_US);
    f = run_patch(m, &d);
    assert_non_null(f);
    assert_int_equal(f->severity, SEV_WARNING);
    assert_string_equal(f->fix_id, "install-latest-cumulative");
    diagnosis_free(&d);
    model_free(m);
}

/* Quality installs fail with a code since the last success: critical, the
 * code's fix; a .NET cumulative success does not make Windows current. */
static void test_failing_quality_critical(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    const struct finding *f;
    const struct kb_code *k = kb_code_find(0x80248007);
    (void)state;
    assert_non_null(k);
    upd(m, T0, 19, 0, CU_EN, "GCU1");
    for (int i = 0; i < 4; i++) {
        upd(m, T0 + (30 + i) * DAY_US, 43, 0, CU_EN2, "GCU2");
        upd(m, T0 + (30 + i) * DAY_US, 20, 0x80248007, CU_EN2, "GCU2");
    }
    upd(m, T0 + 50 * DAY_US, 19, 0, NET_EN, "GNET");
    defender_daily(m, T0 + 51 * DAY_US, T0 + 55 * DAY_US);
    f = run_patch(m, &d);
    assert_non_null(f);
    assert_int_equal(f->severity, SEV_CRITICAL);
    assert_string_equal(f->fix_id, k->fix_id);
    assert_int_equal(f->ncodes, 1);
    assert_int_equal(f->codes[0], 0x80248007);
    assert_non_null(strstr(f->title, "KB4041676 failed 4 times with 0x80248007"));
    assert_true(evidence_has(f, ".NET update: last installed"));
    diagnosis_free(&d);
    model_free(m);

    /* a failure event naming only the GUID gets its class from the start */
    m = mk();
    upd(m, T0, 19, 0, CU_EN, "GCU1");
    upd(m, T0 + 40 * DAY_US, 43, 0, CU_EN2, "GCU2");
    upd(m, T0 + 40 * DAY_US, 20, 0x80070002, NULL, "GCU2");
    f = run_patch(m, &d);
    assert_non_null(f);
    assert_int_equal(f->severity, SEV_CRITICAL);
    diagnosis_free(&d);
    model_free(m);
}

static void test_current_quality_silent(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    (void)state;
    /* installed 20 days before the end, failures before that */
    upd(m, T0, 20, 0x80248007, CU_EN, "GCU1");
    upd(m, T0 + 40 * DAY_US, 19, 0, CU_EN2, "GCU2");
    defender_daily(m, T0 + 41 * DAY_US, T0 + 60 * DAY_US);
    assert_null(run_patch(m, &d));
    diagnosis_free(&d);
    model_free(m);

    /* the next one started 5 days ago, no restart since: pending, current */
    m = mk();
    upd(m, T0, 19, 0, CU_EN, "GCU1");
    boot(m, T0 + 10 * DAY_US);
    upd(m, T0 + 55 * DAY_US, 43, 0, CU_EN2, "GCU2");
    defender_daily(m, T0 + 56 * DAY_US, T0 + 60 * DAY_US);
    assert_null(run_patch(m, &d));
    diagnosis_free(&d);
    model_free(m);

    /* never any quality update, only Defender and Store for 60 days: no
     * claim about quality updates without any evidence of them */
    m = mk();
    defender_daily(m, T0, T0 + 60 * DAY_US);
    upd(m, T0 + 60 * DAY_US, 19, 0, STORE, "GSTORE");
    assert_null(run_patch(m, &d));
    diagnosis_free(&d);
    model_free(m);

    /* a feature update 10 days ago brought the cumulative level with it */
    m = mk();
    upd(m, T0, 19, 0, CU_EN, "GCU1");
    upd(m, T0 + 50 * DAY_US, 19, 0, "Feature update to Windows 10, version 1709", "GFU");
    defender_daily(m, T0 + 51 * DAY_US, T0 + 60 * DAY_US);
    assert_null(run_patch(m, &d));
    diagnosis_free(&d);
    model_free(m);

    /* attempts but too little evidence to tell */
    m = mk();
    upd(m, T0, 43, 0, CU_EN, "GCU1");
    upd(m, T0, 20, 0x80248007, CU_EN, "GCU1");
    upd(m, T0 + 20 * DAY_US, 19, 0, DEF_EN, "GDEF");
    assert_null(run_patch(m, &d));
    diagnosis_free(&d);
    model_free(m);
}

/* Live: the reference is now; imported: the end of the evidence, and the
 * title says when the log ends. */
static void test_reference_time(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    const struct finding *f;
    (void)state;

    /* imported: a log of 10 days after the update, read 50 days later */
    upd(m, T0, 19, 0, CU_EN, "GCU1");
    defender_daily(m, T0 + DAY_US, T0 + 10 * DAY_US);
    m->generated_us = T0 + 50 * DAY_US;
    assert_null(run_patch(m, &d));
    diagnosis_free(&d);

    /* the same, collected live (a fact was read): 50 days now */
    struct m_fact *fact = model_add_fact(m);
    assert_non_null(fact);
    fact->name = sdup(m, "os");
    fact->value = sdup(m, "Windows 10 Pro 22H2");
    fact->time_us = T0 + 50 * DAY_US;
    f = run_patch(m, &d);
    assert_non_null(f);
    assert_non_null(strstr(f->title, "for 50 days"));
    assert_null(strstr(f->title, "the log ends"));
    assert_true(evidence_has(f, "reference time: now (live collection"));
    diagnosis_free(&d);
    model_free(m);

    /* imported, stale within the log, which ended 300 days before the report */
    m = mk();
    upd(m, T0, 19, 0, CU_EN, "GCU1");
    upd(m, T0 + 40 * DAY_US, 20, 0x80248007, CU_EN2, "GCU2");
    m->generated_us = T0 + 340 * DAY_US;
    f = run_patch(m, &d);
    assert_non_null(f);
    assert_non_null(strstr(f->title, "for 40 days"));       /* not 340 */
    assert_non_null(strstr(f->title, "the log ends on 2017-09-01"));
    diagnosis_free(&d);
    model_free(m);
}

/* Kind and outcome decide, not event IDs: classified events with IDs no
 * table knows (as text logs or other sources give them). */
static void test_uses_semantics_not_ids(void **state)
{
    struct model *m = mk();
    struct diagnosis d;
    const struct finding *f;
    struct m_event *e;
    (void)state;
    e = upd(m, T0, 9001, 0, CU_EN, "GCU1");
    e->classified = 1;
    e->kind = EK_INSTALL;
    e->outcome = EO_SUCCEEDED;
    e = upd(m, T0 + 40 * DAY_US, 9002, 0x80070002, CU_EN2, "GCU2");
    e->classified = 1;
    e->kind = EK_INSTALL;
    e->outcome = EO_FAILED;
    /* an event 19 that is not an install (classified otherwise) */
    e = upd(m, T0 + 41 * DAY_US, 19, 0, CU_EN2, "GCU2");
    e->classified = 1;
    e->kind = EK_DOWNLOAD;
    e->outcome = EO_SUCCEEDED;
    f = run_patch(m, &d);
    assert_non_null(f);
    assert_int_equal(f->severity, SEV_CRITICAL);
    assert_non_null(strstr(f->title, "last: KB4025342"));
    diagnosis_free(&d);
    model_free(m);
}

static void test_last_install_helper(void **state)
{
    struct model *m = mk();
    const struct m_event *e;
    (void)state;
    upd(m, T0, 19, 0, CU_EN, "GCU1");
    upd(m, T0 + DAY_US, 20, 0x80248007, CU_EN2, "GCU2");
    defender_daily(m, T0 + 2 * DAY_US, T0 + 5 * DAY_US);
    assert_int_equal(patch_last_install(m, UC_QUALITY, &e), 0);
    assert_non_null(e);
    assert_int_equal(e->time_us, T0);
    assert_int_equal(patch_last_install(m, UC_DEFENDER, &e), 0);
    assert_non_null(e);
    assert_int_equal(e->time_us, T0 + 5 * DAY_US);
    assert_int_equal(patch_last_install(m, UC_FEATURE, &e), 0);
    assert_null(e);
    model_free(m);
}

/* ---- the binary on real logs -------------------------------------------------------- */

/* The JSON object of the quality-updates-stale finding in out (malloc'd), or NULL. */
static char *stale_finding(const char *out)
{
    const char *p = strstr(out, "{\"rule\":\"quality-updates-stale\"");
    const char *end;
    char *s;
    if (!p)
        return NULL;
    end = strstr(p + 1, "{\"rule\":");
    if (!end)
        end = p + strlen(p);
    s = malloc((size_t)(end - p) + 1);
    assert_non_null(s);
    memcpy(s, p, (size_t)(end - p));
    s[end - p] = '\0';
    return s;
}

static char *report_json(const char *dir, const char *files, const char *host)
{
    struct tu_run r;
    char *db = tu_path(dir, "patch.db"), *out;
    tu_run(&r, "rm -f %s; %s --db %s import %s", tu_shq(db), tu_shq(tu_bin()),
           tu_shq(db), files);
    if (r.status > 1) {
        tu_run_dump(&r);
        fail_msg("import failed");
    }
    tu_run_free(&r);
    tu_run(&r, "SOURCE_DATE_EPOCH=1767225600 %s --db %s report --format json --host %s",
           tu_shq(tu_bin()), tu_shq(db), tu_shq(host));
    if (r.status > 2) {
        tu_run_dump(&r);
        fail_msg("report failed");
    }
    out = tu_strdup(r.out);
    tu_run_free(&r);
    free(db);
    return out;
}

static void test_real_system_2017(void **state)
{
    char *dir = tu_tempdir();
    char *evtx = tu_path(tu_data(), "evtx/system-win10-2017.evtx");
    char *out = report_json(dir, tu_shq(evtx), "DESKTOP-2KGM189");
    char *f = stale_finding(out);
    (void)state;
    if (!f) {
        print_message("%s\n", out);
        fail_msg("no quality-updates-stale finding on system-win10-2017.evtx");
    }
    assert_non_null(strstr(f, "\"severity\":\"critical\""));
    assert_non_null(strstr(f, "since the evidence begins (2017-07-12)"));
    assert_non_null(strstr(f, "KB4025342 failed 4 times with 0x80248007"));
    assert_non_null(strstr(f, "the log ends on 2017-12-26"));
    assert_non_null(strstr(f, "\"codes\":[\"0x80248007\"]"));
    assert_non_null(strstr(f, "\"id\":\"reset-wu-components\""));
    assert_non_null(strstr(f, "KB4041676"));          /* 2017-10, started, no result */
    assert_non_null(strstr(f, "does not patch Windows"));   /* Defender, December */
    free(f);
    free(out);
    free(evtx);
    tu_rmtree(dir);
    free(dir);
}

static void test_real_current_cases(void **state)
{
    static const char *const cases[][2] = {
        /* KB5016138 installed, restart pending; .NET KB5013889 installed */
        {"cases/fukusuket-win11-ja", "FUKUSUKE16E9"},
        /* monthly cumulative updates June-August installed */
        {"cases/michkoll-win10-de", "DESKTOP-MJBFK33"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *dir = tu_tempdir();
        char *folder = tu_path(tu_data(), cases[i][0]);
        char *glob = tu_fmt("%s/*.evtx", tu_shq(folder));
        char *out = report_json(dir, glob, cases[i][1]);
        char *f = stale_finding(out);
        if (f)
            fail_msg("%s: unexpected %s", cases[i][0], f);
        if (!strstr(out, "\"verdict\""))
            fail_msg("%s: no report", cases[i][0]);
        free(out);
        free(glob);
        free(folder);
        tu_rmtree(dir);
        free(dir);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quality_titles),
        cmocka_unit_test(test_other_classes),
        cmocka_unit_test(test_shapes),
        cmocka_unit_test(test_tables),
        cmocka_unit_test(test_stale_with_defender_successes),
        cmocka_unit_test(test_failing_quality_critical),
        cmocka_unit_test(test_current_quality_silent),
        cmocka_unit_test(test_reference_time),
        cmocka_unit_test(test_uses_semantics_not_ids),
        cmocka_unit_test(test_last_install_helper),
        cmocka_unit_test(test_real_system_2017),
        cmocka_unit_test(test_real_current_cases),
    };
    (void)dump;
    return cmocka_run_group_tests_name("patch", tests, NULL, NULL);
}
