-- A purchase counts once its order is paid, and a refund takes it back (order_events); a view
-- (interaction_events) is remembered on its own, so a refunded purchase falls back to a view.
-- A rating of NULL is an interaction that no longer counts (kept, with a new change_id, so the
-- trainer sees the change).
ALTER TABLE interactions ADD COLUMN viewed BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE interactions ADD COLUMN paid_orders INT NOT NULL DEFAULT 0 CHECK (paid_orders >= 0);
ALTER TABLE interactions ALTER COLUMN rating DROP NOT NULL;
UPDATE interactions SET viewed = true WHERE rating = 1;
UPDATE interactions SET paid_orders = 1 WHERE rating = 3;

-- Each order's lines as order.created announced them, until its status changes say whether they count.
CREATE TABLE order_lines (
    order_id BIGINT NOT NULL,
    user_id TEXT NOT NULL,
    product_id TEXT NOT NULL,
    PRIMARY KEY (order_id, product_id)
);
