/*
 * live_common.c - the parts of live collection that are plain data and
 * logic: which channels and providers to read, the XPath filter for them,
 * and decoding of service and registry values.  Portable, so the tests run
 * them on Linux.
 */
#include "collector/live.h"
#include "vocab/semantics.h"
#include "vocab/services.h"

#include <stdio.h>
#include <string.h>

const struct live_channel live_channels[] = {
    /* the System and Setup logs: only the providers vocab/semantics.c marks */
    {"System", EV_LIVE_SYSTEM},
    {"Setup", EV_LIVE_SETUP},
    {"Microsoft-Windows-WindowsUpdateClient/Operational", 0},
    {"Microsoft-Windows-Bits-Client/Operational", 0},
};
const size_t live_channels_len = sizeof live_channels / sizeof live_channels[0];

int live_build_xpath(char *buf, size_t len, const struct live_channel *ch, int days)
{
    size_t n = 0;
    int w;

#define PUT(...) do {                                               \
        w = snprintf(buf + n, len - n, __VA_ARGS__);                \
        if (w < 0 || (size_t)w >= len - n)                          \
            return -1;                                              \
        n += (size_t)w;                                             \
    } while (0)

    if (len == 0)
        return -1;
    PUT("*[System[");
    if (ch->providers) {
        int first = 1;
        PUT("Provider[");
        for (size_t i = 0; i < ev_providers_len; i++)
            if (ev_providers[i].live & ch->providers) {
                PUT("%s@Name='%s'", first ? "" : " or ", ev_providers[i].name);
                first = 0;
            }
        PUT("]");
        if (days > 0)
            PUT(" and ");
    }
    if (days > 0)
        PUT("TimeCreated[timediff(@SystemTime) <= %lld]", (long long)days * 86400000LL);
    if (!ch->providers && days <= 0) {
        snprintf(buf, len, "*");
        return 0;
    }
    PUT("]]");
#undef PUT
    return 0;
}

const char *live_start_type(uint32_t start, int delayed, int triggers)
{
    switch (start) {
    case 0: return "boot";
    case 1: return "system";
    case 2: return delayed ? "delayed-auto" : "auto";
    case 3: return triggers ? "demand-trigger" : "demand";
    case 4: return "disabled";
    default: return "unknown";
    }
}

const char *live_state(uint32_t state)
{
    const char *s = wu_state_of_number((long)state);
    return s ? s : "unknown";
}

size_t live_multi_sz_count(const unsigned char *data, size_t len)
{
    size_t count = 0, run = 0;
    for (size_t i = 0; i + 1 < len; i += 2) {
        if (data[i] == 0 && data[i + 1] == 0) {
            if (run == 0)
                break;          /* the empty string ends the list */
            count++;
            run = 0;
        } else {
            run++;
        }
    }
    if (run)
        count++;                /* a last string without its terminator */
    return count;
}
