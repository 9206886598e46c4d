/*
 * outfile.h - write a file atomically: everything goes to a temporary file
 * beside the target, which replaces the target only when complete, so a
 * reader never sees half a report.
 */
#ifndef WUDIAG_OUTFILE_H
#define WUDIAG_OUTFILE_H

#include <stdio.h>

struct outfile;

/* Open a temporary file beside path; NULL with errno set on failure. */
struct outfile *outfile_open(const char *path);
FILE *outfile_fp(struct outfile *of);
/* Flush, sync and rename over path; 0, or -1 with errno set (temp removed). */
int outfile_commit(struct outfile *of);
/* Remove the temporary file and free. */
void outfile_abort(struct outfile *of);

#endif
