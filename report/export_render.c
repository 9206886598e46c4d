/*
 * export_render.c - NDJSON and CSV lines of the export (see
 * export_render.h; the field list is docs/export.md).
 */
#include "report/export_render.h"
#include "util/timeutil.h"
#include "util/csv.h"
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

/* ---- formatting without printf (a million lines add up) -------------------- */

/* Decimal digits of v, at least width of them, at o; returns the end. */
static char *put_uint(char *o, uint64_t v, int width)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v || n < width);
    while (n)
        *o++ = tmp[--n];
    return o;
}

static const char *put_int(char *buf, long long v)
{
    char *o = buf;
    if (v < 0) {
        *o++ = '-';
        o = put_uint(o, 0 - (uint64_t)v, 1);
    } else {
        o = put_uint(o, (uint64_t)v, 1);
    }
    *o = '\0';
    return buf;
}

static const char *put_code(char *buf, uint32_t code)
{
    static const char hex[] = "0123456789ABCDEF";
    buf[0] = '0';
    buf[1] = 'x';
    for (int i = 0; i < 8; i++)
        buf[2 + i] = hex[(code >> (28 - 4 * i)) & 15];
    buf[10] = '\0';
    return buf;
}

/* ---- NDJSON --------------------------------------------------------------- */

static void j_key(struct strbuf *sb, int *first, const char *key)
{
    if (!*first)
        sb_addc(sb, ',');
    sb_addc(sb, '"');
    sb_adds(sb, key);
    sb_adds(sb, "\":");
    *first = 0;
}

static void j_str(struct strbuf *sb, int *first, const char *key, const char *v)
{
    if (!v)
        return;
    j_key(sb, first, key);
    sb_addc(sb, '"');
    sb_json_str(sb, v);
    sb_addc(sb, '"');
}

static void j_int(struct strbuf *sb, int *first, const char *key, long long v)
{
    char num[24];
    j_key(sb, first, key);
    sb_adds(sb, put_int(num, v));
}

static void j_open(struct strbuf *sb, int *first, const char *key)
{
    j_key(sb, first, key);
    sb_addc(sb, '{');
}

static void ndjson_line(struct strbuf *sb, const struct export_event *e, const struct kb_code *k)
{
    char ts[48], code[16], id[24];
    const char *out = outcome(e);
    int first = 1, f;

    put_int(id, e->event_id);
    sb_addc(sb, '{');
    j_str(sb, &first, "@timestamp", wu_iso_time(e->time_us, 1, ts, sizeof ts));
    j_str(sb, &first, "message", e->message);

    j_open(sb, &first, "host");
    f = 1;
    j_str(sb, &f, "name", e->host);
    sb_addc(sb, '}');

    j_open(sb, &first, "event");
    f = 1;
    j_str(sb, &f, "code", id);
    j_str(sb, &f, "provider", e->provider);
    j_str(sb, &f, "kind", "event");
    j_str(sb, &f, "module", "wudiag");
    j_str(sb, &f, "dataset", "wudiag.events");
    j_str(sb, &f, "outcome", out);
    sb_addc(sb, '}');

    j_open(sb, &first, "log");
    f = 1;
    j_str(sb, &f, "level", level_name(e->level));
    sb_addc(sb, '}');

    j_open(sb, &first, "winlog");
    f = 1;
    j_str(sb, &f, "channel", e->channel);
    j_int(sb, &f, "record_id", e->record_id);
    j_str(sb, &f, "provider_name", e->provider);
    j_str(sb, &f, "computer_name", e->computer && *e->computer ? e->computer : NULL);
    sb_addc(sb, '}');

    if (e->has_code) {
        put_code(code, e->code);
        j_open(sb, &first, "error");
        f = 1;
        j_str(sb, &f, "code", code);
        if (k)
            j_str(sb, &f, "message", k->meaning);
        sb_addc(sb, '}');
    }
    if (e->service) {
        j_open(sb, &first, "service");
        f = 1;
        j_str(sb, &f, "name", e->service);
        sb_addc(sb, '}');
    }

    j_open(sb, &first, "wudiag");
    f = 1;
    if (e->has_code) {
        j_str(sb, &f, "symbol", k ? k->symbol : NULL);
        j_str(sb, &f, "category", kb_category_name(k ? k->cat : KB_CAT_UNKNOWN));
        j_str(sb, &f, "fix", k ? k->fix_id : NULL);
    }
    j_str(sb, &f, "kb", e->kb);
    j_str(sb, &f, "update_title", e->update_title);
    j_str(sb, &f, "update_guid", e->update_guid);
    j_int(sb, &f, "run_id", e->run_id);
    sb_adds(sb, "}}\n");
}

