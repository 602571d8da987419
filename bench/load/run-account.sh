#!/usr/bin/env bash
# GetAccount throughput and latency: the real account role on the project's PostgreSQL,
# driven by grpc_load on loopback.
#   bench/load/run-account.sh [BUILD_DIR]   (env: CONCURRENCY=32 DURATION=10 RUNS=3 DB_POOL_SIZE=16)
set -Eeuo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bench-env.sh"
start_role account 2151 2152
for run in $(seq "${RUNS:-3}"); do
  "$LOAD" --target 127.0.0.1:2151 --scenario get-account --concurrency "${CONCURRENCY:-32}" \
    --duration "${DURATION:-10}" --warmup 2
done
