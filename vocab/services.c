/*
 * services.c - the update services and the words SCM uses for their start
 * types and states, in every language known (see services.h).
 */
#include "vocab/services.h"
#include "util/strbuf.h"

#include <string.h>
#include <strings.h>

/*
 * The services whose Service Control Manager events matter, with their
 * display names (English first; SCM 7036/7040 name a service by its
 * localized display name), whether updates stop without them, whether a
 * missing one is a finding, the fix when one is disabled or failing, and
 * which successful update activity shows it running (Windows Update scans,
 * downloads and installs through wuauserv; the Update Orchestrator starts
 * the scans on Windows 10+; BITS carries the downloads; Cryptographic
 * Services checks the signatures of downloads and installs; the Windows
 * Modules Installer installs the packages).
 */
const struct wu_service_info wu_services[] = {
    {"wuauserv", {"Windows Update", NULL},
     1, 1, "enable-wuauserv",
     WU_PROVES(EK_SCAN) | WU_PROVES(EK_DOWNLOAD) | WU_PROVES(EK_INSTALL)},
    {"UsoSvc", {"Update Orchestrator Service", "Update Orchestrator Service for Windows Update", NULL},
     1, 0, "enable-usosvc", WU_PROVES(EK_SCAN)},
    {"BITS", {"Background Intelligent Transfer Service", NULL},
     1, 1, "enable-bits", WU_PROVES(EK_DOWNLOAD)},
    {"CryptSvc", {"Cryptographic Services", NULL},
     1, 1, "enable-cryptsvc", WU_PROVES(EK_DOWNLOAD) | WU_PROVES(EK_INSTALL)},
    {"TrustedInstaller", {"Windows Modules Installer", NULL},
     1, 1, "enable-trustedinstaller", WU_PROVES(EK_INSTALL)},
    {"WaaSMedicSvc", {"Windows Update Medic Service", NULL},
     0, 0, "restart-update-services", 0},
    {"DoSvc", {"Delivery Optimization", NULL},
     0, 0, "restart-update-services", 0},
    {"msiserver", {"Windows Installer", NULL},
     0, 1, "restart-update-services", 0},
};
const size_t wu_services_len = sizeof wu_services / sizeof wu_services[0];

/*
 * Localized display names of the services, with the language they show
 * (SCM 7036/7040 name a service by its display name in the system's
 * language).  Sources: Microsoft's localized service names as Windows
 * shows them in services.msc; de-DE verified in michkoll-win10-de.
 */
static const struct { const char *name, *text, *lang; } localized_names[] = {
    {"wuauserv", "Центр обновления Windows", "ru-RU"},
    {"wuauserv", "Windows Update-Dienst", "de-DE"},
    {"UsoSvc", "Service Update Orchestrator", "fr-FR"},
    {"UsoSvc", "Служба оркестратора обновлений", "ru-RU"},
    {"BITS", "Intelligenter Hintergrundübertragungsdienst", "de-DE"},
    {"BITS", "Service de transfert intelligent en arrière-plan", "fr-FR"},
    {"BITS", "Servicio de transferencia inteligente en segundo plano", "es-ES"},
    {"BITS", "Servizio trasferimento intelligente in background", "it-IT"},
    {"BITS", "Serviço de Transferência Inteligente de Plano de Fundo", "pt-BR"},
    {"BITS", "Фоновая интеллектуальная служба передачи (BITS)", "ru-RU"},
    {"CryptSvc", "Kryptografiedienste", "de-DE"},
    {"CryptSvc", "Services de chiffrement", "fr-FR"},
    {"CryptSvc", "Servicios de cifrado", "es-ES"},
    {"CryptSvc", "Servizi di crittografia", "it-IT"},
    {"CryptSvc", "Serviços de Criptografia", "pt-BR"},
    {"CryptSvc", "Службы криптографии", "ru-RU"},
    {"TrustedInstaller", "Programme d’installation pour les modules Windows", "fr-FR"},
    {"TrustedInstaller", "Instalador de módulos de Windows", "es-ES"},
    {"TrustedInstaller", "Programma di installazione moduli di Windows", "it-IT"},
    {"TrustedInstaller", "Instalador de Módulos do Windows", "pt-BR"},
    {"TrustedInstaller", "Установщик модулей Windows", "ru-RU"},
    {"WaaSMedicSvc", "Service Médical de Windows Update", "fr-FR"},
    {"WaaSMedicSvc", "Служба Medic центра обновления Windows", "ru-RU"},
    {"DoSvc", "Übermittlungsoptimierung", "de-DE"},
    {"DoSvc", "Optimisation de livraison", "fr-FR"},
    {"DoSvc", "Optimización de distribución", "es-ES"},
    {"DoSvc", "Ottimizzazione recapito", "it-IT"},
    {"DoSvc", "Otimização de Entrega", "pt-BR"},
    {"DoSvc", "Оптимизация доставки", "ru-RU"},
    {"msiserver", "Установщик Windows", "ru-RU"},
    {"TrustedInstaller", "Windows-Modulinstaller", "de-DE"},
    {"TrustedInstaller", "Windows Modül Yükleyicisi", "tr-TR"},     /* dikimevi-win10 */
};

