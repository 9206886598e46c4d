/*
 * store_hosts.c - one machine is one host: aliases of host names.
 *
 * A machine's own log holds only its own events, under the name it had at
 * the time: setup-phase names (MINWINPC, WIN-..., MININT-...), names before
 * a rename, then the final name.  At the end of a run, the names its
 * records carried are compared channel by channel: when, in some channel,
 * names follow each other in blocks (record numbers, or times when there
 * are none, never interleaved), the earlier names are aliases of the name
 * of the latest records.  Each
 * claim (alias, host) is kept in host_aliases; every row filed under an
 * alias moves to the final host, inside the run's transaction.  Names are
 * resolved through the claims at each lookup, so a later file that only
 * carries an alias lands on the final host.  A name two machines claim
 * (MINWINPC in a fleet) is ambiguous: it is left as it is.  ForwardedEvents
 * (WEF) records come from many machines and teach nothing.
 */
#include "store/store.h"
#include "store/store_int.h"
#include "util/strbuf.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 16        /* alias chains longer than this are not followed */
#define MAX_CLAIMS 16       /* more claims on one name: ambiguous */

static const char *const claims_sql = "SELECT host FROM host_aliases WHERE alias = ?1";

/* Case-insensitive for ASCII only, exactly as SQLite's NOCASE. */
int store_name_cmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        int x = (unsigned char)*a, y = (unsigned char)*b;
        if (x >= 'A' && x <= 'Z')
            x += 'a' - 'A';
        if (y >= 'A' && y <= 'Z')
            y += 'a' - 'A';
        if (x != y || !x)
            return x - y;
    }
}

/* ---- resolving a name --------------------------------------------------- */

enum { R_SELF, R_ALIAS, R_AMBIGUOUS, R_CYCLE };

/*
 * Resolve name (chain holds the names above it) into out.  R_SELF when
 * nobody claims it, R_ALIAS with the final name, R_AMBIGUOUS when its
 * claims lead to different machines, R_CYCLE when they lead back up.
 */
static int resolve(struct store *st, const char *name, const char **chain, int depth,
                   struct strbuf *out, int *how)
{
    char *claims[MAX_CLAIMS];
    size_t n = 0;
    struct strbuf one, first;
    sqlite3_stmt *s;
    int rc, status = STORE_OK, h, many = 0;

    for (int i = 0; i < depth; i++)
        if (store_name_cmp(chain[i], name) == 0) {
            *how = R_CYCLE;
            return STORE_OK;
        }
    if (depth >= MAX_DEPTH) {
        *how = R_CYCLE;
        return STORE_OK;
    }
    if (!(s = store_cached_stmt(st, claims_sql)))
        return STORE_E_SQL;
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *c = (const char *)sqlite3_column_text(s, 0);
        if (n == MAX_CLAIMS) {
            many = 1;
            continue;
        }
        if (!c)
            continue;
        if (!(claims[n] = strdup(c))) {
            status = STORE_E_NOMEM;
            break;
        }
        n++;
    }
    if (!status && rc != SQLITE_DONE)
        status = store_fail(st, rc, "reading host aliases");
    sqlite3_reset(s);
    sb_init(&one);
    sb_init(&first);
    *how = R_SELF;
    if (status || n == 0)
        goto cleanup;
    *how = many ? R_AMBIGUOUS : R_ALIAS;
    chain[depth] = name;
    for (size_t i = 0; i < n && *how == R_ALIAS; i++) {
        sb_reset(&one);
        if ((status = resolve(st, claims[i], chain, depth + 1, &one, &h)))
            break;
        if (h == R_CYCLE || h == R_AMBIGUOUS) {
            /* an ambiguous claim is a host of its own; a cycle is no answer */
            if (h == R_CYCLE) {
                *how = R_AMBIGUOUS;
                break;
            }
            sb_reset(&one);
            sb_adds(&one, claims[i]);
        } else if (h == R_SELF) {
            sb_reset(&one);
            sb_adds(&one, claims[i]);
        }
        if (one.oom) {
            status = STORE_E_NOMEM;
            break;
        }
        if (i == 0)
            sb_adds(&first, one.buf);
        else if (store_name_cmp(first.buf, one.buf) != 0)
            *how = R_AMBIGUOUS;
    }
    if (!status && *how == R_ALIAS) {
        sb_adds(out, first.buf);
        if (out->oom || first.oom)
            status = STORE_E_NOMEM;
    }
