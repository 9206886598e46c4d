/*
 * xmlevents.c - expat-based parser from Windows event XML to wu_event.
 *
 * Stream mode normalises the input first: UTF-16 (LE/BE, BOM or not) is
 * transcoded to UTF-8 (util/textenc.h), a BOM and the XML declaration are
 * dropped, and the rest is wrapped in a private root element so that a file
 * of concatenated <Event> elements (what wevtutil and ToXml() produce) is
 * one well-formed document.  A DOCTYPE cannot appear inside that wrapper,
 * so no DTD - and so no entity expansion or external entity - ever reaches
 * expat.
 *
 * Strings of the current event live in one growable arena; fields are kept
 * as offsets into it and turned into pointers when </Event> closes.
 *
 * Hostile input has bounded cost.  Expat 2.5 rescans an unfinished token
 * from its start on every XML_Parse call, so a 100 MB tag fed in 64 KiB
 * pieces costs ~80 GB of scanning; expat >= 2.6 defers the rescan
 * (XML_SetReparseDeferralEnabled), 2.5 cannot.  So to_expat does the same
 * itself: while expat holds an unfinished token of P bytes, input is held
 * back until P more bytes have come, which keeps the total scanning linear.
 * No markup token (a start or end tag with its attributes, a comment, a
 * processing instruction) may be longer than XE_TOKEN_MAX, and elements
 * may not nest deeper than XE_DEPTH_MAX: either stops the parse with a
 * message, as malformed XML does.  Character data is streamed by expat and
 * bounded per event by ARENA_MAX instead.
 */
#include "collector/xmlevents.h"
#include "util/textenc.h"

#include <expat.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_MAX   XE_EVENT_MAX           /* one event larger than this is dropped */
#define PROLOG_MAX  1024                  /* longest XML declaration accepted */
#define NO_OFF      ((size_t)-1)
#define WRAP_OPEN   "<wudiag-events>"
#define WRAP_CLOSE  "</wudiag-events>"

enum field {
    F_PROVIDER, F_EVENTID, F_LEVEL, F_TIME, F_RECORDID, F_CHANNEL,
    F_COMPUTER, F_MESSAGE, F_BINARY, F_COUNT
};

enum stage { ST_SNIFF, ST_PROLOG, ST_BODY };

struct xml_events {
    XML_Parser parser;
    int64_t fed;                /* bytes given to XML_Parse since the reset */
    int64_t pending;            /* of them, the unfinished token expat holds */
    char *hold;                 /* input held back while that token grows */
    size_t nhold, caphold;
    int outer;                  /* 1 when our wrapper element is the root */
    wu_event_sink sink;
    void *ctx;
    int sink_rc;
    const char *fatal;          /* our own reason to stop, or NULL */

    /* stream normalisation */
    enum stage stage;
    enum textenc enc;
    unsigned char sniff[4];
    size_t nsniff;
    struct utf16_decoder u16;   /* holds a unit or pair split between pieces */
    char prolog[PROLOG_MAX];
    size_t nprolog;
    int wrapped;                /* WRAP_OPEN has been fed */
    char *conv;                 /* transcoding buffer */
    size_t convcap;

    /* event state */
    int depth;
    int ev_depth;               /* depth of <Event>, 0 when outside */
    int section;                /* which child of Event we are in */
    char userdata_name[64];
    size_t field[F_COUNT];
    size_t data_name[WU_MAX_DATA];
    size_t data_value[WU_MAX_DATA];
    size_t ndata;
    size_t capture;             /* offset of the text being captured */
    int capturing;
    int too_big;
    char *arena;
    size_t alen, acap;

    long count, bad;
};

enum { SEC_NONE, SEC_SYSTEM, SEC_EVENTDATA, SEC_USERDATA, SEC_RENDERING };

/* ---- arena --------------------------------------------------------- */

static int arena_put(struct xml_events *xe, const char *s, size_t n)
{
    if (xe->too_big)
        return 0;
    if (xe->alen + n + 1 > ARENA_MAX) {
        xe->too_big = 1;
        return 0;
    }
    if (xe->alen + n + 1 > xe->acap) {
        size_t cap = xe->acap ? xe->acap : 4096;
        while (cap < xe->alen + n + 1)
            cap *= 2;
        char *a = realloc(xe->arena, cap);
        if (!a) {
            xe->fatal = "out of memory";
            XML_StopParser(xe->parser, XML_FALSE);
            return -1;
        }
        xe->arena = a;
        xe->acap = cap;
    }
    memcpy(xe->arena + xe->alen, s, n);
    xe->alen += n;
    xe->arena[xe->alen] = '\0';
    return 0;
}

