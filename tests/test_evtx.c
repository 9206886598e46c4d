/*
 * test_evtx.c - the .evtx reader verifies what the format gives it to
 * verify (collector/evtx_source.c).  Each test copies a real shared log
 * into a temporary directory, damages it the way a disk, a cut download or
 * a hostile user would (a zeroed chunk, a flipped byte, an edited record,
 * a cut file, a wrong chunk count, a forged record size, a chunk replaced
 * by a copy of another), imports it with
 * the binary and checks: the exit code README.md documents (1: damaged,
 * readable records kept; 3: nothing readable), one stderr line naming the
 * file, the chunk and what failed, the damaged count on the summary line,
 * and that the database holds exactly the events of the intact chunks,
 * nothing of the damaged one (compared with an import of the intact log).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"
#include "util/crc32.h"

#define HDR   4096
#define CHUNK 65536
#define C(k)  ((size_t)HDR + (size_t)(k) * CHUNK)

#define W10   "evtx/system-win10-2017.evtx"

struct fx {
    char *dir;
    char *base_db;     /* W10 imported intact */
    int serial;
};

/* ---- bytes ---------------------------------------------------------------- */

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint64_t get64(const unsigned char *p)
{
    return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

static void put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

struct log {
    unsigned char *b;
    size_t len;
};

static struct log load(const char *rel)
{
    char *path = tu_data_file(rel);
    struct log l;
    l.b = (unsigned char *)tu_read_file(path, &l.len);
    free(path);
    return l;
}

/* Recompute what a forger would: the records checksum (0x34) and the
 * header checksum (0x7C) of chunk k, the file header's checksum (124). */
static void fix_records_crc(struct log *l, int k)
{
    unsigned char *c = l->b + C(k);
    put32(c + 0x34, crc32_update(0, c + 512, get32(c + 0x30) - 512));
}

static void fix_chunk_header_crc(struct log *l, int k)
{
    unsigned char *c = l->b + C(k);
    put32(c + 0x7C, crc32_update(crc32_update(0, c, 120), c + 128, 384));
}

static void fix_file_crc(struct log *l)
{
    put32(l->b + 124, crc32_update(0, l->b, 120));
}

/* The record identifiers chunk k holds (its header's first and last). */
static void chunk_ids(const struct log *l, int k, uint64_t *lo, uint64_t *hi)
{
    *lo = get64(l->b + C(k) + 24);
    *hi = get64(l->b + C(k) + 32);
    if (*hi < *lo || *hi - *lo > 4000)
        fail_msg("chunk %d of the test log has no sane identifiers", k);
}

/* ---- fixture -------------------------------------------------------------- */

static int run_import(struct tu_run *r, const char *db, const char *file)
{
    return tu_run(r, "%s --db %s import %s", tu_shq(tu_bin()), tu_shq(db), tu_shq(file));
}

static int group_setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    struct tu_run r;
    char *w10 = tu_data_file(W10);

    if (!f)
        return -1;
    f->dir = tu_tempdir();
    f->base_db = tu_path(f->dir, "base.db");
    run_import(&r, f->base_db, w10);
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    free(w10);
    *state = f;
    return 0;
}

static int group_teardown(void **state)
{
    struct fx *f = *state;
    if (!f)
        return 0;
    tu_rmtree(f->dir);
    free(f->dir);
    free(f->base_db);
    free(f);
    return 0;
}

/* An import of the damaged log l: its file and database paths. */
struct attempt {
    char *file, *db;
    struct tu_run r;
};

static void attempt(struct fx *f, struct attempt *a, const struct log *l, size_t len)
{
    f->serial++;
    char *name = tu_fmt("damaged-%d.evtx", f->serial);
    char *dbname = tu_fmt("damaged-%d.db", f->serial);
    a->file = tu_path(f->dir, name);
    a->db = tu_path(f->dir, dbname);
    free(name);
    free(dbname);
    tu_write_file(a->file, l->b, len);
    run_import(&a->r, a->db, a->file);
}

static void attempt_free(struct attempt *a)
{
    tu_run_free(&a->r);
    free(a->file);
    free(a->db);
}

