/*
 * updates.c - update classes as data: KB numbers, brand names and
 * localized title phrases (see updates.h for the order they are tried in).
 *
 * Where each row comes from, in its comment:
 *   [log: CASE]  seen verbatim in an update title of a real log under
 *                ../shared/data (evtx/system-win10-2017.evtx, system-win7-
 *                2012.evtx, cases/fukusuket-win11-ja, cases/michkoll-win10-
 *                de, cases/nanw01-win10-zh-truncated): `wudiag import`, then
 *                SELECT DISTINCT update_title FROM events.
 *   [ms]         the wording of Microsoft's published update titles in that
 *                language (Windows Update history pages and KB articles on
 *                support.microsoft.com/<lang>, the Microsoft Update Catalog),
 *                written down from those titles; not seen in a log here.
 *                Where only the term (not a whole title) could be checked
 *                in public localized pages, the row says "term seen in
 *                <lang> press/Microsoft pages".
 * Titles are the display language of the machine at the time of the
 * update, so one machine's log can mix languages; every row is tried.
 */
#include "vocab/updates.h"

#include <string.h>

/* ---- KB numbers that always mean one product ----------------------------- */

const struct upd_kb upd_kbs[] = {
    /* Security intelligence (definition) updates of Windows Defender /
     * Microsoft Defender Antivirus, Windows 8 and later [log: system-win10-
     * 2017, fukusuket-win11-ja, michkoll-win10-de] */
    {"KB2267602", UC_DEFENDER, "Defender security intelligence (definitions)"},
    /* the Defender antimalware platform [log: fukusuket-win11-ja, michkoll] */
    {"KB4052623", UC_DEFENDER, "Defender antimalware platform"},
    /* Windows Defender definitions on Windows Vista / 7 [ms] */
    {"KB915597", UC_DEFENDER, "Windows Defender definitions (Windows 7)"},
    /* Microsoft Security Essentials definitions [ms] */
    {"KB2310138", UC_DEFENDER, "Microsoft Security Essentials definitions"},
    /* System Center / Forefront Endpoint Protection definitions [ms] */
    {"KB2461484", UC_DEFENDER, "Endpoint Protection definitions"},
    /* "Update for Windows Security platform" (the Security app) [ms] */
    {"KB5007651", UC_DEFENDER, "Windows Security platform"},
    /* Windows Malicious Software Removal Tool, every month and language
     * [log: system-win10-2017 (en), system-win7-2012 (en), michkoll (de:
     * "Windows-Tool zum Entfernen bösartiger Software")] */
    {"KB890830", UC_MSRT, "Malicious Software Removal Tool"},
};
const size_t upd_kbs_len = sizeof upd_kbs / sizeof upd_kbs[0];

/* ---- brand names Microsoft does not translate ----------------------------- */

/*
 * Product names stay in English in every display language (the Japanese
 * and German titles in the logs keep "Microsoft Defender Antivirus" and
 * ".NET Framework"), so these rows hold for any language.  They come
 * before the phrases: a ".NET Framework" cumulative update is .NET, a
 * "Security Update for Adobe Flash Player for Windows 10" is not a Windows
 * security update.
 */
