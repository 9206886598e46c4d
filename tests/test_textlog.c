/*
 * test_textlog.c - CBS.log, DISM.log and WindowsUpdate.log as evidence:
 * the line reader (encodings, CRLF, line cap, buffer boundaries), the
 * pattern table and its matcher, format detection, the three text-log
 * rules on models built in memory, and `wudiag import` / `report` end to
 * end on the fixtures in samples/textlog and on generated huge files
 * (constant memory: a 50 MB log imports with peak RSS < 64 MB).
 */
#include "testutil.h"

#include <sys/resource.h>
#include <sys/types.h>

#include "diagnosis/diagnose.h"
#include "collector/linereader.h"
#include "vocab/model.h"
#include "collector/source.h"
#include "collector/textlog.h"
#include "vocab/kb.h"
#include "util/keyset.h"

#define SEC_US 1000000LL

/* ---- helpers -------------------------------------------------------------- */


static void assert_contains(const char *hay, const char *needle, const char *what)
{
    if (!hay || !strstr(hay, needle))
        fail_msg("%s \"%s\" does not contain \"%s\"", what, hay ? hay : "(null)", needle);
}

static void expect_db(const char *db, const char *sql, long long want)
{
    long long got = tu_sql_int(db, sql);
    if (got != want)
        fail_msg("%s -> %lld, expected %lld", sql, got, want);
}

static int count_of(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

/* 2023-05-10 hh:mm:ss UTC in microseconds. */
static int64_t t2023(int h, int m, int s)
{
    return (1683676800LL + h * 3600 + m * 60 + s) * SEC_US;
}

/* A line reader over an in-memory buffer: the first `headn` bytes are
 * given as head, the rest comes through a FILE (like a source sees it). */
struct memreader {
    FILE *fp;
    struct linereader *lr;
};

static void mr_open(struct memreader *mr, const void *data, size_t len,
                    size_t headn, size_t max_line)
{
    if (headn > len)
        headn = len;
    mr->fp = tmpfile();
    assert_non_null(mr->fp);
    if (len > headn)
        assert_int_equal(fwrite((const char *)data + headn, 1, len - headn, mr->fp),
                         len - headn);
    rewind(mr->fp);
    mr->lr = lr_open(mr->fp, data, headn, max_line);
    assert_non_null(mr->lr);
}

static void mr_close(struct memreader *mr)
{
    lr_close(mr->lr);
    fclose(mr->fp);
}

static void expect_line(struct memreader *mr, const char *want)
{
    char *line;
    size_t len;
    int rc = lr_next(mr->lr, &line, &len);
    if (rc != 1)
        fail_msg("expected line \"%s\", got rc %d", want, rc);
    assert_int_equal(len, strlen(want));
    assert_memory_equal(line, want, len);
    assert_int_equal(line[len], '\0');
}

static void expect_end(struct memreader *mr)
{
    char *line;
    size_t len;
    assert_int_equal(lr_next(mr->lr, &line, &len), 0);
    assert_int_equal(lr_next(mr->lr, &line, &len), 0);
}

/* UTF-16 of an ASCII/BMP string given as UTF-8 code points (ASCII only
 * here), with or without BOM, LE or BE. */
static size_t to_utf16(const char *s, unsigned char *out, int be, int bom)
{
    size_t o = 0;
    if (bom) {
        out[o++] = be ? 0xFE : 0xFF;
        out[o++] = be ? 0xFF : 0xFE;
    }
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        out[o++] = be ? 0 : c;
        out[o++] = be ? c : 0;
    }
    return o;
}

/* ---- line reader ------------------------------------------------------------ */

static void test_lr_lf_crlf(void **state)
{
    static const char text[] = "one\r\ntwo\n\r\n\nfour with\rcr inside\r\nlast";
    struct memreader mr;
    (void)state;
    for (size_t headn = 0; headn <= sizeof text - 1; headn++) {
        mr_open(&mr, text, sizeof text - 1, headn, 0);
        expect_line(&mr, "one");
        expect_line(&mr, "two");
        expect_line(&mr, "");
        expect_line(&mr, "");
        expect_line(&mr, "four with\rcr inside");
        expect_line(&mr, "last");
        assert_int_equal(lr_line_number(mr.lr), 6);
        expect_end(&mr);
        assert_int_equal(lr_truncated(mr.lr), 0);
        assert_int_equal(lr_encoding(mr.lr), LR_UTF8);
        mr_close(&mr);
    }
    /* an empty input has no lines; a final newline adds none */
    mr_open(&mr, "", 0, 0, 0);
    expect_end(&mr);
    mr_close(&mr);
    mr_open(&mr, "x\n", 2, 2, 0);
    expect_line(&mr, "x");
    expect_end(&mr);
    mr_close(&mr);
}

