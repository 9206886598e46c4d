#!/bin/sh
# fuzz/run.sh - run each libFuzzer target for a bounded time (`make fuzz`).
#
#   sh fuzz/run.sh BUILD_DIR SECONDS DATA_DIR TARGET...
#
# Each target fuzzes a working corpus BUILD_DIR/corpus/TARGET, seeded from
# fuzz/corpus/TARGET, tests/regress/TARGET (the crashes kept so far), the
# fixtures in samples/ (XML, text logs) and, for fuzz_evtx, the real logs
# in DATA_DIR/evtx cut after one and two chunks (so that mutations stay
# fast; -max_len would cut the whole files to that length anyway), and
# those cuts damaged as tests/test_evtx.c damages whole logs; for fuzz_peek
# their first two chunks.  A crash is written to
# BUILD_DIR/crash/TARGET/ and fails the run; fix it, then keep the input
# as tests/regress/TARGET/NAME so that test_regress replays it.
# Prints the executions per target at the end.
set -u
B=$1; SECS=$2; DATA=$3; shift 3
SRC=$(cd "$(dirname "$0")/.." && pwd)
# One target; its summary line goes to $B/TARGET.result.
run_one() {
    t=$1
    work="$B/corpus/$t"
    crash="$B/crash/$t/"
    mkdir -p "$work" "$crash"
    samples=""
    case $t in
    fuzz_xml) samples="$SRC/samples/xml $SRC/samples/report" ;;
    fuzz_textlog) samples="$SRC/samples/textlog" ;;
    fuzz_redact) samples="$SRC/samples/redact" ;;
    esac
    for d in "$SRC/fuzz/corpus/$t" "$SRC/tests/regress/$t" $samples; do
        [ -d "$d" ] && find "$d" -maxdepth 1 -type f -exec cp -f {} "$work/" \;
    done
    opts="-max_len=65536"
    case $t in
    fuzz_evtx)
        opts="-max_len=135168"
        for f in "$DATA"/evtx/*.evtx; do
            [ -f "$f" ] || continue
            n=$(basename "$f" .evtx)
            [ -f "$work/seed-$n-1chunk" ] ||
                head -c 69632 "$f" >"$work/seed-$n-1chunk"
            [ -f "$work/seed-$n-2chunks" ] ||
                head -c 135168 "$f" >"$work/seed-$n-2chunks"
            # damaged as tests/test_evtx.c damages them: chunk 1 zeroed,
            # a record byte of chunk 0 changed (records CRC), the file cut
            # inside chunk 1, a chunk count the header CRC does not cover
            s2="$work/seed-$n-2chunks"
            { head -c 69632 "$f"; head -c 65536 /dev/zero; } >"$work/seed-$n-zero1"
            for d in edit cut count; do cp "$s2" "$work/seed-$n-$d"; done
            printf '\125' | dd of="$work/seed-$n-edit" bs=1 seek=4708 conv=notrunc 2>/dev/null
            head -c 99632 "$s2" >"$work/seed-$n-cut"
            printf '\036' | dd of="$work/seed-$n-count" bs=1 seek=42 conv=notrunc 2>/dev/null
        done ;;
    fuzz_peek)
        # the first two chunks of each real log, as they are
        for f in "$DATA"/evtx/system-*.evtx; do
            [ -f "$f" ] || continue
            n=$(basename "$f" .evtx)
            for k in 0 1; do
                [ -f "$work/seed-$n-chunk$k" ] ||
                    dd if="$f" of="$work/seed-$n-chunk$k" bs=65536 skip=0 count=1 \
                       iflag=skip_bytes skip=$((4096 + k * 65536)) 2>/dev/null
            done
        done ;;
    fuzz_xml) opts="$opts -dict=$SRC/fuzz/xml.dict" ;;
    fuzz_textlog) opts="$opts -dict=$SRC/fuzz/textlog.dict" ;;
    fuzz_code) opts="-max_len=256" ;;
    fuzz_html) opts="-max_len=16384" ;;
    esac
    log="$B/$t.log"
    echo "== $t: ${SECS}s"
    # shellcheck disable=SC2086
    "$B/$t" $opts -max_total_time="$SECS" -timeout=20 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$crash" "$work" >"$log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    cov=$(grep -E '^#[0-9]+' "$log" | tail -n 1 | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
    if [ $rc -ne 0 ]; then
        grep -E 'ERROR|SUMMARY|fuzz check failed|Test unit written' "$log" | head -n 8
        echo "   (full log: $log)"
    fi
    line=$(printf '%-14s %12s executions  %6s edges  %s' "$t" "${runs:-?}" \
           "${cov:-?}" "$([ $rc -eq 0 ] && echo ok || echo CRASH)")
    echo "   $line"
    echo "$line" > "$B/$t.result"
}

# Targets run FUZZ_JOBS at a time (default: one per CPU), each for SECS.
jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}
running=0
for t in "$@"; do
    rm -f "$B/$t.result"
    run_one "$t" &
    running=$((running + 1))
    if [ $running -ge "$jobs" ]; then
        wait
        running=0
    fi
done
wait
summary=""
fail=0
for t in "$@"; do
    if [ -f "$B/$t.result" ]; then
        summary="$summary$(cat "$B/$t.result")
"
        grep -q ' ok$' "$B/$t.result" || fail=1
    else
        fail=1
        summary="$summary$t: no result
"
    fi
done
echo
echo "fuzz summary (${SECS}s per target):"
printf '%s' "$summary"
[ $fail -eq 0 ] || { echo "fuzzing found crashes: see $B/crash/"; exit 1; }
