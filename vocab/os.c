/*
 * os.c - Windows releases by build with their end of support (see os.h),
 * and the localized words that name a display language.
 *
 * Builds: Microsoft's "Windows 10 release information" and "Windows 11
 * release information" pages (learn.microsoft.com/windows/release-health)
 * and the Windows Server release information page.  End of support:
 * Microsoft Lifecycle pages (learn.microsoft.com/lifecycle/products/...),
 * the date servicing ends for the editions most machines run: Home and Pro
 * (Pro Education and Pro for Workstations with them) for Windows 10/11
 * feature releases, the extended support end for Windows 7, 8.1 and
 * Windows Server.  Two more columns where the dates differ: Enterprise and
 * Education (lifecycle/products/windows-10-enterprise-and-education,
 * windows-11-enterprise-and-education: 30 or 36 months for the autumn
 * releases) and the Long-Term Servicing editions built from that release
 * (windows-10-2015-ltsb, -2016-ltsb, -enterprise-ltsc-2019, -2021,
 * windows-11-enterprise-ltsc-2024).  Each row names its lifecycle page.
 */
#include "vocab/os.h"
#include "vocab/services.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define COUNT(a) (sizeof (a) / sizeof (a)[0])

const struct os_release os_releases[] = {
    /* lifecycle/products/windows-vista, windows-server-2008 */
    {6, 0, 6002, 6002, 2, "Windows Vista SP2 / Server 2008 SP2", "2020-01-14", OSC_WIN7,
     NULL, NULL},
    /* lifecycle/products/windows-7 (RTM support ended 2013-04-09) */
    {6, 1, 7600, 7600, 0, "Windows 7 (no service pack)", "2013-04-09", OSC_WIN7, NULL, NULL},
    {6, 1, 7600, 7600, 1, "Windows Server 2008 R2 (no service pack)", "2013-04-09", OSC_WIN7,
     NULL, NULL},
    /* lifecycle/products/windows-7, windows-server-2008-r2 */
    {6, 1, 7601, 7601, 0, "Windows 7 SP1", "2020-01-14", OSC_WIN7, NULL, NULL},
    {6, 1, 7601, 7601, 1, "Windows Server 2008 R2 SP1", "2020-01-14", OSC_WIN7, NULL, NULL},
    {6, 1, 7601, 7601, 2, "Windows 7 SP1 / Server 2008 R2 SP1", "2020-01-14", OSC_WIN7, NULL, NULL},
    /* lifecycle/products/windows-8 (support ended 2016-01-12),
     * windows-server-2012 */
    {6, 2, 9200, 9200, 0, "Windows 8", "2016-01-12", OSC_WIN8, NULL, NULL},
    {6, 2, 9200, 9200, 1, "Windows Server 2012", "2023-10-10", OSC_SERVER, NULL, NULL},
    {6, 2, 9200, 9200, 2, "Windows 8 / Server 2012", "2016-01-12", OSC_WIN8, NULL, NULL},
    /* lifecycle/products/windows-81, windows-server-2012-r2 */
    {6, 3, 9600, 9600, 0, "Windows 8.1", "2023-01-10", OSC_WIN8, NULL, NULL},
    {6, 3, 9600, 9600, 1, "Windows Server 2012 R2", "2023-10-10", OSC_SERVER, NULL, NULL},
    {6, 3, 9600, 9600, 2, "Windows 8.1 / Server 2012 R2", "2023-01-10", OSC_WIN8, NULL, NULL},
    /* lifecycle/products/windows-10-home-and-pro (per release) */
    {10, 0, 10240, 10240, 0, "Windows 10, version 1507", "2017-05-09", OSC_WIN10,
     NULL, "2025-10-14"},
    {10, 0, 10586, 10586, 0, "Windows 10, version 1511", "2017-10-10", OSC_WIN10, NULL, NULL},
    {10, 0, 14393, 14393, 0, "Windows 10, version 1607", "2018-04-10", OSC_WIN10,
     "2019-04-09", "2026-10-13"},
    /* lifecycle/products/windows-server-2016 */
    {10, 0, 14393, 14393, 1, "Windows Server 2016", "2027-01-12", OSC_SERVER, NULL, NULL},
    {10, 0, 15063, 15063, 0, "Windows 10, version 1703", "2018-10-09", OSC_WIN10,
     "2019-10-08", NULL},
    {10, 0, 16299, 16299, 0, "Windows 10, version 1709", "2019-04-09", OSC_WIN10,
     "2020-10-13", NULL},
    {10, 0, 17134, 17134, 0, "Windows 10, version 1803", "2019-11-12", OSC_WIN10,
     "2021-05-11", NULL},
    {10, 0, 17763, 17763, 0, "Windows 10, version 1809", "2020-11-10", OSC_WIN10,
     "2021-05-11", "2029-01-09"},
    /* lifecycle/products/windows-server-2019 */
    {10, 0, 17763, 17763, 1, "Windows Server 2019", "2029-01-09", OSC_SERVER, NULL, NULL},
    {10, 0, 18362, 18362, 0, "Windows 10, version 1903", "2020-12-08", OSC_WIN10, NULL, NULL},
    {10, 0, 18363, 18362, 0, "Windows 10, version 1909", "2021-05-11", OSC_WIN10,
     "2022-05-10", NULL},
    {10, 0, 19041, 19041, 0, "Windows 10, version 2004", "2021-12-14", OSC_WIN10, NULL, NULL},
    {10, 0, 19042, 19041, 0, "Windows 10, version 20H2", "2022-05-10", OSC_WIN10,
     "2023-05-09", NULL},
    {10, 0, 19043, 19041, 0, "Windows 10, version 21H1", "2022-12-13", OSC_WIN10, NULL, NULL},
    {10, 0, 19044, 19041, 0, "Windows 10, version 21H2", "2023-06-13", OSC_WIN10,
     "2024-06-11", "2027-01-12"},
    /* lifecycle/announcements/windows-10-22h2-end-of-servicing: all editions */
    {10, 0, 19045, 19041, 0, "Windows 10, version 22H2", "2025-10-14", OSC_WIN10, NULL, NULL},
    /* lifecycle/products/windows-server-2022 */
    {10, 0, 20348, 20348, 1, "Windows Server 2022", "2031-10-14", OSC_SERVER, NULL, NULL},
    /* lifecycle/products/windows-11-home-and-pro (per release) */
    {10, 0, 22000, 22000, 0, "Windows 11, version 21H2", "2023-10-10", OSC_WIN11,
     "2024-10-08", NULL},
    {10, 0, 22621, 22621, 0, "Windows 11, version 22H2", "2024-10-08", OSC_WIN11,
     "2025-10-14", NULL},
    {10, 0, 22631, 22621, 0, "Windows 11, version 23H2", "2025-11-11", OSC_WIN11,
     "2026-11-10", NULL},
    {10, 0, 26100, 26100, 0, "Windows 11, version 24H2", "2026-10-13", OSC_WIN11,
     "2027-10-12", "2029-10-09"},
    /* lifecycle/products/windows-server-2025 */
    {10, 0, 26100, 26100, 1, "Windows Server 2025", "2034-10-10", OSC_SERVER, NULL, NULL},
    {10, 0, 26200, 26100, 0, "Windows 11, version 25H2", "2027-10-12", OSC_WIN11,
     "2028-10-10", NULL},
};
const size_t os_releases_len = COUNT(os_releases);

