/*
 * export_render.c - NDJSON and CSV lines of the export (see
 * export_render.h; the field list is docs/export.md).
 *
 * A million lines add up, so each field is written in place: one sb_room
 * for the most it can take (the escapers' bounds), the key and the value
 * copied or escaped straight in (util/jsonput.h, csv_put_field), numbers
 * and times without printf; the date is formatted once per day and the
 * knowledge-base lookup once per run of the same code.  Lines gather in
 * one buffer that goes out in blocks of EXPORT_BLOCK bytes.
 */
#include "report/export_render.h"
#include "util/timeutil.h"
#include "util/csv.h"
#include "util/jsonput.h"
#include "vocab/kb.h"

#include <string.h>
#include <strings.h>

/* What the event says, as ECS event.outcome; NULL when it says neither:
 * an install that succeeded, or a failure as every count means it. */
static const char *outcome(const struct export_event *e)
{
    if (e->kind == EK_INSTALL && e->outcome == EO_SUCCEEDED)
        return "success";
    if (ev_is_failure(e->outcome, e->has_code))
        return "failure";
    return NULL;
}

/* Windows event level as ECS log.level (winlogbeat's words). */
static const char *level_name(int level)
{
    switch (level) {
    case 1: return "critical";
    case 2: return "error";
    case 3: return "warning";
    case 5: return "verbose";
    default: return "information";
    }
}

/* ---- formatting without printf -------------------------------------------- */

/* Decimal digits of v, at least width of them, at o; returns the end. */
static char *put_uint(char *o, uint64_t v, int width)
{
    int n = 1;
    for (uint64_t t = v; t >= 10; t /= 10)
        n++;
    if (n < width)
        n = width;
    for (int i = n - 1; i >= 0; i--, v /= 10)
        o[i] = (char)('0' + v % 10);
    return o + n;
}

/* v in decimal at o (at most 20 bytes); returns the end. */
static char *put_int(char *o, long long v)
{
    if (v < 0) {
        *o++ = '-';
        return put_uint(o, 0 - (uint64_t)v, 1);
    }
    return put_uint(o, (uint64_t)v, 1);
}

/* "0x" and 8 upper-case hex digits (10 bytes); returns the end. */
static char *put_code(char *o, uint32_t code)
{
    static const char hex[] = "0123456789ABCDEF";
    o[0] = '0';
    o[1] = 'x';
    for (int i = 0; i < 8; i++)
        o[2 + i] = hex[(code >> (28 - 4 * i)) & 15];
    return o + 10;
}

/* Two digits of v (0..99). */
static char *put2(char *o, int64_t v)
{
    o[0] = (char)('0' + v / 10);
    o[1] = (char)('0' + v % 10);
    return o + 2;
}

#define ISO_MAX 48      /* wu_iso_time's text at most */
/* Beyond this the day's start in microseconds could overflow: the slow path. */
#define FAST_TIME_MAX ((int64_t)1 << 62)

/* wu_iso_time(us, 1, ...) at o (ASCII, at most ISO_MAX bytes): the date of
 * the day as formatted last time, the time of day computed. */
static char *put_iso(struct export_render *r, char *o, int64_t us)
{
    char t[ISO_MAX];
    size_t n;

    if (us < -FAST_TIME_MAX || us > FAST_TIME_MAX) {
        wu_iso_time(us, 1, t, sizeof t);
        n = strlen(t);
        memcpy(o, t, n);
        return o + n;
    }
    int64_t day = wu_floor_div(us, WU_DAY_US), rem = us - day * WU_DAY_US;
    if (!r->datelen || day != r->day) {
        const char *sep;
        wu_iso_time(day * WU_DAY_US, 1, t, sizeof t);
        sep = strchr(t, 'T');
        n = sep ? (size_t)(sep - t) + 1 : 0;
        if (!n || n > sizeof r->date) {     /* never: wu_iso_time writes a T */
            wu_iso_time(us, 1, t, sizeof t);
            n = strlen(t);
            memcpy(o, t, n);
            return o + n;
        }
        memcpy(r->date, t, n);
        r->datelen = n;
        r->day = day;
    }
    int64_t secs = rem / WU_SEC_US, frac = rem % WU_SEC_US;
    memcpy(o, r->date, r->datelen);
    o += r->datelen;
    o = put2(o, secs / 3600);
    *o++ = ':';
    o = put2(o, secs / 60 % 60);
    *o++ = ':';
    o = put2(o, secs % 60);
    *o++ = '.';
    o = put_uint(o, (uint64_t)frac, 6);
    *o++ = 'Z';
    return o;
}

/* The knowledge-base entry of code, looked up once per run of it. */
static const struct kb_code *kb_of(struct export_render *r, uint32_t code)
{
    if (!r->have_code || r->code != code) {
        r->kb = kb_code_find(code);
        r->code = code;
        r->have_code = 1;
    }
    return r->kb;
}

/* ---- NDJSON --------------------------------------------------------------- */

