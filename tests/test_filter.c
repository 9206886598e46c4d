/*
 * test_filter.c - update relevance and the decoders (collector/filter.c):
 * SCM Binary service names, logged error codes, KB numbers, service names
 * in several languages, and wu_classify() on realistic events.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"
#include "collector/filter.h"

/* ---- wu_decode_scm_binary ------------------------------------------------ */

static void test_decode_scm_binary(void **state)
{
    char out[64];
    int st = 99;
    (void)state;

    assert_int_equal(wu_decode_scm_binary("770075006100750073006500720076002F0034000000",
                                          out, sizeof out, &st), 0);
    assert_string_equal(out, "wuauserv");
    assert_int_equal(st, 4);

    /* lower-case hex, state 1 */
    assert_int_equal(wu_decode_scm_binary("770075006100750073006500720076002f0031000000",
                                          out, sizeof out, &st), 0);
    assert_string_equal(out, "wuauserv");
    assert_int_equal(st, 1);

    /* Windows 10 7023 style: a name without "/state" */
    st = 99;
    assert_int_equal(wu_decode_scm_binary("530070006F006F006C00650072000000",
                                          out, sizeof out, &st), 0);
    assert_string_equal(out, "Spooler");
    assert_int_equal(st, -1);

    /* TrustedInstaller/1 from the Windows 7 log */
    assert_int_equal(wu_decode_scm_binary(
        "540072007500730074006500640049006E007300740061006C006C00650072002F0031000000",
        out, sizeof out, &st), 0);
    assert_string_equal(out, "TrustedInstaller");
    assert_int_equal(st, 1);

    /* state is optional */
    assert_int_equal(wu_decode_scm_binary("420049005400530000", out, sizeof out, NULL), 0);
    assert_string_equal(out, "BITS");
}

static void expect_binary_rejected(const char *hex, const char *why)
{
    char out[64] = "untouched";
    int st = 99;
    int rc = wu_decode_scm_binary(hex, out, sizeof out, &st);
    if (rc != -1)
        fail_msg("wu_decode_scm_binary(\"%s\") [%s] = %d (\"%s\", state %d), "
                 "expected -1", hex ? hex : "NULL", why, rc, out, st);
}

static void test_decode_scm_binary_rejects(void **state)
{
    char small[4];
    (void)state;
    expect_binary_rejected(NULL, "NULL");
    expect_binary_rejected("", "empty");
    expect_binary_rejected("0000", "empty name");
    expect_binary_rejected("E4000000", "non-ASCII name (U+00E4)");
    expect_binary_rejected("0100020000", "control characters");
    expect_binary_rejected("770075002F00780000000", "non-digit state");
    /* the name is longer than the output buffer */
    assert_int_equal(wu_decode_scm_binary("770075006100750073006500720076000000",
                                          small, sizeof small, NULL), -1);
}

/* Text that is not whole hex digits in groups of four is not SCM Binary. */
static void test_decode_scm_binary_rejects_bad_hex(void **state)
{
    (void)state;
    expect_binary_rejected("7700750061007", "odd number of hex digits");
    expect_binary_rejected("770075006100750073006500720076002F00340", "odd, cut in a unit");
    expect_binary_rejected("7700ZZ00610075000000", "invalid hex digit after a unit");
    expect_binary_rejected("77007500G1007500", "invalid hex digit");
    expect_binary_rejected("wuauserv/4", "plain text");
}

/* ---- wu_parse_logged_code ------------------------------------------------ */

static void expect_code(const char *text, uint32_t want)
{
    uint32_t got = 0xDEADBEEF;
    if (wu_parse_logged_code(text, &got) != 0)
        fail_msg("wu_parse_logged_code(\"%s\") failed, expected 0x%08X", text, want);
    if (got != want)
        fail_msg("wu_parse_logged_code(\"%s\") = 0x%08X, expected 0x%08X", text, got,
                 want);
}

static void expect_no_code(const char *text)
{
    uint32_t got = 0xDEADBEEF;
    if (wu_parse_logged_code(text, &got) != -1)
        fail_msg("wu_parse_logged_code(\"%s\") accepted (0x%08X), expected -1",
                 text ? text : "NULL", got);
}

