/*
 * fsutil_posix.c - fsync, rename(2) (atomic replace), getpid, and the
 * temporary files beside a target: mkstemp (O_CREAT|O_EXCL, never follows a
 * planted symlink), the target's mode, removal on SIGINT/SIGTERM/SIGHUP and
 * the sweep of those a SIGKILL left behind (see fsutil.h).
 */
#include "util/fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#define TEMP_MARK ".wudiag-tmp-"

int wu_fsync(FILE *fp)
{
    return fsync(fileno(fp));
}

/* The directory part of path ("." when it has none), malloc'd. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t n = slash ? (size_t)(slash - path) : 1;
    char *d;

    if (slash && n == 0)
        n = 1;                      /* "/name": the root */
    if (!(d = malloc(n + 1)))
        return NULL;
    memcpy(d, slash ? path : ".", n);
    d[n] = '\0';
    return d;
}

int wu_rename_replace(const char *from, const char *to)
{
    char *dir;
    int fd;

    if (rename(from, to) != 0)
        return -1;
    /* make the new name itself durable (best effort: some file systems
     * refuse fsync on a directory) */
    if ((dir = dir_of(to)) != NULL) {
        if ((fd = open(dir, O_RDONLY)) >= 0) {
            (void)fsync(fd);
            close(fd);
        }
        free(dir);
    }
    return 0;
}

