/*
 * filter.h - decide which events are about Windows Update, and decode the
 * facts Windows hides in them (service short name, error code, KB).
 *
 * The decisions come from tables in filter.c (providers, event IDs, the
 * update services with their English and localized display names, restart
 * keywords); adding a provider or a service is one line there.
 */
#ifndef WUDIAG_FILTER_H
#define WUDIAG_FILTER_H

#include <stddef.h>
#include <stdint.h>
#include "vocab/event.h"
#include "vocab/services.h"

/*
 * Cheap first test on the provider alone: 0 when no event of this provider
 * can ever be kept, so a source may skip rendering it.
 */
int wu_provider_may_matter(const char *provider);

/*
 * Second cheap test, before a source parses an event in full: 0 when the
 * event cannot be kept, judged from its ID, its positional strings (the
 * EventData values in order) and its binary data (raw bytes, not hex).
 * Never 0 for an event wu_classify() would keep.
 */
int wu_event_may_matter(const char *provider, int event_id,
                        const char *const *strings, size_t nstrings,
                        const unsigned char *binary, size_t binlen);

/*
 * Fill the derived fields of ev (service, code, update title/guid, KB) and
 * return 1 when the event is update-related, 0 when it is not.
 */
int wu_classify(struct wu_event *ev);

/*
 * Decode SCM's Binary data: hex text of UTF-16LE "name/state\0".  Writes the
 * name (ASCII/UTF-8) to out and returns 0, or -1 when it is not that shape.
 * *state gets the number after '/', or -1.
 */
int wu_decode_scm_binary(const char *hex, char *out, size_t outlen, int *state);

/*
 * Parse an error code as logs write it: "0x80240022", "2149842978",
 * "-2145124318", or an SCM insertion "%%2147942414" / "%%1058" (a small
 * number is a Win32 error, returned as HRESULT_FROM_WIN32).  Returns 0 and
 * sets *out, -1 when the text is not a code.
 */
int wu_parse_logged_code(const char *text, uint32_t *out);

/* Copy the first "KB<digits>" in text to out ("" if none); returns out. */
const char *wu_find_kb(const char *text, char *out, size_t outlen);

#endif
