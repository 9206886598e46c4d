-- 003_merge.sql - version 3: fleet databases (`wudiag merge`, `wudiag prune`).
-- A run keeps its identity from database to database: its host name, kind,
-- source and start time (microseconds).  runs_identity finds a run again
-- cheaply, so merging the same database twice adds nothing.  merged_runs
-- remembers where each merged run came from, for audits.

CREATE INDEX runs_identity ON runs (started_us, kind, source);

CREATE TABLE merged_runs (
    run_id        INTEGER PRIMARY KEY REFERENCES runs(id),
    source_db     TEXT NOT NULL,           -- the database merged from, as named
    source_run_id INTEGER NOT NULL,        -- the run's id there
    merged_us     INTEGER NOT NULL         -- when it was merged
);
