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
#include "vocab/event.h"
#include "vocab/export.h"
#include "vocab/history.h"

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

#define STORE_READONLY 0x1  /* open read-only; never create (an older schema is
                               upgraded first through a read-write open) */
#define STORE_NO_UPGRADE 0x2 /* with STORE_READONLY: refuse an older schema */

int store_open(const char *path, int flags, struct store **out,
               char *err, size_t errlen);
void store_close(struct store *st);
int store_schema_version(struct store *st);
int store_latest_version(void);
/* Copy everything in the -wal into the database file and empty the -wal
 * (before the file is renamed without its -wal); STORE_OK or a status,
 * the reason in store_errmsg. */
int store_checkpoint(struct store *st);
/* The underlying handle, for store_*.c siblings and tests only. */
struct sqlite3 *store_db(struct store *st);

/* ---- writing a run (import or collect) ---- */

/*
 * Start a run: BEGIN IMMEDIATE and a runs row.  host may be NULL (then each
 * event's Computer names its host, or the host a known alias of it leads
 * to; see store_run_end).  All writes until store_run_end or
 * store_run_abort belong to this run's transaction.
 */
int store_run_begin(struct store *st, const char *kind, const char *source,
                    const char *host, char *err, size_t errlen);
/* 1 if content with this fingerprint and size was already imported in full. */
int store_file_known(struct store *st, const char *fingerprint, int64_t size,
                     int64_t *run_id);
/* Store one classified event; *inserted = 0 when it was a duplicate. */
int store_add_event(struct store *st, const struct wu_event *ev, int *inserted);
/* Count an event that was read but is not update-related.  Counts are kept
 * in memory until store_run_end writes them, so this may be called before
 * store_run_begin; store_run_abort discards them. */
int store_count_unrelated(struct store *st, const char *provider);
int store_add_coverage(struct store *st, const char *source,
                       const char *status, const char *detail);
int store_add_service_state(struct store *st, const char *host, int64_t time_us,
                            const char *name, const char *display,
                            const char *state, const char *start_type,
                            const char *origin);
/*
 * Finish the run: when its records show one machine under several names one
 * after the other, the earlier names become aliases of the last one and
 * their rows move to its host (stats count events found already stored
 * there as duplicates); then the counts, the file fingerprint (NULL for
 * none: stdin, or a file that was not read in full) and COMMIT.  On failure
 * the run is rolled back and err says why.
 */
int store_run_end(struct store *st, struct wu_stats *stats,
                  const char *fingerprint, int64_t size, char *err, size_t errlen);
void store_run_abort(struct store *st);

/*
 * Staging (store_stage.c): blobs kept for this connection in a TEMP table,
 * outside any run and without taking the database's write lock, so that a
 * file can be parsed before its run begins.  put appends one; each calls
 * fn on every blob in order (stopping at fn's first non-zero STORE_*
 * status, which it returns; the blob is valid during the call only);
 * clear drops them all.
 */
int store_stage_put(struct store *st, const void *data, size_t len);
int store_stage_each(struct store *st,
                     int (*fn)(void *ctx, const void *data, size_t len), void *ctx);
void store_stage_clear(struct store *st);

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

/* A run that stored evidence for a host (store_runs.c). */
struct store_run {
    int64_t id;
    char *kind;             /* "import", "collect", ... */
    char *source;           /* file name, '-' or 'live' */
    int64_t started_us, finished_us;    /* finished_us 0: not recorded */
    long events, service_states, facts; /* rows of that host it stored */
};

/* The runs of host that stored at least one event, service state or fact
 * of it, in start order (started_us, then id); free with store_free_runs. */
int store_list_runs(struct store *st, const char *host, struct store_run **runs,
                    size_t *n, char *err, size_t errlen);
void store_free_runs(struct store_run *runs, size_t n);

/* Host names that have events or service states, sorted; free with
 * store_free_list.  A host whose name cannot be looked up (no name, or a
 * NUL byte inside it: a poisoned database) is left out. */
int store_list_hosts(struct store *st, char ***names, size_t *n);
/* The same, and the hosts left out as one line each ("host #7: its name
 * holds a NUL byte") in *bad (free with store_free_list). */
int store_list_hosts_checked(struct store *st, char ***names, size_t *n,
                             char ***bad, size_t *nbad);
void store_free_list(char **names, size_t n);

/* Load the model of one host; STORE_OK, or a status with err set. */
int store_load_model(struct store *st, const struct model_query *q,
                     struct model **out, char *err, size_t errlen);
/* The same with only what run_id and the runs started before it (or at the
 * same time with a lower id) stored: the evidence as it stood after that
 * run (`wudiag compare`). */
int store_load_model_as_of(struct store *st, const struct model_query *q, int64_t run_id,
                           struct model **out, char *err, size_t errlen);

/* ---- fleet: merge, export, history, prune (store_merge.c, ...) ---- */

