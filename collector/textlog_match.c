/*
 * textlog_match.c - which text-log lines are evidence, as a table, and the
 * matcher that applies it at line speed.
 *
 * tl_patterns[] is the knowledge: one row per thing to look for.  Rows are
 * tried in table order and the first whose conditions hold wins, so a
 * specific row goes before a general one.  A row with event_id 0 claims a
 * line for nothing (it keeps a later, broader row from taking it).  Adding
 * a pattern is one line here; the IDs, and what each means, are in
 * vocab/semantics.h/.c.
 *
 * The matcher compiles the rows of one format into an Aho-Corasick
 * automaton over case-folded byte classes, so each line is scanned once
 * whatever the number of rows; the conditions (code, also, level, ...) are
 * checked only for the rare lines where some substring occurred.
 */
#include "collector/textlog.h"
#include "util/memfind.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define COUNT(a) (sizeof (a) / sizeof (a)[0])

/* ---- the table ------------------------------------------------------------ */

#define SV TL_SERVICING
#define WU TL_WU

const struct tl_pattern tl_patterns[] = {
    /* System File Checker: [SR] lines in CBS.log, and sfc's own sentences
     * (a transcript pasted into a log) */
    {TL_ANY, "found corrupt files but was unable to fix", NULL, 0,
     TL_EV_SFC_UNABLE, 2, 0},
    {TL_ANY, "found corrupt files and successfully repaired", NULL, 0,
     TL_EV_SFC_REPAIRED, 4, 0},
    {TL_ANY, "did not find any integrity violations", NULL, 0,
     TL_EV_SFC_CLEAN, 4, 0},
    {TL_CBS, "[SR] Cannot repair member file", NULL, 0,
     TL_EV_SFC_CANNOT_REPAIR, 2, 0},
    {TL_CBS, "source file in store is also corrupted", NULL, 0,
     TL_EV_SFC_STORE_CORRUPT, 2, 0},
    {TL_CBS, "[SR] Repairing corrupted file", NULL, 0,
     TL_EV_SFC_REPAIRED_FILE, 3, 0},
    /* not "[SR] ... have been successfully repaired": SFC writes it at the
     * end of a repair transaction even when it could not fix some files */

    /* Routine noise, claimed before any row could make it an event.  Each
     * needs a reason: a finding must rest on a line that states a result. */
    /* CBS_E_INVALID_PACKAGE / 0x800F080D on Info lines: CBS probes packages
     * named in a transaction that do not apply to this image and logs the
     * answer as Info - thousands of times on a healthy machine */
    {TL_CBS, "800f0805", NULL, TLP_NOT_ERROR, 0, 0, 0},
    {TL_CBS, "800f080d", NULL, TLP_NOT_ERROR, 0, 0, 0},
    /* a client asking for a scan ("Client specifies store corruption detect
     * and repair") and a mention of the report are requests, not results */
    {SV, "store corruption detect", NULL, 0, 0, 0, 0},
    {SV, "corruption status report", NULL, 0, 0, 0, 0},
    /* Disk Cleanup asks DISM to enumerate folders that may not exist
     * ($Windows.~BT, $Windows.~WS): "path not found" means nothing to clean */
    {TL_DISM, "EnumeratePathEx", NULL, 0, 0, 0, 0},

    /* the servicing stack and its sessions: neutral evidence that a log was
     * read (a clean CBS.log is evidence of health) */
    {TL_CBS, "Loaded Servicing Stack v", NULL, 0, TL_EV_SERVICING_STACK, 4, 0},
    {TL_CBS, "Initializing Trusted Installer", NULL, 0, TL_EV_TI_START, 4, 0},
    {TL_DISM, "Starting Dism.exe session", NULL, 0, TL_EV_DISM_SESSION, 4, 0},
    {TL_DISM, "Initialized Panther logging at", NULL, 0, TL_EV_DISM_SESSION, 4, 0},

    /* DISM offline / WinPE servicing: a sharing violation names the real
     * failure; the E_FAIL of "processed the command line but failed" that
     * follows it is only its echo */
    {TL_DISM, "80070020", NULL, 0, TL_EV_DISM_IN_USE, 2, 0x80070020},

    /* DISM runs: before the code rows, so the event says what failed */
    {SV, "Failed to restore the image health", NULL, 0,
     TL_EV_DISM_RESTORE_FAILED, 2, 0},
    {SV, "processed the command line but failed", NULL, 0,
     TL_EV_DISM_FAILED, 2, 0},
    {TL_DISM, "Executing command line:", "Cleanup-Image", 0,
     TL_EV_DISM_RUN, 4, 0},
    /* any other command (/Enable-Feature, /Add-Package, /Apply-Image ...) */
    {TL_DISM, "Executing command line:", NULL, 0, TL_EV_DISM_COMMAND, 4, 0},
    {TL_DISM, "The operation completed successfully", NULL, 0, TL_EV_DISM_OK, 4, 0},
    {TL_ANY, "restore operation completed successfully", NULL, 0,
     TL_EV_DISM_RESTORE_OK, 4, 0},

    /* component store health: scan and repair summaries */
    {SV, "Total Detected Corruption:", NULL, TLP_NONZERO,
     TL_EV_CORRUPTION_FOUND, 2, 0},
    {SV, "Total Detected Corruption:", NULL, 0,
     TL_EV_NO_CORRUPTION, 4, 0},
    {SV, "Total Repaired Corruption:", NULL, TLP_NONZERO,
     TL_EV_CORRUPTION_REPAIRED, 4, 0},
    /* the other summary counters ("CSI Payload Corruption: 0") are no event */
    {SV, "Corruption:", NULL, 0, 0, 0, 0},
    {TL_ANY, "component store corruption was repaired", NULL, 0,
     TL_EV_CORRUPTION_REPAIRED, 4, 0},
    {TL_ANY, "No component store corruption detected", NULL, 0,
     TL_EV_NO_CORRUPTION, 4, 0},
    {SV, "Operation result:", NULL, TLP_NEED_CODE,
     TL_EV_OPERATION_FAILED, 2, 0},

    /* repair source missing */
    {SV, "800f081f", NULL, 0, TL_EV_SOURCE_MISSING, 2, 0x800F081F},
    {TL_ANY, "source files could not be found", NULL, 0,
     TL_EV_SOURCE_MISSING, 2, 0x800F081F},
    {SV, "800f0906", NULL, 0, TL_EV_SOURCE_MISSING, 2, 0x800F0906},

    /* component store corruption */
    {SV, "800f0831", NULL, 0, TL_EV_STORE_CORRUPT, 2, 0x800F0831},
    {SV, "80073712", NULL, 0, TL_EV_STORE_CORRUPT, 2, 0x80073712},
    /* results ("Store corruption, manifest missing for package: ...", the
     * "(f) CBS MUM Missing" lines of a readiness scan); the requests and
     * mentions that hold the same words are claimed above */
    {SV, "Store corruption", NULL, 0, TL_EV_STORE_CORRUPT, 2, 0},
    {SV, "MUM Missing", NULL, 0, TL_EV_STORE_CORRUPT, 2, 0},
    {SV, "Payload Corrupt", NULL, 0, TL_EV_PAYLOAD_CORRUPT, 2, 0},
    {SV, "Manifest Corrupt", NULL, 0, TL_EV_PAYLOAD_CORRUPT, 2, 0},
    {SV, "MUM Corrupt", NULL, 0, TL_EV_PAYLOAD_CORRUPT, 2, 0},
    {SV, "Catalog Corrupt", NULL, 0, TL_EV_PAYLOAD_CORRUPT, 2, 0},
    {SV, "Repair failed: Missing replacement", NULL, 0, TL_EV_PAYLOAD_MISSING, 2, 0},

    /* servicing sessions and any other error with a failure code */
    {SV, "Session:", "failed", 0, TL_EV_SESSION_FAILED, 2, 0},
    {SV, "Session:", NULL, TLP_NEED_CODE, TL_EV_SESSION_ERROR, 2, 0},
    {SV, "Session:", "finalized", 0, TL_EV_SESSION_OK, 4, 0},
    {TL_CBS, "HRESULT", NULL, TLP_NEED_CODE | TLP_LOGGED_ERROR,
     TL_EV_SERVICING_ERROR, 2, 0},
    {TL_DISM, "hr:0x", NULL, TLP_NEED_CODE | TLP_LOGGED_ERROR,
     TL_EV_DISM_ERROR, 2, 0},
    {TL_DISM, "HRESULT", NULL, TLP_NEED_CODE | TLP_LOGGED_ERROR,
     TL_EV_DISM_ERROR, 2, 0},

    /* Windows Update agent: routine noise.  IsCommitRequired asks whether a
     * staged update needs a commit; 0x80246007 (not downloaded) is the
     * answer for every update not staged - at each scan on a healthy PC */
    {WU, "IsCommitRequired", NULL, 0, 0, 0, 0},
    /* expiring a download folder that is already gone: 0x80070002 says
     * there was nothing left to delete */
    {WU, "ResetPendingBlocks", NULL, 0, 0, 0, 0},
    {WU, "failed while expiring", NULL, 0, 0, 0, 0},

    /* Windows Update agent: the Automatic Updates setting, at each start of
     * the service (Windows 7/8.1 agent) */
    {WU, "AU disabled through", NULL, 0, TL_EV_WU_AU_DISABLED, 3, 0},
    {WU, "Approval type:", "Disabled", 0, TL_EV_WU_AU_DISABLED, 3, 0},
    {WU, "Approval type:", NULL, 0, TL_EV_WU_AU_ENABLED, 4, 0},
    {TL_WU7, "Logging initialized", NULL, 0, TL_EV_WU_LOG_START, 4, 0},

    /* Windows Update agent: update attempts and their results (the update
     * is named from the line's update ID or title: textlog_source.c) */
    {WU, "Install complete for update ID", NULL, TLP_NEED_CODE,
     TL_EV_WU_INSTALL_FAILED, 2, 0},
    {WU, "Install complete for update ID", NULL, 0, TL_EV_WU_INSTALL_OK, 4, 0},
    {WU, "Command line install completed", NULL, TLP_NEED_CODE,
     TL_EV_WU_INSTALL_FAILED, 2, 0},
    {WU, "Command line install completed", NULL, 0, TL_EV_WU_INSTALL_OK, 4, 0},
    {WU, "Installation Failure:", NULL, TLP_NEED_CODE, TL_EV_WU_INSTALL_FAILED, 2, 0},
    {WU, "Installation Successful:", NULL, 0, TL_EV_WU_INSTALL_OK, 4, 0},
    {WU, "Installation Started:", NULL, 0, TL_EV_WU_INSTALL_STARTED, 4, 0},
    {WU, "Reboot required = True", NULL, 0, TL_EV_WU_RESTART_REQUIRED, 4, 0},
    {WU, "Restart Required: To complete the installation", NULL, 0,
     TL_EV_WU_RESTART_REQUIRED, 4, 0},
    /* Delivery Optimization / BITS jobs the server refused (HTTP 4xx,
     * BG_E_HTTP_ERROR_*): the server was reached */
    {WU, "403'd", NULL, TLP_NEED_CODE, TL_EV_WU_DOWNLOAD_REFUSED, 3, 0},
    {WU, "DO job", "0x80190", TLP_NEED_CODE, TL_EV_WU_DOWNLOAD_REFUSED, 3, 0},
    /* the old agent's REPORT EVENT for a finished download */
    {WU, "Content Download", "Download succeeded", 0, TL_EV_WU_DOWNLOAD_OK, 4, 0},
    {WU, "occurred while downloading update", NULL, TLP_NEED_CODE,
     TL_EV_WU_DOWNLOAD_FAILED, 2, 0},
    /* a downloaded file failed its signature / hash check: these codes
     * arise only when verifying downloaded content */
    {WU, "80096010", NULL, 0, TL_EV_WU_DOWNLOAD_FAILED, 2, 0x80096010},
    {WU, "80240061", NULL, 0, TL_EV_WU_DOWNLOAD_FAILED, 2, 0x80240061},
    {WU, "Finding updates", "Exit code = 0x", TLP_NEED_CODE, TL_EV_WU_SCAN_FAILED, 2, 0},
    {WU, "categories in search", NULL, 0, TL_EV_WU_SCAN_OK, 4, 0},

    /* Windows Update agent: results of calls */
    {WU, "Exit code = 0x", NULL, TLP_NEED_CODE, TL_EV_WU_EXIT_ERROR, 2, 0},
    {WU, "Exit code = 0x", NULL, 0, TL_EV_WU_EXIT_OK, 4, 0},
    {WU, "Failed to synchronize", NULL, TLP_NEED_CODE, TL_EV_WU_SYNC_FAILED, 2, 0},
    {WU, "Failed to find updates", NULL, TLP_NEED_CODE, TL_EV_WU_SYNC_FAILED, 2, 0},

    /* Windows Update agent: proxy and server endpoints */
    {WU, "Proxy List used", NULL, TLP_NEED_CODE, TL_EV_WU_PROXY_FAILED, 3, 0},
    {WU, "SendRequestUsingProxy failed", NULL, 0, TL_EV_WU_PROXY_FAILED, 3, 0},
    {WU, "error communicating with the endpoint", NULL, 0,
     TL_EV_WU_ENDPOINT_ERROR, 3, 0},
    {WU, "WSUS server:", NULL, TLP_NEED_URL, TL_EV_WU_WSUS_SERVER, 4, 0},
    {WU, "Server URL", "update.microsoft.com", TLP_NEED_URL,
     TL_EV_WU_ENDPOINT_MS, 4, 0},
    {WU, "Server URL", "windowsupdate.com", TLP_NEED_URL,
     TL_EV_WU_ENDPOINT_MS, 4, 0},
    {WU, "Server URL", "delivery.mp.microsoft.com", TLP_NEED_URL,
     TL_EV_WU_ENDPOINT_MS, 4, 0},
    {WU, "Server URL", NULL, TLP_NEED_URL, TL_EV_WU_ENDPOINT_WSUS, 4, 0},

    /* Windows Update agent: any other error */
    {WU, "FATAL:", NULL, 0, TL_EV_WU_FATAL, 2, 0},
    {WU, "*FAILED*", NULL, TLP_NEED_CODE, TL_EV_WU_FAILED, 2, 0},
    {WU, "WARNING:", NULL, TLP_NEED_CODE, TL_EV_WU_WARNING, 3, 0},
    {WU, "failed", NULL, TLP_NEED_CODE, TL_EV_WU_ERROR, 0, 0},
    {WU, "error", NULL, TLP_NEED_CODE, TL_EV_WU_ERROR, 0, 0},
};
const size_t tl_patterns_len = COUNT(tl_patterns);

