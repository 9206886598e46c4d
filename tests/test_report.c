/*
 * test_report.c - `wudiag report` end to end, and the renderers in-process.
 *
 * Integration tests import fixtures from samples/report/ with the real binary
 * (WUDIAG_BIN) into a private temporary database and run `report` with
 * SOURCE_DATE_EPOCH=1767225600 (2026-01-01 00:00:00 UTC) as "now":
 *
 *   - golden:  samples/report/golden.xml (host PC-GOLDEN) must render byte
 *              for byte as samples/golden/report.{txt,json,html}; the text
 *              must fit 80 columns and carry no escape sequence when stdout
 *              is not a terminal.  tools/update-golden.sh regenerates them.
 *   - JSON:    the golden and the real logs (every .evtx in $WUDIAG_DATA/evtx) give
 *              JSON that python3's json module accepts, with the documented
 *              keys and "0x%08X" codes (docs/report-json.md).
 *   - hostile: samples/report/hostile.xml (two hosts whose names, update
 *              titles, GUIDs and service names carry markup, quotes,
 *              ampersands, C0/C1 controls), imported from a file whose name
 *              holds ESC, markup and invalid UTF-8, must give HTML with only
 *              our own tags, valid UTF-8 everywhere, valid JSON, and text
 *              without control characters.
 *   - invalid UTF-8 cannot go through XML (expat rejects it), so a model is
 *     built in memory (model_new/model_add_event) and rendered directly.
 *   - owned strings, in-process too: a 10 kB title and evidence come out
 *     whole in JSON and HTML; evidence over the cap says "and N more" in
 *     every format; a text column (report and fleet) is cut visibly with
 *     an ellipsis, at a UTF-8 character boundary.
 *   - -o FILE, --check, --host: exit codes and messages.
 *   - --format summary: samples/golden/summary.txt byte for byte, at most 12
 *     lines of 80 columns (display columns), --redact naming neither host
 *     nor database, one summary per hostile host, a healthy host.
 *
 * The fixtures are imported by a path relative to WUDIAG_SRC (the coverage
 * section prints it), and the import run's start time, which `import` takes
 * from the wall clock and the JSON/HTML coverage print, is pinned to the
 * report time, exactly as tools/update-golden.sh does.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"
#include "diagnosis/diagnose.h"
#include "vocab/model.h"
#include "report/report.h"
#include "report/fleet.h"
#include "util/dispwidth.h"
#include "util/strbuf.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#define EPOCH       "1767225600"            /* 2026-01-01 00:00:00 UTC */
#define EPOCH_US    (1767225600LL * 1000000LL)
#define EPOCH_ISO   "2026-01-01T00:00:00Z"
#define GOLDEN_XML  "samples/report/golden.xml"
#define HOSTILE_XML "samples/report/hostile.xml"
#define QUIET_XML   "samples/report/unrelated.xml"

/* Host names in hostile.xml, as the parser delivers them. */
#define HOST_A "EVIL-\"onmouseover=\"x'<img src=x onerror=alert(1)>&amp;&</title>"
#define HOST_B "PC-2</title><script>alert(2)</script>\xC2\x9B" "31m"
/* The update title of hostile.xml's three 0x80070422 failures. */
#define EVIL_TITLE "<script>alert(1)</script> \"onmouseover=\"x ' &amp; & " \
                   "</title><img src=x onerror=alert(1)> (KB5072033)"

static int setup(void **state)
{
    return tu_fx_setup_named(state, "report.db");
}


/* ---- helpers: running wudiag ---------------------------------------------- */

/* `wudiag --db DB import REL` from the repository root; the exit must be 0. */
static void import_rel(const char *db, const char *rel)
{
    struct tu_run r;
    free(tu_src_file(rel));         /* fails the test when missing */
    tu_run(&r, "cd %s && %s --db %s import %s", tu_shq(tu_src()), tu_shq(tu_bin()),
           tu_shq(db), tu_shq(rel));
    tu_assert_exit(&r, 0);
    if (!strstr(r.out, " stored,")) {
        tu_run_dump(&r);
        fail_msg("import printed no statistics line");
    }
    tu_run_free(&r);
}

/*
 * The runs' start time is the wall clock of the import; the JSON and HTML
 * coverage print it.  Pin it to the report time so the output is stable.
 */
static void pin_run_times(const char *db)
{
    sqlite3 *h = NULL;
    char *err = NULL;
    if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        char msg[256];
        snprintf(msg, sizeof msg, "%s", h ? sqlite3_errmsg(h) : "out of memory");
        sqlite3_close(h);
        fail_msg("cannot open %s: %s", db, msg);
    }
    sqlite3_busy_timeout(h, 5000);
    if (sqlite3_exec(h, "UPDATE runs SET started_us = " EPOCH " * 1000000", NULL, NULL,
                     &err) != SQLITE_OK) {
        char msg[256];
        snprintf(msg, sizeof msg, "%s", err ? err : "?");
        sqlite3_free(err);
        sqlite3_close(h);
        fail_msg("pinning the run times in %s: %s", db, msg);
    }
    sqlite3_close(h);
}

/* A database holding the golden fixture, imported as tools/update-golden.sh does. */
static void golden_db(const struct tu_fx *f)
{
    import_rel(f->db, GOLDEN_XML);
    pin_run_times(f->db);
}

/*
 * `wudiag --db DB report ARGS` from the repository root, with the fixed
 * "now", NO_COLOR unset (so only "stdout is not a terminal" turns colour
 * off) and stdout/stderr captured to files.  args is inserted verbatim.
 */
static int report(struct tu_run *r, const char *db, const char *args)
{
    return tu_run(r, "cd %s && env -u NO_COLOR SOURCE_DATE_EPOCH=" EPOCH
                  " %s --db %s report %s", tu_shq(tu_src()), tu_shq(tu_bin()),
                  tu_shq(db), args);
}

/* report() with printf-style arguments. */
static int reportf(struct tu_run *r, const char *db, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static int reportf(struct tu_run *r, const char *db, const char *fmt, ...)
{
    va_list ap;
    char args[8192];
    int n;

    va_start(ap, fmt);
    n = vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof args)
        fail_msg("reportf: arguments too long");
    return report(r, db, args);
}

/* memmem without _GNU_SOURCE. */
static const char *find_bytes(const char *s, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; n <= len && i <= len - n; i++)
        if (memcmp(s + i, needle, n) == 0)
            return s + i;
    return NULL;
}

/* ---- helpers: output checks ------------------------------------------------ */

/*
 * Offset of the first byte that is not part of well-formed UTF-8 (no
 * overlong forms, no surrogates, nothing above U+10FFFF), or -1.
 */
static long utf8_invalid_at(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (i < len) {
        unsigned c = p[i];
        size_t n;
        uint32_t cp, min;

        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC0 && c <= 0xDF) {
            n = 2; cp = c & 0x1F; min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 3; cp = c & 0x0F; min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF7) {
            n = 4; cp = c & 0x07; min = 0x10000;
        } else {
            return (long)i;
        }
        if (i + n > len)
            return (long)i;
        for (size_t k = 1; k < n; k++) {
            if ((p[i + k] & 0xC0) != 0x80)
                return (long)i;
            cp = cp << 6 | (p[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return (long)i;
        i += n;
    }
    return -1;
}

static void assert_utf8(const char *what, const char *s, size_t len)
{
    long at = utf8_invalid_at(s, len);
    if (at >= 0) {
        long from = at > 40 ? at - 40 : 0;
        fail_msg("%s: invalid UTF-8 at byte %ld (context: \"%.*s\")", what, at,
                 (int)(at - from), s + from);
    }
}

/* Line (1-based) and column of byte offset off, for messages. */
static void where(const char *s, size_t off, int *line, int *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < off; i++) {
        if (s[i] == '\n') {
            ++*line;
            *col = 1;
        } else {
            ++*col;
        }
    }
}

/*
 * Plain text must not hold any C0 control but '\n' (no ESC, CR, TAB, BEL),
 * no DEL and no C1 control (U+0080..U+009F, e.g. U+009B CSI).
 */
static void assert_no_controls(const char *what, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < len; i++) {
        int bad = (p[i] < 0x20 && p[i] != '\n') || p[i] == 0x7F ||
                  (p[i] == 0xC2 && i + 1 < len && p[i + 1] >= 0x80 && p[i + 1] <= 0x9F);
        if (bad) {
            int line, col;
            where(s, i, &line, &col);
            fail_msg("%s: control byte 0x%02X%s at line %d, column %d", what, p[i],
                     p[i] == 0xC2 ? " (C1)" : "", line, col);
        }
    }
}

/*
 * Every line of a text report fits 80 display columns (util/dispwidth.h).
 * The one exception is text.c's documented one: "a word longer than a line
 * (a URL) is kept whole" - a line that is an indent, an optional "Label: "
 * and then a single word without spaces.  Returns the number of offending
 * lines after printing each of them.
 */
