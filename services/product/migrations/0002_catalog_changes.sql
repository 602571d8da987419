-- Advanced after every committed catalog change, so a cached search result can tell whether
-- the catalog moved since it was computed (one cheap read instead of re-running the search).
-- A sequence, not a counter row: advancing never waits on another writer's lock.
CREATE SEQUENCE catalog_changes;
