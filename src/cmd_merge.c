/*
 * cmd_merge.c - `wudiag merge -o FLEET.db HOST.db...`: combine many hosts'
 * databases into one.  Each input is one transaction (store_merge_db); an
 * unusable input is skipped with one line on stderr and the rest go on,
 * and so are an input's unusable rows (counted, one line on stderr);
 * a failing target stops everything.  A FILE that does not exist yet is
 * built as a temporary beside it (FILE.wudiag-tmp-PID-XXXXXX) and renamed
 * into place once something was merged: a full disk or a kill leaves no
 * empty database behind.
 */
#include "src/cli.h"
#include "util/fsutil.h"
#include "store/store.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int cmd_merge(struct cli *cli, int argc, char **argv);

struct merge_opts {
    const char *outpath;
    int quiet;
};

static const struct cli_option merge_options[] = {
    CLI_OPT_OUTPUT(struct merge_opts, outpath),
    {.name = "quiet", .short_name = 'q', .type = CLI_FLAG,
     .offset = offsetof(struct merge_opts, quiet)},
    CLI_OPT_END,
};

const struct command cmd_merge_entry = {
    "merge", cmd_merge, 0,
    "combine several hosts' databases into one fleet database",
    "usage: wudiag merge -o FILE [-q] DB...\n"
    "\n"
    "Copies each wudiag database DB into FILE (created if missing), one\n"
    "transaction per DB: hosts are matched by name, each run keeps its own\n"
    "rows, and a run FILE already holds (same host, kind, source and start\n"
    "time) is not copied again, so merging the same DB twice adds nothing.\n"
    "Events already stored by another path are kept once. Each DB is opened\n"
    "read-only and checked first: a DB that is not SQLite or not wudiag's,\n"
    "fails PRAGMA quick_check or has a newer schema is skipped with one line\n"
    "on stderr, and the others are merged; an older schema is upgraded in a\n"
    "temporary copy beside FILE (DB itself is never written). Rows are checked\n"
    "as they are copied: a host whose name holds a NUL byte, a control or bidi\n"
    "character or invalid UTF-8 (or is over 255 bytes) is left out with its\n"
    "rows, so are events whose data is not a JSON object and rows whose time\n"
    "is outside 1601..9999; events of an unknown kind are classified again.\n"
    "Each DB's line and stderr say how many rows were skipped and why.\n"
    "\n"
    "  -o FILE   the fleet database to merge into\n"
    "  -q        print only the total, not one line per DB\n"
    "\n"
    "A new FILE is built beside it under a temporary name and appears only\n"
    "when something was merged (never as an empty database).\n"
    "\n"
    "Exit: 0 every DB merged whole; 1 some DB or some rows skipped, the rest\n"
    "merged; 2 bad command line; 4 FILE cannot be opened or written (stops;\n"
    "the DB being merged leaves nothing behind).\n",
    merge_options,
};

/* Rows the checks left out (events classified again are not lost). */
static long skipped_rows(const struct merge_stats *ms)
{
    return ms->skipped_host_rows + ms->skipped_aliases + ms->skipped_data +
           ms->skipped_time;
}

static const char *pl(long n)
{
    return n == 1 ? "" : "s";
}

/* "N rows skipped: ..." for one DB: why, with the counts; "" when none. */
static void skip_summary(const struct merge_stats *ms, char *buf, size_t len)
{
    size_t n = 0;
    const char *sep = ":";
    buf[0] = '\0';
#define ADD(...) do { int k_ = snprintf(buf + n, len - n, __VA_ARGS__);         \
        if (k_ > 0) n += (size_t)k_ < len - n ? (size_t)k_ : len - n - 1; } while (0)
    if (skipped_rows(ms) || ms->bad_hosts)
        ADD("%ld row%s skipped", skipped_rows(ms), pl(skipped_rows(ms)));
    if (ms->bad_hosts) {
        ADD("%s %ld host%s with an unusable name (%s) and %s %ld row%s", sep,
            ms->bad_hosts, pl(ms->bad_hosts), ms->bad_host_why,
            ms->bad_hosts == 1 ? "its" : "their", ms->skipped_host_rows,
            pl(ms->skipped_host_rows));
        sep = ",";
    }
    if (ms->skipped_aliases) {
        ADD("%s %ld host alias%s with an unusable name", sep, ms->skipped_aliases,
            ms->skipped_aliases == 1 ? "" : "es");
        sep = ",";
    }
    if (ms->skipped_data) {
        ADD("%s %ld event%s whose data is not a JSON object", sep, ms->skipped_data,
            pl(ms->skipped_data));
        sep = ",";
    }
    if (ms->skipped_time)
        ADD("%s %ld row%s with a time outside 1601..9999", sep, ms->skipped_time,
            pl(ms->skipped_time));
    if (ms->unknown_kind)
        ADD("%s%ld event%s of unknown kind classified again", n ? "; " : "",
            ms->unknown_kind, pl(ms->unknown_kind));
#undef ADD
}