cleanup:
    for (size_t i = 0; i < n; i++)
        free(claims[i]);
    sb_free(&one);
    sb_free(&first);
    return status;
}

int store_host_resolve(struct store *st, const char *name, struct strbuf *out, int *how)
{
    const char *chain[MAX_DEPTH];
    int h = R_SELF, status;

    sb_reset(out);
    status = resolve(st, name, chain, 0, out, &h);
    if (status)
        return status;
    if (h != R_ALIAS) {
        sb_reset(out);
        sb_adds(out, name);
    }
    *how = h == R_ALIAS ? HOST_ALIAS : h == R_SELF ? HOST_SELF : HOST_AMBIGUOUS;
    return out->oom ? STORE_E_NOMEM : STORE_OK;
}

/* ---- moving rows ---------------------------------------------------------- */

/* Run sql with ?1 from, ?2 to, ?3 run, ?4 text (when the statement has them). */
static int run_sql(struct store *st, const char *sql, int64_t from, int64_t to,
                   int64_t run, const char *text, long long *count)
{
    sqlite3_stmt *s = NULL;
    int np, rc = sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL);

    if (rc == SQLITE_OK) {
        np = sqlite3_bind_parameter_count(s);
        if (np >= 1)
            sqlite3_bind_int64(s, 1, from);
        if (np >= 2)
            sqlite3_bind_int64(s, 2, to);
        if (np >= 3)
            sqlite3_bind_int64(s, 3, run);
        if (np >= 4)
            sqlite3_bind_text(s, 4, text, -1, SQLITE_STATIC);
        rc = sqlite3_step(s);
        if (rc == SQLITE_ROW && count) {
            *count = sqlite3_column_int64(s, 0);
            rc = SQLITE_DONE;
        }
    }
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? STORE_OK
                             : store_fail(st, rc, "moving rows to the machine's host");
}

/*
 * Every row of host from, in order: events that are not already under to
 * (an identical one there is a duplicate, not a loss), service states the
 * same way, facts, bookmarks (the newer of two wins), runs; then the host.
 */
static const char *const move_all_sql[] = {
    "UPDATE OR IGNORE events SET host_id = ?2 WHERE host_id = ?1",
    "DELETE FROM service_states WHERE host_id = ?1 AND EXISTS (SELECT 1"
    " FROM service_states t WHERE t.host_id = ?2 AND t.name = service_states.name"
    " AND t.time_us = service_states.time_us AND t.state IS service_states.state"
    " AND t.start_type IS service_states.start_type"
    " AND t.origin = service_states.origin)",
    "UPDATE service_states SET host_id = ?2 WHERE host_id = ?1",
    "DELETE FROM events WHERE host_id = ?1",
    "UPDATE facts SET host_id = ?2 WHERE host_id = ?1",
    /* parenthesised: clang's -Wstring-concatenation takes a two-piece
     * literal in an array for a missing comma */
    ("DELETE FROM bookmarks WHERE host_id = ?2 AND channel IN (SELECT b.channel"
     " FROM bookmarks b WHERE b.host_id = ?1 AND b.updated_us > bookmarks.updated_us)"),
    "UPDATE OR IGNORE bookmarks SET host_id = ?2 WHERE host_id = ?1",
    "DELETE FROM bookmarks WHERE host_id = ?1",
    "UPDATE runs SET host_id = ?2 WHERE host_id = ?1",
    "DELETE FROM hosts WHERE id = ?1",
};

