/*
 * fuzz_html.c - libFuzzer target for the diagnosis and the renderers.
 *
 * The input becomes a report model, as a hostile or damaged database could
 * hold it: host, OS, events (providers, IDs and codes from the tables the
 * rules look at, or arbitrary), service observations, facts and coverage,
 * with strings cut from the input at NUL bytes and times anywhere in the
 * range a model may hold (model.h; the store clamps a hostile DB's times).
 * Then diagnose(), report_build() and every renderer: text (plain and
 * colour), HTML and JSON, once as is and once --redact'ed, and the fleet
 * view of it; the ticket summary (at most 12 lines of 80 columns); and
 * `compare` of the model with itself in its three formats (nothing may be
 * cleared or new).  Checked: valid UTF-8 everywhere, JSON that parses,
 * HTML whose only markup is the renderer's own, text without controls.
 */
#include "fuzz_common.h"
#include "diagnosis/diagnose.h"
#include "report/fleet.h"
#include "vocab/kb.h"
#include "vocab/model.h"
#include "diagnosis/redact.h"
#include "report/report.h"
#include "diagnosis/compare.h"
#include "report/compare_render.h"
#include "util/dispwidth.h"

static const char *const fh_providers[] = {
    "Microsoft-Windows-WindowsUpdateClient", "Windows Update Agent",
    "WindowsUpdateAgent-History", "Service Control Manager",
    "Microsoft-Windows-Kernel-General", "EventLog", "CBS", "DISM",
    "WindowsUpdateAgent-Log", "Microsoft-Windows-Servicing",
    "Microsoft-Windows-Bits-Client", "User32", "Microsoft-Windows-Kernel-Power",
};
static const int fh_ids[] = {
    16, 17, 18, 19, 20, 21, 22, 24, 25, 26, 27, 31, 41, 43, 44, 12, 6005, 1074,
    7000, 7009, 7011, 7023, 7024, 7026, 7031, 7034, 7036, 7040, 7043, 7045,
    100, 101, 102, 103, 104, 105, 106, 107, 108, 110, 111, 200, 201, 202, 203,
    204, 301, 302, 303, 304, 305, 306, 401, 402, 403, 404, 405, 406, 420, 421,
    422, 424, 425, 430, 0,
};
static const char *const fh_services[] = {
    "wuauserv", "UsoSvc", "BITS", "CryptSvc", "TrustedInstaller", "DoSvc",
    "WaaSMedicSvc", "msiserver",
};
static const char *const fh_states[] = {
    "running", "stopped", "start pending", "stop pending", "paused",
    "not-installed",
};
static const char *const fh_starts[] = {
    "auto", "delayed-auto", "demand", "disabled", "boot", "system",
};
static const char *const fh_facts[] = {
    "os", "reboot_pending", "wsus_server", "free_space_mb", "build",
};

#define FH_N(a) (sizeof a / sizeof a[0])
#define FH_BASE_US 1483228800000000LL   /* 2017-01-01 */

struct fh_ctx {
    struct fz_reader r;
    struct model *m;
};

/* A string: from a table (by the next byte) or the input's next piece. */
static const char *fh_pick(struct fh_ctx *c, const char *const *tab, size_t n)
{
    unsigned b = fz_byte(&c->r);
    if (b == 0xFF)
        return NULL;
    if (tab && b < 0xC0)
        return tab[b % n];
    char *s = fz_str(&c->r);
    const char *v = s ? model_strdup(c->m, s) : NULL;
    free(s);
    return v;
}

static int64_t fh_time(struct fh_ctx *c)
{
    unsigned b = fz_byte(&c->r);
    if (b >= 0xF0)      /* anywhere a hostile DB may hold, as the store clamps it */
        return model_clamp_time((int64_t)fz_u64(&c->r, 8));
    /* near 2017, minutes apart: what real evidence looks like */
    return FH_BASE_US + (int64_t)fz_u64(&c->r, 3) * 60000000LL * (b & 1 ? 1 : -1);
}

static uint32_t fh_code(struct fh_ctx *c)
{
    unsigned b = fz_byte(&c->r);
    if (b < 0x80)
        return kb_codes[fz_u64(&c->r, 2) % kb_codes_len].code;
    return (uint32_t)fz_u64(&c->r, 4);
}

