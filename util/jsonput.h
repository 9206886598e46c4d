/*
 * jsonput.h - the inside of a JSON string written straight into room the
 * caller made (sb_room), for writers of millions of strings (export).
 * Byte for byte what sb_json_str appends: quotes, backslashes and control
 * characters escaped, DEL, C1 and bidi controls as \uXXXX, invalid UTF-8
 * as U+FFFD.  Runs of plain ASCII are copied eight bytes at a time.
 */
#ifndef WUDIAG_JSONPUT_H
#define WUDIAG_JSONPUT_H

#include <stddef.h>

/* The most bytes json_put_str writes for n bytes in (\u00XX for one). */
#define JSON_PUT_MAX(n) ((n) * 6)

/* s[0..n) (n = strlen(s): no NUL inside) escaped at o; returns the end.
 * o must have room for JSON_PUT_MAX(n) bytes. */
char *json_put_str(char *o, const char *s, size_t n);

#endif
