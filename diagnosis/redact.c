/*
 * redact.c - the --redact tokenizer (see redact.h): one left-to-right scan
 * of each string that recognises, at word starts,
 *
 *   URLs           scheme://[userinfo@]host[:port]  userinfo always dropped,
 *                  the host redacted unless a public Microsoft endpoint
 *   UNC paths      \\SERVER\share, \\?\UNC\server\share
 *   profile paths  C:\Users\NAME, /home/NAME, \Documents and Settings\NAME
 *   accounts       DOMAIN\user (not NT AUTHORITY\..., BUILTIN\...)
 *   e-mail / UPN   user@domain
 *   LDAP DNs       CN=..., OU=..., DC=a,DC=b (one domain token)
 *   SIDs           S-1-5-21-... (three or more sub-authorities)
 *   IPv4, IPv6     (loopback and the unspecified address stay)
 *   host names     FQDNs (known TLD, a port, or learned), name:port
 *   bare names     any word learned above as a host, domain or user name
 *
 * Tokens live in one open-addressing hash map keyed by the name without
 * case, so each recognizer costs O(1) per name and every scan is linear:
 * a recognizer that fails looks at most a bounded number of bytes ahead,
 * and a dotted run is always consumed whole.  Knowledge is in the tables
 * below: public endpoints, TLDs, well-known principals and words that are
 * never learned as names.
 */
#include "diagnosis/redact.h"
#include "util/grow.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum kind { K_HOST, K_DOMAIN, K_USER, K_IP, K_SID, K_ORG, K_DIR, K_COUNT };
static const char *const kind_prefix[K_COUNT] = {
    "host", "domain", "user", "ip", "sid", "org", "dir"
};

/* ---- tables ------------------------------------------------------------ */

/* A dotted quad right after one of these words is a version, not an
 * address ("Definition 1.249.252.0", "Version 1.2.3.4"). */
static const char *const version_words[] = {
    "version", "definition", "build", "v", "ver", "rev", "revision", "release",
    "antimalware", "engine", "platform", "wersja", "versi\xc3\xb3n", "versione",
};

/* Microsoft's public update endpoints: readable when the host is one of
 * these or ends in "." + one of these (a label boundary, never a prefix). */
static const char *const public_domains[] = {
    "windowsupdate.com",        /* download., *.dl.delivery... */
    "update.microsoft.com",     /* fe2cr., catalog., sls. */
    "windowsupdate.microsoft.com",
    "microsoft.com",            /* go., support., learn., *.mp.microsoft.com */
    "windows.com",              /* wustat., settings-win.data. */
    "msftconnecttest.com",
    "msftncsi.com",
    "live.com",
    "aka.ms",
};

/* Addresses that identify nobody. */
static const char *const readable_ips[] = {
    "127.0.0.1", "0.0.0.0", "255.255.255.255", "255.255.255.0", "::1", "::",
};

/* Last labels that make a dotted word a host name in free text. */
static const char *const tlds[] = {
    "com", "net", "org", "edu", "gov", "mil", "int", "info", "biz", "io", "co",
    "local", "lan", "corp", "internal", "intranet", "intra", "intern", "home",
    "localdomain", "example", "test", "invalid", "arpa", "ad", "priv", "private",
    "de", "uk", "fr", "nl", "be", "ch", "at", "es", "se", "no", "dk", "fi", "cz",
    "ru", "jp", "cn", "kr", "tw", "au", "nz", "ca", "us", "eu", "br", "mx", "ie",
    "pt", "tr", "hu", "ro", "gr", "il", "sg", "hk", "za", "ar", "cl", "lu", "sk",
    "lab", "office", "cloud", "online", "dev", "app", "me", "tv", "cc", "ws", "xyz",
    "top", "site", "tech", "group", "global", "ms",
};

/* Account domains that are Windows' own: the account stays readable.  The
 * text before the backslash ends with one of these, on a word boundary. */
static const char *const wellknown_domains[] = {
    "NT AUTHORITY", "NT SERVICE", "BUILTIN", "NT VIRTUAL MACHINE", "IIS APPPOOL",
    "Window Manager", "Font Driver Host", "NT-AUTORIT\xc3\x84T", "AUTORITE NT",
    "VORDEFINIERT", "NT-DIENST", "NT INSTANCE",
};

/* Words never learned as names, nor taken as the domain of DOMAIN\user:
 * Windows' own vocabulary and path components. */
static const char *const common_words[] = {
    "windows", "microsoft", "system", "system32", "syswow64", "sysnative", "update",
    "updates", "softwaredistribution", "servicing", "winsxs", "logs", "cbs", "temp",
    "tmp", "local", "localhost", "locallow", "roaming", "appdata", "programdata",
    "program", "files", "users", "user", "public", "default", "all", "guest",
    "administrator", "administrators", "admin", "server", "service", "services",
    "network", "domain", "workgroup", "computer", "computers", "builtin", "authority",
    "nt", "com", "net", "org", "www", "http", "https", "ftp", "file", "ldap", "proxy",
    "wsus", "drivers", "driverstore", "config", "inf", "panther", "prefetch",
    "download", "datastore", "desktop", "documents", "downloads", "software",
    "hklm", "hkcu", "hkey_local_machine", "hkey_current_user", "machine", "current",
    "control", "controlset001", "currentcontrolset", "policies", "none", "null",
    "unknown", "true", "false", "yes", "no", "ok", "error", "failed", "success",
};

/* CN values that name a container or a vendor, not a person. */
static const char *const public_cns[] = {
    "users", "computers", "builtin", "system", "configuration", "schema", "services",
    "sites", "partitions", "policies", "foreignsecurityprincipals", "program data",
    "domain controllers", "managed service accounts", "keys", "microsoft",
};

/* Profile folders that are Windows' own. */
static const char *const public_profiles[] = {
    "public", "default", "default user", "all users", "defaultuser0",
    "defaultuser100000", "defaultapppool", "administrator", "systemprofile",
};

