/*
 * fuzz_xml.c - libFuzzer target for event XML import.
 *
 * The input is an XML file.  It is parsed three ways: in one piece, in
 * pieces whose sizes come from a hash of the input (UTF-16 units and
 * UTF-8 sequences get split), and through xml_source.read() into the real
 * ingest sink, staged as import stages it (classify, stage, then write in
 * a run in an in-memory database, rolled back).  The
 * first two must deliver exactly the same events and agree on success;
 * every delivered event must hold sane fields.
 */
#include "fuzz_common.h"
#include "collector/filter.h"
#include "src/ingest.h"
#include "collector/source.h"
#include "store/store.h"
#include "collector/xmlevents.h"

struct fx_tally {
    uint64_t hash;
    long n;
};

static uint64_t fx_mix(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ s[i]) * 1099511628211ULL;
    return h;
}

static uint64_t fx_mix_str(uint64_t h, const char *s)
{
    if (!s)
        return fx_mix(h, "\xff", 1);
    return fx_mix(h, s, strlen(s) + 1);
}

/* Check an event as every source delivers it. */
static void fx_check_event(const struct wu_event *ev)
{
    /* 1601-01-01 .. 9999-12-31T23:59:60.999999 */
    if (ev->time_us < -11644473600000000LL || ev->time_us > 253402300800999999LL)
        fz_fail("time out of range: %lld", (long long)ev->time_us);
    if (ev->event_id < 0 || ev->event_id > 65535)
        fz_fail("event id out of range: %d", ev->event_id);
    if (!ev->provider || !ev->channel || !ev->computer)
        fz_fail("NULL provider, channel or computer");
    if (ev->ndata > WU_MAX_DATA)
        fz_fail("ndata %zu", ev->ndata);
    for (size_t i = 0; i < ev->ndata; i++)
        if (!ev->data[i].name || !ev->data[i].value)
            fz_fail("NULL data item %zu", i);
}

static int fx_tally_event(void *ctx, struct wu_event *ev)
{
    struct fx_tally *t = ctx;
    uint64_t h = t->hash;

    fx_check_event(ev);
    h = fx_mix_str(h, ev->provider);
    h = fx_mix_str(h, ev->channel);
    h = fx_mix_str(h, ev->computer);
    h = fx_mix_str(h, ev->message);
    h = fx_mix_str(h, ev->binary);
    h = fx_mix(h, &ev->event_id, sizeof ev->event_id);
    h = fx_mix(h, &ev->level, sizeof ev->level);
    h = fx_mix(h, &ev->time_us, sizeof ev->time_us);
    h = fx_mix(h, &ev->record_id, sizeof ev->record_id);
    for (size_t i = 0; i < ev->ndata; i++) {
        h = fx_mix_str(h, ev->data[i].name);
        h = fx_mix_str(h, ev->data[i].value);
    }
    t->hash = h;
    t->n++;
    /* the classifier must cope with whatever the parser delivers */
    wu_classify(ev);
    return 0;
}

/* Parse data in pieces of the given sizes (cycled); returns feed's result. */
static int fx_parse(const uint8_t *data, size_t size, const size_t *pieces,
                    size_t npieces, struct fx_tally *t, long *bad)
{
    struct xml_events *xe = xml_events_new(fx_tally_event, t);
    char err[256];
    size_t off = 0, k = 0;
    int rc = 0;

    if (!xe)
        return -2;
    do {
        size_t n = npieces ? pieces[k++ % npieces] : size;
        if (n > size - off)
            n = size - off;
        int final = off + n == size;
        err[0] = '\0';
        rc = xml_events_feed(xe, (const char *)data + off, n, final, err, sizeof err);
        if (rc < 0 && !err[0])
            fz_fail("feed failed without a message");
        off += n;
        if (final)
            break;
    } while (rc == 0);
    *bad = xml_events_bad(xe);
    if (xml_events_count(xe) != t->n)
        fz_fail("count %ld but %ld events delivered", xml_events_count(xe), t->n);
    xml_events_free(xe);
    return rc;
}

static struct store *fx_store(void)
{
    static struct store *st;
    static int tried;
    char err[256];
    if (!tried) {
        tried = 1;
        if (store_open(":memory:", 0, &st, err, sizeof err) != STORE_OK)
            fz_fail("cannot open an in-memory store: %s", err);
    }
    return st;
}

/* The real import path (xml_source.read into the ingest sink), rolled back. */
static void fx_import(const uint8_t *data, size_t size)
{
    struct store *st = fx_store();
    struct ingest in;
    char err[512] = "";
    FILE *fp;
    unsigned char head[SOURCE_HEAD];
    size_t n;

    if (!st || !size || !(fp = fmemopen((void *)data, size, "rb")))
        return;
    n = fread(head, 1, sizeof head, fp);
    if (source_detect(head, n) == &xml_source) {
        /* staged as import does: parse first, then write in the run */
        ingest_init_staged(&in, st);
        int rc = xml_source.read("fuzz.xml", fp, head, n, &in.sink, &in.stats,
                                 err, sizeof err);
        if ((rc == SRC_PARTIAL || rc == SRC_BAD) && !err[0])
            fz_fail("xml_source failed (%d) without a message", rc);
        if ((rc == SRC_OK || rc == SRC_PARTIAL) &&
            store_run_begin(st, "import", "fuzz", NULL, err, sizeof err) == STORE_OK &&
            ingest_flush(&in) != STORE_OK)
            fz_fail("writing staged events failed: %s", store_errmsg(st));
        if (in.stats.stored + in.stats.unrelated + in.stats.duplicates > in.stats.read)
            fz_fail("more events stored than read");
        store_run_abort(st);
        ingest_free(&in);
    }
    fclose(fp);
}

static int fuzz_xml(const uint8_t *data, size_t size)
{
    struct fx_tally whole = {1469598103934665603ULL, 0};
    struct fx_tally split = {1469598103934665603ULL, 0};
    size_t pieces[8];
    uint64_t h = fx_mix(1469598103934665603ULL, data, size < 64 ? size : 64);
    long bad1 = 0, bad2 = 0;

    for (int i = 0; i < 8; i++) {
        pieces[i] = 1 + (h & (i & 1 ? 0x3F : 0x7));   /* 1..8 and 1..64 bytes */
        h = h * 6364136223846793005ULL + 1442695040888963407ULL;
        h ^= h >> 29;
    }
    int rc1 = fx_parse(data, size, NULL, 0, &whole, &bad1);
    int rc2 = fx_parse(data, size, pieces, 8, &split, &bad2);
    if ((rc1 == 0) != (rc2 == 0))
        fz_fail("whole parse returned %d, split parse %d", rc1, rc2);
    if (rc1 == 0 && (whole.n != split.n || whole.hash != split.hash || bad1 != bad2))
        fz_fail("whole parse gave %ld events (%ld bad), split parse %ld (%ld bad)%s",
                whole.n, bad1, split.n, bad2,
                whole.n == split.n ? " with different content" : "");

    /* one self-contained document, as libevtx renders a record */
    struct fx_tally one = {0, 0};
    struct xml_events *xe = xml_events_new(fx_tally_event, &one);
    if (xe) {
        char err[256];
        xml_events_parse_one(xe, (const char *)data, size, err, sizeof err);
        xml_events_free(xe);
    }
    fx_import(data, size);
    return 0;
}

FUZZ_ENTRY(fuzz_xml)
