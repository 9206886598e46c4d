/*
 * test_kb.c - cmocka tests for the knowledge base (diagnosis/kb*.c): the
 * code table against the real wuerror.h, table invariants, the fix catalog,
 * code parsing and facility descriptions.
 *
 * The headers are read at test time from $WUERROR_H / $MINGW_INCLUDE, else
 * /usr/share/mingw-w64/include (Debian's mingw-w64-common); when they are
 * missing the header tests are skipped with a message.  The drift test
 * regenerates vocab/kb_codes.c with tools/gen_kb_codes.sh from those headers
 * and fails when the committed table differs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vocab/kb.h"

#define DEFAULT_WUERROR_H "/usr/share/mingw-w64/include/wuerror.h"
static void expect_code(uint32_t code, enum kb_category cat, const char *fix);

#define DEFAULT_MINGW_INCLUDE "/usr/share/mingw-w64/include"

static const char *env_or(const char *name, const char *dflt)
{
    const char *v = getenv(name);
    return (v != NULL && *v != '\0') ? v : dflt;
}

/* Whole file into a malloc'd NUL-terminated buffer (NULL if unreadable). */
static char *slurp(FILE *f)
{
    size_t len = 0, cap = 1 << 16;
    char *buf = malloc(cap);
    size_t n;
    if (buf == NULL)
        return NULL;
    while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len < 2) {
            char *nb = realloc(buf, cap * 2);
            if (nb == NULL) {
                free(buf);
                return NULL;
            }
            buf = nb;
            cap *= 2;
        }
    }
    buf[len] = '\0';
    return buf;
}

/* The committed table is what the generator makes from the installed SDK
 * headers and the TSVs: a change to either without regenerating fails. */
static void test_generated_table_current(void **state)
{
    const char *src = env_or("WUDIAG_SRC", ".");
    const char *inc = env_or("MINGW_INCLUDE", DEFAULT_MINGW_INCLUDE);
    char path[1024], cmd[3200];
    FILE *f, *p;
    char *want, *got;
    (void)state;

    snprintf(path, sizeof path, "%s/winerror.h", inc);
    f = fopen(path, "r");
    if (f == NULL) {
        print_message("SKIP: no SDK headers at %s (sh tools/deps.sh --test "
                      "installs mingw-w64-common); code table not checked\n", inc);
        skip();
    }
    fclose(f);

    snprintf(path, sizeof path, "%s/vocab/kb_codes.c", src);
    f = fopen(path, "r");
    if (f == NULL)
        fail_msg("cannot open %s (set WUDIAG_SRC)", path);
    want = slurp(f);
    fclose(f);
    assert_non_null(want);

    snprintf(cmd, sizeof cmd, "sh '%s/tools/gen_kb_codes.sh' -I '%s' "
             "'%s/tools/kb_codes.tsv' - 2>/dev/null", src, inc, src);
    p = popen(cmd, "r");
    assert_non_null(p);
    got = slurp(p);
    assert_int_equal(pclose(p), 0);
    assert_non_null(got);

    if (strcmp(want, got) != 0) {
        const char *a = want, *b = got;
        int line = 1;
        while (*a != '\0' && *a == *b) {
            if (*a == '\n')
                line++;
            a++;
            b++;
        }
        fail_msg("vocab/kb_codes.c is stale at line %d: run sh tools/gen_kb_codes.sh "
                 "and commit the result", line);
    }
    free(want);
    free(got);
}

