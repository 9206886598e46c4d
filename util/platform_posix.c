/*
 * platform_posix.c - process set-up on Linux: the terminal decides the
 * charset; a file-size limit (ulimit -f) must not kill wudiag mid-write.
 */
#include "util/platform.h"

#include <signal.h>

void platform_init(void)
{
    /* Past RLIMIT_FSIZE the kernel sends SIGXFSZ, whose default action
     * kills the process without a word.  Ignored, the write fails with
     * EFBIG instead: SQLite rolls the run back and wudiag says "disk
     * full" with exit 4, or "cannot write" for -o. */
    signal(SIGXFSZ, SIG_IGN);
}

void platform_binary_stdout(void)
{
}
