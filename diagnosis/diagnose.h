/*
 * diagnose.h - findings over the report model.
 *
 * The rules are a table (rules.c): each row is an id, a function over the
 * model and a description.  A rule adds findings, each with a severity, the
 * codes involved, the fix to apply (an id in the fix catalog), a confidence
 * and the evidence that triggered it.  diagnose() runs every rule, orders
 * the findings and derives the verdict.  No SQL here: only the model.
 *
 * Strings are owned, never cut: a finding's title and each evidence text are
 * malloc'd by finding_set_title/finding_add_evidence (formatted whole with
 * util/strbuf.h), the summary by diagnose(); diagnosis_free() frees them.
 * At most FINDING_MAX_EVIDENCE pieces of evidence are kept per finding (the
 * latest), for readability; evidence_more counts the older ones dropped, and
 * every renderer says "and N more".
 */
#ifndef WUDIAG_DIAGNOSE_H
#define WUDIAG_DIAGNOSE_H

#include "util/compat.h"
/* format_time, which the rules and the renderers write times with */
#include "util/timeutil.h"
#include <stddef.h>
#include <stdint.h>
#include "vocab/model.h"

enum severity { SEV_INFO = 0, SEV_WARNING = 1, SEV_CRITICAL = 2 };
enum verdict { VERDICT_HEALTHY = 0, VERDICT_WARNING = 1, VERDICT_CRITICAL = 2,
               VERDICT_UNKNOWN = 3 };   /* values are the --check exit codes */

#define FINDING_MAX_CODES    8
#define FINDING_MAX_EVIDENCE 10

struct evidence {
    int64_t time_us;
    int event_id;           /* 0 for a live observation */
    char *text;             /* owned by the finding, whole */
};

struct finding {
    const char *rule;       /* id of the rule that made it */
    enum severity severity;
    int resolved;           /* history only: a later success fixed it */
    int confidence;         /* 0..100 */
    char *title;            /* owned, whole; set with finding_set_title */
    uint32_t codes[FINDING_MAX_CODES];
    size_t ncodes;
    const char *fix_id;     /* row in the fix catalog, or NULL */
    long count;             /* occurrences behind the finding */
    int root_cause;         /* it causes other failures (a disabled service, a
                             * policy turning updates off, a full disk): named
                             * before the failures it causes */
    int64_t first_us, last_us;
    struct evidence evidence[FINDING_MAX_EVIDENCE];  /* the latest ones */
    size_t nevidence;
    size_t evidence_more;   /* older evidence dropped past the cap */
    int oom;                /* a string could not be allocated (sticky) */
};

struct diagnosis {
    enum verdict verdict;
    char *summary;              /* owned, whole */
    struct finding *findings;   /* most severe first, history last */
    size_t n, cap;
};

struct rule {
    const char *id;
    int (*fn)(const struct model *m, struct diagnosis *d);  /* 0 or -1 (OOM) */
    const char *description;
};

extern const struct rule rules[];
extern const size_t rules_len;

/* Run every rule; 0, or -1 on out of memory (then call diagnosis_free too). */
int diagnose(const struct model *m, struct diagnosis *d);
/* Free the findings and every string they own. */
void diagnosis_free(struct diagnosis *d);

/* Swap each finding's fix for the one that exists on the host's OS class
 * (vocab/kb_fixes.c kb_os_fixes; diagnose() calls it after the rules). */
void os_fix_apply(const struct model *m, struct diagnosis *d);

const char *severity_name(enum severity s);   /* "info", "warning", "critical" */
const char *verdict_name(enum verdict v);     /* "healthy", ..., "unknown" */

/*
 * For rules: a new zeroed finding (NULL on OOM), and helpers.  The title
 * and the evidence text are formatted printf-style, whole whatever their
 * length.  An allocation failure in them sets f->oom; diagnose() then
 * returns -1, so a rule need not check each call.  finding_add_evidence
 * keeps the latest FINDING_MAX_EVIDENCE and counts the rest in
 * evidence_more.
 */
struct finding *finding_new(struct diagnosis *d, const char *rule,
                            enum severity sev, const char *fix_id);
void finding_add_code(struct finding *f, uint32_t code);
void finding_set_title(struct finding *f, const char *fmt, ...)
    WU_PRINTF(2, 3);
void finding_add_evidence(struct finding *f, int64_t time_us, int event_id,
                          const char *fmt, ...)
    WU_PRINTF(4, 5);


#endif