/* Where profile paths start. */
static const char *const profile_roots[] = {
    "\\Users\\", "/Users/", "/home/", "\\Documents and Settings\\", "/c/Users/",
};

/* A DOMAIN\user whose "user" ends in one of these is a file, not a user. */
static const char *const file_exts[] = {
    "log", "txt", "etl", "evtx", "dll", "exe", "sys", "xml", "cab", "msu", "msi",
    "cat", "mum", "manifest", "ini", "dat", "json", "ps1", "bat", "cmd", "inf",
    "tmp", "bak", "old", "db", "edb", "jrs", "chk", "mui", "zip", "esd", "wim",
};

#define COUNT(a) (sizeof a / sizeof a[0])

/* ---- the token map ------------------------------------------------------ */

struct entry {
    char *key;              /* lower case; NULL = free slot */
    uint64_t hash;
    unsigned char kind;     /* of the token, when num > 0 */
    unsigned char bare;     /* matched as a bare word too */
    unsigned char fqdn;     /* a full host name: written host-N.domain-M */
    int num;                /* the token's number; 0 = none yet */
};

struct redactor {
    struct entry *tab;
    size_t cap, n;
    int next[K_COUNT];
    int oom;
    struct strbuf ev[10];   /* redact_export's fields */
    char **kept;            /* redact_history's copies */
    size_t nkept, capkept;
};

/* One scan: out is NULL in the learning pass. */
struct scan {
    struct redactor *r;
    const char *s;
    size_t n;
    struct strbuf *out;
};

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static uint64_t hash_of(const char *s, size_t len)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)lower((unsigned char)s[i]);
        h *= 0x100000001b3ull;
    }
    return h;
}

static int same(const char *key, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)key[i] != lower((unsigned char)s[i]))
            return 0;
    return key[len] == '\0';
}

static int eq_nocase(const char *a, size_t alen, const char *b)
{
    return strlen(b) == alen && strncasecmp(a, b, alen) == 0;
}

static int in_table(const char *s, size_t len, const char *const *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (eq_nocase(s, len, t[i]))
            return 1;
    return 0;
}

static struct entry *lookup(const struct redactor *r, const char *s, size_t len)
{
    if (!r->cap)
        return NULL;
    uint64_t h = hash_of(s, len);
    for (size_t i = h & (r->cap - 1);; i = (i + 1) & (r->cap - 1)) {
        struct entry *e = &r->tab[i];
        if (!e->key)
            return NULL;
        if (e->hash == h && same(e->key, s, len))
            return e;
    }
}

static int rehash(struct redactor *r)
{
    size_t ncap = r->cap ? r->cap * 2 : 256;
    struct entry *nt = calloc(ncap, sizeof *nt);
    if (!nt)
        return -1;
    for (size_t i = 0; i < r->cap; i++) {
        if (!r->tab[i].key)
            continue;
        size_t j = r->tab[i].hash & (ncap - 1);
        while (nt[j].key)
            j = (j + 1) & (ncap - 1);
        nt[j] = r->tab[i];
    }
    free(r->tab);
    r->tab = nt;
    r->cap = ncap;
    return 0;
}

static int all_digits(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return len > 0;
}

/* May this name be matched as a bare word? */
static int bare_ok(const char *s, size_t len)
{
    return len >= 2 && !all_digits(s, len) && !in_table(s, len, common_words, COUNT(common_words));
}

/* The entry for s with a token (of kind k when it had none); NULL on out
 * of memory.  The first kind a name gets is the one it keeps. */
static struct entry *get(struct redactor *r, enum kind k, const char *s, size_t len, int bare)
{
    struct entry *e = lookup(r, s, len);
    if (!e) {
        if ((r->n + 1) * 2 > r->cap && rehash(r) != 0)
            goto oom;
        uint64_t h = hash_of(s, len);
        size_t i = h & (r->cap - 1);
        while (r->tab[i].key)
            i = (i + 1) & (r->cap - 1);
        e = &r->tab[i];
        if (!(e->key = malloc(len + 1)))
            goto oom;
        for (size_t j = 0; j < len; j++)
            e->key[j] = (char)lower((unsigned char)s[j]);
        e->key[len] = '\0';
        e->hash = h;
        r->n++;
    }
    if (k < K_COUNT && !e->num) {
        e->kind = (unsigned char)k;
        e->num = ++r->next[k];
    }
    if (bare && !e->bare && bare_ok(s, len))
        e->bare = 1;
    return e;
oom:
    r->oom = 1;
    return NULL;
}

/* Mark s as a full host name (no token of its own). */
static void mark_fqdn(struct redactor *r, const char *s, size_t len)
{
    struct entry *e = get(r, K_COUNT, s, len, 0);
    if (e)
        e->fqdn = 1;
}

struct redactor *redactor_new(void)
{
    struct redactor *r = calloc(1, sizeof *r);
    if (r)
        for (size_t i = 0; i < COUNT(r->ev); i++)
            sb_init(&r->ev[i]);
    return r;
}

void redactor_free(struct redactor *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->cap; i++)
        free(r->tab[i].key);
    free(r->tab);
    for (size_t i = 0; i < COUNT(r->ev); i++)
        sb_free(&r->ev[i]);
    for (size_t i = 0; i < r->nkept; i++)
        free(r->kept[i]);
    free(r->kept);
    free(r);
}

/* ---- output ------------------------------------------------------------- */

static void put(struct scan *sc, const char *s, size_t len)
{
    if (sc->out)
        sb_add(sc->out, s, len);
}

static void put_tok(struct scan *sc, const struct entry *e)
{
    if (sc->out && e && e->num)
        sb_printf(sc->out, "%s-%d", kind_prefix[e->kind], e->num);
}

