/*
 * updates.h - the class of an update (quality, feature, .NET, driver,
 * Defender, MSRT, Store app, other), from its title in any display
 * language and its KB number.
 *
 * An admin's question is "has a cumulative (quality) update installed
 * lately?", and a Defender definition or a Store app installing every day
 * must not answer it.  The knowledge is three tables in updates.c, tried in
 * this order, first match wins:
 *
 *   1. language-neutral shapes: a Store product ID ("9WZDNCRFJ3Q2-
 *      Microsoft.BingWeather") or package family name; a KB number that
 *      always means one product (upd_kbs[]: KB2267602 Defender, KB890830
 *      MSRT, ...); brand names Microsoft never translates (upd_cues[]:
 *      "Microsoft Defender Antivirus", ".NET Framework", "Adobe Flash
 *      Player", ...); the driver title shape "Vendor - Class - Version";
 *   2. localized phrases (upd_phrases[]: "Cumulative Update", "Kumulatives
 *      Update", "累積更新プログラム", "Feature update", ...), each row with
 *      its language and where it came from;
 *   3. the feature-update product name "Windows 11, version 24H2" (the
 *      comma; monthly titles say "Windows 11 Version 24H2").
 *
 * Matching is a substring test, case-insensitive for ASCII letters and
 * exact for every other byte (UTF-8).  Adding a phrase or a KB is one row.
 * A GUID names one revision of one update, never a class: callers that
 * have several events of an update (rule_patch.c) give an event without a
 * title the class of another event with the same GUID.
 */
#ifndef WUDIAG_UPDATES_H
#define WUDIAG_UPDATES_H

#include <stddef.h>

enum upd_class {
    UC_UNKNOWN = 0,
    UC_QUALITY,     /* cumulative / monthly rollup / security-only / SSU */
    UC_FEATURE,     /* feature update, version upgrade */
    UC_DOTNET,      /* .NET Framework / .NET cumulative and security updates */
    UC_DRIVER,
    UC_DEFENDER,    /* definitions, security intelligence, antimalware platform */
    UC_MSRT,        /* Malicious Software Removal Tool (KB890830) */
    UC_STORE,       /* Microsoft Store apps and framework packages */
    UC_OTHER,       /* Office, Flash, Edge, SQL Server, ...: known, not Windows */
    UC_COUNT
};

/* A KB number that always means one class, whatever the title says. */
struct upd_kb {
    const char *kb;           /* "KB2267602" */
    enum upd_class cls;
    const char *what;         /* what Microsoft publishes under it */
};

/* Where a phrase is matched from. */
struct upd_phrase {
    const char *text;         /* substring of the title */
    enum upd_class cls;
    const char *need;         /* and the title must also contain this, or NULL */
    const char *lang;         /* "neutral" for brand names, else a BCP 47 tag */
};

extern const struct upd_kb upd_kbs[];
extern const size_t upd_kbs_len;
extern const struct upd_phrase upd_cues[];      /* brands, language-neutral */
extern const size_t upd_cues_len;
extern const struct upd_phrase upd_phrases[];   /* localized phrases */
extern const size_t upd_phrases_len;

/*
 * The class of an update from its title and KB (either may be NULL; the KB
 * is also read from "(KB1234567)" in the title).  UC_UNKNOWN when nothing
 * matches: a caller must never count an unknown update as quality.
 */
enum upd_class upd_classify(const char *title, const char *kb);

/* "quality", "feature", "dotnet", "driver", "defender", "msrt", "store",
 * "other", "unknown": stable names for JSON and tests. */
const char *upd_class_name(enum upd_class c);
/* For people: "cumulative update", "feature update", ".NET update", ... */
const char *upd_class_label(enum upd_class c);

/* Pieces of the classifier, exposed for tests. */
int upd_is_store_title(const char *title);    /* product ID or package name */
int upd_is_driver_title(const char *title);   /* "Vendor - Class - 1.2.3" */
/* The "KB1234567" in s into buf (size >= 16); NULL when none. */
const char *upd_kb_in(const char *s, char *buf, size_t len);

#endif
