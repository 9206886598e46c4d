/*
 * os.c - Windows releases by build with their end of support (see os.h),
 * and the localized words that name a display language.
 *
 * Builds: Microsoft's "Windows 10 release information" and "Windows 11
 * release information" pages (learn.microsoft.com/windows/release-health)
 * and the Windows Server release information page.  End of support:
 * Microsoft Lifecycle pages (learn.microsoft.com/lifecycle/products/...),
 * the date servicing ends for the editions most machines run: Home and Pro
 * for Windows 10/11 feature releases (Enterprise/Education get 6-12 months
 * more, the LTSC editions years more), the extended support end for
 * Windows 7, 8.1 and Windows Server.  Each row names its lifecycle page.
 */
#include "vocab/os.h"
#include "vocab/services.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define COUNT(a) (sizeof (a) / sizeof (a)[0])

const struct os_release os_releases[] = {
    /* lifecycle/products/windows-vista, windows-server-2008 */
    {6, 0, 6002, 6002, 2, "Windows Vista SP2 / Server 2008 SP2", "2020-01-14", OSC_WIN7},
    /* lifecycle/products/windows-7 (RTM support ended 2013-04-09) */
    {6, 1, 7600, 7600, 0, "Windows 7 (no service pack)", "2013-04-09", OSC_WIN7},
    {6, 1, 7600, 7600, 1, "Windows Server 2008 R2 (no service pack)", "2013-04-09", OSC_WIN7},
    /* lifecycle/products/windows-7, windows-server-2008-r2 */
    {6, 1, 7601, 7601, 0, "Windows 7 SP1", "2020-01-14", OSC_WIN7},
    {6, 1, 7601, 7601, 1, "Windows Server 2008 R2 SP1", "2020-01-14", OSC_WIN7},
    {6, 1, 7601, 7601, 2, "Windows 7 SP1 / Server 2008 R2 SP1", "2020-01-14", OSC_WIN7},
    /* lifecycle/products/windows-8 (support ended 2016-01-12),
     * windows-server-2012 */
    {6, 2, 9200, 9200, 0, "Windows 8", "2016-01-12", OSC_WIN8},
    {6, 2, 9200, 9200, 1, "Windows Server 2012", "2023-10-10", OSC_SERVER},
    {6, 2, 9200, 9200, 2, "Windows 8 / Server 2012", "2016-01-12", OSC_WIN8},
    /* lifecycle/products/windows-81, windows-server-2012-r2 */
    {6, 3, 9600, 9600, 0, "Windows 8.1", "2023-01-10", OSC_WIN8},
    {6, 3, 9600, 9600, 1, "Windows Server 2012 R2", "2023-10-10", OSC_SERVER},
    {6, 3, 9600, 9600, 2, "Windows 8.1 / Server 2012 R2", "2023-01-10", OSC_WIN8},
    /* lifecycle/products/windows-10-home-and-pro (per release) */
    {10, 0, 10240, 10240, 0, "Windows 10, version 1507", "2017-05-09", OSC_WIN10},
    {10, 0, 10586, 10586, 0, "Windows 10, version 1511", "2017-10-10", OSC_WIN10},
    {10, 0, 14393, 14393, 0, "Windows 10, version 1607", "2018-04-10", OSC_WIN10},
    /* lifecycle/products/windows-server-2016 */
    {10, 0, 14393, 14393, 1, "Windows Server 2016", "2027-01-12", OSC_SERVER},
    {10, 0, 15063, 15063, 0, "Windows 10, version 1703", "2018-10-09", OSC_WIN10},
    {10, 0, 16299, 16299, 0, "Windows 10, version 1709", "2019-04-09", OSC_WIN10},
    {10, 0, 17134, 17134, 0, "Windows 10, version 1803", "2019-11-12", OSC_WIN10},
    {10, 0, 17763, 17763, 0, "Windows 10, version 1809", "2020-11-10", OSC_WIN10},
    /* lifecycle/products/windows-server-2019 */
    {10, 0, 17763, 17763, 1, "Windows Server 2019", "2029-01-09", OSC_SERVER},
    {10, 0, 18362, 18362, 0, "Windows 10, version 1903", "2020-12-08", OSC_WIN10},
    {10, 0, 18363, 18362, 0, "Windows 10, version 1909", "2021-05-11", OSC_WIN10},
    {10, 0, 19041, 19041, 0, "Windows 10, version 2004", "2021-12-14", OSC_WIN10},
    {10, 0, 19042, 19041, 0, "Windows 10, version 20H2", "2022-05-10", OSC_WIN10},
    {10, 0, 19043, 19041, 0, "Windows 10, version 21H1", "2022-12-13", OSC_WIN10},
    {10, 0, 19044, 19041, 0, "Windows 10, version 21H2", "2023-06-13", OSC_WIN10},
    /* lifecycle/announcements/windows-10-22h2-end-of-servicing: all editions */
    {10, 0, 19045, 19041, 0, "Windows 10, version 22H2", "2025-10-14", OSC_WIN10},
    /* lifecycle/products/windows-server-2022 */
    {10, 0, 20348, 20348, 1, "Windows Server 2022", "2031-10-14", OSC_SERVER},
    /* lifecycle/products/windows-11-home-and-pro (per release) */
    {10, 0, 22000, 22000, 0, "Windows 11, version 21H2", "2023-10-10", OSC_WIN11},
    {10, 0, 22621, 22621, 0, "Windows 11, version 22H2", "2024-10-08", OSC_WIN11},
    {10, 0, 22631, 22621, 0, "Windows 11, version 23H2", "2025-11-11", OSC_WIN11},
    {10, 0, 26100, 26100, 0, "Windows 11, version 24H2", "2026-10-13", OSC_WIN11},
    /* lifecycle/products/windows-server-2025 */
    {10, 0, 26100, 26100, 1, "Windows Server 2025", "2034-10-10", OSC_SERVER},
    {10, 0, 26200, 26100, 0, "Windows 11, version 25H2", "2027-10-12", OSC_WIN11},
};
const size_t os_releases_len = COUNT(os_releases);

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
