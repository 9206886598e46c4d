#!/bin/sh
# bench/run.sh - import speed against libevtx's own evtxexport, measured in
# the same run on the same file, so the ratios hold on any machine.
# Usage: run.sh WUDIAG_BIN DATA_DIR
set -eu
BIN=$1
DATA=$2
FILE=$DATA/evtx/system-win10-2017.evtx
N=${BENCH_RUNS:-7}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

now_ns() { date +%s%N; }

# median of N wall times (ns) of a shell snippet
median() {
    i=0; : > "$TMP/times"
    while [ $i -lt "$N" ]; do
        [ -n "${PREP:-}" ] && eval "$PREP"
        t0=$(now_ns); eval "$1" >/dev/null 2>&1 || true; t1=$(now_ns)
        echo $((t1 - t0)) >> "$TMP/times"
        i=$((i + 1))
    done
    sort -n "$TMP/times" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

command -v evtxexport >/dev/null || { echo "bench: evtxexport missing (libevtx-utils)"; exit 1; }

ref=$(PREP= median "evtxexport '$FILE'")
first=$(PREP="rm -f '$TMP'/b.db*" median "'$BIN' --db '$TMP/b.db' import '$FILE'")
"$BIN" --db "$TMP/r.db" import "$FILE" >/dev/null
again=$(PREP= median "'$BIN' --db '$TMP/r.db' import '$FILE'")
forced=$(PREP= median "'$BIN' --db '$TMP/r.db' import --force '$FILE'")

ms() { awk -v n="$1" 'BEGIN {printf "%.1f ms", n / 1e6}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
echo "import bench on $(basename "$FILE"), median of $N runs"
echo "  evtxexport to /dev/null (reference): $(ms "$ref")"
echo "  wudiag import into a fresh DB:       $(ms "$first")   ratio $(ratio "$first" "$ref") (goal <= 1.0)"
echo "  wudiag re-import (same content):     $(ms "$again")   $(ratio "$again" "$first") of first import (goal <= 0.10)"
echo "  wudiag re-import --force (all dups): $(ms "$forced")   $(ratio "$forced" "$first") of first import"
