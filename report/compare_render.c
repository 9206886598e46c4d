/*
 * compare_render.c - the three formats of `wudiag compare` (see
 * compare_render.h).  Text fits 80 columns through text.c's wrap and cut;
 * HTML uses html.c's style sheet and escaping for every string that can
 * come from a log; JSON is built in a strbuf with sb_json_str (valid for
 * any input) and written at once.
 */
#include "report/compare_render.h"
#include "report/report.h"
#include "vocab/kb.h"
#include "util/strbuf.h"
#include "util/timeutil.h"

#include <string.h>

static const struct compare_renderer compare_renderers[] = {
    {"text", render_compare_text},
    {"html", render_compare_html},
    {"json", render_compare_json},
};

const struct compare_renderer *compare_renderer_find(const char *name)
{
    for (size_t i = 0; i < sizeof compare_renderers / sizeof compare_renderers[0]; i++)
        if (strcmp(compare_renderers[i].name, name) == 0)
            return &compare_renderers[i];
    return NULL;
}

/* What an install or scan event names: its KB and title, or its label. */
static const char *event_update(const struct m_event *e)
{
    return e->title ? e->title : e->kb ? e->kb : "(no title)";
}

/* "run 3 (import, FILE, 2026-03-14 10:00:00 UTC)" or "2026-03-14 00:00:00 UTC". */
static void point_label(struct strbuf *sb, const struct cmp_point *p)
{
    char t[32];
    format_time(p->time_us, t, sizeof t);
    if (p->run_id)
        sb_printf(sb, "run %lld (%s, %s, %s UTC)", (long long)p->run_id,
                  p->kind ? p->kind : "?", p->source ? p->source : "?", t);
    else
        sb_printf(sb, "evidence up to %s UTC", t);
}

static void evidence_label(struct strbuf *sb, const struct model *m)
{
    char t1[32], t2[32];
    if (m->nevents)
        sb_printf(sb, "%zu event%s, %s .. %s UTC", m->nevents, m->nevents == 1 ? "" : "s",
                  format_time(m->first_us, t1, sizeof t1),
                  format_time(m->last_us, t2, sizeof t2));
    else
        sb_adds(sb, "no events");
    if (!m->nevents && m->nobservations)
        sb_printf(sb, "; %zu service reading%s", m->nobservations,
                  m->nobservations == 1 ? "" : "s");
}

static void upper(char *s)
{
    for (; *s; s++)
        if (*s >= 'a' && *s <= 'z')
            *s = (char)(*s - 32);
}

/* ---- text ------------------------------------------------------------------ */

static int text_finding(FILE *fp, struct strbuf *sb, const struct cmp_finding *x, int color)
{
    const struct finding *f = x->after ? x->after : x->before;
    char sev[16], t1[32], t2[32];
    int rc = 0;

    snprintf(sev, sizeof sev, "%s", severity_name(f->severity));
    upper(sev);
    sb_reset(sb);
    sb_printf(sb, "  %s %-8s ", x->change == CMP_CLEARED ? "+" : x->change == CMP_NEW ? "!" : "=",
              sev);
    if (color)
        fputs(x->change == CMP_CLEARED ? "\033[32m" : x->change == CMP_NEW ? "\033[31m"
              : "\033[33m", fp);
    rc |= render_text_wrap(fp, sb->buf, 13, f->title);
    if (color)
        fputs("\033[0m", fp);
    sb_reset(sb);
    sb_printf(sb, "%s; ", x->key);
    switch (x->change) {
    case CMP_CLEARED:
        if (x->resolved_after)
            sb_adds(sb, "now resolved history (a later success)");
        else
            sb_adds(sb, "no longer in the findings");
        sb_printf(sb, "; last seen %s UTC", format_time(x->before->last_us, t1, sizeof t1));
        break;
    case CMP_NEW:
        sb_printf(sb, "%ld occurrence%s, %s .. %s UTC", f->count, f->count == 1 ? "" : "s",
                  format_time(f->first_us, t1, sizeof t1), format_time(f->last_us, t2, sizeof t2));
        break;
    case CMP_STILL_OPEN:
        if (x->before->severity != x->after->severity)
            sb_printf(sb, "was %s; ", severity_name(x->before->severity));
        sb_printf(sb, "%ld -> %ld occurrences, last %s UTC", x->before->count, x->after->count,
                  format_time(x->after->last_us, t1, sizeof t1));
        break;
    }
    rc |= render_text_wrap(fp, "             ", 13, sb->buf);
    if (x->change != CMP_CLEARED && f->fix_id) {
        const struct kb_fix *fx = kb_fix_find(f->fix_id);
        if (fx)
            rc |= render_text_wrap(fp, "             Fix: ", 18, fx->title);
    }
    return rc;
}

