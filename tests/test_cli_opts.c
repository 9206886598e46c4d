/*
 * test_cli_opts.c - the shared option parser (src/cli_opts.c): values
 * stored by type, every mistake in the one house format naming the option
 * as written (unknown option, missing value, bad number, bad choice,
 * --flag=value), repeated options (the last counts), "--", operands, and
 * the real command table's entries.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"
#include "src/cli.h"

struct t_opts {
    const char *host;
    const char *out;
    int quiet;
    long count;
    long keep;
    int fmt;
    struct cli_range range;
};

static const struct cli_choice t_formats[] = {
    {"text", 1}, {"json", 2}, {"ndjson", 2}, {NULL, 0},
};

static const struct cli_option t_options[] = {
    CLI_OPT_HOST(struct t_opts, host),
    CLI_OPT_OUTPUT(struct t_opts, out),
    {.name = "quiet", .short_name = 'q', .type = CLI_FLAG,
     .offset = offsetof(struct t_opts, quiet)},
    {.name = "count", .type = CLI_NUMBER, .offset = offsetof(struct t_opts, count),
     .min = 1, .max = 10},
    {.name = "keep-days", .type = CLI_NUMBER, .offset = offsetof(struct t_opts, keep),
     .min = 0, .max = 36500, .wants = "a number of days"},
    CLI_OPT_FORMAT(struct t_opts, fmt, t_formats, "text or json"),
    CLI_OPT_SINCE(struct t_opts, range),
    CLI_OPT_DAYS(struct t_opts, range),
    CLI_OPT_END,
};

static const struct command t_cmd = {"t", NULL, 0, "", "", t_options};
static const struct command t_noops = {"t", NULL, NO_OPERANDS, "", "", t_options};
static const struct command t_numeric = {"t", NULL, NUMERIC_OPERANDS, "", "", t_options};

#define DEFAULTS {"dflt", NULL, 0, 5, -1, 0, {0, 0}}

struct parsed {
    int rc;
    int first;
    char err[1024];         /* what went to stderr */
};

/* Parse "t" followed by the NULL-ended args; stderr captured. */
static void parse(const struct command *cmd, struct t_opts *o, struct parsed *p, ...)
{
    char *argv[32];
    int argc = 0, saved;
    const char *a;
    va_list ap;
    FILE *tmp = tmpfile();
    size_t n;

    assert_non_null(tmp);
    argv[argc++] = (char *)cmd->name;
    va_start(ap, p);
    while ((a = va_arg(ap, const char *)) != NULL) {
        assert_true(argc < 31);
        argv[argc++] = (char *)a;
    }
    va_end(ap);
    argv[argc] = NULL;

    fflush(stderr);
    saved = dup(2);
    assert_true(saved >= 0);
    assert_true(dup2(fileno(tmp), 2) >= 0);
    p->first = -1;
    p->rc = cli_parse_options(cmd, argc, argv, o, &p->first);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    rewind(tmp);
    n = fread(p->err, 1, sizeof p->err - 1, tmp);
    p->err[n] = '\0';
    fclose(tmp);
}

static void expect_error(const struct parsed *p, const char *message)
{
    char *want = tu_fmt("wudiag t: %s (see 'wudiag help t')\n", message);
    if (p->rc != EXIT_USAGE || strcmp(p->err, want) != 0)
        fail_msg("rc %d, stderr \"%s\"; expected rc %d, \"%s\"", p->rc, p->err,
                 EXIT_USAGE, want);
    free(want);
}

static void expect_ok(const struct parsed *p, int first)
{
    if (p->rc != 0 || p->err[0])
        fail_msg("rc %d, stderr \"%s\"; expected success", p->rc, p->err);
    assert_int_equal(p->first, first);
}

