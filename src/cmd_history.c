/*
 * cmd_history.c - `wudiag history`: per day or week, what happened on each
 * host over every run stored: failures by category and code, successful
 * installs, update-service state and start-type changes, and the last
 * successful install so far.  Text table, JSON (docs/history-json.md) or
 * CSV (one row per host and period).
 *
 * The store aggregates (store_load_history); categories, symbols and the
 * rendering are done here from the knowledge base.
 */
#include "src/cli.h"
#include "util/csv.h"
#include "vocab/kb.h"
#include "util/outfile.h"
#include "util/platform.h"
#include "store/store.h"
#include "util/strbuf.h"
#include "util/version.h"
#include "util/timeutil.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TOP_CODES 3

enum fmt { FMT_TEXT, FMT_JSON, FMT_CSV };

struct hist_opts {
    const char *host;
    int64_t since_us;
    int week;
    enum fmt fmt;
    int64_t now;
};

static enum kb_category category_of(uint32_t code)
{
    const struct kb_code *k = kb_code_find(code);
    return k ? k->cat : KB_CAT_UNKNOWN;
}

static void by_category(const struct history_period *p, long counts[KB_CAT_COUNT])
{
    memset(counts, 0, sizeof(long) * KB_CAT_COUNT);
    for (size_t i = 0; i < p->ncodes; i++)
        counts[category_of(p->codes[i].code)] += p->codes[i].count;
}

/* ---- text ----------------------------------------------------------------- */

static int same_kind(const struct history_change *a, const struct history_change *b)
{
    return strcmp(a->what, b->what) == 0 && strcasecmp(a->service, b->service) == 0;
}

static void text_host(FILE *out, const struct history *h, const struct hist_opts *o)
{
    char d1[16], d2[16], when[16];
    struct strbuf sb;

    sb_init(&sb);
    fprintf(out, "%s: history per %s (UTC)", h->host, o->week ? "week" : "day");
    if (h->nperiods)
        fprintf(out, ", %s .. %s, %zu %s with activity",
                wu_date(h->periods[0].start_us, d1, sizeof d1),
                wu_date(h->periods[h->nperiods - 1].start_us, d2, sizeof d2),
                h->nperiods, o->week ? "weeks" : "days");
    fprintf(out, "\n");
    if (!h->nperiods) {
        fprintf(out, "  no activity%s\n", o->since_us ? " in the range" : "");
        return;
    }
    fprintf(out, "%-10s  %6s  %8s  %8s  %7s  %-36s  %s\n", o->week ? "week of" : "date",
            "events", "installs", "failures", "svc chg", "last successful install",
            "failures by category; top codes");
    for (size_t i = 0; i < h->nperiods; i++) {
        const struct history_period *p = &h->periods[i];
        long cat[KB_CAT_COUNT];
        char last[64];

        sb_reset(&sb);
        by_category(p, cat);
        for (int c = 0; c < KB_CAT_COUNT; c++)
            if (cat[c])
                sb_printf(&sb, "%s%s %ld", sb.len ? ", " : "",
                          kb_category_name((enum kb_category)c), cat[c]);
        for (size_t k = 0; k < p->ncodes && k < TOP_CODES; k++) {
            const struct kb_code *kc = kb_code_find(p->codes[k].code);
            sb_printf(&sb, "%s0x%08X%s%s%s x%ld", k ? ", " : "; ",
                      (unsigned)p->codes[k].code, kc ? " (" : "",
                      kc ? kc->symbol : "", kc ? ")" : "", p->codes[k].count);
        }
        if (p->ncodes > TOP_CODES)
            sb_printf(&sb, ", +%zu more", p->ncodes - TOP_CODES);
        if (p->last_install_us) {
            const char *w = p->last_install ? p->last_install : "";
            snprintf(last, sizeof last, "%s %.*s%s",
                     wu_date(p->last_install_us, when, sizeof when),
                     strlen(w) > 25 ? 22 : 25, w, strlen(w) > 25 ? "..." : "");
        } else
            snprintf(last, sizeof last, "none yet");
        fprintf(out, "%-10s  %6ld  %8ld  %8ld  %7zu  %-36s  %s\n",
                wu_date(p->start_us, d1, sizeof d1), p->events, p->installs,
                p->failures, p->nchanges, last, sb.len ? sb.buf : "-");
        /* changes per service and kind: the first and last value, how many */
        for (size_t k = 0; k < p->nchanges; k++) {
            const struct history_change *c = &p->changes[k], *lc = c;
            char t[32];
            size_t n = 0, j;
            for (j = 0; j < k; j++)
                if (same_kind(&p->changes[j], c))
                    break;
            if (j < k)
                continue;       /* listed with the first of its kind */
            for (j = k; j < p->nchanges; j++)
                if (same_kind(&p->changes[j], c)) {
                    n++;
                    lc = &p->changes[j];
                }
            wu_iso_time(lc->time_us, 0, t, sizeof t);
            t[10] = ' ';
            const char *at = o->week ? t : t + 11;  /* weeks: with the date */
            t[19] = '\0';
            if (n == 1)
                fprintf(out, "%12s%s %s: %s -> %s at %s\n", "", c->service,
                        strcmp(c->what, "state") ? "start type" : "state",
                        c->from, c->to, at);
            else
                fprintf(out, "%12s%s %s: %s -> ... -> %s (%zu changes, last at "
                        "%s)\n", "", c->service,
                        strcmp(c->what, "state") ? "start type" : "state",
                        c->from, lc->to, n, at);
        }
    }
    sb_free(&sb);
}