#undef SV
#undef WU

/* ---- small text helpers ------------------------------------------------------ */

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Case-insensitive search of needle (ASCII) in s[0..n); offset or -1. */
static long ci_find(const char *s, size_t n, const char *needle)
{
    const char *p = mem_find_ci(s, n, needle);
    return p ? (long)(p - s) : -1;
}

static int is_alnum(int c)
{
    return isalnum(c) != 0;
}

/* The word ending just before position i (after blanks) is w. */
static int word_before(const char *s, size_t i, const char *w)
{
    size_t m = strlen(w);
    while (i > 0 && (s[i - 1] == ' ' || s[i - 1] == '\t'))
        i--;
    if (i < m)
        return 0;
    for (size_t k = 0; k < m; k++)
        if (lower((unsigned char)s[i - m + k]) != w[k])
            return 0;
    return i == m || !is_alnum((unsigned char)s[i - m - 1]);
}

int textlog_find_code(const char *s, size_t n, uint32_t *code)
{
    size_t i = 0;

    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (!is_alnum(c)) {
            i++;
            continue;
        }
        /* the start of an alphanumeric word */
        size_t p = i;
        int prefixed = 0;
        if (c == '0' && i + 1 < n && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
            p = i + 2;
            prefixed = 1;
        }
        size_t q = p;
        while (q < n && isxdigit((unsigned char)s[q]))
            q++;
        int whole = q == n || !is_alnum((unsigned char)s[q]);
        if (q - p == 8 && whole) {
            int ok = prefixed;
            if (!ok) {
                /* a bare code only after '=', '[', ':' or "code"/"error",
                 * never inside a GUID */
                size_t b = i;
                while (b > 0 && (s[b - 1] == ' ' || s[b - 1] == '\t'))
                    b--;
                char prev = b > 0 ? s[b - 1] : '\0';
                ok = (prev == '=' || prev == '[' || prev == ':' ||
                      word_before(s, i, "code") || word_before(s, i, "error")) &&
                     !(q < n && s[q] == '-');
            }
            if (ok) {
                uint32_t v = 0;
                for (size_t k = p; k < q; k++) {
                    int d = (unsigned char)s[k];
                    v = v << 4 | (uint32_t)(d <= '9' ? d - '0' : lower(d) - 'a' + 10);
                }
                if (v & 0x80000000u) {
                    *code = v;
                    return 1;
                }
            }
        }
        /* skip the rest of the word */
        while (i < n && is_alnum((unsigned char)s[i]))
            i++;
    }
    return 0;
}

