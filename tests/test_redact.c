/*
 * test_redact.c - the --redact tokenizer (diagnosis/redact.c) and every
 * output that uses it.
 *
 *   - unit:   each class of identifying string becomes a token, the same
 *             name gets the same token in every form (CORP\jdoe, jdoe@...,
 *             CN=jdoe, C:\Users\jdoe), Windows' own names, versions, codes
 *             and Microsoft's update endpoints stay, look-alike endpoints
 *             do not, a bare name learned in the first pass is caught;
 *             models, export events and histories; time is linear (40k and
 *             320k distinct addresses, hostile runs).
 *   - corpus: samples/redact/ (an XML event file and a WindowsUpdate.log
 *             holding every class, imported from a profile folder, plus
 *             the facts `collect` stores) must show each corpus string in
 *             some plain output, and none of them in any --redact output:
 *             report text/html/json (fleet and --each), export ndjson/csv,
 *             history text/json/csv.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"
#include "diagnosis/redact.h"
#include "store/store.h"

#include <ctype.h>
#include <sqlite3.h>
#include <strings.h>
#include <time.h>

/* ---- unit ------------------------------------------------------------------ */

/* Learn every string of in[], then check each redacts to want[]. */
static void check_all(const char *const *hosts, const char *const (*pairs)[2], size_t n)
{
    struct redactor *r = redactor_new();
    struct strbuf sb;
    assert_non_null(r);
    sb_init(&sb);
    for (size_t i = 0; hosts && hosts[i]; i++)
        assert_int_equal(redact_learn_host(r, hosts[i]), 0);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(redact_learn(r, pairs[i][0]), 0);
    for (size_t i = 0; i < n; i++) {
        sb_reset(&sb);
        assert_int_equal(redact_string(r, pairs[i][0], &sb), 0);
        const char *got = sb.buf ? sb.buf : "";
        if (strcmp(got, pairs[i][1]) != 0)
            fail_msg("redact(\"%s\")\n  got  \"%s\"\n  want \"%s\"", pairs[i][0], got,
                     pairs[i][1]);
    }
    sb_free(&sb);
    redactor_free(r);
}

static void test_classes(void **state)
{
    static const char *const hosts[] = {"PC1.corp.example.com", "WIN10-LAB", NULL};
    /* tokens are numbered in the order the first pass meets the names */
    static const char *const pairs[][2] = {
        {"PC1.corp.example.com", "host-1.domain-1"},
        {"pc1 and PC1 restart", "host-1 and host-1 restart"},
        {"CORP\\jdoe", "domain-2\\user-1"},
        {"jdoe@corp.example.com", "user-1@domain-1"},
        {"CN=jdoe,OU=Sales,DC=corp,DC=example,DC=com", "CN=user-1,OU=org-1,DC=domain-1"},
        {"C:\\Users\\jdoe\\AppData\\Local\\Temp", "C:\\Users\\user-1\\AppData\\Local\\Temp"},
        {"C:\\Users\\jdoe.CORP\\Desktop", "C:\\Users\\user-1.domain-2\\Desktop"},
        {"/home/jdoe/.cache and /Users/jdoe/Library", "/home/user-1/.cache and /Users/user-1/Library"},
        {"\\\\FILESRV01\\share\\x.msi", "\\\\host-3\\share\\x.msi"},
        {"\\\\?\\UNC\\nas01\\deploy", "\\\\?\\UNC\\host-4\\deploy"},
        {"wsus02.corp.local:8531", "host-5.domain-3:8531"},
        {"proxy.corp.local:8080", "host-6.domain-3:8080"},
        {"wsus02:8530 and the WSUS server", "host-5:8530 and the WSUS server"},
        {"10.20.30.40:8530", "ip-1:8530"},
        {"fe80::1ff:fe23:4567:890a%12 fe80::1ff:fe23:4567:890a", "ip-2%12 ip-2"},
        {"[2001:db8::1]:8530 ::ffff:10.1.2.3", "[ip-3]:8530 ip-4"},
        {"S-1-5-21-3623811015-3361044348-30300820-1104", "sid-1"},
        {"http://svc:S3cret@wsus02.corp.local:8531/ClientWebService",
         "http://host-5.domain-3:8531/ClientWebService"},
        {"https://microsoft.com@evil.corp.local/x", "https://host-7.domain-3/x"},
        {"http://windowsupdate.com.evil.example/y", "http://host-8.domain-4/y"},
        {"http://evilwindowsupdate.com/y", "http://domain-5/y"},
        {"WIN10-LAB\\alice", "host-2\\user-2"},
        {"mailto:asmith@corp.example.com", "mailto:user-3@domain-1"},
        {"\\\\DC01\\NETLOGON", "\\\\host-9\\NETLOGON"},
        {"logon server DC01 down (“jdoe”)", "logon server host-9 down (“user-1”)"},
        {"C:\\Users\\J\xc3\xbcrgen\\x and J\xc3\xbcrgen", "C:\\Users\\user-4\\x and user-4"},
        {"CN=Users,DC=corp,DC=example,DC=com", "CN=Users,DC=domain-1"},
        {"fs1.acme.lab and srv7.branch.contoso", "host-10.domain-6 and host-11.domain-7"},
    };
    (void)state;
    check_all(hosts, pairs, sizeof pairs / sizeof pairs[0]);
}

