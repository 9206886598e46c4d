/*
 * fsutil.h - file-system operations that differ per platform
 * (fsutil_posix.c, fsutil_win.c).
 */
#ifndef WUDIAG_FSUTIL_H
#define WUDIAG_FSUTIL_H

#include <stdio.h>

/* Flush the stream's data to stable storage; 0 or -1 with errno. */
int wu_fsync(FILE *fp);
/* Rename from over to, replacing an existing file atomically; 0 or -1. */
int wu_rename_replace(const char *from, const char *to);
/* Process id, for unique temporary names. */
long wu_pid(void);

#endif
