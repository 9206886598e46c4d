/* fsutil_posix.c - fsync, rename(2) (atomic replace), getpid. */
#include "util/fsutil.h"

#include <stdio.h>
#include <unistd.h>

int wu_fsync(FILE *fp)
{
    return fsync(fileno(fp));
}

int wu_rename_replace(const char *from, const char *to)
{
    return rename(from, to);
}

long wu_pid(void)
{
    return (long)getpid();
}
