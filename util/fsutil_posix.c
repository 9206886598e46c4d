/* fsutil_posix.c - fsync, rename(2) (atomic replace), getpid. */
#include "util/fsutil.h"

#include <stdint.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/statvfs.h>
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

const char *wu_write_limit(const char *path)
{
    struct rlimit rl;
    struct statvfs vs;

    if (getrlimit(RLIMIT_FSIZE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
        return "disk full or file size limit reached (ulimit -f)";
    if (path && *path && statvfs(path, &vs) == 0 &&
        (uint64_t)vs.f_bavail * vs.f_frsize < 4u * 1024 * 1024)
        return "disk full";
    return NULL;
}

int wu_on_readonly_fs(const char *path)
{
    struct statvfs vs;
    return statvfs(path, &vs) == 0 && (vs.f_flag & ST_RDONLY);
}
