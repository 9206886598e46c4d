/*
 * test_xmlevents.c - the shared event XML parser (collector/xmlevents.c).
 *
 * Everything is parsed from memory: wevtutil-style concatenated <Event>
 * elements, Event Viewer "Save as XML" documents in UTF-8 / UTF-16LE /
 * UTF-16BE with and without BOM, fed whole, byte by byte and in odd-sized
 * pieces that split UTF-16 surrogate pairs and multi-byte UTF-8 sequences.
 * The results must be identical.  Hostile input (DTDs, entities, broken or
 * truncated XML, huge fields) must be refused or dropped, never crash.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"
#include "collector/xmlevents.h"

#include <time.h>

/* ---- collecting sink ------------------------------------------------- */

#define MAX_COLLECT 64

struct cev {
    char *provider, *channel, *computer, *message, *binary;
    int id, level;
    int64_t time_us, rec;
    size_t ndata;
    char *name[WU_MAX_DATA];
    char *value[WU_MAX_DATA];
    size_t vlen[WU_MAX_DATA];
};

struct col {
    struct cev ev[MAX_COLLECT];
    size_t n;           /* events the sink saw */
    size_t stop_at;     /* return stop_rc when the n-th event arrives (0: never) */
    int stop_rc;
};

static char *dup_or_null(const char *s)
{
    return s ? tu_strdup(s) : NULL;
}

static int collect(void *ctx, struct wu_event *ev)
{
    struct col *c = ctx;
    if (c->n < MAX_COLLECT) {
        struct cev *e = &c->ev[c->n];
        e->provider = dup_or_null(ev->provider);
        e->channel = dup_or_null(ev->channel);
        e->computer = dup_or_null(ev->computer);
        e->message = dup_or_null(ev->message);
        e->binary = dup_or_null(ev->binary);
        e->id = ev->event_id;
        e->level = ev->level;
        e->time_us = ev->time_us;
        e->rec = ev->record_id;
        assert_true(ev->ndata <= WU_MAX_DATA);
        e->ndata = ev->ndata;
        for (size_t i = 0; i < ev->ndata; i++) {
            assert_non_null(ev->data[i].name);
            assert_non_null(ev->data[i].value);
            e->name[i] = tu_strdup(ev->data[i].name);
            e->value[i] = tu_strdup(ev->data[i].value);
            e->vlen[i] = strlen(ev->data[i].value);
        }
    }
    c->n++;
    if (c->stop_at && c->n == c->stop_at)
        return c->stop_rc;
    return 0;
}

static void col_free(struct col *c)
{
    size_t n = c->n < MAX_COLLECT ? c->n : MAX_COLLECT;
    for (size_t k = 0; k < n; k++) {
        struct cev *e = &c->ev[k];
        free(e->provider);
        free(e->channel);
        free(e->computer);
        free(e->message);
        free(e->binary);
        for (size_t i = 0; i < e->ndata; i++) {
            free(e->name[i]);
            free(e->value[i]);
        }
    }
    memset(c, 0, sizeof *c);
}

/* A text rendering of everything collected, to compare parses exactly. */
struct text {
    char *s;
    size_t len, cap;
};

