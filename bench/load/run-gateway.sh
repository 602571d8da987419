#!/usr/bin/env bash
# Gateway throughput with wrk at 64 connections: `{ __typename }` (the gateway alone) and
# `accounts(id:)` for the caller (gateway -> account -> PostgreSQL), plus the gateway's RSS.
#   bench/load/run-gateway.sh [BUILD_DIR]   (env: CONNECTIONS=64 DURATION=10 RUNS=3)
set -Eeuo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bench-env.sh"
start_platform 2160
token=$(new_token)
id=$(graphql '{ me { id } }' "$token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["me"]["id"])')
wrk_graphql typename '{ __typename }' "$token"
wrk_graphql account-by-id "{ accounts(id: $id) { id name email } }" "$token"
