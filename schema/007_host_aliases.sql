-- 007_host_aliases.sql - version 7: one machine is one host.
-- A machine's own log names it as it was called at the time: setup-phase
-- names (MINWINPC, WIN-..., MININT-...) and names before a rename, then the
-- final name.  When one local log shows names one after the other (never
-- interleaved), each earlier name is an alias of the name of its latest
-- records, and every row filed under an alias moves to that host.  Each
-- row is one claim (alias, host) seen in a log; a name claimed by two
-- different machines (MINWINPC in a fleet) is ambiguous and left as it
-- is.  Rows stored before this version get their claims from store.c's
-- backfill, which reads each import run's events in the same transaction.
CREATE TABLE host_aliases (
    alias      TEXT NOT NULL COLLATE NOCASE,   -- an earlier name
    host       TEXT NOT NULL COLLATE NOCASE,   -- the later name in the same log
    learned_us INTEGER NOT NULL,
    PRIMARY KEY (alias, host)
);
