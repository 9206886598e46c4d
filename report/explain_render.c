/*
 * explain_render.c - explained codes as text or JSON (see explain_render.h).
 * Text goes out through safetext_printf (util/safetext.h), as every
 * plain-text writer's does.
 */
#include "report/explain_render.h"
#include "vocab/kb.h"
#include "util/safetext.h"
#include "util/strbuf.h"

#include <string.h>

static void text_fix(FILE *out, const struct kb_fix *fix)
{
    safetext_printf(out, "  Fix:      %s\n", fix->title);
    safetext_printf(out, "  Why:      %s\n", fix->why);
    for (int i = 0; i < KB_MAX_STEPS && fix->steps[i]; i++)
        safetext_printf(out, "    %d. %s\n", i + 1, fix->steps[i]);
    if (fix->commands[0]) {
        safetext_printf(out, "  Commands (elevated Command Prompt):\n");
        for (int i = 0; i < KB_MAX_STEPS && fix->commands[i]; i++)
            safetext_printf(out, "    %s\n", fix->commands[i]);
    }
    for (int i = 0; i < KB_MAX_LINKS && fix->links[i]; i++)
        safetext_printf(out, "  See:      %s\n", fix->links[i]);
}

static void json_list(struct strbuf *sb, const char *key, const char *const *v,
                      int max)
{
    sb_printf(sb, "\"%s\":[", key);
    for (int i = 0; i < max && v[i]; i++) {
        sb_adds(sb, i ? ",\"" : "\"");
        sb_json_str(sb, v[i]);
        sb_addc(sb, '"');
    }
    sb_addc(sb, ']');
}

static void json_code(struct strbuf *sb, uint32_t code, const struct kb_code *k,
                      const char *facility)
{
    sb_printf(sb, "{\"code\":\"0x%08X\",\"known\":%s,\"facility\":\"", code,
              k ? "true" : "false");
    sb_json_str(sb, facility);
    sb_addc(sb, '"');
    if (k) {
        const struct kb_fix *fix = kb_fix_find(k->fix_id);
        sb_adds(sb, ",\"symbol\":\"");
        sb_json_str(sb, k->symbol);
        sb_adds(sb, "\",\"meaning\":\"");
        sb_json_str(sb, k->meaning);
        sb_printf(sb, "\",\"category\":\"%s\"", kb_category_name(k->cat));
        if (fix) {
            sb_adds(sb, ",\"fix\":{\"id\":\"");
            sb_json_str(sb, fix->id);
            sb_adds(sb, "\",\"title\":\"");
            sb_json_str(sb, fix->title);
            sb_adds(sb, "\",\"why\":\"");
            sb_json_str(sb, fix->why);
            sb_adds(sb, "\",");
            json_list(sb, "steps", fix->steps, KB_MAX_STEPS);
            sb_addc(sb, ',');
            json_list(sb, "commands", fix->commands, KB_MAX_STEPS);
            sb_addc(sb, ',');
            json_list(sb, "links", fix->links, KB_MAX_LINKS);
            sb_addc(sb, '}');
        }
    }
    sb_addc(sb, '}');
}

int explain_render(FILE *out, const uint32_t *codes, size_t n, int json)
{
    struct strbuf sb;

    sb_init(&sb);
    if (json)
        sb_adds(&sb, "{\"schema\":\"wudiag.explain/1\",\"codes\":[");
    for (size_t i = 0; i < n; i++) {
        uint32_t code = codes[i];
        char fac[128];
        const struct kb_code *k = kb_code_find(code);

        kb_describe_facility(code, fac, sizeof fac);
        if (json) {
            if (i)
                sb_addc(&sb, ',');
            json_code(&sb, code, k, fac);
            continue;
        }
        if (i)
            fputc('\n', out);
        if (!k) {
            safetext_printf(out, "0x%08X  (not in wudiag's knowledge base)\n", code);
            safetext_printf(out, "  Decoded:  %s\n", fac);
            continue;
        }
        safetext_printf(out, "0x%08X  %s\n", code, k->symbol);
        safetext_printf(out, "  Meaning:  %s\n", k->meaning);
        safetext_printf(out, "  Category: %s\n", kb_category_name(k->cat));
        safetext_printf(out, "  Decoded:  %s\n", fac);
        const struct kb_fix *fix = kb_fix_find(k->fix_id);
        if (fix)
            text_fix(out, fix);
    }
    if (json) {
        sb_adds(&sb, "]}\n");
        if (sb.oom) {
            sb_free(&sb);
            return -1;
        }
        fwrite(sb.buf, 1, sb.len, out);
    }
    sb_free(&sb);
    return 0;
}
