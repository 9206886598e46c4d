/*
 * json.c - the machine-readable report, schema "wudiag.report/1" (documented
 * in docs/report-json.md).  Built in a strbuf and written at once; strings
 * are escaped and invalid UTF-8 is replaced, so the output is valid JSON for
 * any input.  Codes are "0x%08X" strings, times ISO 8601 UTC.
 */
#include "report/report.h"
#include "report/fleet.h"
#include "vocab/kb.h"
#include "util/strbuf.h"
#include "util/timeutil.h"

#include <string.h>

static void str(struct strbuf *sb, const char *s)
{
    if (!s) {
        sb_adds(sb, "null");
        return;
    }
    sb_addc(sb, '"');
    sb_json_str(sb, s);
    sb_addc(sb, '"');
}

static void key(struct strbuf *sb, const char *k)
{
    sb_addc(sb, '"');
    sb_adds(sb, k);
    sb_adds(sb, "\":");
}

static void time_val(struct strbuf *sb, int64_t us)
{
    char t[WU_TIME_LEN];
    if (!us) {
        sb_adds(sb, "null");
        return;
    }
    sb_printf(sb, "\"%s\"", wu_iso_time(us, 0, t, sizeof t));
}

static void str_list(struct strbuf *sb, const char *const *v, int max)
{
    sb_addc(sb, '[');
    for (int i = 0; i < max && v[i]; i++) {
        if (i)
            sb_addc(sb, ',');
        str(sb, v[i]);
    }
    sb_addc(sb, ']');
}

static void fix_obj(struct strbuf *sb, const char *fix_id)
{
    const struct kb_fix *fix = fix_id ? kb_fix_find(fix_id) : NULL;
    if (!fix) {
        sb_adds(sb, "null");
        return;
    }
    sb_addc(sb, '{');
    key(sb, "id"); str(sb, fix->id); sb_addc(sb, ',');
    key(sb, "title"); str(sb, fix->title); sb_addc(sb, ',');
    key(sb, "why"); str(sb, fix->why); sb_addc(sb, ',');
    key(sb, "escalation"); sb_printf(sb, "%d,", fix->escalation);
    key(sb, "steps"); str_list(sb, fix->steps, KB_MAX_STEPS); sb_addc(sb, ',');
    key(sb, "commands"); str_list(sb, fix->commands, KB_MAX_STEPS); sb_addc(sb, ',');
    key(sb, "links"); str_list(sb, fix->links, KB_MAX_LINKS);
    sb_addc(sb, '}');
}

static void finding_obj(struct strbuf *sb, const struct finding *f)
{
    sb_adds(sb, "{");
    key(sb, "rule"); str(sb, f->rule); sb_addc(sb, ',');
    key(sb, "severity"); str(sb, severity_name(f->severity)); sb_addc(sb, ',');
    key(sb, "resolved"); sb_adds(sb, f->resolved ? "true," : "false,");
    key(sb, "confidence"); sb_printf(sb, "%d,", f->confidence);
    key(sb, "title"); str(sb, f->title); sb_addc(sb, ',');
    key(sb, "count"); sb_printf(sb, "%ld,", f->count);
    key(sb, "first_seen"); time_val(sb, f->first_us); sb_addc(sb, ',');
    key(sb, "last_seen"); time_val(sb, f->last_us); sb_addc(sb, ',');
    key(sb, "codes"); sb_addc(sb, '[');
    for (size_t i = 0; i < f->ncodes; i++)
        sb_printf(sb, "%s\"0x%08X\"", i ? "," : "", f->codes[i]);
    sb_adds(sb, "],");
    key(sb, "symbols"); sb_addc(sb, '[');
    for (size_t i = 0; i < f->ncodes; i++) {
        const struct kb_code *k = kb_code_find(f->codes[i]);
        if (i)
            sb_addc(sb, ',');
        str(sb, k ? k->symbol : NULL);
    }
    sb_adds(sb, "],");
    key(sb, "fix"); fix_obj(sb, f->fix_id); sb_addc(sb, ',');
    key(sb, "evidence"); sb_addc(sb, '[');
    for (size_t i = 0; i < f->nevidence; i++) {
        const struct evidence *e = &f->evidence[i];
        sb_adds(sb, i ? ",{" : "{");
        key(sb, "time"); time_val(sb, e->time_us); sb_addc(sb, ',');
        key(sb, "event_id");
        if (e->event_id)
            sb_printf(sb, "%d,", e->event_id);
        else
            sb_adds(sb, "null,");
        key(sb, "text"); str(sb, e->text);
        sb_addc(sb, '}');
    }
    sb_addc(sb, ']');
    /* older evidence past the cap: only when some was dropped */
    if (f->evidence_more) {
        sb_addc(sb, ',');
        key(sb, "evidence_more"); sb_printf(sb, "%zu", f->evidence_more);
    }
    sb_addc(sb, '}');
}

