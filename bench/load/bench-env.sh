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
  # PLATFORM_PIDS_FILE (optional) gets "role pid" lines, for tools that measure the processes.
  [[ -z "${PLATFORM_PIDS_FILE:-}" ]] || echo "$role $!" >>"$PLATFORM_PIDS_FILE"
  for _ in $(seq 200); do curl -sf "http://127.0.0.1:$admin/health/ready" >/dev/null && return 0; sleep 0.1; done
  echo "$role did not become ready" >&2
  return 1
}

# start_platform BASE_PORT: account, product, order, payment and recommender on BASE+1..5
# (admin BASE+11..15, payment HTTP BASE+24) and the gateway on BASE+20, as a client reaches
# them; sets GATEWAY, GATEWAY_ADMIN and GATEWAY_PID.
start_platform() {
  local base="$1"
  export ACCOUNT_URL=127.0.0.1:$((base + 1)) PRODUCT_URL=127.0.0.1:$((base + 2)) ORDER_URL=127.0.0.1:$((base + 3))
  export PAYMENT_URL=127.0.0.1:$((base + 4)) RECOMMENDER_URL=127.0.0.1:$((base + 5))
  start_role account $((base + 1)) $((base + 11))
  start_role product $((base + 2)) $((base + 12))
  start_role order $((base + 3)) $((base + 13))
  PAYMENT_HTTP_LISTEN=127.0.0.1:$((base + 24)) start_role payment $((base + 4)) $((base + 14))
  start_role recommender $((base + 5)) $((base + 15))
  GATEWAY=127.0.0.1:$((base + 20))
  GATEWAY_ADMIN=127.0.0.1:$((base + 21))  # /metrics and /health/ready
  GATEWAY_LISTEN=$GATEWAY GATEWAY_ADMIN_LISTEN=$GATEWAY_ADMIN "$BIN" gateway &
  GATEWAY_PID=$!
  PIDS+=($GATEWAY_PID)
  [[ -z "${PLATFORM_PIDS_FILE:-}" ]] || echo "gateway $GATEWAY_PID" >>"$PLATFORM_PIDS_FILE"
  for _ in $(seq 200); do curl -sf "http://$GATEWAY_ADMIN/health/ready" >/dev/null && return 0; sleep 0.1; done
  echo "the gateway did not become ready" >&2
  return 1
}

# graphql QUERY [TOKEN]: POSTs one document to the gateway and prints the response.
graphql() {
  local body
  body=$(printf '{"query":%s}' "$(printf '%s' "$1" | python3 -c 'import json,sys; print(json.dumps(sys.stdin.read()))')")
  curl -sf "http://$GATEWAY/graphql" -H 'Content-Type: application/json' ${2:+-H "Authorization: Bearer $2"} -d "$body"
}

# new_token: registers a fresh account through the gateway and prints its token.
new_token() {
  graphql "mutation { register(account: {name: \"Bench\", email: \"bench-$(date +%s%N)@bench.local\", password: \"bench-password\"}) { token } }" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["register"]["token"])'
}

# wrk_graphql NAME QUERY TOKEN: RUNS wrk runs posting QUERY; one summary line per run.
wrk_graphql() {
  command -v wrk >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
  local out run
  for run in $(seq "${RUNS:-3}"); do
    out=$(QUERY="$2" TOKEN="$3" wrk -t2 -c"${CONNECTIONS:-64}" -d"${DURATION:-10}s" --latency \
            -s "$REPO_DIR/bench/load/graphql_post.lua" "http://$GATEWAY/graphql")
    echo "scenario=$1 run=$run requests_per_s=$(awk '/Requests\/sec/ {print $2}' <<<"$out")" \
         "p50=$(awk '$1 == "50%" {print $2}' <<<"$out") p99=$(awk '$1 == "99%" {print $2}' <<<"$out")" \
         "failed=$(awk -F= '/failed_responses/ {print $2}' <<<"$out") gateway_rss_kib=$(ps -o rss= -p "$GATEWAY_PID" | tr -d ' ')"
  done
}
