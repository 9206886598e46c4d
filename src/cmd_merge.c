/*
 * cmd_merge.c - `wudiag merge -o FLEET.db HOST.db...`: combine many hosts'
 * databases into one.  Each input is one transaction (store_merge_db); an
 * unusable input is skipped with one line on stderr and the rest go on;
 * a failing target stops everything.
 */
#include "src/cli.h"
#include "util/fsutil.h"
#include "store/store.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* 1 when a and b name the same existing file. */
static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    if (stat(a, &sa) != 0 || stat(b, &sb) != 0)
        return 0;
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino &&
           (sa.st_ino != 0 || strcmp(a, b) == 0);
}

int cmd_merge(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"quiet", no_argument, NULL, 'q'},
        {NULL, 0, NULL, 0},
    };
    const struct command *self = command_find("merge");
    const char *outpath = NULL;
    struct store *st = NULL;
    struct merge_stats ms, tot;
    char err[1024], ob[8], *tmp = NULL;
    int c, quiet = 0, rc = EXIT_OK, merged = 0, skipped = 0, inputs;

    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "+:o:q", opts, NULL)) != -1) {
        switch (c) {
        case 'o': outpath = optarg; break;
        case 'q': quiet = 1; break;
        case ':':
            return cli_usage_error(self, "option '%s' needs a value", argv[optind - 1]);
        default:
            return cli_usage_error(self, "unknown option '%s'",
                                   cli_bad_option(argv, ob, sizeof ob));
        }
    }
    if (!outpath || !*outpath)
        return cli_usage_error(self, "no output database (-o FILE)");
    if (optind >= argc)
        return cli_usage_error(self, "no databases to merge");
    inputs = argc - optind;

    if (store_open(outpath, 0, &st, err, sizeof err) != STORE_OK) {
        fprintf(cli->err, "wudiag: %s\n", err);
        return EXIT_DB;
    }
    /* where an input of an older schema is upgraded: beside the output */
    size_t tlen = strlen(outpath) + 48;
    if (!(tmp = malloc(tlen))) {
        store_close(st);
        fprintf(cli->err, "wudiag: out of memory\n");
        return EXIT_INTERNAL;
    }
    snprintf(tmp, tlen, "%s.merge-%ld.tmp", outpath, wu_pid());

    memset(&tot, 0, sizeof tot);
    for (int i = optind; i < argc; i++) {
        const char *in = argv[i];
        int r;
        if (same_file(in, outpath)) {
            fprintf(cli->err, "wudiag: %s: skipped: it is the output database\n", in);
            skipped++;
            continue;
        }
        r = store_merge_db(st, in, tmp, &ms, err, sizeof err);
        if (r == MERGE_SKIPPED) {
            fprintf(cli->err, "wudiag: %s: skipped: %s\n", in, err);
            skipped++;
            continue;
        }
        if (r != MERGE_DONE) {
            fprintf(cli->err, "wudiag: %s: %s; nothing from %s was merged\n",
                    outpath, err, in);
            rc = EXIT_DB;
            break;
        }
        merged++;
        tot.hosts += ms.hosts;
        tot.runs += ms.runs;
        tot.runs_known += ms.runs_known;
        tot.events += ms.events;
        tot.events_known += ms.events_known;
        tot.service_states += ms.service_states;
        if (!quiet)
            fprintf(cli->out, "%s: %ld runs, %ld events, %ld service states added; "
                    "%ld runs and %ld events already there\n", in, ms.runs,
                    ms.events, ms.service_states, ms.runs_known, ms.events_known);
    }
    fprintf(cli->out, "merged %d of %d databases into %s (%d skipped): %ld hosts, "
            "%ld runs, %ld events, %ld service states added; %ld runs and %ld "
            "events already there\n", merged, inputs, outpath, skipped, tot.hosts,
            tot.runs, tot.events, tot.service_states, tot.runs_known,
            tot.events_known);
    if (skipped && rc == EXIT_OK)
        rc = EXIT_PARTIAL;
    free(tmp);
    store_close(st);
    return rc;
}
