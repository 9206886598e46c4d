/*
 * test_hosts.c - one machine is one host (issue 14): a local log whose
 * records carry setup-phase or pre-rename names one after the other is
 * filed under the name of its latest records, the earlier names are kept
 * as aliases (host_aliases) and applied to later imports, to rows already
 * stored, to merges and to databases of schema version 6.  Interleaved
 * names, ForwardedEvents and --host keep one host per name as before.
 * Runs the built binary (WUDIAG_BIN) on samples/xml fixtures and on the
 * real logs in WUDIAG_DATA.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"
#include "store/store.h"

#define FINAL "PC-FINANCE-07"
#define OOBE "WIN-4F2R8KX1Q9M"


static void expect_db(const char *db, const char *sql, long long want)
{
    long long got = tu_sql_int(db, sql);
    if (got != want)
        fail_msg("%s -> %lld, expected %lld", sql, got, want);
}

static void expect_text(const char *db, const char *sql, const char *want)
{
    char *got = tu_sql_text(db, sql);
    if (!got || strcmp(got, want) != 0)
        fail_msg("%s -> \"%s\", expected \"%s\"", sql, got ? got : "(null)", want);
    free(got);
}

static void assert_contains(const char *hay, const char *needle, const char *what)
{
    if (!hay || !strstr(hay, needle))
        fail_msg("%s \"%s\" does not contain \"%s\"", what, hay ? hay : "(null)", needle);
}

/* Sound database: integrity, foreign keys, no host without rows. */
static void assert_sound(const char *db)
{
    expect_text(db, "PRAGMA integrity_check", "ok");
    expect_db(db, "SELECT count(*) FROM pragma_foreign_key_check", 0);
    expect_db(db, "SELECT count(*) FROM hosts h WHERE NOT EXISTS (SELECT 1 FROM"
                  " events e WHERE e.host_id = h.id) AND NOT EXISTS (SELECT 1 FROM"
                  " runs r WHERE r.host_id = h.id)", 0);
}

/* wudiag --db DB import [opt] FILES...; the exit code must be want. */
static void import_rc(const char *db, const char *args, int want, char **out)
{
    struct tu_run r;
    tu_run(&r, "%s --db %s import %s", tu_shq(tu_bin()), tu_shq(db), args);
    tu_assert_exit(&r, want);
    if (out)
        *out = tu_strdup(r.out ? r.out : "");
    tu_run_free(&r);
}

static void import_files(const char *db, const char *files)
{
    import_rc(db, files, 0, NULL);
}

static char *fixture(const char *name)
{
    char *rel = tu_fmt("samples/xml/%s", name);
    char *p = tu_src_file(rel);
    char *q = tu_strdup(tu_shq(p));
    free(rel);
    free(p);
    return q;
}

/* The one host the JSON report names (a plain wudiag.report/1 object). */
static void expect_report_host(const char *db, const char *host)
{
    struct tu_run r;
    char *want = tu_fmt("\"host\":\"%s\"", host);
    tu_run(&r, "%s --db %s report --format json", tu_shq(tu_bin()), tu_shq(db));
    if (r.status > 2) {
        tu_run_dump(&r);
        fail_msg("report failed");
    }
    assert_contains(r.out, "\"schema\":\"wudiag.report/1\"", "report");
    assert_contains(r.out, want, "report");
    tu_run_free(&r);
    free(want);
}

/* ---- one file ------------------------------------------------------------ */