/* A token for s: the one it has, or a new one of kind k. */
static void tok(struct scan *sc, enum kind k, const char *s, size_t len, int bare)
{
    put_tok(sc, get(sc->r, k, s, len, bare));
}

/* ---- character classes and small recognizers --------------------------- */

static int is_wc(int c)
{
    return isalnum(c) || c == '_' || c == '-' || c >= 0x80;
}

static int is_hex(int c)
{
    return isxdigit(c);
}

static int at(const struct scan *sc, size_t i)
{
    return i < sc->n ? (unsigned char)sc->s[i] : 0;
}

static int is_public(const char *h, size_t len)
{
    while (len && h[len - 1] == '.')
        len--;
    for (size_t i = 0; i < COUNT(public_domains); i++) {
        size_t n = strlen(public_domains[i]);
        if (len >= n && strncasecmp(h + len - n, public_domains[i], n) == 0 &&
            (len == n || h[len - n - 1] == '.'))
            return 1;
    }
    return 0;
}

/* s[0..len) is exactly a dotted-quad IPv4 address. */
static int is_ipv4(const char *s, size_t len)
{
    size_t i = 0;
    for (int part = 0; part < 4; part++) {
        size_t d = 0;
        int v = 0;
        while (i < len && isdigit((unsigned char)s[i]) && d < 3) {
            v = v * 10 + (s[i] - '0');
            i++;
            d++;
        }
        if (d == 0 || v > 255)
            return 0;
        if (part < 3) {
            if (i >= len || s[i] != '.')
                return 0;
            i++;
        }
    }
    return i == len;
}

/* Length of an IPv6 address at s[i..] (without brackets, with a %zone), or
 * 0.  Looks at most 64 bytes (and 8 groups) ahead. */
static size_t ipv6_at(const struct scan *sc, size_t i)
{
    size_t j = i, groups = 0, lim = i + 64;
    int dbl = 0, colons = 0;

    if (at(sc, j) == ':') {
        if (at(sc, j + 1) != ':')
            return 0;
        dbl = 1;
        colons = 2;
        j += 2;
    }
    while (j < lim) {
        size_t h = 0;
        while (h < 5 && is_hex(at(sc, j + h)))
            h++;
        if (h == 0)
            break;
        if (at(sc, j + h) == '.') {
            /* an embedded IPv4 ends the address */
            size_t k = j;
            while (k < lim && (isdigit(at(sc, k)) || at(sc, k) == '.'))
                k++;
            while (k > j && sc->s[k - 1] == '.')
                k--;
            if (!is_ipv4(sc->s + j, k - j))
                return 0;
            groups += 2;
            j = k;
            break;
        }
        if (h > 4 || ++groups > 8)
            return 0;
        j += h;
        if (at(sc, j) != ':')
            break;
        if (at(sc, j + 1) == ':') {
            if (dbl)
                return 0;
            dbl = 1;
            colons += 2;
            j += 2;
        } else {
            colons++;
            j++;
            if (!is_hex(at(sc, j)))
                return 0;          /* "a:b:" then something else */
        }
    }
    if (colons < 2 || (dbl ? groups > 7 : groups != 8))
        return 0;
    if (at(sc, j) == '%') {     /* zone: fe80::1%12, %eth0 */
        size_t k = j + 1;
        while (k < lim && isalnum(at(sc, k)))
            k++;
        if (k > j + 1)
            j = k;
    }
    if (is_wc(at(sc, j)) || at(sc, j) == ':')
        return 0;
    return j - i;
}

/* End of the dotted run at i: labels of word characters joined by single
 * dots; *labels gets their number. */
static size_t dotted_end(const struct scan *sc, size_t i, int *labels)
{
    size_t j = i;
    *labels = 0;
    for (;;) {
        while (is_wc(at(sc, j)))
            j++;
        (*labels)++;
        if (at(sc, j) == '.' && is_wc(at(sc, j + 1)))
            j++;
        else
            return j;
    }
}

/* ":port" at i (2 to 5 digits, then no word character or colon)?  Its
 * length, or 0. */
static size_t port_at(const struct scan *sc, size_t i)
{
    size_t d = 0;
    if (at(sc, i) != ':')
        return 0;
    while (d < 6 && isdigit(at(sc, i + 1 + d)))
        d++;
    if (d < 2 || d > 5 || is_wc(at(sc, i + 1 + d)) || at(sc, i + 1 + d) == ':')
        return 0;
    return d + 1;
}

static int has_digit(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (isdigit((unsigned char)s[i]))
            return 1;
    return 0;
}

static int has_alpha(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (isalpha((unsigned char)s[i]))
            return 1;
    return 0;
}

/* Does the dotted word s (labels >= 2) look like a host name in free
 * text: a known last label, or three labels or more whose first has a
 * digit and whose last is a word ("fs1.acme.site2" is not, "fs1.acme.lab"
 * is)? */
static int tld_ok(const char *s, size_t len, int labels)
{
    const char *dot = NULL, *first = memchr(s, '.', len);
    for (size_t i = 0; i < len; i++)
        if (s[i] == '.')
            dot = s + i;
    if (!dot)
        return 0;
    size_t tl = (size_t)(s + len - dot - 1);
    if (in_table(dot + 1, tl, tlds, COUNT(tlds)))
        return 1;
    if (labels < 3 || tl < 2 || !has_digit(s, (size_t)(first - s)))
        return 0;
    for (size_t i = 0; i < tl; i++)
        if (!isalpha((unsigned char)dot[1 + i]))
            return 0;
    return !in_table(dot + 1, tl, file_exts, COUNT(file_exts));
}

/* ---- tokens ------------------------------------------------------------- */

static void ip_tok(struct scan *sc, const char *s, size_t len)
{
    const char *zone = memchr(s, '%', len);
    size_t al = zone ? (size_t)(zone - s) : len;   /* fe80::1%12: the zone stays */
    if (in_table(s, al, readable_ips, COUNT(readable_ips)))
        put(sc, s, al);
    else
        tok(sc, K_IP, s, al, 0);
    put(sc, s + al, len - al);
}

