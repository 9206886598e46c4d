#!/bin/sh
# tests/eval/run.sh WUDIAG DATA [WORKDIR] - `make eval`: the real machines.
#
# Imports each case of DATA/cases/expected.json into a fresh database
# (text logs with the case's --host), renders the JSON report and scores it
# against both expected.json (verdict, top_any, fix_any) and the project's
# own terms in tests/eval/cases.tsv (rule ids, fix ids, must-not checks);
# the scoring is tests/eval/score.sql.  One line per case, then the total.
#
# Exit 0: no case of tests/eval/baseline went wrong; 1: a regression;
# 2: setup error or drift between cases.tsv, baseline and expected.json.
# Needs only sh, awk, sed and the sqlite3 CLI (its JSON functions read both
# expected.json and the reports).  WORKDIR (default build/eval) keeps each
# case's database, import output and report.json for inspection.
set -u

die() { echo "eval: $*" >&2; exit 2; }

[ $# -ge 2 ] || die "usage: run.sh WUDIAG DATA [WORKDIR]"
bin=$1
data=$2
work=${3:-build/eval}
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
cases=$data/cases
expected=$cases/expected.json
terms=$here/cases.tsv
baseline=$here/baseline
# the report's time: fixed, so that every run scores the same report
SOURCE_DATE_EPOCH=${EVAL_EPOCH:-1767225600}    # 2026-01-01T00:00:00Z
export SOURCE_DATE_EPOCH

[ -x "$bin" ] || die "$bin: not an executable (make first)"
[ -r "$expected" ] || die "$expected not found: the shared data (../shared/data) must be beside the checkout (or DATA=...)"
[ -r "$terms" ] || die "$terms not found"
[ -r "$baseline" ] || die "$baseline not found"
command -v sqlite3 >/dev/null 2>&1 || die "the sqlite3 command-line tool is needed (apt-get install sqlite3)"

q() { printf '%s' "$1" | sed "s/'/''/g"; }      # text inside an SQL '...'

case $work in ''|/) die "bad WORKDIR '$work'" ;; esac
rm -rf "$work" && mkdir -p "$work" || die "cannot create $work"
# a hung wudiag fails its case instead of hanging `make check`
to=
command -v timeout >/dev/null 2>&1 && to="timeout ${EVAL_TIMEOUT:-120}"
work=$(cd "$work" && pwd)
sdb=$work/score.db
sql() { sqlite3 -batch -bail -noheader "$sdb" "$@" </dev/null; }

# ---- cases.tsv: syntax (fields, ids, a comment line per case) -------------
awk -F '\t' -v out="$work/terms.tsv" '
function bad(msg) { printf "eval: cases.tsv:%d: %s\n", NR, msg > "/dev/stderr"; err = 1 }
/^#/ { if (match($0, /^# [A-Za-z0-9._-]+:/)) noted[substr($0, 3, RLENGTH - 3)] = 1; next }
/^[ \t]*$/ { next }
{
    if (NF != 5) { bad("expected 5 TAB-separated fields, found " NF); next }
    if ($0 ~ /["\\]/) bad("no double quotes or backslashes")
    if ($1 !~ /^[A-Za-z0-9._-]+$/) bad("bad case name \"" $1 "\"")
    if (seen[$1]++) bad("case " $1 " listed twice")
    if ($2 !~ /^(healthy|warning|critical)$/) bad($1 ": verdict must be healthy, warning or critical")
    for (f = 3; f <= 4; f++)
        if ($f != "-" && $f !~ /^[a-z0-9-]+(,[a-z0-9-]+)*$/) bad($1 ": field " f " must be - or comma-separated ids")
    if ($2 == "healthy" && ($3 != "-" || $4 != "-")) bad($1 ": a healthy case has no first finding or fix (-)")
    if ($2 != "healthy" && ($3 == "-" || $4 == "-")) bad($1 ": a " $2 " case needs first-finding and fix ids")
    if ($5 != "-") {
        n = split($5, item, ",")
        for (i = 1; i <= n; i++)
            if (item[i] !~ /^(multi-host|import-rejected|no-verdict|code:0x[0-9A-Fa-f]+|fix:[a-z0-9-]+|[a-z0-9-]+(~[^~]+)?)$/)
                bad($1 ": bad must-not check \"" item[i] "\"")
    }
    names[++nn] = $1
    print > out
}
END {
    for (i = 1; i <= nn; i++)
        if (!(names[i] in noted)) { printf "eval: cases.tsv: no comment line \"# %s: ...\" explaining the case\n", names[i] > "/dev/stderr"; err = 1 }
    exit err
}' "$terms" || die "fix tests/eval/cases.tsv"

awk '/^#/ || /^[ \t]*$/ { next } { print $1 }' "$baseline" >"$work/base.txt"

# ---- expected.json, cases.tsv, baseline and the project's ids in one DB ---
{
    echo "CREATE TABLE exp AS SELECT c.key AS idx, json_extract(c.value, '\$.name') AS name,"
    echo "  json_extract(c.value, '\$.verdict') AS verdict, json_extract(c.value, '\$.host') AS host,"
    echo "  json_extract(c.value, '\$.files') AS files,"
    echo "  coalesce(json_extract(c.value, '\$.top_any'), '[]') AS top_any,"
    echo "  coalesce(json_extract(c.value, '\$.fix_any'), '[]') AS fix_any"
    echo "  FROM json_each(CAST(readfile('$(q "$expected")') AS TEXT), '\$.cases') AS c;"
    echo "CREATE TABLE terms(name TEXT, verdict TEXT, first TEXT, fix TEXT, nots TEXT);"
    echo "CREATE TABLE base(name TEXT);"
    echo "CREATE TABLE known(kind TEXT, id TEXT);"
    echo "CREATE TABLE run(name TEXT, irc INT, rrc INT, hosts INT, host TEXT, rep TEXT);"
    echo ".mode tabs"
    echo ".import '$(q "$work/terms.tsv")' terms"
    echo ".import '$(q "$work/base.txt")' base"
    # the ids the project has today (informational, and to catch typos in
    # must-not checks): the ids findings get in diagnosis/rules.c (and its
    # rule table) and the rules in their own files (diagnosis/rule_*.c),
    # the fixes of vocab/kb_fixes.c
    grep -hoE '(finding_new|failures_by_code)\([^"]*"[a-z0-9-]+"|\{"[a-z0-9-]+", rule_' \
        "$src"/diagnosis/rules.c "$src"/diagnosis/rule_*.c 2>/dev/null |
        sed 's/[^"]*"\([a-z0-9-]*\)".*/INSERT INTO known VALUES('\''rule'\'', '\''\1'\'');/'
    grep -o '\.id *= *"[a-z0-9-]*"' "$src/vocab/kb_fixes.c" 2>/dev/null |
        sed 's/.*"\(.*\)"/INSERT INTO known VALUES('\''fix'\'', '\''\1'\'');/'
} >"$work/setup.sql"
sql ".read '$(q "$work/setup.sql")'" || die "cannot read $expected (is it valid JSON?)"

