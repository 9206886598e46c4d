/*
 * evtx_peek.c - a record's provider, event ID, strings and Binary data from
 * its binary XML (see evtx_peek.h for the why and the format reference).
 *
 * Binary XML tokens (the low bits; 0x40 is a flag: "has more" - for an
 * element start it means a 4-byte attribute list size follows):
 *   0x00 end of fragment            0x08 character reference (u16)
 *   0x01 element start              0x09 entity reference (name)
 *   0x02 end of start tag           0x0A processing instruction target
 *   0x03 empty element end          0x0B processing instruction data
 *   0x04 element end                0x0C template instance
 *   0x05 value text                 0x0D substitution
 *   0x06 attribute                  0x0E optional substitution
 *   0x07 CDATA section              0x0F fragment header (4 bytes)
 * An element start is token, u16 dependency, u32 size, u32 name offset
 * (chunk-relative); an attribute is token, u32 name offset.  A name written
 * where it is first used follows the token: u32 next, u16 hash, u16
 * characters, UTF-16LE, u16 NUL.  A substitution is token, u16 index, u8
 * value type.  A template definition is u32 next, 16-byte GUID, u32 size,
 * then the fragment; a template instance is 0x0C, u8, u32 identifier, u32
 * definition offset - the definition itself when the offset is where it
 * stands - then u32 count, count x (u16 size, u8 type, u8 0) and the
 * values one after the other.
 *
 * A value of type binary XML (0x21) is itself a template instance (with or
 * without a fragment header): the EventData of most events is written so,
 * and is read the same way, with the element its substitution stands in
 * as its parent.
 *
 * Everything is bounds-checked against the chunk and the record; any
 * token, type or shape not listed here makes the answer "cannot tell".
 */
#include "collector/evtx_peek.h"
#include "util/grow.h"
#include "util/strbuf.h"
#include "util/textenc.h"

#include <stdlib.h>
#include <string.h>

#define CHUNK_SIZE   65536
#define MAX_DEPTH    32         /* elements open in one template */
#define MAX_NEST     4          /* binary XML values inside binary XML values */
#define MAX_SUBS     64         /* substitutions whose place is remembered */
#define PROVIDER_MAX 256

/* value types (libyal: "Value types") */
enum {
    VT_NULL = 0x00, VT_STRING = 0x01, VT_ANSI = 0x02, VT_INT8 = 0x03,
    VT_UINT8 = 0x04, VT_INT16 = 0x05, VT_UINT16 = 0x06, VT_INT32 = 0x07,
    VT_UINT32 = 0x08, VT_BINARY = 0x0E, VT_BINXML = 0x21, VT_EVTXML = 0x23,
    VT_ARRAY = 0x80
};

/* the elements the walk tells apart; EL_TOP is where a record's fragment
 * stands */
enum elem {
    EL_OTHER = 1, EL_TOP, EL_EVENT, EL_SYSTEM, EL_PROVIDER, EL_EVENTID,
    EL_EVENTDATA, EL_USERDATA, EL_BINARY
};
#define IN_DATA 0x80            /* with an element: inside EventData/UserData */

#define NO_SUB (-1)

/* What a template's definition says, learnt once per chunk and place. */
struct tpl {
    uint32_t def;               /* the definition's chunk offset */
    unsigned place;             /* where it stands: EL_TOP, or an element
                                 * (| IN_DATA) for a nested fragment */
    int ok;                     /* 0: the template cannot be read */
    int prov_sub;               /* Provider@Name's substitution, or NO_SUB */
    char provider[PROVIDER_MAX];/* ... or its text */
    int src_sub;                /* Provider@EventSourceName's, or NO_SUB */
    int src_lit;                /* it is template text (then in source) */
    char source[PROVIDER_MAX];
    int id_sub;                 /* EventID's substitution, or NO_SUB */
    long id_lit;                /* literal EventID, -1 when none */
    int bin_sub;                /* EventData/Binary's substitution, or NO_SUB */
    int data_text;              /* template text inside EventData/UserData */
    unsigned char sub_at[MAX_SUBS]; /* where substitution i stands (0: unknown) */
};

/* What the values of a record's instances add up to. */
struct gather {
    size_t nstr, used;          /* strings in pk->ptr, bytes of pk->text */
    const unsigned char *binary;
    size_t binlen;
    int nbinary;
    int complete;
};

struct evtx_peek {
    const unsigned char *c;     /* the chunk */
    struct tpl *tpl;
    size_t ntpl, tplcap;
    char *text;                 /* UTF-8 of the record's strings */
    size_t textcap;
    const char **ptr;
    size_t ptrcap;
};

