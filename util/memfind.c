/*
 * memfind.c - substring search in byte ranges (see memfind.h).
 *
 * mem_find: memchr to the next byte equal to the needle's first, then one
 * memcmp.  mem_find_ci: the same with two memchr streams, one per case of
 * the first letter, each remembered until it is passed so no byte is
 * scanned twice by memchr.
 */
#include "util/memfind.h"

#include <string.h>

static unsigned char lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static int same_ci(const char *a, const char *b, size_t m)
{
    for (size_t i = 0; i < m; i++)
        if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
            return 0;
    return 1;
}

const char *mem_find(const char *s, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    const char *p = s, *last;

    if (m == 0)
        return s;
    if (m > n)
        return NULL;
    last = s + (n - m);         /* the last place a match can start */
    while (p <= last && (p = memchr(p, needle[0], (size_t)(last - p) + 1)) != NULL) {
        if (memcmp(p + 1, needle + 1, m - 1) == 0)
            return p;
        p++;
    }
    return NULL;
}

const char *mem_find_ci(const char *s, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    unsigned char lo, up;
    const char *p = s, *last, *a = NULL, *b = NULL;
    int a_done = 0, b_done = 0;

    if (m == 0)
        return s;
    if (m > n)
        return NULL;
    lo = lower((unsigned char)needle[0]);
    up = lo >= 'a' && lo <= 'z' ? (unsigned char)(lo - 32) : lo;
    last = s + (n - m);
    while (p <= last) {
        const char *c;
        size_t room = (size_t)(last - p) + 1;
        if (!a_done && (!a || a < p) && !(a = memchr(p, lo, room)))
            a_done = 1;
        if (up == lo)
            b_done = 1;
        else if (!b_done && (!b || b < p) && !(b = memchr(p, up, room)))
            b_done = 1;
        c = a_done ? NULL : a;
        if (!b_done && (!c || b < c))
            c = b;
        if (!c)
            return NULL;
        if (same_ci(c + 1, needle + 1, m - 1))
            return c;
        p = c + 1;
    }
    return NULL;
}
