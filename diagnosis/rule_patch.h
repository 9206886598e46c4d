/*
 * rule_patch.h - the patch-state rule: how long since a cumulative
 * (quality) update last installed, by update class (vocab/updates.h).
 * One row in rules[] (rules.c) points at it.
 */
#ifndef WUDIAG_RULE_PATCH_H
#define WUDIAG_RULE_PATCH_H

#include "diagnosis/diagnose.h"

/* Days without a successful quality update before it is a finding. */
#define PATCH_STALE_DAYS  35
/* An imported log that ends this many days before the report time is
 * "silent": the finding says the log ends on that date. */
#define PATCH_SILENT_DAYS 3

/* Adds the finding "quality-updates-stale" when quality updates are stale;
 * 0, or -1 on out of memory. */
int rule_patch_state(const struct model *m, struct diagnosis *d);

#endif
