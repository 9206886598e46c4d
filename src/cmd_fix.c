/*
 * cmd_fix.c - `wudiag fix`: write the remediation script for one host's
 * open findings (report/script_render.c renders it from the diagnosis and
 * the fix catalog), or say that there is nothing to fix and write nothing.
 * It never runs anything itself, except `--run` on Windows after an
 * explicit confirmation (or --yes), which also records in the script's
 * transcript that wudiag ran it (src/fix_run_win.c; refused elsewhere).
 */
#include "src/cli.h"
#include "src/fix_run.h"
#include "diagnosis/diagnose.h"
#include "report/script_render.h"
#include "store/store.h"
#include "util/outfile.h"
#include "util/platform.h"
#include "util/strbuf.h"
#include "util/version.h"
#include "vocab/model.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct fix_args {
    const char *host;
    int format;
    const char *outpath;
    struct cli_range range;
    int run, yes;
};

static int cmd_fix(struct cli *cli, int argc, char **argv);

static const struct cli_choice fix_formats[] = {
    {"cmd", SCRIPT_CMD}, {"ps1", SCRIPT_PS1}, {NULL, 0},
};

static const struct cli_option fix_options[] = {
    CLI_OPT_HOST(struct fix_args, host),
    CLI_OPT_FORMAT(struct fix_args, format, fix_formats, "cmd or ps1"),
    CLI_OPT_SINCE(struct fix_args, range),
    CLI_OPT_DAYS(struct fix_args, range),
    CLI_OPT_OUTPUT(struct fix_args, outpath),
    {.name = "run", .type = CLI_FLAG, .offset = offsetof(struct fix_args, run)},
    {.name = "yes", .type = CLI_FLAG, .offset = offsetof(struct fix_args, yes)},
    CLI_OPT_END,
};

const struct command cmd_fix_entry = {
    "fix", cmd_fix, NEEDS_DB_RO | NO_OPERANDS,
    "write a remediation script for the open findings",
    "usage: wudiag fix [--db FILE] [--host NAME] [--since YYYY-MM-DD | --days N]\n"
    "                  [--format cmd|ps1] [-o FILE] [--run [--yes]]\n"
    "\n"
    "Writes a script that applies the fixes of the host's open findings, first\n"
    "finding first, with the commands of the fix catalog: an elevation check\n"
    "first, each step commented with the finding and the evidence it answers,\n"
    "every command's output and exit code logged to SCRIPT.log beside it, a stop\n"
    "at the first failing step, exit codes that mean \"already done\" accepted,\n"
    "pauses with instructions for steps that need a person, a restart last.\n"
    "wudiag never runs it unless --run is given.\n"
    "\n"
    "  --host NAME   the host (needed when the database holds several)\n"
    "  --since DATE  only evidence from DATE (UTC) on; --days N: the last N days\n"
    "  --format F    cmd (default: a batch file, runs on every Windows) or ps1\n"
    "                (PowerShell 2.0 and later)\n"
    "  -o FILE       write to FILE (default wudiag-fix-HOST.cmd or .ps1 in the\n"
    "                current directory; - for standard output), atomically\n"
    "  --run         Windows only: run the script after writing it, once you\n"
    "                typed yes at the prompt; its transcript records the run\n"
    "  --yes         with --run: no prompt\n"
    "\n"
    "Exit: 0 written, or nothing to fix (no open finding: nothing is written);\n"
    "with --run 0 when the script did every step, 1 when it stopped; 2 bad\n"
    "command line (--run outside Windows); 3 no evidence for the host, or the\n"
    "script cannot be written; 4 database error; 5 out of memory.\n",
    fix_options,
};

