/*
 * sources.c - the table of file sources, tried in order on an input's first
 * bytes.  Adding a format is one source file and one row here.
 */
#include "collector/source.h"

#include <string.h>

static const struct wu_source *const file_sources[] = {
    &evtx_source,
    &xml_source,
    &textlog_source,    /* last: evtx and XML win */
};

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
