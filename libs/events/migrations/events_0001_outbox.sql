-- Transactional outbox (libs/events): a service writes its event here in the same
-- transaction as the state change; OutboxRelay publishes pending rows to Kafka in id order.
CREATE TABLE IF NOT EXISTS outbox (
    id          BIGSERIAL PRIMARY KEY,
    event_id    UUID NOT NULL UNIQUE,
    topic       TEXT NOT NULL,
    key         TEXT NOT NULL,
    type        TEXT NOT NULL,
    payload     TEXT NOT NULL,          -- the complete JSON envelope, published verbatim
    trace_id    TEXT NOT NULL,          -- W3C trace id (the request id of the writer)
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    sent_at     TIMESTAMPTZ,
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT
);

-- The relay only ever reads pending rows in id order: keep that index small.
CREATE INDEX IF NOT EXISTS outbox_pending_idx ON outbox (id) WHERE sent_at IS NULL;
-- The relay prunes sent rows past their retention by this one.
CREATE INDEX IF NOT EXISTS outbox_sent_at_idx ON outbox (sent_at) WHERE sent_at IS NOT NULL;

-- Wakes the relay (LISTEN orderstream_outbox) as soon as an inserting transaction commits;
-- NOTIFY is transactional and collapses duplicates, so this costs one signal per commit.
CREATE OR REPLACE FUNCTION orderstream_outbox_notify() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('orderstream_outbox', '');
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS outbox_notify ON outbox;
CREATE TRIGGER outbox_notify AFTER INSERT ON outbox
    FOR EACH STATEMENT EXECUTE FUNCTION orderstream_outbox_notify();
