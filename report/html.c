/*
 * html.c - the self-contained HTML report: one file, inline CSS, an inline
 * SVG chart of failures over time, no JavaScript and no external resource,
 * readable on screen and on paper.
 *
 * Every string that can come from a log goes through esc(): the five HTML
 * metacharacters become entities, control characters become spaces,
 * bidi controls (util/safetext.h) and invalid UTF-8 become U+FFFD, in text
 * and in attribute values alike.
 */
#include "report/report.h"
#include "report/fleet.h"
#include "vocab/kb.h"
#include "util/safetext.h"
#include "util/strbuf.h"
#include "util/timeutil.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Colours per category for the chart and the legend (index = kb_category). */
static const char *const cat_color[KB_CAT_COUNT] = {
    "#8c8c8c", /* unknown */
    "#d62728", /* service */
    "#1f77b4", /* network */
    "#9467bd", /* policy */
    "#17becf", /* download */
    "#ff7f0e", /* install */
    "#8c564b", /* servicing */
    "#e377c2", /* disk */
    "#bcbd22", /* reboot */
    "#2ca02c", /* benign */
};

static void esc(FILE *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t avail = strlen((const char *)p);

    while (*p) {
        size_t n;
        uint32_t cp;
        switch (*p) {
        case '&': fputs("&amp;", out); p++; avail--; continue;
        case '<': fputs("&lt;", out); p++; avail--; continue;
        case '>': fputs("&gt;", out); p++; avail--; continue;
        case '"': fputs("&quot;", out); p++; avail--; continue;
        case '\'': fputs("&#39;", out); p++; avail--; continue;
        default: break;
        }
        if (*p < 0x20 || *p == 0x7F) {
            fputc(*p == '\n' || *p == '\t' ? *p : ' ', out);
            p++; avail--;
            continue;
        }
        n = utf8_seq_len(p, avail);
        if (n == 0) {
            fputs("\xEF\xBF\xBD", out);
            n = 1;
        } else if (n == 2 && p[0] == 0xC2 && p[1] < 0xA0) {
            fputc(' ', out);        /* C1 control */
        } else if (safetext_seq((const char *)p, n, &cp) == SAFETEXT_BIDI) {
            fputs(SAFETEXT_REPLACEMENT, out);   /* U+202E & co. would reorder the page */
        } else {
            fwrite(p, 1, n, out);
        }
        p += n; avail -= n;
    }
}

static const char *const css =
    "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;"
    "color:#1b1b1b;background:#fff;margin:0 auto;max-width:62rem;padding:1rem 1.5rem}"
    "h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.2rem;border-bottom:1px solid #ccc;"
    "padding-bottom:.2rem;margin-top:1.8rem}h3{font-size:1.05rem;margin:.2rem 0}"
    "dl.meta{display:grid;grid-template-columns:max-content auto;gap:.1rem 1rem;margin:.5rem 0}"
    "dl.meta dt{font-weight:600}dl.meta dd{margin:0}"
    ".verdict{padding:.7rem 1rem;border-radius:6px;margin:1rem 0;border-left:8px solid}"
    ".verdict h2{border:0;margin:0;padding:0}"
    ".v-critical{background:#fdecea;border-color:#c62828}.v-warning{background:#fff6e0;border-color:#ef8f00}"
    ".v-healthy{background:#e8f5e9;border-color:#2e7d32}.v-unknown{background:#eee;border-color:#777}"
    ".finding{border:1px solid #ddd;border-left:6px solid #777;border-radius:4px;padding:.6rem .9rem;"
    "margin:.8rem 0;page-break-inside:avoid}"
    ".sev-critical{border-left-color:#c62828}.sev-warning{border-left-color:#ef8f00}"
    ".sev-info{border-left-color:#1976d2}.resolved{opacity:.85}"
    ".badge{display:inline-block;font-size:.75rem;font-weight:700;text-transform:uppercase;"
    "padding:.05rem .45rem;border-radius:3px;color:#fff;background:#777;margin-right:.4rem}"
    ".b-critical{background:#c62828}.b-warning{background:#b26a00}.b-info{background:#1976d2}"
    ".b-resolved{background:#2e7d32}"
    ".meta-line{color:#555;font-size:.9rem}code,pre{font-family:ui-monospace,Consolas,monospace}"
    "pre{background:#f5f5f5;border:1px solid #e0e0e0;padding:.5rem;overflow-x:auto;"
    "white-space:pre-wrap;word-break:break-all}"
    ".fix{background:#f7fbff;border:1px solid #d6e6f5;border-radius:4px;padding:.4rem .8rem;margin-top:.5rem}"
    "table{border-collapse:collapse;width:100%;font-size:.9rem}"
    "th,td{text-align:left;border-bottom:1px solid #e4e4e4;padding:.25rem .4rem;vertical-align:top}"
    "th{background:#fafafa}td.num{text-align:right}"
    ".legend span{display:inline-block;margin-right:1rem;font-size:.85rem}"
    ".legend i{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:-1px}"
    "footer{color:#666;font-size:.8rem;margin-top:2rem;border-top:1px solid #ddd;padding-top:.4rem}"
    "section.host{margin-bottom:3rem}"
    "@media print{body{max-width:none;font-size:11pt}a{color:inherit}"
    ".finding,.verdict{break-inside:avoid}details>summary{display:none}}";

