/*
 * semantics.c - the providers wudiag keeps events of and what each event ID
 * means (see semantics.h).  Sources: the event manifests of
 * Microsoft-Windows-WindowsUpdateClient (System and Operational channels),
 * Service Control Manager's message table, Kernel-General and EventLog; for
 * text logs, the IDs that textlog_match.c's pattern table assigns.
 */
#include "vocab/semantics.h"

#include <string.h>
#include <strings.h>

#define COUNT(a) (sizeof (a) / sizeof (a)[0])

/* Order matters only to collect: the XPath lists providers in this order. */
const struct ev_provider ev_providers[] = {
    {"Microsoft-Windows-WindowsUpdateClient", EF_WU, KEEP_ALL, NEED_NOTHING, EV_LIVE_SYSTEM, NULL},
    {"Windows Update Agent", EF_WU, KEEP_ALL, NEED_NOTHING, 0, NULL},  /* Windows XP..7 */
    {"WindowsUpdateAgent-History", EF_WU, KEEP_ALL, NEED_NOTHING, 0, NULL}, /* collect: WUA COM */
    {"Service Control Manager", EF_SCM, KEEP_ALL, NEED_SERVICE, EV_LIVE_SYSTEM, "param2"},
    {"Microsoft-Windows-Servicing", EF_SERVICING, KEEP_ALL, NEED_NOTHING,
     EV_LIVE_SYSTEM | EV_LIVE_SETUP, NULL},
    {"Microsoft-Windows-CBS", EF_SERVICING, KEEP_ALL, NEED_NOTHING, 0, NULL},
    {"Microsoft-Windows-WUSA", EF_WUSA, KEEP_ALL, NEED_NOTHING, EV_LIVE_SETUP, NULL},
    {"Microsoft-Windows-Setup", EF_SETUP, KEEP_ALL, NEED_NOTHING, EV_LIVE_SETUP, NULL},
    {"Microsoft-Windows-DeliveryOptimization", EF_DELIVERY, KEEP_ALL, NEED_NOTHING, 0, NULL},
    {"Microsoft-Windows-UpdateOrchestrator", EF_ORCHESTRATOR, KEEP_ALL, NEED_NOTHING, 0, NULL},
    /* text logs (textlog_source.c): their pattern table already chose */
    {TL_PROVIDER_CBS, EF_SERVICING_LOG, KEEP_ALL, NEED_NOTHING, 0, NULL},
    {TL_PROVIDER_DISM, EF_SERVICING_LOG, KEEP_ALL, NEED_NOTHING, 0, NULL},
    {TL_PROVIDER_WU, EF_WU_LOG, KEEP_ALL, NEED_NOTHING, 0, "url"},
    /* starts and stops of Windows: what tells a pending restart happened */
    {"Microsoft-Windows-Kernel-General", EF_KERNEL, KEEP_LISTED, NEED_NOTHING,
     EV_LIVE_SYSTEM, NULL},
    {"EventLog", EF_EVENTLOG, KEEP_LISTED, NEED_NOTHING, EV_LIVE_SYSTEM, NULL},
    {"User32", EF_USER32, KEEP_LISTED, NEED_NOTHING, EV_LIVE_SYSTEM, NULL},
    {"Microsoft-Windows-User32", EF_USER32, KEEP_LISTED, NEED_NOTHING, 0, NULL},
    {"Microsoft-Windows-Bits-Client", EF_BITS, KEEP_ALL, NEED_NOTHING, EV_LIVE_SYSTEM, NULL},
};
const size_t ev_providers_len = COUNT(ev_providers);

