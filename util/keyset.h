/*
 * keyset.h - "does any of these keys occur in this byte range?", ASCII case
 * ignored, at a fraction of a per-byte scan's cost: the gate a text-log
 * line passes before the pattern table, the offset and OS searches look
 * at it (most lines of a CBS.log hold none of their keys).
 *
 * The keys are searched as a set, Wu-Manber style: a window as long as the
 * shortest key slides along the range and jumps by a shift looked up from
 * its last two bytes, so most bytes are never read; where the shift is 0
 * the keys ending in those two bytes are compared in full.  The answer is
 * exact (the same as asking mem_find_ci of every key).
 */
#ifndef WUDIAG_KEYSET_H
#define WUDIAG_KEYSET_H

#include <stddef.h>
#include <stdint.h>

struct keyset;

/*
 * A set of n keys (ASCII; each at least 2 bytes long, else NULL), each in
 * the groups of its bit mask (groups[i]; NULL puts every key in group 1).
 * The strings are copied.  NULL on out of memory or a key too short.
 */
struct keyset *ks_new(const char *const *keys, const unsigned *groups, size_t n);
void ks_free(struct keyset *ks);

/* 1 when some key occurs in s[0..n) (ASCII letters of either case
 * matching), else 0.  s need not be NUL-ended. */
int ks_any(const struct keyset *ks, const char *s, size_t n);

/* The groups of the keys that occur in s[0..n), OR-ed; 0 when none does.
 * The scan stops once every group of the set is found. */
unsigned ks_groups(const struct keyset *ks, const char *s, size_t n);

/* The same, scanning the whole range, and with bit i of hits (64 to a
 * word; (n + 63) / 64 words, cleared by the caller) set for each key i
 * (in the order given to ks_new) that occurs. */
unsigned ks_hits(const struct keyset *ks, const char *s, size_t n, uint64_t *hits);

#endif
