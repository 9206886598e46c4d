/*
 * fuzz_script.c - libFuzzer target for `wudiag fix`'s scripts
 * (report/script_render.c).
 *
 * The input becomes a diagnosis as hostile evidence could make it: up to 6
 * findings with fixes from the catalog (any, by a byte), severities,
 * resolved or not, and titles, evidence texts, host and OS cut from the
 * input at NUL bytes.  Both formats are rendered twice: with those strings,
 * and with every one of them replaced by "x".  The property: evidence
 * changes only comments and the contents of single-quoted literals, never
 * code.  So the .cmd without its rem lines (and the two lines that may echo
 * a plain host or title, compared up to that text) must be the same both
 * times, and so must the .ps1 with comments dropped and each literal's
 * contents masked (a small PowerShell tokenizer: # and <# #> comments,
 * '...' with '' and the typographic quotes doubled, "..." with ` escapes).
 * Also checked: every line ends in CRLF, no other CR or LF; .cmd comments
 * hold no lone %, none of ^ & | < >, only printable ASCII; the .ps1 is
 * UTF-8 after its BOM and no literal spans lines.
 */
#include "fuzz_common.h"
#include "diagnosis/diagnose.h"
#include "report/script_render.h"
#include "vocab/kb.h"
#include "vocab/model.h"

static const char *const fs_rules[] = {
    "service-disabled", "install-failures", "restart-pending", "sfc-result",
    "scan-failures", "automatic-updates-disabled",
};

/* The next NUL-terminated piece of the input (a static "" at its end). */
struct fs_in {
    const uint8_t *p;
    size_t n;
};

static const char *fs_str(struct fs_in *in, char *buf, size_t cap)
{
    size_t k = 0;
    while (in->n && *in->p && k + 1 < cap) {
        buf[k++] = (char)*in->p++;
        in->n--;
    }
    if (in->n && !*in->p) {
        in->p++;
        in->n--;
    }
    buf[k] = '\0';
    return buf;
}

static unsigned fs_byte(struct fs_in *in)
{
    if (!in->n)
        return 0;
    in->n--;
    return *in->p++;
}

/* Render fmt into a malloc'd buffer (NULL on failure). */
static char *fs_render(enum script_format fmt, const struct model *m,
                       const struct diagnosis *d, size_t *len)
{
    struct script_info si = {"fuzz", 1767225600LL * 1000000};
    char *buf = NULL;
    FILE *fp = open_memstream(&buf, len);
    if (!fp)
        return NULL;
    if (script_render(fmt, m, d, &si, fp) != 0) {
        fclose(fp);
        free(buf);
        return NULL;
    }
    fclose(fp);
    return buf;
}

static void fs_check_lines(const char *s, size_t n, const char *what)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\r' && (i + 1 >= n || s[i + 1] != '\n'))
            fz_fail("%s: a CR that ends no line at byte %zu\n", what, i);
        if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r'))
            fz_fail("%s: a LF without CR at byte %zu\n", what, i);
    }
}

/* The .cmd's code: rem and empty lines dropped, the echo of a plain title
 * or host cut before it. */
static char *fs_cmd_code(const char *s, size_t n)
{
    char *out = malloc(n + 1);
    size_t o = 0;
    if (!out)
        return NULL;
    for (size_t i = 0; i < n;) {
        size_t e = i;
        while (e < n && s[e] != '\r')
            e++;
        const char *l = s + i;
        size_t len = e - i;
        if (len >= 3 && memcmp(l, "rem", 3) == 0 && (len == 3 || l[3] == ' ')) {
            for (size_t k = 4; k < len; k++) {
                unsigned char c = (unsigned char)l[k];
                if (c == '%') {
                    if (k + 1 >= len || l[k + 1] != '%')
                        fz_fail("cmd: a lone %% in a comment: %.*s\n", (int)len, l);
                    k++;
                } else if (c < 0x20 || c >= 0x7F || strchr("^&|<>", c)) {
                    fz_fail("cmd: 0x%02X in a comment: %.*s\n", c, (int)len, l);
                }
            }
        } else if (len) {
            static const char *const cut[] = {
                "echo      for finding [", ">>\"%WUDIAG_LOG%\" echo ==== wudiag fix script for ",
            };
            size_t keep = len;
            for (size_t c = 0; c < 2; c++)
                if (len >= strlen(cut[c]) && memcmp(l, cut[c], strlen(cut[c])) == 0)
                    keep = strlen(cut[c]);
            memcpy(out + o, l, keep);
            o += keep;
            out[o++] = '\n';
        }
        i = e + 2;
    }
    out[o] = '\0';
    return out;
}

static int fs_quote(const unsigned char *p, const unsigned char *end)
{
    if (p < end && *p == '\'')
        return 1;
    if (end - p >= 3 && p[0] == 0xE2 && p[1] == 0x80 && p[2] >= 0x98 && p[2] <= 0x9B)
        return 3;
    return 0;
}