int render_html_begin(FILE *out, size_t nhosts)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
          out);
    fprintf(out, "<title>wudiag report%s</title>\n", nhosts > 1 ? "s" : "");
    fprintf(out, "<style>%s</style>\n</head>\n<body>\n", css);
    return ferror(out) ? -1 : 0;
}

int render_html_end(FILE *out, size_t nhosts)
{
    (void)nhosts;
    fputs("</body>\n</html>\n", out);
    return ferror(out) ? -1 : 0;
}

static void fix_block(FILE *out, const char *fix_id)
{
    const struct kb_fix *fix = fix_id ? kb_fix_find(fix_id) : NULL;
    if (!fix)
        return;
    fputs("<div class=\"fix\"><h4>Fix: ", out);
    esc(out, fix->title);
    fputs("</h4>\n<p>", out);
    esc(out, fix->why);
    fputs("</p>\n", out);
    if (fix->steps[0]) {
        fputs("<ol>\n", out);
        for (int i = 0; i < KB_MAX_STEPS && fix->steps[i]; i++) {
            fputs("<li>", out);
            esc(out, fix->steps[i]);
            fputs("</li>\n", out);
        }
        fputs("</ol>\n", out);
    }
    if (fix->commands[0]) {
        fputs("<p>Commands (Command Prompt as administrator):</p>\n<pre>", out);
        for (int i = 0; i < KB_MAX_STEPS && fix->commands[i]; i++) {
            esc(out, fix->commands[i]);
            fputc('\n', out);
        }
        fputs("</pre>\n", out);
    }
    if (fix->links[0]) {
        fputs("<ul class=\"links\">\n", out);
        for (int i = 0; i < KB_MAX_LINKS && fix->links[i]; i++) {
            fputs("<li><a href=\"", out);
            esc(out, fix->links[i]);
            fputs("\">", out);
            esc(out, fix->links[i]);
            fputs("</a></li>\n", out);
        }
        fputs("</ul>\n", out);
    }
    fputs("</div>\n", out);
}