static void test_lr_bom_and_utf16(void **state)
{
    static const char text[] = "2023-05-10 alpha\r\nbeta\n";
    unsigned char buf[256];
    struct memreader mr;
    size_t n;
    (void)state;

    mr_open(&mr, "\xEF\xBB\xBFhead\r\nz", 10, 3, 0);
    expect_line(&mr, "head");
    expect_line(&mr, "z");
    expect_end(&mr);
    assert_int_equal(lr_encoding(mr.lr), LR_UTF8_BOM);
    mr_close(&mr);

    for (int be = 0; be <= 1; be++)
        for (int bom = 0; bom <= 1; bom++) {
            n = to_utf16(text, buf, be, bom);
            for (size_t headn = 0; headn <= n; headn += 3) {
                mr_open(&mr, buf, n, headn ? headn : n, 0);
                expect_line(&mr, "2023-05-10 alpha");
                expect_line(&mr, "beta");
                expect_end(&mr);
                assert_int_equal(lr_encoding(mr.lr), be ? LR_UTF16BE : LR_UTF16LE);
                mr_close(&mr);
            }
        }

    /* non-ASCII: é (U+00E9), € (U+20AC), U+1F600 as a surrogate pair */
    static const unsigned char le[] = {
        0xFF, 0xFE, 'a', 0, 0xE9, 0, 0xAC, 0x20, 0x3D, 0xD8, 0x00, 0xDE, '\n', 0,
        /* lone low surrogate, lone high surrogate before 'b' */
        0x00, 0xDC, 0x3D, 0xD8, 'b', 0, '\r', 0, '\n', 0,
        /* a final odd byte */
        'c', 0, 'd'};
    for (size_t headn = 2; headn <= sizeof le; headn++) {
        mr_open(&mr, le, sizeof le, headn, 0);
        expect_line(&mr, "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
        expect_line(&mr, "\xEF\xBF\xBD\xEF\xBF\xBD" "b");
        expect_line(&mr, "c\xEF\xBF\xBD");
        expect_end(&mr);
        mr_close(&mr);
    }
}

static void test_lr_line_cap(void **state)
{
    struct memreader mr;
    char big[200];
    (void)state;

    /* cap 16: a longer line is cut and counted, the next one is intact */
    memset(big, 'x', sizeof big);
    memcpy(big + 100, "\r\nnext\n", 7);
    for (size_t headn = 0; headn <= 107; headn += 7) {
        mr_open(&mr, big, 107, headn, 16);
        expect_line(&mr, "xxxxxxxxxxxxxxxx");
        expect_line(&mr, "next");
        expect_end(&mr);
        assert_int_equal(lr_truncated(mr.lr), 1);
        mr_close(&mr);
    }
    /* exactly at the cap, with CRLF: not cut */
    mr_open(&mr, "0123456789abcdef\r\n0123456789abcdefg\n", 36, 5, 16);
    expect_line(&mr, "0123456789abcdef");
    expect_line(&mr, "0123456789abcdef");
    expect_end(&mr);
    assert_int_equal(lr_truncated(mr.lr), 1);
    mr_close(&mr);
    /* never cut inside a UTF-8 character: "é" straddles byte 16 */
    mr_open(&mr, "0123456789abcde\xC3\xA9xyz\n", 21, 0, 16);
    expect_line(&mr, "0123456789abcde");
    expect_end(&mr);
    mr_close(&mr);
    /* a line without end, far longer than the buffers: memory stays put */
    size_t n = 3 * 1024 * 1024;
    char *huge = malloc(n);
    assert_non_null(huge);
    memset(huge, 'q', n);
    mr_open(&mr, huge, n, 4096, 0);
    char *line;
    size_t len;
    assert_int_equal(lr_next(mr.lr, &line, &len), 1);
    assert_int_equal(len, LR_MAX_LINE);
    expect_end(&mr);
    assert_int_equal(lr_truncated(mr.lr), 1);
    mr_close(&mr);
    free(huge);
}

/* Deterministic line i of the boundary test: lengths 0..5000. */
static size_t mkline(unsigned i, char *out)
{
    size_t len = (i * 2654435761u >> 7) % (i % 97 == 0 ? 5000 : 300);
    for (size_t k = 0; k < len; k++)
        out[k] = (char)('!' + (i + k) % 90);
    out[len] = '\0';
    return len;
}

/* Lines crossing every buffer boundary, UTF-8 and UTF-16LE, CRLF or LF. */
static void test_lr_buffer_boundaries(void **state)
{
    enum { NLINES = 20000 };
    char *line = malloc(5003);
    unsigned char *data;
    size_t total = 2;
    struct memreader mr;
    (void)state;
    assert_non_null(line);
    for (unsigned i = 0; i < NLINES; i++)
        total += 2 * (mkline(i, line) + 2);
    data = malloc(total);
    assert_non_null(data);
    for (int u16 = 0; u16 <= 1; u16++) {
        size_t n = 0;
        if (u16) {
            data[n++] = 0xFF;
            data[n++] = 0xFE;
        }
        for (unsigned i = 0; i < NLINES; i++) {
            size_t len = mkline(i, line);
            memcpy(line + len, i % 3 ? "\r\n" : "\n", i % 3 ? 3 : 2);
            if (u16)
                n += to_utf16(line, data + n, 0, 0);
            else {
                memcpy(data + n, line, strlen(line));
                n += strlen(line);
            }
        }
        mr_open(&mr, data, n, SOURCE_HEAD, 0);
        for (unsigned i = 0; i < NLINES; i++) {
            char *got;
            size_t len, want = mkline(i, line);
            assert_int_equal(lr_next(mr.lr, &got, &len), 1);
            if (len != want || memcmp(got, line, len) != 0)
                fail_msg("line %u differs (%s)", i + 1, u16 ? "UTF-16LE" : "UTF-8");
        }
        expect_end(&mr);
        assert_int_equal(lr_line_number(mr.lr), NLINES);
        mr_close(&mr);
    }
    free(line);
    free(data);
}

/* ---- codes, patterns, matcher ------------------------------------------------ */

static void test_find_code(void **state)
{
    static const struct { const char *text; uint32_t code; } cases[] = {
        {"Failed [HRESULT = 0x800f081f - CBS_E_SOURCE_MISSING]", 0x800F081F},
        {"processed the command line but failed. HRESULT=800F081F", 0x800F081F},
        {"CPackageManagerCLIHandler::ExecuteCmdLine(hr:0x800f081f)", 0x800F081F},
        {"Web service call failed with hr = 8024402c.", 0x8024402C},
        {"*FAILED* [8024401C] Web service call", 0x8024401C},
        {"Failed to find updates with error code 8024402C", 0x8024402C},
        {"Exit code = 0x8024402C", 0x8024402C},
        /* success codes and the like are no failure */
        {"Reboot required: no [HRESULT = 0x00000000 - S_OK]", 0},
        {"Exit code = 0x00240005", 0},
        /* GUIDs, hashes, counters, plain numbers */
        {"ServiceId = {9482F4B4-E343-43B6-B170-9A65BC822C77}", 0},
        {"pkt {l:8 b:31bf3856ad364e35} 0000032e [SR]", 0},
        {"Download size 98765432 bytes", 0},
        {"id 0x800f081f5", 0},
        {"x0x800f081f", 0},
        /* the first failure code wins */
        {"PTError: 0x8024402c (was 0x80072ee2)", 0x8024402C},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint32_t code = 0;
        int found = textlog_find_code(cases[i].text, strlen(cases[i].text), &code);
        if (found != (cases[i].code != 0) || (found && code != cases[i].code))
            fail_msg("\"%s\": found %d 0x%08X, expected 0x%08X", cases[i].text, found,
                     code, cases[i].code);
    }
}

static void test_pattern_table(void **state)
{
    (void)state;
    assert_true(tl_patterns_len > 20);
    for (size_t i = 0; i < tl_patterns_len; i++) {
        const struct tl_pattern *p = &tl_patterns[i];
        assert_non_null(p->find);
        assert_true(p->find[0] != '\0');
        for (const char *c = p->find; *c; c++)
            assert_true((unsigned char)*c < 0x80);
        assert_true(p->formats != 0 && (p->formats & ~(unsigned)TL_ANY) == 0);
        if (p->event_id == 0)
            continue;                       /* an exclusion row */
        {
            /* a row for every format (sfc's sentences pasted anywhere) is
             * about servicing: its ID has a servicing-log meaning */
            enum ev_family fam = p->formats & TL_SERVICING ? EF_SERVICING_LOG : EF_WU_LOG;
            const struct ev_meaning *mn = ev_meaning_find(fam, p->event_id);
            if (!mn || !mn->label || mn->kind == EK_NONE)
                fail_msg("row %zu: event %d has no meaning in vocab/semantics.c", i,
                         p->event_id);
        }
        assert_true(p->level == 0 || (p->level >= 2 && p->level <= 4));
        /* no row hidden by an identical earlier one */
        for (size_t j = 0; j < i; j++) {
            const struct tl_pattern *q = &tl_patterns[j];
            if ((q->formats & p->formats) == p->formats && strcmp(q->find, p->find) == 0 &&
                q->flags == p->flags &&
                ((!q->also && !p->also) || (q->also && p->also && !strcmp(q->also, p->also))))
                fail_msg("row %zu (%s) never wins over row %zu", i, p->find, j);
        }
    }
    assert_null(ev_meaning_find(EF_SERVICING_LOG, 0));
    assert_null(ev_meaning_find(EF_WU_LOG, 99999));
    for (size_t i = 0; i < tl_patterns_len; i++) {
        const struct tl_pattern *p = &tl_patterns[i];
        /* a row cannot ask for both levels */
        assert_false((p->flags & TLP_LOGGED_ERROR) && (p->flags & TLP_NOT_ERROR));
        /* update attempts come from the agent's log only */
        if (p->event_id) {
            enum ev_kind k;
            ev_classify(TL_PROVIDER_WU, p->event_id, 4, &k, NULL);
            if ((k == EK_INSTALL || k == EK_DOWNLOAD || k == EK_SCAN ||
                 k == EK_RESTART_REQUIRED) && (p->formats & TL_SERVICING))
                fail_msg("row %zu (%s): an update attempt in a servicing log", i, p->find);
        }
    }
    /* every text-log meaning is produced by some row: no dead IDs */
    for (size_t i = 0; i < ev_meanings_len; i++) {
        const struct ev_meaning *mn = &ev_meanings[i];
        size_t j;
        if (mn->family != EF_SERVICING_LOG && mn->family != EF_WU_LOG)
            continue;
        for (j = 0; j < tl_patterns_len; j++)
            if (tl_patterns[j].event_id == mn->event_id &&
                (tl_patterns[j].formats & (mn->family == EF_WU_LOG ? TL_WU : TL_SERVICING)))
                break;
        if (j == tl_patterns_len)
            fail_msg("event %d (%s) has a meaning but no pattern row", mn->event_id, mn->label);
    }
}

struct mcase {
    enum tl_format fmt;
    int logged_error;
    const char *msg;
    int event_id;           /* 0: no event */
    uint32_t code;
};

static void test_matcher(void **state)
{
    static const struct mcase cases[] = {
        {TL_CBS, 0, "Failed to restore health. [HRESULT = 0x800f081f - CBS_E_SOURCE_MISSING]",
         TL_EV_SOURCE_MISSING, 0x800F081F},
        {TL_CBS, 0, "(p)\tCSI Payload Corrupt\t(n)\t\t\tamd64_x\\wuaueng.dll",
         TL_EV_PAYLOAD_CORRUPT, 0},
        {TL_CBS, 0, "(P)\tcsi payload CORRUPT\t(n)", TL_EV_PAYLOAD_CORRUPT, 0},
        {TL_CBS, 0, "Repair failed: Missing replacement payload.", TL_EV_PAYLOAD_MISSING, 0},
        {TL_CBS, 0, "Total Detected Corruption:\t2", TL_EV_CORRUPTION_FOUND, 0},
        {TL_CBS, 0, "Total Detected Corruption:\t0", TL_EV_NO_CORRUPTION, 0},
        {TL_CBS, 0, "Total Repaired Corruption:\t2", TL_EV_CORRUPTION_REPAIRED, 0},
        {TL_CBS, 0, "Total Repaired Corruption:\t0", 0, 0},
        {TL_CBS, 0, "\tCSI Payload Corruption:\t1", 0, 0},
        {TL_CBS, 0, "Operation result: 0x800f0906", TL_EV_OPERATION_FAILED, 0x800F0906},
        {TL_CBS, 0, "Operation result: 0x0", 0, 0},
        {TL_CBS, 0, "Store corruption, manifest missing for package: Package_1_for_KB3022345",
         TL_EV_STORE_CORRUPT, 0},
        {TL_CBS, 1, "Failed to resolve package [HRESULT = 0x80073712 - ERROR_SXS_COMPONENT_STORE_CORRUPT]",
         TL_EV_STORE_CORRUPT, 0x80073712},
        {TL_CBS, 0, "Session: 30612345_1 finalized. Reboot required: no [HRESULT = 0x800f0922 - CBS_E_INSTALLERS_FAILED]",
         TL_EV_SESSION_FAILED, 0x800F0922},
        {TL_CBS, 0, "Session: 30612345_1 finalized. Reboot required: no [HRESULT = 0x80070005 - E_ACCESSDENIED]",
         TL_EV_SESSION_ERROR, 0x80070005},
        /* a session that completed is neutral evidence the log was read */
        {TL_CBS, 0, "Session: 30612345_1 finalized. Reboot required: no [HRESULT = 0x00000000 - S_OK]",
         TL_EV_SESSION_OK, 0},
        {TL_CBS, 0, "Session: 30612345_1 initialized by client WindowsUpdateAgent", 0, 0},
        /* the generic error row needs the log's Error level */
        {TL_CBS, 1, "Startup: Failed [HRESULT = 0x800f0922 - CBS_E_INSTALLERS_FAILED]",
         TL_EV_SERVICING_ERROR, 0x800F0922},
        {TL_CBS, 0, "Failed to internally open package. [HRESULT = 0x800f0805 - CBS_E_INVALID_PACKAGE]", 0, 0},
        {TL_CBS, 0, "00000334 [SR] Cannot repair member file [l:11]\"wuaueng.dll\" of X",
         TL_EV_SFC_CANNOT_REPAIR, 0},
        {TL_CBS, 0, "00000336 [SR] Could not reproject corrupted file \\??\\C:\\x.dll; source file in store is also corrupted",
         TL_EV_SFC_STORE_CORRUPT, 0},
        {TL_CBS, 0, "Windows Resource Protection found corrupt files but was unable to fix some of them.",
         TL_EV_SFC_UNABLE, 0},
        {TL_CBS, 0, "Windows Resource Protection did not find any integrity violations.",
         TL_EV_SFC_CLEAN, 0},
        {TL_CBS, 0, "0000033d [SR] Verify and Repair Transaction completed. All files and registry keys listed in this transaction  have been successfully repaired",
         0, 0},
        /* DISM: the specific row first, the code comes along */
        {TL_DISM, 1, "Failed to restore the image health. - X::ProcessCmdLine_CleanupImage(hr:0x800f081f)",
         TL_EV_DISM_RESTORE_FAILED, 0x800F081F},
        {TL_DISM, 1, "DISM.EXE: DISM Package Manager processed the command line but failed. HRESULT=800F081F",
         TL_EV_DISM_FAILED, 0x800F081F},
        {TL_DISM, 0, "DISM.EXE: Executing command line: DISM  /Online /Cleanup-Image /RestoreHealth",
         TL_EV_DISM_RUN, 0},
        {TL_DISM, 0, "DISM.EXE: Executing command line: DISM /Online /Get-Packages",
         TL_EV_DISM_COMMAND, 0},
        {TL_DISM, 1, "Failed while processing command x. - X::ExecuteCmdLine(hr:0x80070005)",
         TL_EV_DISM_ERROR, 0x80070005},
        {TL_DISM, 0, "Error: 0x800f081f The source files could not be found.",
         TL_EV_SOURCE_MISSING, 0x800F081F},
        /* rows of one format do not fire in another */
        {TL_WU7, 0, "Total Detected Corruption:\t2", 0, 0},
        {TL_CBS, 0, "  * WARNING: Exit code = 0x8024402C", 0, 0},
        /* WindowsUpdate.log */
        {TL_WU7, 0, "  * WARNING: Exit code = 0x8024402C", TL_EV_WU_EXIT_ERROR, 0x8024402C},
        {TL_WU10, 0, "Exit code = 0x00000000, Result code = 0x00000000", TL_EV_WU_EXIT_OK, 0},
        {TL_WU7, 0, "  * WARNING: Failed to synchronize, error = 0x8024402C",
         TL_EV_WU_SYNC_FAILED, 0x8024402C},
        {TL_WU7, 0, "  * WSUS server: http://wsus01:8530", TL_EV_WU_WSUS_SERVER, 0},
        {TL_WU10, 0, "WSUS server: <NULL>", 0, 0},
        {TL_WU7, 0, "  + ServiceId = {3DA21691-E39D-4DA6-8A4B-B43877BCB1B7}, Server URL = http://wsus01:8530/ClientWebService/client.asmx",
         TL_EV_WU_ENDPOINT_WSUS, 0},
        {TL_WU10, 0, "ServiceId = {9482F4B4-E343-43B6-B170-9A65BC822C77}, Server URL = https://fe2cr.update.microsoft.com/v6/ClientWebService/client.asmx",
         TL_EV_WU_ENDPOINT_MS, 0},
        {TL_WU7, 0, "WARNING: SendRequest failed with hr = 80072ee7. Proxy List used: <p:8080> Bypass List used : <(null)>",
         TL_EV_WU_PROXY_FAILED, 0x80072EE7},
        {TL_WU10, 0, "WS error: There was an error communicating with the endpoint at 'https://x/'.",
         TL_EV_WU_ENDPOINT_ERROR, 0},
        {TL_WU7, 0, "FATAL: Failed to initialize datastore, error = 0x8007000E", TL_EV_WU_FATAL, 0x8007000E},
        {TL_WU10, 0, "*FAILED* [8024401C] Web service call", TL_EV_WU_FAILED, 0x8024401C},
        {TL_WU7, 0, "WARNING: PTError: 0x8024402c", TL_EV_WU_WARNING, 0x8024402C},
        {TL_WU10, 0, "Original error code: 0x80072EE2", TL_EV_WU_ERROR, 0x80072EE2},
        {TL_WU7, 0, "WARNING: Cached cookie has expired or new PID is available", 0, 0},
        {TL_WU10, 0, "Found 2 updates and 87 categories in search", TL_EV_WU_SCAN_OK, 0},
        {TL_WU10, 0, "", 0, 0},
        /* CBS: both summary layouts, neutral lines, mentions that are no result */
        {TL_CBS, 0, "Total Detected Corruption: (CBS Manifest Corruption: 0, CBS Metadata Corruption: 0, CSI Manifest Corruption: 0, CSI Metadata Corruption: 0, CSI Payload Corruption: 1)",
         TL_EV_CORRUPTION_FOUND, 0},
        {TL_CBS, 0, "Total Detected Corruption: (CBS Manifest Corruption: 0, CBS Metadata Corruption: 0, CSI Manifest Corruption: 0, CSI Metadata Corruption: 0, CSI Payload Corruption: 0)",
         TL_EV_NO_CORRUPTION, 0},
        {TL_CBS, 0, "Total Repaired Corruption: (CBS Manifest Repaired: 0, CSI Manifest Repaired: 0, CSI Payload Repaired: 2, CSI Store Metadata refreshed: True)",
         TL_EV_CORRUPTION_REPAIRED, 0},
        {TL_CBS, 0, "Total Repaired Corruption: (CBS Manifest Repaired: 0, CSI Manifest Repaired: 0, CSI Payload Repaired: 0, CSI Store Metadata refreshed: True)",
         0, 0},
        {TL_CBS, 0, "Client specifies store corruption detect and repair.", 0, 0},
        {TL_CBS, 0, "Exec: Processing complete, generating the store corruption status report.", 0, 0},
        {TL_CBS, 0, "Failed to get package applicability [HRESULT = 0x800f0805 - CBS_E_INVALID_PACKAGE]", 0, 0},
        {TL_CBS, 1, "Failed to get package applicability [HRESULT = 0x800f0805 - CBS_E_INVALID_PACKAGE]",
         TL_EV_SERVICING_ERROR, 0x800F0805},
        {TL_CBS, 0, "Loaded Servicing Stack v6.1.7601.23505 with Core: C:\\Windows\\winsxs\\x\\cbscore.dll",
         TL_EV_SERVICING_STACK, 0},
        {TL_CBS, 0, "TI: --- Initializing Trusted Installer ---", TL_EV_TI_START, 0},
        /* DISM: sessions, offline servicing, Disk Cleanup noise */
        {TL_DISM, 0, "DISM.EXE: <----- Starting Dism.exe session ----->", TL_EV_DISM_SESSION, 0},
        {TL_DISM, 1, "DISM OS Provider: Failed to load the offline registry hive - X::Final_OnConnect(hr:0x80070020)",
         TL_EV_DISM_IN_USE, 0x80070020},
        {TL_DISM, 1, "DISM Provider Store: Failed to enumerate $Windows.~BT - EnumeratePathEx(hr:0x80070003)", 0, 0},
        {TL_DISM, 0, "DISM.EXE: The operation completed successfully.", TL_EV_DISM_OK, 0},
        /* WindowsUpdate.log: update attempts and settings */
        {TL_WU10, 0, "*FAILED* [80246007] IsCommitRequired", 0, 0},
        {TL_WU10, 0, "ResetPendingBlocks: Directory C:\\Windows\\SoftwareDistribution\\Download\\3d failed, 0x80070002", 0, 0},
        {TL_WU10, 0, "Install complete for update ID: AD27E52B-9E18-408A-9DF2-8688E5273FBF.1 Return code is 0x80070002. Requires Reboot:No",
         TL_EV_WU_INSTALL_FAILED, 0x80070002},
        {TL_WU10, 0, "Install complete for update ID: AD27E52B-9E18-408A-9DF2-8688E5273FBF.1 Return code is 0x00000000. Requires Reboot:Yes",
         TL_EV_WU_INSTALL_OK, 0},
        {TL_WU10, 0, "Command line install completed. Return code = 0x00000000, Exit Status Description = (null), Result = Succeeded, Reboot required = false",
         TL_EV_WU_INSTALL_OK, 0},
        {TL_WU10, 0, "Reboot required = True", TL_EV_WU_RESTART_REQUIRED, 0},
        {TL_WU10, 0, "Reboot required = False", 0, 0},
        {TL_WU10, 0, "DO job {CCAB240A-51FF-4187-94CC-CFC5BBDC7A3C} 403'd, updateId = 3D18C507-5592-4849-BC1F-7EC247A782E9.1, hr = 0x80190193, BG_ERROR_CONTEXT = 5",
         TL_EV_WU_DOWNLOAD_REFUSED, 0x80190193},
        {TL_WU10, 0, "* END * Finding updates CallerId = Update;, Id = 96, Exit code = 0x8024402C",
         TL_EV_WU_SCAN_FAILED, 0x8024402C},
        {TL_WU7, 0, "Error 0x80096010 occurred while downloading update; notifying dependent calls.",
         TL_EV_WU_DOWNLOAD_FAILED, 0x80096010},
        {TL_WU10, 0, "*FAILED* [80240061] File verification of a downloaded file", TL_EV_WU_DOWNLOAD_FAILED, 0x80240061},
        {TL_WU7, 0, "  # AU disabled through User preference", TL_EV_WU_AU_DISABLED, 0},
        {TL_WU7, 0, "  # AU disabled through Policy", TL_EV_WU_AU_DISABLED, 0},
        {TL_WU7, 0, "  # Approval type: Scheduled (User preference)", TL_EV_WU_AU_ENABLED, 0},
        {TL_WU7, 0, "===========  Logging initialized (build: 7.6.7600.256, tz: +0530)  ===========",
         TL_EV_WU_LOG_START, 0},
        {TL_WU7, 0, "REPORT EVENT: {X}\t2021-09-01\t1\t182 [AGENT_INSTALLING_FAILED]\t101\t{Y}\t201\t80070002\tAU\tFailure\tContent Install\tInstallation Failure: Windows failed to install the following update with error 0x80070002: Update (KB1).",
         TL_EV_WU_INSTALL_FAILED, 0x80070002},
        {TL_WU7, 0, "REPORT EVENT: {X}\t2021-09-01\t1\t147 [AGENT_DOWNLOAD_SUCCEEDED]\t101\t{Y}\t201\t0\tAutomaticUpdates\tSuccess\tContent Download\tDownload succeeded.",
         TL_EV_WU_DOWNLOAD_OK, 0},
        {TL_WU7, 0, "Installation Successful: Windows successfully installed the following update: Update (KB2)",
         TL_EV_WU_INSTALL_OK, 0},
        {TL_WU7, 0, "Restart Required: To complete the installation of the following updates, the computer must be restarted.",
         TL_EV_WU_RESTART_REQUIRED, 0},
    };
    struct tl_matcher *m[TL_WU10 + 1] = {NULL};
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct mcase *c = &cases[i];
        struct tl_match mt;
        if (!m[c->fmt])
            assert_non_null(m[c->fmt] = tl_matcher_new(c->fmt));
        int got = tl_match_line(m[c->fmt], c->msg, strlen(c->msg), c->logged_error, &mt);
        if (got != (c->event_id != 0) || (got && mt.pattern->event_id != c->event_id))
            fail_msg("\"%s\": event %d, expected %d", c->msg,
                     got ? mt.pattern->event_id : 0, c->event_id);
        if (got && (mt.has_code != (c->code != 0) || (c->code && mt.code != c->code)))
            fail_msg("\"%s\": code 0x%08X, expected 0x%08X", c->msg, mt.code, c->code);
        /* and on the hits of a keyset of the format's row texts, as the
         * source matches a line: the same answer */
        {
            const char *keys[256];
            uint64_t hits[4] = {0};
            size_t nk = 0;
            struct tl_match mh;
            for (size_t r = 0; r < tl_patterns_len; r++)
                if (tl_patterns[r].formats & (unsigned)c->fmt)
                    keys[nk++] = tl_patterns[r].find;
            struct keyset *ks = ks_new(keys, NULL, nk);
            assert_non_null(ks);
            ks_hits(ks, c->msg, strlen(c->msg), hits);
            int goth = tl_match_hits(m[c->fmt], c->msg, strlen(c->msg), c->logged_error,
                                     hits, &mh);
            if (goth != got || (got && (mh.pattern != mt.pattern || mh.has_code != mt.has_code ||
                                        mh.code != mt.code)))
                fail_msg("\"%s\": tl_match_hits differs from tl_match_line", c->msg);
            ks_free(ks);
        }
        /* the same line padded long enough to run interleaved */
        if (c->event_id) {
            char *padded = tu_fmt("%s%0400d%s", "                                        "
                                  "                                        ", 0, c->msg);
            got = tl_match_line(m[c->fmt], padded, strlen(padded), c->logged_error, &mt);
            if (!got || mt.pattern->event_id != c->event_id)
                fail_msg("padded \"%s\": not matched as %d", c->msg, c->event_id);
            free(padded);
        }
    }
    for (size_t f = 0; f <= TL_WU10; f++)
        tl_matcher_free(m[f]);
}

