/*
 * render.c - the table of output formats.
 */
#include "report/report.h"
#include "report/fleet.h"

#include <string.h>

const struct renderer renderers[] = {
    {"text", render_fleet_text, NULL, render_text, render_text_between, NULL},
    {"html", render_fleet_html, render_html_begin, render_html, NULL, render_html_end},
    {"json", render_fleet_json, render_json_begin, render_json, render_json_between,
     render_json_end},
    /* a ticket summary per host (no fleet view: several hosts, one each) */
    {"summary", NULL, NULL, render_summary, render_summary_between, NULL},
};
const size_t renderers_len = sizeof renderers / sizeof renderers[0];

const struct renderer *renderer_find(const char *name)
{
    for (size_t i = 0; i < renderers_len; i++)
        if (strcmp(renderers[i].name, name) == 0)
            return &renderers[i];
    return NULL;
}
