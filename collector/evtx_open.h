/*
 * evtx_open.h - open an .evtx file with libevtx the way each platform needs:
 * a plain UTF-8 path on POSIX (evtx_open_posix.c); on Windows the absolute
 * UTF-16 path, since libbfio splits paths at backslashes only
 * (evtx_open_win.c).  The one platform difference of the .evtx reader.
 */
#ifndef WUDIAG_EVTX_OPEN_H
#define WUDIAG_EVTX_OPEN_H

#include <libevtx.h>

/* libevtx_file_open for path (UTF-8): 1 on success, -1 with *e set. */
int evtx_open_file(libevtx_file_t *file, const char *path, libevtx_error_t **e);

#endif
