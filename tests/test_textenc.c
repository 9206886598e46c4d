/*
 * test_textenc.c - the text-encoding module (util/textenc.c): byte-order
 * marks of each kind and the no-BOM guess, UTF-8 encoding, and the
 * streaming UTF-16LE/BE decoder: surrogate pairs, unpaired surrogates,
 * odd lengths, pieces split anywhere, and arbitrary bytes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"
#include "util/textenc.h"
#include "util/strbuf.h"

#define FFFD "\xEF\xBF\xBD"

/* ---- helpers -------------------------------------------------------------- */

/*
 * Decode in[0..n) in pieces of at most step bytes (0: all at once), then
 * finish; checks the room every call may use.  Returns the UTF-8, malloc'd.
 */
static char *decode(const void *in, size_t n, int be, size_t step, int *pending)
{
    const unsigned char *p = in;
    struct utf16_decoder d;
    char *out = malloc(UTF16_DECODE_MAX(n) * 2 + UTF16_FINISH_MAX + 1);
    size_t o = 0, i = 0;

    assert_non_null(out);
    utf16_init(&d, be);
    do {
        size_t k = step && n - i > step ? step : n - i;
        size_t w = utf16_decode(&d, p + i, k, out + o);
        assert_true(w <= UTF16_DECODE_MAX(k));
        o += w;
        i += k;
    } while (i < n);
    *pending = utf16_pending(&d);
    size_t f = utf16_finish(&d, out + o);
    assert_true(f <= UTF16_FINISH_MAX);
    assert_int_equal(f, *pending ? 3 : 0);
    assert_int_equal(utf16_pending(&d), 0);     /* finish clears */
    o += f;
    out[o] = '\0';
    return out;
}

/* in decoded whole and in every piece size must give want. */
static void expect_utf16(const void *in, size_t n, int be, const char *want, int pending)
{
    for (size_t step = 0; step <= n + 1; step++) {
        int got_pending;
        char *got = decode(in, n, be, step, &got_pending);
        if (strcmp(got, want) != 0)
            fail_msg("UTF-16%s of %zu bytes in pieces of %zu: got \"%s\", expected \"%s\"",
                     be ? "BE" : "LE", n, step, got, want);
        assert_int_equal(got_pending, pending);
        free(got);
    }
}

/* Every byte of s is valid UTF-8. */
static void assert_valid_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        size_t k = utf8_seq_len(p + i, n - i);
        if (!k)
            fail_msg("invalid UTF-8 at byte %zu", i);
        i += k;
    }
}

/* ---- encodings ------------------------------------------------------------ */

static void test_bom_and_guess(void **state)
{
    static const struct {
        const char *head;
        size_t n;
        enum textenc bom;       /* textenc_bom's answer */
        size_t bomlen;
        enum textenc detect;    /* textenc_detect's answer */
    } v[] = {
        /* each BOM, with text after it or alone */
        {"\xEF\xBB\xBF<x/>", 7, TEXTENC_UTF8_BOM, 3, TEXTENC_UTF8_BOM},
        {"\xEF\xBB\xBF", 3, TEXTENC_UTF8_BOM, 3, TEXTENC_UTF8_BOM},
        {"\xFF\xFE<\0", 4, TEXTENC_UTF16LE, 2, TEXTENC_UTF16LE},
        {"\xFF\xFE", 2, TEXTENC_UTF16LE, 2, TEXTENC_UTF16LE},
        {"\xFE\xFF\0<", 4, TEXTENC_UTF16BE, 2, TEXTENC_UTF16BE},
        {"\xFE\xFF", 2, TEXTENC_UTF16BE, 2, TEXTENC_UTF16BE},
        /* a UTF-32LE BOM starts like UTF-16LE's: read as that */
        {"\xFF\xFE\0\0", 4, TEXTENC_UTF16LE, 2, TEXTENC_UTF16LE},
        /* cut-off BOMs are none; nor are a BOM's bytes later on */
        {"\xEF\xBB", 2, TEXTENC_UTF8, 0, TEXTENC_UTF8},
        {"\xFF", 1, TEXTENC_UTF8, 0, TEXTENC_UTF8},
        {"\xFE", 1, TEXTENC_UTF8, 0, TEXTENC_UTF8},
        {"", 0, TEXTENC_UTF8, 0, TEXTENC_UTF8},
        {"a\xFF\xFE", 3, TEXTENC_UTF8, 0, TEXTENC_UTF8},
        /* no BOM, an ASCII first character: one NUL byte shows the order */
        {"<\0?\0", 4, TEXTENC_UTF8, 0, TEXTENC_UTF16LE},
        {"\0<\0?", 4, TEXTENC_UTF8, 0, TEXTENC_UTF16BE},
        {"2\0", 2, TEXTENC_UTF8, 0, TEXTENC_UTF16LE},
        /* no NUL, two NULs, or too short to tell: UTF-8 */
        {"<?xml", 5, TEXTENC_UTF8, 0, TEXTENC_UTF8},
        {"\0\0\0<", 4, TEXTENC_UTF8, 0, TEXTENC_UTF8},
        {"<", 1, TEXTENC_UTF8, 0, TEXTENC_UTF8},
        {"\0", 1, TEXTENC_UTF8, 0, TEXTENC_UTF8},
        {"\xC3\xA9", 2, TEXTENC_UTF8, 0, TEXTENC_UTF8},
    };
    (void)state;
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        const unsigned char *h = (const unsigned char *)v[i].head;
        size_t bom = 99, bom2 = 99;
        enum textenc b = textenc_bom(h, v[i].n, &bom);
        enum textenc d = textenc_detect(h, v[i].n, &bom2);
        if (b != v[i].bom || bom != v[i].bomlen || d != v[i].detect || bom2 != v[i].bomlen)
            fail_msg("row %zu: bom %d/%zu, detect %d/%zu", i, (int)b, bom, (int)d, bom2);
    }

    assert_true(textenc_is_utf16(TEXTENC_UTF16LE));
    assert_true(textenc_is_utf16(TEXTENC_UTF16BE));
    assert_false(textenc_is_utf16(TEXTENC_UTF8));
    assert_false(textenc_is_utf16(TEXTENC_UTF8_BOM));
    assert_string_equal(textenc_name(TEXTENC_UTF8), "UTF-8");
    assert_string_equal(textenc_name(TEXTENC_UTF8_BOM), "UTF-8 with BOM");
    assert_string_equal(textenc_name(TEXTENC_UTF16LE), "UTF-16LE");
    assert_string_equal(textenc_name(TEXTENC_UTF16BE), "UTF-16BE");
}

