/*
 * evtx_open_win.c - Windows: libevtx (libbfio) opens "\\?\" + its own full
 * path of the name, which splits at backslashes only, so hand it the
 * absolute path Windows makes of ours (forward slashes, "..", relative), as
 * UTF-16.  File names are UTF-8 in the process (the manifest's code page).
 */
#include "collector/evtx_open.h"

#include <stdlib.h>
#include <windows.h>

int evtx_open_file(libevtx_file_t *file, const char *path, libevtx_error_t **e)
{
    wchar_t *w = NULL, *full = NULL;
    int r, n = MultiByteToWideChar(CP_UTF8, 0, path, -1, NULL, 0);
    DWORD len;

    if (n > 0 && (w = malloc((size_t)n * sizeof *w)) &&
        MultiByteToWideChar(CP_UTF8, 0, path, -1, w, n) == n &&
        (len = GetFullPathNameW(w, 0, NULL, NULL)) > 0 &&
        (full = malloc((size_t)len * sizeof *full)) &&
        GetFullPathNameW(w, len, full, NULL) < len)
        r = libevtx_file_open_wide(file, full, LIBEVTX_OPEN_READ, e);
    else
        r = libevtx_file_open(file, path, LIBEVTX_OPEN_READ, e);
    free(w);
    free(full);
    return r;
}
