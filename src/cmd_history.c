/*
 * cmd_history.c - `wudiag history`: per day or week, what happened on each
 * host over every run stored: failures by category and code, successful
 * installs, update-service state and start-type changes, and the last
 * successful install so far.  Text table, JSON (docs/history-json.md) or
 * CSV (one row per host and period).
 *
 * The store aggregates (store_load_history); report/history_render.c
 * renders, with categories and symbols from the knowledge base.  With
 * --redact every host's history is loaded first, its names learned, then
 * rendered redacted (diagnosis/redact.h): one token map for the output.
 */
#include "src/cli.h"
#include "diagnosis/redact.h"
#include "report/history_render.h"
#include "src/redact_pass.h"
#include "util/outfile.h"
#include "util/platform.h"
#include "store/store.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>


static int cmd_history(struct cli *cli, int argc, char **argv);

struct hist_opts {
    const char *host;
    const char *outpath;
    struct cli_range range;
    int week;
    int fmt;                    /* enum history_format */
    int redact;
};

static const struct cli_choice history_formats[] = {
    {"text", HISTORY_TEXT}, {"json", HISTORY_JSON}, {"csv", HISTORY_CSV}, {NULL, 0},
};

static const struct cli_option history_options[] = {
    CLI_OPT_HOST(struct hist_opts, host),
    CLI_OPT_SINCE(struct hist_opts, range),
    CLI_OPT_DAYS(struct hist_opts, range),
    {.name = "week", .type = CLI_FLAG, .offset = offsetof(struct hist_opts, week)},
    CLI_OPT_FORMAT(struct hist_opts, fmt, history_formats, "text, json or csv"),
    CLI_OPT_OUTPUT(struct hist_opts, outpath),
    {.name = "redact", .type = CLI_FLAG, .offset = offsetof(struct hist_opts, redact)},
    CLI_OPT_END,
};

const struct command cmd_history_entry = {
    "history", cmd_history, NEEDS_DB_RO | NO_OPERANDS,
    "failures, service changes and installs per day or week",
    "usage: wudiag history [--db FILE] [--host NAME] [--since YYYY-MM-DD | --days N]\n"
    "                      [--week] [--format text|json|csv] [-o FILE] [--redact]\n"
    "\n"
    "For each host (or only NAME), from every run stored: per day (UTC; with\n"
    "--week per ISO week from Monday) the update-related events, the failures\n"
    "by category and by code, the successful installs, the changes of an\n"
    "update service's state or start type, and the last successful install\n"
    "so far. Only days (weeks) with activity are listed. JSON schema:\n"
    "docs/history-json.md; CSV: one row per host and period.\n"
    "\n"
    "  --days N    the last N days, today included\n"
    "  -o FILE     write to FILE atomically (temporary file, then rename)\n"
    "  --redact    replace host, domain and user names, addresses, SIDs,\n"
    "              e-mail and profile paths with stable tokens (host-1,\n"
    "              user-1, ...) as report --redact does\n"
    "\n"
    "SOURCE_DATE_EPOCH, when set, is used as today.\n"
    "Exit: 0 written; 2 bad command line; 3 no evidence (or none for NAME),\n"
    "or the output cannot be written; 4 database error.\n",
    history_options,
};

static int load_one(struct cli *cli, const struct history_view *v, const char *host,
                    struct history **h)
{
    struct history_query q = {host, v->since_us, 0, v->week ? 7 : 1};
    char err[512];
    int st = store_load_history(cli->store, &q, h, err, sizeof err);
    if (st != STORE_OK) {
        fprintf(cli->err, "wudiag: %s: %s\n", cli->db_path, err);
        return st == STORE_E_NOMEM ? EXIT_INTERNAL : EXIT_DB;
    }
    return EXIT_OK;
}

static int history_hosts(struct cli *cli, const struct history_view *v, char **hosts,
                         size_t nhosts, FILE *out)
{
    history_render_begin(out, v);
    for (size_t i = 0; i < nhosts; i++) {
        struct history *h = NULL;
        int rc = load_one(cli, v, hosts[i], &h);
        if (rc != EXIT_OK)
            return rc;
        history_render_host(out, v, h, i);
        store_history_free(h);
    }
    history_render_end(out, v);
    return EXIT_OK;
}