static const char *const os_class_names[OSC_COUNT] = {
    [OSC_UNKNOWN] = "unknown", [OSC_WIN7] = "windows-7", [OSC_WIN8] = "windows-8",
    [OSC_WIN10] = "windows-10", [OSC_WIN11] = "windows-11", [OSC_SERVER] = "windows-server",
};

/* What the evidence shows of the OS (docs/report-json.md), or null. */
static void os_info(struct strbuf *sb, const struct m_os *o)
{
    if (!o->known) {
        sb_adds(sb, "null");
        return;
    }
    sb_addc(sb, '{');
    key(sb, "version"); str(sb, o->version); sb_addc(sb, ',');
    key(sb, "build"); sb_printf(sb, "%d,", o->build);
    key(sb, "release"); str(sb, o->release); sb_addc(sb, ',');
    key(sb, "class"); str(sb, os_class_names[o->cls]); sb_addc(sb, ',');
    key(sb, "server");
    sb_adds(sb, o->server < 0 ? "null," : o->server ? "true," : "false,");
    key(sb, "edition"); str(sb, o->edition); sb_addc(sb, ',');
    key(sb, "language"); str(sb, o->language); sb_addc(sb, ',');
    key(sb, "locale"); str(sb, o->locale); sb_addc(sb, ',');
    key(sb, "end_of_support"); str(sb, o->eos); sb_addc(sb, ',');
    key(sb, "out_of_support"); sb_adds(sb, o->out_of_support ? "true," : "false,");
    key(sb, "source"); str(sb, o->source);
    sb_addc(sb, '}');
}

