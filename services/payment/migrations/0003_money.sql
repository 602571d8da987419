-- Money you can trust: a transaction is one checkout session for one order's exact total; at
-- most one of an order's sessions is open at a time; every refund is a row of its own; every
-- delivery that cannot be believed is an anomaly; payment outcomes reach the order service as
-- payment_events through the outbox, so the retry queue of status changes goes away.
DROP TABLE order_status_changes;

-- pending: the checkout can be paid; processing, succeeded, failed: what the provider said;
-- closed: no longer payable (the order was paid, cancelled or refunded, or the session is
-- stale); refunded / partially_refunded: money given back.
ALTER TABLE transactions ADD COLUMN checkout_url TEXT;
ALTER TABLE transactions ADD COLUMN accepted BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE transactions ADD COLUMN refunded_amount_cents BIGINT NOT NULL DEFAULT 0 CHECK (refunded_amount_cents >= 0);
ALTER TABLE transactions ADD COLUMN closed_reason TEXT;
UPDATE transactions SET status = 'failed' WHERE status = 'cancelled';  -- a cancelled payment attempt
DROP FUNCTION payment_status_rank(TEXT);
CREATE UNIQUE INDEX transactions_one_open_checkout ON transactions (order_id) WHERE status = 'pending';
DROP INDEX transactions_by_payment;
CREATE UNIQUE INDEX transactions_by_payment ON transactions (payment_id) WHERE payment_id IS NOT NULL;

-- A refund asked of the provider (by an admin, or automatically for money that should not
-- have been taken) and what the provider's webhooks said of it.
CREATE TABLE refunds (
    id BIGSERIAL PRIMARY KEY,
    transaction_id BIGINT NOT NULL REFERENCES transactions (id),
    payment_id TEXT NOT NULL,
    amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),
    currency CHAR(3) NOT NULL,
    reason TEXT NOT NULL,
    requested_by TEXT NOT NULL,  -- 'automatic' or 'admin <account id>', or 'provider' for one made at the provider
    status TEXT NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'pending', 'succeeded', 'failed')),
    refund_id TEXT UNIQUE,
    attempts INT NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_error TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX refunds_one_open_per_payment ON refunds (payment_id) WHERE status IN ('requested', 'pending');
CREATE INDEX refunds_due ON refunds (next_attempt_at) WHERE status = 'requested';

-- What arrived that could not be believed or taken, why, and what was done about it.
CREATE TABLE payment_anomalies (
    id BIGSERIAL PRIMARY KEY,
    webhook_id TEXT,
    kind TEXT NOT NULL,
    detail TEXT NOT NULL,
    order_id BIGINT,
    payment_id TEXT,
    amount_cents BIGINT,
    currency TEXT,
    action TEXT NOT NULL,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX payment_anomalies_newest ON payment_anomalies (id DESC);

-- The provider's pay-what-you-want product per currency: every checkout charges the order's
-- own total through it (see PaymentService::CreateCheckoutSession).
CREATE TABLE order_products (
    currency CHAR(3) PRIMARY KEY,
    provider_product_id TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The sandbox's refunds (unused with Dodo Payments); a session's cart is now the order's lines.
CREATE TABLE sandbox_refunds (
    id TEXT PRIMARY KEY,
    payment_id TEXT NOT NULL,
    amount_cents BIGINT NOT NULL,
    currency CHAR(3) NOT NULL,
    reason TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
ALTER TABLE sandbox_products ADD COLUMN pay_what_you_want BOOLEAN NOT NULL DEFAULT false;
