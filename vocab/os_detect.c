/*
 * os_detect.c - what a report knows of the host's OS (model_detect_os in
 * model.h): the newest "os.*" facts import stored (collector/osinfo.c
 * names the events and lines they come from), the release table of os.c
 * and, for the language, the localized words SCM wrote.
 */
#include "vocab/model.h"
#include "vocab/os.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Days since 1970-01-01 of y-m-d (proleptic Gregorian). */
static int64_t days_of(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int64_t date_us(const char *ymd)
{
    int y, m, d;
    if (!ymd || sscanf(ymd, "%d-%d-%d", &y, &m, &d) != 3)
        return 0;
    return days_of(y, m, d) * 86400LL * 1000000;
}

/* Move the "os.*" facts behind the others, each part in its order. */
static int partition(struct model *m)
{
    size_t n = m->nfacts + m->nosfacts, w = 0, k = 0;
    struct m_fact *os;

    if (n == 0)
        return 0;
    if (!(os = malloc(n * sizeof *os)))
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (m->facts[i].name && strncmp(m->facts[i].name, "os.", 3) == 0)
            os[k++] = m->facts[i];
        else
            m->facts[w++] = m->facts[i];
    }
    memcpy(m->facts + w, os, k * sizeof *os);
    free(os);
    m->nfacts = w;
    m->nosfacts = k;
    return 0;
}

#define OS_FACT(m, i) (&(m)->facts[(m)->nfacts + (i)])

/* The newest OS fact called name, or NULL. */
static const struct m_fact *os_fact(const struct model *m, const char *name)
{
    for (size_t i = m->nosfacts; i-- > 0;)
        if (strcmp(OS_FACT(m, i)->name, name) == 0)
            return OS_FACT(m, i);
    return NULL;
}

/* The newest OS fact called name whose value parses as a version. */
static const struct m_fact *newest_version(const struct model *m, const char *name,
                                           int v[4])
{
    for (size_t i = m->nosfacts; i-- > 0;)
        if (strcmp(OS_FACT(m, i)->name, name) == 0 &&
            os_parse_version(OS_FACT(m, i)->value, &v[0], &v[1], &v[2], &v[3]) && v[2] > 0)
            return OS_FACT(m, i);
    return NULL;
}

/* The language most of the localized words name, or NULL.  The words are
 * SCM's: the state (7036) and start type (7040) an event's detail holds,
 * and the display names of the observations; no other event's detail is
 * one of them, so only those are looked up. */
static const char *language_of_words(const struct model *m)
{
    const char *best = NULL, *langs[16];
    int counts[16] = {0}, n = 0, top = 0;

    for (size_t i = 0; i < m->nevents + m->nobservations; i++) {
        const char *w[2], *l;
        if (i < m->nevents) {
            enum ev_kind k = model_event_kind(&m->events[i]);
            if (k != EK_SERVICE_STATE && k != EK_SERVICE_CONFIG)
                continue;
            w[0] = m->events[i].detail;
            w[1] = NULL;
        } else {
            w[0] = m->observations[i - m->nevents].display;
            w[1] = NULL;
        }
        for (int k = 0; k < 2 && w[k]; k++) {
            if (!(l = os_language_of_word(w[k])))
                continue;
            int j;
            for (j = 0; j < n && strcmp(langs[j], l) != 0; j++)
                ;
            if (j == n) {
                if (n == 16)
                    continue;
                langs[n++] = l;
            }
            if (++counts[j] > top) {
                top = counts[j];
                best = langs[j];
            }
        }
    }
    return best;
}

/*
 * The live reading (collector/live_win.c: ProductName, DisplayVersion,
 * ", build " CurrentBuildNumber "." UBR, e.g. "Windows 10 Pro 22H2, build
 * 19045.3803"): the NT version follows from the build (ProductName says
 * "Windows 10" on Windows 11 too).
 */