static void finding_block(FILE *out, const struct finding *f, size_t idx)
{
    char t1[32], t2[32];
    const char *sev = severity_name(f->severity);

    fprintf(out, "<article class=\"finding sev-%s%s\" id=\"finding-%zu\" "
            "data-rule=\"", sev, f->resolved ? " resolved" : "", idx);
    esc(out, f->rule);
    fputs("\">\n<h3>", out);
    if (f->resolved)
        fputs("<span class=\"badge b-resolved\">resolved</span>", out);
    else
        fprintf(out, "<span class=\"badge b-%s\">%s</span>", sev, sev);
    esc(out, f->title);
    fputs("</h3>\n<p class=\"meta-line\">", out);
    fprintf(out, "Confidence %d%% &middot; %ld occurrence%s", f->confidence,
            f->count, f->count == 1 ? "" : "s");
    if (f->first_us)
        fprintf(out, " &middot; %s &ndash; %s UTC",
                format_time(f->first_us, t1, sizeof t1),
                format_time(f->last_us, t2, sizeof t2));
    fputs("</p>\n", out);
    if (f->ncodes) {
        fputs("<ul class=\"codes\">\n", out);
        for (size_t i = 0; i < f->ncodes; i++) {
            const struct kb_code *k = kb_code_find(f->codes[i]);
            char fac[128];
            fprintf(out, "<li><code>0x%08X</code> <strong>", f->codes[i]);
            esc(out, k ? k->symbol : "unknown code");
            fputs("</strong>: ", out);
            esc(out, k ? k->meaning
                       : kb_describe_facility(f->codes[i], fac, sizeof fac));
            fputs("</li>\n", out);
        }
        fputs("</ul>\n", out);
    }
    if (f->nevidence) {
        fputs("<details open><summary>Evidence</summary>\n<ul class=\"evidence\">\n",
              out);
        for (size_t i = 0; i < f->nevidence; i++) {
            fputs("<li>", out);
            if (f->evidence[i].event_id)
                fprintf(out, "<small>event %d</small> ", f->evidence[i].event_id);
            esc(out, f->evidence[i].text);
            fputs("</li>\n", out);
        }
        if (f->evidence_more)
            fprintf(out, "<li class=\"more\">and %zu more</li>\n", f->evidence_more);
        fputs("</ul></details>\n", out);
    }
    if (!f->resolved)
        fix_block(out, f->fix_id);
    fputs("</article>\n", out);
}

/* Stacked bars: failures per bucket, one colour per category. */
static void chart(FILE *out, const struct report *r)
{
    const int W = 760, H = 220, left = 40, right = 10, top = 10, bottom = 40;
    const int pw = W - left - right, ph = H - top - bottom;
    char t[32];

    fputs("<section class=\"chart\"><h2>Failures over time</h2>\n", out);
    if (!r->nbuckets) {
        fputs("<p>No failures in the evidence.</p></section>\n", out);
        return;
    }
    fprintf(out, "<p>%ld failure event%s, per %s, by category.</p>\n", r->failures,
            r->failures == 1 ? "" : "s",
            r->bucket_us == WU_DAY_US ? "day" : "period of several days");
    fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"failures\" "
            "width=\"100%%\" viewBox=\"0 0 %d %d\" role=\"img\" "
            "aria-label=\"Failures over time by category\">\n", W, H);
    fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#fcfcfc\" "
            "stroke=\"#ddd\"/>\n", left, top, pw, ph);
    /* y axis: 0 and max */
    fprintf(out, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%d</text>\n",
            left - 4, top + 10, r->max_bucket);
    fprintf(out, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">0</text>\n",
            left - 4, top + ph);
    double bw = (double)pw / (double)r->nbuckets;
    for (size_t b = 0; b < r->nbuckets; b++) {
        const struct report_bucket *k = &r->buckets[b];
        double y = top + ph;
        for (int c = 0; c < KB_CAT_COUNT; c++) {
            if (!k->count[c])
                continue;
            double h = (double)ph * k->count[c] / (r->max_bucket ? r->max_bucket : 1);
            y -= h;
            fprintf(out, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                    "height=\"%.1f\" fill=\"%s\"><title>%s: %d %s</title></rect>\n",
                    left + b * bw + bw * 0.1, y, bw * 0.8 > 0.5 ? bw * 0.8 : 0.5, h,
                    cat_color[c], format_time(k->start_us, t, sizeof t) , k->count[c],
                    kb_category_name((enum kb_category)c));
        }
    }
    /* x axis labels: first and last bucket */
    format_time(r->buckets[0].start_us, t, sizeof t);
    t[10] = '\0';
    fprintf(out, "<text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>\n", left,
            top + ph + 16, t);
    format_time(r->buckets[r->nbuckets - 1].start_us, t, sizeof t);
    t[10] = '\0';
    fprintf(out, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%s</text>\n",
            left + pw, top + ph + 16, t);
    fputs("</svg>\n<p class=\"legend\">", out);
    for (int c = 0; c < KB_CAT_COUNT; c++) {
        int any = 0;
        for (size_t b = 0; b < r->nbuckets && !any; b++)
            any = r->buckets[b].count[c] > 0;
        if (any)
            fprintf(out, "<span><i style=\"background:%s\"></i>%s</span>", cat_color[c],
                    kb_category_name((enum kb_category)c));
    }
    fputs("</p></section>\n", out);
}

