/*
 * kb_fixes.c - the fix catalog of the knowledge base.
 *
 * One row per remedy a help-desk engineer can apply, ordered roughly from
 * least to most invasive.  Codes in kb_codes.c point here by fix_id.  GUI
 * steps, cmd.exe commands and learn.microsoft.com links are plain data.
 */
#include "vocab/kb.h"

#define L_COMMON "https://learn.microsoft.com/en-us/troubleshoot/windows-client/installing-updates-features-roles/common-windows-update-errors"
#define L_RESOURCES "https://learn.microsoft.com/en-us/windows/deployment/update/windows-update-resources"
#define L_REPAIR "https://learn.microsoft.com/en-us/windows-hardware/manufacture/desktop/repair-a-windows-image"
#define L_ERRREF "https://learn.microsoft.com/en-us/windows/deployment/update/windows-update-error-reference"
#define L_UPGRADE "https://learn.microsoft.com/en-us/windows/deployment/upgrade/resolve-upgrade-errors"
#define L_SETUPDIAG "https://learn.microsoft.com/en-us/windows/deployment/upgrade/setupdiag"
#define L_CHKDSK "https://learn.microsoft.com/en-us/windows-server/administration/windows-commands/chkdsk"
#define L_SFC "https://learn.microsoft.com/en-us/windows-server/administration/windows-commands/sfc"

