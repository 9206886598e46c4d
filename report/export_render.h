/*
 * export_render.h - stored events as NDJSON or CSV lines with Elastic
 * Common Schema style fields (docs/export.md), from the flat event of
 * vocab/export.h, to a FILE *, one line at a time into one reused buffer:
 * memory stays constant whatever the number of events.  Symbols,
 * categories and fixes come from the knowledge base.
 */
#ifndef WUDIAG_EXPORT_RENDER_H
#define WUDIAG_EXPORT_RENDER_H

#include "vocab/export.h"
#include "util/strbuf.h"

#include <stdint.h>
#include <stdio.h>

enum export_format { EXPORT_NDJSON, EXPORT_CSV };

enum { EXPORT_RENDER_OK = 0, EXPORT_RENDER_NOMEM, EXPORT_RENDER_WRITE };

struct export_render {
    enum export_format fmt;
    FILE *out;
    struct strbuf line;         /* the line being formatted */
};

/* Start: the CSV header row (NDJSON has none). */
void export_render_begin(struct export_render *r, enum export_format fmt, FILE *out);
/* One event as one line; EXPORT_RENDER_OK, _NOMEM (nothing written of it)
 * or _WRITE (a short write: ferror(out) says why). */
int export_render_event(struct export_render *r, const struct export_event *e);
void export_render_end(struct export_render *r);

#endif
