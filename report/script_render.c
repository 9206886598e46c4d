/*
 * script_render.c - `wudiag fix`'s remediation script (script_render.h):
 * the open findings' fixes, first finding first, each fix's commands as
 * numbered steps, as a cmd.exe batch file or a PowerShell script.
 *
 * Both formats do the same: check elevation first, log every command and
 * its exit code to SCRIPT.log beside the script, stop at the first step
 * that fails, accept the exit codes the catalog says mean "done", never
 * stop on a check, pause for a person, ask before a step only the reader
 * can choose, and restart last.  Where a command comes from and what it
 * needs is data (vocab/kb_fixes.c, vocab/kb_cmds.c); this file only
 * formats.
 *
 * cmd: each command is the body of a subroutine (`call :wudiag_stepN`
 * >OUT 2>&1), so that chains, its own redirections and `set` work as
 * typed; the output is shown and appended to the transcript.  ps1: each
 * command runs through cmd.exe /d /s /c exactly as typed (the catalog holds
 * cmd.exe commands), except the cmd built-in `set NAME=VALUE`, which
 * becomes $env:NAME for the steps after it.
 *
 * Hostile evidence: evidence (titles, event text, host, OS) is written
 * only into comments, one line each with line breaks flattened; in cmd
 * comments % is doubled, ^ & | < > become ' + / - - and non-ASCII ?.  A .ps1 shows the
 * finding's title and host as single-quoted literals (every quote
 * character PowerShell knows doubled; UTF-8 with a BOM, so that Windows
 * PowerShell does not read it in the ANSI code page); a .cmd echoes the
 * host only when it matches ^[A-Za-z0-9._-]+$ and a title only when it
 * uses no character cmd treats specially.
 */
#include "report/script_render.h"
#include "util/strbuf.h"
#include "util/timeutil.h"
#include "vocab/kb.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define NL "\r\n"               /* both formats: CRLF, as Windows writes them */
#define COMMENT_MAX 2000        /* bytes of one piece of evidence quoted */
#define COMMENT_WIDTH 100       /* a long comment continues on the next line */
#define MAX_OK 8

const char *script_ext(enum script_format fmt)
{
    return fmt == SCRIPT_PS1 ? "ps1" : "cmd";
}

static int is_open(const struct finding *f)
{
    return !f->resolved && f->severity >= SEV_WARNING && f->fix_id &&
           kb_fix_find(f->fix_id) != NULL;
}

size_t script_fixable(const struct diagnosis *d)
{
    size_t n = 0;
    for (size_t i = 0; i < d->n; i++)
        n += is_open(&d->findings[i]);
    return n;
}

/* ---- text made safe ------------------------------------------------------ */

/* One UTF-8 character at s (n bytes left): its code point and length;
 * -1 for a byte that starts no valid character (length 1). */
static long utf8_char(const unsigned char *s, size_t n, size_t *len)
{
    long c;
    size_t k, i;

    *len = 1;
    if (s[0] < 0x80)
        return s[0];
    if (s[0] >= 0xC2 && s[0] <= 0xDF) { k = 2; c = s[0] & 0x1F; }
    else if (s[0] >= 0xE0 && s[0] <= 0xEF) { k = 3; c = s[0] & 0x0F; }
    else if (s[0] >= 0xF0 && s[0] <= 0xF4) { k = 4; c = s[0] & 0x07; }
    else return -1;
    if (n < k)
        return -1;
    for (i = 1; i < k; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return -1;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if ((k == 3 && c < 0x800) || (k == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
        (c >= 0xD800 && c <= 0xDFFF))
        return -1;
    *len = k;
    return c;
}

/* A character that ends a line for PowerShell or for a reader. */
static int line_break(long c)
{
    return c < 0x20 || c == 0x7F || c == 0x85 || c == 0x2028 || c == 0x2029;
}

/* The characters PowerShell takes as a single quote. */
static int ps1_quote(long c)
{
    return c == '\'' || c == 0x2018 || c == 0x2019 || c == 0x201A || c == 0x201B;
}

static void more_bytes(struct strbuf *sb, size_t left)
{
    if (left)
        sb_printf(sb, " (%zu more bytes)", left);
}

void script_comment_text(struct strbuf *sb, enum script_format fmt, const char *s,
                         size_t max)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t n = strlen((const char *)p), i = 0, len;

    while (i < n && i < max) {
        long c = utf8_char(p + i, n - i, &len);
        if (c < 0 || line_break(c)) {
            sb_addc(sb, c < 0 ? '?' : ' ');
        } else if (fmt == SCRIPT_CMD) {
            if (c >= 0x80)
                sb_addc(sb, '?');
            else if (c == '%')
                sb_adds(sb, "%%");      /* a batch file's literal % */
            else if (strchr("^&|<>", (int)c))
                sb_addc(sb, "'+/--"[strchr("^&|<>", (int)c) - "^&|<>"]);
            else
                sb_addc(sb, (char)c);
        } else {
            sb_add(sb, (const char *)p + i, len);
        }
        i += len;
    }
    more_bytes(sb, n > i ? n - i : 0);
}

void script_ps1_literal(struct strbuf *sb, const char *s, size_t max)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t n = strlen((const char *)p), i = 0, len;

    sb_addc(sb, '\'');
    while (i < n && i < max) {
        long c = utf8_char(p + i, n - i, &len);
        if (c < 0 || line_break(c)) {
            sb_addc(sb, c < 0 ? '?' : ' ');
        } else {
            sb_add(sb, (const char *)p + i, len);
            if (ps1_quote(c))
                sb_add(sb, (const char *)p + i, len);   /* '' is one ' */
        }
        i += len;
    }
    more_bytes(sb, n > i ? n - i : 0);
    sb_addc(sb, '\'');
}

