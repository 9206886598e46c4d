/*
 * cmd_compare.c - `wudiag compare`: for one host, what changed between two
 * points - two runs (the evidence as it stood after each) or two dates -
 * the usual "collect, fix, reboot, collect, compare".  Each point's model
 * comes from the store (store_load_model_as_of a run, or store_load_model up to a date),
 * is diagnosed as a report would have been then, and diagnosis/compare.c
 * makes the difference; report/compare_render.c prints it.  `--list`
 * shows the runs a point can name; `--check` prints one line and exits
 * with the after verdict, as `report --check` does.
 */
#include "src/cli.h"
#include "diagnosis/compare.h"
#include "diagnosis/diagnose.h"
#include "diagnosis/redact.h"
#include "report/compare_render.h"
#include "store/store.h"
#include "util/outfile.h"
#include "util/version.h"
#include "vocab/model.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

struct compare_args {
    const char *host;
    const char *before, *after;
    const char *format;
    const char *outpath;
    int list, check, redact;
};

static int cmd_compare(struct cli *cli, int argc, char **argv);

static const struct cli_option compare_options[] = {
    CLI_OPT_HOST(struct compare_args, host),
    {.name = "before", .type = CLI_STRING, .offset = offsetof(struct compare_args, before)},
    {.name = "after", .type = CLI_STRING, .offset = offsetof(struct compare_args, after)},
    {.name = "format", .type = CLI_STRING, .offset = offsetof(struct compare_args, format)},
    CLI_OPT_OUTPUT(struct compare_args, outpath),
    {.name = "list", .type = CLI_FLAG, .offset = offsetof(struct compare_args, list)},
    {.name = "check", .type = CLI_FLAG, .offset = offsetof(struct compare_args, check)},
    {.name = "redact", .type = CLI_FLAG, .offset = offsetof(struct compare_args, redact)},
    CLI_OPT_END,
};

const struct command cmd_compare_entry = {
    "compare", cmd_compare, NEEDS_DB_RO | NO_OPERANDS,
    "what changed on a host between two runs or dates",
    "usage: wudiag compare [--db FILE] [--host NAME] [--before RUN|DATE]\n"
    "                      [--after RUN|DATE] [--format text|html|json] [-o FILE]\n"
    "                      [--redact] [--check]\n"
    "       wudiag compare [--db FILE] [--host NAME] --list\n"
    "\n"
    "Diagnoses the evidence of one host as it stood at two points and prints\n"
    "what changed: findings cleared, new and still open, the update services'\n"
    "state and start-type changes, the first successful install and scan after\n"
    "the before point, and the verdict before -> after. The usual sequence:\n"
    "collect (or import), fix, reboot, collect again, compare.\n"
    "\n"
    "  --before, --after  a run id (wudiag compare --list): the evidence stored\n"
    "                by that run and the runs started before it; or a date,\n"
    "                YYYY-MM-DD (up to the end of that day, UTC) or an ISO 8601\n"
    "                UTC time: the evidence up to then. Default: the host's\n"
    "                last run, and the run before the after point\n"
    "  --host NAME   needed when the database holds several hosts\n"
    "  --format F    text (default), html (one self-contained page) or json\n"
    "                (schema wudiag.compare/1, docs/compare-json.md)\n"
    "  --list        list the host's runs (id, kind, start, rows, source)\n"
    "  --redact      replace host, domain, user, server names and IP addresses\n"
    "                with stable tokens; run sources are left out\n"
    "  -o FILE       write to FILE atomically (temporary file, then rename)\n"
    "  --check       print one line; exit 0 healthy, 1 warning, 2 critical,\n"
    "                3 could not decide: the after verdict\n"
    "\n"
    "SOURCE_DATE_EPOCH, when set, is used as the time of the comparison.\n"
    "Exit without --check: 0 written; 2 bad command line (an unknown run, a\n"
    "before point not earlier than the after point); 3 no evidence, fewer\n"
    "than two runs, or the output cannot be written; 4 database error;\n"
    "5 out of memory.\n",
    compare_options,
};

