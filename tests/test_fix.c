/*
 * test_fix.c - `wudiag fix`, the remediation script (report/script_render.c,
 * src/cmd_fix.c, the catalog's command facts in vocab/kb_cmds.c):
 *
 *   - golden: samples/report/golden.xml gives samples/golden/fix.cmd and
 *     fix.ps1 byte for byte (tools/update-golden.sh regenerates them);
 *   - the shared cases with open findings (rkudache31, zayrexdev,
 *     system-win10-2017, fukusuket, infinito1977, rajafahad, scarlaglen:
 *     every case of ../shared/data/cases that is not healthy): the script's
 *     first fix is the report's fix for
 *     its first finding, every open finding's fix follows in the report's
 *     order, and each fix's steps are the catalog's commands in order;
 *   - the catalog facts: each row names a fix and a command that exist,
 *     and every kind that needs a note has one;
 *   - the .cmd under Wine's cmd (fresh WINEPREFIX): the real script of
 *     rkudache31 runs every step, changes the registry as the fix says,
 *     writes the transcript and runs again without failing (idempotent);
 *     with a fake net.exe on PATH the elevation check refuses to go on, an
 *     exit code the catalog says means "done" is accepted, and a failing
 *     step stops the script with no later step run;
 *   - hostile evidence (samples/report/fix-hostile.xml: quotes, & | % ^ `
 *     $( ) !, typographic quotes, CR/LF, U+2028, U+0085): in the .cmd it is
 *     only in rem lines, which hold none of % (undoubled) ^ & | < >; run
 *     under Wine nothing of it executes; in the .ps1 a small PowerShell
 *     tokenizer finds it only in comments and single-quoted literals, and
 *     every argument that came from evidence is one single-quoted literal;
 *   - (fuzz/fuzz_script.c, replayed by test_regress, checks the same for any
 *     input: evidence changes only comments and literal contents);
 *   - a step that needs a person is a pause with the catalog's
 *     instructions, never run; nothing to fix writes nothing and exits 0;
 *     --run is refused outside Windows before anything is written.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"
#include "diagnosis/diagnose.h"
#include "report/script_render.h"
#include "util/strbuf.h"
#include "vocab/kb.h"
#include "vocab/model.h"

#define EPOCH       "1767225600"            /* 2026-01-01 00:00:00 UTC */
#define GOLDEN_XML  "samples/report/golden.xml"
#define HOSTILE_XML "samples/report/fix-hostile.xml"
#define MARK        "PWNED"                 /* in every hostile payload */

static int setup(void **state)
{
    return tu_fx_setup_named(state, "fix.db");
}


/* Import files (already shell-quoted, space-separated) into db, from the
 * repository root; exit 0 or 1 (damaged input kept) accepted. */
static void import(const char *db, const char *host, const char *files)
{
    struct tu_run r;
    tu_run(&r, "cd %s && %s --db %s import %s%s %s", tu_shq(tu_src()), tu_shq(tu_bin()),
           tu_shq(db), host ? "--host " : "", host ? tu_shq(host) : "", files);
    if (r.status != 0 && r.status != 1) {
        tu_run_dump(&r);
        fail_msg("import failed");
    }
    tu_run_free(&r);
}

/* `wudiag --db DB fix ARGS` from the repository root at the fixed time. */
static int fix(struct tu_run *r, const char *db, const char *args)
{
    return tu_run(r, "cd %s && SOURCE_DATE_EPOCH=" EPOCH " %s --db %s fix %s",
                  tu_shq(tu_src()), tu_shq(tu_bin()), tu_shq(db), args);
}

/* The script for db in fmt, as a string (malloc'd). */
static char *script(const char *db, const char *fmt, const char *host)
{
    struct tu_run r;
    char *args = tu_fmt("--format %s -o -%s%s", fmt, host ? " --host " : "",
                        host ? tu_shq(host) : "");
    fix(&r, db, args);
    tu_assert_exit(&r, 0);
    char *s = tu_strdup(r.out);
    tu_run_free(&r);
    free(args);
    return s;
}

/* Lines of s (CRLF or LF) as a NULL-terminated array; free lines[0], lines. */
static char **split_lines(const char *s, size_t *n)
{
    char *copy = tu_strdup(s), **v = NULL;
    size_t cap = 0;
    *n = 0;
    for (char *p = copy; *p;) {
        char *e = strchr(p, '\n');
        if (e)
            *e = '\0';
        if (e && e > p && e[-1] == '\r')
            e[-1] = '\0';
        if (*n + 2 > cap) {
            cap = cap ? cap * 2 : 64;
            v = realloc(v, cap * sizeof *v);
            if (!v)
                fail_msg("out of memory");
        }
        v[(*n)++] = p;
        if (!e)
            break;
        p = e + 1;
    }
    if (!v) {
        v = malloc(2 * sizeof *v);
        if (!v)
            fail_msg("out of memory");
        v[0] = copy;
    }
    v[*n] = NULL;
    if (*n == 0)
        v[0] = copy;
    return v;
}

static void free_lines(char **v)
{
    free(v[0]);
    free(v);
}

/* ---- golden --------------------------------------------------------------------- */

