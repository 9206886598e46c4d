/*
 * cmd_export.c - `wudiag export`: every stored event as one NDJSON or CSV
 * line with Elastic Common Schema style fields, for Elasticsearch /
 * OpenSearch, Splunk or Loki.
 *
 * Rows stream from the store's export iterator and each line is written as
 * soon as it is formatted into one reused buffer: memory stays constant
 * whatever the number of events.  The field list is docs/export.md.
 */
#include "src/cli.h"
#include "util/csv.h"
#include "vocab/kb.h"
#include "util/outfile.h"
#include "util/platform.h"
#include "store/store.h"
#include "util/strbuf.h"
#include "util/timeutil.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum fmt { FMT_NDJSON, FMT_CSV };

/* What the event says, as ECS event.outcome; NULL when it says neither. */
static const char *outcome(const struct export_event *e)
{
    int wu = strcasecmp(e->provider, "Microsoft-Windows-WindowsUpdateClient") == 0 ||
             strcasecmp(e->provider, "Windows Update Agent") == 0 ||
             strcasecmp(e->provider, "WindowsUpdateAgent-History") == 0;
    if (wu && e->event_id == 19)
        return "success";
    if (e->has_code && (wu ? (e->event_id == 16 || e->event_id == 20 ||
                              e->event_id == 25 || e->event_id == 31)
                           : (e->level == 1 || e->level == 2)))
        return "failure";
    return NULL;
}

/* Windows event level as ECS log.level (winlogbeat's words). */
static const char *level_name(int level)
{
    switch (level) {
    case 1: return "critical";
    case 2: return "error";
    case 3: return "warning";
    case 5: return "verbose";
    default: return "information";
    }
}

/* ---- formatting without printf (a million lines add up) -------------------- */

/* Decimal digits of v, at least width of them, at o; returns the end. */
static char *put_uint(char *o, uint64_t v, int width)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v || n < width);
    while (n)
        *o++ = tmp[--n];
    return o;
}

static const char *put_int(char *buf, long long v)
{
    char *o = buf;
    if (v < 0) {
        *o++ = '-';
        o = put_uint(o, 0 - (uint64_t)v, 1);
    } else {
        o = put_uint(o, (uint64_t)v, 1);
    }
    *o = '\0';
    return buf;
}

static const char *put_code(char *buf, uint32_t code)
{
    static const char hex[] = "0123456789ABCDEF";
    buf[0] = '0';
    buf[1] = 'x';
    for (int i = 0; i < 8; i++)
        buf[2 + i] = hex[(code >> (28 - 4 * i)) & 15];
    buf[10] = '\0';
    return buf;
}

/* ---- NDJSON --------------------------------------------------------------- */

static void j_key(struct strbuf *sb, int *first, const char *key)
{
    if (!*first)
        sb_addc(sb, ',');
    sb_addc(sb, '"');
    sb_adds(sb, key);
    sb_adds(sb, "\":");
    *first = 0;
}

static void j_str(struct strbuf *sb, int *first, const char *key, const char *v)
{
    if (!v)
        return;
    j_key(sb, first, key);
    sb_addc(sb, '"');
    sb_json_str(sb, v);
    sb_addc(sb, '"');
}

static void j_int(struct strbuf *sb, int *first, const char *key, long long v)
{
    char num[24];
    j_key(sb, first, key);
    sb_adds(sb, put_int(num, v));
}

static void j_open(struct strbuf *sb, int *first, const char *key)
{
    j_key(sb, first, key);
    sb_addc(sb, '{');
}

