/*
 * model.h - the neutral report model: plain C data about one host.
 *
 * The store fills it (store_load_model); the diagnosis reads it and adds
 * findings; the renderers print it.  Nothing here knows SQL, and nothing
 * here points into a database: every string is owned by the model's arena
 * and freed by model_free().
 */
#ifndef WUDIAG_MODEL_H
#define WUDIAG_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "vocab/os.h"
#include "vocab/semantics.h"

struct m_event {
    int64_t time_us;
    /* What the event means (vocab/semantics.h), as stored at import; when
     * classified is 0 (a model built by hand) the accessors below work it
     * out from provider, event_id and level. */
    int classified;
    enum ev_family family;
    enum ev_kind kind;
    enum ev_outcome outcome;
    int64_t record_id;
    int event_id;
    int level;
    const char *provider;
    const char *channel;
    const char *service;      /* short name or NULL */
    int has_code;
    uint32_t code;
    const char *title;        /* update title or NULL */
    const char *guid;         /* update GUID or NULL */
    const char *kb;           /* "KB..." or NULL */
    const char *detail;       /* short extra text (new start type, state...) */
};

struct m_service {
    const char *name;
    const char *display;
    const char *state;        /* running, stopped, ..., not-installed, or NULL */
    const char *start_type;   /* auto, delayed-auto, demand, disabled, ... */
    const char *origin;       /* "live" or "event" */
    int64_t time_us;          /* when this was observed */
};

struct m_coverage {
    int64_t run_id;
    int64_t time_us;
    const char *source;
    const char *status;       /* ok, partial, failed */
    const char *detail;
};

/* A single reading from live collection: "os", "reboot_pending",
 * "wsus_server", "free_space_mb", ... */
struct m_fact {
    const char *name;
    const char *value;
    int64_t time_us;
};

struct model {
    const char *host;
    int64_t generated_us;     /* "now" of the report (injectable for tests) */
    int64_t from_us, to_us;   /* range asked for (0 = open) */
    int64_t first_us, last_us;/* range of the evidence actually present */
    const char *os;           /* OS/build when known, else NULL */
    struct m_os osinfo;       /* what is known of the OS (model_detect_os) */

    struct m_event *events;   /* ascending by time */
    size_t nevents;
    /* every observation of an update service, ascending by time */
    struct m_service *observations;
    size_t nobservations;
    struct m_coverage *coverage;
    size_t ncoverage;
    struct m_fact *facts;     /* ascending by time */
    size_t nfacts;
    /* the "os.*" facts import learned from the logs (store_os.c): kept
     * apart from the live readings, in facts[nfacts .. nfacts + nosfacts)
     * once model_detect_os has run */
    size_t nosfacts;

    struct model_arena *arena;
};

/*
 * Every time in a model lies in MODEL_TIME_MIN..MODEL_TIME_MAX (1601-01-01
 * to 9999-12-31 UTC, what Windows logs can hold and wu_parse_time accepts),
 * so rules and renderers may subtract any two without overflow.  The store
 * clamps whatever a damaged or hostile database holds.
 */
#define MODEL_TIME_MIN (-11644473600LL * 1000000)
#define MODEL_TIME_MAX (253402300800LL * 1000000 - 1)

static inline int64_t model_clamp_time(int64_t t)
{
    return t < MODEL_TIME_MIN ? MODEL_TIME_MIN : t > MODEL_TIME_MAX ? MODEL_TIME_MAX : t;
}

/* An empty model; NULL on out of memory. */
struct model *model_new(void);
void model_free(struct model *m);

/* Fill e's family, kind and outcome from its provider, ID and level. */
void model_classify_event(struct m_event *e);

/* What an event means, as stored, or worked out when it was not. */
static inline enum ev_family model_event_family(const struct m_event *e)
{
    return e->classified ? e->family : ev_family_of(e->provider);
}

static inline enum ev_kind model_event_kind(const struct m_event *e)
{
    enum ev_kind k = e->kind;
    if (!e->classified)
        ev_classify(e->provider, e->event_id, e->level, &k, NULL);
    return k;
}

static inline enum ev_outcome model_event_outcome(const struct m_event *e)
{
    enum ev_outcome o = e->outcome;
    if (!e->classified)
        ev_classify(e->provider, e->event_id, e->level, NULL, &o);
    return o;
}

/* kind and outcome at once: the common test of rules and tables */
static inline int model_event_is(const struct m_event *e, enum ev_kind k,
                                 enum ev_outcome o)
{
    return model_event_kind(e) == k && model_event_outcome(e) == o;
}

/* A failure as every count of failures means it (ev_is_failure). */
static inline int model_event_failed(const struct m_event *e)
{
    return ev_is_failure(model_event_outcome(e), e->has_code);
}

/*
 * Fill m->osinfo (and m->os when no live reading named it) from the "os.*"
 * facts import stored and the localized words of the evidence
 * (vocab/os_detect.c); moves those facts behind the live readings (facts
 * then holds only what live collection read).  Call once, when the model is
 * loaded.  0, or -1 on OOM.
 */
int model_detect_os(struct model *m);

/* Copy a string into the model's arena (NULL stays NULL); NULL on OOM. */
const char *model_strdup(struct model *m, const char *s);
/* Append rows; return the new (zeroed) row or NULL on OOM. */
struct m_event *model_add_event(struct model *m);
struct m_service *model_add_observation(struct model *m);
struct m_coverage *model_add_coverage(struct model *m);
struct m_fact *model_add_fact(struct model *m);
/*
 * Whether the model comes from a live collection (collect): it has facts,
 * a service read from the running system, or live sources in its coverage.
 * Imported logs say nothing about the days after them; live ones reach now.
 */
int model_is_live(const struct model *m);

/*
 * The coverage note of a text log that states no UTC offset (written by
 * collector/textlog_source.c): its times are stored as the local times
 * they are.  model_has_local_times: some coverage entry carries it, so the
 * evidence range is partly local time and every format must say so.
 */
#define WU_LOCAL_TIMES_NOTE "times are local, no offset stated"
int model_has_local_times(const struct model *m);

/* The time the evidence is measured against: now (generated_us) for a live
 * collection, else the end of the evidence (last_us), never after now. */
int64_t model_reference_time(const struct model *m);

/* The newest value of a fact, or NULL. */
const struct m_fact *model_fact(const struct model *m, const char *name);

/*
 * The latest known state of a service: start type and run state may come
 * from different observations (a 7040 says the start type, a 7036 the
 * state).  Fills *out (fields NULL when unknown); 0 when never observed.
 */
int model_service_latest(const struct model *m, const char *name,
                         struct m_service *out);

#endif
