/*
 * linereader.c - constant-memory line splitting for the text-log sources:
 * UTF-8 / UTF-16LE / UTF-16BE (BOM or not), LF or CRLF, a cap on a line.
 *
 * UTF-8 input is split in place in the read buffer (no copy unless a line
 * crosses the buffer's end); UTF-16 is decoded into that buffer first, so
 * both go through the same splitter.
 */
#include "collector/linereader.h"
#include "util/textenc.h"

#include <stdlib.h>
#include <string.h>

#define BUF_SIZE (256 * 1024)
/* raw UTF-16 bytes decoded per fill: each 2 bytes give at most 3 of UTF-8 */
#define RAW_SIZE ((BUF_SIZE - 16) / 3 * 2)
_Static_assert(UTF16_DECODE_MAX(RAW_SIZE) + UTF16_FINISH_MAX <= BUF_SIZE,
               "a fill of decoded UTF-16 fits the read buffer");

struct linereader {
    FILE *fp;
    const unsigned char *head;
    size_t headn, headpos;
    enum textenc enc;
    size_t max_line;

    char *buf;                  /* UTF-8 text; BUF_SIZE + 1 */
    size_t pos, end;
    unsigned char *raw;         /* UTF-16 input, or NULL */
    struct utf16_decoder u16;   /* holds an odd byte or surrogate between fills */

    char *line;                 /* a line that crossed the buffer's end */
    size_t linelen;
    int overflow;

    long lineno, truncated;
    int eof, err;
};

struct linereader *lr_open(FILE *fp, const unsigned char *head, size_t n,
                           size_t max_line)
{
    struct linereader *lr = calloc(1, sizeof *lr);
    size_t bom;

    if (!lr)
        return NULL;
    lr->fp = fp;
    lr->head = head;
    lr->headn = head ? n : 0;
    lr->enc = textenc_detect(head, lr->headn, &bom);
    lr->headpos = bom;
    utf16_init(&lr->u16, lr->enc == TEXTENC_UTF16BE);
    lr->max_line = max_line ? max_line : LR_MAX_LINE;
    lr->buf = malloc(BUF_SIZE + 1);
    lr->line = malloc(lr->max_line + 2);
    if (textenc_is_utf16(lr->enc))
        lr->raw = malloc(RAW_SIZE);
    if (!lr->buf || !lr->line || (textenc_is_utf16(lr->enc) && !lr->raw)) {
        lr_close(lr);
        return NULL;
    }
    return lr;
}

void lr_close(struct linereader *lr)
{
    if (!lr)
        return;
    free(lr->buf);
    free(lr->raw);
    free(lr->line);
    free(lr);
}

long lr_line_number(const struct linereader *lr)
{
    return lr->lineno;
}

long lr_truncated(const struct linereader *lr)
{
    return lr->truncated;
}

enum textenc lr_encoding(const struct linereader *lr)
{
    return lr->enc;
}

/* Up to want bytes: what is left of head first, then the stream. */
static size_t read_raw(struct linereader *lr, void *dst, size_t want)
{
    size_t got = 0;

    if (lr->headpos < lr->headn) {
        got = lr->headn - lr->headpos;
        if (got > want)
            got = want;
        memcpy(dst, lr->head + lr->headpos, got);
        lr->headpos += got;
    }
    if (got < want && lr->fp && !lr->err) {
        size_t r = fread((char *)dst + got, 1, want - got, lr->fp);
        got += r;
        if (r == 0 && ferror(lr->fp))
            lr->err = 1;
    }
    return got;
}

/* Decode the next raw UTF-16 bytes into buf. */
static void fill_utf16(struct linereader *lr)
{
    size_t got = read_raw(lr, lr->raw, RAW_SIZE);
    size_t o = utf16_decode(&lr->u16, lr->raw, got, lr->buf);

    if (got == 0) {
        /* the end: an odd byte or a high surrogate is a broken character */
        o += utf16_finish(&lr->u16, lr->buf + o);
        lr->eof = 1;
    }
    lr->end = o;
}

static void fill(struct linereader *lr)
{
    lr->pos = lr->end = 0;
    if (lr->raw) {
        fill_utf16(lr);
    } else {
        lr->end = read_raw(lr, lr->buf, BUF_SIZE);
        if (lr->end == 0)
            lr->eof = 1;
    }
}

/* Append to the line buffer, keeping at most max_line + 1 bytes. */
static void append(struct linereader *lr, const char *s, size_t n)
{
    size_t room = lr->max_line + 1 - lr->linelen;
    if (n > room) {
        n = room;
        lr->overflow = 1;
    }
    memcpy(lr->line + lr->linelen, s, n);
    lr->linelen += n;
}

/* Strip the CR of a CRLF, apply the cap, NUL-terminate, count. */
static int finish(struct linereader *lr, char *s, size_t len, int overflow,
                  char **line, size_t *outlen)
{
    if (!overflow && len > 0 && s[len - 1] == '\r')
        len--;
    if (len > lr->max_line) {
        size_t k = lr->max_line;
        /* never cut inside a UTF-8 sequence */
        for (int back = 0; k > 0 && back < 3 &&
             ((unsigned char)s[k] & 0xC0) == 0x80; back++)
            k--;
        len = k;
        lr->truncated++;
    }
    s[len] = '\0';
    lr->lineno++;
    *line = s;
    *outlen = len;
    return 1;
}

int lr_next(struct linereader *lr, char **line, size_t *len)
{
    int partial = 0;

    lr->linelen = 0;
    lr->overflow = 0;
    for (;;) {
        if (lr->pos < lr->end) {
            char *start = lr->buf + lr->pos;
            size_t left = lr->end - lr->pos;
            char *nl = memchr(start, '\n', left);
            if (nl) {
                size_t seg = (size_t)(nl - start);
                lr->pos += seg + 1;
                if (!partial)       /* the whole line is in the buffer */
                    return finish(lr, start, seg, 0, line, len);
                append(lr, start, seg);
                return finish(lr, lr->line, lr->linelen, lr->overflow, line, len);
            }
            append(lr, start, left);
            lr->pos = lr->end;
            partial = 1;
        }
        if (lr->eof) {
            if (partial)
                return finish(lr, lr->line, lr->linelen, lr->overflow, line, len);
            return lr->err ? -1 : 0;
        }
        fill(lr);
        if (lr->err && lr->end == 0) {
            /* a read error: deliver what was read, then report it */
            lr->eof = 1;
        }
    }
}
