#!/bin/sh
# bench/table.sh - print the rows the bench scripts wrote (bench/lib.sh's
# row) as one table: work, wudiag, the reference of the same run, the
# ratio (median of interleaved pairs), the goal and whether it is met.
# Usage: table.sh TABLE_FILE
set -eu
[ -s "$1" ] || { echo "bench: no rows in $1"; exit 1; }
echo
echo "bench summary (ratios: median of per-pair ratios, pairs interleaved A B / B A)"
awk -F'|' '
{ for (i = 1; i <= 6; i++) { c[NR, i] = $i; if (length($i) > w[i]) w[i] = length($i) } }
END {
    split("work|wudiag|reference|ratio|goal|status", h, "|")
    for (i = 1; i <= 6; i++) if (length(h[i]) > w[i]) w[i] = length(h[i])
    line = ""
    for (i = 1; i <= 6; i++) line = line sprintf("| %-*s ", w[i], h[i])
    print line "|"
    line = ""
    for (i = 1; i <= 6; i++) { d = ""; for (k = 0; k < w[i]; k++) d = d "-"; line = line "|-" d "-" }
    print line "|"
    for (r = 1; r <= NR; r++) {
        line = ""
        for (i = 1; i <= 6; i++) line = line sprintf("| %-*s ", w[i], c[r, i])
        print line "|"
    }
}' "$1"
