-- tests/eval/score.sql - scores the reports of `make eval` (run.sh).
--
-- Input tables, filled by run.sh:
--   exp(idx, name, verdict, host, files, top_any, fix_any)   expected.json
--   terms(name, verdict, first, fix, nots)                   cases.tsv
--   base(name)                                               baseline
--   run(name, irc, rrc, hosts, host, rep)                    per case: import
--       exit code, report exit code, hosts in the DB, host scored, the JSON
--       report text (NULL when there is none or it is not valid JSON)
-- Output: the table score, one row per case, with line (what run.sh prints).

-- Open findings: not resolved, severity warning or critical (info findings
-- are notes that never count toward the verdict).  text: title, codes and
-- evidence; fixtext: the fix's title, steps and commands; both lower-case.
CREATE TABLE openf AS
SELECT r.name AS name, f.key AS k, f.value AS v,
       json_extract(f.value, '$.rule') AS rule,
       json_extract(f.value, '$.fix.id') AS fixid,
       lower(coalesce(json_extract(f.value, '$.title'), '') || ' | ' ||
             coalesce((SELECT group_concat(c.value, ' ')
                         FROM json_each(f.value, '$.codes') AS c), '') || ' | ' ||
             coalesce((SELECT group_concat(json_extract(e.value, '$.text'), ' | ')
                         FROM json_each(f.value, '$.evidence') AS e), '')) AS text,
       lower(coalesce(json_extract(f.value, '$.fix.title'), '') || ' | ' ||
             coalesce((SELECT group_concat(s.value, ' | ')
                         FROM json_each(f.value, '$.fix.steps') AS s), '') || ' | ' ||
             coalesce((SELECT group_concat(s.value, ' | ')
                         FROM json_each(f.value, '$.fix.commands') AS s), '')) AS fixtext
  FROM run AS r, json_each(r.rep, '$.findings') AS f
 WHERE r.rep IS NOT NULL
   AND coalesce(json_extract(f.value, '$.resolved'), 0) = 0
   AND json_extract(f.value, '$.severity') IN ('warning', 'critical');

-- The first open finding of each case (findings are most severe first).
CREATE TABLE top AS
SELECT o.* FROM openf AS o
 WHERE o.k = (SELECT min(o2.k) FROM openf AS o2 WHERE o2.name = o.name);

-- The must-not checks, one row each, and whether the report breaks them.
CREATE TABLE notitem AS
SELECT t.name AS name, i.value AS item,
       CASE WHEN instr(i.value, '~') > 0 THEN substr(i.value, 1, instr(i.value, '~') - 1)
            ELSE i.value END AS head,
       CASE WHEN instr(i.value, '~') > 0 THEN lower(substr(i.value, instr(i.value, '~') + 1))
            ELSE '' END AS tail
  FROM terms AS t, json_each('["' || replace(t.nots, ',', '","') || '"]') AS i
 WHERE t.nots <> '-';

CREATE TABLE violation AS
SELECT n.name, n.item FROM notitem AS n JOIN run AS r USING (name)
 WHERE CASE
         WHEN n.item = 'multi-host' THEN r.hosts > 1
         WHEN n.item = 'import-rejected' THEN r.irc > 1
         WHEN n.item = 'no-verdict' THEN
              coalesce(json_extract(r.rep, '$.verdict'), '') NOT IN ('healthy', 'warning', 'critical')
         WHEN n.item LIKE 'code:%' THEN EXISTS (
              SELECT 1 FROM openf AS o, json_each(o.v, '$.codes') AS c
               WHERE o.name = n.name AND lower(c.value) = lower(substr(n.item, 6)))
         WHEN n.item LIKE 'fix:%' THEN EXISTS (
              SELECT 1 FROM openf AS o
               WHERE o.name = n.name AND o.fixid = substr(n.item, 5))
         ELSE EXISTS (
              SELECT 1 FROM openf AS o
               WHERE o.name = n.name AND o.rule = n.head
                 AND (n.tail = '' OR instr(o.text, n.tail) > 0))
       END;

