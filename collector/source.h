/*
 * source.h - the interface every evidence source implements.
 *
 * A source is a const struct of function pointers: probe() recognises its
 * format from the first bytes of the input (content, never the extension),
 * read() delivers events to a sink.  Sources know nothing of SQL or of what
 * is update-related; the sink decides.
 */
#ifndef WUDIAG_SOURCE_H
#define WUDIAG_SOURCE_H

#include <stddef.h>
#include <stdio.h>
#include "vocab/event.h"

enum source_status {
    SRC_OK = 0,
    SRC_PARTIAL,    /* damaged input: readable records were delivered */
    SRC_BAD,        /* not readable as this format at all */
    SRC_STOPPED,    /* the sink asked to stop (it holds the reason) */
    SRC_NOMEM
};

struct source_sink {
    /* a parsed event; non-zero return stops the source */
    int (*event)(void *ctx, struct wu_event *ev);
    /* optional: 0 when no event of this provider is wanted, so the source
     * may skip parsing it; the source then calls skipped() instead */
    int (*want_provider)(void *ctx, const char *provider);
    /* optional, after want_provider: 0 when this event is not wanted,
     * judged from its ID, positional strings and raw binary data */
    int (*want_event)(void *ctx, const char *provider, int event_id,
                      const char *const *strings, size_t nstrings,
                      const unsigned char *binary, size_t binlen);
    int (*skipped)(void *ctx, const char *provider);
    void *ctx;
};

#define SOURCE_HEAD 4096   /* bytes passed to probe() */

struct wu_source {
    const char *name;   /* "evtx", "xml" */
    /* 1 when head (the first n bytes of the input) is this format */
    int (*probe)(const unsigned char *head, size_t n);
    /*
     * Read everything.  path names the input (for libraries that open by
     * name; "-" for stdin); fp is the open stream, already past the n bytes
     * given in head.  Counts records read and damaged into *stats; on
     * failure or damage writes one line to err.
     */
    int (*read)(const char *path, FILE *fp, const unsigned char *head, size_t n,
                const struct source_sink *sink, struct wu_stats *stats,
                char *err, size_t errlen);
};

extern const struct wu_source evtx_source;
extern const struct wu_source xml_source;
/* CBS.log, DISM.log, WindowsUpdate.log (textlog_source.c): one record per
 * line; lines that are no event go to skipped(). */
extern const struct wu_source textlog_source;

/*
 * The sources that parse XML (xmlevents.h) get its events as a
 * wu_event_sink: source_relay_event, with a struct source_relay as its
 * context, passes each to sink->event, counting it first in count->read
 * when count is not NULL.
 */
struct source_relay {
    const struct source_sink *sink;
    struct wu_stats *count;
};
int source_relay_event(void *ctx, struct wu_event *ev);

/* The .evtx signature, shared by the libevtx and the Windows API sources. */
int source_probe_evtx(const unsigned char *head, size_t n);

/* The source for this input, or NULL when no source recognises it. */
const struct wu_source *source_detect(const unsigned char *head, size_t n);

#endif
