/*
 * strbuf.h - a growable byte buffer and the escapers every writer needs
 * (JSON strings; UTF-8 repair).  Used by the store (event data as JSON), by
 * the diagnosis (findings' strings, wu_strfmt) and by the renderers.  An
 * allocation failure is sticky: the buffer records it in ->oom and later
 * appends do nothing, so callers check once at the end.
 */
#ifndef WUDIAG_STRBUF_H
#define WUDIAG_STRBUF_H

#include "util/compat.h"
#include <stdarg.h>
#include <stddef.h>

struct strbuf {
    char *buf;      /* always NUL-terminated when len > 0 or after sb_init */
    size_t len, cap;
    int oom;
};

void sb_init(struct strbuf *sb);
void sb_free(struct strbuf *sb);
void sb_reset(struct strbuf *sb);          /* len = 0, keep memory */
void sb_add(struct strbuf *sb, const char *s, size_t n);
void sb_adds(struct strbuf *sb, const char *s);
void sb_addc(struct strbuf *sb, char c);

/*
 * Writing in place, for hot loops (export): sb_room(sb, n) makes room for
 * n more bytes and a NUL and gives where they go; the caller writes up to
 * n bytes there and hands the end to sb_setend.  NULL on out of memory
 * (->oom set, nothing changed).  sb_reserve is the growing part: 0 or -1.
 */
int sb_reserve(struct strbuf *sb, size_t n);
static inline char *sb_room(struct strbuf *sb, size_t n)
{
    if ((sb->cap - sb->len <= n || sb->oom) && sb_reserve(sb, n) != 0)
        return NULL;
    return sb->buf + sb->len;
}
static inline void sb_setend(struct strbuf *sb, char *end)
{
    sb->len = (size_t)(end - sb->buf);
    *end = '\0';
}
void sb_printf(struct strbuf *sb, const char *fmt, ...)
    WU_PRINTF(2, 3);
void sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap)
    WU_PRINTF(2, 0);

/*
 * Hand the string over to the caller (free() it) and leave sb empty, as
 * after sb_init.  An empty buffer gives a malloc'd "".  NULL when sb ran out
 * of memory (the buffer is freed then) or "" cannot be allocated.
 */
char *sb_detach(struct strbuf *sb);

/* s without ASCII blanks (space, tab, CR, LF) on either end: the start,
 * and its length in *n.  Nothing is copied, so nothing is cut. */
const char *wu_trim_span(const char *s, size_t *n);

/* A malloc'd string formatted printf-style, whole whatever its length;
 * NULL on out of memory (or an invalid format). */
char *wu_strfmt(const char *fmt, ...) WU_PRINTF(1, 2);
char *wu_strvfmt(const char *fmt, va_list ap) WU_PRINTF(1, 0);

/*
 * Append s as the inside of a JSON string (no quotes): escapes quotes,
 * backslashes and control characters, and replaces invalid UTF-8 with
 * U+FFFD so the result is always valid JSON.
 */
void sb_json_str(struct strbuf *sb, const char *s);

/* Value of a hex digit (0-9, a-f, A-F), or -1. */
int hex_digit(int c);

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if invalid. */
size_t utf8_seq_len(const unsigned char *s, size_t avail);

#endif