static void ndjson_line(struct strbuf *sb, const struct export_event *e,
                        const struct kb_code *k)
{
    char ts[48], code[16], id[24];
    const char *out = outcome(e);
    int first = 1, f;

    put_int(id, e->event_id);
    sb_addc(sb, '{');
    j_str(sb, &first, "@timestamp", wu_iso_time(e->time_us, 1, ts, sizeof ts));
    j_str(sb, &first, "message", e->message);

    j_open(sb, &first, "host");
    f = 1;
    j_str(sb, &f, "name", e->host);
    sb_addc(sb, '}');

    j_open(sb, &first, "event");
    f = 1;
    j_str(sb, &f, "code", id);
    j_str(sb, &f, "provider", e->provider);
    j_str(sb, &f, "kind", "event");
    j_str(sb, &f, "module", "wudiag");
    j_str(sb, &f, "dataset", "wudiag.events");
    j_str(sb, &f, "outcome", out);
    sb_addc(sb, '}');

    j_open(sb, &first, "log");
    f = 1;
    j_str(sb, &f, "level", level_name(e->level));
    sb_addc(sb, '}');

    j_open(sb, &first, "winlog");
    f = 1;
    j_str(sb, &f, "channel", e->channel);
    j_int(sb, &f, "record_id", e->record_id);
    j_str(sb, &f, "provider_name", e->provider);
    j_str(sb, &f, "computer_name", e->computer && *e->computer ? e->computer : NULL);
    sb_addc(sb, '}');

    if (e->has_code) {
        put_code(code, e->code);
        j_open(sb, &first, "error");
        f = 1;
        j_str(sb, &f, "code", code);
        if (k)
            j_str(sb, &f, "message", k->meaning);
        sb_addc(sb, '}');
    }
    if (e->service) {
        j_open(sb, &first, "service");
        f = 1;
        j_str(sb, &f, "name", e->service);
        sb_addc(sb, '}');
    }

    j_open(sb, &first, "wudiag");
    f = 1;
    if (e->has_code) {
        j_str(sb, &f, "symbol", k ? k->symbol : NULL);
        j_str(sb, &f, "category", kb_category_name(k ? k->cat : KB_CAT_UNKNOWN));
        j_str(sb, &f, "fix", k ? k->fix_id : NULL);
    }
    j_str(sb, &f, "kb", e->kb);
    j_str(sb, &f, "update_title", e->update_title);
    j_str(sb, &f, "update_guid", e->update_guid);
    j_int(sb, &f, "run_id", e->run_id);
    sb_adds(sb, "}}\n");
}

/* ---- CSV ---------------------------------------------------------------- */

static const char csv_header[] =
    "@timestamp,host.name,event.code,event.provider,event.outcome,log.level,"
    "winlog.channel,winlog.record_id,winlog.computer_name,error.code,"
    "service.name,wudiag.symbol,wudiag.category,wudiag.fix,wudiag.kb,"
    "wudiag.update_title,wudiag.update_guid,wudiag.run_id,message" CSV_EOL;

static void csv_line(struct strbuf *sb, const struct export_event *e,
                     const struct kb_code *k)
{
    char ts[48], num[24];

    csv_field(sb, wu_iso_time(e->time_us, 1, ts, sizeof ts));
    sb_addc(sb, ',');
    csv_field(sb, e->host);
    sb_addc(sb, ',');
    sb_adds(sb, put_int(num, e->event_id));
    sb_addc(sb, ',');
    csv_field(sb, e->provider);
    sb_addc(sb, ',');
    csv_field(sb, outcome(e));
    sb_addc(sb, ',');
    csv_field(sb, level_name(e->level));
    sb_addc(sb, ',');
    csv_field(sb, e->channel);
    sb_addc(sb, ',');
    sb_adds(sb, put_int(num, e->record_id));
    sb_addc(sb, ',');
    csv_field(sb, e->computer);
    sb_addc(sb, ',');
    if (e->has_code)
        sb_adds(sb, put_code(num, e->code));
    sb_addc(sb, ',');
    csv_field(sb, e->service);
    sb_addc(sb, ',');
    if (e->has_code) {
        csv_field(sb, k ? k->symbol : NULL);
        sb_addc(sb, ',');
        csv_field(sb, kb_category_name(k ? k->cat : KB_CAT_UNKNOWN));
        sb_addc(sb, ',');
        csv_field(sb, k ? k->fix_id : NULL);
    } else {
        sb_adds(sb, ",,");
    }
    sb_addc(sb, ',');
    csv_field(sb, e->kb);
    sb_addc(sb, ',');
    csv_field(sb, e->update_title);
    sb_addc(sb, ',');
    csv_field(sb, e->update_guid);
    sb_addc(sb, ',');
    sb_adds(sb, put_int(num, e->run_id));
    sb_addc(sb, ',');
    csv_field(sb, e->message);
    sb_adds(sb, CSV_EOL);
}

