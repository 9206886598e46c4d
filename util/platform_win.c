/*
 * platform_win.c - UTF-8 console output; standard output in binary mode
 * for the CSV/NDJSON writers.  File names and argv are UTF-8 already: the
 * manifest (tools/win/wudiag.manifest) makes UTF-8 the process code page.
 */
#include "util/platform.h"

#include <windows.h>
#include <fcntl.h>
#include <io.h>
#include <stdio.h>

void platform_init(void)
{
    SetConsoleOutputCP(CP_UTF8);
    SetConsoleCP(CP_UTF8);
}

void platform_binary_stdout(void)
{
    fflush(stdout);
    _setmode(_fileno(stdout), _O_BINARY);
}