static void text_add(struct text *t, const char *fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    assert_true(n >= 0);
    if (t->len + (size_t)n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 1024;
        while (cap < t->len + (size_t)n + 1)
            cap *= 2;
        t->s = realloc(t->s, cap);
        assert_non_null(t->s);
        t->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(t->s + t->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    t->len += (size_t)n;
}

#define NN(s) ((s) ? (s) : "<NULL>")

static char *col_text(const struct col *c)
{
    struct text t = {NULL, 0, 0};
    text_add(&t, "n=%zu\n", c->n);
    for (size_t k = 0; k < c->n && k < MAX_COLLECT; k++) {
        const struct cev *e = &c->ev[k];
        text_add(&t, "[%zu] %s|%d|%d|%lld|%lld|%s|%s|msg=%s|bin=%s|nd=%zu\n", k,
                 NN(e->provider), e->id, e->level, (long long)e->time_us,
                 (long long)e->rec, NN(e->channel), NN(e->computer),
                 NN(e->message), NN(e->binary), e->ndata);
        for (size_t i = 0; i < e->ndata; i++)
            text_add(&t, "  %s=%s\n", e->name[i], e->value[i]);
    }
    return t.s;
}

/* ---- fixtures ----------------------------------------------------------- */

#define NS "http://schemas.microsoft.com/win/2004/08/events/event"

/* WindowsUpdateClient 20 (from the real win10 log) with a German
 * RenderingInfo: multi-byte UTF-8, an emoji (a surrogate pair in UTF-16),
 * an entity, and <Level>/<Channel>/<Provider> that must not override System. */
#define EV1                                                                    \
    "<Event xmlns='" NS "'><System>"                                           \
    "<Provider Name='Microsoft-Windows-WindowsUpdateClient' "                   \
    "Guid='{945A8954-C147-4ACD-923F-40C45405A658}'/>"                          \
    "<EventID>20</EventID><Version>1</Version><Level>2</Level><Task>1</Task>"  \
    "<Opcode>13</Opcode><Keywords>0x8000000000000028</Keywords>"              \
    "<TimeCreated SystemTime='2017-07-23T07:25:41.804504600Z'/>"               \
    "<EventRecordID>561</EventRecordID><Correlation/>"                         \
    "<Execution ProcessID='436' ThreadID='5684'/><Channel>System</Channel>"    \
    "<Computer>DESKTOP-2KGM189</Computer><Security UserID='S-1-5-18'/>"        \
    "</System><EventData>"                                                     \
    "<Data Name='errorCode'>0x80248007</Data>"                                 \
    "<Data Name='updateTitle'>2017-07 Cumulative Update for Windows 10 "       \
    "Version 1703 for x64-based Systems (KB4025342)</Data>"                    \
    "<Data Name='updateGuid'>{25ACAE93-40D4-4E62-814C-EFB2F29F1BCA}</Data>"    \
    "<Data Name='updateRevisionNumber'>201</Data>"                             \
    "<Data Name='serviceGuid'>{9482F4B4-E343-43B6-B170-9A65BC822C77}</Data>"   \
    "</EventData><RenderingInfo Culture='de-DE'>"                              \
    "<Message>Installationsfehler: Fehler 0x80248007 bei \xE2\x80\x9E"         \
    "KB4025342\xE2\x80\x9C \xF0\x9F\x98\x80 &amp; \xC3\xBC.</Message>"         \
    "<Level>Fehler</Level><Task>Windows Update-Agent</Task>"                   \
    "<Opcode>Installation</Opcode><Channel>System-X</Channel>"                 \
    "<Provider>Microsoft Windows</Provider><Keywords><Keyword>Installation"    \
    "</Keyword></Keywords></RenderingInfo></Event>"

#define EV1_MESSAGE                                                            \
    "Installationsfehler: Fehler 0x80248007 bei \xE2\x80\x9EKB4025342"         \
    "\xE2\x80\x9C \xF0\x9F\x98\x80 & \xC3\xBC."

/* SCM 7036 with a Russian display name and the short name in Binary. */
#define EV2                                                                    \
    "<Event xmlns='" NS "'><System>"                                           \
    "<Provider Name='Service Control Manager' "                                \
    "Guid='{555908d1-a6d7-4695-8e1e-26931d2012f4}' "                           \
    "EventSourceName='Service Control Manager'/>"                              \
    "<EventID Qualifiers='16384'>7036</EventID><Version>0</Version>"           \
    "<Level>4</Level><Task>0</Task><Opcode>0</Opcode>"                         \
    "<Keywords>0x8080000000000000</Keywords>"                                  \
    "<TimeCreated SystemTime='2012-03-14T04:17:38.276340200Z'/>"               \
    "<EventRecordID>12050</EventRecordID><Correlation/>"                       \
    "<Execution ProcessID='548' ThreadID='1340'/><Channel>System</Channel>"    \
    "<Computer>WKS-WIN764BITB.shieldbase.local</Computer><Security/>"          \
    "</System><EventData>"                                                     \
    "<Data Name='param1'>\xD0\xA6\xD0\xB5\xD0\xBD\xD1\x82\xD1\x80 "            \
    "\xD0\xBE\xD0\xB1\xD0\xBD\xD0\xBE\xD0\xB2\xD0\xBB\xD0\xB5\xD0\xBD\xD0\xB8" \
    "\xD1\x8F Windows</Data>"                                                  \
    "<Data Name='param2'>stopped</Data>"                                       \
    "<Binary>770075006100750073006500720076002F0031000000</Binary>"            \
    "</EventData></Event>"

#define RU_WU "\xD0\xA6\xD0\xB5\xD0\xBD\xD1\x82\xD1\x80 \xD0\xBE\xD0\xB1\xD0\xBD" \
    "\xD0\xBE\xD0\xB2\xD0\xBB\xD0\xB5\xD0\xBD\xD0\xB8\xD1\x8F Windows"

/* UserData (log cleared): leaf elements become data items; its <Channel>
 * must not override System's.  Leap-day timestamp with a 1-digit fraction. */
#define EV3                                                                    \
    "<Event xmlns='" NS "'><System>"                                           \
    "<Provider Name='Microsoft-Windows-Eventlog' "                             \
    "Guid='{fc65ddd8-d6ef-4962-83d5-6e5cfe9ce148}'/>"                          \
    "<EventID>104</EventID><Version>0</Version><Level>4</Level>"               \
    "<Task>104</Task><Opcode>0</Opcode><Keywords>0x8000000000000000</Keywords>"\
    "<TimeCreated SystemTime='2016-02-29T23:59:59.5Z'/>"                       \
    "<EventRecordID>1</EventRecordID><Correlation/>"                           \
    "<Execution ProcessID='1012' ThreadID='5544'/><Channel>System</Channel>"   \
    "<Computer>WIN-LAB</Computer><Security UserID='S-1-5-21-1-2-3-500'/>"      \
    "</System><UserData><LogFileCleared "                                      \
    "xmlns='http://manifests.microsoft.com/win/2004/08/windows/eventlog'>"     \
    "<SubjectUserName>Administrator</SubjectUserName>"                         \
    "<SubjectDomainName>WIN-LAB</SubjectDomainName>"                           \
    "<Channel>Security</Channel><BackupPath></BackupPath>"                     \
    "</LogFileCleared></UserData></Event>"

/* Unnamed Data items, no EventRecordID, character references, no fraction. */
#define EV4                                                                    \
    "<Event xmlns='" NS "'><System><Provider Name='EventLog'/>"                \
    "<EventID Qualifiers='32768'>6009</EventID><Level>4</Level><Task>0</Task>" \
    "<Keywords>0x0080000000000000</Keywords>"                                  \
    "<TimeCreated SystemTime='2017-07-12T17:16:28Z'/>"                         \
    "<Channel>System</Channel><Computer>WIN-P4SIAA0SQCO</Computer><Security/>" \
    "</System><EventData><Data>10.00.</Data><Data>15063</Data><Data/>"         \
    "<Data>a &amp; b &lt;c&gt; &#x263A; &quot;q&quot; &#65;</Data>"            \
    "</EventData></Event>"

/* wevtutil qe /f:xml: concatenated events, no root, no declaration. */
static const char WEVT[] = EV1 EV2 EV3 EV4;

/* Event Viewer "Save as XML" before transcoding (the encoding attribute is
 * filled in per variant). */
#define SAVED_BODY "<Events>" EV1 "\r\n" EV2 "\r\n" EV3 "\r\n" EV4 "</Events>"

/* ---- helpers ------------------------------------------------------------ */

struct parse_result {
    int rc;
    long count, bad;
    char err[256];
};

/* Feed buf in pieces whose sizes cycle through sizes[] (NULL: one piece);
 * final=1 goes with a separate empty call unless final_with_last. */
static struct parse_result parse_pieces(struct col *c, const char *buf, size_t len,
                                        const size_t *sizes, size_t nsizes,
                                        int final_with_last)
{
    struct parse_result r;
    struct xml_events *xe = xml_events_new(collect, c);
    size_t off = 0, k = 0;

    assert_non_null(xe);
    memset(&r, 0, sizeof r);
    r.rc = 0;
    while (off < len && r.rc == 0) {
        size_t n = sizes ? sizes[k++ % nsizes] : len;
        if (n > len - off)
            n = len - off;
        int last = final_with_last && off + n == len;
        r.rc = xml_events_feed(xe, buf + off, n, last, r.err, sizeof r.err);
        off += n;
        if (last)
            goto done;
    }
    if (r.rc == 0)
        r.rc = xml_events_feed(xe, "", 0, 1, r.err, sizeof r.err);
done:
    r.count = xml_events_count(xe);
    r.bad = xml_events_bad(xe);
    xml_events_free(xe);
    return r;
}

static struct parse_result parse_all(struct col *c, const char *buf, size_t len)
{
    return parse_pieces(c, buf, len, NULL, 0, 0);
}

/* Decode one UTF-8 sequence (input is known-valid). */
static uint32_t utf8_next(const unsigned char **p)
{
    const unsigned char *s = *p;
    uint32_t cp;
    if (s[0] < 0x80) {
        cp = s[0];
        *p += 1;
    } else if (s[0] < 0xE0) {
        cp = (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
        *p += 2;
    } else if (s[0] < 0xF0) {
        cp = (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
        *p += 3;
    } else {
        cp = (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3F) << 12 |
             (uint32_t)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
        *p += 4;
    }
    return cp;
}

static size_t put16(unsigned char *o, uint16_t u, int le)
{
    if (le) {
        o[0] = (unsigned char)(u & 0xFF);
        o[1] = (unsigned char)(u >> 8);
    } else {
        o[0] = (unsigned char)(u >> 8);
        o[1] = (unsigned char)(u & 0xFF);
    }
    return 2;
}

/* UTF-8 text to UTF-16 (le or be, optional BOM); malloc'd. */
static char *to_utf16(const char *utf8, int le, int bom, size_t *outlen)
{
    size_t n = strlen(utf8);
    unsigned char *o = malloc(n * 4 + 4), *q = o;
    const unsigned char *p = (const unsigned char *)utf8;
    assert_non_null(o);
    if (bom)
        q += put16(q, 0xFEFF, le);
    while (*p) {
        uint32_t cp = utf8_next(&p);
        if (cp >= 0x10000) {
            cp -= 0x10000;
            q += put16(q, (uint16_t)(0xD800 | (cp >> 10)), le);
            q += put16(q, (uint16_t)(0xDC00 | (cp & 0x3FF)), le);
        } else {
            q += put16(q, (uint16_t)cp, le);
        }
    }
    *outlen = (size_t)(q - o);
    return (char *)o;
}

/* The collected text of WEVT parsed in one piece: the reference result. */
static char *reference_text(void)
{
    struct col c;
    memset(&c, 0, sizeof c);
    struct parse_result r = parse_all(&c, WEVT, sizeof WEVT - 1);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.count, 4);
    char *t = col_text(&c);
    col_free(&c);
    return t;
}

/* ---- tests: fields ------------------------------------------------------ */

static void check_reference_events(const struct col *c)
{
    const struct cev *e;

    assert_int_equal(c->n, 4);

    e = &c->ev[0];
    assert_string_equal(e->provider, "Microsoft-Windows-WindowsUpdateClient");
    assert_int_equal(e->id, 20);
    assert_int_equal(e->level, 2);
    assert_true(e->time_us == INT64_C(1500794741804504));
    assert_true(e->rec == 561);
    assert_string_equal(e->channel, "System");
    assert_string_equal(e->computer, "DESKTOP-2KGM189");
    assert_non_null(e->message);
    assert_string_equal(e->message, EV1_MESSAGE);
    assert_null(e->binary);
    assert_int_equal(e->ndata, 5);
    assert_string_equal(e->name[0], "errorCode");
    assert_string_equal(e->value[0], "0x80248007");
    assert_string_equal(e->name[1], "updateTitle");
    assert_string_equal(e->value[1], "2017-07 Cumulative Update for Windows 10 "
                        "Version 1703 for x64-based Systems (KB4025342)");
    assert_string_equal(e->name[2], "updateGuid");
    assert_string_equal(e->value[2], "{25ACAE93-40D4-4E62-814C-EFB2F29F1BCA}");
    assert_string_equal(e->name[3], "updateRevisionNumber");
    assert_string_equal(e->value[3], "201");
    assert_string_equal(e->name[4], "serviceGuid");
    assert_string_equal(e->value[4], "{9482F4B4-E343-43B6-B170-9A65BC822C77}");

    e = &c->ev[1];
    assert_string_equal(e->provider, "Service Control Manager");
    assert_int_equal(e->id, 7036);
    assert_int_equal(e->level, 4);
    assert_true(e->time_us == INT64_C(1331698658276340));
    assert_true(e->rec == 12050);
    assert_string_equal(e->channel, "System");
    assert_string_equal(e->computer, "WKS-WIN764BITB.shieldbase.local");
    assert_null(e->message);
    assert_non_null(e->binary);
    assert_string_equal(e->binary, "770075006100750073006500720076002F0031000000");
    assert_int_equal(e->ndata, 2);
    assert_string_equal(e->name[0], "param1");
    assert_string_equal(e->value[0], RU_WU);
    assert_string_equal(e->name[1], "param2");
    assert_string_equal(e->value[1], "stopped");

    e = &c->ev[2];
    assert_string_equal(e->provider, "Microsoft-Windows-Eventlog");
    assert_int_equal(e->id, 104);
    assert_int_equal(e->level, 4);
    assert_true(e->time_us == INT64_C(1456790399500000));
    assert_true(e->rec == 1);
    assert_string_equal(e->channel, "System");
    assert_string_equal(e->computer, "WIN-LAB");
    assert_null(e->message);
    assert_null(e->binary);
    assert_int_equal(e->ndata, 4);
    assert_string_equal(e->name[0], "SubjectUserName");
    assert_string_equal(e->value[0], "Administrator");
    assert_string_equal(e->name[1], "SubjectDomainName");
    assert_string_equal(e->value[1], "WIN-LAB");
    assert_string_equal(e->name[2], "Channel");
    assert_string_equal(e->value[2], "Security");
    assert_string_equal(e->name[3], "BackupPath");
    assert_string_equal(e->value[3], "");

    e = &c->ev[3];
    assert_string_equal(e->provider, "EventLog");
    assert_int_equal(e->id, 6009);
    assert_int_equal(e->level, 4);
    assert_true(e->time_us == INT64_C(1499879788000000));
    assert_true(e->rec == -1);
    assert_string_equal(e->channel, "System");
    assert_string_equal(e->computer, "WIN-P4SIAA0SQCO");
    assert_null(e->message);
    assert_null(e->binary);
    assert_int_equal(e->ndata, 4);
    assert_string_equal(e->name[0], "param1");
    assert_string_equal(e->value[0], "10.00.");
    assert_string_equal(e->name[1], "param2");
    assert_string_equal(e->value[1], "15063");
    assert_string_equal(e->name[2], "param3");
    assert_string_equal(e->value[2], "");
    assert_string_equal(e->name[3], "param4");
    assert_string_equal(e->value[3], "a & b <c> \xE2\x98\xBA \"q\" A");
}

static void test_wevtutil_fields(void **state)
{
    struct col c;
    (void)state;
    memset(&c, 0, sizeof c);
    struct parse_result r = parse_all(&c, WEVT, sizeof WEVT - 1);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.count, 4);
    assert_int_equal(r.bad, 0);
    check_reference_events(&c);
    col_free(&c);
}

/* Blank lines between events, as Get-WinEvent | ToXml() output joins them. */
static void test_wevtutil_with_newlines(void **state)
{
    static const char doc[] = "\r\n" EV1 "\r\n\r\n" EV2 "\n" EV3 "\n\n" EV4 "\r\n";
    struct col c;
    (void)state;
    memset(&c, 0, sizeof c);
    struct parse_result r = parse_all(&c, doc, sizeof doc - 1);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.count, 4);
    check_reference_events(&c);
    col_free(&c);
}

/* ---- tests: encodings and piecewise feeding ------------------------------ */

enum variant { V_UTF8, V_UTF8_BOM, V_UTF16LE_BOM, V_UTF16LE, V_UTF16BE_BOM, V_UTF16BE,
               V_COUNT };
static const char *const variant_name[V_COUNT] = {
    "UTF-8", "UTF-8+BOM", "UTF-16LE+BOM", "UTF-16LE", "UTF-16BE+BOM", "UTF-16BE",
};

/* The "Save as XML" document in the given encoding; malloc'd. */
static char *saved_doc(enum variant v, size_t *len)
{
    int utf16 = v >= V_UTF16LE_BOM;
    char *text = tu_fmt("<?xml version=\"1.0\" encoding=\"%s\"?>\r\n%s",
                        utf16 ? "UTF-16" : "UTF-8", SAVED_BODY);
    char *out;

    if (!utf16) {
        if (v == V_UTF8_BOM) {
            out = tu_fmt("\xEF\xBB\xBF%s", text);
            free(text);
            text = out;
        }
        *len = strlen(text);
        return text;
    }
    out = to_utf16(text, v == V_UTF16LE_BOM || v == V_UTF16LE,
                   v == V_UTF16LE_BOM || v == V_UTF16BE_BOM, len);
    free(text);
    return out;
}

static void check_variant(enum variant v, const char *ref, const size_t *sizes,
                          size_t nsizes, int final_with_last)
{
    size_t len;
    char *doc = saved_doc(v, &len);
    struct col c;
    memset(&c, 0, sizeof c);
    struct parse_result r = parse_pieces(&c, doc, len, sizes, nsizes, final_with_last);
    char *got = col_text(&c);
    if (r.rc != 0 || strcmp(got, ref) != 0) {
        print_message("variant %s, piece sizes %zu.., final_with_last=%d: rc=%d (%s)\n"
                      "--- expected ---\n%s--- got ---\n%s", variant_name[v],
                      sizes ? sizes[0] : len, final_with_last, r.rc, r.err, ref, got);
        fail_msg("%s parse differs from the wevtutil reference", variant_name[v]);
    }
    assert_int_equal(r.count, 4);
    assert_int_equal(r.bad, 0);
    check_reference_events(&c);
    free(got);
    col_free(&c);
    free(doc);
}

static void test_saved_as_xml_encodings_whole(void **state)
{
    char *ref = reference_text();
    (void)state;
    for (int v = 0; v < V_COUNT; v++) {
        check_variant((enum variant)v, ref, NULL, 0, 0);
        check_variant((enum variant)v, ref, NULL, 0, 1);
    }
    free(ref);
}

static void test_saved_as_xml_one_byte_pieces(void **state)
{
    static const size_t one[] = {1};
    char *ref = reference_text();
    (void)state;
    for (int v = 0; v < V_COUNT; v++) {
        check_variant((enum variant)v, ref, one, 1, 0);
        check_variant((enum variant)v, ref, one, 1, 1);
    }
    free(ref);
}

static void test_saved_as_xml_odd_pieces(void **state)
{
    /* Sizes that land everywhere inside 2-, 3- and 4-byte sequences and
     * surrogate pairs; each pattern restarts at a different phase. */
    static const size_t p3[] = {3};
    static const size_t p5[] = {5};
    static const size_t p7[] = {7};
    static const size_t mix[] = {1, 2, 3, 5, 1, 1, 7, 2, 13};
    static const size_t big[] = {4093, 1, 2};
    const size_t *pats[] = {p3, p5, p7, mix, big};
    const size_t npats[] = {1, 1, 1, 9, 3};
    char *ref = reference_text();
    (void)state;
    for (int v = 0; v < V_COUNT; v++)
        for (size_t k = 0; k < sizeof pats / sizeof pats[0]; k++)
            check_variant((enum variant)v, ref, pats[k], npats[k], k & 1);
    free(ref);
}

/* UTF-16 text whose last byte is missing is an error, not silently cut. */
static void test_utf16_odd_length(void **state)
{
    size_t len;
    char *doc = saved_doc(V_UTF16LE_BOM, &len);
    struct col c;
    (void)state;
    memset(&c, 0, sizeof c);
    struct parse_result r = parse_all(&c, doc, len - 1);
    assert_int_equal(r.rc, -1);
    assert_true(r.err[0] != '\0');
    col_free(&c);
    free(doc);
}

/* ---- tests: hostile and broken input -------------------------------------- */

#define LAUGHS                                                                 \
    "<!DOCTYPE lolz [\n"                                                       \
    " <!ENTITY lol \"lol\">\n"                                                 \
    " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n" \
    " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n" \
    " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n" \
    " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n" \
    " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n" \
    " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n" \
    " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n" \
    " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n" \
    " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n" \
    "]>\n"

#define LAUGH_EVENT                                                            \
    "<Event xmlns='" NS "'><System><Provider Name='Microsoft-Windows-"         \
    "WindowsUpdateClient'/><EventID>20</EventID><Level>2</Level>"              \
    "<TimeCreated SystemTime='2017-07-23T07:25:41Z'/><EventRecordID>1"         \
    "</EventRecordID><Channel>System</Channel><Computer>X</Computer></System>" \
    "<EventData><Data Name='errorCode'>&lol9;</Data></EventData></Event>"

static void assert_refused(const char *doc, size_t len, const char *what)
{
    struct col c;
    memset(&c, 0, sizeof c);
    struct parse_result r = parse_all(&c, doc, len);
    if (r.rc != -1 || c.n != 0 || r.count != 0) {
        print_message("%s: rc=%d err=\"%s\" delivered=%zu\n", what, r.rc, r.err, c.n);
        fail_msg("%s was not refused", what);
    }
    assert_true(r.err[0] != '\0');
    col_free(&c);

    /* the same through the one-document entry point libevtx records use */
    struct xml_events *xe = xml_events_new(collect, &c);
    char err[256] = "";
    assert_non_null(xe);
    /* parse_one expects UTF-8 without BOM; give it the document as is */
    int rc = xml_events_parse_one(xe, doc, len, err, sizeof err);
    if (rc != -1 || c.n != 0) {
        print_message("%s (parse_one): rc=%d err=\"%s\" delivered=%zu\n", what, rc,
                      err, c.n);
        fail_msg("%s was not refused by xml_events_parse_one", what);
    }
    assert_true(err[0] != '\0');
    xml_events_free(xe);
    col_free(&c);
}

static void test_billion_laughs_refused(void **state)
{
    static const char doc[] = "<?xml version=\"1.0\"?>\n" LAUGHS
        "<Events>" LAUGH_EVENT "</Events>";
    static const char doc_noprolog[] = LAUGHS LAUGH_EVENT;
    static const char doc_one[] = "<?xml version=\"1.0\"?>\n" LAUGHS LAUGH_EVENT;
    (void)state;
    assert_refused(doc, sizeof doc - 1, "billion laughs (Events root)");
    assert_refused(doc_noprolog, sizeof doc_noprolog - 1, "billion laughs (no declaration)");
    assert_refused(doc_one, sizeof doc_one - 1, "billion laughs (single event)");

    /* also as UTF-16LE with BOM, byte by byte */
    size_t len;
    char *u16 = to_utf16(doc, 1, 1, &len);
    static const size_t one[] = {1};
    struct col c;
    memset(&c, 0, sizeof c);
    struct parse_result r = parse_pieces(&c, u16, len, one, 1, 0);
    assert_int_equal(r.rc, -1);
    assert_int_equal(c.n, 0);
    free(u16);
    col_free(&c);
}

/* parse_one names the reason: DTDs are refused, not just "syntax error". */
static void test_doctype_message_parse_one(void **state)
{
    static const char doc[] = "<?xml version=\"1.0\"?>\n" LAUGHS LAUGH_EVENT;
    struct col c;
    char err[256] = "";
    (void)state;
    memset(&c, 0, sizeof c);
    struct xml_events *xe = xml_events_new(collect, &c);
    assert_non_null(xe);
    assert_int_equal(xml_events_parse_one(xe, doc, sizeof doc - 1, err, sizeof err), -1);
    assert_non_null(strstr(err, "DOCTYPE"));
    assert_int_equal(xml_events_count(xe), 0);
    xml_events_free(xe);
    col_free(&c);
}

static void test_external_entity_refused(void **state)
{
    static const char sys[] =
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE Event SYSTEM \"file:///etc/passwd\">\n" EV1;
    static const char ent[] =
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE Event [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
        "<Event xmlns='" NS "'><System><Provider Name='Microsoft-Windows-"
        "WindowsUpdateClient'/><EventID>20</EventID><Level>2</Level>"
        "<TimeCreated SystemTime='2017-07-23T07:25:41Z'/><EventRecordID>1"
        "</EventRecordID><Channel>System</Channel><Computer>X</Computer></System>"
        "<EventData><Data Name='errorCode'>&xxe;</Data></EventData></Event>";
    static const char param[] =
        "<!DOCTYPE Event [<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;]>\n" EV1;
    static const char undeclared[] =
        "<Event xmlns='" NS "'><System><Provider Name='Microsoft-Windows-"
        "WindowsUpdateClient'/><EventID>20</EventID>"
        "<TimeCreated SystemTime='2017-07-23T07:25:41Z'/></System>"
        "<EventData><Data Name='x'>&xxe;</Data></EventData></Event>";
    (void)state;
    assert_refused(sys, sizeof sys - 1, "DOCTYPE SYSTEM file:///etc/passwd");
    assert_refused(ent, sizeof ent - 1, "external general entity");
    assert_refused(param, sizeof param - 1, "external parameter entity");
    assert_refused(undeclared, sizeof undeclared - 1, "undeclared entity reference");
}

static void test_malformed_reports_line(void **state)
{
    /* events on lines 1 and 2; line 3 has a mismatched tag */
    static const char doc[] =
        EV1 "\n" EV2 "\n"
        "<Event xmlns='" NS "'><System><Provider Name='x'/></Sys>\n" EV3;
    struct col c;
    (void)state;
    memset(&c, 0, sizeof c);
    struct parse_result r = parse_all(&c, doc, sizeof doc - 1);
    assert_int_equal(r.rc, -1);
    if (!strstr(r.err, "line 3"))
        fail_msg("error \"%s\" does not say \"line 3\"", r.err);
    assert_int_equal(c.n, 2);
    assert_int_equal(r.count, 2);
    assert_string_equal(c.ev[0].provider, "Microsoft-Windows-WindowsUpdateClient");
    assert_string_equal(c.ev[1].provider, "Service Control Manager");
    col_free(&c);

    /* the same fed byte by byte */
    static const size_t one[] = {1};
    r = parse_pieces(&c, doc, sizeof doc - 1, one, 1, 0);
    assert_int_equal(r.rc, -1);
    assert_non_null(strstr(r.err, "line 3"));
    assert_int_equal(c.n, 2);
    col_free(&c);
}

static void test_malformed_in_saved_utf16(void **state)
{
    /* line 1 declaration, line 2 <Events> + EV1, line 3 EV2, line 4 garbage */
    static const char doc[] =
        "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\r\n<Events>" EV1 "\r\n" EV2
        "\r\n<Event><System>&bogus</System></Event></Events>";
    size_t len;
    char *u16 = to_utf16(doc, 1, 1, &len);
    struct col c;
    (void)state;
    memset(&c, 0, sizeof c);
    struct parse_result r = parse_all(&c, u16, len);
    assert_int_equal(r.rc, -1);
    assert_int_equal(c.n, 2);
    /* the line counts from the start of the file, declaration included */
    if (!strstr(r.err, "line 4"))
        fail_msg("error \"%s\" does not say \"line 4\"", r.err);
    free(u16);
    col_free(&c);
}

static void test_truncated_document(void **state)
{
    char *doc = tu_fmt("%s\n%s\n%.*s", EV1, EV2, (int)(sizeof(EV3) / 2), EV3);
    struct col c;
    (void)state;
    memset(&c, 0, sizeof c);
    struct parse_result r = parse_all(&c, doc, strlen(doc));
    assert_int_equal(r.rc, -1);
    if (!strstr(r.err, "line 3"))
        fail_msg("error \"%s\" does not say \"line 3\"", r.err);
    assert_int_equal(c.n, 2);
    assert_int_equal(r.count, 2);
    col_free(&c);
    free(doc);

    /* a Save-as-XML file cut before </Events> */
    size_t len;
    char *saved = saved_doc(V_UTF8, &len);
    r = parse_all(&c, saved, len - strlen("</Events>"));
    assert_int_equal(r.rc, -1);
    assert_non_null(strstr(r.err, "line "));
    assert_int_equal(c.n, 4);
    col_free(&c);
    free(saved);
}

static void test_garbage_and_empty(void **state)
{
    struct col c;
    (void)state;
    memset(&c, 0, sizeof c);

    /* plain text is character data inside the private wrapper element, so
     * the parser may accept it; it must not produce events either way
     * (xml_source refuses such a file: it does not start with '<') */
    struct parse_result r = parse_all(&c, "hello world\n", 12);
    assert_true(r.rc == 0 || r.rc == -1);
    assert_int_equal(c.n, 0);
    assert_int_equal(r.count, 0);

    /* markup garbage is an error with its line */
    r = parse_all(&c, "<<<>>> garbage", 14);
    assert_int_equal(r.rc, -1);
    assert_non_null(strstr(r.err, "line 1"));
    assert_int_equal(c.n, 0);
    assert_int_equal(c.n, 0);

    r = parse_all(&c, "<Events></Events>", 17);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.count, 0);
    assert_int_equal(r.bad, 0);

    r = parse_all(&c, "", 0);
    assert_true(r.rc == 0 || r.rc == -1);
    assert_int_equal(c.n, 0);

    /* a well-formed document that is not event XML */
    r = parse_all(&c, "<html><body>hi</body></html>", 28);
    assert_int_equal(r.rc, 0);
    assert_int_equal(c.n, 0);
    col_free(&c);
}

/* Blank lines before the first markup still count: the error names the
 * line of the file, not of what is left after the blanks. */
static void test_line_numbers_after_leading_blank_lines(void **state)
{
    static const char doc[] = "\r\n\r\n" EV1 "\n<Event><System></Sys>\n";
    struct col c;
    (void)state;
    memset(&c, 0, sizeof c);
    struct parse_result r = parse_all(&c, "\n\n<<<>>> garbage", 17);
    assert_int_equal(r.rc, -1);
    if (!strstr(r.err, "line 3"))
        fail_msg("error \"%s\" for garbage on line 3 (after 2 blank lines) "
                 "does not say \"line 3\"", r.err);
    r = parse_all(&c, doc, sizeof doc - 1);
    assert_int_equal(r.rc, -1);
    assert_int_equal(c.n, 1);
    if (!strstr(r.err, "line 4"))
        fail_msg("error \"%s\" for a mismatched tag on line 4 does not say "
                 "\"line 4\"", r.err);
    col_free(&c);
}

#define EV_TIME(t)                                                             \
    "<Event xmlns='" NS "'><System><Provider Name='Microsoft-Windows-"         \
    "WindowsUpdateClient'/><EventID>19</EventID><Level>4</Level>" t            \
    "<EventRecordID>7</EventRecordID><Channel>System</Channel>"                \
    "<Computer>PC</Computer></System><EventData><Data Name='updateTitle'>"     \
    "x</Data></EventData></Event>"

static void test_bad_time_counted_not_delivered(void **state)
{
    static const char doc[] =
        EV1
        EV_TIME("")                                               /* missing */
        EV_TIME("<TimeCreated SystemTime='2017-02-29T10:00:00Z'/>") /* no such day */
        EV2
        EV_TIME("<TimeCreated SystemTime='yesterday'/>")
        EV_TIME("<TimeCreated/>")                                 /* no attribute */
        EV_TIME("<TimeCreated SystemTime='1600-12-31T23:59:59Z'/>")
        EV_TIME("<TimeCreated SystemTime='2017-07-23T07:25:41.5Z'/>"); /* good */
    struct col c;
    (void)state;
    memset(&c, 0, sizeof c);
    struct parse_result r = parse_all(&c, doc, sizeof doc - 1);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.bad, 5);
    assert_int_equal(r.count, 3);
    assert_int_equal(c.n, 3);
    assert_int_equal(c.ev[0].id, 20);
    assert_int_equal(c.ev[1].id, 7036);
    assert_int_equal(c.ev[2].id, 19);
    assert_true(c.ev[2].time_us == INT64_C(1500794741500000));
    col_free(&c);
}