static int count_wide_lines(const char *what, const char *s)
{
    int bad = 0, lineno = 0;
    const char *p = s;

    while (*p) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        size_t cols = dw_width_n(p, n);      /* display columns */
        lineno++;
        if (cols > 80) {
            const char *w = p, *end = p + n;
            while (w < end && *w == ' ')
                w++;
            const char *colon = memchr(w, ' ', (size_t)(end - w));
            /* "See: URL": skip one label that ends in ':' */
            if (colon && colon > w && colon[-1] == ':')
                w = colon + 1;
            if (memchr(w, ' ', (size_t)(end - w)) != NULL) {
                print_message("%s line %d has %zu columns: %.*s\n", what, lineno,
                              cols, (int)n, p);
                bad++;
            }
        }
        if (!e)
            break;
        p = e + 1;
    }
    return bad;
}

/* Tags the HTML renderer writes; anything else after '<' is injected. */
static const char *const our_tags[] = {
    "html", "head", "meta", "title", "style", "body", "section", "header", "h1",
    "h2", "h3", "h4", "dl", "dt", "dd", "p", "article", "span", "ul", "ol", "li",
    "code", "strong", "details", "summary", "small", "div", "pre", "a", "svg",
    "rect", "text", "i", "table", "thead", "tbody", "tr", "th", "td", "footer",
};

/*
 * The structural HTML checks, on bytes: valid UTF-8; no control bytes but
 * '\n' and '\t'; every '<' opens one of our tags (or the doctype); every
 * '&' starts a character reference; no event-handler attribute and no
 * javascript: URL inside any tag.
 */
static void assert_html_clean(const char *what, const char *s, size_t len)
{
    assert_utf8(what, s, len);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        int line, col;
        if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F) {
            where(s, i, &line, &col);
            fail_msg("%s: control byte 0x%02X at line %d, column %d", what, c, line, col);
        }
        if (c == '&') {
            size_t k = i + 1;
            int ok = 0;
            if (k < len && s[k] == '#') {
                k++;
                int hex = k < len && (s[k] == 'x' || s[k] == 'X');
                size_t d0 = hex ? ++k : k;
                while (k < len && (hex ? strchr("0123456789abcdefABCDEF", s[k]) != NULL
                                       : (s[k] >= '0' && s[k] <= '9')) && s[k])
                    k++;
                ok = k > d0 && k < len && s[k] == ';';
            } else {
                size_t d0 = k;
                while (k < len && ((s[k] >= 'a' && s[k] <= 'z') ||
                                   (s[k] >= 'A' && s[k] <= 'Z')))
                    k++;
                ok = k > d0 && k < len && s[k] == ';';
            }
            if (!ok) {
                where(s, i, &line, &col);
                fail_msg("%s: bare '&' at line %d, column %d: \"%.30s\"", what, line,
                         col, s + i);
            }
        }
        if (c != '<')
            continue;
        if (strncmp(s + i, "<!DOCTYPE html>", 15) == 0)
            continue;
        size_t k = i + 1;
        if (k < len && s[k] == '/')
            k++;
        size_t n0 = k;
        while (k < len && ((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= '0' && s[k] <= '9')))
            k++;
        int known = 0;
        for (size_t t = 0; t < sizeof our_tags / sizeof our_tags[0]; t++)
            if (strlen(our_tags[t]) == k - n0 && strncmp(our_tags[t], s + n0, k - n0) == 0)
                known = 1;
        if (!known || k >= len || !strchr(" >/\n", s[k])) {
            where(s, i, &line, &col);
            fail_msg("%s: '<' that is not one of our tags at line %d, column %d: "
                     "\"%.40s\"", what, line, col, s + i);
        }
        /* the tag itself: attributes hold escaped values, so '>' ends it */
        const char *gt = memchr(s + i, '>', len - i);
        if (!gt) {
            where(s, i, &line, &col);
            fail_msg("%s: unterminated tag at line %d, column %d", what, line, col);
        }
        for (const char *a = s + i; a < gt; a++) {
            if ((a[0] == ' ' || a[0] == '\n' || a[0] == '"') &&
                (a[1] == 'o' || a[1] == 'O') && (a[2] == 'n' || a[2] == 'N') &&
                a + 3 < gt && ((a[3] >= 'a' && a[3] <= 'z') || (a[3] >= 'A' && a[3] <= 'Z'))) {
                const char *eq = a + 3;
                while (eq < gt && ((*eq >= 'a' && *eq <= 'z') || (*eq >= 'A' && *eq <= 'Z')))
                    eq++;
                if (eq < gt && *eq == '=') {
                    where(s, i, &line, &col);
                    fail_msg("%s: event handler attribute in a tag at line %d: \"%.*s\"",
                             what, line, (int)(gt - (s + i) + 1), s + i);
                }
            }
            if (strncasecmp(a, "javascript:", 11) == 0) {
                where(s, i, &line, &col);
                fail_msg("%s: javascript: inside a tag at line %d", what, line);
            }
        }
    }
    static const char *const never[] = {
        "<script", "<img", "<iframe", "<svg onload", "onerror=\"", "onmouseover=\"",
        "onerror='", "onmouseover='", "\x1b",
    };
    for (size_t i = 0; i < sizeof never / sizeof never[0]; i++)
        if (find_bytes(s, len, never[i]))
            fail_msg("%s: contains \"%s\"", what, never[i]);
}

/*
 * Checks of a JSON report done by python3's json module: it parses; single
 * report (schema wudiag.report/1) or the multi-host wrapper (wudiag.reports/1
 * with reports[]); each report has the documented keys and value shapes;
 * codes are "0x%08X"; generated_at is the fixed "now".  With a second
 * argument, the hosts must be exactly those (one per line in that file) and
 * the hostile strings must survive verbatim (JSON escapes, never HTML).
 */
static const char json_checker[] =
    "import json, re, sys\n"
    "def need(c, msg):\n"
    "    if not c:\n"
    "        sys.exit('json check: ' + msg)\n"
    "raw = sys.stdin.buffer.read()\n"
    "d = json.loads(raw.decode('utf-8'))\n"
    "HEX = re.compile(r'^0x[0-9A-F]{8}$')\n"
    "TIME = re.compile(r'^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$')\n"
    "def tm(v, what, null=True):\n"
    "    need((null and v is None) or (isinstance(v, str) and TIME.match(v)),\n"
    "         '%s: bad time %r' % (what, v))\n"
    "def code(v, what, null=False):\n"
    "    need((null and v is None) or (isinstance(v, str) and HEX.match(v)),\n"
    "         '%s: code %r is not 0x%%08X' % (what, v))\n"
    "need(isinstance(d, dict), 'top level is not an object')\n"
    "if d.get('schema') == 'wudiag.reports/1':\n"
    "    need(isinstance(d.get('reports'), list) and len(d['reports']) >= 2,\n"
    "         'wrapper without reports[] of several hosts')\n"
    "    reps = d['reports']\n"
    "else:\n"
    "    reps = [d]\n"
    "keys = ['schema', 'wudiag_version', 'host', 'os', 'generated_at', 'range',\n"
    "        'verdict', 'summary', 'findings', 'services', 'errors', 'updates',\n"
    "        'coverage']\n"
    "for r in reps:\n"
    "    need(isinstance(r, dict), 'report is not an object')\n"
    "    for k in keys:\n"
    "        need(k in r, 'missing key %s' % k)\n"
    "    h = r['host']\n"
    "    need(r['schema'] == 'wudiag.report/1', '%r: schema %r' % (h, r['schema']))\n"
    "    need(isinstance(h, str) and h, 'host %r' % (h,))\n"
    "    need(r['generated_at'] == sys.argv[1], '%r: generated_at %r' % (h, r['generated_at']))\n"
    "    need(r['verdict'] in ('healthy', 'warning', 'critical', 'unknown'), 'verdict')\n"
    "    need(isinstance(r['summary'], str), 'summary')\n"
    "    g = r['range']\n"
    "    for k in ('since', 'until', 'first_event', 'last_event'):\n"
    "        need(k in g, 'range.%s missing' % k)\n"
    "        tm(g[k], 'range.' + k)\n"
    "    need(isinstance(g.get('events'), int) and g['events'] >= 0, 'range.events')\n"
    "    for f in r['findings']:\n"
    "        need(f['severity'] in ('info', 'warning', 'critical'), 'severity')\n"
    "        need(isinstance(f['resolved'], bool), 'resolved')\n"
    "        need(isinstance(f['confidence'], int) and 0 <= f['confidence'] <= 100, 'confidence')\n"
    "        need(isinstance(f['count'], int) and f['count'] >= 1, 'count')\n"
    "        need(len(f['codes']) == len(f['symbols']), 'codes/symbols differ in length')\n"
    "        for c in f['codes']:\n"
    "            code(c, 'findings[].codes')\n"
    "        tm(f['first_seen'], 'first_seen')\n"
    "        tm(f['last_seen'], 'last_seen')\n"
    "        need(f['fix'] is None or isinstance(f['fix'].get('steps'), list), 'fix')\n"
    "        for e in f['evidence']:\n"
    "            tm(e['time'], 'evidence.time')\n"
    "            need(e['event_id'] is None or isinstance(e['event_id'], int), 'event_id')\n"
    "            need(isinstance(e['text'], str), 'evidence.text')\n"
    "        if 'evidence_more' in f:\n"
    "            need(isinstance(f['evidence_more'], int) and f['evidence_more'] > 0 and\n"
    "                 len(f['evidence']) == 10, 'evidence_more %r' % f['evidence_more'])\n"
    "    for s in r['services']:\n"
    "        need(s['origin'] in ('live', 'event', None), 'origin %r' % s['origin'])\n"
    "        tm(s['observed_at'], 'observed_at')\n"
    "    for e in r['errors']:\n"
    "        code(e['code'], 'errors[].code')\n"
    "        need(isinstance(e['count'], int) and e['count'] >= 1, 'errors[].count')\n"
    "        tm(e['first_seen'], 'errors.first_seen', False)\n"
    "        tm(e['last_seen'], 'errors.last_seen', False)\n"
    "    for u in r['updates']:\n"
    "        code(u['code'], 'updates[].code', True)\n"
    "        need(u['result'] in ('installed', 'install failed', 'install started',\n"
    "             'download started', 'downloaded', 'downloaded, ready to install',\n"
    "             'download failed', 'uninstalled', 'uninstall failed'),\n"
    "             'result %r' % u['result'])\n"
    "        tm(u['time'], 'updates.time', False)\n"
    "    for c in r['coverage']:\n"
    "        need(c['status'] in ('ok', 'partial', 'failed'), 'coverage.status')\n"
    "        need(isinstance(c['source'], str), 'coverage.source')\n"
    "        need(isinstance(c['run'], int), 'coverage.run')\n"
    "        tm(c['time'], 'coverage.time')\n"
    "if len(sys.argv) > 2:\n"
    "    want = open(sys.argv[2], 'rb').read().decode('utf-8').split('\\n')[:-1]\n"
    "    got = sorted(r['host'] for r in reps)\n"
    "    need(got == sorted(want), 'hosts %r, expected %r' % (got, sorted(want)))\n"
    "    vals = []\n"
    "    def walk(v):\n"
    "        if isinstance(v, str): vals.append(v)\n"
    "        elif isinstance(v, list): [walk(x) for x in v]\n"
    "        elif isinstance(v, dict): [walk(x) for x in v.values()]\n"
    "    walk(d)\n"
    "    for s in open(sys.argv[3], 'rb').read().decode('utf-8').split('\\n')[:-1]:\n"
    "        need(any(s in v for v in vals), 'string %r not kept verbatim' % s)\n"
