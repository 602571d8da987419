#!/usr/bin/env bash
# Subscriptions: commit of an order status change -> `next` on the socket with 1,000 open
# subscriptions (50 accounts x 20 graphql-ws connections, each change waited for before the next),
# and the gateway's RSS per 1,000 idle connections; RUNS runs, each on fresh accounts.
#   bench/subscriptions/run.sh [BUILD_DIR]   (env: RUNS=3 USERS=50 PER_USER=20 IDLE=1000 STAND_IN=1)
# STAND_IN=1 (the default until the order service publishes order_events): the driver writes each
# change to order_events itself right after the order service committed it.
set -Eeuo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../load/bench-env.sh"
export GATEWAY_WS_MAX_CONNECTIONS_PER_ADDRESS=100000 GATEWAY_WS_IDLE_TIMEOUT_SECONDS=3600
start_platform 2460
stand_in=()
[[ "${STAND_IN:-1}" == 1 ]] && stand_in=(--stand-in)
for run in $(seq "${RUNS:-3}"); do
  echo -n "run=$run "
  "$BUILD_DIR/bench/subscriptions/subscription_latency" --gateway "$GATEWAY" --gateway-pid "$GATEWAY_PID" \
    --account "$ACCOUNT_URL" --product "$PRODUCT_URL" --order "$ORDER_URL" --kafka "$ORDERSTREAM_TEST_KAFKA" \
    --users "${USERS:-50}" --per-user "${PER_USER:-20}" --idle "${IDLE:-1000}" "${stand_in[@]}"
  # The run's sockets are gone before the next one counts subscriptions.
  for _ in $(seq 100); do
    [[ "$(curl -sf "http://$GATEWAY/metrics" | awk '$1 == "gateway_subscriptions_active" {print $2}')" == 0 ]] && break
    sleep 0.1
  done
done
