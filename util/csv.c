/*
 * csv.c - RFC 4180 field quoting, formula defusing and safe text (see
 * csv.h).
 */
#include "util/csv.h"
#include "util/safetext.h"

#include <stdint.h>
#include <string.h>

/* An optional sign, digits, an optional '.' and digits: a number. */
static int plain_number(const char *s)
{
    const char *p = s + (*s == '-' || *s == '+');
    const char *d = p;
    while (*p >= '0' && *p <= '9')
        p++;
    if (p == d)
        return 0;
    if (*p == '.') {
        d = ++p;
        while (*p >= '0' && *p <= '9')
            p++;
        if (p == d)
            return 0;
    }
    return *p == '\0';
}

int csv_is_formula(const char *s)
{
    if (!s || !strchr("=+-@\t\r", *s) || !*s)
        return 0;
    return !plain_number(s);
}

void csv_field(struct strbuf *sb, const char *s)
{
    const char *run, *q;
    int quote;

    if (!s || !*s)
        return;
    quote = strpbrk(s, ",\"\r\n") != NULL;
    if (quote)
        sb_addc(sb, '"');
    if (csv_is_formula(s))
        sb_addc(sb, '\'');
    /* text neutralised (CR, LF, TAB kept), quotes doubled */
    for (run = s; (q = strchr(run, '"')); run = q + 1) {
        safetext_add(sb, run, (size_t)(q - run), SAFETEXT_KEEP_CR);
        sb_adds(sb, "\"\"");
    }
    safetext_adds(sb, run, SAFETEXT_KEEP_CR);
    if (quote)
        sb_addc(sb, '"');
}

/* What csv_field does, in one scan for the quoting and one for the text:
 * plain ASCII, TAB, CR and LF copied, quotes doubled, the rest checked as
 * safetext_add does (a control, bidi control or bad byte: one U+FFFD). */
char *csv_put_field(char *o, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    int quote = 0;

    if (!s || !n)
        return o;
    for (const unsigned char *q = p; q < end; q++)
        if (*q == ',' || *q == '"' || *q == '\r' || *q == '\n') {
            quote = 1;
            break;
        }
    if (quote)
        *o++ = '"';
    if (csv_is_formula(s))
        *o++ = '\'';
    while (p < end) {
        unsigned c = *p;
        if ((c >= 0x20 && c < 0x7F) || c == '\n' || c == '\t' || c == '\r') {
            if (c == '"')
                *o++ = '"';
            *o++ = (char)c;
            p++;
            continue;
        }
        size_t len = c < 0x80 ? 0 : utf8_seq_len(p, (size_t)(end - p));
        uint32_t cp;
        if (len && safetext_seq((const char *)p, len, &cp) == SAFETEXT_OK) {
            memcpy(o, p, len);
            o += len;
            p += len;
            continue;
        }
        memcpy(o, SAFETEXT_REPLACEMENT, 3);
        o += 3;
        p += len ? len : 1;
    }
    if (quote)
        *o++ = '"';
    return o;
}
