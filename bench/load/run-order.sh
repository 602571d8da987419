#!/usr/bin/env bash
# Orders: createOrder with 3 lines through the gateway (wrk, 32 connections), PostOrder over
# gRPC (grpc_load, 32 callers), pgbench running the same inserts straight on order_db (the
# database's own ceiling), and commit-to-Kafka latency of the purchase events.
#   bench/load/run-order.sh [BUILD_DIR]   (env: CONCURRENCY=32 DURATION=10 RUNS=3)
set -Eeuo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bench-env.sh"
HERE="$REPO_DIR/bench/load"
start_platform 2360
psql -q "$PG_BASE/product_db" -v count=300 -f "$HERE/generate-catalog.sql"
token=$(new_token)
mapfile -t ids < <(psql -tA "$PG_BASE/product_db" -c 'SELECT id FROM products ORDER BY id LIMIT 3')
mutation="mutation { createOrder(order: {products: [{id: \"${ids[0]}\", quantity: 1} {id: \"${ids[1]}\", quantity: 2} {id: \"${ids[2]}\", quantity: 3}]}) { id totalPrice } }"

CONNECTIONS="${CONCURRENCY:-32}" wrk_graphql gateway-create-order "$mutation" "$token"
for run in $(seq "${RUNS:-3}"); do
  "$LOAD" --target "$ORDER_URL" --account-target "$ACCOUNT_URL" --product-target "$PRODUCT_URL" \
    --scenario post-order --concurrency "${CONCURRENCY:-32}" --duration "${DURATION:-10}" --warmup 2
done
for run in $(seq "${RUNS:-3}"); do
  tps=$(pgbench -n -c "${CONCURRENCY:-32}" -j 2 -T "${DURATION:-10}" -f "$HERE/order-insert.pgbench" \
          "$PG_BASE/order_db" 2>/dev/null | awk '/^tps/ {print $3}')
  echo "scenario=pgbench-order-insert run=$run transactions_per_s=$tps"
done
# Give the relay a moment to drain, then measure commit -> Kafka for this account's events.
sleep 3
user=$(graphql '{ me { id } }' "$token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["me"]["id"])')
kcat -C -b "$ORDERSTREAM_TEST_KAFKA" -t interaction_events -o beginning -e -q -f '%T %s\n' 2>/dev/null \
  | python3 "$HERE/event_latency.py" "\"user_id\":\"$user\""