static void td(FILE *out, const char *s)
{
    fputs("<td>", out);
    esc(out, s ? s : "\xE2\x80\x93");
    fputs("</td>", out);
}

int render_html(const struct report *r, FILE *out)
{
    const struct model *m = r->model;
    const struct diagnosis *d = r->diag;
    char t1[32], t2[32];
    size_t open = 0, resolved = 0;
    const char *v = verdict_name(d->verdict);

    fputs("<section class=\"host\">\n<header>\n<h1>Windows Update diagnosis: ", out);
    esc(out, m->host);
    fputs("</h1>\n<dl class=\"meta\">\n<dt>Host</dt><dd>", out);
    esc(out, m->host);
    fputs("</dd>\n<dt>OS</dt><dd>", out);
    esc(out, m->os ? m->os : "unknown");
    fputs("</dd>\n<dt>Evidence</dt><dd>", out);
    if (m->nevents)
        fprintf(out, "%s &ndash; %s %s (%zu events)",
                format_time(m->first_us, t1, sizeof t1),
                format_time(m->last_us, t2, sizeof t2),
                model_has_local_times(m) ? "UTC or the log&rsquo;s local time" : "UTC",
                m->nevents);
    else
        fputs("no events stored", out);
    fprintf(out, "</dd>\n<dt>Generated</dt><dd>%s UTC by wudiag ",
            format_time(m->generated_us, t1, sizeof t1));
    esc(out, r->version);
    fputs("</dd>\n</dl>\n</header>\n", out);

    fprintf(out, "<section class=\"verdict v-%s\" id=\"verdict\"><h2>Verdict: %s</h2>\n<p>",
            v, v);
    esc(out, d->summary);
    fputs("</p></section>\n", out);

    for (size_t i = 0; i < d->n; i++)
        d->findings[i].resolved ? resolved++ : open++;
    fputs("<section id=\"findings\"><h2>Findings</h2>\n", out);
    if (!open)
        fputs("<p>None open.</p>\n", out);
    for (size_t i = 0; i < d->n; i++)
        if (!d->findings[i].resolved)
            finding_block(out, &d->findings[i], i + 1);
    fputs("</section>\n", out);
    if (resolved) {
        fputs("<section id=\"history\"><h2>History (resolved; not counted in the "
              "verdict)</h2>\n", out);
        for (size_t i = 0; i < d->n; i++)
            if (d->findings[i].resolved)
                finding_block(out, &d->findings[i], i + 1);
        fputs("</section>\n", out);
    }

    chart(out, r);

    fputs("<section id=\"services\"><h2>Update services</h2>\n<table>\n<thead><tr>"
          "<th>Service</th><th>Display name</th><th>State</th><th>Start type</th>"
          "<th>Source</th></tr></thead>\n<tbody>\n", out);
    for (size_t i = 0; i < r->nservices; i++) {
        const struct report_service *s = &r->services[i];
        fputs("<tr>", out);
        td(out, s->name);
        td(out, s->display);
        td(out, s->state ? s->state : "unknown");
        td(out, s->start_type ? s->start_type : "unknown");
        if (s->origin)
            fprintf(out, "<td>%s, %s</td>", strcmp(s->origin, "live") == 0 ? "live"
                    : "inferred from events", format_time(s->time_us, t1, sizeof t1));
        else
            fputs("<td>no evidence</td>", out);
        fputs("</tr>\n", out);
    }
    fputs("</tbody></table></section>\n", out);

    fputs("<section id=\"errors\"><h2>Error codes</h2>\n", out);
    if (!r->nerrors) {
        fputs("<p>None.</p>\n", out);
    } else {
        fputs("<table>\n<thead><tr><th>Code</th><th>Symbol</th><th>Category</th>"
              "<th>Count</th><th>First seen</th><th>Last seen</th></tr></thead>\n<tbody>\n",
              out);
        for (size_t i = 0; i < r->nerrors; i++) {
            const struct report_error *e = &r->errors[i];
            const struct kb_code *k = kb_code_find(e->code);
            fprintf(out, "<tr><td><code>0x%08X</code></td>", e->code);
            td(out, k ? k->symbol : "unknown");
            td(out, kb_category_name(k ? k->cat : KB_CAT_UNKNOWN));
            fprintf(out, "<td class=\"num\">%ld</td><td>%s</td><td>%s</td></tr>\n",
                    e->count, format_time(e->first_us, t1, sizeof t1),
                    format_time(e->last_us, t2, sizeof t2));
        }
        fputs("</tbody></table>\n", out);
    }
    fputs("</section>\n", out);

    fputs("<section id=\"updates\"><h2>Recent update attempts</h2>\n", out);
    if (!r->nattempts) {
        fputs("<p>None.</p>\n", out);
    } else {
        fputs("<table>\n<thead><tr><th>Time (UTC)</th><th>Update</th><th>Result</th>"
              "<th>Code</th></tr></thead>\n<tbody>\n", out);
        for (size_t i = 0; i < r->nattempts; i++) {
            const struct report_attempt *a = &r->attempts[i];
            fprintf(out, "<tr><td>%s</td>", format_time(a->time_us, t1, sizeof t1));
            td(out, a->update);
            td(out, a->result);
            if (a->has_code)
                fprintf(out, "<td><code>0x%08X</code></td></tr>\n", a->code);
            else
                fputs("<td></td></tr>\n", out);
        }
        fputs("</tbody></table>\n", out);
    }
    fputs("</section>\n", out);

    fputs("<section id=\"coverage\"><h2>Coverage</h2>\n", out);
    if (!m->ncoverage) {
        fputs("<p>No runs recorded for this host.</p>\n", out);
    } else {
        fputs("<table>\n<thead><tr><th>Source</th><th>Status</th><th>Detail</th>"
              "<th>Read at (UTC)</th></tr></thead>\n<tbody>\n", out);
        for (size_t i = 0; i < m->ncoverage; i++) {
            const struct m_coverage *c = &m->coverage[i];
            fputs("<tr>", out);
            td(out, c->source);
            td(out, c->status);
            td(out, c->detail);
            fprintf(out, "<td>%s</td></tr>\n", format_time(c->time_us, t1, sizeof t1));
        }
        fputs("</tbody></table>\n", out);
    }
    fputs("</section>\n<footer>Report by wudiag ", out);
    esc(out, r->version);
    fputs(". Times are UTC.</footer>\n</section>\n", out);
    return ferror(out) ? -1 : 0;
}

