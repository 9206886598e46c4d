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