/* A DNS domain (after '@', DC=..., the rest of an FQDN). */
static void domain_tok(struct scan *sc, const char *s, size_t len)
{
    if (is_public(s, len))
        put(sc, s, len);
    else if (is_ipv4(s, len))
        ip_tok(sc, s, len);
    else
        tok(sc, K_DOMAIN, s, len, 0);
}

/* A user name: NAME, or NAME.SUFFIX (a profile folder such as jdoe.CORP)
 * when split; the same NAME always gets the same token. */
static void user_tok(struct scan *sc, const char *s, size_t len, int split)
{
    const char *dot = split ? memchr(s, '.', len) : NULL;
    if (dot && dot > s && dot + 1 < s + len) {
        size_t ul = (size_t)(dot - s), sl = len - ul - 1;
        tok(sc, K_USER, s, ul, 1);
        put(sc, ".", 1);
        if (all_digits(dot + 1, sl))
            put(sc, dot + 1, sl);
        else
            tok(sc, K_DOMAIN, dot + 1, sl, 1);
        return;
    }
    tok(sc, K_USER, s, len, 1);
}

/*
 * A host name (short, FQDN or address) in s[0..len).  explicit: it names a
 * machine for sure (UNC server, a stored host name), so its short name is
 * matched bare from now on; otherwise only a short name with a digit is.
 * FQDN "pc1.corp.example" becomes "host-1.domain-1".
 */
static void host_tok(struct scan *sc, const char *s, size_t len, int explicit)
{
    struct redactor *r = sc->r;
    const struct entry *e;
    const char *dot;

    while (len && s[len - 1] == '.')
        len--;
    if (!len)
        return;
    if (is_ipv4(s, len)) {
        ip_tok(sc, s, len);
        return;
    }
    if (is_public(s, len) || eq_nocase(s, len, "localhost")) {
        put(sc, s, len);
        return;
    }
    if (!(dot = memchr(s, '.', len))) {
        tok(sc, K_HOST, s, len, explicit || has_digit(s, len));
        return;
    }
    size_t hl = (size_t)(dot - s);
    int labels = 1;
    for (size_t i = 0; i < len; i++)
        labels += s[i] == '.';
    e = lookup(r, s, len);
    if (e && e->num && !e->fqdn) {              /* a known domain (or name) */
        put_tok(sc, e);
        return;
    }
    if (e || explicit || labels >= 3 || has_digit(s, hl) ||
        ((e = lookup(r, s, hl)) && e->num && e->kind == K_HOST)) {
        mark_fqdn(r, s, len);
        tok(sc, K_HOST, s, hl, explicit || has_digit(s, hl));
        put(sc, ".", 1);
        domain_tok(sc, dot + 1, len - hl - 1);
        return;
    }
    tok(sc, K_DOMAIN, s, len, 0);
}

/* A word not otherwise recognised: a known bare name, or itself.  A word
 * glued to non-ASCII bytes ("jdoe" in curly quotes) is tried piecewise. */
static void word(struct scan *sc, size_t i, size_t end)
{
    const struct entry *e;
    if (!sc->out)
        return;
    if ((e = lookup(sc->r, sc->s + i, end - i)) && e->bare && e->num) {
        put_tok(sc, e);
        return;
    }
    size_t j = i;
    while (j < end) {
        size_t k = j;
        int high = (unsigned char)sc->s[j] >= 0x80;
        while (k < end && ((unsigned char)sc->s[k] >= 0x80) == high)
            k++;
        if (!high && k - j < end - i && (e = lookup(sc->r, sc->s + j, k - j)) && e->bare && e->num)
            put_tok(sc, e);
        else
            put(sc, sc->s + j, k - j);
        j = k;
    }
}

/* A dotted run that is no host name: label by label (a trailing IPv4 such
 * as "at.10.1.2.3" is still an address). */
static void dotted_words(struct scan *sc, size_t i, size_t end, int labels)
{
    size_t j = i;
    int lab = 0;
    while (j < end) {
        if (labels - lab == 4 && lab > 0 && is_ipv4(sc->s + j, end - j)) {
            ip_tok(sc, sc->s + j, end - j);
            return;
        }
        size_t k = j;
        while (k < end && sc->s[k] != '.')
            k++;
        word(sc, j, k);
        lab++;
        if (k < end)
            put(sc, ".", 1);
        j = k + 1;
    }
}

/* ---- structured forms -------------------------------------------------- */

/* scheme://[userinfo@]host[:port] at i (scheme ends at se); returns the end.
 * A host followed by "://" again ("ftp://tp://u:p@h") is the scheme of a
 * nested URL: its userinfo is dropped too. */
static size_t url(struct scan *sc, size_t i, size_t se)
{
    size_t a = se + 3, h, he;

    put(sc, sc->s + i, a - i);                  /* scheme:// */
    for (;;) {
        size_t end = a, at_pos = 0;
        for (;;) {
            int c = at(sc, end);
            if (!c || isspace(c) || strchr("/?#\\<>\"'`{}|^", c))
                break;
            if (c == '@')
                at_pos = end + 1;
            end++;
        }
        h = at_pos ? at_pos : a;                /* userinfo: dropped */
        if (at(sc, h) == '[') {
            size_t n6 = ipv6_at(sc, h + 1);
            if (!n6 || at(sc, h + 1 + n6) != ']')
                return h;
            put(sc, "[", 1);
            ip_tok(sc, sc->s + h + 1, n6);
            put(sc, "]", 1);
            he = h + n6 + 2;
        } else {
            he = h;
            while (he < end && (is_wc(at(sc, he)) || at(sc, he) == '.'))
                he++;
            while (he > h && sc->s[he - 1] == '.')
                he--;
            if (he > h)
                host_tok(sc, sc->s + h, he - h, 0);
        }
        if (at(sc, he) == ':' && at(sc, he + 1) == '/' && at(sc, he + 2) == '/') {
            put(sc, "://", 3);
            a = he + 3;
            continue;
        }
        break;
    }
    if (at(sc, he) == ':') {                    /* port */
        size_t p = he + 1;
        while (isdigit(at(sc, p)))
            p++;
        put(sc, sc->s + he, p - he);
        he = p;
    }
    return he;
}

