/*
 * store_merge.c - copy another wudiag database into this one (`wudiag
 * merge`): many hosts' databases become one fleet database.
 *
 * The input is checked on its own read-only connection first (an SQLite
 * file, not newer than this program, PRAGMA quick_check, the wudiag tables);
 * an older schema is upgraded in a temporary copy.  Then it is ATTACHed
 * (read-only where SQLite takes URI names) and copied with INSERT ... SELECT
 * in one transaction: host aliases (store_hosts.c) first, applied to the
 * target's hosts; hosts mapped by name through them; runs the target does not know
 * yet (identity: host name, kind, source, start time) get new ids, and only
 * their rows (events, service states, facts, coverage, ...) are copied,
 * so a second merge of the same input adds nothing; events go in with
 * INSERT OR IGNORE on their UNIQUE key, so an event that reached the fleet
 * by two paths is stored once.
 *
 * What is copied is checked row by row, so one poisoned host database
 * cannot break the fleet's reports: a host or alias whose name holds a NUL
 * byte, a control or bidi character or invalid UTF-8, or is longer than
 * MAX_NAME bytes, is left out with all its rows; an event whose data is not
 * a JSON object, an event, service state or fact whose time is not an
 * integer in 1601..9999, is left out; an event whose kind or outcome this
 * wudiag does not know is copied and classified again from its provider,
 * ID and level (as import does).  Each is counted (struct merge_stats).
 */
#include "store/store.h"
#include "store/store_int.h"
#include "util/clock.h"
#include "util/fsutil.h"
#include "util/safetext.h"
#include "util/strbuf.h"
#include "vocab/model.h"
#include "vocab/semantics.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SRC "merge_src"         /* the ATTACH name of the input */

static const char *const setup_sql =
    "CREATE TEMP TABLE IF NOT EXISTS merge_hmap("
    "  src_id INTEGER PRIMARY KEY, dst_id INTEGER NOT NULL);"
    "CREATE TEMP TABLE IF NOT EXISTS merge_rmap("
    "  src_id INTEGER PRIMARY KEY, dst_id INTEGER, new INTEGER NOT NULL DEFAULT 0);"
    "CREATE TEMP TABLE IF NOT EXISTS merge_new("
    "  seq INTEGER PRIMARY KEY, src_id INTEGER NOT NULL UNIQUE);"
    "CREATE TEMP TABLE IF NOT EXISTS merge_kinds(name TEXT PRIMARY KEY);"
    "CREATE TEMP TABLE IF NOT EXISTS merge_outcomes(name TEXT PRIMARY KEY);"
    "DELETE FROM temp.merge_hmap;"
    "DELETE FROM temp.merge_rmap;"
    "DELETE FROM temp.merge_new;";

/* Longest host name or alias merge copies (a DNS name is at most 253). */
#define MAX_NAME 255

/*
 * What a row must be to be copied.  ?3 and ?4 are MODEL_TIME_MIN and
 * MODEL_TIME_MAX; NAME_BAD is the SQL function merge_name_problem()
 * (name_problem below); DATA_OK: valid JSON and an object (what wudiag
 * writes starts with '{': json_type only for the others; CASE, because
 * SQLite evaluates both sides of an AND and json_type fails on invalid
 * JSON).  ROW_OK is merge_row_ok() (sql_row_ok below): it passes a row of a
 * copied run whose host was mapped and which passes the checks, and counts
 * the first check a row fails, in the same pass as the copy.  An event
 * failing KIND_OK is copied, then its kind and outcome are classified again
 * (reclassify).
 */
#define TIME_OK(c) "(typeof(" c ") = 'integer' AND " c " BETWEEN ?3 AND ?4)"
#define DATA_OK "(CASE WHEN typeof(e.data) <> 'text' OR NOT json_valid(e.data) THEN 0" \
    " WHEN substr(e.data, 1, 1) = '{' THEN 1 ELSE json_type(e.data) = 'object' END)"
#define KIND_OK "((e.kind IS NULL OR e.kind IN (SELECT name FROM temp.merge_kinds))" \
    " AND (e.outcome IS NULL OR e.outcome IN (SELECT name FROM temp.merge_outcomes)))"
#define NAME_BAD(c) "merge_name_problem(" c ")"
#define ROW_OK(time, data, kind) \
    "merge_row_ok(m.new, h.dst_id IS NOT NULL, " time ", " data ", " kind ")"

/* The tables every wudiag database has (schema version 2 and later). */
static const char *const tables_sql =
    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN"
    " ('hosts', 'runs', 'events', 'service_states', 'coverage',"
    "  'unrelated_counts', 'imported_files')";
