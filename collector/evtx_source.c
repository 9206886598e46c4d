/*
 * evtx_source.c - Windows .evtx files through libevtx, in the Linux and the
 * Windows build alike (the .exe links libevtx built from Debian's source).
 *
 * Records the sink cannot want are counted and skipped without being
 * parsed: while the chunks are verified (below), collector/evtx_peek reads
 * each record's provider, event ID, strings and Binary data from its bytes
 * and the sink judges them.  libevtx parses every record it is asked for
 * into a tree of values - most of an import's time - so in a file whose
 * every chunk verified, the chunks are read again and the records the sink
 * may want are rendered to XML by evtx_peek; only one it cannot render is
 * asked of libevtx (by index, and it must carry the identifier the scan
 * found at its place, or the rest is read the slow way).  In any other
 * file every record is asked of libevtx and judged on what libevtx gives.
 * Either way the XML goes through the same parser as exported files, so
 * there is one event parser, not two.
 *
 * Verification.  libevtx (Debian's 20181227) parses what it can and says
 * little: a chunk whose checksums do not match is read as if they did (it
 * only sets the file-wide "corrupted" flag, which it also sets for every
 * log that was not closed cleanly), a chunk it cannot parse is dropped
 * without a word, and in a cleanly closed file the chunks past the header's
 * chunk count are not returned at all.  So before libevtx opens the file,
 * one sequential pass over it (one 64 KiB chunk at a time, nothing else
 * read twice) checks what the format gives to check, as the libyal
 * documentation of the format describes it ("Windows XML Event Log (EVTX)
 * format", libevtx/documentation, sections "File header" and "Chunk"):
 *
 *   file header (4096 bytes): "ElfFile\0"; header size 128 (offset 32),
 *     header block size 4096 (offset 40), major version 3; CRC-32 of bytes
 *     0..119 stored at offset 124; the number of chunks (offset 42) must be
 *     in the file; flag 0x1 (dirty) means the count may lag behind.
 *   chunk (65536 bytes): "ElfChnk\0"; CRC-32 of bytes 0..119 and 128..511
 *     stored at 0x7C; header size 128; free space offset (0x30) within the
 *     chunk; CRC-32 of the event records, 512 up to the free space offset,
 *     stored at 0x34.
 *   event record: "\x2a\x2a\0\0", its size, whose copy ends the record; the
 *     identifiers run from the chunk header's first to its last, and the
 *     last record is where the header says.
 *
 * (CRC-32 of RFC 1952, util/crc32.h.)  A chunk failing any of these is
 * damaged: none of its records is stored, all are counted as damaged (the
 * number its verified header announces; for a chunk whose header cannot be
 * trusted, what walking it finds or the gap it leaves in the record numbers
 * of the other chunks), and the error line names the chunk and what
 * failed.  libevtx does not say which chunk a record came from, so records
 * are matched to intact chunks by identifier, and identifiers a damaged
 * chunk may hold are refused.  A gap in the record numbers of chunks that
 * all verify (a chunk replaced by a copy of another) counts as missing
 * records; so do records libevtx cannot return from an intact chunk.  An
 * all-zero chunk is damaged, unless it lies past the header's chunk count
 * with only zeros after it: real logs are pre-allocated (so the zeroed last
 * chunk of a log not closed cleanly, whose count lags behind, goes
 * unnoticed).  When nothing readable remains the file is refused (SRC_BAD).
 */
#include "collector/source.h"
#include "collector/xmlevents.h"
#include "collector/evtx_open.h"
#include "collector/evtx_peek.h"
#include "util/crc32.h"
#include "util/grow.h"
#include "util/strbuf.h"

#include <libevtx.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define EVTX_HEADER_SIZE 4096
#define EVTX_CHUNK_SIZE  65536
#define CHUNK_HEADER     512          /* records start here */
#define RECORD_MIN       28           /* 24-byte record header + size copy */
#define CHUNK_MAX_RECORDS ((EVTX_CHUNK_SIZE - CHUNK_HEADER) / RECORD_MIN)
#define CHUNKS_LISTED    3            /* damaged chunks named in the message */
#define OVERLAP_TRIES    8            /* intact chunks tried for one identifier */
#define XML_START        (64 * 1024)  /* first XML buffer; grows on demand */
#define MAX_STRINGS      8            /* strings looked at by the prefilter */
#define STRING_ROOM      4096

/* ---- the pre-scan ---------------------------------------------------------- */

/* What the check of one chunk found: one row per state, with its words in
 * the error line (NULL: nothing wrong). */
enum chunk_state {
    CK_OK, CK_FREE, CK_ZERO, CK_SIGNATURE, CK_HEADER_CRC, CK_HEADER,
    CK_RECORDS_CRC, CK_RECORD_SIZE, CK_RECORD_LIST, CK_TRUNCATED, CK_UNANNOUNCED
};

