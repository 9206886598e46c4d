/*
 * textlog_source.c - CBS.log, DISM.log and WindowsUpdate.log as a source.
 *
 * One source for the three text formats: the probe recognises the format
 * from the first lines (timestamp layout; DISM.log by its "DISM" component
 * column), the line reader (linereader.c) streams the file in constant
 * memory whatever its size and encoding, and the pattern table
 * (textlog_match.c) decides which lines are events.  Each such line
 * becomes one wu_event:
 *
 *   provider   CBS, DISM or WindowsUpdateAgent-Log
 *   channel    CBS.log, DISM.log or WindowsUpdate.log
 *   event_id   the row's ID (textlog.h)    record_id  the line number
 *   level      the row's, else the log's   time       the line's timestamp
 *   computer   "" (text logs name no host: the import files them under
 *              --host, else "unknown")
 *   data       line (trimmed text), meaning (its label in vocab/semantics.c), hr (failure
 *              code), url, proxy
 *
 * Times: these logs write local time without a zone; wudiag stores them as
 * if they were UTC (so a report shows the clock the log shows).  A line
 * without a timestamp (a continuation, DISM's "[pid] [0x...]" lines) takes
 * the time of the last line that had one.
 *
 * Every line counts as read; a line that is no event goes to the sink's
 * skipped() (unrelated, counted per provider).  Lines cut at the line cap
 * count as damaged.
 */
#include "collector/source.h"
#include "collector/linereader.h"
#include "collector/textlog.h"
#include "collector/osinfo.h"
#include "util/textenc.h"
#include "util/timeutil.h"

#include <stdio.h>
#include <string.h>

#define PROBE_LINES 10      /* non-empty lines of the head the probe looks at */

/* ---- line headers ---------------------------------------------------------- */

struct tl_line {
    int has_time;
    int64_t time_us;
    int logged;             /* CBS/DISM level column: 2, 3, 4; 0 unknown */
    const char *comp;       /* component column, or NULL */
    size_t complen;
    const char *msg;        /* the text after the header */
    size_t msglen;
};

static int dig(char c)
{
    return c >= '0' && c <= '9';
}