static int text_section(FILE *fp, struct strbuf *sb, const struct comparison *c,
                        enum cmp_change ch, const char *title, int color)
{
    int rc = 0, any = 0;
    fprintf(fp, "\n%s%s%s\n", color ? "\033[1m" : "", title, color ? "\033[0m" : "");
    for (size_t i = 0; i < c->nfindings; i++)
        if (c->findings[i].change == ch) {
            rc |= text_finding(fp, sb, &c->findings[i], color);
            any = 1;
        }
    if (!any)
        fputs("  None.\n", fp);
    return rc;
}

/* s cut visibly to width columns; padded to width unless it ends the line */
static void text_cell(FILE *fp, struct strbuf *sb, const char *s, size_t width, int pad)
{
    sb_reset(sb);
    size_t w = render_text_clip(sb, s, width);
    fwrite(sb->buf ? sb->buf : "", 1, sb->len, fp);
    if (pad)
        fprintf(fp, "%*s", (int)(width - w), "");
}

int render_compare_text(const struct compare_doc *d, FILE *fp)
{
    const struct comparison *c = d->c;
    struct strbuf sb, cellb;
    char t1[32], head[96], vb[16], va[16];
    int rc = 0;

    sb_init(&sb);
    sb_init(&cellb);
    fprintf(fp, "wudiag %s - Windows Update: what changed\n", d->version);
    rc |= render_text_wrap(fp, "Host:       ", 12, c->host);
    point_label(&sb, &c->before);
    rc |= render_text_wrap(fp, "Before:     ", 12, sb.buf);
    sb_reset(&sb);
    evidence_label(&sb, c->before.model);
    rc |= render_text_wrap(fp, "            ", 12, sb.buf);
    sb_reset(&sb);
    point_label(&sb, &c->after);
    rc |= render_text_wrap(fp, "After:      ", 12, sb.buf);
    sb_reset(&sb);
    evidence_label(&sb, c->after.model);
    rc |= render_text_wrap(fp, "            ", 12, sb.buf);
    fprintf(fp, "Generated:  %s UTC\n\n", format_time(d->generated_us, t1, sizeof t1));

    snprintf(vb, sizeof vb, "%s", verdict_name(c->verdict_before));
    snprintf(va, sizeof va, "%s", verdict_name(c->verdict_after));
    upper(vb);
    upper(va);
    snprintf(head, sizeof head, "VERDICT: %s -> %s - ", vb, va);
    sb_reset(&sb);
    sb_printf(&sb, "%s: %zu cleared, %zu new, %zu still open", compare_trend(c),
              c->ncleared, c->nnew, c->nstill);
    if (d->color)
        fputs(c->worse ? "\033[1;31m" : c->verdict_after == VERDICT_HEALTHY ? "\033[1;32m"
              : "\033[1;33m", fp);
    rc |= render_text_wrap(fp, head, 4, sb.buf);
    if (d->color)
        fputs("\033[0m", fp);
    rc |= render_text_wrap(fp, "    now: ", 9, c->after.diag->summary);

    rc |= text_section(fp, &sb, c, CMP_CLEARED, "CLEARED (open before, not after)", d->color);
    rc |= text_section(fp, &sb, c, CMP_NEW, "NEW (open after, not before)", d->color);
    rc |= text_section(fp, &sb, c, CMP_STILL_OPEN, "STILL OPEN", d->color);

    fprintf(fp, "\n%sUPDATE SERVICES%s\n", d->color ? "\033[1m" : "", d->color ? "\033[0m" : "");
    if (!c->nservices) {
        fputs("  No evidence of the update services at either point.\n", fp);
    } else {
        fprintf(fp, "  %-17s %-29s %s\n", "Service", "State before -> after",
                "Start type before -> after");
        for (size_t i = 0; i < c->nservices; i++) {
            const struct cmp_service *s = &c->services[i];
            fputs(s->state_changed || s->start_changed ? "* " : "  ", fp);
            text_cell(fp, &cellb, s->name, 17, 1);
            fputc(' ', fp);
            sb_reset(&sb);
            sb_printf(&sb, "%s -> %s", s->state_before ? s->state_before : "unknown",
                      s->state_after ? s->state_after : "unknown");
            if (!s->state_changed) {
                sb_reset(&sb);
                sb_printf(&sb, "%s (same)", s->state_after ? s->state_after : "unknown");
            }
            text_cell(fp, &cellb, sb.buf, 29, 1);
            fputc(' ', fp);
            sb_reset(&sb);
            if (s->start_changed)
                sb_printf(&sb, "%s -> %s", s->start_before ? s->start_before : "unknown",
                          s->start_after ? s->start_after : "unknown");
            else
                sb_printf(&sb, "%s (same)", s->start_after ? s->start_after : "unknown");
            text_cell(fp, &cellb, sb.buf, 29, 0);
            fputc('\n', fp);
        }
    }

    if (c->since_us)
        fprintf(fp, "\n%sAFTER THE BEFORE POINT%s (events after %s UTC)\n",
                d->color ? "\033[1m" : "", d->color ? "\033[0m" : "",
                format_time(c->since_us, t1, sizeof t1));
    else
        fprintf(fp, "\n%sAFTER THE BEFORE POINT%s (every event: there were none before)\n",
                d->color ? "\033[1m" : "", d->color ? "\033[0m" : "");
    if (c->first_install) {
        sb_reset(&sb);
        sb_printf(&sb, "%s UTC, %s", format_time(c->first_install->time_us, t1, sizeof t1),
                  event_update(c->first_install));
        rc |= render_text_wrap(fp, "  First successful install: ", 28, sb.buf);
    } else {
        fputs("  First successful install: none yet\n", fp);
    }
    if (c->first_scan)
        fprintf(fp, "  First successful scan:    %s UTC\n",
                format_time(c->first_scan->time_us, t1, sizeof t1));
    else
        fputs("  First successful scan:    none yet\n", fp);
    fprintf(fp, "  %ld event%s, %ld failure%s, %ld successful install%s\n", c->events_after,
            c->events_after == 1 ? "" : "s", c->failures_after,
            c->failures_after == 1 ? "" : "s", c->installs_after,
            c->installs_after == 1 ? "" : "s");
    if (sb.oom || cellb.oom)
        rc = -1;
    sb_free(&sb);
    sb_free(&cellb);
    return rc || ferror(fp) ? -1 : 0;
}

