-- 006_semantics.sql - version 6: what an event means, stored at import.
-- kind (scan, download, install, restart-required, boot, service-failure,
-- servicing, ...) and outcome (started, succeeded, failed) come from the
-- one table of event semantics (vocab/semantics.c); NULL when the event has
-- neither.  detail is the short extra text of the event (a new start type,
-- a service state or error, the process that restarted Windows, the URL of
-- an update server), chosen at import by the same table.  Rows stored
-- before this version get kind and outcome from store.c's backfill, which
-- runs the same classifier in the same transaction as this migration; their
-- detail is derived here, as the reports of version 5 derived it (none
-- from data that is not JSON: merge then skips and counts such a row).
ALTER TABLE events ADD COLUMN kind TEXT;
ALTER TABLE events ADD COLUMN outcome TEXT;
ALTER TABLE events ADD COLUMN detail TEXT;
UPDATE events SET detail =
    CASE WHEN NOT json_valid(data) THEN NULL   -- a poisoned row must not fail the upgrade
         WHEN event_id = 7040 THEN json_extract(data, '$.param3')
         WHEN provider = 'Service Control Manager' THEN json_extract(data, '$.param2')
         WHEN event_id = 1074 THEN json_extract(data, '$.param1')
         WHEN channel = 'WindowsUpdate.log' THEN json_extract(data, '$.url')
         ELSE NULL END;