"print('%d report(s): %s' % (len(reps), ' | '.join(r['host'] + '=' + r['verdict'] for r in reps)))\n";

/* Run the JSON checker on a file; extra is "" or " HOSTS STRINGS" (quoted). */
static void check_json_file(const struct tu_fx *f, const char *json_path, const char *extra)
{
    char *py = tu_path(f->dir, "check_json.py");
    struct tu_run r;

    tu_write_str(py, json_checker);
    tu_run(&r, "python3 %s %s%s < %s", tu_shq(py), EPOCH_ISO, extra, tu_shq(json_path));
    if (r.status != 0) {
        tu_run_dump(&r);
        fail_msg("%s is not a valid wudiag JSON report", json_path);
    }
    tu_run_free(&r);
    free(py);
}

/*
 * HTML seen by python3's html.parser: every start tag is ours, no attribute
 * is an event handler or a javascript: URL, the <title> is ours.
 */
static const char html_checker[] =
    "import sys\n"
    "from html.parser import HTMLParser\n"
    "OURS = set(sys.argv[1].split(','))\n"
    "class P(HTMLParser):\n"
    "    def __init__(self):\n"
    "        super().__init__(convert_charrefs=True)\n"
    "        self.bad = []; self.titles = []; self.intitle = False\n"
    "    def handle_starttag(self, tag, attrs):\n"
    "        if tag not in OURS:\n"
    "            self.bad.append('tag <%s> at %r' % (tag, self.getpos()))\n"
    "        for k, v in attrs:\n"
    "            if k.lower().startswith('on'):\n"
    "                self.bad.append('attribute %s on <%s> at %r' % (k, tag, self.getpos()))\n"
    "            if v and v.strip().lower().startswith('javascript:'):\n"
    "                self.bad.append('javascript: URL at %r' % (self.getpos(),))\n"
    "        self.intitle = tag == 'title'\n"
    "    def handle_endtag(self, tag):\n"
    "        self.intitle = False\n"
    "    def handle_data(self, data):\n"
    "        if self.intitle:\n"
    "            self.titles.append(data)\n"
    "p = P()\n"
    "p.feed(sys.stdin.buffer.read().decode('utf-8'))\n"
    "p.close()\n"
    "for t in p.titles:\n"
    "    if t not in ('wudiag report', 'wudiag reports') and not t[:4].isdigit():\n"
    "        p.bad.append('title %r' % t)\n"
    "if p.bad:\n"
    "    sys.exit('html check: ' + '; '.join(p.bad[:10]))\n";

static void check_html_file(const struct tu_fx *f, const char *html_path)
{
    char *py = tu_path(f->dir, "check_html.py");
    char tags[1024] = "";
    struct tu_run r;

    for (size_t t = 0; t < sizeof our_tags / sizeof our_tags[0]; t++) {
        if (t)
            strcat(tags, ",");
        strcat(tags, our_tags[t]);
    }
    tu_write_str(py, html_checker);
    tu_run(&r, "python3 %s %s < %s", tu_shq(py), tags, tu_shq(html_path));
    if (r.status != 0) {
        tu_run_dump(&r);
        fail_msg("%s: python's HTML parser found injected markup", html_path);
    }
    tu_run_free(&r);
    free(py);
}

/* Save a run's stdout into dir/name; returns the path (malloc'd). */
static char *save_out(const struct tu_fx *f, const char *name, const struct tu_run *r)
{
    char *p = tu_path(f->dir, name);
    tu_write_file(p, r->out, r->outlen);
    return p;
}

/* Number of entries in dir whose name contains ".tmp." */
static int count_tmp_files(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    if (!d)
        fail_msg("opendir %s: %s", dir, strerror(errno));
    while ((e = readdir(d)) != NULL)
        if (strstr(e->d_name, ".tmp."))
            n++;
    closedir(d);
    return n;
}

/* ---- 1. golden files ---------------------------------------------------------- */

static void compare_golden(const struct tu_fx *f, const char *format, const char *golden)
{
    struct tu_run r;
    char args[64];
    size_t glen;
    char *gpath = tu_src_file(golden);
    char *want = tu_read_file(gpath, &glen);

    snprintf(args, sizeof args, "--format %s", format);
    report(&r, f->db, args);
    tu_assert_exit(&r, 0);
    if (r.errlen) {
        tu_run_dump(&r);
        fail_msg("report --format %s wrote to stderr", format);
    }
    if (r.outlen != glen || memcmp(r.out, want, glen) != 0) {
        char *got = tu_fmt("%s/actual.%s", f->dir, format);
        struct tu_run d;
        size_t i = 0;
        int line, col;

        tu_write_file(got, r.out, r.outlen);
        while (i < glen && i < r.outlen && want[i] == r.out[i])
            i++;
        where(want, i, &line, &col);
        tu_run(&d, "diff -u %s %s | head -60", tu_shq(gpath), tu_shq(got));
        print_message("%s", d.out);
        tu_run_free(&d);
        fail_msg("report --format %s differs from %s from line %d, column %d "
                 "(%zu vs %zu bytes); if the change is intended, run "
                 "tools/update-golden.sh and review the diff", format, golden, line,
                 col, r.outlen, glen);
    }
    tu_run_free(&r);
    free(want);
    free(gpath);
}

static void test_golden_text(void **state)
{
    struct tu_fx *f = *state;
    golden_db(f);
    compare_golden(f, "text", "samples/golden/report.txt");
}

static void test_golden_json(void **state)
{
    struct tu_fx *f = *state;
    golden_db(f);
    compare_golden(f, "json", "samples/golden/report.json");
}

static void test_golden_html(void **state)
{
    struct tu_fx *f = *state;
    golden_db(f);
    compare_golden(f, "html", "samples/golden/report.html");
}

