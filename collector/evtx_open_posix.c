/*
 * evtx_open_posix.c - POSIX: libevtx takes the UTF-8 path as it is.
 */
#include "collector/evtx_open.h"

int evtx_open_file(libevtx_file_t *file, const char *path, libevtx_error_t **e)
{
    return libevtx_file_open(file, path, LIBEVTX_OPEN_READ, e);
}
