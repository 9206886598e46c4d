/*
 * test_evtx_peek.c - collector/evtx_peek reads a record's provider, event
 * ID, strings and Binary data from its bytes as libevtx reads them.
 *
 * Every record of the shared .evtx logs is read both ways: by libevtx
 * (what the reader used for every record before) and by evtx_peek from the
 * chunk's bytes.  Where evtx_peek answers, its provider and event ID must
 * be libevtx's, and the filter's verdict from its strings must never be
 * "not wanted" where the verdict from libevtx's strings is "wanted" (it may
 * be more generous, never less).  It must answer for nearly every record,
 * and refuse, never crash, on cut and scrambled records.  Its XML, parsed
 * by collector/xmlevents.c, must give the event libevtx's XML gives, field
 * for field, for every record it renders - and it must render nearly all.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"
#include "collector/evtx_peek.h"
#include "collector/filter.h"
#include "collector/xmlevents.h"
#include "util/strbuf.h"

#include <libevtx.h>

#define HDR   4096
#define CHUNK 65536

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

/* The whole file in memory (*len bytes). */
static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    unsigned char *buf;
    long n;

    assert_non_null(fp);
    assert_int_equal(fseek(fp, 0, SEEK_END), 0);
    n = ftell(fp);
    assert_true(n > HDR);
    rewind(fp);
    buf = malloc((size_t)n);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
    fclose(fp);
    *len = (size_t)n;
    return buf;
}

/* Every intact .evtx of the shared data: two System logs, and the case
 * logs of other machines (Japanese and German Windows 10/11, Server 2022,
 * the operational logs); nanw01's truncated log goes the slow way. */
static const char *const logs[] = {
    "evtx/system-win10-2017.evtx",
    "evtx/system-win7-2012.evtx",
    "cases/fukusuket-win11-ja/WindowsUpdateClient-Operational.evtx",
    "cases/fukusuket-win11-ja/Bits-Client-Operational.evtx",
    "cases/fukusuket-win11-ja/System.evtx",
    "cases/fukusuket-win11-ja/Setup.evtx",
    "cases/4renwald-healthy/System.evtx",
    "cases/michkoll-win10-de/System.evtx",
    "cases/spdexx-server2022-dc/System.evtx",
    "cases/aaronthopliss-win10-setupname/Bits-Client-Operational.evtx",
    "cases/aaronthopliss-win10-setupname/System.evtx",
    "cases/aaronthopliss-win10-setupname/Setup.evtx",
    "cases/sesellis-healthy/System.evtx",
    "cases/dikimevi-win10-empty-operational/Bits-Client-Operational.evtx",
    "cases/dikimevi-win10-empty-operational/System.evtx",
    "cases/dikimevi-win10-empty-operational/Setup.evtx",
};
#define NLOGS (sizeof logs / sizeof logs[0])

/* The filter's verdict from what libevtx gives (the reader's slow way). */
static int libevtx_verdict(libevtx_record_t *rec, const char *provider, uint32_t id)
{
    char text[16][1024];
    const char *ptr[16];
    unsigned char bin[4096];
    size_t nstr = 0, binlen = 0;
    int n = 0;

    if (!wu_provider_may_matter(provider))
        return 0;
    assert_int_equal(libevtx_record_get_number_of_strings(rec, &n, NULL), 1);
    for (int i = 0; i < n && nstr < 16; i++) {
        size_t sz = 0;
        assert_int_equal(libevtx_record_get_utf8_string_size(rec, i, &sz, NULL), 1);
        if (sz == 0 || sz > sizeof text[0])
            continue;
        assert_int_equal(libevtx_record_get_utf8_string(rec, i, (uint8_t *)text[nstr],
                                                        sz, NULL), 1);
        ptr[nstr] = text[nstr];
        nstr++;
    }
    if (libevtx_record_get_data_size(rec, &binlen, NULL) == 1 && binlen > 0) {
        assert_true(binlen <= sizeof bin);
        assert_int_equal(libevtx_record_get_data(rec, bin, binlen, NULL), 1);
    }
    return wu_event_may_matter(provider, (int)(id & 0xFFFF), ptr, nstr, bin, binlen);
}

/* Counts over one log. */
struct tally {
    long records, peeked, complete, skipped_slow, skipped_fast;
};