/* What identifies nobody stays as it is. */
static void test_kept(void **state)
{
    static const char *const keep[] = {
        "https://fe2cr.update.microsoft.com/v6/ClientWebService/client.asmx",
        "http://download.windowsupdate.com/c/msdownload/update",
        "go.microsoft.com/fwlink/?LinkId=1 and ctldl.windowsupdate.com",
        "NT AUTHORITY\\SYSTEM, NT SERVICE\\TrustedInstaller, BUILTIN\\Administrators",
        "S-1-5-18 S-1-5-32-544 S-1-1-0",
        "::1 and 127.0.0.1 and ::",
        "C:\\Windows\\SoftwareDistribution\\Download C:\\Windows\\System32\\drivers\\etc",
        "Logs\\CBS\\CBS.log and Temp\\setup.log",
        "C:\\Users\\Public\\Desktop C:\\Users\\Default",
        "10.0.19041.1288, Version 1.389.1234.0, Definition 1.249.252.0",
        "2023/05/10 08:59:31.5401234 12:34:56",
        "times converted to UTC from the offset the log states, -05:00 (UTC+02:00)",
        "Line:123 0x8024402C:12 KB5034441:3",
        "Package_for_KB976902~31bf3856ad364e35~amd64~~6.1.1.17 Version=1.2.3.4",
        "v1.2.3 Microsoft.Windows.Update.Orchestrator x64.cab.log",
        "0x8024402C KB5034441 {2A7E6A2B-4C1F-4A63-9A8B-6D4C1E2F3B5A}",
        "Microsoft-Windows-WindowsUpdateClient/Operational",
        "System.Net.WebException setup.exe WindowsUpdate.log",
        "Installation Failure: Windows failed to install the following update with error",
        "CN=Microsoft Windows Production PCA 2011",
        "",
    };
    struct redactor *r = redactor_new();
    struct strbuf sb;
    (void)state;
    sb_init(&sb);
    for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++)
        assert_int_equal(redact_learn(r, keep[i]), 0);
    for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++) {
        sb_reset(&sb);
        assert_int_equal(redact_string(r, keep[i], &sb), 0);
        assert_string_equal(sb.buf ? sb.buf : "", keep[i]);
    }
    /* NULL is nothing, in both passes */
    assert_int_equal(redact_learn(r, NULL), 0);
    sb_reset(&sb);
    assert_int_equal(redact_string(r, NULL, &sb), 0);
    assert_int_equal(sb.len, 0);
    sb_free(&sb);
    redactor_free(r);
}

/* The report model: host, events, coverage paths (their folder is one
 * token) and collect's facts. */
