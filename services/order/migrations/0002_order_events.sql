-- The order's life as events (order_events) and the payments that reach it (payment_events):
-- which payment paid an order, why each status changed, who sold each line, and the payment
-- events an order could not take (kept with the reason, never retried).
ALTER TABLE orders ADD COLUMN paid_payment_id TEXT;
ALTER TABLE order_status_history ADD COLUMN reason TEXT NOT NULL DEFAULT '';
ALTER TABLE order_status_history ADD COLUMN payment_id TEXT;

ALTER TABLE order_products ADD COLUMN seller_account_id BIGINT NOT NULL DEFAULT 0;
CREATE INDEX order_products_by_seller ON order_products (seller_account_id, order_id DESC) WHERE seller_account_id <> 0;
CREATE INDEX orders_newest ON orders (created_at DESC, id DESC);

CREATE TABLE refused_payment_events (
    event_id UUID PRIMARY KEY,
    order_id BIGINT NOT NULL,
    event_type TEXT NOT NULL,
    payment_id TEXT,
    order_status TEXT,
    reason TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX refused_payment_events_by_order ON refused_payment_events (order_id);
