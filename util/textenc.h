/*
 * textenc.h - the text encodings inputs come in: which one a stream uses
 * (its byte-order mark, or without one a guess from where the NUL bytes
 * are), and UTF-16LE/BE decoded to UTF-8 in pieces of any size.  Used by
 * the XML parser, the XML probe and the text-log line reader.
 */
#ifndef WUDIAG_TEXTENC_H
#define WUDIAG_TEXTENC_H

#include <stddef.h>
#include <stdint.h>

enum textenc { TEXTENC_UTF8, TEXTENC_UTF8_BOM, TEXTENC_UTF16LE, TEXTENC_UTF16BE };

/*
 * The byte-order mark at the start of head[0..n): the encoding it names,
 * *bom its length.  TEXTENC_UTF8 and 0 when there is none.
 */
enum textenc textenc_bom(const unsigned char *head, size_t n, size_t *bom);
/*
 * The encoding of a stream from its first n bytes: the BOM, else UTF-16
 * when exactly one of the first two bytes is NUL (an ASCII first
 * character), else UTF-8.  *bom as for textenc_bom.
 */
enum textenc textenc_detect(const unsigned char *head, size_t n, size_t *bom);
int textenc_is_utf16(enum textenc enc);
const char *textenc_name(enum textenc enc);   /* "UTF-16LE", "UTF-8 with BOM" */

/* The UTF-16 code unit at p (2 bytes). */
uint16_t textenc_utf16_unit(const unsigned char *p, int big_endian);
/* Code point cp (at most 0x10FFFF) as UTF-8 at out (room for 4); its length. */
size_t textenc_put_utf8(char *out, uint32_t cp);

/*
 * A streaming UTF-16 decoder.  A value its user embeds; the fields are its
 * own.  A unit or surrogate pair split between pieces is held until the
 * next piece; a lone surrogate becomes U+FFFD.
 */
struct utf16_decoder {
    int be;
    unsigned hi;            /* a high surrogate waiting for its low half, or 0 */
    int nodd;               /* 1 when odd holds the first byte of a unit */
    unsigned char odd;
};

/* Room utf16_decode may write for n input bytes (held bytes included). */
#define UTF16_DECODE_MAX(n) (((n) + 1) / 2 * 3 + 3)
/* Room utf16_finish may write. */
#define UTF16_FINISH_MAX 3

void utf16_init(struct utf16_decoder *d, int big_endian);
/* Decode in[0..n) into out (UTF16_DECODE_MAX(n) bytes); returns the length
 * written (no NUL). */
size_t utf16_decode(struct utf16_decoder *d, const unsigned char *in, size_t n,
                    char *out);
/* Non-zero when an odd byte or a high surrogate is held. */
int utf16_pending(const struct utf16_decoder *d);
/* The end of the text: what is held is a broken character, one U+FFFD at
 * out; returns the length written (0 when nothing was held) and clears. */
size_t utf16_finish(struct utf16_decoder *d, char *out);

#endif