static void test_put_utf8(void **state)
{
    static const struct { uint32_t cp; const char *utf8; } v[] = {
        {0x00, ""}, {0x41, "A"}, {0x7F, "\x7F"}, {0x80, "\xC2\x80"},
        {0x7FF, "\xDF\xBF"}, {0x800, "\xE0\xA0\x80"}, {0xFFFD, FFFD},
        {0xFFFF, "\xEF\xBF\xBF"}, {0x10000, "\xF0\x90\x80\x80"},
        {0x1F600, "\xF0\x9F\x98\x80"}, {0x10FFFF, "\xF4\x8F\xBF\xBF"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char out[5] = {0};
        size_t n = textenc_put_utf8(out, v[i].cp);
        assert_int_equal(n, v[i].cp ? strlen(v[i].utf8) : 1);
        assert_memory_equal(out, v[i].utf8, n);
    }
    unsigned char u[2] = {0x12, 0x34};
    assert_int_equal(textenc_utf16_unit(u, 0), 0x3412);
    assert_int_equal(textenc_utf16_unit(u, 1), 0x1234);
}

/* ---- UTF-16 decoding ------------------------------------------------------ */

static void test_utf16_le_be(void **state)
{
    /* a, é (U+00E9), € (U+20AC), U+1F600 as a surrogate pair, CR LF */
    static const unsigned char le[] = {'a', 0, 0xE9, 0, 0xAC, 0x20, 0x3D, 0xD8, 0x00, 0xDE,
                                       '\r', 0, '\n', 0};
    static const unsigned char be[] = {0, 'a', 0, 0xE9, 0x20, 0xAC, 0xD8, 0x3D, 0xDE, 0x00,
                                       0, '\r', 0, '\n'};
    static const char want[] = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\r\n";
    (void)state;
    expect_utf16(le, sizeof le, 0, want, 0);
    expect_utf16(be, sizeof be, 1, want, 0);
    expect_utf16("", 0, 0, "", 0);
    /* the highest code point, U+10FFFF (DBFF DFFF) */
    expect_utf16("\xFF\xDB\xFF\xDF", 4, 0, "\xF4\x8F\xBF\xBF", 0);
    /* U+FEFF inside the text is a character, not a BOM */
    expect_utf16("\xFE\xFF", 2, 1, "\xEF\xBB\xBF", 0);
    expect_utf16("\xFF\xFE", 2, 0, "\xEF\xBB\xBF", 0);
}

static void test_utf16_unpaired_surrogates(void **state)
{
    (void)state;
    /* a lone low surrogate */
    expect_utf16("\x00\xDC" "b\0", 4, 0, FFFD "b", 0);
    /* a high surrogate before a non-surrogate: both kept apart */
    expect_utf16("\x3D\xD8" "b\0", 4, 0, FFFD "b", 0);
    /* two high surrogates, then a low: the second pairs */
    expect_utf16("\x3D\xD8\x3D\xD8\x00\xDE", 6, 0, FFFD "\xF0\x9F\x98\x80", 0);
    /* low before high: two lone halves */
    expect_utf16("\x00\xDE\x3D\xD8" "c\0", 6, 0, FFFD FFFD "c", 0);
    /* a high surrogate at the very end: held, then one U+FFFD */
    expect_utf16("x\0\x3D\xD8", 4, 0, "x" FFFD, 1);
    expect_utf16("\xD8\x3D", 2, 1, FFFD, 1);
}

static void test_utf16_odd_length(void **state)
{
    (void)state;
    /* a final odd byte is a broken character: one U+FFFD */
    expect_utf16("c\0d", 3, 0, "c" FFFD, 1);
    expect_utf16("\0c\0", 3, 1, "c" FFFD, 1);
    expect_utf16("z", 1, 0, FFFD, 1);
    /* a high surrogate and an odd byte after it: still one U+FFFD */
    expect_utf16("\x3D\xD8\x00", 3, 0, FFFD, 1);
}

static void test_utf16_pieces(void **state)
{
    /* the line reader's sample: split at every byte, one result */
    static const unsigned char le[] = {
        'a', 0, 0xE9, 0, 0xAC, 0x20, 0x3D, 0xD8, 0x00, 0xDE, '\n', 0,
        0x00, 0xDC, 0x3D, 0xD8, 'b', 0, '\r', 0, '\n', 0, 'c', 0, 'd'};
    (void)state;
    expect_utf16(le, sizeof le, 0,
                 "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\n" FFFD FFFD "b\r\nc" FFFD, 1);

    /* a pair split across calls is held, then completed */
    struct utf16_decoder d;
    char out[16];
    utf16_init(&d, 0);
    assert_int_equal(utf16_decode(&d, (const unsigned char *)"\x3D", 1, out), 0);
    assert_true(utf16_pending(&d));
    assert_int_equal(utf16_decode(&d, (const unsigned char *)"\xD8\x00", 2, out), 0);
    assert_true(utf16_pending(&d));
    assert_int_equal(utf16_decode(&d, (const unsigned char *)"\xDE", 1, out), 4);
    assert_memory_equal(out, "\xF0\x9F\x98\x80", 4);
    assert_false(utf16_pending(&d));
    assert_int_equal(utf16_finish(&d, out), 0);
}

static void test_utf16_room(void **state)
{
    /* the most output per input byte: lone high surrogates each followed by
     * a BMP character, with a high surrogate held from the call before */
    unsigned char in[64];
    struct utf16_decoder d;
    char out[UTF16_DECODE_MAX(sizeof in)];
    (void)state;
    for (size_t i = 0; i < sizeof in; i += 4) {
        in[i] = 0x00; in[i + 1] = 0xD8;          /* high surrogate */
        in[i + 2] = 0xAC; in[i + 3] = 0x20;      /* U+20AC, 3 bytes */
    }
    for (size_t skip = 0; skip < 4; skip++)
        for (size_t n = 0; n + skip <= sizeof in; n++) {
            utf16_init(&d, 0);
            utf16_decode(&d, (const unsigned char *)"\x00\xD8\x00", 3 - (skip & 1), out);
            size_t w = utf16_decode(&d, in + skip, n, out);
            if (w > UTF16_DECODE_MAX(n))
                fail_msg("%zu bytes wrote %zu, more than %zu", n, w,
                         (size_t)UTF16_DECODE_MAX(n));
        }
}

static void test_utf16_invalid_input(void **state)
{
    /* any bytes at all: valid UTF-8 out, in any pieces */
    unsigned char in[997];
    uint32_t x = 2463534242u;
    (void)state;
    for (int round = 0; round < 20; round++) {
        for (size_t i = 0; i < sizeof in; i++) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            /* often a surrogate byte, so that halves meet in every order */
            in[i] = (x & 3) == 0 ? (unsigned char)(0xD8 + (x >> 8) % 8) : (unsigned char)(x >> 16);
        }
        for (int be = 0; be <= 1; be++) {
            int pending, pending2;
            char *whole = decode(in, sizeof in, be, 0, &pending);
            char *split = decode(in, sizeof in, be, (size_t)round % 7 + 1, &pending2);
            assert_valid_utf8(whole);
            assert_string_equal(whole, split);
            assert_int_equal(pending, pending2);
            assert_int_equal(pending, 1);        /* 997 is odd */
            free(whole);
            free(split);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bom_and_guess),
        cmocka_unit_test(test_put_utf8),
        cmocka_unit_test(test_utf16_le_be),
        cmocka_unit_test(test_utf16_unpaired_surrogates),
        cmocka_unit_test(test_utf16_odd_length),
        cmocka_unit_test(test_utf16_pieces),
        cmocka_unit_test(test_utf16_room),
        cmocka_unit_test(test_utf16_invalid_input),
    };
    return cmocka_run_group_tests_name("textenc", tests, NULL, NULL);
}
