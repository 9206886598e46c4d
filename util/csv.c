/*
 * csv.c - RFC 4180 field quoting, formula defusing and safe text (see
 * csv.h).  csv_put_field, export's, scans 16 bytes at a time with SSE2.
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

#if defined(__SSE2__)
#include <emmintrin.h>

static inline __m128i load16(const unsigned char *p)
{
    return _mm_loadu_si128((const __m128i *)(const void *)p);
}

/* Bit i set when byte i of v is a comma, a quote, CR or LF (quoting). */
static inline unsigned quoting16(__m128i v)
{
    __m128i m = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(',')), _mm_cmpeq_epi8(v, _mm_set1_epi8('"'))),
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\r')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))));
    return (unsigned)_mm_movemask_epi8(m);
}

/* Bit i set when byte i of v goes out as it is: printable ASCII but the
 * quote (0x80..0xFF are negative as signed bytes), TAB, LF, CR. */
static inline unsigned plain16(__m128i v)
{
    __m128i in = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(0x1F)),
                               _mm_cmplt_epi8(v, _mm_set1_epi8(0x7F)));
    __m128i ws = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\t')),
                              _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')),
                                           _mm_cmpeq_epi8(v, _mm_set1_epi8('\r'))));
    __m128i q = _mm_cmpeq_epi8(v, _mm_set1_epi8('"'));
    return (unsigned)_mm_movemask_epi8(_mm_andnot_si128(q, _mm_or_si128(in, ws)));
}
#endif

#define ONES  0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

/* Nonzero when one of the 8 bytes of v is c (SWAR). */
static inline uint64_t has8(uint64_t v, unsigned char c)
{
    uint64_t x = v ^ (ONES * c);
    return (x - ONES) & ~x & HIGHS;
}

/* Nonzero when one of the 8 bytes of v is not printable ASCII or is the
 * quote (TAB, CR, LF too: the byte path keeps them). */
static inline uint64_t special8(uint64_t v)
{
    return (((v - ONES * 0x20) & ~v) | (v + ONES) | v | has8(v, '"')) & HIGHS;
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
    const unsigned char *q = p;
#if defined(__SSE2__)
    for (; end - q >= 16 && !quote; q += 16)
        quote = quoting16(load16(q)) != 0;
#endif
    for (; end - q >= 8 && !quote; q += 8) {
        uint64_t v;
        memcpy(&v, q, 8);
        quote = (has8(v, ',') | has8(v, '"') | has8(v, '\r') | has8(v, '\n')) != 0;
    }
    for (; q < end && !quote; q++)
        quote = *q == ',' || *q == '"' || *q == '\r' || *q == '\n';
    if (quote)
        *o++ = '"';
    if (csv_is_formula(s))
        *o++ = '\'';
    while (p < end) {
#if defined(__SSE2__)
        if (end - p >= 16) {
            /* 16 bytes out (the room holds them: 3 per byte left), as
             * many kept as go out unchanged before the first that does not */
            __m128i v = load16(p);
            unsigned m = plain16(v), k;
            _mm_storeu_si128((__m128i *)(void *)o, v);
            if (m == 0xFFFF) {
                o += 16;
                p += 16;
                continue;
            }
            k = (unsigned)__builtin_ctz(~m);
            o += k;
            p += k;
        }
#endif
        if (end - p >= 8) {
            uint64_t v;
            memcpy(&v, p, 8);
            if (!special8(v)) {
                memcpy(o, p, 8);
                o += 8;
                p += 8;
                continue;
            }
        }
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
