/*
 * sources.c - the table of file sources, tried in order on an input's first
 * bytes.  Adding a format is one source file and one row here.  Also what
 * the sources share: the .evtx signature and the relay from the XML parser.
 */
#include "collector/source.h"

#include <string.h>

static const struct wu_source *const file_sources[] = {
    &evtx_source,
    &xml_source,
    &textlog_source,    /* last: evtx and XML win */
};

int source_relay_event(void *ctx, struct wu_event *ev)
{
    struct source_relay *r = ctx;
    if (r->count)
        r->count->read++;
    return r->sink->event(r->sink->ctx, ev);
}

int source_probe_evtx(const unsigned char *head, size_t n)
{
    return n >= 8 && memcmp(head, "ElfFile\0", 8) == 0;
}

const struct wu_source *source_detect(const unsigned char *head, size_t n)
{
    for (size_t i = 0; i < sizeof file_sources / sizeof file_sources[0]; i++)
        if (file_sources[i]->probe(head, n))
            return file_sources[i];
    return NULL;
}