static const char *const chunk_why[] = {
    [CK_OK] = NULL,
    [CK_FREE] = NULL,           /* pre-allocated: zeros past the last chunk */
    [CK_ZERO] = "all zeros",
    [CK_SIGNATURE] = "no chunk signature",
    [CK_HEADER_CRC] = "header checksum mismatch",
    [CK_HEADER] = "header values out of range",
    [CK_RECORDS_CRC] = "records checksum mismatch",
    [CK_RECORD_SIZE] = "record size mismatch",
    [CK_RECORD_LIST] = "records do not match the chunk header",
    [CK_TRUNCATED] = "cut short by the end of the file",
    [CK_UNANNOUNCED] = "past the header's chunk count",
};

struct chunk_check {
    unsigned char state;    /* enum chunk_state */
    unsigned char hdr_ok;   /* header verified: its numbers can be trusted */
    uint64_t first, last;   /* record numbers, when hdr_ok and records > 0 */
    uint64_t first_id;      /* CK_OK: its records' identifiers from here */
    uint64_t lo_id, hi_id;  /* damaged: identifiers it may hold (if has_ids) */
    unsigned char has_ids;
    long records;           /* verified (CK_OK) or announced by a verified header */
    long walked;            /* damaged: records found walking the chunk */
    long seen;              /* CK_OK: records of it delivered */
    uint32_t crc;           /* CK_OK: CRC-32 of the whole chunk, to know it
                             * again when it is read a second time */
};

/* A chunk that verified, by its first record identifier, with one byte per
 * record in evtx_scan.delivered. */
struct intact {
    uint64_t first_id;
    long n;
    size_t chunk, base;
};

/* Identifiers damaged chunks may hold: records with these are never taken
 * from an intact chunk either, since libevtx does not say which chunk a
 * record came from (its record offset is always 0 in Debian's version). */
struct id_range {
    uint64_t lo, hi;
};

struct evtx_scan {
    struct chunk_check *chunk;
    size_t n, cap;
    int header_bad;         /* file header checksum or values wrong */
    unsigned count;         /* chunks announced by the header (if not bad) */
    int dirty;              /* header flag 0x1: count may lag behind */
    struct intact *intact;  /* sorted by first_id */
    size_t nintact;
    struct id_range *taint; /* sorted, disjoint */
    size_t ntaint;
    unsigned char *delivered;
    long unplaced;          /* records libevtx returned that no chunk holds */
    /* the verdict on each record of the intact chunks, in file order, when
     * the sink filters: 0 parse it in full, else 1 + its provider's index
     * in prov (not wanted: counted and skipped unparsed) */
    struct evtx_peek *peek;
    const struct source_sink *sink;
    uint16_t *verdict;
    size_t nverdict, vcap;
    char **prov;
    size_t nprov, provcap;
};