/* ---- fleet ------------------------------------------------------------------ */

#define FLEET_BUCKETS 90

/* One small bar chart per category: its failures over the fleet's range. */
static void fleet_charts(FILE *out, const struct fleet *f)
{
    const int W = 760, H = 70, left = 110, top = 6, ph = 50;
    const int pw = W - left - 10;
    char t1[32], t2[32];

    fputs("<section id=\"chart\"><h2>Failures over time, per category</h2>\n", out);
    if (!f->ndays) {
        fputs("<p>No failures in the evidence.</p></section>\n", out);
        return;
    }
    int64_t first = f->days[0].day_us, last = f->days[f->ndays - 1].day_us;
    int64_t span = (last - first) / WU_DAY_US + 1;
    int64_t per = (span + FLEET_BUCKETS - 1) / FLEET_BUCKETS;
    size_t nb = (size_t)((span + per - 1) / per);
    format_time(first, t1, sizeof t1);
    format_time(last, t2, sizeof t2);
    t1[10] = t2[10] = '\0';
    fprintf(out, "<p>%ld failure events on %zu hosts, %s to %s, per %lld day%s.</p>\n",
            f->failures, f->nhosts, t1, t2, (long long)per, per == 1 ? "" : "s");
    for (int c = 0; c < KB_CAT_COUNT; c++) {
        int counts[FLEET_BUCKETS] = {0}, max = 0;
        long total = 0;
        for (size_t i = 0; i < f->ndays; i++) {
            size_t b = (size_t)((f->days[i].day_us - first) / WU_DAY_US / per);
            if (b >= nb)
                b = nb - 1;
            counts[b] += f->days[i].count[c];
            total += f->days[i].count[c];
        }
        if (!total)
            continue;
        for (size_t b = 0; b < nb; b++)
            if (counts[b] > max)
                max = counts[b];
        fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"category-chart\" "
                "data-category=\"%s\" width=\"100%%\" viewBox=\"0 0 %d %d\" role=\"img\" "
                "aria-label=\"%s failures over time\">\n",
                kb_category_name((enum kb_category)c), W, H,
                kb_category_name((enum kb_category)c));
        fprintf(out, "<text x=\"0\" y=\"%d\" font-size=\"12\">%s (%ld)</text>\n",
                top + ph / 2 + 4, kb_category_name((enum kb_category)c), total);
        fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#fcfcfc\" "
                "stroke=\"#e4e4e4\"/>\n", left, top, pw, ph);
        double bw = (double)pw / (double)nb;
        for (size_t b = 0; b < nb; b++) {
            if (!counts[b])
                continue;
            double h = (double)ph * counts[b] / max;
            fprintf(out, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                    "height=\"%.1f\" fill=\"%s\"><title>%d</title></rect>\n",
                    left + b * bw + bw * 0.1, top + ph - h, bw * 0.8 > 0.5 ? bw * 0.8 : 0.5,
                    h, cat_color[c], counts[b]);
        }
        fputs("</svg>\n", out);
    }
    fputs("</section>\n", out);
}

