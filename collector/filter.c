/*
 * filter.c - the update-relevance tables and the decoders behind them.
 *
 * Sources hand every event they read to wu_classify(); it looks the provider
 * and event ID up in the semantics tables (vocab/semantics.h: which events
 * are kept and what they must show), and fills the derived fields the store
 * keeps in their own columns (kind and outcome, service short name, 32-bit
 * error code, update title/GUID, KB number).
 */
#include "collector/filter.h"
#include "vocab/semantics.h"

#include "util/strbuf.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- knowledge tables ------------------------------------------------ */


/* Words in a restart (1074) event that tie it to updating. */
static const char *const update_words[] = {
    "TrustedInstaller", "wuauclt", "wuauserv", "MoUsoCoreWorker",
    "usoclient", "UpdateOrchestrator", "Windows Update", "MusNotification",
    "SIHClient", "WaaSMedic", "UsoSvc",
};

/* Data items that carry an error code, by name. */
static const char *const code_fields[] = {
    "errorCode", "ErrorCode", "hr", "HResult", "hResult", "HRESULT",
    "ErrorStatus", "Error",
};

/* Data items that name the update: the client's title, its list of
 * updates (21/22 restart required: "- title (KB...)" lines), or the package
 * servicing changes ("KB5016138", "Package_for_RollupFix~...~10.0.1.2"). */
static const char *const title_fields[] = {
    "updateTitle", "updateList", "updatelist", "PackageIdentifier",
};

/* SCM events whose param2 is an insertion string holding the error. */
static const int scm_code_events[] = {7000, 7023, 7024, 7034};

#define COUNT(a) (sizeof (a) / sizeof (a)[0])

/* ---- helpers ---------------------------------------------------------- */

const char *wu_event_get(const struct wu_event *ev, const char *name)
{
    for (size_t i = 0; i < ev->ndata; i++)
        if (strcmp(ev->data[i].name, name) == 0)
            return ev->data[i].value;
    return NULL;
}

/*
 * What an event of this provider and ID must show to be kept (enum
 * ev_need), or -1 when it is never kept.  event_id < 0 asks about the
 * provider alone: whether any of its events may be kept.
 */
static int keep_need(const char *provider, int event_id)
{
    const struct ev_provider *p = ev_provider_find(provider);
    const struct ev_meaning *m;

    if (!p)
        return -1;
    if (event_id < 0)
        return (int)p->need;
    m = ev_meaning_find(p->family, event_id);
    if (p->keep == KEEP_LISTED && !m)
        return -1;
    return (int)(m && m->need != NEED_DEFAULT ? m->need : p->need);
}

int wu_provider_may_matter(const char *provider)
{
    return provider && keep_need(provider, -1) >= 0;
}

int wu_decode_scm_binary(const char *hex, char *out, size_t outlen, int *state)
{
    size_t o = 0;
    int seen_slash = 0, st = -1;

    if (state)
        *state = -1;
    if (!hex || outlen == 0)
        return -1;
    while (*hex == ' ' || *hex == '\n' || *hex == '\r' || *hex == '\t')
        hex++;
    for (;;) {
        int d[4];
        for (int k = 0; k < 4; k++) {
            d[k] = hex_digit((unsigned char)hex[k]);
            if (d[k] < 0) {
                /* the text may end (or trail blanks) only between units */
                const char *t = hex + k;
                while (*t == ' ' || *t == '\n' || *t == '\r' || *t == '\t')
                    t++;
                if (*t != '\0')
                    return -1;
                /* the end: fine between units, or in a partial NUL unit */
                for (int j = 0; j < k; j++)
                    if (hex[j] != '0')
                        return -1;
                goto done;
            }
        }
        hex += 4;
        unsigned u = (unsigned)(d[0] << 4 | d[1]) | (unsigned)(d[2] << 4 | d[3]) << 8;
        if (u == 0)
            break;
        if (seen_slash) {
            if (u < '0' || u > '9')
                return -1;
            st = (st < 0 ? 0 : st) * 10 + (int)(u - '0');
            if (st > 1000000)
                return -1;
            continue;
        }
        if (u == '/') {
            seen_slash = 1;
            continue;
        }
        /* service names are ASCII; anything else is not this shape */
        if (u < 0x20 || u > 0x7E || o + 1 >= outlen)
            return -1;
        out[o++] = (char)u;
    }
done:
    if (o == 0)
        return -1;
    out[o] = '\0';
    if (state)
        *state = st;
    return 0;
}

