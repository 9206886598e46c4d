/*
 * summary.c - `report --format summary`: the report in at most 12 lines of
 * at most 79 columns, for pasting into a ticket or a chat: host and
 * verdict, OS, the first open problem with its rule, code and dates, its
 * fix (title and first command, broken with cmd's " ^" when long), the
 * other open findings, the evidence counts and dates, the last successful
 * install, and how to get the full report (report.full_report, set by
 * the command).  Values are cleaned of control characters and cut visibly
 * ("...") by text.c's helper; widths are display columns
 * (util/dispwidth.h), so East Asian text fits too.  Never coloured: it is
 * meant to be pasted.  Several hosts give one summary each.
 */
#include "report/report.h"
#include "vocab/kb.h"
#include "util/dispwidth.h"
#include "util/strbuf.h"
#include "util/timeutil.h"

#include <stdio.h>
#include <string.h>

#define SUM_WIDTH  79
#define SUM_LABEL  11                       /* "Also open: " */
#define SUM_VALUE  (SUM_WIDTH - SUM_LABEL)

struct sum {
    FILE *fp;
    struct strbuf line, tmp;
};

/* "Label:     value", the value cleaned and cut to the rest of the line. */
static void field(struct sum *s, const char *label, const char *value)
{
    sb_reset(&s->line);
    sb_printf(&s->line, "%-*s", SUM_LABEL, label);
    render_text_clip(&s->line, value, SUM_VALUE);
    fprintf(s->fp, "%s\n", s->line.buf ? s->line.buf : "");
}

/*
 * A command on at most two lines: one that does not fit is broken at a
 * blank outside quotes with cmd's " ^" continuation (pasted into cmd.exe
 * it is still one command); what still does not fit is cut visibly.
 */
static void command(struct sum *s, const char *label, const char *cmd)
{
    const size_t room = SUM_VALUE - 2;      /* for " ^" */
    size_t len, brk = 0, c = 0;
    int quoted = 0;

    sb_reset(&s->tmp);
    render_text_clip(&s->tmp, cmd, (size_t)-1 / 2);     /* cleaned, whole */
    if (s->tmp.oom || !s->tmp.buf)
        return;
    len = s->tmp.len;
    if (dw_width_n(s->tmp.buf, len) <= SUM_VALUE) {
        field(s, label, s->tmp.buf);
        return;
    }
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = dw_decode(s->tmp.buf + i, len - i, &cp);
        c += (size_t)dw_char_width(cp);
        if (c > room)
            break;
        if (cp == '"')
            quoted = !quoted;
        else if (cp == ' ' && !quoted && i > 0)
            brk = i;
        i += n;
    }
    if (!brk) {
        field(s, label, s->tmp.buf);    /* no place to break: cut visibly */
        return;
    }
    fprintf(s->fp, "%-*s%.*s ^\n", SUM_LABEL, label, (int)brk, s->tmp.buf);
    field(s, "", s->tmp.buf + brk + 1);
}

static void day(int64_t us, char *buf, size_t len)
{
    format_time(us, buf, len);
    if (len > 10)
        buf[10] = '\0';
}