/* Catalog text after `echo ` in a batch file: % doubled, and outside
 * double quotes the characters cmd acts on escaped with ^. */
static void cmd_echo_text(struct strbuf *sb, const char *s)
{
    int quoted = 0;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c == 0x7F) {
            sb_addc(sb, ' ');
            continue;
        }
        if (c == '"')
            quoted = !quoted;
        if (c == '%')
            sb_addc(sb, '%');
        else if (!quoted && strchr("^&|<>()", c))
            sb_addc(sb, '^');
        sb_addc(sb, (char)c);
    }
}

/* Evidence a batch file may echo as it is: nothing cmd acts on. */
static int cmd_plain(const char *s, int host)
{
    if (!s || !*s)
        return 0;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        int ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                 (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        if (!ok && !host)
            ok = c != 0 && strchr(" ,:;/'+=\"()[]{}#@~*?", c) != NULL;
        if (!ok)
            return 0;
    }
    return 1;
}

/* ---- the plan: fixes, their commands and what is known of them ------------ */

struct cmdinfo {
    enum kb_cmd_kind kind;      /* 0: run it, it must exit 0 */
    const char *note;
    const char *if_fails;       /* KB_CMD_IF_FAILS's note, or NULL */
    const struct kb_cmd_fact *ok[MAX_OK];
    size_t nok;
};

static void cmd_info(const char *fix_id, const char *command, struct cmdinfo *ci)
{
    const struct kb_cmd_fact *f;
    size_t pos = 0;

    memset(ci, 0, sizeof *ci);
    while ((f = kb_cmd_fact_next(fix_id, command, &pos))) {
        if (f->kind == KB_CMD_OK_EXIT) {
            if (ci->nok < MAX_OK)
                ci->ok[ci->nok++] = f;
        } else if (f->kind == KB_CMD_IF_FAILS) {
            if (!ci->if_fails)
                ci->if_fails = f->note;
        } else if (!ci->kind) {
            ci->kind = f->kind;
            ci->note = f->note;
        }
    }
}

/* "set NAME=VALUE", the cmd built-in: NAME's length, or 0. */
static size_t set_command(const char *c)
{
    size_t n = 0;
    if (strncmp(c, "set ", 4) != 0)
        return 0;
    c += 4;
    while ((c[n] >= 'A' && c[n] <= 'Z') || (c[n] >= 'a' && c[n] <= 'z') || c[n] == '_' ||
           (n && c[n] >= '0' && c[n] <= '9'))
        n++;
    return n && c[n] == '=' && !strpbrk(c + n, "&|<>\"%") ? n : 0;
}

struct out {
    enum script_format fmt;
    struct strbuf sb;           /* the script */
    struct strbuf subs;         /* cmd: the step subroutines, after the end */
    struct strbuf tmp;
    int step;
    const struct model *m;
    const struct diagnosis *d;
};

static void comment(struct out *o, const char *prefix, const char *text)
{
    const char *lead = o->fmt == SCRIPT_CMD ? "rem " : "# ";
    size_t at = 0, len;

    sb_reset(&o->tmp);
    script_comment_text(&o->tmp, o->fmt, text, COMMENT_MAX);
    const char *t = o->tmp.buf ? o->tmp.buf : "";
    len = o->tmp.len;
    do {
        size_t n = len - at > COMMENT_WIDTH ? COMMENT_WIDTH : len - at;
        /* at a space if there is one; never inside a UTF-8 character or
         * cmd's %% */
        if (at + n < len) {
            size_t sp = n;
            while (sp > COMMENT_WIDTH / 2 && t[at + sp - 1] != ' ')
                sp--;
            if (t[at + sp - 1] == ' ')
                n = sp;
        }
        while (at + n < len && n > 1) {
            size_t k = 0;           /* the %s just before the cut: pairs */
            while (k < n && t[at + n - 1 - k] == '%')
                k++;
            if (((unsigned char)t[at + n] & 0xC0) != 0x80 && k % 2 == 0)
                break;
            n--;
        }
        sb_adds(&o->sb, lead);
        sb_adds(&o->sb, at ? "    " : prefix);
        sb_add(&o->sb, t + at, n);
        sb_adds(&o->sb, NL);
        at += n;
    } while (at < len);
}

static void commentf(struct out *o, const char *fmt, ...) WU_PRINTF(2, 3);
static void commentf(struct out *o, const char *fmt, ...)
{
    struct strbuf t;
    va_list ap;

    sb_init(&t);
    va_start(ap, fmt);
    sb_vprintf(&t, fmt, ap);
    va_end(ap);
    if (t.oom)
        o->sb.oom = 1;
    comment(o, "", t.buf ? t.buf : "");
    sb_free(&t);
}

