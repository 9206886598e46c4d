/*
 * fleet.h - the fleet view: many hosts' diagnoses folded into one summary
 * (hosts by verdict, the codes most hosts share with their fix, hosts not
 * updated for a while, failures over time by category).  Built one host at
 * a time, so memory does not grow with the fleet's events.
 */
#ifndef WUDIAG_FLEET_H
#define WUDIAG_FLEET_H

#include <stdio.h>
#include "diagnosis/diagnose.h"
#include "vocab/kb.h"
#include "vocab/model.h"

struct fleet_host {
    char *host;
    enum verdict verdict;
    char *summary;              /* the host's diagnosis summary, whole (owned) */
    char *fix_id;               /* fix of the top open finding (owned), or NULL */
    size_t nevents;
    int64_t last_us;            /* newest evidence */
    int64_t last_success_us;    /* newest successful cumulative or feature update
                                 * (any install when none is named), 0 = none */
    int stale;                  /* none for stale_days */
};

struct fleet_code {
    uint32_t code;
    long events;                /* events with the code, all hosts */
    int hosts;                  /* hosts with the code */
    int64_t last_us;
    size_t seen_by;             /* 1 + index of the last host counted */
};

struct fleet_day {
    int64_t day_us;             /* midnight UTC */
    int count[KB_CAT_COUNT];
};

struct fleet {
    int64_t generated_us;
    int stale_days;
    const char *version;
    struct fleet_host *hosts;   /* worst verdict first after fleet_finish */
    size_t nhosts, cap_hosts;
    struct fleet_code *codes;   /* most hosts first after fleet_finish */
    size_t ncodes, cap_codes;
    struct fleet_day *days;     /* ascending */
    size_t ndays, cap_days;
    int by_verdict[4];          /* indexed by enum verdict */
    size_t nstale;
    long failures;
    int max_day;                /* largest per-day total */
    /* hosts that could not be read, one line each ("host #7: its name
     * holds a NUL byte"); borrowed from the caller, listed after the hosts */
    char *const *unreadable;
    size_t nunreadable;
};

void fleet_init(struct fleet *f, int64_t now_us, int stale_days, const char *version);
/* Fold one host in; 0 or -1 on out of memory. */
int fleet_add(struct fleet *f, const struct model *m, const struct diagnosis *d);
/* Order hosts and codes; call once after the last fleet_add. */
void fleet_finish(struct fleet *f);
void fleet_free(struct fleet *f);
enum verdict fleet_worst(const struct fleet *f);

int render_fleet_text(const struct fleet *f, FILE *out);
int render_fleet_html(const struct fleet *f, FILE *out);
int render_fleet_json(const struct fleet *f, FILE *out);

#endif