/*
 * The first number after the text at s[0..n) is > 0; or, in the one-line
 * summary of older builds ("(CBS Manifest Corruption: 0, ..., CSI Payload
 * Corruption: 1)"), any counter in the parentheses is.
 */
static int number_after_nonzero(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (i < n && s[i] == '(') {
        for (; i < n && s[i] != ')'; i++) {
            if (s[i] != ':')
                continue;
            size_t j = i + 1;
            while (j < n && (s[j] == ' ' || s[j] == '\t'))
                j++;
            for (; j < n && isdigit((unsigned char)s[j]); j++)
                if (s[j] != '0')
                    return 1;
        }
        return 0;
    }
    while (i < n && !isdigit((unsigned char)s[i])) {
        if (s[i] != ' ' && s[i] != '\t')
            return 0;
        i++;
    }
    for (; i < n && isdigit((unsigned char)s[i]); i++)
        if (s[i] != '0')
            return 1;
    return 0;
}

/* ---- the automaton ------------------------------------------------------------ */

#define MAX_WORDS 4     /* bitset of matched rows: up to 256 rows per format */
/* The automaton holds the first AC_PREFIX bytes of each row's text; a hit
 * on a longer text is confirmed with a plain search.  Short keys keep the
 * overlap of the two interleaved halves of a line (below) small. */
