/*
 * cli_opts.c - the shared option parser: a command's option table turned
 * into getopt_long's, each value checked and stored in the command's
 * options struct, each mistake reported once in the house format.
 */
#include "src/cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

/* getopt_long's val for an option without a short name: past any char. */
#define LONG_ONLY_VAL 256

static const struct cli_option *option_by_val(const struct cli_option *tab,
                                              size_t n, int val)
{
    for (size_t i = 0; i < n; i++)
        if (tab[i].short_name ? (unsigned char)tab[i].short_name == val
                              : LONG_ONLY_VAL + (int)i == val)
            return &tab[i];
    return NULL;
}

/* Check v and store it in o's field of opts; 0, or EXIT_USAGE (said why). */
static int store_value(const struct command *cmd, const struct cli_option *o,
                       void *opts, const char *v)
{
    char *field = (char *)opts + o->offset;
    struct cli_range *range = (struct cli_range *)(void *)field;
    long n;

    switch (o->type) {
    case CLI_FLAG:
        *(int *)(void *)field = 1;
        return 0;
    case CLI_STRING:
        *(const char **)(void *)field = v;
        return 0;
    case CLI_NUMBER:
        if (cli_parse_days(v, o->max, &n) != 0 || n < o->min) {
            if (o->wants)
                return cli_usage_error(cmd, "--%s wants %s, not '%s'", o->name,
                                       o->wants, v);
            return cli_usage_error(cmd, "--%s wants %ld..%ld, not '%s'", o->name,
                                   o->min, o->max, v);
        }
        *(long *)(void *)field = n;
        return 0;
    case CLI_CHOICE:
        for (const struct cli_choice *c = o->choices; c && c->name; c++)
            if (strcmp(c->name, v) == 0) {
                *(int *)(void *)field = c->value;
                return 0;
            }
        if (o->wants)
            return cli_usage_error(cmd, "unknown %s '%s' (%s)", o->name, v, o->wants);
        return cli_usage_error(cmd, "unknown %s '%s'", o->name, v);
    case CLI_SINCE:
        if (cli_parse_since(v, &range->since_us) != 0)
            return cli_usage_error(cmd, "--%s wants YYYY-MM-DD, not '%s'", o->name, v);
        range->days = 0;
        return 0;
    case CLI_DAYS:
        if (cli_parse_days(v, 36500, &n) != 0 || n == 0)
            return cli_usage_error(cmd, "--%s wants a number of days, not '%s'",
                                   o->name, v);
        range->days = n;
        range->since_us = 0;
        return 0;
    }
    return cli_usage_error(cmd, "option '--%s' cannot be read", o->name);
}

/* getopt_long returned '?' or ':': say which option, as the user wrote it. */
static int option_error(const struct command *cmd, const struct cli_option *tab,
                        size_t n, int c, char **argv)
{
    const char *arg = argv[optind - 1];
    int is_long = strncmp(arg, "--", 2) == 0;

    /* --flag=value: glibc says '?', BSD getopt (mingw-w64) ':' */
    if (is_long && strchr(arg, '=') && optopt && option_by_val(tab, n, optopt))
        return cli_usage_error(cmd, "option '%.*s' takes no value",
                               (int)strcspn(arg, "="), arg);
    if (c == ':') {
        if (is_long)
            return cli_usage_error(cmd, "option '%s' needs a value", arg);
        return cli_usage_error(cmd, "option '-%c' needs a value", optopt);
    }
    if (optopt && optopt < LONG_ONLY_VAL)
        return cli_usage_error(cmd, "unknown option '-%c'", optopt);
    return cli_usage_error(cmd, "unknown option '%s'", arg);
}

int cli_parse_options(const struct command *cmd, int argc, char **argv,
                      void *opts, int *first)
{
    const struct cli_option *tab = cmd->options;
    struct option *lo = NULL;
    char *shorts = NULL;
    size_t n = 0, k = 0;
    int rc = 0, c, at, mid = 0;     /* mid: inside a cluster such as -qo */

    while (tab && tab[n].name)
        n++;
    lo = calloc(n + 1, sizeof *lo);
    shorts = malloc(2 * n + 3);
    if (!lo || !shorts) {
        fprintf(stderr, "wudiag: out of memory\n");
        rc = EXIT_INTERNAL;
        goto cleanup;
    }
    shorts[k++] = '+';              /* stop at the first operand */
    shorts[k++] = ':';              /* a missing value is ':', not '?' */
    for (size_t i = 0; i < n; i++) {
        int takes = tab[i].type != CLI_FLAG;
        lo[i].name = tab[i].name;
        lo[i].has_arg = takes ? required_argument : no_argument;
        lo[i].val = tab[i].short_name ? (unsigned char)tab[i].short_name
                                      : LONG_ONLY_VAL + (int)i;
        if (tab[i].short_name) {
            shorts[k++] = tab[i].short_name;
            if (takes)
                shorts[k++] = ':';
        }
    }
    shorts[k] = '\0';

    opterr = 0;
    optind = 0;                     /* 0, not 1: also forget a previous parse */
    for (;;) {
        at = optind ? optind : 1;
        if ((cmd->flags & NUMERIC_OPERANDS) && !mid && at < argc &&
            argv[at][0] == '-' && argv[at][1] >= '0' && argv[at][1] <= '9')
            break;
        c = getopt_long(argc, argv, shorts, lo, NULL);
        if (c == -1)
            break;
        mid = optind == at;
        const struct cli_option *o = c == '?' || c == ':' ? NULL
                                   : option_by_val(tab, n, c);
        if (!o) {
            rc = option_error(cmd, tab, n, c, argv);
            goto cleanup;
        }
        if ((rc = store_value(cmd, o, opts, optarg)) != 0)
            goto cleanup;
    }
    *first = optind ? optind : 1;
    if ((cmd->flags & NO_OPERANDS) && *first < argc)
        rc = cli_usage_error(cmd, "unexpected argument '%s'", argv[*first]);
cleanup:
    free(lo);
    free(shorts);
    return rc;
}
