/*
 * text.c - the plain-text report: fits 80 columns, UTF-8, colour only when
 * the caller allows it (a terminal and no NO_COLOR).  Strings from logs go
 * through util/safetext.h (controls, bidi controls and invalid UTF-8 become
 * U+FFFD) so a hostile log cannot drive the terminal or reorder the text.
 * Nothing is cut silently: wrapped text is printed whole up to
 * TEXT_MAX_CHARS characters (past that it ends in an ellipsis and says how
 * many characters follow), and a table column too narrow for its value ends
 * in an ellipsis, cut at a character boundary.  Widths are display columns
 * (util/dispwidth.h): CJK and fullwidth characters take two, combining
 * marks none; text without blanks (Japanese, Chinese) wraps between wide
 * characters.  The JSON and HTML reports carry every value whole.
 */
#include "report/report.h"
#include "report/fleet.h"
#include "vocab/kb.h"
#include "util/dispwidth.h"
#include "util/safetext.h"
#include "util/strbuf.h"
#include "util/timeutil.h"

#include <stdio.h>
#include <string.h>

#define WIDTH 79
#define ELLIPSIS "\xE2\x80\xA6"       /* U+2026, one column */
/* Wrapped text longer than this many characters (a 10 MB update title) is
 * cut visibly so the report stays readable; JSON and HTML keep it whole. */
#define TEXT_MAX_CHARS 2000

struct out {
    FILE *fp;
    int color;
    struct strbuf tmp;      /* scratch of wrap() and cell() */
    int oom;                /* a strbuf ran out of memory: render fails */
};

/* Append s to sb as one line that cannot drive the terminal: TAB, CR and
 * LF as spaces, other controls, bidi controls and invalid UTF-8 as U+FFFD
 * (util/safetext.h). */
static void clean(struct strbuf *sb, const char *s)
{
    safetext_adds(sb, s ? s : "", SAFETEXT_ONELINE);
}

/* Display columns of a UTF-8 string. */
static size_t cols(const char *s, size_t bytes)
{
    return dw_width_n(s, bytes);
}