#define AC_PREFIX 12

struct tl_matcher {
    unsigned char cls[256];     /* byte -> class (0: in no pattern) */
    size_t ncls;                /* columns per state */
    uint32_t *delta;            /* next state's row offset << 1 | has output */
    uint64_t *out;              /* per state: rows matched on arriving here */
    size_t nstates, nwords;
    size_t *row;                /* automaton pattern k -> tl_patterns index */
    size_t npat;
    size_t maxlen;              /* longest key in the automaton */
};

void tl_matcher_free(struct tl_matcher *m)
{
    if (!m)
        return;
    free(m->delta);
    free(m->out);
    free(m->row);
    free(m);
}

struct tl_matcher *tl_matcher_new(enum tl_format fmt)
{
    struct tl_matcher *m = calloc(1, sizeof *m);
    int32_t *trie = NULL;
    size_t *fail = NULL, *queue = NULL;
    size_t maxstates = 1, C;

    if (!m)
        return NULL;
    m->row = malloc(tl_patterns_len * sizeof *m->row);
    if (!m->row)
        goto nomem;
    /* rows of this format, and the byte classes of their text */
    for (size_t i = 0; i < tl_patterns_len; i++) {
        const char *f = tl_patterns[i].find;
        if (!(tl_patterns[i].formats & (unsigned)fmt))
            continue;
        m->row[m->npat++] = i;
        size_t len = strlen(f) < AC_PREFIX ? strlen(f) : AC_PREFIX;
        maxstates += len;
        if (len > m->maxlen)
            m->maxlen = len;
        for (const char *e = f + len; f < e; f++) {
            int c = lower((unsigned char)*f);
            if (!m->cls[c]) {
                m->cls[c] = (unsigned char)++m->ncls;
                if (c >= 'a' && c <= 'z')
                    m->cls[c - 32] = m->cls[c];
            }
        }
    }
    m->nwords = (m->npat + 63) / 64;
    if (m->nwords == 0)
        m->nwords = 1;
    if (m->nwords > MAX_WORDS || m->ncls > 254)
        goto nomem;             /* a table this big needs a bigger bitset */
    C = m->ncls + 1;
    m->ncls = C;
    trie = malloc(maxstates * C * sizeof *trie);
    m->out = calloc(maxstates * m->nwords, sizeof *m->out);
    fail = calloc(maxstates, sizeof *fail);
    queue = malloc(maxstates * sizeof *queue);
    if (!trie || !m->out || !fail || !queue)
        goto nomem;
    for (size_t i = 0; i < maxstates * C; i++)
        trie[i] = -1;
    m->nstates = 1;
    for (size_t k = 0; k < m->npat; k++) {
        size_t s = 0;
        const char *f = tl_patterns[m->row[k]].find;
        for (const char *e = f + (strlen(f) < AC_PREFIX ? strlen(f) : AC_PREFIX);
             f < e; f++) {
            size_t c = m->cls[(unsigned char)*f];
            if (trie[s * C + c] < 0)
                trie[s * C + c] = (int32_t)m->nstates++;
            s = (size_t)trie[s * C + c];
        }
        m->out[s * m->nwords + k / 64] |= 1ull << (k % 64);
    }
    /* breadth first: failure links, full transition table, merged outputs */
    size_t head = 0, tail = 0;
    for (size_t c = 0; c < C; c++) {
        if (trie[c] < 0) {
            trie[c] = 0;
        } else {
            fail[trie[c]] = 0;
            queue[tail++] = (size_t)trie[c];
        }
    }
    while (head < tail) {
        size_t r = queue[head++];
        for (size_t w = 0; w < m->nwords; w++)
            m->out[r * m->nwords + w] |= m->out[fail[r] * m->nwords + w];
        for (size_t c = 0; c < C; c++) {
            int32_t u = trie[r * C + c];
            if (u < 0) {
                trie[r * C + c] = trie[fail[r] * C + c];
            } else {
                fail[u] = (size_t)trie[fail[r] * C + c];
                queue[tail++] = (size_t)u;
            }
        }
    }
    m->delta = malloc(m->nstates * C * sizeof *m->delta);
    if (!m->delta)
        goto nomem;
    for (size_t s = 0; s < m->nstates; s++)
        for (size_t c = 0; c < C; c++) {
            size_t t = (size_t)trie[s * C + c];
            int has = 0;
            for (size_t w = 0; w < m->nwords; w++)
                has |= m->out[t * m->nwords + w] != 0;
            m->delta[s * C + c] = (uint32_t)(t * C) << 1 | (uint32_t)has;
        }
    free(trie);
    free(fail);
    free(queue);
    return m;
nomem:
    free(trie);
    free(fail);
    free(queue);
    tl_matcher_free(m);
    return NULL;
}

