/*
 * export.h - one stored event, flat: what the store's export iterator
 * yields (store_export_next) and the NDJSON/CSV export renderer prints.
 */
#ifndef WUDIAG_EXPORT_H
#define WUDIAG_EXPORT_H

#include <stdint.h>

#include "vocab/semantics.h"

/* One stored event, flat, for exporters.  Strings are NULL when absent and
 * stay valid only until the next store_export_next. */
struct export_event {
    int64_t id;
    int64_t time_us;
    const char *host;
    const char *channel;
    const char *provider;
    int event_id;
    int level;
    int64_t record_id;
    const char *computer;
    const char *service;
    int has_code;
    uint32_t code;
    const char *update_title;
    const char *update_guid;
    const char *kb;
    const char *message;
    int64_t run_id;
    enum ev_kind kind;          /* what the event means (vocab/semantics.h) */
    enum ev_outcome outcome;
};

#endif