static void assert_contains(const struct tu_run *r, const char *hay, const char *needle)
{
    if (!hay || !strstr(hay, needle)) {
        tu_run_dump(r);
        fail_msg("output does not contain \"%s\"", needle);
    }
}

/*
 * The import exited want (README's exit codes), wrote exactly one line to
 * stderr naming the file and saying why, and - when it kept records - the
 * summary line counts `damaged` damaged records.
 */
static void expect_damage(const struct attempt *a, int want, long damaged, const char *why)
{
    tu_assert_exit(&a->r, want);
    if (tu_count_lines(a->r.err) != 1) {
        tu_run_dump(&a->r);
        fail_msg("expected one line on stderr, got %d", tu_count_lines(a->r.err));
    }
    assert_contains(&a->r, a->r.err, a->file);
    assert_contains(&a->r, a->r.err, why);
    if (want == 1) {
        char *s = tu_fmt(" duplicates, %ld damaged\n", damaged);
        assert_contains(&a->r, a->r.out, s);
        free(s);
        s = tu_fmt("%ld records damaged", damaged);
        if (damaged > 0)
            assert_contains(&a->r, a->r.err, s);
        free(s);
    }
}

/* The damaged import stored exactly the intact import's events outside
 * the identifiers [lo, hi] (the damaged chunk's), none inside. */
static void expect_stored_without(const struct fx *f, const char *db, uint64_t lo, uint64_t hi)
{
    char *inside = tu_fmt("SELECT count(*) FROM events WHERE record_id BETWEEN "
                          "%llu AND %llu", (unsigned long long)lo, (unsigned long long)hi);
    char *outside = tu_fmt("SELECT count(*) FROM events WHERE record_id NOT BETWEEN "
                           "%llu AND %llu", (unsigned long long)lo, (unsigned long long)hi);
    long long want = tu_sql_int(f->base_db, outside);
    long long in_base = tu_sql_int(f->base_db, inside);

    if (in_base == 0)
        fail_msg("the test damages a chunk without stored events (ids %llu..%llu): "
                 "it would prove nothing", (unsigned long long)lo, (unsigned long long)hi);
    if (tu_sql_int(db, inside) != 0)
        fail_msg("events of the damaged chunk (ids %llu..%llu) were stored",
                 (unsigned long long)lo, (unsigned long long)hi);
    if (tu_sql_int(db, outside) != want)
        fail_msg("%lld events of the intact chunks stored, expected %lld",
                 tu_sql_int(db, outside), want);
    free(inside);
    free(outside);
}

/* ---- the shared logs stay as they were ------------------------------------ */

/* Pre-allocated zero chunks after the last one, chunks past the header's
 * count of a log not closed cleanly (flag 0x1), an empty log: no damage. */
static void test_shared_logs_intact(void **state)
{
    static const struct {
        const char *rel;
        long read, stored;
    } logs[] = {
        {"evtx/system-win10-2017.evtx", 1881, 414},     /* count 3, 15 used, 2 zero */
        {"evtx/system-win7-2012.evtx", 1601, 250},      /* count 9, 8 zero after */
        {"cases/4renwald-healthy/System.evtx", 171, 33},  /* clean, count 2 */
        {"cases/fukusuket-win11-ja/Bits-Client-Operational.evtx", 133, 133},
        {"cases/michkoll-win10-de/System.evtx", 3584, 1332},
        {"cases/dikimevi-win10-empty-operational/WindowsUpdateClient-Operational.evtx", 0, 0},
    };
    struct fx *f = *state;

    for (size_t i = 0; i < sizeof logs / sizeof logs[0]; i++) {
        char *path = tu_data_file(logs[i].rel);
        char *db = tu_fmt("%s/shared-%zu.db", f->dir, i);
        char *want = tu_fmt(": %ld read, %ld stored, ", logs[i].read, logs[i].stored);
        struct tu_run r;
        run_import(&r, db, path);
        tu_assert_exit(&r, 0);
        if (r.errlen != 0) {
            tu_run_dump(&r);
            fail_msg("%s: a clean import wrote to stderr", logs[i].rel);
        }
        assert_contains(&r, r.out, want);
        assert_contains(&r, r.out, ", 0 damaged\n");
        tu_run_free(&r);
        free(want);
        free(db);
        free(path);
    }
}

