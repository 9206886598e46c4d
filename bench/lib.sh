# bench/lib.sh - shared by the bench scripts (sourced, not run): timing in
# interleaved pairs and the rows of the one table `make bench` prints.
#
# A ratio is measured as pairs A B A B ...: each pair runs the command and
# its reference back to back, the ratio of that pair is A/B, and the figure
# is the median of the per-pair ratios - so a machine that drifts (another
# job starts, the CPU clocks down) moves both halves of a pair alike and
# cannot fake or hide a change.  The order inside a pair alternates (A B,
# then B A) so neither side always runs on a warm cache.
#
# Rows go to $BENCH_TABLE (one per line: work|wudiag|reference|ratio|goal|
# status), printed by bench/table.sh.

now_ns() { date +%s%N; }

# run_ns "SNIPPET" [PREP]: wall time of one run of a shell snippet, in ns;
# PREP (a snippet) runs first, untimed.
run_ns() {
    [ -n "${2:-}" ] && eval "$2"
    _t0=$(now_ns)
    eval "$1" >"${BENCH_OUT:-/dev/null}" 2>&1 || true
    _t1=$(now_ns)
    echo $((_t1 - _t0))
}

# median of the numbers on stdin
median() { sort -g | awk '{a[NR] = $1} END {if (NR) print a[int((NR + 1) / 2)]}'; }

# pairs N "A" "B" [PREP_A] [PREP_B]: sets PAIR_A, PAIR_B (median ns of each
# side) and PAIR_RATIO (median of the per-pair ratios A/B).
pairs() {
    _n=$1; _a=$2; _b=$3; _pa=${4:-}; _pb=${5:-}
    _f=$(mktemp)
    _i=0
    while [ $_i -lt "$_n" ]; do
        if [ $((_i % 2)) -eq 0 ]; then
            _ta=$(run_ns "$_a" "$_pa"); _tb=$(run_ns "$_b" "$_pb")
        else
            _tb=$(run_ns "$_b" "$_pb"); _ta=$(run_ns "$_a" "$_pa")
        fi
        echo "$_ta $_tb" >> "$_f"
        _i=$((_i + 1))
    done
    PAIR_A=$(awk '{print $1}' "$_f" | median)
    PAIR_B=$(awk '{print $2}' "$_f" | median)
    PAIR_RATIO=$(awk '$2 > 0 {printf "%.4f\n", $1 / $2}' "$_f" | median)
    rm -f "$_f"
}

# repeat N "A" [PREP]: sets PAIR_A to the median ns of N runs (no reference)
repeat() {
    _f=$(mktemp)
    _i=0
    while [ $_i -lt "$1" ]; do run_ns "$2" "${3:-}" >> "$_f"; _i=$((_i + 1)); done
    PAIR_A=$(median < "$_f")
    rm -f "$_f"
}

fmt_s() { awk -v n="$1" 'BEGIN {if (n >= 1e9) printf "%.2f s", n / 1e9; else printf "%.0f ms", n / 1e6}'; }

# row WORK WUDIAG REFERENCE RATIO GOAL MET: one line of the table; MET is 1
# when the goal is met
row() {
    _st=$( [ "$6" = 1 ] && echo met || echo MISSED )
    set -- "$1" "$2" "$3" "$(awk -v r="$4" 'BEGIN {if (r ~ /^[0-9.]+$/) printf "%.2f", r; else print r}')" "$5" "$6"
    [ -n "${BENCH_TABLE:-}" ] && printf '%s|%s|%s|%s|%s|%s\n' "$1" "$2" "$3" "$4" "$5" "$_st" >> "$BENCH_TABLE"
    printf '  %s: %s (reference %s), ratio %s, goal %s: %s\n' "$1" "$2" "$3" "$4" "$5" "$_st"
}

# le A B: 1 when A <= B (floats)
le() { awk -v a="$1" -v b="$2" 'BEGIN {print (a <= b) ? 1 : 0}'; }
