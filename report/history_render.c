/*
 * history_render.c - `wudiag history` rendered: text table, JSON and CSV
 * (see history_render.h).  Text lines go out through safetext_printf and
 * CSV fields through csv_field: names and values from the database cannot
 * drive the reader's terminal or spreadsheet (util/safetext.h, util/csv.h).
 */
#include "report/history_render.h"
#include "util/timeutil.h"
#include "util/csv.h"
#include "util/safetext.h"
#include "vocab/kb.h"
#include "util/strbuf.h"
#include "util/version.h"

#include <string.h>
#include <strings.h>

#define TOP_CODES 3

static enum kb_category category_of(uint32_t code)
{
    const struct kb_code *k = kb_code_find(code);
    return k ? k->cat : KB_CAT_UNKNOWN;
}

static void by_category(const struct history_period *p, long counts[KB_CAT_COUNT])
{
    memset(counts, 0, sizeof(long) * KB_CAT_COUNT);
    for (size_t i = 0; i < p->ncodes; i++)
        counts[category_of(p->codes[i].code)] += p->codes[i].count;
}

/* ---- text ----------------------------------------------------------------- */

static int same_kind(const struct history_change *a, const struct history_change *b)
{
    return strcmp(a->what, b->what) == 0 && strcasecmp(a->service, b->service) == 0;
}

static void text_host(FILE *out, const struct history *h, const struct history_view *o)
{
    char d1[16], d2[16], when[16];
    struct strbuf sb;

    sb_init(&sb);
    safetext_printf(out, "%s: history per %s (UTC)", h->host, o->week ? "week" : "day");
    if (h->nperiods)
        safetext_printf(out, ", %s .. %s, %zu %s with activity",
                wu_date(h->periods[0].start_us, d1, sizeof d1),
                wu_date(h->periods[h->nperiods - 1].start_us, d2, sizeof d2),
                h->nperiods, o->week ? "weeks" : "days");
    safetext_printf(out, "\n");
    if (!h->nperiods) {
        safetext_printf(out, "  no activity%s\n", o->since_us ? " in the range" : "");
        return;
    }
    safetext_printf(out, "%-10s  %6s  %8s  %8s  %7s  %-36s  %s\n", o->week ? "week of" : "date",
            "events", "installs", "failures", "svc chg", "last successful install",
            "failures by category; top codes");
    for (size_t i = 0; i < h->nperiods; i++) {
        const struct history_period *p = &h->periods[i];
        long cat[KB_CAT_COUNT];
        char last[64];

        sb_reset(&sb);
        by_category(p, cat);
        for (int c = 0; c < KB_CAT_COUNT; c++)
            if (cat[c])
                sb_printf(&sb, "%s%s %ld", sb.len ? ", " : "",
                          kb_category_name((enum kb_category)c), cat[c]);
        for (size_t k = 0; k < p->ncodes && k < TOP_CODES; k++) {
            const struct kb_code *kc = kb_code_find(p->codes[k].code);
            sb_printf(&sb, "%s0x%08X%s%s%s x%ld", k ? ", " : "; ",
                      (unsigned)p->codes[k].code, kc ? " (" : "",
                      kc ? kc->symbol : "", kc ? ")" : "", p->codes[k].count);
        }
        if (p->ncodes > TOP_CODES)
            sb_printf(&sb, ", +%zu more", p->ncodes - TOP_CODES);
        if (p->last_install_us) {
            const char *w = p->last_install ? p->last_install : "";
            snprintf(last, sizeof last, "%s %.*s%s",
                     wu_date(p->last_install_us, when, sizeof when),
                     strlen(w) > 25 ? 22 : 25, w, strlen(w) > 25 ? "..." : "");
        } else
            snprintf(last, sizeof last, "none yet");
        safetext_printf(out, "%-10s  %6ld  %8ld  %8ld  %7zu  %-36s  %s\n",
                wu_date(p->start_us, d1, sizeof d1), p->events, p->installs,
                p->failures, p->nchanges, last, sb.len ? sb.buf : "-");
        /* changes per service and kind: the first and last value, how many */
        for (size_t k = 0; k < p->nchanges; k++) {
            const struct history_change *c = &p->changes[k], *lc = c;
            char t[32];
            size_t n = 0, j;
            for (j = 0; j < k; j++)
                if (same_kind(&p->changes[j], c))
                    break;
            if (j < k)
                continue;       /* listed with the first of its kind */
            for (j = k; j < p->nchanges; j++)
                if (same_kind(&p->changes[j], c)) {
                    n++;
                    lc = &p->changes[j];
                }
            wu_iso_time(lc->time_us, 0, t, sizeof t);
            t[10] = ' ';
            const char *at = o->week ? t : t + 11;  /* weeks: with the date */
            t[19] = '\0';
            if (n == 1)
                safetext_printf(out, "%12s%s %s: %s -> %s at %s\n", "", c->service,
                        strcmp(c->what, "state") ? "start type" : "state",
                        c->from, c->to, at);
            else
                safetext_printf(out, "%12s%s %s: %s -> ... -> %s (%zu changes, last at "
                        "%s)\n", "", c->service,
                        strcmp(c->what, "state") ? "start type" : "state",
                        c->from, lc->to, n, at);
        }
    }
    sb_free(&sb);
}