/* MINWINPC (WinPE), WIN-... (OOBE), then the owner's name: one host. */
static void test_rename_in_one_file(void **state)
{
    struct tu_fx *f = *state;
    char *xml = fixture("rename-setup-names.xml"), *out = NULL;

    import_rc(f->db, xml, 0, &out);
    assert_contains(out, "10 read, 10 stored, 0 unrelated, 0 duplicates", "summary");
    expect_db(f->db, "SELECT count(*) FROM hosts", 1);
    expect_text(f->db, "SELECT name FROM hosts", FINAL);
    expect_db(f->db, "SELECT count(*) FROM events e JOIN hosts h ON h.id = e.host_id"
                     " WHERE h.name = '" FINAL "'", 10);
    /* the service states of the setup-phase records follow them */
    expect_db(f->db, "SELECT count(*) FROM service_states s JOIN hosts h"
                     " ON h.id = s.host_id WHERE h.name = '" FINAL "'", 2);
    expect_db(f->db, "SELECT count(*) FROM runs r JOIN hosts h ON h.id = r.host_id"
                     " WHERE h.name = '" FINAL "'", 1);
    /* each event keeps the Computer it carried */
    expect_db(f->db, "SELECT count(*) FROM events WHERE computer = 'MINWINPC'", 3);
    expect_text(f->db, "SELECT group_concat(alias || '>' || host, ' ') FROM"
                       " (SELECT * FROM host_aliases ORDER BY alias)",
                "MINWINPC>" FINAL " " OOBE ">" FINAL);
    assert_sound(f->db);
    expect_report_host(f->db, FINAL);
    free(out);
    free(xml);
}

/* Two machines interleaved in one export stay two; nothing is learned. */
static void test_interleaved_stay_two(void **state)
{
    struct tu_fx *f = *state;
    char *xml = fixture("two-machines.xml");

    import_files(f->db, xml);
    expect_db(f->db, "SELECT count(*) FROM hosts", 2);
    expect_db(f->db, "SELECT count(*) FROM host_aliases", 0);
    expect_db(f->db, "SELECT count(*) FROM events e JOIN hosts h ON h.id = e.host_id"
                     " WHERE h.name = 'LAB-PC2'", 3);
    free(xml);
}

/* ForwardedEvents hold many machines: one host per Computer, even when
 * they follow each other in time; so do names in different channels. */
static void test_forwarded_and_hostile_per_computer(void **state)
{
    struct tu_fx *f = *state;
    char *xml = fixture("forwarded-events.xml");
    char *hostile = tu_src_file("samples/report/hostile.xml");
    char *db2 = tu_path(f->dir, "hostile.db");

    import_files(f->db, xml);
    expect_db(f->db, "SELECT count(*) FROM hosts", 3);
    expect_db(f->db, "SELECT count(*) FROM host_aliases", 0);
    import_files(db2, tu_shq(hostile));
    expect_db(db2, "SELECT count(*) FROM hosts", 2);
    expect_db(db2, "SELECT count(*) FROM host_aliases", 0);
    free(db2);
    free(hostile);
    free(xml);
}

/* --host NAME files everything under NAME and learns nothing. */
static void test_host_option(void **state)
{
    struct tu_fx *f = *state;
    char *xml = fixture("rename-setup-names.xml");
    char *args = tu_fmt("--host TICKET-42 %s", xml);

    import_files(f->db, args);
    expect_db(f->db, "SELECT count(*) FROM hosts", 1);
    expect_text(f->db, "SELECT name FROM hosts", "TICKET-42");
    expect_db(f->db, "SELECT count(*) FROM host_aliases", 0);
    expect_db(f->db, "SELECT count(*) FROM events", 10);
    free(args);
    free(xml);
}

/* ---- several files ---------------------------------------------------------- */

/* The alias-only file first: its host goes away when the rename is learned;
 * its events that the rename file holds too are duplicates, not losses. */
static void test_alias_learned_later(void **state)
{
    struct tu_fx *f = *state;
    char *alias = fixture("alias-only.xml"), *rename = fixture("rename-setup-names.xml");
    char *out = NULL;

    import_files(f->db, alias);
    expect_text(f->db, "SELECT group_concat(name) FROM hosts", OOBE);
    import_rc(f->db, rename, 0, &out);
    assert_contains(out, "10 read, 7 stored, 0 unrelated, 3 duplicates", "summary");
    expect_db(f->db, "SELECT count(*) FROM hosts", 1);
    expect_text(f->db, "SELECT name FROM hosts", FINAL);
    expect_db(f->db, "SELECT count(*) FROM events", 11);
    expect_db(f->db, "SELECT count(*) FROM events WHERE channel = 'Setup'", 1);
    expect_db(f->db, "SELECT count(*) FROM service_states", 2);
    expect_db(f->db, "SELECT count(DISTINCT host_id) FROM runs", 1);
    assert_sound(f->db);
    expect_report_host(f->db, FINAL);
    free(out);
    free(alias);
    free(rename);
}

