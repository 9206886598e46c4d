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
#include "src/redact_pass.h"
#include "store/store.h"
#include "util/version.h"
#include "util/strbuf.h"
#include "collector/xmlevents.h"

#include <errno.h>
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

/* The command line, as cli_parse_options fills it. */
struct report_args {
    const char *host;
    const char *format;
    const char *outpath;
    struct cli_range range;
    int check, each, redact;
    long stale_days;
};

static int cmd_report(struct cli *cli, int argc, char **argv);

static const struct cli_option report_options[] = {
    CLI_OPT_HOST(struct report_args, host),
    {.name = "format", .type = CLI_STRING, .offset = offsetof(struct report_args, format)},
    CLI_OPT_SINCE(struct report_args, range),
    CLI_OPT_DAYS(struct report_args, range),
    {.name = "check", .type = CLI_FLAG, .offset = offsetof(struct report_args, check)},
    CLI_OPT_OUTPUT(struct report_args, outpath),
    {.name = "redact", .type = CLI_FLAG, .offset = offsetof(struct report_args, redact)},
    {.name = "each", .type = CLI_FLAG, .offset = offsetof(struct report_args, each)},
    {.name = "stale-days", .type = CLI_NUMBER,
     .offset = offsetof(struct report_args, stale_days), .min = 1, .max = 3650},
    CLI_OPT_END,
};