/* Store a NUL-terminated string; returns its offset or NO_OFF. */
static size_t arena_str(struct xml_events *xe, const char *s)
{
    size_t off = xe->alen;
    if (arena_put(xe, s, strlen(s)) != 0 || xe->too_big)
        return NO_OFF;
    xe->alen++;                 /* keep the terminator */
    return off;
}

static void event_reset(struct xml_events *xe)
{
    for (int i = 0; i < F_COUNT; i++)
        xe->field[i] = NO_OFF;
    xe->ndata = 0;
    xe->alen = 0;
    xe->too_big = 0;
    xe->capturing = 0;
    xe->section = SEC_NONE;
}

/* ---- expat callbacks ------------------------------------------------- */

static const char *local_name(const char *name)
{
    const char *c = strrchr(name, ':');
    return c ? c + 1 : name;
}

static const char *attr(const char **atts, const char *want)
{
    for (; atts && atts[0]; atts += 2)
        if (strcmp(local_name(atts[0]), want) == 0)
            return atts[1];
    return NULL;
}

static void start_capture(struct xml_events *xe)
{
    xe->capture = xe->alen;
    xe->capturing = 1;
}

static size_t end_capture(struct xml_events *xe)
{
    if (!xe->capturing)
        return NO_OFF;
    xe->capturing = 0;
    if (xe->too_big)
        return NO_OFF;
    size_t off = xe->capture;
    if (arena_put(xe, "", 0) != 0 || xe->too_big)
        return NO_OFF;
    xe->alen++;                 /* keep the terminator */
    return off;
}

static void add_data(struct xml_events *xe, size_t name_off)
{
    if (xe->ndata >= WU_MAX_DATA)
        return;
    xe->data_name[xe->ndata] = name_off;
    xe->data_value[xe->ndata] = NO_OFF;
    start_capture(xe);
}

/* Stop on a markup token longer than XE_TOKEN_MAX (from a callback: the
 * parse was given it whole, as xml_events_parse_one and a final feed do). */
static int token_too_long(struct xml_events *xe)
{
    if (XML_GetCurrentByteCount(xe->parser) <= XE_TOKEN_MAX)
        return 0;
    xe->fatal = "an XML tag, attribute or comment is longer than " XE_TOKEN_MAX_TEXT;
    XML_StopParser(xe->parser, XML_FALSE);
    return 1;
}

static void XMLCALL on_start(void *ud, const char *name, const char **atts)
{
    struct xml_events *xe = ud;
    const char *n = local_name(name);
    int rel;

    xe->depth++;
    if (xe->depth - xe->outer > XE_DEPTH_MAX) {
        xe->fatal = "elements nested deeper than " XE_DEPTH_MAX_TEXT;
        XML_StopParser(xe->parser, XML_FALSE);
        return;
    }
    if (token_too_long(xe))
        return;
    if (!xe->ev_depth) {
        if (strcmp(n, "Event") == 0) {
            xe->ev_depth = xe->depth;
            event_reset(xe);
        }
        return;
    }
    rel = xe->depth - xe->ev_depth;
    if (rel == 1) {
        if (strcmp(n, "System") == 0)
            xe->section = SEC_SYSTEM;
        else if (strcmp(n, "EventData") == 0)
            xe->section = SEC_EVENTDATA;
        else if (strcmp(n, "UserData") == 0)
            xe->section = SEC_USERDATA;
        else if (strcmp(n, "RenderingInfo") == 0)
            xe->section = SEC_RENDERING;
        else
            xe->section = SEC_NONE;
        return;
    }
    if (rel == 2 && xe->section == SEC_SYSTEM) {
        const char *v;
        if (strcmp(n, "Provider") == 0) {
            v = attr(atts, "Name");
            if (!v)
                v = attr(atts, "EventSourceName");
            if (v)
                xe->field[F_PROVIDER] = arena_str(xe, v);
        } else if (strcmp(n, "TimeCreated") == 0) {
            v = attr(atts, "SystemTime");
            if (v)
                xe->field[F_TIME] = arena_str(xe, v);
        } else if (strcmp(n, "EventID") == 0 || strcmp(n, "Level") == 0 ||
                   strcmp(n, "EventRecordID") == 0 ||
                   strcmp(n, "Channel") == 0 || strcmp(n, "Computer") == 0) {
            start_capture(xe);
        }
        return;
    }
    if (rel == 2 && xe->section == SEC_EVENTDATA) {
        if (strcmp(n, "Data") == 0) {
            const char *dn = attr(atts, "Name");
            char gen[24];
            if (!dn) {
                snprintf(gen, sizeof gen, "param%zu", xe->ndata + 1);
                dn = gen;
            }
            add_data(xe, arena_str(xe, dn));
        } else if (strcmp(n, "Binary") == 0) {
            start_capture(xe);
        }
        return;
    }
    if (rel == 2 && xe->section == SEC_USERDATA) {
        snprintf(xe->userdata_name, sizeof xe->userdata_name, "%s", n);
        return;
    }
    if (rel == 3 && xe->section == SEC_USERDATA) {
        add_data(xe, arena_str(xe, n));
        return;
    }
    if (rel == 2 && xe->section == SEC_RENDERING && strcmp(n, "Message") == 0)
        start_capture(xe);
}

