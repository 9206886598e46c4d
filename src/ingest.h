/*
 * ingest.h - the sink every source writes into: classify each event
 * (filter.c), store the update-related ones, count the rest per provider,
 * and turn SCM state and start-type events into service observations.
 * Shared by `import` (files) and `collect` (live Windows).
 *
 * Two modes.  ingest_init writes each event at once, so the caller must
 * hold a run (store_run_begin) while the source reads - `collect` does.
 * ingest_init_staged keeps what it would write (classified events, OS
 * facts) as serialised records, in memory and past INGEST_CHUNK in the
 * store's staging table, without touching the database; after the source
 * is done the caller begins the run, ingest_flush writes the records in
 * their order, and the run ends: the write lock is held for the writing
 * only, never while a file is parsed.  Either way a file lands whole or
 * not at all.
 */
#ifndef WUDIAG_INGEST_H
#define WUDIAG_INGEST_H

#include "vocab/event.h"
#include "collector/source.h"
#include "util/strbuf.h"

#include <stdint.h>

struct store;

/* staged records kept in memory before a chunk goes to the store */
#define INGEST_CHUNK (4u * 1024 * 1024)

struct ingest {
    struct store *store;
    struct wu_stats stats;
    int store_status;           /* first store failure, or STORE_OK */
    struct source_sink sink;    /* ready to hand to a source */
    int64_t since_us;           /* older events are not kept (0 = keep all) */
    int staged;                 /* ingest_init_staged */
    struct strbuf stage;        /* records not yet given to the store */
    long chunks;                /* chunks given to store_stage_put */
};

void ingest_init(struct ingest *in, struct store *st);
void ingest_init_staged(struct ingest *in, struct store *st);
/* Inside a run: write what was staged (counting stored and duplicates);
 * a STORE_* status. */
int ingest_flush(struct ingest *in);
/* Release the staged records (after ingest_flush, or to give them up). */
void ingest_free(struct ingest *in);
/* The event callback itself, for sources that take a wu_event_sink. */
int ingest_event(void *ctx, struct wu_event *ev);

#endif