/* \\server\..., \\?\UNC\server\... at i (two backslashes); the end, or 0. */
static size_t unc(struct scan *sc, size_t i)
{
    size_t j = i + 2;
    int c = at(sc, j);
    if ((c == '?' || c == '.') && at(sc, j + 1) == '\\') {
        if (sc->n - (j + 2) >= 4 && strncasecmp(sc->s + j + 2, "UNC\\", 4) == 0) {
            put(sc, sc->s + i, 8);
            j += 6;
        } else {
            put(sc, sc->s + i, 4);          /* \\?\C:\..., \\.\pipe\... */
            return i + 4;
        }
    } else {
        put(sc, "\\\\", 2);
    }
    if (at(sc, j) == '[') {
        size_t n6 = ipv6_at(sc, j + 1);
        if (n6 && at(sc, j + 1 + n6) == ']') {
            put(sc, "[", 1);
            ip_tok(sc, sc->s + j + 1, n6);
            put(sc, "]", 1);
            return j + n6 + 2;
        }
        return j;
    }
    size_t e = j;
    while (is_wc(at(sc, e)) || (at(sc, e) == '.' && is_wc(at(sc, e + 1))))
        e++;
    if (e > j)
        host_tok(sc, sc->s + j, e - j, 1);
    return e;
}

/* A profile path root at i (\Users\NAME...); the end, or 0. */
static size_t profile(struct scan *sc, size_t i)
{
    size_t rl = 0;
    for (size_t k = 0; k < COUNT(profile_roots) && !rl; k++) {
        size_t n = strlen(profile_roots[k]);
        if (sc->n - i >= n && strncasecmp(sc->s + i, profile_roots[k], n) == 0)
            rl = n;
    }
    if (!rl)
        return 0;
    size_t u = i + rl, e = u, sp = 0;
    int c;
    while ((c = at(sc, e)) && !strchr("\\/\"'<>|:*?\r\n\t", c)) {
        if (c == ' ' && !sp)
            sp = e;
        e++;
    }
    if (sp && !(at(sc, e) == '\\' || at(sc, e) == '/'))
        e = sp;                 /* "C:\Users\jdoe is ...": the name ends at the space */
    while (e > u && strchr(" .,;)]", sc->s[e - 1]))
        e--;
    if (e == u || in_table(sc->s + u, e - u, public_profiles, COUNT(public_profiles)))
        return 0;
    put(sc, sc->s + i, rl);
    user_tok(sc, sc->s + u, e - u, 1);
    return e;
}

/* Is the text before i (the start of a DOMAIN) a boundary for an account? */
static int account_boundary(const struct scan *sc, size_t i)
{
    if (i == 0)
        return 1;
    int c = (unsigned char)sc->s[i - 1];
    if (c == ':')               /* "User:CORP\x", but not "C:Windows\x" */
        return !(i >= 2 && isalpha((unsigned char)sc->s[i - 2]) &&
                 (i == 2 || !is_wc((unsigned char)sc->s[i - 3])));
    return isspace(c) || strchr("([<{\"'=,;|", c) != NULL;
}

/* DOMAIN\user at i (DOMAIN ends at de, on the backslash); the end, or 0. */
static size_t account(struct scan *sc, size_t i, size_t de)
{
    size_t dl = de - i, u = de + 1, e = u;
    if (dl > 15 || all_digits(sc->s + i, dl) || !account_boundary(sc, i) ||
        !isalnum(at(sc, u)) || in_table(sc->s + i, dl, common_words, COUNT(common_words)))
        return 0;
    while (e - u < 104 && (is_wc(at(sc, e)) || at(sc, e) == '$' ||
                           (at(sc, e) == '.' && is_wc(at(sc, e + 1)))))
        e++;
    if (at(sc, e) == '\\' || at(sc, e) == '/' || is_wc(at(sc, e)))
        return 0;               /* a path, or too long to be a name */
    const char *dot = NULL;
    for (size_t k = u; k < e; k++)
        if (sc->s[k] == '.')
            dot = sc->s + k;
    if (dot && in_table(dot + 1, (size_t)(sc->s + e - dot - 1), file_exts, COUNT(file_exts)))
        return 0;
    for (size_t k = 0; k < COUNT(wellknown_domains); k++) {
        size_t n = strlen(wellknown_domains[k]);
        if (de >= n && strncasecmp(sc->s + de - n, wellknown_domains[k], n) == 0 &&
            (de == n || !is_wc((unsigned char)sc->s[de - n - 1]))) {
            put(sc, sc->s + i, e - i);
            return e;
        }
    }
    tok(sc, K_DOMAIN, sc->s + i, dl, 1);        /* or the host it is */
    put(sc, "\\", 1);
    if (sc->s[e - 1] == '$' && e - 1 > u) {     /* a machine account */
        tok(sc, K_HOST, sc->s + u, e - 1 - u, 1);
        put(sc, "$", 1);
    } else {
        user_tok(sc, sc->s + u, e - u, 0);
    }
    return e;
}

/* The value of an RDN at v: up to a separator; a value with spaces that is
 * not followed by another RDN ends at its first space. */
static size_t rdn_value_end(const struct scan *sc, size_t v)
{
    size_t e = v, sp = 0;
    int c;
    while ((c = at(sc, e)) && !strchr(",+\"\\<>;=\r\n\t/)]", c)) {
        if (c == ' ' && !sp)
            sp = e;
        e++;
    }
    if (sp && at(sc, e) != ',')
        e = sp;
    while (e > v && sc->s[e - 1] == ' ')
        e--;
    return e;
}