/* ---- JSON ----------------------------------------------------------------- */

static void json_str(FILE *out, const char *s)
{
    struct strbuf sb;
    if (!s) {
        fputs("null", out);
        return;
    }
    sb_init(&sb);
    sb_json_str(&sb, s);
    fputc('"', out);
    if (sb.len)
        fwrite(sb.buf, 1, sb.len, out);
    fputc('"', out);
    sb_free(&sb);
}

static void json_host(FILE *out, const struct history *h, const struct history_view *o)
{
    char t[40];
    int64_t len = (o->week ? 7 : 1) * WU_DAY_US;

    fputs("{\"host\":", out);
    json_str(out, h->host);
    fputs(",\"periods\":[", out);
    for (size_t i = 0; i < h->nperiods; i++) {
        const struct history_period *p = &h->periods[i];
        long cat[KB_CAT_COUNT];
        int first = 1;

        by_category(p, cat);
        fprintf(out, "%s\n{\"start\":\"%s\"", i ? "," : "",
                wu_date(p->start_us, t, sizeof t));
        fprintf(out, ",\"end\":\"%s\"", wu_date(p->start_us + len, t, sizeof t));
        fprintf(out, ",\"events\":%ld,\"installs\":%ld,\"failures\":%ld",
                p->events, p->installs, p->failures);
        fputs(",\"failures_by_category\":{", out);
        for (int c = 0; c < KB_CAT_COUNT; c++)
            if (cat[c]) {
                fprintf(out, "%s\"%s\":%ld", first ? "" : ",",
                        kb_category_name((enum kb_category)c), cat[c]);
                first = 0;
            }
        fputs("},\"failures_by_code\":[", out);
        for (size_t k = 0; k < p->ncodes; k++) {
            const struct kb_code *kc = kb_code_find(p->codes[k].code);
            fprintf(out, "%s{\"code\":\"0x%08X\",\"symbol\":", k ? "," : "",
                    (unsigned)p->codes[k].code);
            json_str(out, kc ? kc->symbol : NULL);
            fprintf(out, ",\"category\":\"%s\",\"count\":%ld}",
                    kb_category_name(kc ? kc->cat : KB_CAT_UNKNOWN), p->codes[k].count);
        }
        fputs("],\"service_changes\":[", out);
        for (size_t k = 0; k < p->nchanges; k++) {
            const struct history_change *c = &p->changes[k];
            fprintf(out, "%s{\"time\":\"%s\",\"service\":", k ? "," : "",
                    wu_iso_time(c->time_us, 0, t, sizeof t));
            json_str(out, c->service);
            fprintf(out, ",\"what\":\"%s\",\"from\":", c->what);
            json_str(out, c->from);
            fputs(",\"to\":", out);
            json_str(out, c->to);
            fputc('}', out);
        }
        fputs("],\"last_successful_install\":", out);
        if (p->last_install_us) {
            fprintf(out, "{\"time\":\"%s\",\"update\":",
                    wu_iso_time(p->last_install_us, 0, t, sizeof t));
            json_str(out, p->last_install);
            fputc('}', out);
        } else {
            fputs("null", out);
        }
        fputc('}', out);
    }
    fputs("]}", out);
}