/* A point as the command line names it. */
struct point_arg {
    int64_t run_id;             /* or 0 */
    int64_t time_us;            /* a date's end, when run_id is 0 */
    size_t idx;                 /* index in runs[] when a run */
};

/* Parse RUN (digits) or DATE; 0, or -1 when it is neither. */
static int parse_point(const char *s, struct point_arg *p)
{
    size_t n = strlen(s), digits = strspn(s, "0123456789");
    memset(p, 0, sizeof *p);
    if (n && digits == n && n < 19) {
        p->run_id = strtoll(s, NULL, 10);
        return p->run_id > 0 ? 0 : -1;
    }
    if (cli_parse_since(s, &p->time_us) != 0)
        return -1;
    if (n == 10)                /* a day: up to its end */
        p->time_us += WU_DAY_US - 1;
    return 0;
}

/* Find the run of p in runs; 0, or -1 when the host has no such run. */
static int find_run(const struct store_run *runs, size_t n, struct point_arg *p)
{
    for (size_t i = 0; i < n; i++)
        if (runs[i].id == p->run_id) {
            p->idx = i;
            return 0;
        }
    return -1;
}

static void list_runs(FILE *out, const char *host, const struct store_run *runs, size_t n)
{
    char t[32];
    fprintf(out, "Runs of %s (oldest first):\n", host);
    fprintf(out, "  %6s  %-8s %-19s %7s %6s  %s\n", "run", "kind", "started (UTC)", "events",
            "states", "source");
    for (size_t i = 0; i < n; i++) {
        format_time(runs[i].started_us, t, sizeof t);
        fprintf(out, "  %6lld  %-8s %-19s %7ld %6ld  %s\n", (long long)runs[i].id,
                runs[i].kind, t, runs[i].events, runs[i].service_states, runs[i].source);
    }
}

/* Everything one side needs, loaded and diagnosed. */
struct side {
    struct model *m;
    struct diagnosis d;
    struct cmp_point p;
};

static int load_side(struct cli *cli, const char *host, const struct point_arg *pa,
                     const struct store_run *runs, int64_t now, struct redactor *rd,
                     struct side *s)
{
    struct model_query q = {host, 0, 0, now};
    int64_t as_of = 0;
    char err[512];
    int st;

    memset(&s->d, 0, sizeof s->d);
    if (pa->run_id) {
        const struct store_run *r = &runs[pa->idx];
        as_of = r->id;
        s->p.run_id = r->id;
        s->p.kind = r->kind;
        s->p.source = rd ? "(redacted)" : r->source;
        s->p.time_us = r->finished_us ? r->finished_us : r->started_us;
    } else {
        q.until_us = pa->time_us;
        s->p.time_us = pa->time_us;
    }
    /* the diagnosis as it would have been then */
    if (s->p.time_us && s->p.time_us < now)
        q.now_us = s->p.time_us;
    st = as_of ? store_load_model_as_of(cli->store, &q, as_of, &s->m, err, sizeof err)
               : store_load_model(cli->store, &q, &s->m, err, sizeof err);
    if (st != STORE_OK) {
        fprintf(cli->err, "wudiag: %s: %s\n", cli->db_path, err);
        return st == STORE_E_NOMEM ? EXIT_INTERNAL : EXIT_DB;
    }
    if ((rd && redact_model(rd, s->m) != 0) || diagnose(s->m, &s->d) != 0) {
        fprintf(cli->err, "wudiag: out of memory\n");
        return EXIT_INTERNAL;
    }
    s->p.model = s->m;
    s->p.diag = &s->d;
    return EXIT_OK;
}