/* A pattern occurring at every offset of a long line is found: no blind
 * spot where the interleaved pieces of a line meet. */
static void test_matcher_every_offset(void **state)
{
    struct tl_matcher *m = tl_matcher_new(TL_CBS);
    const char *key = "Repair failed: Missing replacement payload.";
    char buf[600];
    struct tl_match mt;
    (void)state;
    assert_non_null(m);
    for (size_t len = strlen(key); len < sizeof buf; len += 37)
        for (size_t at = 0; at + strlen(key) <= len; at++) {
            memset(buf, 'z', len);
            memcpy(buf + at, key, strlen(key));
            if (!tl_match_line(m, buf, len, 0, &mt) ||
                mt.pattern->event_id != TL_EV_PAYLOAD_MISSING)
                fail_msg("missed at offset %zu of %zu", at, len);
        }
    memset(buf, 'z', sizeof buf);
    assert_int_equal(tl_match_line(m, buf, sizeof buf, 1, &mt), 0);
    tl_matcher_free(m);
}

/* ---- detection ---------------------------------------------------------------- */

static const struct wu_source *detect_file(const char *rel)
{
    char *path = tu_src_file(rel);
    size_t len;
    char *data = tu_read_file(path, &len);
    const struct wu_source *s = source_detect((const unsigned char *)data,
                                              len < SOURCE_HEAD ? len : SOURCE_HEAD);
    free(data);
    free(path);
    return s;
}

static const struct wu_source *detect_str(const char *s)
{
    return source_detect((const unsigned char *)s, strlen(s));
}

static void test_detect(void **state)
{
    unsigned char u16[512];
    (void)state;
    assert_ptr_equal(detect_file("samples/textlog/CBS.log"), &textlog_source);
    assert_ptr_equal(detect_file("samples/textlog/CBS-utf16le.log"), &textlog_source);
    assert_ptr_equal(detect_file("samples/textlog/dism.log"), &textlog_source);
    assert_ptr_equal(detect_file("samples/textlog/WindowsUpdate-win7.log"), &textlog_source);
    assert_ptr_equal(detect_file("samples/textlog/WindowsUpdate-win10.log"), &textlog_source);
    /* evtx and XML still win */
    assert_ptr_equal(detect_str("<Events><Event/></Events>"), &xml_source);
    assert_ptr_equal(source_detect((const unsigned char *)"ElfFile\0xxxxxxxx", 16),
                     &evtx_source);
    /* not a log */
    assert_null(detect_file("README.md"));
    assert_null(detect_str("hello\nworld\n"));
    assert_null(detect_str("2023-05-10 12:34:56 no comma here\n"));
    static const char elf[] = "\x7f" "ELF\x02\x01\x01\0\0\0\0\n"
                              "2023-05-10 12:34:56, Info  CBS  x\n";
    assert_null(source_detect((const unsigned char *)elf, sizeof elf - 1));
    /* a timestamped line may follow a few others (DISM's "[pid]" lines) */
    assert_ptr_equal(detect_str("[6412] [0x80070002] FIOReadFileIntoBuffer:(1415)\n"
                                "2023-05-10 10:02:15, Info                  DISM   x\n"),
                     &textlog_source);
    /* UTF-16BE without BOM */
    size_t n = to_utf16("2017/07/23 07:25:41.8040000 996   1234  Agent    x\r\n", u16, 1, 0);
    assert_ptr_equal(source_detect(u16, n), &textlog_source);
}

