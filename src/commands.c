/*
 * commands.c - the command table, help texts and usage helpers.
 */
#include "src/cli.h"
#include "util/version.h"

#include <getopt.h>
#include <stdarg.h>
#include <string.h>

const struct command commands[] = {
    {"import", cmd_import, NEEDS_DB,
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
     "Prints one line per file: read, stored, unrelated, duplicates, damaged.\n"
     "Exit: 0 all imported; 1 some file damaged (readable records kept);\n"
     "3 some file unreadable or not a log (nothing stored from it); 4 database\n"
     "error (nothing of the failing file stored).\n"},
    {"collect", cmd_collect, NEEDS_DB,
     "read the running Windows system (services, event logs, update history)",
     "usage: wudiag collect [--db FILE] [--days N]\n"
     "\n"
     "Windows only. Reads the update services through the Service Control\n"
     "Manager (state, start type incl. delayed and trigger start), the System,\n"
     "Setup, WindowsUpdateClient/Operational and Bits-Client/Operational event\n"
     "logs, the Windows Update Agent history, and the facts that decide fixes\n"
     "(pending restart, WSUS policy, free space on the system drive, OS build).\n"
     "No administrator rights are needed; what cannot be read is listed in the\n"
     "report's coverage. Event logs are read incrementally: the first run reads\n"
     "the last N days (default 60), later runs only what is new; CBS.log and\n"
     "dism.log entries older than N days are skipped.\n"
     "\n"
     "Started with no arguments (double-clicked), wudiag.exe collects into\n"
     "%ProgramData%\\wudiag\\wudiag.db, writes wudiag-report-HOST-DATE.html\n"
     "there and waits for Enter.\n"
     "Exit: 0 collected (failed sources are in coverage); 2 not on Windows or\n"
     "bad command line; 4 database error (nothing of the run stored).\n"},
    {"report", cmd_report, NEEDS_DB_RO | DB_SOFTFAIL,
     "diagnose the stored evidence and print a report",
     "usage: wudiag report [--db FILE] [--host NAME] [--since YYYY-MM-DD | --days N]\n"
     "                     [--format text|html|json] [-o FILE] [--redact] [--check]\n"
     "                     [--each] [--stale-days N]\n"
     "\n"
     "Diagnoses the stored evidence of each host (or only NAME) and prints the\n"
     "verdict (healthy, warning, critical), the findings with their evidence and\n"
     "the fix to apply (steps, commands, links), the update services, the error\n"
     "codes, the recent update attempts and what was read (coverage).\n"
     "\n"
     "  --since DATE  only evidence from DATE (UTC) on; --days N: the last N days\n"
     "  --format F    text (default), html (one self-contained file) or json\n"
     "  --redact      replace host, domain, user, server names and IP addresses\n"
     "                with stable tokens (host-1, user-1, ...)\n"
     "  --each        with several hosts: a full report per host instead of the\n"
     "                fleet report (hosts by verdict, common codes, stale hosts)\n"
     "  --stale-days N  fleet: hosts without a successful install for N days\n"
     "                (default 35)\n"
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
    {"history", cmd_history, NEEDS_DB_RO,
     "failures, service changes and installs per day or week",
     "usage: wudiag history [--db FILE] [--host NAME] [--since YYYY-MM-DD | --days N]\n"
     "                      [--week] [--format text|json|csv] [-o FILE]\n"
     "\n"
     "For each host (or only NAME), from every run stored: per day (UTC; with\n"
     "--week per ISO week from Monday) the update-related events, the failures\n"
     "by category and by code, the successful installs, the changes of an\n"
     "update service's state or start type, and the last successful install\n"
     "so far. Only days (weeks) with activity are listed. JSON schema:\n"
     "docs/history-json.md; CSV: one row per host and period.\n"
     "\n"
     "  --days N    the last N days, today included\n"
     "  -o FILE     write to FILE atomically (temporary file, then rename)\n"
     "\n"
     "SOURCE_DATE_EPOCH, when set, is used as today.\n"
     "Exit: 0 written; 2 bad command line; 3 no evidence (or none for NAME),\n"
     "or the output cannot be written; 4 database error.\n"},
    {"merge", cmd_merge, 0,
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
     "temporary copy beside FILE (DB itself is never written).\n"
     "\n"
     "  -o FILE   the fleet database to merge into\n"
     "  -q        print only the total, not one line per DB\n"
     "\n"
     "Exit: 0 every DB merged; 1 some DB skipped, the others merged; 2 bad\n"
     "command line; 4 FILE cannot be opened or written (stops; the DB being\n"
     "merged leaves nothing behind).\n"},
    {"export", cmd_export, NEEDS_DB_RO,
     "stream stored events as NDJSON or CSV (ECS-style fields)",
     "usage: wudiag export [--db FILE] [--format ndjson|csv] [--host NAME]\n"
     "                     [--since YYYY-MM-DD | --days N] [-o FILE]\n"
     "\n"
     "Writes one line per stored event, host by host in time order, with\n"
     "Elastic Common Schema style fields (@timestamp, host.name, event.code,\n"
     "event.provider, winlog.channel, winlog.record_id, error.code,\n"
     "service.name, ..., and wudiag.symbol / wudiag.category / wudiag.fix from\n"
     "the knowledge base) for Elasticsearch/OpenSearch, Splunk or Loki. NDJSON\n"
     "(default) is one JSON object per line; CSV is RFC 4180 with a header row\n"
     "and CRLF line ends. Streams in constant memory. Field list:\n"
     "docs/export.md.\n"
     "\n"
     "  --since DATE  only events from DATE (UTC) on; --days N: the last N days\n"
     "  -o FILE       write to FILE atomically instead of standard output\n"
     "\n"
     "SOURCE_DATE_EPOCH, when set, is used as now for --days.\n"
     "Exit: 0 written (also when no event matched); 2 bad command line; 3 no\n"
     "host NAME, or the output cannot be written; 4 database error.\n"},
    {"prune", cmd_prune, 0,
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
     "Exit: 0 done; 2 bad command line; 4 database error (nothing deleted).\n"},
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
