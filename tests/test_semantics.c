/*
 * test_semantics.c - the one table of event semantics (vocab/semantics.c)
 * and the services table (vocab/services.c): the tables are consistent,
 * classification gives what every reader relies on, the import filter keeps
 * exactly what the tables say, and an event classified at import reaches
 * the model with the same meaning.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <strings.h>

#include "testutil.h"
#include "vocab/semantics.h"
#include "vocab/services.h"
#include "vocab/model.h"
#include "collector/filter.h"

static void test_tables_consistent(void **state)
{
    (void)state;
    assert_true(ev_providers_len > 10);
    for (size_t i = 0; i < ev_providers_len; i++) {
        const struct ev_provider *p = &ev_providers[i];
        assert_non_null(p->name);
        assert_true(p->family != EF_OTHER);
        assert_true(p->need != NEED_DEFAULT);
        assert_ptr_equal(ev_provider_find(p->name), p);      /* no duplicate */
        if (p->keep == KEEP_LISTED) {
            /* a provider kept by its listed IDs has at least one */
            size_t n = 0;
            for (size_t j = 0; j < ev_meanings_len; j++)
                n += ev_meanings[j].family == p->family;
            if (!n)
                fail_msg("%s keeps listed IDs but has none", p->name);
        }
    }
    for (size_t i = 0; i < ev_meanings_len; i++) {
        const struct ev_meaning *m = &ev_meanings[i];
        int has_provider = 0;
        for (size_t j = 0; j < ev_providers_len; j++)
            has_provider |= ev_providers[j].family == m->family;
        if (!has_provider)
            fail_msg("row %zu (event %d): no provider has its family", i, m->event_id);
        assert_true(m->kind > EK_NONE && m->kind < EK_KIND_COUNT);
        assert_true(m->outcome >= EO_NONE && m->outcome < EO_OUTCOME_COUNT);
        assert_non_null(m->label);
        assert_true(m->label[0] != '\0');
        if (ev_meaning_find(m->family, m->event_id) != m)
            fail_msg("row %zu: event %d of its family twice", i, m->event_id);
    }
}

static void test_names_round_trip(void **state)
{
    (void)state;
    for (int k = EK_NONE + 1; k < EK_KIND_COUNT; k++) {
        const char *n = ev_kind_name((enum ev_kind)k);
        if (!n || !*n)
            fail_msg("kind %d has no stored name", k);
        assert_int_equal(ev_kind_parse(n), k);
    }
    for (int o = EO_NONE + 1; o < EO_LEVEL; o++)
        assert_int_equal(ev_outcome_parse(ev_outcome_name((enum ev_outcome)o)), o);
    assert_string_equal(ev_kind_name(EK_NONE), "");
    assert_string_equal(ev_outcome_name(EO_LEVEL), "");   /* never stored */
    assert_int_equal(ev_kind_parse(NULL), EK_NONE);
    assert_int_equal(ev_kind_parse("no-such-kind"), EK_NONE);
    assert_int_equal(ev_outcome_parse(""), EO_NONE);
}

static void expect_class(const char *provider, int id, int level, enum ev_kind k,
                         enum ev_outcome o)
{
    enum ev_kind gk;
    enum ev_outcome go;
    ev_classify(provider, id, level, &gk, &go);
    if (gk != k || go != o)
        fail_msg("%s %d level %d: %s/%s, expected %s/%s", provider, id, level,
                 ev_kind_name(gk), ev_outcome_name(go), ev_kind_name(k), ev_outcome_name(o));
}