int store_host_move(struct store *st, int64_t from, int64_t to, int64_t run_id,
                    long *run_dups)
{
    int rc;
    for (size_t i = 0; i < sizeof move_all_sql / sizeof move_all_sql[0]; i++) {
        if (i == 3 && run_dups) {
            long long n = 0;
            if ((rc = run_sql(st, "SELECT count(*) FROM events WHERE host_id = ?1"
                              " AND run_id = ?3", from, to, run_id, NULL,
                              &n)))
                return rc;
            *run_dups += (long)n;
        }
        if ((rc = run_sql(st, move_all_sql[i], from, to, run_id, NULL, NULL)))
            return rc;
    }
    return STORE_OK;
}

/*
 * The rows of one run whose events name computer ?4, from host ?1 to ?2:
 * when the name's host also holds other machines' rows (an ambiguous name,
 * or one another machine claimed first).  Service states follow the
 * events they were derived from.
 */
static const char *const move_run_sql[] = {
    "UPDATE OR IGNORE events SET host_id = ?2 WHERE host_id = ?1 AND run_id = ?3"
    " AND computer = ?4 COLLATE NOCASE",
    "UPDATE service_states SET host_id = ?2 WHERE host_id = ?1 AND run_id = ?3"
    " AND EXISTS (SELECT 1 FROM events e WHERE e.host_id = ?2 AND e.run_id = ?3"
    " AND e.computer = ?4 COLLATE NOCASE AND e.time_us = service_states.time_us"
    " AND e.service = service_states.name)",
    "DELETE FROM service_states WHERE host_id = ?1 AND run_id = ?3"
    " AND EXISTS (SELECT 1 FROM events e WHERE e.host_id = ?1 AND e.run_id = ?3"
    " AND e.computer = ?4 COLLATE NOCASE AND e.time_us = service_states.time_us"
    " AND e.service = service_states.name)",
    "DELETE FROM events WHERE host_id = ?1 AND run_id = ?3"
    " AND computer = ?4 COLLATE NOCASE",
    /* the host itself when nothing is left under it */
    "DELETE FROM hosts WHERE id = ?1"
    " AND NOT EXISTS (SELECT 1 FROM events WHERE host_id = ?1)"
    " AND NOT EXISTS (SELECT 1 FROM service_states WHERE host_id = ?1)"
    " AND NOT EXISTS (SELECT 1 FROM facts WHERE host_id = ?1)"
    " AND NOT EXISTS (SELECT 1 FROM bookmarks WHERE host_id = ?1)"
    " AND NOT EXISTS (SELECT 1 FROM runs WHERE host_id = ?1)",
};

static int move_run(struct store *st, int64_t from, int64_t to, int64_t run_id,
                    const char *computer, long *run_dups)
{
    int rc;
    for (size_t i = 0; i < sizeof move_run_sql / sizeof move_run_sql[0]; i++) {
        if (i == 3) {
            long long n = 0;
            if ((rc = run_sql(st, "SELECT count(*) FROM events WHERE host_id = ?1"
                              " AND run_id = ?3"
                              " AND computer = ?4 COLLATE NOCASE", from, to, run_id,
                              computer, &n)))
                return rc;
            *run_dups += (long)n;
        }
        if ((rc = run_sql(st, move_run_sql[i], from, to, run_id, computer, NULL)))
            return rc;
    }
    return STORE_OK;
}

static int add_claim(struct store *st, const char *alias, const char *host)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(store_db(st), "INSERT OR IGNORE INTO host_aliases"
                                "(alias, host, learned_us) VALUES (?1, ?2, ?3)",
                                -1, &s, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(s, 1, alias, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, host, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 3, store_now_us());
        rc = sqlite3_step(s);
    }
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? STORE_OK
                             : store_fail(st, rc, "remembering a host alias");
}

/* ---- what a run's names say ------------------------------------------------ */

static int is_forwarded(const char *channel)
{
    return channel && store_name_cmp(channel, "ForwardedEvents") == 0;
}

static int by_record(const void *a, const void *b)
{
    const struct host_span *x = a, *y = b;
    return x->min_rec < y->min_rec ? -1 : x->min_rec > y->min_rec;
}

static int by_time(const void *a, const void *b)
{
    const struct host_span *x = a, *y = b;
    return x->min_t < y->min_t ? -1 : x->min_t > y->min_t;
}