#define WUDIAG_TABLES 7

/* The tables the copy reads, in the attached input. */
static const char *const src_tables_sql =
    "SELECT count(*) FROM " SRC ".sqlite_master WHERE type = 'table' AND name IN"
    " ('hosts', 'runs', 'events', 'service_states', 'facts', 'coverage',"
    "  'unrelated_counts', 'imported_files', 'host_aliases')";
#define SRC_TABLES 9

enum counter {
    C_NONE, C_ALIASES, C_HOSTS, C_RUNS, C_EVENTS, C_STATES, C_FACTS, C_COVERAGE, C_UNRELATED,
    C_FILES
};

/*
 * The copy, in order.  ?1 is the input's name, ?2 the merge time.  CROSS
 * JOIN keeps each input table the outer loop (one scan; the maps are
 * looked up by primary key).
 */
static const struct {
    enum counter counter;
    const char *sql;
} copy_steps[] = {
    /* the input's aliases join the target's, and apply to its hosts (C) */
    {C_ALIASES,
     "INSERT OR IGNORE INTO main.host_aliases(alias, host, learned_us)"
     " SELECT alias, host, learned_us FROM " SRC ".host_aliases"
     " WHERE NOT " NAME_BAD("alias") " AND NOT " NAME_BAD("host") " ORDER BY rowid"},
    /* each input host to the target's host of its final name (C) */
    {C_HOSTS, NULL},
    /* a run the target has already: same host, kind, source and start */
    {C_NONE,
     "INSERT INTO temp.merge_rmap(src_id, dst_id)"
     " SELECT r.id, (SELECT d.id FROM main.runs d"
     "   WHERE d.started_us = r.started_us AND d.kind = r.kind"
     "     AND d.source = r.source AND d.host_id IS"
     "       (SELECT h.dst_id FROM temp.merge_hmap h WHERE h.src_id = r.host_id)"
     "   ORDER BY d.id LIMIT 1)"
     " FROM " SRC ".runs r"},
    /* new ids for the others: after the target's highest, in input order */
    {C_NONE,
     "INSERT INTO temp.merge_new(src_id) SELECT src_id FROM temp.merge_rmap"
     " WHERE dst_id IS NULL ORDER BY src_id"},
    {C_NONE,
     "UPDATE temp.merge_rmap SET new = 1,"
     " dst_id = (SELECT coalesce(max(id), 0) FROM main.runs)"
     "   + (SELECT n.seq FROM temp.merge_new n WHERE n.src_id = merge_rmap.src_id)"
     " WHERE dst_id IS NULL"},
    {C_RUNS,
     "INSERT INTO main.runs(id, host_id, kind, source, started_us, finished_us,"
     " tool_version, records_read, stored, unrelated, duplicates, damaged)"
     " SELECT m.dst_id, h.dst_id, r.kind, r.source, r.started_us, r.finished_us,"
     " r.tool_version, r.records_read, r.stored, r.unrelated, r.duplicates,"
     " r.damaged"
     " FROM temp.merge_rmap m JOIN " SRC ".runs r ON r.id = m.src_id"
     " LEFT JOIN temp.merge_hmap h ON h.src_id = r.host_id"
     " WHERE m.new ORDER BY m.dst_id"},
    {C_NONE,
     "INSERT INTO main.merged_runs(run_id, source_db, source_run_id, merged_us)"
     " SELECT dst_id, ?1, src_id, ?2 FROM temp.merge_rmap WHERE new"},
    {C_EVENTS,
     "INSERT OR IGNORE INTO main.events(host_id, run_id, channel, provider,"
     " event_id, level, time_us, record_id, computer, service, code,"
     " update_title, update_guid, kb, message, data, kind, outcome, detail)"
     " SELECT h.dst_id, m.dst_id, e.channel, e.provider, e.event_id, e.level,"
     " e.time_us, e.record_id, e.computer, e.service, e.code, e.update_title,"
     " e.update_guid, e.kb, e.message, e.data, e.kind, e.outcome, e.detail"
     " FROM " SRC ".events e"
     " CROSS JOIN temp.merge_rmap m ON m.src_id = e.run_id"
     " LEFT JOIN temp.merge_hmap h ON h.src_id = e.host_id"
     " WHERE " ROW_OK(TIME_OK("e.time_us"), DATA_OK, KIND_OK)},
    {C_STATES,
     "INSERT INTO main.service_states(host_id, run_id, time_us, name,"
     " display_name, state, start_type, origin)"
     " SELECT h.dst_id, m.dst_id, s.time_us, s.name, s.display_name, s.state,"
     " s.start_type, s.origin"
     " FROM " SRC ".service_states s"
     " CROSS JOIN temp.merge_rmap m ON m.src_id = s.run_id"
     " LEFT JOIN temp.merge_hmap h ON h.src_id = s.host_id"
     " WHERE " ROW_OK(TIME_OK("s.time_us"), "1", "1") " ORDER BY s.id"},
    /* live readings (pending reboot, policy, ...) of the copied runs; the
     * bookmarks of live collection stay with the host's own database */
    {C_FACTS,
     "INSERT INTO main.facts(host_id, run_id, time_us, name, value)"
     " SELECT h.dst_id, m.dst_id, f.time_us, f.name, f.value"
     " FROM " SRC ".facts f"
     " CROSS JOIN temp.merge_rmap m ON m.src_id = f.run_id"
     " LEFT JOIN temp.merge_hmap h ON h.src_id = f.host_id"
     " WHERE " ROW_OK(TIME_OK("f.time_us"), "1", "1") " ORDER BY f.id"},
    {C_COVERAGE,
     "INSERT INTO main.coverage(run_id, source, status, detail)"
     " SELECT m.dst_id, c.source, c.status, c.detail"
     " FROM " SRC ".coverage c CROSS JOIN temp.merge_rmap m ON m.src_id = c.run_id"
     " WHERE m.new ORDER BY c.id"},
    {C_UNRELATED,
     "INSERT OR IGNORE INTO main.unrelated_counts(run_id, provider, count)"
     " SELECT m.dst_id, u.provider, u.count"
     " FROM " SRC ".unrelated_counts u"
     " CROSS JOIN temp.merge_rmap m ON m.src_id = u.run_id WHERE m.new"},
    {C_FILES,
     "INSERT OR IGNORE INTO main.imported_files(fingerprint, size, run_id)"
     " SELECT f.fingerprint, f.size, m.dst_id"
     " FROM " SRC ".imported_files f"
     " CROSS JOIN temp.merge_rmap m ON m.src_id = f.run_id WHERE m.new"},
};

