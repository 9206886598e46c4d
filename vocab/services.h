/*
 * services.h - the update services and the words for their states: one
 * table that the import filter (which SCM events to keep), live collection
 * (which services to read), the rules (how much a disabled or missing
 * service matters, and its fix) and the report (the services section) all
 * read.  Adding a service, a localized display name or a state word is one
 * row in services.c.
 */
#ifndef WUDIAG_SERVICES_H
#define WUDIAG_SERVICES_H

#include <stddef.h>

#include "vocab/semantics.h"

#define WU_SERVICE_DISPLAYS 8

struct wu_service_info {
    const char *name;            /* short name, e.g. "wuauserv" */
    const char *display[WU_SERVICE_DISPLAYS]; /* English names, NULL-ended (the
                                 * localized ones are in services.c) */
    int critical;                /* updates stop without it: disabled is critical */
    int must_exist;              /* a missing service is a finding */
    const char *fix_id;          /* the fix when it is disabled or failing */
    /* What shows the service working: a successful update activity of
     * these kinds (EK_* bits, WU_PROVES) that needs the service to run. */
    unsigned proves;
};

/* Bit of an enum ev_kind in wu_service_info.proves. */
#define WU_PROVES(kind) (1u << (kind))

extern const struct wu_service_info wu_services[];
extern const size_t wu_services_len;

/* The row of a service by short name (case-insensitive), or NULL. */
const struct wu_service_info *wu_service_find(const char *name);

/* Service short name for a short or display name (any language known), or NULL. */
const char *wu_service_lookup(const char *name_or_display);

/*
 * Canonical service start type ("auto", "delayed-auto", "demand",
 * "disabled", "boot", "system") for what SCM events write, in English or a
 * known translation; NULL when not recognised.
 */
const char *wu_start_type_canon(const char *text);
/* Canonical run state ("running", "stopped", ...) for SCM 7036 text. */
const char *wu_state_canon(const char *text);
/* Canonical run state for a SERVICE_* state number (1 stopped ... 7 paused;
 * also what SCM 7036 writes after the '/' in its Binary data), or NULL. */
const char *wu_state_of_number(long number);

/*
 * The display language a localized word of these tables shows (a service's
 * display name, a start-type or state word): "de-DE", "en", ...; NULL when
 * the word is not in them or several languages write it alike.
 */
const char *wu_word_language(const char *word);

#endif
