-- 004_live.sql - version 4: what live collection on Windows keeps.
-- bookmarks: where the last collect stopped reading each event channel
-- (EvtRender'ed bookmark XML), so the next run reads only new events.
-- facts: single readings that decide fixes (pending reboot, WSUS policy,
-- free space, OS build), one row per reading.

CREATE TABLE bookmarks (
    host_id    INTEGER NOT NULL REFERENCES hosts(id),
    channel    TEXT NOT NULL,
    bookmark   TEXT NOT NULL,
    updated_us INTEGER NOT NULL,
    PRIMARY KEY (host_id, channel)
);

CREATE TABLE facts (
    id      INTEGER PRIMARY KEY,
    host_id INTEGER NOT NULL REFERENCES hosts(id),
    run_id  INTEGER NOT NULL REFERENCES runs(id),
    time_us INTEGER NOT NULL,
    name    TEXT NOT NULL,
    value   TEXT
);
CREATE INDEX facts_host ON facts (host_id, name, time_us);