/* The host to fix: NAME, or the only one; NULL after saying why (*rc). */
static char *pick_host(struct cli *cli, const char *want, int *rc)
{
    char **hosts = NULL, *pick = NULL;
    size_t n = 0;

    if (store_list_hosts(cli->store, &hosts, &n) != STORE_OK) {
        fprintf(cli->err, "wudiag: %s: cannot list hosts: %s\n", cli->db_path,
                store_errmsg(cli->store));
        *rc = EXIT_DB;
        return NULL;
    }
    *rc = EXIT_OK;
    for (size_t i = 0; i < n; i++) {
        if (want ? strcasecmp(hosts[i], want) == 0 : n == 1) {
            pick = hosts[i];
            hosts[i] = NULL;
            break;
        }
    }
    if (!pick) {
        if (n == 0) {
            fprintf(cli->err, "wudiag: %s: no evidence stored; run 'wudiag import' first\n",
                    cli->db_path);
            *rc = EXIT_INPUT;
        } else if (want) {
            fprintf(cli->err, "wudiag: %s: no evidence for host '%s'\n", cli->db_path, want);
            *rc = EXIT_INPUT;
        } else {
            struct strbuf sb;
            sb_init(&sb);
            for (size_t i = 0; i < n && i < 10; i++)
                sb_printf(&sb, "%s%s", i ? ", " : "", hosts[i]);
            if (n > 10)
                sb_printf(&sb, ", and %zu more", n - 10);
            *rc = cli_usage_error(&cmd_fix_entry, "%s holds %zu hosts: name one with --host "
                                  "(%s)", cli->db_path, n, sb.buf ? sb.buf : "");
            sb_free(&sb);
        }
    }
    store_free_list(hosts, n);
    return pick;
}

/* wudiag-fix-HOST.EXT, the host's name kept to [A-Za-z0-9._-]. */
static char *default_name(const char *host, enum script_format fmt)
{
    struct strbuf sb;
    size_t start;

    sb_init(&sb);
    sb_adds(&sb, "wudiag-fix-");
    start = sb.len;
    for (const char *p = host; *p && sb.len - start < 64; p++) {
        char c = *p;
        int ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                 c == '-' || c == '_' || (c == '.' && sb.len > start);
        sb_addc(&sb, ok ? c : '_');
    }
    if (sb.len == start)
        sb_adds(&sb, "host");
    sb_printf(&sb, ".%s", script_ext(fmt));
    return sb_detach(&sb);
}

/* Ask on the terminal; 1 when the answer is "yes". */
static int confirmed(struct cli *cli, const char *path, size_t nsteps)
{
    char answer[32];

    fprintf(cli->out, "Run %s now? It changes system settings (%zu open finding%s); its "
            "transcript is written beside it.\nType yes to run it: ", path, nsteps,
            nsteps == 1 ? "" : "s");
    fflush(cli->out);
    if (!fgets(answer, sizeof answer, stdin))
        return 0;
    answer[strcspn(answer, "\r\n")] = '\0';
    return strcmp(answer, "yes") == 0;
}

/* SCRIPT.log beside the script: one line saying wudiag ran it. */
static void record_run(struct cli *cli, const char *path, const char *how, int code)
{
    struct strbuf log;
    const char *dot = strrchr(path, '.'), *sep = strrchr(path, '/');
    const char *bs = strrchr(path, '\\');
    char t[32];
    FILE *fp;

    if (bs && (!sep || bs > sep))
        sep = bs;
    sb_init(&log);
    if (dot && (!sep || dot > sep))
        sb_add(&log, path, (size_t)(dot - path));
    else
        sb_adds(&log, path);
    sb_adds(&log, ".log");
    if (log.oom || !(fp = fopen(log.buf, "ab"))) {
        fprintf(cli->err, "wudiag: %s: cannot record the run: %s\n",
                log.buf ? log.buf : path, strerror(errno));
        sb_free(&log);
        return;
    }
    fprintf(fp, "==== wudiag %s fix --run (%s) ran %s at %s UTC: exit code %d\r\n",
            WUDIAG_VERSION, how, path, format_time(cli_now_us(), t, sizeof t), code);
    if (fclose(fp) != 0)
        fprintf(cli->err, "wudiag: %s: cannot record the run: %s\n", log.buf, strerror(errno));
    sb_free(&log);
}

static int write_script(struct cli *cli, const struct fix_args *a, const char *host);

static int cmd_fix(struct cli *cli, int argc, char **argv)
{
    const struct command *self = &cmd_fix_entry;
    struct fix_args a = {NULL, SCRIPT_CMD, NULL, {0, 0}, 0, 0};
    char *host;
    int first, rc;

    if ((rc = cli_parse_options(self, argc, argv, &a, &first)) != 0)
        return rc;
    if (a.run && !fix_run_supported())
        return cli_usage_error(self, "--run works only on Windows: copy the script to the "
                               "machine and run it there as administrator");
    if (a.yes && !a.run)
        return cli_usage_error(self, "--yes goes with --run");
    if (a.run && a.outpath && strcmp(a.outpath, "-") == 0)
        return cli_usage_error(self, "--run needs a script file, not -o -");
    if (!(host = pick_host(cli, a.host, &rc)))
        return rc;
    rc = write_script(cli, &a, host);
    free(host);
    return rc;
}