static int live_version(const char *os, int v[4], int *server)
{
    const char *p = strstr(os, ", build ");
    int build = 0, rev = -1;
    if (!p || sscanf(p + 8, "%d.%d", &build, &rev) < 1 || build <= 0)
        return 0;
    v[2] = build;
    v[3] = rev;
    if (build >= 10240)
        v[0] = 10, v[1] = 0;
    else if (build >= 9600)
        v[0] = 6, v[1] = 3;
    else if (build >= 9200)
        v[0] = 6, v[1] = 2;
    else if (build >= 7600)
        v[0] = 6, v[1] = 1;
    else
        return 0;
    if (*server < 0)
        *server = strstr(os, "Server") != NULL;
    return 1;
}

static enum os_class class_of(int major, int minor, int build, int server)
{
    if (major < 6 || (major == 6 && minor <= 1))
        return OSC_WIN7;
    if (server == 1)
        return OSC_SERVER;
    if (major == 6)
        return OSC_WIN8;
    return build >= 22000 ? OSC_WIN11 : OSC_WIN10;
}

int model_detect_os(struct model *m)
{
    struct m_os *o = &m->osinfo;
    const struct m_fact *f, *type, *lang, *ed, *loc;
    const char *edition;
    const struct os_release *rows[4];
    int v[4], n = 0, base = 0;
    char name[160], text[320];

    memset(o, 0, sizeof *o);
    o->server = -1;
    if (partition(m))
        return -1;
    if ((type = os_fact(m, "os.type")))
        o->server = strcmp(type->value, "client") == 0 ? 0 : 1;
    if ((f = newest_version(m, "os.version", v))) {
        o->source = "version";
        if (v[3] < 0)   /* a boot that named no revision: the newest that did */
            for (size_t i = m->nosfacts; i-- > 0;) {
                int w[4];
                if (strcmp(OS_FACT(m, i)->name, "os.version") == 0 &&
                    os_parse_version(OS_FACT(m, i)->value, &w[0], &w[1], &w[2], &w[3]) &&
                    w[0] == v[0] && w[1] == v[1] && w[2] == v[2] && w[3] >= 0) {
                    v[3] = w[3];
                    break;
                }
            }
    } else if ((f = newest_version(m, "os.base", v))) {
        o->source = "servicing stack or agent";
        base = 1;
    }
    if ((lang = os_fact(m, "os.language")))
        o->language = lang->value;
    else
        o->language = language_of_words(m);
    if (!o->language && (loc = os_fact(m, "os.locale")))
        o->locale = loc->value;
    if (!f && m->os && live_version(m->os, v, &o->server)) {
        f = model_fact(m, "os");
        o->source = "live";
        o->edition = m->os;
    }
    if (!f) {
        if (m->os)
            o->release = m->os;     /* a live reading, as it was read */
        return 0;
    }
    o->known = 1;
    o->major = v[0];
    o->minor = v[1];
    o->build = v[2];
    o->rev = base ? -1 : v[3];
    /* the rows this evidence fits: the build's own, or every release that
     * shares a servicing base; a client and a server row when nothing says
     * which */
    for (size_t i = 0; i < os_releases_len && n < 4; i++) {
        const struct os_release *r = &os_releases[i];
        if (r->major != v[0] || r->minor != v[1] || (base ? r->base : r->build) != v[2])
            continue;
        if (o->server >= 0 ? r->server != o->server && !(r->server == 2 && n == 0)
                           : r->server == 2)
            continue;
        rows[n++] = r;
    }
    if (n == 0 && o->server < 0) {
        const struct os_release *r = os_release_find(v[0], v[1], v[2], -1);
        if (r)
            rows[n++] = r;
    }
    if (n == 1 && rows[0]->server == 1)
        o->server = 1;
    /* the edition the product name gave, which decides some end dates */
    ed = os_fact(m, "os.edition");
    edition = ed && ed->value[0] ? ed->value : NULL;
    name[0] = '\0';
    o->cls = n ? rows[0]->cls : class_of(v[0], v[1], v[2], o->server);
    for (int i = 0; i < n; i++) {
        size_t k = strlen(name);
        const char *nm = rows[i]->name;
        /* "Windows 11, version 22H2 or 23H2" rather than the name twice */
        if (i > 0 && strncmp(nm, rows[0]->name, 20) == 0 && strstr(nm, "version "))
            snprintf(name + k, sizeof name - k, " or %s", strstr(nm, "version ") + 8);
        else
            snprintf(name + k, sizeof name - k, "%s%s", i ? " or " : "", nm);
        /* the latest end of support of the releases it may be */
        if (!o->eos || strcmp(os_release_eos(rows[i], edition), o->eos) > 0)
            o->eos = os_release_eos(rows[i], edition);
        if (rows[i]->server != 1 && o->server != 1)
            o->cls = rows[i]->cls;
    }
    if (o->server == 1 && o->cls != OSC_WIN7)
        o->cls = OSC_SERVER;
    if (!name[0])
        snprintf(name, sizeof name, "Windows %d.%d build %d", v[0], v[1], v[2]);
    if ((o->release = model_strdup(m, name)) == NULL)
        return -1;
    if (base)
        snprintf(text, sizeof text, "%d.%d.%d", v[0], v[1], v[2]);
    else if (v[3] >= 0)
        snprintf(text, sizeof text, "%d.%d.%d.%d", v[0], v[1], v[2], v[3]);
    else
        snprintf(text, sizeof text, "%d.%d.%d", v[0], v[1], v[2]);
    if ((o->version = model_strdup(m, text)) == NULL)
        return -1;
    if (edition) {
        o->edition = edition;             /* "Pro", "Standard Evaluation" */
        if (type && strcmp(type->value, "domain-controller") == 0) {
            snprintf(text, sizeof text, "%s, domain controller", ed->value);
            if ((o->edition = model_strdup(m, text)) == NULL)
                return -1;
        }
    } else if (type && strcmp(type->value, "client") != 0)
        o->edition = type->value;           /* "server", "domain-controller" */
    {
        int64_t now = m->generated_us ? m->generated_us : m->last_us;
        int64_t end = date_us(o->eos);
        o->out_of_support = end && now >= end + 86400LL * 1000000;
        /* ended while the logs were written, or only since they end */
        o->ended_in_evidence = o->out_of_support && m->last_us &&
                               m->last_us >= end + 86400LL * 1000000;
    }
    if (m->os && o->out_of_support) {     /* a live reading: say it too */
        snprintf(text, sizeof text, "%s; out of support since %s: it gets no updates",
                 m->os, o->eos);
        if ((m->os = model_strdup(m, text)) == NULL)
            return -1;
    } else if (!m->os) {
        size_t k;
        snprintf(text, sizeof text, "%s (build %s%s)", o->release, o->version,
                 base ? ", from the servicing stack" : "");
        k = strlen(text);
        if (o->edition && k < sizeof text)
            snprintf(text + k, sizeof text - k, ", %s", o->edition);
        k = strlen(text);
        if (o->language && k < sizeof text)
            snprintf(text + k, sizeof text - k, ", %s", o->language);
        else if (o->locale && k < sizeof text)
            snprintf(text + k, sizeof text - k, ", system locale %s", o->locale);
        k = strlen(text);
        if (o->eos && k < sizeof text)
            snprintf(text + k, sizeof text - k,
                     !o->out_of_support ? "; supported until %s"
                     : o->ended_in_evidence || !m->last_us
                         ? "; out of support since %s: it gets no updates"
                         : "; support ended %s, after these logs: no updates if it"
                           " still runs this release", o->eos);
        if ((m->os = model_strdup(m, text)) == NULL)
            return -1;
    }
    return 0;
}
