#!/bin/sh
# update-golden.sh - regenerate samples/golden/report.{txt,json,html} (and
# summary.txt, report --format summary), the
# expected output of `wudiag report` for the fixture samples/report/golden.xml
# (checked byte for byte by tests/test_report.c), and samples/golden/fix.{cmd,ps1},
# the scripts `wudiag fix` writes for it (tests/test_fix.c).
#
#   sh tools/update-golden.sh [path/to/wudiag]      (default: build/wudiag)
#
# Run it after an intended change to the report, then review the diff of
# samples/golden/ before committing it.  It does exactly what the test does:
#   - imports the fixture from the repository root by its relative path
#     (the coverage section prints that path), into a fresh temporary DB;
#   - pins the import run's start time to the report time: `import` stamps
#     runs with the wall clock, and the JSON/HTML coverage show that time;
#   - renders the three formats with SOURCE_DATE_EPOCH=1767225600
#     (2026-01-01 00:00:00 UTC) and stdout not a terminal (no colour).
set -eu

EPOCH=1767225600
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/build/wudiag}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
[ -x "$bin" ] || { echo "update-golden.sh: $bin not built (run make)" >&2; exit 1; }
command -v sqlite3 >/dev/null 2>&1 ||
    { echo "update-golden.sh: needs the sqlite3 command (tools/deps.sh)" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/wudiag-golden-XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
db=$tmp/report.db

cd "$root"
"$bin" --db "$db" import samples/report/golden.xml >/dev/null
sqlite3 "$db" "UPDATE runs SET started_us = $EPOCH * 1000000;"

mkdir -p samples/golden
for f in text:txt json:json html:html; do
    fmt=${f%%:*} ext=${f#*:}
    env -u NO_COLOR SOURCE_DATE_EPOCH=$EPOCH \
        "$bin" --db "$db" report --format "$fmt" >"$tmp/report.$ext"
    mv "$tmp/report.$ext" "samples/golden/report.$ext"
    echo "wrote samples/golden/report.$ext"
done
# the ticket summary, run beside the DB: its "Report:" line names --db as given
(cd "$tmp" && env -u NO_COLOR SOURCE_DATE_EPOCH=$EPOCH \
    "$bin" --db report.db report --format summary) >"$tmp/summary.txt"
mv "$tmp/summary.txt" samples/golden/summary.txt
echo "wrote samples/golden/summary.txt"
for fmt in cmd ps1; do
    SOURCE_DATE_EPOCH=$EPOCH "$bin" --db "$db" fix --format "$fmt" -o - >"$tmp/fix.$fmt"
    mv "$tmp/fix.$fmt" "samples/golden/fix.$fmt"
    echo "wrote samples/golden/fix.$fmt"
done
