#!/usr/bin/env bash
# Gateway throughput with wrk at 64 connections: `{ __typename }` (the gateway alone) and
# `accounts(id:)` for the caller (gateway -> account -> PostgreSQL), plus the gateway's RSS.
#   bench/load/run-gateway.sh [BUILD_DIR]   (env: CONNECTIONS=64 DURATION=10 RUNS=3)
set -Eeuo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bench-env.sh"
command -v wrk >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
HERE="$REPO_DIR/bench/load"
export ACCOUNT_URL=127.0.0.1:2161 PRODUCT_URL=127.0.0.1:2162 ORDER_URL=127.0.0.1:2163
start_role account 2161 2171
start_role product 2162 2172
start_role order 2163 2173
GATEWAY_LISTEN=127.0.0.1:2180 "$BIN" gateway &
gateway=$!
PIDS+=($gateway)
for _ in $(seq 200); do curl -sf http://127.0.0.1:2180/health/ready >/dev/null && break; sleep 0.1; done

graphql() {  # graphql QUERY [TOKEN]
  local body
  body=$(printf '{"query":%s}' "$(printf '%s' "$1" | python3 -c 'import json,sys; print(json.dumps(sys.stdin.read()))')")
  curl -sf http://127.0.0.1:2180/graphql -H 'Content-Type: application/json' ${2:+-H "Authorization: Bearer $2"} -d "$body"
}
email="bench-$(date +%s%N)@bench.local"
token=$(graphql "mutation { register(account: {name: \"Bench\", email: \"$email\", password: \"bench-password\"}) { token } }" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["register"]["token"])')
id=$(graphql '{ me { id } }' "$token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["me"]["id"])')

run() {  # run NAME QUERY
  for run in $(seq "${RUNS:-3}"); do
    out=$(QUERY="$2" TOKEN="$token" wrk -t2 -c"${CONNECTIONS:-64}" -d"${DURATION:-10}s" --latency \
            -s "$HERE/graphql_post.lua" http://127.0.0.1:2180/graphql)
    echo "scenario=$1 run=$run requests_per_s=$(awk '/Requests\/sec/ {print $2}' <<<"$out")" \
         "p50=$(awk '$1 == "50%" {print $2}' <<<"$out") p99=$(awk '$1 == "99%" {print $2}' <<<"$out")" \
         "failed=$(awk -F= '/failed_responses/ {print $2}' <<<"$out") gateway_rss_kib=$(ps -o rss= -p "$gateway" | tr -d ' ')"
  done
}
run typename '{ __typename }'
run account-by-id "{ accounts(id: $id) { id name email } }"