static void test_classify(void **state)
{
    (void)state;
    expect_class("Microsoft-Windows-WindowsUpdateClient", 19, 4, EK_INSTALL, EO_SUCCEEDED);
    expect_class("Microsoft-Windows-WindowsUpdateClient", 20, 2, EK_INSTALL, EO_FAILED);
    expect_class("Windows Update Agent", 20, 2, EK_INSTALL, EO_FAILED);   /* older name */
    expect_class("microsoft-windows-windowsupdateclient", 25, 2, EK_SCAN, EO_FAILED);
    expect_class("Microsoft-Windows-WindowsUpdateClient", 26, 4, EK_SCAN, EO_SUCCEEDED);
    expect_class("Microsoft-Windows-WindowsUpdateClient", 44, 4, EK_DOWNLOAD, EO_STARTED);
    expect_class("Microsoft-Windows-WindowsUpdateClient", 22, 4, EK_RESTART_REQUIRED, EO_NONE);
    expect_class("Microsoft-Windows-WindowsUpdateClient", 24, 2, EK_UNINSTALL, EO_FAILED);
    expect_class("Service Control Manager", 7000, 2, EK_SERVICE_START_FAILED, EO_FAILED);
    expect_class("Service Control Manager", 7031, 2, EK_SERVICE_FAILURE, EO_FAILED);
    expect_class("Service Control Manager", 7043, 2, EK_SERVICE_SLOW_STOP, EO_FAILED);
    expect_class("Service Control Manager", 7036, 4, EK_SERVICE_STATE, EO_NONE);
    expect_class("Microsoft-Windows-Kernel-General", 12, 4, EK_BOOT, EO_NONE);
    expect_class("EventLog", 6005, 4, EK_BOOT, EO_NONE);
    expect_class("EventLog", 6006, 4, EK_SHUTDOWN, EO_NONE);
    /* the same ID means something else in another family */
    expect_class("Microsoft-Windows-Kernel-General", 20, 2, EK_NONE, EO_FAILED);
    /* text logs: the level decides the outcome of an error line */
    expect_class(TL_PROVIDER_CBS, TL_EV_SFC_CANNOT_REPAIR, 2, EK_SFC, EO_FAILED);
    expect_class(TL_PROVIDER_CBS, TL_EV_SFC_CLEAN, 4, EK_SFC, EO_SUCCEEDED);
    expect_class(TL_PROVIDER_WU, TL_EV_WU_PROXY_FAILED, 3, EK_AGENT, EO_NONE);
    expect_class(TL_PROVIDER_WU, TL_EV_WU_EXIT_ERROR, 2, EK_AGENT, EO_FAILED);
    /* an event without a row: failed only at level 1 or 2 */
    expect_class("Microsoft-Windows-Bits-Client", 60, 2, EK_NONE, EO_FAILED);
    expect_class("Microsoft-Windows-Bits-Client", 60, 4, EK_NONE, EO_NONE);
    expect_class("Nobody-Knows-Me", 1, 3, EK_NONE, EO_NONE);
    assert_true(ev_is_failure(EO_FAILED, 1));
    assert_false(ev_is_failure(EO_FAILED, 0));
    assert_false(ev_is_failure(EO_SUCCEEDED, 1));
}

static void test_detail_field(void **state)
{
    (void)state;
    assert_string_equal(ev_detail_field("Service Control Manager", 7040), "param3");
    assert_string_equal(ev_detail_field("Service Control Manager", 7036), "param2");
    assert_string_equal(ev_detail_field("User32", 1074), "param1");
    assert_string_equal(ev_detail_field(TL_PROVIDER_WU, TL_EV_WU_ENDPOINT_WSUS), "url");
    assert_null(ev_detail_field("Microsoft-Windows-WindowsUpdateClient", 20));
    assert_null(ev_detail_field("Nobody-Knows-Me", 1));
}

/* The import filter keeps exactly what the tables say. */
static void test_filter_follows_tables(void **state)
{
    static const char *const no_strings[1] = {"nothing of interest"};
    (void)state;
    for (size_t i = 0; i < ev_providers_len; i++) {
        const struct ev_provider *p = &ev_providers[i];
        assert_true(wu_provider_may_matter(p->name));
        /* an ID no row lists: kept only when the provider keeps all */
        int kept = wu_event_may_matter(p->name, 54321, no_strings, 1, NULL, 0);
        if (p->keep == KEEP_LISTED || p->need != NEED_NOTHING)
            assert_false(kept);
        else
            assert_true(kept);
    }
    assert_false(wu_provider_may_matter("Microsoft-Windows-Kernel-Power"));
    /* a listed ID that needs update text: kept with it, not without */
    static const char *const by_installer[1] = {"C:\\Windows\\servicing\\TrustedInstaller.exe"};
    assert_true(wu_event_may_matter("User32", 1074, by_installer, 1, NULL, 0));
    assert_false(wu_event_may_matter("User32", 1074, no_strings, 1, NULL, 0));
    assert_true(wu_event_may_matter("EventLog", 6005, no_strings, 1, NULL, 0));
    assert_false(wu_event_may_matter("EventLog", 6011, no_strings, 1, NULL, 0));
    /* read for the OS it names (EK_OS_INFO), then counted unrelated */
    assert_true(wu_event_may_matter("EventLog", 6013, no_strings, 1, NULL, 0));
}

