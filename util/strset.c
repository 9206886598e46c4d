/*
 * strset.c - open-addressing hash set of strings, linear probing, FNV-1a.
 */
#include "util/strset.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ull;
    while (*s) {
        h ^= (unsigned char)*s++;
        h *= 0x100000001b3ull;
    }
    return h;
}

void strset_init(struct strset *s)
{
    s->slot = NULL;
    s->cap = s->n = 0;
}

void strset_free(struct strset *s)
{
    free(s->slot);
    strset_init(s);
}

static size_t find(const char **slot, size_t cap, const char *key)
{
    size_t i = (size_t)hash(key) & (cap - 1);
    while (slot[i] && strcmp(slot[i], key) != 0)
        i = (i + 1) & (cap - 1);
    return i;
}

int strset_add(struct strset *s, const char *key)
{
    if ((s->n + 1) * 2 > s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 64;
        const char **ns = calloc(nc, sizeof *ns);
        if (!ns)
            return -1;
        for (size_t i = 0; i < s->cap; i++)
            if (s->slot[i])
                ns[find(ns, nc, s->slot[i])] = s->slot[i];
        free(s->slot);
        s->slot = ns;
        s->cap = nc;
    }
    size_t i = find(s->slot, s->cap, key);
    if (!s->slot[i]) {
        s->slot[i] = key;
        s->n++;
    }
    return 0;
}

int strset_has(const struct strset *s, const char *key)
{
    return s->cap && s->slot[find(s->slot, s->cap, key)] != NULL;
}
