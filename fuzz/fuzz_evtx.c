/*
 * fuzz_evtx.c - libFuzzer target for .evtx import.
 *
 * libevtx opens files by name, so the input is written to a private
 * temporary file, then run through source_detect() and evtx_source.read()
 * as `wudiag import` does, with a sink that checks and classifies every
 * event.  libevtx itself is not instrumented (it is Debian's library); what
 * is checked is that wudiag survives whatever libevtx hands it.
 */
#include "fuzz_common.h"
#include "collector/filter.h"
#include "collector/source.h"

#include <unistd.h>

struct fe_ctx {
    long events, skipped;
};

static int fe_event(void *ctx, struct wu_event *ev)
{
    struct fe_ctx *c = ctx;
    if (ev->time_us < -11644473600000000LL || ev->time_us > 253402300800999999LL)
        fz_fail("time out of range: %lld", (long long)ev->time_us);
    if (ev->event_id < 0 || ev->event_id > 65535 || !ev->provider ||
        !ev->channel || !ev->computer || ev->ndata > WU_MAX_DATA)
        fz_fail("bad event fields");
    wu_classify(ev);
    c->events++;
    return 0;
}

static int fe_want(void *ctx, const char *provider)
{
    (void)ctx;
    if (!provider)
        fz_fail("NULL provider offered");
    return wu_provider_may_matter(provider);
}

static int fe_want_event(void *ctx, const char *provider, int event_id,
                         const char *const *strings, size_t nstrings,
                         const unsigned char *binary, size_t binlen)
{
    (void)ctx;
    for (size_t i = 0; i < nstrings; i++)
        if (!strings[i])
            fz_fail("NULL string %zu offered", i);
    return wu_event_may_matter(provider, event_id, strings, nstrings, binary, binlen);
}

static int fe_skipped(void *ctx, const char *provider)
{
    struct fe_ctx *c = ctx;
    (void)provider;
    c->skipped++;
    return 0;
}

static const char *fe_path(void)
{
    static char path[512];
    if (!path[0]) {
        const char *dir = getenv("TMPDIR");
        snprintf(path, sizeof path, "%s/wudiag-fuzz-evtx-%ld.evtx",
                 dir && *dir ? dir : "/tmp", (long)getpid());
    }
    return path;
}

/* Import one file the way cmd_import does; returns the source status. */
static int fe_read_file(const char *path, long *events)
{
    struct fe_ctx c = {0, 0};
    struct source_sink sink = {.event = fe_event, .want_provider = fe_want,
                               .want_event = fe_want_event,
                               .skipped = fe_skipped, .ctx = &c};
    struct wu_stats stats;
    unsigned char head[SOURCE_HEAD];
    char err[512] = "";
    const struct wu_source *src;
    int rc = -1;
    FILE *fp = fopen(path, "rb");
    size_t n;

    if (!fp)
        return -1;
    memset(&stats, 0, sizeof stats);
    n = fread(head, 1, sizeof head, fp);
    if ((src = source_detect(head, n)) == &evtx_source) {
        rc = src->read(path, fp, head, n, &sink, &stats, err, sizeof err);
        if ((rc == SRC_PARTIAL || rc == SRC_BAD) && !err[0])
            fz_fail("evtx read failed (%d) without a message", rc);
        if (stats.read != c.events + c.skipped)
            fz_fail("read %ld but %ld delivered + %ld skipped", stats.read,
                    c.events, c.skipped);
        if (stats.damaged < 0)
            fz_fail("negative damaged count");
    }
    fclose(fp);
    if (events)
        *events = c.events;
    return rc;
}

static int fuzz_evtx(const uint8_t *data, size_t size)
{
    const char *path = fe_path();
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return 0;
    if (size && fwrite(data, 1, size, fp) != size) {
        fclose(fp);
        return 0;
    }
    if (fclose(fp) != 0)
        return 0;
    fe_read_file(path, NULL);
    unlink(path);
    return 0;
}

FUZZ_ENTRY(fuzz_evtx)
