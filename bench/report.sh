#!/bin/sh
# bench/report.sh - report speed and peak memory on a generated audit DB of
# 50 hosts x 1 year (1,000,000 events), against sqlite3 dumping the same
# host's events as JSON (the reference, measured in the same run).
# Usage: report.sh WUDIAG_BIN
set -eu
BIN=$1
HERE=$(cd "$(dirname "$0")" && pwd)
TMP=${BENCH_TMP:-$(mktemp -d)}
DB=$TMP/fleet.db
if [ ! -s "$DB" ]; then
    printf '<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><Provider Name="x"/><EventID>1</EventID><TimeCreated SystemTime="2024-01-01T00:00:00Z"/></System></Event>' |
        "$BIN" --db "$DB" import - >/dev/null
    t0=$(date +%s%N)
    sqlite3 "$DB" < "$HERE/gen_fleet.sql" >/dev/null
    t1=$(date +%s%N)
    echo "generated $(sqlite3 "$DB" 'select count(*) from events') events for" \
         "$(sqlite3 "$DB" 'select count(*) from hosts where name like "bench-%"') hosts" \
         "in $(( (t1 - t0) / 1000000 )) ms"
fi
# wall seconds and peak RSS (MB) of a command, via GNU time
measure() {
    /usr/bin/time -f '%e %M' -o "$TMP/t" "$@" >/dev/null 2>&1 || true
    awk '{printf "%.3f s, %.1f MB peak RSS", $1, $2 / 1024}' "$TMP/t"
}
echo "report bench on $DB"
echo "  reference: sqlite3 .mode json of one host's events: $(measure sqlite3 -json "$DB" "select * from events where host_id = 7")"
echo "  report --format json --host bench-host-07:        $(measure "$BIN" --db "$DB" report --format json --host bench-host-07)"
echo "  report --format json (all 50 hosts):               $(measure "$BIN" --db "$DB" report --format json)"
echo "  goal: < 0.5 s and < 64 MB for each"
