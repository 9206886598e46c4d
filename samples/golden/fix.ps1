# wudiag fix: the remediation script for the open findings, first finding first
# written by wudiag 0.1.0 on 2026-01-01 00:00:00 UTC
# Host: PC-GOLDEN
# OS: Windows 11, version 24H2 (build 10.0.26100), en; supported until 2026-10-13
# Verdict: critical; 4 open findings with a fix
# 
# Run it in PowerShell started as administrator:
#   powershell -NoProfile -ExecutionPolicy Bypass -File .\SCRIPT.ps1
# Each command runs through cmd.exe exactly as the report prints it.
# Every command's output and exit code go to the transcript SCRIPT.log beside it (this file's name, 
#     .log); the script stops at the first step that fails. Steps that need a person pause with 
#     instructions; a restart comes last.
# Exit codes: 0 every step done (or skipped, or already done), 1 a step failed, 2 not run as 
#     administrator, 3 the transcript cannot be written.
# Evidence is quoted in comments only.
$WudiagHost = 'PC-GOLDEN'
$ErrorActionPreference = 'Stop'
# commands come from PATH only, never from the current folder
$env:NoDefaultCurrentDirectoryInExePath = '1'
$WudiagScript = $MyInvocation.MyCommand.Path
$WudiagLog = [System.IO.Path]::ChangeExtension($WudiagScript, '.log')
$WudiagOut = [System.IO.Path]::ChangeExtension($WudiagScript, '.out')
$WudiagErr = [System.IO.Path]::ChangeExtension($WudiagScript, '.err')

function Write-WudiagLog([string]$Text) {
    Add-Content -LiteralPath $WudiagLog -Value $Text
}

function Stop-Wudiag([int]$Step, [string]$Why) {
    Write-Host ''
    Write-Host ('[step ' + $Step + '] ' + $Why + ': the script stops here. The transcript is ' + $WudiagLog)
    Write-WudiagLog ('==== stopped: step ' + $Step + ' ' + $Why)
    exit 1
}

