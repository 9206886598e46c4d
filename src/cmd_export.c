/*
 * cmd_export.c - `wudiag export`: every stored event as one NDJSON or CSV
 * line with Elastic Common Schema style fields, for Elasticsearch /
 * OpenSearch, Splunk or Loki.
 *
 * Rows stream from the store's export iterator into the export renderer
 * (report/export_render.c), which gathers the lines and writes them in
 * blocks: memory stays constant whatever the number of events.  The
 * field list is docs/export.md.  --redact reads the events twice: once to
 * learn every name (diagnosis/redact.h), once to write them redacted.
 */
#include "src/cli.h"
#include "diagnosis/redact.h"
#include "report/export_render.h"
#include "src/redact_pass.h"
#include "util/outfile.h"
#include "util/platform.h"
#include "store/store.h"

#include <errno.h>
#include <string.h>
#include <strings.h>


static int cmd_export(struct cli *cli, int argc, char **argv);

struct export_opts {
    int fmt;                    /* enum export_format */
    const char *host;
    struct cli_range range;
    const char *outpath;
    int redact;
};

static const struct cli_choice export_formats[] = {
    {"ndjson", EXPORT_NDJSON}, {"json", EXPORT_NDJSON}, {"csv", EXPORT_CSV}, {NULL, 0},
};

static const struct cli_option export_options[] = {
    CLI_OPT_FORMAT(struct export_opts, fmt, export_formats, "ndjson or csv"),
    CLI_OPT_HOST(struct export_opts, host),
    CLI_OPT_SINCE(struct export_opts, range),
    CLI_OPT_DAYS(struct export_opts, range),
    CLI_OPT_OUTPUT(struct export_opts, outpath),
    {.name = "redact", .type = CLI_FLAG, .offset = offsetof(struct export_opts, redact)},
    CLI_OPT_END,
};

const struct command cmd_export_entry = {
    "export", cmd_export, NEEDS_DB_RO | NO_OPERANDS,
    "stream stored events as NDJSON or CSV (ECS-style fields)",
    "usage: wudiag export [--db FILE] [--format ndjson|csv] [--host NAME]\n"
    "                     [--since YYYY-MM-DD | --days N] [-o FILE] [--redact]\n"
    "\n"
    "Writes one line per stored event, host by host in time order, with\n"
    "Elastic Common Schema style fields (@timestamp, host.name, event.code,\n"
    "event.provider, winlog.channel, winlog.record_id, error.code,\n"
    "service.name, ..., and wudiag.symbol / wudiag.category / wudiag.fix from\n"
    "the knowledge base) for Elasticsearch/OpenSearch, Splunk or Loki. NDJSON\n"
    "(default) is one JSON object per line; CSV is RFC 4180 with a header row\n"
    "and CRLF line ends. Streams in constant memory. Field list:\n"
    "docs/export.md.\n"
    "\n"
    "  --since DATE  only events from DATE (UTC) on; --days N: the last N days\n"
    "  -o FILE       write to FILE atomically instead of standard output\n"
    "  --redact      replace host, domain and user names, addresses, SIDs,\n"
    "                e-mail, LDAP names and profile paths with stable tokens\n"
    "                (host-1, user-1, ...) as report --redact does; reads the\n"
    "                events twice\n"
    "\n"
    "SOURCE_DATE_EPOCH, when set, is used as now for --days.\n"
    "Exit: 0 written (also when no event matched); 2 bad command line; 3 no\n"
    "host NAME, or the output cannot be written; 4 database error.\n",
    export_options,
};

static int host_known(struct cli *cli, const char *host)
{
    char **hosts = NULL;
    size_t n = 0;
    int found = -1;
    if (store_list_hosts(cli->store, &hosts, &n) != STORE_OK)
        return -1;
    found = 0;
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(hosts[i], host) == 0)
            found = 1;
    store_free_list(hosts, n);
    return found;
}

static int export_events(struct cli *cli, const struct export_opts *o,
                         const struct export_query *q, struct redactor *rd);