/* ---- rules (models in memory) ------------------------------------------------ */

static struct m_event *tev(struct model *m, int64_t t, const char *provider,
                           const char *channel, int id, uint32_t code)
{
    struct m_event *e = model_add_event(m);
    assert_non_null(e);
    e->time_us = t;
    e->record_id = (int64_t)m->nevents;
    e->event_id = id;
    e->level = code ? 2 : 4;
    e->provider = model_strdup(m, provider);
    e->channel = model_strdup(m, channel);
    if (code) {
        e->has_code = 1;
        e->code = code;
    }
    if (!m->first_us)
        m->first_us = t;
    m->last_us = t;
    m->generated_us = t + 3600 * SEC_US;
    return e;
}

static struct m_event *cbs(struct model *m, int64_t t, int id, uint32_t code)
{
    return tev(m, t, TL_PROVIDER_CBS, "CBS.log", id, code);
}

static struct m_event *wul(struct model *m, int64_t t, int id, uint32_t code)
{
    return tev(m, t, TL_PROVIDER_WU, "WindowsUpdate.log", id, code);
}

static const struct finding *run_rule(struct model *m, struct diagnosis *d,
                                      const char *rule)
{
    const struct finding *f = NULL;
    diagnosis_free(d);          /* the previous run's, if any (zeroed: none) */
    assert_int_equal(diagnose(m, d), 0);
    for (size_t i = 0; i < d->n; i++)
        if (strcmp(d->findings[i].rule, rule) == 0) {
            if (f)
                fail_msg("two %s findings", rule);
            f = &d->findings[i];
        }
    return f;
}

static int has_code(const struct finding *f, uint32_t code)
{
    for (size_t i = 0; i < f->ncodes; i++)
        if (f->codes[i] == code)
            return 1;
    return 0;
}

static void test_model_source(void **state)
{
    (void)state;
    assert_int_equal(ev_family_of("CBS"), EF_SERVICING_LOG);
    assert_int_equal(ev_family_of("DISM"), EF_SERVICING_LOG);
    assert_int_equal(ev_family_of("WindowsUpdateAgent-Log"), EF_WU_LOG);
    assert_int_equal(ev_family_of("Microsoft-Windows-CBS"), EF_SERVICING);
}

static void test_rule_servicing_corruption(void **state)
{
    struct diagnosis d = {0};
    const struct finding *f;
    struct model *m;
    (void)state;

    /* corrupt store, the repair failed for want of a source: critical, /Source */
    m = model_new();
    cbs(m, t2023(9, 14, 41), TL_EV_STORE_CORRUPT, 0x80073712);
    cbs(m, t2023(10, 9, 58), TL_EV_PAYLOAD_CORRUPT, 0);
    cbs(m, t2023(10, 9, 58), TL_EV_CORRUPTION_FOUND, 0);
    tev(m, t2023(10, 9, 58), TL_PROVIDER_DISM, "DISM.log", TL_EV_DISM_RESTORE_FAILED,
        0x800F081F);
    f = run_rule(m, &d, "servicing-corruption");
    assert_non_null(f);
    assert_int_equal(f->severity, SEV_CRITICAL);
    assert_false(f->resolved);
    assert_string_equal(f->fix_id, "dism-restorehealth-source");
    assert_true(has_code(f, 0x80073712) && has_code(f, 0x800F081F));
    assert_int_equal(f->count, 4);
    assert_int_equal(f->nevidence, 4);
    assert_contains(f->evidence[3].text, "DISM.log line 4: DISM /RestoreHealth failed", "evidence");
    assert_int_equal(d.verdict, VERDICT_CRITICAL);
    diagnosis_free(&d);
    model_free(m);

    /* corruption only: plain RestoreHealth */
    m = model_new();
    cbs(m, t2023(10, 9, 58), TL_EV_PAYLOAD_MISSING, 0);
    f = run_rule(m, &d, "servicing-corruption");
    assert_non_null(f);
    assert_int_equal(f->severity, SEV_CRITICAL);
    assert_string_equal(f->fix_id, "dism-restorehealth");
    diagnosis_free(&d);
    model_free(m);

    /* a missing source alone (e.g. enabling .NET 3.5): warning, /Source */
    m = model_new();
    tev(m, t2023(10, 0, 0), TL_PROVIDER_DISM, "DISM.log", TL_EV_SOURCE_MISSING, 0x800F081F);
    f = run_rule(m, &d, "servicing-corruption");
    assert_non_null(f);
    assert_int_equal(f->severity, SEV_WARNING);
    assert_string_equal(f->fix_id, "dism-restorehealth-source");
    assert_contains(f->title, "0x800F081F", "title");
    diagnosis_free(&d);
    model_free(m);

    /* repaired later: history only */
    m = model_new();
    cbs(m, t2023(9, 0, 0), TL_EV_CORRUPTION_FOUND, 0);
    cbs(m, t2023(9, 0, 0), TL_EV_SOURCE_MISSING, 0x800F081F);
    cbs(m, t2023(14, 0, 0), TL_EV_CORRUPTION_FOUND, 0);
    cbs(m, t2023(14, 0, 0), TL_EV_CORRUPTION_REPAIRED, 0);
    f = run_rule(m, &d, "servicing-corruption");
    assert_non_null(f);
    assert_true(f->resolved);
    assert_int_equal(f->severity, SEV_INFO);
    assert_int_equal(d.verdict, VERDICT_HEALTHY);
    diagnosis_free(&d);
    model_free(m);

    /* ... but corruption after the clean scan is open again */
    m = model_new();
    cbs(m, t2023(9, 0, 0), TL_EV_NO_CORRUPTION, 0);
    cbs(m, t2023(15, 0, 0), TL_EV_STORE_CORRUPT, 0x800F0831);
    f = run_rule(m, &d, "servicing-corruption");
    assert_non_null(f);
    assert_false(f->resolved);
    assert_int_equal(f->nevidence, 1);
    diagnosis_free(&d);
    model_free(m);

    /* silent: nothing from servicing logs, or only harmless lines; and the
     * same codes in other logs are other rules' business */
    m = model_new();
    cbs(m, t2023(9, 0, 0), TL_EV_NO_CORRUPTION, 0);
    cbs(m, t2023(9, 0, 0), TL_EV_DISM_RUN, 0);
    cbs(m, t2023(9, 0, 1), TL_EV_SERVICING_ERROR, 0x800F0922);
    tev(m, t2023(9, 0, 2), "Microsoft-Windows-WindowsUpdateClient", "System", 20, 0x800F081F);
    assert_null(run_rule(m, &d, "servicing-corruption"));
    diagnosis_free(&d);
    model_free(m);
}

static void test_rule_sfc_result(void **state)
{
    struct diagnosis d = {0};
    const struct finding *f;
    struct model *m;
    (void)state;

    m = model_new();
    cbs(m, t2023(10, 38, 12), TL_EV_SFC_CANNOT_REPAIR, 0);
    cbs(m, t2023(10, 38, 14), TL_EV_SFC_STORE_CORRUPT, 0);
    f = run_rule(m, &d, "sfc-result");
    assert_non_null(f);
    assert_int_equal(f->severity, SEV_WARNING);
    assert_false(f->resolved);
    assert_string_equal(f->fix_id, "dism-restorehealth");
    assert_contains(f->title, "could not repair", "title");
    assert_int_equal(f->count, 2);
    diagnosis_free(&d);
    model_free(m);

    /* with a missing repair source in the same log: the /Source fix */
    m = model_new();
    cbs(m, t2023(10, 0, 0), TL_EV_SOURCE_MISSING, 0x800F081F);
    cbs(m, t2023(10, 38, 12), TL_EV_SFC_UNABLE, 0);
    f = run_rule(m, &d, "sfc-result");
    assert_non_null(f);
    assert_string_equal(f->fix_id, "dism-restorehealth-source");
    diagnosis_free(&d);
    model_free(m);

    /* a later clean scan resolves it */
    m = model_new();
    cbs(m, t2023(10, 38, 12), TL_EV_SFC_CANNOT_REPAIR, 0);
    cbs(m, t2023(12, 0, 0), TL_EV_SFC_CLEAN, 0);
    f = run_rule(m, &d, "sfc-result");
    assert_non_null(f);
    assert_true(f->resolved);
    assert_int_equal(f->severity, SEV_INFO);
    diagnosis_free(&d);
    model_free(m);

    /* repaired files only: history */
    m = model_new();
    cbs(m, t2023(10, 38, 12), TL_EV_SFC_REPAIRED_FILE, 0);
    f = run_rule(m, &d, "sfc-result");
    assert_non_null(f);
    assert_true(f->resolved);
    assert_string_equal(f->fix_id, "sfc-scannow");
    diagnosis_free(&d);
    model_free(m);

    /* a clean scan alone says nothing */
    m = model_new();
    cbs(m, t2023(10, 38, 12), TL_EV_SFC_CLEAN, 0);
    assert_null(run_rule(m, &d, "sfc-result"));
    diagnosis_free(&d);
    model_free(m);
}

static void test_rule_update_connectivity(void **state)
{
    struct diagnosis d = {0};
    const struct finding *f;
    struct model *m;
    (void)state;

    /* proxy / DNS: netsh winhttp */
    m = model_new();
    wul(m, t2023(9, 0, 0), TL_EV_WU_ENDPOINT_MS, 0);
    wul(m, t2023(9, 1, 0), TL_EV_WU_WARNING, 0x80072EE7);
    wul(m, t2023(9, 1, 0), TL_EV_WU_EXIT_ERROR, 0x8024402C);
    f = run_rule(m, &d, "update-connectivity");
    assert_non_null(f);
    assert_int_equal(f->severity, SEV_WARNING);
    assert_string_equal(f->fix_id, "check-proxy");
    assert_true(has_code(f, 0x80072EE7) && has_code(f, 0x8024402C));
    assert_contains(f->title, "0x8024402C", "title");
    diagnosis_free(&d);
    model_free(m);

    /* a WSUS server in policy: the policy check; three failed calls: critical */
    m = model_new();
    wul(m, t2023(8, 0, 0), TL_EV_WU_WSUS_SERVER, 0);
    for (int i = 0; i < 3; i++)
        wul(m, t2023(9 + i, 0, 0), TL_EV_WU_EXIT_ERROR, 0x80072EE2);
    f = run_rule(m, &d, "update-connectivity");
    assert_non_null(f);
    assert_int_equal(f->severity, SEV_CRITICAL);
    assert_string_equal(f->fix_id, "check-wsus-policy");
    assert_contains(f->title, "WSUS", "title");
    assert_contains(f->evidence[f->nevidence - 1].text, "WSUS", "evidence");
    diagnosis_free(&d);
    model_free(m);

    /* TLS: the knowledge base's fix for the code */
    m = model_new();
    wul(m, t2023(9, 0, 0), TL_EV_WU_ERROR, 0x80072F8F);
    f = run_rule(m, &d, "update-connectivity");
    assert_non_null(f);
    assert_string_equal(f->fix_id, "check-network-tls");
    diagnosis_free(&d);
    model_free(m);

    /* a later successful call: history */
    m = model_new();
    wul(m, t2023(9, 0, 0), TL_EV_WU_EXIT_ERROR, 0x8024401C);
    wul(m, t2023(11, 0, 0), TL_EV_WU_EXIT_OK, 0);
    f = run_rule(m, &d, "update-connectivity");
    assert_non_null(f);
    assert_true(f->resolved);
    assert_int_equal(d.verdict, VERDICT_HEALTHY);
    diagnosis_free(&d);
    model_free(m);

    /* silent: other errors, or network codes outside WindowsUpdate.log */
    m = model_new();
    wul(m, t2023(9, 0, 0), TL_EV_WU_FATAL, 0x8007000E);
    cbs(m, t2023(9, 0, 1), TL_EV_SERVICING_ERROR, 0x80072EE2);
    assert_null(run_rule(m, &d, "update-connectivity"));
    diagnosis_free(&d);
    model_free(m);
}

