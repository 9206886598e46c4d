/*
 * keyset.c - any-of-these-keys search, ASCII case ignored (see keyset.h).
 *
 * m is the shortest key's length.  shift[] is indexed by two raw bytes
 * (every case variant of a pair is filled in, so the scan folds nothing;
 * the pair is read as one 16-bit load):
 * for the pair ending a window, how far the window may move before it
 * could end on the first m bytes of some key.  Where the shift is 0, the
 * keys whose first m bytes end in that pair (sorted by the pair, folded;
 * first[] points at their run) are compared whole at the window's start.
 */
#include "util/keyset.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct ks_key {
    char *text;                 /* lower-case */
    size_t len;
    unsigned gram;              /* folded bytes m-2, m-1 */
    unsigned groups;
    size_t index;               /* in the order given to ks_new */
};

struct keyset {
    size_t m;
    struct ks_key *keys;        /* sorted by gram */
    size_t nkeys;
    unsigned all;               /* every group of the set */
    uint32_t *first;            /* folded gram -> 1 + index of its first key, or 0 */
    unsigned char shift[65536];
};

static unsigned char fold(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static unsigned char other_case(unsigned char c)
{
    if (c >= 'a' && c <= 'z')
        return (unsigned char)(c - 32);
    return c;
}

static int by_gram(const void *a, const void *b)
{
    const struct ks_key *x = a, *y = b;
    return x->gram < y->gram ? -1 : x->gram > y->gram;
}

void ks_free(struct keyset *ks)
{
    if (!ks)
        return;
    for (size_t i = 0; i < ks->nkeys; i++)
        free(ks->keys[i].text);
    free(ks->keys);
    free(ks->first);
    free(ks);
}

/* The index of the pair (a, b) in shift[]: the two bytes as one 16-bit
 * load from memory gives it (first byte low), whatever the host's order. */
static unsigned pair(unsigned char a, unsigned char b)
{
    unsigned char two[2] = {a, b};
    uint16_t v;
    memcpy(&v, two, 2);
    return v;
}

/* The pair ending at u[pos] (pos >= 1), as pair() indexes it. */
static unsigned pair_at(const unsigned char *u, size_t pos)
{
    uint16_t v;
    memcpy(&v, u + pos - 1, 2);
    return v;
}

/* Lower every pair shift of (a, b), in all its cases, to at most sh. */
static void lower_shift(struct keyset *ks, unsigned char a, unsigned char b, size_t sh)
{
    unsigned char as[2] = {a, other_case(a)}, bs[2] = {b, other_case(b)};
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++) {
            unsigned char *e = &ks->shift[pair(as[i], bs[j])];
            if (*e > sh)
                *e = (unsigned char)sh;
        }
}

struct keyset *ks_new(const char *const *keys, const unsigned *groups, size_t n)
{
    struct keyset *ks = calloc(1, sizeof *ks);
    size_t m = SIZE_MAX;

    if (!ks || n == 0)
        goto fail;
    for (size_t i = 0; i < n; i++)
        if (strlen(keys[i]) < m)
            m = strlen(keys[i]);
    if (m < 2)
        goto fail;
    if (m > 255)
        m = 255;                /* a shift fits a byte */
    ks->m = m;
    ks->keys = calloc(n, sizeof *ks->keys);
    ks->first = calloc(65536, sizeof *ks->first);
    if (!ks->keys || !ks->first)
        goto fail;
    memset(ks->shift, (int)(m - 1), sizeof ks->shift);
    for (size_t i = 0; i < n; i++) {
        struct ks_key *k = &ks->keys[ks->nkeys];
        k->len = strlen(keys[i]);
        if (!(k->text = malloc(k->len + 1)))
            goto fail;
        ks->nkeys++;
        k->groups = groups ? groups[i] : 1u;
        k->index = i;
        ks->all |= k->groups;
        for (size_t j = 0; j <= k->len; j++)
            k->text[j] = (char)fold((unsigned char)keys[i][j]);
        k->gram = (unsigned)(unsigned char)k->text[m - 2] << 8 |
                  (unsigned char)k->text[m - 1];
        for (size_t j = 1; j < m; j++)
            lower_shift(ks, (unsigned char)k->text[j - 1], (unsigned char)k->text[j],
                        m - 1 - j);
    }
    qsort(ks->keys, ks->nkeys, sizeof *ks->keys, by_gram);
    for (size_t i = ks->nkeys; i-- > 0;)
        ks->first[ks->keys[i].gram] = (uint32_t)(i + 1);
    return ks;
fail:
    ks_free(ks);
    return NULL;
}

/* Does key k start at s (with room for it before end)? */
static int key_at(const struct ks_key *k, const unsigned char *s, const unsigned char *end)
{
    if ((size_t)(end - s) < k->len)
        return 0;
    for (size_t i = 0; i < k->len; i++)
        if (fold(s[i]) != (unsigned char)k->text[i])
            return 0;
    return 1;
}

unsigned ks_groups(const struct keyset *ks, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s, *end = u + n;
    const unsigned char *shift = ks->shift;
    size_t m = ks->m, pos = m - 1;
    unsigned found = 0;

    while (pos < n) {
        unsigned sh = shift[pair_at(u, pos)];
        if (sh) {
            pos += sh;
            continue;
        }
        unsigned g = (unsigned)fold(u[pos - 1]) << 8 | fold(u[pos]);
        for (uint32_t i = ks->first[g]; i && i <= ks->nkeys && ks->keys[i - 1].gram == g; i++)
            if ((ks->keys[i - 1].groups & ~found) &&
                key_at(&ks->keys[i - 1], u + pos + 1 - m, end)) {
                found |= ks->keys[i - 1].groups;
                if (found == ks->all)
                    return found;
            }
        pos++;
    }
    return found;
}

unsigned ks_hits(const struct keyset *ks, const char *s, size_t n, uint64_t *hits)
{
    const unsigned char *u = (const unsigned char *)s, *end = u + n;
    const unsigned char *shift = ks->shift;
    size_t m = ks->m, pos = m - 1;
    unsigned found = 0;

    while (pos < n) {
        unsigned sh = shift[pair_at(u, pos)];
        if (sh) {
            pos += sh;
            continue;
        }
        unsigned g = (unsigned)fold(u[pos - 1]) << 8 | fold(u[pos]);
        for (uint32_t i = ks->first[g]; i && i <= ks->nkeys && ks->keys[i - 1].gram == g; i++) {
            const struct ks_key *k = &ks->keys[i - 1];
            if (!(hits[k->index / 64] >> (k->index % 64) & 1) &&
                key_at(k, u + pos + 1 - m, end)) {
                hits[k->index / 64] |= 1ull << (k->index % 64);
                found |= k->groups;
            }
        }
        pos++;
    }
    return found;
}

int ks_any(const struct keyset *ks, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s, *end = u + n;
    const unsigned char *shift = ks->shift;
    size_t m = ks->m, pos = m - 1;

    while (pos < n) {
        unsigned sh = shift[pair_at(u, pos)];
        if (sh) {
            pos += sh;
            continue;
        }
        unsigned g = (unsigned)fold(u[pos - 1]) << 8 | fold(u[pos]);
        for (uint32_t i = ks->first[g]; i && i <= ks->nkeys && ks->keys[i - 1].gram == g; i++)
            if (key_at(&ks->keys[i - 1], u + pos + 1 - m, end))
                return 1;
        pos++;
    }
    return 0;
}
