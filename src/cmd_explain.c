/*
 * cmd_explain.c - `wudiag explain [--json] CODE...`: what a code means and
 * which fix applies, straight from the knowledge base (no database).
 */
#include "src/cli.h"
#include "vocab/kb.h"
#include "util/strbuf.h"

#include <string.h>

static void text_fix(FILE *out, const struct kb_fix *fix)
{
    fprintf(out, "  Fix:      %s\n", fix->title);
    fprintf(out, "  Why:      %s\n", fix->why);
    for (int i = 0; i < KB_MAX_STEPS && fix->steps[i]; i++)
        fprintf(out, "    %d. %s\n", i + 1, fix->steps[i]);
    if (fix->commands[0]) {
        fprintf(out, "  Commands (elevated Command Prompt):\n");
        for (int i = 0; i < KB_MAX_STEPS && fix->commands[i]; i++)
            fprintf(out, "    %s\n", fix->commands[i]);
    }
    for (int i = 0; i < KB_MAX_LINKS && fix->links[i]; i++)
        fprintf(out, "  See:      %s\n", fix->links[i]);
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

int cmd_explain(struct cli *cli, int argc, char **argv)
{
    const struct command *self = command_find("explain");
    struct strbuf sb;
    int json = 0, rc = EXIT_OK;

    /* options by hand: a negative decimal code (-2147023838) is not one */
    int first = 1;
    while (first < argc && argv[first][0] == '-' &&
           !(argv[first][1] >= '0' && argv[first][1] <= '9')) {
        if (strcmp(argv[first], "--") == 0) {
            first++;
            break;
        }
        if (strcmp(argv[first], "--json") != 0)
            return cli_usage_error(self, "unknown option '%s'", argv[first]);
        json = 1;
        first++;
    }
    if (first >= argc)
        return cli_usage_error(self, "no code given");
    for (int i = first; i < argc; i++) {
        uint32_t code;
        if (kb_parse_code(argv[i], &code) != 0)
            return cli_usage_error(self, "'%s' is not an error code or symbol", argv[i]);
    }
    sb_init(&sb);
    if (json)
        sb_adds(&sb, "{\"schema\":\"wudiag.explain/1\",\"codes\":[");
    for (int i = first; i < argc; i++) {
        uint32_t code = 0;
        char fac[128];
        const struct kb_code *k;

        kb_parse_code(argv[i], &code);
        k = kb_code_find(code);
        kb_describe_facility(code, fac, sizeof fac);
        if (!k)
            rc = EXIT_PARTIAL;
        if (json) {
            if (i > first)
                sb_addc(&sb, ',');
            json_code(&sb, code, k, fac);
            continue;
        }
        if (i > first)
            fputc('\n', cli->out);
        if (!k) {
            fprintf(cli->out, "0x%08X  (not in wudiag's knowledge base)\n", code);
            fprintf(cli->out, "  Decoded:  %s\n", fac);
            continue;
        }
        fprintf(cli->out, "0x%08X  %s\n", code, k->symbol);
        fprintf(cli->out, "  Meaning:  %s\n", k->meaning);
        fprintf(cli->out, "  Category: %s\n", kb_category_name(k->cat));
        fprintf(cli->out, "  Decoded:  %s\n", fac);
        const struct kb_fix *fix = kb_fix_find(k->fix_id);
        if (fix)
            text_fix(cli->out, fix);
    }
    if (json) {
        sb_adds(&sb, "]}\n");
        if (sb.oom) {
            sb_free(&sb);
            fprintf(cli->err, "wudiag explain: out of memory\n");
            return EXIT_INTERNAL;
        }
        fwrite(sb.buf, 1, sb.len, cli->out);
    }
    sb_free(&sb);
    return rc;
}
