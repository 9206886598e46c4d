/*
 * cmd_import.c - `wudiag import`: exported event logs into the store.
 *
 * For each file: detect the format from its first bytes, skip content that
 * was imported in full before (fingerprint), otherwise run the source into a
 * staging sink that classifies each event and keeps the update-related ones
 * (src/ingest.h), then write them in one short transaction per file.  The
 * database's write lock is never held while a file is parsed, so a slow or
 * huge file cannot make another import wait; a failing file never leaves a
 * partial run.
 */
#include "src/cli.h"
#include "collector/filter.h"
#include "util/fingerprint.h"
#include "src/ingest.h"
#include "collector/source.h"
#include "store/store.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

static int cmd_import(struct cli *cli, int argc, char **argv);

struct import_opts {
    const char *host;
    int force;
};

static const struct cli_option import_options[] = {
    CLI_OPT_HOST(struct import_opts, host),
    {.name = "force", .type = CLI_FLAG, .offset = offsetof(struct import_opts, force)},
    CLI_OPT_END,
};

const struct command cmd_import_entry = {
    "import", cmd_import, NEEDS_DB,
    "store update-related events from .evtx, event XML or CBS/DISM/WU text logs",
    "usage: wudiag import [--db FILE] [--host NAME] [--force] FILE...\n"
    "\n"
    "Reads exported Windows event logs (.evtx, or XML from wevtutil qe /f:xml,\n"
    "Get-WinEvent | ToXml() or Event Viewer's \"Save as XML\"; '-' reads XML\n"
    "from standard input) and the text logs CBS.log, dism.log and\n"
    "WindowsUpdate.log (UTF-8 or UTF-16), and stores the update-related\n"
    "events. The format is detected from the content. Each file is one transaction; importing the\n"
    "same events again adds nothing.\n"
    "\n"
    "  --host NAME  file every event under NAME (default: the event's Computer)\n"
    "  --force      parse a file again even if identical content was imported\n"
    "\n"
    "A pipe or FIFO (import <(cat f.xml)) is read as it comes, like '-' (not\n"
    ".evtx, which is read by position); a device (/dev/zero) is refused.\n"
    "Prints one line per file: read, stored, unrelated, duplicates, damaged.\n"
    "Exit: 0 all imported; 1 some file damaged (readable records kept);\n"
    "3 some file unreadable or not a log (nothing stored from it); 4 database\n"
    "error (nothing of the failing file stored).\n",
    import_options,
};

static void print_stats(FILE *out, const char *name, const struct wu_stats *st,
                        const char *note)
{
    fprintf(out, "%s: %ld read, %ld stored, %ld unrelated, %ld duplicates, "
            "%ld damaged%s%s\n", name, st->read, st->stored, st->unrelated,
            st->duplicates, st->damaged, note ? "; " : "", note ? note : "");
}

