/*
 * live_win.c - live collection on Windows: the update services through the
 * Service Control Manager, event channels through EvtQuery (rendered to XML
 * for the shared parser), the Windows Update Agent history through COM, and
 * registry/disk facts.  Reading needs no administrator rights; whatever
 * fails is reported in coverage and the others go on.
 */
#define COBJMACROS
#include "collector/live.h"
#include "collector/filter.h"

#include <windows.h>
#include <winevt.h>
#include <oleauto.h>
#include <wuapi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EVT_BATCH        64
#define WUA_MAX_ENTRIES  200        /* history entries read at most */
#define WUA_TIMEOUT_MS   60000      /* the COM query never blocks longer */

/* ---- strings ------------------------------------------------------------ */

/* UTF-16 -> UTF-8 into a malloc'd buffer (NULL on failure). */
static char *utf8_of(const WCHAR *w, int wlen, int *outlen)
{
    int n = WideCharToMultiByte(CP_UTF8, 0, w, wlen, NULL, 0, NULL, NULL);
    char *s;
    if (n <= 0 || !(s = malloc((size_t)n + 1)))
        return NULL;
    WideCharToMultiByte(CP_UTF8, 0, w, wlen, s, n, NULL, NULL);
    s[n] = '\0';
    if (outlen)
        *outlen = wlen < 0 ? n - 1 : n;
    return s;
}

static WCHAR *wide_of(const char *s)
{
    int n = MultiByteToWideChar(CP_UTF8, 0, s, -1, NULL, 0);
    WCHAR *w;
    if (n <= 0 || !(w = malloc((size_t)n * sizeof *w)))
        return NULL;
    MultiByteToWideChar(CP_UTF8, 0, s, -1, w, n);
    return w;
}

static void win_error(DWORD code, char *buf, size_t len)
{
    WCHAR msg[256];
    DWORD n = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
                             NULL, code, 0, msg, 256, NULL);
    while (n > 0 && (msg[n - 1] == L'\r' || msg[n - 1] == L'\n' || msg[n - 1] == L'.'))
        msg[--n] = 0;
    char *u = n ? utf8_of(msg, -1, NULL) : NULL;
    snprintf(buf, len, "error %lu%s%s", (unsigned long)code, u ? ": " : "", u ? u : "");
    free(u);
}

/* ---- services ------------------------------------------------------------ */

static int collect_services(const struct live_sink *sink, int days)
{
    SC_HANDLE scm;
    char why[300];
    int failed = 0, rc = 0;

    (void)days;
    scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT);
    if (!scm) {
        win_error(GetLastError(), why, sizeof why);
        return sink->coverage(sink->ctx, "services", "failed", why);
    }
    for (size_t i = 0; i < wu_services_len && !rc; i++) {
        const char *name = wu_services[i].name;
        WCHAR *wname = wide_of(name);
        SC_HANDLE svc = wname ? OpenServiceW(scm, wname, SERVICE_QUERY_STATUS |
                                             SERVICE_QUERY_CONFIG) : NULL;
        free(wname);
        if (!svc) {
            DWORD e = GetLastError();
            if (e == ERROR_SERVICE_DOES_NOT_EXIST)
                rc = sink->service(sink->ctx, name, wu_services[i].display[0],
                                   "not-installed", NULL);
            else
                failed++;
            continue;
        }
        SERVICE_STATUS_PROCESS ss;
        DWORD need = 0;
        const char *state = NULL, *start = NULL;
        char *display = NULL;
        if (QueryServiceStatusEx(svc, SC_STATUS_PROCESS_INFO, (BYTE *)&ss, sizeof ss, &need))
            state = live_state(ss.dwCurrentState);
        QueryServiceConfigW(svc, NULL, 0, &need);
        QUERY_SERVICE_CONFIGW *cfg = need ? malloc(need) : NULL;
        if (cfg && QueryServiceConfigW(svc, cfg, need, &need)) {
            SERVICE_DELAYED_AUTO_START_INFO delayed = {0};
            DWORD dn = 0, tn = 0;
            int triggers = 0;
            QueryServiceConfig2W(svc, SERVICE_CONFIG_DELAYED_AUTO_START_INFO,
                                 (BYTE *)&delayed, sizeof delayed, &dn);
            /* trigger-start: SERVICE_CONFIG_TRIGGER_INFO (8) has a count */
            QueryServiceConfig2W(svc, 8, NULL, 0, &tn);
            if (tn) {
                BYTE *tb = malloc(tn);
                if (tb && QueryServiceConfig2W(svc, 8, tb, tn, &tn))
                    triggers = *(DWORD *)tb > 0;
                free(tb);
            }
            start = live_start_type(cfg->dwStartType, delayed.fDelayedAutostart, triggers);
            if (cfg->lpDisplayName)
                display = utf8_of(cfg->lpDisplayName, -1, NULL);
        }
        free(cfg);
        if (!state && !start)
            failed++;
        else
            rc = sink->service(sink->ctx, name, display ? display : wu_services[i].display[0],
                               state, start);
        free(display);
        CloseServiceHandle(svc);
    }
    CloseServiceHandle(scm);
    if (rc)
        return rc;
    snprintf(why, sizeof why, "%d of %zu services could not be read", failed,
             wu_services_len);
    return sink->coverage(sink->ctx, "services", failed ? "partial" : "ok",
                          failed ? why : "Service Control Manager");
}