static void compare_golden(struct tu_fx *f, const char *fmt, const char *golden)
{
    char *gpath = tu_src_file(golden);
    size_t glen;
    char *want = tu_read_file(gpath, &glen);
    char *got;

    import(f->db, NULL, GOLDEN_XML);
    got = script(f->db, fmt, NULL);
    if (strlen(got) != glen || memcmp(got, want, glen) != 0) {
        char *p = tu_fmt("%s/actual.%s", f->dir, fmt);
        struct tu_run d;
        tu_write_str(p, got);
        tu_run(&d, "diff -u %s %s | head -60", tu_shq(gpath), tu_shq(p));
        print_message("%s", d.out);
        tu_run_free(&d);
        fail_msg("fix --format %s differs from %s; if the change is intended, run "
                 "tools/update-golden.sh and review the diff", fmt, golden);
    }
    free(got);
    free(want);
    free(gpath);
}

static void test_golden_cmd(void **state)
{
    compare_golden(*state, "cmd", "samples/golden/fix.cmd");
}

static void test_golden_ps1(void **state)
{
    compare_golden(*state, "ps1", "samples/golden/fix.ps1");
}

/* ---- the steps are the report's fixes, in order ------------------------------------ */

/* The open findings' fix ids of the JSON report, first finding first,
 * without repeats, one per line (malloc'd). */
static char *report_fixes(const char *db, const char *host)
{
    struct tu_run r;
    char *json = tu_fmt("%s.json", db);
    tu_run(&r, "SOURCE_DATE_EPOCH=" EPOCH " %s --db %s report --format json --host %s -o %s",
           tu_bin(), tu_shq(db), tu_shq(host), tu_shq(json));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    tu_run(&r, "python3 -c %s %s",
           tu_shq("import json,sys\n"
                  "d=json.load(open(sys.argv[1]))\n"
                  "seen=[]\n"
                  "for f in d['findings']:\n"
                  "    if f['resolved'] or f['severity']=='info' or not f['fix']: continue\n"
                  "    if f['fix']['id'] not in seen: seen.append(f['fix']['id'])\n"
                  "print('\\n'.join(seen))\n"), tu_shq(json));
    tu_assert_exit(&r, 0);
    char *s = tu_strdup(r.out);
    tu_run_free(&r);
    free(json);
    return s;
}

/* KB_CMD_PERSON or KB_CMD_LAST when the catalog says command is a
 * person's step or a restart (not run in its fix's block), else 0. */
static int not_run(const char *fix_id, const char *command)
{
    const struct kb_cmd_fact *k;
    size_t pos = 0;
    while ((k = kb_cmd_fact_next(fix_id, command, &pos)))
        if (k->kind == KB_CMD_PERSON || k->kind == KB_CMD_LAST)
            return (int)k->kind;
    return 0;
}

/* The script's fixes ("======== Fix K of N: ID - ...") one per line, and
 * each step's command in order for the fix named first. */
static void check_script_steps(const char *text, const char *want_fixes)
{
    size_t n;
    char **l = split_lines(text, &n);
    struct strbuf got;
    const struct kb_fix *first = NULL;
    int cmd_idx = 0, in_first = 0;

    sb_init(&got);
    for (size_t i = 0; i < n; i++) {
        const char *p = strstr(l[i], "======== Fix ");
        if (strncmp(l[i], "rem ======== Last:", 18) == 0)
            in_first = 0;
        if (p && strncmp(l[i], "rem ", 4) == 0) {
            p = strstr(p, ": ");
            assert_non_null(p);
            p += 2;
            size_t len = strcspn(p, " ");
            sb_printf(&got, "%.*s\n", (int)len, p);
            if (!first) {
                char *id = tu_fmt("%.*s", (int)len, p);
                first = kb_fix_find(id);
                assert_non_null(first);
                free(id);
                in_first = 1;
            } else {
                in_first = 0;
            }
        }
        /* the step's command: its echo line in the .cmd main flow */
        if (in_first && strncmp(l[i], ">>\"%WUDIAG_LOG%\" echo [step ", 28) == 0 &&
            (p = strstr(l[i], "] run: ")) != NULL) {
            /* the subroutine holds the command as typed */
            char *label = tu_fmt(":wudiag_step%d", atoi(l[i] + 28));
            size_t k;
            for (k = 0; k < n && strcmp(l[k], label) != 0; k++)
                ;
            assert_true(k + 1 < n);
            /* a person's step has no subroutine; a restart comes last */
            while (first->commands[cmd_idx] && not_run(first->id, first->commands[cmd_idx]))
                cmd_idx++;
            assert_non_null(first->commands[cmd_idx]);
            assert_string_equal(l[k + 1], first->commands[cmd_idx]);
            cmd_idx++;
            free(label);
        }
    }
    assert_non_null(got.buf);
    if (strcmp(got.buf, want_fixes) != 0) {
        print_message("script fixes:\n%s\nreport fixes:\n%s\n", got.buf, want_fixes);
        fail_msg("the script's fixes are not the report's");
    }
    /* every command of the first fix that is run is there (person steps
     * are printed, not run: they have no subroutine) */
    sb_free(&got);
    free_lines(l);
}