#define D NEED_DEFAULT
const struct ev_meaning ev_meanings[] = {
    /* WindowsUpdateClient (System and Operational channels) */
    {EF_WU, 16, EK_SCAN, EO_FAILED, D, "could not connect to the update service", NULL},
    {EF_WU, 18, EK_DOWNLOAD, EO_SUCCEEDED, D, "downloaded, ready to install", NULL},
    {EF_WU, 19, EK_INSTALL, EO_SUCCEEDED, D, "installed", NULL},
    {EF_WU, 20, EK_INSTALL, EO_FAILED, D, "install failed", NULL},
    {EF_WU, 21, EK_RESTART_REQUIRED, EO_NONE, D, "restart required", NULL},
    {EF_WU, 22, EK_RESTART_REQUIRED, EO_NONE, D, "restart required", NULL},
    {EF_WU, 23, EK_UNINSTALL, EO_SUCCEEDED, D, "uninstalled", NULL},
    {EF_WU, 24, EK_UNINSTALL, EO_FAILED, D, "uninstall failed", NULL},
    {EF_WU, 25, EK_SCAN, EO_FAILED, D, "scan failed", NULL},
    {EF_WU, 26, EK_SCAN, EO_SUCCEEDED, D, "scan succeeded", NULL},
    {EF_WU, 31, EK_DOWNLOAD, EO_FAILED, D, "download failed", NULL},
    {EF_WU, 41, EK_DOWNLOAD, EO_SUCCEEDED, D, "downloaded", NULL},
    {EF_WU, 43, EK_INSTALL, EO_STARTED, D, "install started", NULL},
    {EF_WU, 44, EK_DOWNLOAD, EO_STARTED, D, "download started", NULL},

    /* Component-based servicing: package state changes (Setup log; the
     * package is PackageIdentifier, e.g. KB5016138) */
    {EF_SERVICING, 1, EK_INSTALL, EO_STARTED, D, "servicing began changing a package", NULL},
    {EF_SERVICING, 2, EK_INSTALL, EO_SUCCEEDED, D, "package changed to its new state", NULL},
    {EF_SERVICING, 3, EK_INSTALL, EO_FAILED, D, "package failed to change state", NULL},
    {EF_SERVICING, 4, EK_RESTART_REQUIRED, EO_NONE, D,
     "a restart is needed before the package can change state", NULL},
    {EF_SERVICING, 6, EK_INSTALL, EO_FAILED, D,
     "package failed to change state and is partially installed", NULL},
    {EF_SERVICING, 13, EK_RESTART_REQUIRED, EO_NONE, D,
     "a restart is needed before a selectable update can be turned on", NULL},

    /* Service Control Manager, for the update services (services.h) */
    {EF_SCM, 7000, EK_SERVICE_START_FAILED, EO_FAILED, D, "service failed to start", NULL},
    {EF_SCM, 7009, EK_SERVICE_START_FAILED, EO_FAILED, D, "service start timed out", NULL},
    {EF_SCM, 7011, EK_SERVICE_FAILURE, EO_FAILED, D, "service did not answer a control in time", NULL},
    {EF_SCM, 7022, EK_SERVICE_START_FAILED, EO_FAILED, D, "service hung on starting", NULL},
    {EF_SCM, 7023, EK_SERVICE_FAILURE, EO_FAILED, D, "service terminated with an error", NULL},
    {EF_SCM, 7024, EK_SERVICE_FAILURE, EO_FAILED, D, "service terminated with a service error", NULL},
    {EF_SCM, 7031, EK_SERVICE_FAILURE, EO_FAILED, D, "service terminated unexpectedly", NULL},
    {EF_SCM, 7034, EK_SERVICE_FAILURE, EO_FAILED, D, "service terminated unexpectedly", NULL},
    {EF_SCM, 7043, EK_SERVICE_SLOW_STOP, EO_FAILED, D,
     "service did not shut down properly after a preshutdown control", NULL},
    {EF_SCM, 7036, EK_SERVICE_STATE, EO_NONE, D, "service entered a state", NULL},
    {EF_SCM, 7040, EK_SERVICE_CONFIG, EO_NONE, D, "service start type changed", "param3"},
    {EF_SCM, 7045, EK_SERVICE_INSTALLED, EO_NONE, D, "service installed", NULL},

    /* starts and stops of Windows */
    {EF_KERNEL, 12, EK_BOOT, EO_NONE, D, "Windows started", NULL},
    {EF_KERNEL, 13, EK_SHUTDOWN, EO_NONE, D, "Windows shut down", NULL},
    {EF_KERNEL, 1074, EK_RESTART_INITIATED, EO_NONE, NEED_UPDATE_TEXT,
     "restart initiated by the installer", "param1"},
    {EF_EVENTLOG, 6005, EK_BOOT, EO_NONE, D, "event log service started (boot)", NULL},
    {EF_EVENTLOG, 6006, EK_SHUTDOWN, EO_NONE, D, "event log service stopped (clean shutdown)", NULL},
    {EF_EVENTLOG, 6008, EK_SHUTDOWN, EO_FAILED, D, "the previous shutdown was unexpected", NULL},
    /* written at every boot with the OS version and build in its data
     * ("10.00." "19041" "Multiprocessor Free"): a boot and the OS evidence
     * (collector/osinfo.c) */
    {EF_EVENTLOG, 6009, EK_BOOT, EO_NONE, D, "Windows started (version and build logged)", NULL},
    /* "The system uptime is N seconds", at boot and daily: its data names
     * the edition and system locale (collector/osinfo.c); not stored */
    {EF_EVENTLOG, 6013, EK_OS_INFO, EO_NONE, D, "system uptime (names the OS edition)", NULL},
    {EF_USER32, 1074, EK_RESTART_INITIATED, EO_NONE, NEED_UPDATE_TEXT,
     "restart initiated by the installer", "param1"},

    /* CBS.log / DISM.log lines (IDs from textlog_match.c's pattern table) */
    {EF_SERVICING_LOG, TL_EV_SERVICING_ERROR, EK_SERVICING, EO_LEVEL, D,
     "servicing logged an error", NULL},
    {EF_SERVICING_LOG, TL_EV_SOURCE_MISSING, EK_SERVICING, EO_LEVEL, D,
     "the repair or feature source files were not found", NULL},
    {EF_SERVICING_LOG, TL_EV_STORE_CORRUPT, EK_SERVICING, EO_LEVEL, D,
     "the component store is corrupt", NULL},
    {EF_SERVICING_LOG, TL_EV_PAYLOAD_CORRUPT, EK_SERVICING, EO_LEVEL, D,
     "a file or manifest in the component store is corrupt", NULL},
    {EF_SERVICING_LOG, TL_EV_PAYLOAD_MISSING, EK_SERVICING, EO_LEVEL, D,
     "a corrupt file or manifest could not be repaired: no replacement was found", NULL},
    {EF_SERVICING_LOG, TL_EV_CORRUPTION_FOUND, EK_SERVICING, EO_LEVEL, D,
     "the component store scan found corruption", NULL},
    {EF_SERVICING_LOG, TL_EV_NO_CORRUPTION, EK_SERVICING, EO_SUCCEEDED, D,
     "the component store scan found no corruption", NULL},
    {EF_SERVICING_LOG, TL_EV_CORRUPTION_REPAIRED, EK_SERVICING, EO_SUCCEEDED, D,
     "component store corruption was repaired", NULL},
    {EF_SERVICING_LOG, TL_EV_OPERATION_FAILED, EK_SERVICING, EO_LEVEL, D,
     "a component store scan or repair failed", NULL},
    {EF_SERVICING_LOG, TL_EV_SESSION_FAILED, EK_SERVICING, EO_LEVEL, D,
     "a servicing session failed", NULL},
    {EF_SERVICING_LOG, TL_EV_SESSION_ERROR, EK_SERVICING, EO_LEVEL, D,
     "a servicing session ended with an error", NULL},
    {EF_SERVICING_LOG, TL_EV_SERVICING_STACK, EK_SERVICING, EO_NONE, D,
     "the servicing stack was loaded", NULL},
    {EF_SERVICING_LOG, TL_EV_SESSION_OK, EK_SERVICING, EO_SUCCEEDED, D,
     "a servicing session completed", NULL},
    {EF_SERVICING_LOG, TL_EV_TI_START, EK_SERVICING, EO_NONE, D,
     "the Windows Modules Installer (TrustedInstaller) started", NULL},
    {EF_SERVICING_LOG, TL_EV_DISM_ERROR, EK_DISM, EO_LEVEL, D, "DISM logged an error", NULL},
    {EF_SERVICING_LOG, TL_EV_DISM_RESTORE_FAILED, EK_DISM, EO_LEVEL, D,
     "DISM /RestoreHealth failed", NULL},
    {EF_SERVICING_LOG, TL_EV_DISM_FAILED, EK_DISM, EO_LEVEL, D, "a DISM command failed", NULL},
    {EF_SERVICING_LOG, TL_EV_DISM_RUN, EK_DISM, EO_STARTED, D, "DISM /Cleanup-Image was run", NULL},
    {EF_SERVICING_LOG, TL_EV_DISM_RESTORE_OK, EK_DISM, EO_SUCCEEDED, D,
     "DISM /RestoreHealth completed successfully", NULL},
    {EF_SERVICING_LOG, TL_EV_DISM_COMMAND, EK_DISM, EO_STARTED, D, "a DISM command was run", NULL},
    {EF_SERVICING_LOG, TL_EV_DISM_SESSION, EK_DISM, EO_NONE, D,
     "a DISM servicing session started", NULL},
    {EF_SERVICING_LOG, TL_EV_DISM_IN_USE, EK_DISM, EO_LEVEL, D,
     "DISM could not open the image's files: another process has them open "
     "(sharing violation)", NULL},
    {EF_SERVICING_LOG, TL_EV_DISM_OK, EK_DISM, EO_SUCCEEDED, D,
     "a DISM command completed successfully", NULL},
    {EF_SERVICING_LOG, TL_EV_SFC_CANNOT_REPAIR, EK_SFC, EO_LEVEL, D,
     "System File Checker cannot repair a system file", NULL},
    {EF_SERVICING_LOG, TL_EV_SFC_STORE_CORRUPT, EK_SFC, EO_LEVEL, D,
     "System File Checker cannot repair a file: its copy in the component store is "
     "corrupt too", NULL},
    {EF_SERVICING_LOG, TL_EV_SFC_UNABLE, EK_SFC, EO_LEVEL, D,
     "System File Checker found corrupt files and could not repair some of them", NULL},
    {EF_SERVICING_LOG, TL_EV_SFC_REPAIRED_FILE, EK_SFC, EO_SUCCEEDED, D,
     "System File Checker repaired a corrupt system file", NULL},
    {EF_SERVICING_LOG, TL_EV_SFC_REPAIRED, EK_SFC, EO_SUCCEEDED, D,
     "System File Checker found corrupt files and repaired them", NULL},
    {EF_SERVICING_LOG, TL_EV_SFC_CLEAN, EK_SFC, EO_SUCCEEDED, D,
     "System File Checker found no integrity violations", NULL},

    /* WindowsUpdate.log lines */
    {EF_WU_LOG, TL_EV_WU_EXIT_ERROR, EK_AGENT, EO_LEVEL, D,
     "a Windows Update agent call failed", NULL},
    {EF_WU_LOG, TL_EV_WU_SYNC_FAILED, EK_AGENT, EO_LEVEL, D, "the search for updates failed", NULL},
    {EF_WU_LOG, TL_EV_WU_FATAL, EK_AGENT, EO_LEVEL, D,
     "the Windows Update agent logged a fatal error", NULL},
    {EF_WU_LOG, TL_EV_WU_FAILED, EK_AGENT, EO_LEVEL, D,
     "a Windows Update agent operation failed", NULL},
    {EF_WU_LOG, TL_EV_WU_WARNING, EK_AGENT, EO_LEVEL, D,
     "the Windows Update agent logged a warning with an error code", NULL},
    {EF_WU_LOG, TL_EV_WU_ERROR, EK_AGENT, EO_LEVEL, D,
     "the Windows Update agent logged an error code", NULL},
    {EF_WU_LOG, TL_EV_WU_ENDPOINT_MS, EK_ENDPOINT, EO_NONE, D,
     "the update server is Microsoft Update", NULL},
    {EF_WU_LOG, TL_EV_WU_ENDPOINT_WSUS, EK_ENDPOINT, EO_NONE, D,
     "the update server is an intranet (WSUS) server", NULL},
    {EF_WU_LOG, TL_EV_WU_WSUS_SERVER, EK_ENDPOINT, EO_NONE, D,
     "policy points Windows Update at a WSUS server", NULL},
    {EF_WU_LOG, TL_EV_WU_PROXY_FAILED, EK_AGENT, EO_LEVEL, D,
     "a request to the update server through WinHTTP failed", NULL},
    {EF_WU_LOG, TL_EV_WU_ENDPOINT_ERROR, EK_AGENT, EO_LEVEL, D,
     "the update server could not be reached", NULL},
    {EF_WU_LOG, TL_EV_WU_EXIT_OK, EK_AGENT, EO_SUCCEEDED, D,
     "a Windows Update agent call succeeded", NULL},
    {EF_WU_LOG, TL_EV_WU_SCAN_OK, EK_SCAN, EO_SUCCEEDED, D, "scan succeeded", NULL},
    {EF_WU_LOG, TL_EV_WU_SCAN_FAILED, EK_SCAN, EO_FAILED, D, "scan failed", NULL},
    {EF_WU_LOG, TL_EV_WU_INSTALL_OK, EK_INSTALL, EO_SUCCEEDED, D, "installed", NULL},
    {EF_WU_LOG, TL_EV_WU_INSTALL_FAILED, EK_INSTALL, EO_FAILED, D, "install failed", NULL},
    {EF_WU_LOG, TL_EV_WU_DOWNLOAD_OK, EK_DOWNLOAD, EO_SUCCEEDED, D, "downloaded", NULL},
    {EF_WU_LOG, TL_EV_WU_DOWNLOAD_FAILED, EK_DOWNLOAD, EO_FAILED, D, "download failed", NULL},
    {EF_WU_LOG, TL_EV_WU_RESTART_REQUIRED, EK_RESTART_REQUIRED, EO_NONE, D,
     "restart required", NULL},
    /* the Automatic Updates setting: a state, judged by automatic-updates-disabled */
    {EF_WU_LOG, TL_EV_WU_AU_DISABLED, EK_AGENT, EO_NONE, D,
     "Automatic Updates are turned off", NULL},
    {EF_WU_LOG, TL_EV_WU_AU_ENABLED, EK_AGENT, EO_NONE, D,
     "Automatic Updates are turned on", NULL},
    /* an agent event, not a download failure: the server answered and refused
     * (HTTP 4xx), which store-download-failures judges; counted with Windows
     * Update's own download failures it would read as updates failing */
    {EF_WU_LOG, TL_EV_WU_DOWNLOAD_REFUSED, EK_AGENT, EO_FAILED, D,
     "a Delivery Optimization / BITS download was refused by the server (HTTP error)", NULL},
    {EF_WU_LOG, TL_EV_WU_LOG_START, EK_AGENT, EO_NONE, D,
     "the Windows Update agent started logging", NULL},
    {EF_WU_LOG, TL_EV_WU_INSTALL_STARTED, EK_INSTALL, EO_STARTED, D, "install started", NULL},
};
#undef D
const size_t ev_meanings_len = COUNT(ev_meanings);

