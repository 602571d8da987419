#!/usr/bin/env bash
# GetAccount throughput and latency: the real account role on the project's PostgreSQL
# (a throwaway instance in .data-bench), driven by grpc_load on loopback.
#   bench/load/run-account.sh [BUILD_DIR]   (env: CONCURRENCY=32 DURATION=10 RUNS=3)
set -Eeuo pipefail
REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
BUILD_DIR="$(realpath "${1:-$REPO_DIR/build}")"
export ORDERSTREAM_TEST_DATA_DIR="${ORDERSTREAM_TEST_DATA_DIR:-$REPO_DIR/.data-bench}"
export ORDERSTREAM_TEST_PG_PORT="${ORDERSTREAM_TEST_PG_PORT:-55463}"
export ORDERSTREAM_TEST_KAFKA_PORT="${ORDERSTREAM_TEST_KAFKA_PORT:-19122}"
export ORDERSTREAM_TEST_KAFKA_CONTROLLER_PORT="${ORDERSTREAM_TEST_KAFKA_CONTROLLER_PORT:-19123}"

exec "$REPO_DIR/scripts/with-infra.sh" bash -c '
  set -euo pipefail
  build="$1"; port=50151; admin=50152
  DATABASE_URL="${ORDERSTREAM_TEST_PG_URL%/postgres}/account_db" ACCOUNT_LISTEN=127.0.0.1:$port \
    ACCOUNT_ADMIN_LISTEN=127.0.0.1:$admin JWT_SECRET=bench-secret-0123456789abcdef0123456789 LOG_LEVEL=warn \
    DB_POOL_SIZE="${DB_POOL_SIZE:-16}" "$build/cmd/orderstream/orderstream" account &
  pid=$!
  trap "kill $pid 2>/dev/null; wait $pid 2>/dev/null || true" EXIT
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$admin/health/ready" >/dev/null && break; sleep 0.1; done
  for run in $(seq "${RUNS:-3}"); do
    "$build/bench/load/grpc_load" --target 127.0.0.1:$port --scenario get-account \
      --concurrency "${CONCURRENCY:-32}" --duration "${DURATION:-10}" --warmup 2
  done
' bench "$BUILD_DIR"