/* ---- event channels -------------------------------------------------------- */

/* Render an event (or bookmark) as UTF-8 XML; malloc'd, NULL on failure. */
static char *render(EVT_HANDLE h, DWORD flags, int *len)
{
    DWORD used = 0, props = 0;
    WCHAR *buf = NULL;
    char *out;

    if (!EvtRender(NULL, h, flags, 0, NULL, &used, &props) &&
        GetLastError() != ERROR_INSUFFICIENT_BUFFER)
        return NULL;
    if (!(buf = malloc(used + sizeof(WCHAR))))
        return NULL;
    if (!EvtRender(NULL, h, flags, used, buf, &used, &props)) {
        free(buf);
        return NULL;
    }
    out = utf8_of(buf, -1, len);
    free(buf);
    return out;
}

/* Feed every event of a query to the sink; counts into *n. */
static int drain(const struct live_sink *sink, EVT_HANDLE results, EVT_HANDLE bookmark,
                 long *n, DWORD *err)
{
    EVT_HANDLE ev[EVT_BATCH];
    DWORD got = 0;

    *err = 0;
    for (;;) {
        if (!EvtNext(results, EVT_BATCH, ev, 10000, 0, &got)) {
            DWORD e = GetLastError();
            if (e != ERROR_NO_MORE_ITEMS)
                *err = e;
            return 0;
        }
        for (DWORD i = 0; i < got; i++) {
            int len = 0, rc = 0;
            char *xml = render(ev[i], EvtRenderEventXml, &len);
            if (xml)
                rc = sink->event_xml(sink->ctx, xml, (size_t)len);
            free(xml);
            if (bookmark)
                EvtUpdateBookmark(bookmark, ev[i]);
            EvtClose(ev[i]);
            if (rc) {
                for (DWORD j = i + 1; j < got; j++)
                    EvtClose(ev[j]);
                return rc;
            }
            (*n)++;
        }
    }
}

