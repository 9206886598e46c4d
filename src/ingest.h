/*
 * ingest.h - the sink every source writes into: classify each event
 * (filter.c), store the update-related ones, count the rest per provider,
 * and turn SCM state and start-type events into service observations.
 * Shared by `import` (files) and `collect` (live Windows).
 */
#ifndef WUDIAG_INGEST_H
#define WUDIAG_INGEST_H

#include "vocab/event.h"
#include "collector/source.h"

#include <stdint.h>

struct store;

struct ingest {
    struct store *store;
    struct wu_stats stats;
    int store_status;           /* first store failure, or STORE_OK */
    struct source_sink sink;    /* ready to hand to a source */
    int64_t since_us;           /* older events are not kept (0 = keep all) */
};

void ingest_init(struct ingest *in, struct store *st);
/* The event callback itself, for sources that take a wu_event_sink. */
int ingest_event(void *ctx, struct wu_event *ev);

#endif