int wu_parse_logged_code(const char *text, uint32_t *out)
{
    char t[40], *end;
    const char *p;
    int scm = 0;

    size_t n;

    if (!text)
        return -1;
    text = wu_trim_span(text, &n);
    if (n >= sizeof t)
        return -1;              /* longer than any code: never truncate */
    memcpy(t, text, n);
    t[n] = '\0';
    p = t;
    if (p[0] == '%' && p[1] == '%') {
        scm = 1;
        p += 2;
    }
    if (!*p)
        return -1;
    errno = 0;
    if (!scm && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        if (!isxdigit((unsigned char)p[2]))
            return -1;
        unsigned long long v = strtoull(p + 2, &end, 16);
        if (*end || errno || v > 0xFFFFFFFFull)
            return -1;
        *out = (uint32_t)v;
        return 0;
    }
    if (!(isdigit((unsigned char)p[0]) || (p[0] == '-' && !scm && isdigit((unsigned char)p[1]))))
        return -1;
    long long v = strtoll(p, &end, 10);
    if (*end || errno || v < -2147483648LL || v > 0xFFFFFFFFLL)
        return -1;
    if (scm && v > 0 && v <= 0xFFFF)
        v = 0x80070000LL | v;          /* HRESULT_FROM_WIN32 */
    *out = (uint32_t)(int64_t)v;
    return 0;
}

const char *wu_find_kb(const char *text, char *out, size_t outlen)
{
    out[0] = '\0';
    for (const char *p = text; p && *p; p++) {
        if ((p[0] == 'K' || p[0] == 'k') && (p[1] == 'B' || p[1] == 'b') &&
            isdigit((unsigned char)p[2]) &&
            (p == text || !isalnum((unsigned char)p[-1]))) {
            size_t n = 2;
            while (isdigit((unsigned char)p[n]))
                n++;
            if (n - 2 >= 4 && n - 2 <= 8 && n < outlen) {
                out[0] = 'K';
                out[1] = 'B';
                memcpy(out + 2, p + 2, n - 2);
                out[n] = '\0';
                return out;
            }
        }
    }
    return out;
}

int wu_event_may_matter(const char *provider, int event_id,
                        const char *const *strings, size_t nstrings,
                        const unsigned char *binary, size_t binlen)
{
    int need;
    char name[64];
    size_t o = 0;

    if (!provider || (need = keep_need(provider, event_id)) < 0)
        return 0;
    switch ((enum ev_need)need) {
    case NEED_DEFAULT:
    case NEED_NOTHING:
        return 1;
    case NEED_SERVICE:
        for (size_t i = 0; i < nstrings; i++)
            if (wu_service_lookup(strings[i]))
                return 1;
        /* Binary: UTF-16LE "name/state\0" */
        for (size_t i = 0; i + 1 < binlen && o + 1 < sizeof name; i += 2) {
            unsigned u = binary[i] | (unsigned)binary[i + 1] << 8;
            if (u == 0 || u == '/')
                break;
            if (u < 0x20 || u > 0x7E)
                return 0;
            name[o++] = (char)u;
        }
        name[o] = '\0';
        return o > 0 && wu_service_lookup(name) != NULL;
    case NEED_UPDATE_TEXT:
        for (size_t i = 0; i < nstrings; i++)
            for (size_t w = 0; strings[i] && w < COUNT(update_words); w++)
                if (strstr(strings[i], update_words[w]))
                    return 1;
        return 0;
    }
    return 1;
}