/* The .ps1's code: comments dropped, literals as '', empty lines dropped. */
static char *fs_ps1_code(const char *text, size_t n)
{
    const unsigned char *s = (const unsigned char *)text, *end = s + n;
    char *out = malloc(n + 3);
    size_t o = 0, i = 0;
    int blank = 1;              /* the current output line has nothing yet */
    if (!out)
        return NULL;
    if (n < 3 || memcmp(text, "\xEF\xBB\xBF", 3) != 0)
        fz_fail("ps1: no UTF-8 BOM\n");
    if (fz_utf8_bad(text + 3, n - 3) != (size_t)-1)
        fz_fail("ps1: invalid UTF-8\n");
    i = 3;
    while (i < n) {
        int q;
        if (s[i] == '\r' || s[i] == '\n') {
            if (!blank)
                out[o++] = '\n';
            blank = 1;
            i++;
        } else if (s[i] == '#') {
            while (i < n && s[i] != '\r' && s[i] != '\n')
                i++;
        } else if (s[i] == '<' && i + 1 < n && s[i + 1] == '#') {
            while (i + 1 < n && !(s[i] == '#' && s[i + 1] == '>'))
                i++;
            if (i + 1 >= n)
                fz_fail("ps1: unclosed <#\n");
            i += 2;
        } else if ((q = fs_quote(s + i, end)) != 0) {
            i += (size_t)q;
            for (;;) {
                if (i >= n || s[i] == '\r' || s[i] == '\n')
                    fz_fail("ps1: a '...' literal not closed on its line\n");
                int q2 = fs_quote(s + i, end);
                if (q2) {
                    int q3 = fs_quote(s + i + q2, end);
                    i += (size_t)q2;
                    if (q3) {
                        i += (size_t)q3;
                        continue;
                    }
                    break;
                }
                i++;
            }
            out[o++] = '\'';
            out[o++] = '\'';
            blank = 0;
        } else if (s[i] == '"') {
            out[o++] = (char)s[i++];
            for (;;) {
                if (i >= n)
                    fz_fail("ps1: unclosed \"...\"\n");
                if (s[i] == '`' && i + 1 < n) {
                    out[o++] = (char)s[i++];
                    out[o++] = (char)s[i++];
                    continue;
                }
                out[o++] = (char)s[i];
                if (s[i++] == '"') {
                    if (i < n && s[i] == '"') {
                        out[o++] = (char)s[i++];
                        continue;
                    }
                    break;
                }
            }
            blank = 0;
        } else {
            if (s[i] != ' ' || !blank) {
                out[o++] = (char)s[i];
                blank = 0;
            }
            i++;
        }
    }
    out[o] = '\0';
    return out;
}

/* Build the diagnosis from the input; plain: every string "x". */
static void fs_build(const uint8_t *data, size_t size, int plain, struct model *m,
                     struct diagnosis *d)
{
    struct fs_in in = {data, size};
    char buf[4096];
    unsigned nf = fs_byte(&in) % 7;

    /* the same input read both times; plain only swaps the strings */
    fs_str(&in, buf, sizeof buf);
    m->host = model_strdup(m, plain ? "x" : buf);
    fs_str(&in, buf, sizeof buf);
    m->os = buf[0] ? model_strdup(m, plain ? "x" : buf) : NULL;
    for (unsigned i = 0; i < nf; i++) {
        unsigned fix = fs_byte(&in), sev = fs_byte(&in), ne = fs_byte(&in) % 5;
        struct finding *f = finding_new(d, fs_rules[fix % (sizeof fs_rules / sizeof fs_rules[0])],
                                        (enum severity)(sev % 3),
                                        kb_fixes[fix % kb_fixes_len].id);
        if (!f)
            return;
        f->resolved = (sev & 0x80) != 0;
        f->count = (long)(sev & 0x7F);
        fs_str(&in, buf, sizeof buf);
        finding_set_title(f, "%s", plain ? "x" : buf);
        for (unsigned k = 0; k < ne; k++) {
            int64_t t = 1483228800000000LL + (int64_t)fs_byte(&in) * 86400000000LL;
            fs_str(&in, buf, sizeof buf);
            finding_add_evidence(f, t, 0, "%s", plain ? "x" : buf);
        }
        if (fix & 1)
            finding_add_code(f, 0x80070422U);
    }
    d->verdict = VERDICT_WARNING;
}

static int fuzz_script(const uint8_t *data, size_t size)
{
    for (int fmt = SCRIPT_CMD; fmt <= SCRIPT_PS1; fmt++) {
        char *code[2] = {NULL, NULL};
        for (int plain = 0; plain < 2; plain++) {
            struct model *m = model_new();
            struct diagnosis d;
            size_t len = 0;
            memset(&d, 0, sizeof d);
            if (!m)
                return 0;
            fs_build(data, size, plain, m, &d);
            char *s = fs_render((enum script_format)fmt, m, &d, &len);
            diagnosis_free(&d);
            model_free(m);
            if (!s)
                fz_fail("script_render failed\n");
            fs_check_lines(s, len, fmt == SCRIPT_CMD ? "cmd" : "ps1");
            code[plain] = fmt == SCRIPT_CMD ? fs_cmd_code(s, len) : fs_ps1_code(s, len);
            free(s);
        }
        if (code[0] && code[1] && strcmp(code[0], code[1]) != 0) {
            size_t k = 0;
            while (code[0][k] == code[1][k])
                k++;
            fz_fail("%s: evidence changed the code at byte %zu: \"%.80s\" vs \"%.80s\"\n",
                    fmt == SCRIPT_CMD ? "cmd" : "ps1", k, code[0] + k, code[1] + k);
        }
        free(code[0]);
        free(code[1]);
    }
    return 0;
}

FUZZ_ENTRY(fuzz_script)
