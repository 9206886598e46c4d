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
    {"wuauserv", {"Windows Update", "Центр обновления Windows",
                  "Windows Update-Dienst", NULL},
     1, 1, "enable-wuauserv",
     WU_PROVES(EK_SCAN) | WU_PROVES(EK_DOWNLOAD) | WU_PROVES(EK_INSTALL)},
    {"UsoSvc", {"Update Orchestrator Service",
                "Update Orchestrator Service for Windows Update",
                "Service Update Orchestrator", "Служба оркестратора обновлений",
                NULL},
     1, 0, "enable-usosvc", WU_PROVES(EK_SCAN)},
    {"BITS", {"Background Intelligent Transfer Service",
              "Intelligenter Hintergrundübertragungsdienst",
              "Service de transfert intelligent en arrière-plan",
              "Servicio de transferencia inteligente en segundo plano",
              "Servizio trasferimento intelligente in background",
              "Serviço de Transferência Inteligente de Plano de Fundo",
              "Фоновая интеллектуальная служба передачи (BITS)", NULL},
     1, 1, "enable-bits", WU_PROVES(EK_DOWNLOAD)},
    {"CryptSvc", {"Cryptographic Services", "Kryptografiedienste",
                  "Services de chiffrement", "Servicios de cifrado",
                  "Servizi di crittografia", "Serviços de Criptografia",
                  "Службы криптографии", NULL},
     1, 1, "enable-cryptsvc", WU_PROVES(EK_DOWNLOAD) | WU_PROVES(EK_INSTALL)},
    {"TrustedInstaller", {"Windows Modules Installer",
                          "Programme d’installation pour les modules Windows",
                          "Instalador de módulos de Windows",
                          "Programma di installazione moduli di Windows",
                          "Instalador de Módulos do Windows",
                          "Установщик модулей Windows", NULL},
     1, 1, "enable-trustedinstaller", WU_PROVES(EK_INSTALL)},
    {"WaaSMedicSvc", {"Windows Update Medic Service",
                      "Service Médical de Windows Update",
                      "Служба Medic центра обновления Windows", NULL},
     0, 0, "restart-update-services", 0},
    {"DoSvc", {"Delivery Optimization", "Übermittlungsoptimierung",
               "Optimisation de livraison", "Optimización de distribución",
               "Ottimizzazione recapito", "Otimização de Entrega",
               "Оптимизация доставки", NULL},
     0, 0, "restart-update-services", 0},
    {"msiserver", {"Windows Installer", "Установщик Windows", NULL},
     0, 1, "restart-update-services", 0},
};
const size_t wu_services_len = sizeof wu_services / sizeof wu_services[0];

/* What SCM 7040/7045 write for a start type, by language. */
static const struct { const char *text, *canon; } start_types[] = {
    {"auto start", "auto"}, {"demand start", "demand"}, {"disabled", "disabled"},
    {"boot start", "boot"}, {"system start", "system"},
    {"delayed auto start", "delayed-auto"},
    {"Automatisch starten", "auto"}, {"Manuell starten", "demand"},
    {"Deaktiviert", "disabled"},
    {"Démarrage automatique", "auto"}, {"Démarrage à la demande", "demand"},
    {"Désactivé", "disabled"},
    {"Inicio automático", "auto"}, {"Inicio a petición", "demand"},
    {"Deshabilitado", "disabled"}, {"Deshabilitada", "disabled"},
    {"Avvio automatico", "auto"}, {"Avvio manuale", "demand"},
    {"Disabilitato", "disabled"},
    {"Início automático", "auto"}, {"Início por demanda", "demand"},
    {"Desabilitado", "disabled"},
    {"Автоматически", "auto"}, {"Вручную", "demand"}, {"Отключена", "disabled"},
};

/* SERVICE_* state numbers (SCM 7036 puts one after the '/' in Binary). */
static const char *const state_numbers[] = {
    NULL, "stopped", "start-pending", "stop-pending", "running",
    "continue-pending", "pause-pending", "paused",
};

/* What SCM 7036 writes for a state, in English (other languages use Binary). */
static const struct { const char *text, *canon; } state_words[] = {
    {"running", "running"}, {"stopped", "stopped"}, {"paused", "paused"},
    {"wird ausgeführt", "running"}, {"beendet", "stopped"},
    {"en cours d’exécution", "running"}, {"arrêté", "stopped"},
    {"en ejecución", "running"}, {"detenido", "stopped"},
};

#define COUNT(a) (sizeof (a) / sizeof (a)[0])

/* Compare s, without ASCII blanks on either end, to the NUL-ended word w
 * without case: no copy, so no length limit. */
static int word_eq(const char *s, const char *w)
{
    size_t n;
    s = wu_trim_span(s, &n);
    return n == strlen(w) && strncasecmp(s, w, n) == 0;
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
    if (!name || !*name)
        return NULL;
    for (size_t i = 0; i < wu_services_len; i++) {
        const struct wu_service_info *s = &wu_services[i];
        if (word_eq(name, s->name))
            return s->name;
        for (size_t j = 0; j < WU_SERVICE_DISPLAYS && s->display[j]; j++)
            if (word_eq(name, s->display[j]))
                return s->name;
    }
    return NULL;
}

const char *wu_start_type_canon(const char *text)
{
    for (size_t i = 0; text && i < COUNT(start_types); i++)
        if (word_eq(text, start_types[i].text))
            return start_types[i].canon;
    return NULL;
}

const char *wu_state_canon(const char *text)
{
    for (size_t i = 0; text && i < COUNT(state_words); i++)
        if (word_eq(text, state_words[i].text))
            return state_words[i].canon;
    return NULL;
}

const char *wu_state_of_number(long number)
{
    return number > 0 && (size_t)number < COUNT(state_numbers) ? state_numbers[number] : NULL;
}
