-- 008_report_runs.sql - version 8: the runs that stored a host's events,
-- found without reading its events.  A report lists the coverage of every
-- run that stored an event of its host (merges and host aliases file events
-- under runs of another host); with this index store_model.c finds those
-- runs one index seek each (the smallest run id after the last one found),
-- so the report's cost no longer grows with the events of the host outside
-- its range, nor with any other host's.
CREATE INDEX IF NOT EXISTS events_host_run ON events (host_id, run_id);