static int collect_channel(const struct live_sink *sink, const struct live_channel *ch,
                           int days)
{
    char xpath[2048], why[400], *saved = NULL;
    WCHAR *wpath = NULL, *wchan = NULL, *wbm = NULL;
    EVT_HANDLE results = NULL, bookmark = NULL, old = NULL;
    long n = 0;
    DWORD err = 0;
    int rc = 0;

    saved = sink->get_bookmark(sink->ctx, ch->channel);
    /* with a bookmark, read what came after it; else the last `days` */
    if (live_build_xpath(xpath, sizeof xpath, ch, saved ? 0 : days) != 0 ||
        !(wpath = wide_of(xpath)) || !(wchan = wide_of(ch->channel))) {
        rc = sink->coverage(sink->ctx, ch->channel, "failed", "query too long");
        goto cleanup;
    }
    results = EvtQuery(NULL, wchan, wpath, EvtQueryChannelPath | EvtQueryForwardDirection);
    if (!results) {
        win_error(GetLastError(), why, sizeof why);
        rc = sink->coverage(sink->ctx, ch->channel, "failed", why);
        goto cleanup;
    }
    if (saved && (wbm = wide_of(saved)) && (old = EvtCreateBookmark(wbm)) != NULL) {
        if (!EvtSeek(results, 1, old, 0, EvtSeekRelativeToBookmark))
            EvtSeek(results, 0, NULL, 0, EvtSeekRelativeToFirst);
    }
    bookmark = EvtCreateBookmark(old ? wbm : NULL);
    rc = drain(sink, results, bookmark, &n, &err);
    if (rc)
        goto cleanup;
    if (bookmark && n > 0) {
        char *bm = render(bookmark, EvtRenderBookmark, NULL);
        if (bm)
            rc = sink->set_bookmark(sink->ctx, ch->channel, bm);
        free(bm);
        if (rc)
            goto cleanup;
    }
    if (err) {
        win_error(err, why, sizeof why);
        rc = sink->coverage(sink->ctx, ch->channel, "partial", why);
    } else {
        snprintf(why, sizeof why, "%ld events%s", n, saved ? " since the last collect" : "");
        rc = sink->coverage(sink->ctx, ch->channel, "ok", why);
    }
cleanup:
    if (results)
        EvtClose(results);
    if (bookmark)
        EvtClose(bookmark);
    if (old)
        EvtClose(old);
    free(wpath);
    free(wchan);
    free(wbm);
    free(saved);
    return rc;
}

static int collect_eventlog(const struct live_sink *sink, int days)
{
    for (size_t i = 0; i < live_channels_len; i++) {
        int rc = collect_channel(sink, &live_channels[i], days);
        if (rc)
            return rc;
    }
    return 0;
}

/* ---- Windows Update Agent history (COM) ------------------------------------ */

static const CLSID clsid_update_session =
    {0x4cb43d7f, 0x7eee, 0x4906, {0x86, 0x98, 0x60, 0xda, 0x1c, 0x38, 0xf2, 0xfe}};
static const IID iid_update_session =
    {0x816858a4, 0x260d, 0x4260, {0x93, 0x3a, 0x25, 0x85, 0xf1, 0xab, 0xc7, 0x6b}};

struct wua_entry {
    char when[40];      /* ISO 8601 UTC */
    int operation;      /* 1 install, 2 uninstall */
    int result;         /* OperationResultCode: 2 succeeded, 4 failed, ... */
    LONG hresult;
    char *title;
    char *guid;
};

struct wua_job {
    struct wua_entry *e;
    LONG n;
    HRESULT hr;
    char step[64];
};

/* DATE (days since 1899-12-30, local to UTC is already UTC for WUA) -> ISO */
static void date_iso(DATE d, char *buf, size_t len)
{
    SYSTEMTIME st;
    if (!VariantTimeToSystemTime(d, &st)) {
        snprintf(buf, len, "1601-01-01T00:00:00Z");
        return;
    }
    snprintf(buf, len, "%04u-%02u-%02uT%02u:%02u:%02uZ", st.wYear, st.wMonth, st.wDay,
             st.wHour, st.wMinute, st.wSecond);
}