/* Code points of a UTF-8 string (the TEXT_MAX_CHARS cap counts these). */
static size_t nchars(const char *s, size_t bytes)
{
    size_t c = 0;
    for (size_t i = 0; i < bytes; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            c++;
    return c;
}

/* Byte offset of character number k of s[0..bytes). */
static size_t char_offset(const char *s, size_t bytes, size_t k)
{
    size_t i = 0, n = 0;
    for (; i < bytes; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80 && n++ == k)
            break;
    return i;
}

/*
 * Append s cleaned, at most width columns: a longer value keeps what fits
 * in width - 1 columns, cut at a character boundary (clean() leaves only
 * valid UTF-8), and ends in an ellipsis.  Returns the columns appended
 * (less than width when a wide character did not fit).
 */
static size_t clip(struct strbuf *sb, const char *s, size_t width)
{
    size_t start = sb->len, c, w;

    clean(sb, s);
    if (sb->oom || sb->len == start)
        return 0;
    c = cols(sb->buf + start, sb->len - start);
    if (c <= width)
        return c;
    if (width == 0) {
        sb->len = start;
        sb->buf[sb->len] = '\0';
        return 0;
    }
    sb->len = start + dw_prefix(sb->buf + start, sb->len - start, width - 1, &w);
    sb->buf[sb->len] = '\0';
    sb_adds(sb, ELLIPSIS);
    return w + 1;
}

/* Bytes of the next wrap segment of w[0..n): a run of narrow characters,
 * or one wide character (a line may break before or after it); zero-width
 * characters stay with the one before them. */
static size_t segment(const char *w, size_t n)
{
    uint32_t cp;
    size_t i = dw_decode(w, n, &cp);
    int wide = dw_char_width(cp) == 2;

    while (i < n) {
        size_t len = dw_decode(w + i, n - i, &cp);
        int cw = dw_char_width(cp);
        if (cw != 0 && (wide || cw == 2))
            break;
        i += len;
    }
    return i;
}

/*
 * Print `first`, then text word-wrapped to WIDTH; continuation lines are
 * indented by `indent` spaces.  A word longer than a line (a URL) is kept
 * whole; text over TEXT_MAX_CHARS ends in an ellipsis and says how many
 * characters follow.
 */
static void wrap(struct out *o, const char *first, size_t indent, const char *text)
{
    const char *p;
    size_t col = cols(first, strlen(first));
    int need_space = 0;

    sb_reset(&o->tmp);
    clean(&o->tmp, text);
    if (o->tmp.len) {
        size_t all = nchars(o->tmp.buf, o->tmp.len);
        if (all > TEXT_MAX_CHARS) {
            o->tmp.len = char_offset(o->tmp.buf, o->tmp.len, TEXT_MAX_CHARS - 1);
            o->tmp.buf[o->tmp.len] = '\0';
            sb_adds(&o->tmp, ELLIPSIS);
            sb_printf(&o->tmp, " (%zu more characters: the JSON and HTML reports "
                      "have the whole text)", all - (TEXT_MAX_CHARS - 1));
        }
    }
    if (o->tmp.oom) {
        o->oom = 1;
        return;
    }
    p = o->tmp.buf ? o->tmp.buf : "";

    fputs(first, o->fp);
    int line_used = 0;      /* something of text is on this line */
    for (;;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        const char *w = p;
        while (*p && *p != ' ')
            p++;
        /* a word is one segment, or several where it has wide characters */
        for (size_t wb = (size_t)(p - w); wb > 0;) {
            size_t sb = segment(w, wb), sc = cols(w, sb);
            size_t gap = need_space ? 1 : 0;
            if (line_used && col + gap + sc > WIDTH) {
                fprintf(o->fp, "\n%*s", (int)indent, "");
                col = indent;
                gap = 0;
            }
            if (gap) {
                fputc(' ', o->fp);
                col++;
            }
            fwrite(w, 1, sb, o->fp);
            col += sc;
            line_used = 1;
            need_space = 0;
            w += sb;
            wb -= sb;
        }
        need_space = 1;
    }
    fputc('\n', o->fp);
}

static void heading(struct out *o, const char *title)
{
    if (o->color)
        fprintf(o->fp, "\n\033[1m%s\033[0m\n", title);
    else
        fprintf(o->fp, "\n%s\n", title);
}

static const char *sev_color(enum severity s)
{
    switch (s) {
    case SEV_CRITICAL: return "\033[1;31m";
    case SEV_WARNING: return "\033[1;33m";
    default: return "\033[1;36m";
    }
}

/*
 * A command, copy-pasteable into cmd.exe: one that does not fit is broken at
 * a blank outside quotes with cmd's " ^" line continuation.  A command with
 * no such blank stays whole.
 */
static void print_command(struct out *o, const char *cmd)
{
    const size_t indent = 6, room = WIDTH - indent - 2;   /* 2 for " ^" */
    const char *p = cmd;

    fprintf(o->fp, "%*s", (int)indent, "");
    while (cols(p, strlen(p)) > WIDTH - indent) {
        const char *brk = NULL;
        int quoted = 0;
        size_t c = 0;
        for (const char *q = p; *q && c <= room; q++) {
            if (*q == '"')
                quoted = !quoted;
            else if (*q == ' ' && !quoted && q > p)
                brk = q;
            if (((unsigned char)*q & 0xC0) != 0x80)
                c += cols(q, (size_t)dw_decode(q, strlen(q), &(uint32_t){0}));
        }
        if (!brk)
            break;
        fwrite(p, 1, (size_t)(brk - p), o->fp);
        fprintf(o->fp, " ^\n%*s", (int)(indent + 2), "");
        p = brk + 1;
    }
    fprintf(o->fp, "%s\n", p);
}

static void print_fix(struct out *o, const char *fix_id)
{
    const struct kb_fix *fix = fix_id ? kb_fix_find(fix_id) : NULL;
    char line[128];

    if (!fix)
        return;
    wrap(o, "    Fix: ", 9, fix->title);
    wrap(o, "         ", 9, fix->why);
    for (int i = 0; i < KB_MAX_STEPS && fix->steps[i]; i++) {
        snprintf(line, sizeof line, "      %2d. ", i + 1);
        wrap(o, line, 10, fix->steps[i]);
    }
    if (fix->commands[0]) {
        fprintf(o->fp, "    Commands (elevated Command Prompt):\n");
        for (int i = 0; i < KB_MAX_STEPS && fix->commands[i]; i++)
            print_command(o, fix->commands[i]);
    }
    for (int i = 0; i < KB_MAX_LINKS && fix->links[i]; i++)
        fprintf(o->fp, "    See: %s\n", fix->links[i]);
}

static void print_finding(struct out *o, size_t idx, const struct finding *f)
{
    char line[64], t1[32], t2[32];
    struct strbuf buf;

    snprintf(line, sizeof line, "[%zu] %-8s ", idx, severity_name(f->severity));
    for (char *c = line + 4; *c && *c != ' '; c++)
        *c = (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c);
    if (o->color) {
        fprintf(o->fp, "%s", sev_color(f->severity));
        fputs(line, o->fp);
        fprintf(o->fp, "\033[0m");
        wrap(o, "", 13, f->title);
    } else {
        wrap(o, line, 13, f->title);
    }
    sb_init(&buf);
    sb_printf(&buf, "Confidence %d%%, %ld occurrence%s", f->confidence,
              f->count, f->count == 1 ? "" : "s");
    if (f->first_us)
        sb_printf(&buf, ", %s .. %s UTC", format_time(f->first_us, t1, sizeof t1),
                  format_time(f->last_us, t2, sizeof t2));
    wrap(o, "    ", 6, buf.buf);
    for (size_t i = 0; i < f->ncodes; i++) {
        const struct kb_code *k = kb_code_find(f->codes[i]);
        char fac[128];
        sb_reset(&buf);
        sb_printf(&buf, "0x%08X %s: %s", f->codes[i], k ? k->symbol : "(unknown)",
                  k ? k->meaning : kb_describe_facility(f->codes[i], fac, sizeof fac));
        wrap(o, i == 0 ? "    Code: " : "          ", 10, buf.buf);
    }
    if (buf.oom)
        o->oom = 1;
    sb_free(&buf);
    if (f->nevidence) {
        fprintf(o->fp, "    Evidence%s:\n",
                (long)f->nevidence < f->count ? " (latest)" : "");
        for (size_t i = 0; i < f->nevidence; i++)
            wrap(o, "      - ", 8, f->evidence[i].text);
        /* the older ones past the cap, counted */
        if (f->evidence_more)
            fprintf(o->fp, "      (and %zu more)\n", f->evidence_more);
    }
    if (!f->resolved)
        print_fix(o, f->fix_id);
}

/* A table cell: s padded to width columns, or cut visibly (clip). */
static void cell(struct out *o, const char *s, int width)
{
    size_t c;

    sb_reset(&o->tmp);
    c = clip(&o->tmp, s ? s : "-", (size_t)width);
    if (o->tmp.oom) {
        o->oom = 1;
        return;
    }
    fwrite(o->tmp.buf ? o->tmp.buf : "", 1, o->tmp.len, o->fp);
    fprintf(o->fp, "%*s", (int)((size_t)width - c), "");
}

int render_text(const struct report *r, FILE *fp)
{
    const struct model *m = r->model;
    const struct diagnosis *d = r->diag;
    struct out o = {fp, r->color, {NULL, 0, 0, 0}, 0};
    char t1[32], t2[32], head[64];
    struct strbuf line;
    size_t open = 0, resolved = 0;
    int rc;

    sb_init(&line);

    fprintf(fp, "wudiag %s - Windows Update diagnosis\n", r->version);
    wrap(&o, "Host:       ", 12, m->host);
    wrap(&o, "OS:         ", 12, m->os ? m->os : "unknown");
    if (m->nevents && model_has_local_times(m))
        fprintf(fp, "Evidence:   %s .. %s (%zu events)\n"
                "            UTC, but local time for text logs that state no offset\n",
                format_time(m->first_us, t1, sizeof t1),
                format_time(m->last_us, t2, sizeof t2), m->nevents);
    else if (m->nevents)
        fprintf(fp, "Evidence:   %s .. %s UTC (%zu events)\n",
                format_time(m->first_us, t1, sizeof t1),
                format_time(m->last_us, t2, sizeof t2), m->nevents);
    else
        fprintf(fp, "Evidence:   no events stored\n");
    fprintf(fp, "Generated:  %s UTC\n", format_time(m->generated_us, t1, sizeof t1));

    snprintf(head, sizeof head, "VERDICT: %s - ", verdict_name(d->verdict));
    for (char *c = head + 9; *c && *c != ' '; c++)
        *c = (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c);
    fputc('\n', fp);
    if (o.color)
        fputs(d->verdict == VERDICT_CRITICAL ? "\033[1;31m"
              : d->verdict == VERDICT_WARNING ? "\033[1;33m"
              : d->verdict == VERDICT_HEALTHY ? "\033[1;32m" : "\033[1m", fp);
    wrap(&o, head, 4, d->summary);
    if (o.color)
        fputs("\033[0m", fp);

    for (size_t i = 0; i < d->n; i++)
        d->findings[i].resolved ? resolved++ : open++;
    heading(&o, "FINDINGS");
    if (!open)
        fprintf(fp, "  None open.\n");
    for (size_t i = 0, k = 0; i < d->n; i++) {
        if (d->findings[i].resolved)
            continue;
        if (k)
            fputc('\n', fp);
        print_finding(&o, ++k, &d->findings[i]);
    }
    if (resolved) {
        heading(&o, "HISTORY (resolved; not counted in the verdict)");
        for (size_t i = 0, k = 0; i < d->n; i++) {
            if (!d->findings[i].resolved)
                continue;
            if (k)
                fputc('\n', fp);
            print_finding(&o, ++k, &d->findings[i]);
        }
    }

    heading(&o, "UPDATE SERVICES");
    fprintf(fp, "  %-17s %-14s %-13s %s\n", "Service", "State", "Start type", "Source");
    for (size_t i = 0; i < r->nservices; i++) {
        const struct report_service *s = &r->services[i];
        fputs("  ", fp);
        cell(&o, s->name, 17);
        fputc(' ', fp);
        cell(&o, s->state ? s->state : "unknown", 14);
        fputc(' ', fp);
        cell(&o, s->start_type ? s->start_type : "unknown", 13);
        fputc(' ', fp);
        if (!s->origin)
            fputs("no evidence\n", fp);
        else
            fprintf(fp, "%s %s\n", strcmp(s->origin, "live") == 0 ? "live" : "events",
                    format_time(s->time_us, t1, sizeof t1));
    }

    heading(&o, "ERROR CODES");
    if (!r->nerrors)
        fprintf(fp, "  None.\n");
    else
        fprintf(fp, "  %-10s %-28s %-9s %5s  %-10s %s\n", "Code", "Symbol",
                "Category", "Count", "First", "Last");
    for (size_t i = 0; i < r->nerrors; i++) {
        const struct report_error *e = &r->errors[i];
        const struct kb_code *k = kb_code_find(e->code);
        fprintf(fp, "  0x%08X ", e->code);
        cell(&o, k ? k->symbol : "(unknown)", 28);
        fputc(' ', fp);
        cell(&o, kb_category_name(k ? k->cat : KB_CAT_UNKNOWN), 9);
        format_time(e->first_us, t1, sizeof t1);
        format_time(e->last_us, t2, sizeof t2);
        t1[10] = t2[10] = '\0';
        fprintf(fp, " %5ld  %s %s\n", e->count, t1, t2);
    }

    heading(&o, "RECENT UPDATE ATTEMPTS (newest first)");
    if (!r->nattempts)
        fprintf(fp, "  None.\n");
    for (size_t i = 0; i < r->nattempts; i++) {
        const struct report_attempt *a = &r->attempts[i];
        format_time(a->time_us, t1, sizeof t1);
        t1[16] = '\0';
        fprintf(fp, "  %s  ", t1);
        cell(&o, a->result, 16);
        fputc(' ', fp);
        /* the KB number first: it is what survives the cut */
        sb_reset(&line);
        sb_printf(&line, "%s%s%s", a->kb && a->update != a->kb ? a->kb : "",
                  a->kb && a->update != a->kb ? " " : "", a->update);
        if (a->has_code) {
            fprintf(fp, "0x%08X ", a->code);
            cell(&o, line.buf, 30);
        } else {
            cell(&o, line.buf, 41);
        }
        fputc('\n', fp);
    }

    heading(&o, "COVERAGE");
    if (!m->ncoverage)
        fprintf(fp, "  No runs recorded for this host.\n");
    for (size_t i = 0; i < m->ncoverage; i++) {
        const struct m_coverage *c = &m->coverage[i];
        /* the status is data too: cleaned, cut visibly to its column */
        struct strbuf st;
        sb_init(&st);
        sb_adds(&st, "  ");
        size_t sc = clip(&st, c->status, 8);
        sb_printf(&st, "%*s ", (int)(8 - sc), "");
        sb_reset(&line);
        sb_printf(&line, "%s: %s", c->source, c->detail ? c->detail : "");
        if (st.oom || line.oom)
            o.oom = 1;
        else
            wrap(&o, st.buf, 11, line.buf);
        sb_free(&st);
    }
    rc = ferror(fp) || o.oom || line.oom ? -1 : 0;
    sb_free(&line);
    sb_free(&o.tmp);
    return rc;
}

int render_text_between(FILE *out)
{
    fputs("\n================================================================"
          "==============\n\n", out);
    return ferror(out) ? -1 : 0;
}

/* ---- fleet ------------------------------------------------------------------ */

int render_fleet_text(const struct fleet *f, FILE *fp)
{
    struct out o = {fp, 0, {NULL, 0, 0, 0}, 0};
    char t1[32];
    struct strbuf line;
    enum verdict worst = fleet_worst(f);
    int rc;

    sb_init(&line);

    fprintf(fp, "wudiag %s - Windows Update fleet report\n", f->version);
    fprintf(fp, "Hosts:      %zu (%d critical, %d warning, %d healthy, %d no evidence)\n",
            f->nhosts, f->by_verdict[VERDICT_CRITICAL], f->by_verdict[VERDICT_WARNING],
            f->by_verdict[VERDICT_HEALTHY], f->by_verdict[VERDICT_UNKNOWN]);
    fprintf(fp, "Generated:  %s UTC\n\n", format_time(f->generated_us, t1, sizeof t1));
    sb_printf(&line, "%d of %zu hosts critical, %d warning; %zu not updated "
              "for %d days", f->by_verdict[VERDICT_CRITICAL], f->nhosts,
              f->by_verdict[VERDICT_WARNING], f->nstale, f->stale_days);
    char head[64];
    snprintf(head, sizeof head, "VERDICT: %s - ", verdict_name(worst));
    for (char *c = head + 9; *c && *c != ' '; c++)
        *c = (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c);
    wrap(&o, head, 4, line.buf);

    heading(&o, "HOSTS (worst first)");
    fprintf(fp, "  %-24s %-9s %-11s %s\n", "Host", "Verdict", "Last OK", "Main finding");
    for (size_t i = 0; i < f->nhosts; i++) {
        const struct fleet_host *h = &f->hosts[i];
        fputs("  ", fp);
        cell(&o, h->host, 24);
        fputc(' ', fp);
        cell(&o, verdict_name(h->verdict), 9);
        fputc(' ', fp);
        if (h->last_success_us) {
            format_time(h->last_success_us, t1, sizeof t1);
            t1[10] = '\0';
        } else {
            snprintf(t1, sizeof t1, "never");
        }
        cell(&o, t1, 11);
        fputc(' ', fp);
        cell(&o, h->verdict == VERDICT_HEALTHY ? "-" : h->summary, 29);
        fputc('\n', fp);
    }
    for (size_t i = 0; i < f->nunreadable; i++)
        wrap(&o, "  unreadable: ", 14, f->unreadable[i]);

    heading(&o, "MOST COMMON ERROR CODES (by number of hosts)");
    if (!f->ncodes)
        fprintf(fp, "  None.\n");
    else
        fprintf(fp, "  %-10s %-28s %5s %7s  %s\n", "Code", "Symbol", "Hosts", "Events",
                "Fix");
    for (size_t i = 0; i < f->ncodes && i < 20; i++) {
        const struct fleet_code *c = &f->codes[i];
        const struct kb_code *k = kb_code_find(c->code);
        fprintf(fp, "  0x%08X ", c->code);
        cell(&o, k ? k->symbol : "(unknown)", 28);
        fprintf(fp, " %5d %7ld  ", c->hosts, c->events);
        cell(&o, k ? k->fix_id : "-", 21);
        fputc('\n', fp);
    }

    sb_reset(&line);
    sb_printf(&line, "HOSTS NOT UPDATED FOR %d DAYS", f->stale_days);
    heading(&o, line.oom ? "HOSTS NOT UPDATED" : line.buf);
    if (!f->nstale)
        fprintf(fp, "  None.\n");
    for (size_t i = 0; i < f->nhosts; i++) {
        const struct fleet_host *h = &f->hosts[i];
        if (!h->stale)
            continue;
        fputs("  ", fp);
        cell(&o, h->host, 40);
        if (h->last_success_us)
            fprintf(fp, " last install %s\n",
                    format_time(h->last_success_us, t1, sizeof t1));
        else
            fprintf(fp, " no successful install in the evidence\n");
    }
    fprintf(fp, "\nPer-host details: wudiag report --host NAME\n");
    rc = ferror(fp) || o.oom || line.oom ? -1 : 0;
    sb_free(&line);
    sb_free(&o.tmp);
    return rc;
}

/* ---- shared with the other text renderers (summary.c, compare_render.c) -- */

size_t render_text_clip(struct strbuf *sb, const char *s, size_t width)
{
    return clip(sb, s, width);
}

int render_text_wrap(FILE *fp, const char *first, size_t indent, const char *text)
{
    struct out o = {fp, 0, {NULL, 0, 0, 0}, 0};
    wrap(&o, first, indent, text);
    sb_free(&o.tmp);
    return o.oom || ferror(fp) ? -1 : 0;
}