const struct command cmd_report_entry = {
    "report", cmd_report, NEEDS_DB_RO | DB_SOFTFAIL | NO_OPERANDS,
    "diagnose the stored evidence and print a report",
    "usage: wudiag report [--db FILE] [--host NAME] [--since YYYY-MM-DD | --days N]\n"
    "                     [--format text|html|json|summary] [-o FILE] [--redact]\n"
    "                     [--check]\n"
    "                     [--each] [--stale-days N]\n"
    "\n"
    "Diagnoses the stored evidence of each host (or only NAME) and prints the\n"
    "verdict (healthy, warning, critical), the findings with their evidence and\n"
    "the fix to apply (steps, commands, links), the update services, the error\n"
    "codes, the recent update attempts and what was read (coverage).\n"
    "\n"
    "  --since DATE  only evidence from DATE (UTC) on; --days N: the last N days\n"
    "  --format F    text (default), html (one self-contained file), json, or\n"
    "                summary (at most 12 lines of 80 columns for a ticket: host,\n"
    "                OS, verdict, first problem and its fix, evidence, how to\n"
    "                get the full report; one per host)\n"
    "  --redact      replace what identifies people, machines and the\n"
    "                organisation (host, domain and user names in every form,\n"
    "                IPv4/IPv6 addresses, SIDs, e-mail, LDAP names, profile\n"
    "                paths; URL credentials dropped) with stable tokens\n"
    "                (host-1, user-1, ...); Microsoft's update endpoints stay\n"
    "                readable\n"
    "  --each        with several hosts: a full report per host instead of the\n"
    "                fleet report (hosts by verdict, common codes, stale hosts)\n"
    "  --stale-days N  fleet: hosts without a cumulative or feature update\n"
    "                installed for N days\n"
    "                (default 35)\n"
    "  -o FILE       write to FILE atomically (temporary file, then rename)\n"
    "  --check       print only the verdict; exit 0 healthy, 1 warning,\n"
    "                2 critical, 3 could not decide (no data, unreadable DB)\n"
    "\n"
    "SOURCE_DATE_EPOCH, when set, is used as the report's time.\n"
    "Exit without --check: 0 written; 2 bad command line; 3 no evidence or\n"
    "the output cannot be written; 4 database error.\n",
    report_options,
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
    /* the summary says how to get the full report */
    struct strbuf hint;
    sb_init(&hint);
    if (!ro->check && !fleet && strcmp(rd->name, "summary") == 0) {
        if (ro->redactor)
            sb_adds(&hint, "wudiag report --redact --format html -o report.html "
                    "(same database)");
        else
            sb_printf(&hint, "wudiag --db %s%s%s report --host %s --format html -o %s.html",
                      strchr(cli->db_path, ' ') ? "\"" : "", cli->db_path,
                      strchr(cli->db_path, ' ') ? "\"" : "", host, host);
        r.full_report = hint.buf;
    }
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
    sb_free(&hint);
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
static int report_listed(struct cli *cli, const struct report_opts *rop,
                         const struct renderer *rd, int64_t now, char **hosts,
                         size_t nhosts, char **bad, size_t nbad);

/* --redact, first pass: every name the report will hold, from every host,
 * so that one host's bare "DC01" is known from another's "\\DC01\share".
 * EXIT_OK, or the exit code after saying why (a host whose model cannot
 * be loaded is left to the second pass, which says why). */
static int learn_hosts(struct cli *cli, const struct report_opts *ro, char **hosts,
                       size_t nhosts, int64_t now)
{
    for (size_t i = 0; i < nhosts; i++) {
        struct model_query q = {hosts[i], ro->since_us, 0, now};
        struct model *m = NULL;
        char err[512];
        if (store_load_model(cli->store, &q, &m, err, sizeof err) != STORE_OK)
            continue;
        int rc = redact_learn_model(ro->redactor, m);
        model_free(m);
        if (rc != 0) {
            fprintf(cli->err, "wudiag: out of memory\n");
            return EXIT_INTERNAL;
        }
        /* and what the events say beyond the model (their messages) */
        if ((rc = redact_learn_store(cli, hosts[i], ro->since_us, ro->redactor)) != EXIT_OK)
            return rc;
    }
    return EXIT_OK;
}

static int cmd_report(struct cli *cli, int argc, char **argv)
{
    const struct command *self = &cmd_report_entry;
    struct report_args a = {NULL, "text", NULL, {0, 0}, 0, 0, 0, 35};
    struct report_opts ro;
    const struct renderer *rd;
    int64_t now = cli_now_us();
    int first, rc;

    if ((rc = cli_parse_options(self, argc, argv, &a, &first)) != 0)
        return rc;
    ro = (struct report_opts){a.host, a.format, a.outpath, a.range.since_us, a.check,
                              a.each, (int)a.stale_days, NULL};
    if (a.range.days)
        ro.since_us = now - a.range.days * WU_DAY_US;
    if (!(rd = renderer_find(ro.format)))
        return cli_usage_error(self, "unknown format '%s'", ro.format);

    if (a.redact && !(ro.redactor = redactor_new())) {
        fprintf(cli->err, "wudiag: out of memory\n");
        return ro.check ? CHECK_UNKNOWN : EXIT_INTERNAL;
    }
    rc = report_hosts(cli, &ro, rd, now);
    redactor_free(ro.redactor);
    return rc;
}

/* Everything after option parsing; split out so the redactor is freed once. */
static int report_hosts(struct cli *cli, struct report_opts *rop,
                        const struct renderer *rd, int64_t now)
{
    struct report_opts ro = *rop;
    char **hosts = NULL, **bad = NULL;
    size_t nhosts = 0, nbad = 0;
    int rc;

    if (!cli->store) {
        if (ro.check)
            fprintf(cli->out, "unknown: %s\n", cli->db_error);
        else
            fprintf(cli->err, "wudiag: %s\n", cli->db_error);
        return ro.check ? CHECK_UNKNOWN : EXIT_DB;
    }
    if ((rc = store_list_hosts_checked(cli->store, &hosts, &nhosts, &bad, &nbad))
        != STORE_OK) {
        fprintf(cli->err, "wudiag: %s: cannot list hosts: %s\n", cli->db_path,
                store_errmsg(cli->store));
        return ro.check ? CHECK_UNKNOWN : EXIT_DB;
    }
    /* a poisoned host is named and left out: the others are still reported */
    for (size_t i = 0; i < nbad && !ro.host; i++)
        fprintf(cli->err, "wudiag: %s: unreadable %s; left out\n", cli->db_path, bad[i]);
    rc = report_listed(cli, &ro, rd, now, hosts, nhosts, bad, nbad);
    store_free_list(bad, nbad);
    return rc;
}

/* The report of the hosts listed (frees the list); bad: the hosts left
 * out, for the fleet view. */
static int report_listed(struct cli *cli, const struct report_opts *rop,
                         const struct renderer *rd, int64_t now, char **hosts,
                         size_t nhosts, char **bad, size_t nbad)
{
    struct report_opts ro = *rop;
    struct outfile *of = NULL;
    int worst = -1, failed = 0, rc;
    int write_err = 0;          /* errno of the first failed write */
    FILE *out = cli->out;

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
    if (ro.redactor && (rc = learn_hosts(cli, &ro, hosts, nhosts, now)) != EXIT_OK) {
        store_free_list(hosts, nhosts);
        return ro.check ? CHECK_UNKNOWN : rc;
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
    if (nhosts > 1 && !ro.each && rd->render_fleet) {
        fleet_init(&fleet, now, ro.stale_days, WUDIAG_VERSION);
        fleet.unreadable = bad;
        fleet.nunreadable = nbad;
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
        if (!of)
            cli->out_reported = 1;
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
