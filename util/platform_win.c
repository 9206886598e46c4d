/*
 * platform_win.c - UTF-8 console output.  File names and argv are UTF-8
 * already: the manifest (tools/win/wudiag.manifest) makes UTF-8 the
 * process code page.
 */
#include "platform.h"

#include <windows.h>

void platform_init(void)
{
    SetConsoleOutputCP(CP_UTF8);
    SetConsoleCP(CP_UTF8);
}
