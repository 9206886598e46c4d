/*
 * test_explain.c - integration tests of `wudiag explain` (src/cmd_explain.c):
 * runs the built binary ($WUDIAG_BIN) and checks exit codes, the text
 * output and the JSON output (parsed by python3).
 */
#include "testutil.h"

#include <inttypes.h>

#include "vocab/kb.h"

/* Run `wudiag ARGS` in a fresh directory (so that nothing lands in the
 * source tree); the directory must stay empty: explain needs no database. */
static int explain(struct tu_run *r, const char *args)
{
    char *dir = tu_tempdir();
    char *cmd = tu_fmt("cd %s && %s explain %s; rc=$?; "
                       "[ -z \"$(ls -A .)\" ] || { echo 'explain left files behind' >&2; "
                       "ls -A >&2; exit 99; }; exit $rc",
                       tu_shq(dir), tu_shq(tu_bin()), args);
    tu_run(r, "%s", cmd);
    free(cmd);
    tu_rmtree(dir);
    free(dir);
    return r->status;
}

static void expect_out(const struct tu_run *r, const char *needle)
{
    if (!strstr(r->out, needle)) {
        tu_run_dump(r);
        fail_msg("stdout lacks \"%s\"", needle);
    }
}

static void expect_err(const struct tu_run *r, const char *needle)
{
    if (!strstr(r->err, needle)) {
        tu_run_dump(r);
        fail_msg("stderr lacks \"%s\"", needle);
    }
}

static void expect_no_err(const struct tu_run *r)
{
    if (r->errlen) {
        tu_run_dump(r);
        fail_msg("unexpected output on stderr");
    }
}

/* ---- known codes, every spelling --------------------------------------------- */

static void check_80070422_text(const struct tu_run *r)
{
    const struct kb_code *k = kb_code_find(0x80070422);
    const struct kb_fix *fix;

    assert_non_null(k);
    fix = kb_fix_find(k->fix_id);
    assert_non_null(fix);
    tu_assert_exit(r, 0);
    expect_no_err(r);
    expect_out(r, "0x80070422  ERROR_SERVICE_DISABLED\n");
    assert_string_equal(k->symbol, "ERROR_SERVICE_DISABLED");
    expect_out(r, "Category: service");
    expect_out(r, "HRESULT_FROM_WIN32(1058)");
    expect_out(r, fix->title);
    /* the exact fix commands */
    expect_out(r, "sc.exe");
    expect_out(r, "sc.exe config wuauserv start= demand");
    for (int i = 0; i < KB_MAX_STEPS && fix->commands[i]; i++)
        expect_out(r, fix->commands[i]);
}

static void test_hex_with_prefix(void **state)
{
    struct tu_run r;
    (void)state;
    explain(&r, "0x80070422");
    check_80070422_text(&r);
    tu_run_free(&r);
}

/* `explain SPELLING` must print exactly what `explain 0x80070422` prints. */
static void check_same_as_hex(const char *spelling)
{
    struct tu_run ref, r;
    explain(&ref, "0x80070422");
    tu_assert_exit(&ref, 0);
    explain(&r, spelling);
    check_80070422_text(&r);
    if (strcmp(r.out, ref.out) != 0) {
        tu_run_dump(&r);
        fail_msg("'%s' explains differently from 0x80070422", spelling);
    }
    tu_run_free(&r);
    tu_run_free(&ref);
}

static void test_hex_without_prefix(void **state)
{
    (void)state;
    check_same_as_hex("80070422");
}

/* The signed 32-bit view, as PowerShell and .NET print HRESULTs; the usage
 * text names this form, so it must not be taken for an option. */
static void test_negative_decimal(void **state)
{
    (void)state;
    check_same_as_hex("-2147023838");
}

static void test_negative_decimal_json(void **state)
{
    struct tu_run r;
    (void)state;
    explain(&r, "--json -2147023838");
    tu_assert_exit(&r, 0);
    expect_out(&r, "\"code\":\"0x80070422\"");
    tu_run_free(&r);
}

static void test_unsigned_decimal(void **state)
{
    (void)state;
    check_same_as_hex("2147943458");
}

static void test_other_spellings(void **state)
{
    static const char *const spellings[] = {
        "0X80070422", "0x80070422", "ERROR_SERVICE_DISABLED", "error_service_disabled",
        "' 0x80070422 '", "-- 0x80070422", "-- -2147023838",
    };
    (void)state;
    for (size_t i = 0; i < sizeof spellings / sizeof spellings[0]; i++)
        check_same_as_hex(spellings[i]);
}