static uint16_t le16(const unsigned char *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

struct evtx_peek *evtx_peek_new(void)
{
    struct evtx_peek *pk = calloc(1, sizeof *pk);

    if (!pk)
        return NULL;
    /* a record's strings, all of them, fit in the chunk */
    pk->textcap = UTF16_DECODE_MAX(CHUNK_SIZE) + CHUNK_SIZE / 2;
    if (!(pk->text = malloc(pk->textcap))) {
        free(pk);
        return NULL;
    }
    return pk;
}

void evtx_peek_free(struct evtx_peek *pk)
{
    if (!pk)
        return;
    free(pk->tpl);
    free(pk->text);
    free(pk->ptr);
    free(pk);
}

void evtx_peek_chunk(struct evtx_peek *pk, const unsigned char *chunk)
{
    pk->c = chunk;
    pk->ntpl = 0;
}

/* ---- template definitions ----------------------------------------------- */

/* A name at chunk offset at: its characters (*units, UTF-16LE at *chars)
 * and the bytes it takes there.  0 when it does not fit the chunk. */
static uint32_t read_name(const unsigned char *c, uint32_t at,
                          const unsigned char **chars, uint16_t *units)
{
    uint32_t len;

    if (at > CHUNK_SIZE - 8)
        return 0;
    *units = le16(c + at + 6);
    len = 8 + 2u * *units + 2;
    if (len > CHUNK_SIZE - at)
        return 0;
    *chars = c + at + 8;
    return len;
}

/* A name referenced at pos: read where it stands (before pos, or at pos,
 * written inline); *next is pos plus what an inline name takes.  0 when
 * the reference points anywhere else. */
static int name_at(const unsigned char *c, uint32_t name_off, uint32_t pos,
                   uint32_t end, uint32_t *next, const unsigned char **chars,
                   uint16_t *units)
{
    uint32_t len = read_name(c, name_off, chars, units);

    if (!len)
        return 0;
    if (name_off == pos) {
        if (len > end - pos)
            return 0;
        *next = pos + len;
        return 1;
    }
    *next = pos;
    return name_off < pos;
}

static int name_is(const unsigned char *chars, uint16_t units, const char *s)
{
    size_t n = strlen(s);

    if (n != units)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (le16(chars + 2 * i) != (unsigned char)s[i])
            return 0;
    return 1;
}

/* The element of this name inside parent. */
static enum elem classify(enum elem parent, const unsigned char *chars,
                          uint16_t units)
{
    static const struct {
        enum elem parent, self;
        const char *name;
    } known[] = {
        {EL_TOP, EL_EVENT, "Event"},
        {EL_EVENT, EL_SYSTEM, "System"},
        {EL_EVENT, EL_EVENTDATA, "EventData"},
        {EL_EVENT, EL_USERDATA, "UserData"},
        {EL_SYSTEM, EL_PROVIDER, "Provider"},
        {EL_SYSTEM, EL_EVENTID, "EventID"},
        {EL_EVENTDATA, EL_BINARY, "Binary"},
    };

    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (known[i].parent == parent && name_is(chars, units, known[i].name))
            return known[i].self;
    return EL_OTHER;
}

/* UTF-16LE text of units characters as UTF-8 in out (cap bytes, NUL
 * included); 0 when it does not fit. */
static int utf8_of(const unsigned char *p, size_t units, char *out, size_t cap)
{
    struct utf16_decoder d;
    size_t n;

    if (UTF16_DECODE_MAX(2 * units) + UTF16_FINISH_MAX + 1 > cap)
        return 0;
    utf16_init(&d, 0);
    n = utf16_decode(&d, p, 2 * units, out);
    n += utf16_finish(&d, out + n);
    out[n] = '\0';
    return 1;
}

static long decimal(const unsigned char *p, uint16_t units)
{
    long v = 0;

    if (units == 0 || units > 5)
        return -1;
    for (uint16_t i = 0; i < units; i++) {
        uint16_t u = le16(p + 2 * i);
        if (u < '0' || u > '9')
            return -1;
        v = v * 10 + (u - '0');
    }
    return v;
}

/* Which attribute of the element the walk is in. */
enum attr { AT_NONE, AT_OTHER, AT_NAME, AT_SOURCE };

/*
 * Walk the template's fragment at [pos, end) of the chunk into t, whose
 * place says where it stands.  0 when it holds anything this does not
 * know; for a record's own template also when it has not exactly one
 * provider name and one event ID, and for a nested one when it has any.
 */
static int walk_template(const unsigned char *c, uint32_t pos, uint32_t end,
                         struct tpl *t)
{
    enum elem stack[MAX_DEPTH];
    int depth = 0, in_attr = 0, data = (t->place & IN_DATA) != 0;
    int prov = 0, srcs = 0, ids = 0;
    enum attr at = AT_NONE;
    const enum elem place = (enum elem)(t->place & ~IN_DATA);
    const unsigned char *chars;
    uint16_t units;

    t->prov_sub = t->src_sub = t->id_sub = t->bin_sub = NO_SUB;
    t->provider[0] = t->source[0] = '\0';
    t->src_lit = 0;
    t->id_lit = -1;
    t->data_text = 0;
    memset(t->sub_at, 0, sizeof t->sub_at);
    while (pos < end) {
        unsigned tok = c[pos], base = tok & ~0x40u;
        enum elem cur = depth > 0 ? stack[depth - 1] : place;
        int in_data = data > 0;
        switch (base) {
        case 0x00:
            if (depth != 0)
                return 0;
            if (place == EL_TOP)
                return prov == 1 && ids == 1 && srcs <= 1;
            return prov == 0 && ids == 0 && srcs == 0;
        case 0x0F:
            pos += 4;
            break;
        case 0x01:
            /* token, dependency, size, name offset, [name], [list size] */
            if (11 > end - pos || depth == MAX_DEPTH ||
                !name_at(c, le32(c + pos + 7), pos + 11, end, &pos, &chars, &units))
                return 0;
            if (tok & 0x40) {
                if (4 > end - pos)
                    return 0;
                pos += 4;
            }
            stack[depth] = classify(cur, chars, units);
            if (data || stack[depth] == EL_EVENTDATA || stack[depth] == EL_USERDATA)
                data++;
            depth++;
            in_attr = 1;
            at = AT_NONE;
            break;
        case 0x06:
            if (!in_attr || 5 > end - pos ||
                !name_at(c, le32(c + pos + 1), pos + 5, end, &pos, &chars, &units))
                return 0;
            at = cur != EL_PROVIDER ? AT_OTHER
                 : name_is(chars, units, "Name") ? AT_NAME
                 : name_is(chars, units, "EventSourceName") ? AT_SOURCE : AT_OTHER;
            break;
        case 0x02:
            if (!in_attr)
                return 0;
            in_attr = 0;
            at = AT_NONE;
            pos++;
            break;
        case 0x03:
        case 0x04:
            /* an empty element ends its start tag, an element end follows it */
            if (depth == 0 || in_attr != (base == 0x03))
                return 0;
            depth--;
            if (data)
                data--;
            in_attr = 0;
            at = AT_NONE;
            pos++;
            break;
        case 0x05: {
            uint16_t n;
            if (4 > end - pos || c[pos + 1] != VT_STRING)
                return 0;
            n = le16(c + pos + 2);
            if (4 + 2u * n > end - pos)
                return 0;
            if (in_attr && at == AT_NAME) {
                if (prov++ || !utf8_of(c + pos + 4, n, t->provider, sizeof t->provider))
                    return 0;
            } else if (in_attr && at == AT_SOURCE) {
                if (srcs++ || n == 0 ||
                    !utf8_of(c + pos + 4, n, t->source, sizeof t->source))
                    return 0;
                t->src_lit = 1;
            } else if (!in_attr && cur == EL_EVENTID) {
                if (ids++ || (t->id_lit = decimal(c + pos + 4, n)) < 0)
                    return 0;
            } else if (!in_attr && in_data) {
                t->data_text = 1;
            }
            pos += 4 + 2u * n;
            break;
        }
        case 0x07:      /* CDATA */
        case 0x0B: {    /* processing instruction data */
            uint16_t n;
            if (3 > end - pos)
                return 0;
            n = le16(c + pos + 1);
            if (3 + 2u * n > end - pos || (in_attr ? at >= AT_NAME : cur == EL_EVENTID))
                return 0;
            t->data_text |= in_data;
            pos += 3 + 2u * n;
            break;
        }
        case 0x08:      /* character reference */
            if (3 > end - pos || (in_attr ? at >= AT_NAME : cur == EL_EVENTID))
                return 0;
            t->data_text |= in_data;
            pos += 3;
            break;
        case 0x09:      /* entity reference */
        case 0x0A:      /* processing instruction target */
            if (5 > end - pos || (in_attr ? at >= AT_NAME : cur == EL_EVENTID) ||
                !name_at(c, le32(c + pos + 1), pos + 5, end, &pos, &chars, &units))
                return 0;
            t->data_text |= in_data;
            break;
        case 0x0D:
        case 0x0E: {
            int idx;
            if (4 > end - pos)
                return 0;
            idx = le16(c + pos + 1);
            if (in_attr && at == AT_NAME) {
                if (prov++)
                    return 0;
                t->prov_sub = idx;
            } else if (in_attr && at == AT_SOURCE) {
                if (srcs++)
                    return 0;
                t->src_sub = idx;
            } else if (!in_attr && cur == EL_EVENTID) {
                if (ids++)
                    return 0;
                t->id_sub = idx;
            } else if (!in_attr && cur == EL_BINARY) {
                if (t->bin_sub != NO_SUB)
                    return 0;
                t->bin_sub = idx;
            }
            if (!in_attr && idx < MAX_SUBS)
                t->sub_at[idx] = (unsigned char)(cur | (in_data ? IN_DATA : 0));
            pos += 4;
            break;
        }
        default:        /* a template instance in a template, or unknown */
            return 0;
        }
    }
    return 0;           /* no end token */
}

/* The template defined at chunk offset def (its fragment: size bytes from
 * def + 24) standing in place, walked on first use in this chunk; NULL
 * out of memory. */
static const struct tpl *template_at(struct evtx_peek *pk, uint32_t def,
                                     unsigned place)
{
    struct tpl *t;
    uint32_t size;

    for (size_t i = 0; i < pk->ntpl; i++)
        if (pk->tpl[i].def == def && pk->tpl[i].place == place)
            return &pk->tpl[i];
    if (wu_grow(&pk->tpl, pk->ntpl, &pk->tplcap, sizeof *pk->tpl) != 0)
        return NULL;
    t = &pk->tpl[pk->ntpl++];
    t->def = def;
    t->place = place;
    t->ok = 0;
    if (def <= CHUNK_SIZE - 24) {
        size = le32(pk->c + def + 20);
        if (size <= CHUNK_SIZE - def - 24)
            t->ok = walk_template(pk->c, def + 24, def + 24 + size, t);
    }
    return t;
}

/* ---- records ------------------------------------------------------------- */

/* An event ID's value: the integer types logs use for it. */
static int id_value(const unsigned char *p, uint16_t size, unsigned type, long *v)
{
    switch (type) {
    case VT_UINT8:
    case VT_INT8:
        if (size != 1)
            return 0;
        *v = p[0];
        return 1;
    case VT_UINT16:
    case VT_INT16:
        if (size != 2)
            return 0;
        *v = le16(p);
        return 1;
    case VT_UINT32:
    case VT_INT32:
        if (size != 4)
            return 0;
        *v = (long)(le32(p) & 0xFFFF);
        return 1;
    }
    return 0;
}

/* Room for n string pointers.  0, or -1 out of memory. */
static int grow_ptr(struct evtx_peek *pk, size_t n)
{
    const char **p;

    if (n < 2 * pk->ptrcap)
        n = 2 * pk->ptrcap;
    if (!(p = realloc(pk->ptr, n * sizeof *p)))
        return -1;
    pk->ptr = p;
    pk->ptrcap = n;
    return 0;
}

/*
 * The template instance at chunk offset pos (its 0x0C token), values up to
 * end, standing in place; nest counts the binary XML values around it.
 * Its strings and Binary go to g; a record's own instance (place EL_TOP)
 * also sets out's provider and event ID.  1, 0 cannot tell, -1 out of
 * memory.
 */
static int read_instance(struct evtx_peek *pk, uint32_t pos, uint32_t end,
                         unsigned place, int nest, struct gather *g,
                         struct evtx_facts *out)
{
    const unsigned char *c = pk->c;
    const struct tpl *found;
    struct tpl t;       /* a copy: a nested instance may move pk->tpl */
    uint32_t def, count, vals;

    if (14 > end - pos || c[pos] != 0x0C)
        return 0;
    def = le32(c + pos + 6);
    pos += 10;
    if (def == pos) {           /* defined here, first use in the chunk */
        if (24 > end - pos || le32(c + pos + 20) > end - pos - 24)
            return 0;
        pos += 24 + le32(c + pos + 20);
    } else if (def >= pos) {
        return 0;               /* defined before use, or not at all */
    }
    if (!(found = template_at(pk, def, place)))
        return -1;
    t = *found;
    if (!t.ok || 4 > end - pos)
        return 0;
    count = le32(c + pos);
    pos += 4;
    if (count > (end - pos) / 4)
        return 0;
    if (g->nstr + count > pk->ptrcap && grow_ptr(pk, g->nstr + count) != 0)
        return -1;
    if (t.data_text)
        g->complete = 0;
    if (place == EL_TOP) {
        /* template text, copied where the record's strings are */
        const char *lit = t.src_lit ? t.source : t.provider;
        size_t n = strlen(lit) + 1;
        if (n > pk->textcap - g->used)
            return 0;
        memcpy(pk->text + g->used, lit, n);
        out->provider = pk->text + g->used;
        g->used += n;
        out->event_id = t.id_lit < 0 ? -1 : (int)(t.id_lit & 0xFFFF);
        if ((t.prov_sub != NO_SUB && (uint32_t)t.prov_sub >= count) ||
            (t.src_sub != NO_SUB && (uint32_t)t.src_sub >= count))
            return 0;
    }
    vals = pos + 4 * count;
    for (uint32_t i = 0; i < count; i++) {
        const unsigned char *d = c + pos + 4 * i;
        uint16_t vsize = le16(d);
        unsigned type = d[2];
        uint32_t v = vals;
        int is_prov = (int)i == t.prov_sub || (int)i == t.src_sub;
        long id;

        if (vsize > end - vals)
            return 0;
        vals += vsize;
        if (type == VT_STRING) {
            size_t units = vsize / 2;
            char *s = pk->text + g->used;
            while (units > 0 && le16(c + v + 2 * (units - 1)) == 0)
                units--;        /* the NULs that end it */
            if (vsize % 2 || !utf8_of(c + v, units, s, pk->textcap - g->used))
                return 0;
            g->used += strlen(s) + 1;
            if ((int)i == t.src_sub && !*s)
                return 0;
            if ((int)i == t.src_sub ||
                ((int)i == t.prov_sub && !t.src_lit && t.src_sub == NO_SUB))
                out->provider = s;
            pk->ptr[g->nstr++] = s;
        } else if (is_prov) {
            return 0;           /* a provider name that is no string */
        } else if (type == VT_BINXML) {
            unsigned at = i < MAX_SUBS ? t.sub_at[i] : 0;
            int r = 0;
            /* a template instance, after a fragment header or not */
            uint32_t hdr = vsize > 4 && c[v] == 0x0F ? 4 : 0;
            if (at && nest < MAX_NEST &&
                (r = read_instance(pk, v + hdr, v + vsize, at, nest + 1, g, out)) < 0)
                return -1;
            if (r == 0)
                g->complete = 0;
        } else if (type == (VT_ARRAY | VT_STRING) && vsize % 2 == 0 && vsize > 0 &&
                   le16(c + v + vsize - 2) == 0) {
            /* NUL-terminated strings, each a string of the record */
            uint32_t start = 0;
            for (uint32_t u = 0; u < vsize / 2u; u++) {
                char *s;
                if (le16(c + v + 2 * u) != 0)
                    continue;
                s = pk->text + g->used;
                if (g->nstr == pk->ptrcap && grow_ptr(pk, g->nstr + 1) != 0)
                    return -1;
                if (!utf8_of(c + v + 2 * start, u - start, s, pk->textcap - g->used))
                    return 0;
                g->used += strlen(s) + 1;
                pk->ptr[g->nstr++] = s;
                start = u + 1;
            }
        } else if (type == VT_ANSI || type == VT_EVTXML || (type & VT_ARRAY)) {
            g->complete = 0;
        }
        if ((int)i == t.id_sub) {
            if (!id_value(c + v, vsize, type, &id))
                return 0;
            out->event_id = (int)id;
        }
        if ((int)i == t.bin_sub) {
            if (type == VT_BINARY && g->nbinary++ == 0) {
                g->binary = c + v;
                g->binlen = vsize;
            } else if (type != VT_NULL) {
                g->complete = 0;    /* two, or not binary: not judged on it */
            }
        }
    }
    return 1;
}

int evtx_peek_record(struct evtx_peek *pk, uint32_t off, uint32_t size,
                     struct evtx_facts *out)
{
    struct gather g = {0, 0, NULL, 0, 0, 1};
    uint32_t pos = off + 24, end;
    int r;

    memset(out, 0, sizeof *out);
    out->event_id = -1;
    if (!pk->c || off > CHUNK_SIZE || size > CHUNK_SIZE - off || size < 24 + 4 + 14)
        return 0;
    end = off + size - 4;
    /* the record's fragment: its header, then a template instance */
    if (pk->c[pos] != 0x0F)
        return 0;
    if ((r = read_instance(pk, pos + 4, end, EL_TOP, 0, &g, out)) != 1)
        return r;
    if (!out->provider || out->event_id < 0)
        return 0;
    out->strings = pk->ptr;
    out->nstrings = g.nstr;
    out->binary = g.binary;
    out->binlen = g.binlen;
    out->complete = g.complete;
    return 1;
}

/* ---- rendering a record as XML ------------------------------------------- */

/*
 * The values of one template instance: where its array of descriptors and
 * its data are.
 */
struct values {
    uint32_t desc;              /* chunk offset of the descriptors */
    uint32_t count;
    uint32_t *at;               /* chunk offset of value i (count of them) */
};

/* Append text, escaped for XML character data and attribute values. */
static void put_escaped(struct strbuf *sb, const char *s, size_t n)
{
    size_t run = 0;

    for (size_t i = 0; i < n; i++) {
        const char *rep = NULL;
        switch (s[i]) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        default: continue;
        }
        sb_add(sb, s + run, i - run);
        sb_adds(sb, rep);
        run = i + 1;
    }
    sb_add(sb, s + run, n - run);
}

