/*
 * dispwidth.c - display width of UTF-8 text in terminal columns (see
 * dispwidth.h): a UTF-8 decoder and binary search over the generated range
 * tables of dispwidth_table.c.
 */
#include "util/dispwidth.h"

static int in_ranges(const struct dw_range *r, size_t len, uint32_t cp)
{
    size_t lo = 0, hi = len;
    if (len == 0 || cp < r[0].lo || cp > r[len - 1].hi)
        return 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cp < r[mid].lo)
            hi = mid;
        else if (cp > r[mid].hi)
            lo = mid + 1;
        else
            return 1;
    }
    return 0;
}

int dw_char_width(uint32_t cp)
{
    if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
        return 0;
    if (cp < 0x300)
        return 1;                           /* Latin, fast path */
    if (in_ranges(dw_zero, dw_zero_len, cp))
        return 0;
    if (in_ranges(dw_wide, dw_wide_len, cp))
        return 2;
    return 1;
}

size_t dw_decode(const char *str, size_t n, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    unsigned c = s[0];
    size_t len, i;
    uint32_t v, min;

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2; v = c & 0x1F; min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3; v = c & 0x0F; min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4; v = c & 0x07; min = 0x10000;
    } else {
        *cp = 0xFFFD;
        return 1;
    }
    if (n < len) {
        *cp = 0xFFFD;
        return 1;
    }
    for (i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return 1;
        }
        v = v << 6 | (s[i] & 0x3Fu);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
        *cp = 0xFFFD;
        return 1;
    }
    *cp = v;
    return len;
}

size_t dw_width_n(const char *s, size_t n)
{
    size_t w = 0, i = 0;
    if (s == NULL)
        return 0;
    while (i < n) {
        uint32_t cp;
        if ((unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7F) {
            w++;                            /* printable ASCII */
            i++;
            continue;
        }
        i += dw_decode(s + i, n - i, &cp);
        w += (size_t)dw_char_width(cp);
    }
    return w;
}

size_t dw_width(const char *s)
{
    size_t n = 0;
    if (s == NULL)
        return 0;
    while (s[n] != '\0')
        n++;
    return dw_width_n(s, n);
}

size_t dw_prefix(const char *s, size_t n, size_t cols, size_t *width)
{
    size_t w = 0, i = 0;
    while (s != NULL && i < n) {
        uint32_t cp;
        size_t len = dw_decode(s + i, n - i, &cp);
        size_t cw = (size_t)dw_char_width(cp);
        if (w + cw > cols)
            break;
        w += cw;
        i += len;
    }
    if (width != NULL)
        *width = w;
    return i;
}