int wu_rename_new(const char *from, const char *to)
{
    struct stat sb;

    if (link(from, to) == 0) {
        unlink(from);
        return 0;
    }
    if (errno == EEXIST)
        return -1;
    /* no hard links here (FAT, some FUSE): rename when to is still absent */
    if (lstat(to, &sb) == 0) {
        errno = EEXIST;
        return -1;
    }
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

int wu_dir_writable(const char *path)
{
    char *dir = dir_of(path);
    int ok;
    if (!dir)
        return 1;
    ok = access(dir, W_OK) == 0;
    free(dir);
    return ok;
}

/* ---- temporary files ------------------------------------------------------ */

/*
 * The documented exception to "no global state": a signal handler can only
 * reach a static.  The name is copied in before `armed` is set and armed is
 * cleared before the name changes, so the handler never sees half a name.
 * A name longer than the buffer is not armed (the sweep removes it later).
 */
static struct {
    volatile sig_atomic_t armed;
    char path[4096];
    int installed;
    struct sigaction old[3];
} sig_temp;

static const int temp_signals[3] = {SIGINT, SIGTERM, SIGHUP};

static void on_signal(int sig)
{
    if (sig_temp.armed)
        unlink(sig_temp.path);
    signal(sig, SIG_DFL);           /* both async-signal-safe */
    raise(sig);
}

void wu_temp_on_signal(const char *tmp)
{
    struct sigaction sa;

    sig_temp.armed = 0;
    if (!tmp) {
        if (sig_temp.installed)
            for (int i = 0; i < 3; i++)
                sigaction(temp_signals[i], &sig_temp.old[i], NULL);
        sig_temp.installed = 0;
        return;
    }
    if (strlen(tmp) >= sizeof sig_temp.path)
        return;
    memcpy(sig_temp.path, tmp, strlen(tmp) + 1);
    if (!sig_temp.installed) {
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        for (int i = 0; i < 3; i++) {
            sigaction(temp_signals[i], NULL, &sig_temp.old[i]);
            /* nohup and the like: an ignored signal stays ignored */
            if (sig_temp.old[i].sa_handler != SIG_IGN)
                sigaction(temp_signals[i], &sa, NULL);
        }
        sig_temp.installed = 1;
    }
    sig_temp.armed = 1;
}

FILE *wu_temp_create(const char *target, char **tmp)
{
    size_t n = strlen(target) + sizeof TEMP_MARK + 32;
    char *name = malloc(n);
    struct stat sb;
    mode_t mode, mask;
    sigset_t block, old;
    FILE *fp;
    int fd, e;

    *tmp = NULL;
    if (!name) {
        errno = ENOMEM;
        return NULL;
    }
    snprintf(name, n, "%s" TEMP_MARK "%ld-XXXXXX", target, (long)getpid());
    /* replacing a regular file keeps its permissions (a 0600 report stays
     * private); a new file, or a symlink being replaced, gets the usual */
    if (lstat(target, &sb) == 0 && S_ISREG(sb.st_mode)) {
        mode = sb.st_mode & 0777;
    } else {
        mask = umask(0);
        umask(mask);
        mode = 0666 & ~mask;
    }
    /* mkstemp: O_RDWR|O_CREAT|O_EXCL, mode 0600 until fchmod; the signals
     * that remove it wait until it is armed, so none leaves it behind */
    sigemptyset(&block);
    for (int i = 0; i < 3; i++)
        sigaddset(&block, temp_signals[i]);
    sigprocmask(SIG_BLOCK, &block, &old);
    if ((fd = mkstemp(name)) >= 0)
        wu_temp_on_signal(name);
    e = errno;
    sigprocmask(SIG_SETMASK, &old, NULL);
    errno = e;
    if (fd < 0)
        goto fail;
    if (fchmod(fd, mode) != 0 || !(fp = fdopen(fd, "wb"))) {
        e = errno;
        close(fd);
        unlink(name);
        wu_temp_on_signal(NULL);
        errno = e;
        goto fail;
    }
    *tmp = name;
    return fp;
fail:
    e = errno;
    free(name);
    errno = e;
    return NULL;
}

/* 1 when rest is "PID-XXXXXX" with an optional SQLite side-file suffix;
 * *pid gets PID. */
static int temp_suffix(const char *rest, long *pid)
{
    char *end;
    size_t n;
    if (*rest < '0' || *rest > '9')
        return 0;
    *pid = strtol(rest, &end, 10);
    if (*end != '-' || *pid <= 0)
        return 0;
    n = strlen(end + 1);
    if (n < 6)
        return 0;
    end += 7;
    return !*end || strcmp(end, "-wal") == 0 || strcmp(end, "-shm") == 0 ||
           strcmp(end, "-journal") == 0;
}

void wu_temp_sweep(const char *target)
{
    char *dir = dir_of(target), *prefix = NULL, *p = NULL;
    const char *base = strrchr(target, '/');
    struct dirent *de;
    struct stat sb;
    size_t plen;
    DIR *d = NULL;
    long pid;

    base = base ? base + 1 : target;
    plen = strlen(base) + sizeof TEMP_MARK - 1;
    if (!dir || !(prefix = malloc(plen + 1)) || !(d = opendir(dir)))
        goto cleanup;
    snprintf(prefix, plen + 1, "%s" TEMP_MARK, base);
    while ((de = readdir(d)) != NULL) {
        if (strncmp(de->d_name, prefix, plen) != 0 ||
            !temp_suffix(de->d_name + plen, &pid) || pid == (long)getpid())
            continue;
        /* alive, or someone else's (EPERM): leave it */
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        free(p);
        if (!(p = malloc(strlen(dir) + strlen(de->d_name) + 2)))
            break;
        sprintf(p, "%s/%s", dir, de->d_name);
        if (lstat(p, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_uid == geteuid())
            unlink(p);
    }
cleanup:
    if (d)
        closedir(d);
    free(p);
    free(prefix);
    free(dir);
}

FILE *wu_open_special(const char *path, int *special, char **resolved)
{
    struct stat lsb, sb;
    int fd, flags = O_WRONLY | O_NOCTTY, e;
    FILE *fp;

    *special = 0;
    *resolved = NULL;
    if (lstat(path, &lsb) != 0)
        return NULL;
    if (S_ISLNK(lsb.st_mode)) {
        /* a link someone else planted is a name to replace, never followed */
        if ((lsb.st_uid != geteuid() && lsb.st_uid != 0) || stat(path, &sb) != 0)
            return NULL;
        if (S_ISREG(sb.st_mode)) {
            *resolved = realpath(path, NULL);   /* our own link: its file */
            return NULL;
        }
    } else {
        sb = lsb;
        flags |= O_NOFOLLOW;
    }
    if (!S_ISFIFO(sb.st_mode) && !S_ISCHR(sb.st_mode) && !S_ISSOCK(sb.st_mode))
        return NULL;
    *special = 1;
    if ((fd = open(path, flags)) < 0)
        return NULL;
    /* swapped for a regular file since lstat: write nothing into it */
    if (fstat(fd, &sb) != 0 || S_ISREG(sb.st_mode) || S_ISDIR(sb.st_mode)) {
        close(fd);
        errno = EBUSY;
        return NULL;
    }
    if (!(fp = fdopen(fd, "wb"))) {
        e = errno;
        close(fd);
        errno = e;
    }
    return fp;
}