/* wu_classify fills kind, outcome and detail from the tables. */
static void test_classify_event(void **state)
{
    struct wu_event ev;
    (void)state;
    memset(&ev, 0, sizeof ev);
    ev.provider = "Service Control Manager";
    ev.event_id = 7040;
    ev.level = 4;
    ev.data[0] = (struct wu_kv){"param1", "Windows Update"};
    ev.data[1] = (struct wu_kv){"param2", "auto start"};
    ev.data[2] = (struct wu_kv){"param3", "disabled"};
    ev.data[3] = (struct wu_kv){"param4", "wuauserv"};
    ev.ndata = 4;
    assert_int_equal(wu_classify(&ev), 1);
    assert_int_equal(ev.kind, EK_SERVICE_CONFIG);
    assert_int_equal(ev.outcome, EO_NONE);
    assert_string_equal(ev.detail, "disabled");
    assert_string_equal(ev.svc_start, "disabled");
    assert_string_equal(ev.service, "wuauserv");
}

/* A hand-built model (classified = 0) and a stored one agree. */
static void test_model_accessors(void **state)
{
    struct model *m = model_new();
    (void)state;
    assert_non_null(m);
    struct m_event *e = model_add_event(m);
    assert_non_null(e);
    e->provider = "Microsoft-Windows-WindowsUpdateClient";
    e->event_id = 20;
    e->level = 2;
    e->has_code = 1;
    e->code = 0x80248007;
    assert_int_equal(model_event_kind(e), EK_INSTALL);
    assert_int_equal(model_event_outcome(e), EO_FAILED);
    assert_true(model_event_failed(e));
    model_classify_event(e);
    assert_true(e->classified);
    assert_int_equal(e->family, EF_WU);
    assert_true(model_event_is(e, EK_INSTALL, EO_FAILED));
    /* once classified, the stored meaning wins */
    e->kind = EK_SCAN;
    assert_int_equal(model_event_kind(e), EK_SCAN);
    model_free(m);
}

static void test_services(void **state)
{
    (void)state;
    assert_non_null(wu_service_find("wuauserv"));
    assert_true(wu_service_find("WUAUSERV")->critical);
    assert_string_equal(wu_service_find("BITS")->fix_id, "enable-bits");
    assert_null(wu_service_find("Spooler"));
    for (size_t i = 0; i < wu_services_len; i++) {
        assert_non_null(wu_services[i].display[0]);
        assert_non_null(wu_services[i].fix_id);
        assert_string_equal(wu_service_lookup(wu_services[i].display[0]), wu_services[i].name);
    }
    assert_string_equal(wu_service_lookup("  Windows Update\r\n"), "wuauserv");
    assert_string_equal(wu_state_of_number(4), "running");
    assert_null(wu_state_of_number(0));
    assert_null(wu_state_of_number(8));
    assert_null(wu_state_of_number(-1));
    /* no silent cut: a long text that begins like a name is not that name */
    char longname[400];
    memset(longname, 'x', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    memcpy(longname, "Windows Update", 14);
    assert_null(wu_service_lookup(longname));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tables_consistent),
        cmocka_unit_test(test_names_round_trip),
        cmocka_unit_test(test_classify),
        cmocka_unit_test(test_detail_field),
        cmocka_unit_test(test_filter_follows_tables),
        cmocka_unit_test(test_classify_event),
        cmocka_unit_test(test_model_accessors),
        cmocka_unit_test(test_services),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