/* The alias known first: the alias-only file lands on the final host. */
static void test_alias_known_first(void **state)
{
    struct tu_fx *f = *state;
    char *alias = fixture("alias-only.xml"), *rename = fixture("rename-setup-names.xml");
    char *out = NULL;

    import_files(f->db, rename);
    import_rc(f->db, alias, 0, &out);
    assert_contains(out, "4 read, 1 stored, 0 unrelated, 3 duplicates", "summary");
    expect_db(f->db, "SELECT count(*) FROM hosts", 1);
    expect_db(f->db, "SELECT count(*) FROM events", 11);
    expect_db(f->db, "SELECT count(*) FROM service_states", 2);
    assert_sound(f->db);
    free(out);
    free(alias);
    free(rename);
}

static const char ev_fmt[] =
    "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"><System>"
    "<Provider Name=\"Microsoft-Windows-WindowsUpdateClient\"/><EventID>%d</EventID>"
    "<Level>4</Level><TimeCreated SystemTime=\"%s\"/><EventRecordID>%d</EventRecordID>"
    "<Channel>%s</Channel><Computer>%s</Computer></System><EventData>"
    "<Data Name=\"updateTitle\">Security Intelligence Update (KB2267602)</Data>"
    "</EventData></Event>\n";

static char *write_events(struct tu_fx *f, const char *name, const char *xml)
{
    char *p = tu_path(f->dir, name);
    char *q;
    tu_write_str(p, xml);
    q = tu_strdup(tu_shq(p));
    free(p);
    return q;
}

/*
 * The same record stored under the alias host and under the final host
 * (two exports that named it differently): when the alias is learned it is
 * one event, the run's counts say so, nothing else is lost.
 */
static void test_duplicate_when_moving(void **state)
{
    struct tu_fx *f = *state;
    char *rename = fixture("rename-setup-names.xml");
    char *a = tu_fmt(ev_fmt, 44, "2026-03-01T10:22:00.0000000Z", 6, "System", OOBE);
    char *b = tu_fmt(ev_fmt, 44, "2026-03-01T10:22:00.0000000Z", 6, "System", FINAL);
    char *c = tu_fmt(ev_fmt, 19, "2026-03-04T10:00:00.0000000Z", 11, "System", FINAL);
    char *bc = tu_fmt("%s%s", b, c);
    char *fa = write_events(f, "a.xml", a), *fb = write_events(f, "b.xml", bc);
    char *both = tu_fmt("%s %s", fa, fb);

    import_files(f->db, both);
    expect_db(f->db, "SELECT count(*) FROM hosts", 2);
    import_files(f->db, rename);
    expect_db(f->db, "SELECT count(*) FROM hosts", 1);
    /* 10 records of the rename file (record 6 once) and record 11 */
    expect_db(f->db, "SELECT count(*) FROM events", 11);
    expect_db(f->db, "SELECT count(*) FROM events WHERE record_id = 6", 1);
    assert_sound(f->db);
    free(both);
    free(fa);
    free(fb);
    free(a);
    free(b);
    free(c);
    free(bc);
    free(rename);
}

/*
 * MINWINPC is every machine's WinPE name: two machines that both went
 * through it keep their own records, and a later file that only says
 * MINWINPC cannot be placed (ambiguous): it stays under MINWINPC.
 */