/* Host aliases with a bad name (not copied). */
static const char *const skip_aliases_sql =
    "SELECT count(*) FROM " SRC ".host_aliases"
    " WHERE " NAME_BAD("alias") " OR " NAME_BAD("host");

/* The copied events of unknown kind, to classify again (reclassify). */
static const char *const unknown_kind_sql =
    "SELECT h.dst_id, m.dst_id, e.channel, e.record_id, e.time_us, e.provider,"
    " e.event_id, e.level"
    " FROM " SRC ".events e CROSS JOIN temp.merge_rmap m ON m.src_id = e.run_id"
    " CROSS JOIN temp.merge_hmap h ON h.src_id = e.host_id"
    " WHERE m.new AND " TIME_OK("e.time_us") " AND " DATA_OK " AND NOT " KIND_OK;

static const char *const count_sql[] = {
    /* events of the copied runs, to tell how many the target had already */
    "SELECT count(*) FROM " SRC ".events e"
    " CROSS JOIN temp.merge_rmap m ON m.src_id = e.run_id WHERE m.new",
    "SELECT count(*) FROM temp.merge_rmap WHERE NOT new",
};

/* Damage in the input, as opposed to trouble with the target. */
static int input_damage(int rc)
{
    rc &= 0xFF;
    return rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB || rc == SQLITE_FORMAT;
}

/* One integer from a constant query; SQLITE_OK or the error code. */
static int query_int(sqlite3 *db, const char *sql, long long *v)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(s);
        if (rc == SQLITE_ROW) {
            *v = sqlite3_column_int64(s, 0);
            rc = SQLITE_OK;
        } else if (rc == SQLITE_DONE) {
            rc = SQLITE_ERROR;
        }
    }
    sqlite3_finalize(s);
    return rc;
}

/* Bind what s uses of ?1 the input's name, ?2 the merge time, ?3 and ?4
 * the bounds of a valid time. */
static void bind_common(sqlite3_stmt *s, const char *name, int64_t now)
{
    int n = sqlite3_bind_parameter_count(s);
    if (n >= 1)
        sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    if (n >= 2)
        sqlite3_bind_int64(s, 2, now);
    if (n >= 3)
        sqlite3_bind_int64(s, 3, MODEL_TIME_MIN);
    if (n >= 4)
        sqlite3_bind_int64(s, 4, MODEL_TIME_MAX);
}

/* Run one write statement (bind_common). */
static int run_step(sqlite3 *db, const char *sql, const char *name, int64_t now,
                    long *changes)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);
    if (rc != SQLITE_OK)
        return rc;
    bind_common(s, name, now);
    rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return rc;
    if (changes)
        *changes = (long)sqlite3_changes(db);
    return SQLITE_OK;
}

