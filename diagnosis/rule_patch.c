/*
 * rule_patch.c - patch state by update class: "no cumulative update has
 * installed for N days", not "the last definition update succeeded".
 *
 * Every install event (kind EK_INSTALL, any outcome; EK_RESTART_REQUIRED of
 * a named update) is given its update class from vocab/updates.h (title
 * and KB; an event without either takes the class of another event with
 * the same GUID).  A feature update brings Windows to a new build at the
 * quality level of its day (setup's Dynamic Update fetches the latest
 * cumulative update; Microsoft's "Update Windows installation media with
 * Dynamic Update"), so its success is a quality baseline too.  Per class: the last successful install and what was
 * tried since.  Only quality updates decide the finding: a Defender, MSRT,
 * Store or driver success never makes Windows look patched.  .NET, feature
 * and Defender updates are shown as secondary evidence.
 *
 * Reference time: "now" (model->generated_us) for a live collection (facts
 * or live readings exist), else the end of the host's evidence
 * (model->last_us): an imported log says nothing about the days after it
 * ends, and the finding says when it ends if that is days before the
 * report.  The finding (quality-updates-stale) fires when the last quality
 * success is more than PATCH_STALE_DAYS before the reference time and
 * quality updates were attempted since (started or failed) or the evidence
 * goes on for more than PATCH_STALE_DAYS after it (a live collection is
 * evidence up to now); with no quality success
 * at all, when quality updates were attempted and the evidence spans more
 * than PATCH_STALE_DAYS.  A quality install started less than
 * PATCH_STALE_DAYS ago with no result and no start of Windows after it is
 * waiting for a restart (the restart rule's business), so it counts as
 * current; one older than that never finished.  Warning; critical when quality
 * installs failed with a code in that time.  Fix: the failing code's fix,
 * else reset-wu-components when installs start but never finish, else
 * install-latest-cumulative.
 */
#include "diagnosis/rule_patch.h"
#include "util/strbuf.h"
#include "util/strset.h"
#include "vocab/kb.h"
#include "vocab/semantics.h"
#include "vocab/updates.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY_US     (86400LL * 1000000LL)
#define MAX_GROUPS 4            /* quality updates listed in the evidence (10 lines in all) */

/* Classes as a cache: titles (and GUIDs) already seen, one set per class. */
struct classes {
    struct strset title[UC_COUNT];
    struct strset guid[UC_COUNT];
};

static void classes_init(struct classes *c)
{
    for (int i = 0; i < UC_COUNT; i++) {
        strset_init(&c->title[i]);
        strset_init(&c->guid[i]);
    }
}

static void classes_free(struct classes *c)
{
    for (int i = 0; i < UC_COUNT; i++) {
        strset_free(&c->title[i]);
        strset_free(&c->guid[i]);
    }
}

static int is_update_event(const struct m_event *e)
{
    enum ev_kind k = model_event_kind(e);
    return k == EK_INSTALL ||
           (k == EK_RESTART_REQUIRED && (e->title || e->kb || e->guid));
}

/* The class of e from its title and KB (cached by title); -1 on OOM. */
static int class_of(struct classes *c, const struct m_event *e)
{
    enum upd_class cls;
    int cache = e->title && (!e->kb || strstr(e->title, e->kb));

    if (!e->title && !e->kb)
        return UC_UNKNOWN;
    if (cache)
        for (int i = 0; i < UC_COUNT; i++)
            if (strset_has(&c->title[i], e->title))
                return i;
    cls = upd_classify(e->title, e->kb);
    if (cache && strset_add(&c->title[cls], e->title))
        return -1;
    return (int)cls;
}

int patch_last_install(const struct model *m, enum upd_class c,
                       const struct m_event **out)
{
    struct classes cc;
    int rc = 0;

    *out = NULL;
    classes_init(&cc);
    for (size_t i = m->nevents; i-- > 0;) {
        const struct m_event *e = &m->events[i];
        int k;
        if (!model_event_is(e, EK_INSTALL, EO_SUCCEEDED))
            continue;
        if ((k = class_of(&cc, e)) < 0) {
            rc = -1;
            break;
        }
        if (k == (int)c) {
            *out = e;
            break;
        }
    }
    classes_free(&cc);
    return rc;
}

