/* fsutil_win.c - _commit, MoveFileEx(REPLACE_EXISTING), process id, and the
 * temporary files beside a target: CreateFile CREATE_NEW (never opens an
 * existing file or link), removal on Ctrl-C / console close, and the sweep
 * of those a killed process left (see fsutil.h).  File names are UTF-8:
 * the manifest makes UTF-8 the process code page. */
#include "util/fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <windows.h>

#define TEMP_MARK ".wudiag-tmp-"

int wu_fsync(FILE *fp)
{
    return _commit(_fileno(fp));
}

static int map_error(DWORD e)
{
    switch (e) {
    case ERROR_ACCESS_DENIED: return EACCES;
    case ERROR_FILE_EXISTS: case ERROR_ALREADY_EXISTS: return EEXIST;
    case ERROR_PATH_NOT_FOUND: case ERROR_FILE_NOT_FOUND: return ENOENT;
    case ERROR_DISK_FULL: case ERROR_HANDLE_DISK_FULL: return ENOSPC;
    default: return EIO;
    }
}

int wu_rename_replace(const char *from, const char *to)
{
    if (MoveFileExA(from, to, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
        return 0;
    errno = map_error(GetLastError());
    return -1;
}

int wu_rename_new(const char *from, const char *to)
{
    if (MoveFileExA(from, to, MOVEFILE_WRITE_THROUGH))
        return 0;
    errno = map_error(GetLastError());
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

/* SQLite on Windows reads a WAL database without creating files beside it
 * only through its own locking; nothing to decide here. */
int wu_dir_writable(const char *path)
{
    (void)path;
    return 1;
}

/* ---- temporary files ------------------------------------------------------ */

/* The documented exception to "no global state": the console control
 * handler runs on its own thread and can only reach a static. */
static struct {
    volatile LONG armed;
    char path[4096];
    int installed;
} sig_temp;

static BOOL WINAPI on_ctrl(DWORD type)
{
    (void)type;
    if (sig_temp.armed)
        DeleteFileA(sig_temp.path);     /* removed when the handle closes */
    return FALSE;                       /* then the default: terminate */
}

void wu_temp_on_signal(const char *tmp)
{
    InterlockedExchange(&sig_temp.armed, 0);
    if (!tmp || strlen(tmp) >= sizeof sig_temp.path)
        return;
    memcpy(sig_temp.path, tmp, strlen(tmp) + 1);
    if (!sig_temp.installed)
        sig_temp.installed = SetConsoleCtrlHandler(on_ctrl, TRUE) != 0;
    InterlockedExchange(&sig_temp.armed, 1);
}

FILE *wu_temp_create(const char *target, char **tmp)
{
    static const char digits[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    size_t n = strlen(target) + sizeof TEMP_MARK + 32;
    char *name = malloc(n);
    unsigned seed = (unsigned)GetTickCount() ^ ((unsigned)GetCurrentProcessId() << 16);
    HANDLE h = INVALID_HANDLE_VALUE;
    FILE *fp;
    int fd;

    *tmp = NULL;
    if (!name) {
        errno = ENOMEM;
        return NULL;
    }
    for (int tries = 0; tries < 100 && h == INVALID_HANDLE_VALUE; tries++) {
        char rnd[7];
        LARGE_INTEGER pc;
        QueryPerformanceCounter(&pc);
        seed = seed * 1103515245u + 12345u + (unsigned)pc.LowPart;
        for (int i = 0; i < 6; i++)
            rnd[i] = digits[(seed >> (i * 5)) % (sizeof digits - 1)];
        rnd[6] = '\0';
        snprintf(name, n, "%s" TEMP_MARK "%lu-%s", target,
                 (unsigned long)GetCurrentProcessId(), rnd);
        /* CREATE_NEW fails on any existing name, a link included; the
         * share mode lets the Ctrl-C handler delete it while it is open */
        h = CreateFileA(name, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_DELETE,
                        NULL, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, NULL);
        if (h == INVALID_HANDLE_VALUE && GetLastError() != ERROR_FILE_EXISTS &&
            GetLastError() != ERROR_ALREADY_EXISTS)
            break;
    }
    if (h == INVALID_HANDLE_VALUE) {
        errno = map_error(GetLastError());
        free(name);
        return NULL;
    }
    if ((fd = _open_osfhandle((intptr_t)h, _O_WRONLY | _O_BINARY)) < 0) {
        CloseHandle(h);
        DeleteFileA(name);
        free(name);
        errno = EIO;
        return NULL;
    }
    if (!(fp = _fdopen(fd, "wb"))) {
        _close(fd);
        DeleteFileA(name);
        free(name);
        errno = ENOMEM;
        return NULL;
    }
    *tmp = name;
    wu_temp_on_signal(name);
    return fp;
}

void wu_temp_sweep(const char *target)
{
    const char *slash = strrchr(target, '/'), *bs = strrchr(target, '\\');
    size_t dlen, n = strlen(target) + sizeof TEMP_MARK + 2;
    char *pat = malloc(n), *p = NULL;
    WIN32_FIND_DATAA fd;
    HANDLE fh;

    if (bs && (!slash || bs > slash))
        slash = bs;
    dlen = slash ? (size_t)(slash - target) + 1 : 0;
    if (!pat)
        return;
    snprintf(pat, n, "%s" TEMP_MARK "*", target);
    if ((fh = FindFirstFileA(pat, &fd)) == INVALID_HANDLE_VALUE) {
        free(pat);
        return;
    }
    do {
        const char *rest = strstr(fd.cFileName, TEMP_MARK);
        char *end;
        unsigned long pid;
        HANDLE ph;
        if (!rest || (fd.dwFileAttributes & (FILE_ATTRIBUTE_DIRECTORY |
                                             FILE_ATTRIBUTE_REPARSE_POINT)))
            continue;
        pid = strtoul(rest + sizeof TEMP_MARK - 1, &end, 10);
        if (*end != '-' || pid == 0 || pid == GetCurrentProcessId())
            continue;
        if ((ph = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid)) != NULL) {
            CloseHandle(ph);            /* still running */
            continue;
        }
        if (GetLastError() != ERROR_INVALID_PARAMETER)
            continue;                   /* exists, not ours to ask */
        free(p);
        if (!(p = malloc(dlen + strlen(fd.cFileName) + 1)))
            break;
        memcpy(p, target, dlen);
        strcpy(p + dlen, fd.cFileName);
        DeleteFileA(p);
    } while (FindNextFileA(fh, &fd));
    FindClose(fh);
    free(p);
    free(pat);
}

/* NUL, CON, a pipe: written through (the old behaviour: not a regular file
 * and not a directory).  Windows symlinks need privileges to create and
 * are replaced by MoveFileEx, not followed. */
FILE *wu_open_special(const char *path, int *special, char **resolved)
{
    struct stat sb;

    *special = 0;
    *resolved = NULL;
    if (stat(path, &sb) != 0 || S_ISREG(sb.st_mode) || S_ISDIR(sb.st_mode))
        return NULL;
    *special = 1;
    return fopen(path, "wb");
}
