/*
 * ingest.c - classify and store events for a run (see ingest.h).
 *
 * Staged records are a byte stream: an op byte, then fixed-size integers
 * and strings as a 32-bit length (0xFFFFFFFF for NULL), the bytes and a
 * NUL, so that replaying points into the chunk instead of copying.
 */
#include "src/ingest.h"
#include "collector/filter.h"
#include "collector/osinfo.h"
#include "store/store.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

enum { OP_FACT = 1, OP_EVENT = 2 };
#define NULL_LEN 0xFFFFFFFFu

/* ---- writing records ------------------------------------------------- */

static void put_bytes(struct strbuf *sb, const void *p, size_t n)
{
    sb_add(sb, (const char *)p, n);
}

static void put_i64(struct strbuf *sb, int64_t v)
{
    put_bytes(sb, &v, sizeof v);
}

static void put_str(struct strbuf *sb, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    uint32_t len = s ? (uint32_t)n : NULL_LEN;
    if (s && n >= NULL_LEN) {       /* no event field is ever this long */
        sb->oom = 1;
        return;
    }
    put_bytes(sb, &len, sizeof len);
    if (s)
        put_bytes(sb, s, n + 1);
}

/* A record is complete: past INGEST_CHUNK the buffer goes to the store. */
static int staged_done(struct ingest *in)
{
    if (in->stage.oom)
        return in->store_status = STORE_E_NOMEM;
    if (in->stage.len < INGEST_CHUNK)
        return 0;
    if ((in->store_status = store_stage_put(in->store, in->stage.buf, in->stage.len)))
        return in->store_status;
    in->chunks++;
    sb_reset(&in->stage);
    return 0;
}

static int stage_fact(struct ingest *in, const char *host, const char *name,
                      const char *value, int64_t time_us)
{
    sb_addc(&in->stage, OP_FACT);
    put_str(&in->stage, host);
    put_str(&in->stage, name);
    put_str(&in->stage, value);
    put_i64(&in->stage, time_us);
    return staged_done(in);
}

static int stage_event(struct ingest *in, const struct wu_event *ev)
{
    struct strbuf *sb = &in->stage;
    const char *strs[] = {ev->channel, ev->provider, ev->computer, ev->message,
                          ev->binary, ev->service, ev->update_title,
                          ev->update_guid, ev->kb, ev->svc_state, ev->svc_start,
                          ev->detail};
    const int64_t nums[] = {ev->event_id, ev->level, ev->time_us, ev->record_id,
                            (int64_t)ev->kind, (int64_t)ev->outcome, ev->has_code,
                            (int64_t)ev->code, (int64_t)ev->ndata};

    sb_addc(sb, OP_EVENT);
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++)
        put_i64(sb, nums[i]);
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
        put_str(sb, strs[i]);
    for (size_t i = 0; i < ev->ndata; i++) {
        put_str(sb, ev->data[i].name);
        put_str(sb, ev->data[i].value);
    }
    return staged_done(in);
}

/* ---- reading them back ----------------------------------------------- */

struct reader {
    const char *p, *end;
    int bad;
};

static int64_t get_i64(struct reader *r)
{
    int64_t v = 0;
    if ((size_t)(r->end - r->p) < sizeof v) {
        r->bad = 1;
        return 0;
    }
    memcpy(&v, r->p, sizeof v);
    r->p += sizeof v;
    return v;
}

static const char *get_str(struct reader *r)
{
    uint32_t len;
    const char *s;
    if ((size_t)(r->end - r->p) < sizeof len) {
        r->bad = 1;
        return NULL;
    }
    memcpy(&len, r->p, sizeof len);
    r->p += sizeof len;
    if (len == NULL_LEN)
        return NULL;
    if ((size_t)(r->end - r->p) <= len || r->p[len] != '\0') {
        r->bad = 1;
        return NULL;
    }
    s = r->p;
    r->p += (size_t)len + 1;
    return s;
}

/* ---- what a record does to the store ----------------------------------- */

static int apply_event(struct ingest *s, const struct wu_event *ev)
{
    int inserted;

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

static int note_fact(struct ingest *s, const char *host, const char *name,
                     const char *value, int64_t time_us)
{
    if (s->staged)
        return stage_fact(s, host, name, value, time_us);
    return s->store_status = store_note_fact(s->store, host, name, value, time_us);
}

/* Replay one chunk of records (a store_stage_each callback too). */
static int replay(void *ctx, const void *data, size_t len)
{
    struct ingest *s = ctx;
    struct reader r = {data, (const char *)data + len, 0};
    int rc = STORE_OK;

    while (!rc && !r.bad && r.p < r.end) {
        int op = (unsigned char)*r.p++;
        if (op == OP_FACT) {
            const char *host = get_str(&r), *name = get_str(&r), *value = get_str(&r);
            int64_t t = get_i64(&r);
            if (!r.bad && name && value)
                rc = s->store_status = store_note_fact(s->store, host, name, value, t);
            else
                r.bad = 1;
        } else if (op == OP_EVENT) {
            struct wu_event ev;
            const char **strs[] = {&ev.channel, &ev.provider, &ev.computer, &ev.message,
                                   &ev.binary, &ev.service, &ev.update_title,
                                   &ev.update_guid, NULL, &ev.svc_state, &ev.svc_start,
                                   &ev.detail};
            memset(&ev, 0, sizeof ev);
            ev.event_id = (int)get_i64(&r);
            ev.level = (int)get_i64(&r);
            ev.time_us = get_i64(&r);
            ev.record_id = get_i64(&r);
            ev.kind = (enum ev_kind)get_i64(&r);
            ev.outcome = (enum ev_outcome)get_i64(&r);
            ev.has_code = (int)get_i64(&r);
            ev.code = (uint32_t)get_i64(&r);
            int64_t ndata = get_i64(&r);
            for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
                const char *v = get_str(&r);
                if (strs[i])
                    *strs[i] = v;
                else
                    snprintf(ev.kb, sizeof ev.kb, "%s", v ? v : "");
            }
            if (ndata < 0 || ndata > WU_MAX_DATA || !ev.provider)
                r.bad = 1;
            for (int64_t i = 0; !r.bad && i < ndata; i++) {
                ev.data[i].name = get_str(&r);
                ev.data[i].value = get_str(&r);
            }
            ev.ndata = r.bad ? 0 : (size_t)ndata;
            if (!r.bad)
                rc = apply_event(s, &ev);
        } else {
            r.bad = 1;
        }
    }
    if (!rc && r.bad)
        rc = s->store_status = STORE_E_SQL;     /* our own records: cannot happen */
    return rc;
}

int ingest_flush(struct ingest *in)
{
    int rc;
    if (!in->staged || in->store_status)
        return in->store_status;
    if (in->chunks && (rc = store_stage_each(in->store, replay, in)))
        return in->store_status = rc;
    if (in->stage.len && (rc = replay(in, in->stage.buf, in->stage.len)))
        return rc;
    ingest_free(in);
    return STORE_OK;
}

void ingest_free(struct ingest *in)
{
    if (in->chunks)
        store_stage_clear(in->store);
    in->chunks = 0;
    sb_free(&in->stage);
    sb_init(&in->stage);
}

int ingest_event(void *ctx, struct wu_event *ev)
{
    struct ingest *s = ctx;
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
            if (*v && note_fact(s, ev->computer, fields[i].fact, v, ev->time_us))
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
    return s->staged ? stage_event(s, ev) : apply_event(s, ev);
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
    sb_init(&in->stage);
}

void ingest_init_staged(struct ingest *in, struct store *st)
{
    ingest_init(in, st);
    in->staged = 1;
}