/* The n integers of the one row of sql (bind_common); SQLITE_OK or the
 * error code. */
static int query_longs(sqlite3 *db, const char *sql, long *v, int n)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);
    if (rc == SQLITE_OK) {
        bind_common(s, NULL, 0);
        rc = sqlite3_step(s);
        if (rc == SQLITE_ROW) {
            for (int i = 0; i < n; i++)
                v[i] = (long)sqlite3_column_int64(s, i);
            rc = SQLITE_OK;
        } else if (rc == SQLITE_DONE) {
            rc = SQLITE_ERROR;
        }
    }
    sqlite3_finalize(s);
    return rc;
}

/*
 * What is wrong with a host name or alias: 0 nothing, else an enum
 * safetext_problem, or MERGE_NAME_NULL / MERGE_NAME_LONG.
 */
enum { MERGE_NAME_NULL = 100, MERGE_NAME_LONG };

static int name_problem(sqlite3_value *v)
{
    const char *t;
    int n;
    if (sqlite3_value_type(v) == SQLITE_NULL)
        return MERGE_NAME_NULL;
    t = (const char *)sqlite3_value_text(v);
    n = sqlite3_value_bytes(v);
    if (!t)
        return MERGE_NAME_NULL;
    if (n > MAX_NAME)
        return MERGE_NAME_LONG;
    return (int)safetext_check(t, (size_t)n);
}

static const char *name_problem_text(int p)
{
    if (p == MERGE_NAME_NULL)
        return "no name";
    if (p == MERGE_NAME_LONG)
        return "longer than 255 bytes";
    return safetext_problem_name((enum safetext_problem)p);
}

/* What merge_row_ok counted: rows left out by the first check they failed
 * (events, service states and facts together), events of unknown kind. */
struct row_counts {
    long host, time, data, kind;
};

/*
 * SQL merge_row_ok(new, host_ok, time_ok, data_ok, kind_ok): 1 when a row
 * of a copied run (new) is copied; counts why not, once per row (it is
 * evaluated once for each row the copy reads).
 */
static void sql_row_ok(sqlite3_context *c, int argc, sqlite3_value **argv)
{
    struct row_counts *n = sqlite3_user_data(c);
    int ok = 0;

    (void)argc;
    if (sqlite3_value_int(argv[0])) {
        if (!sqlite3_value_int(argv[1])) {
            n->host++;
        } else if (!sqlite3_value_int(argv[2])) {
            n->time++;
        } else if (!sqlite3_value_int(argv[3])) {
            n->data++;
        } else {
            ok = 1;
            if (!sqlite3_value_int(argv[4]))
                n->kind++;
        }
    }
    sqlite3_result_int(c, ok);
}

/* SQL merge_name_problem(x): name_problem, for the copy's WHERE clauses. */
static void sql_name_problem(sqlite3_context *c, int argc, sqlite3_value **argv)
{
    (void)argc;
    sqlite3_result_int(c, name_problem(argv[0]));
}

/* temp.merge_kinds and temp.merge_outcomes: the names this wudiag stores. */
static int fill_vocab(sqlite3 *db)
{
    sqlite3_stmt *k = NULL, *o = NULL;
    int rc = sqlite3_exec(db, "DELETE FROM temp.merge_kinds; DELETE FROM temp.merge_outcomes",
                          NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO temp.merge_kinds VALUES (?1)",
                                -1, &k, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO temp.merge_outcomes VALUES (?1)",
                                -1, &o, NULL);
    for (int i = 1; rc == SQLITE_OK && i < EK_KIND_COUNT; i++) {
        sqlite3_bind_text(k, 1, ev_kind_name((enum ev_kind)i), -1, SQLITE_STATIC);
        rc = sqlite3_step(k) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
        sqlite3_reset(k);
    }
    for (int i = 1; rc == SQLITE_OK && i < EO_OUTCOME_COUNT; i++) {
        const char *name = ev_outcome_name((enum ev_outcome)i);
        if (!*name)
            continue;
        sqlite3_bind_text(o, 1, name, -1, SQLITE_STATIC);
        rc = sqlite3_step(o) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
        sqlite3_reset(o);
    }
    sqlite3_finalize(k);
    sqlite3_finalize(o);
    return rc;
}

/*
 * Classify the copied events of unknown kind or outcome again, from their
 * provider, ID and level (as import does); *n counts them.
 */