int render_summary(const struct report *r, FILE *fp)
{
    const struct model *m = r->model;
    const struct diagnosis *d = r->diag;
    const struct finding *first = NULL;
    struct sum s = {fp, {NULL, 0, 0, 0}, {NULL, 0, 0, 0}};
    struct strbuf v;
    char t1[32], t2[32], vname[16];
    size_t open = 0, resolved = 0;
    int rc;

    sb_init(&v);
    for (size_t i = 0; i < d->n; i++) {
        const struct finding *f = &d->findings[i];
        if (f->resolved || f->severity == SEV_INFO) {
            resolved += f->resolved;
            continue;
        }
        if (!first)
            first = f;
        open++;
    }
    snprintf(vname, sizeof vname, "%s", verdict_name(d->verdict));
    for (char *c = vname; *c; c++)
        *c = (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c);

    /* 1: host and verdict; the host is what gets cut */
    format_time(m->generated_us, t1, sizeof t1);
    t1[16] = '\0';
    sb_printf(&v, " - %s on %s UTC", vname, t1);
    {
        size_t tail = dw_width(v.buf), w;
        sb_reset(&s.line);
        sb_printf(&s.line, "%-*s", SUM_LABEL, "Host:");
        w = render_text_clip(&s.line, m->host, tail < SUM_VALUE ? SUM_VALUE - tail : 1);
        (void)w;
        fprintf(fp, "%s%s\n", s.line.buf ? s.line.buf : "", v.buf ? v.buf : "");
    }
    /* 2: OS */
    field(&s, "OS:", m->os ? m->os : "unknown");

    /* 3-6: the first problem, its evidence and its fix */
    if (!first) {
        sb_reset(&v);
        if (d->verdict == VERDICT_UNKNOWN)
            sb_adds(&v, "no update-related evidence stored for this host");
        else
            sb_printf(&v, "none open%s", resolved ? "" : " (no earlier problem either)");
        if (resolved)
            sb_printf(&v, " (%zu earlier problem%s resolved, shown as history)", resolved,
                      resolved == 1 ? "" : "s");
        field(&s, "Problem:", v.buf);
        field(&s, "Fix:", "none needed");
    } else {
        const struct kb_fix *fx = first->fix_id ? kb_fix_find(first->fix_id) : NULL;
        field(&s, "Problem:", first->title);
        sb_reset(&v);
        sb_adds(&v, first->rule);
        if (first->ncodes) {
            const struct kb_code *k = kb_code_find(first->codes[0]);
            sb_printf(&v, ", 0x%08X %s", first->codes[0], k ? k->symbol : "(unknown code)");
        }
        sb_printf(&v, ", %ldx", first->count);
        if (first->first_us) {
            day(first->first_us, t1, sizeof t1);
            day(first->last_us, t2, sizeof t2);
            if (strcmp(t1, t2) == 0)
                sb_printf(&v, ", %s", t1);
            else
                sb_printf(&v, ", %s .. %s", t1, t2);
        }
        field(&s, "Evidence:", v.buf);
        field(&s, "Fix:", fx ? fx->title : "no fix in the catalog: see the full report");
        if (fx && fx->commands[0]) {
            size_t nc = 0;
            while (nc < KB_MAX_STEPS && fx->commands[nc])
                nc++;
            command(&s, nc > 1 ? "First cmd:" : "Command:", fx->commands[0]);
        }
    }
    /* 7: the other open findings */
    if (open > 1) {
        sb_reset(&v);
        size_t k = 0;
        for (size_t i = 0; i < d->n; i++) {
            const struct finding *f = &d->findings[i];
            if (f == first || f->resolved || f->severity == SEV_INFO)
                continue;
            sb_printf(&v, "%s%s (%s)", k++ ? ", " : "", f->rule, severity_name(f->severity));
        }
        field(&s, "Also open:", v.buf);
    }
    /* 8-9: the evidence and the last successful install */
    sb_reset(&v);
    if (m->nevents) {
        day(m->first_us, t1, sizeof t1);
        day(m->last_us, t2, sizeof t2);
        sb_printf(&v, "%zu events %s .. %s, %ld failure%s, %zu code%s", m->nevents, t1,
                  t2, r->failures, r->failures == 1 ? "" : "s", r->nerrors,
                  r->nerrors == 1 ? "" : "s");
    } else {
        sb_adds(&v, "no events stored");
    }
    field(&s, "Logs:", v.buf);
    {
        const struct report_attempt *last = NULL;
        for (size_t i = 0; i < r->nattempts && !last; i++)
            if (strcmp(r->attempts[i].result, "installed") == 0)
                last = &r->attempts[i];
        sb_reset(&v);
        if (last) {
            day(last->time_us, t1, sizeof t1);
            sb_printf(&v, "%s %s", t1, last->kb ? last->kb : last->update);
        } else {
            sb_adds(&v, "none among the recent attempts");
        }
        field(&s, "Installed:", v.buf);
    }
    /* 10-11: where the full report is */
    if (r->full_report)
        command(&s, "Report:", r->full_report);

    rc = ferror(fp) || v.oom || s.line.oom || s.tmp.oom ? -1 : 0;
    sb_free(&v);
    sb_free(&s.line);
    sb_free(&s.tmp);
    return rc;
}

int render_summary_between(FILE *out)
{
    fputc('\n', out);
    return ferror(out) ? -1 : 0;
}
