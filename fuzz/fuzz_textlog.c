/*
 * fuzz_textlog.c - libFuzzer target for text-log import (CBS.log, DISM.log,
 * WindowsUpdate.log): the line reader on its own with a small line cap,
 * then source_detect() and textlog_source.read() from an in-memory stream
 * into the real ingest sink (classify, store in an in-memory database,
 * rolled back), checking every event delivered.
 */
#include "fuzz_common.h"
#include "collector/filter.h"
#include "src/ingest.h"
#include "collector/linereader.h"
#include "collector/source.h"
#include "store/store.h"

struct ft_ctx {
    struct ingest in;
    long events;
};

static int ft_event(void *ctx, struct wu_event *ev)
{
    struct ft_ctx *c = ctx;
    if (ev->time_us < -11644473600000000LL || ev->time_us > 253402300800999999LL)
        fz_fail("time out of range: %lld", (long long)ev->time_us);
    if (!ev->provider || !ev->channel || !ev->computer || ev->ndata > WU_MAX_DATA)
        fz_fail("bad event fields");
    for (size_t i = 0; i < ev->ndata; i++)
        if (!ev->data[i].name || !ev->data[i].value)
            fz_fail("NULL data item %zu", i);
    /* an OS line that is also a pattern event is delivered twice, the
     * second time marked uncounted: one line, one counted event */
    if (!wu_event_get(ev, "uncounted"))
        c->events++;
    return ingest_event(&c->in, ev);
}

static struct store *ft_store(void)
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

static void ft_lines(const uint8_t *data, size_t size, size_t cap)
{
    FILE *fp = fmemopen((void *)data, size, "rb");
    unsigned char head[64];
    size_t n;
    char *line;
    size_t len;
    long prev = 0;

    if (!fp)
        return;
    n = fread(head, 1, sizeof head, fp);
    struct linereader *lr = lr_open(fp, head, n, cap);
    if (lr) {
        while (lr_next(lr, &line, &len) == 1) {
            if (len > cap || line[len] != '\0')
                fz_fail("line of %zu bytes with a cap of %zu", len, cap);
            if (lr_line_number(lr) != prev + 1)
                fz_fail("line number %ld after %ld", lr_line_number(lr), prev);
            prev = lr_line_number(lr);
        }
        lr_close(lr);
    }
    fclose(fp);
}

static int fuzz_textlog(const uint8_t *data, size_t size)
{
    struct store *st = ft_store();
    unsigned char head[SOURCE_HEAD];
    char err[512] = "";
    struct ft_ctx c;
    FILE *fp;
    size_t n;

    if (!size)
        return 0;
    ft_lines(data, size, 16);
    ft_lines(data, size, 4096);
    if (!st || !(fp = fmemopen((void *)data, size, "rb")))
        return 0;
    n = fread(head, 1, sizeof head, fp);
    if (source_detect(head, n) == &textlog_source &&
        store_run_begin(st, "import", "fuzz", NULL, err, sizeof err) == STORE_OK) {
        memset(&c, 0, sizeof c);
        ingest_init(&c.in, st);
        struct source_sink sink = {.event = ft_event, .ctx = &c};
        int rc = textlog_source.read("fuzz.log", fp, head, n, &sink, &c.in.stats,
                                     err, sizeof err);
        if ((rc == SRC_PARTIAL || rc == SRC_BAD) && !err[0])
            fz_fail("textlog read failed (%d) without a message", rc);
        if (c.events > c.in.stats.read)
            fz_fail("%ld counted events from %ld lines", c.events, c.in.stats.read);
        store_run_abort(st);
    }
    fclose(fp);
    return 0;
}

FUZZ_ENTRY(fuzz_textlog)
