/*
 * store.h - the only module that speaks SQL.
 *
 * Opens (and creates or migrates) a wudiag database, writes what sources
 * collect inside one transaction per run, and loads plain structs for the
 * diagnosis and the renderers (model.h).  Every statement is prepared once
 * per connection and bound; no SQL text is built from data.
 */
#ifndef WUDIAG_STORE_H
#define WUDIAG_STORE_H

#include <stddef.h>
#include <stdint.h>
#include "event.h"

struct store;

enum store_status {
    STORE_OK = 0,
    STORE_E_OPEN,       /* cannot open or create: missing dir, directory, perms */
    STORE_E_NOTDB,      /* the file is not an SQLite database (or is damaged) */
    STORE_E_NEWER,      /* schema newer than this program */
    STORE_E_READONLY,   /* cannot write */
    STORE_E_FULL,       /* disk full */
    STORE_E_BUSY,       /* locked by another process beyond the timeout */
    STORE_E_NOMEM,
    STORE_E_SQL         /* any other SQLite failure */
};

#define STORE_READONLY 0x1  /* open read-only; do not create or migrate */

int store_open(const char *path, int flags, struct store **out,
               char *err, size_t errlen);
void store_close(struct store *st);
int store_schema_version(struct store *st);
int store_latest_version(void);
/* The underlying handle, for store_*.c siblings and tests only. */
struct sqlite3 *store_db(struct store *st);

/* ---- writing a run (import or collect) ---- */

/*
 * Start a run: BEGIN IMMEDIATE and a runs row.  host may be NULL (then each
 * event's Computer names its host).  All writes until store_run_end or
 * store_run_abort belong to this run's transaction.
 */
int store_run_begin(struct store *st, const char *kind, const char *source,
                    const char *host, char *err, size_t errlen);
/* 1 if content with this fingerprint and size was already imported in full. */
int store_file_known(struct store *st, const char *fingerprint, int64_t size,
                     int64_t *run_id);
/* Store one classified event; *inserted = 0 when it was a duplicate. */
int store_add_event(struct store *st, const struct wu_event *ev, int *inserted);
/* Count an event that was read but is not update-related. */
int store_count_unrelated(struct store *st, const char *provider);
int store_add_coverage(struct store *st, const char *source,
                       const char *status, const char *detail);
int store_add_service_state(struct store *st, const char *host, int64_t time_us,
                            const char *name, const char *display,
                            const char *state, const char *start_type,
                            const char *origin);
/*
 * Finish the run: counts, the file fingerprint (NULL for none: stdin, or a
 * file that was not read in full) and COMMIT.  On failure the run is rolled
 * back and err says why.
 */
int store_run_end(struct store *st, const struct wu_stats *stats,
                  const char *fingerprint, int64_t size, char *err, size_t errlen);
void store_run_abort(struct store *st);

/* Message for the last failure on this connection. */
const char *store_errmsg(struct store *st);

/* Totals for the plain summary. */
struct store_totals {
    long hosts, runs, events, events_with_code, service_states;
};
int store_totals(struct store *st, struct store_totals *t);



/* ---- reading for reports (store_model.c) ---- */

struct model;

struct model_query {
    const char *host;       /* required: a name from store_list_hosts */
    int64_t since_us;       /* 0 = from the beginning */
    int64_t until_us;       /* 0 = to the end */
    int64_t now_us;         /* the report's "generated at" */
};

/* Host names that have events or service states, sorted; free with
 * store_free_list. */
int store_list_hosts(struct store *st, char ***names, size_t *n);
void store_free_list(char **names, size_t n);

/* Load the model of one host; STORE_OK, or a status with err set. */
int store_load_model(struct store *st, const struct model_query *q,
                     struct model **out, char *err, size_t errlen);
#endif