/* ---- HTML ------------------------------------------------------------------- */

static const char *const compare_css =
    "table.cmp td{width:50%}"
    "tr.c-cleared td,li.c-cleared{background:#e8f5e9}"
    "tr.c-new td,li.c-new{background:#fdecea}"
    "tr.c-still-open td{background:#fff6e0}"
    ".chg{font-weight:700}"
    ".b-cleared{background:#2e7d32}.b-new{background:#c62828}.b-still-open{background:#b26a00}"
    ".b-healthy{background:#2e7d32}.b-unknown{background:#777}";

static void html_verdict(FILE *out, enum verdict v)
{
    const char *n = verdict_name(v);
    fprintf(out, "<span class=\"badge b-%s\">%s</span>", n, n);
}

static void html_point(FILE *out, struct strbuf *sb, const struct cmp_point *p)
{
    fputs("<td>", out);
    sb_reset(sb);
    point_label(sb, p);
    render_html_escape(out, sb->buf);
    fputs("<br><small>", out);
    sb_reset(sb);
    evidence_label(sb, p->model);
    render_html_escape(out, sb->buf);
    fputs("</small></td>", out);
}

static void html_side(FILE *out, const struct finding *f, const char *none)
{
    fputs("<td>", out);
    if (!f) {
        fputs(none, out);
    } else {
        fprintf(out, "<span class=\"badge b-%s\">%s</span>", severity_name(f->severity),
                severity_name(f->severity));
        render_html_escape(out, f->title);
        fprintf(out, " <small>(%ld)</small>", f->count);
    }
    fputs("</td>", out);
}

