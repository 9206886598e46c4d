/*
 * safetext.h - text that cannot attack its reader.  Every plain-text writer
 * (the text report, the fleet summary, `history`, `explain`) and the CSV
 * writer (util/csv.c) pass strings that came from logs or databases through
 * here at the point they are written, so a hostile event cannot drive the
 * terminal (ESC, OSC title sets, clear screen, C1 CSI) or reorder what the
 * reader sees (bidi overrides).
 *
 * Neutralised: C0 controls (NUL and ESC included) except TAB and LF (CR
 * too, unless kept), DEL, the C1 controls U+0080..U+009F, the bidi controls U+061C, U+200E, U+200F, U+202A..U+202E and U+2066..U+2069.
 * Each becomes one U+FFFD (the replacement character): visible, one column
 * wide (a table keeps its alignment), valid UTF-8 everywhere.  Invalid
 * UTF-8 becomes one U+FFFD per bad byte, as the JSON writers do.
 */
#ifndef WUDIAG_SAFETEXT_H
#define WUDIAG_SAFETEXT_H

#include "util/strbuf.h"
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define SAFETEXT_REPLACEMENT "\xEF\xBF\xBD"     /* U+FFFD */

enum safetext_flags {
    SAFETEXT_ONELINE = 1,       /* TAB, LF and CR become spaces (table cells) */
    SAFETEXT_KEEP_CR = 2,       /* CR is kept (CSV's quoted fields: CRLF) */
};

/* What safetext_check found first. */
enum safetext_problem {
    SAFETEXT_OK = 0,
    SAFETEXT_NUL,               /* a NUL byte inside the string */
    SAFETEXT_CONTROL,           /* a C0, DEL or C1 control (TAB and LF too) */
    SAFETEXT_BIDI,              /* a bidi control */
    SAFETEXT_BAD_UTF8,          /* not valid UTF-8 */
};

/* Append s[0..len) to sb neutralised (flags: enum safetext_flags). */
void safetext_add(struct strbuf *sb, const char *s, size_t len, unsigned flags);
void safetext_adds(struct strbuf *sb, const char *s, unsigned flags);

/* Write s[0..len) to out neutralised; 0, or -1 when a write failed. */
int safetext_write(FILE *out, const char *s, size_t len, unsigned flags);

/* printf to out, the formatted text neutralised (TAB and LF kept): the
 * plain-text writers' fprintf.  0, or -1 when a write failed. */
int safetext_printf(FILE *out, const char *fmt, ...) WU_PRINTF(2, 3);

/* The first problem of s[0..len) (NUL bytes count: len is the byte
 * count), SAFETEXT_OK when there is none.  Strict: TAB and LF are
 * controls here (for names, not for prose). */
enum safetext_problem safetext_check(const char *s, size_t len);

/* What code point cp is: SAFETEXT_CONTROL for every C0 (TAB and LF too),
 * DEL and C1, SAFETEXT_BIDI, or SAFETEXT_OK.  The JSON writer escapes the
 * same set as \uXXXX (sb_json_str). */
enum safetext_problem safetext_cp(uint32_t cp);

/* The same for the valid n-byte UTF-8 sequence s (utf8_seq_len), whose
 * code point goes to *cp. */
enum safetext_problem safetext_seq(const char *s, size_t n, uint32_t *cp);

/* "a NUL byte", "a control character", ... for one-line messages. */
const char *safetext_problem_name(enum safetext_problem p);

#endif