static void test_symbol(void **state)
{
    struct tu_run r;
    const struct kb_code *k = kb_code_find_symbol("WU_E_NO_SERVICE");
    (void)state;
    assert_non_null(k);
    explain(&r, "WU_E_NO_SERVICE");
    tu_assert_exit(&r, 0);
    expect_no_err(&r);
    expect_out(&r, "0x80240001  WU_E_NO_SERVICE\n");
    expect_out(&r, k->meaning);
    expect_out(&r, "facility WINDOWSUPDATE (36)");
    expect_out(&r, kb_fix_find(k->fix_id)->title);
    tu_run_free(&r);
}

/* Several codes: one block each, in the order given. */
static void test_several_codes(void **state)
{
    struct tu_run r;
    const char *a, *b;
    (void)state;
    explain(&r, "0x80070422 WU_E_NO_SERVICE 0x80240022");
    tu_assert_exit(&r, 0);
    a = strstr(r.out, "0x80070422  ERROR_SERVICE_DISABLED");
    b = strstr(r.out, "0x80240001  WU_E_NO_SERVICE");
    assert_non_null(a);
    assert_non_null(b);
    assert_true(a < b);
    assert_non_null(strstr(b, "0x80240022  WU_E_ALL_UPDATES_FAILED"));
    tu_run_free(&r);
}

/* ---- unknown and invalid codes ---------------------------------------------------- */

static void test_unknown_code(void **state)
{
    struct tu_run r;
    char fac[128];
    (void)state;
    assert_null(kb_code_find(0x8FFF1234));
    explain(&r, "0x8FFF1234");
    tu_assert_exit(&r, 1);
    expect_out(&r, "0x8FFF1234");
    expect_out(&r, "not in wudiag's knowledge base");
    expect_out(&r, "Decoded:");
    expect_out(&r, "facility 2047");
    expect_out(&r, "0x1234");
    expect_out(&r, kb_describe_facility(0x8FFF1234, fac, sizeof fac));
    tu_run_free(&r);

    /* an unknown Win32 code decodes to HRESULT_FROM_WIN32 */
    explain(&r, "0x8007FFFF");
    tu_assert_exit(&r, 1);
    expect_out(&r, "HRESULT_FROM_WIN32(65535)");
    tu_run_free(&r);

    /* known and unknown together: both explained, exit 1 */
    explain(&r, "0x8FFF1234 0x80070422");
    tu_assert_exit(&r, 1);
    expect_out(&r, "0x8FFF1234  (not in wudiag's knowledge base)");
    expect_out(&r, "0x80070422  ERROR_SERVICE_DISABLED");
    tu_run_free(&r);
}

static void test_not_a_code(void **state)
{
    static const char *const bad[] = {
        "hello", "0x", "0x80070422x", "0x123456789", "4294967296", "-2147483649",
        "NO_SUCH_SYMBOL_E", "''", "--", "0x80070422 hello",
    };
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct tu_run r;
        explain(&r, bad[i]);
        tu_assert_exit(&r, 2);
        if (r.outlen) {
            tu_run_dump(&r);
            fail_msg("'%s': nothing should be explained when an argument is bad", bad[i]);
        }
        expect_err(&r, "wudiag explain:");
        tu_run_free(&r);
    }
}

/* An unknown option is named as the user typed it. */
static void test_unknown_option_message(void **state)
{
    struct tu_run r;
    (void)state;
    explain(&r, "-q 0x80070422");
    tu_assert_exit(&r, 2);
    expect_err(&r, "'-q'");
    tu_run_free(&r);

    explain(&r, "-qz 0x80070422");
    tu_assert_exit(&r, 2);
    expect_err(&r, "-q");
    if (strstr(r.err, "'explain'")) {
        tu_run_dump(&r);
        fail_msg("the error names the command, not the bad option");
    }
    tu_run_free(&r);
}

static void test_hello_message(void **state)
{
    struct tu_run r;
    (void)state;
    explain(&r, "hello");
    tu_assert_exit(&r, 2);
    expect_err(&r, "'hello' is not an error code or symbol");
    tu_run_free(&r);
}

static void test_no_code(void **state)
{
    struct tu_run r;
    (void)state;
    explain(&r, "");
    tu_assert_exit(&r, 2);
    expect_err(&r, "no code given");
    assert_int_equal(r.outlen, 0);
    tu_run_free(&r);

    explain(&r, "--json");
    tu_assert_exit(&r, 2);
    assert_int_equal(r.outlen, 0);
    tu_run_free(&r);

    explain(&r, "--bogus 0x80070422");
    tu_assert_exit(&r, 2);
    assert_int_equal(r.outlen, 0);
    tu_run_free(&r);
}