static int fh_cmp_event(const void *a, const void *b)
{
    const struct m_event *x = a, *y = b;
    return x->time_us < y->time_us ? -1 : x->time_us > y->time_us;
}

static int fh_cmp_obs(const void *a, const void *b)
{
    const struct m_service *x = a, *y = b;
    return x->time_us < y->time_us ? -1 : x->time_us > y->time_us;
}

static int fh_cmp_fact(const void *a, const void *b)
{
    const struct m_fact *x = a, *y = b;
    return x->time_us < y->time_us ? -1 : x->time_us > y->time_us;
}

/* The model the store would load, with the store's orderings. */
static struct model *fh_build(const uint8_t *data, size_t size)
{
    struct fh_ctx c = {{data, size}, model_new()};
    struct model *m = c.m;

    if (!m)
        return NULL;
    m->generated_us = fh_time(&c);
    m->host = fh_pick(&c, NULL, 0);
    if (!m->host)
        m->host = "HOST";
    for (int guard = 0; c.r.n && guard < 400; guard++) {
        switch (fz_byte(&c.r) % 5) {
        case 0: case 1: {
            struct m_event *e = model_add_event(m);
            if (!e)
                goto oom;
            e->time_us = fh_time(&c);
            e->provider = fh_pick(&c, fh_providers, FH_N(fh_providers));
            if (!e->provider)
                e->provider = "";
            unsigned b = fz_byte(&c.r);
            e->event_id = b < 0xE0 ? fh_ids[b % FH_N(fh_ids)] : (int)fz_u64(&c.r, 2);
            e->level = (int)(fz_byte(&c.r) % 6);
            e->channel = "System";
            e->record_id = (int64_t)fz_u64(&c.r, 2);
            if (fz_byte(&c.r) & 1)     /* both: stored meaning, and worked out */
                model_classify_event(e);
            if ((e->has_code = fz_byte(&c.r) & 1))
                e->code = fh_code(&c);
            e->service = fh_pick(&c, fh_services, FH_N(fh_services));
            e->title = fh_pick(&c, NULL, 0);
            e->guid = fh_pick(&c, NULL, 0);
            e->kb = fh_pick(&c, NULL, 0);
            e->detail = fh_pick(&c, fh_states, FH_N(fh_states));
            if (!m->first_us || e->time_us < m->first_us)
                m->first_us = e->time_us;
            if (e->time_us > m->last_us)
                m->last_us = e->time_us;
            break;
        }
        case 2: {
            struct m_service *o = model_add_observation(m);
            if (!o)
                goto oom;
            o->time_us = fh_time(&c);
            o->name = fh_pick(&c, fh_services, FH_N(fh_services));
            if (!o->name)
                o->name = "wuauserv";
            o->display = fh_pick(&c, NULL, 0);
            o->state = fh_pick(&c, fh_states, FH_N(fh_states));
            o->start_type = fh_pick(&c, fh_starts, FH_N(fh_starts));
            o->origin = fz_byte(&c.r) & 1 ? "live" : "event";
            break;
        }
        case 3: {
            struct m_fact *f = model_add_fact(m);
            if (!f)
                goto oom;
            f->time_us = fh_time(&c);
            f->name = fh_pick(&c, fh_facts, FH_N(fh_facts));
            if (!f->name)
                f->name = "os";
            f->value = fh_pick(&c, NULL, 0);
            break;
        }
        default: {
            struct m_coverage *cv = model_add_coverage(m);
            if (!cv)
                goto oom;
            cv->run_id = (int64_t)fz_u64(&c.r, 1);
            cv->time_us = fh_time(&c);
            cv->source = fh_pick(&c, NULL, 0);
            if (!cv->source)
                cv->source = "";
            static const char *const st[] = {"ok", "partial", "failed"};
            cv->status = fh_pick(&c, st, 3);
            if (!cv->status)
                cv->status = "ok";
            cv->detail = fh_pick(&c, NULL, 0);
            break;
        }
        }
    }
    if (m->nevents)
        qsort(m->events, m->nevents, sizeof *m->events, fh_cmp_event);
    if (m->nobservations)
        qsort(m->observations, m->nobservations, sizeof *m->observations, fh_cmp_obs);
    if (m->nfacts)
        qsort(m->facts, m->nfacts, sizeof *m->facts, fh_cmp_fact);
    const struct m_fact *os = model_fact(m, "os");
    if (os)
        m->os = os->value;
    return m;
oom:
    model_free(m);
    return NULL;
}