int render_compare_html(const struct compare_doc *d, FILE *out)
{
    const struct comparison *c = d->c;
    const char *trend = compare_trend(c);
    struct strbuf sb;
    char t1[32];

    sb_init(&sb);
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<title>wudiag compare: ", out);
    render_html_escape(out, c->host);
    fprintf(out, "</title>\n<style>%s%s</style>\n</head>\n<body>\n", render_html_css(),
            compare_css);
    fputs("<section class=\"host\">\n<header>\n<h1>What changed: ", out);
    render_html_escape(out, c->host);
    fputs("</h1>\n</header>\n", out);

    fprintf(out, "<section class=\"verdict v-%s\" id=\"verdict\" data-trend=\"%s\">"
            "<h2>Verdict: %s &rarr; %s (%s)</h2>\n<p>%zu cleared, %zu new, %zu still open. "
            "Now: ", verdict_name(c->verdict_after), trend, verdict_name(c->verdict_before),
            verdict_name(c->verdict_after), trend, c->ncleared, c->nnew, c->nstill);
    render_html_escape(out, c->after.diag->summary);
    fputs("</p></section>\n", out);

    fputs("<table class=\"cmp\" id=\"points\">\n<thead><tr><th>Before</th><th>After</th>"
          "</tr></thead>\n<tbody>\n<tr>", out);
    html_point(out, &sb, &c->before);
    html_point(out, &sb, &c->after);
    fputs("</tr>\n<tr><td>", out);
    html_verdict(out, c->verdict_before);
    render_html_escape(out, c->before.diag->summary);
    fputs("</td><td>", out);
    html_verdict(out, c->verdict_after);
    render_html_escape(out, c->after.diag->summary);
    fputs("</td></tr>\n</tbody></table>\n", out);

    fputs("<section id=\"findings\"><h2>Findings</h2>\n", out);
    if (!c->nfindings) {
        fputs("<p>No open finding at either point.</p>\n", out);
    } else {
        fputs("<table class=\"cmp\">\n<thead><tr><th>Before</th><th>After</th></tr></thead>\n"
              "<tbody>\n", out);
        for (size_t i = 0; i < c->nfindings; i++) {
            const struct cmp_finding *x = &c->findings[i];
            const char *ch = cmp_change_name(x->change);
            fprintf(out, "<tr class=\"c-%s\" data-change=\"%s\" data-key=\"", ch, ch);
            render_html_escape(out, x->key);
            fputs("\">", out);
            html_side(out, x->before, "&ndash;");
            if (x->change == CMP_CLEARED)
                fprintf(out, "<td><span class=\"badge b-cleared\">cleared</span>%s</td>",
                        x->resolved_after ? "resolved by a later success"
                                          : "no longer in the findings");
            else
                html_side(out, x->after, "&ndash;");
            fputs("</tr>\n", out);
            if (x->change != CMP_CLEARED) {
                const struct kb_fix *fx = x->after->fix_id ? kb_fix_find(x->after->fix_id)
                                                           : NULL;
                if (fx) {
                    fprintf(out, "<tr class=\"c-%s\"><td></td><td><small>Fix: ", ch);
                    render_html_escape(out, fx->title);
                    fputs("</small></td></tr>\n", out);
                }
            }
        }
        fputs("</tbody></table>\n", out);
    }
    fputs("</section>\n", out);

    fputs("<section id=\"services\"><h2>Update services</h2>\n", out);
    if (!c->nservices) {
        fputs("<p>No evidence of the update services at either point.</p>\n", out);
    } else {
        fputs("<table>\n<thead><tr><th>Service</th><th>State before</th><th>State after</th>"
              "<th>Start type before</th><th>Start type after</th></tr></thead>\n<tbody>\n",
              out);
        for (size_t i = 0; i < c->nservices; i++) {
            const struct cmp_service *s = &c->services[i];
            fputs("<tr><td>", out);
            render_html_escape(out, s->name);
            fputs("</td>", out);
            const char *v[4] = {s->state_before, s->state_after, s->start_before,
                                s->start_after};
            int chg[4] = {0, s->state_changed, 0, s->start_changed};
            for (int k = 0; k < 4; k++) {
                fputs(chg[k] ? "<td class=\"chg\">" : "<td>", out);
                render_html_escape(out, v[k] ? v[k] : "unknown");
                fputs("</td>", out);
            }
            fputs("</tr>\n", out);
        }
        fputs("</tbody></table>\n", out);
    }
    fputs("</section>\n", out);

    fputs("<section id=\"after\"><h2>After the before point</h2>\n<ul>\n", out);
    if (c->first_install) {
        fprintf(out, "<li class=\"c-cleared\" id=\"first-install\">First successful install: "
                "%s UTC, ", format_time(c->first_install->time_us, t1, sizeof t1));
        render_html_escape(out, event_update(c->first_install));
        fputs("</li>\n", out);
    } else {
        fputs("<li id=\"first-install\">First successful install: none yet</li>\n", out);
    }
    if (c->first_scan)
        fprintf(out, "<li>First successful scan: %s UTC</li>\n",
                format_time(c->first_scan->time_us, t1, sizeof t1));
    else
        fputs("<li>First successful scan: none yet</li>\n", out);
    fprintf(out, "<li>%ld event%s, %ld failure%s, %ld successful install%s after %s%s</li>\n"
            "</ul></section>\n", c->events_after, c->events_after == 1 ? "" : "s",
            c->failures_after, c->failures_after == 1 ? "" : "s", c->installs_after,
            c->installs_after == 1 ? "" : "s",
            c->since_us ? format_time(c->since_us, t1, sizeof t1) : "the before point",
            c->since_us ? " UTC" : " (it had no events)");
    fprintf(out, "<footer>Compared by wudiag ");
    render_html_escape(out, d->version);
    fprintf(out, " at %s UTC. Times are UTC.</footer>\n</section>\n</body>\n</html>\n",
            format_time(d->generated_us, t1, sizeof t1));
    int rc = sb.oom || ferror(out) ? -1 : 0;
    sb_free(&sb);
    return rc;
}

