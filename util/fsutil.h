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
/*
 * Why writing to the file at path may have failed when the OS only said
 * "I/O error": a file-size limit (ulimit -f) is set, or the file system
 * has (almost) no space left.  The text to show, or NULL when neither.
 */
const char *wu_write_limit(const char *path);
/* 1 when path lies on a file system mounted read-only. */
int wu_on_readonly_fs(const char *path);

#endif