static DWORD WINAPI wua_thread(LPVOID arg)
{
    struct wua_job *job = arg;
    IUpdateSession *session = NULL;
    IUpdateSearcher *searcher = NULL;
    IUpdateHistoryEntryCollection *hist = NULL;
    LONG total = 0, count = 0;
    HRESULT hr;

    hr = CoInitializeEx(NULL, COINIT_MULTITHREADED);
    if (FAILED(hr)) {
        snprintf(job->step, sizeof job->step, "CoInitializeEx");
        job->hr = hr;
        return 0;
    }
    hr = CoCreateInstance(&clsid_update_session, NULL, CLSCTX_INPROC_SERVER,
                          &iid_update_session, (void **)&session);
    if (FAILED(hr)) { snprintf(job->step, sizeof job->step, "UpdateSession"); goto done; }
    hr = IUpdateSession_CreateUpdateSearcher(session, &searcher);
    if (FAILED(hr)) { snprintf(job->step, sizeof job->step, "CreateUpdateSearcher"); goto done; }
    hr = IUpdateSearcher_GetTotalHistoryCount(searcher, &total);
    if (FAILED(hr)) { snprintf(job->step, sizeof job->step, "GetTotalHistoryCount"); goto done; }
    if (total > WUA_MAX_ENTRIES)
        total = WUA_MAX_ENTRIES;
    if (total <= 0)
        goto done;
    hr = IUpdateSearcher_QueryHistory(searcher, 0, total, &hist);
    if (FAILED(hr)) { snprintf(job->step, sizeof job->step, "QueryHistory"); goto done; }
    hr = IUpdateHistoryEntryCollection_get_Count(hist, &count);
    if (FAILED(hr) || count <= 0)
        goto done;
    job->e = calloc((size_t)count, sizeof *job->e);
    if (!job->e) { hr = E_OUTOFMEMORY; goto done; }
    for (LONG i = 0; i < count; i++) {
        IUpdateHistoryEntry *entry = NULL;
        struct wua_entry *w = &job->e[job->n];
        OperationResultCode res = orcNotStarted;
        UpdateOperation op = uoInstallation;
        DATE date = 0;
        BSTR title = NULL;
        IUpdateIdentity *id = NULL;
        if (FAILED(IUpdateHistoryEntryCollection_get_Item(hist, i, &entry)))
            continue;
        IUpdateHistoryEntry_get_Date(entry, &date);
        IUpdateHistoryEntry_get_Operation(entry, &op);
        IUpdateHistoryEntry_get_ResultCode(entry, &res);
        IUpdateHistoryEntry_get_HResult(entry, &w->hresult);
        if (SUCCEEDED(IUpdateHistoryEntry_get_Title(entry, &title)) && title)
            w->title = utf8_of(title, -1, NULL);
        if (SUCCEEDED(IUpdateHistoryEntry_get_UpdateIdentity(entry, &id)) && id) {
            BSTR uid = NULL;
            if (SUCCEEDED(IUpdateIdentity_get_UpdateID(id, &uid)) && uid) {
                w->guid = utf8_of(uid, -1, NULL);
                SysFreeString(uid);
            }
            IUpdateIdentity_Release(id);
        }
        SysFreeString(title);
        date_iso(date, w->when, sizeof w->when);
        w->operation = (int)op;
        w->result = (int)res;
        job->n++;
        IUpdateHistoryEntry_Release(entry);
    }
    hr = S_OK;
done:
    job->hr = hr;
    if (hist)
        IUpdateHistoryEntryCollection_Release(hist);
    if (searcher)
        IUpdateSearcher_Release(searcher);
    if (session)
        IUpdateSession_Release(session);
    CoUninitialize();
    return 0;
}

/* Append s to buf as XML text. */
static void xml_text(char *buf, size_t len, const char *s)
{
    size_t n = strlen(buf);
    for (; s && *s && n + 7 < len; s++) {
        const char *rep = *s == '<' ? "&lt;" : *s == '>' ? "&gt;" : *s == '&' ? "&amp;"
                        : *s == '"' ? "&quot;" : NULL;
        if (rep) {
            memcpy(buf + n, rep, strlen(rep));
            n += strlen(rep);
        } else if ((unsigned char)*s >= 0x20 || *s == '\t') {
            buf[n++] = *s;
        }
    }
    buf[n] = '\0';
}

/*
 * History entries become events of provider WindowsUpdateAgent-History
 * with the WindowsUpdateClient IDs the rules know: 19 installed, 20 install
 * failed, 24 uninstalled.  The result code and the HRESULT stay apart.
 */
