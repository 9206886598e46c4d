/* fsutil_win.c - _commit, MoveFileEx(REPLACE_EXISTING), process id.  File
 * names are UTF-8: the manifest makes UTF-8 the process code page. */
#include "util/fsutil.h"

#include <errno.h>
#include <io.h>
#include <windows.h>

int wu_fsync(FILE *fp)
{
    return _commit(_fileno(fp));
}

int wu_rename_replace(const char *from, const char *to)
{
    if (MoveFileExA(from, to, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
        return 0;
    errno = GetLastError() == ERROR_ACCESS_DENIED ? EACCES : EIO;
    return -1;
}

long wu_pid(void)
{
    return (long)GetCurrentProcessId();
}

/* Windows reports a full disk as such (ERROR_DISK_FULL); no limit to name. */
const char *wu_write_limit(const char *path)
{
    (void)path;
    return NULL;
}

/* A read-only medium makes SQLite fail with its own error there. */
int wu_on_readonly_fs(const char *path)
{
    (void)path;
    return 0;
}