static void line(struct out *o, const char *s)
{
    sb_adds(&o->sb, s);
    sb_adds(&o->sb, NL);
}

/* cmd: `echo PREFIX TEXT` with TEXT from the catalog. */
static void cmd_echo(struct out *o, const char *prefix, const char *text)
{
    sb_adds(&o->sb, "echo ");
    sb_adds(&o->sb, prefix);
    cmd_echo_text(&o->sb, text);
    sb_adds(&o->sb, NL);
}

static void lit(struct out *o, const char *s)
{
    script_ps1_literal(&o->sb, s, COMMENT_MAX);
}

/* ---- the finding a fix answers, in comments ---------------------------------- */

static void finding_comments(struct out *o, size_t idx, const struct finding *f)
{
    char t1[32], t2[32];

    commentf(o, "Answers finding [%zu] %s %s: %s", idx + 1, severity_name(f->severity),
             f->rule, f->title ? f->title : "");
    if (f->first_us)
        commentf(o, "  %ld occurrence%s, %s .. %s UTC", f->count, f->count == 1 ? "" : "s",
                 format_time(f->first_us, t1, sizeof t1), format_time(f->last_us, t2, sizeof t2));
    else
        commentf(o, "  %ld occurrence%s", f->count, f->count == 1 ? "" : "s");
    for (size_t i = 0; i < f->ncodes; i++) {
        const struct kb_code *k = kb_code_find(f->codes[i]);
        commentf(o, "  code 0x%08X %s", f->codes[i], k ? k->symbol : "(unknown)");
    }
    for (size_t i = 0; i < f->nevidence; i++) {
        const struct evidence *e = &f->evidence[i];
        if (e->time_us)
            commentf(o, "  evidence %s: %s", format_time(e->time_us, t1, sizeof t1),
                     e->text ? e->text : "");
        else
            commentf(o, "  evidence: %s", e->text ? e->text : "");
    }
    if (f->evidence_more)
        commentf(o, "  (and %zu more pieces of evidence)", f->evidence_more);
}

/* ---- steps ------------------------------------------------------------------- */

static void cmd_ok_codes(struct out *o, const struct cmdinfo *ci)
{
    for (size_t i = 0; i < ci->nok; i++) {
        commentf(o, "exit code %d also means done: %s", ci->ok[i]->code, ci->ok[i]->note);
        sb_printf(&o->sb, "if \"%%WUDIAG_RC%%\"==\"%d\" >>\"%%WUDIAG_LOG%%\" echo [step %d] "
                  "exit code %d means done: ", ci->ok[i]->code, o->step, ci->ok[i]->code);
        cmd_echo_text(&o->sb, ci->ok[i]->note);
        sb_adds(&o->sb, NL);
        sb_printf(&o->sb, "if \"%%WUDIAG_RC%%\"==\"%d\" set \"WUDIAG_RC=0\"" NL, ci->ok[i]->code);
    }
}

/* Run the command (cmd): a subroutine, called with its output captured
 * unless the command is interactive. */
static void cmd_run(struct out *o, const char *command, const struct cmdinfo *ci,
                    int interactive)
{
    sb_printf(&o->sb, "echo [step %d] ", o->step);
    cmd_echo_text(&o->sb, command);
    sb_adds(&o->sb, NL);
    sb_printf(&o->sb, ">>\"%%WUDIAG_LOG%%\" echo [step %d] run: ", o->step);
    cmd_echo_text(&o->sb, command);
    sb_adds(&o->sb, NL);
    line(o, "cmd /d /c exit 0");
    if (interactive) {
        sb_printf(&o->sb, "call :wudiag_step%d" NL, o->step);
        line(o, "set \"WUDIAG_RC=%errorlevel%\"");
        sb_printf(&o->sb, ">>\"%%WUDIAG_LOG%%\" echo [step %d] interactive: its output was "
                  "on the screen only" NL, o->step);
    } else {
        sb_printf(&o->sb, "call :wudiag_step%d >\"%%WUDIAG_OUT%%\" 2>&1" NL, o->step);
        line(o, "set \"WUDIAG_RC=%errorlevel%\"");
        line(o, "type \"%WUDIAG_OUT%\"");
        line(o, "type \"%WUDIAG_OUT%\" >>\"%WUDIAG_LOG%\"");
    }
    sb_printf(&o->sb, ">>\"%%WUDIAG_LOG%%\" echo [step %d] exit code %%WUDIAG_RC%%" NL, o->step);
    cmd_ok_codes(o, ci);
    if (ci->kind == KB_CMD_CHECK)
        commentf(o, "a check (%s): its exit code never stops the script", ci->note);
    else {
        if (ci->if_fails) {
            sb_printf(&o->sb, "if not \"%%WUDIAG_RC%%\"==\"0\" echo [step %d] ", o->step);
            cmd_echo_text(&o->sb, ci->if_fails);
            sb_adds(&o->sb, NL);
        }
        line(o, "if not \"%WUDIAG_RC%\"==\"0\" goto wudiag_failed");
    }
    /* the command itself, as the catalog has it */
    sb_printf(&o->subs, ":wudiag_step%d" NL "%s" NL "exit /b %%errorlevel%%" NL, o->step,
              command);
}