static int reclassify(sqlite3 *db, long *n)
{
    sqlite3_stmt *sel = NULL, *upd = NULL;
    int rc = sqlite3_prepare_v2(db, unknown_kind_sql, -1, &sel, NULL);

    *n = 0;
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db, "UPDATE main.events SET kind = ?5, outcome = ?6"
                                " WHERE host_id = ?1 AND channel = ?2 AND record_id = ?3"
                                " AND time_us = ?4 AND run_id = ?7", -1, &upd, NULL);
    if (rc == SQLITE_OK)
        bind_common(sel, NULL, 0);
    while (rc == SQLITE_OK && (rc = sqlite3_step(sel)) == SQLITE_ROW) {
        enum ev_kind k;
        enum ev_outcome o;
        const char *kn, *on;
        ev_classify((const char *)sqlite3_column_text(sel, 5), sqlite3_column_int(sel, 6),
                    sqlite3_column_int(sel, 7), &k, &o);
        kn = ev_kind_name(k);
        on = ev_outcome_name(o);
        sqlite3_bind_int64(upd, 1, sqlite3_column_int64(sel, 0));
        sqlite3_bind_value(upd, 2, sqlite3_column_value(sel, 2));
        sqlite3_bind_int64(upd, 3, sqlite3_column_int64(sel, 3));
        sqlite3_bind_int64(upd, 4, sqlite3_column_int64(sel, 4));
        if (*kn)
            sqlite3_bind_text(upd, 5, kn, -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(upd, 5);
        if (*on)
            sqlite3_bind_text(upd, 6, on, -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(upd, 6);
        sqlite3_bind_int64(upd, 7, sqlite3_column_int64(sel, 1));
        rc = sqlite3_step(upd);
        sqlite3_reset(upd);
        if (rc == SQLITE_DONE) {
            rc = SQLITE_OK;
            (*n)++;
        }
    }
    if (rc == SQLITE_DONE)
        rc = SQLITE_OK;
    sqlite3_finalize(sel);
    sqlite3_finalize(upd);
    return rc;
}

/*
 * Map each input host to the target's host of the name it resolves to
 * (created when new): temp.merge_hmap.  *added counts new hosts.
 */
static int map_hosts(struct store *st, struct merge_stats *ms)
{
    sqlite3 *db = store_db(st);
    sqlite3_stmt *sel = NULL, *ins = NULL;
    struct strbuf name;
    long long before = 0, after = 0;
    int rc, how;

    sb_init(&name);
    if ((rc = query_int(db, "SELECT count(*) FROM main.hosts", &before)) != SQLITE_OK)
        goto cleanup;
    rc = sqlite3_prepare_v2(db, "SELECT id, name FROM " SRC ".hosts ORDER BY id", -1,
                            &sel, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db, "INSERT INTO temp.merge_hmap(src_id, dst_id)"
                                " VALUES (?1, ?2)", -1, &ins, NULL);
    while (rc == SQLITE_OK && (rc = sqlite3_step(sel)) == SQLITE_ROW) {
        int64_t id;
        int bad = name_problem(sqlite3_column_value(sel, 1));
        if (bad) {
            /* left out of the map: its rows are not copied (counted) */
            if (!ms->bad_hosts)
                snprintf(ms->bad_host_why, sizeof ms->bad_host_why, "host #%lld: %s",
                         (long long)sqlite3_column_int64(sel, 0), name_problem_text(bad));
            ms->bad_hosts++;
            rc = SQLITE_OK;
            continue;
        }
        const char *n = (const char *)sqlite3_column_text(sel, 1);
        if (store_host_resolve(st, n ? n : "", &name, &how) != STORE_OK ||
            store_host_literal_id(st, name.buf, &id) != STORE_OK) {
            rc = sqlite3_errcode(db) != SQLITE_OK ? sqlite3_errcode(db) : SQLITE_NOMEM;
            break;
        }
        sqlite3_bind_int64(ins, 1, sqlite3_column_int64(sel, 0));
        sqlite3_bind_int64(ins, 2, id);
        rc = sqlite3_step(ins);
        sqlite3_reset(ins);
        rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
    }
    if (rc == SQLITE_DONE)
        rc = query_int(db, "SELECT count(*) FROM main.hosts", &after);
    ms->hosts = (long)(after - before);
cleanup:
    sqlite3_finalize(sel);
    sqlite3_finalize(ins);
    sb_free(&name);
    return rc;
}

static void remove_db_files(const char *path)
{
    char buf[4200];
    remove(path);
    snprintf(buf, sizeof buf, "%s-wal", path);
    remove(buf);
    snprintf(buf, sizeof buf, "%s-shm", path);
    remove(buf);
    snprintf(buf, sizeof buf, "%s-journal", path);
    remove(buf);
}

/*
 * Copy the input (open on src) to tmp_path and bring the copy to the
 * current schema with store_open.  0, or -1 with err set.
 */
static int upgrade_copy(sqlite3 *src, int version, const char *tmp_path,
                        char *err, size_t errlen)
{
    sqlite3 *dst = NULL;
    sqlite3_backup *b;
    struct store *t = NULL;
    char e2[512];
    int rc;

    if (!tmp_path) {
        snprintf(err, errlen, "schema version %d is older than this wudiag's (%d);"
                 " open it once with 'wudiag --db FILE import' to upgrade it",
                 version, store_latest_version());
        return -1;
    }
    remove_db_files(tmp_path);
    rc = sqlite3_open_v2(tmp_path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                         NULL);
    if (rc == SQLITE_OK) {
        if ((b = sqlite3_backup_init(dst, "main", src, "main"))) {
            sqlite3_backup_step(b, -1);
            rc = sqlite3_backup_finish(b);
        } else {
            rc = sqlite3_errcode(dst);
        }
    }
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "schema version %d is older; copying it to %s to "
                 "upgrade failed: %s", version, tmp_path,
                 dst ? sqlite3_errmsg(dst) : "out of memory");
        sqlite3_close(dst);
        remove_db_files(tmp_path);
        return -1;
    }
    sqlite3_close(dst);
    if (store_open(tmp_path, 0, &t, e2, sizeof e2) != STORE_OK) {
        snprintf(err, errlen, "schema version %d is older and upgrading a copy "
                 "failed: %.400s", version, e2);
        remove_db_files(tmp_path);
        return -1;
    }
    store_close(t);
    return 0;
}