const struct upd_phrase upd_cues[] = {
    /* [log: system-win10-2017 "Definition Update for Windows Defender";
     * fukusuket-win11-ja, michkoll: "... Microsoft Defender Antivirus ..."] */
    {"Microsoft Defender", UC_DEFENDER, NULL, "neutral"},
    {"Windows Defender", UC_DEFENDER, NULL, "neutral"},
    {"Microsoft Security Essentials", UC_DEFENDER, NULL, "neutral"},     /* [ms] */
    {"Endpoint Protection", UC_DEFENDER, NULL, "neutral"},               /* [ms] */
    {"Windows Security platform", UC_DEFENDER, NULL, "neutral"},         /* [ms] */
    /* Store framework packages named without a product ID [log: system-
     * win10-2017 "Microsoft .Net Native Framework Package 1.6"] */
    {".NET Native", UC_STORE, NULL, "neutral"},
    /* [log: fukusuket-win11-ja "2022-06 .NET Framework 3.5 および 4.8 の累積的な
     * 更新プログラム"; michkoll "Kumulatives Update für .NET Framework";
     * system-win7-2012 "Update for Microsoft .NET Framework 4"] */
    {".NET Framework", UC_DOTNET, NULL, "neutral"},
    {".NET Core", UC_DOTNET, NULL, "neutral"},                           /* [ms] */
    {"ASP.NET", UC_DOTNET, NULL, "neutral"},                             /* [ms] */
    /* ".NET 6.0.x Security Update", ".NET 8.0 Update" [ms] */
    {".NET 5.0", UC_DOTNET, NULL, "neutral"},
    {".NET 6.0", UC_DOTNET, NULL, "neutral"},
    {".NET 7.0", UC_DOTNET, NULL, "neutral"},
    {".NET 8.0", UC_DOTNET, NULL, "neutral"},
    {".NET 9.0", UC_DOTNET, NULL, "neutral"},
    /* .NET 3.5 as a feature on demand [log: system-win10-2017
     * "Microsoft-Windows-NetFx3-OnDemand-Package.cab"] */
    {"NetFx", UC_DOTNET, NULL, "neutral"},
    /* [log: system-win10-2017 (en), michkoll (de) "Sicherheitsupdate für
     * Adobe Flash Player für Windows 10"] */
    {"Adobe Flash Player", UC_OTHER, NULL, "neutral"},
    /* other Microsoft products through Microsoft Update [ms] */
    {"Internet Explorer", UC_OTHER, NULL, "neutral"},
    {"Microsoft Edge", UC_OTHER, NULL, "neutral"},
    {"Microsoft Silverlight", UC_OTHER, NULL, "neutral"},
    {"Microsoft Office", UC_OTHER, NULL, "neutral"},
    {"Office 365", UC_OTHER, NULL, "neutral"},
    {"Microsoft 365", UC_OTHER, NULL, "neutral"},
    {"Microsoft Outlook", UC_OTHER, NULL, "neutral"},
    {"Microsoft Excel", UC_OTHER, NULL, "neutral"},
    {"Microsoft Word", UC_OTHER, NULL, "neutral"},
    {"Microsoft PowerPoint", UC_OTHER, NULL, "neutral"},
    {"Skype for Business", UC_OTHER, NULL, "neutral"},
    {"SharePoint", UC_OTHER, NULL, "neutral"},
    {"Exchange Server", UC_OTHER, NULL, "neutral"},
    {"SQL Server", UC_OTHER, NULL, "neutral"},
    {"Visual Studio", UC_OTHER, NULL, "neutral"},
    {"Visual C++", UC_OTHER, NULL, "neutral"},
    {"Microsoft Teams", UC_OTHER, NULL, "neutral"},
    {"OneDrive", UC_OTHER, NULL, "neutral"},
};
const size_t upd_cues_len = sizeof upd_cues / sizeof upd_cues[0];

/* ---- localized phrases ---------------------------------------------------- */

/*
 * "cumulative update", "security update" (only with "Windows" in the same
 * title: Office and Flash have security updates too), monthly rollup /
 * security-only, servicing stack update, and "feature update", per
 * language.  A title that says "Windows 11, version 24H2" (comma) is the
 * feature update's product name in every language [ms; zayrexdev-win11-
 * wulog's WindowsUpdate.log names it so]; monthly titles write "Windows 11
 * Version 24H2" without the comma [log: every cumulative title here], so
 * those rows come last.
 */