static void test_model(void **state)
{
    struct model *m = model_new();
    struct redactor *r = redactor_new();
    (void)state;
    assert_non_null(m);
    m->host = model_strdup(m, "WKS-0042.corp.example.com");
    struct m_event *e = model_add_event(m);
    e->title = model_strdup(m, "Update for ACMECORP\\jdoe on WKS-0042");
    e->detail = model_strdup(m, "from 10.20.30.40");
    struct m_coverage *c = model_add_coverage(m);
    c->source = model_strdup(m, "C:\\Users\\jdoe\\Desktop\\WindowsUpdate.log");
    c->status = "ok";
    c = model_add_coverage(m);
    c->source = model_strdup(m, "C:\\Users\\jdoe\\Desktop\\CBS.log");
    c->status = "ok";
    c = model_add_coverage(m);
    c->source = model_strdup(m, "CBS.log");
    c->status = "ok";
    struct m_fact *f = model_add_fact(m);
    f->name = "wsus_server";
    f->value = model_strdup(m, "http://svc:S3cret@wsus02.corp.local:8531");
    assert_int_equal(redact_model(r, m), 0);
    assert_string_equal(m->host, "host-1.domain-1");
    assert_string_equal(m->events[0].title, "Update for domain-2\\user-1 on host-1");
    assert_string_equal(m->events[0].detail, "from ip-1");
    /* where the logs were kept is one token per folder */
    assert_string_equal(m->coverage[0].source, "dir-1\\WindowsUpdate.log");
    assert_string_equal(m->coverage[1].source, "dir-1\\CBS.log");
    assert_string_equal(m->coverage[2].source, "CBS.log");
    assert_string_equal(m->facts[0].name, "wsus_server");
    assert_string_equal(m->facts[0].value, "http://host-2.domain-3:8531");
    model_free(m);
    redactor_free(r);
}

static void test_export_event(void **state)
{
    struct export_event e, out;
    struct redactor *r = redactor_new();
    (void)state;
    memset(&e, 0, sizeof e);
    e.host = "FILESRV01";
    e.computer = "filesrv01.corp.local";
    e.message = "share \\\\FILESRV01\\Packages$ for CORP\\jdoe";
    e.update_title = "Tool for jdoe@corp.local";
    e.provider = "Microsoft-Windows-WindowsUpdateClient";
    e.event_id = 20;
    assert_int_equal(redact_learn_export(r, &e), 0);
    assert_int_equal(redact_export(r, &e, &out), 0);
    assert_string_equal(out.host, "host-1");
    assert_string_equal(out.computer, "host-1.domain-1");
    assert_string_equal(out.message, "share \\\\host-1\\Packages$ for domain-2\\user-1");
    assert_string_equal(out.update_title, "Tool for user-1@domain-1");
    assert_string_equal(out.provider, "Microsoft-Windows-WindowsUpdateClient");
    assert_null(out.service);
    assert_int_equal(out.event_id, 20);
    redactor_free(r);
}

static void test_history(void **state)
{
    struct history_change ch = {0, "wuauserv", "state", "running", "stopped"};
    struct history_period p;
    struct history h;
    struct redactor *r = redactor_new();
    (void)state;
    memset(&p, 0, sizeof p);
    p.changes = &ch;
    p.nchanges = 1;
    p.last_install = "Package \\\\nas01\\deploy for C:\\Users\\jdoe";
    h.host = "DC01";
    h.periods = &p;
    h.nperiods = 1;
    h.pool = NULL;
    assert_int_equal(redact_learn_history(r, &h), 0);
    assert_int_equal(redact_history(r, &h), 0);
    assert_string_equal(h.host, "host-1");
    assert_string_equal(p.last_install, "Package \\\\host-2\\deploy for C:\\Users\\user-1");
    assert_string_equal(ch.service, "wuauserv");
    assert_string_equal(ch.from, "running");
    assert_string_equal(ch.to, "stopped");
    redactor_free(r);       /* owns the copies */
}