/* The attribute of an RDN at i ("CN", "OU", ...) followed by '='; its length. */
static size_t rdn_attr(const struct scan *sc, size_t i)
{
    static const char *const attrs[] = {"CN", "OU", "DC", "O", "L", "ST", "STREET", "C"};
    size_t j = i;
    while (isalpha(at(sc, j)))
        j++;
    if (at(sc, j) != '=' || !in_table(sc->s + i, j - i, attrs, COUNT(attrs)))
        return 0;
    return j - i;
}

/* An LDAP DN at i ("CN=jdoe,OU=Sales,DC=corp,DC=example"); the end. */
static size_t dn(struct scan *sc, size_t i)
{
    struct strbuf dc;
    size_t j = i;
    sb_init(&dc);
    for (;;) {
        size_t al = rdn_attr(sc, j), v = j + al + 1, e;
        if (!al)
            break;
        e = rdn_value_end(sc, v);
        const char *a = sc->s + j, *val = sc->s + v;
        size_t vl = e - v;
        put(sc, a, al + 1);
        if (eq_nocase(a, al, "DC")) {
            /* DC=corp,DC=example,DC=com: one domain, as in corp.example.com */
            sb_reset(&dc);
            sb_add(&dc, val, vl);
            while (at(sc, e) == ',' && rdn_attr(sc, e + 1) == 2 &&
                   strncasecmp(sc->s + e + 1, "DC", 2) == 0) {
                size_t v2 = e + 4, e2 = rdn_value_end(sc, v2);
                sb_addc(&dc, '.');
                sb_add(&dc, sc->s + v2, e2 - v2);
                e = e2;
            }
            if (dc.oom) {
                sc->r->oom = 1;
                break;
            }
            if (dc.len)
                domain_tok(sc, dc.buf, dc.len);
        } else if (eq_nocase(a, al, "CN")) {
            if (!vl || in_table(val, vl, public_cns, COUNT(public_cns)) ||
                (vl >= 9 && strncasecmp(val, "Microsoft", 9) == 0))
                put(sc, val, vl);
            else
                user_tok(sc, val, vl, 0);       /* or the host it is */
        } else if (eq_nocase(a, al, "C") ||
                   (vl >= 9 && strncasecmp(val, "Microsoft", 9) == 0)) {
            put(sc, val, vl);
        } else if (vl) {
            tok(sc, K_ORG, val, vl, 0);
        }
        j = e;
        if (at(sc, j) == ',' && rdn_attr(sc, j + 1)) {
            put(sc, ",", 1);
            j++;
        } else {
            break;
        }
    }
    sb_free(&dc);
    return j;
}

/* A SID at i ("S-1-5-21-..."): its end, or 0.  *subs: sub-authorities. */
static size_t sid_at(const struct scan *sc, size_t i, int *subs)
{
    size_t j = i + 2;
    int parts = 0;
    if (lower(at(sc, i)) != 's' || at(sc, i + 1) != '-' || !isdigit(at(sc, j)))
        return 0;
    for (;;) {
        size_t d = 0;
        while (isdigit(at(sc, j + d)))
            d++;
        if (!d)
            return 0;
        j += d;
        parts++;
        if (at(sc, j) == '-' && isdigit(at(sc, j + 1)))
            j++;
        else
            break;
    }
    if (parts < 2 || is_wc(at(sc, j)))
        return 0;
    *subs = parts - 2;          /* revision, authority, then sub-authorities */
    return j;
}

/* Is the word before i (across blanks and an opening parenthesis) one of
 * version_words?  Looks back a bounded distance. */
static int after_version_word(const struct scan *sc, size_t i)
{
    size_t e = i, b;
    while (e > 0 && i - e < 4 && strchr(" (:=", sc->s[e - 1]))
        e--;
    b = e;
    while (b > 0 && e - b < 16 && is_wc((unsigned char)sc->s[b - 1]))
        b--;
    if (b == e || (b > 0 && is_wc((unsigned char)sc->s[b - 1])))
        return 0;
    return in_table(sc->s + b, e - b, version_words, COUNT(version_words));
}

/* Everything that starts with a word character at i; returns the end. */
static size_t word_start(struct scan *sc, size_t i)
{
    int labels, subs;
    size_t e, n;

    if ((e = sid_at(sc, i, &subs)) > 0) {
        if (subs >= 3)
            tok(sc, K_SID, sc->s + i, e - i, 0);
        else
            put(sc, sc->s + i, e - i);
        return e;
    }
    if (is_hex(at(sc, i))) {
        size_t h = 0;
        while (h < 5 && is_hex(at(sc, i + h)))
            h++;
        if (h <= 4 && at(sc, i + h) == ':' && (n = ipv6_at(sc, i)) > 0) {
            ip_tok(sc, sc->s + i, n);
            return i + n;
        }
    }
    e = dotted_end(sc, i, &labels);
    const char *s = sc->s + i;
    size_t len = e - i;
    if (at(sc, e) == ':' && at(sc, e + 1) == '/' && at(sc, e + 2) == '/')
        return url(sc, i, e);
    if (at(sc, e) == '@' && is_wc(at(sc, e + 1))) {
        /* e-mail or UPN: user@domain */
        int l2;
        size_t d = e + 1, de = dotted_end(sc, d, &l2);
        user_tok(sc, s, len, 0);
        put(sc, "@", 1);
        if (l2 == 1)
            host_tok(sc, sc->s + d, de - d, 0);
        else
            domain_tok(sc, sc->s + d, de - d);
        return de;
    }
    if (labels == 1 && at(sc, e) == '\\' && (n = account(sc, i, e)) > 0)
        return n;
    if (labels == 1 && at(sc, e) == '=' && rdn_attr(sc, i) &&
        (i == 0 || strchr(" \t,;/(\"'<", sc->s[i - 1])))
        return dn(sc, i);
    int numeric = 1;
    for (size_t k = 0; k < len && numeric; k++)
        numeric = isdigit((unsigned char)s[k]) || s[k] == '.';
    if (numeric) {
        /* not a version: "Definition 1.2.3.4", "...~amd64~~6.1.1.17" */
        if (is_ipv4(s, len) && !after_version_word(sc, i) && !(i > 0 && sc->s[i - 1] == '~'))
            ip_tok(sc, s, len);
        else
            put(sc, s, len);
        return e;
    }
    size_t port = port_at(sc, e);
    if (labels >= 2) {
        const struct entry *known = lookup(sc->r, s, len);
        if (is_public(s, len))
            put(sc, s, len);
        else if (known || port || tld_ok(s, len, labels))
            host_tok(sc, s, len, 0);
        else
            dotted_words(sc, i, e, labels);
        return e;
    }
    if (port && has_digit(s, len) && has_alpha(s, len) && isalnum((unsigned char)s[0]) &&
        !(len > 2 && s[0] == '0' && lower(s[1]) == 'x') &&
        !(len > 2 && lower(s[0]) == 'k' && lower(s[1]) == 'b' && all_digits(s + 2, len - 2))) {
        host_tok(sc, s, len, 0);        /* wsus02:8530 */
        return e;
    }
    word(sc, i, e);
    return e;
}