static int parse_long(const char *s, long long *out)
{
    char *end;
    long long v;
    if (!s)
        return -1;
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    if (!*s)
        return -1;
    v = strtoll(s, &end, 10);
    while (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n')
        end++;
    if (*end)
        return -1;
    *out = v;
    return 0;
}

static const char *at(struct xml_events *xe, size_t off)
{
    return off == NO_OFF ? NULL : xe->arena + off;
}

static void finish_event(struct xml_events *xe)
{
    struct wu_event ev;
    long long id = 0, level = 0, rec = -1;
    const char *s;

    xe->ev_depth = 0;
    if (xe->too_big) {
        xe->bad++;
        return;
    }
    memset(&ev, 0, sizeof ev);
    ev.provider = at(xe, xe->field[F_PROVIDER]);
    if (!ev.provider || parse_long(at(xe, xe->field[F_EVENTID]), &id) != 0 ||
        id < 0 || id > 65535 || !at(xe, xe->field[F_TIME]) ||
        wu_parse_time(at(xe, xe->field[F_TIME]), &ev.time_us) != 0) {
        xe->bad++;
        return;
    }
    s = at(xe, xe->field[F_LEVEL]);
    if (s && (parse_long(s, &level) != 0 || level < 0 || level > 255))
        level = 0;
    s = at(xe, xe->field[F_RECORDID]);
    if (!s || parse_long(s, &rec) != 0 || rec < 0)
        rec = -1;
    ev.event_id = (int)id;
    ev.level = (int)level;
    ev.record_id = rec;
    ev.channel = at(xe, xe->field[F_CHANNEL]);
    if (!ev.channel)
        ev.channel = "";
    ev.computer = at(xe, xe->field[F_COMPUTER]);
    if (!ev.computer)
        ev.computer = "";
    ev.message = at(xe, xe->field[F_MESSAGE]);
    ev.binary = at(xe, xe->field[F_BINARY]);
    for (size_t i = 0; i < xe->ndata; i++) {
        ev.data[i].name = at(xe, xe->data_name[i]);
        ev.data[i].value = at(xe, xe->data_value[i]);
        if (!ev.data[i].name)
            ev.data[i].name = "";
        if (!ev.data[i].value)
            ev.data[i].value = "";
    }
    ev.ndata = xe->ndata;
    xe->count++;
    xe->sink_rc = xe->sink(xe->ctx, &ev);
    if (xe->sink_rc)
        XML_StopParser(xe->parser, XML_FALSE);
}

static void XMLCALL on_end(void *ud, const char *name)
{
    struct xml_events *xe = ud;
    const char *n = local_name(name);
    int rel = xe->ev_depth ? xe->depth - xe->ev_depth : -1;

    xe->depth--;
    if (token_too_long(xe))
        return;
    if (rel < 0)
        return;
    if (rel == 0) {
        finish_event(xe);
        return;
    }
    if (rel == 1) {
        xe->section = SEC_NONE;
        return;
    }
    if (rel == 2 && xe->section == SEC_SYSTEM) {
        size_t off = end_capture(xe);
        if (strcmp(n, "EventID") == 0)
            xe->field[F_EVENTID] = off;
        else if (strcmp(n, "Level") == 0)
            xe->field[F_LEVEL] = off;
        else if (strcmp(n, "EventRecordID") == 0)
            xe->field[F_RECORDID] = off;
        else if (strcmp(n, "Channel") == 0)
            xe->field[F_CHANNEL] = off;
        else if (strcmp(n, "Computer") == 0)
            xe->field[F_COMPUTER] = off;
        return;
    }
    if ((rel == 2 && xe->section == SEC_EVENTDATA) ||
        (rel == 3 && xe->section == SEC_USERDATA)) {
        if (rel == 2 && strcmp(n, "Binary") == 0) {
            xe->field[F_BINARY] = end_capture(xe);
        } else if (xe->capturing && xe->ndata < WU_MAX_DATA) {
            xe->data_value[xe->ndata] = end_capture(xe);
            xe->ndata++;
        }
        return;
    }
    if (rel == 2 && xe->section == SEC_RENDERING && strcmp(n, "Message") == 0)
        xe->field[F_MESSAGE] = end_capture(xe);
}

static void XMLCALL on_text(void *ud, const char *s, int len)
{
    struct xml_events *xe = ud;
    if (xe->capturing && len > 0)
        arena_put(xe, s, (size_t)len);
}

static void XMLCALL on_comment(void *ud, const char *data)
{
    (void)data;
    token_too_long(ud);
}

static void XMLCALL on_pi(void *ud, const char *target, const char *data)
{
    (void)target; (void)data;
    token_too_long(ud);
}

static void XMLCALL on_doctype(void *ud, const char *name, const char *sysid,
                               const char *pubid, int has_internal)
{
    struct xml_events *xe = ud;
    (void)name; (void)sysid; (void)pubid; (void)has_internal;
    xe->fatal = "DOCTYPE/DTD is not allowed in event XML";
    XML_StopParser(xe->parser, XML_FALSE);
}

static void XMLCALL on_entity(void *ud, const char *name, int pe,
                              const char *value, int vlen, const char *base,
                              const char *sysid, const char *pubid,
                              const char *notation)
{
    struct xml_events *xe = ud;
    (void)name; (void)pe; (void)value; (void)vlen; (void)base;
    (void)sysid; (void)pubid; (void)notation;
    xe->fatal = "entity declarations are not allowed in event XML";
    XML_StopParser(xe->parser, XML_FALSE);
}

static int setup_parser(struct xml_events *xe)
{
    XML_Parser p = xe->parser;
    XML_SetUserData(p, xe);
    XML_SetElementHandler(p, on_start, on_end);
    XML_SetCharacterDataHandler(p, on_text);
    XML_SetCommentHandler(p, on_comment);
    XML_SetProcessingInstructionHandler(p, on_pi);
    XML_SetStartDoctypeDeclHandler(p, on_doctype);
    XML_SetEntityDeclHandler(p, on_entity);
    XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_NEVER);
    return 0;
}