static void test_missing_provider_or_id_counted(void **state)
{
    static const char doc[] =
        "<Event xmlns='" NS "'><System><EventID>19</EventID>"
        "<TimeCreated SystemTime='2017-07-23T07:25:41Z'/></System></Event>"
        "<Event xmlns='" NS "'><System><Provider Name='P'/>"
        "<TimeCreated SystemTime='2017-07-23T07:25:41Z'/></System></Event>"
        "<Event xmlns='" NS "'><System><Provider Name='P'/><EventID>abc</EventID>"
        "<TimeCreated SystemTime='2017-07-23T07:25:41Z'/></System></Event>"
        "<Event xmlns='" NS "'><System><Provider Name='P'/><EventID>70000</EventID>"
        "<TimeCreated SystemTime='2017-07-23T07:25:41Z'/></System></Event>"
        /* EventSourceName only (classic sources): accepted */
        "<Event xmlns='" NS "'><System><Provider EventSourceName='User32'/>"
        "<EventID> 1074 </EventID>"
        "<TimeCreated SystemTime='2017-07-23T07:25:41Z'/></System></Event>";
    struct col c;
    (void)state;
    memset(&c, 0, sizeof c);
    struct parse_result r = parse_all(&c, doc, sizeof doc - 1);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.bad, 4);
    assert_int_equal(c.n, 1);
    assert_string_equal(c.ev[0].provider, "User32");
    assert_int_equal(c.ev[0].id, 1074);
    assert_true(c.ev[0].rec == -1);
    assert_string_equal(c.ev[0].channel, "");
    assert_string_equal(c.ev[0].computer, "");
    assert_int_equal(c.ev[0].ndata, 0);
    col_free(&c);
}