#define W "Windows"
const struct upd_phrase upd_phrases[] = {
    /* English [log: system-win10-2017 "2017-07 Cumulative Update for Windows
     * 10 Version 1703 for x64-based Systems (KB4025342)"; system-win7-2012
     * "Security Update for Windows 7 for x64-based Systems (KB2641653)"];
     * rollups, security-only and SSU titles [ms: "2019-08 Security Monthly
     * Quality Rollup for Windows 7", "2019-08 Security Only Quality Update
     * for Windows 7", "2020-06 Servicing Stack Update for Windows 10"];
     * Server 2022 writes "Cumulative Update for Microsoft server operating
     * system" [ms] */
    {"Cumulative Update", UC_QUALITY, NULL, "en"},
    {"Cumulative Security Update", UC_QUALITY, NULL, "en"},
    {"Quality Rollup", UC_QUALITY, NULL, "en"},
    {"Security Only Quality Update", UC_QUALITY, NULL, "en"},
    {"Servicing Stack Update", UC_QUALITY, NULL, "en"},
    {"Security Update", UC_QUALITY, W, "en"},
    {"Feature update", UC_FEATURE, NULL, "en"},      /* [ms] "Feature update to Windows 10, version 20H2" */
    {"Upgrade to Windows", UC_FEATURE, NULL, "en"},  /* [ms] */
    /* German [log: michkoll-win10-de "2020-06 Kumulatives Update für Windows
     * 10 Version 1909 für x64-basierte Systeme (KB4560960)", "2020-07
     * Vorschau auf kumulatives Update für .NET Framework"]; [ms] for the
     * rest ("Monatliches Sicherheitsqualitätsrollup", "Wartungsstapelupdate",
     * "Funktionsupdate für Windows 10, Version 20H2") */
    {"Kumulatives Update", UC_QUALITY, NULL, "de"},
    {"Qualitätsrollup", UC_QUALITY, NULL, "de"},
    {"Qualitätsupdate", UC_QUALITY, NULL, "de"},
    {"Wartungsstapelupdate", UC_QUALITY, NULL, "de"},
    {"Sicherheitsupdate", UC_QUALITY, W, "de"},
    {"Funktionsupdate", UC_FEATURE, NULL, "de"},
    /* French [ms: "2020-06 Mise à jour cumulative pour Windows 10 Version
     * 1909 pour les systèmes x64"; term "mise à jour de la pile de
     * maintenance" seen in fr press pages; "Mise à jour des fonctionnalités
     * vers Windows 10, version 20H2"] */
    {"Mise à jour cumulative", UC_QUALITY, NULL, "fr"},
    {"pile de maintenance", UC_QUALITY, NULL, "fr"},
    {"Mise à jour de sécurité", UC_QUALITY, W, "fr"},
    {"Mise à jour des fonctionnalités", UC_FEATURE, NULL, "fr"},
    /* Spanish [ms: "2020-06 Actualización acumulativa para Windows 10
     * Version 1909 para sistemas basados en x64"; "Actualización de
     * características a Windows 10, versión 20H2"; term seen in es pages] */
    {"Actualización acumulativa", UC_QUALITY, NULL, "es"},
    {"Actualización de seguridad", UC_QUALITY, W, "es"},
    {"Actualización de características", UC_FEATURE, NULL, "es"},
    /* Italian [ms: "2020-06 Aggiornamento cumulativo per Windows 10 Version
     * 1909 per sistemi basati su x64"; "Aggiornamento delle funzionalità a
     * Windows 10, versione 20H2"] */
    {"Aggiornamento cumulativo", UC_QUALITY, NULL, "it"},
    {"Aggiornamento della sicurezza", UC_QUALITY, W, "it"},
    {"Aggiornamento delle funzionalità", UC_FEATURE, NULL, "it"},
    /* Portuguese, pt-BR and pt-PT [ms: "2020-06 Atualização Cumulativa para
     * Windows 10 Version 1909 para sistemas baseados em x64"; "Atualização
     * de recursos para o Windows 10, versão 20H2"] */
    {"Atualização Cumulativa", UC_QUALITY, NULL, "pt"},
    {"Atualização de Segurança", UC_QUALITY, W, "pt"},
    {"Atualização de recursos", UC_FEATURE, NULL, "pt"},
    {"Atualização de funcionalidades", UC_FEATURE, NULL, "pt-PT"},
    /* Russian [ms: "2020-06 Накопительное обновление для Windows 10 Version
     * 1909 для систем на базе процессоров x64"; "Обновление функций до
     * Windows 10, версия 20H2"; the term "накопительное обновление" seen in
     * ru pages].  Cyrillic is matched exactly: both capitalizations. */
    {"Накопительное обновление", UC_QUALITY, NULL, "ru"},
    {"накопительное обновление", UC_QUALITY, NULL, "ru"},
    {"Обновление безопасности", UC_QUALITY, W, "ru"},
    {"Обновление функций", UC_FEATURE, NULL, "ru"},
    {"Обновление компонентов", UC_FEATURE, NULL, "ru"},
    /* Japanese [log: fukusuket-win11-ja "2022-06 arm64 ベース システム用
     * Windows 11 の累積更新プログラム (KB5016138)" and the .NET title's
     * "累積的な更新プログラム"]; [ms: "セキュリティ更新プログラム", "サービス
     * スタック更新プログラム", "Windows 10, version 20H2 の機能更新プログラム"] */
    {"累積更新プログラム", UC_QUALITY, NULL, "ja"},
    {"累積的な更新プログラム", UC_QUALITY, NULL, "ja"},
    {"サービス スタック更新プログラム", UC_QUALITY, NULL, "ja"},
    {"セキュリティ更新プログラム", UC_QUALITY, W, "ja"},
    {"機能更新プログラム", UC_FEATURE, NULL, "ja"},
    /* Chinese, simplified [ms: "2020-06 适用于基于 x64 的系统的 Windows 10
     * Version 1909 的累积更新"; "服务堆栈更新"; "Windows 10 版本 20H2 功能更新"]
     * (the zh-CN log here has only Store apps) */
    {"累积更新", UC_QUALITY, NULL, "zh-CN"},
    {"服务堆栈更新", UC_QUALITY, NULL, "zh-CN"},
    {"安全更新", UC_QUALITY, W, "zh-CN"},
    {"功能更新", UC_FEATURE, NULL, "zh"},
    /* Chinese, traditional [ms: "2020-06 適用於 x64 型系統 Windows 10 Version
     * 1909 的累積更新"; "服務堆疊更新"; "安全性更新"] */
    {"累積更新", UC_QUALITY, NULL, "zh-TW"},
    {"服務堆疊更新", UC_QUALITY, NULL, "zh-TW"},
    {"安全性更新", UC_QUALITY, W, "zh-TW"},
    /* Korean [ms: "2020-06 x64 기반 시스템용 Windows 10 Version 1909 누적
     * 업데이트"; "서비스 스택 업데이트"; terms "누적 업데이트" and "기능
     * 업데이트" seen in ko pages] */
    {"누적 업데이트", UC_QUALITY, NULL, "ko"},
    {"서비스 스택 업데이트", UC_QUALITY, NULL, "ko"},
    {"보안 업데이트", UC_QUALITY, W, "ko"},
    {"기능 업데이트", UC_FEATURE, NULL, "ko"},
    /* Turkish [ms: "x64 tabanlı sistemler için Windows 10 Version 1909
     * 2020-06 Toplu Güncelleştirmesi"; "Özellik güncelleştirmesi"] */
    {"Toplu Güncelleştirme", UC_QUALITY, NULL, "tr"},
    {"Güvenlik Güncelleştirmesi", UC_QUALITY, W, "tr"},
    {"Özellik güncelleştirmesi", UC_FEATURE, NULL, "tr"},
    /* Polish [ms: "2020-06 Aktualizacja zbiorcza dla systemu Windows 10
     * Version 1909 dla systemów opartych na procesorach x64"; "Aktualizacja
     * funkcji do systemu Windows 10, wersja 20H2"] */
    {"Aktualizacja zbiorcza", UC_QUALITY, NULL, "pl"},
    {"Aktualizacja zabezpieczeń", UC_QUALITY, W, "pl"},
    {"Aktualizacja funkcji", UC_FEATURE, NULL, "pl"},
    /* Dutch [ms: "2020-06 Cumulatieve update voor Windows 10 Version 1909
     * voor x64-systemen"; "Onderdelenupdate naar Windows 10, versie 20H2"] */
    {"Cumulatieve update", UC_QUALITY, NULL, "nl"},
    {"Beveiligingsupdate", UC_QUALITY, W, "nl"},
    {"Onderdelenupdate", UC_FEATURE, NULL, "nl"},
    /* Nordic and Czech cumulative updates [ms] */
    {"Kumulativ uppdatering", UC_QUALITY, NULL, "sv"},
    {"Kumulativ opdatering", UC_QUALITY, NULL, "da"},
    {"Kumulativ oppdatering", UC_QUALITY, NULL, "nb"},
    {"Kumulatiivinen päivitys", UC_QUALITY, NULL, "fi"},
    {"Kumulativní aktualizace", UC_QUALITY, NULL, "cs"},
    /* driver updates named in words rather than "Vendor - Class - 1.2"
     * [ms: "Intel Corporation driver update for ..."] */
    {"driver update", UC_DRIVER, NULL, "en"},
    /* the feature update's product name: comma after the Windows version
     * (see above); last, so that a monthly title never reaches it */
    {"Windows 10, ", UC_FEATURE, NULL, "neutral"},
    {"Windows 11, ", UC_FEATURE, NULL, "neutral"},
};
#undef W
const size_t upd_phrases_len = sizeof upd_phrases / sizeof upd_phrases[0];

