/*
 * osfix.c - the fixes that exist on the host's OS: after the rules chose a
 * fix for each finding, a fix that does not exist on the OS class the
 * evidence shows (vocab/kb_fixes.c, kb_os_fixes) is swapped for the one
 * given there.  Unknown OS: the rules' choice stays.
 */
#include "diagnosis/diagnose.h"
#include "vocab/kb.h"

#include <string.h>

void os_fix_apply(const struct model *m, struct diagnosis *d)
{
    enum os_class cls = m->osinfo.known ? m->osinfo.cls : OSC_UNKNOWN;

    if (cls == OSC_UNKNOWN)
        return;
    for (size_t i = 0; i < d->n; i++) {
        struct finding *f = &d->findings[i];
        for (size_t k = 0; f->fix_id && k < kb_os_fixes_len; k++)
            if (kb_os_fixes[k].cls == cls && strcmp(kb_os_fixes[k].fix_id, f->fix_id) == 0) {
                f->fix_id = kb_os_fixes[k].instead;
                break;
            }
    }
}
