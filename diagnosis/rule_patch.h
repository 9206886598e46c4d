/*
 * rule_patch.h - the patch-state rule: how long since a cumulative
 * (quality) update last installed, by update class (vocab/updates.h).
 * One row in rules[] (rules.c) points at it.
 */
#ifndef WUDIAG_RULE_PATCH_H
#define WUDIAG_RULE_PATCH_H

#include "diagnosis/diagnose.h"
#include "vocab/updates.h"

/* Days without a successful quality update before it is a finding. */
#define PATCH_STALE_DAYS  35
/* An imported log that ends this many days before the report time is
 * "silent": the finding says the log ends on that date. */
#define PATCH_SILENT_DAYS 3

/* Adds the finding "quality-updates-stale" when quality updates are stale;
 * 0, or -1 on out of memory. */
int rule_patch_state(const struct model *m, struct diagnosis *d);

/*
 * The last successful install (EK_INSTALL, EO_SUCCEEDED) of an update of
 * class c in m, by title and KB (vocab/updates.h), into *out (NULL when
 * none).  For other rules and the fleet summary, which must not call a host
 * patched because Defender or a Store app installed.  0, or -1 on OOM.
 */
int patch_last_install(const struct model *m, enum upd_class c,
                       const struct m_event **out);

#endif