static void test_parse_logged_code(void **state)
{
    (void)state;
    expect_code("0x80240022", 0x80240022u);
    expect_code("0X80240022", 0x80240022u);
    expect_code("0x8024402c", 0x8024402Cu);
    expect_code("2149842978", 0x80240022u);
    expect_code("-2145124318", 0x80240022u);
    expect_code("%%2147942414", 0x8007000Eu);
    expect_code("%%1058", 0x80070422u);
    expect_code("%%2", 0x80070002u);
    expect_code(" 0x80070422 ", 0x80070422u);
    expect_code("0", 0);
    expect_code("0xFFFFFFFF", 0xFFFFFFFFu);
    expect_code("4294967295", 0xFFFFFFFFu);
    expect_code("-2147483648", 0x80000000u);
    expect_code("2147943458", 0x80070422u);
    expect_code("-2147023838", 0x80070422u);

    expect_no_code(NULL);
    expect_no_code("");
    expect_no_code("   ");
    expect_no_code("0x");
    expect_no_code("zz");
    expect_no_code("0x1FFFFFFFF");
    expect_no_code("4294967296");
    expect_no_code("-2147483649");
    expect_no_code("0x8024G022");
    expect_no_code("0x80240022h");
    expect_no_code("12abc");
    expect_no_code("%%");
    expect_no_code("%%abc");
    expect_no_code("%%-5");
    expect_no_code("-");
    expect_no_code("--5");
    expect_no_code("0x-1");
}

/* A code written with many leading zeros must not be read as another code:
 * either parsed exactly or refused. */
static void test_parse_logged_code_long_text(void **state)
{
    uint32_t got = 0;
    const char *padded = "0x0000000000000000000000000000000000000080240022";
    (void)state;
    int rc = wu_parse_logged_code(padded, &got);
    if (rc == 0 && got != 0x80240022u)
        fail_msg("wu_parse_logged_code(\"%s\") = 0x%08X: the text was cut and read "
                 "as a different code (expected 0x80240022 or -1)", padded, got);
    rc = wu_parse_logged_code("0000000000000000000000000000000000000000002149842978", &got);
    if (rc == 0 && got != 0x80240022u)
        fail_msg("a zero-padded decimal code read as 0x%08X", got);
    /* long garbage that starts like a number */
    expect_no_code("1234567890123456789012345678901234567890zz");
}

/* ---- wu_find_kb ------------------------------------------------------------ */

static void test_find_kb(void **state)
{
    char kb[16];
    (void)state;
    assert_string_equal(wu_find_kb("2017-07 Cumulative Update for Windows 10 Version "
                                   "1703 for x64-based Systems (KB4025342)", kb, sizeof kb),
                        "KB4025342");
    assert_string_equal(kb, "KB4025342");
    assert_string_equal(wu_find_kb("Security Update for Microsoft .NET (kb890830) and "
                                   "KB4025342", kb, sizeof kb), "KB890830");
    assert_string_equal(wu_find_kb("KB5026361", kb, sizeof kb), "KB5026361");
    assert_string_equal(wu_find_kb("Definition Update - KB2267602 (Version 1.391)",
                                   kb, sizeof kb), "KB2267602");
    assert_string_equal(wu_find_kb("no number here", kb, sizeof kb), "");
    assert_string_equal(wu_find_kb("", kb, sizeof kb), "");
    assert_string_equal(wu_find_kb(NULL, kb, sizeof kb), "");
    assert_string_equal(wu_find_kb("KB12 too short", kb, sizeof kb), "");
    assert_string_equal(wu_find_kb("KB123456789 too long", kb, sizeof kb), "");
    assert_string_equal(wu_find_kb("ABCKB4025342 glued to a word", kb, sizeof kb), "");
    assert_string_equal(wu_find_kb("KB", kb, sizeof kb), "");
    /* the first usable one wins */
    assert_string_equal(wu_find_kb("KB12, then KB4025342", kb, sizeof kb), "KB4025342");
    /* buffer too small for the number: nothing, never a partial KB */
    char tiny[6];
    assert_string_equal(wu_find_kb("KB4025342", tiny, sizeof tiny), "");
}

/* ---- wu_service_lookup ----------------------------------------------------- */

