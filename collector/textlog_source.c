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
 * Times: these logs write local time without a zone.  When the log states
 * its offset (the old agent's "tz: +0530" header, CBS's "Universal Time
 * is: ..." line) the times are converted to UTC at import (a statement in
 * the first TL_LOOKAHEAD bytes also covers the lines before it); otherwise they are stored as
 * read, and the coverage detail says "times are local, no offset stated"
 * (so every report format shows it).  Titles of updates named by ID come
 * from earlier lines (learn_title).  A line
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
#include "util/keyset.h"
#include "util/memfind.h"
#include "util/textenc.h"
#include "util/timeutil.h"
#include "vocab/model.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROBE_LINES 10      /* non-empty lines of the head the probe looks at */
/* Bytes read ahead for a statement of the log's UTC offset (CBS writes its
 * "Universal Time is" some 40 lines in): the lines before it get it too */
#define TL_LOOKAHEAD (64 * 1024)

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

/* The last date parse_stamp read (lines of a log mostly share their
 * date): its 10 bytes and its day in microseconds. */
struct stamp_memo {
    int valid;
    char date[10];
    int64_t day_us;
};

/* "YYYY?MM?DD HH:MM:SS" at s with date separator sep and the given
 * separator between date and time; sets *us (local time taken as UTC).
 * memo (or NULL) remembers the date between calls. */
static int parse_stamp(const char *s, size_t n, char sep, char mid, int64_t *us,
                       struct stamp_memo *memo)
{
    static const int pos[] = {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18};
    size_t from = 0;
    int64_t day_us;
    if (n < 19 || s[4] != sep || s[7] != sep || s[10] != mid || s[13] != ':' ||
        s[16] != ':')
        return 0;
    if (memo && memo->valid && memcmp(s, memo->date, 10) == 0)
        from = 8;               /* the date is the last one's: check the time */
    for (size_t i = from; i < sizeof pos / sizeof pos[0]; i++)
        if (!dig(s[pos[i]]))
            return 0;
    int h = num(s + 11, 2), mi = num(s + 14, 2), se = num(s + 17, 2);
    if (from) {
        if (h > 23 || mi > 59 || se > 60)
            return 0;
        day_us = memo->day_us;
    } else {
        int y = num(s, 4), mo = num(s + 5, 2), d = num(s + 8, 2);
        if (y < 1601 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
            se > 60)
            return 0;
        day_us = wu_days_from_civil(y, mo, d) * 86400 * WU_SEC_US;
        if (memo) {
            memcpy(memo->date, s, 10);
            memo->day_us = day_us;
            memo->valid = 1;
        }
    }
    *us = day_us + (h * 3600 + mi * 60 + se) * WU_SEC_US;
    return 1;
}