/* Enterprise and Education follow their own lifecycle page ("Education",
 * "Enterprise N", "IoT Enterprise"); Pro Education follows Home and Pro. */
const char *os_release_eos(const struct os_release *r, const char *edition)
{
    if (!edition)
        return r->eos;
    if (r->eos_ltsc && (strstr(edition, "LTSC") || strstr(edition, "LTSB")))
        return r->eos_ltsc;
    if (r->eos_ee && (strncmp(edition, "Enterprise", 10) == 0 ||
                      strncmp(edition, "Education", 9) == 0 ||
                      strncmp(edition, "IoT Enterprise", 14) == 0))
        return r->eos_ee;
    return r->eos;
}

const struct os_release *os_release_find(int major, int minor, int build, int server)
{
    const struct os_release *client = NULL, *either = NULL, *srv = NULL;
    for (size_t i = 0; i < os_releases_len; i++) {
        const struct os_release *r = &os_releases[i];
        if (r->major != major || r->minor != minor || r->build != build)
            continue;
        if (r->server == server)
            return r;
        if (r->server == 2)
            either = r;
        else if (r->server == 0)
            client = r;
        else
            srv = r;
    }
    if (server == -1 && either)
        return either;
    if (server == 1)
        return either;          /* a server build with no server row: none */
    if (server == -1 && !client && !either)
        return srv;             /* a build only servers have (20348) */
    return client ? client : either;
}

/* text holds s, case-insensitively, with commas in s optional */
static int names(const char *text, const char *s)
{
    for (; *text; text++) {
        const char *t = text, *p = s;
        while (*p && *t) {
            if (*p == ',' && *t != ',') {
                p++;
                continue;
            }
            if (tolower((unsigned char)*p) != tolower((unsigned char)*t))
                break;
            p++;
            t++;
        }
        if (!*p)
            return 1;
    }
    return 0;
}