/* ---- public API ------------------------------------------------------ */

struct xml_events *xml_events_new(wu_event_sink sink, void *ctx)
{
    struct xml_events *xe = calloc(1, sizeof *xe);
    if (!xe)
        return NULL;
    xe->parser = XML_ParserCreate("UTF-8");
    if (!xe->parser) {
        free(xe);
        return NULL;
    }
    xe->sink = sink;
    xe->ctx = ctx;
    setup_parser(xe);
    event_reset(xe);
    return xe;
}

void xml_events_free(struct xml_events *xe)
{
    if (!xe)
        return;
    XML_ParserFree(xe->parser);
    free(xe->hold);
    free(xe->arena);
    free(xe->conv);
    free(xe);
}

long xml_events_count(const struct xml_events *xe) { return xe->count; }
long xml_events_bad(const struct xml_events *xe) { return xe->bad; }

static int report(struct xml_events *xe, enum XML_Status st, char *err,
                  size_t errlen)
{
    if (xe->sink_rc)
        return xe->sink_rc;
    if (xe->fatal) {
        snprintf(err, errlen, "%s", xe->fatal);
        return -1;
    }
    if (st == XML_STATUS_ERROR) {
        snprintf(err, errlen, "line %lu: %s",
                 (unsigned long)XML_GetCurrentLineNumber(xe->parser),
                 XML_ErrorString(XML_GetErrorCode(xe->parser)));
        return -1;
    }
    return 0;
}