static void expect_service(const char *name, const char *want)
{
    const char *got = wu_service_lookup(name);
    if (want == NULL && got != NULL)
        fail_msg("wu_service_lookup(\"%s\") = \"%s\", expected NULL", name ? name : "NULL", got);
    if (want != NULL && (got == NULL || strcmp(got, want) != 0))
        fail_msg("wu_service_lookup(\"%s\") = %s, expected \"%s\"", name ? name : "NULL",
                 got ? got : "NULL", want);
}

static void test_service_lookup(void **state)
{
    (void)state;
    expect_service("wuauserv", "wuauserv");
    expect_service("WUAUSERV", "wuauserv");
    expect_service("Windows Update", "wuauserv");
    expect_service("windows update", "wuauserv");
    expect_service("  Windows Update\r\n", "wuauserv");
    expect_service("BITS", "BITS");
    expect_service("bits", "BITS");
    expect_service("Background Intelligent Transfer Service", "BITS");
    expect_service("Intelligenter Hintergrund\xC3\xBC" "bertragungsdienst", "BITS");
    expect_service("Service de transfert intelligent en arri\xC3\xA8re-plan", "BITS");
    expect_service("\xD0\xA6\xD0\xB5\xD0\xBD\xD1\x82\xD1\x80 \xD0\xBE\xD0\xB1\xD0\xBD"
                   "\xD0\xBE\xD0\xB2\xD0\xBB\xD0\xB5\xD0\xBD\xD0\xB8\xD1\x8F Windows",
                   "wuauserv");
    expect_service("Windows Modules Installer", "TrustedInstaller");
    expect_service("trustedinstaller", "TrustedInstaller");
    expect_service("Cryptographic Services", "CryptSvc");
    expect_service("Update Orchestrator Service", "UsoSvc");
    expect_service("Delivery Optimization", "DoSvc");
    expect_service("Windows Update Medic Service", "WaaSMedicSvc");

    expect_service("Print Spooler", NULL);
    expect_service("Spooler", NULL);
    expect_service("IP Helper", NULL);
    expect_service("Interactive Services Detection", NULL);
    expect_service("Windows Update Service X", NULL);
    expect_service("Windows", NULL);
    expect_service("", NULL);
    expect_service(NULL, NULL);
}

/* ---- wu_classify ------------------------------------------------------------- */

static struct wu_event make_event(const char *provider, int id)
{
    struct wu_event ev;
    memset(&ev, 0, sizeof ev);
    ev.channel = "System";
    ev.provider = provider;
    ev.computer = "DESKTOP-2KGM189";
    ev.event_id = id;
    ev.level = 4;
    ev.time_us = INT64_C(1500794741804504);
    ev.record_id = 561;
    return ev;
}

static void add(struct wu_event *ev, const char *name, const char *value)
{
    assert_true(ev->ndata < WU_MAX_DATA);
    ev->data[ev->ndata].name = name;
    ev->data[ev->ndata].value = value;
    ev->ndata++;
}

static void test_classify_wu_install_failure(void **state)
{
    struct wu_event ev = make_event("Microsoft-Windows-WindowsUpdateClient", 20);
    (void)state;
    ev.level = 2;
    add(&ev, "errorCode", "0x80248007");
    add(&ev, "updateTitle", "2017-07 Cumulative Update for Windows 10 Version 1703 "
                            "for x64-based Systems (KB4025342)");
    add(&ev, "updateGuid", "{25ACAE93-40D4-4E62-814C-EFB2F29F1BCA}");
    add(&ev, "updateRevisionNumber", "201");
    assert_int_equal(wu_classify(&ev), 1);
    assert_int_equal(ev.has_code, 1);
    assert_int_equal(ev.code, 0x80248007u);
    assert_string_equal(ev.kb, "KB4025342");
    assert_non_null(ev.update_title);
    assert_string_equal(ev.update_title, "2017-07 Cumulative Update for Windows 10 "
                        "Version 1703 for x64-based Systems (KB4025342)");
    assert_non_null(ev.update_guid);
    assert_string_equal(ev.update_guid, "{25ACAE93-40D4-4E62-814C-EFB2F29F1BCA}");
    assert_null(ev.service);

    /* decimal and negative forms of 0x80070422 */
    struct wu_event d = make_event("Microsoft-Windows-WindowsUpdateClient", 20);
    add(&d, "errorCode", "2147943458");
    assert_int_equal(wu_classify(&d), 1);
    assert_int_equal(d.has_code, 1);
    assert_int_equal(d.code, 0x80070422u);
    assert_string_equal(d.kb, "");
    struct wu_event n = make_event("microsoft-windows-windowsupdateclient", 20);
    add(&n, "errorCode", "-2147023838");
    assert_int_equal(wu_classify(&n), 1);
    assert_int_equal(n.code, 0x80070422u);
}