static void shared_case(struct tu_fx *f, const char *host, const char *files)
{
    char *paths = tu_strdup("");
    char *list = tu_strdup(files);
    for (char *t = strtok(list, " "); t; t = strtok(NULL, " ")) {
        char *p = tu_data_file(t);
        char *np = tu_fmt("%s %s", paths, tu_shq(p));
        free(paths);
        paths = np;
        free(p);
    }
    import(f->db, strcmp(host, "-") ? host : NULL, paths);
    const char *h = host;
    struct tu_run r = {0};
    if (strcmp(host, "-") == 0) {
        /* the one host the log names */
        tu_run(&r, "%s --db %s report --format json | python3 -c %s", tu_bin(), tu_shq(f->db),
               tu_shq("import json,sys; print(json.load(sys.stdin)['host'])"));
        tu_assert_exit(&r, 0);
        r.out[strcspn(r.out, "\n")] = '\0';
        h = r.out;
    }
    char *want = report_fixes(f->db, h);
    assert_true(strlen(want) > 1);
    char *cmd = script(f->db, "cmd", h);
    check_script_steps(cmd, want);
    /* the .ps1 has the same fixes in the same order, the same commands */
    char *ps1 = script(f->db, "ps1", h);
    const struct kb_fix *fx = NULL;
    char *id = tu_fmt("%.*s", (int)strcspn(want, "\n"), want);
    assert_non_null(fx = kb_fix_find(id));
    for (int i = 0; fx->commands[i]; i++) {
        struct strbuf q;
        sb_init(&q);
        script_ps1_literal(&q, fx->commands[i], 100000);
        if (strncmp(fx->commands[i], "set ", 4) != 0 && !strstr(ps1, q.buf))
            fail_msg("the .ps1 lacks the command %s of %s", fx->commands[i], id);
        sb_free(&q);
    }
    tu_run_free(&r);
    free(id);
    free(ps1);
    free(cmd);
    free(want);
    free(list);
    free(paths);
}

static void test_case_rkudache31(void **state)
{
    shared_case(*state, "RKUDACHE31", "cases/rkudache31-win7-wulog/WindowsUpdate.log");
}

static void test_case_zayrexdev(void **state)
{
    shared_case(*state, "ZAYREXDEV", "cases/zayrexdev-win11-wulog/WindowsUpdate.log");
}

static void test_case_system_win10_2017(void **state)
{
    shared_case(*state, "-", "evtx/system-win10-2017.evtx");
}