/* ---- JSON ----------------------------------------------------------------- */

static void json_str(FILE *out, const char *s)
{
    struct strbuf sb;
    if (!s) {
        fputs("null", out);
        return;
    }
    sb_init(&sb);
    sb_json_str(&sb, s);
    fputc('"', out);
    if (sb.len)
        fwrite(sb.buf, 1, sb.len, out);
    fputc('"', out);
    sb_free(&sb);
}

static void json_host(FILE *out, const struct history *h, const struct hist_opts *o)
{
    char t[40];
    int64_t len = (o->week ? 7 : 1) * WU_DAY_US;

    fputs("{\"host\":", out);
    json_str(out, h->host);
    fputs(",\"periods\":[", out);
    for (size_t i = 0; i < h->nperiods; i++) {
        const struct history_period *p = &h->periods[i];
        long cat[KB_CAT_COUNT];
        int first = 1;

        by_category(p, cat);
        fprintf(out, "%s\n{\"start\":\"%s\"", i ? "," : "",
                wu_date(p->start_us, t, sizeof t));
        fprintf(out, ",\"end\":\"%s\"", wu_date(p->start_us + len, t, sizeof t));
        fprintf(out, ",\"events\":%ld,\"installs\":%ld,\"failures\":%ld",
                p->events, p->installs, p->failures);
        fputs(",\"failures_by_category\":{", out);
        for (int c = 0; c < KB_CAT_COUNT; c++)
            if (cat[c]) {
                fprintf(out, "%s\"%s\":%ld", first ? "" : ",",
                        kb_category_name((enum kb_category)c), cat[c]);
                first = 0;
            }
        fputs("},\"failures_by_code\":[", out);
        for (size_t k = 0; k < p->ncodes; k++) {
            const struct kb_code *kc = kb_code_find(p->codes[k].code);
            fprintf(out, "%s{\"code\":\"0x%08X\",\"symbol\":", k ? "," : "",
                    (unsigned)p->codes[k].code);
            json_str(out, kc ? kc->symbol : NULL);
            fprintf(out, ",\"category\":\"%s\",\"count\":%ld}",
                    kb_category_name(kc ? kc->cat : KB_CAT_UNKNOWN), p->codes[k].count);
        }
        fputs("],\"service_changes\":[", out);
        for (size_t k = 0; k < p->nchanges; k++) {
            const struct history_change *c = &p->changes[k];
            fprintf(out, "%s{\"time\":\"%s\",\"service\":", k ? "," : "",
                    wu_iso_time(c->time_us, 0, t, sizeof t));
            json_str(out, c->service);
            fprintf(out, ",\"what\":\"%s\",\"from\":", c->what);
            json_str(out, c->from);
            fputs(",\"to\":", out);
            json_str(out, c->to);
            fputc('}', out);
        }
        fputs("],\"last_successful_install\":", out);
        if (p->last_install_us) {
            fprintf(out, "{\"time\":\"%s\",\"update\":",
                    wu_iso_time(p->last_install_us, 0, t, sizeof t));
            json_str(out, p->last_install);
            fputc('}', out);
        } else {
            fputs("null", out);
        }
        fputc('}', out);
    }
    fputs("]}", out);
}

/* ---- CSV ------------------------------------------------------------------ */

static void csv_header(FILE *out)
{
    fputs("host,period,start,events,installs,failures", out);
    for (int c = 0; c < KB_CAT_COUNT; c++)
        fprintf(out, ",failures.%s", kb_category_name((enum kb_category)c));
    fputs(",codes,service_changes,changes,last_install_time,last_install" CSV_EOL, out);
}

static void csv_host(FILE *out, const struct history *h, const struct hist_opts *o)
{
    struct strbuf sb, tmp;
    char t[40];

    sb_init(&sb);
    sb_init(&tmp);
    for (size_t i = 0; i < h->nperiods; i++) {
        const struct history_period *p = &h->periods[i];
        long cat[KB_CAT_COUNT];

        by_category(p, cat);
        sb_reset(&sb);
        csv_field(&sb, h->host);
        sb_printf(&sb, ",%s,%s,%ld,%ld,%ld", o->week ? "week" : "day",
                  wu_date(p->start_us, t, sizeof t), p->events, p->installs,
                  p->failures);
        for (int c = 0; c < KB_CAT_COUNT; c++)
            sb_printf(&sb, ",%ld", cat[c]);
        sb_addc(&sb, ',');
        for (size_t k = 0; k < p->ncodes; k++)
            sb_printf(&sb, "%s0x%08X=%ld", k ? ";" : "", (unsigned)p->codes[k].code,
                      p->codes[k].count);
        sb_printf(&sb, ",%zu,", p->nchanges);
        sb_reset(&tmp);
        for (size_t k = 0; k < p->nchanges; k++) {
            const struct history_change *c = &p->changes[k];
            sb_printf(&tmp, "%s%s %s %s %s>%s", k ? "; " : "",
                      wu_iso_time(c->time_us, 0, t, sizeof t), c->service, c->what,
                      c->from, c->to);
        }
        csv_field(&sb, tmp.len ? tmp.buf : NULL);
        sb_addc(&sb, ',');
        if (p->last_install_us)
            csv_field(&sb, wu_iso_time(p->last_install_us, 0, t, sizeof t));
        sb_addc(&sb, ',');
        csv_field(&sb, p->last_install);
        sb_adds(&sb, CSV_EOL);
        if (!sb.oom && !tmp.oom)
            fwrite(sb.buf, 1, sb.len, out);
    }
    sb_free(&sb);
    sb_free(&tmp);
}

