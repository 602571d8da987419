-- Payment state in integer minor units: one provider customer per account, the provider's
-- copy of each product, checkout transactions, every webhook delivery received, and the
-- order status changes those deliveries cause (applied to the order service by retry).
CREATE TABLE customers (
    account_id BIGINT PRIMARY KEY,
    customer_id TEXT NOT NULL UNIQUE,
    billing_email TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Desired state (from product_events) and what the provider has (synced_revision).
CREATE TABLE provider_products (
    product_id TEXT PRIMARY KEY,
    provider_product_id TEXT,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    price_cents BIGINT NOT NULL CHECK (price_cents >= 0),
    currency CHAR(3) NOT NULL,
    deleted BOOLEAN NOT NULL DEFAULT false,
    revision BIGINT NOT NULL DEFAULT 1,
    synced_revision BIGINT NOT NULL DEFAULT 0,
    attempts INT NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_error TEXT,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX provider_products_unsynced ON provider_products (next_attempt_at) WHERE synced_revision < revision;

CREATE TABLE transactions (
    id BIGSERIAL PRIMARY KEY,
    order_id BIGINT NOT NULL,
    account_id BIGINT NOT NULL,
    customer_id TEXT NOT NULL,
    checkout_session_id TEXT UNIQUE,
    payment_id TEXT,
    amount_cents BIGINT NOT NULL CHECK (amount_cents >= 0),
    total_amount_cents BIGINT,
    settlement_amount_cents BIGINT,
    currency CHAR(3) NOT NULL,
    settlement_currency TEXT,
    status TEXT NOT NULL DEFAULT 'pending',
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX transactions_by_order ON transactions (order_id, id DESC);
CREATE INDEX transactions_by_customer ON transactions (customer_id, id DESC);
CREATE INDEX transactions_by_payment ON transactions (payment_id) WHERE payment_id IS NOT NULL;

CREATE TABLE webhook_events (
    webhook_id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    body TEXT NOT NULL,
    outcome TEXT NOT NULL,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE order_status_changes (
    id BIGSERIAL PRIMARY KEY,
    order_id BIGINT NOT NULL,
    status TEXT NOT NULL,
    webhook_id TEXT NOT NULL REFERENCES webhook_events (webhook_id),
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'applied', 'rejected')),
    attempts INT NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_error TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_at TIMESTAMPTZ
);
CREATE INDEX order_status_changes_pending ON order_status_changes (order_id, id) WHERE state = 'pending';

-- The built-in sandbox provider's own records (unused with Dodo Payments).
CREATE TABLE sandbox_settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE sandbox_products (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    price_cents BIGINT NOT NULL,
    currency CHAR(3) NOT NULL,
    archived BOOLEAN NOT NULL DEFAULT false
);

CREATE TABLE sandbox_customers (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    account_id BIGINT NOT NULL
);

CREATE TABLE sandbox_sessions (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('checkout', 'portal')),
    customer_id TEXT NOT NULL,
    cart JSONB NOT NULL DEFAULT '[]',
    metadata JSONB NOT NULL DEFAULT '{}',
    return_url TEXT NOT NULL DEFAULT '',
    amount_cents BIGINT NOT NULL DEFAULT 0,
    currency CHAR(3) NOT NULL DEFAULT 'USD',
    completed_status TEXT,
    payment_id TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at TIMESTAMPTZ NOT NULL
);

-- Deliveries can arrive out of order: a transaction never moves back to an earlier stage
-- (a late "processing" after "succeeded" changes nothing).
CREATE FUNCTION payment_status_rank(status TEXT) RETURNS INT LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE status
        WHEN 'pending' THEN 0 WHEN 'processing' THEN 1 WHEN 'failed' THEN 2 WHEN 'cancelled' THEN 2
        WHEN 'succeeded' THEN 3 WHEN 'refunded' THEN 4 ELSE 0 END
$$;