/* ---- CSV ------------------------------------------------------------------ */

static void csv_header(FILE *out)
{
    fputs("host,period,start,events,installs,failures", out);
    for (int c = 0; c < KB_CAT_COUNT; c++)
        fprintf(out, ",failures.%s", kb_category_name((enum kb_category)c));
    fputs(",codes,service_changes,changes,last_install_time,last_install" CSV_EOL, out);
}

static void csv_host(FILE *out, const struct history *h, const struct history_view *o)
{
    struct strbuf sb, tmp;
    char t[40];

    sb_init(&sb);
    sb_init(&tmp);
    for (size_t i = 0; i < h->nperiods; i++) {
        const struct history_period *p = &h->periods[i];
        long cat[KB_CAT_COUNT];

        by_category(p, cat);
        sb_reset(&sb);
        csv_field(&sb, h->host);
        sb_printf(&sb, ",%s,%s,%ld,%ld,%ld", o->week ? "week" : "day",
                  wu_date(p->start_us, t, sizeof t), p->events, p->installs,
                  p->failures);
        for (int c = 0; c < KB_CAT_COUNT; c++)
            sb_printf(&sb, ",%ld", cat[c]);
        sb_addc(&sb, ',');
        for (size_t k = 0; k < p->ncodes; k++)
            sb_printf(&sb, "%s0x%08X=%ld", k ? ";" : "", (unsigned)p->codes[k].code,
                      p->codes[k].count);
        sb_printf(&sb, ",%zu,", p->nchanges);
        sb_reset(&tmp);
        for (size_t k = 0; k < p->nchanges; k++) {
            const struct history_change *c = &p->changes[k];
            sb_printf(&tmp, "%s%s %s %s %s>%s", k ? "; " : "",
                      wu_iso_time(c->time_us, 0, t, sizeof t), c->service, c->what,
                      c->from, c->to);
        }
        csv_field(&sb, tmp.len ? tmp.buf : NULL);
        sb_addc(&sb, ',');
        if (p->last_install_us)
            csv_field(&sb, wu_iso_time(p->last_install_us, 0, t, sizeof t));
        sb_addc(&sb, ',');
        csv_field(&sb, p->last_install);
        sb_adds(&sb, CSV_EOL);
        if (!sb.oom && !tmp.oom)
            fwrite(sb.buf, 1, sb.len, out);
    }
    sb_free(&sb);
    sb_free(&tmp);
}

/* ---- per host ------------------------------------------------------------ */

void history_render_begin(FILE *out, const struct history_view *o)
{
    char t[40];

    if (o->fmt == HISTORY_JSON) {
        fprintf(out, "{\"schema\":\"wudiag.history/1\",\"wudiag_version\":\"%s\","
                "\"generated_at\":\"%s\",\"period\":\"%s\",\"since\":",
                WUDIAG_VERSION, wu_iso_time(o->now, 0, t, sizeof t),
                o->week ? "week" : "day");
        if (o->since_us)
            fprintf(out, "\"%s\"", wu_iso_time(o->since_us, 0, t, sizeof t));
        else
            fputs("null", out);
        fputs(",\"hosts\":[", out);
    } else if (o->fmt == HISTORY_CSV) {
        csv_header(out);
    }
}

void history_render_host(FILE *out, const struct history_view *o,
                         const struct history *h, size_t index)
{
    if (o->fmt == HISTORY_TEXT) {
        if (index)
            fputc('\n', out);
        text_host(out, h, o);
    } else if (o->fmt == HISTORY_JSON) {
        if (index)
            fputs(",\n", out);
        json_host(out, h, o);
    } else {
        csv_host(out, h, o);
    }
}

void history_render_end(FILE *out, const struct history_view *o)
{
    if (o->fmt == HISTORY_JSON)
        fputs("]}\n", out);
}