static void test_classify_wu_success_no_code(void **state)
{
    struct wu_event ev = make_event("Microsoft-Windows-WindowsUpdateClient", 19);
    (void)state;
    add(&ev, "updateTitle", "Security Intelligence Update for Microsoft Defender "
                            "Antivirus - KB2267602 (Version 1.391.3)");
    add(&ev, "errorCode", "0x0");   /* not an error */
    /* stale derived fields from an earlier use are cleared */
    ev.has_code = 1;
    ev.code = 5;
    strcpy(ev.kb, "KB1");
    assert_int_equal(wu_classify(&ev), 1);
    assert_int_equal(ev.has_code, 0);
    assert_string_equal(ev.kb, "KB2267602");
}

static void test_classify_scm_7040_param4(void **state)
{
    struct wu_event ev = make_event("Service Control Manager", 7040);
    (void)state;
    add(&ev, "param1", "Background Intelligent Transfer Service");
    add(&ev, "param2", "demand start");
    add(&ev, "param3", "auto start");
    add(&ev, "param4", "BITS");
    assert_int_equal(wu_classify(&ev), 1);
    assert_non_null(ev.service);
    assert_string_equal(ev.service, "BITS");
    assert_int_equal(ev.has_code, 0);

    /* param4 names the service even when param1 is in an unknown language */
    struct wu_event j = make_event("Service Control Manager", 7040);
    add(&j, "param1", "\xE3\x83\x90\xE3\x83\x83\xE3\x82\xAF\xE3\x82\xB0\xE3\x83\xA9"
                      "\xE3\x82\xA6\xE3\x83\xB3\xE3\x83\x89");
    add(&j, "param2", "auto start");
    add(&j, "param3", "disabled");
    add(&j, "param4", "wuauserv");
    assert_int_equal(wu_classify(&j), 1);
    assert_string_equal(j.service, "wuauserv");
}

static void test_start_type_and_state(void **state)
{
    (void)state;
    assert_string_equal(wu_start_type_canon("auto start"), "auto");
    assert_string_equal(wu_start_type_canon("demand start"), "demand");
    assert_string_equal(wu_start_type_canon("disabled"), "disabled");
    assert_string_equal(wu_start_type_canon("Deaktiviert"), "disabled");
    /* as the Turkish and Chinese logs in shared/data write them */
    assert_string_equal(wu_start_type_canon("isteğe bağlı başlatma"), "demand");
    assert_string_equal(wu_start_type_canon("otomatik başlatma"), "auto");
    assert_string_equal(wu_start_type_canon("引导启动"), "boot");
    assert_string_equal(wu_service_lookup("Windows Modül Yükleyicisi"), "TrustedInstaller");
    assert_string_equal(wu_word_language("isteğe bağlı başlatma"), "tr-TR");
    assert_null(wu_start_type_canon("sometimes"));
    assert_null(wu_start_type_canon(NULL));
    assert_string_equal(wu_state_canon("running"), "running");
    assert_string_equal(wu_state_canon("stopped"), "stopped");
    assert_null(wu_state_canon("confused"));

    /* 7040 switching wuauserv to disabled */
    struct wu_event ev = make_event("Service Control Manager", 7040);
    add(&ev, "param1", "Windows Update");
    add(&ev, "param2", "demand start");
    add(&ev, "param3", "disabled");
    add(&ev, "param4", "wuauserv");
    assert_int_equal(wu_classify(&ev), 1);
    assert_string_equal(ev.service, "wuauserv");
    assert_non_null(ev.svc_start);
    assert_string_equal(ev.svc_start, "disabled");
    assert_null(ev.svc_state);

    /* 7036: the state number in Binary wins over the localized word */
    struct wu_event st = make_event("Service Control Manager", 7036);
    add(&st, "param1", "Windows Update");
    add(&st, "param2", "\xE5\x81\x9C\xE6\xAD\xA2");
    st.binary = "770075006100750073006500720076002F0034000000";
    assert_int_equal(wu_classify(&st), 1);
    assert_non_null(st.svc_state);
    assert_string_equal(st.svc_state, "running");
    assert_null(st.svc_start);
}

