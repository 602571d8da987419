-- Dedupe and dead letters per consumer group: two groups consuming into one database (or a
-- projection rebuilt under a new group) each apply every event once. Rows written before
-- this migration belong to the group '' (one group per database then); consumers still treat
-- those ids as processed.
ALTER TABLE processed_events ADD COLUMN consumer_group TEXT NOT NULL DEFAULT '';
ALTER TABLE processed_events DROP CONSTRAINT processed_events_pkey;
ALTER TABLE processed_events ADD PRIMARY KEY (consumer_group, event_id);
ALTER TABLE processed_events ALTER COLUMN consumer_group DROP DEFAULT;

ALTER TABLE dead_letters ADD COLUMN consumer_group TEXT NOT NULL DEFAULT '';
ALTER TABLE dead_letters DROP CONSTRAINT dead_letters_topic_partition_offset_key;
ALTER TABLE dead_letters ADD CONSTRAINT dead_letters_once_per_group UNIQUE (consumer_group, topic, "partition", "offset");
ALTER TABLE dead_letters ALTER COLUMN consumer_group DROP DEFAULT;
