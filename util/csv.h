/*
 * csv.h - RFC 4180 fields for the CSV writers (export, history): a field
 * holding a comma, a quote, CR or LF is quoted and its quotes doubled;
 * invalid UTF-8 is replaced by U+FFFD, as the JSON writers do.  Records end
 * with CRLF (CSV_EOL).
 */
#ifndef WUDIAG_CSV_H
#define WUDIAG_CSV_H

#include "util/strbuf.h"

#define CSV_EOL "\r\n"

/* Append s (NULL = empty) as one field, without separator. */
void csv_field(struct strbuf *sb, const char *s);

#endif