/* The host to compare: NAME, or the only one.  *host is malloc'd. */
static int pick_host(struct cli *cli, const char *want, char **host)
{
    char **hosts = NULL;
    size_t n = 0, k;
    int rc = EXIT_OK;

    *host = NULL;
    if (store_list_hosts(cli->store, &hosts, &n) != STORE_OK) {
        fprintf(cli->err, "wudiag: %s: cannot list hosts: %s\n", cli->db_path,
                store_errmsg(cli->store));
        return EXIT_DB;
    }
    for (k = 0; k < n && want && strcasecmp(hosts[k], want) != 0; k++)
        ;
    if (n == 0) {
        fprintf(cli->err, "wudiag: %s: no evidence stored; run 'wudiag import' or "
                "'wudiag collect' first\n", cli->db_path);
        rc = EXIT_INPUT;
    } else if (want && k == n) {
        fprintf(cli->err, "wudiag: %s: no evidence for host '%s'\n", cli->db_path, want);
        rc = EXIT_INPUT;
    } else if (!want && n > 1) {
        rc = cli_usage_error(&cmd_compare_entry, "%zu hosts in %s: name one with --host",
                             n, cli->db_path);
    } else if (!(*host = strdup(hosts[want ? k : 0]))) {
        fprintf(cli->err, "wudiag: out of memory\n");
        rc = EXIT_INTERNAL;
    }
    store_free_list(hosts, n);
    return rc;
}

static int compare_points(struct cli *cli, const struct compare_args *a, const char *host,
                          const struct store_run *runs, size_t nruns,
                          const struct compare_renderer *rdr);

static int cmd_compare(struct cli *cli, int argc, char **argv)
{
    const struct command *self = &cmd_compare_entry;
    struct compare_args a = {NULL, NULL, NULL, "text", NULL, 0, 0, 0};
    const struct compare_renderer *rdr;
    struct store_run *runs = NULL;
    size_t nruns = 0;
    char *host = NULL, err[512];
    int first, rc;

    if ((rc = cli_parse_options(self, argc, argv, &a, &first)) != 0)
        return rc;
    if (!(rdr = compare_renderer_find(a.format)))
        return cli_usage_error(self, "unknown format '%s' (text, html or json)", a.format);
    if ((rc = pick_host(cli, a.host, &host)) != EXIT_OK)
        return a.check ? VERDICT_UNKNOWN : rc;
    if ((rc = store_list_runs(cli->store, host, &runs, &nruns, err, sizeof err)) !=
        STORE_OK) {
        fprintf(cli->err, "wudiag: %s: %s\n", cli->db_path, err);
        free(host);
        return a.check ? VERDICT_UNKNOWN : rc == STORE_E_NOMEM ? EXIT_INTERNAL : EXIT_DB;
    }
    if (a.list) {
        list_runs(cli->out, host, runs, nruns);
        rc = fflush(cli->out) != 0 || ferror(cli->out) ? EXIT_INPUT : EXIT_OK;
    } else {
        rc = compare_points(cli, &a, host, runs, nruns, rdr);
    }
    store_free_runs(runs, nruns);
    free(host);
    return rc;
}