static void test_case_more(void **state)
{
    struct tu_fx *f = *state;
    static const char *const cases[][2] = {
        {"-", "cases/fukusuket-win11-ja/System.evtx cases/fukusuket-win11-ja/Setup.evtx "
              "cases/fukusuket-win11-ja/WindowsUpdateClient-Operational.evtx "
              "cases/fukusuket-win11-ja/Bits-Client-Operational.evtx"},
        {"INFINITO1977", "cases/infinito1977-win7-cbs/CBS.log"},
        {"RAJAFAHAD", "cases/rajafahad-win10-store403/WindowsUpdate.log"},
        {"SCARLAGLEN", "cases/scarlaglen-win11-sfc/CBS.log"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct tu_run r;
        tu_run(&r, "rm -f %s %s-wal %s-shm", tu_shq(f->db), tu_shq(f->db), tu_shq(f->db));
        tu_run_free(&r);
        shared_case(f, cases[i][0], cases[i][1]);
    }
}

/* ---- the catalog's facts name what exists ----------------------------------------- */

static int command_matches(const char *row, const char *command)
{
    size_t n = strlen(row);
    return n && row[n - 1] == ' ' ? strncmp(row, command, n) == 0 : strcmp(row, command) == 0;
}

static void test_catalog_facts(void **state)
{
    (void)state;
    assert_true(kb_cmd_facts_len > 10);
    for (size_t i = 0; i < kb_cmd_facts_len; i++) {
        const struct kb_cmd_fact *f = &kb_cmd_facts[i];
        size_t uses = 0;
        assert_non_null(f->command);
        if (!f->note || !*f->note)
            fail_msg("fact %zu (%s) has no note", i, f->command);
        if (f->kind == KB_CMD_OK_EXIT && f->code == 0)
            fail_msg("fact %zu (%s): exit code 0 needs no row", i, f->command);
        if (f->fix_id && !kb_fix_find(f->fix_id))
            fail_msg("fact %zu names the fix %s, which does not exist", i, f->fix_id);
        for (size_t k = 0; k < kb_fixes_len; k++) {
            if (f->fix_id && strcmp(f->fix_id, kb_fixes[k].id) != 0)
                continue;
            for (int c = 0; c < KB_MAX_STEPS && kb_fixes[k].commands[c]; c++)
                uses += (size_t)command_matches(f->command, kb_fixes[k].commands[c]);
        }
        if (uses == 0)
            fail_msg("fact %zu: no command of %s is '%s'", i,
                     f->fix_id ? f->fix_id : "any fix", f->command);
    }
    /* the lookup: net stop's exit code 2, a person's step in one fix only */
    size_t pos = 0;
    const struct kb_cmd_fact *k = kb_cmd_fact_next("reset-wu-components", "net stop bits", &pos);
    assert_non_null(k);
    assert_int_equal(k->kind, KB_CMD_OK_EXIT);
    assert_int_equal(k->code, 2);
    pos = 0;
    k = kb_cmd_fact_next("dism-restorehealth-source",
                         "DISM /Get-WimInfo /WimFile:D:\\sources\\install.wim", &pos);
    assert_non_null(k);
    assert_int_equal(k->kind, KB_CMD_PERSON);
    pos = 0;
    assert_null(kb_cmd_fact_next("enable-wuauserv",
                                 "DISM /Get-WimInfo /WimFile:D:\\sources\\install.wim", &pos));
}

/* ---- a person's step: printed and paused, never run ----------------------------- */

static void test_person_step(void **state)
{
    (void)state;
    struct model *m = model_new();
    struct diagnosis d;
    struct script_info si = {"test", 1767225600LL * 1000000};
    char *buf = NULL;
    size_t len = 0;
    FILE *fp;

    assert_non_null(m);
    memset(&d, 0, sizeof d);
    m->host = model_strdup(m, "PC-PERSON");
    struct finding *f = finding_new(&d, "sfc-result", SEV_WARNING, "dism-restorehealth-source");
    assert_non_null(f);
    finding_set_title(f, "SFC found corrupt files it could not repair");
    f->count = 1;
    d.verdict = VERDICT_WARNING;
    for (int fmt = SCRIPT_CMD; fmt <= SCRIPT_PS1; fmt++) {
        fp = open_memstream(&buf, &len);
        assert_non_null(fp);
        assert_int_equal(script_render((enum script_format)fmt, m, &d, &si, fp), 0);
        fclose(fp);
        const struct kb_fix *fx = kb_fix_find("dism-restorehealth-source");
        for (int i = 0; fx->commands[i]; i++) {
            int person = not_run(fx->id, fx->commands[i]) == KB_CMD_PERSON;
            if (fmt == SCRIPT_CMD) {
                /* run steps have a subroutine with the command; person steps none */
                char *sub = tu_fmt("\r\n%s\r\nexit /b %%errorlevel%%", fx->commands[i]);
                if (person != !strstr(buf, sub))
                    fail_msg("%s: %s", fx->commands[i], person ? "a person's step is run"
                                                                 : "a step is not run");
                free(sub);
            } else {
                struct strbuf q;
                sb_init(&q);
                sb_adds(&q, person ? "-Command " : "Invoke-WudiagStep -Step ");
                if (person)
                    script_ps1_literal(&q, fx->commands[i], 100000);
                assert_non_null(strstr(buf, q.buf));
                sb_free(&q);
            }
        }
        if (fmt == SCRIPT_CMD) {
            assert_non_null(strstr(buf, "echo [step 1] By hand: Mount a Windows ISO"));
            assert_non_null(strstr(buf, "pause >nul"));
        } else {
            assert_non_null(strstr(buf, "Wait-WudiagPerson -Step 1 -Instructions @('Mount a Windows ISO"));
            assert_non_null(strstr(buf, "Invoke-WudiagStep -Step 4 -Command 'sfc /scannow'"));
        }
        free(buf);
        buf = NULL;
    }
    diagnosis_free(&d);
    model_free(m);
}

/* ---- nothing to fix; --run --------------------------------------------------------- */

static void test_nothing_to_fix(void **state)
{
    struct tu_fx *f = *state;
    struct tu_run r;
    char *p = tu_data_file("cases/4renwald-healthy/System.evtx");
    char *out = tu_path(f->dir, "healthy.cmd");
    import(f->db, NULL, tu_shq(p));
    char *args = tu_fmt("-o %s", tu_shq(out));
    fix(&r, f->db, args);
    tu_assert_exit(&r, 0);
    assert_non_null(strstr(r.out, "Nothing to fix for "));
    assert_non_null(strstr(r.out, "no script written"));
    assert_false(tu_exists(out));
    tu_run_free(&r);
    /* nor the default name in the current directory */
    tu_run(&r, "cd %s && %s --db %s fix && ls", tu_shq(f->dir), tu_bin(), tu_shq(f->db));
    tu_assert_exit(&r, 0);
    assert_null(strstr(r.out, "wudiag-fix-"));
    tu_run_free(&r);
    free(args);
    free(out);
    free(p);
}

static void test_run_refused_here(void **state)
{
    struct tu_fx *f = *state;
    struct tu_run r;
    import(f->db, NULL, GOLDEN_XML);
    tu_run(&r, "cd %s && %s --db %s fix --run --yes; echo rc=$?; ls", tu_shq(f->dir), tu_bin(),
           tu_shq(f->db));
    assert_non_null(strstr(r.err, "--run works only on Windows"));
    assert_non_null(strstr(r.out, "rc=2"));
    assert_null(strstr(r.out, "wudiag-fix-"));
    tu_run_free(&r);
    /* the default name: the host's, in the current directory */
    tu_run(&r, "cd %s && %s --db %s fix --format ps1 && ls", tu_shq(f->dir), tu_bin(),
           tu_shq(f->db));
    tu_assert_exit(&r, 0);
    assert_non_null(strstr(r.out, "wudiag-fix-PC-GOLDEN.ps1"));
    tu_run_free(&r);
    /* several hosts: --host is needed */
    import(f->db, NULL, "samples/xml/two-machines.xml");
    fix(&r, f->db, "-o -");
    tu_assert_exit(&r, 2);
    assert_non_null(strstr(r.err, "--host"));
    tu_run_free(&r);
    fix(&r, f->db, "--host NO-SUCH-HOST -o -");
    tu_assert_exit(&r, 3);
    tu_run_free(&r);
}

/* ---- hostile evidence ------------------------------------------------------------ */

/* cmd: every line with the marker is a rem line, and no rem line holds a
 * character cmd could act on (a lone %, ^ & | < >, a control character,
 * non-ASCII). */
static void check_cmd_text(const char *text)
{
    size_t n;
    char **l = split_lines(text, &n);
    int marks = 0;
    for (size_t i = 0; i < n; i++) {
        const char *s = l[i];
        int is_rem = strncmp(s, "rem ", 4) == 0 || strcmp(s, "rem") == 0;
        if (strstr(s, MARK)) {
            marks++;
            if (!is_rem)
                fail_msg("line %zu holds evidence outside a comment: %s", i + 1, s);
        }
        if (!is_rem)
            continue;
        for (const char *p = s + 3; *p; p++) {
            unsigned char c = (unsigned char)*p;
            if (c == '%') {
                if (p[1] != '%')
                    fail_msg("line %zu: a lone %% in a comment: %s", i + 1, s);
                p++;
            } else if (strchr("^&|<>", c) || c < 0x20 || c >= 0x7F) {
                fail_msg("line %zu: '%c' (0x%02X) in a comment: %s", i + 1, c, c, s);
            }
        }
    }
    assert_true(marks > 0);         /* the evidence is there, in comments */
    free_lines(l);
}

/*
 * PowerShell, as far as these scripts go: # comments to the end of the
 * line, <# #> block comments, '...' literals ('' and the typographic
 * single quotes doubled), "..." strings (` escapes, "" doubled), and code.
 * Fills kinds[i] for each byte: 'c' comment, 's' single-quoted literal
 * (quotes included), 'd' double-quoted, 'x' code.  Fails on an unclosed
 * string.  Returns the number of single-quoted literals.
 */
static int ps1_quote_at(const unsigned char *p)
{
    if (*p == '\'')
        return 1;
    /* U+2018..U+201B: E2 80 98..9B */
    if (p[0] == 0xE2 && p[1] == 0x80 && p[2] >= 0x98 && p[2] <= 0x9B)
        return 3;
    return 0;
}

static int ps1_tokenize(const char *text, char *kinds)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t n = strlen(text), i = 0;
    int lits = 0;

    while (i < n) {
        int q;
        if (s[i] == '#') {
            while (i < n && s[i] != '\n' && s[i] != '\r')
                kinds[i++] = 'c';
        } else if (s[i] == '<' && i + 1 < n && s[i + 1] == '#') {
            size_t start = i;
            while (i < n && !(s[i] == '#' && i + 1 < n && s[i + 1] == '>'))
                kinds[i++] = 'c';
            if (i >= n)
                fail_msg("unclosed <# comment at byte %zu", start);
            kinds[i++] = 'c';
            kinds[i++] = 'c';
        } else if ((q = ps1_quote_at(s + i)) != 0) {
            size_t start = i;
            for (int k = 0; k < q; k++)
                kinds[i++] = 's';
            for (;;) {
                if (i >= n)
                    fail_msg("unclosed '...' at byte %zu", start);
                if (s[i] == '\n' || s[i] == '\r')
                    fail_msg("a '...' literal spans lines at byte %zu", start);
                int q2 = ps1_quote_at(s + i);
                if (q2) {
                    int q3 = ps1_quote_at(s + i + q2);
                    if (q3) {           /* doubled: one quote inside */
                        for (int k = 0; k < q2 + q3; k++)
                            kinds[i++] = 's';
                        continue;
                    }
                    for (int k = 0; k < q2; k++)
                        kinds[i++] = 's';
                    break;
                }
                kinds[i++] = 's';
            }
            lits++;
        } else if (s[i] == '"') {
            size_t start = i;
            kinds[i++] = 'd';
            for (;;) {
                if (i >= n)
                    fail_msg("unclosed \"...\" at byte %zu", start);
                if (s[i] == '`' && i + 1 < n) {
                    kinds[i++] = 'd';
                    kinds[i++] = 'd';
                    continue;
                }
                if (s[i] == '"') {
                    if (i + 1 < n && s[i + 1] == '"') {
                        kinds[i++] = 'd';
                        kinds[i++] = 'd';
                        continue;
                    }
                    kinds[i++] = 'd';
                    break;
                }
                kinds[i++] = 'd';
            }
        } else {
            kinds[i++] = 'x';
        }
    }
    return lits;
}

