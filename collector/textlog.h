/*
 * textlog.h - the text logs wudiag reads as evidence (CBS.log, DISM.log,
 * WindowsUpdate.log): their formats, the event IDs assigned to the lines
 * that matter, and the table-driven line matcher (textlog_match.c).
 *
 * A text log has no event IDs of its own.  Each row of the pattern table
 * says what a line means and which event ID (below) it is stored under, so
 * the rules can test event IDs like for any other log.  The IDs are stable:
 * they are in databases; never renumber, only add.
 */
#ifndef WUDIAG_TEXTLOG_H
#define WUDIAG_TEXTLOG_H

#include <stddef.h>
#include <stdint.h>

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

/* Provider and channel names of the stored events. */
#define TL_PROVIDER_CBS  "CBS"
#define TL_PROVIDER_DISM "DISM"
#define TL_PROVIDER_WU   "WindowsUpdateAgent-Log"

/*
 * Event IDs.  1xx: component store (CBS.log / DISM.log), 2xx: DISM runs,
 * 3xx: System File Checker ([SR] lines in CBS.log, or sfc's own words),
 * 4xx: the Windows Update agent.
 */
enum tl_event {
    TL_EV_SERVICING_ERROR = 100,     /* an Error line with a failure HRESULT */
    TL_EV_SOURCE_MISSING = 101,      /* 0x800F081F: repair/feature source files not found */
    TL_EV_STORE_CORRUPT = 102,       /* component store corruption (code or text) */
    TL_EV_PAYLOAD_CORRUPT = 103,     /* CSI Payload/Manifest, CBS MUM/Catalog corrupt */
    TL_EV_PAYLOAD_MISSING = 104,     /* repair failed: missing replacement payload */
    TL_EV_CORRUPTION_FOUND = 105,    /* scan summary: Total Detected Corruption > 0 */
    TL_EV_NO_CORRUPTION = 106,       /* scan summary: no corruption detected */
    TL_EV_CORRUPTION_REPAIRED = 107, /* repair summary: corruption repaired */
    TL_EV_OPERATION_FAILED = 108,    /* summary: Operation result is a failure code */
    TL_EV_SESSION_FAILED = 110,      /* a servicing session failed */
    TL_EV_SESSION_ERROR = 111,       /* a servicing session ended with a failure code */

    TL_EV_DISM_ERROR = 200,          /* DISM error line with a failure code */
    TL_EV_DISM_RESTORE_FAILED = 201, /* "Failed to restore the image health" */
    TL_EV_DISM_FAILED = 202,         /* "processed the command line but failed" */
    TL_EV_DISM_RUN = 203,            /* DISM /Cleanup-Image command line */
    TL_EV_DISM_RESTORE_OK = 204,     /* "The restore operation completed successfully" */

    TL_EV_SFC_CANNOT_REPAIR = 301,   /* [SR] Cannot repair member file */
    TL_EV_SFC_STORE_CORRUPT = 302,   /* [SR] ... source file in store is also corrupted */
    TL_EV_SFC_UNABLE = 303,          /* WRP found corrupt files but was unable to fix some */
    TL_EV_SFC_REPAIRED_FILE = 304,   /* [SR] Repairing corrupted file */
    TL_EV_SFC_REPAIRED = 305,        /* WRP found corrupt files and successfully repaired them */
    TL_EV_SFC_CLEAN = 306,           /* WRP did not find any integrity violations */

    TL_EV_WU_EXIT_ERROR = 401,       /* "Exit code = 0x8..." of an agent call */
    TL_EV_WU_SYNC_FAILED = 402,      /* failed to synchronize / find updates */
    TL_EV_WU_FATAL = 403,            /* FATAL: */
    TL_EV_WU_FAILED = 404,           /* *FAILED* [code] (Windows 10 format) */
    TL_EV_WU_WARNING = 405,          /* WARNING: ... with a failure code */
    TL_EV_WU_ERROR = 406,            /* another line naming a failure code */
    TL_EV_WU_ENDPOINT_MS = 420,      /* Server URL on Microsoft Update */
    TL_EV_WU_ENDPOINT_WSUS = 421,    /* Server URL elsewhere: WSUS / intranet */
    TL_EV_WU_WSUS_SERVER = 422,      /* "WSUS server: http://..." (policy) */
    TL_EV_WU_PROXY_FAILED = 424,     /* a request through the WinHTTP proxy failed */
    TL_EV_WU_ENDPOINT_ERROR = 425,   /* "error communicating with the endpoint at ..." */
    TL_EV_WU_EXIT_OK = 430           /* "Exit code = 0x00000000" */
};

/* Flags of a pattern row. */
#define TLP_NEED_CODE      0x1  /* the line must name a failure code (0x8...) */
#define TLP_LOGGED_ERROR   0x2  /* the log's own level column must say Error */
#define TLP_NONZERO        0x4  /* the first number after the match must be > 0 */
#define TLP_NEED_URL       0x8  /* the line must hold an http(s) URL */

struct tl_pattern {
    unsigned formats;       /* TL_* bits the row applies to */
    const char *find;       /* substring, ASCII, compared case-insensitively */
    const char *also;       /* a second substring the line must hold, or NULL */
    unsigned flags;         /* TLP_* */
    int event_id;           /* enum tl_event */
    int level;              /* 2 error, 3 warning, 4 info; 0 = as the log says */
    uint32_t code;          /* code implied when the line names none, or 0 */
    const char *meaning;    /* what this line tells, in our words (stored) */
};

extern const struct tl_pattern tl_patterns[];
extern const size_t tl_patterns_len;

/* What an event ID says (whichever row produced it), or NULL. */
const char *textlog_event_meaning(int event_id);

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

#endif