/* ---- command -------------------------------------------------------------- */

static int history_hosts(struct cli *cli, const struct hist_opts *o, char **hosts,
                         size_t nhosts, FILE *out)
{
    char t[40];

    if (o->fmt == FMT_JSON) {
        fprintf(out, "{\"schema\":\"wudiag.history/1\",\"wudiag_version\":\"%s\","
                "\"generated_at\":\"%s\",\"period\":\"%s\",\"since\":",
                WUDIAG_VERSION, wu_iso_time(o->now, 0, t, sizeof t),
                o->week ? "week" : "day");
        if (o->since_us)
            fprintf(out, "\"%s\"", wu_iso_time(o->since_us, 0, t, sizeof t));
        else
            fputs("null", out);
        fputs(",\"hosts\":[", out);
    } else if (o->fmt == FMT_CSV) {
        csv_header(out);
    }
    for (size_t i = 0; i < nhosts; i++) {
        struct history_query q = {hosts[i], o->since_us, 0, o->week ? 7 : 1};
        struct history *h = NULL;
        char err[512];
        int st = store_load_history(cli->store, &q, &h, err, sizeof err);
        if (st != STORE_OK) {
            fprintf(cli->err, "wudiag: %s: %s\n", cli->db_path, err);
            return st == STORE_E_NOMEM ? EXIT_INTERNAL : EXIT_DB;
        }
        if (o->fmt == FMT_TEXT) {
            if (i)
                fputc('\n', out);
            text_host(out, h, o);
        } else if (o->fmt == FMT_JSON) {
            if (i)
                fputs(",\n", out);
            json_host(out, h, o);
        } else {
            csv_host(out, h, o);
        }
        store_history_free(h);
    }
    if (o->fmt == FMT_JSON)
        fputs("]}\n", out);
    return EXIT_OK;
}

int cmd_history(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"host", required_argument, NULL, 'H'},
        {"since", required_argument, NULL, 's'},
        {"days", required_argument, NULL, 'd'},
        {"week", no_argument, NULL, 'w'},
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {NULL, 0, NULL, 0},
    };
    const struct command *self = command_find("history");
    struct hist_opts o = {NULL, 0, 0, FMT_TEXT, cli_now_us()};
    const char *outpath = NULL;
    struct outfile *of = NULL;
    char **hosts = NULL, ob[8];
    size_t nhosts = 0;
    long days;
    int c, rc;
    FILE *out = cli->out;

    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "+:o:", opts, NULL)) != -1) {
        switch (c) {
        case 'H': o.host = optarg; break;
        case 'w': o.week = 1; break;
        case 'o': outpath = optarg; break;
        case 'f':
            if (strcmp(optarg, "text") == 0)
                o.fmt = FMT_TEXT;
            else if (strcmp(optarg, "json") == 0)
                o.fmt = FMT_JSON;
            else if (strcmp(optarg, "csv") == 0)
                o.fmt = FMT_CSV;
            else
                return cli_usage_error(self, "unknown format '%s' (text, json or csv)",
                                       optarg);
            break;
        case 's':
            if (cli_parse_since(optarg, &o.since_us) != 0)
                return cli_usage_error(self, "--since wants YYYY-MM-DD, not '%s'",
                                       optarg);
            break;
        case 'd':
            if (cli_parse_days(optarg, 36500, &days) != 0 || days == 0)
                return cli_usage_error(self, "--days wants a number of days, not '%s'",
                                       optarg);
            o.since_us = wu_day_start(o.now) - (days - 1) * WU_DAY_US;
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

    if (store_list_hosts(cli->store, &hosts, &nhosts) != STORE_OK) {
        fprintf(cli->err, "wudiag: %s: cannot list hosts: %s\n", cli->db_path,
                store_errmsg(cli->store));
        return EXIT_DB;
    }
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
    } else if (o.fmt == FMT_CSV) {
        platform_binary_stdout();       /* CRLF is CSV's own line end */
    }
    rc = history_hosts(cli, &o, hosts, nhosts, out);
    store_free_list(hosts, nhosts);
    return cli_finish_output(cli, of, outpath, out, rc);
}
