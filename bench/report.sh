#!/bin/sh
# bench/report.sh - report speed on a generated audit DB of 50 hosts x 1 year
# (1,000,000 events): the report of all hosts against the report of one
# host and against sqlite3 dumping that host's events as JSON, in
# interleaved pairs (bench/lib.sh); peak memory by GNU time.
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
