/*
 * commands.c - the list of commands (each cmd_NAME.c defines its own entry),
 * `wudiag --help`, `wudiag help NAME` and the house usage-error format.
 */
#include "src/cli.h"
#include "util/version.h"

#include <stdarg.h>
#include <string.h>

const struct command *const commands[] = {
    &cmd_import_entry,
    &cmd_collect_entry,
    &cmd_report_entry,
    &cmd_compare_entry,
    &cmd_fix_entry,
    &cmd_explain_entry,
    &cmd_history_entry,
    &cmd_merge_entry,
    &cmd_export_entry,
    &cmd_prune_entry,
};
const size_t commands_len = sizeof commands / sizeof commands[0];

const struct command *command_find(const char *name)
{
    for (size_t i = 0; i < commands_len; i++)
        if (strcmp(commands[i]->name, name) == 0)
            return commands[i];
    return NULL;
}

void usage_main(FILE *fp)
{
    fprintf(fp,
            "usage: wudiag [--db FILE] COMMAND [ARGS...]\n"
            "       wudiag help COMMAND | --help | --version\n"
            "\n"
            "wudiag %s - Windows Update diagnostic reports from event logs.\n"
            "\n"
            "Commands:\n", WUDIAG_VERSION);
    for (size_t i = 0; i < commands_len; i++)
        fprintf(fp, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
    fprintf(fp,
            "\n"
            "Options:\n"
            "  --db FILE   database to use (default ./wudiag.db), before or after\n"
            "              the command\n"
            "\n"
            "Exit codes:\n"
            "  0  success\n"
            "  1  done, but some input was damaged or skipped\n"
            "  2  bad command line\n"
            "  3  an input file could not be read or is not a log\n"
            "  4  the database cannot be opened, read or written\n"
            "  5  internal error (out of memory)\n");
}

void usage_command(FILE *fp, const struct command *cmd)
{
    fputs(cmd->usage, fp);
}

int cli_usage_error(const struct command *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "wudiag %s: ", cmd ? cmd->name : "");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (see 'wudiag help %s')\n", cmd ? cmd->name : "");
    return EXIT_USAGE;
}
