-- 002_fingerprints.sql - version 2.
-- imported_files remembers the content fingerprint of every file imported in
-- full, so importing the same file again is a cheap no-op.  unrelated_counts
-- keeps, per run, how many events of each provider were read but not stored.
-- service_states gains where the value came from (live, or inferred from
-- events).

CREATE TABLE imported_files (
    fingerprint TEXT NOT NULL,             -- hex hash of the content
    size        INTEGER NOT NULL,
    run_id      INTEGER NOT NULL REFERENCES runs(id),
    PRIMARY KEY (fingerprint, size)
);

CREATE TABLE unrelated_counts (
    run_id   INTEGER NOT NULL REFERENCES runs(id),
    provider TEXT NOT NULL,
    count    INTEGER NOT NULL,
    PRIMARY KEY (run_id, provider)
);

ALTER TABLE service_states ADD COLUMN origin TEXT NOT NULL DEFAULT 'live';
