/*
 * redact.h - consistent pseudonyms for host, domain, user and server names
 * and IP addresses in a report model (wudiag report --redact).
 */
#ifndef WUDIAG_REDACT_H
#define WUDIAG_REDACT_H

#include "vocab/model.h"

struct redactor;

struct redactor *redactor_new(void);      /* NULL on out of memory */
void redactor_free(struct redactor *r);
/* Rewrite the model's strings in place; 0, or -1 on out of memory. */
int redact_model(struct redactor *r, struct model *m);

#endif