static int emit_history(const struct live_sink *sink, const struct wua_entry *w,
                        const char *host)
{
    char xml[4096];
    int id = w->operation == 2 ? 24 : (w->result == 2 || w->result == 3) ? 19 : 20;
    uint32_t rec = 2166136261u;
    for (const char *p = w->when; *p; p++)
        rec = (rec ^ (unsigned char)*p) * 16777619u;
    for (const char *p = w->guid ? w->guid : ""; *p; p++)
        rec = (rec ^ (unsigned char)*p) * 16777619u;

    snprintf(xml, sizeof xml,
             "<Event><System><Provider Name=\"WindowsUpdateAgent-History\"/>"
             "<EventID>%d</EventID><Level>%d</Level>"
             "<TimeCreated SystemTime=\"%s\"/><EventRecordID>%lu</EventRecordID>"
             "<Channel>WUA history</Channel><Computer>", id, id == 20 ? 2 : 4,
             w->when, (unsigned long)(rec & 0x7fffffff));
    xml_text(xml, sizeof xml, host);
    snprintf(xml + strlen(xml), sizeof xml - strlen(xml),
             "</Computer></System><EventData><Data Name=\"resultCode\">%d</Data>"
             "<Data Name=\"hResult\">0x%08lX</Data><Data Name=\"updateTitle\">",
             w->result, (unsigned long)(uint32_t)w->hresult);
    xml_text(xml, sizeof xml, w->title);
    strncat(xml, "</Data><Data Name=\"updateGuid\">", sizeof xml - strlen(xml) - 1);
    xml_text(xml, sizeof xml, w->guid);
    strncat(xml, "</Data></EventData></Event>", sizeof xml - strlen(xml) - 1);
    return sink->event_xml(sink->ctx, xml, strlen(xml));
}

static int collect_wua(const struct live_sink *sink, int days)
{
    struct wua_job *job = calloc(1, sizeof *job);
    char why[300], host[256];
    HANDLE th;
    int rc = 0;

    (void)days;
    if (!job)
        return sink->coverage(sink->ctx, "update history", "failed", "out of memory");
    th = CreateThread(NULL, 0, wua_thread, job, 0, NULL);
    if (!th) {
        free(job);
        return sink->coverage(sink->ctx, "update history", "failed", "no thread");
    }
    if (WaitForSingleObject(th, WUA_TIMEOUT_MS) != WAIT_OBJECT_0) {
        /* the agent is hung: leave the thread (and its job) behind */
        CloseHandle(th);
        return sink->coverage(sink->ctx, "update history", "failed",
                              "Windows Update Agent did not answer within 60 s");
    }
    CloseHandle(th);
    live_hostname(host, sizeof host);
    if (FAILED(job->hr)) {
        snprintf(why, sizeof why, "%s failed: 0x%08lX", job->step,
                 (unsigned long)(uint32_t)job->hr);
        rc = sink->coverage(sink->ctx, "update history", "failed", why);
    } else {
        for (LONG i = 0; i < job->n && !rc; i++)
            rc = emit_history(sink, &job->e[i], host);
        snprintf(why, sizeof why, "%ld entries", (long)job->n);
        if (!rc)
            rc = sink->coverage(sink->ctx, "update history", "ok", why);
    }
    for (LONG i = 0; i < job->n; i++) {
        free(job->e[i].title);
        free(job->e[i].guid);
    }
    free(job->e);
    free(job);
    return rc;
}

/* ---- facts: registry, disk, OS ---------------------------------------------- */

static int key_exists(const WCHAR *path)
{
    HKEY k;
    if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, path, 0, KEY_READ, &k) != ERROR_SUCCESS)
        return 0;
    RegCloseKey(k);
    return 1;
}

/* A REG_SZ value as UTF-8 (malloc'd) or NULL. */
static char *reg_string(const WCHAR *path, const WCHAR *name)
{
    WCHAR buf[512];
    DWORD len = sizeof buf - sizeof(WCHAR), type = 0;
    HKEY k;
    LONG r;
    if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, path, 0, KEY_READ, &k) != ERROR_SUCCESS)
        return NULL;
    r = RegQueryValueExW(k, name, NULL, &type, (BYTE *)buf, &len);
    RegCloseKey(k);
    if (r != ERROR_SUCCESS || (type != REG_SZ && type != REG_EXPAND_SZ))
        return NULL;
    buf[len / sizeof(WCHAR)] = 0;
    return utf8_of(buf, -1, NULL);
}

