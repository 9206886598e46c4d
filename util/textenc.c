/*
 * textenc.c - byte-order marks, the UTF-16 guess, and UTF-16 to UTF-8.
 */
#include "util/textenc.h"

enum textenc textenc_bom(const unsigned char *h, size_t n, size_t *bom)
{
    *bom = 0;
    if (n >= 3 && h[0] == 0xEF && h[1] == 0xBB && h[2] == 0xBF) {
        *bom = 3;
        return TEXTENC_UTF8_BOM;
    }
    if (n >= 2 && h[0] == 0xFF && h[1] == 0xFE) {
        *bom = 2;
        return TEXTENC_UTF16LE;
    }
    if (n >= 2 && h[0] == 0xFE && h[1] == 0xFF) {
        *bom = 2;
        return TEXTENC_UTF16BE;
    }
    return TEXTENC_UTF8;
}

enum textenc textenc_detect(const unsigned char *h, size_t n, size_t *bom)
{
    enum textenc enc = textenc_bom(h, n, bom);
    if (*bom)
        return enc;
    /* no BOM: an ASCII first character shows as one NUL byte in UTF-16 */
    if (n >= 2 && h[0] != 0 && h[1] == 0)
        return TEXTENC_UTF16LE;
    if (n >= 2 && h[0] == 0 && h[1] != 0)
        return TEXTENC_UTF16BE;
    return TEXTENC_UTF8;
}

int textenc_is_utf16(enum textenc enc)
{
    return enc == TEXTENC_UTF16LE || enc == TEXTENC_UTF16BE;
}

const char *textenc_name(enum textenc enc)
{
    switch (enc) {
    case TEXTENC_UTF8_BOM: return "UTF-8 with BOM";
    case TEXTENC_UTF16LE: return "UTF-16LE";
    case TEXTENC_UTF16BE: return "UTF-16BE";
    default: return "UTF-8";
    }
}

uint16_t textenc_utf16_unit(const unsigned char *p, int big_endian)
{
    return big_endian ? (uint16_t)(p[0] << 8 | p[1]) : (uint16_t)(p[1] << 8 | p[0]);
}

size_t textenc_put_utf8(char *o, uint32_t cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | cp >> 6);
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | cp >> 12);
        o[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | cp >> 18);
    o[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    o[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* ---- UTF-16 decoder -------------------------------------------------------- */

void utf16_init(struct utf16_decoder *d, int big_endian)
{
    d->be = big_endian;
    d->hi = 0;
    d->nodd = 0;
    d->odd = 0;
}

/* One code unit: at most 3 bytes, or 4 when it completes a pair. */
static size_t unit(struct utf16_decoder *d, unsigned u, char *out)
{
    size_t o = 0;

    if (d->hi) {
        if (u >= 0xDC00 && u <= 0xDFFF) {
            o = textenc_put_utf8(out, 0x10000 + ((d->hi - 0xD800) << 10) + (u - 0xDC00));
            d->hi = 0;
            return o;
        }
        o = textenc_put_utf8(out, 0xFFFD);          /* lone high surrogate */
        d->hi = 0;
    }
    if (u >= 0xD800 && u <= 0xDBFF)
        d->hi = u;
    else if (u >= 0xDC00 && u <= 0xDFFF)
        o += textenc_put_utf8(out + o, 0xFFFD);     /* lone low surrogate */
    else
        o += textenc_put_utf8(out + o, u);
    return o;
}

size_t utf16_decode(struct utf16_decoder *d, const unsigned char *in, size_t n,
                    char *out)
{
    size_t i = 0, o = 0;

    if (d->nodd && n > 0) {
        unsigned char p[2] = {d->odd, in[0]};
        o += unit(d, textenc_utf16_unit(p, d->be), out);
        d->nodd = 0;
        i = 1;
    }
    for (; i + 2 <= n; i += 2)
        o += unit(d, textenc_utf16_unit(in + i, d->be), out + o);
    if (i < n) {
        d->odd = in[i];
        d->nodd = 1;
    }
    return o;
}

int utf16_pending(const struct utf16_decoder *d)
{
    return d->nodd || d->hi;
}

size_t utf16_finish(struct utf16_decoder *d, char *out)
{
    size_t o = utf16_pending(d) ? textenc_put_utf8(out, 0xFFFD) : 0;
    d->hi = 0;
    d->nodd = 0;
    return o;
}