/* Codes that used to print "(unknown)": named now, with a meaning. */
static void test_common_codes_named(void **state)
{
    static const struct { uint32_t code; const char *symbol; } named[] = {
        { 0x80070032u, "ERROR_NOT_SUPPORTED" },
        { 0x800704C6u, "ERROR_NO_NETWORK" },
        { 0x800703F0u, "ERROR_NO_TOKEN" },
        { 0x80070008u, "ERROR_NOT_ENOUGH_MEMORY" },
        { 0x8001011Fu, "RPC_E_TIMEOUT" },
        { 0x80041010u, "WBEM_E_INVALID_CLASS" },
        { 0x80096002u, "TRUST_E_NO_SIGNER_CERT" },
        { 0x8007274Cu, "WSAETIMEDOUT" },
        { 0x800706D9u, "EPT_S_NOT_REGISTERED" },
        { 0x80200001u, "BG_E_NOT_FOUND" },
        /* the media, telephony, OLE DB, Message Queuing and NT status
         * headers beside winerror.h */
        { 0xC00D0005u, "NS_E_NOCONNECTION" },
        { 0xC00D36B0u, "MF_E_PLATFORM_NOT_INITIALIZED" },
        { 0x80040013u, "TAPI_E_INVALCOUNTRYCODE" },
        { 0x80040E14u, "DB_E_ERRORSINCOMMAND" },
        { 0xC00E0003u, "MQ_ERROR_QUEUE_NOT_FOUND" },
        { 0xC0000005u, "STATUS_ACCESS_VIOLATION" },
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof named / sizeof named[0]; i++) {
        const struct kb_code *k = kb_code_find(named[i].code);
        if (k == NULL)
            fail_msg("0x%08X not in the table", (unsigned)named[i].code);
        assert_string_equal(k->symbol, named[i].symbol);
        assert_ptr_equal(kb_code_find_symbol(named[i].symbol), k);
        assert_null(strstr(k->meaning, "unknown"));
    }
    /* generated rows: the Win32 number, the category of the map */
    assert_string_equal(kb_code_find(0x80070032u)->meaning,
                        "Win32 error ERROR_NOT_SUPPORTED (50) as an HRESULT.");
    expect_code(0x800704C6u, KB_CAT_NETWORK, "check-network-tls");
    expect_code(0x8001011Fu, KB_CAT_SERVICE, "restart-update-services");
    /* the hand-written overlay wins */
    assert_string_equal(kb_code_find(0x80070422u)->fix_id, "enable-wuauserv");
    assert_true(kb_codes_len >= 9000);
    /* a code only a MAKE_HRESULT(SEVERITY_ERROR, FACILITY_ITF, n) define names */
    assert_non_null(kb_code_find_symbol("NETCFG_E_ALREADY_INITIALIZED"));
    assert_int_equal(kb_code_find_symbol("NETCFG_E_ALREADY_INITIALIZED")->code, 0x8004A020u);
    assert_string_equal(kb_code_find(0xC0000005u)->meaning,
                        "NTSTATUS error STATUS_ACCESS_VIOLATION (facility 0, code 0x0005).");
}

/* Every "#define WU_NAME _HRESULT_TYPEDEF_(0x...)" of wuerror.h is in kb_codes. */
static void test_header_codes_present(void **state)
{
    const char *path = getenv("WUERROR_H");
    FILE *f;
    char line[512];
    int parsed = 0, missing = 0;
    (void)state;

    if (path == NULL || *path == '\0')
        path = DEFAULT_WUERROR_H;
    f = fopen(path, "r");
    if (f == NULL) {
        print_message("SKIP: no wuerror.h at %s (set WUERROR_H, or sh tools/deps.sh "
                      "--test); header codes not checked\n", path);
        skip();
    }

    while (fgets(line, sizeof line, f) != NULL) {
        char name[128];
        char rest[256];
        const char *p;
        unsigned long v;
        char *end;
        const struct kb_code *k;

        if (sscanf(line, " #define %127s %255[^\n]", name, rest) != 2)
            continue;
        if (strncmp(name, "WU_", 3) != 0)
            continue;
        p = strstr(rest, "0x");
        if (p == NULL)
            p = strstr(rest, "0X");
        if (p == NULL)
            fail_msg("no hex value for %s", name);
        v = strtoul(p, &end, 16);
        parsed++;

        k = kb_code_find((uint32_t)v);
        if (k == NULL) {
            print_error("missing code 0x%08lX %s\n", v, name);
            missing++;
            continue;
        }
        if (strcmp(k->symbol, name) != 0) {
            print_error("0x%08lX is %s in kb, %s in header\n", v, k->symbol, name);
            missing++;
        }
        if (kb_code_find_symbol(name) != k) {
            print_error("symbol lookup failed for %s\n", name);
            missing++;
        }
    }
    fclose(f);
    assert_int_equal(missing, 0);
    assert_true(parsed >= 465);
}