/* The output line around offset off, for a failure message. */
static const char *fh_context(const struct fz_out *o, size_t off)
{
    static char line[400];
    size_t a = off, b = off;
    while (a > 0 && o->buf[a - 1] != '\n' && off - a < 120)
        a--;
    while (b < o->len && o->buf[b] != '\n' && b - off < 120)
        b++;
    size_t n = 0;
    for (size_t i = a; i < b && n + 5 < sizeof line; i++) {
        unsigned char ch = (unsigned char)o->buf[i];
        if (ch >= 0x20 && ch < 0x7F)
            line[n++] = (char)ch;
        else
            n += (size_t)snprintf(line + n, sizeof line - n, "\\x%02X", ch);
    }
    line[n] = '\0';
    return line;
}

static void fh_check_text(const char *what, const struct fz_out *o, int color)
{
    if (getenv("FUZZ_DUMP"))        /* replaying one input: show the output */
        fprintf(stderr, "---- %s ----\n%.*s\n", what, (int)o->len, o->buf);
    size_t bad = fz_utf8_bad(o->buf, o->len);
    if (bad != (size_t)-1)
        fz_fail("%s: invalid UTF-8 at offset %zu: %s", what, bad, fh_context(o, bad));
    for (size_t i = 0; i < o->len; i++) {
        unsigned char ch = (unsigned char)o->buf[i];
        if (ch == 0x1B && color)
            continue;
        if ((ch < 0x20 && ch != '\n') || ch == 0x7F)
            fz_fail("%s: control character 0x%02X at offset %zu: %s", what, ch, i,
                    fh_context(o, i));
        /* C1 controls and bidi controls are neutralised too (util/safetext.h) */
        const unsigned char *u = (const unsigned char *)o->buf + i;
        size_t left = o->len - i;
        if ((ch == 0xC2 && left > 1 && u[1] < 0xA0) || (ch == 0xD8 && left > 1 && u[1] == 0x9C) ||
            (ch == 0xE2 && left > 2 && u[1] == 0x80 &&
             (u[2] == 0x8E || u[2] == 0x8F || (u[2] >= 0xAA && u[2] <= 0xAE))) ||
            (ch == 0xE2 && left > 2 && u[1] == 0x81 && u[2] >= 0xA6 && u[2] <= 0xA9))
            fz_fail("%s: C1 or bidi control at offset %zu: %s", what, i, fh_context(o, i));
    }
}

static void fh_check_html(const char *what, const struct fz_out *o)
{
    char why[160];
    size_t bad = fz_utf8_bad(o->buf, o->len);
    if (bad != (size_t)-1)
        fz_fail("%s: invalid UTF-8 at offset %zu: %s", what, bad, fh_context(o, bad));
    if (fz_html_clean(o->buf, o->len, why, sizeof why) != 0)
        fz_fail("%s: %s", what, why);
}

static void fh_check_json(const char *what, const struct fz_out *o)
{
    size_t bad = fz_utf8_bad(o->buf, o->len);
    if (bad != (size_t)-1)
        fz_fail("%s: invalid UTF-8 at offset %zu: %s", what, bad, fh_context(o, bad));
    if (fz_json_valid(o->buf, o->len) != 0)
        fz_fail("%s: not valid JSON:\n%.*s", what, (int)o->len, o->buf);
}

/* The summary: at most 12 lines, each at most 80 display columns. */
static void fh_check_summary(const struct fz_out *o)
{
    size_t lines = 0, start = 0;
    for (size_t i = 0; i < o->len; i++) {
        if (o->buf[i] != '\n')
            continue;
        size_t w = dw_width_n(o->buf + start, i - start);
        if (w > 80)
            fz_fail("summary: line %zu is %zu columns: %s", lines + 1, w,
                    fh_context(o, start));
        lines++;
        start = i + 1;
    }
    if (lines > 12 || start != o->len)
        fz_fail("summary: %zu lines%s", lines, start != o->len ? ", no final newline" : "");
}

