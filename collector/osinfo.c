/*
 * osinfo.c - OS evidence in events and text-log lines (see osinfo.h).
 *
 * Sources, each as the real logs in shared/data write it:
 *  - Kernel-General 12 (System, at every start): MajorVersion, MinorVersion,
 *    BuildVersion, QfeVersion data items (10/0/20348/587 on Server 2022).
 *  - EventLog 6009 (System, at every boot): param1 "10.00." (or "6.01."),
 *    param2 the build, param3 the service pack ("Service Pack 1" or "").
 *  - EventLog 6013 (System, at every boot and once a day: "The system uptime
 *    is N seconds"): its binary data is a list of NUL-ended UTF-16LE
 *    strings, alike in every System log in shared/data from Windows 7 to
 *    Server 2022: "1.1" "0" "Windows 10 Pro" "10.0.18363 Build 18363  "
 *    "Multiprocessor Free" "18362.19h1_release.190318-1202" "5e5fbcf9"
 *    "Not Available" "Not Available" "9" "8" "8040" "409" "DESKTOP-SFBTEFS".
 *    Taken: the version and build (with "Service Pack 1" after them on
 *    Windows 7), the edition from the product name, which is the registry's
 *    ProductName - "Windows 10 Home" on Windows 11 too, so only the words
 *    after the release and "Server" are used - and the system locale, a
 *    hexadecimal LCID.  The computer name at the end is not kept.
 *  - CBS.log: "Loaded Servicing Stack v6.1.7601.23505 with Core: ..." - the
 *    servicing stack's build, which releases sharing a base have alike.
 *  - dism.log: "Host machine information: OS Version=10.0.18362, ...".
 *  - WindowsUpdate.log, agent format (Windows 7/8.1): "OS Version =
 *    6.1.7601.1.0.65792" (major.minor.build.SP major.SP minor.product type
 *    << 16 | suite mask: product type 1 workstation, 2 domain controller,
 *    3 server - OSVERSIONINFOEX) and "WU client version 7.6.7600.256"
 *    (7.6 is the agent of Windows 7 / Server 2008 R2, 7.8 of 8 / 2012, 7.9
 *    of 8.1 / 2012 R2).
 *  - WindowsUpdateClient events naming an update only the installed release
 *    gets: "Cumulative Update for Windows 10 Version 1607 for x64-based
 *    Systems (KB4015438)" (sesellis-healthy) - the release's build.
 *  - WindowsUpdate.log from Get-WindowsUpdateLog: "OSVersion=10.0.22631.4602",
 *    "OSUILocale=en-US", "InstallationType=Client", "DeviceFamily=
 *    Windows.Server" in the agent's service requests, and "WU client version
 *    10.0.19041.508".
 */
#include "collector/osinfo.h"
#include "collector/textlog.h"
#include "util/memfind.h"
#include "util/strbuf.h"
#include "util/textenc.h"
#include "vocab/os.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *find_n(const char *s, size_t n, const char *needle)
{
    return mem_find_ci(s, n, needle);
}

/* Copy the run of version characters (digits and dots) at p into out. */
static int copy_version(const char *p, const char *end, char *out, size_t outlen)
{
    size_t k = 0;
    while (p < end && (*p == ' ' || *p == 'v' || *p == 'V'))
        p++;
    while (p < end && ((*p >= '0' && *p <= '9') || *p == '.') && k + 1 < outlen)
        out[k++] = *p++;
    while (k > 0 && out[k - 1] == '.')
        k--;
    out[k] = '\0';
    return k > 0 && strchr(out, '.') != NULL;
}

/* Copy a language tag ("en-US", "zh-Hans-CN") at p into out. */
static int copy_tag(const char *p, const char *end, char *out, size_t outlen)
{
    size_t k = 0;
    while (p < end && k + 1 < outlen &&
           ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '-'))
        out[k++] = *p++;
    out[k] = '\0';
    return k >= 2;
}

/* The value after key in s (key includes its '=' or ' = '). */
static const char *after(const char *s, size_t n, const char *key)
{
    const char *p = find_n(s, n, key);
    return p ? p + strlen(key) : NULL;
}