/* A 10 MB Data field: delivered intact or counted bad, never a crash; the
 * next event is unaffected either way. */
static void test_huge_data_field(void **state)
{
    const size_t big = 10u * 1024 * 1024;
    const char *head =
        "<Event xmlns='" NS "'><System><Provider Name='Microsoft-Windows-"
        "WindowsUpdateClient'/><EventID>20</EventID><Level>2</Level>"
        "<TimeCreated SystemTime='2017-07-23T07:25:41Z'/><EventRecordID>9"
        "</EventRecordID><Channel>System</Channel><Computer>X</Computer>"
        "</System><EventData><Data Name='big'>";
    const char *tail = "</Data><Data Name='after'>ok</Data></EventData></Event>";
    size_t hl = strlen(head), tl = strlen(tail), el = sizeof(EV2) - 1;
    size_t len = hl + big + tl + el;
    char *doc = malloc(len);
    static const size_t piece[] = {65536 + 3};
    struct col c;
    (void)state;

    assert_non_null(doc);
    memcpy(doc, head, hl);
    for (size_t i = 0; i < big; i++)
        doc[hl + i] = (char)('A' + i % 26);
    memcpy(doc + hl + big, tail, tl);
    memcpy(doc + hl + big + tl, EV2, el);

    memset(&c, 0, sizeof c);
    struct parse_result r = parse_pieces(&c, doc, len, piece, 1, 0);
    assert_int_equal(r.rc, 0);
    if (r.count == 2) {
        assert_int_equal(r.bad, 0);
        assert_int_equal(c.ev[0].ndata, 2);
        assert_string_equal(c.ev[0].name[0], "big");
        assert_int_equal(c.ev[0].vlen[0], big);
        for (size_t i = 0; i < big; i += 4099)
            if (c.ev[0].value[0][i] != (char)('A' + i % 26))
                fail_msg("big value differs at %zu", i);
        assert_string_equal(c.ev[0].value[1], "ok");
        assert_int_equal(c.ev[1].id, 7036);
    } else {
        assert_int_equal(r.count, 1);
        assert_int_equal(r.bad, 1);
        assert_int_equal(c.ev[0].id, 7036);
    }
    col_free(&c);
    free(doc);
}

