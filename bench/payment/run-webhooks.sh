#!/usr/bin/env bash
# Signed webhooks: the payment role (sandbox provider) receives payment.succeeded deliveries
# from 32 keep-alive connections, 30% of them repeating an id already sent (Dodo's retries).
# Afterwards every distinct id must have changed state exactly once.
#   bench/payment/run-webhooks.sh [BUILD_DIR]   (env: CONCURRENCY=32 DURATION=10 RUNS=3 SESSIONS=30000)
set -Eeuo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../load/bench-env.sh"
SECRET=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
SESSIONS="${SESSIONS:-30000}"
HTTP_PORT=2481
export DODO_WEBHOOK_SECRET=$SECRET PAYMENT_HTTP_LISTEN=127.0.0.1:$HTTP_PORT ORDER_SERVICE_URL=127.0.0.1:2453
start_role account 2451 2461
start_role product 2452 2462
ACCOUNT_URL=127.0.0.1:2451 PRODUCT_URL=127.0.0.1:2452 start_role order 2453 2463
start_role payment 2454 2464
for run in $(seq "${RUNS:-3}"); do
  # One pending transaction per checkout session the deliveries will name.
  psql -q "$PG_BASE/payment_db" -c "TRUNCATE transactions, order_status_changes, webhook_events" \
    -c "INSERT INTO transactions (order_id, account_id, customer_id, checkout_session_id, amount_cents, currency)
        SELECT i + 1, 1, 'cus_bench', 'cks_bench_' || i, 1999, 'USD' FROM generate_series(0, $SESSIONS - 1) i"
  "$BUILD_DIR/bench/payment/webhook_load" --port "$HTTP_PORT" --secret "$SECRET" --run "$run" \
    --sessions "$SESSIONS" --concurrency "${CONCURRENCY:-32}" --duration "${DURATION:-10}" --duplicates 0.3
  psql -tA "$PG_BASE/payment_db" -c "
    SELECT 'distinct_ids=' || (SELECT count(*) FROM webhook_events)
        || ' state_changes=' || (SELECT count(*) FROM order_status_changes)
        || ' ids_with_more_than_one_change=' || (SELECT count(*) FROM (SELECT webhook_id FROM order_status_changes
                                                 GROUP BY webhook_id HAVING count(*) > 1) d)
        || ' transactions_succeeded=' || (SELECT count(*) FROM transactions WHERE status = 'succeeded')"
done