/* ---- import end to end -------------------------------------------------------- */

static int import(struct tu_run *r, const char *db, const char *opt, const char *file)
{
    return tu_run(r, "%s --db %s import %s %s", tu_shq(tu_bin()), tu_shq(db),
                  opt ? opt : "", tu_shq(file));
}

static void import_ok(const char *db, const char *opt, const char *rel, const char *stats)
{
    struct tu_run r;
    char *path = tu_src_file(rel);
    import(&r, db, opt, path);
    tu_assert_exit(&r, 0);
    assert_contains(r.out, stats, "import output");
    tu_run_free(&r);
    free(path);
}

static void test_import_cbs(void **state)
{
    struct tu_fx *f = *state;
    import_ok(f->db, "--host pc1", "samples/textlog/CBS.log",
              "60 read, 20 stored, 40 unrelated, 0 duplicates, 0 damaged");
    expect_db(f->db, "SELECT count(*) FROM events WHERE channel = 'CBS.log' AND provider = 'CBS'", 20);
    expect_db(f->db, "SELECT count(*) FROM events e JOIN hosts h ON h.id = e.host_id"
              " WHERE h.name = 'pc1' AND computer = ''", 20);
    /* two starts of TrustedInstaller: neutral evidence that the log was read */
    expect_db(f->db, "SELECT count(*) FROM events WHERE event_id = 114 AND kind = 'servicing'"
              " AND ifnull(outcome, '') = ''", 2);
    /* the 0x800F081F lines: summary, two "Failed to ... health", session end */
    expect_db(f->db, "SELECT count(*) FROM events WHERE code = 2148468767", 4);
    expect_db(f->db, "SELECT count(*) FROM events WHERE event_id = 101", 3);
    expect_db(f->db, "SELECT record_id FROM events WHERE event_id = 108", 27);
    expect_db(f->db, "SELECT time_us FROM events WHERE event_id = 108", t2023(10, 9, 58));
    expect_db(f->db, "SELECT count(*) FROM events WHERE event_id IN (301, 302)", 3);
    expect_db(f->db, "SELECT level FROM events WHERE record_id = 60", 2);
    expect_db(f->db, "SELECT count(*) FROM events WHERE record_id = 29 AND event_id = 105", 1);
    /* Info lines with benign codes are no events */
    expect_db(f->db, "SELECT count(*) FROM events WHERE code = 2148468741", 0);
    /* the stored line: trimmed, tabs kept */
    char *line = tu_sql_text(f->db, "SELECT json_extract(data, '$.line') FROM events"
                             " WHERE record_id = 20");
    assert_string_equal(line, "2023-05-10 10:09:58, Info                  CBS    "
                        "(p)\tCSI Payload Corrupt\t(n)\t\t\tamd64_microsoft-windows-wuaueng_"
                        "31bf3856ad364e35_10.0.19041.2965_none_f0d2b8bc4c3d3e6a\\wuaueng.dll");
    free(line);
    line = tu_sql_text(f->db, "SELECT json_extract(data, '$.hr') FROM events WHERE record_id = 44");
    assert_string_equal(line, "0x800F081F");
    free(line);
    expect_db(f->db, "SELECT count(*) FROM coverage WHERE status = 'ok' AND detail ="
              " 'textlog CBS.log; times are local, no offset stated'", 1);
    /* the other lines: unrelated, counted per provider */
    expect_db(f->db, "SELECT count FROM unrelated_counts WHERE provider = 'CBS'", 40);
}

static void test_import_dism(void **state)
{
    struct tu_fx *f = *state;
    import_ok(f->db, "--host pc1", "samples/textlog/dism.log",
              "20 read, 6 stored, 14 unrelated, 0 duplicates, 0 damaged");
    expect_db(f->db, "SELECT count(*) FROM events WHERE channel = 'DISM.log' AND provider = 'DISM'", 6);
    expect_db(f->db, "SELECT record_id FROM events WHERE event_id = 206", 5);
    expect_db(f->db, "SELECT count(*) FROM events WHERE code = 2148468767", 4);
    expect_db(f->db, "SELECT record_id FROM events WHERE event_id = 201", 14);
    expect_db(f->db, "SELECT record_id FROM events WHERE event_id = 203", 8);
}

static void test_import_windowsupdate(void **state)
{
    struct tu_fx *f = *state;
    char *s;

    import_ok(f->db, "--host w7", "samples/textlog/WindowsUpdate-win7.log",
              "56 read, 22 stored, 34 unrelated");
    import_ok(f->db, "--host w10", "samples/textlog/WindowsUpdate-win10.log",
              "33 read, 13 stored, 20 unrelated");
    expect_db(f->db, "SELECT count(*) FROM events WHERE channel = 'WindowsUpdate.log'"
              " AND provider = 'WindowsUpdateAgent-Log'", 35);
    /* the Automatic Updates setting (Windows 7) and a successful scan (10) */
    expect_db(f->db, "SELECT record_id FROM events WHERE event_id = 439", 17);
    expect_db(f->db, "SELECT record_id FROM events WHERE event_id = 431 AND kind = 'scan'"
              " AND outcome = 'succeeded'", 30);
    /* Windows 7: milliseconds; the WSUS endpoint and the proxy */
    expect_db(f->db, "SELECT time_us FROM events WHERE record_id = 38 AND event_id = 401"
              " AND code = 2149859372", (1500794744LL * SEC_US) + 226000);
    s = tu_sql_text(f->db, "SELECT json_extract(data, '$.url') FROM events WHERE record_id = 9");
    assert_string_equal(s, "http://wsus01.corp.contoso.com:8530");
    free(s);
    s = tu_sql_text(f->db, "SELECT json_extract(data, '$.proxy') FROM events WHERE record_id = 32");
    assert_string_equal(s, "proxy.corp.contoso.com:8080");
    free(s);
    expect_db(f->db, "SELECT count(*) FROM events WHERE event_id = 421", 2);
    expect_db(f->db, "SELECT level FROM events WHERE event_id = 403", 2);
    expect_db(f->db, "SELECT count(*) FROM events WHERE event_id = 422", 2);
    /* Windows 10: 100 ns fractions kept to the microsecond */
    expect_db(f->db, "SELECT time_us FROM events WHERE record_id = 24 AND event_id = 401",
              t2023(9, 1, 23) + 420311);
    expect_db(f->db, "SELECT count(*) FROM events WHERE event_id = 420", 2);
    expect_db(f->db, "SELECT count(*) FROM events WHERE event_id = 430", 1);
    expect_db(f->db, "SELECT count(*) FROM events WHERE event_id = 404", 3);
}

static void test_import_utf16_same_events(void **state)
{
    struct tu_fx *f = *state;
    static const char digest[] =
        "SELECT group_concat(event_id || ':' || record_id || ':' || time_us || ':' ||"
        " ifnull(code, '') || ':' || level || ':' || data, '|') FROM (SELECT * FROM events e"
        " JOIN hosts h ON h.id = e.host_id WHERE h.name = '%s' ORDER BY record_id)";
    char *q8 = tu_fmt(digest, "u8"), *q16 = tu_fmt(digest, "u16");

    import_ok(f->db, "--host u8", "samples/textlog/CBS.log", "20 stored");
    import_ok(f->db, "--host u16", "samples/textlog/CBS-utf16le.log",
              "60 read, 20 stored, 40 unrelated, 0 duplicates, 0 damaged");
    char *a = tu_sql_text(f->db, q8), *b = tu_sql_text(f->db, q16);
    assert_true(strlen(a) > 1000);
    assert_string_equal(a, b);
    free(a);
    free(b);
    free(q8);
    free(q16);
}

static void test_import_host_hint_and_reimport(void **state)
{
    struct tu_fx *f = *state;
    char *cbs = tu_src_file("samples/textlog/CBS.log");
    char *dism = tu_src_file("samples/textlog/dism.log");
    struct tu_run r;

    tu_run(&r, "%s --db %s import %s %s", tu_shq(tu_bin()), tu_shq(f->db), tu_shq(cbs),
           tu_shq(dism));
    tu_assert_exit(&r, 0);
    assert_int_equal(count_of(r.err, "text log has no host name"), 1);
    assert_contains(r.err, "--host", "stderr");
    tu_run_free(&r);
    expect_db(f->db, "SELECT count(*) FROM events e JOIN hosts h ON h.id = e.host_id"
              " WHERE h.name = 'unknown'", 26);

    /* the same content again: recognised; --force: every event a duplicate */
    import(&r, f->db, "", cbs);
    tu_assert_exit(&r, 0);
    assert_contains(r.out, "same content already imported", "stdout");
    tu_run_free(&r);
    import(&r, f->db, "--force", cbs);
    tu_assert_exit(&r, 0);
    assert_contains(r.out, "60 read, 0 stored, 40 unrelated, 20 duplicates", "stdout");
    tu_run_free(&r);

    /* with --host: no hint */
    import(&r, f->db, "--host pc9", cbs);
    tu_assert_exit(&r, 0);
    assert_null(strstr(r.err, "no host name"));
    tu_run_free(&r);

    /* stdin */
    tu_run(&r, "%s --db %s import --host piped - < %s", tu_shq(tu_bin()), tu_shq(f->db),
           tu_shq(dism));
    tu_assert_exit(&r, 0);
    assert_contains(r.out, "<stdin>: 20 read, 6 stored", "stdout");
    tu_run_free(&r);
    free(cbs);
    free(dism);
}

static void test_import_not_a_log(void **state)
{
    struct tu_fx *f = *state;
    char *p = tu_path(f->dir, "notes.log");
    struct tu_run r;

    tu_write_str(p, "Dear diary,\r\ntoday DISM failed with 0x800f081f.\r\n");
    import(&r, f->db, "", p);
    tu_assert_exit(&r, 3);
    assert_contains(r.err, "CBS.log", "stderr");
    tu_run_free(&r);
    free(p);
}

/* Find the JSON object of one finding in a report. */
static char *finding_json(const char *json, const char *rule)
{
    char *key = tu_fmt("{\"rule\":\"%s\"", rule);
    const char *p = strstr(json, key), *e;
    free(key);
    if (!p)
        return NULL;
    e = strstr(p + 1, "{\"rule\":");
    if (!e)
        e = p + strlen(p);
    char *out = malloc((size_t)(e - p) + 1);
    assert_non_null(out);
    memcpy(out, p, (size_t)(e - p));
    out[e - p] = '\0';
    return out;
}

