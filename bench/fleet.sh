#!/bin/sh
# bench/fleet.sh - fleet speed: merge 1000 small host databases (a year of
# events each, ~1000 events in 12 monthly import runs) into one, then again
# (nothing to add); export 1,000,000 events (bench/gen_fleet.sql) as NDJSON
# and CSV to a pipe, with wall time and peak RSS (GNU time).  Both sides of
# the export ratio write into a pipe (| cat).
# Goals: merge of all 1000 < 60 s; fleet report <= 0.3 s; NDJSON export at
# <= 0.5 of sqlite3 -json's time (interleaved pairs, bench/lib.sh), streamed
# with < 64 MB RSS.
# Usage: fleet.sh WUDIAG_BIN        (BENCH_HOSTS=N for fewer/more hosts,
#                                    BENCH_RUNS pairs, default 5)
set -eu
BIN=$1
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
N=${BENCH_RUNS:-5}
HOSTS=${BENCH_HOSTS:-1000}
TMP=${BENCH_TMP:-$(mktemp -d)}
[ -n "${BENCH_TMP:-}" ] || trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP/hosts"
command -v sqlite3 >/dev/null || { echo "bench: sqlite3 (the CLI) missing"; exit 1; }
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time (GNU time) missing"; exit 1; }

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
# run a command; print "S.SS s, N.N MB peak RSS" (stdout of the command to $OUT)
measure() {
    /usr/bin/time -f '%e %M' -o "$TMP/t" "$@" > "${OUT:-/dev/null}" 2>"$TMP/err" || {
        echo "FAILED: $*"; cat "$TMP/err"; exit 1; }
    awk '{printf "%.2f s, %.1f MB peak RSS", $1, $2 / 1024}' "$TMP/t"
}
# the same with the command's stdout into a pipe (cat), as export's goal says
measure_pipe() {
    rm -f "$TMP/failed"
    { /usr/bin/time -f '%e %M' -o "$TMP/t" "$@" 2>"$TMP/err" || echo x > "$TMP/failed"; } | cat >/dev/null
    [ ! -e "$TMP/failed" ] || { echo "FAILED: $*"; cat "$TMP/err"; exit 1; }
    awk '{printf "%.2f s, %.1f MB peak RSS", $1, $2 / 1024}' "$TMP/t"
}

# ---- 1000 host databases ------------------------------------------------------
# A template with wudiag's schema (the binary creates it), emptied; then one
# sqlite3 process copies it per host (VACUUM INTO) and fills the copy with a
# recursive CTE: hosts, 12 monthly runs with coverage and unrelated counts,
# ~1000 events (downloads, installs, successes, failures with codes, SCM
# state and start-type events) and the service states the importer derives.
TPL=$TMP/template.db
rm -f "$TPL"*
printf '<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><Provider Name="x"/><EventID>1</EventID><TimeCreated SystemTime="2024-01-01T00:00:00Z"/></System></Event>' |
    "$BIN" --db "$TPL" import - >/dev/null
sqlite3 "$TPL" "DELETE FROM imported_files; DELETE FROM unrelated_counts;
    DELETE FROM coverage; DELETE FROM runs; DELETE FROM hosts;
    PRAGMA journal_mode = DELETE;" >/dev/null