/* What one class did: the last success, and what was tried after it. */
struct class_state {
    const struct m_event *last_ok;
    size_t ok_at;                       /* its index, when last_ok */
    long starts, fails, coded_fails;    /* after last_ok */
    const struct m_event *last_fail;    /* coded, after last_ok */
    const struct m_event *last_attempt;
};

/* One quality update tried since the last quality success. */
struct group {
    const char *key;
    const struct m_event *name;         /* an event naming it */
    const struct m_event *last;
    long starts, fails;
    uint32_t code;
    int has_code, finished;             /* a result after the last start */
};

static const char *ev_key(const struct m_event *e)
{
    return e->guid ? e->guid : e->kb ? e->kb : e->title;
}

static const char *ev_name(const struct m_event *e)
{
    return e->kb ? e->kb : e->title ? e->title : "an update";
}

static const char *day(int64_t t, char *buf, size_t len)
{
    format_time(t, buf, len);
    if (len > 10)
        buf[10] = '\0';         /* "2017-07-23" */
    return buf;
}

static const char *code_symbol(uint32_t code)
{
    const struct kb_code *k = kb_code_find(code);
    return k ? k->symbol : "unknown code";
}

/* "KB4025342 (2017-07 Cumulative Update for ...)", whole, in sb (reused);
 * the returned text stays valid until sb changes. */
static const char *update_label(const struct m_event *e, struct strbuf *sb)
{
    sb_reset(sb);
    if (e->kb && e->title && !strstr(e->title, e->kb))
        sb_printf(sb, "%s (%s)", e->kb, e->title);
    else
        sb_adds(sb, e->title ? e->title : ev_name(e));
    return sb->oom || !sb->buf ? ev_name(e) : sb->buf;
}

static struct group *group_of(struct group *g, size_t *n, size_t cap,
                              const struct m_event *e, long *more)
{
    const char *key = ev_key(e);
    for (size_t i = 0; i < *n; i++)
        if (key && g[i].key && strcmp(g[i].key, key) == 0)
            return &g[i];
    if (*n == cap) {
        /* keep the most recent: drop the oldest group */
        memmove(&g[0], &g[1], (cap - 1) * sizeof g[0]);
        (*n)--;
        (*more)++;
    }
    memset(&g[*n], 0, sizeof g[*n]);
    g[*n].key = key;
    g[*n].name = e;
    return &g[(*n)++];
}

static void secondary(struct finding *f, const struct class_state *st,
                      enum upd_class c, const char *note)
{
    char when[32];
    struct strbuf name;
    const struct class_state *s = &st[c];

    sb_init(&name);
    if (s->last_ok)
        finding_add_evidence(f, s->last_ok->time_us, s->last_ok->event_id,
                             "%s: last installed %s on %s%s%s", upd_class_label(c),
                             update_label(s->last_ok, &name),
                             day(s->last_ok->time_us, when, sizeof when),
                             s->coded_fails ? "; failed since" : "", note);
    else if (s->last_attempt)
        finding_add_evidence(f, s->last_attempt->time_us, s->last_attempt->event_id,
                             "%s: none installed; %ld failed, %ld started, last %s on %s",
                             upd_class_label(c), s->fails, s->starts,
                             update_label(s->last_attempt, &name),
                             day(s->last_attempt->time_us, when, sizeof when));
    sb_free(&name);
}