static void test_values_by_type(void **state)
{
    struct t_opts o = DEFAULTS;
    struct parsed p;
    (void)state;

    parse(&t_cmd, &o, &p, "--host", "pc1", "-o", "f.out", "-q", "--count", "7",
          "--keep-days", "0", "--format", "json", "--since", "2017-07-23", "x", NULL);
    expect_ok(&p, 14);
    assert_string_equal(o.host, "pc1");
    assert_string_equal(o.out, "f.out");
    assert_int_equal(o.quiet, 1);
    assert_int_equal(o.count, 7);
    assert_int_equal(o.keep, 0);
    assert_int_equal(o.fmt, 2);
    assert_true(o.range.since_us == 1500768000LL * 1000000);
    assert_int_equal(o.range.days, 0);

    /* =value, attached short values, clusters, unique abbreviations */
    struct t_opts o2 = DEFAULTS;
    parse(&t_cmd, &o2, &p, "--host=pc2", "-qof2", "--cou", "3", "--format=ndjson",
          "--days", "30", NULL);
    expect_ok(&p, 8);
    assert_string_equal(o2.host, "pc2");
    assert_string_equal(o2.out, "f2");
    assert_int_equal(o2.quiet, 1);
    assert_int_equal(o2.count, 3);
    assert_int_equal(o2.fmt, 2);
    assert_int_equal(o2.range.days, 30);
    assert_true(o2.range.since_us == 0);
}

static void test_defaults_kept(void **state)
{
    struct t_opts o = DEFAULTS;
    struct parsed p;
    (void)state;

    parse(&t_cmd, &o, &p, NULL);
    expect_ok(&p, 1);
    assert_string_equal(o.host, "dflt");
    assert_null(o.out);
    assert_int_equal(o.quiet, 0);
    assert_int_equal(o.count, 5);
    assert_int_equal(o.keep, -1);
}

static void test_unknown_option(void **state)
{
    struct t_opts o = DEFAULTS;
    struct parsed p;
    (void)state;

    parse(&t_cmd, &o, &p, "--bogus", NULL);
    expect_error(&p, "unknown option '--bogus'");
    parse(&t_cmd, &o, &p, "--bogus=1", NULL);
    expect_error(&p, "unknown option '--bogus=1'");
    parse(&t_cmd, &o, &p, "-x", NULL);
    expect_error(&p, "unknown option '-x'");
    /* inside a cluster: the letter that is wrong, not the cluster */
    parse(&t_cmd, &o, &p, "-qx", NULL);
    expect_error(&p, "unknown option '-x'");
    /* a long option's name as a short one */
    parse(&t_cmd, &o, &p, "-H", "pc", NULL);
    expect_error(&p, "unknown option '-H'");
    /* a flag given a value */
    parse(&t_cmd, &o, &p, "--quiet=yes", NULL);
    expect_error(&p, "option '--quiet' takes no value");
    parse(&t_cmd, &o, &p, "--qui=1", NULL);
    expect_error(&p, "option '--qui' takes no value");
    /* a negative number is an option unless the command says otherwise */
    parse(&t_cmd, &o, &p, "-2147023838", NULL);
    expect_error(&p, "unknown option '-2'");
}

static void test_missing_argument(void **state)
{
    struct t_opts o = DEFAULTS;
    struct parsed p;
    (void)state;

    parse(&t_cmd, &o, &p, "--host", NULL);
    expect_error(&p, "option '--host' needs a value");
    parse(&t_cmd, &o, &p, "--ho", NULL);
    expect_error(&p, "option '--ho' needs a value");
    parse(&t_cmd, &o, &p, "-o", NULL);
    expect_error(&p, "option '-o' needs a value");
    parse(&t_cmd, &o, &p, "-qo", NULL);
    expect_error(&p, "option '-o' needs a value");
    parse(&t_cmd, &o, &p, "--output", NULL);
    expect_error(&p, "option '--output' needs a value");
    parse(&t_cmd, &o, &p, "--quiet", "--days", NULL);
    expect_error(&p, "option '--days' needs a value");
    /* the next argument is the value, even when it looks like an option */
    struct t_opts o2 = DEFAULTS;
    parse(&t_cmd, &o2, &p, "--host", "--quiet", NULL);
    expect_ok(&p, 3);
    assert_string_equal(o2.host, "--quiet");
    assert_int_equal(o2.quiet, 0);
}

