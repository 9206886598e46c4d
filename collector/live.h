/*
 * live.h - collecting evidence from the running Windows system.
 *
 * Each live source is a const struct of function pointers (services through
 * the Service Control Manager, event channels through EvtQuery, Windows
 * Update Agent history through COM, registry and disk facts).  They report
 * through a live_sink and never abort the collection: a source that fails
 * says so in coverage.  The Windows implementations live in live_win.c;
 * live_posix.c has none.  The pure helpers below are portable and tested on
 * Linux.
 */
#ifndef WUDIAG_LIVE_H
#define WUDIAG_LIVE_H

#include <stddef.h>
#include <stdint.h>

struct live_sink {
    /* a service reading: state/start_type canonical ("running", "auto") */
    int (*service)(void *ctx, const char *name, const char *display,
                   const char *state, const char *start_type);
    /* one rendered event, UTF-8 XML */
    int (*event_xml)(void *ctx, const char *xml, size_t len);
    int (*fact)(void *ctx, const char *name, const char *value);
    int (*coverage)(void *ctx, const char *source, const char *status,
                    const char *detail);
    /* bookmark of a channel from the last run (malloc'd) or NULL */
    char *(*get_bookmark)(void *ctx, const char *channel);
    int (*set_bookmark)(void *ctx, const char *channel, const char *xml);
    /* a log file to read through the file sources (CBS.log, dism.log);
     * entries older than the collect's --days are skipped */
    int (*import_file)(void *ctx, const char *path, const char *label);
    void *ctx;
};

struct live_source {
    const char *name;
    /* collect; days bounds the first read of event logs.  Returns 0, or
     * non-zero only when the sink failed (the store): then stop. */
    int (*collect)(const struct live_sink *sink, int days);
};

extern const struct live_source *const live_sources[];
extern const size_t live_sources_len;

/* This machine's name (UTF-8) into buf; "" when unknown.  Returns buf. */
const char *live_hostname(char *buf, size_t len);
/* Directory for the double-click mode's DB and report, or NULL. */
const char *live_data_dir(char *buf, size_t len);

/* ---- portable helpers (live_common.c) ---- */

/* One event channel to read and the providers wanted from it: those whose
 * row in vocab/semantics.c has one of these EV_LIVE_* bits (0 = all). */
struct live_channel {
    const char *channel;
    unsigned providers;
};
extern const struct live_channel live_channels[];
extern const size_t live_channels_len;

/*
 * XPath for EvtQuery: the channel's providers, and events of the last
 * `days` days (0 = no time bound).  Returns 0, or -1 if buf is too small.
 */
int live_build_xpath(char *buf, size_t len, const struct live_channel *ch, int days);

/* Canonical start type from SERVICE_*_START, delayed-auto flag, triggers. */
const char *live_start_type(uint32_t start, int delayed, int triggers);
/* Canonical state from SERVICE_STOPPED..SERVICE_PAUSED (1..7). */
const char *live_state(uint32_t state);
/* Number of strings in a REG_MULTI_SZ value of len bytes (UTF-16LE). */
size_t live_multi_sz_count(const unsigned char *data, size_t len);

#endif