static int cmd_export(struct cli *cli, int argc, char **argv)
{
    struct export_opts o = {EXPORT_NDJSON, NULL, {0, 0}, NULL, 0};
    struct export_query q = {NULL, 0, 0};
    struct redactor *rd = NULL;
    int first, rc, got;

    if ((rc = cli_parse_options(&cmd_export_entry, argc, argv, &o, &first)) != 0)
        return rc;
    q.host = o.host;
    q.since_us = o.range.since_us;
    if (o.range.days)
        q.since_us = wu_day_start(cli_now_us()) - (o.range.days - 1) * WU_DAY_US;
    if (q.host && (got = host_known(cli, q.host)) != 1) {
        if (got < 0)
            fprintf(cli->err, "wudiag: %s: cannot list hosts: %s\n", cli->db_path,
                    store_errmsg(cli->store));
        else
            fprintf(cli->err, "wudiag: %s: no evidence for host '%s'\n",
                    cli->db_path, q.host);
        return got < 0 ? EXIT_DB : EXIT_INPUT;
    }
    if (!q.host) {
        /* a poisoned host is named and left out, as report and history do */
        char **hosts = NULL, **bad = NULL;
        size_t n = 0, nbad = 0;
        if (store_list_hosts_checked(cli->store, &hosts, &n, &bad, &nbad) == STORE_OK)
            for (size_t i = 0; i < nbad; i++)
                fprintf(cli->err, "wudiag: %s: unreadable %s; left out\n", cli->db_path,
                        bad[i]);
        store_free_list(hosts, n);
        store_free_list(bad, nbad);
    }
    if (o.redact) {
        if (!(rd = redactor_new())) {
            fprintf(cli->err, "wudiag: out of memory\n");
            return EXIT_INTERNAL;
        }
        if ((rc = redact_learn_store(cli, q.host, q.since_us, rd)) != EXIT_OK) {
            redactor_free(rd);
            return rc;
        }
    }
    rc = export_events(cli, &o, &q, rd);
    redactor_free(rd);
    return rc;
}

/* Everything after the options (and the learning pass): stream the events. */
static int export_events(struct cli *cli, const struct export_opts *op,
                         const struct export_query *q, struct redactor *rd)
{
    struct export_opts o = *op;
    struct store_export *x = NULL;
    struct export_event ev, red;
    struct export_render rr;
    struct outfile *of = NULL;
    const char *outpath;
    char err[512];
    int rc = EXIT_OK, got;
    FILE *out = cli->out;

    outpath = o.outpath;
    if (store_export_begin(cli->store, q, &x, err, sizeof err) != STORE_OK) {
        fprintf(cli->err, "wudiag: %s: %s\n", cli->db_path, err);
        return EXIT_DB;
    }
    if (outpath) {
        if (!(of = outfile_open(outpath))) {
            fprintf(cli->err, "wudiag: %s: cannot write: %s\n", outpath,
                    strerror(errno));
            store_export_end(x);
            return EXIT_INPUT;
        }
        out = outfile_fp(of);
    } else {
        platform_binary_stdout();
    }
    export_render_begin(&rr, (enum export_format)o.fmt, out);
    while ((got = store_export_next(x, &ev)) > 0) {
        int r = rd && redact_export(rd, &ev, &red) != 0 ? EXPORT_RENDER_NOMEM
              : export_render_event(&rr, rd ? &red : &ev);
        if (r == EXPORT_RENDER_NOMEM) {
            fprintf(cli->err, "wudiag: out of memory\n");
            rc = EXIT_INTERNAL;
            break;
        }
        if (r != EXPORT_RENDER_OK)
            break;
    }
    if (got < 0) {
        fprintf(cli->err, "wudiag: %s: %s\n", cli->db_path, store_export_error(x));
        rc = EXIT_DB;
    }
    store_export_end(x);
    /* the last block out; a failed write leaves ferror(out), which
     * cli_finish_output reports */
    (void)export_render_end(&rr);
    return cli_finish_output(cli, of, outpath, out, rc);
}
