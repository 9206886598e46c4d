#!/bin/sh
# bench/run.sh - import speed against libevtx's own evtxexport (which renders
# every record as XML), measured in interleaved pairs on the same file in the
# same run (bench/lib.sh), so the ratio holds on any machine.
# Usage: run.sh WUDIAG_BIN DATA_DIR       (BENCH_RUNS pairs, default 15)
set -eu
BIN=$1
DATA=$2
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
N=${BENCH_RUNS:-15}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
command -v evtxexport >/dev/null || { echo "bench: evtxexport missing (libevtx-utils)"; exit 1; }

echo "import bench, $N interleaved pairs per file"
for f in "$DATA"/evtx/system-win10-2017.evtx "$DATA"/evtx/system-win7-2012.evtx; do
    [ -r "$f" ] || continue
    name=$(basename "$f")
    pairs "$N" "'$BIN' --db '$TMP/b.db' import '$f'" "evtxexport '$f'" "rm -f '$TMP'/b.db*"
    row "import $name" "$(fmt_s "$PAIR_A")" "evtxexport $(fmt_s "$PAIR_B")" \
        "$PAIR_RATIO" "<= 0.5" "$(le "$PAIR_RATIO" 0.5)"
done

# re-import of the same content: the fingerprint check, against the same
# reference as the imports (a first import is itself a fifth of it now, and
# what is left of a re-import is mostly the process start: dynamic linking
# is 60% of its instructions)
f=$DATA/evtx/system-win10-2017.evtx
"$BIN" --db "$TMP/r.db" import "$f" >/dev/null
pairs "$N" "'$BIN' --db '$TMP/r.db' import '$f'" "evtxexport '$f'"
row "re-import (same content)" "$(fmt_s "$PAIR_A")" "evtxexport $(fmt_s "$PAIR_B")" \
    "$PAIR_RATIO" "<= 0.10" "$(le "$PAIR_RATIO" 0.10)"
