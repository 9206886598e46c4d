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
/* 1 when a new file can be created in the directory holding path. */
int wu_dir_writable(const char *path);

/*
 * Temporary files beside a target (util/outfile.c, store/store.c).
 *
 * wu_temp_create makes a new file named TARGET.wudiag-tmp-PID-XXXXXX in
 * TARGET's directory, exclusively (POSIX: mkstemp, O_CREAT|O_EXCL, so a
 * planted symlink or an existing file at that name is never followed nor
 * reused; Windows: CreateFile CREATE_NEW), with TARGET's permission bits
 * when TARGET is a regular file and 0666 & ~umask otherwise.  *tmp gets
 * its name (malloc'd), and is armed for removal on a signal
 * (wu_temp_on_signal; POSIX blocks those signals until it is).  NULL with
 * errno set on failure.
 *
 * A process killed by SIGKILL cannot remove its temporary file: the PID in
 * the name lets wu_temp_sweep (called before each new temporary of TARGET)
 * remove TARGET.wudiag-tmp-* files whose process is gone - regular files
 * only, and only the caller's own.
 */
FILE *wu_temp_create(const char *target, char **tmp);
void wu_temp_sweep(const char *target);
/*
 * The one piece of global state (documented exception): the name of the
 * temporary file being written, removed by a SIGINT, SIGTERM or SIGHUP
 * handler (POSIX; Windows: a console Ctrl-C/close handler) before the
 * signal takes its default action.  NULL disarms.  One file at a time.
 */
void wu_temp_on_signal(const char *tmp);
/*
 * Open path to write through it when it is a FIFO, a character device or
 * a socket (-o /dev/stdout, a named pipe), or a symbolic link owned by the
 * caller or root to one: *special = 1.  Anything else is for temp and
 * rename: *special = 0 and NULL; *resolved is then the file a link owned by
 * the caller or root points to (malloc'd: replace that one, keep the link),
 * or NULL: replace path itself (a regular file, no file, or a link someone
 * else planted - replaced, never followed).  Never creates nor truncates.
 * NULL with *special = 1 and errno set when it cannot be opened.
 */
FILE *wu_open_special(const char *path, int *special, char **resolved);
/* Rename from to to only when to does not exist; 0, or -1 (EEXIST). */
int wu_rename_new(const char *from, const char *to);

#endif