/*
 * What SCM 7040/7045 write for a start type, by language (the message table
 * of services.exe in each language pack).  "log" marks the words seen in
 * the real logs in shared/data (de-DE michkoll-win10-de, ja-JP
 * fukusuket-win11-ja, zh-CN nanw01-win10-zh-truncated, tr-TR
 * dikimevi-win10-empty-operational); the others are
 * Microsoft's localized strings as Windows writes them, not verified by a
 * log here.  A word shared by several languages names none (lang NULL).
 */
static const struct { const char *text, *canon, *lang; } start_types[] = {
    {"auto start", "auto", "en"}, {"demand start", "demand", "en"},     /* log */
    {"disabled", "disabled", "en"},
    {"boot start", "boot", "en"}, {"system start", "system", "en"},
    {"delayed auto start", "delayed-auto", "en"},
    {"Automatisch starten", "auto", NULL},          /* de-DE (log), also nl-NL */
    {"Manuell starten", "demand", "de-DE"},         /* log */
    {"Deaktiviert", "disabled", "de-DE"},
    {"Démarrage automatique", "auto", "fr-FR"}, {"Démarrage à la demande", "demand", "fr-FR"},
    {"Désactivé", "disabled", "fr-FR"},
    {"Inicio automático", "auto", "es-ES"}, {"Inicio a petición", "demand", "es-ES"},
    {"Deshabilitado", "disabled", "es-ES"}, {"Deshabilitada", "disabled", "es-ES"},
    {"Avvio automatico", "auto", "it-IT"}, {"Avvio manuale", "demand", "it-IT"},
    {"Disabilitato", "disabled", "it-IT"},
    {"Início automático", "auto", "pt-BR"}, {"Início por demanda", "demand", "pt-BR"},
    {"Desabilitado", "disabled", "pt-BR"},
    {"Автоматически", "auto", "ru-RU"}, {"Вручную", "demand", "ru-RU"},
    {"Отключена", "disabled", "ru-RU"},
    {"自动启动", "auto", "zh-CN"}, {"按需启动", "demand", "zh-CN"},      /* log */
    {"引导启动", "boot", "zh-CN"},                                         /* log */
    {"已禁用", "disabled", "zh-CN"}, {"禁用", "disabled", "zh-CN"},
    {"自動啟動", "auto", "zh-TW"}, {"需要時啟動", "demand", "zh-TW"},
    {"已停用", "disabled", "zh-TW"},
    {"自動的な開始", "auto", "ja-JP"}, {"要求による開始", "demand", "ja-JP"}, /* log */
    {"無効", "disabled", "ja-JP"},
    {"자동 시작", "auto", "ko-KR"}, {"요청 시 시작", "demand", "ko-KR"},
    {"사용 안 함", "disabled", "ko-KR"},
    {"otomatik başlatma", "auto", "tr-TR"},                             /* log */
    {"isteğe bağlı başlatma", "demand", "tr-TR"},                       /* log */
    {"devre dışı", "disabled", "tr-TR"},
    {"automatyczne uruchamianie", "auto", "pl-PL"},
    {"uruchamianie na żądanie", "demand", "pl-PL"}, {"wyłączony", "disabled", "pl-PL"},
    {"Handmatig starten", "demand", "nl-NL"}, {"Uitgeschakeld", "disabled", "nl-NL"},
    {"automatické spuštění", "auto", "cs-CZ"}, {"spuštění na vyžádání", "demand", "cs-CZ"},
    {"zakázáno", "disabled", "cs-CZ"},
    {"automatisk start", "auto", NULL},             /* sv-SE, da-DK, nb-NO */
    {"Inaktiverad", "disabled", "sv-SE"},
};

