/*
 * textlog.h - the text logs wudiag reads as evidence (CBS.log, DISM.log,
 * WindowsUpdate.log): their formats, the event IDs assigned to the lines
 * that matter, and the table-driven line matcher (textlog_match.c).
 *
 * A text log has no event IDs of its own.  Each row of the pattern table
 * says which event ID (enum tl_event, vocab/semantics.h) a line is stored
 * under; what that ID means (kind, outcome, label) is in the semantics
 * table like for any other log.
 */
#ifndef WUDIAG_TEXTLOG_H
#define WUDIAG_TEXTLOG_H

#include <stddef.h>
#include <stdint.h>

#include "vocab/semantics.h"

enum tl_format {
    TL_NONE = 0,
    TL_CBS = 1,     /* %windir%\Logs\CBS\CBS.log (and CbsPersist_*.log) */
    TL_DISM = 2,    /* %windir%\Logs\DISM\dism.log */
    TL_WU7 = 4,     /* WindowsUpdate.log written by the agent (Windows 7/8.1) */
    TL_WU10 = 8     /* WindowsUpdate.log from Get-WindowsUpdateLog (Windows 10+) */
};
#define TL_SERVICING (TL_CBS | TL_DISM)
#define TL_WU (TL_WU7 | TL_WU10)
#define TL_ANY (TL_SERVICING | TL_WU)

/* Flags of a pattern row. */
#define TLP_NEED_CODE      0x1  /* the line must name a failure code (0x8...) */
#define TLP_LOGGED_ERROR   0x2  /* the log's own level column must say Error */
#define TLP_NONZERO        0x4  /* the first number after the match must be > 0 */
#define TLP_NEED_URL       0x8  /* the line must hold an http(s) URL */
#define TLP_NOT_ERROR      0x10 /* the log's own level column must not say Error */

struct tl_pattern {
    unsigned formats;       /* TL_* bits the row applies to */
    const char *find;       /* substring, ASCII, compared case-insensitively */
    const char *also;       /* a second substring the line must hold, or NULL */
    unsigned flags;         /* TLP_* */
    int event_id;           /* enum tl_event */
    int level;              /* 2 error, 3 warning, 4 info; 0 = as the log says */
    uint32_t code;          /* code implied when the line names none, or 0 */
};

extern const struct tl_pattern tl_patterns[];
extern const size_t tl_patterns_len;

/*
 * The first failure code a line names: "0x800f081f", "HRESULT=800F081F",
 * "hr = 8024402c", "*FAILED* [8024401C]" - 8 hex digits with the severity
 * bit set, not part of a GUID.  Returns 1 and sets *code, or 0.
 */
int textlog_find_code(const char *s, size_t n, uint32_t *code);

/* A compiled matcher for the rows of one format. */
struct tl_matcher;

struct tl_matcher *tl_matcher_new(enum tl_format fmt);   /* NULL on OOM */
void tl_matcher_free(struct tl_matcher *m);

/* What the matcher decided about one line. */
struct tl_match {
    const struct tl_pattern *pattern;
    int has_code;
    uint32_t code;
};

/*
 * Match the message part of a line (s, n bytes).  logged_error: the log's
 * level column says Error.  Returns 1 and fills *out with the first row
 * (in table order) whose conditions hold, or 0 when the line is no event.
 */
int tl_match_line(const struct tl_matcher *m, const char *s, size_t n,
                  int logged_error, struct tl_match *out);

/*
 * The same, for a line whose row texts were searched already: bit k of
 * hits (64 to a word) says whether the text (find) of the k-th row of the
 * matcher's format, in table order, occurs in the line (ASCII case
 * ignored) - what util/keyset's ks_hits gives for those texts.
 */
int tl_match_hits(const struct tl_matcher *m, const char *s, size_t n,
                  int logged_error, const uint64_t *hits, struct tl_match *out);

#endif