/* Does the row's conditions hold for this line? */
static int row_holds(const struct tl_pattern *p, const char *s, size_t n,
                     int logged_error, int *code_state, uint32_t *code)
{
    if ((p->flags & TLP_LOGGED_ERROR) && !logged_error)
        return 0;
    if ((p->flags & TLP_NOT_ERROR) && logged_error)
        return 0;
    if (strlen(p->find) > AC_PREFIX && ci_find(s, n, p->find) < 0)
        return 0;
    if (p->also && ci_find(s, n, p->also) < 0)
        return 0;
    if (p->flags & TLP_NEED_CODE) {
        if (*code_state < 0)
            *code_state = textlog_find_code(s, n, code);
        if (!*code_state)
            return 0;
    }
    if ((p->flags & TLP_NEED_URL) && ci_find(s, n, "http://") < 0 &&
        ci_find(s, n, "https://") < 0)
        return 0;
    if (p->flags & TLP_NONZERO) {
        long at = ci_find(s, n, p->find);
        size_t after = (size_t)at + strlen(p->find);
        if (at < 0 || !number_after_nonzero(s + after, n - after))
            return 0;
    }
    return 1;
}

static int match_rows(const struct tl_matcher *m, const char *s, size_t n,
                      int logged_error, const uint64_t *hits, struct tl_match *out);

