/*
 * commands.c - the command table, help texts and usage helpers.
 */
#include "cli.h"
#include "version.h"

#include <getopt.h>
#include <stdarg.h>
#include <string.h>

const struct command commands[] = {
    {"import", cmd_import, NEEDS_DB,
     "store update-related events from .evtx or event XML files",
     "usage: wudiag import [--db FILE] [--host NAME] [--force] FILE...\n"
     "\n"
     "Reads exported Windows event logs (.evtx, or XML from wevtutil qe /f:xml,\n"
     "Get-WinEvent | ToXml() or Event Viewer's \"Save as XML\"; '-' reads XML\n"
     "from standard input) and stores the update-related events. The format is\n"
     "detected from the content. Each file is one transaction; importing the\n"
     "same events again adds nothing.\n"
     "\n"
     "  --host NAME  file every event under NAME (default: the event's Computer)\n"
     "  --force      parse a file again even if identical content was imported\n"
     "\n"
     "Prints one line per file: read, stored, unrelated, duplicates, damaged.\n"
     "Exit: 0 all imported; 1 some file damaged (readable records kept);\n"
     "3 some file unreadable or not a log (nothing stored from it); 4 database\n"
     "error (nothing of the failing file stored).\n"},
    {"report", cmd_report, NEEDS_DB_RO | DB_SOFTFAIL,
     "diagnose the stored evidence and print a report",
     "usage: wudiag report [--db FILE] [--host NAME] [--since YYYY-MM-DD | --days N]\n"
     "                     [--format text] [-o FILE] [--check]\n"
     "\n"
     "Diagnoses the stored evidence of each host (or only NAME) and prints the\n"
     "verdict (healthy, warning, critical), the findings with their evidence and\n"
     "the fix to apply (steps, commands, links), the update services, the error\n"
     "codes, the recent update attempts and what was read (coverage).\n"
     "\n"
     "  --since DATE  only evidence from DATE (UTC) on; --days N: the last N days\n"
     "  -o FILE       write to FILE atomically (temporary file, then rename)\n"
     "  --check       print only the verdict; exit 0 healthy, 1 warning,\n"
     "                2 critical, 3 could not decide (no data, unreadable DB)\n"
     "\n"
     "SOURCE_DATE_EPOCH, when set, is used as the report's time.\n"
     "Exit without --check: 0 written; 2 bad command line; 3 no evidence or\n"
     "the output cannot be written; 4 database error.\n"},
    {"explain", cmd_explain, 0,
     "explain a Windows Update error code and its fix",
     "usage: wudiag explain [--json] CODE...\n"
     "\n"
     "CODE may be 0x80070422, 80070422, -2147023838, 2147943458 or a symbol\n"
     "such as WU_E_NO_SERVICE. Prints the symbol, meaning, category and the fix\n"
     "with its steps and commands.\n"
     "Exit: 0 all codes known; 1 some code unknown (decoded by facility);\n"
     "2 a CODE is not a number or symbol.\n"},
};
const size_t commands_len = sizeof commands / sizeof commands[0];

const struct command *command_find(const char *name)
{
    for (size_t i = 0; i < commands_len; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
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
        fprintf(fp, "  %-10s %s\n", commands[i].name, commands[i].summary);
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

const char *cli_bad_option(char **argv, char *buf, int bufsize)
{
    if (optopt) {
        snprintf(buf, (size_t)bufsize, "-%c", optopt);
        return buf;
    }
    return argv[optind - 1];
}