int render_json(const struct report *r, FILE *out)
{
    const struct model *m = r->model;
    const struct diagnosis *d = r->diag;
    struct strbuf sb;
    int rc = 0;

    sb_init(&sb);
    sb_adds(&sb, "{\n");
    key(&sb, "schema"); str(&sb, "wudiag.report/1"); sb_adds(&sb, ",\n");
    key(&sb, "wudiag_version"); str(&sb, r->version); sb_adds(&sb, ",\n");
    key(&sb, "host"); str(&sb, m->host); sb_adds(&sb, ",\n");
    key(&sb, "os"); str(&sb, m->os); sb_adds(&sb, ",\n");
    key(&sb, "os_info"); os_info(&sb, &m->osinfo); sb_adds(&sb, ",\n");
    key(&sb, "generated_at"); time_val(&sb, m->generated_us); sb_adds(&sb, ",\n");
    key(&sb, "range"); sb_addc(&sb, '{');
    key(&sb, "since"); time_val(&sb, m->from_us); sb_addc(&sb, ',');
    key(&sb, "until"); time_val(&sb, m->to_us); sb_addc(&sb, ',');
    key(&sb, "first_event"); time_val(&sb, m->first_us); sb_addc(&sb, ',');
    key(&sb, "last_event"); time_val(&sb, m->last_us); sb_addc(&sb, ',');
    key(&sb, "events"); sb_printf(&sb, "%zu,", m->nevents);
    key(&sb, "local_times"); sb_adds(&sb, model_has_local_times(m) ? "true},\n" : "false},\n");
    key(&sb, "verdict"); str(&sb, verdict_name(d->verdict)); sb_adds(&sb, ",\n");
    key(&sb, "summary"); str(&sb, d->summary); sb_adds(&sb, ",\n");

    key(&sb, "findings"); sb_adds(&sb, "[");
    for (size_t i = 0; i < d->n; i++) {
        sb_adds(&sb, i ? ",\n  " : "\n  ");
        finding_obj(&sb, &d->findings[i]);
    }
    sb_adds(&sb, "],\n");

    key(&sb, "services"); sb_adds(&sb, "[");
    for (size_t i = 0; i < r->nservices; i++) {
        const struct report_service *s = &r->services[i];
        sb_adds(&sb, i ? ",\n  {" : "\n  {");
        key(&sb, "name"); str(&sb, s->name); sb_addc(&sb, ',');
        key(&sb, "display_name"); str(&sb, s->display); sb_addc(&sb, ',');
        key(&sb, "state"); str(&sb, s->state); sb_addc(&sb, ',');
        key(&sb, "start_type"); str(&sb, s->start_type); sb_addc(&sb, ',');
        key(&sb, "origin"); str(&sb, s->origin); sb_addc(&sb, ',');
        key(&sb, "observed_at"); time_val(&sb, s->time_us);
        sb_addc(&sb, '}');
    }
    sb_adds(&sb, "],\n");

    key(&sb, "errors"); sb_adds(&sb, "[");
    for (size_t i = 0; i < r->nerrors; i++) {
        const struct report_error *e = &r->errors[i];
        const struct kb_code *k = kb_code_find(e->code);
        sb_adds(&sb, i ? ",\n  {" : "\n  {");
        key(&sb, "code"); sb_printf(&sb, "\"0x%08X\",", e->code);
        key(&sb, "symbol"); str(&sb, k ? k->symbol : NULL); sb_addc(&sb, ',');
        key(&sb, "category");
        str(&sb, kb_category_name(k ? k->cat : KB_CAT_UNKNOWN)); sb_addc(&sb, ',');
        key(&sb, "count"); sb_printf(&sb, "%ld,", e->count);
        key(&sb, "first_seen"); time_val(&sb, e->first_us); sb_addc(&sb, ',');
        key(&sb, "last_seen"); time_val(&sb, e->last_us);
        sb_addc(&sb, '}');
    }
    sb_adds(&sb, "],\n");

    key(&sb, "updates"); sb_adds(&sb, "[");
    for (size_t i = 0; i < r->nattempts; i++) {
        const struct report_attempt *a = &r->attempts[i];
        sb_adds(&sb, i ? ",\n  {" : "\n  {");
        key(&sb, "time"); time_val(&sb, a->time_us); sb_addc(&sb, ',');
        key(&sb, "update"); str(&sb, a->update); sb_addc(&sb, ',');
        key(&sb, "result"); str(&sb, a->result); sb_addc(&sb, ',');
        key(&sb, "code");
        if (a->has_code)
            sb_printf(&sb, "\"0x%08X\"", a->code);
        else
            sb_adds(&sb, "null");
        sb_addc(&sb, '}');
    }
    sb_adds(&sb, "],\n");

    key(&sb, "coverage"); sb_adds(&sb, "[");
    for (size_t i = 0; i < m->ncoverage; i++) {
        const struct m_coverage *c = &m->coverage[i];
        sb_adds(&sb, i ? ",\n  {" : "\n  {");
        key(&sb, "source"); str(&sb, c->source); sb_addc(&sb, ',');
        key(&sb, "status"); str(&sb, c->status); sb_addc(&sb, ',');
        key(&sb, "detail"); str(&sb, c->detail); sb_addc(&sb, ',');
        key(&sb, "run"); sb_printf(&sb, "%lld,", (long long)c->run_id);
        key(&sb, "time"); time_val(&sb, c->time_us);
        sb_addc(&sb, '}');
    }
    sb_adds(&sb, "]\n}\n");

    if (sb.oom || fwrite(sb.buf, 1, sb.len, out) != sb.len)
        rc = -1;
    sb_free(&sb);
    return rc;
}

/* Several hosts: {"schema": "wudiag.reports/1", "reports": [...]} */
int render_json_begin(FILE *out, size_t nhosts)
{
    if (nhosts > 1)
        fputs("{\"schema\":\"wudiag.reports/1\",\"reports\":[\n", out);
    return ferror(out) ? -1 : 0;
}

int render_json_between(FILE *out)
{
    fputs(",\n", out);
    return ferror(out) ? -1 : 0;
}

int render_json_end(FILE *out, size_t nhosts)
{
    if (nhosts > 1)
        fputs("]}\n", out);
    return ferror(out) ? -1 : 0;
}

/* ---- fleet: schema "wudiag.fleet/1" (docs/report-json.md) ----------------- */

