/*
 * redact.c - replace identifying names in a report model, for reports that
 * leave the organisation (support tickets).
 *
 * Host names (and their short name and DNS domain), user names in profile
 * paths, IPv4 addresses and the host part of non-Microsoft URLs become
 * tokens such as host-1, domain-1, user-1, ip-1, server-1.  One redactor
 * serves a whole report, so the same input always gets the same token
 * across every host, section and format.  Redaction happens on the model
 * before diagnosis, so findings and evidence are built from redacted text.
 */
#include "diagnosis/redact.h"
#include "util/grow.h"
#include "util/strbuf.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum kind { K_HOST, K_DOMAIN, K_USER, K_IP, K_SERVER, K_COUNT };
static const char *const kind_prefix[K_COUNT] = {
    "host", "domain", "user", "ip", "server"
};

struct token {
    char *orig;         /* as first seen; compared case-insensitively */
    char tok[24];
    enum kind kind;
};

struct redactor {
    struct token *t;
    size_t n, cap;
    int next[K_COUNT];
};

/* URL hosts that identify nobody and that the reader needs. */
static const char *const public_suffixes[] = {
    "microsoft.com", "windowsupdate.com", "windows.com", "update.microsoft.com",
    "live.com", "msftconnecttest.com",
};

struct redactor *redactor_new(void)
{
    return calloc(1, sizeof(struct redactor));
}

void redactor_free(struct redactor *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++)
        free(r->t[i].orig);
    free(r->t);
    free(r);
}

/* Token for orig[0..len) of a kind; NULL on out of memory. */
static const char *token_for(struct redactor *r, enum kind k, const char *orig,
                             size_t len)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->t[i].kind == k && strlen(r->t[i].orig) == len &&
            strncasecmp(r->t[i].orig, orig, len) == 0)
            return r->t[i].tok;
    if (wu_grow(&r->t, r->n, &r->cap, sizeof *r->t) != 0)
        return NULL;
    struct token *t = &r->t[r->n];
    if (!(t->orig = malloc(len + 1)))
        return NULL;
    memcpy(t->orig, orig, len);
    t->orig[len] = '\0';
    t->kind = k;
    snprintf(t->tok, sizeof t->tok, "%s-%d", kind_prefix[k], ++r->next[k]);
    r->n++;
    return t->tok;
}

static int name_char(int c)
{
    return isalnum(c) || c == '-' || c == '_';
}

/* Length of an IPv4 address at s (with boundaries), or 0. */
static size_t ipv4_at(const char *s, const char *start)
{
    size_t i = 0;
    if (s > start && (isalnum((unsigned char)s[-1]) || s[-1] == '.'))
        return 0;
    for (int part = 0; part < 4; part++) {
        size_t d = 0;
        int v = 0;
        while (isdigit((unsigned char)s[i]) && d < 3) {
            v = v * 10 + (s[i] - '0');
            i++;
            d++;
        }
        if (d == 0 || v > 255)
            return 0;
        if (part < 3) {
            if (s[i] != '.')
                return 0;
            i++;
        }
    }
    if (isalnum((unsigned char)s[i]) || (s[i] == '.' && isdigit((unsigned char)s[i + 1])))
        return 0;
    return i;
}

static int is_public(const char *host, size_t len)
{
    for (size_t i = 0; i < sizeof public_suffixes / sizeof public_suffixes[0]; i++) {
        size_t n = strlen(public_suffixes[i]);
        if (len >= n && strncasecmp(host + len - n, public_suffixes[i], n) == 0 &&
            (len == n || host[len - n - 1] == '.'))
            return 1;
    }
    return 0;
}

/* Known names of the host: the full name, its first label, its domain. */
struct names {
    const char *s[3];
    size_t len[3];
    enum kind kind[3];
    int n;
};

static void host_names(const char *host, struct names *nm)
{
    const char *dot = host ? strchr(host, '.') : NULL;
    nm->n = 0;
    if (!host || !*host)
        return;
    nm->s[nm->n] = host;
    nm->len[nm->n] = strlen(host);
    nm->kind[nm->n++] = K_HOST;
    if (dot && dot > host && dot[1]) {
        nm->s[nm->n] = dot + 1;                 /* domain: longer, try first */
        nm->len[nm->n] = strlen(dot + 1);
        nm->kind[nm->n++] = K_DOMAIN;
        nm->s[nm->n] = host;
        nm->len[nm->n] = (size_t)(dot - host);  /* short name */
        nm->kind[nm->n++] = K_HOST;
    }
}

/*
 * Redact one string into sb.  Returns 0, or -1 on out of memory.  The host's
 * full name maps to the same token as its short name plus its domain token,
 * so "PC1.corp.example" reads "host-1.domain-1".
 */