static const char *const kind_names[EK_KIND_COUNT] = {
    [EK_NONE] = "", [EK_SCAN] = "scan", [EK_DOWNLOAD] = "download",
    [EK_INSTALL] = "install", [EK_UNINSTALL] = "uninstall",
    [EK_RESTART_REQUIRED] = "restart-required", [EK_BOOT] = "boot",
    [EK_SHUTDOWN] = "shutdown", [EK_RESTART_INITIATED] = "restart-initiated",
    [EK_SERVICE_STATE] = "service-state", [EK_SERVICE_CONFIG] = "service-config",
    [EK_SERVICE_INSTALLED] = "service-installed",
    [EK_SERVICE_FAILURE] = "service-failure", [EK_SERVICE_SLOW_STOP] = "service-slow-stop",
    [EK_SERVICING] = "servicing", [EK_DISM] = "dism", [EK_SFC] = "sfc",
    [EK_AGENT] = "agent", [EK_ENDPOINT] = "endpoint",
    [EK_SERVICE_START_FAILED] = "service-start-failed", [EK_OS_INFO] = "os-info",
};

static const char *const outcome_names[EO_OUTCOME_COUNT] = {
    [EO_NONE] = "", [EO_STARTED] = "started", [EO_SUCCEEDED] = "succeeded",
    [EO_FAILED] = "failed", [EO_LEVEL] = "",
};