static int reg_dword(const WCHAR *path, const WCHAR *name, DWORD *out)
{
    DWORD len = sizeof *out, type = 0;
    HKEY k;
    LONG r;
    if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, path, 0, KEY_READ, &k) != ERROR_SUCCESS)
        return -1;
    r = RegQueryValueExW(k, name, NULL, &type, (BYTE *)out, &len);
    RegCloseKey(k);
    return r == ERROR_SUCCESS && type == REG_DWORD ? 0 : -1;
}

static int collect_facts(const struct live_sink *sink, int days)
{
    static const WCHAR wu_policy[] = L"SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate";
    static const WCHAR au_policy[] = L"SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU";
    static const WCHAR nt[] = L"SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion";
    char val[512], *s;
    int rc, pending = 0, missing = 0;
    DWORD d;

    (void)days;
    /* pending restart: the three places Windows records one */
    if (key_exists(L"SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\"
                   L"Auto Update\\RebootRequired"))
        pending |= 1;
    if (key_exists(L"SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\"
                   L"Component Based Servicing\\RebootPending"))
        pending |= 2;
    {
        HKEY k;
        DWORD len = 0, type = 0;
        if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, L"SYSTEM\\CurrentControlSet\\Control\\"
                          L"Session Manager", 0, KEY_READ, &k) == ERROR_SUCCESS) {
            if (RegQueryValueExW(k, L"PendingFileRenameOperations", NULL, &type, NULL,
                                 &len) == ERROR_SUCCESS && len > 0) {
                BYTE *b = malloc(len);
                if (b && RegQueryValueExW(k, L"PendingFileRenameOperations", NULL, &type,
                                          b, &len) == ERROR_SUCCESS &&
                    live_multi_sz_count(b, len) > 0)
                    pending |= 4;
                free(b);
            }
            RegCloseKey(k);
        }
    }
    snprintf(val, sizeof val, "%s%s%s%s", pending ? "yes" : "no",
             pending & 1 ? " WindowsUpdate-RebootRequired" : "",
             pending & 2 ? " CBS-RebootPending" : "",
             pending & 4 ? " PendingFileRenameOperations" : "");
    if ((rc = sink->fact(sink->ctx, "reboot_pending", val)))
        return rc;

    /* WSUS / policy */
    if ((s = reg_string(wu_policy, L"WUServer"))) {
        rc = sink->fact(sink->ctx, "wsus_server", s);
        free(s);
        if (rc)
            return rc;
    }
    if (reg_dword(au_policy, L"UseWUServer", &d) == 0) {
        snprintf(val, sizeof val, "%lu", (unsigned long)d);
        if ((rc = sink->fact(sink->ctx, "use_wu_server", val)))
            return rc;
    }
    if (reg_dword(au_policy, L"NoAutoUpdate", &d) == 0) {
        snprintf(val, sizeof val, "%lu", (unsigned long)d);
        if ((rc = sink->fact(sink->ctx, "no_auto_update", val)))
            return rc;
    }

    /* free space on the system drive */
    {
        WCHAR drive[MAX_PATH];
        ULARGE_INTEGER avail, total, fr;
        UINT n = GetSystemWindowsDirectoryW(drive, MAX_PATH);
        if (n >= 3) {
            drive[3] = 0;       /* "C:\" */
            if (GetDiskFreeSpaceExW(drive, &avail, &total, &fr)) {
                snprintf(val, sizeof val, "%llu",
                         (unsigned long long)(fr.QuadPart / (1024 * 1024)));
                if ((rc = sink->fact(sink->ctx, "free_space_mb", val)))
                    return rc;
            } else {
                missing++;
            }
        }
    }

    /* OS and build */
    {
        char *prod = reg_string(nt, L"ProductName");
        char *disp = reg_string(nt, L"DisplayVersion");
        char *build = reg_string(nt, L"CurrentBuildNumber");
        DWORD ubr = 0;
        int has_ubr = reg_dword(nt, L"UBR", &ubr) == 0;
        if (prod || build) {
            snprintf(val, sizeof val, "%s%s%s, build %s%s%lu", prod ? prod : "Windows",
                     disp ? " " : "", disp ? disp : "", build ? build : "?",
                     has_ubr ? "." : "", has_ubr ? (unsigned long)ubr : 0UL);
            if (!has_ubr)
                val[strlen(val) - 1] = '\0';    /* drop the "0" */
            rc = sink->fact(sink->ctx, "os", val);
        } else {
            missing++;
        }
        free(prod);
        free(disp);
        free(build);
        if (rc)
            return rc;
    }
    return sink->coverage(sink->ctx, "registry and disk facts", missing ? "partial" : "ok",
                          missing ? "free space or OS version unreadable"
                                  : "pending restart, WSUS policy, free space, OS build");
}