static void ps1_ok(struct out *o, const struct cmdinfo *ci)
{
    if (!ci->nok)
        return;
    sb_adds(&o->sb, " -Ok @{");
    for (size_t i = 0; i < ci->nok; i++) {
        sb_printf(&o->sb, "%s%d = ", i ? "; " : "", ci->ok[i]->code);
        lit(o, ci->ok[i]->note);
    }
    sb_addc(&o->sb, '}');
}

static void ps1_run(struct out *o, const char *command, const struct cmdinfo *ci,
                    int interactive)
{
    size_t n = set_command(command);
    if (n) {
        /* cmd's built-in set: for the steps after it, as in the .cmd */
        commentf(o, "cmd.exe's \"set\": an environment variable for the steps after it");
        sb_printf(&o->sb, "Set-WudiagVariable -Step %d -Name '%.*s' -Value ", o->step,
                  (int)n, command + 4);
        lit(o, command + 4 + n + 1);
        sb_adds(&o->sb, NL);
        return;
    }
    sb_printf(&o->sb, "Invoke-WudiagStep -Step %d -Command ", o->step);
    lit(o, command);
    ps1_ok(o, ci);
    if (ci->kind == KB_CMD_CHECK)
        sb_adds(&o->sb, " -Check");
    if (ci->if_fails && ci->kind != KB_CMD_CHECK) {
        sb_adds(&o->sb, " -IfFails ");
        lit(o, ci->if_fails);
    }
    if (interactive)
        sb_adds(&o->sb, " -Interactive");
    sb_adds(&o->sb, NL);
}

/* A step for a person: the instructions, the command to type, a pause. */
static void person_step(struct out *o, const char *const *instr, size_t ninstr,
                        const char *command)
{
    if (o->fmt == SCRIPT_CMD) {
        sb_printf(&o->sb, "set \"WUDIAG_STEP=%d\"" NL "echo." NL, o->step);
        for (size_t i = 0; i < ninstr; i++) {
            sb_printf(&o->sb, "echo [step %d] %s", o->step, i ? "  " : "By hand: ");
            cmd_echo_text(&o->sb, instr[i]);
            sb_adds(&o->sb, NL);
        }
        if (command) {
            cmd_echo(o, "    ", command);
            sb_printf(&o->sb, ">>\"%%WUDIAG_LOG%%\" echo [step %d] by hand: ", o->step);
            cmd_echo_text(&o->sb, command);
            sb_adds(&o->sb, NL);
        } else {
            sb_printf(&o->sb, ">>\"%%WUDIAG_LOG%%\" echo [step %d] by hand: the fix's "
                      "steps above" NL, o->step);
        }
        line(o, "echo Press a key when it is done (Ctrl+C stops the script).");
        line(o, "pause >nul");
        sb_printf(&o->sb, ">>\"%%WUDIAG_LOG%%\" echo [step %d] went on after the pause" NL,
                  o->step);
        return;
    }
    sb_printf(&o->sb, "Wait-WudiagPerson -Step %d -Instructions @(", o->step);
    for (size_t i = 0; i < ninstr; i++) {
        if (i)
            sb_adds(&o->sb, ", ");
        lit(o, instr[i]);
    }
    sb_addc(&o->sb, ')');
    if (command) {
        sb_adds(&o->sb, " -Command ");
        lit(o, command);
    }
    sb_adds(&o->sb, NL);
}

