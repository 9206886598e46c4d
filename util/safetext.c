/*
 * safetext.c - neutralise terminal controls, bidi controls and invalid
 * UTF-8 in text output (see safetext.h).  One pass, runs of harmless
 * bytes copied in one go.
 */
#include "util/safetext.h"

#include <stdarg.h>
#include <string.h>

enum safetext_problem safetext_cp(uint32_t cp)
{
    if (cp == 0)
        return SAFETEXT_NUL;
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
        return SAFETEXT_CONTROL;
    if (cp == 0x061C || cp == 0x200E || cp == 0x200F ||
        (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
        return SAFETEXT_BIDI;
    return SAFETEXT_OK;
}

/* The code point of the valid n-byte UTF-8 sequence p. */
static uint32_t decode(const unsigned char *p, size_t n)
{
    static const unsigned char lead_mask[5] = {0, 0x7F, 0x1F, 0x0F, 0x07};
    uint32_t cp = p[0] & lead_mask[n];
    for (size_t i = 1; i < n; i++)
        cp = cp << 6 | (p[i] & 0x3F);
    return cp;
}

enum safetext_problem safetext_seq(const char *s, size_t n, uint32_t *cp)
{
    const unsigned char *p = (const unsigned char *)s;
    *cp = decode(p, n);
    /* only U+0000..U+009F, U+061C (D8 9C), U+200E..U+2069 (E2 80/81) */
    if (n > 1 && p[0] != 0xC2 && p[0] != 0xD8 && p[0] != 0xE2)
        return SAFETEXT_OK;
    return safetext_cp(*cp);
}

void safetext_add(struct strbuf *sb, const char *s, size_t len, unsigned flags)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len, *run = p;

    if (!s)
        return;
    while (p < end) {
        unsigned c = *p;
        if (c >= 0x20 && c < 0x7F) {
            p++;
            continue;
        }
        if (c == '\n' || c == '\t' || (c == '\r' && (flags & SAFETEXT_KEEP_CR))) {
            if (!(flags & SAFETEXT_ONELINE)) {
                p++;
                continue;
            }
            sb_add(sb, (const char *)run, (size_t)(p - run));
            sb_addc(sb, ' ');
            run = ++p;
            continue;
        }
        if (c == '\r' && (flags & SAFETEXT_ONELINE)) {
            sb_add(sb, (const char *)run, (size_t)(p - run));
            sb_addc(sb, ' ');
            run = ++p;
            continue;
        }
        size_t n = c < 0x80 ? 0 : utf8_seq_len(p, (size_t)(end - p));
        uint32_t cp;
        if (n && safetext_seq((const char *)p, n, &cp) == SAFETEXT_OK) {
            p += n;
            continue;
        }
        /* a control, a bidi control or a bad byte: one U+FFFD */
        sb_add(sb, (const char *)run, (size_t)(p - run));
        sb_adds(sb, SAFETEXT_REPLACEMENT);
        p += n ? n : 1;
        run = p;
    }
    sb_add(sb, (const char *)run, (size_t)(p - run));
}

void safetext_adds(struct strbuf *sb, const char *s, unsigned flags)
{
    if (s)
        safetext_add(sb, s, strlen(s), flags);
}

int safetext_write(FILE *out, const char *s, size_t len, unsigned flags)
{
    struct strbuf sb;
    int rc = 0;

    sb_init(&sb);
    safetext_add(&sb, s, len, flags);
    if (sb.oom)
        rc = -1;
    else if (sb.len && fwrite(sb.buf, 1, sb.len, out) != sb.len)
        rc = -1;
    sb_free(&sb);
    return rc;
}

int safetext_printf(FILE *out, const char *fmt, ...)
{
    struct strbuf raw, sb;
    va_list ap;
    int rc = 0;

    sb_init(&raw);
    sb_init(&sb);
    va_start(ap, fmt);
    sb_vprintf(&raw, fmt, ap);
    va_end(ap);
    safetext_add(&sb, raw.buf, raw.len, 0);
    if (raw.oom || sb.oom)
        rc = -1;
    else if (sb.len && fwrite(sb.buf, 1, sb.len, out) != sb.len)
        rc = -1;
    sb_free(&raw);
    sb_free(&sb);
    return rc;
}

enum safetext_problem safetext_check(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;

    while (p < end) {
        unsigned c = *p;
        if (c >= 0x20 && c < 0x7F) {
            p++;
            continue;
        }
        if (c == 0)
            return SAFETEXT_NUL;
        if (c < 0x80)
            return SAFETEXT_CONTROL;
        size_t n = utf8_seq_len(p, (size_t)(end - p));
        if (!n)
            return SAFETEXT_BAD_UTF8;
        uint32_t cp;
        enum safetext_problem w = safetext_seq((const char *)p, n, &cp);
        if (w != SAFETEXT_OK)
            return w;
        p += n;
    }
    return SAFETEXT_OK;
}

const char *safetext_problem_name(enum safetext_problem p)
{
    switch (p) {
    case SAFETEXT_OK: return "nothing";
    case SAFETEXT_NUL: return "a NUL byte";
    case SAFETEXT_CONTROL: return "a control character";
    case SAFETEXT_BIDI: return "a bidi control";
    case SAFETEXT_BAD_UTF8: return "invalid UTF-8";
    }
    return "?";
}
