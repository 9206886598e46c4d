/*
 * fix_run_win.c - `wudiag fix --run` on Windows (fix_run.h): the script
 * runs in wudiag's console (cmd.exe /d /c, or powershell.exe -NoProfile
 * -ExecutionPolicy Bypass -File), and wudiag waits for its exit code.
 * Paths are UTF-8 inside wudiag and UTF-16 for CreateProcessW.
 */
#include "src/fix_run.h"

#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

int fix_run_supported(void)
{
    return 1;
}

int fix_run_script(const char *path, int ps1, int *exit_code, char *err, size_t errlen)
{
    static const wchar_t ps1_pre[] =
        L"powershell.exe -NoProfile -ExecutionPolicy Bypass -File \"";
    static const wchar_t cmd_pre[] = L"cmd.exe /d /c \"\"";
    const wchar_t *pre = ps1 ? ps1_pre : cmd_pre, *post = ps1 ? L"\"" : L"\"\"";
    STARTUPINFOW si;
    PROCESS_INFORMATION pi;
    wchar_t *line = NULL;
    DWORD code = 0;
    int n, rc = -1;
    size_t len;

    *exit_code = -1;
    n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, path, -1, NULL, 0);
    if (n <= 0) {
        snprintf(err, errlen, "the script's name is not valid UTF-8");
        return -1;
    }
    len = wcslen(pre) + (size_t)n + wcslen(post) + 1;
    if (!(line = malloc(len * sizeof *line))) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    wcscpy(line, pre);
    MultiByteToWideChar(CP_UTF8, 0, path, -1, line + wcslen(pre), n);
    wcscat(line, post);
    memset(&si, 0, sizeof si);
    si.cb = sizeof si;
    if (!CreateProcessW(NULL, line, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) {
        snprintf(err, errlen, "cannot start %s (error %lu)", ps1 ? "powershell.exe" : "cmd.exe",
                 (unsigned long)GetLastError());
        goto cleanup;
    }
    WaitForSingleObject(pi.hProcess, INFINITE);
    if (!GetExitCodeProcess(pi.hProcess, &code)) {
        snprintf(err, errlen, "cannot read the script's exit code (error %lu)",
                 (unsigned long)GetLastError());
    } else {
        *exit_code = (int)code;
        rc = 0;
    }
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
cleanup:
    free(line);
    return rc;
}