static void test_bad_number(void **state)
{
    static const char *const bad[] = {"x", "0", "11", "5x", "", " ", "-1", "+",
                                      "99999999999999999999999", "1.5", "0x5"};
    struct t_opts o = DEFAULTS;
    struct parsed p;
    char msg[128];
    (void)state;

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        parse(&t_cmd, &o, &p, "--count", bad[i], NULL);
        snprintf(msg, sizeof msg, "--count wants 1..10, not '%s'", bad[i]);
        expect_error(&p, msg);
    }
    assert_int_equal(o.count, 5);       /* untouched by the failures */
    parse(&t_cmd, &o, &p, "--keep-days", "36501", NULL);
    expect_error(&p, "--keep-days wants a number of days, not '36501'");
    parse(&t_cmd, &o, &p, "--keep-days=-3", NULL);
    expect_error(&p, "--keep-days wants a number of days, not '-3'");
    parse(&t_cmd, &o, &p, "--days", "0", NULL);
    expect_error(&p, "--days wants a number of days, not '0'");
    parse(&t_cmd, &o, &p, "--days", "36501", NULL);
    expect_error(&p, "--days wants a number of days, not '36501'");
    parse(&t_cmd, &o, &p, "--since", "yesterday", NULL);
    expect_error(&p, "--since wants YYYY-MM-DD, not 'yesterday'");
    parse(&t_cmd, &o, &p, "--format", "xml", NULL);
    expect_error(&p, "unknown format 'xml' (text or json)");
    parse(&t_cmd, &o, &p, "--format", "", NULL);
    expect_error(&p, "unknown format '' (text or json)");

    /* the edges that are fine */
    parse(&t_cmd, &o, &p, "--count", "10", "--keep-days", "36500", "--days", "36500", NULL);
    expect_ok(&p, 7);
    assert_int_equal(o.count, 10);
    assert_int_equal(o.keep, 36500);
    assert_int_equal(o.range.days, 36500);
}

static void test_repeated_option(void **state)
{
    struct t_opts o = DEFAULTS;
    struct parsed p;
    (void)state;

    parse(&t_cmd, &o, &p, "--host", "a", "--count", "2", "-q", "-q", "--host", "b",
          "--count", "9", "--format", "text", "--format", "json", NULL);
    expect_ok(&p, 15);
    assert_string_equal(o.host, "b");
    assert_int_equal(o.count, 9);
    assert_int_equal(o.quiet, 1);
    assert_int_equal(o.fmt, 2);

    /* --since and --days fill one range: the later one counts */
    struct t_opts o2 = DEFAULTS;
    parse(&t_cmd, &o2, &p, "--since", "2017-07-23", "--days", "3", NULL);
    expect_ok(&p, 5);
    assert_int_equal(o2.range.days, 3);
    assert_true(o2.range.since_us == 0);
    parse(&t_cmd, &o2, &p, "--days", "3", "--since", "2017-07-23", NULL);
    expect_ok(&p, 5);
    assert_int_equal(o2.range.days, 0);
    assert_true(o2.range.since_us == 1500768000LL * 1000000);

    /* a bad repetition is still an error */
    parse(&t_cmd, &o2, &p, "--count", "2", "--count", "x", NULL);
    expect_error(&p, "--count wants 1..10, not 'x'");
}

static void test_double_dash_and_operands(void **state)
{
    struct t_opts o = DEFAULTS;
    struct parsed p;
    (void)state;

    /* "--" ends the options: what follows is an operand, whatever it looks like */
    parse(&t_cmd, &o, &p, "--host", "a", "--", "--bogus", "-q", NULL);
    expect_ok(&p, 4);
    assert_string_equal(o.host, "a");
    assert_int_equal(o.quiet, 0);
    parse(&t_cmd, &o, &p, "--", NULL);
    expect_ok(&p, 2);
    parse(&t_cmd, &o, &p, "--", "--", NULL);
    expect_ok(&p, 2);
    /* options stop at the first operand ("-" is an operand too) */
    struct t_opts o2 = DEFAULTS;
    parse(&t_cmd, &o2, &p, "file", "--host", "b", NULL);
    expect_ok(&p, 1);
    assert_string_equal(o2.host, "dflt");
    parse(&t_cmd, &o2, &p, "-q", "-", "-q", NULL);
    expect_ok(&p, 2);

    /* NO_OPERANDS: any operand, also after "--", is an error */
    parse(&t_noops, &o, &p, "-q", NULL);
    expect_ok(&p, 2);
    parse(&t_noops, &o, &p, "--", NULL);
    expect_ok(&p, 2);
    parse(&t_noops, &o, &p, "-q", "extra", NULL);
    expect_error(&p, "unexpected argument 'extra'");
    parse(&t_noops, &o, &p, "--", "--quiet", NULL);
    expect_error(&p, "unexpected argument '--quiet'");

    /* NUMERIC_OPERANDS: -2147023838 is the first operand, not -2 -1 ... */
    struct t_opts o3 = DEFAULTS;
    parse(&t_numeric, &o3, &p, "-q", "-2147023838", "-q", NULL);
    expect_ok(&p, 2);
    assert_int_equal(o3.quiet, 1);
    parse(&t_numeric, &o3, &p, "-5", NULL);
    expect_ok(&p, 1);
    parse(&t_numeric, &o3, &p, "--", "-5", NULL);
    expect_ok(&p, 2);
    parse(&t_numeric, &o3, &p, "-o", "-5", NULL);    /* a value, not an operand */
    expect_ok(&p, 3);
    assert_string_equal(o3.out, "-5");
    parse(&t_numeric, &o3, &p, "-x", "-5", NULL);
    expect_error(&p, "unknown option '-x'");
}

