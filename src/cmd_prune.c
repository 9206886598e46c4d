/*
 * cmd_prune.c - `wudiag prune --keep-days N [--vacuum] [--dry-run]`: keep an
 * audit database from growing without bound.  What goes and what always
 * stays is store_prune's business (store.h); this prints what was deleted.
 */
#include "src/cli.h"
#include "diagnosis/diagnose.h"
#include "store/store.h"

#include <string.h>
#include <sys/stat.h>


static int cmd_prune(struct cli *cli, int argc, char **argv);

struct prune_opts {
    long keep;                  /* -1 until --keep-days is given */
    int vacuum, dry;
};

static const struct cli_option prune_options[] = {
    {.name = "keep-days", .type = CLI_NUMBER, .offset = offsetof(struct prune_opts, keep),
     .min = 0, .max = 36500, .wants = "a number of days"},
    {.name = "vacuum", .type = CLI_FLAG, .offset = offsetof(struct prune_opts, vacuum)},
    {.name = "dry-run", .type = CLI_FLAG, .offset = offsetof(struct prune_opts, dry)},
    CLI_OPT_END,
};

const struct command cmd_prune_entry = {
    "prune", cmd_prune, NO_OPERANDS,
    "delete evidence older than N days from the database",
    "usage: wudiag prune [--db FILE] --keep-days N [--vacuum] [--dry-run]\n"
    "\n"
    "Deletes, in one transaction, events and service states older than N days,\n"
    "then the runs from before then that hold nothing any more (with their\n"
    "coverage, unrelated counts and file fingerprints), then hosts left with\n"
    "nothing. Never deleted: the latest run of each host and all its rows,\n"
    "and the latest known state and start type of each service. Prints what\n"
    "was deleted.\n"
    "\n"
    "  --keep-days N  keep the last N days (0 keeps only what is never deleted)\n"
    "  --vacuum       then give the space back to the file system (VACUUM)\n"
    "  --dry-run      count what would be deleted, delete nothing\n"
    "\n"
    "SOURCE_DATE_EPOCH, when set, is used as now.\n"
    "Exit: 0 done; 2 bad command line; 4 database error (nothing deleted).\n",
    prune_options,
};

static int cmd_prune(struct cli *cli, int argc, char **argv)
{
    const struct command *self = &cmd_prune_entry;
    struct prune_opts o = {-1, 0, 0};
    struct store *st = NULL;
    struct prune_stats ps;
    struct stat sb;
    char err[1024], when[32];
    int first, rc;
    int64_t cutoff;

    if ((rc = cli_parse_options(self, argc, argv, &o, &first)) != 0)
        return rc;
    if (o.keep < 0)
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
    cutoff = cli_now_us() - (int64_t)o.keep * WU_DAY_US;
    if ((rc = store_prune(st, cutoff, o.dry, &ps, err, sizeof err)) != STORE_OK) {
        fprintf(cli->err, "wudiag: %s: %s; nothing was deleted\n", cli->db_path, err);
        store_close(st);
        return rc == STORE_E_NOMEM ? EXIT_INTERNAL : EXIT_DB;
    }
    fprintf(cli->out, "%s %s: everything before %s UTC: %ld events, %ld service "
            "states, %ld facts, %ld runs (with %ld coverage rows, %ld unrelated "
            "counts, %ld file fingerprints), %ld hosts; kept the latest run of each "
            "host (%ld runs)\n", o.dry ? "would prune" : "pruned", cli->db_path,
            format_time(cutoff, when, sizeof when), ps.events, ps.service_states,
            ps.facts, ps.runs, ps.coverage, ps.unrelated, ps.files, ps.hosts, ps.kept_runs);
    if (o.vacuum && !o.dry) {
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