/* One XML_Parse call (len fits an int), then how much of what expat was
 * given it still holds as an unfinished token. */
static int parse_piece(struct xml_events *xe, const char *buf, size_t len,
                       int final, char *err, size_t errlen)
{
    enum XML_Status st = XML_Parse(xe->parser, buf, (int)len, final);
    int rc = report(xe, st, err, errlen);
    if (rc || st != XML_STATUS_OK)
        return rc ? rc : -1;
    xe->fed += (int64_t)len;
    XML_Index at = XML_GetCurrentByteIndex(xe->parser);
    xe->pending = at >= 0 && (int64_t)at <= xe->fed ? xe->fed - (int64_t)at : 0;
    if (!final && xe->pending > XE_TOKEN_MAX) {
        snprintf(err, errlen, "line %lu: an XML tag, attribute or comment is "
                 "longer than " XE_TOKEN_MAX_TEXT,
                 (unsigned long)XML_GetCurrentLineNumber(xe->parser));
        return -1;
    }
    return 0;
}

/* Pass buf to expat in pieces that fit an int. */
static int parse_all(struct xml_events *xe, const char *buf, size_t len,
                     int final, char *err, size_t errlen)
{
    const size_t max = (size_t)1 << 30;
    int rc;
    while (len > max) {
        if ((rc = parse_piece(xe, buf, max, 0, err, errlen)))
            return rc;
        buf += max;
        len -= max;
    }
    return parse_piece(xe, buf, len, final, err, errlen);
}

/*
 * Feed expat, deferring the rescan of an unfinished token: while expat
 * holds P pending bytes, new input is held back until P more bytes (capped
 * so that the token can pass XE_TOKEN_MAX by one piece at most) are there.
 */
static int to_expat(struct xml_events *xe, const char *buf, size_t len,
                    int final, char *err, size_t errlen)
{
    int rc;

    if (!final) {
        int64_t want = xe->pending;
        if (want > XE_TOKEN_MAX + 1 - xe->pending)
            want = XE_TOKEN_MAX + 1 - xe->pending;
        if (xe->nhold == 0 && (int64_t)len >= want)
            return parse_all(xe, buf, len, 0, err, errlen);
        if (xe->nhold + len > xe->caphold) {
            size_t cap = xe->caphold ? xe->caphold : 65536;
            while (cap < xe->nhold + len)
                cap *= 2;
            char *h = realloc(xe->hold, cap);
            if (!h) {
                snprintf(err, errlen, "out of memory");
                return -1;
            }
            xe->hold = h;
            xe->caphold = cap;
        }
        memcpy(xe->hold + xe->nhold, buf, len);
        xe->nhold += len;
        if ((int64_t)xe->nhold < want)
            return 0;
        rc = parse_all(xe, xe->hold, xe->nhold, 0, err, errlen);
        xe->nhold = 0;
        return rc;
    }
    if (xe->nhold) {
        rc = parse_all(xe, xe->hold, xe->nhold, 0, err, errlen);
        xe->nhold = 0;
        if (rc)
            return rc;
    }
    return parse_all(xe, buf, len, 1, err, errlen);
}

