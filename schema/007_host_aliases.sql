-- 007_host_aliases.sql - version 7: one machine is one host.
-- A machine's own log names it as it was called at the time: setup-phase
-- names (MINWINPC, WIN-..., MININT-...) and names before a rename, then the
-- final name.  When one local log shows names one after the other (never
-- interleaved), each earlier name is an alias of the name of its latest
-- records, and every row filed under an alias moves to that host
-- (store/store_hosts.c).  Each row is one claim (alias, host) seen in a
-- log; a name whose claims lead to two different machines (MINWINPC in a
-- fleet) is ambiguous and left as it is.  Runs stored before this version
-- are read again by the backfill (store_hosts_backfill, called from
-- store.c's migrate) in the same transaction as this migration.
CREATE TABLE host_aliases (
    alias      TEXT NOT NULL COLLATE NOCASE,   -- an earlier name
    host       TEXT NOT NULL COLLATE NOCASE,   -- the later name in the same log
    learned_us INTEGER NOT NULL,
    PRIMARY KEY (alias, host)
);
