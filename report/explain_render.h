/*
 * explain_render.h - `wudiag explain`: what error codes mean and which fix
 * applies, straight from the knowledge base, as text or as one JSON
 * document (schema wudiag.explain/1), to a FILE *.
 */
#ifndef WUDIAG_EXPLAIN_RENDER_H
#define WUDIAG_EXPLAIN_RENDER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Each of the n codes: symbol, meaning, category, the decoded facility and
 * the fix with its steps, commands and links (an unknown code: decoded by
 * facility only).  Returns 0, or -1 when out of memory (JSON is built whole
 * first: then nothing is written).  Write errors are left on out (ferror).
 */
int explain_render(FILE *out, const uint32_t *codes, size_t n, int json);

#endif
