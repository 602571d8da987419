# Sourced by the bench scripts: re-runs the calling script under scripts/with-infra.sh with
# a throwaway PostgreSQL and Kafka for benchmarks (.data-bench, ports apart from the tests').
REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
if [[ -z "${ORDERSTREAM_BENCH_INFRA:-}" ]]; then
  export ORDERSTREAM_BENCH_INFRA=1
  export ORDERSTREAM_TEST_DATA_DIR="${ORDERSTREAM_TEST_DATA_DIR:-$REPO_DIR/.data-bench}"
  export ORDERSTREAM_TEST_PG_PORT="${ORDERSTREAM_TEST_PG_PORT:-55463}"
  export ORDERSTREAM_TEST_KAFKA_PORT="${ORDERSTREAM_TEST_KAFKA_PORT:-19122}"
  export ORDERSTREAM_TEST_KAFKA_CONTROLLER_PORT="${ORDERSTREAM_TEST_KAFKA_CONTROLLER_PORT:-19123}"
  exec "$REPO_DIR/scripts/with-infra.sh" "$0" "$@"
fi
BUILD_DIR="$(realpath "${1:-$REPO_DIR/build}")"
BIN="$BUILD_DIR/cmd/orderstream/orderstream"
LOAD="$BUILD_DIR/bench/load/grpc_load"
PG_BASE="${ORDERSTREAM_TEST_PG_URL%/postgres}"
export LOG_LEVEL=warn JWT_SECRET=bench-secret-0123456789abcdef0123456789
export KAFKA_BOOTSTRAP_SERVERS="$ORDERSTREAM_TEST_KAFKA"
PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null; wait 2>/dev/null || true' EXIT

# start_role ROLE GRPC_PORT ADMIN_PORT: runs a role on its bench database and waits for it.
start_role() {
  local role="$1" port="$2" admin="$3" upper
  upper=$(echo "$role" | tr a-z A-Z)
  env DATABASE_URL="$PG_BASE/${role}_db" "${upper}_LISTEN=127.0.0.1:$port" "${upper}_ADMIN_LISTEN=127.0.0.1:$admin" \
    "$BIN" "$role" &
  PIDS+=($!)
  for _ in $(seq 200); do curl -sf "http://127.0.0.1:$admin/health/ready" >/dev/null && return 0; sleep 0.1; done
  echo "$role did not become ready" >&2
  return 1
}
