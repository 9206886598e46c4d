/*
 * csv.h - RFC 4180 fields for the CSV writers (export, history): a field
 * holding a comma, a quote, CR or LF is quoted and its quotes doubled;
 * invalid UTF-8, terminal and bidi controls are replaced by U+FFFD
 * (util/safetext.h; CR, LF and TAB are kept).  Records end with CRLF
 * (CSV_EOL).
 *
 * Spreadsheet formulas are defused (OWASP "CSV Injection"): a field that
 * starts with = + - @ TAB or CR gets a single quote in front, so Excel,
 * LibreOffice and Google Sheets show it as text ('=HYPERLINK(...)) instead
 * of running it.  A field that is a plain number (-5, +3, -0.25: an
 * optional sign, digits, an optional fraction) is left as it is: it cannot
 * be a formula and stays a number in the sheet.
 */
#ifndef WUDIAG_CSV_H
#define WUDIAG_CSV_H

#include "util/strbuf.h"

#define CSV_EOL "\r\n"

/* Append s (NULL = empty) as one field, without separator. */
void csv_field(struct strbuf *sb, const char *s);

/* The same field written straight into room the caller made (sb_room):
 * s[0..n), n = strlen(s), at o; returns the end.  o must have room for
 * CSV_PUT_MAX(n) bytes (a byte may become U+FFFD; quotes and the '). */
#define CSV_PUT_MAX(n) ((n) * 3 + 3)
char *csv_put_field(char *o, const char *s, size_t n);

/* 1 when a spreadsheet could read s as a formula (csv_field prefixes it). */
int csv_is_formula(const char *s);

#endif