static void command_step(struct out *o, const struct kb_fix *fx, const char *command)
{
    struct cmdinfo ci;

    cmd_info(fx->id, command, &ci);
    o->step++;
    if (ci.kind == KB_CMD_PERSON) {
        commentf(o, "---- step %d: needs a person", o->step);
        person_step(o, &ci.note, 1, command);
        return;
    }
    commentf(o, "---- step %d%s", o->step,
             ci.kind == KB_CMD_ASK ? ": only if the reader says so" :
             ci.kind == KB_CMD_GUIDED ? ": interactive" :
             ci.kind == KB_CMD_LAST ? ": restarts the device, so it comes last" :
             ci.kind == KB_CMD_CHECK ? ": a check" : "");
    int interactive = ci.kind == KB_CMD_ASK || ci.kind == KB_CMD_GUIDED ||
                      ci.kind == KB_CMD_LAST;
    if (o->fmt == SCRIPT_CMD) {
        sb_printf(&o->sb, "set \"WUDIAG_STEP=%d\"" NL "echo." NL, o->step);
        if (ci.kind == KB_CMD_ASK) {
            sb_printf(&o->sb, "echo [step %d] ", o->step);
            cmd_echo_text(&o->sb, ci.note);
            sb_adds(&o->sb, NL);
            cmd_echo(o, "    ", command);
            line(o, "set \"WUDIAG_ANS=\"");
            line(o, "set /p \"WUDIAG_ANS=Run it? Type y to run it, Enter to skip it: \"");
            sb_printf(&o->sb, "if /i \"%%WUDIAG_ANS%%\"==\"y\" goto wudiag_ask%d" NL, o->step);
            sb_printf(&o->sb, ">>\"%%WUDIAG_LOG%%\" echo [step %d] skipped: the reader did "
                      "not answer y" NL "goto wudiag_skip%d" NL ":wudiag_ask%d" NL,
                      o->step, o->step, o->step);
        } else if (ci.kind == KB_CMD_GUIDED || ci.kind == KB_CMD_LAST) {
            sb_printf(&o->sb, "echo [step %d] ", o->step);
            cmd_echo_text(&o->sb, ci.note);
            sb_adds(&o->sb, NL);
            line(o, "echo Press a key to run it (Ctrl+C stops the script).");
            line(o, "pause >nul");
        }
        cmd_run(o, command, &ci, interactive);
        if (ci.kind == KB_CMD_ASK)
            sb_printf(&o->sb, ":wudiag_skip%d" NL, o->step);
        return;
    }
    if (ci.kind == KB_CMD_ASK) {
        sb_printf(&o->sb, "if (Confirm-WudiagStep -Step %d -Question ", o->step);
        lit(o, ci.note);
        sb_adds(&o->sb, " -Command ");
        lit(o, command);
        sb_adds(&o->sb, ") {" NL "    ");
        ps1_run(o, command, &ci, interactive);
        line(o, "}");
        return;
    }
    if (ci.kind == KB_CMD_GUIDED || ci.kind == KB_CMD_LAST) {
        sb_printf(&o->sb, "Wait-WudiagPerson -Step %d -Instructions @(", o->step);
        lit(o, ci.note);
        sb_adds(&o->sb, ") -Command ");
        lit(o, command);
        sb_adds(&o->sb, " -Before" NL);
    }
    ps1_run(o, command, &ci, interactive);
}

/* ---- prologue, fixes, epilogue ------------------------------------------------ */

static const char *const cmd_prologue[] = {
    "setlocal EnableExtensions DisableDelayedExpansion",
    "rem commands come from PATH only, never from the current folder",
    "set \"NoDefaultCurrentDirectoryInExePath=1\"",
    "set \"WUDIAG_LOG=%~dpn0.log\"",
    "set \"WUDIAG_OUT=%~dpn0.out\"",
    "set \"WUDIAG_STEP=0\"",
    "set \"WUDIAG_RC=0\"",
    NULL
};