static int redact_str(struct redactor *r, const struct names *nm, const char *s,
                      struct strbuf *sb)
{
    const char *p = s;
    sb_reset(sb);
    while (*p) {
        size_t n;
        int matched = 0;

        /* a host name, its short name or its domain, at word boundaries */
        for (int i = 0; i < nm->n && !matched; i++) {
            n = nm->len[i];
            if (n && strncasecmp(p, nm->s[i], n) == 0 &&
                (p == s || !name_char((unsigned char)p[-1])) &&
                !name_char((unsigned char)p[n])) {
                const char *dot = memchr(nm->s[i], '.', n);
                if (nm->kind[i] == K_HOST && dot) {
                    const char *a = token_for(r, K_HOST, nm->s[i], (size_t)(dot - nm->s[i]));
                    const char *b = token_for(r, K_DOMAIN, dot + 1,
                                              n - (size_t)(dot - nm->s[i]) - 1);
                    if (!a || !b)
                        return -1;
                    sb_printf(sb, "%s.%s", a, b);
                } else {
                    const char *t = token_for(r, nm->kind[i], nm->s[i], n);
                    if (!t)
                        return -1;
                    sb_adds(sb, t);
                }
                p += n;
                matched = 1;
            }
        }
        if (matched)
            continue;
        if ((n = ipv4_at(p, s)) > 0) {
            const char *t = token_for(r, K_IP, p, n);
            if (!t)
                return -1;
            sb_adds(sb, t);
            p += n;
            continue;
        }
        /* profile paths: \Users\NAME\ and /home/NAME/ */
        if ((strncasecmp(p, "\\Users\\", 7) == 0 || strncasecmp(p, "/Users/", 7) == 0 ||
             strncmp(p, "/home/", 6) == 0)) {
            size_t pre = p[1] == 'h' ? 6 : 7;
            const char *u = p + pre;
            n = 0;
            while (u[n] && u[n] != '\\' && u[n] != '/' && u[n] != '"' && u[n] != ' ')
                n++;
            if (n && strncasecmp(u, "Public", n) != 0 && strncasecmp(u, "Default", n) != 0) {
                const char *t = token_for(r, K_USER, u, n);
                if (!t)
                    return -1;
                sb_add(sb, p, pre);
                sb_adds(sb, t);
                p = u + n;
                continue;
            }
        }
        /* URL hosts that are not Microsoft's */
        if (strncmp(p, "://", 3) == 0) {
            const char *h = p + 3;
            n = 0;
            while (h[n] && (name_char((unsigned char)h[n]) || h[n] == '.'))
                n++;
            if (n && !is_public(h, n) && !ipv4_at(h, h)) {
                const char *t = token_for(r, K_SERVER, h, n);
                if (!t)
                    return -1;
                sb_adds(sb, "://");
                sb_adds(sb, t);
                p = h + n;
                continue;
            }
        }
        sb_addc(sb, *p++);
    }
    return sb->oom ? -1 : 0;
}

/* Replace *field with its redacted copy in the model's arena. */
static int redact_field(struct redactor *r, struct model *m, const struct names *nm,
                        struct strbuf *sb, const char **field)
{
    if (!*field)
        return 0;
    if (redact_str(r, nm, *field, sb) != 0)
        return -1;
    if (strcmp(sb->buf ? sb->buf : "", *field) == 0)
        return 0;
    const char *c = model_strdup(m, sb->buf ? sb->buf : "");
    if (!c)
        return -1;
    *field = c;
    return 0;
}

int redact_model(struct redactor *r, struct model *m)
{
    struct strbuf sb;
    struct names nm;
    char *host = NULL;
    int rc = -1;

    sb_init(&sb);
    /* the name list points at the original host name; keep a copy */
    if (m->host && !(host = strdup(m->host)))
        goto cleanup;
    host_names(host, &nm);
    if (redact_field(r, m, &nm, &sb, &m->host) || redact_field(r, m, &nm, &sb, &m->os))
        goto cleanup;
    for (size_t i = 0; i < m->nevents; i++) {
        struct m_event *e = &m->events[i];
        if (redact_field(r, m, &nm, &sb, &e->title) ||
            redact_field(r, m, &nm, &sb, &e->detail) ||
            redact_field(r, m, &nm, &sb, &e->channel))
            goto cleanup;
    }
    for (size_t i = 0; i < m->nobservations; i++)
        if (redact_field(r, m, &nm, &sb, &m->observations[i].display))
            goto cleanup;
    for (size_t i = 0; i < m->ncoverage; i++)
        if (redact_field(r, m, &nm, &sb, &m->coverage[i].source) ||
            redact_field(r, m, &nm, &sb, &m->coverage[i].detail))
            goto cleanup;
    rc = 0;
cleanup:
    free(host);
    sb_free(&sb);
    return rc;
}
