#!/usr/bin/env bash
# Orders: createOrder with 3 lines through the gateway (wrk, 32 connections), PostOrder over
# gRPC (grpc_load, 32 callers), pgbench running the same inserts straight on order_db (the
# database's own ceiling), and commit-to-Kafka latency of the purchase events.
#   bench/load/run-order.sh [BUILD_DIR]   (env: CONCURRENCY=32 DURATION=10 RUNS=3)
set -Eeuo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bench-env.sh"
command -v wrk >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
HERE="$REPO_DIR/bench/load"
export ACCOUNT_URL=127.0.0.1:2361 PRODUCT_URL=127.0.0.1:2362 ORDER_URL=127.0.0.1:2363
start_role account 2361 2371
start_role product 2362 2372
start_role order 2363 2373
GATEWAY_LISTEN=127.0.0.1:2380 "$BIN" gateway &
PIDS+=($!)
for _ in $(seq 200); do curl -sf http://127.0.0.1:2380/health/ready >/dev/null && break; sleep 0.1; done
psql -q "$PG_BASE/product_db" -v count=300 -f "$HERE/generate-catalog.sql"

graphql() {  # graphql QUERY [TOKEN]
  local body
  body=$(printf '{"query":%s}' "$(printf '%s' "$1" | python3 -c 'import json,sys; print(json.dumps(sys.stdin.read()))')")
  curl -sf http://127.0.0.1:2380/graphql -H 'Content-Type: application/json' ${2:+-H "Authorization: Bearer $2"} -d "$body"
}
email="bench-$(date +%s%N)@bench.local"
token=$(graphql "mutation { register(account: {name: \"Bench\", email: \"$email\", password: \"bench-password\"}) { token } }" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["register"]["token"])')
mapfile -t ids < <(psql -tA "$PG_BASE/product_db" -c 'SELECT id FROM products ORDER BY id LIMIT 3')
mutation="mutation { createOrder(order: {products: [{id: \"${ids[0]}\", quantity: 1} {id: \"${ids[1]}\", quantity: 2} {id: \"${ids[2]}\", quantity: 3}]}) { id totalPrice } }"

for run in $(seq "${RUNS:-3}"); do
  out=$(QUERY="$mutation" TOKEN="$token" wrk -t2 -c"${CONCURRENCY:-32}" -d"${DURATION:-10}s" --latency \
          -s "$HERE/graphql_post.lua" http://127.0.0.1:2380/graphql)
  echo "scenario=gateway-create-order run=$run orders_per_s=$(awk '/Requests\/sec/ {print $2}' <<<"$out")" \
       "p50=$(awk '$1 == "50%" {print $2}' <<<"$out") p99=$(awk '$1 == "99%" {print $2}' <<<"$out")" \
       "failed=$(awk -F= '/failed_responses/ {print $2}' <<<"$out")"
done
for run in $(seq "${RUNS:-3}"); do
  "$LOAD" --target 127.0.0.1:2363 --account-target 127.0.0.1:2361 --product-target 127.0.0.1:2362 \
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