static int conv_reserve(struct xml_events *xe, size_t need)
{
    if (need <= xe->convcap)
        return 0;
    char *c = realloc(xe->conv, need);
    if (!c)
        return -1;
    xe->conv = c;
    xe->convcap = need;
    return 0;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * Handle UTF-8 text after transcoding.  The wrapper's start tag goes first;
 * leading blanks pass through (so expat's line numbers stay true); an XML
 * declaration is dropped, a DOCTYPE refused; the rest is parsed.
 */
static int feed_utf8(struct xml_events *xe, const char *buf, size_t len,
                     int final, char *err, size_t errlen)
{
    int rc;

    if (xe->stage == ST_PROLOG) {
        if (!xe->wrapped) {
            if ((rc = to_expat(xe, WRAP_OPEN, sizeof WRAP_OPEN - 1, 0, err, errlen)))
                return rc;
            xe->wrapped = 1;
            xe->outer = 1;
        }
        if (xe->nprolog == 0) {
            size_t w = 0;
            while (w < len && is_blank(buf[w]))
                w++;
            if (w && (rc = to_expat(xe, buf, w, 0, err, errlen)))
                return rc;
            buf += w;
            len -= w;
        }
        size_t take = len;
        if (xe->nprolog + take > sizeof xe->prolog)
            take = sizeof xe->prolog - xe->nprolog;
        memcpy(xe->prolog + xe->nprolog, buf, take);
        xe->nprolog += take;
        buf += take;
        len -= take;

        size_t p = 0, full = xe->nprolog == sizeof xe->prolog;
        if (xe->nprolog < 9 && !full && !final)
            return 0;           /* cannot tell "<?xml" / "<!DOCTYPE" yet */
        if (xe->nprolog >= 5 && memcmp(xe->prolog, "<?xml", 5) == 0) {
            size_t q = 5;
            while (q + 1 < xe->nprolog &&
                   !(xe->prolog[q] == '?' && xe->prolog[q + 1] == '>'))
                q++;
            if (q + 1 >= xe->nprolog) {
                if (full || final) {
                    snprintf(err, errlen, "line 1: unterminated XML declaration");
                    return -1;
                }
                return 0;       /* wait for the rest of the declaration */
            }
            p = q + 2;
        }
        /* a DOCTYPE would bring a DTD (entities): refuse it by name */
        size_t d = p;
        while (d < xe->nprolog && is_blank(xe->prolog[d]))
            d++;
        if (xe->nprolog - d >= 9 && memcmp(xe->prolog + d, "<!DOCTYPE", 9) == 0) {
            snprintf(err, errlen, "DOCTYPE/DTD is not allowed in event XML");
            return -1;
        }
        xe->stage = ST_BODY;
        if (xe->nprolog > p &&
            (rc = to_expat(xe, xe->prolog + p, xe->nprolog - p, 0, err, errlen)))
            return rc;
    }
    if (len > 0 && (rc = to_expat(xe, buf, len, 0, err, errlen)))
        return rc;
    if (final)
        return to_expat(xe, WRAP_CLOSE, sizeof WRAP_CLOSE - 1, 1, err, errlen);
    return 0;
}

int xml_events_feed(struct xml_events *xe, const char *buf, size_t len,
                    int final, char *err, size_t errlen)
{
    const unsigned char *in = (const unsigned char *)buf;

    if (xe->stage == ST_SNIFF) {
        while (xe->nsniff < 4 && len > 0) {
            xe->sniff[xe->nsniff++] = *in++;
            len--;
        }
        if (xe->nsniff < 4 && !final)
            return 0;
        const unsigned char *s = xe->sniff;
        size_t skip;
        xe->enc = textenc_detect(s, xe->nsniff, &skip);
        utf16_init(&xe->u16, xe->enc == TEXTENC_UTF16BE);
        xe->stage = ST_PROLOG;
        /* re-feed the sniffed bytes (minus the BOM) through the normal path */
        unsigned char head[4];
        size_t nhead = xe->nsniff - skip;
        memcpy(head, s + skip, nhead);
        int rc = xml_events_feed(xe, (const char *)head, nhead,
                                 final && len == 0, err, errlen);
        if (rc || (final && len == 0))
            return rc;
    }
    if (!textenc_is_utf16(xe->enc))
        return feed_utf8(xe, (const char *)in, len, final, err, errlen);

    if (conv_reserve(xe, UTF16_DECODE_MAX(len)) != 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    size_t olen = utf16_decode(&xe->u16, in, len, xe->conv);
    if (final && utf16_pending(&xe->u16)) {
        snprintf(err, errlen, "truncated UTF-16 text at end of file");
        return -1;
    }
    return feed_utf8(xe, xe->conv, olen, final, err, errlen);
}

int xml_events_parse_one(struct xml_events *xe, const char *buf, size_t len,
                         char *err, size_t errlen)
{
    XML_ParserReset(xe->parser, "UTF-8");
    setup_parser(xe);
    xe->depth = 0;
    xe->ev_depth = 0;
    xe->sink_rc = 0;
    xe->fatal = NULL;
    xe->fed = xe->pending = 0;
    xe->nhold = 0;
    xe->outer = 0;
    event_reset(xe);
    return to_expat(xe, buf, len, 1, err, errlen);
}
