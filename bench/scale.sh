#!/bin/sh
# bench/scale.sh - does import stay linear in the input?  Import time and
# peak RSS (GNU time %M) at 1x, 4x and 16x the input, for event logs and
# event XML (text logs: bench/textlog.sh).
#
#   .evtx  build/mkevtx writes N copies of the real chunks of a shared log
#          (records renumbered, checksums recomputed: bench/mkevtx.c); each
#          file is checked first - evtxexport reads N x the records with no
#          error, wudiag stores N x the events of 1x and reports no damage.
#   XML    the same log's events as XML (evtxexport -f xml, which is what
#          wevtutil qe /f:xml writes: concatenated <Event> elements), N
#          copies with EventRecordID renumbered, so nothing is a duplicate.
#
# Time: pairs of (import Nx, import 1x) interleaved (bench/lib.sh); the
# figure is the per-pair ratio T(Nx) / (N * T(1x)), time per 1x unit
# relative to 1x: <= 1.25 is linear.  Each import starts on a new database.
# Memory: peak RSS of the Nx import against the 1x import: <= 2 means
# memory does not grow with the input.
#
# Usage: scale.sh WUDIAG_BIN MKEVTX_BIN DATA_DIR
#   BENCH_SCALE_PAIRS  pairs at 4x (default 5); 16x runs half as many (>= 3)
#   BENCH_SCALE_SRC    the .evtx copied (default DATA/evtx/system-win10-2017.evtx)
set -eu
BIN=$1
MKEVTX=$2
DATA=$3
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
P4=${BENCH_SCALE_PAIRS:-5}
P16=$(( P4 / 2 > 3 ? P4 / 2 : 3 ))
SRC=${BENCH_SCALE_SRC:-$DATA/evtx/system-win10-2017.evtx}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
command -v evtxexport >/dev/null || { echo "bench: evtxexport missing (libevtx-utils)"; exit 1; }
[ -x /usr/bin/time ] || { echo "bench: GNU time (/usr/bin/time) missing"; exit 1; }
[ -r "$SRC" ] || { echo "bench: $SRC missing"; exit 1; }

fail() { echo "bench scale: $*"; exit 1; }

# import_check FILE: import FILE into a new database once, untimed; sets
# RSS (KB), STORED, READ, DAMAGED from wudiag's summary line
import_check() {
    rm -f "$TMP"/c.db*
    /usr/bin/time -f '%M' -o "$TMP/rss" "$BIN" --db "$TMP/c.db" import "$1" \
        > "$TMP/out" 2>&1 || fail "import $1 failed: $(cat "$TMP/out")"
    RSS=$(tail -n 1 "$TMP/rss")
    line=$(grep ' read, ' "$TMP/out" | tail -n 1)
    READ=$(echo "$line" | sed -n 's/.*: \([0-9]*\) read,.*/\1/p')
    STORED=$(echo "$line" | sed -n 's/.* \([0-9]*\) stored,.*/\1/p')
    DAMAGED=$(echo "$line" | sed -n 's/.* \([0-9]*\) damaged.*/\1/p')
    [ -n "$STORED" ] && [ -n "$DAMAGED" ] || fail "no summary line from import $1: $line"
}

mb() { awk -v k="$1" 'BEGIN {printf "%.1f MB", k / 1024}'; }

# scale KIND EXT: the rows of one kind; $TMP/KIND-N.EXT exist for N = 1 4 16
scale() {
    kind=$1; ext=$2
    import_check "$TMP/$kind-1.$ext"
    rss1=$RSS; stored1=$STORED; read1=$READ
    [ "$DAMAGED" = 0 ] || fail "$kind 1x: $DAMAGED damaged"
    for n in 4 16; do
        f=$TMP/$kind-$n.$ext
        import_check "$f"
        [ "$DAMAGED" = 0 ] || fail "$kind ${n}x: $DAMAGED damaged"
        [ "$STORED" -eq $((n * stored1)) ] && [ "$READ" -eq $((n * read1)) ] ||
            fail "$kind ${n}x: $READ read / $STORED stored, not $n x ($read1 / $stored1)"
        np=$P4; [ $n -eq 16 ] && np=$P16
        pairs "$np" "'$BIN' --db '$TMP/a.db' import '$f'" \
              "'$BIN' --db '$TMP/b.db' import '$TMP/$kind-1.$ext'" \
              "rm -f '$TMP'/a.db*" "rm -f '$TMP'/b.db*"
        r=$(awk -v r="$PAIR_RATIO" -v n=$n 'BEGIN {printf "%.4f", r / n}')
        row "import $kind ${n}x ($((n * stored1)) of $((n * read1)) events), time per 1x" \
            "$(fmt_s "$((PAIR_A / n))")" "1x $(fmt_s "$PAIR_B")" "$r" "<= 1.25" "$(le "$r" 1.25)"
        g=$(awk -v a="$RSS" -v b="$rss1" 'BEGIN {printf "%.4f", a / b}')
        row "import $kind ${n}x, peak RSS" "$(mb "$RSS")" "1x $(mb "$rss1")" "$g" "<= 2" "$(le "$g" 2)"
    done
}

# ---- event logs -------------------------------------------------------------
for n in 1 4 16; do
    f=$TMP/evtx-$n.evtx
    "$MKEVTX" "$SRC" $n "$f" || fail "mkevtx $n failed"
    evtxexport "$f" > "$TMP/export" 2> "$TMP/export.err" || fail "evtxexport $f failed"
    [ ! -s "$TMP/export.err" ] || fail "evtxexport ${n}x: $(head -n 3 "$TMP/export.err")"
    if [ $n -eq 1 ]; then
        # copy 0 is the source's chunks unchanged: renumbering by 0 and
        # recomputing every CRC must give back the same bytes
        used=$(( ($(wc -c < "$f") - 4096) / 65536 ))
        tail -c +4097 "$SRC" | head -c $((used * 65536)) > "$TMP/src.chunks"
        tail -c +4097 "$f" | cmp -s - "$TMP/src.chunks" ||
            fail "mkevtx 1x: its chunks are not the source's first $used chunks"
    fi
    recs=$(grep -c '^Event number' "$TMP/export")
    [ $n -eq 1 ] && recs1=$recs
    [ "$recs" -eq $((n * recs1)) ] || fail "evtxexport ${n}x reads $recs records, not $n x $recs1"
done
echo "scale bench: $(basename "$SRC") x 1/4/16 (evtxexport: $recs1 records per copy, no error)," \
     "$P4 pairs at 4x, $P16 at 16x"
scale evtx evtx

# ---- event XML --------------------------------------------------------------
evtxexport -f xml "$SRC" 2>/dev/null | sed -n '/^<Event[ >]/,$p' > "$TMP/events.xml"
for n in 1 4 16; do
    awk -v n=$n '
    { l[NR] = $0
      if (match($0, /<EventRecordID>[0-9]+</)) {
          v = substr($0, RSTART + 15, RLENGTH - 16) + 0; if (v > max) max = v } }
    END { for (k = 0; k < n; k++) for (i = 1; i <= NR; i++) {
              s = l[i]
              if (k && match(s, /<EventRecordID>[0-9]+</)) {
                  v = substr(s, RSTART + 15, RLENGTH - 16) + k * max
                  s = substr(s, 1, RSTART + 14) v substr(s, RSTART + RLENGTH - 1) }
              print s } }' "$TMP/events.xml" > "$TMP/xml-$n.xml"
done
echo "scale bench: its events as XML, $(wc -c < "$TMP/xml-1.xml") bytes per copy"
scale xml xml
