/*
 * fuzz_redact.c - libFuzzer target for the --redact tokenizer
 * (diagnosis/redact.c): the input's lines are learned, then redacted twice
 * with the same redactor, as every command's two passes do.
 *
 * Checks: the two redactions are byte for byte the same (one token map,
 * stable tokens); no URL in the output keeps credentials (nothing between
 * "scheme://" and the end of its authority contains '@'); outputs are
 * whole NUL-terminated strings.
 */
#include "fuzz_common.h"
#include "diagnosis/redact.h"

#include <ctype.h>

/* A scheme://...@ left in out (the URL's authority still has userinfo)? */
static const char *fr_userinfo(const char *out)
{
    for (const char *p = strstr(out, "://"); p; p = strstr(p + 3, "://")) {
        if (p == out || !isalnum((unsigned char)p[-1]))
            continue;
        for (const char *q = p + 3; *q && !strchr("/?#\\<>\"'`{}|^", *q) &&
                                    !isspace((unsigned char)*q); q++)
            if (*q == '@')
                return p;
    }
    return NULL;
}

static int fuzz_redact(const uint8_t *data, size_t size)
{
    char *text = fz_strndup(data, size), *lines[64];
    size_t n = 0;
    struct redactor *r = redactor_new();
    struct strbuf a, b;

    sb_init(&a);
    sb_init(&b);
    if (!text || !r)
        goto cleanup;
    for (char *p = text; n < 64;) {
        lines[n++] = p;
        char *nl = strchr(p, '\n');
        if (!nl)
            break;
        *nl = '\0';
        p = nl + 1;
    }
    redact_learn_host(r, lines[0]);
    for (size_t i = 0; i < n; i++)
        if (redact_learn(r, lines[i]) != 0)
            goto cleanup;
    for (size_t i = 0; i < n; i++) {
        sb_reset(&a);
        sb_reset(&b);
        if (redact_string(r, lines[i], &a) != 0 || redact_string(r, lines[i], &b) != 0)
            goto cleanup;
        sb_addc(&a, '\0');
        sb_addc(&b, '\0');
        if (a.oom || b.oom)
            goto cleanup;
        if (a.len != b.len || memcmp(a.buf, b.buf, a.len) != 0)
            fz_fail("redacting \"%s\" twice: \"%s\" then \"%s\"", lines[i], a.buf, b.buf);
        if (strlen(a.buf) + 1 != a.len)
            fz_fail("redacting \"%s\": a NUL inside the output", lines[i]);
        const char *u = fr_userinfo(a.buf);
        if (u)
            fz_fail("redacting \"%s\" kept URL credentials: \"%s\"", lines[i], u);
    }
cleanup:
    sb_free(&a);
    sb_free(&b);
    redactor_free(r);
    free(text);
    return 0;
}

FUZZ_ENTRY(fuzz_redact)
