/*
 * linereader.h - split a text stream into lines in constant memory.
 *
 * For the text-log sources (CBS.log, DISM.log, WindowsUpdate.log).  The
 * input may be UTF-8 (with or without BOM) or UTF-16LE/BE (with BOM, or
 * without when the first character is ASCII); lines end in LF or CRLF.
 * Every line comes out as UTF-8 without its line end, NUL-terminated.
 *
 * Memory does not grow with the input: one read buffer and one line buffer.
 * A line longer than the cap is cut at the cap (at a UTF-8 character
 * boundary), the rest of it is skipped, and it is counted.
 */
#ifndef WUDIAG_LINEREADER_H
#define WUDIAG_LINEREADER_H

#include <stddef.h>
#include <stdio.h>
#include "util/textenc.h"

#define LR_MAX_LINE (64 * 1024)   /* default cap on a line, bytes of UTF-8 */

/* The encodings, as util/textenc.h detects them (textenc_name names them). */
#define LR_UTF8     TEXTENC_UTF8
#define LR_UTF8_BOM TEXTENC_UTF8_BOM
#define LR_UTF16LE  TEXTENC_UTF16LE
#define LR_UTF16BE  TEXTENC_UTF16BE

struct linereader;

/*
 * Read head[0..n) first (the bytes a probe already took from fp; BOM
 * included), then the rest of fp.  max_line 0 means LR_MAX_LINE.  NULL on
 * out of memory.  The reader does not close fp.
 */
struct linereader *lr_open(FILE *fp, const unsigned char *head, size_t n,
                           size_t max_line);
void lr_close(struct linereader *lr);

/*
 * The next line: 1 with *line and *len set (the text may be modified by the
 * caller; valid until the next call), 0 at the end of the input, -1 on a
 * read error (the lines before it were delivered).
 */
int lr_next(struct linereader *lr, char **line, size_t *len);

long lr_line_number(const struct linereader *lr);  /* of the last line, from 1 */
long lr_truncated(const struct linereader *lr);    /* lines cut at the cap */
enum textenc lr_encoding(const struct linereader *lr);

#endif