static int mentions_update(const struct wu_event *ev)
{
    for (size_t i = 0; i < ev->ndata; i++)
        for (size_t w = 0; w < COUNT(update_words); w++)
            if (strstr(ev->data[i].value, update_words[w]))
                return 1;
    return 0;
}

/* Find the update service an SCM event is about; NULL if none.  Also
 * sets *state to the number SCM wrote after the '/' in Binary, or -1. */
static const char *scm_service(struct wu_event *ev, int *state)
{
    static const char *const fields[] = {
        "param4", "ServiceName", "param1", "param2", "param3",
    };
    const char *s;

    *state = -1;
    if (ev->binary && wu_decode_scm_binary(ev->binary, ev->service_buf,
                                           sizeof ev->service_buf, state) == 0) {
        if ((s = wu_service_lookup(ev->service_buf)) != NULL)
            return s;
    }
    for (size_t i = 0; i < COUNT(fields); i++)
        if ((s = wu_service_lookup(wu_event_get(ev, fields[i]))) != NULL)
            return s;
    return NULL;
}

static void derive_code(struct wu_event *ev)
{
    uint32_t c;
    for (size_t i = 0; i < COUNT(code_fields); i++) {
        const char *v = wu_event_get(ev, code_fields[i]);
        if (v && wu_parse_logged_code(v, &c) == 0 && c != 0) {
            ev->has_code = 1;
            ev->code = c;
            return;
        }
    }
    if (strcasecmp(ev->provider, "Service Control Manager") == 0) {
        for (size_t i = 0; i < COUNT(scm_code_events); i++) {
            const char *v = wu_event_get(ev, "param2");
            if (ev->event_id == scm_code_events[i] && v &&
                v[0] == '%' && wu_parse_logged_code(v, &c) == 0 && c != 0) {
                ev->has_code = 1;
                ev->code = c;
                return;
            }
        }
    }
}

int wu_classify(struct wu_event *ev)
{
    int need, state = -1;

    ev->service = NULL;
    ev->svc_state = NULL;
    ev->svc_start = NULL;
    ev->has_code = 0;
    ev->code = 0;
    ev->kb[0] = '\0';
    ev->kind = EK_NONE;
    ev->outcome = EO_NONE;
    ev->detail = NULL;
    if (!ev->provider || (need = keep_need(ev->provider, ev->event_id)) < 0)
        return 0;
    switch ((enum ev_need)need) {
    case NEED_DEFAULT:
    case NEED_NOTHING:
        break;
    case NEED_SERVICE:
        if (!(ev->service = scm_service(ev, &state)))
            return 0;
        break;
    case NEED_UPDATE_TEXT:
        if (!mentions_update(ev))
            return 0;
        break;
    }
    ev_classify(ev->provider, ev->event_id, ev->level, &ev->kind, &ev->outcome);
    {
        const char *field = ev_detail_field(ev->provider, ev->event_id);
        ev->detail = field ? wu_event_get(ev, field) : NULL;
    }
    /* what SCM says of the service: its new state or start type */
    if (ev->service) {
        if (ev->kind == EK_SERVICE_STATE) {
            if (!(ev->svc_state = wu_state_of_number(state)))
                ev->svc_state = wu_state_canon(ev->detail);
        } else if (ev->kind == EK_SERVICE_CONFIG) {
            ev->svc_start = wu_start_type_canon(ev->detail);
        } else if (ev->kind == EK_SERVICE_INSTALLED) {
            ev->svc_start = wu_start_type_canon(wu_event_get(ev, "StartType"));
        }
    }
    derive_code(ev);
    ev->update_title = NULL;
    for (size_t i = 0; i < COUNT(title_fields) && !ev->update_title; i++)
        ev->update_title = wu_event_get(ev, title_fields[i]);
    ev->update_guid = wu_event_get(ev, "updateGuid");
    if (ev->update_title)
        wu_find_kb(ev->update_title, ev->kb, sizeof ev->kb);
    return 1;
}
