#!/bin/sh
# bench/textlog.sh - text-log import speed: lines per second of `wudiag
# import` on a large CBS.log, against `grep -F` with 4 keys on the same
# file in the same run (so the ratio holds on any machine); then the scale:
# import time and peak memory at 1x, 4x and 16x a base size.
#
# The CBS.log is the real ones of the shared cases ($DATA/cases/*/CBS.log,
# BOMs dropped) repeated to the size: their mix of lines, about 5% of them
# events.  Without them it falls back to a generated block whose share of
# events is far higher (about 30%: two of its seven ordinary lines are the
# neutral servicing-stack / Trusted Installer events), which makes the
# store's share of the time larger than any real log's.
#
# Usage: textlog.sh WUDIAG_BIN [DATA_DIR]   (DATA_DIR default ../shared/data)
#   BENCH_TEXTLOG_MB     size of the file in MiB (default 1024; or
#                        TEXTLOG_BENCH_BYTES in bytes)
#   BENCH_TEXTLOG_SCALE_MB  base size of the scale rows (default 16 MiB:
#                        16, 64, 256 MiB); 0 skips them
#   TEXTLOG_BENCH_DIR    where to create the files (default $TMPDIR or /tmp)
#   BENCH_RUNS           runs per measurement, median reported (default 3)
set -eu
BIN=$1
HERE=$(cd "$(dirname "$0")" && pwd)
DATA=${2:-${WUDIAG_DATA:-$HERE/../../shared/data}}
. "$HERE/lib.sh"
if [ -n "${BENCH_TEXTLOG_MB:-}" ]; then
    SIZE=$((BENCH_TEXTLOG_MB * 1048576))
else
    SIZE=${TEXTLOG_BENCH_BYTES:-1073741824}
fi
SCALE_MB=${BENCH_TEXTLOG_SCALE_MB:-16}
N=${BENCH_RUNS:-3}
TMP=$(mktemp -d "${TEXTLOG_BENCH_DIR:-${TMPDIR:-/tmp}}/wudiag-textlog.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

: > "$TMP/block"
for f in "$DATA"/cases/*/CBS.log; do
    [ -r "$f" ] || continue
    # without the UTF-8 BOM, which only the first bytes of a file may hold
    if [ "$(head -c 3 "$f" | od -An -tx1 | tr -d ' ')" = efbbbf ]; then
        tail -c +4 "$f" >> "$TMP/block"
    else
        cat "$f" >> "$TMP/block"
    fi
done
SOURCE="the shared cases' CBS.logs"
if [ ! -s "$TMP/block" ]; then
SOURCE="a generated block (no $DATA/cases/*/CBS.log)"
# One block of about 4 MiB: mostly ordinary CBS/CSI lines, one line in
# about 40 is something the pattern table stores (far more than a real
# CBS.log, so the store's share of the time is not understated).
awk 'BEGIN {
    srand(7)
    n = split("TI: --- Initializing Trusted Installer ---|" \
        "Exec: Resolving Package: Package_for_RollupFix~31bf3856ad364e35~amd64~~19041.2965.1.6, Update: 5026361-1234_neutral|" \
        "Appl: detect Parent, Package: Package_for_RollupFix~31bf3856ad364e35~amd64~~19041.2965.1.6, Parent: Microsoft-Windows-Client-Desktop-Required-Package0516~31bf3856ad364e35~amd64~~10.0.19041.2965, Disposition = Detect, VersionComp: EQ, ServiceComp: GE, BuildComp: GE, DistributionComp: GE, RevisionComp: GE, Exist: present|" \
        "Failed to internally open package. [HRESULT = 0x800f0805 - CBS_E_INVALID_PACKAGE]|" \
        "Session: 31035702_1459316822 initialized by client WindowsUpdateAgent, external staging directory: (null), external registry directory: (null)|" \
        "Plan: Package: Package_1_for_KB5026361~31bf3856ad364e35~amd64~~19041.2965.1.6, Update: 5026361-1_neutral_GDR, Applicable: NeedsParent, Disposition: Staged|" \
        "Loaded Servicing Stack v10.0.19041.2905 with Core: C:\\WINDOWS\\winsxs\\amd64_microsoft-windows-servicingstack_31bf3856ad364e35_10.0.19041.2905_none_7e1f6d5e6ee1f0a5\\cbscore.dll", ok, "|")
    m = split("Failed to resolve package [HRESULT = 0x80073712 - ERROR_SXS_COMPONENT_STORE_CORRUPT]|" \
        "(p)\tCSI Payload Corrupt\t(n)\t\t\tamd64_microsoft-windows-wuaueng_31bf3856ad364e35_10.0.19041.2965_none_f0d2b8bc4c3d3e6a\\wuaueng.dll|" \
        "Failed to restore health. [HRESULT = 0x800f081f - CBS_E_SOURCE_MISSING]|" \
        "00000334 [SR] Cannot repair member file [l:11]\"wuaueng.dll\" of Microsoft-Windows-WindowsUpdateClient-Core, version 10.0.19041.2965, arch amd64, nonSxS, pkt {l:8 b:31bf3856ad364e35} in the store, hash mismatch", bad, "|")
    t = 0; bytes = 0
    while (bytes < 4194304) {
        s = t % 60; mi = int(t / 60) % 60; h = int(t / 3600) % 24
        if (int(rand() * 40) == 0) { lvl = "Error"; msg = bad[1 + int(rand() * m)] }
        else { lvl = "Info"; msg = ok[1 + int(rand() * n)] }
        comp = index(msg, "[SR]") ? "CSI" : "CBS"
        line = sprintf("2023-05-10 %02d:%02d:%02d, %-22s%-7s%s\r\n", h, mi, s, lvl, comp, msg)
        printf "%s", line
        bytes += length(line); t++
    }
}' > "$TMP/block"
fi