/*
 * Check the input on its own read-only connection.  MERGE_DONE when it can
 * be merged (*use is path, or tmp_path holding an upgraded copy),
 * MERGE_SKIPPED with err set otherwise.
 */
/*
 * An input SQLite cannot read in place: in WAL mode it needs a -shm file
 * beside the database even to read, and cannot make one in a directory the
 * user cannot write or on a read-only mount.  Read as immutable then, as
 * store.c's reopen_immutable does for reports and on the same condition: no
 * -wal holding commits (a writer in WAL mode keeps one), so the file is one
 * snapshot written by whole transactions.
 */
static char *ro_uri(const char *path, int immutable);

static int may_read_immutable(const char *path)
{
    struct stat sb;
    char *wal;
    int busy;

    if (!sqlite3_compileoption_used("USE_URI") ||
        (wu_dir_writable(path) && !wu_on_readonly_fs(path)))
        return 0;
    if (!(wal = malloc(strlen(path) + 5)))
        return 0;
    sprintf(wal, "%s-wal", path);
    busy = stat(wal, &sb) == 0 && sb.st_size > 0;
    free(wal);
    return !busy;
}

static int check_input(const char *path, const char *tmp_path, const char **use,
                       int *immutable, char *err, size_t errlen)
{
    sqlite3 *db = NULL;
    struct stat sb;
    long long version = 0, ntables = 0;
    sqlite3_stmt *s = NULL;
    int rc, result = MERGE_SKIPPED;

    *use = path;
    *immutable = 0;
    if (stat(path, &sb) != 0) {
        snprintf(err, errlen, "cannot open: %s", strerror(errno));
        return MERGE_SKIPPED;
    }
    if (S_ISDIR(sb.st_mode)) {
        snprintf(err, errlen, "is a directory, not a database");
        return MERGE_SKIPPED;
    }
    rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "cannot open: %s", db ? sqlite3_errmsg(db)
                                                    : "out of memory");
        goto done;
    }
    sqlite3_busy_timeout(db, 30000);
    rc = query_int(db, "PRAGMA user_version", &version);
    if (((rc & 0xFF) == SQLITE_READONLY || (rc & 0xFF) == SQLITE_CANTOPEN) &&
        may_read_immutable(path)) {
        char *uri = ro_uri(path, 1);
        sqlite3_close(db);
        db = NULL;
        if (!uri) {
            snprintf(err, errlen, "out of memory");
            goto done;
        }
        rc = sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
        free(uri);
        if (rc == SQLITE_OK)
            rc = query_int(db, "PRAGMA user_version", &version);
        *immutable = rc == SQLITE_OK;
    }
    if (rc != SQLITE_OK) {
        if ((rc & 0xFF) == SQLITE_NOTADB)
            snprintf(err, errlen, "not an SQLite database");
        else
            snprintf(err, errlen, "%s: %s", input_damage(rc) ? "damaged"
                     : "cannot read", sqlite3_errmsg(db));
        goto done;
    }
    if (version > store_latest_version()) {
        snprintf(err, errlen, "schema version %lld is newer than this wudiag "
                 "supports (%d); merge it with a newer wudiag", version,
                 store_latest_version());
        goto done;
    }
    /* quick_check(1): "ok", or the first problem found */
    rc = sqlite3_prepare_v2(db, "PRAGMA quick_check(1)", -1, &s, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        snprintf(err, errlen, "damaged (quick_check: %s)", sqlite3_errmsg(db));
        goto done;
    }
    if (!sqlite3_column_text(s, 0) ||
        strcmp((const char *)sqlite3_column_text(s, 0), "ok") != 0) {
        const char *why = (const char *)sqlite3_column_text(s, 0);
        static const char prefix[] = "*** in database main ***";
        if (!why)
            why = "?";
        if (strncmp(why, prefix, sizeof prefix - 1) == 0)
            why += sizeof prefix - 1;
        while (*why == ' ' || *why == '\n')
            why++;
        snprintf(err, errlen, "damaged (quick_check: %.300s)", why);
        for (char *c = err; *c; c++)    /* one line on stderr */
            if (*c == '\n' || *c == '\r')
                *c = ' ';
        goto done;
    }
    sqlite3_finalize(s);
    s = NULL;
    if (query_int(db, tables_sql, &ntables) != SQLITE_OK || version < 1 ||
        ntables < (version >= 2 ? WUDIAG_TABLES : WUDIAG_TABLES - 2)) {
        snprintf(err, errlen, "not a wudiag database (schema version %lld, %lld of "
                 "its tables)", version, ntables);
        goto done;
    }
    if (version < store_latest_version()) {
        if (upgrade_copy(db, (int)version, tmp_path, err, errlen) != 0)
            goto done;
        *use = tmp_path;
    }
    result = MERGE_DONE;