int tl_match_line(const struct tl_matcher *m, const char *s, size_t n,
                  int logged_error, struct tl_match *out)
{
    const uint32_t *d = m->delta;
    const unsigned char *cls = m->cls;
    const unsigned char *u = (const unsigned char *)s;
    uint64_t hits[MAX_WORDS] = {0};
    uint32_t st[4] = {0, 0, 0, 0};
    size_t from[4], len[4], k, t, K = 1, seg;
    size_t ov = m->maxlen ? m->maxlen - 1 : 0;
    int any = 0;

#define TL_STEP(e, c) do {                                                   \
        (e) = d[((e) >> 1) + cls[c]];                                       \
        if ((e) & 1) {                                                      \
            size_t st_ = ((e) >> 1) / m->ncls;                              \
            for (size_t w_ = 0; w_ < m->nwords; w_++)                       \
                hits[w_] |= m->out[st_ * m->nwords + w_];                   \
            any = 1;                                                        \
        }                                                                   \
    } while (0)

    /*
     * Each step waits for the previous state, so a longer line runs as 2
     * or 4 independent pieces, interleaved.  Every piece but the first
     * starts maxlen - 1 bytes before its share, so a match that ends in its
     * share lies wholly inside its range.
     */
    if (m->maxlen > 0 && n >= 8 * m->maxlen)
        K = 4;
    else if (m->maxlen > 0 && n >= 2 * m->maxlen)
        K = 2;
    seg = n / K;
    for (k = 0; k < K; k++) {
        from[k] = k ? k * seg - ov : 0;
        len[k] = (k == K - 1 ? n : (k + 1) * seg) - from[k];
    }
    /* len[0] is the shortest */
    if (K == 4) {
        for (t = 0; t < len[0]; t++) {
            TL_STEP(st[0], u[from[0] + t]);
            TL_STEP(st[1], u[from[1] + t]);
            TL_STEP(st[2], u[from[2] + t]);
            TL_STEP(st[3], u[from[3] + t]);
        }
    } else if (K == 2) {
        for (t = 0; t < len[0]; t++) {
            TL_STEP(st[0], u[from[0] + t]);
            TL_STEP(st[1], u[from[1] + t]);
        }
    } else {
        for (t = 0; t < len[0]; t++)
            TL_STEP(st[0], u[from[0] + t]);
    }
    for (k = 1; k < K; k++)
        for (t = len[0]; t < len[k]; t++)
            TL_STEP(st[k], u[from[k] + t]);