static void test_report_from_text_logs(void **state)
{
    struct tu_fx *f = *state;
    struct tu_run r;
    char *fj;

    import_ok(f->db, "--host pc1", "samples/textlog/CBS.log", "20 stored");
    import_ok(f->db, "--host pc1", "samples/textlog/dism.log", "6 stored");
    import_ok(f->db, "--host w7", "samples/textlog/WindowsUpdate-win7.log", "22 stored");
    import_ok(f->db, "--host w10", "samples/textlog/WindowsUpdate-win10.log", "13 stored");

    tu_run(&r, "%s --db %s report --host pc1 --format json", tu_shq(tu_bin()), tu_shq(f->db));
    tu_assert_exit(&r, 0);
    assert_contains(r.out, "\"verdict\":\"critical\"", "report");
    fj = finding_json(r.out, "servicing-corruption");
    assert_non_null(fj);
    assert_contains(fj, "\"severity\":\"critical\",\"resolved\":false", "finding");
    assert_contains(fj, "\"id\":\"dism-restorehealth-source\"", "finding");
    assert_contains(fj, "/LimitAccess", "finding");
    assert_contains(fj, "CBS.log line 46", "finding");
    free(fj);
    fj = finding_json(r.out, "sfc-result");
    assert_non_null(fj);
    assert_contains(fj, "\"severity\":\"warning\"", "finding");
    free(fj);
    tu_run_free(&r);

    tu_run(&r, "%s --db %s report --host pc1 --check", tu_shq(tu_bin()), tu_shq(f->db));
    tu_assert_exit(&r, 2);
    tu_run_free(&r);

    tu_run(&r, "%s --db %s report --host w7 --format json", tu_shq(tu_bin()), tu_shq(f->db));
    tu_assert_exit(&r, 0);
    fj = finding_json(r.out, "update-connectivity");
    assert_non_null(fj);
    assert_contains(fj, "\"resolved\":false", "finding");
    assert_contains(fj, "\"id\":\"check-wsus-policy\"", "finding");
    assert_contains(fj, "0x8024402C", "finding");
    free(fj);
    tu_run_free(&r);

    tu_run(&r, "%s --db %s report --host w10", tu_shq(tu_bin()), tu_shq(f->db));
    tu_assert_exit(&r, 0);
    assert_contains(r.out, "HEALTHY", "report");
    assert_contains(r.out, "Earlier failures to reach the update server", "report");
    tu_run_free(&r);
}

/* ---- rules over WindowsUpdate.log results (models in memory) ----------------- */

static struct m_event *titled(struct m_event *e, struct model *m, const char *title,
                              const char *guid)
{
    e->title = title ? model_strdup(m, title) : NULL;
    e->guid = guid ? model_strdup(m, guid) : NULL;
    return e;
}

static void test_rule_automatic_updates(void **state)
{
    struct diagnosis d = {0};
    const struct finding *f;
    struct model *m;
    (void)state;

    /* stated at each service start: critical, a root cause, its fix */
    m = model_new();
    for (int i = 0; i < 3; i++)
        wul(m, t2023(8 + i, 0, 0), TL_EV_WU_AU_DISABLED, 0);
    wul(m, t2023(12, 0, 0), TL_EV_WU_SCAN_OK, 0);
    f = run_rule(m, &d, "automatic-updates-disabled");
    assert_non_null(f);
    assert_int_equal(f->severity, SEV_CRITICAL);
    assert_false(f->resolved);
    assert_true(f->root_cause);
    assert_int_equal(f->count, 3);
    assert_string_equal(f->fix_id, "enable-automatic-updates");
    assert_contains(f->title, "Automatic Updates", "title");
    assert_int_equal(d.verdict, VERDICT_CRITICAL);
    assert_string_equal(d.findings[0].rule, "automatic-updates-disabled");
    const struct kb_fix *fx = kb_fix_find("enable-automatic-updates");
    assert_non_null(fx);
    assert_contains(fx->steps[0], "Change settings", "steps");
    assert_contains(fx->commands[1], "AUOptions", "commands");
    diagnosis_free(&d);
    model_free(m);

    /* turned on again at a later start: history */
    m = model_new();
    wul(m, t2023(8, 0, 0), TL_EV_WU_AU_DISABLED, 0);
    wul(m, t2023(9, 0, 0), TL_EV_WU_AU_ENABLED, 0);
    f = run_rule(m, &d, "automatic-updates-disabled");
    assert_non_null(f);
    assert_true(f->resolved);
    assert_int_equal(d.verdict, VERDICT_HEALTHY);
    diagnosis_free(&d);
    model_free(m);
}

static void test_rule_store_downloads(void **state)
{
    struct diagnosis d = {0};
    const struct finding *f;
    struct model *m;
    (void)state;

    /* refused downloads while scans succeed: a warning, never connectivity */
    m = model_new();
    wul(m, t2023(8, 0, 0), TL_EV_WU_SCAN_OK, 0);
    for (int i = 0; i < 5; i++)
        titled(wul(m, t2023(9 + i, 0, 0), TL_EV_WU_DOWNLOAD_REFUSED, 0x80190193), m,
               NULL, i % 2 ? "3D18C507-5592-4849-BC1F-7EC247A782E9.1"
                           : "4BD20BA5-3C60-4702-8E4E-3A477D30E21A.1");
    f = run_rule(m, &d, "store-download-failures");
    assert_non_null(f);
    assert_int_equal(f->severity, SEV_WARNING);
    assert_int_equal(f->count, 5);
    assert_string_equal(f->fix_id, "reset-store-cache");
    assert_contains(f->title, "HTTP 403", "title");
    assert_contains(f->title, "scans succeed", "title");
    assert_true(has_code(f, 0x80190193));
    assert_null(run_rule(m, &d, "update-connectivity") ? NULL : NULL);
    for (size_t i = 0; i < d.n; i++) {
        assert_string_not_equal(d.findings[i].rule, "update-connectivity");
        assert_string_not_equal(d.findings[i].rule, "download-failures");
    }
    assert_int_equal(d.verdict, VERDICT_WARNING);
    assert_non_null(kb_fix_find("reset-store-cache"));
    assert_contains(kb_fix_find("reset-store-cache")->commands[0], "wsreset", "commands");
    diagnosis_free(&d);
    model_free(m);

    /* the same update downloaded later: history */
    m = model_new();
    titled(wul(m, t2023(9, 0, 0), TL_EV_WU_DOWNLOAD_REFUSED, 0x80190193), m, NULL, "AAAABBBB-1");
    titled(wul(m, t2023(10, 0, 0), TL_EV_WU_DOWNLOAD_OK, 0), m, NULL, "AAAABBBB-1");
    f = run_rule(m, &d, "store-download-failures");
    assert_non_null(f);
    assert_true(f->resolved);
    diagnosis_free(&d);
    model_free(m);
}

static void test_rule_wu_log_attempts(void **state)
{
    struct diagnosis d = {0};
    const struct finding *f;
    struct model *m;
    (void)state;

    /* a feature update whose last install failed: critical, named */
    m = model_new();
    titled(wul(m, t2023(8, 0, 0), TL_EV_WU_INSTALL_OK, 0), m, "Security Intelligence Update (KB2267602)", NULL);
    titled(wul(m, t2023(9, 0, 0), TL_EV_WU_INSTALL_FAILED, 0x80070002), m,
           "Windows 11, version 24H2", "AD27E52B-9E18-408A-9DF2-8688E5273FBF.1");
    f = run_rule(m, &d, "feature-update-failures");
    assert_non_null(f);
    assert_int_equal(f->severity, SEV_CRITICAL);
    assert_contains(f->title, "24H2", "title");
    assert_true(has_code(f, 0x80070002));
    assert_string_equal(d.findings[0].rule, "feature-update-failures");
    /* the same event feeds the install rule, as an event-log 20 would */
    f = run_rule(m, &d, "install-failures");
    diagnosis_free(&d);
    assert_int_equal(diagnose(m, &d), 0);
    int install = 0;
    for (size_t i = 0; i < d.n; i++)
        install |= strcmp(d.findings[i].rule, "install-failures") == 0 && !d.findings[i].resolved;
    assert_true(install);
    diagnosis_free(&d);
    model_free(m);

    /* installed later, or a monthly update naming the version: no finding */
    m = model_new();
    titled(wul(m, t2023(9, 0, 0), TL_EV_WU_INSTALL_FAILED, 0x80070002), m,
           "Feature update to Windows 10, version 22H2", "F1");
    titled(wul(m, t2023(10, 0, 0), TL_EV_WU_INSTALL_OK, 0), m,
           "Feature update to Windows 10, version 22H2", "F1");
    titled(wul(m, t2023(11, 0, 0), TL_EV_WU_INSTALL_FAILED, 0x80070002), m,
           "2023-05 Cumulative Update for Windows 11, version 22H2 (KB5026372)", "C1");
    assert_null(run_rule(m, &d, "feature-update-failures"));
    diagnosis_free(&d);
    model_free(m);

    /* a restart required by an install in WindowsUpdate.log: restart-pending */
    m = model_new();
    titled(wul(m, t2023(9, 0, 0), TL_EV_WU_INSTALL_OK, 0), m, "Update (KB5026372)", NULL);
    titled(wul(m, t2023(9, 0, 1), TL_EV_WU_RESTART_REQUIRED, 0), m, "Update (KB5026372)", NULL);
    m->last_us = t2023(9, 0, 1) + 10LL * 86400 * SEC_US;
    assert_int_equal(diagnose(m, &d), 0);
    int restart = 0;
    for (size_t i = 0; i < d.n; i++)
        restart |= strcmp(d.findings[i].rule, "restart-pending") == 0;
    assert_true(restart);
    diagnosis_free(&d);
    model_free(m);
}

static struct m_event *dsm(struct model *m, int64_t t, int id, uint32_t code)
{
    return tev(m, t, TL_PROVIDER_DISM, "DISM.log", id, code);
}

static void test_rule_dism_failures(void **state)
{
    struct diagnosis d = {0};
    const struct finding *f;
    struct model *m;
    (void)state;

    /* WinPE offline repair that could not open the image: not "could not
     * repair the component store", and the cause is 0x80070020, not E_FAIL */
    m = model_new();
    dsm(m, t2023(8, 0, 0), TL_EV_DISM_SESSION, 0);
    dsm(m, t2023(8, 0, 0), TL_EV_DISM_RUN, 0);
    dsm(m, t2023(8, 0, 2), TL_EV_DISM_IN_USE, 0x80070020);
    dsm(m, t2023(8, 0, 2), TL_EV_DISM_ERROR, 0x80004005);
    dsm(m, t2023(8, 0, 2), TL_EV_DISM_FAILED, 0x80004005);
    f = run_rule(m, &d, "dism-failures");
    assert_non_null(f);
    assert_int_equal(f->severity, SEV_WARNING);
    assert_string_equal(f->fix_id, "dism-image-in-use");
    assert_true(has_code(f, 0x80070020));
    assert_false(has_code(f, 0x80004005));
    assert_contains(f->title, "sharing violation", "title");
    assert_null(run_rule(m, &d, "servicing-corruption"));
    diagnosis_free(&d);
    model_free(m);

    /* another command fails: its first specific code names it; a later
     * successful run closes it */
    m = model_new();
    dsm(m, t2023(8, 0, 0), TL_EV_DISM_COMMAND, 0);
    dsm(m, t2023(8, 0, 1), TL_EV_DISM_ERROR, 0x80070005);
    dsm(m, t2023(8, 0, 2), TL_EV_DISM_FAILED, 0x80004005);
    f = run_rule(m, &d, "dism-failures");
    assert_non_null(f);
    assert_true(has_code(f, 0x80070005));
    assert_null(run_rule(m, &d, "servicing-corruption"));
    dsm(m, t2023(9, 0, 0), TL_EV_DISM_COMMAND, 0);
    dsm(m, t2023(9, 0, 1), TL_EV_DISM_OK, 0);
    diagnosis_free(&d);
    assert_null(run_rule(m, &d, "dism-failures"));
    diagnosis_free(&d);
    model_free(m);

    /* a failed /RestoreHealth stays servicing-corruption's */
    m = model_new();
    dsm(m, t2023(8, 0, 0), TL_EV_DISM_RUN, 0);
    dsm(m, t2023(8, 0, 1), TL_EV_DISM_FAILED, 0x800F081F);
    assert_null(run_rule(m, &d, "dism-failures"));
    diagnosis_free(&d);
    assert_non_null(run_rule(m, &d, "servicing-corruption"));
    diagnosis_free(&d);
    model_free(m);
}

