-- Idempotent consumers (libs/events): an event id is recorded in the same transaction as
-- the handler's effect, so a redelivered event is recognised and skipped.
CREATE TABLE IF NOT EXISTS processed_events (
    event_id      UUID PRIMARY KEY,
    processed_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Messages that could not be parsed or whose handler kept failing; the consumer moves on.
-- key and payload are the raw Kafka bytes (they need not be valid UTF-8).
CREATE TABLE IF NOT EXISTS dead_letters (
    id           BIGSERIAL PRIMARY KEY,
    topic        TEXT NOT NULL,
    "partition"  INTEGER NOT NULL,
    "offset"     BIGINT NOT NULL,
    key          BYTEA,
    payload      BYTEA,
    event_id     UUID,
    error        TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (topic, "partition", "offset")
);