#undef TL_STEP
    if (!any)
        return 0;
    return match_rows(m, s, n, logged_error, hits, out);
}

int tl_match_hits(const struct tl_matcher *m, const char *s, size_t n,
                  int logged_error, const uint64_t *hits, struct tl_match *out)
{
    return match_rows(m, s, n, logged_error, hits, out);
}

/* The first row, in table order, whose text the line holds (a bit of hits,
 * or of a wider set: row_holds checks the whole text) and whose conditions
 * hold. */
static int match_rows(const struct tl_matcher *m, const char *s, size_t n,
                      int logged_error, const uint64_t *hits, struct tl_match *out)
{
    int code_state = -1;
    uint32_t code = 0;

    for (size_t k = 0; k < m->npat; k++) {
        if (!(hits[k / 64] >> (k % 64) & 1))
            continue;
        const struct tl_pattern *p = &tl_patterns[m->row[k]];
        if (!row_holds(p, s, n, logged_error, &code_state, &code))
            continue;
        if (p->event_id == 0)
            return 0;           /* claimed by an exclusion row */
        if (code_state < 0)
            code_state = textlog_find_code(s, n, &code);
        out->pattern = p;
        out->has_code = code_state > 0 || p->code != 0;
        out->code = code_state > 0 ? code : p->code;
        return 1;
    }
    return 0;
}
