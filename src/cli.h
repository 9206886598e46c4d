/*
 * cli.h - the command entry and what every command receives.
 *
 * Each subcommand is one cmd_NAME.c file that owns its row: a struct
 * command (name, function, flags such as NEEDS_DB, a summary, its usage
 * text and its option table) defined beside its options, cmd_NAME_entry.
 * commands.c only lists the entries in `wudiag --help` order; main.c only
 * parses the global options, opens the database a command asks for, and
 * dispatches.
 */
#ifndef WUDIAG_CLI_H
#define WUDIAG_CLI_H

#include "util/compat.h"
#include "src/cli_opts.h"
#include <stdio.h>

struct store;

/* Exit codes, shared by all commands (see `wudiag --help`). */
enum {
    EXIT_OK = 0,
    EXIT_PARTIAL = 1,   /* done, but some input was damaged or skipped */
    EXIT_USAGE = 2,     /* bad command line */
    EXIT_INPUT = 3,     /* an input could not be read or is not a log */
    EXIT_DB = 4,        /* the database cannot be opened, read or written */
    EXIT_INTERNAL = 5   /* out of memory or another internal failure */
};

#define NEEDS_DB    0x1   /* open read-write; create and migrate */
#define NEEDS_DB_RO 0x2   /* open read-only; must exist */
#define DB_SOFTFAIL 0x4   /* on open failure run anyway: store NULL, db_error set */
#define NO_OPERANDS 0x8   /* cli_parse_options: an operand is an error */
#define NUMERIC_OPERANDS 0x10 /* cli_parse_options: "-2147023838" is an operand */

struct cli {
    const char *db_path;
    struct store *store;    /* opened by main for NEEDS_DB* commands */
    const char *db_error;   /* why store is NULL (DB_SOFTFAIL commands) */
    FILE *out;              /* stdout */
    FILE *err;              /* stderr */
    int out_reported;       /* a write error on stdout was already reported */
};

typedef int (*cmd_fn)(struct cli *cli, int argc, char **argv);

struct command {
    const char *name;
    cmd_fn fn;
    unsigned flags;
    const char *summary;
    const char *usage;      /* full help text for `wudiag help NAME` */
    const struct cli_option *options;   /* ended by CLI_OPT_END; NULL: none */
};

/* Each defined in its cmd_NAME.c. */
extern const struct command cmd_import_entry, cmd_collect_entry, cmd_report_entry,
    cmd_explain_entry, cmd_history_entry, cmd_merge_entry, cmd_export_entry,
    cmd_prune_entry, cmd_fix_entry;
extern const struct command cmd_compare_entry;

/* Every command, in `wudiag --help` order (commands.c). */
extern const struct command *const commands[];
extern const size_t commands_len;

const struct command *command_find(const char *name);
void usage_main(FILE *fp);
void usage_command(FILE *fp, const struct command *cmd);

/* Report a command-line error in the one house format; returns EXIT_USAGE. */
int cli_usage_error(const struct command *cmd, const char *fmt, ...)
    WU_PRINTF(2, 3);

/* wudiag.exe started with no arguments (double-clicked): collect, write the
 * HTML report beside the DB, wait for Enter.  Elsewhere: usage. */
int collect_interactive(struct cli *cli);

/* Helpers of the fleet commands (cli_util.c). */
#include <stdint.h>
/* Now in microseconds: SOURCE_DATE_EPOCH when set, else the clock. */
int64_t cli_now_us(void);

struct outfile;
/*
 * Finish a command's output: a write error on out (the -o file or standard
 * output) becomes one line and EXIT_INPUT; the -o file (of, may be NULL) is
 * committed when rc is EXIT_OK and removed otherwise.  Returns the exit code.
 */
int cli_finish_output(struct cli *cli, struct outfile *of, const char *outpath,
                      FILE *out, int rc);
/*
 * After any command (main.c, once for all): standard output is flushed and
 * a write error on it (a full disk, /dev/full, a closed pipe) is one line
 * on stderr and turns exit 0 or 1 into EXIT_INPUT (3, "the output cannot
 * be written"); a code that already says something failed (2, 3, 4, 5,
 * and report --check's 2 "critical") is kept.  Returns the exit code.
 */
int cli_finish_stdout(struct cli *cli, int rc);
/* YYYY-MM-DD (00:00 UTC) or an ISO 8601 UTC time; 0, or -1 if malformed. */
int cli_parse_since(const char *s, int64_t *out_us);
/* A whole number of days 0..max; 0, or -1 if malformed. */
int cli_parse_days(const char *s, long max, long *out);
/* day starts, ISO times and dates (wu_day_start, wu_iso_time, wu_date) */
#include "util/timeutil.h"

#endif
