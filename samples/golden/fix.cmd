@echo off
rem wudiag fix: the remediation script for the open findings, first finding first
rem written by wudiag 0.1.0 on 2026-01-01 00:00:00 UTC
rem Host: PC-GOLDEN
rem OS: Windows 11, version 24H2 (build 10.0.26100), en; supported until 2026-10-13
rem Verdict: critical; 4 open findings with a fix
rem 
rem Run it as administrator: right-click it and choose Run as administrator, or run it from an elevated 
rem     Command Prompt.
rem Every command's output and exit code go to the transcript SCRIPT.log beside it (this file's name, 
rem     .log); the script stops at the first step that fails. Steps that need a person pause with 
rem     instructions; a restart comes last.
rem Exit codes: 0 every step done (or skipped, or already done), 1 a step failed, 2 not run as 
rem     administrator, 3 the transcript cannot be written.
rem Evidence is quoted in comments only.
setlocal EnableExtensions DisableDelayedExpansion
rem commands come from PATH only, never from the current folder
set "NoDefaultCurrentDirectoryInExePath=1"
set "WUDIAG_LOG=%~dpn0.log"
set "WUDIAG_OUT=%~dpn0.out"
set "WUDIAG_STEP=0"
set "WUDIAG_RC=0"
cmd /d /c exit 0
>>"%WUDIAG_LOG%" echo ==== wudiag fix script for PC-GOLDEN started %DATE% %TIME%
if errorlevel 1 goto wudiag_nolog
net session >nul 2>&1
if errorlevel 1 goto wudiag_noadmin
>>"%WUDIAG_LOG%" echo running as administrator