static void test_classify_scm_7036_binary_only(void **state)
{
    struct wu_event ev = make_event("Service Control Manager", 7036);
    (void)state;
    /* a display name no table knows (Japanese "Windows Update") */
    add(&ev, "param1", "Windows Update \xE3\x82\xB5\xE3\x83\xBC\xE3\x83\x93\xE3\x82\xB9 X");
    add(&ev, "param2", "\xE5\x81\x9C\xE6\xAD\xA2");
    ev.binary = "770075006100750073006500720076002F0034000000";
    assert_int_equal(wu_classify(&ev), 1);
    assert_non_null(ev.service);
    assert_string_equal(ev.service, "wuauserv");

    /* the same event without Binary cannot be tied to a service */
    struct wu_event nb = make_event("Service Control Manager", 7036);
    add(&nb, "param1", "Windows Update \xE3\x82\xB5\xE3\x83\xBC\xE3\x83\x93\xE3\x82\xB9 X");
    add(&nb, "param2", "\xE5\x81\x9C\xE6\xAD\xA2");
    assert_int_equal(wu_classify(&nb), 0);
    assert_null(nb.service);
}

static void test_classify_scm_unrelated(void **state)
{
    struct wu_event ev = make_event("Service Control Manager", 7023);
    (void)state;
    ev.level = 2;
    add(&ev, "param1", "Print Spooler");
    add(&ev, "param2", "%%1722");
    ev.binary = "530070006F006F006C00650072000000";
    assert_int_equal(wu_classify(&ev), 0);

    struct wu_event w10 = make_event("Service Control Manager", 7023);
    add(&w10, "param1", "Spooler");
    add(&w10, "param2", "%%2147942414");
    w10.binary = "530070006F006F006C00650072000000";
    assert_int_equal(wu_classify(&w10), 0);

    /* 7045 installing some driver */
    struct wu_event inst = make_event("Service Control Manager", 7045);
    add(&inst, "ServiceName", "UMDF Reflector service for Sensors HID Class Driver");
    add(&inst, "ImagePath", "\\SystemRoot\\System32\\drivers\\WUDFRd.sys");
    assert_int_equal(wu_classify(&inst), 0);
}

static void test_classify_scm_7023_update_service_code(void **state)
{
    struct wu_event ev = make_event("Service Control Manager", 7023);
    (void)state;
    ev.level = 2;
    add(&ev, "param1", "Windows Update");
    add(&ev, "param2", "%%1058");
    ev.binary = "770075006100750073006500720076000000";
    assert_int_equal(wu_classify(&ev), 1);
    assert_string_equal(ev.service, "wuauserv");
    assert_int_equal(ev.has_code, 1);
    assert_int_equal(ev.code, 0x80070422u);

    /* 7036's param2 is a state word, never a code */
    struct wu_event st = make_event("Service Control Manager", 7036);
    add(&st, "param1", "Windows Update");
    add(&st, "param2", "%%1058");
    assert_int_equal(wu_classify(&st), 1);
    assert_int_equal(st.has_code, 0);
}

