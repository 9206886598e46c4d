/*
 * cli_util.c - small helpers the commands share: "now" (SOURCE_DATE_EPOCH
 * when set), --since and --days parsing, and finishing an output file.
 * (Times and dates: util/timeutil.h.)  cli_finish_stdout is the one check
 * of standard output at exit, for every command.
 */
#include "src/cli.h"
#include "util/clock.h"
#include "util/outfile.h"
#include "util/timeutil.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

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

int cli_finish_output(struct cli *cli, struct outfile *of, const char *outpath,
                      FILE *out, int rc)
{
    if (rc == EXIT_OK && (ferror(out) || (!of && fflush(out) != 0))) {
        fprintf(cli->err, "wudiag: %s: cannot write: %s\n",
                outpath ? outpath : "standard output", strerror(errno));
        if (!of)
            cli->out_reported = 1;
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

int cli_finish_stdout(struct cli *cli, int rc)
{
    errno = 0;
    if (fflush(stdout) == 0 && !ferror(stdout))
        return rc;
    if (!cli->out_reported)
        fprintf(stderr, "wudiag: standard output: cannot write: %s\n",
                strerror(errno ? errno : EIO));
    cli->out_reported = 1;
    return rc == EXIT_OK || rc == EXIT_PARTIAL ? EXIT_INPUT : rc;
}