/* Every marker lies in a comment or a single-quoted literal; every value
 * of -Finding, -Title and $WudiagHost is exactly one literal. */
static void check_ps1_text(const char *text, int want_marks)
{
    size_t n = strlen(text);
    char *kinds = malloc(n + 1);
    int marks = 0;
    assert_non_null(kinds);
    assert_memory_equal(text, "\xEF\xBB\xBF", 3);        /* read as UTF-8 */
    int lits = ps1_tokenize(text + 3, kinds + 3);
    memset(kinds, 'c', 3);
    assert_true(lits > 10);
    for (const char *p = strstr(text, MARK); p; p = strstr(p + 1, MARK)) {
        size_t at = (size_t)(p - text);
        marks++;
        for (size_t k = at; k < at + strlen(MARK); k++)
            if (kinds[k] != 'c' && kinds[k] != 's')
                fail_msg("evidence in code (kind %c) at byte %zu: %.60s", kinds[k], at, p);
    }
    if (want_marks)
        assert_true(marks > 0);
    static const char *const args[] = {" -Finding ", " -Title ", "$WudiagHost = ",
                                       " -Question ", " -Command ", " -Instructions @("};
    for (size_t a = 0; a < sizeof args / sizeof args[0]; a++) {
        for (const char *p = strstr(text, args[a]); p; p = strstr(p + 1, args[a])) {
            size_t at = (size_t)(p - text) + strlen(args[a]);
            if (kinds[at - 1] == 'c')
                continue;           /* in a comment */
            if (kinds[at] != 's' || !ps1_quote_at((const unsigned char *)text + at))
                fail_msg("%s is not followed by a single-quoted literal: %.60s", args[a],
                         text + at);
            /* the literal runs to its closing quote; then a separator */
            size_t e = at;
            while (e < n && kinds[e] == 's')
                e++;
            if (e < n && !strchr(" )\r,", text[e]))
                fail_msg("%s: the literal is followed by '%c'", args[a], text[e]);
        }
    }
    free(kinds);
}