static int scan(struct redactor *r, const char *s, struct strbuf *out)
{
    struct scan sc = {r, s, s ? strlen(s) : 0, out};
    size_t i = 0, e;

    if (!s)
        return r->oom ? -1 : 0;
    /* a whole string that is a stored host name ("<odd name>" included) */
    const struct entry *whole = lookup(r, s, sc.n);
    if (whole && whole->num && whole->kind == K_HOST && !whole->fqdn) {
        put_tok(&sc, whole);
        return r->oom || (out && out->oom) ? -1 : 0;
    }
    while (i < sc.n) {
        int c = (unsigned char)s[i];
        int prev = i ? (unsigned char)s[i - 1] : 0;
        if (c == '\\' && at(&sc, i + 1) == '\\' && (e = unc(&sc, i)) > 0) {
            i = e;
            continue;
        }
        if ((c == '\\' || c == '/') && (e = profile(&sc, i)) > 0) {
            i = e;
            continue;
        }
        if (c == ':' && at(&sc, i + 1) == '/' && at(&sc, i + 2) == '/') {
            /* "://" whose scheme another form took ("CORP\jhttp://u:p@h"):
             * still a URL, its userinfo still dropped */
            i = url(&sc, i, i);
            continue;
        }
        if (c == ':' && at(&sc, i + 1) == ':' && !is_wc(prev) && prev != ':' &&
            (e = ipv6_at(&sc, i)) > 0) {
            ip_tok(&sc, s + i, e);
            i += e;
            continue;
        }
        if (is_wc(c) && !is_wc(prev)) {
            i = word_start(&sc, i);
            continue;
        }
        put(&sc, s + i, 1);
        i++;
    }
    return r->oom || (out && out->oom) ? -1 : 0;
}

/* ---- public entry points ---------------------------------------------- */

int redact_learn(struct redactor *r, const char *s)
{
    return scan(r, s, NULL);
}

int redact_string(struct redactor *r, const char *s, struct strbuf *out)
{
    return scan(r, s, out);
}

int redact_learn_host(struct redactor *r, const char *name)
{
    struct scan sc = {r, name, name ? strlen(name) : 0, NULL};
    int labels;

    if (!name || !*name)
        return 0;
    if (is_ipv4(name, sc.n) || ipv6_at(&sc, 0) == sc.n) {
        ip_tok(&sc, name, sc.n);
    } else if (is_wc((unsigned char)name[0]) && dotted_end(&sc, 0, &labels) == sc.n) {
        host_tok(&sc, name, sc.n, 1);
    } else {
        get(r, K_HOST, name, sc.n, 0);      /* odd name: matched whole */
        return scan(r, name, NULL);
    }
    return r->oom ? -1 : 0;
}

/* Replace *field with its redacted copy in the model's arena. */
static int redact_field(struct redactor *r, struct model *m, struct strbuf *sb,
                        const char **field)
{
    if (!*field)
        return 0;
    sb_reset(sb);
    if (redact_string(r, *field, sb) != 0)
        return -1;
    const char *v = sb->buf ? sb->buf : "";
    if (strcmp(v, *field) == 0)
        return 0;
    const char *c = model_strdup(m, v);
    if (!c)
        return -1;
    *field = c;
    return 0;
}

/*
 * A file the coverage names: its directory (where the logs were kept: a
 * case folder, a share, a profile) becomes dir-N, its name is redacted as
 * any string.  "C:\Cases\Contoso\CBS.log" reads "dir-1\CBS.log".
 */
static int redact_path(struct redactor *r, struct model *m, struct strbuf *sb,
                       const char **field)
{
    const char *s = *field, *sep = NULL;
    if (!s)
        return 0;
    for (const char *p = s; *p; p++)
        if (*p == '/' || *p == '\\')
            sep = p;
    if (!sep || sep == s)
        return redact_field(r, m, sb, field);
    const struct entry *e = get(r, K_DIR, s, (size_t)(sep - s), 0);
    if (!e)
        return -1;
    sb_reset(sb);
    sb_printf(sb, "%s-%d", kind_prefix[e->kind], e->num);
    sb_addc(sb, *sep);
    if (redact_string(r, sep + 1, sb) != 0)
        return -1;
    const char *c = model_strdup(m, sb->buf);
    if (!c)
        return -1;
    *field = c;
    return 0;
}

