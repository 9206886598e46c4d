/*
 * evtx_source_win.c - .evtx files on Windows through the event log API
 * (EvtQuery with EvtQueryFilePath), which replaces libevtx in the Windows
 * build.  Each record is rendered to XML and goes through the shared XML
 * parser, like everything else.
 */
#include "collector/source.h"
#include "collector/xmlevents.h"

#include <windows.h>
#include <winevt.h>
#include <stdlib.h>
#include <string.h>

#define BATCH 64

static char *render_xml(EVT_HANDLE h, size_t *len)
{
    DWORD used = 0, props = 0;
    WCHAR *w;
    char *out;
    int n;

    if (!EvtRender(NULL, h, EvtRenderEventXml, 0, NULL, &used, &props) &&
        GetLastError() != ERROR_INSUFFICIENT_BUFFER)
        return NULL;
    if (!(w = malloc(used + sizeof(WCHAR))))
        return NULL;
    if (!EvtRender(NULL, h, EvtRenderEventXml, used, w, &used, &props)) {
        free(w);
        return NULL;
    }
    n = WideCharToMultiByte(CP_UTF8, 0, w, -1, NULL, 0, NULL, NULL);
    out = n > 0 ? malloc((size_t)n) : NULL;
    if (out)
        WideCharToMultiByte(CP_UTF8, 0, w, -1, out, n, NULL, NULL);
    free(w);
    *len = out ? (size_t)n - 1 : 0;
    return out;
}

static int evtx_read(const char *path, FILE *fp, const unsigned char *head,
                     size_t n, const struct source_sink *sink,
                     struct wu_stats *stats, char *err, size_t errlen)
{
    struct source_relay relay = {sink, NULL};  /* records are counted below */
    struct xml_events *xe = xml_events_new(source_relay_event, &relay);
    EVT_HANDLE results = NULL, ev[BATCH];
    WCHAR *wpath = NULL;
    long failed = 0;
    int status = SRC_OK, wn;
    DWORD got;

    (void)fp;
    (void)head;
    (void)n;
    if (!xe)
        return SRC_NOMEM;
    wn = MultiByteToWideChar(CP_UTF8, 0, path, -1, NULL, 0);
    if (wn <= 0 || !(wpath = malloc((size_t)wn * sizeof *wpath))) {
        status = SRC_NOMEM;
        goto cleanup;
    }
    MultiByteToWideChar(CP_UTF8, 0, path, -1, wpath, wn);
    results = EvtQuery(NULL, wpath, L"*", EvtQueryFilePath | EvtQueryForwardDirection);
    if (!results) {
        snprintf(err, errlen, "not a readable .evtx file (EvtQuery error %lu)",
                 (unsigned long)GetLastError());
        status = SRC_BAD;
        goto cleanup;
    }
    for (;;) {
        if (!EvtNext(results, BATCH, ev, INFINITE, 0, &got)) {
            DWORD e = GetLastError();
            if (e != ERROR_NO_MORE_ITEMS) {
                snprintf(err, errlen, "damaged file: reading stopped with error %lu "
                         "after %ld records", (unsigned long)e, stats->read);
                failed++;
            }
            break;
        }
        for (DWORD i = 0; i < got; i++) {
            size_t len = 0;
            char *xml = render_xml(ev[i], &len);
            char why[256];
            EvtClose(ev[i]);
            if (!xml) {
                failed++;
                continue;
            }
            long before = xml_events_count(xe);
            int r = xml_events_parse_one(xe, xml, len, why, sizeof why);
            free(xml);
            if (r > 0) {
                for (DWORD j = i + 1; j < got; j++)
                    EvtClose(ev[j]);
                status = SRC_STOPPED;
                goto cleanup;
            }
            if (r < 0 || xml_events_count(xe) == before)
                failed++;
            else
                stats->read++;
        }
    }
    stats->damaged += failed;
    if (failed && stats->read == 0)
        status = SRC_BAD;
    else if (failed)
        status = SRC_PARTIAL;
    if (failed && !err[0])
        snprintf(err, errlen, "damaged file: %ld records unreadable; kept the %ld "
                 "readable", failed, stats->read);
cleanup:
    if (results)
        EvtClose(results);
    free(wpath);
    xml_events_free(xe);
    return status;
}

const struct wu_source evtx_source = {"evtx", source_probe_evtx, evtx_read};