/* Larger than any event may be: dropped and counted, the next one kept. */
static void test_oversized_event_dropped(void **state)
{
    const size_t big = 17u * 1024 * 1024;
    const char *head =
        "<Event xmlns='" NS "'><System><Provider Name='P'/><EventID>1</EventID>"
        "<TimeCreated SystemTime='2017-07-23T07:25:41Z'/></System>"
        "<EventData><Data Name='big'>";
    const char *tail = "</Data></EventData></Event>";
    size_t hl = strlen(head), tl = strlen(tail), el = sizeof(EV4) - 1;
    size_t len = hl + big + tl + el;
    char *doc = malloc(len);
    struct col c;
    (void)state;
    assert_non_null(doc);
    memcpy(doc, head, hl);
    memset(doc + hl, 'x', big);
    memcpy(doc + hl + big, tail, tl);
    memcpy(doc + hl + big + tl, EV4, el);
    memset(&c, 0, sizeof c);
    struct parse_result r = parse_all(&c, doc, len);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.bad, 1);
    assert_int_equal(r.count, 1);
    assert_int_equal(c.ev[0].id, 6009);
    col_free(&c);
    free(doc);
}

static void test_too_many_data_items(void **state)
{
    char *data = tu_strdup("");
    for (int i = 1; i <= WU_MAX_DATA + 8; i++) {
        char *n = tu_fmt("%s<Data>v%d</Data>", data, i);
        free(data);
        data = n;
    }
    char *doc = tu_fmt("<Event xmlns='" NS "'><System><Provider Name='P'/>"
                       "<EventID>5</EventID><TimeCreated SystemTime="
                       "'2017-07-23T07:25:41Z'/></System><EventData>%s"
                       "<Binary>00FF</Binary></EventData></Event>%s", data, EV4);
    struct col c;
    (void)state;
    memset(&c, 0, sizeof c);
    struct parse_result r = parse_all(&c, doc, strlen(doc));
    assert_int_equal(r.rc, 0);
    assert_int_equal(c.n, 2);
    assert_int_equal(c.ev[0].ndata, WU_MAX_DATA);
    assert_string_equal(c.ev[0].name[0], "param1");
    assert_string_equal(c.ev[0].value[0], "v1");
    assert_string_equal(c.ev[0].name[WU_MAX_DATA - 1], "param32");
    assert_string_equal(c.ev[0].value[WU_MAX_DATA - 1], "v32");
    assert_string_equal(c.ev[0].binary, "00FF");
    assert_int_equal(c.ev[1].ndata, 4);
    assert_string_equal(c.ev[1].value[0], "10.00.");
    col_free(&c);
    free(doc);
    free(data);
}