static void test_setup_name_of_two_machines(void **state)
{
    struct tu_fx *f = *state;
    char *rename = fixture("rename-setup-names.xml");
    char *o1 = tu_fmt(ev_fmt, 44, "2026-05-01T10:00:00.0000000Z", 1, "System", "MINWINPC");
    char *o2 = tu_fmt(ev_fmt, 19, "2026-05-02T10:00:00.0000000Z", 2, "System", "PC-HR-02");
    char *o12 = tu_fmt("%s%s", o1, o2);
    char *lone = tu_fmt(ev_fmt, 44, "2026-06-01T10:00:00.0000000Z", 7, "Setup", "MINWINPC");
    char *other = write_events(f, "hr.xml", o12), *only = write_events(f, "pe.xml", lone);

    import_files(f->db, rename);
    import_files(f->db, other);
    expect_db(f->db, "SELECT count(*) FROM hosts", 2);
    expect_db(f->db, "SELECT count(*) FROM events e JOIN hosts h ON h.id = e.host_id"
                     " WHERE h.name = 'PC-HR-02' AND e.computer = 'MINWINPC'", 1);
    expect_db(f->db, "SELECT count(*) FROM events e JOIN hosts h ON h.id = e.host_id"
                     " WHERE h.name = '" FINAL "' AND e.computer = 'MINWINPC'", 3);
    import_files(f->db, only);
    expect_db(f->db, "SELECT count(*) FROM hosts", 3);
    expect_db(f->db, "SELECT count(*) FROM events e JOIN hosts h ON h.id = e.host_id"
                     " WHERE h.name = 'MINWINPC'", 1);
    assert_sound(f->db);
    free(other);
    free(only);
    free(o1);
    free(o2);
    free(o12);
    free(lone);
    free(rename);
}

/* More names than one machine ever has (here 70, one after the other, as
 * a collector's export of many machines can be): nothing is learned. */
static void test_many_names_learn_nothing(void **state)
{
    struct tu_fx *f = *state;
    char *all = tu_strdup(""), *file;

    for (int i = 0; i < 70; i++) {
        char t[64], name[32], *e, *n;
        snprintf(t, sizeof t, "2026-07-%02dT%02d:00:00.0000000Z", 1 + i / 24, i % 24);
        snprintf(name, sizeof name, "KIOSK-%02d", i);
        e = tu_fmt(ev_fmt, 19, t, i + 1, "System", name);
        n = tu_fmt("%s%s", all, e);
        free(all);
        free(e);
        all = n;
    }
    file = write_events(f, "kiosks.xml", all);
    import_files(f->db, file);
    expect_db(f->db, "SELECT count(*) FROM hosts", 70);
    expect_db(f->db, "SELECT count(*) FROM host_aliases", 0);
    expect_db(f->db, "SELECT count(*) FROM events", 70);
    free(file);
    free(all);
}

/* ---- merge, and the fleet commands ---------------------------------------- */

static void merge(const char *out, const char *dbs)
{
    struct tu_run r;
    tu_run(&r, "%s merge -o %s %s", tu_shq(tu_bin()), tu_shq(out), dbs);
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
}

/* One DB knows only the alias host, the other knows the alias: the fleet
 * has one host in either order, and merging again adds nothing. */