/* UTF-16LE text (units characters) escaped into sb: ASCII (most of what a
 * log holds) copied as it is read, anything else through the decoder. */
static int put_utf16(struct evtx_peek *pk, struct strbuf *sb,
                     const unsigned char *p, size_t units)
{
    char run[256];
    size_t n = 0;

    for (size_t i = 0; i < units; i++)
        if (p[2 * i + 1] || p[2 * i] >= 0x80)
            goto decode;
    for (size_t i = 0; i < units; i++) {
        char ch = (char)p[2 * i];
        if (n > sizeof run - 8) {
            sb_add(sb, run, n);
            n = 0;
        }
        switch (ch) {
        case '&': memcpy(run + n, "&amp;", 5); n += 5; break;
        case '<': memcpy(run + n, "&lt;", 4); n += 4; break;
        case '>': memcpy(run + n, "&gt;", 4); n += 4; break;
        case '"': memcpy(run + n, "&quot;", 6); n += 6; break;
        default: run[n++] = ch;
        }
    }
    sb_add(sb, run, n);
    return 1;
decode:
    if (!utf8_of(p, units, pk->text, pk->textcap))
        return 0;
    put_escaped(sb, pk->text, strlen(pk->text));
    return 1;
}

static uint64_t le64(const unsigned char *p)
{
    return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* FILETIME (100 ns since 1601) as libevtx writes it:
 * 2017-07-12T17:16:28.214161600Z. */
static int put_filetime(struct strbuf *sb, uint64_t ft)
{
    uint64_t secs = ft / 10000000u, frac = ft % 10000000u;
    int64_t days = (int64_t)(secs / 86400u);
    unsigned sod = (unsigned)(secs % 86400u);
    /* a day count to a civil date (Howard Hinnant's days_from_civil, in
     * reverse), counted from 0000-03-01: 1601-01-01 is day 584694 */
    int64_t z = days + 584694, era, doe, yoe, y, doy, mp, d, m;

    era = z / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = yoe + era * 400;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    if (y > 9999)
        return 0;
    sb_printf(sb, "%04d-%02d-%02dT%02u:%02u:%02u.%07u00Z", (int)y, (int)m, (int)d,
              sod / 3600, sod / 60 % 60, sod % 60, (unsigned)frac);
    return 1;
}

/* Numbers as libevtx writes them, without printf: decimal, and hex digits
 * (width of them, zero-padded; upper or lower case). */
static void put_dec(struct strbuf *sb, uint64_t v, int negative)
{
    char d[24];
    size_t n = sizeof d;

    do {
        d[--n] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    if (negative)
        d[--n] = '-';
    sb_add(sb, d + n, sizeof d - n);
}

static void put_signed(struct strbuf *sb, int64_t v)
{
    put_dec(sb, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, v < 0);
}

static void put_hex(struct strbuf *sb, uint64_t v, int width, int upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char d[16];

    for (int i = width; i-- > 0; v >>= 4)
        d[i] = digits[v & 15];
    sb_add(sb, d, (size_t)width);
}

/* One substitution value (type, size bytes at chunk offset v) into sb.
 * 1, 0 for a type not rendered here, -1 out of memory. */
static int render_fragment(struct evtx_peek *pk, uint32_t pos, uint32_t end,
                           int nest, struct strbuf *sb);

static int put_value(struct evtx_peek *pk, struct strbuf *sb, unsigned type,
                     uint32_t v, uint16_t size, int nest)
{
    const unsigned char *p = pk->c + v;

    switch (type) {
    case VT_NULL:
        return 1;
    case VT_STRING: {
        size_t units = size / 2;
        while (units > 0 && le16(p + 2 * (units - 1)) == 0)
            units--;
        return size % 2 == 0 && put_utf16(pk, sb, p, units);
    }
    case VT_INT8:
        if (size != 1) return 0;
        put_signed(sb, (signed char)p[0]);
        return 1;
    case VT_UINT8:
        if (size != 1) return 0;
        put_dec(sb, p[0], 0);
        return 1;
    case VT_INT16:
        if (size != 2) return 0;
        put_signed(sb, (int16_t)le16(p));
        return 1;
    case VT_UINT16:
        if (size != 2) return 0;
        put_dec(sb, le16(p), 0);
        return 1;
    case VT_INT32:
        if (size != 4) return 0;
        put_signed(sb, (int32_t)le32(p));
        return 1;
    case VT_UINT32:
        if (size != 4) return 0;
        put_dec(sb, le32(p), 0);
        return 1;
    case 0x09:      /* int64 */
        if (size != 8) return 0;
        put_signed(sb, (int64_t)le64(p));
        return 1;
    case 0x0A:      /* uint64 */
        if (size != 8) return 0;
        put_dec(sb, le64(p), 0);
        return 1;
    case 0x0D:      /* boolean, 32 bits */
        if (size != 4) return 0;
        sb_adds(sb, le32(p) ? "true" : "false");
        return 1;
    case VT_BINARY:
        for (uint16_t i = 0; i < size; i++)
            put_hex(sb, p[i], 2, 1);
        return 1;
    case 0x0F:      /* GUID */
        if (size != 16) return 0;
        sb_addc(sb, '{');
        put_hex(sb, le32(p), 8, 1);
        sb_addc(sb, '-');
        put_hex(sb, le16(p + 4), 4, 1);
        sb_addc(sb, '-');
        put_hex(sb, le16(p + 6), 4, 1);
        sb_addc(sb, '-');
        for (int i = 8; i < 16; i++) {
            if (i == 10)
                sb_addc(sb, '-');
            put_hex(sb, p[i], 2, 1);
        }
        sb_addc(sb, '}');
        return 1;
    case 0x11:      /* FILETIME */
        return size == 8 && put_filetime(sb, le64(p));
    case 0x13: {    /* SID: revision, count, 48-bit authority, sub-authorities */
        uint64_t auth = 0;
        if (size < 8 || size != 8 + 4u * p[1])
            return 0;
        for (int i = 2; i < 8; i++)
            auth = auth << 8 | p[i];
        sb_printf(sb, "S-%u-%llu", p[0], (unsigned long long)auth);
        for (unsigned i = 0; i < p[1]; i++)
            sb_printf(sb, "-%lu", (unsigned long)le32(p + 8 + 4 * i));
        return 1;
    }
    case 0x14:      /* hex int32 */
        if (size != 4) return 0;
        sb_adds(sb, "0x");
        put_hex(sb, le32(p), 8, 0);
        return 1;
    case 0x15:      /* hex int64 */
        if (size != 8) return 0;
        sb_adds(sb, "0x");
        put_hex(sb, le64(p), 16, 0);
        return 1;
    case VT_BINXML:
        if (nest >= MAX_NEST)
            return 0;
        return render_fragment(pk, v, v + size, nest + 1, sb);
    }
    return 0;       /* real, size_t, SYSTEMTIME, ANSI, arrays: libevtx's */
}

/* An attribute being written: kept when something gave it a value, else
 * taken back (libevtx leaves out an attribute whose optional substitution
 * has no value). */
struct attr_w {
    int open, has;
    size_t mark;                /* where it starts in the output */
};

static void close_attr(struct attr_w *a, struct strbuf *sb)
{
    if (a->open) {
        if (a->has)
            sb_addc(sb, '"');
        else
            sb->len = a->mark;
    }
    a->open = a->has = 0;
}

/*
 * A string array (size bytes at chunk offset v: NUL-terminated UTF-16LE
 * strings) as the content of the element whose start tag is
 * sb[mark, body): the first string, then for each further one the element
 * closed and opened again.  0 when it is no such array.
 */
static int put_string_array(struct evtx_peek *pk, struct strbuf *sb, uint32_t v,
                            uint16_t size, size_t mark, size_t body,
                            const unsigned char *name, uint16_t units)
{
    const unsigned char *p = pk->c + v;
    size_t n = size / 2, start = 0;
    char *tag;                  /* the start tag, attributes and all */
    int first = 1, ok = 0;

    if (size % 2 || n == 0 || le16(p + 2 * (n - 1)) != 0)
        return 0;
    if (!(tag = malloc(body - mark))) {
        sb->oom = 1;
        return 0;
    }
    memcpy(tag, sb->buf + mark, body - mark);
    for (size_t i = 0; i < n; i++) {
        if (le16(p + 2 * i) != 0)
            continue;
        if (!first) {
            sb_adds(sb, "</");
            if (!put_utf16(pk, sb, name, units))
                goto cleanup;
            sb_addc(sb, '>');
            sb_add(sb, tag, body - mark);
        }
        if (!put_utf16(pk, sb, p + 2 * start, i - start))
            goto cleanup;
        first = 0;
        start = i + 1;
    }
    ok = !sb->oom;
cleanup:
    free(tag);
    return ok;
}

/* The template fragment [pos, end) with the instance's values vals. */
static int render_template(struct evtx_peek *pk, uint32_t pos, uint32_t end,
                           const struct values *vals, int nest, struct strbuf *sb)
{
    const unsigned char *c = pk->c;
    const unsigned char *names[MAX_DEPTH];
    uint16_t nunits[MAX_DEPTH];
    size_t el_mark[MAX_DEPTH];      /* where each open element starts */
    size_t el_body[MAX_DEPTH];      /* where its content starts */
    unsigned char el_drop[MAX_DEPTH];   /* it is to be left out */
    unsigned char el_array[MAX_DEPTH];  /* its content was a string array */
    int depth = 0, in_tag = 0;
    struct attr_w at = {0, 0, 0};
    const unsigned char *chars;
    uint16_t units;
    int r;

    while (pos < end) {
        unsigned tok = c[pos], base = tok & ~0x40u;
        /* an element whose content was a string array holds nothing else */
        if (depth > 0 && el_array[depth - 1] && base != 0x04)
            return 0;
        switch (base) {
        case 0x00:
            return depth == 0 && !in_tag;
        case 0x0F:
            pos += 4;
            break;
        case 0x01:
            if (in_tag || 11 > end - pos || depth == MAX_DEPTH ||
                !name_at(c, le32(c + pos + 7), pos + 11, end, &pos, &chars, &units))
                return 0;
            if (tok & 0x40) {
                if (4 > end - pos)
                    return 0;
                pos += 4;
            }
            names[depth] = chars;
            nunits[depth] = units;
            el_mark[depth] = sb->len;
            el_drop[depth] = el_array[depth] = 0;
            depth++;
            sb_addc(sb, '<');
            if (!put_utf16(pk, sb, chars, units))
                return 0;
            in_tag = 1;
            break;
        case 0x06:
            if (!in_tag || 5 > end - pos ||
                !name_at(c, le32(c + pos + 1), pos + 5, end, &pos, &chars, &units))
                return 0;
            close_attr(&at, sb);
            at.open = 1;
            at.mark = sb->len;
            sb_addc(sb, ' ');
            if (!put_utf16(pk, sb, chars, units))
                return 0;
            sb_adds(sb, "=\"");
            break;
        case 0x02:
        case 0x03:
            if (!in_tag)
                return 0;
            close_attr(&at, sb);
            in_tag = 0;
            if (base == 0x03) {
                sb_adds(sb, "/>");
                depth--;
            } else {
                sb_addc(sb, '>');
                el_body[depth - 1] = sb->len;
            }
            pos++;
            break;
        case 0x04:
            if (in_tag || depth == 0)
                return 0;
            depth--;
            if (el_drop[depth]) {
                sb->len = el_mark[depth];
            } else {
                sb_adds(sb, "</");
                if (!put_utf16(pk, sb, names[depth], nunits[depth]))
                    return 0;
                sb_addc(sb, '>');
            }
            pos++;
            break;
        case 0x05: {
            uint16_t n;
            if (4 > end - pos || c[pos + 1] != VT_STRING || (in_tag && !at.open))
                return 0;
            n = le16(c + pos + 2);
            if (4 + 2u * n > end - pos || !put_utf16(pk, sb, c + pos + 4, n))
                return 0;
            at.has = 1;
            pos += 4 + 2u * n;
            break;
        }
        case 0x07: {
            uint16_t n;
            if (3 > end - pos || in_tag)
                return 0;
            n = le16(c + pos + 1);
            if (3 + 2u * n > end - pos || !put_utf16(pk, sb, c + pos + 3, n))
                return 0;
            pos += 3 + 2u * n;
            break;
        }
        case 0x0D:
        case 0x0E: {
            unsigned idx;
            uint32_t d;
            if (4 > end - pos || (in_tag && !at.open))
                return 0;
            idx = le16(c + pos + 1);
            pos += 4;
            if (idx >= vals->count)
                return 0;
            d = vals->desc + 4 * idx;
            /* an optional substitution without a value: libevtx leaves
             * out the attribute, or the element it is the content of */
            if (base == 0x0E && (c[d + 2] == VT_NULL || le16(c + d) == 0)) {
                if (!in_tag && depth > 0)
                    el_drop[depth - 1] = 1;
                break;
            }
            if (c[d + 2] == (VT_ARRAY | VT_STRING)) {
                /* libevtx repeats the element for each string */
                if (in_tag || depth == 0 || sb->len != el_body[depth - 1] ||
                    !put_string_array(pk, sb, vals->at[idx], le16(c + d),
                                      el_mark[depth - 1], el_body[depth - 1],
                                      names[depth - 1], nunits[depth - 1]))
                    return sb->oom ? -1 : 0;
                el_array[depth - 1] = 1;
                break;
            }
            if ((r = put_value(pk, sb, c[d + 2], vals->at[idx], le16(c + d), nest)) != 1)
                return r;
            at.has = 1;
            break;
        }
        default:    /* references, processing instructions, unknown */
            return 0;
        }
        if (sb->oom)
            return -1;
    }
    return 0;
}

/* The template instance at pos (its 0x0C token, after a fragment header or
 * not), values up to end, rendered. */
static int render_fragment(struct evtx_peek *pk, uint32_t pos, uint32_t end,
                           int nest, struct strbuf *sb)
{
    const unsigned char *c = pk->c;
    uint32_t def, size, count, v;
    struct values vals;
    int r;

    if (end - pos > 4 && c[pos] == 0x0F)
        pos += 4;
    if (14 > end - pos || c[pos] != 0x0C)
        return 0;
    def = le32(c + pos + 6);
    pos += 10;
    if (def == pos) {
        if (24 > end - pos || le32(c + pos + 20) > end - pos - 24)
            return 0;
        pos += 24 + le32(c + pos + 20);
    } else if (def >= pos) {
        return 0;
    }
    if (def > CHUNK_SIZE - 24 || (size = le32(c + def + 20)) > CHUNK_SIZE - def - 24 ||
        4 > end - pos)
        return 0;
    count = le32(c + pos);
    pos += 4;
    if (count > (end - pos) / 4)
        return 0;
    vals.desc = pos;
    vals.count = count;
    if (!(vals.at = malloc((count ? count : 1) * sizeof *vals.at)))
        return -1;
    v = pos + 4 * count;
    for (uint32_t i = 0; i < count; i++) {
        uint16_t vsize = le16(c + pos + 4 * i);
        if (vsize > end - v) {
            free(vals.at);
            return 0;
        }
        vals.at[i] = v;
        v += vsize;
    }
    r = render_template(pk, def + 24, def + 24 + size, &vals, nest, sb);
    free(vals.at);
    return r;
}

int evtx_peek_xml(struct evtx_peek *pk, uint32_t off, uint32_t size,
                  struct strbuf *sb)
{
    int r;

    sb_reset(sb);
    if (!pk->c || off > CHUNK_SIZE || size > CHUNK_SIZE - off || size < 24 + 4 + 14)
        return 0;
    r = render_fragment(pk, off + 24, off + size - 4, 0, sb);
    if (sb->oom)
        return -1;
    return r;
}
