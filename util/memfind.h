/*
 * memfind.h - find a NUL-ended needle in a byte range that is not NUL-ended
 * (a line of a text log, a piece of a message): exactly, or ignoring ASCII
 * case.  Candidates are found with memchr, so a scan costs about what
 * memchr costs, and the time is linear in n for any needle.  Used by the
 * text-log reader, its pattern matcher and the OS evidence of text logs.
 */
#ifndef WUDIAG_MEMFIND_H
#define WUDIAG_MEMFIND_H

#include <stddef.h>

/* The first needle in s[0..n), or NULL; s itself for an empty needle. */
const char *mem_find(const char *s, size_t n, const char *needle);

/* The same, ASCII letters of either case matching (bytes >= 0x80 exactly). */
const char *mem_find_ci(const char *s, size_t n, const char *needle);

#endif