static void test_merge_carries_aliases(void **state)
{
    struct tu_fx *f = *state;
    char *alias = fixture("alias-only.xml"), *rename = fixture("rename-setup-names.xml");
    char *db1 = tu_path(f->dir, "oobe.db"), *db2 = tu_path(f->dir, "final.db");
    char *fl1 = tu_path(f->dir, "fleet1.db"), *fl2 = tu_path(f->dir, "fleet2.db");
    char *order1 = tu_fmt("%s %s", tu_shq(db1), tu_shq(db2));
    char *order2 = tu_fmt("%s %s", tu_shq(db2), tu_shq(db1));
    struct tu_run r;

    import_files(db1, alias);
    import_files(db2, rename);
    merge(fl1, order1);
    merge(fl2, order2);
    for (int i = 0; i < 2; i++) {
        const char *fl = i ? fl2 : fl1;
        expect_db(fl, "SELECT count(*) FROM hosts", 1);
        expect_text(fl, "SELECT name FROM hosts", FINAL);
        expect_db(fl, "SELECT count(*) FROM events", 11);
        expect_db(fl, "SELECT count(*) FROM host_aliases", 2);
        expect_db(fl, "SELECT count(*) FROM runs", 2);
        assert_sound(fl);
    }
    merge(fl1, order2);
    expect_db(fl1, "SELECT count(*) FROM runs", 2);
    expect_db(fl1, "SELECT count(*) FROM events", 11);
    expect_db(fl1, "SELECT count(*) FROM hosts", 1);

    /* history, export and prune see the one host */
    expect_report_host(fl1, FINAL);
    tu_run(&r, "%s --db %s export --format csv", tu_shq(tu_bin()), tu_shq(fl1));
    tu_assert_exit(&r, 0);
    assert_int_equal(tu_count_lines(r.out), 12);       /* header + 11 */
    /* host.name, the second column, is the final name on every line */
    for (const char *l = strchr(r.out, '\n'); l && l[1]; l = strchr(l + 1, '\n')) {
        const char *c = strchr(l + 1, ',');
        if (!c || strncmp(c + 1, FINAL ",", sizeof FINAL) != 0)
            fail_msg("export names another host: %.80s", l + 1);
    }
    tu_run_free(&r);
    tu_run(&r, "%s --db %s history --host " FINAL, tu_shq(tu_bin()), tu_shq(fl1));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    tu_run(&r, "%s --db %s prune --keep-days 36500", tu_shq(tu_bin()), tu_shq(fl1));
    tu_assert_exit(&r, 0);
    tu_run_free(&r);
    expect_db(fl1, "SELECT count(*) FROM hosts", 1);
    expect_db(fl1, "SELECT count(*) FROM events", 11);
    free(order1);
    free(order2);
    free(db1);
    free(db2);
    free(fl1);
    free(fl2);
    free(alias);
    free(rename);
}

/* A database of schema version 6 with a machine split over three hosts is
 * made one host when it is opened (migration 007's backfill). */
static void test_upgrade_from_v6(void **state)
{
    struct tu_fx *f = *state;
    char *rename = fixture("rename-setup-names.xml");
    sqlite3 *db = NULL;
    char *msg = NULL;

    import_files(f->db, rename);
    if (sqlite3_open(f->db, &db) != SQLITE_OK ||
        sqlite3_exec(db,
            "INSERT INTO hosts(name) VALUES ('MINWINPC'), ('" OOBE "');"
            "UPDATE service_states SET host_id = (SELECT id FROM hosts WHERE name ="
            " 'MINWINPC') WHERE time_us < (SELECT min(time_us) FROM events WHERE"
            " computer = '" OOBE "');"
            "UPDATE events SET host_id = (SELECT id FROM hosts h WHERE h.name ="
            " events.computer) WHERE computer <> '" FINAL "';"
            "DROP TABLE host_aliases; PRAGMA user_version = 6;", NULL, NULL, &msg)
        != SQLITE_OK)
        fail_msg("making a v6 database: %s", msg ? msg : sqlite3_errmsg(db));
    sqlite3_close(db);
    expect_db(f->db, "SELECT count(*) FROM hosts", 3);
    expect_report_host(f->db, FINAL);
    expect_db(f->db, "PRAGMA user_version", store_latest_version());
    expect_db(f->db, "SELECT count(*) FROM hosts", 1);
    expect_db(f->db, "SELECT count(*) FROM events", 10);
    expect_db(f->db, "SELECT count(*) FROM service_states s JOIN hosts h"
                     " ON h.id = s.host_id WHERE h.name = '" FINAL "'", 2);
    expect_db(f->db, "SELECT count(*) FROM host_aliases", 2);
    assert_sound(f->db);
    free(rename);
}

/* ---- the real logs ---------------------------------------------------------- */

/* A case folder (or one file) imported in both orders: one host, and the
 * event and service-state totals of the two-host days. */
