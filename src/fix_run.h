/*
 * fix_run.h - `wudiag fix --run`: run a written remediation script and wait
 * for it (fix_run_win.c); elsewhere there is nothing to run it with
 * (fix_run_posix.c), and the command refuses --run before writing anything.
 */
#ifndef WUDIAG_FIX_RUN_H
#define WUDIAG_FIX_RUN_H

#include <stddef.h>

/* 1 where scripts can be run (Windows), 0 elsewhere. */
int fix_run_supported(void);

/*
 * Run the script at path (UTF-8): a .ps1 with powershell.exe -NoProfile
 * -ExecutionPolicy Bypass -File, a .cmd with cmd.exe /d /c, in this console,
 * and wait.  0 and *exit_code set, or -1 with the reason in err.
 */
int fix_run_script(const char *path, int ps1, int *exit_code, char *err, size_t errlen);

#endif
