/*
 * evtx_peek.h - what an .evtx event record says about itself (provider,
 * event ID, its string values, its Binary data), read straight from the
 * record's binary XML in its chunk, without rendering it.
 *
 * The .evtx reader (evtx_source.c) asks this for every record of a chunk
 * that verified, so a record no rule can want is counted and skipped
 * without libevtx parsing it into a tree of values (most of an import's
 * time).  Whatever this cannot read with certainty it does not guess: it
 * says so, and the record is parsed in full by libevtx as before.
 *
 * The format (libyal's "Windows XML Event Log (EVTX) format", sections
 * "Binary XML" and "Template"): a record's XML is a fragment holding one
 * template instance - a reference to a template definition in the same
 * chunk (written inline the first time it is used) and the array of
 * substitution values the template's placeholders take.  The definition
 * is walked once per chunk to learn where Event/System/Provider@Name,
 * Event/System/EventID and Event/EventData/Binary come from (text of the
 * template or substitution N); a record then costs one look at its values.
 */
#ifndef WUDIAG_EVTX_PEEK_H
#define WUDIAG_EVTX_PEEK_H

#include <stddef.h>
#include <stdint.h>

struct evtx_peek;

/* What one record says.  The pointers are valid until the next call. */
struct evtx_facts {
    /* Provider@EventSourceName when there is one, else Provider@Name (as
     * libevtx names the source), UTF-8 */
    const char *provider;
    int event_id;                   /* EventID (low 16 bits), -1 when unknown */
    const char *const *strings;     /* every string value of the record */
    size_t nstrings;
    const unsigned char *binary;    /* EventData/Binary's bytes (NULL, 0: none) */
    size_t binlen;
    /* 1 when strings and binary are all the text the record holds (no
     * nested binary XML, string arrays, ANSI strings or template text in
     * its data): only then may they be judged as the record's whole data */
    int complete;
};

struct evtx_peek *evtx_peek_new(void);
void evtx_peek_free(struct evtx_peek *pk);

/* A new chunk (65536 bytes, valid until the next call): templates of the
 * one before are forgotten. */
void evtx_peek_chunk(struct evtx_peek *pk, const unsigned char *chunk);

/*
 * The record at chunk offset off, size bytes (its header and trailing size
 * copy included, already checked by the caller).  1 with *out filled; 0
 * when the record cannot be read with certainty (a shape this does not
 * know, values out of bounds); -1 out of memory.
 */
int evtx_peek_record(struct evtx_peek *pk, uint32_t off, uint32_t size,
                     struct evtx_facts *out);

/*
 * The record at chunk offset off, size bytes, rendered as event XML into sb
 * (reset first) the way libevtx renders it, for what collector/xmlevents.c
 * reads.  1 done; 0 when it holds a value type or shape not rendered here
 * (then libevtx must render it); -1 out of memory.
 */
struct strbuf;
int evtx_peek_xml(struct evtx_peek *pk, uint32_t off, uint32_t size,
                  struct strbuf *sb);

#endif