/* ---- one attack each ------------------------------------------------------ */

/* A zeroed chunk in the middle: its records are counted from the gap it
 * leaves in the record numbers (chunk 5 lies past the header's count of 3
 * in this log, but chunks with records follow it: not pre-allocation). */
static void test_zeroed_chunk(void **state)
{
    struct fx *f = *state;
    struct log l = load(W10);
    struct attempt a;
    uint64_t lo, hi;

    chunk_ids(&l, 5, &lo, &hi);
    memset(l.b + C(5), 0, CHUNK);
    attempt(f, &a, &l, l.len);
    expect_damage(&a, 1, (long)(hi - lo + 1), "chunk 5: all zeros");
    expect_stored_without(f, a.db, lo, hi);
    attempt_free(&a);
    free(l.b);
}

/* A file whose only chunk is zeroed: nothing valid remains, an error. */
static void test_only_chunk_zeroed(void **state)
{
    struct fx *f = *state;
    struct log l = load("cases/aaronthopliss-win10-setupname/Setup.evtx");
    struct attempt a;

    assert_int_equal(l.len, HDR + CHUNK);
    memset(l.b + C(0), 0, CHUNK);
    attempt(f, &a, &l, l.len);
    expect_damage(&a, 3, 0, "chunk 0: all zeros");
    assert_contains(&a.r, a.r.err, "nothing valid");
    assert_int_equal(tu_sql_int(a.db, "SELECT count(*) FROM events"), 0);
    assert_int_equal(tu_sql_int(a.db, "SELECT count(*) FROM runs"), 0);
    attempt_free(&a);
    free(l.b);
}

/* One flipped byte in a record's data: the records checksum catches it. */
static void test_flipped_byte(void **state)
{
    struct fx *f = *state;
    struct log l = load(W10);
    struct attempt a;
    uint64_t lo, hi;

    chunk_ids(&l, 2, &lo, &hi);
    l.b[C(2) + 512 + 100] ^= 0x55;
    attempt(f, &a, &l, l.len);
    expect_damage(&a, 1, (long)(hi - lo + 1), "chunk 2: records checksum mismatch");
    expect_stored_without(f, a.db, lo, hi);
    attempt_free(&a);
    free(l.b);
}

/* Replace the computer name in every record of chunk 3 by a fake one. */
static int fake_host(struct log *l, int k)
{
    static const char real[] = "DESKTOP-2KGM189", fake[] = "EVILHOST-FAKE01";
    unsigned char from[2 * sizeof real], to[2 * sizeof fake];
    size_t n = strlen(real);
    int hits = 0;

    for (size_t i = 0; i < n; i++) {
        from[2 * i] = (unsigned char)real[i], from[2 * i + 1] = 0;
        to[2 * i] = (unsigned char)fake[i], to[2 * i + 1] = 0;
    }
    for (size_t at = C(k); at + 2 * n <= C(k + 1); at++) {
        if (memcmp(l->b + at, from, 2 * n) == 0) {
            memcpy(l->b + at, to, 2 * n);
            hits++;
        }
    }
    return hits;
}

/* An edited chunk (a fake host name): not stored, whether or not the
 * editor also recomputed the records checksum (which lives in the chunk
 * header, so that header's own checksum then fails). */