static void test_codes_table_invariants(void **state)
{
    size_t i;
    (void)state;
    assert_true(kb_codes_len >= 465 + 80);
    for (i = 0; i < kb_codes_len; i++) {
        const struct kb_code *k = &kb_codes[i];
        if (i > 0 && kb_codes[i - 1].code >= k->code)
            fail_msg("not strictly ascending at %s", k->symbol);
        assert_non_null(k->symbol);
        assert_true(k->symbol[0] != '\0');
        assert_non_null(k->meaning);
        if (k->meaning[0] == '\0')
            fail_msg("empty meaning for %s", k->symbol);
        assert_non_null(k->fix_id);
        if (kb_fix_find(k->fix_id) == NULL)
            fail_msg("%s uses unknown fix %s", k->symbol, k->fix_id);
        if (k->cat == KB_CAT_UNKNOWN || k->cat >= KB_CAT_COUNT)
            fail_msg("%s has no category", k->symbol);
        assert_ptr_equal(kb_code_find(k->code), k);
    }
}

static void test_fix_catalog(void **state)
{
    size_t i, j;
    (void)state;
    assert_true(kb_fixes_len > 0);
    for (i = 0; i < kb_fixes_len; i++) {
        const struct kb_fix *f = &kb_fixes[i];
        int links = 0;
        assert_non_null(f->id);
        assert_non_null(f->title);
        assert_true(f->title[0] != '\0');
        assert_non_null(f->why);
        assert_true(f->why[0] != '\0');
        assert_in_range(f->escalation, 1, 9);
        if (f->steps[0] == NULL)
            fail_msg("fix %s has no steps", f->id);
        assert_null(f->steps[KB_MAX_STEPS - 1]);
        assert_null(f->commands[KB_MAX_STEPS - 1]);
        assert_null(f->links[KB_MAX_LINKS - 1]);
        for (j = 0; j < KB_MAX_LINKS && f->links[j] != NULL; j++) {
            if (strncmp(f->links[j], "https://learn.microsoft.com/", 28) == 0)
                links++;
        }
        if (links < 1)
            fail_msg("fix %s has no learn.microsoft.com link", f->id);
        for (j = i + 1; j < kb_fixes_len; j++) {
            if (strcmp(f->id, kb_fixes[j].id) == 0)
                fail_msg("duplicate fix id %s", f->id);
        }
        assert_ptr_equal(kb_fix_find(f->id), f);
    }
    assert_null(kb_fix_find("no-such-fix"));
    assert_null(kb_fix_find(NULL));
}

static void test_parse_code(void **state)
{
    uint32_t v;
    (void)state;

    v = 0; assert_int_equal(kb_parse_code("0x80070422", &v), 0);
    assert_int_equal(v, 0x80070422u);
    v = 0; assert_int_equal(kb_parse_code("0X8007042b", &v), 0);
    assert_int_equal(v, 0x8007042Bu);
    v = 0; assert_int_equal(kb_parse_code("80070422", &v), 0);
    assert_int_equal(v, 0x80070422u);
    v = 0; assert_int_equal(kb_parse_code("-2147023838", &v), 0);
    assert_int_equal(v, 0x80070422u);
    v = 0; assert_int_equal(kb_parse_code("2147943458", &v), 0);
    assert_int_equal(v, 0x80070422u);
    v = 0; assert_int_equal(kb_parse_code("-2147483648", &v), 0);
    assert_int_equal(v, 0x80000000u);
    v = 0; assert_int_equal(kb_parse_code("4294967295", &v), 0);
    assert_int_equal(v, 0xFFFFFFFFu);
    v = 1; assert_int_equal(kb_parse_code("5", &v), 0);
    assert_int_equal(v, 5u);
    v = 1; assert_int_equal(kb_parse_code("0", &v), 0);
    assert_int_equal(v, 0u);
    v = 0; assert_int_equal(kb_parse_code("  0x8024402c \n", &v), 0);
    assert_int_equal(v, 0x8024402Cu);
    v = 0; assert_int_equal(kb_parse_code("WU_E_NO_SERVICE", &v), 0);
    assert_int_equal(v, 0x80240001u);
    v = 0; assert_int_equal(kb_parse_code("\twu_e_service_stop ", &v), 0);
    assert_int_equal(v, 0x8024001Eu);
    v = 0; assert_int_equal(kb_parse_code("CBS_E_SOURCE_MISSING", &v), 0);
    assert_int_equal(v, 0x800F081Fu);

    v = 12345;
    assert_int_equal(kb_parse_code("", &v), -1);
    assert_int_equal(kb_parse_code("   ", &v), -1);
    assert_int_equal(kb_parse_code("0x", &v), -1);
    assert_int_equal(kb_parse_code("0x1FFFFFFFF", &v), -1);
    assert_int_equal(kb_parse_code("99999999999", &v), -1);
    assert_int_equal(kb_parse_code("4294967296", &v), -1);
    assert_int_equal(kb_parse_code("-2147483649", &v), -1);
    assert_int_equal(kb_parse_code("-", &v), -1);
    assert_int_equal(kb_parse_code("hello", &v), -1);
    assert_int_equal(kb_parse_code("0x8007042G", &v), -1);
    assert_int_equal(kb_parse_code("8007042", &v), 0);   /* 7 digits: decimal */
    assert_int_equal(v, 8007042u);
    v = 12345;
    assert_int_equal(kb_parse_code("0x80070422 extra", &v), -1);
    assert_int_equal(kb_parse_code("WU_E_NO_SERVICE!", &v), -1);
    assert_int_equal(kb_parse_code(NULL, &v), -1);
    assert_int_equal(kb_parse_code("0x1", NULL), -1);
    assert_int_equal(v, 12345u);
}

