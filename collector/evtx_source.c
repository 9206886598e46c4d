/*
 * evtx_source.c - Windows .evtx files through libevtx, in the Linux and the
 * Windows build alike (the .exe links libevtx built from Debian's source).
 *
 * For each record the provider name is read first (cheap); records of
 * providers the sink does not want are counted and skipped without being
 * rendered.  The others are rendered to XML by libevtx and go through the
 * same XML parser as exported files, so there is one event parser, not two.
 *
 * Damage: a record libevtx cannot return is counted as damaged and the rest
 * go on.  Records lost with chunks libevtx refuses are estimated from the
 * chunk headers (first/last record number) that are still intact.
 */
#include "collector/source.h"
#include "collector/xmlevents.h"
#include "collector/evtx_open.h"

#include <libevtx.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define EVTX_HEADER_SIZE 4096
#define EVTX_CHUNK_SIZE  65536
#define XML_START        (64 * 1024)  /* first XML buffer; grows on demand */
#define MAX_STRINGS      8            /* strings looked at by the prefilter */
#define STRING_ROOM      4096

/* Records announced by the intact chunk headers of the file (as far as a
 * long offset reaches: 2 GiB on Windows). */
static long expected_records(FILE *fp)
{
    unsigned char hdr[24];
    long total = 0;
    long off = EVTX_HEADER_SIZE;

    for (; off <= LONG_MAX - EVTX_CHUNK_SIZE; off += EVTX_CHUNK_SIZE) {
        if (fseek(fp, off, SEEK_SET) != 0 || fread(hdr, 1, sizeof hdr, fp) != sizeof hdr)
            break;
        if (memcmp(hdr, "ElfChnk\0", 8) != 0)
            continue;
        uint64_t first, last;
        memcpy(&first, hdr + 8, 8);     /* little-endian on every target */
        memcpy(&last, hdr + 16, 8);
        if (last >= first && last - first < EVTX_CHUNK_SIZE / 24)
            total += (long)(last - first + 1);
    }
    return total;
}


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

static int evtx_read(const char *path, FILE *fp, const unsigned char *head,
                     size_t n, const struct source_sink *sink,
                     struct wu_stats *stats, char *err, size_t errlen)
{
    libevtx_file_t *file = NULL;
    libevtx_error_t *e = NULL;
    libevtx_record_t *rec = NULL;
    struct source_relay relay = {sink, NULL};  /* records are counted below */
    struct xml_events *xe = NULL;
    char *xml = NULL;
    size_t xmlcap = 0;
    int nrec = 0, status = SRC_OK, corrupted;
    long failed = 0;
    char why[256];
    char provider[256];
    struct strings *strs = NULL;    /* large: not on the stack */

    (void)head;
    (void)n;
    if (!(xe = xml_events_new(source_relay_event, &relay)) || !(strs = malloc(sizeof *strs))) {
        status = SRC_NOMEM;
        goto cleanup;
    }
    if (libevtx_file_initialize(&file, &e) != 1 ||
        evtx_open_file(file, path, &e) != 1 ||
        libevtx_file_get_number_of_records(file, &nrec, &e) != 1) {
        error_text(e, why, sizeof why);
        snprintf(err, errlen, "not a readable .evtx file (%s)", why);
        status = SRC_BAD;
        goto cleanup;
    }
    for (int i = 0; i < nrec; i++) {
        size_t size = 0;
        int r;

        if (libevtx_file_get_record_by_index(file, i, &rec, &e) != 1) {
            libevtx_error_free(&e);
            failed++;
            continue;
        }
        r = libevtx_record_get_utf8_source_name_size(rec, &size, &e);
        provider[0] = '\0';
        if (r == 1 && size > 0 && size <= sizeof provider)
            r = libevtx_record_get_utf8_source_name(rec, (uint8_t *)provider,
                                                    size, &e);
        if (r == -1) {
            libevtx_error_free(&e);
            failed++;
            goto next;
        }
        if ((sink->want_provider && !sink->want_provider(sink->ctx, provider)) ||
            (sink->want_event && !want_event(sink, rec, provider, strs))) {
            stats->read++;
            if (sink->skipped(sink->ctx, provider)) {
                status = SRC_STOPPED;
                goto cleanup;
            }
            goto next;
        }
        /* render once into a buffer that is usually big enough; only when
         * it is not, ask libevtx for the size (which renders it again) */
        if (!xml) {
            if (!(xml = malloc(XML_START))) {
                status = SRC_NOMEM;
                goto cleanup;
            }
            xmlcap = XML_START;
        }
        if (libevtx_record_get_utf8_xml_string(rec, (uint8_t *)xml, xmlcap, &e) != 1) {
            libevtx_error_free(&e);
            if (libevtx_record_get_utf8_xml_string_size(rec, &size, &e) != 1 ||
                size == 0 || size <= xmlcap) {
                libevtx_error_free(&e);
                failed++;
                goto next;
            }
            char *x = realloc(xml, size);
            if (!x) {
                status = SRC_NOMEM;
                goto cleanup;
            }
            xml = x;
            xmlcap = size;
            if (libevtx_record_get_utf8_xml_string(rec, (uint8_t *)xml, size, &e) != 1) {
                libevtx_error_free(&e);
                failed++;
                goto next;
            }
        }
        size = strlen(xml) + 1;
        scrub_controls(xml, size - 1);
        long before = xml_events_count(xe);
        r = xml_events_parse_one(xe, xml, strlen(xml), why, sizeof why);
        if (r > 0) {
            status = SRC_STOPPED;
            goto cleanup;
        }
        if (r < 0 || xml_events_count(xe) == before)
            failed++;
        else
            stats->read++;
next:
        libevtx_record_free(&rec, NULL);
    }
    corrupted = libevtx_file_is_corrupted(file, NULL) == 1;
    {
        long expected = expected_records(fp);
        long lost = expected - (stats->read + failed);
        if (lost < 0)
            lost = 0;
        stats->damaged += failed + lost;
        /* libevtx also flags files that were merely not closed cleanly;
         * only records actually lost make the import partial */
        if (failed + lost > 0 && stats->read == 0) {
            snprintf(err, errlen, "not a readable .evtx file: none of its %ld "
                     "records could be read", failed + lost);
            status = SRC_BAD;
        } else if (failed + lost > 0) {
            snprintf(err, errlen, "damaged file: %ld records unreadable%s; kept "
                     "the %ld readable", failed + lost,
                     corrupted ? " (damaged chunks)" : "", stats->read);
            status = SRC_PARTIAL;
        }
    }
cleanup:
    if (rec)
        libevtx_record_free(&rec, NULL);
    if (file) {
        libevtx_file_close(file, NULL);
        libevtx_file_free(&file, NULL);
    }
    libevtx_error_free(&e);
    xml_events_free(xe);
    free(xml);
    free(strs);
    return status;
}

const struct wu_source evtx_source = {"evtx", source_probe_evtx, evtx_read};
