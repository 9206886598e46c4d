/*
 * redact.h - stable pseudonyms for everything that identifies a person, a
 * machine or an organisation in an output that leaves it (--redact of
 * report, export and history).
 *
 * A redactor is one token map for one output: the same name always gets
 * the same token (host-1, domain-1, user-1, ip-1, sid-1, org-1) across
 * hosts, sections and formats, and the same user gets the same token in
 * every form (CORP\jdoe, jdoe@corp.example, CN=jdoe, C:\Users\jdoe).  Use
 * it in two passes: learn every string the output will hold (so a bare
 * "DC01" seen before "\\DC01\share" is still known), then redact them.
 * Time is linear in the text (one hash map); what is recognised, and the
 * public Microsoft endpoints that stay readable, are tables in redact.c.
 */
#ifndef WUDIAG_REDACT_H
#define WUDIAG_REDACT_H

#include "vocab/export.h"
#include "vocab/history.h"
#include "vocab/model.h"
#include "util/strbuf.h"

struct redactor;

struct redactor *redactor_new(void);      /* NULL on out of memory */
void redactor_free(struct redactor *r);

/* ---- strings.  Each returns 0, or -1 on out of memory. ---- */

/* A name of a machine as the store keeps it (a host, an event's Computer):
 * its full and short names become host tokens wherever they appear. */
int redact_learn_host(struct redactor *r, const char *name);
/* First pass: the names s reveals (NULL is fine). */
int redact_learn(struct redactor *r, const char *s);
/* Second pass: append s redacted to out (NULL appends nothing). */
int redact_string(struct redactor *r, const char *s, struct strbuf *out);

/* ---- whole outputs ---- */

/* A report model: learn it, or rewrite its strings in place (the copies
 * live in the model's arena).  redact_model learns the model first. */
int redact_learn_model(struct redactor *r, const struct model *m);
int redact_model(struct redactor *r, struct model *m);

/* One exported event: learn it, or fill *out with e's fields redacted;
 * out's strings live in the redactor until the next redact_export. */
int redact_learn_export(struct redactor *r, const struct export_event *e);
int redact_export(struct redactor *r, const struct export_event *e,
                  struct export_event *out);

/* A host's history: learn it, or point its strings at redacted copies
 * owned by the redactor (free the history before or after the redactor). */
int redact_learn_history(struct redactor *r, const struct history *h);
int redact_history(struct redactor *r, struct history *h);

#endif
