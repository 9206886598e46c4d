/*
 * csv.c - RFC 4180 field quoting with UTF-8 repair (see csv.h).
 */
#include "util/csv.h"

#include <string.h>

void csv_field(struct strbuf *sb, const char *s)
{
    const unsigned char *p, *run, *end;
    int quote;

    if (!s || !*s)
        return;
    end = (const unsigned char *)s + strlen(s);
    quote = strpbrk(s, ",\"\r\n") != NULL;
    if (quote)
        sb_addc(sb, '"');
    /* copy runs of valid text; double quotes, repair invalid UTF-8 */
    for (p = run = (const unsigned char *)s; p < end;) {
        size_t n = *p < 0x80 ? 1 : utf8_seq_len(p, (size_t)(end - p));
        if (n && *p != '"') {
            p += n;
            continue;
        }
        sb_add(sb, (const char *)run, (size_t)(p - run));
        sb_adds(sb, n ? "\"\"" : "\xEF\xBF\xBD");
        run = ++p;
    }
    sb_add(sb, (const char *)run, (size_t)(p - run));
    if (quote)
        sb_addc(sb, '"');
}