static int num(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* "YYYY?MM?DD HH:MM:SS" at s with date separator sep and the given
 * separator between date and time; sets *us (local time taken as UTC). */
static int parse_stamp(const char *s, size_t n, char sep, char mid, int64_t *us)
{
    static const int pos[] = {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18};
    if (n < 19 || s[4] != sep || s[7] != sep || s[10] != mid || s[13] != ':' ||
        s[16] != ':')
        return 0;
    for (size_t i = 0; i < sizeof pos / sizeof pos[0]; i++)
        if (!dig(s[pos[i]]))
            return 0;
    int y = num(s, 4), mo = num(s + 5, 2), d = num(s + 8, 2);
    int h = num(s + 11, 2), mi = num(s + 14, 2), se = num(s + 17, 2);
    if (y < 1601 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
        se > 60)
        return 0;
    *us = ((wu_days_from_civil(y, mo, d) * 86400) + h * 3600 + mi * 60 + se) * WU_SEC_US;
    return 1;
}

static size_t skip_blank(const char *s, size_t n, size_t i)
{
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    return i;
}

static size_t skip_token(const char *s, size_t n, size_t i)
{
    while (i < n && s[i] != ' ' && s[i] != '\t')
        i++;
    return i;
}

/* CBS.log / DISM.log: "2023-05-10 12:34:56, Error    CBS    text" */
static int parse_cbs(const char *s, size_t n, struct tl_line *L)
{
    size_t i, w;
    if (n < 22 || !parse_stamp(s, n, '-', ' ', &L->time_us) || s[19] != ',')
        return 0;
    i = skip_blank(s, n, 20);
    w = skip_token(s, n, i);
    if (w == i)
        return 0;
    L->logged = (w - i == 5 && memcmp(s + i, "Error", 5) == 0)     ? 2
                : (w - i == 7 && memcmp(s + i, "Warning", 7) == 0) ? 3 : 4;
    i = skip_blank(s, n, w);
    w = skip_token(s, n, i);
    L->comp = s + i;
    L->complen = w - i;
    i = skip_blank(s, n, w);
    L->msg = s + i;
    L->msglen = n - i;
    L->has_time = 1;
    return 1;
}

/* Windows 7/8.1: "2017-07-23\t07:25:41:804\t 996\t1234\tAgent\ttext" */
static int parse_wu7(const char *s, size_t n, struct tl_line *L)
{
    size_t i;
    if (n < 24 || !parse_stamp(s, n, '-', '\t', &L->time_us) || s[19] != ':' ||
        !dig(s[20]) || !dig(s[21]) || !dig(s[22]) || s[23] != '\t')
        return 0;
    L->time_us += num(s + 20, 3) * 1000LL;
    i = 24;
    /* pid, tid, component: tab-separated */
    for (int f = 0; f < 3 && i < n; f++) {
        size_t start = i;
        while (i < n && s[i] != '\t')
            i++;
        if (f == 2) {
            L->comp = s + start;
            L->complen = i - start;
        }
        if (i < n)
            i++;
    }
    L->msg = s + i;
    L->msglen = n - i;
    L->has_time = 1;
    return 1;
}

/* Get-WindowsUpdateLog: "2017/07/23 07:25:41.8040000 996   1234  Agent   text" */
static int parse_wu10(const char *s, size_t n, struct tl_line *L)
{
    size_t i = 20, w;
    int64_t frac = 0, scale = 1000000;
    if (n < 22 || !parse_stamp(s, n, '/', ' ', &L->time_us) || s[19] != '.')
        return 0;
    while (i < n && dig(s[i]) && i < 27) {
        scale /= 10;
        frac += (s[i] - '0') * (scale ? scale : 0);
        i++;
    }
    if (i == 20 || i >= n || s[i] != ' ')
        return 0;
    L->time_us += frac;
    i = skip_blank(s, n, i);
    i = skip_blank(s, n, skip_token(s, n, i));      /* pid */
    i = skip_blank(s, n, skip_token(s, n, i));      /* tid */
    w = skip_token(s, n, i);
    L->comp = s + i;
    L->complen = w - i;
    i = skip_blank(s, n, w);
    L->msg = s + i;
    L->msglen = n - i;
    L->has_time = 1;
    return 1;
}

static int parse_header(enum tl_format fmt, const char *s, size_t n,
                        struct tl_line *L)
{
    memset(L, 0, sizeof *L);
    switch (fmt) {
    case TL_CBS: case TL_DISM:
        if (parse_cbs(s, n, L))
            return 1;
        break;
    case TL_WU7:
        if (parse_wu7(s, n, L))
            return 1;
        break;
    case TL_WU10:
        if (parse_wu10(s, n, L))
            return 1;
        break;
    default:
        break;
    }
    memset(L, 0, sizeof *L);
    L->msg = s;
    L->msglen = n;
    return 0;
}

/* ---- detection ------------------------------------------------------------ */

/*
 * The format of a head: the first timestamped line among the first
 * PROBE_LINES non-empty ones decides; CBS-style lines whose component
 * column says DISM mostly make it DISM.log.
 */
static enum tl_format detect_format(const unsigned char *h, size_t n)
{
    char text[SOURCE_HEAD + 1];
    size_t bom, len = 0, i;
    enum textenc enc = textenc_detect(h, n, &bom);
    enum tl_format fmt = TL_NONE;
    int lines = 0, dism = 0, other = 0;

    /* an ASCII view of the head is enough to see the layout */
    if (textenc_is_utf16(enc)) {
        for (i = bom; i + 1 < n && len < SOURCE_HEAD; i += 2) {
            unsigned u = textenc_utf16_unit(h + i, enc == TEXTENC_UTF16BE);
            text[len++] = u < 0x80 ? (char)u : '?';
        }
    } else {
        for (i = bom; i < n && len < SOURCE_HEAD; i++)
            text[len++] = (char)h[i];
    }
    for (i = 0; i < len && lines < PROBE_LINES;) {
        const char *s = text + i;
        const char *nl = memchr(s, '\n', len - i);
        size_t ll = nl ? (size_t)(nl - s) : len - i;
        struct tl_line L;

        i += ll + 1;
        if (ll > 0 && s[ll - 1] == '\r')
            ll--;
        if (ll == 0)
            continue;
        lines++;
        if (memchr(s, '\0', ll))
            return TL_NONE;         /* binary, or a wrong guess of encoding */
        if (fmt == TL_NONE || fmt == TL_CBS) {
            if (parse_cbs(s, ll, &L)) {
                fmt = TL_CBS;
                if (L.complen == 4 && memcmp(L.comp, "DISM", 4) == 0)
                    dism++;
                else
                    other++;
                continue;
            }
        }
        if (fmt != TL_NONE)
            continue;
        if (parse_wu7(s, ll, &L))
            return TL_WU7;
        if (parse_wu10(s, ll, &L))
            return TL_WU10;
    }
    if (fmt == TL_CBS && dism > other)
        return TL_DISM;
    return fmt;
}

static int textlog_probe(const unsigned char *head, size_t n)
{
    return detect_format(head, n) != TL_NONE;
}

/* ---- events --------------------------------------------------------------- */

static const char *channel_of(enum tl_format f)
{
    switch (f) {
    case TL_CBS: return "CBS.log";
    case TL_DISM: return "DISM.log";
    default: return "WindowsUpdate.log";
    }
}

static const char *provider_of(enum tl_format f)
{
    switch (f) {
    case TL_CBS: return TL_PROVIDER_CBS;
    case TL_DISM: return TL_PROVIDER_DISM;
    default: return TL_PROVIDER_WU;
    }
}

/* Case-sensitive search in a counted string. */
static const char *find_in(const char *s, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    for (size_t i = 0; m <= n && i + m <= n; i++)
        if (s[i] == needle[0] && memcmp(s + i, needle, m) == 0)
            return s + i;
    return NULL;
}

/* The first http(s) URL in s into out ("" when none). */
static void extract_url(const char *s, size_t n, char *out, size_t outlen)
{
    const char *p = find_in(s, n, "http://");
    const char *q = find_in(s, n, "https://");
    size_t k = 0;

    if (!p || (q && q < p))
        p = q;
    if (!p) {
        p = find_in(s, n, "HTTP://");
        if (!p)
            p = find_in(s, n, "HTTPS://");
    }
    out[0] = '\0';
    if (!p)
        return;
    while (p + k < s + n && k + 1 < outlen && !strchr(" \t'\"<>()[]{},", p[k]))
        k++;
    while (k > 0 && (p[k - 1] == '.' || p[k - 1] == ';' || p[k - 1] == ':'))
        k--;
    memcpy(out, p, k);
    out[k] = '\0';
}

/* "Proxy List used: <proxy:8080>" (not "(null)") into out. */
static void extract_proxy(const char *s, size_t n, char *out, size_t outlen)
{
    const char *p = find_in(s, n, "Proxy List used: <");
    size_t k = 0;

    out[0] = '\0';
    if (!p)
        return;
    p += strlen("Proxy List used: <");
    while (p + k < s + n && p[k] != '>' && k + 1 < outlen)
        k++;
    if (k == 0 || (k == 6 && memcmp(p, "(null)", 6) == 0))
        return;
    memcpy(out, p, k);
    out[k] = '\0';
}

/* Level of a WindowsUpdate.log line from its own markers. */
static int wu_level(const char *s, size_t n)
{
    if (find_in(s, n, "FATAL") || find_in(s, n, "*FAILED*"))
        return 2;
    return 3;                   /* rows without a level name a failure code */
}

struct tl_reader {
    enum tl_format fmt;
    const struct source_sink *sink;
    struct wu_stats *stats;
    const char *provider;
    int want;
    int64_t last_time;
    int have_time;
    struct wu_os_clue os;       /* the OS evidence delivered so far */
};

/* A line that is no event; non-zero when the sink stops. */
static int skip(struct tl_reader *r)
{
    if (r->sink->skipped)
        return r->sink->skipped(r->sink->ctx, r->provider);
    r->stats->unrelated++;
    return 0;
}

/* Deliver one matched line; non-zero when the sink stops. */
static int deliver(struct tl_reader *r, long lineno, char *line, size_t len,
                   const struct tl_line *L, const struct tl_match *mt)
{
    const struct tl_pattern *p = mt->pattern;
    struct wu_event ev;
    char hr[16], url[512], proxy[256];
    const struct ev_meaning *mn;

    if (!r->want)
        return skip(r);
    /* the stored text: NULs from a damaged file become blanks; trimmed */
    for (size_t i = 0; i < len; i++)
        if (line[i] == '\0')
            line[i] = ' ';
    while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t'))
        line[--len] = '\0';
    while (len > 0 && (*line == ' ' || *line == '\t')) {
        line++;
        len--;
    }
    memset(&ev, 0, sizeof ev);
    ev.channel = channel_of(r->fmt);
    ev.provider = provider_of(r->fmt);
    ev.computer = "";
    ev.event_id = p->event_id;
    if (p->level)
        ev.level = p->level;
    else if (r->fmt & TL_WU)
        ev.level = wu_level(L->msg, L->msglen);
    else
        ev.level = L->logged ? L->logged : 4;
    ev.time_us = L->has_time ? L->time_us : r->last_time;
    ev.record_id = lineno;
    ev.data[ev.ndata].name = "line";
    ev.data[ev.ndata++].value = line;
    mn = ev_meaning_find(ev_family_of(ev.provider), p->event_id);
    ev.data[ev.ndata].name = "meaning";
    ev.data[ev.ndata++].value = mn ? mn->label : "";
    if (mt->has_code) {
        snprintf(hr, sizeof hr, "0x%08X", (unsigned)mt->code);
        ev.data[ev.ndata].name = "hr";
        ev.data[ev.ndata++].value = hr;
    }
    extract_url(line, len, url, sizeof url);
    if (url[0]) {
        ev.data[ev.ndata].name = "url";
        ev.data[ev.ndata++].value = url;
    }
    extract_proxy(line, len, proxy, sizeof proxy);
    if (proxy[0]) {
        ev.data[ev.ndata].name = "proxy";
        ev.data[ev.ndata++].value = proxy;
    }
    return r->sink->event(r->sink->ctx, &ev);
}

/* A line naming the OS (collector/osinfo.c) with something new in it, as a
 * TL_EV_OS_INFO event; 0 when the line names nothing new. */
static int os_line(struct tl_reader *r, long lineno, const struct tl_line *L, int *stop)
{
    struct wu_os_clue c;
    struct wu_event ev;
    char fmt[8], line[512];
    int fresh = 0;

    if (!wu_os_clue_of_line(r->fmt, L->msg, L->msglen, &c))
        return 0;
#define FRESH(f) if (c.f[0] && strcmp(c.f, r->os.f) != 0) { fresh = 1; memcpy(r->os.f, c.f, sizeof c.f); }
    FRESH(version) FRESH(base) FRESH(type) FRESH(lang) FRESH(sp)
#undef FRESH
    if (!fresh)
        return 0;
    memset(&ev, 0, sizeof ev);
    ev.channel = channel_of(r->fmt);
    ev.provider = provider_of(r->fmt);
    ev.computer = "";
    ev.event_id = TL_EV_OS_INFO;
    ev.level = 4;
    ev.time_us = L->has_time ? L->time_us : r->last_time;
    ev.record_id = lineno;
    snprintf(line, sizeof line, "%.*s", (int)(L->msglen < 511 ? L->msglen : 511), L->msg);
    snprintf(fmt, sizeof fmt, "%d", (int)r->fmt);
    ev.data[ev.ndata].name = "line";
    ev.data[ev.ndata++].value = line;
    ev.data[ev.ndata].name = "format";
    ev.data[ev.ndata++].value = fmt;
    *stop = r->sink->event(r->sink->ctx, &ev) != 0;
    return 1;
}

static int textlog_read(const char *path, FILE *fp, const unsigned char *head,
                        size_t n, const struct source_sink *sink,
                        struct wu_stats *stats, char *err, size_t errlen)
{
    struct tl_reader r;
    struct tl_matcher *m = NULL;
    struct linereader *lr = NULL;
    char *line;
    size_t len;
    int rc, status = SRC_OK;

    (void)path;
    memset(&r, 0, sizeof r);
    r.fmt = detect_format(head, n);
    r.sink = sink;
    r.stats = stats;
    if (r.fmt == TL_NONE) {
        snprintf(err, errlen, "not a CBS.log, DISM.log or WindowsUpdate.log");
        return SRC_BAD;
    }
    r.provider = provider_of(r.fmt);
    r.want = !sink->want_provider || sink->want_provider(sink->ctx, r.provider);
    if (!(m = tl_matcher_new(r.fmt)) || !(lr = lr_open(fp, head, n, LR_MAX_LINE))) {
        status = SRC_NOMEM;
        goto cleanup;
    }
    while ((rc = lr_next(lr, &line, &len)) == 1) {
        struct tl_line L;
        struct tl_match mt;
        char *s = line;

        stats->read++;
        while (len > 0 && *s == '\0') {     /* zero fill left by a crash */
            s++;
            len--;
        }
        parse_header(r.fmt, s, len, &L);
        if (L.has_time) {
            r.last_time = L.time_us;
            r.have_time = 1;
        }
        /* an event needs a time: its own or an earlier line's */
        int event = tl_match_line(m, L.msg, L.msglen, L.logged == 2, &mt) &&
                    (L.has_time || r.have_time);
        int stop = 0;
        if (!event && r.want && (L.has_time || r.have_time) &&
            os_line(&r, lr_line_number(lr), &L, &stop)) {
            if (stop) {
                status = SRC_STOPPED;
                goto cleanup;
            }
            continue;
        }
        if (event ? deliver(&r, lr_line_number(lr), s, len, &L, &mt) : skip(&r)) {
            status = SRC_STOPPED;
            goto cleanup;
        }
    }
    if (rc < 0) {
        snprintf(err, errlen, "read error after %ld lines; kept the events before it",
                 stats->read);
        stats->damaged++;
        status = stats->read ? SRC_PARTIAL : SRC_BAD;
    } else if (lr_truncated(lr) > 0) {
        stats->damaged += lr_truncated(lr);
        snprintf(err, errlen, "%ld line%s longer than %d KiB cut to that length "
                 "(%s)", lr_truncated(lr), lr_truncated(lr) == 1 ? "" : "s",
                 LR_MAX_LINE / 1024, textenc_name(lr_encoding(lr)));
        status = SRC_PARTIAL;
    }
cleanup:
    lr_close(lr);
    tl_matcher_free(m);
    return status;
}

const struct wu_source textlog_source = {"textlog", textlog_probe, textlog_read};
