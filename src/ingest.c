/*
 * ingest.c - classify and store events for a run (see ingest.h).
 */
#include "src/ingest.h"
#include "collector/filter.h"
#include "store/store.h"

#include <string.h>

int ingest_event(void *ctx, struct wu_event *ev)
{
    struct ingest *s = ctx;
    int inserted;

    if ((s->since_us && ev->time_us < s->since_us) || !wu_classify(ev)) {
        s->stats.unrelated++;
        s->store_status = store_count_unrelated(s->store, ev->provider);
        return s->store_status;
    }
    s->store_status = store_add_event(s->store, ev, &inserted);
    if (s->store_status)
        return s->store_status;
    if (!inserted) {
        s->stats.duplicates++;
        return 0;
    }
    s->stats.stored++;
    if (ev->svc_state || ev->svc_start) {
        const char *display = wu_event_get(ev, ev->kind == EK_SERVICE_INSTALLED
                                                    ? "ServiceName" : "param1");
        s->store_status = store_add_service_state(s->store, ev->computer,
                                                  ev->time_us, ev->service, display,
                                                  ev->svc_state, ev->svc_start,
                                                  "event");
    }
    return s->store_status;
}

static int want_provider(void *ctx, const char *provider)
{
    (void)ctx;
    return wu_provider_may_matter(provider);
}

static int want_event(void *ctx, const char *provider, int event_id,
                      const char *const *strings, size_t nstrings,
                      const unsigned char *binary, size_t binlen)
{
    (void)ctx;
    return wu_event_may_matter(provider, event_id, strings, nstrings, binary, binlen);
}

static int skipped(void *ctx, const char *provider)
{
    struct ingest *s = ctx;
    s->stats.unrelated++;
    s->store_status = store_count_unrelated(s->store, provider);
    return s->store_status;
}

void ingest_init(struct ingest *in, struct store *st)
{
    memset(in, 0, sizeof *in);
    in->store = st;
    in->sink.event = ingest_event;
    in->sink.want_provider = want_provider;
    in->sink.want_event = want_event;
    in->sink.skipped = skipped;
    in->sink.ctx = in;
}
