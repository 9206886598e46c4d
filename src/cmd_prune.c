/*
 * cmd_prune.c - `wudiag prune --keep-days N [--vacuum] [--dry-run]`: keep an
 * audit database from growing without bound.  What goes and what always
 * stays is store_prune's business (store.h); this prints what was deleted.
 */
#include "src/cli.h"
#include "util/timeutil.h"
#include "store/store.h"

#include <getopt.h>
#include <string.h>
#include <sys/stat.h>

int cmd_prune(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"keep-days", required_argument, NULL, 'k'},
        {"vacuum", no_argument, NULL, 'v'},
        {"dry-run", no_argument, NULL, 'n'},
        {NULL, 0, NULL, 0},
    };
    const struct command *self = command_find("prune");
    struct store *st = NULL;
    struct prune_stats ps;
    struct stat sb;
    char err[1024], ob[8], when[32];
    long keep = -1;
    int c, vacuum = 0, dry = 0, rc;
    int64_t cutoff;

    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "+:", opts, NULL)) != -1) {
        switch (c) {
        case 'k':
            if (cli_parse_days(optarg, 36500, &keep) != 0)
                return cli_usage_error(self, "--keep-days wants a number of days, "
                                       "not '%s'", optarg);
            break;
        case 'v': vacuum = 1; break;
        case 'n': dry = 1; break;
        case ':':
            return cli_usage_error(self, "option '%s' needs a value", argv[optind - 1]);
        default:
            return cli_usage_error(self, "unknown option '%s'",
                                   cli_bad_option(argv, ob, sizeof ob));
        }
    }
    if (optind < argc)
        return cli_usage_error(self, "unexpected argument '%s'", argv[optind]);
    if (keep < 0)
        return cli_usage_error(self, "--keep-days N is required");

    /* never create a database just to prune it */
    if (stat(cli->db_path, &sb) != 0) {
        fprintf(cli->err, "wudiag: %s: no such database\n", cli->db_path);
        return EXIT_DB;
    }
    if (store_open(cli->db_path, 0, &st, err, sizeof err) != STORE_OK) {
        fprintf(cli->err, "wudiag: %s\n", err);
        return EXIT_DB;
    }
    cutoff = cli_now_us() - (int64_t)keep * WU_DAY_US;
    if ((rc = store_prune(st, cutoff, dry, &ps, err, sizeof err)) != STORE_OK) {
        fprintf(cli->err, "wudiag: %s: %s; nothing was deleted\n", cli->db_path, err);
        store_close(st);
        return rc == STORE_E_NOMEM ? EXIT_INTERNAL : EXIT_DB;
    }
    fprintf(cli->out, "%s %s: everything before %s UTC: %ld events, %ld service "
            "states, %ld facts, %ld runs (with %ld coverage rows, %ld unrelated "
            "counts, %ld file fingerprints), %ld hosts; kept the latest run of each "
            "host (%ld runs)\n", dry ? "would prune" : "pruned", cli->db_path,
            format_time(cutoff, when, sizeof when), ps.events, ps.service_states,
            ps.facts, ps.runs, ps.coverage, ps.unrelated, ps.files, ps.hosts, ps.kept_runs);
    if (vacuum && !dry) {
        int64_t before, after;
        if (store_vacuum(st, &before, &after, err, sizeof err) != STORE_OK) {
            fprintf(cli->err, "wudiag: %s: %s (the prune itself is done)\n",
                    cli->db_path, err);
            store_close(st);
            return EXIT_DB;
        }
        fprintf(cli->out, "vacuum: %.1f MB -> %.1f MB\n", before / 1048576.0,
                after / 1048576.0);
    }
    store_close(st);
    return EXIT_OK;
}