int render_fleet_json(const struct fleet *f, FILE *out)
{
    struct strbuf sb;
    int rc = 0;

    sb_init(&sb);
    sb_adds(&sb, "{\n");
    key(&sb, "schema"); str(&sb, "wudiag.fleet/1"); sb_adds(&sb, ",\n");
    key(&sb, "wudiag_version"); str(&sb, f->version); sb_adds(&sb, ",\n");
    key(&sb, "generated_at"); time_val(&sb, f->generated_us); sb_adds(&sb, ",\n");
    key(&sb, "verdict"); str(&sb, verdict_name(fleet_worst(f))); sb_adds(&sb, ",\n");
    key(&sb, "hosts_total"); sb_printf(&sb, "%zu,\n", f->nhosts);
    key(&sb, "by_verdict");
    sb_printf(&sb, "{\"critical\":%d,\"warning\":%d,\"healthy\":%d,\"unknown\":%d},\n",
              f->by_verdict[VERDICT_CRITICAL], f->by_verdict[VERDICT_WARNING],
              f->by_verdict[VERDICT_HEALTHY], f->by_verdict[VERDICT_UNKNOWN]);
    key(&sb, "stale_days"); sb_printf(&sb, "%d,\n", f->stale_days);
    key(&sb, "hosts"); sb_addc(&sb, '[');
    for (size_t i = 0; i < f->nhosts; i++) {
        const struct fleet_host *h = &f->hosts[i];
        sb_adds(&sb, i ? ",\n  {" : "\n  {");
        key(&sb, "host"); str(&sb, h->host); sb_addc(&sb, ',');
        key(&sb, "verdict"); str(&sb, verdict_name(h->verdict)); sb_addc(&sb, ',');
        key(&sb, "summary"); str(&sb, h->summary); sb_addc(&sb, ',');
        key(&sb, "fix"); str(&sb, h->fix_id); sb_addc(&sb, ',');
        key(&sb, "events"); sb_printf(&sb, "%zu,", h->nevents);
        key(&sb, "last_event"); time_val(&sb, h->last_us); sb_addc(&sb, ',');
        key(&sb, "last_success"); time_val(&sb, h->last_success_us); sb_addc(&sb, ',');
        key(&sb, "stale"); sb_adds(&sb, h->stale ? "true}" : "false}");
    }
    sb_adds(&sb, "],\n");
    key(&sb, "unreadable_hosts"); sb_addc(&sb, '[');
    for (size_t i = 0; i < f->nunreadable; i++) {
        sb_adds(&sb, i ? "," : "");
        str(&sb, f->unreadable[i]);
    }
    sb_adds(&sb, "],\n");
    key(&sb, "codes"); sb_addc(&sb, '[');
    for (size_t i = 0; i < f->ncodes; i++) {
        const struct fleet_code *c = &f->codes[i];
        const struct kb_code *k = kb_code_find(c->code);
        const struct kb_fix *fx = k ? kb_fix_find(k->fix_id) : NULL;
        sb_adds(&sb, i ? ",\n  {" : "\n  {");
        key(&sb, "code"); sb_printf(&sb, "\"0x%08X\",", c->code);
        key(&sb, "symbol"); str(&sb, k ? k->symbol : NULL); sb_addc(&sb, ',');
        key(&sb, "category");
        str(&sb, kb_category_name(k ? k->cat : KB_CAT_UNKNOWN)); sb_addc(&sb, ',');
        key(&sb, "hosts"); sb_printf(&sb, "%d,", c->hosts);
        key(&sb, "events"); sb_printf(&sb, "%ld,", c->events);
        key(&sb, "last_seen"); time_val(&sb, c->last_us); sb_addc(&sb, ',');
        key(&sb, "fix");
        if (fx) {
            sb_addc(&sb, '{');
            key(&sb, "id"); str(&sb, fx->id); sb_addc(&sb, ',');
            key(&sb, "title"); str(&sb, fx->title);
            sb_addc(&sb, '}');
        } else {
            sb_adds(&sb, "null");
        }
        sb_addc(&sb, '}');
    }
    sb_adds(&sb, "],\n");
    key(&sb, "failures_per_day"); sb_addc(&sb, '[');
    for (size_t i = 0; i < f->ndays; i++) {
        sb_adds(&sb, i ? ",\n  {" : "\n  {");
        key(&sb, "day"); time_val(&sb, f->days[i].day_us);
        for (int c = 0; c < KB_CAT_COUNT; c++)
            if (f->days[i].count[c])
                sb_printf(&sb, ",\"%s\":%d", kb_category_name((enum kb_category)c),
                          f->days[i].count[c]);
        sb_addc(&sb, '}');
    }
    sb_adds(&sb, "]\n}\n");
    if (sb.oom || fwrite(sb.buf, 1, sb.len, out) != sb.len)
        rc = -1;
    sb_free(&sb);
    return rc;
}
