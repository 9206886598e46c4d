/*
 * fuzz_code.c - libFuzzer target for everything that parses a code, a
 * time or a name out of text: kb_parse_code (`wudiag explain`, also run
 * whole in text and JSON form), kb_describe_facility, wu_parse_logged_code,
 * wu_decode_scm_binary, wu_parse_time, the service/state/start-type and
 * KB finders, the --since/--days parsers and the time formatters.
 *
 * Checks round trips (a parsed code printed as 0x%08X parses to itself; a
 * parsed time formatted and parsed again is the same second), bounded
 * NUL-terminated outputs, valid UTF-8, and valid JSON from `explain --json`.
 */
#include "fuzz_common.h"
#include "src/cli.h"
#include "diagnosis/diagnose.h"
#include "collector/filter.h"
#include "vocab/kb.h"
#include "collector/xmlevents.h"
#include "util/timeutil.h"

#include <inttypes.h>

static void fc_check_str(const char *what, const char *buf, size_t cap)
{
    size_t n = strnlen(buf, cap);
    if (n >= cap)
        fz_fail("%s: not NUL-terminated within %zu bytes", what, cap);
    if (fz_utf8_bad(buf, n) != (size_t)-1)
        fz_fail("%s: invalid UTF-8: \"%s\"", what, buf);
}

/* `wudiag explain [--json] s`, output captured; JSON must parse. */
static void fc_explain(const char *s, int json)
{
    struct fz_out out, err;
    char *argv[4];
    int argc = 0;

    if (fz_out_open(&out) != 0)
        return;
    if (fz_out_open(&err) != 0) {
        fz_out_free(&out);
        return;
    }
    struct cli cli = {":memory:", NULL, NULL, out.fp, err.fp, 0};
    argv[argc++] = (char *)"explain";
    if (json)
        argv[argc++] = (char *)"--json";
    argv[argc++] = (char *)s;
    argv[argc] = NULL;
    int rc = cmd_explain_entry.fn(&cli, argc, argv);
    fz_out_close(&out);
    fz_out_close(&err);
    if (rc != EXIT_OK && rc != EXIT_PARTIAL)
        fz_fail("explain of a parsed code exited %d", rc);
    if (fz_utf8_bad(out.buf, out.len) != (size_t)-1)
        fz_fail("explain output is not UTF-8");
    if (json && fz_json_valid(out.buf, out.len) != 0)
        fz_fail("explain --json is not valid JSON: %.*s", (int)out.len, out.buf);
    fz_out_free(&out);
    fz_out_free(&err);
}

static void fc_time_round_trip(const char *s)
{
    int64_t us, again;
    char t[64];

    if (wu_parse_time(s, &us) != 0)
        return;
    format_time(us, t, sizeof t);
    fc_check_str("format_time", t, sizeof t);
    if (strlen(t) != 19)        /* 23:59:60 on 9999-12-31 is year 10000 */
        return;
    if (wu_parse_time(t, &again) != 0)
        fz_fail("\"%s\" parsed, formatted as \"%s\", which does not parse", s, t);
    int64_t sec = us / 1000000 - (us < 0 && us % 1000000 ? 1 : 0);
    if (again != sec * 1000000)
        fz_fail("\"%s\" -> %" PRId64 " -> \"%s\" -> %" PRId64, s, us, t, again);
}

static int fuzz_code(const uint8_t *data, size_t size)
{
    char *s = fz_strndup(data, size);
    char buf[256], fac[128];
    uint32_t code = 0, again = 0;
    int64_t us;
    long days;
    int state;

    if (!s)
        return 0;
    if (kb_parse_code(s, &code) == 0) {
        snprintf(buf, sizeof buf, "0x%08" PRIX32, code);
        if (kb_parse_code(buf, &again) != 0 || again != code)
            fz_fail("\"%s\" -> %s does not parse back", s, buf);
        kb_describe_facility(code, fac, sizeof fac);
        fc_check_str("kb_describe_facility", fac, sizeof fac);
        if (s[0] != '-' || (s[1] >= '0' && s[1] <= '9')) {
            fc_explain(s, 0);
            fc_explain(s, 1);
        }
    }
    kb_code_find_symbol(s);
    /* any 32-bit value from the first bytes, and tiny buffers */
    uint32_t raw = 0;
    for (size_t i = 0; i < 4 && i < size; i++)
        raw = raw << 8 | data[i];
    kb_describe_facility(raw, fac, sizeof fac);
    fc_check_str("kb_describe_facility", fac, sizeof fac);
    for (size_t cap = 1; cap < 24; cap += 7) {
        kb_describe_facility(raw, fac, cap);
        if (strnlen(fac, cap) >= cap)
            fz_fail("kb_describe_facility overran a %zu-byte buffer", cap);
    }

    if (wu_parse_logged_code(s, &code) == 0 && !*s)
        fz_fail("an empty string parsed as a logged code");
    for (size_t cap = 1; cap <= sizeof buf; cap = cap * 3 + 1) {
        memset(buf, 'X', sizeof buf);
        if (wu_decode_scm_binary(s, buf, cap, &state) == 0) {
            fc_check_str("wu_decode_scm_binary", buf, cap);
            if (state < -1)
                fz_fail("wu_decode_scm_binary: state %d", state);
        }
    }
    fc_time_round_trip(s);
    for (size_t cap = 1; cap <= 16; cap += 5) {
        wu_find_kb(s, buf, cap);
        if (strnlen(buf, cap) >= cap)
            fz_fail("wu_find_kb overran a %zu-byte buffer", cap);
        if (buf[0] && strncmp(buf, "KB", cap < 3 ? cap - 1 : 2) != 0)
            fz_fail("wu_find_kb gave \"%s\"", buf);
    }
    wu_service_lookup(s);
    wu_start_type_canon(s);
    wu_state_canon(s);
    if (cli_parse_since(s, &us) == 0) {
        wu_iso_time(us, 1, buf, sizeof buf);
        fc_check_str("wu_iso_time", buf, sizeof buf);
    }
    if (cli_parse_days(s, 36500, &days) == 0 && (days < 0 || days > 36500))
        fz_fail("cli_parse_days gave %ld", days);

    /* any 64-bit time: the formatters must not overflow or overrun */
    if (size >= 8) {
        int64_t t = 0;
        memcpy(&t, data, 8);
        format_time(t, buf, sizeof buf);
        fc_check_str("format_time", buf, sizeof buf);
        wu_iso_time(t, 1, buf, sizeof buf);
        fc_check_str("wu_iso_time", buf, sizeof buf);
        wu_date(t, buf, sizeof buf);
        fc_check_str("wu_date", buf, sizeof buf);
        wu_day_start(t);
    }
    free(s);
    return 0;
}

FUZZ_ENTRY(fuzz_code)