/* ---- JSON ------------------------------------------------------------------- */

static void jstr(struct strbuf *sb, const char *s)
{
    if (!s) {
        sb_adds(sb, "null");
        return;
    }
    sb_addc(sb, '"');
    sb_json_str(sb, s);
    sb_addc(sb, '"');
}

static void jtime(struct strbuf *sb, int64_t us)
{
    char t[WU_TIME_LEN];
    if (!us)
        sb_adds(sb, "null");
    else
        sb_printf(sb, "\"%s\"", wu_iso_time(us, 0, t, sizeof t));
}

static void json_point(struct strbuf *sb, const struct cmp_point *p)
{
    size_t open = 0;
    for (size_t i = 0; i < p->diag->n; i++)
        open += (size_t)cmp_finding_open(&p->diag->findings[i]);
    sb_adds(sb, "{\"run\":");
    if (p->run_id)
        sb_printf(sb, "%lld", (long long)p->run_id);
    else
        sb_adds(sb, "null");
    sb_adds(sb, ",\"kind\":");
    jstr(sb, p->run_id ? p->kind : NULL);
    sb_adds(sb, ",\"source\":");
    jstr(sb, p->run_id ? p->source : NULL);
    sb_adds(sb, ",\"time\":");
    jtime(sb, p->time_us);
    sb_adds(sb, ",\"first_event\":");
    jtime(sb, p->model->nevents ? p->model->first_us : 0);
    sb_adds(sb, ",\"last_event\":");
    jtime(sb, p->model->nevents ? p->model->last_us : 0);
    sb_printf(sb, ",\"events\":%zu,\"verdict\":\"%s\",\"summary\":", p->model->nevents,
              verdict_name(p->diag->verdict));
    jstr(sb, p->diag->summary);
    sb_printf(sb, ",\"open_findings\":%zu}", open);
}

static void json_finding(struct strbuf *sb, const struct finding *f)
{
    if (!f) {
        sb_adds(sb, "null");
        return;
    }
    sb_adds(sb, "{\"severity\":");
    jstr(sb, severity_name(f->severity));
    sb_adds(sb, ",\"resolved\":");
    sb_adds(sb, f->resolved ? "true" : "false");
    sb_adds(sb, ",\"title\":");
    jstr(sb, f->title);
    sb_printf(sb, ",\"count\":%ld,\"first_seen\":", f->count);
    jtime(sb, f->first_us);
    sb_adds(sb, ",\"last_seen\":");
    jtime(sb, f->last_us);
    sb_adds(sb, ",\"codes\":[");
    for (size_t i = 0; i < f->ncodes; i++)
        sb_printf(sb, "%s\"0x%08X\"", i ? "," : "", f->codes[i]);
    sb_adds(sb, "],\"fix\":");
    jstr(sb, f->fix_id);
    sb_addc(sb, '}');
}

