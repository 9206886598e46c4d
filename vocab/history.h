/*
 * history.h - the history of one host per day or ISO week: what the store
 * aggregates (store_load_history) and the history renderer prints.
 */
#ifndef WUDIAG_HISTORY_H
#define WUDIAG_HISTORY_H

#include <stddef.h>
#include <stdint.h>

struct history_pool;

struct history_code {
    uint32_t code;
    long count;
};

struct history_change {
    int64_t time_us;
    const char *service;
    const char *what;       /* "state" or "start_type" */
    const char *from;
    const char *to;
};

struct history_period {
    int64_t start_us;       /* 00:00 UTC of the day (the Monday for weeks) */
    long events;            /* update-related events stored */
    long failures;          /* failure events with a code (as the report counts) */
    struct history_code *codes;     /* failures by code, most frequent first */
    size_t ncodes;
    long installs;          /* successful installs (WindowsUpdateClient 19) */
    struct history_change *changes; /* service state / start type changes */
    size_t nchanges;
    int64_t last_install_us;        /* last successful install so far, or 0 */
    const char *last_install;       /* its KB or title (or NULL) */
};

struct history {
    const char *host;
    struct history_period *periods; /* ascending; only periods with activity */
    size_t nperiods;
    struct history_pool *pool;      /* owns every string */
};

#endif
