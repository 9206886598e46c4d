/*
 * report.h - what every renderer prints: the model, its diagnosis, and the
 * tables derived from them once (services, error codes, update attempts).
 *
 * Renderers are rows of a table: a name and render(report, FILE*).  They
 * format; they do not query, diagnose or count.  Adding a format is one file
 * and one row in render.c.
 */
#ifndef WUDIAG_REPORT_H
#define WUDIAG_REPORT_H

#include <stdio.h>
#include "diagnosis/diagnose.h"
#include "vocab/kb.h"
#include "vocab/model.h"

struct report_service {
    const char *name, *display;
    const char *state, *start_type;   /* NULL = unknown */
    const char *origin;               /* "live", "event", or NULL (never seen) */
    int64_t time_us;
};

struct report_error {
    uint32_t code;
    long count;
    int64_t first_us, last_us;
};

struct report_attempt {
    int64_t time_us;
    const char *update;       /* title or KB */
    const char *kb;           /* KB number or NULL */
    const char *result;       /* "installed", "install failed", ... */
    int has_code;
    uint32_t code;
};

#define REPORT_MAX_ATTEMPTS 40
#define REPORT_MAX_BUCKETS  120

/* Failures in one time bucket (a day, or several when the range is long). */
struct report_bucket {
    int64_t start_us;
    int total;
    int count[KB_CAT_COUNT];
};

struct report {
    const struct model *model;
    const struct diagnosis *diag;
    const char *version;
    int color;                        /* text: ANSI colour allowed */
    /* summary: how to get the full report (a command), or NULL */
    const char *full_report;

    struct report_service *services;
    size_t nservices;
    struct report_error *errors;      /* most frequent first */
    size_t nerrors;
    struct report_attempt *attempts;  /* newest first */
    size_t nattempts;
    struct report_bucket *buckets;    /* failures over the evidence range */
    size_t nbuckets;
    int64_t bucket_us;                /* width of one bucket */
    int max_bucket;                   /* largest bucket total */
    long failures;                    /* failure events in all buckets */
};

/* Derive the tables; 0, or -1 on out of memory. */
int report_build(struct report *r, const struct model *m, const struct diagnosis *d);
void report_free(struct report *r);

/*
 * One output holds the reports of nhosts hosts: begin(), then render() per
 * host with between() in between, then end().  begin/between/end may be
 * NULL.  All return 0, or -1 on a write error.
 */
struct fleet;

struct renderer {
    const char *name;
    /* the summary of a fleet DB (report without --host, several hosts);
     * NULL: each host is rendered instead */
    int (*render_fleet)(const struct fleet *f, FILE *out);
    int (*begin)(FILE *out, size_t nhosts);
    int (*render)(const struct report *r, FILE *out);
    int (*between)(FILE *out);
    int (*end)(FILE *out, size_t nhosts);
};

const struct renderer *renderer_find(const char *name);
extern const struct renderer renderers[];
extern const size_t renderers_len;

int render_text(const struct report *r, FILE *out);
int render_text_between(FILE *out);
int render_json(const struct report *r, FILE *out);
int render_json_begin(FILE *out, size_t nhosts);
int render_json_between(FILE *out);
int render_json_end(FILE *out, size_t nhosts);
int render_html_begin(FILE *out, size_t nhosts);
int render_html(const struct report *r, FILE *out);
int render_html_end(FILE *out, size_t nhosts);
/* The ticket summary (summary.c): at most 12 lines of at most 79 columns. */
int render_summary(const struct report *r, FILE *out);
int render_summary_between(FILE *out);

/*
 * Shared by the renderers of other data (compare_render.c, summary.c):
 * html.c's escaping of any string for text and attribute values, and its
 * style sheet; text.c's cleaning and visible cut of a value to width
 * columns (appended to sb; returns the columns), and its word wrap to 79
 * columns (continuation lines indented; 0, or -1 on a write error or OOM).
 */
struct strbuf;
void render_html_escape(FILE *out, const char *s);
const char *render_html_css(void);
size_t render_text_clip(struct strbuf *sb, const char *s, size_t width);
int render_text_wrap(FILE *fp, const char *first, size_t indent, const char *text);

#endif
