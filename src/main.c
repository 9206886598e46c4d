/*
 * main.c - parse the global options and dispatch to the command named;
 * at exit, one check that standard output was written (cli_finish_stdout).
 */
#include "src/cli.h"
#include "util/platform.h"
#include "store/store.h"
#include "util/version.h"

#include <stdio.h>
#include <string.h>

#define DEFAULT_DB "wudiag.db"

static int dispatch(struct cli *cli, int argc, char **argv);

int main(int argc, char **argv)
{
    struct cli cli = {DEFAULT_DB, NULL, NULL, stdout, stderr, 0};
    int i, n = 0, rc;

    platform_init();
    /* pull --db FILE / --db=FILE out of argv, wherever it stands */
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) {
            while (i < argc)
                argv[++n] = argv[i++];
            break;
        }
        if (strcmp(argv[i], "--db") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "wudiag: --db needs a file name\n");
                return EXIT_USAGE;
            }
            cli.db_path = argv[++i];
        } else if (strncmp(argv[i], "--db=", 5) == 0) {
            cli.db_path = argv[i] + 5;
        } else {
            argv[++n] = argv[i];
        }
    }
    argc = n + 1;
    argv[argc] = NULL;

    rc = dispatch(&cli, argc, argv);
    return cli_finish_stdout(&cli, rc);
}

static int dispatch(struct cli *cli, int argc, char **argv)
{
    const struct command *cmd;
    char err[1024];
    int i, rc;

    if (argc < 2)
        return collect_interactive(cli);    /* usage where not on Windows */
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage_main(stdout);
        return EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("wudiag %s\n", WUDIAG_VERSION);
        return EXIT_OK;
    }
    if (strcmp(argv[1], "help") == 0) {
        if (argc < 3) {
            usage_main(stdout);
            return EXIT_OK;
        }
        if (!(cmd = command_find(argv[2]))) {
            fprintf(stderr, "wudiag: no such command '%s'\n", argv[2]);
            return EXIT_USAGE;
        }
        usage_command(stdout, cmd);
        return EXIT_OK;
    }
    if (!(cmd = command_find(argv[1]))) {
        fprintf(stderr, "wudiag: no such command '%s' (see 'wudiag --help')\n",
                argv[1]);
        return EXIT_USAGE;
    }
    for (i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            break;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage_command(stdout, cmd);
            return EXIT_OK;
        }
    }
    if (cmd->flags & (NEEDS_DB | NEEDS_DB_RO)) {
        int flags = (cmd->flags & NEEDS_DB) ? 0 : STORE_READONLY;
        if (store_open(cli->db_path, flags, &cli->store, err, sizeof err) != STORE_OK) {
            if (!(cmd->flags & DB_SOFTFAIL)) {
                fprintf(stderr, "wudiag: %s\n", err);
                return EXIT_DB;
            }
            cli->db_error = err;
        }
    }
    rc = cmd->fn(cli, argc - 1, argv + 1);
    store_close(cli->store);
    cli->store = NULL;
    cli->db_error = NULL;
    return rc;
}