/* More than 1 KB of blank lines before the first event (files joined with
 * blank lines, or padded output) must not lose the events. */
static void test_long_leading_whitespace(void **state)
{
    size_t pad = 3000;
    char *doc = malloc(pad + sizeof WEVT);
    struct col c;
    (void)state;
    assert_non_null(doc);
    for (size_t i = 0; i < pad; i++)
        doc[i] = (i % 2) ? '\n' : '\r';
    memcpy(doc + pad, WEVT, sizeof WEVT);
    memset(&c, 0, sizeof c);

    /* short padding works ... */
    struct parse_result r = parse_all(&c, doc + pad - 100, 100 + sizeof WEVT - 1);
    assert_int_equal(r.rc, 0);
    assert_int_equal(c.n, 4);
    col_free(&c);

    /* ... and so must long padding */
    r = parse_all(&c, doc, pad + sizeof WEVT - 1);
    if (r.rc != 0 || c.n != 4)
        fail_msg("with %zu blank bytes before the events: rc=%d (%s), %zu events "
                 "delivered, expected 4", pad, r.rc, r.err, c.n);
    col_free(&c);
    free(doc);
}

/* ---- tests: limits on hostile input ---------------------------------------------- */

/* An event whose Provider start tag holds a Name of n bytes (the token),
 * followed by EV4; or, with kind 'c', a comment of n bytes, 'p' a
 * processing instruction, 't' a tag name. */