/* ---- the gate: every line a later step looks at gets past it ------------------ */

/*
 * A log of one format: 100 KiB of lines holding no key (so that nothing
 * below is in the 64 KiB look-ahead), then the given lines.  prefix is
 * the header of each line.
 */
static void write_gated_log(const char *path, const char *prefix,
                            const char *const *lines)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    for (int i = 0; i < 1000; i++)
        fprintf(fp, "%sPlan: Package_%d staged, nothing to report here at all\r\n", prefix, i);
    for (size_t i = 0; lines[i]; i++)
        fprintf(fp, "%s%s\r\n", prefix, lines[i]);
    fclose(fp);
}

static void expect_fact(const char *db, const char *host, const char *name,
                        const char *value)
{
    char *sql = tu_fmt("SELECT count(*) FROM facts f JOIN hosts h ON h.id = f.host_id"
                       " WHERE h.name = '%s' AND f.name = '%s' AND f.value = '%s'",
                       host, name, value);
    expect_db(db, sql, 1);
    free(sql);
}

static void gated_import(const char *db, const char *dir, const char *host,
                         const char *prefix, const char *const *lines, const char *stats)
{
    struct tu_run r;
    char *path = tu_path(dir, host);
    char *opt = tu_fmt("--host %s", host);
    write_gated_log(path, prefix, lines);
    import(&r, db, opt, path);
    tu_assert_exit(&r, 0);
    assert_contains(r.out, stats, "import output");
    tu_run_free(&r);
    free(opt);
    free(path);
}

static void test_import_gate(void **state)
{
    struct tu_fx *f = *state;
    const char *cbs[] = {
        "Loaded Servicing Stack v10.0.19041.2905 with Core: C:\\x\\cbscore.dll",
        "Universal Time is: 2023-05-10 10:00:00.123",
        "Failed to restore health. [HRESULT = 0x800f081f - CBS_E_SOURCE_MISSING]",
        NULL};
    const char *dism[] = {
        "API: PID=1 TID=2 DismApi.dll: Host machine information: OS Version=10.0.19045, Running architecture=amd64",
        NULL};
    const char *wu7[] = {
        "  * OS Version = 6.1.7601.1.0.65792",
        "  * WU client version 7.6.7600.256",
        "===========  Logging initialized (build: 7.6.7600.256, tz: +0530)  ===========",
        NULL};
    const char *wu10[] = {
        "...&OSVersion=10.0.18362.476&OSUILocale=en-US&InstallationType=Client&DeviceFamily=Windows.Server",
        "Title=Cumulative Update for Windows 10 (KB5000001), ProductName=Windows, UpdateId=AD27E52B-1111-2222-3333-444455556666.1, x",
        "Install complete for update ID: AD27E52B-1111-2222-3333-444455556666.1 Return code is 0x80070002",
        NULL};
    char *dir = tu_tempdir();
    (void)state;

    gated_import(f->db, dir, "gcbs", "2023-05-10 12:00:00, Info                  CBS    ", cbs,
                 "1003 read");
    expect_fact(f->db, "gcbs", "os.base", "10.0.19041.2905");
    expect_db(f->db, "SELECT count(*) FROM coverage WHERE detail LIKE"
              " '%CBS.log; times converted to UTC from the offset the log states, +02:00'", 1);
    expect_db(f->db, "SELECT count(*) FROM events WHERE code = 2148468767", 1);
    gated_import(f->db, dir, "gdism", "2023-05-10 12:00:00, Info                  DISM   ", dism,
                 "1001 read");
    expect_fact(f->db, "gdism", "os.version", "10.0.19045");
    gated_import(f->db, dir, "gwu7", "2017-07-23\t07:25:41:804\t 996\t1234\tAgent\t", wu7,
                 "1003 read");
    expect_fact(f->db, "gwu7", "os.version", "6.1.7601");
    expect_fact(f->db, "gwu7", "os.sp", "Service Pack 1");
    expect_fact(f->db, "gwu7", "os.base", "6.1.7601");
    expect_db(f->db, "SELECT count(*) FROM coverage WHERE detail LIKE '%+05:30'", 1);
    gated_import(f->db, dir, "gwu10", "2017/07/23 07:25:41.8040000 996   1234  Agent   ", wu10,
                 "1003 read");
    expect_fact(f->db, "gwu10", "os.version", "10.0.18362.476");
    expect_fact(f->db, "gwu10", "os.language", "en-US");
    expect_fact(f->db, "gwu10", "os.type", "server");
    expect_db(f->db, "SELECT count(*) FROM events WHERE update_title ="
              " 'Cumulative Update for Windows 10 (KB5000001)'", 1);
    tu_rmtree(dir);
    free(dir);
}

/* ---- every layout: the fixtures ------------------------------------------------ */

static void test_import_layouts(void **state)
{
    struct tu_fx *f = *state;
    struct tu_run r;
    char *s, *fj;

    /* CBS.log, the older one-line summary; "Universal Time is" states +01:00 */
    import_ok(f->db, "--host old", "samples/textlog/CBS-summary-oneline.log",
              "14 read, 6 stored, 8 unrelated");
    expect_db(f->db, "SELECT count(*) FROM events WHERE event_id = 105", 1);
    expect_db(f->db, "SELECT count(*) FROM events WHERE event_id IN (102, 103, 104)"
              " AND record_id = 5", 0);   /* "Client specifies store corruption ..." */
    expect_db(f->db, "SELECT count(*) FROM events WHERE code = 2148468741", 0);  /* 0x800F0805 Info */
    expect_db(f->db, "SELECT time_us FROM events WHERE event_id = 105",
              (1551537070LL - 3600) * SEC_US);    /* 2019-03-02 14:31:10 local, UTC+1 */
    expect_db(f->db, "SELECT count(*) FROM coverage WHERE detail LIKE"
              " '%converted to UTC from the offset the log states, +01:00'", 1);
    tu_run(&r, "%s --db %s report --host old --format json", tu_shq(tu_bin()), tu_shq(f->db));
    tu_assert_exit(&r, 0);
    fj = finding_json(r.out, "servicing-corruption");
    assert_non_null(fj);
    assert_contains(fj, "\"severity\":\"critical\",\"resolved\":false", "one-line summary");
    free(fj);
    tu_run_free(&r);

    /* CbsPersist: clean, mentions only; a healthy host, with its coverage */
    import_ok(f->db, "--host clean", "samples/textlog/CbsPersist_20240725103000.log",
              "14 read, 4 stored");
    tu_run(&r, "%s --db %s report --host clean --format json", tu_shq(tu_bin()), tu_shq(f->db));
    tu_assert_exit(&r, 0);
    assert_contains(r.out, "\"verdict\":\"healthy\"", "clean CBS");
    assert_contains(r.out, "+08:00", "clean CBS coverage");
    assert_contains(r.out, "\"local_times\":false", "clean CBS range (offset stated)");
    tu_run_free(&r);

    /* DISM offline (WinPE): the sharing violation */
    import_ok(f->db, "--host pe", "samples/textlog/dism-winpe-offline.log", "10 read, 5 stored");
    tu_run(&r, "%s --db %s report --host pe --format json", tu_shq(tu_bin()), tu_shq(f->db));
    tu_assert_exit(&r, 0);
    assert_null(finding_json(r.out, "servicing-corruption"));
    fj = finding_json(r.out, "dism-failures");
    assert_non_null(fj);
    assert_contains(fj, "0x80070020", "dism-failures");
    assert_contains(fj, "\"id\":\"dism-image-in-use\"", "dism-failures");
    free(fj);
    assert_contains(r.out, "times are local, no offset stated", "coverage");
    assert_contains(r.out, "\"local_times\":true", "range");
    tu_run_free(&r);
    /* and every format says the range is partly local time */
    tu_run(&r, "%s --db %s report --host pe", tu_shq(tu_bin()), tu_shq(f->db));
    tu_assert_exit(&r, 0);
    assert_contains(r.out, "UTC, but local time for text logs that state no offset", "text");
    tu_run_free(&r);
    tu_run(&r, "%s --db %s report --host pe --format html", tu_shq(tu_bin()), tu_shq(f->db));
    tu_assert_exit(&r, 0);
    assert_contains(r.out, "UTC or the log&rsquo;s local time", "html");
    tu_run_free(&r);

    /* DISM online: /Enable-Feature without a source, /Add-Package, Disk Cleanup */
    import_ok(f->db, "--host feat", "samples/textlog/dism-commands.log", "11 read, 8 stored");
    expect_db(f->db, "SELECT count(*) FROM events WHERE event_id = 205", 2);
    expect_db(f->db, "SELECT count(*) FROM events WHERE event_id = 208", 1);
    expect_db(f->db, "SELECT count(*) FROM events e JOIN hosts h ON h.id = e.host_id"
              " WHERE h.name = 'feat' AND code = 2147942403", 0);    /* EnumeratePathEx */

    /* Windows 7 agent: tz: +0530, AU disabled, results with titles and KBs */
    import_ok(f->db, "--host w7", "samples/textlog/WindowsUpdate-win7-au.log",
              "12 read, 9 stored");
    expect_db(f->db, "SELECT time_us FROM events WHERE event_id = 438",
              1630490565LL * SEC_US + 330000 - 19800LL * SEC_US);
    s = tu_sql_text(f->db, "SELECT kb || '|' || update_title FROM events WHERE event_id = 434"
                    " AND code = 2147942402");
    assert_string_equal(s, "KB4534310|Security Update for Windows 7 for x64-based Systems (KB4534310)");
    free(s);
    expect_db(f->db, "SELECT count(*) FROM events WHERE event_id = 433 AND kb = 'KB2952664'", 1);
    expect_db(f->db, "SELECT count(*) FROM events WHERE event_id = 437 AND kind = 'restart-required'", 1);
    expect_db(f->db, "SELECT count(*) FROM events WHERE event_id = 436 AND code = 2148098064", 1);
    tu_run(&r, "%s --db %s report --host w7 --format json", tu_shq(tu_bin()), tu_shq(f->db));
    tu_assert_exit(&r, 0);
    assert_contains(r.out, "\"verdict\":\"critical\"", "w7");
    assert_contains(r.out, "{\"rule\":\"automatic-updates-disabled\"", "w7");
    assert_contains(r.out, "\"update\":\"Security Update for Windows 7 for x64-based Systems (KB4534310)\"",
                    "recent update attempts");
    assert_contains(r.out, "+05:30", "coverage");
    tu_run_free(&r);

    /* Get-WindowsUpdateLog with ISO dates: read, routine noise only */
    import_ok(f->db, "--host iso", "samples/textlog/WindowsUpdate-win10-isodates.log",
              "5 read, 3 stored");
    expect_db(f->db, "SELECT count(*) FROM events WHERE code = 2149867527", 0);  /* 0x80246007 */
    expect_db(f->db, "SELECT min(time_us) FROM events e JOIN hosts h ON h.id = e.host_id"
              " WHERE h.name = 'iso'", 1600606085LL * SEC_US + 939574);
    tu_run(&r, "%s --db %s report --host iso --check", tu_shq(tu_bin()), tu_shq(f->db));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);

    /* Get-WindowsUpdateLog: the feature update's title comes from an earlier line */
    import_ok(f->db, "--host w11", "samples/textlog/WindowsUpdate-win10-results.log",
              "8 read, 5 stored");
    s = tu_sql_text(f->db, "SELECT update_title || '|' || update_guid FROM events"
                    " WHERE event_id = 434 AND update_guid IS NOT NULL");
    assert_string_equal(s, "Windows 11, version 24H2|AD27E52B-9E18-408A-9DF2-8688E5273FBF.1");
    free(s);
    s = tu_sql_text(f->db, "SELECT kb FROM events WHERE event_id = 433 AND kb LIKE 'KB505%'");
    assert_string_equal(s, "KB5050021");
    free(s);
    tu_run(&r, "%s --db %s report --host w11 --format json", tu_shq(tu_bin()), tu_shq(f->db));
    tu_assert_exit(&r, 0);
    assert_contains(r.out, "{\"rule\":\"feature-update-failures\"", "w11");
    assert_non_null(fj = finding_json(r.out, "store-download-failures"));
    free(fj);
    assert_null(finding_json(r.out, "update-connectivity"));
    tu_run_free(&r);
}