/*
 * Does span a come wholly before span b (same channel)?  By record number
 * when both have them: a log's records are numbered in the order they were
 * written, while TimeCreated jumps when setup sets the clock; the later
 * block must also end later.  Without record numbers, by time alone.
 */
static int before(const struct host_span *a, const struct host_span *b)
{
    if (a->min_rec >= 0 && b->min_rec >= 0)
        return a->max_rec < b->min_rec && a->max_t <= b->max_t;
    return a->max_t <= b->min_t;
}

/*
 * Which names of the run are earlier names of which: final[i] is the index
 * of name i's final name, or i.  In each channel (not ForwardedEvents) the
 * names must come one after the other; interleaved names mean more than
 * one machine, and then nothing is learned.  "a came before b" in some
 * channel links them; a name's final name is the one latest name it leads
 * to; a cycle (a before b here, b before a there) teaches nothing.  0, or
 * -1 when memory ran out.
 */
static int find_renames(size_t nn, const struct host_span *spans, size_t ns,
                        size_t *final)
{
    struct host_span *ch = malloc((ns ? ns : 1) * sizeof *ch);
    unsigned char *reach = calloc(nn ? nn * nn : 1, 1);
    unsigned char *done = calloc(ns ? ns : 1, 1);
    int64_t *hi = malloc((nn ? nn : 1) * sizeof *hi);
    int rc = -1, clean = 1;

    for (size_t i = 0; i < nn; i++)
        final[i] = i;
    if (!ch || !reach || !done || !hi)
        goto cleanup;
    rc = 0;
    for (size_t i = 0; i < nn; i++)
        hi[i] = INT64_MIN;
    for (size_t i = 0; i < ns && clean; i++) {
        size_t m = 0;
        int records = 1;
        if (done[i] || is_forwarded(spans[i].channel))
            continue;
        for (size_t j = i; j < ns; j++)
            if (!done[j] && strcmp(spans[j].channel, spans[i].channel) == 0) {
                ch[m] = spans[j];
                records &= ch[m].min_rec >= 0;
                if (ch[m].max_t > hi[ch[m].name])
                    hi[ch[m].name] = ch[m].max_t;
                m++;
                done[j] = 1;
            }
        qsort(ch, m, sizeof *ch, records ? by_record : by_time);
        for (size_t k = 0; k + 1 < m; k++) {
            if (!before(&ch[k], &ch[k + 1])) {
                clean = 0;
                break;
            }
            reach[ch[k].name * nn + ch[k + 1].name] = 1;
        }
    }
    if (!clean)
        goto cleanup;
    /* transitive closure: at most MAX_SEEN names */
    for (size_t k = 0; k < nn; k++)
        for (size_t i = 0; i < nn; i++)
            if (reach[i * nn + k])
                for (size_t j = 0; j < nn; j++)
                    if (reach[k * nn + j])
                        reach[i * nn + j] = 1;
    for (size_t i = 0; i < nn; i++)
        if (reach[i * nn + i])
            goto cleanup;
    for (size_t i = 0; i < nn; i++) {
        size_t sink = i, nsinks = 0;
        for (size_t j = 0; j < nn; j++) {
            int is_sink = 1;
            if (!reach[i * nn + j])
                continue;
            for (size_t k = 0; k < nn && is_sink; k++)
                is_sink = !reach[j * nn + k];
            if (is_sink) {
                sink = j;
                nsinks++;
            }
        }
        /* the final name carries the latest records */
        if (nsinks == 1 && hi[i] <= hi[sink])
            final[i] = sink;
    }
cleanup:
    free(ch);
    free(reach);
    free(done);
    free(hi);
    return rc;
}

