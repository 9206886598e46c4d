/*
 * rule_textlog.h - rules over what the text logs (WindowsUpdate.log, and
 * update attempts from any log) say happened: the Automatic Updates
 * setting, Store / Delivery Optimization downloads refused by the server,
 * feature updates that fail, DISM runs that fail.  One row each in rules[] (rules.c).
 */
#ifndef WUDIAG_RULE_TEXTLOG_H
#define WUDIAG_RULE_TEXTLOG_H

#include "diagnosis/diagnose.h"

int rule_automatic_updates(const struct model *m, struct diagnosis *d);
int rule_store_downloads(const struct model *m, struct diagnosis *d);
int rule_feature_update(const struct model *m, struct diagnosis *d);
int rule_dism_failures(const struct model *m, struct diagnosis *d);

#endif