t0=$(now_ms)
awk -v n="$HOSTS" -v dir="$TMP/hosts" 'BEGIN {
  for (h = 1; h <= n; h++) {
    f = sprintf("%s/host-%04d.db", dir, h)
    printf "VACUUM INTO '\''%s'\'';\nATTACH '\''%s'\'' AS h;\n", f, f
    print "PRAGMA h.journal_mode = OFF; PRAGMA h.synchronous = OFF; BEGIN;"
    printf "INSERT INTO h.hosts(id, name) VALUES (1, '\''fleet-host-%04d'\'');\n", h
    # 12 monthly imports of the host own System log, started a few seconds apart per host
    printf "WITH RECURSIVE m(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM m WHERE i < 12) "
    printf "INSERT INTO h.runs(id, host_id, kind, source, started_us, finished_us, tool_version, "
    printf "records_read, stored, unrelated) SELECT i, 1, '\''import'\'', "
    printf "'\''System-2024-'\'' || printf('\''%%02d'\'', i) || '\''.evtx'\'', "
    printf "1704067200000000 + i * 2628000000000 + %d * 1000000, ", h
    printf "1704067200000000 + i * 2628000000000 + %d * 1000000 + 900000, '\''0.1.0'\'', ", h
    printf "120, 84, 36 FROM m;\n"
    print "INSERT INTO h.coverage(run_id, source, status, detail) SELECT id, source, '\''ok'\'', '\''evtx'\'' FROM h.runs;"
    print "INSERT INTO h.unrelated_counts(run_id, provider, count) SELECT id, '\''Microsoft-Windows-Kernel-General'\'', 36 FROM h.runs;"
    print "INSERT INTO h.imported_files(fingerprint, size, run_id) SELECT printf('\''%016x'\'', id * 7919 + " h " * 104729), 69632, id FROM h.runs;"
    # 1000 events, one every 8.76 h over 2024, each in the run of its month
    printf "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 999), "
    printf "ev AS (SELECT i, i %% 20 AS kind, 1704067200000000 + i * 31536000000 AS t, "
    printf "'\''KB'\'' || (5030000 + (i / 20) %% 40) AS kb FROM n) "
    printf "INSERT INTO h.events(host_id, run_id, channel, provider, event_id, level, time_us, "
    printf "record_id, computer, service, code, update_title, update_guid, kb, data) "
    printf "SELECT 1, min(12, i / 84 + 1), '\''System'\'', "
    printf "CASE WHEN kind >= 18 THEN '\''Service Control Manager'\'' ELSE '\''Microsoft-Windows-WindowsUpdateClient'\'' END, "
    printf "CASE WHEN kind < 6 THEN 44 WHEN kind < 12 THEN 43 WHEN kind < 17 THEN 19 WHEN kind = 17 THEN 20 WHEN kind = 18 THEN 7036 ELSE 7040 END, "
    printf "CASE WHEN kind = 17 THEN 2 ELSE 4 END, t, 10000 + i, '\''fleet-host-%04d'\'', ", h
    printf "CASE WHEN kind = 18 THEN '\''wuauserv'\'' WHEN kind = 19 THEN '\''BITS'\'' END, "
    printf "CASE WHEN kind = 17 THEN CASE %d %% 5 WHEN 0 THEN 2147943458 WHEN 1 THEN 2149842967 ", h
    printf "WHEN 2 THEN 2148469023 WHEN 3 THEN 2149851143 ELSE 2149859340 END END, "
    printf "CASE WHEN kind < 18 THEN '\''2024 Cumulative Update for Windows 11 ('\'' || kb || '\'')'\'' END, "
    printf "CASE WHEN kind < 18 THEN '\''{'\'' || kb || '\''-GUID}'\'' END, "
    printf "CASE WHEN kind < 18 THEN kb END, "
    printf "CASE WHEN kind = 18 THEN '\''{\"param1\":\"Windows Update\",\"param2\":\"'\'' || "
    printf "CASE WHEN i %% 40 = 18 THEN '\''stopped'\'' ELSE '\''running'\'' END || '\''\"}'\'' "
    printf "WHEN kind = 19 THEN '\''{\"param1\":\"Background Intelligent Transfer Service\",\"param4\":\"BITS\"}'\'' "
    printf "ELSE '\''{\"updateTitle\":\"2024 Cumulative Update\"}'\'' END FROM ev;\n"
    print "INSERT INTO h.service_states(host_id, run_id, time_us, name, display_name, state, start_type, origin) " \
          "SELECT host_id, run_id, time_us, service, CASE service WHEN '\''wuauserv'\'' THEN '\''Windows Update'\'' " \
          "ELSE '\''Background Intelligent Transfer Service'\'' END, " \
          "CASE event_id WHEN 7036 THEN json_extract(data, '\''$.param2'\'') END, " \
          "CASE event_id WHEN 7040 THEN CASE record_id % 40 WHEN 19 THEN '\''auto'\'' ELSE '\''demand'\'' END END, '\''event'\'' " \
          "FROM h.events WHERE service IS NOT NULL ORDER BY id;"
    print "COMMIT; DETACH h;"
  }
}' > "$TMP/gen_hosts.sql"
sqlite3 "$TPL" < "$TMP/gen_hosts.sql" >/dev/null
t1=$(now_ms)
one=$TMP/hosts/host-0001.db
echo "fleet bench: generated $HOSTS host DBs in $((t1 - t0)) ms," \
     "each $(sqlite3 "$one" 'SELECT count(*) FROM events') events," \
     "$(sqlite3 "$one" 'SELECT count(*) FROM runs') runs," \
     "$(sqlite3 "$one" 'SELECT count(*) FROM service_states') service states," \
     "$(( $(stat -c %s "$one") / 1024 )) KB"