/* A key as its JSON text with the colon: the literal and its length. */
#define KEY(k) "\"" k "\":", sizeof("\"" k "\":") - 1

/* What both the value writers start with: the comma unless first, the key. */
static WU_ALWAYS_INLINE char *j_key(char *o, int *first, const char *key, size_t klen)
{
    if (!*first)
        *o++ = ',';
    *first = 0;
    memcpy(o, key, klen);
    return o + klen;
}

static WU_ALWAYS_INLINE void j_str(struct strbuf *sb, int *first, const char *key, size_t klen,
                  const char *v)
{
    size_t n;
    char *o;

    if (!v)
        return;
    n = strlen(v);
    if (!(o = sb_room(sb, klen + 3 + JSON_PUT_MAX(n))))
        return;
    o = j_key(o, first, key, klen);
    *o++ = '"';
    o = json_put_str(o, v, n);
    *o++ = '"';
    sb_setend(sb, o);
}

static WU_ALWAYS_INLINE void j_int(struct strbuf *sb, int *first, const char *key, size_t klen, long long v)
{
    char *o = sb_room(sb, klen + 1 + 20);
    if (!o)
        return;
    o = put_int(j_key(o, first, key, klen), v);
    sb_setend(sb, o);
}

/* ,"key":{  - an object opened; the caller's flag for its fields is set */
static WU_ALWAYS_INLINE void j_open(struct strbuf *sb, int *first, const char *key, size_t klen, int *f)
{
    char *o = sb_room(sb, klen + 2);
    *f = 1;
    if (!o)
        return;
    o = j_key(o, first, key, klen);
    *o++ = '{';
    sb_setend(sb, o);
}

/* text of known length that needs no escaping */
static WU_ALWAYS_INLINE void j_raw(struct strbuf *sb, const char *s, size_t n)
{
    char *o = sb_room(sb, n);
    if (!o)
        return;
    memcpy(o, s, n);
    sb_setend(sb, o + n);
}
#define J_LIT(sb, lit) j_raw(sb, lit, sizeof lit - 1)

static void ndjson_line(struct export_render *r, const struct export_event *e,
                        const struct kb_code *k)
{
    struct strbuf *sb = &r->buf;
    const char *out = outcome(e);
    int first = 0, f;
    char *o;

    /* {"@timestamp":"...": always the first field, plain ASCII */
    if ((o = sb_room(sb, 16 + ISO_MAX))) {
        memcpy(o, "{\"@timestamp\":\"", 15);
        o = put_iso(r, o + 15, e->time_us);
        *o++ = '"';
        sb_setend(sb, o);
    }
    j_str(sb, &first, KEY("message"), e->message);

    j_open(sb, &first, KEY("host"), &f);
    j_str(sb, &f, KEY("name"), e->host);
    J_LIT(sb, "}");

    j_open(sb, &first, KEY("event"), &f);
    if ((o = sb_room(sb, 9 + 20))) {            /* "code":"ID": the first field */
        memcpy(o, "\"code\":\"", 8);
        o = put_int(o + 8, e->event_id);
        *o++ = '"';
        sb_setend(sb, o);
        f = 0;
    }
    j_str(sb, &f, KEY("provider"), e->provider);
    /* after code, so always with a comma */
    J_LIT(sb, ",\"kind\":\"event\",\"module\":\"wudiag\",\"dataset\":\"wudiag.events\"");
    j_str(sb, &f, KEY("outcome"), out);
    J_LIT(sb, "}");

    j_open(sb, &first, KEY("log"), &f);
    j_str(sb, &f, KEY("level"), level_name(e->level));
    J_LIT(sb, "}");

    j_open(sb, &first, KEY("winlog"), &f);
    j_str(sb, &f, KEY("channel"), e->channel);
    j_int(sb, &f, KEY("record_id"), e->record_id);
    j_str(sb, &f, KEY("provider_name"), e->provider);
    j_str(sb, &f, KEY("computer_name"), e->computer && *e->computer ? e->computer : NULL);
    J_LIT(sb, "}");

    if (e->has_code) {
        j_open(sb, &first, KEY("error"), &f);
        if ((o = sb_room(sb, 9 + 10))) {        /* "code":"0x...": the first field */
            memcpy(o, "\"code\":\"", 8);
            o = put_code(o + 8, e->code);
            *o++ = '"';
            sb_setend(sb, o);
            f = 0;
        }
        if (k)
            j_str(sb, &f, KEY("message"), k->meaning);
        J_LIT(sb, "}");
    }
    if (e->service) {
        j_open(sb, &first, KEY("service"), &f);
        j_str(sb, &f, KEY("name"), e->service);
        J_LIT(sb, "}");
    }

    j_open(sb, &first, KEY("wudiag"), &f);
    if (e->has_code) {
        j_str(sb, &f, KEY("symbol"), k ? k->symbol : NULL);
        j_str(sb, &f, KEY("category"), kb_category_name(k ? k->cat : KB_CAT_UNKNOWN));
        j_str(sb, &f, KEY("fix"), k ? k->fix_id : NULL);
    }
    j_str(sb, &f, KEY("kb"), e->kb);
    j_str(sb, &f, KEY("update_title"), e->update_title);
    j_str(sb, &f, KEY("update_guid"), e->update_guid);
    j_int(sb, &f, KEY("run_id"), e->run_id);
    J_LIT(sb, "}}\n");
}

