/*
 * ingest.c - classify and store events for a run (see ingest.h).
 */
#include "src/ingest.h"
#include "collector/filter.h"
#include "collector/osinfo.h"
#include "store/store.h"

#include <stddef.h>
#include <string.h>

int ingest_event(void *ctx, struct wu_event *ev)
{
    struct ingest *s = ctx;
    int inserted;
    struct wu_os_clue os;

    /* what the event says of the OS becomes facts; a text log's OS line is
     * no event of its own */
    if (wu_os_clue_of_event(ev, &os)) {
        static const struct { const char *fact; size_t off; } fields[] = {
            {"os.version", offsetof(struct wu_os_clue, version)},
            {"os.base", offsetof(struct wu_os_clue, base)},
            {"os.type", offsetof(struct wu_os_clue, type)},
            {"os.language", offsetof(struct wu_os_clue, lang)},
            {"os.sp", offsetof(struct wu_os_clue, sp)},
            {"os.edition", offsetof(struct wu_os_clue, edition)},
            {"os.locale", offsetof(struct wu_os_clue, locale)},
        };
        for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
            const char *v = (const char *)&os + fields[i].off;
            if (*v && (s->store_status = store_note_fact(s->store, ev->computer, fields[i].fact,
                                                         v, ev->time_us)))
                return s->store_status;
        }
    }
    if (ev->event_id == TL_EV_OS_INFO && wu_event_get(ev, "format") &&
        (ev_family_of(ev->provider) == EF_SERVICING_LOG ||
         ev_family_of(ev->provider) == EF_WU_LOG)) {
        if (wu_event_get(ev, "uncounted"))
            return 0;           /* its line is counted as the event it also is */
        s->stats.unrelated++;
        s->store_status = store_count_unrelated(s->store, ev->provider);
        return s->store_status;
    }
    /* an event kept only for what it says of the OS (EK_OS_INFO) is no
     * evidence of its own */
    if ((s->since_us && ev->time_us < s->since_us) || !wu_classify(ev) ||
        ev->kind == EK_OS_INFO) {
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