/* 1 when a and b name the same existing file. */
static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    if (stat(a, &sa) != 0 || stat(b, &sb) != 0)
        return 0;
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino &&
           (sa.st_ino != 0 || strcmp(a, b) == 0);
}

static int cmd_merge(struct cli *cli, int argc, char **argv)
{
    const struct command *self = &cmd_merge_entry;
    struct merge_opts o = {NULL, 0};
    const char *outpath;
    struct store *st = NULL;
    struct merge_stats ms, tot;
    char err[1024], why[512], *tmp = NULL, *fresh = NULL;
    const char *target;
    struct stat sb;
    long tot_skipped = 0;
    int first, rc, merged = 0, skipped = 0, damaged = 0, inputs;

    if ((rc = cli_parse_options(self, argc, argv, &o, &first)) != 0)
        return rc;
    outpath = o.outpath;
    if (!outpath || !*outpath)
        return cli_usage_error(self, "no output database (-o FILE)");
    if (first >= argc)
        return cli_usage_error(self, "no databases to merge");
    inputs = argc - first;

    /* a new fleet DB: built under a temporary name, renamed at the end */
    target = outpath;
    if (stat(outpath, &sb) != 0 && errno == ENOENT) {
        FILE *fp;
        wu_temp_sweep(outpath);
        if (!(fp = wu_temp_create(outpath, &fresh))) {
            fprintf(cli->err, "wudiag: %s: cannot create database: %s\n", outpath,
                    strerror(errno));
            return EXIT_DB;
        }
        fclose(fp);
        target = fresh;
    }
    if (store_open(target, 0, &st, err, sizeof err) != STORE_OK) {
        fprintf(cli->err, "wudiag: %s: %s\n", outpath,
                strncmp(err, target, strlen(target)) == 0 && err[strlen(target)] == ':'
                ? err + strlen(target) + 2 : err);
        rc = EXIT_DB;
        goto cleanup;
    }
    /* where an input of an older schema is upgraded: beside the output */
    size_t tlen = strlen(outpath) + 48;
    if (!(tmp = malloc(tlen))) {
        fprintf(cli->err, "wudiag: out of memory\n");
        rc = EXIT_INTERNAL;
        goto cleanup;
    }
    snprintf(tmp, tlen, "%s.merge-%ld.tmp", outpath, wu_pid());

    memset(&tot, 0, sizeof tot);
    for (int i = first; i < argc; i++) {
        const char *in = argv[i];
        int r;
        /* a new FILE does not exist yet: then its name is the test */
        if (fresh ? strcmp(in, outpath) == 0 || same_file(in, fresh)
                  : same_file(in, outpath)) {
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
        skip_summary(&ms, why, sizeof why);
        if (why[0])
            fprintf(cli->err, "wudiag: %s: %s\n", in, why);
        if (skipped_rows(&ms) || ms.bad_hosts)
            damaged++;
        tot_skipped += skipped_rows(&ms);
        tot.hosts += ms.hosts;
        tot.runs += ms.runs;
        tot.runs_known += ms.runs_known;
        tot.events += ms.events;
        tot.events_known += ms.events_known;
        tot.service_states += ms.service_states;
        if (!o.quiet)
            fprintf(cli->out, "%s: %ld runs, %ld events, %ld service states added; "
                    "%ld runs and %ld events already there%s%s\n", in, ms.runs,
                    ms.events, ms.service_states, ms.runs_known, ms.events_known,
                    why[0] ? "; " : "", why);
    }
    fprintf(cli->out, "merged %d of %d databases into %s (%d skipped): %ld hosts, "
            "%ld runs, %ld events, %ld service states added; %ld runs and %ld "
            "events already there; %ld rows skipped\n", merged, inputs, outpath,
            skipped, tot.hosts, tot.runs, tot.events, tot.service_states,
            tot.runs_known, tot.events_known, tot_skipped);
    if ((skipped || damaged) && rc == EXIT_OK)
        rc = EXIT_PARTIAL;
    /* the new DB whole in one file (nothing left in its -wal), then in place */
    if (fresh && merged > 0 && store_checkpoint(st) != STORE_OK) {
        fprintf(cli->err, "wudiag: %s: %s; nothing was merged\n", outpath,
                store_errmsg(st));
        merged = 0;
        rc = EXIT_DB;
    }
    store_close(st);
    st = NULL;
    if (fresh && merged > 0 && wu_rename_new(fresh, outpath) != 0) {
        fprintf(cli->err, "wudiag: %s: %s; nothing was merged\n", outpath,
                errno == EEXIST ? "created by another process during the merge"
                                : strerror(errno));
        rc = EXIT_DB;
    }
cleanup:
    store_close(st);
    if (fresh) {
        size_t n = strlen(fresh) + 5;
        char *side = malloc(n);
        remove(fresh);          /* gone already when renamed */
        if (side) {
            snprintf(side, n, "%s-wal", fresh);
            remove(side);
            snprintf(side, n, "%s-shm", fresh);
            remove(side);
            free(side);
        }
        wu_temp_on_signal(NULL);
        free(fresh);
    }
    free(tmp);
    return rc;
}
