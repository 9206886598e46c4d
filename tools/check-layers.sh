#!/bin/sh
# check-layers.sh - fail when the code crosses its floors (docs/design.md):
#
#   util/        floor 0: strings, time, files, platform
#   vocab/       floor 1: the shared vocabulary (event record, model,
#                semantics and services tables, knowledge base)
#   collector/   sources          store/ (+ schema/)  the only SQL
#   diagnosis/   rules over the model
#   report/      renderers over the model and the diagnosis
#   src/         commands: may use every floor
#
# Checked: every #include "dir/file.h" names a floor the file may stand on;
# SQLite and SQL text appear only in store/ and schema/; _WIN32 is tested
# only in platform files (*_win.c, *_posix.c).  Run by `make test`.
# Usage: sh tools/check-layers.sh [ROOT]; exit 1 with one line per breach.
set -eu
cd "${1:-.}"

allowed() {
    case $1 in
        util) echo "util" ;;
        vocab) echo "util vocab" ;;
        collector) echo "util vocab collector" ;;
        store) echo "util vocab store schema" ;;
        schema) echo "" ;;
        diagnosis) echo "util vocab diagnosis" ;;
        report) echo "util vocab diagnosis report" ;;
        src) echo "util vocab collector store schema diagnosis report src" ;;
    esac
}

# an SQL statement in a string, or the SQLite API
SQL='sqlite3|"(SELECT [^"]* FROM|INSERT (OR [A-Z]+ )?INTO|UPDATE [a-z_.]+ SET|DELETE FROM|CREATE (TABLE|INDEX)|PRAGMA [a-z_]+)'
SQL_SRC='sqlite3_|"(SELECT [^"]* FROM|INSERT (OR [A-Z]+ )?INTO|UPDATE [a-z_.]+ SET|DELETE FROM|CREATE (TABLE|INDEX))'

bad=0
for dir in util vocab collector store schema diagnosis report src; do
    ok=$(allowed "$dir")
    for f in "$dir"/*.c "$dir"/*.h; do
        [ -f "$f" ] || continue
        # includes name their floor
        for inc in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f"); do
            case $inc in
                */*) floor=${inc%%/*} ;;
                *) echo "$f: #include \"$inc\" does not name its floor (dir/file.h)"
                   bad=1; continue ;;
            esac
            case " $ok " in
                *" $floor "*) ;;
                *) echo "$f: #include \"$inc\": $dir/ may not depend on $floor/"; bad=1 ;;
            esac
        done
        # SQL only in the store
        case $dir in
            store|schema|src) ;;
            *) if grep -n -E "$SQL" "$f" >/dev/null; then
                   grep -n -E "$SQL" "$f" |
                       sed "s|^|$f:|; s|\$|  (SQL outside store/)|" | head -3
                   bad=1
               fi ;;
        esac
        # platform tests only in platform files
        case $f in
            *_win.c|*_posix.c) ;;
            *) if grep -n -E '^[[:space:]]*#[[:space:]]*(if|ifdef|ifndef|elif).*_WIN32' "$f" >/dev/null; then
                   grep -n -E '^[[:space:]]*#[[:space:]]*(if|ifdef|ifndef|elif).*_WIN32' "$f" |
                       sed "s|^|$f:|; s|\$|  (_WIN32 outside a *_win.c/*_posix.c file)|"
                   bad=1
               fi ;;
        esac
    done
done
# src/ holds commands, not SQL: only the store speaks it
if grep -n -E "$SQL_SRC" src/*.c >/dev/null 2>&1; then
    grep -n -E "$SQL_SRC" src/*.c | sed 's/$/  (SQL outside store\/)/' | head -5
    bad=1
fi
[ $bad -eq 0 ] && echo "layers: every include names an allowed floor; SQL only in store/; _WIN32 only in platform files"
exit $bad