/* Every record of the log at rel, both ways. */
static void compare_log(const char *rel, struct tally *t)
{
    char *path = tu_data_file(rel);
    size_t len;
    unsigned char *file = slurp(path, &len);
    libevtx_file_t *lf = NULL;
    struct evtx_peek *pk = evtx_peek_new();
    int nrec = 0, index = 0;

    assert_non_null(pk);
    assert_int_equal(libevtx_file_initialize(&lf, NULL), 1);
    assert_int_equal(libevtx_file_open(lf, path, LIBEVTX_OPEN_READ, NULL), 1);
    assert_int_equal(libevtx_file_get_number_of_records(lf, &nrec, NULL), 1);
    memset(t, 0, sizeof *t);
    /* the shared logs are intact: libevtx's records are the chunks' records
     * in file order */
    for (size_t at = HDR; at + CHUNK <= len && index < nrec; at += CHUNK) {
        const unsigned char *c = file + at;
        uint32_t off = 512, fso = get32(c + 48);

        if (memcmp(c, "ElfChnk", 8) != 0)
            continue;
        evtx_peek_chunk(pk, c);
        while (off + 24 <= fso && get32(c + off) == 0x00002a2a && index < nrec) {
            uint32_t size = get32(c + off + 4);
            libevtx_record_t *rec = NULL;
            char provider[256] = "";
            size_t psz = 0;
            uint32_t id = 0;
            struct evtx_facts f;
            int r, slow;

            assert_int_equal(libevtx_file_get_record_by_index(lf, index++, &rec, NULL), 1);
            assert_int_equal(libevtx_record_get_event_identifier(rec, &id, NULL), 1);
            if (libevtx_record_get_utf8_source_name_size(rec, &psz, NULL) == 1 && psz > 0)
                assert_int_equal(libevtx_record_get_utf8_source_name(
                                     rec, (uint8_t *)provider, sizeof provider, NULL), 1);
            slow = libevtx_verdict(rec, provider, id);
            r = evtx_peek_record(pk, off, size, &f);
            assert_true(r == 0 || r == 1);
            t->records++;
            t->skipped_slow += !slow;
            if (r == 1) {
                t->peeked++;
                t->complete += f.complete;
                assert_string_equal(f.provider, provider);
                assert_int_equal(f.event_id, (int)(id & 0xFFFF));
                int fast = wu_provider_may_matter(f.provider) &&
                           (!f.complete ||
                            wu_event_may_matter(f.provider, f.event_id, f.strings,
                                                f.nstrings, f.binary, f.binlen));
                if (slow && !fast)
                    fail_msg("%s record %d (%s %u): wanted, but the peek refuses it",
                             rel, index - 1, provider, id);
                t->skipped_fast += !fast;
            }
            libevtx_record_free(&rec, NULL);
            off += size;
        }
    }
    assert_int_equal(index, nrec);
    libevtx_file_close(lf, NULL);
    libevtx_file_free(&lf, NULL);
    evtx_peek_free(pk);
    free(file);
    free(path);
}

static void test_agrees_with_libevtx(void **state)
{
    struct tally all = {0, 0, 0, 0, 0};

    (void)state;
    for (size_t i = 0; i < NLOGS; i++) {
        struct tally t;
        compare_log(logs[i], &t);
        print_message("%s: %ld records, %ld read from their bytes (%ld complete); "
                      "not wanted: %ld by libevtx's values, %ld by the peek\n",
                      logs[i], t.records, t.peeked, t.complete, t.skipped_slow,
                      t.skipped_fast);
        all.records += t.records;
        all.peeked += t.peeked;
        all.skipped_slow += t.skipped_slow;
        all.skipped_fast += t.skipped_fast;
    }
    /* the peek answers for (nearly) every record of real logs, and refuses
     * (nearly) every record the slow way refuses */
    assert_true(all.records > 8000);
    assert_true(all.peeked * 100 >= all.records * 98);
    assert_true(all.skipped_fast * 100 >= all.skipped_slow * 95);
}

/* ---- rendering ------------------------------------------------------------ */

