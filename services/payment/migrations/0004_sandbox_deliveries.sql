-- The sandbox's webhooks, queued in the transaction that took or gave back the money and
-- delivered until the endpoint took them (the same webhook id on every attempt), as a
-- provider retries: a payment role that dies between the two can no longer keep a payment
-- without the payment service hearing of it.
CREATE TABLE sandbox_deliveries (
    id TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    attempts INT NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    delivered_at TIMESTAMPTZ,
    last_error TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX sandbox_deliveries_due ON sandbox_deliveries (next_attempt_at) WHERE delivered_at IS NULL;