/* Seconds to learn and redact n distinct IPv4 addresses, one string each. */
static double time_ips(size_t n)
{
    struct redactor *r = redactor_new();
    struct strbuf sb;
    char ip[32];
    clock_t t0 = clock();
    sb_init(&sb);
    for (size_t pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < n; i++) {
            snprintf(ip, sizeof ip, "from %u.%u.%u.%u:8530", 10u, (unsigned)(i >> 16 & 255),
                     (unsigned)(i >> 8 & 255), (unsigned)(i & 255));
            if (pass == 0) {
                assert_int_equal(redact_learn(r, ip), 0);
            } else {
                sb_reset(&sb);
                assert_int_equal(redact_string(r, ip, &sb), 0);
            }
        }
    /* the last address got the last token */
    char want[48];
    snprintf(want, sizeof want, "from ip-%zu:8530", n);
    assert_string_equal(sb.buf, want);
    sb_free(&sb);
    redactor_free(r);
    return (double)(clock() - t0) / CLOCKS_PER_SEC;
}

/* Seconds to redact one hostile string of len bytes made of unit. */
static double time_hostile(const char *unit, size_t len)
{
    struct redactor *r = redactor_new();
    struct strbuf sb;
    size_t ul = strlen(unit);
    char *s = malloc(len + 1);
    assert_non_null(s);
    for (size_t i = 0; i < len; i++)
        s[i] = unit[i % ul];
    s[len] = '\0';
    sb_init(&sb);
    clock_t t0 = clock();
    assert_int_equal(redact_learn(r, s), 0);
    assert_int_equal(redact_string(r, s, &sb), 0);
    double t = (double)(clock() - t0) / CLOCKS_PER_SEC;
    sb_free(&sb);
    free(s);
    redactor_free(r);
    return t;
}

/*
 * Linear time: 8 times the input may cost at most 24 times the time (linear
 * is 8, quadratic 64), and every hostile run of 4 MB costs at most 50 times
 * 4 MB of plain words (each recognizer looks a bounded distance ahead).
 */
static void test_linear(void **state)
{
    static const char *const hostile[] = {
        "a.", "1.", "a:", "1:", "\\\\", "a\\", "CN=a,", "a@", "S-1-", "http://a@",
        "::", "\\Users\\", "jdoe ", "x.example.com:", "DC=a,",
    };
    (void)state;
    double small = time_ips(40000), big = time_ips(320000);
    print_message("redact 40k distinct IPs: %.3f s; 320k: %.3f s\n", small, big);
    if (small > 0.02 && big > 24 * small)
        fail_msg("redaction is not linear: 40k IPs %.3f s, 320k %.3f s", small, big);
    assert_true(big < 10);
    /* against 4 MB of plain words: quadratic would be a million times it */
    double plain = time_hostile("word ", 4u << 20);
    for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
        double t = time_hostile(hostile[i], 4u << 20);
        if (t > 50 * plain + 0.1)
            fail_msg("4 MB of \"%s\" took %.2f s (plain words %.2f s)", hostile[i], t, plain);
    }
}

/* ---- the corpus through every output ---------------------------------------- */

/* Every string here identifies someone or something in samples/redact/. */
static const char *const corpus[] = {
    "jdoe", "asmith", "m.mueller", "J\xc3\xbcrgen", "Wei\xc3\x9f", "ACMECORP",
    "corp.example.com", "corp.local", "WKS-0042", "FILESRV01", "nas01", "wsus02", "DC01",
    "10.20.30.40", "192.168.77.5", "2001:db8:85a3::8a2e:370:7334",
    "fe80::1ff:fe23:4567:890a", "S-1-5-21-3623811015-3361044348-30300820-1104",
    "S3cret", "svc-wsus", "evil.example", "FinanceBerlin", "microsoft.com@",
};
#define NCORPUS (sizeof corpus / sizeof corpus[0])

static const char *const outputs[] = {
    "report --format text", "report --format html", "report --format json",
    "report --each --format text", "report --each --format html",
    "report --each --format json", "export", "export --format csv", "history",
    "history --format json", "history --format csv", "history --week",
};
#define NOUTPUTS (sizeof outputs / sizeof outputs[0])

