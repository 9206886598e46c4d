/*
 * outfile.c - temp file + rename, safe in a shared directory.
 *
 * The temporary is PATH.wudiag-tmp-PID-XXXXXX in PATH's directory (rename
 * is atomic only within one file system), created exclusively by
 * wu_temp_create (mkstemp / CreateFile CREATE_NEW): a symlink or file
 * planted at that name, or at any predictable name, is never followed nor
 * reused.  Replacing a regular file keeps its mode.  Data is flushed and
 * fsync'ed before the rename; any failure removes the temporary, and so do
 * SIGINT, SIGTERM and SIGHUP (wu_temp_on_signal).  After a SIGKILL the
 * next outfile_open of the same PATH removes it (wu_temp_sweep: the PID in
 * the name is no longer running).
 *
 * A PATH that is a FIFO, a character device or a socket (/dev/stdout, a
 * named pipe) is written directly: renaming over it would replace the
 * device node or link itself.  A symlink at PATH that someone else owns is
 * replaced, not followed; one the user or root owns leads to the file to
 * replace (wu_open_special).
 */
#include "util/outfile.h"
#include "util/fsutil.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct outfile {
    FILE *fp;
    char *path;         /* what the temporary replaces */
    char *tmp;          /* NULL when writing to path directly */
};

static void outfile_free(struct outfile *of)
{
    free(of->path);
    free(of->tmp);
    free(of);
}

struct outfile *outfile_open(const char *path)
{
    struct outfile *of = calloc(1, sizeof *of);
    char *resolved = NULL;
    int special = 0, e;

    if (!of) {
        errno = ENOMEM;
        return NULL;
    }
    errno = 0;
    of->fp = wu_open_special(path, &special, &resolved);
    if (special) {
        if (!of->fp)
            goto fail;
        return of;
    }
    of->path = resolved ? resolved : strdup(path);
    if (!of->path)
        goto fail;
    wu_temp_sweep(of->path);
    if (!(of->fp = wu_temp_create(of->path, &of->tmp)))
        goto fail;
    return of;
fail:
    e = errno ? errno : ENOMEM;
    outfile_free(of);
    errno = e;
    return NULL;
}

FILE *outfile_fp(struct outfile *of)
{
    return of->fp;
}

int outfile_commit(struct outfile *of)
{
    int rc = 0, e = 0;

    errno = 0;
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
    if (of->tmp)
        wu_temp_on_signal(NULL);
    outfile_free(of);
    errno = e;
    return rc;
}

void outfile_abort(struct outfile *of)
{
    if (!of)
        return;
    if (of->fp)
        fclose(of->fp);
    if (of->tmp) {
        remove(of->tmp);
        wu_temp_on_signal(NULL);
    }
    outfile_free(of);
}
