/*
 * kb.c - lookups over the knowledge base tables (kb_codes.c, kb_fixes.c):
 * find a code or fix, parse a code as a user types it, and describe the
 * HRESULT structure (severity, facility, Win32 part) of any 32-bit value.
 * Pure functions over const data; no global mutable state.
 */
#include "vocab/kb.h"

#include "util/strbuf.h"

#include <stdio.h>
#include <string.h>

static int ascii_lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

static int ascii_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
           c == '\f';
}


/* Case-insensitive compare of s[0..n) with the NUL-terminated t. */
static int equal_nocase_n(const char *s, size_t n, const char *t)
{
    size_t i;
    for (i = 0; i < n; i++) {
        if (t[i] == '\0' ||
            ascii_lower((unsigned char)s[i]) != ascii_lower((unsigned char)t[i]))
            return 0;
    }
    return t[n] == '\0';
}

const struct kb_code *kb_code_find(uint32_t code)
{
    size_t lo = 0, hi = kb_codes_len;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint32_t c = kb_codes[mid].code;
        if (c == code)
            return &kb_codes[mid];
        if (c < code)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static const struct kb_code *find_symbol_n(const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < kb_codes_len; i++) {
        if (equal_nocase_n(s, n, kb_codes[i].symbol))
            return &kb_codes[i];
    }
    return NULL;
}

const struct kb_code *kb_code_find_symbol(const char *symbol)
{
    if (symbol == NULL || *symbol == '\0')
        return NULL;
    return find_symbol_n(symbol, strlen(symbol));
}

const struct kb_fix *kb_fix_find(const char *id)
{
    size_t i;
    if (id == NULL)
        return NULL;
    for (i = 0; i < kb_fixes_len; i++) {
        if (strcmp(kb_fixes[i].id, id) == 0)
            return &kb_fixes[i];
    }
    return NULL;
}

const char *kb_category_name(enum kb_category cat)
{
    static const char *const names[KB_CAT_COUNT] = {
        [KB_CAT_UNKNOWN] = "unknown",
        [KB_CAT_SERVICE] = "service",
        [KB_CAT_NETWORK] = "network",
        [KB_CAT_POLICY] = "policy",
        [KB_CAT_DOWNLOAD] = "download",
        [KB_CAT_INSTALL] = "install",
        [KB_CAT_SERVICING] = "servicing",
        [KB_CAT_DISK] = "disk",
        [KB_CAT_REBOOT] = "reboot",
        [KB_CAT_BENIGN] = "benign",
    };
    if ((int)cat < 0 || (int)cat >= KB_CAT_COUNT)
        return "unknown";
    return names[cat];
}

/* Hex digits s[0..n) into *out; 0 on success, -1 if empty/invalid/> 32 bits. */
static int parse_hex(const char *s, size_t n, uint32_t *out)
{
    uint32_t v = 0;
    size_t i;
    if (n == 0)
        return -1;
    for (i = 0; i < n; i++) {
        int d = hex_digit((unsigned char)s[i]);
        if (d < 0)
            return -1;
        if (v > (UINT32_MAX >> 4))
            return -1;                      /* would overflow */
        v = (v << 4) | (uint32_t)d;
    }
    *out = v;
    return 0;
}

/* Decimal digits s[0..n) into *out, at most limit; -1 if invalid or larger. */
static int parse_dec(const char *s, size_t n, uint64_t limit, uint64_t *out)
{
    uint64_t v = 0;
    size_t i;
    if (n == 0)
        return -1;
    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (uint64_t)(s[i] - '0');
        if (v > limit)
            return -1;                      /* v stays <= 2^32 * 10: no wrap */
    }
    *out = v;
    return 0;
}

static int is_symbol_text(const char *s, size_t n)
{
    size_t i;
    int c0 = (unsigned char)s[0];
    if (!((c0 >= 'A' && c0 <= 'Z') || (c0 >= 'a' && c0 <= 'z') || c0 == '_'))
        return 0;
    for (i = 0; i < n; i++) {
        int c = (unsigned char)s[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              (c >= '0' && c <= '9') || c == '_'))
            return 0;
    }
    return 1;
}