struct fx {
    char *dir;
    char *db;
};

/* Copy a fixture into dir (the profile folder the logs come from). */
static char *copy_fixture(const char *dir, const char *name)
{
    char *rel = tu_fmt("samples/redact/%s", name), *src = tu_src_file(rel);
    size_t len;
    char *data = tu_read_file(src, &len), *dst = tu_path(dir, name);
    tu_write_file(dst, data, len);
    free(data);
    free(src);
    free(rel);
    return dst;
}

/* The facts `collect` stores, for the XML's host, dated the day before its
 * last event (the WSUS rule quotes the policy URL then). */
static void add_facts(const char *db)
{
    static const char *const facts[][2] = {
        {"wsus_server", "http://svc-wsus:S3cret@wsus02.corp.local:8531"},
        {"fqdn", "WKS-0042.corp.example.com"},
        {"ip", "10.20.30.40 fe80::1ff:fe23:4567:890a"},
    };
    const char *host = "WKS-0042.corp.example.com";
    struct store *st = NULL;
    struct wu_stats stats = {0, 0, 0, 0, 0};
    char err[256];
    assert_int_equal(store_open(db, 0, &st, err, sizeof err), STORE_OK);
    assert_int_equal(store_run_begin(st, "collect", "live", host, err, sizeof err), 0);
    for (size_t i = 0; i < sizeof facts / sizeof facts[0]; i++)
        assert_int_equal(store_add_fact(st, host, facts[i][0], facts[i][1]), 0);
    assert_int_equal(store_run_end(st, &stats, NULL, 0, err, sizeof err), 0);
    store_close(st);
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, "UPDATE facts SET time_us = (SELECT max(time_us)"
                                     " FROM events) - 86400000000", NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(h);
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    struct tu_run r;
    if (!f)
        return -1;
    f->dir = tu_tempdir();
    f->db = tu_path(f->dir, "wudiag.db");
    char *prof = tu_path(f->dir, "Users/jdoe/Desktop"), *mk = tu_fmt("mkdir -p %s", tu_shq(prof));
    if (system(mk) != 0)
        fail_msg("%s failed", mk);
    char *xml = copy_fixture(prof, "identities.xml");
    char *log = copy_fixture(prof, "WindowsUpdate.log");
    tu_run(&r, "%s --db %s import %s", tu_shq(tu_bin()), tu_shq(f->db), tu_shq(xml));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    tu_run(&r, "%s --db %s import --host FILESRV01 %s", tu_shq(tu_bin()), tu_shq(f->db),
           tu_shq(log));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    add_facts(f->db);
    free(xml);
    free(log);
    free(mk);
    free(prof);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    tu_rmtree(f->dir);
    free(f->dir);
    free(f->db);
    free(f);
    return 0;
}

/* ASCII case-insensitive strstr over out[0..len). */
static const char *find_nocase(const char *out, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; n <= len && i <= len - n; i++)
        if (strncasecmp(out + i, needle, n) == 0)
            return out + i;
    return NULL;
}

static char *run_output(const struct fx *f, const char *cmd, int redact, size_t *len)
{
    struct tu_run r;
    tu_run(&r, "SOURCE_DATE_EPOCH=1710000000 %s --db %s %s%s", tu_shq(tu_bin()),
           tu_shq(f->db), cmd, redact ? " --redact" : "");
    tu_assert_exit(&r, 0);
    if (r.outlen < 100) {
        tu_run_dump(&r);
        fail_msg("%s: almost no output", cmd);
    }
    char *out = r.out;
    *len = r.outlen;
    r.out = NULL;
    tu_run_free(&r);
    return out;
}

