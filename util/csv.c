/*
 * csv.c - RFC 4180 field quoting, formula defusing and safe text (see
 * csv.h).
 */
#include "util/csv.h"
#include "util/safetext.h"

#include <string.h>

/* An optional sign, digits, an optional '.' and digits: a number. */
static int plain_number(const char *s)
{
    const char *p = s + (*s == '-' || *s == '+');
    const char *d = p;
    while (*p >= '0' && *p <= '9')
        p++;
    if (p == d)
        return 0;
    if (*p == '.') {
        d = ++p;
        while (*p >= '0' && *p <= '9')
            p++;
        if (p == d)
            return 0;
    }
    return *p == '\0';
}

int csv_is_formula(const char *s)
{
    if (!s || !strchr("=+-@\t\r", *s) || !*s)
        return 0;
    return !plain_number(s);
}

void csv_field(struct strbuf *sb, const char *s)
{
    const char *run, *q;
    int quote;

    if (!s || !*s)
        return;
    quote = strpbrk(s, ",\"\r\n") != NULL;
    if (quote)
        sb_addc(sb, '"');
    if (csv_is_formula(s))
        sb_addc(sb, '\'');
    /* text neutralised (CR, LF, TAB kept), quotes doubled */
    for (run = s; (q = strchr(run, '"')); run = q + 1) {
        safetext_add(sb, run, (size_t)(q - run), SAFETEXT_KEEP_CR);
        sb_adds(sb, "\"\"");
    }
    safetext_adds(sb, run, SAFETEXT_KEEP_CR);
    if (quote)
        sb_addc(sb, '"');
}