/* One parsed event, flattened to text for comparison. */
static int flatten(void *ctx, struct wu_event *ev)
{
    struct strbuf *sb = ctx;
    sb_printf(sb, "provider=%s|id=%d|level=%d|time=%lld|record=%lld|channel=%s|"
              "computer=%s|message=%s|binary=%s", ev->provider, ev->event_id,
              ev->level, (long long)ev->time_us, (long long)ev->record_id,
              ev->channel, ev->computer, ev->message ? ev->message : "(none)",
              ev->binary ? ev->binary : "(none)");
    for (size_t i = 0; i < ev->ndata; i++)
        sb_printf(sb, "|%s=%s", ev->data[i].name, ev->data[i].value);
    return 0;
}

/* XML (n bytes, scrubbed as the reader scrubs it) as one flattened event. */
static void parse_flat(const char *xml, size_t n, struct strbuf *out)
{
    struct xml_events *xe = xml_events_new(flatten, out);
    char *copy = malloc(n + 1);
    char why[256];

    assert_non_null(xe);
    assert_non_null(copy);
    memcpy(copy, xml, n);
    copy[n] = '\0';
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)copy[i] < 0x20 && copy[i] != '\t' && copy[i] != '\n' &&
            copy[i] != '\r')
            copy[i] = ' ';
    sb_reset(out);
    assert_int_equal(xml_events_parse_one(xe, copy, n, why, sizeof why), 0);
    assert_int_equal(xml_events_count(xe), 1);
    xml_events_free(xe);
    free(copy);
}

/*
 * Whether two flattened events are the same.  One known difference is
 * allowed: libevtx 20181227 writes a negative 32-bit integer in sign and
 * magnitude (-540 as -2147483108, 0x80000000 | 540's two's complement
 * bits taken as magnitude); evtx_peek writes -540, as Windows does.
 */
static int same_event(const char *ours, const char *theirs)
{
    while (*ours || *theirs) {
        size_t lo = strcspn(ours, "|"), lt = strcspn(theirs, "|");
        if (lo != lt || memcmp(ours, theirs, lo) != 0) {
            const char *eo = memchr(ours, '=', lo), *et = memchr(theirs, '=', lt);
            long long o, t;
            char *end;
            if (!eo || !et || eo - ours != et - theirs || memcmp(ours, theirs, (size_t)(eo - ours)))
                return 0;
            o = strtoll(eo + 1, &end, 10);
            if (end != ours + lo)
                return 0;
            t = strtoll(et + 1, &end, 10);
            if (end != theirs + lt || o >= 0 || t != -(o + 2147483648LL))
                return 0;
        }
        ours += lo + (ours[lo] == '|');
        theirs += lt + (theirs[lt] == '|');
    }
    return 1;
}

static void render_log(const char *rel, long *records, long *rendered,
                       long *wanted, long *wanted_rendered)
{
    char *path = tu_data_file(rel);
    size_t len;
    unsigned char *file = slurp(path, &len);
    libevtx_file_t *lf = NULL;
    struct evtx_peek *pk = evtx_peek_new();
    struct strbuf ours, theirs, a, b;
    char *xml = malloc(1 << 20);
    int nrec = 0, index = 0;

    sb_init(&ours);
    sb_init(&theirs);
    sb_init(&a);
    sb_init(&b);
    assert_non_null(pk);
    assert_non_null(xml);
    assert_int_equal(libevtx_file_initialize(&lf, NULL), 1);
    assert_int_equal(libevtx_file_open(lf, path, LIBEVTX_OPEN_READ, NULL), 1);
    assert_int_equal(libevtx_file_get_number_of_records(lf, &nrec, NULL), 1);
    for (size_t at = HDR; at + CHUNK <= len && index < nrec; at += CHUNK) {
        const unsigned char *c = file + at;
        uint32_t off = 512, fso = get32(c + 48);

        if (memcmp(c, "ElfChnk", 8) != 0)
            continue;
        evtx_peek_chunk(pk, c);
        while (off + 24 <= fso && get32(c + off) == 0x00002a2a && index < nrec) {
            uint32_t size = get32(c + off + 4);
            libevtx_record_t *rec = NULL;
            int r;

            assert_int_equal(libevtx_file_get_record_by_index(lf, index++, &rec, NULL), 1);
            assert_int_equal(libevtx_record_get_utf8_xml_string(rec, (uint8_t *)xml,
                                                                1 << 20, NULL), 1);
            struct evtx_facts f;
            int want = evtx_peek_record(pk, off, size, &f) != 1 ||
                       (wu_provider_may_matter(f.provider) &&
                        (!f.complete ||
                         wu_event_may_matter(f.provider, f.event_id, f.strings,
                                             f.nstrings, f.binary, f.binlen)));
            r = evtx_peek_xml(pk, off, size, &ours);
            assert_true(r == 0 || r == 1);
            (*records)++;
            *wanted += want;
            if (r == 1) {
                (*rendered)++;
                *wanted_rendered += want;
                parse_flat(xml, strlen(xml), &b);
                parse_flat(ours.buf, ours.len, &a);
                if (!same_event(a.buf, b.buf))
                    fail_msg("%s record %d differs:\n ours:   %s\n libevtx: %s\n xml: %.*s",
                             rel, index - 1, a.buf, b.buf, (int)ours.len, ours.buf);
            }
            libevtx_record_free(&rec, NULL);
            off += size;
        }
    }
    libevtx_file_close(lf, NULL);
    libevtx_file_free(&lf, NULL);
    evtx_peek_free(pk);
    sb_free(&ours);
    sb_free(&theirs);
    sb_free(&a);
    sb_free(&b);
    free(xml);
    free(file);
    free(path);
}

