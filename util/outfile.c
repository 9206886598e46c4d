/*
 * outfile.c - temp file + rename.  The temporary name is PATH.tmp.PID so
 * that it lands in the same directory (rename is atomic only within one
 * file system).  A PATH that exists and is neither a regular file nor a
 * directory (/dev/stdout, a FIFO, a device) is written directly: renaming
 * over it would replace the device node or link itself.
 */
#include "util/outfile.h"
#include "util/fsutil.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct outfile {
    FILE *fp;
    char *path;
    char *tmp;          /* NULL when writing to path directly */
};

struct outfile *outfile_open(const char *path)
{
    struct outfile *of = calloc(1, sizeof *of);
    size_t n = strlen(path) + 32;
    struct stat sb;

    if (!of)
        return NULL;
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode) && !S_ISDIR(sb.st_mode)) {
        if (!(of->fp = fopen(path, "wb")))
            goto fail;
        return of;
    }
    of->path = strdup(path);
    of->tmp = malloc(n);
    if (!of->path || !of->tmp)
        goto fail;
    snprintf(of->tmp, n, "%s.tmp.%ld", path, wu_pid());
    if (!(of->fp = fopen(of->tmp, "wb")))
        goto fail;
    return of;
fail:;
    int e = errno;
    free(of->path);
    free(of->tmp);
    free(of);
    errno = e ? e : ENOMEM;
    return NULL;
}

FILE *outfile_fp(struct outfile *of)
{
    return of->fp;
}

int outfile_commit(struct outfile *of)
{
    int rc = 0, e = 0;

    if (fflush(of->fp) != 0 || ferror(of->fp) || (of->tmp && wu_fsync(of->fp) != 0)) {
        e = errno ? errno : EIO;
        rc = -1;
    }
    if (fclose(of->fp) != 0 && rc == 0) {
        e = errno;
        rc = -1;
    }
    of->fp = NULL;
    if (rc == 0 && of->tmp && wu_rename_replace(of->tmp, of->path) != 0) {
        e = errno;
        rc = -1;
    }
    if (rc != 0 && of->tmp)
        remove(of->tmp);
    free(of->path);
    free(of->tmp);
    free(of);
    errno = e;
    return rc;
}

void outfile_abort(struct outfile *of)
{
    if (!of)
        return;
    if (of->fp)
        fclose(of->fp);
    if (of->tmp)
        remove(of->tmp);
    free(of->path);
    free(of->tmp);
    free(of);
}