/* Each corpus string shows in some plain output; none in any redacted one. */
static void test_corpus_never_leaks(void **state)
{
    struct fx *f = *state;
    int seen[NCORPUS] = {0};
    int leaks = 0;

    for (size_t o = 0; o < NOUTPUTS; o++) {
        size_t len;
        char *plain = run_output(f, outputs[o], 0, &len);
        for (size_t c = 0; c < NCORPUS; c++)
            seen[c] |= find_nocase(plain, len, corpus[c]) != NULL;
        free(plain);
        char *red = run_output(f, outputs[o], 1, &len);
        for (size_t c = 0; c < NCORPUS; c++) {
            const char *at = find_nocase(red, len, corpus[c]);
            if (at) {
                size_t off = (size_t)(at - red), from = off > 60 ? off - 60 : 0;
                print_message("LEAK in %s --redact: \"%s\" in \"%.*s\"\n", outputs[o],
                              corpus[c], (int)(off - from + strlen(corpus[c]) + 20), red + from);
                leaks++;
            }
        }
        free(red);
    }
    for (size_t c = 0; c < NCORPUS; c++)
        if (!seen[c])
            fail_msg("corpus string \"%s\" is in no plain output: the fixture does not "
                     "test it", corpus[c]);
    assert_int_equal(leaks, 0);
}

/* The token right after prefix in out, e.g. "user-3"; "" when absent. */
static void token_after(const char *out, const char *prefix, char *tok, size_t cap)
{
    const char *p = strstr(out, prefix);
    size_t n = 0;
    tok[0] = '\0';
    if (!p)
        return;
    p += strlen(prefix);
    while (n + 1 < cap && (isalnum((unsigned char)p[n]) || p[n] == '-'))
        n++;
    memcpy(tok, p, n);
    tok[n] = '\0';
}

/* One user, one token, in every form and every output; Microsoft's update
 * endpoints readable; the same output twice is the same. */
static void test_tokens_stable(void **state)
{
    struct fx *f = *state;
    char tok[32], dom[32], form[96];
    size_t len, len2;

    char *csv = run_output(f, "export --format csv", 1, &len);
    token_after(csv, "C:\\Users\\", tok, sizeof tok);
    assert_true(strncmp(tok, "user-", 5) == 0);
    token_after(csv, "LOB app for ", dom, sizeof dom);     /* ACMECORP\jdoe */
    assert_true(strncmp(dom, "domain-", 7) == 0);
    snprintf(form, sizeof form, "%s\\%s", dom, tok);
    assert_non_null(strstr(csv, form));
    snprintf(form, sizeof form, "CN=%s,", tok);
    assert_non_null(strstr(csv, form));
    snprintf(form, sizeof form, "owner %s@", tok);          /* jdoe@corp.example.com */
    assert_non_null(strstr(csv, form));
    assert_non_null(strstr(csv, "http://download.windowsupdate.com/c/msdownload/update"));
    assert_non_null(strstr(csv, "https://fe2cr.update.microsoft.com/v6/"));

    /* the report (a second output, its own map) uses its user token in
     * every form too, and keeps the endpoints */
    char *text = run_output(f, "report --each --format text", 1, &len);
    char *again = run_output(f, "report --each --format text", 1, &len2);
    assert_int_equal(len, len2);
    assert_memory_equal(text, again, len);
    char *json = run_output(f, "report --each --format json", 1, &len);
    token_after(json, "C:\\\\Users\\\\", tok, sizeof tok);
    assert_true(strncmp(tok, "user-", 5) == 0);
    snprintf(form, sizeof form, "\\\\%s from", tok);        /* ACMECORP\jdoe from */
    assert_non_null(strstr(json, form));
    assert_non_null(strstr(json, "download.windowsupdate.com"));
    free(json);
    free(again);
    free(text);
    free(csv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classes),
        cmocka_unit_test(test_kept),
        cmocka_unit_test(test_model),
        cmocka_unit_test(test_export_event),
        cmocka_unit_test(test_history),
        cmocka_unit_test(test_linear),
        cmocka_unit_test_setup_teardown(test_corpus_never_leaks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tokens_stable, setup, teardown),
    };
    return cmocka_run_group_tests_name("redact", tests, NULL, NULL);
}