static void test_describe_facility(void **state)
{
    char buf[160];
    static const uint32_t samples[] = {
        0x00000000u, 0x00000005u, 0x00240001u, 0x80004005u, 0x8007041Du,
        0x80070422u, 0x80240001u, 0x800F081Fu, 0x800F0247u, 0x80092004u,
        0x800B0109u, 0x80200010u, 0x80D02002u, 0xC1900101u, 0xC0000005u,
        0xA0000001u, 0xFFFFFFFFu, 0x7FFFFFFFu,
    };
    size_t i;
    (void)state;

    assert_non_null(strstr(kb_describe_facility(0x8007041Du, buf, sizeof buf),
                           "HRESULT_FROM_WIN32(1053)"));
    assert_non_null(strstr(kb_describe_facility(0x80070422u, buf, sizeof buf),
                           "HRESULT_FROM_WIN32(1058)"));
    assert_non_null(strstr(buf, "WIN32"));
    assert_non_null(strstr(kb_describe_facility(0x80240001u, buf, sizeof buf),
                           "WINDOWSUPDATE"));
    assert_non_null(strstr(kb_describe_facility(0x80200010u, buf, sizeof buf),
                           "BACKGROUNDCOPY"));
    assert_non_null(strstr(kb_describe_facility(0x80D02002u, buf, sizeof buf),
                           "DELIVERY_OPTIMIZATION"));
    assert_non_null(strstr(kb_describe_facility(0x800F0247u, buf, sizeof buf),
                           "SETUPAPI"));
    assert_non_null(strstr(kb_describe_facility(0x800F081Fu, buf, sizeof buf),
                           "servicing"));
    assert_non_null(strstr(kb_describe_facility(0x80090325u, buf, sizeof buf),
                           "SECURITY"));
    assert_non_null(strstr(kb_describe_facility(0x800B0109u, buf, sizeof buf),
                           "CERT"));
    assert_non_null(strstr(kb_describe_facility(0x80040154u, buf, sizeof buf),
                           "ITF"));
    assert_non_null(strstr(kb_describe_facility(0x80080005u, buf, sizeof buf),
                           "WINDOWS"));
    assert_non_null(strstr(kb_describe_facility(0xC1900101u, buf, sizeof buf),
                           "Windows Setup"));
    assert_non_null(strstr(kb_describe_facility(0x00240005u, buf, sizeof buf),
                           "success"));
    assert_non_null(strstr(kb_describe_facility(0u, buf, sizeof buf), "success"));

    /* never crash: tiny buffers, NULL buffer, every kind of value */
    for (i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        char small[8];
        assert_ptr_equal(kb_describe_facility(samples[i], buf, sizeof buf), buf);
        assert_true(strlen(buf) > 0);
        assert_ptr_equal(kb_describe_facility(samples[i], small, sizeof small), small);
        assert_true(strlen(small) < sizeof small);
        small[0] = 'x';
        assert_ptr_equal(kb_describe_facility(samples[i], small, 1), small);
        assert_int_equal(small[0], '\0');
        assert_null(kb_describe_facility(samples[i], NULL, 0));
    }
}