/* ---- JSON ------------------------------------------------------------------------------ */

/* Parse stdout of `explain --json ARGS` with python3 (through a pipe) and run
 * the python assertions in `check` on it (the parsed document is `d`). */
static void json_check(const char *args, const char *check)
{
    struct tu_run r;
    char *py = tu_fmt("import json,sys\n"
                      "d=json.load(sys.stdin)\n"
                      "%s\n", check);
    tu_run(&r, "%s explain --json %s | python3 -c %s", tu_shq(tu_bin()), args,
           tu_shq(py));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    free(py);
}

static void test_json_two_codes(void **state)
{
    struct tu_run r;
    (void)state;
    explain(&r, "--json 0x80070422 0x80240022");
    tu_assert_exit(&r, 0);
    expect_no_err(&r);
    expect_out(&r, "0x80070422");
    expect_out(&r, "0x80240022");
    assert_true(r.outlen > 0 && r.out[r.outlen - 1] == '\n');
    tu_run_free(&r);

    json_check("0x80070422 0x80240022",
               "assert d['schema'] == 'wudiag.explain/1', d.get('schema')\n"
               "c = d['codes']\n"
               "assert [x['code'] for x in c] == ['0x80070422', '0x80240022'], c\n"
               "assert all(x['known'] is True for x in c)\n"
               "assert c[0]['symbol'] == 'ERROR_SERVICE_DISABLED'\n"
               "assert c[0]['category'] == 'service'\n"
               "assert c[0]['fix']['id'] == 'enable-wuauserv'\n"
               "assert 'sc.exe config wuauserv start= demand' in c[0]['fix']['commands']\n"
               "assert c[1]['symbol'] == 'WU_E_ALL_UPDATES_FAILED'\n"
               "assert isinstance(c[1]['fix']['steps'], list)\n"
               "assert 'WIN32' in c[0]['facility']");
}

static void test_json_unknown(void **state)
{
    struct tu_run r;
    (void)state;
    explain(&r, "--json 0x8FFF1234");
    tu_assert_exit(&r, 1);
    tu_run_free(&r);
    /* the pipe's status is python's: the JSON is still complete */
    json_check("0x8FFF1234",
               "c = d['codes']\n"
               "assert len(c) == 1 and c[0]['code'] == '0x8FFF1234', c\n"
               "assert c[0]['known'] is False\n"
               "assert 'symbol' not in c[0] and 'fix' not in c[0]\n"
               "assert '2047' in c[0]['facility']");
}

/* Every code of the knowledge base at once: valid JSON (escaping of quotes
 * and backslashes in the fix commands), one entry per code, in order. */
static void test_json_whole_kb(void **state)
{
    size_t len = 0, cap = kb_codes_len * 12 + 1;
    char *args = malloc(cap);
    char *check;
    (void)state;
    assert_non_null(args);
    assert_true(kb_codes_len > 100);
    for (size_t i = 0; i < kb_codes_len; i++)
        len += (size_t)snprintf(args + len, cap - len, "0x%08" PRIX32 " ",
                                kb_codes[i].code);
    check = tu_fmt("c = d['codes']\n"
                   "assert len(c) == %zu, len(c)\n"
                   "assert all(x['known'] and x['symbol'] and x['fix']['commands'] is not None"
                   " for x in c)\n"
                   "assert [int(x['code'], 16) for x in c] == sorted(int(x['code'], 16) for x in c)\n"
                   "assert any('\\\\' in cmd for x in c for cmd in x['fix']['commands'])\n"
                   "assert any('\"' in cmd for x in c for cmd in x['fix']['commands'])",
                   kb_codes_len);
    json_check(args, check);
    free(check);
    free(args);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hex_with_prefix),
        cmocka_unit_test(test_hex_without_prefix),
        cmocka_unit_test(test_negative_decimal),
        cmocka_unit_test(test_negative_decimal_json),
        cmocka_unit_test(test_unsigned_decimal),
        cmocka_unit_test(test_other_spellings),
        cmocka_unit_test(test_symbol),
        cmocka_unit_test(test_several_codes),
        cmocka_unit_test(test_unknown_code),
        cmocka_unit_test(test_not_a_code),
        cmocka_unit_test(test_unknown_option_message),
        cmocka_unit_test(test_hello_message),
        cmocka_unit_test(test_no_code),
        cmocka_unit_test(test_json_two_codes),
        cmocka_unit_test(test_json_unknown),
        cmocka_unit_test(test_json_whole_kb),
    };
    return cmocka_run_group_tests_name("explain", tests, NULL, NULL);
}
