/*
 * osinfo.h - what an event or a text-log line says about the OS it was
 * written on (version, build, server or client, display language), as
 * "os.*" facts for the store (see osinfo.c for the sources).
 */
#ifndef WUDIAG_OSINFO_H
#define WUDIAG_OSINFO_H

#include <stddef.h>

#include "vocab/event.h"

/* The event ID a text log's OS line is delivered under (not kept as an
 * event: import turns it into facts and counts it as unrelated). */
#define TL_EV_OS_INFO 900

struct wu_os_clue {
    char version[32];   /* "10.0.19041.1288": the running OS */
    char base[32];      /* "10.0.22621.3801": a servicing stack or agent
                         * build, which releases sharing it have alike */
    char type[24];      /* "client", "server", "domain-controller" */
    char lang[24];      /* "en-US" */
    char sp[32];        /* "Service Pack 1" */
    char edition[48];   /* "Pro", "Standard Evaluation" */
    char locale[24];    /* the system locale, "tr-TR" */
};

/* Fill *c from an event (Kernel-General 12, EventLog 6009 and 6013, a text log's
 * TL_EV_OS_INFO); 1 when it said anything. */
int wu_os_clue_of_event(const struct wu_event *ev, struct wu_os_clue *c);

/* Fill *c from the message part of a text-log line of format fmt
 * (enum tl_format); 1 when it said anything. */
int wu_os_clue_of_line(unsigned fmt, const char *s, size_t n, struct wu_os_clue *c);

#endif
