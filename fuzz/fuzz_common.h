/*
 * fuzz_common.h - helpers shared by the libFuzzer targets in fuzz/: input
 * slicing, output checkers (UTF-8, JSON, HTML), and the entry-point glue.
 *
 * Each fuzz_NAME.c defines `static int fuzz_NAME(const uint8_t *, size_t)`
 * and ends with FUZZ_ENTRY(fuzz_NAME).  Built for libFuzzer that becomes
 * LLVMFuzzerTestOneInput; with FUZZ_NO_MAIN defined (tests/test_regress.c
 * includes every fuzz_*.c into one program) it becomes nothing, and a
 * failed check is a cmocka failure instead of abort().
 */
#ifndef WUDIAG_FUZZ_COMMON_H
#define WUDIAG_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef FUZZ_NO_MAIN
#define FUZZ_ENTRY(fn)
#define fz_fail(...) fail_msg(__VA_ARGS__)
#else
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
#define FUZZ_ENTRY(fn) \
    int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) \
    { return fn(data, size); }
#define fz_fail(...) do { fprintf(stderr, "fuzz check failed: " __VA_ARGS__); \
                          fputc('\n', stderr); abort(); } while (0)
#endif

/*
 * Leaks that are not wudiag's: libevtx 20181227 (Debian 12) loses a few
 * hundred bytes inside libevtx_file_open() on some damaged chunks
 * (tests/regress/fuzz_evtx/libevtx-open-leak).  libevtx has no frame
 * pointers, so the only frame LeakSanitizer sees is the library itself.
 * The sanitizer runtime reads this hook at start-up; one definition per
 * program (this header is included once per fuzz binary / test_regress).
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libevtx.so\n";
}

/* A NUL-terminated copy of data[0..n) (NULL only on out of memory). */
static inline char *fz_strndup(const uint8_t *data, size_t n)
{
    char *s = malloc(n + 1);
    if (s) {
        if (n)
            memcpy(s, data, n);
        s[n] = '\0';
    }
    return s;
}

/* Reads the input front to back: bytes, integers, strings. */
struct fz_reader {
    const uint8_t *p;
    size_t n;
};

static inline unsigned fz_byte(struct fz_reader *r)
{
    if (!r->n)
        return 0;
    r->n--;
    return *r->p++;
}

static inline uint64_t fz_u64(struct fz_reader *r, int bytes)
{
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++)
        v = v << 8 | fz_byte(r);
    return v;
}

/* The next string: up to the next NUL (or the end), malloc'd. */
static inline char *fz_str(struct fz_reader *r)
{
    const uint8_t *z = r->n ? memchr(r->p, 0, r->n) : NULL;
    size_t len = z ? (size_t)(z - r->p) : r->n;
    char *s = fz_strndup(r->p, len);
    r->p += len;
    r->n -= len;
    if (z) {
        r->p++;
        r->n--;
    }
    return s;
}

/* ---- output checks ---------------------------------------------------- */

/* Offset of the first invalid UTF-8 sequence (strict: no overlongs, no
 * surrogates, nothing above U+10FFFF), or (size_t)-1 when all is valid. */
static inline size_t fz_utf8_bad(const char *buf, size_t len)
{
    const unsigned char *s = (const unsigned char *)buf;
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i];
        size_t n;
        uint32_t cp, min;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) { n = 2; cp = c & 0x1F; min = 0x80; }
        else if (c >= 0xE0 && c <= 0xEF) { n = 3; cp = c & 0x0F; min = 0x800; }
        else if (c >= 0xF0 && c <= 0xF4) { n = 4; cp = c & 0x07; min = 0x10000; }
        else return i;
        if (i + n > len)
            return i;
        for (size_t k = 1; k < n; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return i;
            cp = cp << 6 | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += n;
    }
    return (size_t)-1;
}

/* A small strict JSON checker (RFC 8259 grammar, depth-limited). */
struct fz_json {
    const char *p, *end;
    int depth;
};

static inline int fz_json_value(struct fz_json *j);

static inline void fz_json_ws(struct fz_json *j)
{
    while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' ||
                             *j->p == '\r'))
        j->p++;
}

static inline int fz_json_string(struct fz_json *j)
{
    if (j->p >= j->end || *j->p != '"')
        return -1;
    j->p++;
    while (j->p < j->end) {
        unsigned char c = (unsigned char)*j->p++;
        if (c == '"')
            return 0;
        if (c < 0x20)
            return -1;
        if (c == '\\') {
            if (j->p >= j->end)
                return -1;
            c = (unsigned char)*j->p++;
            if (c == 'u') {
                for (int k = 0; k < 4; k++, j->p++)
                    if (j->p >= j->end || !strchr("0123456789abcdefABCDEF", *j->p) ||
                        !*j->p)
                        return -1;
            } else if (!strchr("\"\\/bfnrt", c) || !c) {
                return -1;
            }
        }
    }
    return -1;
}