const struct kb_fix kb_fixes[] = {
    {
        .id = "no-action",
        .title = "No action needed",
        .why = "This code is informational or describes a normal state; it is not a fault on its own.",
        .escalation = 1,
        .steps = {
            "Nothing to fix for this code by itself.",
            "If updates still fail, look for a different, real error code near it in the log.",
            NULL },
        .commands = { NULL },
        .links = { L_ERRREF, NULL },
    },
    {
        .id = "retry-later",
        .title = "Wait and retry",
        .why = "The code is transient: another operation was running, the device was busy, on battery or shutting down. It usually clears by itself.",
        .escalation = 1,
        .steps = {
            "Let any running installation or restart finish.",
            "Keep the device on mains power and connected to the network.",
            "Windows 11: Settings > Windows Update > Check for updates. Windows 10: Settings > Update & Security > Windows Update > Check for updates.",
            "Only if the same code repeats for a day or more, follow the next fix in the report.",
            NULL },
        .commands = { NULL },
        .links = { L_COMMON, L_ERRREF, NULL },
    },
    {
        .id = "restart-pending",
        .title = "Restart the device to finish pending work",
        .why = "An earlier update or setup step is waiting for a restart; nothing else installs until it completes.",
        .escalation = 2,
        .steps = {
            "Save work and close apps.",
            "Start > Power > Restart (use Restart, not Shut down: with Fast Startup a shutdown does not finish pending updates).",
            "After the restart, check Windows Update again and install what is left.",
            "To see whether a restart is still pending, run the reg query below in Command Prompt (Admin); an existing key means yes.",
            NULL },
        .commands = {
            "shutdown /r /t 0",
            "set WU=HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate",
            "reg query \"%WU%\\Auto Update\\RebootRequired\"",
            NULL },
        .links = { L_COMMON, L_RESOURCES, NULL },
    },
    {
        .id = "store-app-in-use",
        .title = "Let the Store update the app while it is closed",
        .why = "The Store cannot replace an app's files while the app or its background task runs (0x80073D02); when the same app fails this way day after day, it never gets closed long enough.",
        .escalation = 2,
        .steps = {
            "Close the app named in the evidence, and end its background process: Task Manager > Processes (or Details) > the app > End task.",
            "Open Microsoft Store > Library (Downloads and updates on Windows 10) > Get updates, and let the app update while it stays closed.",
            "If it still fails, reset the Store cache: run wsreset (it opens the Store when done), then Get updates again.",
            "If the app starts with Windows, turn that off first: Settings > Apps > Startup.",
            NULL },
        .commands = {
            "taskkill /im APP.exe /f",
            "wsreset.exe",
            NULL },
        .links = { "https://learn.microsoft.com/en-us/troubleshoot/windows-client/shell-experience/troubleshoot-microsoft-store-apps", NULL },
    },
    {
        .id = "finish-interrupted-install",
        .title = "Let the pending installation finish: restart, then install alone",
        .why = "The installer keeps refusing because another installation or a restart is still pending (0x80240016), or the service is stopped mid-install by a shutdown (0x8024001E). Retrying without finishing that first fails the same way.",
        .escalation = 2,
        .steps = {
            "Restart the device (Start > Power > Restart, not Shut down) so the pending installation completes.",
            "After the restart, leave the device on and plugged in, and check for updates once; do not start other installers meanwhile.",
            "If the same update keeps failing with the same code afterwards, reset the Windows Update components (the next fix).",
            NULL },
        .commands = {
            "shutdown /r /t 0",
            NULL },
        .links = { L_COMMON, NULL },
    },
    {
        .id = "run-troubleshooter",
        .title = "Run the Windows Update troubleshooter",
        .why = "The built-in troubleshooter checks services, pending restarts and the update cache and repairs the common problems automatically.",
        .escalation = 2,
        .steps = {
            "Windows 11: Settings > System > Troubleshoot > Other troubleshooters > Windows Update > Run.",
            "Windows 10: Settings > Update & Security > Troubleshoot > Additional troubleshooters > Windows Update > Run the troubleshooter.",
            "Apply the fixes it suggests, restart, and check for updates again.",
            "On newer Windows 11 builds the troubleshooter opens in the Get Help app; follow its prompts.",
            "From a command prompt: the msdt command below (Windows 7 to Windows 11 22H2; later builds removed msdt and use the Get Help app).",
            NULL },
        .commands = {
            "msdt.exe /id WindowsUpdateDiagnostic",
            NULL },
        .links = { L_COMMON, L_RESOURCES, NULL },
    },
    {
        .id = "install-latest-cumulative",
        .title = "Check for updates and install the latest cumulative update",
        .why = "No cumulative (quality) update has installed for over a month although Windows Update runs: the device misses the monthly security fixes. Defender definitions and Store apps installing does not mean Windows itself is patched.",
        .escalation = 3,
        .steps = {
            "Windows 11: Settings > Windows Update > Check for updates. Windows 10: Settings > Update & Security > Windows Update > Check for updates (the start command below opens the page and starts the check).",
            "If updates are paused, choose Resume updates; install the newest \"Cumulative Update for Windows\" that is offered and restart.",
            "If nothing is offered, check whether policy defers quality updates or points to a WSUS server that does not approve them (the reg query below; DeferQualityUpdates, WUServer).",
            "Compare the installed updates (the PowerShell command) with the current month's update on the Windows release health page; if it is missing, download it from the Microsoft Update Catalog and install the .msu with wusa.",
            "If the install fails, follow the fix for its error code in this report, or reset the Windows Update components.",
            NULL },
        .commands = {
            "start ms-settings:windowsupdate-action",
            "reg query HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate /s",
            "powershell -NoProfile -Command \"Get-HotFix | Sort-Object InstalledOn -Descending | Select-Object -First 5\"",
            "wusa.exe C:\\Temp\\windows10.0-kbNNNNNNN-x64.msu /quiet /norestart",
            NULL },
        .links = { L_RESOURCES, "https://learn.microsoft.com/en-us/windows/release-health/", NULL },
    },
    {
        .id = "free-disk-space",
        .title = "Free disk space on the system drive",
        .why = "Updates need room to download, stage and keep a rollback copy; feature upgrades need around 20 GB free.",
        .escalation = 2,
        .steps = {
            "Windows 11: Settings > System > Storage; Windows 10: Settings > System > Storage. Review Temporary files and remove what is not needed.",
            "Turn on Storage Sense on the same page to clean temporary files automatically.",
            "Open Disk Cleanup as administrator (cleanmgr /sageset:1 in Command Prompt (Admin)), tick Windows Update Cleanup and Temporary files, then run cleanmgr /sagerun:1.",
            "Clean up superseded components with the DISM command below in Command Prompt (Admin).",
            "Move or delete large user files, or uninstall apps that are not needed.",
            NULL },
        .commands = {
            "fsutil volume diskfree C:",
            "cleanmgr /sageset:1",
            "cleanmgr /sagerun:1",
            "DISM /Online /Cleanup-Image /StartComponentCleanup",
            NULL },
        .links = { L_COMMON, L_UPGRADE, NULL },
    },
    {
        .id = "enable-wuauserv",
        .title = "Re-enable the Windows Update service (wuauserv)",
        .why = "The Windows Update service is disabled, so nothing can scan, download or install. On Windows 10/11 its default is Manual (Trigger Start); Automatic also works.",
        .escalation = 3,
        .steps = {
            "Press Win+R, type services.msc and press Enter.",
            "Double-click Windows Update.",
            "Set Startup type to Manual (the Windows 10/11 default) or Automatic, click Apply, then Start.",
            "If the setting flips back to Disabled, a policy, management tool or 'update blocker' app is changing it; find and remove that first.",
            "Or run the commands below in Command Prompt (Admin).",
            NULL },
        .commands = {
            "sc.exe qc wuauserv",
            "sc.exe config wuauserv start= demand",
            "sc.exe start wuauserv",
            NULL },
        .links = { L_COMMON, L_RESOURCES, NULL },
    },
    {
        .id = "enable-usosvc",
        .title = "Re-enable the Update Orchestrator Service (UsoSvc)",
        .why = "UsoSvc schedules scans, downloads and installs on Windows 10/11; when it is disabled updates stall. Its default is Automatic (Delayed Start).",
        .escalation = 3,
        .steps = {
            "Press Win+R, type services.msc and press Enter.",
            "Double-click Update Orchestrator Service.",
            "Set Startup type to Automatic (Delayed Start), click Apply, then Start.",
            "If services.msc refuses the change, run the commands below in Command Prompt (Admin).",
            NULL },
        .commands = {
            "sc.exe config UsoSvc start= delayed-auto",
            "sc.exe start UsoSvc",
            NULL },
        .links = { L_COMMON, L_RESOURCES, NULL },
    },
    {
        .id = "enable-bits",
        .title = "Re-enable Background Intelligent Transfer Service (BITS)",
        .why = "Windows Update downloads through BITS (or Delivery Optimization); a disabled or broken BITS makes downloads fail.",
        .escalation = 3,
        .steps = {
            "Press Win+R, type services.msc and press Enter.",
            "Double-click Background Intelligent Transfer Service.",
            "Set Startup type to Automatic (Delayed Start) (Manual also works), click Apply, then Start.",
            "Or run the commands below in Command Prompt (Admin).",
            NULL },
        .commands = {
            "sc.exe config BITS start= delayed-auto",
            "sc.exe start BITS",
            NULL },
        .links = { L_COMMON, L_RESOURCES, NULL },
    },
    {
        .id = "enable-cryptsvc",
        .title = "Re-enable Cryptographic Services (CryptSvc)",
        .why = "CryptSvc verifies update signatures and catalogs; without it updates cannot be trusted or installed.",
        .escalation = 3,
        .steps = {
            "Press Win+R, type services.msc and press Enter.",
            "Double-click Cryptographic Services.",
            "Set Startup type to Automatic, click Apply, then Start.",
            "Or run the commands below in Command Prompt (Admin).",
            NULL },
        .commands = {
            "sc.exe config CryptSvc start= auto",
            "sc.exe start CryptSvc",
            NULL },
        .links = { L_COMMON, L_RESOURCES, NULL },
    },
    {
        .id = "enable-trustedinstaller",
        .title = "Re-enable Windows Modules Installer (TrustedInstaller)",
        .why = "TrustedInstaller applies updates to the component store; if it is disabled, every cumulative update fails to install.",
        .escalation = 3,
        .steps = {
            "Press Win+R, type services.msc and press Enter.",
            "Double-click Windows Modules Installer.",
            "Set Startup type to Manual (the default), click Apply.",
            "Or run the commands below in Command Prompt (Admin), then retry the update.",
            NULL },
        .commands = {
            "sc.exe config TrustedInstaller start= demand",
            "sc.exe start TrustedInstaller",
            NULL },
        .links = { L_COMMON, L_REPAIR, NULL },
    },
    {
        .id = "restart-update-services",
        .title = "Restart the update services",
        .why = "A hung or half-started update service (wuauserv, BITS, CryptSvc) often causes RPC, COM and timeout errors; a clean restart clears it.",
        .escalation = 3,
        .steps = {
            "Open Command Prompt (Admin): Start, type cmd, right-click Command Prompt > Run as administrator.",
            "Run the commands below in order; if a service will not stop, restart the device instead.",
            "Check for updates again.",
            NULL },
        .commands = {
            "net stop wuauserv",
            "net stop bits",
            "net stop cryptsvc",
            "net start cryptsvc",
            "net start bits",
            "net start wuauserv",
            NULL },
        .links = { L_COMMON, L_RESOURCES, NULL },
    },
    {
        .id = "check-proxy",
        .title = "Check the WinHTTP proxy and name resolution",
        .why = "The update service uses the machine-wide WinHTTP proxy, not the browser's. A stale, wrong or authenticating proxy, or broken DNS, makes it unable to reach the update servers.",
        .escalation = 3,
        .steps = {
            "Open Command Prompt (Admin) and show the WinHTTP proxy (first command below).",
            "Compare it with the intended proxy (Windows 11: Settings > Network & internet > Proxy; Windows 10: Settings > Network & Internet > Proxy).",
            "If no proxy should be used, reset it; if the browser proxy is correct, import it.",
            "If the proxy needs a login, ask the network team to allow the Windows Update addresses without authentication.",
            "Check that the update host names resolve (nslookup below) and retry.",
            NULL },
        .commands = {
            "netsh winhttp show proxy",
            "netsh winhttp reset proxy",
            "netsh winhttp import proxy source=ie",
            "nslookup www.update.microsoft.com",
            NULL },
        .links = { L_COMMON, L_RESOURCES, NULL },
    },
    {
        .id = "check-network-tls",
        .title = "Check clock, TLS and firewall access to the update servers",
        .why = "Update traffic is HTTPS: a wrong clock, disabled TLS 1.2, TLS inspection or a firewall that blocks the Microsoft update hosts all break the connection.",
        .escalation = 3,
        .steps = {
            "Check date, time and time zone: Settings > Time & language > Date & time, turn on Set time automatically and click Sync now.",
            "Make sure TLS 1.2 is not disabled (the SCHANNEL registry key below should not set Enabled=0).",
            "Ask the network team to allow *.update.microsoft.com, *.windowsupdate.com and *.delivery.mp.microsoft.com through firewall and proxy, without TLS inspection.",
            "Test the connection with the PowerShell command below from Command Prompt (Admin).",
            "Disconnect VPN and retry to rule it out.",
            NULL },
        .commands = {
            "w32tm /query /status",
            "w32tm /resync",
            "set SCH=HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL",
            "reg query \"%SCH%\\Protocols\\TLS 1.2\\Client\"",
            "powershell -NoProfile -Command \"Test-NetConnection www.update.microsoft.com -Port 443\"",
            NULL },
        .links = { L_COMMON, L_RESOURCES, NULL },
    },
    {
        .id = "check-wsus-policy",
        .title = "Check Windows Update / WSUS group policy",
        .why = "Policy decides where the device gets updates. A wrong or unreachable WSUS server, an unapproved update, or a policy that blocks Windows Update produces these errors.",
        .escalation = 4,
        .steps = {
            "Open Command Prompt (Admin) and list the update policy values (reg query below).",
            "Check WUServer and WUStatusServer: the URL must be right and reachable from this device; UseWUServer=1 means WSUS is in use.",
            "Look for DisableWindowsUpdateAccess, DoNotConnectToWindowsUpdateInternetLocations or SetDisableUXWUAccess if the device should reach Windows Update directly.",
            "Create a policy report (gpresult below) and open %TEMP%\\gp.html to see which GPO sets these values.",
            "Fix the setting in the GPO (or ask the WSUS admin to approve the update / repair the WSUS server), then refresh policy with gpupdate /force.",
            "Do not just delete the registry key: the GPO writes it back at the next refresh.",
            NULL },
        .commands = {
            "reg query HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate",
            "reg query HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU",
            "gpresult /h %TEMP%\\gp.html",
            "gpupdate /force",
            NULL },
        .links = { L_COMMON, L_RESOURCES, L_ERRREF, NULL },
    },
    {
        .id = "check-disk-chkdsk",
        .title = "Check the file system and disk",
        .why = "Read errors and corrupt files on the system drive make downloads and installs fail and can corrupt the component store.",
        .escalation = 5,
        .steps = {
            "Back up important data first if the disk reports errors.",
            "Open Command Prompt (Admin) and run an online scan (first command below).",
            "If it reports problems, run the /f command; answer Y to schedule it and restart.",
            "If errors keep coming back, check the drive's health with the vendor tool and plan a replacement.",
            "Afterwards run SFC and DISM repair, then retry the update.",
            NULL },
        .commands = {
            "chkdsk C: /scan",
            "chkdsk C: /f",
            NULL },
        .links = { L_CHKDSK, L_COMMON, NULL },
    },
    {
        .id = "sfc-scannow",
        .title = "Repair system files with System File Checker",
        .why = "Damaged or missing system files break services and installers; SFC replaces them from the component store.",
        .escalation = 5,
        .steps = {
            "Open Command Prompt (Admin).",
            "Run sfc /scannow and wait for 100%.",
            "If it reports files it could not fix, run the DISM RestoreHealth fix first and then SFC again.",
            "Extract the SFC details from CBS.log with the findstr command if you need to see which files were affected.",
            "Restart and retry the update.",
            NULL },
        .commands = {
            "sfc /scannow",
            "findstr /c:\"[SR]\" %windir%\\Logs\\CBS\\CBS.log > %USERPROFILE%\\Desktop\\sfcdetails.txt",
            NULL },
        .links = { L_SFC, L_REPAIR, NULL },
    },
    {
        .id = "dism-restorehealth",
        .title = "Repair the component store with DISM",
        .why = "Cumulative updates are applied from the component store (WinSxS); if it is corrupt, updates fail. DISM repairs it using Windows Update as the source.",
        .escalation = 6,
        .steps = {
            "Open Command Prompt (Admin).",
            "Run ScanHealth to check for corruption (takes several minutes).",
            "Run RestoreHealth to repair it; the device needs access to Windows Update (or see the source-based fix).",
            "Run sfc /scannow afterwards to repair system files from the now-healthy store.",
            "Restart and retry the update. Details are in %windir%\\Logs\\DISM\\dism.log and %windir%\\Logs\\CBS\\CBS.log.",
            NULL },
        .commands = {
            "DISM /Online /Cleanup-Image /ScanHealth",
            "DISM /Online /Cleanup-Image /RestoreHealth",
            "sfc /scannow",
            NULL },
        .links = { L_REPAIR, L_COMMON, NULL },
    },
    {
        .id = "dism-restorehealth-source",
        .title = "Repair the component store with DISM from installation media",
        .why = "DISM could not find the files it needs (no access to Windows Update, or WSUS without them). Give it a Windows image of the same version, edition and language as a source.",
        .escalation = 7,
        .steps = {
            "Get a Windows ISO that matches the installed version, build, edition and language.",
            "Right-click the ISO > Mount and note its drive letter (D: in the commands below).",
            "In Command Prompt (Admin) list the images in install.wim and note the index that matches the installed edition.",
            "Run RestoreHealth with that source and index (replace :1); /LimitAccess stops it from trying Windows Update.",
            "If the ISO has install.esd instead, use /Source:esd:D:\\sources\\install.esd:1.",
            "For .NET Framework 3.5 errors, enable NetFx3 from D:\\sources\\sxs instead.",
            "Run sfc /scannow, restart and retry the update.",
            NULL },
        .commands = {
            "DISM /Get-WimInfo /WimFile:D:\\sources\\install.wim",
            "DISM /Online /Cleanup-Image /RestoreHealth /Source:wim:D:\\sources\\install.wim:1 /LimitAccess",
            "DISM /Online /Enable-Feature /FeatureName:NetFx3 /All /Source:D:\\sources\\sxs /LimitAccess",
            "sfc /scannow",
            NULL },
        .links = { L_REPAIR, L_COMMON, NULL },
    },
    /* Windows 7 / Server 2008 R2 have no DISM /RestoreHealth (it came with
     * Windows 8 / Server 2012): the System Update Readiness Tool is their
     * component store repair.  Source: "Fix Windows Update errors by using
     * the DISM or System Update Readiness tool" (learn.microsoft.com/
     * troubleshoot/windows-server/deployment/fix-windows-update-errors) and
     * KB947821; its log is %windir%\\Logs\\CBS\\CheckSUR.log. */
    {
        .id = "system-update-readiness",
        .title = "Repair the component store with the System Update Readiness Tool (KB947821, CheckSUR)",
        .why = "Windows 7 and Server 2008 R2 have no DISM /RestoreHealth: the System Update Readiness Tool (CheckSUR) checks and repairs the servicing store, and its log names what it could not fix.",
        .escalation = 6,
        .steps = {
            "Download the System Update Readiness Tool for this Windows (KB947821: x86 or x64, Windows 7 SP1 or Server 2008 R2 SP1) from the Microsoft Update Catalog.",
            "Install the downloaded .msu (double-click, or the wusa command below); the scan runs during the install and can take 15 minutes or more.",
            "Open %windir%\\Logs\\CBS\\CheckSUR.log: 'No errors detected' or a list of what it fixed and what it could not ('Unavailable repair files').",
            "Files it could not fix: copy them from a working machine with the same Windows version, edition and update level into %windir%\\Temp\\CheckSUR\\ (keeping the servicing\\packages and winsxs\\manifests folders) and run the tool again.",
            "Then run sfc /scannow, restart and retry the update.",
            NULL },
        .commands = {
            "wusa.exe Windows6.1-KB947821-v34-x64.msu /quiet /norestart",
            "findstr /i /c:\"Unavailable repair\" /c:\"Summary\" %windir%\\Logs\\CBS\\CheckSUR.log",
            "sfc /scannow",
            NULL },
        .links = { "https://learn.microsoft.com/en-us/troubleshoot/windows-server/deployment/fix-windows-update-errors", L_SFC, NULL },
    },
    /* A file SFC cannot repair, replaced by hand from a known-good copy:
     * "Use the System File Checker tool to repair missing or corrupted
     * system files" (support.microsoft.com, section "How to manually replace
     * a corrupted system file with a known good copy of the file"). */
    {
        .id = "replace-system-files",
        .title = "Replace the files SFC cannot repair with known-good copies",
        .why = "System File Checker named files it cannot repair (its source in the component store is damaged too). Each can be replaced by hand with the same file from a healthy machine of the same Windows version, architecture and update level.",
        .escalation = 7,
        .steps = {
            "List the files SFC could not repair: the findstr command writes the [SR] lines of CBS.log to sfcdetails.txt on the desktop ('Cannot repair member file ...').",
            "On a healthy machine with the same Windows version, architecture and updates, copy each named file (same path) to a USB stick or share.",
            "On this machine, in Command Prompt (Admin): take ownership of the damaged file, grant administrators full control, and copy the good file over it (replace the path with each file's).",
            "Run sfc /verifyonly to confirm, restart and retry the update.",
            NULL },
        .commands = {
            "findstr /c:\"[SR]\" %windir%\\Logs\\CBS\\CBS.log > %USERPROFILE%\\Desktop\\sfcdetails.txt",
            "takeown /f C:\\Windows\\System32\\xpsservices.dll",
            "icacls C:\\Windows\\System32\\xpsservices.dll /grant administrators:F",
            "copy E:\\good\\xpsservices.dll C:\\Windows\\System32\\xpsservices.dll",
            "sfc /verifyonly",
            NULL },
        .links = { L_SFC, NULL },
    },
    /* the same "check again" for each OS: where the button is
     * (learn.microsoft.com Windows Update FAQ; Windows Server: sconfig,
     * "Configure a Server Core installation with Sconfig") */
    {
        .id = "retry-later-win7",
        .title = "Wait and retry",
        .why = "The code is transient: another operation was running, the device was busy, on battery or shutting down. It usually clears by itself.",
        .escalation = 1,
        .steps = {
            "Let any running installation or restart finish.",
            "Control Panel > System and Security > Windows Update > Check for updates.",
            "Only if the same code repeats for a day or more, follow the next fix in the report.",
            NULL },
        .commands = { "wuauclt /detectnow", NULL },
        .links = { L_COMMON, NULL },
    },
    {
        .id = "retry-later-win10",
        .title = "Wait and retry",
        .why = "The code is transient: another operation was running, the device was busy, on battery or shutting down. It usually clears by itself.",
        .escalation = 1,
        .steps = {
            "Let any running installation or restart finish.",
            "Settings > Update & Security > Windows Update > Check for updates.",
            "Only if the same code repeats for a day or more, follow the next fix in the report.",
            NULL },
        .commands = { NULL },
        .links = { L_COMMON, L_ERRREF, NULL },
    },
    {
        .id = "retry-later-win11",
        .title = "Wait and retry",
        .why = "The code is transient: another operation was running, the device was busy, on battery or shutting down. It usually clears by itself.",
        .escalation = 1,
        .steps = {
            "Let any running installation or restart finish.",
            "Settings > Windows Update > Check for updates.",
            "Only if the same code repeats for a day or more, follow the next fix in the report.",
            NULL },
        .commands = { NULL },
        .links = { L_COMMON, L_ERRREF, NULL },
    },
    {
        .id = "retry-later-server",
        .title = "Wait and retry",
        .why = "The code is transient: another operation was running, the server was busy or shutting down. It usually clears by itself.",
        .escalation = 1,
        .steps = {
            "Let any running installation or restart finish.",
            "Server Core has no Settings app: run sconfig and choose Install updates (option 6 on Server 2016-2022), then All or Recommended updates.",
            "With Desktop Experience: Settings > Update & Security > Windows Update (2016/2019/2022) or Settings > Windows Update (2025) > Check for updates.",
            "Only if the same code repeats for a day or more, follow the next fix in the report.",
            NULL },
        .commands = { "sconfig", NULL },
        .links = { L_COMMON, "https://learn.microsoft.com/en-us/windows-server/administration/server-core/server-core-sconfig", NULL },
    },
    /* the troubleshooter per OS: Windows 7 has it in Control Panel
     * (Troubleshooting), Windows 10 and 11 in Settings ("Windows Update
     * Troubleshooter", support.microsoft.com); msdt on 7 to 11 22H2 */
    {
        .id = "run-troubleshooter-win7",
        .title = "Run the Windows Update troubleshooter",
        .why = "The built-in troubleshooter checks services, pending restarts and the update cache and repairs the common problems automatically.",
        .escalation = 2,
        .steps = {
            "Control Panel > Troubleshooting > System and Security > Fix problems with Windows Update.",
            "Apply the fixes it suggests, restart, and check for updates again (Control Panel > Windows Update).",
            NULL },
        .commands = { "msdt.exe /id WindowsUpdateDiagnostic", NULL },
        .links = { L_COMMON, L_RESOURCES, NULL },
    },
    {
        .id = "run-troubleshooter-win10",
        .title = "Run the Windows Update troubleshooter",
        .why = "The built-in troubleshooter checks services, pending restarts and the update cache and repairs the common problems automatically.",
        .escalation = 2,
        .steps = {
            "Settings > Update & Security > Troubleshoot > Additional troubleshooters > Windows Update > Run the troubleshooter.",
            "Apply the fixes it suggests, restart, and check for updates again.",
            NULL },
        .commands = { "msdt.exe /id WindowsUpdateDiagnostic", NULL },
        .links = { L_COMMON, L_RESOURCES, NULL },
    },
    {
        .id = "run-troubleshooter-win11",
        .title = "Run the Windows Update troubleshooter",
        .why = "The built-in troubleshooter checks services, pending restarts and the update cache and repairs the common problems automatically.",
        .escalation = 2,
        .steps = {
            "Settings > System > Troubleshoot > Other troubleshooters > Windows Update > Run.",
            "On newer Windows 11 builds the troubleshooter opens in the Get Help app; follow its prompts.",
            "Apply the fixes it suggests, restart, and check for updates again.",
            "The msdt command below works up to Windows 11 22H2; later builds removed msdt.",
            NULL },
        .commands = { "msdt.exe /id WindowsUpdateDiagnostic", NULL },
        .links = { L_COMMON, L_RESOURCES, NULL },
    },
    {
        .id = "reset-wu-components",
        .title = "Reset the Windows Update components",
        .why = "The local update database and download cache (SoftwareDistribution) or the signature catalog cache (catroot2) is stale or damaged. Renaming them makes Windows rebuild both.",
        .escalation = 6,
        .steps = {
            "Open Command Prompt (Admin).",
            "Stop wuauserv, BITS, CryptSvc and msiserver FIRST (the four net stop commands); the folders are locked while they run.",
            "Rename SoftwareDistribution and catroot2 (the two ren commands). If ren says access denied, a service is still running: stop it again or restart into the same steps.",
            "Start the services again (the four net start commands).",
            "Check for updates; the first scan takes longer because the database is rebuilt. Update history will look empty, which is expected.",
            "After a few successful updates you can delete the .old folders.",
            NULL },
        .commands = {
            "net stop wuauserv",
            "net stop bits",
            "net stop cryptsvc",
            "net stop msiserver",
            "ren %SystemRoot%\\SoftwareDistribution SoftwareDistribution.old",
            "ren %SystemRoot%\\System32\\catroot2 catroot2.old",
            "net start msiserver",
            "net start cryptsvc",
            "net start bits",
            "net start wuauserv",
            NULL },
        .links = { L_COMMON, L_RESOURCES, NULL },
    },
    {
        .id = "enable-automatic-updates",
        .title = "Turn Automatic Updates back on",
        .why = "Automatic Updates is set to never check for updates (by the user's setting, or AUOptions = 1 in policy): Windows Update only runs when someone starts it, so security updates stop arriving.",
        .escalation = 2,
        .steps = {
            "Windows 7 / 8.1: Control Panel > System and Security > Windows Update > Change settings; under Important updates choose \"Install updates automatically (recommended)\", then OK.",
            "Windows 10 / 11: Settings > Windows Update > Advanced options; make sure updates are not paused, then Check for updates.",
            "If the setting is greyed out (\"Some settings are managed by your organization\"), a policy sets it: gpedit.msc > Computer Configuration > Administrative Templates > Windows Components > Windows Update > Configure Automatic Updates = Enabled, option 4, or set AUOptions with the commands below.",
            "Check the value with the reg query below (AUOptions 1 = never check, 2 = notify, 3 = download and notify, 4 = install automatically), then run Check for updates.",
            NULL },
        .commands = {
            "reg query \"HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Auto Update\" /v AUOptions",
            "reg add \"HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Auto Update\" /v AUOptions /t REG_DWORD /d 4 /f",
            "reg query \"HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU\" /v AUOptions",
            "reg add \"HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU\" /v NoAutoUpdate /t REG_DWORD /d 0 /f",
            "reg add \"HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU\" /v AUOptions /t REG_DWORD /d 4 /f",
            "net stop wuauserv && net start wuauserv",
            NULL },
        .links = { "https://learn.microsoft.com/en-us/windows/deployment/update/waas-wu-settings", L_RESOURCES, NULL },
    },
    {
        .id = "reset-store-cache",
        .title = "Reset the Microsoft Store cache and check what refuses its downloads",
        .why = "The download server answered with an HTTP error (403 forbidden, 0x80190193): Windows Update itself is reachable, but Store / Delivery Optimization content is refused - a stale Store cache or licence, or a proxy, firewall or content filter blocking the download hosts.",
        .escalation = 2,
        .steps = {
            "Sign out of and back into the Microsoft Store (same account as Windows), then run wsreset.exe; the Store opens when the reset is done.",
            "Check the date, time and time zone (Settings > Time & language): a wrong clock makes download tokens invalid.",
            "If a proxy, firewall or web filter is in use, allow *.delivery.mp.microsoft.com, *.dl.delivery.mp.microsoft.com, *.tlu.dl.delivery.mp.microsoft.com and *.windowsupdate.com; check the WinHTTP proxy with netsh winhttp show proxy.",
            "Settings > Windows Update > Advanced options > Delivery Optimization: turn off downloads from other PCs and retry.",
            "Retry the app update from Store > Library > Get updates.",
            NULL },
        .commands = {
            "wsreset.exe",
            "netsh winhttp show proxy",
            "net stop dosvc && net start dosvc",
            "powershell -Command \"Get-AppxPackage -AllUsers Microsoft.WindowsStore | ForEach-Object { Add-AppxPackage -DisableDevelopmentMode -Register ($_.InstallLocation + '\\AppXManifest.xml') }\"",
            NULL },
        .links = { "https://learn.microsoft.com/en-us/windows/deployment/update/waas-delivery-optimization-faq", L_COMMON, NULL },
    },
    {
        .id = "dism-image-in-use",
        .title = "Free the image DISM services, then run the command again",
        .why = "DISM could not open the image's files (0x80070020, sharing violation): another process - antivirus, a backup or indexing tool, an Explorer window, another DISM, or a mounted image left behind - has them open.",
        .escalation = 3,
        .steps = {
            "Close Explorer windows, command prompts and editors open on the image or its mount folder.",
            "In WinPE or on a technician PC, pause antivirus real-time scanning of the image and mount folders (add an exclusion) while DISM runs.",
            "Make sure no other DISM or imaging tool is running (Task Manager > Details: dism.exe, DismHost.exe).",
            "Discard stale mounts with the commands below, then run the same DISM command again.",
            "Offline servicing of an installed Windows: check the /Image: path is that Windows's drive letter in WinPE (often not C:), e.g. dism /Image:D:\\ /Cleanup-Image /RestoreHealth.",
            NULL },
        .commands = {
            "dism /Get-MountedWimInfo",
            "dism /Cleanup-Mountpoints",
            "dism /Unmount-Image /MountDir:C:\\mount /Discard",
            "tasklist /fi \"imagename eq dism*\"",
            NULL },
        .links = { L_REPAIR, NULL },
    },
    {
        .id = "setup-compat",
        .title = "Fix feature-upgrade (Windows Setup) blockers",
        .why = "0xC19xxxxx codes come from Windows Setup: an incompatible driver or app, too little space, or hardware below the requirements stopped or rolled back the upgrade.",
        .escalation = 7,
        .steps = {
            "Run Microsoft SetupDiag on the device; it reads the setup logs and names the blocking driver, app or rule.",
            "Free at least 20 GB on C: and make sure the System Reserved/EFI partition is not full.",
            "Update BIOS/UEFI firmware, storage, graphics and network drivers; unplug USB devices, docks and card readers that are not needed.",
            "Temporarily uninstall third-party antivirus, disk encryption or VPN software that SetupDiag or the compat report flags.",
            "Check the minimum hardware requirements (TPM 2.0, Secure Boot, CPU for Windows 11).",
            "Retry the upgrade; for a detailed check run setup.exe /compat scanonly from the mounted ISO.",
            NULL },
        .commands = {
            "SetupDiag.exe /Output:%TEMP%\\SetupDiagResults.log",
            "type \"%SystemDrive%\\$WINDOWS.~BT\\Sources\\Panther\\setuperr.log\"",
            "D:\\setup.exe /compat scanonly",
            NULL },
        .links = { L_UPGRADE, L_SETUPDIAG, NULL },
    },
    {
        .id = "repair-install",
        .title = "In-place repair install (keep files and apps)",
        .why = "When the component store or the Windows image is beyond repair, reinstalling Windows over itself replaces all system files while keeping personal files, apps and most settings.",
        .escalation = 9,
        .steps = {
            "Back up personal data and make sure BitLocker recovery keys are available.",
            "On recent Windows 11 builds: Settings > System > Recovery > Fix problems using Windows Update > Reinstall now.",
            "Otherwise download a Windows ISO of the same edition, language and architecture (same or newer version), right-click > Mount.",
            "Run setup.exe from the mounted drive, accept the terms and choose Keep personal files and apps.",
            "Let Setup restart several times; then check Windows Update.",
            "If the Keep option is greyed out, the ISO does not match the installed edition, language or architecture.",
            NULL },
        .commands = {
            "D:\\setup.exe /auto upgrade",
            NULL },
        .links = { L_UPGRADE, L_REPAIR, L_COMMON, NULL },
    },
};

