/*
 * semantics.h - what an event means, written once.
 *
 * Two tables in semantics.c hold it.  ev_providers[] names every provider
 * wudiag keeps events of, its family and which of its events are kept;
 * ev_meanings[] says, per family and event ID, what happened (the kind:
 * scan, download, install, restart required, boot, service failure, ...),
 * how it ended (started, succeeded, failed) and a short label.  Import
 * classifies every stored event through them and stores kind and outcome
 * in the event's row (store backfills older databases the same way); the
 * rules, report tables, fleet, history and export read those stored facts
 * and never test event IDs of their own.  Text logs have no event IDs: the
 * pattern table gives their lines the IDs below, which have rows like any
 * other event.  Adding an event ID is one row in ev_meanings[]; a provider,
 * one row in ev_providers[].
 */
#ifndef WUDIAG_SEMANTICS_H
#define WUDIAG_SEMANTICS_H

#include <stddef.h>

/* The log family of an event, from its provider. */
enum ev_family {
    EF_OTHER = 0,
    EF_WU,             /* WindowsUpdateClient, the older agent name, WUA history */
    EF_SCM,            /* Service Control Manager */
    EF_KERNEL,         /* Microsoft-Windows-Kernel-General */
    EF_EVENTLOG,       /* EventLog (6005, 6006, 6008) */
    EF_USER32,         /* User32 1074: a process restarted Windows */
    EF_SERVICING,      /* Microsoft-Windows-Servicing, -CBS (package changes, Setup log) */
    EF_SETUP,          /* Microsoft-Windows-Setup (OS setup and upgrades) */
    EF_WUSA,           /* Microsoft-Windows-WUSA (standalone .msu installs) */
    EF_BITS,           /* Microsoft-Windows-Bits-Client */
    EF_DELIVERY,       /* Delivery Optimization */
    EF_ORCHESTRATOR,   /* Microsoft-Windows-UpdateOrchestrator */
    EF_SERVICING_LOG,  /* CBS.log / DISM.log lines */
    EF_WU_LOG          /* WindowsUpdate.log lines */
};

/* What happened.  Stored as the names in ev_kind_name(); never renumber. */
enum ev_kind {
    EK_NONE = 0,
    EK_SCAN,             /* search for updates */
    EK_DOWNLOAD,
    EK_INSTALL,
    EK_UNINSTALL,
    EK_RESTART_REQUIRED, /* an update waits for a restart */
    EK_BOOT,             /* Windows started */
    EK_SHUTDOWN,         /* Windows stopped (cleanly or not) */
    EK_RESTART_INITIATED,/* a process asked for a restart (User32 1074) */
    EK_SERVICE_STATE,    /* a service entered a state (7036) */
    EK_SERVICE_CONFIG,   /* a service's start type changed (7040) */
    EK_SERVICE_INSTALLED,/* a service was installed (7045) */
    EK_SERVICE_FAILURE,  /* a running service crashed, hung or ended with an error */
    EK_SERVICE_SLOW_STOP,/* a service did not stop in time at shutdown (7043) */
    EK_SERVICING,        /* component store (CBS): sessions, scans, repairs */
    EK_DISM,             /* a DISM run */
    EK_SFC,              /* System File Checker */
    EK_AGENT,            /* a Windows Update agent call or its error (text log) */
    EK_ENDPOINT,         /* the update server the agent talks to */
    EK_SERVICE_START_FAILED, /* a service could not be started (7000, 7009, 7022) */
    EK_OS_INFO,          /* read for the OS it names, then counted unrelated */
    EK_KIND_COUNT
};

/* How it ended. */
enum ev_outcome {
    EO_NONE = 0,       /* neither: a state, a setting, a notice */
    EO_STARTED,
    EO_SUCCEEDED,
    EO_FAILED,
    EO_LEVEL,          /* table only: failed when the event's level is error
                        * or critical, else none (resolved at import) */
    EO_OUTCOME_COUNT
};

/* Which events of a provider are kept. */
enum ev_keep {
    KEEP_ALL,          /* every event of the provider */
    KEEP_LISTED        /* only event IDs that have a row in ev_meanings[] */
};

/* What else an event must show to be kept. */
enum ev_need {
    NEED_DEFAULT = 0,  /* meanings: as the provider says */
    NEED_NOTHING,
    NEED_SERVICE,      /* it is about an update service (services.h) */
    NEED_UPDATE_TEXT   /* its data mentions updating (a restart by the installer) */
};

/* Live channels whose XPath filter lists the provider (collect). */
#define EV_LIVE_SYSTEM 0x1
#define EV_LIVE_SETUP  0x2

struct ev_provider {
    const char *name;        /* compared case-insensitively */
    enum ev_family family;
    enum ev_keep keep;
    enum ev_need need;
    unsigned live;           /* EV_LIVE_* */
    const char *detail;      /* data item holding the event's detail, or NULL */
};