int wu_os_clue_of_line(unsigned fmt, const char *s, size_t n, struct wu_os_clue *c)
{
    const char *end = s + n, *p;
    int any = 0;

    memset(c, 0, sizeof *c);
    if (fmt & TL_CBS) {
        if ((p = after(s, n, "Loaded Servicing Stack v")))
            any |= copy_version(p, end, c->base, sizeof c->base);
    }
    if (fmt & TL_DISM) {
        if ((p = after(s, n, "Host machine information: OS Version=")))
            any |= copy_version(p, end, c->version, sizeof c->version);
    }
    if (fmt & TL_WU7) {
        if ((p = after(s, n, "OS Version = "))) {
            char v[48];
            long part[6] = {0};
            int k;
            if (copy_version(p, end, v, sizeof v) &&
                (k = sscanf(v, "%ld.%ld.%ld.%ld.%ld.%ld", &part[0], &part[1], &part[2],
                            &part[3], &part[4], &part[5])) >= 3) {
                snprintf(c->version, sizeof c->version, "%ld.%ld.%ld",
                         part[0], part[1], part[2]);
                any = 1;
                if (k >= 4 && part[3] > 0)
                    snprintf(c->sp, sizeof c->sp, "Service Pack %ld", part[3] % 100);
                if (k >= 6) {
                    long type = (part[5] >> 16) & 0xff;
                    if (type == 1)
                        snprintf(c->type, sizeof c->type, "client");
                    else if (type == 2)
                        snprintf(c->type, sizeof c->type, "domain-controller");
                    else if (type == 3)
                        snprintf(c->type, sizeof c->type, "server");
                }
            }
        }
    }
    if (fmt & (TL_WU7 | TL_WU10)) {
        if ((p = after(s, n, "WU client version "))) {
            char v[32];
            if (copy_version(p, end, v, sizeof v)) {
                if (strncmp(v, "7.6.", 4) == 0)
                    snprintf(c->base, sizeof c->base, "6.1.7601");
                else if (strncmp(v, "7.8.", 4) == 0)
                    snprintf(c->base, sizeof c->base, "6.2.9200");
                else if (strncmp(v, "7.9.", 4) == 0)
                    snprintf(c->base, sizeof c->base, "6.3.9600");
                else if (strncmp(v, "10.0.", 5) == 0)
                    snprintf(c->base, sizeof c->base, "%s", v);
                /* newer agents (1309.2410...) are versioned apart from the OS */
                any |= c->base[0] != '\0';
            }
        }
    }
    if (fmt & TL_WU10) {
        if ((p = after(s, n, "OSVersion=")))
            any |= copy_version(p, end, c->version, sizeof c->version);
        if ((p = after(s, n, "OSUILocale=")))
            any |= copy_tag(p, end, c->lang, sizeof c->lang);
        if ((p = after(s, n, "InstallationType="))) {
            if (strncasecmp(p, "Server", 6) == 0)
                any = 1, snprintf(c->type, sizeof c->type, "server");
            else if (strncasecmp(p, "Client", 6) == 0)
                any = 1, snprintf(c->type, sizeof c->type, "client");
        }
        if ((p = after(s, n, "DeviceFamily=Windows.Server")))
            any = 1, snprintf(c->type, sizeof c->type, "server");
    }
    return any;
}

/* Words of update titles that name the kind of Windows they are for, as
 * the Microsoft Update Catalog titles them ("Security Update for Windows 7
 * for x64-based Systems (KB2621440)" in system-win7-2012). */
static const struct { const char *words, *type; } title_types[] = {
    {"for Windows 7 for", "client"}, {"for Windows 7 Service Pack 1", "client"},
    {"for Windows 8.1 for", "client"}, {"for Windows 8 for", "client"},
    {"for Windows Server 2008 R2", "server"}, {"for Windows Server 2012", "server"},
    {"for Windows Server 2016", "server"}, {"for Windows Server 2019", "server"},
    {"for Windows Server 2022", "server"}, {"for Microsoft server operating system", "server"},
};

static const char *get(const struct wu_event *ev, const char *name)
{
    const char *v = wu_event_get(ev, name);
    return v && *v ? v : NULL;
}

/* The edition words of a product name: "Windows 10 Pro" -> "Pro",
 * "Windows Server 2008 R2 Enterprise" -> "Enterprise"; *server set when it
 * names a server. */
static void edition_of_product(const char *p, char *out, size_t outlen, int *server)
{
    *server = 0;
    out[0] = '\0';
    if (strncmp(p, "Windows ", 8) != 0)
        return;
    p += 8;
    for (;;) {
        size_t k = strcspn(p, " ");
        if (k == 6 && strncmp(p, "Server", 6) == 0)
            *server = 1;
        else if (!(k > 0 && p[0] >= '0' && p[0] <= '9') &&
                 !(k == 2 && strncmp(p, "R2", 2) == 0) &&
                 !(k == 5 && strncmp(p, "Vista", 5) == 0))
            break;
        p += k;
        p += strspn(p, " ");
    }
    snprintf(out, outlen, "%s", p);
}

/* EventLog 6013's binary data (hex text) as up to nf NUL-ended strings in
 * buf; the number found. */