int kb_parse_code(const char *text, uint32_t *out)
{
    const char *s, *e;
    size_t n;
    uint32_t h;
    uint64_t d;

    if (text == NULL || out == NULL)
        return -1;
    s = text;
    while (*s != '\0' && ascii_space((unsigned char)*s))
        s++;
    e = s + strlen(s);
    while (e > s && ascii_space((unsigned char)e[-1]))
        e--;
    n = (size_t)(e - s);
    if (n == 0)
        return -1;

    /* 0x80070422 / 0X80070422 */
    if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        if (parse_hex(s + 2, n - 2, &h) != 0)
            return -1;
        *out = h;
        return 0;
    }

    /* -2147023838 (signed 32-bit view of an HRESULT) */
    if (s[0] == '-') {
        if (parse_dec(s + 1, n - 1, (uint64_t)INT32_MAX + 1u, &d) != 0)
            return -1;
        *out = (uint32_t)(0u - (uint32_t)d);
        return 0;
    }

    /* 80070422: exactly eight hex digits without prefix are read as hex */
    if (n == 8 && parse_hex(s, n, &h) == 0) {
        *out = h;
        return 0;
    }

    /* 2147943458, 5, +5 */
    if (s[0] == '+' || (s[0] >= '0' && s[0] <= '9')) {
        size_t skip = (s[0] == '+') ? 1u : 0u;
        if (parse_dec(s + skip, n - skip, UINT32_MAX, &d) != 0)
            return -1;
        *out = (uint32_t)d;
        return 0;
    }

    /* WU_E_NO_SERVICE */
    if (is_symbol_text(s, n)) {
        const struct kb_code *k = find_symbol_n(s, n);
        if (k != NULL) {
            *out = k->code;
            return 0;
        }
    }
    return -1;
}

static const char *facility_name(uint32_t code)
{
    unsigned fac = (code >> 16) & 0x7FFu;
    unsigned low = code & 0xFFFFu;
    switch (fac) {
    case 0: return "NULL";
    case 1: return "RPC";
    case 2: return "DISPATCH";
    case 3: return "STORAGE";
    case 4: return "ITF";
    case 7: return "WIN32";
    case 8: return "WINDOWS";
    case 9: return "SECURITY";
    case 10: return "CONTROL";
    case 11: return "CERT";
    case 12: return "INTERNET";
    case 15:
        return (low >= 0x0800u && low <= 0x09FFu) ? "servicing (CBS)"
                                                  : "SETUPAPI";
    case 16: return "SCARD";
    case 17: return "COMPLUS";
    case 25: return "HTTP";
    case 32: return "BACKGROUNDCOPY";
    case 36: return "WINDOWSUPDATE";
    case 208: return "DELIVERY_OPTIMIZATION";
    default: return NULL;
    }
}

const char *kb_describe_facility(uint32_t code, char *buf, size_t len)
{
    unsigned fac = (code >> 16) & 0x7FFu;
    unsigned low = code & 0xFFFFu;
    const char *name = facility_name(code);
    const char *cust = (code & 0x20000000u) ? "customer-defined " : "";

    if (buf == NULL || len == 0)
        return buf;

    if (code == 0) {
        snprintf(buf, len, "success (S_OK)");
    } else if ((code & 0xFFE00000u) == 0xC1800000u) {
        snprintf(buf, len, "failure, Windows Setup (0x%08X), code 0x%04X",
                 (unsigned)code, low);
    } else if ((code & 0xC0000000u) == 0xC0000000u) {
        snprintf(buf, len,
                 "failure, %sNTSTATUS-style value 0x%08X, facility %u, code 0x%04X",
                 cust, (unsigned)code, fac, low);
    } else if ((code & 0x80000000u) == 0) {
        if ((code & 0xFFFF0000u) == 0)
            snprintf(buf, len, "success (or plain Win32 code %u)", low);
        else if (name != NULL)
            snprintf(buf, len, "success, %sfacility %s (%u), code 0x%04X",
                     cust, name, fac, low);
        else
            snprintf(buf, len, "success, %sfacility %u, code 0x%04X",
                     cust, fac, low);
    } else if (fac == 7) {
        snprintf(buf, len, "failure, %sfacility WIN32 (7): HRESULT_FROM_WIN32(%u)",
                 cust, low);
    } else if (name != NULL) {
        snprintf(buf, len, "failure, %sfacility %s (%u), code 0x%04X (%u)",
                 cust, name, fac, low, low);
    } else {
        snprintf(buf, len, "failure, %sfacility %u, code 0x%04X (%u)",
                 cust, fac, low, low);
    }
    return buf;
}