struct ev_meaning {
    enum ev_family family;
    int event_id;
    enum ev_kind kind;
    enum ev_outcome outcome;
    enum ev_need need;       /* NEED_DEFAULT: the provider's */
    const char *label;       /* what happened, in a few words */
    const char *detail;      /* data item holding the detail (NULL: the provider's) */
};

extern const struct ev_provider ev_providers[];
extern const size_t ev_providers_len;
extern const struct ev_meaning ev_meanings[];
extern const size_t ev_meanings_len;

/* The row of a provider, or NULL when wudiag keeps none of its events. */
const struct ev_provider *ev_provider_find(const char *provider);
/* The family of a provider (EF_OTHER when unknown). */
enum ev_family ev_family_of(const char *provider);
/* The row for a family and event ID, or NULL. */
const struct ev_meaning *ev_meaning_find(enum ev_family family, int event_id);

/*
 * Kind and outcome of an event, from its provider, ID and level (EO_LEVEL
 * rows and events without a row: failed at level 1 or 2).  Either pointer
 * may be NULL.
 */
void ev_classify(const char *provider, int event_id, int level,
                 enum ev_kind *kind, enum ev_outcome *outcome);

/*
 * The name of the data item that holds an event's detail (the new start
 * type of a 7040, the state or error of other SCM events, the process that
 * restarted Windows, the URL of an update server), or NULL.
 */
const char *ev_detail_field(const char *provider, int event_id);

/* Stored names ("install", "failed"); "" for EK_NONE / EO_NONE. */
const char *ev_kind_name(enum ev_kind k);
const char *ev_outcome_name(enum ev_outcome o);
/* Back from a stored name; EK_NONE / EO_NONE when NULL or unknown. */
enum ev_kind ev_kind_parse(const char *name);
enum ev_outcome ev_outcome_parse(const char *name);

/*
 * A failure as every count of failures means it (charts, fleet, history,
 * export): the event ended in failure and names an error code.
 */
static inline int ev_is_failure(enum ev_outcome o, int has_code)
{
    return o == EO_FAILED && has_code;
}

/*
 * Event IDs of text-log lines (textlog.h's pattern table assigns them).
 * 1xx: component store (CBS.log / DISM.log), 2xx: DISM runs, 3xx: System
 * File Checker, 4xx: the Windows Update agent.  They are in databases:
 * never renumber, only add (and give each a row in ev_meanings[]).
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
    TL_EV_SERVICING_STACK = 112,     /* "Loaded Servicing Stack v..." (neutral: the log was read) */
    TL_EV_SESSION_OK = 113,          /* "Session: ... finalized" without a failure code */
    TL_EV_TI_START = 114,            /* TrustedInstaller started (neutral) */

    TL_EV_DISM_ERROR = 200,          /* DISM error line with a failure code */
    TL_EV_DISM_RESTORE_FAILED = 201, /* "Failed to restore the image health" */
    TL_EV_DISM_FAILED = 202,         /* "processed the command line but failed" */
    TL_EV_DISM_RUN = 203,            /* DISM /Cleanup-Image command line */
    TL_EV_DISM_RESTORE_OK = 204,     /* "The restore operation completed successfully" */
    TL_EV_DISM_COMMAND = 205,        /* DISM command line other than /Cleanup-Image */
    TL_EV_DISM_SESSION = 206,        /* a DISM servicing session started (neutral) */
    TL_EV_DISM_IN_USE = 207,         /* 0x80070020 sharing violation: the image's files in use */
    TL_EV_DISM_OK = 208,             /* "The operation completed successfully." */

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
    TL_EV_WU_EXIT_OK = 430,          /* "Exit code = 0x00000000" */
    TL_EV_WU_SCAN_OK = 431,          /* "Found N updates and M categories in search" */
    TL_EV_WU_SCAN_FAILED = 432,      /* "* END * Finding updates ... Exit code = 0x8..." */
    TL_EV_WU_INSTALL_OK = 433,       /* an install result with success (update ID or title) */
    TL_EV_WU_INSTALL_FAILED = 434,   /* an install result with a failure code */
    TL_EV_WU_DOWNLOAD_OK = 435,      /* a download result with success */
    TL_EV_WU_DOWNLOAD_FAILED = 436,  /* a download result with a failure code */
    TL_EV_WU_RESTART_REQUIRED = 437, /* "Reboot required = True" after an install */
    TL_EV_WU_AU_DISABLED = 438,      /* "AU disabled through User preference/Policy" */
    TL_EV_WU_AU_ENABLED = 439,       /* "# Approval type: ..." (AU on: notify/scheduled) */
    TL_EV_WU_DOWNLOAD_REFUSED = 440, /* a DO/BITS job refused by the server with HTTP 4xx */
    TL_EV_WU_LOG_START = 441,        /* "Logging initialized" / service start (neutral) */
    TL_EV_WU_INSTALL_STARTED = 442   /* an install began (old agent REPORT EVENT) */
};

/* Provider names of text-log events (their channel is the log's name). */
#define TL_PROVIDER_CBS  "CBS"
#define TL_PROVIDER_DISM "DISM"
#define TL_PROVIDER_WU   "WindowsUpdateAgent-Log"

#endif