static void test_renders_as_libevtx(void **state)
{
    long wanted = 0, wanted_rendered = 0;

    (void)state;
    for (size_t i = 0; i < NLOGS; i++) {
        long records = 0, rendered = 0, w = 0, wr = 0;
        render_log(logs[i], &records, &rendered, &w, &wr);
        print_message("%s: %ld of %ld records rendered, each as libevtx renders "
                      "it; of the %ld the filter may want, %ld\n", logs[i],
                      rendered, records, w, wr);
        wanted += w;
        wanted_rendered += wr;
    }
    /* the records an import renders: nearly all without libevtx */
    assert_true(wanted > 1000);
    assert_true(wanted_rendered * 100 >= wanted * 95);
}

/* Cut records and scrambled bytes: an answer or a refusal, in bounds (run
 * under ASan by `make asan`). */
static void test_hostile_records(void **state)
{
    char *path = tu_data_file("evtx/system-win10-2017.evtx");
    size_t len;
    unsigned char *file = slurp(path, &len);
    unsigned char *c = malloc(CHUNK);
    struct evtx_peek *pk = evtx_peek_new();
    uint32_t seed = 12345;
    long answered = 0, refused = 0;

    (void)state;
    assert_non_null(c);
    assert_non_null(pk);
    for (int round = 0; round < 300; round++) {
        uint32_t off = 512, fso;
        memcpy(c, file + HDR, CHUNK);
        fso = get32(c + 48);
        /* scramble a few bytes past the header */
        for (int k = 0; k < 1 + round % 8; k++) {
            seed = seed * 1103515245u + 12345u;
            c[512 + (seed >> 8) % (fso - 512)] = (unsigned char)(seed >> 3);
        }
        evtx_peek_chunk(pk, c);
        while (off + 24 <= fso && get32(c + off) == 0x00002a2a) {
            uint32_t size = get32(c + off + 4);
            struct evtx_facts f;
            if (size < 28 || size > fso - off)
                break;
            /* the record whole, and cut short */
            for (uint32_t cut = 0; cut <= 16; cut += 8) {
                int r = evtx_peek_record(pk, off, size > 42 + cut ? size - cut : size, &f);
                assert_true(r == 0 || r == 1);
                if (r == 1) {
                    answered++;
                    assert_non_null(f.provider);
                    assert_true(f.event_id >= 0 && f.event_id <= 65535);
                    for (size_t i = 0; i < f.nstrings; i++)
                        assert_non_null(f.strings[i]);
                    if (f.binlen)
                        assert_true(f.binary >= c && f.binary + f.binlen <= c + CHUNK);
                } else {
                    refused++;
                }
            }
            off += size;
        }
    }
    /* out-of-range calls */
    struct evtx_facts f;
    assert_int_equal(evtx_peek_record(pk, CHUNK - 10, 100, &f), 0);
    assert_int_equal(evtx_peek_record(pk, 512, 10, &f), 0);
    assert_true(answered > 0 && refused > 0);
    evtx_peek_free(pk);
    free(c);
    free(file);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_agrees_with_libevtx),
        cmocka_unit_test(test_renders_as_libevtx),
        cmocka_unit_test(test_hostile_records),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
