/*
 * strbuf.c - growable buffer, JSON string escaping, UTF-8 validation.
 */
#include "util/strbuf.h"
#include "util/safetext.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sb_init(struct strbuf *sb)
{
    sb->buf = NULL;
    sb->len = sb->cap = 0;
    sb->oom = 0;
}

void sb_free(struct strbuf *sb)
{
    free(sb->buf);
    sb_init(sb);
}

void sb_reset(struct strbuf *sb)
{
    sb->len = 0;
    if (sb->buf)
        sb->buf[0] = '\0';
}

static int grow(struct strbuf *sb, size_t extra)
{
    size_t need, cap;
    char *b;

    if (sb->oom)
        return -1;
    if (extra > (size_t)-1 / 2 - sb->len) {
        sb->oom = 1;
        return -1;
    }
    need = sb->len + extra + 1;
    if (need <= sb->cap)
        return 0;
    cap = sb->cap ? sb->cap : 256;
    while (cap < need)
        cap *= 2;
    b = realloc(sb->buf, cap);
    if (!b) {
        sb->oom = 1;
        return -1;
    }
    sb->buf = b;
    sb->cap = cap;
    return 0;
}

int sb_reserve(struct strbuf *sb, size_t n)
{
    return grow(sb, n);
}

void sb_add(struct strbuf *sb, const char *s, size_t n)
{
    if (grow(sb, n) != 0)
        return;
    memcpy(sb->buf + sb->len, s, n);
    sb->len += n;
    sb->buf[sb->len] = '\0';
}

void sb_adds(struct strbuf *sb, const char *s)
{
    sb_add(sb, s, strlen(s));
}

void sb_addc(struct strbuf *sb, char c)
{
    sb_add(sb, &c, 1);
}

void sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap)
{
    va_list ap2;
    size_t avail;
    int n;

    if (sb->oom)
        return;
    /* one pass when it fits in the room already there */
    avail = sb->buf ? sb->cap - sb->len : 0;
    va_copy(ap2, ap);
    n = vsnprintf(avail ? sb->buf + sb->len : NULL, avail, fmt, ap2);
    va_end(ap2);
    if (n < 0) {
        sb->oom = 1;            /* nothing else makes vsnprintf fail here */
        if (sb->buf)
            sb->buf[sb->len] = '\0';
        return;
    }
    if ((size_t)n < avail) {
        sb->len += (size_t)n;
        return;
    }
    if (grow(sb, (size_t)n) != 0) {
        if (sb->buf)
            sb->buf[sb->len] = '\0';   /* undo the partial write */
        return;
    }
    vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
    sb->len += (size_t)n;
}

void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    sb_vprintf(sb, fmt, ap);
    va_end(ap);
}

char *sb_detach(struct strbuf *sb)
{
    char *s;

    if (sb->oom) {
        sb_free(sb);
        return NULL;
    }
    s = sb->buf ? sb->buf : calloc(1, 1);
    sb_init(sb);
    return s;
}

char *wu_strvfmt(const char *fmt, va_list ap)
{
    struct strbuf sb;

    sb_init(&sb);
    sb_add(&sb, "", 0);         /* first room, so short strings take one pass */
    sb_vprintf(&sb, fmt, ap);
    return sb_detach(&sb);
}

char *wu_strfmt(const char *fmt, ...)
{
    va_list ap;
    char *s;

    va_start(ap, fmt);
    s = wu_strvfmt(fmt, ap);
    va_end(ap);
    return s;
}

int hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

size_t utf8_seq_len(const unsigned char *s, size_t avail)
{
    unsigned c = s[0];
    size_t n;
    unsigned min;
    unsigned cp;

    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2; min = 0x80; cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3; min = 0x800; cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4; min = 0x10000; cp = c & 0x07;
    } else {
        return 0;
    }
    if (avail < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

void sb_json_str(struct strbuf *sb, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    const unsigned char *end = p + strlen((const char *)p);
    char *o;

    if (p == end)
        return;
    /* printable ASCII, the most of any text, is written straight into the
     * buffer: at most 2 bytes out for each in, room made once */
    if (grow(sb, 2 * (size_t)(end - p)) != 0)
        return;
    o = sb->buf + sb->len;
    while (p < end) {
        unsigned char c = *p;
        if (c >= 0x20 && c < 0x7F) {
            if (c == '"' || c == '\\')
                *o++ = '\\';
            *o++ = (char)c;
            p++;
            continue;
        }
        sb->len = (size_t)(o - sb->buf);
        sb->buf[sb->len] = '\0';
        if (c < 0x20) {
            switch (c) {
            case '\n': sb_adds(sb, "\\n"); break;
            case '\r': sb_adds(sb, "\\r"); break;
            case '\t': sb_adds(sb, "\\t"); break;
            default: sb_printf(sb, "\\u%04x", c); break;
            }
            p++;
        } else {
            size_t n = c == 0x7F ? 1 : utf8_seq_len(p, (size_t)(end - p));
            uint32_t cp = 0;
            if (n == 0) {
                sb_adds(sb, "\xEF\xBF\xBD");
                n = 1;
            } else if (safetext_seq((const char *)p, n, &cp) != SAFETEXT_OK) {
                /* DEL, C1 and bidi controls: valid JSON either way, but a
                 * terminal showing the JSON must not act on them */
                sb_printf(sb, "\\u%04x", (unsigned)cp);
            } else {
                sb_add(sb, (const char *)p, n);
            }
            p += n;
        }
        if (grow(sb, 2 * (size_t)(end - p)) != 0)
            return;
        o = sb->buf + sb->len;
    }
    sb->len = (size_t)(o - sb->buf);
    sb->buf[sb->len] = '\0';
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

const char *wu_trim_span(const char *s, size_t *n)
{
    size_t len;
    while (is_blank(*s))
        s++;
    len = strlen(s);
    while (len > 0 && is_blank(s[len - 1]))
        len--;
    *n = len;
    return s;
}