CREATE TABLE score AS
SELECT e.idx, e.name, e.verdict AS ev, t.first, t.fix, r.irc, r.rrc, r.hosts,
       CASE WHEN json_extract(r.rep, '$.verdict') IN ('healthy', 'warning', 'critical')
            THEN json_extract(r.rep, '$.verdict') END AS gv,
       json_extract(r.rep, '$.os') AS os,
       json_extract(r.rep, '$.verdict') AS gotv,
       r.rep IS NOT NULL AS has_rep,
       (SELECT count(*) FROM openf AS o WHERE o.name = e.name) AS nopen,
       tp.rule AS trule, tp.fixid AS tfix,
       -- project terms: the rule id and fix id are acceptable ones
       tp.rule IS NOT NULL AND instr(',' || t.first || ',', ',' || tp.rule || ',') > 0 AS rule_ok,
       tp.fixid IS NOT NULL AND instr(',' || t.fix || ',', ',' || tp.fixid || ',') > 0 AS fixid_ok,
       -- expected.json's words: top_any over the text, fix_any over the fix
       tp.rule IS NOT NULL AND (json_array_length(e.top_any) = 0 OR EXISTS (
           SELECT 1 FROM json_each(e.top_any) AS s WHERE instr(tp.text, lower(s.value)) > 0)) AS top_words_ok,
       tp.rule IS NOT NULL AND (json_array_length(e.fix_any) = 0 OR EXISTS (
           SELECT 1 FROM json_each(e.fix_any) AS s WHERE instr(tp.fixtext, lower(s.value)) > 0)) AS fix_words_ok,
       (SELECT group_concat(v.item, ', ') FROM violation AS v WHERE v.name = e.name) AS broken,
       e.name IN (SELECT name FROM base) AS in_base
  FROM exp AS e JOIN terms AS t USING (name) JOIN run AS r USING (name)
  LEFT JOIN top AS tp USING (name);

ALTER TABLE score ADD COLUMN verdict_ok;
ALTER TABLE score ADD COLUMN first_ok;
ALTER TABLE score ADD COLUMN fix_ok;
ALTER TABLE score ADD COLUMN ok;
ALTER TABLE score ADD COLUMN line;
UPDATE score SET verdict_ok = (gv IS ev);
-- healthy: right when there is a report and no open finding
UPDATE score SET
  first_ok = CASE WHEN ev = 'healthy' THEN has_rep AND nopen = 0
                  ELSE rule_ok AND top_words_ok END,
  fix_ok   = CASE WHEN ev = 'healthy' THEN has_rep AND nopen = 0
                  ELSE fixid_ok AND fix_words_ok END;
UPDATE score SET ok = verdict_ok AND first_ok AND fix_ok AND broken IS NULL;
UPDATE score SET line = printf('%-33s %-5s expected %-8s got %-8s first %-24s fix %-24s os %s%s%s%s',
    name, CASE WHEN ok THEN 'OK' ELSE 'WRONG' END, ev, coalesce(gv, nullif(gotv, ''), 'none'),
    coalesce(trule, '-'), coalesce(tfix, '-'),
    coalesce(nullif(os, ''), '?'),
    CASE WHEN hosts > 1 THEN printf('  hosts %d', hosts) ELSE '' END,
    CASE WHEN irc > 1 OR rrc <> 0 THEN printf('  import rc %d, report rc %d', irc, rrc) ELSE '' END,
    CASE WHEN ok THEN '' ELSE '  [' || substr(
        CASE WHEN verdict_ok THEN '' ELSE ', verdict' END ||
        CASE WHEN ev = 'healthy' THEN
             CASE WHEN first_ok THEN '' WHEN has_rep THEN printf(', %d open finding%s', nopen,
                  CASE WHEN nopen = 1 THEN '' ELSE 's' END) ELSE ', no report' END
        ELSE
             CASE WHEN trule IS NULL THEN ', no open finding' ELSE
               CASE WHEN rule_ok THEN '' ELSE ', first not ' || first END ||
               CASE WHEN top_words_ok THEN '' ELSE ', first names none of top_any' END ||
               CASE WHEN fixid_ok THEN '' ELSE ', fix not ' || fix END ||
               CASE WHEN fix_words_ok THEN '' ELSE ', fix names none of fix_any' END
             END
        END ||
        coalesce(', must not: ' || broken, ''), 3) || ']' END);