static void test_fake_host(void **state)
{
    struct fx *f = *state;
    for (int fix = 0; fix < 2; fix++) {
        struct log l = load(W10);
        struct attempt a;
        uint64_t lo, hi;

        chunk_ids(&l, 3, &lo, &hi);
        if (fake_host(&l, 3) == 0)
            fail_msg("the computer name is not in chunk 3 of %s", W10);
        if (fix)
            fix_records_crc(&l, 3);
        attempt(f, &a, &l, l.len);
        expect_damage(&a, 1, (long)(hi - lo + 1),
                      fix ? "chunk 3: header checksum mismatch"
                          : "chunk 3: records checksum mismatch");
        assert_int_equal(tu_sql_int(a.db, "SELECT count(*) FROM hosts WHERE name "
                                          "LIKE '%EVILHOST%'"), 0);
        assert_int_equal(tu_sql_int(a.db, "SELECT count(*) FROM host_aliases WHERE "
                                          "alias LIKE '%EVILHOST%' OR host LIKE '%EVILHOST%'"), 0);
        assert_int_equal(tu_sql_int(a.db, "SELECT count(*) FROM events WHERE data "
                                          "LIKE '%EVILHOST%'"), 0);
        expect_stored_without(f, a.db, lo, hi);
        attempt_free(&a);
        free(l.b);
    }
}

/* A file cut in the middle of a chunk: that chunk's records are damaged. */
static void test_truncated_mid_chunk(void **state)
{
    struct fx *f = *state;
    struct log l = load(W10);
    struct attempt a;
    uint64_t lo, hi;

    chunk_ids(&l, 4, &lo, &hi);
    attempt(f, &a, &l, C(4) + 30000);
    expect_damage(&a, 1, (long)(hi - lo + 1), "chunk 4: cut short by the end of the file");
    /* chunks 5.. are gone with the cut: compare only what the file holds */
    char *sql = tu_fmt("SELECT count(*) FROM events WHERE record_id < %llu",
                       (unsigned long long)lo);
    assert_int_equal(tu_sql_int(a.db, sql), tu_sql_int(f->base_db, sql));
    free(sql);
    sql = tu_fmt("SELECT count(*) FROM events WHERE record_id >= %llu",
                 (unsigned long long)lo);
    assert_int_equal(tu_sql_int(a.db, sql), 0);
    free(sql);
    attempt_free(&a);
    free(l.b);
}

/* A wrong chunk count: with the header checksum left as it was; with it
 * recomputed, a count larger than the file; and in a cleanly closed log a
 * count smaller than its chunks (libevtx then skips the rest silently). */
static void test_wrong_chunk_count(void **state)
{
    struct fx *f = *state;
    struct attempt a;
    struct log l = load(W10);

    l.b[42] = 30, l.b[43] = 0;
    attempt(f, &a, &l, l.len);
    expect_damage(&a, 1, 0, "file header checksum or values wrong");
    assert_int_equal(tu_sql_int(a.db, "SELECT count(*) FROM events"),
                     tu_sql_int(f->base_db, "SELECT count(*) FROM events"));
    attempt_free(&a);

    fix_file_crc(&l);
    attempt(f, &a, &l, l.len);
    expect_damage(&a, 1, 0, "the file ends after 17 of the 30 chunks its header announces");
    /* the two zero chunks are inside the announced 30: not pre-allocation */
    assert_contains(&a.r, a.r.err, "chunk 15: all zeros");
    attempt_free(&a);
    free(l.b);

    l = load("cases/4renwald-healthy/System.evtx");
    assert_int_equal(get32(l.b + 120) & 1, 0);     /* closed cleanly */
    assert_int_equal(l.b[42], 2);
    uint64_t lo, hi;
    chunk_ids(&l, 1, &lo, &hi);
    l.b[42] = 1;
    fix_file_crc(&l);
    attempt(f, &a, &l, l.len);
    expect_damage(&a, 1, (long)(hi - lo + 1), "chunk 1: past the header's chunk count");
    /* exactly the events of the same log cut after chunk 0 (an intact
     * one-chunk log: this log's XML record IDs are not its record
     * identifiers, so compare sets, not ranges) */
    struct attempt one;
    attempt(f, &one, &l, C(1));
    tu_assert_exit(&one.r, 0);
    assert_true(tu_sql_int(one.db, "SELECT count(*) FROM events") > 0);
    assert_int_equal(tu_sql_int(a.db, "SELECT count(*) FROM events"),
                     tu_sql_int(one.db, "SELECT count(*) FROM events"));
    assert_int_equal(tu_sql_int(a.db, "SELECT sum(record_id) FROM events"),
                     tu_sql_int(one.db, "SELECT sum(record_id) FROM events"));
    attempt_free(&one);
    attempt_free(&a);
    free(l.b);
}