# copies_for SIZE: how many blocks make at least SIZE bytes
copies_for() {
    _block=$(wc -c < "$TMP/block")
    echo $(( ($1 + _block - 1) / _block ))
}
# make_log COPIES FILE: the block repeated
make_log() {
    _i=0
    while [ $_i -lt "$1" ]; do cat "$TMP/block"; _i=$((_i + 1)); done > "$2"
}
make_log "$(copies_for "$SIZE")" "$TMP/CBS.log"
bytes=$(wc -c < "$TMP/CBS.log")
lines=$(wc -l < "$TMP/CBS.log")

now_ns() { date +%s%N; }
median_of_runs() {
    i=0; : > "$TMP/times"
    while [ $i -lt "$N" ]; do
        [ -n "${PREP:-}" ] && eval "$PREP"
        # not >/dev/null: GNU grep then stops at the first match
        t0=$(now_ns); eval "$1" > "$TMP/cmd.out" 2>&1 || true; t1=$(now_ns)
        echo $((t1 - t0)) >> "$TMP/times"
        i=$((i + 1))
    done
    sort -n "$TMP/times" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
rate() { awk -v l="$lines" -v ns="$1" 'BEGIN {printf "%.2f M lines/s (%.2f s)", l / (ns / 1e9) / 1e6, ns / 1e9}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

cat "$TMP/CBS.log" > /dev/null     # page cache: every run reads from memory
g_all=$(PREP= median_of_runs "grep -c '' '$TMP/CBS.log'")
g_keys=$(PREP= median_of_runs "grep -c -F -e HRESULT -e Corrupt -e '[SR]' -e 'Session:' '$TMP/CBS.log'")
imp=$(PREP="rm -f '$TMP'/b.db*" median_of_runs "'$BIN' --db '$TMP/b.db' import --host bench '$TMP/CBS.log'")

rm -f "$TMP"/b.db*
rss=""
if [ -x /usr/bin/time ]; then
    /usr/bin/time -f '%M %U %S' -o "$TMP/rss" "$BIN" --db "$TMP/b.db" import --host bench \
        "$TMP/CBS.log" > "$TMP/out" 2>/dev/null || true
    # CPU time too: on a busy machine it says more than the wall clock
    rss=$(awk -v l="$lines" '{printf "\n  one more import: peak RSS %.1f MiB, CPU %.2f s (%.2f M lines per CPU second)", $1 / 1024, $2 + $3, l / ($2 + $3) / 1e6}' "$TMP/rss")
else
    "$BIN" --db "$TMP/b.db" import --host bench "$TMP/CBS.log" > "$TMP/out" 2>/dev/null || true
fi

echo "text-log bench: $(awk -v b="$bytes" 'BEGIN {printf "%.2f GiB", b / 1073741824}') CBS.log from $SOURCE, $lines lines, median of $N runs"
echo "  grep -c '' (every line):             $(rate "$g_all")"
echo "  grep -c -F 4 keys (HRESULT, ...):    $(rate "$g_keys")"
echo "  wudiag import (fresh DB):            $(rate "$imp")   $(ratio "$imp" "$g_keys")x the grep -F time$rss"
echo "  $(cat "$TMP/out")"
# the ratio in interleaved pairs; output to a file, not /dev/null, for grep
BENCH_OUT=$TMP/cmd.out
pairs "$N" "'$BIN' --db '$TMP/b.db' import --host bench '$TMP/CBS.log'" \
      "grep -c -F -e HRESULT -e Corrupt -e '[SR]' -e 'Session:' '$TMP/CBS.log'" "rm -f '$TMP'/b.db*"
row "import $(awk -v b="$bytes" 'BEGIN {printf "%.0f MiB", b / 1048576}') CBS.log" \
    "$(awk -v l="$lines" -v ns="$PAIR_A" 'BEGIN {printf "%.2f M lines/s", l / (ns / 1e9) / 1e6}')" \
    "grep -F 4 keys $(awk -v l="$lines" -v ns="$PAIR_B" 'BEGIN {printf "%.2f M lines/s", l / (ns / 1e9) / 1e6}')" \
    "$PAIR_RATIO" "<= 2.0" "$(le "$PAIR_RATIO" 2.0)"

# ---- scale: 1x, 4x, 16x the base size -------------------------------------
# time: median of BENCH_RUNS imports into a fresh DB; peak RSS of one more
[ "$SCALE_MB" -gt 0 ] || exit 0
if [ ! -x /usr/bin/time ]; then
    echo "  scale: skipped (/usr/bin/time missing for the peak RSS)"
    exit 0
fi
base=$(copies_for $((SCALE_MB * 1048576)))
echo "text-log scale: base $base blocks (>= $SCALE_MB MiB), median of $N runs each"
for k in 1 4 16; do
    make_log $((base * k)) "$TMP/S.log"
    repeat "$N" "'$BIN' --db '$TMP/s.db' import --host bench '$TMP/S.log'" "rm -f '$TMP'/s.db*"
    rm -f "$TMP"/s.db*
    /usr/bin/time -f '%M' -o "$TMP/rss" "$BIN" --db "$TMP/s.db" import --host bench \
        "$TMP/S.log" > /dev/null 2>&1 || true
    rm -f "$TMP"/s.db*
    eval "t$k=$PAIR_A; m$k=$(tail -n 1 "$TMP/rss")"
    echo "  ${k}x ($(wc -l < "$TMP/S.log") lines): $(fmt_s "$PAIR_A"), peak RSS $(tail -n 1 "$TMP/rss") KiB"
done
rm -f "$TMP/S.log"
# linear: k times the input takes at most 1.25 k times the time; memory at
# most k times (it is flat: the line reader and the staging are bounded)
for k in 4 16; do
    eval "tk=\$t$k; mk=\$m$k"
    r=$(awk -v a="$tk" -v b="$t1" 'BEGIN {printf "%.2f", a / b}')
    row "text-log scale ${k}x: time" "$(fmt_s "$tk")" "1x $(fmt_s "$t1")" "$r" \
        "<= $((k * 5 / 4))" "$(le "$r" $((k * 5 / 4)))"
    r=$(awk -v a="$mk" -v b="$m1" 'BEGIN {printf "%.2f", a / b}')
    row "text-log scale ${k}x: peak RSS" "$((mk / 1024)) MiB" "1x $((m1 / 1024)) MiB" "$r" \
        "<= $k" "$(le "$r" "$k")"
done