/* What merging one database added (and found already there). */
struct merge_stats {
    long hosts;             /* hosts new to the target */
    long runs;              /* runs copied */
    long runs_known;        /* runs the target already had: skipped whole */
    long events;            /* events copied */
    long events_known;      /* events of copied runs the target already had */
    long service_states, facts, coverage, unrelated, files;
    /* left out by the checks (store_merge.c), each row counted once */
    long bad_hosts;         /* hosts whose name is unusable (NUL, control, ...) */
    long skipped_host_rows; /* their events, service states and facts */
    long skipped_aliases;   /* host aliases with an unusable name */
    long skipped_data;      /* events whose data is not a JSON object */
    long skipped_time;      /* events, states, facts with a time outside 1601..9999 */
    long unknown_kind;      /* events of unknown kind or outcome: classified again */
    char bad_host_why[96];  /* the first bad host: "host #7: a NUL byte" */
};

enum merge_result {
    MERGE_DONE = 0,
    MERGE_SKIPPED,          /* the input is unusable (err says why); go on */
    MERGE_FAILED            /* the target failed (err says why); stop */
};

/*
 * Merge the wudiag database at path into st (opened read-write), in one
 * transaction: the input's host aliases added to st's (and applied to st's
 * hosts), hosts mapped by name through them, runs not yet in st copied with
 * new ids (a run is known by host name, kind, source and start time, so merging the
 * same database again adds nothing), with their events (INSERT OR IGNORE),
 * service states, facts, coverage, unrelated counts and file fingerprints
 * (not live-collection bookmarks: they belong to the host's own database).
 * The input is opened read-only and must pass PRAGMA quick_check; a newer
 * schema is refused; an older one is migrated in a temporary copy at
 * tmp_path (removed afterwards).  Returns an enum merge_result.
 */
int store_merge_db(struct store *st, const char *path, const char *tmp_path,
                   struct merge_stats *ms, char *err, size_t errlen);

struct export_query {
    const char *host;       /* NULL = every host */
    int64_t since_us;       /* 0 = from the beginning */
    int64_t until_us;       /* 0 = to the end */
};

/*
 * Stream events host by host (by name), each host's in time order, from one
 * prepared statement: constant memory whatever the size of the database.
 */
struct store_export;
int store_export_begin(struct store *st, const struct export_query *q,
                       struct store_export **out, char *err, size_t errlen);
/* 1 with *ev filled, 0 at the end, -1 on error (store_export_error). */
int store_export_next(struct store_export *x, struct export_event *ev);
const char *store_export_error(struct store_export *x);
void store_export_end(struct store_export *x);

/* History of one host, per day or per ISO week (UTC). */
struct history_query {
    const char *host;       /* required */
    int64_t since_us;       /* 0 = from the beginning */
    int64_t until_us;       /* 0 = to the end */
    int period_days;        /* 1 = per day, 7 = per week (from Monday) */
};

/* Load the history of q->host; STORE_OK, or a status with err set. */
int store_load_history(struct store *st, const struct history_query *q,
                       struct history **out, char *err, size_t errlen);
void store_history_free(struct history *h);

/* What pruning removed. */
struct prune_stats {
    long events, service_states, facts, runs, coverage, unrelated, files, hosts;
    long kept_runs;         /* latest runs kept whatever their age */
};

/*
 * Delete what is older than cutoff_us, in one transaction: events and
 * service states by their time, then runs started before it that hold no
 * rows any more (with their coverage, unrelated counts, fingerprints and
 * merge records), then hosts left with nothing.  The latest run of each
 * host and its rows are always kept, and so are the latest observed state
 * and start type of each service and the latest value of each fact (the
 * report's "current" state).  With
 * dry_run the transaction is rolled back: only the counts are real.
 */
int store_prune(struct store *st, int64_t cutoff_us, int dry_run,
                struct prune_stats *ps, char *err, size_t errlen);
/* VACUUM (and checkpoint the WAL); sizes in bytes before and after. */
int store_vacuum(struct store *st, int64_t *before, int64_t *after,
                 char *err, size_t errlen);

/* ---- live collection (store_live.c) ---- */

/* The bookmark saved for host+channel (malloc'd; caller frees), or NULL. */
char *store_get_bookmark(struct store *st, const char *host, const char *channel);
/* Save it inside the current run (it commits with the run's events). */
int store_set_bookmark(struct store *st, const char *host, const char *channel,
                       const char *bookmark);
/* A fact read during the current run (name such as "os", "reboot_pending"). */
int store_add_fact(struct store *st, const char *host, const char *name,
                   const char *value);

/* ---- OS evidence (store_os.c) ---- */

/* A fact import learned from an event at time_us (name such as
 * "os.version"): one row per host, name and value, its time the newest. */
int store_note_fact(struct store *st, const char *host, const char *name,
                    const char *value, int64_t time_us);
#endif
