/*
 * live_posix.c - live collection on systems that are not Windows: there is
 * nothing to collect (use `wudiag import` of exported logs instead).
 */
#include "collector/live.h"

#include <unistd.h>

const struct live_source *const live_sources[] = {NULL};
const size_t live_sources_len = 0;

const char *live_hostname(char *buf, size_t len)
{
    if (len == 0)
        return buf;
    if (gethostname(buf, len) != 0)
        buf[0] = '\0';
    buf[len - 1] = '\0';
    return buf;
}

const char *live_data_dir(char *buf, size_t len)
{
    (void)buf;
    (void)len;
    return NULL;
}
