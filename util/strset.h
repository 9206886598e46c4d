/*
 * strset.h - a set of borrowed C strings (open addressing), for linear-time
 * passes over many events.  The strings must outlive the set.
 */
#ifndef WUDIAG_STRSET_H
#define WUDIAG_STRSET_H

#include <stddef.h>

struct strset {
    const char **slot;
    size_t cap, n;
};

void strset_init(struct strset *s);
void strset_free(struct strset *s);
/* 0, or -1 on out of memory. */
int strset_add(struct strset *s, const char *key);
int strset_has(const struct strset *s, const char *key);

#endif