int store_hosts_settle(struct store *st, int64_t run_id, const struct host_seen *names,
                       size_t nn, const struct host_span *spans, size_t ns,
                       int64_t *run_host, long *dups)
{
    size_t *final;
    int rc = STORE_OK;

    if (nn < 2)
        return STORE_OK;
    if (!(final = malloc(nn * sizeof *final)))
        return STORE_E_NOMEM;
    if (find_renames(nn, spans, ns, final) != 0) {
        free(final);
        return STORE_E_NOMEM;
    }
    for (size_t a = 0; a < nn && !rc; a++) {
        const struct host_seen *al = &names[a], *fi = &names[final[a]];
        int64_t from = al->host_id, to = fi->host_id;
        if (final[a] == a || from == to)
            continue;       /* not an alias, or already filed there */
        if ((rc = add_claim(st, al->name, fi->name)))
            break;
        if (al->how == HOST_SELF)
            rc = store_host_move(st, from, to, run_id, dups);
        else
            rc = move_run(st, from, to, run_id, al->name, dups);
        if (*run_host == from)
            *run_host = to;
    }
    free(final);
    return rc;
}

/* ---- after a merge: hosts whose names are aliases now ---------------------- */

int store_aliases_apply(struct store *st)
{
    sqlite3_stmt *s = NULL;
    struct strbuf to;
    struct { int64_t id; char *name; } *hosts = NULL;
    size_t n = 0, cap = 0;
    int rc, status = STORE_OK;

    sb_init(&to);
    rc = sqlite3_prepare_v2(store_db(st), "SELECT id, name FROM hosts h WHERE EXISTS"
                            " (SELECT 1 FROM host_aliases a WHERE a.alias = h.name)"
                            " ORDER BY id", -1, &s, NULL);
    while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 16;
            void *p = realloc(hosts, nc * sizeof *hosts);
            if (!p) {
                status = STORE_E_NOMEM;
                goto cleanup;
            }
            hosts = p;
            cap = nc;
        }
        hosts[n].id = sqlite3_column_int64(s, 0);
        if (!(hosts[n].name = strdup((const char *)sqlite3_column_text(s, 1)))) {
            status = STORE_E_NOMEM;
            goto cleanup;
        }
        n++;
        rc = SQLITE_OK;
    }
    if (rc != SQLITE_DONE) {
        status = store_fail(st, rc, "listing aliased hosts");
        goto cleanup;
    }
    for (size_t i = 0; i < n && !status; i++) {
        int how;
        int64_t tid;
        if ((status = store_host_resolve(st, hosts[i].name, &to, &how)))
            break;
        if (how != HOST_ALIAS)
            continue;
        if ((status = store_host_literal_id(st, to.buf, &tid)))
            break;
        if (tid != hosts[i].id)
            status = store_host_move(st, hosts[i].id, tid, 0, NULL);
    }
cleanup:
    sqlite3_finalize(s);
    for (size_t i = 0; i < n; i++)
        free(hosts[i].name);
    free(hosts);
    sb_free(&to);
    return status;
}

/* ---- migration 7: what existing runs say --------------------------------- */

struct bf_row {
    int64_t run, host_id, run_host;
    char *computer, *channel;
    int64_t min_t, max_t, min_rec, max_rec;
    int same;                   /* the event's host is named by its Computer */
};