static uint16_t le16(const unsigned char *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint64_t le64(const unsigned char *p)
{
    return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

static int all_zero(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

static void add_ids(struct chunk_check *ck, uint64_t lo, uint64_t hi)
{
    if (!ck->has_ids || lo < ck->lo_id)
        ck->lo_id = lo;
    if (!ck->has_ids || hi > ck->hi_id)
        ck->hi_id = hi;
    ck->has_ids = 1;
}

/* The state of the event records of a chunk whose header verified: walk
 * them from 512 to the free space offset. */
static enum chunk_state check_records(const unsigned char *c, struct chunk_check *ck)
{
    uint64_t first_id = le64(c + 24), last_id = le64(c + 32);
    uint32_t last_off = le32(c + 44), fso = le32(c + 48), at = 0;
    uint32_t off = CHUNK_HEADER;
    long n = 0;

    if (crc32_update(0, c + CHUNK_HEADER, fso - CHUNK_HEADER) != le32(c + 52))
        return CK_RECORDS_CRC;
    while (off < fso) {
        uint32_t size;
        /* archived logs fill the rest of the records area with zeros */
        if (fso - off < 24 || le32(c + off) != 0x00002a2a) {
            if (!all_zero(c + off, fso - off))
                return CK_RECORD_SIZE;
            break;
        }
        size = le32(c + off + 4);
        if (size < RECORD_MIN || size > fso - off || le32(c + off + size - 4) != size)
            return CK_RECORD_SIZE;
        if (le64(c + off + 8) != first_id + (uint64_t)n)
            return CK_RECORD_LIST;
        at = off;
        n++;
        off += size;
    }
    if (n != ck->records || (n > 0 && (last_id != first_id + (uint64_t)n - 1 ||
                                        last_off != at)))
        return CK_RECORD_LIST;
    ck->first_id = first_id;
    return CK_OK;
}

/* A damaged chunk with a signature: the identifiers of the records a
 * reader walking it by their sizes would find (and libevtx may return). */
static void walk_damaged(const unsigned char *c, size_t len, struct chunk_check *ck)
{
    size_t off = CHUNK_HEADER;

    while (len >= 24 && off <= len - 24 && le32(c + off) == 0x00002a2a) {
        uint32_t size = le32(c + off + 4);
        if (size < RECORD_MIN || size > len - off)
            break;
        uint64_t id = le64(c + off + 8);
        add_ids(ck, id, id);
        ck->walked++;
        off += size;
    }
    if (ck->hdr_ok && ck->records > 0 && le64(c + 32) >= le64(c + 24))
        add_ids(ck, le64(c + 24), le64(c + 32));
}

/* Check one chunk of len bytes (less than a chunk: the file ends in it). */
static void check_chunk(const unsigned char *c, size_t len, struct chunk_check *ck)
{
    uint64_t first, last;
    uint32_t fso;

    memset(ck, 0, sizeof *ck);
    if (len < 8 || memcmp(c, "ElfChnk\0", 8) != 0) {
        /* libevtx reads no record from a chunk without its signature */
        ck->state = all_zero(c, len) ? CK_ZERO
                    : len < EVTX_CHUNK_SIZE ? CK_TRUNCATED : CK_SIGNATURE;
        return;
    }
    if (len < CHUNK_HEADER) {
        ck->state = CK_TRUNCATED;
        return;
    }
    first = le64(c + 8);
    last = le64(c + 16);
    fso = le32(c + 48);
    if (crc32_update(crc32_update(0, c, 120), c + 128, CHUNK_HEADER - 128) !=
        le32(c + 124)) {
        ck->state = CK_HEADER_CRC;
    } else if (le32(c + 40) != 128 || fso < CHUNK_HEADER || fso > EVTX_CHUNK_SIZE ||
               (fso > CHUNK_HEADER &&
                (last < first || last - first >= CHUNK_MAX_RECORDS))) {
        ck->state = CK_HEADER;
    } else {
        ck->hdr_ok = 1;
        ck->first = first;
        ck->last = last;
        ck->records = fso > CHUNK_HEADER ? (long)(last - first + 1) : 0;
        ck->state = len < EVTX_CHUNK_SIZE ? CK_TRUNCATED : check_records(c, ck);
    }
    if (ck->state != CK_OK) {
        if (len < EVTX_CHUNK_SIZE)
            ck->state = CK_TRUNCATED;
        walk_damaged(c, len, ck);
    }
}

static int cmp_intact(const void *a, const void *b)
{
    const struct intact *x = a, *y = b;
    return x->first_id < y->first_id ? -1 : x->first_id > y->first_id;
}

static int cmp_range(const void *a, const void *b)
{
    const struct id_range *x = a, *y = b;
    return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* Records missing from the record numbers of the chunks whose headers
 * verified (a log numbers its records without gaps: a gap is records lost
 * with chunks whose headers cannot be trusted, or with chunks replaced by
 * copies of others), at most what `chunks` chunks can hold. */
static long lost_in_gaps(const struct evtx_scan *s, size_t chunks)
{
    struct id_range *r;
    uint64_t gap = 0, most = (uint64_t)chunks * CHUNK_MAX_RECORDS;
    size_t n = 0;

    if (s->n < 2 || !(r = malloc(s->n * sizeof *r)))
        return 0;   /* no estimate; the chunks are still named */
    for (size_t k = 0; k < s->n; k++) {
        const struct chunk_check *ck = &s->chunk[k];
        if (ck->hdr_ok && ck->records > 0) {
            struct id_range one = {ck->first, ck->last};
            r[n++] = one;
        }
    }
    if (n > 1)
        qsort(r, n, sizeof *r, cmp_range);
    for (size_t i = 1, top = 0; i < n && gap < most; i++) {
        if (r[i].lo > r[top].hi && r[i].lo - r[top].hi > 1)
            gap += r[i].lo - r[top].hi - 1;
        if (r[i].hi > r[top].hi)
            top = i;
    }
    free(r);
    return (long)(gap < most ? gap : most);
}

/* The lookup tables of the read: intact chunks by identifier, and the
 * identifiers of damaged chunks merged into disjoint ranges.  0, or -1 on
 * out of memory. */
static int index_chunks(struct evtx_scan *s)
{
    size_t total = 0, nt = 0;

    for (size_t k = 0; k < s->n; k++) {
        if (s->chunk[k].state == CK_OK && s->chunk[k].records > 0)
            s->nintact++;
        else if (s->chunk[k].has_ids)
            nt++;
    }
    if ((s->nintact && !(s->intact = malloc(s->nintact * sizeof *s->intact))) ||
        (nt && !(s->taint = malloc(nt * sizeof *s->taint))))
        return -1;
    s->nintact = 0;
    for (size_t k = 0; k < s->n; k++) {
        const struct chunk_check *ck = &s->chunk[k];
        if (ck->state == CK_OK && ck->records > 0) {
            struct intact in = {ck->first_id, ck->records, k, total};
            s->intact[s->nintact++] = in;
            total += (size_t)ck->records;
        } else if (ck->has_ids) {
            struct id_range r = {ck->lo_id, ck->hi_id};
            s->taint[s->ntaint++] = r;
        }
    }
    if (total && !(s->delivered = calloc(total, 1)))
        return -1;
    if (s->nintact > 1)
        qsort(s->intact, s->nintact, sizeof *s->intact, cmp_intact);
    if (s->ntaint > 1)
        qsort(s->taint, s->ntaint, sizeof *s->taint, cmp_range);
    nt = 0;
    for (size_t i = 0; i < s->ntaint; i++) {
        if (nt > 0 && s->taint[i].lo <= s->taint[nt - 1].hi) {
            if (s->taint[i].hi > s->taint[nt - 1].hi)
                s->taint[nt - 1].hi = s->taint[i].hi;
        } else {
            s->taint[nt++] = s->taint[i];
        }
    }
    s->ntaint = nt;
    return 0;
}

static int tainted(const struct evtx_scan *s, uint64_t id)
{
    size_t lo = 0, hi = s->ntaint;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (id < s->taint[mid].lo)
            hi = mid;
        else if (id > s->taint[mid].hi)
            lo = mid + 1;
        else
            return 1;
    }
    return 0;
}

/*
 * Whether a record libevtx returned, of identifier id, is one of an intact
 * chunk not delivered yet; counts it delivered if so.  A record of no chunk
 * the scan saw is counted in s->unplaced.
 */
static int take_record(struct evtx_scan *s, uint64_t id)
{
    size_t lo = 0, hi = s->nintact;

    /* the last intact chunk starting at or before id */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->intact[mid].first_id <= id)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (tainted(s, id))
        return 0;   /* a damaged chunk may hold it: counted with the chunks */
    /* intact chunks may overlap (a copied chunk): the first few with id
     * still to give; beyond that the record counts as damaged */
    for (size_t i = lo, tries = 0; i-- > 0 && tries < OVERLAP_TRIES; tries++) {
        struct intact *in = &s->intact[i];
        if (id - in->first_id >= CHUNK_MAX_RECORDS)
            break;      /* sorted: no chunk further back holds id */
        if (id - in->first_id >= (uint64_t)in->n)
            continue;
        unsigned char *d = &s->delivered[in->base + (size_t)(id - in->first_id)];
        if (!*d) {
            *d = 1;
            s->chunk[in->chunk].seen++;
            return 1;
        }
    }
    s->unplaced++;
    return 0;
}

/* ---- judging records from their bytes ------------------------------------- */

/* Whether the sink may want a record, from what its bytes say: only a
 * complete record may be refused on its strings and binary data. */
static int may_want(const struct source_sink *sink, const struct evtx_facts *f)
{
    if (sink->want_provider && !sink->want_provider(sink->ctx, f->provider))
        return 0;
    if (sink->want_event &&
        !sink->want_event(sink->ctx, f->provider, f->event_id, f->strings,
                          f->nstrings, f->binary, f->binlen))
        return !f->complete;
    return 1;
}

/* 1 + the index of provider in s->prov (added if new), 0 when the table
 * is full (the record is then parsed in full), -1 out of memory. */
static int provider_slot(struct evtx_scan *s, const char *provider)
{
    for (size_t i = s->nprov; i-- > 0;)
        if (strcmp(s->prov[i], provider) == 0)
            return (int)i + 1;
    if (s->nprov >= UINT16_MAX - 1)
        return 0;
    if (wu_grow(&s->prov, s->nprov, &s->provcap, sizeof *s->prov) != 0 ||
        !(s->prov[s->nprov] = strdup(provider)))
        return -1;
    return (int)++s->nprov;
}

/* The verdicts on the records of chunk c, which verified (check_records
 * walked them: their sizes are sound).  0, or -1 out of memory. */
static int judge_chunk(struct evtx_scan *s, const unsigned char *c,
                       const struct chunk_check *ck)
{
    uint32_t off = CHUNK_HEADER;

    evtx_peek_chunk(s->peek, c);
    for (long i = 0; i < ck->records; i++) {
        uint32_t size = le32(c + off + 4);
        struct evtx_facts f;
        int v = 0, r = evtx_peek_record(s->peek, off, size, &f);

        if (r < 0)
            return -1;
        if (r == 1 && !may_want(s->sink, &f) && (v = provider_slot(s, f.provider)) < 0)
            return -1;
        if (wu_grow(&s->verdict, s->nverdict, &s->vcap, sizeof *s->verdict) != 0)
            return -1;
        s->verdict[s->nverdict++] = (uint16_t)v;
        off += size;
    }
    return 0;
}

/*
 * Check the file header (head, n bytes) and then every chunk, reading fp
 * (positioned after head) to its end; with s->peek set (s is zeroed by the
 * caller), judge the records of each chunk that verifies.  0, or SRC_BAD /
 * SRC_NOMEM with err set.
 */
static int scan_file(const unsigned char *head, size_t n, FILE *fp,
                     struct evtx_scan *s, char *err, size_t errlen)
{
    unsigned char *buf = NULL;
    long last_used = -1;
    int status = 0;

    if (n < EVTX_HEADER_SIZE) {
        snprintf(err, errlen, "not a readable .evtx file: it ends inside its "
                 "%d-byte file header (%zu bytes)", EVTX_HEADER_SIZE, n);
        return SRC_BAD;
    }
    s->header_bad = crc32_update(0, head, 120) != le32(head + 124) ||
                    le32(head + 32) != 128 || le16(head + 40) != EVTX_HEADER_SIZE ||
                    le16(head + 38) != 3;
    s->count = s->header_bad ? 0 : le16(head + 42);
    s->dirty = s->header_bad || (le32(head + 120) & 1);
    if (!(buf = malloc(EVTX_CHUNK_SIZE)))
        return SRC_NOMEM;
    for (;;) {
        size_t got = fread(buf, 1, EVTX_CHUNK_SIZE, fp);
        if (got == 0)
            break;
        if (wu_grow(&s->chunk, s->n, &s->cap, sizeof *s->chunk) != 0) {
            status = SRC_NOMEM;
            goto cleanup;
        }
        check_chunk(buf, got, &s->chunk[s->n]);
        if (s->peek && s->chunk[s->n].state == CK_OK) {
            s->chunk[s->n].crc = crc32_update(0, buf, EVTX_CHUNK_SIZE);
            if (judge_chunk(s, buf, &s->chunk[s->n]) != 0) {
                status = SRC_NOMEM;
                goto cleanup;
            }
        }
        if (s->chunk[s->n].state != CK_ZERO)
            last_used = (long)s->n;
        s->n++;
        if (got < EVTX_CHUNK_SIZE)
            break;
    }
    if (ferror(fp)) {
        snprintf(err, errlen, "read error in chunk %zu", s->n);
        status = SRC_BAD;
        goto cleanup;
    }
    for (size_t k = 0; k < s->n; k++) {
        struct chunk_check *ck = &s->chunk[k];
        int past = s->header_bad || k >= s->count;
        if (ck->state == CK_ZERO && past && (long)k > last_used) {
            ck->state = CK_FREE;
        } else if (ck->state == CK_OK && past && !s->dirty && ck->records > 0) {
            /* libevtx does not return these (they are "recovered") */
            ck->state = CK_UNANNOUNCED;
            add_ids(ck, ck->first_id, ck->first_id + (uint64_t)ck->records - 1);
        }
    }
    if (index_chunks(s) != 0)
        status = SRC_NOMEM;
cleanup:
    free(buf);
    return status;
}

static void scan_free(struct evtx_scan *s)
{
    free(s->chunk);
    free(s->intact);
    free(s->taint);
    free(s->delivered);
    evtx_peek_free(s->peek);
    free(s->verdict);
    for (size_t i = 0; i < s->nprov; i++)
        free(s->prov[i]);
    free(s->prov);
}

/* ---- reading the records --------------------------------------------------- */

static void error_text(libevtx_error_t *e, char *buf, size_t len)
{
    buf[0] = '\0';
    if (e) {
        libevtx_error_sprint(e, buf, len);
        /* keep the first line only */
        char *nl = strchr(buf, '\n');
        if (nl)
            *nl = '\0';
    }
}

/* Replace characters XML 1.0 forbids, which libevtx may copy from data. */
static void scrub_controls(char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
            s[i] = ' ';
    }
}

/* Scratch space for the positional strings and binary data of a record. */
struct strings {
    char text[MAX_STRINGS][STRING_ROOM];
    const char *ptr[MAX_STRINGS];
    unsigned char binary[4096];
};

/*
 * Ask the sink whether this record can matter, from what libevtx gives
 * without rendering XML: the event ID, the first strings, the binary data.
 * On any doubt (a value libevtx cannot give), answer yes.
 */
static int want_event(const struct source_sink *sink, libevtx_record_t *rec,
                      const char *provider, struct strings *st)
{
    uint32_t id = 0;
    int n = 0;
    size_t nstr = 0, binlen = 0;

    if (libevtx_record_get_event_identifier(rec, &id, NULL) != 1 ||
        libevtx_record_get_number_of_strings(rec, &n, NULL) != 1)
        return 1;
    for (int i = 0; i < n && nstr < MAX_STRINGS; i++) {
        size_t sz = 0;
        if (libevtx_record_get_utf8_string_size(rec, i, &sz, NULL) != 1)
            return 1;
        if (sz == 0 || sz > STRING_ROOM)
            continue;       /* no service name is this long */
        if (libevtx_record_get_utf8_string(rec, i, (uint8_t *)st->text[nstr], sz,
                                           NULL) != 1)
            return 1;
        st->ptr[nstr] = st->text[nstr];
        nstr++;
    }
    if (libevtx_record_get_data_size(rec, &binlen, NULL) == 1 && binlen > 0) {
        if (binlen > sizeof st->binary ||
            libevtx_record_get_data(rec, st->binary, binlen, NULL) != 1)
            return 1;
    }
    return sink->want_event(sink->ctx, provider, (int)(id & 0xFFFF), st->ptr, nstr,
                            st->binary, binlen);
}

/*
 * The damage the scan and the read found, counted into *damaged and said in
 * sb: the file header, the damaged chunks (the first CHUNKS_LISTED named),
 * the chunks missing from the end, records libevtx could not return.
 */
static void describe_damage(const struct evtx_scan *s, long failed,
                            struct strbuf *sb, long *damaged)
{
    size_t untrusted = 0, listed = 0, more = 0;
    long total = 0, lost = 0, walked = 0, unread;
    const char *sep = "";

    if (s->header_bad) {
        sb_adds(sb, "file header checksum or values wrong");
        sep = "; ";
    }
    for (size_t k = 0; k < s->n; k++) {
        const struct chunk_check *ck = &s->chunk[k];
        const char *why = chunk_why[ck->state];
        if (!why) {
            lost += ck->records - ck->seen;
            continue;
        }
        if (ck->hdr_ok) {
            total += ck->records;
        } else {
            untrusted++;
            walked += ck->walked;
        }
        if (listed < CHUNKS_LISTED) {
            sb_printf(sb, "%schunk %zu: %s", sep, k, why);
            sep = "; ";
            listed++;
        } else {
            more++;
        }
    }
    if (more)
        sb_printf(sb, "; %zu more damaged chunk%s", more, more == 1 ? "" : "s");
    if (!s->header_bad && s->n < s->count) {
        int cut = s->n > 0 && s->chunk[s->n - 1].state == CK_TRUNCATED;
        if (cut)
            sb_printf(sb, "%sthe file ends inside chunk %zu of the %u its header "
                      "announces", sep, s->n - 1, s->count);
        else
            sb_printf(sb, "%sthe file ends after %zu of the %u chunks its header "
                      "announces", sep, s->n, s->count);
        sep = "; ";
    }
    /* chunks with untrusted headers: what walking them found, or the gap
     * they leave in the record numbers, whichever is more; without such
     * chunks a gap is records missing all the same */
    long gaps = lost_in_gaps(s, untrusted ? untrusted : s->n);
    if (untrusted) {
        total += gaps > walked ? gaps : walked;
    } else if (gaps > 0) {
        sb_printf(sb, "%s%ld record%s missing from the record numbers", sep, gaps,
                  gaps == 1 ? "" : "s");
        sep = "; ";
        total += gaps;
    }
    unread = failed + lost + s->unplaced;
    if (unread > 0)
        sb_printf(sb, "%s%ld record%s of intact chunks unreadable", sep, unread,
                  unread == 1 ? "" : "s");
    *damaged = total + unread;
}

/* Copy sb into err; a message too long for err ends in "..." (never cut
 * without saying so). */
static void set_err(char *err, size_t errlen, const struct strbuf *sb)
{
    if (errlen == 0)
        return;
    if (sb->oom) {
        snprintf(err, errlen, "damaged file (out of memory describing it)");
        return;
    }
    snprintf(err, errlen, "%s", sb->buf ? sb->buf : "");
    if (sb->len >= errlen && errlen > 4)
        memcpy(err + errlen - 4, "...", 4);
}

/* What reading the records of one file needs. */
struct reader {
    const struct source_sink *sink;
    struct wu_stats *stats;
    struct evtx_scan *scan;
    struct xml_events *xe;
    struct strings *strs;
    char *xml;
    size_t xmlcap;
    long failed;            /* records of intact chunks that would not read */
    const char *path;
    libevtx_file_t *file;   /* opened when a record needs libevtx */
    int nrec;               /* its record count */
    struct strbuf own;      /* a record rendered by evtx_peek */
};

/* libevtx's handle on the file, opened on first use.  SRC_OK, or SRC_BAD
 * with err set. */
static int open_libevtx(struct reader *r, char *err, size_t errlen)
{
    libevtx_error_t *e = NULL;
    char why[256];

    if (r->file)
        return SRC_OK;
    if (libevtx_file_initialize(&r->file, &e) != 1 ||
        evtx_open_file(r->file, r->path, &e) != 1 ||
        libevtx_file_get_number_of_records(r->file, &r->nrec, &e) != 1) {
        error_text(e, why, sizeof why);
        libevtx_error_free(&e);
        snprintf(err, errlen, "not a readable .evtx file (%s)", why);
        if (r->file) {
            libevtx_file_close(r->file, NULL);
            libevtx_file_free(&r->file, NULL);
        }
        return SRC_BAD;
    }
    return SRC_OK;
}

/* A record's XML (len bytes at xml, writable), scrubbed and parsed into an
 * event for the sink.  SRC_OK or SRC_STOPPED. */
static int deliver_xml(struct reader *r, char *xml, size_t len)
{
    char why[256];
    long before = xml_events_count(r->xe);
    int rc;

    scrub_controls(xml, len);
    rc = xml_events_parse_one(r->xe, xml, len, why, sizeof why);
    if (rc > 0)
        return SRC_STOPPED;
    if (rc < 0 || xml_events_count(r->xe) == before)
        r->failed++;
    else
        r->stats->read++;
    return SRC_OK;
}

/*
 * One record libevtx returned: delivered when it is of an intact chunk and
 * not delivered yet - rendered to XML and parsed, or counted as skipped
 * when the sink does not want it.  SRC_OK, SRC_STOPPED or SRC_NOMEM.
 */
static int read_record(struct reader *r, libevtx_record_t *rec)
{
    const struct source_sink *sink = r->sink;
    libevtx_error_t *e = NULL;
    size_t size = 0;
    uint64_t id = 0;
    char provider[256];
    int rc;

    /* only records of intact chunks are delivered */
    if (libevtx_record_get_identifier(rec, &id, &e) != 1) {
        libevtx_error_free(&e);
        return SRC_OK;
    }
    if (!take_record(r->scan, id))
        return SRC_OK;
    rc = libevtx_record_get_utf8_source_name_size(rec, &size, &e);
    provider[0] = '\0';
    if (rc == 1 && size > 0 && size <= sizeof provider)
        rc = libevtx_record_get_utf8_source_name(rec, (uint8_t *)provider, size, &e);
    if (rc == -1) {
        libevtx_error_free(&e);
        r->failed++;
        return SRC_OK;
    }
    if ((sink->want_provider && !sink->want_provider(sink->ctx, provider)) ||
        (sink->want_event && !want_event(sink, rec, provider, r->strs))) {
        r->stats->read++;
        return sink->skipped(sink->ctx, provider) ? SRC_STOPPED : SRC_OK;
    }
    /* render once into a buffer that is usually big enough; only when it
     * is not, ask libevtx for the size (which renders it again) */
    if (!r->xml) {
        if (!(r->xml = malloc(XML_START)))
            return SRC_NOMEM;
        r->xmlcap = XML_START;
    }
    if (libevtx_record_get_utf8_xml_string(rec, (uint8_t *)r->xml, r->xmlcap, &e) != 1) {
        libevtx_error_free(&e);
        if (libevtx_record_get_utf8_xml_string_size(rec, &size, &e) != 1 ||
            size == 0 || size <= r->xmlcap) {
            libevtx_error_free(&e);
            r->failed++;
            return SRC_OK;
        }
        char *x = realloc(r->xml, size);
        if (!x)
            return SRC_NOMEM;
        r->xml = x;
        r->xmlcap = size;
        if (libevtx_record_get_utf8_xml_string(rec, (uint8_t *)r->xml, size, &e) != 1) {
            libevtx_error_free(&e);
            r->failed++;
            return SRC_OK;
        }
    }
    return deliver_xml(r, r->xml, strlen(r->xml));
}

/* Every record libevtx returns, each through read_record (a record it
 * cannot return is counted with its chunk: short of the records an intact
 * chunk holds, or with a damaged one). */
static int read_all(struct reader *r, libevtx_file_t *file, int nrec)
{
    libevtx_record_t *rec = NULL;
    libevtx_error_t *e = NULL;
    int status = SRC_OK;

    for (int i = 0; i < nrec && status == SRC_OK; i++) {
        if (libevtx_file_get_record_by_index(file, i, &rec, &e) != 1) {
            libevtx_error_free(&e);
            continue;
        }
        status = read_record(r, rec);
        libevtx_record_free(&rec, NULL);
    }
    return status;
}

/*
 * The fast way, for a file whose every chunk verified: the chunks are read
 * again (each must be the chunk the scan verified, by its CRC-32) and a
 * record the scan judged unwanted is counted and skipped; the others are
 * rendered by evtx_peek and parsed, and only a record it cannot render is
 * asked of libevtx - by its index, since libevtx returns the records of a
 * file whose chunks all verify in file order, as long as it counts as many
 * as the scan did.  When that or a re-read fails, the rest is read the
 * slow way (read_all: records already delivered are not delivered twice).
 */
static int read_judged(struct reader *r, FILE *fp, char *err, size_t errlen)
{
    const struct evtx_scan *s = r->scan;
    libevtx_record_t *rec = NULL;
    libevtx_error_t *e = NULL;
    unsigned char *buf = NULL;
    size_t i = 0;
    int status = SRC_OK, slow = 0;

    if (!(buf = malloc(EVTX_CHUNK_SIZE)))
        return SRC_NOMEM;
    if (fseek(fp, EVTX_HEADER_SIZE, SEEK_SET) != 0)
        slow = 1;
    for (size_t k = 0; k < s->n && status == SRC_OK && !slow; k++) {
        const struct chunk_check *ck = &s->chunk[k];
        uint32_t off = CHUNK_HEADER;

        if (fread(buf, 1, EVTX_CHUNK_SIZE, fp) != EVTX_CHUNK_SIZE) {
            slow = ck->state == CK_OK;
            break;
        }
        if (ck->state != CK_OK)
            continue;
        if (crc32_update(0, buf, EVTX_CHUNK_SIZE) != ck->crc) {
            slow = 1;       /* the file changed since the scan */
            break;
        }
        evtx_peek_chunk(s->peek, buf);
        for (long j = 0; j < ck->records && status == SRC_OK; j++, i++) {
            uint32_t size = le32(buf + off + 4);
            uint64_t id = ck->first_id + (uint64_t)j, got = 0;
            uint16_t v = s->verdict[i];
            int rr;

            if (v) {
                if (take_record(r->scan, id)) {
                    r->stats->read++;
                    if (r->sink->skipped(r->sink->ctx, s->prov[v - 1]))
                        status = SRC_STOPPED;
                }
            } else if ((rr = evtx_peek_xml(s->peek, off, size, &r->own)) < 0) {
                status = SRC_NOMEM;
            } else if (rr == 1) {
                if (take_record(r->scan, id))
                    status = deliver_xml(r, r->own.buf, r->own.len);
            } else if (open_libevtx(r, err, errlen) != SRC_OK ||
                       (size_t)r->nrec != s->nverdict) {
                slow = 1;
                break;
            } else if (libevtx_file_get_record_by_index(r->file, (int)i, &rec, &e) != 1) {
                libevtx_error_free(&e);     /* counted with its chunk */
            } else {
                if (libevtx_record_get_identifier(rec, &got, &e) != 1 || got != id)
                    slow = 1;
                else
                    status = read_record(r, rec);
                libevtx_error_free(&e);
                libevtx_record_free(&rec, NULL);
                if (slow)
                    break;
            }
            off += size;
        }
    }
    free(buf);
    if (status != SRC_OK || !slow)
        return status;
    if ((status = open_libevtx(r, err, errlen)) != SRC_OK)
        return status;
    return read_all(r, r->file, r->nrec);
}

/* Whether read_judged may read the file: every chunk verified (or is
 * pre-allocated space), so each record was judged. */
static int all_judged(const struct evtx_scan *s)
{
    if (!s->peek || s->header_bad)
        return 0;
    for (size_t k = 0; k < s->n; k++)
        if (s->chunk[k].state != CK_OK && s->chunk[k].state != CK_FREE)
            return 0;
    return 1;
}

static int evtx_read(const char *path, FILE *fp, const unsigned char *head,
                     size_t n, const struct source_sink *sink,
                     struct wu_stats *stats, char *err, size_t errlen)
{
    struct source_relay relay = {sink, NULL};  /* records are counted below */
    struct evtx_scan scan = {0};
    struct reader rd;
    struct strbuf why_sb;
    int status = SRC_OK;
    long damaged = 0;

    memset(&rd, 0, sizeof rd);
    rd.sink = sink;
    rd.stats = stats;
    rd.scan = &scan;
    rd.path = path;
    sb_init(&rd.own);
    sb_init(&why_sb);
    /* records are judged from their bytes when the sink filters them */
    if (sink->want_provider || sink->want_event) {
        scan.sink = sink;
        if (!(scan.peek = evtx_peek_new())) {
            status = SRC_NOMEM;
            goto cleanup;
        }
    }
    if ((status = scan_file(head, n, fp, &scan, err, errlen)) != SRC_OK)
        goto cleanup;
    if (!(rd.xe = xml_events_new(source_relay_event, &relay)) ||
        !(rd.strs = malloc(sizeof *rd.strs))) {
        status = SRC_NOMEM;
        goto cleanup;
    }
    if (all_judged(&scan))
        status = read_judged(&rd, fp, err, errlen);
    else if ((status = open_libevtx(&rd, err, errlen)) == SRC_OK)
        status = read_all(&rd, rd.file, rd.nrec);
    if (status != SRC_OK)
        goto cleanup;
    describe_damage(&scan, rd.failed, &why_sb, &damaged);
    stats->damaged += damaged;
    if (why_sb.len > 0 || damaged > 0) {
        struct strbuf msg;
        const char *why_text = why_sb.buf ? why_sb.buf : "";
        sb_init(&msg);
        if (stats->read == 0 && damaged > 0)
            sb_printf(&msg, "not a readable .evtx file: nothing valid in it, %ld "
                      "records damaged (%s)", damaged, why_text);
        else if (stats->read == 0)
            sb_printf(&msg, "not a readable .evtx file: nothing valid in it (%s)",
                      why_text);
        else if (damaged > 0)
            sb_printf(&msg, "%ld records damaged (%s); kept the %ld readable",
                      damaged, why_text, stats->read);
        else
            sb_printf(&msg, "damaged (%s), no record known lost; kept the %ld "
                      "readable", why_text, stats->read);
        msg.oom |= why_sb.oom;
        set_err(err, errlen, &msg);
        sb_free(&msg);
        status = stats->read == 0 ? SRC_BAD : SRC_PARTIAL;
    }
cleanup:
    if (rd.file) {
        libevtx_file_close(rd.file, NULL);
        libevtx_file_free(&rd.file, NULL);
    }
    sb_free(&rd.own);
    xml_events_free(rd.xe);
    free(rd.xml);
    free(rd.strs);
    scan_free(&scan);
    sb_free(&why_sb);
    return status;
}

const struct wu_source evtx_source = {"evtx", source_probe_evtx, evtx_read};
