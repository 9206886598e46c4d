/*
 * store_int.h - what the store's own files (store_*.c) share beyond
 * store.h: the host-id cache and the run being written.  Not for callers
 * outside store/.
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

#endif
