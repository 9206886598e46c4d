-- 005_report_indexes.sql - version 5: runs by host, for the report's
-- coverage section (without it every host's report scanned all coverage).
CREATE INDEX runs_host ON runs (host_id);