static void check_real(struct tu_fx *f, const char *glob_fwd, const char *glob_rev,
                       const char *host, long long events, long long states)
{
    for (int i = 0; i < 2; i++) {
        char *db = tu_path(f->dir, i ? "rev.db" : "fwd.db");
        import_rc(db, i ? glob_rev : glob_fwd, 0, NULL);
        expect_db(db, "SELECT count(*) FROM hosts", 1);
        expect_db(db, "SELECT count(*) FROM events", events);
        expect_db(db, "SELECT count(*) FROM service_states", states);
        expect_report_host(db, host);
        assert_sound(db);
        free(db);
    }
}

static void test_real_dikimevi(void **state)
{
    /* System.evtx and Bits-Client: DESKTOP-VRKVT78 (records 1-61, the image
     * it was made from), then WIN-G63285SG18P, the name its latest records
     * carry; Setup.evtx knows only that one */
    char *d = tu_data_file("cases/dikimevi-win10-empty-operational");
    char *fwd = tu_fmt("%s/*.evtx", tu_shq(d));
    char *rev = tu_fmt("%s/Setup.evtx %s/WindowsUpdateClient-Operational.evtx "
                       "%s/System.evtx %s/Bits-Client-Operational.evtx",
                       tu_shq(d), tu_shq(d), tu_shq(d), tu_shq(d));
    /* with EventLog 6009 at each boot; five TrustedInstaller 7040s in
     * Turkish ("isteğe bağlı başlatma") */
    check_real(*state, fwd, rev, "WIN-G63285SG18P", 29, 5);
    free(fwd);
    free(rev);
    free(d);
}

static void test_real_aaronthopliss(void **state)
{
    char *d = tu_data_file("cases/aaronthopliss-win10-setupname");
    char *fwd = tu_fmt("%s/*.evtx", tu_shq(d));
    char *rev = tu_fmt("%s/System.evtx %s/Setup.evtx %s/Bits-Client-Operational.evtx",
                       tu_shq(d), tu_shq(d), tu_shq(d));
    check_real(*state, fwd, rev, "WIN-2TO3V41EH3L", 24, 6);
    free(fwd);
    free(rev);
    free(d);
}

static void test_real_system_win10(void **state)
{
    /* records 1-173 WIN-P4SIAA0SQCO, then DESKTOP-2KGM189; the clock jumps
     * back ten hours after the rename, so record order decides */
    char *p = tu_data_file("evtx/system-win10-2017.evtx");
    char *one = tu_strdup(tu_shq(p));
    check_real(*state, one, one, "DESKTOP-2KGM189", 414, 22);   /* 411 + three EventLog 6009 */
    free(one);
    free(p);
}

static void test_real_fukusuket(void **state)
{
    char *d = tu_data_file("cases/fukusuket-win11-ja");
    char *fwd = tu_fmt("%s/*.evtx", tu_shq(d));
    char *rev = tu_fmt("%s/Setup.evtx %s/Bits-Client-Operational.evtx "
                       "%s/WindowsUpdateClient-Operational.evtx %s/System.evtx",
                       tu_shq(d), tu_shq(d), tu_shq(d), tu_shq(d));
    check_real(*state, fwd, rev, "FUKUSUKE16E9", 309, 17);   /* ja-JP 7040 words known */
    free(fwd);
    free(rev);
    free(d);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, tu_fx_setup, tu_fx_teardown)
    const struct CMUnitTest tests[] = {
        T(test_rename_in_one_file),
        T(test_interleaved_stay_two),
        T(test_forwarded_and_hostile_per_computer),
        T(test_host_option),
        T(test_alias_learned_later),
        T(test_alias_known_first),
        T(test_duplicate_when_moving),
        T(test_setup_name_of_two_machines),
        T(test_many_names_learn_nothing),
        T(test_merge_carries_aliases),
        T(test_upgrade_from_v6),
        T(test_real_dikimevi),
        T(test_real_aaronthopliss),
        T(test_real_system_win10),
        T(test_real_fukusuket),
    };
#undef T
    return cmocka_run_group_tests_name("hosts", tests, NULL, NULL);
}