done:
    sqlite3_finalize(s);
    sqlite3_close(db);
    return result;
}

/* "file:" URI for a read-only ATTACH ("?mode=ro", or "?immutable=1" for
 * an input read as immutable); NULL on OOM. */
static char *ro_uri(const char *path, int immutable)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(path);
    char *u = malloc(5 + 3 * n + 20), *o;
    if (!u)
        return NULL;
    o = u + sprintf(u, "file:");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
            (*p >= '0' && *p <= '9') || strchr("/._-~", *p)) {
            *o++ = (char)*p;
        } else {
            *o++ = '%';
            *o++ = hex[*p >> 4];
            *o++ = hex[*p & 15];
        }
    }
    strcpy(o, immutable ? "?immutable=1" : "?mode=ro");
    return u;
}

static int attach(sqlite3 *db, const char *path, int immutable)
{
    sqlite3_stmt *s = NULL;
    char *uri = NULL;
    int rc;

    /* SQLite takes "file:...?mode=ro" only when URI names are enabled */
    if (sqlite3_compileoption_used("USE_URI") && !(uri = ro_uri(path, immutable)))
        return SQLITE_NOMEM;
    rc = sqlite3_prepare_v2(db, "ATTACH DATABASE ?1 AS " SRC, -1, &s, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(s, 1, uri ? uri : path, -1, SQLITE_STATIC);
        rc = sqlite3_step(s);
        rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
    }
    sqlite3_finalize(s);
    free(uri);
    return rc;
}

int store_merge_db(struct store *st, const char *path, const char *tmp_path,
                   struct merge_stats *ms, char *err, size_t errlen)
{
    sqlite3 *db = store_db(st);
    const char *use;
    int immutable;
    long long n;
    long changes = 0, events_skipped = 0;
    struct row_counts counts = {0, 0, 0, 0};
    int rc, result, attached = 0, in_tx = 0, copying = 0, registered = 0;
    int64_t now = wu_now_us();

    memset(ms, 0, sizeof *ms);
    result = check_input(path, tmp_path, &use, &immutable, err, errlen);
    if (result != MERGE_DONE)
        return result;