# ---- merge ------------------------------------------------------------------------
FLEET=$TMP/fleet.db
rm -f "$FLEET"*
echo "merge of $HOSTS host DBs into one (goal: < 60 s)"
echo "  first merge:                 $(measure "$BIN" merge -q -o "$FLEET" "$TMP"/hosts/host-*.db)"
echo "    -> $(sqlite3 "$FLEET" 'SELECT count(*) FROM hosts') hosts," \
     "$(sqlite3 "$FLEET" 'SELECT count(*) FROM runs') runs," \
     "$(sqlite3 "$FLEET" 'SELECT count(*) FROM events') events," \
     "$(sqlite3 "$FLEET" 'SELECT count(*) FROM service_states') service states," \
     "$(( $(stat -c %s "$FLEET") / 1048576 )) MB"
before=$(sqlite3 "$FLEET" 'SELECT (SELECT count(*) FROM runs) || "/" || (SELECT count(*) FROM events)')
echo "  same DBs again (adds nothing): $(measure "$BIN" merge -q -o "$FLEET" "$TMP"/hosts/host-*.db)"
after=$(sqlite3 "$FLEET" 'SELECT (SELECT count(*) FROM runs) || "/" || (SELECT count(*) FROM events)')
[ "$before" = "$after" ] || { echo "  FAILED: runs/events changed from $before to $after"; exit 1; }
echo "    -> runs/events unchanged ($after)"
echo "  fleet report, json (1000 hosts): $(measure "$BIN" --db "$FLEET" report --format json)"
repeat "$N" "'$BIN' --db '$FLEET' report --format json"
row "fleet report, $HOSTS hosts" "$(fmt_s "$PAIR_A")" "-" "-" "<= 0.3 s" "$(le "$PAIR_A" 300000000)"
echo "  fleet report, html (1000 hosts): $(measure "$BIN" --db "$FLEET" report --format html)"
echo "  fleet report --check:            $(measure sh -c "\"$BIN\" --db \"$FLEET\" report --check; [ \$? -le 3 ]")"

# ---- export of 1M events -----------------------------------------------------------
DB=$TMP/export.db
rm -f "$DB"*
printf '<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><Provider Name="x"/><EventID>1</EventID><TimeCreated SystemTime="2024-01-01T00:00:00Z"/></System></Event>' |
    "$BIN" --db "$DB" import - >/dev/null
sqlite3 "$DB" < "$HERE/gen_fleet.sql" >/dev/null
n=$(sqlite3 "$DB" 'SELECT count(*) FROM events')
echo "export of $n events (bench/gen_fleet.sql) to a pipe (goal: < 64 MB peak RSS)"
echo "  NDJSON: $(measure_pipe "$BIN" --db "$DB" export)," \
     "$("$BIN" --db "$DB" export | wc -l) lines, $(( $("$BIN" --db "$DB" export | wc -c) / 1048576 )) MB"
echo "  CSV:    $(measure_pipe "$BIN" --db "$DB" export --format csv)"
echo "  NDJSON of the merged fleet ($(sqlite3 "$FLEET" 'SELECT count(*) FROM events') events): $(measure_pipe "$BIN" --db "$FLEET" export)"
echo "  reference, sqlite3 -json of the same rows: $(measure_pipe sqlite3 -json "$DB" 'SELECT * FROM events')"
# both sides write into a pipe, as an export to a shipper or a compressor does
pairs "$N" "'$BIN' --db '$DB' export | cat" "sqlite3 -json '$DB' 'SELECT * FROM events' | cat"
row "NDJSON export, $n events" "$(fmt_s "$PAIR_A")" "sqlite3 -json $(fmt_s "$PAIR_B")" \
    "$PAIR_RATIO" "<= 0.5" "$(le "$PAIR_RATIO" 0.5)"
echo "history of all $(sqlite3 "$FLEET" 'SELECT count(*) FROM hosts') fleet hosts, JSON: $(measure "$BIN" --db "$FLEET" history --format json)"
cp "$FLEET" "$TMP/pruned.db"
echo "prune of the merged fleet on 2025-01-01, --keep-days 180 --vacuum:" \
     "$(measure env SOURCE_DATE_EPOCH=1735689600 "$BIN" --db "$TMP/pruned.db" prune --keep-days 180 --vacuum)"
echo "    -> $(sqlite3 "$TMP/pruned.db" 'SELECT count(*) FROM events') events," \
     "$(sqlite3 "$TMP/pruned.db" 'SELECT count(*) FROM runs') runs left," \
     "$(( $(stat -c %s "$TMP/pruned.db") / 1048576 )) MB"
