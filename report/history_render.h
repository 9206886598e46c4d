/*
 * history_render.h - `wudiag history` as a text table, JSON
 * (docs/history-json.md) or CSV (one row per host and period), from the
 * plain per-period data of vocab/history.h, to a FILE *.  Failure
 * categories and symbols come from the knowledge base.  Write errors are
 * left on the stream (ferror) for the caller.
 */
#ifndef WUDIAG_HISTORY_RENDER_H
#define WUDIAG_HISTORY_RENDER_H

#include "vocab/history.h"

#include <stdint.h>
#include <stdio.h>

enum history_format { HISTORY_TEXT, HISTORY_JSON, HISTORY_CSV };

/* What was asked for. */
struct history_view {
    enum history_format fmt;
    int week;                   /* per ISO week (from Monday), not per day */
    int64_t since_us;           /* the start of the range, or 0 */
    int64_t now;                /* "generated at" */
};

/* Before the first host: the JSON head or the CSV header row. */
void history_render_begin(FILE *out, const struct history_view *v);
/* One host; index counts the hosts rendered before it. */
void history_render_host(FILE *out, const struct history_view *v,
                         const struct history *h, size_t index);
/* After the last host. */
void history_render_end(FILE *out, const struct history_view *v);

#endif