int render_fleet_html(const struct fleet *f, FILE *out)
{
    char t1[32];
    const char *v = verdict_name(fleet_worst(f));

    render_html_begin(out, f->nhosts);
    fputs("<section class=\"fleet\">\n<header>\n<h1>Windows Update fleet report</h1>\n"
          "<dl class=\"meta\">\n", out);
    fprintf(out, "<dt>Hosts</dt><dd>%zu</dd>\n<dt>Generated</dt><dd>%s UTC by wudiag ",
            f->nhosts, format_time(f->generated_us, t1, sizeof t1));
    esc(out, f->version);
    fputs("</dd>\n</dl>\n</header>\n", out);
    fprintf(out, "<section class=\"verdict v-%s\" id=\"verdict\"><h2>Verdict: %s</h2>\n"
            "<p>%d critical, %d warning, %d healthy, %d without evidence; %zu not "
            "updated for %d days.</p></section>\n", v, v, f->by_verdict[VERDICT_CRITICAL],
            f->by_verdict[VERDICT_WARNING], f->by_verdict[VERDICT_HEALTHY],
            f->by_verdict[VERDICT_UNKNOWN], f->nstale, f->stale_days);

    fputs("<section id=\"hosts\"><h2>Hosts (worst first)</h2>\n<table>\n<thead><tr>"
          "<th>Host</th><th>Verdict</th><th>Main finding</th><th>Fix</th>"
          "<th>Last successful install</th><th>Events</th></tr></thead>\n<tbody>\n", out);
    for (size_t i = 0; i < f->nhosts; i++) {
        const struct fleet_host *h = &f->hosts[i];
        fprintf(out, "<tr class=\"v-%s\">", verdict_name(h->verdict));
        td(out, h->host);
        td(out, verdict_name(h->verdict));
        td(out, h->verdict == VERDICT_HEALTHY ? "" : h->summary);
        td(out, h->fix_id ? h->fix_id : "");
        if (h->last_success_us)
            fprintf(out, "<td>%s</td>", format_time(h->last_success_us, t1, sizeof t1));
        else
            fputs("<td>never</td>", out);
        fprintf(out, "<td class=\"num\">%zu</td></tr>\n", h->nevents);
    }
    fputs("</tbody></table>\n", out);
    for (size_t i = 0; i < f->nunreadable; i++) {
        fputs("<p class=\"unreadable\">Unreadable: ", out);
        esc(out, f->unreadable[i]);
        fputs("</p>\n", out);
    }
    fputs("</section>\n", out);

    fputs("<section id=\"codes\"><h2>Most common error codes</h2>\n", out);
    if (!f->ncodes) {
        fputs("<p>None.</p>\n", out);
    } else {
        fputs("<table>\n<thead><tr><th>Code</th><th>Symbol</th><th>Category</th>"
              "<th>Hosts</th><th>Events</th><th>Fix</th></tr></thead>\n<tbody>\n", out);
        for (size_t i = 0; i < f->ncodes && i < 30; i++) {
            const struct fleet_code *c = &f->codes[i];
            const struct kb_code *k = kb_code_find(c->code);
            const struct kb_fix *fx = k ? kb_fix_find(k->fix_id) : NULL;
            fprintf(out, "<tr><td><code>0x%08X</code></td>", c->code);
            td(out, k ? k->symbol : "unknown");
            td(out, kb_category_name(k ? k->cat : KB_CAT_UNKNOWN));
            fprintf(out, "<td class=\"num\">%d</td><td class=\"num\">%ld</td>", c->hosts,
                    c->events);
            td(out, fx ? fx->title : "");
            fputs("</tr>\n", out);
        }
        fputs("</tbody></table>\n", out);
    }
    fputs("</section>\n", out);

    fprintf(out, "<section id=\"stale\"><h2>Hosts not updated for %d days</h2>\n",
            f->stale_days);
    if (!f->nstale)
        fputs("<p>None.</p>\n", out);
    else {
        fputs("<ul>\n", out);
        for (size_t i = 0; i < f->nhosts; i++) {
            const struct fleet_host *h = &f->hosts[i];
            if (!h->stale)
                continue;
            fputs("<li>", out);
            esc(out, h->host);
            if (h->last_success_us)
                fprintf(out, ": last successful install %s UTC</li>\n",
                        format_time(h->last_success_us, t1, sizeof t1));
            else
                fputs(": no successful install in the evidence</li>\n", out);
        }
        fputs("</ul>\n", out);
    }
    fputs("</section>\n", out);
    fleet_charts(out, f);
    fputs("<footer>Per-host details: <code>wudiag report --host NAME --format html"
          "</code>. Times are UTC.</footer>\n</section>\n", out);
    return render_html_end(out, f->nhosts);
}

/* ---- shared with the other HTML renderers (compare_render.c) ------------- */

void render_html_escape(FILE *out, const char *s)
{
    esc(out, s);
}

const char *render_html_css(void)
{
    return css;
}