static char *token_doc(char kind, size_t n, size_t *len)
{
    static const char *const pre[] = {
        "<Event xmlns='" NS "'><System><Provider Name='",       /* a */
        "<Event xmlns='" NS "'><!--",                           /* c */
        "<Event xmlns='" NS "'><?pi ",                          /* p */
        "<Event xmlns='" NS "'><T",                             /* t */
    };
    static const char *const post[] = {
        ("'/><EventID>20</EventID><TimeCreated SystemTime='2017-07-23T07:25:41Z'/>"
         "</System></Event>"),
        "--></Event>", "?></Event>", "/></Event>",
    };
    int k = kind == 'a' ? 0 : kind == 'c' ? 1 : kind == 'p' ? 2 : 3;
    size_t pl = strlen(pre[k]), ql = strlen(post[k]), el = sizeof(EV4) - 1;
    char *doc = malloc(pl + n + ql + el);
    assert_non_null(doc);
    memcpy(doc, pre[k], pl);
    memset(doc + pl, 'A', n);
    memcpy(doc + pl + n, post[k], ql);
    memcpy(doc + pl + n + ql, EV4, el);
    *len = pl + n + ql + el;
    return doc;
}

/* A token over XE_TOKEN_MAX stops the parse, whole or in 64 KiB reads. */
static void test_token_limit(void **state)
{
    static const size_t piece[] = {65536};
    static const char kinds[] = "acpt";
    (void)state;
    for (const char *k = kinds; *k; k++) {
        size_t len;
        char *doc = token_doc(*k, XE_TOKEN_MAX + 1, &len);
        struct col c;
        memset(&c, 0, sizeof c);
        struct parse_result whole = parse_all(&c, doc, len);
        col_free(&c);
        memset(&c, 0, sizeof c);
        clock_t t0 = clock();
        struct parse_result split = parse_pieces(&c, doc, len, piece, 1, 0);
        double cpu = (double)(clock() - t0) / CLOCKS_PER_SEC;
        col_free(&c);
        if (whole.rc != -1 || split.rc != -1 || !strstr(whole.err, "longer than 16 MiB") ||
            !strstr(split.err, "longer than 16 MiB") || whole.count || split.count)
            fail_msg("kind %c: whole rc %d (%s) %ld events, split rc %d (%s) %ld events",
                     *k, whole.rc, whole.err, whole.count, split.rc, split.err, split.count);
        if (cpu > 3)
            fail_msg("kind %c: %.1f s of CPU to refuse it", *k, cpu);
        free(doc);
    }
}

/* Just under the limit, in 4 KiB reads: parsed whole, in linear time
 * (expat 2.5 alone rescans the growing token on every read: ~30 s). */
static void test_token_below_limit_linear(void **state)
{
    static const size_t piece[] = {4096};
    size_t len, n = XE_TOKEN_MAX - 1024 * 1024;
    char *doc = token_doc('a', n, &len);
    struct col c;
    (void)state;
    memset(&c, 0, sizeof c);
    clock_t t0 = clock();
    struct parse_result r = parse_pieces(&c, doc, len, piece, 1, 0);
    double cpu = (double)(clock() - t0) / CLOCKS_PER_SEC;
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.count, 2);
    assert_int_equal(strlen(c.ev[0].provider), n);
    assert_int_equal(c.ev[1].id, 6009);
    if (cpu > 3)
        fail_msg("%.1f s of CPU for a %zu-byte attribute in 4 KiB reads", cpu, n);
    col_free(&c);
    free(doc);
}

/* Nesting: XE_DEPTH_MAX levels pass, one more stops the parse (stream
 * mode does not count its private wrapper; parse_one counts from root). */
static void test_depth_limit(void **state)
{
    static const size_t piece[] = {7};
    (void)state;
    for (int extra = 0; extra <= 1; extra++) {
        /* Events Event EventData, levels of <x>, Data: XE_DEPTH_MAX + extra */
        int levels = XE_DEPTH_MAX - 4 + extra;
        char *inner = tu_strdup("<Data Name='v'>ok</Data>");
        for (int i = 0; i < levels; i++) {
            char *t = tu_fmt("<x>%s</x>", inner);
            free(inner);
            inner = t;
        }
        char *ev = tu_fmt("<Event xmlns='" NS "'><System><Provider Name='P'/><EventID>5"
                          "</EventID><TimeCreated SystemTime='2017-07-23T07:25:41Z'/>"
                          "</System><EventData>%s</EventData></Event>", inner);
        char *doc = tu_fmt("<Events>%s</Events>", ev);
        struct col c;
        memset(&c, 0, sizeof c);
        struct parse_result whole = parse_all(&c, doc, strlen(doc));
        col_free(&c);
        memset(&c, 0, sizeof c);
        struct parse_result split = parse_pieces(&c, doc, strlen(doc), piece, 1, 0);
        col_free(&c);
        /* parse_one: the same depth from the Events root */
        memset(&c, 0, sizeof c);
        struct xml_events *xe = xml_events_new(collect, &c);
        char err[256] = "";
        assert_non_null(xe);
        int one = xml_events_parse_one(xe, doc, strlen(doc), err, sizeof err);
        xml_events_free(xe);
        col_free(&c);
        if (!extra) {
            if (whole.rc || split.rc || one || whole.count != 1 || split.count != 1)
                fail_msg("%d levels: rc %d/%d/%d (%s%s%s)", XE_DEPTH_MAX, whole.rc, split.rc,
                         one, whole.err, split.err, err);
        } else if (whole.rc != -1 || split.rc != -1 || one != -1 ||
                   !strstr(whole.err, "nested deeper than 64") ||
                   !strstr(split.err, "nested deeper than 64") ||
                   !strstr(err, "nested deeper than 64")) {
            fail_msg("%d levels: rc %d/%d/%d (%s|%s|%s)", XE_DEPTH_MAX + 1, whole.rc,
                     split.rc, one, whole.err, split.err, err);
        }
        free(doc);
        free(ev);
        free(inner);
    }
}