int rule_patch_state(const struct model *m, struct diagnosis *d)
{
    struct classes cc;
    struct class_state st[UC_COUNT];
    unsigned char *cls = NULL;
    int64_t last_boot = 0, ref, window = PATCH_STALE_DAYS * DAY_US;
    int live, rc = 0;

    if (!m->nevents)
        return 0;
    memset(st, 0, sizeof st);
    classes_init(&cc);
    cls = calloc(m->nevents, 1);
    if (!cls)
        goto nomem;

    /* pass 1: the class of every update event; GUIDs of known classes */
    for (size_t i = 0; i < m->nevents; i++) {
        const struct m_event *e = &m->events[i];
        int c;
        if (model_event_kind(e) == EK_BOOT && e->time_us > last_boot)
            last_boot = e->time_us;
        if (!is_update_event(e))
            continue;
        if ((c = class_of(&cc, e)) < 0)
            goto nomem;
        cls[i] = (unsigned char)c;
        if (c != UC_UNKNOWN && e->guid && !strset_has(&cc.guid[c], e->guid) &&
            strset_add(&cc.guid[c], e->guid))
            goto nomem;
    }
    /* pass 2: nameless events take their GUID's class; last success per class */
    for (size_t i = 0; i < m->nevents; i++) {
        const struct m_event *e = &m->events[i];
        if (!is_update_event(e))
            continue;
        if (cls[i] == UC_UNKNOWN && e->guid)
            for (int c = 1; c < UC_COUNT; c++)
                if (strset_has(&cc.guid[c], e->guid)) {
                    cls[i] = (unsigned char)c;
                    break;
                }
        /* installed, or installed and waiting for a restart */
        if (model_event_is(e, EK_INSTALL, EO_SUCCEEDED) ||
            model_event_kind(e) == EK_RESTART_REQUIRED) {
            st[cls[i]].last_ok = e;
            st[cls[i]].ok_at = i;
            /* a feature update comes at the quality level of its day
             * (Dynamic Update): a quality baseline too */
            if (cls[i] == UC_FEATURE) {
                st[UC_QUALITY].last_ok = e;
                st[UC_QUALITY].ok_at = i;
            }
        }
    }
    /* pass 3: what was tried after each class's last success */
    for (size_t i = 0; i < m->nevents; i++) {
        const struct m_event *e = &m->events[i];
        struct class_state *s = &st[cls[i]];
        if (!is_update_event(e) || model_event_kind(e) != EK_INSTALL ||
            (s->last_ok && i <= s->ok_at))
            continue;
        if (model_event_outcome(e) == EO_STARTED) {
            s->starts++;
            s->last_attempt = e;
        } else if (model_event_outcome(e) == EO_FAILED) {
            s->fails++;
            s->last_attempt = e;
            if (model_event_failed(e)) {
                s->coded_fails++;
                s->last_fail = e;
            }
        }
    }

    const struct class_state *q = &st[UC_QUALITY];
    live = model_is_live(m);
    ref = model_reference_time(m);
    long attempts = q->starts + q->fails;
    int64_t since = q->last_ok ? q->last_ok->time_us : m->first_us;
    /* a live collection is itself evidence, read now */
    int64_t evidence_end = live && ref > m->last_us ? ref : m->last_us;
    int stale;
    if (q->last_ok)
        stale = ref - since > window && (attempts || evidence_end - since > window);
    else
        stale = attempts && ref - since > window;
    if (!stale)
        goto done;

    /* the quality updates tried since, one group each; a start with no
     * result and no start of Windows after it waits for a restart */
    struct group g[MAX_GROUPS];
    size_t ng = 0;
    long more = 0;
    int pending = 0, unfinished = 0;
    for (size_t i = 0; i < m->nevents; i++) {
        const struct m_event *e = &m->events[i];
        enum ev_outcome o;
        if (cls[i] != UC_QUALITY || model_event_kind(e) != EK_INSTALL ||
            (q->last_ok && i <= q->ok_at))
            continue;
        o = model_event_outcome(e);
        if (o != EO_STARTED && o != EO_FAILED)
            continue;
        struct group *gr = group_of(g, &ng, MAX_GROUPS, e, &more);
        gr->last = e;
        if (o == EO_STARTED) {
            gr->starts++;
            gr->finished = 0;
        } else {
            gr->fails++;
            gr->finished = 1;
            if (e->has_code) {
                gr->has_code = 1;
                gr->code = e->code;
            }
        }
    }
    for (size_t i = 0; i < ng; i++)
        if (!g[i].finished) {
            if (g[i].last->time_us > last_boot && ref - g[i].last->time_us <= window)
                pending = 1;
            else
                unfinished = 1;
        }
    if (pending)
        goto done;              /* an install waits for a restart: current */

    /* ---- the finding ---- */
    {
        char when[32], when2[32];
        struct strbuf name;
        struct strbuf title;
        const struct kb_code *k = q->last_fail ? kb_code_find(q->last_fail->code) : NULL;
        const char *fix = k && k->fix_id && k->cat != KB_CAT_BENIGN ? k->fix_id
                          : q->last_fail || unfinished ? "reset-wu-components"
                                                       : "install-latest-cumulative";
        enum severity sev = q->coded_fails ? SEV_CRITICAL : SEV_WARNING;
        long days = (long)((ref - since) / DAY_US);
        int silent = !live && m->generated_us > 0 &&
                     m->generated_us - m->last_us > PATCH_SILENT_DAYS * DAY_US;

        struct finding *f = finding_new(d, "quality-updates-stale", sev, fix);
        if (!f)
            goto nomem;
        sb_init(&name);
        f->confidence = q->coded_fails ? 90 : attempts ? 75 : 65;
        f->count = attempts ? attempts : 1;
        sb_init(&title);
        if (q->last_ok)
            sb_printf(&title, "No cumulative update has installed for %ld days (last: %s on %s)",
                      days, ev_name(q->last_ok), day(since, when, sizeof when));
        else
            sb_printf(&title, "No cumulative update has installed for %ld days, since the "
                      "evidence begins (%s)", days, day(since, when, sizeof when));
        if (q->last_fail) {
            long n = 0;
            for (size_t i = 0; i < ng; i++)
                if (ev_key(g[i].last) && ev_key(q->last_fail) &&
                    strcmp(ev_key(g[i].last), ev_key(q->last_fail)) == 0)
                    n = g[i].fails;
            sb_printf(&title, "; %s failed %ld time%s with 0x%08X", ev_name(q->last_fail),
                      n ? n : 1, n == 1 ? "" : "s", q->last_fail->code);
        } else if (unfinished) {
            sb_printf(&title, "; %ld install%s started without a result", q->starts,
                      q->starts == 1 ? "" : "s");
        }
        if (silent)
            sb_printf(&title, "; the log ends on %s", day(m->last_us, when2, sizeof when2));
        if (title.oom) {
            sb_free(&title);
            goto nomem;
        }
        finding_set_title(f, "%s", title.buf);
        sb_free(&title);

        /* evidence: the last success, each update tried, other classes, the
         * reference time (at most FINDING_MAX_EVIDENCE lines) */
        if (q->last_ok)
            finding_add_evidence(f, since, q->last_ok->event_id,
                                 "last %s installed: %s on %s UTC",
                                 cls[q->ok_at] == UC_FEATURE
                                     ? "feature update (with the cumulative update of its day)"
                                     : "cumulative update",
                                 update_label(q->last_ok, &name),
                                 format_time(since, when, sizeof when));
        else
            finding_add_evidence(f, since, 0,
                                 "no cumulative update installed in the evidence "
                                 "(it begins %s UTC)", format_time(since, when, sizeof when));
        if (more)
            finding_add_evidence(f, g[0].name->time_us, 0,
                                 "%ld more cumulative update%s tried before these",
                                 more, more == 1 ? "" : "s");
        for (size_t i = 0; i < ng; i++) {
            const struct group *gr = &g[i];
            format_time(gr->last->time_us, when, sizeof when);
            const char *label = update_label(gr->name, &name);
            if (gr->fails) {
                if (gr->has_code) {
                    finding_add_code(f, gr->code);
                    finding_add_evidence(f, gr->last->time_us, gr->last->event_id,
                                         "%s: install failed %ld time%s with 0x%08X (%s), "
                                         "last %s UTC%s", label, gr->fails,
                                         gr->fails == 1 ? "" : "s", gr->code,
                                         code_symbol(gr->code), when,
                                         gr->finished ? "" : "; started again since");
                } else {
                    finding_add_evidence(f, gr->last->time_us, gr->last->event_id,
                                         "%s: install failed %ld time%s, last %s UTC%s",
                                         label, gr->fails, gr->fails == 1 ? "" : "s", when,
                                         gr->finished ? "" : "; started again since");
                }
            } else {
                finding_add_evidence(f, gr->last->time_us, gr->last->event_id,
                                     "%s: installation started %ld time%s, last %s UTC, "
                                     "no result logged", label, gr->starts,
                                     gr->starts == 1 ? "" : "s", when);
            }
        }
        secondary(f, st, UC_DOTNET, "");
        secondary(f, st, UC_FEATURE, "");
        secondary(f, st, UC_DEFENDER, " (does not patch Windows)");
        if (live)
            finding_add_evidence(f, ref, 0, "reference time: now (live collection, %s UTC)",
                                 format_time(ref, when, sizeof when));
        else
            finding_add_evidence(f, ref, 0, "reference time: the end of the imported "
                                 "evidence, %s UTC%s%s", format_time(ref, when, sizeof when),
                                 silent ? "; report made " : "",
                                 silent ? day(m->generated_us, when2, sizeof when2) : "");
        sb_free(&name);
    }

done:
    classes_free(&cc);
    free(cls);
    return rc;
nomem:
    rc = -1;
    goto done;
}