/* A parse that stopped inside a cluster leaves nothing behind for the next. */
static void test_fresh_state_each_parse(void **state)
{
    struct t_opts o = DEFAULTS;
    struct parsed p;
    (void)state;

    parse(&t_cmd, &o, &p, "-qxq", NULL);
    expect_error(&p, "unknown option '-x'");
    struct t_opts o2 = DEFAULTS;
    parse(&t_cmd, &o2, &p, "--host", "h", NULL);
    expect_ok(&p, 3);
    assert_string_equal(o2.host, "h");
    assert_int_equal(o2.quiet, 0);
    parse(&t_cmd, &o2, &p, "-q", "-o", NULL);
    expect_error(&p, "option '-o' needs a value");
    parse(&t_cmd, &o2, &p, "file", NULL);
    expect_ok(&p, 1);
}

/* No options at all (a NULL table): every option is unknown. */
static void test_no_option_table(void **state)
{
    static const struct command bare = {"t", NULL, 0, "", "", NULL};
    struct t_opts o = DEFAULTS;
    struct parsed p;
    (void)state;

    parse(&bare, &o, &p, "a", "b", NULL);
    expect_ok(&p, 1);
    parse(&bare, &o, &p, "--host", "a", NULL);
    expect_error(&p, "unknown option '--host'");
}

/* The real commands: one entry each, found by name, names not repeated. */
static void test_command_entries(void **state)
{
    (void)state;
    assert_int_equal(commands_len, 10);
    for (size_t i = 0; i < commands_len; i++) {
        const struct command *c = commands[i];
        char *usage = tu_fmt("usage: wudiag %s", c->name);

        assert_ptr_equal(command_find(c->name), c);
        assert_non_null(c->fn);
        assert_non_null(c->summary);
        if (strncmp(c->usage, usage, strlen(usage)) != 0)
            fail_msg("%s: usage starts \"%.40s\"", c->name, c->usage);
        free(usage);
        for (const struct cli_option *a = c->options; a && a->name; a++)
            for (const struct cli_option *b = a + 1; b->name; b++) {
                if (strcmp(a->name, b->name) == 0)
                    fail_msg("%s: --%s twice", c->name, a->name);
                if (a->short_name && a->short_name == b->short_name)
                    fail_msg("%s: -%c twice", c->name, a->short_name);
            }
    }
    assert_ptr_equal(command_find("import"), &cmd_import_entry);
    assert_ptr_equal(command_find("prune"), &cmd_prune_entry);
    assert_ptr_equal(command_find("compare"), &cmd_compare_entry);
    assert_ptr_equal(command_find("fix"), &cmd_fix_entry);
    assert_null(command_find("nosuch"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values_by_type),
        cmocka_unit_test(test_defaults_kept),
        cmocka_unit_test(test_unknown_option),
        cmocka_unit_test(test_missing_argument),
        cmocka_unit_test(test_bad_number),
        cmocka_unit_test(test_repeated_option),
        cmocka_unit_test(test_double_dash_and_operands),
        cmocka_unit_test(test_fresh_state_each_parse),
        cmocka_unit_test(test_no_option_table),
        cmocka_unit_test(test_command_entries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