static int compare_points(struct cli *cli, const struct compare_args *a, const char *host,
                          const struct store_run *runs, size_t nruns,
                          const struct compare_renderer *rdr)
{
    const struct command *self = &cmd_compare_entry;
    struct point_arg pb, pa;
    struct side sb, sa;
    struct comparison c;
    struct redactor *red = NULL;
    struct outfile *of = NULL;
    int64_t now = cli_now_us();
    int rc = EXIT_OK, built = 0;
    FILE *out = cli->out;

    memset(&sb, 0, sizeof sb);
    memset(&sa, 0, sizeof sa);
    /* the points: named, or the last run and the one before the after point */
    if (a->before && parse_point(a->before, &pb) != 0)
        return cli_usage_error(self, "--before wants a run id or a date, not '%s'", a->before);
    if (a->after && parse_point(a->after, &pa) != 0)
        return cli_usage_error(self, "--after wants a run id or a date, not '%s'", a->after);
    if (!a->after) {
        if (!nruns) {
            fprintf(cli->err, "wudiag: %s: no runs stored for host '%s'\n", cli->db_path,
                    host);
            return a->check ? VERDICT_UNKNOWN : EXIT_INPUT;
        }
        pa = (struct point_arg){runs[nruns - 1].id, 0, nruns - 1};
    } else if (pa.run_id && find_run(runs, nruns, &pa) != 0) {
        return cli_usage_error(self, "host %s has no run %lld (see --list)", host,
                               (long long)pa.run_id);
    }
    if (!a->before) {
        if (!pa.run_id)
            return cli_usage_error(self, "--after DATE needs --before too");
        if (pa.idx == 0) {
            fprintf(cli->err, "wudiag: %s: host '%s' has no run before run %lld: "
                    "collect or import again after the fix, or give --before DATE\n",
                    cli->db_path, host, (long long)pa.run_id);
            return a->check ? VERDICT_UNKNOWN : EXIT_INPUT;
        }
        pb = (struct point_arg){runs[pa.idx - 1].id, 0, pa.idx - 1};
    } else if (pb.run_id && find_run(runs, nruns, &pb) != 0) {
        return cli_usage_error(self, "host %s has no run %lld (see --list)", host,
                               (long long)pb.run_id);
    }
    if ((pb.run_id && pa.run_id && pb.idx >= pa.idx) ||
        (!pb.run_id && !pa.run_id && pb.time_us >= pa.time_us))
        return cli_usage_error(self, "the before point must be earlier than the after point");

    if (a->redact && !(red = redactor_new())) {
        fprintf(cli->err, "wudiag: out of memory\n");
        return a->check ? VERDICT_UNKNOWN : EXIT_INTERNAL;
    }
    if ((rc = load_side(cli, host, &pb, runs, now, red, &sb)) != EXIT_OK ||
        (rc = load_side(cli, host, &pa, runs, now, red, &sa)) != EXIT_OK)
        goto cleanup;
    if (compare_build(&c, &sb.p, &sa.p) != 0) {
        fprintf(cli->err, "wudiag: out of memory\n");
        rc = EXIT_INTERNAL;
        goto cleanup;
    }
    built = 1;
    if (a->check) {
        fprintf(cli->out, "%s -> %s (%s): %zu cleared, %zu new, %zu still open\n",
                verdict_name(c.verdict_before), verdict_name(c.verdict_after),
                compare_trend(&c), c.ncleared, c.nnew, c.nstill);
        rc = (int)c.verdict_after;
        goto cleanup;
    }
    if (a->outpath) {
        if (!(of = outfile_open(a->outpath))) {
            fprintf(cli->err, "wudiag: %s: cannot write: %s\n", a->outpath, strerror(errno));
            rc = EXIT_INPUT;
            goto cleanup;
        }
        out = outfile_fp(of);
    }
    struct compare_doc doc = {&c, WUDIAG_VERSION, now,
                              !of && isatty(fileno(out)) && !getenv("NO_COLOR")};
    if (rdr->render(&doc, out) != 0) {
        fprintf(cli->err, "wudiag: %s: cannot write: %s\n",
                a->outpath ? a->outpath : "standard output",
                errno ? strerror(errno) : "out of memory");
        outfile_abort(of);
        rc = EXIT_INPUT;
        goto cleanup;
    }
    rc = cli_finish_output(cli, of, a->outpath, out, EXIT_OK);
cleanup:
    if (a->check && rc != (int)VERDICT_HEALTHY && !built) {
        fprintf(cli->out, "unknown: could not decide\n");
        rc = VERDICT_UNKNOWN;
    }
    if (built)
        compare_free(&c);
    diagnosis_free(&sb.d);
    diagnosis_free(&sa.d);
    model_free(sb.m);
    model_free(sa.m);
    redactor_free(red);
    return rc;
}
