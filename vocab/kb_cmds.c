/*
 * kb_cmds.c - what a remediation script must know about the fix catalog's
 * commands (kb_fixes.c), one row per fact: which exit codes also mean
 * "done" (stopping a stopped service), which commands only show a state,
 * which need a person (a placeholder to fill, an ISO to mount, an index to
 * choose), which are asked first, which are interactive, which restart
 * the device, and what a failure most often means.  `wudiag fix` (report/script_render.c) reads these rows and
 * adds no knowledge of its own; a command without a row runs and must
 * exit 0.
 *
 * Exit codes: net.exe answers 2 for "the service has not been started"
 * (NET HELPMSG 3521) and "already started" (2182); sc.exe returns the Win32
 * error, 1056 ERROR_SERVICE_ALREADY_RUNNING; wusa.exe and DISM return 3010
 * ERROR_SUCCESS_REBOOT_REQUIRED, wusa 0x00240006 (2359302,
 * WU_S_ALREADY_INSTALLED) for an update already installed.
 */
#include "vocab/kb.h"

#include <string.h>

#define ISO_D "Mount a Windows ISO of the installed version, edition and language " \
              "(right-click > Mount) and type this with its drive letter in place of D:"

const struct kb_cmd_fact kb_cmd_facts[] = {
    /* exit codes that mean the command's work is already done */
    {NULL, "net stop ", KB_CMD_OK_EXIT, 2, "the service was not started"},
    {NULL, "net start ", KB_CMD_OK_EXIT, 2, "the service was already started"},
    {NULL, "sc.exe start ", KB_CMD_OK_EXIT, 1056, "the service was already running"},
    {NULL, "wusa.exe ", KB_CMD_OK_EXIT, 3010, "installed; a restart completes it"},
    {NULL, "wusa.exe ", KB_CMD_OK_EXIT, 2359302, "the update was already installed"},
    {NULL, "DISM /Online ", KB_CMD_OK_EXIT, 3010, "done; a restart completes it"},

    /* commands that show a state: logged, never a reason to stop */
    {NULL, "sc.exe qc ", KB_CMD_CHECK, 0, "shows the service's start type"},
    {NULL, "reg query ", KB_CMD_CHECK, 0, "shows the value; exit 1 means the key or value does not exist"},
    {NULL, "netsh winhttp show proxy", KB_CMD_CHECK, 0, "shows the WinHTTP proxy"},
    {NULL, "nslookup ", KB_CMD_CHECK, 0, "shows whether the update host name resolves"},
    {NULL, "w32tm /query ", KB_CMD_CHECK, 0, "shows the time service's state"},
    {NULL, "fsutil volume diskfree ", KB_CMD_CHECK, 0, "shows the free space"},
    {NULL, "findstr ", KB_CMD_CHECK, 0, "extracts log lines; exit 1 means no line matched"},
    {NULL, "type ", KB_CMD_CHECK, 0, "shows the log; it does not exist when no upgrade ran"},
    {NULL, "tasklist ", KB_CMD_CHECK, 0, "lists running DISM processes"},
    {NULL, "dism /Get-MountedWimInfo", KB_CMD_CHECK, 0, "lists mounted images"},
    {NULL, "chkdsk C: /scan", KB_CMD_CHECK, 0, "reports file system problems; a non-zero exit means it found some"},
    {NULL, "powershell -NoProfile -Command \"Get-HotFix | Sort-Object InstalledOn -Descending | Select-Object -First 5\"",
     KB_CMD_CHECK, 0, "lists the newest installed updates"},
    {NULL, "powershell -NoProfile -Command \"Test-NetConnection www.update.microsoft.com -Port 443\"",
     KB_CMD_CHECK, 0, "shows whether the update servers are reachable"},

    /* interactive tools: the reader is told what to do before they open */
    {NULL, "msdt.exe /id WindowsUpdateDiagnostic", KB_CMD_GUIDED, 0,
     "The troubleshooter opens: follow its prompts and apply the fixes it suggests. "
     "Windows 11 22H2 and later have no msdt: use Get Help instead (the step fails there)."},
    {NULL, "cleanmgr /sageset:1", KB_CMD_GUIDED, 0,
     "Disk Cleanup opens its settings: tick Windows Update Cleanup and Temporary files, then OK."},
    {NULL, "sconfig", KB_CMD_GUIDED, 0,
     "sconfig opens its menu: choose Install updates, then All or Recommended updates; exit sconfig to go on."},

    /* restarts end the script: after every other step */
    {NULL, "shutdown /r ", KB_CMD_LAST, 0,
     "The device restarts now: save work and close apps first."},

    /* what a failure most often means, said before the script stops */
    {"reset-wu-components", "ren %SystemRoot%\\SoftwareDistribution SoftwareDistribution.old",
     KB_CMD_IF_FAILS, 0,
     "SoftwareDistribution.old is left from an earlier reset (delete it: rd /s /q "
     "%SystemRoot%\\SoftwareDistribution.old), or a service still holds the folder; "
     "then run the script again. The services stopped above start on demand or at the next restart."},
    {"reset-wu-components", "ren %SystemRoot%\\System32\\catroot2 catroot2.old",
     KB_CMD_IF_FAILS, 0,
     "catroot2.old is left from an earlier reset (delete it: rd /s /q "
     "%SystemRoot%\\System32\\catroot2.old), or CryptSvc still holds the folder; "
     "then run the script again."},
    {NULL, "sc.exe config ", KB_CMD_IF_FAILS, 0,
     "Exit code 5 means access denied (not elevated, or a policy or tool protects the service); "
     "1060 means the service does not exist on this Windows."},

    /* choices only the reader can make: asked, default no */
    {"check-proxy", "netsh winhttp reset proxy", KB_CMD_ASK, 0,
     "Should this device reach the update servers without a proxy?"},
    {"check-proxy", "netsh winhttp import proxy source=ie", KB_CMD_ASK, 0,
     "Is the browser's proxy the right one for this device?"},
    {"check-disk-chkdsk", "chkdsk C: /f", KB_CMD_ASK, 0,
     "Did the scan report problems? (chkdsk asks to schedule the check at the next restart: answer Y)"},
    {"enable-automatic-updates",
     "reg add \"HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU\" /v NoAutoUpdate /t REG_DWORD /d 0 /f",
     KB_CMD_ASK, 0,
     "Is the setting greyed out, or did the policy query above show AUOptions (a policy turns updates off)?"},
    {"enable-automatic-updates",
     "reg add \"HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU\" /v AUOptions /t REG_DWORD /d 4 /f",
     KB_CMD_ASK, 0,
     "Set the policy to install updates automatically (option 4) too?"},

    /* placeholders and media: a person does it by hand */
    {"store-app-in-use", "taskkill /im APP.exe /f", KB_CMD_PERSON, 0,
     "Close the app named in the evidence and end its background process "
     "(Task Manager > Processes > the app > End task); APP.exe stands for its process."},
    {"install-latest-cumulative", "wusa.exe C:\\Temp\\windows10.0-kbNNNNNNN-x64.msu /quiet /norestart",
     KB_CMD_PERSON, 0,
     "Only if the newest cumulative update is missing: download it from the Microsoft Update "
     "Catalog and install it with this command, its file name in place of kbNNNNNNN."},
    {"system-update-readiness", "wusa.exe Windows6.1-KB947821-v34-x64.msu /quiet /norestart",
     KB_CMD_PERSON, 0,
     "Download the System Update Readiness Tool for this Windows (KB947821, x86 or x64) from the "
     "Microsoft Update Catalog and run this in its folder, with its file name."},
    {"dism-restorehealth-source", "DISM /Get-WimInfo /WimFile:D:\\sources\\install.wim",
     KB_CMD_PERSON, 0, ISO_D ", then note the index of the installed edition."},
    {"dism-restorehealth-source",
     "DISM /Online /Cleanup-Image /RestoreHealth /Source:wim:D:\\sources\\install.wim:1 /LimitAccess",
     KB_CMD_PERSON, 0, ISO_D " and the index you noted in place of :1 (install.esd: /Source:esd:...)."},
    {"dism-restorehealth-source",
     "DISM /Online /Enable-Feature /FeatureName:NetFx3 /All /Source:D:\\sources\\sxs /LimitAccess",
     KB_CMD_PERSON, 0, "Only for .NET Framework 3.5 errors. " ISO_D "."},
    {"replace-system-files", "takeown /f C:\\Windows\\System32\\xpsservices.dll", KB_CMD_PERSON, 0,
     "For each file sfcdetails.txt names (xpsservices.dll is an example): take ownership of it."},
    {"replace-system-files", "icacls C:\\Windows\\System32\\xpsservices.dll /grant administrators:F",
     KB_CMD_PERSON, 0, "Then grant administrators full control of it."},
    {"replace-system-files", "copy E:\\good\\xpsservices.dll C:\\Windows\\System32\\xpsservices.dll",
     KB_CMD_PERSON, 0,
     "Then copy the same file from a healthy machine of the same Windows version, architecture "
     "and updates over it (E:\\good stands for where you put it)."},
    {"setup-compat", "SetupDiag.exe /Output:%TEMP%\\SetupDiagResults.log", KB_CMD_PERSON, 0,
     "Download Microsoft SetupDiag and run this in its folder; it names the blocking driver, app or rule."},
    {"setup-compat", "D:\\setup.exe /compat scanonly", KB_CMD_PERSON, 0,
     "Mount the ISO of the upgrade and type this with its drive letter in place of D:."},
    {"repair-install", "D:\\setup.exe /auto upgrade", KB_CMD_PERSON, 0,
     "Back up personal data and the BitLocker recovery key. Mount an ISO of the same edition, "
     "language and architecture and type this with its drive letter in place of D:."},
    {"dism-image-in-use", "dism /Unmount-Image /MountDir:C:\\mount /Discard", KB_CMD_PERSON, 0,
     "Only for a stale mount the list above shows: type this with its folder in place of C:\\mount."},
};
const size_t kb_cmd_facts_len = sizeof kb_cmd_facts / sizeof kb_cmd_facts[0];

/* The row's text names command: the whole of it, or its start (ends in ' '). */
static int names(const char *row, const char *command)
{
    size_t n = strlen(row);
    if (n && row[n - 1] == ' ')
        return strncmp(row, command, n) == 0;
    return strcmp(row, command) == 0;
}

const struct kb_cmd_fact *kb_cmd_fact_next(const char *fix_id, const char *command,
                                           size_t *pos)
{
    for (; *pos < kb_cmd_facts_len; (*pos)++) {
        const struct kb_cmd_fact *f = &kb_cmd_facts[*pos];
        if ((!f->fix_id || (fix_id && strcmp(f->fix_id, fix_id) == 0)) &&
            names(f->command, command)) {
            (*pos)++;
            return f;
        }
    }
    return NULL;
}