static const char *const ps1_prologue[] = {
    "$ErrorActionPreference = 'Stop'",
    "# commands come from PATH only, never from the current folder",
    "$env:NoDefaultCurrentDirectoryInExePath = '1'",
    "$WudiagScript = $MyInvocation.MyCommand.Path",
    "$WudiagLog = [System.IO.Path]::ChangeExtension($WudiagScript, '.log')",
    "$WudiagOut = [System.IO.Path]::ChangeExtension($WudiagScript, '.out')",
    "$WudiagErr = [System.IO.Path]::ChangeExtension($WudiagScript, '.err')",
    "",
    "function Write-WudiagLog([string]$Text) {",
    "    Add-Content -LiteralPath $WudiagLog -Value $Text",
    "}",
    "",
    "function Stop-Wudiag([int]$Step, [string]$Why) {",
    "    Write-Host ''",
    "    Write-Host ('[step ' + $Step + '] ' + $Why + ': the script stops here. The transcript is ' + $WudiagLog)",
    "    Write-WudiagLog ('==== stopped: step ' + $Step + ' ' + $Why)",
    "    exit 1",
    "}",
    "",
    "# Run one catalog command through cmd.exe exactly as typed; log its output",
    "# and exit code; stop unless it is 0, an exit code -Ok says means done, or",
    "# the step is a check.",
    "function Invoke-WudiagStep {",
    "    param([int]$Step, [string]$Command, [hashtable]$Ok = @{}, [switch]$Check,",
    "          [switch]$Interactive, [string]$IfFails)",
    "    Write-Host ''",
    "    Write-Host ('[step ' + $Step + '] ' + $Command)",
    "    Write-WudiagLog ('[step ' + $Step + '] run: ' + $Command)",
    "    $cmdArgs = '/d /s /c \"' + $Command + '\"'",
    "    if ($Interactive) {",
    "        $p = Start-Process -FilePath $env:ComSpec -ArgumentList $cmdArgs -NoNewWindow -Wait -PassThru",
    "        Write-WudiagLog ('[step ' + $Step + '] interactive: its output was on the screen only')",
    "    } else {",
    "        $p = Start-Process -FilePath $env:ComSpec -ArgumentList $cmdArgs -NoNewWindow -Wait -PassThru `",
    "            -RedirectStandardOutput $WudiagOut -RedirectStandardError $WudiagErr",
    "        foreach ($f in @($WudiagOut, $WudiagErr)) {",
    "            if (Test-Path -LiteralPath $f) {",
    "                $text = @(Get-Content -LiteralPath $f)",
    "                if ($text.Count -gt 0) {",
    "                    $text | Write-Host",
    "                    Add-Content -LiteralPath $WudiagLog -Value $text",
    "                }",
    "                Remove-Item -LiteralPath $f",
    "            }",
    "        }",
    "    }",
    "    $code = [int]$p.ExitCode",
    "    Write-WudiagLog ('[step ' + $Step + '] exit code ' + $code)",
    "    if ($code -eq 0) { return }",
    "    if ($Ok.ContainsKey($code)) {",
    "        Write-WudiagLog ('[step ' + $Step + '] exit code ' + $code + ' means done: ' + $Ok[$code])",
    "        return",
    "    }",
    "    if ($Check) {",
    "        Write-WudiagLog ('[step ' + $Step + '] a check: its exit code does not stop the script')",
    "        return",
    "    }",
    "    if ($IfFails) { Write-Host ('[step ' + $Step + '] ' + $IfFails) }",
    "    Stop-Wudiag $Step ('failed with exit code ' + $code)",
    "}",
    "",
    "# A step for a person (or the warning before an interactive one): the",
    "# instructions, the command to type, and a pause.",
    "function Wait-WudiagPerson {",
    "    param([int]$Step, [string[]]$Instructions, [string]$Command, [switch]$Before)",
    "    Write-Host ''",
    "    $lead = 'By hand: '",
    "    if ($Before) { $lead = '' }",
    "    foreach ($i in $Instructions) { Write-Host ('[step ' + $Step + '] ' + $lead + $i); $lead = '  ' }",
    "    if ($Before) {",
    "        [void](Read-Host 'Press Enter to run it (Ctrl+C stops the script)')",
    "        return",
    "    }",
    "    if ($Command) { Write-Host ('    ' + $Command) }",
    "    Write-WudiagLog ('[step ' + $Step + '] by hand: ' + $Command)",
    "    [void](Read-Host 'Press Enter when it is done (Ctrl+C stops the script)')",
    "    Write-WudiagLog ('[step ' + $Step + '] went on after the pause')",
    "}",
    "",
    "# A step only the reader can choose: asked, default no.",
    "function Confirm-WudiagStep {",
    "    param([int]$Step, [string]$Question, [string]$Command)",
    "    Write-Host ''",
    "    Write-Host ('[step ' + $Step + '] ' + $Question)",
    "    Write-Host ('    ' + $Command)",
    "    $answer = Read-Host 'Run it? Type y to run it, Enter to skip it'",
    "    if ($answer -eq 'y') { return $true }",
    "    Write-WudiagLog ('[step ' + $Step + '] skipped: the reader did not answer y')",
    "    return $false",
    "}",
    "",
    "# cmd.exe's set: an environment variable the later steps' cmd.exe inherit.",
    "function Set-WudiagVariable([int]$Step, [string]$Name, [string]$Value) {",
    "    Write-WudiagLog ('[step ' + $Step + '] set ' + $Name + '=' + $Value)",
    "    [Environment]::SetEnvironmentVariable($Name, $Value, 'Process')",
    "}",
    "",
    "function Write-WudiagFinding([string]$Fix, [string]$Title, [string]$Finding) {",
    "    Write-Host ''",
    "    Write-Host ('==== ' + $Fix + ': ' + $Title)",
    "    Write-Host ('     for ' + $Finding)",
    "    Write-WudiagLog ('==== fix ' + $Fix + ' for ' + $Finding)",
    "}",
    "",
    "try {",
    "    Write-WudiagLog ('==== wudiag fix script for ' + $WudiagHost + ' started ' + (Get-Date -Format 'yyyy-MM-dd HH:mm:ss'))",
    "} catch {",
    "    Write-Host ('Cannot write the transcript ' + $WudiagLog + ': copy the script to a folder you can write to.')",
    "    exit 3",
    "}",
    "$WudiagId = [Security.Principal.WindowsIdentity]::GetCurrent()",
    "$WudiagAdmin = [Security.Principal.WindowsBuiltInRole]::Administrator",
    "if (-not (New-Object Security.Principal.WindowsPrincipal($WudiagId)).IsInRole($WudiagAdmin)) {",
    "    Write-Host 'This script must run as administrator: start PowerShell with Run as administrator.'",
    "    Write-WudiagLog '==== stopped: not run as administrator'",
    "    exit 2",
    "}",
    "Write-WudiagLog 'running as administrator'",
    NULL
};