const size_t kb_fixes_len = sizeof kb_fixes / sizeof kb_fixes[0];

/*
 * Codes that are transient once and a situation when they recur: the same
 * update failing with one of them again and again, on several days, gets
 * this fix instead of the code's own "wait and retry".
 */
/*
 * Fixes that do not exist on some Windows: the fix a rule chose, the OS
 * class it is wrong for, and what is given there instead (applied once,
 * after the rules, by diagnosis/osfix.c).  DISM /RestoreHealth came with
 * Windows 8 / Server 2012 ("Repair a Windows image", learn.microsoft.com),
 * so Windows 7 / Server 2008 R2 get the System Update Readiness Tool; the
 * Settings path differs between Windows 10 and 11; Windows 7 has Control
 * Panel; Server Core has no Settings app (sconfig).
 */
const struct kb_os_fix kb_os_fixes[] = {
    {"dism-restorehealth", OSC_WIN7, "system-update-readiness"},
    {"dism-restorehealth-source", OSC_WIN7, "system-update-readiness"},
    {"retry-later", OSC_WIN7, "retry-later-win7"},
    {"retry-later", OSC_WIN10, "retry-later-win10"},
    {"retry-later", OSC_WIN11, "retry-later-win11"},
    {"retry-later", OSC_SERVER, "retry-later-server"},
    {"run-troubleshooter", OSC_WIN7, "run-troubleshooter-win7"},
    {"run-troubleshooter", OSC_WIN10, "run-troubleshooter-win10"},
    {"run-troubleshooter", OSC_WIN11, "run-troubleshooter-win11"},
    /* Windows Server has no Windows Update troubleshooter in Settings:
     * the component reset is its repair */
    {"run-troubleshooter", OSC_SERVER, "reset-wu-components"},
};
const size_t kb_os_fixes_len = sizeof kb_os_fixes / sizeof kb_os_fixes[0];

const struct kb_persist kb_persist_fixes[] = {
    {0x80073D02U, "store-app-in-use"},       /* ERROR_PACKAGES_IN_USE */
    {0x80240016U, "finish-interrupted-install"}, /* WU_E_INSTALL_NOT_ALLOWED */
    {0x8024001EU, "finish-interrupted-install"}, /* WU_E_SERVICE_STOP */
    {0x80240009U, "finish-interrupted-install"}, /* WU_E_OPERATIONINPROGRESS */
    {0x8024000BU, "finish-interrupted-install"}, /* WU_E_CALL_CANCELLED */
    {0x80246007U, "reset-wu-components"},    /* WU_E_DM_NOTDOWNLOADED */
};
const size_t kb_persist_fixes_len = sizeof kb_persist_fixes / sizeof kb_persist_fixes[0];

const char *kb_persist_fix(uint32_t code)
{
    for (size_t i = 0; i < kb_persist_fixes_len; i++)
        if (kb_persist_fixes[i].code == code)
            return kb_persist_fixes[i].fix_id;
    return "reset-wu-components";
}