/* ---- matching ---------------------------------------------------------------- */

static int fold(int c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* needle in hay, ASCII letters case-insensitive, other bytes exact */
static const char *find_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    if (!n)
        return hay;
    for (; *hay; hay++) {
        size_t i = 0;
        while (i < n && hay[i] && fold((unsigned char)hay[i]) == fold((unsigned char)needle[i]))
            i++;
        if (i == n)
            return hay;
    }
    return NULL;
}

static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_upper(int c) { return c >= 'A' && c <= 'Z'; }
static int is_alnum(int c) { return is_digit(c) || is_upper(c) || (c >= 'a' && c <= 'z'); }

const char *upd_kb_in(const char *s, char *buf, size_t len)
{
    if (!s || len < 16)
        return NULL;
    for (const char *p = s; *p; p++) {
        size_t d = 0;
        if (fold((unsigned char)p[0]) != 'k' || fold((unsigned char)p[1]) != 'b')
            continue;
        if (p > s && is_alnum((unsigned char)p[-1]))
            continue;
        while (is_digit((unsigned char)p[2 + d]))
            d++;
        if (d < 5 || d > 8 || is_alnum((unsigned char)p[2 + d]))
            continue;
        buf[0] = 'K';
        buf[1] = 'B';
        memcpy(buf + 2, p + 2, d);
        buf[2 + d] = '\0';
        return buf;
    }
    return NULL;
}

