/*
 * store_int.h - what the store's own files (store_*.c) share beyond
 * store.h: the host-id cache, the run being written and host aliases
 * (store_hosts.c).  Not for callers outside store/.
 */
#ifndef WUDIAG_STORE_INT_H
#define WUDIAG_STORE_INT_H

#include <stdint.h>
#include "store/store.h"

/* Id of the host called name (created if new; the run's forced host wins). */
int store_run_host_id(struct store *st, const char *name, int64_t *id);
/* Id of the run being written, or 0 outside a run. */
int64_t store_run_id(struct store *st);
/*
 * A statement prepared once per connection and kept, keyed by the address
 * of its (static) SQL text; reset and with bindings cleared.  NULL on error.
 * Do not finalize it: store_close does.
 */
struct sqlite3_stmt *store_cached_stmt(struct store *st, const char *sql);

/*
 * Bind the per-host query parameters a statement uses: ?1 host id, ?2 since,
 * ?3 until (microseconds).  Shared by the model and history loaders.
 */
void store_bind_host_range(struct sqlite3_stmt *s, int64_t host_id, int64_t since,
                           int64_t until);

/* Time now, microseconds since 1970 UTC. */
int64_t store_now_us(void);

/* Record a failed SQLite call in store_errmsg; the STORE_E_* status. */
int store_fail(struct store *st, int rc, const char *what);

/* ---- one machine, one host (store_hosts.c) ---- */

struct strbuf;

/* How a name was resolved. */
enum { HOST_SELF, HOST_ALIAS, HOST_AMBIGUOUS };

/* Host names compare as SQLite's NOCASE does (ASCII letters only). */
int store_name_cmp(const char *a, const char *b);
/* The name rows for name are filed under (out): the final name of its
 * aliases (HOST_ALIAS), or name itself (HOST_SELF: no claim on it;
 * HOST_AMBIGUOUS: claims that lead to different machines). */
int store_host_resolve(struct store *st, const char *name, struct strbuf *out, int *how);
/* Id of the host row called exactly name (created if new), no aliases. */
int store_host_literal_id(struct store *st, const char *name, int64_t *id);

/* A name met in the run being written, and the host its rows went to. */
struct host_seen {
    char *name;
    int64_t host_id;
    int how;                    /* HOST_* as resolved at first sight */
};
/* One name's records in one channel of the run. */
struct host_span {
    size_t name;                /* index into the run's names */
    char *channel;
    int64_t min_t, max_t;       /* TimeCreated range, microseconds */
    int64_t min_rec, max_rec;   /* EventRecordID range (-1: absent) */
};
/*
 * At the end of a run: the names that are earlier names of another (see
 * store_hosts.c) become its aliases, and their rows move to its host.
 * *run_host follows a move; *dups counts the run's events that turned out
 * to be already stored under the final host.
 */
int store_hosts_settle(struct store *st, int64_t run_id, const struct host_seen *names,
                       size_t nnames, const struct host_span *spans, size_t nspans,
                       int64_t *run_host, long *dups);
/* Move every row of host from to host to, then delete from.  *run_dups (when
 * not NULL) counts events of run run_id that were duplicates there. */
int store_host_move(struct store *st, int64_t from, int64_t to, int64_t run_id,
                    long *run_dups);
/* Move every host whose name now resolves to another into that one. */
int store_aliases_apply(struct store *st);
/* Migration 7: learn from the import runs stored before it. */
int store_hosts_backfill(struct store *st);

#endif