/* ---- tests: sink control and the single-document entry point --------------- */

static void test_sink_stop(void **state)
{
    struct col c;
    char err[128] = "";
    (void)state;
    memset(&c, 0, sizeof c);
    c.stop_at = 2;
    c.stop_rc = 42;
    struct xml_events *xe = xml_events_new(collect, &c);
    assert_non_null(xe);
    int rc = xml_events_feed(xe, WEVT, sizeof WEVT - 1, 1, err, sizeof err);
    assert_int_equal(rc, 42);
    assert_int_equal(c.n, 2);
    assert_int_equal(xml_events_count(xe), 2);
    xml_events_free(xe);
    col_free(&c);
}

static void test_parse_one(void **state)
{
    struct col c;
    char err[256] = "";
    (void)state;
    memset(&c, 0, sizeof c);
    struct xml_events *xe = xml_events_new(collect, &c);
    assert_non_null(xe);

    assert_int_equal(xml_events_parse_one(xe, EV1, sizeof EV1 - 1, err, sizeof err), 0);
    assert_int_equal(xml_events_parse_one(xe, EV2, sizeof EV2 - 1, err, sizeof err), 0);
    /* a broken record does not poison the next one */
    assert_int_equal(xml_events_parse_one(xe, "<Event><System></Event>", 23, err,
                                          sizeof err), -1);
    assert_non_null(strstr(err, "line 1"));
    assert_int_equal(xml_events_parse_one(xe, EV3, sizeof EV3 - 1, err, sizeof err), 0);
    /* libevtx output: declaration-less, leading blank, trailing newline */
    static const char ev4nl[] = "\n" EV4 "\n";
    assert_int_equal(xml_events_parse_one(xe, ev4nl, sizeof ev4nl - 1, err, sizeof err), 0);
    assert_int_equal(xml_events_count(xe), 4);
    assert_int_equal(xml_events_bad(xe), 0);
    check_reference_events(&c);

    /* one document means one: a second root element is an error */
    static const char two[] = EV1 EV2;
    size_t before = c.n;
    assert_int_equal(xml_events_parse_one(xe, two, sizeof two - 1, err, sizeof err), -1);
    assert_true(c.n <= before + 1);
    xml_events_free(xe);
    col_free(&c);
}

/* ---- tests: wu_parse_time ----------------------------------------------------- */

static void expect_time(const char *s, int64_t want)
{
    int64_t got = 12345;
    if (wu_parse_time(s, &got) != 0)
        fail_msg("wu_parse_time(\"%s\") failed, expected %lld", s, (long long)want);
    if (got != want)
        fail_msg("wu_parse_time(\"%s\") = %lld, expected %lld", s, (long long)got,
                 (long long)want);
}

static void expect_bad_time(const char *s)
{
    int64_t got = 12345;
    if (wu_parse_time(s, &got) != -1)
        fail_msg("wu_parse_time(\"%s\") accepted (%lld), expected -1", s ? s : "NULL",
                 (long long)got);
}

static void test_parse_time(void **state)
{
    (void)state;
    expect_time("2017-07-23T07:25:41.804504600Z", INT64_C(1500794741804504));
    expect_time("2017-07-23T07:25:41.804504Z", INT64_C(1500794741804504));
    expect_time("2017-07-23T07:25:41.8045049Z", INT64_C(1500794741804504)); /* truncated */
    expect_time("2017-07-23T07:25:41.9999999Z", INT64_C(1500794741999999)); /* not rounded */
    expect_time("2017-07-23T07:25:41.5Z", INT64_C(1500794741500000));
    expect_time("2017-07-23T07:25:41Z", INT64_C(1500794741000000));          /* no fraction */
    expect_time("2017-07-23T07:25:41", INT64_C(1500794741000000));           /* no Z */
    expect_time("2016-02-29T00:00:00Z", INT64_C(1456704000000000));          /* leap day */
    expect_time("2000-02-29T12:00:00Z", INT64_C(951825600000000));           /* 400-year leap */
    expect_time("1970-01-01T00:00:00Z", 0);
    expect_time("1969-12-31T23:59:59Z", INT64_C(-1000000));
    expect_time("1601-01-01T00:00:00Z", INT64_C(-11644473600000000));        /* FILETIME 0 */
    expect_time("9999-12-31T23:59:59.999999Z", INT64_C(253402300799999999));

    expect_bad_time("2017-02-29T00:00:00Z");     /* not a leap year */
    expect_bad_time("1900-02-29T00:00:00Z");     /* century, not leap */
    expect_bad_time("1600-01-01T00:00:00Z");     /* before 1601 */
    expect_bad_time("1600-12-31T23:59:59Z");
    expect_bad_time("0000-01-01T00:00:00Z");
    expect_bad_time(NULL);
    expect_bad_time("");
    expect_bad_time("garbage");
    expect_bad_time("2017-07-23");
    expect_bad_time("2017-07-23T07:25");
    expect_bad_time("2017-13-01T00:00:00Z");
    expect_bad_time("2017-00-10T00:00:00Z");
    expect_bad_time("2017-04-31T00:00:00Z");
    expect_bad_time("2017-07-00T00:00:00Z");
    expect_bad_time("2017-07-23T24:00:00Z");
    expect_bad_time("2017-07-23T07:60:00Z");
    expect_bad_time("2017-07-23T07:25:61Z");
    expect_bad_time("2017-07-23T07:25:41.Z");
    expect_bad_time("2017-07-23T07:25:41.5Zjunk");
    expect_bad_time("2017-07-23T07:25:41ZZ");
    expect_bad_time("2017/07/23T07:25:41Z");
    expect_bad_time("2017-07-23T07:25:4aZ");
    expect_bad_time("+017-07-23T07:25:41Z");
    expect_bad_time("2017-7-23T07:25:41Z");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wevtutil_fields),
        cmocka_unit_test(test_wevtutil_with_newlines),
        cmocka_unit_test(test_saved_as_xml_encodings_whole),
        cmocka_unit_test(test_saved_as_xml_one_byte_pieces),
        cmocka_unit_test(test_saved_as_xml_odd_pieces),
        cmocka_unit_test(test_utf16_odd_length),
        cmocka_unit_test(test_billion_laughs_refused),
        cmocka_unit_test(test_doctype_message_parse_one),
        cmocka_unit_test(test_external_entity_refused),
        cmocka_unit_test(test_malformed_reports_line),
        cmocka_unit_test(test_malformed_in_saved_utf16),
        cmocka_unit_test(test_truncated_document),
        cmocka_unit_test(test_garbage_and_empty),
        cmocka_unit_test(test_line_numbers_after_leading_blank_lines),
        cmocka_unit_test(test_bad_time_counted_not_delivered),
        cmocka_unit_test(test_missing_provider_or_id_counted),
        cmocka_unit_test(test_huge_data_field),
        cmocka_unit_test(test_oversized_event_dropped),
        cmocka_unit_test(test_too_many_data_items),
        cmocka_unit_test(test_long_leading_whitespace),
        cmocka_unit_test(test_token_limit),
        cmocka_unit_test(test_token_below_limit_linear),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_sink_stop),
        cmocka_unit_test(test_parse_one),
        cmocka_unit_test(test_parse_time),
    };
    return cmocka_run_group_tests_name("xmlevents", tests, NULL, NULL);
}
