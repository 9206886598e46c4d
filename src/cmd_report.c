/*
 * cmd_report.c - `wudiag report`: load the model of each host, diagnose it,
 * render it in the chosen format; `--check` prints only the verdict and
 * exits with it, for schedulers and monitoring.
 *
 * "Now" is the current time, or SOURCE_DATE_EPOCH when set, so that tests
 * and reproducible reports get stable output.
 */
#include "src/cli.h"
#include "diagnosis/diagnose.h"
#include "report/fleet.h"
#include "vocab/model.h"
#include "util/outfile.h"
#include "diagnosis/redact.h"
#include "report/report.h"
#include "store/store.h"
#include "util/version.h"
#include "util/timeutil.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* --check exit codes (also enum verdict's values) */
enum { CHECK_HEALTHY = 0, CHECK_WARNING = 1, CHECK_CRITICAL = 2, CHECK_UNKNOWN = 3 };

struct report_opts {
    const char *host;
    const char *format;
    const char *outpath;
    int64_t since_us;
    int check;
    int each;                   /* --each: full report per host, no fleet view */
    int stale_days;             /* fleet: "not updated for N days" */
    struct redactor *redactor;  /* --redact: shared by all hosts, or NULL */
};

/* Diagnose one host and render it (unless check), or fold it into the
 * fleet view; returns its verdict, -1 (said why), or -2 when writing the
 * output failed (errno says why; the caller says it once). */
static int one_host(struct cli *cli, const struct report_opts *ro,
                    const struct renderer *rd, const char *host, FILE *out,
                    int color, int64_t now, struct fleet *fleet)
{
    struct model_query q = {host, ro->since_us, 0, now};
    struct model *m = NULL;
    struct diagnosis d;
    struct report r;
    char err[512];
    int verdict = -1;

    memset(&d, 0, sizeof d);
    memset(&r, 0, sizeof r);
    if (store_load_model(cli->store, &q, &m, err, sizeof err) != STORE_OK) {
        fprintf(cli->err, "wudiag: %s: %s\n", cli->db_path, err);
        return -1;
    }
    if ((ro->redactor && redact_model(ro->redactor, m) != 0) ||
        diagnose(m, &d) != 0 || report_build(&r, m, &d) != 0) {
        fprintf(cli->err, "wudiag: out of memory\n");
        goto cleanup;
    }
    verdict = (int)d.verdict;
    if (fleet) {
        if (fleet_add(fleet, m, &d) != 0) {
            fprintf(cli->err, "wudiag: out of memory\n");
            verdict = -1;
        }
    } else if (!ro->check) {
        r.version = WUDIAG_VERSION;
        r.color = color;
        if (rd->render(&r, out) != 0)
            verdict = -2;
    }
cleanup:;
    int saved = errno;          /* why the write failed, past the frees */
    report_free(&r);
    diagnosis_free(&d);
    model_free(m);
    errno = saved;
    return verdict;
}

static int report_hosts(struct cli *cli, struct report_opts *ro,
                        const struct renderer *rd, int64_t now);

int cmd_report(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"host", required_argument, NULL, 'H'},
        {"format", required_argument, NULL, 'f'},
        {"since", required_argument, NULL, 's'},
        {"days", required_argument, NULL, 'd'},
        {"check", no_argument, NULL, 'c'},
        {"output", required_argument, NULL, 'o'},
        {"redact", no_argument, NULL, 'r'},
        {"each", no_argument, NULL, 'e'},
        {"stale-days", required_argument, NULL, 'S'},
        {NULL, 0, NULL, 0},
    };
    const struct command *self = command_find("report");
    struct report_opts ro = {NULL, "text", NULL, 0, 0, 0, 35, NULL};
    int redact = 0;
    const struct renderer *rd;
    int64_t now = cli_now_us();
    int c;

    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "+o:", opts, NULL)) != -1) {
        switch (c) {
        case 'H': ro.host = optarg; break;
        case 'f': ro.format = optarg; break;
        case 'c': ro.check = 1; break;
        case 'o': ro.outpath = optarg; break;
        case 'r': redact = 1; break;
        case 'e': ro.each = 1; break;
        case 'S': {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end || n <= 0 || n > 3650)
                return cli_usage_error(self, "--stale-days wants 1..3650, not '%s'",
                                       optarg);
            ro.stale_days = (int)n;
            break;
        }
        case 's':
            if (cli_parse_since(optarg, &ro.since_us) != 0)
                return cli_usage_error(self, "--since wants YYYY-MM-DD, not '%s'", optarg);
            break;
        case 'd': {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end || n <= 0 || n > 36500)
                return cli_usage_error(self, "--days wants a number of days, not '%s'",
                                       optarg);
            ro.since_us = now - n * WU_DAY_US;
            break;
        }
        default:
            {
            char ob[8];
            return cli_usage_error(self, "unknown option '%s'",
                                   cli_bad_option(argv, ob, sizeof ob));
        }
        }
    }
    if (optind < argc)
        return cli_usage_error(self, "unexpected argument '%s'", argv[optind]);
    if (!(rd = renderer_find(ro.format)))
        return cli_usage_error(self, "unknown format '%s'", ro.format);

    if (redact && !(ro.redactor = redactor_new())) {
        fprintf(cli->err, "wudiag: out of memory\n");
        return ro.check ? CHECK_UNKNOWN : EXIT_INTERNAL;
    }
    int rc2 = report_hosts(cli, &ro, rd, now);
    redactor_free(ro.redactor);
    return rc2;
}

