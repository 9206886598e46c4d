/*
 * fix_run_posix.c - `wudiag fix --run` where there is no cmd.exe or
 * PowerShell to run a Windows script with: never (fix_run.h).
 */
#include "src/fix_run.h"

#include <stdio.h>

int fix_run_supported(void)
{
    return 0;
}

int fix_run_script(const char *path, int ps1, int *exit_code, char *err, size_t errlen)
{
    (void)path;
    (void)ps1;
    *exit_code = -1;
    snprintf(err, errlen, "scripts run only on Windows");
    return -1;
}
