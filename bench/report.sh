#!/bin/sh
# bench/report.sh - report speed on a generated audit DB of 50 hosts x 1 year
# (1,000,000 events): the report of all hosts against the report of one
# host and against sqlite3 dumping that host's events as JSON, in
# interleaved pairs (bench/lib.sh); peak memory by GNU time.  Then one
# host's half year (--since) on databases holding 1x, 4x and 16x as many
# events outside it (the host's before the range, another host's inside):
# the report must cost the same (16x against 1x in pairs, goal <= 1.1).
# Usage: report.sh WUDIAG_BIN              (BENCH_RUNS pairs, default 7)
set -eu
BIN=$1
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
N=${BENCH_RUNS:-7}
TMP=${BENCH_TMP:-$(mktemp -d)}
[ -n "${BENCH_TMP:-}" ] || trap 'rm -rf "$TMP"' EXIT
DB=$TMP/fleet.db
if [ ! -s "$DB" ]; then
    printf '<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><Provider Name="x"/><EventID>1</EventID><TimeCreated SystemTime="2024-01-01T00:00:00Z"/></System></Event>' |
        "$BIN" --db "$DB" import - >/dev/null
    sqlite3 "$DB" < "$HERE/gen_fleet.sql" >/dev/null
fi
echo "report bench: $(sqlite3 "$DB" 'select count(*) from events') events," \
     "$(sqlite3 "$DB" 'select count(*) from hosts where name like "bench-%"') hosts, $N pairs"
rss() {
    /usr/bin/time -f '%M' -o "$TMP/t" "$@" >/dev/null 2>&1 || true
    awk '{printf "%.1f MB", $1 / 1024}' "$TMP/t"
}
pairs "$N" "'$BIN' --db '$DB' report --format json --host bench-host-07" \
      "sqlite3 -json '$DB' 'select * from events where host_id = 7'"
row "report, one host of 50" "$(fmt_s "$PAIR_A")" "sqlite3 -json $(fmt_s "$PAIR_B")" \
    "$PAIR_RATIO" "<= 1.0" "$(le "$PAIR_RATIO" 1.0)"
pairs "$N" "'$BIN' --db '$DB' report --format json" \
      "'$BIN' --db '$DB' report --format json --host bench-host-07"
all=$PAIR_A
row "report, all 50 hosts" "$(fmt_s "$PAIR_A")" "one host $(fmt_s "$PAIR_B")" \
    "$PAIR_RATIO" "<= 0.3 s" "$(le "$all" 300000000)"
echo "  peak RSS: one host $(rss "$BIN" --db "$DB" report --format json --host bench-host-07)," \
     "all hosts $(rss "$BIN" --db "$DB" report --format json) (goal < 64 MB)"

# ---- flat in the events outside the report's range and host ---------------------
# flat-M.db: host flat-host with 4000 update events in 2024-07..12 (the
# report's range) and M x 20000 events outside it: M x 10000 of flat-host
# in 2023 and M x 10000 of host flat-other in the range.
flat_db() {
    f=$TMP/flat-$1.db
    [ -s "$f" ] && return 0
    printf '<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><Provider Name="x"/><EventID>1</EventID><TimeCreated SystemTime="2024-01-01T00:00:00Z"/></System></Event>' |
        "$BIN" --db "$f" import - >/dev/null
    sqlite3 "$f" >/dev/null <<SQL
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
BEGIN;
INSERT INTO hosts(name) VALUES ('flat-host'), ('flat-other');
INSERT INTO runs(host_id, kind, source, started_us, finished_us, tool_version)
    SELECT id, 'import', 'bench', 1735689600000000, 1735689600000000, 'bench'
    FROM hosts WHERE name LIKE 'flat-%' ORDER BY id;
INSERT INTO coverage(run_id, source, status, detail)
    SELECT id, 'bench', 'ok', 'generated' FROM runs WHERE source = 'bench';
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 4000 + $1 * 20000 - 1),
ev AS (SELECT i, CASE WHEN i >= 4000 + $1 * 10000 THEN 'flat-other' ELSE 'flat-host' END AS host,
              i % 20 AS k,
              CASE WHEN i < 4000 THEN 1719792000000000 + i * 3974400000
                   WHEN i < 4000 + $1 * 10000
                   THEN 1672531200000000 + (i - 4000) * (31536000000000 / ($1 * 10000))
                   ELSE 1719792000000000 + (i % 4000) * 3974400000 END AS t,
              'KB' || (5000000 + (i / 20) % 300) AS kb FROM n)
INSERT INTO events(host_id, run_id, channel, provider, event_id, level, time_us, record_id,
                   computer, code, update_title, update_guid, kb, data, kind, outcome)
SELECT h.id, r.id, 'System', 'Microsoft-Windows-WindowsUpdateClient',
       CASE WHEN k < 6 THEN 44 WHEN k < 12 THEN 43 WHEN k < 19 THEN 19 ELSE 20 END,
       CASE WHEN k = 19 THEN 2 ELSE 4 END, t, i, host,
       CASE WHEN k = 19 THEN 2149842967 END,
       '2024 Cumulative Update for Windows 11 (' || kb || ')', '{' || kb || '-GUID}', kb,
       '{"updateTitle":"2024 Cumulative Update"}',
       CASE WHEN k < 6 THEN 'download' ELSE 'install' END,
       CASE WHEN k < 12 THEN 'started' WHEN k < 19 THEN 'succeeded' ELSE 'failed' END
FROM ev JOIN hosts h ON h.name = ev.host JOIN runs r ON r.host_id = h.id AND r.source = 'bench';
COMMIT;
SQL
}
for m in 1 4 16; do flat_db $m; done
flat_cmd() {
    echo "SOURCE_DATE_EPOCH=1735689600 '$BIN' --db '$TMP/flat-$1.db' report --format json --host flat-host --since 2024-07-01"
}
# the same report whatever lies outside it
for m in 1 16; do eval "$(flat_cmd $m)" > "$TMP/flat-$m.json" 2>/dev/null || true; done
cmp -s "$TMP/flat-1.json" "$TMP/flat-16.json" ||
    echo "  FAILED: the reports of flat-host differ between the 1x and 16x databases"
echo "report of one host's range, databases with 1x/4x/16x events outside it:" \
     "$(for m in 1 4 16; do sqlite3 "$TMP/flat-$m.db" 'select count(*) from events'; done |
        paste -sd/) events"
pairs "$N" "$(flat_cmd 4)" "$(flat_cmd 1)"
echo "  4x outside against 1x: $(fmt_s "$PAIR_A") against $(fmt_s "$PAIR_B"), ratio $PAIR_RATIO"
pairs "$N" "$(flat_cmd 16)" "$(flat_cmd 1)"
row "report, 16x events outside its range" "$(fmt_s "$PAIR_A")" "1x $(fmt_s "$PAIR_B")" \
    "$PAIR_RATIO" "<= 1.1" "$(le "$PAIR_RATIO" 1.1)"