static void expect_code(uint32_t code, enum kb_category cat, const char *fix)
{
    const struct kb_code *k = kb_code_find(code);
    if (k == NULL)
        fail_msg("code 0x%08X missing", (unsigned)code);
    if (k->cat != cat)
        fail_msg("0x%08X (%s) is %s, want %s", (unsigned)code, k->symbol,
                 kb_category_name(k->cat), kb_category_name(cat));
    if (fix != NULL && strcmp(k->fix_id, fix) != 0)
        fail_msg("0x%08X (%s) fix %s, want %s", (unsigned)code, k->symbol,
                 k->fix_id, fix);
}

static void test_classification(void **state)
{
    size_t i;
    int successes = 0;
    (void)state;

    expect_code(0x8024001Eu, KB_CAT_BENIGN, NULL);     /* WU_E_SERVICE_STOP */
    expect_code(0x80240016u, KB_CAT_BENIGN, NULL);     /* INSTALL_NOT_ALLOWED */
    for (i = 0; i < kb_codes_len; i++) {
        if (strncmp(kb_codes[i].symbol, "WU_S_", 5) == 0) {
            expect_code(kb_codes[i].code, KB_CAT_BENIGN, NULL);
            successes++;
        }
    }
    assert_true(successes >= 18);

    expect_code(0x80070422u, KB_CAT_SERVICE, "enable-wuauserv");
    expect_code(0x800F081Fu, KB_CAT_SERVICING, "dism-restorehealth-source");
    expect_code(0x80248007u, KB_CAT_INSTALL, "reset-wu-components");
    expect_code(0x8024402Cu, KB_CAT_NETWORK, "check-proxy");
    expect_code(0x80072EE2u, KB_CAT_NETWORK, "check-proxy");
    expect_code(0x80072EE7u, KB_CAT_NETWORK, "check-proxy");
    expect_code(0x80070070u, KB_CAT_DISK, "free-disk-space");
    expect_code(0x80244022u, KB_CAT_POLICY, "check-wsus-policy");

    assert_string_equal(kb_code_find(0x80070422u)->symbol, "ERROR_SERVICE_DISABLED");
    assert_ptr_equal(kb_code_find_symbol("e_accessdenied"), kb_code_find(0x80070005u));
    assert_null(kb_code_find_symbol("NO_SUCH_SYMBOL"));
    assert_null(kb_code_find_symbol(""));
    assert_null(kb_code_find_symbol(NULL));
    assert_null(kb_code_find(0x12345678u));
    assert_null(kb_code_find(0xFFFFFFFFu));

    assert_string_equal(kb_category_name(KB_CAT_UNKNOWN), "unknown");
    assert_string_equal(kb_category_name(KB_CAT_SERVICE), "service");
    assert_string_equal(kb_category_name(KB_CAT_NETWORK), "network");
    assert_string_equal(kb_category_name(KB_CAT_POLICY), "policy");
    assert_string_equal(kb_category_name(KB_CAT_DOWNLOAD), "download");
    assert_string_equal(kb_category_name(KB_CAT_INSTALL), "install");
    assert_string_equal(kb_category_name(KB_CAT_SERVICING), "servicing");
    assert_string_equal(kb_category_name(KB_CAT_DISK), "disk");
    assert_string_equal(kb_category_name(KB_CAT_REBOOT), "reboot");
    assert_string_equal(kb_category_name(KB_CAT_BENIGN), "benign");
    assert_string_equal(kb_category_name(KB_CAT_COUNT), "unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header_codes_present),
        cmocka_unit_test(test_codes_table_invariants),
        cmocka_unit_test(test_fix_catalog),
        cmocka_unit_test(test_parse_code),
        cmocka_unit_test(test_describe_facility),
        cmocka_unit_test(test_classification),
        cmocka_unit_test(test_generated_table_current),
        cmocka_unit_test(test_common_codes_named),
    };
    return cmocka_run_group_tests_name("kb", tests, NULL, NULL);
}
