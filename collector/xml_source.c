/*
 * xml_source.c - event XML files and stdin through the shared XML parser.
 *
 * Accepts what Windows tools export: wevtutil qe /f:xml (concatenated
 * <Event> elements), Get-WinEvent ... ToXml(), and Event Viewer's "Save as
 * XML" (<Events> root, often UTF-16).  A parse error after some events is
 * damage (the events before it are kept); before any event it means the
 * input is not event XML.
 */
#include "collector/source.h"
#include "collector/xmlevents.h"
#include "util/textenc.h"

#include <string.h>

static int xml_probe(const unsigned char *h, size_t n)
{
    size_t i, step = 1;

    if (textenc_is_utf16(textenc_bom(h, n, &i)))
        step = 2;
    else if (!i && n >= 2 && ((h[0] == '<' && h[1] == 0) || (h[0] == 0 && h[1] == '<')))
        step = 2;
    /* skip blanks, then expect '<' (in the low or high byte for UTF-16) */
    while (i + step <= n) {
        unsigned c = h[i];
        if (step == 2 && c == 0)
            c = h[i + 1];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            i += step;
            continue;
        }
        return c == '<';
    }
    return 0;
}

static int xml_read(const char *path, FILE *fp, const unsigned char *head,
                    size_t n, const struct source_sink *sink,
                    struct wu_stats *stats, char *err, size_t errlen)
{
    struct source_relay relay = {sink, stats};     /* every event counts as read */
    struct xml_events *xe = xml_events_new(source_relay_event, &relay);
    char buf[1 << 16];
    char why[256] = "";
    int rc = 0, status;
    size_t got;

    (void)path;
    if (!xe)
        return SRC_NOMEM;
    rc = xml_events_feed(xe, (const char *)head, n, 0, why, sizeof why);
    while (rc == 0 && (got = fread(buf, 1, sizeof buf, fp)) > 0)
        rc = xml_events_feed(xe, buf, got, 0, why, sizeof why);
    if (rc == 0 && ferror(fp)) {
        snprintf(err, errlen, "read error");
        status = xml_events_count(xe) ? SRC_PARTIAL : SRC_BAD;
        goto cleanup;
    }
    if (rc == 0)
        rc = xml_events_feed(xe, "", 0, 1, why, sizeof why);
    stats->damaged += xml_events_bad(xe);
    if (rc > 0) {
        status = SRC_STOPPED;
    } else if (rc < 0) {
        if (xml_events_count(xe) > 0) {
            snprintf(err, errlen, "malformed XML after %ld events (%s); kept the "
                     "events before it", xml_events_count(xe), why);
            stats->damaged++;
            status = SRC_PARTIAL;
        } else {
            snprintf(err, errlen, "not a valid event XML file (%s)", why);
            status = SRC_BAD;
        }
    } else if (xml_events_count(xe) == 0 && xml_events_bad(xe) == 0) {
        snprintf(err, errlen, "XML holds no <Event> elements");
        status = SRC_BAD;
    } else if (xml_events_bad(xe) > 0) {
        snprintf(err, errlen, "%ld events lacked a provider, ID or valid time, "
                 "or were larger than " XE_EVENT_MAX_TEXT ", and were skipped", xml_events_bad(xe));
        status = SRC_PARTIAL;
    } else {
        status = SRC_OK;
    }
cleanup:
    xml_events_free(xe);
    return status;
}

const struct wu_source xml_source = {"xml", xml_probe, xml_read};