static void json_event(struct strbuf *sb, const struct m_event *e)
{
    if (!e) {
        sb_adds(sb, "null");
        return;
    }
    sb_adds(sb, "{\"time\":");
    jtime(sb, e->time_us);
    sb_adds(sb, ",\"update\":");
    jstr(sb, e->title ? e->title : e->kb);
    sb_adds(sb, ",\"kb\":");
    jstr(sb, e->kb);
    sb_printf(sb, ",\"event_id\":%d}", e->event_id);
}

int render_compare_json(const struct compare_doc *d, FILE *out)
{
    const struct comparison *c = d->c;
    struct strbuf sb;
    int rc;

    sb_init(&sb);
    sb_adds(&sb, "{\"schema\":\"wudiag.compare/1\",\"wudiag_version\":");
    jstr(&sb, d->version);
    sb_adds(&sb, ",\"host\":");
    jstr(&sb, c->host);
    sb_adds(&sb, ",\"generated_at\":");
    jtime(&sb, d->generated_us);
    sb_adds(&sb, ",\"before\":");
    json_point(&sb, &c->before);
    sb_adds(&sb, ",\"after\":");
    json_point(&sb, &c->after);
    sb_printf(&sb, ",\"verdict\":{\"before\":\"%s\",\"after\":\"%s\",\"trend\":\"%s\"}",
              verdict_name(c->verdict_before), verdict_name(c->verdict_after),
              compare_trend(c));
    sb_printf(&sb, ",\"counts\":{\"cleared\":%zu,\"new\":%zu,\"still_open\":%zu}",
              c->ncleared, c->nnew, c->nstill);
    sb_adds(&sb, ",\"findings\":[");
    for (size_t i = 0; i < c->nfindings; i++) {
        const struct cmp_finding *x = &c->findings[i];
        const struct finding *f = x->after ? x->after : x->before;
        sb_adds(&sb, i ? ",{\"change\":" : "{\"change\":");
        jstr(&sb, cmp_change_name(x->change));
        sb_adds(&sb, ",\"key\":");
        jstr(&sb, x->key);
        sb_adds(&sb, ",\"rule\":");
        jstr(&sb, f->rule);
        sb_adds(&sb, ",\"before\":");
        json_finding(&sb, x->before);
        sb_adds(&sb, ",\"after\":");
        json_finding(&sb, x->after ? x->after : x->resolved_after);
        sb_addc(&sb, '}');
    }
    sb_adds(&sb, "],\"services\":[");
    for (size_t i = 0; i < c->nservices; i++) {
        const struct cmp_service *s = &c->services[i];
        sb_adds(&sb, i ? ",{\"name\":" : "{\"name\":");
        jstr(&sb, s->name);
        sb_adds(&sb, ",\"state_before\":");
        jstr(&sb, s->state_before);
        sb_adds(&sb, ",\"state_after\":");
        jstr(&sb, s->state_after);
        sb_adds(&sb, ",\"start_type_before\":");
        jstr(&sb, s->start_before);
        sb_adds(&sb, ",\"start_type_after\":");
        jstr(&sb, s->start_after);
        sb_printf(&sb, ",\"changed\":%s}",
                  s->state_changed || s->start_changed ? "true" : "false");
    }
    sb_adds(&sb, "],\"since_before\":{\"since\":");
    jtime(&sb, c->since_us);
    sb_printf(&sb, ",\"events\":%ld,\"failures\":%ld,\"installs\":%ld,\"first_install\":",
              c->events_after, c->failures_after, c->installs_after);
    json_event(&sb, c->first_install);
    sb_adds(&sb, ",\"first_scan\":");
    json_event(&sb, c->first_scan);
    sb_adds(&sb, "}}\n");
    if (sb.oom) {
        sb_free(&sb);
        return -1;
    }
    rc = fwrite(sb.buf, 1, sb.len, out) == sb.len && !ferror(out) ? 0 : -1;
    sb_free(&sb);
    return rc;
}
