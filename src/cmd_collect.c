/*
 * cmd_collect.c - `wudiag collect`: read the running Windows system into
 * the store, as one run: update services (SCM), event channels (EvtQuery,
 * rendered to XML and parsed by the same parser as exported files), Windows
 * Update Agent history, and the facts that decide fixes.  A source that
 * fails is recorded in coverage; collect goes on with the others.
 *
 * Also the double-click mode: wudiag.exe with no arguments collects into
 * %ProgramData%\wudiag\wudiag.db, writes wudiag-report-HOST-DATE.html beside
 * it, says where, and waits for Enter.
 */
#include "src/cli.h"
#include "util/clock.h"
#include "util/timeutil.h"
#include "src/ingest.h"
#include "collector/live.h"
#include "collector/source.h"
#include "store/store.h"
#include "collector/xmlevents.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_DAYS 60

static int cmd_collect(struct cli *cli, int argc, char **argv);

struct collect_opts {
    long days;
};

static const struct cli_option collect_options[] = {
    {.name = "days", .type = CLI_NUMBER, .offset = offsetof(struct collect_opts, days),
     .min = 1, .max = 3650},
    CLI_OPT_END,
};

const struct command cmd_collect_entry = {
    "collect", cmd_collect, NEEDS_DB | NO_OPERANDS,
    "read the running Windows system (services, event logs, update history)",
    "usage: wudiag collect [--db FILE] [--days N]\n"
    "\n"
    "Windows only. Reads the update services through the Service Control\n"
    "Manager (state, start type incl. delayed and trigger start), the System,\n"
    "Setup, WindowsUpdateClient/Operational and Bits-Client/Operational event\n"
    "logs, the Windows Update Agent history, and the facts that decide fixes\n"
    "(pending restart, WSUS policy, free space on the system drive, OS build).\n"
    "No administrator rights are needed; what cannot be read is listed in the\n"
    "report's coverage. Event logs are read incrementally: the first run reads\n"
    "the last N days (default 60), later runs only what is new; CBS.log and\n"
    "dism.log entries older than N days are skipped.\n"
    "\n"
    "Started with no arguments (double-clicked), wudiag.exe collects into\n"
    "%ProgramData%\\wudiag\\wudiag.db, writes wudiag-report-HOST-DATE.html\n"
    "there and waits for Enter.\n"
    "Exit: 0 collected (failed sources are in coverage); 2 not on Windows or\n"
    "bad command line; 4 database error (nothing of the run stored).\n",
    collect_options,
};

struct collect_ctx {
    struct store *store;
    const char *host;
    struct ingest ingest;
    struct xml_events *xe;
    long services, events_bad;
    int status;                 /* first store failure */
    FILE *err;
};

static int on_service(void *ctx, const char *name, const char *display,
                      const char *state, const char *start_type)
{
    struct collect_ctx *c = ctx;
    c->services++;
    c->status = store_add_service_state(c->store, c->host, wu_now_us(), name,
                                        display, state, start_type, "live");
    return c->status;
}

static int on_event_xml(void *ctx, const char *xml, size_t len)
{
    struct collect_ctx *c = ctx;
    char why[256];
    long before = xml_events_count(c->xe);
    int rc = xml_events_parse_one(c->xe, xml, len, why, sizeof why);

    if (rc > 0)
        return c->ingest.store_status ? c->ingest.store_status : rc;
    if (rc < 0 || xml_events_count(c->xe) == before)
        c->ingest.stats.damaged++;
    else
        c->ingest.stats.read++;
    return 0;
}

static int on_fact(void *ctx, const char *name, const char *value)
{
    struct collect_ctx *c = ctx;
    c->status = store_add_fact(c->store, c->host, name, value);
    return c->status;
}

static int on_coverage(void *ctx, const char *source, const char *status,
                       const char *detail)
{
    struct collect_ctx *c = ctx;
    c->status = store_add_coverage(c->store, source, status, detail);
    return c->status;
}

static char *on_get_bookmark(void *ctx, const char *channel)
{
    struct collect_ctx *c = ctx;
    return store_get_bookmark(c->store, c->host, channel);
}

static int on_set_bookmark(void *ctx, const char *channel, const char *xml)
{
    struct collect_ctx *c = ctx;
    c->status = store_set_bookmark(c->store, c->host, channel, xml);
    return c->status;
}

/* A log file through the file sources, into the same run. */
static int on_import_file(void *ctx, const char *path, const char *label)
{
    struct collect_ctx *c = ctx;
    unsigned char head[SOURCE_HEAD];
    char err[512] = "", detail[600];
    const struct wu_source *src;
    FILE *fp = fopen(path, "rb");
    size_t n;
    long before;
    int status;

    if (!fp) {
        snprintf(detail, sizeof detail, "%s: %s%s", path, strerror(errno),
                 errno == EACCES ? " (run as administrator to read it)" : "");
        return on_coverage(c, label, "failed", detail);
    }
    n = fread(head, 1, sizeof head, fp);
    if (!(src = source_detect(head, n))) {
        fclose(fp);
        snprintf(detail, sizeof detail, "%s: not a log wudiag reads", path);
        return on_coverage(c, label, "failed", detail);
    }
    before = c->ingest.stats.stored;
    status = src->read(path, fp, head, n, &c->ingest.sink, &c->ingest.stats, err,
                       sizeof err);
    fclose(fp);
    if (status == SRC_STOPPED)
        return c->ingest.store_status ? c->ingest.store_status : -1;
    if (status == SRC_OK)
        snprintf(detail, sizeof detail, "%s: %ld entries stored", path,
                 c->ingest.stats.stored - before);
    else
        snprintf(detail, sizeof detail, "%s: %s", path, err);
    return on_coverage(c, label, status == SRC_OK ? "ok" :
                       status == SRC_PARTIAL ? "partial" : "failed", detail);
}