/* Everything after option parsing; split out so the redactor is freed once. */
static int report_hosts(struct cli *cli, struct report_opts *rop,
                        const struct renderer *rd, int64_t now)
{
    struct report_opts ro = *rop;
    struct outfile *of = NULL;
    char **hosts = NULL;
    size_t nhosts = 0;
    int worst = -1, failed = 0, rc;
    int write_err = 0;          /* errno of the first failed write */
    FILE *out = cli->out;

    if (!cli->store) {
        if (ro.check)
            fprintf(cli->out, "unknown: %s\n", cli->db_error);
        else
            fprintf(cli->err, "wudiag: %s\n", cli->db_error);
        return ro.check ? CHECK_UNKNOWN : EXIT_DB;
    }
    if ((rc = store_list_hosts(cli->store, &hosts, &nhosts)) != STORE_OK) {
        fprintf(cli->err, "wudiag: %s: cannot list hosts: %s\n", cli->db_path,
                store_errmsg(cli->store));
        return ro.check ? CHECK_UNKNOWN : EXIT_DB;
    }
    if (ro.host) {
        /* keep only that host (names compare without case, as stored) */
        size_t k = nhosts;
        for (size_t i = 0; i < nhosts; i++)
            if (strcasecmp(hosts[i], ro.host) == 0)
                k = i;
        if (k == nhosts) {
            if (ro.check)
                fprintf(cli->out, "unknown: no evidence for host %s\n", ro.host);
            else
                fprintf(cli->err, "wudiag: %s: no evidence for host '%s'\n",
                        cli->db_path, ro.host);
            store_free_list(hosts, nhosts);
            return ro.check ? CHECK_UNKNOWN : EXIT_INPUT;
        }
        char *keep = hosts[k];
        hosts[k] = hosts[0];
        hosts[0] = keep;
        for (size_t i = 1; i < nhosts; i++)
            free(hosts[i]);
        nhosts = 1;
    }
    if (nhosts == 0) {
        if (ro.check)
            fprintf(cli->out, "unknown: no evidence in %s\n", cli->db_path);
        else
            fprintf(cli->err, "wudiag: %s: no evidence stored; run 'wudiag import' "
                    "first\n", cli->db_path);
        store_free_list(hosts, nhosts);
        return ro.check ? CHECK_UNKNOWN : EXIT_INPUT;
    }
    if (ro.outpath && !ro.check) {
        if (!(of = outfile_open(ro.outpath))) {
            fprintf(cli->err, "wudiag: %s: cannot write: %s\n", ro.outpath,
                    strerror(errno));
            store_free_list(hosts, nhosts);
            return EXIT_INPUT;
        }
        out = outfile_fp(of);
    }
    int color = !of && !ro.check && isatty(fileno(out)) && !getenv("NO_COLOR");
    /* several hosts and no --host: one fleet report, unless --each */
    struct fleet fleet, *fl = NULL;
    if (nhosts > 1 && !ro.each) {
        fleet_init(&fleet, now, ro.stale_days, WUDIAG_VERSION);
        fl = &fleet;
    }
    if (!fl && !ro.check && rd->begin)
        rd->begin(out, nhosts);
    for (size_t i = 0; i < nhosts; i++) {
        if (i && !fl && !ro.check && rd->between)
            rd->between(out);
        int v = one_host(cli, &ro, rd, hosts[i], out, color, now, fl);
        if (v == -2) {
            write_err = errno ? errno : EIO;
            failed = 1;
            break;
        }
        if (v < 0)
            failed = 1;
        else if (v != VERDICT_UNKNOWN && v > worst)
            worst = v;
        else if (v == VERDICT_UNKNOWN && worst < 0)
            worst = VERDICT_UNKNOWN;
    }
    if (fl) {
        fleet_finish(fl);
        if (!ro.check && !failed && rd->render_fleet(fl, out) != 0) {
            write_err = errno ? errno : EIO;
            failed = 1;
        }
        fleet_free(fl);
    } else if (!ro.check && !write_err && rd->end && rd->end(out, nhosts) != 0) {
        write_err = errno ? errno : EIO;
        failed = 1;
    }
    /* standard output: what is still buffered must get out too */
    if (!of && !ro.check && !write_err && (fflush(out) != 0 || ferror(out))) {
        write_err = errno ? errno : EIO;
        failed = 1;
    }
    store_free_list(hosts, nhosts);
    if (write_err) {
        /* one line, the documented exit code; -o leaves no partial file */
        fprintf(cli->err, "wudiag: %s: cannot write: %s\n",
                ro.outpath ? ro.outpath : "standard output", strerror(write_err));
        outfile_abort(of);
        return EXIT_INPUT;
    }
    if (of) {
        if (failed) {
            outfile_abort(of);
        } else if (outfile_commit(of) != 0) {
            fprintf(cli->err, "wudiag: %s: cannot write: %s\n", ro.outpath,
                    strerror(errno));
            return EXIT_INPUT;
        }
    }
    if (ro.check) {
        if (failed || worst < 0) {
            fprintf(cli->out, "unknown: could not decide\n");
            return CHECK_UNKNOWN;
        }
        fprintf(cli->out, "%s\n", verdict_name((enum verdict)worst));
        return worst;
    }
    return failed ? EXIT_DB : EXIT_OK;
}
