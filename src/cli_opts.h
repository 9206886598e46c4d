/*
 * cli_opts.h - the one option parser every command uses.
 *
 * A command describes its options in a table (struct cli_option, ended by
 * CLI_OPT_END) that names, for each option, the field of the command's own
 * options struct it fills and how the value is checked.  cli_parse_options
 * runs getopt_long over that table ("+": options stop at the first operand
 * or at "--"), fills the struct, and reports every mistake in the one house
 * format (cli_usage_error): an unknown option or a missing value is named
 * as the user wrote it.  An option given twice: the last one counts.
 */
#ifndef WUDIAG_CLI_OPTS_H
#define WUDIAG_CLI_OPTS_H

#include <stddef.h>
#include <stdint.h>

struct command;

enum cli_opt_type {
    CLI_FLAG,       /* int: set to 1 */
    CLI_STRING,     /* const char *: the value as given */
    CLI_NUMBER,     /* long: a whole number in min..max (0 <= min) */
    CLI_CHOICE,     /* int: the value of the choice named (choices) */
    CLI_SINCE,      /* struct cli_range: YYYY-MM-DD (00:00 UTC) or ISO 8601 UTC */
    CLI_DAYS        /* struct cli_range: a number of days, 1..36500 */
};

struct cli_choice {
    const char *name;
    int value;
};

struct cli_option {
    const char *name;           /* long name, without "--" */
    char short_name;            /* 'o' for -o, or 0 */
    enum cli_opt_type type;
    size_t offset;              /* of the field in the command's options struct */
    long min, max;              /* CLI_NUMBER */
    const char *wants;          /* CLI_NUMBER, CLI_CHOICE: what the error says is
                                   wanted (default for numbers: "min..max") */
    const struct cli_choice *choices;   /* CLI_CHOICE: ended by {NULL, 0} */
};

/*
 * --since and --days write one range, so that the later of the two wins.
 * Each command turns days into a start time its own way.
 */
struct cli_range {
    int64_t since_us;           /* --since, or 0 */
    long days;                  /* --days N, or 0 */
};

/* The options several commands share. */
#define CLI_OPT_HOST(st, field) \
    {.name = "host", .type = CLI_STRING, .offset = offsetof(st, field)}
#define CLI_OPT_OUTPUT(st, field) \
    {.name = "output", .short_name = 'o', .type = CLI_STRING, \
     .offset = offsetof(st, field)}
#define CLI_OPT_SINCE(st, range) \
    {.name = "since", .type = CLI_SINCE, .offset = offsetof(st, range)}
#define CLI_OPT_DAYS(st, range) \
    {.name = "days", .type = CLI_DAYS, .offset = offsetof(st, range)}
#define CLI_OPT_FORMAT(st, field, choice_list, wants_text) \
    {.name = "format", .type = CLI_CHOICE, .offset = offsetof(st, field), \
     .wants = (wants_text), .choices = (choice_list)}
#define CLI_OPT_END {.name = NULL}

/*
 * Parse the options of cmd (cmd->options; argv[0] is the command's name)
 * into opts, the command's options struct, whose fields keep their values
 * for options not given.  *first is the index of the first operand.  With
 * NO_OPERANDS in cmd->flags an operand is an error; with NUMERIC_OPERANDS
 * an argument "-" followed by a digit (-2147023838) is the first operand,
 * not an option.  Returns 0, or EXIT_USAGE (EXIT_INTERNAL: out of memory)
 * after saying why on stderr.
 */
int cli_parse_options(const struct command *cmd, int argc, char **argv,
                      void *opts, int *first);

#endif
