/*
 * cli_util.c - small helpers the fleet commands (history, export, prune)
 * share: "now" (SOURCE_DATE_EPOCH when set, as `report` does), --since and
 * --days parsing, and ISO 8601 UTC times.
 */
#include "src/cli.h"
#include "util/clock.h"
#include "util/outfile.h"
#include "diagnosis/diagnose.h"
#include "collector/xmlevents.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define DAY_US (86400LL * 1000000LL)

int64_t cli_now_us(void)
{
    const char *e = getenv("SOURCE_DATE_EPOCH");
    if (e && *e) {
        char *end;
        long long v = strtoll(e, &end, 10);
        if (!*end && v >= 0 && v < 253402300800LL)
            return (int64_t)v * 1000000;
    }
    return wu_now_us();
}

int cli_parse_since(const char *s, int64_t *out_us)
{
    char buf[64];
    if (strlen(s) == 10) {
        snprintf(buf, sizeof buf, "%sT00:00:00Z", s);
        s = buf;
    }
    return wu_parse_time(s, out_us);
}

int cli_parse_days(const char *s, long max, long *out)
{
    char *end;
    long n;
    if (!*s)
        return -1;
    n = strtol(s, &end, 10);
    if (*end || n < 0 || n > max)
        return -1;
    *out = n;
    return 0;
}

int64_t cli_day_start(int64_t us)
{
    int64_t d = us / DAY_US;
    if (us < 0 && us % DAY_US)
        d--;
    if (d < INT64_MIN / DAY_US)     /* a time no log holds: do not overflow */
        d = INT64_MIN / DAY_US;
    return d * DAY_US;
}

const char *cli_iso_time(int64_t us, int micro, char *buf, size_t len)
{
    char t[40];
    int64_t frac = us % 1000000;
    if (frac < 0)
        frac += 1000000;
    format_time(us, t, sizeof t);      /* "YYYY-MM-DD HH:MM:SS" */
    char *sp = strchr(t, ' ');
    if (sp)
        *sp = 'T';
    if (micro)
        snprintf(buf, len, "%s.%06lldZ", t, (long long)frac);
    else
        snprintf(buf, len, "%sZ", t);
    return buf;
}

const char *cli_date(int64_t us, char *buf, size_t len)
{
    char t[40];
    format_time(us, t, sizeof t);
    char *sp = strchr(t, ' ');
    if (sp)
        *sp = '\0';
    snprintf(buf, len, "%s", t);
    return buf;
}

int cli_finish_output(struct cli *cli, struct outfile *of, const char *outpath,
                      FILE *out, int rc)
{
    if (rc == EXIT_OK && (ferror(out) || (!of && fflush(out) != 0))) {
        fprintf(cli->err, "wudiag: %s: cannot write: %s\n",
                outpath ? outpath : "standard output", strerror(errno));
        rc = EXIT_INPUT;
    }
    if (of) {
        if (rc != EXIT_OK) {
            outfile_abort(of);
        } else if (outfile_commit(of) != 0) {
            fprintf(cli->err, "wudiag: %s: cannot write: %s\n", outpath,
                    strerror(errno));
            rc = EXIT_INPUT;
        }
    }
    return rc;
}
