#!/usr/bin/env bash
# Subscriptions: commit of an order status change -> `next` on the socket with 1,000 open
# subscriptions (50 accounts x 20 graphql-ws connections, each change waited for before the next),
# and the gateway's RSS per 1,000 idle connections; RUNS runs, each on fresh accounts and a freshly
# started gateway.
#   bench/subscriptions/run.sh [BUILD_DIR]   (env: RUNS=3 USERS=50 PER_USER=20 IDLE=1000)
set -Eeuo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../load/bench-env.sh"
export GATEWAY_WS_MAX_CONNECTIONS_PER_ADDRESS=100000 GATEWAY_WS_IDLE_TIMEOUT_SECONDS=3600
start_platform 2460
# restart_gateway: a fresh process per run, so the idle connections' memory is not memory an
# earlier run freed.
restart_gateway() {
  kill "$GATEWAY_PID" && wait "$GATEWAY_PID" 2>/dev/null || true
  GATEWAY_LISTEN=$GATEWAY GATEWAY_ADMIN_LISTEN=$GATEWAY_ADMIN "$BIN" gateway &
  GATEWAY_PID=$!
  PIDS+=($GATEWAY_PID)
  for _ in $(seq 200); do curl -sf "http://$GATEWAY/health" >/dev/null && return 0; sleep 0.1; done
  echo "the gateway did not come back" >&2
  return 1
}
for run in $(seq "${RUNS:-3}"); do
  (( run == 1 )) || restart_gateway
  echo -n "run=$run "
  "$BUILD_DIR/bench/subscriptions/subscription_latency" --gateway "$GATEWAY" --gateway-admin "$GATEWAY_ADMIN" --gateway-pid "$GATEWAY_PID" \
    --account "$ACCOUNT_URL" --product "$PRODUCT_URL" --order "$ORDER_URL" \
    --users "${USERS:-50}" --per-user "${PER_USER:-20}" --idle "${IDLE:-1000}"
done