/* SERVICE_* state numbers (SCM 7036 puts one after the '/' in Binary). */
static const char *const state_numbers[] = {
    NULL, "stopped", "start-pending", "stop-pending", "running",
    "continue-pending", "pause-pending", "paused",
};

/* What SCM 7036 writes for a state (the state number in its Binary data
 * comes first; these words are for logs without it). */
static const struct { const char *text, *canon, *lang; } state_words[] = {
    {"running", "running", "en"}, {"stopped", "stopped", "en"}, {"paused", "paused", "en"},
    {"wird ausgeführt", "running", "de-DE"}, {"beendet", "stopped", "de-DE"},
    {"en cours d’exécution", "running", "fr-FR"}, {"arrêté", "stopped", "fr-FR"},
    {"en ejecución", "running", "es-ES"}, {"detenido", "stopped", "es-ES"},
};

#define COUNT(a) (sizeof (a) / sizeof (a)[0])

/* A word as compared: without ASCII blanks on either end, no copy (so no
 * length limit).  Trimmed once per lookup, not once per table row. */
struct word {
    const char *s;
    size_t n;
};

static struct word word_of(const char *s)
{
    struct word w;
    w.s = wu_trim_span(s, &w.n);
    return w;
}

/* w equals the NUL-ended table text t, without case.  The first letters
 * decide most rows; strncasecmp stops at t's NUL, and t[n] must end it. */
static int word_eq(struct word w, const char *t)
{
    unsigned char a = (unsigned char)w.s[0], b = (unsigned char)t[0];
    if (w.n == 0)
        return t[0] == '\0';
    if ((a | 0x20) != (b | 0x20) && a < 0x80)
        return 0;
    return strncasecmp(w.s, t, w.n) == 0 && t[w.n] == '\0';
}

const struct wu_service_info *wu_service_find(const char *name)
{
    for (size_t i = 0; name && i < wu_services_len; i++)
        if (strcasecmp(wu_services[i].name, name) == 0)
            return &wu_services[i];
    return NULL;
}

const char *wu_service_lookup(const char *name)
{
    struct word w;
    if (!name || !*name)
        return NULL;
    w = word_of(name);
    for (size_t i = 0; i < wu_services_len; i++) {
        const struct wu_service_info *s = &wu_services[i];
        if (word_eq(w, s->name))
            return s->name;
        for (size_t j = 0; j < WU_SERVICE_DISPLAYS && s->display[j]; j++)
            if (word_eq(w, s->display[j]))
                return s->name;
    }
    for (size_t i = 0; i < COUNT(localized_names); i++)
        if (word_eq(w, localized_names[i].text))
            return wu_service_find(localized_names[i].name)->name;
    return NULL;
}

const char *wu_start_type_canon(const char *text)
{
    struct word w;
    if (!text)
        return NULL;
    w = word_of(text);
    for (size_t i = 0; i < COUNT(start_types); i++)
        if (word_eq(w, start_types[i].text))
            return start_types[i].canon;
    return NULL;
}

const char *wu_state_canon(const char *text)
{
    struct word w;
    if (!text)
        return NULL;
    w = word_of(text);
    for (size_t i = 0; i < COUNT(state_words); i++)
        if (word_eq(w, state_words[i].text))
            return state_words[i].canon;
    return NULL;
}

const char *wu_state_of_number(long number)
{
    return number > 0 && (size_t)number < COUNT(state_numbers) ? state_numbers[number] : NULL;
}

const char *wu_word_language(const char *word)
{
    struct word w;
    if (!word)
        return NULL;
    w = word_of(word);
    for (size_t i = 0; i < COUNT(localized_names); i++)
        if (strcmp(localized_names[i].text, word) == 0)
            return localized_names[i].lang;
    for (size_t i = 0; i < COUNT(start_types); i++)
        if (word_eq(w, start_types[i].text))
            return start_types[i].lang;
    for (size_t i = 0; i < COUNT(state_words); i++)
        if (word_eq(w, state_words[i].text))
            return state_words[i].lang;
    return NULL;
}