static int uptime_strings(const char *hex, char *buf, size_t buflen,
                          const char **field, int nf)
{
    unsigned char raw[1024];
    size_t nraw = 0, o;
    struct utf16_decoder d;
    int n = 0;

    while (hex[0] && hex[1] && nraw < sizeof raw) {
        int hi = hex_digit((unsigned char)hex[0]), lo = hex_digit((unsigned char)hex[1]);
        if (hi < 0 || lo < 0)
            return 0;
        raw[nraw++] = (unsigned char)(hi << 4 | lo);
        hex += 2;
    }
    if (buflen < UTF16_DECODE_MAX(sizeof raw) + UTF16_FINISH_MAX + 1)
        return 0;
    utf16_init(&d, 0);
    o = utf16_decode(&d, raw, nraw & ~(size_t)1, buf);
    o += utf16_finish(&d, buf + o);
    buf[o] = '\0';
    for (size_t i = 0; i < o && n < nf; i += strlen(buf + i) + 1)
        field[n++] = buf + i;
    return n;
}

static int clue_of_uptime(const struct wu_event *ev, struct wu_os_clue *c)
{
    char buf[UTF16_DECODE_MAX(1024) + UTF16_FINISH_MAX + 1];
    const char *f[16];
    int maj, min, bld, bld2, server, n, spn;
    const char *sp;
    unsigned long lcid;
    char *end;

    if (!ev->binary || (n = uptime_strings(ev->binary, buf, sizeof buf, f, 16)) < 4 ||
        sscanf(f[3], "%d.%d.%d Build %d", &maj, &min, &bld, &bld2) != 4 ||
        bld != bld2 || bld <= 0)
        return 0;
    snprintf(c->version, sizeof c->version, "%d.%d.%d", maj, min, bld);
    if ((sp = strstr(f[3], "Service Pack ")) != NULL && sscanf(sp, "Service Pack %d", &spn) == 1)
        snprintf(c->sp, sizeof c->sp, "Service Pack %d", spn);
    edition_of_product(f[2], c->edition, sizeof c->edition, &server);
    if (server)
        snprintf(c->type, sizeof c->type, "server");
    else if (c->edition[0])
        snprintf(c->type, sizeof c->type, "client");
    if (n > 12 && f[12][0] && (lcid = strtoul(f[12], &end, 16)) > 0 && *end == '\0' &&
        os_language_of_lcid((unsigned)lcid))
        snprintf(c->locale, sizeof c->locale, "%s", os_language_of_lcid((unsigned)lcid));
    return 1;
}

int wu_os_clue_of_event(const struct wu_event *ev, struct wu_os_clue *c)
{
    const char *a, *b, *d, *q;

    memset(c, 0, sizeof *c);
    if (!ev->provider)
        return 0;
    if (ev->event_id == 12 &&
        strcasecmp(ev->provider, "Microsoft-Windows-Kernel-General") == 0) {
        a = get(ev, "MajorVersion");
        b = get(ev, "MinorVersion");
        d = get(ev, "BuildVersion");
        q = get(ev, "QfeVersion");
        if (!a || !b || !d)
            return 0;
        snprintf(c->version, sizeof c->version, "%d.%d.%d", atoi(a), atoi(b), atoi(d));
        if (q) {
            size_t k = strlen(c->version);
            snprintf(c->version + k, sizeof c->version - k, ".%d", atoi(q));
        }
        return 1;
    }
    if (ev->event_id == 6009 && strcasecmp(ev->provider, "EventLog") == 0) {
        int maj = 0, min = 0;
        a = get(ev, "param1");
        d = get(ev, "param2");
        if (!a || !d || sscanf(a, "%d.%d", &maj, &min) != 2 || atoi(d) <= 0)
            return 0;
        snprintf(c->version, sizeof c->version, "%d.%d.%d", maj, min, atoi(d));
        if ((q = get(ev, "param3")) && strlen(q) < sizeof c->sp)
            snprintf(c->sp, sizeof c->sp, "%s", q);
        return 1;
    }
    if (ev->event_id == 6013 && strcasecmp(ev->provider, "EventLog") == 0)
        return clue_of_uptime(ev, c);
    /* an update only the installed release gets (os_release_in_title), or
     * one whose title says client or server (title_types) */
    if ((a = get(ev, "updateTitle")) || (a = get(ev, "updateList"))) {
        const struct os_release *r = os_release_in_title(a);
        if (r) {
            snprintf(c->version, sizeof c->version, "%d.%d.%d", r->major, r->minor,
                     r->build);
            snprintf(c->type, sizeof c->type, "%s", r->server == 1 ? "server" : "client");
            return 1;
        }
        for (size_t i = 0; i < sizeof title_types / sizeof title_types[0]; i++)
            if (strstr(a, title_types[i].words)) {
                snprintf(c->type, sizeof c->type, "%s", title_types[i].type);
                return 1;
            }
        return 0;
    }
    if (ev->event_id == TL_EV_OS_INFO && ev->channel &&
        (a = get(ev, "line")) != NULL) {
        unsigned fmt = 0;
        if ((b = get(ev, "format")))
            fmt = (unsigned)atoi(b);
        return fmt ? wu_os_clue_of_line(fmt, a, strlen(a), c) : 0;
    }
    return 0;
}
