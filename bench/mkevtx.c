/*
 * mkevtx.c - bench tool (bench/scale.sh): write a large, valid .evtx made of
 * N copies of the real chunks of a source .evtx, so that import time and
 * memory can be measured at 1x, 4x, 16x the input on real records.
 *
 * Usage: mkevtx SRC.evtx N OUT.evtx
 *
 * Every chunk of SRC with a chunk signature is copied N times, in order
 * (copy 0 of all chunks, then copy 1, ...).  Copy c renumbers its records
 * to continue after copy c-1: record numbers and identifiers move up by
 * the span of the source's (last - first + 1), in the chunk header (first
 * and last event record number at 8 and 16, identifier at 24 and 32) and
 * in each record (identifier at record offset 8).  Then each chunk's
 * records CRC (512 up to the free space offset, stored at 0x34) and header
 * CRC (bytes 0..119 and 128..511, stored at 0x7C) are recomputed.  The
 * file header gets the chunk count (offset 42), first and last chunk
 * number (8, 16), the next record identifier (24), a cleared dirty flag
 * (offset 120, bit 0: the count is exact) and its CRC (bytes 0..119 at
 * 124).  These are exactly what collector/evtx_source.c verifies; copy 0
 * is the source's chunks unchanged, so mkevtx SRC 1 OUT reproduces the
 * source's chunk bytes.  The chunks' templates and string tables are
 * chunk-relative, so a copied chunk reads like the original.
 *
 * Exit 0, or 1 with a message (source not a readable .evtx, a chunk whose
 * records do not walk, too many chunks for the header's 16-bit count,
 * write error: OUT is removed).
 */