const struct ev_provider *ev_provider_find(const char *provider)
{
    for (size_t i = 0; provider && i < COUNT(ev_providers); i++)
        if (strcasecmp(ev_providers[i].name, provider) == 0)
            return &ev_providers[i];
    return NULL;
}

enum ev_family ev_family_of(const char *provider)
{
    const struct ev_provider *p = ev_provider_find(provider);
    return p ? p->family : EF_OTHER;
}

const struct ev_meaning *ev_meaning_find(enum ev_family family, int event_id)
{
    if (family == EF_OTHER)
        return NULL;
    for (size_t i = 0; i < COUNT(ev_meanings); i++)
        if (ev_meanings[i].family == family && ev_meanings[i].event_id == event_id)
            return &ev_meanings[i];
    return NULL;
}

void ev_classify(const char *provider, int event_id, int level,
                 enum ev_kind *kind, enum ev_outcome *outcome)
{
    const struct ev_meaning *m = ev_meaning_find(ev_family_of(provider), event_id);
    enum ev_outcome o = m ? m->outcome : EO_LEVEL;

    if (o == EO_LEVEL)
        o = level == 1 || level == 2 ? EO_FAILED : EO_NONE;
    if (kind)
        *kind = m ? m->kind : EK_NONE;
    if (outcome)
        *outcome = o;
}

const char *ev_detail_field(const char *provider, int event_id)
{
    const struct ev_provider *p = ev_provider_find(provider);
    const struct ev_meaning *m = p ? ev_meaning_find(p->family, event_id) : NULL;
    return m && m->detail ? m->detail : p ? p->detail : NULL;
}

const char *ev_kind_name(enum ev_kind k)
{
    return (unsigned)k < EK_KIND_COUNT ? kind_names[k] : "";
}

const char *ev_outcome_name(enum ev_outcome o)
{
    return (unsigned)o < EO_OUTCOME_COUNT ? outcome_names[o] : "";
}

enum ev_kind ev_kind_parse(const char *name)
{
    for (int k = 1; name && *name && k < EK_KIND_COUNT; k++)
        if (strcmp(kind_names[k], name) == 0)
            return (enum ev_kind)k;
    return EK_NONE;
}

enum ev_outcome ev_outcome_parse(const char *name)
{
    for (int o = 1; name && *name && o < EO_LEVEL; o++)
        if (strcmp(outcome_names[o], name) == 0)
            return (enum ev_outcome)o;
    return EO_NONE;
}
