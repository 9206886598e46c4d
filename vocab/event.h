/*
 * event.h - the one record type that flows from every source to the store.
 *
 * Sources (evtx, XML, live Windows) parse an event into a struct wu_event and
 * hand it to an event sink.  All strings are borrowed: they stay valid only
 * for the duration of the sink call; the store copies what it keeps.
 */
#ifndef WUDIAG_EVENT_H
#define WUDIAG_EVENT_H

#include <stddef.h>
#include <stdint.h>

#include "vocab/semantics.h"

#define WU_MAX_DATA 32

struct wu_kv {
    const char *name;   /* Data Name= attribute, or "param%d" when unnamed */
    const char *value;
};

struct wu_event {
    const char *channel;     /* "System", "Setup", ... ("" when unknown) */
    const char *provider;    /* Provider Name= */
    const char *computer;
    int event_id;
    int level;               /* 0..5 as in the log (2 error, 3 warning, 4 info) */
    int64_t time_us;         /* TimeCreated, microseconds since 1970 UTC */
    int64_t record_id;       /* EventRecordID, -1 when absent */
    const char *message;     /* RenderingInfo/Message, or NULL */
    const char *binary;      /* EventData/Binary hex text, or NULL */
    size_t ndata;
    struct wu_kv data[WU_MAX_DATA];

    /* Derived by the classifier (filter.c), not by the sources. */
    enum ev_kind kind;       /* what happened (vocab/semantics.h) */
    enum ev_outcome outcome; /* how it ended */
    const char *service;     /* service short name, or NULL */
    int has_code;
    uint32_t code;           /* error code when has_code */
    const char *update_title;
    const char *update_guid;
    char kb[16];             /* "KB4025342" or "" */
    const char *svc_state;   /* SCM 7036: running, stopped, ... or NULL */
    const char *svc_start;   /* SCM 7040/7045: auto, demand, disabled, ... */
    const char *detail;      /* the event's short extra text (ev_detail_field) */
    char service_buf[64];    /* storage for a decoded service name */
};

/* Value of the data item called name (case-sensitive), or NULL. */
const char *wu_event_get(const struct wu_event *ev, const char *name);

/* Per-source counts, reported per file and stored with the run. */
struct wu_stats {
    long read;        /* records seen */
    long stored;      /* new rows written */
    long unrelated;   /* not update-related: counted, not stored */
    long duplicates;  /* already in the store */
    long damaged;     /* records that could not be read */
};

/*
 * Where a source delivers events.  Return 0 to go on, non-zero to stop the
 * source (it then returns that value).
 */
typedef int (*wu_event_sink)(void *ctx, struct wu_event *ev);

#endif