/* One collect run into cli->store; returns an EXIT_* code. */
static int collect_run(struct cli *cli, int days)
{
    struct collect_ctx c;
    struct live_sink sink = {on_service, on_event_xml, on_fact, on_coverage,
                             on_get_bookmark, on_set_bookmark, on_import_file, &c};
    char host[256], err[512];
    int rc = EXIT_OK;

    memset(&c, 0, sizeof c);
    c.store = cli->store;
    c.err = cli->err;
    live_hostname(host, sizeof host);
    c.host = host[0] ? host : "unknown";
    ingest_init(&c.ingest, cli->store);
    c.ingest.since_us = wu_now_us() - (int64_t)days * WU_DAY_US;
    if (!(c.xe = xml_events_new(ingest_event, &c.ingest))) {
        fprintf(cli->err, "wudiag: out of memory\n");
        return EXIT_INTERNAL;
    }
    if (store_run_begin(cli->store, "collect", "live", c.host, err, sizeof err)) {
        fprintf(cli->err, "wudiag: %s: %s\n", cli->db_path, err);
        xml_events_free(c.xe);
        return EXIT_DB;
    }
    for (size_t i = 0; i < live_sources_len; i++) {
        if (live_sources[i]->collect(&sink, days) != 0) {
            fprintf(cli->err, "wudiag: %s: %s; nothing of this collect was stored\n",
                    cli->db_path, store_errmsg(cli->store));
            store_run_abort(cli->store);
            xml_events_free(c.xe);
            return EXIT_DB;
        }
    }
    xml_events_free(c.xe);
    if (store_run_end(cli->store, &c.ingest.stats, NULL, 0, err, sizeof err)) {
        fprintf(cli->err, "wudiag: %s: %s; nothing of this collect was stored\n",
                cli->db_path, err);
        return EXIT_DB;
    }
    fprintf(cli->out, "collected %s: %ld services, %ld events read, %ld stored, "
            "%ld unrelated, %ld duplicates, %ld unreadable\n", c.host, c.services,
            c.ingest.stats.read, c.ingest.stats.stored, c.ingest.stats.unrelated,
            c.ingest.stats.duplicates, c.ingest.stats.damaged);
    return rc;
}

static int unsupported(struct cli *cli)
{
    fprintf(cli->err, "wudiag collect: reads the running Windows system and works "
            "only on Windows; here, import exported logs with 'wudiag import'\n");
    return EXIT_USAGE;
}

static int cmd_collect(struct cli *cli, int argc, char **argv)
{
    struct collect_opts o = {DEFAULT_DAYS};
    int first, rc;

    if ((rc = cli_parse_options(&cmd_collect_entry, argc, argv, &o, &first)) != 0)
        return rc;
    if (live_sources_len == 0)
        return unsupported(cli);
    return collect_run(cli, (int)o.days);
}

int collect_interactive(struct cli *cli)
{
    char dir[1024], db[1200], html[1400], host[256], date[32], stamp[32];
    char err[1024];
    int rc;

    if (live_sources_len == 0 || !live_data_dir(dir, sizeof dir)) {
        usage_main(cli->err);
        return EXIT_USAGE;
    }
    snprintf(db, sizeof db, "%s/wudiag.db", dir);
    cli->db_path = db;
    if (store_open(db, 0, &cli->store, err, sizeof err) != STORE_OK) {
        fprintf(cli->err, "wudiag: %s\n", err);
        rc = EXIT_DB;
        goto wait;
    }
    fprintf(cli->out, "wudiag: collecting Windows Update evidence...\n");
    rc = collect_run(cli, DEFAULT_DAYS);
    if (rc == EXIT_OK) {
        char *args[] = {"report", "--format", "html", "-o", html, NULL};
        live_hostname(host, sizeof host);
        format_time(wu_now_us(), stamp, sizeof stamp);
        snprintf(date, sizeof date, "%.10s", stamp);
        snprintf(html, sizeof html, "%s/wudiag-report-%s-%s.html", dir,
                 host[0] ? host : "unknown", date);
        rc = cmd_report_entry.fn(cli, 5, args);
        if (rc == EXIT_OK)
            fprintf(cli->out, "\nReport written to:\n  %s\n\nAttach this file to "
                    "your support ticket.\n", html);
    }
    store_close(cli->store);
    cli->store = NULL;
wait:
    fprintf(cli->out, "\nPress Enter to close.\n");
    fflush(cli->out);
    (void)getchar();
    return rc;
}