/* ---- CSV ---------------------------------------------------------------- */

static const char csv_header[] =
    "@timestamp,host.name,event.code,event.provider,event.outcome,log.level,"
    "winlog.channel,winlog.record_id,winlog.computer_name,error.code,"
    "service.name,wudiag.symbol,wudiag.category,wudiag.fix,wudiag.kb,"
    "wudiag.update_title,wudiag.update_guid,wudiag.run_id,message" CSV_EOL;

/* s as one field (csv_field's text) and then the separator sep */
static WU_ALWAYS_INLINE void c_str(struct strbuf *sb, const char *s, char sep)
{
    size_t n = s ? strlen(s) : 0;
    char *o = sb_room(sb, CSV_PUT_MAX(n) + 1);
    if (!o)
        return;
    o = csv_put_field(o, s, n);
    *o++ = sep;
    sb_setend(sb, o);
}

/* a number (never quoted: digits and a sign) and a comma */
static WU_ALWAYS_INLINE void c_int(struct strbuf *sb, long long v)
{
    char *o = sb_room(sb, 21);
    if (!o)
        return;
    o = put_int(o, v);
    *o++ = ',';
    sb_setend(sb, o);
}

static void csv_line(struct export_render *r, const struct export_event *e,
                     const struct kb_code *k)
{
    struct strbuf *sb = &r->buf;
    char ts[ISO_MAX + 1], *o;

    o = put_iso(r, ts, e->time_us);
    *o = '\0';
    c_str(sb, ts, ',');
    c_str(sb, e->host, ',');
    c_int(sb, e->event_id);
    c_str(sb, e->provider, ',');
    c_str(sb, outcome(e), ',');
    c_str(sb, level_name(e->level), ',');
    c_str(sb, e->channel, ',');
    c_int(sb, e->record_id);
    c_str(sb, e->computer, ',');
    if (e->has_code && (o = sb_room(sb, 11))) {
        o = put_code(o, e->code);
        *o++ = ',';
        sb_setend(sb, o);
    } else if (!e->has_code) {
        J_LIT(sb, ",");
    }
    c_str(sb, e->service, ',');
    if (e->has_code) {
        c_str(sb, k ? k->symbol : NULL, ',');
        c_str(sb, kb_category_name(k ? k->cat : KB_CAT_UNKNOWN), ',');
        c_str(sb, k ? k->fix_id : NULL, ',');
    } else {
        J_LIT(sb, ",,,");
    }
    c_str(sb, e->kb, ',');
    c_str(sb, e->update_title, ',');
    c_str(sb, e->update_guid, ',');
    c_int(sb, e->run_id);
    c_str(sb, e->message, '\r');
    J_LIT(sb, "\n");
}

/* ---- stream ------------------------------------------------------------- */

/* The gathered lines out; EXPORT_RENDER_OK or _WRITE (then nothing more). */
static int flush(struct export_render *r)
{
    if (r->failed)
        return EXPORT_RENDER_WRITE;
    if (r->buf.len && fwrite(r->buf.buf, 1, r->buf.len, r->out) != r->buf.len) {
        r->failed = 1;
        return EXPORT_RENDER_WRITE;
    }
    sb_reset(&r->buf);
    return EXPORT_RENDER_OK;
}

void export_render_begin(struct export_render *r, enum export_format fmt, FILE *out)
{
    memset(r, 0, sizeof *r);
    r->fmt = fmt;
    r->out = out;
    sb_init(&r->buf);
    if (fmt == EXPORT_CSV)
        J_LIT(&r->buf, csv_header);
}

int export_render_event(struct export_render *r, const struct export_event *e)
{
    const struct kb_code *k = e->has_code ? kb_of(r, e->code) : NULL;
    size_t start = r->buf.len;

    if (r->buf.oom)
        return EXPORT_RENDER_NOMEM;
    if (r->fmt == EXPORT_CSV)
        csv_line(r, e, k);
    else
        ndjson_line(r, e, k);
    if (r->buf.oom) {
        /* the lines before stay, whole; this one goes */
        r->buf.len = start;
        if (r->buf.buf)
            r->buf.buf[start] = '\0';
        return EXPORT_RENDER_NOMEM;
    }
    if (r->buf.len >= EXPORT_BLOCK)
        return flush(r);
    return EXPORT_RENDER_OK;
}

int export_render_end(struct export_render *r)
{
    int rc = flush(r);
    sb_free(&r->buf);
    return rc;
}