static int write_script(struct cli *cli, const struct fix_args *a, const char *host)
{
    int64_t now = cli_now_us();
    struct model_query q = {host, a->range.since_us, 0, now};
    struct script_info si = {WUDIAG_VERSION, now};
    struct model *m = NULL;
    struct diagnosis d;
    struct outfile *of = NULL;
    char *name = NULL, err[512];
    const char *path;
    size_t nopen;
    int rc = EXIT_INTERNAL, code;
    FILE *out;

    memset(&d, 0, sizeof d);
    if (a->range.days)
        q.since_us = now - a->range.days * WU_DAY_US;
    if (store_load_model(cli->store, &q, &m, err, sizeof err) != STORE_OK) {
        fprintf(cli->err, "wudiag: %s: %s\n", cli->db_path, err);
        rc = EXIT_DB;
        goto cleanup;
    }
    if (diagnose(m, &d) != 0) {
        fprintf(cli->err, "wudiag: out of memory\n");
        goto cleanup;
    }
    if (d.verdict == VERDICT_UNKNOWN) {
        fprintf(cli->err, "wudiag: %s: no update-related evidence for host '%s'%s\n",
                cli->db_path, host, q.since_us ? " in that time range" : "");
        rc = EXIT_INPUT;
        goto cleanup;
    }
    if ((nopen = script_fixable(&d)) == 0) {
        fprintf(cli->out, "Nothing to fix for %s: no open finding (verdict %s); no script "
                "written.\n", host, verdict_name(d.verdict));
        rc = EXIT_OK;
        goto cleanup;
    }
    if (!(name = default_name(host, (enum script_format)a->format))) {
        fprintf(cli->err, "wudiag: out of memory\n");
        goto cleanup;
    }
    path = a->outpath ? a->outpath : name;
    if (strcmp(path, "-") == 0) {
        platform_binary_stdout();   /* the script's CRLF, not CR CR LF */
        out = cli->out;
        path = NULL;
    } else if (!(of = outfile_open(path))) {
        fprintf(cli->err, "wudiag: %s: cannot write: %s\n", path, strerror(errno));
        rc = EXIT_INPUT;
        goto cleanup;
    } else {
        out = outfile_fp(of);
    }
    if (script_render((enum script_format)a->format, m, &d, &si, out) != 0) {
        if (errno == ENOMEM) {
            fprintf(cli->err, "wudiag: out of memory\n");
            outfile_abort(of);
            goto cleanup;
        }
        fprintf(cli->err, "wudiag: %s: cannot write: %s\n", path ? path : "standard output",
                strerror(errno));
        outfile_abort(of);
        rc = EXIT_INPUT;
        goto cleanup;
    }
    if ((rc = cli_finish_output(cli, of, path, out, EXIT_OK)) != EXIT_OK)
        goto cleanup;
    if (!path)
        goto cleanup;
    fprintf(cli->out, "Wrote %s: the fixes of %zu open finding%s of %s (verdict %s). Run it "
            "as administrator on that machine; it logs to the .log file beside it.\n",
            path, nopen, nopen == 1 ? "" : "s", host, verdict_name(d.verdict));
    if (!a->run)
        goto cleanup;
    if (!a->yes && !confirmed(cli, path, nopen)) {
        fprintf(cli->out, "Not run.\n");
        goto cleanup;
    }
    if (fix_run_script(path, a->format == SCRIPT_PS1, &code, err, sizeof err) != 0) {
        fprintf(cli->err, "wudiag: %s: %s\n", path, err);
        rc = EXIT_INPUT;
        goto cleanup;
    }
    record_run(cli, path, a->yes ? "--yes" : "confirmed at the prompt", code);
    fprintf(cli->out, "The script %s (exit code %d); see its .log file.\n",
            code == 0 ? "did every step" : "stopped", code);
    rc = code == 0 ? EXIT_OK : EXIT_PARTIAL;
cleanup:
    free(name);
    diagnosis_free(&d);
    model_free(m);
    return rc;
}