/* ---- servicing logs ---------------------------------------------------------- */

static int collect_textlogs(const struct live_sink *sink, int days)
{
    static const struct { const WCHAR *rel; const char *label; } logs[] = {
        {L"\\Logs\\CBS\\CBS.log", "CBS.log"},
        {L"\\Logs\\DISM\\dism.log", "DISM.log"},
    };
    WCHAR dir[MAX_PATH];
    UINT n = GetSystemWindowsDirectoryW(dir, MAX_PATH);

    (void)days;     /* the sink skips entries older than --days */
    for (size_t i = 0; i < sizeof logs / sizeof logs[0]; i++) {
        WCHAR path[MAX_PATH + 64];
        char *u;
        int rc;
        if (n == 0 || n >= MAX_PATH) {
            rc = sink->coverage(sink->ctx, logs[i].label, "failed",
                                "Windows directory unknown");
        } else {
            wcscpy(path, dir);
            wcscat(path, logs[i].rel);
            if (GetFileAttributesW(path) == INVALID_FILE_ATTRIBUTES) {
                char why[300];
                win_error(GetLastError(), why, sizeof why);
                rc = sink->coverage(sink->ctx, logs[i].label, "failed", why);
            } else if (!(u = utf8_of(path, -1, NULL))) {
                rc = sink->coverage(sink->ctx, logs[i].label, "failed", "out of memory");
            } else {
                rc = sink->import_file(sink->ctx, u, logs[i].label);
                free(u);
            }
        }
        if (rc)
            return rc;
    }
    return 0;
}

/* ---- table and platform helpers --------------------------------------------- */

static const struct live_source services_source = {"services", collect_services};
static const struct live_source eventlog_source = {"event logs", collect_eventlog};
static const struct live_source wua_source = {"update history", collect_wua};
static const struct live_source facts_source = {"facts", collect_facts};
static const struct live_source textlog_source = {"servicing logs", collect_textlogs};

const struct live_source *const live_sources[] = {
    &services_source, &eventlog_source, &wua_source, &facts_source, &textlog_source,
};
const size_t live_sources_len = sizeof live_sources / sizeof live_sources[0];

const char *live_hostname(char *buf, size_t len)
{
    WCHAR w[MAX_COMPUTERNAME_LENGTH + 1];
    DWORD n = MAX_COMPUTERNAME_LENGTH + 1;
    buf[0] = '\0';
    if (GetComputerNameW(w, &n)) {
        char *u = utf8_of(w, -1, NULL);
        if (u) {
            snprintf(buf, len, "%s", u);
            free(u);
        }
    }
    return buf;
}

const char *live_data_dir(char *buf, size_t len)
{
    WCHAR w[MAX_PATH];
    DWORD n = GetEnvironmentVariableW(L"ProgramData", w, MAX_PATH);
    char *u;
    if (n == 0 || n >= MAX_PATH - 8)
        return NULL;
    wcscat(w, L"\\wudiag");
    CreateDirectoryW(w, NULL);      /* exists already: fine */
    if (!(u = utf8_of(w, -1, NULL)))
        return NULL;
    snprintf(buf, len, "%s", u);
    free(u);
    return buf;
}