    /* the name check of the copy's WHERE clauses (name_problem) */
    rc = sqlite3_create_function(db, "merge_name_problem", 1,
                                 SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                                 sql_name_problem, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(db, "merge_row_ok", 5, SQLITE_UTF8, &counts,
                                     sql_row_ok, NULL, NULL);
    if (rc == SQLITE_OK)
        registered = 1;
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "merge failed: %s", sqlite3_errmsg(db));
        result = MERGE_FAILED;
        goto done;
    }
    /* an upgraded copy is ours, beside the target: read it plainly */
    if ((rc = attach(db, use, immutable && use == path)) != SQLITE_OK) {
        snprintf(err, errlen, "cannot attach: %s", sqlite3_errmsg(db));
        result = (rc & 0xFF) == SQLITE_NOMEM ? MERGE_FAILED : MERGE_SKIPPED;
        goto done;
    }
    attached = 1;
    /* every table the copy reads, at this wudiag's schema version */
    if ((rc = query_int(db, src_tables_sql, &n)) != SQLITE_OK)
        goto fail;
    if (n != SRC_TABLES) {
        snprintf(err, errlen, "not a wudiag database (%lld of the %d tables merge "
                 "copies)", n, SRC_TABLES);
        result = MERGE_SKIPPED;
        goto done;
    }
    if ((rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL)) != SQLITE_OK)
        goto fail;
    in_tx = 1;
    if ((rc = sqlite3_exec(db, setup_sql, NULL, NULL, NULL)) != SQLITE_OK ||
        (rc = fill_vocab(db)) != SQLITE_OK)
        goto fail;
    if ((rc = query_longs(db, skip_aliases_sql, &ms->skipped_aliases, 1)) != SQLITE_OK)
        goto fail;
    copying = 1;
    for (size_t i = 0; i < sizeof copy_steps / sizeof copy_steps[0]; i++) {
        if (copy_steps[i].counter == C_HOSTS) {
            if ((rc = map_hosts(st, ms)) != SQLITE_OK)
                goto fail;
            continue;
        }
        if ((rc = run_step(db, copy_steps[i].sql, path, now, &changes)) != SQLITE_OK)
            goto fail;
        /* hosts of the target whose names are aliases now join their host */
        if (copy_steps[i].counter == C_ALIASES && changes > 0 &&
            store_aliases_apply(st) != STORE_OK) {
            rc = sqlite3_errcode(db) != SQLITE_OK ? sqlite3_errcode(db) : SQLITE_NOMEM;
            goto fail;
        }
        switch (copy_steps[i].counter) {
        case C_ALIASES: break;
        case C_HOSTS: break;
        case C_RUNS: ms->runs = changes; break;
        case C_EVENTS:
            ms->events = changes;
            events_skipped = counts.host + counts.time + counts.data;
            ms->unknown_kind = counts.kind;
            if (ms->unknown_kind && (rc = reclassify(db, &ms->unknown_kind)) != SQLITE_OK)
                goto fail;
            break;
        case C_STATES: ms->service_states = changes; break;
        case C_FACTS: ms->facts = changes; break;
        case C_COVERAGE: ms->coverage = changes; break;
        case C_UNRELATED: ms->unrelated = changes; break;
        case C_FILES: ms->files = changes; break;
        case C_NONE: break;
        }
    }
    ms->skipped_host_rows = counts.host;
    ms->skipped_time = counts.time;
    ms->skipped_data = counts.data;
    if ((rc = query_int(db, count_sql[0], &n)) != SQLITE_OK)
        goto fail;
    ms->events_known = (long)n - ms->events - events_skipped;
    if ((rc = query_int(db, count_sql[1], &n)) != SQLITE_OK)
        goto fail;
    ms->runs_known = (long)n;
    if ((rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL)) != SQLITE_OK)
        goto fail;
    in_tx = 0;
    result = MERGE_DONE;
    goto done;
fail:
    /*
     * Damage found while copying is the input's, and so is a table or
     * column that does not fit (the target's schema is this program's own);
     * anything else (disk full, I/O, locked, read-only) is the target's.
     */
    if (input_damage(rc)) {
        snprintf(err, errlen, "damaged: %s", sqlite3_errmsg(db));
        result = MERGE_SKIPPED;
    } else if (copying && ((rc & 0xFF) == SQLITE_ERROR ||
                           (rc & 0xFF) == SQLITE_CONSTRAINT ||
                           (rc & 0xFF) == SQLITE_MISMATCH)) {
        snprintf(err, errlen, "does not fit this wudiag's schema: %s",
                 sqlite3_errmsg(db));
        result = MERGE_SKIPPED;
    } else {
        snprintf(err, errlen, "merge failed: %s", sqlite3_errmsg(db));
        result = MERGE_FAILED;
    }
    memset(ms, 0, sizeof *ms);
done:
    if (in_tx)
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    if (attached)
        sqlite3_exec(db, "DETACH DATABASE " SRC, NULL, NULL, NULL);
    if (registered)     /* counts is about to go: no call may reach it */
        sqlite3_create_function(db, "merge_row_ok", 5, SQLITE_UTF8, NULL, NULL, NULL, NULL);
    if (use != path)
        remove_db_files(tmp_path);
    return result;
}