static size_t skip_blank(const char *s, size_t n, size_t i)
{
    /* CBS.log pads its level column with up to 18 blanks: 8 at a time */
    while (i + 8 <= n && memcmp(s + i, "        ", 8) == 0)
        i += 8;
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
static int parse_cbs(const char *s, size_t n, struct tl_line *L, struct stamp_memo *memo)
{
    size_t i, w;
    if (n < 22 || !parse_stamp(s, n, '-', ' ', &L->time_us, memo) || s[19] != ',')
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
static int parse_wu7(const char *s, size_t n, struct tl_line *L, struct stamp_memo *memo)
{
    size_t i;
    if (n < 24 || !parse_stamp(s, n, '-', '\t', &L->time_us, memo) || s[19] != ':' ||
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

/* Get-WindowsUpdateLog: "2017/07/23 07:25:41.8040000 996   1234  Agent   text",
 * or with ISO dates "2020-09-20 12:48:04.6269606 ..." (the date follows
 * the culture the cmdlet ran under; the fraction tells it from CBS.log) */
static int parse_wu10(const char *s, size_t n, struct tl_line *L, struct stamp_memo *memo)
{
    size_t i = 20, w;
    int64_t frac = 0, scale = 1000000;
    if (n < 22 || s[19] != '.' ||
        !(parse_stamp(s, n, '/', ' ', &L->time_us, memo) ||
          parse_stamp(s, n, '-', ' ', &L->time_us, memo)))
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
                        struct tl_line *L, struct stamp_memo *memo)
{
    memset(L, 0, sizeof *L);
    switch (fmt) {
    case TL_CBS: case TL_DISM:
        if (parse_cbs(s, n, L, memo))
            return 1;
        break;
    case TL_WU7:
        if (parse_wu7(s, n, L, memo))
            return 1;
        break;
    case TL_WU10:
        if (parse_wu10(s, n, L, memo))
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
            if (parse_cbs(s, ll, &L, NULL)) {
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
        if (parse_wu7(s, ll, &L, NULL))
            return TL_WU7;
        if (parse_wu10(s, ll, &L, NULL))
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
    return mem_find(s, n, needle);
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

/* ---- the update a line is about ---------------------------------------------- */

/*
 * Result lines of the Windows 10+ agent name an update by its ID ("Install
 * complete for update ID: AD27E52B-....1 Return code is 0x80070002"); the
 * title is on earlier lines.  The reader remembers the last TL_TITLES
 * ID -> title pairs it saw, from the lines below, so that a result event
 * carries the update's title (updateTitle, and its KB through the import
 * filter) as event-log events do.
 */
#define TL_TITLES 64
#define TL_ID_LEN 48
#define TL_TITLE_LEN 256

struct tl_title {
    char id[TL_ID_LEN];
    char title[TL_TITLE_LEN];
};

/* Lines that pair a title with an update ID: the title follows title_at
 * up to title_end; the ID follows id_at.  Data, in the order tried. */
static const struct {
    const char *title_at, *title_end, *id_at;
} title_lines[] = {
    /* ComApi: "Title=Windows 11, version 24H2, ProductName=..., UpdateId=AD27...1, ..." */
    {"Title=", ", ProductName=", "UpdateId="},
    /* ComApi: "Deserialized installable update Windows 11, version 24H2, UpdateID = {AD27...1}" */
    {"installable update ", ", UpdateID = ", ", UpdateID = "},
    /* ComApi: "Successfully accepted EULA for update: AD27...1, title: Windows 11, version 24H2, eulaID: ..." */
    {", title: ", ", eulaID", "EULA for update: "},
};

/* Where a result line names its update: an ID after one of these. */
static const char *const id_markers[] = {
    "for update ID: ", "updateId = ", "UpdateId=", "UpdateID = ", "Update ID = ",
    "update id ",
};

/* Where an old-agent result names its title: after the marker's ": ". */
static const char *const title_markers[] = {
    "the following update: ",          /* Installation Successful / Started */
    "the following update with error ",/* Installation Failure: ... 0x...: Title */
};

struct tl_reader {
    enum tl_format fmt;
    const struct source_sink *sink;
    struct wu_stats *stats;
    const char *provider;
    int want;
    int64_t last_time;
    int have_time;
    struct wu_os_clue os;       /* the OS evidence delivered so far */
    /* the log's own statement of its UTC offset, applied at import */
    int have_offset;
    int64_t offset_us;          /* local - UTC */
    int offset_seen;            /* an offset was stated somewhere */
    struct tl_title titles[TL_TITLES];
    size_t ntitles, next_title;
    /* the title of the update the deployment engine works on now
     * ("Deployment  Title = ..."), for a result line that names none */
    char deploying[TL_TITLE_LEN];
};

/* A line that is no event; non-zero when the sink stops. */
static int skip(struct tl_reader *r)
{
    if (r->sink->skipped)
        return r->sink->skipped(r->sink->ctx, r->provider);
    r->stats->unrelated++;
    return 0;
}

/* Copy s[0..n) without surrounding blanks, braces and a trailing dot. */
static void copy_trim(char *out, size_t outlen, const char *s, size_t n)
{
    while (n > 0 && (*s == ' ' || *s == '{'))
        s++, n--;
    while (n > 0 && strchr(" \t.}\r", s[n - 1]))
        n--;
    if (n >= outlen)
        n = outlen - 1;
    memcpy(out, s, n);
    out[n] = '\0';
}

/* The update ID at s (hex digits, dashes, ".revision"), its length. */
static size_t id_span(const char *s, size_t n)
{
    size_t k = 0;
    if (k < n && s[k] == '{')
        k++;
    while (k < n && (isxdigit((unsigned char)s[k]) || s[k] == '-' || s[k] == '.' ||
                     s[k] == '}'))
        k++;
    return k;
}

static int id_equal(const char *a, const char *b)
{
    /* IDs are logged in either case, with or without ".1" */
    size_t i = 0;
    for (; a[i] && b[i] && a[i] != '.' && b[i] != '.'; i++)
        if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]))
            return 0;
    return (a[i] == '\0' || a[i] == '.') && (b[i] == '\0' || b[i] == '.') && i >= 8;
}

/* Remember a title the line pairs with an update ID. */
static void learn_title(struct tl_reader *r, const struct tl_line *L)
{
    const char *s = L->msg;
    size_t n = L->msglen;

    if (L->complen == 10 && memcmp(L->comp, "Deployment", 10) == 0 &&
        n > 8 && memcmp(s, "Title = ", 8) == 0) {
        copy_trim(r->deploying, sizeof r->deploying, s + 8, n - 8);
        return;
    }
    for (size_t k = 0; k < sizeof title_lines / sizeof title_lines[0]; k++) {
        const char *t = find_in(s, n, title_lines[k].title_at);
        const char *e, *id;
        if (!t)
            continue;
        t += strlen(title_lines[k].title_at);
        e = find_in(t, (size_t)(s + n - t), title_lines[k].title_end);
        id = find_in(s, n, title_lines[k].id_at);
        if (!e || !id || e == t)
            continue;
        id += strlen(title_lines[k].id_at);
        size_t il = id_span(id, (size_t)(s + n - id));
        if (il < 8)
            continue;
        struct tl_title *slot = NULL, tmp;
        copy_trim(tmp.id, sizeof tmp.id, id, il);
        copy_trim(tmp.title, sizeof tmp.title, t, (size_t)(e - t));
        for (size_t i = 0; i < r->ntitles && !slot; i++)
            if (id_equal(r->titles[i].id, tmp.id))
                slot = &r->titles[i];
        if (!slot) {
            slot = &r->titles[r->next_title];
            r->next_title = (r->next_title + 1) % TL_TITLES;
            if (r->ntitles < TL_TITLES)
                r->ntitles++;
        }
        *slot = tmp;
        return;
    }
}

/*
 * The update a result line names: *id gets its ID when it has one, *title
 * its title (the line's own, else the one remembered for the ID).
 */
static void update_of(const struct tl_reader *r, const char *s, size_t n,
                      char *id, size_t idlen, char *title, size_t titlelen)
{
    id[0] = title[0] = '\0';
    for (size_t k = 0; k < sizeof title_markers / sizeof title_markers[0]; k++) {
        const char *t = find_in(s, n, title_markers[k]);
        if (!t)
            continue;
        t += strlen(title_markers[k]);
        const char *c = find_in(t, (size_t)(s + n - t), ": ");
        if (k == 1 && c)
            t = c + 2;
        const char *e = s + n;
        copy_trim(title, titlelen, t, (size_t)(e - t));
        break;
    }
    for (size_t k = 0; k < sizeof id_markers / sizeof id_markers[0] && !id[0]; k++) {
        const char *p = find_in(s, n, id_markers[k]);
        if (!p)
            continue;
        p += strlen(id_markers[k]);
        size_t il = id_span(p, (size_t)(s + n - p));
        if (il >= 8)
            copy_trim(id, idlen, p, il);
    }
    if (id[0] && !title[0])
        for (size_t i = 0; i < r->ntitles; i++)
            if (id_equal(r->titles[i].id, id)) {
                snprintf(title, titlelen, "%s", r->titles[i].title);
                break;
            }
    if (!id[0] && !title[0])
        snprintf(title, titlelen, "%s", r->deploying);
}

/* ---- the offset a log states ------------------------------------------------ */

/* "+0530" / "-0800" at s: minutes east of UTC into *min. */
static int parse_hhmm(const char *s, size_t n, int *min)
{
    if (n < 5 || (s[0] != '+' && s[0] != '-') || !dig(s[1]) || !dig(s[2]) ||
        !dig(s[3]) || !dig(s[4]))
        return 0;
    int h = num(s + 1, 2), m = num(s + 3, 2);
    if (h > 14 || m > 59)
        return 0;
    *min = (s[0] == '-' ? -1 : 1) * (h * 60 + m);
    return 1;
}

/*
 * A line that states the log's UTC offset: the old agent's "Logging
 * initialized (build: ..., tz: +0530)", CBS's "Universal Time is:
 * 2015-02-24 02:47:28.286" next to the line's local stamp.  Sets *off_us
 * (local - UTC, rounded to a quarter hour) and returns 1.
 */
static int stated_offset(const struct tl_line *L, int64_t *off_us)
{
    const char *p;
    int min;
    if ((p = find_in(L->msg, L->msglen, "tz: ")) != NULL &&
        parse_hhmm(p + 4, (size_t)(L->msg + L->msglen - p - 4), &min)) {
        *off_us = (int64_t)min * 60 * WU_SEC_US;
        return 1;
    }
    if (L->has_time && (p = find_in(L->msg, L->msglen, "Universal Time is: ")) != NULL) {
        int64_t utc;
        p += strlen("Universal Time is: ");
        if (!parse_stamp(p, (size_t)(L->msg + L->msglen - p), '-', ' ', &utc, NULL))
            return 0;
        int64_t q = 15 * 60 * WU_SEC_US, d = L->time_us - utc;
        d = (d >= 0 ? d + q / 2 : d - q / 2) / q * q;
        if (d > 14 * 3600 * WU_SEC_US || d < -14 * 3600 * WU_SEC_US)
            return 0;
        *off_us = d;
        return 1;
    }
    return 0;
}

/*
 * The first offset the start of the log states (h[0..n): the probe's head
 * and the look-ahead read after it), for the lines before that statement.
 * 0, or -1 on out of memory.
 */
static int head_offset(struct tl_reader *r, const unsigned char *h, size_t n)
{
    size_t bom, len = 0, i;
    enum textenc enc = textenc_detect(h, n, &bom);
    char *text = malloc(n + 1);

    if (!text)
        return -1;
    /* an ASCII view is enough for the statements looked for */
    if (textenc_is_utf16(enc)) {
        for (i = bom; i + 1 < n; i += 2) {
            unsigned u = textenc_utf16_unit(h + i, enc == TEXTENC_UTF16BE);
            text[len++] = u < 0x80 ? (char)u : '?';
        }
    } else {
        for (i = bom; i < n; i++)
            text[len++] = (char)h[i];
    }
    for (i = 0; i < len;) {
        const char *s = text + i;
        const char *nl = memchr(s, '\n', len - i);
        size_t ll = nl ? (size_t)(nl - s) : len - i;
        struct tl_line L;
        if (!nl)
            break;              /* a cut last line */
        i += ll + 1;
        if (ll > 0 && s[ll - 1] == '\r')
            ll--;
        parse_header(r->fmt, s, ll, &L, NULL);
        if (stated_offset(&L, &r->offset_us)) {
            r->have_offset = r->offset_seen = 1;
            break;
        }
    }
    free(text);
    return 0;
}

/* Deliver one matched line; non-zero when the sink stops. */
static int deliver(struct tl_reader *r, long lineno, char *line, size_t len,
                   const struct tl_line *L, const struct tl_match *mt)
{
    const struct tl_pattern *p = mt->pattern;
    struct wu_event ev;
    char hr[16], url[512], proxy[256], uid[TL_ID_LEN], title[TL_TITLE_LEN];
    const struct ev_meaning *mn;
    enum ev_kind kind;

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
    if (r->have_offset)
        ev.time_us -= r->offset_us;     /* stored as UTC */
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
    /* an update attempt names its update, as event-log events do */
    ev_classify(ev.provider, p->event_id, ev.level, &kind, NULL);
    if (kind == EK_INSTALL || kind == EK_DOWNLOAD || kind == EK_RESTART_REQUIRED ||
        (kind == EK_AGENT && p->event_id == TL_EV_WU_DOWNLOAD_REFUSED)) {
        update_of(r, L->msg, L->msglen, uid, sizeof uid, title, sizeof title);
        if (uid[0]) {
            ev.data[ev.ndata].name = "updateGuid";
            ev.data[ev.ndata++].value = uid;
        }
        if (title[0] || uid[0]) {
            ev.data[ev.ndata].name = "updateTitle";
            ev.data[ev.ndata++].value = title[0] ? title : uid;
        }
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
static int os_line(struct tl_reader *r, long lineno, const struct tl_line *L, int event,
                   int *stop)
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
    if (event) {                /* the line is counted as its event */
        ev.data[ev.ndata].name = "uncounted";
        ev.data[ev.ndata++].value = "1";
    }
    *stop = r->sink->event(r->sink->ctx, &ev) != 0;
    return 1;
}

/* ---- the gate ------------------------------------------------------------- */

/*
 * The keys a line's message must hold for anything below to look at it
 * beyond its header, in groups: the pattern rows of the format (G_ROW:
 * tl_match_line), the statements of a UTC offset (G_OFFSET:
 * stated_offset), the OS lines (G_OS: wu_os_clue_of_line in
 * collector/osinfo.c - keep the G_OS rows in step with it; test_textlog
 * checks each) and the title lines of WU10 (G_TITLE: learn_title, with
 * title_lines[]).  Each of those looks only at a line holding a key of its
 * group, and a line holding none is counted and skipped at the cost of one
 * keyset scan.
 */
enum { G_ROW = 1, G_OFFSET = 2, G_OS = 4, G_TITLE = 8 };

static const struct { unsigned formats, group; const char *key; } gate_keys[] = {
    {TL_ANY, G_OFFSET, "tz: +"}, {TL_ANY, G_OFFSET, "tz: -"},
    {TL_ANY, G_OFFSET, "Universal Time is: "},
    {TL_CBS, G_OS, "Loaded Servicing Stack v"},
    {TL_DISM, G_OS, "Host machine information: OS Version="},
    {TL_WU7, G_OS, "OS Version = "},
    {TL_WU, G_OS, "WU client version "},
    {TL_WU10, G_OS, "OSVersion="}, {TL_WU10, G_OS, "OSUILocale="},
    {TL_WU10, G_OS, "InstallationType="}, {TL_WU10, G_OS, "DeviceFamily=Windows.Server"},
    /* learn_title: "Deployment  Title = ..." */
    {TL_WU10, G_TITLE, "Title = "},
};

/* Bits of a line's gate hits: the rows first (bit k: the k-th row of the
 * format, as tl_match_hits wants them), then gate_keys and title_lines. */
#define GATE_WORDS 8
_Static_assert(GATE_WORDS * 64 >= 256 + sizeof gate_keys / sizeof gate_keys[0] + 3,
               "a line's gate hits hold every key");

static struct keyset *gate_new(enum tl_format fmt, size_t *nwords)
{
    size_t cap = tl_patterns_len + sizeof gate_keys / sizeof gate_keys[0] +
                 sizeof title_lines / sizeof title_lines[0], n = 0;
    const char **keys = malloc(cap * sizeof *keys);
    unsigned *groups = malloc(cap * sizeof *groups);
    struct keyset *ks = NULL;

    if (!keys || !groups)
        goto cleanup;
    for (size_t i = 0; i < tl_patterns_len; i++)
        if (tl_patterns[i].formats & (unsigned)fmt) {
            groups[n] = G_ROW;
            keys[n++] = tl_patterns[i].find;
        }
    for (size_t i = 0; i < sizeof gate_keys / sizeof gate_keys[0]; i++)
        if (gate_keys[i].formats & (unsigned)fmt) {
            groups[n] = gate_keys[i].group;
            keys[n++] = gate_keys[i].key;
        }
    if (fmt & TL_WU10)
        for (size_t i = 0; i < sizeof title_lines / sizeof title_lines[0]; i++) {
            groups[n] = G_TITLE;
            keys[n++] = title_lines[i].title_at;
        }
    *nwords = (n + 63) / 64;
    if (*nwords <= GATE_WORDS)
        ks = ks_new(keys, groups, n);
cleanup:
    free(keys);
    free(groups);
    return ks;
}

static int textlog_read(const char *path, FILE *fp, const unsigned char *head,
                        size_t n, const struct source_sink *sink,
                        struct wu_stats *stats, char *err, size_t errlen)
{
    struct tl_reader r;
    struct tl_matcher *m = NULL;
    struct keyset *gate = NULL;
    size_t gate_words = 0;
    struct stamp_memo memo = {0, {0}, 0};
    struct linereader *lr = NULL;
    unsigned char *ahead = NULL;
    size_t nahead = n;
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
    /* the head and a look-ahead after it: read once, by the line reader too */
    if (!(ahead = malloc(TL_LOOKAHEAD > n ? TL_LOOKAHEAD : n))) {
        status = SRC_NOMEM;
        goto cleanup;
    }
    memcpy(ahead, head, n);
    if (n < TL_LOOKAHEAD)
        nahead += fread(ahead + n, 1, TL_LOOKAHEAD - n, fp);
    if (ferror(fp)) {
        snprintf(err, errlen, "read error in the first %d KiB", TL_LOOKAHEAD / 1024);
        status = SRC_BAD;
        goto cleanup;
    }
    if (head_offset(&r, ahead, nahead) < 0) {
        status = SRC_NOMEM;
        goto cleanup;
    }
    r.want = !sink->want_provider || sink->want_provider(sink->ctx, r.provider);
    if (!(m = tl_matcher_new(r.fmt)) || !(gate = gate_new(r.fmt, &gate_words)) || !(lr = lr_open(fp, ahead, nahead, LR_MAX_LINE))) {
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
        parse_header(r.fmt, s, len, &L, &memo);
        uint64_t hits[GATE_WORDS];
        memset(hits, 0, gate_words * sizeof hits[0]);
        unsigned groups = ks_hits(gate, L.msg, L.msglen, hits);
        if (!groups) {
            /* no key: what the code below would do with it, in short */
            if (L.has_time) {
                r.last_time = L.time_us;
                r.have_time = 1;
            }
            if (skip(&r)) {
                status = SRC_STOPPED;
                goto cleanup;
            }
            continue;
        }
        if ((r.fmt & TL_WU10) && (groups & G_TITLE))
            learn_title(&r, &L);
        if (groups & G_OFFSET) {
            int64_t off;
            if (stated_offset(&L, &off)) {
                r.offset_us = off;
                r.have_offset = r.offset_seen = 1;
            }
        }
        if (L.has_time) {
            r.last_time = L.time_us;
            r.have_time = 1;
        }
        /* an event needs a time: its own or an earlier line's */
        int event = (groups & G_ROW) &&
                    tl_match_hits(m, L.msg, L.msglen, L.logged == 2, hits, &mt) &&
                    (L.has_time || r.have_time);
        int stop = 0;
        /* a line naming the OS is OS evidence even when a pattern row
         * (e.g. the servicing stack version) makes it an event too */
        if (r.want && (L.has_time || r.have_time) && (groups & G_OS) &&
            os_line(&r, lr_line_number(lr), &L, event, &stop)) {
            if (stop) {
                status = SRC_STOPPED;
                goto cleanup;
            }
            if (!event)
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
    /* what was read, and how its times were taken: the coverage detail */
    if (status == SRC_OK || status == SRC_PARTIAL) {
        char note[160], off[16];
        int min = (int)(r.offset_us / (60 * WU_SEC_US));
        snprintf(off, sizeof off, "%c%02d:%02d", min < 0 ? '-' : '+',
                 (min < 0 ? -min : min) / 60, (min < 0 ? -min : min) % 60);
        snprintf(note, sizeof note, "textlog %s; %s%s", channel_of(r.fmt),
                 r.offset_seen ? "times converted to UTC from the offset the log states, "
                               : WU_LOCAL_TIMES_NOTE,
                 r.offset_seen ? off : "");
        if (status == SRC_OK)
            snprintf(err, errlen, "%s", note);
        else {
            size_t used = strlen(err);
            if (used + 3 < errlen)
                snprintf(err + used, errlen - used, "; %s", note);
        }
    }
cleanup:
    lr_close(lr);
    ks_free(gate);
    tl_matcher_free(m);
    free(ahead);
    return status;
}

const struct wu_source textlog_source = {"textlog", textlog_probe, textlog_read};