/* A record whose trailing size copy disagrees with its size, in a chunk
 * whose checksums were recomputed to match: the record walk catches it. */
static void test_record_size_mismatch(void **state)
{
    struct fx *f = *state;
    struct log l = load(W10);
    struct attempt a;
    uint64_t lo, hi;
    unsigned char *c = l.b + C(6);
    uint32_t size = get32(c + 512 + 4);

    chunk_ids(&l, 6, &lo, &hi);
    put32(c + 512 + size - 4, size + 8);
    fix_records_crc(&l, 6);
    fix_chunk_header_crc(&l, 6);
    attempt(f, &a, &l, l.len);
    expect_damage(&a, 1, (long)(hi - lo + 1), "chunk 6: record size mismatch");
    expect_stored_without(f, a.db, lo, hi);
    attempt_free(&a);
    free(l.b);
}

/* A chunk whose signature is gone (the shared damaged sample has two):
 * libevtx drops it without a word; the gap it leaves is counted. */
static void test_bad_signature(void **state)
{
    struct fx *f = *state;
    struct log l = load(W10);
    struct attempt a;
    uint64_t lo, hi;

    chunk_ids(&l, 8, &lo, &hi);
    memcpy(l.b + C(8), "XXXXXXXX", 8);
    attempt(f, &a, &l, l.len);
    expect_damage(&a, 1, (long)(hi - lo + 1), "chunk 8: no chunk signature");
    expect_stored_without(f, a.db, lo, hi);
    attempt_free(&a);
    free(l.b);
}

/* A chunk overwritten by a copy of another, checksums and all: every
 * chunk verifies, but the record numbers now skip the lost chunk's. */
static void test_chunk_replaced_by_copy(void **state)
{
    struct fx *f = *state;
    struct log l = load(W10);
    struct attempt a;
    uint64_t lo, hi;

    chunk_ids(&l, 5, &lo, &hi);
    memcpy(l.b + C(5), l.b + C(3), CHUNK);
    attempt(f, &a, &l, l.len);
    expect_damage(&a, 1, (long)(hi - lo + 1), "130 records missing from the record numbers");
    expect_stored_without(f, a.db, lo, hi);
    attempt_free(&a);
    free(l.b);
}

/* A damaged import is not fingerprinted: importing it again reports the
 * damage again, and the intact log imported after it adds what was held
 * back (nothing stored from the damaged chunk could hide it). */
static void test_reimport_after_damage(void **state)
{
    struct fx *f = *state;
    struct log l = load(W10);
    struct attempt a;
    struct tu_run r;
    char *w10 = tu_data_file(W10);

    l.b[C(2) + 512 + 100] ^= 0x55;
    attempt(f, &a, &l, l.len);
    tu_assert_exit(&a.r, 1);
    tu_run_free(&a.r);
    run_import(&a.r, a.db, a.file);
    expect_damage(&a, 1, 116, "chunk 2: records checksum mismatch");
    run_import(&r, a.db, w10);
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    assert_int_equal(tu_sql_int(a.db, "SELECT count(*) FROM events"),
                     tu_sql_int(f->base_db, "SELECT count(*) FROM events"));
    free(w10);
    attempt_free(&a);
    free(l.b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shared_logs_intact),
        cmocka_unit_test(test_zeroed_chunk),
        cmocka_unit_test(test_only_chunk_zeroed),
        cmocka_unit_test(test_flipped_byte),
        cmocka_unit_test(test_fake_host),
        cmocka_unit_test(test_truncated_mid_chunk),
        cmocka_unit_test(test_wrong_chunk_count),
        cmocka_unit_test(test_record_size_mismatch),
        cmocka_unit_test(test_bad_signature),
        cmocka_unit_test(test_chunk_replaced_by_copy),
        cmocka_unit_test(test_reimport_after_damage),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