static void test_hostile_cmd(void **state)
{
    struct tu_fx *f = *state;
    import(f->db, NULL, HOSTILE_XML);
    char *text = script(f->db, "cmd", NULL);
    check_cmd_text(text);
    /* the host name is never echoed: it is not plain */
    assert_non_null(strstr(text, "echo ==== wudiag fix script for this host started"));
    free(text);
}

static void test_hostile_ps1(void **state)
{
    struct tu_fx *f = *state;
    import(f->db, NULL, HOSTILE_XML);
    char *text = script(f->db, "ps1", NULL);
    check_ps1_text(text, 1);
    /* the typographic quote of the host name, doubled inside its literal */
    assert_non_null(strstr(text, "$WudiagHost = 'EVIL\" & echo PWNED-HOST>pwned-host.txt & "
                                 "\xE2\x80\x99\xE2\x80\x99 $(echo"));
    free(text);
    /* the golden script passes the same checks */
    char *g = tu_src_file("samples/golden/fix.ps1");
    char *gt = tu_read_file(g, NULL);
    check_ps1_text(gt, 0);
    free(gt);
    free(g);
}

/* The comment and literal helpers on their own. */
static void test_escaping_units(void **state)
{
    (void)state;
    struct strbuf sb;
    sb_init(&sb);
    script_comment_text(&sb, SCRIPT_CMD, "a%b^c&d|e<f>g\r\nh\xE2\x80\xA8i\xC3\xA9j\xFFk", 1000);
    assert_string_equal(sb.buf, "a%%b'c+d/e-f-g  h i?j?k");
    sb_reset(&sb);
    script_comment_text(&sb, SCRIPT_PS1, "a\nb\r#>\xC2\x85" "c\xC3\xA9", 1000);
    assert_string_equal(sb.buf, "a b #> c\xC3\xA9");
    sb_reset(&sb);
    script_ps1_literal(&sb, "it's \xE2\x80\x98x\xE2\x80\x99 \xE2\x80\x9A\xE2\x80\x9B\n$(y)", 1000);
    assert_string_equal(sb.buf, "'it''s \xE2\x80\x98\xE2\x80\x98x\xE2\x80\x99\xE2\x80\x99 "
                                "\xE2\x80\x9A\xE2\x80\x9A\xE2\x80\x9B\xE2\x80\x9B $(y)'");
    sb_reset(&sb);
    script_comment_text(&sb, SCRIPT_PS1, "abcdef", 3);
    assert_string_equal(sb.buf, "abc (3 more bytes)");
    sb_free(&sb);
}

/* ---- the .cmd under Wine's cmd ------------------------------------------------------ */

struct wine {
    char *dir;          /* scratch */
    char *prefix;       /* WINEPREFIX */
    char *fake;         /* a directory with a fake net.exe, for WINEPATH */
    char *db_rk, *db_za, *db_hostile;
};

#define WRUN(r, w, fmt, ...)                                                        \
    tu_run((r), "export WINEPREFIX=%s WINEDEBUG=-all WINEARCH=win64; " fmt,         \
           tu_shq((w)->prefix), __VA_ARGS__)

static const char fake_net_c[] =
    "/* net.exe for the tests: exit code from FAKE_NET_<VERB> (default 0) */\n"
    "#include <stdio.h>\n#include <stdlib.h>\n"
    "int main(int argc, char **argv) {\n"
    "    char name[64]; const char *v; int i;\n"
    "    snprintf(name, sizeof name, \"FAKE_NET_%s\", argc > 1 ? argv[1] : \"\");\n"
    "    for (i = 9; name[i]; i++) if (name[i] >= 'a' && name[i] <= 'z') name[i] -= 32;\n"
    "    v = getenv(name);\n"
    "    printf(\"fake net\");\n"
    "    for (i = 1; i < argc; i++) printf(\" %s\", argv[i]);\n"
    "    printf(\": exit %d\\n\", v ? atoi(v) : 0);\n"
    "    return v ? atoi(v) : 0;\n}\n";

static int wine_setup(void **state)
{
    struct wine *w = calloc(1, sizeof *w);
    if (!w)
        return -1;
    w->dir = tu_tempdir();
    w->prefix = tu_path(w->dir, "prefix");
    w->fake = tu_path(w->dir, "fake");
    w->db_rk = tu_path(w->dir, "rk.db");
    w->db_za = tu_path(w->dir, "za.db");
    w->db_hostile = tu_path(w->dir, "hostile.db");
    *state = w;
    return 0;
}

static int wine_teardown(void **state)
{
    struct wine *w = *state;
    struct tu_run r;
    if (w->prefix && tu_exists(w->prefix)) {
        WRUN(&r, w, "wineserver -k >/dev/null 2>&1; echo %s", "stopped");
        tu_run_free(&r);
    }
    tu_rmtree(w->dir);
    free(w->dir);
    free(w->prefix);
    free(w->fake);
    free(w->db_rk);
    free(w->db_za);
    free(w->db_hostile);
    free(w);
    return 0;
}