/* ---- CSV ---------------------------------------------------------------- */

static const char csv_header[] =
    "@timestamp,host.name,event.code,event.provider,event.outcome,log.level,"
    "winlog.channel,winlog.record_id,winlog.computer_name,error.code,"
    "service.name,wudiag.symbol,wudiag.category,wudiag.fix,wudiag.kb,"
    "wudiag.update_title,wudiag.update_guid,wudiag.run_id,message" CSV_EOL;

static void csv_line(struct strbuf *sb, const struct export_event *e, const struct kb_code *k)
{
    char ts[48], num[24];

    csv_field(sb, wu_iso_time(e->time_us, 1, ts, sizeof ts));
    sb_addc(sb, ',');
    csv_field(sb, e->host);
    sb_addc(sb, ',');
    sb_adds(sb, put_int(num, e->event_id));
    sb_addc(sb, ',');
    csv_field(sb, e->provider);
    sb_addc(sb, ',');
    csv_field(sb, outcome(e));
    sb_addc(sb, ',');
    csv_field(sb, level_name(e->level));
    sb_addc(sb, ',');
    csv_field(sb, e->channel);
    sb_addc(sb, ',');
    sb_adds(sb, put_int(num, e->record_id));
    sb_addc(sb, ',');
    csv_field(sb, e->computer);
    sb_addc(sb, ',');
    if (e->has_code)
        sb_adds(sb, put_code(num, e->code));
    sb_addc(sb, ',');
    csv_field(sb, e->service);
    sb_addc(sb, ',');
    if (e->has_code) {
        csv_field(sb, k ? k->symbol : NULL);
        sb_addc(sb, ',');
        csv_field(sb, kb_category_name(k ? k->cat : KB_CAT_UNKNOWN));
        sb_addc(sb, ',');
        csv_field(sb, k ? k->fix_id : NULL);
    } else {
        sb_adds(sb, ",,");
    }
    sb_addc(sb, ',');
    csv_field(sb, e->kb);
    sb_addc(sb, ',');
    csv_field(sb, e->update_title);
    sb_addc(sb, ',');
    csv_field(sb, e->update_guid);
    sb_addc(sb, ',');
    sb_adds(sb, put_int(num, e->run_id));
    sb_addc(sb, ',');
    csv_field(sb, e->message);
    sb_adds(sb, CSV_EOL);
}

/* ---- stream ------------------------------------------------------------- */

void export_render_begin(struct export_render *r, enum export_format fmt, FILE *out)
{
    memset(r, 0, sizeof *r);
    r->fmt = fmt;
    r->out = out;
    sb_init(&r->line);
    if (fmt == EXPORT_CSV)
        fputs(csv_header, out);
}

int export_render_event(struct export_render *r, const struct export_event *e)
{
    const struct kb_code *k = e->has_code ? kb_code_find(e->code) : NULL;

    sb_reset(&r->line);
    if (r->fmt == EXPORT_CSV)
        csv_line(&r->line, e, k);
    else
        ndjson_line(&r->line, e, k);
    if (r->line.oom)
        return EXPORT_RENDER_NOMEM;
    if (fwrite(r->line.buf, 1, r->line.len, r->out) != r->line.len)
        return EXPORT_RENDER_WRITE;
    return EXPORT_RENDER_OK;
}

void export_render_end(struct export_render *r)
{
    sb_free(&r->line);
}
