/*
 * export_render.h - stored events as NDJSON or CSV lines with Elastic
 * Common Schema style fields (docs/export.md), from the flat event of
 * vocab/export.h, to a FILE *.  Lines are formatted in place into one
 * reused block buffer that goes out in big writes (EXPORT_BLOCK bytes or
 * more): memory stays constant whatever the number of events.  Symbols,
 * categories and fixes come from the knowledge base.
 */
#ifndef WUDIAG_EXPORT_RENDER_H
#define WUDIAG_EXPORT_RENDER_H

#include "vocab/export.h"
#include "util/strbuf.h"

#include <stdint.h>
#include <stdio.h>

struct kb_code;

enum export_format { EXPORT_NDJSON, EXPORT_CSV };

enum { EXPORT_RENDER_OK = 0, EXPORT_RENDER_NOMEM, EXPORT_RENDER_WRITE };

/* Lines are written out once this many bytes have gathered. */
#define EXPORT_BLOCK (64 * 1024)

struct export_render {
    enum export_format fmt;
    FILE *out;
    struct strbuf buf;          /* whole lines not written yet */
    int failed;                 /* a write failed: nothing more goes out */
    int64_t day;                /* the day whose date is in date[] */
    size_t datelen;             /* 0: none yet */
    char date[32];              /* "YYYY-MM-DDT" of day */
    int have_code;              /* code / kb hold the last lookup */
    uint32_t code;
    const struct kb_code *kb;
};

/* Start: the CSV header row (NDJSON has none). */
void export_render_begin(struct export_render *r, enum export_format fmt, FILE *out);
/* One event as one line; EXPORT_RENDER_OK, _NOMEM (nothing of it kept) or
 * _WRITE (a short write of the lines gathered: ferror(out) says why; stop
 * then).  A line may go out only at a later call or export_render_end. */
int export_render_event(struct export_render *r, const struct export_event *e);
/* Write what is gathered and free the buffer: EXPORT_RENDER_OK or _WRITE. */
int export_render_end(struct export_render *r);

#endif
