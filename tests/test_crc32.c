/*
 * test_crc32.c - the CRC-32 of util/crc32.c against the published check
 * values of RFC 1952's CRC (the "123456789" check value of the CRC
 * catalogue, zlib's and Python's results for the other strings), a
 * bit-by-bit CRC at every length and alignment (the eight-byte steps and
 * the byte tail), chaining, and one real .evtx file header, whose stored
 * checksum it must reproduce.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"
#include "util/crc32.h"

static void test_known_vectors(void **state)
{
    static const struct {
        const char *in;
        uint32_t crc;
    } v[] = {
        {"", 0x00000000u},
        {"a", 0xe8b7be43u},
        {"abc", 0x352441c2u},
        {"123456789", 0xcbf43926u},
        {"The quick brown fox jumps over the lazy dog", 0x414fa339u},
    };
    (void)state;
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        uint32_t got = crc32_update(0, v[i].in, strlen(v[i].in));
        if (got != v[i].crc)
            fail_msg("crc32(\"%s\") = %08x, expected %08x", v[i].in, got, v[i].crc);
    }
    /* all 256 byte values, and 32 zero bytes (zlib.crc32) */
    unsigned char all[256], zeros[32] = {0};
    for (int i = 0; i < 256; i++)
        all[i] = (unsigned char)i;
    assert_int_equal(crc32_update(0, all, sizeof all), 0x29058c73u);
    assert_int_equal(crc32_update(0, zeros, sizeof zeros), 0x190a55adu);
}

/* The definition, one bit at a time. */
static uint32_t crc_bitwise(const unsigned char *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    while (n--) {
        c ^= *p++;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
    }
    return ~c;
}

static void test_against_bitwise(void **state)
{
    enum { BIG = 1 << 16 };
    unsigned char *buf = malloc(BIG + 8);
    uint32_t x = 12345;
    (void)state;
    assert_non_null(buf);
    for (size_t i = 0; i < BIG + 8; i++) {
        x = x * 1103515245u + 12345u;
        buf[i] = (unsigned char)(x >> 16);
    }
    for (size_t off = 0; off < 8; off++)
        for (size_t len = 0; len <= 80; len++)
            if (crc32_update(0, buf + off, len) != crc_bitwise(buf + off, len))
                fail_msg("crc32 differs from the bitwise CRC at offset %zu, length %zu",
                         off, len);
    assert_int_equal(crc32_update(0, buf + 3, BIG), crc_bitwise(buf + 3, BIG));
    free(buf);
}

static void test_chaining(void **state)
{
    const char *s = "123456789";
    (void)state;
    for (size_t cut = 0; cut <= 9; cut++)
        assert_int_equal(crc32_update(crc32_update(0, s, cut), s + cut, 9 - cut),
                         0xcbf43926u);
    assert_int_equal(crc32_update(0x12345678u, s, 0), 0x12345678u);
}

/* The file header of a real log stores the CRC-32 of its first 120 bytes
 * at offset 124 (libyal's EVTX format documentation). */
static void test_real_evtx_header(void **state)
{
    char *path = tu_data_file("evtx/system-win10-2017.evtx");
    size_t len;
    unsigned char *b = (unsigned char *)tu_read_file(path, &len);
    (void)state;
    assert_true(len >= 4096);
    uint32_t stored = (uint32_t)b[124] | (uint32_t)b[125] << 8 |
                      (uint32_t)b[126] << 16 | (uint32_t)b[127] << 24;
    assert_int_equal(crc32_update(0, b, 120), stored);
    b[60] ^= 1;
    assert_int_not_equal(crc32_update(0, b, 120), stored);
    free(b);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_vectors),
        cmocka_unit_test(test_against_bitwise),
        cmocka_unit_test(test_chaining),
        cmocka_unit_test(test_real_evtx_header),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
