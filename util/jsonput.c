/*
 * jsonput.c - JSON string escaping into caller-made room (see jsonput.h).
 * The plain-byte test is done eight bytes at a time (SWAR): a block with
 * no byte below 0x20, none at or above 0x7F, no '"' and no '\\' is copied
 * whole, and so is the last block, overlapping what went out unchanged
 * before it (with SSE2, blocks of 16 first, kept up to the first byte to
 * escape); anything else goes byte by byte through the same cases as
 * sb_json_str (util/strbuf.c), which the tests compare it with.
 */
#include "util/jsonput.h"
#include "util/safetext.h"
#include "util/strbuf.h"

#include <stdint.h>
#include <string.h>

#define ONES  0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

/* Nonzero when one of the 8 bytes of v needs more than a copy. */
static inline uint64_t special8(uint64_t v)
{
    uint64_t q = v ^ (ONES * '"'), b = v ^ (ONES * '\\');
    return (((v - ONES * 0x20) & ~v) |     /* a byte < 0x20 */
            (v + ONES) | v |               /* a byte >= 0x7F */
            ((q - ONES) & ~q) |            /* a '"' */
            ((b - ONES) & ~b)) & HIGHS;    /* a '\\' */
}

#if defined(__SSE2__)
#include <emmintrin.h>

/* Bit i set when byte i of the 16 at p is plain (copied as it is). */
static inline unsigned plain16(const unsigned char *p)
{
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    /* signed bytes: 0x80..0xFF are negative, so > 0x1F and < 0x7F is plain */
    __m128i in = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(0x1F)),
                               _mm_cmplt_epi8(v, _mm_set1_epi8(0x7F)));
    __m128i esc = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                               _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')));
    return (unsigned)_mm_movemask_epi8(_mm_andnot_si128(esc, in));
}
#endif

static const char hexdig[] = "0123456789abcdef";

/* "\u" and 4 lower-case hex digits of cp (< 0x10000), as "\\u%04x" */
static char *put_u(char *o, unsigned cp)
{
    o[0] = '\\';
    o[1] = 'u';
    o[2] = hexdig[(cp >> 12) & 15];
    o[3] = hexdig[(cp >> 8) & 15];
    o[4] = hexdig[(cp >> 4) & 15];
    o[5] = hexdig[cp & 15];
    return o + 6;
}

char *json_put_str(char *o, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    const unsigned char *run = p;       /* bytes from run to p went out as they are */

    while (p < end) {
        unsigned c;
        uint64_t v;
#if defined(__SSE2__)
        if (end - p >= 16) {
            /* 16 bytes out (the room holds them: 6 per byte left), as
             * many kept as are plain before the first that is not */
            unsigned m = plain16(p), k;
            _mm_storeu_si128((__m128i *)(void *)o,
                             _mm_loadu_si128((const __m128i *)(const void *)p));
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
            memcpy(&v, p, 8);
            if (!special8(v)) {
                memcpy(o, p, 8);
                o += 8;
                p += 8;
                continue;
            }
        } else if ((size_t)(p - run) >= 8 - (size_t)(end - p)) {
            /* the last 1..7 bytes: the 8 ending there in one go, those
             * before p (copied as they are) written again over themselves */
            memcpy(&v, end - 8, 8);
            if (!special8(v)) {
                size_t left = (size_t)(end - p);
                memcpy(o - (8 - left), end - 8, 8);
                return o + left;
            }
        }
        c = *p;
        if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
            *o++ = (char)c;
            p++;
            continue;
        }
        if (c == '"' || c == '\\') {
            *o++ = '\\';
            *o++ = (char)c;
            p++;
        } else if (c < 0x20) {
            *o++ = '\\';
            switch (c) {
            case '\n': *o++ = 'n'; break;
            case '\r': *o++ = 'r'; break;
            case '\t': *o++ = 't'; break;
            default: o = put_u(o - 1, c); break;
            }
            p++;
        } else {
            size_t len = c == 0x7F ? 1 : utf8_seq_len(p, (size_t)(end - p));
            uint32_t cp = 0;
            if (len == 0) {
                memcpy(o, SAFETEXT_REPLACEMENT, 3);
                o += 3;
                len = 1;
            } else if (safetext_seq((const char *)p, len, &cp) != SAFETEXT_OK) {
                o = put_u(o, (unsigned)cp);
            } else {
                memcpy(o, p, len);
                o += len;
            }
            p += len;
        }
        run = p;
    }
    return o;
}
