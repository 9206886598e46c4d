/*
 * fuzz_peek.c - libFuzzer target for collector/evtx_peek: the input is one
 * .evtx chunk (cut or padded with zeros to 65536 bytes), not checked
 * against its CRCs, so that mutations reach the binary XML reader itself.
 * Every record a walk by record sizes finds is read; an answer must be in
 * bounds: a provider, an event ID of 16 bits, strings that are not NULL,
 * Binary data inside the chunk.  Every record is also rendered as XML, and
 * what is rendered goes through the event parser.
 */
#include "fuzz_common.h"
#include "collector/evtx_peek.h"
#include "collector/xmlevents.h"
#include "util/strbuf.h"

#define PEEK_CHUNK 65536

static uint32_t fp_le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static int fp_event(void *ctx, struct wu_event *ev)
{
    (void)ctx;
    if (!ev->provider || !ev->channel || !ev->computer || ev->ndata > WU_MAX_DATA)
        fz_fail("bad event fields");
    return 0;
}

static int fuzz_peek(const uint8_t *data, size_t size)
{
    unsigned char *c = calloc(1, PEEK_CHUNK);
    struct evtx_peek *pk = evtx_peek_new();
    struct xml_events *xe = xml_events_new(fp_event, NULL);
    struct strbuf sb;
    uint32_t off = 512;
    char why[256];

    sb_init(&sb);
    if (!c || !pk || !xe)
        goto done;
    memcpy(c, data, size < PEEK_CHUNK ? size : PEEK_CHUNK);
    evtx_peek_chunk(pk, c);
    while (off <= PEEK_CHUNK - 24 && fp_le32(c + off) == 0x00002a2a) {
        uint32_t len = fp_le32(c + off + 4);
        struct evtx_facts f;
        int r;
        if (len < 28 || len > PEEK_CHUNK - off)
            break;
        r = evtx_peek_record(pk, off, len, &f);
        if (r < -1 || r > 1)
            fz_fail("evtx_peek_record returned %d", r);
        if (r == 1) {
            if (!f.provider || f.event_id < 0 || f.event_id > 65535)
                fz_fail("bad provider or event ID");
            for (size_t i = 0; i < f.nstrings; i++)
                if (!f.strings[i])
                    fz_fail("NULL string %zu", i);
            if (f.binlen && (f.binary < c || f.binary + f.binlen > c + PEEK_CHUNK))
                fz_fail("Binary data outside the chunk");
        }
        r = evtx_peek_xml(pk, off, len, &sb);
        if (r < -1 || r > 1)
            fz_fail("evtx_peek_xml returned %d", r);
        if (r == 1) {
            for (size_t i = 0; i < sb.len; i++)
                if ((unsigned char)sb.buf[i] < 0x20)
                    sb.buf[i] = ' ';
            xml_events_parse_one(xe, sb.buf, sb.len, why, sizeof why);
        }
        off += len;
    }
done:
    sb_free(&sb);
    xml_events_free(xe);
    evtx_peek_free(pk);
    free(c);
    return 0;
}

FUZZ_ENTRY(fuzz_peek)