static int bf_run(struct store *st, struct bf_row *rows, size_t n)
{
    struct host_seen *seen = calloc(n, sizeof *seen);
    struct host_span *spans = calloc(n, sizeof *spans);
    struct strbuf tmp;
    size_t nseen = 0;
    int64_t run_host = rows[0].run_host;
    long dups = 0;
    int rc = STORE_OK;

    sb_init(&tmp);
    if (!seen || !spans) {
        rc = STORE_E_NOMEM;
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++) {
        size_t k;
        if (!rows[i].same)
            goto cleanup;       /* filed with --host: nothing to learn */
        for (k = 0; k < nseen; k++)
            if (store_name_cmp(seen[k].name, rows[i].computer) == 0)
                break;
        if (k == nseen) {
            seen[k].name = rows[i].computer;
            seen[k].host_id = rows[i].host_id;
            if ((rc = store_host_resolve(st, rows[i].computer, &tmp, &seen[k].how)))
                goto cleanup;
            nseen++;
        } else if (seen[k].host_id != rows[i].host_id) {
            goto cleanup;
        }
        spans[i].name = k;
        spans[i].channel = rows[i].channel;
        spans[i].min_t = rows[i].min_t;
        spans[i].max_t = rows[i].max_t;
        spans[i].min_rec = rows[i].min_rec;
        spans[i].max_rec = rows[i].max_rec;
    }
    rc = store_hosts_settle(st, rows[0].run, seen, nseen, spans, n, &run_host, &dups);
    if (!rc && (dups || run_host != rows[0].run_host)) {
        sqlite3_stmt *s = NULL;
        int r = sqlite3_prepare_v2(store_db(st), "UPDATE runs SET host_id = ?2,"
                                   " stored = max(stored - ?3, 0), duplicates ="
                                   " duplicates + ?3 WHERE id = ?1", -1, &s, NULL);
        if (r == SQLITE_OK) {
            sqlite3_bind_int64(s, 1, rows[0].run);
            if (run_host)
                sqlite3_bind_int64(s, 2, run_host);
            sqlite3_bind_int64(s, 3, dups);
            r = sqlite3_step(s);
        }
        sqlite3_finalize(s);
        if (r != SQLITE_DONE)
            rc = store_fail(st, r, "re-homing a run");
    }
cleanup:
    free(seen);
    free(spans);
    sb_free(&tmp);
    return rc;
}

/*
 * Version 7: every import run stored before it is read again as the run
 * end reads a new one (store_hosts_settle), oldest first, inside the
 * migration's transaction.  Runs filed with --host are left as they are.
 */
int store_hosts_backfill(struct store *st)
{
    sqlite3_stmt *s = NULL;
    struct bf_row *rows = NULL;
    size_t n = 0, cap = 0, start = 0;
    int rc, status = STORE_OK;

    rc = sqlite3_prepare_v2(store_db(st),
        "SELECT e.run_id, e.host_id, r.host_id, e.computer, e.channel,"
        " min(e.time_us), max(e.time_us),"
        " CASE WHEN min(e.record_id) < 0 THEN -1 ELSE min(e.record_id) END,"
        " CASE WHEN min(e.record_id) < 0 THEN -1 ELSE max(e.record_id) END,"
        " min(h.name = e.computer)"
        " FROM events e JOIN runs r ON r.id = e.run_id JOIN hosts h ON h.id = e.host_id"
        " WHERE r.kind = 'import' AND e.computer <> ''"
        " GROUP BY e.run_id, e.computer COLLATE NOCASE, e.host_id, e.channel"
        " ORDER BY e.run_id", -1, &s, NULL);
    while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct bf_row *r;
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 64;
            void *p = realloc(rows, nc * sizeof *rows);
            if (!p) {
                status = STORE_E_NOMEM;
                goto cleanup;
            }
            rows = p;
            cap = nc;
        }
        r = &rows[n];
        r->run = sqlite3_column_int64(s, 0);
        r->host_id = sqlite3_column_int64(s, 1);
        r->run_host = sqlite3_column_int64(s, 2);
        r->computer = strdup((const char *)sqlite3_column_text(s, 3));
        r->channel = strdup((const char *)sqlite3_column_text(s, 4));
        r->min_t = sqlite3_column_int64(s, 5);
        r->max_t = sqlite3_column_int64(s, 6);
        r->min_rec = sqlite3_column_int64(s, 7);
        r->max_rec = sqlite3_column_int64(s, 8);
        r->same = sqlite3_column_int(s, 9);
        n++;
        if (!r->computer || !r->channel) {
            status = STORE_E_NOMEM;
            goto cleanup;
        }
        rc = SQLITE_OK;
    }
    if (rc != SQLITE_DONE) {
        status = store_fail(st, rc, "reading stored runs");
        goto cleanup;
    }
    sqlite3_finalize(s);
    s = NULL;
    for (size_t i = 1; i <= n && !status; i++)
        if (i == n || rows[i].run != rows[start].run) {
            status = bf_run(st, rows + start, i - start);
            start = i;
        }
cleanup:
    sqlite3_finalize(s);
    for (size_t i = 0; i < n; i++) {
        free(rows[i].computer);
        free(rows[i].channel);
    }
    free(rows);
    return status;
}
