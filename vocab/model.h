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

/* Which log family an event comes from (derived from the provider once). */
enum m_source {
    M_SRC_UNSET = 0, /* not classified yet: model_event_source() works it out */
    M_SRC_OTHER,
    M_SRC_WU,        /* WindowsUpdateClient (and the older agent name) */
    M_SRC_SCM,       /* Service Control Manager */
    M_SRC_BOOT,      /* a start of Windows (Kernel-General 12, EventLog 6005) */
    M_SRC_SERVICING_LOG, /* CBS.log / DISM.log lines (textlog.h event IDs) */
    M_SRC_WU_LOG     /* WindowsUpdate.log lines (textlog.h event IDs) */
};

struct m_event {
    int64_t time_us;
    enum m_source src;
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

    struct m_event *events;   /* ascending by time */
    size_t nevents;
    /* every observation of an update service, ascending by time */
    struct m_service *observations;
    size_t nobservations;
    struct m_coverage *coverage;
    size_t ncoverage;
    struct m_fact *facts;     /* ascending by time */
    size_t nfacts;

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

/* The source family of an event, from its provider and ID. */
enum m_source model_source_of(const char *provider, int event_id);

/* e->src, or the family worked out from the provider when it is unset. */
static inline enum m_source model_event_source(const struct m_event *e)
{
    return e->src != M_SRC_UNSET ? e->src : model_source_of(e->provider, e->event_id);
}

/* Copy a string into the model's arena (NULL stays NULL); NULL on OOM. */
const char *model_strdup(struct model *m, const char *s);
/* Append rows; return the new (zeroed) row or NULL on OOM. */
struct m_event *model_add_event(struct model *m);
struct m_service *model_add_observation(struct model *m);
struct m_coverage *model_add_coverage(struct model *m);
struct m_fact *model_add_fact(struct model *m);
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