static inline int fz_json_number(struct fz_json *j)
{
    const char *s = j->p;
    if (j->p < j->end && *j->p == '-')
        j->p++;
    if (j->p >= j->end || *j->p < '0' || *j->p > '9')
        return -1;
    if (*j->p == '0')
        j->p++;
    else
        while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
            j->p++;
    if (j->p < j->end && *j->p == '.') {
        j->p++;
        if (j->p >= j->end || *j->p < '0' || *j->p > '9')
            return -1;
        while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
            j->p++;
    }
    if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
        j->p++;
        if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
            j->p++;
        if (j->p >= j->end || *j->p < '0' || *j->p > '9')
            return -1;
        while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
            j->p++;
    }
    return j->p > s ? 0 : -1;
}

static inline int fz_json_lit(struct fz_json *j, const char *w)
{
    size_t n = strlen(w);
    if ((size_t)(j->end - j->p) < n || memcmp(j->p, w, n) != 0)
        return -1;
    j->p += n;
    return 0;
}

static inline int fz_json_value(struct fz_json *j)
{
    fz_json_ws(j);
    if (j->p >= j->end)
        return -1;
    switch (*j->p) {
    case '"':
        return fz_json_string(j);
    case 't': return fz_json_lit(j, "true");
    case 'f': return fz_json_lit(j, "false");
    case 'n': return fz_json_lit(j, "null");
    case '[': case '{': {
        char close = *j->p == '[' ? ']' : '}';
        int obj = close == '}';
        if (++j->depth > 64)
            return -1;
        j->p++;
        fz_json_ws(j);
        if (j->p < j->end && *j->p == close) {
            j->p++;
            j->depth--;
            return 0;
        }
        for (;;) {
            if (obj) {
                fz_json_ws(j);
                if (fz_json_string(j) != 0)
                    return -1;
                fz_json_ws(j);
                if (j->p >= j->end || *j->p++ != ':')
                    return -1;
            }
            if (fz_json_value(j) != 0)
                return -1;
            fz_json_ws(j);
            if (j->p >= j->end)
                return -1;
            if (*j->p == ',') {
                j->p++;
                continue;
            }
            if (*j->p++ != close)
                return -1;
            j->depth--;
            return 0;
        }
    }
    default:
        return fz_json_number(j);
    }
}

/* 0 when buf is exactly one valid JSON value (surrounding blanks allowed). */
static inline int fz_json_valid(const char *buf, size_t len)
{
    struct fz_json j = {buf, buf + len, 0};
    if (fz_json_value(&j) != 0)
        return -1;
    fz_json_ws(&j);
    return j.p == j.end ? 0 : -1;
}

/*
 * 0 when every '<' in the HTML starts one of the renderer's own tags (or a
 * comment or the doctype): data that reached the page unescaped would show
 * up as some other markup.  Also refuses raw control characters.
 */
static inline int fz_html_clean(const char *buf, size_t len, char *why, size_t wlen)
{
    static const char *const tags[] = {
        "a", "article", "body", "code", "dd", "details", "div", "dl", "dt",
        "footer", "h1", "h2", "h3", "h4", "head", "header", "html", "i", "li",
        "meta", "ol", "p", "pre", "rect", "section", "small", "span", "strong",
        "style", "summary", "svg", "table", "tbody", "td", "text", "th", "thead",
        "title", "tr", "ul", "line", "g", "br", "caption", "col", "em", "b",
        "path", "polyline", "circle", "nav", "main", "abbr", "time", "sup",
        "kbd", "tfoot", "colgroup", "figure", "figcaption", "hr", "aside",
    };
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)buf[i];
        if ((c < 0x20 && c != '\n' && c != '\t' && c != '\r') || c == 0x7F) {
            snprintf(why, wlen, "control character 0x%02X at offset %zu", c, i);
            return -1;
        }
        if (c != '<')
            continue;
        size_t k = i + 1;
        if (k < len && (buf[k] == '!'))
            continue;
        if (k < len && buf[k] == '/')
            k++;
        size_t s = k;
        while (k < len && ((buf[k] >= 'a' && buf[k] <= 'z') ||
                           (buf[k] >= '0' && buf[k] <= '9')))
            k++;
        int ok = 0;
        if (k < len && (buf[k] == '>' || buf[k] == ' ' || buf[k] == '\n'))
            for (size_t t = 0; t < sizeof tags / sizeof tags[0]; t++)
                if (strlen(tags[t]) == k - s && memcmp(tags[t], buf + s, k - s) == 0)
                    ok = 1;
        if (!ok) {
            snprintf(why, wlen, "unexpected markup at offset %zu: \"%.40s\"", i, buf + i);
            return -1;
        }
    }
    return 0;
}

/* Fresh in-memory output stream (open_memstream); NULL on failure. */
struct fz_out {
    char *buf;
    size_t len;
    FILE *fp;
};

static inline int fz_out_open(struct fz_out *o)
{
    o->buf = NULL;
    o->len = 0;
    o->fp = open_memstream(&o->buf, &o->len);
    return o->fp ? 0 : -1;
}

static inline void fz_out_close(struct fz_out *o)
{
    if (o->fp)
        fclose(o->fp);
    o->fp = NULL;
}

static inline void fz_out_free(struct fz_out *o)
{
    fz_out_close(o);
    free(o->buf);
    o->buf = NULL;
}

#endif
