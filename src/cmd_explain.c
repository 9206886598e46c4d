/*
 * cmd_explain.c - `wudiag explain [--json] CODE...`: what a code means and
 * which fix applies, straight from the knowledge base (no database);
 * report/explain_render.c renders.
 */
#include "src/cli.h"
#include "report/explain_render.h"
#include "vocab/kb.h"

#include <stdlib.h>

static int cmd_explain(struct cli *cli, int argc, char **argv);

struct explain_opts {
    int json;
};

/* NUMERIC_OPERANDS: a negative decimal code (-2147023838) is not an option */
static const struct cli_option explain_options[] = {
    {.name = "json", .type = CLI_FLAG, .offset = offsetof(struct explain_opts, json)},
    CLI_OPT_END,
};

const struct command cmd_explain_entry = {
    "explain", cmd_explain, NUMERIC_OPERANDS,
    "explain a Windows Update error code and its fix",
    "usage: wudiag explain [--json] CODE...\n"
    "\n"
    "CODE may be 0x80070422, 80070422, -2147023838, 2147943458 or a symbol\n"
    "such as WU_E_NO_SERVICE. Prints the symbol, meaning, category and the fix\n"
    "with its steps and commands.\n"
    "Exit: 0 all codes known; 1 some code unknown (decoded by facility);\n"
    "2 a CODE is not a number or symbol.\n",
    explain_options,
};

static int cmd_explain(struct cli *cli, int argc, char **argv)
{
    const struct command *self = &cmd_explain_entry;
    struct explain_opts o = {0};
    uint32_t *codes = NULL;
    size_t n = 0;
    int first, rc;

    if ((rc = cli_parse_options(self, argc, argv, &o, &first)) != 0)
        return rc;
    if (first >= argc)
        return cli_usage_error(self, "no code given");
    for (int i = first; i < argc; i++) {
        uint32_t code;
        if (kb_parse_code(argv[i], &code) != 0)
            return cli_usage_error(self, "'%s' is not an error code or symbol", argv[i]);
    }
    if (!(codes = calloc((size_t)(argc - first), sizeof *codes))) {
        rc = EXIT_INTERNAL;
        goto cleanup;
    }
    for (int i = first; i < argc; i++) {
        kb_parse_code(argv[i], &codes[n]);
        if (!kb_code_find(codes[n]))
            rc = EXIT_PARTIAL;
        n++;
    }
    if (explain_render(cli->out, codes, n, o.json) != 0)
        rc = EXIT_INTERNAL;
cleanup:
    if (rc == EXIT_INTERNAL)
        fprintf(cli->err, "wudiag explain: out of memory\n");
    free(codes);
    return rc;
}