/* Boot the prefix, build the fake net.exe and the three scripts' DBs. */
static void wine_prepare(struct wine *w)
{
    struct tu_run r;
    if (tu_exists(w->prefix))
        return;
    if (tu_run(&r, "command -v wine && command -v x86_64-w64-mingw32-gcc") != 0) {
        tu_run_dump(&r);
        fail_msg("wine and mingw-w64 are needed (sh tools/deps.sh --test)");
    }
    tu_run_free(&r);
    WRUN(&r, w, "timeout 300 wineboot -i >/dev/null 2>&1; echo %s", "booted");
    tu_run_free(&r);
    char *src = tu_path(w->dir, "net.c");
    tu_run(&r, "mkdir -p %s", tu_shq(w->fake));
    tu_run_free(&r);
    tu_write_str(src, fake_net_c);
    tu_run(&r, "x86_64-w64-mingw32-gcc -O2 -o %s/net.exe %s", tu_shq(w->fake), tu_shq(src));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    free(src);
    char *rk = tu_data_file("cases/rkudache31-win7-wulog/WindowsUpdate.log");
    char *za = tu_data_file("cases/zayrexdev-win11-wulog/WindowsUpdate.log");
    import(w->db_rk, "RKUDACHE31", tu_shq(rk));
    import(w->db_za, "ZAYREXDEV", tu_shq(za));
    import(w->db_hostile, NULL, HOSTILE_XML);
    free(rk);
    free(za);
}

/* Write the .cmd of db into a fresh folder NAME; its path (malloc'd). */
static char *wine_script(struct wine *w, const char *db, const char *name)
{
    struct tu_run r;
    char *dir = tu_path(w->dir, name);
    char *path = tu_path(dir, "fix.cmd");
    tu_run(&r, "rm -rf %s && mkdir -p %s", tu_shq(dir), tu_shq(dir));
    tu_run_free(&r);
    char *args = tu_fmt("-o %s", tu_shq(path));
    fix(&r, db, args);
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    free(args);
    free(dir);
    return path;
}

/* Run a script under Wine's cmd from its own folder, stdin at its end (every
 * pause and question gets no answer); env: extra variables, fake: the fake
 * net.exe first on PATH.  Returns the exit code; *log the transcript. */
static int wine_cmd(struct wine *w, const char *script_path, const char *env, int fake,
                    char **log, char **out)
{
    struct tu_run r;
    char *dir = tu_strdup(script_path);
    *strrchr(dir, '/') = '\0';
    char *wpath = tu_fmt("Z:%s", w->fake);
    for (char *p = wpath; *p; p++)
        if (*p == '/')
            *p = '\\';
    WRUN(&r, w, "cd %s && %s %s%s timeout 120 wine cmd /c fix.cmd </dev/null", tu_shq(dir),
         env ? env : "", fake ? "WINEPATH=" : "", fake ? tu_shq(wpath) : "");
    int rc = r.status;
    char *logp = tu_path(dir, "fix.log");
    *log = tu_exists(logp) ? tu_read_file(logp, NULL) : tu_strdup("");
    if (out)
        *out = tu_strdup(r.out);
    tu_run_free(&r);
    free(logp);
    free(wpath);
    free(dir);
    return rc;
}

/* The real script of rkudache31 (enable-automatic-updates): every step
 * runs or is skipped (questions unanswered), AUOptions becomes 4 in Wine's
 * registry, the transcript has each step's output and exit code; a second
 * run succeeds too.  net.exe is the fake one (Wine's own times out starting
 * wuauserv in a fresh prefix); reg.exe is Wine's. */
static void test_wine_runs_rkudache31(void **state)
{
    struct wine *w = *state;
    struct tu_run r;
    char *log, *out;
    wine_prepare(w);
    char *path = wine_script(w, w->db_rk, "rk");
    int rc = wine_cmd(w, path, NULL, 1, &log, &out);
    if (rc != 0) {
        fprintf(stderr, "%s\n---- log ----\n%s", out, log);
        fail_msg("the script exited %d under Wine", rc);
    }
    assert_non_null(strstr(log, "==== wudiag fix script for RKUDACHE31 started"));
    assert_non_null(strstr(log, "running as administrator"));
    assert_non_null(strstr(log, "[step 2] run: reg add"));
    assert_non_null(strstr(log, "[step 2] exit code 0"));
    assert_non_null(strstr(log, "[step 1] exit code"));
    assert_non_null(strstr(log, "[step 4] skipped: the reader did not answer y"));
    assert_non_null(strstr(log, "[step 6] exit code"));
    assert_non_null(strstr(log, "==== done"));
    assert_null(strstr(log, "stopped"));
    /* the command's output is in the transcript too */
    assert_non_null(strstr(log, "reg: The operation completed successfully"));
    WRUN(&r, w, "wine reg query %s /v AUOptions",
         tu_shq("HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Auto Update"));
    tu_assert_exit(&r, 0);
    assert_non_null(strstr(r.out, "0x4"));
    tu_run_free(&r);
    free(log);
    free(out);
    /* again: everything is already done, nothing fails */
    rc = wine_cmd(w, path, NULL, 1, &log, &out);
    assert_int_equal(rc, 0);
    const char *second = strstr(log, "started");
    assert_non_null(second);
    assert_non_null(strstr(second + 1, "started"));
    assert_non_null(strstr(strstr(second + 1, "started"), "==== done"));
    free(log);
    free(out);
    free(path);
}

