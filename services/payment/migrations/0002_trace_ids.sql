-- The trace id of the checkout request that opened a transaction, carried to the order
-- status change its webhook schedules, so the change is applied (and logged by the order
-- role) under the checkout's trace: one checkout can be followed from click to paid order.
ALTER TABLE transactions ADD COLUMN trace_id TEXT;
ALTER TABLE order_status_changes ADD COLUMN trace_id TEXT;
