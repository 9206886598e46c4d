-- 008_report_runs.sql - version 8: what a report reads, found without
-- reading anything else.
-- events_host_run: a report lists the coverage of every run that stored an
-- event of its host (merges and host aliases file events under runs of
-- another host); store_model.c finds those runs one index seek each (the
-- smallest run id after the last one found), so the report's cost no
-- longer grows with the events of the host outside its range.
-- service_states_host_time: a host's service observations in time order,
-- as the model wants them, without sorting them on every report.
-- IF NOT EXISTS: a database an older wudiag marked with an older version
-- number may already have them.
CREATE INDEX IF NOT EXISTS events_host_run ON events (host_id, run_id);
CREATE INDEX IF NOT EXISTS service_states_host_time ON service_states (host_id, time_us);
