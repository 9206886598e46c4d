/*
 * model.c - storage for the report model: growable row arrays and a string
 * arena, so that the whole model is freed in one call.
 */
#include "vocab/model.h"
#include "util/grow.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct arena_block {
    struct arena_block *next;
    size_t used, cap;
    char data[];
};

struct model_arena {
    struct arena_block *head;
    size_t cap_events, cap_obs, cap_cov, cap_facts;
};

struct model *model_new(void)
{
    struct model *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->arena = calloc(1, sizeof *m->arena);
    if (!m->arena) {
        free(m);
        return NULL;
    }
    return m;
}

void model_free(struct model *m)
{
    if (!m)
        return;
    if (m->arena) {
        struct arena_block *b = m->arena->head;
        while (b) {
            struct arena_block *next = b->next;
            free(b);
            b = next;
        }
        free(m->arena);
    }
    free(m->events);
    free(m->observations);
    free(m->coverage);
    free(m->facts);
    free(m);
}

void model_classify_event(struct m_event *e)
{
    e->family = ev_family_of(e->provider);
    ev_classify(e->provider, e->event_id, e->level, &e->kind, &e->outcome);
    e->classified = 1;
}

const char *model_strdup(struct model *m, const char *s)
{
    struct arena_block *b;
    size_t n;

    if (!s)
        return NULL;
    n = strlen(s) + 1;
    b = m->arena->head;
    if (!b || b->cap - b->used < n) {
        size_t cap = n > 60000 ? n : 60000;
        b = malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        b->next = m->arena->head;
        b->used = 0;
        b->cap = cap;
        m->arena->head = b;
    }
    char *dst = b->data + b->used;
    memcpy(dst, s, n);
    b->used += n;
    return dst;
}

/* One more zeroed row at the end of an array (see grow.h); NULL on OOM. */
static void *add_row(void *rowsp, size_t *n, size_t *cap, size_t size)
{
    char *rows;
    if (wu_grow(rowsp, *n, cap, size) != 0)
        return NULL;
    memcpy(&rows, rowsp, sizeof rows);
    void *row = rows + *n * size;
    memset(row, 0, size);
    (*n)++;
    return row;
}

struct m_event *model_add_event(struct model *m)
{
    return add_row(&m->events, &m->nevents, &m->arena->cap_events,
                   sizeof *m->events);
}

struct m_service *model_add_observation(struct model *m)
{
    return add_row(&m->observations, &m->nobservations, &m->arena->cap_obs,
                   sizeof *m->observations);
}

struct m_coverage *model_add_coverage(struct model *m)
{
    return add_row(&m->coverage, &m->ncoverage, &m->arena->cap_cov,
                   sizeof *m->coverage);
}

struct m_fact *model_add_fact(struct model *m)
{
    return add_row(&m->facts, &m->nfacts, &m->arena->cap_facts, sizeof *m->facts);
}

const struct m_fact *model_fact(const struct model *m, const char *name)
{
    for (size_t i = m->nfacts; i-- > 0;)
        if (strcmp(m->facts[i].name, name) == 0)
            return &m->facts[i];
    return NULL;
}

int model_service_latest(const struct model *m, const char *name,
                         struct m_service *out)
{
    int found = 0;
    memset(out, 0, sizeof *out);
    out->name = name;
    /* observations ascend by time: later ones overwrite earlier ones */
    for (size_t i = 0; i < m->nobservations; i++) {
        const struct m_service *o = &m->observations[i];
        if (strcmp(o->name, name) != 0)
            continue;
        found = 1;
        if (o->display)
            out->display = o->display;
        if (o->state)
            out->state = o->state;
        if (o->start_type)
            out->start_type = o->start_type;
        /* a live reading is the whole truth at its time */
        if (strcmp(o->origin, "live") == 0) {
            out->state = o->state;
            out->start_type = o->start_type;
        }
        out->origin = o->origin;
        out->time_us = o->time_us;
    }
    return found;
}

int model_has_local_times(const struct model *m)
{
    for (size_t i = 0; i < m->ncoverage; i++)
        if (m->coverage[i].detail && strstr(m->coverage[i].detail, WU_LOCAL_TIMES_NOTE))
            return 1;
    return 0;
}

int model_is_live(const struct model *m)
{
    if (m->nfacts)
        return 1;
    for (size_t i = 0; i < m->nobservations; i++)
        if (m->observations[i].origin && strcmp(m->observations[i].origin, "live") == 0)
            return 1;
    for (size_t i = 0; i < m->ncoverage; i++)
        if (m->coverage[i].source && (strcmp(m->coverage[i].source, "services") == 0 ||
                                      strcmp(m->coverage[i].source, "update history") == 0))
            return 1;
    return 0;
}

int64_t model_reference_time(const struct model *m)
{
    if (model_is_live(m) && m->generated_us > m->last_us)
        return m->generated_us;
    return m->generated_us > 0 && m->generated_us < m->last_us ? m->generated_us : m->last_us;
}