const struct os_release *os_release_in_title(const char *title)
{
    const struct os_release *best = NULL;
    if (!title || names(title, "Feature update") || names(title, "Upgrade to") ||
        !names(title, "Update for "))
        return NULL;
    for (size_t i = 0; i < os_releases_len; i++) {
        const struct os_release *r = &os_releases[i];
        if (r->major != 10 || r->server == 2)
            continue;
        if (names(title, r->name) && (!best || strlen(r->name) > strlen(best->name)))
            best = r;
    }
    return best;
}

int os_parse_version(const char *s, int *major, int *minor, int *build, int *rev)
{
    long v[4] = {-1, -1, -1, -1};
    int n = 0;
    char *end;

    if (!s)
        return 0;
    while (n < 4) {
        if (*s < '0' || *s > '9')
            break;
        v[n] = strtol(s, &end, 10);
        if (v[n] > 99999 || end - s > 6)
            return 0;
        n++;
        s = end;
        if (*s != '.')
            break;
        s++;
    }
    if (n < 2 || v[0] < 5 || v[0] > 10)
        return 0;
    *major = (int)v[0];
    *minor = (int)v[1];
    *build = (int)v[2];
    *rev = (int)v[3];
    return 1;
}

/* The display language a localized word shows: the service names and the
 * start-type and state words of vocab/services.c, each written once there
 * with its language. */
const char *os_language_of_word(const char *word)
{
    return wu_word_language(word);
}

/*
 * Locale identifiers (LCIDs) and their language tags, as [MS-LCID]
 * "Windows Language Code Identifier Reference" lists them: the locales of
 * the languages Windows ships display languages for.  An LCID is
 * MAKELANGID(primary, sub) of winnt.h: sub << 10 | primary (0x804 is
 * SUBLANG_CHINESE_SIMPLIFIED << 10 | LANG_CHINESE).  EventLog 6013 writes
 * the system locale this way ("409").
 */
static const struct { unsigned lcid; const char *tag; } lcids[] = {
    {0x0401, "ar-SA"}, {0x0402, "bg-BG"}, {0x0403, "ca-ES"}, {0x0404, "zh-TW"},
    {0x0405, "cs-CZ"}, {0x0406, "da-DK"}, {0x0407, "de-DE"}, {0x0408, "el-GR"},
    {0x0409, "en-US"}, {0x040A, "es-ES"}, {0x040B, "fi-FI"}, {0x040C, "fr-FR"},
    {0x040D, "he-IL"}, {0x040E, "hu-HU"}, {0x0410, "it-IT"}, {0x0411, "ja-JP"},
    {0x0412, "ko-KR"}, {0x0413, "nl-NL"}, {0x0414, "nb-NO"}, {0x0415, "pl-PL"},
    {0x0416, "pt-BR"}, {0x0418, "ro-RO"}, {0x0419, "ru-RU"}, {0x041A, "hr-HR"},
    {0x041B, "sk-SK"}, {0x041D, "sv-SE"}, {0x041E, "th-TH"}, {0x041F, "tr-TR"},
    {0x0421, "id-ID"}, {0x0422, "uk-UA"}, {0x0424, "sl-SI"}, {0x0425, "et-EE"},
    {0x0426, "lv-LV"}, {0x0427, "lt-LT"}, {0x042A, "vi-VN"}, {0x0439, "hi-IN"},
    {0x043E, "ms-MY"}, {0x0804, "zh-CN"}, {0x0807, "de-CH"}, {0x0809, "en-GB"},
    {0x080A, "es-MX"}, {0x080C, "fr-BE"}, {0x0813, "nl-BE"}, {0x0816, "pt-PT"},
    {0x081A, "sr-Latn-RS"}, {0x0C04, "zh-HK"}, {0x0C07, "de-AT"}, {0x0C09, "en-AU"},
    {0x0C0A, "es-ES"}, {0x0C0C, "fr-CA"}, {0x1004, "zh-SG"}, {0x1009, "en-CA"},
    {0x100C, "fr-CH"}, {0x1409, "en-NZ"}, {0x1809, "en-IE"}, {0x4009, "en-IN"},
};

const char *os_language_of_lcid(unsigned lcid)
{
    for (size_t i = 0; i < COUNT(lcids); i++)
        if (lcids[i].lcid == lcid)
            return lcids[i].tag;
    return NULL;
}