/* Not elevated (net session fails): nothing runs, exit 2, and it says so. */
static void test_wine_not_admin(void **state)
{
    struct wine *w = *state;
    char *log, *out;
    wine_prepare(w);
    char *path = wine_script(w, w->db_rk, "noadmin");
    int rc = wine_cmd(w, path, "FAKE_NET_SESSION=2", 1, &log, &out);
    assert_int_equal(rc, 2);
    assert_non_null(strstr(out, "must run as administrator"));
    assert_non_null(strstr(log, "==== stopped: not run as administrator"));
    assert_null(strstr(log, "[step"));
    free(log);
    free(out);
    free(path);
}

/* zayrexdev (reset-wu-components) with a net.exe whose stop says "not
 * started" (2) and whose start fails (5): each net stop is done, not a
 * failure; the first net start stops the script (exit 1) and no later step
 * runs.  (Wine's cmd runs "a && b" even when a fails, so the single
 * commands of this fix are the ones that show exit codes accepted.) */
static void test_wine_exit_codes(void **state)
{
    struct wine *w = *state;
    char *log, *out;
    wine_prepare(w);
    char *path = wine_script(w, w->db_za, "za");
    int rc = wine_cmd(w, path, "FAKE_NET_STOP=2 FAKE_NET_START=5", 1, &log, &out);
    if (rc != 1 || !strstr(log, "==== stopped: step 7 failed with exit code 5")) {
        fprintf(stderr, "%s\n---- log ----\n%s", out, log);
        fail_msg("exit %d, or not stopped at step 7", rc);
    }
    for (int step = 1; step <= 4; step++) {
        char *want = tu_fmt("[step %d] exit code 2 means done: the service was not started",
                            step);
        assert_non_null(strstr(log, want));
        free(want);
    }
    assert_non_null(strstr(log, "fake net stop msiserver: exit 2"));
    assert_non_null(strstr(log, "[step 7] run: net start msiserver"));
    assert_non_null(strstr(log, "fake net start msiserver: exit 5"));
    assert_null(strstr(log, "[step 8]"));
    assert_null(strstr(log, "fake net start cryptsvc"));
    assert_null(strstr(log, "==== done"));
    assert_non_null(strstr(out, "[step 7] failed with exit code 5: the script stops here."));
    free(log);
    free(out);
    free(path);
}

/* rkudache31's last step (net stop && net start) failing: exit 1, said on
 * the screen and in the transcript. */
static void test_wine_stops_at_failure(void **state)
{
    struct wine *w = *state;
    char *log, *out;
    wine_prepare(w);
    char *path = wine_script(w, w->db_rk, "rkfail");
    int rc = wine_cmd(w, path, "FAKE_NET_START=5", 1, &log, &out);
    if (rc != 1) {
        fprintf(stderr, "%s\n---- log ----\n%s", out, log);
        fail_msg("exit %d", rc);
    }
    assert_non_null(strstr(log, "[step 2] exit code 0"));
    assert_non_null(strstr(log, "fake net start wuauserv: exit 5"));
    assert_non_null(strstr(log, "==== stopped: step 6 failed with exit code 5"));
    assert_non_null(strstr(out, "[step 6] failed with exit code 5: the script stops here."));
    assert_null(strstr(log, "==== done"));
    free(log);
    free(out);
    free(path);
}

/* Hostile evidence under Wine's cmd: nothing of it runs (no file it would
 * create appears, no marker reaches the transcript or the screen). */
static void test_wine_hostile(void **state)
{
    struct wine *w = *state;
    struct tu_run r;
    char *log, *out;
    wine_prepare(w);
    char *path = wine_script(w, w->db_hostile, "hostile");
    int rc = wine_cmd(w, path, NULL, 1, &log, &out);
    assert_true(rc == 0 || rc == 1);
    assert_non_null(strstr(log, "running as administrator"));
    assert_null(strstr(log, MARK));
    assert_null(strstr(out, MARK));
    char *dir = tu_strdup(path);
    *strrchr(dir, '/') = '\0';
    tu_run(&r, "find %s %s -iname 'pwned*' | head -5", tu_shq(dir),
           tu_shq(w->prefix));
    if (r.out[0])
        fail_msg("hostile evidence ran: %s", r.out);
    tu_run_free(&r);
    free(dir);
    free(log);
    free(out);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_golden_cmd, setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_golden_ps1, setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_case_rkudache31, setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_case_zayrexdev, setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_case_system_win10_2017, setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_case_more, setup, tu_fx_teardown),
        cmocka_unit_test(test_catalog_facts),
        cmocka_unit_test(test_person_step),
        cmocka_unit_test(test_escaping_units),
        cmocka_unit_test_setup_teardown(test_nothing_to_fix, setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_run_refused_here, setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_hostile_cmd, setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_hostile_ps1, setup, tu_fx_teardown),
    };
    const struct CMUnitTest wine_tests[] = {
        cmocka_unit_test(test_wine_runs_rkudache31),
        cmocka_unit_test(test_wine_not_admin),
        cmocka_unit_test(test_wine_exit_codes),
        cmocka_unit_test(test_wine_stops_at_failure),
        cmocka_unit_test(test_wine_hostile),
    };
    int failed = cmocka_run_group_tests_name("fix", tests, NULL, NULL);
    failed += cmocka_run_group_tests_name("fix under Wine", wine_tests, wine_setup,
                                          wine_teardown);
    return failed ? 1 : 0;
}