int redact_learn_model(struct redactor *r, const struct model *m)
{
    int rc = redact_learn_host(r, m->host) | redact_learn(r, m->os) |
             redact_learn(r, m->osinfo.edition);
    for (size_t i = 0; i < m->nevents && !rc; i++) {
        const struct m_event *e = &m->events[i];
        rc = redact_learn(r, e->title) | redact_learn(r, e->detail) |
             redact_learn(r, e->channel) | redact_learn(r, e->provider) |
             redact_learn(r, e->service);
    }
    for (size_t i = 0; i < m->nobservations && !rc; i++)
        rc = redact_learn(r, m->observations[i].display) |
             redact_learn(r, m->observations[i].name);
    for (size_t i = 0; i < m->ncoverage && !rc; i++)
        rc = redact_learn(r, m->coverage[i].source) | redact_learn(r, m->coverage[i].detail);
    for (size_t i = 0; i < m->nfacts + m->nosfacts && !rc; i++)
        rc = redact_learn(r, m->facts[i].value);
    return rc ? -1 : 0;
}

int redact_model(struct redactor *r, struct model *m)
{
    struct strbuf sb;
    int rc = -1;

    sb_init(&sb);
    if (redact_learn_model(r, m) != 0)
        goto cleanup;
    if (redact_field(r, m, &sb, &m->host) || redact_field(r, m, &sb, &m->os) ||
        redact_field(r, m, &sb, &m->osinfo.edition))
        goto cleanup;
    for (size_t i = 0; i < m->nevents; i++) {
        struct m_event *e = &m->events[i];
        if (redact_field(r, m, &sb, &e->title) || redact_field(r, m, &sb, &e->detail) ||
            redact_field(r, m, &sb, &e->channel) || redact_field(r, m, &sb, &e->provider) ||
            redact_field(r, m, &sb, &e->service))
            goto cleanup;
    }
    for (size_t i = 0; i < m->nobservations; i++)
        if (redact_field(r, m, &sb, &m->observations[i].display) ||
            redact_field(r, m, &sb, &m->observations[i].name))
            goto cleanup;
    for (size_t i = 0; i < m->ncoverage; i++)
        if (redact_path(r, m, &sb, &m->coverage[i].source) ||
            redact_field(r, m, &sb, &m->coverage[i].detail))
            goto cleanup;
    /* facts collect stored: the WUServer policy URL, names, addresses */
    for (size_t i = 0; i < m->nfacts + m->nosfacts; i++)
        if (redact_field(r, m, &sb, &m->facts[i].value))
            goto cleanup;
    rc = 0;
cleanup:
    sb_free(&sb);
    return rc;
}

int redact_learn_export(struct redactor *r, const struct export_event *e)
{
    int rc = redact_learn_host(r, e->host) | redact_learn_host(r, e->computer) |
             redact_learn(r, e->channel) | redact_learn(r, e->provider) |
             redact_learn(r, e->service) | redact_learn(r, e->update_title) |
             redact_learn(r, e->message);
    return rc ? -1 : 0;
}

/* Field f of e redacted into the redactor's buffer k (NULL stays NULL). */
static const char *ev_field(struct redactor *r, int k, const char *f, int *rc)
{
    if (!f)
        return NULL;
    sb_reset(&r->ev[k]);
    sb_adds(&r->ev[k], "");
    if (redact_string(r, f, &r->ev[k]) != 0 || r->ev[k].oom) {
        *rc = -1;
        return NULL;
    }
    return r->ev[k].buf ? r->ev[k].buf : "";
}

int redact_export(struct redactor *r, const struct export_event *e,
                  struct export_event *out)
{
    int rc = 0;
    *out = *e;
    out->host = ev_field(r, 0, e->host, &rc);
    out->computer = ev_field(r, 1, e->computer, &rc);
    out->channel = ev_field(r, 2, e->channel, &rc);
    out->provider = ev_field(r, 3, e->provider, &rc);
    out->service = ev_field(r, 4, e->service, &rc);
    out->update_title = ev_field(r, 5, e->update_title, &rc);
    out->message = ev_field(r, 6, e->message, &rc);
    out->update_guid = ev_field(r, 7, e->update_guid, &rc);
    out->kb = ev_field(r, 8, e->kb, &rc);
    return rc;
}

int redact_learn_history(struct redactor *r, const struct history *h)
{
    int rc = redact_learn_host(r, h->host);
    for (size_t i = 0; i < h->nperiods && !rc; i++) {
        const struct history_period *p = &h->periods[i];
        rc = redact_learn(r, p->last_install);
        for (size_t k = 0; k < p->nchanges && !rc; k++)
            rc = redact_learn(r, p->changes[k].service) | redact_learn(r, p->changes[k].from) |
                 redact_learn(r, p->changes[k].to);
    }
    return rc ? -1 : 0;
}

/* *field redacted into a copy the redactor keeps. */
static int keep_field(struct redactor *r, const char **field)
{
    struct strbuf sb;
    char *c;
    if (!*field)
        return 0;
    sb_init(&sb);
    if (redact_string(r, *field, &sb) != 0 || !(c = sb_detach(&sb))) {
        sb_free(&sb);
        return -1;
    }
    if (wu_grow(&r->kept, r->nkept, &r->capkept, sizeof *r->kept) != 0) {
        free(c);
        return -1;
    }
    r->kept[r->nkept++] = c;
    *field = c;
    return 0;
}

int redact_history(struct redactor *r, struct history *h)
{
    if (redact_learn_history(r, h) != 0 || keep_field(r, &h->host) != 0)
        return -1;
    for (size_t i = 0; i < h->nperiods; i++) {
        struct history_period *p = &h->periods[i];
        if (keep_field(r, &p->last_install) != 0)
            return -1;
        for (size_t k = 0; k < p->nchanges; k++)
            if (keep_field(r, &p->changes[k].service) || keep_field(r, &p->changes[k].from) ||
                keep_field(r, &p->changes[k].to))
                return -1;
    }
    return 0;
}
