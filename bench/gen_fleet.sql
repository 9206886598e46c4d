-- gen_fleet.sql - a synthetic audit database for `make bench`: 50 hosts,
-- one year, 1,000,000 events (update downloads/installs/successes, install
-- failures with codes, SCM state and start-type events) plus the service
-- states the importer would derive from the SCM events.  Run on a database
-- that already has wudiag's schema.  Rows are written host by host, as
-- imports and merges write them (each run holds one host's events).
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50)
INSERT INTO hosts(name) SELECT printf('bench-host-%02d', i) FROM n;
INSERT INTO runs(host_id, kind, source, started_us, finished_us, tool_version)
    SELECT id, 'import', 'bench', 1735689600000000, 1735689600000000, 'bench' FROM hosts;
INSERT INTO coverage(run_id, source, status, detail) SELECT id, 'bench', 'ok', 'generated' FROM runs;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 999999),
ev AS (
    SELECT i, i / 20000 + 1 AS host, i % 20000 AS seq, (i % 20000) % 20 AS kind,
           1704067200000000 + (i % 20000) * 1576800000 AS t,
           'KB' || (5000000 + ((i % 20000) / 20) % 300) AS kb
    FROM n)
INSERT INTO events(host_id, run_id, channel, provider, event_id, level, time_us,
                   record_id, computer, service, code, update_title, update_guid,
                   kb, data)
SELECT host, host, 'System',
       CASE WHEN kind >= 18 THEN 'Service Control Manager'
            ELSE 'Microsoft-Windows-WindowsUpdateClient' END,
       CASE WHEN kind < 6 THEN 44 WHEN kind < 12 THEN 43 WHEN kind < 17 THEN 19
            WHEN kind = 17 THEN 20 WHEN kind = 18 THEN 7036 ELSE 7040 END,
       CASE WHEN kind = 17 THEN 2 ELSE 4 END,
       t, seq, printf('bench-host-%02d', host),
       CASE WHEN kind = 18 THEN 'wuauserv' WHEN kind = 19 THEN 'BITS' END,
       CASE WHEN kind = 17 THEN
            CASE host % 5 WHEN 0 THEN 2147943458 WHEN 1 THEN 2149842967
                          WHEN 2 THEN 2148469023 WHEN 3 THEN 2149851143
                          ELSE 2149859340 END END,
       CASE WHEN kind < 18 THEN '2024 Cumulative Update for Windows 11 (' || kb || ')' END,
       CASE WHEN kind < 18 THEN '{' || kb || '-GUID}' END,
       CASE WHEN kind < 18 THEN kb END,
       CASE WHEN kind = 18 THEN '{"param1":"Windows Update","param2":"running"}'
            WHEN kind = 19 THEN '{"param1":"Background Intelligent Transfer Service","param2":"demand start","param3":"auto start","param4":"BITS"}'
            ELSE '{"updateTitle":"2024 Cumulative Update"}' END
FROM ev;
INSERT INTO service_states(host_id, run_id, time_us, name, display_name, state,
                           start_type, origin)
SELECT host_id, run_id, time_us, service,
       CASE service WHEN 'wuauserv' THEN 'Windows Update'
                    ELSE 'Background Intelligent Transfer Service' END,
       CASE event_id WHEN 7036 THEN 'running' END,
       CASE event_id WHEN 7040 THEN 'auto' END, 'event'
FROM events WHERE service IS NOT NULL;
COMMIT;
