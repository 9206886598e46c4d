/*
 * compare.h - what changed on one host between two points (`wudiag
 * compare`): the diagnosis of the evidence as it stood at each point, and
 * the difference as plain data for the renderers (report/compare_render.h).
 *
 * The caller loads and diagnoses both models (store_load_model_as_of a run,
 * or store_load_model up to a date; diagnose()); compare_build() only reads them.  A finding
 * is open when it is not resolved and its severity is warning or critical
 * (what the verdict counts); findings are matched by their key, "RULE" or
 * "RULE~SUBJECT" (the update service its title names, else its first
 * code), so "service-disabled~wuauserv" before is the same problem after.
 * Nothing here owns the models or the diagnoses; the comparison owns its
 * arrays and keys (compare_free).
 */
#ifndef WUDIAG_COMPARE_H
#define WUDIAG_COMPARE_H

#include "diagnosis/diagnose.h"
#include "vocab/model.h"

#include <stddef.h>
#include <stdint.h>

/* One side of the comparison. */
struct cmp_point {
    int64_t run_id;             /* as of this run; 0: up to a date */
    const char *kind;           /* the run's kind and source, or NULL */
    const char *source;
    int64_t time_us;            /* when the run finished (started), or the date */
    const struct model *model;
    const struct diagnosis *diag;
};

enum cmp_change {
    CMP_CLEARED = 0,            /* open before, not open after */
    CMP_NEW,                    /* open after, not open before */
    CMP_STILL_OPEN              /* open at both points */
};

struct cmp_finding {
    enum cmp_change change;
    char *key;                  /* owned: "rule" or "rule~subject" */
    const struct finding *before;   /* the open finding before, or NULL (new) */
    const struct finding *after;    /* the open finding after, or NULL (cleared) */
    /* cleared: the after diagnosis still names it, resolved (history), or NULL
     * when it is gone from the evidence's findings altogether */
    const struct finding *resolved_after;
};

/* An update service with evidence at either point. */
struct cmp_service {
    const char *name;
    const char *state_before, *start_before;    /* NULL = unknown */
    const char *state_after, *start_after;
    int state_changed, start_changed;
};

struct comparison {
    const char *host;
    struct cmp_point before, after;
    enum verdict verdict_before, verdict_after;
    /* cleared first, then new, then still open; each in its diagnosis' order */
    struct cmp_finding *findings;
    size_t nfindings, ncleared, nnew, nstill;
    struct cmp_service *services;
    size_t nservices, nservices_changed;
    /* what happened after the before point (events of the after model later
     * than since_us: the end of the evidence before, or the before date) */
    int64_t since_us;
    const struct m_event *first_install;    /* first successful install, or NULL */
    const struct m_event *first_scan;       /* first successful scan, or NULL */
    long installs_after, failures_after, events_after;
    int worse;                  /* a new open finding, or a worse verdict */
};

/* Build c from the two points (before, after: models and diagnoses set).
 * 0, or -1 on out of memory (c is then freed). */
int compare_build(struct comparison *c, const struct cmp_point *before,
                  const struct cmp_point *after);
void compare_free(struct comparison *c);

/* "worse" (c->worse), "better" (a better verdict, or something cleared and
 * nothing new) or "unchanged". */
const char *compare_trend(const struct comparison *c);
const char *cmp_change_name(enum cmp_change ch);  /* "cleared", "new", "still-open" */
/* A finding counts in the verdict: unresolved, warning or critical. */
int cmp_finding_open(const struct finding *f);

#endif