static void header(struct out *o, size_t nopen, const struct script_info *si)
{
    const struct model *m = o->m;
    char t[32];

    if (o->fmt == SCRIPT_CMD)
        line(o, "@echo off");
    else
        sb_adds(&o->sb, "\xEF\xBB\xBF");        /* UTF-8 BOM: read as UTF-8 */
    commentf(o, "wudiag fix: the remediation script for the open findings, first finding first");
    commentf(o, "written by wudiag %s on %s UTC", si->version ? si->version : "?",
             format_time(si->now_us, t, sizeof t));
    commentf(o, "Host: %s", m->host ? m->host : "(unknown)");
    if (m->os)
        commentf(o, "OS: %s", m->os);
    commentf(o, "Verdict: %s; %zu open finding%s with a fix", verdict_name(o->d->verdict),
             nopen, nopen == 1 ? "" : "s");
    comment(o, "", "");
    if (o->fmt == SCRIPT_CMD) {
        comment(o, "", "Run it as administrator: right-click it and choose Run as administrator, or run it from an "
                "elevated Command Prompt.");
    } else {
        comment(o, "", "Run it in PowerShell started as administrator:");
        comment(o, "", "  powershell -NoProfile -ExecutionPolicy Bypass -File .\\SCRIPT.ps1");
        comment(o, "", "Each command runs through cmd.exe exactly as the report prints it.");
    }
    comment(o, "", "Every command's output and exit code go to the transcript SCRIPT.log beside "
            "it (this file's name, .log); the script stops at the first step that fails. Steps "
            "that need a person pause with instructions; a restart comes last.");
    comment(o, "", "Exit codes: 0 every step done (or skipped, or already done), 1 a step failed, "
            "2 not run as administrator, 3 the transcript cannot be written.");
    comment(o, "", "Evidence is quoted in comments only.");
    if (o->fmt == SCRIPT_CMD) {
        for (size_t i = 0; cmd_prologue[i]; i++)
            line(o, cmd_prologue[i]);
        line(o, "cmd /d /c exit 0");
        sb_adds(&o->sb, ">>\"%WUDIAG_LOG%\" echo ==== wudiag fix script for ");
        sb_adds(&o->sb, cmd_plain(m->host, 1) ? m->host : "this host");
        line(o, " started %DATE% %TIME%");
        line(o, "if errorlevel 1 goto wudiag_nolog");
        line(o, "net session >nul 2>&1");
        line(o, "if errorlevel 1 goto wudiag_noadmin");
        line(o, ">>\"%WUDIAG_LOG%\" echo running as administrator");
    } else {
        sb_adds(&o->sb, "$WudiagHost = ");
        lit(o, m->host ? m->host : "(unknown)");
        sb_adds(&o->sb, NL);
        for (size_t i = 0; ps1_prologue[i]; i++)
            line(o, ps1_prologue[i]);
    }
}

/* The findings [i..] that fix fx answers, for the screen. */
static void fix_block(struct out *o, size_t first, size_t nfix, size_t of)
{
    const struct finding *f0 = &o->d->findings[first];
    const struct kb_fix *fx = kb_fix_find(f0->fix_id);
    struct strbuf who;

    sb_adds(&o->sb, NL);
    commentf(o, "======== Fix %zu of %zu: %s - %s", nfix, of, fx->id, fx->title);
    sb_init(&who);
    for (size_t i = first; i < o->d->n; i++) {
        const struct finding *f = &o->d->findings[i];
        if (!is_open(f) || strcmp(f->fix_id, fx->id) != 0)
            continue;
        finding_comments(o, i, f);
        sb_printf(&who, "%sfinding [%zu] %s", who.len ? ", " : "", i + 1, f->rule);
    }
    commentf(o, "Why: %s", fx->why);
    if (fx->steps[0])
        comment(o, "", "The fix's steps, as the report gives them:");
    for (int i = 0; i < KB_MAX_STEPS && fx->steps[i]; i++)
        commentf(o, "  %d. %s", i + 1, fx->steps[i]);
    if (o->fmt == SCRIPT_CMD) {
        line(o, "echo.");
        sb_printf(&o->sb, "echo ==== Fix %zu of %zu: ", nfix, of);
        cmd_echo_text(&o->sb, fx->title);
        sb_adds(&o->sb, NL);
        if (cmd_plain(f0->title, 0) && strlen(f0->title) < 300) {
            sb_printf(&o->sb, "echo      for finding [%zu]: %s" NL, first + 1, f0->title);
        } else {
            sb_printf(&o->sb, "echo      for finding [%zu] %s (its title is in the comments)" NL,
                      first + 1, f0->rule);
        }
        sb_printf(&o->sb, ">>\"%%WUDIAG_LOG%%\" echo ==== fix %s for %s" NL, fx->id,
                  who.buf ? who.buf : "");
    } else {
        sb_adds(&o->sb, "Write-WudiagFinding -Fix ");
        lit(o, fx->id);
        sb_adds(&o->sb, " -Title ");
        lit(o, fx->title);
        sb_adds(&o->sb, " -Finding ");
        struct strbuf t;
        sb_init(&t);
        sb_printf(&t, "finding [%zu]: %s", first + 1, f0->title ? f0->title : f0->rule);
        lit(o, t.buf ? t.buf : "");
        if (t.oom)
            o->sb.oom = 1;
        sb_free(&t);
        sb_adds(&o->sb, NL);
    }
    if (who.oom)
        o->sb.oom = 1;
    sb_free(&who);

    if (!fx->commands[0]) {
        /* no command: the fix's own steps, done by a person */
        size_t n = 0;
        while (n < KB_MAX_STEPS && fx->steps[n])
            n++;
        o->step++;
        commentf(o, "---- step %d: needs a person (the fix has no command)", o->step);
        person_step(o, fx->steps, n, NULL);
        return;
    }
    for (int i = 0; i < KB_MAX_STEPS && fx->commands[i]; i++) {
        struct cmdinfo ci;
        cmd_info(fx->id, fx->commands[i], &ci);
        if (ci.kind == KB_CMD_LAST) {
            commentf(o, "(%s restarts the device: it runs after every other step)",
                     fx->commands[i]);
            continue;
        }
        command_step(o, fx, fx->commands[i]);
    }
}