/* compare the model with itself: nothing cleared or new; every format clean */
static void fh_render_compare(const struct model *m, const struct diagnosis *d)
{
    struct cmp_point p = {1, "import", "fuzz", m->last_us, m, d};
    struct comparison c;
    struct fz_out o;

    if (compare_build(&c, &p, &p) != 0)
        return;
    if (c.ncleared || c.nnew || c.worse || c.events_after)
        fz_fail("compare with itself: %zu cleared, %zu new, worse %d, %ld events after",
                c.ncleared, c.nnew, c.worse, c.events_after);
    struct compare_doc cd = {&c, "fuzz", m->generated_us, 0};
    if (fz_out_open(&o) == 0) {
        render_compare_text(&cd, o.fp);
        fz_out_close(&o);
        fh_check_text("compare text", &o, 0);
        fz_out_free(&o);
    }
    if (fz_out_open(&o) == 0) {
        render_compare_html(&cd, o.fp);
        fz_out_close(&o);
        fh_check_html("compare html", &o);
        fz_out_free(&o);
    }
    if (fz_out_open(&o) == 0) {
        render_compare_json(&cd, o.fp);
        fz_out_close(&o);
        fh_check_json("compare json", &o);
        fz_out_free(&o);
    }
    compare_free(&c);
}

/* Diagnose and render one model in every format. */
static void fh_render(struct model *m, struct fleet *fl)
{
    struct diagnosis d;
    struct report r;
    struct fz_out o;

    memset(&d, 0, sizeof d);
    memset(&r, 0, sizeof r);
    if (diagnose(m, &d) != 0 || report_build(&r, m, &d) != 0)
        goto done;
    if ((int)d.verdict < 0 || d.verdict > VERDICT_UNKNOWN)
        fz_fail("verdict %d", (int)d.verdict);
    r.version = "fuzz";
    for (int color = 0; color < 2; color++) {
        r.color = color;
        if (fz_out_open(&o) == 0) {
            render_text(&r, o.fp);
            fz_out_close(&o);
            fh_check_text("text", &o, color);
            fz_out_free(&o);
        }
    }
    r.color = 0;
    if (fz_out_open(&o) == 0) {
        render_html_begin(o.fp, 1);
        render_html(&r, o.fp);
        render_html_end(o.fp, 1);
        fz_out_close(&o);
        fh_check_html("html", &o);
        fz_out_free(&o);
    }
    if (fz_out_open(&o) == 0) {
        render_json_begin(o.fp, 2);
        render_json(&r, o.fp);
        render_json_between(o.fp);
        render_json(&r, o.fp);
        render_json_end(o.fp, 2);
        fz_out_close(&o);
        fh_check_json("json", &o);
        fz_out_free(&o);
    }
    r.full_report = "wudiag --db \"C:\\Program Data\\wudiag\\wudiag.db\" report --host "
                    "H --format html -o H.html";
    if (fz_out_open(&o) == 0) {
        render_summary(&r, o.fp);
        fz_out_close(&o);
        fh_check_text("summary", &o, 0);
        fh_check_summary(&o);
        fz_out_free(&o);
    }
    fh_render_compare(m, &d);
    if (fl && fleet_add(fl, m, &d) != 0)
        fz_fail("fleet_add failed");
done:
    report_free(&r);
    diagnosis_free(&d);
}

static void fh_render_fleet(struct fleet *fl)
{
    struct fz_out o;
    fleet_finish(fl);
    if (fz_out_open(&o) == 0) {
        render_fleet_text(fl, o.fp);
        fz_out_close(&o);
        fh_check_text("fleet text", &o, 0);
        fz_out_free(&o);
    }
    if (fz_out_open(&o) == 0) {
        render_fleet_html(fl, o.fp);
        fz_out_close(&o);
        fh_check_html("fleet html", &o);
        fz_out_free(&o);
    }
    if (fz_out_open(&o) == 0) {
        render_fleet_json(fl, o.fp);
        fz_out_close(&o);
        fh_check_json("fleet json", &o);
        fz_out_free(&o);
    }
}

static int fuzz_html(const uint8_t *data, size_t size)
{
    struct model *m = fh_build(data, size);
    struct fleet fl;

    if (!m)
        return 0;
    fleet_init(&fl, m->generated_us, 35, "fuzz");
    fh_render(m, &fl);
    struct redactor *rd = redactor_new();
    if (rd && redact_model(rd, m) == 0)
        fh_render(m, &fl);
    redactor_free(rd);
    fh_render_fleet(&fl);
    fleet_free(&fl);
    model_free(m);
    return 0;
}

FUZZ_ENTRY(fuzz_html)