static void test_classify_user32_1074(void **state)
{
    struct wu_event ti = make_event("User32", 1074);
    (void)state;
    add(&ti, "param1", "C:\\Windows\\servicing\\TrustedInstaller.exe (WIN10-LAB)");
    add(&ti, "param2", "WIN10-LAB");
    add(&ti, "param3", "Operating System: Upgrade (Planned)");
    add(&ti, "param4", "0x80020003");
    add(&ti, "param5", "restart");
    add(&ti, "param6", "");
    add(&ti, "param7", "NT AUTHORITY\\SYSTEM");
    assert_int_equal(wu_classify(&ti), 1);

    struct wu_event ex = make_event("User32", 1074);
    add(&ex, "param1", "C:\\Windows\\explorer.exe (DESKTOP-2KGM189)");
    add(&ex, "param2", "DESKTOP-2KGM189");
    add(&ex, "param3", "Other (Unplanned)");
    add(&ex, "param4", "0x0");
    add(&ex, "param5", "power off");
    add(&ex, "param6", "");
    add(&ex, "param7", "DESKTOP-2KGM189\\user");
    assert_int_equal(wu_classify(&ex), 0);

    /* the real msiexec restart from the win10 log is not update-related */
    struct wu_event msi = make_event("User32", 1074);
    add(&msi, "param1", "msiexec.exe");
    add(&msi, "param6", "The Windows Installer initiated a system restart to complete "
                        "or continue the configuration of 'VMware Tools'.");
    assert_int_equal(wu_classify(&msi), 0);

    /* another User32 event id is never kept, whatever its text */
    struct wu_event other = make_event("User32", 1076);
    add(&other, "param1", "C:\\Windows\\servicing\\TrustedInstaller.exe");
    assert_int_equal(wu_classify(&other), 0);

    /* Windows 7 writes the provider as "USER32" */
    struct wu_event w7 = make_event("USER32", 1074);
    add(&w7, "param1", "C:\\Windows\\system32\\wuauclt.exe (WKS)");
    assert_int_equal(wu_classify(&w7), 1);
}

static void test_classify_unknown_provider(void **state)
{
    /* providers with nothing to do with updating, even with a code and a
     * KB in their data */
    struct wu_event ev = make_event("Microsoft-Windows-DNS-Client", 1014);
    (void)state;
    add(&ev, "errorCode", "0x80070422");
    add(&ev, "updateTitle", "KB4025342");
    assert_int_equal(wu_classify(&ev), 0);

    struct wu_event e2 = make_event("e1iexpress", 27);
    assert_int_equal(wu_classify(&e2), 0);

    struct wu_event e3 = make_event("", 20);
    assert_int_equal(wu_classify(&e3), 0);

    struct wu_event e4 = make_event("Microsoft-Windows-WindowsUpdateClient-Extra", 20);
    assert_int_equal(wu_classify(&e4), 0);

    struct wu_event e5 = make_event(NULL, 20);
    assert_int_equal(wu_classify(&e5), 0);
}

static void test_provider_may_matter(void **state)
{
    (void)state;
    assert_int_equal(wu_provider_may_matter("Microsoft-Windows-WindowsUpdateClient"), 1);
    assert_int_equal(wu_provider_may_matter("Service Control Manager"), 1);
    assert_int_equal(wu_provider_may_matter("User32"), 1);
    assert_int_equal(wu_provider_may_matter("e1iexpress"), 0);
    assert_int_equal(wu_provider_may_matter("Microsoft-Windows-DNS-Client"), 0);
    assert_int_equal(wu_provider_may_matter(""), 0);
    assert_int_equal(wu_provider_may_matter(NULL), 0);
}

static void test_event_get(void **state)
{
    struct wu_event ev = make_event("P", 1);
    (void)state;
    add(&ev, "a", "1");
    add(&ev, "B", "2");
    assert_string_equal(wu_event_get(&ev, "a"), "1");
    assert_string_equal(wu_event_get(&ev, "B"), "2");
    assert_null(wu_event_get(&ev, "b"));
    assert_null(wu_event_get(&ev, "missing"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode_scm_binary),
        cmocka_unit_test(test_decode_scm_binary_rejects),
        cmocka_unit_test(test_decode_scm_binary_rejects_bad_hex),
        cmocka_unit_test(test_parse_logged_code),
        cmocka_unit_test(test_parse_logged_code_long_text),
        cmocka_unit_test(test_find_kb),
        cmocka_unit_test(test_service_lookup),
        cmocka_unit_test(test_classify_wu_install_failure),
        cmocka_unit_test(test_classify_wu_success_no_code),
        cmocka_unit_test(test_classify_scm_7040_param4),
        cmocka_unit_test(test_classify_scm_7036_binary_only),
        cmocka_unit_test(test_start_type_and_state),
        cmocka_unit_test(test_classify_scm_unrelated),
        cmocka_unit_test(test_classify_scm_7023_update_service_code),
        cmocka_unit_test(test_classify_user32_1074),
        cmocka_unit_test(test_classify_unknown_provider),
        cmocka_unit_test(test_provider_may_matter),
        cmocka_unit_test(test_event_get),
    };
    return cmocka_run_group_tests_name("filter", tests, NULL, NULL);
}