/* The restarts, once each, after everything else. */
static void last_steps(struct out *o)
{
    const char *done[KB_MAX_STEPS * 4];
    size_t ndone = 0;

    for (size_t i = 0; i < o->d->n; i++) {
        const struct finding *f = &o->d->findings[i];
        if (!is_open(f))
            continue;
        const struct kb_fix *fx = kb_fix_find(f->fix_id);
        for (int k = 0; k < KB_MAX_STEPS && fx->commands[k]; k++) {
            struct cmdinfo ci;
            size_t j;
            cmd_info(fx->id, fx->commands[k], &ci);
            if (ci.kind != KB_CMD_LAST)
                continue;
            for (j = 0; j < ndone && strcmp(done[j], fx->commands[k]) != 0; j++)
                ;
            if (j < ndone || ndone == sizeof done / sizeof done[0])
                continue;
            done[ndone++] = fx->commands[k];
            if (ndone == 1) {
                sb_adds(&o->sb, NL);
                commentf(o, "======== Last: the restart the fixes ask for (%s)", fx->id);
            }
            command_step(o, fx, fx->commands[k]);
        }
    }
}

static const char *const cmd_epilogue[] = {
    "echo.",
    "echo All steps done. The transcript is \"%WUDIAG_LOG%\".",
    ">>\"%WUDIAG_LOG%\" echo ==== done: every step succeeded, was skipped or was already done",
    "del \"%WUDIAG_OUT%\" >nul 2>&1",
    "exit /b 0",
    "",
    ":wudiag_failed",
    "echo.",
    "echo [step %WUDIAG_STEP%] failed with exit code %WUDIAG_RC%: the script stops here.",
    "echo The transcript is \"%WUDIAG_LOG%\".",
    ">>\"%WUDIAG_LOG%\" echo ==== stopped: step %WUDIAG_STEP% failed with exit code %WUDIAG_RC%",
    "del \"%WUDIAG_OUT%\" >nul 2>&1",
    "exit /b 1",
    "",
    ":wudiag_noadmin",
    "echo This script must run as administrator: right-click it and choose Run as administrator.",
    ">>\"%WUDIAG_LOG%\" echo ==== stopped: not run as administrator",
    "exit /b 2",
    "",
    ":wudiag_nolog",
    "echo Cannot write the transcript \"%WUDIAG_LOG%\": copy the script to a folder you can write to.",
    "exit /b 3",
    "",
    "rem ---- the steps' commands, exactly as the fix catalog has them",
    NULL
};

static const char *const ps1_epilogue[] = {
    "Write-Host ''",
    "Write-Host ('All steps done. The transcript is ' + $WudiagLog)",
    "Write-WudiagLog '==== done: every step succeeded, was skipped or was already done'",
    "exit 0",
    NULL
};

int script_render(enum script_format fmt, const struct model *m,
                  const struct diagnosis *d, const struct script_info *si, FILE *fp)
{
    struct out o;
    size_t nopen = script_fixable(d), nfix = 0, of = 0;
    int rc = -1;

    memset(&o, 0, sizeof o);
    o.fmt = fmt;
    o.m = m;
    o.d = d;
    sb_init(&o.sb);
    sb_init(&o.subs);
    sb_init(&o.tmp);
    /* how many distinct fixes, for "Fix 1 of N" */
    for (size_t i = 0; i < d->n; i++) {
        size_t j;
        if (!is_open(&d->findings[i]))
            continue;
        for (j = 0; j < i && !(is_open(&d->findings[j]) &&
                               strcmp(d->findings[j].fix_id, d->findings[i].fix_id) == 0); j++)
            ;
        of += j == i;
    }
    header(&o, nopen, si);
    for (size_t i = 0; i < d->n; i++) {
        size_t j;
        if (!is_open(&d->findings[i]))
            continue;
        for (j = 0; j < i && !(is_open(&d->findings[j]) &&
                               strcmp(d->findings[j].fix_id, d->findings[i].fix_id) == 0); j++)
            ;
        if (j == i)
            fix_block(&o, i, ++nfix, of);
    }
    last_steps(&o);
    sb_adds(&o.sb, NL);
    for (const char *const *p = fmt == SCRIPT_CMD ? cmd_epilogue : ps1_epilogue; *p; p++)
        line(&o, *p);
    if (fmt == SCRIPT_CMD && o.subs.len)
        sb_add(&o.sb, o.subs.buf, o.subs.len);
    if (o.sb.oom || o.subs.oom || o.tmp.oom) {
        errno = ENOMEM;
        goto cleanup;
    }
    if (fwrite(o.sb.buf, 1, o.sb.len, fp) != o.sb.len || fflush(fp) != 0 || ferror(fp)) {
        if (!errno)
            errno = EIO;
        goto cleanup;
    }
    rc = 0;
cleanup:;
    int saved = errno;
    sb_free(&o.sb);
    sb_free(&o.subs);
    sb_free(&o.tmp);
    errno = saved;
    return rc;
}