#include "util/crc32.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEADER_SIZE 4096
#define CHUNK_SIZE  65536
#define CHUNK_HEAD  512
#define MAX_CHUNKS  65535     /* the header's count is 16 bits */

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint64_t get64(const unsigned char *p)
{
    return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

static void put16(unsigned char *p, uint16_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}

static void put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static void put64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* The chunks of the source: its bytes, which chunks to copy. */
struct source {
    unsigned char *data;
    size_t size;
    size_t *chunk;          /* offsets of the chunks with a signature */
    size_t n;
    uint64_t first_num, last_num, first_id, last_id;
};

/* Read the whole of path into s and find its chunks; 0, or -1 with a
 * message. */
static int load(const char *path, struct source *s)
{
    FILE *fp = fopen(path, "rb");
    long len;
    int rc = -1;

    memset(s, 0, sizeof *s);
    if (!fp) {
        perror(path);
        return -1;
    }
    if (fseek(fp, 0, SEEK_END) != 0 || (len = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET) != 0) {
        perror(path);
        goto cleanup;
    }
    s->size = (size_t)len;
    if (s->size < HEADER_SIZE + CHUNK_SIZE) {
        fprintf(stderr, "mkevtx: %s: too short for an .evtx with a chunk\n", path);
        goto cleanup;
    }
    if (!(s->data = malloc(s->size)) ||
        !(s->chunk = malloc(sizeof *s->chunk * (s->size / CHUNK_SIZE)))) {
        fprintf(stderr, "mkevtx: out of memory\n");
        goto cleanup;
    }
    if (fread(s->data, 1, s->size, fp) != s->size) {
        fprintf(stderr, "mkevtx: %s: read error\n", path);
        goto cleanup;
    }
    if (memcmp(s->data, "ElfFile\0", 8) != 0) {
        fprintf(stderr, "mkevtx: %s: no .evtx file signature\n", path);
        goto cleanup;
    }
    for (size_t off = HEADER_SIZE; off + CHUNK_SIZE <= s->size; off += CHUNK_SIZE) {
        const unsigned char *c = s->data + off;
        if (memcmp(c, "ElfChnk\0", 8) != 0 || get32(c + 48) <= CHUNK_HEAD)
            continue;       /* unused (pre-allocated) or empty */
        uint64_t fn = get64(c + 8), ln = get64(c + 16);
        uint64_t fi = get64(c + 24), li = get64(c + 32);
        if (s->n == 0 || fn < s->first_num)
            s->first_num = fn;
        if (s->n == 0 || ln > s->last_num)
            s->last_num = ln;
        if (s->n == 0 || fi < s->first_id)
            s->first_id = fi;
        if (s->n == 0 || li > s->last_id)
            s->last_id = li;
        s->chunk[s->n++] = off;
    }
    if (s->n == 0) {
        fprintf(stderr, "mkevtx: %s: no chunk with records\n", path);
        goto cleanup;
    }
    rc = 0;
cleanup:
    fclose(fp);
    return rc;
}

/*
 * The EventRecordID of the record at off (size bytes) in chunk c, old_id,
 * becomes new_id.  A record's XML (and so the record ID wudiag keys its
 * events on) takes EventRecordID from the record's template values, not
 * from the record header, so it is patched there too: the binary XML is a fragment header (4 bytes) and a
 * template instance (token 0x0c, 1 byte, template id, definition offset:
 * 10 bytes); when the definition offset is the chunk offset right after
 * them, the definition follows inline (next offset 4, GUID 16, data size
 * 4, data); then the number of values (4), a descriptor per value (size 2,
 * type 1, 0), the values.  The value patched is the one of type UInt64
 * (0x0a) and size 8 that holds old_id; exactly one must.  0, or -1.
 */
static int patch_record_id(unsigned char *c, uint32_t off, uint32_t size,
                           uint64_t old_id, uint64_t new_id)
{
    uint32_t end = off + size - 4, p = off + 24, nval, val;
    unsigned char *hit = NULL;

    if (end - p < 14 + 4 || c[p] != 0x0f || c[p + 4] != 0x0c)
        return -1;
    p += 14;
    if (get32(c + p - 4) == p) {                /* inline definition */
        if (end - p < 24 || get32(c + p + 20) > end - p - 24)
            return -1;
        p += 24 + get32(c + p + 20);
    }
    if (end - p < 4)
        return -1;
    nval = get32(c + p);
    p += 4;
    if (nval > (end - p) / 4)
        return -1;
    val = p + 4 * nval;
    for (uint32_t i = 0; i < nval; i++) {
        uint32_t vsize = (uint32_t)c[p + 4 * i] | (uint32_t)c[p + 4 * i + 1] << 8;
        if (vsize > end - val)
            return -1;
        if (c[p + 4 * i + 2] == 0x0a && vsize == 8 && get64(c + val) == old_id) {
            if (hit)
                return -1;
            hit = c + val;
        }
        val += vsize;
    }
    if (!hit)
        return -1;
    put64(hit, new_id);
    return 0;
}

/*
 * Renumber the chunk at c (a copy in a buffer) by dnum (record numbers) and
 * did (identifiers), then recompute its two CRCs.  0, or -1 when its
 * records do not walk from 512 to the free space offset.
 */
static int renumber(unsigned char *c, uint64_t dnum, uint64_t did)
{
    uint32_t fso = get32(c + 48), off = CHUNK_HEAD;
    uint64_t first_id = get64(c + 24), last_id = get64(c + 32);
    uint64_t n = 0;

    if (fso > CHUNK_SIZE)
        return -1;
    while (off + 24 <= fso && get32(c + off) == 0x00002a2a) {
        uint32_t size = get32(c + off + 4);
        if (size < 28 || size > fso - off)
            return -1;
        uint64_t id = get64(c + off + 8);
        if (patch_record_id(c, off, size, id, id + did) != 0)
            return -1;
        put64(c + off + 8, id + did);
        n++;
        off += size;
    }
    if (n != last_id - first_id + 1)
        return -1;
    put64(c + 8, get64(c + 8) + dnum);
    put64(c + 16, get64(c + 16) + dnum);
    put64(c + 24, first_id + did);
    put64(c + 32, last_id + did);
    put32(c + 52, crc32_update(0, c + CHUNK_HEAD, fso - CHUNK_HEAD));
    put32(c + 124, crc32_update(crc32_update(0, c, 120), c + 128, CHUNK_HEAD - 128));
    return 0;
}

static int write_all(FILE *out, const struct source *s, unsigned long copies)
{
    unsigned char head[HEADER_SIZE], *c = NULL;
    uint64_t span_num = s->last_num - s->first_num + 1;
    uint64_t span_id = s->last_id - s->first_id + 1;
    size_t total = s->n * copies;
    int rc = -1;

    memcpy(head, s->data, HEADER_SIZE);
    put64(head + 8, 0);
    put64(head + 16, total - 1);
    put64(head + 24, s->last_id + span_id * (copies - 1) + 1);
    put16(head + 42, (uint16_t)total);
    put32(head + 120, get32(head + 120) & ~(uint32_t)1);
    put32(head + 124, crc32_update(0, head, 120));
    if (fwrite(head, 1, HEADER_SIZE, out) != HEADER_SIZE)
        goto cleanup;
    if (!(c = malloc(CHUNK_SIZE))) {
        fprintf(stderr, "mkevtx: out of memory\n");
        goto cleanup;
    }
    for (unsigned long k = 0; k < copies; k++) {
        for (size_t i = 0; i < s->n; i++) {
            memcpy(c, s->data + s->chunk[i], CHUNK_SIZE);
            if (renumber(c, span_num * k, span_id * k) != 0) {
                fprintf(stderr, "mkevtx: chunk %zu: its records do not walk, or a "
                        "record's EventRecordID value is not found\n", i);
                goto cleanup;
            }
            if (fwrite(c, 1, CHUNK_SIZE, out) != CHUNK_SIZE)
                goto cleanup;
        }
    }
    rc = 0;
cleanup:
    free(c);
    return rc;
}

int main(int argc, char **argv)
{
    struct source s;
    FILE *out = NULL;
    unsigned long copies;
    char *end;
    int rc = 1;

    if (argc != 4) {
        fprintf(stderr, "usage: mkevtx SRC.evtx N OUT.evtx\n");
        return 1;
    }
    copies = strtoul(argv[2], &end, 10);
    if (*end || copies == 0) {
        fprintf(stderr, "mkevtx: N must be a positive number\n");
        return 1;
    }
    if (load(argv[1], &s) != 0)
        goto cleanup;
    if (copies > MAX_CHUNKS / s.n) {
        fprintf(stderr, "mkevtx: %lu copies of %zu chunks exceed the %d chunks "
                "an .evtx header counts\n", copies, s.n, MAX_CHUNKS);
        goto cleanup;
    }
    if (!(out = fopen(argv[3], "wb"))) {
        perror(argv[3]);
        goto cleanup;
    }
    int wrote = write_all(out, &s, copies) == 0;
    if (fclose(out) != 0)
        wrote = 0;
    out = NULL;
    if (!wrote) {
        fprintf(stderr, "mkevtx: %s: not written\n", argv[3]);
        remove(argv[3]);
        goto cleanup;
    }
    rc = 0;
cleanup:
    if (out) {
        fclose(out);
        remove(argv[3]);
    }
    free(s.data);
    free(s.chunk);
    return rc;
}
