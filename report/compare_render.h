/*
 * compare_render.h - `wudiag compare` as text (80 columns), one
 * self-contained HTML page (before and after side by side: cleared in
 * green, new in red) or JSON (schema "wudiag.compare/1", docs/compare-json.md),
 * from the plain comparison of diagnosis/compare.h, to a FILE *.  They
 * format; they do not query or diagnose.  Each returns 0, or -1 on a write
 * error (or out of memory).
 */
#ifndef WUDIAG_COMPARE_RENDER_H
#define WUDIAG_COMPARE_RENDER_H

#include "diagnosis/compare.h"

#include <stdint.h>
#include <stdio.h>

struct compare_doc {
    const struct comparison *c;
    const char *version;        /* wudiag's */
    int64_t generated_us;       /* "now" (SOURCE_DATE_EPOCH when set) */
    int color;                  /* text: ANSI colour allowed */
};

struct compare_renderer {
    const char *name;           /* "text", "html", "json" */
    int (*render)(const struct compare_doc *d, FILE *out);
};

/* The renderer called name, or NULL. */
const struct compare_renderer *compare_renderer_find(const char *name);

int render_compare_text(const struct compare_doc *d, FILE *out);
int render_compare_html(const struct compare_doc *d, FILE *out);
int render_compare_json(const struct compare_doc *d, FILE *out);

#endif