/*
 * A Store product ID and package name ("9WZDNCRFJ3Q2-Microsoft.BingWeather":
 * 12 upper-case letters and digits, a hyphen, a name without spaces), or a
 * package (family) name ending in "_" and the 13-character publisher hash
 * ("Microsoft.BingWeather_8wekyb3d8bbwe").
 */
int upd_is_store_title(const char *t)
{
    size_t n, i;
    int digits = 0, letters = 0;

    if (!t)
        return 0;
    n = strlen(t);
    if (n == 0 || strchr(t, ' '))
        return 0;
    if (n > 13 && t[12] == '-') {
        for (i = 0; i < 12; i++) {
            digits += is_digit((unsigned char)t[i]);
            letters += is_upper((unsigned char)t[i]);
        }
        if (digits + letters == 12 && digits && letters && is_alnum((unsigned char)t[13]))
            return 1;
    }
    if (n > 15 && t[n - 14] == '_' && strchr(t, '.')) {
        for (i = n - 13; i < n; i++)
            if (!is_digit((unsigned char)t[i]) && !(t[i] >= 'a' && t[i] <= 'z'))
                return 0;
        return 1;
    }
    return 0;
}

/*
 * The Windows Update driver title "Vendor - Class - Version" ("Intel -
 * System - 10.1.1.42", "Realtek Semiconductor Corp. - Extension - 10.0.1"):
 * at least two " - " separators between non-empty parts, and no KB number
 * (Defender and MSRT titles have one " - " and a KB).
 */
int upd_is_driver_title(const char *t)
{
    char kb[16];
    int seps = 0;
    const char *p, *prev;

    if (!t || upd_kb_in(t, kb, sizeof kb))
        return 0;
    prev = t;
    for (p = strstr(t, " - "); p; p = strstr(p + 3, " - ")) {
        if (p == prev)
            return 0;           /* empty part */
        seps++;
        prev = p + 3;
    }
    return seps >= 2 && *prev != '\0';
}

static int phrase_matches(const struct upd_phrase *ph, const char *title)
{
    return find_ci(title, ph->text) && (!ph->need || find_ci(title, ph->need));
}

enum upd_class upd_classify(const char *title, const char *kb)
{
    char buf[16];
    const char *k = kb && *kb ? kb : upd_kb_in(title, buf, sizeof buf);

    if (title && upd_is_store_title(title))
        return UC_STORE;
    for (size_t i = 0; k && i < upd_kbs_len; i++)
        if (find_ci(k, upd_kbs[i].kb) && strlen(k) == strlen(upd_kbs[i].kb))
            return upd_kbs[i].cls;
    if (!title || !*title)
        return UC_UNKNOWN;
    for (size_t i = 0; i < upd_cues_len; i++)
        if (phrase_matches(&upd_cues[i], title))
            return upd_cues[i].cls;
    if (upd_is_driver_title(title))
        return UC_DRIVER;
    for (size_t i = 0; i < upd_phrases_len; i++)
        if (phrase_matches(&upd_phrases[i], title))
            return upd_phrases[i].cls;
    return UC_UNKNOWN;
}

const char *upd_class_name(enum upd_class c)
{
    switch (c) {
    case UC_QUALITY: return "quality";
    case UC_FEATURE: return "feature";
    case UC_DOTNET: return "dotnet";
    case UC_DRIVER: return "driver";
    case UC_DEFENDER: return "defender";
    case UC_MSRT: return "msrt";
    case UC_STORE: return "store";
    case UC_OTHER: return "other";
    default: return "unknown";
    }
}

const char *upd_class_label(enum upd_class c)
{
    switch (c) {
    case UC_QUALITY: return "cumulative update";
    case UC_FEATURE: return "feature update";
    case UC_DOTNET: return ".NET update";
    case UC_DRIVER: return "driver update";
    case UC_DEFENDER: return "Defender update";
    case UC_MSRT: return "Malicious Software Removal Tool";
    case UC_STORE: return "Store app update";
    case UC_OTHER: return "other product update";
    default: return "unclassified update";
    }
}
