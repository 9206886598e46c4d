/*
 * os.h - Windows releases by version and build (os.c's table, with their
 * end-of-support dates), and what a report knows about a host's OS: the
 * version, build, release, edition class and language, worked out from the
 * "os.*" facts import stores (collector/osinfo.c) and the localized words
 * the evidence carries.
 */
#ifndef WUDIAG_OS_H
#define WUDIAG_OS_H

#include <stddef.h>
#include <stdint.h>

/* The classes a fix can depend on (os_fix_subst in diagnosis/osfix.c). */
enum os_class {
    OSC_UNKNOWN = 0,
    OSC_WIN7,           /* Windows 7 / Server 2008 R2 (NT 6.1) and older: no DISM repair */
    OSC_WIN8,           /* Windows 8 / 8.1 (NT 6.2/6.3) */
    OSC_WIN10,
    OSC_WIN11,
    OSC_SERVER,         /* Windows Server 2012 and later: no Settings app on Core */
    OSC_COUNT
};

struct os_release {
    int major, minor;
    int build;          /* the build number of the release */
    int base;           /* the servicing stack's build when releases share
                         * one (19041 for 19041..19045), else = build */
    int server;         /* 1 server, 0 client, 2 either (7601, 9600, ...) */
    const char *name;   /* "Windows 10, version 22H2" */
    const char *eos;    /* end of support "YYYY-MM-DD" (see os.c) */
    enum os_class cls;
    const char *eos_ee;   /* Enterprise and Education, when later; or NULL */
    const char *eos_ltsc; /* the LTSB/LTSC edition of this build, or NULL */
};

/* The end of support of release r for an edition ("Pro", "Enterprise LTSC
 * 2019", NULL when unknown: the Home and Pro date). */
const char *os_release_eos(const struct os_release *r, const char *edition);

extern const struct os_release os_releases[];
extern const size_t os_releases_len;

/*
 * The release of major.minor.build for a client (server 0), a server
 * (server 1) or unknown (server -1: a row valid for both, else the client
 * row).  NULL when the build is in no row.
 */
const struct os_release *os_release_find(int major, int minor, int build, int server);

/*
 * The release an update's title is for, when the update applies only to
 * the installed release ("Cumulative Update for Windows 10 Version 1607
 * for x64-based Systems (KB4015438)", "... for Windows Server 2016 ..."):
 * not a feature update or upgrade, which names the release to come.
 */
const struct os_release *os_release_in_title(const char *title);

/* "10.0.19041.1288", "6.1.7601", "10.00.": 1 and the parts (rev -1 when
 * absent), 0 when s is no version. */
int os_parse_version(const char *s, int *major, int *minor, int *build, int *rev);

/* The language tag ("de-DE") whose words these are (a localized service
 * display name or state word), or NULL. */
const char *os_language_of_word(const char *word);

/* The language tag of a Windows locale identifier (0x409: "en-US"), or
 * NULL for one the table does not hold. */
const char *os_language_of_lcid(unsigned lcid);

/* What a report knows about the OS; strings in the model's arena. */
struct m_os {
    int known;              /* a version was found */
    int major, minor, build, rev;
    int server;             /* 1 server, 0 client, -1 unknown */
    enum os_class cls;
    const char *version;    /* "10.0.19041.1288" */
    const char *release;    /* "Windows 10, version 2004" or NULL */
    const char *edition;    /* product text from the evidence, or NULL */
    const char *language;   /* "de-DE" or NULL: the display language */
    const char *locale;     /* "tr-TR" or NULL: the system locale, told
                             * when no display language is */
    const char *eos;        /* end of support date, or NULL */
    int out_of_support;     /* eos is before the report's time */
    int ended_in_evidence;  /* ... and before the newest evidence */
    const char *source;     /* which evidence named the version */
};

#endif
