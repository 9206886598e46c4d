/*
 * kb.h - the error-code knowledge base and the fix catalog.
 *
 * Knowledge is data: every code wudiag can name is one row in kb_codes.c,
 * every fix one row in kb_fixes.c.  Diagnosis rules and renderers look codes
 * up here; nothing else in wudiag hard-codes what a code means.
 */
#ifndef WUDIAG_KB_H
#define WUDIAG_KB_H

#include <stddef.h>
#include <stdint.h>
#include "vocab/os.h"

enum kb_category {
    KB_CAT_UNKNOWN = 0,
    KB_CAT_SERVICE,     /* a service is stopped/disabled/broken */
    KB_CAT_NETWORK,     /* cannot reach the update source, proxy, TLS */
    KB_CAT_POLICY,      /* WSUS / group policy / configuration */
    KB_CAT_DOWNLOAD,    /* download or BITS/DO transfer failed */
    KB_CAT_INSTALL,     /* installer / handler failed */
    KB_CAT_SERVICING,   /* component store (CBS) corruption / missing source */
    KB_CAT_DISK,        /* not enough disk space */
    KB_CAT_REBOOT,      /* a restart is pending or required */
    KB_CAT_BENIGN,      /* informational / transient, never a problem alone */
    KB_CAT_COUNT
};

struct kb_code {
    uint32_t code;        /* the 32-bit HRESULT / error value */
    const char *symbol;   /* e.g. "WU_E_NO_SERVICE"; never NULL */
    const char *meaning;  /* one line, our own words */
    enum kb_category cat;
    const char *fix_id;   /* id of a row in the fix catalog; never NULL */
};

#define KB_MAX_STEPS 12
#define KB_MAX_LINKS 4

struct kb_fix {
    const char *id;       /* e.g. "enable-wuauserv" */
    const char *title;
    const char *why;      /* one or two sentences */
    int escalation;       /* 1 = least invasive ... 9 = most invasive */
    const char *steps[KB_MAX_STEPS];    /* NULL-terminated, GUI steps */
    const char *commands[KB_MAX_STEPS]; /* NULL-terminated, exact commands */
    const char *links[KB_MAX_LINKS];    /* NULL-terminated, learn.microsoft.com */
};

/* Tables (sorted by code / unsorted by id) and their lengths. */
extern const struct kb_code kb_codes[];
extern const size_t kb_codes_len;
extern const struct kb_fix kb_fixes[];
extern const size_t kb_fixes_len;

/* A fix that does not exist on an OS class, and the one given there
 * instead (kb_fixes.c; applied by diagnosis/osfix.c). */
struct kb_os_fix {
    const char *fix_id;
    enum os_class cls;
    const char *instead;
};
extern const struct kb_os_fix kb_os_fixes[];
extern const size_t kb_os_fixes_len;

/* The fix for a transient code that keeps recurring for the same update. */
struct kb_persist {
    uint32_t code;
    const char *fix_id;
};
extern const struct kb_persist kb_persist_fixes[];
extern const size_t kb_persist_fixes_len;
/* That fix for code (a default when the table has none). */
const char *kb_persist_fix(uint32_t code);

/* Exact lookup of a code; NULL when the code is not in the table. */
const struct kb_code *kb_code_find(uint32_t code);
/* Lookup by symbol, case-insensitive; NULL when unknown. */
const struct kb_code *kb_code_find_symbol(const char *symbol);
const struct kb_fix *kb_fix_find(const char *id);
const char *kb_category_name(enum kb_category cat);   /* "service", ... */

/*
 * Parse a code as a user types it: 0x80070422, 80070422 (8 hex digits),
 * -2147023838, 2147943458, or a symbol (WU_E_NO_SERVICE).  Returns 0 and
 * sets *out, or -1 when the text is not a code.
 */
int kb_parse_code(const char *text, uint32_t *out);

/*
 * Describe any code, known or not, into buf: for an unknown code the
 * facility and the Win32 part, e.g. "HRESULT_FROM_WIN32(1058)".
 * Returns buf.
 */
const char *kb_describe_facility(uint32_t code, char *buf, size_t len);

/*
 * What a script needs to know about a fix's commands (kb_cmds.c), one row
 * per fact: a command (the whole text as in kb_fixes.c, or its start when
 * the row's text ends in a space), in one fix or wherever it appears (fix_id
 * NULL).  A command without a row is run and must exit 0.
 */
enum kb_cmd_kind {
    KB_CMD_OK_EXIT = 1, /* exit code `code` also means done (note: what it means) */
    KB_CMD_CHECK,       /* shows a state for the reader; its exit code never stops */
    KB_CMD_PERSON,      /* a person does it by hand (note: how); never run */
    KB_CMD_ASK,         /* run only when the reader says yes (note: the question) */
    KB_CMD_GUIDED,      /* interactive: the reader is told (note) before it runs */
    KB_CMD_LAST,        /* restarts the device: after every other step (note) */
    KB_CMD_IF_FAILS     /* what to do when it fails (note), said before stopping */
};

struct kb_cmd_fact {
    const char *fix_id;     /* NULL: wherever the command appears */
    const char *command;
    enum kb_cmd_kind kind;
    int code;               /* KB_CMD_OK_EXIT */
    const char *note;
};
extern const struct kb_cmd_fact kb_cmd_facts[];
extern const size_t kb_cmd_facts_len;

/* The next fact about `command` of fix `fix_id` after *pos (start with
 * *pos = 0); NULL when there is none. */
const struct kb_cmd_fact *kb_cmd_fact_next(const char *fix_id, const char *command,
                                           size_t *pos);

#endif
