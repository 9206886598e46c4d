#!/bin/sh
# bench/textlog.sh - text-log import speed: lines per second of `wudiag
# import` on a generated CBS.log-like file, against `grep -c` on the same
# file in the same run (so the ratio holds on any machine).
#
# Usage: textlog.sh WUDIAG_BIN
#   TEXTLOG_BENCH_BYTES  size of the generated file (default 1 GiB)
#   TEXTLOG_BENCH_DIR    where to create it (default $TMPDIR or /tmp)
#   BENCH_RUNS           runs per measurement, median reported (default 3)
set -eu
BIN=$1
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
SIZE=${TEXTLOG_BENCH_BYTES:-1073741824}
N=${BENCH_RUNS:-3}
TMP=$(mktemp -d "${TEXTLOG_BENCH_DIR:-${TMPDIR:-/tmp}}/wudiag-textlog.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

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

block=$(wc -c < "$TMP/block")
copies=$(( (SIZE + block - 1) / block ))
i=0
while [ $i -lt $copies ]; do cat "$TMP/block"; i=$((i + 1)); done > "$TMP/CBS.log"
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

echo "text-log bench: $(awk -v b="$bytes" 'BEGIN {printf "%.2f GiB", b / 1073741824}') CBS.log, $lines lines, median of $N runs"
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