# Run one catalog command through cmd.exe exactly as typed; log its output
# and exit code; stop unless it is 0, an exit code -Ok says means done, or
# the step is a check.
function Invoke-WudiagStep {
    param([int]$Step, [string]$Command, [hashtable]$Ok = @{}, [switch]$Check,
          [switch]$Interactive, [string]$IfFails)
    Write-Host ''
    Write-Host ('[step ' + $Step + '] ' + $Command)
    Write-WudiagLog ('[step ' + $Step + '] run: ' + $Command)
    $cmdArgs = '/d /s /c "' + $Command + '"'
    if ($Interactive) {
        $p = Start-Process -FilePath $env:ComSpec -ArgumentList $cmdArgs -NoNewWindow -Wait -PassThru
        Write-WudiagLog ('[step ' + $Step + '] interactive: its output was on the screen only')
    } else {
        $p = Start-Process -FilePath $env:ComSpec -ArgumentList $cmdArgs -NoNewWindow -Wait -PassThru `
            -RedirectStandardOutput $WudiagOut -RedirectStandardError $WudiagErr
        foreach ($f in @($WudiagOut, $WudiagErr)) {
            if (Test-Path -LiteralPath $f) {
                $text = @(Get-Content -LiteralPath $f)
                if ($text.Count -gt 0) {
                    $text | Write-Host
                    Add-Content -LiteralPath $WudiagLog -Value $text
                }
                Remove-Item -LiteralPath $f
            }
        }
    }
    $code = [int]$p.ExitCode
    Write-WudiagLog ('[step ' + $Step + '] exit code ' + $code)
    if ($code -eq 0) { return }
    if ($Ok.ContainsKey($code)) {
        Write-WudiagLog ('[step ' + $Step + '] exit code ' + $code + ' means done: ' + $Ok[$code])
        return
    }
    if ($Check) {
        Write-WudiagLog ('[step ' + $Step + '] a check: its exit code does not stop the script')
        return
    }
    if ($IfFails) { Write-Host ('[step ' + $Step + '] ' + $IfFails) }
    Stop-Wudiag $Step ('failed with exit code ' + $code)
}

# A step for a person (or the warning before an interactive one): the
# instructions, the command to type, and a pause.
function Wait-WudiagPerson {
    param([int]$Step, [string[]]$Instructions, [string]$Command, [switch]$Before)
    Write-Host ''
    $lead = 'By hand: '
    if ($Before) { $lead = '' }
    foreach ($i in $Instructions) { Write-Host ('[step ' + $Step + '] ' + $lead + $i); $lead = '  ' }
    if ($Before) {
        [void](Read-Host 'Press Enter to run it (Ctrl+C stops the script)')
        return
    }
    if ($Command) { Write-Host ('    ' + $Command) }
    Write-WudiagLog ('[step ' + $Step + '] by hand: ' + $Command)
    [void](Read-Host 'Press Enter when it is done (Ctrl+C stops the script)')
    Write-WudiagLog ('[step ' + $Step + '] went on after the pause')
}

# A step only the reader can choose: asked, default no.
function Confirm-WudiagStep {
    param([int]$Step, [string]$Question, [string]$Command)
    Write-Host ''
    Write-Host ('[step ' + $Step + '] ' + $Question)
    Write-Host ('    ' + $Command)
    $answer = Read-Host 'Run it? Type y to run it, Enter to skip it'
    if ($answer -eq 'y') { return $true }
    Write-WudiagLog ('[step ' + $Step + '] skipped: the reader did not answer y')
    return $false
}

# cmd.exe's set: an environment variable the later steps' cmd.exe inherit.
function Set-WudiagVariable([int]$Step, [string]$Name, [string]$Value) {
    Write-WudiagLog ('[step ' + $Step + '] set ' + $Name + '=' + $Value)
    [Environment]::SetEnvironmentVariable($Name, $Value, 'Process')
}

function Write-WudiagFinding([string]$Fix, [string]$Title, [string]$Finding) {
    Write-Host ''
    Write-Host ('==== ' + $Fix + ': ' + $Title)
    Write-Host ('     for ' + $Finding)
    Write-WudiagLog ('==== fix ' + $Fix + ' for ' + $Finding)
}

try {
    Write-WudiagLog ('==== wudiag fix script for ' + $WudiagHost + ' started ' + (Get-Date -Format 'yyyy-MM-dd HH:mm:ss'))
} catch {
    Write-Host ('Cannot write the transcript ' + $WudiagLog + ': copy the script to a folder you can write to.')
    exit 3
}
$WudiagId = [Security.Principal.WindowsIdentity]::GetCurrent()
$WudiagAdmin = [Security.Principal.WindowsBuiltInRole]::Administrator
if (-not (New-Object Security.Principal.WindowsPrincipal($WudiagId)).IsInRole($WudiagAdmin)) {
    Write-Host 'This script must run as administrator: start PowerShell with Run as administrator.'
    Write-WudiagLog '==== stopped: not run as administrator'
    exit 2
}
Write-WudiagLog 'running as administrator'

# ======== Fix 1 of 3: enable-wuauserv - Re-enable the Windows Update service (wuauserv)
# Answers finding [1] critical service-disabled: Windows Update service (wuauserv) is disabled
#   1 occurrence, 2025-12-09 10:02:44 .. 2025-12-09 10:02:44 UTC
#   code 0x80070422 ERROR_SERVICE_DISABLED
#   evidence 2025-12-09 10:02:44: wuauserv: start type is disabled (start-type change event, 
#     2025-12-09 10:02:44 UTC)
# Answers finding [2] critical install-failures: Update installation fails with 0x80070422 
#     (ERROR_SERVICE_DISABLED), repeatedly
#   3 occurrences, 2025-12-10 03:05:17 .. 2025-12-12 03:06:12 UTC
#   code 0x80070422 ERROR_SERVICE_DISABLED
#   evidence 2025-12-10 03:05:17: 2025-12-10 03:05:17: 2025-12 Cumulative Update for Windows 11 
#     Version 24H2 for x64-based Systems (KB5072033)
#   evidence 2025-12-11 03:04:51: 2025-12-11 03:04:51: 2025-12 Cumulative Update for Windows 11 
#     Version 24H2 for x64-based Systems (KB5072033)
#   evidence 2025-12-12 03:06:12: 2025-12-12 03:06:12: 2025-12 Cumulative Update for Windows 11 
#     Version 24H2 for x64-based Systems (KB5072033)
# Why: The Windows Update service is disabled, so nothing can scan, download or install. On Windows 
#     10/11 its default is Manual (Trigger Start); Automatic also works.
# The fix's steps, as the report gives them:
#   1. Press Win+R, type services.msc and press Enter.
#   2. Double-click Windows Update.
#   3. Set Startup type to Manual (the Windows 10/11 default) or Automatic, click Apply, then Start.
#   4. If the setting flips back to Disabled, a policy, management tool or 'update blocker' app is 
#     changing it; find and remove that first.
#   5. Or run the commands below in Command Prompt (Admin).
Write-WudiagFinding -Fix 'enable-wuauserv' -Title 'Re-enable the Windows Update service (wuauserv)' -Finding 'finding [1]: Windows Update service (wuauserv) is disabled'
# ---- step 1: a check
Invoke-WudiagStep -Step 1 -Command 'sc.exe qc wuauserv' -Check
# ---- step 2
Invoke-WudiagStep -Step 2 -Command 'sc.exe config wuauserv start= demand' -IfFails 'Exit code 5 means access denied (not elevated, or a policy or tool protects the service); 1060 means the service does not exist on this Windows.'
# ---- step 3
Invoke-WudiagStep -Step 3 -Command 'sc.exe start wuauserv' -Ok @{1056 = 'the service was already running'}

# ======== Fix 2 of 3: restart-pending - Restart the device to finish pending work
# Answers finding [3] warning restart-pending: A restart is pending to finish installing KB5066128 
#     since 2025-12-03 (9 days without a restart)
#   1 occurrence, 2025-12-03 03:20:11 .. 2025-12-12 08:30:00 UTC
#   evidence 2025-12-03 03:20:11: 2025-12-03 03:20:11 UTC: restart required: KB5066128
#   evidence 2025-12-12 08:30:00: no start of Windows logged after 2025-12-03 03:20 UTC; the evidence 
#     ends 2025-12-12 08:30:00 UTC
# Why: An earlier update or setup step is waiting for a restart; nothing else installs until it 
#     completes.
# The fix's steps, as the report gives them:
#   1. Save work and close apps.
#   2. Start > Power > Restart (use Restart, not Shut down: with Fast Startup a shutdown does not 
#     finish pending updates).
#   3. After the restart, check Windows Update again and install what is left.
#   4. To see whether a restart is still pending, run the reg query below in Command Prompt (Admin); 
#     an existing key means yes.
Write-WudiagFinding -Fix 'restart-pending' -Title 'Restart the device to finish pending work' -Finding 'finding [3]: A restart is pending to finish installing KB5066128 since 2025-12-03 (9 days without a restart)'
# (shutdown /r /t 0 restarts the device: it runs after every other step)
# ---- step 4
# cmd.exe's "set": an environment variable for the steps after it
Set-WudiagVariable -Step 4 -Name 'WU' -Value 'HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate'
# ---- step 5: a check
Invoke-WudiagStep -Step 5 -Command 'reg query "%WU%\Auto Update\RebootRequired"' -Check

# ======== Fix 3 of 3: check-proxy - Check the WinHTTP proxy and name resolution
# Answers finding [4] warning scan-failures: Scanning for updates fails with 0x8024402C 
#     (WU_E_PT_WINHTTP_NAME_NOT_RESOLVED)
#   1 occurrence, 2025-12-10 03:00:05 .. 2025-12-10 03:00:05 UTC
#   code 0x8024402C WU_E_PT_WINHTTP_NAME_NOT_RESOLVED
#   evidence 2025-12-10 03:00:05: 2025-12-10 03:00:05: an update
# Why: The update service uses the machine-wide WinHTTP proxy, not the browser's. A stale, wrong or 
#     authenticating proxy, or broken DNS, makes it unable to reach the update servers.
# The fix's steps, as the report gives them:
#   1. Open Command Prompt (Admin) and show the WinHTTP proxy (first command below).
#   2. Compare it with the intended proxy (Windows 11: Settings > Network & internet > Proxy; Windows 
#     10: Settings > Network & Internet > Proxy).
#   3. If no proxy should be used, reset it; if the browser proxy is correct, import it.
#   4. If the proxy needs a login, ask the network team to allow the Windows Update addresses without 
#     authentication.
#   5. Check that the update host names resolve (nslookup below) and retry.
Write-WudiagFinding -Fix 'check-proxy' -Title 'Check the WinHTTP proxy and name resolution' -Finding 'finding [4]: Scanning for updates fails with 0x8024402C (WU_E_PT_WINHTTP_NAME_NOT_RESOLVED)'
# ---- step 6: a check
Invoke-WudiagStep -Step 6 -Command 'netsh winhttp show proxy' -Check
# ---- step 7: only if the reader says so
if (Confirm-WudiagStep -Step 7 -Question 'Should this device reach the update servers without a proxy?' -Command 'netsh winhttp reset proxy') {
    Invoke-WudiagStep -Step 7 -Command 'netsh winhttp reset proxy' -Interactive
}
# ---- step 8: only if the reader says so
if (Confirm-WudiagStep -Step 8 -Question 'Is the browser''s proxy the right one for this device?' -Command 'netsh winhttp import proxy source=ie') {
    Invoke-WudiagStep -Step 8 -Command 'netsh winhttp import proxy source=ie' -Interactive
}
# ---- step 9: a check
Invoke-WudiagStep -Step 9 -Command 'nslookup www.update.microsoft.com' -Check

# ======== Last: the restart the fixes ask for (restart-pending)
# ---- step 10: restarts the device, so it comes last
Wait-WudiagPerson -Step 10 -Instructions @('The device restarts now: save work and close apps first.') -Command 'shutdown /r /t 0' -Before
Invoke-WudiagStep -Step 10 -Command 'shutdown /r /t 0' -Interactive

Write-Host ''
Write-Host ('All steps done. The transcript is ' + $WudiagLog)
Write-WudiagLog '==== done: every step succeeded, was skipped or was already done'
exit 0
