/*
 * xmlevents.h - turn Windows event XML into struct wu_event records.
 *
 * One parser serves every XML-shaped source: exported files (wevtutil /f:xml,
 * Get-WinEvent ToXml(), Event Viewer "Save as XML"), records that libevtx
 * renders as XML, and live EvtRender output on Windows.  Input may be UTF-8
 * or UTF-16 (with or without BOM), with or without an XML declaration, and
 * with any number of top-level <Event> elements.  DTDs are refused, so entity
 * expansion attacks and external entities cannot happen.
 */
#ifndef WUDIAG_XMLEVENTS_H
#define WUDIAG_XMLEVENTS_H

#include <stddef.h>
#include "vocab/event.h"
/* wu_parse_time, which reads the events' TimeCreated */
#include "util/timeutil.h"

struct xml_events;

/*
 * Limits on hostile input (README, "import").  A markup token - a start or
 * end tag with its attributes, a comment, a processing instruction - longer
 * than XE_TOKEN_MAX bytes, or elements nested deeper than XE_DEPTH_MAX
 * (real event XML is about 6 deep), stop the parse like malformed XML.
 */
#define XE_TOKEN_MAX (16 * 1024 * 1024)
#define XE_TOKEN_MAX_TEXT "16 MiB"
#define XE_DEPTH_MAX 64
#define XE_DEPTH_MAX_TEXT "64"
/* An event whose strings take more than this is dropped and counted bad. */
#define XE_EVENT_MAX (16u * 1024 * 1024)
#define XE_EVENT_MAX_TEXT "16 MiB"

/* NULL on out of memory. */
struct xml_events *xml_events_new(wu_event_sink sink, void *ctx);
void xml_events_free(struct xml_events *xe);

/*
 * Stream mode: feed a document in pieces; final=1 on the last piece.
 * Returns 0, the sink's non-zero value when it stopped, or -1 on malformed
 * input with a message in err ("line 12: mismatched tag").
 */
int xml_events_feed(struct xml_events *xe, const char *buf, size_t len,
                    int final, char *err, size_t errlen);

/*
 * Parse exactly one self-contained UTF-8 event document (as libevtx or
 * EvtRender produce).  The parser is reset first.  Same returns as feed.
 */
int xml_events_parse_one(struct xml_events *xe, const char *buf, size_t len,
                         char *err, size_t errlen);

/* Number of complete <Event> elements delivered so far. */
long xml_events_count(const struct xml_events *xe);
/* Events dropped because a field was unusable (bad time, too large). */
long xml_events_bad(const struct xml_events *xe);

#endif