/* ---- command -------------------------------------------------------------- */

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

int cmd_export(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'},
        {"host", required_argument, NULL, 'H'},
        {"since", required_argument, NULL, 's'},
        {"days", required_argument, NULL, 'd'},
        {"output", required_argument, NULL, 'o'},
        {NULL, 0, NULL, 0},
    };
    const struct command *self = command_find("export");
    struct export_query q = {NULL, 0, 0};
    struct store_export *x = NULL;
    struct export_event ev;
    struct outfile *of = NULL;
    struct strbuf sb;
    const char *outpath = NULL;
    enum fmt fmt = FMT_NDJSON;
    char err[512], ob[8];
    long days;
    int c, rc = EXIT_OK, got;
    FILE *out = cli->out;

    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "+:o:", opts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (strcmp(optarg, "ndjson") == 0 || strcmp(optarg, "json") == 0)
                fmt = FMT_NDJSON;
            else if (strcmp(optarg, "csv") == 0)
                fmt = FMT_CSV;
            else
                return cli_usage_error(self, "unknown format '%s' (ndjson or csv)",
                                       optarg);
            break;
        case 'H': q.host = optarg; break;
        case 'o': outpath = optarg; break;
        case 's':
            if (cli_parse_since(optarg, &q.since_us) != 0)
                return cli_usage_error(self, "--since wants YYYY-MM-DD, not '%s'",
                                       optarg);
            break;
        case 'd':
            if (cli_parse_days(optarg, 36500, &days) != 0 || days == 0)
                return cli_usage_error(self, "--days wants a number of days, not '%s'",
                                       optarg);
            q.since_us = wu_day_start(cli_now_us()) - (days - 1) * WU_DAY_US;
            break;
        case ':':
            return cli_usage_error(self, "option '%s' needs a value", argv[optind - 1]);
        default:
            return cli_usage_error(self, "unknown option '%s'",
                                   cli_bad_option(argv, ob, sizeof ob));
        }
    }
    if (optind < argc)
        return cli_usage_error(self, "unexpected argument '%s'", argv[optind]);
    if (q.host && (got = host_known(cli, q.host)) != 1) {
        if (got < 0)
            fprintf(cli->err, "wudiag: %s: cannot list hosts: %s\n", cli->db_path,
                    store_errmsg(cli->store));
        else
            fprintf(cli->err, "wudiag: %s: no evidence for host '%s'\n",
                    cli->db_path, q.host);
        return got < 0 ? EXIT_DB : EXIT_INPUT;
    }
    if (store_export_begin(cli->store, &q, &x, err, sizeof err) != STORE_OK) {
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
    sb_init(&sb);
    if (fmt == FMT_CSV)
        fputs(csv_header, out);
    while ((got = store_export_next(x, &ev)) > 0) {
        const struct kb_code *k = ev.has_code ? kb_code_find(ev.code) : NULL;
        sb_reset(&sb);
        if (fmt == FMT_CSV)
            csv_line(&sb, &ev, k);
        else
            ndjson_line(&sb, &ev, k);
        if (sb.oom) {
            fprintf(cli->err, "wudiag: out of memory\n");
            rc = EXIT_INTERNAL;
            break;
        }
        if (fwrite(sb.buf, 1, sb.len, out) != sb.len)
            break;
    }
    if (got < 0) {
        fprintf(cli->err, "wudiag: %s: %s\n", cli->db_path, store_export_error(x));
        rc = EXIT_DB;
    }
    store_export_end(x);
    sb_free(&sb);
    return cli_finish_output(cli, of, outpath, out, rc);
}