rem ======== Fix 1 of 3: enable-wuauserv - Re-enable the Windows Update service (wuauserv)
rem Answers finding [1] critical service-disabled: Windows Update service (wuauserv) is disabled
rem   1 occurrence, 2025-12-09 10:02:44 .. 2025-12-09 10:02:44 UTC
rem   code 0x80070422 ERROR_SERVICE_DISABLED
rem   evidence 2025-12-09 10:02:44: wuauserv: start type is disabled (start-type change event, 
rem     2025-12-09 10:02:44 UTC)
rem Answers finding [2] critical install-failures: Update installation fails with 0x80070422 
rem     (ERROR_SERVICE_DISABLED), repeatedly
rem   3 occurrences, 2025-12-10 03:05:17 .. 2025-12-12 03:06:12 UTC
rem   code 0x80070422 ERROR_SERVICE_DISABLED
rem   evidence 2025-12-10 03:05:17: 2025-12-10 03:05:17: 2025-12 Cumulative Update for Windows 11 
rem     Version 24H2 for x64-based Systems (KB5072033)
rem   evidence 2025-12-11 03:04:51: 2025-12-11 03:04:51: 2025-12 Cumulative Update for Windows 11 
rem     Version 24H2 for x64-based Systems (KB5072033)
rem   evidence 2025-12-12 03:06:12: 2025-12-12 03:06:12: 2025-12 Cumulative Update for Windows 11 
rem     Version 24H2 for x64-based Systems (KB5072033)
rem Why: The Windows Update service is disabled, so nothing can scan, download or install. On Windows 
rem     10/11 its default is Manual (Trigger Start); Automatic also works.
rem The fix's steps, as the report gives them:
rem   1. Press Win+R, type services.msc and press Enter.
rem   2. Double-click Windows Update.
rem   3. Set Startup type to Manual (the Windows 10/11 default) or Automatic, click Apply, then Start.
rem   4. If the setting flips back to Disabled, a policy, management tool or 'update blocker' app is 
rem     changing it; find and remove that first.
rem   5. Or run the commands below in Command Prompt (Admin).
echo.
echo ==== Fix 1 of 3: Re-enable the Windows Update service ^(wuauserv^)
echo      for finding [1]: Windows Update service (wuauserv) is disabled
>>"%WUDIAG_LOG%" echo ==== fix enable-wuauserv for finding [1] service-disabled, finding [2] install-failures
rem ---- step 1: a check
set "WUDIAG_STEP=1"
echo.
echo [step 1] sc.exe qc wuauserv
>>"%WUDIAG_LOG%" echo [step 1] run: sc.exe qc wuauserv
cmd /d /c exit 0
call :wudiag_step1 >"%WUDIAG_OUT%" 2>&1
set "WUDIAG_RC=%errorlevel%"
type "%WUDIAG_OUT%"
type "%WUDIAG_OUT%" >>"%WUDIAG_LOG%"
>>"%WUDIAG_LOG%" echo [step 1] exit code %WUDIAG_RC%
rem a check (shows the service's start type): its exit code never stops the script
rem ---- step 2
set "WUDIAG_STEP=2"
echo.
echo [step 2] sc.exe config wuauserv start= demand
>>"%WUDIAG_LOG%" echo [step 2] run: sc.exe config wuauserv start= demand
cmd /d /c exit 0
call :wudiag_step2 >"%WUDIAG_OUT%" 2>&1
set "WUDIAG_RC=%errorlevel%"
type "%WUDIAG_OUT%"
type "%WUDIAG_OUT%" >>"%WUDIAG_LOG%"
>>"%WUDIAG_LOG%" echo [step 2] exit code %WUDIAG_RC%
if not "%WUDIAG_RC%"=="0" echo [step 2] Exit code 5 means access denied ^(not elevated, or a policy or tool protects the service^); 1060 means the service does not exist on this Windows.
if not "%WUDIAG_RC%"=="0" goto wudiag_failed
rem ---- step 3
set "WUDIAG_STEP=3"
echo.
echo [step 3] sc.exe start wuauserv
>>"%WUDIAG_LOG%" echo [step 3] run: sc.exe start wuauserv
cmd /d /c exit 0
call :wudiag_step3 >"%WUDIAG_OUT%" 2>&1
set "WUDIAG_RC=%errorlevel%"
type "%WUDIAG_OUT%"
type "%WUDIAG_OUT%" >>"%WUDIAG_LOG%"
>>"%WUDIAG_LOG%" echo [step 3] exit code %WUDIAG_RC%
rem exit code 1056 also means done: the service was already running
if "%WUDIAG_RC%"=="1056" >>"%WUDIAG_LOG%" echo [step 3] exit code 1056 means done: the service was already running
if "%WUDIAG_RC%"=="1056" set "WUDIAG_RC=0"
if not "%WUDIAG_RC%"=="0" goto wudiag_failed

rem ======== Fix 2 of 3: restart-pending - Restart the device to finish pending work
rem Answers finding [3] warning restart-pending: A restart is pending to finish installing KB5066128 
rem     since 2025-12-03 (9 days without a restart)
rem   1 occurrence, 2025-12-03 03:20:11 .. 2025-12-12 08:30:00 UTC
rem   evidence 2025-12-03 03:20:11: 2025-12-03 03:20:11 UTC: restart required: KB5066128
rem   evidence 2025-12-12 08:30:00: no start of Windows logged after 2025-12-03 03:20 UTC; the evidence 
rem     ends 2025-12-12 08:30:00 UTC
rem Why: An earlier update or setup step is waiting for a restart; nothing else installs until it 
rem     completes.
rem The fix's steps, as the report gives them:
rem   1. Save work and close apps.
rem   2. Start - Power - Restart (use Restart, not Shut down: with Fast Startup a shutdown does not 
rem     finish pending updates).
rem   3. After the restart, check Windows Update again and install what is left.
rem   4. To see whether a restart is still pending, run the reg query below in Command Prompt (Admin); 
rem     an existing key means yes.
echo.
echo ==== Fix 2 of 3: Restart the device to finish pending work
echo      for finding [3]: A restart is pending to finish installing KB5066128 since 2025-12-03 (9 days without a restart)
>>"%WUDIAG_LOG%" echo ==== fix restart-pending for finding [3] restart-pending
rem (shutdown /r /t 0 restarts the device: it runs after every other step)
rem ---- step 4
set "WUDIAG_STEP=4"
echo.
echo [step 4] set WU=HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate
>>"%WUDIAG_LOG%" echo [step 4] run: set WU=HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate
cmd /d /c exit 0
call :wudiag_step4 >"%WUDIAG_OUT%" 2>&1
set "WUDIAG_RC=%errorlevel%"
type "%WUDIAG_OUT%"
type "%WUDIAG_OUT%" >>"%WUDIAG_LOG%"
>>"%WUDIAG_LOG%" echo [step 4] exit code %WUDIAG_RC%
if not "%WUDIAG_RC%"=="0" goto wudiag_failed
rem ---- step 5: a check
set "WUDIAG_STEP=5"
echo.
echo [step 5] reg query "%%WU%%\Auto Update\RebootRequired"
>>"%WUDIAG_LOG%" echo [step 5] run: reg query "%%WU%%\Auto Update\RebootRequired"
cmd /d /c exit 0
call :wudiag_step5 >"%WUDIAG_OUT%" 2>&1
set "WUDIAG_RC=%errorlevel%"
type "%WUDIAG_OUT%"
type "%WUDIAG_OUT%" >>"%WUDIAG_LOG%"
>>"%WUDIAG_LOG%" echo [step 5] exit code %WUDIAG_RC%
rem a check (shows the value; exit 1 means the key or value does not exist): its exit code never stops 
rem     the script

rem ======== Fix 3 of 3: check-proxy - Check the WinHTTP proxy and name resolution
rem Answers finding [4] warning scan-failures: Scanning for updates fails with 0x8024402C 
rem     (WU_E_PT_WINHTTP_NAME_NOT_RESOLVED)
rem   1 occurrence, 2025-12-10 03:00:05 .. 2025-12-10 03:00:05 UTC
rem   code 0x8024402C WU_E_PT_WINHTTP_NAME_NOT_RESOLVED
rem   evidence 2025-12-10 03:00:05: 2025-12-10 03:00:05: an update
rem Why: The update service uses the machine-wide WinHTTP proxy, not the browser's. A stale, wrong or 
rem     authenticating proxy, or broken DNS, makes it unable to reach the update servers.
rem The fix's steps, as the report gives them:
rem   1. Open Command Prompt (Admin) and show the WinHTTP proxy (first command below).
rem   2. Compare it with the intended proxy (Windows 11: Settings - Network + internet - Proxy; Windows 
rem     10: Settings - Network + Internet - Proxy).
rem   3. If no proxy should be used, reset it; if the browser proxy is correct, import it.
rem   4. If the proxy needs a login, ask the network team to allow the Windows Update addresses without 
rem     authentication.
rem   5. Check that the update host names resolve (nslookup below) and retry.
echo.
echo ==== Fix 3 of 3: Check the WinHTTP proxy and name resolution
echo      for finding [4]: Scanning for updates fails with 0x8024402C (WU_E_PT_WINHTTP_NAME_NOT_RESOLVED)
>>"%WUDIAG_LOG%" echo ==== fix check-proxy for finding [4] scan-failures
rem ---- step 6: a check
set "WUDIAG_STEP=6"
echo.
echo [step 6] netsh winhttp show proxy
>>"%WUDIAG_LOG%" echo [step 6] run: netsh winhttp show proxy
cmd /d /c exit 0
call :wudiag_step6 >"%WUDIAG_OUT%" 2>&1
set "WUDIAG_RC=%errorlevel%"
type "%WUDIAG_OUT%"
type "%WUDIAG_OUT%" >>"%WUDIAG_LOG%"
>>"%WUDIAG_LOG%" echo [step 6] exit code %WUDIAG_RC%
rem a check (shows the WinHTTP proxy): its exit code never stops the script
rem ---- step 7: only if the reader says so
set "WUDIAG_STEP=7"
echo.
echo [step 7] Should this device reach the update servers without a proxy?
echo     netsh winhttp reset proxy
set "WUDIAG_ANS="
set /p "WUDIAG_ANS=Run it? Type y to run it, Enter to skip it: "
if /i "%WUDIAG_ANS%"=="y" goto wudiag_ask7
>>"%WUDIAG_LOG%" echo [step 7] skipped: the reader did not answer y
goto wudiag_skip7
:wudiag_ask7
echo [step 7] netsh winhttp reset proxy
>>"%WUDIAG_LOG%" echo [step 7] run: netsh winhttp reset proxy
cmd /d /c exit 0
call :wudiag_step7
set "WUDIAG_RC=%errorlevel%"
>>"%WUDIAG_LOG%" echo [step 7] interactive: its output was on the screen only
>>"%WUDIAG_LOG%" echo [step 7] exit code %WUDIAG_RC%
if not "%WUDIAG_RC%"=="0" goto wudiag_failed
:wudiag_skip7
rem ---- step 8: only if the reader says so
set "WUDIAG_STEP=8"
echo.
echo [step 8] Is the browser's proxy the right one for this device?
echo     netsh winhttp import proxy source=ie
set "WUDIAG_ANS="
set /p "WUDIAG_ANS=Run it? Type y to run it, Enter to skip it: "
if /i "%WUDIAG_ANS%"=="y" goto wudiag_ask8
>>"%WUDIAG_LOG%" echo [step 8] skipped: the reader did not answer y
goto wudiag_skip8
:wudiag_ask8
echo [step 8] netsh winhttp import proxy source=ie
>>"%WUDIAG_LOG%" echo [step 8] run: netsh winhttp import proxy source=ie
cmd /d /c exit 0
call :wudiag_step8
set "WUDIAG_RC=%errorlevel%"
>>"%WUDIAG_LOG%" echo [step 8] interactive: its output was on the screen only
>>"%WUDIAG_LOG%" echo [step 8] exit code %WUDIAG_RC%
if not "%WUDIAG_RC%"=="0" goto wudiag_failed
:wudiag_skip8
rem ---- step 9: a check
set "WUDIAG_STEP=9"
echo.
echo [step 9] nslookup www.update.microsoft.com
>>"%WUDIAG_LOG%" echo [step 9] run: nslookup www.update.microsoft.com
cmd /d /c exit 0
call :wudiag_step9 >"%WUDIAG_OUT%" 2>&1
set "WUDIAG_RC=%errorlevel%"
type "%WUDIAG_OUT%"
type "%WUDIAG_OUT%" >>"%WUDIAG_LOG%"
>>"%WUDIAG_LOG%" echo [step 9] exit code %WUDIAG_RC%
rem a check (shows whether the update host name resolves): its exit code never stops the script

rem ======== Last: the restart the fixes ask for (restart-pending)
rem ---- step 10: restarts the device, so it comes last
set "WUDIAG_STEP=10"
echo.
echo [step 10] The device restarts now: save work and close apps first.
echo Press a key to run it (Ctrl+C stops the script).
pause >nul
echo [step 10] shutdown /r /t 0
>>"%WUDIAG_LOG%" echo [step 10] run: shutdown /r /t 0
cmd /d /c exit 0
call :wudiag_step10
set "WUDIAG_RC=%errorlevel%"
>>"%WUDIAG_LOG%" echo [step 10] interactive: its output was on the screen only
>>"%WUDIAG_LOG%" echo [step 10] exit code %WUDIAG_RC%
if not "%WUDIAG_RC%"=="0" goto wudiag_failed

echo.
echo All steps done. The transcript is "%WUDIAG_LOG%".
>>"%WUDIAG_LOG%" echo ==== done: every step succeeded, was skipped or was already done
del "%WUDIAG_OUT%" >nul 2>&1
exit /b 0

:wudiag_failed
echo.
echo [step %WUDIAG_STEP%] failed with exit code %WUDIAG_RC%: the script stops here.
echo The transcript is "%WUDIAG_LOG%".
>>"%WUDIAG_LOG%" echo ==== stopped: step %WUDIAG_STEP% failed with exit code %WUDIAG_RC%
del "%WUDIAG_OUT%" >nul 2>&1
exit /b 1

:wudiag_noadmin
echo This script must run as administrator: right-click it and choose Run as administrator.
>>"%WUDIAG_LOG%" echo ==== stopped: not run as administrator
exit /b 2

:wudiag_nolog
echo Cannot write the transcript "%WUDIAG_LOG%": copy the script to a folder you can write to.
exit /b 3

rem ---- the steps' commands, exactly as the fix catalog has them
:wudiag_step1
sc.exe qc wuauserv
exit /b %errorlevel%
:wudiag_step2
sc.exe config wuauserv start= demand
exit /b %errorlevel%
:wudiag_step3
sc.exe start wuauserv
exit /b %errorlevel%
:wudiag_step4
set WU=HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate
exit /b %errorlevel%
:wudiag_step5
reg query "%WU%\Auto Update\RebootRequired"
exit /b %errorlevel%
:wudiag_step6
netsh winhttp show proxy
exit /b %errorlevel%
:wudiag_step7
netsh winhttp reset proxy
exit /b %errorlevel%
:wudiag_step8
netsh winhttp import proxy source=ie
exit /b %errorlevel%
:wudiag_step9
nslookup www.update.microsoft.com
exit /b %errorlevel%
:wudiag_step10
shutdown /r /t 0
exit /b %errorlevel%
