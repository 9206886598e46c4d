-- v1.sql - a wudiag database at schema version 1, for the migration test
-- (tests/test_store.c).  The DDL is schema/001_init.sql verbatim; the rows
-- are a small import of the Windows 10 sample log as version 0.0.9 stored it.
-- Load with: sqlite3 FILE < samples/v1.sql

-- 001_init.sql - version 1 of the wudiag database.
-- Hosts, the runs that filled the DB (one per import or collect), the
-- update-related events, service states and what each run could read.
-- Times are INTEGER microseconds since 1970-01-01 UTC.

CREATE TABLE hosts (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE
);

CREATE TABLE runs (
    id           INTEGER PRIMARY KEY,
    host_id      INTEGER REFERENCES hosts(id),
    kind         TEXT NOT NULL,            -- 'import' | 'collect'
    source       TEXT NOT NULL,            -- file name, '-' or 'live'
    started_us   INTEGER NOT NULL,
    finished_us  INTEGER,
    tool_version TEXT NOT NULL,
    records_read INTEGER NOT NULL DEFAULT 0,
    stored       INTEGER NOT NULL DEFAULT 0,
    unrelated    INTEGER NOT NULL DEFAULT 0,
    duplicates   INTEGER NOT NULL DEFAULT 0,
    damaged      INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE events (
    id           INTEGER PRIMARY KEY,
    host_id      INTEGER NOT NULL REFERENCES hosts(id),
    run_id       INTEGER NOT NULL REFERENCES runs(id),
    channel      TEXT NOT NULL,
    provider     TEXT NOT NULL,
    event_id     INTEGER NOT NULL,
    level        INTEGER NOT NULL DEFAULT 0,
    time_us      INTEGER NOT NULL,
    record_id    INTEGER NOT NULL,
    computer     TEXT NOT NULL DEFAULT '',
    service      TEXT,
    code         INTEGER,                  -- 32-bit error code, unsigned
    update_title TEXT,
    update_guid  TEXT,
    kb           TEXT,
    message      TEXT,
    data         TEXT NOT NULL DEFAULT '{}',   -- JSON object of EventData
    UNIQUE (host_id, channel, record_id, time_us)
);
CREATE INDEX events_host_time ON events (host_id, time_us);
CREATE INDEX events_code ON events (code) WHERE code IS NOT NULL;
CREATE INDEX events_service ON events (service, host_id, time_us)
    WHERE service IS NOT NULL;

CREATE TABLE service_states (
    id           INTEGER PRIMARY KEY,
    host_id      INTEGER NOT NULL REFERENCES hosts(id),
    run_id       INTEGER NOT NULL REFERENCES runs(id),
    time_us      INTEGER NOT NULL,
    name         TEXT NOT NULL,
    display_name TEXT,
    state        TEXT,                     -- running, stopped, ..., not-installed
    start_type   TEXT                      -- auto, delayed-auto, demand, disabled, ...
);
CREATE INDEX service_states_host ON service_states (host_id, name, time_us);

CREATE TABLE coverage (
    id      INTEGER PRIMARY KEY,
    run_id  INTEGER NOT NULL REFERENCES runs(id),
    source  TEXT NOT NULL,
    status  TEXT NOT NULL CHECK (status IN ('ok', 'partial', 'failed')),
    detail  TEXT
);
CREATE INDEX coverage_run ON coverage (run_id);

PRAGMA user_version = 1;

INSERT INTO hosts (id, name) VALUES (1, 'DESKTOP-2KGM189');
INSERT INTO hosts (id, name) VALUES (2, 'WIN-P4SIAA0SQCO');

INSERT INTO runs (id, host_id, kind, source, started_us, finished_us, tool_version,
                  records_read, stored, unrelated, duplicates, damaged)
VALUES (1, 1, 'import', 'system.evtx', 1500800000000000, 1500800001250000, '0.0.9',
        1881, 3, 1878, 0, 0);

INSERT INTO events (id, host_id, run_id, channel, provider, event_id, level, time_us,
                    record_id, computer, service, code, update_title, update_guid, kb,
                    message, data)
VALUES (1, 1, 1, 'System', 'Microsoft-Windows-WindowsUpdateClient', 20, 2,
        1500794741804504, 561, 'DESKTOP-2KGM189', NULL, 2149875719,
        '2017-07 Cumulative Update for Windows 10 Version 1703 for x64-based Systems (KB4025342)',
        '{25ACAE93-40D4-4E62-814C-EFB2F29F1BCA}', 'KB4025342', NULL,
        '{"errorCode":"0x80248007","updateTitle":"2017-07 Cumulative Update for Windows 10 Version 1703 for x64-based Systems (KB4025342)","updateGuid":"{25ACAE93-40D4-4E62-814C-EFB2F29F1BCA}","updateRevisionNumber":"201"}');

INSERT INTO events (id, host_id, run_id, channel, provider, event_id, level, time_us,
                    record_id, computer, service, code, update_title, update_guid, kb,
                    message, data)
VALUES (2, 1, 1, 'System', 'Service Control Manager', 7040, 4,
        1499844003875567, 242, 'DESKTOP-2KGM189', 'BITS', NULL, NULL, NULL, NULL, NULL,
        '{"param1":"Background Intelligent Transfer Service","param2":"demand start","param3":"auto start","param4":"BITS"}');

INSERT INTO events (id, host_id, run_id, channel, provider, event_id, level, time_us,
                    record_id, computer, service, code, update_title, update_guid, kb,
                    message, data)
VALUES (3, 1, 1, 'System', 'Microsoft-Windows-WindowsUpdateClient', 19, 4,
        1500795000000000, 570, 'DESKTOP-2KGM189', NULL, NULL,
        'Definition Update for Windows Defender - KB2267602 (Definition 1.249.26.0)',
        '{3C1A1C2F-0C6B-4B5E-9E6B-2C6B0D1C8E4A}', 'KB2267602', NULL,
        '{"updateTitle":"Definition Update for Windows Defender - KB2267602 (Definition 1.249.26.0)"}');

INSERT INTO service_states (id, host_id, run_id, time_us, name, display_name, state,
                            start_type)
VALUES (1, 1, 1, 1500794741804504, 'wuauserv', 'Windows Update', 'running', 'demand');

INSERT INTO coverage (id, run_id, source, status, detail)
VALUES (1, 1, 'system.evtx', 'ok', 'evtx');
