/*
 * script_render.h - the remediation script of `wudiag fix`: the fixes of a
 * host's open findings, first finding first, as a cmd.exe batch file or a
 * PowerShell script.
 *
 * Like the other renderers it formats and adds no knowledge: the commands
 * come from the fix catalog (vocab/kb_fixes.c) and what a script must know
 * about them (exit codes that mean done, checks, steps for a person,
 * questions, restarts) from its facts (vocab/kb_cmds.c).  Evidence goes
 * only into comments, neutralised so that a comment cannot end early; in a
 * .ps1 the finding's title is also shown, always as a single-quoted literal;
 * a .cmd echoes evidence only when it matches a strict pattern.
 */
#ifndef WUDIAG_SCRIPT_RENDER_H
#define WUDIAG_SCRIPT_RENDER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "diagnosis/diagnose.h"
#include "vocab/model.h"

enum script_format { SCRIPT_CMD = 0, SCRIPT_PS1 = 1 };

struct script_info {
    const char *version;    /* wudiag's */
    int64_t now_us;         /* when it was written */
};

/* The file name extension of a format, without the dot ("cmd", "ps1"). */
const char *script_ext(enum script_format fmt);

/* How many open findings (not resolved, warning or critical) have a fix in
 * the catalog: 0 means nothing to fix. */
size_t script_fixable(const struct diagnosis *d);

/* Write the script; 0, or -1 on a write error (errno set) or out of
 * memory (errno ENOMEM). */
int script_render(enum script_format fmt, const struct model *m,
                  const struct diagnosis *d, const struct script_info *si, FILE *out);

/* Text made safe for one comment line of the format (no line break, and
 * in cmd % doubled; ^ & | < > and non-ASCII replaced), appended to sb; at most max
 * bytes of s, then " (N more bytes)".  For tests and the renderer. */
struct strbuf;
void script_comment_text(struct strbuf *sb, enum script_format fmt, const char *s,
                         size_t max);
/* s as one PowerShell single-quoted literal, quotes included. */
void script_ps1_literal(struct strbuf *sb, const char *s, size_t max);

#endif