/* ---- the shared real text logs --------------------------------------------------- */

static void test_real_text_logs(void **state)
{
    static const struct {
        const char *dir, *file, *host, *verdict, *first;
    } cases[] = {
        {"rkudache31-win7-wulog", "WindowsUpdate.log", "RKUDACHE31", "critical",
         "automatic-updates-disabled"},
        {"zayrexdev-win11-wulog", "WindowsUpdate.log", "ZAYREXDEV", "critical",
         "feature-update-failures"},
        {"lee7723-win10-wulog-isodates", "WindowsUpdate.log", "LEE7723", "healthy", NULL},
        {"infinito1977-win7-cbs", "CBS.log", "INFINITO1977", "warning", "sfc-result"},
        {"hofcake-win81-cbs-clean", "CBS.log", "HOFCAKE", "healthy", NULL},
        {"rajafahad-win10-store403", "WindowsUpdate.log", "RAJAFAHAD", "warning",
         "store-download-failures"},
        {"scarlaglen-win11-sfc", "CBS.log", "SCARLAGLEN", "warning", "sfc-result"},
        {"weronika-win10-dism-benign", "dism.log", "WERONIKA", "healthy", NULL},
    };
    struct tu_fx *f = *state;
    (void)f;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct tu_run r;
        char *rel = tu_fmt("cases/%s/%s", cases[i].dir, cases[i].file);
        char *path = tu_data_file(rel);
        char *db = tu_fmt("%s.%zu", f->db, i);
        char *opt = tu_fmt("--host %s", cases[i].host);
        import(&r, db, opt, path);
        if (r.status != 0)
            fail_msg("%s: import exit %d: %s", cases[i].dir, r.status, r.err);
        tu_run_free(&r);
        tu_run(&r, "%s --db %s report --format json", tu_shq(tu_bin()), tu_shq(db));
        tu_assert_exit(&r, 0);
        char *v = tu_fmt("\"verdict\":\"%s\"", cases[i].verdict);
        assert_contains(r.out, v, cases[i].dir);
        free(v);
        if (cases[i].first) {
            char *k = tu_fmt("{\"rule\":\"%s\"", cases[i].first);
            const char *p = strstr(r.out, "\"findings\":[");
            assert_non_null(p);
            p += strlen("\"findings\":[");
            while (*p == ' ' || *p == '\n')
                p++;
            char *flat = tu_fmt("%.*s", (int)strlen(k), p);
            if (strcmp(flat, k) != 0)
                fail_msg("%s: first finding is not %s: %.120s", cases[i].dir, cases[i].first, p);
            free(flat);
            free(k);
        }
        assert_null(strstr(r.out, "\"rule\":\"update-connectivity\",\"severity\":\"warning\""));
        tu_run_free(&r);
        free(opt);
        free(db);
        free(path);
        free(rel);
    }
}

/* ---- huge and damaged files ----------------------------------------------- */

/* Write a CBS.log-like file of about `bytes`: every 50th line is an error
 * the table stores.  UTF-16LE with BOM when u16.  Returns the line count;
 * *events gets the number of stored lines. */
static long gen_cbs(const char *path, long long bytes, int u16, long *events)
{
    static const char *const ok[] = {
        "Exec: Resolving Package: Package_for_RollupFix~31bf3856ad364e35~amd64~~19041.2965.1.6, Update: 5026361-1234_neutral",
        "Failed to internally open package. [HRESULT = 0x800f0805 - CBS_E_INVALID_PACKAGE]",
        "Session: 31035702_1459316822 initialized by client WindowsUpdateAgent, external staging directory: (null)",
        "Appl: detect Parent, Package: Package_for_RollupFix~31bf3856ad364e35~amd64~~19041.2965.1.6, Disposition = Detect, Exist: present",
    };
    FILE *fp = fopen(path, "wb");
    char line[512];
    unsigned char wide[1024];
    long long written = 0;
    long n = 0;

    assert_non_null(fp);
    *events = 0;
    if (u16)
        written += (long long)fwrite("\xFF\xFE", 1, 2, fp);
    while (written < bytes) {
        int bad = n % 50 == 49;
        int len = snprintf(line, sizeof line, "2023-05-10 %02ld:%02ld:%02ld, %-22s%-7s%s\r\n",
                           n / 3600 % 24, n / 60 % 60, n % 60, bad ? "Error" : "Info", "CBS",
                           bad ? "Failed to resolve package [HRESULT = 0x80073712 - "
                                 "ERROR_SXS_COMPONENT_STORE_CORRUPT]"
                               : ok[n % 4]);
        if (u16) {
            size_t w = to_utf16(line, wide, 0, 0);
            written += (long long)fwrite(wide, 1, w, fp);
        } else {
            written += (long long)fwrite(line, 1, (size_t)len, fp);
        }
        *events += bad;
        n++;
    }
    assert_int_equal(fclose(fp), 0);
    return n;
}

/*
 * Peak RSS (KiB) of a shell command, measured with getrusage(RUSAGE_CHILDREN)
 * by a fresh copy of this program (`test_textlog --peak-rss CMD`): a child
 * forked from this process would count this process's own pages too (Linux
 * keeps the high-water mark across exec), and under ASan those are many.
 */
static int peak_rss_main(const char *cmd)
{
    struct rusage ru;
    int st = system(cmd);
    if (st == -1 || getrusage(RUSAGE_CHILDREN, &ru) != 0)
        return 98;
    printf("%ld\n", (long)ru.ru_maxrss);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 97;
}

static long child_peak_rss(const char *cmd, int *status)
{
    struct tu_run r;
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    long rss = -1;

    assert_true(n > 0);
    self[n] = '\0';
    *status = tu_run(&r, "%s --peak-rss %s", tu_shq(self), tu_shq(cmd));
    if (sscanf(r.out, "%ld", &rss) != 1)
        fail_msg("no RSS from %s: %s", r.cmd, r.err);
    tu_run_free(&r);
    return rss;
}

static void test_huge_file_constant_memory(void **state)
{
    struct tu_fx *f = *state;
    char *p = tu_path(f->dir, "CBS.log");
    char *out = tu_path(f->dir, "out.txt");
    long events, lines = gen_cbs(p, 50LL * 1024 * 1024, 0, &events);
    int status;

    /* Under ASan (make SANITIZE=1) freed blocks wait in a quarantine of up
     * to 256 MB, which would measure ASan, not wudiag: keep it small. */
    char *cmd = tu_fmt("ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=4 "
                       "%s --db %s import --host big %s > %s 2>&1", tu_shq(tu_bin()),
                       tu_shq(f->db), tu_shq(p), tu_shq(out));
    long rss = child_peak_rss(cmd, &status);
    char *text = tu_read_file(out, NULL);
    if (status != 0)
        fail_msg("import exit %d: %s", status, text);
    char *want = tu_fmt("%ld read, %ld stored, %ld unrelated, 0 duplicates, 0 damaged",
                        lines, events, lines - events);
    assert_contains(text, want, "import output");
    print_message("50 MB CBS.log: %ld lines, peak RSS %ld KiB\n", lines, rss);
    if (rss <= 0 || rss >= 64 * 1024)
        fail_msg("peak RSS %ld KiB, expected < 64 MiB", rss);
    expect_db(f->db, "SELECT count(*) FROM events WHERE event_id = 102", events);
    free(want);
    free(text);
    free(cmd);
    free(out);
    free(p);
}

static void test_huge_utf16_file(void **state)
{
    struct tu_fx *f = *state;
    char *p = tu_path(f->dir, "CBS-u16.log");
    long events, lines = gen_cbs(p, 24LL * 1024 * 1024, 1, &events);
    struct tu_run r;

    import(&r, f->db, "--host big16", p);
    tu_assert_exit(&r, 0);
    char *want = tu_fmt("%ld read, %ld stored", lines, events);
    assert_contains(r.out, want, "import output");
    tu_run_free(&r);
    expect_db(f->db, "SELECT count(*) FROM events WHERE record_id = 50 AND event_id = 102", 1);
    free(want);
    free(p);
}

static void test_long_and_zero_lines(void **state)
{
    struct tu_fx *f = *state;
    char *p = tu_path(f->dir, "CBS.log");
    FILE *fp = fopen(p, "wb");
    struct tu_run r;

    assert_non_null(fp);
    fputs("2023-05-10 09:00:00, Info                  CBS    TI: --- Initializing Trusted Installer ---\r\n", fp);
    /* a 1 MiB line, then a run of NULs (a crash) before a real line */
    for (int i = 0; i < 1024 * 1024; i++)
        fputc(i % 64 ? 'a' : ' ', fp);
    fputs("\r\n", fp);
    for (int i = 0; i < 5000; i++)
        fputc('\0', fp);
    fputs("2023-05-10 09:00:05, Info                  CBS    Failed to restore health. [HRESULT = 0x800f081f - CBS_E_SOURCE_MISSING]\r\n", fp);
    /* a continuation line takes the time of the line before */
    fputs("Repair failed: Missing replacement payload.\r\n", fp);
    assert_int_equal(fclose(fp), 0);

    import(&r, f->db, "--host dmg", p);
    tu_assert_exit(&r, 1);
    assert_contains(r.out, "4 read, 3 stored, 1 unrelated, 0 duplicates, 1 damaged", "stdout");
    assert_contains(r.err, "longer than 64 KiB", "stderr");
    tu_run_free(&r);
    expect_db(f->db, "SELECT record_id FROM events WHERE event_id = 101", 3);
    expect_db(f->db, "SELECT time_us FROM events WHERE event_id = 104", t2023(9, 0, 5));
    expect_db(f->db, "SELECT count(*) FROM coverage WHERE status = 'partial'", 1);
    free(p);
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--peak-rss") == 0)
        return peak_rss_main(argv[2]);
#define T(fn) cmocka_unit_test_setup_teardown(fn, tu_fx_setup, tu_fx_teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lr_lf_crlf),
        cmocka_unit_test(test_lr_bom_and_utf16),
        cmocka_unit_test(test_lr_line_cap),
        cmocka_unit_test(test_lr_buffer_boundaries),
        cmocka_unit_test(test_find_code),
        cmocka_unit_test(test_pattern_table),
        cmocka_unit_test(test_matcher),
        cmocka_unit_test(test_matcher_every_offset),
        cmocka_unit_test(test_detect),
        cmocka_unit_test(test_model_source),
        cmocka_unit_test(test_rule_servicing_corruption),
        cmocka_unit_test(test_rule_sfc_result),
        cmocka_unit_test(test_rule_update_connectivity),
        cmocka_unit_test(test_rule_automatic_updates),
        cmocka_unit_test(test_rule_store_downloads),
        cmocka_unit_test(test_rule_wu_log_attempts),
        cmocka_unit_test(test_rule_dism_failures),
        T(test_import_cbs),
        T(test_import_dism),
        T(test_import_windowsupdate),
        T(test_import_utf16_same_events),
        T(test_import_host_hint_and_reimport),
        T(test_import_not_a_log),
        T(test_report_from_text_logs),
        T(test_import_layouts),
        T(test_import_gate),
        T(test_real_text_logs),
        T(test_huge_file_constant_memory),
        T(test_huge_utf16_file),
        T(test_long_and_zero_lines),
    };
#undef T
    return cmocka_run_group_tests_name("textlog", tests, NULL, NULL);
}