/* --redact: every history loaded and learned before the first is written. */
static int history_hosts_redacted(struct cli *cli, const struct history_view *v,
                                  char **hosts, size_t nhosts, FILE *out)
{
    struct history **hs = calloc(nhosts ? nhosts : 1, sizeof *hs);
    struct redactor *rd = redactor_new();
    int rc = EXIT_OK;

    if (!hs || !rd) {
        rc = EXIT_INTERNAL;
        goto nomem;
    }
    for (size_t i = 0; i < nhosts && rc == EXIT_OK; i++)
        if ((rc = load_one(cli, v, hosts[i], &hs[i])) == EXIT_OK &&
            redact_learn_history(rd, hs[i]) != 0)
            rc = EXIT_INTERNAL;
    /* the names the events hold beyond the history (their messages) */
    for (size_t i = 0; i < nhosts && rc == EXIT_OK; i++)
        if ((rc = redact_learn_store(cli, hosts[i], v->since_us, rd)) != EXIT_OK)
            goto done;
    for (size_t i = 0; i < nhosts && rc == EXIT_OK; i++)
        if (redact_history(rd, hs[i]) != 0)
            rc = EXIT_INTERNAL;
    if (rc == EXIT_OK) {
        history_render_begin(out, v);
        for (size_t i = 0; i < nhosts; i++)
            history_render_host(out, v, hs[i], i);
        history_render_end(out, v);
    }
nomem:
    if (rc == EXIT_INTERNAL)
        fprintf(cli->err, "wudiag: out of memory\n");
done:
    for (size_t i = 0; hs && i < nhosts; i++)
        if (hs[i])
            store_history_free(hs[i]);
    free(hs);
    redactor_free(rd);
    return rc;
}

static int cmd_history(struct cli *cli, int argc, char **argv)
{
    struct hist_opts o = {NULL, NULL, {0, 0}, 0, HISTORY_TEXT, 0};
    struct history_view v;
    const char *outpath;
    struct outfile *of = NULL;
    char **hosts = NULL;
    size_t nhosts = 0;
    int first, rc;
    FILE *out = cli->out;

    if ((rc = cli_parse_options(&cmd_history_entry, argc, argv, &o, &first)) != 0)
        return rc;
    v = (struct history_view){(enum history_format)o.fmt, o.week, o.range.since_us,
                              cli_now_us()};
    if (o.range.days)
        v.since_us = wu_day_start(v.now) - (o.range.days - 1) * WU_DAY_US;
    outpath = o.outpath;

    char **bad = NULL;
    size_t nbad = 0;
    if (store_list_hosts_checked(cli->store, &hosts, &nhosts, &bad, &nbad) != STORE_OK) {
        fprintf(cli->err, "wudiag: %s: cannot list hosts: %s\n", cli->db_path,
                store_errmsg(cli->store));
        return EXIT_DB;
    }
    /* a poisoned host is named and left out: the others' history goes on */
    for (size_t i = 0; i < nbad && !o.host; i++)
        fprintf(cli->err, "wudiag: %s: unreadable %s; left out\n", cli->db_path, bad[i]);
    store_free_list(bad, nbad);
    if (o.host) {
        size_t k = nhosts;
        for (size_t i = 0; i < nhosts; i++)
            if (strcasecmp(hosts[i], o.host) == 0)
                k = i;
        if (k == nhosts) {
            fprintf(cli->err, "wudiag: %s: no evidence for host '%s'\n", cli->db_path,
                    o.host);
            store_free_list(hosts, nhosts);
            return EXIT_INPUT;
        }
        char *keep = hosts[k];
        hosts[k] = hosts[0];
        hosts[0] = keep;
        for (size_t i = 1; i < nhosts; i++)
            free(hosts[i]);
        nhosts = 1;
    }
    if (nhosts == 0) {
        fprintf(cli->err, "wudiag: %s: no evidence stored; run 'wudiag import' first\n",
                cli->db_path);
        store_free_list(hosts, nhosts);
        return EXIT_INPUT;
    }
    if (outpath) {
        if (!(of = outfile_open(outpath))) {
            fprintf(cli->err, "wudiag: %s: cannot write: %s\n", outpath,
                    strerror(errno));
            store_free_list(hosts, nhosts);
            return EXIT_INPUT;
        }
        out = outfile_fp(of);
    } else if (v.fmt == HISTORY_CSV) {
        platform_binary_stdout();       /* CRLF is CSV's own line end */
    }
    rc = o.redact ? history_hosts_redacted(cli, &v, hosts, nhosts, out)
                  : history_hosts(cli, &v, hosts, nhosts, out);
    store_free_list(hosts, nhosts);
    return cli_finish_output(cli, of, outpath, out, rc);
}