# ---- drift: the three files must agree -------------------------------------
drift=$(sql "
SELECT 'case ' || name || ' is in expected.json but not in cases.tsv'
  FROM exp WHERE name NOT IN (SELECT name FROM terms);
SELECT 'case ' || name || ' is in cases.tsv but not in expected.json'
  FROM terms WHERE name NOT IN (SELECT name FROM exp);
SELECT 'case ' || t.name || ': cases.tsv says ' || t.verdict || ', expected.json ' || coalesce(e.verdict, 'nothing')
  FROM terms t JOIN exp e USING (name) WHERE t.verdict IS NOT e.verdict;
SELECT 'case ' || name || ': expected.json lists no files'
  FROM exp WHERE coalesce(json_array_length(files), 0) = 0;
SELECT 'case ' || name || ' appears more than once in expected.json'
  FROM exp GROUP BY name HAVING count(*) > 1;
SELECT 'case ' || name || ' is in the baseline but not in expected.json'
  FROM base WHERE name NOT IN (SELECT name FROM exp);
SELECT 'case ' || t.name || ': must-not rule ' || i.value || ' is no rule id of the project (typo?)'
  FROM terms t, json_each('[\"' || replace(t.nots, ',', '\",\"') || '\"]') i
 WHERE t.nots <> '-' AND (SELECT count(*) FROM known WHERE kind = 'rule') > 0
   AND i.value NOT IN ('multi-host', 'import-rejected', 'no-verdict')
   AND i.value NOT LIKE 'code:%'
   AND CASE WHEN instr(i.value, '~') > 0 THEN substr(i.value, 1, instr(i.value, '~') - 1)
            WHEN i.value LIKE 'fix:%' THEN NULL ELSE i.value END
       NOT IN (SELECT id FROM known WHERE kind = 'rule');
SELECT 'case ' || t.name || ': must-not fix ' || substr(i.value, 5) || ' is no fix id of the project (typo?)'
  FROM terms t, json_each('[\"' || replace(t.nots, ',', '\",\"') || '\"]') i
 WHERE t.nots <> '-' AND i.value LIKE 'fix:%' AND (SELECT count(*) FROM known WHERE kind = 'fix') > 0
   AND substr(i.value, 5) NOT IN (SELECT id FROM known WHERE kind = 'fix');
") || die "cannot compare cases.tsv with expected.json"
if [ -n "$drift" ]; then
    printf 'eval: DRIFT: %s\n' "$drift" | sed '2,$s/^/eval: DRIFT: /' >&2
    die "tests/eval/cases.tsv, tests/eval/baseline and $expected disagree"
fi

# ---- run each case ------------------------------------------------------------
nl='
'
names=$(sql "SELECT name FROM exp ORDER BY idx")
for name in $names; do
    case $name in *[!A-Za-z0-9._-]*|'') die "bad case name in expected.json: $name" ;; esac
    dir=$work/$name
    mkdir -p "$dir"
    host=$(sql "SELECT coalesce(host, '') FROM exp WHERE name = '$name'")
    files=$(sql "SELECT j.value FROM exp, json_each(exp.files) AS j WHERE exp.name = '$name' ORDER BY j.key")
    set --
    oldifs=$IFS
    IFS=$nl
    for f in $files; do
        # files are relative to the case's folder, which need not exist
        # (../../evtx/X): resolve the leading ../ by hand
        b=$cases/$name
        p=$f
        while :; do
            case $p in ../*) p=${p#../}; b=$(dirname "$b") ;; *) break ;; esac
        done
        [ -r "$b/$p" ] || die "$name: $b/$p not found (shared data incomplete?)"
        set -- "$@" "$b/$p"
    done
    IFS=$oldifs
    [ -n "$host" ] && set -- --host "$host" "$@"

    $to "$bin" --db "$dir/case.db" import "$@" >"$dir/import.out" 2>&1 </dev/null
    irc=$?
    $to "$bin" --db "$dir/case.db" report --format json -o "$dir/report.json" \
        >"$dir/report.out" 2>&1 </dev/null
    rrc=$?
    hosts=0
    chosen=
    if [ $rrc -eq 0 ] && [ -r "$dir/report.json" ]; then
        # several hosts: a fleet report.  Score the host the fleet names
        # worst (then the one with most events) and show the host count.
        hosts=$(sql "SELECT CASE WHEN json_extract(x, '\$.schema') LIKE 'wudiag.fleet/%'
                                 THEN json_array_length(x, '\$.hosts') ELSE 1 END
                       FROM (SELECT CAST(readfile('$(q "$dir/report.json")') AS TEXT) AS x)
                      WHERE json_valid(x)")
        hosts=${hosts:-0}
        if [ "$hosts" -gt 1 ]; then
            chosen=$(sql "SELECT json_extract(h.value, '\$.host')
                FROM json_each(CAST(readfile('$(q "$dir/report.json")') AS TEXT), '\$.hosts') AS h
                ORDER BY CASE json_extract(h.value, '\$.verdict') WHEN 'critical' THEN 3
                         WHEN 'warning' THEN 2 WHEN 'healthy' THEN 1 ELSE 0 END DESC,
                         json_extract(h.value, '\$.events') DESC LIMIT 1")
            mv "$dir/report.json" "$dir/fleet.json"
            $to "$bin" --db "$dir/case.db" report --format json --host "$chosen" \
                -o "$dir/report.json" >>"$dir/report.out" 2>&1 </dev/null
            rrc=$?
        fi
    fi
    sql "INSERT INTO run SELECT '$name', $irc, $rrc, $hosts, '$(q "$chosen")',
             CASE WHEN json_valid(x) THEN x END
           FROM (SELECT CAST(readfile('$(q "$dir/report.json")') AS TEXT) AS x)" ||
        die "$name: cannot store the report"
done

# ---- score ----------------------------------------------------------------------
sql ".read '$(q "$here/score.sql")'" || die "scoring failed (tests/eval/score.sql)"
sql "SELECT line FROM score ORDER BY idx"
sql "SELECT printf('verdict %d/%d, first finding %d/%d, fix %d/%d, false critical %d, missed %d, no verdict %d, os named %d/%d',
        sum(verdict_ok), count(*), sum(first_ok), count(*), sum(fix_ok), count(*),
        sum(ev IN ('healthy', 'warning') AND gv IS 'critical'),
        sum(ev IN ('warning', 'critical') AND gv IS 'healthy'),
        sum(gv IS NULL), sum(coalesce(os, '') <> ''), count(*)) FROM score"
new_ids=$(sql "
SELECT DISTINCT i.value || ' (' || group_concat(t.name, ', ') || ')'
  FROM terms t, json_each('[\"' || replace(t.first, ',', '\",\"') || '\"]') i
 WHERE t.first <> '-' AND (SELECT count(*) FROM known WHERE kind = 'rule') > 0
   AND i.value NOT IN (SELECT id FROM known WHERE kind = 'rule') GROUP BY i.value;
SELECT DISTINCT 'fix ' || i.value || ' (' || group_concat(t.name, ', ') || ')'
  FROM terms t, json_each('[\"' || replace(t.fix, ',', '\",\"') || '\"]') i
 WHERE t.fix <> '-' AND (SELECT count(*) FROM known WHERE kind = 'fix') > 0
   AND i.value NOT IN (SELECT id FROM known WHERE kind = 'fix') GROUP BY i.value;")
[ -n "$new_ids" ] && echo "ids expected but not in the project yet: $(echo "$new_ids" | paste -sd ';' - | sed 's/;/; /g')"
sql "SELECT 'now right, not in tests/eval/baseline: ' || name || ' (add it)'
       FROM score WHERE ok AND NOT in_base ORDER BY idx"
regress=$(sql "SELECT name FROM score WHERE in_base AND NOT ok ORDER BY idx")
if [ -n "$regress" ]; then
    for r in $regress; do echo "REGRESSION: $r is in tests/eval/baseline but now WRONG" >&2; done
    echo "eval: reports, databases and import output are in $work/CASE/" >&2
    exit 1
fi
exit 0