/* The golden fixture says what it was written to say (guards the goldens). */
static void test_golden_content(void **state)
{
    struct tu_fx *f = *state;
    struct tu_run r;

    golden_db(f);
    report(&r, f->db, "--format text");
    tu_assert_exit(&r, 0);
    static const char *const want[] = {
        "Host:       PC-GOLDEN\n",
        "Generated:  2026-01-01 00:00:00 UTC\n",
        "VERDICT: CRITICAL - ",
        /* 7040 param4 wuauserv -> disabled: the root cause, named first */
        "[1] CRITICAL Windows Update service (wuauserv) is disabled",
        /* 0x80070422 x3 for one KB, open, critical: what it causes */
        "[2] CRITICAL Update installation fails with 0x80070422",
        "3 occurrences",
        "  wuauserv          unknown        disabled      events 2025-12-09 10:02:44\n",
        /* 7036 with Binary "BITS/4" -> running */
        "  BITS              running        unknown       events 2025-12-12 08:30:00\n",
        /* scan failure 25 */
        "Scanning for updates fails with 0x8024402C",
        /* 21, no boot since: pending for more than a week, naming the update */
        "A restart is pending to finish installing KB5066128 since\n",
        "(9 days without a restart)",
        /* the 19 with the same updateGuid resolves the earlier failure */
        "HISTORY (resolved; not counted in the verdict)\n",
        "Earlier install failure with 0x80073712",
        "(KB5066128) (succeeded",
        "  ok       " GOLDEN_XML ": xml\n",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (!strstr(r.out, want[i])) {
            tu_run_dump(&r);
            fail_msg("golden text report lacks \"%s\"", want[i]);
        }
    tu_run_free(&r);
}

static void test_golden_text_plain(void **state)
{
    size_t len;
    char *path = tu_src_file("samples/golden/report.txt");
    char *s = tu_read_file(path, &len);
    (void)state;

    /* produced with stdout not a terminal: no ESC, no control but '\n' */
    assert_null(memchr(s, 0x1b, len));
    assert_no_controls("samples/golden/report.txt", s, len);
    assert_utf8("samples/golden/report.txt", s, len);
    assert_true(len > 0 && s[len - 1] == '\n');
    free(s);
    free(path);
}

static void test_golden_text_80_columns(void **state)
{
    size_t len;
    char *path = tu_src_file("samples/golden/report.txt");
    char *s = tu_read_file(path, &len);
    (void)state;

    int bad = count_wide_lines("report.txt", s);
    free(s);
    free(path);
    if (bad)
        fail_msg("%d line(s) of samples/golden/report.txt exceed 80 columns", bad);
}

/* ---- 2. JSON validity ----------------------------------------------------------- */

static void test_json_golden_parses(void **state)
{
    struct tu_fx *f = *state;
    struct tu_run r;

    golden_db(f);
    report(&r, f->db, "--format json");
    tu_assert_exit(&r, 0);
    char *p = save_out(f, "golden.json", &r);
    assert_utf8("golden json", r.out, r.outlen);
    check_json_file(f, p, "");
    /* one host: the plain object, not the wrapper */
    assert_non_null(strstr(r.out, "\"schema\":\"wudiag.report/1\""));
    assert_null(strstr(r.out, "wudiag.reports/1"));
    /* the golden file itself, too */
    char *g = tu_src_file("samples/golden/report.json");
    check_json_file(f, g, "");
    free(g);
    free(p);
    tu_run_free(&r);
}

static void test_json_real_logs(void **state)
{
    struct tu_fx *f = *state;
    struct tu_run r;
    const char *data = tu_data();
    char *logs[] = {
        tu_data_file("evtx/system-win10-2017.evtx"),
        tu_data_file("evtx/system-win7-2012.evtx"),
        tu_data_file("evtx/corrupt-bad-chunk-magic.evtx"),
    };

    /* every *.evtx in the data directory; the damaged one makes it exit 1 */
    tu_run(&r, "%s --db %s import %s/evtx/*.evtx", tu_shq(tu_bin()), tu_shq(f->db),
           tu_shq(data));
    if (r.status != 0 && r.status != 1) {
        tu_run_dump(&r);
        fail_msg("importing the real logs failed");
    }
    tu_run_free(&r);

    report(&r, f->db, "--each --format json");
    tu_assert_exit(&r, 0);
    assert_utf8("real-log json", r.out, r.outlen);
    char *p = save_out(f, "real.json", &r);
    check_json_file(f, p, "");
    /* several hosts in the logs: the wrapper */
    assert_non_null(strstr(r.out, "{\"schema\":\"wudiag.reports/1\",\"reports\":["));
    assert_non_null(strstr(r.out, "\"host\":\"DESKTOP-2KGM189\""));
    assert_non_null(strstr(r.out, "\"code\":\"0x80248007\""));
    tu_run_free(&r);

    /* without --each, several hosts give the fleet report (wudiag.fleet/1) */
    report(&r, f->db, "--format json");
    tu_assert_exit(&r, 0);
    {
        char *pf = save_out(f, "fleet.json", &r);
        struct tu_run py;
        tu_run(&py, "python3 -c %s %s", tu_shq(
            "import json,sys\n"
            "d=json.load(open(sys.argv[1]))\n"
            "assert d['schema']=='wudiag.fleet/1', d['schema']\n"
            /* two machines: system-win10-2017's setup name WIN-P4SIAA0SQCO is
             * an alias of DESKTOP-2KGM189 (it was a third host before
             * issue 14) */
            "assert d['hosts_total']==2 and d['verdict']=='critical'\n"
            "assert d['by_verdict']=={'critical':1,'warning':0,'healthy':1,'unknown':0}\n"
            "h={x['host']:x for x in d['hosts']}\n"
            "assert h['DESKTOP-2KGM189']['verdict']=='critical'\n"
            "assert d['hosts'][0]['host']=='DESKTOP-2KGM189'\n"
            "c={x['code']:x for x in d['codes']}\n"
            "assert c['0x80248007']['hosts']==1 and c['0x80248007']['events']==4\n"
            "assert c['0x80248007']['fix']['id']=='reset-wu-components'\n"
            "assert sum(sum(v for k,v in day.items() if k!='day') for day in d['failures_per_day'])==5\n"
            "print('ok')\n"), tu_shq(pf));
        if (strncmp(py.out, "ok", 2) != 0) {
            tu_run_dump(&py);
            fail_msg("fleet JSON check failed");
        }
        tu_run_free(&py);
        free(pf);
    }
    tu_run_free(&r);
    report(&r, f->db, "--format html");
    tu_assert_exit(&r, 0);
    assert_non_null(strstr(r.out, "Windows Update fleet report"));
    assert_non_null(strstr(r.out, "class=\"category-chart\""));
    assert_non_null(strstr(r.out, "data-category=\"install\""));
    tu_run_free(&r);
    report(&r, f->db, "--check");
    tu_assert_exit(&r, 2);
    tu_run_free(&r);

    /* one host of them alone: a plain wudiag.report/1 object */
    report(&r, f->db, "--host DESKTOP-2KGM189 --format json");
    tu_assert_exit(&r, 0);
    char *p1 = save_out(f, "one.json", &r);
    check_json_file(f, p1, "");
    assert_null(strstr(r.out, "wudiag.reports/1"));
    tu_run_free(&r);

    /* the other formats on real data: valid UTF-8, no ESC, no injected tag */
    report(&r, f->db, "--each --format text");
    tu_assert_exit(&r, 0);
    assert_utf8("real-log text", r.out, r.outlen);
    assert_no_controls("real-log text", r.out, r.outlen);
    tu_run_free(&r);
    report(&r, f->db, "--each --format html");
    tu_assert_exit(&r, 0);
    assert_html_clean("real-log html", r.out, r.outlen);
    tu_run_free(&r);

    for (size_t i = 0; i < sizeof logs / sizeof logs[0]; i++)
        free(logs[i]);
    free(p);
    free(p1);
}

/* ---- 3. hostile strings --------------------------------------------------------- */

/*
 * hostile.xml imported from a file whose name carries ESC, markup, quotes,
 * an ampersand and invalid UTF-8 (the coverage section prints the name).
 */
static const char evil_name[] =
    "evil-\x1b[31m-<svg onload=alert(8)>-\"q'&amp;-\xff\xfe.xml";

static void hostile_db(const struct tu_fx *f)
{
    size_t len;
    char *src = tu_src_file(HOSTILE_XML);
    char *xml = tu_read_file(src, &len);
    char *dst = tu_path(f->dir, evil_name);
    struct tu_run r;

    tu_write_file(dst, xml, len);
    tu_run(&r, "cd %s && %s --db %s import %s", tu_shq(f->dir), tu_shq(tu_bin()),
           tu_shq(f->db), tu_shq(evil_name));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    pin_run_times(f->db);
    free(src);
    free(xml);
    free(dst);
}

static void test_hostile_html(void **state)
{
    struct tu_fx *f = *state;
    struct tu_run r;

    hostile_db(f);
    report(&r, f->db, "--each --format html");
    tu_assert_exit(&r, 0);
    assert_html_clean("hostile html", r.out, r.outlen);
    char *p = save_out(f, "hostile.html", &r);
    check_html_file(f, p);

    /* the hostile strings are shown, escaped */
    static const char *const shown[] = {
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "&lt;img src=x onerror=alert(1)&gt;",
        "&quot;onmouseover=&quot;x",
        "&#39;",
        "&amp;amp; &amp; &lt;/title&gt;",                /* "&amp;" kept literally */
        "Windows Update&quot;&gt;&lt;script&gt;alert(3)&lt;/script&gt;",   /* 7040 */
        "BITS&lt;/title&gt;&lt;img src=x onerror=alert(1)&gt;",              /* 7036 */
        "EVIL-&quot;onmouseover=&quot;x&#39;&lt;img src=x onerror=alert(1)&gt;"
            "&amp;amp;&amp;&lt;/title&gt;",                                   /* host */
        "PC-2&lt;/title&gt;&lt;script&gt;alert(2)&lt;/script&gt;",            /* host */
        "evil- [31m-&lt;svg onload=alert(8)&gt;-&quot;q&#39;&amp;amp;-"
            "\xEF\xBF\xBD\xEF\xBF\xBD.xml",              /* file name, ESC gone */
        "<title>wudiag reports</title>",
    };
    for (size_t i = 0; i < sizeof shown / sizeof shown[0]; i++)
        if (!strstr(r.out, shown[i]))
            fail_msg("hostile html lacks \"%s\"", shown[i]);
    /* both hosts, each in its own section */
    const char *s1 = strstr(r.out, "<section class=\"host\">");
    assert_non_null(s1);
    assert_non_null(strstr(s1 + 1, "<section class=\"host\">"));
    free(p);
    tu_run_free(&r);
}

static void test_hostile_json(void **state)
{
    struct tu_fx *f = *state;
    struct tu_run r;

    hostile_db(f);
    report(&r, f->db, "--each --format json");
    tu_assert_exit(&r, 0);
    assert_utf8("hostile json", r.out, r.outlen);
    /* JSON escapes, never HTML entities: the strings survive verbatim */
    char *p = save_out(f, "hostile.json", &r);
    char *hosts = tu_path(f->dir, "hosts.txt");
    char *strings = tu_path(f->dir, "strings.txt");
    tu_write_str(hosts, HOST_A "\n" HOST_B "\n");
    tu_write_str(strings, EVIL_TITLE "\n"
                 "'\"'\"<>&&amp;&lt; </title><script>alert(7)</script> (KB5000001)\n"
                 "Windows Update\"><script>alert(3)</script><img src=x onerror=alert(1)>\n"
                 "evil-\x1b[31m-<svg onload=alert(8)>-\"q'&amp;-\xEF\xBF\xBD\xEF\xBF\xBD.xml\n");
    char *extra = tu_fmt(" %s %s", tu_shq(hosts), tu_shq(strings));
    check_json_file(f, p, extra);
    /* raw control bytes never appear inside JSON strings */
    for (size_t i = 0; i < r.outlen; i++)
        if ((unsigned char)r.out[i] < 0x20 && r.out[i] != '\n')
            fail_msg("hostile json: raw control byte 0x%02X at offset %zu",
                     (unsigned char)r.out[i], i);
    assert_non_null(strstr(r.out, "\\u001b[31m"));          /* ESC of the file name */
    free(extra);
    free(hosts);
    free(strings);
    free(p);
    tu_run_free(&r);
}

static void test_hostile_text(void **state)
{
    struct tu_fx *f = *state;
    struct tu_run r;

    hostile_db(f);
    report(&r, f->db, "--each --format text");
    tu_assert_exit(&r, 0);
    assert_null(memchr(r.out, 0x1b, r.outlen));
    assert_no_controls("hostile text", r.out, r.outlen);
    assert_utf8("hostile text", r.out, r.outlen);
    /* shown literally (it is plain text); TAB, LF, CR as spaces, other
     * controls (C1 CSI, NEL) as U+FFFD (util/safetext.h) */
    assert_non_null(strstr(r.out, "Host:       EVIL-\"onmouseover=\"x'<img src=x"));
    assert_non_null(strstr(r.out, "<script>alert(1)</script> \"onmouseover=\"x ' &amp;"));
    assert_non_null(strstr(r.out, "installed        KB5066128 Tab newline CR C1-CSI\xEF\xBF\xBD" "31m NEL\xEF\xBF\xBD"));
    assert_non_null(strstr(r.out, "evil-\xEF\xBF\xBD[31m-<svg onload=alert(8)>-\"q'&amp;-\xEF\xBF\xBD\xEF\xBF\xBD.xml"));
    tu_run_free(&r);

    /* a hostile host name selects exactly that host */
    reportf(&r, f->db, "--host %s --format json", tu_shq(HOST_A));
    tu_assert_exit(&r, 0);
    assert_null(strstr(r.out, "wudiag.reports/1"));
    assert_non_null(strstr(r.out, "\"host\":\"EVIL-\\\"onmouseover=\\\"x'<img"));
    tu_run_free(&r);
}

/* ---- 3b. invalid UTF-8 and controls, in-process ---------------------------------- */

/* Invalid UTF-8 of every kind, terminal escapes, C0/C1 controls, markup. */
#define NASTY "\xff\xfe<b>bold</b> \x1b[31mRED\x1b[0m \x1b]0;pwned\x07 " \
              "\xc0\xaf \xed\xa0\x80 \xf4\x90\x80\x80 \xf8\x88\x80\x80\x80 \xe2\x82 " \
              "\x01\x07\x08\r\n\t\x7f \xc2\x9b" "31m \xc2\x85 " \
              "<script>alert(1)</script> \"onmouseover=\"x ' &amp; & </title>" \
              "<img src=x onerror=alert(1)>"

struct rendered {
    char *text, *color_text, *html, *json;
    size_t text_len, color_len, html_len, json_len;
};

static char *slurp(FILE *fp, size_t *len)
{
    long n = 0;
    char *buf;
    if (fflush(fp) != 0 || (n = ftell(fp)) < 0)
        fail_msg("tmpfile: %s", strerror(errno));
    rewind(fp);
    if (!(buf = malloc((size_t)n + 1)))
        fail_msg("out of memory");
    if (fread(buf, 1, (size_t)n, fp) != (size_t)n)
        fail_msg("tmpfile read: %s", strerror(errno));
    buf[n] = '\0';
    *len = (size_t)n;
    fclose(fp);
    return buf;
}

static FILE *tmp_out(void)
{
    FILE *fp = tmpfile();
    if (!fp)
        fail_msg("tmpfile: %s", strerror(errno));
    return fp;
}

static void add_wu(struct model *m, int64_t t, int id, int level, uint32_t code,
                   const char *title, const char *guid)
{
    struct m_event *e = model_add_event(m);
    assert_non_null(e);
    e->time_us = t;
    e->record_id = t / 1000000;
    e->event_id = id;
    e->level = level;
    e->provider = model_strdup(m, "Microsoft-Windows-WindowsUpdateClient");
    e->channel = model_strdup(m, "System");
    e->has_code = code != 0;
    e->code = code;
    e->title = model_strdup(m, title);
    e->guid = model_strdup(m, guid);
    e->kb = model_strdup(m, "KB5072033");
    if (!m->first_us || t < m->first_us)
        m->first_us = t;
    if (t > m->last_us)
        m->last_us = t;
}

static void render_nasty(struct rendered *out)
{
    const int64_t day = 86400LL * 1000000LL, t0 = EPOCH_US - 20 * day;
    struct model *m = model_new();
    struct diagnosis d;
    struct report r;
    char longtitle[700];
    FILE *fp;

    assert_non_null(m);
    m->host = model_strdup(m, "HOST-" NASTY);
    m->os = model_strdup(m, "Windows " NASTY);
    m->generated_us = EPOCH_US;
    for (int i = 0; i < 3; i++)
        add_wu(m, t0 + i * 3600000000LL, 20, 2, 0x80070422, "Title " NASTY " (KB5072033)",
               "{GUID-" NASTY "}");
    add_wu(m, t0 + day, 19, 4, 0, NASTY, "{OTHER}");
    /* "€" is 3 bytes: the 240-byte evidence text ends inside one */
    strcpy(longtitle, "Long ");
    for (int i = 0; i < 200; i++)
        strcat(longtitle, "\xe2\x82\xac");
    add_wu(m, t0 + 2 * day, 20, 2, 0x80073712, longtitle, "{LONG}");
    add_wu(m, t0 + 2 * day + 1, 21, 4, 0, NASTY, NULL);

    struct m_service *o = model_add_observation(m);
    assert_non_null(o);
    o->name = model_strdup(m, "wuauserv");
    o->display = model_strdup(m, "Windows Update " NASTY);
    o->start_type = model_strdup(m, "disabled");
    o->origin = model_strdup(m, "event");
    o->time_us = t0;
    o = model_add_observation(m);
    assert_non_null(o);
    o->name = model_strdup(m, "BITS");
    o->display = model_strdup(m, NASTY);
    o->state = model_strdup(m, "running " NASTY);
    o->origin = model_strdup(m, "event");
    o->time_us = t0 + 1;

    struct m_coverage *c = model_add_coverage(m);
    assert_non_null(c);
    c->run_id = 1;
    c->time_us = EPOCH_US;
    c->source = model_strdup(m, "C:\\logs\\" NASTY ".evtx");
    c->status = model_strdup(m, "partial");
    c->detail = model_strdup(m, NASTY);

    memset(&d, 0, sizeof d);
    assert_int_equal(diagnose(m, &d), 0);
    assert_true(d.n >= 2);
    assert_int_equal(report_build(&r, m, &d), 0);
    r.version = "0.0-test";

    r.color = 0;
    fp = tmp_out();
    assert_int_equal(render_text(&r, fp), 0);
    out->text = slurp(fp, &out->text_len);

    r.color = 1;
    fp = tmp_out();
    assert_int_equal(render_text(&r, fp), 0);
    out->color_text = slurp(fp, &out->color_len);
    r.color = 0;

    fp = tmp_out();
    assert_int_equal(render_html_begin(fp, 1), 0);
    assert_int_equal(render_html(&r, fp), 0);
    assert_int_equal(render_html_end(fp, 1), 0);
    out->html = slurp(fp, &out->html_len);

    fp = tmp_out();
    assert_int_equal(render_json_begin(fp, 1), 0);
    assert_int_equal(render_json(&r, fp), 0);
    assert_int_equal(render_json_end(fp, 1), 0);
    out->json = slurp(fp, &out->json_len);

    report_free(&r);
    diagnosis_free(&d);
    model_free(m);
}

static void rendered_free(struct rendered *o)
{
    free(o->text);
    free(o->color_text);
    free(o->html);
    free(o->json);
}

static void test_unit_invalid_utf8_html(void **state)
{
    struct tu_fx *f = *state;
    struct rendered o;

    render_nasty(&o);
    assert_html_clean("in-process html", o.html, o.html_len);
    char *p = tu_path(f->dir, "nasty.html");
    tu_write_file(p, o.html, o.html_len);
    check_html_file(f, p);
    /* \xff\xfe became two U+FFFD, the markup after it escaped */
    assert_non_null(strstr(o.html, "\xEF\xBF\xBD\xEF\xBF\xBD&lt;b&gt;bold&lt;/b&gt;"));
    assert_non_null(strstr(o.html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    free(p);
    rendered_free(&o);
}

static void test_unit_invalid_utf8_json(void **state)
{
    struct tu_fx *f = *state;
    struct rendered o;

    render_nasty(&o);
    assert_utf8("in-process json", o.json, o.json_len);
    char *p = tu_path(f->dir, "nasty.json");
    tu_write_file(p, o.json, o.json_len);
    check_json_file(f, p, "");
    assert_non_null(strstr(o.json, "\xEF\xBF\xBD\xEF\xBF\xBD<b>bold</b> \\u001b[31mRED"));
    free(p);
    rendered_free(&o);
}

static void test_unit_invalid_utf8_text(void **state)
{
    struct rendered o;
    (void)state;

    render_nasty(&o);
    assert_utf8("in-process text", o.text, o.text_len);
    assert_no_controls("in-process text", o.text, o.text_len);
    assert_non_null(strstr(o.text, "Host:       HOST-\xEF\xBF\xBD\xEF\xBF\xBD<b>bold</b> \xEF\xBF\xBD[31mRED"));

    /* with colour on, the only escapes are the renderer's own SGR codes */
    assert_utf8("in-process colour text", o.color_text, o.color_len);
    size_t n = 0, seq = 0;
    char *plain = malloc(o.color_len + 1);
    assert_non_null(plain);
    for (size_t i = 0; i < o.color_len; i++) {
        if (o.color_text[i] == 0x1b) {
            size_t k = i + 1;
            if (k >= o.color_len || o.color_text[k] != '[')
                fail_msg("colour text: ESC not followed by '[' at offset %zu", i);
            k++;
            while (k < o.color_len && ((o.color_text[k] >= '0' && o.color_text[k] <= '9') ||
                                       o.color_text[k] == ';'))
                k++;
            if (k >= o.color_len || o.color_text[k] != 'm')
                fail_msg("colour text: escape at offset %zu is not SGR: \"%.12s\"", i,
                         o.color_text + i + 1);
            i = k;
            seq++;
            continue;
        }
        plain[n++] = o.color_text[i];
    }
    plain[n] = '\0';
    assert_true(seq > 0);
    assert_no_controls("in-process colour text without SGR", plain, n);
    free(plain);
    rendered_free(&o);
}

/* ---- 3c. owned strings: nothing cut, dropped evidence counted ------------------ */

/* n code points from a mix of 1-, 2-, 3- and 4-byte UTF-8 characters. */
static char *mixed_utf8(size_t n)
{
    static const char *const cps[] = {"a", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80"};
    struct strbuf sb;
    sb_init(&sb);
    for (size_t i = 0; i < n; i++)
        sb_adds(&sb, cps[i % 4]);
    assert_int_equal(sb.oom, 0);
    return sb_detach(&sb);
}

/* The first n code points of a valid UTF-8 string, malloc'd. */
static char *first_cps(const char *s, size_t n)
{
    size_t i = 0;
    for (size_t k = 0; s[i] && k < n; k++)
        do
            i++;
        while (((unsigned char)s[i] & 0xC0) == 0x80);
    return tu_fmt("%.*s", (int)i, s);
}

/* The longest prefix of s that fits in cols display columns, malloc'd. */
static char *first_cols(const char *s, size_t cols)
{
    return tu_fmt("%.*s", (int)dw_prefix(s, strlen(s), cols, NULL), s);
}

/* s as a text-report cell of width columns that it overflows: what fits in
 * width - 1 columns, "…", and blanks up to width (a wide character that
 * did not fit leaves one). */
static char *cut_cell(const char *s, size_t width)
{
    size_t w, n = dw_prefix(s, strlen(s), width - 1, &w);
    return tu_fmt("%.*s\xE2\x80\xA6%*s", (int)n, s, (int)(width - 1 - w), "");
}

/* The rest of the line of s that starts after `prefix`, malloc'd. */
static char *line_after(const char *s, const char *prefix)
{
    const char *p = strstr(s, prefix);
    if (!p)
        fail_msg("no line with \"%s\" in:\n%s", prefix, s);
    p += strlen(prefix);
    return tu_fmt("%.*s", (int)strcspn(p, "\n"), p);
}

struct rendered_one {
    char *text, *html, *json;
};

static void render_one(struct report *r, struct rendered_one *out)
{
    size_t len;
    FILE *fp;

    r->version = "0.0-test";
    r->color = 0;
    fp = tmp_out();
    assert_int_equal(render_text(r, fp), 0);
    out->text = slurp(fp, &len);
    assert_utf8("text", out->text, len);
    assert_no_controls("text", out->text, len);
    fp = tmp_out();
    assert_int_equal(render_html_begin(fp, 1), 0);
    assert_int_equal(render_html(r, fp), 0);
    assert_int_equal(render_html_end(fp, 1), 0);
    out->html = slurp(fp, &len);
    assert_html_clean("html", out->html, len);
    fp = tmp_out();
    assert_int_equal(render_json_begin(fp, 1), 0);
    assert_int_equal(render_json(r, fp), 0);
    assert_int_equal(render_json_end(fp, 1), 0);
    out->json = slurp(fp, &len);
    assert_utf8("json", out->json, len);
}

static void rendered_one_free(struct rendered_one *o)
{
    free(o->text);
    free(o->html);
    free(o->json);
}

/*
 * Fifteen install failures of an update with a 10 kB title: ten pieces of
 * evidence kept (each whole), five counted; plus a finding made with the
 * rule API whose title and evidence are 10 kB.  JSON and HTML carry them
 * whole; every format says "and 5 more"; the text report shortens the
 * 10 kB values visibly and says so.
 */
static void test_unit_long_strings_whole(void **state)
{
    struct tu_fx *f = *state;
    const int64_t hour = 3600000000LL, t0 = EPOCH_US - 86400LL * 1000000LL;
    struct model *m = model_new();
    struct diagnosis d;
    struct report r;
    struct rendered_one o;
    char *big = mixed_utf8(10 * 1024);        /* 10 k characters, ~25 kB */
    char *big2 = tu_fmt("Title %s end", big);

    assert_non_null(m);
    assert_non_null(big);
    m->host = model_strdup(m, "HOST-LONG");
    m->generated_us = EPOCH_US;
    for (int i = 0; i < 15; i++)
        add_wu(m, t0 + i * hour, 20, 2, 0x80070422, big, "{LONG}");
    memset(&d, 0, sizeof d);
    assert_int_equal(diagnose(m, &d), 0);
    const struct finding *inst = NULL;
    for (size_t i = 0; i < d.n; i++)
        if (strcmp(d.findings[i].rule, "install-failures") == 0)
            inst = &d.findings[i];
    assert_non_null(inst);
    assert_int_equal(inst->nevidence, FINDING_MAX_EVIDENCE);
    assert_int_equal(inst->evidence_more, 5);
    for (size_t i = 0; i < inst->nevidence; i++)
        assert_non_null(strstr(inst->evidence[i].text, big));
    /* a finding made as a rule makes it: 10 kB title and evidence */
    struct finding *lf = finding_new(&d, "test-long", SEV_WARNING, NULL);
    assert_non_null(lf);
    finding_set_title(lf, "%s", big2);
    finding_add_evidence(lf, t0, 0, "evidence %s", big2);
    lf->count = 1;
    assert_int_equal(lf->oom, 0);
    assert_string_equal(lf->title, big2);
    assert_int_equal(report_build(&r, m, &d), 0);
    render_one(&r, &o);

    /* JSON: whole strings, and the count of what was dropped */
    assert_non_null(strstr(o.json, big2));
    assert_non_null(strstr(o.json, "\"evidence_more\":5"));
    char *p = tu_path(f->dir, "long.json");
    char *bigp = tu_path(f->dir, "big.txt");
    tu_write_str(p, o.json);
    tu_write_str(bigp, big);
    check_json_file(f, p, "");
    struct tu_run py;
    tu_run(&py, "python3 -c %s %s %s", tu_shq(
        "import json,sys\n"
        "d=json.load(open(sys.argv[1],encoding='utf-8'))\n"
        "big=open(sys.argv[2],encoding='utf-8').read()\n"
        "assert len(big)==10240, len(big)\n"
        "f={x['rule']:x for x in d['findings']}\n"
        "i=f['install-failures']\n"
        "assert len(i['evidence'])==10 and i['evidence_more']==5 and i['count']==15\n"
        "assert all(e['text'].endswith(': '+big) for e in i['evidence'])\n"
        "t=f['test-long']\n"
        "assert t['title']=='Title '+big+' end'\n"
        "assert t['evidence'][0]['text']=='evidence Title '+big+' end'\n"
        "assert 'evidence_more' not in t\n"
        "print('ok')\n"), tu_shq(p), tu_shq(bigp));
    if (strncmp(py.out, "ok", 2) != 0) {
        tu_run_dump(&py);
        fail_msg("the long strings are not whole in the JSON report");
    }
    tu_run_free(&py);

    /* HTML: whole too, and "and 5 more" under the evidence */
    assert_non_null(strstr(o.html, big2));
    assert_non_null(strstr(o.html, "</li>\n<li class=\"more\">and 5 more</li>\n</ul>"));

    /* text: "and 5 more" under the evidence; the 10 kB values cut visibly */
    assert_non_null(strstr(o.text, "Evidence (latest):\n"));
    assert_non_null(strstr(o.text, "\n      (and 5 more)\n"));
    /* "Title " and 1993 characters of big: 1999, then the ellipsis; the
     * long word has wide characters, so it wraps between them: join the
     * continuation lines to compare */
    char *cut = first_cps(big, 1993);
    char *want = tu_fmt("[3] WARNING  Title %s\xE2\x80\xA6", cut);
    struct strbuf joined;
    sb_init(&joined);
    for (const char *q = o.text; *q;) {
        if (strncmp(q, "\n             ", 14) == 0 && q[14] != ' ' && q[14] != '(') {
            q += 14;
            continue;
        }
        sb_addc(&joined, *q++);
    }
    assert_int_equal(joined.oom, 0);
    assert_non_null(strstr(joined.buf, want));
    sb_reset(&joined);                      /* words: lines joined by a blank */
    for (const char *q = o.text; *q;) {
        if (strncmp(q, "\n             ", 14) == 0 && q[14] != ' ') {
            sb_addc(&joined, ' ');
            q += 14;
            continue;
        }
        sb_addc(&joined, *q++);
    }
    assert_int_equal(joined.oom, 0);
    assert_non_null(strstr(joined.buf, "\xE2\x80\xA6 (8251 more characters: the JSON and HTML"));
    sb_free(&joined);
    free(want);
    free(cut);
    assert_null(strstr(o.text, big));
    assert_int_equal(count_wide_lines("long text", o.text), 0);

    rendered_one_free(&o);
    report_free(&r);
    diagnosis_free(&d);
    model_free(m);
    free(p);
    free(bigp);
    free(big);
    free(big2);
}

/* Text columns too narrow for their value end in "…" at a character boundary. */
static void test_unit_text_column_cut_utf8(void **state)
{
    struct tu_fx *f = *state;
    const int64_t t0 = EPOCH_US - 86400LL * 1000000LL;
    struct model *m = model_new();
    struct diagnosis d;
    struct report r;
    struct rendered_one o;
    char *title = mixed_utf8(100);
    char *want, *got, *head;

    assert_non_null(m);
    m->host = model_strdup(m, "HOST-CUT");
    m->generated_us = EPOCH_US;
    add_wu(m, t0, 20, 2, 0x80073712, title, "{A}");
    add_wu(m, t0 + 1000000, 19, 4, 0, title, "{A}");
    memset(&d, 0, sizeof d);
    assert_int_equal(diagnose(m, &d), 0);
    assert_int_equal(report_build(&r, m, &d), 0);
    render_one(&r, &o);
    assert_int_equal(count_wide_lines("cut text", o.text), 0);

    /* with a code: 30 columns, "KB5072033 " then 19 columns and "…" (the
     * title has wide characters: one that does not fit leaves a blank) */
    got = line_after(o.text, "install failed   0x80073712 ");
    head = tu_fmt("KB5072033 %s", title);
    want = cut_cell(head, 30);
    assert_string_equal(got, want);
    free(got);
    free(head);
    free(want);
    /* without: 41 columns */
    got = line_after(o.text, "installed        ");
    head = tu_fmt("KB5072033 %s", title);
    want = cut_cell(head, 41);
    assert_string_equal(got, want);
    free(got);
    free(head);
    free(want);
    /* a symbol longer than its column */
    assert_non_null(strstr(o.text, "  0x80073712 ERROR_SXS_COMPONENT_STORE_C\xE2\x80\xA6 servicing "));
    /* JSON keeps the title whole */
    assert_non_null(strstr(o.json, title));
    rendered_one_free(&o);
    report_free(&r);
    diagnosis_free(&d);

    /* the fleet table: host name and main finding cut the same way */
    struct fleet fl;
    char *host = mixed_utf8(40);
    m->host = host;
    add_wu(m, t0 + 2000000, 20, 2, 0x80070422, "Other", "{B}");    /* open */
    memset(&d, 0, sizeof d);
    assert_int_equal(diagnose(m, &d), 0);
    fleet_init(&fl, EPOCH_US, 30, "0.0-test");
    assert_int_equal(fleet_add(&fl, m, &d), 0);
    fleet_finish(&fl);
    FILE *fp = tmp_out();
    size_t len;
    assert_int_equal(render_fleet_text(&fl, fp), 0);
    char *text = slurp(fp, &len);
    assert_utf8("fleet text", text, len);
    assert_int_equal(count_wide_lines("fleet text", text), 0);
    head = first_cols(host, 23);
    char *summary23 = first_cols(d.summary, 28);
    assert_int_equal(d.verdict, VERDICT_CRITICAL);
    want = tu_fmt("\n  %s\xE2\x80\xA6 critical  2025-12-31  %s\xE2\x80\xA6\n", head,
                  summary23);
    if (!strstr(text, want))
        fail_msg("fleet row \"%s\" not in:\n%s", want, text);
    free(want);
    free(summary23);
    free(head);
    free(text);
    fp = tmp_out();
    assert_int_equal(render_fleet_json(&fl, fp), 0);
    char *json = slurp(fp, &len);
    assert_non_null(strstr(json, host));
    struct strbuf esc;
    sb_init(&esc);
    sb_json_str(&esc, d.summary);
    assert_non_null(strstr(json, esc.buf));
    sb_free(&esc);
    free(json);
    fleet_free(&fl);
    diagnosis_free(&d);
    model_free(m);
    free(host);
    free(title);
    (void)f;
}

/* ---- 4. -o FILE, --check, --host -------------------------------------------------- */

static void test_output_file(void **state)
{
    struct tu_fx *f = *state;
    struct tu_run r, ref;
    char *outdir = tu_path(f->dir, "out");
    char *out = tu_path(outdir, "report.html");
    size_t len;

    golden_db(f);
    if (mkdir(outdir, 0700) != 0)
        fail_msg("mkdir %s: %s", outdir, strerror(errno));
    tu_write_str(out, "stale content\n");           /* replaced, not appended to */

    reportf(&r, f->db, "--format html -o %s", tu_shq(out));
    tu_assert_exit(&r, 0);
    assert_int_equal(r.outlen, 0);
    assert_int_equal(r.errlen, 0);
    tu_run_free(&r);

    char *got = tu_read_file(out, &len);
    report(&ref, f->db, "--format html");
    tu_assert_exit(&ref, 0);
    assert_int_equal(len, ref.outlen);
    assert_memory_equal(got, ref.out, len);
    assert_int_equal(count_tmp_files(outdir), 0);
    tu_run_free(&ref);
    free(got);

    /* text through -o: never coloured, same bytes as the golden */
    char *txt = tu_path(outdir, "report.txt");
    reportf(&r, f->db, "-o %s", tu_shq(txt));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    char *gpath = tu_src_file("samples/golden/report.txt");
    size_t glen;
    char *want = tu_read_file(gpath, &glen);
    got = tu_read_file(txt, &len);
    assert_int_equal(len, glen);
    assert_memory_equal(got, want, len);
    assert_int_equal(count_tmp_files(outdir), 0);
    free(got);
    free(want);
    free(gpath);
    free(txt);
    free(out);
    free(outdir);
}

static void test_output_missing_dir(void **state)
{
    struct tu_fx *f = *state;
    struct tu_run r;
    char *missing = tu_path(f->dir, "no-such-dir");
    char *out = tu_path(missing, "report.json");

    golden_db(f);
    reportf(&r, f->db, "--format json -o %s", tu_shq(out));
    tu_assert_exit(&r, 3);
    assert_int_equal(r.outlen, 0);
    if (tu_count_lines(r.err) != 1 || !strstr(r.err, "no-such-dir")) {
        tu_run_dump(&r);
        fail_msg("expected one line on stderr naming the path");
    }
    assert_false(tu_exists(missing));
    assert_int_equal(count_tmp_files(f->dir), 0);
    tu_run_free(&r);
    free(out);
    free(missing);
}

static void test_check_golden(void **state)
{
    struct tu_fx *f = *state;
    struct tu_run r;

    golden_db(f);
    report(&r, f->db, "--check");
    tu_assert_exit(&r, 2);                           /* wuauserv disabled: critical */
    assert_string_equal(r.out, "critical\n");
    assert_int_equal(r.errlen, 0);
    tu_run_free(&r);

    /* --check ignores the format and -o: only the verdict line */
    char *out = tu_path(f->dir, "never.html");
    reportf(&r, f->db, "--check --format html -o %s", tu_shq(out));
    tu_assert_exit(&r, 2);
    assert_string_equal(r.out, "critical\n");
    assert_false(tu_exists(out));
    tu_run_free(&r);
    free(out);
}

static void test_check_no_database(void **state)
{
    struct tu_fx *f = *state;
    struct tu_run r;
    char *none = tu_path(f->dir, "missing.db");

    report(&r, none, "--check");
    tu_assert_exit(&r, 3);
    if (tu_count_lines(r.out) != 1 || strncmp(r.out, "unknown: ", 9) != 0) {
        tu_run_dump(&r);
        fail_msg("expected one line \"unknown: ...\"");
    }
    assert_false(tu_exists(none));                   /* a report creates nothing */
    tu_run_free(&r);
    free(none);
}

static void test_check_no_evidence(void **state)
{
    struct tu_fx *f = *state;
    struct tu_run r;

    /* a database made by importing only unrelated events */
    import_rel(f->db, QUIET_XML);
    assert_int_equal(tu_sql_int(f->db, "SELECT count(*) FROM events"), 0);

    report(&r, f->db, "--check");
    tu_assert_exit(&r, 3);
    if (tu_count_lines(r.out) != 1 || strncmp(r.out, "unknown: ", 9) != 0) {
        tu_run_dump(&r);
        fail_msg("expected one line \"unknown: ...\"");
    }
    tu_run_free(&r);

    /* without --check: exit 3 (no evidence), one line on stderr, no report */
    report(&r, f->db, "--format json");
    tu_assert_exit(&r, 3);
    assert_int_equal(r.outlen, 0);
    assert_int_equal(tu_count_lines(r.err), 1);
    tu_run_free(&r);
}

static void test_unknown_host(void **state)
{
    struct tu_fx *f = *state;
    struct tu_run r;

    golden_db(f);
    report(&r, f->db, "--host NOPE");
    if (r.status == 0 || !strstr(r.err, "NOPE")) {
        tu_run_dump(&r);
        fail_msg("report --host NOPE must fail with a message naming the host");
    }
    assert_int_equal(r.outlen, 0);
    tu_run_free(&r);

    report(&r, f->db, "--host NOPE --check");
    tu_assert_exit(&r, 3);
    assert_int_equal(tu_count_lines(r.out), 1);
    assert_int_equal(strncmp(r.out, "unknown: ", 9), 0);
    tu_run_free(&r);

    /* with -o, nothing is left behind */
    char *out = tu_path(f->dir, "nope.html");
    reportf(&r, f->db, "--host NOPE --format html -o %s", tu_shq(out));
    assert_int_not_equal(r.status, 0);
    assert_false(tu_exists(out));
    assert_int_equal(count_tmp_files(f->dir), 0);
    tu_run_free(&r);
    free(out);
}

/* ---- report --format summary ------------------------------------------------ */

/*
 * The summary of db from inside its directory (the "Report:" line names
 * --db as given, so the golden file holds no temporary path).
 */
static int summary(struct tu_run *r, const struct tu_fx *f, const char *args)
{
    return tu_run(r, "cd %s && env -u NO_COLOR SOURCE_DATE_EPOCH=" EPOCH
                  " %s --db report.db report --format summary %s", tu_shq(f->dir),
                  tu_shq(tu_bin()), args);
}

/* At most max_lines lines, each at most 80 display columns. */
static void assert_summary_fits(const char *what, const char *s, int max_lines)
{
    int lines = 0;
    for (const char *p = s; *p;) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        size_t w = dw_width_n(p, n);
        lines++;
        if (w > 80)
            fail_msg("%s: line %d is %zu columns: %.*s", what, lines, w, (int)n, p);
        if (!e)
            break;
        p = e + 1;
    }
    if (lines > max_lines || lines < 5)
        fail_msg("%s: %d lines (5..%d wanted):\n%s", what, lines, max_lines, s);
}

static void test_summary_golden(void **state)
{
    struct tu_fx *f = *state;
    struct tu_run r;
    golden_db(f);
    summary(&r, f, "");
    tu_assert_exit(&r, 0);
    char *gpath = tu_src_file("samples/golden/summary.txt");
    size_t glen;
    char *g = tu_read_file(gpath, &glen);
    if (r.outlen != glen || memcmp(r.out, g, glen) != 0) {
        tu_run_dump(&r);
        fail_msg("report --format summary differs from samples/golden/summary.txt; if the "
                 "change is intended, run tools/update-golden.sh and review the diff");
    }
    assert_summary_fits("golden summary", g, 12);
    assert_no_controls("golden summary", g, glen);
    /* what a ticket needs, from the golden fixture */
    static const char *const want[] = {
        "Host:      PC-GOLDEN - CRITICAL on 2026-01-01 00:00 UTC\n", "OS:        Windows 11",
        "Problem:   Windows Update service (wuauserv) is disabled",
        "Evidence:  service-disabled, 0x80070422 ERROR_SERVICE_DISABLED",
        "Fix:       Re-enable the Windows Update service (wuauserv)",
        "First cmd: sc.exe qc wuauserv\n", "Also open: install-failures (critical)",
        "Logs:      9 events 2025-12-02 .. 2025-12-12", "Installed: 2025-12-03 KB5066128",
        "Report:    wudiag --db report.db report --host PC-GOLDEN --format html",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (!strstr(g, want[i]))
            fail_msg("the golden summary lacks \"%s\"", want[i]);
    free(g);
    free(gpath);
    tu_run_free(&r);
}

/* --redact: no host name anywhere, not even in the "Report:" command. */
static void test_summary_redact(void **state)
{
    struct tu_fx *f = *state;
    struct tu_run r;
    golden_db(f);
    summary(&r, f, "--redact");
    tu_assert_exit(&r, 0);
    assert_summary_fits("redacted summary", r.out, 12);
    if (strstr(r.out, "PC-GOLDEN") || strstr(r.out, "pc-golden") || strstr(r.out, "report.db")) {
        tu_run_dump(&r);
        fail_msg("the redacted summary names the host or the database");
    }
    assert_non_null(strstr(r.out, "Host:      host-1 - CRITICAL"));
    assert_non_null(strstr(r.out, "--redact"));
    tu_run_free(&r);
}

/* Hostile names and titles, two hosts: one summary each (no fleet view),
 * each fitting, no control character, valid UTF-8; a healthy host too. */
static void test_summary_hostile_and_healthy(void **state)
{
    struct tu_fx *f = *state;
    struct tu_run r;
    hostile_db(f);
    summary(&r, f, "");
    tu_assert_exit(&r, 0);
    assert_no_controls("hostile summary", r.out, r.outlen);
    assert_utf8("hostile summary", r.out, r.outlen);
    char *two = strstr(r.out, "\n\nHost:");
    if (!two) {
        tu_run_dump(&r);
        fail_msg("two hosts should give two summaries");
    }
    two[1] = '\0';
    assert_summary_fits("hostile summary 1", r.out, 12);
    assert_summary_fits("hostile summary 2", two + 2, 12);
    tu_run_free(&r);

    char *db2 = tu_path(f->dir, "healthy.db");
    import_rel(db2, "samples/compare/after.xml");
    tu_run(&r, "cd %s && SOURCE_DATE_EPOCH=" EPOCH " %s --db healthy.db report --format "
           "summary", tu_shq(f->dir), tu_shq(tu_bin()));
    tu_assert_exit(&r, 0);
    assert_summary_fits("healthy summary", r.out, 12);
    assert_non_null(strstr(r.out, "Host:      PC-COMPARE - HEALTHY"));
    assert_non_null(strstr(r.out, "Problem:   none open (2 earlier problems resolved"));
    assert_non_null(strstr(r.out, "Fix:       none needed"));
    assert_non_null(strstr(r.out, "Installed: 2026-03-14 KB5053598"));
    tu_run_free(&r);
    free(db2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_golden_text, setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_golden_json, setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_golden_html, setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_golden_content, setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_golden_text_plain, setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_golden_text_80_columns, setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_json_golden_parses, setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_json_real_logs, setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_hostile_html, setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_hostile_json, setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_hostile_text, setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_unit_invalid_utf8_html, setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_unit_invalid_utf8_json, setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_unit_invalid_utf8_text, setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_unit_long_strings_whole, setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_unit_text_column_cut_utf8, setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_output_file, setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_output_missing_dir, setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_check_golden, setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_check_no_database, setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_check_no_evidence, setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_unknown_host, setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_summary_golden, setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_summary_redact, setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_summary_hostile_and_healthy, setup, tu_fx_teardown),
    };
    return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