/* Import one file; returns an EXIT_* code. */
static int import_one(struct cli *cli, const char *path, const char *host,
                      int force, int *hinted)
{
    int is_stdin = strcmp(path, "-") == 0, is_stream = 0;
    const char *name = is_stdin ? "<stdin>" : path;
    struct ingest sink;
    const struct wu_source *src;
    unsigned char head[SOURCE_HEAD];
    char fp_hex[17], fp_key[300], *fp_ptr = NULL;
    char err[512] = "", serr[512] = "";
    int64_t size = 0, prev_run = 0;
    FILE *fp = NULL;
    struct stat sbuf;
    size_t n;
    int rc = EXIT_OK, status, wrc;

    ingest_init_staged(&sink, cli->store);

    if (is_stdin) {
        fp = stdin;
    } else {
        if (stat(path, &sbuf) == 0 && S_ISDIR(sbuf.st_mode)) {
            fprintf(cli->err, "wudiag: %s: is a directory, not a log file\n", name);
            return EXIT_INPUT;
        }
        if (!(fp = fopen(path, "rb"))) {
            fprintf(cli->err, "wudiag: %s: cannot open: %s\n", name, strerror(errno));
            return EXIT_INPUT;
        }
        /* a device (/dev/zero, a terminal) never ends: refused; a pipe
         * (<(cat f.xml), a FIFO) is read once, as it comes, like stdin */
        if (fstat(fileno(fp), &sbuf) != 0) {
            fprintf(cli->err, "wudiag: %s: read error: %s\n", name, strerror(errno));
            rc = EXIT_INPUT;
            goto cleanup;
        }
        if (S_ISCHR(sbuf.st_mode) || S_ISBLK(sbuf.st_mode)) {
            fprintf(cli->err, "wudiag: %s: is a device, not a log file\n", name);
            rc = EXIT_INPUT;
            goto cleanup;
        }
        if (!S_ISREG(sbuf.st_mode))
            is_stream = 1;
    }
    if (!is_stream && !is_stdin) {
        if (fingerprint_stream(fp, fp_hex, &size) != 0) {
            fprintf(cli->err, "wudiag: %s: read error: %s\n", name, strerror(errno));
            rc = EXIT_INPUT;
            goto cleanup;
        }
        /* the same bytes filed under another --host are a different import */
        snprintf(fp_key, sizeof fp_key, "%s%s%.256s", fp_hex, host ? "@" : "",
                 host ? host : "");
        fp_ptr = fp_key;
        rewind(fp);
    }
    n = fread(head, 1, sizeof head, fp);
    if (ferror(fp)) {
        fprintf(cli->err, "wudiag: %s: read error: %s\n", name, strerror(errno));
        rc = EXIT_INPUT;
        goto cleanup;
    }
    if (n == 0) {
        fprintf(cli->err, "wudiag: %s: empty file, not an event log\n", name);
        rc = EXIT_INPUT;
        goto cleanup;
    }
    if (!(src = source_detect(head, n))) {
        fprintf(cli->err, "wudiag: %s: not an event log (expected .evtx, "
                "event XML, CBS.log, DISM.log or WindowsUpdate.log content)\n", name);
        rc = EXIT_INPUT;
        goto cleanup;
    }
    if (is_stream && src == &evtx_source) {
        fprintf(cli->err, "wudiag: %s: an .evtx file is read by position, not from "
                "a pipe: save it to a file first\n", name);
        rc = EXIT_INPUT;
        goto cleanup;
    }
    if (fp_ptr && !force && store_file_known(cli->store, fp_ptr, size, &prev_run)) {
        char note[64];
        snprintf(note, sizeof note, "same content already imported (run %lld)",
                 (long long)prev_run);
        print_stats(cli->out, name, &sink.stats, note);
        goto cleanup;
    }
    /* text logs name no host: say once where their events go */
    if (!host && src == &textlog_source && !*hinted) {
        fprintf(cli->err, "wudiag: %s: text log has no host name; its events are "
                "filed under \"unknown\" (use --host NAME)\n", name);
        *hinted = 1;
    }
    status = src->read(path, fp, head, n, &sink.sink, &sink.stats, err, sizeof err);
    switch (status) {
    case SRC_OK:
        break;
    case SRC_PARTIAL:
        fprintf(cli->err, "wudiag: %s: %s\n", name, err);
        rc = EXIT_PARTIAL;
        break;
    case SRC_BAD:
        store_run_abort(cli->store);
        fprintf(cli->err, "wudiag: %s: %s\n", name, err);
        rc = EXIT_INPUT;
        goto cleanup;
    case SRC_STOPPED:
        store_run_abort(cli->store);
        if (sink.store_status == STORE_E_NOMEM)
            fprintf(cli->err, "wudiag: %s: out of memory; nothing from it was stored\n",
                    name);
        else
            fprintf(cli->err, "wudiag: %s: %s; nothing from %s was stored\n",
                    cli->db_path, store_errmsg(cli->store), name);
        rc = sink.store_status == STORE_E_NOMEM ? EXIT_INTERNAL : EXIT_DB;
        goto cleanup;
    default:
        store_run_abort(cli->store);
        fprintf(cli->err, "wudiag: %s: out of memory\n", name);
        rc = EXIT_INTERNAL;
        goto cleanup;
    }
    /* parsed: now the short write */
    if (store_run_begin(cli->store, "import", name, host, serr, sizeof serr) != STORE_OK) {
        store_run_abort(cli->store);
        fprintf(cli->err, "wudiag: %s: %s; nothing from %s was stored\n",
                cli->db_path, serr, name);
        rc = EXIT_DB;
        goto cleanup;
    }
    if ((wrc = ingest_flush(&sink)) != STORE_OK) {
        snprintf(serr, sizeof serr, "%s", wrc == STORE_E_NOMEM ? "out of memory"
                                                               : store_errmsg(cli->store));
        store_run_abort(cli->store);
        fprintf(cli->err, "wudiag: %s: %s; nothing from %s was stored\n",
                cli->db_path, serr, name);
        rc = wrc == STORE_E_NOMEM ? EXIT_INTERNAL : EXIT_DB;
        goto cleanup;
    }
    if (store_add_coverage(cli->store, name, status == SRC_OK ? "ok" : "partial",
                           status != SRC_OK || (src == &textlog_source && err[0]) ? err : src->name) != STORE_OK ||
        store_run_end(cli->store, &sink.stats, status == SRC_OK ? fp_ptr : NULL,
                      size, serr, sizeof serr) != STORE_OK) {
        if (!serr[0])
            snprintf(serr, sizeof serr, "%s", store_errmsg(cli->store));
        store_run_abort(cli->store);
        fprintf(cli->err, "wudiag: %s: %s; nothing from %s was stored\n",
                cli->db_path, serr, name);
        rc = EXIT_DB;
        goto cleanup;
    }
    print_stats(cli->out, name, &sink.stats, NULL);
cleanup:
    ingest_free(&sink);
    if (fp && fp != stdin)
        fclose(fp);
    return rc;
}

static int cmd_import(struct cli *cli, int argc, char **argv)
{
    const struct command *self = &cmd_import_entry;
    struct import_opts o = {NULL, 0};
    int first, rc, worst = EXIT_OK, hinted = 0;

    if ((rc = cli_parse_options(self, argc, argv, &o, &first)) != 0)
        return rc;
    if (first >= argc)
        return cli_usage_error(self, "no input files");
    if (o.host && !*o.host)
        return cli_usage_error(self, "--host needs a non-empty name");
    for (int i = first; i < argc; i++) {
        rc = import_one(cli, argv[i], o.host, o.force, &hinted);
        if (rc > worst)
            worst = rc;
        if (rc == EXIT_DB || rc == EXIT_INTERNAL)
            break;          /* the database itself is in trouble: stop */
    }
    return worst;
}
